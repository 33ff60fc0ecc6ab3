//! Knative Serving autoscaling, as of Knative Serving v1.20: the KPA class, and the HPA class
//! (`hpa.autoscaling.knative.dev`), read as the Kubernetes HPA Knative creates for it
//! (`pkg/reconciler/autoscaling/hpa/resources/hpa.go`, [`up::HPA_RESOURCES`]).
//!
//! Upstream (knative/serving v1.20): `pkg/apis/autoscaling/register.go` (annotation keys and
//! limits), `pkg/apis/autoscaling/annotation_validation.go` (ranges), `pkg/autoscaler/config/config.go`
//! (`config-autoscaler` keys and defaults), `pkg/reconciler/autoscaling/resources/target.go`
//! (`ResolveMetricTarget`), `pkg/autoscaler/scaling/multiscaler.go` (2 s tick).
//!
//! Annotations are read from `spec.template.metadata.annotations` of a Service or
//! Configuration, or `metadata.annotations` of a Revision. A `config-autoscaler` ConfigMap in
//! the same input overrides the defaults.
//!
//! Each annotation is one row of `ANNOTATIONS` (key, legacy spelling, `Kind` with its
//! range, and its fallback: the `config-autoscaler` key of `CONFIG_KEYS` or an upstream
//! default); a row with a knob in [`crate::knobs::knative`] takes its key from the knob.

use crate::codes::rule_doc;
use crate::codes::Code;
use crate::config::cursor::Cursor;
use crate::config::read::{self, Cx};
use crate::config::{check_min_max, unknown_kind, unknown_version, Doc};
use crate::diagnostic::Diagnostic;
use crate::duration::GoDuration;
use crate::knobs::knative as kn;
use crate::knobs::Place;
use crate::model::{
    Aggregation, Algorithm, Autoscaler, Family, KnativeMetric, KnativeParams, Metric, MetricSource,
    MetricTarget, Millis, TargetRef, TargetType,
};
use crate::span::{Param, Spanned};
use crate::upstream::Fact;
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

/// How an annotation or a `config-autoscaler` value (both strings) reads, and its valid range
/// (`annotation_validation.go`, `config.go`).
pub(crate) trait Kind: Sync {
    type Value: Copy + 'static;
    /// The value of `s`, or a diagnostic naming `path` and `None`.
    fn read(&self, cx: &mut Cx, s: &Spanned<String>, path: &str) -> Option<Param<Self::Value>>;
}

/// A number (Go `strconv.ParseFloat`) and its valid range.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Number {
    /// In `[min, max]`.
    In((f64, f64)),
    /// `≥ min`.
    AtLeast(f64),
    /// `> min`.
    Above(f64),
    /// `≥ 0`, or `-1` (unlimited): target burst capacity.
    BurstCapacity,
    /// A percentage in (0, 100], read as a fraction; a value ≤ 1 is already one
    /// (`container-concurrency-target-percentage`).
    Percentage,
}

impl Number {
    /// The value to keep when `f` is valid.
    fn check(self, f: f64) -> Option<f64> {
        let (ok, value) = match self {
            Number::In((min, max)) => ((min..=max).contains(&f), f),
            Number::AtLeast(min) => (f >= min, f),
            Number::Above(min) => (f > min, f),
            Number::BurstCapacity => (f >= 0.0 || f == -1.0, f),
            Number::Percentage => {
                let frac = if f > 1.0 { f / 100.0 } else { f };
                (frac > 0.0 && frac <= 1.0, frac)
            }
        };
        ok.then_some(value)
    }

    /// The range in words (`in [1, 100]`, `≥ 0.01`).
    fn range(self) -> String {
        match self {
            Number::In((min, max)) => format!("in [{min}, {max}]"),
            Number::AtLeast(min) => format!("≥ {min}"),
            Number::Above(min) => format!("> {min}"),
            Number::BurstCapacity => "≥ 0 or -1".into(),
            Number::Percentage => "in (0, 100]".into(),
        }
    }
}

impl Kind for Number {
    type Value = f64;
    fn read(&self, cx: &mut Cx, s: &Spanned<String>, path: &str) -> Option<Param<f64>> {
        let f = read::float_str(cx, s, path)?;
        match self.check(f) {
            Some(v) => Some(Param::yaml(v, s.span)),
            None => {
                range_err(cx, s, path, &self.range());
                None
            }
        }
    }
}

/// An integer from `min` to `i32::MAX`: Knative parses these with `strconv.ParseInt(s, 10, 32)`
/// ([`read::INT32_GO`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Count {
    pub min: i64,
}

impl Kind for Count {
    type Value = u32;
    fn read(&self, cx: &mut Cx, s: &Spanned<String>, path: &str) -> Option<Param<u32>> {
        let (min, max) = (self.min, i64::from(i32::MAX));
        let i = match read::decimal_int_text(&s.value) {
            read::IntText::Int(i) if i <= max => i,
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
        if i < min {
            range_err(cx, s, path, &format!("in [{min}, {max}]"));
            return None;
        }
        Some(Param::yaml(i as u32, s.span))
    }
}

/// A Go duration in `[min, max]`, in whole seconds when `whole`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Duration {
    pub min: Millis,
    pub max: Millis,
    pub whole: bool,
}

impl Kind for Duration {
    type Value = Millis;
    fn read(&self, cx: &mut Cx, s: &Spanned<String>, path: &str) -> Option<Param<Millis>> {
        let d: GoDuration = read::duration_str(cx, s, path)?;
        let ms = d.millis().max(0) as Millis;
        if self.whole && !d.is_whole_seconds() {
            range_err(cx, s, path, "a whole number of seconds");
            return None;
        }
        if ms < self.min || ms > self.max {
            let (min, max) = (crate::display::Dur(self.min), crate::display::Dur(self.max));
            range_err(cx, s, path, &format!("in [{min}, {max}]"));
            return None;
        }
        Some(Param::yaml(ms, s.span))
    }
}

/// A bool (Go `strconv.ParseBool`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Flag;

