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
use crate::config::cursor::Cursor;
use crate::config::hpa::{self, target_ref};
use crate::config::read::{self, Cx};
use crate::config::{unknown_kind, unknown_version, Doc};
use crate::diagnostic::Diagnostic;
use crate::knobs::keda as knob;
use crate::model::{
    Algorithm, Autoscaler, FallbackBehavior, Family, HpaParams, KedaFallback, KedaParams,
    KedaPause, Metric, MetricSource, MetricTarget, TargetType,
};
use crate::span::{Param, Span, Spanned};
use crate::yaml::Node;

use crate::upstream::keda as up;
use crate::upstream::keda_scalers;

/// The Kubernetes API's `int32` bound ([`read::INT32_API`]).
const I32_MAX: i64 = i32::MAX as i64;

/// Read one ScaledObject document.
pub fn read(cx: &mut Cx, doc: &Doc) -> Option<Autoscaler> {
    if !is_scaled_object(cx, doc) {
        return None;
    }
    let spec_key = doc.key_span("spec");
    let spec = Cursor::root(doc.root).required(cx, "spec", doc.kind.span, "")?;
    let [min_key, max_key, polling_key, cooldown_key, initial_cooldown_key] = [
        knob::MIN_REPLICA_COUNT.place,
        knob::MAX_REPLICA_COUNT.place,
        knob::POLLING_INTERVAL.place,
        knob::COOLDOWN_PERIOD.place,
        knob::INITIAL_COOLDOWN_PERIOD.place,
    ]
    .map(|p| p.key());
    spec.unknown_keys(
        cx,
        &[
            "scaleTargetRef",
            polling_key,
            cooldown_key,
            initial_cooldown_key,
            "idleReplicaCount",
            min_key,
            max_key,
            "advanced",
            "triggers",
            "fallback",
        ],
    );
    let target = target_ref(cx, &spec, spec_key);
    let polling = spec.seconds_in(cx, polling_key, 1, I32_MAX);
    let cooldown = spec.seconds_in(cx, cooldown_key, 0, I32_MAX);
    let initial_cooldown = spec.seconds_in(cx, initial_cooldown_key, 0, I32_MAX);
    let min_written = spec.count_in(cx, min_key, 0, I32_MAX);
    let min = min_written.unwrap_or(up::MIN_REPLICA_COUNT.param());
    let max = spec
        .count_in(cx, max_key, 0, I32_MAX)
        .unwrap_or(up::MAX_REPLICA_COUNT.param());
    let idle = spec.count_in(cx, "idleReplicaCount", 0, I32_MAX);
    check_replica_counts(cx, &min, min_written.is_some(), &max, idle.as_ref());

    let mut hpa_params = hpa::default_params();
    let adv = spec.field(cx, "advanced");
    if let Some(adv) = &adv {
        read_advanced(cx, adv, &mut hpa_params);
    }
    let flags = read_annotations(cx, doc.root);
    let (metrics, resource_only, variables) = read_triggers(cx, &spec, spec_key);
    let modifiers = adv.as_ref().and_then(|a| {
        let key = a.key_span("scalingModifiers", a.node.span);
        let m = a.field(cx, "scalingModifiers")?;
        super::keda_scaler::modifiers(cx, &m, key, variables)
    });
    let fallback = spec
        .field(cx, "fallback")
        .and_then(|f| read_fallback(cx, &f, spec.key_span("fallback", spec_key), &spec));
    if resource_only && min.value == 0 {
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
            polling_interval: polling.unwrap_or(up::POLLING_INTERVAL.param()),
            cooldown_period: cooldown.unwrap_or(up::COOLDOWN_PERIOD.param()),
            initial_cooldown_period: initial_cooldown
                .unwrap_or(up::INITIAL_COOLDOWN_PERIOD.param()),
            min_replica_count: min,
            idle_replica_count: idle,
            hpa: hpa_params,
            paused_scale_in: flags.paused_scale_in,
            paused_scale_out: flags.paused_scale_out,
            force_activation: flags.force_activation,
            pause: flags.pause,
            modifiers,
            fallback,
        }),
    );
    a.target = target;
    a.metrics = metrics;
    Some(a)
}

