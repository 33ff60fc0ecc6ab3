//! KServe (kserve/kserve v0.20.0): what an `InferenceService` / `LLMInferenceService` becomes
//! (a Knative Service with KPA annotations, an HPA, a KEDA ScaledObject), and its defaults.
//!
//! v0.20.0 is the newest release in the stored mirror; `hpa_reconciler.go` behaves the same
//! since v0.16.0, the deployment-mode names `Knative` / `Standard` arrived in v0.16.0 and the
//! `LLMInferenceService` `scaling` block in v0.17.0 (docs/research/kserve-hpa.md, C).

use super::{Fact, Project, Release, Source};
use crate::model::{Millis, SECOND};

/// The release every KServe fact is read at.
pub const TAG: &str = "v0.20.0";
/// Every fact of this module is read at this release.
pub const AT: Release = Project::Kserve.at(TAG);

/// `DefaultMinReplicas`, `DefaultCPUUtilization`, `DefaultAutoscalerClass`, the deployment
/// modes (`ParseDeploymentMode`) and the annotation keys.
pub static CONSTANTS: Source = AT.file("pkg/constants/constants.go", "");
/// The `InferenceService` component fields (`ComponentExtensionSpec`).
pub static COMPONENT: Source = AT.file(
    "pkg/apis/serving/v1beta1/component.go",
    "ComponentExtensionSpec",
);
/// The shipped `inferenceservice-config` ConfigMap (`deploy.defaultDeploymentMode`, the
/// `autoscaler` stabilization windows KServe writes on a ScaledObject).
pub static CONFIG_MAP: Source = AT.file("config/configmap/inferenceservice.yaml", "");
/// The annotations KServe writes on the Knative Service it creates.
pub static KSVC_ANNOTATIONS: Source = AT.file(
    "pkg/controller/v1alpha1/utils/utils.go",
    "SetAutoScalingAnnotations",
);
/// The HPA KServe creates in Standard mode.
pub static HPA_RECONCILER: Source = AT.file(
    "pkg/controller/v1beta1/inferenceservice/reconcilers/hpa/hpa_reconciler.go",
    "createHPA",
);
/// The KEDA ScaledObject KServe creates in Standard mode with `autoscalerClass: keda`.
pub static KEDA_RECONCILER: Source = AT.file(
    "pkg/controller/v1beta1/inferenceservice/reconcilers/keda/keda_reconciler.go",
    "createKedaScaledObject",
);
/// The webhook's checks of the autoscaling fields.
pub static VALIDATION: Source = AT.file(
    "pkg/apis/serving/v1beta1/inference_service_validation.go",
    "validateAutoScalingCompExtension",
);
/// The `LLMInferenceService` HPA / ScaledObject on `wva_desired_replicas`.
pub static LLM_SCALING: Source = AT.file("pkg/controller/v1alpha2/llmisvc/scaling.go", "");

pub static SOURCES: &[&Source] = &[
    &CONSTANTS,
    &COMPONENT,
    &CONFIG_MAP,
    &KSVC_ANNOTATIONS,
    &HPA_RECONCILER,
    &KEDA_RECONCILER,
    &VALIDATION,
    &LLM_SCALING,
];

/// A deployment mode of an `InferenceService` (`DeploymentModeType`, `ParseDeploymentMode`:
/// `Serverless` is read as `Knative`, `RawDeployment` as `Standard`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeploymentMode {
    /// A Knative Service per component, with KPA annotations (or the HPA class).
    Knative,
    /// A Deployment per component, scaled by the autoscaler class (`hpa`, `keda`, ...).
    Standard,
    /// ModelMesh: no per-InferenceService autoscaler.
    ModelMesh,
}

impl DeploymentMode {
    /// The mode's name as KServe v0.20.0 writes it.
    pub fn name(self) -> &'static str {
        match self {
            DeploymentMode::Knative => "Knative",
            DeploymentMode::Standard => "Standard",
            DeploymentMode::ModelMesh => "ModelMesh",
        }
    }

    /// `ParseDeploymentMode`: a value of the annotation or of `--kserve-deployment-mode`, legacy
    /// names included; `None` for another word.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "Knative" | "Serverless" => Some(DeploymentMode::Knative),
            "Standard" | "RawDeployment" => Some(DeploymentMode::Standard),
            "ModelMesh" => Some(DeploymentMode::ModelMesh),
            _ => None,
        }
    }
}

/// The words `serving.kserve.io/deploymentMode` accepts (the legacy ones normalised).
pub const DEPLOYMENT_MODES: &[&str] = &[
    "Knative",
    "Standard",
    "ModelMesh",
    "Serverless",
    "RawDeployment",
];

/// The deployment mode when neither `status.deploymentMode` nor the annotation says: the shipped
/// `inferenceservice-config` sets `deploy.defaultDeploymentMode: "Serverless"` (Knative), and
/// the Helm chart `kserve.controller.deploymentMode: Knative`; the code constant
/// `DefaultDeployment` (`Standard`) applies only to a ConfigMap without the key.
pub const DEFAULT_DEPLOYMENT_MODE: Fact<DeploymentMode> =
    Fact::new(DeploymentMode::Knative, &CONFIG_MAP);

/// `serving.kserve.io/autoscalerClass` in Standard mode: `hpa` (`DefaultAutoscalerClass`).
/// `kpa` is declared but not in `AutoscalerAllowedClassList`, so the webhook rejects it.
pub const AUTOSCALER_CLASSES: &[&str] = &["hpa", "keda", "external", "none"];
/// `DefaultAutoscalerClass`.
pub const DEFAULT_AUTOSCALER_CLASS: Fact<&str> = Fact::new("hpa", &CONSTANTS);

/// `DefaultMinReplicas`: the min when `minReplicas` is unset (and the HPA's floor).
pub const MIN_REPLICAS: Fact<u32> = Fact::new(1, &CONSTANTS);
/// `maxReplicas` unset (0): the HPA's max is raised to its min (`createHPA`), so it is pinned.
pub const MAX_REPLICAS_UNSET: Fact<u32> = Fact::new(0, &COMPONENT);
/// `DefaultCPUUtilization`: the cpu target (percent) when `scaleTarget` is unset.
pub const CPU_UTILIZATION: Fact<f64> = Fact::new(80.0, &CONSTANTS);
/// `autoscaler.scaleUpStabilizationWindowSeconds` of the shipped ConfigMap ("0"): the
/// ScaledObject's scale-up window when `autoScaling.behavior` does not set one.
pub const KEDA_SCALE_UP_WINDOW: Fact<Millis> = Fact::new(0, &CONFIG_MAP);
/// `autoscaler.scaleDownStabilizationWindowSeconds` of the shipped ConfigMap ("300").
pub const KEDA_SCALE_DOWN_WINDOW: Fact<Millis> = Fact::new(300 * SECOND, &CONFIG_MAP);
/// The `LLMInferenceService` min when `scaling.minReplicas` is unset (`ptr.Deref(.., 1)`).
pub const LLM_MIN_REPLICAS: Fact<u32> = Fact::new(1, &LLM_SCALING);
/// The External metric the `LLMInferenceService` HPA / trigger follows (`wva_desired_replicas`),
/// with target `Value 1` (HPA) or `threshold "1"` (KEDA, AverageValue).
pub const WVA_METRIC: &str = "wva_desired_replicas";
/// The target of [`WVA_METRIC`].
pub const WVA_TARGET: Fact<f64> = Fact::new(1.0, &LLM_SCALING);
