//! KEDA ScaledObject knobs (kedacore/keda v2.18): its own fields, and the HPA it creates, whose
//! `behavior` is written under `spec.advanced.horizontalPodAutoscalerConfig`.

use super::{show_count, show_dur, show_num, Concept, Knob, Place, Setting};
use crate::model::{Autoscaler, KedaParams};
use crate::upstream::keda as up;

/// Where the generated HPA's fields are written (see [`super::hpa`]).
pub const HPA_ROOT: &str = "spec.advanced.horizontalPodAutoscalerConfig.";

pub const MIN_REPLICA_COUNT: Knob<KedaParams, u32> = Knob {
    what: "minReplicaCount",
    place: Place::Path("spec.minReplicaCount"),
    default: Some(up::MIN_REPLICA_COUNT),
    get: |k| Some(&k.min_replica_count),
    show: show_count,
};

pub const MAX_REPLICA_COUNT: Knob<Autoscaler, u32> = Knob {
    what: "maxReplicas",
    place: Place::Path("spec.maxReplicaCount"),
    default: Some(up::MAX_REPLICA_COUNT),
    get: |a| Some(&a.max_replicas),
    show: show_count,
};

pub const TARGET: Knob<Autoscaler, f64> = Knob {
    what: "the target",
    place: Place::Path("spec.triggers[].metadata (threshold / value)"),
    default: None,
    get: |a| a.metrics.first().map(|m| &m.target.value),
    show: show_num,
};

pub const ACTIVATION_THRESHOLD: Knob<Autoscaler, f64> = Knob {
    what: "the activation threshold",
    place: Place::Path("spec.triggers[].metadata.activationThreshold"),
    default: Some(up::ACTIVATION_THRESHOLD),
    get: |a| {
        a.metrics
            .first()
            .and_then(|m| m.activation_threshold.as_ref())
    },
    show: show_num,
};

pub const COOLDOWN_PERIOD: Knob<KedaParams, crate::Millis> = Knob {
    what: "the cooldown period",
    place: Place::Path("spec.cooldownPeriod"),
    default: Some(up::COOLDOWN_PERIOD),
    get: |k| Some(&k.cooldown_period),
    show: show_dur,
};

pub const POLLING_INTERVAL: Knob<KedaParams, crate::Millis> = Knob {
    what: "the polling interval",
    place: Place::Path("spec.pollingInterval"),
    default: Some(up::POLLING_INTERVAL),
    get: |k| Some(&k.polling_interval),
    show: show_dur,
};

pub const INITIAL_COOLDOWN_PERIOD: Knob<KedaParams, crate::Millis> = Knob {
    what: "the initial cooldown period",
    place: Place::Path("spec.initialCooldownPeriod"),
    default: Some(up::INITIAL_COOLDOWN_PERIOD),
    get: |k| Some(&k.initial_cooldown_period),
    show: show_dur,
};

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
        value: show_num(&param.value),
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
    ],
};
