//! The filter's JSON configuration (the proxy-wasm plugin configuration string).
//!
//! Every field is optional; the defaults are Knative Serving v1.20's `config-autoscaler`
//! defaults (`pkg/autoscaler/config/config.go` `defaultConfig()`) wherever the field has a
//! Knative counterpart, with Knative's validation ranges (`config.go` `validate()`,
//! `pkg/apis/autoscaling/register.go`):
//!
//! | field | default | rule (upstream) |
//! |---|---|---|
//! | `stable_window` | `"60s"` | Go duration in [6s, 1h], whole seconds (`stable-window`, `WindowMin`/`WindowMax`) |
//! | `panic_window_percentage` | `10.0` | [1, 100] (`panic-window-percentage`) |
//! | `panic_threshold_percentage` | `200.0` | [110, 1000] (the annotation's range, `register.go`: `upstream::knative::PANIC_THRESHOLD_PERCENTAGE_RANGE`) |
//! | `target.concurrency_per_pod` | `100` | ≥ 0.01 (`container-concurrency-target-default`, `TargetMin`) |
//! | `target.tokens_per_second_per_pod` | – | ≥ 0.01; replaces the concurrency target |
//! | `target.utilization_percentage` | `70` | [1, 100] (`container-concurrency-target-percentage`) |
//! | `max_scale_up_rate` | `1000` | > 1 (`max-scale-up-rate`) |
//! | `max_scale_down_rate` | `2` | > 1 (`max-scale-down-rate`) |
//! | `routes` | `["/v1/chat/completions", "/v1/completions"]` | path prefixes whose bodies are inspected (OpenAI API paths), 1–16, each starting with `/` |
//! | `models` | `[]` | allow-list of model names exported as label values (at most 32); others are `other` |
//! | `max_body_bytes` | `65536` | bytes of a request body / non-streaming response body inspected, [1024, 16 MiB] |
//! | `max_sse_event_bytes` | `16384` | largest SSE event kept (longer ones are counted malformed), [256, 1 MiB] |
//! | `debug_headers` | `false` | add `x-scalelens-*` response headers |
//! | `cluster_label` | – | label value for `cluster` instead of Envoy's cluster name, `[A-Za-z0-9_-]{1,64}` |
//! | `max_endpoints` | `0` | per-endpoint metrics for the first N upstream endpoints (pods) each worker sees, the rest labelled `other`; 0 = off, [0, 256] |
//!
//! The effective per-pod target is `max(0.01, value × utilization / 100)` (Knative
//! `ResolveMetricTarget`, `pkg/reconciler/autoscaling/resources/target.go`): 70 concurrent
//! requests per pod by default. A tokens-per-second target is treated like Knative's `rps`
//! metric (a rate summed over the revision, divided by a per-pod target).
//!
//! Errors name the field by its JSON path (`target.concurrency_per_pod`, `models[3]`), with the
//! line and column, in one line ([`ConfigError`]'s `Display`). Unknown fields are errors, with
//! the closest known name suggested. This runs once per `on_configure`; it may allocate.
//!
//! **Why not serde.** Measured 2026-12-07 (issue 12 item 7): the same fields read by
//! `serde` + `serde_json` derive (`deny_unknown_fields`), feeding the same range checks, make
//! the filter 221,813 B raw / 189,292 B after `wasm-opt -Oz` (binaryen 132), against 170,407 /
//! 144,274 B with this reader: +45 KB, 95 % of the 200 KB budget. And the errors lose what
//! makes them useful: `serde_json` keeps no position of a value, so range errors point at 1:1
//! instead of the value (`target.concurrency_per_pod` at 1:36), and an unknown key says
//! "unknown field" with no JSON path and no closest name (two of the four tests in
//! `gateway/tests/it/config.rs` fail). This reader reuses the hot path's tokenizer
//! ([`crate::json_scan`]), which the filter carries anyway.

use crate::json_scan::{self, Container, Event, Frame, KeyId, Path, Scalar, Visitor, KEY_OTHER};
use crate::metric_catalogue::{sanitize_label_value, LABEL_VALUE_MAX};
use core::fmt;
use core::fmt::Write as _;
use scalelens_core::algorithm::knative::decider::DeciderSpec;
use scalelens_core::algorithm::knative::{panic_window, SCRAPE_INTERVAL};
use scalelens_core::model::Millis;
use scalelens_core::text::edit_distance_within;
use scalelens_core::upstream::knative;

