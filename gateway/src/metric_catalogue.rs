//! The gateway's metric catalogue, as data.
//!
//! Names follow the Prometheus naming conventions (prometheus.io/docs/practices/naming): a
//! `scalelens_gateway_` prefix, the unit as a suffix, `_total` on counters, `_ratio` for 0–1
//! values (never percent).
//!
//! **Histogram unit.** Envoy's proxy-wasm `record_metric` takes an integer (`u64`) and records
//! it as is (`source/extensions/common/wasm/context.cc` `Context::recordMetric`:
//! `histogram->recordValue(value)`; a gauge's `record_metric` is a `set`, last writer wins, so
//! cross-worker gauges use `increment_metric`). Envoy exports the values with its default
//! bucket bounds
//! (`stats_config.histogram_bucket_settings`, default 0.5, 1, 5, 10, 25, 50, 100, 250, 500,
//! 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000). Seconds as
//! integers would lose everything below a second, so the histograms are recorded in whole
//! **milliseconds** and their names say so (`_milliseconds`), which keeps the unit explicit and
//! the default buckets meaningful (they are Envoy's own millisecond buckets, e.g.
//! `upstream_rq_time`). [`RequestSignals`](crate::request::RequestSignals) reports seconds as
//! `f64`; [`histogram_value`] converts. The plugin's Envoy test checks the exported buckets.
//!
//! **Labels.** Envoy stats have no labels; a label is a `.key.value` segment of the metric name,
//! turned back into a Prometheus label by a `stats_config.stats_tags` regex
//! ([`STATS_TAGS`]). Envoy prefixes custom wasm metrics with `wasmcustom.` and strips that
//! namespace in the Prometheus output. Label values are bounded (the configured cluster label or
//! Envoy cluster names, the model allow-list plus `other`/`unknown`, fixed class sets, at most
//! `max_endpoints` upstream endpoints per cluster and worker plus `other`) and
//! sanitized to `[A-Za-z0-9_-]`, at most [`LABEL_VALUE_MAX`] bytes: every distinct name lives
//! forever in Envoy.

use core::fmt;

/// Metric types (Envoy `MetricType`: Counter, Gauge, Histogram).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricType {
    Counter,
    Gauge,
    Histogram,
}

/// Labels, in the order they appear in an Envoy metric name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    /// Upstream cluster (`cluster_label`, or Envoy's `xds.cluster_name`).
    Cluster,
    /// Model label (allow-listed name, `other`, `unknown`).
    Model,
    /// Error class: [`ErrorClass`](crate::request::ErrorClass) (`5xx`, `reset`,
    /// `client_cancel`, `local`, `stream`).
    Class,
    /// Where a malformed body was seen: `request`, `response`, `sse`.
    Kind,
    /// Why a body was not inspected: [`Uninspected`](crate::request::Uninspected)
    /// (`request_too_large`, `response_too_large`).
    Reason,
    /// Upstream endpoint (Envoy's `upstream.address`, `ip:port` sanitized: `10_0_0_7_8000`),
    /// the first `max_endpoints` per worker, the rest `other`.
    Endpoint,
}

impl Label {
    /// The label's key (the `.key.value` name segment and the Prometheus label name); public
    /// for the docs site's metric table.
    pub fn key(self) -> &'static str {
        match self {
            Label::Cluster => "cluster",
            Label::Model => "model",
            Label::Class => "class",
            Label::Kind => "kind",
            Label::Reason => "reason",
            Label::Endpoint => "endpoint",
        }
    }
}

/// One metric of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetricDef {
    pub name: &'static str,
    pub kind: MetricType,
    /// The unit (`requests`, `seconds`, `milliseconds`, `tokens`, `pods`, `1` for a flag).
    pub unit: &'static str,
    pub help: &'static str,
    pub labels: &'static [Label],
}

const CM: &[Label] = &[Label::Cluster, Label::Model];
const C: &[Label] = &[Label::Cluster];
const CE: &[Label] = &[Label::Cluster, Label::Endpoint];

