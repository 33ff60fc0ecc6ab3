//! `never-reaches-target`: the observed metric cannot show, or never shows, the load.
//!
//! How the check works (the rule's docs, what / why / example / fix / references, are
//! [`DOC`], shown by `scalelens rule` and in SARIF):
//! Two findings from a simulated run:
//! - **Saturation hides the demand** (warning): the metric has a bound (a 0–1 fraction such as
//!   vLLM's KV-cache usage), the demand per ready pod exceeded that bound for at least
//!   [`MIN_SATURATED`] in total, and at those evaluations the controller was content: all pods
//!   ready, no change decided, the count below maxReplicas. The pods report the bound, so the
//!   observed value never tells how far over target the load is, and the count stays too low.
//!   AIBrix v0.7.0's KPA shows it most clearly: it recommends `ceil(mean / target)` without
//!   the pod count, so a 0–1 metric with target 0.5 never asks for more than 2 replicas.
//! - **Target never reached** (note): over at least [`MIN_LOADED`] of load, the observed value
//!   stayed below [`NEVER_REACHED_SHARE`] of the target at every evaluation and the count never
//!   left minReplicas: the target is not even approached, so this load never triggers scaling.
//!   It is a note: the load may simply be light; it matters when the replayed load is a real
//!   peak. (A peak at, say, 80 % of the target is a sized configuration and is not reported.)
//!
//! Versus `pinned-at-max`: that one fires when the count sits at maxReplicas; the saturation
//! finding here requires the count to be below maxReplicas at every evaluation it counts, so
//! the two never report the same evaluations. Demand beyond what maxReplicas pods can report at
//! the bound is `sim-demand-above-bound` (the simulator then drops the bound, and this check
//! stays silent).

use super::fmt_num;
use super::target_unreachable::up_tolerance;
use crate::codes::rule_doc;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::display::{Clock, Dur};
use crate::model::{Algorithm, Autoscaler, Millis, TargetType, MINUTE};
use crate::sim::SimOutput;

/// Saturated evaluations must add up to at least this long.
pub const MIN_SATURATED: Millis = 2 * MINUTE;
/// The load must last at least this long before "never reached the target" is worth saying.
pub const MIN_LOADED: Millis = 30 * MINUTE;
/// "Never reached" means the peak stayed below this share of the target.
pub const NEVER_REACHED_SHARE: f64 = 0.5;

/// Report a run where saturation hides the demand, or where the target is never reached.
pub fn check_never_reaches_target(a: &Autoscaler, out: &SimOutput) -> Option<Diagnostic> {
    saturated(a, out).or_else(|| never_reached(a, out))
}

fn bound_dropped(out: &SimOutput) -> bool {
    out.facts
        .iter()
        .any(|f| matches!(f, crate::sim::SimFact::DemandAboveBound { .. }))
}

fn saturated(a: &Autoscaler, out: &SimOutput) -> Option<Diagnostic> {
    let m = a.metrics.first()?;
    let b = m.bound?;
    let t = m.target.value.value;
    if bound_dropped(out)
        || m.target.target_type == TargetType::Utilization
        || t.is_nan()
        || t <= 0.0
    {
        return None;
    }
    let max = a.max_replicas.value;
    let tl = &out.timeline;
    let mut total: Millis = 0;
    let mut first: Option<Millis> = None;
    let mut worst = 0.0f64; // highest demand per ready pod
    let mut peak_demand = 0.0f64;
    let mut held = 0u32;
    for (i, e) in tl.iter().enumerate() {
        if e.ready == 0 {
            continue;
        }
        let per = e.demand / f64::from(e.ready);
        let content = e.desired == e.replicas && e.ready == e.replicas && e.replicas < max;
        if !(per > b && content) {
            continue;
        }
        let dt = tl.get(i + 1).map_or(0, |n| n.t.saturating_sub(e.t));
        total = total.saturating_add(dt);
        first.get_or_insert(e.t);
        if per > worst {
            worst = per;
            held = e.replicas;
        }
        peak_demand = peak_demand.max(e.demand);
    }
    let from = first?;
    if total < MIN_SATURATED {
        return None;
    }
    let need = (peak_demand / t).ceil().min(f64::from(max));
    let message = format!(
        "`{}` cannot exceed {} per pod, but from {} the demand per ready pod reached {}: the pods report {}, so the autoscaler saw at most {} vs target {} and held {held} replicas (below maxReplicas {max}) for {} in total, while the load needed {}",
        m.name.value,
        fmt_num(b),
        Clock(from),
        fmt_num((worst * 100.0).round() / 100.0),
        fmt_num(b),
        fmt_num(b),
        fmt_num(t),
        Dur(total),
        fmt_num(need),
    );
    let help = match &a.algorithm {
        Algorithm::AibrixKpa(p) if p.gen_b().is_some() => format!(
            "AIBrix {}'s KPA recommends ceil(per-pod mean / target) without multiplying by the pods: with a metric capped at {} it never asks for more than ceil({} / {}) = {} replicas, whatever the load",
            p.version().tag(),
            fmt_num(b),
            fmt_num(b),
            fmt_num(t),
            fmt_num((b / t).ceil())
        ),
        _ => "a saturated metric hides how far over target the load is: the recommendation grows only as fast as the capped value allows".to_string(),
    };
    let d = Diagnostic::warning(Code::NeverReachesTarget, message)
        .at_opt(m.target.value.span().or(Some(m.name.span)))
        .with_help(help)
        .with_advice("scale on a metric that keeps growing with the load (e.g. `num_requests_waiting` or `num_requests_running`), or with a strategy that multiplies by the current pods (AIBrix APA, HPA)");
    Some(d)
}

