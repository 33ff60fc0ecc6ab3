//! Stable diagnostic codes. A code never changes meaning once released; front ends and CI
//! scripts match on them.
//!
//! Every code is documented with the same five headings — `# What it does`, `# Why is this
//! bad`, `# Example`, `# Fix`, `# References` — and has a positive and a negative fixture under
//! `tests/testdata/`; `tests/tests/diagnostic_coverage.rs` parses this file and fails when either
//! is missing (for input-validation and run-setup codes, any fixture that does not report the
//! code counts as the negative).

/// # What it does
/// Reports input that is not valid YAML, at the scanner's position. Nothing after the error can be
/// read.
///
/// # Why is this bad
/// Neither `kubectl apply` nor Scalelens can read the file: no autoscaler is checked or replayed.
///
/// # Example
/// ```text
/// metadata:
///   name: [llama
/// spec: {}
/// ```
///
/// # Fix
/// Correct the syntax at the position shown (indentation, unclosed brackets or quotes, tabs).
///
/// # References
/// - YAML 1.2 specification (yaml.org/spec/1.2.2), as read by `saphyr-parser`.
pub const YAML_SYNTAX: &str = "yaml-syntax";

/// # What it does
/// Reports a YAML document that goes past one of the reader's bounds: nesting deeper than 128
/// levels, aliases standing for more than 400 000 nodes, a document longer than 3 MiB, or more
/// than 1 000 000 documents. The message names the bound; the document is not read, the others
/// are.
///
/// # Why is this bad
/// No real manifest reaches these bounds: such input is an alias bomb ("billion laughs"), a
/// generated file gone wrong, or not a manifest at all. Reading it whole would take the
/// memory and time of the machine (or the browser tab) checking it.
///
/// # Example
/// ```text
/// a: &a [x, x, x, x, x, x, x, x, x]
/// b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
/// c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
/// # ... nine levels: 9^9 nodes from 500 bytes
/// ```
///
/// # Fix
/// Check the file is the manifest you meant; write the repeated parts out, or render the
/// generator's output (`helm template`, `kustomize build`) and check that.
///
/// # References
/// - go-yaml v3 `decode.go` (`allowedAliasRatio`: at most 400 000 alias-driven decodes); the
///   Kubernetes API server's request body limit (3 MiB); Scalelens `core/src/yaml.rs` (`Limits`).
pub const YAML_LIMIT: &str = "yaml-limit";

/// # What it does
/// Reports a Helm / Go template action (`{{ .Values.x }}`, `{{- if ... }}`) in a file that
/// otherwise reads as YAML: the file is a chart's template, not a rendered manifest. When the
/// template makes the YAML invalid, `yaml-syntax` says so instead.
///
/// # Why is this bad
/// Scalelens reads what the cluster would receive. In a template, values such as
/// `targetValue: "{{ .Values.target }}"` are template text, not the value the chart renders,
/// so the replay and the checks would be about text nobody deploys.
///
/// # Example
/// ```text
/// spec:
///   maxReplicas: 10
///   metricsSources:
///     - targetValue: "{{ .Values.autoscaling.target }}"
/// ```
///
/// # Fix
/// Render the chart with your values and check the output:
/// `helm template <release> <chart> -f values.yaml > rendered.yaml`.
///
/// # References
/// - Helm docs, "helm template" (renders chart templates locally).
pub const HELM_TEMPLATE: &str = "helm-template";

/// # What it does
/// Simulation note: the pod start-up delay was not given, so a default for the workload was used
/// (120 s for vLLM/GPU model servers, 30 s otherwise).
///
/// # Why is this bad
/// The start-up delay decides how long new pods report nothing; a wrong guess shifts every
/// scale-up in the replay.
///
/// # Example
/// ```text
/// $ scalelens simulate kpa.yaml --demand demand.csv      # no --pod-startup
/// ```
///
/// # Fix
/// Pass `--pod-startup` with the time your pods take from creation to Ready.
///
/// # References
/// - Scalelens `core/src/sim/mod.rs` (the default); Kubernetes docs, "Pod Lifecycle" (readiness).
pub const SIM_DEFAULT_POD_STARTUP: &str = "sim-default-pod-startup";

