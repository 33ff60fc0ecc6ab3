//! AIBrix PodAutoscaler knobs, per controller generation: v0.7.0 reads
//! `autoscaling.aibrix.ai/*` (`types/annotations.go`, `context/context.go`); v0.4.0 reads
//! `autoscaling.aibrix.ai/` rates, `kpa.autoscaling.aibrix.ai/*` (KPA) and
//! `apa.autoscaling.aibrix.ai/*` (APA) (`common/context.go`, `scaler/{kpa,apa}.go`). Each
//! generation has its own params type and its own table.

use super::Place::{Annotation, Fixed, Path};
use super::{knobs, show_count, show_dur, show_num, Concept, Known, Setting};
use crate::codes::Code;
use crate::display::Num;
use crate::model::{AibrixParams, AibrixV04Params, AibrixV07Params, Autoscaler, Millis};
use crate::upstream::aibrix::{v04, v07};

knobs! {
    MIN_REPLICAS: Autoscaler, u32 = "minReplicas", Path("spec.minReplicas"),
        Some(v07::MIN_REPLICAS), |a| Some(&a.min_replicas), show_count;
    MAX_REPLICAS: Autoscaler, u32 = "maxReplicas", Path("spec.maxReplicas"),
        None, |a| Some(&a.max_replicas), show_count;
    TARGET: Autoscaler, f64 = "the target", Path("spec.metricsSources[].targetValue"),
        None, |a| a.metrics.first().map(|m| &m.target.value), show_num;
}

// v0.7.0 (`types/annotations.go`, `context/context.go`).
knobs! {
    MAX_SCALE_UP_RATE: AibrixV07Params, f64 = "the max scale-up rate",
        Annotation("autoscaling.aibrix.ai/max-scale-up-rate"),
        Some(v07::MAX_SCALE_UP_RATE), |p| Some(&p.max_scale_up_rate), show_num;
    MAX_SCALE_DOWN_RATE: AibrixV07Params, f64 = "the max scale-down rate",
        Annotation("autoscaling.aibrix.ai/max-scale-down-rate"),
        Some(v07::MAX_SCALE_DOWN_RATE), |p| Some(&p.max_scale_down_rate), show_num;
    SCALE_UP_TOLERANCE: AibrixV07Params, f64 = "the scale-up tolerance",
        Annotation("autoscaling.aibrix.ai/scale-up-tolerance"),
        Some(v07::SCALE_UP_TOLERANCE), |p| Some(&p.scale_up_tolerance), show_num;
    SCALE_DOWN_TOLERANCE: AibrixV07Params, f64 = "the scale-down tolerance",
        Annotation("autoscaling.aibrix.ai/scale-down-tolerance"),
        Some(v07::SCALE_DOWN_TOLERANCE), |p| Some(&p.scale_down_tolerance), show_num;
    PANIC_THRESHOLD: AibrixV07Params, f64 = "the panic threshold",
        Annotation("autoscaling.aibrix.ai/panic-threshold"),
        Some(v07::PANIC_THRESHOLD), |p| Some(&p.panic_threshold), show_num;
    SCALE_UP_COOLDOWN: AibrixV07Params, Millis = "the scale-up cooldown window",
        Annotation("autoscaling.aibrix.ai/scale-up-cooldown-window"),
        Some(v07::SCALE_UP_COOLDOWN), |p| Some(&p.scale_up_cooldown), show_dur;
    SCALE_DOWN_COOLDOWN: AibrixV07Params, Millis = "the scale-down cooldown window",
        Annotation("autoscaling.aibrix.ai/scale-down-cooldown-window"),
        Some(v07::SCALE_DOWN_COOLDOWN), |p| Some(&p.scale_down_cooldown), show_dur;
    /// v0.7.0's stable window: fixed in `metrics/client.go`, no setting changes it.
    FIXED_STABLE_WINDOW: AibrixV07Params, Millis = "the stable window",
        Fixed("fixed in v0.7.0 (stableWindowDuration)"),
        Some(v07::STABLE_WINDOW), |p| Some(&p.stable_window), show_dur;
    /// v0.7.0's panic window: fixed in `metrics/client.go`, no setting changes it.
    FIXED_PANIC_WINDOW: AibrixV07Params, Millis = "the panic window",
        Fixed("fixed in v0.7.0 (panicWindowDuration)"),
        Some(v07::PANIC_WINDOW), |p| Some(&p.panic_window), show_dur;
}

