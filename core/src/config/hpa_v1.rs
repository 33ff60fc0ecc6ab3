//! `autoscaling/v1` HorizontalPodAutoscaler round-trip annotations, read as the v1.34 API
//! server converts them (`pkg/apis/autoscaling/v1/conversion.go`,
//! `Convert_v1_HorizontalPodAutoscaler_To_autoscaling_HorizontalPodAutoscaler`).
//!
//! An HPA written as `autoscaling/v2` and read back as `autoscaling/v1` (`kubectl get hpa -o
//! yaml` on an old client, a v1-era tool) keeps what v1 has no field for in annotations:
//! `autoscaling.alpha.kubernetes.io/metrics` (a JSON list of v1 `MetricSpec`s, which have the
//! v2beta1 fields) and `autoscaling.alpha.kubernetes.io/behavior` (the internal behavior type
//! as JSON, Go field names: `ScaleUp`, `StabilizationWindowSeconds`). Writing that object back
//! gives the cluster those metrics and that behavior, so the replay reads them:
//!
//! - metrics: the annotation's metrics first, then `targetCPUUtilizationPercentage`'s CPU
//!   metric; with neither, CPU at 80 % (`DefaultCPUUtilization`);
//! - behavior: set when the JSON has a `ScaleUp` or `ScaleDown` (an empty object is ignored);
//!   keys match case-insensitively, as Go's `encoding/json` does;
//! - a malformed annotation (not JSON, or JSON of the wrong shape) is skipped by the server
//!   (kubernetes/kubernetes PR #89963): `hpa-annotation-ignored` at the fault, and the replay
//!   goes on without it;
//! - `autoscaling.alpha.kubernetes.io/current-metrics` and `conditions` are status only.
//!
//! The JSON is checked by `serde_json` (strict JSON, as Go's decoder), then read by the spanned
//! YAML reader (JSON is YAML 1.2 flow syntax) so every value keeps its position; positions in
//! the annotation's text map back to the file where the scalar is written verbatim
//! ([`super::scalar_span`]).

use crate::codes::rule_doc;
use crate::codes::Code;
use crate::config::cursor::Cursor;
use crate::config::read::Cx;
use crate::config::scalar_span::inner_span;
use crate::diagnostic::Diagnostic;
use crate::model::{HpaParams, Metric};
use crate::span::{LineIndex, Span, Spanned};
use crate::upstream::kubernetes_conversion as conv;
use crate::yaml::{self, Node, NodeKind};
use std::sync::Arc;

/// Every key the two annotations' Go types have, as Go spells them in JSON (`encoding/json`
/// matches a key to a field case-insensitively, so `ScaleUp` and `scaleup` are `scaleUp`).
const KEYS: &[&str] = &[
    // v1 MetricSpec and its sources (`staging/src/k8s.io/api/autoscaling/v1/types.go`).
    "type",
    "object",
    "pods",
    "resource",
    "containerResource",
    "external",
    "target",
    "metricName",
    "targetValue",
    "selector",
    "averageValue",
    "targetAverageValue",
    "name",
    "targetAverageUtilization",
    "container",
    "metricSelector",
    "kind",
    "apiVersion",
    "matchLabels",
    "matchExpressions",
    // The internal HorizontalPodAutoscalerBehavior (`pkg/apis/autoscaling/types.go`).
    "scaleUp",
    "scaleDown",
    "stabilizationWindowSeconds",
    "selectPolicy",
    "policies",
    "value",
    "periodSeconds",
    "tolerance",
];

/// What the annotations add to a v1 HPA.
#[derive(Debug, Default)]
pub struct V1Annotations {
    /// The metrics annotation's metrics, in order (`None`: no usable annotation).
    pub metrics: Option<Vec<Metric>>,
}

