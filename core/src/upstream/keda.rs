//! KEDA (kedacore/keda v2.18): ScaledObject defaults.

use super::{Fact, Project, Release, Source};
use crate::model::{FallbackBehavior, Millis, SECOND};

/// Every fact of this module is read at this release.
pub const AT: Release = Project::Keda.at("v2.18");

/// `ScaledObject` field defaults.
pub static TYPES: Source = AT.file("apis/keda/v1alpha1/scaledobject_types.go", "");
/// The scale executor (`minReplicaCount` when unset).
pub static EXECUTOR: Source = AT.file("pkg/scaling/executor/scale_executor.go", "");
/// The HPA KEDA creates.
pub static HPA: Source = AT.file("controllers/keda/hpa.go", "defaultHPAMaxReplicas");
/// The prometheus scaler (`activationThreshold`).
pub static PROMETHEUS_SCALER: Source = AT.file("pkg/scalers/prometheus_scaler.go", "");

/// `spec.fallback` at run time (`GetMetricsWithFallback`, `doFallback`).
pub static FALLBACK: Source = AT.file("pkg/fallback/fallback.go", "GetMetricsWithFallback");
/// `ScaledJob` field defaults (`MaxReplicaCount`, `MinReplicaCount`).
pub static JOB_TYPES: Source = AT.file("apis/keda/v1alpha1/scaledjob_types.go", "");
/// The ScaledJob executor's scaling strategies (`NewScalingStrategy`, `GetEffectiveMaxScale`).
pub static SCALE_JOBS: Source = AT.file("pkg/scaling/executor/scale_jobs.go", "NewScalingStrategy");

pub static SOURCES: &[&Source] = &[
    &TYPES,
    &EXECUTOR,
    &HPA,
    &PROMETHEUS_SCALER,
    &FALLBACK,
    &JOB_TYPES,
    &SCALE_JOBS,
];

/// `pollingInterval`.
pub const POLLING_INTERVAL: Fact<Millis> = Fact::new(30 * SECOND, &TYPES);
/// `cooldownPeriod`.
pub const COOLDOWN_PERIOD: Fact<Millis> = Fact::new(300 * SECOND, &TYPES);
/// `initialCooldownPeriod`.
pub const INITIAL_COOLDOWN_PERIOD: Fact<Millis> = Fact::new(0, &TYPES);
/// `minReplicaCount`.
pub const MIN_REPLICA_COUNT: Fact<u32> = Fact::new(0, &EXECUTOR);
/// `maxReplicaCount`.
pub const MAX_REPLICA_COUNT: Fact<u32> = Fact::new(100, &HPA);
/// A trigger's `activationThreshold`.
pub const ACTIVATION_THRESHOLD: Fact<f64> = Fact::new(0.0, &PROMETHEUS_SCALER);
/// `spec.fallback.behavior` (`+kubebuilder:default=static`).
pub const FALLBACK_BEHAVIOR: Fact<FallbackBehavior> = Fact::new(FallbackBehavior::Static, &TYPES);
/// A ScaledJob's `pollingInterval`.
pub const JOB_POLLING_INTERVAL: Fact<Millis> = Fact::new(30 * SECOND, &JOB_TYPES);
/// A ScaledJob's `maxReplicaCount` (`defaultScaledJobMaxReplicaCount`).
pub const JOB_MAX_REPLICA_COUNT: Fact<u32> = Fact::new(100, &JOB_TYPES);
