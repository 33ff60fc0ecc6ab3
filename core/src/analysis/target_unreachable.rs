//! `target-unreachable`: the metric can never be brought to (or above) its target.
//!
//! How the check works (the rule's docs, what / why / example / fix / references, are
//! [`DOC`], shown by `scalelens rule` and in SARIF):
//! Two definitions, one static and one from a simulated run:
//! - **Static, tolerance above the bound**: a bounded metric (a 0–1 fraction, a percent) whose
//!   target is within the bound (else it is `target-above-bound`) but so close to it that the
//!   scale-up threshold, target × (1 + scale-up tolerance), is at or above the bound. The HPA
//!   scales up only when usage / target > 1 + tolerance, AIBrix KPA/APA only when the value
//!   exceeds target × (1 + `scale-up-tolerance`): a per-pod value that cannot exceed the bound
//!   can never get there, so the workload never scales up.
//! - **From the run, maxReplicas too low for the load**: with a per-pod target, the demand at
//!   the peak divided by maxReplicas stays above target × (1 + tolerance) for at least
//!   [`MIN_OVER`]: even at maxReplicas each pod is over target ("at peak, 10 pods would each
//!   see 1.7 vs target 0.5; need 34"). When `pinned-at-max` already fires for the run (the
//!   count sat at maxReplicas for most of the load), that diagnostic covers the cause and this
//!   one stays silent: one cause, one diagnostic. Demand beyond what maxReplicas pods can
//!   report at the metric's bound is left to `sim-demand-above-bound` / `unit-mismatch`.
//!
//! A target *below* a metric's floor was considered and left out: per-pod values are averages
//! (a mean of counts can be 0.5), Knative rejects targets below 0.01 and every family rejects
//! targets ≤ 0 (`invalid-target`), so no replayed controller has a floor a valid target can sit
//! under. AIBrix's HPA strategy rounding of fractional targets is `aibrix-target-truncated`.

use super::{fmt_num, median};
use crate::codes::rule_doc;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::display::{Clock, Dur};
use crate::model::{AibrixParams, Algorithm, Autoscaler, Millis, TargetType, SECOND};
use crate::sim::SimOutput;

/// The load must stay over capacity at least this long (summed) to be reported.
pub const MIN_OVER: Millis = 60 * SECOND;

/// The scale-up tolerance of the replayed controller (0 when it has no band: Knative, AIBrix
/// v0.4.0 KPA).
pub(crate) fn up_tolerance(a: &Autoscaler) -> f64 {
    match &a.algorithm {
        Algorithm::Hpa(p) => p.tolerance_up.value,
        Algorithm::Keda(p) => p.hpa.tolerance_up.value,
        Algorithm::AibrixKpa(AibrixParams::V04(_)) => 0.0,
        Algorithm::AibrixApa(AibrixParams::V04(p)) => p.up_fluctuation_tolerance.value,
        Algorithm::AibrixKpa(
            AibrixParams::V05(p) | AibrixParams::V06(p) | AibrixParams::V07(p),
        )
        | Algorithm::AibrixApa(
            AibrixParams::V05(p) | AibrixParams::V06(p) | AibrixParams::V07(p),
        ) => p.scale_up_tolerance.value,
        Algorithm::KnativeKpa(_) => 0.0,
    }
}

/// A target that is clearly reachable for a metric bounded at `bound` with `tol`.
fn suggested_target(bound: f64, tol: f64) -> f64 {
    let limit = bound / (1.0 + tol);
    let s = 0.8 * bound;
    if s < limit {
        s
    } else {
        (limit * 0.9 * 100.0).floor() / 100.0
    }
}

/// Static: a bounded metric whose scale-up threshold is at or above its bound.
pub fn check_target_unreachable_static(a: &Autoscaler) -> Vec<Diagnostic> {
    let tol = up_tolerance(a);
    let mut out = Vec::new();
    for m in &a.metrics {
        let (Some(b), t) = (m.bound, m.target.value.value) else {
            continue;
        };
        if m.target.target_type == TargetType::Utilization || !(t > 0.0 && t <= b) {
            continue;
        }
        let threshold = t * (1.0 + tol);
        if threshold < b {
            continue;
        }
        let message = if tol > 0.0 {
            format!(
                "target {} for `{}`: the controller scales up only when the per-pod value exceeds target × (1 + scale-up tolerance {}) = {}, but the metric cannot exceed {}: it can never scale up",
                fmt_num(t),
                m.name.value,
                fmt_num(tol),
                fmt_num(threshold),
                fmt_num(b)
            )
        } else {
            format!(
                "target {} for `{}` equals the metric's maximum {}: the per-pod value can at most reach the target, never exceed it, so it can never scale up",
                fmt_num(t),
                m.name.value,
                fmt_num(b)
            )
        };
        let s = fmt_num(suggested_target(b, tol));
        let mut d = Diagnostic::warning(Code::TargetUnreachable, message)
            .at_opt(m.target.value.span().or(Some(m.name.span)));
        if let Some(span) = m.target.value.span() {
            d = d.with_fix(
                format!(
                    "a target the metric can exceed, below {} / (1 + {}) = {}: {s}",
                    fmt_num(b),
                    fmt_num(tol),
                    fmt_num(b / (1.0 + tol))
                ),
                span,
                format!("\"{s}\""),
            );
        }
        out.push(d);
    }
    out
}