/// `spec.fallback` (`Fallback`: `failureThreshold` and `replicas` required int32, `behavior`
/// one of the CRD's enum, default `static`), checked as the admission webhook checks it
/// (`CheckFallbackValid`: `keda-fallback-invalid`, an error) and as KEDA checks it at run
/// time (`HasValidFallback`: a `scalingModifiers.target` that is not an integer above 0 turns
/// fallback off, a warning). `None` when it cannot be read or the webhook rejects it.
fn read_fallback(cx: &mut Cx, f: &Cursor, key: Span, spec: &Cursor) -> Option<Box<KedaFallback>> {
    use crate::algorithm::keda_fallback::{check_fallback_valid, has_valid_fallback};
    f.unknown_keys(cx, &["failureThreshold", "replicas", "behavior"]);
    let int32 = (i64::from(i32::MIN), I32_MAX);
    // Both numbers are required int32s (the CRD lists them under `required`).
    let [threshold, replicas] = [
        (
            "failureThreshold",
            " (failed reads before the fallback applies)",
        ),
        ("replicas", " (the replicas the fallback stands for)"),
    ]
    .map(|(k, hint)| {
        let v = f.int_typed(cx, k, int32.0, int32.1);
        if v.is_none() && !f.has(k) {
            f.missing(cx, key, k, hint);
        }
        v
    });
    let names: Vec<&str> = FallbackBehavior::ALL.iter().map(|(n, _)| *n).collect();
    let behavior = match f.entry("behavior") {
        None => Some(up::FALLBACK_BEHAVIOR.param()),
        Some(_) => f
            .one_of(cx, "behavior", &names, Code::UnknownValue)
            .and_then(|s| {
                FallbackBehavior::ALL
                    .iter()
                    .find(|(n, _)| *n == s.value)
                    .map(|(_, b)| Param::yaml(*b, s.span))
            }),
    };
    let (threshold, replicas, behavior) = (threshold?, replicas?, behavior?);
    // `IsUsingModifiers`: a non-empty `advanced.scalingModifiers`.
    let modifiers = spec
        .node
        .path(&["advanced", "scalingModifiers"])
        .and_then(Node::as_mapping)
        .filter(|m| !m.is_empty());
    let modifier_target = modifiers.map(|_| {
        spec.node
            .path(&["advanced", "scalingModifiers", "target"])
            .and_then(Node::as_str)
            .unwrap_or("")
    });
    let types: Vec<&str> = spec
        .node
        .get("triggers")
        .and_then(Node::as_sequence)
        .unwrap_or(&[])
        .iter()
        .filter_map(|t| t.get("type").and_then(Node::as_str))
        .collect();
    if let Err(e) =
        check_fallback_valid(threshold.value, replicas.value, &types, modifiers.is_some())
    {
        let why = match e {
            crate::algorithm::keda_fallback::FallbackInvalid::Negative { .. } => {
                "both must be 0 or more"
            }
            crate::algorithm::keda_fallback::FallbackInvalid::OnlyCpuMemory => {
                "every trigger is cpu or memory, which metrics-server serves, not KEDA: no read of KEDA's could fail and fall back (v2.18 accepts any other trigger, AverageValue or Value, despite the message)"
            }
        };
        cx.push(
            Diagnostic::error(
                Code::KedaFallbackInvalid,
                format!("KEDA's admission webhook rejects this `spec.fallback`: \"{e}\" ({why})"),
            )
            .at(key)
            .with_help("kedacore/keda v2.18 apis/keda/v1alpha1/scaledobject_types.go CheckFallbackValid, run by the webhook's verifyFallback"),
        );
        return None;
    }
    let valid = has_valid_fallback(threshold.value, replicas.value, modifier_target);
    if !valid {
        let at = spec
            .node
            .path(&["advanced", "scalingModifiers"])
            .and_then(|m| m.entry("target"))
            .map_or(key, |(k, _)| k.span);
        cx.push(
            Diagnostic::warning(
                Code::KedaFallbackInvalid,
                format!(
                    "`spec.fallback` never applies: with `scalingModifiers`, KEDA v2.18 reads `target` (\"{}\") with strconv.ParseInt for the fallback and needs an integer above 0 (HasValidFallback); a failed metric then goes to the HPA as an error however long it fails",
                    crate::text::quote(modifier_target.unwrap_or(""))
                ),
            )
            .at(at)
            .with_help(whole_target_help(modifier_target.unwrap_or(""))),
        );
    }
    let u = |v: &Spanned<i64>| Param::yaml(u32::try_from(v.value).unwrap_or(0), v.span);
    Some(Box::new(KedaFallback {
        failure_threshold: u(&threshold),
        replicas: u(&replicas),
        behavior,
        valid,
    }))
}

