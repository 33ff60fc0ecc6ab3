//! An allocation-free, push-style JSON tokenizer for the gateway's hot path (RFC 8259).
//!
//! Bodies reach a proxy-wasm filter as chunks of arbitrary size, so this reader is fed byte
//! slices ([`Tokenizer::feed`]) and keeps only a fixed-size state between them: the container
//! stack (a bit set, up to [`MAX_DEPTH`] levels), the path of the last [`PATH_FRAMES`] levels
//! (each object level remembers the id of its current key), and one token buffer of
//! [`TOKEN_BYTES`] bytes. No tree is built and nothing is allocated: each key, scalar and
//! container boundary is handed to a [`Visitor`] with its path and byte offset (a visitor that
//! ignores keys or container ends says so, [`Visitor::KEY_EVENTS`], [`Visitor::END_EVENTS`], and
//! is not called for them). A string longer than the token buffer is still read to its end
//! (its length counted), only its first [`TOKEN_BYTES`] bytes are kept.
//!
//! Speed (the filter runs as Wasm in V8, without SIMD, where every byte of a per-byte state
//! machine costs a dispatch): a token that lies whole in the fed chunk (a string without
//! escapes, a number followed by its terminator, a literal) is read in one step and handed to
//! the visitor as a slice of the chunk, without the token buffer; a token cut by the end of a
//! chunk, or a string with an escape, continues byte by byte through the buffer. Both give the
//! same events and errors (the property tests feed inputs whole and byte by byte). String runs
//! are searched eight bytes at a time, and keys are looked up in a `KeyIndex` built at
//! compile time.
//!
//! Why not `samples::json`: that reader works on a whole `&str` already in memory, decodes
//! escapes into `String`s and builds `String` error messages, which suits a file import but not
//! a per-request path that must not allocate and must survive any chunking. The two share the
//! grammar, not the code.

use crate::bytes::string_run;
use core::fmt;

/// Nesting limit (deeper input is an error, never unbounded work).
pub const MAX_DEPTH: u32 = 128;
/// Levels of the path kept for the visitor; deeper levels are not kept ([`Path::depth`] still
/// counts them, so a deeper value never matches a `Path::is` pattern).
pub const PATH_FRAMES: usize = 8;
/// Bytes of a key or scalar kept for the visitor.
pub const TOKEN_BYTES: usize = 128;

/// Id of a key in the tokenizer's key table; [`KEY_OTHER`] for any other key.
pub type KeyId = u8;
/// A key not in the table (or longer than the token buffer).
pub const KEY_OTHER: KeyId = u8::MAX;

/// One level of the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frame {
    /// Inside an object, reading the value of the key with this id.
    Object(KeyId),
    /// Inside an array, reading the element with this index.
    Array(u32),
}

impl Frame {
    /// The initial value of the kept frames.
    pub(crate) const DEEP: Frame = Frame::Object(KEY_OTHER);
}

/// A path step to match: a key id, or any array element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Key(KeyId),
    Index,
}

/// Where a value sits: the frames from the root down.
#[derive(Debug, Clone, Copy)]
pub struct Path<'p> {
    /// The kept frames (at most [`PATH_FRAMES`]).
    pub frames: &'p [Frame],
    /// The true depth (may exceed `frames.len()`).
    pub depth: u32,
}

impl Path<'_> {
    /// True when the path is exactly `steps` (same depth, same keys, any array index).
    #[inline]
    pub(crate) fn is(&self, steps: &[Step]) -> bool {
        if self.depth as usize != steps.len() || self.frames.len() != steps.len() {
            return false;
        }
        self.frames.iter().zip(steps).all(|(f, s)| match (f, s) {
            (Frame::Object(k), Step::Key(w)) => k == w,
            (Frame::Array(_), Step::Index) => true,
            _ => false,
        })
    }

    /// The key id of the innermost level, if it is an object.
    #[inline]
    pub(crate) fn key(&self) -> Option<KeyId> {
        match self.frames.last() {
            Some(Frame::Object(k)) if self.depth as usize == self.frames.len() => Some(*k),
            _ => None,
        }
    }
}

/// A string token: its first bytes (escapes decoded) and its full decoded length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Str<'t> {
    /// The first [`TOKEN_BYTES`] bytes (possibly cut inside a UTF-8 sequence when truncated).
    pub prefix: &'t [u8],
    /// The full length in bytes.
    pub len: usize,
}

impl<'t> Str<'t> {
    pub(crate) fn truncated(&self) -> bool {
        self.len > self.prefix.len()
    }

    /// The whole string, if it was kept whole and is valid UTF-8.
    pub fn as_str(&self) -> Option<&'t str> {
        if self.truncated() {
            None
        } else {
            core::str::from_utf8(self.prefix).ok()
        }
    }
}

/// A scalar value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scalar<'t> {
    Str(Str<'t>),
    /// A number, as written (grammar checked).
    Number(&'t [u8]),
    Bool(bool),
    Null,
}

impl Scalar<'_> {
    /// A non-negative integer that fits `u64` (`12`, `12.0` and `1.2e1` are not accepted:
    /// token counts are JSON integers).
    pub(crate) fn as_u64(&self) -> Option<u64> {
        let Scalar::Number(n) = self else {
            return None;
        };
        if n.is_empty() || n.len() > 20 {
            return None;
        }
        let mut v: u64 = 0;
        for &c in *n {
            if !c.is_ascii_digit() {
                return None;
            }
            v = v.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
        }
        Some(v)
    }

    /// The number as `f64`, correctly rounded, when [`parse_decimal`] can read it exactly
    /// (every number a configuration needs); `None` otherwise.
    pub(crate) fn as_f64(&self) -> Option<f64> {
        let Scalar::Number(n) = self else {
            return None;
        };
        parse_decimal(n)
    }

    /// A short name of the JSON type, for messages.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Scalar::Str(_) => "a string",
            Scalar::Number(_) => "a number",
            Scalar::Bool(_) => "a boolean",
            Scalar::Null => "null",
        }
    }
}

/// Container kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    Object,
    Array,
}

