//! `never-scales-down`: the load went away, the replicas did not.
//!
//! How the check works (the rule's docs, what / why / example / fix / references, are
//! [`DOC`], shown by `scalelens rule` and in SARIF):
//! Looks at the end of a simulated run: when the demand has stayed at or below what minReplicas
//! serve at the target (zero, or `target × minReplicas` for a per-pod target) for at least
//! [`MIN_QUIET`] up to the end of the horizon, but the last decision still sets more than
//! minReplicas (more than one replica for a scale-to-zero autoscaler whose load is low but not
//! zero: zero replicas serve nothing), it reports the rule that held them (the reason of the last decision:
//! stabilization window, scale-down delay, cooldown, panic, max scale-down rate, missing metrics,
//! a metric that stays above target, ...).

use super::fmt_num;
use crate::algorithm::Reason;
use crate::codes::rule_doc;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::display::{Clock, Dur};
use crate::knobs::{self, Concept};
use crate::model::{Autoscaler, Millis, TargetType, MINUTE};
use crate::sim::SimOutput;
use crate::span::Span;

/// The quiet tail must last this long before "did not scale down" is worth saying.
pub const MIN_QUIET: Millis = 2 * MINUTE;

/// The highest total demand that minReplicas serve at the target.
fn low_demand(a: &Autoscaler) -> f64 {
    match a.metrics.first() {
        Some(m) => {
            let t = m.target.value.value;
            if !(t.is_finite() && t > 0.0) {
                return 0.0;
            }
            match m.target.target_type {
                TargetType::Value => t,
                _ => t * f64::from(a.min_replicas.value.max(1)),
            }
        }
        None => 0.0,
    }
}

/// Report a run whose replicas stay above minReplicas after the demand fell.
pub fn check_never_scales_down(a: &Autoscaler, out: &SimOutput) -> Option<Diagnostic> {
    let tl = &out.timeline;
    let last = tl.last()?;
    let min = a.min_replicas.value;
    if last.desired <= min {
        return None;
    }
    let low = low_demand(a);
    let start = tl.iter().rposition(|e| e.demand > low).map_or(0, |i| i + 1);
    let first_quiet = tl.get(start)?;
    let quiet = last.t.saturating_sub(first_quiet.t);
    if quiet < MIN_QUIET {
        return None;
    }
    let all_zero = tl.iter().skip(start).all(|e| e.demand == 0.0);
    // Zero replicas serve nothing: under a load that is low but not zero, one replica is the
    // fewest a scale-to-zero autoscaler (minReplicas 0) can return to.
    let floor = if all_zero { min } else { min.max(1) };
    if last.desired <= floor {
        return None;
    }
    let (rule, hint, span) = explain(a, &last.reason);
    let demand_text = if all_zero {
        "went to zero".to_string()
    } else {
        format!(
            "stayed at or below {} (what {} at the target)",
            fmt_num(low),
            match min {
                0 | 1 => "one replica serves".to_string(),
                n => format!("minReplicas {n} serve"),
            }
        )
    };
    let back_to = if floor == min {
        format!("minReplicas {min}")
    } else {
        format!("{floor} (the fewest that serve a load above zero)")
    };
    let message = format!(
        "the demand {demand_text} at {} but replicas never returned to {back_to}: still {} at the end of the run, {} later; held by: {rule}",
        Clock(first_quiet.t),
        last.desired,
        Dur(quiet),
    );
    Some(
        Diagnostic::warning(Code::NeverScalesDown, message)
            .at(span.unwrap_or(a.name_span))
            .with_help(hint),
    )
}

