//! KServe `InferenceService` (`serving.kserve.io/v1beta1`) and `LLMInferenceService`
//! (`v1alpha1`, `v1alpha2`), as of KServe v0.20.0: each is replayed as the autoscaler KServe
//! creates from it, through that autoscaler's family ([`crate::upstream::kserve`] cites each
//! rule; docs/research/kserve-hpa.md, C, has the detail).
//!
//! - `InferenceService`: each component (`predictor`, `transformer`, `explainer`) gets its own
//!   autoscaler. The deployment mode (`status.deploymentMode`, else the
//!   `serving.kserve.io/deploymentMode` annotation, else [`ParseOptions::kserve_mode`], else the
//!   shipped `inferenceservice-config` default, Knative, with a `kserve-assumed-mode` note)
//!   decides which:
//!   - Knative: the Knative Service KServe creates, with the annotations
//!     `SetAutoScalingAnnotations` writes (`class` kpa unless written, `target` ← `scaleTarget`,
//!     `metric` ← `scaleMetric`, `min-scale` ← `minReplicas` or 1, `max-scale` ← `maxReplicas`
//!     unless 0), read by [`knative::read_revision`]: the KPA, or the HPA of Knative's HPA class;
//!   - Standard, `serving.kserve.io/autoscalerClass` `hpa` (default): the HPA of `createHPA`;
//!     `keda`: the ScaledObject of `createKedaScaledObject`; `external` / `none`: no
//!     autoscaler (`kserve-not-autoscaled`);
//!   - ModelMesh: no per-InferenceService autoscaler.
//! - `LLMInferenceService`: each workload (main, `prefill`) with `scaling` gets the HPA
//!   (`scaling.wva.hpa`) or ScaledObject (`scaling.wva.keda`) that follows the Workload Variant
//!   Autoscaler's `wva_desired_replicas` (target 1); WVA's own computation is not replayed: the
//!   demand is that metric. `replicas` alone is not autoscaled.
//!
//! Diagnostics point at the KServe fields (`spec.predictor.scaleTarget`), not at the object
//! KServe creates.

use crate::codes::{rule_doc, Code};
use crate::config::cursor::Cursor;
use crate::config::knative::{self, Annotations, Written};
use crate::config::read::{self, Cx};
use crate::config::{check_min_max, hpa, unknown_kind, unknown_version, Doc, ParseOptions};
use crate::model::{
    Algorithm, Autoscaler, Family, KedaParams, KserveComponent, Metric, MetricSource, MetricTarget,
    TargetRef, TargetType, Via,
};
use crate::span::{Param, Span, Spanned};
use crate::upstream::keda as keda_up;
use crate::upstream::kserve::{self as up, DeploymentMode};
use crate::upstream::kubernetes as k8s;

/// The annotation that selects the deployment mode.
pub const DEPLOYMENT_MODE_KEY: &str = "serving.kserve.io/deploymentMode";
/// The annotation that selects the autoscaler in Standard mode.
pub const AUTOSCALER_CLASS_KEY: &str = "serving.kserve.io/autoscalerClass";
/// The `int32` bound of the API's replica fields.
const I32_MAX: i64 = i32::MAX as i64;

/// Read a `serving.kserve.io` document: every autoscaler it becomes, in input order.
pub fn read(
    cx: &mut Cx,
    doc: &Doc,
    options: &ParseOptions,
    kn_config: Option<&knative::Config>,
) -> Vec<Autoscaler> {
    match (doc.kind.value.as_str(), doc.version()) {
        ("InferenceService", "v1beta1") => inference_service(cx, doc, options, kn_config),
        ("InferenceService", _) => {
            unknown_version(cx, doc, &["serving.kserve.io/v1beta1"]);
            Vec::new()
        }
        ("LLMInferenceService", "v1alpha1" | "v1alpha2") => llm_inference_service(cx, doc),
        ("LLMInferenceService", _) => {
            unknown_version(
                cx,
                doc,
                &["serving.kserve.io/v1alpha2", "serving.kserve.io/v1alpha1"],
            );
            Vec::new()
        }
        (
            "ServingRuntime"
            | "ClusterServingRuntime"
            | "InferenceGraph"
            | "TrainedModel"
            | "ClusterStorageContainer"
            | "LLMInferenceServiceConfig"
            | "LocalModelCache",
            _,
        ) => {
            cx.note(
                Code::IgnoredDocument,
                doc.kind.span,
                format!(
                    "KServe {} `{}` is not an autoscaler: skipped",
                    doc.kind.value, doc.name.value
                ),
            );
            Vec::new()
        }
        _ => {
            unknown_kind(cx, doc, &["InferenceService", "LLMInferenceService"]);
            Vec::new()
        }
    }
}

/// The string annotations of `metadata.annotations` under `node`.
fn annotations(cx: &mut Cx, meta: Option<&crate::yaml::Node>, path: &'static str) -> Annotations {
    Annotations::of(
        meta.and_then(|m| read::mapping(cx, m, "annotations", path)),
        path,
    )
}

