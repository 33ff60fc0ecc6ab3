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

/// Most lines an editor shows in full; a longer text is kept (and run) but shown as its first
/// [`PREVIEW_LINES`] lines until the user asks for all of it. Chromium lays a textarea out at
/// about 70 µs per line plus 0.4 µs per character on the loaded 2-core machine these numbers
/// come from (20 000 lines of 50 characters: 1.3–2.4 s; 100 000 lines of 10: 6 s; one 1 MB
/// line: 0.4 s), and does it again at every edit and on a paste: 10 000 lines is about 0.7 s.
pub const SHOW_LINES: usize = 10_000;

/// Most bytes an editor shows in full (a 1 MB line lays out in about 0.4 s); see
/// [`SHOW_LINES`].
pub const SHOW_BYTES: usize = 1_000_000;

/// Lines shown of a text too long to show in full.
pub const PREVIEW_LINES: usize = 100;

/// Most bytes of a preview (a 20 KB line lays out in about 10 ms).
pub const PREVIEW_BYTES: usize = 20_000;

/// The preview of a text too long to show: its first [`PREVIEW_LINES`] lines, cut to
/// [`PREVIEW_BYTES`] (at a character boundary, with `…`).
pub fn preview(text: &str) -> String {
    let h = head(text, PREVIEW_LINES);
    if h.len() <= PREVIEW_BYTES {
        return h.to_string();
    }
    let mut end = PREVIEW_BYTES;
    while !h.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", h.get(..end).unwrap_or_default())
}

/// Whether `text` is too long for an editor to show in full ([`SHOW_LINES`], [`SHOW_BYTES`]).
pub fn too_long_to_show(text: &str) -> bool {
    // Fewer bytes than the line cap cannot make more lines than it: no count needed.
    text.len() > SHOW_BYTES
        || (text.len() >= SHOW_LINES && text.bytes().filter(|b| *b == b'\n').count() >= SHOW_LINES)
}

/// The first `lines` lines of `text` (with their newlines).
pub fn head(text: &str, lines: usize) -> &str {
    let end = text
        .match_indices('\n')
        .nth(lines.saturating_sub(1))
        .map_or(text.len(), |(i, _)| i + 1);
    text.get(..end).unwrap_or(text)
}

