//! Each family's knobs, in one table per family: every setting that changes a replay, where the
//! user writes it (its YAML path, annotation, ConfigMap key or controller flag), the model field
//! that holds its effective value and the upstream default it falls back to.
//!
//! `explain` asks "which setting is behind this rule" and the analyses ask "which setting would
//! fix this" through [`setting`], by [`Concept`]: no YAML path is written anywhere else. A new
//! knob is one row of its family's [`knobs!`] table (and the reader that fills its field); a
//! setting the reader knows but does not replay is one [`Known`] row of the family's [`Table`].

pub mod aibrix;
pub mod hpa;
pub mod keda;
pub mod knative;
pub mod kserve;

use std::fmt;

use crate::codes::Code;
use crate::display::{Dur, Num};
use crate::model::{Algorithm, Autoscaler, Millis};
use crate::span::{Origin, Param, Span};
use crate::upstream::Fact;

/// What a setting does, the same across families: each family says which of its knobs plays the
/// part (AIBrix v0.7.0's scale-down cooldown window and the HPA's scale-down stabilization window
/// are both a [`Concept::ScaleDownWindow`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Concept {
    MinReplicas,
    MaxReplicas,
    /// The metric's target (the first metric's).
    Target,
    MaxScaleUpRate,
    MaxScaleDownRate,
    ScaleUpTolerance,
    ScaleDownTolerance,
    /// A window that holds a scale-up (HPA scale-up stabilization, AIBrix scale-up cooldown).
    ScaleUpWindow,
    /// A window that holds a scale-down (HPA scale-down stabilization, AIBrix scale-down
    /// cooldown).
    ScaleDownWindow,
    /// A delay that keeps the highest count of its window (Knative, AIBrix v0.4.0 KPA).
    ScaleDownDelay,
    /// The window the metric is averaged over (Knative `window`, AIBrix stable window).
    StableWindow,
    PanicWindow,
    PanicThreshold,
    ActivationScale,
    /// The value above which KEDA activates (the first trigger's).
    ActivationThreshold,
    InitialScale,
    /// Scale to zero on or off.
    ScaleToZero,
    /// How long the last pod is kept after the load stops (KEDA `cooldownPeriod`, Knative grace).
    ScaleToZeroDelay,
    ScaleUpPolicies,
    ScaleDownPolicies,
    ScaleUpSelectPolicy,
    ScaleDownSelectPolicy,
}

impl Concept {
    /// Every concept, in declaration order.
    pub const ALL: [Concept; 22] = [
        Concept::MinReplicas,
        Concept::MaxReplicas,
        Concept::Target,
        Concept::MaxScaleUpRate,
        Concept::MaxScaleDownRate,
        Concept::ScaleUpTolerance,
        Concept::ScaleDownTolerance,
        Concept::ScaleUpWindow,
        Concept::ScaleDownWindow,
        Concept::ScaleDownDelay,
        Concept::StableWindow,
        Concept::PanicWindow,
        Concept::PanicThreshold,
        Concept::ActivationScale,
        Concept::ActivationThreshold,
        Concept::InitialScale,
        Concept::ScaleToZero,
        Concept::ScaleToZeroDelay,
        Concept::ScaleUpPolicies,
        Concept::ScaleDownPolicies,
        Concept::ScaleUpSelectPolicy,
        Concept::ScaleDownSelectPolicy,
    ];
}

