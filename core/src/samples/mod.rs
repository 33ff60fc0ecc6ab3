//! Metric samples in: importers for what users really have (a per-pod CSV, Prometheus text
//! exposition scrapes, a Prometheus HTTP API response, a Grafana panel's CSV export), one common
//! representation ([`Samples`]), and the step from samples to the simulator's demand
//! ([`to_demand`]). [`detect_and_parse`] picks the format from the text ([`detect`]) unless the
//! caller names it.
//!
//! # Representation
//!
//! - Times are [`TimeMs`] (`i64` milliseconds). [`Samples::time_base`] says whether they are Unix
//!   epoch times ([`TimeBase::Epoch`]: RFC 3339, Prometheus timestamps, Grafana times) or offsets
//!   from the start of the recording as the file wrote them ([`TimeBase::Relative`]: CSV seconds,
//!   exposition scrapes without timestamps).
//! - One [`Series`] per label set (the metric name `__name__` is not a label). Labels are sorted
//!   by name. `pod` is the value of the `pod` label (or of `pod_name` / `kubernetes_pod_name`, with
//!   a note). Series are sorted by pod (series without a pod last), then labels.
//! - Points are sorted by strictly increasing time and hold only finite values.
//!
//! # What the import does to the data (each reported as an [`Diagnostic`])
//!
//! - NaN, +Inf and -Inf samples are dropped ([`Code::SamplesNonFinite`]); empty / `null` cells are
//!   skipped ([`Code::SamplesMissingValue`]).
//! - Out-of-order times are sorted, stably ([`Code::SamplesUnsorted`]).
//! - **Duplicate timestamps: the last sample in file order wins** ([`Code::SamplesDuplicateTime`]):
//!   concatenated, overlapping exports are common and the later export is the more complete one.
//! - **Stray samples** far outside the body of the data (a stray epoch-0 point among samples at
//!   1.7·10⁹ s) are dropped, all series together, with a note naming them ([`Code::SamplesStray`];
//!   the rule, which never drops a recording's own outages, is in [`stray`]).
//! - Gaps longer than twice a series' median spacing are reported ([`Code::SamplesGap`]), never filled.
//! - For counters (`# TYPE … counter`, or a name ending in `_total`), decreases are counter
//!   resets ([`Code::SamplesCounterReset`]), and a note says a counter must be turned into a rate.
//! - Pods present for part of the range only (restarts, scale-ups) ([`Code::SamplesPodChurn`]), series
//!   without a pod label ([`Code::SamplesNoPod`]), one pod in several series ([`Code::SamplesDuplicatePod`]).
//!
//! Malformed input is a [`SampleError`] with a 1-based line and column (characters); nothing here
//! panics on any input.

mod convert;
mod csv;
mod exposition;
mod json;
pub(crate) mod rules;
pub mod stray;

use crate::codes::Code;
use std::cell::OnceCell;
use std::fmt::Write as _;

use crate::diagnostic::{Diagnostic, Severity};
use crate::display;
use crate::model::{selector_text, LabelMatcher, Millis};
use crate::span::{saturating_u32, LineIndex};

pub use convert::{resolve_interpretation, to_demand, Interpretation};
pub use csv::{parse_csv, parse_grafana_csv};
pub use exposition::parse_exposition;
pub use json::parse_prometheus_json;

/// Milliseconds; Unix epoch or relative, see [`TimeBase`].
pub type TimeMs = i64;

/// The input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// `time,value` with optional `pod` and `replicas` columns.
    Csv,
    /// Grafana "Export CSV", one column per series (`Time,<series>,<series>...`).
    GrafanaWide,
    /// Grafana "Export CSV", series as rows (`Series,Time,Value`).
    GrafanaLong,
    /// Prometheus text exposition format (also OpenMetrics text), one or many scrapes.
    Exposition,
    /// A Prometheus HTTP API response (`query_range` matrix, `query` vector or scalar).
    PrometheusJson,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::GrafanaWide => "grafana-wide",
            Format::GrafanaLong => "grafana-long",
            Format::Exposition => "exposition",
            Format::PrometheusJson => "prometheus-json",
        }
    }
}

/// Whether times are Unix epoch milliseconds or offsets from the start of the recording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TimeBase {
    Epoch,
    Relative,
}

/// What the caller knows about the input.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hints {
    /// The metric to import (exposition, and Prometheus JSON with several `__name__`s). Matches
    /// with or without the `vllm:` prefix, and a counter's `_total` suffix.
    pub metric: Option<String>,
    /// The scrape interval of exposition scrapes without timestamps. Default
    /// [`DEFAULT_SCRAPE_INTERVAL`] (with a note).
    pub scrape_interval: Option<Millis>,
    /// Skip detection (for [`detect_and_parse`]).
    pub format: Option<Format>,
    /// The series the autoscaler reads, by label (an HPA metric's `metric.selector`): only the
    /// series it selects are imported ([`select_series`]). Exposition and Prometheus JSON only.
    pub selector: Vec<LabelMatcher>,
}

/// The scrape interval assumed for exposition scrapes without timestamps when the caller does
/// not give one: 15 s, the `scrape_interval` of Prometheus' example configuration
/// (`documentation/examples/prometheus.yml`; the built-in default is 1 m).
pub const DEFAULT_SCRAPE_INTERVAL: Millis = 15_000;

/// One series of samples.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The label set without `__name__`, sorted by label name.
    pub labels: Vec<(String, String)>,
    /// The pod this series comes from (`pod`, else `pod_name`, else `kubernetes_pod_name`).
    pub pod: Option<String>,
    /// Strictly increasing times, finite values.
    pub points: Vec<(TimeMs, f64)>,
}

impl Series {
    /// A short human name: the pod, else the label set, else `the series without labels`.
    /// Names and values are quoted escaped and cut ([`crate::text::quote`]).
    pub fn name(&self) -> String {
        if let Some(p) = &self.pod {
            return format!("pod {}", crate::text::quote(p));
        }
        if self.labels.is_empty() {
            return "the series without labels".to_string();
        }
        label_text(&self.labels)
    }
}

/// Imported samples and the report of what the import did.
#[derive(Debug, Clone, PartialEq)]
pub struct Samples {
    pub format: Format,
    /// The metric name, when the input says it.
    pub metric: Option<String>,
    pub time_base: TimeBase,
    pub series: Vec<Series>,
    /// The `replicas` column of a CSV: sorted, one value per time.
    pub replicas: Vec<(TimeMs, f64)>,
    /// Whether the metric is a cumulative counter.
    pub counter: bool,
    /// What the import did, in a deterministic order.
    pub notes: Vec<Diagnostic>,
}