/// From a run: the peak demand needs more than maxReplicas pods at the target.
pub fn check_target_unreachable_run(a: &Autoscaler, out: &SimOutput) -> Option<Diagnostic> {
    let max = a.max_replicas.value;
    if max == u32::MAX || max == 0 {
        return None;
    }
    let m = a.metrics.first()?;
    if m.target.target_type == TargetType::Value {
        return None;
    }
    if out
        .facts
        .iter()
        .any(|f| matches!(f, crate::sim::SimFact::DemandAboveBound { .. }))
    {
        return None;
    }
    let t = m.target.value.value;
    if !(t.is_finite() && t > 0.0) {
        return None;
    }
    let tol = up_tolerance(a);
    let tl = &out.timeline;
    let mut over: Millis = 0;
    let mut peak: Option<(f64, Millis)> = None;
    for (i, e) in tl.iter().enumerate() {
        let per = e.demand / f64::from(max);
        let reportable = m.bound.is_none_or(|b| per <= b);
        if !(per > t * (1.0 + tol) && reportable) {
            continue;
        }
        let dt = tl.get(i + 1).map_or(0, |n| n.t.saturating_sub(e.t));
        over = over.saturating_add(dt);
        if peak.is_none_or(|(p, _)| e.demand > p) {
            peak = Some((e.demand, e.t));
        }
    }
    let (peak_demand, at) = peak?;
    if over < MIN_OVER {
        return None;
    }
    let per = peak_demand / f64::from(max);
    let need = (peak_demand / t).ceil();
    let mut loaded: Vec<f64> = tl
        .iter()
        .filter(|e| e.demand > 0.0)
        .map(|e| e.demand)
        .collect();
    let typical = median(&mut loaded).unwrap_or(0.0);
    let message = format!(
        "at the peak (demand {} at {}), maxReplicas {max} pods would each see {} vs target {}: even at maxReplicas the target cannot be reached; the peak needs {} replicas (over capacity for {} of the run; median demand {})",
        fmt_num(peak_demand),
        Clock(at),
        fmt_num((per * 100.0).round() / 100.0),
        fmt_num(t),
        fmt_num(need),
        Dur(over),
        fmt_num((typical * 100.0).round() / 100.0),
    );
    let mut d = Diagnostic::warning(Code::TargetUnreachable, message)
        .at(a.max_replicas.span().unwrap_or(a.name_span));
    if let Some(span) = a.max_replicas.span() {
        d = d.with_fix(
            format!(
                "raise maxReplicas to what the peak needs ({})",
                fmt_num(need)
            ),
            span,
            fmt_num(need),
        );
    }
    Some(d)
}

rule_doc! {
    /// The metric can never be brought to (or above) its target.
    ///
    /// # What it does
    /// Reports a target the metric can never be brought past: statically, a bounded metric whose
    /// scale-up threshold target × (1 + tolerance) is at or above the bound (a target above the bound
    /// is `target-above-bound`); from a replay, a peak demand that keeps each of maxReplicas pods over
    /// target for at least a minute (silent when `pinned-at-max` fires for the run). See
    /// [`crate::analysis::check_target_unreachable_static`],
    /// [`crate::analysis::check_target_unreachable_run`].
    ///
    /// # Why is this bad
    /// Statically the autoscaler never scales up; in the replay, peaks queue requests however well it
    /// reacts, because maxReplicas is below the load.
    ///
    /// # Example
    /// ```text
    /// # HPA, tolerance 0.1: scale-up needs > 0.95 × 1.1 = 1.045, above the maximum 1
    /// target: {type: AverageValue, averageValue: "950m"}
    /// ```
    ///
    /// # Fix
    /// A target below bound / (1 + tolerance); or maxReplicas at the count the message computes.
    ///
    /// # References
    /// - kubernetes/kubernetes v1.34 `pkg/controller/podautoscaler/replica_calculator.go`
    ///   (`Tolerances.isWithin`); vllm-project/aibrix v0.7.0
    ///   `pkg/controller/podautoscaler/algorithm/kpa.go`, `apa.go`.
    pub(crate) const DOC;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_util::kpa;

    #[test]
    fn static_table() {
        // (metric, target, fires)
        for (metric, target, fires) in [
            ("kv_cache_usage_perc", "0.95", true),
            ("kv_cache_usage_perc", "0.91", true),
            ("kv_cache_usage_perc", "0.9", false),
            ("kv_cache_usage_perc", "0.5", false),
            ("kv_cache_usage_perc", "50", false), // target-above-bound instead
            ("num_requests_waiting", "0.95", false),
        ] {
            let a = kpa(metric, target, "");
            let d = check_target_unreachable_static(&a);
            assert_eq!(d.len(), usize::from(fires), "{metric} {target}: {d:?}");
            if let Some(d) = d.first() {
                assert_eq!(d.fixes[0].edits[0].replacement, "\"0.8\"");
            }
        }
    }

    #[test]
    fn suggestion_stays_below_the_threshold() {
        for (b, tol) in [(1.0, 0.1), (100.0, 0.1), (1.0, 0.5), (1.0, 0.0)] {
            let s = suggested_target(b, tol);
            assert!(s > 0.0 && s * (1.0 + tol) < b, "{b} {tol}: {s}");
        }
    }
}
