//! Stable diagnostic codes. A code never changes meaning once released; front ends and CI
//! scripts match on them. Each doc comment says what the code means, why it matters, and the fix.

/// The input is not valid YAML. Nothing after the error can be read. Fix: the syntax at the
/// position shown (indentation, unclosed brackets or quotes, tabs).
pub const YAML_SYNTAX: &str = "yaml-syntax";

/// Simulation note: the pod start-up delay was not given; a default for the workload was used.
pub const SIM_DEFAULT_POD_STARTUP: &str = "sim-default-pod-startup";

/// Simulation note: the initial replica count was not in the input; minReplicas (at least 1) was used.
pub const SIM_DEFAULT_INITIAL_REPLICAS: &str = "sim-default-initial-replicas";

/// Simulation note: with several metrics, the demand series drives the first one.
pub const SIM_DEMAND_METRIC: &str = "sim-demand-metric";

/// No autoscaler (PodAutoscaler, HorizontalPodAutoscaler, ScaledObject, Knative Service /
/// Configuration / Revision) was found in the input, so there is nothing to replay.
/// Fix: pass the file that contains the autoscaler.
pub const NO_AUTOSCALER: &str = "no-autoscaler";

/// Several autoscalers were found and none was named: the first is used (note).
/// Fix: choose one by its `metadata.name`.
pub const MULTIPLE_AUTOSCALERS: &str = "multiple-autoscalers";

/// The autoscaler name asked for is not in the input. Fix: use one of the names listed.
pub const UNKNOWN_AUTOSCALER: &str = "unknown-autoscaler";

/// A document of a kind Scalelens does not replay (ConfigMaps other than
/// `config-autoscaler`, Services, ...) was skipped (note).
pub const IGNORED_DOCUMENT: &str = "ignored-document";

/// A field has the wrong YAML type (a string where an integer is required, a list where a
/// mapping is required, ...). The API server rejects the object. Fix: write the right type.
pub const WRONG_TYPE: &str = "wrong-type";

/// A CRD string field (AIBrix `targetValue`, KEDA trigger metadata) is written as a bare
/// number or boolean. The API server rejects it; Scalelens reads it as the string it spells.
/// Fix: quote it.
pub const UNQUOTED_STRING: &str = "unquoted-string";

/// A required field is missing. The API server (or the controller) rejects the object.
/// Fix: add the field.
pub const MISSING_FIELD: &str = "missing-field";

/// A field that the family does not define: it is ignored, so a typo silently falls back to
/// the default. Fix: rename it (a close known name is suggested) or remove it.
pub const UNKNOWN_FIELD: &str = "unknown-field";

/// A kind that the API group does not define (e.g. `kind: PodAutoscalers`).
/// Fix: the right kind.
pub const UNKNOWN_KIND: &str = "unknown-kind";

/// An apiVersion that does not exist for this kind (e.g. `autoscaling/v3`).
/// Fix: a served version.
pub const UNKNOWN_API_VERSION: &str = "unknown-api-version";

/// An API version that Kubernetes removed (`autoscaling/v2beta1` in 1.25, `v2beta2` in 1.26):
/// current clusters reject it. Scalelens still reads it. Fix: move to `autoscaling/v2`.
pub const REMOVED_API_VERSION: &str = "removed-api-version";

/// A value that cannot be parsed (a bad Go duration, quantity, number or boolean).
/// The controller rejects it or keeps its default. Fix: write a valid value.
pub const INVALID_VALUE: &str = "invalid-value";

/// A number outside the range the API validation or the controller accepts.
/// Fix: a value in the range given in the message.
pub const OUT_OF_RANGE: &str = "out-of-range";

/// `minReplicas` is greater than `maxReplicas`. The API server rejects it (HPA, KEDA, AIBrix
/// webhook) or the autoscaler pins the count. Fix: swap or correct the bounds.
pub const MIN_ABOVE_MAX: &str = "min-above-max";

/// A metric target ≤ 0. Every algorithm divides by the target. Fix: a positive target.
pub const INVALID_TARGET: &str = "invalid-target";

/// A metric target above the metric's known upper bound (e.g. `gpu_cache_usage_perc`, a 0–1
/// fraction, with target 50): the per-pod value can never reach it, so the autoscaler never
/// scales up. Fix: write the target in the metric's unit.
pub const TARGET_ABOVE_BOUND: &str = "target-above-bound";

/// A metric that current engines no longer export (e.g. vLLM removed
/// `vllm:gpu_cache_usage_perc`): the autoscaler reads 0 (note).
pub const DEPRECATED_METRIC: &str = "deprecated-metric";

/// An unknown metric source type (HPA `metrics[].type`, AIBrix `metricSourceType`).
/// Fix: one of the listed types.
pub const UNKNOWN_METRIC_SOURCE: &str = "unknown-metric-source";