impl Samples {
    /// Whether any series has a pod.
    pub fn has_pods(&self) -> bool {
        self.series.iter().any(|s| s.pod.is_some())
    }
}

/// One entry of the import report as a line: `severity[code] line:column: message` (the
/// position when the entry has one). Entries are [`Diagnostic`]s with [`Code`]s like every
/// other finding; their span is the point in the samples text they are about.
pub fn note_text(note: &Diagnostic) -> String {
    let mut out = format!("{}[{}]", note.severity.as_str(), note.code);
    if let Some(s) = note.span {
        out.push_str(&format!(" {}:{}", s.start.line, s.start.column));
    }
    out.push_str(": ");
    out.push_str(&note.message);
    out
}

/// Malformed input, at a 1-based line and column (characters).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("line {line}, column {column}: {kind}")]
pub struct SampleError {
    pub line: u32,
    pub column: u32,
    pub kind: ErrorKind,
}

/// What is wrong with the input.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ErrorKind {
    #[error("empty input: {0}")]
    Empty(&'static str),
    /// The input does not follow the format's syntax.
    #[error("{0}")]
    Syntax(String),
    #[error("`{0}` is not a number")]
    NotANumber(String),
    #[error("`{text}` is not a time: {expected}")]
    NotATime {
        text: String,
        expected: &'static str,
    },
    #[error("{0}")]
    Header(String),
    #[error("expected {expected} fields, found {found}")]
    FieldCount { expected: usize, found: usize },
    /// The Prometheus API answered with `"status": "error"`.
    #[error("Prometheus returned an error ({error_type}): {error}")]
    Prometheus { error_type: String, error: String },
    #[error("metric `{wanted}` is not in the input; it has: {available}")]
    MetricNotFound { wanted: String, available: String },
    #[error("the input holds several metrics ({available}): name the one to import")]
    AmbiguousMetric { available: String },
    #[error("no samples: {0}")]
    NoSamples(String),
    #[error("{0}")]
    Invalid(String),
    #[error("no series of the metric is selected by `{selector}`; the series have: {available}")]
    NoSeriesSelected { selector: String, available: String },
    #[error(
        "more than {limit} series: narrow the query (a namespace, model or deployment selector) \
         or aggregate it (`sum by (pod)`)"
    )]
    TooManySeries { limit: usize },
}

impl SampleError {
    pub(crate) fn new(line: u32, column: u32, kind: ErrorKind) -> Self {
        SampleError {
            line,
            column,
            kind: kind.bounded(),
        }
    }

    /// The message without the position.
    pub fn message(&self) -> String {
        self.kind.to_string()
    }
}

impl ErrorKind {
    /// The kind with its text made safe to show: a value quoted from the input (a number, a time,
    /// a metric name) escaped and cut at [`crate::text::QUOTE_MAX_CHARS`], longer texts (messages,
    /// name lists, Prometheus' error) escaped and bounded ([`crate::text::bound_message`]).
    fn bounded(self) -> Self {
        use crate::text::{bound_message as msg, quote};
        let q = |s: String| quote(&s).into_owned();
        match self {
            ErrorKind::Syntax(s) => ErrorKind::Syntax(msg(s)),
            ErrorKind::NotANumber(s) => ErrorKind::NotANumber(q(s)),
            ErrorKind::NotATime { text, expected } => ErrorKind::NotATime {
                text: q(text),
                expected,
            },
            ErrorKind::Header(s) => ErrorKind::Header(msg(s)),
            ErrorKind::Prometheus { error_type, error } => ErrorKind::Prometheus {
                error_type: q(error_type),
                error: msg(error),
            },
            ErrorKind::MetricNotFound { wanted, available } => ErrorKind::MetricNotFound {
                wanted: q(wanted),
                available: msg(available),
            },
            ErrorKind::AmbiguousMetric { available } => ErrorKind::AmbiguousMetric {
                available: msg(available),
            },
            ErrorKind::NoSeriesSelected {
                selector,
                available,
            } => ErrorKind::NoSeriesSelected {
                selector: msg(selector),
                available: msg(available),
            },
            ErrorKind::NoSamples(s) => ErrorKind::NoSamples(msg(s)),
            ErrorKind::Invalid(s) => ErrorKind::Invalid(msg(s)),
            k @ (ErrorKind::Empty(_)
            | ErrorKind::FieldCount { .. }
            | ErrorKind::TooManySeries { .. }) => k,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Positions

/// Converts byte offsets of the input into 1-based line and character column through the
/// source's [`LineIndex`], built only when first asked (error and note paths only).
pub(crate) struct Locator<'a> {
    text: &'a str,
    index: OnceCell<LineIndex<'a>>,
}

impl<'a> Locator<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Locator {
            text,
            index: OnceCell::new(),
        }
    }

    /// The point at byte `offset` (clamped as [`Self::pos`]), as the span of an import note.
    pub(crate) fn point(&self, offset: usize) -> crate::span::Span {
        let p = self
            .index
            .get_or_init(|| LineIndex::new(self.text))
            .pos_of_byte(offset);
        crate::span::Span::new(p, p)
    }

    /// Line and column of byte `offset` (clamped to the text; a split character counts whole).
    pub(crate) fn pos(&self, offset: usize) -> (u32, u32) {
        let p = self
            .index
            .get_or_init(|| LineIndex::new(self.text))
            .pos_of_byte(offset);
        (p.line, p.column)
    }

    pub(crate) fn err(&self, offset: usize, kind: ErrorKind) -> SampleError {
        let (l, c) = self.pos(offset);
        SampleError::new(l, c, kind)
    }
}

// ---------------------------------------------------------------------------------------------
// Times in messages

