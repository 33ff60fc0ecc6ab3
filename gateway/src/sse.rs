//! A `text/event-stream` scanner: byte chunks in, complete `data` payloads out.
//!
//! The parsing rules are the WHATWG HTML Living Standard, §9.2.6 "Interpreting an event
//! stream": lines end with CRLF, LF or CR; a line starting with `:` is a comment; `field:value`
//! with one optional space after the colon; a line without a colon is a field with an empty
//! value; `data` lines of one event are joined with LF; an empty line dispatches the event; an
//! event without `data` is not dispatched; an unfinished event at the end of the stream is
//! discarded. Fields other than `data` (`event`, `id`, `retry`) are ignored. The OpenAI API ends
//! a stream with `data: [DONE]` (platform.openai.com/docs/api-reference/chat-streaming; vLLM
//! `entrypoints/openai/serving_chat.py` does the same).
//!
//! Memory is one buffer of a fixed capacity, allocated at construction. An event whose data is
//! longer is reported as [`SseEvent::Oversize`] (the caller counts it as malformed) and its bytes
//! are dropped as they arrive: the buffer never grows. A leading byte-order mark is not
//! stripped (OpenAI-compatible servers do not send one).
//!
//! Two paths give the same events. The byte-by-byte path copies the data into the buffer and
//! reads any input, cut anywhere. The fast path, tried at each event start, takes an event that
//! lies whole in the chunk as one `data:` line ending in LF LF (what vLLM and OpenAI send, one
//! event per chunk) and hands its data to the callback straight from the chunk, without a copy;
//! anything else is left to the byte-by-byte path.

use crate::bytes::line_end;

/// What the scanner reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SseEvent<'a> {
    /// A complete event's data (lines joined with LF).
    Data(&'a [u8]),
    /// `data: [DONE]`, the OpenAI end-of-stream marker.
    Done,
    /// An event whose data exceeded the capacity; `len` is its full length in bytes.
    Oversize { len: usize },
}

/// Longest field name kept (`data` is 4; longer names are some other field).
const FIELD_MAX: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    /// At the start of a line.
    Start,
    /// Reading the field name.
    Field,
    /// Right after `:` (one space is skipped).
    ValueStart { data: bool },
    /// Reading the value.
    Value { data: bool },
    /// A comment or a field we ignore: skip to the end of the line.
    Skip,
}

/// The scanner. Zero allocation after [`SseScanner::new`].
#[derive(Debug, Clone)]
pub struct SseScanner {
    buf: Box<[u8]>,
    /// Bytes of the current event's data kept in `buf`.
    len: usize,
    /// Full length of the current event's data (may exceed the capacity).
    total: usize,
    /// At least one `data` line in the current event.
    has_data: bool,
    line: Line,
    field: [u8; FIELD_MAX],
    field_len: usize,
    /// The previous byte was CR (a following LF belongs to the same line end).
    after_cr: bool,
    /// Events dispatched so far.
    events: u64,
}

impl SseScanner {
    /// A scanner keeping events of up to `capacity` bytes of data.
    pub fn new(capacity: usize) -> Self {
        Self::with_buffer(vec![0u8; capacity.max(1)].into_boxed_slice())
    }

    fn with_buffer(buf: Box<[u8]>) -> Self {
        SseScanner {
            buf,
            len: 0,
            total: 0,
            has_data: false,
            line: Line::Start,
            field: [0; FIELD_MAX],
            field_len: 0,
            after_cr: false,
            events: 0,
        }
    }

    /// Back to the start of a stream (keeps the buffer).
    pub fn reset(&mut self) {
        self.len = 0;
        self.total = 0;
        self.has_data = false;
        self.line = Line::Start;
        self.field_len = 0;
        self.after_cr = false;
        self.events = 0;
    }

    /// Events dispatched so far (data, done and oversize).
    pub fn events(&self) -> u64 {
        self.events
    }

    #[inline]
    fn push(&mut self, c: u8) {
        if let Some(slot) = self.buf.get_mut(self.len) {
            *slot = c;
            self.len += 1;
        }
        self.total = self.total.saturating_add(1);
    }

