//! AIBrix `autoscaling.aibrix.ai/v1alpha1` `PodAutoscaler`, as read by AIBrix v0.7.0 (the
//! default), v0.6.0, v0.5.0 (the same reader: what differs is worded per release, below) or
//! v0.4.0 ([`AibrixVersion::V0_4`], see `read_annotations_v04`).
//!
//! Between the Gen-B releases (`git diff v0.5.0 v0.7.0 -- pkg/controller/podautoscaler
//! api/autoscaling pkg/webhook/podautoscaler_webhook.go`), only two things the reader words
//! differ: v0.5.0 accepts a `targetValue` ≤ 0 (its webhook checks only that it is set; v0.6.0
//! added the check to the webhook, `UpdateByPaTypes` and the APA, PR #1879), and v0.5.0 reads a
//! StormService's metrics only from pods labelled `pod-group-index=0`, which only pod groups
//! carry (v0.6.0 adds that label requirement only for roles with `podGroupSize > 1`, PR #1917).
//! v0.6.0 → v0.7.0 changed nothing the reader or the replay reads.
//!
//! Upstream (vllm-project/aibrix v0.7.0, the same files at v0.5.0 and v0.6.0): `api/autoscaling/v1alpha1/podautoscaler_types.go`
//! (spec), `pkg/controller/podautoscaler/types/annotations.go` (annotation keys),
//! `pkg/controller/podautoscaler/context/context.go` (annotation defaults and parsing),
//! `pkg/controller/podautoscaler/metrics/client.go` (window defaults),
//! `pkg/webhook/podautoscaler_webhook.go` (validation), `pkg/controller/podautoscaler/hpa_resources.go`
//! (the HPA built for `scalingStrategy: HPA`).

use crate::codes::rule_doc;
use crate::codes::Code;
use crate::config::hpa::{self, read_target_ref};
use crate::config::read::{self, Cx};
use crate::config::{check_metric_unit, check_min_max, unknown_kind, unknown_version, Doc};
use crate::diagnostic::Diagnostic;
use crate::knobs;
use crate::knobs::aibrix::{
    OBSERVE_WINDOW_SECONDS, SCHEDULES, TOP_LEVEL_TARGET_METRIC, V04_SUB_TARGET_SELECTOR,
};
use crate::model::{
    AibrixGenBParams, AibrixParams, AibrixV04Params, AibrixVersion, Algorithm, Autoscaler,
    Behavior, Family, Metric, MetricSource, MetricTarget, Millis, Policy, PolicyType, ScalingRules,
    SelectPolicy, TargetType, SECOND,
};
use crate::span::{Param, Span, Spanned};
use crate::yaml::Node;

use crate::upstream::aibrix::{self as upstream_aibrix, v04, v07};

const PREFIX: &str = "autoscaling.aibrix.ai/";

/// The v0.7.0 scaling context when no annotation is written (each Gen-B release's own:
/// `upstream::aibrix::{v05, v06, v07}::params`).
pub fn default_params() -> AibrixGenBParams {
    v07::params()
}

/// The v0.4.0 scaling context when no annotation is written.
pub fn default_params_v04() -> AibrixV04Params {
    v04::params()
}

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

/// Annotation `key` that `release` ignores (`why`, and `help`), with the key it reads instead,
/// if one plays the same part, as a rename.
fn ignored(
    release: &str,
    key: &Spanned<String>,
    instead: Option<&str>,
    why: &str,
    help: &str,
) -> Diagnostic {
    let k = &key.value;
    let message = match instead {
        Some(r) => format!("AIBrix {release} ignores `{k}`: it reads `{r}` instead ({why})"),
        None => format!("AIBrix {release} ignores `{k}` ({why})"),
    };
    let d = Diagnostic::warning(Code::AibrixIgnoredAnnotation, message)
        .at(key.span)
        .with_help(help);
    match instead {
        Some(r) => d.with_fix(format!("rename to `{r}`"), key.span, r),
        None => d,
    }
}

/// Annotation `key` that `release` does not read, with the closest of `keys` (to `name`, its
/// part after `prefix`) as a rename.
fn not_read(
    release: &str,
    key: &Spanned<String>,
    name: &str,
    prefix: &str,
    keys: &[&str],
) -> Diagnostic {
    let d = Diagnostic::warning(
        Code::AibrixIgnoredAnnotation,
        format!(
            "AIBrix {release} does not read `{}`: it is ignored",
            key.value
        ),
    )
    .at(key.span);
    match read::closest(name, keys) {
        Some(best) => d.with_fix(
            format!("rename to `{prefix}{best}`"),
            key.span,
            format!("{prefix}{best}"),
        ),
        None => d,
    }
}

