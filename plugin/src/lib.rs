//! Scalelens gateway filter: a proxy-wasm (ABI 0.2.1) HTTP filter for Envoy that computes load
//! signals for LLM backends — in-flight requests, windowed concurrency, tokens, time to first
//! token, errors — and a desired-pods recommendation from core's Knative KPA maths (through
//! `scalelens_gateway`), exported as Envoy metrics for Prometheus (and so for a KEDA/HPA).
//!
//! Host glue only: the logic (configuration, SSE and JSON reading, the per-request state
//! machine, windows, decider, metric names) is `scalelens_gateway`.
//!
//! - [`abi`]: the ABI's entry points (`proxy_on_*`) and the table of contexts;
//! - [`host`]: the ABI calls, none of which can panic;
//! - `in_memory_host` (native builds only): the same calls answered from memory, so the glue's
//!   success paths are tested with `cargo test -p scalelens-plugin` (`plugin/tests/glue.rs`);
//! - [`memory`]: the allocator the host returns bytes through, and their owner;
//! - [`root`]: configuration (`on_configure`), the tick, aggregation across workers;
//! - [`http`]: per-request callbacks → `RequestSignals` → metric updates;
//! - [`lease`]: which VM aggregates (a lease in shared data);
//! - [`stats`]: metric ids, defined lazily per VM;
//! - `probe` (only with the `probe` feature, which `probe-count`, `probe-floor` and the
//!   `probe-call-*` features turn on, for the benchmark): HTTP
//!   contexts that measure the cost of counting alone and of the host calls alone.
//!
//! Beside the code: `plugin/envoy.yaml` is the documented working Envoy configuration (the
//! end-to-end tests in `tests/tests/gateway_envoy.rs` load that very file), `plugin/deploy/`
//! holds the Istio, Envoy Gateway, KEDA and HPA recipes (parsed and checked by tests), and
//! `plugin/stats_tags.py` regenerates the `stats_tags` blocks from the gateway's catalogue. The
//! `plugin-release` profile (workspace `Cargo.toml`, with its reasons) optimises the gateway and
//! core at `s` (the hot path) and the rest for size.
//!
//! Cost levers deliberately not taken: skipping the request body when no `models` allow-list
//! is configured would save one body read per request, but `malformed_bodies_total{kind=
//! "request"}` would then mean "only when models are listed"; the measured cost per request and
//! per SSE chunk is in the README ("Tests and benchmark").
//!
//! Build: `cargo build -p scalelens-plugin --target wasm32-wasip1 --profile plugin-release`.
//! On the host this crate builds too (for `cargo clippy`/`cargo test`), its host calls answered
//! by `in_memory_host`.

pub mod abi;
pub mod host;
pub mod http;
#[cfg(not(target_arch = "wasm32"))]
pub mod in_memory_host;
pub mod lease;
pub mod memory;
#[cfg(feature = "probe")]
pub mod probe;
pub mod root;
pub mod stats;
