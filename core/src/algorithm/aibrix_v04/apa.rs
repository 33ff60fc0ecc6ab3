//! AIBrix v0.4.0 APA (`pkg/controller/podautoscaler/scaler/apa.go` `Scale` and
//! `algorithm/apa.go`).
//!
//! `u = window average of the per-tick SUM / ready pods` (one window, `apa…/window`, 60 s),
//! `r = u / target`, `n = ready`:
//! - `r > 1 + upTolerance` ⇒ `min(ceil(n·r), ceil(maxScaleUpRate·n))`;
//! - `r < 1 − downTolerance` ⇒ `max(ceil(n·r), floor(n / maxScaleDownRate))`;
//! - otherwise `n`.
//!
//! Defaults (`NewApaScalingContext`): up 0.1, down 0.2, rates 2/2 (`common/context.go`).

/// The APA settings (`ApaScalingContext`, v0.4.0).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ApaSpec {
    pub target: f64,
    pub up_tolerance: f64,
    pub down_tolerance: f64,
    pub max_scale_up_rate: f64,
    pub max_scale_down_rate: f64,
}

/// Which rule decided.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ApaV04Rule {
    Metric,
    Tolerance { ratio: f64 },
    MaxScaleUpRate { limit: u32 },
    MaxScaleDownRate { limit: u32 },
}

fn to_count(x: f64) -> u32 {
    if x.is_nan() || x <= 0.0 {
        0
    } else {
        x as u32
    }
}

/// `ComputeTargetReplicas(n, ctx)` with `use_per_pod = u`.
pub fn compute_desired(ready: u32, use_per_pod: f64, spec: &ApaSpec) -> (u32, ApaV04Rule) {
    let n = f64::from(ready);
    let ratio = use_per_pod / spec.target;
    if ratio > 1.0 + spec.up_tolerance {
        let max_up = (spec.max_scale_up_rate * n).ceil();
        let expected = to_count((n * ratio).ceil());
        if f64::from(expected) > max_up {
            let limit = to_count(max_up);
            return (limit, ApaV04Rule::MaxScaleUpRate { limit });
        }
        (expected, ApaV04Rule::Metric)
    } else if ratio < 1.0 - spec.down_tolerance {
        let max_down = (n / spec.max_scale_down_rate).floor();
        let expected = to_count((n * ratio).ceil());
        if f64::from(expected) < max_down {
            let limit = to_count(max_down);
            return (limit, ApaV04Rule::MaxScaleDownRate { limit });
        }
        (expected, ApaV04Rule::Metric)
    } else {
        (ready, ApaV04Rule::Tolerance { ratio })
    }
}
