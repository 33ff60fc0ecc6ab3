//! Knative Serving (knative/serving v1.20): `config-autoscaler` defaults, annotation limits and
//! the autoscaler's fixed intervals.

use super::{Fact, Project, Release, Source};
use crate::model::{Aggregation, KnativeMetric, Millis, SECOND};

/// Every fact of this module is read at this release.
pub const AT: Release = Project::Knative.at("v1.20");

/// `config-autoscaler` defaults.
pub static CONFIG: Source = AT.file("pkg/autoscaler/config/config.go", "defaultConfig");
/// Annotation keys, limits and per-revision defaults.
pub static REGISTER: Source = AT.file("pkg/apis/autoscaling/register.go", "");
/// The PodAutoscaler's default metric.
pub static PA_DEFAULTS: Source = AT.file("pkg/apis/autoscaling/v1alpha1/pa_defaults.go", "");
/// The decider tick.
pub static MULTISCALER: Source = AT.file("pkg/autoscaler/scaling/multiscaler.go", "tickInterval");
/// The metric collector's scrape period.
pub static COLLECTOR: Source = AT.file("pkg/autoscaler/metrics/collector.go", "scrapeTickInterval");

pub static SOURCES: &[&Source] = &[&CONFIG, &REGISTER, &PA_DEFAULTS, &MULTISCALER, &COLLECTOR];

/// `container-concurrency-target-percentage` (as a fraction).
pub const TARGET_PERCENTAGE: Fact<f64> = Fact::new(0.7, &CONFIG);
/// `container-concurrency-target-default`.
pub const CONCURRENCY_TARGET: Fact<f64> = Fact::new(100.0, &CONFIG);
/// `requests-per-second-target-default`.
pub const RPS_TARGET: Fact<f64> = Fact::new(200.0, &CONFIG);
/// `DefaultTargetUtilization`, used with the rps metric.
pub const RPS_TARGET_UTILIZATION: Fact<f64> = Fact::new(0.7, &REGISTER);
/// `target-burst-capacity`.
pub const TARGET_BURST_CAPACITY: Fact<f64> = Fact::new(211.0, &CONFIG);
/// `stable-window`.
pub const STABLE_WINDOW: Fact<Millis> = Fact::new(60 * SECOND, &CONFIG);
/// `panic-window-percentage`.
pub const PANIC_WINDOW_PERCENTAGE: Fact<f64> = Fact::new(10.0, &CONFIG);
/// `panic-threshold-percentage`.
pub const PANIC_THRESHOLD_PERCENTAGE: Fact<f64> = Fact::new(200.0, &CONFIG);
/// `max-scale-up-rate`.
pub const MAX_SCALE_UP_RATE: Fact<f64> = Fact::new(1000.0, &CONFIG);
/// `max-scale-down-rate`.
pub const MAX_SCALE_DOWN_RATE: Fact<f64> = Fact::new(2.0, &CONFIG);
/// `enable-scale-to-zero`.
pub const ENABLE_SCALE_TO_ZERO: Fact<bool> = Fact::new(true, &CONFIG);
/// `scale-to-zero-grace-period`.
pub const SCALE_TO_ZERO_GRACE_PERIOD: Fact<Millis> = Fact::new(30 * SECOND, &CONFIG);
/// `scale-to-zero-pod-retention-period`.
pub const SCALE_TO_ZERO_POD_RETENTION_PERIOD: Fact<Millis> = Fact::new(0, &CONFIG);
/// `scale-down-delay`.
pub const SCALE_DOWN_DELAY: Fact<Millis> = Fact::new(0, &CONFIG);
/// `initial-scale`.
pub const INITIAL_SCALE: Fact<u32> = Fact::new(1, &CONFIG);
/// `allow-zero-initial-scale`.
pub const ALLOW_ZERO_INITIAL_SCALE: Fact<bool> = Fact::new(false, &CONFIG);
/// `min-scale`.
pub const MIN_SCALE: Fact<u32> = Fact::new(0, &CONFIG);
/// `max-scale` (0: no limit).
pub const MAX_SCALE: Fact<u32> = Fact::new(0, &CONFIG);
/// `max-scale-limit` (0: no limit).
pub const MAX_SCALE_LIMIT: Fact<u32> = Fact::new(0, &CONFIG);
/// `pod-autoscaler-class`.
pub const CLASS: Fact<&str> = Fact::new(KPA_CLASS, &CONFIG);
/// `activation-scale` (per revision).
pub const ACTIVATION_SCALE: Fact<u32> = Fact::new(1, &REGISTER);
/// `metric-aggregation-algorithm`.
pub const AGGREGATION: Fact<Aggregation> = Fact::new(Aggregation::Linear, &REGISTER);
/// The PodAutoscaler's `metric`.
pub const METRIC: Fact<KnativeMetric> = Fact::new(KnativeMetric::Concurrency, &PA_DEFAULTS);
/// The decider tick (`tickInterval`).
pub const TICK_INTERVAL: Fact<Millis> = Fact::new(2 * SECOND, &MULTISCALER);

