//! Source positions. Every value read from YAML carries the span it came from, so diagnostics can
//! point at `line:column` in the user's file.
//!
//! [`Pos`] and [`Span`] count 1-based lines and character (not byte) columns; [`Spanned`] pairs a
//! value with its span; [`Param`] is an effective parameter value with its [`Origin`]: the YAML
//! span, or the upstream default and the upstream file it comes from.

use serde::Serialize;

use crate::upstream::Source;

/// A position in the source text. `line` and `column` are 1-based; `column` counts characters
/// (not bytes), like rustc. `offset` is the 0-based character index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
    pub offset: u32,
}

/// A half-open range `[start, end)` in the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    pub start: Pos,
    pub end: Pos,
}

impl Span {
    pub const fn new(start: Pos, end: Pos) -> Self {
        Span { start, end }
    }

    /// A zero-width span at `pos`.
    pub const fn point(pos: Pos) -> Self {
        Span {
            start: pos,
            end: pos,
        }
    }

    /// The smallest span that covers both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// A value together with where it was written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spanned<T> {
    pub value: T,
    #[serde(skip)]
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// Where a parameter's effective value comes from: the user's YAML, or an upstream default.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum Origin {
    /// Written in the input at this span.
    Yaml {
        #[serde(skip)]
        span: Span,
        line: u32,
        column: u32,
    },
    /// Not written: the upstream default, named by its source file.
    Default { source: &'static Source },
}

impl Origin {
    /// Where the value comes from, in words: `file:line:column` (`line line:column` without a
    /// file) when written, else `default` (the front end's words, "upstream default: ") and
    /// the source.
    pub fn describe(&self, file: Option<&str>, default: &str) -> String {
        match (self, file) {
            (Origin::Yaml { line, column, .. }, Some(f)) => format!("{f}:{line}:{column}"),
            (Origin::Yaml { line, column, .. }, None) => format!("line {line}:{column}"),
            (Origin::Default { source }, _) => format!("{default}{source}"),
        }
    }
}

/// An algorithm parameter: its effective value and where that value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Param<T> {
    pub value: T,
    #[serde(flatten)]
    pub origin: Origin,
}

impl<T> Param<T> {
    /// A value written in the YAML at `span`.
    pub fn yaml(value: T, span: Span) -> Self {
        Param {
            value,
            origin: Origin::Yaml {
                span,
                line: span.start.line,
                column: span.start.column,
            },
        }
    }

    /// An upstream default; `source` names the upstream file (and version) it comes from.
    pub const fn default(value: T, source: &'static Source) -> Self {
        Param {
            value,
            origin: Origin::Default { source },
        }
    }

    /// The span the value was written at, if it was written.
    pub fn span(&self) -> Option<Span> {
        match self.origin {
            Origin::Yaml { span, .. } => Some(span),
            Origin::Default { .. } => None,
        }
    }

    pub fn is_default(&self) -> bool {
        matches!(self.origin, Origin::Default { .. })
    }
}

/// Characters between two checkpoints of a [`LineIndex`] over non-ASCII text: a lookup walks
/// at most this many characters after its binary search.
const CHECKPOINT_CHARS: usize = 256;