/// # What it does
/// Simulation note: the initial replica count was not in the input (no Deployment with
/// `spec.replicas`, no Knative initial scale), so `max(minReplicas, 1)` was used.
///
/// # Why is this bad
/// The first decisions depend on the current count (rate limits are relative to it).
///
/// # Example
/// ```text
/// # the autoscaler's file has no Deployment
/// kind: HorizontalPodAutoscaler
/// ```
///
/// # Fix
/// Add the Deployment to the input, or pass `--initial-replicas N`.
///
/// # References
/// - kubernetes/kubernetes v1.34 `pkg/controller/podautoscaler/horizontal.go` (rate limits
///   relative to `spec.replicas`).
pub const SIM_DEFAULT_INITIAL_REPLICAS: &str = "sim-default-initial-replicas";

/// # What it does
/// Simulation note: the autoscaler has several metrics; the demand series drives the first one and
/// the others read 0.
///
/// # Why is this bad
/// With several metrics the controllers take the maximum recommendation; a replay driven by one
/// metric may miss what another would ask for.
///
/// # Example
/// ```text
/// metricsSources:
///   - targetMetric: gpu_cache_usage_perc   # driven by the demand
///   - targetMetric: num_requests_waiting   # reads 0
/// ```
///
/// # Fix
/// Replay each metric separately (`--name`, a file per metric) when the others matter.
///
/// # References
/// - kubernetes/kubernetes v1.34 `pkg/controller/podautoscaler/horizontal.go`
///   (`computeReplicasForMetrics`: max over metrics); vllm-project/aibrix v0.7.0
///   `pkg/controller/podautoscaler/autoscaler.go` (max over metrics).
pub const SIM_DEMAND_METRIC: &str = "sim-demand-metric";

/// # What it does
/// Reports a replay that would run more controller evaluations than one replay may
/// ([`crate::sim::MAX_EVALUATIONS`], 200 000: 34 days 17 h of an HPA at its 15 s sync period,
/// 4 days 15 h of Knative at its 2 s tick), checked from the horizon before anything runs. The
/// replay is not run; the other diagnostics are still reported. The message names the span, the
/// evaluations, the limit and the longest replay this autoscaler allows; the help suggests a
/// window of the data in the input's own times.
///
/// # Why is this bad
/// Such a horizon comes from a far-away time (a demand row or sample decades from the rest, RFC
/// 3339 years 0001 and 9999) or a huge `--duration`; replaying it would take minutes and
/// gigabytes, and a timeline that long answers no question about the autoscaler.
///
/// # Example
/// ```text
/// # demand.csv
/// time,value
/// 0,1
/// 1000000000000,2
/// ```
///
/// # Fix
/// Replay a window of the data: `--from`/`--to` (RFC 3339, or seconds in the input's own time
/// base), or a shorter `--duration`; remove the far-away rows.
///
/// # References
/// - Scalelens `core/src/sim/limit.rs` (the cap and its measured costs).
pub const REPLAY_TOO_LONG: &str = "replay-too-long";

/// # What it does
/// Reports a replay window (`--from`/`--to`, the playground's two fields) that cannot be
/// replayed: `--from` not before `--to`, a bound outside the data (the message names the data's
/// range in the input's own times), or an RFC 3339 bound for an input whose times are relative.
/// Nothing is replayed.
///
/// # Why is this bad
/// A window outside the data would replay a value the data never had, or nothing at all.
///
/// # Example
/// ```text
/// $ scalelens simulate hpa.yaml --demand demand.csv --from 7200 --to 3600
/// ```
///
/// # Fix
/// Give a window inside the range the message names, with `--from` before `--to`.
///
/// # References
/// - Scalelens `core/src/pipeline.rs` (`ReplayWindow`).
pub const REPLAY_WINDOW: &str = "replay-window";

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
pub const NO_AUTOSCALER: &str = "no-autoscaler";

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
pub const MULTIPLE_AUTOSCALERS: &str = "multiple-autoscalers";

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
pub const UNKNOWN_AUTOSCALER: &str = "unknown-autoscaler";

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
pub const IGNORED_DOCUMENT: &str = "ignored-document";

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
pub const WRONG_TYPE: &str = "wrong-type";

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
pub const UNQUOTED_STRING: &str = "unquoted-string";

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
pub const MISSING_FIELD: &str = "missing-field";

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
pub const UNKNOWN_FIELD: &str = "unknown-field";

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
pub const UNKNOWN_KIND: &str = "unknown-kind";

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
pub const UNKNOWN_API_VERSION: &str = "unknown-api-version";

