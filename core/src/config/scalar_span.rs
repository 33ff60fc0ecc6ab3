//! Positions inside a scalar's text (a JSON annotation, a PromQL query) mapped back to the YAML
//! source, so a diagnostic about a part of the text points at that part.
//!
//! The spanned tree keeps a scalar's decoded text and its span, not the source bytes, so a
//! position maps back only where decoding kept every character in place: a scalar on one line
//! written plain, or quoted without escapes (`''`, `\"`), or a literal block (`|`) whose lines
//! are the text's lines. Anything else (folded, escaped, multi-line flow) maps to the whole
//! scalar, which is still the right place, only less precise.

use crate::span::{Pos, Span};
use crate::yaml::{Node, NodeKind};

/// The span of characters `from..to` (0-based character offsets into the scalar's text) in the
/// source, or the scalar's whole span when the text is not written verbatim.
pub fn inner_span(node: &Node, from: usize, to: usize) -> Span {
    let NodeKind::Scalar { text, .. } = &node.kind else {
        return node.span;
    };
    let to = to.max(from);
    let chars = text.chars().count();
    let span = node.span;
    let width = span.end.offset.saturating_sub(span.start.offset) as usize;
    let one_line = span.start.line == span.end.line && !text.contains('\n');
    if one_line {
        // Plain: the text is the span; quoted without escapes: one quote on each side.
        let lead = if width == chars {
            0
        } else if width == chars + 2 {
            1
        } else {
            return span;
        };
        let at = |i: usize| shift(span.start, lead + i.min(chars));
        return Span::new(at(from), at(to));
    }
    literal_block(node, text, from, to).unwrap_or(span)
}

/// `p` moved `n` characters to the right on its line.
fn shift(p: Pos, n: usize) -> Pos {
    let n = u32::try_from(n).unwrap_or(u32::MAX);
    Pos {
        line: p.line,
        column: p.column.saturating_add(n),
        offset: p.offset.saturating_add(n),
    }
}

/// A literal block scalar (`|`, `|-`, `|+`): its span starts at its first text line, at the
/// block's indentation, and runs to the next token. Text line `k` is source line `first + k`,
/// each at that indentation, when the scalar holds exactly the lines it spans (no blank lines,
/// whose indentation is not known, and not folded: a folded `>` scalar has fewer text lines
/// than source lines).
fn literal_block(node: &Node, text: &str, from: usize, to: usize) -> Option<Span> {
    let span = node.span;
    let body = text.strip_suffix('\n').unwrap_or(text);
    let lines: Vec<&str> = body.split('\n').collect();
    if lines.iter().any(|l| l.is_empty()) {
        return None;
    }
    let count = u32::try_from(lines.len()).ok()?;
    let indent = span.start.column.checked_sub(1)?;
    let last = u32::try_from(lines.last()?.chars().count()).ok()?;
    // Followed by a token: the span ends on the line after the text, at that token, which is
    // left of the block's indentation; at the end of the input: right after the last text line.
    let next_token =
        span.end.line == span.start.line.checked_add(count)? && span.end.column <= indent;
    let at_end = span.end.line == span.start.line.checked_add(count - 1)?
        && span.end.column == indent.checked_add(1)?.checked_add(last)?;
    if !next_token && !at_end {
        return None;
    }
    // (line, column, offset) of the start of each text line.
    let mut starts = Vec::with_capacity(lines.len());
    let mut offset = span.start.offset;
    for (k, l) in lines.iter().enumerate() {
        starts.push((span.start.line.checked_add(u32::try_from(k).ok()?)?, offset));
        let n = u32::try_from(l.chars().count()).ok()?;
        offset = offset.checked_add(n)?.checked_add(1)?.checked_add(indent)?;
    }
    let at = |i: usize| -> Option<Pos> {
        let mut rest = i;
        for ((line, offset), l) in starts.iter().zip(&lines) {
            let n = l.chars().count();
            if rest <= n {
                let r = u32::try_from(rest).ok()?;
                return Some(Pos {
                    line: *line,
                    column: indent.checked_add(1)?.checked_add(r)?,
                    offset: offset.checked_add(r)?,
                });
            }
            rest = rest.checked_sub(n + 1)?;
        }
        None
    };
    Some(Span::new(at(from)?, at(to)?))
}

#[cfg(test)]
mod tests {
    use super::inner_span;
    use crate::span::LineIndex;
    use crate::yaml::{parse_stream, Limits};

    /// Each case: a document whose `v` is a scalar, a part of its text, and whether the part
    /// maps exactly (the source under the span is the part) or to the whole scalar.
    #[test]
    fn parts_map_back_to_the_source() {
        let cases: &[(&str, &str, bool)] = &[
            ("v: sum(rate(x[1m]))\n", "x[1m]", true),
            ("v: 'sum(rate(x[1m]))'\n", "x[1m]", true),
            ("v: \"sum(x)\"\n", "x", true),
            ("v: 'it''s x'\n", "x", false),
            ("v: |\n  sum(\n    rate(x[15s])\n  )\n", "x[15s]", true),
            ("v: |-\n  a\n  bb x\n", "x", true),
            (
                "k:\n  v: |\n    first\n    x here\nnext: 1\n",
                "x here",
                true,
            ),
            ("v: >\n  a\n  x\n", "x", false),
            ("v: |\n  a\n\n  x\n", "x", false),
            ("v: plain\n  folded x\n", "x", false),
        ];
        for (src, part, exact) in cases {
            let index = LineIndex::new(src);
            let stream = parse_stream(&index, &Limits::default());
            let doc = stream.documents.first().expect("a document");
            let node = doc
                .root
                .path(&["v"])
                .or_else(|| doc.root.path(&["k", "v"]))
                .expect("v");
            let text = node.as_scalar().expect("a scalar");
            let byte = text.find(part).expect("part in text");
            let from = text.get(..byte).expect("a char boundary").chars().count();
            let to = from + part.chars().count();
            let span = inner_span(node, from, to);
            let under: String = src
                .chars()
                .skip(span.start.offset as usize)
                .take((span.end.offset - span.start.offset) as usize)
                .collect();
            if *exact {
                assert_eq!(under, *part, "{src:?}: {span:?}");
                let line = src.lines().nth(span.start.line as usize - 1).expect("line");
                let col: String = line
                    .chars()
                    .skip(span.start.column as usize - 1)
                    .take(part.chars().count())
                    .collect();
                assert_eq!(col, *part, "{src:?}: line:column {span:?}");
            } else {
                assert_eq!(span, node.span, "{src:?}: falls back to the whole scalar");
            }
        }
    }
}