impl Kind for Flag {
    type Value = bool;
    fn read(&self, cx: &mut Cx, s: &Spanned<String>, path: &str) -> Option<Param<bool>> {
        read::bool_str(cx, s, path).map(|v| Param::yaml(v, s.span))
    }
}

/// One of a list of words, each with its value (an unknown word is `unknown-value`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Word<T: 'static>(pub &'static [(&'static str, T)]);

impl<T: Copy + Sync + 'static> Kind for Word<T> {
    type Value = T;
    fn read(&self, cx: &mut Cx, s: &Spanned<String>, path: &str) -> Option<Param<T>> {
        let words: Vec<&str> = self.0.iter().map(|(w, _)| *w).collect();
        let word = read::one_of(cx, s, &words, path, Code::UnknownValue)?;
        let (_, v) = self.0.iter().find(|(w, _)| *w == word)?;
        Some(Param::yaml(*v, s.span))
    }
}

/// A `config-autoscaler` key: how it reads and the [`Config`] field it sets.
pub(crate) struct ConfigKey<K: Kind> {
    /// The data key (a knob's place where the knob table has one).
    pub key: &'static str,
    pub kind: K,
    pub field: fn(&mut Config) -> &mut Param<K::Value>,
}

/// A [`ConfigKey`] of any kind.
pub(crate) trait ConfigRead: Sync {
    fn key(&self) -> &'static str;
    /// Read `s` (the value at `path`) into its field of `c`; an invalid value keeps the default.
    fn read_into(&self, cx: &mut Cx, s: &Spanned<String>, path: &str, c: &mut Config);
}

impl<K: Kind> ConfigRead for ConfigKey<K> {
    fn key(&self) -> &'static str {
        self.key
    }

    fn read_into(&self, cx: &mut Cx, s: &Spanned<String>, path: &str, c: &mut Config) {
        if let Some(v) = self.kind.read(cx, s, path) {
            *(self.field)(c) = v;
        }
    }
}

/// A per-revision annotation: its key, the legacy camelCase spelling Knative still reads, how
/// it reads, and what applies when it is not written (`F`: a [`Fallback`], or [`Derived`]).
pub(crate) struct Annotation<K, F = Fallback<K>> {
    /// The full key (`autoscaling.knative.dev/window`): a knob's place where the knob table
    /// has one.
    pub key: &'static str,
    /// The legacy spelling, without the prefix (`minScale`).
    pub legacy: Option<&'static str>,
    pub kind: K,
    pub fallback: F,
}

/// What an unwritten (or invalid) annotation falls back to.
pub(crate) enum Fallback<K: Kind + 'static> {
    /// The `config-autoscaler` key that sets it for every revision.
    Config(&'static ConfigKey<K>),
    /// An upstream default (no ConfigMap key).
    Upstream(Fact<K::Value>),
}

/// An annotation whose fallback the reader derives from other settings (`ResolveMetricTarget`).
pub(crate) struct Derived;

impl<K: Kind> Fallback<K> {
    fn param(&self, c: &mut Config) -> Param<K::Value> {
        match self {
            Fallback::Config(key) => *(key.field)(c),
            Fallback::Upstream(fact) => fact.param(),
        }
    }
}

/// A knob's annotation key (`""` for another place: `tests::table_keys` catches it).
const fn annotation_key(place: Place) -> &'static str {
    match place {
        Place::Annotation(k) => k,
        _ => "",
    }
}

/// A knob's `config-autoscaler` key (`""` for another place: `tests::table_keys` catches it).
const fn config_key(place: Place) -> &'static str {
    match place {
        Place::ConfigMap { key, .. } => key,
        _ => "",
    }
}

/// `[0, i32::MAX]`.
const COUNT: Count = Count { min: 0 };
/// Any duration ≥ `min`.
const fn at_least(min: Millis, whole: bool) -> Duration {
    Duration {
        min,
        max: Millis::MAX,
        whole,
    }
}

const CLASSES: Word<&str> = Word(&[
    (up::KPA_CLASS, up::KPA_CLASS),
    (up::HPA_CLASS, up::HPA_CLASS),
]);

