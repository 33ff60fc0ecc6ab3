//! `pinned-at-max`: the desired count sits at maxReplicas while the metric asks for more.
//!
//! How the check works (the rule's docs, what / why / example / fix / references, are
//! [`DOC`], shown by `scalelens rule` and in SARIF):
//! Over the evaluations of a simulated run that had load (demand > 0), counts those whose
//! decision was maxReplicas. When that is at least [`PINNED_SHARE`] of them and the metric's own
//! recommendation (before min/max) was above maxReplicas at most of those, it reports how long
//! and by how much.

use super::{fmt_num, median};
use crate::codes::rule_doc;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::model::{Autoscaler, Family};
use crate::sim::SimOutput;

/// Share of the loaded evaluations at maxReplicas that makes the count "pinned".
pub const PINNED_SHARE: f64 = 0.8;
/// A recommendation this many times maxReplicas suggests a unit mismatch rather than load.
pub const UNIT_SUSPECT_FACTOR: f64 = 4.0;

/// Report a run pinned at maxReplicas for most of its loaded period.
pub fn check_pinned_at_max(a: &Autoscaler, out: &SimOutput) -> Option<Diagnostic> {
    let max = a.max_replicas.value;
    if max == u32::MAX {
        return None;
    }
    let loaded: Vec<_> = out.timeline.iter().filter(|e| e.demand > 0.0).collect();
    if loaded.len() < 3 {
        return None;
    }
    let at_max: Vec<_> = loaded.iter().filter(|e| e.desired == max).collect();
    let share = at_max.len() as f64 / loaded.len() as f64;
    if share < PINNED_SHARE {
        return None;
    }
    let mut raw: Vec<f64> = at_max.iter().map(|e| f64::from(e.desired_raw)).collect();
    let wanted = median(&mut raw)?;
    if wanted <= f64::from(max) {
        return None;
    }
    let mut observed: Vec<f64> = at_max
        .iter()
        .map(|e| e.observed)
        .filter(|o| o.is_finite())
        .collect();
    let target = a.metrics.first().map(|m| m.target.value.value);
    let (observed_text, per_pod_ratio) = match (median(&mut observed), target) {
        (Some(o), Some(t)) if t > 0.0 => (
            format!(
                " (observed {} vs target {})",
                fmt_num((o * 100.0).round() / 100.0),
                fmt_num(t)
            ),
            // AIBrix, HPA and KEDA observe a per-pod value; Knative's is a total.
            if a.family == Family::Knative {
                0.0
            } else {
                o / t
            },
        ),
        _ => (String::new(), 0.0),
    };
    let message = format!(
        "desired replicas sat at maxReplicas {max} for {}% of the evaluations with load ({} of {}); the metric asked for a median of {} replicas{observed_text}: the cap hides the real demand",
        fmt_num((share * 100.0).round()),
        at_max.len(),
        loaded.len(),
        fmt_num(wanted),
    );
    let mut d = Diagnostic::warning(Code::PinnedAtMax, message)
        .at(a.max_replicas.span().unwrap_or(a.name_span));
    let suspect = wanted.max(per_pod_ratio);
    if suspect > UNIT_SUSPECT_FACTOR * f64::from(max) {
        d = d.with_help(format!(
            "a per-pod value {}× the target is rarely real load: check that the metric and the target use the same unit (percent vs 0–1 fraction)",
            fmt_num(suspect.round())
        ));
    } else if let Some(span) = a.max_replicas.span() {
        d = d.with_fix(
            format!(
                "raise maxReplicas to what the load asked for ({})",
                fmt_num(wanted)
            ),
            span,
            fmt_num(wanted),
        );
    }
    Some(d)
}

rule_doc! {
    /// The desired count sits at maxReplicas while the metric asks for more.
    ///
    /// # What it does
    /// From a replay: the desired count sat at maxReplicas for most of the loaded period while the
    /// metric asked for more (see [`crate::analysis::check_pinned_at_max`]).
    ///
    /// # Why is this bad
    /// The bound hides the real demand; a recommendation far above the bound usually means a unit
    /// mismatch.
    ///
    /// # Example
    /// ```text
    /// maxReplicas: 10
    /// # the metric asks for a median of 84 replicas
    /// ```
    ///
    /// # Fix
    /// Raise maxReplicas, or check the metric's unit.
    ///
    /// # References
    /// - kubernetes/kubernetes v1.34 `pkg/controller/podautoscaler/horizontal.go`
    ///   (`ScalingLimited`/`TooManyReplicas`); vllm-project/aibrix v0.7.0
    ///   `pkg/controller/podautoscaler/algorithm/kpa.go`.
    pub(crate) const DOC;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_util::{kpa, run};

    #[test]
    fn percent_demand_on_fraction_target_pins() {
        // 42 per pod "percent" on 4 pods' worth of load, target 0.5, max 10.
        let a = kpa("my_util", "0.5", "");
        let out = run(&a, "time,value\n0,420\n1800,420\n");
        let d = check_pinned_at_max(&a, &out).expect("fires");
        assert!(d.message.contains("maxReplicas 10"), "{}", d.message);
        assert!(
            d.help.as_deref().unwrap_or("").contains("same unit"),
            "{d:?}"
        );
    }

    #[test]
    fn slightly_over_capacity_offers_raising_max() {
        let a = kpa("my_util", "0.5", "");
        // At 10 pods the per-pod mean is 6: ceil(6 / 0.5) = 12 > 10.
        let out = run(&a, "time,value\n0,60\n1800,60\n");
        let d = check_pinned_at_max(&a, &out).expect("fires");
        assert!(
            d.fixes[0].description.contains("raise maxReplicas"),
            "{d:?}"
        );
        assert!(d.help.is_none());
    }

    #[test]
    fn load_within_capacity_does_not_fire() {
        let a = kpa("my_util", "0.5", "");
        let out = run(&a, "time,value\n0,1.5\n1800,1.5\n");
        assert!(out.timeline.iter().all(|e| e.desired < 10));
        assert!(check_pinned_at_max(&a, &out).is_none());
    }
}
