//! KEDA ScaledJob: how many Jobs one poll creates, per scaling strategy.
//!
//! Upstream: kedacore/keda v2.18 `pkg/scaling/executor/scale_jobs.go` (`RequestJobScale`,
//! `getScalingDecision`, `createJobs`, `NewScalingStrategy` and the four strategies'
//! `GetEffectiveMaxScale`), `pkg/scaling/scaledjob/metrics.go`
//! (`CalculateQueueLengthAndMaxValue`, `IsScaledJobActive`), `pkg/scaling/scale_handler.go`
//! (`getScaledJobMetrics`: each trigger's queue length and `maxValue`), and
//! `apis/keda/v1alpha1/scaledjob_types.go` (`MaxReplicaCount`, `MinReplicaCount`: the max is
//! *reduced by* the min). The strategy functions are unchanged at v2.18.3 (its diff touches
//! only the Ready condition of `RequestJobScale`). Pinned by the cases of `scale_jobs_test.go`
//! and `metrics_test.go` (`core/tests/testdata/vectors/keda-job.json`).
//!
//! At each `pollingInterval` KEDA reads every trigger: its queue length `q` (the metric value)
//! and `maxValue = min(q / target, maxReplicaCount)`; the triggers combine by
//! `multipleScalersCalculation` (max, the default; min, avg, sum; only active triggers count);
//! `scaleTo = ceil(q)`, `maxScale = ceil(min(maxValue, maxReplicaCount))`. Then, with the
//! running (unfinished) and pending (no pod running yet) Jobs, the strategy gives the
//! effective maximum, and an active ScaledJob creates `min(scaleTo, effectiveMax)` Jobs when
//! the effective maximum is above 0. What these functions do not cover (Job run times, how
//! the queue drains, history clean-up) belongs to the workload, not to KEDA: Scalelens does not
//! replay a ScaledJob over time ([`crate::config`] says so in its diagnostic).

/// `spec.scalingStrategy.strategy` as `NewScalingStrategy` selects it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Strategy {
    /// `default` (also any unknown name): `maxScale − running`.
    Default,
    /// `custom` with a `customScalingRunningJobPercentage` that parses as a float:
    /// `min(maxScale − deduction − ⌊running × percentage⌋, maxReplicaCount)`.
    Custom { deduction: i64, percentage: f64 },
    /// `accurate`: `maxReplicaCount − running` when `maxScale + running` exceeds
    /// `maxReplicaCount`, else `maxScale − pending`.
    Accurate,
    /// `eager`: `min(maxReplicaCount − running − pending, maxScale)`, with `scaleTo` raised to
    /// `maxReplicaCount`.
    Eager,
}

impl Strategy {
    /// `NewScalingStrategy`: `custom` falls back to `default` when its percentage is not a
    /// float (`strconv.ParseFloat`, e.g. empty); an unset deduction is read as 0 (upstream
    /// dereferences it: a nil pointer there would crash the operator).
    pub fn select(name: &str, deduction: Option<i32>, percentage: &str) -> Strategy {
        match name {
            "custom" => match parse_go_float(percentage) {
                Some(p) => Strategy::Custom {
                    deduction: i64::from(deduction.unwrap_or(0)),
                    percentage: p,
                },
                None => Strategy::Default,
            },
            "accurate" => Strategy::Accurate,
            "eager" => Strategy::Eager,
            _ => Strategy::Default,
        }
    }

    /// The name as the CRD spells it.
    pub fn name(self) -> &'static str {
        match self {
            Strategy::Default => "default",
            Strategy::Custom { .. } => "custom",
            Strategy::Accurate => "accurate",
            Strategy::Eager => "eager",
        }
    }

    /// `GetEffectiveMaxScale(maxScale, runningJobCount, pendingJobCount, maxReplicaCount,
    /// scaleTo)` → (effective max scale, scaleTo).
    pub fn effective_max_scale(
        self,
        max_scale: i64,
        running: i64,
        pending: i64,
        max_replica_count: i64,
        scale_to: i64,
    ) -> (i64, i64) {
        match self {
            Strategy::Default => (max_scale.saturating_sub(running), scale_to),
            Strategy::Custom {
                deduction,
                percentage,
            } => {
                // int64(float64(running) * percentage): truncation toward zero.
                let share = (running as f64 * percentage).trunc();
                let share = if share.is_finite() { share as i64 } else { 0 };
                (
                    max_scale
                        .saturating_sub(deduction)
                        .saturating_sub(share)
                        .min(max_replica_count),
                    scale_to,
                )
            }
            Strategy::Accurate => {
                if max_scale.saturating_add(running) > max_replica_count {
                    (max_replica_count.saturating_sub(running), scale_to)
                } else {
                    (max_scale.saturating_sub(pending), scale_to)
                }
            }
            Strategy::Eager => (
                max_replica_count
                    .saturating_sub(running)
                    .saturating_sub(pending)
                    .min(max_scale),
                max_replica_count,
            ),
        }
    }
}

/// `strconv.ParseFloat(s, 64)` for the decimal forms a percentage is written in.
fn parse_go_float(s: &str) -> Option<f64> {
    if s.is_empty() || s.trim() != s {
        return None;
    }
    s.parse().ok()
}

