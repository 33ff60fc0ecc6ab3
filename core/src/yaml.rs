//! A YAML document tree where every node keeps its source span.
//!
//! Built on the `saphyr-parser` event stream (YAML 1.2, pure Rust, builds for wasm32), because
//! serde-based YAML crates throw positions away once a value is deserialized, and every
//! diagnostic Scalelens emits must point at `line:column` in the user's file.
//!
//! **Invariant:** parsing never panics and is bounded in time and memory by [`Limits`]: a
//! syntax error or a limit hit is a [`YamlError`] at the offending position, the document it
//! is in is dropped, and the other documents of the stream are still read (after a syntax
//! error, reading resumes at the next `---` line).
//!
//! - Aliases share their anchor's children (`Arc`), so an alias costs O(1) memory; the nodes
//!   an alias stands for are still counted against [`Limits::max_alias_nodes`], because every
//!   reader that walks the tree walks them.
//! - Nesting is capped at [`Limits::max_depth`], so the tree's recursive drop and the readers'
//!   recursion stay shallow on every stack, wasm's included.
//! - Positions come from the parser's markers (characters) and one [`LineIndex`] per source
//!   for the byte offsets of quoted scalars: no lookup rescans the text.

use crate::codes::rule_doc;
use std::collections::HashMap;
use std::sync::Arc;

use saphyr_parser::{Event, Parser, ScalarStyle};

use crate::span::{LineIndex, Pos, Span, Spanned};

/// One YAML node.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub span: Span,
}

/// A mapping's entries, in source order.
pub type Entries = Arc<[(Spanned<String>, Node)]>;

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// A scalar as written. `quoted` is true for `'...'`, `"..."` and block scalars: such a
    /// scalar is always a string, whatever it looks like.
    Scalar { text: Arc<str>, quoted: bool },
    /// Items are shared with every alias of the same anchor.
    Sequence(Arc<[Node]>),
    /// Entries are shared with every alias of the same anchor.
    Mapping(Entries),
}

/// How much of a YAML stream is read. The defaults are far above anything a real Kubernetes
/// manifest reaches and keep hostile input (alias bombs, deep nesting) to bounded work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of sequences and mappings (block and flow alike). 128: Kubernetes
    /// manifests nest a few tens of levels at most (a CRD's `openAPIV3Schema` is the deepest
    /// real case); saphyr itself stops flow nesting at 255 but not block nesting.
    pub max_depth: usize,
    /// Nodes that aliases may stand for in one document, counted as if each alias were
    /// expanded. 400 000: the most alias-driven decodes go-yaml v3 (`decode.go`,
    /// `allowedAliasRatio`), which reads manifests for kubectl, accepts in a document.
    pub max_alias_nodes: u64,
    /// Longest document, in characters. 3 MiB: the Kubernetes API server refuses larger
    /// request bodies (`request entity too large: limit is 3145728`), so no object that can
    /// exist in a cluster is larger.
    pub max_document_chars: usize,
    /// Most documents read from one stream; those after it are not read. 1 000 000: a 50 MB
    /// dump of small objects (Services, ConfigMaps) holds about 100 000; the count bounds
    /// the per-document work of inputs made of empty documents.
    pub max_documents: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 128,
            max_alias_nodes: 400_000,
            max_document_chars: 3 * 1024 * 1024,
            max_documents: 1_000_000,
        }
    }
}

/// What went wrong reading a YAML stream.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum YamlErrorKind {
    /// The scanner or parser's own message.
    #[error("{0}")]
    Syntax(String),
    #[error("alias refers to an unknown anchor")]
    UnknownAnchor,
    #[error("nesting deeper than {limit} levels: the document is not read (no Kubernetes manifest nests this deep)")]
    TooDeep { limit: usize },
    #[error("aliases in this document stand for more than {limit} nodes: the document is not read (an alias bomb?)")]
    TooManyAliasNodes { limit: u64 },
    #[error("document longer than {limit} characters (the Kubernetes API server's request limit): the document is not read")]
    DocumentTooLarge { limit: usize },
    #[error("more than {limit} documents: the documents from here on are not read")]
    TooManyDocuments { limit: usize },
}

/// A YAML error with its position.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{kind}")]
pub struct YamlError {
    pub kind: YamlErrorKind,
    pub pos: Pos,
}

impl YamlError {
    /// True for a hit [`Limits`] bound (as opposed to invalid YAML).
    pub fn is_limit(&self) -> bool {
        matches!(
            self.kind,
            YamlErrorKind::TooDeep { .. }
                | YamlErrorKind::TooManyAliasNodes { .. }
                | YamlErrorKind::DocumentTooLarge { .. }
                | YamlErrorKind::TooManyDocuments { .. }
        )
    }
}

/// The flow nesting at which saphyr-parser 0.3.4's scanner stops (`scanner.rs`, "recursion limit
/// exceeded"); deeper flow input is reported with this limit.
const SAPHYR_FLOW_DEPTH: usize = 255;

/// One `---`-separated document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub root: Node,
}

/// Everything read from a YAML stream: the documents that could be read, in order, and one
/// error per document that could not.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Stream {
    pub documents: Vec<Document>,
    pub errors: Vec<YamlError>,
    /// Keys written twice in one mapping, in the documents that were read.
    pub duplicates: Vec<DuplicateKey>,
}

/// A key written twice in one mapping. Lookups take the later entry, as `kubectl apply -f`
/// does: sigs.k8s.io/yaml (`YAMLToJSON`, kubernetes v1.34) converts the file with go-yaml v2's
/// non-strict decoder, which overwrites the earlier value without a word. Strict readers
/// (go-yaml v3, used by kustomize; `yaml.UnmarshalStrict`) refuse the file instead.
#[derive(Debug, Clone, PartialEq)]
pub struct DuplicateKey {
    pub key: String,
    /// How many times the key is written in the mapping (2 or more).
    pub count: usize,
    /// The first key, which is ignored.
    pub first: Span,
    /// The last key, which is read.
    pub again: Span,
    /// The first and last values when they are scalars, as written.
    pub values: Option<(Arc<str>, Arc<str>)>,
    /// With two keys only: the whole lines of the earlier entry (key, value and the lines of a
    /// nested value), when it is written in block style on lines of its own: deleting them
    /// keeps the later one.
    pub first_lines: Option<Span>,
}

/// Parse a multi-document YAML stream with the default [`Limits`]; the first error, if any.
/// Empty documents are skipped.
pub fn parse_documents(source: &str) -> Result<Vec<Document>, YamlError> {
    let mut stream = parse_stream(&LineIndex::new(source), &Limits::default());
    match stream.errors.is_empty() {
        true => Ok(stream.documents),
        false => Err(stream.errors.swap_remove(0)),
    }
}

