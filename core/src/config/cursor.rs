//! A reader's position in the spanned YAML tree: a node and its YAML path
//! (`spec.metrics[0].resource`). Readers step down with [`Cursor::field`] and read typed values
//! with the getters, which build each child's path themselves and delegate to the
//! [`read`] helpers (so diagnostics, spans and paths are theirs).
//!
//! ```text
//! let spec = root.required(cx, "spec", doc.kind.span, "")?;
//! let meta = spec.field(cx, "template")?.field(cx, "metadata")?;
//! let min = spec.u32_in(cx, "minReplicas", 0, i64::from(i32::MAX));
//! ```

use crate::codes::Code;
use crate::config::read::{self, Cx};
use crate::model::Millis;
use crate::quantity::Quantity;
use crate::span::{Param, Span, Spanned};
use crate::yaml::Node;

/// A node and the YAML path it was reached by (empty at a document's root).
#[derive(Debug, Clone)]
pub struct Cursor<'n> {
    pub node: &'n Node,
    pub path: String,
}

impl<'n> Cursor<'n> {
    /// A document's root (paths below it start with the key: `spec`).
    pub fn root(node: &'n Node) -> Self {
        Cursor::new(node, "")
    }

    /// `node`, reached by `path`.
    pub fn new(node: &'n Node, path: impl Into<String>) -> Self {
        Cursor {
            node,
            path: path.into(),
        }
    }

    /// The path of `key` under this node (`spec.minReplicas`).
    pub fn at(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The cursor of `child` reached through `key` (no type check).
    fn child(&self, key: &str, child: &'n Node) -> Cursor<'n> {
        Cursor::new(child, self.at(key))
    }

    /// `key: value`, a null value being absent ([`read::entry`]).
    pub fn entry(&self, key: &str) -> Option<(&'n Spanned<String>, &'n Node)> {
        read::entry(self.node, key)
    }

    /// Whether `key` is written (with a non-null value).
    pub fn has(&self, key: &str) -> bool {
        self.entry(key).is_some()
    }

    /// The span of `key`'s key, or `fallback` when it is not written ([`read::key_span`]).
    pub fn key_span(&self, key: &str, fallback: Span) -> Span {
        read::key_span(self.node, key, fallback)
    }

    /// The mapping under `key`; a wrong type is an error ([`read::mapping`]).
    pub fn field(&self, cx: &mut Cx, key: &str) -> Option<Cursor<'n>> {
        let node = read::mapping(cx, self.node, key, &self.at(key))?;
        Some(self.child(key, node))
    }

    /// The mapping under `key`, which is required: when it is not written, a `missing-field`
    /// error at `at` (the span of this node's key, usually) with `hint` after the message.
    pub fn required(&self, cx: &mut Cx, key: &str, at: Span, hint: &str) -> Option<Cursor<'n>> {
        let found = self.field(cx, key);
        if found.is_none() && !self.has(key) {
            self.missing(cx, at, key, hint);
        }
        found
    }

    /// Report `key` as missing at `at` ([`read::missing`]).
    pub fn missing(&self, cx: &mut Cx, at: Span, key: &str, hint: &str) {
        read::missing(cx, at, &self.at(key), hint);
    }