/// Read the round-trip annotations of an `autoscaling/v1` HPA: behavior into `params`, the
/// metrics returned.
pub fn read(cx: &mut Cx, root: &Node, params: &mut HpaParams) -> V1Annotations {
    let mut out = V1Annotations::default();
    let Some(ann) = root.path(&["metadata", "annotations"]) else {
        return out;
    };
    if let Some((k, v)) = ann.entry(conv::METRICS_ANNOTATION) {
        let path = format!("metadata.annotations[{}]", conv::METRICS_ANNOTATION);
        if let Some(tree) = json_tree(cx, k, v, &path, "a list of metrics") {
            out.metrics = metrics(cx, &tree, &path);
        }
    }
    if let Some((k, v)) = ann.entry(conv::BEHAVIOR_ANNOTATION) {
        let path = format!("metadata.annotations[{}]", conv::BEHAVIOR_ANNOTATION);
        if let Some(tree) = json_tree(cx, k, v, &path, "an object") {
            behavior(cx, &tree, v, &path, params);
        }
    }
    out
}

fn ignored(cx: &mut Cx, at: Span, message: String) {
    cx.push(
        Diagnostic::warning(Code::HpaAnnotationIgnored, message)
            .at(at)
            .with_help(format!(
                "the API server converts an autoscaling/v1 HPA's annotations only when they are well-formed JSON ({})",
                conv::V1_CONVERSION
            )),
    );
}

/// The annotation's JSON as a spanned tree (spans in the file), or `None` (reported) when the
/// server would skip it.
fn json_tree(
    cx: &mut Cx,
    key: &Spanned<String>,
    value: &Node,
    path: &str,
    shape: &str,
) -> Option<Node> {
    let Some(text) = value.as_scalar() else {
        cx.error(
            Code::WrongType,
            value.span,
            format!(
                "`{path}` must be a string (annotation values are strings), found {}",
                value.type_name()
            ),
        );
        return None;
    };
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
        let at = char_offset(text, e.line(), e.column());
        // serde_json ends its message with the position in the JSON text; the diagnostic's own
        // position is the file's.
        let message = e.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(m, _)| m);
        ignored(
            cx,
            inner_span(value, at, at.saturating_add(1)),
            format!(
                "`{path}` is not valid JSON ({message}): the API server skips it, so its {} are not applied",
                what(&key.value)
            ),
        );
        return None;
    }
    let index = LineIndex::new(text);
    let stream = yaml::parse_stream(&index, &yaml::Limits::default());
    let Some(doc) = stream
        .documents
        .into_iter()
        .next()
        .filter(|_| stream.errors.is_empty())
    else {
        ignored(
            cx,
            value.span,
            format!(
                "`{path}` could not be read as JSON: its {} are not replayed",
                what(&key.value)
            ),
        );
        return None;
    };
    let tree = remap(&doc.root, value);
    let ok = match shape {
        "an object" => tree.as_mapping().is_some() || tree.is_null(),
        _ => tree.as_sequence().is_some() || tree.is_null(),
    };
    if !ok {
        ignored(
            cx,
            tree.span,
            format!(
                "`{path}` must be {shape}, found {}: the API server skips it, so its {} are not applied",
                tree.type_name(),
                what(&key.value)
            ),
        );
        return None;
    }
    Some(tree)
}

fn what(key: &str) -> &'static str {
    if key == conv::BEHAVIOR_ANNOTATION {
        "behavior settings"
    } else {
        "metrics"
    }
}

/// The character offset of serde_json's 1-based `line`:`column` (a byte column) in `text`.
fn char_offset(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0usize;
    for (i, l) in text.split('\n').enumerate() {
        if i + 1 == line {
            let byte = column.saturating_sub(1).min(l.len());
            let chars = l.char_indices().take_while(|(b, _)| *b < byte).count();
            return offset + chars;
        }
        offset += l.chars().count() + 1;
    }
    offset.saturating_sub(1)
}