/// What the tokenizer reports to the [`Visitor`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Event<'t> {
    /// A key of an object; the path ends with `Frame::Object(id)` for this key.
    Key { id: KeyId, raw: Str<'t> },
    /// A container starts; the path is where the container sits.
    Begin(Container),
    /// A container ends; the path is where the container sat.
    End(Container),
    /// A scalar value at the path.
    Value(Scalar<'t>),
}

/// Receives the events; returning `false` stops the tokenizer (the rest is ignored).
pub trait Visitor {
    /// Whether the visitor reads [`Event::Key`]: one that ignores keys (returns `true` for
    /// them and does nothing else; paths still carry the key ids) sets `false`, and the
    /// tokenizer does not call it for them.
    const KEY_EVENTS: bool = true;
    /// Likewise for [`Event::End`] (container ends).
    const END_EVENTS: bool = true;

    /// `at` is the byte offset (from the first byte fed) where the token starts.
    fn event(&mut self, path: Path<'_>, event: Event<'_>, at: usize) -> bool;
}

/// What went wrong, without allocating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonErrorKind {
    /// The input ended inside a value (a cut body).
    Truncated,
    /// No value at all.
    Empty,
    /// A byte the grammar does not allow here.
    Unexpected { found: u8, expected: &'static str },
    /// Text after the value.
    TrailingText,
    /// Nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// A control character inside a string.
    ControlCharacter,
    /// A bad escape (`\x`, `\u12G4`).
    BadEscape,
    /// A malformed number (`01`, `1.`, `-`, `1e`), or one longer than the token buffer.
    BadNumber,
}

/// A JSON syntax error at a byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonError {
    pub at: usize,
    pub kind: JsonErrorKind,
}

impl fmt::Display for JsonErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonErrorKind::Truncated => f.write_str("the JSON text ends inside a value"),
            JsonErrorKind::Empty => f.write_str("expected a JSON value, found nothing"),
            JsonErrorKind::Unexpected { found, expected } => {
                if found.is_ascii_graphic() {
                    write!(f, "expected {expected}, found `{}`", *found as char)
                } else {
                    write!(f, "expected {expected}, found byte 0x{found:02x}")
                }
            }
            JsonErrorKind::TrailingText => f.write_str("unexpected text after the JSON value"),
            JsonErrorKind::TooDeep => write!(f, "nested deeper than {MAX_DEPTH} levels"),
            JsonErrorKind::ControlCharacter => f.write_str("control character in a string"),
            JsonErrorKind::BadEscape => f.write_str("invalid escape in a string"),
            JsonErrorKind::BadNumber => f.write_str("malformed number"),
        }
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (byte {})", self.kind, self.at)
    }
}

/// What the grammar expects next (outside a token).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Value,
    /// After `{`: a key or `}`.
    KeyOrEnd,
    /// After `,` in an object.
    Key,
    Colon,
    /// After a member value: `,` or `}`.
    ObjectNext,
    /// After `[`: a value or `]`.
    ValueOrEnd,
    /// After an element: `,` or `]`.
    ArrayNext,
    /// The root value is complete.
    Done,
}

/// The token being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    None,
    Str {
        key: bool,
    },
    Escape {
        key: bool,
    },
    /// `\u` escape: digits read so far, value, pending high surrogate (0 = none).
    Unicode {
        key: bool,
        n: u8,
        acc: u16,
        high: u16,
    },
    /// After a high surrogate's `\uXXXX`: expecting `\` then `u` of the low half.
    LowBackslash {
        key: bool,
        high: u16,
    },
    LowU {
        key: bool,
        high: u16,
    },
    Number,
    /// A literal: which (0 true, 1 false, 2 null) and bytes matched.
    Literal {
        which: u8,
        i: u8,
    },
}

const LITERALS: [&[u8]; 3] = [b"true", b"false", b"null"];

/// The tokenizer. `keys` maps key strings to ids (index in the table; at most 254 keys).
#[derive(Debug, Clone)]
pub struct Tokenizer {
    keys: Keys,
    expect: Expect,
    tok: Tok,
    tok_at: usize,
    /// Container kinds, bit `d % 64` of word `d / 64` = 1 for an array at depth `d`
    /// (depth ≤ 128; two `u64` rather than a `u128`, whose shifts are library calls in Wasm).
    kinds: [u64; 2],
    depth: u32,
    frames: [Frame; PATH_FRAMES],
    buf: [u8; TOKEN_BYTES],
    kept: usize,
    len: usize,
    offset: usize,
    error: Option<JsonError>,
    stopped: bool,
}