    fn is_data_field(&self) -> bool {
        self.field.get(..self.field_len) == Some(b"data".as_slice())
    }

    /// A `data` line starts: join with LF after a previous one.
    fn begin_data(&mut self) {
        if self.has_data {
            self.push(b'\n');
        }
        self.has_data = true;
    }

    fn end_line<F: FnMut(SseEvent<'_>)>(&mut self, f: &mut F) {
        match self.line {
            Line::Start => self.dispatch(f),
            Line::Field => {
                // A line without a colon: the whole line is the field name, the value is empty.
                if self.is_data_field() {
                    self.begin_data();
                }
            }
            Line::ValueStart { .. } | Line::Value { .. } | Line::Skip => {}
        }
        self.line = Line::Start;
        self.field_len = 0;
    }

    fn dispatch<F: FnMut(SseEvent<'_>)>(&mut self, f: &mut F) {
        if !self.has_data {
            return;
        }
        self.events = self.events.saturating_add(1);
        if self.total > self.len {
            f(SseEvent::Oversize { len: self.total });
        } else {
            let data = self.buf.get(..self.len).unwrap_or(&[]);
            if data == b"[DONE]" {
                f(SseEvent::Done);
            } else {
                f(SseEvent::Data(data));
            }
        }
        self.len = 0;
        self.total = 0;
        self.has_data = false;
    }

    /// At the start of a line with no event under way (`len` and `total` are then 0).
    fn at_event_start(&self) -> bool {
        self.line == Line::Start && !self.after_cr && !self.has_data
    }

    /// The fast path, from an event start: each event that lies whole in `rest` as the
    /// single line `data:` (one optional space) value LF LF is handed to `f` straight from
    /// the chunk, with the same result the byte-by-byte path would give (it is what streaming
    /// servers send). Returns how many bytes it read; it stops, at an event start, at
    /// anything else (CR line ends, several lines, comments, other fields, an event cut by
    /// the end of the chunk), which the byte-by-byte path reads.
    fn whole_events<F: FnMut(SseEvent<'_>)>(&mut self, rest: &[u8], f: &mut F) -> usize {
        let mut used = 0;
        while let Some(after) = rest.get(used..).and_then(|r| r.strip_prefix(b"data:")) {
            let value = after.strip_prefix(b" ").unwrap_or(after);
            let n = line_end(value);
            if value.get(n..n + 2) != Some(b"\n\n".as_slice()) {
                break;
            }
            let data = value.get(..n).unwrap_or(&[]);
            self.events = self.events.saturating_add(1);
            if data.len() > self.buf.len() {
                f(SseEvent::Oversize { len: data.len() });
            } else if data == b"[DONE]" {
                f(SseEvent::Done);
            } else {
                f(SseEvent::Data(data));
            }
            // `data:`, the space if any, the value and LF LF.
            used += (after.len() - value.len()) + 5 + n + 2;
        }
        used
    }

