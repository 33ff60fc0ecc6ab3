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

use crate::host::{self, Buffer, Headers, MetricKind};
use crate::root::Shared;
use std::cell::Cell;
use std::hint::black_box;
use std::rc::Rc;

thread_local! {
    /// The probe's metric id (defined at the first request of the VM).
    static METRIC: Cell<Option<u32>> = const { Cell::new(None) };
}

fn metric(kind: MetricKind, name: &str) -> Option<u32> {
    METRIC.with(|m| {
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
        if cfg!(feature = "probe-floor") {
            black_box(host::property(&["xds", "cluster_name"]));
            self.start_ms = host::now_ms().unwrap_or(0);
        }
    }

    pub fn on_request_body(&mut self, body_size: usize, _end_of_stream: bool) {
        if cfg!(feature = "probe-floor") {
            black_box(host::buffer(Buffer::RequestBody, 0, body_size));
        }
    }

    pub fn on_response_headers(&mut self, _num_headers: usize, _end_of_stream: bool) {
        if cfg!(feature = "probe-floor") {
            black_box(host::header_pairs(Headers::Response));
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
    }

    pub fn on_log(&mut self) {
        if cfg!(feature = "probe-count") {
            if let Some(id) = metric(MetricKind::Counter, "scalelens_probe_requests") {
                host::increment_metric(id, 1);
            }
        }
    }

    pub fn on_request_trailers(&mut self) {}

    pub fn on_response_trailers(&mut self) {}

    pub fn on_done(&mut self) {}
}