/// # What it does
/// Reports an API version that Kubernetes removed (`autoscaling/v2beta1` in 1.25,
/// `autoscaling/v2beta2` in 1.26). Scalelens still reads it.
///
/// # Why is this bad
/// Current clusters reject the object.
///
/// # Example
/// ```text
/// apiVersion: autoscaling/v2beta2
/// kind: HorizontalPodAutoscaler
/// ```
///
/// # Fix
/// Move to `autoscaling/v2` (field names changed for v2beta1: `targetAverageValue` became
/// `target.averageValue`).
///
/// # References
/// - Kubernetes docs, "Deprecated API Migration Guide" (v1.25, v1.26 removals).
pub const REMOVED_API_VERSION: &str = "removed-api-version";

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
pub const INVALID_VALUE: &str = "invalid-value";

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
pub const OUT_OF_RANGE: &str = "out-of-range";

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
pub const MIN_ABOVE_MAX: &str = "min-above-max";

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
pub const INVALID_TARGET: &str = "invalid-target";

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
pub const TARGET_ABOVE_BOUND: &str = "target-above-bound";

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
pub const DEPRECATED_METRIC: &str = "deprecated-metric";

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
pub const UNKNOWN_METRIC_SOURCE: &str = "unknown-metric-source";

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
pub const UNKNOWN_TARGET_TYPE: &str = "unknown-target-type";

/// # What it does
/// Reports an unknown scaling policy type (not Pods/Percent) or select policy (not
/// Max/Min/Disabled).
///
/// # Why is this bad
/// The API server rejects the object.
///
/// # Example
/// ```text
/// behavior:
///   scaleDown:
///     policies: [{type: Replicas, value: 1, periodSeconds: 60}]
/// ```
///
/// # Fix
/// One of the listed values.
///
/// # References
/// - kubernetes/kubernetes v1.34 `pkg/apis/autoscaling/validation/validation.go`
///   (`validateScalingRules`).
pub const UNKNOWN_POLICY_TYPE: &str = "unknown-policy-type";

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
pub const UNKNOWN_VALUE: &str = "unknown-value";

/// # What it does
/// Reports a legacy AIBrix annotation (`kpa.autoscaling.aibrix.ai/*`,
/// `apa.autoscaling.aibrix.ai/*`, `autoscaling.aibrix.ai/{up,down}-fluctuation-tolerance`) that
/// AIBrix v0.7.0 does not read (and, under `--aibrix-version v0.4`, a v0.7.0 key that v0.4.0 does
/// not read).
///
/// # Why is this bad
/// The default applies instead, silently: the samples' `scale-down-delay: 3m` is a 300 s cooldown
/// in v0.7.0.
///
/// # Example
/// ```text
/// annotations:
///   kpa.autoscaling.aibrix.ai/scale-down-delay: 3m
/// ```
///
/// # Fix
/// The key of the replayed version, when there is one (suggested).
///
/// # References
/// - vllm-project/aibrix v0.7.0 `pkg/controller/podautoscaler/types/annotations.go`; v0.4.0
///   `pkg/controller/podautoscaler/scaler/kpa.go`.
pub const AIBRIX_IGNORED_ANNOTATION: &str = "aibrix-ignored-annotation";

