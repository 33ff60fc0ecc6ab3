//! Kubernetes `HorizontalPodAutoscaler`: `autoscaling/v2`, `autoscaling/v1`, and the removed
//! `autoscaling/v2beta2` (1.26) and `v2beta1` (1.25), as of Kubernetes v1.34.
//!
//! Upstream: `staging/src/k8s.io/api/autoscaling/{v1,v2,v2beta1,v2beta2}/types.go` (fields),
//! `pkg/apis/autoscaling/v2/defaults.go` (behavior defaults), `pkg/apis/autoscaling/v1/defaults.go`
//! (CPU 80 %), `pkg/apis/autoscaling/validation/validation.go` (checks mirrored as diagnostics),
//! `pkg/controller/podautoscaler/config/v1alpha1/defaults.go` (controller flags).

use crate::codes::rule_doc;
use crate::codes::Code;
use crate::config::cursor::Cursor;
use crate::config::label_selector;
use crate::config::read::{self, Cx};
use crate::config::{check_metric_unit, check_min_max, unknown_kind, unknown_version, Doc};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::knobs::hpa as knob;
use crate::model::{
    Algorithm, Autoscaler, Family, HpaParams, Metric, MetricSource, MetricTarget, Policy,
    PolicyType, SelectPolicy, TargetRef, TargetType, SECOND,
};
use crate::span::{Param, Span, Spanned};
use crate::yaml::Node;

use crate::config::feature_gates::FeatureGates;
use crate::upstream::kubernetes as k8s;
use crate::upstream::kubernetes_conversion as conv;

/// The Kubernetes API's `int32` bound ([`read::INT32_API`]).
const I32_MAX: i64 = i32::MAX as i64;

/// The kube-controller-manager's HPA settings with their defaults; `behavior: None`.
pub fn default_params() -> HpaParams {
    k8s::hpa_params()
}

/// Read `behavior` under `parent` (HPA `spec`, KEDA `advanced.horizontalPodAutoscalerConfig`)
/// into `params`: each direction is defaulted field by field, a `policies` list replaces the
/// default list as a whole, and `tolerance` sets that direction's tolerance.
pub fn read_behavior(cx: &mut Cx, parent: &Cursor, params: &mut HpaParams) {
    if let Some(b) = parent.field(cx, "behavior") {
        read_behavior_node(cx, &b, params);
    }
}