fn never_reached(a: &Autoscaler, out: &SimOutput) -> Option<Diagnostic> {
    let m = a.metrics.first()?;
    let t = m.target.value.value;
    if !(t.is_finite() && t > 0.0) {
        return None;
    }
    let min = a.min_replicas.value;
    let tl = &out.timeline;
    if tl.is_empty() || tl.iter().any(|e| e.replicas != min || e.desired != min) {
        return None;
    }
    let mut loaded: Millis = 0;
    let mut peak = f64::NAN;
    let total_observed = a.algorithm.observed_is_workload_total();
    for (i, e) in tl.iter().enumerate() {
        if e.demand <= 0.0 {
            continue;
        }
        let dt = tl.get(i + 1).map_or(0, |n| n.t.saturating_sub(e.t));
        loaded = loaded.saturating_add(dt);
        let o = if total_observed && m.target.target_type != TargetType::Value {
            e.observed / f64::from(e.ready.max(1))
        } else {
            e.observed
        };
        if o.is_finite() && (peak.is_nan() || o > peak) {
            peak = o;
        }
    }
    if loaded < MIN_LOADED || peak.is_nan() || peak <= 0.0 {
        return None;
    }
    let tol = up_tolerance(a);
    if peak >= NEVER_REACHED_SHARE * t {
        return None;
    }
    let trigger = t * (1.0 + tol);
    let message = format!(
        "over {} of load the observed value never came near the target: peak {} vs target {} ({}% of it; scaling up starts above {}), so replicas stayed at minReplicas {min} the whole run; if this load is a real peak, the target is too high to ever trigger scaling",
        Dur(loaded),
        fmt_num((peak * 1000.0).round() / 1000.0),
        fmt_num(t),
        fmt_num((peak / t * 1000.0).round() / 10.0),
        fmt_num(trigger),
    );
    Some(
        Diagnostic::note(Code::NeverReachesTarget, message)
            .at_opt(m.target.value.span().or(Some(m.name.span))),
    )
}

rule_doc! {
    /// The observed metric cannot show, or never shows, the load.
    ///
    /// # What it does
    /// From a replay: a bounded metric saturates at its bound while the demand per ready pod exceeds
    /// it and the controller holds a count below maxReplicas (warning); or the observed value stays
    /// below half the target over at least 30 minutes of load with replicas at minReplicas throughout
    /// (note). See [`crate::analysis::check_never_reaches_target`]; it never reports evaluations at
    /// maxReplicas, which are `pinned-at-max`'s.
    ///
    /// # Why is this bad
    /// A saturated metric cannot say how far over target the load is: AIBrix v0.7.0's KPA asks for at
    /// most ceil(bound / target) replicas whatever the load. A target never reached makes the
    /// autoscaler inert.
    ///
    /// # Example
    /// ```text
    /// scalingStrategy: KPA
    /// metricsSources:
    ///   - targetMetric: kv_cache_usage_perc
    ///     targetValue: "0.5"   # at most ceil(1 / 0.5) = 2 replicas
    /// ```
    ///
    /// # Fix
    /// Scale on a metric that keeps growing with the load (`num_requests_waiting`), or a strategy that
    /// multiplies by the pods; for a never-reached target, a target the real peak exceeds.
    ///
    /// # References
    /// - vllm-project/aibrix v0.7.0 `pkg/controller/podautoscaler/algorithm/kpa.go`;
    ///   vllm-project/aibrix PR #2671; vllm-project/vllm `vllm/v1/metrics/loggers.py`.
    pub(crate) const DOC;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_util::{kpa, run};

    #[test]
    fn aibrix_kpa_fraction_saturates_below_max() {
        // 5 pods' worth of a 0–1 fraction at 0.7 each = 3.5 in total; KPA v0.7 stops at 2.
        let a = kpa("kv_cache_usage_perc", "0.5", "");
        let out = run(&a, "time,value\n0,3.5\n3600,3.5\n");
        let d = check_never_reaches_target(&a, &out).expect("fires");
        assert_eq!(d.severity, crate::diagnostic::Severity::Warning);
        assert!(d.message.contains("held 2 replicas"), "{}", d.message);
        assert!(d.help.as_deref().unwrap_or("").contains("= 2 replicas"));
    }

    #[test]
    fn load_within_bound_is_clean() {
        let a = kpa("kv_cache_usage_perc", "0.5", "");
        let out = run(&a, "time,value\n0,0.8\n3600,0.8\n");
        assert!(check_never_reaches_target(&a, &out).is_none());
    }

    #[test]
    fn target_never_reached_is_a_note() {
        let a = kpa("num_requests_waiting", "50", "");
        let out = run(&a, "time,value\n0,10\n3600,10\n");
        let d = check_never_reaches_target(&a, &out).expect("fires");
        assert_eq!(d.severity, crate::diagnostic::Severity::Note);
        assert!(d.message.contains("peak 10 vs target 50"), "{}", d.message);
    }
}