/// # What it does
/// Reports an `autoscaling.aibrix.ai/*` key written in `metadata.labels`.
///
/// # Why is this bad
/// AIBrix v0.7.0 reads only annotations (labels were read only between PRs #409 and #665): the
/// setting has no effect.
///
/// # Example
/// ```text
/// metadata:
///   labels:
///     autoscaling.aibrix.ai/max-scale-up-rate: "4"
/// ```
///
/// # Fix
/// Move it to `metadata.annotations`.
///
/// # References
/// - vllm-project/aibrix v0.7.0 `pkg/controller/podautoscaler/context/context.go`; issue #1159; PR
///   #665.
pub const AIBRIX_KEY_IN_LABELS: &str = "aibrix-key-in-labels";

/// # What it does
/// Reports AIBrix `scalingStrategy: HPA` with a fractional `targetValue`, which the generated HPA
/// truncates to an integer (`int64(target)`).
///
/// # Why is this bad
/// "0.5" becomes 0: an HPA that cannot work (or a target 1.9 that is really 1). Later AIBrix
/// versions (after v0.7.0: `hpa_resources.go` with `pametrics.ParseHPATargetValue`) round up
/// instead (`math.Ceil`): "0.5" becomes 1, still not the fraction meant; Scalelens models
/// v0.7.0.
///
/// # Example
/// ```text
/// scalingStrategy: HPA
/// metricsSources:
///   - targetMetric: gpu_cache_usage_perc
///     targetValue: "0.5"
/// ```
///
/// # Fix
/// An integer target in the metric's unit, or the KPA/APA strategy.
///
/// # References
/// - vllm-project/aibrix v0.7.0 `pkg/controller/podautoscaler/hpa_resources.go`
///   (`makeHPAWithBounds`).
pub const AIBRIX_TARGET_TRUNCATED: &str = "aibrix-target-truncated";

/// # What it does
/// Reports a KEDA ScaledObject whose triggers are all cpu/memory with `minReplicaCount: 0`.
///
/// # Why is this bad
/// The KEDA webhook rejects it: with no pods there is no CPU to measure, so scale to zero cannot
/// work.
///
/// # Example
/// ```text
/// minReplicaCount: 0
/// triggers:
///   - type: cpu
///     metricType: Utilization
///     metadata: {value: "60"}
/// ```
///
/// # Fix
/// `minReplicaCount: 1`, or add an external trigger.
///
/// # References
/// - kedacore/keda v2.18 `apis/keda/v1alpha1/scaledobject_webhook.go` ("scale to zero doesn't work
///   in this case").
pub const KEDA_RESOURCE_ONLY_ZERO: &str = "keda-resource-only-zero";

/// # What it does
/// Reports two KEDA triggers with the same `name`.
///
/// # Why is this bad
/// KEDA's `ValidateTriggers` rejects the ScaledObject.
///
/// # Example
/// ```text
/// triggers:
///   - {type: prometheus, name: load, ...}
///   - {type: prometheus, name: load, ...}
/// ```
///
/// # Fix
/// Give each trigger a unique name.
///
/// # References
/// - kedacore/keda v2.18 `apis/keda/v1alpha1/scaletriggers_types.go` (`ValidateTriggers`: trigger
///   names must be unique).
pub const DUPLICATE_NAME: &str = "duplicate-name";

/// # What it does
/// Reports a feature Scalelens reads but does not replay (KEDA `scalingModifiers`/`fallback`,
/// trigger types other than prometheus/cpu/memory, Knative's HPA class, AIBrix schedules).
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
///   `pkg/apis/autoscaling/register.go` (classes); vllm-project/aibrix v0.7.0
///   `pkg/controller/podautoscaler/scheduled_bounds.go`.
pub const UNSUPPORTED_FEATURE: &str = "unsupported-feature";