/// How to write a composite `target` KEDA's fallback accepts: scale the formula and the
/// target together by the smallest power of ten that makes the target whole.
fn whole_target_help(target: &str) -> String {
    let generic =
        "scale the formula and the target together so that the target is a whole number above 0"
            .to_string();
    let Some(v) = read::parse_float(target).filter(|v| v.is_finite() && *v > 0.0) else {
        return generic;
    };
    for k in [10.0_f64, 100.0, 1000.0] {
        let scaled = v * k;
        if (scaled - scaled.round()).abs() < 1e-9 && scaled.round() >= 1.0 {
            return format!(
                "{generic}: multiply the formula by {} and write target \"{}\"",
                crate::display::Num(k),
                crate::display::Num(scaled.round())
            );
        }
    }
    generic
}

/// A `keda.sh/v1alpha1` ScaledObject; the other KEDA kinds are skipped with a note.
fn is_scaled_object(cx: &mut Cx, doc: &Doc) -> bool {
    match doc.kind.value.as_str() {
        "ScaledObject" => {}
        "ScaledJob" => {
            scaled_job(cx, doc);
            return false;
        }
        "TriggerAuthentication" | "ClusterTriggerAuthentication" => {
            cx.note(
                Code::IgnoredDocument,
                doc.kind.span,
                format!(
                    "KEDA {} `{}` is not replayed: skipped",
                    doc.kind.value, doc.name.value
                ),
            );
            return false;
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
            return false;
        }
    }
    if doc.version() != "v1alpha1" {
        unknown_version(cx, doc, &["keda.sh/v1alpha1"]);
        return false;
    }
    true
}

/// A ScaledJob: its scaling strategy and limits read, and one precise diagnostic saying what
/// KEDA does at each poll (the strategy's Jobs-to-create rule with this object's numbers,
/// [`crate::algorithm::keda_job`]) and what Scalelens does not replay (a timeline: Job run
/// times and the queue's drain are the workload's). Not an autoscaler: it is not replayed.
fn scaled_job(cx: &mut Cx, doc: &Doc) {
    use crate::algorithm::keda_job::{replica_counts, Strategy};
    let root = Cursor::root(doc.root);
    let Some(spec) = root.field(cx, "spec") else {
        return;
    };
    let strategy_node = spec.field(cx, "scalingStrategy");
    let text = |key: &str| -> Option<String> {
        strategy_node
            .as_ref()
            .and_then(|s| s.node.get(key))
            .and_then(Node::as_str)
            .map(str::to_string)
    };
    let name = text("strategy").unwrap_or_default();
    let deduction = strategy_node
        .as_ref()
        .and_then(|s| {
            s.int_typed(
                cx,
                "customScalingQueueLengthDeduction",
                i64::from(i32::MIN),
                I32_MAX,
            )
        })
        .and_then(|v| i32::try_from(v.value).ok());
    let percentage = text("customScalingRunningJobPercentage").unwrap_or_default();
    let calculation = text("multipleScalersCalculation").unwrap_or_default();
    let strategy = Strategy::select(&name, deduction, &percentage);
    let polling = spec
        .seconds_in(cx, "pollingInterval", 1, I32_MAX)
        .unwrap_or(up::JOB_POLLING_INTERVAL.param());
    let min = spec
        .int_typed(cx, "minReplicaCount", 0, I32_MAX)
        .map(|v| v.value);
    let max = spec
        .int_typed(cx, "maxReplicaCount", 0, I32_MAX)
        .map(|v| v.value);
    let (min_eff, max_eff) = replica_counts(min, max);
    // The first trigger's target, from the scaler table (its key, else its default).
    let triggers = doc
        .root
        .path(&["spec", "triggers"])
        .and_then(Node::as_sequence)
        .unwrap_or(&[]);
    let first = triggers.first().and_then(|t| {
        let ty = t.get("type").and_then(Node::as_str)?;
        let row = keda_scalers::scaler(ty)?;
        let md = t.get("metadata");
        let written = row.target_keys.iter().find_map(|k| {
            md.and_then(|m| m.get(k))
                .and_then(Node::as_str)
                .and_then(read::parse_float)
                .map(|v| (*k, v))
        });
        let target = match written {
            Some((k, v)) => format!("{ty} trigger's {k} {}", crate::display::Num(v)),
            None => match row.fixed_target.or(row.target_default) {
                Some(v) => format!(
                    "{ty} trigger's target {} (its default)",
                    crate::display::Num(v)
                ),
                None => format!("{ty} trigger's target"),
            },
        };
        Some(target)
    });
    let target = first.unwrap_or_else(|| "trigger's target".to_string());
    let unknown = match name.as_str() {
        "" | "default" | "custom" | "accurate" | "eager" => String::new(),
        other => format!(
            " (`{}` is no KEDA strategy: KEDA runs default)",
            crate::text::quote(other)
        ),
    };
    let custom_fallback = if name == "custom" && strategy == Strategy::Default {
        " (customScalingRunningJobPercentage is not a number: KEDA runs default)"
    } else {
        ""
    };
    let m = max_eff;
    let effective = match strategy {
        Strategy::Default => "E = maxScale − running".to_string(),
        Strategy::Custom {
            deduction,
            percentage,
        } => format!(
            "E = min(maxScale − {deduction} − ⌊running × {}⌋, {m})",
            crate::display::Num(percentage)
        ),
        Strategy::Accurate => {
            format!("E = {m} − running when maxScale + running > {m}, else maxScale − pending")
        }
        Strategy::Eager => format!("E = min({m} − running − pending, maxScale)"),
    };
    // Eager raises scaleTo to the max, so it creates all of E.
    let creates = if strategy == Strategy::Eager {
        "E Jobs".to_string()
    } else {
        "min(ceil(q), E) Jobs".to_string()
    };
    let max_words = if min_eff > 0 {
        format!("{m} (maxReplicaCount − minReplicaCount)")
    } else {
        m.to_string()
    };
    let several = if triggers.len() > 1 {
        format!(
            "; its {} triggers combine by {}",
            triggers.len(),
            if calculation.is_empty() {
                "max"
            } else {
                calculation.as_str()
            }
        )
    } else {
        String::new()
    };
    let floor = if min_eff > 0 {
        format!(
            "; below minReplicaCount {min_eff} unfinished Jobs it creates the missing ones, above it `running` counts only the Jobs beyond {min_eff}"
        )
    } else {
        String::new()
    };
    cx.warning(
        Code::UnsupportedFeature,
        doc.kind.span,
        format!(
            "KEDA ScaledJob `{}` is read, not replayed over time: every {} KEDA reads the queue q, sets maxScale = ceil(min(q / target, {max_words})) with the {target}{several}, and creates {creates} under strategy `{}`{unknown}{custom_fallback}: {effective} (running: unfinished Jobs, pending: Jobs without a running pod){floor}. That rule is replayed as KEDA's code computes it; Job run times and how the queue drains are not, so no demand drives this object",
            crate::text::quote(&doc.name.value),
            crate::display::Dur(polling.value),
            strategy.name(),
        ),
    );
}