/// The KPA class name.
pub const KPA_CLASS: &str = "kpa.autoscaling.knative.dev";
/// Knative's HPA class name.
pub const HPA_CLASS: &str = "hpa.autoscaling.knative.dev";
/// Annotation prefix.
pub const ANNOTATION_PREFIX: &str = "autoscaling.knative.dev/";

/// `autoscaling.knative.dev/window` and `stable-window` bounds (`WindowMin`, `WindowMax`).
pub const WINDOW_MIN: Millis = 6 * SECOND;
pub const WINDOW_MAX: Millis = 3600 * SECOND;
/// `PanicWindowPercentageMin` / `Max`.
pub const PANIC_WINDOW_PERCENTAGE_RANGE: (f64, f64) = (1.0, 100.0);
/// `PanicThresholdPercentageMin` / `Max` (the annotation; the ConfigMap only requires > 0).
pub const PANIC_THRESHOLD_PERCENTAGE_RANGE: (f64, f64) = (110.0, 1000.0);
/// `TargetMin`.
pub const TARGET_MIN: f64 = 0.01;
/// The annotation's `scale-down-delay` upper bound: `annotation_validation.go` checks it
/// against `WindowMax` (one hour).
pub const SCALE_DOWN_DELAY_MAX: Millis = WINDOW_MAX;

/// Scrape period and bucket size (`scrapeTickInterval`, `BucketSize`, `collector.go`).
pub const SCRAPE_INTERVAL: Millis = SECOND;
/// `ProgressDeadline` default (600 s, `pkg/apis/serving/v1/revision_defaults.go` /
/// `config-deployment`) + `activationTimeoutBuffer` (30 s, `kpa/scaler.go`).
pub const ACTIVATION_TIMEOUT: Millis = 630 * SECOND;

/// The replayed parameters when nothing is written: `config-autoscaler` defaults for the
/// concurrency metric (target 100 × 70 % = 70 per pod).
pub fn params() -> crate::model::KnativeParams {
    crate::model::KnativeParams {
        metric: METRIC.param(),
        target_value: CONCURRENCY_TARGET.value * TARGET_PERCENTAGE.value,
        total_value: CONCURRENCY_TARGET.value,
        target: CONCURRENCY_TARGET.param(),
        target_utilization: TARGET_PERCENTAGE.param(),
        container_concurrency: None,
        stable_window: STABLE_WINDOW.param(),
        panic_window_percentage: PANIC_WINDOW_PERCENTAGE.param(),
        panic_threshold_percentage: PANIC_THRESHOLD_PERCENTAGE.param(),
        max_scale_up_rate: MAX_SCALE_UP_RATE.param(),
        max_scale_down_rate: MAX_SCALE_DOWN_RATE.param(),
        enable_scale_to_zero: ENABLE_SCALE_TO_ZERO.param(),
        scale_to_zero_grace_period: SCALE_TO_ZERO_GRACE_PERIOD.param(),
        scale_to_zero_pod_retention_period: SCALE_TO_ZERO_POD_RETENTION_PERIOD.param(),
        initial_scale: INITIAL_SCALE.param(),
        allow_zero_initial_scale: ALLOW_ZERO_INITIAL_SCALE.param(),
        scale_down_delay: SCALE_DOWN_DELAY.param(),
        activation_scale: ACTIVATION_SCALE.param(),
        target_burst_capacity: TARGET_BURST_CAPACITY.param(),
        aggregation: AGGREGATION.param(),
        tick_interval: TICK_INTERVAL.param(),
    }
}

/// The HPA Knative creates for a revision of the HPA class (`MakeHPA`): `maxReplicas` from
/// `max-scale` (0: `math.MaxInt32`), `minReplicas` only when `min-scale` > 0 (else the API's 1),
/// metrics only when `target` is written (cpu: `Utilization ceil(target)`; memory: `AverageValue
/// target MiB`; another metric: a `Pods` metric, `AverageValue int64(target)`), and both
/// stabilization windows from `window` when written. Unchanged from v1.18 to v1.23.
pub static HPA_RESOURCES: Source =
    AT.file("pkg/reconciler/autoscaling/hpa/resources/hpa.go", "MakeHPA");

/// The sources the HPA class adds (chained into [`super::all_sources`]).
pub static HPA_CLASS_SOURCES: &[&Source] = &[&HPA_RESOURCES];

/// The PodAutoscaler's metric under the HPA class when `metric` is not written (`defaultMetric`).
pub const HPA_CLASS_METRIC: Fact<&str> = Fact::new("cpu", &PA_DEFAULTS);
/// `maxReplicas` of the HPA when `max-scale` is 0 (`math.MaxInt32`, `MakeHPA`).
pub const HPA_CLASS_NO_MAX: Fact<u32> = Fact::new(i32::MAX as u32, &HPA_RESOURCES);
