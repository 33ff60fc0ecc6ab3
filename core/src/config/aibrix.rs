//! AIBrix `autoscaling.aibrix.ai/v1alpha1` `PodAutoscaler`, as read by AIBrix v0.7.0.
//!
//! Upstream (vllm-project/aibrix v0.7.0): `api/autoscaling/v1alpha1/podautoscaler_types.go`
//! (spec), `pkg/controller/podautoscaler/types/annotations.go` (annotation keys),
//! `pkg/controller/podautoscaler/context/context.go` (annotation defaults and parsing),
//! `pkg/controller/podautoscaler/metrics/client.go` (window defaults),
//! `pkg/webhook/podautoscaler_webhook.go` (validation), `pkg/controller/podautoscaler/hpa_resources.go`
//! (the HPA built for `scalingStrategy: HPA`).

use crate::codes;
use crate::config::hpa::{self, read_target_ref};
use crate::config::read::{self, Cx};
use crate::config::{check_metric_unit, check_min_max, unknown_kind, unknown_version, Doc};
use crate::diagnostic::Diagnostic;
use crate::model::{
    AibrixParams, Algorithm, Autoscaler, Behavior, Family, Metric, MetricSource, MetricTarget,
    Millis, Policy, PolicyType, ScalingRules, SelectPolicy, TargetType, SECOND,
};
use crate::span::{Param, Span, Spanned};
use crate::yaml::Node;

const CONTEXT_SRC: &str =
    "vllm-project/aibrix pkg/controller/podautoscaler/context/context.go (v0.7.0)";
const WINDOWS_SRC: &str =
    "vllm-project/aibrix pkg/controller/podautoscaler/metrics/client.go (v0.7.0)";
const BOUNDS_SRC: &str =
    "vllm-project/aibrix pkg/utils/paschedules/schedules.go BaseBounds (v0.7.0)";
const CONTROLLER_SRC: &str =
    "vllm-project/aibrix pkg/controller/podautoscaler/podautoscaler_controller.go DefaultResyncInterval (v0.7.0)";
const HPA_SRC: &str = "vllm-project/aibrix pkg/controller/podautoscaler/hpa_resources.go (v0.7.0)";

const PREFIX: &str = "autoscaling.aibrix.ai/";

/// The v0.7.0 scaling-context defaults (`NewBaseScalingContext`, `metrics/client.go`).
pub fn default_params() -> AibrixParams {
    AibrixParams {
        max_scale_up_rate: Param::default(2.0, CONTEXT_SRC),
        max_scale_down_rate: Param::default(2.0, CONTEXT_SRC),
        scale_up_tolerance: Param::default(0.1, CONTEXT_SRC),
        scale_down_tolerance: Param::default(0.1, CONTEXT_SRC),
        panic_threshold: Param::default(2.0, CONTEXT_SRC),
        scale_up_cooldown: Param::default(0, CONTEXT_SRC),
        scale_down_cooldown: Param::default(300 * SECOND, CONTEXT_SRC),
        scale_to_zero: Param::default(false, CONTEXT_SRC),
        stable_window: Param::default(180 * SECOND, WINDOWS_SRC),
        panic_window: Param::default(60 * SECOND, WINDOWS_SRC),
        resync_interval: Param::default(10 * SECOND, CONTROLLER_SRC),
    }
}

/// Legacy (Gen A, ≤ v0.4) keys that v0.7.0 ignores, with what v0.7.0 reads instead:
/// `(key, replacement annotation, explanation)`.
const LEGACY: &[(&str, Option<&str>, &str)] = &[
    ("kpa.autoscaling.aibrix.ai/scale-down-delay", Some("autoscaling.aibrix.ai/scale-down-cooldown-window"), "v0.7.0 has no scale-down delay; the scale-down cooldown window (default 300s) is the closest setting (it keeps the minimum recommendation of the window, not the maximum)"),
    ("kpa.autoscaling.aibrix.ai/panic-threshold", Some("autoscaling.aibrix.ai/panic-threshold"), "same meaning"),
    ("kpa.autoscaling.aibrix.ai/stable-window", None, "use `spec.observeWindowSeconds` (default 180)"),
    ("kpa.autoscaling.aibrix.ai/panic-window", None, "use `spec.panicWindowSeconds` (default 60)"),
    ("kpa.autoscaling.aibrix.ai/target-burst-capacity", None, "v0.7.0 has no burst capacity"),
    ("kpa.autoscaling.aibrix.ai/activation-scale", None, "v0.7.0 fixes the activation scale at 1"),
    ("apa.autoscaling.aibrix.ai/up-fluctuation-tolerance", Some("autoscaling.aibrix.ai/scale-up-tolerance"), "same meaning"),
    ("apa.autoscaling.aibrix.ai/down-fluctuation-tolerance", Some("autoscaling.aibrix.ai/scale-down-tolerance"), "same meaning"),
    ("apa.autoscaling.aibrix.ai/window", None, "use `spec.observeWindowSeconds` (default 180)"),
    ("autoscaling.aibrix.ai/up-fluctuation-tolerance", Some("autoscaling.aibrix.ai/scale-up-tolerance"), "same meaning"),
    ("autoscaling.aibrix.ai/down-fluctuation-tolerance", Some("autoscaling.aibrix.ai/scale-down-tolerance"), "same meaning"),
];

