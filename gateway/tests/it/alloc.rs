//! The per-request path does not allocate: after `RequestSignals::new`, a whole request
//! (headers, request body, SSE or JSON response, done) makes zero heap allocations; so do the
//! aggregator's ticks and recommendations after its construction. Counted by a global allocator
//! that counts per thread.

use scalelens_gateway::{GatewayConfig, LoadAggregator, Outcome, RequestSignals};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::rc::Rc;

struct Counting;

thread_local! {
    static ALLOCS: Cell<u64> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.with(|c| c.set(c.get() + 1));
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.with(|c| c.set(c.get() + 1));
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocs() -> u64 {
    ALLOCS.with(Cell::get)
}

use crate::data;

#[test]
fn a_request_allocates_nothing_after_construction() {
    // The counter counts (the test is not vacuous).
    let b = allocs();
    let v = std::hint::black_box(vec![1u8; 10]);
    assert!(allocs() > b && v.len() == 10);
    let cfg = Rc::new(
        GatewayConfig::from_json(r#"{"models": ["meta-llama/Llama-3.1-8B-Instruct"]}"#).unwrap(),
    );
    let req = data("chat-request.json");
    let sse = data("vllm-chat-stream-usage.sse");
    let json = data("vllm-chat-response.json");
    let malformed = b"data: {\"choices\": [\n\ndata: not json\n\n".to_vec();
    // The filter recycles requests (`reset`) from a pool: the second round reuses one.
    let mut recycled = RequestSignals::new(Rc::clone(&cfg));
    for (ct, body, reuse) in [
        ("text/event-stream", &sse, false),
        ("application/json", &json, false),
        ("text/event-stream", &malformed, false),
        ("text/event-stream", &sse, true),
        ("application/json", &json, true),
        ("text/event-stream", &malformed, true),
    ] {
        let mut fresh = RequestSignals::new(Rc::clone(&cfg));
        let r = if reuse { &mut recycled } else { &mut fresh };
        let chunks: Vec<&[u8]> = body.chunks(33).collect();
        let n = chunks.len();
        let before = allocs();
        r.reset();
        let mut tokens = 0;
        let mut bad = 0;
        r.on_request_headers(0, b"/v1/chat/completions", b"POST");
        for c in req.chunks(17) {
            r.on_request_body(c, false);
        }
        r.on_request_body(&[], true);
        r.on_response_headers(5, 200, ct.as_bytes());
        for (k, c) in chunks.into_iter().enumerate() {
            let s = r.on_response_body(10 + k as u64, c, k + 1 == n);
            bad += s.malformed.sse + s.malformed.response;
        }
        let f = r.on_done(1000, Outcome::Completed).finished.unwrap();
        tokens += f.completion_tokens;
        r.on_done(1001, Outcome::Reset);
        let after = allocs();
        assert_eq!(after - before, 0, "{ct}: allocations during the request");
        if ct == "application/json" || body == &sse {
            assert_eq!(tokens, 7, "{ct}");
        } else {
            assert_eq!(bad, 2, "two malformed events");
        }
    }
}

#[test]
fn ticks_and_recommendations_allocate_nothing() {
    let cfg = GatewayConfig::default();
    let mut agg = LoadAggregator::new(&cfg);
    agg.start(0, 1);
    let before = allocs();
    let mut tokens = 0;
    for s in 0..300u64 {
        tokens += 100;
        let l = agg.tick(s * 1000, s % 50, tokens);
        let r = agg.recommendation(s * 1000, 2);
        assert!(l.stable_concurrency >= 0.0 && r.desired.is_some());
    }
    assert_eq!(allocs() - before, 0);
}
