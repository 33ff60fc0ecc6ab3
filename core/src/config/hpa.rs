//! Kubernetes `HorizontalPodAutoscaler`: `autoscaling/v2`, `autoscaling/v1`, and the removed
//! `autoscaling/v2beta2` (1.26) and `v2beta1` (1.25), as of Kubernetes v1.34.
//!
//! Upstream: `staging/src/k8s.io/api/autoscaling/{v1,v2,v2beta1,v2beta2}/types.go` (fields),
//! `pkg/apis/autoscaling/v2/defaults.go` (behavior defaults), `pkg/apis/autoscaling/v1/defaults.go`
//! (CPU 80 %), `pkg/apis/autoscaling/validation/validation.go` (checks mirrored as diagnostics),
//! `pkg/controller/podautoscaler/config/v1alpha1/defaults.go` (controller flags).

use crate::codes::rule_doc;
use crate::codes::Code;
use crate::config::read::{self, Cx};
use crate::config::{check_metric_unit, check_min_max, unknown_kind, unknown_version, Doc};
use crate::diagnostic::Diagnostic;
use crate::model::{
    Algorithm, Autoscaler, Family, HpaParams, Metric, MetricSource, MetricTarget, Policy,
    PolicyType, SelectPolicy, TargetRef, TargetType, SECOND,
};
use crate::span::{Param, Span, Spanned};
use crate::yaml::Node;

use crate::upstream::kubernetes as k8s;

/// The kube-controller-manager's HPA settings with their defaults; `behavior: None`.
pub fn default_params() -> HpaParams {
    k8s::hpa_params()
}

/// Read `behavior` (HPA `spec.behavior`, KEDA `advanced.horizontalPodAutoscalerConfig.behavior`)
/// into `params`: each direction is defaulted field by field, a `policies` list replaces the
/// default list as a whole, and `tolerance` sets that direction's tolerance.
pub fn read_behavior(cx: &mut Cx, parent: &Node, path: &str, params: &mut HpaParams) {
    let bpath = format!("{path}.behavior");
    let Some(b) = read::mapping(cx, parent, "behavior", &bpath) else {
        return;
    };
    read::unknown_keys(cx, b, &["scaleUp", "scaleDown"], &bpath);
    let mut behavior = k8s::behavior(params.downscale_stabilization);
    for (key, up) in [("scaleUp", true), ("scaleDown", false)] {
        let rpath = format!("{bpath}.{key}");
        let Some(r) = read::mapping(cx, b, key, &rpath) else {
            continue;
        };
        read::unknown_keys(
            cx,
            r,
            &[
                "stabilizationWindowSeconds",
                "selectPolicy",
                "policies",
                "tolerance",
            ],
            &rpath,
        );
        let rules = if up {
            &mut behavior.scale_up
        } else {
            &mut behavior.scale_down
        };
        if let Some(w) = read::seconds_in(
            cx,
            r,
            "stabilizationWindowSeconds",
            &format!("{rpath}.stabilizationWindowSeconds"),
            0,
            3600,
        ) {
            rules.stabilization_window = w;
        }
        if let Some(s) = read::string(cx, r, "selectPolicy", &format!("{rpath}.selectPolicy")) {
            if let Some(p) = read::one_of(
                cx,
                &s,
                &["Max", "Min", "Disabled"],
                &format!("{rpath}.selectPolicy"),
                Code::UnknownPolicyType,
            ) {
                let p = match p {
                    "Min" => SelectPolicy::Min,
                    "Disabled" => SelectPolicy::Disabled,
                    _ => SelectPolicy::Max,
                };
                rules.select_policy = Param::yaml(p, s.span);
            }
        }
        if let Some((k, pol_node)) = read::entry(r, "policies") {
            let ppath = format!("{rpath}.policies");
            if let Some(list) = read::sequence(cx, r, "policies", &ppath) {
                if list.is_empty() {
                    cx.push(
                        Diagnostic::error(
                            Code::MissingField,
                            format!("`{ppath}` must not be empty when given (validation.go); remove it to use the defaults"),
                        )
                        .at(pol_node.span),
                    );
                } else {
                    let mut policies = Vec::new();
                    for (i, p) in list.iter().enumerate() {
                        if let Some(p) = read_policy(cx, p, &format!("{ppath}[{i}]")) {
                            policies.push(p);
                        }
                    }
                    // All entries invalid (each reported): keep the defaults so the replay
                    // still has a rate limit; the errors say the object is rejected.
                    if !policies.is_empty() {
                        rules.policies = policies;
                        rules.policies_span = Some(k.span.to(pol_node.span));
                    }
                }
            }
        }
        if let Some(t) = read::quantity(cx, r, "tolerance", &format!("{rpath}.tolerance")) {
            if t.value.signum() < 0 {
                cx.error(
                    Code::OutOfRange,
                    t.span,
                    format!("`{rpath}.tolerance` must not be negative"),
                );
            } else {
                let p = Param::yaml(t.value.as_f64(), t.span);
                if up {
                    params.tolerance_up = p;
                } else {
                    params.tolerance_down = p;
                }
            }
        }
    }
    params.behavior = Some(behavior);
}

