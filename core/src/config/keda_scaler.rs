//! KEDA triggers other than prometheus, cpu, memory and cron, read from the scaler table
//! ([`crate::upstream::keda_scalers`]): each becomes one External metric whose target and
//! activation threshold are the row's metadata keys (or the row's defaults), replayed by the
//! KEDA controller as it replays a prometheus trigger.
//!
//! Naming: the metric is `s<i>-<type>` (`i` the trigger's index in `spec.triggers`), the
//! stable prefix of the name KEDA gives it (`GenerateMetricNameWithIndex`; KEDA appends a
//! scaler-specific part such as the kafka topic, which a demand series may carry too:
//! [`crate::sim::series_names_metric`]). A demand series may also use the trigger's `name`.
//!
//! Metadata is free-form for KEDA (unknown keys are not errors unless the off-by-default
//! `KEDA_CHECK_UNEXPECTED_SCALERS_PARAMS` is set, `pkg/scalers/scalersconfig/typed_config.go`),
//! so connection keys, `authenticationRef` and `*FromEnv` keys are read by nobody here and
//! reported by nobody.

use super::keda::Trigger;
use crate::algorithm::keda_cron::{self, CronSpec};
use crate::algorithm::keda_formula::{Formula, FormulaError};
use crate::codes::{rule_doc, Code};
use crate::config::cursor::Cursor;
use crate::config::read::{self, Cx};
use crate::diagnostic::Diagnostic;
use crate::model::{Metric, MetricSource, MetricTarget, ScalingModifiers, TargetType};
use crate::span::{Param, Spanned};
use crate::upstream::keda_scalers::{self, Activity, Scaler};