/// Default stable window: Knative `stable-window` 60 s (`config.go`).
pub(crate) const DEFAULT_STABLE_WINDOW: Millis = 60_000;
/// Knative `panic-window-percentage` default (`config.go`).
pub(crate) const DEFAULT_PANIC_WINDOW_PERCENTAGE: f64 = 10.0;
/// Knative `panic-threshold-percentage` default (`config.go`).
pub(crate) const DEFAULT_PANIC_THRESHOLD_PERCENTAGE: f64 = 200.0;
/// Knative `container-concurrency-target-default` (`config.go`).
pub(crate) const DEFAULT_CONCURRENCY_TARGET: f64 = 100.0;
/// Knative `container-concurrency-target-percentage` (`config.go`), in percent.
pub(crate) const DEFAULT_UTILIZATION_PERCENTAGE: f64 = 70.0;
/// Knative `max-scale-up-rate` default (`config.go`).
pub(crate) const DEFAULT_MAX_SCALE_UP_RATE: f64 = 1000.0;
/// Knative `max-scale-down-rate` default (`config.go`).
pub(crate) const DEFAULT_MAX_SCALE_DOWN_RATE: f64 = 2.0;
/// The OpenAI API's text-generation endpoints (platform.openai.com/docs/api-reference/chat,
/// `/completions`); vLLM's OpenAI-compatible server serves the same paths.
pub(crate) const DEFAULT_ROUTES: [&str; 2] = ["/v1/chat/completions", "/v1/completions"];
pub(crate) const DEFAULT_MAX_BODY_BYTES: usize = 65_536;
pub(crate) const DEFAULT_MAX_SSE_EVENT_BYTES: usize = 16_384;
/// Bounds of the label value sets (every label value combination is a metric that lives forever
/// in Envoy).
pub(crate) const MAX_MODELS: usize = 32;
pub(crate) const MAX_ROUTES: usize = 16;
/// Upper bound of `max_endpoints` (per worker; each endpoint costs two counters per cluster).
pub(crate) const MAX_ENDPOINTS: usize = 256;
const MAX_ROUTE_BYTES: usize = 128;
/// Knative `WindowMin` / `WindowMax` (`pkg/apis/autoscaling/register.go`).
const WINDOW_MIN: Millis = 6_000;
const WINDOW_MAX: Millis = 3_600_000;
/// Knative `TargetMin` (`register.go`).
const TARGET_MIN: f64 = 0.01;

/// What the recommendation scales on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetMetric {
    /// In-flight requests (Knative's `concurrency` metric).
    Concurrency,
    /// Completion tokens per second (like Knative's `rps`, with tokens for requests).
    TokensPerSecond,
}

/// The recommendation target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    pub metric: TargetMetric,
    /// Per-pod capacity as configured (Knative's `TotalValue`).
    pub per_pod: f64,
    /// Fraction in (0, 1] (Knative's `TargetUtilization`).
    pub utilization: f64,
}

impl Target {
    /// `TargetValue = max(0.01, total × utilization)`.
    pub(crate) fn value(&self) -> f64 {
        (self.per_pod * self.utilization).max(TARGET_MIN)
    }
}

/// A model of the allow-list and its label value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    pub name: String,
    pub label: String,
}

/// Which label a request's model gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelLabel {
    /// Index into [`GatewayConfig::models`].
    Listed(u8),
    /// A model not in the allow-list.
    Other,
    /// No model seen (not inspected, no `model` field, body over the limit, malformed).
    Unknown,
}

/// The validated configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct GatewayConfig {
    pub stable_window: Millis,
    pub panic_window_percentage: f64,
    pub panic_threshold_percentage: f64,
    pub target: Target,
    pub max_scale_up_rate: f64,
    pub max_scale_down_rate: f64,
    pub routes: Vec<String>,
    pub models: Vec<Model>,
    pub max_body_bytes: usize,
    pub max_sse_event_bytes: usize,
    pub debug_headers: bool,
    pub cluster_label: Option<String>,
    /// Endpoints per worker with their own `endpoint` label (0: no per-endpoint metrics).
    pub max_endpoints: usize,
}

impl Default for GatewayConfig {
    fn default() -> Self {
        GatewayConfig {
            stable_window: DEFAULT_STABLE_WINDOW,
            panic_window_percentage: DEFAULT_PANIC_WINDOW_PERCENTAGE,
            panic_threshold_percentage: DEFAULT_PANIC_THRESHOLD_PERCENTAGE,
            target: Target {
                metric: TargetMetric::Concurrency,
                per_pod: DEFAULT_CONCURRENCY_TARGET,
                utilization: DEFAULT_UTILIZATION_PERCENTAGE / 100.0,
            },
            max_scale_up_rate: DEFAULT_MAX_SCALE_UP_RATE,
            max_scale_down_rate: DEFAULT_MAX_SCALE_DOWN_RATE,
            routes: DEFAULT_ROUTES.iter().map(|s| s.to_string()).collect(),
            models: Vec::new(),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            max_sse_event_bytes: DEFAULT_MAX_SSE_EVENT_BYTES,
            debug_headers: false,
            cluster_label: None,
            max_endpoints: 0,
        }
    }
}

/// A configuration error: the field's JSON path, where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// JSON path of the field (`target.concurrency_per_pod`, `models[2]`); empty for the root.
    pub path: String,
    /// Byte offset in the configuration text.
    pub offset: usize,
    /// 1-based line and column (in characters).
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(
                f,
                "invalid scalelens gateway configuration at {}:{}: {}",
                self.line, self.column, self.message
            )
        } else {
            write!(
                f,
                "invalid scalelens gateway configuration: field `{}` at {}:{}: {}",
                self.path, self.line, self.column, self.message
            )
        }
    }
}

impl std::error::Error for ConfigError {}

