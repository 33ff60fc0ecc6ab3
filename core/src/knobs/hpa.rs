//! Kubernetes HPA knobs (kubernetes/kubernetes v1.34): `spec` fields, `spec.behavior` and the
//! kube-controller-manager flags. KEDA's generated HPA uses the same table under its own root
//! ([`super::keda`]).

use super::Place::{self, Field, Flag};
use super::{knobs, Concept, Knob, Known, Setting, Show};
use crate::display::{Dur, Num};
use crate::model::{Autoscaler, HpaParams, Millis, PolicyType, ScalingRules, SelectPolicy};
use crate::span::Origin;
use crate::upstream::kubernetes as k8s;

/// Where an HPA's fields are written.
pub const ROOT: &str = "spec.";

pub const MIN_REPLICAS: Knob<Autoscaler, u32> =
    super::min_replicas(Field("minReplicas"), Some(k8s::MIN_REPLICAS));
pub const MAX_REPLICAS: Knob<Autoscaler, u32> = super::max_replicas(Field("maxReplicas"), None);
pub const TARGET: Knob<Autoscaler, f64> = super::target(Field("metrics[].*.target"));

knobs! {
    TOLERANCE_UP_FLAG: HpaParams.tolerance_up: f64 = "the scale-up tolerance",
        Flag("--horizontal-pod-autoscaler-tolerance"), Some(k8s::TOLERANCE);
    TOLERANCE_DOWN_FLAG: HpaParams.tolerance_down: f64 = "the scale-down tolerance",
        Flag("--horizontal-pod-autoscaler-tolerance"), Some(k8s::TOLERANCE);
    SCALE_UP_TOLERANCE: HpaParams.tolerance_up: f64 = "the scale-up tolerance",
        Field("behavior.scaleUp.tolerance"), Some(k8s::TOLERANCE);
    SCALE_DOWN_TOLERANCE: HpaParams.tolerance_down: f64 = "the scale-down tolerance",
        Field("behavior.scaleDown.tolerance"), Some(k8s::TOLERANCE);
    DOWNSCALE_STABILIZATION_FLAG: HpaParams.downscale_stabilization: Millis =
        "the downscale stabilization window",
        Flag("--horizontal-pod-autoscaler-downscale-stabilization"),
        Some(k8s::DOWNSCALE_STABILIZATION);
    SCALE_UP_STABILIZATION: HpaParams, Millis = "the scale-up stabilization window",
        Field("behavior.scaleUp.stabilizationWindowSeconds"), Some(k8s::SCALE_UP_STABILIZATION),
        |p| p.behavior.as_ref().map(|b| &b.scale_up.stabilization_window);
    /// Left nil by the API; the controller fills it from its flag (hence that default).
    SCALE_DOWN_STABILIZATION: HpaParams, Millis = "the scale-down stabilization window",
        Field("behavior.scaleDown.stabilizationWindowSeconds"), Some(k8s::DOWNSCALE_STABILIZATION),
        |p| p.behavior.as_ref().map(|b| &b.scale_down.stabilization_window);
    SCALE_UP_SELECT_POLICY: HpaParams, SelectPolicy = "the select policy",
        Field("behavior.scaleUp.selectPolicy"), Some(k8s::SELECT_POLICY),
        |p| p.behavior.as_ref().map(|b| &b.scale_up.select_policy);
    SCALE_DOWN_SELECT_POLICY: HpaParams, SelectPolicy = "the select policy",
        Field("behavior.scaleDown.selectPolicy"), Some(k8s::SELECT_POLICY),
        |p| p.behavior.as_ref().map(|b| &b.scale_down.select_policy);
}

/// Where the scale-up policies are written (a list, not a `Param`: see [`policies`]).
pub const SCALE_UP_POLICIES: Place = Field("behavior.scaleUp.policies");
pub const SCALE_DOWN_POLICIES: Place = Field("behavior.scaleDown.policies");

impl Show for SelectPolicy {
    fn show(&self) -> String {
        match self {
            SelectPolicy::Max => "Max",
            SelectPolicy::Min => "Min",
            SelectPolicy::Disabled => "Disabled",
        }
        .into()
    }
}