/// Where the user writes a knob.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A field of the object, relative to the family's root (`spec.` for an HPA,
    /// `spec.advanced.horizontalPodAutoscalerConfig.` for the HPA a ScaledObject makes).
    Field(&'static str),
    /// A field at a fixed path (`spec.minReplicaCount`).
    Path(&'static str),
    /// An annotation key (`autoscaling.knative.dev/window`).
    Annotation(&'static str),
    /// A cluster ConfigMap key (`config-autoscaler` `max-scale-up-rate`).
    ConfigMap {
        name: &'static str,
        key: &'static str,
    },
    /// A controller flag (`--horizontal-pod-autoscaler-tolerance`).
    Flag(&'static str),
    /// Not a setting: a fixed upstream rule, in words.
    Fixed(&'static str),
}

impl Place {
    /// The place as the user reads it, with `root` before a [`Place::Field`].
    pub fn render(&self, root: &str) -> String {
        match *self {
            Place::Field(f) => format!("{root}{f}"),
            Place::Path(p) | Place::Annotation(p) | Place::Flag(p) | Place::Fixed(p) => p.into(),
            Place::ConfigMap { name, key } => format!("{name} {key}"),
        }
    }
}

impl Place {
    /// What a reader looks up: the last key of a field's path (`stabilizationWindowSeconds` of
    /// `behavior.scaleUp.stabilizationWindowSeconds`, `minReplicaCount` of
    /// `spec.minReplicaCount`), the whole annotation key, the ConfigMap key, the flag.
    pub fn key(&self) -> &'static str {
        match *self {
            Place::Field(p) | Place::Path(p) => p.rsplit('.').next().unwrap_or(p),
            Place::Annotation(k) | Place::Flag(k) | Place::Fixed(k) => k,
            Place::ConfigMap { key, .. } => key,
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render("spec."))
    }
}

/// Declares a family's knobs, one row each, in one of two forms:
///
/// - `NAME: Params.field: Value = "what", place, default;` for a knob whose effective value is
///   the field `field` of `Params` (a `Param<Value>`);
/// - `NAME: Params, Value = "what", place, default, get;` where `get` is a closure from the
///   params to their `Option<&Param>` (a field that is not always there).
///
/// Either is `pub const NAME: Knob<Params, Value>` (see [`Knob`]); `default` is an
/// `Option<Fact>`. The value reads as its type's [`Show`] unless a renderer follows
/// (`, show_percent`). Doc comments go before a row.
macro_rules! knobs {
    () => {};
    ($(#[$doc:meta])* $name:ident: $p:ident.$field:ident: $t:ty = $what:literal, $place:expr,
        $default:expr $(, $show:expr)?; $($rest:tt)*) => {
        $crate::knobs::knobs!($(#[$doc])* $name: $p, $t = $what, $place, $default,
            |p| Some(&p.$field) $(, $show)?; $($rest)*);
    };
    ($(#[$doc:meta])* $name:ident: $p:ty, $t:ty = $what:literal, $place:expr, $default:expr,
        $get:expr; $($rest:tt)*) => {
        $crate::knobs::knobs!($(#[$doc])* $name: $p, $t = $what, $place, $default, $get,
            <$t as $crate::knobs::Show>::show; $($rest)*);
    };
    ($(#[$doc:meta])* $name:ident: $p:ty, $t:ty = $what:literal, $place:expr, $default:expr,
        $get:expr, $show:expr; $($rest:tt)*) => {
        $(#[$doc])*
        pub const $name: $crate::knobs::Knob<$p, $t> = $crate::knobs::Knob {
            what: $what,
            place: $place,
            default: $default,
            get: $get,
            show: $show,
        };
        $crate::knobs::knobs!($($rest)*);
    };
}
pub(crate) use knobs;

/// One knob of a family whose effective value is a `Param<T>` in the model `P`.
pub struct Knob<P: 'static, T: 'static> {
    /// What it is, in words ("the scale-down delay").
    pub what: &'static str,
    pub place: Place,
    /// The upstream default when it is not written; `None` when the default is derived from
    /// other settings (a Knative target from `containerConcurrency`, ...).
    pub default: Option<Fact<T>>,
    /// The model field that holds the effective value (`None` when the model has none for this
    /// input, e.g. an HPA without `behavior`).
    pub get: fn(&P) -> Option<&Param<T>>,
    /// The value in words ("30m", "0.1", "200%").
    pub show: fn(&T) -> String,
}

impl<P, T> Knob<P, T> {
    /// The effective setting in `p`, its place rendered under `root`.
    pub fn setting_in(&self, p: &P, root: &str) -> Option<Setting> {
        let param = (self.get)(p)?;
        Some(Setting {
            what: self.what,
            setting: self.place.render(root),
            value: (self.show)(&param.value),
            origin: param.origin,
        })
    }

    /// The effective setting in `p` (fields under `spec.`).
    pub fn setting(&self, p: &P) -> Option<Setting> {
        self.setting_in(p, "spec.")
    }

    /// Where the value is written, when it is.
    pub fn span(&self, p: &P) -> Option<Span> {
        (self.get)(p).and_then(Param::span)
    }
}

/// A replica count of the object.
type Count = Knob<Autoscaler, u32>;

/// The object's `minReplicas`, written at `place` (every family has one).
pub(crate) const fn min_replicas(place: Place, default: Option<Fact<u32>>) -> Count {
    Knob {
        what: "minReplicas",
        place,
        default,
        get: |a| Some(&a.min_replicas),
        show: u32::show,
    }
}

/// The object's `maxReplicas`, written at `place`.
pub(crate) const fn max_replicas(place: Place, default: Option<Fact<u32>>) -> Count {
    let min = min_replicas(place, default);
    Knob {
        what: "maxReplicas",
        get: |a| Some(&a.max_replicas),
        ..min
    }
}

/// The first metric's target, written at `place`; no family has one default for it.
pub(crate) const fn target(place: Place) -> Knob<Autoscaler, f64> {
    Knob {
        what: "the target",
        place,
        default: None,
        get: |a| a.metrics.first().map(|m| &m.target.value),
        show: f64::show,
    }
}

/// A knob of a table, whatever its value type: what the docs, the playground and the
/// consistency tests read.
pub trait KnobInfo<P>: Sync {
    fn what(&self) -> &'static str;
    fn place(&self) -> Place;
    /// The upstream default in words, and where it is written.
    fn default_value(&self) -> Option<(String, &'static crate::upstream::Source)>;
    /// The effective setting in `p` (fields under `spec.`).
    fn setting_of(&self, p: &P) -> Option<Setting>;
}

impl<P, T: Copy + Sync> KnobInfo<P> for Knob<P, T> {
    fn what(&self) -> &'static str {
        self.what
    }

    fn place(&self) -> Place {
        self.place
    }

    fn default_value(&self) -> Option<(String, &'static crate::upstream::Source)> {
        self.default.map(|f| ((self.show)(&f.value), f.source))
    }

    fn setting_of(&self, p: &P) -> Option<Setting> {
        self.setting(p)
    }
}

/// One family's table: the knobs read from the autoscaler object and those of its params, and
/// the settings its reader knows that no knob replays.
pub struct Table<P: 'static> {
    pub object: &'static [&'static dyn KnobInfo<Autoscaler>],
    pub params: &'static [&'static dyn KnobInfo<P>],
    pub known: &'static [Known],
}

/// What the reader does with a setting that is not replayed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Read and replayed without a knob row of its own (an annotation that pauses, a
    /// formula, a block of fields); the words say how.
    Replayed(&'static str),
    /// Read and checked (a diagnostic when it is wrong); the replay does not use it. The words
    /// say what it is read for.
    Checked(&'static str),
    /// The release replayed does not read it; the reader flags it with `code`, saying `why`.
    NotRead { code: Code, why: &'static str },
    /// The controller reads it but the replay does not model it; the reader flags it with
    /// `code`, saying `why`.
    NotReplayed { code: Code, why: &'static str },
}

/// A setting a family's reader knows that no knob replays: where it is written and what the
/// reader does with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Known {
    pub place: Place,
    pub status: Status,
    /// What the release replayed reads instead, when a setting plays the same part.
    pub instead: Option<&'static str>,
}

impl Known {
    /// Read and replayed, though no knob row holds it (a switch or a whole block), `words`
    /// saying how.
    pub const fn replayed(place: Place, words: &'static str) -> Known {
        Known {
            place,
            status: Status::Replayed(words),
            instead: None,
        }
    }

    /// Read and checked only, for `words`.
    pub const fn checked(place: Place, words: &'static str) -> Known {
        Known {
            place,
            status: Status::Checked(words),
            instead: None,
        }
    }

    /// Not read by the release replayed: flagged with `code`, `why`.
    pub const fn not_read(place: Place, code: Code, why: &'static str) -> Known {
        Known {
            place,
            status: Status::NotRead { code, why },
            instead: None,
        }
    }

    /// Read by the controller, not modelled by the replay: flagged with `code`, `why`.
    pub const fn not_replayed(place: Place, code: Code, why: &'static str) -> Known {
        Known {
            place,
            status: Status::NotReplayed { code, why },
            instead: None,
        }
    }

    /// The same, naming the setting the release reads instead.
    pub const fn instead(self, setting: &'static str) -> Known {
        Known {
            instead: Some(setting),
            ..self
        }
    }

    /// Why the release replayed does not read it (`None` when it does).
    pub fn not_read_why(&self) -> Option<&'static str> {
        match self.status {
            Status::NotRead { why, .. } => Some(why),
            Status::Checked(_) | Status::NotReplayed { .. } | Status::Replayed(_) => None,
        }
    }
}

impl<P> Table<P> {
    /// The row of a setting its reader knows but does not replay, by its key ([`Place::key`]).
    pub fn known(&self, key: &str) -> Option<&'static Known> {
        self.known.iter().find(|k| k.place.key() == key)
    }
}

/// A knob's effective value in one autoscaler: what it is, where it is set, its value in words,
/// and whether it was written (at `line:column`) or is the upstream default.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Setting {
    /// What it is, in words ("the scale-down delay").
    pub what: &'static str,
    /// The key the user writes (annotation, spec field, controller flag or ConfigMap key).
    pub setting: String,
    /// The effective value, in words ("30m", "2", "0.1", "4 pods per 15s").
    pub value: String,
    /// Written in the YAML at `line:column`, or the upstream default and its source.
    pub origin: Origin,
}

impl Setting {
    /// The span it is written at, if it is written.
    pub fn span(&self) -> Option<Span> {
        match self.origin {
            Origin::Yaml { span, .. } => Some(span),
            Origin::Default { .. } => None,
        }
    }

    /// The value with a different rendering (a tolerance with its band).
    pub fn with_value(mut self, value: String) -> Self {
        self.value = value;
        self
    }
}

/// The setting of `a` that plays the part of `c`, if its family has one.
pub fn setting(a: &Autoscaler, c: Concept) -> Option<Setting> {
    if let Some(s) = kserve::setting(a, c) {
        return Some(s);
    }
    match &a.algorithm {
        Algorithm::Hpa(p) => hpa::setting(a, p, c, hpa::ROOT),
        Algorithm::Keda(k) => keda::setting(a, k, c),
        Algorithm::KnativeKpa(p) => knative::setting(a, p, c),
        Algorithm::AibrixKpa(p) | Algorithm::AibrixApa(p) => aibrix::setting(a, p, c),
    }
}

/// How a knob's value reads, by its type ([`Knob::show`]; a row may name another renderer).
pub(crate) trait Show {
    fn show(&self) -> String;
}

/// A duration (`4m`, `1h0m5s`).
impl Show for Millis {
    fn show(&self) -> String {
        Dur(*self).to_string()
    }
}

impl Show for f64 {
    fn show(&self) -> String {
        Num(*self).to_string()
    }
}

impl Show for u32 {
    fn show(&self) -> String {
        self.to_string()
    }
}

impl Show for bool {
    fn show(&self) -> String {
        self.to_string()
    }
}

/// A percentage (`200%`), for Knative's `*-percentage` settings.
pub(crate) fn show_percent(v: &f64) -> String {
    format!("{}%", Num(*v))
}

/// Where the user writes `c` to change it in `a`, and the span it is written at (if it is):
/// the effective setting's place, except where that place is a cluster-wide default the object
/// can override (an HPA without `behavior` takes its windows and tolerances from controller
/// flags; the fix is to write `behavior`).
pub fn change(a: &Autoscaler, c: Concept) -> Option<(String, Option<Span>)> {
    let hpa = match &a.algorithm {
        Algorithm::Hpa(p) => Some((p, hpa::ROOT)),
        Algorithm::Keda(k) => Some((&k.hpa, keda::HPA_ROOT)),
        _ => None,
    };
    if let Some((_, root)) = hpa.filter(|(p, _)| p.behavior.is_none()) {
        if let Some(place) = hpa::behavior_place(c) {
            return Some((place.render(root), None));
        }
    }
    setting(a, c).map(|s| {
        let span = s.span();
        (s.setting, span)
    })
}
