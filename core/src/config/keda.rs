//! KEDA `keda.sh/v1alpha1` `ScaledObject`, as of KEDA v2.18.
//!
//! Upstream (kedacore/keda v2.18): `apis/keda/v1alpha1/scaledobject_types.go` (spec, defaults),
//! `apis/keda/v1alpha1/scaledobject_webhook.go` and `scaledobject_types.go
//! CheckReplicaCountBoundsAreValid` (validation), `controllers/keda/hpa.go` (the generated HPA,
//! metric names `s<i>-<type>`), `pkg/scalers/prometheus_scaler.go`, `pkg/scalers/cpu_memory_scaler.go`.
//!
//! Model choice: [`Autoscaler::min_replicas`] is KEDA's `minReplicaCount` (0 allowed: KEDA
//! scales 0 ↔ 1 itself); the HPA KEDA creates uses `max(minReplicaCount, 1)`, and
//! [`KedaParams::hpa`] carries that HPA's settings (behavior from
//! `advanced.horizontalPodAutoscalerConfig.behavior`).

use crate::codes::rule_doc;
use crate::codes::Code;
use crate::config::hpa::{self, read_target_ref};
use crate::config::read::{self, Cx};
use crate::config::{check_metric_unit, unknown_kind, unknown_version, Doc};
use crate::diagnostic::Diagnostic;
use crate::model::{
    Algorithm, Autoscaler, Family, KedaParams, Metric, MetricSource, MetricTarget, TargetType,
};
use crate::span::{Param, Spanned};
use crate::yaml::Node;

use crate::upstream::keda as up;

