//! One module per fuzz target, each with `run(data)`: what the target checks, in its doc.
//! `fuzz_targets/<name>.rs` hands libFuzzer's input to it; tests/tests/fuzz_regressions.rs
//! replays the inputs found on stable Rust.

pub mod config;
pub mod demand_csv;
pub mod gateway_config;
pub mod gateway_request_body;
pub mod gateway_response_body;
pub mod gateway_sse;
pub mod pipeline;
pub mod samples_csv;
pub mod samples_exposition;
pub mod samples_prometheus_json;

/// A target's `run`: panics on a finding.
pub type Run = fn(&[u8]);

/// Every target's name and its `run`, in the order `fuzz/Cargo.toml` lists them.
pub const ALL: &[(&str, Run)] = &[
    ("config", config::run),
    ("samples_csv", samples_csv::run),
    ("samples_prometheus_json", samples_prometheus_json::run),
    ("samples_exposition", samples_exposition::run),
    ("demand_csv", demand_csv::run),
    ("pipeline", pipeline::run),
    ("gateway_request_body", gateway_request_body::run),
    ("gateway_response_body", gateway_response_body::run),
    ("gateway_sse", gateway_sse::run),
    ("gateway_config", gateway_config::run),
];