/// The HPA setting of `a` (params `p`, fields under `root`) that plays the part of `c`.
pub fn setting(a: &Autoscaler, p: &HpaParams, c: Concept, root: &str) -> Option<Setting> {
    let legacy = p.behavior.is_none();
    match c {
        Concept::MinReplicas => MIN_REPLICAS.setting_in(a, root),
        Concept::MaxReplicas => MAX_REPLICAS.setting_in(a, root),
        Concept::Target => TARGET.setting_in(a, root),
        Concept::ScaleUpTolerance | Concept::ScaleDownTolerance => {
            let up = c == Concept::ScaleUpTolerance;
            let knob = match (legacy, up) {
                (true, true) => &TOLERANCE_UP_FLAG,
                (true, false) => &TOLERANCE_DOWN_FLAG,
                (false, true) => &SCALE_UP_TOLERANCE,
                (false, false) => &SCALE_DOWN_TOLERANCE,
            };
            let s = knob.setting_in(p, root)?;
            let tol = if up {
                p.tolerance_up.value
            } else {
                p.tolerance_down.value
            };
            Some(s.with_value(ratio_band(tol, p)))
        }
        Concept::MaxScaleUpRate if legacy => Some(Setting {
            what: "the legacy scale-up limit",
            setting: "no spec.behavior: the legacy path".into(),
            value: format!(
                "max({} × current, {})",
                Num(k8s::SCALE_UP_LIMIT_FACTOR),
                Num(k8s::SCALE_UP_LIMIT_MINIMUM)
            ),
            origin: Origin::Default {
                source: &k8s::LEGACY_SCALE_UP,
            },
        }),
        Concept::MaxScaleUpRate | Concept::ScaleUpPolicies => {
            let b = p.behavior.as_ref()?;
            Some(policies(
                "the scale-up policies",
                SCALE_UP_POLICIES,
                &b.scale_up,
                root,
            ))
        }
        Concept::MaxScaleDownRate | Concept::ScaleDownPolicies => {
            let b = p.behavior.as_ref()?;
            Some(policies(
                "the scale-down policies",
                SCALE_DOWN_POLICIES,
                &b.scale_down,
                root,
            ))
        }
        Concept::ScaleUpWindow => SCALE_UP_STABILIZATION.setting_in(p, root),
        Concept::ScaleDownWindow if legacy => DOWNSCALE_STABILIZATION_FLAG.setting_in(p, root),
        Concept::ScaleDownWindow => SCALE_DOWN_STABILIZATION.setting_in(p, root),
        Concept::ScaleUpSelectPolicy => SCALE_UP_SELECT_POLICY.setting_in(p, root),
        Concept::ScaleDownSelectPolicy => SCALE_DOWN_SELECT_POLICY.setting_in(p, root),
        _ => None,
    }
}

/// The `behavior` field that sets `c` (what to write when the object has no `behavior` yet).
pub fn behavior_place(c: Concept) -> Option<Place> {
    Some(match c {
        Concept::ScaleUpTolerance => SCALE_UP_TOLERANCE.place,
        Concept::ScaleDownTolerance => SCALE_DOWN_TOLERANCE.place,
        Concept::ScaleUpWindow => SCALE_UP_STABILIZATION.place,
        Concept::ScaleDownWindow => SCALE_DOWN_STABILIZATION.place,
        Concept::ScaleUpPolicies | Concept::MaxScaleUpRate => SCALE_UP_POLICIES,
        Concept::ScaleDownPolicies | Concept::MaxScaleDownRate => SCALE_DOWN_POLICIES,
        Concept::ScaleUpSelectPolicy => SCALE_UP_SELECT_POLICY.place,
        Concept::ScaleDownSelectPolicy => SCALE_DOWN_SELECT_POLICY.place,
        _ => return None,
    })
}

/// "0.1 (no change while usage / target is within 0.9–1.1)".
fn ratio_band(tol: f64, p: &HpaParams) -> String {
    format!(
        "{} (no change while usage / target is within {}–{})",
        Num(tol),
        Num(1.0 - p.tolerance_down.value),
        Num(1.0 + p.tolerance_up.value)
    )
}

/// "4 pods per 15s or 100% per 15s", written at the list or the API default.
fn policies(what: &'static str, place: Place, rules: &ScalingRules, root: &str) -> Setting {
    use std::fmt::Write as _;
    let mut value = String::new();
    for (i, pol) in rules.policies.iter().enumerate() {
        if i > 0 {
            value.push_str(if rules.select_policy.value == SelectPolicy::Min {
                " and "
            } else {
                " or "
            });
        }
        let unit = match pol.policy_type {
            PolicyType::Pods => " pods",
            PolicyType::Percent => "%",
        };
        let _ = write!(value, "{}{unit} per {}", pol.value, Dur(pol.period));
    }
    let origin = match rules.policies_span {
        Some(span) => Origin::Yaml {
            span,
            line: span.start.line,
            column: span.start.column,
        },
        None => Origin::Default {
            source: &k8s::V2_DEFAULTS,
        },
    };
    Setting {
        what,
        setting: place.render(root),
        value,
        origin,
    }
}

/// Every HPA knob.
pub static TABLE: super::Table<HpaParams> = super::Table {
    object: &[&MIN_REPLICAS, &MAX_REPLICAS, &TARGET],
    params: &[
        &TOLERANCE_UP_FLAG,
        &TOLERANCE_DOWN_FLAG,
        &SCALE_UP_TOLERANCE,
        &SCALE_DOWN_TOLERANCE,
        &DOWNSCALE_STABILIZATION_FLAG,
        &SCALE_UP_STABILIZATION,
        &SCALE_DOWN_STABILIZATION,
        &SCALE_UP_SELECT_POLICY,
        &SCALE_DOWN_SELECT_POLICY,
    ],
    known: &[Known::replayed(
        Field("metrics[].{pods,object,external}.metric.selector"),
        "picks the series of the metric read: imported samples keep only the series it selects (`matchLabels`, `matchExpressions`; `samples-selector`)",
    )],
};
