//! Human-readable diagnostics, laid out like rustc's:
//!
//! ```text
//! error[unit-mismatch]: target 0.5 is a fraction, the samples are percent
//!   --> deploy.yaml:52:20
//!    |
//! 52 |       targetValue: "0.5"
//!    |                    ^^^^^
//!    |
//!    = help: vLLM exports gpu_cache_usage_perc as a fraction (0.0-1.0)
//!    = fix: write the target in percent: replace `"0.5"` with `"50"`
//! ```
//!
//! Columns are 1-based characters. A tab shows as [`TAB_WIDTH`] spaces. A span over several
//! lines is underlined to the end of its first line; a span past the end of its line gets one
//! caret just after the last character. Output is deterministic; ANSI colors only when asked.
//!
//! User text is shown escaped ([`scalelens_core::text::escape`]): control characters, NUL,
//! bidirectional overrides (Trojan Source) and zero-width characters in an excerpt, a message or
//! a fix appear as `\u{202e}`-style escapes, and the carets stay under the escaped text. A line
//! wider than [`EXCERPT_MAX_COLUMNS`] is cut around the span, with `…` where text was left out.

use std::fmt::Write as _;

use scalelens_core::diagnostic::{Applicability, Edit, Fix};
use scalelens_core::text::{escape, escape_lines, escaped_width, push_escaped, quote};
use scalelens_core::{Diagnostic, Severity, Span};

use crate::source::SourceFile;

/// How many columns a tab takes in a source excerpt.
pub const TAB_WIDTH: usize = 4;

/// The widest source line an excerpt shows, in columns: a terminal of 160 columns shows it
/// whole beside the gutter. A longer line (minified JSON, a 1 MB scalar) is cut to this width
/// around the span, so the excerpt stays readable and its size bounded.
pub const EXCERPT_MAX_COLUMNS: usize = 160;

/// Columns of context kept before the span when a long line is cut.
const EXCERPT_CONTEXT: usize = 40;

/// Whether to color the output (ANSI escapes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    pub color: bool,
}

impl Style {
    pub const PLAIN: Style = Style { color: false };
    pub const COLOR: Style = Style { color: true };

    fn paint(self, ansi: &str, text: &str) -> String {
        if self.color && !text.is_empty() {
            format!("\x1b[{ansi}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn severity(self, severity: Severity, text: &str) -> String {
        let ansi = match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Note => "1;32",
        };
        self.paint(ansi, text)
    }

    fn gutter(self, text: &str) -> String {
        self.paint("1;34", text)
    }

    fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }
}

/// Render all diagnostics (in the order given) followed by the summary line.
pub fn render_diagnostics(src: &SourceFile<'_>, diags: &[Diagnostic], style: Style) -> String {
    let mut out = String::new();
    for d in diags {
        render_diagnostic(&mut out, src, d, style);
        out.push('\n');
    }
    out.push_str(&summary(diags));
    out.push('\n');
    out
}

/// `2 errors, 1 warning, 3 notes` (zero counts left out), or `no problems found`.
pub fn summary(diags: &[Diagnostic]) -> String {
    let count = |s: Severity| diags.iter().filter(|d| d.severity == s).count();
    let parts: Vec<String> = [
        (count(Severity::Error), "error"),
        (count(Severity::Warning), "warning"),
        (count(Severity::Note), "note"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, word)| format!("{n} {word}{}", if *n == 1 { "" } else { "s" }))
    .collect();
    if parts.is_empty() {
        "no problems found".to_string()
    } else {
        parts.join(", ")
    }
}

fn digits(n: u32) -> usize {
    n.to_string().len()
}

/// Display width of a character in an excerpt: a tab's spaces, an escape's characters, else its
/// terminal columns (2 for East Asian wide characters, as `unicode-width` says).
fn char_width(c: char) -> usize {
    if c == '\t' {
        TAB_WIDTH
    } else if scalelens_core::text::needs_escape(c) {
        escaped_width(c)
    } else {
        unicode_width::UnicodeWidthChar::width(c).unwrap_or(1)
    }
}

/// A source line as shown: tabs expanded, other special characters escaped.
fn push_shown(out: &mut String, c: char) {
    if c == '\t' {
        out.push_str(&" ".repeat(TAB_WIDTH));
    } else {
        push_escaped(out, c);
    }
}