/// Read one ScaledObject document.
pub fn read(cx: &mut Cx, doc: &Doc) -> Option<Autoscaler> {
    match doc.kind.value.as_str() {
        "ScaledObject" => {}
        "ScaledJob" | "TriggerAuthentication" | "ClusterTriggerAuthentication" => {
            cx.note(
                Code::IgnoredDocument,
                doc.kind.span,
                format!(
                    "KEDA {} `{}` is not replayed: skipped",
                    doc.kind.value, doc.name.value
                ),
            );
            return None;
        }
        _ => {
            unknown_kind(
                cx,
                doc,
                &[
                    "ScaledObject",
                    "ScaledJob",
                    "TriggerAuthentication",
                    "ClusterTriggerAuthentication",
                ],
            );
            return None;
        }
    }
    if doc.version() != "v1alpha1" {
        unknown_version(cx, doc, &["keda.sh/v1alpha1"]);
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
            "pollingInterval",
            "cooldownPeriod",
            "initialCooldownPeriod",
            "idleReplicaCount",
            "minReplicaCount",
            "maxReplicaCount",
            "advanced",
            "triggers",
            "fallback",
        ],
        "spec",
    );
    let target = read_target_ref(cx, spec, spec_key, "spec");
    let i32max = i64::from(i32::MAX);
    let polling = read::seconds_in(
        cx,
        spec,
        "pollingInterval",
        "spec.pollingInterval",
        1,
        i32max,
    )
    .unwrap_or(up::POLLING_INTERVAL.param());
    let cooldown = read::seconds_in(cx, spec, "cooldownPeriod", "spec.cooldownPeriod", 0, i32max)
        .unwrap_or(up::COOLDOWN_PERIOD.param());
    let initial_cooldown = read::seconds_in(
        cx,
        spec,
        "initialCooldownPeriod",
        "spec.initialCooldownPeriod",
        0,
        i32max,
    )
    .unwrap_or(up::INITIAL_COOLDOWN_PERIOD.param());
    let min_written = read::u32_in(
        cx,
        spec,
        "minReplicaCount",
        "spec.minReplicaCount",
        0,
        i32max,
    );
    let min = min_written
        .as_ref()
        .map(|s| Param::yaml(s.value, s.span))
        .unwrap_or(up::MIN_REPLICA_COUNT.param());
    let max = read::u32_in(
        cx,
        spec,
        "maxReplicaCount",
        "spec.maxReplicaCount",
        0,
        i32max,
    )
    .map(|s| Param::yaml(s.value, s.span))
    .unwrap_or(up::MAX_REPLICA_COUNT.param());
    let idle = read::u32_in(
        cx,
        spec,
        "idleReplicaCount",
        "spec.idleReplicaCount",
        0,
        i32max,
    )
    .map(|s| Param::yaml(s.value, s.span));

    // CheckReplicaCountBoundsAreValid.
    if min.value > max.value {
        let at = min.span().or(max.span());
        cx.push(
            Diagnostic::error(
                Code::MinAboveMax,
                format!(
                    "MinReplicaCount={} must be less than MaxReplicaCount={}",
                    min.value, max.value
                ),
            )
            .at_opt(at),
        );
    }
    if let Some(idle) = &idle {
        let effective_min = if min_written.is_some() {
            min.value.max(1)
        } else {
            0
        };
        if idle.value >= effective_min {
            cx.push(
                Diagnostic::error(
                    Code::OutOfRange,
                    format!(
                        "IdleReplicaCount={} must be less than MinReplicaCount={}",
                        idle.value, effective_min
                    ),
                )
                .at_opt(idle.span()),
            );
        }
    }

    let mut hpa_params = hpa::default_params();
    if let Some(adv) = read::mapping(cx, spec, "advanced", "spec.advanced") {
        read::unknown_keys(
            cx,
            adv,
            &[
                "horizontalPodAutoscalerConfig",
                "restoreToOriginalReplicaCount",
                "scalingModifiers",
            ],
            "spec.advanced",
        );
        if let Some(h) = read::mapping(
            cx,
            adv,
            "horizontalPodAutoscalerConfig",
            "spec.advanced.horizontalPodAutoscalerConfig",
        ) {
            read::unknown_keys(
                cx,
                h,
                &["name", "behavior"],
                "spec.advanced.horizontalPodAutoscalerConfig",
            );
            hpa::read_behavior(
                cx,
                h,
                "spec.advanced.horizontalPodAutoscalerConfig",
                &mut hpa_params,
            );
        }
        if let Some((k, _)) = read::entry(adv, "scalingModifiers") {
            cx.warning(
                Code::UnsupportedFeature,
                k.span,
                "`spec.advanced.scalingModifiers` (composite metric) is not replayed: each trigger is replayed as its own metric",
            );
        }
    }
    if let Some((k, _)) = read::entry(spec, "fallback") {
        cx.warning(
            Code::UnsupportedFeature,
            k.span,
            "`spec.fallback` is not replayed (Scalelens' metrics never fail)",
        );
    }

    // Annotations.
    let mut flags = (false, false, false);
    if let Some(ann) = doc
        .root
        .path(&["metadata", "annotations"])
        .and_then(Node::as_mapping)
    {
        for (k, v) in ann {
            let slot = match k.value.as_str() {
                "autoscaling.keda.sh/paused-scale-in" => &mut flags.0,
                "autoscaling.keda.sh/paused-scale-out" => &mut flags.1,
                "autoscaling.keda.sh/force-activation" => &mut flags.2,
                "autoscaling.keda.sh/paused" | "autoscaling.keda.sh/paused-replicas" => {
                    cx.warning(
                        Code::UnsupportedFeature,
                        k.span,
                        format!(
                            "`{}` pauses the ScaledObject; the replay ignores it",
                            k.value
                        ),
                    );
                    continue;
                }
                _ => continue,
            };
            if let Some(text) = v.as_str() {
                let s = Spanned::new(text.to_string(), v.span);
                if let Some(b) = read::bool_str(
                    cx,
                    &s,
                    &format!("metadata.annotations[{}]", crate::text::quote(&k.value)),
                ) {
                    *slot = b;
                }
            }
        }
    }

    // Triggers.
    let mut metrics = Vec::new();
    let mut resource_only = true;
    let mut any_trigger = false;
    let mut names: Vec<Spanned<String>> = Vec::new();
    match read::sequence(cx, spec, "triggers", "spec.triggers") {
        Some(list) => {
            for (i, t) in list.iter().enumerate() {
                let path = format!("spec.triggers[{i}]");
                if t.as_mapping().is_none() {
                    cx.error(
                        Code::WrongType,
                        t.span,
                        format!("`{path}` must be a mapping"),
                    );
                    continue;
                }
                any_trigger = true;
                if let Some(n) = read::string(cx, t, "name", &format!("{path}.name")) {
                    if let Some(prev) = names.iter().find(|p| p.value == n.value) {
                        let line = prev.span.start.line;
                        cx.error(
                            Code::DuplicateName,
                            n.span,
                            format!("trigger name `{}` is already used on line {line}: trigger names must be unique", crate::text::quote(&n.value)),
                        );
                    }
                    names.push(n);
                }
                let ty = read::string(cx, t, "type", &format!("{path}.type"));
                let Some(ty) = ty else {
                    read::missing(
                        cx,
                        t.span,
                        &format!("{path}.type"),
                        " (e.g. prometheus, cpu, memory)",
                    );
                    continue;
                };
                if !matches!(ty.value.as_str(), "cpu" | "memory") {
                    resource_only = false;
                }
                if let Some(m) = read_trigger(cx, t, &ty, i, &path) {
                    metrics.push(m);
                }
            }
            if list.is_empty() {
                if let Some((_, n)) = spec.entry("triggers") {
                    cx.error(
                        Code::MissingField,
                        n.span,
                        "`spec.triggers` needs at least one trigger",
                    );
                }
            }
        }
        None => {
            if read::entry(spec, "triggers").is_none() {
                read::missing(cx, spec_key, "spec.triggers", " (at least one trigger)");
            }
        }
    }
    if any_trigger && resource_only && min.value == 0 {
        let mut d = Diagnostic::error(
            Code::KedaResourceOnlyZero,
            "all triggers are cpu/memory and minReplicaCount is 0: the KEDA webhook rejects this (scale to zero doesn't work without an external trigger)",
        )
        .at_opt(min.span().or(Some(spec_key)));
        if let Some(s) = min.span() {
            d = d.with_fix("set minReplicaCount to 1", s, "1");
        }
        cx.push(d);
    }

    let mut a = doc.autoscaler(
        Family::Keda,
        min,
        max,
        Algorithm::Keda(KedaParams {
            polling_interval: polling,
            cooldown_period: cooldown,
            initial_cooldown_period: initial_cooldown,
            min_replica_count: min,
            idle_replica_count: idle,
            hpa: hpa_params,
            paused_scale_in: flags.0,
            paused_scale_out: flags.1,
            force_activation: flags.2,
        }),
    );
    a.target = target;
    a.metrics = metrics;
    Some(a)
}

