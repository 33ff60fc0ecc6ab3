//! The SSE scanner and the per-request state machine fed every 2-way split (and, for the
//! short stream, every 3-way split) of realistic vLLM streams: the events, tokens and content
//! counts must not depend on how Envoy cuts the body.

use scalelens_gateway::{GatewayConfig, Outcome, RequestSignals, SseEvent, SseScanner};
use std::rc::Rc;

use crate::data;

#[derive(Debug, Clone, PartialEq)]
enum Ev {
    Data(Vec<u8>),
    Done,
    Oversize(usize),
}

fn scan(s: &mut SseScanner, chunks: &[&[u8]]) -> Vec<Ev> {
    s.reset();
    let mut out = Vec::new();
    for c in chunks {
        s.feed(c, |e| {
            out.push(match e {
                SseEvent::Data(d) => Ev::Data(d.to_vec()),
                SseEvent::Done => Ev::Done,
                SseEvent::Oversize { len } => Ev::Oversize(len),
            })
        });
    }
    assert_eq!(s.finish(), None, "no unfinished event");
    out
}

#[test]
fn scanner_events_of_the_vllm_chat_stream() {
    let text = data("vllm-chat-stream-usage.sse");
    let mut s = SseScanner::new(16_384);
    let ev = scan(&mut s, &[&text]);
    assert_eq!(ev.len(), 11, "role + 7 content + finish + usage + [DONE]");
    assert_eq!(ev.last(), Some(&Ev::Done));
    let Ev::Data(usage) = &ev[9] else {
        panic!("{:?}", ev[9])
    };
    assert!(usage.starts_with(br#"{"id":"chatcmpl-8f2e""#));
    assert!(usage.ends_with(br#""completion_tokens":7}}"#));
}

#[test]
fn scanner_every_two_way_split() {
    for name in [
        "vllm-chat-stream-usage.sse",
        "vllm-completions-stream.sse",
        "short-chat-stream.sse",
    ] {
        let text = data(name);
        let mut s = SseScanner::new(16_384);
        let whole = scan(&mut s, &[&text]);
        for i in 0..=text.len() {
            let (a, b) = text.split_at(i);
            assert_eq!(scan(&mut s, &[a, b]), whole, "{name} split at {i}");
        }
    }
}

#[test]
fn scanner_every_three_way_split() {
    let text = data("short-chat-stream.sse");
    let mut s = SseScanner::new(1024);
    let whole = scan(&mut s, &[&text]);
    assert_eq!(whole.len(), 5);
    for i in 0..=text.len() {
        for j in i..=text.len() {
            let got = scan(&mut s, &[&text[..i], &text[i..j], &text[j..]]);
            assert_eq!(got, whole, "split at {i},{j}");
        }
    }
}

#[test]
fn scanner_byte_by_byte_and_small_capacity() {
    let text = data("vllm-chat-stream-usage.sse");
    let mut s = SseScanner::new(16_384);
    let whole = scan(&mut s, &[&text]);
    let bytes: Vec<&[u8]> = text.chunks(1).collect();
    assert_eq!(scan(&mut s, &bytes), whole);
    // With room for 200 bytes every JSON chunk (≈ 220 bytes) is oversize; `[DONE]` is not.
    let mut small = SseScanner::new(200);
    let ev = scan(&mut small, &[&text]);
    assert_eq!(ev.len(), 11);
    assert!(ev[..10]
        .iter()
        .all(|e| matches!(e, Ev::Oversize(n) if *n > 200)));
    assert_eq!(ev[10], Ev::Done);
}

/// What the state machine reports for one request, in a comparable form.
#[derive(Debug, Clone, PartialEq)]
struct Summary {
    prompt: u64,
    completion: u64,
    from_usage: bool,
    malformed_sse: u32,
    ttft: Option<f64>,
    tpot_us: Option<u64>,
    streamed: bool,
}

fn run(cfg: &Rc<GatewayConfig>, content_type: &str, chunks: &[&[u8]]) -> Summary {
    let mut r = RequestSignals::new(Rc::clone(cfg));
    let req = data("chat-request.json");
    assert!(
        r.on_request_headers(1_000, b"/v1/chat/completions", b"POST")
            .started
    );
    r.on_request_body(&req, true);
    r.on_response_headers(1_010, 200, content_type.as_bytes());
    let mut malformed = 0u32;
    let mut ttft = None;
    let n = chunks.len();
    for (k, c) in chunks.iter().enumerate() {
        // Chunk k arrives at 1 100 + 20·k ms.
        let s = r.on_response_body(1_100 + 20 * k as u64, c, k + 1 == n);
        malformed += u32::from(s.malformed.sse);
        if s.ttft_seconds.is_some() {
            ttft = s.ttft_seconds;
        }
    }
    let f = r
        .on_done(2_000, Outcome::Completed)
        .finished
        .expect("finished");
    Summary {
        prompt: f.prompt_tokens,
        completion: f.completion_tokens,
        from_usage: f.tokens_from_usage,
        malformed_sse: malformed,
        ttft,
        tpot_us: f
            .time_per_output_token_seconds
            .map(|s| (s * 1e6).round() as u64),
        streamed: f.streamed,
    }
}

#[test]
fn request_tokens_do_not_depend_on_chunking() {
    let cfg = Rc::new(GatewayConfig::default());
    let cases: &[(&str, u64, u64, bool)] = &[
        ("vllm-chat-stream-usage.sse", 17, 7, true),
        ("vllm-completions-stream.sse", 0, 4, false),
        ("short-chat-stream.sse", 9, 2, true),
    ];
    for &(name, prompt, completion, from_usage) in cases {
        let text = data(name);
        let whole = run(&cfg, "text/event-stream", &[&text]);
        assert_eq!(
            (
                whole.prompt,
                whole.completion,
                whole.from_usage,
                whole.malformed_sse
            ),
            (prompt, completion, from_usage, 0),
            "{name}"
        );
        assert_eq!(
            whole.ttft,
            Some(0.1),
            "{name}: first body chunk at 1 100 ms"
        );
        for i in 0..=text.len() {
            let got = run(&cfg, "text/event-stream", &[&text[..i], &text[i..]]);
            assert_eq!(
                (
                    got.prompt,
                    got.completion,
                    got.from_usage,
                    got.malformed_sse,
                    got.streamed
                ),
                (prompt, completion, from_usage, 0, true),
                "{name} split at {i}"
            );
        }
    }
}

#[test]
fn request_every_three_way_split_of_the_short_stream() {
    let cfg = Rc::new(GatewayConfig::default());
    let text = data("short-chat-stream.sse");
    for i in 0..=text.len() {
        for j in i..=text.len() {
            let got = run(
                &cfg,
                "text/event-stream",
                &[&text[..i], &text[i..j], &text[j..]],
            );
            assert_eq!(
                (got.prompt, got.completion, got.malformed_sse),
                (9, 2, 0),
                "split at {i},{j}"
            );
        }
    }
}

#[test]
fn time_per_output_token_follows_vllm_benchmark() {
    // One SSE event per chunk: content events at 1 120 (Hi) and 1 160 (there) ms... the first
    // content-bearing event is chunk 1, the end is the last chunk (k = 4).
    let cfg = Rc::new(GatewayConfig::default());
    let text = data("short-chat-stream.sse");
    let s = std::str::from_utf8(&text).unwrap();
    let parts: Vec<&[u8]> = s.split_inclusive("\n\n").map(str::as_bytes).collect();
    assert_eq!(parts.len(), 6); // role, Hi, ping, there, usage, [DONE]
    let got = run(&cfg, "text/event-stream", &parts);
    // First content at chunk 1 (1 120 ms), end at chunk 5 (1 200 ms), 2 tokens:
    // (1 200 − 1 120) / (2 − 1) = 80 ms.
    assert_eq!(got.tpot_us, Some(80_000));
    assert_eq!(got.ttft, Some(0.1));
}
