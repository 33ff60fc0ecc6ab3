//! Scalelens gateway: load signals for LLM backends, computed at the gateway. This is the logic
//! of the proxy-wasm filter in `plugin/`, which is host glue only (Kuadrant's split of filter
//! logic from its wasm shim). It depends on `scalelens-core` for the Knative windows and decider
//! (the same code the replay engine runs), Go durations and text clipping.
//!
//! - [`filter_config`]: the filter's JSON configuration, validated with positioned errors.
//! - [`json_scan`]: an allocation-free push JSON tokenizer (bodies arrive in chunks).
//! - [`sse`]: `text/event-stream` chunks → complete `data` payloads, fixed buffer.
//! - [`usage`]: `usage` token counts, content-bearing chunks, request `model`/`stream`.
//! - [`request`]: the per-request state machine the HTTP context drives.
//! - [`load`]: the per-cluster windows (core's Knative windows) and the KPA recommendation
//!   (core's Knative decider), fed once per tick.
//! - [`metric_catalogue`]: the metric catalogue, Envoy metric names with label segments,
//!   `stats_tags`.
//!
//! **Invariant:** the per-request path ([`request::RequestSignals`]'s `on_*` methods and
//! `reset`) does not allocate and never panics; memory per request is fixed at construction
//! (the filter recycles requests, so it allocates none in steady state).
//! `gateway/tests/it/alloc.rs` enforces it with a counting allocator; the scanning speed is
//! `cargo bench -p scalelens-tests --bench gateway_scan` (it shares
//! `tests/src/envoy.rs`'s body builders with the Envoy benchmark, so it stays in `tests/`).
//!
//! Like core: no I/O, no clocks, no threads; builds for the host and `wasm32-wasip1`.

mod bytes;
pub mod filter_config;
pub mod json_scan;
pub mod load;
pub mod metric_catalogue;
pub mod request;
pub mod sse;
pub mod usage;

pub use filter_config::{ConfigError, GatewayConfig, ModelLabel, Target, TargetMetric};
pub use load::{Load, LoadAggregator, Recommendation};
pub use request::{
    cut_by_client, ErrorClass, Finished, Malformed, Outcome, RequestSignals, Signals, Uninspected,
};
pub use sse::{SseEvent, SseScanner};
