//! The response body reader (`gateway::usage::ResponseScan`: `usage`, content, `error`; the
//! JSON tokenizer under it; the per-request state machine on an `application/json` response)
//! fed arbitrary chunkings of one body: cut at up to 16 points picked with `arbitrary`, in
//! fixed strides (byte by byte for a quarter of the inputs), and as the Envoy glue trims it.
//! Every chunking must give what the whole body gives, and a reused reader what a new one
//! gives.
//!
//! Input: a knob byte (bits 0-1: the inspection limit `max_body_bytes`), the cut points, the
//! body (`chunked` in `fuzz/src/lib.rs`).

use super::super::chunked;
use super::super::gateway::{
    json_log, same_for_every_chunking, same_signals_for_every_feed, signals_log, Feed,
};
use scalelens_gateway::usage::{scan_payload, ResponseScan};
use scalelens_gateway::GatewayConfig;
use std::rc::Rc;

/// `max_body_bytes` values the knob picks from (as in `gateway_request_body`).
const LIMITS: [usize; 4] = [1024, 1500, 4096, 65_536];

/// The target: panics on a finding (module doc).
pub fn run(data: &[u8]) {
    let c = chunked(data);
    let expected = format!("{:?}", scan_payload(c.body));
    let mut reused = ResponseScan::new();
    let fresh = same_for_every_chunking(&c, "ResponseScan", |chunks| {
        let mut s = ResponseScan::new();
        for piece in chunks {
            s.feed(piece);
        }
        // A reader that read another body first, then was reset: as new.
        reused.feed(b"{\"usage\":{\"prompt_tokens\":1}");
        reused.reset();
        for piece in chunks {
            reused.feed(piece);
        }
        let again = reused.finish();
        reused.reset();
        let fresh = s.finish();
        assert_eq!(again, fresh, "reset ResponseScan, {} chunks", chunks.len());
        format!("{fresh:?}")
    });
    assert_eq!(fresh, expected, "ResponseScan against scan_payload");
    assert_eq!(
        format!("{:?}", reused.scan_and_reset(c.body)),
        expected,
        "scan_and_reset"
    );
    same_for_every_chunking(&c, "tokenizer events", json_log);

    let config = Rc::new(GatewayConfig {
        max_body_bytes: LIMITS[usize::from(c.knob & 3)],
        ..GatewayConfig::default()
    });
    let request: &[&[u8]] = &[br#"{"model":"m","stream":false}"#];
    same_signals_for_every_feed(&c, Feed::Glue, |chunks, feed| {
        signals_log(&config, request, 200, b"application/json", chunks, feed)
    });
}
