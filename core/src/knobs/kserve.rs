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
