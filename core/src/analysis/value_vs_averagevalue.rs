//! `value-vs-averagevalue`: the target type and the query's aggregation disagree.
//!
//! How the check works (the rule's docs, what / why / example / fix / references, are
//! [`DOC`], shown by `scalelens rule` and in SARIF):
//! Reads the PromQL `query` of a KEDA `prometheus` trigger. When the whole query is one
//! aggregation across the pods (its outermost operator is `avg` or `sum`, without a `by`
//! clause that keeps the pod or instance label), it compares that aggregation with the
//! trigger's `metricType`:
//! - `AverageValue` (KEDA's default) on `avg(...)`: the HPA treats the result as a total to
//!   share between the pods, `desired = ceil(result / threshold)`, but an average does not grow
//!   with the pods that serve the load. At N pods the effective per-pod target is
//!   N × threshold;
//! - `Value` on `sum(rate(...))` (or `irate`/`increase`): the HPA multiplies the current pods by
//!   `result / threshold`, `desired = ceil(pods × result / threshold)`, but a total request rate
//!   does not fall when pods are added, so every sync above the threshold multiplies the count
//!   again, up to `maxReplicaCount`.
//!
//! It fires only on that textual evidence and says what it is. Other shapes (binary
//! expressions, `sum by (pod)`, `max`, a `sum` of a backlog such as a queue length, which does
//! fall as pods drain it) are left alone.
//!
//! From samples ([`check_external_value_per_pod`]): a Kubernetes HPA `External` metric with a
//! `Value` target whose samples hold one series per pod. The external metrics API returns every
//! matching series and the HPA sums them, then multiplies by the ready pods:
//! `desired = ceil(pods × Σ / target)`, N times what a per-pod reading of the target asks for
//! (`ceil(Σ / target)`, the `AverageValue` path). The message gives both counts at the samples'
//! peak.
//!
//! The HPA's External/Object metrics carry no query text, so without samples they are not
//! checked; AIBrix has no target type (KPA/APA always read the per-pod mean).

use super::{fmt_num, metric_for};
use crate::codes::rule_doc;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::model::{Autoscaler, Family, MetricSource, TargetType};
use crate::samples::Samples;
use crate::span::Spanned;

/// Labels that identify a pod: a `by` clause keeping one of them does not aggregate across pods.
const POD_LABELS: &[&str] = &[
    "pod",
    "pod_name",
    "kubernetes_pod_name",
    "instance",
    "container_id",
];

/// A query that is one aggregation, as far as this check needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopAggregation<'a> {
    /// `sum`, `avg`, `max`, `min` or `count`.
    pub op: &'a str,
    /// The aggregated expression (inside the parentheses).
    pub inner: &'a str,
    /// Whether the aggregation merges the pods' series (no `by` keeping a pod label, no
    /// `without`).
    pub across_pods: bool,
}

fn skip_ws(s: &str) -> &str {
    s.trim_start()
}

/// The text after a balanced parenthesised group starting at `s` (which starts with `(`), and
/// the group's content. Quoted strings are skipped. `None` when unbalanced.
pub(crate) fn paren_group(s: &str) -> Option<(&str, &str)> {
    let bytes = s.as_bytes();
    if bytes.first() != Some(&b'(') {
        return None;
    }
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut i = 0usize;
    while let Some(&c) = bytes.get(i) {
        match quote {
            Some(q) => {
                if c == b'\\' {
                    i += 1;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                b'"' | b'\'' | b'`' => quote = Some(c),
                b'(' => depth += 1,
                b')' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        let inner = s.get(1..i)?;
                        let rest = s.get(i + 1..)?;
                        return Some((inner, rest));
                    }
                }
                _ => {}
            },
        }
        i += 1;
    }
    None
}

/// `by (a, b)` / `without (a)` at the start of `s`: (is_by, labels, rest).
fn grouping(s: &str) -> Option<(bool, Vec<&str>, &str)> {
    let s = skip_ws(s);
    let (is_by, rest) = if let Some(r) = s.strip_prefix("by") {
        (true, r)
    } else if let Some(r) = s.strip_prefix("without") {
        (false, r)
    } else {
        return None;
    };
    if rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
        return None; // an identifier such as `bytes`
    }
    let (labels, rest) = paren_group(skip_ws(rest))?;
    let labels = labels
        .split(',')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    Some((is_by, labels, rest))
}

