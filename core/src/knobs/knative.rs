//! Knative Serving knobs (knative/serving v1.20): per-revision annotations
//! (`autoscaling.knative.dev/*`, under `spec.template.metadata.annotations`) and the cluster's
//! `config-autoscaler` ConfigMap.

use super::{
    show_bool, show_count, show_dur, show_num, show_percent, Concept, Knob, Place, Setting,
};
use crate::model::{Autoscaler, KnativeParams, Millis};
use crate::upstream::knative as up;

const CONFIG: &str = "config-autoscaler";

pub const MIN_SCALE: Knob<Autoscaler, u32> = Knob {
    what: "minReplicas",
    place: Place::Annotation("autoscaling.knative.dev/min-scale"),
    default: Some(up::MIN_SCALE),
    get: |a| Some(&a.min_replicas),
    show: show_count,
};

pub const MAX_SCALE: Knob<Autoscaler, u32> = Knob {
    what: "maxReplicas",
    place: Place::Annotation("autoscaling.knative.dev/max-scale"),
    default: Some(up::MAX_SCALE),
    get: |a| Some(&a.max_replicas),
    show: show_count,
};

pub const TARGET: Knob<Autoscaler, f64> = Knob {
    what: "the target",
    place: Place::Annotation("autoscaling.knative.dev/target"),
    // `ResolveMetricTarget`: from containerConcurrency or the ConfigMap, times the utilization.
    default: None,
    get: |a| a.metrics.first().map(|m| &m.target.value),
    show: show_num,
};

pub const WINDOW: Knob<KnativeParams, Millis> = Knob {
    what: "the stable window",
    place: Place::Annotation("autoscaling.knative.dev/window"),
    default: Some(up::STABLE_WINDOW),
    get: |p| Some(&p.stable_window),
    show: show_dur,
};

pub const PANIC_WINDOW_PERCENTAGE: Knob<KnativeParams, f64> = Knob {
    what: "the panic window",
    place: Place::Annotation("autoscaling.knative.dev/panic-window-percentage"),
    default: Some(up::PANIC_WINDOW_PERCENTAGE),
    get: |p| Some(&p.panic_window_percentage),
    show: show_percent,
};

pub const PANIC_THRESHOLD_PERCENTAGE: Knob<KnativeParams, f64> = Knob {
    what: "the panic threshold",
    place: Place::Annotation("autoscaling.knative.dev/panic-threshold-percentage"),
    default: Some(up::PANIC_THRESHOLD_PERCENTAGE),
    get: |p| Some(&p.panic_threshold_percentage),
    show: show_percent,
};

pub const MAX_SCALE_UP_RATE: Knob<KnativeParams, f64> = Knob {
    what: "the max scale-up rate",
    place: Place::ConfigMap {
        name: CONFIG,
        key: "max-scale-up-rate",
    },
    default: Some(up::MAX_SCALE_UP_RATE),
    get: |p| Some(&p.max_scale_up_rate),
    show: show_num,
};

pub const MAX_SCALE_DOWN_RATE: Knob<KnativeParams, f64> = Knob {
    what: "the max scale-down rate",
    place: Place::ConfigMap {
        name: CONFIG,
        key: "max-scale-down-rate",
    },
    default: Some(up::MAX_SCALE_DOWN_RATE),
    get: |p| Some(&p.max_scale_down_rate),
    show: show_num,
};

pub const SCALE_DOWN_DELAY: Knob<KnativeParams, Millis> = Knob {
    what: "the scale-down delay",
    place: Place::Annotation("autoscaling.knative.dev/scale-down-delay"),
    default: Some(up::SCALE_DOWN_DELAY),
    get: |p| Some(&p.scale_down_delay),
    show: show_dur,
};

pub const ACTIVATION_SCALE: Knob<KnativeParams, u32> = Knob {
    what: "the activation scale",
    place: Place::Annotation("autoscaling.knative.dev/activation-scale"),
    default: Some(up::ACTIVATION_SCALE),
    get: |p| Some(&p.activation_scale),
    show: show_count,
};

pub const INITIAL_SCALE: Knob<KnativeParams, u32> = Knob {
    what: "the initial scale",
    place: Place::Annotation("autoscaling.knative.dev/initial-scale"),
    default: Some(up::INITIAL_SCALE),
    get: |p| Some(&p.initial_scale),
    show: show_count,
};

pub const SCALE_TO_ZERO_GRACE_PERIOD: Knob<KnativeParams, Millis> = Knob {
    what: "the scale-to-zero grace period",
    place: Place::ConfigMap {
        name: CONFIG,
        key: "scale-to-zero-grace-period",
    },
    default: Some(up::SCALE_TO_ZERO_GRACE_PERIOD),
    get: |p| Some(&p.scale_to_zero_grace_period),
    show: show_dur,
};

pub const ENABLE_SCALE_TO_ZERO: Knob<KnativeParams, bool> = Knob {
    what: "scale to zero",
    place: Place::ConfigMap {
        name: CONFIG,
        key: "enable-scale-to-zero",
    },
    default: Some(up::ENABLE_SCALE_TO_ZERO),
    get: |p| Some(&p.enable_scale_to_zero),
    show: show_bool,
};

/// The Knative setting of `a` that plays the part of `c`.
pub fn setting(a: &Autoscaler, p: &KnativeParams, c: Concept) -> Option<Setting> {
    match c {
        Concept::MinReplicas => MIN_SCALE.setting(a),
        Concept::MaxReplicas => MAX_SCALE.setting(a),
        Concept::Target => TARGET.setting(a),
        Concept::StableWindow => WINDOW.setting(p),
        Concept::PanicWindow => PANIC_WINDOW_PERCENTAGE.setting(p),
        Concept::PanicThreshold => PANIC_THRESHOLD_PERCENTAGE.setting(p),
        Concept::MaxScaleUpRate => MAX_SCALE_UP_RATE.setting(p),
        Concept::MaxScaleDownRate => MAX_SCALE_DOWN_RATE.setting(p),
        Concept::ScaleDownDelay => SCALE_DOWN_DELAY.setting(p),
        Concept::ActivationScale => ACTIVATION_SCALE.setting(p),
        Concept::InitialScale => INITIAL_SCALE.setting(p),
        Concept::ScaleToZeroDelay => SCALE_TO_ZERO_GRACE_PERIOD.setting(p),
        Concept::ScaleToZero => ENABLE_SCALE_TO_ZERO.setting(p),
        _ => None,
    }
}

/// Every Knative knob.
pub static TABLE: super::Table<KnativeParams> = super::Table {
    object: &[&MIN_SCALE, &MAX_SCALE, &TARGET],
    params: &[
        &WINDOW,
        &PANIC_WINDOW_PERCENTAGE,
        &PANIC_THRESHOLD_PERCENTAGE,
        &MAX_SCALE_UP_RATE,
        &MAX_SCALE_DOWN_RATE,
        &SCALE_DOWN_DELAY,
        &ACTIVATION_SCALE,
        &INITIAL_SCALE,
        &SCALE_TO_ZERO_GRACE_PERIOD,
        &ENABLE_SCALE_TO_ZERO,
    ],
};