/// A time for messages: RFC 3339 UTC for epoch times ([`display::Utc`]), seconds for relative
/// ones ([`display::Seconds`]).
pub fn fmt_time(t: TimeMs, base: TimeBase) -> String {
    match base {
        TimeBase::Relative => display::Seconds(t).to_string(),
        TimeBase::Epoch => display::Utc(t).to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// Shared helpers for the parsers

/// Whether a metric name matches what the caller asked for: equal, or equal without a `vllm:`
/// prefix on either side, or the asked name plus a counter's `_total` suffix.
pub fn name_matches(name: &str, wanted: &str) -> bool {
    let n = name.strip_prefix("vllm:").unwrap_or(name);
    let w = wanted.strip_prefix("vllm:").unwrap_or(wanted);
    n == w || n.strip_suffix("_total") == Some(w)
}

/// A list of names for messages: sorted, at most 12, then `and N more`.
pub(crate) fn list_names<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let mut v: Vec<&str> = names.into_iter().collect();
    crate::sort::natural(&mut v);
    v.dedup();
    let n = v.len();
    let mut s = v
        .iter()
        .take(12)
        .map(|x| format!("`{}`", crate::text::quote(x)))
        .collect::<Vec<_>>()
        .join(", ");
    if n > 12 {
        let _ = write!(s, " and {} more", n - 12);
    }
    s
}

/// Splits off the pod from a label set (`pod`, else `pod_name`, else `kubernetes_pod_name`);
/// returns the alias label used, if not `pod`.
pub(crate) fn pod_of(labels: &[(String, String)]) -> (Option<String>, Option<&'static str>) {
    for key in ["pod", "pod_name", "kubernetes_pod_name"] {
        if let Some((_, v)) = labels.iter().find(|(k, _)| k == key) {
            if !v.is_empty() {
                let alias = if key == "pod" { None } else { Some(key) };
                return (Some(v.clone()), alias);
            }
        }
    }
    (None, None)
}

/// Most series one import reads (label sets across every metric in the input).
///
/// **Why this value.** Each series costs about 1 KB and 10–17 µs to read, clean and align
/// (release build on a shared 2-core machine, `scalelens check --samples` on generated
/// exposition text, one sample per series: 100 000 series 1.7 s and 101 MB, 400 000 series
/// 6.2 s and 391 MB). A per-pod recording has one series per pod, so 100 000 is far above any
/// one deployment (a per-pod range query of a large vLLM fleet returns hundreds of series)
/// while any input stays within the command line's 2 s and 200 MB.
///
/// **When it is hit:** the import stops with an error at the series that crossed it; narrow the
/// query (a `namespace`, `model_name` or deployment selector) or aggregate it (`sum by (pod)`).
pub const MAX_SERIES: usize = 100_000;

/// The error for the series past [`MAX_SERIES`], at byte `offset` of the input.
pub(crate) fn too_many_series(loc: &Locator<'_>, offset: usize) -> SampleError {
    loc.err(offset, ErrorKind::TooManySeries { limit: MAX_SERIES })
}

/// Samples of one series as read, before clean-up: parallel vectors of points and the byte
/// offset in the input where each sample was written.
#[derive(Debug, Default)]
pub(crate) struct RawSeries {
    pub labels: Vec<(String, String)>,
    pub points: Vec<(TimeMs, f64)>,
    pub locs: Vec<u32>,
    /// Empty / `null` cells skipped: count and first offset.
    pub missing: usize,
    pub first_missing: usize,
}

impl RawSeries {
    pub(crate) fn new(mut labels: Vec<(String, String)>) -> Self {
        labels.retain(|(k, _)| k != "__name__");
        crate::sort::natural(&mut labels);
        RawSeries {
            labels,
            ..RawSeries::default()
        }
    }

    #[inline]
    pub(crate) fn push(&mut self, t: TimeMs, v: f64, loc: usize) {
        self.points.push((t, v));
        self.locs.push(saturating_u32(loc));
    }

    pub(crate) fn missing(&mut self, loc: usize) {
        if self.missing == 0 {
            self.first_missing = loc;
        }
        self.missing += 1;
    }
}

/// How many notes of one kind per series before a summary.
const NOTE_CAP: usize = 3;

/// Everything the parsers hand to [`finish`].
pub(crate) struct Collected {
    pub format: Format,
    pub metric: Option<String>,
    pub time_base: TimeBase,
    pub series: Vec<RawSeries>,
    /// `(time, replicas, byte offset)`, in file order.
    pub replicas: Vec<(TimeMs, f64, usize)>,
    pub counter: bool,
    pub notes: Vec<Diagnostic>,
}

impl Collected {
    /// Metric series with no replicas column; a metric named `*_total` is a counter.
    pub(crate) fn series(
        format: Format,
        metric: Option<String>,
        time_base: TimeBase,
        series: Vec<RawSeries>,
        notes: Vec<Diagnostic>,
    ) -> Collected {
        let counter = metric.as_deref().is_some_and(|m| m.ends_with("_total"));
        Collected {
            format,
            metric,
            time_base,
            series,
            replicas: Vec::new(),
            counter,
            notes,
        }
    }
}

/// Keep the series that `selector` selects (the label selector of the autoscaler's metric,
/// [`Hints::selector`]), saying what was kept in a `samples-selector` note. When no series
/// carries any label the selector names (a query already aggregated over them), the selector
/// cannot be applied: every series is kept, and the note says so. When series carry those
/// labels but none is selected, the import fails: replaying another series than the one the
/// autoscaler reads would be a wrong replay.
pub(crate) fn select_series(
    series: Vec<RawSeries>,
    selector: &[LabelMatcher],
    metric: &str,
    notes: &mut Vec<Diagnostic>,
) -> Result<Vec<RawSeries>, SampleError> {
    if selector.is_empty() {
        return Ok(series);
    }
    let text = selector_text(selector);
    let metric = crate::text::quote(metric);
    let named = |s: &RawSeries| {
        s.labels
            .iter()
            .any(|(k, _)| selector.iter().any(|m| m.label == *k))
    };
    if !series.iter().any(named) {
        notes.push(Diagnostic::new(
            Code::SamplesSelector,
            Severity::Note,
            format!(
                "the series of `{metric}` carry no label the autoscaler's selector `{text}` names: every series is read as selected (an aggregated query?)"
            ),
        ));
        return Ok(series);
    }
    let total = series.len();
    let (kept, dropped): (Vec<RawSeries>, Vec<RawSeries>) = series
        .into_iter()
        .partition(|s| selector.iter().all(|m| m.matches(&s.labels)));
    if kept.is_empty() {
        let available = dropped
            .iter()
            .take(5)
            .map(|s| label_set_text(&s.labels))
            .collect::<Vec<_>>()
            .join("; ");
        let more = total.saturating_sub(5);
        let available = if more > 0 {
            format!("{available}; and {more} more")
        } else {
            available
        };
        return Err(SampleError::new(
            1,
            1,
            ErrorKind::NoSeriesSelected {
                selector: text,
                available,
            },
        ));
    }
    if !dropped.is_empty() {
        notes.push(Diagnostic::new(
            Code::SamplesSelector,
            Severity::Note,
            format!(
                "{} of {total} series of `{metric}` read: those the autoscaler's selector `{text}` selects",
                kept.len()
            ),
        ));
    }
    Ok(kept)
}

/// A label set as Prometheus prints it: `{model="a", pod="p"}`.
fn label_set_text(labels: &[(String, String)]) -> String {
    let inner: Vec<String> = labels
        .iter()
        .map(|(k, v)| format!("{k}=\"{}\"", crate::text::quote(v)))
        .collect();
    format!("{{{}}}", inner.join(", "))
}

/// The clean-up shared by every format: drop non-finite values, sort, resolve duplicates, and
/// report gaps, counter resets, pod churn and pod labels.
pub(crate) fn finish(text: &str, c: Collected) -> Samples {
    let loc = Locator::new(text);
    let base = c.time_base;
    let mut notes = c.notes;
    let mut series: Vec<(Series, Vec<u32>)> = Vec::with_capacity(c.series.len());
    let mut aliases: Vec<&'static str> = Vec::new();
    // Each series cleaned, with its own notes (kept in series order).
    let mut cleaned: Vec<(Series, Vec<u32>, Vec<Diagnostic>)> = Vec::with_capacity(c.series.len());
    for raw in c.series {
        let (pod, alias) = pod_of(&raw.labels);
        if let Some(a) = alias {
            aliases.push(a);
        }
        let s = Series {
            labels: raw.labels,
            pod,
            points: Vec::new(),
        };
        let name = s.name();
        let mut own = Vec::new();
        if raw.missing > 0 {
            own.push(
                Diagnostic::new(
                    Code::SamplesMissingValue,
                    Severity::Note,
                    format!(
                        "{name}: {} empty or null value(s) skipped (no sample at those times)",
                        raw.missing
                    ),
                )
                .at(loc.point(raw.first_missing)),
            );
        }
        let (points, locs) = clean_points(raw.points, raw.locs, &name, &loc, &mut own);
        cleaned.push((Series { points, ..s }, locs, own));
    }
    // Stray samples, over all series together (before the gaps they would make).
    let all_times: Vec<TimeMs> = cleaned
        .iter()
        .flat_map(|(s, _, _)| s.points.iter().map(|p| p.0))
        .collect();
    let stray_note = stray::body_range(all_times).and_then(|keep| {
        let mut views: Vec<stray::PointsAndLocs<'_>> = cleaned
            .iter_mut()
            .map(|(s, locs, _)| (&mut s.points, locs))
            .collect();
        stray::drop_outside(&mut views, keep, base, &loc)
    });
    for (s, locs, mut own) in cleaned {
        let name = s.name();
        gap_notes(&s.points, &locs, &name, base, &loc, &mut own);
        let points = &s.points;
        if c.counter {
            let mut resets = 0;
            for (i, (prev, next)) in pairs(points).enumerate() {
                if next.1 < prev.1 {
                    resets += 1;
                    if resets <= NOTE_CAP {
                        let at = locs.get(i + 1).map(|&o| loc.point(o as usize));
                        own.push(
                            Diagnostic::new(
                                Code::SamplesCounterReset,
                                Severity::Warning,
                                format!(
                                    "{name}: counter reset at {} ({} -> {}): the process restarted",
                                    fmt_time(next.0, base),
                                    crate::display::Exact(prev.1),
                                    crate::display::Exact(next.1)
                                ),
                            )
                            .at_opt(at),
                        );
                    }
                }
            }
            if resets > NOTE_CAP {
                own.push(Diagnostic::new(
                    Code::SamplesCounterReset,
                    Severity::Warning,
                    format!("{name}: {} counter resets in all", resets),
                ));
            }
        }
        notes.extend(own);
        if s.points.is_empty() {
            continue;
        }
        series.push((s, locs));
    }
    notes.extend(stray_note);
    if c.counter {
        notes.push(Diagnostic::new(
            Code::SamplesCounter,
            Severity::Warning,
            "the metric is a cumulative counter: its value is a running total, not a load; the \
             demand is its rate (query `rate(...)` instead)",
        ));
    }
    crate::sort::natural(&mut aliases);
    aliases.dedup();
    for a in aliases {
        notes.push(Diagnostic::new(
            Code::SamplesPodLabelAlias,
            Severity::Note,
            format!("the pod was read from the `{a}` label (there is no `pod` label)"),
        ));
    }

    if let Some(m) = c.metric.as_deref() {
        let fraction_metric =
            name_matches(m, "gpu_cache_usage_perc") || name_matches(m, "kv_cache_usage_perc");
        let max = series
            .iter()
            .flat_map(|s| s.0.points.iter().map(|p| p.1))
            .fold(f64::NEG_INFINITY, f64::max);
        if fraction_metric && max > 1.0 {
            notes.push(Diagnostic::new(
                Code::SamplesPercentScale,
                Severity::Warning,
                format!(
                    "vLLM exports `{m}` as a fraction (0-1, despite the name), but these values \
                     reach {}: they look like percent (0-100), 100× the fraction vLLM exports; \
                     the `unit-mismatch` check compares their scale with the target's",
                    crate::display::Exact(max)
                ),
            ));
        }
    }

    crate::sort::by(&mut series, |a, b| {
        (a.0.pod.is_none(), &a.0.pod, &a.0.labels).cmp(&(b.0.pod.is_none(), &b.0.pod, &b.0.labels))
    });
    pod_notes(&series, base, &loc, &mut notes);

    // Replicas: sort, one value per time.
    let mut reps = c.replicas;
    crate::sort::by_key(&mut reps, |r| r.0);
    let mut replicas: Vec<(TimeMs, f64)> = Vec::with_capacity(reps.len());
    let mut conflicts = 0usize;
    let mut first_conflict = 0usize;
    for (t, r, o) in reps {
        match replicas.last_mut() {
            Some(last) if last.0 == t => {
                if last.1 != r {
                    if conflicts == 0 {
                        first_conflict = o;
                    }
                    conflicts += 1;
                }
                last.1 = r;
            }
            _ => replicas.push((t, r)),
        }
    }
    if conflicts > 0 {
        notes.push(
            Diagnostic::new(
                Code::SamplesReplicasConflict,
                Severity::Warning,
                format!(
                    "{conflicts} row(s) give another `replicas` value for a time already seen: \
                     the last one was kept"
                ),
            )
            .at(loc.point(first_conflict)),
        );
    }

    Samples {
        format: c.format,
        metric: c.metric,
        time_base: base,
        series: series.into_iter().map(|(s, _)| s).collect(),
        replicas,
        counter: c.counter,
        notes: collapse_repeats(notes),
    }
}

/// More notes than this of one code in one import are collapsed into one note
/// ([`collapse_repeats`]): a report of ten lines of one kind still reads as a list (the seed
/// fixtures have six pods joining late), while 100 000 pods must not give 100 000 lines.
pub const REPEAT_LIMIT: usize = 10;

/// How many of the collapsed notes a collapsed note quotes.
pub const REPEAT_EXAMPLES: usize = 3;

/// The most characters of one quoted example in a collapsed note: a pod name with its labels
/// and the note's own text fit; a pasted blob of labels is cut.
const EXAMPLE_MAX_CHARS: usize = 200;

/// What a kind of repeated note is about, for the collapsed note.
fn repeated_kind(code: Code) -> &'static str {
    match code {
        Code::SamplesPodChurn => "pods present for part of the range only",
        Code::SamplesGap => "gaps in the samples",
        Code::SamplesCounterReset => "counter resets",
        Code::SamplesMissingValue => "series with empty or null values",
        Code::SamplesNonFinite => "series with NaN or infinite values",
        Code::SamplesUnsorted => "series with times out of order",
        Code::SamplesDuplicateTime => "series with repeated times",
        Code::SamplesNoPod => "series without a pod label",
        Code::SamplesDuplicatePod => "pods in several series",
        Code::SamplesDemandPodAbsent => "series with absent steps",
        Code::SamplesIgnoredColumn => "unused columns",
        Code::SamplesPrometheusWarning => "Prometheus warnings",
        _ => "repeated notes",
    }
}