const KNOWN_ANNOTATIONS: &[&str] = &[
    "max-scale-up-rate",
    "max-scale-down-rate",
    "scale-up-tolerance",
    "scale-down-tolerance",
    "panic-threshold",
    "scale-up-cooldown-window",
    "scale-down-cooldown-window",
    "scale-to-zero",
    "storm-service-mode",
];

fn is_aibrix_key(k: &str) -> bool {
    k.starts_with(PREFIX)
        || k.starts_with("kpa.autoscaling.aibrix.ai/")
        || k.starts_with("apa.autoscaling.aibrix.ai/")
}

/// Read the annotations into `p`.
fn read_annotations(cx: &mut Cx, meta: &Node, p: &mut AibrixParams) {
    let Some(ann) = read::mapping(cx, meta, "annotations", "metadata.annotations") else {
        return;
    };
    let entries = ann.as_mapping().unwrap_or(&[]);
    for (k, v) in entries {
        let key = k.value.as_str();
        if !is_aibrix_key(key) {
            continue;
        }
        let path = format!("metadata.annotations[{key}]");
        if let Some((_, repl, why)) = LEGACY.iter().find(|(l, _, _)| *l == key) {
            let mut d = Diagnostic::warning(
                codes::AIBRIX_IGNORED_ANNOTATION,
                match repl {
                    Some(r) => format!("AIBrix v0.7.0 ignores `{key}`: it reads `{r}` instead ({why})"),
                    None => format!("AIBrix v0.7.0 ignores `{key}` ({why})"),
                },
            )
            .at(k.span)
            .with_help("legacy Gen-A key (AIBrix ≤ v0.4); v0.7.0 reads only the keys in pkg/controller/podautoscaler/types/annotations.go, so the default applies");
            if let Some(r) = repl {
                d = d.with_fix(format!("rename to `{r}`"), k.span, *r);
            }
            cx.push(d);
            continue;
        }
        let Some(name) = key
            .strip_prefix(PREFIX)
            .filter(|n| KNOWN_ANNOTATIONS.contains(n))
        else {
            let mut d = Diagnostic::warning(
                codes::AIBRIX_IGNORED_ANNOTATION,
                format!("AIBrix v0.7.0 does not read `{key}`: it is ignored"),
            )
            .at(k.span);
            let bare = key.rsplit('/').next().unwrap_or(key);
            if let Some(best) = read::closest(bare, KNOWN_ANNOTATIONS) {
                d = d.with_fix(
                    format!("rename to `{PREFIX}{best}`"),
                    k.span,
                    format!("{PREFIX}{best}"),
                );
            }
            cx.push(d);
            continue;
        };
        let Some(text) = v.as_scalar() else {
            cx.error(
                codes::WRONG_TYPE,
                v.span,
                format!("`{path}` must be a string"),
            );
            continue;
        };
        let s = Spanned::new(text.to_string(), v.span);
        let abort_help = "AIBrix stops reading annotations at the first value it cannot parse (in map order), so other annotations may fall back to their defaults too";
        let before = cx.diags.len();
        match name {
            "max-scale-up-rate"
            | "max-scale-down-rate"
            | "scale-up-tolerance"
            | "scale-down-tolerance"
            | "panic-threshold" => {
                if let Some(f) = read::float_str(cx, &s, &path) {
                    let rate = name.starts_with("max-") || name == "panic-threshold";
                    let bad = if rate { f <= 0.0 } else { f < 0.0 };
                    if bad {
                        cx.error(
                            codes::OUT_OF_RANGE,
                            s.span,
                            format!(
                                "`{path}` must be {}, found {f}",
                                if rate { "> 0" } else { "≥ 0" }
                            ),
                        );
                    } else {
                        let param = Param::yaml(f, s.span);
                        match name {
                            "max-scale-up-rate" => p.max_scale_up_rate = param,
                            "max-scale-down-rate" => p.max_scale_down_rate = param,
                            "scale-up-tolerance" => p.scale_up_tolerance = param,
                            "scale-down-tolerance" => p.scale_down_tolerance = param,
                            _ => p.panic_threshold = param,
                        }
                    }
                }
            }
            "scale-up-cooldown-window" | "scale-down-cooldown-window" => {
                if let Some(d) = read::duration_str(cx, &s, &path) {
                    let param = Param::yaml(d.millis().max(0) as Millis, s.span);
                    if name == "scale-up-cooldown-window" {
                        p.scale_up_cooldown = param;
                    } else {
                        p.scale_down_cooldown = param;
                    }
                }
            }
            "scale-to-zero" => {
                if let Some(b) = read::bool_str(cx, &s, &path) {
                    p.scale_to_zero = Param::yaml(b, s.span);
                    if b {
                        cx.note(
                            codes::UNSUPPORTED_FEATURE,
                            s.span,
                            "AIBrix v0.7.0 parses `scale-to-zero` but nothing reads it: it has no effect",
                        );
                    }
                }
            }
            _ => {}
        }
        for d in cx.diags.iter_mut().skip(before) {
            if d.severity == crate::diagnostic::Severity::Error && d.help.is_none() {
                d.help = Some(abort_help.into());
            }
        }
    }
}

