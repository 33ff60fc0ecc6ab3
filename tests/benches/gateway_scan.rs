//! The gateway filter's body scanning, natively (the same code runs in Envoy's Wasm VM, slower
//! there): one 176-byte SSE content event as vLLM streams it, the final usage event, and one
//! whole JSON chat completion request/response through the per-request state machine.
//! `cargo bench -p scalelens-tests --bench gateway_scan`; throughput in bytes/s.
//!
//! Why it matters: in Envoy an SSE chunk cost the filter about 5.7 µs, of which about 1.7 µs was
//! this scanning (README, "Tests and benchmark"; measured before the scanners' fast paths).
//!
//! Before → after the fast paths (zero-copy SSE events, whole JSON tokens, word-at-a-time
//! search, indexed keys), 2026-12-02 on a shared 2-core machine, ranges over alternating runs:
//! natively, sse_content_event 424–460 → 210–216 ns, sse_usage_event 446–494 → 215–282 ns,
//! json_request_and_response 674–770 → 417–499 ns; the same code built for wasm32 with the
//! plugin's opt-levels, in Node 20's V8 (not Envoy), 649–668 → 347–356 ns, 695–697 → 395–425 ns
//! and 1203–1342 → 851–938 ns.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use scalelens_gateway::{GatewayConfig, Outcome, RequestSignals};
use scalelens_tests::envoy::{chat_body, sse_content, sse_usage};
use std::hint::black_box;
use std::rc::Rc;

fn config() -> Rc<GatewayConfig> {
    Rc::new(
        GatewayConfig::from_json(r#"{"target":{"concurrency_per_pod":8},"models":["llama-3-8b"]}"#)
            .expect("valid config"),
    )
}

/// A request in the streaming phase (headers, body, SSE response headers seen).
fn streaming(cfg: &Rc<GatewayConfig>) -> RequestSignals {
    let mut r = RequestSignals::new(Rc::clone(cfg));
    r.on_request_headers(0, b"/v1/chat/completions", b"POST");
    r.on_request_body(chat_body("llama-3-8b", true).as_bytes(), true);
    r.on_response_headers(1, 200, b"text/event-stream");
    r
}

fn bench(c: &mut Criterion) {
    let cfg = config();
    let content = sse_content("llama-3-8b", 17);
    let usage = sse_usage("llama-3-8b", 12, 200);
    let request = chat_body("llama-3-8b", false);
    let response = scalelens_tests::envoy::completion_json("llama-3-8b", 12, 7);

    // The inputs must read as expected, or the numbers mean nothing.
    let mut r = streaming(&cfg);
    r.on_response_body(2, content.as_bytes(), false);
    r.on_response_body(3, usage.as_bytes(), true);
    let f = r.on_done(4, Outcome::Completed).finished.expect("finished");
    assert_eq!((f.prompt_tokens, f.completion_tokens), (12, 200));

    let mut g = c.benchmark_group("gateway_scan");
    g.throughput(Throughput::Bytes(content.len() as u64));
    let mut r = streaming(&cfg);
    g.bench_function("sse_content_event", |b| {
        b.iter(|| r.on_response_body(2, black_box(content.as_bytes()), false))
    });
    g.throughput(Throughput::Bytes(usage.len() as u64));
    let mut r = streaming(&cfg);
    g.bench_function("sse_usage_event", |b| {
        b.iter(|| r.on_response_body(2, black_box(usage.as_bytes()), false))
    });
    g.throughput(Throughput::Bytes((request.len() + response.len()) as u64));
    let mut r = RequestSignals::new(Rc::clone(&cfg));
    g.bench_function("json_request_and_response", |b| {
        b.iter(|| {
            r.reset();
            r.on_request_headers(0, b"/v1/chat/completions", b"POST");
            r.on_request_body(black_box(request.as_bytes()), true);
            r.on_response_headers(1, 200, b"application/json");
            r.on_response_body(2, black_box(response.as_bytes()), true);
            r.on_done(3, Outcome::Completed)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
