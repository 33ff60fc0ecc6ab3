//! `unit-mismatch`: the samples and the target are on different scales.
//!
//! How the check works (the rule's docs, what / why / example / fix / references, are
//! [`DOC`], shown by `scalelens rule` and in SARIF):
//! Compares the per-pod values of the imported samples (and the metric registry's unit) with the
//! scale of the metric's target:
//! - samples on a 0–100 scale (their median above 1, none above 100) while the target is ≤ 1;
//! - samples all ≤ 1 (and fractional) while the target is > 1 (up to 100);
//! - without such samples: a metric the registry knows as a percent (bound 100) with a target
//!   ≤ 1.
//!
//! It says what the autoscaler will see (`observed 42 vs target 0.5: 84× over target — will
//! pin at maxReplicas 10`) and offers two fixes: rewrite the target in the samples' unit (a YAML
//! edit of the target), or convert the metric to the target's unit.

use super::{fmt_num, median, metric_for};
use crate::codes::rule_doc;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::metrics;
use crate::model::{Autoscaler, Metric, TargetType};
use crate::samples::{Interpretation, Samples};

/// Largest sample value still read as a percent (a little over 100 for rounding).
const PERCENT_MAX: f64 = 100.5;

/// Check the samples' scale against the target of the metric they are of.
pub fn check_unit_mismatch(
    autoscaler: &Autoscaler,
    samples: &Samples,
    interpretation: Interpretation,
) -> Option<Diagnostic> {
    let metric = metric_for(autoscaler, samples)?;
    if metric.target.target_type == TargetType::Utilization {
        return None; // percent of the request by definition; samples are not comparable
    }
    let target = metric.target.value.value;
    if !(target.is_finite() && target > 0.0) {
        return None; // `invalid-target` already
    }
    let known = metrics::lookup(&metric.name.value);
    let known_count = matches!(known, Some(k) if k.bound.is_none());
    let name = samples.metric.as_deref().unwrap_or(&metric.name.value);

    if per_pod(samples, interpretation) && !known_count {
        let mut values: Vec<f64> = samples
            .series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.1))
            .filter(|v| *v > 0.0)
            .collect();
        let max = values.iter().copied().fold(0.0, f64::max);
        let fractional = values.iter().any(|v| v.fract() != 0.0);
        if let Some(typical) = median(&mut values) {
            if target <= 1.0 && typical > 1.0 && max <= PERCENT_MAX {
                return Some(percent_samples(
                    autoscaler, metric, name, target, typical, max,
                ));
            }
            let fraction_metric = matches!(known, Some(k) if k.bound == Some(1.0));
            if target > 1.0
                && target <= 100.0
                && max <= 1.0
                && (fraction_metric || (known.is_none() && fractional))
            {
                return Some(fraction_samples(
                    autoscaler, metric, name, target, typical, max,
                ));
            }
        }
    }
    // The registry alone: a percent metric with a fractional target.
    if let Some(k) = known {
        if k.bound == Some(100.0) && target <= 1.0 {
            let observed_note = format!(
                "`{}` is {} ({}), but the target {} reads as a 0–1 fraction",
                metric.name.value,
                k.unit,
                k.source,
                fmt_num(target)
            );
            return Some(
                base(
                    metric,
                    format!(
                        "{observed_note}: any load above {}% is over target",
                        fmt_num(target)
                    ),
                )
                .with_fixes(
                    metric,
                    target * 100.0,
                    "write the target in percent",
                    format!(
                        "or keep {} and convert `{}` to a 0–1 fraction: divide it by 100 in the recording rule or exporter that feeds the autoscaler",
                        fmt_num(target),
                        metric.name.value
                    ),
                ),
            );
        }
    }
    None
}

/// Whether the series' values are per-pod values under `interpretation` (as `to_demand`
/// resolves `Auto`): per-pod series and per-pod averages are; totals are not.
fn per_pod(samples: &Samples, interpretation: Interpretation) -> bool {
    match interpretation {
        Interpretation::PerPod | Interpretation::Average => true,
        Interpretation::Total => false,
        Interpretation::Auto => {
            samples
                .series
                .iter()
                .filter(|s| !s.points.is_empty())
                .count()
                > 1
                || samples.has_pods()
                || !samples.replicas.is_empty()
        }
    }
}

fn max_replicas_text(a: &Autoscaler) -> String {
    if a.max_replicas.value == u32::MAX {
        "no maxReplicas".to_string()
    } else {
        format!("maxReplicas {}", a.max_replicas.value)
    }
}