/// Collapse every code that has more than [`REPEAT_LIMIT`] notes into one note, where the first
/// of them was: its count, the first [`REPEAT_EXAMPLES`] messages, the most severe severity and
/// the first position. Other notes keep their order. Linear in the number of notes.
pub fn collapse_repeats(notes: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut counts: std::collections::BTreeMap<Code, usize> = Default::default();
    for n in &notes {
        *counts.entry(n.code).or_default() += 1;
    }
    if counts.values().all(|&c| c <= REPEAT_LIMIT) {
        return notes;
    }
    // Per collapsed code: (index of its note in `out`, examples so far).
    let mut slots: std::collections::BTreeMap<Code, (usize, usize)> = Default::default();
    let mut out: Vec<Diagnostic> = Vec::with_capacity(notes.len().min(64));
    for n in notes {
        let total = counts.get(&n.code).copied().unwrap_or(0);
        if total <= REPEAT_LIMIT {
            out.push(n);
            continue;
        }
        let example = crate::text::clip(&n.message, EXAMPLE_MAX_CHARS).into_owned();
        match slots.get_mut(&n.code) {
            None => {
                slots.insert(n.code, (out.len(), 1));
                let message = format!(
                    "{}: {total} notes, the first {REPEAT_EXAMPLES}: {example}",
                    repeated_kind(n.code)
                );
                out.push(Diagnostic { message, ..n });
            }
            Some((at, shown)) => {
                let Some(first) = out.get_mut(*at) else {
                    continue;
                };
                first.severity = first.severity.min(n.severity);
                if *shown < REPEAT_EXAMPLES {
                    *shown += 1;
                    first.message.push_str("; ");
                    first.message.push_str(&example);
                    if *shown == REPEAT_EXAMPLES {
                        let _ = write!(first.message, "; and {} more", total - REPEAT_EXAMPLES);
                    }
                }
            }
        }
    }
    out
}

