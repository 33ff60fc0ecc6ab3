//! `promql-unit-mismatch`: a KEDA prometheus query of a metric whose unit (the registry,
//! [`crate::metrics`]) cannot meet the trigger's `threshold`.
//!
//! How the check works (the rule's docs are [`DOC`]): when the query is one known metric kept
//! in its unit (the bare selector, or under `avg`/`max`/`min`/`quantile`, or `sum` with
//! `metricType: AverageValue`, which the HPA divides back by the pods), its per-pod value is
//! bounded by the registry's bound: a 0–1 fraction (`vllm:gpu_cache_usage_perc`) against a
//! threshold above 1 (a percent, `80`) never reaches it, and a 0–100 percent
//! (`DCGM_FI_DEV_GPU_UTIL`) against a threshold at or below 1 (a fraction) always exceeds it.
//! Queries that change the unit (arithmetic, `rate`) are not checked.

#[cfg(feature = "promql")]
use promql_parser::parser::Expr;

use crate::codes::rule_doc;
#[cfg(feature = "promql")]
use crate::codes::Code;
#[cfg(feature = "promql")]
use crate::diagnostic::Diagnostic;
#[cfg(feature = "promql")]
use crate::display::Num;
#[cfg(feature = "promql")]
use crate::metrics::{self, KnownMetric};
#[cfg(feature = "promql")]
use crate::yaml::Node;

#[cfg(feature = "promql")]
/// The known metric a query reads in its own unit, if any.
fn unit_kept(e: &Expr, average: bool) -> Option<&'static KnownMetric> {
    match e {
        Expr::Paren(p) => unit_kept(&p.expr, average),
        Expr::VectorSelector(v) => {
            let name = v.name.as_deref().or_else(|| {
                v.matchers
                    .matchers
                    .iter()
                    .find(|m| m.name == "__name__")
                    .map(|m| m.value.as_str())
            })?;
            metrics::lookup(name)
        }
        Expr::Aggregate(a) => match a.op.to_string().as_str() {
            "avg" | "max" | "min" | "quantile" => unit_kept(&a.expr, average),
            // A sum over pods, divided back by the pods (metricType AverageValue).
            "sum" if average => unit_kept(&a.expr, average),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(feature = "promql")]
/// `promql-unit-mismatch` for a parsed query at `node` against `threshold`.
pub(crate) fn check_unit(
    node: &Node,
    expr: &Expr,
    threshold: f64,
    metric_type: &str,
) -> Option<Diagnostic> {
    let known = unit_kept(expr, metric_type != "Value")?;
    let bound = known.bound?;
    let (mismatch, fix) = if bound <= 1.0 && threshold > bound {
        (
            format!(
                "can never reach the threshold {}: `{}` is a {}, at most {} per pod",
                Num(threshold),
                known.name,
                known.unit,
                Num(bound)
            ),
            format!(
                "write the threshold as a fraction ({} for {} percent)",
                Num(threshold / 100.0),
                Num(threshold)
            ),
        )
    } else if bound >= 100.0 && threshold <= 1.0 {
        (
            format!(
                "is above the threshold {} whenever the metric is above {} percent: `{}` is a {}",
                Num(threshold),
                Num(threshold),
                known.name,
                known.unit
            ),
            format!(
                "write the threshold in percent ({} for a fraction of {})",
                Num(threshold * 100.0),
                Num(threshold)
            ),
        )
    } else {
        return None;
    };
    Some(
        Diagnostic::warning(Code::PromqlUnitMismatch, format!("the query {mismatch}"))
            .at(node.span)
            .with_help(format!("the metric's unit: {}", known.source))
            .with_advice(fix),
    )
}

rule_doc! {
    /// A Prometheus query whose metric's unit cannot meet the trigger's threshold.
    ///
    /// # What it does
    /// Reads the metric of a KEDA `prometheus` trigger's `query` and, when the query keeps it in
    /// its unit, compares the unit's bound (from Scalelens' metric registry) with `threshold`:
    /// a 0–1 fraction against a threshold above 1, or a 0–100 percent against a threshold at or
    /// below 1 (in the CLI: the playground builds without the PromQL parser).
    ///
    /// # Why is this bad
    /// `vllm:gpu_cache_usage_perc` is 0–1: with `threshold: "80"` the target is 80 times
    /// what the metric can read, so the workload never scales up; a percent metric with a
    /// fraction threshold is always far above target, so it runs at `maxReplicaCount`.
    ///
    /// # Example
    /// ```text
    /// metadata:
    ///   query: avg(vllm:gpu_cache_usage_perc)
    ///   threshold: "80"
    /// ```
    ///
    /// # Fix
    /// Write the threshold in the metric's unit (`"0.8"`), or scale the query (`100 *
    /// avg(vllm:gpu_cache_usage_perc)`).
    ///
    /// # References
    /// - vllm-project/vllm `vllm/v1/metrics/loggers.py` (cache usage, 0–1); NVIDIA/dcgm-exporter
    ///   `etc/default-counters.csv` (`DCGM_FI_DEV_GPU_UTIL`, percent).
    pub(crate) const DOC;
}

#[cfg(all(test, feature = "promql"))]
mod tests {
    use super::check_unit;
    use crate::yaml::{Node, NodeKind};

    #[test]
    fn units_against_thresholds() {
        let cases: &[(&str, f64, &str, bool)] = &[
            ("avg(vllm:gpu_cache_usage_perc)", 80.0, "AverageValue", true),
            ("avg(vllm:gpu_cache_usage_perc)", 0.8, "AverageValue", false),
            ("vllm:kv_cache_usage_perc", 75.0, "AverageValue", true),
            ("sum(vllm:kv_cache_usage_perc)", 75.0, "AverageValue", true),
            ("sum(vllm:kv_cache_usage_perc)", 75.0, "Value", false),
            (
                "100 * avg(vllm:gpu_cache_usage_perc)",
                80.0,
                "AverageValue",
                false,
            ),
            ("avg(DCGM_FI_DEV_GPU_UTIL)", 0.7, "AverageValue", true),
            ("avg(DCGM_FI_DEV_GPU_UTIL)", 70.0, "AverageValue", false),
            (
                "sum(vllm:num_requests_waiting)",
                80.0,
                "AverageValue",
                false,
            ),
            (
                "{__name__=\"vllm:gpu_cache_usage_perc\"}",
                80.0,
                "AverageValue",
                true,
            ),
        ];
        let node = Node {
            kind: NodeKind::Scalar {
                text: "q".into(),
                quoted: false,
            },
            span: crate::span::Span::default(),
        };
        for (q, threshold, mt, want) in cases {
            let e = promql_parser::parser::parse(q).unwrap_or_else(|e| panic!("{q}: {e}"));
            assert_eq!(
                check_unit(&node, &e, *threshold, mt).is_some(),
                *want,
                "{q} vs {threshold} ({mt})"
            );
        }
    }
}