/// AIBrix keys written as labels (Gen A read labels for a while; v0.7.0 reads annotations).
fn check_labels(cx: &mut Cx, meta: &Node) {
    let Some(labels) = meta.get("labels").and_then(Node::as_mapping) else {
        return;
    };
    for (k, _) in labels {
        if is_aibrix_key(&k.value) {
            cx.push(
                Diagnostic::warning(
                    codes::AIBRIX_KEY_IN_LABELS,
                    format!(
                        "`{}` is a label: AIBrix v0.7.0 reads `autoscaling.aibrix.ai/*` settings only from metadata.annotations",
                        k.value
                    ),
                )
                .at(k.span)
                .with_help("move it to metadata.annotations"),
            );
        }
    }
}

const SOURCE_TYPES: &[&str] = &["pod", "resource", "custom", "external", "domain"];

fn read_source(cx: &mut Cx, m: &Node, path: &str) -> Option<Metric> {
    if m.as_mapping().is_none() {
        cx.error(
            codes::WRONG_TYPE,
            m.span,
            format!("`{path}` must be a mapping"),
        );
        return None;
    }
    read::unknown_keys(
        cx,
        m,
        &[
            "metricSourceType",
            "protocolType",
            "endpoint",
            "path",
            "port",
            "targetMetric",
            "targetValue",
        ],
        path,
    );
    let st = read::string(
        cx,
        m,
        "metricSourceType",
        &format!("{path}.metricSourceType"),
    );
    let st = match &st {
        Some(s) => read::one_of(
            cx,
            s,
            SOURCE_TYPES,
            &format!("{path}.metricSourceType"),
            codes::UNKNOWN_METRIC_SOURCE,
        ),
        None => {
            read::missing(
                cx,
                m.span,
                &format!("{path}.metricSourceType"),
                " (pod, resource, custom, external or domain)",
            );
            None
        }
    };
    let protocol = read::string(cx, m, "protocolType", &format!("{path}.protocolType"));
    if let Some(p) = &protocol {
        read::one_of(
            cx,
            p,
            &["http", "https"],
            &format!("{path}.protocolType"),
            codes::UNKNOWN_VALUE,
        );
    }
    let port = read::crd_string(cx, m, "port", &format!("{path}.port"));
    let mpath = read::string(cx, m, "path", &format!("{path}.path"));
    let endpoint = read::string(cx, m, "endpoint", &format!("{path}.endpoint"));
    let name = read::string(cx, m, "targetMetric", &format!("{path}.targetMetric"));
    if name.is_none() {
        read::missing(cx, m.span, &format!("{path}.targetMetric"), "");
    }
    let tv = read::crd_string(cx, m, "targetValue", &format!("{path}.targetValue"));
    let value = match &tv {
        Some(s) => read::float_str(cx, s, &format!("{path}.targetValue")),
        None => {
            read::missing(
                cx,
                m.span,
                &format!("{path}.targetValue"),
                " (a string such as \"0.5\")",
            );
            None
        }
    };
    if let (Some(v), Some(s)) = (value, &tv) {
        if v <= 0.0 {
            cx.error(
                codes::INVALID_TARGET,
                s.span,
                format!("`{path}.targetValue` must be > 0, found {v}"),
            );
        }
    }
    let st = st?;
    // Webhook rules.
    if st == "resource" {
        for (key, present) in [
            ("port", port.is_some()),
            ("endpoint", endpoint.is_some()),
            ("path", mpath.is_some()),
            ("protocolType", protocol.is_some()),
        ] {
            if present {
                if let Some((k, _)) = m.entry(key) {
                    cx.error(
                        codes::INVALID_VALUE,
                        k.span,
                        format!("`{path}.{key}` is not allowed for metricSourceType resource (podautoscaler_webhook.go)"),
                    );
                }
            }
        }
        if let Some(n) = &name {
            read::one_of(
                cx,
                n,
                &["cpu", "memory"],
                &format!("{path}.targetMetric"),
                codes::UNKNOWN_VALUE,
            );
        }
    }
    if st == "pod" {
        if protocol.is_none() {
            read::missing(
                cx,
                m.span,
                &format!("{path}.protocolType"),
                " for metricSourceType pod (http or https)",
            );
        }
        if mpath.is_none() {
            read::missing(
                cx,
                m.span,
                &format!("{path}.path"),
                " for metricSourceType pod",
            );
        }
    }
    let name = name?;
    let tv = tv?;
    let value = value.filter(|v| *v > 0.0)?;
    let (source, target_type) = match st {
        "pod" => (
            MetricSource::AibrixPod {
                port: port.map(|p| p.value),
                path: mpath.map(|p| p.value),
            },
            TargetType::AverageValue,
        ),
        "resource" => (MetricSource::AibrixResource, TargetType::AverageValue),
        "custom" => (MetricSource::AibrixCustom, TargetType::AverageValue),
        _ => (
            MetricSource::AibrixExternal {
                endpoint: endpoint.map(|e| e.value),
            },
            TargetType::Value,
        ),
    };
    check_metric_unit(cx, &name, value, Some(tv.span));
    Some(Metric {
        bound: crate::metrics::bound(&name.value),
        name,
        source,
        target: MetricTarget {
            target_type,
            value: Param::yaml(value, tv.span),
        },
        activation_threshold: None,
        span: m.span,
    })
}