/// An unknown target type (`target.type` not Utilization/Value/AverageValue, or a type the
/// source does not accept). Fix: a type the source accepts.
pub const UNKNOWN_TARGET_TYPE: &str = "unknown-target-type";

/// An unknown scaling policy type (not Pods/Percent) or select policy (not Max/Min/Disabled).
/// Fix: one of the listed values.
pub const UNKNOWN_POLICY_TYPE: &str = "unknown-policy-type";

/// An unknown enumerated value elsewhere (AIBrix `scalingStrategy`, Knative `metric`, ...).
pub const UNKNOWN_VALUE: &str = "unknown-value";

/// A legacy AIBrix annotation (`kpa.autoscaling.aibrix.ai/*`, `apa.autoscaling.aibrix.ai/*`,
/// `autoscaling.aibrix.ai/{up,down}-fluctuation-tolerance`) that AIBrix v0.7.0 does not read:
/// the default applies instead. Fix: the v0.7.0 key, when there is one.
pub const AIBRIX_IGNORED_ANNOTATION: &str = "aibrix-ignored-annotation";

/// An `autoscaling.aibrix.ai/*` key written in `metadata.labels`: AIBrix v0.7.0 reads only
/// annotations. Fix: move it to `metadata.annotations`.
pub const AIBRIX_KEY_IN_LABELS: &str = "aibrix-key-in-labels";

/// AIBrix `scalingStrategy: HPA` truncates a fractional `targetValue` to an integer
/// (`int64(target)` in `hpa_resources.go`): "0.5" becomes 0, an HPA that cannot work.
/// Fix: an integer target in the metric's unit, or the KPA/APA strategy.
pub const AIBRIX_TARGET_TRUNCATED: &str = "aibrix-target-truncated";

/// A KEDA ScaledObject whose triggers are all cpu/memory with `minReplicaCount: 0`: the KEDA
/// webhook rejects it (scale to zero cannot work without an external trigger).
/// Fix: `minReplicaCount: 1` or add an external trigger.
pub const KEDA_RESOURCE_ONLY_ZERO: &str = "keda-resource-only-zero";

/// Two KEDA triggers share a name (`ValidateTriggers` rejects it). Fix: unique names.
pub const DUPLICATE_NAME: &str = "duplicate-name";

/// A feature Scalelens reads but does not replay (KEDA `scalingModifiers`/`fallback`, a
/// trigger type other than prometheus/cpu/memory, Knative's HPA class, AIBrix schedules):
/// the replay ignores it. Fix: none needed; results may differ from the cluster.
pub const UNSUPPORTED_FEATURE: &str = "unsupported-feature";

/// Simulation warning: the demand exceeds what `maxReplicas` pods can report at the metric's
/// bound (e.g. 342 for a 0–1 fraction with max 10): the demand is in another unit. The
/// simulation drops the bound rather than guess a conversion.
pub const SIM_DEMAND_ABOVE_BOUND: &str = "sim-demand-above-bound";

/// The metric's samples and the target are on different scales: samples 0–100 (percent) with a
/// target ≤ 1 (a fraction), samples ≤ 1 with a target > 1, or a metric the registry knows as a
/// percent with a fractional target. The autoscaler pins at maxReplicas or never scales up.
/// Fix: write the target in the samples' unit, or convert the metric (see
/// [`crate::analysis::check_unit_mismatch`]).
pub const UNIT_MISMATCH: &str = "unit-mismatch";

/// Simulation: the demand fell to zero (or below what minReplicas serve) but the replicas did not
/// return to minReplicas within the horizon; the message names the rule that held them.
/// Fix: the setting of that rule (see [`crate::analysis::check_never_scales_down`]).
pub const NEVER_SCALES_DOWN: &str = "never-scales-down";

/// Simulation: the desired count sat at maxReplicas for most of the loaded period while the
/// metric asked for more: the bound hides the real demand. Fix: raise maxReplicas or check the
/// metric's unit (see [`crate::analysis::check_pinned_at_max`]).
pub const PINNED_AT_MAX: &str = "pinned-at-max";

/// Simulation: the replica count changes direction too often (more than
/// [`crate::analysis::FLAPPING_CHANGES_PER_HOUR`] times within an hour). Fix: a longer
/// window or a wider tolerance (see [`crate::analysis::check_flapping`]).
pub const FLAPPING: &str = "flapping";

/// Placeholder doc (rewritten below).
pub const VALUE_VS_AVERAGEVALUE: &str = "value-vs-averagevalue";

/// Placeholder doc.
pub const NEVER_REACHES_TARGET: &str = "never-reaches-target";

/// Placeholder doc.
pub const SCALE_TO_ZERO_MISCONFIGURED: &str = "scale-to-zero-misconfigured";

/// Placeholder doc.
pub const WINDOW_SHORTER_THAN_SCRAPE: &str = "window-shorter-than-scrape";

/// Placeholder doc.
pub const TARGET_UNREACHABLE: &str = "target-unreachable";
