//! AIBrix PodAutoscaler knobs, per controller generation: v0.7.0 reads
//! `autoscaling.aibrix.ai/*` (`types/annotations.go`, `context/context.go`); v0.4.0 reads
//! `autoscaling.aibrix.ai/` rates, `kpa.autoscaling.aibrix.ai/*` (KPA) and
//! `apa.autoscaling.aibrix.ai/*` (APA) (`common/context.go`, `scaler/{kpa,apa}.go`). Each
//! generation has its own params type and its own table.

use super::Place::{Annotation, Fixed, Path};
use super::{knobs, Concept, Knob, Known, Setting};
use crate::codes::Code;
use crate::display::Num;
use crate::model::{AibrixParams, AibrixV04Params, AibrixV07Params, Autoscaler, Millis};
use crate::upstream::aibrix::{v04, v07};

pub const MIN_REPLICAS: Knob<Autoscaler, u32> =
    super::min_replicas(Path("spec.minReplicas"), Some(v07::MIN_REPLICAS));
pub const MAX_REPLICAS: Knob<Autoscaler, u32> = super::max_replicas(Path("spec.maxReplicas"), None);
pub const TARGET: Knob<Autoscaler, f64> = super::target(Path("spec.metricsSources[].targetValue"));

// v0.7.0 (`types/annotations.go`, `context/context.go`).
knobs! {
    MAX_SCALE_UP_RATE: AibrixV07Params.max_scale_up_rate: f64 = "the max scale-up rate",
        Annotation("autoscaling.aibrix.ai/max-scale-up-rate"), Some(v07::MAX_SCALE_UP_RATE);
    MAX_SCALE_DOWN_RATE: AibrixV07Params.max_scale_down_rate: f64 = "the max scale-down rate",
        Annotation("autoscaling.aibrix.ai/max-scale-down-rate"), Some(v07::MAX_SCALE_DOWN_RATE);
    SCALE_UP_TOLERANCE: AibrixV07Params.scale_up_tolerance: f64 = "the scale-up tolerance",
        Annotation("autoscaling.aibrix.ai/scale-up-tolerance"), Some(v07::SCALE_UP_TOLERANCE);
    SCALE_DOWN_TOLERANCE: AibrixV07Params.scale_down_tolerance: f64 = "the scale-down tolerance",
        Annotation("autoscaling.aibrix.ai/scale-down-tolerance"), Some(v07::SCALE_DOWN_TOLERANCE);
    PANIC_THRESHOLD: AibrixV07Params.panic_threshold: f64 = "the panic threshold",
        Annotation("autoscaling.aibrix.ai/panic-threshold"), Some(v07::PANIC_THRESHOLD);
    SCALE_UP_COOLDOWN: AibrixV07Params.scale_up_cooldown: Millis = "the scale-up cooldown window",
        Annotation("autoscaling.aibrix.ai/scale-up-cooldown-window"), Some(v07::SCALE_UP_COOLDOWN);
    SCALE_DOWN_COOLDOWN: AibrixV07Params.scale_down_cooldown: Millis =
        "the scale-down cooldown window", Annotation("autoscaling.aibrix.ai/scale-down-cooldown-window"),
        Some(v07::SCALE_DOWN_COOLDOWN);
    /// v0.7.0's stable window: fixed in `metrics/client.go`, no setting changes it.
    FIXED_STABLE_WINDOW: AibrixV07Params.stable_window: Millis = "the stable window",
        Fixed("fixed in v0.7.0 (stableWindowDuration)"), Some(v07::STABLE_WINDOW);
    /// v0.7.0's panic window: fixed in `metrics/client.go`, no setting changes it.
    FIXED_PANIC_WINDOW: AibrixV07Params.panic_window: Millis = "the panic window",
        Fixed("fixed in v0.7.0 (panicWindowDuration)"), Some(v07::PANIC_WINDOW);
}

