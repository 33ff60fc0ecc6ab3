//! The per-request state machine the filter's HTTP context drives.
//!
//! The glue calls, in order, [`RequestSignals::on_request_headers`],
//! [`on_request_body`](RequestSignals::on_request_body) (0..n times),
//! [`on_response_headers`](RequestSignals::on_response_headers),
//! [`on_response_body`](RequestSignals::on_response_body) (0..n times) and, once,
//! [`on_done`](RequestSignals::on_done); any prefix of that sequence may be cut by a reset or a
//! local reply. Each call returns [`Signals`]: the metric updates to make now. The in-flight
//! gauge stays balanced: `started` is returned once (at request headers) and `finished` once
//! (at the first `on_done` after a start); a second `on_done`, or any call after it, returns
//! nothing.
//!
//! Measurements (all times are the host's milliseconds):
//! - duration: request headers → response end (`end_of_stream`), else → `on_done`;
//! - time to first token, streaming (`text/event-stream`) responses only: request headers →
//!   first non-empty response body chunk (Envoy delivers response headers before the first
//!   token; the first SSE chunk follows the first generated token);
//! - time per output token, streaming only: (response end − first content-bearing event) /
//!   (output tokens − 1), output tokens = `usage.completion_tokens` or, without usage, the
//!   content-bearing events (vLLM streams one token per event by default). This is vLLM's
//!   benchmark definition, `(latency − ttft) / (output_len − 1)` (vllm-project/vllm
//!   `benchmarks/backend_request_func.py`, `benchmark_serving.py` `calculate_metrics`);
//! - tokens: the last `usage` seen (vLLM's `continuous_usage_stats` repeats cumulative usage
//!   in every chunk, so the last one is the total, never a sum). Completion tokens are
//!   **credited as they stream** ([`Signals::completion_tokens`]): each chunk credits what the
//!   stream has shown so far (its content events, or a larger cumulative `usage`), and the end
//!   credits the rest up to the final count (`usage.completion_tokens`, else the content
//!   events), so a counter and a tokens/s rate move during a long generation instead of
//!   jumping at its end. A counter cannot go down: if the final usage is *smaller* than the
//!   content events already credited (a server that streams empty-token events with text),
//!   the counter keeps the content events.
//!
//! **Complete streams.** An SSE stream that delivered `data: [DONE]` or its final usage chunk
//! (a `usage` payload with no choice: `stream_options.include_usage`'s last chunk) is
//! complete, whatever happens to the connection afterwards: the official OpenAI Python SDK
//! (sync client) closes the connection as soon as it reads `[DONE]`, often before the chunked
//! terminator arrives, and Envoy then reports a downstream disconnect. Such a stream is
//! [`Outcome::Completed`] (no error, time per output token recorded, to the end Envoy saw). A
//! stream cut before that is [`ErrorClass::ClientCancel`] when the client went away
//! ([`Outcome::ClientCancel`], see [`cut_by_client`]) and [`ErrorClass::Reset`] otherwise.
//!
//! After construction nothing allocates: the scanners are fixed-size, bodies are borrowed.

use crate::filter_config::{GatewayConfig, ModelLabel};
use crate::sse::{SseEvent, SseScanner};
use crate::usage::{RequestScan, ResponseScan, StreamScan, Usage};
use scalelens_core::model::Millis;
use std::rc::Rc;

/// How a request ended, as the glue saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The response was sent (whatever its status).
    Completed,
    /// The stream was reset before the response completed, by the upstream or by Envoy
    /// (anything but the client going away).
    Reset,
    /// The client went away before the response completed (Envoy's response code details
    /// `downstream_remote_disconnect`: [`cut_by_client`]).
    ClientCancel,
    /// Envoy answered locally (no healthy upstream, timeout, filter reply).
    LocalReply,
}

