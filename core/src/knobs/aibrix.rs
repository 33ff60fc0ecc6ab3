//! AIBrix PodAutoscaler knobs, per controller generation: v0.7.0 reads
//! `autoscaling.aibrix.ai/*` (`types/annotations.go`, `context/context.go`); v0.4.0 reads
//! `autoscaling.aibrix.ai/` rates, `kpa.autoscaling.aibrix.ai/*` (KPA) and
//! `apa.autoscaling.aibrix.ai/*` (APA) (`common/context.go`, `scaler/{kpa,apa}.go`). Each
//! generation has its own params type and its own table.

use super::{show_count, show_dur, show_num, Concept, Knob, Place, Setting};
use crate::display::Num;
use crate::model::{AibrixParams, AibrixV04Params, AibrixV07Params, Autoscaler, Millis};
use crate::upstream::aibrix::{v04, v07};

pub const MIN_REPLICAS: Knob<Autoscaler, u32> = Knob {
    what: "minReplicas",
    place: Place::Path("spec.minReplicas"),
    default: Some(v07::MIN_REPLICAS),
    get: |a| Some(&a.min_replicas),
    show: show_count,
};

pub const MAX_REPLICAS: Knob<Autoscaler, u32> = Knob {
    what: "maxReplicas",
    place: Place::Path("spec.maxReplicas"),
    default: None,
    get: |a| Some(&a.max_replicas),
    show: show_count,
};

pub const TARGET: Knob<Autoscaler, f64> = Knob {
    what: "the target",
    place: Place::Path("spec.metricsSources[].targetValue"),
    default: None,
    get: |a| a.metrics.first().map(|m| &m.target.value),
    show: show_num,
};

pub const MAX_SCALE_UP_RATE: Knob<AibrixV07Params, f64> = Knob {
    what: "the max scale-up rate",
    place: Place::Annotation("autoscaling.aibrix.ai/max-scale-up-rate"),
    default: Some(v07::MAX_SCALE_UP_RATE),
    get: |p| Some(&p.max_scale_up_rate),
    show: show_num,
};

pub const MAX_SCALE_DOWN_RATE: Knob<AibrixV07Params, f64> = Knob {
    what: "the max scale-down rate",
    place: Place::Annotation("autoscaling.aibrix.ai/max-scale-down-rate"),
    default: Some(v07::MAX_SCALE_DOWN_RATE),
    get: |p| Some(&p.max_scale_down_rate),
    show: show_num,
};

/// v0.4.0 reads the same key (`common/context.go`), with its own default.
pub const V04_MAX_SCALE_UP_RATE: Knob<AibrixV04Params, f64> = Knob {
    what: "the max scale-up rate",
    place: Place::Annotation("autoscaling.aibrix.ai/max-scale-up-rate"),
    default: Some(v04::MAX_SCALE_UP_RATE),
    get: |p| Some(&p.max_scale_up_rate),
    show: show_num,
};

pub const V04_MAX_SCALE_DOWN_RATE: Knob<AibrixV04Params, f64> = Knob {
    what: "the max scale-down rate",
    place: Place::Annotation("autoscaling.aibrix.ai/max-scale-down-rate"),
    default: Some(v04::MAX_SCALE_DOWN_RATE),
    get: |p| Some(&p.max_scale_down_rate),
    show: show_num,
};

pub const SCALE_UP_TOLERANCE: Knob<AibrixV07Params, f64> = Knob {
    what: "the scale-up tolerance",
    place: Place::Annotation("autoscaling.aibrix.ai/scale-up-tolerance"),
    default: Some(v07::SCALE_UP_TOLERANCE),
    get: |p| Some(&p.scale_up_tolerance),
    show: show_num,
};

pub const SCALE_DOWN_TOLERANCE: Knob<AibrixV07Params, f64> = Knob {
    what: "the scale-down tolerance",
    place: Place::Annotation("autoscaling.aibrix.ai/scale-down-tolerance"),
    default: Some(v07::SCALE_DOWN_TOLERANCE),
    get: |p| Some(&p.scale_down_tolerance),
    show: show_num,
};

pub const V04_UP_FLUCTUATION_TOLERANCE: Knob<AibrixV04Params, f64> = Knob {
    what: "the scale-up tolerance",
    place: Place::Annotation("apa.autoscaling.aibrix.ai/up-fluctuation-tolerance"),
    default: Some(v04::UP_FLUCTUATION_TOLERANCE),
    get: |p| Some(&p.up_fluctuation_tolerance),
    show: show_num,
};

pub const V04_DOWN_FLUCTUATION_TOLERANCE: Knob<AibrixV04Params, f64> = Knob {
    what: "the scale-down tolerance",
    place: Place::Annotation("apa.autoscaling.aibrix.ai/down-fluctuation-tolerance"),
    default: Some(v04::DOWN_FLUCTUATION_TOLERANCE),
    get: |p| Some(&p.down_fluctuation_tolerance),
    show: show_num,
};