pub const REQUESTS_TOTAL: MetricDef = MetricDef {
    name: "scalelens_gateway_requests_total",
    kind: MetricType::Counter,
    unit: "requests",
    help: "Requests that finished (completed, reset or answered locally).",
    labels: CM,
};
pub const IN_FLIGHT_REQUESTS: MetricDef = MetricDef {
    name: "scalelens_gateway_in_flight_requests",
    kind: MetricType::Gauge,
    unit: "requests",
    help: "Requests started and not yet finished (+1 at request headers, -1 when done).",
    labels: C,
};
pub const REQUEST_DURATION: MetricDef = MetricDef {
    name: "scalelens_gateway_request_duration_milliseconds",
    kind: MetricType::Histogram,
    unit: "milliseconds",
    help: "Time from request headers to the end of the response (or the reset).",
    labels: CM,
};
pub const TIME_TO_FIRST_TOKEN: MetricDef = MetricDef {
    name: "scalelens_gateway_time_to_first_token_milliseconds",
    kind: MetricType::Histogram,
    unit: "milliseconds",
    help: "Streaming responses: time from request headers to the first response body bytes.",
    labels: CM,
};
pub const TIME_PER_OUTPUT_TOKEN: MetricDef = MetricDef {
    name: "scalelens_gateway_time_per_output_token_milliseconds",
    kind: MetricType::Histogram,
    unit: "milliseconds",
    help: "Streaming responses: (end - first token) / (output tokens - 1), as vLLM's benchmark.",
    labels: CM,
};
pub const PROMPT_TOKENS_TOTAL: MetricDef = MetricDef {
    name: "scalelens_gateway_prompt_tokens_total",
    kind: MetricType::Counter,
    unit: "tokens",
    help: "Prompt tokens from `usage.prompt_tokens` of responses.",
    labels: CM,
};
pub const COMPLETION_TOKENS_TOTAL: MetricDef = MetricDef {
    name: "scalelens_gateway_completion_tokens_total",
    kind: MetricType::Counter,
    unit: "tokens",
    help: "Completion tokens from `usage.completion_tokens` (or content chunks when absent), credited as a stream runs.",
    labels: CM,
};
pub const ERRORS_TOTAL: MetricDef = MetricDef {
    name: "scalelens_gateway_errors_total",
    kind: MetricType::Counter,
    unit: "requests",
    help: "Failed requests by class: 5xx (upstream status), reset (cut upstream), client_cancel (the client left before the end), local (Envoy's local reply), stream (an error event in an SSE stream).",
    labels: &[Label::Cluster, Label::Model, Label::Class],
};
pub const MALFORMED_BODIES_TOTAL: MetricDef = MetricDef {
    name: "scalelens_gateway_malformed_bodies_total",
    kind: MetricType::Counter,
    unit: "bodies",
    help: "Bodies or SSE events that could not be read (bad or cut JSON, oversize SSE event).",
    labels: &[Label::Cluster, Label::Kind],
};
pub const UNINSPECTED_TOTAL: MetricDef = MetricDef {
    name: "scalelens_gateway_uninspected_total",
    kind: MetricType::Counter,
    unit: "bodies",
    help: "Bodies not inspected, by reason: request_too_large (model not found within max_body_bytes), response_too_large (JSON response over max_body_bytes: usage lost).",
    labels: &[Label::Cluster, Label::Reason],
};
pub const STABLE_CONCURRENCY: MetricDef = MetricDef {
    name: "scalelens_gateway_stable_concurrency",
    kind: MetricType::Gauge,
    unit: "requests",
    help: "Average in-flight requests over the stable window (Knative KPA window), rounded.",
    labels: C,
};
pub const PANIC_CONCURRENCY: MetricDef = MetricDef {
    name: "scalelens_gateway_panic_concurrency",
    kind: MetricType::Gauge,
    unit: "requests",
    help: "Average in-flight requests over the panic window (Knative KPA window), rounded.",
    labels: C,
};
pub const TOKENS_PER_SECOND: MetricDef = MetricDef {
    name: "scalelens_gateway_tokens_per_second",
    kind: MetricType::Gauge,
    unit: "tokens per second",
    help: "Completion tokens per second averaged over the stable window, rounded.",
    labels: C,
};
pub const DESIRED_PODS: MetricDef = MetricDef {
    name: "scalelens_gateway_desired_pods",
    kind: MetricType::Gauge,
    unit: "pods",
    help: "Pods Knative's KPA would want for the configured target.",
    labels: C,
};
pub const PANIC_MODE: MetricDef = MetricDef {
    name: "scalelens_gateway_panic_mode",
    kind: MetricType::Gauge,
    unit: "1",
    help: "1 while the KPA decider is in panic mode, else 0.",
    labels: C,
};

/// Per endpoint (only with `max_endpoints` > 0): the load each pod behind a cluster gets.
pub const ENDPOINT_REQUESTS_TOTAL: MetricDef = MetricDef {
    name: "scalelens_gateway_endpoint_requests_total",
    kind: MetricType::Counter,
    unit: "requests",
    help: "Requests finished per upstream endpoint (pod), as Envoy chose it.",
    labels: CE,
};

pub const ENDPOINT_COMPLETION_TOKENS_TOTAL: MetricDef = MetricDef {
    name: "scalelens_gateway_endpoint_completion_tokens_total",
    kind: MetricType::Counter,
    unit: "tokens",
    help: "Completion tokens per upstream endpoint (pod), as for completion_tokens_total.",
    labels: CE,
};

