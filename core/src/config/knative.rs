//! Knative Serving autoscaling (KPA class), as of Knative Serving v1.20.
//!
//! Upstream (knative/serving v1.20): `pkg/apis/autoscaling/register.go` (annotation keys and
//! limits), `pkg/apis/autoscaling/annotation_validation.go` (ranges), `pkg/autoscaler/config/config.go`
//! (`config-autoscaler` keys and defaults), `pkg/reconciler/autoscaling/resources/target.go`
//! (`ResolveMetricTarget`), `pkg/autoscaler/scaling/multiscaler.go` (2 s tick).
//!
//! Annotations are read from `spec.template.metadata.annotations` of a Service or
//! Configuration, or `metadata.annotations` of a Revision. A `config-autoscaler` ConfigMap in
//! the same input overrides the defaults.

use crate::codes::Code;
use crate::config::read::{self, Cx};
use crate::config::{check_min_max, unknown_kind, unknown_version, Doc};
use crate::diagnostic::Diagnostic;
use crate::duration::GoDuration;
use crate::model::{
    Aggregation, Algorithm, Autoscaler, Family, KnativeMetric, KnativeParams, Metric, MetricSource,
    MetricTarget, Millis, TargetRef, TargetType, SECOND,
};
use crate::span::{Param, Span, Spanned};
use crate::yaml::Node;

use crate::upstream::knative as up;

const PREFIX: &str = up::ANNOTATION_PREFIX;

/// `config-autoscaler` values (defaults, or the ConfigMap's data).
#[derive(Debug, Clone)]
pub struct Config {
    pub target_percentage: Param<f64>,
    pub cc_target_default: Param<f64>,
    pub rps_target_default: Param<f64>,
    pub target_burst_capacity: Param<f64>,
    pub stable_window: Param<Millis>,
    pub panic_window_percentage: Param<f64>,
    pub panic_threshold_percentage: Param<f64>,
    pub max_scale_up_rate: Param<f64>,
    pub max_scale_down_rate: Param<f64>,
    pub enable_scale_to_zero: Param<bool>,
    pub scale_to_zero_grace_period: Param<Millis>,
    pub scale_to_zero_pod_retention_period: Param<Millis>,
    pub scale_down_delay: Param<Millis>,
    pub initial_scale: Param<u32>,
    pub allow_zero_initial_scale: Param<bool>,
    pub min_scale: Param<u32>,
    pub max_scale: Param<u32>,
    pub max_scale_limit: Param<u32>,
    pub class: Param<&'static str>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            target_percentage: up::TARGET_PERCENTAGE.param(),
            cc_target_default: up::CONCURRENCY_TARGET.param(),
            rps_target_default: up::RPS_TARGET.param(),
            target_burst_capacity: up::TARGET_BURST_CAPACITY.param(),
            stable_window: up::STABLE_WINDOW.param(),
            panic_window_percentage: up::PANIC_WINDOW_PERCENTAGE.param(),
            panic_threshold_percentage: up::PANIC_THRESHOLD_PERCENTAGE.param(),
            max_scale_up_rate: up::MAX_SCALE_UP_RATE.param(),
            max_scale_down_rate: up::MAX_SCALE_DOWN_RATE.param(),
            enable_scale_to_zero: up::ENABLE_SCALE_TO_ZERO.param(),
            scale_to_zero_grace_period: up::SCALE_TO_ZERO_GRACE_PERIOD.param(),
            scale_to_zero_pod_retention_period: up::SCALE_TO_ZERO_POD_RETENTION_PERIOD.param(),
            scale_down_delay: up::SCALE_DOWN_DELAY.param(),
            initial_scale: up::INITIAL_SCALE.param(),
            allow_zero_initial_scale: up::ALLOW_ZERO_INITIAL_SCALE.param(),
            min_scale: up::MIN_SCALE.param(),
            max_scale: up::MAX_SCALE.param(),
            max_scale_limit: up::MAX_SCALE_LIMIT.param(),
            class: up::CLASS.param(),
        }
    }
}

fn range_err(cx: &mut Cx, s: &Spanned<String>, path: &str, range: &str) {
    cx.error(
        Code::OutOfRange,
        s.span,
        format!(
            "`{path}` must be {range}, found \"{}\"",
            crate::text::quote(&s.value)
        ),
    );
}

