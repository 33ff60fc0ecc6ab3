//! A bounded decoder for lz-string's `compressToEncodedURIComponent` (share-link payloads).
//!
//! **Why not `lz_str::decompress_from_encoded_uri_component`:** it has no bound on its output,
//! and a link is untrusted input. lz-string is LZW: every code adds a dictionary entry one unit
//! longer than an earlier one, so a payload whose codes each name the newest entry expands
//! quadratically (n codes give n²/2 units: a 20 KB link asks for gigabytes), and the crate
//! keeps every entry as its own `Vec` (quadratic memory too). Its public `decompress_internal`
//! only takes the input iterator, so the output cannot be bounded from outside. This decoder
//! keeps the dictionary as (prefix, last unit) pairs (memory linear in the number of codes),
//! checks each entry's length against the caller's limit *before* writing it, and stops with
//! [`LzError::TooLong`] the moment the output would pass it: time and memory are linear in
//! `min(output, limit)` plus the payload.
//!
//! Encoding stays the crate's (`lz_str::compress_to_encoded_uri_component`, byte-identical to
//! the JS library); the tests pin this decoder to `lz_str`'s decoder on random texts and on
//! random payloads, so both read every link the same way.
//!
//! Differences from the crate, on payloads no encoder writes: a character outside the
//! alphabet is an error with its position (the crate skips it), and `%24`, `%2B`, `%2D` (a
//! `$`, `+`, `-` percent-encoded by a chat or mail client) read as the character they encode.

/// lz-string's URI-safe alphabet: a character's index is its value. Encoders only write the
/// first 64 (6 bits); `$` (64, base64's padding position) reads as 0 in the 6 bits used, as in
/// the crate and the JS library.
const ALPHABET: &[u8; 65] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$";
/// Bits per payload character.
const BITS_PER_CHAR: u32 = 6;
/// Stream codes: an 8-bit literal, a 16-bit literal, the end.
const CODE_U8: u32 = 0;
const CODE_U16: u32 = 1;
const CODE_END: u32 = 2;
/// No prefix (a one-unit entry).
const NO_PREFIX: u32 = u32::MAX;

/// Why a payload cannot be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LzError {
    /// A character outside lz-string's URI alphabet, at this character index of the payload.
    BadChar { ch: char, at: usize },
    /// The payload ends before its end code.
    Truncated,
    /// A code that names no dictionary entry (or a stream that does not start with a literal).
    BadCode,
    /// The text would be longer than the caller's limit (UTF-16 units).
    TooLong { limit: usize },
}

impl std::fmt::Display for LzError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LzError::BadChar { ch, at } => write!(
                f,
                "character {ch:?} at position {at} is not part of a link's compressed data"
            ),
            LzError::Truncated => write!(f, "the compressed data is truncated"),
            LzError::BadCode => write!(f, "the compressed data is not lz-string"),
            LzError::TooLong { limit } => write!(
                f,
                "the compressed data expands beyond {} KB, more than any link the playground writes",
                limit / 1000
            ),
        }
    }
}

/// One dictionary entry: the entry it extends (or [`NO_PREFIX`]), its last unit, its length
/// and its first unit (kept so `w + entry[0]` needs no walk).
#[derive(Clone, Copy)]
struct Entry {
    prefix: u32,
    last: u16,
    first: u16,
    len: u32,
}

/// Reads the payload's 6-bit values, most significant bit first within a character, the way
/// lz-string does (including reading the next character as soon as one is used up, so a
/// stream must have a character after its last bit, as every encoder writes).
struct Bits<I> {
    chars: I,
    val: u32,
    position: u32,
}

impl<I: Iterator<Item = Result<u32, LzError>>> Bits<I> {
    /// `None` for an empty payload.
    fn new(mut chars: I) -> Result<Option<Self>, LzError> {
        Ok(match chars.next().transpose()? {
            Some(val) => Some(Bits {
                chars,
                val,
                position: 1 << (BITS_PER_CHAR - 1),
            }),
            None => None,
        })
    }

    fn bit(&mut self) -> Result<u32, LzError> {
        let bit = u32::from(self.val & self.position != 0);
        self.position >>= 1;
        if self.position == 0 {
            self.position = 1 << (BITS_PER_CHAR - 1);
            self.val = self.chars.next().ok_or(LzError::Truncated)??;
        }
        Ok(bit)
    }