/// Drop non-finite values, sort by time (stable), keep the last of equal times (gaps are
/// reported later, by [`gap_notes`], once stray samples are gone).
fn clean_points(
    points: Vec<(TimeMs, f64)>,
    locs: Vec<u32>,
    name: &str,
    loc: &Locator,
    notes: &mut Vec<Diagnostic>,
) -> (Vec<(TimeMs, f64)>, Vec<u32>) {
    // `points` and `locs` are parallel (`RawSeries::push`); zipped, they stay so.
    let mut rows: Vec<((TimeMs, f64), u32)> = points.into_iter().zip(locs).collect();
    // Non-finite values.
    let (mut nan, mut pos_inf, mut neg_inf) = (0usize, 0usize, 0usize);
    let mut first_drop: Option<u32> = None;
    rows.retain(|&((_, v), at)| {
        if v.is_finite() {
            return true;
        }
        if v.is_nan() {
            nan += 1;
        } else if v > 0.0 {
            pos_inf += 1;
        } else {
            neg_inf += 1;
        }
        first_drop.get_or_insert(at);
        false
    });
    if nan + pos_inf + neg_inf > 0 {
        let parts: Vec<String> = [("NaN", nan), ("+Inf", pos_inf), ("-Inf", neg_inf)]
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(s, n)| format!("{n} {s}"))
            .collect();
        notes.push(
            Diagnostic::new(
                Code::SamplesNonFinite,
                Severity::Warning,
                format!("{name}: dropped {} (not a usable value)", parts.join(", ")),
            )
            .at_opt(first_drop.map(|o| loc.point(o as usize))),
        );
    }

    // Order.
    let first_unsorted = pairs(&rows).position(|(a, b)| b.0 .0 < a.0 .0);
    if let Some(i) = first_unsorted {
        let at = rows.get(i + 1).map(|&(_, o)| loc.point(o as usize));
        crate::sort::by_key(&mut rows, |r| r.0 .0);
        notes.push(
            Diagnostic::new(
                Code::SamplesUnsorted,
                Severity::Warning,
                format!("{name}: times out of order (first here); sorted by time"),
            )
            .at_opt(at),
        );
    }

    // Duplicates: the last in file order wins (the sort is stable). `dedup_by` hands each row
    // with the row kept before it; an equal time replaces the kept row.
    let mut dups = 0usize;
    let mut first_dup: Option<u32> = None;
    rows.dedup_by(|next, kept| {
        if next.0 .0 != kept.0 .0 {
            return false;
        }
        dups += 1;
        first_dup.get_or_insert(next.1);
        *kept = *next;
        true
    });
    let (points, locs): (Vec<(TimeMs, f64)>, Vec<u32>) = rows.into_iter().unzip();
    if dups > 0 {
        notes.push(
            Diagnostic::new(
                Code::SamplesDuplicateTime,
                Severity::Warning,
                format!(
                    "{name}: {dups} sample(s) at a time already seen (first here); the last in \
                     the file was kept"
                ),
            )
            .at_opt(first_dup.map(|o| loc.point(o as usize))),
        );
    }

    (points, locs)
}

