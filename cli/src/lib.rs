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

/// What one in-process run of the command line printed ([`run_captured`]).
pub struct Captured {
    /// The exit code ([`EXIT_OK`], [`EXIT_ERRORS`], [`EXIT_UNUSABLE`]).
    pub code: u8,
    pub out: String,
    pub err: String,
}

/// [`run`] with `scalelens` as the program name and no terminal, its output captured (for
/// the tests and the docs' pictures).
pub fn run_captured<T: AsRef<str>>(args: &[T]) -> Captured {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let mut io = Io {
        out: &mut out,
        err: &mut err,
        out_is_terminal: false,
    };
    let argv = std::iter::once("scalelens").chain(args.iter().map(AsRef::as_ref));
    let code = run(argv, &mut io);
    Captured {
        code,
        out: String::from_utf8_lossy(&out).into_owned(),
        err: String::from_utf8_lossy(&err).into_owned(),
    }
}

/// Exit code: no errors (warnings and notes allowed).
pub const EXIT_OK: u8 = 0;
/// Exit code: the input has errors.
pub const EXIT_ERRORS: u8 = 1;
/// Exit code: unusable input (unreadable file, no autoscaler, bad demand CSV, bad arguments).
pub const EXIT_UNUSABLE: u8 = 2;