/// Metadata value as a string (KEDA metadata is `map[string]string`).
fn meta_str(cx: &mut Cx, md: &Node, key: &str, path: &str) -> Option<Spanned<String>> {
    read::crd_string(cx, md, key, &format!("{path}.metadata.{key}"))
}

fn read_trigger(
    cx: &mut Cx,
    t: &Node,
    ty: &Spanned<String>,
    i: usize,
    path: &str,
) -> Option<Metric> {
    let metric_type = read::string(cx, t, "metricType", &format!("{path}.metricType"));
    let mt = match &metric_type {
        Some(s) => read::one_of(
            cx,
            s,
            &["AverageValue", "Value", "Utilization"],
            &format!("{path}.metricType"),
            Code::UnknownTargetType,
        )?,
        None => "AverageValue",
    };
    let md_path = format!("{path}.metadata");
    let md = read::mapping(cx, t, "metadata", &md_path);
    let md_key = read::key_span(t, "metadata", t.span);
    let name = Spanned::new(format!("s{i}-{}", ty.value), ty.span);
    match ty.value.as_str() {
        "prometheus" => {
            let Some(md) = md else {
                read::missing(cx, t.span, &md_path, " (serverAddress, query, threshold)");
                return None;
            };
            if mt == "Utilization" {
                if let Some(s) = &metric_type {
                    cx.error(
                        Code::UnknownTargetType,
                        s.span,
                        "metricType Utilization is only for cpu/memory triggers",
                    );
                }
                return None;
            }
            let server = meta_str(cx, md, "serverAddress", path);
            if server.is_none() {
                read::missing(cx, md_key, &format!("{md_path}.serverAddress"), "");
            }
            let query = meta_str(cx, md, "query", path);
            if query.is_none() {
                read::missing(cx, md_key, &format!("{md_path}.query"), "");
            }
            let threshold = meta_str(cx, md, "threshold", path);
            let th = match &threshold {
                Some(s) => read::float_str(cx, s, &format!("{md_path}.threshold")),
                None => {
                    read::missing(
                        cx,
                        md.span,
                        &format!("{md_path}.threshold"),
                        " (a number as a string, e.g. \"100\")",
                    );
                    None
                }
            };
            let activation = meta_str(cx, md, "activationThreshold", path);
            let act = match &activation {
                Some(s) => read::float_str(cx, s, &format!("{md_path}.activationThreshold"))
                    .map(|f| Param::yaml(f, s.span)),
                None => Some(up::ACTIVATION_THRESHOLD.param()),
            };
            let threshold = threshold?;
            // GetMetricTargetMili: fmt "%.3f" → Quantity; negative/NaN become 0.
            let th = th?;
            let th3 = (th * 1000.0).round() / 1000.0;
            if th3 <= 0.0 {
                cx.error(
                    Code::InvalidTarget,
                    threshold.span,
                    format!(
                        "`{md_path}.threshold` must be > 0 (KEDA rounds it to 3 decimals: {th3})"
                    ),
                );
                return None;
            }
            if let Some(q) = &query {
                if let Some(d) = crate::analysis::check_keda_query(q, metric_type.as_ref(), th3) {
                    cx.push(d);
                }
            }
            Some(Metric {
                name,
                source: MetricSource::KedaPrometheus {
                    query: query?.value,
                    server_address: server.map(|s| s.value),
                },
                target: MetricTarget {
                    target_type: if mt == "Value" {
                        TargetType::Value
                    } else {
                        TargetType::AverageValue
                    },
                    value: Param::yaml(th3, threshold.span),
                },
                bound: None,
                activation_threshold: act,
                span: t.span,
            })
        }
        "cpu" | "memory" => {
            // cpu_memory_scaler.go: trigger-level metricType (or legacy metadata.type).
            let Some(md) = md else {
                read::missing(cx, t.span, &md_path, " (value)");
                return None;
            };
            let mt = if metric_type.is_none() {
                match meta_str(cx, md, "type", path) {
                    Some(s) => read::one_of(
                        cx,
                        &s,
                        &["Utilization", "AverageValue"],
                        &format!("{md_path}.type"),
                        Code::UnknownTargetType,
                    )?,
                    None => {
                        read::missing(
                            cx,
                            t.span,
                            &format!("{path}.metricType"),
                            " for a cpu/memory trigger (Utilization or AverageValue)",
                        );
                        return None;
                    }
                }
            } else {
                mt
            };
            if mt == "Value" {
                if let Some(s) = &metric_type {
                    cx.error(
                        Code::UnknownTargetType,
                        s.span,
                        "a cpu/memory trigger takes metricType Utilization or AverageValue",
                    );
                }
                return None;
            }
            let v = meta_str(cx, md, "value", path);
            let Some(v) = v else {
                read::missing(cx, md_key, &format!("{md_path}.value"), "");
                return None;
            };
            let value = if mt == "Utilization" {
                match v.value.parse::<i32>() {
                    Ok(u) if u >= 1 => f64::from(u),
                    Err(_) if read::decimal_int_text(&v.value) != read::IntText::NotInt => {
                        read::int_out_of_range(
                            cx,
                            v.span,
                            &format!("{md_path}.value"),
                            (1, i64::from(i32::MAX)),
                            read::INT32_GO,
                            &v.value,
                        );
                        return None;
                    }
                    _ => {
                        cx.error(Code::InvalidTarget, v.span, format!("`{md_path}.value` must be a whole percent ≥ 1 for Utilization, found \"{}\"", crate::text::quote(&v.value)));
                        return None;
                    }
                }
            } else {
                match crate::quantity::Quantity::parse(&v.value) {
                    Ok(q) if q.signum() > 0 && !q.milli_value_fits() => {
                        read::milli_out_of_range(cx, v.span, &format!("{md_path}.value"), &v.value);
                        return None;
                    }
                    Ok(q) if q.signum() > 0 => q.milli_value() as f64 / 1000.0,
                    Ok(_) => {
                        cx.error(
                            Code::InvalidTarget,
                            v.span,
                            format!("`{md_path}.value` must be > 0"),
                        );
                        return None;
                    }
                    Err(e) => {
                        cx.error(
                            Code::InvalidValue,
                            v.span,
                            format!("`{md_path}.value`: {e}"),
                        );
                        return None;
                    }
                }
            };
            Some(Metric {
                name: Spanned::new(ty.value.clone(), ty.span),
                source: MetricSource::KedaResource,
                target: MetricTarget {
                    target_type: if mt == "Utilization" {
                        TargetType::Utilization
                    } else {
                        TargetType::AverageValue
                    },
                    value: Param::yaml(value, v.span),
                },
                bound: None,
                activation_threshold: None,
                span: t.span,
            })
        }
        other => {
            cx.warning(
                Code::UnsupportedFeature,
                ty.span,
                format!(
                    "trigger type `{}` is not replayed (supported: prometheus, cpu, memory)",
                    crate::text::quote(other)
                ),
            );
            let _ = check_metric_unit;
            None
        }
    }
}