/// Parse a multi-document YAML stream, the text of `index`, within `limits`. Empty documents
/// are skipped.
pub fn parse_stream(index: &LineIndex, limits: &Limits) -> Stream {
    let source = index.text();
    let mut stream = Stream::default();
    let mut from = Resume::start();
    // Set once saphyr rejects a tab after `:`, which kubectl accepts (below).
    let mut tabs: Option<TabsAfterColons> = None;
    let mut rereads = 0;
    loop {
        let text = tabs.as_ref().map_or(source, |t| t.text.as_str());
        let Some(rest) = text.get(from.byte..) else {
            break;
        };
        let kept = (
            stream.documents.len(),
            stream.errors.len(),
            stream.duplicates.len(),
        );
        let mut reader = Reader::new(index, limits, from.base);
        reader.record_scalars = tabs.is_some();
        let outcome = reader.read(rest, &mut stream);
        let restored = tabs
            .as_mut()
            .is_some_and(|t| t.restore_inside(index, &reader.scalar_spans));
        let tab_error = is_tab_after_colon(&stream);
        if (restored || (tab_error && tabs.is_none())) && rereads < MAX_TAB_REREADS {
            // Read this stretch again, from where this parser started.
            rereads += 1;
            tabs.get_or_insert_with(|| TabsAfterColons::new(source));
            stream.documents.truncate(kept.0);
            stream.errors.truncate(kept.1);
            stream.duplicates.truncate(kept.2);
            continue;
        }
        match outcome {
            Outcome::End | Outcome::Stop => break,
            Outcome::SyntaxError(at) => {
                if tab_error {
                    if let Some(e) = stream.errors.last_mut() {
                        e.kind = YamlErrorKind::Syntax(TAB_AFTER_COLON_HELP.into());
                    }
                }
                match next_document_line(index, at.line) {
                    Some(next) => from = next,
                    None => break,
                }
                rereads = 0;
            }
        }
    }
    stream
}

/// saphyr-parser 0.3.4's message for `key:<TAB>value` (`scanner.rs`, `fetch_value`, when a
/// letter, digit, `_` or `-` follows the tabs). YAML 1.2 (`s-separate-in-line` is spaces or
/// tabs) and go-yaml, hence kubectl, accept it: after a simple key's `:` go-yaml's
/// `yaml_parser_scan_to_next_token` skips tabs as it does spaces (`simple_key_allowed` is
/// false there). saphyr 0.3.4 is its latest release.
const TAB_AFTER_COLON: &str = "':' must be followed by a valid YAML whitespace";

/// What is said of such a tab when it is still rejected.
const TAB_AFTER_COLON_HELP: &str =
    "a tab between ':' and its value: kubectl reads it as a space; replace it with a space";

/// Re-reads of one stretch of the stream for [`TabsAfterColons`]: one once the first such tab
/// is found, one when a replaced tab turns out to sit inside a quoted or block scalar (put
/// back, which changes no structure), and one spare, so the work stays linear.
const MAX_TAB_REREADS: u32 = 3;

/// True when the last error of `stream` is saphyr's tab-after-colon error.
fn is_tab_after_colon(stream: &Stream) -> bool {
    stream
        .errors
        .last()
        .is_some_and(|e| matches!(&e.kind, YamlErrorKind::Syntax(m) if m == TAB_AFTER_COLON))
}

/// The source with every tab run saphyr would reject after a `:` turned into spaces: the same
/// length byte for byte, so every position stays right. A run inside a quoted or block scalar
/// (where it is text, not a separator) is put back once a read shows it there.
struct TabsAfterColons {
    text: String,
    /// Byte offsets of the replaced tabs, ascending.
    replaced: Vec<usize>,
}

impl TabsAfterColons {
    fn new(source: &str) -> Self {
        let mut bytes = source.as_bytes().to_vec();
        let mut replaced = Vec::new();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            i += 1;
            if b != b':' || bytes.get(i) != Some(&b'\t') {
                continue;
            }
            let mut j = i;
            while bytes.get(j) == Some(&b'\t') {
                j += 1;
            }
            let rejected = bytes
                .get(j)
                .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-');
            if rejected {
                for k in i..j {
                    if let Some(t) = bytes.get_mut(k) {
                        *t = b' ';
                    }
                    replaced.push(k);
                }
            }
            i = j;
        }
        // Only ASCII tabs became ASCII spaces: still UTF-8.
        let text = String::from_utf8(bytes).unwrap_or_else(|_| source.to_string());
        TabsAfterColons { text, replaced }
    }

    /// Put back the replaced tabs that lie inside `spans` (the quoted and block scalars a read
    /// found); true when there was any.
    fn restore_inside(&mut self, index: &LineIndex, spans: &[Span]) -> bool {
        let mut back = Vec::new();
        for s in spans {
            let (Some(a), Some(b)) = (
                index.byte_of_char(s.start.offset as usize),
                index.byte_of_char(s.end.offset as usize),
            ) else {
                continue;
            };
            let lo = self.replaced.partition_point(|&p| p < a);
            let hi = self.replaced.partition_point(|&p| p < b);
            back.extend(self.replaced.get(lo..hi).unwrap_or(&[]).iter().copied());
        }
        if back.is_empty() {
            return false;
        }
        crate::sort::natural(&mut back);
        back.dedup();
        for &p in &back {
            if self.text.get(p..p + 1) == Some(" ") {
                self.text.replace_range(p..p + 1, "\t");
            }
        }
        self.replaced.retain(|p| back.binary_search(p).is_err());
        true
    }
}

/// Where a parser starts: its byte offset in the source and the position of that byte.
#[derive(Debug, Clone, Copy)]
struct Resume {
    byte: usize,
    base: Pos,
}

impl Resume {
    fn start() -> Self {
        Resume {
            byte: 0,
            base: Pos {
                line: 1,
                column: 1,
                offset: 0,
            },
        }
    }
}

/// The first line after `line` that starts a document (`---` alone or followed by a space),
/// where reading resumes after a syntax error.
fn next_document_line(index: &LineIndex, line: u32) -> Option<Resume> {
    let text = index.text();
    let mut l = line.checked_add(1)?;
    while let Some(byte) = index.line_start(l) {
        let rest = text.get(byte..)?;
        if let Some(after) = rest.strip_prefix("---") {
            if after.is_empty() || after.starts_with([' ', '\t', '\n', '\r']) {
                return Some(Resume {
                    byte,
                    base: index.pos_of_byte(byte),
                });
            }
        }
        l = l.checked_add(1)?;
    }
    None
}

/// How one parser's run ended.
enum Outcome {
    /// The stream's end.
    End,
    /// A limit that ends the stream (too many documents).
    Stop,
    /// A syntax error at this position (already recorded).
    SyntaxError(Pos),
}