fn read_policy(cx: &mut Cx, node: &Node, path: &str) -> Option<Policy> {
    if node.as_mapping().is_none() {
        cx.error(
            Code::WrongType,
            node.span,
            format!("`{path}` must be a mapping with type, value and periodSeconds"),
        );
        return None;
    }
    read::unknown_keys(cx, node, &["type", "value", "periodSeconds"], path);
    let ty = match read::string(cx, node, "type", &format!("{path}.type")) {
        Some(t) => read::one_of(
            cx,
            &t,
            &["Pods", "Percent"],
            &format!("{path}.type"),
            Code::UnknownPolicyType,
        ),
        None => {
            read::missing(cx, node.span, &format!("{path}.type"), " (Pods or Percent)");
            None
        }
    };
    let value = match read::entry(node, "value") {
        Some(_) => read::u32_in(
            cx,
            node,
            "value",
            &format!("{path}.value"),
            1,
            i64::from(i32::MAX),
        ),
        None => {
            read::missing(cx, node.span, &format!("{path}.value"), "");
            None
        }
    };
    let period = match read::entry(node, "periodSeconds") {
        Some(_) => read::u32_in(
            cx,
            node,
            "periodSeconds",
            &format!("{path}.periodSeconds"),
            1,
            1800,
        ),
        None => {
            read::missing(
                cx,
                node.span,
                &format!("{path}.periodSeconds"),
                " (1 to 1800)",
            );
            None
        }
    };
    Some(Policy {
        policy_type: if ty? == "Pods" {
            PolicyType::Pods
        } else {
            PolicyType::Percent
        },
        value: value?.value,
        period: u64::from(period?.value) * SECOND,
        span: Some(node.span),
    })
}

/// `scaleTargetRef` (HPA, KEDA, AIBrix): `name` required.
pub fn read_target_ref(cx: &mut Cx, spec: &Node, spec_key: Span, path: &str) -> Option<TargetRef> {
    let tpath = format!("{path}.scaleTargetRef");
    let Some(t) = read::mapping(cx, spec, "scaleTargetRef", &tpath) else {
        if read::entry(spec, "scaleTargetRef").is_none() {
            read::missing(cx, spec_key, &tpath, "");
        }
        return None;
    };
    let name = read::string(cx, t, "name", &format!("{tpath}.name"));
    if name.is_none() && read::entry(t, "name").is_none() {
        let at = spec
            .entry("scaleTargetRef")
            .map_or(spec_key, |(k, _)| k.span);
        read::missing(cx, at, &format!("{tpath}.name"), "");
    }
    Some(TargetRef {
        api_version: read::string(cx, t, "apiVersion", &format!("{tpath}.apiVersion"))
            .map(|s| s.value),
        kind: read::string(cx, t, "kind", &format!("{tpath}.kind")).map(|s| s.value),
        name: name?,
    })
}

