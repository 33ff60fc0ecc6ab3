//! Diagnostics from the whole model ([`check_static`], run by [`crate::config::parse_with`]),
//! from data: what the autoscaler will do with the user's real metric samples
//! ([`check_samples`]) and what a simulated run shows ([`check_timeline`]).
//!
//! One file per diagnostic, each documented with What it does / Why is this bad / Example /
//! Fix / References. Everything here is pure and deterministic.
//!
//! **One cause, one diagnostic.** `target-unreachable` (from a run) stays silent when
//! `pinned-at-max` fires; `never-reaches-target` counts only evaluations below maxReplicas;
//! `target-above-bound` (target > bound) and `target-unreachable` (target ≤ bound, threshold with
//! tolerance ≥ bound) do not overlap.

pub(crate) mod flapping;
pub(crate) mod never_reaches_target;
pub(crate) mod never_scales_down;
pub(crate) mod pinned_at_max;
pub(crate) mod promql_rate;
pub(crate) mod promql_series;
pub(crate) mod promql_unit;
pub(crate) mod replay;
pub(crate) mod scale_to_zero;
pub(crate) mod target_unreachable;
pub(crate) mod unit_mismatch;
pub(crate) mod value_vs_averagevalue;
pub(crate) mod window_shorter_than_scrape;

use crate::diagnostic::Diagnostic;
use crate::model::{Autoscaler, Metric};
use crate::samples::{Interpretation, Samples};
use crate::sim::SimOutput;

pub use flapping::{check_flapping, FLAPPING_CHANGES_PER_HOUR};
pub use never_reaches_target::check_never_reaches_target;
pub use never_scales_down::check_never_scales_down;
pub use pinned_at_max::check_pinned_at_max;
pub use promql_rate::ScrapeInterval;
pub use promql_series::check_promql;
pub use replay::{check_replay, defer_target_above_bound, replay_too_long};
pub use scale_to_zero::{aibrix_hpa_min_zero, check_keda_idle_floor, check_scale_to_zero};
pub use target_unreachable::{check_target_unreachable_run, check_target_unreachable_static};
pub use unit_mismatch::check_unit_mismatch;
pub use value_vs_averagevalue::{
    check_external_value_per_pod, check_keda_query, top_aggregation, TopAggregation,
};
pub use window_shorter_than_scrape::{check_query_ranges, check_windows};

/// Static diagnostics of one autoscaler that need the whole model (run by
/// [`crate::config::parse_with`] for every autoscaler it reads): [`check_scale_to_zero`],
/// [`check_windows`], [`check_target_unreachable_static`]. (`value-vs-averagevalue` needs
/// the query's span and runs where the KEDA trigger is read: [`check_keda_query`].)
pub fn check_static(autoscaler: &Autoscaler) -> Vec<Diagnostic> {
    let mut out = check_scale_to_zero(autoscaler);
    out.extend(check_windows(autoscaler));
    out.extend(check_target_unreachable_static(autoscaler));
    out
}

/// Diagnostics from imported samples, read as `interpretation` (see
/// [`crate::samples::to_demand`]): [`check_unit_mismatch`], [`check_keda_idle_floor`],
/// [`check_query_ranges`], [`check_external_value_per_pod`].
pub fn check_samples(
    autoscaler: &Autoscaler,
    samples: &Samples,
    interpretation: Interpretation,
    scrape: ScrapeInterval,
) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = check_unit_mismatch(autoscaler, samples, interpretation)
        .into_iter()
        .collect();
    out.extend(check_keda_idle_floor(autoscaler, samples, interpretation));
    out.extend(check_query_ranges(autoscaler, samples, scrape));
    out.extend(check_external_value_per_pod(autoscaler, samples));
    out
}

/// Diagnostics from a simulated run: [`check_never_scales_down`], [`check_pinned_at_max`],
/// [`check_target_unreachable_run`] (only when `pinned-at-max` did not fire: one cause, one
/// diagnostic), [`check_never_reaches_target`], [`check_flapping`].
pub fn check_timeline(autoscaler: &Autoscaler, output: &SimOutput) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    out.extend(check_never_scales_down(autoscaler, output));
    let pinned = check_pinned_at_max(autoscaler, output);
    if pinned.is_none() {
        out.extend(check_target_unreachable_run(autoscaler, output));
    }
    out.extend(pinned);
    out.extend(check_never_reaches_target(autoscaler, output));
    out.extend(check_flapping(autoscaler, output));
    out
}