enum Frame {
    Seq {
        items: Vec<Node>,
        span: Span,
        anchor: usize,
        /// Nodes under this one as if every alias were expanded (this one included).
        size: u64,
    },
    Map {
        entries: Vec<(Spanned<String>, Node)>,
        span: Span,
        anchor: usize,
        size: u64,
        key: Option<Spanned<String>>,
        /// Where in `entries` the plain `<<` keys (YAML 1.1 merges) are.
        merges: Vec<usize>,
    },
}

/// The per-parser state: the node stack of the current document and its budgets.
struct Reader<'i, 'l> {
    index: &'i LineIndex<'i>,
    limits: &'l Limits,
    /// Position of the first character this parser reads, in the whole source.
    base: Pos,
    stack: Vec<Frame>,
    /// Anchored nodes with their expanded sizes.
    anchors: HashMap<usize, (Node, u64)>,
    root: Option<Node>,
    /// Character offset (in the source) where the current document started.
    doc_start: u32,
    alias_nodes: u64,
    /// Set once the current document hit a limit: its remaining events are skipped.
    skipping: bool,
    /// Whether to keep the spans of quoted and block scalars in `scalar_spans` (for
    /// [`TabsAfterColons`]).
    record_scalars: bool,
    scalar_spans: Vec<Span>,
    /// Duplicate keys of the current document (moved to the stream when it is kept).
    duplicates: Vec<DuplicateKey>,
}

impl<'i, 'l> Reader<'i, 'l> {
    fn new(index: &'i LineIndex<'i>, limits: &'l Limits, base: Pos) -> Self {
        Reader {
            index,
            limits,
            base,
            stack: Vec::new(),
            anchors: HashMap::new(),
            root: None,
            doc_start: base.offset,
            alias_nodes: 0,
            skipping: false,
            record_scalars: false,
            scalar_spans: Vec::new(),
            duplicates: Vec::new(),
        }
    }

    /// A parser marker (relative to this parser's start) as a position in the whole source,
    /// from its character index through the line index: saphyr's own line and column count a
    /// lone `\r` as a line break (the renderers do not), and a few of its error markers sit
    /// past the end of the text, so only the index is trusted, clamped to the text.
    fn pos(&self, m: &saphyr_parser::Marker) -> Pos {
        let offset = (self.base.offset as usize).saturating_add(m.index());
        self.index.pos_of_char(offset)
    }

    fn span(&self, s: &saphyr_parser::Span) -> Span {
        Span::new(self.pos(&s.start), self.pos(&s.end))
    }

    /// Drop the current document (a limit was hit) and skip the rest of its events.
    fn abandon(&mut self, stream: &mut Stream, kind: YamlErrorKind, pos: Pos) {
        stream.errors.push(YamlError { kind, pos });
        self.stack.clear();
        self.root = None;
        self.duplicates.clear();
        self.skipping = true;
    }

    fn start_document(&mut self, at: Pos) {
        self.stack.clear();
        self.root = None;
        // An anchor is defined for its own document only (YAML 1.2 §3.2.2.2; go-yaml decodes
        // each document apart, so kubectl reports an alias to another document's anchor).
        self.anchors.clear();
        self.doc_start = at.offset;
        self.alias_nodes = 0;
        self.skipping = false;
        self.duplicates.clear();
    }

    fn end_document(&mut self, stream: &mut Stream) {
        if let Some(r) = self.root.take().filter(|r| !r.is_null()) {
            if !self.skipping {
                stream.documents.push(Document { root: r });
                stream.duplicates.append(&mut self.duplicates);
            }
        }
        self.duplicates.clear();
        self.stack.clear();
    }

    fn read(&mut self, text: &str, stream: &mut Stream) -> Outcome {
        for item in Parser::new_from_str(text) {
            let (event, sp) = match item {
                Ok(ok) => ok,
                Err(e) => {
                    let mut at = self.pos(e.marker());
                    // saphyr marks the start of the plain scalar it was scanning, not the tab
                    // it found after it (often on the next line): point at the tab.
                    if e.info().ends_with("found a tab") {
                        let from = e.marker().index();
                        if let Some(n) = text.chars().skip(from).position(|c| c == '\t') {
                            let offset = (self.base.offset as usize).saturating_add(from + n);
                            at = self.index.pos_of_char(offset);
                        }
                    }
                    // saphyr's scanner stops flow nesting (`[[[`, `{{{`) at 255 levels on its
                    // own, looking ahead of the events that would reach our depth limit.
                    let kind = if e.info() == "recursion limit exceeded" {
                        YamlErrorKind::TooDeep {
                            limit: SAPHYR_FLOW_DEPTH,
                        }
                    } else {
                        YamlErrorKind::Syntax(e.info().to_string())
                    };
                    stream.errors.push(YamlError { kind, pos: at });
                    return Outcome::SyntaxError(at);
                }
            };
            let sp = self.span(&sp);
            if matches!(event, Event::DocumentStart(_)) {
                if stream.documents.len() >= self.limits.max_documents {
                    stream.errors.push(YamlError {
                        kind: YamlErrorKind::TooManyDocuments {
                            limit: self.limits.max_documents,
                        },
                        pos: sp.start,
                    });
                    return Outcome::Stop;
                }
                self.start_document(sp.start);
                continue;
            }
            if matches!(event, Event::DocumentEnd) {
                self.end_document(stream);
                continue;
            }
            if self.skipping {
                continue;
            }
            let length = sp.end.offset.saturating_sub(self.doc_start) as usize;
            if length > self.limits.max_document_chars {
                let limit = self.limits.max_document_chars;
                self.abandon(stream, YamlErrorKind::DocumentTooLarge { limit }, sp.start);
                continue;
            }
            if let Err(kind) = self.event(event, sp) {
                self.abandon(stream, kind, sp.start);
            }
        }
        self.end_document(stream);
        if !self.stack.is_empty() {
            stream.errors.push(YamlError {
                kind: YamlErrorKind::Syntax("unexpected end of input".into()),
                pos: self.index.pos_of_char(usize::MAX),
            });
        }
        Outcome::End
    }