pub const PANIC_THRESHOLD: Knob<AibrixV07Params, f64> = Knob {
    what: "the panic threshold",
    place: Place::Annotation("autoscaling.aibrix.ai/panic-threshold"),
    default: Some(v07::PANIC_THRESHOLD),
    get: |p| Some(&p.panic_threshold),
    show: show_num,
};

pub const V04_PANIC_THRESHOLD: Knob<AibrixV04Params, f64> = Knob {
    what: "the panic threshold",
    place: Place::Annotation("kpa.autoscaling.aibrix.ai/panic-threshold"),
    default: Some(v04::PANIC_THRESHOLD),
    get: |p| Some(&p.panic_threshold),
    show: show_num,
};

pub const SCALE_UP_COOLDOWN: Knob<AibrixV07Params, Millis> = Knob {
    what: "the scale-up cooldown window",
    place: Place::Annotation("autoscaling.aibrix.ai/scale-up-cooldown-window"),
    default: Some(v07::SCALE_UP_COOLDOWN),
    get: |p| Some(&p.scale_up_cooldown),
    show: show_dur,
};

pub const SCALE_DOWN_COOLDOWN: Knob<AibrixV07Params, Millis> = Knob {
    what: "the scale-down cooldown window",
    place: Place::Annotation("autoscaling.aibrix.ai/scale-down-cooldown-window"),
    default: Some(v07::SCALE_DOWN_COOLDOWN),
    get: |p| Some(&p.scale_down_cooldown),
    show: show_dur,
};

pub const V04_SCALE_DOWN_DELAY: Knob<AibrixV04Params, Millis> = Knob {
    what: "the scale-down delay",
    place: Place::Annotation("kpa.autoscaling.aibrix.ai/scale-down-delay"),
    default: Some(v04::SCALE_DOWN_DELAY),
    get: |p| Some(&p.scale_down_delay),
    show: show_dur,
};

pub const V04_ACTIVATION_SCALE: Knob<AibrixV04Params, u32> = Knob {
    what: "the activation scale",
    place: Place::Annotation("kpa.autoscaling.aibrix.ai/activation-scale"),
    default: Some(v04::ACTIVATION_SCALE),
    get: |p| Some(&p.activation_scale),
    show: show_count,
};

/// v0.7.0's stable window: fixed in `metrics/client.go`, no setting changes it.
pub const FIXED_STABLE_WINDOW: Knob<AibrixV07Params, Millis> = Knob {
    what: "the stable window",
    place: Place::Fixed("fixed in v0.7.0 (stableWindowDuration)"),
    default: Some(v07::STABLE_WINDOW),
    get: |p| Some(&p.stable_window),
    show: show_dur,
};

/// v0.7.0's panic window: fixed in `metrics/client.go`, no setting changes it.
pub const FIXED_PANIC_WINDOW: Knob<AibrixV07Params, Millis> = Knob {
    what: "the panic window",
    place: Place::Fixed("fixed in v0.7.0 (panicWindowDuration)"),
    default: Some(v07::PANIC_WINDOW),
    get: |p| Some(&p.panic_window),
    show: show_dur,
};

pub const V04_APA_WINDOW: Knob<AibrixV04Params, Millis> = Knob {
    what: "the APA window",
    place: Place::Annotation("apa.autoscaling.aibrix.ai/window"),
    default: Some(v04::APA_WINDOW),
    get: |p| Some(&p.apa_window),
    show: show_dur,
};

pub const V04_STABLE_WINDOW: Knob<AibrixV04Params, Millis> = Knob {
    what: "the stable window",
    place: Place::Annotation("kpa.autoscaling.aibrix.ai/stable-window"),
    default: Some(v04::STABLE_WINDOW),
    get: |p| Some(&p.stable_window),
    show: show_dur,
};

pub const V04_PANIC_WINDOW: Knob<AibrixV04Params, Millis> = Knob {
    what: "the panic window",
    place: Place::Annotation("kpa.autoscaling.aibrix.ai/panic-window"),
    default: Some(v04::PANIC_WINDOW),
    get: |p| Some(&p.panic_window),
    show: show_dur,
};

/// The AIBrix setting of `a` (params `p`) that plays the part of `c`, for `p`'s generation.
pub fn setting(a: &Autoscaler, p: &AibrixParams, c: Concept) -> Option<Setting> {
    match c {
        Concept::MinReplicas => MIN_REPLICAS.setting(a),
        Concept::MaxReplicas => MAX_REPLICAS.setting(a),
        Concept::Target => TARGET.setting(a),
        c => match p {
            AibrixParams::V07(p) => v07_setting(a, p, c),
            AibrixParams::V04(p) => v04_setting(a, p, c),
        },
    }
}