/// `errors_total` classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// An upstream response with status ≥ 500.
    Status5xx,
    /// The response was cut upstream (or by Envoy) before it ended.
    Reset,
    /// The client went away before the response ended (a complete SSE stream, `[DONE]` or its
    /// final usage chunk delivered, is not an error).
    ClientCancel,
    /// Envoy answered locally (no route, no healthy upstream, timeout, overflow).
    Local,
    /// A completed 2xx-4xx SSE stream that carried an error event (vLLM sends
    /// `data: {"error": {...}}` when generation fails after the headers went out:
    /// `OpenAIServing.create_streaming_error_response`, vllm `entrypoints/openai/serving_engine.py`).
    Stream,
}

impl ErrorClass {
    pub fn label(self) -> &'static str {
        match self {
            ErrorClass::Status5xx => "5xx",
            ErrorClass::Reset => "reset",
            ErrorClass::ClientCancel => "client_cancel",
            ErrorClass::Local => "local",
            ErrorClass::Stream => "stream",
        }
    }
}

/// `malformed_bodies_total` kinds, with the counts to add now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Malformed {
    /// A request body that is not a JSON object (within the inspected bytes).
    pub request: u16,
    /// A JSON response body that is malformed or cut.
    pub response: u16,
    /// SSE events: malformed JSON, oversize, or a stream that ended inside an event.
    pub sse: u16,
}

impl Malformed {
    pub fn is_empty(&self) -> bool {
        self.request == 0 && self.response == 0 && self.sse == 0
    }

    /// `(kind label, count)` pairs with a non-zero count.
    pub fn counts(&self) -> impl Iterator<Item = (&'static str, u16)> {
        [
            ("request", self.request),
            ("response", self.response),
            ("sse", self.sse),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
    }
}

/// Why a body was not (fully) inspected: `uninspected_total{reason}`. Nothing breaks (the
/// body passes unchanged) but a signal is lost, so it is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Uninspected {
    /// A request body reached `max_body_bytes` before its `model` field: the model label is
    /// `unknown`.
    RequestTooLarge,
    /// A JSON response body is longer than `max_body_bytes`: its `usage` (tokens) is lost.
    ResponseTooLarge,
}

impl Uninspected {
    /// Every reason, in label order.
    pub const ALL: [Uninspected; 2] = [Uninspected::RequestTooLarge, Uninspected::ResponseTooLarge];

    /// The `reason` label value.
    pub fn label(self) -> &'static str {
        match self {
            Uninspected::RequestTooLarge => "request_too_large",
            Uninspected::ResponseTooLarge => "response_too_large",
        }
    }
}

/// Whether Envoy's `response.code_details` of a stream cut before its end says the client went
/// away: `downstream_remote_disconnect` (Envoy `envoy/stream_info/stream_info.h`
/// `ResponseCodeDetailValues::DownstreamRemoteDisconnect`, "the client disconnected
/// unexpectedly"; measured with Envoy 1.40 for an HTTP/1.1 client closing mid-stream, while an
/// upstream closing mid-body gave `upstream_reset_after_response_started{protocol_error}`), or
/// another `downstream_remote…` detail. Anything else (`upstream_reset_…{…}`, timeouts,
/// `downstream_local_disconnect`, an unreadable property) is not the client:
/// [`Outcome::Reset`]. An HTTP/2 client's `RST_STREAM` was not measured. Checked against
/// Envoy 1.40 by `tests/tests/gateway_envoy.rs`.
pub fn cut_by_client(code_details: &[u8]) -> bool {
    code_details.starts_with(b"downstream_remote")
}

/// The request is over.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Finished {
    pub outcome: Outcome,
    /// The response status (0 when no response headers were seen).
    pub status: u16,
    pub error: Option<ErrorClass>,
    pub duration_seconds: f64,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    /// Tokens came from `usage` (else completion tokens are counted content events, or 0).
    /// [`Signals::completion_tokens`] credits them, some already during the stream.
    pub tokens_from_usage: bool,
    pub time_per_output_token_seconds: Option<f64>,
    /// The response was an SSE stream.
    pub streamed: bool,
}

