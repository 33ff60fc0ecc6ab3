//! Hover docs and completion in the YAML editor, from the core's knob tables
//! (`scalelens_core::knobs`, read through its public `Table`/`KnobInfo`/`Place` API only): which
//! keys and annotations the family of the document under the cursor reads, what each does, its
//! upstream default and where that default is written.
//!
//! The YAML path at a position comes from indentation (block mappings and `- ` list items, what
//! autoscaler objects are written in), not from a parse: the text being typed is often not valid
//! YAML yet. Flow mappings (`{a: 1}`) get no docs.

use scalelens_core::knobs::{self, Place, Table};

/// A setting the user writes in the object: its YAML path pattern (`spec.behavior.scaleUp.
/// tolerance`; `[]` is any list item, `*` any one key) or annotation key, and its docs.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The path pattern (fields) or the annotation key.
    pub key: String,
    pub annotation: bool,
    /// What it does, in words.
    pub what: &'static str,
    /// The upstream default in words, and where it is written (`owner/repo path symbol (tag)`).
    pub default: Option<(String, String)>,
}

impl Entry {
    /// The hover card's lines: what, default, source.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![format!("What: {}", self.what)];
        match &self.default {
            Some((value, source)) => {
                lines.push(format!("Default: {value}"));
                lines.push(format!("Upstream: {source}"));
            }
            None => lines.push("Default: derived from other settings".to_string()),
        }
        lines
    }
}

/// The family of a document, from its `apiVersion` and `kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Hpa,
    Keda,
    Knative,
    /// AIBrix, at v0.4 when `true` (the generation chosen in Settings), v0.7 otherwise.
    Aibrix {
        v04: bool,
    },
}

fn collect<P>(t: &Table<P>, root: &str, out: &mut Vec<Entry>) {
    let infos = t
        .object
        .iter()
        .map(|k| (k.what(), k.place(), k.default_value()))
        .chain(
            t.params
                .iter()
                .map(|k| (k.what(), k.place(), k.default_value())),
        );
    for (what, place, default) in infos {
        let (key, annotation) = match place {
            Place::Field(f) => (format!("{root}{f}"), false),
            Place::Path(p) => (p.split(' ').next().unwrap_or(p).to_string(), false),
            Place::Annotation(k) => (k.to_string(), true),
            // Not written in the object: a ConfigMap, a controller flag, a fixed rule.
            Place::ConfigMap { .. } | Place::Flag(_) | Place::Fixed(_) => continue,
        };
        if out.iter().any(|e| e.key == key) {
            continue;
        }
        out.push(Entry {
            key,
            annotation,
            what,
            default: default.map(|(v, s)| (v, s.to_string())),
        });
    }
}

/// Every key and annotation `family` reads from its object.
pub fn entries(family: Family) -> Vec<Entry> {
    let mut out = Vec::new();
    match family {
        Family::Hpa => collect(&knobs::hpa::TABLE, knobs::hpa::ROOT, &mut out),
        Family::Keda => {
            collect(&knobs::keda::TABLE, "spec.", &mut out);
            collect(&knobs::hpa::TABLE, knobs::keda::HPA_ROOT, &mut out);
        }
        Family::Knative => collect(&knobs::knative::TABLE, "spec.", &mut out),
        Family::Aibrix { v04: true } => collect(&knobs::aibrix::TABLE_V04, "spec.", &mut out),
        Family::Aibrix { v04: false } => collect(&knobs::aibrix::TABLE_V07, "spec.", &mut out),
    }
    out
}

/// One line of the text: its start (byte), its indentation, whether it is a list item (`- `),
/// and its key (after the indentation and `- `, before `:`, unquoted) with the key's byte range.
struct Line<'a> {
    start: usize,
    indent: usize,
    key: Option<(&'a str, usize, usize)>,
}