fn v07_setting(a: &Autoscaler, p: &AibrixV07Params, c: Concept) -> Option<Setting> {
    let band = |tol: f64| {
        band(
            tol,
            p.scale_up_tolerance.value,
            p.scale_down_tolerance.value,
            a.metrics.first().map(|m| m.target.value.value),
        )
    };
    match c {
        Concept::MaxScaleUpRate => MAX_SCALE_UP_RATE.setting(p),
        Concept::MaxScaleDownRate => MAX_SCALE_DOWN_RATE.setting(p),
        Concept::ScaleUpTolerance => SCALE_UP_TOLERANCE
            .setting(p)
            .map(|s| s.with_value(band(p.scale_up_tolerance.value))),
        Concept::ScaleDownTolerance => SCALE_DOWN_TOLERANCE
            .setting(p)
            .map(|s| s.with_value(band(p.scale_down_tolerance.value))),
        Concept::PanicThreshold => PANIC_THRESHOLD.setting(p),
        Concept::ScaleUpWindow => SCALE_UP_COOLDOWN.setting(p),
        Concept::ScaleDownWindow => SCALE_DOWN_COOLDOWN.setting(p),
        Concept::StableWindow => FIXED_STABLE_WINDOW.setting(p),
        Concept::PanicWindow => FIXED_PANIC_WINDOW.setting(p),
        Concept::ActivationScale => Some(Setting {
            what: "the activation scale",
            setting: "not a setting in v0.7.0".into(),
            value: v07::ACTIVATION_SCALE.value.to_string(),
            origin: crate::span::Origin::Default {
                source: v07::ACTIVATION_SCALE.source,
            },
        }),
        _ => None,
    }
}

fn v04_setting(a: &Autoscaler, p: &AibrixV04Params, c: Concept) -> Option<Setting> {
    let band = |tol: f64| {
        band(
            tol,
            p.up_fluctuation_tolerance.value,
            p.down_fluctuation_tolerance.value,
            a.metrics.first().map(|m| m.target.value.value),
        )
    };
    match c {
        Concept::MaxScaleUpRate => V04_MAX_SCALE_UP_RATE.setting(p),
        Concept::MaxScaleDownRate => V04_MAX_SCALE_DOWN_RATE.setting(p),
        Concept::ScaleUpTolerance => V04_UP_FLUCTUATION_TOLERANCE
            .setting(p)
            .map(|s| s.with_value(band(p.up_fluctuation_tolerance.value))),
        Concept::ScaleDownTolerance => V04_DOWN_FLUCTUATION_TOLERANCE
            .setting(p)
            .map(|s| s.with_value(band(p.down_fluctuation_tolerance.value))),
        Concept::PanicThreshold => V04_PANIC_THRESHOLD.setting(p),
        Concept::ScaleDownDelay => V04_SCALE_DOWN_DELAY.setting(p),
        Concept::ActivationScale => V04_ACTIVATION_SCALE.setting(p),
        Concept::StableWindow if matches!(a.algorithm, crate::model::Algorithm::AibrixApa(_)) => {
            V04_APA_WINDOW.setting(p)
        }
        Concept::StableWindow => V04_STABLE_WINDOW.setting(p),
        Concept::PanicWindow => V04_PANIC_WINDOW.setting(p),
        _ => None,
    }
}

/// "0.1 (no change while the metric is within 0.45–0.55)": a tolerance and the band it makes
/// with the other direction's tolerance around `target`.
fn band(tol: f64, up_tol: f64, down_tol: f64, target: Option<f64>) -> String {
    match target {
        Some(t) if t.is_finite() && t > 0.0 => format!(
            "{} (no change while the metric is within {}–{})",
            Num(tol),
            Num(t * (1.0 - down_tol)),
            Num(t * (1.0 + up_tol))
        ),
        _ => Num(tol).to_string(),
    }
}

/// Every AIBrix v0.7.0 knob.
pub static TABLE_V07: super::Table<AibrixV07Params> = super::Table {
    object: &[&MIN_REPLICAS, &MAX_REPLICAS, &TARGET],
    params: &[
        &MAX_SCALE_UP_RATE,
        &MAX_SCALE_DOWN_RATE,
        &SCALE_UP_TOLERANCE,
        &SCALE_DOWN_TOLERANCE,
        &PANIC_THRESHOLD,
        &SCALE_UP_COOLDOWN,
        &SCALE_DOWN_COOLDOWN,
        &FIXED_STABLE_WINDOW,
        &FIXED_PANIC_WINDOW,
    ],
};

/// Every AIBrix v0.4.0 knob.
pub static TABLE_V04: super::Table<AibrixV04Params> = super::Table {
    object: &[&MIN_REPLICAS, &MAX_REPLICAS, &TARGET],
    params: &[
        &V04_MAX_SCALE_UP_RATE,
        &V04_MAX_SCALE_DOWN_RATE,
        &V04_UP_FLUCTUATION_TOLERANCE,
        &V04_DOWN_FLUCTUATION_TOLERANCE,
        &V04_PANIC_THRESHOLD,
        &V04_SCALE_DOWN_DELAY,
        &V04_ACTIVATION_SCALE,
        &V04_STABLE_WINDOW,
        &V04_PANIC_WINDOW,
        &V04_APA_WINDOW,
    ],
};