    /// One event of the current document.
    fn event(&mut self, event: Event<'_>, sp: Span) -> Result<(), YamlErrorKind> {
        let finished: (Node, usize, u64) = match event {
            Event::StreamStart
            | Event::StreamEnd
            | Event::Nothing
            | Event::DocumentStart(_)
            | Event::DocumentEnd => return Ok(()),
            Event::Alias(id) => {
                let Some((n, size)) = self.anchors.get(&id) else {
                    return Err(YamlErrorKind::UnknownAnchor);
                };
                self.alias_nodes = self.alias_nodes.saturating_add(*size);
                if self.alias_nodes > self.limits.max_alias_nodes {
                    return Err(YamlErrorKind::TooManyAliasNodes {
                        limit: self.limits.max_alias_nodes,
                    });
                }
                let node = Node {
                    kind: n.kind.clone(),
                    span: sp,
                };
                (node, 0, *size)
            }
            Event::Scalar(text, style, anchor, tag) => {
                // A core-schema tag decides the type as go-yaml does: `!!str 2` is a string,
                // `!!int "5"` the integer 5; other tags leave the style to decide.
                let core = tag.as_ref().filter(|t| t.is_yaml_core_schema());
                let quoted = match core.map(|t| t.suffix.as_str()) {
                    Some("str") => true,
                    Some("int" | "float" | "bool" | "null") => false,
                    _ => !matches!(style, ScalarStyle::Plain),
                };
                let sp = match style {
                    ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                        quoted_span(self.index, sp.start).unwrap_or(sp)
                    }
                    _ => sp,
                };
                if self.record_scalars && !matches!(style, ScalarStyle::Plain) {
                    self.scalar_spans.push(sp);
                }
                let node = Node {
                    kind: NodeKind::Scalar {
                        text: Arc::from(text.as_ref()),
                        quoted,
                    },
                    span: sp,
                };
                (node, anchor, 1)
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if self.stack.len() >= self.limits.max_depth {
                    return Err(YamlErrorKind::TooDeep {
                        limit: self.limits.max_depth,
                    });
                }
                self.stack.push(match event {
                    Event::SequenceStart(..) => Frame::Seq {
                        items: Vec::new(),
                        span: sp,
                        anchor,
                        size: 1,
                    },
                    _ => Frame::Map {
                        entries: Vec::new(),
                        span: sp,
                        anchor,
                        size: 1,
                        key: None,
                        merges: Vec::new(),
                    },
                });
                return Ok(());
            }
            Event::SequenceEnd => match self.stack.pop() {
                Some(Frame::Seq {
                    items,
                    span,
                    anchor,
                    size,
                }) => (
                    Node {
                        kind: NodeKind::Sequence(items.into()),
                        span: span.to(sp),
                    },
                    anchor,
                    size,
                ),
                _ => return Err(unbalanced()),
            },
            Event::MappingEnd => match self.stack.pop() {
                Some(Frame::Map {
                    entries,
                    span,
                    anchor,
                    size,
                    merges,
                    ..
                }) => (
                    {
                        self.find_duplicates(&entries, &merges);
                        Node {
                            kind: NodeKind::Mapping(if merges.is_empty() {
                                entries.into()
                            } else {
                                merge_keys(entries, &merges)?.into()
                            }),
                            span: span.to(sp),
                        }
                    },
                    anchor,
                    size,
                ),
                _ => return Err(unbalanced()),
            },
        };
        let (node, anchor, size) = finished;
        if anchor != 0 {
            // Cheap: a container's children are shared, a scalar's text too.
            self.anchors.insert(anchor, (node.clone(), size));
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq {
                items, size: total, ..
            }) => {
                *total = total.saturating_add(size);
                items.push(node);
            }
            Some(Frame::Map {
                entries,
                key,
                size: total,
                merges,
                ..
            }) => {
                *total = total.saturating_add(size);
                match key.take() {
                    None => {
                        // A key. Complex (non-scalar) keys are kept as their text form.
                        let k = match &node.kind {
                            NodeKind::Scalar { text, quoted } => {
                                if !*quoted && &**text == "<<" {
                                    merges.push(entries.len());
                                }
                                text.to_string()
                            }
                            _ => String::from(COMPLEX_KEY),
                        };
                        *key = Some(Spanned::new(k, node.span));
                    }
                    Some(k) => entries.push((k, node)),
                }
            }
        }
        Ok(())
    }
}

impl Reader<'_, '_> {
    /// Record the keys written twice among a mapping's own entries (`<<` merges excluded: a
    /// merged key that the mapping overrides is what a merge is for).
    fn find_duplicates(&mut self, entries: &[(Spanned<String>, Node)], merges: &[usize]) {
        // Most mappings are small and repeat no key: a pairwise look, which allocates
        // nothing, settles those (the map below cost about 7 % of a whole `check`).
        let key = |i: usize| {
            entries
                .get(i)
                .map(|(k, _)| k.value.as_str())
                .filter(|k| *k != COMPLEX_KEY && merges.binary_search(&i).is_err())
        };
        let n = entries.len();
        if n < 2
            || (n <= SMALL_MAPPING
                && !(0..n).any(|i| key(i).is_some_and(|k| (i + 1..n).any(|j| key(j) == Some(k)))))
        {
            return;
        }
        // Per key: (first index, last index, count), reported once per key and mapping.
        let mut seen: HashMap<&str, (usize, usize, usize)> = HashMap::with_capacity(entries.len());
        let mut order: Vec<&str> = Vec::new();
        for (i, (key, _)) in entries.iter().enumerate() {
            if merges.binary_search(&i).is_ok() || key.value == COMPLEX_KEY {
                continue;
            }
            let e = seen.entry(key.value.as_str()).or_insert((i, i, 0));
            e.1 = i;
            e.2 += 1;
            if e.2 == 2 {
                order.push(key.value.as_str());
            }
        }
        for key in order {
            let Some(&(j, i, count)) = seen.get(key) else {
                continue;
            };
            let (Some((first_key, first_value)), Some((last_key, last_value))) =
                (entries.get(j), entries.get(i))
            else {
                continue;
            };
            let values = match (&first_value.kind, &last_value.kind) {
                (NodeKind::Scalar { text: a, .. }, NodeKind::Scalar { text: b, .. }) => {
                    Some((a.clone(), b.clone()))
                }
                _ => None,
            };
            let next = entries.get(j + 1).map(|(k, _)| k.span.start);
            self.duplicates.push(DuplicateKey {
                key: key.to_string(),
                count,
                first: first_key.span,
                again: last_key.span,
                values,
                first_lines: next
                    .filter(|_| count == 2)
                    .and_then(|n| entry_lines(self.index, first_key, first_value, n)),
            });
        }
    }
}

/// Mappings up to this many entries are checked for a repeated key pair by pair.
const SMALL_MAPPING: usize = 16;

/// The text a complex (non-scalar) key is kept as.
const COMPLEX_KEY: &str = "<complex key>";