fn find<'a>(entries: &'a [Written], key: &str) -> Option<&'a Written> {
    entries.iter().rev().find(|w| w.key.value == key)
}

/// `GetDeploymentMode`: `status.deploymentMode`, else the annotation, else the option, else the
/// shipped default (noted).
fn deployment_mode(
    cx: &mut Cx,
    doc: &Doc,
    meta: &Annotations,
    options: &ParseOptions,
) -> DeploymentMode {
    let status = doc
        .root
        .get("status")
        .and_then(|s| s.get("deploymentMode"))
        .and_then(|m| m.as_str())
        .and_then(DeploymentMode::parse);
    if let Some(m) = status {
        return m;
    }
    if let Some(w) = find(&meta.entries, DEPLOYMENT_MODE_KEY) {
        let path = format!("metadata.annotations[{DEPLOYMENT_MODE_KEY}]");
        if let Some(word) = read::one_of(
            cx,
            &w.value,
            up::DEPLOYMENT_MODES,
            &path,
            Code::UnknownValue,
        ) {
            if let Some(m) = DeploymentMode::parse(word) {
                if matches!(word, "Serverless" | "RawDeployment") {
                    cx.note(
                        Code::DeprecatedValue,
                        w.value.span,
                        format!(
                            "`{word}` is the deprecated name of the `{}` deployment mode (KServe v0.16.0 renamed it)",
                            m.name()
                        ),
                    );
                }
                return m;
            }
        }
    }
    if let Some(m) = options.kserve_mode {
        return m;
    }
    let m = up::DEFAULT_DEPLOYMENT_MODE.value;
    cx.note(
        Code::KserveAssumedMode,
        doc.kind.span,
        format!(
            "no `{DEPLOYMENT_MODE_KEY}` annotation: assuming `{}`, the default of the shipped inferenceservice-config ({}); a cluster configured otherwise behaves differently (`--kserve-deployment-mode` chooses)",
            m.name(),
            up::DEFAULT_DEPLOYMENT_MODE.source
        ),
    );
    m
}

/// One `InferenceService` component and what it writes.
struct Component<'n> {
    cursor: Cursor<'n>,
    key_span: Span,
    min: Option<Param<u32>>,
    max: Option<Param<u32>>,
    scale_target: Option<Spanned<u32>>,
    scale_metric: Option<Spanned<&'static str>>,
}

const SCALE_METRICS: &[&str] = &["cpu", "memory", "concurrency", "rps"];

fn inference_service(
    cx: &mut Cx,
    doc: &Doc,
    options: &ParseOptions,
    kn_config: Option<&knative::Config>,
) -> Vec<Autoscaler> {
    let meta = annotations(cx, doc.root.get("metadata"), "metadata.annotations");
    legacy_annotations(cx, &meta.entries);
    let mode = deployment_mode(cx, doc, &meta, options);
    let Some(spec) = Cursor::root(doc.root).required(cx, "spec", doc.kind.span, "") else {
        return Vec::new();
    };
    if !spec.has("predictor") {
        spec.missing(cx, doc.key_span("spec"), "predictor", "");
    }
    let mut out = Vec::new();
    for which in [
        KserveComponent::Predictor,
        KserveComponent::Transformer,
        KserveComponent::Explainer,
    ] {
        let Some(cursor) = spec.field(cx, which.key()) else {
            continue;
        };
        let c = Component {
            key_span: spec.key_span(which.key(), doc.kind.span),
            min: cursor.count_in(cx, "minReplicas", 0, I32_MAX),
            max: cursor.count_in(cx, "maxReplicas", 0, I32_MAX),
            scale_target: cursor.u32_in(cx, "scaleTarget", 0, I32_MAX),
            scale_metric: cursor.one_of(cx, "scaleMetric", SCALE_METRICS, Code::UnknownValue),
            cursor,
        };
        if let Some((k, _)) = c.cursor.entry("scaleMetricType") {
            cx.warning(
                Code::UnsupportedFeature,
                k.span,
                format!(
                    "`{}` is not read by KServe {}: no controller uses it; the target type follows the metric",
                    c.cursor.at("scaleMetricType"),
                    up::TAG
                ),
            );
        }
        // The component's own annotations override the InferenceService's (`buildObjectMeta`).
        let own = annotations(cx, Some(c.cursor.node), "annotations");
        let path = format!("{}.annotations", c.cursor.path);
        let mut entries = meta.entries.clone();
        entries.extend(own.entries.into_iter().map(|mut w| {
            w.path = Some(format!("{path}[{}]", w.key.value));
            w
        }));
        let built = match mode {
            DeploymentMode::Knative => knative_mode(cx, doc, &c, entries, kn_config),
            DeploymentMode::Standard => standard_mode(cx, doc, &c, &entries),
            DeploymentMode::ModelMesh => {
                cx.warning(
                    Code::KserveNotAutoscaled,
                    c.key_span,
                    format!(
                        "`{}` in ModelMesh mode: KServe creates no autoscaler per InferenceService (ModelMesh scales its own runtime pods)",
                        c.cursor.path
                    ),
                );
                None
            }
        };
        if let Some(mut a) = built {
            a.name = format!("{}-{}", doc.name.value, which.key());
            a.kind = doc.kind.value.clone();
            a.api_version = doc.api_version.value.clone();
            a.span = c.cursor.node.span;
            a.name_span = c.key_span;
            a.target = Some(TargetRef {
                api_version: None,
                kind: None,
                name: Spanned::new(a.name.clone(), c.key_span),
            });
            let hpa_class = matches!(a.via, Some(Via::KnativeHpaClass));
            a.via = Some(Via::KserveInferenceService {
                component: which,
                knative_hpa_class: hpa_class,
            });
            out.push(a);
        }
    }
    crate::sort::by_key(&mut out, |a| a.span.start.offset);
    out
}

