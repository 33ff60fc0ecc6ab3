//! AIBrix PodAutoscaler knobs, per controller generation: v0.7.0 reads
//! `autoscaling.aibrix.ai/*` (`types/annotations.go`, `context/context.go`); v0.4.0 reads
//! `autoscaling.aibrix.ai/` rates, `kpa.autoscaling.aibrix.ai/*` (KPA) and
//! `apa.autoscaling.aibrix.ai/*` (APA) (`common/context.go`, `scaler/{kpa,apa}.go`). A knob
//! of one generation is `None` under the other.

use super::{show_count, show_dur, show_num, Concept, Knob, Place, Setting};
use crate::display::Num;
use crate::model::{AibrixParams, AibrixVersion, Autoscaler, Millis};
use crate::upstream::aibrix::{v04, v07};

fn is_v04(p: &AibrixParams) -> bool {
    p.version == AibrixVersion::V0_4
}

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

pub const MAX_SCALE_UP_RATE: Knob<AibrixParams, f64> = Knob {
    what: "the max scale-up rate",
    place: Place::Annotation("autoscaling.aibrix.ai/max-scale-up-rate"),
    default: Some(v07::MAX_SCALE_UP_RATE),
    get: |p| (!is_v04(p)).then_some(&p.max_scale_up_rate),
    show: show_num,
};

pub const MAX_SCALE_DOWN_RATE: Knob<AibrixParams, f64> = Knob {
    what: "the max scale-down rate",
    place: Place::Annotation("autoscaling.aibrix.ai/max-scale-down-rate"),
    default: Some(v07::MAX_SCALE_DOWN_RATE),
    get: |p| (!is_v04(p)).then_some(&p.max_scale_down_rate),
    show: show_num,
};

/// v0.4.0 reads the same key (`common/context.go`), with its own default.
pub const V04_MAX_SCALE_UP_RATE: Knob<AibrixParams, f64> = Knob {
    what: "the max scale-up rate",
    place: Place::Annotation("autoscaling.aibrix.ai/max-scale-up-rate"),
    default: Some(v04::MAX_SCALE_UP_RATE),
    get: |p| is_v04(p).then_some(&p.max_scale_up_rate),
    show: show_num,
};

pub const V04_MAX_SCALE_DOWN_RATE: Knob<AibrixParams, f64> = Knob {
    what: "the max scale-down rate",
    place: Place::Annotation("autoscaling.aibrix.ai/max-scale-down-rate"),
    default: Some(v04::MAX_SCALE_DOWN_RATE),
    get: |p| is_v04(p).then_some(&p.max_scale_down_rate),
    show: show_num,
};

pub const SCALE_UP_TOLERANCE: Knob<AibrixParams, f64> = Knob {
    what: "the scale-up tolerance",
    place: Place::Annotation("autoscaling.aibrix.ai/scale-up-tolerance"),
    default: Some(v07::SCALE_UP_TOLERANCE),
    get: |p| (!is_v04(p)).then_some(&p.scale_up_tolerance),
    show: show_num,
};

pub const SCALE_DOWN_TOLERANCE: Knob<AibrixParams, f64> = Knob {
    what: "the scale-down tolerance",
    place: Place::Annotation("autoscaling.aibrix.ai/scale-down-tolerance"),
    default: Some(v07::SCALE_DOWN_TOLERANCE),
    get: |p| (!is_v04(p)).then_some(&p.scale_down_tolerance),
    show: show_num,
};

pub const V04_UP_FLUCTUATION_TOLERANCE: Knob<AibrixParams, f64> = Knob {
    what: "the scale-up tolerance",
    place: Place::Annotation("apa.autoscaling.aibrix.ai/up-fluctuation-tolerance"),
    default: Some(v04::UP_FLUCTUATION_TOLERANCE),
    get: |p| is_v04(p).then_some(&p.scale_up_tolerance),
    show: show_num,
};

pub const V04_DOWN_FLUCTUATION_TOLERANCE: Knob<AibrixParams, f64> = Knob {
    what: "the scale-down tolerance",
    place: Place::Annotation("apa.autoscaling.aibrix.ai/down-fluctuation-tolerance"),
    default: Some(v04::DOWN_FLUCTUATION_TOLERANCE),
    get: |p| is_v04(p).then_some(&p.scale_down_tolerance),
    show: show_num,
};

pub const PANIC_THRESHOLD: Knob<AibrixParams, f64> = Knob {
    what: "the panic threshold",
    place: Place::Annotation("autoscaling.aibrix.ai/panic-threshold"),
    default: Some(v07::PANIC_THRESHOLD),
    get: |p| (!is_v04(p)).then_some(&p.panic_threshold),
    show: show_num,
};

pub const V04_PANIC_THRESHOLD: Knob<AibrixParams, f64> = Knob {
    what: "the panic threshold",
    place: Place::Annotation("kpa.autoscaling.aibrix.ai/panic-threshold"),
    default: Some(v04::PANIC_THRESHOLD),
    get: |p| is_v04(p).then_some(&p.panic_threshold),
    show: show_num,
};

pub const SCALE_UP_COOLDOWN: Knob<AibrixParams, Millis> = Knob {
    what: "the scale-up cooldown window",
    place: Place::Annotation("autoscaling.aibrix.ai/scale-up-cooldown-window"),
    default: Some(v07::SCALE_UP_COOLDOWN),
    get: |p| (!is_v04(p)).then_some(&p.scale_up_cooldown),
    show: show_dur,
};

