//! The fuzz targets' harness: how an input is laid out, the invariants several targets
//! check, and each target's `run` ([`targets`]). It depends on `scalelens-core` and `arbitrary`
//! only, so the regression tests (tests/tests/fuzz_regressions.rs) replay found inputs through
//! the same code on stable Rust; `fuzz_targets/*.rs` hand libFuzzer's inputs to it.
//!
//! Layouts (the checked-in corpora follow them; `seed.sh` writes seeds in them):
//! - **Text targets** (`config`, `samples_*`, `demand_csv`, `gateway_config`): the input is the
//!   text, read as UTF-8 with invalid bytes replaced (so a mutation that breaks one byte still
//!   reaches the parser).
//! - **Two texts** (`pipeline`): YAML, then [`SEPARATOR`], then the demand text.
//! - **Chunked bodies** (`gateway_*_body`, `gateway_sse`): a knob byte, then cut points picked
//!   with `arbitrary` (each preceded by a "one more" byte with an odd value), then the body
//!   (all remaining bytes). A seed is `[knob, 0x00] ++ body`: no cuts.

// Explicit paths: tests/tests/fuzz_regressions.rs includes this file as a module of the
// main workspace's test crate (`#[path]`), and the submodules must resolve from here there too.
#[path = "gateway.rs"]
pub mod gateway;
#[path = "importers.rs"]
pub mod importers;
#[path = "targets/mod.rs"]
pub mod targets;

use arbitrary::Unstructured;
use scalelens_core::Span;

/// Separates the YAML from the demand text in the `pipeline` target's input: 0xFF is never
/// part of UTF-8 text, so no YAML or CSV seed contains it.
pub const SEPARATOR: u8 = 0xFF;

/// Most cut points one input picks: enough for every kind of split (inside a token, at an
/// escape, between CR and LF) to happen several times in one body.
pub const MAX_CUTS: usize = 16;

/// A body and the ways it is fed.
#[derive(Debug)]
pub struct Chunked<'a> {
    /// Target-specific settings (a capacity, a limit).
    pub knob: u8,
    /// The body cut at the picked points, in order (pieces may be empty).
    pub pieces: Vec<&'a [u8]>,
    /// The body in chunks of [`Chunked::stride`] bytes.
    pub strided: Vec<&'a [u8]>,
    /// 1 (byte by byte) to 64.
    pub stride: usize,
    /// The whole body.
    pub body: &'a [u8],
}

/// Read a chunked-body input (module doc): the knob, up to [`MAX_CUTS`] cut points, the body.
/// The stride of the second chunking comes from the knob's high bits.
pub fn chunked(data: &[u8]) -> Chunked<'_> {
    let mut u = Unstructured::new(data);
    let knob: u8 = u.arbitrary().unwrap_or(0);
    let mut raw: Vec<u16> = Vec::new();
    for cut in u.arbitrary_iter::<u16>().into_iter().flatten() {
        let Ok(cut) = cut else { break };
        raw.push(cut);
        if raw.len() == MAX_CUTS {
            break;
        }
    }
    let body = u.take_rest();
    let mut cuts: Vec<usize> = raw
        .iter()
        .map(|&c| usize::from(c) % (body.len() + 1))
        .collect();
    cuts.sort_unstable();
    let mut pieces = Vec::with_capacity(cuts.len() + 1);
    let mut prev = 0;
    for c in cuts {
        pieces.push(body.get(prev..c).unwrap_or(&[]));
        prev = c;
    }
    pieces.push(body.get(prev..).unwrap_or(&[]));
    // Stride 1 (byte by byte) for a quarter of the inputs: the scanners' slow paths whole.
    let stride = if knob >> 6 == 0 {
        1
    } else {
        1 + usize::from(knob & 0x3f)
    };
    let mut strided: Vec<&[u8]> = body.chunks(stride).collect();
    if strided.is_empty() {
        // An empty body is still one (empty, last) chunk.
        strided.push(body);
    }
    Chunked {
        knob,
        pieces,
        strided,
        stride,
        body,
    }
}

/// The `pipeline` target's input: the YAML before the first [`SEPARATOR`], the demand text
/// after it (`None` without a separator).
pub fn split_texts(data: &[u8]) -> (String, Option<String>) {
    match data.iter().position(|&b| b == SEPARATOR) {
        Some(i) => (
            text(data.get(..i).unwrap_or(&[])),
            Some(text(data.get(i + 1..).unwrap_or(&[]))),
        ),
        None => (text(data), None),
    }
}

/// The input as text, invalid UTF-8 replaced.
pub fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// Where positions of a text may point: 1-based lines up to one past the last line, character
/// offsets up to the text's length.
#[derive(Debug, Clone, Copy)]
pub struct Extent {
    /// Lines separated by LF (what the CLI's excerpts and the error messages count).
    pub lines: u32,
    pub chars: u32,
}

impl Extent {
    pub fn of(text: &str) -> Self {
        let b = text.as_bytes();
        let lf = b.iter().filter(|&&c| c == b'\n').count();
        let n = |x: usize| u32::try_from(x + 1).unwrap_or(u32::MAX);
        Extent {
            lines: n(lf),
            chars: u32::try_from(text.chars().count()).unwrap_or(u32::MAX),
        }
    }

    /// Panics (the fuzzer's finding) unless `span` lies in the text and is ordered.
    pub fn check_span(&self, span: &Span, what: &str) {
        for p in [span.start, span.end] {
            assert!(
                p.line >= 1 && p.line <= self.lines,
                "{what}: line {} outside 1..={}",
                p.line,
                self.lines
            );
            assert!(p.column >= 1, "{what}: column {} < 1", p.column);
            assert!(
                p.offset <= self.chars,
                "{what}: offset {} past the text ({} chars)",
                p.offset,
                self.chars
            );
        }
        assert!(span.start <= span.end, "{what}: span ends before it starts");
    }

    /// As [`Extent::check_span`] for an optional 1-based `(line, column)` pair of an error or
    /// note, which may also point just past the text (line `lines + 1`: "no data rows after
    /// the header" in a file without a final line break; the front ends clamp it to the end).
    pub fn check_line(&self, line: Option<u32>, column: Option<u32>, what: &str) {
        if let Some(l) = line {
            assert!(
                l >= 1 && l <= self.lines.saturating_add(1),
                "{what}: line {l} outside 1..={}",
                self.lines.saturating_add(1)
            );
        }
        if let Some(c) = column {
            assert!(c >= 1, "{what}: column {c} < 1");
        }
    }
}

/// The demand invariants ([`scalelens_core::demand::DemandSeries`]'s doc): strictly
/// increasing times from 0, finite non-negative values.
pub fn check_demand(points: &[(u64, f64)], what: &str) {
    if let Some(first) = points.first() {
        assert_eq!(first.0, 0, "{what}: the first point is not at time 0");
    }
    for w in points.windows(2) {
        if let [a, b] = w {
            assert!(a.0 < b.0, "{what}: times not strictly increasing");
        }
    }
    for p in points {
        assert!(
            p.1.is_finite() && p.1 >= 0.0,
            "{what}: value {} is not a finite non-negative number",
            p.1
        );
    }
}
