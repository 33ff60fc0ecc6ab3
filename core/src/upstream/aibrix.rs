//! AIBrix PodAutoscaler (vllm-project/aibrix): the replayed releases, each at its tag. [`v04`] is
//! v0.4.0 (Gen A: `scaler/{kpa,apa}.go`; v0.4.1 changed nothing under
//! `pkg/controller/podautoscaler`, `pkg/metrics` or `api/autoscaling`, so it replays as v0.4.0);
//! [`v05`], [`v06`] and [`v07`] are v0.5.0, v0.6.0 and v0.7.0 (Gen B: `algorithm/*.go`,
//! `context/context.go`), one module each. A fact of one release is never used by another.

use super::{Fact, Project, Release, Source};
use crate::model::{Millis, MINUTE, SECOND};

/// A file of the PodAutoscaler controller (`pkg/controller/podautoscaler/`, the directory
/// every generation keeps it in) at release `$at`, and the symbol in it.
macro_rules! controller {
    ($at:expr, $file:literal, $symbol:literal) => {
        $at.file(concat!("pkg/controller/podautoscaler/", $file), $symbol)
    };
}

/// The facts of one Gen-B release (`v0.5.0`, `v0.6.0`, `v0.7.0`), each read at that release's
/// tag. The three releases have the same scaling context, windows, annotation keys, metric
/// fetchers and HPA builder (`git diff v0.5.0 v0.7.0 -- pkg/controller/podautoscaler
/// api/autoscaling` changes none of them); what differs between them is behaviour the reader
/// words per release (`config::aibrix`): v0.6.0 added the `targetValue > 0` checks
/// (`context/context.go` `UpdateByPaTypes`, `pkg/webhook/podautoscaler_webhook.go`,
/// `algorithm/apa.go`, PR #1879) and moved the StormService `pod-group-index=0` selector from
/// `podautoscaler_controller.go` `computeMetricBasedReplicas` to `workload_scale.go`
/// `getPodSelectorForRole`, for roles with `podGroupSize > 1` only (PR #1917); v0.7.0 changed
/// nothing the replay reads (the resync loop's lifecycle, `pkg/metrics/engine_fetcher.go`'s
/// per-model parsing and TensorRT-LLM names).
macro_rules! gen_b {
    ($tag:literal, $version:expr, $selector:expr) => {
        use super::*;

        /// Every fact of this release is read at this tag.
        pub const AT: Release = Project::Aibrix.at($tag);
        /// The release, as a replay selects it.
        pub const VERSION: crate::model::AibrixVersion = $version;

        /// Scaling-context defaults (`NewBaseScalingContext`).
        pub static CONTEXT: Source = controller!(AT, "context/context.go", "NewBaseScalingContext");
        /// The fixed metric windows (`stableWindowDuration`, `panicWindowDuration`).
        pub static WINDOWS: Source = controller!(
            AT,
            "metrics/client.go",
            "stableWindowDuration, panicWindowDuration"
        );
        /// The controller: resync interval and the min/max guards (`computeScaleDecision`).
        pub static CONTROLLER: Source =
            controller!(AT, "podautoscaler_controller.go", "DefaultResyncInterval");
        /// `minReplicas` when unset (`computeScaleDecision`).
        pub static BOUNDS: Source =
            controller!(AT, "podautoscaler_controller.go", "computeScaleDecision");
        /// The KPA's activation scale: a constant, no setting changes it.
        pub static ACTIVATION: Source =
            controller!(AT, "context/context.go", "DefaultActivationScale");
        /// How an `external` / `domain` source is fetched: `fetchFromGPUOptimizer` asks
        /// `FetchTypedMetric` (`pkg/metrics/engine_fetcher.go`) for the metric under engine
        /// `"external"`, which no entry of the registry (`pkg/metrics/metrics.go` `Metrics`)
        /// maps, and returns 0 with a warning when that fails; without an endpoint,
        /// `fetchFromK8sExternalMetrics` is "not implemented yet".
        pub static EXTERNAL_FETCH: Source =
            controller!(AT, "metrics/fetcher.go", "fetchFromGPUOptimizer");
        /// The admission webhook: exactly one metricsSource; `external`/`domain` need an
        /// endpoint (and, from v0.6.0, a `targetValue` that is a quantity above 0).
        pub static WEBHOOK: Source = AT.file(
            "pkg/webhook/podautoscaler_webhook.go",
            "validatePodAutoscaler",
        );
        /// `MetricSourceType` (`DOMAIN` is `+deprecated`: "use EXTERNAL instead").
        pub static TYPES: Source = AT.file(
            "api/autoscaling/v1alpha1/podautoscaler_types.go",
            "MetricSourceType",
        );
        /// The HPA the HPA strategy creates (`makeHPAWithBounds`).
        pub static HPA: Source = controller!(AT, "hpa_resources.go", "");
        /// Which pods of a StormService the metrics are read from (`pod-group-index=0`).
        pub static POD_SELECTOR: Source = $selector;

        pub const MAX_SCALE_UP_RATE: Fact<f64> = Fact::new(2.0, &CONTEXT);
        pub const MAX_SCALE_DOWN_RATE: Fact<f64> = Fact::new(2.0, &CONTEXT);
        pub const SCALE_UP_TOLERANCE: Fact<f64> = Fact::new(0.1, &CONTEXT);
        pub const SCALE_DOWN_TOLERANCE: Fact<f64> = Fact::new(0.1, &CONTEXT);
        pub const PANIC_THRESHOLD: Fact<f64> = Fact::new(2.0, &CONTEXT);
        pub const SCALE_UP_COOLDOWN: Fact<Millis> = Fact::new(0, &CONTEXT);
        pub const SCALE_DOWN_COOLDOWN: Fact<Millis> = Fact::new(300 * SECOND, &CONTEXT);
        /// Parsed but unused upstream (no caller of `GetScaleToZero()`).
        pub const SCALE_TO_ZERO: Fact<bool> = Fact::new(false, &CONTEXT);
        pub const STABLE_WINDOW: Fact<Millis> = Fact::new(180 * SECOND, &WINDOWS);
        pub const PANIC_WINDOW: Fact<Millis> = Fact::new(60 * SECOND, &WINDOWS);
        pub const RESYNC_INTERVAL: Fact<Millis> = Fact::new(10 * SECOND, &CONTROLLER);
        pub const MIN_REPLICAS: Fact<u32> = Fact::new(1, &BOUNDS);
        pub const ACTIVATION_SCALE: Fact<u32> = Fact::new(1, &ACTIVATION);

        /// This release's scaling context when no annotation is written.
        pub fn params() -> crate::model::AibrixGenBParams {
            crate::model::AibrixGenBParams {
                max_scale_up_rate: MAX_SCALE_UP_RATE.param(),
                max_scale_down_rate: MAX_SCALE_DOWN_RATE.param(),
                scale_up_tolerance: SCALE_UP_TOLERANCE.param(),
                scale_down_tolerance: SCALE_DOWN_TOLERANCE.param(),
                panic_threshold: PANIC_THRESHOLD.param(),
                scale_up_cooldown: SCALE_UP_COOLDOWN.param(),
                scale_down_cooldown: SCALE_DOWN_COOLDOWN.param(),
                scale_to_zero: SCALE_TO_ZERO.param(),
                stable_window: STABLE_WINDOW.param(),
                panic_window: PANIC_WINDOW.param(),
                resync_interval: RESYNC_INTERVAL.param(),
            }
        }

        /// This release's sources.
        pub static SOURCES: &[&Source] = &[
            &CONTEXT,
            &WINDOWS,
            &CONTROLLER,
            &BOUNDS,
            &ACTIVATION,
            &EXTERNAL_FETCH,
            &WEBHOOK,
            &TYPES,
            &HPA,
            &POD_SELECTOR,
        ];
    };
}