impl Tokenizer {
    pub fn new(keys: &'static [&'static str]) -> Self {
        Self::with_keys(Keys::Table(keys))
    }

    /// A tokenizer over an indexed key table (same ids as [`Tokenizer::new`] with its keys,
    /// found faster; for the per-request readers).
    pub(crate) fn with_index(index: &'static KeyIndex) -> Self {
        Self::with_keys(Keys::Index(index))
    }

    fn with_keys(keys: Keys) -> Self {
        Tokenizer {
            keys,
            expect: Expect::Value,
            tok: Tok::None,
            tok_at: 0,
            kinds: [0; 2],
            depth: 0,
            frames: [Frame::DEEP; PATH_FRAMES],
            buf: [0; TOKEN_BYTES],
            kept: 0,
            len: 0,
            offset: 0,
            error: None,
            stopped: false,
        }
    }

    /// Back to the initial state (same key table), for the next document.
    pub fn reset(&mut self) {
        self.expect = Expect::Value;
        self.tok = Tok::None;
        self.tok_at = 0;
        self.kinds = [0; 2];
        self.depth = 0;
        self.kept = 0;
        self.len = 0;
        self.offset = 0;
        self.error = None;
        self.stopped = false;
    }

    /// Bytes fed so far.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The first error, if any (the tokenizer ignores input after it).
    pub fn error(&self) -> Option<JsonError> {
        self.error
    }

    /// True once the root value is complete.
    pub fn is_done(&self) -> bool {
        self.expect == Expect::Done && self.tok == Tok::None
    }

    /// True when the visitor stopped the tokenizer.
    pub fn is_stopped(&self) -> bool {
        self.stopped
    }

    fn path(&self) -> Path<'_> {
        path_of(&self.frames, self.depth)
    }

    fn fail(&mut self, at: usize, kind: JsonErrorKind) {
        if self.error.is_none() {
            self.error = Some(JsonError { at, kind });
        }
    }

    /// An event that carries no token bytes (a container boundary, a literal).
    #[inline(always)]
    fn emit<V: Visitor>(&mut self, v: &mut V, ev: Event<'_>, at: usize) {
        deliver(&self.frames, self.depth, &mut self.stopped, v, ev, at);
    }

    #[inline]
    fn push_byte(&mut self, c: u8) {
        if let Some(slot) = self.buf.get_mut(self.kept) {
            *slot = c;
            self.kept += 1;
        }
        self.len = self.len.saturating_add(1);
    }

    #[inline]
    fn push_run(&mut self, run: &[u8]) {
        let room = TOKEN_BYTES.saturating_sub(self.kept);
        let keep = run.len().min(room);
        if let (Some(dst), Some(src)) = (
            self.buf.get_mut(self.kept..self.kept + keep),
            run.get(..keep),
        ) {
            dst.copy_from_slice(src);
            self.kept += keep;
        }
        self.len = self.len.saturating_add(run.len());
    }

    fn push_char(&mut self, c: char) {
        let mut tmp = [0u8; 4];
        for &b in c.encode_utf8(&mut tmp).as_bytes() {
            self.push_byte(b);
        }
    }

    fn start_token(&mut self, tok: Tok, at: usize) {
        self.tok = tok;
        self.tok_at = at;
        self.kept = 0;
        self.len = 0;
    }

    /// The container at depth `d` is an array.
    #[inline(always)]
    fn is_array(&self, d: u32) -> bool {
        self.kinds
            .get(d as usize / 64)
            .is_some_and(|w| w & (1u64 << (d % 64)) != 0)
    }

    /// A value ended: move the grammar on.
    #[inline(always)]
    fn after_value(&mut self) {
        if self.depth == 0 {
            self.expect = Expect::Done;
        } else if self.is_array(self.depth - 1) {
            self.expect = Expect::ArrayNext;
        } else {
            self.expect = Expect::ObjectNext;
        }
    }

    fn open<V: Visitor>(&mut self, v: &mut V, c: Container, at: usize) {
        if self.depth >= MAX_DEPTH {
            self.fail(at, JsonErrorKind::TooDeep);
            return;
        }
        self.emit(v, Event::Begin(c), at);
        let d = self.depth;
        if let Some(w) = self.kinds.get_mut(d as usize / 64) {
            let bit = 1u64 << (d % 64);
            if c == Container::Array {
                *w |= bit;
            } else {
                *w &= !bit;
            }
        }
        if let Some(f) = self.frames.get_mut(d as usize) {
            *f = match c {
                Container::Object => Frame::Object(KEY_OTHER),
                Container::Array => Frame::Array(0),
            };
        }
        self.depth += 1;
        self.expect = match c {
            Container::Object => Expect::KeyOrEnd,
            Container::Array => Expect::ValueOrEnd,
        };
    }

    fn close<V: Visitor>(&mut self, v: &mut V, c: Container, at: usize) {
        self.depth -= 1;
        if V::END_EVENTS {
            self.emit(v, Event::End(c), at);
        }
        self.after_value();
    }

    /// The buffered number token ended (its next byte is not a number byte, or the input
    /// ended). False on a malformed number.
    fn end_number<V: Visitor>(&mut self, v: &mut V) -> bool {
        let at = self.tok_at;
        self.tok = Tok::None;
        let kept = self.kept.min(TOKEN_BYTES);
        if self.len > TOKEN_BYTES || !valid_number(self.buf.get(..kept).unwrap_or(&[])) {
            self.fail(at, JsonErrorKind::BadNumber);
            return false;
        }
        let n = self.buf.get(..kept).unwrap_or(&[]);
        let ev = Event::Value(Scalar::Number(n));
        deliver(&self.frames, self.depth, &mut self.stopped, v, ev, at);
        self.after_value();
        true
    }

    /// The buffered string token ended at its closing quote.
    fn end_string<V: Visitor>(&mut self, v: &mut V, key: bool) {
        let at = self.tok_at;
        self.tok = Tok::None;
        let prefix = self.buf.get(..self.kept.min(TOKEN_BYTES)).unwrap_or(&[]);
        let raw = Str {
            prefix,
            len: self.len,
        };
        if key {
            let id = self.keys.id(prefix, self.len == self.kept);
            set_key(&mut self.frames, self.depth, id);
            if V::KEY_EVENTS {
                let ev = Event::Key { id, raw };
                deliver(&self.frames, self.depth, &mut self.stopped, v, ev, at);
            }
            self.expect = Expect::Colon;
        } else {
            let ev = Event::Value(Scalar::Str(raw));
            deliver(&self.frames, self.depth, &mut self.stopped, v, ev, at);
            self.after_value();
        }
    }

    /// Feed the next bytes. After an error (or a stop) the rest is ignored.
    ///
    /// A token that lies whole in `chunk` (a string without escapes, a number followed by its
    /// terminator, a literal) is read in one step and handed to the visitor straight from
    /// `chunk`, without going through the token buffer; a token cut by the end of `chunk`, or
    /// a string with an escape, goes on byte by byte through the buffer (the same events and
    /// errors: the token-by-token tests and the whole-versus-byte-by-byte property tests pin
    /// the two paths to each other).
    pub fn feed<V: Visitor>(&mut self, chunk: &[u8], v: &mut V) {
        let base = self.offset;
        self.offset = self.offset.saturating_add(chunk.len());
        let mut k = 0usize;
        while let Some(&c) = chunk.get(k) {
            if self.error.is_some() || self.stopped {
                return;
            }
            let at = base.saturating_add(k);
            if self.tok != Tok::None {
                k = self.token_byte(v, chunk, k, c, at);
                continue;
            }
            let value = matches!(self.expect, Expect::Value | Expect::ValueOrEnd);
            k = match c {
                b' ' | b'\n' | b'\r' | b'\t' => k + 1,
                // The two most frequent structural steps, as `structural` takes them.
                b':' if self.expect == Expect::Colon => {
                    self.expect = Expect::Value;
                    k + 1
                }
                b',' if self.expect == Expect::ObjectNext => {
                    self.expect = Expect::Key;
                    k + 1
                }
                b'"' if value => self.whole_string(v, chunk, k, at, false),
                b'"' if matches!(self.expect, Expect::KeyOrEnd | Expect::Key) => {
                    self.whole_string(v, chunk, k, at, true)
                }
                b'-' | b'0'..=b'9' if value => self.whole_number(v, chunk, k, base),
                b't' | b'f' | b'n' if value => self.whole_literal(v, chunk, k, c, at),
                _ => {
                    self.structural(v, c, at);
                    k + 1
                }
            };
        }
    }

    /// A string whose opening quote is `chunk[k]`. Returns where reading goes on.
    #[inline]
    fn whole_string<V: Visitor>(
        &mut self,
        v: &mut V,
        chunk: &[u8],
        k: usize,
        at: usize,
        key: bool,
    ) -> usize {
        let body = chunk.get(k + 1..).unwrap_or(&[]);
        let n = string_run(body);
        let run = body.get(..n).unwrap_or(&[]);
        if body.get(n) != Some(&b'"') {
            // An escape, a control character or the end of the chunk: byte by byte.
            self.start_token(Tok::Str { key }, at);
            self.push_run(run);
            return k + 1 + n;
        }
        self.tok_at = at;
        let prefix = run.get(..TOKEN_BYTES).unwrap_or(run);
        let raw = Str { prefix, len: n };
        if key {
            let id = self.keys.id(prefix, n <= TOKEN_BYTES);
            set_key(&mut self.frames, self.depth, id);
            if V::KEY_EVENTS {
                self.emit(v, Event::Key { id, raw }, at);
            }
            self.expect = Expect::Colon;
        } else {
            self.emit(v, Event::Value(Scalar::Str(raw)), at);
            self.after_value();
        }
        k + n + 2
    }

    /// A number whose first byte is `chunk[k]`. Returns where reading goes on.
    #[inline]
    fn whole_number<V: Visitor>(
        &mut self,
        v: &mut V,
        chunk: &[u8],
        k: usize,
        base: usize,
    ) -> usize {
        let at = base.saturating_add(k);
        let rest = chunk.get(k..).unwrap_or(&[]);
        let n = rest
            .iter()
            .position(|&b| !is_number_byte(b))
            .unwrap_or(rest.len());
        let num = rest.get(..n).unwrap_or(&[]);
        let Some(&next) = rest.get(n) else {
            // The number may go on in the next chunk.
            self.start_token(Tok::Number, at);
            self.push_run(num);
            return chunk.len();
        };
        self.tok_at = at;
        if n > TOKEN_BYTES || !valid_number(num) {
            self.fail(at, JsonErrorKind::BadNumber);
            return k + n;
        }
        self.emit(v, Event::Value(Scalar::Number(num)), at);
        self.after_value();
        // The byte after the number, in the same step (as [`Self::token_byte`] does).
        self.outside(v, next, base.saturating_add(k + n));
        k + n + 1
    }

    /// A literal whose first byte is `c` at `chunk[k]`. Returns where reading goes on.
    #[inline]
    fn whole_literal<V: Visitor>(
        &mut self,
        v: &mut V,
        chunk: &[u8],
        k: usize,
        c: u8,
        at: usize,
    ) -> usize {
        let which: u8 = match c {
            b't' => 0,
            b'f' => 1,
            _ => 2,
        };
        let word = LITERALS.get(usize::from(which)).copied().unwrap_or(b"");
        if chunk.get(k..k + word.len()) != Some(word) {
            // A cut or misspelt literal: byte by byte (which reports where it goes wrong).
            self.start_token(Tok::Literal { which, i: 1 }, at);
            return k + 1;
        }
        self.tok_at = at;
        self.kept = 0;
        self.len = 0;
        self.emit(v, literal_event(which), at);
        self.after_value();
        k + word.len()
    }

    /// A byte outside any token: whitespace or structure.
    #[inline]
    fn outside<V: Visitor>(&mut self, v: &mut V, c: u8, at: usize) {
        if !matches!(c, b' ' | b'\n' | b'\r' | b'\t') {
            self.structural(v, c, at);
        }
    }

    /// The byte `c` = `chunk[k]` inside the buffered token `self.tok`. Returns where reading
    /// goes on.
    fn token_byte<V: Visitor>(
        &mut self,
        v: &mut V,
        chunk: &[u8],
        k: usize,
        c: u8,
        at: usize,
    ) -> usize {
        match self.tok {
            Tok::None => {
                self.outside(v, c, at);
            }
            Tok::Str { key } => {
                // The run of plain bytes up to a quote, a backslash or a control character
                // at once.
                let rest = chunk.get(k..).unwrap_or(&[]);
                let n = string_run(rest);
                if n > 0 {
                    self.push_run(rest.get(..n).unwrap_or(&[]));
                    return k + n;
                }
                match c {
                    b'"' => self.end_string(v, key),
                    b'\\' => self.tok = Tok::Escape { key },
                    0..=0x1f => self.fail(at, JsonErrorKind::ControlCharacter),
                    _ => self.push_byte(c),
                }
            }
            Tok::Escape { key } => {
                let d = match c {
                    b'"' => b'"',
                    b'\\' => b'\\',
                    b'/' => b'/',
                    b'b' => 8,
                    b'f' => 12,
                    b'n' => b'\n',
                    b'r' => b'\r',
                    b't' => b'\t',
                    b'u' => {
                        self.tok = Tok::Unicode {
                            key,
                            n: 0,
                            acc: 0,
                            high: 0,
                        };
                        return k + 1;
                    }
                    _ => {
                        self.fail(at, JsonErrorKind::BadEscape);
                        return k + 1;
                    }
                };
                self.push_byte(d);
                self.tok = Tok::Str { key };
            }
            Tok::Unicode { key, n, acc, high } => {
                let Some(h) = hex(c) else {
                    self.fail(at, JsonErrorKind::BadEscape);
                    return k + 1;
                };
                let acc = (acc << 4) | u16::from(h);
                if n < 3 {
                    self.tok = Tok::Unicode {
                        key,
                        n: n + 1,
                        acc,
                        high,
                    };
                } else if high != 0 {
                    if (0xDC00..0xE000).contains(&acc) {
                        let cp = 0x10000
                            + ((u32::from(high) - 0xD800) << 10)
                            + (u32::from(acc) - 0xDC00);
                        self.push_char(char::from_u32(cp).unwrap_or('\u{fffd}'));
                        self.tok = Tok::Str { key };
                    } else {
                        self.fail(at, JsonErrorKind::BadEscape);
                    }
                } else if (0xD800..0xDC00).contains(&acc) {
                    self.tok = Tok::LowBackslash { key, high: acc };
                } else if (0xDC00..0xE000).contains(&acc) {
                    self.fail(at, JsonErrorKind::BadEscape);
                } else {
                    self.push_char(char::from_u32(u32::from(acc)).unwrap_or('\u{fffd}'));
                    self.tok = Tok::Str { key };
                }
            }
            Tok::LowBackslash { key, high } => {
                if c == b'\\' {
                    self.tok = Tok::LowU { key, high };
                } else {
                    self.fail(at, JsonErrorKind::BadEscape);
                }
            }
            Tok::LowU { key, high } => {
                if c == b'u' {
                    self.tok = Tok::Unicode {
                        key,
                        n: 0,
                        acc: 0,
                        high,
                    };
                } else {
                    self.fail(at, JsonErrorKind::BadEscape);
                }
            }
            Tok::Number => {
                if is_number_byte(c) {
                    // The run of number bytes at once (like strings).
                    let rest = chunk.get(k..).unwrap_or(&[]);
                    let n = rest
                        .iter()
                        .position(|&b| !is_number_byte(b))
                        .unwrap_or(rest.len());
                    self.push_run(rest.get(..n).unwrap_or(&[]));
                    return k + n;
                }
                // The byte after the number is structural (or whitespace), in the same step.
                if self.end_number(v) {
                    self.outside(v, c, at);
                }
            }
            Tok::Literal { which, i } => {
                let word = LITERALS.get(usize::from(which)).copied().unwrap_or(b"");
                if word.get(usize::from(i)) == Some(&c) {
                    if usize::from(i) + 1 == word.len() {
                        self.tok = Tok::None;
                        let at0 = self.tok_at;
                        self.kept = 0;
                        self.len = 0;
                        self.emit(v, literal_event(which), at0);
                        self.after_value();
                    } else {
                        self.tok = Tok::Literal { which, i: i + 1 };
                    }
                } else {
                    self.fail(
                        at,
                        JsonErrorKind::Unexpected {
                            found: c,
                            expected: "a literal (`true`, `false` or `null`)",
                        },
                    );
                }
            }
        }
        k + 1
    }

    fn structural<V: Visitor>(&mut self, v: &mut V, c: u8, at: usize) {
        let unexpected = |expected| JsonErrorKind::Unexpected { found: c, expected };
        match self.expect {
            Expect::Value | Expect::ValueOrEnd => {
                if self.expect == Expect::ValueOrEnd && c == b']' {
                    self.close(v, Container::Array, at);
                    return;
                }
                match c {
                    b'{' => self.open(v, Container::Object, at),
                    b'[' => self.open(v, Container::Array, at),
                    b'"' => self.start_token(Tok::Str { key: false }, at),
                    b'-' | b'0'..=b'9' => {
                        self.start_token(Tok::Number, at);
                        self.push_byte(c);
                    }
                    b't' => self.start_token(Tok::Literal { which: 0, i: 1 }, at),
                    b'f' => self.start_token(Tok::Literal { which: 1, i: 1 }, at),
                    b'n' => self.start_token(Tok::Literal { which: 2, i: 1 }, at),
                    _ => self.fail(at, unexpected("a value")),
                }
            }
            Expect::KeyOrEnd | Expect::Key => {
                if c == b'"' {
                    self.start_token(Tok::Str { key: true }, at);
                } else if c == b'}' && self.expect == Expect::KeyOrEnd {
                    self.close(v, Container::Object, at);
                } else {
                    self.fail(at, unexpected("a key (a string)"));
                }
            }
            Expect::Colon => {
                if c == b':' {
                    self.expect = Expect::Value;
                } else {
                    self.fail(at, unexpected("`:`"));
                }
            }
            Expect::ObjectNext => match c {
                b',' => self.expect = Expect::Key,
                b'}' => self.close(v, Container::Object, at),
                _ => self.fail(at, unexpected("`,` or `}`")),
            },
            Expect::ArrayNext => match c {
                b',' => {
                    if let Some(Frame::Array(i)) = self
                        .depth
                        .checked_sub(1)
                        .and_then(|d| self.frames.get_mut(d as usize))
                    {
                        *i = i.saturating_add(1);
                    }
                    self.expect = Expect::Value;
                }
                b']' => self.close(v, Container::Array, at),
                _ => self.fail(at, unexpected("`,` or `]`")),
            },
            Expect::Done => self.fail(at, JsonErrorKind::TrailingText),
        }
    }

    /// The input is complete: finish a number at the very end and check the value is whole.
    pub fn finish<V: Visitor>(&mut self, v: &mut V) -> Result<(), JsonError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        if self.stopped {
            return Ok(());
        }
        if self.tok == Tok::Number && self.depth == 0 {
            self.end_number(v);
            if let Some(e) = self.error {
                return Err(e);
            }
        }
        if self.is_done() {
            return Ok(());
        }
        let kind = if self.offset == 0 || (self.expect == Expect::Value && self.depth == 0) {
            JsonErrorKind::Empty
        } else {
            JsonErrorKind::Truncated
        };
        let e = JsonError {
            at: self.offset,
            kind,
        };
        self.error = Some(e);
        Err(e)
    }

    /// The path of the current position (for tests and diagnostics).
    pub fn current_path(&self) -> Path<'_> {
        self.path()
    }
}

