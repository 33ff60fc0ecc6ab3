//! The HTTP context: maps Envoy's stream callbacks onto the gateway's [`RequestSignals`] and turns the
//! [`Signals`] it returns into metric updates.
//!
//! Never breaks traffic: every callback returns `Continue` (bodies are never paused or
//! buffered), nothing is modified except the optional `x-scalelens-*` debug response headers,
//! and no header value or body byte is ever logged. Only the body bytes the state machine reads
//! are copied into the VM, in windows of at most the scratch region's size.
//!
//! In-flight balance: `+1` when the request headers arrive, `-1` exactly once at the first of
//! `on_log`/`on_done` (Envoy calls both for every stream: completion, reset, timeout, local
//! reply). The outcome is: a local reply when the status is an error (or absent) and Envoy's
//! `response.code_details` is not `via_upstream`, completed when the response body ended, else
//! a client cancel when `response.code_details` says the client went away
//! ([`scalelens_gateway::cut_by_client`]: read only for a cut stream), else reset; the state
//! machine turns a cut after a complete SSE stream back into a completion.

use crate::host::{self, Buffer, Headers, HostBytes};
use crate::memory::SCRATCH_BYTES;
use crate::root::{Shared, MAX_CLUSTERS};
use crate::stats::{self, RequestIds};
use scalelens_gateway::filter_config::ModelLabel;
use scalelens_gateway::metric_catalogue::{
    self as m, histogram_value, sanitize_label_value, LabelValue,
};
use scalelens_gateway::request::{cut_by_client, Outcome, RequestSignals, Signals};
use std::rc::Rc;

/// Cluster label when Envoy has not chosen an upstream cluster (no route).
const NO_CLUSTER: &str = "unknown";
/// Cluster label shared by the clusters past [`MAX_CLUSTERS`].
const OVERFLOW_CLUSTER: &str = "other";

pub struct Http {
    shared: Option<Rc<Shared>>,
    /// From the VM's pool (returned there when the request finishes); boxed, so taking it from
    /// the pool and giving it back moves a pointer, not the state machine's kilobyte.
    signals: Option<Box<RequestSignals>>,
    /// The cluster label, fixed at request headers so `+1` and `-1` hit the same gauge (a
    /// fixed buffer: no allocation per request).
    cluster: LabelValue,
    /// The cluster's slot in the VM's id cache.
    slot: usize,
    /// The request metrics of (this cluster, a model label), looked up once per request
    /// rather than at every SSE chunk that credits tokens.
    ids: Option<(ModelLabel, RequestIds)>,
    started: bool,
    finished: bool,
    response_ended: bool,
    local_reply: bool,
    /// The last clock reading (ms).
    last_ms: u64,
}

fn now_ms() -> u64 {
    host::now_ms().unwrap_or(0)
}

/// A property as a sanitized label value (cluster name, upstream address).
fn label_property(path: &[&str]) -> Option<LabelValue> {
    host::property(path).and_then(|b| std::str::from_utf8(&b).ok().map(sanitize_label_value))
}

/// A token or request count as a counter increment.
fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Read the first `wanted` bytes of a body chunk in windows of at most [`SCRATCH_BYTES`]
/// (each lands in the VM's scratch region, so a chunk of any size costs the VM no more
/// memory), handing each window to `f` with whether it is the last. The state machine reads
/// any cut of a body, so windows give what the whole chunk gives.
fn read_windows(which: Buffer, wanted: usize, mut f: impl FnMut(&[u8], bool)) {
    let mut start = 0;
    while start < wanted {
        let len = (wanted - start).min(SCRATCH_BYTES);
        let window = host::buffer(which, start, len).unwrap_or_default();
        start += len;
        f(&window, start >= wanted);
    }
}

impl Http {
    pub fn new(shared: Option<Rc<Shared>>) -> Http {
        Http {
            shared,
            signals: None,
            cluster: sanitize_label_value(NO_CLUSTER),
            slot: 0,
            ids: None,
            started: false,
            finished: false,
            response_ended: false,
            local_reply: false,
            last_ms: 0,
        }
    }