/// `CheckReplicaCountBoundsAreValid`: min ≤ max, idle < the effective min.
fn check_replica_counts(
    cx: &mut Cx,
    min: &Param<u32>,
    min_written: bool,
    max: &Param<u32>,
    idle: Option<&Param<u32>>,
) {
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
    let Some(idle) = idle else { return };
    let effective_min = if min_written { min.value.max(1) } else { 0 };
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

/// `spec.advanced`: the generated HPA's `behavior` (`scalingModifiers`: after the triggers).
fn read_advanced(cx: &mut Cx, adv: &Cursor, hpa_params: &mut HpaParams) {
    adv.unknown_keys(
        cx,
        &[
            "horizontalPodAutoscalerConfig",
            "restoreToOriginalReplicaCount",
            "scalingModifiers",
        ],
    );
    if let Some(h) = adv.field(cx, "horizontalPodAutoscalerConfig") {
        h.unknown_keys(cx, &["name", "behavior"]);
        hpa::read_behavior(cx, &h, hpa_params);
    }
}

/// The ScaledObject annotations the replay honours.
#[derive(Debug, Default)]
struct Flags {
    paused_scale_in: bool,
    paused_scale_out: bool,
    force_activation: bool,
    pause: Option<KedaPause>,
}

/// `metadata.annotations`: the pause-one-direction and force-activation flags, and the full
/// pause (`paused-replicas`, else `paused`), each reported as `keda-paused`.
fn read_annotations(cx: &mut Cx, root: &Node) -> Flags {
    let mut flags = Flags::default();
    let Some(ann) = root
        .path(&["metadata", "annotations"])
        .and_then(Node::as_mapping)
    else {
        return flags;
    };
    let mut paused = None;
    for (k, v) in ann {
        let slot = match k.value.as_str() {
            "autoscaling.keda.sh/paused-scale-in" => &mut flags.paused_scale_in,
            "autoscaling.keda.sh/paused-scale-out" => &mut flags.paused_scale_out,
            "autoscaling.keda.sh/force-activation" => &mut flags.force_activation,
            "autoscaling.keda.sh/paused-replicas" => {
                flags.pause = Some(paused_replicas(cx, k.span, v));
                continue;
            }
            "autoscaling.keda.sh/paused" => {
                // getBoolAnnotation: a value strconv.ParseBool rejects counts as true.
                let text = v.as_str().unwrap_or("true");
                if !matches!(text, "0" | "f" | "F" | "false" | "FALSE" | "False") {
                    paused = Some(k.span);
                }
                continue;
            }
            _ => continue,
        };
        if let Some(text) = v.as_str() {
            let s = Spanned::new(text.to_string(), v.span);
            let path = format!("metadata.annotations[{}]", crate::text::quote(&k.value));
            if let Some(b) = read::bool_str(cx, &s, &path) {
                *slot = b;
            }
        }
    }
    if let (None, Some(at)) = (flags.pause, paused) {
        flags.pause = Some(KedaPause::Frozen);
        cx.warning(
            Code::KedaPaused,
            at,
            "`autoscaling.keda.sh/paused` pauses the ScaledObject: KEDA stops its loop and deletes its HPA, so the replay holds the replicas where they start",
        );
    }
    flags
}

/// `autoscaling.keda.sh/paused-replicas`: KEDA pins the workload at the count
/// (`GetPausedReplicaCount`, `strconv.ParseInt(v, 10, 32)`); a value that is not an int32
/// leaves the object paused where it is.
fn paused_replicas(cx: &mut Cx, key: Span, v: &Node) -> KedaPause {
    let text = v.as_str().unwrap_or("");
    match text.parse::<i32>().ok().and_then(|n| u32::try_from(n).ok()) {
        Some(replicas) => {
            cx.warning(
                Code::KedaPaused,
                key,
                format!("`autoscaling.keda.sh/paused-replicas` pauses the ScaledObject at {replicas} replicas: the replay holds {replicas} and evaluates no trigger"),
            );
            KedaPause::Replicas { replicas }
        }
        None => {
            cx.error(
                Code::InvalidValue,
                v.span,
                format!(
                    "`autoscaling.keda.sh/paused-replicas` must be a whole number of replicas, found \"{}\": KEDA stays paused at the current replicas and reports an error",
                    crate::text::quote(text)
                ),
            );
            KedaPause::Frozen
        }
    }
}

/// `spec.triggers`: the metrics, and whether every trigger is cpu/memory (at least one).
/// Also the formula's variables: each named trigger other than cpu/memory and its metric's
/// index (`validateScalingModifiersFormula`'s environment).
fn read_triggers(
    cx: &mut Cx,
    spec: &Cursor,
    spec_key: Span,
) -> (Vec<Metric>, bool, Vec<(String, usize)>) {
    let mut variables = Vec::new();
    let mut metrics = Vec::new();
    let mut resource_only = true;
    let mut any_trigger = false;
    let mut names: Vec<Spanned<String>> = Vec::new();
    let Some(list) = spec.sequence(cx, "triggers") else {
        if !spec.has("triggers") {
            spec.missing(cx, spec_key, "triggers", " (at least one trigger)");
        }
        return (metrics, false, variables);
    };
    for (i, t) in list.iter().enumerate() {
        if !t.expect_mapping(cx, "") {
            continue;
        }
        any_trigger = true;
        let name = t.string(cx, "name");
        if let Some(n) = name.clone() {
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
        let Some(ty) = t.string(cx, "type") else {
            t.missing(cx, t.node.span, "type", " (e.g. prometheus, cpu, memory)");
            continue;
        };
        let resource = matches!(ty.value.as_str(), "cpu" | "memory");
        if !resource {
            resource_only = false;
        }
        let variable = name.as_ref().map(|n| n.value.clone());
        if let Some(m) = read_trigger(cx, t, &ty, name, i) {
            if let (false, Some(v)) = (resource, variable) {
                variables.push((v, metrics.len()));
            }
            metrics.push(m);
        }
    }
    if list.is_empty() {
        if let Some((_, n)) = spec.node.entry("triggers") {
            cx.error(
                Code::MissingField,
                n.span,
                "`spec.triggers` needs at least one trigger",
            );
        }
    }
    (metrics, any_trigger && resource_only, variables)
}

/// One trigger: its `metricType` and `metadata` (KEDA metadata is `map[string]string`).
pub(super) struct Trigger<'n> {
    pub(super) cursor: &'n Cursor<'n>,
    /// The trigger's `name`, when written.
    pub(super) name: Option<Spanned<String>>,
    pub(super) metric_type: Option<Spanned<String>>,
    /// The `metricType`, `AverageValue` when not written.
    pub(super) mt: &'static str,
    pub(super) metadata: Cursor<'n>,
    /// The span of the `metadata` key (or the trigger's).
    pub(super) md_key: Span,
}

impl Trigger<'_> {
    /// `metricType: Utilization` on a trigger other than cpu/memory: reported (KEDA's
    /// `GetMetricTargetType` rejects it), and the trigger is not read further.
    pub(super) fn utilization(&self, cx: &mut Cx) -> bool {
        if self.mt != "Utilization" {
            return false;
        }
        if let Some(s) = &self.metric_type {
            cx.error(
                Code::UnknownTargetType,
                s.span,
                "metricType Utilization is only for cpu/memory triggers",
            );
        }
        true
    }
}

