//! The plugin glue's shortcuts change nothing the state machine reports: copying only the
//! `*_body_wanted` bytes of a chunk, in windows (plugin/src/http.rs `read_windows`), against
//! passing every chunk whole, on random call orders, chunkings and limits; a reused response
//! reader (`scan_and_reset`) against fresh ones; the production readers (indexed keys, no
//! key/end events) fed whole (fast paths) against byte by byte; SSE fast-path edge cases.
use proptest::prelude::*;
use scalelens_gateway::usage::{scan_payload, ResponseScan};
use scalelens_gateway::{GatewayConfig, Outcome, RequestSignals, Signals};
use std::rc::Rc;

#[derive(Debug, Clone)]
enum St {
    Headers(bool),
    Body(Vec<u8>, bool),
    RespHeaders(u16, &'static str),
    RespBody(Vec<u8>, bool),
    Done(u8),
}

/// How the simulated glue hands chunks over.
#[derive(Clone, Copy)]
enum Glue {
    /// Every chunk whole.
    Whole,
    /// Only the `*_body_wanted` bytes, in windows of this many bytes (the last one carries
    /// `end_of_stream`), as plugin/src/http.rs does with its scratch-sized windows.
    Trimmed { window: usize },
}

/// `body` cut into `window`-byte windows, each with whether it is the last (at least one).
fn windows(body: &[u8], window: usize) -> Vec<(&[u8], bool)> {
    let mut out: Vec<(&[u8], bool)> = body.chunks(window.max(1)).map(|c| (c, false)).collect();
    match out.last_mut() {
        Some(last) => last.1 = true,
        None => out.push((&[], true)),
    }
    out
}

/// What the plugin applies for the calls of one chunk's windows, as one `Signals`: metric
/// updates add up (malformed counts, completion token credits), happen once (start, first token, finish) or label by
/// the model known last.
fn applied(calls: impl Iterator<Item = Signals>) -> Signals {
    calls.fold(Signals::default(), |mut all, s| {
        all.started |= s.started;
        all.ttft_seconds = all.ttft_seconds.or(s.ttft_seconds);
        all.malformed.request += s.malformed.request;
        all.malformed.response += s.malformed.response;
        all.malformed.sse += s.malformed.sse;
        all.finished = s.finished.or(all.finished);
        all.completion_tokens += s.completion_tokens;
        all.uninspected = all.uninspected.or(s.uninspected);
        all.model = s.model.or(all.model);
        all
    })
}

fn run(cfg: &Rc<GatewayConfig>, steps: &[St], glue: Glue) -> Vec<Signals> {
    let mut r = RequestSignals::new(Rc::clone(cfg));
    let mut out = Vec::new();
    for (t, s) in steps.iter().enumerate() {
        let now = t as u64 * 10;
        match (s, glue) {
            (St::Headers(eos), _) => {
                let m: &[u8] = if *eos { b"GET" } else { b"POST" };
                out.push(r.on_request_headers(now, b"/v1/chat/completions", m));
            }
            (St::Body(c, end), Glue::Whole) => out.push(r.on_request_body(c, *end)),
            (St::Body(c, end), Glue::Trimmed { window }) => {
                let n = r.request_body_wanted(c.len());
                if n == 0 {
                    if *end {
                        out.push(r.on_request_body(&[], true));
                    }
                    continue;
                }
                let calls = windows(&c[..n], window)
                    .into_iter()
                    .map(|(w, last)| r.on_request_body(w, *end && last));
                out.push(applied(calls));
            }
            (St::RespHeaders(st, ct), _) => {
                out.push(r.on_response_headers(now, *st, ct.as_bytes()))
            }
            (St::RespBody(c, end), Glue::Whole) => out.push(r.on_response_body(now, c, *end)),
            (St::RespBody(c, end), Glue::Trimmed { window }) => {
                let n = r.response_body_wanted(c.len());
                if n == 0 {
                    let marker: &[u8] = if c.is_empty() { b"" } else { b" " };
                    out.push(r.on_response_body(now, marker, *end));
                    continue;
                }
                let calls = windows(&c[..n], window)
                    .into_iter()
                    .map(|(w, last)| r.on_response_body(now, w, *end && last));
                out.push(applied(calls));
            }
            (St::Done(o), _) => {
                let o = match o % 3 {
                    0 => Outcome::Completed,
                    1 => Outcome::Reset,
                    _ => Outcome::LocalReply,
                };
                out.push(r.on_done(now, o));
            }
        }
    }
    // What the plugin applies: a call that changes no metric is the same as no call.
    out.into_iter()
        .filter(|s| {
            s.started || s.ttft_seconds.is_some() || !s.malformed.is_empty() || s.finished.is_some()
        })
        .collect()
}

const BLANKS: &[u8] = &[b' '; 700];

fn body_bytes() -> impl Strategy<Value = Vec<u8>> {
    let pieces = prop::sample::select(vec![
        &br#"{"model":"llama","stream":true,"messages":[]}"#[..],
        br#"{"messages":[],"model":"llama"}"#,
        br#"{"choices":[{"message":{"content":"ab"}}],"usage":{"prompt_tokens":4,"completion_tokens":2}}"#,
        b"data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n",
        b"data: [DONE]\n\n",
        b"data: cut",
        b"                                ",
        b"{",
        b"}",
        b"",
        BLANKS,
    ]);
    prop::collection::vec(pieces, 0..4).prop_map(|v| v.concat())
}

fn step() -> impl Strategy<Value = St> {
    prop_oneof![
        any::<bool>().prop_map(St::Headers),
        (body_bytes(), any::<bool>()).prop_map(|(b, e)| St::Body(b, e)),
        (
            prop::sample::select(vec![0u16, 200, 404, 503]),
            prop::sample::select(vec![
                "application/json",
                "text/event-stream",
                "text/plain",
                ""
            ])
        )
            .prop_map(|(s, c)| St::RespHeaders(s, c)),
        (body_bytes(), any::<bool>()).prop_map(|(b, e)| St::RespBody(b, e)),
        any::<u8>().prop_map(St::Done),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Whatever the order of calls (also out of order, repeated, after the end), the chunk
    /// sizes, the windows and the limit, the glue that copies only `*_body_wanted` bytes in
    /// windows gets the same signals as the glue that passes every chunk whole.
    #[test]
    fn trimming_and_windows_never_change_signals(
        steps in prop::collection::vec(step(), 0..12),
        limit in 1024usize..1300,
        window in prop::sample::select(vec![1usize, 7, 64, 4096]),
    ) {
        let cfg = Rc::new(GatewayConfig::from_json(&format!(r#"{{"models":["llama"],"max_body_bytes":{limit}}}"#)).unwrap());
        prop_assert_eq!(run(&cfg, &steps, Glue::Trimmed { window }), run(&cfg, &steps, Glue::Whole));
    }

    /// One reader reused with `scan_and_reset` for a sequence of payloads answers what a fresh
    /// reader answers for each.
    #[test]
    fn reused_reader_equals_fresh(payloads in prop::collection::vec(body_bytes(), 0..6)) {
        let mut r = ResponseScan::new();
        for p in &payloads {
            prop_assert_eq!(format!("{:?}", r.scan_and_reset(p)), format!("{:?}", scan_payload(p)));
        }
    }
}

/// JSON built from the production readers' keys (and near misses, and keys longer than the
/// token buffer that start with a table key), values of every kind.
fn usage_json() -> impl Strategy<Value = Vec<u8>> {
    let long_key = format!("\"usage{}\"", "x".repeat(130));
    let long_model = format!("\"{}\"", "m".repeat(140));
    let pieces: Vec<Vec<u8>> = crate::props::PUNCTUATION
        .iter()
        .copied()
        .chain([
            "\"usage\"",
            "\"prompt_tokens\"",
            "\"completion_tokens\"",
            "\"total_tokens\"",
            "\"choices\"",
            "\"delta\"",
            "\"content\"",
            "\"text\"",
            "\"error\"",
            "\"model\"",
            "\"stream\"",
            "\"stream_options\"",
            "\"include_usage\"",
            "\"usagf\"",
            "\"Usage\"",
            "\"usag\\u0065\"",
            "\"llama\"",
            "\"\"",
            "12",
            "1.5",
            "-1",
            "1e400",
            "true",
            "false",
            "null",
            &long_key,
            &long_model,
        ])
        .map(|p| p.as_bytes().to_vec())
        .collect();
    prop::collection::vec(prop::sample::select(pieces), 0..30).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// The production readers (indexed key table, no Key/End events) answer the same fed
    /// whole (fast paths) and byte by byte (buffered path).
    #[test]
    fn production_readers_whole_equal_byte_by_byte(p in usage_json()) {
        let mut r = ResponseScan::new();
        for b in p.chunks(1) {
            r.feed(b);
        }
        prop_assert_eq!(format!("{:?}", r.finish()), format!("{:?}", scan_payload(&p)));
        let mut q = scalelens_gateway::usage::RequestScan::new();
        for b in p.chunks(1) {
            q.feed(b);
        }
        let bytewise = format!("{:?} {:?}", q.finish().map(|i| format!("{i:?}")), q.error());
        let mut w = scalelens_gateway::usage::RequestScan::new();
        w.feed(&p);
        let whole = format!("{:?} {:?}", w.finish().map(|i| format!("{i:?}")), w.error());
        prop_assert_eq!(bytewise, whole);
    }
}

/// SSE inputs the property test's pieces do not contain: a CR inside a `data:` value, and
/// `data:` events right after other fields, fed whole and byte by byte.
#[test]
fn sse_fast_path_edge_cases() {
    use scalelens_gateway::SseScanner;
    let cases: &[&[u8]] = &[
        b"data: a\rb\n\n",
        b"event: error\ndata: {\"x\":1}\n\n",
        b"data: [DONE]\n\ndata: [DONE] \n\n",
        b"data: 12345678\n\ndata: 123456789\n\n",
        b"data:\xef\xbb\xbf\n\n",
        b"\xef\xbb\xbfdata: x\n\n",
    ];
    for c in cases {
        let run = |chunks: Vec<&[u8]>| {
            let mut s = SseScanner::new(8);
            let mut out = Vec::new();
            for ch in chunks {
                s.feed(ch, |e| out.push(format!("{e:?}")));
            }
            (out, s.events(), s.finish())
        };
        assert_eq!(
            run(vec![c]),
            run(c.chunks(1).collect()),
            "{:?}",
            String::from_utf8_lossy(c)
        );
    }
}