/// The kept frames of a path at `depth`.
#[inline(always)]
fn path_of(frames: &[Frame; PATH_FRAMES], depth: u32) -> Path<'_> {
    let n = (depth as usize).min(PATH_FRAMES);
    Path {
        frames: frames.get(..n).unwrap_or(&[]),
        depth,
    }
}

/// Hands one event to the visitor, unless it stopped the tokenizer already; records a stop.
/// (A free function over the tokenizer's fields, so the event may borrow its token buffer.)
#[inline(always)]
fn deliver<V: Visitor>(
    frames: &[Frame; PATH_FRAMES],
    depth: u32,
    stopped: &mut bool,
    v: &mut V,
    ev: Event<'_>,
    at: usize,
) {
    if !*stopped && !v.event(path_of(frames, depth), ev, at) {
        *stopped = true;
    }
}

/// The innermost level (an object) now reads the value of key `id`.
#[inline(always)]
fn set_key(frames: &mut [Frame; PATH_FRAMES], depth: u32, id: KeyId) {
    if let Some(Frame::Object(k)) = depth
        .checked_sub(1)
        .and_then(|d| frames.get_mut(d as usize))
    {
        *k = id;
    }
}

fn literal_event(which: u8) -> Event<'static> {
    match which {
        0 => Event::Value(Scalar::Bool(true)),
        1 => Event::Value(Scalar::Bool(false)),
        _ => Event::Value(Scalar::Null),
    }
}