/// The whole lines an entry takes when it is written in block style: the key first on its
/// line, the entry after it (`next`) starting on a later line. A scalar value ends on its own
/// last line; a nested value runs to the line before `next`, less trailing blank and comment
/// lines (they belong to what follows). `None` for flow style or a key after `- `.
fn entry_lines(index: &LineIndex, key: &Spanned<String>, value: &Node, next: Pos) -> Option<Span> {
    let text = index.text();
    let line_text = |line: u32| -> &str {
        let start = index.line_start(line).unwrap_or(text.len());
        let end = index
            .line_start(line.saturating_add(1))
            .unwrap_or(text.len());
        text.get(start..end).unwrap_or("")
    };
    let first = key.span.start.line;
    let before_key = line_text(first)
        .chars()
        .take(usize::try_from(key.span.start.column.saturating_sub(1)).ok()?)
        .all(|c| c == ' ');
    if !before_key || next.line <= first {
        return None;
    }
    let plain_or_quoted = matches!(&value.kind, NodeKind::Scalar { text, .. } if !text.is_empty())
        && value.span.start.line == first
        && !matches!(text_at(index, value.span.start), Some('|' | '>'));
    let mut last = if plain_or_quoted {
        value.span.end.line
    } else {
        next.line.saturating_sub(1)
    };
    while last > first {
        let t = line_text(last).trim();
        if t.is_empty() || t.starts_with('#') {
            last -= 1;
        } else {
            break;
        }
    }
    if last >= next.line {
        return None;
    }
    let start = index.pos_of_byte(index.line_start(first)?);
    let end = index.pos_of_byte(
        index
            .line_start(last.saturating_add(1))
            .unwrap_or(text.len()),
    );
    Some(Span::new(start, end))
}

/// The character at `pos`, if any.
fn text_at(index: &LineIndex, pos: Pos) -> Option<char> {
    let byte = index.byte_of_char(pos.offset as usize)?;
    index.text().get(byte..)?.chars().next()
}

/// A mapping's entries with its `<<` entries (at `merges`) replaced by the entries they merge,
/// as go-yaml v2 reads them for kubectl (`decode.go`, `merge`): the merged mapping's entries
/// stand where `<<` was, so a key written after it wins (lookups take the last entry) and one
/// written before it is overridden; of a sequence of mappings the earlier ones win. A merge of
/// anything else is go-yaml's error.
fn merge_keys(
    entries: Vec<(Spanned<String>, Node)>,
    merges: &[usize],
) -> Result<Vec<(Spanned<String>, Node)>, YamlErrorKind> {
    let mut out = Vec::with_capacity(entries.len());
    for (i, (k, v)) in entries.into_iter().enumerate() {
        if merges.binary_search(&i).is_err() {
            out.push((k, v));
            continue;
        }
        match &v.kind {
            NodeKind::Mapping(m) => out.extend(m.iter().cloned()),
            NodeKind::Sequence(items) => {
                for item in items.iter().rev() {
                    match &item.kind {
                        NodeKind::Mapping(m) => out.extend(m.iter().cloned()),
                        _ => return Err(merge_needs_maps()),
                    }
                }
            }
            NodeKind::Scalar { .. } => return Err(merge_needs_maps()),
        }
    }
    Ok(out)
}

fn merge_needs_maps() -> YamlErrorKind {
    YamlErrorKind::Syntax(
        "map merge requires map or sequence of maps as the value (go-yaml, which kubectl uses)"
            .into(),
    )
}

/// The exact span of a quoted scalar starting at `start` (its opening quote): from the quote
/// to just after the closing quote. The parser's own end marker for quoted scalars runs on to
/// the next token (over trailing comments), which would make carets and fixes cover too much.
/// Costs the scalar's length (the byte offset comes from the index, not a scan).
fn quoted_span(index: &LineIndex, start: Pos) -> Option<Span> {
    let byte = index.byte_of_char(start.offset as usize)?;
    let rest = index.text().get(byte..)?;
    let mut chars = rest.chars();
    let quote = chars.next()?;
    if quote != '"' && quote != '\'' {
        return None;
    }
    let mut end = start;
    let advance = |c: char, p: &mut Pos| {
        p.offset = p.offset.saturating_add(1);
        if c == '\n' {
            p.line = p.line.saturating_add(1);
            p.column = 1;
        } else {
            p.column = p.column.saturating_add(1);
        }
    };
    advance(quote, &mut end);
    let mut escaped = false;
    while let Some(c) = chars.next() {
        advance(c, &mut end);
        if quote == '"' {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                return Some(Span::new(start, end));
            }
        } else if c == '\'' {
            // `''` is an escaped quote inside a single-quoted scalar.
            if chars.clone().next() == Some('\'') {
                chars.next();
                advance('\'', &mut end);
            } else {
                return Some(Span::new(start, end));
            }
        }
    }
    None
}

fn unbalanced() -> YamlErrorKind {
    YamlErrorKind::Syntax("unbalanced YAML structure".into())
}

impl Node {
    /// The value under `key` when this node is a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The key (with its span) and value under `key` when this node is a mapping.
    pub fn entry(&self, key: &str) -> Option<(&Spanned<String>, &Node)> {
        match &self.kind {
            NodeKind::Mapping(entries) => entries
                .iter()
                .rev() // YAML forbids duplicates; if present, the last one wins, as in Go's yaml.
                .find(|(k, _)| k.value == key)
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    /// Follow a path of mapping keys.
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        let mut n = self;
        for k in keys {
            n = n.get(k)?;
        }
        Some(n)
    }

    /// The scalar text, if this is a scalar.
    pub fn as_scalar(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// The scalar text if this is a scalar that is not YAML null (`~`, `null`, empty plain).
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar { text, quoted } => {
                if !quoted && is_null(text) {
                    None
                } else {
                    Some(text)
                }
            }
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar { text, quoted: false } if is_null(text))
    }

    pub fn as_mapping(&self) -> Option<&[(Spanned<String>, Node)]> {
        match &self.kind {
            NodeKind::Mapping(e) => Some(e),
            _ => None,
        }
    }

    pub fn as_sequence(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Sequence(s) => Some(s),
            _ => None,
        }
    }

    /// A short name of the node's type, for messages ("a mapping", "a string", ...).
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            NodeKind::Scalar { quoted: true, .. } => "a string",
            NodeKind::Scalar { text, .. } if is_null(text) => "null",
            NodeKind::Scalar { text, .. } if text.parse::<f64>().is_ok() => "a number",
            NodeKind::Scalar { text, .. } if matches!(&**text, "true" | "false") => "a boolean",
            NodeKind::Scalar { .. } => "a string",
            NodeKind::Sequence(_) => "a list",
            NodeKind::Mapping(_) => "a mapping",
        }
    }
}

fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

rule_doc! {
    /// The input is not valid YAML.
    ///
    /// # What it does
    /// Reports input that is not valid YAML, at the scanner's position. Nothing after the error can be
    /// read.
    ///
    /// # Why is this bad
    /// Neither `kubectl apply` nor Scalelens can read the file: no autoscaler is checked or replayed.
    ///
    /// # Example
    /// ```text
    /// metadata:
    ///   name: [llama
    /// spec: {}
    /// ```
    ///
    /// # Fix
    /// Correct the syntax at the position shown (indentation, unclosed brackets or quotes, tabs).
    ///
    /// # References
    /// - YAML 1.2 specification (yaml.org/spec/1.2.2), as read by `saphyr-parser`.
    pub(crate) const YAML_SYNTAX;
}

