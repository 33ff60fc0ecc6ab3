//! Text in and out: the byte-order mark a spreadsheet writes before CSV text, and user text made
//! safe and short before it is shown back (numbers and times: [`crate::display`]).
//!
//! Every reader of user text strips the byte-order mark with [`strip_bom`]; every number that
//! goes into a message or a table goes through [`crate::display::Num`]; every piece of user text quoted in a
//! message goes through [`quote`], and every source line shown in an excerpt through [`escape`].
//!
//! # Escaping
//!
//! Control characters (C0 but `\n` between message lines, DEL, C1), bidirectional controls
//! (the "Trojan Source" characters, CVE-2021-42574: U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
//! U+061C) and invisible characters (zero-width spaces and joiners U+200B–U+200D, word joiner and
//! invisible operators U+2060–U+2064, U+FEFF, soft hyphen U+00AD, Mongolian vowel separator
//! U+180E, line and paragraph separators U+2028/U+2029, interlinear annotations U+FFF9–U+FFFB)
//! are written as Rust writes them in a string: `\t`, `\n`, `\r`, else `\u{hex}` (`\u{0}`,
//! `\u{1b}`, `\u{202e}`). The escape is plain ASCII, so a terminal never acts on it, and it is
//! idempotent. A backslash is not escaped: `\u{0}` typed by the user reads the same as an escaped
//! NUL, which only matters to someone who wrote it on purpose.

use std::borrow::Cow;
use std::fmt::Write as _;

/// The UTF-8 byte-order mark (U+FEFF) that spreadsheets ("CSV UTF-8" in Excel, LibreOffice) and
/// some Windows editors write at the start of a file. It is invisible, so a header `time`
/// preceded by it would read as an unknown column.
pub const BOM: char = '\u{feff}';

/// `text` without a leading byte-order mark. Positions stay right: the mark sits before line 1,
/// column 1, and is not a character the user sees.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix(BOM).unwrap_or(text)
}

/// The text of UTF-16 bytes that start with a byte-order mark (`FF FE` little-endian, `FE FF`
/// big-endian: what Windows PowerShell's `>` and "Unicode" saves write), without the mark; an
/// unpaired surrogate or a trailing odd byte reads as U+FFFD. `None` for bytes without such a
/// mark. kubectl reads these files the same way (k8s.io/cli-runtime `pkg/resource/visitor.go`,
/// `FileVisitor`: `unicode.BOMOverride`).
pub fn utf16_with_bom(bytes: &[u8]) -> Option<String> {
    let (rest, little) = match bytes {
        [0xFF, 0xFE, rest @ ..] => (rest, true),
        [0xFE, 0xFF, rest @ ..] => (rest, false),
        _ => return None,
    };
    let units = rest.chunks(2).map(|c| match (c, little) {
        ([a, b], true) => u16::from_le_bytes([*a, *b]),
        ([a, b], false) => u16::from_be_bytes([*a, *b]),
        _ => 0xFFFD,
    });
    Some(
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect(),
    )
}

/// `s` split after its longest prefix of characters that satisfy `keep`: (prefix, rest). The
/// tokenizers' primitive: it never cuts inside a character, so it cannot panic.
pub fn split_while(s: &str, keep: impl Fn(char) -> bool) -> (&str, &str) {
    let end = s.find(|c: char| !keep(c)).unwrap_or(s.len());
    // `end` is a character boundary (from `find`) or the length: the split always succeeds.
    s.split_at_checked(end).unwrap_or((s, ""))
}

/// Whether `c` is shown escaped (see the module doc).
pub fn needs_escape(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{ad}'
        | '\u{61c}'
        | '\u{180e}'
        | '\u{200b}'..='\u{200f}'
        | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{feff}'
        | '\u{fff9}'..='\u{fffb}')
}

/// Append `c` to `out`, escaped when [`needs_escape`] says so.
pub fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if needs_escape(c) => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
        c => out.push(c),
    }
}

/// How many characters [`push_escaped`] writes for `c` (1 for a character shown as itself), for
/// lining up carets under an escaped excerpt.
pub fn escaped_width(c: char) -> usize {
    match c {
        '\n' | '\r' | '\t' => 2,
        // `\u{` + hex digits + `}`.
        c if needs_escape(c) => 4 + hex_digits(u32::from(c)),
        _ => 1,
    }
}

fn hex_digits(n: u32) -> usize {
    (32 - n.leading_zeros()).div_ceil(4).max(1) as usize
}

/// `s` with every character [`needs_escape`] names escaped, line breaks included.
pub fn escape(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        push_escaped(&mut out, c);
    }
    Cow::Owned(out)
}