/// Byte offsets, character offsets and `line:column` of one source text, built once in one
/// pass and then looked up by binary search. Every reader that turns an offset into a
/// position goes through one of these, so no lookup rescans the text: with `n` bytes, building
/// costs O(n) and each lookup O(log n + [`CHECKPOINT_CHARS`]).
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset of the start of each line (line 1 first). Lines end at `\n`.
    line_starts: Vec<usize>,
    /// `(character offset, byte offset)` every [`CHECKPOINT_CHARS`] characters, starting at
    /// `(0, 0)`; empty when the text is ASCII (then both offsets are equal).
    checkpoints: Vec<(usize, usize)>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(
                text.bytes()
                    .enumerate()
                    .filter(|&(_, b)| b == b'\n')
                    .map(|(i, _)| i + 1),
            )
            .collect();
        let checkpoints = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices()
                .step_by(CHECKPOINT_CHARS)
                .enumerate()
                .map(|(k, (byte, _))| (k * CHECKPOINT_CHARS, byte))
                .collect()
        };
        LineIndex {
            text,
            line_starts,
            checkpoints,
        }
    }

    /// The text this index is over.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The byte offset of the `char_offset`-th character (the text's length for one past the
    /// last); `None` beyond that.
    pub fn byte_of_char(&self, char_offset: usize) -> Option<usize> {
        if self.checkpoints.is_empty() {
            return (char_offset <= self.text.len()).then_some(char_offset);
        }
        let k = self
            .checkpoints
            .partition_point(|&(c, _)| c <= char_offset)
            .checked_sub(1)?;
        let &(c, b) = self.checkpoints.get(k)?;
        let rest = self.text.get(b..)?;
        let skip = char_offset - c;
        match rest.char_indices().nth(skip) {
            Some((i, _)) => Some(b + i),
            None => (rest.chars().count() == skip).then_some(self.text.len()),
        }
    }

    /// The character offset of byte `byte` (clamped to the text; a byte inside a character
    /// counts as that character's start).
    pub fn char_of_byte(&self, byte: usize) -> usize {
        let byte = byte.min(self.text.len());
        if self.checkpoints.is_empty() {
            return byte;
        }
        let k = self
            .checkpoints
            .partition_point(|&(_, b)| b <= byte)
            .saturating_sub(1);
        let (c, b) = self.checkpoints.get(k).copied().unwrap_or((0, 0));
        c + self
            .text
            .get(b..)
            .unwrap_or("")
            .char_indices()
            .take_while(|&(i, _)| b + i < byte)
            .count()
    }

    /// The 1-based line and character column of byte `byte` (clamped to the text), with its
    /// character offset.
    pub fn pos_of_byte(&self, byte: usize) -> Pos {
        let byte = byte.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= byte).max(1);
        let start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        let offset = self.char_of_byte(byte);
        let column = offset - self.char_of_byte(start) + 1;
        Pos {
            line: saturating_u32(line),
            column: saturating_u32(column),
            offset: saturating_u32(offset),
        }
    }

    /// The position of the `char_offset`-th character, clamped to the text: the end of a text
    /// that ends with a newline is the end of its last line (not a line after it).
    pub fn pos_of_char(&self, char_offset: usize) -> Pos {
        let end = self.text.len();
        let byte = self.byte_of_char(char_offset).unwrap_or(end);
        let byte = if byte == end && self.text.ends_with('\n') {
            end - 1
        } else {
            byte
        };
        self.pos_of_byte(byte)
    }

    /// The position of 1-based `line` and character `column`, clamped to the end of that line;
    /// a line past the text is its end.
    pub fn pos_of_line_column(&self, line: u32, column: u32) -> Pos {
        let Some(start) = self.line_start(line) else {
            return self.pos_of_byte(self.text.len());
        };
        let rest = self.text.get(start..).unwrap_or("");
        let wanted = usize::try_from(column.saturating_sub(1)).unwrap_or(usize::MAX);
        let len: usize = rest
            .chars()
            .take_while(|&c| c != '\n')
            .take(wanted)
            .map(char::len_utf8)
            .sum();
        self.pos_of_byte(start + len)
    }

    /// The byte offset of the start of 1-based `line`, if the text has it.
    pub fn line_start(&self, line: u32) -> Option<usize> {
        let index = usize::try_from(line).ok()?.checked_sub(1)?;
        self.line_starts.get(index).copied()
    }

    /// The number of lines (a text without a final newline still ends its last line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

/// `n` as a `u32`, saturating: positions past 4 GiB are never reached (inputs are bounded far
/// below), but a conversion must not wrap.
pub(crate) fn saturating_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod line_index_tests {
    use super::*;

    /// The reference: positions by walking the text from its start.
    fn walk(text: &str, byte: usize) -> Pos {
        let mut p = Pos {
            line: 1,
            column: 1,
            offset: 0,
        };
        for (i, c) in text.char_indices() {
            if i >= byte {
                break;
            }
            p.offset += 1;
            if c == '\n' {
                p.line += 1;
                p.column = 1;
            } else {
                p.column += 1;
            }
        }
        p
    }

    #[test]
    fn every_byte_and_char_matches_a_walk_from_the_start() {
        let long: String = "é".repeat(600) + "\nab\n" + &"x".repeat(700) + "€\n";
        for text in ["", "a", "a\nb\n", "é\r\nü\n\nx", long.as_str()] {
            let index = LineIndex::new(text);
            for byte in 0..=text.len() {
                if text.is_char_boundary(byte) {
                    let want = walk(text, byte);
                    assert_eq!(index.pos_of_byte(byte), want, "{text:?} byte {byte}");
                    assert_eq!(
                        index.byte_of_char(want.offset as usize),
                        Some(byte),
                        "{text:?} char {}",
                        want.offset
                    );
                }
            }
            let chars = text.chars().count();
            assert_eq!(index.byte_of_char(chars + 1), None);
        }
    }

    #[test]
    fn lines() {
        let index = LineIndex::new("ab\ncd\n");
        assert_eq!(index.line_start(2), Some(3));
        assert_eq!(index.line_start(0), None);
        assert_eq!(index.line_count(), 3);
    }
}
