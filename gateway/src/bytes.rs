//! Word-at-a-time byte search for the scanners' hot loops (strings, SSE lines).
//!
//! The filter runs as Wasm in Envoy's V8, without SIMD: a byte loop costs a load, a few
//! compares and a branch per byte, so the searches here read eight bytes as one `u64` (a native
//! Wasm type) and test them together, with the classic "has a byte less than n" bit trick
//! (Sean Eron Anderson, "Bit Twiddling Hacks", *Determine if a word has a byte less than n*):
//! `(w - n·0x01…01) & !w & 0x80…80` flags, in its high bit, every byte of `w` below `n`
//! (1 ≤ n ≤ 128) from the lowest one up to the first match exactly; a borrow may flag bytes
//! above the first match too, so only the lowest flag is used. Testing a byte for equality
//! with `b` is testing `w ^ b·0x01…01` for a byte below 1. No `unsafe`: words are
//! `u64::from_le_bytes` of `chunks_exact(8)`, so the lowest flag is the first byte in memory.

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// High bits set for the bytes of `w` below `n` (1 ≤ n ≤ 128); the lowest one is exact.
#[inline(always)]
fn below(w: u64, n: u8) -> u64 {
    w.wrapping_sub(LO * u64::from(n)) & !w & HI
}

/// High bits set for the bytes of `w` equal to `b`; the lowest one is exact.
#[inline(always)]
fn equal(w: u64, b: u8) -> u64 {
    below(w ^ (LO * u64::from(b)), 1)
}

/// Index of the first byte of `s` for which `word` flags (in a word) or `byte` holds (in the
/// tail shorter than a word), else `s.len()`. `word` and `byte` must agree.
#[inline(always)]
fn find(s: &[u8], word: impl Fn(u64) -> u64, byte: impl Fn(u8) -> bool) -> usize {
    let mut words = s.chunks_exact(8);
    let mut at = 0;
    for w in &mut words {
        let m = word(u64::from_le_bytes(w.try_into().unwrap_or([0; 8])));
        if m != 0 {
            return at + (m.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    let tail = words.remainder();
    at + tail.iter().position(|&b| byte(b)).unwrap_or(tail.len())
}

/// Length of the leading run of bytes a JSON string takes as they are (RFC 8259 §7): up to a
/// quote, a backslash or a control character (below 0x20).
#[inline]
pub(crate) fn string_run(s: &[u8]) -> usize {
    find(
        s,
        |w| below(w, 0x20) | equal(w, b'"') | equal(w, b'\\'),
        |b| b == b'"' || b == b'\\' || b < 0x20,
    )
}

/// Index of the first CR or LF in `s` (a line end in `text/event-stream`), else `s.len()`.
#[inline]
pub(crate) fn line_end(s: &[u8]) -> usize {
    find(
        s,
        |w| equal(w, b'\n') | equal(w, b'\r'),
        |b| b == b'\n' || b == b'\r',
    )
}

/// Length of the longest common prefix of `a` and `b`, eight bytes at a time (the first
/// differing byte of two words is the lowest non-zero byte of their XOR).
#[inline]
pub(crate) fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut at = 0;
    while at + 8 <= n {
        let (Some(x), Some(y)) = (a.get(at..at + 8), b.get(at..at + 8)) else {
            break;
        };
        let d = u64::from_le_bytes(x.try_into().unwrap_or([0; 8]))
            ^ u64::from_le_bytes(y.try_into().unwrap_or([0; 8]));
        if d != 0 {
            return at + (d.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while at < n && a.get(at) == b.get(at) {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every position of a stop byte, with every byte value before and after it and in
    /// every alignment, gives the byte loop's answer.
    #[test]
    fn word_search_equals_the_byte_loop() {
        let plain = |b: u8| b == b'"' || b == b'\\' || b < 0x20;
        let eol = |b: u8| b == b'\n' || b == b'\r';
        for len in 0..20 {
            for at in 0..=len {
                for fill in 0..=255u8 {
                    for stop in [0u8, 0x1f, b'"', b'\\', b'\n', b'\r', 0x20, 0x80, 0xff, b'a'] {
                        let mut s = vec![fill; len];
                        if let Some(x) = s.get_mut(at) {
                            *x = stop;
                        }
                        let want = s.iter().position(|&b| plain(b)).unwrap_or(len);
                        assert_eq!(string_run(&s), want, "{s:?}");
                        let want = s.iter().position(|&b| eol(b)).unwrap_or(len);
                        assert_eq!(line_end(&s), want, "{s:?}");
                    }
                }
            }
        }
    }

    /// Every length pair and every position of the first difference gives the byte loop's
    /// answer.
    #[test]
    fn common_prefix_equals_the_byte_loop() {
        for a_len in 0..20 {
            for b_len in 0..20 {
                for at in 0..=a_len.max(b_len) {
                    let a: Vec<u8> = (0..a_len as u8).collect();
                    let mut b: Vec<u8> = (0..b_len as u8).collect();
                    if let Some(x) = b.get_mut(at) {
                        *x ^= 0x80;
                    }
                    let want = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
                    assert_eq!(common_prefix(&a, &b), want, "{a:?} {b:?}");
                }
            }
        }
    }
}