/// Every metric the filter defines.
pub const CATALOGUE: &[MetricDef] = &[
    REQUESTS_TOTAL,
    IN_FLIGHT_REQUESTS,
    REQUEST_DURATION,
    TIME_TO_FIRST_TOKEN,
    TIME_PER_OUTPUT_TOKEN,
    PROMPT_TOKENS_TOTAL,
    COMPLETION_TOKENS_TOTAL,
    ERRORS_TOTAL,
    MALFORMED_BODIES_TOTAL,
    UNINSPECTED_TOTAL,
    STABLE_CONCURRENCY,
    PANIC_CONCURRENCY,
    TOKENS_PER_SECOND,
    DESIRED_PODS,
    PANIC_MODE,
    ENDPOINT_REQUESTS_TOTAL,
    ENDPOINT_COMPLETION_TOKENS_TOTAL,
];

/// Envoy gauges are integers (`record_metric(id, u64)`): averages are exported rounded to the
/// nearest whole unit, so the name's unit stays true (requests, tokens per second). The loss
/// (< 0.5) is far below what the KPA's `ceil(observed / target)` resolves at useful targets;
/// `desired_pods` and `panic_mode` are exact.
pub fn gauge_value(x: f64) -> u64 {
    if x.is_finite() && x > 0.0 {
        let v = x.round();
        if v >= u64::MAX as f64 {
            u64::MAX
        } else {
            v as u64
        }
    } else {
        0
    }
}

/// Seconds as the integer a histogram records: whole milliseconds, rounded, ≥ 0, NaN → 0.
pub fn histogram_value(seconds: f64) -> u64 {
    if seconds.is_finite() && seconds > 0.0 {
        let ms = (seconds * 1000.0).round();
        if ms >= u64::MAX as f64 {
            u64::MAX
        } else {
            ms as u64
        }
    } else {
        0
    }
}

/// Longest label value kept.
pub const LABEL_VALUE_MAX: usize = 64;

/// A sanitized label value in a fixed buffer.
#[derive(Clone, Copy)]
pub struct LabelValue {
    buf: [u8; LABEL_VALUE_MAX],
    len: usize,
}

impl LabelValue {
    pub fn as_str(&self) -> &str {
        // Only ASCII bytes are ever written.
        core::str::from_utf8(self.buf.get(..self.len).unwrap_or(&[])).unwrap_or("")
    }
}

impl fmt::Debug for LabelValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

/// Keep `[A-Za-z0-9_-]`, replace any other character by `_` (one per character), cut at
/// [`LABEL_VALUE_MAX`] bytes; empty → `unknown`. A `.` would split the Envoy name's segments.
pub fn sanitize_label_value(s: &str) -> LabelValue {
    let mut out = LabelValue {
        buf: [0; LABEL_VALUE_MAX],
        len: 0,
    };
    // One byte per character, until the buffer is full.
    for (slot, ch) in out.buf.iter_mut().zip(s.chars()) {
        *slot = if ch.is_ascii_alphanumeric() || ch == '_' || ch == '-' {
            ch as u8
        } else {
            b'_'
        };
        out.len += 1;
    }
    if out.len == 0 {
        out.buf[..7].copy_from_slice(b"unknown");
        out.len = 7;
    }
    out
}

/// Longest Envoy metric name built here.
pub(crate) const NAME_MAX: usize = 256;

/// An Envoy metric name in a fixed buffer.
#[derive(Clone, Copy)]
pub struct NameBuf {
    buf: [u8; NAME_MAX],
    len: usize,
}

impl NameBuf {
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(self.buf.get(..self.len).unwrap_or(&[])).unwrap_or("")
    }

    fn push(&mut self, s: &str) {
        for &b in s.as_bytes() {
            if let Some(slot) = self.buf.get_mut(self.len) {
                *slot = b;
                self.len += 1;
            }
        }
    }
}

impl fmt::Debug for NameBuf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

/// The Envoy metric name for `def` with one value per label of `def.labels`, in order:
/// `scalelens_gateway_requests_total.cluster.<c>.model.<m>`. Values are sanitized; a missing
/// value is `unknown`. Allocation-free.
pub fn envoy_name(def: &MetricDef, values: &[&str]) -> NameBuf {
    let mut n = NameBuf {
        buf: [0; NAME_MAX],
        len: 0,
    };
    n.push(def.name);
    for (i, l) in def.labels.iter().enumerate() {
        n.push(".");
        n.push(l.key());
        n.push(".");
        let v = sanitize_label_value(values.get(i).copied().unwrap_or(""));
        n.push(v.as_str());
    }
    n
}

