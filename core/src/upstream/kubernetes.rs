//! Kubernetes HPA (kubernetes/kubernetes v1.34): controller flag defaults, API defaults of
//! `autoscaling/v1` and `autoscaling/v2`, and the controller's fixed constants.

use super::{Fact, Project, Release, Source};
use crate::model::{Millis, SECOND};

/// Every fact of this module is read at this release.
pub const AT: Release = Project::Kubernetes.at("v1.34");

/// kube-controller-manager `--horizontal-pod-autoscaler-*` flag defaults.
pub static FLAGS: Source = AT.file(
    "pkg/controller/podautoscaler/config/v1alpha1/defaults.go",
    "RecommendedDefaultHPAControllerConfiguration",
);
/// `autoscaling/v2` API defaults (minReplicas, metrics, behavior).
pub static V2_DEFAULTS: Source = AT.file("pkg/apis/autoscaling/v2/defaults.go", "");
/// `autoscaling/v1` API defaults (targetCPUUtilizationPercentage).
pub static V1_DEFAULTS: Source = AT.file("pkg/apis/autoscaling/v1/defaults.go", "");
/// The legacy (no `behavior`) scale-up limit.
pub static LEGACY_SCALE_UP: Source = AT.file(
    "pkg/controller/podautoscaler/horizontal.go",
    "scaleUpLimitFactor, scaleUpLimitMinimum",
);

pub static SOURCES: &[&Source] = &[&FLAGS, &V2_DEFAULTS, &V1_DEFAULTS, &LEGACY_SCALE_UP];

/// `--horizontal-pod-autoscaler-sync-period`.
pub const SYNC_PERIOD: Fact<Millis> = Fact::new(15 * SECOND, &FLAGS);
/// `--horizontal-pod-autoscaler-tolerance` (both directions).
pub const TOLERANCE: Fact<f64> = Fact::new(0.1, &FLAGS);
/// `--horizontal-pod-autoscaler-downscale-stabilization`.
pub const DOWNSCALE_STABILIZATION: Fact<Millis> = Fact::new(300 * SECOND, &FLAGS);
/// `--horizontal-pod-autoscaler-cpu-initialization-period`.
pub const CPU_INITIALIZATION_PERIOD: Fact<Millis> = Fact::new(300 * SECOND, &FLAGS);
/// `--horizontal-pod-autoscaler-initial-readiness-delay`.
pub const INITIAL_READINESS_DELAY: Fact<Millis> = Fact::new(30 * SECOND, &FLAGS);

/// `spec.minReplicas` (v1 and v2).
pub const MIN_REPLICAS: Fact<u32> = Fact::new(1, &V2_DEFAULTS);
/// `autoscaling/v2` default metric: CPU at 80 % utilization.
pub const V2_CPU_UTILIZATION: Fact<f64> = Fact::new(80.0, &V2_DEFAULTS);
/// `autoscaling/v1` `targetCPUUtilizationPercentage`.
pub const V1_CPU_UTILIZATION: Fact<f64> = Fact::new(80.0, &V1_DEFAULTS);
/// `behavior.scaleUp.stabilizationWindowSeconds` (`GenerateHPAScaleUpRules`).
pub const SCALE_UP_STABILIZATION: Fact<Millis> = Fact::new(0, &V2_DEFAULTS);
/// `behavior.*.selectPolicy`.
pub const SELECT_POLICY: Fact<crate::model::SelectPolicy> =
    Fact::new(crate::model::SelectPolicy::Max, &V2_DEFAULTS);
/// Default scale-up policies: 4 pods and 100 % per 15 s (`GenerateHPAScaleUpRules`).
pub const SCALE_UP_PODS: u32 = 4;
pub const SCALE_UP_PERCENT: u32 = 100;
/// Default scale-down policy: 100 % per 15 s (`GenerateHPAScaleDownRules`).
pub const SCALE_DOWN_PERCENT: u32 = 100;
/// Period of the default policies.
pub const POLICY_PERIOD: Millis = 15 * SECOND;

/// Legacy scale-up limit `max(scaleUpLimitFactor × current, scaleUpLimitMinimum)`
/// (`horizontal.go`; production values: the upstream test binary overrides the factor with 8).
pub const SCALE_UP_LIMIT_FACTOR: f64 = 2.0;
pub const SCALE_UP_LIMIT_MINIMUM: f64 = 4.0;

/// The kube-controller-manager's HPA settings with their defaults; `behavior: None` (the
/// legacy path).
pub fn hpa_params() -> crate::model::HpaParams {
    crate::model::HpaParams {
        sync_period: SYNC_PERIOD.param(),
        tolerance_up: TOLERANCE.param(),
        tolerance_down: TOLERANCE.param(),
        downscale_stabilization: DOWNSCALE_STABILIZATION.param(),
        cpu_initialization_period: CPU_INITIALIZATION_PERIOD.param(),
        initial_readiness_delay: INITIAL_READINESS_DELAY.param(),
        behavior: None,
    }
}

/// `spec.behavior` written as `{}`: scale-up window 0, Max, [Pods 4/15 s, Percent 100/15 s]
/// (`GenerateHPAScaleUpRules`); scale-down window `downscale_stabilization` (the API leaves it
/// nil, the controller fills it from its flag), Max, [Percent 100/15 s]
/// (`GenerateHPAScaleDownRules`).
pub fn behavior(downscale_stabilization: crate::span::Param<Millis>) -> crate::model::Behavior {
    use crate::model::{Behavior, Policy, PolicyType, ScalingRules};
    let policy = |policy_type, value| Policy {
        policy_type,
        value,
        period: POLICY_PERIOD,
        span: None,
    };
    Behavior {
        scale_up: ScalingRules {
            stabilization_window: SCALE_UP_STABILIZATION.param(),
            select_policy: SELECT_POLICY.param(),
            policies: vec![
                policy(PolicyType::Pods, SCALE_UP_PODS),
                policy(PolicyType::Percent, SCALE_UP_PERCENT),
            ],
            policies_span: None,
        },
        scale_down: ScalingRules {
            stabilization_window: downscale_stabilization,
            select_policy: SELECT_POLICY.param(),
            policies: vec![policy(PolicyType::Percent, SCALE_DOWN_PERCENT)],
            policies_span: None,
        },
    }
}
