//! The SSE scanner (`gateway::SseScanner`, its whole-event fast path and byte-by-byte path)
//! and the per-request state machine on a `text/event-stream` response (each event's data
//! through the response reader) fed arbitrary chunkings of one stream: cut at up to 16 points
//! picked with `arbitrary`, in fixed strides (byte by byte for a quarter of the inputs), and as
//! the Envoy glue feeds it. Every chunking must give what the whole stream gives: the same
//! events, counts and signals.
//!
//! Input: a knob byte (bits 0-2: the event capacity, 1 byte to the default 16 KiB), the cut
//! points, the stream (`chunked` in `fuzz/src/lib.rs`).

use super::super::chunked;
use super::super::gateway::{
    same_for_every_chunking, same_signals_for_every_feed, signals_log, sse_log, Feed,
};
use scalelens_gateway::GatewayConfig;
use std::rc::Rc;

/// Event capacities the knob picks from: tiny ones (most events oversize, events cut at the
/// capacity), the configuration's minimum (256) and its default (16 KiB).
const CAPACITIES: [usize; 8] = [1, 2, 7, 16, 64, 256, 1024, 16_384];

/// The target: panics on a finding (module doc).
pub fn run(data: &[u8]) {
    let c = chunked(data);
    let capacity = CAPACITIES[usize::from(c.knob & 7)];
    same_for_every_chunking(&c, "scanner", |chunks| sse_log(chunks, capacity));

    let config = Rc::new(GatewayConfig {
        max_sse_event_bytes: capacity,
        ..GatewayConfig::default()
    });
    let request: &[&[u8]] = &[br#"{"model":"m","stream":true}"#];
    same_signals_for_every_feed(&c, Feed::Direct, |chunks, feed| {
        signals_log(&config, request, 200, b"text/event-stream", chunks, feed)
    });
}