/// `stats_config.stats_tags` entries (`tag_name`, `regex`) that turn the `.key.value` segments
/// back into Prometheus labels. Envoy's tag extraction (`config.metrics.v3.TagSpecifier`; the
/// built-in extractors in `source/common/config/well_known_names.cc`, e.g.
/// `_rq(_(\d{3}))$`): the first capture group is removed from the name, the second is the tag
/// value. Custom wasm metric names start with `wasmcustom.`. Labels always come in the order of
/// [`MetricDef::labels`] (cluster first), and the segments before a label are optional in its
/// regex, so each regex matches the same segment whether Envoy applies the extractors to the
/// original name or to the name with earlier tags already removed, and a value equal to a key
/// (a cluster named `model`) cannot be mistaken for that key (checked for both application
/// orders with a regex engine while writing them; the plugin's Envoy test is the real check):
///
/// ```yaml
/// stats_config:
///   stats_tags:
///   - tag_name: cluster
///     regex: '^wasmcustom\.scalelens_gateway_[a-z_]+(\.cluster\.([A-Za-z0-9_-]+))'
///   # ... one entry per STATS_TAGS row
/// ```
pub const STATS_TAGS: &[(&str, &str)] = &[
    (
        "cluster",
        r"^wasmcustom\.scalelens_gateway_[a-z_]+(\.cluster\.([A-Za-z0-9_-]+))",
    ),
    (
        "model",
        r"^wasmcustom\.scalelens_gateway_[a-z_]+(?:\.cluster\.[A-Za-z0-9_-]+)?(\.model\.([A-Za-z0-9_-]+))",
    ),
    (
        "class",
        r"^wasmcustom\.scalelens_gateway_[a-z_]+(?:\.cluster\.[A-Za-z0-9_-]+)?(?:\.model\.[A-Za-z0-9_-]+)?(\.class\.([A-Za-z0-9_-]+))",
    ),
    (
        "kind",
        r"^wasmcustom\.scalelens_gateway_[a-z_]+(?:\.cluster\.[A-Za-z0-9_-]+)?(\.kind\.([A-Za-z0-9_-]+))",
    ),
    (
        "reason",
        r"^wasmcustom\.scalelens_gateway_[a-z_]+(?:\.cluster\.[A-Za-z0-9_-]+)?(\.reason\.([A-Za-z0-9_-]+))",
    ),
    (
        "endpoint",
        r"^wasmcustom\.scalelens_gateway_[a-z_]+(?:\.cluster\.[A-Za-z0-9_-]+)?(\.endpoint\.([A-Za-z0-9_-]+))",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_conventions() {
        for m in CATALOGUE {
            assert!(m.name.starts_with("scalelens_gateway_"), "{}", m.name);
            assert!(
                m.name.bytes().all(|c| c.is_ascii_lowercase() || c == b'_'),
                "{}",
                m.name
            );
            match m.kind {
                MetricType::Counter => assert!(m.name.ends_with("_total"), "{}", m.name),
                MetricType::Histogram => assert!(m.name.ends_with("_milliseconds"), "{}", m.name),
                MetricType::Gauge => assert!(!m.name.ends_with("_total"), "{}", m.name),
            }
            assert!(m.labels.first() == Some(&Label::Cluster), "{}", m.name);
        }
        let mut names: Vec<&str> = CATALOGUE.iter().map(|m| m.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), CATALOGUE.len());
    }

    #[test]
    fn envoy_names() {
        assert_eq!(
            envoy_name(&REQUESTS_TOTAL, &["vllm", "meta-llama/Llama-3.1-8B"]).as_str(),
            "scalelens_gateway_requests_total.cluster.vllm.model.meta-llama_Llama-3_1-8B"
        );
        assert_eq!(
            envoy_name(&ERRORS_TOTAL, &["a.b", "", "5xx"]).as_str(),
            "scalelens_gateway_errors_total.cluster.a_b.model.unknown.class.5xx"
        );
        assert_eq!(sanitize_label_value("é").as_str(), "_");
        assert_eq!(sanitize_label_value(&"x".repeat(100)).as_str().len(), 64);
    }

    #[test]
    fn every_label_has_a_stats_tag_with_two_groups() {
        for m in CATALOGUE {
            for l in m.labels {
                let (_, re) = STATS_TAGS
                    .iter()
                    .find(|(t, _)| *t == l.key())
                    .expect("a stats tag per label");
                let groups = re.matches('(').count() - re.matches("(?:").count();
                assert_eq!(groups, 2, "{re}");
                assert!(re.contains(&format!(r"(\.{}\.(", l.key())), "{re}");
            }
        }
    }

    #[test]
    fn conversions() {
        assert_eq!(histogram_value(0.0125), 13);
        assert_eq!(histogram_value(f64::NAN), 0);
        assert_eq!(histogram_value(-1.0), 0);
        assert_eq!(gauge_value(2.5), 3);
        assert_eq!(gauge_value(2.4), 2);
        assert_eq!(gauge_value(f64::INFINITY), 0);
    }
}