/// Knative mode: the annotations `SetAutoScalingAnnotations` writes, read as Knative reads them.
fn knative_mode(
    cx: &mut Cx,
    doc: &Doc,
    c: &Component,
    mut entries: Vec<Written>,
    kn_config: Option<&knative::Config>,
) -> Option<Autoscaler> {
    if let Some((k, _)) = c.cursor.entry("autoScaling") {
        cx.warning(
            Code::UnsupportedFeature,
            k.span,
            format!(
                "`{}` is ignored in the Knative deployment mode: KServe reads it only for the HPA and KEDA of the Standard mode",
                c.cursor.at("autoScaling")
            ),
        );
    }
    let class_key = knative::CLASS.key;
    let hpa_class = find(&entries, class_key)
        .is_some_and(|w| w.value.value == crate::upstream::knative::HPA_CLASS);
    // The webhook's checks (`validateScalingKPACompExtension` / `...HPACompExtension`).
    if let Some(m) = &c.scale_metric {
        let allowed: &[&str] = if hpa_class {
            &["cpu", "memory"]
        } else {
            &["concurrency", "rps"]
        };
        if !allowed.contains(&m.value) {
            cx.error(
                Code::InvalidValue,
                m.span,
                format!(
                    "`{}: {}` is rejected by the KServe webhook in the Knative mode with the {} class (allowed: {})",
                    c.cursor.at("scaleMetric"),
                    m.value,
                    if hpa_class { "HPA" } else { "KPA" },
                    allowed.join(", ")
                ),
            );
            return None;
        }
    }
    if let Some(t) = &c.scale_target {
        let metric = c.scale_metric.as_ref().map(|m| m.value);
        // Go's `metric == cpu && target < 1 || target > 100` (`validateScalingHPACompExtension`):
        // the `> 100` half applies to memory too.
        let bad = if hpa_class {
            (metric.unwrap_or("cpu") == "cpu" && t.value < 1)
                || t.value > 100
                || (metric == Some("memory") && t.value < 1)
        } else {
            metric == Some("rps") && t.value < 1
        };
        if bad {
            cx.error(
                Code::OutOfRange,
                t.span,
                format!(
                    "`{}: {}` is rejected by the KServe webhook: {}",
                    c.cursor.at("scaleTarget"),
                    t.value,
                    if hpa_class {
                        "with the HPA class the target must be in [1, 100]"
                    } else {
                        "an rps target must be ≥ 1"
                    }
                ),
            );
            return None;
        }
    }
    let synth = |key: &str, value: String, span: Span, path: String| Written {
        key: Spanned::new(key.to_string(), span),
        value: Spanned::new(value, span),
        path: Some(path),
    };
    let set = |entries: &mut Vec<Written>, w: Written| {
        entries.retain(|e| e.key.value != w.key.value);
        entries.push(w);
    };
    if let Some(t) = &c.scale_target {
        let key = knative::TARGET.key;
        set(
            &mut entries,
            synth(key, t.value.to_string(), t.span, c.cursor.at("scaleTarget")),
        );
    }
    if let Some(m) = &c.scale_metric {
        let key = knative::METRIC.key;
        set(
            &mut entries,
            synth(key, m.value.to_string(), m.span, c.cursor.at("scaleMetric")),
        );
    }
    let mut config = kn_config.cloned().unwrap_or_default();
    let min_key = knative::MIN_SCALE.key;
    match &c.min {
        Some(m) => {
            let at = m.span().unwrap_or(c.key_span);
            set(
                &mut entries,
                synth(min_key, m.value.to_string(), at, c.cursor.at("minReplicas")),
            );
        }
        None => {
            // KServe writes min-scale 1: the Knative Service never scales to zero.
            entries.retain(|e| e.key.value != min_key);
            config.min_scale = up::MIN_REPLICAS.param();
        }
    }
    if let Some(m) = c.max.as_ref().filter(|m| m.value != 0) {
        let at = m.span().unwrap_or(c.key_span);
        let key = knative::MAX_SCALE.key;
        set(
            &mut entries,
            synth(key, m.value.to_string(), at, c.cursor.at("maxReplicas")),
        );
    }
    let ann = Annotations {
        entries,
        span: Some(c.cursor.node.span),
        path: "metadata.annotations",
    };
    let cc = |cx: &mut Cx| c.cursor.count_in(cx, "containerConcurrency", 0, 1000);
    knative::read_revision(cx, doc, &ann, cc, Some(&config))
}