rule_doc! {
    /// A YAML document goes past one of the reader's bounds.
    ///
    /// # What it does
    /// Reports a YAML document that goes past one of the reader's bounds: nesting deeper than 128
    /// levels, aliases standing for more than 400 000 nodes, a document longer than 3 MiB, or more
    /// than 1 000 000 documents. The message names the bound; the document is not read, the others
    /// are.
    ///
    /// # Why is this bad
    /// No real manifest reaches these bounds: such input is an alias bomb ("billion laughs"), a
    /// generated file gone wrong, or not a manifest at all. Reading it whole would take the
    /// memory and time of the machine (or the browser tab) checking it.
    ///
    /// # Example
    /// ```text
    /// a: &a [x, x, x, x, x, x, x, x, x]
    /// b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
    /// c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
    /// # ... nine levels: 9^9 nodes from 500 bytes
    /// ```
    ///
    /// # Fix
    /// Check the file is the manifest you meant; write the repeated parts out, or render the
    /// generator's output (`helm template`, `kustomize build`) and check that.
    ///
    /// # References
    /// - go-yaml v3 `decode.go` (`allowedAliasRatio`: at most 400 000 alias-driven decodes); the
    ///   Kubernetes API server's request body limit (3 MiB); Scalelens `core/src/yaml.rs` (`Limits`).
    pub(crate) const YAML_LIMIT;
}