pub(crate) static TARGET_PERCENTAGE_CM: ConfigKey<Number> = ConfigKey {
    key: "container-concurrency-target-percentage",
    kind: Number::Percentage,
    field: |c| &mut c.target_percentage,
};
pub(crate) static CC_TARGET_CM: ConfigKey<Number> = ConfigKey {
    key: "container-concurrency-target-default",
    kind: Number::AtLeast(up::TARGET_MIN),
    field: |c| &mut c.cc_target_default,
};
pub(crate) static RPS_TARGET_CM: ConfigKey<Number> = ConfigKey {
    key: "requests-per-second-target-default",
    kind: Number::AtLeast(up::TARGET_MIN),
    field: |c| &mut c.rps_target_default,
};
pub(crate) static TARGET_BURST_CAPACITY_CM: ConfigKey<Number> = ConfigKey {
    key: "target-burst-capacity",
    kind: Number::BurstCapacity,
    field: |c| &mut c.target_burst_capacity,
};
pub(crate) static STABLE_WINDOW_CM: ConfigKey<Duration> = ConfigKey {
    key: "stable-window",
    kind: Duration {
        min: up::WINDOW_MIN,
        max: up::WINDOW_MAX,
        whole: true,
    },
    field: |c| &mut c.stable_window,
};
pub(crate) static PANIC_WINDOW_PERCENTAGE_CM: ConfigKey<Number> = ConfigKey {
    key: "panic-window-percentage",
    kind: Number::In(up::PANIC_WINDOW_PERCENTAGE_RANGE),
    field: |c| &mut c.panic_window_percentage,
};
/// The ConfigMap only requires > 0 (`config.go`); the annotation's range is narrower.
pub(crate) static PANIC_THRESHOLD_PERCENTAGE_CM: ConfigKey<Number> = ConfigKey {
    key: "panic-threshold-percentage",
    kind: Number::Above(0.0),
    field: |c| &mut c.panic_threshold_percentage,
};
pub(crate) static MAX_SCALE_UP_RATE_CM: ConfigKey<Number> = ConfigKey {
    key: config_key(kn::MAX_SCALE_UP_RATE.place),
    kind: Number::Above(1.0),
    field: |c| &mut c.max_scale_up_rate,
};
pub(crate) static MAX_SCALE_DOWN_RATE_CM: ConfigKey<Number> = ConfigKey {
    key: config_key(kn::MAX_SCALE_DOWN_RATE.place),
    kind: Number::Above(1.0),
    field: |c| &mut c.max_scale_down_rate,
};
pub(crate) static ENABLE_SCALE_TO_ZERO_CM: ConfigKey<Flag> = ConfigKey {
    key: config_key(kn::ENABLE_SCALE_TO_ZERO.place),
    kind: Flag,
    field: |c| &mut c.enable_scale_to_zero,
};
pub(crate) static SCALE_TO_ZERO_GRACE_PERIOD_CM: ConfigKey<Duration> = ConfigKey {
    key: config_key(kn::SCALE_TO_ZERO_GRACE_PERIOD.place),
    kind: at_least(1, false),
    field: |c| &mut c.scale_to_zero_grace_period,
};
pub(crate) static SCALE_TO_ZERO_POD_RETENTION_PERIOD_CM: ConfigKey<Duration> = ConfigKey {
    key: "scale-to-zero-pod-retention-period",
    kind: at_least(0, false),
    field: |c| &mut c.scale_to_zero_pod_retention_period,
};
pub(crate) static SCALE_DOWN_DELAY_CM: ConfigKey<Duration> = ConfigKey {
    key: "scale-down-delay",
    kind: at_least(0, true),
    field: |c| &mut c.scale_down_delay,
};
pub(crate) static INITIAL_SCALE_CM: ConfigKey<Count> = ConfigKey {
    key: "initial-scale",
    kind: COUNT,
    field: |c| &mut c.initial_scale,
};
pub(crate) static ALLOW_ZERO_INITIAL_SCALE_CM: ConfigKey<Flag> = ConfigKey {
    key: "allow-zero-initial-scale",
    kind: Flag,
    field: |c| &mut c.allow_zero_initial_scale,
};
pub(crate) static MIN_SCALE_CM: ConfigKey<Count> = ConfigKey {
    key: "min-scale",
    kind: COUNT,
    field: |c| &mut c.min_scale,
};
pub(crate) static MAX_SCALE_CM: ConfigKey<Count> = ConfigKey {
    key: "max-scale",
    kind: COUNT,
    field: |c| &mut c.max_scale,
};
pub(crate) static MAX_SCALE_LIMIT_CM: ConfigKey<Count> = ConfigKey {
    key: "max-scale-limit",
    kind: COUNT,
    field: |c| &mut c.max_scale_limit,
};
pub(crate) static CLASS_CM: ConfigKey<Word<&str>> = ConfigKey {
    key: "pod-autoscaler-class",
    kind: CLASSES,
    field: |c| &mut c.class,
};

/// Every `config-autoscaler` key read (`NewConfigFromMap`); other keys are ignored.
pub(crate) static CONFIG_KEYS: &[&dyn ConfigRead] = &[
    &TARGET_PERCENTAGE_CM,
    &CC_TARGET_CM,
    &RPS_TARGET_CM,
    &TARGET_BURST_CAPACITY_CM,
    &STABLE_WINDOW_CM,
    &PANIC_WINDOW_PERCENTAGE_CM,
    &PANIC_THRESHOLD_PERCENTAGE_CM,
    &MAX_SCALE_UP_RATE_CM,
    &MAX_SCALE_DOWN_RATE_CM,
    &ENABLE_SCALE_TO_ZERO_CM,
    &SCALE_TO_ZERO_GRACE_PERIOD_CM,
    &SCALE_TO_ZERO_POD_RETENTION_PERIOD_CM,
    &SCALE_DOWN_DELAY_CM,
    &INITIAL_SCALE_CM,
    &ALLOW_ZERO_INITIAL_SCALE_CM,
    &MIN_SCALE_CM,
    &MAX_SCALE_CM,
    &MAX_SCALE_LIMIT_CM,
    &CLASS_CM,
];

