//! What the fuzz targets share: how an input is laid out, and the invariants several targets
//! check.
//!
//! Layouts (the checked-in corpora follow them; `fuzz/README.md` shows how to add a seed):
//! - **Text targets** (`config`, `samples_*`, `demand_csv`, `gateway_config`): the input is the
//!   text, read as UTF-8 with invalid bytes replaced (so a mutation that breaks one byte still
//!   reaches the parser).
//! - **Two texts** (`pipeline`): YAML, then [`SEPARATOR`], then the demand text.
//! - **Chunked bodies** (`gateway_*_body`, `gateway_sse`): a knob byte, then cut points picked
//!   with `arbitrary` (each preceded by a "one more" byte with an odd value), then the body
//!   (all remaining bytes). A seed is `[knob, 0x00] ++ body`: no cuts.

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
    pub lines: u32,
    pub chars: u32,
}

impl Extent {
    pub fn of(text: &str) -> Self {
        let lines = text.bytes().filter(|&b| b == b'\n').count() + 1;
        Extent {
            lines: u32::try_from(lines).unwrap_or(u32::MAX),
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

    /// As [`Extent::check_span`] for an optional 1-based `(line, column)` pair.
    pub fn check_line(&self, line: Option<u32>, column: Option<u32>, what: &str) {
        if let Some(l) = line {
            assert!(
                l >= 1 && l <= self.lines,
                "{what}: line {l} outside 1..={}",
                self.lines
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

/// The samples importers' invariants.
pub mod samples {
    use super::{check_demand, Extent};
    use scalelens_core::samples::{self, Hints, Interpretation, SampleError, Samples};

    /// Hints for an input of `len` bytes: none, a metric name (with and without the `vllm:`
    /// prefix), or a scrape interval, picked by the length so every kind of call is made
    /// without spending input bytes on it.
    pub fn hints(len: usize) -> Hints {
        match len % 4 {
            0 => Hints::default(),
            1 => Hints {
                metric: Some("vllm:num_requests_running".into()),
                ..Hints::default()
            },
            2 => Hints {
                metric: Some("gpu_cache_usage_perc".into()),
                scrape_interval: Some(1_000),
                ..Hints::default()
            },
            _ => Hints {
                scrape_interval: Some(30_000),
                ..Hints::default()
            },
        }
    }

    /// Panics (the fuzzer's finding) unless the import result holds its invariants: an error
    /// points into the text; series have strictly increasing times and finite values; the
    /// `replicas` column is sorted, one value per time; notes point into the text; every
    /// interpretation gives a valid demand series with notes that point into the text.
    pub fn check(src: &str, result: Result<Samples, SampleError>) {
        let extent = Extent::of(src);
        let s = match result {
            Err(e) => {
                extent.check_line(Some(e.line), Some(e.column), "samples error");
                assert!(!e.message().is_empty(), "an error without a message");
                return;
            }
            Ok(s) => s,
        };
        for series in &s.series {
            for w in series.points.windows(2) {
                if let [a, b] = w {
                    assert!(
                        a.0 < b.0,
                        "{}: times not strictly increasing",
                        series.name()
                    );
                }
            }
            for p in &series.points {
                assert!(
                    p.1.is_finite(),
                    "{}: value {} not finite",
                    series.name(),
                    p.1
                );
            }
        }
        for w in s.replicas.windows(2) {
            if let [a, b] = w {
                assert!(a.0 < b.0, "replicas: times not strictly increasing");
            }
        }
        for n in &s.notes {
            extent.check_line(n.line, n.column, n.code);
        }
        for interpretation in [
            Interpretation::Auto,
            Interpretation::PerPod,
            Interpretation::Average,
            Interpretation::Total,
        ] {
            let _ = samples::resolve_interpretation(&s, interpretation);
            let (demand, notes) = samples::to_demand(&s, interpretation);
            check_demand(&demand.points, interpretation.as_str());
            for n in &notes {
                extent.check_line(n.line, n.column, n.code);
            }
        }
    }
}

/// The gateway readers' runs, as comparable text.
pub mod gateway {
    use scalelens_core::gateway::json::{Event, Path, Tokenizer, Visitor};
    use scalelens_core::gateway::usage::KEYS;
    use scalelens_core::gateway::{GatewayConfig, Outcome, RequestSignals, SseEvent, SseScanner};
    use std::fmt::Write;
    use std::rc::Rc;

    /// Every tokenizer event (path, event, offset), then its state after the last chunk and
    /// what `finish` says.
    pub fn json_log(chunks: &[&[u8]]) -> String {
        struct Log(String);
        impl Visitor for Log {
            fn event(&mut self, path: Path<'_>, ev: Event<'_>, at: usize) -> bool {
                let _ = writeln!(self.0, "{:?}/{} {ev:?} @{at}", path.frames, path.depth);
                true
            }
        }
        let mut t = Tokenizer::new(KEYS);
        let mut log = Log(String::new());
        for c in chunks {
            t.feed(c, &mut log);
        }
        let _ = writeln!(
            log.0,
            "error {:?} stopped {} done {} offset {} path {:?}",
            t.error(),
            t.is_stopped(),
            t.is_done(),
            t.offset(),
            t.current_path()
        );
        let finish = t.finish(&mut log);
        let _ = write!(log.0, "finish {finish:?} done {}", t.is_done());
        log.0
    }

    /// Every SSE event, the count of dispatched events, and what `finish` says.
    pub fn sse_log(chunks: &[&[u8]], capacity: usize) -> String {
        let mut s = SseScanner::new(capacity);
        let mut out = String::new();
        for c in chunks {
            s.feed(c, |e| {
                let _ = match e {
                    SseEvent::Data(d) => writeln!(out, "data {d:?}"),
                    SseEvent::Done => writeln!(out, "done"),
                    SseEvent::Oversize { len } => writeln!(out, "oversize {len}"),
                };
            });
        }
        let _ = write!(out, "events {} finish {:?}", s.events(), s.finish());
        out
    }

    /// How bodies reach the state machine.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Feed {
        /// Each chunk as it is.
        Direct,
        /// As the Envoy glue (`plugin/src/http.rs`) feeds it: only the bytes the state machine
        /// wants (`*_body_wanted`), a one-byte marker for a non-empty chunk it does not read.
        Glue,
    }

    /// A request body and a response through [`RequestSignals`], every call's signals summed:
    /// in-flight starts, times to first token, malformed counts, the model label after each
    /// call that sets it, and the finished request. All body chunks arrive at the same
    /// millisecond, so nothing here depends on where the bodies are cut.
    pub fn signals_log(
        config: &Rc<GatewayConfig>,
        request: &[&[u8]],
        status: u16,
        content_type: &[u8],
        response: &[&[u8]],
        feed: Feed,
    ) -> String {
        let mut r = RequestSignals::new(Rc::clone(config));
        let mut started = 0u32;
        let mut ttft = Vec::new();
        let (mut bad_req, mut bad_resp, mut bad_sse) = (0u32, 0u32, 0u32);
        let mut finished = None;
        let mut add = |s: scalelens_core::gateway::Signals| {
            started += u32::from(s.started);
            ttft.extend(s.ttft_seconds);
            bad_req += u32::from(s.malformed.request);
            bad_resp += u32::from(s.malformed.response);
            bad_sse += u32::from(s.malformed.sse);
            if s.finished.is_some() {
                finished = s.finished;
            }
        };
        add(r.on_request_headers(10, b"/v1/chat/completions", b"POST"));
        let n = request.len();
        for (i, c) in request.iter().enumerate() {
            let end = i + 1 == n;
            let c = match feed {
                Feed::Direct => *c,
                Feed::Glue => c.get(..r.request_body_wanted(c.len())).unwrap_or(&[]),
            };
            if feed == Feed::Glue && c.is_empty() && !end {
                continue;
            }
            add(r.on_request_body(c, end));
        }
        let model = r.model();
        add(r.on_response_headers(20, status, content_type));
        let stream = r.stream_requested();
        let n = response.len();
        for (i, c) in response.iter().enumerate() {
            let end = i + 1 == n;
            let c = match feed {
                Feed::Direct => *c,
                Feed::Glue => match r.response_body_wanted(c.len()) {
                    0 if c.is_empty() => &[][..],
                    0 => b" ",
                    w => c.get(..w).unwrap_or(&[]),
                },
            };
            add(r.on_response_body(30, c, end));
        }
        add(r.on_done(40, Outcome::Completed));
        format!(
            "started {started} ttft {ttft:?} malformed {bad_req}/{bad_resp}/{bad_sse} \
             model {model:?} then {:?} stream {stream:?} finished {finished:?}",
            r.model()
        )
    }
}
