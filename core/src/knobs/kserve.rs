//! KServe `InferenceService` knobs (kserve/kserve v0.20.0): the component fields KServe turns
//! into the min and max of the autoscaler it creates (`minReplicas` → the HPA's / ScaledObject's
//! min or Knative's `min-scale`, `maxReplicas` → max or `max-scale`). The other settings of a
//! KServe autoscaler are its family's ([`super::setting`] falls back to them); the fields are
//! written under `spec.<component>.` ([`crate::model::KserveComponent::key`]).

use super::{Concept, Knob, Place, Setting};
use crate::model::{Autoscaler, Via};
use crate::upstream::kserve as up;

pub const MIN_REPLICAS: Knob<Autoscaler, u32> =
    super::min_replicas(Place::Field("minReplicas"), Some(up::MIN_REPLICAS));
pub const MAX_REPLICAS: Knob<Autoscaler, u32> =
    super::max_replicas(Place::Field("maxReplicas"), Some(up::MAX_REPLICAS_UNSET));

/// The `InferenceService` (or `LLMInferenceService` `scaling`) field of `a` that plays the part of `c`, when `a` is one KServe
/// creates and the field is KServe's; `None` otherwise (the family's knob applies).
pub fn setting(a: &Autoscaler, c: Concept) -> Option<Setting> {
    let root = match a.via {
        Some(Via::KserveInferenceService { component, .. }) => format!("spec.{}.", component.key()),
        Some(Via::KserveLlmInferenceService { prefill: false }) => "spec.scaling.".to_string(),
        Some(Via::KserveLlmInferenceService { prefill: true }) => {
            "spec.prefill.scaling.".to_string()
        }
        _ => return None,
    };
    match c {
        Concept::MinReplicas => MIN_REPLICAS.setting_in(a, &root),
        Concept::MaxReplicas => MAX_REPLICAS.setting_in(a, &root),
        _ => None,
    }
}

/// One KServe setting and what it becomes in each autoscaler KServe creates: the table the
/// controller page lists (the reader, `config::kserve`, is the behaviour; its fixtures under
/// `core/tests/testdata/config/kserve/` pin each row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Translation {
    /// Where it is written, under `root`.
    pub place: Place,
    /// In the Knative mode: the annotation of the Knative Service KServe creates, read as
    /// Knative reads it.
    pub knative: &'static str,
    /// In the Standard mode with the `hpa` autoscaler class (the default).
    pub hpa: &'static str,
    /// In the Standard mode with the `keda` autoscaler class.
    pub keda: &'static str,
    /// The upstream file that says so.
    pub source: &'static crate::upstream::Source,
}

/// Where a component's settings are written (`predictor`, `transformer` or `explainer`).
pub const COMPONENT_ROOT: &str = "spec.<component>.";

