//! AIBrix PodAutoscaler knobs, per release: v0.5.0, v0.6.0 and v0.7.0 read
//! `autoscaling.aibrix.ai/*` (`types/annotations.go`, `context/context.go`), one table each
//! ([`v05`], [`v06`], [`v07`]); v0.4.0 reads
//! `autoscaling.aibrix.ai/` rates, `kpa.autoscaling.aibrix.ai/*` (KPA) and
//! `apa.autoscaling.aibrix.ai/*` (APA) (`common/context.go`, `scaler/{kpa,apa}.go`). Each
//! generation has its own params type, each release its own table.

use super::Place::{Annotation, Path};
use super::{knobs, Concept, Knob, Known, Setting, Table};
use crate::codes::Code;
use crate::display::Num;
use crate::model::{
    AibrixGenBParams, AibrixParams, AibrixV04Params, AibrixVersion, Autoscaler, Millis,
};
use crate::upstream::aibrix::v04;

/// v0.4.0's `spec.minReplicas` (each Gen-B release has its own, citing its tag).
pub const V04_MIN_REPLICAS: Knob<Autoscaler, u32> =
    super::min_replicas(Path("spec.minReplicas"), Some(v04::MIN_REPLICAS));
pub const MAX_REPLICAS: Knob<Autoscaler, u32> = super::max_replicas(Path("spec.maxReplicas"), None);
pub const TARGET: Knob<Autoscaler, f64> = super::target(Path("spec.metricsSources[].targetValue"));

