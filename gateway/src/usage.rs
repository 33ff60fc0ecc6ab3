//! Token usage and request fields from OpenAI-compatible bodies, by streaming JSON scan.
//!
//! Fields read (OpenAI API reference, platform.openai.com/docs/api-reference/chat/object,
//! `/chat/streaming`, `/completions/object`; vLLM v0.x `vllm/entrypoints/openai/protocol.py`
//! `UsageInfo`, `ChatCompletionStreamResponse`, `CompletionStreamResponse`):
//! - response / SSE chunk: `usage.prompt_tokens`, `usage.completion_tokens`,
//!   `usage.total_tokens` (integers; `usage` is `null` in stream chunks unless
//!   `stream_options.include_usage` is set, in which case a last chunk with empty `choices`
//!   carries it); `choices[].delta.content` (chat stream), `choices[].text` (completions),
//!   `choices[].delta.reasoning_content` (vLLM reasoning parsers): a non-empty one makes the
//!   chunk content-bearing; a top-level `error` marks an error payload (vLLM sends
//!   `data: {"error": ...}` when a stream fails).
//! - request: `model` (string), `stream` (bool), `stream_options.include_usage` (bool).
//!
//! Each reader is a [`Tokenizer`] plus a visitor with fixed-size state: no tree, no
//! allocation, any chunking. Malformed or cut JSON is a [`UsageError`], never a panic.

use crate::json_scan::{
    Container, Event, JsonError, KeyId, KeyIndex, Path, Scalar, Step, Tokenizer, Visitor,
    TOKEN_BYTES,
};
use core::fmt;

const K_USAGE: KeyId = 0;
const K_PROMPT: KeyId = 1;
const K_COMPLETION: KeyId = 2;
const K_TOTAL: KeyId = 3;
const K_CHOICES: KeyId = 4;
const K_DELTA: KeyId = 5;
const K_CONTENT: KeyId = 6;
const K_TEXT: KeyId = 7;
const K_MODEL: KeyId = 8;
const K_STREAM: KeyId = 9;
const K_STREAM_OPTIONS: KeyId = 10;
const K_INCLUDE_USAGE: KeyId = 11;
const K_ERROR: KeyId = 12;
const K_REASONING: KeyId = 13;

/// The key table of the OpenAI fields read here.
pub const KEYS: &[&str] = &[
    "usage",
    "prompt_tokens",
    "completion_tokens",
    "total_tokens",
    "choices",
    "delta",
    "content",
    "text",
    "model",
    "stream",
    "stream_options",
    "include_usage",
    "error",
    "reasoning_content",
];

/// [`KEYS`] indexed for the tokenizer.
static KEY_INDEX: KeyIndex = KeyIndex::new(KEYS);

/// `usage` of a response or chunk.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub prompt_tokens: Option<u64>,
    pub completion_tokens: Option<u64>,
    pub total_tokens: Option<u64>,
}

impl Usage {
    pub(crate) fn is_some(&self) -> bool {
        self.prompt_tokens.is_some() || self.completion_tokens.is_some()
    }
}

/// What one response body or SSE chunk says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PayloadInfo {
    pub usage: Usage,
    /// Some choice carries non-empty generated text.
    pub content: bool,
    /// A top-level `error` member.
    pub error: bool,
    /// `choices` has at least one element. A stream chunk with `usage` and no choice is the
    /// final usage chunk of `stream_options.include_usage` (vLLM's `continuous_usage_stats`
    /// puts usage in chunks that do carry choices).
    pub has_choice: bool,
}

/// Why a body could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsageError {
    /// Not JSON, or cut (a truncated body is `JsonErrorKind::Truncated`).
    Json(JsonError),
    /// The JSON value is not an object.
    NotAnObject,
    /// A `usage` token count that is not a non-negative integer.
    BadTokenCount,
}

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UsageError::Json(e) => write!(f, "malformed JSON: {e}"),
            UsageError::NotAnObject => f.write_str("the body is not a JSON object"),
            UsageError::BadTokenCount => {
                f.write_str("a usage token count is not a non-negative integer")
            }
        }
    }
}

const USAGE_PROMPT: &[Step] = &[Step::Key(K_USAGE), Step::Key(K_PROMPT)];
const USAGE_COMPLETION: &[Step] = &[Step::Key(K_USAGE), Step::Key(K_COMPLETION)];
const USAGE_TOTAL: &[Step] = &[Step::Key(K_USAGE), Step::Key(K_TOTAL)];
const DELTA_CONTENT: &[Step] = &[
    Step::Key(K_CHOICES),
    Step::Index,
    Step::Key(K_DELTA),
    Step::Key(K_CONTENT),
];
const DELTA_REASONING: &[Step] = &[
    Step::Key(K_CHOICES),
    Step::Index,
    Step::Key(K_DELTA),
    Step::Key(K_REASONING),
];
const CHOICE: &[Step] = &[Step::Key(K_CHOICES), Step::Index];
const CHOICE_TEXT: &[Step] = &[Step::Key(K_CHOICES), Step::Index, Step::Key(K_TEXT)];

