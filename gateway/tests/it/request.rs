//! The per-request state machine, scenario by scenario: what the glue is told at each call,
//! and the in-flight balance on every exit path (completion, 5xx, reset, local reply, double
//! `on_done`, `on_done` without a start).

use scalelens_gateway::filter_config::ModelLabel;
use scalelens_gateway::{
    cut_by_client, ErrorClass, GatewayConfig, Malformed, Outcome, RequestSignals, Signals,
    Uninspected,
};
use std::rc::Rc;

#[derive(Clone, Copy)]
enum Step<'a> {
    Headers(u64, &'a str, &'a str),
    Body(&'a [u8], bool),
    RespHeaders(u64, u16, &'a str),
    RespBody(u64, &'a [u8], bool),
    Done(u64, Outcome),
}

use Step::*;

/// A chat completion (`REQ`) at 0, answered `status` with `content_type` at `resp_at`, then
/// `rest`.
fn chat<'a>(
    resp_at: u64,
    status: u16,
    content_type: &'a str,
    rest: impl IntoIterator<Item = Step<'a>>,
) -> Vec<Step<'a>> {
    let mut steps = vec![
        Headers(0, CHAT, "POST"),
        Body(REQ, true),
        RespHeaders(resp_at, status, content_type),
    ];
    steps.extend(rest);
    steps
}

#[derive(Debug, Default)]
struct Totals {
    started: u32,
    finished: u32,
    malformed: Malformed,
    ttft: Vec<f64>,
    last: Option<Signals>,
    /// Completion tokens credited, call by call (0 where a call credited none).
    credits: Vec<u64>,
    uninspected: Vec<Uninspected>,
}

