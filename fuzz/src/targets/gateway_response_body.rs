//! The response body reader (`gateway::usage::ResponseScan`: `usage`, content, `error`; the
//! JSON tokenizer under it; the per-request state machine on an `application/json` response)
//! fed arbitrary chunkings of one body: cut at up to 16 points picked with `arbitrary`, in
//! fixed strides (byte by byte for a quarter of the inputs), and as the Envoy glue trims it.
//! Every chunking must give what the whole body gives, and a reused reader what a new one
//! gives.
//!
//! Input: a knob byte (bits 0-1: the inspection limit `max_body_bytes`), the cut points, the
//! body (`chunked` in `fuzz/src/lib.rs`).

use super::super::gateway::{json_log, signals_log, Feed};
use super::super::{chunked, Chunked};
use scalelens_core::gateway::usage::{scan_payload, ResponseScan};
use scalelens_core::gateway::GatewayConfig;
use std::rc::Rc;

/// `max_body_bytes` values the knob picks from (as in `gateway_request_body`).
const LIMITS: [usize; 4] = [1024, 1500, 4096, 65_536];

/// The target: panics on a finding (module doc).
pub fn run(data: &[u8]) {
    let Chunked {
        knob,
        pieces,
        strided,
        body,
        ..
    } = chunked(data);
    let whole: &[&[u8]] = &[body];

    let expected = scan_payload(body);
    let mut reused = ResponseScan::new();
    for chunks in [&pieces, &strided] {
        let mut s = ResponseScan::new();
        for c in chunks.iter() {
            s.feed(c);
        }
        assert_eq!(
            s.finish(),
            expected,
            "ResponseScan, {} chunks",
            chunks.len()
        );
        // A reader that read another body first, then was reset: as new.
        reused.feed(b"{\"usage\":{\"prompt_tokens\":1}");
        reused.reset();
        for c in chunks.iter() {
            reused.feed(c);
        }
        assert_eq!(reused.finish(), expected, "reset ResponseScan");
        reused.reset();
    }
    assert_eq!(reused.scan_and_reset(body), expected, "scan_and_reset");

    let tokens = json_log(whole);
    for chunks in [&pieces, &strided] {
        assert_eq!(json_log(chunks), tokens, "tokenizer events");
    }

    let config = Rc::new(GatewayConfig {
        max_body_bytes: LIMITS[usize::from(knob & 3)],
        ..GatewayConfig::default()
    });
    let request: &[&[u8]] = &[br#"{"model":"m","stream":false}"#];
    let run = |chunks: &[&[u8]], feed| {
        signals_log(&config, request, 200, b"application/json", chunks, feed)
    };
    let signals = run(whole, Feed::Direct);
    assert_eq!(run(&pieces, Feed::Direct), signals, "state machine, cut");
    assert_eq!(
        run(&pieces, Feed::Glue),
        signals,
        "state machine, cut, as the glue feeds"
    );
    assert_eq!(
        run(&strided, Feed::Glue),
        signals,
        "state machine, strided, as the glue feeds"
    );
}