/// Read one HorizontalPodAutoscaler document.
pub fn read(cx: &mut Cx, doc: &Doc) -> Option<Autoscaler> {
    if doc.kind.value != "HorizontalPodAutoscaler" {
        unknown_kind(cx, doc, &["HorizontalPodAutoscaler"]);
        return None;
    }
    let version = doc.version().to_string();
    match version.as_str() {
        "v1" | "v2" => {}
        "v2beta1" | "v2beta2" => {
            let removed = if version == "v2beta1" { "1.25" } else { "1.26" };
            cx.push(
                Diagnostic::warning(
                    Code::RemovedApiVersion,
                    format!(
                        "`autoscaling/{version}` was removed in Kubernetes {removed}: current clusters reject it; read as autoscaling/v2{}",
                        if version == "v2beta1" { " (the metric fields differ: see the v2 API)" } else { "" }
                    ),
                )
                .at(doc.api_version.span)
                .with_fix("use autoscaling/v2", doc.api_version.span, "autoscaling/v2"),
            );
        }
        _ => {
            unknown_version(cx, doc, &["autoscaling/v2", "autoscaling/v1"]);
            return None;
        }
    }
    let spec_key = doc.key_span("spec");
    let Some(spec) = read::mapping(cx, doc.root, "spec", "spec") else {
        if read::entry(doc.root, "spec").is_none() {
            read::missing(cx, doc.kind.span, "spec", "");
        }
        return None;
    };
    let common = ["scaleTargetRef", "minReplicas", "maxReplicas"];
    let known: Vec<&str> = match version.as_str() {
        "v1" => [&common[..], &["targetCPUUtilizationPercentage"]].concat(),
        "v2beta1" => [&common[..], &["metrics"]].concat(),
        _ => [&common[..], &["metrics", "behavior"]].concat(),
    };
    read::unknown_keys(cx, spec, &known, "spec");

    let target = read_target_ref(cx, spec, spec_key, "spec");
    let (min, max) = read::bounds(cx, spec, spec_key, &k8s::V2_DEFAULTS);
    let mut params = default_params();
    let mut metrics = Vec::new();
    match version.as_str() {
        "v1" => {
            let (value, span) = match read::u32_in(
                cx,
                spec,
                "targetCPUUtilizationPercentage",
                "spec.targetCPUUtilizationPercentage",
                1,
                i64::from(i32::MAX),
            ) {
                Some(s) => (Param::yaml(f64::from(s.value), s.span), s.span),
                None => (k8s::V1_CPU_UTILIZATION.param(), doc.kind.span),
            };
            metrics.push(cpu_metric(value, span));
        }
        _ => {
            if let Some(list) = read::sequence(cx, spec, "metrics", "spec.metrics") {
                for (i, m) in list.iter().enumerate() {
                    let path = format!("spec.metrics[{i}]");
                    let metric = if version == "v2beta1" {
                        read_metric_v2beta1(cx, m, &path)
                    } else {
                        read_metric_v2(cx, m, &path)
                    };
                    metrics.extend(metric);
                }
            }
            if read::entry(spec, "metrics").is_none() {
                // SetDefaults_HorizontalPodAutoscaler: no metrics ⇒ CPU Utilization 80.
                metrics.push(cpu_metric(k8s::V2_CPU_UTILIZATION.param(), doc.kind.span));
            }
            if version != "v2beta1" {
                read_behavior(cx, spec, "spec", &mut params);
            }
        }
    }
    check_min_zero(cx, &min, &metrics);
    check_min_max(cx, &min, &max, "HorizontalPodAutoscaler");
    let mut a = doc.autoscaler(Family::Hpa, min, max, Algorithm::Hpa(params));
    a.target = target;
    a.metrics = metrics;
    Some(a)
}

/// minReplicas 0 needs the `HPAScaleToZero` alpha gate and an Object or External metric.
pub(crate) fn check_min_zero(cx: &mut Cx, min: &Param<u32>, metrics: &[Metric]) {
    if min.value != 0 {
        return;
    }
    let Some(span) = min.span() else { return };
    let has_ext = metrics.iter().any(|m| {
        matches!(
            m.source,
            MetricSource::Object { .. } | MetricSource::External
        )
    });
    if has_ext {
        cx.warning(
            Code::OutOfRange,
            span,
            "`spec.minReplicas: 0` needs the alpha feature gate HPAScaleToZero (off by default); without it the API server rejects it",
        );
    } else {
        cx.push(
            Diagnostic::error(
                Code::OutOfRange,
                "`spec.minReplicas` must be ≥ 1 (0 is allowed only with the HPAScaleToZero gate and an Object or External metric)",
            )
            .at(span)
            .with_fix("set minReplicas to 1", span, "1"),
        );
    }
}