/// Bytes that can continue a number token (the grammar is checked when it ends).
#[inline]
fn is_number_byte(b: u8) -> bool {
    matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
}

/// A key table with its lookup index, built at compile time (`static T: KeyIndex =
/// KeyIndex::new(KEYS)`): for each key length and each first byte, the set of the table's keys
/// with it, so a key is compared with the few table keys sharing both (usually none or one)
/// instead of with the whole table.
#[derive(Debug)]
pub(crate) struct KeyIndex {
    keys: &'static [&'static str],
    /// Bit `i` of `by_len[n]`: key `i` is `n` bytes long.
    by_len: [u64; 64],
    /// Bit `i` of `by_first[b % 64]`: key `i` starts with byte `b` (`b` = 0 for the empty key).
    by_first: [u64; 64],
    /// At most 64 keys, each shorter than 64 bytes (else lookups walk the table).
    indexed: bool,
}

impl KeyIndex {
    // A const fn cannot call `get`, so this indexes; each index is tested first (see below), and
    // in the `static`s that build every table an out-of-bounds index would fail the build.
    #[allow(clippy::indexing_slicing)]
    pub const fn new(keys: &'static [&'static str]) -> Self {
        let mut by_len = [0u64; 64];
        let mut by_first = [0u64; 64];
        let mut indexed = keys.len() <= 64;
        let mut i = 0;
        // Indexing (a const fn cannot call `get`) stays in bounds: `i < keys.len()`,
        // `k.len() < 64` and `first < 64` are tested first.
        while i < keys.len() && i < 64 {
            let k = keys[i].as_bytes();
            if k.len() < 64 {
                by_len[k.len()] |= 1 << i;
                let first = match k.first() {
                    Some(&b) => (b % 64) as usize,
                    None => 0,
                };
                by_first[first] |= 1 << i;
            } else {
                indexed = false;
            }
            i += 1;
        }
        KeyIndex {
            keys,
            by_len,
            by_first,
            indexed,
        }
    }

    /// The id of `raw` (the first table key equal to it).
    fn id(&self, raw: &[u8]) -> KeyId {
        if !self.indexed {
            return table_id(self.keys, raw);
        }
        // No key is 64 bytes or longer.
        let Some(&lens) = self.by_len.get(raw.len()) else {
            return KEY_OTHER;
        };
        let first = raw.first().map_or(0, |&b| usize::from(b % 64));
        let mut m = lens & self.by_first.get(first).copied().unwrap_or(0);
        while m != 0 {
            let i = m.trailing_zeros() as usize;
            if self.keys.get(i).is_some_and(|k| same(k.as_bytes(), raw)) {
                return u8::try_from(i).unwrap_or(KEY_OTHER);
            }
            m &= m - 1;
        }
        KEY_OTHER
    }
}