/// Metric updates to make after a call.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Signals {
    /// In-flight +1 (request headers).
    pub started: bool,
    /// Record the time to first token now.
    pub ttft_seconds: Option<f64>,
    pub malformed: Malformed,
    /// In-flight −1, requests +1, and the rest of [`Finished`].
    pub finished: Option<Finished>,
    /// Completion tokens to add to the counter now: during a stream as content events arrive,
    /// the rest at the end (their sum is [`Finished::completion_tokens`], unless the final
    /// usage is below what was already credited).
    pub completion_tokens: u64,
    /// A body was not inspected (count it now).
    pub uninspected: Option<Uninspected>,
    /// The model label at this point (for labelling the updates above).
    pub model: Option<ModelLabel>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Idle,
    Active,
    Done,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Body {
    /// Not inspected (route not listed, content type not JSON/SSE, limit reached, finished).
    Skip,
    Json,
    Sse,
}

fn ms_to_s(ms: Millis) -> f64 {
    ms as f64 / 1000.0
}

/// Case-insensitive media type test, ignoring parameters (`text/event-stream; charset=utf-8`).
fn media_type_is(content_type: &[u8], want: &[u8]) -> bool {
    let end = content_type
        .iter()
        .position(|&c| c == b';')
        .unwrap_or(content_type.len());
    let t = content_type.get(..end).unwrap_or(&[]).trim_ascii();
    t.eq_ignore_ascii_case(want)
}

/// One request's state.
#[derive(Debug)]
pub struct RequestSignals {
    config: Rc<GatewayConfig>,
    phase: Phase,
    inspect: bool,
    start: Millis,
    // Request body.
    req: RequestScan,
    req_open: bool,
    model: ModelLabel,
    // Response.
    status: u16,
    body: Body,
    streamed: bool,
    json: ResponseScan,
    sse: SseScanner,
    /// Reads the SSE events' payloads.
    events: StreamScan,
    first_byte: Option<Millis>,
    first_content: Option<Millis>,
    end: Option<Millis>,
    usage: Usage,
    content_events: u64,
    stream_error: bool,
    /// `[DONE]` or the final usage chunk was seen: the stream is complete.
    stream_complete: bool,
    /// Completion tokens already credited through [`Signals::completion_tokens`].
    credited: u64,
}

impl RequestSignals {
    /// Allocates the SSE buffer (`max_sse_event_bytes`); nothing allocates afterwards.
    pub fn new(config: Rc<GatewayConfig>) -> Self {
        let sse = SseScanner::new(config.max_sse_event_bytes);
        Self::with_scanner(config, sse)
    }

    fn with_scanner(config: Rc<GatewayConfig>, sse: SseScanner) -> Self {
        RequestSignals {
            config,
            phase: Phase::Idle,
            inspect: false,
            start: 0,
            req: RequestScan::until_model_and_stream(),
            req_open: false,
            model: ModelLabel::Unknown,
            status: 0,
            body: Body::Skip,
            streamed: false,
            json: ResponseScan::new(),
            sse,
            events: StreamScan::new(),
            first_byte: None,
            first_content: None,
            end: None,
            usage: Usage::default(),
            content_events: 0,
            stream_error: false,
            stream_complete: false,
            credited: 0,
        }
    }

    /// Back to the state of [`RequestSignals::new`] with the same configuration, keeping the
    /// SSE buffer: the glue recycles finished requests instead of allocating a new one each
    /// time (a pool per VM), so the whole per-request path is allocation-free.
    ///
    /// Field by field, in place: the readers are reset (their buffers are not cleared nor
    /// the state machine's kilobyte moved), the rest set as [`with_scanner`](Self::with_scanner)
    /// sets it. The destructuring names every field, so a field added later does not build
    /// until it is reset here too.
    pub fn reset(&mut self) {
        let RequestSignals {
            config: _,
            phase,
            inspect,
            start,
            req,
            req_open,
            model,
            status,
            body,
            streamed,
            json,
            sse,
            events,
            first_byte,
            first_content,
            end,
            usage,
            content_events,
            stream_error,
            stream_complete,
            credited,
        } = self;
        *phase = Phase::Idle;
        *inspect = false;
        *start = 0;
        req.reset();
        *req_open = false;
        *model = ModelLabel::Unknown;
        *status = 0;
        *body = Body::Skip;
        *streamed = false;
        json.reset();
        sse.reset();
        events.reset();
        *first_byte = None;
        *first_content = None;
        *end = None;
        *usage = Usage::default();
        *content_events = 0;
        *stream_error = false;
        *stream_complete = false;
        *credited = 0;
    }

