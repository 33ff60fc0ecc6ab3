//! The gateway readers' runs, as comparable text.

use super::Chunked;
use scalelens_gateway::json_scan::{Event, Path, Tokenizer, Visitor};
use scalelens_gateway::usage::KEYS;
use scalelens_gateway::{GatewayConfig, Outcome, RequestSignals, SseEvent, SseScanner};
use std::fmt::Write;
use std::rc::Rc;

/// Every tokenizer event (path, event, offset), then its state after the last chunk and
/// what `finish` says.
pub fn json_log(chunks: &[&[u8]]) -> String {
    struct Log(String);
    impl Visitor for Log {
        fn event(&mut self, path: Path<'_>, ev: Event<'_>, at: usize) -> bool {
            let _ = writeln!(self.0, "{:?}/{} {ev:?} @{at}", path.frames, path.depth);
            true
        }
    }
    let mut t = Tokenizer::new(KEYS);
    let mut log = Log(String::new());
    for c in chunks {
        t.feed(c, &mut log);
    }
    let _ = writeln!(
        log.0,
        "error {:?} stopped {} done {} offset {} path {:?}",
        t.error(),
        t.is_stopped(),
        t.is_done(),
        t.offset(),
        t.current_path()
    );
    let finish = t.finish(&mut log);
    let _ = write!(log.0, "finish {finish:?} done {}", t.is_done());
    log.0
}

/// Every SSE event, the count of dispatched events, and what `finish` says.
pub fn sse_log(chunks: &[&[u8]], capacity: usize) -> String {
    let mut s = SseScanner::new(capacity);
    let mut out = String::new();
    for c in chunks {
        s.feed(c, |e| {
            let _ = match e {
                SseEvent::Data(d) => writeln!(out, "data {d:?}"),
                SseEvent::Done => writeln!(out, "done"),
                SseEvent::Oversize { len } => writeln!(out, "oversize {len}"),
            };
        });
    }
    let _ = write!(out, "events {} finish {:?}", s.events(), s.finish());
    out
}

/// How bodies reach the state machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feed {
    /// Each chunk as it is.
    Direct,
    /// As the Envoy glue (`plugin/src/http.rs`) feeds it: only the bytes the state machine
    /// wants (`*_body_wanted`), a one-byte marker for a non-empty chunk it does not read.
    Glue,
}

/// A request body and a response through [`RequestSignals`], every call's signals summed:
/// in-flight starts, times to first token, malformed counts, the model label after each
/// call that sets it, the finished request, the completion tokens credited (their sum, not
/// when: that depends on the chunks) and the uninspected bodies. All body chunks arrive at the same
/// millisecond, so nothing here depends on where the bodies are cut.
pub fn signals_log(
    config: &Rc<GatewayConfig>,
    request: &[&[u8]],
    status: u16,
    content_type: &[u8],
    response: &[&[u8]],
    feed: Feed,
) -> String {
    let mut r = RequestSignals::new(Rc::clone(config));
    let mut started = 0u32;
    let mut ttft = Vec::new();
    let (mut bad_req, mut bad_resp, mut bad_sse) = (0u32, 0u32, 0u32);
    let mut finished = None;
    let mut credited = 0u64;
    let mut uninspected = Vec::new();
    let mut add = |s: scalelens_gateway::Signals| {
        credited = credited.saturating_add(s.completion_tokens);
        uninspected.extend(s.uninspected);
        started += u32::from(s.started);
        ttft.extend(s.ttft_seconds);
        bad_req += u32::from(s.malformed.request);
        bad_resp += u32::from(s.malformed.response);
        bad_sse += u32::from(s.malformed.sse);
        if s.finished.is_some() {
            finished = s.finished;
        }
    };
    add(r.on_request_headers(10, b"/v1/chat/completions", b"POST"));
    let n = request.len();
    for (i, c) in request.iter().enumerate() {
        let end = i + 1 == n;
        let c = match feed {
            Feed::Direct => *c,
            Feed::Glue => c.get(..r.request_body_wanted(c.len())).unwrap_or(&[]),
        };
        if feed == Feed::Glue && c.is_empty() && !end {
            continue;
        }
        add(r.on_request_body(c, end));
    }
    let model = r.model();
    add(r.on_response_headers(20, status, content_type));
    let stream = r.stream_requested();
    let n = response.len();
    for (i, c) in response.iter().enumerate() {
        let end = i + 1 == n;
        let c = match feed {
            Feed::Direct => *c,
            Feed::Glue => match r.response_body_wanted(c.len()) {
                0 if c.is_empty() => &[][..],
                0 => b" ",
                w => c.get(..w).unwrap_or(&[]),
            },
        };
        add(r.on_response_body(30, c, end));
    }
    add(r.on_done(40, Outcome::Completed));
    format!(
        "started {started} ttft {ttft:?} malformed {bad_req}/{bad_resp}/{bad_sse} \
         model {model:?} then {:?} stream {stream:?} finished {finished:?} \
         credited {credited} uninspected {uninspected:?}",
        r.model()
    )
}

/// `log` of the whole body, after checking that each chunking of it (the cut pieces, the
/// strided chunks) gives the same text; panics naming `what` and the chunk count if not.
pub fn same_for_every_chunking(
    c: &Chunked<'_>,
    what: &str,
    mut log: impl FnMut(&[&[u8]]) -> String,
) -> String {
    let whole = log(&[c.body]);
    for chunks in [&c.pieces, &c.strided] {
        assert_eq!(log(chunks), whole, "{what}, {} chunks", chunks.len());
    }
    whole
}

/// The state machine (`run`: chunks and how they are fed → [`signals_log`]) reports for the cut
/// pieces, fed directly and as the glue feeds them, and for the strided chunks, fed as
/// `strided_feed`, what it reports for the whole body fed directly; panics if not.
pub fn same_signals_for_every_feed(
    c: &Chunked<'_>,
    strided_feed: Feed,
    run: impl Fn(&[&[u8]], Feed) -> String,
) {
    let signals = run(&[c.body], Feed::Direct);
    for (chunks, feed, what) in [
        (&c.pieces, Feed::Direct, "cut"),
        (&c.pieces, Feed::Glue, "cut"),
        (&c.strided, strided_feed, "strided"),
    ] {
        assert_eq!(
            run(chunks, feed),
            signals,
            "state machine, {what}, fed {feed:?}"
        );
    }
}
