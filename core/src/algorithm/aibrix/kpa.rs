//! AIBrix v0.7.0 KPA: the desired-pod computation.
//!
//! Upstream: vllm-project/aibrix v0.7.0 `pkg/controller/podautoscaler/algorithm/kpa.go`
//! (`ComputeRecommendation`, `shouldEnterPanicMode`, `computeTargetReplicas`).
//!
//! AIBrix's quirks, kept on purpose:
//! - the observed values are the window averages of the **per-pod mean** of the metric, and the
//!   desired count is `ceil(value / target)`, **not** multiplied by the pod count (Knative and
//!   AIBrix's own APA scale with the total). For a bounded per-pod gauge (a 0–1 fraction with a
//!   target of 0.5) the recommendation can never exceed `ceil(bound / target)`;
//! - a tolerance band `target × (1 ± tolerance)`: inside it the candidate is the current count;
//! - panic is decided afresh every reconcile (`StableValue <= 0 || PanicValue / StableValue >
//!   panicThreshold`) and the controller builds a new scaling context every reconcile, so
//!   `maxPanicPods` is always 0 there: panic never holds the count (unlike Knative).
//!   [`compute_target_replicas`] still honours `max_panic_pods` and `activation_scale`, as the
//!   upstream function does (its unit test sets them).

/// What the KPA computation reads from the scaling context (upstream `ScalingContext`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KpaContext {
    /// Per-pod target value of the metric.
    pub target: f64,
    /// Stable-window average of the per-pod mean.
    pub stable_value: f64,
    /// Panic-window average of the per-pod mean.
    pub panic_value: f64,
    pub max_scale_up_rate: f64,
    pub max_scale_down_rate: f64,
    pub up_tolerance: f64,
    pub down_tolerance: f64,
    pub panic_threshold: f64,
    pub in_panic_mode: bool,
    /// Always 0 in the controller (fresh context each reconcile).
    pub max_panic_pods: u32,
    /// Always 1 in the controller (`DefaultActivationScale`).
    pub activation_scale: u32,
}

/// The rule that produced a KPA candidate (or the final count).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum KpaRule {
    /// No usable target (missing or ≤ 0): the current count.
    NoTarget,
    /// The value was inside the tolerance band: the current count. `ratio = value / target`.
    Tolerance { ratio: f64 },
    /// `ceil(value / target)` applied as is.
    Metric { value: f64 },
    /// Lowered to the scale-up limit `max(1, ceil(maxScaleUpRate × n))`.
    MaxScaleUpRate { limit: u32 },
    /// Raised to the scale-down limit `floor(n / maxScaleDownRate)`.
    MaxScaleDownRate { limit: u32 },
    /// Raised to the activation scale.
    ActivationScale { scale: u32 },
    /// Panic mode held the count at `maxPanicPods` (never in the controller).
    PanicHold { held: u32 },
}

/// Result of one KPA computation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KpaOutcome {
    /// Desired pods, before the `[minReplicas, maxReplicas]` clamp.
    pub desired: u32,
    /// Whether the panic candidate decided (panic mode, and its candidate above the stable one).
    pub panic_decided: bool,
    /// The rule that produced `desired`.
    pub rule: KpaRule,
    /// `maxPanicPods` after the call (upstream writes it back into the context).
    pub max_panic_pods: u32,
}

/// Float count → `u32`, saturating (`NaN` and negatives → 0). Inputs are whole numbers
/// (results of `ceil`/`floor`), so no rounding happens here.
pub(crate) fn to_count(x: f64) -> u32 {
    if x.is_nan() || x <= 0.0 {
        0
    } else if x >= u32::MAX as f64 {
        u32::MAX
    } else {
        x as u32
    }
}

/// Upstream `shouldEnterPanicMode`: a non-positive stable value, or a panic/stable ratio above
/// the threshold.
pub fn should_enter_panic(stable_value: f64, panic_value: f64, panic_threshold: f64) -> bool {
    if stable_value <= 0.0 {
        return true;
    }
    panic_value / stable_value > panic_threshold
}