// v0.4.0 (`common/context.go`, `scaler/{kpa,apa}.go`).
knobs! {
    /// v0.4.0 reads the same key as v0.7.0 (`common/context.go`), with its own default.
    V04_MAX_SCALE_UP_RATE: AibrixV04Params, f64 = "the max scale-up rate",
        Annotation("autoscaling.aibrix.ai/max-scale-up-rate"),
        Some(v04::MAX_SCALE_UP_RATE), |p| Some(&p.max_scale_up_rate), show_num;
    V04_MAX_SCALE_DOWN_RATE: AibrixV04Params, f64 = "the max scale-down rate",
        Annotation("autoscaling.aibrix.ai/max-scale-down-rate"),
        Some(v04::MAX_SCALE_DOWN_RATE), |p| Some(&p.max_scale_down_rate), show_num;
    V04_UP_FLUCTUATION_TOLERANCE: AibrixV04Params, f64 = "the scale-up tolerance",
        Annotation("apa.autoscaling.aibrix.ai/up-fluctuation-tolerance"),
        Some(v04::UP_FLUCTUATION_TOLERANCE), |p| Some(&p.up_fluctuation_tolerance), show_num;
    V04_DOWN_FLUCTUATION_TOLERANCE: AibrixV04Params, f64 = "the scale-down tolerance",
        Annotation("apa.autoscaling.aibrix.ai/down-fluctuation-tolerance"),
        Some(v04::DOWN_FLUCTUATION_TOLERANCE), |p| Some(&p.down_fluctuation_tolerance), show_num;
    V04_PANIC_THRESHOLD: AibrixV04Params, f64 = "the panic threshold",
        Annotation("kpa.autoscaling.aibrix.ai/panic-threshold"),
        Some(v04::PANIC_THRESHOLD), |p| Some(&p.panic_threshold), show_num;
    V04_SCALE_DOWN_DELAY: AibrixV04Params, Millis = "the scale-down delay",
        Annotation("kpa.autoscaling.aibrix.ai/scale-down-delay"),
        Some(v04::SCALE_DOWN_DELAY), |p| Some(&p.scale_down_delay), show_dur;
    V04_ACTIVATION_SCALE: AibrixV04Params, u32 = "the activation scale",
        Annotation("kpa.autoscaling.aibrix.ai/activation-scale"),
        Some(v04::ACTIVATION_SCALE), |p| Some(&p.activation_scale), show_count;
    V04_APA_WINDOW: AibrixV04Params, Millis = "the APA window",
        Annotation("apa.autoscaling.aibrix.ai/window"),
        Some(v04::APA_WINDOW), |p| Some(&p.apa_window), show_dur;
    V04_STABLE_WINDOW: AibrixV04Params, Millis = "the stable window",
        Annotation("kpa.autoscaling.aibrix.ai/stable-window"),
        Some(v04::STABLE_WINDOW), |p| Some(&p.stable_window), show_dur;
    V04_PANIC_WINDOW: AibrixV04Params, Millis = "the panic window",
        Annotation("kpa.autoscaling.aibrix.ai/panic-window"),
        Some(v04::PANIC_WINDOW), |p| Some(&p.panic_window), show_dur;
}

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

/// `spec.observeWindowSeconds`: in no release (main only, after v0.7.0).
pub const OBSERVE_WINDOW_SECONDS: Known = Known::not_read(
    Path("spec.observeWindowSeconds"),
    Code::UnknownField,
    "added after v0.7.0, on main only (commit b7db6193, PR #2522)",
);
/// `spec.panicWindowSeconds`: added with [`OBSERVE_WINDOW_SECONDS`].
pub const PANIC_WINDOW_SECONDS: Known = Known {
    place: Path("spec.panicWindowSeconds"),
    ..OBSERVE_WINDOW_SECONDS
};
/// `spec.schedules`: in no release (main only, after v0.7.0).
pub const SCHEDULES: Known = Known::not_read(
    Path("spec.schedules"),
    Code::UnknownField,
    "added after v0.7.0, on main only (commit 0372379c, PR #2529) and is in no release yet",
);
/// `spec.targetMetric`: read at the top level by v0.1.x only.
pub const TOP_LEVEL_TARGET_METRIC: Known = Known::not_read(
    Path("spec.targetMetric"),
    Code::UnknownField,
    "moved into metricsSources by vllm-project/aibrix PR #511 (first released in v0.2.0)",
)
.instead("spec.metricsSources[].targetMetric");
/// `spec.targetValue`: moved with [`TOP_LEVEL_TARGET_METRIC`].
pub const TOP_LEVEL_TARGET_VALUE: Known = Known {
    place: Path("spec.targetValue"),
    instead: Some("spec.metricsSources[].targetValue"),
    ..TOP_LEVEL_TARGET_METRIC
};
/// `spec.subTargetSelector`: added in v0.5.0, so v0.4.0 scales the whole target.
pub const V04_SUB_TARGET_SELECTOR: Known = Known::not_read(
    Path("spec.subTargetSelector"),
    Code::UnknownField,
    "added in v0.5.0",
);
/// `spec.scaleTargetRef`: the workload the output names; the replay does not depend on it.
const SCALE_TARGET_REF: Known = Known::checked(
    Path("spec.scaleTargetRef"),
    "names the scaled workload in the output",
);
/// `metricSourceType: domain` (`api/autoscaling/v1alpha1/podautoscaler_types.go`).
const DOMAIN_SOURCE: Known = Known::checked(
    Path("spec.metricsSources[].metricSourceType: domain"),
    "deprecated (\"use EXTERNAL instead\") and read exactly like `external` (deprecated-value)",
);