/// Read one PodAutoscaler document.
pub fn read(cx: &mut Cx, doc: &Doc) -> Option<Autoscaler> {
    if doc.kind.value != "PodAutoscaler" {
        unknown_kind(cx, doc, &["PodAutoscaler"]);
        return None;
    }
    if doc.version() != "v1alpha1" {
        unknown_version(cx, doc, &["autoscaling.aibrix.ai/v1alpha1"]);
        return None;
    }
    let spec_key = doc.key_span("spec");
    let Some(spec) = read::mapping(cx, doc.root, "spec", "spec") else {
        if read::entry(doc.root, "spec").is_none() {
            read::missing(cx, doc.kind.span, "spec", "");
        }
        return None;
    };
    read::unknown_keys(
        cx,
        spec,
        &[
            "scaleTargetRef",
            "subTargetSelector",
            "minReplicas",
            "maxReplicas",
            "schedules",
            "metricsSources",
            "observeWindowSeconds",
            "panicWindowSeconds",
            "scalingStrategy",
        ],
        "spec",
    );
    let mut p = default_params();
    if let Some(meta) = doc
        .root
        .get("metadata")
        .filter(|m| m.as_mapping().is_some())
    {
        read_annotations(cx, meta, &mut p);
        check_labels(cx, meta);
    }
    let target = read_target_ref(cx, spec, spec_key, "spec");
    let (min, max) = read::bounds(cx, spec, spec_key, BOUNDS_SRC);
    check_min_max(cx, &min, &max, "PodAutoscaler");
    if let Some(w) = read::seconds_in(
        cx,
        spec,
        "observeWindowSeconds",
        "spec.observeWindowSeconds",
        1,
        3600,
    ) {
        p.stable_window = w;
    }
    if let Some(w) = read::seconds_in(
        cx,
        spec,
        "panicWindowSeconds",
        "spec.panicWindowSeconds",
        1,
        3600,
    ) {
        p.panic_window = w;
    }
    if p.panic_window.value > p.stable_window.value {
        let at = p.panic_window.span().or(p.stable_window.span());
        cx.push(
            Diagnostic::error(
                codes::OUT_OF_RANGE,
                format!(
                    "`spec.panicWindowSeconds` ({} s) must be ≤ `spec.observeWindowSeconds` ({} s) (podautoscaler_webhook.go)",
                    p.panic_window.value / 1000,
                    p.stable_window.value / 1000
                ),
            )
            .at_opt(at),
        );
    }
    if read::entry(spec, "schedules").is_some() {
        if let Some((k, _)) = spec.entry("schedules") {
            cx.warning(
                codes::UNSUPPORTED_FEATURE,
                k.span,
                "`spec.schedules` (time-based bounds) is not replayed: the base minReplicas/maxReplicas apply throughout",
            );
        }
    }
    let mut metrics = Vec::new();
    match read::sequence(cx, spec, "metricsSources", "spec.metricsSources") {
        Some(list) if !list.is_empty() => {
            for (i, m) in list.iter().enumerate() {
                metrics.extend(read_source(cx, m, &format!("spec.metricsSources[{i}]")));
            }
        }
        Some(_) => {
            if let Some((_, n)) = spec.entry("metricsSources") {
                cx.error(
                    codes::MISSING_FIELD,
                    n.span,
                    "`spec.metricsSources` needs at least one entry",
                );
            }
        }
        None => {
            if read::entry(spec, "metricsSources").is_none() {
                read::missing(
                    cx,
                    spec_key,
                    "spec.metricsSources",
                    " (at least one metric source)",
                );
            }
        }
    }
    let strategy = read::string(cx, spec, "scalingStrategy", "spec.scalingStrategy");
    let strategy = match &strategy {
        Some(s) => read::one_of(
            cx,
            s,
            &["KPA", "APA", "HPA"],
            "spec.scalingStrategy",
            codes::UNKNOWN_VALUE,
        ),
        None => {
            read::missing(cx, spec_key, "spec.scalingStrategy", " (KPA, APA or HPA)");
            None
        }
    }?;
    let algorithm = match strategy {
        "KPA" => Algorithm::AibrixKpa(p),
        "APA" => Algorithm::AibrixApa(p),
        _ => {
            let (hpa_params, hpa_metrics) = to_hpa(cx, &p, &metrics, strategy_span(spec));
            metrics = hpa_metrics;
            Algorithm::Hpa(hpa_params)
        }
    };
    let mut a = doc.autoscaler(Family::Aibrix, min, max, algorithm);
    if strategy == "HPA" && min.value == 0 {
        // makeHPAWithBounds sets minReplicas only when > 0; the HPA then defaults it to 1.
        a.min_replicas = Param::default(1, HPA_SRC);
    }
    a.target = target;
    a.metrics = metrics;
    Some(a)
}

