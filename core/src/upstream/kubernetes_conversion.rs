//! Kubernetes v1.34: how the API server turns an `autoscaling/v1` HorizontalPodAutoscaler into
//! the object the controller reads (the round-trip annotations), and the feature gate that
//! decides whether `behavior.*.tolerance` survives a write.

use super::{Fact, Project, Source};

/// The release these facts are read at (the one [`super::kubernetes`] pins).
const TAG: &str = "v1.34";

/// The round-trip annotation keys and `DefaultCPUUtilization`.
pub static ANNOTATIONS: Source = Source::new(
    Project::Kubernetes,
    "pkg/apis/autoscaling/annotations.go",
    "MetricSpecsAnnotation, BehaviorSpecsAnnotation, DefaultCPUUtilization",
    TAG,
);
/// `autoscaling/v1` → internal: annotation metrics first, then `targetCPUUtilizationPercentage`;
/// a malformed annotation is skipped ("only move well-formed data from annotations to fields",
/// kubernetes/kubernetes PR #89963); no metric at all ⇒ CPU at `DefaultCPUUtilization`.
pub static V1_CONVERSION: Source = Source::new(
    Project::Kubernetes,
    "pkg/apis/autoscaling/v1/conversion.go",
    "Convert_v1_HorizontalPodAutoscaler_To_autoscaling_HorizontalPodAutoscaler",
    TAG,
);
/// The shape of the metrics annotation: `autoscaling/v1`'s own `MetricSpec`, which has the
/// v2beta1 fields (`targetAverageValue`, `metricName`, ...).
pub static V1_TYPES: Source = Source::new(
    Project::Kubernetes,
    "staging/src/k8s.io/api/autoscaling/v1/types.go",
    "MetricSpec",
    TAG,
);
/// The feature gate table: `HPAConfigurableTolerance` is alpha (off) from 1.33 and beta (on)
/// from 1.35 (KEP-4951, kubernetes/enhancements `keps/sig-autoscaling/4951-configurable-hpa-tolerance/kep.yaml`).
pub static FEATURES: Source = Source::new(
    Project::Kubernetes,
    "pkg/features/kube_features.go",
    "HPAConfigurableTolerance",
    TAG,
);
/// With `HPAConfigurableTolerance` off, the API server drops `behavior.*.tolerance` on create
/// and on update unless the stored object already had one (`dropDisabledFields`).
pub static DROP_TOLERANCE: Source = Source::new(
    Project::Kubernetes,
    "pkg/registry/autoscaling/horizontalpodautoscaler/strategy.go",
    "dropDisabledFields",
    TAG,
);

pub static SOURCES: &[&Source] = &[
    &ANNOTATIONS,
    &V1_CONVERSION,
    &V1_TYPES,
    &FEATURES,
    &DROP_TOLERANCE,
];

/// `autoscaling.MetricSpecsAnnotation`: a JSON list of `autoscaling/v1` `MetricSpec`s.
pub const METRICS_ANNOTATION: &str = "autoscaling.alpha.kubernetes.io/metrics";
/// `autoscaling.BehaviorSpecsAnnotation`: the internal `HorizontalPodAutoscalerBehavior` as
/// JSON (Go field names, `ScaleUp`; Go's `encoding/json` matches keys case-insensitively).
pub const BEHAVIOR_ANNOTATION: &str = "autoscaling.alpha.kubernetes.io/behavior";
/// `autoscaling.MetricStatusesAnnotation`: status only (`status.currentMetrics`).
pub const CURRENT_METRICS_ANNOTATION: &str = "autoscaling.alpha.kubernetes.io/current-metrics";
/// `autoscaling.HorizontalPodAutoscalerConditionsAnnotation`: status only (`status.conditions`).
pub const CONDITIONS_ANNOTATION: &str = "autoscaling.alpha.kubernetes.io/conditions";

/// `autoscaling/v1` with no `targetCPUUtilizationPercentage` and no annotation metric: CPU at
/// 80 % (`DefaultCPUUtilization`, applied in the v1 conversion, not in `v1/defaults.go`).
pub const V1_DEFAULT_CPU_UTILIZATION: Fact<f64> = Fact::new(80.0, &V1_CONVERSION);

/// The `HPAConfigurableTolerance` gate's default in the replayed release (alpha in 1.33 and
/// 1.34: off).
pub const CONFIGURABLE_TOLERANCE_DEFAULT: Fact<bool> = Fact::new(false, &FEATURES);
/// The gate's name, as `--feature-gates` takes it.
pub const CONFIGURABLE_TOLERANCE_GATE: &str = "HPAConfigurableTolerance";