/// The first of `keys` written in the trigger's metadata, with its key.
fn first_written(
    cx: &mut Cx,
    t: &Trigger,
    keys: &[&'static str],
) -> Option<(&'static str, Spanned<String>)> {
    keys.iter()
        .find(|k| t.metadata.has(k))
        .and_then(|k| t.metadata.crd_string(cx, k).map(|s| (*k, s)))
}

/// A number of the metadata: a float, or for an integer field (`int64` upstream) a whole
/// number (Go's `json.Unmarshal`/`strconv.ParseInt` reject `5.5`).
fn number(cx: &mut Cx, t: &Trigger, key: &str, s: &Spanned<String>, integer: bool) -> Option<f64> {
    let path = t.metadata.at(key);
    let v = read::float_str(cx, s, &path)?;
    if integer && (v.fract() != 0.0 || s.value.contains(['.', 'e', 'E'])) {
        cx.error(
            Code::InvalidValue,
            s.span,
            format!(
                "`{path}` must be a whole number (the scaler reads it as an int64), found \"{}\"",
                crate::text::quote(&s.value)
            ),
        );
        return None;
    }
    Some(v)
}

/// One trigger of a table scaler: its External metric, or `None` (reported) when the target
/// cannot be read or replayed.
pub(super) fn generic(
    cx: &mut Cx,
    t: &Trigger,
    scaler: &'static Scaler,
    ty: &Spanned<String>,
    i: usize,
) -> Option<Metric> {
    if t.utilization(cx) {
        return None;
    }
    if !scaler.replayable() {
        cx.warning(
            Code::UnsupportedFeature,
            ty.span,
            format!(
                "trigger type `{}` is not replayed: {}; this trigger reads nothing in the replay",
                ty.value, scaler.caveat
            ),
        );
        return None;
    }
    let target = match (
        scaler.fixed_target,
        first_written(cx, t, scaler.target_keys),
    ) {
        (Some(fixed), _) => Param::default(fixed, scaler.source),
        (None, Some((key, s))) => {
            let v = number(cx, t, key, &s, scaler.integer)?;
            // GetMetricTargetMili: int64(v × 1000) milli.
            let v = (v * 1000.0).trunc() / 1000.0;
            if v <= 0.0 {
                cx.error(
                    Code::InvalidTarget,
                    s.span,
                    format!(
                        "`{}` must be > 0 (the HPA divides by it)",
                        t.metadata.at(key)
                    ),
                );
                return None;
            }
            Param::yaml(v, s.span)
        }
        (None, None) => match scaler.target_default {
            Some(d) => Param::default(d, scaler.source),
            None => {
                let key = scaler.target_keys.first().copied().unwrap_or("");
                t.metadata.missing(
                    cx,
                    t.md_key,
                    key,
                    &format!(
                        " (the {} scaler's target, a number as a string)",
                        scaler.name()
                    ),
                );
                return None;
            }
        },
    };
    let activation = match (
        scaler.activity,
        first_written(cx, t, scaler.activation_keys),
    ) {
        // `queueLen >= target` on integer counts: active above target - 1.
        (Activity::AtTarget, _) => Param::default(target.value - 1.0, scaler.source),
        // Active on every poll: any count (≥ 0) is above -1.
        (Activity::Always, _) => Param::default(-1.0, scaler.source),
        (Activity::AboveActivation, Some((key, s))) => {
            Param::yaml(number(cx, t, key, &s, scaler.integer)?, s.span)
        }
        (Activity::AboveActivation, None) if scaler.activation_required => {
            let key = scaler.activation_keys.first().copied().unwrap_or("");
            t.metadata.missing(
                cx,
                t.md_key,
                key,
                &format!(
                    " (the {} scaler requires its activation threshold, a number as a string)",
                    scaler.name()
                ),
            );
            return None;
        }
        (Activity::AboveActivation, None) => {
            Param::default(scaler.activation_default, scaler.source)
        }
    };
    let name = format!("s{i}-{}", ty.value);
    let trigger_name = t.name.as_ref().map(|n| n.value.clone());
    let addressed = match &trigger_name {
        Some(n) => format!("`{name}` or `{}`", crate::text::quote(n)),
        None => format!("`{name}`"),
    };
    let mut d = Diagnostic::note(
        Code::KedaScalerDemand,
        format!(
            "the `{}` trigger replays as the External metric `{name}`: its demand is {}, in a demand column or `--demand NAME=FILE` named {addressed}",
            ty.value, scaler.unit,
        ),
    )
    .at(ty.span);
    if !scaler.caveat.is_empty() {
        d = d.with_help(format!("not replayed: {}", scaler.caveat));
    }
    match scaler.activity {
        Activity::AtTarget => {
            d = d.with_help(format!(
                "the {} scaler is active when its value reaches the target (`>=`, not an activation threshold): replayed as activation {}",
                scaler.name(),
                crate::display::Exact(activation.value)
            ));
        }
        Activity::Always => {
            d = d.with_help(format!(
                "the {} scaler reports itself active on every poll: the object never scales to zero",
                scaler.name()
            ));
        }
        Activity::AboveActivation => {}
    }
    let value_type = scaler.value_type_only || t.mt == "Value";
    if scaler.value_type_only && t.mt != "Value" {
        d = d.with_help(format!(
            "the {} scaler gives the HPA a `Value` target whatever `metricType` says: the target is compared with the total, not the per-pod average",
            scaler.name()
        ));
    }
    cx.push(d);
    Some(Metric {
        name: Spanned::new(name, ty.span),
        source: MetricSource::KedaScaler {
            scaler: ty.value.clone(),
            trigger_name,
            unit: scaler.unit,
        },
        target: MetricTarget {
            target_type: if value_type {
                TargetType::Value
            } else {
                TargetType::AverageValue
            },
            value: target,
        },
        bound: None,
        activation_threshold: Some(activation),
        selector: Vec::new(),
        span: t.cursor.node.span,
    })
}

/// A `cron` trigger (`pkg/scalers/cron_scaler.go parseCronMetadata`, `cronMetadata.Validate`):
/// every key required, schedules as robfig/cron reads them, an IANA zone, `start != end`,
/// `desiredReplicas != 0`. Its metric has KEDA's fixed target 1, so the HPA wants
/// `desiredReplicas` inside the window.
pub(super) fn cron(cx: &mut Cx, t: &Trigger, ty: &Spanned<String>, i: usize) -> Option<Metric> {
    if t.utilization(cx) {
        return None;
    }
    let md = &t.metadata;
    let required =
        |cx: &mut Cx, key: &str, hint: &str| md.required_crd_string(cx, key, t.md_key, hint);
    let timezone = required(cx, "timezone", " (an IANA zone such as Europe/Berlin)");
    let start = required(cx, "start", " (a 5-field cron expression)");
    let end = required(cx, "end", " (a 5-field cron expression)");
    let desired = required(cx, "desiredReplicas", " (the replicas inside the window)");
    let zone_ok = timezone.as_ref().is_some_and(|z| {
        let r = keda_cron::parse_zone(&z.value);
        if let Err(e) = &r {
            let hint = if z.value == "Local" {
                ": `Local` is the KEDA operator pod's own zone, which the manifest does not say"
            } else {
                ""
            };
            cx.error(
                Code::InvalidValue,
                z.span,
                format!("`{}`: {e}{hint}", md.at("timezone")),
            );
        }
        r.is_ok()
    });
    let schedule_ok = |cx: &mut Cx, key: &str, s: &Option<Spanned<String>>| {
        let Some(s) = s else { return false };
        match keda_cron::parse_schedule(&s.value) {
            Ok(_) => true,
            Err(e) => {
                cx.error(
                    Code::InvalidValue,
                    s.span,
                    format!(
                        "`{}` \"{}\" is not a cron expression KEDA accepts: {e}",
                        md.at(key),
                        crate::text::quote(&s.value)
                    ),
                );
                false
            }
        }
    };
    let start_ok = schedule_ok(cx, "start", &start);
    let end_ok = schedule_ok(cx, "end", &end);
    if let (Some(a), Some(b)) = (&start, &end) {
        if a.value == b.value {
            cx.error(
                Code::InvalidValue,
                b.span,
                "`start` and `end` must differ (KEDA rejects a window that starts where it ends)",
            );
            return None;
        }
    }
    let desired_replicas = match &desired {
        Some(d) => match d.value.trim().parse::<i64>() {
            Ok(0) => {
                cx.error(
                    Code::InvalidValue,
                    d.span,
                    format!("`{}` must not be 0", md.at("desiredReplicas")),
                );
                return None;
            }
            Ok(n) => n,
            Err(_) => {
                cx.error(
                    Code::InvalidValue,
                    d.span,
                    format!(
                        "`{}` must be a whole number, found \"{}\"",
                        md.at("desiredReplicas"),
                        crate::text::quote(&d.value)
                    ),
                );
                return None;
            }
        },
        None => return None,
    };
    if !(zone_ok && start_ok && end_ok) {
        return None;
    }
    let (timezone, start, end) = (timezone?, start?, end?);
    Some(Metric {
        name: Spanned::new(format!("s{i}-cron"), ty.span),
        source: MetricSource::KedaCron(CronSpec {
            timezone: timezone.value,
            start: start.value,
            end: end.value,
            desired_replicas,
        }),
        target: MetricTarget {
            target_type: if t.mt == "Value" {
                TargetType::Value
            } else {
                TargetType::AverageValue
            },
            // GetMetricTarget(metricType, 1).
            value: Param::default(1.0, &keda_scalers::CRON),
        },
        bound: None,
        activation_threshold: Some(Param::default(0.0, &keda_scalers::CRON)),
        selector: Vec::new(),
        span: t.cursor.node.span,
    })
}

/// `spec.advanced.scalingModifiers` (`ValidateAndCompileScalingModifiers`,
/// `validateScalingModifiersTarget`): `formula` and `target` required, the target a float
/// above 0, `activationTarget` a float (0 when not written), `metricType` AverageValue or
/// Value, the formula compiled over the named triggers `variables`.
pub(super) fn modifiers(
    cx: &mut Cx,
    m: &Cursor,
    key: crate::span::Span,
    variables: Vec<(String, usize)>,
) -> Option<ScalingModifiers> {
    m.unknown_keys(cx, &["formula", "target", "activationTarget", "metricType"]);
    let formula = m.required_crd_string(
        cx,
        "formula",
        m.node.span,
        " (KEDA: ScalingModifiers.Formula is mandatory)",
    );
    let target = m.required_crd_string(cx, "target", key, " (a number as a string)");
    let target = target.and_then(|s| {
        let v = read::float_str(cx, &s, &m.at("target"))?;
        if v <= 0.0 {
            cx.error(
                Code::InvalidTarget,
                s.span,
                format!("`{}` must be > 0", m.at("target")),
            );
            return None;
        }
        Some(Param::yaml(v, s.span))
    });
    let activation = match m.crd_string(cx, "activationTarget") {
        Some(s) => Param::yaml(read::float_str(cx, &s, &m.at("activationTarget"))?, s.span),
        None => Param::default(0.0, &crate::upstream::keda::TYPES),
    };
    let target_type = match m.one_of(
        cx,
        "metricType",
        &["AverageValue", "Value"],
        Code::UnknownTargetType,
    ) {
        Some(v) if v.value == "Value" => TargetType::Value,
        _ => TargetType::AverageValue,
    };
    let formula = formula?;
    let names: Vec<String> = variables.iter().map(|(n, _)| n.clone()).collect();
    if let Err(e) = Formula::compile(&formula.value, &names) {
        if e == FormulaError::NotInBuild {
            cx.error(
                Code::InvalidValue,
                formula.span,
                format!("`{}`: {e}", m.at("formula")),
            );
            return None;
        }
        let env = if names.is_empty() {
            "no named trigger (only triggers with a `name`, not cpu/memory, are variables)"
                .to_string()
        } else {
            names.join(", ")
        };
        cx.error(
            Code::InvalidValue,
            formula.span,
            format!(
                "`{}` cannot be evaluated: {e} (KEDA compiles it with expr-lang over the named triggers: {env})",
                m.at("formula")
            ),
        );
        return None;
    }
    Some(ScalingModifiers {
        formula: formula.value,
        target: target?,
        activation_target: activation,
        target_type,
        variables,
    })
}

rule_doc! {
    /// A KEDA trigger replayed from Scalelens' scaler table: which unit its demand is in.
    ///
    /// # What it does
    /// Notes, for each KEDA trigger of a scaler in the table (kafka, rabbitmq, aws-sqs-queue,
    /// redis, …), that it replays as the External metric KEDA makes of it, with the target and
    /// activation threshold of its metadata (or the scaler's defaults), and what its demand
    /// counts: the queue length, the lag, the query's result. It names the metric a demand
    /// series must be named after, and what the replay leaves out for that scaler (kafka's cap
    /// at partitions × lagThreshold, for one).
    ///
    /// # Why is this bad
    /// It is not: it says how to feed the replay. Demand in another unit (requests per second for
    /// a kafka lag trigger) replays something the cluster would not see.
    ///
    /// # Example
    /// ```text
    /// triggers:
    ///   - type: kafka
    ///     metadata: {topic: orders, consumerGroup: billing, lagThreshold: "50"}
    /// ```
    ///
    /// # Fix
    /// Give the demand in the trigger's unit, in a column named `s0-kafka` (or the trigger's
    /// `name`), or `--demand s0-kafka=lag.csv`.
    ///
    /// # References
    /// - kedacore/keda v2.18 `pkg/scalers/*_scaler.go` (each scaler's metadata and
    ///   `GetMetricsAndActivity`), `controllers/keda/hpa.go` (`getScaledObjectMetricSpecs`).
    pub(crate) const KEDA_SCALER_DEMAND;
}