/// One Gen-B release's knobs and table (`types/annotations.go`, `context/context.go`,
/// `metrics/client.go` at `$tag`): the same keys in v0.5.0, v0.6.0 and v0.7.0, each default
/// citing its own release (`upstream::aibrix::$m`).
macro_rules! gen_b_knobs {
    ($m:ident, $tag:literal) => {
        pub mod $m {
            use super::super::Place::{Annotation, Fixed, Path};
            use super::super::{knobs, Knob, Known};
            use super::{legacy, GenBKnobs, Shared, GEN_B_KNOWN};
            use crate::model::{AibrixGenBParams, Autoscaler, Millis};
            use crate::upstream::aibrix::$m as up;

            /// `spec.minReplicas`, 1 when unset (`computeScaleDecision`).
            pub const MIN_REPLICAS: Knob<Autoscaler, u32> =
                super::super::min_replicas(Path("spec.minReplicas"), Some(up::MIN_REPLICAS));

            knobs! {
                MAX_SCALE_UP_RATE: AibrixGenBParams.max_scale_up_rate: f64 = "the max scale-up rate",
                    Annotation("autoscaling.aibrix.ai/max-scale-up-rate"), Some(up::MAX_SCALE_UP_RATE);
                MAX_SCALE_DOWN_RATE: AibrixGenBParams.max_scale_down_rate: f64 =
                    "the max scale-down rate", Annotation("autoscaling.aibrix.ai/max-scale-down-rate"),
                    Some(up::MAX_SCALE_DOWN_RATE);
                SCALE_UP_TOLERANCE: AibrixGenBParams.scale_up_tolerance: f64 = "the scale-up tolerance",
                    Annotation("autoscaling.aibrix.ai/scale-up-tolerance"), Some(up::SCALE_UP_TOLERANCE);
                SCALE_DOWN_TOLERANCE: AibrixGenBParams.scale_down_tolerance: f64 =
                    "the scale-down tolerance", Annotation("autoscaling.aibrix.ai/scale-down-tolerance"),
                    Some(up::SCALE_DOWN_TOLERANCE);
                PANIC_THRESHOLD: AibrixGenBParams.panic_threshold: f64 = "the panic threshold",
                    Annotation("autoscaling.aibrix.ai/panic-threshold"), Some(up::PANIC_THRESHOLD);
                SCALE_UP_COOLDOWN: AibrixGenBParams.scale_up_cooldown: Millis =
                    "the scale-up cooldown window",
                    Annotation("autoscaling.aibrix.ai/scale-up-cooldown-window"),
                    Some(up::SCALE_UP_COOLDOWN);
                SCALE_DOWN_COOLDOWN: AibrixGenBParams.scale_down_cooldown: Millis =
                    "the scale-down cooldown window",
                    Annotation("autoscaling.aibrix.ai/scale-down-cooldown-window"),
                    Some(up::SCALE_DOWN_COOLDOWN);
                /// The stable window: fixed in `metrics/client.go`, no setting changes it.
                FIXED_STABLE_WINDOW: AibrixGenBParams.stable_window: Millis = "the stable window",
                    Fixed(concat!("fixed in ", $tag, " (stableWindowDuration)")), Some(up::STABLE_WINDOW);
                /// The panic window: fixed in `metrics/client.go`, no setting changes it.
                FIXED_PANIC_WINDOW: AibrixGenBParams.panic_window: Millis = "the panic window",
                    Fixed(concat!("fixed in ", $tag, " (panicWindowDuration)")), Some(up::PANIC_WINDOW);
            }

            /// The knobs `setting` looks up.
            pub(super) const KNOBS: GenBKnobs = GenBKnobs {
                shared: Shared {
                    max_scale_up_rate: &MAX_SCALE_UP_RATE,
                    max_scale_down_rate: &MAX_SCALE_DOWN_RATE,
                    scale_up_tolerance: &SCALE_UP_TOLERANCE,
                    scale_down_tolerance: &SCALE_DOWN_TOLERANCE,
                    panic_threshold: &PANIC_THRESHOLD,
                },
                scale_up_cooldown: &SCALE_UP_COOLDOWN,
                scale_down_cooldown: &SCALE_DOWN_COOLDOWN,
                stable_window: &FIXED_STABLE_WINDOW,
                panic_window: &FIXED_PANIC_WINDOW,
                activation_scale: up::ACTIVATION_SCALE,
                activation_place: concat!("not a setting in ", $tag),
            };

            /// Every knob of this release.
            pub static TABLE: super::super::Table<AibrixGenBParams> = super::super::Table {
                object: &[&MIN_REPLICAS, &super::MAX_REPLICAS, &super::TARGET],
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
                known: &KNOWN,
            };

            /// The settings this release's reader knows but no knob replays.
            const KNOWN: [Known; 18] = {
                let g = GEN_B_KNOWN;
                [
                    g[0], g[1], g[2], g[3], g[4], g[5], g[6],
                    // Gen-A (≤ v0.4) annotations this release ignores, with what it reads instead
                    // where a key plays the same part (it reads only the keys of
                    // `types/annotations.go`).
                    legacy("kpa.autoscaling.aibrix.ai/scale-down-delay", concat!($tag, " has no scale-down delay; the scale-down cooldown window (default 300s) is the closest setting (it keeps the minimum recommendation of the window, not the maximum)"))
                        .instead("autoscaling.aibrix.ai/scale-down-cooldown-window"),
                    legacy("kpa.autoscaling.aibrix.ai/panic-threshold", "same meaning")
                        .instead("autoscaling.aibrix.ai/panic-threshold"),
                    legacy("kpa.autoscaling.aibrix.ai/stable-window", concat!($tag, "'s stable window is fixed at 180s (stableWindowDuration, pkg/controller/podautoscaler/metrics/client.go): no setting changes it")),
                    legacy("kpa.autoscaling.aibrix.ai/panic-window", concat!($tag, "'s panic window is fixed at 60s (panicWindowDuration, pkg/controller/podautoscaler/metrics/client.go): no setting changes it")),
                    legacy("kpa.autoscaling.aibrix.ai/target-burst-capacity", concat!($tag, " has no burst capacity")),
                    legacy("kpa.autoscaling.aibrix.ai/activation-scale", concat!($tag, " fixes the activation scale at 1")),
                    legacy("apa.autoscaling.aibrix.ai/up-fluctuation-tolerance", "same meaning")
                        .instead("autoscaling.aibrix.ai/scale-up-tolerance"),
                    legacy("apa.autoscaling.aibrix.ai/down-fluctuation-tolerance", "same meaning")
                        .instead("autoscaling.aibrix.ai/scale-down-tolerance"),
                    legacy("apa.autoscaling.aibrix.ai/window", concat!($tag, "'s APA averages over the fixed 180s stable window (stableWindowDuration, pkg/controller/podautoscaler/metrics/client.go): no setting changes it")),
                    legacy("autoscaling.aibrix.ai/up-fluctuation-tolerance", "same meaning")
                        .instead("autoscaling.aibrix.ai/scale-up-tolerance"),
                    legacy("autoscaling.aibrix.ai/down-fluctuation-tolerance", "same meaning")
                        .instead("autoscaling.aibrix.ai/scale-down-tolerance"),
                ]
            };
        }
    };
}

