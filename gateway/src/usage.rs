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

/// Bytes of an SSE payload [`StreamScan`] compares with the previous one (the part streaming
/// servers repeat in every chunk is shorter: vLLM's and OpenAI's run to the generated text,
/// about 100-200 bytes).
pub const SHARED_PREFIX_BYTES: usize = 256;

/// Shorter shared prefixes are not worth a saved reader (copying one costs about what
/// reading a few dozen bytes does).
const MIN_SHARED: usize = 32;

/// A saved reader is moved on along a longer shared prefix only when it grows by this much.
const EXTEND_SHARED: usize = 16;

/// Reads the `data` payloads of one SSE stream, each as [`scan_payload`] would, reading again
/// only what a payload does not share with the previous one.
///
/// Streaming servers repeat most of each chunk: vLLM's and OpenAI's chat chunks all begin with
/// the same `id`, `object`, `created`, `model` and `choices[0].delta` up to the generated text
/// (vLLM `entrypoints/openai/serving_chat.py` builds every chunk with the request's id, creation
/// time and model). The tokenizer is a deterministic state machine fed any cut of a document
/// (the "every split gives the same events" tests), so its state, and the reader's, after a
/// prefix depends on the prefix bytes alone: this keeps the reader's state after the prefix
/// the last two payloads share, and a payload that begins with those bytes starts from a copy
/// of it (a word-at-a-time comparison and a copy of a few hundred bytes) instead of from byte
/// zero. The result is the same as [`scan_payload`]'s for every payload (pinned by this
/// module's tests); a payload that shares nothing costs one comparison more.
#[derive(Debug, Clone)]
pub struct StreamScan {
    /// The reader.
    work: ResponseScan,
    /// The reader's state after `prev[..saved]` (when `saved > 0`).
    at_saved: ResponseScan,
    saved: usize,
    /// The previous payload's first bytes.
    prev: [u8; SHARED_PREFIX_BYTES],
    prev_len: usize,
}

impl Default for StreamScan {
    fn default() -> Self {
        Self::new()
    }
}

impl StreamScan {
    pub fn new() -> Self {
        StreamScan {
            work: ResponseScan::new(),
            at_saved: ResponseScan::new(),
            saved: 0,
            prev: [0; SHARED_PREFIX_BYTES],
            prev_len: 0,
        }
    }

    /// Forget the previous payloads (a new stream).
    pub fn reset(&mut self) {
        self.saved = 0;
        self.prev_len = 0;
    }

    /// Read one complete payload: the same result as [`scan_payload`].
    pub fn scan(&mut self, payload: &[u8]) -> Result<PayloadInfo, UsageError> {
        let prev = self.prev.get(..self.prev_len).unwrap_or(&[]);
        let shared = crate::bytes::common_prefix(payload, prev);
        // A state is saved after the last `:`, `,`, `[` or `{` of the shared bytes, where a
        // token usually starts (the differing text then reads as one whole token); any cut
        // gives the same result, this one is only the fastest to read on from.
        let cut = payload
            .get(..shared)
            .and_then(|p| {
                p.iter()
                    .rposition(|&c| matches!(c, b':' | b',' | b'[' | b'{'))
            })
            .map_or(0, |i| i + 1);
        // Where the rest of the payload is read from.
        let from = if self.saved > 0 && shared >= self.saved {
            // The payload begins with the saved prefix (a prefix of `prev`).
            self.work.clone_from(&self.at_saved);
            if cut >= self.saved + EXTEND_SHARED {
                self.work.feed(payload.get(self.saved..cut).unwrap_or(&[]));
                self.at_saved.clone_from(&self.work);
                self.saved = cut;
            }
            self.saved
        } else {
            self.work.reset();
            if cut >= MIN_SHARED {
                self.work.feed(payload.get(..cut).unwrap_or(&[]));
                self.at_saved.clone_from(&self.work);
                self.saved = cut;
            } else {
                self.saved = 0;
            }
            self.saved
        };
        self.work.feed(payload.get(from..).unwrap_or(&[]));
        let r = self.work.finish();
        // `prev` keeps the bytes it shares with this payload.
        let n = payload.len().min(SHARED_PREFIX_BYTES);
        if let (Some(dst), Some(src)) = (self.prev.get_mut(shared..n), payload.get(shared..n)) {
            dst.copy_from_slice(src);
        }
        self.prev_len = n;
        r
    }
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