    /// Feed the next chunk; `f` gets each event completed by it, in order.
    pub fn feed<F: FnMut(SseEvent<'_>)>(&mut self, chunk: &[u8], mut f: F) {
        let mut i = 0;
        if self.at_event_start() {
            i = self.whole_events(chunk, &mut f);
        }
        while let Some(&c) = chunk.get(i) {
            i += 1;
            if self.after_cr {
                self.after_cr = false;
                if c == b'\n' {
                    continue;
                }
            }
            if c == b'\n' || c == b'\r' {
                self.after_cr = c == b'\r';
                self.end_line(&mut f);
                if self.at_event_start() {
                    i += self.whole_events(chunk.get(i..).unwrap_or(&[]), &mut f);
                }
                continue;
            }
            match self.line {
                Line::Start => {
                    if c == b':' {
                        self.line = Line::Skip;
                    } else {
                        self.line = Line::Field;
                        self.field_len = 0;
                        self.field_byte(c);
                    }
                }
                Line::Field => {
                    if c == b':' {
                        let data = self.is_data_field();
                        if data {
                            self.begin_data();
                        }
                        self.line = Line::ValueStart { data };
                    } else {
                        self.field_byte(c);
                    }
                }
                Line::ValueStart { data } => {
                    self.line = Line::Value { data };
                    if c != b' ' && data {
                        self.push(c);
                    }
                }
                Line::Value { data: true } => {
                    // Copy the run of value bytes up to the line end at once.
                    let start = i - 1;
                    let rest = chunk.get(start..).unwrap_or(&[]);
                    let n = line_end(rest);
                    let run = rest.get(..n).unwrap_or(&[]);
                    let room = self.buf.len().saturating_sub(self.len);
                    let keep = run.len().min(room);
                    if let (Some(dst), Some(src)) =
                        (self.buf.get_mut(self.len..self.len + keep), run.get(..keep))
                    {
                        dst.copy_from_slice(src);
                    }
                    self.len += keep;
                    self.total = self.total.saturating_add(run.len());
                    i = start + n;
                }
                Line::Value { data: false } | Line::Skip => {}
            }
        }
    }

    fn field_byte(&mut self, c: u8) {
        if let Some(slot) = self.field.get_mut(self.field_len) {
            *slot = c;
            self.field_len += 1;
        } else {
            // Longer than any field we read: not `data`.
            self.field_len = FIELD_MAX;
            self.field[0] = 0;
        }
    }

    /// The stream ended. Per the standard an unfinished event is discarded; this returns its
    /// length in bytes (`Some`) so the caller can count a truncated stream.
    pub fn finish(&mut self) -> Option<usize> {
        let pending = self.has_data.then_some(self.total);
        let events = self.events;
        self.reset();
        self.events = events;
        pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(s: &mut SseScanner, chunks: &[&[u8]]) -> Vec<String> {
        let mut out = Vec::new();
        for c in chunks {
            s.feed(c, |e| {
                out.push(match e {
                    SseEvent::Data(d) => format!("data {}", String::from_utf8_lossy(d)),
                    SseEvent::Done => "done".into(),
                    SseEvent::Oversize { len } => format!("oversize {len}"),
                })
            });
        }
        out
    }

    #[test]
    fn spec_cases() {
        let cases: &[(&str, &[&str])] = &[
            ("data: a\n\n", &["data a"]),
            ("data:a\r\n\r\n", &["data a"]),
            ("data: a\r\rdata: b\r\r", &["data a", "data b"]),
            ("data: a\ndata:  b\n\n", &["data a\n b"]),
            (": comment\ndata: x\nevent: e\nid: 1\n\n", &["data x"]),
            ("data\n\n", &["data "]),
            ("event: only\n\n", &[]),
            ("data: [DONE]\n\n", &["done"]),
            ("datax: no\n\n", &[]),
            ("dat: no\n\n", &[]),
            ("data: unfinished", &[]),
            ("data: a\n\n\n\ndata: b\n\n", &["data a", "data b"]),
            ("verylongfieldname: x\ndata: y\n\n", &["data y"]),
        ];
        for (text, want) in cases {
            let mut s = SseScanner::new(64);
            assert_eq!(events(&mut s, &[text.as_bytes()]), *want, "{text:?}");
        }
        let mut s = SseScanner::new(64);
        events(&mut s, &[b"data: unfinished"]);
        assert_eq!(s.finish(), Some(10));
    }

    #[test]
    fn oversize_is_reported_and_the_stream_continues() {
        let mut s = SseScanner::new(8);
        let got = events(&mut s, &[b"data: 0123456789\n\ndata: ok\n\n"]);
        assert_eq!(got, vec!["oversize 10", "data ok"]);
    }

    #[test]
    fn crlf_split_across_chunks() {
        let mut s = SseScanner::new(64);
        let got = events(&mut s, &[b"data: a\r", b"\n\r", b"\ndata: b\r\n", b"\r\n"]);
        assert_eq!(got, vec!["data a", "data b"]);
    }
}