/// The metric the samples are of: the one whose name matches the samples' metric name (with or
/// without the `vllm:` prefix), else the first.
pub(crate) fn metric_for<'a>(autoscaler: &'a Autoscaler, samples: &Samples) -> Option<&'a Metric> {
    if let Some(name) = &samples.metric {
        if let Some(m) = autoscaler
            .metrics
            .iter()
            .find(|m| crate::samples::name_matches(name, &m.name.value))
        {
            return Some(m);
        }
    }
    autoscaler.metrics.first()
}

/// A number for messages and YAML edits: [`crate::display::Num`] with 6 decimals (so
/// `0.3 × 100` prints `30`, not `30.000000000000004`, and a suggested target keeps its digits).
pub(crate) fn fmt_num(x: f64) -> String {
    format!("{:.6}", crate::display::Num(x))
}

/// The median of `v` (sorts it); `None` when empty.
pub(crate) fn median(v: &mut [f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    crate::sort::by(v, f64::total_cmp);
    v.get(v.len() / 2).copied()
}

#[cfg(test)]
pub(crate) mod test_util {
    use crate::config;
    use crate::demand::parse_csv;
    use crate::model::{Autoscaler, Millis, SECOND};
    use crate::sim::{simulate, SimOptions, SimOutput};

    /// `a` replayed on the demand CSV `demand`, from 1 replica, with 60 s pod start-up.
    pub fn run(a: &Autoscaler, demand: &str) -> SimOutput {
        run_from(a, demand, 1, 60 * SECOND)
    }

    /// `a` replayed on the demand CSV `demand`, from `initial` replicas, pods starting in
    /// `pod_startup`.
    pub fn run_from(a: &Autoscaler, demand: &str, initial: u32, pod_startup: Millis) -> SimOutput {
        let d = parse_csv(demand).expect("csv");
        simulate(
            a,
            &d,
            &SimOptions {
                initial_replicas: Some(initial),
                pod_startup: Some(pod_startup),
                duration: None,
                max_evaluations: None,
                outage: None,
            },
        )
    }

    /// An HPA on a Pods metric (`rps`, average 10), 1 to 10 replicas, with a scale-down
    /// stabilization window of `window` seconds (written on line 16).
    pub fn hpa_with_scale_down_window(window: u32) -> Autoscaler {
        autoscaler(&format!(
            "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: h\nspec:\n  scaleTargetRef: {{kind: Deployment, name: x}}\n  minReplicas: 1\n  maxReplicas: 10\n  metrics:\n    - type: Pods\n      pods:\n        metric: {{name: rps}}\n        target: {{type: AverageValue, averageValue: \"10\"}}\n  behavior:\n    scaleDown:\n      stabilizationWindowSeconds: {window}\n"
        ))
    }

    /// The one autoscaler of `yaml` (panics otherwise: tests only).
    pub fn autoscaler(yaml: &str) -> Autoscaler {
        let p = config::parse(yaml);
        match p.autoscalers.first() {
            Some(a) => a.clone(),
            None => panic!("no autoscaler: {:#?}", p.diagnostics),
        }
    }

    /// An AIBrix KPA on `metric` with `target`, min 1, max 10, and extra annotations.
    pub fn kpa(metric: &str, target: &str, annotations: &str) -> Autoscaler {
        autoscaler(&kpa_yaml(metric, target, annotations))
    }

    /// The YAML of [`kpa`].
    pub fn kpa_yaml(metric: &str, target: &str, annotations: &str) -> String {
        format!(
            "apiVersion: autoscaling.aibrix.ai/v1alpha1\nkind: PodAutoscaler\nmetadata:\n  name: kpa\n  annotations:\n    x: y\n{annotations}spec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: d\n  minReplicas: 1\n  maxReplicas: 10\n  metricsSources:\n    - metricSourceType: pod\n      protocolType: http\n      port: \"8000\"\n      path: /metrics\n      targetMetric: {metric}\n      targetValue: \"{target}\"\n  scalingStrategy: KPA\n"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(fmt_num(0.3 * 100.0), "30");
        assert_eq!(fmt_num(0.5), "0.5");
        assert_eq!(fmt_num(50.0 / 100.0), "0.5");
        assert_eq!(fmt_num(1.0 / 3.0), "0.333333");
        assert_eq!(fmt_num(f64::NAN), "-");
        assert_eq!(fmt_num(1e300), "1e300");
        assert_eq!(fmt_num(0.9999999), "1");
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
    }
}
