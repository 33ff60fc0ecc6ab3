//! The docs of the codes every configuration reader reports (schema, selection, targets):
//! registered in [`crate::codes::Code`]. A code that one reader alone reports has its docs in
//! that reader's file.

use crate::codes::rule_doc;

rule_doc! {
    /// The input holds no autoscaler.
    ///
    /// # What it does
    /// Reports an input in which no autoscaler (PodAutoscaler, HorizontalPodAutoscaler, ScaledObject,
    /// Knative Service / Configuration / Revision) was found.
    ///
    /// # Why is this bad
    /// There is nothing to check or replay; usually the wrong file was passed.
    ///
    /// # Example
    /// ```text
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// ```
    ///
    /// # Fix
    /// Pass the file that contains the autoscaler.
    ///
    /// # References
    /// - Scalelens `core/src/config/mod.rs` (the kinds it reads).
    pub(crate) const NO_AUTOSCALER;
}

rule_doc! {
    /// The input holds several autoscalers and none was named.
    ///
    /// # What it does
    /// Note: the input holds several autoscalers and none was named; the first is replayed.
    ///
    /// # Why is this bad
    /// The replay may be of another autoscaler than the one meant.
    ///
    /// # Example
    /// ```text
    /// kind: HorizontalPodAutoscaler   # a
    /// ---
    /// kind: HorizontalPodAutoscaler   # b
    /// ```
    ///
    /// # Fix
    /// Choose one with `--name <metadata.name>`.
    ///
    /// # References
    /// - Scalelens `core/src/config/mod.rs` (`Parsed::select`).
    pub(crate) const MULTIPLE_AUTOSCALERS;
}

rule_doc! {
    /// The autoscaler named is not in the input.
    ///
    /// # What it does
    /// Reports a `--name` that matches no autoscaler in the input, listing the names there are.
    ///
    /// # Why is this bad
    /// Nothing can be replayed.
    ///
    /// # Example
    /// ```text
    /// $ scalelens simulate hpa.yaml --name lama   # the input has `llama`
    /// ```
    ///
    /// # Fix
    /// Use one of the names listed.
    ///
    /// # References
    /// - Scalelens `core/src/config/mod.rs` (`Parsed::select`).
    pub(crate) const UNKNOWN_AUTOSCALER;
}

rule_doc! {
    /// A document of a kind Scalelens does not replay was skipped.
    ///
    /// # What it does
    /// Note: a document of a kind Scalelens does not replay (ConfigMaps other than
    /// `config-autoscaler`, Services, non-mapping documents) was skipped.
    ///
    /// # Why is this bad
    /// Settings in that document do not take part in the replay; a misspelled kind also lands here.
    ///
    /// # Example
    /// ```text
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: llama}
    /// ```
    ///
    /// # Fix
    /// None needed when the document is unrelated; otherwise correct its `apiVersion`/`kind`.
    ///
    /// # References
    /// - Scalelens `core/src/config/mod.rs` (dispatch by apiVersion/kind).
    pub(crate) const IGNORED_DOCUMENT;
}

rule_doc! {
    /// A field has the wrong YAML type.
    ///
    /// # What it does
    /// Reports a field with the wrong YAML type: a string where an integer is required, a list where a
    /// mapping is required, and so on.
    ///
    /// # Why is this bad
    /// The API server rejects the object; the controller never sees it.
    ///
    /// # Example
    /// ```text
    /// spec:
    ///   maxReplicas: "ten"
    /// ```
    ///
    /// # Fix
    /// Write the type the field takes.
    ///
    /// # References
    /// - kubernetes/kubernetes v1.34 `staging/src/k8s.io/api/autoscaling/v2/types.go`; the CRD schemas
    ///   of KEDA v2.18 and AIBrix v0.7.0.
    pub(crate) const WRONG_TYPE;
}

rule_doc! {
    /// A string field written as a bare number or boolean.
    ///
    /// # What it does
    /// Reports a CRD string field (AIBrix `targetValue`, KEDA trigger metadata) written as a bare
    /// number or boolean. Scalelens reads it as the string it spells.
    ///
    /// # Why is this bad
    /// The API server rejects it: the CRD declares a string and YAML parses `0.5` as a number.
    ///
    /// # Example
    /// ```text
    /// metricsSources:
    ///   - targetValue: 0.5
    /// ```
    ///
    /// # Fix
    /// Quote it: `targetValue: "0.5"`.
    ///
    /// # References
    /// - vllm-project/aibrix v0.7.0 `api/autoscaling/v1alpha1/podautoscaler_types.go` (`TargetValue
    ///   string`); kedacore/keda v2.18 `apis/keda/v1alpha1/scaledobject_types.go` (`Metadata
    ///   map[string]string`).
    pub(crate) const UNQUOTED_STRING;
}