#[derive(Default)]
struct ResponseVisitor {
    info: PayloadInfo,
    not_object: bool,
    bad_count: bool,
}

impl Visitor for ResponseVisitor {
    const KEY_EVENTS: bool = false;
    const END_EVENTS: bool = false;

    fn event(&mut self, path: Path<'_>, ev: Event<'_>, _at: usize) -> bool {
        match ev {
            Event::Begin(c) if path.depth == 0 => {
                if c != Container::Object {
                    self.not_object = true;
                    return false;
                }
                true
            }
            Event::Begin(_) => {
                if path.depth == 1 && path.is(&[Step::Key(K_ERROR)]) {
                    self.info.error = true;
                } else if path.depth == 2 && path.is(CHOICE) {
                    self.info.has_choice = true;
                }
                true
            }
            Event::Value(v) => {
                if path.depth == 0 {
                    self.not_object = true;
                    return false;
                }
                if path.depth == 2 && path.is(CHOICE) {
                    self.info.has_choice = true;
                }
                if path.depth == 1 {
                    if path.key() == Some(K_ERROR) && v != Scalar::Null {
                        self.info.error = true;
                    }
                    return true;
                }
                if path.depth == 2 {
                    let slot = if path.is(USAGE_PROMPT) {
                        &mut self.info.usage.prompt_tokens
                    } else if path.is(USAGE_COMPLETION) {
                        &mut self.info.usage.completion_tokens
                    } else if path.is(USAGE_TOTAL) {
                        &mut self.info.usage.total_tokens
                    } else {
                        return true;
                    };
                    match v {
                        Scalar::Null => {}
                        _ => match v.as_u64() {
                            Some(n) => *slot = Some(n),
                            None => {
                                self.bad_count = true;
                                return false;
                            }
                        },
                    }
                    return true;
                }
                if let Scalar::Str(s) = v {
                    if s.len > 0
                        && (path.is(DELTA_CONTENT)
                            || path.is(CHOICE_TEXT)
                            || path.is(DELTA_REASONING))
                    {
                        self.info.content = true;
                    }
                }
                true
            }
            _ => true,
        }
    }
}

/// Incremental reader of a response body (a whole JSON response, or one SSE chunk's data).
#[derive(Debug, Clone)]
pub struct ResponseScan {
    tok: Tokenizer,
    info: PayloadInfo,
    not_object: bool,
    bad_count: bool,
}

impl Default for ResponseScan {
    fn default() -> Self {
        Self::new()
    }
}

impl ResponseScan {
    pub fn new() -> Self {
        ResponseScan {
            tok: Tokenizer::with_index(&KEY_INDEX),
            info: PayloadInfo::default(),
            not_object: false,
            bad_count: false,
        }
    }

    pub fn reset(&mut self) {
        self.tok.reset();
        self.info = PayloadInfo::default();
        self.not_object = false;
        self.bad_count = false;
    }

    /// Bytes fed so far.
    pub fn offset(&self) -> usize {
        self.tok.offset()
    }

    pub fn feed(&mut self, chunk: &[u8]) {
        let mut v = ResponseVisitor {
            info: self.info,
            not_object: self.not_object,
            bad_count: self.bad_count,
        };
        self.tok.feed(chunk, &mut v);
        self.info = v.info;
        self.not_object = v.not_object;
        self.bad_count = v.bad_count;
    }

    /// The body is complete.
    pub fn finish(&mut self) -> Result<PayloadInfo, UsageError> {
        if self.not_object {
            return Err(UsageError::NotAnObject);
        }
        if self.bad_count {
            return Err(UsageError::BadTokenCount);
        }
        let mut v = ResponseVisitor {
            info: self.info,
            not_object: false,
            bad_count: false,
        };
        let r = self.tok.finish(&mut v);
        if v.not_object {
            self.not_object = true;
            return Err(UsageError::NotAnObject);
        }
        r.map_err(UsageError::Json)?;
        Ok(self.info)
    }

    /// Read one complete payload with a reader that has read nothing yet, and leave it so:
    /// what [`scan_payload`] does, without building a reader (and clearing its token buffer)
    /// each time.
    pub fn scan_and_reset(&mut self, payload: &[u8]) -> Result<PayloadInfo, UsageError> {
        self.feed(payload);
        let r = self.finish();
        self.reset();
        r
    }
}