    /// Apply the metric updates of one call: the frequent ones through ids cached per
    /// (cluster, model), errors and malformed bodies (rare) by name.
    fn apply(&mut self, s: Signals) {
        let Some(shared) = self.shared.as_ref() else {
            return;
        };
        let config = &shared.config;
        let mut stats = shared.stats.borrow_mut();
        let slot = self.slot;
        let label = s.model.unwrap_or(ModelLabel::Unknown);
        if s.started {
            stats.in_flight(slot, 1);
            self.started = true;
        }
        let ids = if s.ttft_seconds.is_some() || s.finished.is_some() || s.completion_tokens > 0 {
            match self.ids {
                Some((l, ids)) if l == label => Some(ids),
                _ => {
                    let ids = stats.request_ids(slot, label, config);
                    self.ids = ids.map(|ids| (label, ids));
                    ids
                }
            }
        } else {
            None
        };
        if let (Some(ttft), Some(ids)) = (s.ttft_seconds, ids) {
            stats::record(ids.ttft, histogram_value(ttft));
        }
        // Completion tokens as they stream (and the rest at the end).
        if let Some(ids) = ids {
            stats.add_later(ids.completion_tokens, count(s.completion_tokens));
        }
        // Malformed and uninspected bodies are rare: the cluster label is read only for them.
        for (kind, n) in s.malformed.counts() {
            let labels = [self.cluster.as_str(), kind];
            stats.add(&m::MALFORMED_BODIES_TOTAL, &labels, i64::from(n));
        }
        if let Some(reason) = s.uninspected {
            stats.add(
                &m::UNINSPECTED_TOTAL,
                &[self.cluster.as_str(), reason.label()],
                1,
            );
        }
        let Some(f) = s.finished else {
            return;
        };
        if self.started {
            stats.in_flight(slot, -1);
            self.started = false;
        }
        if let Some(ids) = ids {
            stats.add_later(ids.requests, 1);
            stats.add_later(ids.prompt_tokens, count(f.prompt_tokens));
            stats::record(ids.duration, histogram_value(f.duration_seconds));
            if let Some(tpot) = f.time_per_output_token_seconds {
                stats::record(ids.tpot, histogram_value(tpot));
            }
        }
        if let Some(class) = f.error {
            let model = config.model_label_value(label);
            let labels = [self.cluster.as_str(), model, class.label()];
            stats.add(&m::ERRORS_TOTAL, &labels, 1);
        }
        // Per endpoint (opt-in): where Envoy sent the request, if it reached an upstream.
        if config.max_endpoints > 0 {
            let ids = label_property(&["upstream", "address"])
                .and_then(|e| stats.endpoint_ids(slot, e.as_str(), config.max_endpoints));
            if let Some(ids) = ids {
                stats.add_later(ids.requests, 1);
                stats.add_later(ids.completion_tokens, count(f.completion_tokens));
            }
        }
    }

    /// The first of `on_log`/`on_done`: finish the request once.
    fn finish(&mut self) {
        if self.finished {
            return;
        }
        self.finished = true;
        let outcome = if self.local_reply {
            Outcome::LocalReply
        } else if self.response_ended {
            Outcome::Completed
        } else if host::property(&["response", "code_details"]).is_some_and(|d| cut_by_client(&d)) {
            Outcome::ClientCancel
        } else {
            Outcome::Reset
        };
        // After the response ended the state machine uses that end time: no clock read.
        let now = if self.response_ended {
            self.last_ms
        } else {
            now_ms()
        };
        if let Some(s) = self.signals.as_mut().map(|r| r.on_done(now, outcome)) {
            self.apply(s);
        }
        if let (Some(shared), Some(signals)) = (self.shared.as_ref(), self.signals.take()) {
            shared.recycle(signals);
        }
    }

    /// The request's cluster label and slot: the configured `cluster_label`, else Envoy's
    /// upstream cluster (one property read per request; its label and slot are the last
    /// request's when the name is the same). Past `MAX_CLUSTERS` distinct clusters, the rest
    /// share one `other` label (bounded label values: every distinct metric name lives
    /// forever in Envoy).
    fn set_cluster(&mut self, shared: &Shared) {
        let property = match &shared.config.cluster_label {
            Some(_) => None,
            None => host::property(&["xds", "cluster_name"]),
        };
        let raw: &[u8] = property.as_deref().unwrap_or_default();
        let mut stats = shared.stats.borrow_mut();
        if let Some((label, slot)) = stats.last_cluster(raw) {
            (self.cluster, self.slot) = (label, slot);
            return;
        }
        self.cluster = match &shared.config.cluster_label {
            Some(label) => sanitize_label_value(label),
            None => std::str::from_utf8(raw)
                .ok()
                .filter(|_| property.is_some())
                .map_or_else(|| sanitize_label_value(NO_CLUSTER), sanitize_label_value),
        };
        self.slot = match stats.cluster_slot(self.cluster.as_str(), MAX_CLUSTERS) {
            Some(slot) => slot,
            None => {
                self.cluster = sanitize_label_value(OVERFLOW_CLUSTER);
                stats.overflow_slot(OVERFLOW_CLUSTER)
            }
        };
        // Once per VM and cluster (retried by the next request until confirmed).
        if stats.needs_registration(self.slot) && shared.register_cluster(self.cluster.as_str()) {
            stats.set_registered(self.slot);
        }
        if !stats.needs_registration(self.slot) {
            stats.remember_cluster(raw, self.cluster, self.slot);
        }
    }
}

/// The ABI callbacks (see [`crate::abi`]); every one lets traffic continue.
impl Http {
    pub fn on_done(&mut self) {
        self.finish();
    }