/// What KServe v0.20.0 makes of each `InferenceService` component setting and annotation.
pub const INFERENCE_SERVICE: &[Translation] = &[
    Translation {
        place: Place::Annotation("serving.kserve.io/deploymentMode"),
        knative: "`Knative` (or the deprecated `Serverless`) selects this mode; `status.deploymentMode` wins over the annotation; neither written: the shipped default, Knative (`kserve-assumed-mode`; `--kserve-deployment-mode` chooses)",
        hpa: "`Standard` (or the deprecated `RawDeployment`) selects this mode; `ModelMesh`: no autoscaler per InferenceService (`kserve-not-autoscaled`)",
        keda: "the same",
        source: &up::CONSTANTS,
    },
    Translation {
        place: Place::Annotation("serving.kserve.io/autoscalerClass"),
        knative: "not read",
        hpa: "`hpa` (the default); `external` or `none`: KServe creates no autoscaler (`kserve-not-autoscaled`)",
        keda: "`keda` selects the ScaledObject",
        source: &up::CONSTANTS,
    },
    Translation {
        place: Place::Annotation("autoscaling.knative.dev/*"),
        knative: "copied to the Knative Service and read as Knative reads them (the component's own annotations win over the InferenceService's); `class: hpa.autoscaling.knative.dev` replays Knative's HPA class",
        hpa: "not read",
        keda: "not read",
        source: &up::KSVC_ANNOTATIONS,
    },
    Translation {
        place: Place::Field("minReplicas"),
        knative: "`autoscaling.knative.dev/min-scale`; unset: 1 (KServe writes it, so no scale to zero)",
        hpa: "the HPA's `minReplicas`; unset or 0: 1 (0 is flagged `kserve-not-autoscaled`)",
        keda: "`minReplicaCount`; unset: 1; 0 is kept (scale to zero)",
        source: &up::HPA_RECONCILER,
    },
    Translation {
        place: Place::Field("maxReplicas"),
        knative: "`autoscaling.knative.dev/max-scale`; unset or 0: not written (Knative's default, no bound)",
        hpa: "the HPA's `maxReplicas`; unset or below min: min, so it never scales (`kserve-not-autoscaled`)",
        keda: "`maxReplicaCount`; unset or below min: min",
        source: &up::HPA_RECONCILER,
    },
    Translation {
        place: Place::Field("scaleMetric"),
        knative: "`autoscaling.knative.dev/metric`: `concurrency` or `rps` with the KPA class, `cpu` or `memory` with the HPA class; anything else is rejected as the webhook does (`invalid-value`)",
        hpa: "`cpu` (the default) or `memory`, a Resource metric of type Utilization; `concurrency` / `rps` are flagged and the HPA gets cpu at 80 %",
        keda: "rejected by the webhook (`invalid-value`): write the metric under `autoScaling.metrics`",
        source: &up::VALIDATION,
    },
    Translation {
        place: Place::Field("scaleTarget"),
        knative: "`autoscaling.knative.dev/target`; with the HPA class it must be in [1, 100], an `rps` target ≥ 1 (`out-of-range`, as the webhook rejects it)",
        hpa: "the Utilization target in [1, 100]; unset: cpu at 80 % (`DefaultCPUUtilization`); memory without it: no metric, so the HPA's default cpu at 80 %",
        keda: "not read",
        source: &up::HPA_RECONCILER,
    },
    Translation {
        place: Place::Field("scaleMetricType"),
        knative: "not read by any controller (`unsupported-feature`): the target type follows the metric",
        hpa: "not read (`unsupported-feature`)",
        keda: "not read (`unsupported-feature`)",
        source: &up::COMPONENT,
    },
    Translation {
        place: Place::Field("autoScaling.metrics"),
        knative: "ignored in this mode (`unsupported-feature`)",
        hpa: "each `resource` entry (cpu: Utilization, default 80; memory: Utilization or AverageValue) is a metric of the HPA; other types are skipped (`unsupported-feature`)",
        keda: "`resource` entries: KEDA cpu / memory triggers; `external` with backend `prometheus`: a prometheus trigger whose threshold is `target.value` (AverageValue); other backends and `podmetric` are flagged, not replayed",
        source: &up::KEDA_RECONCILER,
    },
    Translation {
        place: Place::Field("autoScaling.behavior"),
        knative: "ignored in this mode (`unsupported-feature`)",
        hpa: "not read: the HPA gets the default behavior (`unsupported-feature`)",
        keda: "`scaleUp` / `scaleDown` `stabilizationWindowSeconds` become the HPA's windows; unset: 0 s up, 300 s down (the shipped `inferenceservice-config`)",
        source: &up::KEDA_RECONCILER,
    },
    Translation {
        place: Place::Field("containerConcurrency"),
        knative: "the revision's `containerConcurrency` (the hard limit, and the KPA's target when no target is written)",
        hpa: "not read",
        keda: "not read",
        source: &up::COMPONENT,
    },
];

/// Where an `LLMInferenceService` workload's settings are written (main; `spec.prefill.` for
/// the prefill workload).
pub const LLM_ROOT: &str = "spec.";

/// What KServe v0.20.0 makes of each `LLMInferenceService` setting: an HPA (`scaling.wva.hpa`)
/// or a ScaledObject (`scaling.wva.keda`) on the Workload Variant Autoscaler's
/// `wva_desired_replicas`, target 1 (the `knative` column is unused: no Knative mode).
pub const LLM_INFERENCE_SERVICE: &[Translation] = &[
    Translation {
        place: Place::Field("replicas"),
        knative: "",
        hpa: "without `scaling`: a fixed replica count, no autoscaler (`kserve-not-autoscaled`)",
        keda: "the same",
        source: &up::LLM_SCALING,
    },
    Translation {
        place: Place::Field("scaling.minReplicas"),
        knative: "",
        hpa: "the HPA's `minReplicas`; unset: 1",
        keda: "`minReplicaCount`; unset: 1",
        source: &up::LLM_SCALING,
    },
    Translation {
        place: Place::Field("scaling.maxReplicas"),
        knative: "",
        hpa: "the HPA's `maxReplicas` (required, ≥ 1)",
        keda: "`maxReplicaCount` (required, ≥ 1)",
        source: &up::LLM_SCALING,
    },
    Translation {
        place: Place::Field("scaling.wva.hpa"),
        knative: "",
        hpa: "an HPA on the external metric `wva_desired_replicas`, type Value, target 1; its `behavior` is read as the HPA's",
        keda: "",
        source: &up::LLM_SCALING,
    },
    Translation {
        place: Place::Field("scaling.wva.keda"),
        knative: "",
        hpa: "",
        keda: "a ScaledObject with a prometheus trigger on `wva_desired_replicas` (threshold 1); `pollingInterval`, `cooldownPeriod`, `initialCooldownPeriod`, `idleReplicaCount` are read; `fallback` and `advanced` are flagged, not replayed",
        source: &up::LLM_SCALING,
    },
];