fn f_in(
    cx: &mut Cx,
    s: &Spanned<String>,
    path: &str,
    ok: impl Fn(f64) -> bool,
    range: &str,
) -> Option<Param<f64>> {
    let f = read::float_str(cx, s, path)?;
    if !ok(f) {
        range_err(cx, s, path, range);
        return None;
    }
    Some(Param::yaml(f, s.span))
}

/// An integer annotation in `[min, max]`; `max` is `i32::MAX` at every call site: Knative parses
/// these with `strconv.ParseInt(s, 10, 32)` ([`read::INT32_GO`]).
fn u_in(cx: &mut Cx, s: &Spanned<String>, path: &str, min: i64, max: i64) -> Option<Param<u32>> {
    let i = match read::decimal_int_text(&s.value) {
        read::IntText::Int(i) if i <= i64::from(i32::MAX) => i,
        read::IntText::Int(_) | read::IntText::TooLarge => {
            read::int_out_of_range(cx, s.span, path, (min, max), read::INT32_GO, &s.value);
            return None;
        }
        read::IntText::NotInt => {
            cx.error(
                Code::InvalidValue,
                s.span,
                format!(
                    "`{path}` must be an integer, found \"{}\"",
                    crate::text::quote(&s.value)
                ),
            );
            return None;
        }
    };
    if i < min || i > max {
        range_err(cx, s, path, &format!("in [{min}, {max}]"));
        return None;
    }
    Some(Param::yaml(i as u32, s.span))
}

fn dur_in(
    cx: &mut Cx,
    s: &Spanned<String>,
    path: &str,
    min: Millis,
    max: Millis,
    whole: bool,
) -> Option<Param<Millis>> {
    let d: GoDuration = read::duration_str(cx, s, path)?;
    let ms = d.millis().max(0) as Millis;
    if whole && !d.is_whole_seconds() {
        range_err(cx, s, path, "a whole number of seconds");
        return None;
    }
    if ms < min || ms > max {
        range_err(
            cx,
            s,
            path,
            &format!(
                "in [{}, {}]",
                crate::display::Dur(min),
                crate::display::Dur(max)
            ),
        );
        return None;
    }
    Some(Param::yaml(ms, s.span))
}

fn b(cx: &mut Cx, s: &Spanned<String>, path: &str) -> Option<Param<bool>> {
    read::bool_str(cx, s, path).map(|v| Param::yaml(v, s.span))
}