fn parse_line(text: &str, start: usize) -> Line<'_> {
    let end = text
        .get(start..)
        .and_then(|r| r.find('\n'))
        .map_or(text.len(), |i| start + i);
    let line = text.get(start..end).unwrap_or_default();
    let mut indent = line.len() - line.trim_start_matches(' ').len();
    let mut rest = line.get(indent..).unwrap_or_default();
    let mut at = start + indent;
    while let Some(r) = rest.strip_prefix("- ") {
        let skip = 2 + (r.len() - r.trim_start_matches(' ').len());
        indent += skip;
        at += skip;
        rest = rest.get(skip..).unwrap_or_default();
    }
    let key = key_of(rest).map(|(k, a, b)| (k, at + a, at + b));
    Line { start, indent, key }
}

/// The key of `rest` (a line after its indentation): `key:` followed by a space or the end,
/// or a quoted key; its byte range in `rest`.
fn key_of(rest: &str) -> Option<(&str, usize, usize)> {
    if rest.starts_with('#') {
        return None;
    }
    for q in ['"', '\''] {
        if let Some(r) = rest.strip_prefix(q) {
            let end = r.find(q)?;
            let after = r.get(end + 1..)?;
            return after
                .starts_with(':')
                .then(|| (r.get(..end).unwrap_or_default(), 1, 1 + end));
        }
    }
    let colon = rest.find(": ").or_else(|| {
        rest.strip_suffix(':')
            .map(str::len)
            .or_else(|| rest.trim_end().strip_suffix(':').map(str::len))
    })?;
    let key = rest.get(..colon)?;
    (!key.is_empty() && !key.contains([' ', '{', '[', '#'])).then_some((key, 0, colon))
}

/// Byte starts of the lines of the document (between `---` lines) holding byte `at`.
fn document_lines(text: &str, at: usize) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    starts.retain(|s| *s <= text.len());
    let is_sep = |s: usize| {
        let l = text.get(s..).unwrap_or_default();
        l.starts_with("---")
            && l.get(3..4)
                .is_none_or(|c| c == "\n" || c == " " || c == "\r")
    };
    let here = starts.iter().rposition(|s| *s <= at).unwrap_or(0);
    let first = starts
        .get(..=here)
        .and_then(|s| s.iter().rposition(|l| is_sep(*l)))
        .map_or(0, |i| i + 1);
    let last = starts
        .get(here + 1..)
        .and_then(|s| s.iter().position(|l| is_sep(*l)))
        .map_or(starts.len(), |i| here + 1 + i);
    starts
        .get(first..last)
        .map(<[usize]>::to_vec)
        .unwrap_or_default()
}

/// The family of the document whose lines start at `lines`.
fn family_of(text: &str, lines: &[usize], aibrix_v04: bool) -> Option<Family> {
    let top = |name: &str| {
        lines.iter().find_map(|s| {
            let l = parse_line(text, *s);
            let (k, _, b) = l.key?;
            (l.indent == 0 && k == name).then(|| {
                let end = text.get(b..)?.find('\n').map_or(text.len(), |i| b + i);
                Some(text.get(b + 1..end)?.trim().trim_matches(['"', '\'']))
            })?
        })
    };
    let api = top("apiVersion").unwrap_or_default();
    match top("kind")? {
        "HorizontalPodAutoscaler" => Some(Family::Hpa),
        "ScaledObject" => Some(Family::Keda),
        "PodAutoscaler" if api.contains("aibrix") => Some(Family::Aibrix { v04: aibrix_v04 }),
        "PodAutoscaler" | "Service" | "Revision" | "Configuration" if api.contains("knative") => {
            Some(Family::Knative)
        }
        _ => None,
    }
}