pub(crate) static CLASS: Annotation<(), Derived> = Annotation {
    key: "autoscaling.knative.dev/class",
    legacy: None,
    kind: (),
    fallback: Derived,
};
pub(crate) static METRIC: Annotation<Word<KnativeMetric>> = Annotation {
    key: "autoscaling.knative.dev/metric",
    legacy: None,
    kind: Word(&[
        ("concurrency", KnativeMetric::Concurrency),
        ("rps", KnativeMetric::Rps),
    ]),
    fallback: Fallback::Upstream(up::METRIC),
};
pub(crate) static TARGET: Annotation<Number, Derived> = Annotation {
    key: annotation_key(kn::TARGET.place),
    legacy: None,
    kind: Number::AtLeast(up::TARGET_MIN),
    fallback: Derived,
};
pub(crate) static TARGET_UTILIZATION: Annotation<Number, Derived> = Annotation {
    key: "autoscaling.knative.dev/target-utilization-percentage",
    legacy: Some("targetUtilizationPercentage"),
    kind: Number::In((1.0, 100.0)),
    fallback: Derived,
};
pub(crate) static WINDOW: Annotation<Duration> = Annotation {
    key: annotation_key(kn::WINDOW.place),
    legacy: None,
    kind: Duration {
        min: up::WINDOW_MIN,
        max: up::WINDOW_MAX,
        whole: true,
    },
    fallback: Fallback::Config(&STABLE_WINDOW_CM),
};
pub(crate) static PANIC_WINDOW_PERCENTAGE: Annotation<Number> = Annotation {
    key: annotation_key(kn::PANIC_WINDOW_PERCENTAGE.place),
    legacy: Some("panicWindowPercentage"),
    kind: Number::In(up::PANIC_WINDOW_PERCENTAGE_RANGE),
    fallback: Fallback::Config(&PANIC_WINDOW_PERCENTAGE_CM),
};
pub(crate) static PANIC_THRESHOLD_PERCENTAGE: Annotation<Number> = Annotation {
    key: annotation_key(kn::PANIC_THRESHOLD_PERCENTAGE.place),
    legacy: Some("panicThresholdPercentage"),
    kind: Number::In(up::PANIC_THRESHOLD_PERCENTAGE_RANGE),
    fallback: Fallback::Config(&PANIC_THRESHOLD_PERCENTAGE_CM),
};
pub(crate) static TARGET_BURST_CAPACITY: Annotation<Number> = Annotation {
    key: "autoscaling.knative.dev/target-burst-capacity",
    legacy: Some("targetBurstCapacity"),
    kind: Number::BurstCapacity,
    fallback: Fallback::Config(&TARGET_BURST_CAPACITY_CM),
};
pub(crate) static MIN_SCALE: Annotation<Count> = Annotation {
    key: annotation_key(kn::MIN_SCALE.place),
    legacy: Some("minScale"),
    kind: COUNT,
    fallback: Fallback::Config(&MIN_SCALE_CM),
};
pub(crate) static MAX_SCALE: Annotation<Count> = Annotation {
    key: annotation_key(kn::MAX_SCALE.place),
    legacy: Some("maxScale"),
    kind: COUNT,
    fallback: Fallback::Config(&MAX_SCALE_CM),
};
/// 0 needs `allow-zero-initial-scale` (checked by the reader).
pub(crate) static INITIAL_SCALE: Annotation<Count> = Annotation {
    key: annotation_key(kn::INITIAL_SCALE.place),
    legacy: Some("initialScale"),
    kind: COUNT,
    fallback: Fallback::Config(&INITIAL_SCALE_CM),
};
/// Between min-scale and max-scale (checked by the reader).
pub(crate) static ACTIVATION_SCALE: Annotation<Count> = Annotation {
    key: annotation_key(kn::ACTIVATION_SCALE.place),
    legacy: None,
    kind: Count { min: 2 },
    fallback: Fallback::Upstream(up::ACTIVATION_SCALE),
};
pub(crate) static SCALE_DOWN_DELAY: Annotation<Duration> = Annotation {
    key: annotation_key(kn::SCALE_DOWN_DELAY.place),
    legacy: Some("scaleDownDelay"),
    kind: Duration {
        min: 0,
        max: up::SCALE_DOWN_DELAY_MAX,
        whole: true,
    },
    fallback: Fallback::Config(&SCALE_DOWN_DELAY_CM),
};
pub(crate) static SCALE_TO_ZERO_POD_RETENTION_PERIOD: Annotation<Duration> = Annotation {
    key: "autoscaling.knative.dev/scale-to-zero-pod-retention-period",
    legacy: None,
    kind: Duration {
        min: 0,
        max: up::WINDOW_MAX,
        whole: false,
    },
    fallback: Fallback::Config(&SCALE_TO_ZERO_POD_RETENTION_PERIOD_CM),
};
pub(crate) static AGGREGATION: Annotation<Word<Aggregation>> = Annotation {
    key: "autoscaling.knative.dev/metric-aggregation-algorithm",
    legacy: Some("metricAggregationAlgorithm"),
    kind: Word(&[
        ("linear", Aggregation::Linear),
        ("weighted-exponential", Aggregation::WeightedExponential),
        ("weightedExponential", Aggregation::WeightedExponential),
    ]),
    fallback: Fallback::Upstream(up::AGGREGATION),
};

/// An annotation's spellings, whatever its kind.
pub(crate) trait Spelling: Sync {
    fn key(&self) -> &'static str;
    fn legacy(&self) -> Option<&'static str>;
}

impl<K: Sync, F: Sync> Spelling for Annotation<K, F> {
    fn key(&self) -> &'static str {
        self.key
    }
    fn legacy(&self) -> Option<&'static str> {
        self.legacy
    }
}

/// Every annotation read, in reading order; any other `autoscaling.knative.dev/` key is an
/// `unknown-field` warning.
pub(crate) static ANNOTATIONS: &[&dyn Spelling] = &[
    &CLASS,
    &METRIC,
    &TARGET,
    &TARGET_UTILIZATION,
    &WINDOW,
    &PANIC_WINDOW_PERCENTAGE,
    &PANIC_THRESHOLD_PERCENTAGE,
    &TARGET_BURST_CAPACITY,
    &MIN_SCALE,
    &MAX_SCALE,
    &INITIAL_SCALE,
    &ACTIVATION_SCALE,
    &SCALE_DOWN_DELAY,
    &SCALE_TO_ZERO_POD_RETENTION_PERIOD,
    &AGGREGATION,
];

