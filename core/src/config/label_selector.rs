//! A Kubernetes `LabelSelector` (`matchLabels`, `matchExpressions`) as the API server
//! validates it and `k8s.io/apimachinery/pkg/labels` (v1.34) evaluates it: here, an HPA
//! metric's `metric.selector`, which picks the series of the metric the autoscaler reads.
//!
//! Validation follows `ValidateLabelSelector` (`apimachinery/pkg/apis/meta/v1/validation`,
//! v1.34): an operator is one of `In`, `NotIn`, `Exists`, `DoesNotExist`; `In`/`NotIn` need at
//! least one value, `Exists`/`DoesNotExist` none. A selector the API server rejects is an error
//! and reads as no matcher at all.

use crate::codes::Code;
use crate::config::cursor::Cursor;
use crate::config::read::{self, Cx};
use crate::model::{LabelMatcher, MatchOp};

/// The operators, as written (`metav1.LabelSelectorOperator`).
const OPERATORS: &[&str] = &["In", "NotIn", "Exists", "DoesNotExist"];

/// The matchers of the selector at `s` (a `selector:` mapping), `matchLabels` first (in the
/// order written), then `matchExpressions`. Problems are reported; a requirement with a problem
/// is left out, and the others still apply.
pub(crate) fn read(cx: &mut Cx, s: &Cursor) -> Vec<LabelMatcher> {
    s.unknown_keys(cx, &["matchLabels", "matchExpressions"]);
    let mut out = Vec::new();
    if let Some(labels) = s.field(cx, "matchLabels") {
        for (key, _) in labels.node.as_mapping().unwrap_or(&[]) {
            if let Some(v) = labels.crd_string(cx, &key.value) {
                out.push(LabelMatcher {
                    label: key.value.clone(),
                    op: MatchOp::In,
                    values: vec![v.value],
                });
            }
        }
    }
    for e in s.sequence(cx, "matchExpressions").unwrap_or_default() {
        if !e.expect_mapping(cx, " (key, operator, values)") {
            continue;
        }
        e.unknown_keys(cx, &["key", "operator", "values"]);
        let key = e.required_crd_string(cx, "key", e.node.span, "");
        let op = e.required_crd_string(
            cx,
            "operator",
            e.node.span,
            " (In, NotIn, Exists or DoesNotExist)",
        );
        let op = op.and_then(|o| {
            read::one_of(cx, &o, OPERATORS, &e.at("operator"), Code::UnknownValue)
                .map(|name| (name, o.span))
        });
        let mut values = Vec::new();
        let mut values_ok = true;
        for (i, v) in e
            .sequence(cx, "values")
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let path = format!("{}[{i}]", e.at("values"));
            read::unquoted_string(cx, v.node, &path, "in a label selector", "the API server");
            match v.node.as_scalar() {
                Some(text) => values.push(text.to_string()),
                None => {
                    cx.error(
                        Code::WrongType,
                        v.node.span,
                        format!("`{path}` must be a string"),
                    );
                    values_ok = false;
                }
            }
        }
        let (Some(key), Some((name, op_span)), true) = (key, op, values_ok) else {
            continue;
        };
        let op = match name {
            "In" => MatchOp::In,
            "NotIn" => MatchOp::NotIn,
            "Exists" => MatchOp::Exists,
            _ => MatchOp::DoesNotExist,
        };
        let needs_values = matches!(op, MatchOp::In | MatchOp::NotIn);
        if needs_values == values.is_empty() {
            let why = if needs_values {
                "must be non-empty when `operator` is In or NotIn"
            } else {
                "must be empty when `operator` is Exists or DoesNotExist"
            };
            cx.error(
                Code::InvalidValue,
                e.key_span("values", op_span),
                format!(
                    "`{}` {why} (the API server rejects the selector)",
                    e.at("values")
                ),
            );
            continue;
        }
        out.push(LabelMatcher {
            label: key.value,
            op,
            values,
        });
    }
    out
}
