//! KEDA (kedacore/keda v2.18): ScaledObject defaults.

use super::{Fact, Project, Release, Source};
use crate::model::{Millis, SECOND};

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
