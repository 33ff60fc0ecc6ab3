//! Machine-readable JSON output.
//!
//! `check`: `{"file", "diagnostics": [...]}`; each diagnostic has `code`, `severity`, `message`,
//! `help`, 1-based `line`/`column`/`end_line`/`end_column` (null without a span; the end is
//! exclusive), `fix` (the first fix or null) and `fixes` (all of them). A fix has a
//! `description`, an `applicability` (`safe-edit`: only how a value is written changes, a tool
//! may apply it; `needs-review`: the likely correction, to look at first; `advice-only`: no
//! edits, a change to make by hand) and its `edits` (empty for advice).
//!
//! `simulate`: see [`SimulationJson`].

use serde::Serialize;

use scalelens_core::diagnostic::Fix;
use scalelens_core::{Diagnostic, Millis};

use crate::render::timeline::SimReport;

#[derive(Debug, Serialize)]
pub struct EditJson {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub replacement: String,
}

#[derive(Debug, Serialize)]
pub struct FixJson {
    pub description: String,
    /// `safe-edit`, `needs-review` or `advice-only` ([`scalelens_core::diagnostic::Applicability`]).
    pub applicability: &'static str,
    pub edits: Vec<EditJson>,
}

impl From<&Fix> for FixJson {
    fn from(fix: &Fix) -> Self {
        FixJson {
            description: fix.description.clone(),
            applicability: fix.applicability.as_str(),
            edits: fix
                .edits
                .iter()
                .map(|e| EditJson {
                    line: e.span.start.line,
                    column: e.span.start.column,
                    end_line: e.span.end.line,
                    end_column: e.span.end.column,
                    replacement: e.replacement.clone(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct DiagnosticJson {
    pub code: &'static str,
    pub severity: &'static str,
    pub message: String,
    pub help: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub end_line: Option<u32>,
    pub end_column: Option<u32>,
    pub fix: Option<FixJson>,
    pub fixes: Vec<FixJson>,
}

impl From<&Diagnostic> for DiagnosticJson {
    fn from(d: &Diagnostic) -> Self {
        DiagnosticJson {
            code: d.code.as_str(),
            severity: d.severity.as_str(),
            message: d.message.clone(),
            help: d.help.clone(),
            line: d.span.map(|s| s.start.line),
            column: d.span.map(|s| s.start.column),
            end_line: d.span.map(|s| s.end.line),
            end_column: d.span.map(|s| s.end.column),
            fix: d.fixes.first().map(FixJson::from),
            fixes: d.fixes.iter().map(FixJson::from).collect(),
        }
    }
}

/// One entry of the samples import report (`"samples": {"notes": [...]}`): the note's code,
/// severity, 1-based line and column in the samples file (null without a position) and message.
#[derive(Debug, Serialize)]
pub struct NoteJson {
    pub code: &'static str,
    pub severity: &'static str,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
}

impl From<&Diagnostic> for NoteJson {
    fn from(d: &Diagnostic) -> Self {
        NoteJson {
            code: d.code.as_str(),
            severity: d.severity.as_str(),
            line: d.span.map(|s| s.start.line),
            column: d.span.map(|s| s.start.column),
            message: d.message.clone(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct CheckJson<'a> {
    pub file: &'a str,
    /// The samples import report with `--samples` (omitted without).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub samples: Option<&'a serde_json::Value>,
    pub diagnostics: Vec<DiagnosticJson>,
}

/// Pretty-printed JSON for `check`, with a trailing newline.
pub fn render_check(file: &str, diags: &[Diagnostic]) -> String {
    render_check_with_samples(file, diags, None)
}

/// [`render_check`] with the samples import report (`check --samples`).
pub fn render_check_with_samples(
    file: &str,
    diags: &[Diagnostic],
    samples: Option<&serde_json::Value>,
) -> String {
    let doc = CheckJson {
        file,
        samples,
        diagnostics: diags.iter().map(DiagnosticJson::from).collect(),
    };
    to_string(&doc)
}

/// Milliseconds as seconds: an integer when whole, else a float (`1.5`).
pub fn seconds(ms: Millis) -> serde_json::Number {
    if ms % 1000 == 0 {
        serde_json::Number::from(ms / 1000)
    } else {
        // ms / 1000 is finite for every u64, so from_f64 cannot fail; fall back to 0 anyway.
        serde_json::Number::from_f64(ms as f64 / 1000.0).unwrap_or_else(|| 0.into())
    }
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

#[derive(Debug, Serialize)]
pub struct OptionsJson {
    pub initial_replicas: u32,
    pub pod_startup_s: serde_json::Number,
    pub pod_startup_is_default: bool,
    pub duration_s: serde_json::Number,
}

#[derive(Debug, Serialize)]
pub struct TimelineRowJson {
    pub t: serde_json::Number,
    /// Null when not finite.
    pub demand: Option<f64>,
    /// Null when the controller observed nothing (NaN).
    pub observed: Option<f64>,
    pub ready: u32,
    pub replicas: u32,
    pub desired_raw: u32,
    pub desired: u32,
    pub mode: &'static str,
    pub reason: String,
    /// The metric whose recommendation the controller took (the HPA's and KEDA's max over
    /// metrics, AIBrix's max over sources); null when no metric's was, or the controller does
    /// not say.
    pub metric: Option<String>,
}

/// `simulate --format json`.
#[derive(Debug, Serialize)]
pub struct SimulationJson<'a> {
    pub file: &'a str,
    pub demand_file: &'a str,
    /// The samples import report with `--samples` (omitted with `--demand`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub samples: Option<&'a serde_json::Value>,
    pub upstream: &'a str,
    pub autoscaler: &'a serde_json::Value,
    pub options: OptionsJson,
    pub timeline: Vec<TimelineRowJson>,
    pub diagnostics: Vec<DiagnosticJson>,
}

/// Pretty-printed JSON for `simulate`, with a trailing newline.
pub fn render_simulation(report: &SimReport<'_>) -> String {
    let out = report.output;
    let doc = SimulationJson {
        file: report.file,
        demand_file: report.demand_file,
        samples: report.samples.as_ref(),
        upstream: report.upstream,
        autoscaler: &report.autoscaler,
        options: OptionsJson {
            initial_replicas: out.initial_replicas,
            pod_startup_s: seconds(out.pod_startup),
            pod_startup_is_default: out.pod_startup_is_default,
            duration_s: seconds(out.duration),
        },
        timeline: out
            .timeline
            .iter()
            .map(|e| TimelineRowJson {
                t: seconds(e.t),
                demand: finite(e.demand),
                observed: finite(e.observed),
                ready: e.ready,
                replicas: e.replicas,
                desired_raw: e.desired_raw,
                desired: e.desired,
                mode: e.mode.as_str(),
                reason: e.reason.to_string(),
                metric: e
                    .metric
                    .and_then(|i| report.metric_names.get(usize::from(i)))
                    .cloned(),
            })
            .collect(),
        diagnostics: report
            .diagnostics
            .iter()
            .map(DiagnosticJson::from)
            .collect(),
    };
    to_string(&doc)
}

pub(crate) fn to_string<T: Serialize>(value: &T) -> String {
    // Serializing these plain structs (string keys, no maps with non-string keys) cannot fail;
    // if it ever did, emit a JSON error object rather than panic.
    let mut s = serde_json::to_string_pretty(value).unwrap_or_else(|e| {
        format!(
            "{{\"error\": {}}}",
            serde_json::Value::String(e.to_string())
        )
    });
    s.push('\n');
    s
}