/// The autoscaler class of the Standard mode (`serving.kserve.io/autoscalerClass`).
fn autoscaler_class(cx: &mut Cx, entries: &[Written]) -> Option<(&'static str, bool)> {
    let Some(w) = find(entries, AUTOSCALER_CLASS_KEY) else {
        return Some((up::DEFAULT_AUTOSCALER_CLASS.value, false));
    };
    let path = w
        .path
        .clone()
        .unwrap_or_else(|| format!("metadata.annotations[{AUTOSCALER_CLASS_KEY}]"));
    let class = read::one_of(
        cx,
        &w.value,
        up::AUTOSCALER_CLASSES,
        &path,
        Code::UnknownValue,
    )?;
    Some((class, true))
}

/// Standard mode: the autoscaler class decides.
/// The annotations that chose the raw-deployment HPA's metric and target up to KServe v0.14
/// (`serving.kserve.io/metrics`, `serving.kserve.io/targetUtilizationPercentage`, read by
/// `hpa_reconciler.go` `getHPAMetrics`): kserve PR #4349 (v0.15.0) stopped reading them, so
/// the replayed release takes `scaleMetric` / `scaleTarget` or its defaults. Each one written
/// is a warning naming the field that replaces it.
fn legacy_annotations(cx: &mut Cx, entries: &[Written]) {
    for (key, field) in [
        ("serving.kserve.io/metrics", "scaleMetric"),
        (
            "serving.kserve.io/targetUtilizationPercentage",
            "scaleTarget",
        ),
    ] {
        if let Some(w) = find(entries, key) {
            cx.warning(
                Code::UnsupportedFeature,
                w.key.span,
                format!(
                    "`{key}` is not read by KServe {}: KServe read it up to v0.14 (kserve PR #4349 removed it in v0.15.0), so the replay uses the component's `{field}` or its default; write `spec.predictor.{field}: {}` instead",
                    up::TAG,
                    crate::text::quote(&w.value.value)
                ),
            );
        }
    }
}

fn standard_mode(cx: &mut Cx, doc: &Doc, c: &Component, entries: &[Written]) -> Option<Autoscaler> {
    let (class, explicit) = autoscaler_class(cx, entries)?;
    let at = find(entries, AUTOSCALER_CLASS_KEY).map_or(c.key_span, |w| w.value.span);
    match class {
        "keda" => keda(cx, doc, c),
        "external" | "none" => {
            let what = if class == "none" {
                let n = c.min.as_ref().map_or(up::MIN_REPLICAS.value, |m| m.value);
                format!("the Deployment runs minReplicas ({n}) replicas")
            } else {
                "bring your own autoscaler and replay that one".to_string()
            };
            cx.warning(
                Code::KserveNotAutoscaled,
                at,
                format!(
                    "`{}` with autoscalerClass `{class}`: KServe creates no autoscaler for it; {what}",
                    c.cursor.path
                ),
            );
            None
        }
        _ => hpa(cx, doc, c, explicit),
    }
}