    /// `n` bits (at most 32), least significant first.
    fn bits(&mut self, n: u32) -> Result<u32, LzError> {
        let mut out = 0u32;
        for i in 0..n.min(32) {
            out |= self.bit()? << i;
        }
        Ok(out)
    }
}

/// The 6-bit values of `payload`, decoding `%24`/`%2B`/`%2D` and reading a space as `+` (what
/// a `+` becomes when a link passes through form decoding).
fn values(payload: &str) -> impl Iterator<Item = Result<u32, LzError>> + '_ {
    let mut it = payload.chars().enumerate().peekable();
    std::iter::from_fn(move || {
        let (at, c) = it.next()?;
        let c = match c {
            ' ' => '+',
            '%' => {
                let hex: String = (0..2).filter_map(|_| it.next().map(|(_, h)| h)).collect();
                match hex.to_ascii_uppercase().as_str() {
                    "24" => '$',
                    "2B" => '+',
                    "2D" => '-',
                    _ => return Some(Err(LzError::BadChar { ch: '%', at })),
                }
            }
            c => c,
        };
        let v = u8::try_from(c)
            .ok()
            .and_then(|b| ALPHABET.iter().position(|a| *a == b))
            .and_then(|i| u32::try_from(i).ok());
        Some(v.ok_or(LzError::BadChar { ch: c, at }))
    })
}

/// Decode a `compressToEncodedURIComponent` payload into UTF-16 units, failing with
/// [`LzError::TooLong`] rather than producing more than `max_units`. An empty payload is an
/// empty text (as in the crate and the JS library).
pub fn decompress_uri(payload: &str, max_units: usize) -> Result<Vec<u16>, LzError> {
    let Some(mut bits) = Bits::new(values(payload))? else {
        return Ok(Vec::new());
    };
    let mut dict: Vec<Entry> = Vec::new();
    // Codes 0–2 are the stream codes; their entries are never read.
    for _ in 0..3 {
        dict.push(Entry {
            prefix: NO_PREFIX,
            last: 0,
            first: 0,
            len: 1,
        });
    }
    let too_long = LzError::TooLong { limit: max_units };
    let literal = |bits: &mut Bits<_>, code: u32| -> Result<u16, LzError> {
        let n = if code == CODE_U8 { 8 } else { 16 };
        u16::try_from(bits.bits(n)?).map_err(|_| LzError::BadCode)
    };
    let first = match bits.bits(2)? {
        c @ (CODE_U8 | CODE_U16) => literal(&mut bits, c)?,
        CODE_END => return Ok(Vec::new()),
        _ => return Err(LzError::BadCode),
    };
    if max_units == 0 {
        return Err(too_long);
    }
    let push = |dict: &mut Vec<Entry>, e: Entry| -> Result<u32, LzError> {
        let id = u32::try_from(dict.len()).map_err(|_| LzError::BadCode)?;
        dict.push(e);
        Ok(id)
    };
    let mut w = push(
        &mut dict,
        Entry {
            prefix: NO_PREFIX,
            last: first,
            first,
            len: 1,
        },
    )?;
    let mut out = vec![first];
    let mut num_bits: u32 = 3;
    let mut enlarge_in: u64 = 4;
    loop {
        let mut code = bits.bits(num_bits)?;
        match code {
            CODE_U8 | CODE_U16 => {
                let unit = literal(&mut bits, code)?;
                code = push(
                    &mut dict,
                    Entry {
                        prefix: NO_PREFIX,
                        last: unit,
                        first: unit,
                        len: 1,
                    },
                )?;
                enlarge_in = enlarge_in.saturating_sub(1);
            }
            CODE_END => return Ok(out),
            _ => {}
        }
        if enlarge_in == 0 {
            enlarge_in = 1u64 << num_bits.min(63);
            num_bits += 1;
        }
        let w_entry = *dict.get(w as usize).ok_or(LzError::BadCode)?;
        let entry = match dict.get(code as usize) {
            Some(e) => *e,
            // The entry being defined by this very code: w + w[0] (the "cScSc" case).
            None if code as usize == dict.len() => Entry {
                prefix: w,
                last: w_entry.first,
                first: w_entry.first,
                len: w_entry.len.saturating_add(1),
            },
            None => return Err(LzError::BadCode),
        };
        let len = entry.len as usize;
        if out.len().saturating_add(len) > max_units {
            return Err(too_long);
        }
        write_entry(&dict, entry, &mut out)?;
        // w + entry[0] becomes the next entry; the entry just read is the new w.
        push(
            &mut dict,
            Entry {
                prefix: w,
                last: entry.first,
                first: w_entry.first,
                len: w_entry.len.saturating_add(1),
            },
        )?;
        // `entry` is in the dictionary now: the one named by `code` (or, for w + w[0], the
        // one just pushed, which has the same units).
        w = code;
        enlarge_in = enlarge_in.saturating_sub(1);
        if enlarge_in == 0 {
            enlarge_in = 1u64 << num_bits.min(63);
            num_bits += 1;
        }
    }
}