/// The byte offset of UTF-16 offset `utf16` in `text` (the end when past it; inside a
/// surrogate pair: after the pair).
pub fn byte_of_utf16(text: &str, utf16: usize) -> usize {
    let mut units = 0usize;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// The UTF-16 offsets (the code editor's positions) of the character offsets `chars` (core's
/// `Pos::offset`: Unicode scalar values from the start) in `text`, in one pass over the text
/// whatever their order; an offset past the end is the end.
pub fn utf16_of_chars(text: &str, chars: &[u32]) -> Vec<u32> {
    let mut order: Vec<usize> = (0..chars.len()).collect();
    scalelens_core::sort::by_key(&mut order, |&i| chars.get(i).copied().unwrap_or(0));
    let mut out = vec![0u32; chars.len()];
    let (mut seen, mut units) = (0u32, 0u32);
    let mut it = text.chars();
    for i in order {
        let want = chars.get(i).copied().unwrap_or(0);
        while seen < want {
            let Some(c) = it.next() else { break };
            units = units.saturating_add(c.len_utf16() as u32);
            seen += 1;
        }
        if let Some(o) = out.get_mut(i) {
            *o = units;
        }
    }
    out
}

/// The character offset (core's `Pos::offset`) of UTF-16 offset `utf16` in `text` (the end
/// when past it; inside a surrogate pair: after the pair).
pub fn char_of_utf16(text: &str, utf16: u32) -> u32 {
    let (mut units, mut chars) = (0u32, 0u32);
    for c in text.chars() {
        if units >= utf16 {
            break;
        }
        units = units.saturating_add(c.len_utf16() as u32);
        chars += 1;
    }
    chars
}

/// `text` with its UTF-16 range `start..end` (a textarea's selection) replaced by `insert`:
/// what a paste makes of it.
pub fn splice_utf16(text: &str, start: usize, end: usize, insert: &str) -> String {
    let a = byte_of_utf16(text, start.min(end));
    let b = byte_of_utf16(text, start.max(end));
    let mut out = String::with_capacity(text.len() - (b - a) + insert.len());
    out.push_str(text.get(..a).unwrap_or(text));
    out.push_str(insert);
    out.push_str(text.get(b..).unwrap_or(""));
    out
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

/// The UTF-16 range of `new` that differs from `old` (after their common start and end), for
/// selecting what a fix or an undo changed; empty at the change when text was only removed.
pub fn changed_range_utf16(old: &str, new: &str) -> (u32, u32) {
    let (o, n): (Vec<u16>, Vec<u16>) = (old.encode_utf16().collect(), new.encode_utf16().collect());
    let prefix = o.iter().zip(&n).take_while(|(a, b)| a == b).count();
    let room = o.len().min(n.len()) - prefix;
    let suffix = o
        .iter()
        .rev()
        .zip(n.iter().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    let end = n.len() - suffix;
    (
        u32::try_from(prefix).unwrap_or(u32::MAX),
        u32::try_from(end).unwrap_or(u32::MAX),
    )
}

/// Core's words for a command line (`set --pod-startup`, `--from/--to`, `--duration`) and what
/// the page calls the same controls, in the order they are replaced (longer phrases first).
/// The core writes for the CLI; the page names its own settings, never a flag it does not have
/// (issue 14, item 10).
const FLAGS_ON_THE_PAGE: &[(&str, &str)] = &[
    ("set --pod-startup", "set Pod start-up in Settings"),
    ("set --initial-replicas", "set Initial replicas in Settings"),
    ("with --from/--to", "with the replay window fields"),
    ("a --duration of at most", "a horizon of at most"),
    ("a shorter --duration", "a shorter Horizon in Settings"),
    ("`--duration ", "a Horizon in Settings of `"),
    (
        "give --from and --to",
        "give \u{201c}from\u{201d} and \u{201c}to\u{201d}",
    ),
    ("--from ", "\u{201c}from\u{201d} "),
    ("--to ", "\u{201c}to\u{201d} "),
    ("--from", "\u{201c}from\u{201d}"),
    ("--to", "\u{201c}to\u{201d}"),
];

/// The end of a `replay-too-long` help that names a limit only the command line can raise.
const CLI_ONLY_CLAUSE: &str = "; to replay all of it, raise the limit: `--max-evaluations ";

/// `text` from the core (a message, a help, a fix) as the page says it: its settings and
/// fields in place of command-line flags ([`FLAGS_ON_THE_PAGE`]), without advice that only
/// the command line can follow ([`CLI_ONLY_CLAUSE`]).
pub fn for_the_page(text: &str) -> String {
    let mut out = text.to_string();
    if let Some(i) = out.find(CLI_ONLY_CLAUSE) {
        let rest = out.get(i + CLI_ONLY_CLAUSE.len()..).unwrap_or_default();
        let end = rest
            .find('`')
            .map_or(out.len(), |j| i + CLI_ONLY_CLAUSE.len() + j + 1);
        out.replace_range(i..end, "");
    }
    for (cli, page) in FLAGS_ON_THE_PAGE {
        if out.contains(cli) {
            out = out.replace(cli, page);
        }
    }
    out
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
        for_the_page(&d.message)
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

    #[test]
    fn the_page_names_its_settings_not_flags() {
        for (core, page) in [
            (
                "new pods become ready 3m after they are created: the default for x; set --pod-startup to match your workload",
                "new pods become ready 3m after they are created: the default for x; set Pod start-up in Settings to match your workload",
            ),
            (
                "starting at 1 (minReplicas, at least 1); set --initial-replicas, or include the scale target's Deployment",
                "starting at 1 (minReplicas, at least 1); set Initial replicas in Settings, or include the scale target's Deployment",
            ),
            (
                "replay a window of the data with --from/--to, e.g. `--from 0 --to 2998800` (its first 34 days 17h), or a shorter --duration; to replay all of it, raise the limit: `--max-evaluations 310102`",
                "replay a window of the data with the replay window fields, e.g. `\u{201c}from\u{201d} 0 \u{201c}to\u{201d} 2998800` (its first 34 days 17h), or a shorter Horizon in Settings",
            ),
            (
                "replay at most 34 days 17h: `--duration 833h`; or a window of the data with --from/--to, e.g. `--from 0 --to 1`",
                "replay at most 34 days 17h: a Horizon in Settings of `833h`; or a window of the data with the replay window fields, e.g. `\u{201c}from\u{201d} 0 \u{201c}to\u{201d} 1`",
            ),
            (
                "--from 3000 is not before --to 2000: the window is empty",
                "\u{201c}from\u{201d} 3000 is not before \u{201c}to\u{201d} 2000: the window is empty",
            ),
            ("no flags here", "no flags here"),
        ] {
            assert_eq!(for_the_page(core), page);
            assert!(!for_the_page(core).contains("--"), "{core}");
        }
    }

    #[test]
    fn the_changed_range_is_what_differs() {
        for (old, new, range) in [
            ("targetValue: \"0.5\"", "targetValue: \"50\"", (14, 16)),
            ("abc", "abc", (3, 3)),
            ("abc", "abXc", (2, 3)),
            ("abXc", "abc", (2, 2)),
            ("", "new", (0, 3)),
            ("aaa", "aa", (2, 2)),
            ("é😀x", "é😀yx", (3, 4)),
        ] {
            assert_eq!(changed_range_utf16(old, new), range, "{old:?} -> {new:?}");
        }
    }

    #[test]
    fn long_texts_are_previewed_and_pastes_splice_at_the_selection() {
        assert!(!too_long_to_show(""));
        assert!(!too_long_to_show(&"x\n".repeat(SHOW_LINES - 1)));
        assert!(too_long_to_show(&"x\n".repeat(SHOW_LINES)));
        assert!(!too_long_to_show(&"x".repeat(SHOW_BYTES)));
        assert!(too_long_to_show(&"x".repeat(SHOW_BYTES + 1)));
        assert_eq!(head("a\nb\nc\n", 2), "a\nb\n");
        assert_eq!(head("a\nb", 5), "a\nb");
        assert_eq!(head("", 5), "");
        let long_line = format!("a\n{}\n", "é".repeat(PREVIEW_BYTES));
        let p = preview(&long_line);
        assert!(p.len() <= PREVIEW_BYTES + 3 && p.ends_with('…') && p.starts_with("a\né"));
        let many = "line\n".repeat(SHOW_LINES * 2);
        assert_eq!(preview(&many).lines().count(), PREVIEW_LINES);
        // é is 2 bytes and 1 unit, 😀 4 bytes and 2 units.
        let t = "aé😀b";
        assert_eq!(
            (0..=6).map(|u| byte_of_utf16(t, u)).collect::<Vec<_>>(),
            [0, 1, 3, 7, 7, 8, 8]
        );
        assert_eq!(splice_utf16(t, 1, 2, "E"), "aE😀b");
        assert_eq!(splice_utf16(t, 4, 4, "+"), "aé😀+b");
        assert_eq!(splice_utf16(t, 5, 0, ""), "");
        assert_eq!(splice_utf16(t, 99, 99, "!"), "aé😀b!");
    }
    use scalelens_core::codes::Code;
    use scalelens_core::pipeline::run;

    #[test]
    fn character_offsets_become_utf16_positions() {
        // (text, character offsets, UTF-16 positions): ASCII, two-unit characters (an emoji is
        // one character and two UTF-16 units), a 3-byte character (one unit), unsorted and
        // repeated offsets, past the end.
        let cases: &[(&str, &[u32], &[u32])] = &[
            ("", &[0, 3], &[0, 0]),
            ("abc", &[0, 1, 3, 9], &[0, 1, 3, 3]),
            ("a\u{1F600}b", &[2, 1, 3, 0], &[3, 1, 4, 0]),
            (
                "\u{00e9}t\u{00e9}: 5\n\u{1F600}\u{1F600}x",
                &[9, 6, 6, 8],
                &[11, 6, 6, 9],
            ),
            ("\u{20ac}\u{20ac}", &[1, 2], &[1, 2]),
        ];
        for (text, chars, want) in cases {
            assert_eq!(&utf16_of_chars(text, chars), want, "{text:?} {chars:?}");
            for (c, u) in chars.iter().zip(want.iter()) {
                let back = char_of_utf16(text, *u);
                assert_eq!(
                    back,
                    (*c).min(text.chars().count() as u32),
                    "{text:?} at {u}"
                );
            }
        }
        // Inside a surrogate pair: after the pair.
        assert_eq!(char_of_utf16("\u{1F600}x", 1), 1);
    }

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

    /// The playground's core has no formula evaluator (core's `formula` feature, left out for
    /// size): a ScaledObject with scaling modifiers is not replayed, and the error at its
    /// formula says so and where it is replayed, rather than a replay without the formula.
    #[test]
    fn a_scaling_modifier_formula_is_said_not_replayed_here() {
        if scalelens_core::build::EVALUATES_FORMULAS {
            // A workspace build unified core's features: not the playground's engine.
            return;
        }
        let yaml = include_str!("../../tests/testdata/config/keda/modifier-average.yaml");
        let state = crate::state::State {
            yaml: yaml.to_string(),
            ..crate::state::State::initial()
        };
        let out = run(&state.pipeline_input());
        let d = out
            .yaml_diagnostics()
            .find(|d| d.code == Code::InvalidValue)
            .expect("a diagnostic at the formula");
        assert!(
            d.message
                .contains("does not evaluate scaling-modifier formulas")
                && d.message.contains("scalelens simulate"),
            "{}",
            d.message
        );
        let at = d.span.map(|s| {
            let (from, to) = (s.start.offset as usize, s.end.offset as usize);
            yaml.chars().skip(from).take(to - from).collect::<String>()
        });
        assert_eq!(at.as_deref(), Some("\"(orders + refunds) / 2\""));
        assert!(out.sim.is_none(), "replayed without the formula");
    }

    /// The playground parses no PromQL: a KEDA prometheus query gets one note saying which
    /// checks did not run, at the query.
    #[test]
    fn a_prometheus_query_is_said_not_checked_here() {
        if scalelens_core::build::PARSES_PROMQL {
            // A workspace build unified core's features: not the playground's engine.
            return;
        }
        let yaml = include_str!("../../tests/testdata/config/keda/promql-checks.yaml");
        let state = crate::state::State {
            yaml: yaml.to_string(),
            ..crate::state::State::initial()
        };
        let out = run(&state.pipeline_input());
        let notes: Vec<_> = out
            .yaml_diagnostics()
            .filter(|d| d.code == Code::UnsupportedFeature)
            .collect();
        assert!(!notes.is_empty(), "no note");
        assert!(
            notes
                .iter()
                .all(|d| d.message.contains("does not parse PromQL")
                    && d.message.contains("scalelens check")
                    && d.span.is_some()),
            "{notes:?}"
        );
        assert!(out
            .yaml_diagnostics()
            .all(|d| !d.code.as_str().starts_with("promql-")));
    }

    #[test]
    fn the_seed_fix_applies_and_markdown_lists_the_diagnostic() {
        let state = crate::state::State::initial();
        let out = run(&state.pipeline_input());
        let d = out
            .yaml_diagnostics()
            .find(|d| d.code == Code::UnitMismatch)
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