/// The trigger types with a reader of their own; the others are the scaler table's
/// ([`keda_scalers::SCALERS`]).
const OWN_READERS: &[&str] = &["prometheus", "cpu", "memory", "cron"];

/// An unknown trigger type: not replayed, said with what is.
fn unknown_trigger_type(cx: &mut Cx, ty: &Spanned<String>) {
    let mut known: Vec<&str> = OWN_READERS.to_vec();
    known.extend(
        keda_scalers::SCALERS
            .iter()
            .filter(|s| s.replayable())
            .map(|s| s.name()),
    );
    let mut d = Diagnostic::warning(
        Code::UnsupportedFeature,
        format!(
            "trigger type `{}` is not replayed: it is not in Scalelens' KEDA scaler table, so this trigger reads nothing",
            crate::text::quote(&ty.value),
        ),
    )
    .at(ty.span)
    .with_help(format!("replayed trigger types: {}", known.join(", ")));
    known.extend(keda_scalers::types());
    if let Some(best) = read::closest(&ty.value, &known) {
        d = d.with_fix(format!("use `{best}`"), ty.span, best);
    }
    cx.push(d);
}

fn read_trigger(
    cx: &mut Cx,
    t: &Cursor,
    ty: &Spanned<String>,
    name: Option<Spanned<String>>,
    i: usize,
) -> Option<Metric> {
    let metric_type = t.string(cx, "metricType");
    let mt = match &metric_type {
        Some(s) => read::one_of(
            cx,
            s,
            &["AverageValue", "Value", "Utilization"],
            &t.at("metricType"),
            Code::UnknownTargetType,
        )?,
        None => "AverageValue",
    };
    let md = t.field(cx, "metadata");
    let scaler = keda_scalers::scaler(&ty.value);
    let hint = match ty.value.as_str() {
        "prometheus" => " (serverAddress, query, threshold)",
        "cpu" | "memory" => " (value)",
        "cron" => " (timezone, start, end, desiredReplicas)",
        _ if scaler.is_some() => " (the scaler's settings)",
        _ => {
            unknown_trigger_type(cx, ty);
            return None;
        }
    };
    let Some(metadata) = md else {
        t.missing(cx, t.node.span, "metadata", hint);
        return None;
    };
    let trigger = Trigger {
        cursor: t,
        name,
        metric_type,
        mt,
        metadata,
        md_key: t.key_span("metadata", t.node.span),
    };
    misplaced_metric_type(cx, &trigger);
    match scaler {
        Some(s) => super::keda_scaler::generic(cx, &trigger, s, ty, i),
        None if ty.value == "prometheus" => {
            let name = Spanned::new(format!("s{i}-{}", ty.value), ty.span);
            prometheus(cx, &trigger, name)
        }
        None if ty.value == "cron" => super::keda_scaler::cron(cx, &trigger, ty, i),
        None => resource(cx, &trigger, ty),
    }
}