/// `createHPA`: min ≥ 1, max ≥ min, metrics from `autoScaling` (Resource only) or from
/// `scaleMetric` / `scaleTarget`, and an empty `behavior` the API server defaults.
fn hpa(cx: &mut Cx, doc: &Doc, c: &Component, explicit: bool) -> Option<Autoscaler> {
    let min = match &c.min {
        Some(m) if m.value >= 1 => *m,
        Some(m) => {
            if let Some(at) = m.span() {
                cx.warning(
                    Code::KserveNotAutoscaled,
                    at,
                    format!(
                        "`{}: 0` is raised to 1 by the HPA KServe creates: no scale to zero with the hpa autoscaler class (the keda class keeps 0)",
                        c.cursor.at("minReplicas")
                    ),
                );
            }
            Param::default(up::MIN_REPLICAS.value, up::MIN_REPLICAS.source)
        }
        None => up::MIN_REPLICAS.param(),
    };
    let max = match &c.max {
        Some(m) if m.value >= min.value => *m,
        written => {
            let at = written.as_ref().and_then(Param::span).unwrap_or(c.key_span);
            cx.warning(
                Code::KserveNotAutoscaled,
                at,
                format!(
                    "`{}` is {}: KServe sets the HPA's maxReplicas to minReplicas ({}), so it never scales",
                    c.cursor.at("maxReplicas"),
                    match written {
                        Some(m) => format!("{}, below minReplicas", m.value),
                        None => "not written".to_string(),
                    },
                    min.value
                ),
            );
            Param {
                value: min.value,
                origin: min.origin,
            }
        }
    };
    let mut metrics = Vec::new();
    if let Some(auto) = c.cursor.field(cx, "autoScaling") {
        if let Some((k, _)) = auto.entry("behavior") {
            cx.warning(
                Code::UnsupportedFeature,
                k.span,
                format!(
                    "`{}` is not read by the HPA KServe {} creates (only its KEDA ScaledObject reads the windows): the HPA gets the default behavior",
                    auto.at("behavior"),
                    up::TAG
                ),
            );
        }
        for m in auto.sequence(cx, "metrics").unwrap_or_default() {
            let Some(res) = m.field(cx, "resource") else {
                let ty = m.entry("type").map_or(m.node.span, |(k, _)| k.span);
                cx.warning(
                    Code::UnsupportedFeature,
                    ty,
                    format!(
                        "`{}` is skipped by the HPA KServe creates: it reads only Resource metrics (use the keda autoscaler class for External / PodMetric)",
                        m.path
                    ),
                );
                continue;
            };
            metrics.extend(resource_metric(cx, &res));
        }
    } else {
        if explicit {
            if let Some(t) = &c.scale_target {
                let metric = c.scale_metric.as_ref().map_or("cpu", |m| m.value);
                if (metric == "cpu" && t.value < 1)
                    || t.value > 100
                    || (metric == "memory" && t.value < 1)
                {
                    cx.error(
                        Code::OutOfRange,
                        t.span,
                        format!(
                            "`{}: {}` is rejected by the KServe webhook: with the hpa autoscaler class the target must be in [1, 100]",
                            c.cursor.at("scaleTarget"),
                            t.value
                        ),
                    );
                    return None;
                }
            }
        }
        let metric = c.scale_metric.as_ref();
        match metric.map_or("cpu", |m| m.value) {
            "cpu" => {
                let value = c
                    .scale_target
                    .as_ref()
                    .map_or(up::CPU_UTILIZATION.param(), |t| {
                        Param::yaml(f64::from(t.value), t.span)
                    });
                let at = metric.map_or(c.key_span, |m| m.span);
                metrics.push(resource("cpu", at, TargetType::Utilization, value));
            }
            "memory" => {
                if let Some(t) = &c.scale_target {
                    let at = metric.map_or(t.span, |m| m.span);
                    let value = Param::yaml(f64::from(t.value), t.span);
                    metrics.push(resource("memory", at, TargetType::Utilization, value));
                } else if let Some(m) = metric {
                    cx.warning(
                        Code::UnsupportedFeature,
                        m.span,
                        "`scaleMetric: memory` without `scaleTarget`: KServe writes no metric, so the HPA defaults to cpu at 80 % utilization",
                    );
                }
            }
            other => {
                if let Some(m) = metric {
                    cx.warning(
                        Code::UnsupportedFeature,
                        m.span,
                        format!(
                            "`scaleMetric: {other}` is not read by the HPA KServe creates (it reads cpu and memory only): the HPA defaults to cpu at 80 % utilization; {other} needs the Knative mode"
                        ),
                    );
                }
            }
        }
    }
    if metrics.is_empty() {
        // SetDefaults_HorizontalPodAutoscaler: no metrics ⇒ cpu Utilization 80.
        metrics.push(resource(
            "cpu",
            c.key_span,
            TargetType::Utilization,
            k8s::V2_CPU_UTILIZATION.param(),
        ));
    }
    let mut params = k8s::hpa_params();
    // `Behavior: &HorizontalPodAutoscalerBehavior{}`: the API server fills every default.
    params.behavior = Some(k8s::behavior(params.downscale_stabilization));
    let mut a = doc.autoscaler(Family::Hpa, min, max, Algorithm::Hpa(params));
    a.metrics = metrics;
    Some(a)
}

/// A `resource` metric of `autoScaling.metrics` as the HPA gets it (`getHPAMetrics`): cpu is
/// always Utilization (default 80), memory Utilization or AverageValue.
fn resource_metric(cx: &mut Cx, res: &Cursor) -> Option<Metric> {
    let name = res.one_of(cx, "name", &["cpu", "memory"], Code::UnknownValue)?;
    let target = res.field(cx, "target");
    let ty = target.as_ref().and_then(|t| {
        t.one_of(
            cx,
            "type",
            &["Utilization", "AverageValue", "Value"],
            Code::UnknownTargetType,
        )
    });
    let util = target
        .as_ref()
        .and_then(|t| t.u32_in(cx, "averageUtilization", 1, 100))
        .map(|u| Param::yaml(f64::from(u.value), u.span));
    if name.value == "cpu" {
        let value = util.unwrap_or(up::CPU_UTILIZATION.param());
        return Some(resource("cpu", name.span, TargetType::Utilization, value));
    }
    match ty.map(|t| t.value) {
        Some("AverageValue") => {
            let q = target
                .as_ref()
                .and_then(|t| t.quantity(cx, "averageValue"))?;
            let value = Param::yaml(q.value.as_f64(), q.span);
            Some(resource(
                "memory",
                name.span,
                TargetType::AverageValue,
                value,
            ))
        }
        _ => util.map(|u| resource("memory", name.span, TargetType::Utilization, u)),
    }
}

