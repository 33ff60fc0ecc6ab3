//! A YAML document tree where every node keeps its source span.
//!
//! Built on the `saphyr-parser` event stream (YAML 1.2, pure Rust, builds for wasm32), because
//! serde-based YAML crates throw positions away once a value is deserialized, and every
//! diagnostic Scalelens emits must point at `line:column` in the user's file.
//!
//! **Invariant:** parsing never panics. Syntax errors come back as [`YamlError`] with the position
//! the scanner reported.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle};

use crate::span::{Pos, Span, Spanned};

/// One YAML node.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// A scalar as written. `quoted` is true for `'...'`, `"..."` and block scalars: such a
    /// scalar is always a string, whatever it looks like.
    Scalar {
        text: String,
        quoted: bool,
    },
    Sequence(Vec<Node>),
    Mapping(Vec<(Spanned<String>, Node)>),
}

/// A syntax error with its position.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct YamlError {
    pub message: String,
    pub pos: Pos,
}

/// One `---`-separated document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub root: Node,
}

fn pos(m: &saphyr_parser::Marker) -> Pos {
    // saphyr markers: line is 1-based, col 0-based, index in characters.
    Pos {
        line: m.line() as u32,
        column: m.col() as u32 + 1,
        offset: m.index() as u32,
    }
}

fn span(s: &saphyr_parser::Span) -> Span {
    Span::new(pos(&s.start), pos(&s.end))
}

enum Frame {
    Seq(Vec<Node>, Span, usize),
    Map(
        Vec<(Spanned<String>, Node)>,
        Span,
        usize,
        Option<Spanned<String>>,
    ),
}

/// Parse a multi-document YAML stream. Empty documents are skipped.
pub fn parse_documents(source: &str) -> Result<Vec<Document>, YamlError> {
    let mut docs = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let mut root: Option<Node> = None;
    let mut last_pos = Pos {
        line: 1,
        column: 1,
        offset: 0,
    };

    for item in Parser::new_from_str(source) {
        let (event, sp) = item.map_err(|e| YamlError {
            message: e.info().to_string(),
            pos: pos(e.marker()),
        })?;
        let sp = span(&sp);
        last_pos = sp.end;
        let finished: Option<(Node, usize)> = match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => None,
            Event::DocumentStart(_) => {
                root = None;
                None
            }
            Event::DocumentEnd => {
                if let Some(r) = root.take().filter(|r| !r.is_null()) {
                    docs.push(Document { root: r });
                }
                None
            }
            Event::Alias(id) => match anchors.get(&id) {
                Some(n) => Some((
                    Node {
                        kind: n.kind.clone(),
                        span: sp,
                    },
                    0,
                )),
                None => {
                    return Err(YamlError {
                        message: "alias refers to an unknown anchor".into(),
                        pos: sp.start,
                    })
                }
            },
            Event::Scalar(text, style, anchor, _tag) => Some((
                Node {
                    kind: NodeKind::Scalar {
                        text: text.into_owned(),
                        quoted: !matches!(style, ScalarStyle::Plain),
                    },
                    span: sp,
                },
                anchor,
            )),
            Event::SequenceStart(anchor, _) => {
                stack.push(Frame::Seq(Vec::new(), sp, anchor));
                None
            }
            Event::MappingStart(anchor, _) => {
                stack.push(Frame::Map(Vec::new(), sp, anchor, None));
                None
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq(items, start, anchor)) => Some((
                    Node {
                        kind: NodeKind::Sequence(items),
                        span: start.to(sp),
                    },
                    anchor,
                )),
                _ => return Err(internal(sp.start)),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map(entries, start, anchor, _)) => Some((
                    Node {
                        kind: NodeKind::Mapping(entries),
                        span: start.to(sp),
                    },
                    anchor,
                )),
                _ => return Err(internal(sp.start)),
            },
        };
        if let Some((node, anchor)) = finished {
            if anchor != 0 {
                anchors.insert(anchor, node.clone());
            }
            match stack.last_mut() {
                None => root = Some(node),
                Some(Frame::Seq(items, ..)) => items.push(node),
                Some(Frame::Map(entries, _, _, pending)) => match pending.take() {
                    None => {
                        // A key. Complex (non-scalar) keys are kept as their text form.
                        let key = match &node.kind {
                            NodeKind::Scalar { text, .. } => text.clone(),
                            _ => String::from("<complex key>"),
                        };
                        *pending = Some(Spanned::new(key, node.span));
                    }
                    Some(key) => entries.push((key, node)),
                },
            }
        }
    }
    if let Some(r) = root.take().filter(|r| !r.is_null()) {
        docs.push(Document { root: r });
    }
    if !stack.is_empty() {
        return Err(YamlError {
            message: "unexpected end of input".into(),
            pos: last_pos,
        });
    }
    Ok(docs)
}

fn internal(pos: Pos) -> YamlError {
    YamlError {
        message: "unbalanced YAML structure".into(),
        pos,
    }
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
            NodeKind::Scalar { text, .. } if matches!(text.as_str(), "true" | "false") => {
                "a boolean"
            }
            NodeKind::Scalar { .. } => "a string",
            NodeKind::Sequence(_) => "a list",
            NodeKind::Mapping(_) => "a mapping",
        }
    }
}

fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
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
    fn quoted_scalars_are_strings() {
        let docs = parse_documents("a: \"1\"\nb: 1\nc: ~\n").unwrap();
        let r = &docs[0].root;
        assert_eq!(r.get("a").unwrap().type_name(), "a string");
        assert_eq!(r.get("b").unwrap().type_name(), "a number");
        assert!(r.get("c").unwrap().is_null());
    }

    #[test]
    fn aliases_resolve() {
        let docs = parse_documents("a: &x {k: 1}\nb: *x\n").unwrap();
        assert_eq!(docs[0].root.path(&["b", "k"]).unwrap().as_str(), Some("1"));
    }
}