/// One candidate (stable or panic): tolerance band, `ceil(value / target)`, then the rate limits.
fn candidate(value: f64, n: f64, c: &KpaContext, max_down: f64, max_up: f64) -> (u32, KpaRule) {
    let up_threshold = c.target * (1.0 + c.up_tolerance);
    let down_threshold = c.target * (1.0 - c.down_tolerance);
    let (raw, rule) = if value > up_threshold || value < down_threshold {
        ((value / c.target).ceil(), KpaRule::Metric { value })
    } else {
        (
            n,
            KpaRule::Tolerance {
                ratio: value / c.target,
            },
        )
    };
    // Upstream: min(max(raw, maxScaleDown), maxScaleUp).
    let clamped = raw.max(max_down).min(max_up);
    let limit = to_count(clamped);
    let rule = if clamped < raw {
        KpaRule::MaxScaleUpRate { limit }
    } else if clamped > raw {
        KpaRule::MaxScaleDownRate { limit }
    } else {
        rule
    };
    (limit, rule)
}

/// Upstream `KPAAlgorithm.computeTargetReplicas(currentPodCount, context)`: the desired pod
/// count before the `[minReplicas, maxReplicas]` clamp of `applyConstraints`.
pub fn compute_target_replicas(current: u32, c: &KpaContext) -> KpaOutcome {
    compute_target_replicas_as(current, c, true)
}

