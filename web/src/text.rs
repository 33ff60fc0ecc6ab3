//! Text helpers between core's positions (1-based lines, character offsets) and the DOM's
//! (UTF-16 offsets for `setSelectionRange`), fix application, and the Markdown summary.
//! Plain Rust: tested natively.

use std::fmt::Write as _;

use scalelens_core::diagnostic::Diagnostic;
use scalelens_core::pipeline::{self, EditError, PipelineOutput};

/// Number of lines the editor shows for `text` (at least 1; a trailing newline opens a line).
pub fn line_count(text: &str) -> usize {
    text.split('\n').count()
}

/// The gutter's text: `1\n2\n...\nn`.
pub fn gutter_numbers(lines: usize) -> String {
    let mut s = String::with_capacity(lines * 4);
    for i in 1..=lines {
        if i > 1 {
            s.push('\n');
        }
        let _ = write!(s, "{i}");
    }
    s
}

/// UTF-16 start and end (without the newline) of 1-based `line`, for `setSelectionRange`.
/// A line past the end selects the end of the text.
pub fn line_range_utf16(text: &str, line: u32) -> (u32, u32) {
    let mut start = 0u32;
    for (i, l) in text.split('\n').enumerate() {
        let len = l.encode_utf16().count() as u32;
        if i + 1 == line as usize {
            return (start, start + len);
        }
        start = start.saturating_add(len + 1);
    }
    let end = text.encode_utf16().count() as u32;
    (end, end)
}

/// Apply fix `index` of `diagnostic` to `text`.
pub fn apply_fix(text: &str, diagnostic: &Diagnostic, index: usize) -> Result<String, String> {
    let fix = diagnostic
        .fixes
        .get(index)
        .ok_or_else(|| format!("no fix {index} for {}", diagnostic.code))?;
    if fix.edits.is_empty() {
        return Err(format!("`{}` is advice, not an edit", fix.description));
    }
    pipeline::apply_edits(text, &fix.edits).map_err(|e: EditError| e.to_string())
}

/// `line:column` of a diagnostic, or empty.
pub fn location(d: &Diagnostic) -> String {
    d.span
        .map(|s| format!("{}:{}", s.start.line, s.start.column))
        .unwrap_or_default()
}

/// One diagnostic as a line of text: `52:20 warning[unit-mismatch]: message`.
pub fn diagnostic_line(d: &Diagnostic) -> String {
    let loc = location(d);
    let sep = if loc.is_empty() { "" } else { " " };
    format!(
        "{loc}{sep}{}[{}]: {}",
        d.severity.as_str(),
        d.code,
        d.message
    )
}

/// Replica statistics of a run: (final, peak, min) of `spec.replicas` as set by the decisions.
pub fn replica_stats(out: &PipelineOutput) -> Option<(u32, u32, u32)> {
    let tl = &out.sim.as_ref()?.timeline;
    let last = tl.last()?.desired;
    let peak = tl.iter().map(|e| e.desired).max()?;
    let min = tl.iter().map(|e| e.desired).min()?;
    Some((last, peak, min))
}

/// "Copy as Markdown": what was replayed, the replica outcome, every YAML diagnostic, the link.
pub fn markdown(out: &PipelineOutput, link: Option<&str>) -> String {
    let mut s = String::from("### Scalelens playground\n\n");
    match &out.selected {
        Some(a) => {
            let _ = writeln!(s, "`{}` ({}): {}", a.name, a.kind, a.algorithm);
            if let (Some(m), Some(t)) = (&a.metric, a.target) {
                let unit = a.unit.map(|u| format!(" ({u})")).unwrap_or_default();
                let _ = writeln!(s, "\nmetric `{m}`, target {t}{unit}");
            }
        }
        None => s.push_str("no autoscaler in the input\n"),
    }
    if let Some((last, peak, min)) = replica_stats(out) {
        let _ = writeln!(s, "\nreplicas: min {min}, peak {peak}, final {last}");
    }
    let diags: Vec<&Diagnostic> = out.findings.iter().map(|f| &f.diagnostic).collect();
    if !diags.is_empty() {
        s.push('\n');
        for d in diags {
            let _ = writeln!(s, "- `{}`", diagnostic_line(d).replace('`', "'"));
        }
    }
    match link {
        Some(link) => {
            let _ = writeln!(s, "\n[Open in the playground]({link})");
        }
        None => s.push_str("\n(the input is too large for a playground link)\n"),
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelens_core::codes;
    use scalelens_core::pipeline::run;

    #[test]
    fn lines_and_utf16_ranges() {
        let t = "ab\n\u{1F600}x\n\nlast";
        assert_eq!(line_count(t), 4);
        assert_eq!(line_count(""), 1);
        assert_eq!(line_range_utf16(t, 1), (0, 2));
        assert_eq!(line_range_utf16(t, 2), (3, 6)); // the emoji is two UTF-16 units
        assert_eq!(line_range_utf16(t, 3), (7, 7));
        assert_eq!(line_range_utf16(t, 4), (8, 12));
        assert_eq!(line_range_utf16(t, 99), (12, 12));
        assert_eq!(gutter_numbers(3), "1\n2\n3");
    }

    #[test]
    fn the_seed_fix_applies_and_markdown_lists_the_diagnostic() {
        let state = crate::state::State::initial();
        let out = run(&state.pipeline_input());
        let d = out
            .yaml_diagnostics()
            .find(|d| d.code == codes::UNIT_MISMATCH)
            .expect("unit-mismatch")
            .clone();
        let fixed = apply_fix(&state.yaml, &d, 0).expect("fix 0 applies");
        assert!(fixed.contains("targetValue: \"50\""), "{fixed}");
        assert!(apply_fix(&state.yaml, &d, 1).is_err(), "fix 1 is advice");
        assert!(apply_fix(&state.yaml, &d, 9).is_err());
        assert!(markdown(&out, None).contains("too large"));
        let md = markdown(&out, Some("https://x/#v1:abc"));
        assert!(md.contains("deepseek-llm-7b-chat-kpa"));
        assert!(md.contains("warning[unit-mismatch]"));
        assert!(md.contains("52:20"));
        assert!(md.contains("(https://x/#v1:abc)"));
        let (last, peak, min) = replica_stats(&out).expect("stats");
        // The samples end with the load gone: back to minReplicas, as `scalelens simulate` says.
        assert_eq!((min, peak, last), (1, 10, 1));
    }
}
