//! Core's tests: one test binary (one link instead of one per file), a module per concern.
//! They use `scalelens_core` only; what crosses crates (the CLI, the browser, Envoy, the fuzz
//! harness) is tested in `tests/`. Fixtures: `core/tests/testdata/vectors/` (reference vectors,
//! each case naming its upstream test) and the shared `tests/testdata/` ([`fixtures`]);
//! snapshots in `core/tests/it/snapshots/`, named `<module>__<case>.snap`.

// Test code: a panic is a failed test, and the helpers index into data they just built. The
// crate's lints hold the library (`Cargo.toml`, `[lints.clippy]`); `clippy.toml` allows these
// inside `#[test]` functions only, not in this binary's helpers.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

mod common;
mod fixtures;

mod aibrix_gen_a;
mod aibrix_releases;
mod analysis;
mod config_fixtures;
mod explain;
mod hpa_conversion;
mod knobs;
mod kserve;
mod multi_metric;
mod no_panic;
mod properties;
mod quantity;
mod samples_errors;
mod samples_import;
mod samples_perf;
mod upstream;
mod vectors_aibrix;
mod vectors_aibrix_v04;
mod vectors_hpa;
mod vectors_keda;
mod vectors_keda_fallback;
mod vectors_keda_job;
mod vectors_knative;
