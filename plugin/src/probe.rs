//! Cost probes for the benchmark (`cargo xtask bench-plugin`), built only with a cargo feature
//! and never shipped: HTTP contexts that replace [`crate::http::Http`] to measure what parts
//! of the filter's work cost in Envoy, side by side with the filter in the same run.
//!
//! - `probe-count`: the "minimal counting filter": one counter `+1` per request (at
//!   `on_log`), nothing read.
//! - `probe-floor`: the host calls any filter computing the signals must make, and
//!   nothing else (no parsing, no state machine): the upstream cluster (a property), the
//!   clock at the request and at the end of the response, the request body (the model), the
//!   response status (a header read), every response body chunk (usage, token counts, error
//!   events live in the body) and one histogram sample (duration). Its cost is the floor of
//!   this design on this Envoy: what the ABI's host calls cost before any computation.
//! - `probe-call-*`: `probe-count` plus one kind of host call a plain `GET` makes, so that
//!   each one's cost is its probe's CPU per request above `probe-count`'s: `property` (the
//!   cluster name, at request headers), `clock` (the clock at request headers and at the
//!   response end), `pairs` (the response header map, the filter's one header read),
//!   `status` (`:status` alone by `proxy_get_header_map_value`, the alternative to the map),
//!   `histogram` (one histogram sample at the response end). Not built by `cargo xtask
//!   bench-plugin`; run as `BENCH_ONLY=rps BENCH_PROBES=a.wasm:b.wasm:… cargo bench -p
//!   scalelens-tests --bench gateway_plugin` (docs/src/gateway.md has the figures).

use crate::host::{self, Buffer, Headers, MetricKind};
use crate::root::Shared;
use std::cell::Cell;
use std::hint::black_box;
use std::rc::Rc;

thread_local! {
    /// The probes' metric ids, a counter and a histogram (each defined at its first use in
    /// the VM).
    static METRICS: [Cell<Option<u32>>; 2] = const { [Cell::new(None), Cell::new(None)] };
}

fn metric(kind: MetricKind, name: &str) -> Option<u32> {
    let which = usize::from(matches!(kind, MetricKind::Histogram));
    METRICS.with(|ms| {
        let m = ms.get(which)?;
        if m.get().is_none() {
            m.set(host::define_metric(kind, name));
        }
        m.get()
    })
}

/// A probe's HTTP context (same callbacks as [`crate::http::Http`]).
pub struct Probe {
    start_ms: u64,
}

impl Probe {
    pub fn new(_shared: Option<Rc<Shared>>) -> Probe {
        Probe { start_ms: 0 }
    }

    pub fn on_request_headers(&mut self, _num_headers: usize, _end_of_stream: bool) {
        if cfg!(any(
            feature = "probe-floor",
            feature = "probe-call-property"
        )) {
            black_box(host::property(&["xds", "cluster_name"]));
        }
        if cfg!(any(feature = "probe-floor", feature = "probe-call-clock")) {
            self.start_ms = host::now_ms().unwrap_or(0);
        }
    }

    pub fn on_request_body(&mut self, body_size: usize, _end_of_stream: bool) {
        if cfg!(feature = "probe-floor") {
            black_box(host::buffer(Buffer::RequestBody, 0, body_size));
        }
    }

    pub fn on_response_headers(&mut self, _num_headers: usize, _end_of_stream: bool) {
        if cfg!(any(feature = "probe-floor", feature = "probe-call-pairs")) {
            black_box(host::header_pairs(Headers::Response));
        }
        if cfg!(feature = "probe-call-status") {
            black_box(host::header(Headers::Response, ":status"));
        }
    }

    pub fn on_response_body(&mut self, body_size: usize, end_of_stream: bool) {
        if cfg!(feature = "probe-floor") {
            black_box(host::buffer(Buffer::ResponseBody, 0, body_size));
            if end_of_stream {
                let end = host::now_ms().unwrap_or(0);
                if let Some(id) = metric(MetricKind::Histogram, "scalelens_probe_duration") {
                    host::record_metric(id, end.saturating_sub(self.start_ms));
                }
            }
        }
        if end_of_stream {
            if cfg!(feature = "probe-call-clock") {
                black_box(host::now_ms());
            }
            if cfg!(feature = "probe-call-histogram") {
                if let Some(id) = metric(MetricKind::Histogram, "scalelens_probe_duration") {
                    host::record_metric(id, black_box(self.start_ms));
                }
            }
        }
    }

    pub fn on_log(&mut self) {
        if cfg!(any(
            feature = "probe-count",
            feature = "probe-call-property",
            feature = "probe-call-clock",
            feature = "probe-call-pairs",
            feature = "probe-call-status",
            feature = "probe-call-histogram"
        )) {
            if let Some(id) = metric(MetricKind::Counter, "scalelens_probe_requests") {
                host::increment_metric(id, 1);
            }
        }
    }

    pub fn on_request_trailers(&mut self) {}

    pub fn on_response_trailers(&mut self) {}

    pub fn on_done(&mut self) {}
}