fn percent_samples(
    a: &Autoscaler,
    metric: &Metric,
    name: &str,
    target: f64,
    typical: f64,
    max: f64,
) -> Diagnostic {
    let ratio = typical / target;
    // Every algorithm recommends at least ceil(per-pod value / target) pods (AIBrix KPA exactly
    // that; the others multiply by the pods, at least 1).
    let at_least = ratio.ceil();
    let outcome = if at_least >= f64::from(a.max_replicas.value) {
        format!("will pin at {}", max_replicas_text(a))
    } else {
        format!("will run at least {} replicas", fmt_num(at_least))
    };
    let message = format!(
        "`{name}` samples are on a 0–100 scale (median {}, max {}) but the target {} is a 0–1 fraction: observed {} vs target {}: {}× over target — {outcome}",
        fmt_num(typical),
        fmt_num(max),
        fmt_num(target),
        fmt_num(typical),
        fmt_num(target),
        fmt_num(ratio.round()),
    );
    base(metric, message).with_fixes(
        metric,
        target * 100.0,
        "write the target in percent, the samples' unit",
        format!(
            "or keep the target {} and convert `{name}` to a 0–1 fraction: divide it by 100 in the recording rule or exporter that feeds the autoscaler (e.g. `{name} / 100`)",
            fmt_num(target)
        ),
    )
}

fn fraction_samples(
    a: &Autoscaler,
    metric: &Metric,
    name: &str,
    target: f64,
    typical: f64,
    max: f64,
) -> Diagnostic {
    let pct = typical / target * 100.0;
    let message = format!(
        "`{name}` samples are on a 0–1 scale (median {}, max {}) but the target {} reads as 0–100: observed {} vs target {}: {}% of target — will never scale up, and drifts to minReplicas {}",
        fmt_num(typical),
        fmt_num(max),
        fmt_num(target),
        fmt_num(typical),
        fmt_num(target),
        fmt_num((pct * 10.0).round() / 10.0),
        a.min_replicas.value,
    );
    base(metric, message).with_fixes(
        metric,
        target / 100.0,
        "write the target as a 0–1 fraction, the samples' unit",
        format!(
            "or keep the target {} and convert `{name}` to percent: multiply it by 100 in the recording rule or exporter that feeds the autoscaler (e.g. `{name} * 100`)",
            fmt_num(target)
        ),
    )
}

fn base(metric: &Metric, message: String) -> Diagnostic {
    Diagnostic::warning(Code::UnitMismatch, message)
        .at_opt(metric.target.value.span().or(Some(metric.name.span)))
}

trait WithFixes {
    fn with_fixes(self, metric: &Metric, new_target: f64, what: &str, convert: String) -> Self;
}

impl WithFixes for Diagnostic {
    /// The two fixes: the target rewritten (a YAML edit when the target is written in the
    /// input), and the metric converted (no edit: it happens outside the YAML; also in help).
    fn with_fixes(mut self, metric: &Metric, new_target: f64, what: &str, convert: String) -> Self {
        let new = fmt_num(new_target);
        match metric.target.value.span() {
            Some(span) => self = self.with_fix(what, span, format!("\"{new}\"")),
            None => self = self.with_advice(format!("{what}: set the target to {new}")),
        }
        self = self.with_advice(convert.clone());
        self.with_help(format!(
            "the autoscaler divides the observed value by the target, so both must use one unit; {convert}"
        ))
    }
}

rule_doc! {
    /// The samples and the target are on different scales.
    ///
    /// # What it does
    /// Compares the samples' scale with the target's: samples 0–100 (percent) with a target ≤ 1,
    /// samples ≤ 1 with a target > 1, or a metric the registry knows as a percent with a fractional
    /// target (see [`crate::analysis::check_unit_mismatch`]).
    ///
    /// # Why is this bad
    /// The autoscaler divides observed by target: a factor 100 pins it at maxReplicas or keeps it at
    /// minReplicas.
    ///
    /// # Example
    /// ```text
    /// targetValue: "0.5"
    /// # samples: vllm:gpu_cache_usage_perc 42
    /// ```
    ///
    /// # Fix
    /// Write the target in the samples' unit (`"50"`), or convert the metric where it is produced.
    ///
    /// # References
    /// - vllm-project/vllm `vllm/engine/metrics.py`; vllm-project/aibrix v0.7.0
    ///   `pkg/controller/podautoscaler/algorithm/kpa.go`; vllm-project/aibrix issue #593.
    pub(crate) const DOC;
}

