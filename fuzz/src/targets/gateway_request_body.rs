//! The request body readers (`gateway::usage::RequestScan`, whole and stopping at `model` and
//! `stream`; the JSON tokenizer under them; the per-request state machine) fed arbitrary
//! chunkings of one body: cut at up to 16 points picked with `arbitrary`, in fixed strides
//! (byte by byte for a quarter of the inputs), and as the Envoy glue trims it. Every chunking
//! must give what the whole body gives.
//!
//! Input: a knob byte (bits 0-1: the inspection limit `max_body_bytes`, 1 KiB to the default
//! 64 KiB), the cut points, the body (`chunked` in `fuzz/src/lib.rs`).

use super::super::chunked;
use super::super::gateway::{
    json_log, same_for_every_chunking, same_signals_for_every_feed, signals_log, Feed,
};
use scalelens_gateway::usage::{scan_request, RequestInfo, RequestScan};
use scalelens_gateway::GatewayConfig;
use std::rc::Rc;

/// `max_body_bytes` values the knob picks from: the smallest allowed, two small ones (so a
/// fuzzer-sized body crosses the limit), the default.
const LIMITS: [usize; 4] = [1024, 1500, 4096, 65_536];

fn info_text(info: &RequestInfo) -> String {
    format!(
        "model {:?} truncated {} has {} stream {:?} include_usage {:?}",
        info.model(),
        info.model_truncated,
        info.has_model,
        info.stream,
        info.include_usage
    )
}

/// A reader fed `chunks`, as text: what it read, its error before `finish`, what `finish` says.
fn scan(mut s: RequestScan, chunks: &[&[u8]]) -> String {
    for c in chunks {
        s.feed(c);
    }
    let before = format!("{} error {:?}", info_text(s.info()), s.error());
    let finish = s.finish().map(info_text);
    format!("{before} finish {finish:?}")
}

/// The target: panics on a finding (module doc).
pub fn run(data: &[u8]) {
    let c = chunked(data);
    let expected =
        same_for_every_chunking(&c, "RequestScan", |chunks| scan(RequestScan::new(), chunks));
    let (info, result) = scan_request(c.body);
    assert!(
        expected.ends_with(&format!("finish {:?}", result.map(|()| info_text(&info)))),
        "scan_request: {expected}"
    );
    same_for_every_chunking(&c, "until_model_and_stream", |chunks| {
        scan(RequestScan::until_model_and_stream(), chunks)
    });
    same_for_every_chunking(&c, "tokenizer events", json_log);

    let config = Rc::new(
        GatewayConfig::from_json(&format!(
            r#"{{"models": ["m", "meta-llama/Llama-3.1-8B-Instruct"], "max_body_bytes": {}}}"#,
            LIMITS[usize::from(c.knob & 3)]
        ))
        .unwrap_or_else(|e| panic!("the target's own configuration: {e}")),
    );
    let response: &[&[u8]] = &[br#"{"usage":{"prompt_tokens":3,"completion_tokens":2}}"#];
    same_signals_for_every_feed(&c, Feed::Glue, |chunks, feed| {
        signals_log(&config, chunks, 200, b"application/json", response, feed)
    });
}