/// A source line for an excerpt of `span`: the text shown (escaped, cut around the span when
/// wider than [`EXCERPT_MAX_COLUMNS`]), the columns before the underline and its width.
fn excerpt_line(line: &str, span: Span) -> (String, usize, usize) {
    let chars: Vec<char> = line.chars().collect();
    let n = chars.len();
    // 0-based character range of the underline: the start clamped into 0..=n (n: just past the
    // end, for spans at or after it), the end to the end of the line for multi-line spans.
    let start = (span.start.column.max(1) as usize - 1).min(n);
    let end = if span.end.line == span.start.line {
        (span.end.column.max(1) as usize - 1).clamp(start, n)
    } else {
        n
    };
    let width = |r: &[char]| -> usize { r.iter().map(|&c| char_width(c)).sum() };
    let (from, to) = if width(&chars) <= EXCERPT_MAX_COLUMNS {
        (0, n)
    } else {
        // Keep up to EXCERPT_CONTEXT columns before the span, then fill the width.
        let mut from = start;
        let mut w = 0;
        while let Some(&c) = from.checked_sub(1).and_then(|i| chars.get(i)) {
            if w + char_width(c) > EXCERPT_CONTEXT {
                break;
            }
            w += char_width(c);
            from -= 1;
        }
        let mut to = from;
        let mut w = 0;
        while let Some(&c) = chars.get(to) {
            if w + char_width(c) > EXCERPT_MAX_COLUMNS {
                break;
            }
            w += char_width(c);
            to += 1;
        }
        (from, to)
    };
    let mut shown = String::new();
    let cut_left = from > 0;
    if cut_left {
        shown.push('…');
    }
    for &c in chars.get(from..to).unwrap_or(&[]) {
        push_shown(&mut shown, c);
    }
    if to < n {
        shown.push('…');
    }
    let before = usize::from(cut_left) + width(chars.get(from..start).unwrap_or(&[]));
    let under = width(chars.get(start..end.min(to).max(start)).unwrap_or(&[]));
    (shown, before, under.max(1))
}

/// (columns before the underline, underline width) for `span` on its first line.
#[cfg(test)]
fn underline(line: &str, span: Span) -> (usize, usize) {
    let (_, before, width) = excerpt_line(line, span);
    (before, width)
}

/// Our own text (a fix's description) on one line, escaped.
fn inline(s: &str) -> String {
    escape(s).into_owned()
}

fn pos_range(span: Span) -> String {
    if span.start == span.end {
        format!("{}:{}", span.start.line, span.start.column)
    } else {
        format!(
            "{}:{}-{}:{}",
            span.start.line, span.start.column, span.end.line, span.end.column
        )
    }
}

/// What one edit does, in words: ``replace `a` with `b` ``, ``insert `b` ``, ``delete `a` ``.
fn describe_edit(src: &SourceFile<'_>, edit: &Edit) -> String {
    let s = edit.span;
    let old = src.slice((s.start.line, s.start.column), (s.end.line, s.end.column));
    let new = quote(&edit.replacement);
    match old {
        Some(old) if old.is_empty() => format!("insert `{new}`"),
        Some(old) if new.is_empty() => format!("delete `{}`", quote(&old)),
        Some(old) => format!("replace `{}` with `{new}`", quote(&old)),
        None if new.is_empty() => format!("delete {}", pos_range(s)),
        None => format!("replace {} with `{new}`", pos_range(s)),
    }
}

fn render_fix(out: &mut String, src: &SourceFile<'_>, d: &Diagnostic, fix: &Fix, pad: &str) {
    // Advice has nothing to apply: it is not called a fix.
    let label = match fix.applicability {
        Applicability::AdviceOnly => "= advice:",
        Applicability::SafeEdit | Applicability::NeedsReview => "= fix:",
    };
    match fix.edits.as_slice() {
        [edit] => {
            let at = if Some(edit.span) == d.span {
                String::new()
            } else {
                format!(" at {}", pos_range(edit.span))
            };
            let _ = writeln!(
                out,
                "{pad} {label} {}: {}{at}",
                inline(&fix.description),
                describe_edit(src, edit)
            );
        }
        edits => {
            let _ = writeln!(out, "{pad} {label} {}", inline(&fix.description));
            for edit in edits {
                let _ = writeln!(
                    out,
                    "{pad}        {}: {}",
                    pos_range(edit.span),
                    describe_edit(src, edit)
                );
            }
        }
    }
}

