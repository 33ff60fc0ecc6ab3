//! The gateway logic's tests, one binary (one link) with a module per concern:
//!
//! - [`config`]: configuration errors, each with its JSON path, line:column and message;
//! - [`load`]: the load aggregator against Knative's reference vectors;
//! - [`request`]: the per-request state machine, scenario by scenario;
//! - [`sse`], [`usage`]: realistic vLLM bodies under every 2-way (and 3-way) split;
//! - [`props`], [`glue_props`]: property tests (never panics, chunking-independent, the glue's
//!   shortcuts change nothing);
//! - [`alloc`]: the per-request path makes no heap allocation (this binary's global allocator
//!   counts per thread, so the other modules' tests do not disturb its counts).
//!
//! What crosses crates (the filter in a real Envoy) stays in `tests/tests/gateway_envoy.rs`.

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

mod alloc;
mod config;
mod glue_props;
mod load;
mod props;
mod request;
mod sse;
mod usage;

use std::path::PathBuf;

/// A body fixture from `gateway/tests/testdata/` (described in its README).
pub(crate) fn data(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/testdata")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// A reference-vector file shared with core's tests (`core/tests/testdata/vectors/`, each naming
/// its upstream test): one copy, read from where the core tests keep it.
pub(crate) fn vectors_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../core/tests/testdata/vectors")
        .join(name)
}