fn cpu_metric(value: Param<f64>, span: Span) -> Metric {
    Metric {
        name: Spanned::new("cpu".into(), span),
        source: MetricSource::Resource,
        target: MetricTarget {
            target_type: TargetType::Utilization,
            value,
        },
        bound: None,
        activation_threshold: None,
        span,
    }
}

const V2_TYPES: &[&str] = &[
    "Resource",
    "Pods",
    "Object",
    "External",
    "ContainerResource",
];

fn source_key(ty: &str) -> &'static str {
    match ty {
        "Resource" => "resource",
        "Pods" => "pods",
        "Object" => "object",
        "External" => "external",
        _ => "containerResource",
    }
}

fn metric_type<'a>(cx: &mut Cx, m: &'a Node, path: &str) -> Option<(&'static str, &'a Node)> {
    if m.as_mapping().is_none() {
        cx.error(
            Code::WrongType,
            m.span,
            format!("`{path}` must be a mapping"),
        );
        return None;
    }
    let Some(ty) = read::string(cx, m, "type", &format!("{path}.type")) else {
        read::missing(
            cx,
            m.span,
            &format!("{path}.type"),
            " (Resource, Pods, Object, External or ContainerResource)",
        );
        return None;
    };
    let ty = read::one_of(
        cx,
        &ty,
        V2_TYPES,
        &format!("{path}.type"),
        Code::UnknownMetricSource,
    )?;
    let key = source_key(ty);
    let spath = format!("{path}.{key}");
    match read::mapping(cx, m, key, &spath) {
        Some(s) => Some((ty, s)),
        None => {
            if read::entry(m, key).is_none() {
                read::missing(cx, m.span, &spath, &format!(" for type {ty}"));
            }
            None
        }
    }
}

/// Read an `autoscaling/v2` (or v2beta2) `MetricSpec`.
fn read_metric_v2(cx: &mut Cx, m: &Node, path: &str) -> Option<Metric> {
    let (ty, s) = metric_type(cx, m, path)?;
    let spath = format!("{path}.{}", source_key(ty));
    let s_key = read::key_span(m, source_key(ty), m.span);
    let (name, source) = match ty {
        "Resource" | "ContainerResource" => {
            let name = read::string(cx, s, "name", &format!("{spath}.name"));
            if name.is_none() {
                read::missing(cx, s_key, &format!("{spath}.name"), " (cpu or memory)");
            }
            let source = if ty == "Resource" {
                MetricSource::Resource
            } else {
                let c = read::string(cx, s, "container", &format!("{spath}.container"));
                if c.is_none() {
                    read::missing(cx, s_key, &format!("{spath}.container"), "");
                }
                MetricSource::ContainerResource {
                    container: c.map(|c| c.value).unwrap_or_default(),
                }
            };
            (name?, source)
        }
        _ => {
            let mpath = format!("{spath}.metric");
            let name = read::mapping(cx, s, "metric", &mpath)
                .and_then(|mm| read::string(cx, mm, "name", &format!("{mpath}.name")));
            if name.is_none() {
                read::missing(cx, s_key, &format!("{mpath}.name"), "");
            }
            let source = match ty {
                "Pods" => MetricSource::Pods,
                "External" => MetricSource::External,
                _ => {
                    let d = s.get("describedObject");
                    if d.is_none() {
                        read::missing(cx, s_key, &format!("{spath}.describedObject"), "");
                    }
                    MetricSource::Object {
                        described: d.map(|d| {
                            format!(
                                "{}/{}",
                                d.get("kind").and_then(Node::as_str).unwrap_or("?"),
                                d.get("name").and_then(Node::as_str).unwrap_or("?")
                            )
                        }),
                    }
                }
            };
            (name?, source)
        }
    };
    let tpath = format!("{spath}.target");
    let Some(t) = read::mapping(cx, s, "target", &tpath) else {
        if read::entry(s, "target").is_none() {
            read::missing(cx, s_key, &tpath, "");
        }
        return None;
    };
    let Some(tt) = read::string(cx, t, "type", &format!("{tpath}.type")) else {
        read::missing(
            cx,
            t.span,
            &format!("{tpath}.type"),
            " (Utilization, Value or AverageValue)",
        );
        return None;
    };
    let allowed: &[&str] = match ty {
        "Resource" | "ContainerResource" => &["Utilization", "AverageValue"],
        "Pods" => &["AverageValue"],
        _ => &["Value", "AverageValue"],
    };
    let all = ["Utilization", "Value", "AverageValue"];
    let tt_str = read::one_of(
        cx,
        &tt,
        &all,
        &format!("{tpath}.type"),
        Code::UnknownTargetType,
    )?;
    if !allowed.contains(&tt_str) {
        let mut d = Diagnostic::error(
            Code::UnknownTargetType,
            format!(
                "a {ty} metric takes target type {}, not {tt_str}",
                allowed.join(" or ")
            ),
        )
        .at(tt.span);
        if let [only] = allowed {
            d = d.with_fix(format!("use {only}"), tt.span, *only);
        }
        cx.push(d);
        return None;
    }
    let (target_type, value) = match tt_str {
        "Utilization" => {
            let Some(u) = utilization(
                cx,
                t,
                "averageUtilization",
                &format!("{tpath}.averageUtilization"),
            ) else {
                if read::entry(t, "averageUtilization").is_none() {
                    read::missing(
                        cx,
                        tt.span,
                        &format!("{tpath}.averageUtilization"),
                        " for type Utilization",
                    );
                }
                return None;
            };
            (TargetType::Utilization, u)
        }
        "Value" => (
            TargetType::Value,
            quantity_target(cx, t, "value", &format!("{tpath}.value"), tt.span)?,
        ),
        _ => (
            TargetType::AverageValue,
            quantity_target(
                cx,
                t,
                "averageValue",
                &format!("{tpath}.averageValue"),
                tt.span,
            )?,
        ),
    };
    finish_metric(cx, name, source, target_type, value, m.span)
}