/// # What it does
/// Simulation warning or note: the demand exceeds what `maxReplicas` pods can report at the
/// metric's bound (e.g. 342 for a 0–1 fraction with max 10). When it fits 100 × that (percent
/// data), the replay caps each pod at 100 × the bound, and the finding is a note if the target is
/// on that scale too; beyond, the simulation drops the bound rather than guess a conversion (see
/// [`crate::sim::scale`]).
///
/// # Why is this bad
/// The demand is in another unit than the metric (usually percent for a fraction): the replay
/// shows what the controller would do with such values, not with the real metric.
///
/// # Example
/// ```text
/// targetMetric: gpu_cache_usage_perc   # 0–1
/// # demand.csv: 0,342
/// ```
///
/// # Fix
/// Give the demand in the metric's unit, or fix the metric's unit (see `unit-mismatch`).
///
/// # References
/// - vllm-project/vllm `vllm/engine/metrics.py` (0–1); Scalelens `core/src/sim/mod.rs` (per-pod
///   value capped at the bound).
pub const SIM_DEMAND_ABOVE_BOUND: &str = "sim-demand-above-bound";

/// # What it does
/// Compares the samples' scale with the target's: samples 0–100 (percent) with a target ≤ 1,
/// samples ≤ 1 with a target > 1, or a metric the registry knows as a percent with a fractional
/// target (see [`crate::analysis::check_unit_mismatch`]).
///
/// # Why is this bad
/// The autoscaler divides observed by target: a factor 100 pins it at maxReplicas or keeps it at
/// minReplicas.
///
/// # Example
/// ```text
/// targetValue: "0.5"
/// # samples: vllm:gpu_cache_usage_perc 42
/// ```
///
/// # Fix
/// Write the target in the samples' unit (`"50"`), or convert the metric where it is produced.
///
/// # References
/// - vllm-project/vllm `vllm/engine/metrics.py`; vllm-project/aibrix v0.7.0
///   `pkg/controller/podautoscaler/algorithm/kpa.go`; vllm-project/aibrix issue #593.
pub const UNIT_MISMATCH: &str = "unit-mismatch";

/// # What it does
/// From a replay: the demand fell to zero (or below what minReplicas serve) but the replicas did
/// not return to minReplicas within the horizon; names the rule that held them (see
/// [`crate::analysis::check_never_scales_down`]).
///
/// # Why is this bad
/// Idle replicas (GPUs) cost money; it is the symptom users report first ("scaled 1 → 7 and stayed
/// at 7").
///
/// # Example
/// ```text
/// behavior:
///   scaleDown:
///     stabilizationWindowSeconds: 3600
/// ```
///
/// # Fix
/// The setting of the rule named in the message.
///
/// # References
/// - kubernetes/kubernetes v1.34 `pkg/controller/podautoscaler/horizontal.go`; vllm-project/aibrix
///   v0.4.0 `pkg/controller/podautoscaler/scaler/kpa.go` (30 min delay) and issue #593.
pub const NEVER_SCALES_DOWN: &str = "never-scales-down";

/// # What it does
/// From a replay: the desired count sat at maxReplicas for most of the loaded period while the
/// metric asked for more (see [`crate::analysis::check_pinned_at_max`]).
///
/// # Why is this bad
/// The bound hides the real demand; a recommendation far above the bound usually means a unit
/// mismatch.
///
/// # Example
/// ```text
/// maxReplicas: 10
/// # the metric asks for a median of 84 replicas
/// ```
///
/// # Fix
/// Raise maxReplicas, or check the metric's unit.
///
/// # References
/// - kubernetes/kubernetes v1.34 `pkg/controller/podautoscaler/horizontal.go`
///   (`ScalingLimited`/`TooManyReplicas`); vllm-project/aibrix v0.7.0
///   `pkg/controller/podautoscaler/algorithm/kpa.go`.
pub const PINNED_AT_MAX: &str = "pinned-at-max";

/// # What it does
/// From a replay: the replica count changes direction more than
/// [`crate::analysis::FLAPPING_CHANGES_PER_HOUR`] times within an hour (see
/// [`crate::analysis::check_flapping`]).
///
/// # Why is this bad
/// Each scale-up starts pods that take minutes to load weights; each scale-down throws that away
/// and drops in-flight requests.
///
/// # Example
/// ```text
/// behavior:
///   scaleDown:
///     stabilizationWindowSeconds: 0
/// ```
///
/// # Fix
/// A longer scale-down window (stabilization, cooldown, scale-down delay) or a wider tolerance.
///
/// # References
/// - kubernetes/kubernetes v1.34 `pkg/controller/podautoscaler/horizontal.go` (stabilization;
///   KEP-4951 tolerances); knative/serving v1.20 `pkg/autoscaler/scaling/autoscaler.go`.
pub const FLAPPING: &str = "flapping";