/// [`escape`], but a `\n` stays a line break: for messages that have several lines.
pub fn escape_lines(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c != '\n' && needs_escape(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c == '\n' {
            out.push(c);
        } else {
            push_escaped(&mut out, c);
        }
    }
    Cow::Owned(out)
}

/// The most characters of one user value that [`quote`] shows: a Kubernetes name (at most 63
/// characters for a label value, most object names), a metric name or a number fits whole; a
/// longer value (a pasted blob, a 1 MB scalar) is cut so the message stays one readable line.
/// The span still points at the whole value.
pub const QUOTE_MAX_CHARS: usize = 80;

/// The most characters a whole message keeps ([`bound_message`]): a safety net for any message
/// that quotes user text without [`quote`]; no message Scalelens writes comes near it.
pub const MESSAGE_MAX_CHARS: usize = 4096;

/// The longest word (in characters) [`edit_distance_within`] compares: a typo suggestion is for
/// names (YAML keys, annotation and field names; the longest Scalelens knows is under 50
/// characters), and the comparison costs the product of the two lengths, so a pasted 1 MB key
/// must not reach it. Longer words get no suggestion.
pub const EDIT_DISTANCE_MAX_CHARS: usize = 64;

/// The Levenshtein distance between `a` and `b` counted in characters (`strsim::levenshtein`),
/// when it is at most `max`: `None` when it is larger, or when either word is longer than
/// [`EDIT_DISTANCE_MAX_CHARS`] (bounded cost on user text: at most 64 × 64 steps). The one edit
/// distance behind every "did you mean" (the YAML readers' `closest`, the gateway filter's
/// configuration).
pub fn edit_distance_within(a: &str, b: &str, max: usize) -> Option<usize> {
    let (la, lb) = (short_len(a)?, short_len(b)?);
    // The distance is at least the difference in length: no need to compare.
    if la.abs_diff(lb) > max {
        return None;
    }
    Some(strsim::levenshtein(a, b)).filter(|d| *d <= max)
}

/// The length of `s` in characters, `None` past [`EDIT_DISTANCE_MAX_CHARS`] (reads at most that
/// many characters).
fn short_len(s: &str) -> Option<usize> {
    let n = s.chars().take(EDIT_DISTANCE_MAX_CHARS + 1).count();
    (n <= EDIT_DISTANCE_MAX_CHARS).then_some(n)
}

/// `s` cut to `max` characters: the first `max` then `… (N characters)`, N the full length.
pub fn clip(s: &str, max: usize) -> Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => Cow::Borrowed(s),
        Some((end, _)) => {
            let total = s.chars().count();
            Cow::Owned(format!(
                "{}… ({total} characters)",
                s.get(..end).unwrap_or(s)
            ))
        }
    }
}

/// A user's value for a message: at most [`QUOTE_MAX_CHARS`] characters ([`clip`]), escaped
/// ([`escape`]).
pub fn quote(s: &str) -> Cow<'_, str> {
    quote_max(s, QUOTE_MAX_CHARS)
}

/// [`quote`] with another length limit.
pub fn quote_max(s: &str, max: usize) -> Cow<'_, str> {
    match clip(s, max) {
        Cow::Borrowed(b) => escape(b),
        Cow::Owned(o) => Cow::Owned(escape(&o).into_owned()),
    }
}