gen_b_knobs!(v07, "v0.7.0");
gen_b_knobs!(v06, "v0.6.0");
gen_b_knobs!(v05, "v0.5.0");

pub use v07::{
    FIXED_PANIC_WINDOW, FIXED_STABLE_WINDOW, MAX_SCALE_DOWN_RATE, MAX_SCALE_UP_RATE, MIN_REPLICAS,
    PANIC_THRESHOLD, SCALE_DOWN_COOLDOWN, SCALE_DOWN_TOLERANCE, SCALE_UP_COOLDOWN,
    SCALE_UP_TOLERANCE, TABLE as TABLE_V07,
};

/// The table of the Gen-B release `version` (`None` for v0.4, [`TABLE_V04`]).
pub fn gen_b_table(version: AibrixVersion) -> Option<&'static Table<AibrixGenBParams>> {
    match version {
        AibrixVersion::V0_2_0
        | AibrixVersion::V0_2_1
        | AibrixVersion::V0_3_0
        | AibrixVersion::V0_4 => None,
        AibrixVersion::V0_5 => Some(&v05::TABLE),
        AibrixVersion::V0_6 => Some(&v06::TABLE),
        AibrixVersion::V0_7 => Some(&v07::TABLE),
    }
}

/// The Gen-B knobs `setting` needs, one set per release.
struct GenBKnobs {
    shared: Shared<AibrixGenBParams>,
    scale_up_cooldown: &'static Knob<AibrixGenBParams, Millis>,
    scale_down_cooldown: &'static Knob<AibrixGenBParams, Millis>,
    stable_window: &'static Knob<AibrixGenBParams, Millis>,
    panic_window: &'static Knob<AibrixGenBParams, Millis>,
    activation_scale: crate::upstream::Fact<u32>,
    activation_place: &'static str,
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
            AibrixParams::V07(p) => gen_b_setting(a, p, c, &v07::KNOBS),
            AibrixParams::V06(p) => gen_b_setting(a, p, c, &v06::KNOBS),
            AibrixParams::V05(p) => gen_b_setting(a, p, c, &v05::KNOBS),
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

fn gen_b_setting(
    a: &Autoscaler,
    p: &AibrixGenBParams,
    c: Concept,
    k: &GenBKnobs,
) -> Option<Setting> {
    match c {
        Concept::ScaleUpWindow => k.scale_up_cooldown.setting(p),
        Concept::ScaleDownWindow => k.scale_down_cooldown.setting(p),
        Concept::StableWindow => k.stable_window.setting(p),
        Concept::PanicWindow => k.panic_window.setting(p),
        Concept::ActivationScale => Some(Setting {
            what: "the activation scale",
            setting: k.activation_place.into(),
            value: k.activation_scale.value.to_string(),
            origin: crate::span::Origin::Default {
                source: k.activation_scale.source,
            },
        }),
        c => k.shared.setting(a, p, c),
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

/// The first rows of every Gen-B release's known settings (the Gen-A annotations follow).
const GEN_B_KNOWN: [Known; 7] = [
    SCALE_TARGET_REF,
    DOMAIN_SOURCE,
    OBSERVE_WINDOW_SECONDS,
    PANIC_WINDOW_SECONDS,
    SCHEDULES,
    TOP_LEVEL_TARGET_METRIC,
    TOP_LEVEL_TARGET_VALUE,
];

/// A Gen-A (≤ v0.4) annotation a Gen-B release ignores, `why`.
const fn legacy(key: &'static str, why: &'static str) -> Known {
    Known::not_read(Annotation(key), Code::AibrixIgnoredAnnotation, why)
}

/// Every AIBrix v0.4.0 knob.
pub static TABLE_V04: super::Table<AibrixV04Params> = super::Table {
    object: &[&V04_MIN_REPLICAS, &MAX_REPLICAS, &TARGET],
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