/// # What it does
/// Reads a KEDA prometheus trigger's `query`: `AverageValue` (the default) on an `avg(...)` across
/// pods, or `Value` on a `sum(rate(...))` across pods (see [`crate::analysis::check_keda_query`]);
/// from samples, an HPA `External` metric with a `Value` target whose samples hold one series per
/// pod, which the HPA sums and then multiplies by the pods (see
/// [`crate::analysis::check_external_value_per_pod`]). Fires only on that evidence and says what
/// it is.
///
/// # Why is this bad
/// AverageValue computes ceil(result / threshold) without the pods: on an average the effective
/// per-pod target is N × threshold and it scales down under load. Value computes ceil(pods ×
/// result / threshold): on a total that adding pods does not lower (a summed rate, a sum of
/// per-pod series), it asks for N times too many and runs away to the maximum.
///
/// # Example
/// ```text
/// triggers:
///   - type: prometheus
///     metadata:
///       query: avg(rate(vllm:request_success_total[2m]))
///       threshold: "5"
/// ```
///
/// # Fix
/// `metricType: Value` with an average, or AverageValue with a `sum`.
///
/// # References
/// - kubernetes/kubernetes v1.34 `pkg/controller/podautoscaler/replica_calculator.go`
///   (`GetExternalMetricReplicas`, `GetExternalPerPodMetricReplicas`); kedacore/keda v2.18
///   `pkg/scalers/prometheus_scaler.go` and `pkg/scalers/scaler.go` (`GetMetricTargetType`: an
///   empty metricType is AverageValue).
pub const VALUE_VS_AVERAGEVALUE: &str = "value-vs-averagevalue";

/// # What it does
/// From a replay: a bounded metric saturates at its bound while the demand per ready pod exceeds
/// it and the controller holds a count below maxReplicas (warning); or the observed value stays
/// below half the target over at least 30 minutes of load with replicas at minReplicas throughout
/// (note). See [`crate::analysis::check_never_reaches_target`]; it never reports evaluations at
/// maxReplicas, which are `pinned-at-max`'s.
///
/// # Why is this bad
/// A saturated metric cannot say how far over target the load is: AIBrix v0.7.0's KPA asks for at
/// most ceil(bound / target) replicas whatever the load. A target never reached makes the
/// autoscaler inert.
///
/// # Example
/// ```text
/// scalingStrategy: KPA
/// metricsSources:
///   - targetMetric: kv_cache_usage_perc
///     targetValue: "0.5"   # at most ceil(1 / 0.5) = 2 replicas
/// ```
///
/// # Fix
/// Scale on a metric that keeps growing with the load (`num_requests_waiting`), or a strategy that
/// multiplies by the pods; for a never-reached target, a target the real peak exceeds.
///
/// # References
/// - vllm-project/aibrix v0.7.0 `pkg/controller/podautoscaler/algorithm/kpa.go`;
///   vllm-project/aibrix PR #2671; vllm-project/vllm `vllm/v1/metrics/loggers.py`.
pub const NEVER_REACHES_TARGET: &str = "never-reaches-target";