/// Append `entry`'s units to `out`, walking its prefix chain backwards into place.
fn write_entry(dict: &[Entry], entry: Entry, out: &mut Vec<u16>) -> Result<(), LzError> {
    let start = out.len();
    out.resize(start + entry.len as usize, 0);
    let mut e = entry;
    let mut i = out.len();
    loop {
        i = i.checked_sub(1).ok_or(LzError::BadCode)?;
        if i < start {
            return Err(LzError::BadCode);
        }
        *out.get_mut(i).ok_or(LzError::BadCode)? = e.last;
        if e.prefix == NO_PREFIX {
            break;
        }
        e = *dict.get(e.prefix as usize).ok_or(LzError::BadCode)?;
    }
    if i == start {
        Ok(())
    } else {
        Err(LzError::BadCode)
    }
}

/// A decompression bomb for lz-string's URI encoding, for tests (this crate's, and the
/// end-to-end `tests/tests/playground_e2e.rs`); the app never makes one. After one literal,
/// every code names the entry being defined (w + w[0]), so entry k has k units and n codes
/// expand to about n²/2 units (60 000 codes: a 170 KB link asking for 1.8 G units).
pub fn bomb(codes: usize) -> String {
    let mut bits: Vec<bool> = Vec::new();
    let put = |v: u64, n: u32, bits: &mut Vec<bool>| {
        for i in 0..n {
            bits.push(v >> i & 1 == 1);
        }
    };
    put(0, 2, &mut bits); // an 8-bit literal
    put(u64::from(b'a'), 8, &mut bits);
    // Dictionary: 0–2 stream codes, 3 = "a"; each code names the next entry, from 4.
    let mut num_bits = 3u32;
    let mut enlarge_in: u64 = 4;
    for next in (4u64..).take(codes) {
        put(next, num_bits, &mut bits);
        enlarge_in -= 1;
        if enlarge_in == 0 {
            enlarge_in = 1 << num_bits;
            num_bits += 1;
        }
    }
    put(2, num_bits, &mut bits);
    bits.extend([false; 6]);
    bits.chunks(6)
        .map(|c| {
            let v = c
                .iter()
                .enumerate()
                .fold(0usize, |v, (i, b)| v | usize::from(*b) << (5 - i));
            char::from(ALPHABET[v])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The crate's decoder, as a result like ours.
    fn crate_decode(payload: &str) -> Option<Vec<u16>> {
        lz_str::decompress_from_encoded_uri_component(payload)
    }

    #[test]
    fn reads_what_the_crate_writes() {
        for text in [
            "",
            "a",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            r#"{"v":1,"example":"seed"}"#,
            "abababababababababababababababababab\u{1F600}é\u{0}\u{FFFF}",
            "The quick brown fox jumps over the lazy dog",
        ] {
            let payload = lz_str::compress_to_encoded_uri_component(text);
            let want: Vec<u16> = text.encode_utf16().collect();
            assert_eq!(
                decompress_uri(&payload, 1_000),
                Ok(want.clone()),
                "{text:?}"
            );
            assert_eq!(crate_decode(&payload), Some(want), "{text:?}");
        }
    }

    #[test]
    fn the_limit_is_exact() {
        let text = "x".repeat(5000);
        let payload = lz_str::compress_to_encoded_uri_component(&text);
        assert_eq!(decompress_uri(&payload, 5000).map(|v| v.len()), Ok(5000));
        assert_eq!(
            decompress_uri(&payload, 4999),
            Err(LzError::TooLong { limit: 4999 })
        );
        assert_eq!(
            decompress_uri(&payload, 0),
            Err(LzError::TooLong { limit: 0 })
        );
    }

    #[test]
    fn a_bomb_stops_at_the_limit() {
        // Small enough for the crate: both decoders agree on what it expands to.
        let small = bomb(40);
        let full = crate_decode(&small).expect("the crate reads the small bomb");
        assert_eq!(full.len(), 1 + (1..=40).map(|k| k + 1).sum::<usize>());
        assert_eq!(decompress_uri(&small, full.len()), Ok(full));
        // 60 000 codes (a 170 KB payload) would be 1.8 G units: stopped at the limit.
        let big = bomb(60_000);
        assert!(big.len() < 200_000, "{}", big.len());
        let t = std::time::Instant::now();
        assert_eq!(
            decompress_uri(&big, 256_000),
            Err(LzError::TooLong { limit: 256_000 })
        );
        assert!(t.elapsed().as_secs() < 2, "{:?}", t.elapsed());
    }

    #[test]
    fn garbage_is_an_error_with_its_position() {
        assert_eq!(decompress_uri("", 10), Ok(Vec::new()));
        let good = lz_str::compress_to_encoded_uri_component("hello hello hello");
        let at = |i: usize, junk: &str| format!("{}{junk}{}", &good[..i], &good[i..]);
        assert_eq!(
            decompress_uri(&at(2, "%cd"), 100),
            Err(LzError::BadChar { ch: '%', at: 2 })
        );
        assert_eq!(
            decompress_uri(&at(4, "<script>"), 100),
            Err(LzError::BadChar { ch: '<', at: 4 })
        );
        // Characters after the end code are not read (as in the crate).
        assert_eq!(
            decompress_uri(&at(good.len(), "<junk>"), 100).map(|v| v.len()),
            Ok(17)
        );
        assert_eq!(
            decompress_uri("é", 10),
            Err(LzError::BadChar { ch: 'é', at: 0 })
        );
        // Stream code 3 (`w` = 0b110000) is not a start.
        assert_eq!(decompress_uri("w", 10), Err(LzError::BadCode));
        assert_eq!(
            decompress_uri(&good[..good.len() - 2], 100),
            Err(LzError::Truncated)
        );
        for e in [
            LzError::BadChar { ch: '<', at: 4 },
            LzError::Truncated,
            LzError::BadCode,
            LzError::TooLong { limit: 256_000 },
        ] {
            assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn percent_encoded_and_space_forms_read_as_their_characters() {
        let text = "{\"v\":1,\"yaml\":\"a: 1\\nb: [x, y]\\n\"}~~~~";
        let payload = lz_str::compress_to_encoded_uri_component(text);
        let want: Vec<u16> = text.encode_utf16().collect();
        let mangled = payload
            .replace('$', "%24")
            .replace('+', " ")
            .replace('-', "%2d");
        assert_eq!(decompress_uri(&mangled, 1000), Ok(want));
    }
}

/// The decoder against `lz_str`'s on random input: the crate's encoder's output reads back
/// the same, and arbitrary payloads over the alphabet are read alike (same text, or both
/// refuse).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn round_trips_any_text(text in any::<String>()) {
            let payload = lz_str::compress_to_encoded_uri_component(&text);
            let want: Vec<u16> = text.encode_utf16().collect();
            prop_assert_eq!(decompress_uri(&payload, want.len()), Ok(want.clone()));
            prop_assert_eq!(lz_str::decompress_from_encoded_uri_component(&payload), Some(want));
        }

        #[test]
        fn round_trips_repetitive_text(text in "[ab{}\":,\\n é\u{1F600}]{0,3000}") {
            let payload = lz_str::compress_to_encoded_uri_component(&text);
            let want: Vec<u16> = text.encode_utf16().collect();
            prop_assert_eq!(decompress_uri(&payload, want.len()), Ok(want.clone()));
            if !want.is_empty() {
                prop_assert_eq!(
                    decompress_uri(&payload, want.len() - 1),
                    Err(LzError::TooLong { limit: want.len() - 1 })
                );
            }
        }

        #[test]
        fn reads_random_payloads_like_the_crate(payload in "[A-Za-z0-9+$-]{0,80}") {
            let ours = decompress_uri(&payload, usize::MAX).ok();
            prop_assert_eq!(ours, lz_str::decompress_from_encoded_uri_component(&payload));
        }
    }
}