/// AIBrix v0.7.0 (Gen B).
pub mod v07 {
    gen_b!(
        "v0.7.0",
        crate::model::AibrixVersion::V0_7,
        controller!(AT, "workload_scale.go", "getPodSelectorForRole")
    );
}

/// AIBrix v0.6.0 (Gen B): v0.7.0's controller; the `targetValue > 0` checks and the per-role
/// StormService selector arrived here.
pub mod v06 {
    gen_b!(
        "v0.6.0",
        crate::model::AibrixVersion::V0_6,
        controller!(AT, "workload_scale.go", "getPodSelectorForRole")
    );
}

/// AIBrix v0.5.0 (Gen B, its first release): no `targetValue > 0` check, and a StormService's
/// metrics are read only from pods labelled `pod-group-index=0`.
pub mod v05 {
    gen_b!(
        "v0.5.0",
        crate::model::AibrixVersion::V0_5,
        controller!(
            AT,
            "podautoscaler_controller.go",
            "computeMetricBasedReplicas"
        )
    );
}

/// The Gen-B release `version` replays, with its facts: `None` for v0.2.0 – v0.4 (Gen A,
/// [`v04`]).
pub fn gen_b(version: crate::model::AibrixVersion) -> Option<GenB> {
    use crate::model::AibrixVersion as V;
    let b = |params: fn() -> crate::model::AibrixGenBParams,
             bounds: &'static Source,
             hpa: &'static Source,
             external_fetch: &'static Source| GenB {
        version,
        params,
        bounds,
        hpa,
        external_fetch,
    };
    match version {
        V::V0_2_0 | V::V0_2_1 | V::V0_3_0 | V::V0_4 => None,
        V::V0_5 => Some(b(
            v05::params,
            &v05::BOUNDS,
            &v05::HPA,
            &v05::EXTERNAL_FETCH,
        )),
        V::V0_6 => Some(b(
            v06::params,
            &v06::BOUNDS,
            &v06::HPA,
            &v06::EXTERNAL_FETCH,
        )),
        V::V0_7 => Some(b(
            v07::params,
            &v07::BOUNDS,
            &v07::HPA,
            &v07::EXTERNAL_FETCH,
        )),
    }
}

