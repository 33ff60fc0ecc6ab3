//! Knative Serving knobs (knative/serving v1.20): per-revision annotations
//! (`autoscaling.knative.dev/*`, under `spec.template.metadata.annotations`) and the cluster's
//! `config-autoscaler` ConfigMap.

use super::Place::{self, Annotation};
use super::{knobs, show_percent, Concept, Knob, Setting, Show};
use crate::model::{Autoscaler, KnativeParams, Millis};
use crate::upstream::knative as up;

/// A key of the cluster's `config-autoscaler` ConfigMap.
const fn config(key: &'static str) -> Place {
    Place::ConfigMap {
        name: "config-autoscaler",
        key,
    }
}

pub const MIN_SCALE: Knob<Autoscaler, u32> = super::min_replicas(
    Annotation("autoscaling.knative.dev/min-scale"),
    Some(up::MIN_SCALE),
);
pub const MAX_SCALE: Knob<Autoscaler, u32> = super::max_replicas(
    Annotation("autoscaling.knative.dev/max-scale"),
    Some(up::MAX_SCALE),
);
/// No default: `ResolveMetricTarget` takes it from containerConcurrency or the ConfigMap, times
/// the utilization.
pub const TARGET: Knob<Autoscaler, f64> =
    super::target(Annotation("autoscaling.knative.dev/target"));

knobs! {
    WINDOW: KnativeParams.stable_window: Millis = "the stable window",
        Annotation("autoscaling.knative.dev/window"), Some(up::STABLE_WINDOW);
    PANIC_WINDOW_PERCENTAGE: KnativeParams.panic_window_percentage: f64 = "the panic window",
        Annotation("autoscaling.knative.dev/panic-window-percentage"),
        Some(up::PANIC_WINDOW_PERCENTAGE), show_percent;
    PANIC_THRESHOLD_PERCENTAGE: KnativeParams.panic_threshold_percentage: f64 =
        "the panic threshold", Annotation("autoscaling.knative.dev/panic-threshold-percentage"),
        Some(up::PANIC_THRESHOLD_PERCENTAGE), show_percent;
    MAX_SCALE_UP_RATE: KnativeParams.max_scale_up_rate: f64 = "the max scale-up rate",
        config("max-scale-up-rate"), Some(up::MAX_SCALE_UP_RATE);
    MAX_SCALE_DOWN_RATE: KnativeParams.max_scale_down_rate: f64 = "the max scale-down rate",
        config("max-scale-down-rate"), Some(up::MAX_SCALE_DOWN_RATE);
    SCALE_DOWN_DELAY: KnativeParams.scale_down_delay: Millis = "the scale-down delay",
        Annotation("autoscaling.knative.dev/scale-down-delay"), Some(up::SCALE_DOWN_DELAY);
    ACTIVATION_SCALE: KnativeParams.activation_scale: u32 = "the activation scale",
        Annotation("autoscaling.knative.dev/activation-scale"), Some(up::ACTIVATION_SCALE);
    INITIAL_SCALE: KnativeParams.initial_scale: u32 = "the initial scale",
        Annotation("autoscaling.knative.dev/initial-scale"), Some(up::INITIAL_SCALE);
    SCALE_TO_ZERO_GRACE_PERIOD: KnativeParams.scale_to_zero_grace_period: Millis =
        "the scale-to-zero grace period", config("scale-to-zero-grace-period"),
        Some(up::SCALE_TO_ZERO_GRACE_PERIOD);
    ENABLE_SCALE_TO_ZERO: KnativeParams.enable_scale_to_zero: bool = "scale to zero",
        config("enable-scale-to-zero"), Some(up::ENABLE_SCALE_TO_ZERO);
}

/// The target as Knative uses it: the written (or default) total times the target utilization
/// (`ResolveMetricTarget`), so "7 (= 10 × 70% utilization, …)" rather than a 7 credited to the
/// `"10"` alone.
fn target(a: &Autoscaler, p: &KnativeParams) -> Option<Setting> {
    let mut s = TARGET.setting(a)?;
    let u = p.target_utilization;
    if u.value != 1.0 {
        let from = u.origin.describe(None, "upstream default: ");
        s.value = format!(
            "{} (= {} × {} utilization, {from})",
            s.value,
            p.target.value.show(),
            show_percent(&(u.value * 100.0))
        );
    }
    Some(s)
}

/// The Knative setting of `a` that plays the part of `c`.
pub fn setting(a: &Autoscaler, p: &KnativeParams, c: Concept) -> Option<Setting> {
    match c {
        Concept::MinReplicas => MIN_SCALE.setting(a),
        Concept::MaxReplicas => MAX_SCALE.setting(a),
        Concept::Target => target(a, p),
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
    known: &[],
};