/// `metricType` written inside a trigger's `metadata`: no scaler reads that key (KEDA v2.18
/// takes the type from `triggers[i].metricType` only, `pkg/scalers/scaler.go
/// GetMetricTargetType`), so it changes nothing. A warning when it says another type than the
/// one KEDA uses, a note when it repeats it.
fn misplaced_metric_type(cx: &mut Cx, t: &Trigger) {
    let Some(s) = t.metadata.node.get("metricType").and_then(Node::as_str) else {
        return;
    };
    let Some((k, _)) = t.metadata.node.entry("metricType") else {
        return;
    };
    let message = format!(
        "`{}` is not read: KEDA takes the metric type from the trigger's own `metricType`, so this trigger uses {}{}",
        t.metadata.at("metricType"),
        t.mt,
        if t.metric_type.is_none() { " (the default)" } else { "" }
    );
    let d = if s == t.mt {
        Diagnostic::note(Code::UnknownField, message)
    } else {
        Diagnostic::warning(Code::UnknownField, message)
    };
    cx.push(d.at(k.span).with_advice(format!(
        "move it beside the trigger's `type`: `metricType: {}`",
        crate::text::quote(s)
    )));
}

/// A `prometheus` trigger (`prometheus_scaler.go`).
fn prometheus(cx: &mut Cx, t: &Trigger, name: Spanned<String>) -> Option<Metric> {
    let md = &t.metadata;
    if t.utilization(cx) {
        return None;
    }
    let server = md.crd_string(cx, "serverAddress");
    if server.is_none() {
        md.missing(cx, t.md_key, "serverAddress", "");
    }
    let query = md.crd_string(cx, "query");
    if query.is_none() {
        md.missing(cx, t.md_key, "query", "");
    }
    let threshold = md.crd_string(cx, "threshold");
    let th = match &threshold {
        Some(s) => read::float_str(cx, s, &md.at("threshold")),
        None => {
            md.missing(
                cx,
                md.node.span,
                "threshold",
                " (a number as a string, e.g. \"100\")",
            );
            None
        }
    };
    let activation_key = knob::ACTIVATION_THRESHOLD.place.key();
    let act = match &md.crd_string(cx, activation_key) {
        Some(s) => read::float_str(cx, s, &md.at(activation_key)).map(|f| Param::yaml(f, s.span)),
        None => Some(up::ACTIVATION_THRESHOLD.param()),
    };
    let threshold = threshold?;
    // GetMetricTargetMili: fmt "%.3f" → Quantity; negative/NaN become 0.
    let th3 = (th? * 1000.0).round() / 1000.0;
    if th3 <= 0.0 {
        cx.error(
            Code::InvalidTarget,
            threshold.span,
            format!(
                "`{}` must be > 0 (KEDA rounds it to 3 decimals: {th3})",
                md.at("threshold")
            ),
        );
        return None;
    }
    if let Some(q) = &query {
        cx.diags.extend(crate::analysis::check_promql(
            md.node.get("query"),
            th3,
            t.mt,
            cx.scrape_interval,
        ));
        if let Some(d) = crate::analysis::check_keda_query(q, t.metric_type.as_ref(), th3) {
            cx.push(d);
        }
    }
    let target_type = if t.mt == "Value" {
        TargetType::Value
    } else {
        TargetType::AverageValue
    };
    let query = query?.value;
    Some(Metric {
        name,
        selector: super::query_selector::of(&query),
        source: MetricSource::KedaPrometheus {
            query,
            server_address: server.map(|s| s.value),
        },
        target: MetricTarget {
            target_type,
            value: Param::yaml(th3, threshold.span),
        },
        bound: None,
        activation_threshold: act,
        span: t.cursor.node.span,
    })
}

