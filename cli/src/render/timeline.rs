//! The simulation's timeline as a readable table (`simulate`'s text output) and as CSV.

use std::fmt::Write as _;
use std::mem::discriminant;

use scalelens_core::display::{Clock, Dur, Num};
use scalelens_core::sim::{SimOutput, TimelineEntry};
use scalelens_core::text::escape;
use scalelens_core::Diagnostic;

/// Everything the `simulate` renderers show. Built by the command from the parsed autoscaler
/// and the simulator's output, so renderers (and their tests) don't need a model instance.
#[derive(Debug, Clone)]
pub struct SimReport<'a> {
    /// The autoscaler YAML file.
    pub file: &'a str,
    /// The demand CSV file.
    pub demand_file: &'a str,
    /// `Algorithm::upstream()`: the upstream project, version and algorithm replayed.
    pub upstream: &'a str,
    /// `Kind namespace/name` of the autoscaler.
    pub autoscaler_label: String,
    /// The normalized model, serialized (for JSON output).
    pub autoscaler: serde_json::Value,
    /// Where the initial replica count comes from, in words.
    pub initial_replicas_from: String,
    pub output: &'a SimOutput,
    /// All diagnostics (config, selection, simulation), sorted.
    pub diagnostics: &'a [Diagnostic],
    /// The samples import report (`--samples`) as JSON, `None` with `--demand`.
    pub samples: Option<serde_json::Value>,
    /// The autoscaler's metric names, in model order (a timeline entry's `metric` indexes it).
    pub metric_names: Vec<String>,
}

/// True when `e` differs from `prev` in something the table shows a row for.
fn changed(prev: &TimelineEntry, e: &TimelineEntry) -> bool {
    prev.replicas != e.replicas
        || prev.ready != e.ready
        || prev.desired != e.desired
        || prev.mode != e.mode
        || discriminant(&prev.reason) != discriminant(&e.reason)
}

/// Indices of the rows the text table shows: the first, the last, and every row where the
/// replicas, ready pods, desired count, mode or deciding rule changed.
pub fn shown_rows(timeline: &[TimelineEntry]) -> Vec<usize> {
    let mut rows = Vec::new();
    for (i, e) in timeline.iter().enumerate() {
        let keep = match i.checked_sub(1).and_then(|p| timeline.get(p)) {
            None => true,
            Some(prev) => changed(prev, e) || i + 1 == timeline.len(),
        };
        if keep {
            rows.push(i);
        }
    }
    rows
}

/// The header: what is replayed, and with which options.
pub fn render_header(report: &SimReport<'_>) -> String {
    let out = report.output;
    let mut s = String::new();
    let _ = writeln!(s, "Replaying {}", report.upstream);
    let _ = writeln!(
        s,
        "  autoscaler  {} ({})",
        escape(&report.autoscaler_label),
        escape(report.file)
    );
    let _ = writeln!(s, "  demand      {}", escape(report.demand_file));
    let startup = if out.pod_startup_is_default {
        format!(
            "pod start-up {} (Scalelens default, not read from the input; override with --pod-startup)",
            Dur(out.pod_startup)
        )
    } else {
        format!("pod start-up {}", Dur(out.pod_startup))
    };
    let _ = writeln!(
        s,
        "  options     initial replicas {} ({}), {startup}, duration {}",
        out.initial_replicas,
        report.initial_replicas_from,
        Dur(out.duration)
    );
    s
}

/// The text report: header, the table of changes, a one-line outcome.
pub fn render_text(report: &SimReport<'_>) -> String {
    let timeline = &report.output.timeline;
    let mut s = render_header(report);
    s.push('\n');
    if timeline.is_empty() {
        s.push_str("The simulation produced no decisions.\n");
        return s;
    }
    let header = [
        "time", "demand", "observed", "ready", "replicas", "desired", "mode", "reason",
    ];
    let rows: Vec<[String; 8]> = shown_rows(timeline)
        .into_iter()
        .filter_map(|i| timeline.get(i))
        .map(|e| {
            [
                Clock(e.t).to_string(),
                Num(e.demand).to_string(),
                Num(e.observed).to_string(),
                e.ready.to_string(),
                e.replicas.to_string(),
                e.desired.to_string(),
                e.mode.as_str().to_string(),
                e.reason.to_string(),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[&str]| {
        let mut l = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if i > 0 {
                l.push_str("  ");
            }
            // Numbers right-aligned, mode and reason left-aligned.
            if i < 6 {
                let _ = write!(l, "{cell:>w$}");
            } else {
                let _ = write!(l, "{cell:<w$}");
            }
        }
        l.trim_end().to_string()
    };
    let _ = writeln!(s, "{}", line(&header));
    for row in &rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        let _ = writeln!(s, "{}", line(&cells));
    }
    let _ = writeln!(
        s,
        "\n{} of {} decisions shown (first, last, and where replicas, ready, desired, mode or rule changed; --format csv lists all)",
        rows.len(),
        timeline.len()
    );
    let min = timeline.iter().map(|e| e.replicas).min().unwrap_or(0);
    let max = timeline.iter().map(|e| e.replicas).max().unwrap_or(0);
    if let Some(last) = timeline.last() {
        let _ = writeln!(
            s,
            "replicas ranged {min}..{max}; {} at the end ({})",
            last.replicas,
            Clock(last.t)
        );
    }
    s
}

/// Every timeline row as CSV; `t` in seconds; `observed` empty when there was none. The same
/// CSV the playground exports: one writer, in `core::pipeline`.
pub fn render_csv(output: &SimOutput) -> String {
    scalelens_core::pipeline::timeline_csv(output)
}
