//! The `scalelens` command-line front end: argument parsing, file reading and the renderers
//! (rustc-like text, JSON, SARIF, GitHub workflow commands, timeline table and CSV).
//!
//! Everything is callable in-process ([`run`]) so tests can exercise the commands and the
//! renderers without spawning a process. The core ([`scalelens_core`]) does the work; this
//! crate only reads files (or a Prometheus range query's response, [`prometheus`]) and formats
//! output: `check`, `simulate` and `explain` each run
//! [`scalelens_core::pipeline`] once ([`commands`]) and hand its output to a renderer
//! ([`render`]); `simulate --chart` writes the SVG of `scalelens-chart`'s `render_svg`.

pub mod args;
pub mod commands;
pub mod duration;
pub mod prometheus;
pub mod render;
pub mod source;

pub use commands::{run, Io};

/// Exit code: no errors (warnings and notes allowed).
pub const EXIT_OK: u8 = 0;
/// Exit code: the input has errors.
pub const EXIT_ERRORS: u8 = 1;
/// Exit code: unusable input (unreadable file, no autoscaler, bad demand CSV, bad arguments).
pub const EXIT_UNUSABLE: u8 = 2;