// Key table: top-level fields, then `target` fields.
const K_STABLE_WINDOW: KeyId = 0;
const K_PANIC_WINDOW_PCT: KeyId = 1;
const K_PANIC_THRESHOLD_PCT: KeyId = 2;
const K_TARGET: KeyId = 3;
const K_MAX_UP: KeyId = 4;
const K_MAX_DOWN: KeyId = 5;
const K_ROUTES: KeyId = 6;
const K_MODELS: KeyId = 7;
const K_MAX_BODY: KeyId = 8;
const K_MAX_SSE: KeyId = 9;
const K_DEBUG_HEADERS: KeyId = 10;
const K_CLUSTER_LABEL: KeyId = 11;
const K_MAX_ENDPOINTS: KeyId = 12;
const K_CONCURRENCY: KeyId = 13;
const K_TOKENS: KeyId = 14;
const K_UTILIZATION: KeyId = 15;
const TOP_LEVEL: usize = 13;

/// The field names, in key-id order.
pub(crate) const FIELDS: &[&str] = &[
    "stable_window",
    "panic_window_percentage",
    "panic_threshold_percentage",
    "target",
    "max_scale_up_rate",
    "max_scale_down_rate",
    "routes",
    "models",
    "max_body_bytes",
    "max_sse_event_bytes",
    "debug_headers",
    "cluster_label",
    "max_endpoints",
    "concurrency_per_pod",
    "tokens_per_second_per_pod",
    "utilization_percentage",
];

/// The fields of the top level and of `target` (key ids `TOP_LEVEL..`). Split at compile time:
/// a `TOP_LEVEL` past the end of [`FIELDS`] fails the build, not a request.
const TOP_FIELDS: &[&str] = FIELDS.split_at(TOP_LEVEL).0;
const TARGET_FIELDS: &[&str] = FIELDS.split_at(TOP_LEVEL).1;

fn name(id: KeyId) -> &'static str {
    FIELDS.get(usize::from(id)).copied().unwrap_or("?")
}

/// Line and column (1-based, in characters) of a byte offset: core's one line index.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let pos = scalelens_core::span::LineIndex::new(text).pos_of_byte(offset);
    (pos.line as usize, pos.column as usize)
}