/// A `cpu` / `memory` trigger (`cpu_memory_scaler.go`): trigger-level `metricType`. The legacy
/// `metadata.type` is still parsed by v2.18.0 (`cpuMemoryMetadata.Type`, "removed in v2.18")
/// but `parseResourceMetadata` no longer uses it, so without `metricType` the scaler fails
/// with "unknown metric type": an error at it, with the field to write instead.
fn resource(cx: &mut Cx, t: &Trigger, ty: &Spanned<String>) -> Option<Metric> {
    let md = &t.metadata;
    let mt = if t.metric_type.is_some() {
        t.mt
    } else {
        match md.crd_string(cx, "type") {
            Some(s) => {
                cx.push(
                    Diagnostic::error(
                        Code::MissingField,
                        format!(
                            "`{}` was removed in KEDA v2.18 (cpu_memory_scaler.go reads only the trigger's `metricType`): without `metricType` this trigger fails with \"unknown metric type\" and KEDA does not scale",
                            md.at("type")
                        ),
                    )
                    .at(s.span)
                    .with_advice(format!(
                        "write `metricType: {}` on the trigger and remove `metadata.type`",
                        crate::text::quote(&s.value)
                    )),
                );
                return None;
            }
            None => {
                t.cursor.missing(
                    cx,
                    t.cursor.node.span,
                    "metricType",
                    " for a cpu/memory trigger (Utilization or AverageValue)",
                );
                return None;
            }
        }
    };
    if mt == "Value" {
        if let Some(s) = &t.metric_type {
            cx.error(
                Code::UnknownTargetType,
                s.span,
                "a cpu/memory trigger takes metricType Utilization or AverageValue",
            );
        }
        return None;
    }
    let Some(v) = md.crd_string(cx, "value") else {
        md.missing(cx, t.md_key, "value", "");
        return None;
    };
    let path = md.at("value");
    let (target_type, value) = if mt == "Utilization" {
        (TargetType::Utilization, utilization(cx, &v, &path)?)
    } else {
        (TargetType::AverageValue, average_value(cx, &v, &path)?)
    };
    Some(Metric {
        name: ty.clone(),
        source: MetricSource::KedaResource,
        target: MetricTarget {
            target_type,
            value: Param::yaml(value, v.span),
        },
        bound: None,
        activation_threshold: None,
        selector: Vec::new(),
        span: t.cursor.node.span,
    })
}