/// A whole message made safe to show: escaped but for its line breaks ([`escape_lines`]), and
/// cut at [`MESSAGE_MAX_CHARS`]. Diagnostics and import notes pass their message through it.
pub fn bound_message(s: String) -> String {
    let escaped = match escape_lines(&s) {
        Cow::Borrowed(_) => s,
        Cow::Owned(o) => o,
    };
    match clip(&escaped, MESSAGE_MAX_CHARS) {
        Cow::Borrowed(_) => escaped,
        Cow::Owned(o) => o,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_with_a_byte_order_mark_is_text() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a: é\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("a: 😀".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        let cases: [(&[u8], Option<&str>); 5] = [
            (&le, Some("a: é\n")),
            (&be, Some("a: 😀")),
            (&[0xFF, 0xFE, 0x00, 0xD8, 0x61], Some("\u{fffd}\u{fffd}")),
            (b"a: 1\n", None),
            (&[0xEF, 0xBB, 0xBF, b'a'], None),
        ];
        for (bytes, want) in cases {
            assert_eq!(utf16_with_bom(bytes).as_deref(), want, "{bytes:?}");
        }
    }

    #[test]
    fn bom() {
        assert_eq!(strip_bom("\u{feff}time,value"), "time,value");
        assert_eq!(strip_bom("time,value"), "time,value");
        // Only one, only at the start.
        assert_eq!(strip_bom("\u{feff}\u{feff}a"), "\u{feff}a");
        assert_eq!(strip_bom("a\u{feff}"), "a\u{feff}");
    }

    #[test]
    fn split_while_never_cuts_a_character() {
        let digit = |c: char| c.is_ascii_digit();
        for (s, want) in [
            ("30s", ("30", "s")),
            ("", ("", "")),
            ("123", ("123", "")),
            ("s30", ("", "s30")),
            ("1é2", ("1", "é2")),
            ("é", ("", "é")),
        ] {
            assert_eq!(split_while(s, digit), want, "{s:?}");
        }
        assert_eq!(split_while("éé!", |c| c == 'é'), ("éé", "!"));
    }

    #[test]
    fn escapes() {
        let cases: &[(&str, &str)] = &[
            ("plain text: é, 漢字, ✓", "plain text: é, 漢字, ✓"),
            ("a\u{0}b", "a\\u{0}b"),
            ("\u{1b}[31mred", "\\u{1b}[31mred"),
            ("tab\there\r\n", "tab\\there\\r\\n"),
            ("\u{7f}\u{85}\u{9f}", "\\u{7f}\\u{85}\\u{9f}"),
            // Trojan Source: the bidi overrides and isolates, and invisible characters.
            ("admin\u{202e}txt.exe", "admin\\u{202e}txt.exe"),
            ("\u{2066}x\u{2069}", "\\u{2066}x\\u{2069}"),
            (
                "a\u{200b}b\u{200d}c\u{feff}",
                "a\\u{200b}b\\u{200d}c\\u{feff}",
            ),
            (
                "\u{61c}\u{200e}\u{200f}\u{2028}\u{2029}",
                "\\u{61c}\\u{200e}\\u{200f}\\u{2028}\\u{2029}",
            ),
        ];
        for &(input, want) in cases {
            assert_eq!(escape(input), want, "{input:?}");
            // Idempotent, and each escaped character's width is what it writes.
            assert_eq!(escape(want), want, "{input:?}");
            let width: usize = input.chars().map(escaped_width).sum();
            assert_eq!(width, want.chars().count(), "{input:?}");
        }
        assert!(matches!(escape("ok"), Cow::Borrowed(_)));
        assert_eq!(escape_lines("one\ntwo\u{0}"), "one\ntwo\\u{0}");
    }

    #[test]
    fn edit_distances() {
        for (a, b, d) in [
            ("", "", 0),
            ("", "abc", 3),
            ("kitten", "sitting", 3),
            ("minReplicas", "minReplica", 1),
            ("maxReplcias", "maxReplicas", 2),
            ("stable_windw", "stable_window", 1),
            ("métrics", "metrics", 1),
            ("routé", "route", 1),
            ("same", "same", 0),
        ] {
            assert_eq!(edit_distance_within(a, b, 10), Some(d), "{a:?} {b:?}");
            assert_eq!(edit_distance_within(b, a, 10), Some(d), "{b:?} {a:?}");
            assert_eq!(
                edit_distance_within(a, b, d),
                Some(d),
                "{a:?} {b:?} at its bound"
            );
            if d > 0 {
                assert_eq!(
                    edit_distance_within(a, b, d - 1),
                    None,
                    "{a:?} {b:?} past max"
                );
            }
        }
        // Past the length cap: no answer, however close (and no quadratic work).
        let long = "a".repeat(EDIT_DISTANCE_MAX_CHARS + 1);
        let just = "a".repeat(EDIT_DISTANCE_MAX_CHARS);
        assert_eq!(edit_distance_within(&just, &just, 2), Some(0));
        assert_eq!(edit_distance_within(&long, &just, 2), None);
        assert_eq!(edit_distance_within(&just, &long, 2), None);
        let huge = "é".repeat(1 << 20);
        assert_eq!(edit_distance_within(&huge, "metrics", usize::MAX), None);
    }

    #[test]
    fn clips() {
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("abcd", 3), "abc… (4 characters)");
        assert_eq!(clip("ééééé", 2), "éé… (5 characters)");
        let big = "x".repeat(1 << 20);
        let q = quote(&big);
        assert_eq!(
            q.chars().count(),
            QUOTE_MAX_CHARS + " (1048576 characters)".len() + 1
        );
        assert!(q.ends_with("x… (1048576 characters)"), "{q}");
        // Escaping comes after cutting: the cut never splits an escape.
        assert_eq!(
            quote_max("\u{0}\u{0}\u{0}", 2),
            "\\u{0}\\u{0}… (3 characters)"
        );
        let m = bound_message(format!("found `{big}`\nsecond\u{1b}"));
        assert!(m.chars().count() < MESSAGE_MAX_CHARS + 40, "{}", m.len());
        assert!(
            m.ends_with("… (1048597 characters)"),
            "{}",
            m.get(m.len() - 40..).unwrap_or(&m)
        );
        assert_eq!(bound_message("a\nb\u{1b}".into()), "a\nb\\u{1b}");
    }
}
