//! Property tests: arbitrary bytes and arbitrary chunkings never panic the gateway logic, the
//! result never depends on how the bytes are cut, and the in-flight count always balances.

use proptest::prelude::*;
use scalelens_gateway::usage::{scan_payload, scan_request, RequestScan, ResponseScan};
use scalelens_gateway::{GatewayConfig, Outcome, RequestSignals, SseEvent, SseScanner};
use std::rc::Rc;

/// Bytes drawn mostly from JSON/SSE punctuation, so inputs get deep into the grammars.
fn jsonish() -> impl Strategy<Value = Vec<u8>> {
    let alphabet: Vec<u8> =
        b"{}[]\":,0123456789-+.eE tfnrulsa\\\n\r:datusgeprompt_tokens[DONE]\x00\xff\xc3\xa9"
            .to_vec();
    prop_oneof![
        prop::collection::vec(prop::sample::select(alphabet), 0..300),
        prop::collection::vec(any::<u8>(), 0..300),
        // A valid usage chunk, cut and with one byte changed.
        (0usize..120, 0usize..120, any::<u8>()).prop_map(|(cut, at, b)| {
            let mut v = br#"data: {"choices":[{"delta":{"content":"hi"}}],"usage":{"prompt_tokens":4,"completion_tokens":2}}"#.to_vec();
            if at < v.len() {
                v[at] = b;
            }
            v.truncate(cut.max(1).min(v.len()));
            v.extend_from_slice(b"\n\n");
            v
        }),
    ]
}

/// Cut points (sorted, within `len`).
fn cuts(len: usize, raw: &[usize]) -> Vec<usize> {
    let mut c: Vec<usize> = raw.iter().map(|x| x % (len + 1)).collect();
    c.sort_unstable();
    c
}

fn pieces<'a>(bytes: &'a [u8], cuts: &[usize]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut prev = 0;
    for &c in cuts {
        out.push(&bytes[prev..c]);
        prev = c;
    }
    out.push(&bytes[prev..]);
    out
}

fn sse_events(chunks: &[&[u8]], cap: usize) -> (Vec<String>, Option<usize>) {
    let mut s = SseScanner::new(cap);
    let mut out = Vec::new();
    for c in chunks {
        s.feed(c, |e| {
            out.push(match e {
                SseEvent::Data(d) => format!("d{d:?}"),
                SseEvent::Done => "done".into(),
                SseEvent::Oversize { len } => format!("o{len}"),
            })
        });
    }
    (out, s.finish())
}

/// SSE streams as servers send them (one `data:` line per event, LF LF) mixed with every other
/// form the standard allows, so both the scanner's fast path and its byte-by-byte path run.
fn sse_stream() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop::sample::select(vec![
        &b"data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\n"[..],
        b"data:{\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2}}\n\n",
        b"data: [DONE]\n\n",
        b"data:[DONE]\n\n",
        b"data:  two spaces\n\n",
        b"data:\n\n",
        b"data: \n\n",
        b"data\n\n",
        b"data: 0123456789abcdefghij0123456789abcdefghij\n\n",
        b"data: a\ndata: b\n\n",
        b"data: cr\r\r",
        b"data: crlf\r\n\r\n",
        b"data: lf-cr\n\r",
        b": comment\n",
        b"event: e\n",
        b"id: 1\n",
        b"datax: no\n\n",
        b"\n",
        b"\r",
        b"data: cut",
        b"da",
        b"ta: x\n",
    ]);
    prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

/// JSON's punctuation and a blank: the pieces every JSON-shaped generator starts from.
pub(crate) const PUNCTUATION: [&str; 7] = ["{", "}", "[", "]", ",", ":", " "];

