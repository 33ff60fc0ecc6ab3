//! KEDA ScaledObject knobs (kedacore/keda v2.18): its own fields, and the HPA it creates, whose
//! `behavior` is written under `spec.advanced.horizontalPodAutoscalerConfig`.

use super::Place::{Annotation, Path};
use super::{knobs, Concept, Knob, Known, Setting, Show};
use crate::codes::Code;
use crate::model::{Autoscaler, FallbackBehavior, KedaParams, Millis};
use crate::upstream::keda as up;

/// Where the generated HPA's fields are written (see [`super::hpa`]).
pub const HPA_ROOT: &str = "spec.advanced.horizontalPodAutoscalerConfig.";

pub const MAX_REPLICA_COUNT: Knob<Autoscaler, u32> =
    super::max_replicas(Path("spec.maxReplicaCount"), Some(up::MAX_REPLICA_COUNT));
pub const TARGET: Knob<Autoscaler, f64> =
    super::target(Path("spec.triggers[].metadata (threshold / value)"));

knobs! {
    MIN_REPLICA_COUNT: KedaParams.min_replica_count: u32 = "minReplicaCount",
        Path("spec.minReplicaCount"), Some(up::MIN_REPLICA_COUNT);
    ACTIVATION_THRESHOLD: Autoscaler, f64 = "the activation threshold",
        Path("spec.triggers[].metadata.activationThreshold"), Some(up::ACTIVATION_THRESHOLD),
        |a| a.metrics.first().and_then(|m| m.activation_threshold.as_ref());
    COOLDOWN_PERIOD: KedaParams.cooldown_period: Millis = "the cooldown period",
        Path("spec.cooldownPeriod"), Some(up::COOLDOWN_PERIOD);
    POLLING_INTERVAL: KedaParams.polling_interval: Millis = "the polling interval",
        Path("spec.pollingInterval"), Some(up::POLLING_INTERVAL);
    INITIAL_COOLDOWN_PERIOD: KedaParams.initial_cooldown_period: Millis =
        "the initial cooldown period", Path("spec.initialCooldownPeriod"),
        Some(up::INITIAL_COOLDOWN_PERIOD);
    /// Replayed under `--metric-outage` ([`crate::algorithm::keda_fallback`]).
    FALLBACK_FAILURE_THRESHOLD: KedaParams, u32 =
        "the failed reads before the fallback applies (spec.fallback, required)",
        Path("spec.fallback.failureThreshold"), None,
        |k| k.fallback.as_ref().map(|f| &f.failure_threshold);
    FALLBACK_REPLICAS: KedaParams, u32 = "the fallback replicas (spec.fallback, required)",
        Path("spec.fallback.replicas"), None,
        |k| k.fallback.as_ref().map(|f| &f.replicas);
    FALLBACK_BEHAVIOR: KedaParams, FallbackBehavior = "the fallback behavior",
        Path("spec.fallback.behavior"), Some(up::FALLBACK_BEHAVIOR),
        |k| k.fallback.as_ref().map(|f| &f.behavior), |b| b.as_str().to_string();
}

/// The ScaledObject setting of `a` that plays the part of `c`. KEDA has no on/off switch for
/// scaling to zero: `minReplicaCount: 0` allows it and `cooldownPeriod` makes it, so both
/// [`Concept::ScaleToZero`] and [`Concept::ScaleToZeroDelay`] name the cooldown period.
pub fn setting(a: &Autoscaler, k: &KedaParams, c: Concept) -> Option<Setting> {
    match c {
        Concept::MinReplicas => MIN_REPLICA_COUNT.setting(k),
        Concept::MaxReplicas => MAX_REPLICA_COUNT.setting(a),
        Concept::Target => scaler_setting(a, true).or_else(|| TARGET.setting(a)),
        Concept::ActivationThreshold => {
            scaler_setting(a, false).or_else(|| ACTIVATION_THRESHOLD.setting(a))
        }
        Concept::ScaleToZero | Concept::ScaleToZeroDelay => COOLDOWN_PERIOD.setting(k),
        c => super::hpa::setting(a, &k.hpa, c, HPA_ROOT),
    }
}