fn finish_metric(
    cx: &mut Cx,
    name: Spanned<String>,
    source: MetricSource,
    target_type: TargetType,
    value: Param<f64>,
    span: Span,
) -> Option<Metric> {
    let bound = match source {
        MetricSource::Resource | MetricSource::ContainerResource { .. } => None,
        _ => crate::metrics::bound(&name.value),
    };
    if !matches!(
        source,
        MetricSource::Resource | MetricSource::ContainerResource { .. }
    ) && target_type == TargetType::AverageValue
    {
        check_metric_unit(cx, &name, value.value, value.span());
    }
    Some(Metric {
        name,
        source,
        target: MetricTarget { target_type, value },
        bound,
        activation_threshold: None,
        span,
    })
}

/// `averageUtilization` (int32 percent, ≥ 1).
fn utilization(cx: &mut Cx, t: &Node, key: &str, path: &str) -> Option<Param<f64>> {
    let u = read::int_typed(cx, t, key, path, 1, i64::from(i32::MAX))?;
    if u.value < 1 {
        cx.error(
            Code::InvalidTarget,
            u.span,
            format!(
                "`{path}` must be ≥ 1 (percent of the request), found {}",
                u.value
            ),
        );
        return None;
    }
    Some(Param::yaml(u.value as f64, u.span))
}

/// A Quantity target (`value` / `averageValue`), read as `MilliValue()/1000` like the
/// controller; must be > 0.
fn quantity_target(
    cx: &mut Cx,
    t: &Node,
    key: &str,
    path: &str,
    type_span: Span,
) -> Option<Param<f64>> {
    let Some(q) = read::quantity(cx, t, key, path) else {
        if read::entry(t, key).is_none() {
            read::missing(cx, type_span, path, "");
        }
        return None;
    };
    // As written (a quantity's plain decimal form of `-1e400` would be 401 characters).
    let found = read::entry(t, key)
        .and_then(|(_, v)| v.as_scalar())
        .unwrap_or("")
        .trim();
    if q.value.signum() <= 0 {
        cx.error(
            Code::InvalidTarget,
            q.span,
            format!("`{path}` must be > 0, found {}", crate::text::quote(found)),
        );
        return None;
    }
    if !q.value.milli_value_fits() {
        read::milli_out_of_range(cx, q.span, path, found);
        return None;
    }
    Some(Param::yaml(q.value.milli_value() as f64 / 1000.0, q.span))
}