rule_doc! {
    /// A mapping sets the same key twice.
    ///
    /// # What it does
    /// Reports a key written a second time in the same mapping, at the second one, naming the
    /// line of the first and both values. Scalelens reads the second, as `kubectl apply -f` does.
    /// Keys brought in by a `<<` merge are not duplicates: overriding them is what a merge is for.
    ///
    /// # Why is this bad
    /// YAML requires the keys of a mapping to be unique, but `kubectl apply -f` converts the file
    /// with a lenient reader that keeps the last value and drops the first without a word: the
    /// cluster runs with a setting you may think you changed back. Strict readers (kustomize,
    /// go-yaml v3, yamllint, kubeconform `-strict`) refuse the same file, so it applies one way by
    /// hand and fails in CI.
    ///
    /// # Example
    /// ```text
    /// spec:
    ///   minReplicas: 1
    ///   maxReplicas: 10
    ///   maxReplicas: 3    # the HPA scales to 3, not 10
    /// ```
    ///
    /// # Fix
    /// Delete the line you did not mean (the quick fix deletes the first, which is the one the
    /// cluster ignores), so the file says once what the cluster does.
    ///
    /// # References
    /// - YAML 1.2.2 §3.2.1.1 (mapping keys are unique); sigs.k8s.io/yaml `YAMLToJSON` (go-yaml v2,
    ///   later value wins) as used by kubectl v1.34; go-yaml v3 `decode.go` ("mapping key %q
    ///   already defined at line %d"), used by kustomize; kubernetes/kubernetes issue 99286.
    pub(crate) const DUPLICATE_KEY;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_one_based_lines_and_columns() {
        let docs = parse_documents("a: 1\nb:\n  c: \"x\"\n").unwrap();
        let root = &docs[0].root;
        let c = root.path(&["b", "c"]).unwrap();
        assert_eq!(c.as_str(), Some("x"));
        assert_eq!((c.span.start.line, c.span.start.column), (3, 6));
        let (key, _) = root.entry("b").unwrap();
        assert_eq!((key.span.start.line, key.span.start.column), (2, 1));
    }

    #[test]
    fn multi_document_and_empty_documents() {
        let docs = parse_documents("---\na: 1\n---\n---\nb: 2\n").unwrap();
        assert_eq!(docs.len(), 2);
        assert!(docs[1].root.get("b").is_some());
    }

    #[test]
    fn syntax_error_has_position() {
        let err = parse_documents("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(err.pos.line >= 1, "{err:?}");
    }

    #[test]
    fn a_tab_is_reported_where_it_is() {
        // The scalar `1` is on line 2; the tab saphyr finds while scanning it starts line 3.
        let err = parse_documents("spec:\n  minReplicas: 1\n\tmaxReplicas: 5\n").unwrap_err();
        assert!(err.to_string().contains("found a tab"), "{err}");
        assert_eq!((err.pos.line, err.pos.column), (3, 1), "{err:?}");
    }

    #[test]
    fn a_tab_after_a_colon_is_a_space_as_in_kubectl() {
        // (source, key, value it reads, its line and column): go-yaml skips tabs after a
        // simple key's `:`; saphyr 0.3.4 rejects them before a letter or `-`.
        let cases = [
            ("name:\tweb\n", "name", "web", (1, 7)),
            ("a: 1\nkind:\t\tDeployment\n", "kind", "Deployment", (2, 8)),
            ("n:\t-1\n", "n", "-1", (1, 4)),
            ("q: \"x:\ty\"\nk:\tv\n", "q", "x:\ty", (1, 4)),
            ("---\nx: ]\n---\nk:\tv\n", "k", "v", (4, 4)),
        ];
        for (src, key, value, (line, column)) in cases {
            let stream = parse_stream(&LineIndex::new(src), &Limits::default());
            let doc = stream.documents.last().unwrap_or_else(|| panic!("{src:?}"));
            let node = doc.root.get(key).unwrap_or_else(|| panic!("{src:?}"));
            assert_eq!(node.as_str(), Some(value), "{src:?}");
            assert_eq!(
                (node.span.start.line, node.span.start.column),
                (line, column)
            );
            let syntax = stream.errors.iter().filter(|e| !e.is_limit()).count();
            assert_eq!(
                syntax,
                usize::from(src.contains(']')),
                "{src:?} {:?}",
                stream.errors
            );
        }
        // Inside a block scalar such a tab is text, and stays.
        let docs = parse_documents("b: |\n  p:\tq\nk:\tv\n").unwrap();
        assert_eq!(
            docs[0].root.get("b").and_then(Node::as_str),
            Some("p:\tq\n")
        );
        assert_eq!(docs[0].root.get("k").and_then(Node::as_str), Some("v"));
        // Every line of a large document so written reads (the file is read twice, not once
        // per tab).
        let many: String = (0..20_000).map(|i| format!("k{i}:\tv{i}\n")).collect();
        let stream = parse_stream(&LineIndex::new(&many), &Limits::default());
        assert!(stream.errors.is_empty(), "{:?}", stream.errors.first());
        let root = &stream.documents[0].root;
        assert_eq!(root.get("k19999").and_then(Node::as_str), Some("v19999"));
    }

    #[test]
    fn merge_keys_merge_as_in_kubectl() {
        // (source, key looked up in the last document, the value kubectl's go-yaml v2 reads)
        let base = "b: &b {x: 1, y: 2}\nc: &c {x: 3, z: 4}\n---\n";
        let cases = [
            ("m:\n  <<: *b\n  y: 9\n", "y", Some("9")),
            ("m:\n  <<: *b\n  y: 9\n", "x", Some("1")),
            ("m:\n  y: 9\n  <<: *b\n", "y", Some("2")),
            ("m:\n  <<: [*b, *c]\n", "x", Some("1")),
            ("m:\n  <<: [*b, *c]\n", "z", Some("4")),
            ("m:\n  <<: {x: 5}\n", "x", Some("5")),
            ("m:\n  \"<<\": {x: 5}\n", "x", None),
            ("m:\n  \"<<\": {x: 5}\n", "<<", Some("")),
        ];
        for (doc, key, want) in cases {
            // The anchors are in the same document (they do not cross documents).
            let src = format!("{}{}", base.trim_end_matches("---\n"), doc);
            let docs = parse_documents(&src).unwrap_or_else(|e| panic!("{src}: {e}"));
            let m = docs[0].root.get("m").unwrap();
            let got = m.get(key).map(|n| n.as_str().unwrap_or(""));
            assert_eq!(got, want, "{src} [{key}]");
            assert!(m.get("<<").is_none() || doc.contains('"'), "{src}");
        }
        let err = parse_documents("a: &a 1\nm:\n  <<: *a\n").unwrap_err();
        assert!(err.to_string().contains("map merge requires"), "{err}");
        // Anchors do not cross documents.
        let err = parse_documents("a: &a {x: 1}\n---\nm:\n  <<: *a\n").unwrap_err();
        assert_eq!(err.kind, YamlErrorKind::UnknownAnchor, "{err}");
    }

    #[test]
    fn a_key_written_twice_is_recorded_and_the_later_one_read() {
        // (source, key, first key line:col, later key line:col, values, deletable lines)
        type Case = (
            &'static str,
            &'static str,
            (u32, u32),
            (u32, u32),
            Option<(&'static str, &'static str)>,
            Option<(u32, u32)>,
        );
        let cases: &[Case] = &[
            (
                "spec:\n  maxReplicas: 10\n  minReplicas: 1\n  maxReplicas: 3\n",
                "maxReplicas",
                (2, 3),
                (4, 3),
                Some(("10", "3")),
                Some((2, 3)),
            ),
            // A nested value takes its lines, less the comment that introduces the next key.
            (
                "spec:\n  behavior:\n    scaleUp:\n      x: 1\n\n  # later\n  behavior: {}\n",
                "behavior",
                (2, 3),
                (7, 3),
                None,
                Some((2, 5)),
            ),
            // Flow style and a key after `- `: no line of its own to delete.
            (
                "a: {x: 1, x: 2}\n",
                "x",
                (1, 5),
                (1, 11),
                Some(("1", "2")),
                None,
            ),
            (
                "- x: 1\n  y: 2\n  x: 3\n",
                "x",
                (1, 3),
                (3, 3),
                Some(("1", "3")),
                None,
            ),
            // A quoted scalar value.
            (
                "k: \"a\"\nk: 'b'\n",
                "k",
                (1, 1),
                (2, 1),
                Some(("a", "b")),
                Some((1, 2)),
            ),
        ];
        for (src, key, first, again, values, lines) in cases {
            let index = LineIndex::new(src);
            let stream = parse_stream(&index, &Limits::default());
            assert!(stream.errors.is_empty(), "{src}: {:?}", stream.errors);
            let [d] = stream.duplicates.as_slice() else {
                panic!("{src}: {:?}", stream.duplicates);
            };
            assert_eq!(d.key, *key, "{src}");
            assert_eq!((d.first.start.line, d.first.start.column), *first, "{src}");
            assert_eq!((d.again.start.line, d.again.start.column), *again, "{src}");
            let got = d.values.as_ref().map(|(a, b)| (&**a, &**b));
            assert_eq!(got, *values, "{src}");
            let got = d.first_lines.map(|s| (s.start.line, s.end.line));
            assert_eq!(got, *lines, "{src}");
            if let Some(s) = d.first_lines {
                assert_eq!((s.start.column, s.end.column), (1, 1), "{src}");
            }
        }
        // The later value is the one read; merged keys that are overridden are no duplicate;
        // an alias to a mapping with a duplicate reports it once; a dropped document none.
        let docs = parse_documents("a: 1\na: 2\n").unwrap();
        assert_eq!(docs[0].root.get("a").and_then(Node::as_scalar), Some("2"));
        for (src, count) in [
            ("b: &b {x: 1}\nm:\n  <<: *b\n  x: 2\n", 0),
            ("b: &b {x: 1, x: 2}\nm: *b\nn: *b\n", 1),
            ("a: 1\na: 2\nb: [\n", 0),
            ("a: 1\na: 2\n---\nb: 1\nb: 1\n", 2),
            // One report per key and mapping, however often it is written.
            ("a: 1\na: 2\na: 3\nb: 1\na: 4\nb: 2\n", 2),
        ] {
            let stream = parse_stream(&LineIndex::new(src), &Limits::default());
            assert_eq!(
                stream.duplicates.len(),
                count,
                "{src}: {:?}",
                stream.duplicates
            );
        }
        let stream = parse_stream(&LineIndex::new("a: 1\na: 2\na: 3\n"), &Limits::default());
        let [d] = stream.duplicates.as_slice() else {
            panic!("{:?}", stream.duplicates);
        };
        let values = d.values.as_ref().map(|(a, b)| (&**a, &**b));
        assert_eq!((d.count, d.first.start.line, d.again.start.line), (3, 1, 3));
        assert_eq!((values, d.first_lines), (Some(("1", "3")), None));
    }

    #[test]
    fn core_schema_tags_decide_the_type() {
        let docs =
            parse_documents("a: !!int \"5\"\nb: !!str 2\nc: !!float '1.5'\nd: !x 3\n").unwrap();
        let r = &docs[0].root;
        let quoted = |k: &str| match &r.get(k).unwrap().kind {
            NodeKind::Scalar { text, quoted } => (text.to_string(), *quoted),
            _ => panic!("{k}"),
        };
        assert_eq!(quoted("a"), ("5".into(), false));
        assert_eq!(quoted("b"), ("2".into(), true));
        assert_eq!(quoted("c"), ("1.5".into(), false));
        assert_eq!(quoted("d"), ("3".into(), false));
    }

    #[test]
    fn quoted_scalars_are_strings() {
        let docs = parse_documents("a: \"1\"\nb: 1\nc: ~\n").unwrap();
        let r = &docs[0].root;
        assert_eq!(r.get("a").unwrap().type_name(), "a string");
        assert_eq!(r.get("b").unwrap().type_name(), "a number");
        assert!(r.get("c").unwrap().is_null());
    }

    #[test]
    fn quoted_scalar_spans_stop_at_the_closing_quote() {
        let src = "a: \"2\" # comment\nb: 'it''s' # c\nc: \"x\\\"y\"\n";
        let docs = parse_documents(src).unwrap();
        let r = &docs[0].root;
        let a = r.get("a").unwrap().span;
        assert_eq!((a.start.column, a.end.column, a.end.line), (4, 7, 1));
        let b = r.get("b").unwrap();
        assert_eq!(b.as_str(), Some("it's"));
        assert_eq!((b.span.start.column, b.span.end.column), (4, 11));
        let c = r.get("c").unwrap();
        assert_eq!(c.as_str(), Some("x\"y"));
        assert_eq!((c.span.start.column, c.span.end.column), (4, 10));
    }

    /// `levels` levels of anchors, each alias used `fan` times: `fan^levels` nodes expanded.
    fn laughs(levels: usize, fan: usize) -> String {
        let mut s = format!("l0: &l0 [{}]\n", vec!["x"; fan].join(", "));
        for i in 1..=levels {
            s += &format!(
                "l{i}: &l{i} [{}]\n",
                vec![format!("*l{}", i - 1); fan].join(", ")
            );
        }
        s
    }

    fn errors(src: &str) -> Vec<(YamlErrorKind, u32, u32)> {
        parse_stream(&LineIndex::new(src), &Limits::default())
            .errors
            .into_iter()
            .map(|e| (e.kind, e.pos.line, e.pos.column))
            .collect()
    }

    #[test]
    fn limits_are_diagnosed_where_they_are_hit_and_other_documents_still_read() {
        let limits = Limits::default();
        let deep_block = format!("{}x\n", "- ".repeat(limits.max_depth + 1));
        let deep_flow = format!("{}{}\n", "[".repeat(200), "]".repeat(200));
        let deeper_flow = format!("{}{}\n", "[".repeat(300), "]".repeat(300));
        let big = format!("k: \"{}\"\n", "x".repeat(limits.max_document_chars));
        let cases: Vec<(&str, String, YamlErrorKind, (u32, u32))> = vec![
            (
                "billion laughs: the alias that crosses the budget",
                laughs(9, 9),
                YamlErrorKind::TooManyAliasNodes { limit: 400_000 },
                // Levels 1-4 stand for 74 718 nodes, each `*l4` for 66 430 more: the fifth
                // `*l4` crosses 400 000.
                (6, 30),
            ),
            (
                "block nesting",
                deep_block,
                YamlErrorKind::TooDeep { limit: 128 },
                (1, 257),
            ),
            (
                "flow nesting (before saphyr's own 255)",
                deep_flow,
                YamlErrorKind::TooDeep { limit: 128 },
                (1, 129),
            ),
            (
                "flow nesting past saphyr's 255 (its scanner looks ahead of our events)",
                deeper_flow,
                YamlErrorKind::TooDeep { limit: 255 },
                (1, 256),
            ),
            (
                "a document over 3 MiB",
                big,
                YamlErrorKind::DocumentTooLarge {
                    limit: 3 * 1024 * 1024,
                },
                (1, 4),
            ),
        ];
        for (name, doc, kind, at) in cases {
            let src = format!("a: 1\n---\n{doc}---\nb: 2\n");
            let stream = parse_stream(&LineIndex::new(&src), &Limits::default());
            let got: Vec<_> = stream
                .errors
                .iter()
                .map(|e| (e.kind.clone(), e.pos.line - 2, e.pos.column))
                .collect();
            assert_eq!(got, vec![(kind, at.0, at.1)], "{name}");
            let roots: Vec<_> = stream.documents.iter().map(|d| &d.root).collect();
            assert_eq!(roots.len(), 2, "{name}: the documents around it are read");
            assert!(
                roots[0].get("a").is_some() && roots[1].get("b").is_some(),
                "{name}"
            );
        }
    }

    #[test]
    fn aliases_share_their_anchor_and_count_as_expanded() {
        // Four levels: aliases stand for 74 718 nodes, within the budget, and cheap.
        let docs = parse_documents(&laughs(4, 9)).unwrap();
        let l5 = docs[0].root.get("l4").unwrap().as_sequence().unwrap();
        let (a, b) = (&l5[0], &l5[1]);
        match (&a.kind, &b.kind) {
            (NodeKind::Sequence(x), NodeKind::Sequence(y)) => assert!(Arc::ptr_eq(x, y)),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            errors(&laughs(5, 9)).len(),
            1,
            "five levels are over 400 000"
        );
    }

    #[test]
    fn too_many_documents_stop_the_stream_with_the_documents_before_kept() {
        let src = "a: 1\n---\nb: 2\n---\nc: 3\n";
        let limits = Limits {
            max_documents: 2,
            ..Limits::default()
        };
        let stream = parse_stream(&LineIndex::new(src), &limits);
        assert_eq!(stream.documents.len(), 2);
        assert_eq!(
            stream
                .errors
                .iter()
                .map(|e| (&e.kind, e.pos.line))
                .collect::<Vec<_>>(),
            vec![(&YamlErrorKind::TooManyDocuments { limit: 2 }, 4)]
        );
    }

    #[test]
    fn a_syntax_error_drops_its_document_only() {
        let src = "a: 1\n---\nb: [1, 2\nc: 3\n---\nd: 4\n";
        let stream = parse_stream(&LineIndex::new(src), &Limits::default());
        let keys: Vec<_> = stream
            .documents
            .iter()
            .filter_map(|d| {
                d.root
                    .as_mapping()
                    .and_then(|m| m.first())
                    .map(|e| e.0.value.clone())
            })
            .collect();
        assert_eq!(keys, ["a", "d"]);
        assert_eq!(stream.errors.len(), 1);
        assert!(matches!(stream.errors[0].kind, YamlErrorKind::Syntax(_)));
        // Positions after the resumption are in the whole source.
        let d = stream.documents[1].root.get("d").unwrap();
        assert_eq!((d.span.start.line, d.span.start.column), (6, 4));
        assert_eq!(d.span.start.offset as usize, src.find('4').unwrap());
    }

    #[test]
    fn quoted_spans_after_non_ascii_text() {
        let src = "# é ü\nk: \"v\" # c\nj: 'w'\n";
        let docs = parse_documents(src).unwrap();
        let k = docs[0].root.get("k").unwrap().span;
        assert_eq!((k.start.line, k.start.column, k.end.column), (2, 4, 7));
        let j = docs[0].root.get("j").unwrap().span;
        assert_eq!((j.start.line, j.start.column, j.end.column), (3, 4, 7));
    }

    #[test]
    fn aliases_resolve() {
        let docs = parse_documents("a: &x {k: 1}\nb: *x\n").unwrap();
        assert_eq!(docs[0].root.path(&["b", "k"]).unwrap().as_str(), Some("1"));
    }
}