rule_doc! {
    /// A required field is missing.
    ///
    /// # What it does
    /// Reports a required field that is missing (`maxReplicas`, `scaleTargetRef`, a trigger's `query`,
    /// ...).
    ///
    /// # Why is this bad
    /// The API server or the controller rejects the object, or the controller cannot compute anything.
    ///
    /// # Example
    /// ```text
    /// spec:
    ///   scaleTargetRef: {kind: Deployment, name: llama}
    ///   # no maxReplicas
    /// ```
    ///
    /// # Fix
    /// Add the field.
    ///
    /// # References
    /// - kubernetes/kubernetes v1.34 `pkg/apis/autoscaling/validation/validation.go`; kedacore/keda
    ///   v2.18 `pkg/scalers/prometheus_scaler.go` (required metadata); vllm-project/aibrix v0.7.0
    ///   `pkg/webhook/podautoscaler_webhook.go`.
    pub(crate) const MISSING_FIELD;
}

rule_doc! {
    /// A field the family does not define.
    ///
    /// # What it does
    /// Reports a field that the family does not define; a close known name is suggested.
    ///
    /// # Why is this bad
    /// The field is ignored, so a typo silently falls back to the default.
    ///
    /// # Example
    /// ```text
    /// spec:
    ///   maxReplica: 10
    /// ```
    ///
    /// # Fix
    /// Rename it to the suggested field, or remove it.
    ///
    /// # References
    /// - kubernetes/kubernetes v1.34 `staging/src/k8s.io/api/autoscaling/v2/types.go`; the CRD schemas
    ///   of KEDA v2.18 and AIBrix v0.7.0.
    pub(crate) const UNKNOWN_FIELD;
}

rule_doc! {
    /// A kind the API group does not have.
    ///
    /// # What it does
    /// Reports a kind that the API group does not define (e.g. `kind: PodAutoscalers`).
    ///
    /// # Why is this bad
    /// The API server rejects the object.
    ///
    /// # Example
    /// ```text
    /// apiVersion: autoscaling.aibrix.ai/v1alpha1
    /// kind: PodAutoscalers
    /// ```
    ///
    /// # Fix
    /// Use the right kind (suggested).
    ///
    /// # References
    /// - vllm-project/aibrix v0.7.0 `api/autoscaling/v1alpha1/podautoscaler_types.go`; kedacore/keda
    ///   v2.18 `apis/keda/v1alpha1`.
    pub(crate) const UNKNOWN_KIND;
}

rule_doc! {
    /// An apiVersion that does not exist for the kind.
    ///
    /// # What it does
    /// Reports an apiVersion that does not exist for this kind (e.g. `autoscaling/v3`).
    ///
    /// # Why is this bad
    /// The API server rejects the object.
    ///
    /// # Example
    /// ```text
    /// apiVersion: autoscaling/v3
    /// kind: HorizontalPodAutoscaler
    /// ```
    ///
    /// # Fix
    /// Use a served version (suggested).
    ///
    /// # References
    /// - kubernetes/kubernetes v1.34 `pkg/apis/autoscaling` (served versions v1, v2).
    pub(crate) const UNKNOWN_API_VERSION;
}

rule_doc! {
    /// A value that cannot be parsed (duration, quantity, number, boolean).
    ///
    /// # What it does
    /// Reports a value that cannot be parsed: a bad Go duration, quantity, number or boolean.
    ///
    /// # Why is this bad
    /// The controller rejects it or keeps its default, so the setting has no effect.
    ///
    /// # Example
    /// ```text
    /// annotations:
    ///   autoscaling.aibrix.ai/scale-down-cooldown-window: "5 minutes"
    /// ```
    ///
    /// # Fix
    /// Write a valid value (`"5m"`).
    ///
    /// # References
    /// - Go `time.ParseDuration`; kubernetes/apimachinery `pkg/api/resource/quantity.go`;
    ///   vllm-project/aibrix v0.7.0 `pkg/controller/podautoscaler/context/context.go`.
    pub(crate) const INVALID_VALUE;
}

