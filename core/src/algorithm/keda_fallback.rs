//! KEDA `spec.fallback`: what a ScaledObject feeds its HPA while a trigger's metric fails.
//!
//! Upstream: kedacore/keda v2.18 `pkg/fallback/fallback.go` (`GetMetricsWithFallback`,
//! `HasValidFallback`, `doFallback`), called by `pkg/scaling/scale_handler.go`
//! `GetScaledObjectMetrics` each time the HPA asks the metrics adapter for the metric (once per
//! HPA sync, per metric); `apis/keda/v1alpha1/scaledobject_types.go` `CheckFallbackValid` (the
//! admission webhook's check, `scaledobject_webhook.go verifyFallback`);
//! `pkg/scaling/modifiers/formula.go` `HandleScalingModifiers` (with `scalingModifiers`, the
//! composite metric takes the fallback value); `pkg/scaling/executor/scale_scaledobjects.go`
//! `RequestScale` (an erroring, inactive object with fallback replicas ≠ 0 is not scaled to
//! zero). These files are unchanged in their logic from v2.18.0 to v2.18.3 (`git diff
//! v2.18.0 v2.18.3` touches only the webhook's HPA-ownership check and ScaledJob conditions).
//!
//! Per metric, the status keeps `NumberOfFailures`: a successful read sets it to 0, a failed
//! read adds 1. A failed read with a valid fallback and `NumberOfFailures > failureThreshold`
//! returns one metric worth `replicas` replicas: `target × replicas` for an `AverageValue`
//! target, `target × replicas / readyReplicas` for `Value` (no ready pod: an error), in milli
//! units truncated (`int64(normalisationValue*1000*replicas)`). The HPA then computes its
//! proposal from that value as from any other, so tolerance, `behavior` and stabilization
//! apply. Below the threshold (or without fallback) the HPA gets an error for the metric and
//! treats it as invalid. The reference vectors (`core/tests/testdata/vectors/keda-fallback.json`)
//! are the cases of `pkg/fallback/fallback_test.go` and `scaledobject_types_test.go`
//! (`TestCheckFallbackValid`).

use crate::model::FallbackBehavior;

/// `doFallback`'s replica count for `behavior` (`currentReplicas` is the scale target's
/// `spec.replicas`, read only when the behavior is not `static`).
pub fn fallback_replicas(behavior: FallbackBehavior, replicas: u32, current: u32) -> u32 {
    match behavior {
        FallbackBehavior::Static => replicas,
        FallbackBehavior::CurrentReplicas => current,
        FallbackBehavior::CurrentReplicasIfHigher => current.max(replicas),
        FallbackBehavior::CurrentReplicasIfLower => current.min(replicas),
    }
}

/// The metric value `doFallback` returns for `replicas` replicas against `target`: for a
/// `Value` target divided by the ready pods (`None`: no ready pod, "readyReplicas is zero,
/// cannot do fallback", an error the HPA sees), in milli units truncated toward zero as
/// `resource.NewMilliQuantity(int64(target*1000*replicas))` makes it.
pub fn fallback_value(target: f64, replicas: u32, value_type: bool, ready: u32) -> Option<f64> {
    let mut r = f64::from(replicas);
    if value_type {
        if ready == 0 {
            return None;
        }
        r /= f64::from(ready);
    }
    let milli = (target * 1000.0 * r).trunc();
    Some(milli / 1000.0)
}

/// `HasValidFallback`: both numbers ≥ 0, and with `scalingModifiers` a `target` that
/// `strconv.ParseInt` reads as an integer above 0 (`modifiers_target`: the target as written).
pub fn has_valid_fallback(
    failure_threshold: i64,
    replicas: i64,
    modifiers_target: Option<&str>,
) -> bool {
    let modifier_ok = match modifiers_target {
        Some(t) => parse_go_int(t).is_some_and(|v| v > 0),
        None => true,
    };
    failure_threshold >= 0 && replicas >= 0 && modifier_ok
}

/// `strconv.ParseInt(s, 10, 64)`: an optional sign and decimal digits, nothing else.
fn parse_go_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Why the admission webhook rejects a ScaledObject's fallback (`CheckFallbackValid`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FallbackInvalid {
    /// A negative `failureThreshold` or `replicas`.
    #[error("FailureThreshold={failure_threshold} & Replicas={replicas} must both be greater than or equal to 0")]
    Negative {
        failure_threshold: i64,
        replicas: i64,
    },
    /// Without `scalingModifiers`, every trigger is cpu or memory.
    #[error("at least one trigger (that is not cpu or memory) has to have the `AverageValue` type for the fallback to be enabled")]
    OnlyCpuMemory,
}

/// `CheckFallbackValid` over the trigger types (`cpu`, `memory`, `prometheus`, ...). Despite
/// its message, v2.18 checks only that one trigger is neither cpu nor memory: a `Value`
/// trigger passes (and `doFallback` divides by the ready pods for it).
pub fn check_fallback_valid(
    failure_threshold: i64,
    replicas: i64,
    trigger_types: &[&str],
    using_modifiers: bool,
) -> Result<(), FallbackInvalid> {
    if failure_threshold < 0 || replicas < 0 {
        return Err(FallbackInvalid::Negative {
            failure_threshold,
            replicas,
        });
    }
    if !using_modifiers && trigger_types.iter().all(|t| *t == "cpu" || *t == "memory") {
        return Err(FallbackInvalid::OnlyCpuMemory);
    }
    Ok(())
}

/// One metric's health (`status.health[metricName]`) as `GetMetricsWithFallback` keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Health {
    /// `NumberOfFailures`.
    pub failures: u32,
}

/// What one read of a metric gives the HPA.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Read {
    /// The scaler's value.
    Value,
    /// The read failed and the HPA gets the error (below the threshold, or no valid fallback).
    Error,
    /// The read failed past the threshold: the fallback metric (call [`fallback_value`]).
    Fallback,
}

impl Health {
    /// One read: `ok` or failed; `fallback`: `Some(failureThreshold)` when a valid fallback
    /// is configured.
    pub fn read(&mut self, ok: bool, fallback: Option<u32>) -> Read {
        if ok {
            self.failures = 0;
            return Read::Value;
        }
        self.failures = self.failures.saturating_add(1);
        match fallback {
            Some(threshold) if self.failures > threshold => Read::Fallback,
            _ => Read::Error,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_ints() {
        for (s, want) in [
            ("2", Some(2)),
            ("+2", Some(2)),
            ("-3", Some(-3)),
            ("2.5", None),
            ("", None),
            (" 2", None),
            ("1e3", None),
        ] {
            assert_eq!(parse_go_int(s), want, "{s:?}");
        }
        assert!(!has_valid_fallback(3, 2, Some("2.5")));
        assert!(!has_valid_fallback(3, 2, Some("0")));
        assert!(has_valid_fallback(3, 2, Some("20")));
        assert!(has_valid_fallback(0, 0, None));
    }

    #[test]
    fn failures_count_and_reset() {
        let mut h = Health::default();
        let reads: Vec<Read> = [false, false, false, false, true, false]
            .iter()
            .map(|ok| h.read(*ok, Some(2)))
            .collect();
        assert_eq!(
            reads,
            [
                Read::Error,
                Read::Error,
                Read::Fallback,
                Read::Fallback,
                Read::Value,
                Read::Error
            ]
        );
        let mut h = Health::default();
        assert_eq!(h.read(false, Some(0)), Read::Fallback);
        assert_eq!(h.read(false, None), Read::Error);
        assert_eq!(h.failures, 2);
    }
}