/// Read a `behavior` mapping `b` (a field, or `autoscaling/v1`'s behavior annotation) into
/// `params`, as [`read_behavior`] does.
pub(crate) fn read_behavior_node(cx: &mut Cx, b: &Cursor, params: &mut HpaParams) {
    b.unknown_keys(cx, &["scaleUp", "scaleDown"]);
    // One direction's fields, named by the knob table (the same under scaleUp and scaleDown).
    let window_key = knob::SCALE_UP_STABILIZATION.place.key();
    let select_key = knob::SCALE_UP_SELECT_POLICY.place.key();
    let policies_key = knob::SCALE_UP_POLICIES.key();
    let tolerance_key = knob::SCALE_UP_TOLERANCE.place.key();
    let mut behavior = k8s::behavior(params.downscale_stabilization);
    for (key, up) in [("scaleUp", true), ("scaleDown", false)] {
        let Some(r) = b.field(cx, key) else {
            continue;
        };
        r.unknown_keys(cx, &[window_key, select_key, policies_key, tolerance_key]);
        let rules = if up {
            &mut behavior.scale_up
        } else {
            &mut behavior.scale_down
        };
        if let Some(w) = r.seconds_in(cx, window_key, 0, 3600) {
            rules.stabilization_window = w;
        }
        let select = r.one_of(
            cx,
            select_key,
            &["Max", "Min", "Disabled"],
            Code::UnknownPolicyType,
        );
        if let Some(p) = select {
            let policy = match p.value {
                "Min" => SelectPolicy::Min,
                "Disabled" => SelectPolicy::Disabled,
                _ => SelectPolicy::Max,
            };
            rules.select_policy = Param::yaml(policy, p.span);
        }
        if let Some((k, list_node)) = r.entry(policies_key) {
            match r.sequence(cx, policies_key) {
                Some(list) if list.is_empty() => cx.push(
                    Diagnostic::error(
                        Code::MissingField,
                        format!("`{}` must not be empty when given (validation.go); remove it to use the defaults", r.at(policies_key)),
                    )
                    .at(list_node.span),
                ),
                Some(list) => {
                    let policies: Vec<Policy> =
                        list.iter().filter_map(|p| read_policy(cx, p)).collect();
                    // All entries invalid (each reported): keep the defaults so the replay
                    // still has a rate limit; the errors say the object is rejected.
                    if !policies.is_empty() {
                        rules.policies = policies;
                        rules.policies_span = Some(k.span.to(list_node.span));
                    }
                }
                None => {}
            }
        }
        if let Some(t) = r.quantity(cx, tolerance_key) {
            if t.value.signum() < 0 {
                let path = r.at(tolerance_key);
                cx.error(
                    Code::OutOfRange,
                    t.span,
                    format!("`{path}` must not be negative"),
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

fn read_policy(cx: &mut Cx, p: &Cursor) -> Option<Policy> {
    if !p.expect_mapping(cx, " with type, value and periodSeconds") {
        return None;
    }
    p.unknown_keys(cx, &["type", "value", "periodSeconds"]);
    let at = p.node.span;
    let ty = match p.string(cx, "type") {
        Some(t) => read::one_of(
            cx,
            &t,
            &["Pods", "Percent"],
            &p.at("type"),
            Code::UnknownPolicyType,
        ),
        None => {
            p.missing(cx, at, "type", " (Pods or Percent)");
            None
        }
    };
    let value = p.required_u32(cx, "value", (1, I32_MAX), at, "");
    let period = p.required_u32(cx, "periodSeconds", (1, 1800), at, " (1 to 1800)");
    Some(Policy {
        policy_type: if ty? == "Pods" {
            PolicyType::Pods
        } else {
            PolicyType::Percent
        },
        value: value?.value,
        period: u64::from(period?.value) * SECOND,
        span: Some(at),
    })
}

/// `scaleTargetRef` under `spec` at `path` (AIBrix's reader): see [`target_ref`].
pub fn read_target_ref(cx: &mut Cx, spec: &Node, spec_key: Span, path: &str) -> Option<TargetRef> {
    target_ref(cx, &Cursor::new(spec, path), spec_key)
}

/// `scaleTargetRef` (HPA, KEDA, AIBrix): `name` required.
pub fn target_ref(cx: &mut Cx, spec: &Cursor, spec_key: Span) -> Option<TargetRef> {
    let t = spec.required(
        cx,
        "scaleTargetRef",
        spec_key,
        " (the workload it scales; a kustomize patch leaves it to its base: check what `kustomize build` renders)",
    )?;
    let name = t.string(cx, "name");
    if name.is_none() && !t.has("name") {
        t.missing(cx, spec.key_span("scaleTargetRef", spec_key), "name", "");
    }
    Some(TargetRef {
        api_version: t.string(cx, "apiVersion").map(|s| s.value),
        kind: t.string(cx, "kind").map(|s| s.value),
        name: name?,
    })
}

/// Read one HorizontalPodAutoscaler document.
pub fn read(cx: &mut Cx, doc: &Doc) -> Option<Autoscaler> {
    if doc.kind.value != "HorizontalPodAutoscaler" {
        unknown_kind(cx, doc, &["HorizontalPodAutoscaler"]);
        return None;
    }
    let version = doc.version();
    match version {
        "v1" | "v2" => {}
        "v2beta1" | "v2beta2" => removed_version(cx, doc, version),
        _ => {
            unknown_version(cx, doc, &["autoscaling/v2", "autoscaling/v1"]);
            return None;
        }
    }
    let spec_key = doc.key_span("spec");
    let spec = Cursor::root(doc.root).required(cx, "spec", doc.kind.span, "")?;
    let common = [
        "scaleTargetRef",
        knob::MIN_REPLICAS.place.key(),
        knob::MAX_REPLICAS.place.key(),
    ];
    let known: Vec<&str> = match version {
        "v1" => [&common[..], &["targetCPUUtilizationPercentage"]].concat(),
        "v2beta1" => [&common[..], &["metrics"]].concat(),
        _ => [&common[..], &["metrics", "behavior"]].concat(),
    };
    spec.unknown_keys(cx, &known);

    let target = target_ref(cx, &spec, spec_key);
    let (min, max) = read::bounds(cx, spec.node, spec_key, &k8s::V2_DEFAULTS);
    let mut params = default_params();
    let mut metrics = Vec::new();
    if version == "v1" {
        // Annotation metrics first, then the CPU field's metric; neither: CPU at 80 %.
        let annotations = super::hpa_v1::read(cx, doc.root, &mut params);
        metrics.extend(annotations.metrics.unwrap_or_default());
        if let Some(s) = spec.u32_in(cx, "targetCPUUtilizationPercentage", 1, I32_MAX) {
            metrics.push(cpu_metric(Param::yaml(f64::from(s.value), s.span), s.span));
        }
        if metrics.is_empty() {
            let cpu = crate::upstream::kubernetes_conversion::V1_DEFAULT_CPU_UTILIZATION;
            metrics.push(cpu_metric(cpu.param(), doc.kind.span));
        }
    } else {
        for m in spec.sequence(cx, "metrics").unwrap_or_default() {
            metrics.extend(if version == "v2beta1" {
                read_metric_v2beta1(cx, &m)
            } else {
                read_metric_v2(cx, &m)
            });
        }
        let written = spec.node.get("metrics");
        let none =
            written.is_none_or(|m| m.is_null() || m.as_sequence().is_some_and(<[_]>::is_empty));
        if none {
            // SetDefaults_HorizontalPodAutoscaler: `len(obj.Spec.Metrics) == 0` ⇒ CPU
            // Utilization 80, for an absent, null or empty (`metrics: []`) list alike.
            metrics.push(cpu_metric(k8s::V2_CPU_UTILIZATION.param(), doc.kind.span));
        }
        if version != "v2beta1" {
            read_behavior(cx, &spec, &mut params);
        }
    }
    check_min_zero(cx, &min, &metrics);
    check_min_max(cx, &min, &max, "HorizontalPodAutoscaler");
    let mut a = doc.autoscaler(Family::Hpa, min, max, Algorithm::Hpa(params));
    a.target = target;
    a.metrics = metrics;
    Some(a)
}

/// `autoscaling/v2beta1` and `v2beta2`: removed, read as `autoscaling/v2` with a warning. The
/// fix writes `autoscaling/v2`, and for v2beta1 each metric in the v2 shape
/// ([`super::hpa_migrate`]), so the fixed object is valid v2.
fn removed_version(cx: &mut Cx, doc: &Doc, version: &str) {
    let (removed, differs) = if version == "v2beta1" {
        ("1.25", " (the metric fields differ: see the v2 API)")
    } else {
        ("1.26", "")
    };
    let at = doc.api_version.span;
    let api_version = Edit {
        span: at,
        replacement: "autoscaling/v2".into(),
    };
    let metrics = doc
        .root
        .path(&["spec", "metrics"])
        .and_then(Node::as_sequence)
        .unwrap_or_default();
    let (description, edits) = if version != "v2beta1" {
        ("use autoscaling/v2", vec![api_version])
    } else {
        match super::hpa_migrate::v2beta1_metric_edits(metrics) {
            Some(mut e) if !e.is_empty() => {
                e.insert(0, api_version);
                ("use autoscaling/v2 and its metric fields (`target: {type, ...}`, `metric: {name, selector}`)", e)
            }
            Some(_) => ("use autoscaling/v2", vec![api_version]),
            None => ("use autoscaling/v2 (then move each metric to the v2 fields: a metric here could not be read)", vec![api_version]),
        }
    };
    let mut d = Diagnostic::warning(
        Code::RemovedApiVersion,
        format!(
            "`autoscaling/{version}` was removed in Kubernetes {removed}: current clusters reject it; read as autoscaling/v2{differs}"
        ),
    )
    .at(at);
    d.fixes.push(Fix {
        description: description.into(),
        applicability: Applicability::NeedsReview,
        edits,
    });
    cx.push(d);
}

/// Apply the feature gates the user says the cluster sets to a read HPA (or KEDA's HPA):
/// with `HPAConfigurableTolerance` off (v1.34's default), the API server drops
/// `behavior.*.tolerance` on write (`dropDisabledFields`), so the controller uses its flag's
/// tolerance; each written tolerance gets a `feature-gate-off` note at the field and the
/// replay uses the default.
pub(crate) fn apply_feature_gates(cx: &mut Cx, a: &mut Autoscaler, gates: &FeatureGates) {
    let params = match &mut a.algorithm {
        Algorithm::Hpa(p) => p,
        Algorithm::Keda(k) => &mut k.hpa,
        _ => return,
    };
    if gates.hpa_configurable_tolerance {
        return;
    }
    for (direction, t) in [
        ("scaleUp", &mut params.tolerance_up),
        ("scaleDown", &mut params.tolerance_down),
    ] {
        let Some(span) = t.span() else { continue };
        cx.push(
            Diagnostic::note(
                Code::FeatureGateOff,
                format!(
                    "`behavior.{direction}.tolerance` needs the {gate} feature gate (alpha in Kubernetes 1.33 and 1.34, off by default): the API server drops the field on write, so the replay uses the controller's tolerance {}",
                    crate::display::Num(k8s::TOLERANCE.value),
                    gate = conv::CONFIGURABLE_TOLERANCE_GATE,
                ),
            )
            .at(span)
            .with_help(format!(
                "if the cluster enables it (kube-apiserver and kube-controller-manager `--feature-gates {gate}=true`; on by default from 1.35), replay with `--feature-gates {gate}=true`",
                gate = conv::CONFIGURABLE_TOLERANCE_GATE,
            )),
        );
        *t = k8s::TOLERANCE.param();
    }
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
        selector: Vec::new(),
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

/// A metric's `type` and its source mapping (`resource:` for `type: Resource`, ...), with the
/// span of the source's key.
fn metric_type<'n>(cx: &mut Cx, m: &Cursor<'n>) -> Option<(&'static str, Cursor<'n>, Span)> {
    if !m.expect_mapping(cx, "") {
        return None;
    }
    let Some(ty) = m.string(cx, "type") else {
        m.missing(
            cx,
            m.node.span,
            "type",
            " (Resource, Pods, Object, External or ContainerResource)",
        );
        return None;
    };
    let ty = read::one_of(cx, &ty, V2_TYPES, &m.at("type"), Code::UnknownMetricSource)?;
    let key = source_key(ty);
    let s = m.required(cx, key, m.node.span, &format!(" for type {ty}"))?;
    Some((ty, s, m.key_span(key, m.node.span)))
}

/// The string under `key`, reported missing at `at` when it cannot be read.
fn named(cx: &mut Cx, s: &Cursor, key: &str, at: Span, hint: &str) -> Option<Spanned<String>> {
    let name = s.string(cx, key);
    if name.is_none() {
        s.missing(cx, at, key, hint);
    }
    name
}

/// `kind/name` of an Object metric's described object, as written.
fn described(node: Option<&Node>) -> Option<String> {
    node.map(|d| {
        format!(
            "{}/{}",
            d.get("kind").and_then(Node::as_str).unwrap_or("?"),
            d.get("name").and_then(Node::as_str).unwrap_or("?")
        )
    })
}

/// Read an `autoscaling/v2` (or v2beta2) `MetricSpec`.
fn read_metric_v2(cx: &mut Cx, m: &Cursor) -> Option<Metric> {
    let (ty, s, s_key) = metric_type(cx, m)?;
    let mut selector = Vec::new();
    let (name, source) = match ty {
        "Resource" => (
            named(cx, &s, "name", s_key, " (cpu or memory)"),
            MetricSource::Resource,
        ),
        "ContainerResource" => {
            let name = named(cx, &s, "name", s_key, " (cpu or memory)");
            let container = named(cx, &s, "container", s_key, "");
            let container = container.map(|c| c.value).unwrap_or_default();
            (name, MetricSource::ContainerResource { container })
        }
        _ => {
            let metric = s.field(cx, "metric");
            let name = metric.as_ref().and_then(|mm| mm.string(cx, "name"));
            if name.is_none() {
                s.missing(cx, s_key, "metric.name", "");
            }
            // `metric.selector` (MetricIdentifier): the series of the metric read.
            if let Some(sel) = metric.as_ref().and_then(|mm| mm.field(cx, "selector")) {
                selector = label_selector::read(cx, &sel);
            }
            let source = match ty {
                "Pods" => MetricSource::Pods,
                "External" => MetricSource::External,
                _ => {
                    let d = s.node.get("describedObject");
                    if d.is_none() {
                        s.missing(cx, s_key, "describedObject", "");
                    }
                    MetricSource::Object {
                        described: described(d),
                    }
                }
            };
            (name, source)
        }
    };
    let name = name?;
    let t = s.required(cx, "target", s_key, "")?;
    let Some(tt) = t.string(cx, "type") else {
        t.missing(
            cx,
            t.node.span,
            "type",
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
    let tt_str = read::one_of(cx, &tt, &all, &t.at("type"), Code::UnknownTargetType)?;
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
            let u = utilization(cx, &t, "averageUtilization");
            if u.is_none() && !t.has("averageUtilization") {
                t.missing(cx, tt.span, "averageUtilization", " for type Utilization");
            }
            (TargetType::Utilization, u?)
        }
        "Value" => (
            TargetType::Value,
            quantity_target(cx, &t, "value", tt.span)?,
        ),
        _ => (
            TargetType::AverageValue,
            quantity_target(cx, &t, "averageValue", tt.span)?,
        ),
    };
    let mut metric = finish_metric(cx, name, source, target_type, value, m.node.span)?;
    metric.selector = selector;
    Some(metric)
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
        selector: Vec::new(),
        span,
    })
}

/// `averageUtilization` (int32 percent, ≥ 1).
fn utilization(cx: &mut Cx, t: &Cursor, key: &str) -> Option<Param<f64>> {
    let u = t.int_typed(cx, key, 1, I32_MAX)?;
    if u.value < 1 {
        cx.error(
            Code::InvalidTarget,
            u.span,
            format!(
                "`{}` must be ≥ 1 (percent of the request), found {}",
                t.at(key),
                u.value
            ),
        );
        return None;
    }
    Some(Param::yaml(u.value as f64, u.span))
}

/// A Quantity target (`value` / `averageValue`), read as `MilliValue()/1000` like the
/// controller; must be > 0. Missing: an error at `type_span`.
fn quantity_target(cx: &mut Cx, t: &Cursor, key: &str, type_span: Span) -> Option<Param<f64>> {
    let path = t.at(key);
    let Some(q) = t.quantity(cx, key) else {
        if !t.has(key) {
            read::missing(cx, type_span, &path, "");
        }
        return None;
    };
    // As written (a quantity's plain decimal form of `-1e400` would be 401 characters).
    let found = t
        .entry(key)
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
        read::milli_out_of_range(cx, q.span, &path, found);
        return None;
    }
    Some(Param::yaml(q.value.milli_value() as f64 / 1000.0, q.span))
}

/// A v2beta1 quantity target: `key` (an average) when written, else `targetValue`.
fn average_or_value(cx: &mut Cx, s: &Cursor, key: &str) -> Option<(TargetType, Param<f64>)> {
    if s.has(key) {
        let v = quantity_target(cx, s, key, s.node.span)?;
        Some((TargetType::AverageValue, v))
    } else {
        let v = quantity_target(cx, s, "targetValue", s.node.span)?;
        Some((TargetType::Value, v))
    }
}

/// Read an `autoscaling/v2beta1` `MetricSpec` (targetAverageUtilization / targetAverageValue /
/// targetValue fields).
pub(crate) fn read_metric_v2beta1(cx: &mut Cx, m: &Cursor) -> Option<Metric> {
    let (ty, s, s_key) = metric_type(cx, m)?;
    let at = s.node.span;
    let (name, source, (tt, v)) = match ty {
        "Resource" | "ContainerResource" => {
            let name = named(cx, &s, "name", s_key, "");
            let source = if ty == "Resource" {
                MetricSource::Resource
            } else {
                let container = named(cx, &s, "container", s_key, "");
                MetricSource::ContainerResource {
                    container: container.map(|c| c.value).unwrap_or_default(),
                }
            };
            let has_u = s.has("targetAverageUtilization");
            let has_v = s.has("targetAverageValue");
            if has_u && has_v {
                cx.error(
                    Code::InvalidTarget,
                    at,
                    format!(
                        "`{}` may set targetAverageUtilization or targetAverageValue, not both",
                        s.path
                    ),
                );
            }
            let target = if has_u {
                let u = utilization(cx, &s, "targetAverageUtilization")?;
                (TargetType::Utilization, u)
            } else if has_v {
                let v = quantity_target(cx, &s, "targetAverageValue", at)?;
                (TargetType::AverageValue, v)
            } else {
                s.missing(
                    cx,
                    at,
                    "targetAverageUtilization",
                    " (or targetAverageValue)",
                );
                return None;
            };
            (name, source, target)
        }
        "Pods" => {
            let name = named(cx, &s, "metricName", s_key, "");
            let v = quantity_target(cx, &s, "targetAverageValue", at)?;
            (name, MetricSource::Pods, (TargetType::AverageValue, v))
        }
        "Object" => {
            let name = named(cx, &s, "metricName", s_key, "");
            let described = described(s.node.get("target"));
            let target = average_or_value(cx, &s, "averageValue")?;
            (name, MetricSource::Object { described }, target)
        }
        _ => {
            let name = named(cx, &s, "metricName", s_key, "");
            let target = average_or_value(cx, &s, "targetAverageValue")?;
            (name, MetricSource::External, target)
        }
    };
    // v2beta1 names the selector `selector` (Pods, Object) or `metricSelector` (External).
    let key = if ty == "External" {
        "metricSelector"
    } else {
        "selector"
    };
    let selector = match ty {
        "Pods" | "Object" | "External" => s
            .field(cx, key)
            .map(|sel| label_selector::read(cx, &sel))
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let mut metric = finish_metric(cx, name?, source, tt, v, m.node.span)?;
    metric.selector = selector;
    Some(metric)
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
    /// Move to `autoscaling/v2`. For v2beta2 only `apiVersion` changes; v2beta1's metric fields
    /// changed too, and the fix rewrites each metric as the API server converts it:
    /// `targetAverageUtilization: N` → `target: {type: Utilization, averageUtilization: N}`,
    /// `targetAverageValue` → `target: {type: AverageValue, averageValue}`, `targetValue` →
    /// `target: {type: Value, value}`, `metricName` / `selector` / `metricSelector` →
    /// `metric: {name, selector}`, an Object metric's `target` → `describedObject`.
    ///
    /// # References
    /// - Kubernetes docs, "Deprecated API Migration Guide" (v1.25, v1.26 removals).
    /// - kubernetes/kubernetes v1.34 `pkg/apis/autoscaling/v2beta1/conversion.go` (the field
    ///   mapping the fix writes).
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

rule_doc! {
    /// A field the replayed Kubernetes release drops because its feature gate is off.
    ///
    /// # What it does
    /// Notes `behavior.scaleUp.tolerance` / `behavior.scaleDown.tolerance` (an HPA's, or a KEDA
    /// ScaledObject's `advanced.horizontalPodAutoscalerConfig.behavior`) when the
    /// `HPAConfigurableTolerance` gate is off, Kubernetes 1.33 and 1.34's default, and replays
    /// the controller's `--horizontal-pod-autoscaler-tolerance` (0.1) instead.
    ///
    /// # Why is this bad
    /// With the gate off, the API server removes the field when the object is written (unless
    /// the stored object already had one), so the tolerance you wrote never reaches the
    /// controller: the HPA holds or moves on a 10 % band, not yours.
    ///
    /// # Example
    /// ```text
    /// behavior:
    ///   scaleUp:
    ///     tolerance: 0.02
    /// ```
    ///
    /// # Fix
    /// Enable the gate on kube-apiserver and kube-controller-manager
    /// (`--feature-gates HPAConfigurableTolerance=true`; beta and on by default from 1.35) and
    /// replay with `--feature-gates HPAConfigurableTolerance=true`, or drop the field.
    ///
    /// # References
    /// - kubernetes/enhancements KEP-4951 `keps/sig-autoscaling/4951-configurable-hpa-tolerance/kep.yaml`
    ///   (alpha 1.33, beta 1.35).
    /// - kubernetes/kubernetes v1.34 `pkg/features/kube_features.go` (`HPAConfigurableTolerance`),
    ///   `pkg/registry/autoscaling/horizontalpodautoscaler/strategy.go` (`dropDisabledFields`).
    pub(crate) const FEATURE_GATE_OFF;
}