fn run(cfg: &Rc<GatewayConfig>, steps: &[Step<'_>]) -> (Totals, RequestSignals) {
    let mut r = RequestSignals::new(Rc::clone(cfg));
    let mut t = Totals::default();
    for s in steps {
        let sig = match *s {
            Headers(now, path, method) => {
                r.on_request_headers(now, path.as_bytes(), method.as_bytes())
            }
            Body(c, end) => r.on_request_body(c, end),
            RespHeaders(now, status, ct) => r.on_response_headers(now, status, ct.as_bytes()),
            RespBody(now, c, end) => r.on_response_body(now, c, end),
            Done(now, o) => r.on_done(now, o),
        };
        t.started += u32::from(sig.started);
        if sig.finished.is_some() {
            t.finished += 1;
            t.last = Some(sig);
        }
        t.malformed.request += sig.malformed.request;
        t.malformed.response += sig.malformed.response;
        t.malformed.sse += sig.malformed.sse;
        t.ttft.extend(sig.ttft_seconds);
        t.credits.push(sig.completion_tokens);
        t.uninspected.extend(sig.uninspected);
    }
    (t, r)
}

const CHAT: &str = "/v1/chat/completions";
const REQ: &[u8] = br#"{"model":"llama","stream":true,"messages":[]}"#;
const SSE: &[u8] = b"data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"b\"}}]}\n\ndata: {\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2,\"total_tokens\":6}}\n\ndata: [DONE]\n\n";
const JSON_OK: &[u8] = br#"{"choices":[{"message":{"content":"ab"}}],"usage":{"prompt_tokens":4,"completion_tokens":2,"total_tokens":6}}"#;

/// A request and a response body longer than `cfg()`'s 1024-byte inspection limit (the
/// request's model comes after the limit: its label is unknown).
const BIG_REQ: &[u8] = &[b' '; 1500];
const BIG_JSON: &[u8] = &[b' '; 3000];

fn cfg() -> Rc<GatewayConfig> {
    Rc::new(GatewayConfig::from_json(r#"{"models":["llama"],"max_body_bytes":1024}"#).unwrap())
}

#[test]
fn streamed_completion() {
    let (t, r) = run(
        &cfg(),
        &[
            Headers(1000, CHAT, "POST"),
            Body(REQ, true),
            RespHeaders(1010, 200, "Text/Event-Stream; charset=utf-8"),
            RespBody(1250, &SSE[..60], false),
            RespBody(1300, &SSE[60..], true),
            Done(1310, Outcome::Completed),
        ],
    );
    assert_eq!((t.started, t.finished), (1, 1));
    assert_eq!(t.ttft, vec![0.25]);
    assert_eq!(r.model(), ModelLabel::Listed(0));
    assert_eq!(r.stream_requested(), Some(true));
    assert_eq!(
        r.debug_headers(),
        [
            ("x-scalelens-model", "llama"),
            ("x-scalelens-inspected", "true")
        ]
    );
    let s = t.last.unwrap();
    let f = s.finished.unwrap();
    assert_eq!(s.model, Some(ModelLabel::Listed(0)));
    assert_eq!(f.error, None);
    assert_eq!(
        (f.prompt_tokens, f.completion_tokens, f.tokens_from_usage),
        (4, 2, true)
    );
    assert_eq!(f.duration_seconds, 0.3);
    // First content event in the first chunk (1 250 ms), end at 1 300 ms, 2 tokens.
    assert_eq!(f.time_per_output_token_seconds, Some(0.05));
    assert!(f.streamed);
    assert!(t.malformed.is_empty());
}

#[test]
fn outcomes_and_error_classes() {
    let cases: &[(&str, Vec<Step<'_>>, Option<ErrorClass>, u16)] = &[
        (
            "200 JSON",
            chat(5, 200, "application/json", [
                RespBody(9, JSON_OK, true),
                Done(10, Outcome::Completed),
            ]),
            None,
            200,
        ),
        (
            "503 from upstream",
            vec![
                Headers(0, CHAT, "POST"),
                RespHeaders(5, 503, "application/json"),
                RespBody(9, br#"{"error":{"message":"overloaded"}}"#, true),
                Done(10, Outcome::Completed),
            ],
            Some(ErrorClass::Status5xx),
            503,
        ),
        (
            "reset mid-stream",
            chat(5, 200, "text/event-stream", [
                RespBody(9, &SSE[..70], false),
                Done(10, Outcome::Reset),
            ]),
            Some(ErrorClass::Reset),
            200,
        ),
        (
            "reset before any response",
            vec![
                Headers(0, CHAT, "POST"),
                Body(&REQ[..10], false),
                Done(10, Outcome::Reset),
            ],
            Some(ErrorClass::Reset),
            0,
        ),
        (
            "error event inside a 200 stream (vLLM)",
            chat(5, 200, "text/event-stream", [
                RespBody(9, b"data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\ndata: {\"error\":{\"message\":\"oom\",\"code\":500}}\n\ndata: [DONE]\n\n", true),
                Done(10, Outcome::Completed),
            ]),
            Some(ErrorClass::Stream),
            200,
        ),
        (
            "local reply (no healthy upstream)",
            chat(1, 503, "text/plain", [
                RespBody(1, b"no healthy upstream", true),
                Done(2, Outcome::LocalReply),
            ]),
            Some(ErrorClass::Local),
            503,
        ),
    ];
    for (name, steps, error, status) in cases {
        let (t, _) = run(&cfg(), steps);
        assert_eq!(
            (t.started, t.finished),
            (1, 1),
            "{name}: in-flight balanced"
        );
        let f = t.last.unwrap().finished.unwrap();
        assert_eq!(f.error, *error, "{name}");
        assert_eq!(f.status, *status, "{name}");
        assert!(t.malformed.is_empty(), "{name}: {:?}", t.malformed);
    }
}

#[test]
fn done_is_idempotent_and_needs_a_start() {
    let c = cfg();
    let (t, mut r) = run(
        &c,
        &[
            Headers(0, CHAT, "POST"),
            Done(5, Outcome::Completed),
            Done(6, Outcome::Reset),
            RespBody(7, SSE, true),
            Headers(8, CHAT, "POST"),
        ],
    );
    assert_eq!((t.started, t.finished), (1, 1));
    assert_eq!(r.on_done(9, Outcome::Completed), Signals::default());
    // A context that never saw request headers finishes nothing.
    let (t, _) = run(&c, &[Done(5, Outcome::Reset), Headers(6, CHAT, "POST")]);
    assert_eq!(
        (t.started, t.finished),
        (0, 0),
        "no start after done either"
    );
}

#[test]
fn inspection_rules() {
    let c = cfg();
    // A route that is not listed: counted, not inspected.
    let (t, r) = run(
        &c,
        &[
            Headers(0, "/v1/embeddings", "POST"),
            Body(REQ, true),
            RespHeaders(1, 200, "application/json"),
            RespBody(2, JSON_OK, true),
            Done(3, Outcome::Completed),
        ],
    );
    assert!(!r.inspected());
    let f = t.last.unwrap().finished.unwrap();
    assert_eq!((f.prompt_tokens, f.completion_tokens), (0, 0));
    assert_eq!(r.model(), ModelLabel::Unknown);
    // GET on a listed route: not inspected.
    let (_, r) = run(&c, &[Headers(0, CHAT, "GET")]);
    assert!(!r.inspected());
    // An unlisted model is `other`.
    let (_, r) = run(
        &c,
        &[Headers(0, CHAT, "POST"), Body(br#"{"model":"gpt"}"#, true)],
    );
    assert_eq!(r.model(), ModelLabel::Other);
    // The body never ends (no end_of_stream seen): the model read so far is used.
    let (_, r) = run(
        &c,
        &[
            Headers(0, CHAT, "POST"),
            Body(br#"{"model":"llama","messages":["#, false),
            RespHeaders(1, 200, "application/json"),
        ],
    );
    assert_eq!(r.model(), ModelLabel::Listed(0));
    // The model comes after the inspection limit (1 024 bytes): unknown, not malformed.
    let late = format!(r#"{{"messages":["{}"],"model":"llama"}}"#, "x".repeat(2000));
    let (t, r) = run(
        &c,
        &[
            Headers(0, CHAT, "POST"),
            Body(late.as_bytes(), true),
            Done(1, Outcome::Completed),
        ],
    );
    assert_eq!(r.model(), ModelLabel::Unknown);
    assert!(t.malformed.is_empty());
    // A JSON response over the limit: no usage, not malformed.
    let big = format!(
        r#"{{"choices":[{{"message":{{"content":"{}"}}}}],"usage":{{"prompt_tokens":4,"completion_tokens":2}}}}"#,
        "y".repeat(2000)
    );
    let (t, _) = run(
        &c,
        &chat(
            1,
            200,
            "application/json",
            [
                RespBody(2, big.as_bytes(), true),
                Done(3, Outcome::Completed),
            ],
        ),
    );
    assert!(t.malformed.is_empty());
    assert_eq!(t.last.unwrap().finished.unwrap().completion_tokens, 0);
    // No time to first token for a non-streamed response.
    assert!(t.ttft.is_empty());
}

#[test]
fn malformed_bodies_are_counted() {
    let c = cfg();
    let oversize = format!("data: {}\n\n", "z".repeat(20_000));
    let cases: &[(&str, Vec<Step<'_>>, Malformed)] = &[
        (
            "request body not JSON",
            vec![
                Headers(0, CHAT, "POST"),
                Body(b"model=llama", true),
                Done(1, Outcome::Completed),
            ],
            Malformed {
                request: 1,
                ..Malformed::default()
            },
        ),
        (
            "request body cut (end_of_stream inside the value)",
            vec![
                Headers(0, CHAT, "POST"),
                Body(br#"{"messages":["#, true),
                Done(1, Outcome::Completed),
            ],
            Malformed {
                request: 1,
                ..Malformed::default()
            },
        ),
        (
            "JSON response cut",
            chat(
                1,
                200,
                "application/json",
                [
                    RespBody(2, &JSON_OK[..40], true),
                    Done(3, Outcome::Completed),
                ],
            ),
            Malformed {
                response: 1,
                ..Malformed::default()
            },
        ),
        (
            "SSE events: bad JSON, oversize, unfinished at the end",
            chat(
                1,
                200,
                "text/event-stream",
                [
                    RespBody(2, b"data: {\"choices\":[\n\n", false),
                    RespBody(3, oversize.as_bytes(), false),
                    RespBody(4, b"data: {\"choices\":[]}\n\ndata: {\"cho", true),
                    Done(5, Outcome::Completed),
                ],
            ),
            Malformed {
                sse: 3,
                ..Malformed::default()
            },
        ),
    ];
    for (name, steps, want) in cases {
        let (t, _) = run(&c, steps);
        assert_eq!(t.malformed, *want, "{name}");
        assert_eq!((t.started, t.finished), (1, 1), "{name}");
    }
}

#[test]
fn without_usage_content_events_are_the_output_tokens() {
    let sse = b"data: {\"choices\":[{\"text\":\"a\"}]}\n\ndata: {\"choices\":[{\"text\":\"b\"}]}\n\ndata: {\"choices\":[{\"text\":\"c\"}]}\n\ndata: [DONE]\n\n";
    let (t, _) = run(
        &cfg(),
        &[
            Headers(0, "/v1/completions", "POST"),
            Body(br#"{"model":"llama","prompt":"x","stream":true}"#, true),
            RespHeaders(1, 200, "text/event-stream"),
            RespBody(100, &sse[..34], false),
            RespBody(150, &sse[34..68], false),
            RespBody(200, &sse[68..], true),
            Done(201, Outcome::Completed),
        ],
    );
    let f = t.last.unwrap().finished.unwrap();
    assert_eq!((f.completion_tokens, f.tokens_from_usage), (3, false));
    // (200 − 100) / (3 − 1) = 50 ms.
    assert_eq!(f.time_per_output_token_seconds, Some(0.05));
}

/// How the simulated glue calls the state machine.
#[derive(Clone, Copy)]
struct Glue {
    /// Read the clock only when `response_body_needs_clock` says so (else pass a poisoned
    /// time, which must not matter).
    lazy_clock: bool,
    /// Copy only `request_body_wanted`/`response_body_wanted` bytes of each chunk, as the
    /// plugin does (a response chunk not read becomes the one-byte marker).
    trim: bool,
}

const EAGER: Glue = Glue {
    lazy_clock: false,
    trim: false,
};

/// Every call's signals, and the body bytes the glue copied.
fn signals_of(r: &mut RequestSignals, steps: &[Step<'_>], glue: Glue) -> (Vec<Signals>, usize) {
    const POISON: u64 = 987_654_321;
    let mut copied = 0;
    let signals = steps
        .iter()
        .filter_map(|s| match *s {
            Headers(now, path, method) => {
                Some(r.on_request_headers(now, path.as_bytes(), method.as_bytes()))
            }
            Body(c, end) => {
                let n = if glue.trim {
                    r.request_body_wanted(c.len())
                } else {
                    c.len()
                };
                if n == 0 && !end {
                    return None;
                }
                copied += n;
                Some(r.on_request_body(&c[..n], end))
            }
            RespHeaders(now, status, ct) => Some(r.on_response_headers(now, status, ct.as_bytes())),
            RespBody(now, c, end) => {
                let now = if glue.lazy_clock && !r.response_body_needs_clock(end) {
                    POISON
                } else {
                    now
                };
                let n = if glue.trim {
                    r.response_body_wanted(c.len())
                } else {
                    c.len()
                };
                copied += n;
                let chunk: &[u8] = match (n, c.is_empty()) {
                    (0, false) => b" ",
                    _ => &c[..n],
                };
                Some(r.on_response_body(now, chunk, end))
            }
            Done(now, o) => Some(r.on_done(now, o)),
        })
        .collect();
    (signals, copied)
}

#[test]
fn a_reset_request_is_a_new_one_and_mid_stream_chunks_need_no_clock() {
    let sse_steps = |chunk: usize| -> Vec<Step<'static>> {
        let mut v = vec![
            Headers(1000, CHAT, "POST"),
            Body(REQ, true),
            RespHeaders(1010, 200, "text/event-stream"),
        ];
        let chunks: Vec<&'static [u8]> = SSE.chunks(chunk).collect();
        let n = chunks.len();
        for (k, c) in chunks.into_iter().enumerate() {
            v.push(RespBody(1100 + 10 * k as u64, c, k + 1 == n));
        }
        v.push(Done(2000, Outcome::Completed));
        v
    };
    let scenarios: Vec<(&str, Vec<Step<'static>>)> = vec![
        ("SSE in 7-byte chunks", sse_steps(7)),
        ("SSE in 60-byte chunks", sse_steps(60)),
        ("SSE in one chunk", sse_steps(SSE.len())),
        (
            "SSE: empty chunks first, then content",
            chat(
                5,
                200,
                "text/event-stream",
                [
                    RespBody(6, b"", false),
                    RespBody(7, b": keep-alive\n\n", false),
                    RespBody(8, &SSE[..50], false),
                    RespBody(9, &SSE[50..], false),
                    RespBody(30, b"", true),
                    Done(31, Outcome::Completed),
                ],
            ),
        ),
        (
            "JSON in chunks",
            chat(
                5,
                200,
                "application/json",
                [
                    RespBody(6, &JSON_OK[..20], false),
                    RespBody(7, &JSON_OK[20..], false),
                    RespBody(9, b"", true),
                    Done(10, Outcome::Completed),
                ],
            ),
        ),
        (
            "reset mid-stream",
            chat(
                5,
                200,
                "text/event-stream",
                [
                    RespBody(9, &SSE[..70], false),
                    RespBody(12, &SSE[70..90], false),
                    Done(40, Outcome::Reset),
                ],
            ),
        ),
        (
            "route not inspected",
            vec![
                Headers(0, "/v1/embeddings", "POST"),
                Body(REQ, true),
                RespHeaders(1, 200, "application/json"),
                RespBody(2, b" ", false),
                RespBody(3, b" ", true),
                Done(4, Outcome::Completed),
            ],
        ),
        (
            "request and JSON response past the inspection limit",
            vec![
                Headers(0, CHAT, "POST"),
                Body(BIG_REQ, false),
                Body(BIG_REQ, true),
                RespHeaders(1, 200, "application/json"),
                RespBody(2, BIG_JSON, false),
                RespBody(3, BIG_JSON, true),
                Done(4, Outcome::Completed),
            ],
        ),
        (
            "inspected route, response neither JSON nor SSE",
            chat(
                1,
                200,
                "text/plain",
                [
                    RespBody(2, BIG_JSON, false),
                    RespBody(3, b"", true),
                    Done(4, Outcome::Completed),
                ],
            ),
        ),
        (
            "request body cut (empty last chunk), model known early",
            vec![
                Headers(0, CHAT, "POST"),
                Body(&REQ[..20], false),
                Body(b"", true),
                RespHeaders(1, 200, "application/json"),
                RespBody(2, JSON_OK, true),
                Done(4, Outcome::Completed),
            ],
        ),
        (
            "malformed SSE",
            vec![
                Headers(0, CHAT, "POST"),
                Body(b"model=llama", true),
                RespHeaders(1, 200, "text/event-stream"),
                RespBody(2, b"data: {\"choices\":[\n\n", false),
                RespBody(4, b"data: {\"choices\":[]}\n\ndata: {\"cho", true),
                Done(5, Outcome::Completed),
            ],
        ),
    ];
    let c = cfg();
    let glues = [
        EAGER,
        Glue {
            lazy_clock: true,
            trim: false,
        },
        Glue {
            lazy_clock: false,
            trim: true,
        },
        Glue {
            lazy_clock: true,
            trim: true,
        },
    ];
    // One recycled request runs every scenario in turn (after each of the others).
    let mut recycled = RequestSignals::new(Rc::clone(&c));
    let (mut all_bytes, mut trimmed_bytes) = (0, 0);
    for round in 0..2 {
        for (name, steps) in &scenarios {
            let (want, full) = signals_of(&mut RequestSignals::new(Rc::clone(&c)), steps, EAGER);
            // The scenarios do produce signals (the comparison below is not vacuous).
            assert!(want.iter().any(|s| s.finished.is_some()), "{name}");
            recycled.reset();
            let (got, _) = signals_of(&mut recycled, steps, glues[round * 3]);
            assert_eq!(got, want, "{name} (round {round})");
            for glue in glues {
                let (got, copied) =
                    signals_of(&mut RequestSignals::new(Rc::clone(&c)), steps, glue);
                assert_eq!(
                    got, want,
                    "{name}: lazy clock {}, trim {}",
                    glue.lazy_clock, glue.trim
                );
                if glue.trim {
                    all_bytes += full;
                    trimmed_bytes += copied;
                }
            }
        }
    }
    // Trimming does save copies (bodies past the limit, bodies not read).
    assert!(
        trimmed_bytes < all_bytes / 2,
        "{trimmed_bytes} of {all_bytes}"
    );
    // The lazy clock does skip reads: a long stream needs the clock only at its start and end.
    let mut r = RequestSignals::new(Rc::clone(&c));
    let steps = sse_steps(7);
    let mut reads = 0;
    for s in &steps {
        if let RespBody(_, _, end) = *s {
            reads += usize::from(r.response_body_needs_clock(end));
        }
        signals_of(
            &mut r,
            std::slice::from_ref(s),
            Glue {
                lazy_clock: true,
                trim: false,
            },
        );
    }
    // Reads: every chunk up to the one that completes the first content event, then the last.
    let first_event_end = SSE.windows(2).position(|w| w == b"\n\n").unwrap() + 2;
    let until_first_content = first_event_end.div_ceil(7);
    let chunks = SSE.len().div_ceil(7);
    assert_eq!(reads, until_first_content + 1, "of {chunks} chunks");
    assert!(chunks > 3 * reads);
}

/// (case, response chunks before the cut, outcome the glue reports, error, TPOT recorded)
type CutCase<'a> = (&'a str, &'a [&'a [u8]], Outcome, Option<ErrorClass>, bool);
/// (case, response chunks, credits per response chunk then at the end, final count)
type CreditCase<'a> = (&'a str, &'a [&'a [u8]], &'a [u64], u64);
/// (case, request body, response chunks, reasons counted)
type UninspectedCase<'a> = (&'a str, &'a [u8], &'a [&'a [u8]], &'a [Uninspected]);

/// One content event, one final usage chunk.
const CONTENT: &[u8] = b"data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n";
const USAGE_5: &[u8] =
    b"data: {\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":5,\"total_tokens\":9}}\n\n";
const DONE: &[u8] = b"data: [DONE]\n\n";

/// The sync OpenAI SDK closes the connection right after `[DONE]` (Envoy: a downstream
/// disconnect before the chunked terminator); the async one reads to the end. A stream that
/// delivered `[DONE]` or its final usage chunk is complete, whatever the cut; a cut before
/// that is the client's (`client_cancel`) or the upstream's (`reset`).
#[test]
fn complete_streams_cut_afterwards_are_completions() {
    let c = cfg();
    // (case, response chunks before the cut, outcome the glue reports, error, TPOT recorded)
    let cases: &[CutCase<'_>] = &[
        (
            "sync SDK: [DONE] then the client leaves",
            &[CONTENT, CONTENT, USAGE_5, DONE],
            Outcome::ClientCancel,
            None,
            true,
        ),
        (
            "[DONE] then an upstream reset",
            &[CONTENT, CONTENT, USAGE_5, DONE],
            Outcome::Reset,
            None,
            true,
        ),
        (
            "[DONE] without usage",
            &[CONTENT, CONTENT, DONE],
            Outcome::ClientCancel,
            None,
            true,
        ),
        (
            "the final usage chunk, no [DONE] yet",
            &[CONTENT, CONTENT, USAGE_5],
            Outcome::ClientCancel,
            None,
            true,
        ),
        (
            "client cancel mid-stream",
            &[CONTENT, CONTENT],
            Outcome::ClientCancel,
            Some(ErrorClass::ClientCancel),
            false,
        ),
        (
            "upstream reset mid-stream",
            &[CONTENT, CONTENT],
            Outcome::Reset,
            Some(ErrorClass::Reset),
            false,
        ),
        (
            "client cancel before the first byte",
            &[],
            Outcome::ClientCancel,
            Some(ErrorClass::ClientCancel),
            false,
        ),
    ];
    for (case, chunks, outcome, error, tpot) in cases {
        let mut steps = vec![
            Headers(1000, CHAT, "POST"),
            Body(REQ, true),
            RespHeaders(1010, 200, "text/event-stream"),
        ];
        for (i, chunk) in chunks.iter().enumerate() {
            steps.push(RespBody(1100 + 100 * i as u64, chunk, false));
        }
        steps.push(Done(1600, *outcome));
        let (t, _) = run(&c, &steps);
        let f = t.last.unwrap().finished.unwrap();
        assert_eq!(f.error, *error, "{case}");
        let completed = error.is_none();
        assert_eq!(f.outcome == Outcome::Completed, completed, "{case}: {f:?}");
        assert_eq!(
            f.time_per_output_token_seconds.is_some(),
            *tpot,
            "{case}: {f:?}"
        );
        if *tpot {
            // Ends at the cut Envoy saw (1 600 ms): the whole request, not an error.
            assert_eq!(f.duration_seconds, 0.6, "{case}");
        }
    }
    // The async SDK reads to the end: completed as before.
    let (t, _) = run(
        &c,
        &[
            Headers(1000, CHAT, "POST"),
            Body(REQ, true),
            RespHeaders(1010, 200, "text/event-stream"),
            RespBody(1100, CONTENT, false),
            RespBody(1200, DONE, false),
            RespBody(1210, b"", true),
            Done(1210, Outcome::Completed),
        ],
    );
    assert_eq!(t.last.unwrap().finished.unwrap().error, None);
    // A cut JSON response is never complete.
    let (t, _) = run(
        &c,
        &[
            Headers(0, CHAT, "POST"),
            Body(REQ, true),
            RespHeaders(1, 200, "application/json"),
            RespBody(2, &JSON_OK[..20], false),
            Done(3, Outcome::ClientCancel),
        ],
    );
    let f = t.last.unwrap().finished.unwrap();
    assert_eq!(
        (f.outcome, f.error),
        (Outcome::ClientCancel, Some(ErrorClass::ClientCancel))
    );
    // `continuous_usage_stats`: usage in chunks that carry choices (the first one with an
    // empty content) does not complete the stream.
    let role = b"data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}],\"usage\":{\"completion_tokens\":0}}\n\n";
    let (t, _) = run(
        &c,
        &[
            Headers(0, CHAT, "POST"),
            Body(REQ, true),
            RespHeaders(1, 200, "text/event-stream"),
            RespBody(2, role, false),
            RespBody(3, CONTENT, false),
            Done(4, Outcome::ClientCancel),
        ],
    );
    assert_eq!(
        t.last.unwrap().finished.unwrap().error,
        Some(ErrorClass::ClientCancel)
    );
}

#[test]
fn envoy_code_details_of_a_client_that_left() {
    for (details, client) in [
        (&b"downstream_remote_disconnect"[..], true),
        (b"downstream_remote_reset", true),
        (
            b"upstream_reset_after_response_started{protocol_error}",
            false,
        ),
        (
            b"upstream_reset_after_response_started{connection_termination}",
            false,
        ),
        (b"downstream_local_disconnect", false),
        (b"via_upstream", false),
        (b"", false),
    ] {
        assert_eq!(
            cut_by_client(details),
            client,
            "{}",
            String::from_utf8_lossy(details)
        );
    }
}

/// Completion tokens are credited chunk by chunk and reconciled with the final usage: a
/// counter moves during a long stream and ends at the exact total.
#[test]
fn completion_tokens_are_credited_as_they_stream() {
    let c = cfg();
    let stream = |chunks: &[&'static [u8]], outcome: Outcome| {
        let mut steps = vec![
            Headers(0, CHAT, "POST"),
            Body(REQ, true),
            RespHeaders(1, 200, "text/event-stream"),
        ];
        for chunk in chunks {
            steps.push(RespBody(2, chunk, false));
        }
        steps.push(Done(3, outcome));
        let (t, _) = run(&c, &steps);
        let f = t.last.as_ref().unwrap().finished.unwrap();
        // Credits of the response chunks, then of the end.
        let credits = t.credits.get(3..).unwrap().to_vec();
        (credits, f.completion_tokens)
    };
    // (case, chunks, credits per response chunk then at the end, final count)
    let cases: &[CreditCase<'_>] = &[
        ("usage above the events: the rest at the usage chunk", &[CONTENT, CONTENT, CONTENT, USAGE_5, DONE], &[1, 1, 1, 2, 0, 0], 5),
        ("no usage: the events", &[CONTENT, CONTENT, DONE], &[1, 1, 0, 0], 2),
        ("cut mid-stream: what was shown", &[CONTENT, CONTENT], &[1, 1, 0], 2),
        ("two events in one chunk", &[b"data: {\"choices\":[{\"text\":\"a\"}]}\n\ndata: {\"choices\":[{\"text\":\"b\"}]}\n\n", DONE], &[2, 0, 0], 2),
        // A counter cannot go down: 3 events credited, usage says 2.
        ("usage below the events", &[CONTENT, CONTENT, CONTENT, b"data: {\"choices\":[],\"usage\":{\"completion_tokens\":2}}\n\n"], &[1, 1, 1, 0, 0], 2),
    ];
    for (case, chunks, want, total) in cases {
        let (credits, final_count) = stream(chunks, Outcome::Completed);
        assert_eq!(credits, *want, "{case}");
        assert_eq!(final_count, *total, "{case}");
    }
    // A JSON response is credited once, at its end.
    let (t, _) = run(
        &c,
        &[
            Headers(0, CHAT, "POST"),
            Body(REQ, true),
            RespHeaders(1, 200, "application/json"),
            RespBody(2, JSON_OK, true),
            Done(3, Outcome::Completed),
        ],
    );
    assert_eq!(t.credits, [0, 0, 0, 0, 2]);
}

/// Bodies the limit keeps from being read are counted once, with their reason.
#[test]
fn uninspected_bodies_are_counted_with_their_reason() {
    let c = cfg();
    let late_model = format!(r#"{{"messages":["{}"],"model":"llama"}}"#, "x".repeat(2000));
    let early_model = format!(r#"{{"model":"llama","messages":["{}"]}}"#, "x".repeat(2000));
    let big_json = format!(
        r#"{{"choices":[{{"message":{{"content":"{}"}}}}],"usage":{{"prompt_tokens":4,"completion_tokens":2}}}}"#,
        "y".repeat(2000)
    );
    let (a, b) = big_json.as_bytes().split_at(700);
    // (case, request body, response chunks, reasons)
    let cases: &[UninspectedCase<'_>] = &[
        (
            "the model after the limit",
            late_model.as_bytes(),
            &[JSON_OK],
            &[Uninspected::RequestTooLarge],
        ),
        (
            "the model before the limit",
            early_model.as_bytes(),
            &[JSON_OK],
            &[],
        ),
        (
            "a JSON response over the limit, in two chunks",
            REQ,
            &[a, b],
            &[Uninspected::ResponseTooLarge],
        ),
        ("within the limits", REQ, &[JSON_OK], &[]),
    ];
    for (case, req, chunks, want) in cases {
        let mut steps = vec![
            Headers(0, CHAT, "POST"),
            Body(req, true),
            RespHeaders(1, 200, "application/json"),
        ];
        for (i, chunk) in chunks.iter().enumerate() {
            steps.push(RespBody(2, chunk, i + 1 == chunks.len()));
        }
        steps.push(Done(3, Outcome::Completed));
        let (t, _) = run(&c, &steps);
        assert_eq!(t.uninspected, *want, "{case}");
        assert!(t.malformed.is_empty(), "{case}");
    }
    assert_eq!(
        Uninspected::ALL.map(Uninspected::label),
        ["request_too_large", "response_too_large"]
    );
}