/// Read the `config-autoscaler` ConfigMap (`NewConfigFromMap`).
pub fn read_config_map(cx: &mut Cx, doc: &Doc) -> Config {
    let mut c = Config::default();
    let Some(data) = read::mapping(cx, doc.root, "data", "data") else {
        return c;
    };
    const H: Millis = 3600 * SECOND;
    for (k, v) in data.as_mapping().unwrap_or(&[]) {
        let Some(text) = v.as_scalar() else { continue };
        let s = Spanned::new(text.to_string(), v.span);
        let path = format!("data.{}", crate::text::quote(&k.value));
        let p = path.as_str();
        match k.value.as_str() {
            "container-concurrency-target-percentage" => {
                if let Some(f) = read::float_str(cx, &s, p) {
                    let frac = if f > 1.0 { f / 100.0 } else { f };
                    if frac <= 0.0 || frac > 1.0 {
                        range_err(cx, &s, p, "in (0, 100]");
                    } else {
                        c.target_percentage = Param::yaml(frac, s.span);
                    }
                }
            }
            "container-concurrency-target-default" => {
                c.cc_target_default =
                    f_in(cx, &s, p, |f| f >= 0.01, "≥ 0.01").unwrap_or(c.cc_target_default)
            }
            "requests-per-second-target-default" => {
                c.rps_target_default =
                    f_in(cx, &s, p, |f| f >= 0.01, "≥ 0.01").unwrap_or(c.rps_target_default)
            }
            "target-burst-capacity" => {
                c.target_burst_capacity = f_in(cx, &s, p, |f| f >= 0.0 || f == -1.0, "≥ 0 or -1")
                    .unwrap_or(c.target_burst_capacity)
            }
            "stable-window" => {
                c.stable_window = dur_in(cx, &s, p, 6 * SECOND, H, true).unwrap_or(c.stable_window)
            }
            "panic-window-percentage" => {
                c.panic_window_percentage =
                    f_in(cx, &s, p, |f| (1.0..=100.0).contains(&f), "in [1, 100]")
                        .unwrap_or(c.panic_window_percentage)
            }
            "panic-threshold-percentage" => {
                c.panic_threshold_percentage =
                    f_in(cx, &s, p, |f| f > 0.0, "> 0").unwrap_or(c.panic_threshold_percentage)
            }
            "max-scale-up-rate" => {
                c.max_scale_up_rate =
                    f_in(cx, &s, p, |f| f > 1.0, "> 1").unwrap_or(c.max_scale_up_rate)
            }
            "max-scale-down-rate" => {
                c.max_scale_down_rate =
                    f_in(cx, &s, p, |f| f > 1.0, "> 1").unwrap_or(c.max_scale_down_rate)
            }
            "enable-scale-to-zero" => {
                c.enable_scale_to_zero = b(cx, &s, p).unwrap_or(c.enable_scale_to_zero)
            }
            "scale-to-zero-grace-period" => {
                c.scale_to_zero_grace_period =
                    dur_in(cx, &s, p, 1, Millis::MAX, false).unwrap_or(c.scale_to_zero_grace_period)
            }
            "scale-to-zero-pod-retention-period" => {
                c.scale_to_zero_pod_retention_period = dur_in(cx, &s, p, 0, Millis::MAX, false)
                    .unwrap_or(c.scale_to_zero_pod_retention_period)
            }
            "scale-down-delay" => {
                c.scale_down_delay =
                    dur_in(cx, &s, p, 0, Millis::MAX, true).unwrap_or(c.scale_down_delay)
            }
            "initial-scale" => {
                c.initial_scale = u_in(cx, &s, p, 0, i64::from(i32::MAX)).unwrap_or(c.initial_scale)
            }
            "allow-zero-initial-scale" => {
                c.allow_zero_initial_scale = b(cx, &s, p).unwrap_or(c.allow_zero_initial_scale)
            }
            "min-scale" => {
                c.min_scale = u_in(cx, &s, p, 0, i64::from(i32::MAX)).unwrap_or(c.min_scale)
            }
            "max-scale" => {
                c.max_scale = u_in(cx, &s, p, 0, i64::from(i32::MAX)).unwrap_or(c.max_scale)
            }
            "max-scale-limit" => {
                c.max_scale_limit =
                    u_in(cx, &s, p, 0, i64::from(i32::MAX)).unwrap_or(c.max_scale_limit)
            }
            "pod-autoscaler-class" => {
                if let Some(v) = read::one_of(
                    cx,
                    &s,
                    &["kpa.autoscaling.knative.dev", "hpa.autoscaling.knative.dev"],
                    p,
                    Code::UnknownValue,
                ) {
                    c.class = Param::yaml(v, s.span);
                }
            }
            _ => {}
        }
    }
    if c.initial_scale.value == 0 && !c.allow_zero_initial_scale.value {
        if let Some(s) = c.initial_scale.span() {
            cx.error(
                Code::OutOfRange,
                s,
                "`data.initial-scale` is 0 but `allow-zero-initial-scale` is false",
            );
        }
        c.initial_scale = up::INITIAL_SCALE.param();
    }
    c
}

/// Annotation lookup: kebab-case key first, then the legacy camelCase spelling.
fn ann(
    annotations: Option<&Node>,
    key: &str,
    legacy: Option<&str>,
) -> Option<(Span, Spanned<String>)> {
    let a = annotations?;
    let find = |k: &str| {
        a.entry(&format!("{PREFIX}{k}")).and_then(|(ks, v)| {
            v.as_scalar()
                .map(|t| (ks.span, Spanned::new(t.to_string(), v.span)))
        })
    };
    find(key).or_else(|| legacy.and_then(find))
}