/// Read an `autoscaling/v2beta1` `MetricSpec` (targetAverageUtilization / targetAverageValue /
/// targetValue fields).
fn read_metric_v2beta1(cx: &mut Cx, m: &Node, path: &str) -> Option<Metric> {
    let (ty, s) = metric_type(cx, m, path)?;
    let spath = format!("{path}.{}", source_key(ty));
    let s_key = read::key_span(m, source_key(ty), m.span);
    let req_name = |cx: &mut Cx, key: &str| {
        let n = read::string(cx, s, key, &format!("{spath}.{key}"));
        if n.is_none() {
            read::missing(cx, s_key, &format!("{spath}.{key}"), "");
        }
        n
    };
    match ty {
        "Resource" | "ContainerResource" => {
            let name = req_name(cx, "name");
            let source = if ty == "Resource" {
                MetricSource::Resource
            } else {
                MetricSource::ContainerResource {
                    container: req_name(cx, "container")
                        .map(|c| c.value)
                        .unwrap_or_default(),
                }
            };
            let has_u = read::entry(s, "targetAverageUtilization").is_some();
            let has_v = read::entry(s, "targetAverageValue").is_some();
            if has_u && has_v {
                cx.error(
                    Code::InvalidTarget,
                    s.span,
                    format!("`{spath}` may set targetAverageUtilization or targetAverageValue, not both"),
                );
            }
            let (tt, v) = if has_u {
                (
                    TargetType::Utilization,
                    utilization(
                        cx,
                        s,
                        "targetAverageUtilization",
                        &format!("{spath}.targetAverageUtilization"),
                    )?,
                )
            } else if has_v {
                (
                    TargetType::AverageValue,
                    quantity_target(
                        cx,
                        s,
                        "targetAverageValue",
                        &format!("{spath}.targetAverageValue"),
                        s.span,
                    )?,
                )
            } else {
                read::missing(
                    cx,
                    s.span,
                    &format!("{spath}.targetAverageUtilization"),
                    " (or targetAverageValue)",
                );
                return None;
            };
            finish_metric(cx, name?, source, tt, v, m.span)
        }
        "Pods" => {
            let name = req_name(cx, "metricName");
            let v = quantity_target(
                cx,
                s,
                "targetAverageValue",
                &format!("{spath}.targetAverageValue"),
                s.span,
            )?;
            finish_metric(
                cx,
                name?,
                MetricSource::Pods,
                TargetType::AverageValue,
                v,
                m.span,
            )
        }
        "Object" => {
            let name = req_name(cx, "metricName");
            let described = s.get("target").map(|d| {
                format!(
                    "{}/{}",
                    d.get("kind").and_then(Node::as_str).unwrap_or("?"),
                    d.get("name").and_then(Node::as_str).unwrap_or("?")
                )
            });
            let (tt, v) = if read::entry(s, "averageValue").is_some() {
                (
                    TargetType::AverageValue,
                    quantity_target(
                        cx,
                        s,
                        "averageValue",
                        &format!("{spath}.averageValue"),
                        s.span,
                    )?,
                )
            } else {
                (
                    TargetType::Value,
                    quantity_target(
                        cx,
                        s,
                        "targetValue",
                        &format!("{spath}.targetValue"),
                        s.span,
                    )?,
                )
            };
            finish_metric(cx, name?, MetricSource::Object { described }, tt, v, m.span)
        }
        _ => {
            let name = req_name(cx, "metricName");
            let (tt, v) = if read::entry(s, "targetAverageValue").is_some() {
                (
                    TargetType::AverageValue,
                    quantity_target(
                        cx,
                        s,
                        "targetAverageValue",
                        &format!("{spath}.targetAverageValue"),
                        s.span,
                    )?,
                )
            } else {
                (
                    TargetType::Value,
                    quantity_target(
                        cx,
                        s,
                        "targetValue",
                        &format!("{spath}.targetValue"),
                        s.span,
                    )?,
                )
            };
            finish_metric(cx, name?, MetricSource::External, tt, v, m.span)
        }
    }
}

rule_doc! {
    /// An apiVersion that Kubernetes no longer serves.
    ///
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
    pub(crate) const REMOVED_API_VERSION;
}

rule_doc! {
    /// A scaling policy type the HPA does not know.
    ///
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
    pub(crate) const UNKNOWN_POLICY_TYPE;
}