rule_doc! {
    /// A value outside the range the controller accepts.
    ///
    /// # What it does
    /// Reports a number outside the range the API validation or the controller accepts (e.g. Knative
    /// `window` outside 6 s..1 h, HPA `stabilizationWindowSeconds` above 3600, HPA `minReplicas: 0`
    /// without the `HPAScaleToZero` gate), or beyond what the field's type holds, with that range
    /// and type: an `int32` API field above 2147483647, an annotation read by Go's
    /// `strconv.ParseInt(s, 10, 32)` or `ParseFloat(s, 64)` (`1e400`), a Go duration over about
    /// 292 years, a quantity target whose `MilliValue()` overflows `int64`.
    ///
    /// # Why is this bad
    /// The API server rejects the object, or the controller clamps or ignores the value.
    ///
    /// # Example
    /// ```text
    /// metadata:
    ///   annotations:
    ///     autoscaling.knative.dev/window: "2s"
    /// ```
    ///
    /// # Fix
    /// A value in the range given in the message.
    ///
    /// # References
    /// - kubernetes/kubernetes v1.34 `pkg/apis/autoscaling/validation/validation.go`; knative/serving
    ///   v1.20 `pkg/apis/autoscaling/annotation_validation.go`; vllm-project/aibrix v0.7.0
    ///   `pkg/webhook/podautoscaler_webhook.go`.
    pub(crate) const OUT_OF_RANGE;
}

rule_doc! {
    /// The minimum replica count is above the maximum.
    ///
    /// # What it does
    /// Reports `minReplicas` greater than `maxReplicas` (or Knative `min-scale` above `max-scale`).
    ///
    /// # Why is this bad
    /// The API server rejects it (HPA, KEDA, AIBrix webhook) or the autoscaler pins the count.
    ///
    /// # Example
    /// ```text
    /// spec:
    ///   minReplicas: 5
    ///   maxReplicas: 2
    /// ```
    ///
    /// # Fix
    /// Swap or correct the bounds.
    ///
    /// # References
    /// - kubernetes/kubernetes v1.34 `pkg/apis/autoscaling/validation/validation.go`; kedacore/keda
    ///   v2.18 `apis/keda/v1alpha1/scaledobject_types.go` (`CheckReplicaCountBoundsAreValid`).
    pub(crate) const MIN_ABOVE_MAX;
}

rule_doc! {
    /// A metric target that is zero or negative (or rounds to zero).
    ///
    /// # What it does
    /// Reports a metric target ≤ 0 (or one that rounds to 0, like a KEDA threshold below 0.0005).
    ///
    /// # Why is this bad
    /// Every algorithm divides by the target: the controller rejects it or produces nonsense.
    ///
    /// # Example
    /// ```text
    /// target: {type: AverageValue, averageValue: "0"}
    /// ```
    ///
    /// # Fix
    /// A positive target in the metric's unit.
    ///
    /// # References
    /// - kubernetes/kubernetes v1.34 `pkg/apis/autoscaling/validation/validation.go` (target values >
    ///   0); kedacore/keda v2.18 `pkg/scalers/scaler.go` (`GetMetricTargetMili`).
    pub(crate) const INVALID_TARGET;
}

rule_doc! {
    /// The target is above the largest value the metric can take.
    ///
    /// # What it does
    /// Reports a metric target above the metric's known upper bound (e.g. `gpu_cache_usage_perc`, a
    /// 0–1 fraction, with target 50). A target within the bound that the tolerance still makes
    /// unreachable is `target-unreachable`.
    ///
    /// # Why is this bad
    /// The per-pod value can never reach the target, so the autoscaler never scales up.
    ///
    /// # Example
    /// ```text
    /// targetMetric: gpu_cache_usage_perc
    /// targetValue: "50"
    /// ```
    ///
    /// # Fix
    /// Write the target in the metric's unit (`"0.5"`).
    ///
    /// # References
    /// - vllm-project/vllm `vllm/engine/metrics.py` ("1 means 100 percent usage"); vllm-project/aibrix
    ///   PR #356 ("the target value (50%) should be 0.5").
    pub(crate) const TARGET_ABOVE_BOUND;
}

rule_doc! {
    /// A metric that current engines no longer export.
    ///
    /// # What it does
    /// Note: a metric that current engines no longer export (e.g. vLLM removed
    /// `vllm:gpu_cache_usage_perc`).
    ///
    /// # Why is this bad
    /// Against a current engine the autoscaler reads 0 (AIBrix v0.7.0 turns a missing metric into 0.0)
    /// and scales down.
    ///
    /// # Example
    /// ```text
    /// targetMetric: gpu_cache_usage_perc
    /// ```
    ///
    /// # Fix
    /// Use the replacement named in the message (`kv_cache_usage_perc`).
    ///
    /// # References
    /// - vllm-project/vllm PR #18354 (deprecation, v0.9.2) and PR #29330 (removal);
    ///   vllm-project/aibrix v0.7.0 `pkg/metrics/metrics.go`.
    pub(crate) const DEPRECATED_METRIC;
}

