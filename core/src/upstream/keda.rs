//! KEDA (kedacore/keda v2.18): ScaledObject defaults.

use super::{Fact, Project, Source};
use crate::model::{Millis, SECOND};

const TAG: &str = "v2.18";

/// `ScaledObject` field defaults.
pub static TYPES: Source = Source::new(
    Project::Keda,
    "apis/keda/v1alpha1/scaledobject_types.go",
    "",
    TAG,
);
/// The scale executor (`minReplicaCount` when unset).
pub static EXECUTOR: Source = Source::new(
    Project::Keda,
    "pkg/scaling/executor/scale_executor.go",
    "",
    TAG,
);
/// The HPA KEDA creates.
pub static HPA: Source = Source::new(
    Project::Keda,
    "controllers/keda/hpa.go",
    "defaultHPAMaxReplicas",
    TAG,
);
/// The prometheus scaler (`activationThreshold`).
pub static PROMETHEUS_SCALER: Source =
    Source::new(Project::Keda, "pkg/scalers/prometheus_scaler.go", "", TAG);

pub static SOURCES: &[&Source] = &[&TYPES, &EXECUTOR, &HPA, &PROMETHEUS_SCALER];

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