/// The query's outermost aggregation, when the whole query is exactly one aggregation call.
pub fn top_aggregation(query: &str) -> Option<TopAggregation<'_>> {
    let q = query.trim();
    let end = q
        .find(|c: char| !(c.is_ascii_alphabetic() || c == '_'))
        .unwrap_or(q.len());
    let op = q.get(..end)?;
    if !matches!(op, "sum" | "avg" | "max" | "min" | "count") {
        return None;
    }
    let mut rest = q.get(end..)?;
    let mut group = grouping(rest);
    if let Some((_, _, r)) = &group {
        rest = r;
    }
    let (inner, mut rest) = paren_group(skip_ws(rest))?;
    if group.is_none() {
        group = grouping(rest);
        if let Some((_, _, r)) = &group {
            rest = r;
        }
    }
    if !rest.trim().is_empty() {
        return None; // a binary expression or more: no evidence about the whole result
    }
    let across_pods = match &group {
        None => true,
        Some((true, labels, _)) => !labels.iter().any(|l| POD_LABELS.contains(l)),
        Some((false, _, _)) => false,
    };
    Some(TopAggregation {
        op,
        inner,
        across_pods,
    })
}

/// Whether `inner` is a per-second rate or an increase of a counter (demand, which more pods do
/// not lower).
fn is_rate(inner: &str) -> Option<&'static str> {
    let t = inner.trim_start();
    ["rate", "irate", "increase"].into_iter().find(|f| {
        t.strip_prefix(f)
            .is_some_and(|r| r.trim_start().starts_with('('))
    })
}

/// Check a KEDA prometheus trigger's query against its `metricType`.
///
/// `metric_type` is the written `metricType` (absent: KEDA's default `AverageValue`);
/// `threshold` is the trigger's threshold (after KEDA's rounding to 3 decimals).
pub fn check_keda_query(
    query: &Spanned<String>,
    metric_type: Option<&Spanned<String>>,
    threshold: f64,
) -> Option<Diagnostic> {
    let agg = top_aggregation(&query.value)?;
    if !(agg.across_pods && threshold.is_finite() && threshold > 0.0) {
        return None;
    }
    let written = metric_type.map(|m| m.value.as_str());
    let is_value = written == Some("Value");
    let t = fmt_num(threshold);
    let type_text = match written {
        Some(w) => format!("`metricType: {w}`"),
        None => "`metricType` AverageValue (KEDA's default)".to_string(),
    };
    let evidence = format!(
        "evidence: the query's outermost operator is `{}(...)` over all series (no `by` keeping a pod label); KEDA passes its one value to the HPA as an External metric",
        agg.op
    );
    if !is_value && agg.op == "avg" {
        let two = fmt_num(2.0 * threshold);
        let message = format!(
            "`avg(...)` already averages over the pods, but {type_text} makes the HPA divide the result by the threshold as if it were a total: desired = ceil(result / {t}), without the pod count. At N pods the effective per-pod target is N × {t}: 4 pods each at {two} (twice the threshold) ask for ceil({two} / {t}) = 2, a scale-down under load"
        );
        let mut d = Diagnostic::warning(Code::ValueVsAveragevalue, message)
            .at(query.span)
            .with_help(format!(
                "{evidence}; AverageValue: desired = ceil(value / target) (replica_calculator.go GetExternalPerPodMetricReplicas), Value: desired = ceil(pods × value / target) (GetExternalMetricReplicas)"
            ));
        let desc = "use `metricType: Value`, the average's meaning: desired = ceil(pods × avg / threshold)";
        match metric_type {
            Some(m) => d = d.with_fix(desc, m.span, "Value"),
            None => d = d.with_advice(format!("{desc} (add `metricType: Value` to the trigger)")),
        }
        d = d.with_advice(format!(
            "or keep AverageValue and sum over the pods: `sum({})`",
            agg.inner.trim()
        ));
        return Some(d);
    }
    if is_value && agg.op == "sum" {
        let f = is_rate(agg.inner)?;
        let message = format!(
            "`sum({f}(...))` is the total rate over the pods, which adding pods does not lower, but `metricType: Value` makes the HPA multiply the current pods by result / {t}: desired = ceil(pods × result / {t}). Any result above {t} × 1.1 (the default 10 % tolerance) multiplies the count again at every sync: 3 pods at twice the threshold ask for 6, then 12, up to maxReplicaCount"
        );
        let mut d = Diagnostic::warning(Code::ValueVsAveragevalue, message)
            .at(query.span)
            .with_help(format!(
                "{evidence}; with AverageValue the threshold is per pod: desired = ceil(total / threshold)"
            ));
        if let Some(m) = metric_type {
            d = d.with_fix(
                "use `metricType: AverageValue`: desired = ceil(total / threshold), the threshold per pod",
                m.span,
                "AverageValue",
            );
        }
        return Some(d);
    }
    None
}