/// [`compute_target_replicas`] with or without the v0.6.0 `targetValue > 0` guard: AIBrix
/// v0.5.0 has none and divides by the target it was given (`guarded` false). With a target of
/// 0 a metric above 0 asks `+Inf` pods (the largest scale-up step) and a metric of 0 sits in
/// the tolerance band (`0 > 0` and `0 < 0` are both false); with a negative target every
/// metric ≥ 0 is "above" the band and `ceil(value / target) ≤ 0`: the largest scale-down step.
pub fn compute_target_replicas_as(current: u32, c: &KpaContext, guarded: bool) -> KpaOutcome {
    if c.target.is_nan() || (guarded && c.target <= 0.0) {
        // v0.7.0 reads the target per metric name; a missing or non-positive target returns
        // the current count.
        return KpaOutcome {
            desired: current,
            panic_decided: false,
            rule: KpaRule::NoTarget,
            max_panic_pods: c.max_panic_pods,
        };
    }
    let n = f64::from(current);
    // Keep scale-up non-zero; make scale-down zero-able.
    let max_up = (c.max_scale_up_rate * n).ceil().max(1.0);
    let max_down = (n / c.max_scale_down_rate).floor();

    let (mut stable, mut stable_rule) = candidate(c.stable_value, n, c, max_down, max_up);
    let (mut panic, mut panic_rule) = candidate(c.panic_value, n, c, max_down, max_up);

    if c.activation_scale > 1 {
        if c.activation_scale > stable && stable > 0 {
            stable = c.activation_scale;
            stable_rule = KpaRule::ActivationScale {
                scale: c.activation_scale,
            };
        }
        if c.activation_scale > panic && panic > 0 {
            panic = c.activation_scale;
            panic_rule = KpaRule::ActivationScale {
                scale: c.activation_scale,
            };
        }
    }

    if !c.in_panic_mode {
        return KpaOutcome {
            desired: stable,
            panic_decided: false,
            rule: stable_rule,
            max_panic_pods: c.max_panic_pods,
        };
    }

    // Panic: provision for the larger of the two, and never below maxPanicPods.
    let (mut desired, mut rule, panic_decided) = if panic > stable {
        (panic, panic_rule, true)
    } else {
        (stable, stable_rule, false)
    };
    let mut max_panic_pods = c.max_panic_pods;
    if desired > max_panic_pods {
        max_panic_pods = desired;
    } else if desired < max_panic_pods {
        rule = KpaRule::PanicHold {
            held: max_panic_pods,
        };
    }
    desired = max_panic_pods;
    KpaOutcome {
        desired,
        panic_decided,
        rule,
        max_panic_pods,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(target: f64, s: f64, p: f64) -> KpaContext {
        KpaContext {
            target,
            stable_value: s,
            panic_value: p,
            max_scale_up_rate: 2.0,
            max_scale_down_rate: 2.0,
            up_tolerance: 0.1,
            down_tolerance: 0.1,
            panic_threshold: 2.0,
            in_panic_mode: false,
            max_panic_pods: 0,
            activation_scale: 1,
        }
    }

    #[test]
    fn per_pod_mean_is_not_multiplied_by_pods() {
        // 7 pods at a mean of 0.9 with target 0.5: ceil(1.8) = 2, floored by the scale-down
        // limit floor(7/2) = 3: a scale-DOWN under load.
        let out = compute_target_replicas(7, &ctx(0.5, 0.9, 0.9));
        assert_eq!(out.desired, 3);
        assert_eq!(out.rule, KpaRule::MaxScaleDownRate { limit: 3 });
    }

    #[test]
    fn tolerance_band_keeps_current() {
        let out = compute_target_replicas(4, &ctx(10.0, 10.5, 10.5));
        assert_eq!(out.desired, 4);
        assert!(matches!(out.rule, KpaRule::Tolerance { .. }));
    }

    /// v0.5.0 (no guard): a target of 0 asks +Inf pods above 0 (the scale-up limit) and keeps
    /// the count at 0 (inside the band); a negative target takes the scale-down limit.
    #[test]
    fn unguarded_target_divides_as_v05() {
        let cases = [
            (0.0, 0.3, 4, 8, "above 0: ceil(+Inf) capped at ceil(2 × 4)"),
            (0.0, 0.0, 4, 4, "0 > 0 and 0 < 0 are false: tolerance"),
            (
                -0.5,
                0.3,
                4,
                2,
                "ceil(0.3 / -0.5) = 0, raised to floor(4 / 2)",
            ),
            (-0.5, 0.0, 5, 2, "ceil(-0) raised to floor(5 / 2)"),
        ];
        for (target, value, current, want, why) in cases {
            let out = compute_target_replicas_as(current, &ctx(target, value, value), false);
            assert_eq!(out.desired, want, "{why}");
            // The guarded releases keep the count instead.
            let guarded = compute_target_replicas(current, &ctx(target, value, value));
            assert_eq!(guarded.desired, current, "{why} (guarded)");
        }
    }

    #[test]
    fn non_positive_target_returns_current() {
        let out = compute_target_replicas(3, &ctx(0.0, 10.0, 10.0));
        assert_eq!(out.desired, 3);
        assert_eq!(out.rule, KpaRule::NoTarget);
    }

    #[test]
    fn stateless_panic_does_not_hold() {
        // In the controller maxPanicPods is 0, so panic takes max(stable, panic) and nothing else.
        let mut c = ctx(10.0, 0.0, 0.0);
        c.in_panic_mode = should_enter_panic(0.0, 0.0, 2.0);
        assert!(c.in_panic_mode);
        let out = compute_target_replicas(6, &c);
        assert_eq!(out.desired, 3);
    }

    #[test]
    fn panic_threshold_is_strict() {
        assert!(!should_enter_panic(10.0, 20.0, 2.0));
        assert!(should_enter_panic(10.0, 20.000001, 2.0));
        assert!(should_enter_panic(-1.0, 0.0, 2.0));
    }

    #[test]
    fn to_count_saturates() {
        assert_eq!(to_count(f64::NAN), 0);
        assert_eq!(to_count(-3.0), 0);
        assert_eq!(to_count(f64::INFINITY), u32::MAX);
        assert_eq!(to_count(5.0), 5);
    }
}