rule_doc! {
    /// A value the replayed release still accepts but has deprecated.
    ///
    /// # What it does
    /// Reports a value that the replayed release marks deprecated, with the value to use instead
    /// (AIBrix v0.7.0 `metricSourceType: domain`, "use EXTERNAL instead").
    ///
    /// # Why is this bad
    /// It works today and is replayed as the release runs it, but a later release may drop it.
    ///
    /// # Example
    /// ```text
    /// metricsSources:
    ///   - metricSourceType: domain
    /// ```
    ///
    /// # Fix
    /// The replacement value (a safe edit: the release treats both alike).
    ///
    /// # References
    /// - vllm-project/aibrix v0.7.0 `api/autoscaling/v1alpha1/podautoscaler_types.go`
    ///   (`MetricSourceType`, `+deprecated`).
    pub(crate) const DEPRECATED_VALUE;
}

rule_doc! {
    /// A metric source type the controller does not know.
    ///
    /// # What it does
    /// Reports an unknown metric source type (HPA `metrics[].type`, AIBrix `metricSourceType`).
    ///
    /// # Why is this bad
    /// The API server rejects the object.
    ///
    /// # Example
    /// ```text
    /// metrics:
    ///   - type: Custom
    /// ```
    ///
    /// # Fix
    /// One of the listed types (`Resource`, `Pods`, `Object`, `External`, `ContainerResource`; AIBrix
    /// `pod`, `resource`, `custom`, `external`, `domain`).
    ///
    /// # References
    /// - kubernetes/kubernetes v1.34 `staging/src/k8s.io/api/autoscaling/v2/types.go`
    ///   (`MetricSourceType`); vllm-project/aibrix v0.7.0
    ///   `api/autoscaling/v1alpha1/podautoscaler_types.go`.
    pub(crate) const UNKNOWN_METRIC_SOURCE;
}

rule_doc! {
    /// A target type the controller does not know.
    ///
    /// # What it does
    /// Reports an unknown target type (`target.type` not Utilization/Value/AverageValue) or a type the
    /// source does not accept (Utilization on a Pods metric, on a KEDA prometheus trigger).
    ///
    /// # Why is this bad
    /// The API server or KEDA rejects the object.
    ///
    /// # Example
    /// ```text
    /// pods:
    ///   target: {type: Utilization, averageUtilization: 50}
    /// ```
    ///
    /// # Fix
    /// A type the source accepts (Pods metrics take AverageValue).
    ///
    /// # References
    /// - kubernetes/kubernetes v1.34 `pkg/apis/autoscaling/validation/validation.go`; kedacore/keda
    ///   v2.18 `pkg/scalers/scaler.go` (`GetMetricTargetType`: Utilization is unsupported for external
    ///   metrics).
    pub(crate) const UNKNOWN_TARGET_TYPE;
}

rule_doc! {
    /// An enumerated value the controller does not know.
    ///
    /// # What it does
    /// Reports an unknown enumerated value elsewhere (AIBrix `scalingStrategy`, Knative `metric` or
    /// `class`, ...).
    ///
    /// # Why is this bad
    /// The object is rejected, or the controller falls back to its default.
    ///
    /// # Example
    /// ```text
    /// spec:
    ///   scalingStrategy: KNATIVE
    /// ```
    ///
    /// # Fix
    /// One of the listed values.
    ///
    /// # References
    /// - vllm-project/aibrix v0.7.0 `api/autoscaling/v1alpha1/podautoscaler_types.go`; knative/serving
    ///   v1.20 `pkg/apis/autoscaling/register.go`.
    pub(crate) const UNKNOWN_VALUE;
}

rule_doc! {
    /// A feature Scalelens reads but does not replay.
    ///
    /// # What it does
    /// Reports a feature Scalelens reads but does not replay (KEDA `scalingModifiers`/`fallback`,
    /// trigger types other than prometheus/cpu/memory, Knative's HPA class).
    ///
    /// # Why is this bad
    /// The replay ignores it, so its results may differ from the cluster's.
    ///
    /// # Example
    /// ```text
    /// spec:
    ///   fallback: {failureThreshold: 3, replicas: 6}
    /// ```
    ///
    /// # Fix
    /// None needed; read the replay with that difference in mind.
    ///
    /// # References
    /// - kedacore/keda v2.18 `pkg/fallback/fallback.go`; knative/serving v1.20
    ///   `pkg/apis/autoscaling/register.go` (classes).
    pub(crate) const UNSUPPORTED_FEATURE;
}