#[cfg(test)]
mod tests {
    use super::super::test_util::kpa;
    use super::*;
    use crate::samples::{Format, Series, TimeBase};

    fn samples(metric: &str, values: &[f64]) -> Samples {
        let series = (0..2)
            .map(|p| Series {
                labels: vec![("pod".into(), format!("p{p}"))],
                pod: Some(format!("p{p}")),
                points: values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (i as i64 * 15_000, *v))
                    .collect(),
            })
            .collect();
        Samples {
            format: Format::Csv,
            metric: Some(metric.to_string()),
            time_base: TimeBase::Relative,
            series,
            replicas: Vec::new(),
            counter: false,
            notes: Vec::new(),
        }
    }

    #[test]
    fn table() {
        let pct = [0.0, 30.0, 42.0, 42.0, 97.0, 0.0];
        let frac = [0.0, 0.3, 0.42, 0.42, 0.97, 0.0];
        let counts = [0.0, 3.0, 4.0, 12.0];
        // (metric, target, values, interpretation, fires, text in message)
        type Case<'a> = (&'a str, &'a str, &'a [f64], Interpretation, bool, &'a str);
        let cases: &[Case] = &[
            (
                "gpu_cache_usage_perc",
                "0.5",
                &pct,
                Interpretation::Auto,
                true,
                "observed 42 vs target 0.5: 84× over target — will pin at maxReplicas 10",
            ),
            (
                "gpu_cache_usage_perc",
                "0.5",
                &frac,
                Interpretation::Auto,
                false,
                "",
            ),
            (
                "gpu_cache_usage_perc",
                "0.5",
                &pct,
                Interpretation::Total,
                false,
                "",
            ),
            (
                "gpu_cache_usage_perc",
                "50",
                &frac,
                Interpretation::Auto,
                true,
                "0.8% of target — will never scale up",
            ),
            (
                "gpu_cache_usage_perc",
                "50",
                &pct,
                Interpretation::Auto,
                false,
                "",
            ),
            (
                "my_util",
                "0.5",
                &pct,
                Interpretation::PerPod,
                true,
                "84× over target",
            ),
            (
                "my_util",
                "50",
                &frac,
                Interpretation::PerPod,
                true,
                "drifts to minReplicas 1",
            ),
            (
                "num_requests_waiting",
                "0.5",
                &counts,
                Interpretation::Auto,
                false,
                "",
            ),
            (
                "num_requests_waiting",
                "5",
                &[0.0, 1.0],
                Interpretation::Auto,
                false,
                "",
            ),
            (
                "DCGM_FI_DEV_GPU_UTIL",
                "0.7",
                &[],
                Interpretation::Auto,
                true,
                "any load above 0.7% is over target",
            ),
            (
                "DCGM_FI_DEV_GPU_UTIL",
                "70",
                &pct,
                Interpretation::Auto,
                false,
                "",
            ),
        ];
        for (metric, target, values, interp, fires, text) in cases {
            let a = kpa(metric, target, "");
            let d = check_unit_mismatch(&a, &samples(metric, values), *interp);
            assert_eq!(d.is_some(), *fires, "{metric} {target} {values:?}: {d:?}");
            if let Some(d) = d {
                assert!(d.message.contains(text), "{}", d.message);
                assert_eq!(d.fixes.len(), 2);
                assert_eq!(d.span, a.metrics[0].target.value.span());
            }
        }
    }

    #[test]
    fn target_fix_rewrites_the_target() {
        let a = kpa("gpu_cache_usage_perc", "0.5", "");
        let d = check_unit_mismatch(
            &a,
            &samples("vllm:gpu_cache_usage_perc", &[30.0, 42.0]),
            Interpretation::Auto,
        );
        let d = d.expect("fires");
        assert_eq!(d.fixes[0].edits[0].replacement, "\"50\"");
        assert!(d.fixes[1].description.contains("divide it by 100"));
        let a = kpa("gpu_cache_usage_perc", "30", "");
        let d = check_unit_mismatch(
            &a,
            &samples("gpu_cache_usage_perc", &[0.2, 0.4]),
            Interpretation::Auto,
        );
        assert_eq!(d.expect("fires").fixes[0].edits[0].replacement, "\"0.3\"");
    }
}
