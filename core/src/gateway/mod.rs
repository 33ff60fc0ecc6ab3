//! Load signals for LLM backends, computed at the gateway (the logic of the proxy-wasm filter
//! in `plugin/`, which is host glue only).
//!
//! - [`config`]: the plugin's JSON configuration, validated with positioned errors.
//! - [`json`]: an allocation-free push JSON tokenizer (bodies arrive in chunks).
//! - [`sse`]: `text/event-stream` chunks → complete `data` payloads, fixed buffer.
//! - [`usage`]: `usage` token counts, content-bearing chunks, request `model`/`stream`.
//! - [`request`]: the per-request state machine the HTTP context drives.
//! - [`load`]: the per-cluster windows (core's Knative windows) and the KPA recommendation
//!   (core's Knative decider), fed once per tick.
//! - [`metrics`]: the metric catalogue, Envoy metric names with label segments, `stats_tags`.
//!
//! **Invariant:** the per-request path ([`request::RequestSignals`]'s `on_*` methods and
//! `reset`) does not allocate and never panics; memory per request is fixed at construction
//! (the filter recycles requests, so it allocates none in steady state).
//! `tests/tests/gateway_alloc.rs` enforces it with a counting allocator; the scanning speed is
//! `cargo bench -p scalelens-tests --bench gateway_scan`.

mod bytes;
pub mod config;
pub mod json;
pub mod load;
pub mod metrics;
pub mod request;
pub mod sse;
pub mod usage;

pub use config::{ConfigError, GatewayConfig, ModelLabel, Target, TargetMetric};
pub use load::{Load, LoadAggregator, Recommendation};
pub use request::{ErrorClass, Finished, Malformed, Outcome, RequestSignals, Signals};
pub use sse::{SseEvent, SseScanner};
