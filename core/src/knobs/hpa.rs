//! Kubernetes HPA knobs (kubernetes/kubernetes v1.34): `spec` fields, `spec.behavior` and the
//! kube-controller-manager flags. KEDA's generated HPA uses the same table under its own root
//! ([`super::keda`]).

use super::{show_count, show_dur, show_num, Concept, Knob, Place, Setting};
use crate::display::{Dur, Num};
use crate::model::{Autoscaler, HpaParams, PolicyType, ScalingRules, SelectPolicy};
use crate::span::Origin;
use crate::upstream::kubernetes as k8s;

/// Where an HPA's fields are written.
pub const ROOT: &str = "spec.";

pub const MIN_REPLICAS: Knob<Autoscaler, u32> = Knob {
    what: "minReplicas",
    place: Place::Field("minReplicas"),
    default: Some(k8s::MIN_REPLICAS),
    get: |a| Some(&a.min_replicas),
    show: show_count,
};

pub const MAX_REPLICAS: Knob<Autoscaler, u32> = Knob {
    what: "maxReplicas",
    place: Place::Field("maxReplicas"),
    default: None,
    get: |a| Some(&a.max_replicas),
    show: show_count,
};

pub const TARGET: Knob<Autoscaler, f64> = Knob {
    what: "the target",
    place: Place::Field("metrics[].*.target"),
    default: None,
    get: |a| a.metrics.first().map(|m| &m.target.value),
    show: show_num,
};

pub const TOLERANCE_UP_FLAG: Knob<HpaParams, f64> = Knob {
    what: "the scale-up tolerance",
    place: Place::Flag("--horizontal-pod-autoscaler-tolerance"),
    default: Some(k8s::TOLERANCE),
    get: |p| Some(&p.tolerance_up),
    show: show_num,
};

pub const TOLERANCE_DOWN_FLAG: Knob<HpaParams, f64> = Knob {
    what: "the scale-down tolerance",
    place: Place::Flag("--horizontal-pod-autoscaler-tolerance"),
    default: Some(k8s::TOLERANCE),
    get: |p| Some(&p.tolerance_down),
    show: show_num,
};

pub const SCALE_UP_TOLERANCE: Knob<HpaParams, f64> = Knob {
    what: "the scale-up tolerance",
    place: Place::Field("behavior.scaleUp.tolerance"),
    default: Some(k8s::TOLERANCE),
    get: |p| Some(&p.tolerance_up),
    show: show_num,
};

pub const SCALE_DOWN_TOLERANCE: Knob<HpaParams, f64> = Knob {
    what: "the scale-down tolerance",
    place: Place::Field("behavior.scaleDown.tolerance"),
    default: Some(k8s::TOLERANCE),
    get: |p| Some(&p.tolerance_down),
    show: show_num,
};

pub const DOWNSCALE_STABILIZATION_FLAG: Knob<HpaParams, crate::Millis> = Knob {
    what: "the downscale stabilization window",
    place: Place::Flag("--horizontal-pod-autoscaler-downscale-stabilization"),
    default: Some(k8s::DOWNSCALE_STABILIZATION),
    get: |p| Some(&p.downscale_stabilization),
    show: show_dur,
};

pub const SCALE_UP_STABILIZATION: Knob<HpaParams, crate::Millis> = Knob {
    what: "the scale-up stabilization window",
    place: Place::Field("behavior.scaleUp.stabilizationWindowSeconds"),
    default: Some(k8s::SCALE_UP_STABILIZATION),
    get: |p| {
        p.behavior
            .as_ref()
            .map(|b| &b.scale_up.stabilization_window)
    },
    show: show_dur,
};

pub const SCALE_DOWN_STABILIZATION: Knob<HpaParams, crate::Millis> = Knob {
    what: "the scale-down stabilization window",
    place: Place::Field("behavior.scaleDown.stabilizationWindowSeconds"),
    // Left nil by the API; the controller fills it from its flag.
    default: Some(k8s::DOWNSCALE_STABILIZATION),
    get: |p| {
        p.behavior
            .as_ref()
            .map(|b| &b.scale_down.stabilization_window)
    },
    show: show_dur,
};

pub const SCALE_UP_SELECT_POLICY: Knob<HpaParams, SelectPolicy> = Knob {
    what: "the select policy",
    place: Place::Field("behavior.scaleUp.selectPolicy"),
    default: Some(k8s::SELECT_POLICY),
    get: |p| p.behavior.as_ref().map(|b| &b.scale_up.select_policy),
    show: show_select,
};

pub const SCALE_DOWN_SELECT_POLICY: Knob<HpaParams, SelectPolicy> = Knob {
    what: "the select policy",
    place: Place::Field("behavior.scaleDown.selectPolicy"),
    default: Some(k8s::SELECT_POLICY),
    get: |p| p.behavior.as_ref().map(|b| &b.scale_down.select_policy),
    show: show_select,
};

/// Where the scale-up policies are written (a list, not a `Param`: see [`policies`]).
pub const SCALE_UP_POLICIES: Place = Place::Field("behavior.scaleUp.policies");
pub const SCALE_DOWN_POLICIES: Place = Place::Field("behavior.scaleDown.policies");

fn show_select(v: &SelectPolicy) -> String {
    match v {
        SelectPolicy::Max => "Max",
        SelectPolicy::Min => "Min",
        SelectPolicy::Disabled => "Disabled",
    }
    .into()
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
};