/// Equal byte strings, by a byte loop: keys are a few bytes, and Wasm has no vectorised
/// `memcmp` to call.
#[inline]
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// The id of `raw` in a table without an index: the first equal key, by a walk.
fn table_id(keys: &[&str], raw: &[u8]) -> KeyId {
    // Length and first byte first: most keys of a payload are not in the table.
    let first = raw.first();
    keys.iter()
        .position(|k| {
            let k = k.as_bytes();
            k.len() == raw.len() && k.first() == first && same(k, raw)
        })
        .and_then(|i| u8::try_from(i).ok())
        .filter(|&i| i != KEY_OTHER)
        .unwrap_or(KEY_OTHER)
}

/// Where the tokenizer looks keys up.
#[derive(Debug, Clone, Copy)]
enum Keys {
    Table(&'static [&'static str]),
    Index(&'static KeyIndex),
}

impl Keys {
    /// The id of key `raw` (exact bytes, escapes decoded); `whole` is false when `raw` is only
    /// the prefix of a longer key (which is then no table key).
    #[inline]
    fn id(self, raw: &[u8], whole: bool) -> KeyId {
        if !whole {
            return KEY_OTHER;
        }
        match self {
            Keys::Table(t) => table_id(t, raw),
            Keys::Index(x) => x.id(raw),
        }
    }
}

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// RFC 8259 §6: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
fn valid_number(n: &[u8]) -> bool {
    let mut i = 0;
    let at = |i: usize| n.get(i).copied();
    if at(i) == Some(b'-') {
        i += 1;
    }
    match at(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            while at(i).is_some_and(|c| c.is_ascii_digit()) {
                i += 1;
            }
        }
        _ => return false,
    }
    if at(i) == Some(b'.') {
        i += 1;
        let s = i;
        while at(i).is_some_and(|c| c.is_ascii_digit()) {
            i += 1;
        }
        if i == s {
            return false;
        }
    }
    if matches!(at(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(at(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let s = i;
        while at(i).is_some_and(|c| c.is_ascii_digit()) {
            i += 1;
        }
        if i == s {
            return false;
        }
    }
    i == n.len()
}

/// Exact powers of ten representable in `f64` (10^22 is the largest, 5^22 < 2^53).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A JSON number to `f64` by Clinger's fast path (W. D. Clinger, "How to Read Floating Point
/// Numbers Accurately", PLDI 1990): with the significant digits `m ≤ 2^53` and a decimal
/// exponent `|e| ≤ 22`, `m` and `10^|e|` are exact doubles and one IEEE multiplication or
/// division rounds correctly, so the result equals a full parser's (Go's `strconv.ParseFloat`,
/// Rust's `str::parse`). Other numbers give `None`. This keeps the standard library's
/// float-parsing tables (about 25 KB) out of the filter's Wasm.
pub fn parse_decimal(n: &[u8]) -> Option<f64> {
    const MAX_EXACT: u64 = 1 << 53;
    let mut i = 0;
    let neg = n.first() == Some(&b'-');
    if neg {
        i += 1;
    }
    let mut m: u64 = 0;
    let mut e: i64 = 0;
    let mut any = false;
    let push = |d: u8, frac: bool, m: &mut u64, e: &mut i64| -> Option<()> {
        if frac {
            *e -= 1;
        }
        match m.checked_mul(10).and_then(|x| x.checked_add(u64::from(d))) {
            Some(x) if x <= MAX_EXACT * 10 => *m = x,
            // Digits beyond what a u64 holds must be zeros (they only scale).
            _ if d == 0 => *e += 1,
            _ => return None,
        }
        Some(())
    };
    while let Some(&c) = n.get(i).filter(|c| c.is_ascii_digit()) {
        push(c - b'0', false, &mut m, &mut e)?;
        any = true;
        i += 1;
    }
    if n.get(i) == Some(&b'.') {
        i += 1;
        while let Some(&c) = n.get(i).filter(|c| c.is_ascii_digit()) {
            push(c - b'0', true, &mut m, &mut e)?;
            any = true;
            i += 1;
        }
    }
    if !any {
        return None;
    }
    if matches!(n.get(i), Some(b'e' | b'E')) {
        i += 1;
        let eneg = n.get(i) == Some(&b'-');
        if matches!(n.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let mut x: i64 = 0;
        let mut digits = false;
        while let Some(&c) = n.get(i).filter(|c| c.is_ascii_digit()) {
            x = (x * 10 + i64::from(c - b'0')).min(10_000);
            digits = true;
            i += 1;
        }
        if !digits {
            return None;
        }
        e += if eneg { -x } else { x };
    }
    if i != n.len() {
        return None;
    }
    if m == 0 {
        return Some(if neg { -0.0 } else { 0.0 });
    }
    while m % 10 == 0 {
        m /= 10;
        e += 1;
    }
    while e > 22 && m * 10 <= MAX_EXACT {
        m *= 10;
        e -= 1;
    }
    if m > MAX_EXACT || !(-22..=22).contains(&e) {
        return None;
    }
    let p = *POW10.get(e.unsigned_abs() as usize)?;
    let v = if e >= 0 { m as f64 * p } else { m as f64 / p };
    Some(if neg { -v } else { v })
}

/// Tokenize a whole document in one call.
pub fn scan<V: Visitor>(
    keys: &'static [&'static str],
    text: &[u8],
    v: &mut V,
) -> Result<(), JsonError> {
    let mut t = Tokenizer::new(keys);
    t.feed(text, v);
    t.finish(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records events as text, for assertions.
    struct Log(Vec<String>);
    impl Visitor for Log {
        fn event(&mut self, path: Path<'_>, ev: Event<'_>, at: usize) -> bool {
            let p: Vec<String> = path
                .frames
                .iter()
                .map(|f| match f {
                    Frame::Object(k) => format!("k{k}"),
                    Frame::Array(i) => format!("[{i}]"),
                })
                .collect();
            let e = match ev {
                Event::Key { raw, .. } => format!("key {}", String::from_utf8_lossy(raw.prefix)),
                Event::Begin(c) => format!("begin {c:?}"),
                Event::End(c) => format!("end {c:?}"),
                Event::Value(Scalar::Str(s)) => {
                    format!("str {} {}", String::from_utf8_lossy(s.prefix), s.len)
                }
                Event::Value(Scalar::Number(n)) => format!("num {}", String::from_utf8_lossy(n)),
                Event::Value(Scalar::Bool(b)) => format!("bool {b}"),
                Event::Value(Scalar::Null) => "null".into(),
            };
            self.0.push(format!("{}@{at} {e}", p.join("/")));
            true
        }
    }

    const KEYS: &[&str] = &["a", "b"];

    fn run(text: &str) -> (Vec<String>, Result<(), JsonError>) {
        let mut log = Log(Vec::new());
        let r = scan(KEYS, text.as_bytes(), &mut log);
        (log.0, r)
    }

    fn run_split(text: &[u8], cuts: &[usize]) -> (Vec<String>, Result<(), JsonError>) {
        let mut log = Log(Vec::new());
        let mut t = Tokenizer::new(KEYS);
        let mut prev = 0;
        for &c in cuts {
            t.feed(&text[prev..c], &mut log);
            prev = c;
        }
        t.feed(&text[prev..], &mut log);
        let r = t.finish(&mut log);
        (log.0, r)
    }

    #[test]
    fn events_and_paths() {
        let (ev, r) = run(r#"{"a": [1, {"b": "x\"\u00e9"}], "zz": true, "b": null}"#);
        assert_eq!(r, Ok(()));
        assert_eq!(
            ev,
            vec![
                "@0 begin Object",
                "k0@1 key a",
                "k0@6 begin Array",
                "k0/[0]@7 num 1",
                "k0/[1]@10 begin Object",
                "k0/[1]/k1@11 key b",
                "k0/[1]/k1@16 str x\"é 4",
                "k0/[1]@27 end Object",
                "k0@28 end Array",
                "k255@31 key zz",
                "k255@37 bool true",
                "k1@43 key b",
                "k1@48 null",
                "@52 end Object",
            ]
        );
    }

    #[test]
    fn every_split_gives_the_same_events() {
        let text = br#"{"a":[12.5e-3,"\ud83d\ude00 ok",false],"b":{"c":[]},"d":-0}"#;
        let whole = run_split(text, &[]);
        assert_eq!(whole.1, Ok(()));
        for i in 0..=text.len() {
            for j in i..=text.len() {
                assert_eq!(run_split(text, &[i, j]), whole, "split at {i},{j}");
            }
        }
    }

    #[test]
    fn errors() {
        let cases: &[(&str, JsonErrorKind, usize)] = &[
            ("", JsonErrorKind::Empty, 0),
            ("   ", JsonErrorKind::Empty, 3),
            (r#"{"a":1"#, JsonErrorKind::Truncated, 6),
            (r#"{"a":"x"#, JsonErrorKind::Truncated, 7),
            (
                r#"{"a" 1}"#,
                JsonErrorKind::Unexpected {
                    found: b'1',
                    expected: "`:`",
                },
                5,
            ),
            (r#"{"a":01}"#, JsonErrorKind::BadNumber, 5),
            (r#"{"a":1.}"#, JsonErrorKind::BadNumber, 5),
            (
                r#"[1,]"#,
                JsonErrorKind::Unexpected {
                    found: b']',
                    expected: "a value",
                },
                3,
            ),
            (
                r#"{"a":tru}"#,
                JsonErrorKind::Unexpected {
                    found: b'}',
                    expected: "a literal (`true`, `false` or `null`)",
                },
                8,
            ),
            ("{\"a\":\"\u{1}\"}", JsonErrorKind::ControlCharacter, 6),
            (r#"{"a":"\x"}"#, JsonErrorKind::BadEscape, 7),
            (r#"{"a":"\ud800x"}"#, JsonErrorKind::BadEscape, 12),
            (r#"{} {}"#, JsonErrorKind::TrailingText, 3),
            (
                r#"{"a":1]"#,
                JsonErrorKind::Unexpected {
                    found: b']',
                    expected: "`,` or `}`",
                },
                6,
            ),
        ];
        for (text, kind, at) in cases {
            let (_, r) = run(text);
            assert_eq!(
                r,
                Err(JsonError {
                    at: *at,
                    kind: *kind
                }),
                "{text}"
            );
        }
        let deep = "[".repeat(200);
        assert_eq!(run(&deep).1.unwrap_err().kind, JsonErrorKind::TooDeep);
        // A bare number at the root ends at the end of input.
        assert_eq!(run("42").0, vec!["@0 num 42"]);
    }

    #[test]
    fn indexed_keys_have_the_ids_of_the_table_walk() {
        static T: &[&str] = &["usage", "model", "mode", "", "m", "model", "Usage", "é"];
        static X: KeyIndex = KeyIndex::new(T);
        let long = "k".repeat(70);
        let long: &'static str = Box::leak(long.into_boxed_str());
        let with_long: &'static [&'static str] = Box::leak(vec!["a", long].into_boxed_slice());
        let xl = KeyIndex::new(with_long);
        assert!(X.indexed && !xl.indexed);
        for raw in [
            "usage", "model", "mode", "", "m", "Usage", "é", "usagE", "model_", "n", "ü", "mx",
        ] {
            let r = raw.as_bytes();
            assert_eq!(X.id(r), table_id(T, r), "{raw}");
            assert_eq!(Keys::Index(&X).id(r, false), KEY_OTHER);
            assert_eq!(xl.id(r), table_id(with_long, r), "{raw}");
        }
        // Duplicates: the first one's id.
        assert_eq!(X.id(b"model"), 1);
        assert_eq!(xl.id(long.as_bytes()), 1);
        // Length ≥ 64 in an indexed table: no key.
        assert_eq!(X.id(long.as_bytes()), KEY_OTHER);
    }

    #[test]
    fn long_strings_keep_a_prefix_and_the_length() {
        let long = "x".repeat(1000);
        let (ev, r) = run(&format!(r#"["{long}"]"#));
        assert_eq!(r, Ok(()));
        assert!(ev[1].ends_with(" 1000"), "{}", ev[1]);
    }

    #[test]
    fn numbers() {
        for (n, ok) in [
            ("0", true),
            ("-0", true),
            ("12", true),
            ("1.5e+3", true),
            ("1E9", true),
            ("-", false),
            ("01", false),
            ("1.", false),
            ("1e", false),
            ("1-2", false),
            ("+1", false),
        ] {
            assert_eq!(valid_number(n.as_bytes()), ok, "{n}");
        }
        assert_eq!(Scalar::Number(b"123").as_u64(), Some(123));
        for text in [
            "0",
            "-0",
            "70",
            "0.7",
            "1000",
            "2.5",
            "0.01",
            "1e3",
            "1.5E-3",
            "123456789012345",
            "0.1",
            "0.3",
            "9007199254740992",
            "1e22",
            "1e-22",
            "12.50",
            "100000000000000000000000",
            "-3.25e+2",
            "0.000001",
        ] {
            let want: f64 = text.parse().unwrap();
            assert_eq!(parse_decimal(text.as_bytes()), Some(want), "{text}");
        }
        for text in [
            "4503599627370497.5e-1",
            "1e400",
            "9007199254740993",
            "1.2345678901234567890123",
            "1e-30",
            "",
            "-",
            "1e",
            "1.5x",
        ] {
            assert_eq!(parse_decimal(text.as_bytes()), None, "{text}");
        }
        assert_eq!(Scalar::Number(b"12.0").as_u64(), None);
        assert_eq!(Scalar::Number(b"99999999999999999999").as_u64(), None);
    }
}