    pub fn on_request_headers(&mut self, _num_headers: usize, end_of_stream: bool) {
        let Some(shared) = self.shared.clone() else {
            return;
        };
        self.set_cluster(&shared);
        // Bodies are inspected for requests that have one (the OpenAI API's POSTs) on a listed
        // route; the method itself is not read, nor the path of a request without a body (one
        // host call less each).
        let method: &[u8] = if end_of_stream { b"GET" } else { b"POST" };
        let path = if end_of_stream {
            HostBytes::empty()
        } else {
            host::header(Headers::Request, ":path").unwrap_or_default()
        };
        let mut signals = shared.request();
        self.last_ms = now_ms();
        let s = signals.on_request_headers(self.last_ms, &path, method);
        self.signals = Some(signals);
        self.apply(s);
    }

    pub fn on_request_body(&mut self, body_size: usize, end_of_stream: bool) {
        let Some(signals) = self.signals.as_mut() else {
            return;
        };
        // Only what the state machine reads is copied into the VM (nothing once the model and
        // `stream` are known, at most `max_body_bytes` + 1), window by window.
        let wanted = signals.request_body_wanted(body_size);
        if wanted == 0 {
            // An empty last chunk still ends the body (a cut JSON body is malformed).
            if end_of_stream {
                let s = signals.on_request_body(&[], true);
                self.apply(s);
            }
            return;
        }
        read_windows(Buffer::RequestBody, wanted, |chunk, last| {
            if let Some(signals) = self.signals.as_mut() {
                let s = signals.on_request_body(chunk, end_of_stream && last);
                self.apply(s);
            }
        });
    }

    /// Request trailers end the request body (no body chunk then says `end_of_stream`).
    pub fn on_request_trailers(&mut self) {
        self.on_request_body(0, true);
    }

    pub fn on_response_headers(&mut self, _num_headers: usize, end_of_stream: bool) {
        let Some(signals) = self.signals.as_mut() else {
            return;
        };
        // The state machine takes no time from the response headers (the first token comes
        // with the first body chunk): the clock is read only when the response ends here.
        let now = if end_of_stream {
            now_ms()
        } else {
            self.last_ms
        };
        self.last_ms = now;
        // Status and content type in one host call.
        let pairs = host::header_pairs(Headers::Response).unwrap_or_default();
        let status = host::find_header(&pairs, ":status")
            .and_then(|v| std::str::from_utf8(v).ok()?.parse::<u16>().ok())
            .unwrap_or(0);
        let content_type = host::find_header(&pairs, "content-type").unwrap_or_default();
        // Envoy's local replies (no route, no healthy upstream, timeouts, overflow) are errors:
        // only then is the (slower) property read.
        self.local_reply = (status == 0 || status >= 400)
            && host::property(&["response", "code_details"])
                .is_some_and(|d| *d != *b"via_upstream");
        let mut s = signals.on_response_headers(now, status, content_type);
        if end_of_stream {
            self.response_ended = true;
            let end = signals.on_response_body(now, &[], true);
            s.malformed = end.malformed;
        }
        let model = signals.model();
        self.apply(s);
        if let Some(shared) = self.shared.as_ref().filter(|s| s.config.debug_headers) {
            host::add_header(
                Headers::Response,
                "x-scalelens-model",
                shared.config.model_label_value(model),
            );
            host::add_header(
                Headers::Response,
                "x-scalelens-cluster",
                self.cluster.as_str(),
            );
        }
    }

    pub fn on_response_body(&mut self, body_size: usize, end_of_stream: bool) {
        let Some(signals) = self.signals.as_mut() else {
            return;
        };
        if end_of_stream {
            self.response_ended = true;
        }
        // Mid-stream chunks need no clock (one host call less per SSE chunk).
        if signals.response_body_needs_clock(end_of_stream) {
            self.last_ms = now_ms();
        }
        let now = self.last_ms;
        let wanted = signals.response_body_wanted(body_size);
        if wanted == 0 {
            // Not read (route not inspected, not JSON/SSE, past the limit): the body is never
            // copied into the VM; a one-byte marker tells the state machine that a non-empty
            // chunk arrived (first byte, end of response).
            let marker: &[u8] = if body_size > 0 { b" " } else { b"" };
            let s = signals.on_response_body(now, marker, end_of_stream);
            self.apply(s);
            return;
        }
        read_windows(Buffer::ResponseBody, wanted, |chunk, last| {
            if let Some(signals) = self.signals.as_mut() {
                let s = signals.on_response_body(now, chunk, end_of_stream && last);
                self.apply(s);
            }
        });
    }

    /// Response trailers end the response (its last body chunk did not say
    /// `end_of_stream`): as an empty last chunk, so the request completes instead of counting
    /// as reset and a JSON body is finished.
    pub fn on_response_trailers(&mut self) {
        if !self.response_ended {
            self.on_response_body(0, true);
        }
    }

    pub fn on_log(&mut self) {
        self.finish();
    }
}