fn strategy_span(spec: &Node) -> Option<Span> {
    spec.get("scalingStrategy").map(|n| n.span)
}

/// Build the Kubernetes HPA that AIBrix creates for `scalingStrategy: HPA`
/// (`hpa_resources.go makeHPAWithBounds`).
fn to_hpa(
    cx: &mut Cx,
    p: &AibrixParams,
    metrics: &[Metric],
    strategy_span: Option<Span>,
) -> (crate::model::HpaParams, Vec<Metric>) {
    // A fraction target would be truncated to 0 by the generated HPA: a "write the target as a
    // fraction" fix must also switch the strategy to KPA to be a fix at all.
    if let Some(s) = strategy_span {
        for d in cx.diags.iter_mut() {
            let in_these_metrics = d.span.is_some_and(|ds| {
                metrics
                    .iter()
                    .any(|m| m.span.start <= ds.start && ds.end <= m.span.end)
            });
            if d.code != codes::TARGET_ABOVE_BOUND || !in_these_metrics {
                continue;
            }
            for f in d.fixes.iter_mut() {
                f.description = format!("{} and use the KPA strategy (the HPA strategy truncates fractional targets to 0)", f.description);
                f.edits.push(crate::diagnostic::Edit {
                    span: s,
                    replacement: "KPA".into(),
                });
            }
        }
    }
    let mut out = Vec::new();
    for m in metrics {
        let t = m.target.value.value;
        let tspan = m.target.value.span();
        let name = m.name.value.as_str();
        let (source, target_type, value) = match name {
            "cpu" => (MetricSource::Resource, TargetType::Utilization, t.ceil()),
            "memory" => (
                MetricSource::Resource,
                TargetType::AverageValue,
                (t.trunc() * 1_048_576.0).max(0.0),
            ),
            _ => (MetricSource::Pods, TargetType::AverageValue, t.trunc()),
        };
        if name != "cpu" && t.fract() != 0.0 {
            let zero = t.trunc() == 0.0;
            let mut d = if zero {
                Diagnostic::error(
                    codes::AIBRIX_TARGET_TRUNCATED,
                    format!("with scalingStrategy HPA, AIBrix truncates targetValue {t} to {} (int64 in hpa_resources.go): the generated HPA has a zero target and cannot scale", t.trunc()),
                )
            } else {
                Diagnostic::warning(
                    codes::AIBRIX_TARGET_TRUNCATED,
                    format!("with scalingStrategy HPA, AIBrix truncates targetValue {t} to {} (int64 in hpa_resources.go)", t.trunc()),
                )
            }
            .at_opt(tspan.or(Some(m.name.span)));
            if let Some(s) = strategy_span {
                d = d.with_fix(
                    "use the KPA strategy, which keeps fractional targets",
                    s,
                    "KPA",
                );
            }
            cx.push(d);
        }
        out.push(Metric {
            name: m.name.clone(),
            source,
            target: MetricTarget {
                target_type,
                value: match tspan {
                    Some(s) => Param::yaml(value, s),
                    None => Param::default(value, HPA_SRC),
                },
            },
            bound: if name == "cpu" || name == "memory" {
                None
            } else {
                m.bound
            },
            activation_threshold: None,
            span: m.span,
        });
    }
    let mut params = hpa::default_params();
    let up_pct = rate_percent(cx, &p.max_scale_up_rate, true);
    let down_pct = rate_percent(cx, &p.max_scale_down_rate, false);
    let policy = |v: u32| Policy {
        policy_type: PolicyType::Percent,
        value: v,
        period: 60 * SECOND,
        span: None,
    };
    params.behavior = Some(Behavior {
        scale_up: ScalingRules {
            stabilization_window: p.scale_up_cooldown,
            select_policy: Param::default(SelectPolicy::Max, HPA_SRC),
            policies: vec![policy(up_pct)],
            policies_span: None,
        },
        scale_down: ScalingRules {
            stabilization_window: p.scale_down_cooldown,
            select_policy: Param::default(SelectPolicy::Min, HPA_SRC),
            policies: vec![policy(down_pct)],
            policies_span: None,
        },
    });
    (params, out)
}

/// Percent per 60 s from a max rate: up `(rate−1)×100`, down `(1−1/rate)×100`; a rate < 1
/// makes AIBrix log a warning and use 100 %.
fn rate_percent(cx: &mut Cx, rate: &Param<f64>, up: bool) -> u32 {
    let r = rate.value;
    if r < 1.0 {
        if let Some(s) = rate.span() {
            cx.warning(
                codes::OUT_OF_RANGE,
                s,
                format!("max scale rate {r} is below 1: AIBrix's HPA strategy uses 100% per minute instead"),
            );
        }
        return 100;
    }
    let pct = if up {
        (r - 1.0) * 100.0
    } else {
        (1.0 - 1.0 / r) * 100.0
    };
    if !pct.is_finite() || pct < 1.0 {
        if let Some(s) = rate.span() {
            cx.warning(
                codes::OUT_OF_RANGE,
                s,
                format!("max scale rate {r} gives a {pct:.0}% HPA policy, which the API server rejects (value must be > 0); Scalelens replays 100%"),
            );
        }
        return 100;
    }
    pct.min(f64::from(i32::MAX)) as u32
}