/// The keys above line `i` of `lines` whose key sits at column `indent` (by indentation;
/// list items are `[]`); `dash` is the column of line `i`'s own `- `, if it starts an item.
fn path_at(
    text: &str,
    lines: &[usize],
    i: usize,
    indent: usize,
    dash: Option<usize>,
) -> Vec<String> {
    let mut path = Vec::new();
    let mut limit = indent;
    if let Some(d) = dash {
        path.push("[]".to_string());
        limit = d;
    }
    for s in lines.get(..i).unwrap_or_default().iter().rev() {
        if limit == 0 {
            break;
        }
        let raw = text.get(*s..).unwrap_or_default();
        let first = raw.trim_start_matches(' ');
        if first.starts_with('#') || first.starts_with('\n') || first.is_empty() {
            continue;
        }
        let spaces = raw.len() - first.len();
        let l = parse_line(text, *s);
        let item = first.starts_with("- ");
        if item && l.indent == limit {
            // A sibling key in the same list item: the item is the parent.
            path.push("[]".to_string());
            limit = spaces;
        } else if l.indent < limit {
            if let Some((k, _, _)) = l.key {
                path.push(k.to_string());
            }
            limit = l.indent;
            if item {
                path.push("[]".to_string());
                limit = spaces;
            }
        }
    }
    path.reverse();
    path
}

/// Whether `pattern` (with `*` for any one key) names `path`.
fn matches(pattern: &str, path: &[String]) -> bool {
    let parts: Vec<&str> = split_path(pattern);
    parts.len() == path.len() && parts.iter().zip(path).all(|(p, k)| *p == "*" || p == k)
}

/// `spec.metrics[].*.target` as `spec`, `metrics`, `[]`, `*`, `target`.
fn split_path(pattern: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for seg in pattern.split('.') {
        match seg.strip_suffix("[]") {
            Some(s) => {
                out.push(s);
                out.push("[]");
            }
            None => out.push(seg),
        }
    }
    out
}

/// Docs of the key under byte offset `at` of `text`: its byte range and the entry.
pub fn docs_at(text: &str, at: usize, aibrix_v04: bool) -> Option<(usize, usize, Entry)> {
    let lines = document_lines(text, at);
    let family = family_of(text, &lines, aibrix_v04)?;
    let i = lines.iter().rposition(|s| *s <= at)?;
    let line = parse_line(text, *lines.get(i)?);
    let (key, a, b) = line.key?;
    if at < a || at > b {
        return None;
    }
    let raw = text.get(line.start..).unwrap_or_default();
    let spaces = raw.len() - raw.trim_start_matches(' ').len();
    let dash = raw
        .trim_start_matches(' ')
        .starts_with("- ")
        .then_some(spaces);
    let parent = path_at(text, &lines, i, line.indent, dash);
    let entries = entries(family);
    let found = if parent.last().is_some_and(|p| p == "annotations") {
        entries.into_iter().find(|e| e.annotation && e.key == key)
    } else {
        let mut path = parent;
        path.push(key.to_string());
        entries
            .into_iter()
            .find(|e| !e.annotation && matches(&e.key, &path))
    };
    found.map(|e| (a, b, e))
}