/// JSON-shaped bytes from tokens, well formed or not: keys of the usage table and others,
/// strings with escapes, control bytes and UTF-8, strings longer than the token buffer, numbers
/// valid, malformed and longer than the buffer, literals whole and misspelt, whitespace.
fn json_tokens() -> impl Strategy<Value = Vec<u8>> {
    let long = format!("\"{}\"", "x".repeat(140));
    let long_number = "1".repeat(130);
    let pieces: Vec<Vec<u8>> = PUNCTUATION
        .iter()
        .copied()
        .chain([
            "\n",
            "\t",
            "\"usage\"",
            "\"prompt_tokens\"",
            "\"completion_tokens\"",
            "\"choices\"",
            "\"delta\"",
            "\"content\"",
            "\"model\"",
            "\"stream\"",
            "\"id\"",
            "\"finish_reason\"",
            "\"x\"",
            "\"\"",
            "\"a\\\"b\"",
            "\"\\u00e9\\n\"",
            "\"\\ud83d\\ude00\"",
            "\"\\ud800x\"",
            "\"\\q\"",
            "\"\u{1}\"",
            "\"é\"",
            "\"cut",
            "0",
            "-0",
            "12",
            "1700000000",
            "1.5e-3",
            "01",
            "1.",
            "-",
            "1e",
            "true",
            "false",
            "null",
            "tru",
            "nul",
            "x",
            &long,
            &long_number,
        ])
        .map(|p| p.as_bytes().to_vec())
        .collect();
    prop::collection::vec(prop::sample::select(pieces), 0..40).prop_map(|v| v.concat())
}