/// Report gaps longer than twice the median spacing of `points` (at most [`NOTE_CAP`], then a
/// count).
fn gap_notes(
    points: &[(TimeMs, f64)],
    locs: &[u32],
    name: &str,
    base: TimeBase,
    loc: &Locator,
    notes: &mut Vec<Diagnostic>,
) {
    if let Some(med) = median_spacing(points) {
        let mut gaps = 0;
        for (i, (prev, next)) in pairs(points).enumerate() {
            let d = next.0.saturating_sub(prev.0).unsigned_abs();
            if d > med.saturating_mul(2) {
                gaps += 1;
                if gaps <= NOTE_CAP {
                    let at = locs.get(i + 1).map(|&o| loc.point(o as usize));
                    notes.push(
                        Diagnostic::new(
                            Code::SamplesGap,
                            Severity::Warning,
                            format!(
                                "{name}: no samples for {} between {} and {} (typical spacing {})",
                                display::Dur(d),
                                fmt_time(prev.0, base),
                                fmt_time(next.0, base),
                                display::Dur(med)
                            ),
                        )
                        .at_opt(at),
                    );
                }
            }
        }
        if gaps > NOTE_CAP {
            notes.push(Diagnostic::new(
                Code::SamplesGap,
                Severity::Warning,
                format!("{name}: {gaps} gaps in all"),
            ));
        }
    }
}

/// Each element of `items` with the next one, in order: `(a, b), (b, c), ...`.
fn pairs<T>(items: &[T]) -> impl Iterator<Item = (&T, &T)> {
    items.iter().zip(items.iter().skip(1))
}

/// The median spacing of sorted, distinct times (None below two points).
pub(crate) fn median_spacing(points: &[(TimeMs, f64)]) -> Option<u64> {
    let mut d: Vec<u64> = pairs(points)
        .map(|(a, b)| b.0.saturating_sub(a.0).unsigned_abs())
        .collect();
    if d.is_empty() {
        return None;
    }
    let mid = d.len() / 2;
    d.select_nth_unstable(mid);
    d.get(mid).copied()
}

/// Pod churn, series without a pod, one pod in several series.
fn pod_notes(
    series: &[(Series, Vec<u32>)],
    base: TimeBase,
    loc: &Locator,
    notes: &mut Vec<Diagnostic>,
) {
    let with_pod = series.iter().filter(|s| s.0.pod.is_some()).count();
    if with_pod > 0 {
        for (s, locs) in series.iter().filter(|s| s.0.pod.is_none()) {
            notes.push(
                Diagnostic::new(
                    Code::SamplesNoPod,
                    Severity::Warning,
                    format!(
                        "{}: no pod label, while other series have one (counted as a pod of its own)",
                        s.name()
                    ),
                )
                .at_opt(locs.first().map(|&o| loc.point(o as usize))),
            );
        }
        for ((a, _), (b, b_locs)) in pairs(series) {
            if a.pod.is_some() && a.pod == b.pod {
                notes.push(
                    Diagnostic::new(
                        Code::SamplesDuplicatePod,
                        Severity::Warning,
                        format!(
                            "{} appears in several series ({} and {}): each is counted",
                            a.name(),
                            label_text(&a.labels),
                            label_text(&b.labels)
                        ),
                    )
                    .at_opt(b_locs.first().map(|&o| loc.point(o as usize))),
                );
            }
        }
    } else if series.len() > 1 {
        notes.push(Diagnostic::new(
            Code::SamplesNoPod,
            Severity::Note,
            format!(
                "{} series without a pod label: each label set is a series",
                series.len()
            ),
        ));
    }

    // Churn: pods whose samples start late or stop early (more than one typical step).
    if series.len() < 2 {
        return;
    }
    let (Some(first), Some(last)) = (
        series
            .iter()
            .filter_map(|s| s.0.points.first())
            .map(|p| p.0)
            .min(),
        series
            .iter()
            .filter_map(|s| s.0.points.last())
            .map(|p| p.0)
            .max(),
    ) else {
        return;
    };
    let mut steps: Vec<u64> = series
        .iter()
        .filter_map(|s| median_spacing(&s.0.points))
        .collect();
    crate::sort::natural(&mut steps);
    let step = steps.get(steps.len() / 2).copied().unwrap_or(0) as i64;
    for (s, locs) in series {
        let (Some(a), Some(b)) = (s.points.first(), s.points.last()) else {
            continue;
        };
        let late = a.0 > first.saturating_add(step);
        let early = b.0 < last.saturating_sub(step);
        if late || early {
            let what = match (late, early) {
                (true, true) => format!(
                    "samples from {} to {} only",
                    fmt_time(a.0, base),
                    fmt_time(b.0, base)
                ),
                (true, false) => format!("first sample at {} (started later)", fmt_time(a.0, base)),
                _ => format!("last sample at {} (went away)", fmt_time(b.0, base)),
            };
            notes.push(
                Diagnostic::new(
                    Code::SamplesPodChurn,
                    Severity::Note,
                    format!("{}: {what}", s.name()),
                )
                .at_opt(locs.first().map(|&o| loc.point(o as usize))),
            );
        }
    }
}

/// The most labels a label set shows in a message; a series with more says how many it left out.
const LABELS_SHOWN: usize = 8;

/// A label set for messages: `{k="v", ...}`, each name and value escaped and cut
/// ([`crate::text::quote`]), at most [`LABELS_SHOWN`] labels.
fn label_text(labels: &[(String, String)]) -> String {
    use crate::text::quote;
    let mut inner: Vec<String> = labels
        .iter()
        .take(LABELS_SHOWN)
        .map(|(k, v)| format!("{}=\"{}\"", quote(k), quote(v).replace('"', "\\\"")))
        .collect();
    if labels.len() > LABELS_SHOWN {
        inner.push(format!("and {} more", labels.len() - LABELS_SHOWN));
    }
    format!("{{{}}}", inner.join(", "))
}

// ---------------------------------------------------------------------------------------------
// Detection