/// Completions at byte offset `at` of `text` when it is where a key is typed: the byte start of
/// the typed word and the keys (or annotations) the family reads under the parent there.
pub fn complete_at(
    text: &str,
    at: usize,
    aibrix_v04: bool,
) -> Option<(usize, Vec<(String, Entry)>)> {
    let lines = document_lines(text, at);
    let family = family_of(text, &lines, aibrix_v04)?;
    let i = lines.iter().rposition(|s| *s <= at)?;
    let start = *lines.get(i)?;
    let before = text.get(start..at)?;
    let trimmed = before.trim_start_matches(' ');
    let dash = trimmed
        .starts_with("- ")
        .then_some(before.len() - trimmed.len());
    let typed = trimmed.strip_prefix("- ").unwrap_or(trimmed);
    if typed.contains([':', ' ', '#', '"', '\'']) {
        return None;
    }
    let indent = before.len() - typed.len();
    let parent = path_at(text, &lines, i, indent, dash);
    let from = at - typed.len();
    let mut out: Vec<(String, Entry)> = Vec::new();
    for e in entries(family) {
        let label = if e.annotation {
            if parent.last().is_none_or(|p| p != "annotations") {
                continue;
            }
            e.key.clone()
        } else {
            let parts = split_path(&e.key);
            let n = parent.len();
            if parts.len() <= n || !parts.iter().zip(&parent).all(|(p, k)| *p == "*" || p == k) {
                continue;
            }
            match parts.get(n) {
                Some(next) if *next != "*" && *next != "[]" => (*next).to_string(),
                _ => continue,
            }
        };
        if label.starts_with(typed) && !out.iter().any(|(l, _)| *l == label) {
            out.push((label, e));
        }
    }
    (!out.is_empty()).then_some((from, out))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HPA: &str = "apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  minReplicas: 1
  maxReplicas: 20
  metrics:
    - type: Pods
      pods:
        target:
          averageValue: \"10\"
  behavior:
    scaleUp:
      stabilizationWindowSeconds: 0
    sc
";

    const KNATIVE: &str = "apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: a
spec:
  template:
    metadata:
      annotations:
        autoscaling.knative.dev/target: \"10\"
        autoscaling.knative.dev/w
---
kind: Unknown
spec:
  minReplicas: 1
";

    fn at(text: &str, needle: &str) -> usize {
        text.find(needle).unwrap_or_else(|| panic!("{needle:?}"))
    }

    #[test]
    fn hover_finds_the_knob_behind_a_key() {
        // (text, where, expected key pattern or None)
        let cases: &[(&str, usize, Option<&str>)] = &[
            (HPA, at(HPA, "minReplicas") + 3, Some("spec.minReplicas")),
            (HPA, at(HPA, "maxReplicas"), Some("spec.maxReplicas")),
            (
                HPA,
                at(HPA, "stabilizationWindowSeconds") + 5,
                Some("spec.behavior.scaleUp.stabilizationWindowSeconds"),
            ),
            (HPA, at(HPA, "target:") + 2, Some("spec.metrics[].*.target")),
            // A value, the object's name, another document's kind: nothing.
            (HPA, at(HPA, "20"), None),
            (HPA, at(HPA, "name: web"), None),
            (
                KNATIVE,
                at(KNATIVE, "autoscaling.knative.dev/target") + 4,
                Some("autoscaling.knative.dev/target"),
            ),
            (KNATIVE, at(KNATIVE, "minReplicas: 1"), None),
        ];
        for (text, pos, want) in cases {
            let got = docs_at(text, *pos, false);
            assert_eq!(
                got.as_ref().map(|(_, _, e)| e.key.as_str()),
                *want,
                "at {pos}: {:?}",
                text.get(*pos..(*pos + 20).min(text.len()))
            );
            if let Some((a, b, e)) = got {
                assert!(a <= *pos && *pos <= b);
                assert!(!e.what.is_empty());
                assert!(e.lines().iter().any(|l| l.starts_with("Default: ")));
            }
        }
        // The default and its upstream source, from the table.
        let (_, _, e) = docs_at(HPA, at(HPA, "stabilizationWindowSeconds"), false).expect("docs");
        let lines = e.lines().join("\n");
        assert!(lines.contains("Upstream: kubernetes/kubernetes"), "{lines}");
    }

    #[test]
    fn completion_offers_the_keys_the_family_reads_there() {
        let end_sc = at(HPA, "    sc\n") + 6;
        let (from, got) = complete_at(HPA, end_sc, false).expect("keys under behavior");
        assert_eq!(from, end_sc - 2);
        let labels: Vec<&str> = got.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(labels, ["scaleUp", "scaleDown"]);

        let end_w = at(KNATIVE, "dev/w\n") + 5;
        let (from, got) = complete_at(KNATIVE, end_w, false).expect("annotations");
        assert_eq!(from, at(KNATIVE, "autoscaling.knative.dev/w\n"));
        let labels: Vec<&str> = got.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(labels, ["autoscaling.knative.dev/window"]);

        // After the colon (a value), or in an unknown kind: nothing.
        assert!(complete_at(HPA, at(HPA, "minReplicas: 1") + 13, false).is_none());
        assert!(complete_at(KNATIVE, at(KNATIVE, "minReplicas: 1") + 3, false).is_none());
    }
}
