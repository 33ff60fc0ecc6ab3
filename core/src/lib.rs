//! Scalelens core: parses autoscaler YAML (AIBrix, Kubernetes HPA, KEDA, Knative), replays the
//! real controllers' algorithms against a demand series, and emits diagnostics.
//!
//! **Architecture invariant:** no I/O, no clocks, no threads, no randomness, no `wasm-bindgen`.
//! The same code runs natively (CLI), in the browser (web) and inside Envoy (plugin): it builds
//! for the host, `wasm32-unknown-unknown` and `wasm32-wasip1`. Same input, same output.

pub mod algorithm;
pub mod analysis;
pub mod codes;
pub mod config;
pub mod csv;
pub mod demand;
pub mod diagnostic;
pub mod display;
pub mod duration;
pub mod explain;
pub mod knobs;
pub mod metrics;
pub mod model;
pub mod pipeline;
pub mod quantity;
pub mod rfc3339;
pub mod samples;
pub mod sim;
pub mod sort;
pub mod span;
pub mod text;
pub mod upstream;
pub mod yaml;

/// The optional parts this build of core has (its Cargo features), for front ends and tests
/// that say what a build without them does. Cargo unifies features across a workspace build,
/// so `cargo test --workspace` sees them all on; the playground's engine is tested as it ships
/// by `cargo test -p scalelens-web` (a step of `cargo xtask test`).
pub mod build {
    /// PromQL is parsed (`promql`): the query checks and a query's label matchers.
    pub const PARSES_PROMQL: bool = cfg!(feature = "promql");
    /// KEDA scaling-modifier formulas are evaluated (`formula`).
    pub const EVALUATES_FORMULAS: bool = cfg!(feature = "formula");
}

pub use diagnostic::{Diagnostic, Severity};
pub use model::{Autoscaler, Millis};
pub use span::{Param, Pos, Span, Spanned};