/// # What it does
/// Reports scale-to-zero settings the controller cannot honour: Knative `min-scale: "0"` with
/// `enable-scale-to-zero: "false"`, or a pod retention period that never applies (note); AIBrix
/// `minReplicas: 0` with per-pod metrics or APA (never comes back from 0), or with the HPA
/// strategy (min dropped); from samples, KEDA `minReplicaCount: 0` with an idle floor above
/// `activationThreshold`. See [`crate::analysis::check_scale_to_zero`],
/// [`crate::analysis::check_keda_idle_floor`]. HPA `minReplicas: 0` is `out-of-range`.
///
/// # Why is this bad
/// Idle pods are never released although the YAML says so, or a workload at 0 never comes back
/// (AIBrix has no activator).
///
/// # Example
/// ```text
/// spec:
///   minReplicas: 0
///   scalingStrategy: KPA
///   metricsSources:
///     - metricSourceType: pod
/// ```
///
/// # Fix
/// Knative: drop `min-scale: "0"` or enable scale to zero; AIBrix: `minReplicas: 1`; KEDA: an
/// `activationThreshold` above the idle floor.
///
/// # References
/// - knative/serving v1.20 `pkg/reconciler/autoscaling/kpa/scaler.go` (`handleScaleToZero`);
///   vllm-project/aibrix v0.7.0 `pkg/controller/podautoscaler/metrics/client.go`,
///   `hpa_resources.go`; kedacore/keda v2.18 `pkg/scaling/executor/scale_scaledobjects.go`;
///   kubernetes/kubernetes v1.34 feature gate `HPAScaleToZero` (alpha, off).
pub const SCALE_TO_ZERO_MISCONFIGURED: &str = "scale-to-zero-misconfigured";

/// # What it does
/// Reports a window that holds at most one sample: an AIBrix stable/panic window written shorter
/// than the 10 s resync (one scrape per reconcile), an HPA/KEDA stabilization window written
/// between 1 s and the 15 s sync period (one recommendation per sync), or, from samples, a KEDA
/// query's `rate(...[d])` range shorter than two scrape intervals. See
/// [`crate::analysis::check_windows`], [`crate::analysis::check_query_ranges`]. Knative (1 s
/// scrape, windows ≥ 6 s) cannot have it.
///
/// # Why is this bad
/// A one-sample window passes every spike to the count; a PromQL rate over a one-sample range
/// returns nothing, which KEDA reads as 0.
///
/// # Example
/// ```text
/// metadata:
///   query: sum(rate(vllm:request_success_total[30s]))   # scraped every 30 s
/// ```
///
/// # Fix
/// Windows of several sample intervals: AIBrix ≥ 30 s, HPA stabilization 0 or ≥ 15 s, PromQL
/// ranges ≥ 4 × scrape interval.
///
/// # References
/// - vllm-project/aibrix v0.7.0 `pkg/controller/podautoscaler/podautoscaler_controller.go`
///   (`DefaultResyncInterval`), `types/metrics.go`; kubernetes/kubernetes v1.34
///   `pkg/controller/podautoscaler/horizontal.go`; prometheus/prometheus
///   `docs/querying/functions.md` (`rate`); kedacore/keda v2.18 `pkg/scalers/prometheus_scaler.go`
///   (`ignoreNullValues`).
pub const WINDOW_SHORTER_THAN_SCRAPE: &str = "window-shorter-than-scrape";

/// # What it does
/// Reports a target the metric can never be brought past: statically, a bounded metric whose
/// scale-up threshold target × (1 + tolerance) is at or above the bound (a target above the bound
/// is `target-above-bound`); from a replay, a peak demand that keeps each of maxReplicas pods over
/// target for at least a minute (silent when `pinned-at-max` fires for the run). See
/// [`crate::analysis::check_target_unreachable_static`],
/// [`crate::analysis::check_target_unreachable_run`].
///
/// # Why is this bad
/// Statically the autoscaler never scales up; in the replay, peaks queue requests however well it
/// reacts, because maxReplicas is below the load.
///
/// # Example
/// ```text
/// # HPA, tolerance 0.1: scale-up needs > 0.95 × 1.1 = 1.045, above the maximum 1
/// target: {type: AverageValue, averageValue: "950m"}
/// ```
///
/// # Fix
/// A target below bound / (1 + tolerance); or maxReplicas at the count the message computes.
///
/// # References
/// - kubernetes/kubernetes v1.34 `pkg/controller/podautoscaler/replica_calculator.go`
///   (`Tolerances.isWithin`); vllm-project/aibrix v0.7.0
///   `pkg/controller/podautoscaler/algorithm/kpa.go`, `apa.go`.
pub const TARGET_UNREACHABLE: &str = "target-unreachable";