/// HPA `External` metric, `Value` target, and samples with one series per pod: the HPA sums the
/// series and multiplies by the pods.
pub fn check_external_value_per_pod(a: &Autoscaler, samples: &Samples) -> Option<Diagnostic> {
    if a.family != Family::Hpa {
        return None;
    }
    let m = metric_for(a, samples)?;
    if !matches!(m.source, MetricSource::External) || m.target.target_type != TargetType::Value {
        return None;
    }
    let t = m.target.value.value;
    if !(t.is_finite() && t > 0.0) {
        return None;
    }
    let mut pods: Vec<&str> = samples
        .series
        .iter()
        .filter(|s| !s.points.is_empty())
        .filter_map(|s| s.pod.as_deref())
        .collect();
    crate::sort::natural(&mut pods);
    pods.dedup();
    if pods.len() < 2 {
        return None;
    }
    // The sum over the series at each time, and how many series reported then.
    let mut by_time: std::collections::BTreeMap<i64, (f64, usize)> = Default::default();
    for s in samples.series.iter().filter(|s| s.pod.is_some()) {
        for (time, v) in &s.points {
            let e = by_time.entry(*time).or_insert((0.0, 0));
            e.0 += v;
            e.1 += 1;
        }
    }
    let (sum, n) = by_time
        .values()
        .copied()
        .filter(|(sum, _)| sum.is_finite())
        .max_by(|a, b| a.0.total_cmp(&b.0))?;
    if sum <= 0.0 || n < 2 {
        return None;
    }
    let as_value = (n as f64 * sum / t).ceil();
    let as_average = (sum / t).ceil();
    let message = format!(
        "`{}` has one series per pod in the samples ({} pods), and an External metric returns them all: the HPA sums them and, with a Value target, multiplies by the ready pods: desired = ceil(pods × Σ / {}). At the samples' peak Σ = {} over {n} pods gives ceil({n} × {} / {}) = {}, while reading the target per pod gives ceil({} / {}) = {}: {n} times as many",
        m.name.value,
        pods.len(),
        fmt_num(t),
        fmt_num((sum * 100.0).round() / 100.0),
        fmt_num((sum * 100.0).round() / 100.0),
        fmt_num(t),
        fmt_num(as_value),
        fmt_num((sum * 100.0).round() / 100.0),
        fmt_num(t),
        fmt_num(as_average),
    );
    let d = Diagnostic::warning(Code::ValueVsAveragevalue, message)
        .at_opt(m.target.value.span().or(Some(m.name.span)))
        .with_help("evidence: the samples of this metric carry a pod label per series; GetExternalMetricReplicas sums every returned series (kubernetes/kubernetes v1.34 replica_calculator.go) and multiplies the ratio by the ready pods");
    Some(d.with_advice("use `target.type: AverageValue` with `averageValue` (desired = ceil(Σ / target), the target per pod), or a Pods metric"))
}