/// Read one complete payload (an SSE event's data, or a whole response body).
pub fn scan_payload(payload: &[u8]) -> Result<PayloadInfo, UsageError> {
    ResponseScan::new().scan_and_reset(payload)
}

/// What a request body says.
#[derive(Debug, Clone, Copy)]
pub struct RequestInfo {
    model: [u8; TOKEN_BYTES],
    model_len: usize,
    /// The `model` string was longer than [`TOKEN_BYTES`] (it then matches no allow-list entry).
    pub model_truncated: bool,
    pub has_model: bool,
    pub stream: Option<bool>,
    pub include_usage: Option<bool>,
}

impl Default for RequestInfo {
    fn default() -> Self {
        RequestInfo {
            model: [0; TOKEN_BYTES],
            model_len: 0,
            model_truncated: false,
            has_model: false,
            stream: None,
            include_usage: None,
        }
    }
}

impl RequestInfo {
    /// The model name as sent (escapes decoded), if there was one and it was kept whole.
    pub fn model(&self) -> Option<&[u8]> {
        (self.has_model && !self.model_truncated).then(|| self.model.get(..self.model_len))?
    }
}

struct RequestVisitor<'r> {
    info: &'r mut RequestInfo,
    not_object: bool,
    /// Stop once `model` and `stream` are read (see [`RequestScan::until_model_and_stream`]).
    stop_when_known: bool,
}

impl Visitor for RequestVisitor<'_> {
    const KEY_EVENTS: bool = false;
    const END_EVENTS: bool = false;

    fn event(&mut self, path: Path<'_>, ev: Event<'_>, _at: usize) -> bool {
        match ev {
            Event::Begin(Container::Array) | Event::Value(_) if path.depth == 0 => {
                self.not_object = true;
                return false;
            }
            Event::Value(Scalar::Str(s)) if path.is(&[Step::Key(K_MODEL)]) => {
                let n = s.prefix.len().min(TOKEN_BYTES);
                if let (Some(dst), Some(src)) = (self.info.model.get_mut(..n), s.prefix.get(..n)) {
                    dst.copy_from_slice(src);
                }
                self.info.model_len = n;
                self.info.model_truncated = s.truncated();
                self.info.has_model = true;
            }
            Event::Value(Scalar::Bool(b)) if path.is(&[Step::Key(K_STREAM)]) => {
                self.info.stream = Some(b);
            }
            Event::Value(Scalar::Bool(b))
                if path.is(&[Step::Key(K_STREAM_OPTIONS), Step::Key(K_INCLUDE_USAGE)]) =>
            {
                self.info.include_usage = Some(b);
            }
            _ => {}
        }
        !(self.stop_when_known && self.info.has_model && self.info.stream.is_some())
    }
}

/// Incremental reader of a request body (`model`, `stream`, `stream_options.include_usage`).
#[derive(Debug, Clone)]
pub struct RequestScan {
    tok: Tokenizer,
    info: RequestInfo,
    not_object: bool,
    stop_when_known: bool,
}

impl Default for RequestScan {
    fn default() -> Self {
        Self::new()
    }
}

impl RequestScan {
    pub fn new() -> Self {
        RequestScan {
            tok: Tokenizer::with_index(&KEY_INDEX),
            info: RequestInfo::default(),
            not_object: false,
            stop_when_known: false,
        }
    }

    /// A reader that stops at the value that makes both `model` and `stream` known (what
    /// the per-request state machine needs): nothing after it is read, not even a syntax
    /// error, so what it reports does not depend on where the body's chunks are cut (a reader
    /// stopped by the caller between chunks would otherwise see more or less of the body).
    pub fn until_model_and_stream() -> Self {
        RequestScan {
            stop_when_known: true,
            ..Self::new()
        }
    }

    pub fn reset(&mut self) {
        self.tok.reset();
        self.info = RequestInfo::default();
        self.not_object = false;
    }

    pub fn offset(&self) -> usize {
        self.tok.offset()
    }

    pub fn info(&self) -> &RequestInfo {
        &self.info
    }

    pub fn feed(&mut self, chunk: &[u8]) {
        let mut v = RequestVisitor {
            info: &mut self.info,
            not_object: self.not_object,
            stop_when_known: self.stop_when_known,
        };
        self.tok.feed(chunk, &mut v);
        self.not_object = v.not_object;
    }

    /// The body is complete.
    pub fn finish(&mut self) -> Result<&RequestInfo, UsageError> {
        if self.not_object {
            return Err(UsageError::NotAnObject);
        }
        let mut v = RequestVisitor {
            info: &mut self.info,
            not_object: false,
            stop_when_known: self.stop_when_known,
        };
        self.tok.finish(&mut v).map_err(UsageError::Json)?;
        if v.not_object {
            return Err(UsageError::NotAnObject);
        }
        Ok(&self.info)
    }