    /// The list under `key`, each item with its path (`spec.metrics[0]`); a wrong type is an
    /// error ([`read::sequence`]).
    pub fn sequence(&self, cx: &mut Cx, key: &str) -> Option<Vec<Cursor<'n>>> {
        let path = self.at(key);
        let list = read::sequence(cx, self.node, key, &path)?;
        Some(
            list.iter()
                .enumerate()
                .map(|(i, n)| Cursor::new(n, format!("{path}[{i}]")))
                .collect(),
        )
    }

    /// Warn about keys not in `known` ([`read::unknown_keys`]).
    pub fn unknown_keys(&self, cx: &mut Cx, known: &[&str]) {
        read::unknown_keys(cx, self.node, known, &self.path);
    }

    /// Report this node as not the mapping it must be: `` `path` must be a mapping{what} ``.
    /// Returns whether it is a mapping.
    pub fn expect_mapping(&self, cx: &mut Cx, what: &str) -> bool {
        if self.node.as_mapping().is_some() {
            return true;
        }
        cx.error(
            Code::WrongType,
            self.node.span,
            format!("`{}` must be a mapping{what}", self.path),
        );
        false
    }

    /// A string ([`read::string`]).
    pub fn string(&self, cx: &mut Cx, key: &str) -> Option<Spanned<String>> {
        read::string(cx, self.node, key, &self.at(key))
    }

    /// A string field of a CRD ([`read::crd_string`]).
    pub fn crd_string(&self, cx: &mut Cx, key: &str) -> Option<Spanned<String>> {
        read::crd_string(cx, self.node, key, &self.at(key))
    }

    /// A string field of a CRD that must be written: when it is not, `missing-field` at `at`
    /// with `hint` after the message.
    pub fn required_crd_string(
        &self,
        cx: &mut Cx,
        key: &str,
        at: Span,
        hint: &str,
    ) -> Option<Spanned<String>> {
        let v = self.crd_string(cx, key);
        if v.is_none() && !self.has(key) {
            self.missing(cx, at, key, hint);
        }
        v
    }

    /// A string that must be one of `variants` ([`read::one_of`], reported with `code`);
    /// `None` when it is not written or not valid.
    pub fn one_of<'a>(
        &self,
        cx: &mut Cx,
        key: &str,
        variants: &[&'a str],
        code: Code,
    ) -> Option<Spanned<&'a str>> {
        let s = self.string(cx, key)?;
        let v = read::one_of(cx, &s, variants, &self.at(key), code)?;
        Some(Spanned::new(v, s.span))
    }

    /// An integer of a type that tops out at `max` ([`read::int_typed`]).
    pub fn int_typed(&self, cx: &mut Cx, key: &str, min: i64, max: i64) -> Option<Spanned<i64>> {
        read::int_typed(cx, self.node, key, &self.at(key), min, max)
    }

    /// An integer in `[min, max]`, as `u32`. `max` = `i32::MAX` marks an `int32` API field: a
    /// value above it (or beyond `i64`) is reported with the type's range ([`read::int_typed`]);
    /// a value outside a validation range keeps the short form (`must be in [0, 3600], found
    /// 4000`).
    pub fn u32_in(&self, cx: &mut Cx, key: &str, min: i64, max: i64) -> Option<Spanned<u32>> {
        let i = self.int_typed(cx, key, min, max)?;
        if i.value < min || i.value > max {
            let range = if max >= i64::from(i32::MAX) {
                format!("≥ {min}")
            } else {
                format!("in [{min}, {max}]")
            };
            cx.error(
                Code::OutOfRange,
                i.span,
                format!("`{}` must be {range}, found {}", self.at(key), i.value),
            );
            return None;
        }
        Some(Spanned::new(
            i.value.clamp(0, i64::from(u32::MAX)) as u32,
            i.span,
        ))
    }

    /// [`Cursor::u32_in`] of a required field: when it is not written, a `missing-field` error
    /// at `at` with `hint`.
    pub fn required_u32(
        &self,
        cx: &mut Cx,
        key: &str,
        (min, max): (i64, i64),
        at: Span,
        hint: &str,
    ) -> Option<Spanned<u32>> {
        if self.has(key) {
            self.u32_in(cx, key, min, max)
        } else {
            self.missing(cx, at, key, hint);
            None
        }
    }

    /// [`Cursor::u32_in`] as a parameter written in the YAML.
    pub fn count_in(&self, cx: &mut Cx, key: &str, min: i64, max: i64) -> Option<Param<u32>> {
        self.u32_in(cx, key, min, max)
            .map(|s| Param::yaml(s.value, s.span))
    }

    /// Whole seconds in `[min, max]` ([`Cursor::u32_in`]), as milliseconds.
    pub fn seconds_in(&self, cx: &mut Cx, key: &str, min: i64, max: i64) -> Option<Param<Millis>> {
        let s = self.u32_in(cx, key, min, max)?;
        Some(Param::yaml(u64::from(s.value) * 1000, s.span))
    }

    /// A Kubernetes quantity ([`read::quantity`]).
    pub fn quantity(&self, cx: &mut Cx, key: &str) -> Option<Spanned<Quantity>> {
        read::quantity(cx, self.node, key, &self.at(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::LineIndex;

    fn with_root<R>(src: &str, f: impl FnOnce(&mut Cx, Cursor) -> R) -> (R, Vec<String>) {
        let index = LineIndex::new(src);
        let stream = crate::yaml::parse_stream(&index, &crate::yaml::Limits::default());
        let doc = stream.documents.first().expect("one document");
        let mut cx = Cx::default();
        let r = f(&mut cx, Cursor::root(&doc.root));
        let msgs = cx.diags.iter().map(|d| d.message.clone()).collect();
        (r, msgs)
    }

    #[test]
    fn paths_are_built_from_the_keys_walked() {
        let src = "spec:\n  template:\n    metadata: {a: 1}\n  metrics:\n    - x: 1\n    - 3\n";
        let (paths, msgs) = with_root(src, |cx, root| {
            let spec = root.field(cx, "spec").expect("spec");
            let meta = spec
                .field(cx, "template")
                .and_then(|t| t.field(cx, "metadata"))
                .expect("metadata");
            let items = spec.sequence(cx, "metrics").expect("metrics");
            let mut paths = vec![spec.path.clone(), meta.path.clone(), meta.at("a")];
            paths.extend(items.iter().map(|i| i.path.clone()));
            paths
        });
        assert_eq!(
            paths,
            [
                "spec",
                "spec.template.metadata",
                "spec.template.metadata.a",
                "spec.metrics[0]",
                "spec.metrics[1]"
            ]
        );
        assert!(msgs.is_empty(), "{msgs:?}");
    }

    #[test]
    fn getters_report_with_the_full_path() {
        let src = "spec:\n  minReplicas: x\n  target: 3\n";
        let (_, msgs) = with_root(src, |cx, root| {
            let spec = root.field(cx, "spec").expect("spec");
            let _ = spec.u32_in(cx, "minReplicas", 0, 10);
            let _ = spec.field(cx, "target");
            spec.required(cx, "absent", Span::default(), " (hint)");
        });
        assert_eq!(
            msgs,
            [
                "`spec.minReplicas` must be an integer, found a string `x`",
                "`spec.target` must be a mapping, found a number `3`",
                "`spec.absent` is required (hint)",
            ]
        );
    }
}
