//! AIBrix v0.7.0 APA: the desired-pod computation.
//!
//! Upstream: vllm-project/aibrix v0.7.0 `pkg/controller/podautoscaler/algorithm/apa.go`
//! (`ComputeRecommendation`, `computeTargetReplicas`; after Huo et al. 2023, "High Concurrency
//! Response Strategy based on Kubernetes Horizontal Pod Autoscaler").
//!
//! `ratio = usePerPod / target` with `usePerPod` the stable-window average of the per-pod mean.
//! Above `1 + upTolerance`: `ceil(n × ratio)` capped at `ceil(maxScaleUpRate × n)`; below
//! `1 − downTolerance`: `ceil(n × ratio)` floored at `floor(n / maxScaleDownRate)`; otherwise `n`.
//! Both comparisons are strict. Unlike KPA this scales with the pod count; with `n = 0` it can
//! never scale up (`ceil(0 × ratio) = 0`).

use super::kpa::to_count;

/// What the APA computation reads from the scaling context.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ApaContext {
    pub target: f64,
    /// Stable-window average of the per-pod mean (`SetCurrentUsePerPod(StableValue)`).
    pub current_use_per_pod: f64,
    pub up_tolerance: f64,
    pub down_tolerance: f64,
    pub max_scale_up_rate: f64,
    pub max_scale_down_rate: f64,
}

/// The rule that produced the APA count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ApaRule {
    /// No usable target (missing or ≤ 0): the current count.
    NoTarget,
    /// Inside the tolerance band: the current count.
    Tolerance { ratio: f64 },
    /// `ceil(n × ratio)` applied as is.
    Metric { ratio: f64 },
    /// Capped at `ceil(maxScaleUpRate × n)`.
    MaxScaleUpRate { limit: u32 },
    /// Floored at `floor(n / maxScaleDownRate)`.
    MaxScaleDownRate { limit: u32 },
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ApaOutcome {
    /// Desired pods, before the `[minReplicas, maxReplicas]` clamp.
    pub desired: u32,
    pub rule: ApaRule,
}

/// Upstream `APAAlgorithm.computeTargetReplicas(currentPodCount, context)`: the desired pod count
/// before the `[minReplicas, maxReplicas]` clamp of `applyConstraints`.
pub fn compute_target_replicas(current: u32, c: &ApaContext) -> ApaOutcome {
    compute_target_replicas_as(current, c, true)
}

/// [`compute_target_replicas`] with or without the v0.6.0 guard (`guarded` false: v0.5.0,
/// which divides by the target). Only a negative target reaches the unguarded division here:
/// the ratio is ≤ 0, below the band, and `ceil(n × ratio) ≤ 0` is raised to the largest
/// scale-down step. A target of 0 is refused by the reader (v0.5.0 computes `int32(+Inf)`,
/// which Go leaves to the CPU).
pub fn compute_target_replicas_as(current: u32, c: &ApaContext, guarded: bool) -> ApaOutcome {
    if c.target.is_nan() || c.target == 0.0 || (guarded && c.target < 0.0) {
        // A missing or non-positive target returns the current count (the `expectedUse <= 0`
        // guard and upstream test `division_by_zero` of v0.6.0 on).
        return ApaOutcome {
            desired: current,
            rule: ApaRule::NoTarget,
        };
    }
    let n = f64::from(current);
    let ratio = c.current_use_per_pod / c.target;
    // Outside the tolerance band: `ceil(n × ratio)`, unless the rate limit is tighter.
    let expected = to_count((n * ratio).ceil());
    let metric = ApaOutcome {
        desired: expected,
        rule: ApaRule::Metric { ratio },
    };
    if ratio > 1.0 + c.up_tolerance {
        let max_up = to_count((c.max_scale_up_rate * n).ceil());
        if expected > max_up {
            ApaOutcome {
                desired: max_up,
                rule: ApaRule::MaxScaleUpRate { limit: max_up },
            }
        } else {
            metric
        }
    } else if ratio < 1.0 - c.down_tolerance {
        let max_down = to_count((n / c.max_scale_down_rate).floor());
        if expected < max_down {
            ApaOutcome {
                desired: max_down,
                rule: ApaRule::MaxScaleDownRate { limit: max_down },
            }
        } else {
            metric
        }
    } else {
        ApaOutcome {
            desired: current,
            rule: ApaRule::Tolerance { ratio },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(target: f64, u: f64) -> ApaContext {
        ApaContext {
            target,
            current_use_per_pod: u,
            up_tolerance: 0.1,
            down_tolerance: 0.1,
            max_scale_up_rate: 2.0,
            max_scale_down_rate: 2.0,
        }
    }

    #[test]
    fn cannot_scale_up_from_zero() {
        assert_eq!(compute_target_replicas(0, &ctx(10.0, 100.0)).desired, 0);
    }

    /// v0.5.0 (no guard) with a negative target: the ratio is ≤ 0, below the band, and the
    /// count takes the scale-down limit; a target of 0 stays unreplayed (the current count).
    #[test]
    fn unguarded_negative_target_steps_down() {
        for (target, u, current, want) in [(-0.5, 3.0, 6, 3), (-0.5, 0.0, 6, 3), (0.0, 3.0, 6, 6)] {
            let out = compute_target_replicas_as(current, &ctx(target, u), false);
            assert_eq!(out.desired, want, "target {target}, use {u}");
            assert_eq!(
                compute_target_replicas(current, &ctx(target, u)).desired,
                current
            );
        }
    }

    #[test]
    fn scales_with_pod_count() {
        // 4 pods at 1.8× target: ceil(7.2) = 8 (= the up limit 8).
        let out = compute_target_replicas(4, &ctx(50.0, 90.0));
        assert_eq!(out.desired, 8);
        assert!(matches!(out.rule, ApaRule::Metric { .. }));
    }
}
