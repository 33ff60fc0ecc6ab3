//! The one CSV line reader, shared by the demand CSV ([`crate::demand`]) and the samples
//! importers ([`crate::samples`]): lines, fields with their byte offsets, RFC 4180 quotes.
//!
//! Fields may be quoted (`"a ""b"""`, doubling a quote inside); a quoted field may hold the
//! delimiter (`"1,5"`) and cannot span lines. Spaces around a field (and tabs, unless the tab
//! is the delimiter) are not part of it, also before an opening quote (`0, "1,5"`). Blank lines
//! and lines starting with `#` are not data.
//!
//! Hand-written rather than the `csv` crate: its parser (csv-core) reports where a record
//! starts but not where each field does, and the messages point at a field's `line:column`;
//! and it reads `0, "1,5"` as three fields (a quote is special only as a field's first byte,
//! a space before it makes it text), which hand-written CSVs write. The grammar is this
//! file's 100 lines, with a test table.

use std::borrow::Cow;

/// One field: the byte offset of its first character in the text (after the blanks before
/// it; the opening quote of a quoted field) and its text, unquoted.
#[derive(Debug, Clone, PartialEq)]
pub struct Field<'a> {
    pub off: usize,
    pub text: Cow<'a, str>,
}

/// Why a line is not CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CsvError {
    /// A quoted field with no closing quote on its line, at the opening quote's offset.
    #[error("unterminated quoted field")]
    Unterminated(usize),
    /// Text between a closing quote and the next delimiter, at its offset.
    #[error("unexpected text after a closing quote")]
    AfterQuote(usize),
}

impl CsvError {
    /// The byte offset in the text the error is at.
    pub fn offset(self) -> usize {
        match self {
            CsvError::Unterminated(o) | CsvError::AfterQuote(o) => o,
        }
    }
}

/// The data lines of a CSV: `(byte offset of the line, line without the line break)`, skipping
/// blank lines and lines starting with `#` (after blanks).
pub fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut off = 0usize;
    text.split_inclusive('\n').filter_map(move |raw| {
        let start = off;
        off += raw.len();
        let l = raw.trim_end_matches(['\n', '\r']);
        let t = l.trim();
        if t.is_empty() || t.starts_with('#') {
            None
        } else {
            Some((start, l))
        }
    })
}

/// Split one line at `delim` into `out` (cleared first), honouring quotes; `base` is the
/// line's offset in the text, so fields and errors carry offsets in the text.
pub fn split<'a>(
    line: &'a str,
    base: usize,
    delim: u8,
    out: &mut Vec<Field<'a>>,
) -> Result<(), CsvError> {
    out.clear();
    let b = line.as_bytes();
    // Blanks around a field: spaces, and tabs unless the tab is the delimiter.
    let blanks_at = |at: usize| {
        b.get(at..).map_or(0, |r| {
            r.iter()
                .take_while(|&&c| c == b' ' || (c == b'\t' && delim != b'\t'))
                .count()
        })
    };
    let mut i = 0;
    loop {
        i += blanks_at(i);
        let start = i;
        if b.get(i) == Some(&b'"') {
            let mut s = String::new();
            let mut j = i + 1;
            let mut seg = j;
            loop {
                match b.get(j) {
                    None => return Err(CsvError::Unterminated(base + start)),
                    Some(b'"') if b.get(j + 1) == Some(&b'"') => {
                        s.push_str(line.get(seg..j + 1).unwrap_or(""));
                        j += 2;
                        seg = j;
                    }
                    Some(b'"') => {
                        s.push_str(line.get(seg..j).unwrap_or(""));
                        j += 1;
                        break;
                    }
                    Some(_) => j += 1,
                }
            }
            j += blanks_at(j);
            out.push(Field {
                off: base + start,
                text: Cow::Owned(s),
            });
            match b.get(j) {
                None => return Ok(()),
                Some(&c) if c == delim => i = j + 1,
                Some(_) => return Err(CsvError::AfterQuote(base + j)),
            }
        } else {
            let end = b
                .get(i..)
                .and_then(|r| r.iter().position(|&c| c == delim))
                .map_or(b.len(), |p| i + p);
            let f = line.get(start..end).unwrap_or("").trim_end();
            out.push(Field {
                off: base + start,
                text: Cow::Borrowed(f),
            });
            if end >= b.len() {
                return Ok(());
            }
            i = end + 1;
        }
    }
}

/// The delimiter of a header line: `,` if present outside quotes, else `;`, else tab, else `,`.
pub fn delimiter(header: &str) -> u8 {
    let mut inq = false;
    let (mut comma, mut semi, mut tab) = (false, false, false);
    for c in header.bytes() {
        match c {
            b'"' => inq = !inq,
            b',' if !inq => comma = true,
            b';' if !inq => semi = true,
            b'\t' if !inq => tab = true,
            _ => {}
        }
    }
    if comma {
        b','
    } else if semi {
        b';'
    } else if tab {
        b'\t'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_errors() {
        type Want = Result<Vec<(usize, &'static str)>, CsvError>;
        let cases: &[(&str, u8, Want)] = &[
            ("a,b", b',', Ok(vec![(0, "a"), (2, "b")])),
            (" a , b ", b',', Ok(vec![(1, "a"), (5, "b")])),
            (
                r#""Time", "{pod=""a""}",x"#,
                b',',
                Ok(vec![(0, "Time"), (8, r#"{pod="a"}"#), (22, "x")]),
            ),
            ("0, \"1,5\"", b',', Ok(vec![(0, "0"), (3, "1,5")])),
            ("a,", b',', Ok(vec![(0, "a"), (2, "")])),
            ("a\tb", b'\t', Ok(vec![(0, "a"), (2, "b")])),
            ("a;\"b;c\"", b';', Ok(vec![(0, "a"), (2, "b;c")])),
            ("a,\"b", b',', Err(CsvError::Unterminated(2))),
            ("\"a\"b,c", b',', Err(CsvError::AfterQuote(3))),
        ];
        let mut out = Vec::new();
        for (line, delim, want) in cases {
            let got = split(line, 0, *delim, &mut out).map(|()| {
                out.iter()
                    .map(|f| (f.off, f.text.to_string()))
                    .collect::<Vec<_>>()
            });
            let want = want.clone().map(|v| {
                v.into_iter()
                    .map(|(o, t)| (o, t.to_string()))
                    .collect::<Vec<_>>()
            });
            assert_eq!(got, want, "{line:?}");
        }
        assert_eq!(delimiter("\"a,b\";c"), b';');
        assert_eq!(delimiter("a\tb"), b'\t');
        assert_eq!(
            lines("# c\n\n a,b\r\n  # x\nc\n").collect::<Vec<_>>(),
            [(5, " a,b"), (17, "c")]
        );
    }
}