/// `ScaledJob.MinReplicaCount()` and `MaxReplicaCount()` (defaults 0 and 100): a min above
/// the max is cut to the max, and the max KEDA uses is the max minus the min.
pub fn replica_counts(min: Option<i64>, max: Option<i64>) -> (i64, i64) {
    let min_eff = match (min, max) {
        (Some(mn), Some(mx)) if mn > mx => mx,
        (Some(mn), _) => mn,
        (None, _) => 0,
    };
    let max_eff = match (min, max) {
        (Some(mn), Some(mx)) if mn > mx => mx,
        (_, Some(mx)) => mx.saturating_sub(min_eff),
        (_, None) => 100,
    };
    (min_eff, max_eff)
}

/// `getScalingDecision`: below `minReplicaCount` running Jobs, the missing ones; else the
/// strategy on the Jobs above the minimum. → (effective max scale, scaleTo).
pub fn scaling_decision(
    strategy: Strategy,
    min_replica_count: i64,
    max_replica_count: i64,
    running: i64,
    pending: i64,
    scale_to: i64,
    max_scale: i64,
) -> (i64, i64) {
    if running < min_replica_count {
        let missing = min_replica_count - running;
        return (missing, missing);
    }
    strategy.effective_max_scale(
        max_scale,
        running - min_replica_count,
        pending,
        max_replica_count,
        scale_to,
    )
}

/// `createJobs` after `RequestJobScale`: none unless active and the effective max (cut at
/// 0) is above 0; else `min(scaleTo, effectiveMax)`.
pub fn jobs_to_create(active: bool, effective_max: i64, scale_to: i64) -> i64 {
    let effective_max = effective_max.max(0);
    if !active || effective_max <= 0 {
        return 0;
    }
    scale_to.min(effective_max)
}

/// One trigger's reading (`scaledjob.ScalerMetrics`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScalerMetrics {
    pub queue_length: f64,
    pub max_value: f64,
    pub is_active: bool,
}

/// `CalculateQueueLengthAndMaxValue` for one trigger with one metric: its value, and
/// `min(value / target, maxReplicaCount)` (0 with a 0 target).
pub fn queue_length_and_max_value(
    value: f64,
    target: f64,
    max_replica_count: i64,
) -> ScalerMetrics {
    let max_value = if target != 0.0 {
        (value / target).min(max_replica_count as f64)
    } else {
        0.0
    };
    ScalerMetrics {
        queue_length: value,
        max_value,
        is_active: false,
    }
}

/// `IsScaledJobActive`: the triggers combined by `multipleScalersCalculation` (`max` when
/// unknown), active if any counted one is or `minReplicaCount > 0`. → (active, scaleTo =
/// ceil(queue), maxScale = ceil(min(maxValue, maxReplicaCount)), the max value).
pub fn is_scaled_job_active(
    scalers: &[ScalerMetrics],
    calculation: &str,
    min_replica_count: i64,
    max_replica_count: i64,
) -> (bool, i64, i64, f64) {
    let mut queue = 0.0_f64;
    let mut max_value = 0.0_f64;
    let mut active = false;
    match calculation {
        "min" => {
            for m in scalers {
                if (queue == 0.0 || m.queue_length < queue) && m.is_active {
                    queue = m.queue_length;
                    max_value = m.max_value;
                    active = m.is_active;
                }
            }
        }
        "avg" => {
            let (mut qs, mut ms, mut n) = (0.0, 0.0, 0u32);
            for m in scalers.iter().filter(|m| m.is_active) {
                qs += m.queue_length;
                ms += m.max_value;
                active = true;
                n += 1;
            }
            if n != 0 {
                queue = qs / f64::from(n);
                max_value = ms / f64::from(n);
            }
        }
        "sum" => {
            for m in scalers.iter().filter(|m| m.is_active) {
                queue += m.queue_length;
                max_value += m.max_value;
                active = true;
            }
        }
        _ => {
            for m in scalers {
                if m.queue_length > queue && m.is_active {
                    queue = m.queue_length;
                    max_value = m.max_value;
                    active = m.is_active;
                }
            }
        }
    }
    if min_replica_count > 0 {
        active = true;
    }
    let max_value = max_value.min(max_replica_count as f64);
    (active, ceil_i64(queue), ceil_i64(max_value), max_value)
}

fn ceil_i64(x: f64) -> i64 {
    let c = x.ceil();
    if c.is_finite() {
        c as i64
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replica_counts_subtract_the_min() {
        assert_eq!(replica_counts(None, None), (0, 100));
        assert_eq!(replica_counts(Some(2), Some(10)), (2, 8));
        assert_eq!(replica_counts(Some(12), Some(10)), (10, 10));
        assert_eq!(replica_counts(None, Some(40)), (0, 40));
        assert_eq!(jobs_to_create(true, -3, 5), 0);
        assert_eq!(jobs_to_create(false, 3, 5), 0);
        assert_eq!(jobs_to_create(true, 3, 5), 3);
    }
}