/// Every event, then the tokenizer's final state, as text; the visitor stops after `stop`
/// events.
fn json_events(chunks: &[&[u8]], stop: usize) -> Vec<String> {
    use scalelens_gateway::json_scan::{Event, Path, Tokenizer, Visitor};
    struct Log(Vec<String>, usize);
    impl Visitor for Log {
        fn event(&mut self, path: Path<'_>, ev: Event<'_>, at: usize) -> bool {
            self.0
                .push(format!("{:?}/{} {ev:?} @{at}", path.frames, path.depth));
            self.0.len() < self.1
        }
    }
    let mut t = Tokenizer::new(scalelens_gateway::usage::KEYS);
    let mut log = Log(Vec::new(), stop);
    for c in chunks {
        t.feed(c, &mut log);
    }
    let state = format!(
        "error {:?} stopped {} done {} offset {} path {:?}",
        t.error(),
        t.is_stopped(),
        t.is_done(),
        t.offset(),
        t.current_path()
    );
    let finish = t.finish(&mut log);
    let mut out = log.0;
    out.push(state);
    out.push(format!("finish {finish:?} done {}", t.is_done()));
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The tokenizer's whole-token path (tokens read straight from the chunk) gives what the
    /// byte-by-byte path gives: the same events, paths, offsets, errors and final state, fed
    /// whole, byte by byte (never the whole-token path) and cut anywhere, also when the visitor
    /// stops it.
    #[test]
    fn json_whole_tokens_equal_byte_by_byte(bytes in json_tokens(), raw in prop::collection::vec(any::<usize>(), 0..6), stop in 1usize..40) {
        let whole = json_events(&[&bytes], stop);
        let bytewise: Vec<&[u8]> = bytes.chunks(1).collect();
        prop_assert_eq!(&json_events(&bytewise, stop), &whole);
        prop_assert_eq!(&json_events(&pieces(&bytes, &cuts(bytes.len(), &raw)), stop), &whole);
        let all = json_events(&[&bytes], usize::MAX);
        prop_assert_eq!(&json_events(&bytewise, usize::MAX), &all);
    }

    /// The scanner's fast path (whole `data:` events read straight from a chunk) gives what the
    /// byte-by-byte path gives: the stream fed whole, byte by byte (never the fast path) and cut
    /// anywhere, with capacities below and above the events' sizes.
    #[test]
    fn sse_fast_path_equals_byte_by_byte(bytes in sse_stream(), raw in prop::collection::vec(any::<usize>(), 0..6), cap in 1usize..80) {
        let whole = sse_events(&[&bytes], cap);
        let bytewise: Vec<&[u8]> = bytes.chunks(1).collect();
        prop_assert_eq!(&sse_events(&bytewise, cap), &whole);
        prop_assert_eq!(&sse_events(&pieces(&bytes, &cuts(bytes.len(), &raw)), cap), &whole);
        // The dispatched-events counter too.
        let count = |chunks: &[&[u8]]| {
            let mut s = SseScanner::new(cap);
            for c in chunks {
                s.feed(c, |_| {});
            }
            s.events()
        };
        prop_assert_eq!(count(&[&bytes]), count(&bytewise));
    }

    /// Clinger's fast path answers exactly what a full parser answers, or nothing.
    #[test]
    fn parse_decimal_is_exact(int in 0u64..100_000_000_000, frac in 0u32..1_000_000, digits in 0usize..7, exp in -30i32..30, neg in any::<bool>()) {
        let f = format!("{frac:06}");
        let text = format!(
            "{}{int}{}{}e{exp}",
            if neg { "-" } else { "" },
            if digits > 0 { "." } else { "" },
            &f[..digits]
        );
        if let Some(v) = scalelens_gateway::json_scan::parse_decimal(text.as_bytes()) {
            let want: f64 = text.parse().unwrap();
            prop_assert_eq!(v.to_bits(), want.to_bits(), "{}", text);
        } else {
            // Only numbers outside the fast path are refused.
            let sig = format!("{int}{}", &f[..digits]).trim_start_matches('0').trim_end_matches('0').len();
            prop_assert!(sig > 15 || exp.abs() > 7, "{}", text);
        }
    }

    #[test]
    fn config_never_panics(text in "\\PC{0,200}") {
        let _ = GatewayConfig::from_json(&text);
    }

    #[test]
    fn config_jsonish_never_panics(bytes in jsonish()) {
        let text = String::from_utf8_lossy(&bytes);
        if let Err(e) = GatewayConfig::from_json(&text) {
            prop_assert!(!e.to_string().contains('\n'));
            prop_assert!(e.line >= 1 && e.column >= 1);
        }
    }

    #[test]
    fn response_scan_does_not_depend_on_chunking(bytes in jsonish(), raw in prop::collection::vec(any::<usize>(), 0..5)) {
        let whole = scan_payload(&bytes);
        let mut s = ResponseScan::new();
        for p in pieces(&bytes, &cuts(bytes.len(), &raw)) {
            s.feed(p);
        }
        prop_assert_eq!(s.finish(), whole);
    }

    #[test]
    fn request_scan_does_not_depend_on_chunking(bytes in jsonish(), raw in prop::collection::vec(any::<usize>(), 0..5)) {
        let (info, whole) = scan_request(&bytes);
        let mut s = RequestScan::new();
        for p in pieces(&bytes, &cuts(bytes.len(), &raw)) {
            s.feed(p);
        }
        let r = s.finish().map(|_| ());
        prop_assert_eq!(r, whole);
        prop_assert_eq!(s.info().model(), info.model());
        prop_assert_eq!(s.info().stream, info.stream);
    }

    #[test]
    fn sse_does_not_depend_on_chunking(bytes in jsonish(), raw in prop::collection::vec(any::<usize>(), 0..6), cap in 1usize..64) {
        let whole = sse_events(&[&bytes], cap);
        let split = sse_events(&pieces(&bytes, &cuts(bytes.len(), &raw)), cap);
        prop_assert_eq!(split, whole);
    }

    #[test]
    fn request_state_machine_never_panics_and_balances(
        req in jsonish(),
        resp in jsonish(),
        raw in prop::collection::vec(any::<usize>(), 0..6),
        status in 0u16..600,
        sse in any::<bool>(),
        outcome in 0u8..3,
        stop_after in 0usize..8,
    ) {
        let cfg = Rc::new(GatewayConfig::default());
        let mut r = RequestSignals::new(cfg);
        let mut started = 0;
        let mut finished = 0;
        let outcome = [Outcome::Completed, Outcome::Reset, Outcome::LocalReply][outcome as usize];
        let mut step = 0;
        let go = |step: &mut usize| { *step += 1; *step <= stop_after };
        if go(&mut step) {
            started += u32::from(r.on_request_headers(0, b"/v1/chat/completions", b"POST").started);
        }
        if go(&mut step) {
            for p in pieces(&req, &cuts(req.len(), &raw)) {
                r.on_request_body(p, false);
            }
            r.on_request_body(&[], true);
        }
        if go(&mut step) {
            r.on_response_headers(1, status, if sse { b"text/event-stream".as_slice() } else { b"application/json".as_slice() });
        }
        if go(&mut step) {
            let ps = pieces(&resp, &cuts(resp.len(), &raw));
            let n = ps.len();
            for (k, p) in ps.into_iter().enumerate() {
                let s = r.on_response_body(2 + k as u64, p, k + 1 == n);
                if let Some(t) = s.ttft_seconds {
                    prop_assert!(t.is_finite() && t >= 0.0);
                }
            }
        }
        for _ in 0..2 {
            if let Some(f) = r.on_done(100, outcome).finished {
                finished += 1;
                prop_assert!(f.duration_seconds.is_finite() && f.duration_seconds >= 0.0);
                if let Some(t) = f.time_per_output_token_seconds {
                    prop_assert!(t.is_finite() && t >= 0.0);
                }
            }
        }
        prop_assert_eq!(started, finished);
    }
}