/// What a reader needs of one Gen-B release's facts ([`gen_b`]).
#[derive(Clone, Copy)]
pub struct GenB {
    pub version: crate::model::AibrixVersion,
    /// The scaling context when no annotation is written.
    pub params: fn() -> crate::model::AibrixGenBParams,
    /// `minReplicas` when unset.
    pub bounds: &'static Source,
    /// The HPA the HPA strategy creates.
    pub hpa: &'static Source,
    /// How an external source is fetched.
    pub external_fetch: &'static Source,
}

/// AIBrix v0.4.0 (Gen A).
pub mod v04 {
    use super::*;

    /// Every fact of this generation is read at this release.
    pub const AT: Release = Project::Aibrix.at("v0.4.0");

    /// Base scaling context (`NewBaseScalingContext`).
    pub static BASE: Source = controller!(AT, "common/context.go", "NewBaseScalingContext");
    /// KPA scaling context (`NewKpaScalingContext`).
    pub static KPA: Source = controller!(AT, "scaler/kpa.go", "NewKpaScalingContext");
    /// APA scaling context (`NewApaScalingContext`).
    pub static APA: Source = controller!(AT, "scaler/apa.go", "NewApaScalingContext");
    /// The controller: resync interval.
    pub static CONTROLLER: Source =
        controller!(AT, "podautoscaler_controller.go", "resyncInterval");
    /// `minReplicas` when unset (`reconcileCustomPA`).
    pub static BOUNDS: Source = controller!(AT, "podautoscaler_controller.go", "reconcileCustomPA");

    pub const MAX_SCALE_UP_RATE: Fact<f64> = Fact::new(2.0, &BASE);
    pub const MAX_SCALE_DOWN_RATE: Fact<f64> = Fact::new(2.0, &BASE);
    /// APA `up-fluctuation-tolerance`.
    pub const UP_FLUCTUATION_TOLERANCE: Fact<f64> = Fact::new(0.1, &APA);
    /// APA `down-fluctuation-tolerance`.
    pub const DOWN_FLUCTUATION_TOLERANCE: Fact<f64> = Fact::new(0.2, &APA);
    pub const PANIC_THRESHOLD: Fact<f64> = Fact::new(2.0, &KPA);
    pub const STABLE_WINDOW: Fact<Millis> = Fact::new(60 * SECOND, &KPA);
    pub const PANIC_WINDOW: Fact<Millis> = Fact::new(10 * SECOND, &KPA);
    pub const SCALE_DOWN_DELAY: Fact<Millis> = Fact::new(30 * MINUTE, &KPA);
    pub const ACTIVATION_SCALE: Fact<u32> = Fact::new(1, &KPA);
    pub const TARGET_BURST_CAPACITY: Fact<f64> = Fact::new(2.0, &KPA);
    pub const APA_WINDOW: Fact<Millis> = Fact::new(60 * SECOND, &APA);
    pub const RESYNC_INTERVAL: Fact<Millis> = Fact::new(10 * SECOND, &CONTROLLER);
    pub const MIN_REPLICAS: Fact<u32> = Fact::new(1, &BOUNDS);

    /// The v0.4.0 scaling context when no annotation is written.
    pub fn params() -> crate::model::AibrixV04Params {
        crate::model::AibrixV04Params {
            release: crate::model::AibrixVersion::V0_4,
            max_scale_up_rate: MAX_SCALE_UP_RATE.param(),
            max_scale_down_rate: MAX_SCALE_DOWN_RATE.param(),
            up_fluctuation_tolerance: UP_FLUCTUATION_TOLERANCE.param(),
            down_fluctuation_tolerance: DOWN_FLUCTUATION_TOLERANCE.param(),
            panic_threshold: PANIC_THRESHOLD.param(),
            stable_window: STABLE_WINDOW.param(),
            panic_window: PANIC_WINDOW.param(),
            scale_down_delay: SCALE_DOWN_DELAY.param(),
            activation_scale: ACTIVATION_SCALE.param(),
            target_burst_capacity: TARGET_BURST_CAPACITY.param(),
            apa_window: APA_WINDOW.param(),
            resync_interval: RESYNC_INTERVAL.param(),
        }
    }
}

/// Gen A's sources ([`v04`]); each Gen-B release lists its own (`v05::SOURCES`, ...).
pub static V04_SOURCES: &[&Source] = &[
    &v04::BASE,
    &v04::KPA,
    &v04::APA,
    &v04::CONTROLLER,
    &v04::BOUNDS,
];

/// Every source this module cites.
pub fn sources() -> impl Iterator<Item = &'static &'static Source> {
    v07::SOURCES
        .iter()
        .chain(v06::SOURCES)
        .chain(v05::SOURCES)
        .chain(V04_SOURCES)
}