rule_doc! {
    /// A KEDA ScaledObject with minReplicaCount 0 and only cpu/memory triggers.
    ///
    /// # What it does
    /// Reports a KEDA ScaledObject whose triggers are all cpu/memory with `minReplicaCount: 0`.
    ///
    /// # Why is this bad
    /// The KEDA webhook rejects it: with no pods there is no CPU to measure, so scale to zero cannot
    /// work.
    ///
    /// # Example
    /// ```text
    /// minReplicaCount: 0
    /// triggers:
    ///   - type: cpu
    ///     metricType: Utilization
    ///     metadata: {value: "60"}
    /// ```
    ///
    /// # Fix
    /// `minReplicaCount: 1`, or add an external trigger.
    ///
    /// # References
    /// - kedacore/keda v2.18 `apis/keda/v1alpha1/scaledobject_webhook.go` ("scale to zero doesn't work
    ///   in this case").
    pub(crate) const KEDA_RESOURCE_ONLY_ZERO;
}

rule_doc! {
    /// Two KEDA triggers share a name.
    ///
    /// # What it does
    /// Reports two KEDA triggers with the same `name`.
    ///
    /// # Why is this bad
    /// KEDA's `ValidateTriggers` rejects the ScaledObject.
    ///
    /// # Example
    /// ```text
    /// triggers:
    ///   - {type: prometheus, name: load, ...}
    ///   - {type: prometheus, name: load, ...}
    /// ```
    ///
    /// # Fix
    /// Give each trigger a unique name.
    ///
    /// # References
    /// - kedacore/keda v2.18 `apis/keda/v1alpha1/scaletriggers_types.go` (`ValidateTriggers`: trigger
    ///   names must be unique).
    pub(crate) const DUPLICATE_NAME;
}
