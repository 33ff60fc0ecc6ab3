//! The `autoscaling/v2beta1` → `autoscaling/v2` rewrite behind `removed-api-version`'s fix:
//! each metric's v2beta1 fields become the v2 `metric` / `target` structure, as the API server
//! converts them (kubernetes/kubernetes v1.34 `pkg/apis/autoscaling/v2beta1/conversion.go`):
//!
//! | v2beta1 | v2 |
//! |---|---|
//! | `resource.targetAverageUtilization: N` | `resource.target: {type: Utilization, averageUtilization: N}` |
//! | `resource.targetAverageValue: Q` | `resource.target: {type: AverageValue, averageValue: Q}` |
//! | `pods: {metricName, selector, targetAverageValue}` | `pods: {metric: {name, selector}, target: {type: AverageValue, averageValue}}` |
//! | `object: {target, metricName, selector, targetValue, averageValue}` | `object: {describedObject: target, metric: {name, selector}, target: averageValue ? AverageValue : Value}` |
//! | `external: {metricName, metricSelector, targetValue, targetAverageValue}` | `external: {metric: {name, selector}, target: targetAverageValue ? AverageValue : Value}` |
//!
//! A metric is rewritten as one YAML flow mapping in place of the item (comments inside it
//! are lost, so the fix is to review). `autoscaling/v2beta2` already has the v2 shape: only its
//! `apiVersion` changes.

use crate::diagnostic::Edit;
use crate::span::{Pos, Span};
use crate::yaml::{Node, NodeKind};

/// The edits that turn the v2beta1 `spec.metrics` items into v2 ones, or `None` when an item
/// is not a readable v2beta1 metric (its errors are reported by the reader; the fix then only
/// changes `apiVersion`).
pub fn v2beta1_metric_edits(metrics: &[Node]) -> Option<Vec<Edit>> {
    metrics
        .iter()
        .map(|m| {
            Some(Edit {
                span: Span::new(m.span.start, content_end(m)),
                replacement: v2_metric(m)?,
            })
        })
        .collect()
}

/// One v2beta1 `MetricSpec` as a v2 flow mapping.
fn v2_metric(m: &Node) -> Option<String> {
    let ty = m.get("type")?.as_str()?;
    let key = match ty {
        "Resource" => "resource",
        "ContainerResource" => "containerResource",
        "Pods" => "pods",
        "Object" => "object",
        "External" => "external",
        _ => return None,
    };
    let s = m.get(key)?;
    s.as_mapping()?;
    let field = |k: &str| s.get(k).filter(|n| !n.is_null());
    let target = |kind: &str, value_key: &str, value: &Node| {
        map(&[("type", kind.to_string()), (value_key, flow(value))])
    };
    let metric_id = |selector_key: &str| -> Option<String> {
        let mut id = vec![("name", flow(field("metricName")?))];
        if let Some(sel) = field(selector_key) {
            id.push(("selector", flow(sel)));
        }
        Some(map(&id))
    };
    let source = match ty {
        "Resource" | "ContainerResource" => {
            let mut out = vec![("name", flow(field("name")?))];
            if let Some(c) = field("container") {
                out.push(("container", flow(c)));
            }
            let t = match (
                field("targetAverageUtilization"),
                field("targetAverageValue"),
            ) {
                (Some(u), None) => target("Utilization", "averageUtilization", u),
                (None, Some(v)) => target("AverageValue", "averageValue", v),
                _ => return None,
            };
            out.push(("target", t));
            map(&out)
        }
        "Pods" => map(&[
            ("metric", metric_id("selector")?),
            (
                "target",
                target("AverageValue", "averageValue", field("targetAverageValue")?),
            ),
        ]),
        "Object" => {
            let t = match field("averageValue") {
                Some(v) => target("AverageValue", "averageValue", v),
                None => target("Value", "value", field("targetValue")?),
            };
            map(&[
                ("describedObject", flow(field("target")?)),
                ("metric", metric_id("selector")?),
                ("target", t),
            ])
        }
        _ => {
            let t = match field("targetAverageValue") {
                Some(v) => target("AverageValue", "averageValue", v),
                None => target("Value", "value", field("targetValue")?),
            };
            map(&[("metric", metric_id("metricSelector")?), ("target", t)])
        }
    };
    Some(map(&[("type", ty.to_string()), (key, source)]))
}

/// `{k: v, ...}` from already-written values.
fn map(entries: &[(&str, String)]) -> String {
    let inner: Vec<String> = entries.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    format!("{{{}}}", inner.join(", "))
}

/// A node written as YAML flow text: collections as `{}` / `[]`, a scalar plain when it reads
/// back the same in a flow collection, else double-quoted (quoted scalars stay strings).
fn flow(n: &Node) -> String {
    match &n.kind {
        NodeKind::Scalar { text, quoted } => {
            if !quoted && plain_in_flow(text) {
                text.to_string()
            } else {
                double_quoted(text)
            }
        }
        NodeKind::Sequence(items) => {
            let inner: Vec<String> = items.iter().map(flow).collect();
            format!("[{}]", inner.join(", "))
        }
        NodeKind::Mapping(entries) => {
            let inner: Vec<String> = entries
                .iter()
                .map(|(k, v)| {
                    let key = if plain_in_flow(&k.value) {
                        k.value.clone()
                    } else {
                        double_quoted(&k.value)
                    };
                    format!("{key}: {}", flow(v))
                })
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
    }
}

/// Whether `text` can be written plain inside a flow collection and read back as itself.
fn plain_in_flow(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    !"-?:,[]{}#&*!|>'\"%@`".contains(first)
        && !first.is_whitespace()
        && !text.ends_with(char::is_whitespace)
        && !text.contains([',', '[', ']', '{', '}', '\n', '\r', '\t'])
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':')
}

/// `text` as a YAML double-quoted scalar (JSON-style escapes, which YAML shares).
fn double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Where a node's text ends: a scalar's or a flow collection's own end; a block collection's
/// span runs on to the next token, so its end is its last entry's.
fn content_end(n: &Node) -> Pos {
    match &n.kind {
        NodeKind::Scalar { .. } => n.span.end,
        NodeKind::Sequence(items) => match (items.first(), items.last()) {
            (Some(first), Some(last)) => {
                let end = content_end(last);
                // A flow sequence's first item follows its `[` at once (`[a, b]`); a block
                // sequence ends at the next token, on a later line than its last item.
                let flow = first.span.start.line == n.span.start.line
                    && first.span.start.column == n.span.start.column.saturating_add(1);
                if !flow && n.span.end.line > end.line {
                    end
                } else {
                    n.span.end
                }
            }
            _ => n.span.end,
        },
        // A block mapping starts at its first key, a flow mapping at its `{`.
        NodeKind::Mapping(entries) => match (entries.first(), entries.last()) {
            (Some((first, _)), Some((_, last))) if first.span.start == n.span.start => {
                content_end(last)
            }
            _ => n.span.end,
        },
    }
}