// v0.4.0 (`common/context.go`, `scaler/{kpa,apa}.go`).
knobs! {
    /// v0.4.0 reads the same key as v0.7.0 (`common/context.go`), with its own default.
    V04_MAX_SCALE_UP_RATE: AibrixV04Params.max_scale_up_rate: f64 = "the max scale-up rate",
        Annotation("autoscaling.aibrix.ai/max-scale-up-rate"), Some(v04::MAX_SCALE_UP_RATE);
    V04_MAX_SCALE_DOWN_RATE: AibrixV04Params.max_scale_down_rate: f64 = "the max scale-down rate",
        Annotation("autoscaling.aibrix.ai/max-scale-down-rate"), Some(v04::MAX_SCALE_DOWN_RATE);
    V04_UP_FLUCTUATION_TOLERANCE: AibrixV04Params.up_fluctuation_tolerance: f64 =
        "the scale-up tolerance", Annotation("apa.autoscaling.aibrix.ai/up-fluctuation-tolerance"),
        Some(v04::UP_FLUCTUATION_TOLERANCE);
    V04_DOWN_FLUCTUATION_TOLERANCE: AibrixV04Params.down_fluctuation_tolerance: f64 =
        "the scale-down tolerance", Annotation("apa.autoscaling.aibrix.ai/down-fluctuation-tolerance"),
        Some(v04::DOWN_FLUCTUATION_TOLERANCE);
    V04_PANIC_THRESHOLD: AibrixV04Params.panic_threshold: f64 = "the panic threshold",
        Annotation("kpa.autoscaling.aibrix.ai/panic-threshold"), Some(v04::PANIC_THRESHOLD);
    V04_SCALE_DOWN_DELAY: AibrixV04Params.scale_down_delay: Millis = "the scale-down delay",
        Annotation("kpa.autoscaling.aibrix.ai/scale-down-delay"), Some(v04::SCALE_DOWN_DELAY);
    V04_ACTIVATION_SCALE: AibrixV04Params.activation_scale: u32 = "the activation scale",
        Annotation("kpa.autoscaling.aibrix.ai/activation-scale"), Some(v04::ACTIVATION_SCALE);
    V04_APA_WINDOW: AibrixV04Params.apa_window: Millis = "the APA window",
        Annotation("apa.autoscaling.aibrix.ai/window"), Some(v04::APA_WINDOW);
    V04_STABLE_WINDOW: AibrixV04Params.stable_window: Millis = "the stable window",
        Annotation("kpa.autoscaling.aibrix.ai/stable-window"), Some(v04::STABLE_WINDOW);
    V04_PANIC_WINDOW: AibrixV04Params.panic_window: Millis = "the panic window",
        Annotation("kpa.autoscaling.aibrix.ai/panic-window"), Some(v04::PANIC_WINDOW);
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

/// The knobs both generations have, under their own keys and defaults.
struct Shared<P: 'static> {
    max_scale_up_rate: &'static Knob<P, f64>,
    max_scale_down_rate: &'static Knob<P, f64>,
    scale_up_tolerance: &'static Knob<P, f64>,
    scale_down_tolerance: &'static Knob<P, f64>,
    panic_threshold: &'static Knob<P, f64>,
}

const V07: Shared<AibrixV07Params> = Shared {
    max_scale_up_rate: &MAX_SCALE_UP_RATE,
    max_scale_down_rate: &MAX_SCALE_DOWN_RATE,
    scale_up_tolerance: &SCALE_UP_TOLERANCE,
    scale_down_tolerance: &SCALE_DOWN_TOLERANCE,
    panic_threshold: &PANIC_THRESHOLD,
};

const V04: Shared<AibrixV04Params> = Shared {
    max_scale_up_rate: &V04_MAX_SCALE_UP_RATE,
    max_scale_down_rate: &V04_MAX_SCALE_DOWN_RATE,
    scale_up_tolerance: &V04_UP_FLUCTUATION_TOLERANCE,
    scale_down_tolerance: &V04_DOWN_FLUCTUATION_TOLERANCE,
    panic_threshold: &V04_PANIC_THRESHOLD,
};

impl<P> Shared<P> {
    /// The setting of a part both generations play; a tolerance with its band.
    fn setting(&self, a: &Autoscaler, p: &P, c: Concept) -> Option<Setting> {
        let value = |k: &Knob<P, f64>| (k.get)(p).map_or(0.0, |v| v.value);
        let (up_tol, down_tol) = (
            value(self.scale_up_tolerance),
            value(self.scale_down_tolerance),
        );
        let target = a.metrics.first().map(|m| m.target.value.value);
        let with_band = |k: &Knob<P, f64>, tol: f64| {
            k.setting(p)
                .map(|s| s.with_value(band(tol, up_tol, down_tol, target)))
        };
        match c {
            Concept::MaxScaleUpRate => self.max_scale_up_rate.setting(p),
            Concept::MaxScaleDownRate => self.max_scale_down_rate.setting(p),
            Concept::ScaleUpTolerance => with_band(self.scale_up_tolerance, up_tol),
            Concept::ScaleDownTolerance => with_band(self.scale_down_tolerance, down_tol),
            Concept::PanicThreshold => self.panic_threshold.setting(p),
            _ => None,
        }
    }
}

fn v07_setting(a: &Autoscaler, p: &AibrixV07Params, c: Concept) -> Option<Setting> {
    match c {
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
        c => V07.setting(a, p, c),
    }
}

fn v04_setting(a: &Autoscaler, p: &AibrixV04Params, c: Concept) -> Option<Setting> {
    match c {
        Concept::ScaleDownDelay => V04_SCALE_DOWN_DELAY.setting(p),
        Concept::ActivationScale => V04_ACTIVATION_SCALE.setting(p),
        Concept::StableWindow if matches!(a.algorithm, crate::model::Algorithm::AibrixApa(_)) => {
            V04_APA_WINDOW.setting(p)
        }
        Concept::StableWindow => V04_STABLE_WINDOW.setting(p),
        Concept::PanicWindow => V04_PANIC_WINDOW.setting(p),
        c => V04.setting(a, p, c),
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