    /// Streams of payloads as servers send them, and the cuts and faults a shared prefix can
    /// hide: each payload read by one `StreamScan` gives what a new reader gives.
    #[test]
    fn stream_scan_equals_a_new_reader_for_every_payload() {
        let chunk = |content: &str| {
            format!(
                r#"{{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"llama-3-8b","choices":[{{"index":0,"delta":{{"content":"{content}"}},"finish_reason":null}}]}}"#
            )
        };
        let long = "x".repeat(300);
        let streams: Vec<Vec<String>> = vec![
            // vLLM: role chunk, content, final usage chunk.
            vec![
                r#"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"llama-3-8b","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"#.into(),
                chunk("tok0 "),
                chunk("tok1 "),
                chunk("tok2 "),
                chunk("tok10 "),
                chunk(""),
                chunk("tok11 "),
                r#"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"llama-3-8b","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}}"#.into(),
            ],
            // The same payload again, a payload that is a prefix of the previous, longer than
            // the compared bytes.
            vec![chunk("a"), chunk("a"), chunk("a").chars().take(100).collect(), chunk("a"), chunk(&long), chunk(&long), chunk(&format!("{long}y"))],
            // A fault after the shared prefix, then inside it, then gone.
            vec![
                chunk("a"),
                chunk("b"),
                chunk("c").replace("null}]}", "nul}]}"),
                chunk("d").replace("\"index\":0", "\"index\":0,,"),
                chunk("e").replace("chatcmpl-1", "chatcmpl-\u{1}"),
                chunk("f"),
                chunk("g"),
                chunk("h") + " x",
            ],
            // A cut inside an escape, a number, a literal, a key.
            vec![
                chunk("a\\u00e9b"),
                chunk("a\\u00e9c"),
                chunk("a\\u00e8c"),
                chunk("a\\\"b"),
                chunk("a\\\"c"),
                r#"{"usage":{"prompt_tokens":1234567,"completion_tokens":5}}"#.into(),
                r#"{"usage":{"prompt_tokens":1234568,"completion_tokens":5}}"#.into(),
                r#"{"usage":{"prompt_tokens":12345-8,"completion_tokens":5}}"#.into(),
                r#"{"usage":{"prompt_tokens":1234567,"completion_tokens":-5}}"#.into(),
                r#"{"usage":{"prompt_tokens":null,"completion_tokens":true}}"#.into(),
                r#"{"usage":{"prompt_tokens":null,"completion_tokens":6}}"#.into(),
                r#"{"usage":{"prompt_tokens":null,"completion_toke":6}}"#.into(),
            ],
            // Not objects, errors, empty.
            vec!["[1,2,3]".into(), "[1,2,4]".into(), "".into(), "7".into(), r#"{"error":{"message":"boom"}}"#.into(), r#"{"error":{"message":"boom!"}}"#.into(), r#"{"error":null}"#.into()],
        ];
        for stream in &streams {
            let mut scan = StreamScan::new();
            for (i, payload) in stream.iter().enumerate() {
                assert_eq!(
                    scan.scan(payload.as_bytes()),
                    scan_payload(payload.as_bytes()),
                    "payload {i}: {payload}"
                );
            }
        }
    }

    /// Random edits of a stream's chunks (a byte changed, inserted or dropped, a cut), each
    /// stream read by one `StreamScan`: the same results as new readers.
    #[test]
    fn stream_scan_equals_a_new_reader_on_random_edits() {
        let base = br#"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"m","choices":[{"index":0,"delta":{"content":"tok \u00e9"},"finish_reason":null}],"usage":{"prompt_tokens":3,"completion_tokens":4}}"#;
        let alphabet = b"{}[]\":,0123456789.-eE \\u tfnrlsa";
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize % n.max(1)
        };
        for _ in 0..300 {
            let mut scan = StreamScan::new();
            for _ in 0..12 {
                let mut p = base.to_vec();
                for _ in 0..next(3) {
                    let at = next(p.len());
                    let b = alphabet[next(alphabet.len())];
                    match next(4) {
                        0 => p[at] = b,
                        1 => p.insert(at, b),
                        2 => {
                            p.remove(at);
                        }
                        _ => p.truncate(at),
                    }
                }
                assert_eq!(
                    scan.scan(&p),
                    scan_payload(&p),
                    "{}",
                    String::from_utf8_lossy(&p)
                );
            }
        }
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