/// The rule in words, what to change, and where it is written.
fn explain(a: &Autoscaler, reason: &Reason) -> (String, String, Option<Span>) {
    let rule = reason.to_string();
    // The setting that holds the count, from the family's knob table, and what it does.
    let held_by = match reason {
        Reason::StabilizationWindow { .. } => Some((Concept::ScaleDownWindow, "the scale-down stabilization window keeps the highest recommendation of the window: shorten")),
        Reason::ScaleDownDelay { .. } => Some((Concept::ScaleDownDelay, "the scale-down delay keeps the highest count of the delay window: shorten")),
        Reason::CooldownWindow { .. } | Reason::CooldownMin { .. } => Some((Concept::ScaleDownWindow, "the scale-down cooldown window holds the count: shorten")),
        Reason::Cooldown { .. } => Some((Concept::ScaleToZeroDelay, "KEDA waits this long after the last active trigger before scaling to zero: shorten")),
        _ => None,
    }
    .and_then(|(c, words)| knobs::change(a, c).map(|(place, span)| (format!("{words} `{place}`"), span)));
    let (hint, span): (String, Option<Span>) = match (held_by, reason) {
        (Some(h), _) => h,
        (None, Reason::PanicNoScaleDown { .. }) => (
            "panic mode never scales down until the panic window has been calm: raise the panic threshold, or lengthen the panic window".into(),
            None,
        ),
        (None, Reason::MaxScaleDownRate { .. } | Reason::ScaleDownPolicy { .. }) => (
            "the scale-down rate limit allows only a few pods per period: allow a larger scale-down rate or policy".into(),
            None,
        ),
        (None, Reason::ScalingDisabledByPolicy) => (
            "scale-down is disabled (`selectPolicy: Disabled`): enable it".into(),
            None,
        ),
        (None, Reason::NoMetrics) => (
            "without metric data the controller keeps the last count: make sure the metric is reported when idle (0, not absent)".into(),
            None,
        ),
        (None, Reason::Tolerance { .. }) => (
            "the change is inside the tolerance band: lower the scale-down tolerance".into(),
            None,
        ),
        (None, Reason::MinReplicas { .. }) => (
            "minReplicas itself holds the count".into(),
            a.min_replicas.span(),
        ),
        _ => (
            "the metric still recommends this count: check that it falls with the load and that it is in the target's unit".into(),
            a.metrics.first().and_then(|m| m.target.value.span()),
        ),
    };
    (rule, hint, span)
}

rule_doc! {
    /// The load went away, the replicas did not.
    ///
    /// # What it does
    /// From a replay: the demand fell to zero (or below what minReplicas serve) but the replicas did
    /// not return to minReplicas within the horizon; names the rule that held them (see
    /// [`crate::analysis::check_never_scales_down`]).
    ///
    /// # Why is this bad
    /// Idle replicas (GPUs) cost money; it is the symptom users report first ("scaled 1 → 7 and stayed
    /// at 7").
    ///
    /// # Example
    /// ```text
    /// behavior:
    ///   scaleDown:
    ///     stabilizationWindowSeconds: 3600
    /// ```
    ///
    /// # Fix
    /// The setting of the rule named in the message.
    ///
    /// # References
    /// - kubernetes/kubernetes v1.34 `pkg/controller/podautoscaler/horizontal.go`; vllm-project/aibrix
    ///   v0.4.0 `pkg/controller/podautoscaler/scaler/kpa.go` (30 min delay) and issue #593.
    pub(crate) const DOC;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_util::{hpa_with_scale_down_window as hpa, run_from};
    use crate::model::SECOND;

    fn run(a: &Autoscaler) -> SimOutput {
        // 60 rps for 20 minutes, then nothing (the horizon ends at 60 minutes).
        run_from(a, "time,value\n0,60\n1200,0\n2400,0\n", 1, 30 * SECOND)
    }

    #[test]
    fn long_window_holds_and_is_named() {
        let a = hpa(3600);
        let out = run(&a);
        let tail: Vec<_> = out.timeline.iter().rev().take(3).collect();
        let d = check_never_scales_down(&a, &out).unwrap_or_else(|| panic!("{tail:#?}"));
        assert!(
            d.message.contains("stabilization window held 6"),
            "{}",
            d.message
        );
        assert!(
            d.message.contains("went to zero at 0:20:00"),
            "{}",
            d.message
        );
        assert_eq!(d.span.map(|s| s.start.line), Some(16));
    }

    #[test]
    fn default_window_scales_down() {
        let a = hpa(300);
        let out = run(&a);
        assert_eq!(out.timeline.last().map(|e| e.desired), Some(1));
        assert!(check_never_scales_down(&a, &out).is_none());
    }
}
