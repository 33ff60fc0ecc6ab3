//! AIBrix PodAutoscaler (vllm-project/aibrix): the two controller generations replayed, each at
//! its release tag. `V04` is v0.4.0 (Gen A: `scaler/{kpa,apa}.go`), `V07` is v0.7.0 (Gen B:
//! `algorithm/*.go`, `context/context.go`). A fact of one generation is never used by the other.

use super::{Fact, Project, Release, Source};
use crate::model::{Millis, MINUTE, SECOND};

/// A file of the PodAutoscaler controller (`pkg/controller/podautoscaler/`, the directory
/// every generation keeps it in) at release `$at`, and the symbol in it.
macro_rules! controller {
    ($at:expr, $file:literal, $symbol:literal) => {
        $at.file(concat!("pkg/controller/podautoscaler/", $file), $symbol)
    };
}

/// AIBrix v0.7.0 (Gen B).
pub mod v07 {
    use super::*;

    /// Every fact of this generation is read at this release.
    pub const AT: Release = Project::Aibrix.at("v0.7.0");

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
    pub static ACTIVATION: Source = controller!(AT, "context/context.go", "DefaultActivationScale");
    /// How an `external` / `domain` source is fetched: `fetchFromGPUOptimizer` asks
    /// `FetchTypedMetric` (`pkg/metrics/engine_fetcher.go`) for the metric under engine
    /// `"external"`, which no entry of the registry (`pkg/metrics/metrics.go` `Metrics`) maps, and
    /// returns 0 with a warning when that fails; without an endpoint,
    /// `fetchFromK8sExternalMetrics` is "not implemented yet".
    pub static EXTERNAL_FETCH: Source =
        controller!(AT, "metrics/fetcher.go", "fetchFromGPUOptimizer");
    /// The admission webhook: exactly one metricsSource; `external`/`domain` need an endpoint.
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

    /// The v0.7.0 scaling context when no annotation is written.
    pub fn params() -> crate::model::AibrixV07Params {
        crate::model::AibrixV07Params {
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

pub static SOURCES: &[&Source] = &[
    &v07::CONTEXT,
    &v07::WINDOWS,
    &v07::CONTROLLER,
    &v07::BOUNDS,
    &v07::ACTIVATION,
    &v07::EXTERNAL_FETCH,
    &v07::WEBHOOK,
    &v07::TYPES,
    &v07::HPA,
    &v04::BASE,
    &v04::KPA,
    &v04::APA,
    &v04::CONTROLLER,
    &v04::BOUNDS,
];