fn resource(name: &str, at: Span, target_type: TargetType, value: Param<f64>) -> Metric {
    Metric {
        name: Spanned::new(name.to_string(), at),
        source: MetricSource::Resource,
        target: MetricTarget { target_type, value },
        bound: None,
        activation_threshold: None,
        selector: Vec::new(),
        span: value.span().unwrap_or(at),
    }
}

/// `createKedaScaledObject`: min (default 1, 0 kept), max ≥ min, a trigger per
/// `autoScaling.metrics` entry, and the HPA's stabilization windows from `autoScaling.behavior`
/// or the `inferenceservice-config` (0 s up, 300 s down).
fn keda(cx: &mut Cx, doc: &Doc, c: &Component) -> Option<Autoscaler> {
    if let Some(m) = &c.scale_metric {
        cx.error(
            Code::InvalidValue,
            m.span,
            format!(
                "`{}` is rejected by the KServe webhook with the keda autoscaler class: write the metric under `autoScaling.metrics`",
                c.cursor.at("scaleMetric")
            ),
        );
        return None;
    }
    let min = c.min.unwrap_or(up::MIN_REPLICAS.param());
    let max = match &c.max {
        Some(m) if m.value >= min.value => *m,
        _ => Param {
            value: min.value,
            origin: min.origin,
        },
    };
    let mut metrics = Vec::new();
    let mut params = k8s::hpa_params();
    let mut behavior = k8s::behavior(up::KEDA_SCALE_DOWN_WINDOW.param());
    behavior.scale_up.stabilization_window = up::KEDA_SCALE_UP_WINDOW.param();
    let auto = c.cursor.field(cx, "autoScaling");
    if let Some(auto) = &auto {
        if let Some(b) = auto.field(cx, "behavior") {
            for (key, up_dir) in [("scaleUp", true), ("scaleDown", false)] {
                let w = b
                    .field(cx, key)
                    .and_then(|r| r.seconds_in(cx, "stabilizationWindowSeconds", 0, 3600));
                if let Some(w) = w {
                    if up_dir {
                        behavior.scale_up.stabilization_window = w;
                    } else {
                        behavior.scale_down.stabilization_window = w;
                    }
                }
            }
        }
        for m in auto.sequence(cx, "metrics").unwrap_or_default() {
            if let Some(res) = m.field(cx, "resource") {
                if let Some(mut metric) = resource_metric(cx, &res) {
                    metric.source = MetricSource::KedaResource;
                    metrics.push(metric);
                }
            } else if let Some(ext) = m.field(cx, "external") {
                metrics.extend(external_trigger(cx, &ext));
            } else {
                let ty = m.entry("type").map_or(m.node.span, |(k, _)| k.span);
                cx.warning(
                    Code::UnsupportedFeature,
                    ty,
                    format!(
                        "`{}` (an OpenTelemetry PodMetric trigger) is not replayed: Scalelens does not replay KEDA's external scalers",
                        m.path
                    ),
                );
            }
        }
    }
    if metrics.is_empty() {
        cx.warning(
            Code::KserveNotAutoscaled,
            auto.as_ref().map_or(c.key_span, |a| a.node.span),
            format!(
                "`{}` with the keda autoscaler class has no replayable `autoScaling.metrics`: the ScaledObject KServe creates has no trigger Scalelens can replay",
                c.cursor.path
            ),
        );
        return None;
    }
    params.behavior = Some(behavior);
    let mut a = doc.autoscaler(
        Family::Keda,
        min,
        max,
        keda_algorithm(min, params, [None, None, None], None),
    );
    a.metrics = metrics;
    Some(a)
}

/// The ScaledObject KServe writes: its HPA `hpa`, and `[pollingInterval, cooldownPeriod,
/// initialCooldownPeriod]` when written (else KEDA's defaults); no pause annotations.
fn keda_algorithm(
    min: Param<u32>,
    hpa: crate::model::HpaParams,
    [polling, cooldown, initial]: [Option<Param<crate::model::Millis>>; 3],
    idle: Option<Param<u32>>,
) -> Algorithm {
    Algorithm::Keda(KedaParams {
        polling_interval: polling.unwrap_or(keda_up::POLLING_INTERVAL.param()),
        cooldown_period: cooldown.unwrap_or(keda_up::COOLDOWN_PERIOD.param()),
        initial_cooldown_period: initial.unwrap_or(keda_up::INITIAL_COOLDOWN_PERIOD.param()),
        min_replica_count: min,
        idle_replica_count: idle,
        hpa,
        paused_scale_in: false,
        paused_scale_out: false,
        force_activation: false,
        // KServe writes neither pause annotations, scalingModifiers nor fallback on its
        // ScaledObject.
        pause: None,
        modifiers: None,
        fallback: None,
    })
}