    /// Whether [`on_response_body`](Self::on_response_body) with this `end` reads its `now_ms`:
    /// at the first byte, until the first content-bearing SSE event, and at the end. A body
    /// chunk in the middle of a stream needs no clock, so the glue can skip the host call
    /// (one per chunk saved on long streams).
    pub fn response_body_needs_clock(&self, end: bool) -> bool {
        self.phase == Phase::Active
            && (end
                || self.first_byte.is_none()
                || (self.body == Body::Sse && self.first_content.is_none()))
    }

    /// Whether the route's bodies are inspected.
    pub fn inspected(&self) -> bool {
        self.inspect
    }

    /// The model label known so far.
    pub fn model(&self) -> ModelLabel {
        self.model
    }

    /// Debug response headers (`debug_headers: true`), known when the response headers are
    /// sent: `x-scalelens-model` (the model label), `x-scalelens-inspected` (`true`/`false`).
    /// Never a body byte or a request header value other than the allow-listed model.
    pub fn debug_headers(&self) -> [(&'static str, &str); 2] {
        [
            (
                "x-scalelens-model",
                self.config.model_label_value(self.model),
            ),
            (
                "x-scalelens-inspected",
                if self.inspect { "true" } else { "false" },
            ),
        ]
    }

    /// How many bytes of a request body chunk of `size` bytes [`on_request_body`] needs to
    /// see: none once the body is not read any more, else up to one past the inspection limit
    /// (that byte tells it the limit was reached). The glue copies no more than this into the
    /// VM, so the memory a request costs stays bounded by `max_body_bytes` whatever the chunk
    /// sizes.
    ///
    /// [`on_request_body`]: Self::on_request_body
    pub fn request_body_wanted(&self, size: usize) -> usize {
        if self.phase != Phase::Active || !self.req_open {
            return 0;
        }
        size.min(self.room(self.req.offset()).saturating_add(1))
    }

    /// As [`request_body_wanted`](Self::request_body_wanted), for a response body chunk: an
    /// SSE chunk whole (every event is read; the glue copies it in bounded windows, which the
    /// scanner reads as any other cut), a JSON body up to one past the limit, nothing for a
    /// body not inspected (the glue then passes a one-byte marker for a non-empty chunk: the
    /// first byte and the end are still timed).
    pub fn response_body_wanted(&self, size: usize) -> usize {
        if self.phase != Phase::Active {
            return 0;
        }
        match self.body {
            Body::Skip => 0,
            Body::Sse => size,
            Body::Json => size.min(self.room(self.json.offset()).saturating_add(1)),
        }
    }

    /// Bytes of a body still inspected after `read` of them (`max_body_bytes` at most).
    fn room(&self, read: usize) -> usize {
        self.config.max_body_bytes.saturating_sub(read)
    }

    /// The request's `stream` field, if read.
    pub fn stream_requested(&self) -> Option<bool> {
        self.req.info().stream
    }

    fn signals(&self) -> Signals {
        Signals {
            model: Some(self.model),
            ..Signals::default()
        }
    }

    /// Request headers: the request starts (in-flight +1). Bodies are inspected for `POST` to
    /// a configured route.
    pub fn on_request_headers(&mut self, now_ms: Millis, path: &[u8], method: &[u8]) -> Signals {
        if self.phase != Phase::Idle {
            return Signals::default();
        }
        self.phase = Phase::Active;
        self.start = now_ms;
        self.inspect = method.eq_ignore_ascii_case(b"POST") && self.config.route_matches(path);
        self.req_open = self.inspect;
        Signals {
            started: true,
            ..self.signals()
        }
    }

    fn resolve_model(&mut self) {
        let info = *self.req.info();
        self.model = if info.has_model && info.model_truncated {
            ModelLabel::Other
        } else {
            self.config.model_label(info.model())
        };
    }

    /// A request body chunk; `end` = `end_of_stream`.
    pub fn on_request_body(&mut self, chunk: &[u8], end: bool) -> Signals {
        if self.phase != Phase::Active || !self.req_open {
            return Signals::default();
        }
        let mut s = Signals::default();
        let take = chunk.len().min(self.room(self.req.offset()));
        self.req.feed(chunk.get(..take).unwrap_or(&[]));
        let info = self.req.info();
        let early = info.has_model && info.stream.is_some();
        if let Some(_e) = self.req.error() {
            // Not an object, or a syntax error inside the inspected bytes.
            s.malformed.request = 1;
            self.req_open = false;
        } else if end && take == chunk.len() {
            if self.req.finish().is_err() {
                s.malformed.request = 1;
            }
            self.req_open = false;
        } else if take < chunk.len() || early {
            // Inspection limit reached (not malformed), or everything needed is read.
            if !early && !info.has_model {
                s.uninspected = Some(Uninspected::RequestTooLarge);
            }
            self.req_open = false;
        }
        if !self.req_open {
            self.resolve_model();
        }
        s.model = Some(self.model);
        s
    }

    /// Response headers: status and content type.
    pub fn on_response_headers(
        &mut self,
        _now_ms: Millis,
        status: u16,
        content_type: &[u8],
    ) -> Signals {
        if self.phase != Phase::Active {
            return Signals::default();
        }
        if self.req_open {
            // The request body ended without `end_of_stream` reaching us: use what was read.
            self.req_open = false;
            self.resolve_model();
        }
        self.status = status;
        self.streamed = media_type_is(content_type, b"text/event-stream");
        self.body = if !self.inspect {
            Body::Skip
        } else if self.streamed {
            Body::Sse
        } else if media_type_is(content_type, b"application/json") {
            Body::Json
        } else {
            Body::Skip
        };
        self.signals()
    }

    /// A response body chunk; `end` = `end_of_stream`. Never asks to buffer.
    pub fn on_response_body(&mut self, now_ms: Millis, chunk: &[u8], end: bool) -> Signals {
        if self.phase != Phase::Active {
            return Signals::default();
        }
        let mut s = self.signals();
        if self.first_byte.is_none() && !chunk.is_empty() {
            self.first_byte = Some(now_ms);
            if self.streamed {
                s.ttft_seconds = Some(ms_to_s(now_ms.saturating_sub(self.start)));
            }
        }
        match self.body {
            Body::Skip => {}
            Body::Json => {
                let take = chunk.len().min(self.room(self.json.offset()));
                self.json.feed(chunk.get(..take).unwrap_or(&[]));
                if take < chunk.len() {
                    // Over the limit: stop reading (not malformed; usage unknown, counted).
                    s.uninspected = Some(Uninspected::ResponseTooLarge);
                    self.body = Body::Skip;
                } else if end {
                    match self.json.finish() {
                        Ok(info) => {
                            if info.usage.is_some() {
                                self.usage = info.usage;
                            }
                        }
                        Err(_) => s.malformed.response = 1,
                    }
                    self.body = Body::Skip;
                }
            }
            Body::Sse => {
                let mut bad: u16 = 0;
                let mut usage = self.usage;
                let mut content = 0u64;
                let mut first_content = self.first_content;
                let mut stream_error = self.stream_error;
                let mut complete = self.stream_complete;
                let events = &mut self.events;
                self.sse.feed(chunk, |ev| match ev {
                    SseEvent::Data([]) => {}
                    SseEvent::Data(d) => match events.scan(d) {
                        Ok(info) => {
                            if info.usage.is_some() {
                                usage = info.usage;
                            }
                            stream_error |= info.error;
                            if info.content {
                                content += 1;
                                first_content.get_or_insert(now_ms);
                            }
                            if info.usage.completion_tokens.is_some() && !info.has_choice {
                                // The final usage chunk (`include_usage`: empty `choices`).
                                complete = true;
                            }
                        }
                        Err(_) => bad = bad.saturating_add(1),
                    },
                    SseEvent::Done => complete = true,
                    SseEvent::Oversize { .. } => bad = bad.saturating_add(1),
                });
                self.usage = usage;
                self.content_events = self.content_events.saturating_add(content);
                self.first_content = first_content;
                self.stream_error = stream_error;
                self.stream_complete = complete;
                // Credit what the stream has shown so far: the content events, or a larger
                // cumulative usage (`continuous_usage_stats`).
                let shown = self
                    .content_events
                    .max(self.usage.completion_tokens.unwrap_or(0));
                s.completion_tokens = self.credit(shown);
                if end {
                    if self.sse.finish().is_some() {
                        bad = bad.saturating_add(1);
                    }
                    self.body = Body::Skip;
                }
                s.malformed.sse = bad;
            }
        }
        if end {
            self.end = Some(now_ms);
        }
        s
    }

    /// Credit up to `total` completion tokens; returns the increase (never negative).
    fn credit(&mut self, total: u64) -> u64 {
        let add = total.saturating_sub(self.credited);
        self.credited = self.credited.max(total);
        add
    }

    /// The stream is over (Envoy's `on_log` / stream done). Returns `finished` once.
    /// A [`Outcome::Reset`] or [`Outcome::ClientCancel`] of a complete SSE stream (`[DONE]` or
    /// its final usage chunk seen) is [`Outcome::Completed`].
    pub fn on_done(&mut self, now_ms: Millis, outcome: Outcome) -> Signals {
        if self.phase != Phase::Active {
            self.phase = Phase::Done;
            return Signals::default();
        }
        self.phase = Phase::Done;
        if self.req_open {
            self.req_open = false;
            self.resolve_model();
        }
        let outcome = match outcome {
            Outcome::Reset | Outcome::ClientCancel if self.stream_complete => Outcome::Completed,
            o => o,
        };
        // A complete stream cut afterwards ends when Envoy saw the cut (a few ms after
        // `[DONE]`); any other cut request has no response end.
        let last = match self.end {
            Some(t) => Some(t),
            None if outcome == Outcome::Completed => Some(now_ms),
            None => None,
        };
        let end = last.unwrap_or(now_ms);
        let error = match outcome {
            Outcome::Reset => Some(ErrorClass::Reset),
            Outcome::ClientCancel => Some(ErrorClass::ClientCancel),
            Outcome::LocalReply => Some(ErrorClass::Local),
            Outcome::Completed if self.status >= 500 => Some(ErrorClass::Status5xx),
            Outcome::Completed if self.stream_error => Some(ErrorClass::Stream),
            Outcome::Completed => None,
        };
        let from_usage = self.usage.is_some();
        let completion = match self.usage.completion_tokens {
            Some(n) => n,
            None if self.streamed => self.content_events,
            None => 0,
        };
        let credit = self.credit(completion);
        let tpot = match (self.streamed, self.first_content.or(self.first_byte), last) {
            (true, Some(first), Some(last)) if completion >= 2 && last >= first => {
                Some(ms_to_s(last - first) / (completion - 1) as f64)
            }
            _ => None,
        };
        Signals {
            finished: Some(Finished {
                outcome,
                status: self.status,
                error,
                duration_seconds: ms_to_s(end.saturating_sub(self.start)),
                prompt_tokens: self.usage.prompt_tokens.unwrap_or(0),
                completion_tokens: completion,
                tokens_from_usage: from_usage,
                time_per_output_token_seconds: tpot,
                streamed: self.streamed,
            }),
            completion_tokens: credit,
            ..self.signals()
        }
    }
}