/// `node` (parsed from the annotation's text) with its spans moved into the file and its keys
/// spelled as the Go types spell them.
fn remap(node: &Node, scalar: &Node) -> Node {
    let span = |s: Span| inner_span(scalar, s.start.offset as usize, s.end.offset as usize);
    let kind = match &node.kind {
        NodeKind::Scalar { .. } => node.kind.clone(),
        NodeKind::Sequence(items) => {
            NodeKind::Sequence(items.iter().map(|n| remap(n, scalar)).collect())
        }
        NodeKind::Mapping(entries) => NodeKind::Mapping(
            entries
                .iter()
                .map(|(k, v)| {
                    let name = KEYS
                        .iter()
                        .find(|known| known.eq_ignore_ascii_case(&k.value))
                        .map_or_else(|| k.value.clone(), |known| (*known).to_string());
                    (Spanned::new(name, span(k.span)), remap(v, scalar))
                })
                .collect::<Arc<[_]>>(),
        ),
    };
    Node {
        kind,
        span: span(node.span),
    }
}

/// The metrics annotation's metrics, read as v2beta1-shaped `MetricSpec`s.
fn metrics(cx: &mut Cx, tree: &Node, path: &str) -> Option<Vec<Metric>> {
    let list = tree.as_sequence()?;
    Some(
        list.iter()
            .enumerate()
            .filter_map(|(i, m)| {
                super::hpa::read_metric_v2beta1(cx, &Cursor::new(m, format!("{path}[{i}]")))
            })
            .collect(),
    )
}

/// The behavior annotation into `params`: ignored, as the server does, when it sets neither
/// direction.
fn behavior(cx: &mut Cx, tree: &Node, value: &Node, path: &str, params: &mut HpaParams) {
    let set = |k: &str| tree.get(k).is_some_and(|n| !n.is_null());
    if !set("scaleUp") && !set("scaleDown") {
        ignored(
            cx,
            value.span,
            format!("`{path}` sets neither ScaleUp nor ScaleDown: the API server ignores an empty behavior, so the HPA keeps the legacy scaling rules"),
        );
        return;
    }
    super::hpa::read_behavior_node(cx, &Cursor::new(tree, path), params);
}

rule_doc! {
    /// A round-trip annotation of an `autoscaling/v1` HPA that the API server skips.
    ///
    /// # What it does
    /// Reports an `autoscaling.alpha.kubernetes.io/metrics` or `.../behavior` annotation that
    /// is not well-formed JSON, has the wrong shape (a metrics object instead of a list), or
    /// sets no direction (`{}`), at the place in the JSON where it goes wrong.
    ///
    /// # Why is this bad
    /// When an `autoscaling/v1` HPA is written, the API server moves these annotations into
    /// `spec.metrics` and `spec.behavior` only when they parse; otherwise it drops them
    /// silently, and the HPA scales on CPU alone (80 % when no
    /// `targetCPUUtilizationPercentage`) with the default scaling rules.
    ///
    /// # Example
    /// ```text
    /// apiVersion: autoscaling/v1
    /// kind: HorizontalPodAutoscaler
    /// metadata:
    ///   annotations:
    ///     autoscaling.alpha.kubernetes.io/metrics: '[{"type":"Pods","pods":{"metricName":"rps",}}]'
    /// ```
    ///
    /// # Fix
    /// Fix the JSON, or better, write the HPA as `autoscaling/v2` with `spec.metrics` and
    /// `spec.behavior`.
    ///
    /// # References
    /// - kubernetes/kubernetes v1.34 `pkg/apis/autoscaling/v1/conversion.go`
    ///   (`Convert_v1_HorizontalPodAutoscaler_To_autoscaling_HorizontalPodAutoscaler`),
    ///   `pkg/apis/autoscaling/annotations.go`; PR #89963 ("only move well-formed data from
    ///   annotations to fields").
    pub(crate) const HPA_ANNOTATION_IGNORED;
}