/// An `external` entry: a KEDA trigger of type `metric.backend`, `threshold` = `target.value`
/// (AverageValue: KServe sets no `metricType`). Only the `prometheus` backend is replayed.
fn external_trigger(cx: &mut Cx, ext: &Cursor) -> Option<Metric> {
    let metric = ext.field(cx, "metric")?;
    let backend = metric.string(cx, "backend")?;
    if backend.value != "prometheus" {
        cx.warning(
            Code::UnsupportedFeature,
            backend.span,
            format!(
                "a `{}` trigger is not replayed (only prometheus is)",
                crate::text::quote(&backend.value)
            ),
        );
        return None;
    }
    let query = metric.crd_string(cx, "query");
    let server = metric.crd_string(cx, "serverAddress");
    let target = ext.field(cx, "target");
    let value = target.as_ref().and_then(|t| t.quantity(cx, "value"));
    let Some(value) = value else {
        ext.missing(
            cx,
            target.as_ref().map_or(ext.node.span, |t| t.node.span),
            "target.value",
            " (KServe writes it as the trigger's threshold; averageValue is not used)",
        );
        return None;
    };
    // The ScaledObject KServe writes carries this query: the same PromQL checks as a KEDA
    // prometheus trigger's (AverageValue: KServe sets no `metricType`).
    if query.is_some() {
        cx.diags.extend(crate::analysis::check_promql(
            metric.node.get("query"),
            value.value.as_f64(),
            "AverageValue",
            cx.scrape_interval,
        ));
    }
    let name = Spanned::new("prometheus".to_string(), backend.span);
    let query = query?.value;
    Some(Metric {
        name,
        selector: super::query_selector::of(&query),
        source: MetricSource::KedaPrometheus {
            query,
            server_address: server.map(|s| s.value),
        },
        target: MetricTarget {
            target_type: TargetType::AverageValue,
            value: Param::yaml(value.value.as_f64(), value.span),
        },
        bound: None,
        activation_threshold: Some(keda_up::ACTIVATION_THRESHOLD.param()),
        span: ext.node.span,
    })
}

/// An `LLMInferenceService`: main and prefill workloads.
fn llm_inference_service(cx: &mut Cx, doc: &Doc) -> Vec<Autoscaler> {
    let Some(spec) = Cursor::root(doc.root).required(cx, "spec", doc.kind.span, "") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    out.extend(llm_workload(cx, doc, &spec, false, doc.key_span("spec")));
    if let Some(prefill) = spec.field(cx, "prefill") {
        let at = spec.key_span("prefill", doc.kind.span);
        out.extend(llm_workload(cx, doc, &prefill, true, at));
    }
    out
}

/// One workload: `scaling` (HPA or KEDA on `wva_desired_replicas`) or `replicas` (static).
fn llm_workload(cx: &mut Cx, doc: &Doc, w: &Cursor, prefill: bool, at: Span) -> Option<Autoscaler> {
    let which = if prefill { "prefill" } else { "main" };
    let Some(scaling) = w.field(cx, "scaling") else {
        let replicas = w.count_in(cx, "replicas", 0, I32_MAX);
        cx.warning(
            Code::KserveNotAutoscaled,
            replicas.as_ref().and_then(Param::span).unwrap_or(at),
            format!(
                "the {which} workload of LLMInferenceService `{}` has no `scaling`: KServe {} creates no autoscaler for it; it runs {} replicas",
                doc.name.value,
                up::TAG,
                replicas.map_or("the default".to_string(), |r| r.value.to_string())
            ),
        );
        return None;
    };
    let min = scaling
        .count_in(cx, "minReplicas", 0, I32_MAX)
        .unwrap_or(up::LLM_MIN_REPLICAS.param());
    let max = scaling
        .required_u32(cx, "maxReplicas", (1, I32_MAX), scaling.node.span, "")
        .map(|s| Param::yaml(s.value, s.span))?;
    check_min_max(cx, &min, &max, "LLMInferenceService scaling");
    let wva = scaling.required(cx, "wva", scaling.node.span, " (hpa or keda)")?;
    let suffix = if prefill {
        "-kserve-prefill"
    } else {
        "-kserve"
    };
    let va = format!("{}{suffix}-va", doc.name.value);
    let metric_at = wva.node.span;
    let (mut a, name) = if let Some(h) = wva.field(cx, "hpa") {
        let mut params = k8s::hpa_params();
        hpa::read_behavior(cx, &h, &mut params);
        let mut a = doc.autoscaler(Family::Hpa, min, max, Algorithm::Hpa(params));
        a.metrics = vec![Metric {
            name: Spanned::new(up::WVA_METRIC.to_string(), metric_at),
            source: MetricSource::External,
            target: MetricTarget {
                target_type: TargetType::Value,
                value: up::WVA_TARGET.param(),
            },
            bound: None,
            activation_threshold: None,
            selector: Vec::new(),
            span: h.node.span,
        }];
        (a, format!("{}{suffix}-hpa", doc.name.value))
    } else if let Some(k) = wva.field(cx, "keda") {
        let polling = k.seconds_in(cx, "pollingInterval", 1, I32_MAX);
        let cooldown = k.seconds_in(cx, "cooldownPeriod", 0, I32_MAX);
        let initial = k.seconds_in(cx, "initialCooldownPeriod", 0, I32_MAX);
        let idle = k.count_in(cx, "idleReplicaCount", 1, I32_MAX);
        for key in ["fallback", "advanced"] {
            if let Some((kk, _)) = k.entry(key) {
                cx.warning(
                    Code::UnsupportedFeature,
                    kk.span,
                    format!("`{}` is not replayed", k.at(key)),
                );
            }
        }
        let namespace = doc.namespace.clone().unwrap_or_default();
        let mut a = doc.autoscaler(
            Family::Keda,
            min,
            max,
            keda_algorithm(min, k8s::hpa_params(), [polling, cooldown, initial], idle),
        );
        a.metrics = vec![Metric {
            name: Spanned::new(up::WVA_METRIC.to_string(), metric_at),
            source: MetricSource::KedaPrometheus {
                query: format!(
                    "{}{{variant_name=\"{va}\",exported_namespace=\"{namespace}\"}}",
                    up::WVA_METRIC
                ),
                server_address: None,
            },
            target: MetricTarget {
                target_type: TargetType::AverageValue,
                value: up::WVA_TARGET.param(),
            },
            bound: None,
            activation_threshold: Some(keda_up::ACTIVATION_THRESHOLD.param()),
            selector: Vec::new(),
            span: k.node.span,
        }];
        (a, format!("{}{suffix}-keda", doc.name.value))
    } else {
        wva.missing(
            cx,
            wva.node.span,
            "hpa",
            " (or `keda`: the actuator of wva_desired_replicas)",
        );
        return None;
    };
    a.name = name;
    a.span = w.node.span;
    a.name_span = at;
    a.via = Some(Via::KserveLlmInferenceService { prefill });
    Some(a)
}