/// Which format `text` looks like:
/// - the first non-blank character is `{` ⇒ Prometheus JSON;
/// - a first meaningful line `# HELP`, `# TYPE`, `# UNIT`, `# EOF`, or shaped like
///   `name{...} value` / `name value` ⇒ exposition;
/// - otherwise a CSV header: `Series,Time,Value` ⇒ Grafana long; a first column `Time` (any
///   case) and none of the plain CSV's `value`, `demand`, `pod`, `pod_name`, `replicas` ⇒ Grafana wide; a
///   `sep=` line (Grafana's Excel mode) ⇒ Grafana; `Time,Value` whose first row's time is
///   epoch milliseconds ⇒ Grafana wide; else the plain CSV.
pub fn detect(text: &str) -> Format {
    let text = crate::text::strip_bom(text);
    if text.trim_start().starts_with('{') {
        return Format::PrometheusJson;
    }
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let l = line.trim();
        if l.is_empty() {
            continue;
        }
        if let Some(rest) = l.strip_prefix('#') {
            let word = rest.split_whitespace().next().unwrap_or("");
            if matches!(word, "HELP" | "TYPE" | "UNIT" | "EOF") {
                return Format::Exposition;
            }
            continue; // a CSV comment
        }
        if exposition::looks_like_sample(l) {
            return Format::Exposition;
        }
        if l.to_ascii_lowercase().starts_with("sep=") {
            return Format::GrafanaWide; // refined by the Grafana parser
        }
        let f = csv::classify_header(l);
        if f == Format::Csv && epoch_ms_first_column(l, lines.next()) {
            return Format::GrafanaWide;
        }
        return f;
    }
    Format::Csv
}

/// `Time,Value` with epoch milliseconds (12 digits or more) in the first column: Grafana's
/// export of a single series, not the plain CSV (whose numeric times are seconds from start).
fn epoch_ms_first_column(header: &str, row: Option<&str>) -> bool {
    let first = |l: &str| {
        l.split([',', ';', '\t'])
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches('"')
            .to_ascii_lowercase()
    };
    let Some(row) = row else { return false };
    let t = first(row);
    first(header) == "time" && t.len() >= 12 && t.bytes().all(|c| c.is_ascii_digit())
}