    /// The syntax error seen so far, if any (for a body cut by the inspection limit).
    pub fn error(&self) -> Option<UsageError> {
        if self.not_object {
            return Some(UsageError::NotAnObject);
        }
        self.tok.error().map(UsageError::Json)
    }
}

/// Read a whole request body (or the inspected prefix of one: then `finish` reports
/// `Truncated`, and whatever was read before the cut is still in [`RequestScan::info`]).
pub fn scan_request(body: &[u8]) -> (RequestInfo, Result<(), UsageError>) {
    let mut s = RequestScan::new();
    s.feed(body);
    let r = s.finish().map(|_| ());
    (s.info, r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json_scan::JsonErrorKind;

    #[test]
    fn chat_completion_body() {
        let body = br#"{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m",
            "choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],
            "usage":{"prompt_tokens":12,"total_tokens":19,"completion_tokens":7,"prompt_tokens_details":null}}"#;
        let info = scan_payload(body).unwrap();
        assert_eq!(
            info.usage,
            Usage {
                prompt_tokens: Some(12),
                completion_tokens: Some(7),
                total_tokens: Some(19)
            }
        );
        assert!(!info.content);
    }

    #[test]
    fn stream_chunks() {
        let c = scan_payload(br#"{"choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}],"usage":null}"#).unwrap();
        assert!(c.content);
        assert!(!c.usage.is_some());
        let c =
            scan_payload(br#"{"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}"#)
                .unwrap();
        assert!(!c.content);
        let c =
            scan_payload(br#"{"choices":[{"index":0,"text":" world","logprobs":null}]}"#).unwrap();
        assert!(c.content);
        let c = scan_payload(
            br#"{"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}}"#,
        )
        .unwrap();
        assert_eq!(c.usage.completion_tokens, Some(3));
        let c = scan_payload(br#"{"error":{"message":"boom","code":500}}"#).unwrap();
        assert!(c.error);
    }

    #[test]
    fn errors() {
        assert_eq!(
            scan_payload(br#"{"usage":{"prompt_tokens":1"#),
            Err(UsageError::Json(JsonError {
                at: 27,
                kind: JsonErrorKind::Truncated
            }))
        );
        assert_eq!(scan_payload(b"[1]"), Err(UsageError::NotAnObject));
        assert_eq!(scan_payload(b"7"), Err(UsageError::NotAnObject));
        assert_eq!(
            scan_payload(br#"{"usage":{"prompt_tokens":-1}}"#),
            Err(UsageError::BadTokenCount)
        );
        assert_eq!(
            scan_payload(br#"{"usage":{"prompt_tokens":"5"}}"#),
            Err(UsageError::BadTokenCount)
        );
        assert!(matches!(
            scan_payload(b"not json"),
            Err(UsageError::Json(_))
        ));
    }

    #[test]
    fn request_fields() {
        let (info, r) = scan_request(
            br#"{"messages":[{"role":"user","content":"{\"model\":\"x\"}"}],"model":"meta-llama\/Llama-3.1-8B","stream":true,"stream_options":{"include_usage":true}}"#,
        );
        assert_eq!(r, Ok(()));
        assert_eq!(info.model(), Some(b"meta-llama/Llama-3.1-8B".as_slice()));
        assert_eq!(info.stream, Some(true));
        assert_eq!(info.include_usage, Some(true));
        // A nested `model` key does not count.
        let (info, _) = scan_request(br#"{"metadata":{"model":"no"}}"#);
        assert_eq!(info.model(), None);
        // A cut body still gives what came before the cut.
        let (info, r) = scan_request(br#"{"model":"m","messages":[{"role":"us"#);
        assert_eq!(info.model(), Some(b"m".as_slice()));
        assert!(matches!(
            r,
            Err(UsageError::Json(JsonError {
                kind: JsonErrorKind::Truncated,
                ..
            }))
        ));
    }

    #[test]
    fn the_state_machines_reader_stops_once_model_and_stream_are_known() {
        let body = br#"{"model":"m","stream":false,"model":"later", !!!"#;
        // Fed whole or byte by byte: the same answer, nothing after `"stream":false` read.
        for cut in [body.len(), 1] {
            let mut r = RequestScan::until_model_and_stream();
            body.chunks(cut).for_each(|c| r.feed(c));
            assert_eq!(r.error(), None);
            assert_eq!(r.info().model(), Some(b"m".as_slice()));
            assert_eq!(r.info().stream, Some(false));
        }
        // The plain reader reads on: the later model, then the syntax error.
        let mut r = RequestScan::new();
        r.feed(body);
        assert_eq!(r.info().model(), Some(b"later".as_slice()));
        assert!(r.error().is_some());
    }
}