rule_doc! {
    /// A KServe object or component for which KServe creates no autoscaler, or one that cannot scale.
    ///
    /// # What it does
    /// Reports an `InferenceService` component in the Standard mode with the `none` or
    /// `external` autoscaler class, or in the ModelMesh mode; an HPA KServe pins at min
    /// (`maxReplicas` unset or below min) or whose `minReplicas: 0` it raises to 1; a keda-class
    /// component without a replayable trigger; an `LLMInferenceService` workload without
    /// `scaling`.
    ///
    /// # Why is this bad
    /// There is nothing to replay, or the replay is flat: the replica count stays where KServe
    /// puts it whatever the load.
    ///
    /// # Example
    /// ```text
    /// metadata:
    ///   annotations:
    ///     serving.kserve.io/deploymentMode: Standard
    /// spec:
    ///   predictor:
    ///     minReplicas: 1   # no maxReplicas: the HPA is 1..1
    /// ```
    ///
    /// # Fix
    /// Write `maxReplicas` above `minReplicas`; use the `hpa` or `keda` class; for `external`,
    /// replay the autoscaler you bring.
    ///
    /// # References
    /// - kserve/kserve v0.20.0 `pkg/controller/v1beta1/inferenceservice/reconcilers/hpa/hpa_reconciler.go` (`createHPA`).
    /// - kserve/kserve v0.20.0 `pkg/controller/v1alpha2/llmisvc/scaling.go`.
    pub(crate) const KSERVE_NOT_AUTOSCALED;
}

rule_doc! {
    /// The KServe deployment mode is not written: Scalelens assumes the shipped default.
    ///
    /// # What it does
    /// When an `InferenceService` has neither `status.deploymentMode` nor the
    /// `serving.kserve.io/deploymentMode` annotation, KServe uses the cluster's
    /// `inferenceservice-config` `deploy.defaultDeploymentMode`. The shipped ConfigMap says
    /// `Serverless` (Knative); Scalelens assumes it and says so.
    ///
    /// # Why is this bad
    /// A cluster installed with another default (the code's own default is `Standard`) creates
    /// an HPA instead of a Knative KPA, which scales very differently.
    ///
    /// # Example
    /// ```text
    /// apiVersion: serving.kserve.io/v1beta1
    /// kind: InferenceService
    /// metadata:
    ///   name: llm   # no serving.kserve.io/deploymentMode
    /// ```
    ///
    /// # Fix
    /// Write the annotation, or pass `--kserve-deployment-mode Standard|Knative`.
    ///
    /// # References
    /// - kserve/kserve v0.20.0 `config/configmap/inferenceservice.yaml`.
    /// - kserve/kserve v0.20.0 `pkg/constants/constants.go` (`ParseDeploymentMode`).
    pub(crate) const KSERVE_ASSUMED_MODE;
}
