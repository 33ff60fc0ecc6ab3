//! `explain`'s terminal text: the headline, the metric, then the decisions around the moment
//! (the data is [`scalelens_core::explain::Explanation`]; `--format json` serializes it).

use std::fmt::Write as _;

use scalelens_core::display::{Clock, Dur, Num, Ratio};
use scalelens_core::explain::{headline, Cause, Explanation};

/// The explanation as terminal text: the headline, the metric, then the steps (unchanged
/// runs collapsed to one `⋮ n unchanged` line; the focus step marked `>`). `file` names
/// the YAML so settings point at `file:line:column`.
pub fn render_text(ex: &Explanation, file: Option<&str>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Replaying {}", ex.upstream);
    if let Some(m) = &ex.metric {
        let _ = write!(
            out,
            "  metric  `{}`, target {} ({:?}",
            m.name,
            Num(m.target),
            m.target_type
        );
        let _ = write!(out, ", {})", m.target_origin.describe(file, "default: "));
        if let Some(u) = m.unit {
            let _ = write!(out, "; unit: {u}");
        }
        out.push('\n');
    }
    if ex.metrics.len() > 1 {
        let names: Vec<String> = ex
            .metrics
            .iter()
            .skip(1)
            .map(|m| format!("`{}` target {}", m.name, Num(m.target)))
            .collect();
        let _ = writeln!(
            out,
            "  also    {} (the controller takes the metric that asks for the most)",
            names.join(", ")
        );
    }
    let focus_step = ex.focus.and_then(|i| ex.steps.get(i));
    let _ = writeln!(out, "  window  {} ± {}\n", Clock(ex.at), Dur(ex.span));
    match focus_step {
        Some(s) => {
            let _ = writeln!(out, "Why {} at {}?", s.desired, s.clock);
            let _ = writeln!(
                out,
                "  {}.",
                capitalized(&headline(s, ex.metric_of(s), file))
            );
        }
        None => {
            let _ = writeln!(out, "  {}.", capitalized(&ex.headline));
        }
    }
    let (Some(first), Some(last)) = (ex.steps.first(), ex.steps.last()) else {
        return out;
    };
    let _ = writeln!(
        out,
        "\nDecisions from {} to {} (> marks {}; unchanged runs collapsed):",
        first.clock,
        last.clock,
        Clock(ex.at)
    );
    let per_pod = if ex.metric.as_ref().is_some_and(|m| m.observed_is_total) {
        "per pod"
    } else {
        "observed"
    };
    let _ = writeln!(
        out,
        "  {:>8}  {:>8}  {:>5}  {:>9}  {:>8}  {:>7}  {:<6}  rule",
        "time", "replicas", "ready", "by metric", per_pod, "×target", "mode"
    );
    let mut causes: Vec<&Cause> = Vec::new();
    let mut skipped = 0usize;
    for (i, s) in ex.steps.iter().enumerate() {
        let is_focus = Some(i) == ex.focus;
        let is_edge = i == 0 || i + 1 == ex.steps.len();
        if !(s.changed || is_focus || is_edge) {
            skipped += 1;
            continue;
        }
        if skipped > 0 {
            let _ = writeln!(out, "  {:>8}  ({skipped} unchanged)", "⋮");
            skipped = 0;
        }
        let mark = if is_focus { ">" } else { " " };
        let replicas = if s.desired == s.replicas {
            format!("{}", s.desired)
        } else {
            format!("{}→{}", s.replicas, s.desired)
        };
        let _ = write!(
            out,
            "{mark} {:>8}  {:>8}  {:>5}  {:>9}  {:>8}  {:>7}  {:<6}  {}",
            s.clock,
            replicas,
            s.ready,
            s.desired_raw,
            Num(s.observed_per_pod.unwrap_or(f64::NAN)),
            Ratio(s.ratio.unwrap_or(f64::NAN)),
            s.mode.as_str(),
            s.rule
        );
        if let Some(name) = &s.decided_by {
            let _ = write!(out, " (by `{name}`)");
        }
        if let Some(c) = &s.cause {
            let n = match causes.iter().position(|k| *k == c) {
                Some(n) => n,
                None => {
                    causes.push(c);
                    causes.len() - 1
                }
            };
            let _ = write!(out, " [{}]", n + 1);
        }
        out.push('\n');
    }
    if skipped > 0 {
        let _ = writeln!(out, "  {:>8}  ({skipped} unchanged)", "⋮");
    }
    if !causes.is_empty() {
        out.push_str("\nSettings behind these rules:\n");
        for (i, c) in causes.iter().enumerate() {
            let _ = writeln!(out, "  [{}] {}", i + 1, c.describe(file));
        }
    }
    out
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