const KNOWN: &[&str] = &[
    "class",
    "metric",
    "target",
    "target-utilization-percentage",
    "targetUtilizationPercentage",
    "window",
    "panic-window-percentage",
    "panicWindowPercentage",
    "panic-threshold-percentage",
    "panicThresholdPercentage",
    "target-burst-capacity",
    "targetBurstCapacity",
    "min-scale",
    "minScale",
    "max-scale",
    "maxScale",
    "initial-scale",
    "initialScale",
    "activation-scale",
    "scale-down-delay",
    "scaleDownDelay",
    "scale-to-zero-pod-retention-period",
    "metric-aggregation-algorithm",
    "metricAggregationAlgorithm",
];

/// Read a Knative Service / Configuration / Revision.
pub fn read(cx: &mut Cx, doc: &Doc, cfg: Option<&Config>) -> Option<Autoscaler> {
    let kind = doc.kind.value.as_str();
    match kind {
        "Service" | "Configuration" | "Revision" => {}
        "Route" | "DomainMapping" => {
            cx.note(
                Code::IgnoredDocument,
                doc.kind.span,
                format!("Knative {kind} is not an autoscaler: skipped"),
            );
            return None;
        }
        _ => {
            unknown_kind(cx, doc, &["Service", "Configuration", "Revision", "Route"]);
            return None;
        }
    }
    if doc.version() != "v1" {
        unknown_version(cx, doc, &["serving.knative.dev/v1"]);
        return None;
    }
    let default_cfg = Config::default();
    let c = cfg.unwrap_or(&default_cfg);
    let (meta, rspec) = if kind == "Revision" {
        (doc.root.get("metadata"), doc.root.get("spec"))
    } else {
        let t = read::mapping(cx, doc.root, "spec", "spec")
            .and_then(|s| read::mapping(cx, s, "template", "spec.template"));
        let m = t.and_then(|t| read::mapping(cx, t, "metadata", "spec.template.metadata"));
        let s = t.and_then(|t| read::mapping(cx, t, "spec", "spec.template.spec"));
        (m, s)
    };
    let annotations =
        meta.and_then(|m| read::mapping(cx, m, "annotations", "metadata.annotations"));
    let apath = if kind == "Revision" {
        "metadata.annotations"
    } else {
        "spec.template.metadata.annotations"
    };
    if let Some(a) = annotations.and_then(Node::as_mapping) {
        for (k, _) in a {
            if let Some(bare) = k.value.strip_prefix(PREFIX) {
                if !KNOWN.contains(&bare) {
                    let mut d = Diagnostic::warning(
                        Code::UnknownField,
                        format!(
                            "unknown Knative annotation `{}`: it is ignored",
                            crate::text::quote(&k.value)
                        ),
                    )
                    .at(k.span);
                    if let Some(best) = read::closest(bare, KNOWN) {
                        d = d.with_fix(
                            format!("rename to `{PREFIX}{best}`"),
                            k.span,
                            format!("{PREFIX}{best}"),
                        );
                    }
                    cx.push(d);
                }
            }
        }
    }
    let path = |k: &str| format!("{apath}[{PREFIX}{k}]");
    let get = |k: &str, legacy: Option<&str>| ann(annotations, k, legacy);

    // Class.
    let class = get("class", None);
    let class_v = class
        .as_ref()
        .map_or(c.class.value, |(_, s)| s.value.as_str());
    if class_v != "kpa.autoscaling.knative.dev" {
        let at = class
            .as_ref()
            .map(|(_, s)| s.span)
            .or(c.class.span())
            .unwrap_or(doc.kind.span);
        if class_v == "hpa.autoscaling.knative.dev" {
            cx.warning(Code::UnsupportedFeature, at, "only the KPA class (kpa.autoscaling.knative.dev) is replayed; this revision uses Knative's HPA class");
        } else {
            cx.error(Code::UnknownValue, at, format!("unknown autoscaling class `{}` (kpa.autoscaling.knative.dev or hpa.autoscaling.knative.dev)", crate::text::quote(class_v)));
        }
        return None;
    }

    let metric = match get("metric", None) {
        Some((_, s)) => match read::one_of(
            cx,
            &s,
            &["concurrency", "rps"],
            &path("metric"),
            Code::UnknownValue,
        ) {
            Some("rps") => Param::yaml(KnativeMetric::Rps, s.span),
            Some(_) => Param::yaml(KnativeMetric::Concurrency, s.span),
            None => up::METRIC.param(),
        },
        None => up::METRIC.param(),
    };
    let target_ann = get("target", None)
        .and_then(|(_, s)| f_in(cx, &s, &path("target"), |f| f >= 0.01, "≥ 0.01"));
    let tu_ann = get(
        "target-utilization-percentage",
        Some("targetUtilizationPercentage"),
    )
    .and_then(|(_, s)| {
        f_in(
            cx,
            &s,
            &path("target-utilization-percentage"),
            |f| (1.0..=100.0).contains(&f),
            "in [1, 100]",
        )
    });
    let container_concurrency = rspec.and_then(|s| {
        read::u32_in(
            cx,
            s,
            "containerConcurrency",
            "spec.template.spec.containerConcurrency",
            0,
            1000,
        )
        .map(|v| Param::yaml(v.value, v.span))
    });

    // ResolveMetricTarget (target.go).
    let (mut total, mut tu): (Param<f64>, Param<f64>) = match metric.value {
        KnativeMetric::Rps => (c.rps_target_default, up::RPS_TARGET_UTILIZATION.param()),
        KnativeMetric::Concurrency => match container_concurrency {
            Some(cc) if cc.value > 0 => (
                Param {
                    value: f64::from(cc.value),
                    origin: cc.origin,
                },
                c.target_percentage,
            ),
            _ => (c.cc_target_default, c.target_percentage),
        },
    };
    if let Some(t) = target_ann {
        let mut v = t.value;
        if metric.value == KnativeMetric::Concurrency {
            if let Some(cc) = container_concurrency.filter(|cc| cc.value > 0) {
                v = v.min(f64::from(cc.value));
            }
        }
        total = Param {
            value: v,
            origin: t.origin,
        };
    }
    if let Some(u) = tu_ann {
        tu = Param {
            value: u.value / 100.0,
            origin: u.origin,
        };
    }
    let target_value = (total.value * tu.value).max(0.01);

    let stable_window = get("window", None)
        .and_then(|(_, s)| dur_in(cx, &s, &path("window"), 6 * SECOND, 3600 * SECOND, true))
        .unwrap_or(c.stable_window);
    let pwp = get("panic-window-percentage", Some("panicWindowPercentage"))
        .and_then(|(_, s)| {
            f_in(
                cx,
                &s,
                &path("panic-window-percentage"),
                |f| (1.0..=100.0).contains(&f),
                "in [1, 100]",
            )
        })
        .unwrap_or(c.panic_window_percentage);
    let ptp = get(
        "panic-threshold-percentage",
        Some("panicThresholdPercentage"),
    )
    .and_then(|(_, s)| {
        f_in(
            cx,
            &s,
            &path("panic-threshold-percentage"),
            |f| (110.0..=1000.0).contains(&f),
            "in [110, 1000]",
        )
    })
    .unwrap_or(c.panic_threshold_percentage);
    let tbc = get("target-burst-capacity", Some("targetBurstCapacity"))
        .and_then(|(_, s)| {
            f_in(
                cx,
                &s,
                &path("target-burst-capacity"),
                |f| f >= 0.0 || f == -1.0,
                "≥ 0 or -1",
            )
        })
        .unwrap_or(c.target_burst_capacity);
    let min = get("min-scale", Some("minScale"))
        .and_then(|(_, s)| u_in(cx, &s, &path("min-scale"), 0, i64::from(i32::MAX)))
        .unwrap_or(c.min_scale);
    let max_raw = get("max-scale", Some("maxScale"))
        .and_then(|(_, s)| u_in(cx, &s, &path("max-scale"), 0, i64::from(i32::MAX)))
        .unwrap_or(c.max_scale);
    if c.max_scale_limit.value > 0
        && (max_raw.value == 0 || max_raw.value > c.max_scale_limit.value)
    {
        if let Some(s) = max_raw.span() {
            cx.error(
                Code::OutOfRange,
                s,
                format!(
                    "max-scale must be in [1, {}] (max-scale-limit)",
                    c.max_scale_limit.value
                ),
            );
        }
    }
    let max = Param {
        value: if max_raw.value == 0 {
            u32::MAX
        } else {
            max_raw.value
        },
        origin: max_raw.origin,
    };
    if max_raw.value != 0 {
        check_min_max(cx, &min, &max, "Knative min-scale/max-scale");
    }
    let allow_zero = c.allow_zero_initial_scale;
    let initial = match get("initial-scale", Some("initialScale")) {
        Some((_, s)) => u_in(cx, &s, &path("initial-scale"), 0, i64::from(i32::MAX)).and_then(|p| {
            if p.value == 0 && !allow_zero.value {
                cx.error(Code::OutOfRange, s.span, "`initial-scale: 0` requires `allow-zero-initial-scale: true` in config-autoscaler");
                None
            } else {
                Some(p)
            }
        }),
        None => None,
    }
    .unwrap_or(c.initial_scale);
    let activation = match get("activation-scale", None) {
        Some((_, s)) => {
            u_in(cx, &s, &path("activation-scale"), 2, i64::from(i32::MAX)).and_then(|p| {
                if p.value < min.value || (max_raw.value != 0 && p.value > max_raw.value) {
                    range_err(
                        cx,
                        &s,
                        &path("activation-scale"),
                        "between min-scale and max-scale",
                    );
                    None
                } else {
                    Some(p)
                }
            })
        }
        None => None,
    }
    .unwrap_or(up::ACTIVATION_SCALE.param());
    let sdd = get("scale-down-delay", Some("scaleDownDelay"))
        .and_then(|(_, s)| dur_in(cx, &s, &path("scale-down-delay"), 0, 3600 * SECOND, true))
        .unwrap_or(c.scale_down_delay);
    let retention = get("scale-to-zero-pod-retention-period", None)
        .and_then(|(_, s)| {
            dur_in(
                cx,
                &s,
                &path("scale-to-zero-pod-retention-period"),
                0,
                3600 * SECOND,
                false,
            )
        })
        .unwrap_or(c.scale_to_zero_pod_retention_period);
    let aggregation = match get(
        "metric-aggregation-algorithm",
        Some("metricAggregationAlgorithm"),
    ) {
        Some((_, s)) => match read::one_of(
            cx,
            &s,
            &["linear", "weighted-exponential", "weightedExponential"],
            &path("metric-aggregation-algorithm"),
            Code::UnknownValue,
        ) {
            Some("linear") => Param::yaml(Aggregation::Linear, s.span),
            Some(_) => Param::yaml(Aggregation::WeightedExponential, s.span),
            None => up::AGGREGATION.param(),
        },
        None => up::AGGREGATION.param(),
    };

    let metric_span = annotations.map_or(doc.kind.span, |a| a.span);
    let source = match metric.value {
        KnativeMetric::Concurrency => MetricSource::KnativeConcurrency,
        KnativeMetric::Rps => MetricSource::KnativeRps,
    };
    let name = match metric.value {
        KnativeMetric::Concurrency => "concurrency",
        KnativeMetric::Rps => "rps",
    };
    let params = KnativeParams {
        metric,
        target_value,
        total_value: total.value,
        target: total,
        target_utilization: tu,
        container_concurrency,
        stable_window,
        panic_window_percentage: pwp,
        panic_threshold_percentage: ptp,
        max_scale_up_rate: c.max_scale_up_rate,
        max_scale_down_rate: c.max_scale_down_rate,
        enable_scale_to_zero: c.enable_scale_to_zero,
        scale_to_zero_grace_period: c.scale_to_zero_grace_period,
        scale_to_zero_pod_retention_period: retention,
        initial_scale: initial,
        allow_zero_initial_scale: allow_zero,
        scale_down_delay: sdd,
        activation_scale: activation,
        target_burst_capacity: tbc,
        aggregation,
        tick_interval: up::TICK_INTERVAL.param(),
    };
    let mut a = doc.autoscaler(Family::Knative, min, max, Algorithm::KnativeKpa(params));
    a.target = Some(TargetRef {
        api_version: Some(doc.api_version.value.clone()),
        kind: Some(kind.to_string()),
        name: doc.name.clone(),
    });
    a.initial_replicas = Some(initial);
    a.metrics = vec![Metric {
        name: Spanned::new(name.to_string(), metric.span().unwrap_or(metric_span)),
        source,
        target: MetricTarget {
            target_type: TargetType::AverageValue,
            value: Param {
                value: target_value,
                origin: total.origin,
            },
        },
        bound: None,
        activation_threshold: None,
        span: metric_span,
    }];
    Some(a)
}