/// A Utilization `value`: a whole percent ≥ 1 (Go `strconv.Atoi` into an int32).
fn utilization(cx: &mut Cx, v: &Spanned<String>, path: &str) -> Option<f64> {
    match v.value.parse::<i32>() {
        Ok(u) if u >= 1 => Some(f64::from(u)),
        Err(_) if read::decimal_int_text(&v.value) != read::IntText::NotInt => {
            read::int_out_of_range(cx, v.span, path, (1, I32_MAX), read::INT32_GO, &v.value);
            None
        }
        _ => {
            cx.error(
                Code::InvalidTarget,
                v.span,
                format!(
                    "`{path}` must be a whole percent ≥ 1 for Utilization, found \"{}\"",
                    crate::text::quote(&v.value)
                ),
            );
            None
        }
    }
}

/// An AverageValue `value`: a quantity > 0, read as `MilliValue()/1000`.
fn average_value(cx: &mut Cx, v: &Spanned<String>, path: &str) -> Option<f64> {
    match crate::quantity::Quantity::parse(&v.value) {
        Ok(q) if q.signum() > 0 && !q.milli_value_fits() => {
            read::milli_out_of_range(cx, v.span, path, &v.value);
            None
        }
        Ok(q) if q.signum() > 0 => Some(q.milli_value() as f64 / 1000.0),
        Ok(_) => {
            cx.error(Code::InvalidTarget, v.span, format!("`{path}` must be > 0"));
            None
        }
        Err(e) => {
            cx.error(Code::InvalidValue, v.span, format!("`{path}`: {e}"));
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
    /// A KEDA `spec.fallback` that the admission webhook rejects, or that KEDA never applies.
    ///
    /// # What it does
    /// Checks `spec.fallback` as KEDA v2.18 does. An error where the admission webhook rejects
    /// the ScaledObject (`CheckFallbackValid`): a negative `failureThreshold` or `replicas`,
    /// or, without `scalingModifiers`, only cpu/memory triggers. A warning where the object is
    /// admitted but KEDA never falls back (`HasValidFallback`): with `scalingModifiers`, a
    /// `target` that is not an integer above 0 (`"2.5"`).
    ///
    /// # Why is this bad
    /// A rejected object is never applied. A fallback that never applies leaves the HPA
    /// without a metric for the whole outage: it holds its replicas, whatever the load.
    /// cpu and memory are served by metrics-server, not by KEDA, so they cannot fall back.
    ///
    /// # Example
    /// ```text
    /// spec:
    ///   fallback: {failureThreshold: 3, replicas: 6}
    ///   triggers:
    ///     - type: cpu
    ///       metricType: Utilization
    ///       metadata: {value: "60"}
    /// ```
    ///
    /// # Fix
    /// Give the object an external trigger (prometheus, a queue scaler) for the fallback to
    /// stand in for, use non-negative numbers, and write a modifiers `target` as an integer.
    ///
    /// # References
    /// - kedacore/keda v2.18 `apis/keda/v1alpha1/scaledobject_types.go` (`CheckFallbackValid`),
    ///   `scaledobject_webhook.go` (`verifyFallback`), `pkg/fallback/fallback.go`
    ///   (`HasValidFallback`).
    pub(crate) const FALLBACK_INVALID;
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

rule_doc! {
    /// A KEDA ScaledObject paused by an annotation: it does not autoscale.
    ///
    /// # What it does
    /// Reports `autoscaling.keda.sh/paused-replicas` (the workload is pinned at that count) and
    /// `autoscaling.keda.sh/paused: "true"` (the replicas stay where they are), and replays
    /// them: no trigger is evaluated and no HPA acts.
    ///
    /// # Why is this bad
    /// A pause left in a manifest after maintenance keeps the workload at a fixed size whatever
    /// the load: the triggers and the HPA settings of the object do nothing.
    ///
    /// # Example
    /// ```text
    /// metadata:
    ///   annotations:
    ///     autoscaling.keda.sh/paused-replicas: "2"
    /// ```
    ///
    /// # Fix
    /// Remove the annotation when the pause is over.
    ///
    /// # References
    /// - kedacore/keda v2.18 `apis/keda/v1alpha1/scaledobject_types.go`
    ///   (`NeedToBePausedByAnnotation`), `pkg/scaling/executor/scale_scaledobjects.go`
    ///   (`RequestScale`, `GetPausedReplicaCount`), `controllers/keda/scaledobject_controller.go`.
    pub(crate) const KEDA_PAUSED;
}