/// Read the annotations into `p` as Gen-B release `version` does.
fn read_annotations(cx: &mut Cx, meta: &Node, p: &mut AibrixGenBParams, version: AibrixVersion) {
    let tag = version.tag();
    let table = knobs::aibrix::gen_b_table(version).unwrap_or(&knobs::aibrix::TABLE_V07);
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
        let legacy = table.known(key);
        if let Some((repl, why)) = legacy.and_then(|k| Some((k.instead, k.not_read_why()?))) {
            cx.push(ignored(tag, k, repl, why, &format!("legacy Gen-A key (AIBrix ≤ v0.4); {tag} reads only the keys in pkg/controller/podautoscaler/types/annotations.go, so the default applies")));
            continue;
        }
        let Some(name) = key
            .strip_prefix(PREFIX)
            .filter(|n| KNOWN_ANNOTATIONS.contains(n))
        else {
            let bare = key.rsplit('/').next().unwrap_or(key);
            cx.push(not_read(tag, k, bare, PREFIX, KNOWN_ANNOTATIONS));
            continue;
        };
        let Some(s) = read::annotation_value(cx, v, &path) else {
            continue;
        };
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
                            Code::OutOfRange,
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
                            Code::UnsupportedFeature,
                            s.span,
                            format!("AIBrix {tag} parses `scale-to-zero` but nothing reads it: it has no effect"),
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

const KPA_PREFIX: &str = "kpa.autoscaling.aibrix.ai/";
const APA_PREFIX: &str = "apa.autoscaling.aibrix.ai/";

/// v0.4.0 keys: `common/context.go` (`autoscaling.aibrix.ai/` + these).
const V04_BASE_KEYS: &[&str] = &["max-scale-up-rate", "max-scale-down-rate"];
/// v0.4.0 `scaler/kpa.go` (`kpa.autoscaling.aibrix.ai/` + these), read for KPA only.
const V04_KPA_KEYS: &[&str] = &[
    "target-burst-capacity",
    "activation-scale",
    "panic-threshold",
    "stable-window",
    "panic-window",
    "scale-down-delay",
];
/// v0.4.0 `scaler/apa.go` (`apa.autoscaling.aibrix.ai/` + these), read for APA only.
const V04_APA_KEYS: &[&str] = &[
    "up-fluctuation-tolerance",
    "down-fluctuation-tolerance",
    "window",
];

/// v0.7.0-only (or never-read) `autoscaling.aibrix.ai/*` keys that v0.4.0 ignores, with the
/// v0.4.0 key for the same setting (KPA, APA) and an explanation.
const V07_ONLY: &[(&str, Option<&str>, Option<&str>, &str)] = &[
    ("scale-up-tolerance", None, Some("apa.autoscaling.aibrix.ai/up-fluctuation-tolerance"), "the v0.4.0 KPA has no tolerance band"),
    ("scale-down-tolerance", None, Some("apa.autoscaling.aibrix.ai/down-fluctuation-tolerance"), "the v0.4.0 KPA has no tolerance band"),
    ("panic-threshold", Some("kpa.autoscaling.aibrix.ai/panic-threshold"), None, "only the KPA has a panic mode"),
    ("scale-up-cooldown-window", None, None, "v0.4.0 has no scale-up cooldown"),
    ("scale-down-cooldown-window", Some("kpa.autoscaling.aibrix.ai/scale-down-delay"), None, "the v0.4.0 KPA delays scale-down with `scale-down-delay` (default 30m, the MAXIMUM of the window); the APA has no delay"),
    ("scale-to-zero", None, None, "v0.4.0 has no such setting"),
    ("storm-service-mode", None, None, "v0.4.0 has no StormService pool mode"),
    ("up-fluctuation-tolerance", None, Some("apa.autoscaling.aibrix.ai/up-fluctuation-tolerance"), "the un-prefixed key was never read"),
    ("down-fluctuation-tolerance", None, Some("apa.autoscaling.aibrix.ai/down-fluctuation-tolerance"), "the un-prefixed key was never read"),
];

/// Read the annotations as AIBrix v0.4.0 does (`common/context.go`, `scaler/kpa.go`,
/// `scaler/apa.go` `UpdateByPaTypes`): the base keys for both strategies, `kpa.*` keys for
/// KPA, `apa.*` keys for APA; everything else is ignored (warned here). A value that does not
/// parse makes `UpdateByPaTypes` fail: upstream then never builds the scaler.
fn read_annotations_v04(cx: &mut Cx, meta: &Node, p: &mut AibrixV04Params, strategy: Option<&str>) {
    let tag = p.release.tag();
    let Some(ann) = read::mapping(cx, meta, "annotations", "metadata.annotations") else {
        return;
    };
    let is_kpa = strategy == Some("KPA");
    let is_apa = strategy == Some("APA");
    for (k, v) in ann.as_mapping().unwrap_or(&[]) {
        let key = k.value.as_str();
        if !is_aibrix_key(key) {
            continue;
        }
        let path = format!("metadata.annotations[{key}]");
        let (name, group): (&str, &str) = if let Some(n) = key.strip_prefix(KPA_PREFIX) {
            (n, "kpa")
        } else if let Some(n) = key.strip_prefix(APA_PREFIX) {
            (n, "apa")
        } else {
            (key.strip_prefix(PREFIX).unwrap_or(key), "base")
        };
        let known = match group {
            "kpa" => V04_KPA_KEYS.contains(&name),
            "apa" => V04_APA_KEYS.contains(&name),
            _ => V04_BASE_KEYS.contains(&name),
        };
        if !known {
            let d = if let Some((_, kpa, apa, why)) = V07_ONLY
                .iter()
                .find(|(n, _, _, _)| group == "base" && *n == name)
            {
                let repl = if is_apa { *apa } else { *kpa };
                ignored(tag, k, repl, &why.replace("v0.4.0", tag), &format!("{tag} reads only autoscaling.aibrix.ai/max-scale-{{up,down}}-rate and the kpa./apa.-prefixed keys, so the default applies"))
            } else {
                let (prefix, keys) = match group {
                    "kpa" => (KPA_PREFIX, V04_KPA_KEYS),
                    "apa" => (APA_PREFIX, V04_APA_KEYS),
                    _ => (PREFIX, V04_BASE_KEYS),
                };
                not_read(tag, k, name, prefix, keys)
            };
            cx.push(d);
            continue;
        }
        if (group == "kpa" && !is_kpa) || (group == "apa" && !is_apa) {
            if strategy.is_some() {
                cx.warning(
                    Code::AibrixIgnoredAnnotation,
                    k.span,
                    format!(
                        "AIBrix {tag} reads `{key}` only for scalingStrategy {}: it is ignored here",
                        if group == "kpa" { "KPA" } else { "APA" }
                    ),
                );
            }
            continue;
        }
        let Some(s) = read::annotation_value(cx, v, &path) else {
            continue;
        };
        let text = s.value.as_str();
        let before = cx.diags.len();
        match (group, name) {
            ("base", _)
            | ("kpa", "panic-threshold" | "target-burst-capacity")
            | ("apa", "up-fluctuation-tolerance" | "down-fluctuation-tolerance") => {
                if let Some(f) = read::float_str(cx, &s, &path) {
                    let rate = name.starts_with("max-") || name == "panic-threshold";
                    if rate && f <= 0.0 {
                        cx.error(
                            Code::OutOfRange,
                            s.span,
                            format!("`{path}` must be > 0, found {}", crate::display::Exact(f)),
                        );
                    } else {
                        let param = Param::yaml(f, s.span);
                        match name {
                            "max-scale-up-rate" => p.max_scale_up_rate = param,
                            "max-scale-down-rate" => p.max_scale_down_rate = param,
                            "panic-threshold" => p.panic_threshold = param,
                            "target-burst-capacity" => p.target_burst_capacity = param,
                            "up-fluctuation-tolerance" => p.up_fluctuation_tolerance = param,
                            _ => p.down_fluctuation_tolerance = param,
                        }
                    }
                }
            }
            ("kpa", "activation-scale") => match text.trim().parse::<i32>() {
                Ok(n) if n >= 1 => p.activation_scale = Param::yaml(n.unsigned_abs(), s.span),
                Ok(n) => {
                    // Only values > 1 have an effect (`Scale`), so ≤ 1 behaves as 1.
                    cx.warning(Code::OutOfRange, s.span, format!("`{path}` is {n}: AIBrix applies the activation scale only when it is > 1, so this behaves as 1"));
                    p.activation_scale = Param::yaml(1, s.span);
                }
                Err(_) if read::decimal_int_text(text.trim()) != read::IntText::NotInt => {
                    read::int_out_of_range(
                        cx,
                        s.span,
                        &path,
                        (i64::from(i32::MIN), i64::from(i32::MAX)),
                        read::INT32_GO,
                        text,
                    );
                }
                Err(_) => cx.error(
                    Code::InvalidValue,
                    s.span,
                    format!(
                        "`{path}` must be an integer (strconv.ParseInt), found `{}`",
                        crate::text::quote(text)
                    ),
                ),
            },
            _ => {
                if let Some(d) = read::duration_str(cx, &s, &path) {
                    let ms = d.millis();
                    if ms < 0 {
                        cx.error(Code::OutOfRange, s.span, format!("`{path}` must not be negative (NewKpaAutoscaler: \"ScaleDownDelay must be positive\"), found {}", crate::text::quote(text)));
                    } else if ms == 0 && name != "scale-down-delay" {
                        cx.error(Code::OutOfRange, s.span, format!("`{path}` is 0: the window holds no entry, so the autoscaler never has data and never scales"));
                    } else {
                        let param = Param::yaml(ms as Millis, s.span);
                        match name {
                            "stable-window" => p.stable_window = param,
                            "panic-window" => p.panic_window = param,
                            "scale-down-delay" => p.scale_down_delay = param,
                            _ => p.apa_window = param,
                        }
                    }
                }
            }
        }
        for d in cx.diags.iter_mut().skip(before) {
            if d.severity == crate::diagnostic::Severity::Error && d.help.is_none() {
                d.help = Some(format!("AIBrix {tag} stops at the first value it cannot parse and then builds no scaler for this PodAutoscaler: it never scales"));
            }
        }
    }
}

/// AIBrix keys written as labels (Gen A read labels for a while; v0.4.0 and v0.7.0 read
/// annotations).
fn check_labels(cx: &mut Cx, meta: &Node, version: AibrixVersion) {
    let Some(labels) = meta.get("labels").and_then(Node::as_mapping) else {
        return;
    };
    for (k, _) in labels {
        if is_aibrix_key(&k.value) {
            let (msg, help) = match version {
                AibrixVersion::V0_5 | AibrixVersion::V0_6 | AibrixVersion::V0_7 => (
                    format!(
                        "`{}` is a label: AIBrix {} reads `autoscaling.aibrix.ai/*` settings only from metadata.annotations",
                        k.value,
                        version.tag()
                    ),
                    "move it to metadata.annotations",
                ),
                AibrixVersion::V0_2_0
                | AibrixVersion::V0_2_1
                | AibrixVersion::V0_3_0
                | AibrixVersion::V0_4 => (
                    format!(
                        "`{}` is a label: AIBrix {} reads autoscaling settings only from metadata.annotations, so the default applies",
                        k.value,
                        version.tag()
                    ),
                    "move it to metadata.annotations; only the builds between PR #409 (2024-11-21) and PR #665 (2025-02-13) read these keys from metadata.labels (issue #1159 is a user caught by this)",
                ),
            };
            cx.push(
                Diagnostic::warning(Code::AibrixKeyInLabels, msg)
                    .at(k.span)
                    .with_help(help),
            );
        }
    }
}

const SOURCE_TYPES: &[&str] = &["pod", "resource", "custom", "external", "domain"];

fn read_source(
    cx: &mut Cx,
    m: &Node,
    path: &str,
    version: AibrixVersion,
    strategy: Option<&str>,
) -> Option<Metric> {
    if m.as_mapping().is_none() {
        cx.error(
            Code::WrongType,
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
            Code::UnknownMetricSource,
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
    // v0.4.0's controller switches on pod and domain only; any other type is its default
    // branch, an error every reconcile (podautoscaler_controller.go, "unsupported protocol
    // type"), so the PodAutoscaler never scales. Its CRD, not regenerated, has no enum.
    if let (true, Some(t @ ("resource" | "custom" | "external"))) = (version.gen_a(), st) {
        let at = m.get("metricSourceType").map_or(m.span, |n| n.span);
        let tag = version.tag();
        let mut d = Diagnostic::error(
            Code::UnknownMetricSource,
            format!(
                "AIBrix {tag} reads `{path}.metricSourceType` pod or domain only: with `{t}` its controller fails every reconcile (\"unsupported protocol type\", pkg/controller/podautoscaler/podautoscaler_controller.go at {tag}) and the PodAutoscaler never scales; `{t}` came in v0.5.0"
            ),
        )
        .at(at)
        .with_help("if the cluster runs AIBrix v0.5.0 or later, replay that release (`--aibrix-version v0.5`, or the playground's release menu)");
        if t == "external" {
            d = d.with_fix(
                format!("use `domain`, {tag}'s endpoint source"),
                at,
                "domain",
            );
        }
        cx.push(d);
        return None;
    }
    let protocol = read::string(cx, m, "protocolType", &format!("{path}.protocolType"));
    if let Some(p) = &protocol {
        read::one_of(
            cx,
            p,
            &["http", "https"],
            &format!("{path}.protocolType"),
            Code::UnknownValue,
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
    // v0.5.0 takes a target ≤ 0 and divides by it: replayed where the result is defined.
    let mut divides_by_it = false;
    if let (Some(v), Some(s)) = (value, &tv) {
        if v <= 0.0 && !version.rejects_non_positive_target() && !version.gen_a() {
            let accepted = format!(
                "`{path}.targetValue` is {}: AIBrix {} accepts it (its webhook checks only that targetValue is set; the `> 0` check came in v0.6.0, PR #1879)",
                crate::display::Exact(v),
                version.tag()
            );
            let help = "v0.6.0 and later refuse it; write the target as a positive number in the metric's unit";
            let d = match strategy {
                Some("HPA") => Diagnostic::error(
                    Code::InvalidTarget,
                    format!("{accepted}, and with scalingStrategy HPA it writes it into the HPA it creates, which the API server rejects (an HPA target must be positive): the PodAutoscaler never scales"),
                ),
                Some("APA") if v == 0.0 => Diagnostic::error(
                    Code::InvalidTarget,
                    format!("{accepted}, and its APA divides by it: with the metric above 0 it computes int32(ceil(pods × +Inf)), a conversion Go leaves to the CPU (amd64: -2147483648, so minReplicas; arm64: 2147483647, so the largest scale-up step); Scalelens does not replay it"),
                ),
                _ => {
                    divides_by_it = true;
                    let what = if v == 0.0 {
                        "with the metric above 0 the KPA asks for +Inf pods and takes the largest scale-up step every reconcile, up to maxReplicas; with the metric at 0 it keeps the replicas (0 is inside the tolerance band)"
                    } else {
                        "every value ≥ 0 divided by it asks for 0 pods or fewer, so each reconcile takes the largest scale-down step, down to minReplicas whatever the load"
                    };
                    Diagnostic::warning(
                        Code::InvalidTarget,
                        format!("{accepted} and divides by it: {what}; replayed as {} does", version.tag()),
                    )
                }
            };
            cx.push(d.at(s.span).with_help(help));
        } else if v <= 0.0 {
            cx.error(
                Code::InvalidTarget,
                s.span,
                format!(
                    "`{path}.targetValue` must be > 0, found {}",
                    crate::display::Exact(v)
                ),
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
                        Code::InvalidValue,
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
                Code::UnknownValue,
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
    let reads_zero = !version.gen_a()
        && matches!(st, "external" | "domain")
        && check_external_gen_b(cx, m, path, st, endpoint.is_some(), name.as_ref(), version);
    let name = name?;
    let tv = tv?;
    let value = value.filter(|v| *v > 0.0 || divides_by_it)?;
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
                reads_zero,
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
        selector: Vec::new(),
        span: m.span,
    })
}

/// An `external` / `domain` source as AIBrix v0.5.0 – v0.7.0 see it (`upstream::aibrix::v07`
/// `EXTERNAL_FETCH`, `WEBHOOK`, `TYPES`, the same code at v0.5.0 and v0.6.0): `domain` is
/// deprecated; without an endpoint the webhook rejects the PodAutoscaler (and the controller
/// would mark it invalid and never scale it); with one, the fetcher reads 0. Returns whether
/// the source reads 0.
fn check_external_gen_b(
    cx: &mut Cx,
    m: &Node,
    path: &str,
    st: &str,
    has_endpoint: bool,
    name: Option<&Spanned<String>>,
    version: AibrixVersion,
) -> bool {
    let tag = version.tag();
    if st == "domain" {
        if let Some((_, v)) = m.entry("metricSourceType") {
            cx.push(
                Diagnostic::note(
                    Code::DeprecatedValue,
                    format!("`{path}.metricSourceType: domain` is deprecated in AIBrix {tag} (\"use EXTERNAL instead\", api/autoscaling/v1alpha1/podautoscaler_types.go); it behaves exactly like `external`"),
                )
                .at(v.span)
                .with_fix("use `external`", v.span, "external"),
            );
        }
    }
    if !has_endpoint {
        cx.push(
            Diagnostic::error(
                Code::MissingField,
                format!("`{path}.endpoint` is required for metricSourceType {st} on AIBrix {tag}: the admission webhook rejects the PodAutoscaler (podautoscaler_webhook.go validatePodAutoscaler), and one that gets past it is marked ValidSpec=False and never scales"),
            )
            .at(m.span)
            .with_help(format!("{tag} has no client for the Kubernetes external.metrics API (fetchFromK8sExternalMetrics: \"not implemented yet\"); it came after v0.7.0, on main only (PR #2367)")),
        );
        return false;
    }
    let metric = name.map_or("the metric", |n| n.value.as_str());
    cx.push(
        Diagnostic::warning(
            Code::AibrixExternalReadsZero,
            format!("AIBrix {tag} reads 0 for `{metric}` from an external endpoint, whatever it serves: the fetcher looks the metric up under engine \"external\" in its registry (pkg/metrics/metrics.go), which no metric has, and fetchFromGPUOptimizer returns 0 when that fails; the replay feeds 0, so this PodAutoscaler scales toward minReplicas"),
        )
        .at_opt(name.map(|n| n.span).or(Some(m.span)))
        .with_help(format!("scale on a metric AIBrix {tag} does read: `metricSourceType: pod` with an engine metric (e.g. num_requests_waiting), or a Kubernetes HPA / KEDA ScaledObject on the external metric")),
    );
    true
}

/// Read one PodAutoscaler document as AIBrix `version` does.
pub fn read(cx: &mut Cx, doc: &Doc, version: AibrixVersion) -> Option<Autoscaler> {
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
            "targetMetric",
            "targetValue",
        ],
        "spec",
    );
    let v04 = version.gen_a();
    let gen_b = upstream_aibrix::gen_b(version);
    let meta = doc
        .root
        .get("metadata")
        .filter(|m| m.as_mapping().is_some());
    let p = if v04 {
        let mut p = AibrixV04Params {
            release: version,
            ..default_params_v04()
        };
        if let Some(meta) = meta {
            let strategy = spec.get("scalingStrategy").and_then(Node::as_str);
            read_annotations_v04(cx, meta, &mut p, strategy);
        }
        AibrixParams::V04(p)
    } else {
        let mut p = gen_b.map_or_else(default_params, |b| (b.params)());
        if let Some(meta) = meta {
            read_annotations(cx, meta, &mut p, version);
        }
        match version {
            AibrixVersion::V0_5 => AibrixParams::V05(p),
            AibrixVersion::V0_6 => AibrixParams::V06(p),
            _ => AibrixParams::V07(p),
        }
    };
    // The HPA the HPA strategy creates, at the replayed release (v0.4.0 keeps citing v0.7.0's
    // file, as before this change; `to_hpa` gives v0.4.0's HPA no behavior, as its `makeHPA`).
    let hpa_source = gen_b.map_or(&v07::HPA, |b| b.hpa);
    if let Some(meta) = meta {
        check_labels(cx, meta, version);
    }
    let target = read_target_ref(cx, spec, spec_key, "spec");
    let (min, max) = read::bounds(cx, spec, spec_key, gen_b.map_or(&v04::BOUNDS, |b| b.bounds));
    if version == AibrixVersion::V0_5 {
        check_storm_service_v05(cx, spec);
    }
    check_min_max(cx, &min, &max, "PodAutoscaler");
    super::aibrix_gen_a::check_ray_fleet(cx, spec, version);
    check_unreleased_windows(cx, spec, version);
    check_top_level_target(cx, spec, version);
    if v04 {
        if let Some((k, _)) = spec.entry("subTargetSelector") {
            cx.warning(
                Code::UnknownField,
                k.span,
                format!("AIBrix {} has no `spec.subTargetSelector` ({}): it is ignored and the whole scale target is scaled", version.tag(), V04_SUB_TARGET_SELECTOR.not_read_why().unwrap_or_default()),
            );
        }
    }
    if let Some((k, _)) = spec.entry("schedules") {
        cx.warning(
            Code::UnknownField,
            k.span,
            format!("AIBrix {} has no `spec.schedules`: it was {}, so the API server drops it and the base minReplicas/maxReplicas apply throughout", version.tag(), SCHEDULES.not_read_why().unwrap_or_default()),
        );
    }
    let mut metrics = Vec::new();
    let sources_diags = cx.diags.len();
    match read::sequence(cx, spec, "metricsSources", "spec.metricsSources") {
        Some(list) if !list.is_empty() => {
            if !v04 && list.len() > 1 {
                if let Some((k, _)) = spec.entry("metricsSources") {
                    cx.push(
                        Diagnostic::error(
                            Code::InvalidValue,
                            format!("AIBrix {}'s admission webhook requires exactly one `spec.metricsSources` entry, found {} (podautoscaler_webhook.go validatePodAutoscaler: \"exactly one metricsSource is required\"): the API server refuses the PodAutoscaler", version.tag(), list.len()),
                        )
                        .at(k.span)
                        .with_help("the webhook is on by default (kustomize and Helm); with it disabled, the controller would take the highest recommendation over the sources. Several sources are accepted only after v0.7.0, on main"),
                    );
                }
            }
            if v04
                && list.len() > 1
                && spec.get("scalingStrategy").and_then(Node::as_str) != Some("HPA")
            {
                if let Some((k, _)) = spec.entry("metricsSources") {
                    cx.error(
                        Code::InvalidValue,
                        k.span,
                        format!("AIBrix {} supports exactly one `spec.metricsSources` entry, found {} (GetPaMetricSources): it builds no scaler and never scales", version.tag(), list.len()),
                    );
                }
            }
            for (i, m) in list.iter().enumerate() {
                metrics.extend(read_source(
                    cx,
                    m,
                    &format!("spec.metricsSources[{i}]"),
                    version,
                    spec.get("scalingStrategy").and_then(Node::as_str),
                ));
            }
        }
        Some(_) => {
            if let Some((_, n)) = spec.entry("metricsSources") {
                cx.error(
                    Code::MissingField,
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
    super::aibrix_gen_a::word_hpa_bad_target(cx, spec, version, sources_diags);
    let strategy = read::string(cx, spec, "scalingStrategy", "spec.scalingStrategy");
    let strategy = match &strategy {
        Some(s) => read::one_of(
            cx,
            s,
            &["KPA", "APA", "HPA"],
            "spec.scalingStrategy",
            Code::UnknownValue,
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
            let (hpa_params, hpa_metrics) =
                to_hpa(cx, &p, &metrics, strategy_span(spec), hpa_source);
            metrics = hpa_metrics;
            Algorithm::Hpa(hpa_params)
        }
    };
    let mut a = doc.autoscaler(Family::Aibrix, min, max, algorithm);
    if strategy == "HPA" && min.value == 0 {
        // makeHPAWithBounds sets minReplicas only when > 0; the HPA then defaults it to 1.
        if let Some(span) = min.span() {
            cx.push(crate::analysis::aibrix_hpa_min_zero(span, hpa_source));
        }
        a.min_replicas = Param::default(1, hpa_source);
    }
    a.target = target;
    a.metrics = metrics;
    Some(a)
}

/// A StormService target on AIBrix v0.5.0: `computeMetricBasedReplicas` adds
/// `stormservice.orchestration.aibrix.ai/pod-group-index=0` to the pod selector of every
/// StormService (`upstream::aibrix::v05::POD_SELECTOR`), a label only the pods of a pod group
/// (`podGroupSize > 1`) carry; v0.6.0 adds it only for such roles (`workload_scale.go`
/// `getPodSelectorForRole`, PR #1917). Which pods are read is not replayed: say so.
fn check_storm_service_v05(cx: &mut Cx, spec: &Node) {
    let Some(kind) = super::aibrix_gen_a::target_kind(spec, "StormService") else {
        return;
    };
    cx.push(
        Diagnostic::warning(
            Code::UnsupportedFeature,
            "AIBrix v0.5.0 reads a StormService's metrics only from its pods labelled `stormservice.orchestration.aibrix.ai/pod-group-index: \"0\"`, which only pod groups (`podGroupSize` > 1) carry: for roles without pod groups it finds no pod and gets no metric (v0.6.0 adds the label only for roles with pod groups, PR #1917); the replay reads the demand from every replica",
        )
        .at(kind.span)
        .with_help("vllm-project/aibrix v0.5.0 pkg/controller/podautoscaler/podautoscaler_controller.go (computeMetricBasedReplicas); v0.6.0 requires the label only for roles with `podGroupSize` > 1 (workload_scale.go getPodSelectorForRole, PR #1917)"),
    );
}

fn strategy_span(spec: &Node) -> Option<Span> {
    spec.get("scalingStrategy").map(|n| n.span)
}

/// `spec.observeWindowSeconds` / `spec.panicWindowSeconds`: added by PR #2522 (commit b7db6193,
/// 2026-08-04) after v0.7.0 (2026-06-17) and in no release. The API server of every release prunes
/// them and the windows stay what the release fixes: v0.7.0 `metrics/client.go`
/// (`stableWindowDuration` 180 s, `panicWindowDuration` 60 s), v0.4.0 the KPA/APA annotations.
fn check_unreleased_windows(cx: &mut Cx, spec: &Node, version: AibrixVersion) {
    let tag = version.tag();
    let instead = |field: &str| {
        match (version.gen_a(), field) {
        (true, "observeWindowSeconds") => "use the annotation `kpa.autoscaling.aibrix.ai/stable-window` (KPA) or `apa.autoscaling.aibrix.ai/window` (APA)".to_string(),
        (true, _) => "use the annotation `kpa.autoscaling.aibrix.ai/panic-window`".to_string(),
        (_, "observeWindowSeconds") => format!("{tag} always averages over 180 s (stableWindowDuration, pkg/controller/podautoscaler/metrics/client.go): no setting changes it"),
        (_, _) => format!("{tag} always uses a 60 s panic window (panicWindowDuration, pkg/controller/podautoscaler/metrics/client.go): no setting changes it"),
    }
    };
    for field in ["observeWindowSeconds", "panicWindowSeconds"] {
        if let Some((k, _)) = spec.entry(field) {
            cx.push(
                Diagnostic::warning(
                    Code::UnknownField,
                    format!(
                        "AIBrix {} has no `spec.{field}`: it is ignored; {}",
                        version.tag(),
                        instead(field)
                    ),
                )
                .at(k.span)
                .with_help(format!("`spec.observeWindowSeconds` and `spec.panicWindowSeconds` were {}, and are in no release yet; the API server drops them", OBSERVE_WINDOW_SECONDS.not_read_why().unwrap_or_default())),
            );
        }
    }
}

/// `spec.targetMetric` / `spec.targetValue`: read only by AIBrix v0.1.x (moved into
/// `metricsSources[]` by PR #511, first released in v0.2.0; still in some of the repo's samples).
/// Flagged on every replayed release, with the `metricsSources` entry to write instead when both
/// stand next to each other and no `metricsSources` is written.
fn check_top_level_target(cx: &mut Cx, spec: &Node, version: AibrixVersion) {
    let metric = spec.entry("targetMetric");
    let value = spec.entry("targetValue");
    let migration = match (metric, value) {
        (Some((mk, mv)), Some((vk, vv))) if spec.get("metricsSources").is_none() => {
            let (first, last) = if mk.span.start <= vk.span.start {
                (mk.span, vv.span)
            } else {
                (vk.span, mv.span)
            };
            // Adjacent entries only: nothing else is between them.
            let between = spec.as_mapping().unwrap_or(&[]).iter().any(|(k, _)| {
                k.span.start > first.start
                    && k.span.start < last.start
                    && k.value != "targetMetric"
                    && k.value != "targetValue"
            });
            let name = mv.as_scalar().unwrap_or("").trim().to_string();
            let target = vv.as_scalar().unwrap_or("").trim().to_string();
            (!between && !name.is_empty() && !target.is_empty()).then(|| {
                (
                    first.to(last),
                    metrics_source_block(&name, &target, first.start.column),
                )
            })
        }
        _ => None,
    };
    for (entry, field) in [(metric, "targetMetric"), (value, "targetValue")] {
        let Some((k, _)) = entry else { continue };
        let mut d = Diagnostic::warning(
            Code::UnknownField,
            format!(
                "AIBrix {} has no `spec.{field}`: only v0.1.x read the target at the top level; since v0.2.0 it is `spec.metricsSources[].{field}`, so this PodAutoscaler has no metric",
                version.tag()
            ),
        )
        .at(k.span)
        .with_help(format!("{}; some samples in the repo still use the old form", TOP_LEVEL_TARGET_METRIC.not_read_why().unwrap_or_default()));
        if let (Some((span, block)), "targetMetric") = (&migration, field) {
            d = d.with_fix(
                "move the target into `metricsSources`",
                *span,
                block.clone(),
            );
        }
        cx.push(d);
    }
}

/// The `metricsSources` entry for a v0.1 target: `cpu`/`memory` are resource metrics, anything
/// else is scraped from the pods (vLLM's port 8000, `/metrics`: review them), indented for a key
/// at `column`.
fn metrics_source_block(name: &str, target: &str, column: u32) -> String {
    let indent = " ".repeat(column.saturating_sub(1) as usize);
    let lower = name.to_ascii_lowercase();
    let target = target.replace('\\', "\\\\").replace('"', "\\\"");
    if lower == "cpu" || lower == "memory" {
        format!(
            "metricsSources:\n{indent}  - metricSourceType: resource\n{indent}    targetMetric: {lower}\n{indent}    targetValue: \"{target}\""
        )
    } else {
        format!(
            "metricsSources:\n{indent}  - metricSourceType: pod\n{indent}    protocolType: http\n{indent}    port: \"8000\"\n{indent}    path: /metrics\n{indent}    targetMetric: {name}\n{indent}    targetValue: \"{target}\""
        )
    }
}

/// Build the Kubernetes HPA that AIBrix creates for `scalingStrategy: HPA`
/// (`hpa_resources.go makeHPAWithBounds`).
fn to_hpa(
    cx: &mut Cx,
    p: &AibrixParams,
    metrics: &[Metric],
    strategy_span: Option<Span>,
    hpa_source: &'static crate::upstream::Source,
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
            if d.code != Code::TargetAboveBound || !in_these_metrics {
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
            let (t, whole) = (
                crate::display::Exact(t).to_string(),
                crate::display::Exact(t.trunc()).to_string(),
            );
            let mut d = if zero {
                Diagnostic::error(
                    Code::AibrixTargetTruncated,
                    format!("with scalingStrategy HPA, AIBrix truncates targetValue {t} to {whole} (int64 in hpa_resources.go): the generated HPA has a zero target and cannot scale"),
                )
            } else {
                Diagnostic::warning(
                    Code::AibrixTargetTruncated,
                    format!("with scalingStrategy HPA, AIBrix truncates targetValue {t} to {whole} (int64 in hpa_resources.go)"),
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
                    None => Param::default(value, hpa_source),
                },
            },
            bound: if name == "cpu" || name == "memory" {
                None
            } else {
                m.bound
            },
            activation_threshold: None,
            selector: Vec::new(),
            span: m.span,
        });
    }
    let mut params = hpa::default_params();
    // v0.4.0 `makeHPA` sets no `behavior`: the Kubernetes defaults apply (added in v0.5.0,
    // `buildHPABehavior`, PR #1622).
    let Some(p) = p.gen_b() else {
        return (params, out);
    };
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
            select_policy: Param::default(SelectPolicy::Max, hpa_source),
            policies: vec![policy(up_pct)],
            policies_span: None,
        },
        scale_down: ScalingRules {
            stabilization_window: p.scale_down_cooldown,
            select_policy: Param::default(SelectPolicy::Min, hpa_source),
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
                Code::OutOfRange,
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
                Code::OutOfRange,
                s,
                format!("max scale rate {r} gives a {pct:.0}% HPA policy, which the API server rejects (value must be > 0); Scalelens replays 100%"),
            );
        }
        return 100;
    }
    pct.min(f64::from(i32::MAX)) as u32
}

rule_doc! {
    /// A legacy AIBrix annotation the controller does not read.
    ///
    /// # What it does
    /// Reports a legacy AIBrix annotation (`kpa.autoscaling.aibrix.ai/*`,
    /// `apa.autoscaling.aibrix.ai/*`, `autoscaling.aibrix.ai/{up,down}-fluctuation-tolerance`) that
    /// AIBrix v0.7.0 does not read (and, under `--aibrix-version v0.4`, a v0.7.0 key that v0.4.0 does
    /// not read).
    ///
    /// # Why is this bad
    /// The default applies instead, silently: the samples' `scale-down-delay: 3m` is a 300 s cooldown
    /// in v0.7.0.
    ///
    /// # Example
    /// ```text
    /// annotations:
    ///   kpa.autoscaling.aibrix.ai/scale-down-delay: 3m
    /// ```
    ///
    /// # Fix
    /// The key of the replayed version, when there is one (suggested).
    ///
    /// # References
    /// - vllm-project/aibrix v0.7.0 `pkg/controller/podautoscaler/types/annotations.go`; v0.4.0
    ///   `pkg/controller/podautoscaler/scaler/kpa.go`.
    pub(crate) const AIBRIX_IGNORED_ANNOTATION;
}

rule_doc! {
    /// An AIBrix setting written as a label instead of an annotation.
    ///
    /// # What it does
    /// Reports an `autoscaling.aibrix.ai/*` key written in `metadata.labels`.
    ///
    /// # Why is this bad
    /// AIBrix v0.7.0 reads only annotations (labels were read only between PRs #409 and #665): the
    /// setting has no effect.
    ///
    /// # Example
    /// ```text
    /// metadata:
    ///   labels:
    ///     autoscaling.aibrix.ai/max-scale-up-rate: "4"
    /// ```
    ///
    /// # Fix
    /// Move it to `metadata.annotations`.
    ///
    /// # References
    /// - vllm-project/aibrix v0.7.0 `pkg/controller/podautoscaler/context/context.go`; issue #1159; PR
    ///   #665.
    pub(crate) const AIBRIX_KEY_IN_LABELS;
}

rule_doc! {
    /// AIBrix's HPA strategy truncates a fractional target to an integer.
    ///
    /// # What it does
    /// Reports AIBrix `scalingStrategy: HPA` with a fractional `targetValue`, which the generated HPA
    /// truncates to an integer (`int64(target)`).
    ///
    /// # Why is this bad
    /// "0.5" becomes 0: an HPA that cannot work (or a target 1.9 that is really 1). Later AIBrix
    /// versions (after v0.7.0: `hpa_resources.go` with `pametrics.ParseHPATargetValue`) round up
    /// instead (`math.Ceil`): "0.5" becomes 1, still not the fraction meant; Scalelens models
    /// v0.7.0.
    ///
    /// # Example
    /// ```text
    /// scalingStrategy: HPA
    /// metricsSources:
    ///   - targetMetric: gpu_cache_usage_perc
    ///     targetValue: "0.5"
    /// ```
    ///
    /// # Fix
    /// An integer target in the metric's unit, or the KPA/APA strategy.
    ///
    /// # References
    /// - vllm-project/aibrix v0.7.0 `pkg/controller/podautoscaler/hpa_resources.go`
    ///   (`makeHPAWithBounds`).
    pub(crate) const AIBRIX_TARGET_TRUNCATED;
}

rule_doc! {
    /// AIBrix v0.7.0 reads 0 for an external metric.
    ///
    /// # What it does
    /// Reports a `metricSourceType: external` (or `domain`) source with an `endpoint` when the
    /// replayed release is v0.7.0 (the same code runs in v0.5.0 and v0.6.0), and replays it as
    /// reading 0.
    ///
    /// # Why is this bad
    /// The fetcher asks the metric registry for the metric under engine `"external"`, which no
    /// metric has, and returns 0 when that fails (logging a warning only): whatever the endpoint
    /// serves, the autoscaler sees 0 and scales toward `minReplicas`.
    ///
    /// # Example
    /// ```text
    /// metricsSources:
    ///   - metricSourceType: external
    ///     endpoint: gpu-optimizer.aibrix-system.svc.cluster.local:8080
    ///     targetMetric: vllm:deployment_replicas
    /// ```
    ///
    /// # Fix
    /// Scale on a metric v0.7.0 reads (`metricSourceType: pod` with an engine metric), or use a
    /// Kubernetes HPA or KEDA ScaledObject on the external metric.
    ///
    /// # References
    /// - vllm-project/aibrix v0.7.0 `pkg/controller/podautoscaler/metrics/fetcher.go`
    ///   (`fetchFromGPUOptimizer`), `pkg/metrics/engine_fetcher.go` (`FetchTypedMetric`),
    ///   `pkg/metrics/metrics.go` (`Metrics`).
    pub(crate) const AIBRIX_EXTERNAL_READS_ZERO;
}