/// The target (`target`) or activation threshold of a first trigger from the scaler table,
/// under that scaler's own key (`spec.triggers[].metadata.lagThreshold` for kafka), with its
/// default from the table ([`crate::upstream::keda_scalers`]).
fn scaler_setting(a: &Autoscaler, target: bool) -> Option<Setting> {
    let m = a.metrics.first()?;
    let crate::model::MetricSource::KedaScaler { scaler, .. } = &m.source else {
        return None;
    };
    let row = crate::upstream::keda_scalers::scaler(scaler)?;
    let (what, key, param) = if target {
        (TARGET.what, row.target_keys.first(), Some(&m.target.value))
    } else {
        (
            ACTIVATION_THRESHOLD.what,
            row.activation_keys.first(),
            m.activation_threshold.as_ref(),
        )
    };
    let param = param?;
    Some(Setting {
        what,
        setting: format!("spec.triggers[].metadata.{}", key?),
        value: param.value.show(),
        origin: param.origin,
    })
}

/// Every ScaledObject knob (the generated HPA's are [`super::hpa::TABLE`] under [`HPA_ROOT`]).
pub static TABLE: super::Table<KedaParams> = super::Table {
    object: &[&MAX_REPLICA_COUNT, &TARGET, &ACTIVATION_THRESHOLD],
    params: &[
        &MIN_REPLICA_COUNT,
        &COOLDOWN_PERIOD,
        &POLLING_INTERVAL,
        &INITIAL_COOLDOWN_PERIOD,
        &FALLBACK_FAILURE_THRESHOLD,
        &FALLBACK_REPLICAS,
        &FALLBACK_BEHAVIOR,
    ],
    known: &[
        Known::replayed(
            Path("spec.triggers[].metadata.query"),
            "prometheus: the label matchers of a query over one selector pick the imported series read (`samples-selector`; CLI only, the playground parses no PromQL)",
        ),
        Known::replayed(
            Path("spec.advanced.scalingModifiers"),
            "formula, target, activationTarget, metricType: the composite metric KEDA gives the HPA in place of the triggers (algorithm/keda_formula.rs)",
        ),
        Known::replayed(
            Annotation("autoscaling.keda.sh/paused"),
            "the scale loop stops and the HPA is deleted: the replicas stay",
        ),
        Known::replayed(
            Annotation("autoscaling.keda.sh/paused-replicas"),
            "the workload is held at the count (wins over paused)",
        ),
        Known::replayed(
            Annotation("autoscaling.keda.sh/paused-scale-in"),
            "the generated HPA's scale-down selectPolicy becomes Disabled",
        ),
        Known::replayed(
            Annotation("autoscaling.keda.sh/paused-scale-out"),
            "the generated HPA's scale-up selectPolicy becomes Disabled",
        ),
        Known::replayed(
            Annotation("autoscaling.keda.sh/force-activation"),
            "the object counts as active at every poll",
        ),
        Known::not_replayed(
            Path("ScaledJob spec.scalingStrategy.strategy"),
            Code::UnsupportedFeature,
            "read (default, custom, accurate, eager; an unknown name runs default); the Jobs one poll creates is computed as KEDA's GetEffectiveMaxScale (reference vectors from scale_jobs_test.go) and shown in the diagnostic, but a ScaledJob is not replayed over time",
        ),
        Known::not_replayed(
            Path("ScaledJob spec.scalingStrategy.customScalingQueueLengthDeduction"),
            Code::UnsupportedFeature,
            "read with strategy custom (unset: 0)",
        ),
        Known::not_replayed(
            Path("ScaledJob spec.scalingStrategy.customScalingRunningJobPercentage"),
            Code::UnsupportedFeature,
            "read with strategy custom; not a float: KEDA runs default",
        ),
        Known::not_replayed(
            Path("ScaledJob spec.scalingStrategy.multipleScalersCalculation"),
            Code::UnsupportedFeature,
            "read (max by default; min, avg, sum): how several triggers' queues combine",
        ),
        Known::not_replayed(
            Path("ScaledJob spec.scalingStrategy.pendingPodConditions"),
            Code::UnsupportedFeature,
            "read: which pod conditions end a Job's pending state (accurate and eager subtract pending Jobs)",
        ),
        Known::not_replayed(
            Path("ScaledJob spec.pollingInterval"),
            Code::UnsupportedFeature,
            "read (default 30s): one Job-creating poll per interval",
        ),
        Known::not_replayed(
            Path("ScaledJob spec.maxReplicaCount"),
            Code::UnsupportedFeature,
            "read (default 100; KEDA uses maxReplicaCount − minReplicaCount)",
        ),
        Known::not_replayed(
            Path("spec.triggers[].type"),
            Code::UnsupportedFeature,
            "trigger types outside Scalelens' scaler table (upstream/keda_scalers.rs, plus prometheus, cpu, memory and cron): such a trigger reads nothing",
        ),
    ],
};