rule_doc! {
    /// The target type and the query's aggregation disagree.
    ///
    /// # What it does
    /// Reads a KEDA prometheus trigger's `query`: `AverageValue` (the default) on an `avg(...)` across
    /// pods, or `Value` on a `sum(rate(...))` across pods (see [`crate::analysis::check_keda_query`]);
    /// from samples, an HPA `External` metric with a `Value` target whose samples hold one series per
    /// pod, which the HPA sums and then multiplies by the pods (see
    /// [`crate::analysis::check_external_value_per_pod`]). Fires only on that evidence and says what
    /// it is.
    ///
    /// # Why is this bad
    /// AverageValue computes ceil(result / threshold) without the pods: on an average the effective
    /// per-pod target is N × threshold and it scales down under load. Value computes ceil(pods ×
    /// result / threshold): on a total that adding pods does not lower (a summed rate, a sum of
    /// per-pod series), it asks for N times too many and runs away to the maximum.
    ///
    /// # Example
    /// ```text
    /// triggers:
    ///   - type: prometheus
    ///     metadata:
    ///       query: avg(rate(vllm:request_success_total[2m]))
    ///       threshold: "5"
    /// ```
    ///
    /// # Fix
    /// `metricType: Value` with an average, or AverageValue with a `sum`.
    ///
    /// # References
    /// - kubernetes/kubernetes v1.34 `pkg/controller/podautoscaler/replica_calculator.go`
    ///   (`GetExternalMetricReplicas`, `GetExternalPerPodMetricReplicas`); kedacore/keda v2.18
    ///   `pkg/scalers/prometheus_scaler.go` and `pkg/scalers/scaler.go` (`GetMetricTargetType`: an
    ///   empty metricType is AverageValue).
    pub(crate) const DOC;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::{Pos, Span};

    fn sp() -> Span {
        Span::point(Pos {
            line: 1,
            column: 1,
            offset: 0,
        })
    }

    #[test]
    fn aggregation_shapes() {
        let cases: &[(&str, Option<(&str, bool)>)] = &[
            ("sum(rate(x[2m]))", Some(("sum", true))),
            (
                "  avg(vllm:num_requests_running{model=\"a\"}) ",
                Some(("avg", true)),
            ),
            ("sum by (deployment) (rate(x[1m]))", Some(("sum", true))),
            ("sum(rate(x[1m])) by (namespace)", Some(("sum", true))),
            ("sum by (pod) (rate(x[1m]))", Some(("sum", false))),
            ("avg without (pod) (x)", Some(("avg", false))),
            ("sum(a) / sum(b)", None),
            ("sum(a) / count(a)", None),
            ("rate(x[1m])", None),
            ("avg_over_time(x[5m])", None),
            ("sum(x{l=\")(\"})", Some(("sum", true))),
            ("sum(", None),
            ("", None),
        ];
        for (q, want) in cases {
            let got = top_aggregation(q).map(|a| (a.op, a.across_pods));
            assert_eq!(got, *want, "{q}");
        }
    }

    #[test]
    fn keda_table() {
        let q = |s: &str| Spanned::new(s.to_string(), sp());
        let value = Spanned::new("Value".to_string(), sp());
        let avg_value = Spanned::new("AverageValue".to_string(), sp());
        // (query, metricType, fires, text)
        let cases: &[(&str, Option<&Spanned<String>>, bool, &str)] = &[
            (
                "avg(rate(req_total[2m]))",
                None,
                true,
                "effective per-pod target is N × 5",
            ),
            (
                "avg(rate(req_total[2m]))",
                Some(&avg_value),
                true,
                "ceil(10 / 5) = 2",
            ),
            ("avg(rate(req_total[2m]))", Some(&value), false, ""),
            ("sum(rate(req_total[2m]))", None, false, ""),
            ("sum(rate(req_total[2m]))", Some(&value), true, "then 12"),
            ("sum(queue_length)", Some(&value), false, ""),
            ("avg by (pod) (x)", None, false, ""),
            ("avg(x) * 2", None, false, ""),
        ];
        for (query, mt, fires, text) in cases {
            let d = check_keda_query(&q(query), *mt, 5.0);
            assert_eq!(d.is_some(), *fires, "{query} {mt:?}: {d:?}");
            if let Some(d) = d {
                assert!(d.message.contains(text), "{}", d.message);
            }
        }
    }
}