/// Read the `config-autoscaler` ConfigMap (`NewConfigFromMap`).
pub fn read_config_map(cx: &mut Cx, doc: &Doc) -> Config {
    let mut c = Config::default();
    let Some(data) = read::mapping(cx, doc.root, "data", "data") else {
        return c;
    };
    for (k, v) in data.as_mapping().unwrap_or(&[]) {
        let Some(text) = v.as_scalar() else { continue };
        let Some(key) = CONFIG_KEYS.iter().find(|r| r.key() == k.value) else {
            continue;
        };
        let s = Spanned::new(text.to_string(), v.span);
        let path = format!("data.{}", crate::text::quote(&k.value));
        key.read_into(cx, &s, &path, &mut c);
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

/// One annotation as the revision gets it: its key and value with their spans, and, when it
/// is written elsewhere (a KServe field KServe turns into this annotation), the path that
/// diagnostics name instead of the annotation's.
#[derive(Debug, Clone)]
pub(crate) struct Written {
    pub key: Spanned<String>,
    pub value: Spanned<String>,
    /// `spec.predictor.scaleTarget` for an annotation KServe writes; `None`: the annotation.
    pub path: Option<String>,
}

/// A revision's annotations and the path they are under.
pub(crate) struct Annotations {
    pub entries: Vec<Written>,
    /// Span of the annotations (or of what they are read from), when there are any.
    pub span: Option<crate::span::Span>,
    pub path: &'static str,
}

impl Annotations {
    /// The string-valued entries of an `annotations` mapping (`None`: none written).
    pub(crate) fn of(node: Option<&Node>, path: &'static str) -> Self {
        let entries = node
            .and_then(Node::as_mapping)
            .unwrap_or(&[])
            .iter()
            .filter_map(|(k, v)| {
                let value = Spanned::new(v.as_scalar()?.to_string(), v.span);
                Some(Written {
                    key: k.clone(),
                    value,
                    path: None,
                })
            })
            .collect();
        Annotations {
            entries,
            span: node.map(|n| n.span),
            path,
        }
    }

    /// The entry written under `key`, else under its legacy spelling.
    fn entry<K, F>(&self, a: &Annotation<K, F>) -> Option<&Written> {
        let find = |k: &str| self.entries.iter().find(|w| w.key.value == k);
        find(a.key).or_else(|| a.legacy.and_then(|l| find(&format!("{PREFIX}{l}"))))
    }

    /// The value written under `key`, else under its legacy spelling.
    fn text<K, F>(&self, a: &Annotation<K, F>) -> Option<Spanned<String>> {
        self.entry(a).map(|w| w.value.clone())
    }

    /// The path an annotation's diagnostics name (its kebab-case key, whichever was written,
    /// or the field KServe wrote it from).
    fn path_of<K, F>(&self, a: &Annotation<K, F>) -> String {
        match self.entry(a).and_then(|w| w.path.clone()) {
            Some(p) => p,
            None => self.path(a.key),
        }
    }

    fn path(&self, key: &str) -> String {
        format!("{}[{key}]", self.path)
    }

    /// The annotation's value when written and valid.
    fn written<K: Kind, F>(&self, cx: &mut Cx, a: &Annotation<K, F>) -> Option<Param<K::Value>> {
        let s = self.text(a)?;
        a.kind.read(cx, &s, &self.path_of(a))
    }

    /// The annotation's value, else its fallback.
    fn value<K: Kind>(&self, cx: &mut Cx, a: &Annotation<K>, c: &mut Config) -> Param<K::Value> {
        self.written(cx, a).unwrap_or_else(|| a.fallback.param(c))
    }

    /// Warn about `autoscaling.knative.dev/` keys that are not in [`ANNOTATIONS`].
    fn unknown_keys(&self, cx: &mut Cx) {
        let known: Vec<&str> = ANNOTATIONS
            .iter()
            .flat_map(|a| {
                [
                    Some(a.key().strip_prefix(PREFIX).unwrap_or(a.key())),
                    a.legacy(),
                ]
            })
            .flatten()
            .collect();
        for Written { key: k, .. } in &self.entries {
            let Some(bare) = k.value.strip_prefix(PREFIX) else {
                continue;
            };
            if known.contains(&bare) {
                continue;
            }
            let mut d = Diagnostic::warning(
                Code::UnknownField,
                format!(
                    "unknown Knative annotation `{}`: it is ignored",
                    crate::text::quote(&k.value)
                ),
            )
            .at(k.span);
            if let Some(best) = read::closest(bare, &known) {
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

/// A Knative Service, Configuration or Revision (`serving.knative.dev/v1`); a Route or
/// DomainMapping is skipped with a note.
fn revision_kind<'d>(cx: &mut Cx, doc: &'d Doc) -> Option<&'d str> {
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
    Some(kind)
}

/// The revision's autoscaling class: the KPA (replayed as itself), Knative's HPA class
/// (replayed as the HPA Knative creates), or another one (an error: nothing to replay).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Kpa,
    Hpa,
}

fn class(cx: &mut Cx, doc: &Doc, ann: &Annotations, c: &Config) -> Option<Class> {
    let class = ann.text(&CLASS);
    let class_v = class.as_ref().map_or(c.class.value, |s| s.value.as_str());
    if class_v == up::KPA_CLASS {
        return Some(Class::Kpa);
    }
    if class_v == up::HPA_CLASS {
        return Some(Class::Hpa);
    }
    let at = class
        .as_ref()
        .map(|s| s.span)
        .or(c.class.span())
        .unwrap_or(doc.kind.span);
    cx.error(Code::UnknownValue, at, format!("unknown autoscaling class `{}` (kpa.autoscaling.knative.dev or hpa.autoscaling.knative.dev)", crate::text::quote(class_v)));
    None
}

/// `ResolveMetricTarget` (`target.go`): the per-pod total and the utilization.
fn resolve_target(
    metric: KnativeMetric,
    target: Option<Param<f64>>,
    utilization: Option<Param<f64>>,
    container_concurrency: Option<Param<u32>>,
    c: &Config,
) -> (Param<f64>, Param<f64>) {
    let cc = container_concurrency.filter(|cc| cc.value > 0);
    let (mut total, mut tu) = match (metric, cc) {
        (KnativeMetric::Rps, _) => (c.rps_target_default, up::RPS_TARGET_UTILIZATION.param()),
        (KnativeMetric::Concurrency, Some(cc)) => (
            Param {
                value: f64::from(cc.value),
                origin: cc.origin,
            },
            c.target_percentage,
        ),
        (KnativeMetric::Concurrency, None) => (c.cc_target_default, c.target_percentage),
    };
    if let Some(t) = target {
        let mut v = t.value;
        if let (KnativeMetric::Concurrency, Some(cc)) = (metric, cc) {
            v = v.min(f64::from(cc.value));
        }
        total = Param {
            value: v,
            origin: t.origin,
        };
    }
    if let Some(u) = utilization {
        tu = Param {
            value: u.value / 100.0,
            origin: u.origin,
        };
    }
    (total, tu)
}

/// `min-scale` and `max-scale` as written (`max_raw`, 0: no limit) and as the model reads it
/// (`u32::MAX` for no limit), checked against `max-scale-limit` and each other.
fn scale_bounds(
    cx: &mut Cx,
    ann: &Annotations,
    c: &mut Config,
) -> (Param<u32>, Param<u32>, Param<u32>) {
    let min = ann.value(cx, &MIN_SCALE, c);
    let max_raw = ann.value(cx, &MAX_SCALE, c);
    let limit = c.max_scale_limit.value;
    if limit > 0 && (max_raw.value == 0 || max_raw.value > limit) {
        if let Some(s) = max_raw.span() {
            let msg = format!("max-scale must be in [1, {limit}] (max-scale-limit)");
            cx.error(Code::OutOfRange, s, msg);
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
    (min, max_raw, max)
}

/// `initial-scale`: 0 needs `allow-zero-initial-scale` in the ConfigMap.
fn initial_scale(cx: &mut Cx, ann: &Annotations, c: &mut Config) -> Param<u32> {
    let allow_zero = c.allow_zero_initial_scale.value;
    ann.written(cx, &INITIAL_SCALE)
        .filter(|p| {
            let ok = p.value != 0 || allow_zero;
            if let (false, Some(at)) = (ok, p.span()) {
                cx.error(Code::OutOfRange, at, "`initial-scale: 0` requires `allow-zero-initial-scale: true` in config-autoscaler");
            }
            ok
        })
        .unwrap_or_else(|| INITIAL_SCALE.fallback.param(c))
}

/// `activation-scale`: between min-scale and max-scale (`max_raw` 0: no limit).
fn activation_scale(
    cx: &mut Cx,
    ann: &Annotations,
    c: &mut Config,
    min: &Param<u32>,
    max_raw: &Param<u32>,
) -> Param<u32> {
    let path = ann.path_of(&ACTIVATION_SCALE);
    ann.text(&ACTIVATION_SCALE)
        .and_then(|s| {
            let p = ACTIVATION_SCALE.kind.read(cx, &s, &path)?;
            if p.value < min.value || (max_raw.value != 0 && p.value > max_raw.value) {
                range_err(cx, &s, &path, "between min-scale and max-scale");
                return None;
            }
            Some(p)
        })
        .unwrap_or_else(|| ACTIVATION_SCALE.fallback.param(c))
}

/// Annotations the HPA class does not read (`MakeHPA` and `ScaleBounds` are all it reads):
/// Knative still validates them, then only the KPA would use them.
static HPA_CLASS_UNREAD: &[&dyn Spelling] = &[
    &TARGET_UTILIZATION,
    &PANIC_WINDOW_PERCENTAGE,
    &PANIC_THRESHOLD_PERCENTAGE,
    &TARGET_BURST_CAPACITY,
    &ACTIVATION_SCALE,
    &SCALE_DOWN_DELAY,
    &SCALE_TO_ZERO_POD_RETENTION_PERIOD,
    &AGGREGATION,
];

/// A revision of Knative's HPA class, as the Kubernetes HPA Knative creates for it
/// ([`up::HPA_RESOURCES`], `MakeHPA`): min from `min-scale` when > 0 (else the API's 1: no
/// scale to zero), max from `max-scale` (0: `i32::MAX`), the metric from `metric` (default
/// cpu) and `target` (none written: no metric, so the API's cpu 80 %), both stabilization
/// windows from `window`. The KPA-only annotations are flagged as not read.
fn hpa_class(cx: &mut Cx, doc: &Doc, ann: &Annotations, c: &mut Config) -> Autoscaler {
    use crate::upstream::kubernetes as k8s;
    for a in HPA_CLASS_UNREAD {
        let written = ann.entries.iter().find(|w| {
            w.key.value == a.key()
                || a.legacy()
                    .is_some_and(|l| w.key.value == format!("{PREFIX}{l}"))
        });
        if let Some(w) = written {
            cx.warning(
                Code::KnativeHpaClassIgnored,
                w.key.span,
                format!(
                    "`{}` is ignored under the HPA class (hpa.autoscaling.knative.dev): only the KPA reads it; the HPA Knative creates has no such setting",
                    a.key()
                ),
            );
        }
    }
    let (min_scale, _max_raw, max_scale) = scale_bounds(cx, ann, c);
    let min = if min_scale.value > 0 {
        min_scale
    } else {
        if let Some(at) = min_scale.span() {
            cx.warning(
                Code::KnativeHpaClassIgnored,
                at,
                "`min-scale: 0` does not scale to zero under the HPA class: Knative leaves the HPA's minReplicas unset and Kubernetes makes it 1",
            );
        }
        k8s::MIN_REPLICAS.param()
    };
    let max = if max_scale.value == u32::MAX {
        up::HPA_CLASS_NO_MAX.param()
    } else {
        max_scale
    };
    let initial = initial_scale(cx, ann, c);

    let metric = ann.text(&METRIC);
    let target = ann.written(cx, &TARGET);
    let at = ann.span.unwrap_or(doc.kind.span);
    let metric_name = metric
        .as_ref()
        .map_or(up::HPA_CLASS_METRIC.value, |m| m.value.as_str());
    let metric_span = metric.as_ref().map_or(at, |m| m.span);
    let built = target.map(|t| {
        let (source, target_type, value) = match metric_name {
            // ceil(target) percent of the pods' cpu request.
            "cpu" => (
                MetricSource::Resource,
                TargetType::Utilization,
                t.value.ceil(),
            ),
            // int64(target) MiB per pod, in bytes.
            "memory" => (
                MetricSource::Resource,
                TargetType::AverageValue,
                t.value.trunc() * 1024.0 * 1024.0,
            ),
            _ => (
                MetricSource::Pods,
                TargetType::AverageValue,
                t.value.trunc(),
            ),
        };
        Metric {
            name: Spanned::new(metric_name.to_string(), metric_span),
            source,
            target: MetricTarget {
                target_type,
                value: Param {
                    value,
                    origin: t.origin,
                },
            },
            bound: None,
            activation_threshold: None,
            selector: Vec::new(),
            span: t.span().unwrap_or(at),
        }
    });
    let metric = built.unwrap_or_else(|| Metric {
        name: Spanned::new("cpu".to_string(), at),
        source: MetricSource::Resource,
        target: MetricTarget {
            target_type: TargetType::Utilization,
            value: k8s::V2_CPU_UTILIZATION.param(),
        },
        bound: None,
        activation_threshold: None,
        selector: Vec::new(),
        span: at,
    });

    let mut params = k8s::hpa_params();
    if let Some(w) = ann.written(cx, &WINDOW) {
        let mut behavior = k8s::behavior(params.downscale_stabilization);
        behavior.scale_up.stabilization_window = w;
        behavior.scale_down.stabilization_window = w;
        params.behavior = Some(behavior);
    }
    let mut a = doc.autoscaler(Family::Hpa, min, max, Algorithm::Hpa(params));
    a.metrics = vec![metric];
    a.initial_replicas = Some(initial);
    a.via = Some(crate::model::Via::KnativeHpaClass);
    a
}

rule_doc! {
    /// A Knative annotation that the HPA class does not read.
    ///
    /// # What it does
    /// Under `autoscaling.knative.dev/class: hpa.autoscaling.knative.dev`, Knative creates a
    /// Kubernetes HPA from `metric`, `target`, `min-scale`, `max-scale`, `window` and
    /// `initial-scale` only (knative/serving `pkg/reconciler/autoscaling/hpa/resources/hpa.go`
    /// `MakeHPA`). This reports the KPA-only annotations written on such a revision (panic
    /// window and threshold, target burst capacity, target utilization, activation scale,
    /// scale-down delay, pod retention, aggregation) and a `min-scale: 0`, which the HPA class
    /// cannot honour.
    ///
    /// # Why is this bad
    /// The setting looks active but changes nothing: the HPA has no panic mode, no burst
    /// capacity and never scales to zero (its `minReplicas` is at least 1).
    ///
    /// # Example
    /// ```text
    /// autoscaling.knative.dev/class: hpa.autoscaling.knative.dev
    /// autoscaling.knative.dev/panic-window-percentage: "20"
    /// ```
    ///
    /// # Fix
    /// Remove the annotation, or use the KPA class (the default) if you need that behaviour.
    ///
    /// # References
    /// - knative/serving knative-v1.20.0 `pkg/reconciler/autoscaling/hpa/resources/hpa.go`.
    /// - knative/serving knative-v1.20.0 `pkg/apis/autoscaling/v1alpha1/pa_lifecycle.go` (`ScaleBounds`).
    pub(crate) const KNATIVE_HPA_CLASS_IGNORED;
}

/// Read a Knative Service / Configuration / Revision.
pub fn read(cx: &mut Cx, doc: &Doc, cfg: Option<&Config>) -> Option<Autoscaler> {
    let kind = revision_kind(cx, doc)?;
    if kind != "Revision" {
        outer_annotations(cx, doc, kind);
    }
    // The paths below are those the messages have always named, for a Revision too.
    let (meta, rspec) = if kind == "Revision" {
        let spec = doc.root.get("spec");
        let spec = spec.map(|s| Cursor::new(s, "spec.template.spec"));
        (doc.root.get("metadata"), spec)
    } else {
        let t = Cursor::root(doc.root)
            .field(cx, "spec")
            .and_then(|s| s.field(cx, "template"));
        let m = t.as_ref().and_then(|t| t.field(cx, "metadata"));
        let s = t.and_then(|t| t.field(cx, "spec"));
        (m.map(|m| m.node), s)
    };
    let ann = Annotations::of(
        meta.and_then(|m| read::mapping(cx, m, "annotations", "metadata.annotations")),
        if kind == "Revision" {
            "metadata.annotations"
        } else {
            "spec.template.metadata.annotations"
        },
    );
    let container_concurrency = |cx: &mut Cx| {
        rspec
            .as_ref()
            .and_then(|s| s.count_in(cx, "containerConcurrency", 0, 1000))
    };
    let mut a = read_revision(cx, doc, &ann, container_concurrency, cfg)?;
    a.target = Some(TargetRef {
        api_version: Some(doc.api_version.value.clone()),
        kind: Some(kind.to_string()),
        name: doc.name.clone(),
    });
    Some(a)
}

/// Autoscaling annotations on a Service's or Configuration's own `metadata`: a revision takes
/// its annotations from `spec.template.metadata` only (knative/serving
/// `pkg/reconciler/configuration/resources/revision.go`, `MakeRevision`), so the autoscaler
/// never sees these. Each is reported where it is written, with where it belongs.
fn outer_annotations(cx: &mut Cx, doc: &Doc, kind: &str) {
    let Some(entries) = doc
        .root
        .path(&["metadata", "annotations"])
        .and_then(Node::as_mapping)
    else {
        return;
    };
    for (k, _) in entries.iter().filter(|(k, _)| k.value.starts_with(PREFIX)) {
        cx.push(
            Diagnostic::warning(
                Code::UnknownField,
                format!(
                    "`{}` on the {kind}'s own `metadata.annotations` is ignored: Knative's autoscaler reads the revision's annotations, which come from `spec.template.metadata.annotations` only",
                    crate::text::quote(&k.value)
                ),
            )
            .at(k.span)
            .with_advice("move the annotation to `spec.template.metadata.annotations`"),
        );
    }
}

/// The autoscaler of a revision with these annotations: the KPA, or the HPA Knative creates
/// for the HPA class ([`hpa_class`]). `container_concurrency` reads the revision's
/// `containerConcurrency` (only the KPA does). KServe calls this with the annotations it
/// writes on its Knative Service ([`crate::config::kserve`]).
pub(crate) fn read_revision(
    cx: &mut Cx,
    doc: &Doc,
    ann: &Annotations,
    container_concurrency: impl FnOnce(&mut Cx) -> Option<Param<u32>>,
    cfg: Option<&Config>,
) -> Option<Autoscaler> {
    let mut c = cfg.cloned().unwrap_or_default();
    ann.unknown_keys(cx);
    match class(cx, doc, ann, &c)? {
        Class::Kpa => {}
        Class::Hpa => return Some(hpa_class(cx, doc, ann, &mut c)),
    }

    let before = cx.diags.len();
    let metric = ann.value(cx, &METRIC, &mut c);
    // `validateMetric` (pkg/apis/autoscaling/annotation_validation.go): the KPA class takes
    // concurrency or rps only; cpu and memory are the HPA class's. Said so, in place of the
    // "must be one of" error and its nearest-word fix.
    if let Some(m) = ann
        .text(&METRIC)
        .filter(|m| matches!(m.value.as_str(), "cpu" | "memory"))
    {
        cx.diags.truncate(before);
        cx.push(
            Diagnostic::error(
                Code::UnknownValue,
                format!(
                    "`{}` is {} under the KPA class, which scales on concurrency or rps only: Knative's webhook rejects the revision, so nothing scales ({} is a metric of the HPA class)",
                    ann.path_of(&METRIC),
                    m.value,
                    m.value
                ),
            )
            .at(m.span)
            .with_advice(format!(
                "to scale on {}, add `autoscaling.knative.dev/class: hpa.autoscaling.knative.dev` beside it; to keep the KPA, use concurrency or rps",
                m.value
            )),
        );
    }
    let target = ann.written(cx, &TARGET);
    let utilization = ann.written(cx, &TARGET_UTILIZATION);
    let container_concurrency = container_concurrency(cx);
    let (total, tu) = resolve_target(metric.value, target, utilization, container_concurrency, &c);
    let target_value = (total.value * tu.value).max(up::TARGET_MIN);

    let stable_window = ann.value(cx, &WINDOW, &mut c);
    let pwp = ann.value(cx, &PANIC_WINDOW_PERCENTAGE, &mut c);
    let ptp = ann.value(cx, &PANIC_THRESHOLD_PERCENTAGE, &mut c);
    let tbc = ann.value(cx, &TARGET_BURST_CAPACITY, &mut c);
    let (min, max_raw, max) = scale_bounds(cx, ann, &mut c);
    let initial = initial_scale(cx, ann, &mut c);
    let activation = activation_scale(cx, ann, &mut c, &min, &max_raw);
    let sdd = ann.value(cx, &SCALE_DOWN_DELAY, &mut c);
    let retention = ann.value(cx, &SCALE_TO_ZERO_POD_RETENTION_PERIOD, &mut c);
    let aggregation = ann.value(cx, &AGGREGATION, &mut c);

    let metric_span = ann.span.unwrap_or(doc.kind.span);
    let (source, name) = match metric.value {
        KnativeMetric::Concurrency => (MetricSource::KnativeConcurrency, "concurrency"),
        KnativeMetric::Rps => (MetricSource::KnativeRps, "rps"),
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
        allow_zero_initial_scale: c.allow_zero_initial_scale,
        scale_down_delay: sdd,
        activation_scale: activation,
        target_burst_capacity: tbc,
        aggregation,
        tick_interval: up::TICK_INTERVAL.param(),
    };
    let mut a = doc.autoscaler(Family::Knative, min, max, Algorithm::KnativeKpa(params));
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
        selector: Vec::new(),
        span: metric_span,
    }];
    Some(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key is spelled once: the knob-backed ones come from `knobs::knative` through the
    /// const fns, which give `""` for a knob of another place.
    #[test]
    fn table_keys() {
        for a in ANNOTATIONS {
            assert!(a.key().starts_with(PREFIX), "{}", a.key());
            assert!(a.key().len() > PREFIX.len(), "{}", a.key());
        }
        for k in CONFIG_KEYS {
            assert!(!k.key().is_empty());
        }
    }

    /// A knob's default is what the reader falls back to when nothing is written.
    #[test]
    fn knob_defaults_are_the_fallbacks() {
        let mut c = Config::default();
        let count = |d: Option<Fact<u32>>| d.map(|f| f.value);
        assert_eq!(
            count(kn::MIN_SCALE.default),
            Some(MIN_SCALE.fallback.param(&mut c).value)
        );
        assert_eq!(
            count(kn::MAX_SCALE.default),
            Some(MAX_SCALE.fallback.param(&mut c).value)
        );
        assert_eq!(
            count(kn::INITIAL_SCALE.default),
            Some(INITIAL_SCALE.fallback.param(&mut c).value)
        );
        assert_eq!(
            count(kn::ACTIVATION_SCALE.default),
            Some(ACTIVATION_SCALE.fallback.param(&mut c).value)
        );
        let ms = |d: Option<Fact<Millis>>| d.map(|f| f.value);
        assert_eq!(
            ms(kn::WINDOW.default),
            Some(WINDOW.fallback.param(&mut c).value)
        );
        assert_eq!(
            ms(kn::SCALE_DOWN_DELAY.default),
            Some(SCALE_DOWN_DELAY.fallback.param(&mut c).value)
        );
        let num = |d: Option<Fact<f64>>| d.map(|f| f.value);
        assert_eq!(
            num(kn::PANIC_WINDOW_PERCENTAGE.default),
            Some(PANIC_WINDOW_PERCENTAGE.fallback.param(&mut c).value)
        );
        assert_eq!(
            num(kn::PANIC_THRESHOLD_PERCENTAGE.default),
            Some(PANIC_THRESHOLD_PERCENTAGE.fallback.param(&mut c).value)
        );
    }

    #[test]
    fn number_ranges_in_words() {
        let cases = [
            (
                Number::In(up::PANIC_THRESHOLD_PERCENTAGE_RANGE),
                "in [110, 1000]",
            ),
            (Number::In((1.0, 100.0)), "in [1, 100]"),
            (Number::AtLeast(up::TARGET_MIN), "≥ 0.01"),
            (Number::Above(0.0), "> 0"),
            (Number::Above(1.0), "> 1"),
            (Number::BurstCapacity, "≥ 0 or -1"),
            (Number::Percentage, "in (0, 100]"),
        ];
        for (n, want) in cases {
            assert_eq!(n.range(), want);
        }
        assert_eq!(Number::Percentage.check(70.0), Some(0.7));
        assert_eq!(Number::Percentage.check(0.5), Some(0.5));
        assert_eq!(Number::Percentage.check(0.0), None);
        assert_eq!(Number::BurstCapacity.check(-1.0), Some(-1.0));
        assert_eq!(Number::BurstCapacity.check(-2.0), None);
    }
}