/// `s` with each control character (line breaks, tabs, escapes, NUL) written as `\n`, `\r`,
/// `\t` or `\u{..}`: an error quotes the configuration's text, and must stay one line.
/// (Not `{:?}`: its quoting brings Unicode tables into the filter's Wasm.)
fn escape_controls(s: String) -> String {
    if !s.chars().any(char::is_control) {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// A Go duration error in our own words (without `DurationError`'s `Display`, whose `{:?}`
/// string quoting would bring Unicode tables into the filter's Wasm).
fn duration_message(s: &str, e: &scalelens_core::duration::DurationError) -> String {
    use scalelens_core::duration::DurationError as E;
    let why = match e {
        E::MissingUnit { .. } => "is missing a unit (write e.g. `60s`; units: ns us ms s m h)",
        E::UnknownUnit { .. } => "has an unknown unit (units: ns us ms s m h)",
        E::Overflow(_) => "is out of range: a Go duration is at most 2562047h47m16.854775807s",
        E::Negative(_) => "is negative",
        E::Invalid(_) => "is not a Go duration (expected e.g. `60s`, `1m30s`)",
    };
    format!("`{s}` {why}")
}

/// The number as written at byte `at` (messages quote the input instead of formatting an
/// `f64`, which keeps float formatting out of the filter's Wasm).
fn number_text(text: &str, at: usize) -> std::borrow::Cow<'_, str> {
    let rest = text.get(at..).unwrap_or("");
    let n = rest
        .bytes()
        .position(|c| !matches!(c, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
        .unwrap_or(rest.len());
    scalelens_core::text::clip(
        rest.get(..n).unwrap_or(""),
        scalelens_core::text::QUOTE_MAX_CHARS,
    )
}

/// A number from 10^15 in magnitude that the filter's float reader
/// ([`crate::json_scan::parse_decimal`]: at most 2^53 significant, |exponent| ≤ 22) cannot
/// read is out of range for every field (the largest bound is `max_body_bytes` ≤ 16 MiB; rates
/// that large mean nothing): it is reported as out of range with the field's range, not as
/// unreadable. Smaller numbers it cannot read have too many digits ("too precise").
const HUGE_FROM_DIGITS: i64 = 15;

/// The decimal exponent of the first significant digit of a JSON number (`1500` → 3,
/// `0.02e3` → 1), `None` for zero or a malformed number.
fn magnitude(n: &[u8]) -> Option<i64> {
    let body = n.strip_prefix(b"-").unwrap_or(n);
    let (mantissa, exp) = match body.iter().position(|c| matches!(c, b'e' | b'E')) {
        Some(i) => (body.get(..i)?, body.get(i + 1..)?),
        None => (body, &b""[..]),
    };
    let exp = if exp.is_empty() && mantissa.len() == body.len() {
        0
    } else {
        let (neg, digits) = match exp.first() {
            Some(b'-') => (true, exp.get(1..)?),
            Some(b'+') => (false, exp.get(1..)?),
            _ => (false, exp),
        };
        if digits.is_empty() {
            return None;
        }
        let x = digits.iter().try_fold(0i64, |x, &c| {
            c.is_ascii_digit()
                .then(|| (x * 10 + i64::from(c - b'0')).min(1 << 20))
        })?;
        if neg {
            -x
        } else {
            x
        }
    };
    let point = mantissa
        .iter()
        .position(|&c| c == b'.')
        .unwrap_or(mantissa.len());
    let first = mantissa.iter().position(|&c| matches!(c, b'1'..=b'9'))?;
    let place = if first < point {
        (point - first) as i64 - 1
    } else {
        -((first - point) as i64)
    };
    Some(place + exp)
}

/// The closest of `candidates` to `word`, if close enough to be a likely typo.
fn suggest<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let w = word.to_ascii_lowercase().replace('-', "_");
    if w.len() >= 4 {
        if let Some(c) = candidates.iter().find(|c| c.starts_with(&w)) {
            return Some(c);
        }
    }
    candidates
        .iter()
        .filter_map(|c| Some((edit_distance_within(&w, c, (c.len() / 3).max(2))?, *c)))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// A field value as read (before range checks).
#[derive(Default)]
struct Raw {
    stable_window: Option<(String, usize)>,
    panic_window_percentage: Option<(f64, usize)>,
    panic_threshold_percentage: Option<(f64, usize)>,
    target_at: Option<usize>,
    concurrency: Option<(f64, usize)>,
    tokens: Option<(f64, usize)>,
    utilization: Option<(f64, usize)>,
    max_up: Option<(f64, usize)>,
    max_down: Option<(f64, usize)>,
    routes: Option<Vec<(String, usize)>>,
    models: Option<Vec<(String, usize)>>,
    max_body: Option<(f64, usize)>,
    max_sse: Option<(f64, usize)>,
    debug_headers: Option<bool>,
    cluster_label: Option<(String, usize)>,
    max_endpoints: Option<(f64, usize)>,
}

struct Reader {
    raw: Raw,
    seen: u32,
    seen_target: u32,
    error: Option<(String, usize, String)>,
}

fn found(ev: &Event<'_>) -> &'static str {
    match ev {
        Event::Begin(Container::Object) => "an object",
        Event::Begin(Container::Array) => "an array",
        Event::Value(s) => s.type_name(),
        _ => "something else",
    }
}

impl Reader {
    fn fail(&mut self, path: String, at: usize, msg: String) -> bool {
        self.error = Some((path, at, msg));
        false
    }

    fn type_error(&mut self, path: String, at: usize, want: &str, ev: &Event<'_>) -> bool {
        let msg = format!("expected {want}, found {}", found(ev));
        self.fail(path, at, msg)
    }

    /// A number field (null = default).
    fn number(
        &mut self,
        path: String,
        at: usize,
        ev: &Event<'_>,
        slot: fn(&mut Raw) -> &mut Option<(f64, usize)>,
    ) -> bool {
        match ev {
            Event::Value(Scalar::Null) => true,
            Event::Value(s @ Scalar::Number(n)) => match s.as_f64() {
                Some(v) => {
                    *slot(&mut self.raw) = Some((v, at));
                    true
                }
                // Out of range for every field: an infinity the range checks report with the
                // field's range.
                None if magnitude(n).is_some_and(|m| m >= HUGE_FROM_DIGITS) => {
                    let inf = if n.first() == Some(&b'-') {
                        f64::NEG_INFINITY
                    } else {
                        f64::INFINITY
                    };
                    *slot(&mut self.raw) = Some((inf, at));
                    true
                }
                None => self.fail(
                    path,
                    at,
                    "the number is too precise or too large (use at most 15 significant digits)"
                        .into(),
                ),
            },
            _ => self.type_error(path, at, "a number", ev),
        }
    }

    fn string(
        &mut self,
        path: String,
        at: usize,
        ev: &Event<'_>,
        max: usize,
    ) -> Result<Option<String>, ()> {
        match ev {
            Event::Value(Scalar::Null) => Ok(None),
            Event::Value(Scalar::Str(s)) => match s.as_str() {
                Some(v) if v.len() <= max => Ok(Some(v.to_string())),
                _ => {
                    self.fail(
                        path,
                        at,
                        format!("the string is too long (at most {max} bytes)"),
                    );
                    Err(())
                }
            },
            _ => {
                self.type_error(path, at, "a string", ev);
                Err(())
            }
        }
    }

    fn top(&mut self, key: KeyId, at: usize, ev: &Event<'_>) -> bool {
        let path = name(key).to_string();
        match key {
            K_STABLE_WINDOW => match self.string(path, at, ev, 64) {
                Ok(v) => {
                    self.raw.stable_window = v.map(|s| (s, at));
                    true
                }
                Err(()) => false,
            },
            K_PANIC_WINDOW_PCT => self.number(path, at, ev, |r| &mut r.panic_window_percentage),
            K_PANIC_THRESHOLD_PCT => {
                self.number(path, at, ev, |r| &mut r.panic_threshold_percentage)
            }
            K_MAX_UP => self.number(path, at, ev, |r| &mut r.max_up),
            K_MAX_DOWN => self.number(path, at, ev, |r| &mut r.max_down),
            K_MAX_BODY => self.number(path, at, ev, |r| &mut r.max_body),
            K_MAX_SSE => self.number(path, at, ev, |r| &mut r.max_sse),
            K_MAX_ENDPOINTS => self.number(path, at, ev, |r| &mut r.max_endpoints),
            K_DEBUG_HEADERS => match ev {
                Event::Value(Scalar::Null) => true,
                Event::Value(Scalar::Bool(b)) => {
                    self.raw.debug_headers = Some(*b);
                    true
                }
                _ => self.type_error(path, at, "`true` or `false`", ev),
            },
            K_CLUSTER_LABEL => match self.string(path, at, ev, LABEL_VALUE_MAX) {
                Ok(v) => {
                    self.raw.cluster_label = v.map(|s| (s, at));
                    true
                }
                Err(()) => false,
            },
            K_TARGET => match ev {
                Event::Value(Scalar::Null) => true,
                Event::Begin(Container::Object) => {
                    self.raw.target_at = Some(at);
                    true
                }
                _ => self.type_error(path, at, "an object", ev),
            },
            K_ROUTES | K_MODELS => match ev {
                Event::Value(Scalar::Null) => true,
                Event::Begin(Container::Array) => {
                    if key == K_ROUTES {
                        self.raw.routes = Some(Vec::new());
                    } else {
                        self.raw.models = Some(Vec::new());
                    }
                    true
                }
                _ => self.type_error(path, at, "an array of strings", ev),
            },
            _ => true,
        }
    }
}

impl Visitor for Reader {
    fn event(&mut self, path: Path<'_>, ev: Event<'_>, at: usize) -> bool {
        let frames = path.frames;
        match (path.depth, frames) {
            (0, _) => match ev {
                Event::Begin(Container::Object) | Event::End(_) => true,
                _ => self.type_error(String::new(), at, "a JSON object (`{ ... }`)", &ev),
            },
            (1, [Frame::Object(k)]) => {
                if let Event::Key { id, raw } = ev {
                    let text = String::from_utf8_lossy(raw.prefix).into_owned();
                    if usize::from(id) >= TOP_LEVEL {
                        let tops = TOP_FIELDS;
                        let mut msg = format!("unknown field `{text}`");
                        if let Some(s) = suggest(&text, tops) {
                            msg.push_str(&format!("; did you mean `{s}`?"));
                        } else if id != KEY_OTHER {
                            msg.push_str("; it belongs inside `target`");
                        } else {
                            msg.push_str(&format!("; known fields: {}", tops.join(", ")));
                        }
                        return self.fail(text, at, msg);
                    }
                    let bit = 1u32.checked_shl(u32::from(id)).unwrap_or(0);
                    if self.seen & bit != 0 {
                        return self.fail(text, at, "duplicate field".into());
                    }
                    self.seen |= bit;
                    return true;
                }
                if matches!(ev, Event::End(_)) {
                    return true;
                }
                self.top(*k, at, &ev)
            }
            (2, [Frame::Object(K_TARGET), Frame::Object(k)]) => {
                if let Event::Key { id, raw } = ev {
                    let text = String::from_utf8_lossy(raw.prefix).into_owned();
                    let fields = TARGET_FIELDS;
                    if usize::from(id) < TOP_LEVEL || id == KEY_OTHER {
                        let mut msg = format!("unknown field `{text}` in `target`");
                        if let Some(s) = suggest(&text, fields) {
                            msg.push_str(&format!("; did you mean `{s}`?"));
                        } else {
                            msg.push_str(&format!("; known fields: {}", fields.join(", ")));
                        }
                        return self.fail(format!("target.{text}"), at, msg);
                    }
                    let bit = 1u32.checked_shl(u32::from(id)).unwrap_or(0);
                    if self.seen_target & bit != 0 {
                        return self.fail(format!("target.{text}"), at, "duplicate field".into());
                    }
                    self.seen_target |= bit;
                    return true;
                }
                if matches!(ev, Event::End(_)) {
                    return true;
                }
                let p = format!("target.{}", name(*k));
                match *k {
                    K_CONCURRENCY => self.number(p, at, &ev, |r| &mut r.concurrency),
                    K_TOKENS => self.number(p, at, &ev, |r| &mut r.tokens),
                    K_UTILIZATION => self.number(p, at, &ev, |r| &mut r.utilization),
                    _ => true,
                }
            }
            (2, [Frame::Object(k @ (K_ROUTES | K_MODELS)), Frame::Array(i)]) => {
                if matches!(ev, Event::End(_)) {
                    return true;
                }
                let p = format!("{}[{i}]", name(*k));
                let max = if *k == K_ROUTES {
                    MAX_ROUTE_BYTES
                } else {
                    LABEL_VALUE_MAX
                };
                let v = match ev {
                    Event::Value(Scalar::Str(_)) => match self.string(p, at, &ev, max) {
                        Ok(Some(v)) => v,
                        _ => return false,
                    },
                    _ => return self.type_error(p, at, "a string", &ev),
                };
                let list = if *k == K_ROUTES {
                    &mut self.raw.routes
                } else {
                    &mut self.raw.models
                };
                list.get_or_insert_with(Vec::new).push((v, at));
                true
            }
            _ => true,
        }
    }
}

impl GatewayConfig {
    /// Parse and validate. Empty text (no plugin configuration) gives the defaults.
    pub fn from_json(text: &str) -> Result<GatewayConfig, ConfigError> {
        let mk = |path: String, at: usize, message: String| {
            let (line, column) = line_column(text, at);
            // The path and message quote the configuration's own text (keys, values): its
            // control characters are escaped so the error stays one line in Envoy's log.
            ConfigError {
                path: escape_controls(path),
                offset: at,
                line,
                column,
                message: escape_controls(message),
            }
        };
        if text.trim().is_empty() {
            return Ok(GatewayConfig::default());
        }
        let mut r = Reader {
            raw: Raw::default(),
            seen: 0,
            seen_target: 0,
            error: None,
        };
        let syntax = json_scan::scan(FIELDS, text.as_bytes(), &mut r);
        if let Some((path, at, msg)) = r.error {
            return Err(mk(path, at, msg));
        }
        if let Err(e) = syntax {
            // Name the field whose value the error is in, when there is one.
            return Err(mk(String::new(), e.at, format!("JSON syntax: {}", e.kind)));
        }
        let raw = r.raw;
        let mut c = GatewayConfig::default();

        if let Some((s, at)) = raw.stable_window {
            let field = || "stable_window".to_string();
            let d = scalelens_core::duration::GoDuration::parse(&s)
                .map_err(|e| mk(field(), at, duration_message(&s, &e)))?;
            if !d.is_whole_seconds() {
                return Err(mk(
                    field(),
                    at,
                    format!("`{s}` must be whole seconds (Knative stable-window)"),
                ));
            }
            let ms = d.millis();
            if ms < WINDOW_MIN as i64 || ms > WINDOW_MAX as i64 {
                return Err(mk(
                    field(),
                    at,
                    format!("`{s}` must be between 6s and 1h (Knative WindowMin/WindowMax)"),
                ));
            }
            c.stable_window = ms as Millis;
        }
        let range = |v: Option<(f64, usize)>,
                     field: &str,
                     ok: &dyn Fn(f64) -> bool,
                     rule: &str|
         -> Result<Option<f64>, ConfigError> {
            match v {
                None => Ok(None),
                Some((x, at)) if !x.is_finite() => Err(mk(
                    field.into(),
                    at,
                    format!(
                        "{} is out of range: the filter reads numbers below 10^15; {}",
                        number_text(text, at),
                        rule.trim_start_matches("is out of range: ")
                    ),
                )),
                Some((x, at)) if ok(x) => {
                    let _ = at;
                    Ok(Some(x))
                }
                Some((_, at)) => Err(mk(
                    field.into(),
                    at,
                    format!("{} {rule}", number_text(text, at)),
                )),
            }
        };
        // A value in Knative's `[min, max]` for its `setting` (whole numbers, written as
        // integers: formatting an `f64` would pull float formatting into the filter's Wasm).
        let within = |v, field: &str, (min, max): (f64, f64), setting: &str| {
            let (lo, hi) = (min as i64, max as i64);
            range(
                v,
                field,
                &|x| (min..=max).contains(&x),
                &format!("is out of range: must be in [{lo}, {hi}] (Knative {setting})"),
            )
        };
        if let Some(v) = within(
            raw.panic_window_percentage,
            "panic_window_percentage",
            knative::PANIC_WINDOW_PERCENTAGE_RANGE,
            "panic-window-percentage",
        )? {
            c.panic_window_percentage = v;
        }
        if let Some(v) = within(
            raw.panic_threshold_percentage,
            "panic_threshold_percentage",
            knative::PANIC_THRESHOLD_PERCENTAGE_RANGE,
            "panic-threshold-percentage",
        )? {
            c.panic_threshold_percentage = v;
        }
        // A rate above 1 for Knative's `setting`.
        let rate = |v, field: &str, setting: &str| {
            range(
                v,
                field,
                &|x| x > 1.0,
                &format!("is out of range: must be > 1 (Knative {setting})"),
            )
        };
        if let Some(v) = rate(raw.max_up, "max_scale_up_rate", "max-scale-up-rate")? {
            c.max_scale_up_rate = v;
        }
        if let Some(v) = rate(raw.max_down, "max_scale_down_rate", "max-scale-down-rate")? {
            c.max_scale_down_rate = v;
        }
        if let (Some(_), Some((_, at))) = (raw.concurrency, raw.tokens) {
            return Err(mk(
                "target.tokens_per_second_per_pod".into(),
                at,
                "set either `concurrency_per_pod` or `tokens_per_second_per_pod`, not both".into(),
            ));
        }
        let min_rule = "is out of range: must be ≥ 0.01 (Knative TargetMin)";
        if let Some(v) = range(
            raw.concurrency,
            "target.concurrency_per_pod",
            &|x| x >= TARGET_MIN,
            min_rule,
        )? {
            c.target.per_pod = v;
        }
        if let Some(v) = range(
            raw.tokens,
            "target.tokens_per_second_per_pod",
            &|x| x >= TARGET_MIN,
            min_rule,
        )? {
            c.target.metric = TargetMetric::TokensPerSecond;
            c.target.per_pod = v;
        }
        if let Some(v) = range(
            raw.utilization,
            "target.utilization_percentage",
            &|x| (1.0..=100.0).contains(&x),
            "is out of range: must be in [1, 100] (Knative target-utilization-percentage)",
        )? {
            c.target.utilization = v / 100.0;
        }
        if raw.target_at.is_some()
            && raw.concurrency.is_none()
            && raw.tokens.is_none()
            && raw.utilization.is_none()
        {
            // An empty `target` object is allowed: the defaults apply.
        }
        let bytes = |v: Option<(f64, usize)>,
                     field: &str,
                     lo: usize,
                     hi: usize|
         -> Result<Option<usize>, ConfigError> {
            match v {
                None => Ok(None),
                Some((x, at)) => {
                    if !x.is_finite() || x.fract() != 0.0 || x < lo as f64 || x > hi as f64 {
                        Err(mk(
                            field.into(),
                            at,
                            format!(
                                "{} is out of range: must be a whole number in [{lo}, {hi}]",
                                number_text(text, at)
                            ),
                        ))
                    } else {
                        Ok(Some(x as usize))
                    }
                }
            }
        };
        if let Some(v) = bytes(raw.max_body, "max_body_bytes", 1024, 16 << 20)? {
            c.max_body_bytes = v;
        }
        if let Some(v) = bytes(raw.max_sse, "max_sse_event_bytes", 256, 1 << 20)? {
            c.max_sse_event_bytes = v;
        }
        if let Some(v) = bytes(raw.max_endpoints, "max_endpoints", 0, MAX_ENDPOINTS)? {
            c.max_endpoints = v;
        }
        if let Some(b) = raw.debug_headers {
            c.debug_headers = b;
        }
        if let Some((l, at)) = raw.cluster_label {
            if l.is_empty() || sanitize_label_value(&l).as_str() != l {
                return Err(mk(
                    "cluster_label".into(),
                    at,
                    format!("`{l}` is not a label value: use 1-64 of [A-Za-z0-9_-]"),
                ));
            }
            c.cluster_label = Some(l);
        }
        if let Some(routes) = raw.routes {
            if routes.is_empty() || routes.len() > MAX_ROUTES {
                let at = routes.first().map_or(0, |r| r.1);
                return Err(mk(
                    "routes".into(),
                    at,
                    format!("list 1 to {MAX_ROUTES} path prefixes"),
                ));
            }
            for (i, (r, at)) in routes.iter().enumerate() {
                if !r.starts_with('/') {
                    return Err(mk(
                        format!("routes[{i}]"),
                        *at,
                        format!("`{r}` is not a path prefix (it must start with `/`)"),
                    ));
                }
            }
            c.routes = routes.into_iter().map(|r| r.0).collect();
        }
        if let Some(models) = raw.models {
            if models.len() > MAX_MODELS {
                let at = models.get(MAX_MODELS).map_or(0, |m| m.1);
                return Err(mk(
                    format!("models[{MAX_MODELS}]"),
                    at,
                    format!(
                        "too many models: at most {MAX_MODELS} (each is a label value that lives \
                         forever in Envoy's stats)"
                    ),
                ));
            }
            for (i, (m, at)) in models.iter().enumerate() {
                let label_buf = sanitize_label_value(m);
                let label = label_buf.as_str();
                let p = || format!("models[{i}]");
                if m.is_empty() {
                    return Err(mk(p(), *at, "empty model name".into()));
                }
                if matches!(label, "other" | "unknown") {
                    return Err(mk(
                        p(),
                        *at,
                        format!("`{m}` is reserved (the label for unlisted or unknown models)"),
                    ));
                }
                if let Some(j) = c.models.iter().position(|x: &Model| x.label == label) {
                    return Err(mk(
                        p(),
                        *at,
                        format!(
                            "`{m}` has the same label value `{label}` as models[{j}] \
                             (label values keep only [A-Za-z0-9_-])"
                        ),
                    ));
                }
                c.models.push(Model {
                    name: m.clone(),
                    label: label.to_string(),
                });
            }
        }
        Ok(c)
    }

    /// The panic window (Knative `MakeMetric`: stable × percentage / 100, whole seconds, ≥ 1 s).
    pub fn panic_window(&self) -> Millis {
        panic_window(self.stable_window, self.panic_window_percentage)
    }

    /// True when bodies of requests to `path` are inspected: `path` starts with a configured
    /// prefix that ends there or at `/` or `?` (so `/v1/completions` does not cover
    /// `/v1/completionsX`).
    pub(crate) fn route_matches(&self, path: &[u8]) -> bool {
        self.routes.iter().any(|r| {
            let r = r.as_bytes();
            path.starts_with(r)
                && (r.ends_with(b"/") || matches!(path.get(r.len()), None | Some(b'/' | b'?')))
        })
    }

    /// The label of a request's model name (exact match against the allow-list).
    pub fn model_label(&self, model: Option<&[u8]>) -> ModelLabel {
        let Some(m) = model else {
            return ModelLabel::Unknown;
        };
        match self.models.iter().position(|x| x.name.as_bytes() == m) {
            Some(i) => u8::try_from(i).map_or(ModelLabel::Other, ModelLabel::Listed),
            None => ModelLabel::Other,
        }
    }

    /// The label value of a [`ModelLabel`].
    pub fn model_label_value(&self, l: ModelLabel) -> &str {
        match l {
            ModelLabel::Listed(i) => self
                .models
                .get(usize::from(i))
                .map_or("other", |m| m.label.as_str()),
            ModelLabel::Other => "other",
            ModelLabel::Unknown => "unknown",
        }
    }

    /// The KPA decider spec for this configuration (Knative `MakeDecider`,
    /// `pkg/reconciler/autoscaling/kpa/resources/decider.go`): no burst capacity (the gateway
    /// does not route through an activator), no scale-down delay, activation scale 1, reachable.
    pub fn decider_spec(&self) -> DeciderSpec {
        DeciderSpec {
            target_value: self.target.value(),
            total_value: self.target.per_pod,
            target_burst_capacity: 0.0,
            panic_threshold: self.panic_threshold_percentage / 100.0,
            max_scale_up_rate: self.max_scale_up_rate,
            max_scale_down_rate: self.max_scale_down_rate,
            stable_window: self.stable_window,
            scale_down_delay: 0,
            activation_scale: 1,
            reachable: true,
            tick_interval: 2 * SCRAPE_INTERVAL,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        for (word, want) in [
            ("stable_windw", Some("stable_window")),
            ("concurency_per_pod", Some("concurrency_per_pod")),
            ("Stable-Window", Some("stable_window")),
            ("max_body", Some("max_body_bytes")),
            ("nothing_like_it", None),
        ] {
            assert_eq!(suggest(word, FIELDS), want, "{word:?}");
        }
        assert_eq!(suggest(&"x".repeat(100_000), FIELDS), None);
        assert_eq!(TOP_FIELDS.len() + TARGET_FIELDS.len(), FIELDS.len());
        assert_eq!(TARGET_FIELDS.first(), Some(&"concurrency_per_pod"));
    }

    /// The Knative ranges the messages write as integers are whole numbers.
    #[test]
    fn knative_ranges_are_whole_numbers() {
        for (min, max) in [
            knative::PANIC_WINDOW_PERCENTAGE_RANGE,
            knative::PANIC_THRESHOLD_PERCENTAGE_RANGE,
        ] {
            assert_eq!((min.fract(), max.fract()), (0.0, 0.0), "{min} {max}");
        }
    }

    #[test]
    fn magnitudes() {
        for (n, m) in [
            ("1500", Some(3)),
            ("0.02e3", Some(1)),
            ("-7", Some(0)),
            ("0.005", Some(-3)),
            ("1e400", Some(400)),
            ("18446744073709551615", Some(19)),
            ("0.000001e16", Some(10)),
            ("0", None),
            ("0.0e5", None),
            ("1e", None),
        ] {
            assert_eq!(magnitude(n.as_bytes()), m, "{n}");
        }
    }

    /// Numbers the filter cannot read: out of range with the field's range when huge, "too
    /// precise" when they only have too many digits.
    #[test]
    fn huge_numbers_are_out_of_range() {
        let cases = [
            (
                r#"{"max_body_bytes": 18446744073709551615}"#,
                "18446744073709551615 is out of range: must be a whole number in [1024, 16777216]",
            ),
            (
                r#"{"max_scale_up_rate": 1e400}"#,
                "1e400 is out of range: the filter reads numbers below 10^15; must be > 1 (Knative max-scale-up-rate)",
            ),
            (
                r#"{"target": {"concurrency_per_pod": -1e400}}"#,
                "-1e400 is out of range: the filter reads numbers below 10^15; must be ≥ 0.01 (Knative TargetMin)",
            ),
            (
                r#"{"panic_window_percentage": 10.000000000000000000001}"#,
                "too precise",
            ),
        ];
        for (json, want) in cases {
            let e = GatewayConfig::from_json(json).unwrap_err();
            assert!(e.message.contains(want), "{json}: {e}");
        }
        // The tokenizer keeps numbers up to its token buffer; the message quotes 80 characters.
        let long = format!(r#"{{"max_body_bytes": 1{}}}"#, "0".repeat(120));
        let e = GatewayConfig::from_json(&long).unwrap_err();
        assert!(e.message.len() < 200, "{}", e.message.len());
        assert!(
            e.message.contains("… (121 characters) is out of range"),
            "{}",
            e.message
        );
    }

    #[test]
    fn defaults() {
        let c = GatewayConfig::from_json("").unwrap();
        assert_eq!(c, GatewayConfig::default());
        assert_eq!(GatewayConfig::from_json("{}").unwrap(), c);
        assert_eq!(c.panic_window(), 6_000);
        assert!((c.target.value() - 70.0).abs() < 1e-9);
        assert!(c.route_matches(b"/v1/chat/completions"));
        assert!(c.route_matches(b"/v1/completions?x=1"));
        assert!(!c.route_matches(b"/v1/completionsX"));
        assert!(!c.route_matches(b"/v1/embeddings"));
    }

    #[test]
    fn full() {
        let c = GatewayConfig::from_json(
            r#"{"stable_window":"2m","panic_window_percentage":5,"panic_threshold_percentage":150,
            "target":{"tokens_per_second_per_pod":2000,"utilization_percentage":80},
            "max_scale_up_rate":10,"max_scale_down_rate":4,"routes":["/v1/"],
            "models":["meta-llama/Llama-3.1-8B-Instruct","qwen"],"max_body_bytes":4096,
            "max_sse_event_bytes":1024,"debug_headers":true,"cluster_label":"vllm-a",
            "max_endpoints":16}"#,
        )
        .unwrap();
        assert_eq!(c.stable_window, 120_000);
        assert_eq!(c.max_endpoints, 16);
        assert_eq!(c.panic_window(), 6_000);
        assert_eq!(c.target.metric, TargetMetric::TokensPerSecond);
        assert!((c.target.value() - 1600.0).abs() < 1e-9);
        assert_eq!(c.models[0].label, "meta-llama_Llama-3_1-8B-Instruct");
        assert_eq!(
            c.model_label(Some(b"qwen".as_slice())),
            ModelLabel::Listed(1)
        );
        assert_eq!(c.model_label(Some(b"x".as_slice())), ModelLabel::Other);
        assert_eq!(c.model_label(None), ModelLabel::Unknown);
        assert!(c.route_matches(b"/v1/anything"));
    }
}