/// A Gen-A (≤ v0.4) annotation v0.7.0 ignores, `why`.
const fn legacy(key: &'static str, why: &'static str) -> Known {
    Known::not_read(Annotation(key), Code::AibrixIgnoredAnnotation, why)
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
    known: &[
        SCALE_TARGET_REF,
        DOMAIN_SOURCE,
        OBSERVE_WINDOW_SECONDS,
        PANIC_WINDOW_SECONDS,
        SCHEDULES,
        TOP_LEVEL_TARGET_METRIC,
        TOP_LEVEL_TARGET_VALUE,
        // Gen-A (≤ v0.4) annotations v0.7.0 ignores, with what it reads instead where a key plays
        // the same part (v0.7.0 reads only the keys of `types/annotations.go`).
        legacy("kpa.autoscaling.aibrix.ai/scale-down-delay", "v0.7.0 has no scale-down delay; the scale-down cooldown window (default 300s) is the closest setting (it keeps the minimum recommendation of the window, not the maximum)")
            .instead("autoscaling.aibrix.ai/scale-down-cooldown-window"),
        legacy("kpa.autoscaling.aibrix.ai/panic-threshold", "same meaning")
            .instead("autoscaling.aibrix.ai/panic-threshold"),
        legacy("kpa.autoscaling.aibrix.ai/stable-window", "v0.7.0's stable window is fixed at 180s (stableWindowDuration, pkg/controller/podautoscaler/metrics/client.go): no setting changes it"),
        legacy("kpa.autoscaling.aibrix.ai/panic-window", "v0.7.0's panic window is fixed at 60s (panicWindowDuration, pkg/controller/podautoscaler/metrics/client.go): no setting changes it"),
        legacy("kpa.autoscaling.aibrix.ai/target-burst-capacity", "v0.7.0 has no burst capacity"),
        legacy("kpa.autoscaling.aibrix.ai/activation-scale", "v0.7.0 fixes the activation scale at 1"),
        legacy("apa.autoscaling.aibrix.ai/up-fluctuation-tolerance", "same meaning")
            .instead("autoscaling.aibrix.ai/scale-up-tolerance"),
        legacy("apa.autoscaling.aibrix.ai/down-fluctuation-tolerance", "same meaning")
            .instead("autoscaling.aibrix.ai/scale-down-tolerance"),
        legacy("apa.autoscaling.aibrix.ai/window", "v0.7.0's APA averages over the fixed 180s stable window (stableWindowDuration, pkg/controller/podautoscaler/metrics/client.go): no setting changes it"),
        legacy("autoscaling.aibrix.ai/up-fluctuation-tolerance", "same meaning")
            .instead("autoscaling.aibrix.ai/scale-up-tolerance"),
        legacy("autoscaling.aibrix.ai/down-fluctuation-tolerance", "same meaning")
            .instead("autoscaling.aibrix.ai/scale-down-tolerance"),
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
    known: &[
        SCALE_TARGET_REF,
        V04_SUB_TARGET_SELECTOR,
        OBSERVE_WINDOW_SECONDS,
        PANIC_WINDOW_SECONDS,
        SCHEDULES,
        TOP_LEVEL_TARGET_METRIC,
        TOP_LEVEL_TARGET_VALUE,
    ],
};