pub const SCALE_DOWN_COOLDOWN: Knob<AibrixParams, Millis> = Knob {
    what: "the scale-down cooldown window",
    place: Place::Annotation("autoscaling.aibrix.ai/scale-down-cooldown-window"),
    default: Some(v07::SCALE_DOWN_COOLDOWN),
    get: |p| (!is_v04(p)).then_some(&p.scale_down_cooldown),
    show: show_dur,
};

pub const V04_SCALE_DOWN_DELAY: Knob<AibrixParams, Millis> = Knob {
    what: "the scale-down delay",
    place: Place::Annotation("kpa.autoscaling.aibrix.ai/scale-down-delay"),
    default: Some(v04::SCALE_DOWN_DELAY),
    get: |p| is_v04(p).then_some(&p.scale_down_delay),
    show: show_dur,
};

pub const V04_ACTIVATION_SCALE: Knob<AibrixParams, u32> = Knob {
    what: "the activation scale",
    place: Place::Annotation("kpa.autoscaling.aibrix.ai/activation-scale"),
    default: Some(v04::ACTIVATION_SCALE),
    get: |p| is_v04(p).then_some(&p.activation_scale),
    show: show_count,
};

pub const V04_STABLE_WINDOW: Knob<AibrixParams, Millis> = Knob {
    what: "the stable window",
    place: Place::Annotation("kpa.autoscaling.aibrix.ai/stable-window"),
    default: Some(v04::STABLE_WINDOW),
    get: |p| is_v04(p).then_some(&p.stable_window),
    show: show_dur,
};

pub const V04_PANIC_WINDOW: Knob<AibrixParams, Millis> = Knob {
    what: "the panic window",
    place: Place::Annotation("kpa.autoscaling.aibrix.ai/panic-window"),
    default: Some(v04::PANIC_WINDOW),
    get: |p| is_v04(p).then_some(&p.panic_window),
    show: show_dur,
};

/// The AIBrix setting of `a` (params `p`) that plays the part of `c`, for `p`'s generation.
pub fn setting(a: &Autoscaler, p: &AibrixParams, c: Concept) -> Option<Setting> {
    let v04 = is_v04(p);
    let target = a.metrics.first().map(|m| m.target.value.value);
    match c {
        Concept::MinReplicas => MIN_REPLICAS.setting(a),
        Concept::MaxReplicas => MAX_REPLICAS.setting(a),
        Concept::Target => TARGET.setting(a),
        Concept::MaxScaleUpRate if v04 => V04_MAX_SCALE_UP_RATE.setting(p),
        Concept::MaxScaleUpRate => MAX_SCALE_UP_RATE.setting(p),
        Concept::MaxScaleDownRate if v04 => V04_MAX_SCALE_DOWN_RATE.setting(p),
        Concept::MaxScaleDownRate => MAX_SCALE_DOWN_RATE.setting(p),
        Concept::ScaleUpTolerance | Concept::ScaleDownTolerance => {
            let up = c == Concept::ScaleUpTolerance;
            let knob = match (v04, up) {
                (false, true) => &SCALE_UP_TOLERANCE,
                (false, false) => &SCALE_DOWN_TOLERANCE,
                (true, true) => &V04_UP_FLUCTUATION_TOLERANCE,
                (true, false) => &V04_DOWN_FLUCTUATION_TOLERANCE,
            };
            let tol = if up {
                p.scale_up_tolerance.value
            } else {
                p.scale_down_tolerance.value
            };
            let band = band(
                tol,
                p.scale_up_tolerance.value,
                p.scale_down_tolerance.value,
                target,
            );
            knob.setting(p).map(|s| s.with_value(band))
        }
        Concept::PanicThreshold if v04 => V04_PANIC_THRESHOLD.setting(p),
        Concept::PanicThreshold => PANIC_THRESHOLD.setting(p),
        Concept::ScaleUpWindow => SCALE_UP_COOLDOWN.setting(p),
        Concept::ScaleDownWindow => SCALE_DOWN_COOLDOWN.setting(p),
        Concept::ScaleDownDelay => V04_SCALE_DOWN_DELAY.setting(p),
        Concept::ActivationScale if v04 => V04_ACTIVATION_SCALE.setting(p),
        Concept::ActivationScale => Some(Setting {
            what: "the activation scale",
            setting: "not a setting in v0.7.0".into(),
            value: v07::ACTIVATION_SCALE.value.to_string(),
            origin: crate::span::Origin::Default {
                source: v07::ACTIVATION_SCALE.source,
            },
        }),
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

/// Every AIBrix knob, both generations (each answers only for its own).
pub static TABLE: super::Table<AibrixParams> = super::Table {
    object: &[&MIN_REPLICAS, &MAX_REPLICAS, &TARGET],
    params: &[
        &MAX_SCALE_UP_RATE,
        &MAX_SCALE_DOWN_RATE,
        &V04_MAX_SCALE_UP_RATE,
        &V04_MAX_SCALE_DOWN_RATE,
        &SCALE_UP_TOLERANCE,
        &SCALE_DOWN_TOLERANCE,
        &V04_UP_FLUCTUATION_TOLERANCE,
        &V04_DOWN_FLUCTUATION_TOLERANCE,
        &PANIC_THRESHOLD,
        &V04_PANIC_THRESHOLD,
        &SCALE_UP_COOLDOWN,
        &SCALE_DOWN_COOLDOWN,
        &V04_SCALE_DOWN_DELAY,
        &V04_ACTIVATION_SCALE,
        &V04_STABLE_WINDOW,
        &V04_PANIC_WINDOW,
    ],
};