/// Detect the format (unless `hints.format` says it) and parse. The result's `format` says which
/// was used, and its first note (code [`Code::SamplesFormat`]) says so in words.
pub fn detect_and_parse(text: &str, hints: &Hints) -> Result<Samples, SampleError> {
    let (format, how) = match hints.format {
        Some(f) => (f, "given"),
        None => (detect(text), "detected"),
    };
    let mut s = match format {
        Format::Csv => parse_csv(text),
        Format::GrafanaWide | Format::GrafanaLong => parse_grafana_csv(text),
        Format::Exposition => parse_exposition(text, hints),
        Format::PrometheusJson => parse_prometheus_json(text, hints),
    }?;
    s.notes.insert(
        0,
        Diagnostic::new(
            Code::SamplesFormat,
            Severity::Note,
            format!("format {how}: {}", s.format.as_str()),
        ),
    );
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(code: Code, severity: Severity, line: u32, message: &str) -> Diagnostic {
        let p = crate::span::Pos {
            line,
            column: 1,
            offset: 0,
        };
        Diagnostic::new(code, severity, message).at(crate::span::Span::new(p, p))
    }

    /// (selector, label sets) → the label sets kept, or `None` for the no-series error, and
    /// whether a `samples-selector` note is made.
    #[test]
    fn the_selector_keeps_the_series_it_selects() {
        use crate::model::{LabelMatcher, MatchOp};
        let m = |label: &str, op: MatchOp, values: &[&str]| LabelMatcher {
            label: label.into(),
            op,
            values: values.iter().map(|v| v.to_string()).collect(),
        };
        let set = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let llama = set(&[("model", "llama"), ("pod", "a")]);
        let mistral = set(&[("model", "mistral"), ("pod", "b")]);
        let canary = set(&[("canary", "1"), ("model", "llama"), ("pod", "c")]);
        let bare = set(&[("pod", "d")]);
        type Case = (
            Vec<LabelMatcher>,
            Vec<Vec<(String, String)>>,
            Option<Vec<usize>>,
            bool,
        );
        let cases: Vec<Case> = vec![
            // No selector: everything, no note.
            (
                vec![],
                vec![llama.clone(), mistral.clone()],
                Some(vec![0, 1]),
                false,
            ),
            (
                vec![m("model", MatchOp::In, &["llama"])],
                vec![llama.clone(), mistral.clone(), canary.clone()],
                Some(vec![0, 2]),
                true,
            ),
            (
                vec![
                    m("model", MatchOp::In, &["llama"]),
                    m("canary", MatchOp::DoesNotExist, &[]),
                ],
                vec![llama.clone(), mistral.clone(), canary.clone()],
                Some(vec![0]),
                true,
            ),
            (
                vec![m("model", MatchOp::NotIn, &["llama"])],
                vec![llama.clone(), mistral.clone(), bare.clone()],
                Some(vec![1, 2]),
                true,
            ),
            // All selected: no note.
            (
                vec![m("model", MatchOp::Exists, &[])],
                vec![llama.clone(), mistral.clone()],
                Some(vec![0, 1]),
                false,
            ),
            // No series carries the label: not applied, with a note.
            (
                vec![m("model", MatchOp::In, &["llama"])],
                vec![bare.clone()],
                Some(vec![0]),
                true,
            ),
            // The labels are there, no series is selected: an error.
            (
                vec![m("model", MatchOp::In, &["qwen"])],
                vec![llama.clone(), mistral.clone()],
                None,
                false,
            ),
        ];
        for (selector, sets, want, noted) in cases {
            let series: Vec<RawSeries> = sets.iter().cloned().map(RawSeries::new).collect();
            let mut notes = Vec::new();
            let got = select_series(series, &selector, "q", &mut notes);
            let want_sets =
                want.map(|idx| idx.iter().map(|&i| sets[i].clone()).collect::<Vec<_>>());
            let got_sets = got
                .as_ref()
                .ok()
                .map(|kept| kept.iter().map(|s| s.labels.clone()).collect::<Vec<_>>());
            assert_eq!(got_sets, want_sets, "{selector:?}");
            if let Err(e) = got {
                assert!(
                    matches!(e.kind, ErrorKind::NoSeriesSelected { .. }),
                    "{e:?}"
                );
                assert!(e.message().contains("model=qwen"), "{}", e.message());
                assert!(
                    e.message().contains(r#"model="mistral""#),
                    "{}",
                    e.message()
                );
            }
            let note = notes.iter().any(|n| n.code == Code::SamplesSelector);
            assert_eq!(note, noted, "{selector:?}: {notes:?}");
        }
    }

    /// (notes of a repeated code, notes of another code) → what the report keeps.
    #[test]
    fn repeated_notes_collapse() {
        let churn = |n: usize| -> Vec<Diagnostic> {
            (0..n)
                .map(|i| {
                    let sev = if i == 4 {
                        Severity::Warning
                    } else {
                        Severity::Note
                    };
                    note(
                        Code::SamplesPodChurn,
                        sev,
                        10 + i as u32,
                        &format!("pod p{i}: went away"),
                    )
                })
                .collect()
        };
        // At the limit: unchanged.
        let mut notes = churn(REPEAT_LIMIT);
        notes.insert(2, note(Code::SamplesGap, Severity::Warning, 3, "gap"));
        assert_eq!(collapse_repeats(notes.clone()), notes);

        // Above it: one note where the first was, the others in order.
        let mut notes = churn(100_000);
        notes.insert(0, note(Code::SamplesFormat, Severity::Note, 1, "csv"));
        notes.insert(3, note(Code::SamplesGap, Severity::Warning, 3, "gap"));
        let out = collapse_repeats(notes);
        assert_eq!(out.len(), 3, "{out:#?}");
        assert_eq!(out[0].code, Code::SamplesFormat);
        assert_eq!(out[2].code, Code::SamplesGap);
        let c = &out[1];
        assert_eq!(
            (c.code, c.severity, c.span.map(|s| s.start.line)),
            (Code::SamplesPodChurn, Severity::Warning, Some(10))
        );
        assert_eq!(
            c.message,
            "pods present for part of the range only: 100000 notes, the first 3: \
             pod p0: went away; pod p1: went away; pod p2: went away; and 99997 more"
        );
    }

    /// 100 000 pods that each leave early: one pod-churn note, not 100 000.
    #[test]
    fn many_pods_give_one_churn_note() {
        let mut csv = String::from("time,pod,value\n");
        for i in 0..100_000 {
            let _ = writeln!(csv, "0,p{i:06},1");
        }
        csv.push_str("60,p000000,1\n120,p000000,1\n");
        let s = parse_csv(&csv).expect("csv");
        let churn: Vec<_> = s
            .notes
            .iter()
            .filter(|n| n.code == Code::SamplesPodChurn)
            .collect();
        assert_eq!(churn.len(), 1, "{churn:#?}");
        assert!(
            churn[0].message.starts_with(
                "pods present for part of the range only: 99999 notes, the first 3: \
                 pod p000001: last sample at 0s (went away); pod p000002:"
            ),
            "{}",
            churn[0].message
        );
        assert!(s.notes.len() < 10, "{:#?}", s.notes);
    }

    /// (points with their offsets) → the cleaned points, their offsets, the notes' codes and
    /// the line each note points at (the text has one line per offset), through
    /// `clean_points` then `gap_notes` as `finish` calls them.
    #[test]
    fn clean_points_cases() {
        type Case = (
            &'static str,
            Vec<(TimeMs, f64)>,
            Vec<(TimeMs, f64)>,
            Vec<u32>,
            Vec<(Code, Option<u32>)>,
        );
        let cases: Vec<Case> = vec![
            ("empty", vec![], vec![], vec![], vec![]),
            (
                "clean",
                vec![(0, 1.0), (10, 2.0)],
                vec![(0, 1.0), (10, 2.0)],
                vec![0, 1],
                vec![],
            ),
            (
                "non-finite dropped, first one located",
                vec![(0, 1.0), (10, f64::INFINITY), (20, f64::NAN), (30, 3.0)],
                vec![(0, 1.0), (30, 3.0)],
                vec![0, 3],
                vec![(Code::SamplesNonFinite, Some(2))],
            ),
            (
                "sorted stably, the last of equal times kept",
                vec![(20, 1.0), (10, 2.0), (20, 3.0), (10, 4.0)],
                vec![(10, 4.0), (20, 3.0)],
                vec![3, 2],
                vec![
                    (Code::SamplesUnsorted, Some(2)),
                    (Code::SamplesDuplicateTime, Some(4)),
                ],
            ),
            (
                "a gap of more than twice the typical step",
                vec![(0, 1.0), (10, 1.0), (20, 1.0), (100, 1.0)],
                vec![(0, 1.0), (10, 1.0), (20, 1.0), (100, 1.0)],
                vec![0, 1, 2, 3],
                vec![(Code::SamplesGap, Some(4))],
            ),
        ];
        let text = "a\n".repeat(10);
        let loc = Locator::new(&text);
        for (name, points, want_points, want_locs, want_notes) in cases {
            let locs: Vec<u32> = (0..points.len() as u32).map(|i| 2 * i).collect();
            let mut notes = Vec::new();
            let (p, l) = clean_points(points, locs, "s", &loc, &mut notes);
            gap_notes(&p, &l, "s", TimeBase::Relative, &loc, &mut notes);
            assert_eq!(p, want_points, "{name}");
            let want_locs: Vec<u32> = want_locs.iter().map(|i| 2 * i).collect();
            assert_eq!(l, want_locs, "{name}");
            let got: Vec<_> = notes
                .iter()
                .map(|n| (n.code, n.span.map(|s| s.start.line)))
                .collect();
            assert_eq!(got, want_notes, "{name}");
        }
    }

    #[test]
    fn locator() {
        let t = "ab\ncdé\n\nx";
        let l = Locator::new(t);
        assert_eq!(l.pos(0), (1, 1));
        assert_eq!(l.pos(3), (2, 1));
        assert_eq!(l.pos(7), (2, 4)); // after the 2-byte é
        assert_eq!(l.pos(9), (4, 1));
        assert_eq!(l.pos(999), (4, 2));
    }

    #[test]
    fn names() {
        assert!(name_matches(
            "vllm:gpu_cache_usage_perc",
            "gpu_cache_usage_perc"
        ));
        assert!(name_matches(
            "gpu_cache_usage_perc",
            "vllm:gpu_cache_usage_perc"
        ));
        assert!(name_matches(
            "vllm:request_success_total",
            "request_success"
        ));
        assert!(!name_matches(
            "vllm:gpu_cache_usage",
            "gpu_cache_usage_perc"
        ));
    }
}