/// Render one diagnostic (no trailing blank line).
pub fn render_diagnostic(out: &mut String, src: &SourceFile<'_>, d: &Diagnostic, style: Style) {
    let head = format!("{}[{}]", d.severity.as_str(), d.code);
    // Continuation lines of a multi-line message line up under its first character.
    let indent = " ".repeat(head.chars().count() + 2);
    let message = escape_lines(&d.message);
    let mut message = message.lines();
    let first = message.next().unwrap_or("");
    let _ = writeln!(
        out,
        "{}{}",
        style.severity(d.severity, &head),
        style.bold(&format!(": {first}"))
    );
    for more in message {
        let _ = writeln!(out, "{}", style.bold(format!("{indent}{more}").trim_end()));
    }

    let excerpt = d
        .span
        .and_then(|span| src.line(span.start.line).map(|line| (span, line)));
    let width = d.span.map_or(1, |s| digits(s.start.line));
    let pad = " ".repeat(width);
    let bar = style.gutter("|");

    match d.span {
        Some(span) => {
            let _ = writeln!(
                out,
                "{pad}{} {}:{}:{}",
                style.gutter("-->"),
                escape(src.name),
                span.start.line,
                span.start.column
            );
        }
        None => {
            let _ = writeln!(out, "{pad}{} {}", style.gutter("-->"), escape(src.name));
        }
    }
    if let Some((span, line)) = excerpt {
        let (shown, before, len) = excerpt_line(line, span);
        let _ = writeln!(out, "{pad} {bar}");
        let number = style.gutter(&span.start.line.to_string());
        let _ = writeln!(out, "{}", format!("{number} {bar} {shown}").trim_end());
        let carets = style.severity(d.severity, &"^".repeat(len));
        let _ = writeln!(out, "{pad} {bar} {}{carets}", " ".repeat(before));
    }
    if d.help.is_some() || !d.fixes.is_empty() {
        if excerpt.is_some() {
            let _ = writeln!(out, "{pad} {bar}");
        }
        if let Some(help) = &d.help {
            let help = escape_lines(help);
            let mut lines = help.lines();
            let first = lines.next().unwrap_or("");
            let _ = writeln!(out, "{pad} {} {first}", style.bold("= help:"));
            for more in lines {
                let _ = writeln!(out, "{}", format!("{pad}         {more}").trim_end());
            }
        }
        for fix in &d.fixes {
            render_fix(out, src, d, fix, &pad);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelens_core::codes::Code;
    use scalelens_core::Pos;

    fn span(l: u32, c: u32, el: u32, ec: u32) -> Span {
        Span::new(
            Pos {
                line: l,
                column: c,
                offset: 0,
            },
            Pos {
                line: el,
                column: ec,
                offset: 0,
            },
        )
    }

    #[test]
    fn underline_cases() {
        // plain, zero-width, past the end, multi-line, tabs
        assert_eq!(underline("abcdef", span(1, 2, 1, 4)), (1, 2));
        assert_eq!(underline("abcdef", span(1, 2, 1, 2)), (1, 1));
        assert_eq!(underline("abc", span(1, 9, 1, 12)), (3, 1));
        assert_eq!(underline("abcdef", span(1, 3, 4, 1)), (2, 4));
        assert_eq!(underline("\tab", span(1, 2, 1, 4)), (4, 2));
        assert_eq!(underline("\tab", span(1, 1, 1, 2)), (0, 4));
        assert_eq!(underline("", span(1, 0, 1, 0)), (0, 1));
        // end before start on the same line
        assert_eq!(underline("abcdef", span(1, 4, 1, 2)), (3, 1));
        // East Asian wide characters take two terminal columns, before and under the span
        assert_eq!(underline("名前: x", span(1, 5, 1, 6)), (6, 1));
        assert_eq!(underline("a: 模型", span(1, 4, 1, 6)), (3, 4));
    }

    /// (line, span columns) → (shown text, carets line): escapes line up with their carets, and
    /// long lines are cut around the span.
    #[test]
    fn excerpts_escape_and_cut() {
        let long = format!("key: {}x{}", "a".repeat(300), "b".repeat(300));
        let cases: Vec<(&str, (u32, u32), &str, &str)> = vec![
            ("a\u{0}b: c", (6, 7), "a\\u{0}b: c", "         ^"),
            (
                "x: \u{202e}evil",
                (4, 9),
                "x: \\u{202e}evil",
                "   ^^^^^^^^^^^^",
            ),
            ("\u{1b}[31m: 1", (8, 9), "\\u{1b}[31m: 1", "            ^"),
            (
                "k: \u{200b}\u{feff}v",
                (6, 7),
                "k: \\u{200b}\\u{feff}v",
                "                   ^",
            ),
            ("\tv\u{7f}", (2, 4), "    v\\u{7f}", "    ^^^^^^^"),
            (&long, (306, 307), "", ""),
        ];
        for (line, (from, to), shown, carets) in cases {
            let (text, before, width) = excerpt_line(line, span(1, from, 1, to));
            let under = format!("{}{}", " ".repeat(before), "^".repeat(width));
            if shown.is_empty() {
                // The long line: cut on both sides, 40 columns of context, the `x` underlined.
                assert!(text.starts_with('…') && text.ends_with('…'), "{text}");
                assert_eq!(text.chars().count(), EXCERPT_MAX_COLUMNS + 2);
                assert_eq!(text.chars().nth(before), Some('x'), "{text}");
                assert_eq!((before, width), (EXCERPT_CONTEXT + 1, 1));
                continue;
            }
            assert_eq!(text, shown, "{line:?}");
            assert_eq!(under, carets, "{line:?}");
        }
    }

    #[test]
    fn summary_counts() {
        let e = Diagnostic::error(Code::YamlSyntax, "m");
        let w = Diagnostic::warning(Code::YamlSyntax, "m");
        assert_eq!(summary(&[]), "no problems found");
        assert_eq!(summary(&[e.clone(), e, w]), "2 errors, 1 warning");
    }
}
