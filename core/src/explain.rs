//! The decision trace in plain words around a moment of a replay: "why 7 here?".
//!
//! [`explain`] takes a replayed timeline ([`SimOutput`]) and a time, and returns an
//! [`Explanation`]: every evaluation of the controller within `span` of that time, each as data
//! (replica counts, what the metric step observed against the target, the mode, the rule that
//! decided — [`Reason`] — and the **setting** behind that rule with its effective value and where
//! it comes from: the YAML `line:column`, or the upstream default and its source file) plus one
//! plain-words sentence. Front ends render it: the CLI's `explain` as terminal text
//! (`scalelens-cli`'s `render::explain`) or JSON, the browser playground's "why 7 here?" from
//! the fields.
//!
//! [`interesting_moment`] picks a default time when the user gives none: the first evaluation at
//! which the controller keeps MORE replicas than its metric asks for while not scaling up
//! (replicas stopped following the load down: a scale-down delay, a stabilization or cooldown
//! window, a max scale-down rate, a panic hold), else the first time the replica count reaches
//! its highest value (the first peak), else the start.
//!
//! **API stability:** the playground calls [`explain`], [`interesting_moment`] and reads
//! [`Explanation`]/[`Step`]/[`Cause`]; fields are only ever added. Serialized field names are
//! the Rust names (snake_case); times are milliseconds in the timeline's time base
//! ([`crate::sim::TimelineEntry::t`]); non-finite numbers serialize as `null`.
//!
//! Pure: no I/O, deterministic; one `String` per step (its sentence) and per cause value.

use std::fmt::Write as _;

use serde::Serialize;

use crate::algorithm::{Mode, Reason};
use crate::display::{Clock, Dur, Num};
use crate::knobs::{self, Concept, Setting};
use crate::model::{Autoscaler, Millis, TargetType};
use crate::sim::{SimOutput, TimelineEntry};
use crate::span::Origin;

/// The explanation of a replay around one moment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// The upstream algorithm replayed (project, version, file).
    pub upstream: &'static str,
    /// The moment asked about (ms, timeline time base).
    pub at: Millis,
    /// Half-width of the window shown: evaluations in `[at - span, at + span]`.
    pub span: Millis,
    /// The first metric and its target.
    pub metric: Option<MetricInfo>,
    /// Every metric with its target, in the autoscaler's order ([`Step::metric`] indexes it).
    pub metrics: Vec<MetricInfo>,
    /// The evaluations in the window, in time order.
    pub steps: Vec<Step>,
    /// Index in `steps` of the evaluation in effect at `at` (the last one at or before it; the
    /// first one when `at` is before every evaluation). `None` when `steps` is empty.
    pub focus: Option<usize>,
    /// One sentence about the focus step: what the replica count was and which rule and setting
    /// made it so.
    pub headline: String,
}

/// The metric the demand drives, with its target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricInfo {
    /// The metric's name as shown: escaped and cut ([`crate::text::quote`]).
    pub name: String,
    pub target_type: TargetType,
    /// The target in the metric's unit (percent of request for `Utilization`).
    pub target: f64,
    /// Where the target is written (or the default it comes from).
    pub target_origin: Origin,
    /// The metric's unit when it is a well-known metric ([`crate::metrics`]), or "percent of
    /// the pods' request" for a utilization target.
    pub unit: Option<&'static str>,
    /// Whether `Step::observed` is a total over the ready pods while the target is per pod
    /// (Knative KPA, AIBrix v0.4 KPA): `Step::observed_per_pod` is then on the target's scale.
    pub observed_is_total: bool,
}

/// Which way a decision moved the replica count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Up,
    Down,
    Hold,
}

/// One evaluation of the controller, explained.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// Time (ms, timeline time base).
    pub t: Millis,
    /// `h:mm:ss` of `t`.
    pub clock: String,
    /// Total demand at `t`, in the metric's unit.
    pub demand: Option<f64>,
    /// `spec.replicas` before the decision.
    pub replicas: u32,
    pub ready: u32,
    /// The metric's recommendation alone (before rate limits, windows, min/max).
    pub desired_raw: u32,
    /// What the controller set `spec.replicas` to.
    pub desired: u32,
    pub change: Change,
    /// What the algorithm's metric step observed (e.g. the stable-window average); `None` when
    /// nothing.
    pub observed: Option<f64>,
    /// `observed` on the target's scale (divided by the ready pods when the algorithm windows a
    /// total, see [`MetricInfo::observed_is_total`]).
    pub observed_per_pod: Option<f64>,
    /// `observed_per_pod / target`.
    pub ratio: Option<f64>,
    pub mode: Mode,
    /// Panic mode with no load: AIBrix v0.7.0's KPA panics on a stable value ≤ 0
    /// ([`TimelineEntry::is_panic_without_load`]), an upstream quirk rather than a surge.
    pub panic_without_load: bool,
    /// The rule that decided, as data (`{"rule": "scale_down_delay", "held": 7}`).
    pub reason: Reason,
    /// The rule in plain words (the simulate table's `reason`).
    pub rule: String,
    /// The setting behind the rule, when one is.
    pub cause: Option<Cause>,
    /// The metric whose recommendation the controller took (index in
    /// [`Explanation::metrics`]): the HPA's and KEDA's max over proposals, the KEDA trigger
    /// that activated, AIBrix's max over sources. `None` when no metric's was taken.
    pub metric: Option<usize>,
    /// That metric's name (escaped and cut), when the autoscaler has several metrics: the
    /// sentence and the headline then say which metric decided.
    pub decided_by: Option<String>,
    /// Whether replicas, ready pods, the decision, the mode or the rule differ from the previous
    /// step (the first step counts as changed). Text output collapses unchanged runs.
    pub changed: bool,
    /// The whole step in one plain-words sentence.
    pub sentence: String,
}

/// A setting that made a rule decide, with its effective value and origin (from the family's
/// knob table, [`crate::knobs`]).
pub type Cause = Setting;

impl Setting {
    /// "the scale-down delay 30m (kpa.autoscaling.aibrix.ai/scale-down-delay, autoscaler.yaml:12:5)"
    /// — `file` prefixes YAML positions; defaults say "upstream default" and their source.
    pub fn describe(&self, file: Option<&str>) -> String {
        format!(
            "{} {} ({}, {})",
            self.what,
            self.value,
            self.setting,
            self.origin.describe(file, "upstream default: ")
        )
    }
}

/// Why [`explain`] could not explain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(rename_all = "snake_case", tag = "error")]
pub enum ExplainError {
    /// The replay has no evaluation at all.
    #[error("the replay has no evaluations to explain")]
    EmptyTimeline,
    /// `at` is outside the replayed horizon `[start, end]`.
    #[error("{} is outside the replay, which runs from {} to {}", Clock(*.at), Clock(*.start), Clock(*.end))]
    OutsideHorizon {
        at: Millis,
        start: Millis,
        end: Millis,
    },
}

/// Why [`interesting_moment`] chose its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MomentKind {
    /// The first evaluation where the controller kept more replicas than its metric asked for
    /// (and more than `minReplicas`) without scaling up: replicas stopped following the load.
    StoppedFollowing,
    /// The first time the replica count reached its highest value.
    FirstPeak,
    /// Neither: the first evaluation.
    Start,
}

impl MomentKind {
    pub fn describe(self) -> &'static str {
        match self {
            MomentKind::StoppedFollowing => {
                "the first moment replicas stopped following the load (the controller kept more than its metric asked for)"
            }
            MomentKind::FirstPeak => "the first time replicas reached their highest count",
            MomentKind::Start => "the start of the replay",
        }
    }
}

/// The default moment to explain (see the module doc), or `None` for an empty timeline.
pub fn interesting_moment(
    autoscaler: &Autoscaler,
    output: &SimOutput,
) -> Option<(Millis, MomentKind)> {
    let tl = &output.timeline;
    let min = autoscaler.min_replicas.value;
    if let Some(e) = tl.iter().find(|e| {
        e.desired > e.desired_raw.max(min)
                && e.desired <= e.replicas
                // A panic decision follows the panic window (the load), not a hold.
                && !matches!(e.reason, Reason::Panic { .. })
    }) {
        return Some((e.t, MomentKind::StoppedFollowing));
    }
    let peak = tl.iter().map(|e| e.desired).max()?;
    let first = tl.first()?;
    match tl.iter().find(|e| e.desired == peak) {
        Some(e) if peak > first.replicas => Some((e.t, MomentKind::FirstPeak)),
        _ => Some((first.t, MomentKind::Start)),
    }
}

/// Explain the evaluations of `output` within `span` of `at` (both ms, timeline time base).
///
/// `at` must lie within the replay: from its first evaluation to its horizon
/// (`output.duration`, shifted like the timeline's times).
pub fn explain(
    autoscaler: &Autoscaler,
    output: &SimOutput,
    at: Millis,
    span: Millis,
) -> Result<Explanation, ExplainError> {
    let tl = &output.timeline;
    let (Some(first), Some(last)) = (tl.first(), tl.last()) else {
        return Err(ExplainError::EmptyTimeline);
    };
    // The replay covers its first evaluation to its last one, whose decision holds for one more
    // evaluation interval (the horizon ends before the next one).
    let interval = tl
        .len()
        .checked_sub(2)
        .and_then(|i| tl.get(i))
        .map_or(0, |p| last.t.saturating_sub(p.t));
    let start = first.t;
    let end = last.t.saturating_add(interval);
    if at < start || at > end {
        return Err(ExplainError::OutsideHorizon { at, start, end });
    }
    let metrics: Vec<MetricInfo> = autoscaler
        .metrics
        .iter()
        .map(|m| metric_info(autoscaler, m))
        .collect();
    let metric = metrics.first().cloned();
    let lo = at.saturating_sub(span);
    let hi = at.saturating_add(span);
    let from = tl.partition_point(|e| e.t < lo);
    let to = tl.partition_point(|e| e.t <= hi);
    let window = tl.get(from..to).unwrap_or(&[]);
    let prev = from.checked_sub(1).and_then(|i| tl.get(i));

    let mut steps = Vec::with_capacity(window.len());
    let mut before = prev;
    for e in window {
        steps.push(step(autoscaler, &metrics, e, before));
        before = Some(e);
    }
    let focus = if steps.is_empty() {
        None
    } else {
        Some(steps.iter().rposition(|s| s.t <= at).unwrap_or(0))
    };
    let headline = match focus.and_then(|i| steps.get(i)) {
        Some(s) => headline(s, metric_of(&metrics, s), None),
        None => {
            // No evaluation within the window: say what held from the last one before.
            match tl.iter().rev().find(|e| e.t <= at) {
                Some(e) => format!(
                    "no evaluation within {} of {}; the last one, at {}, set {} replicas",
                    Dur(span),
                    Clock(at),
                    Clock(e.t),
                    e.desired
                ),
                None => format!("no evaluation within {} of {}", Dur(span), Clock(at)),
            }
        }
    };
    Ok(Explanation {
        upstream: autoscaler.upstream(),
        at,
        span,
        metric,
        metrics,
        steps,
        focus,
        headline,
    })
}

/// The metric a step's observed value is of: the one that decided, else the first.
fn metric_of<'a>(metrics: &'a [MetricInfo], s: &Step) -> Option<&'a MetricInfo> {
    s.metric
        .and_then(|i| metrics.get(i))
        .or_else(|| metrics.first())
}

impl Explanation {
    /// The metric `s`'s observed value is of (the one that decided, else the first): what
    /// [`headline`] takes for `s`.
    pub fn metric_of(&self, s: &Step) -> Option<&MetricInfo> {
        metric_of(&self.metrics, s)
    }
}

fn metric_info(a: &Autoscaler, m: &crate::model::Metric) -> MetricInfo {
    let unit = if m.target.target_type == TargetType::Utilization {
        Some("percent of the pods' resource request")
    } else {
        crate::metrics::lookup(&m.name.value)
            .map(|k| k.unit)
            .or_else(|| m.source.demand_unit())
    };
    MetricInfo {
        name: crate::text::quote(&m.name.value).into_owned(),
        target_type: m.target.target_type,
        target: m.target.value.value,
        target_origin: m.target.value.origin,
        unit,
        observed_is_total: a.algorithm.observed_is_workload_total(),
    }
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

fn step(
    a: &Autoscaler,
    metrics: &[MetricInfo],
    e: &TimelineEntry,
    prev: Option<&TimelineEntry>,
) -> Step {
    let metric = e
        .metric
        .and_then(|i| metrics.get(usize::from(i)))
        .or_else(|| metrics.first());
    let observed = finite(e.observed);
    let observed_per_pod = match (observed, metric) {
        (Some(o), Some(m)) if m.observed_is_total => (e.ready > 0).then(|| o / f64::from(e.ready)),
        (o, _) => o,
    };
    let ratio = match (observed_per_pod, metric) {
        (Some(o), Some(m)) if m.target > 0.0 => finite(o / m.target),
        _ => None,
    };
    let change = if e.desired > e.replicas {
        Change::Up
    } else if e.desired < e.replicas {
        Change::Down
    } else {
        Change::Hold
    };
    let changed = prev.is_none_or(|p| {
        p.replicas != e.replicas
            || p.ready != e.ready
            || p.desired != e.desired
            || p.desired_raw != e.desired_raw
            || p.mode != e.mode
            || std::mem::discriminant(&p.reason) != std::mem::discriminant(&e.reason)
    });
    let cause = cause(a, e);
    let mut s = Step {
        t: e.t,
        clock: Clock(e.t).to_string(),
        demand: finite(e.demand),
        replicas: e.replicas,
        ready: e.ready,
        desired_raw: e.desired_raw,
        desired: e.desired,
        change,
        observed,
        observed_per_pod,
        ratio,
        mode: e.mode,
        panic_without_load: e.is_panic_without_load(a.algorithm.panics_without_load()),
        reason: e.reason,
        rule: e.reason.to_string(),
        cause,
        metric: e.metric.map(usize::from),
        decided_by: e
            .metric
            .filter(|_| metrics.len() > 1)
            .and_then(|i| metrics.get(usize::from(i)))
            .map(|m| m.name.clone()),
        changed,
        sentence: String::new(),
    };
    s.sentence = sentence(&s, metric, None);
    s
}

/// "held at 7" / "scaled up from 4 to 7" / "scaled down from 7 to 3".
fn verdict(s: &Step) -> String {
    match s.change {
        Change::Hold => format!("held at {}", s.desired),
        Change::Up => format!("scaled up from {} to {}", s.replicas, s.desired),
        Change::Down => format!("scaled down from {} to {}", s.replicas, s.desired),
    }
}

fn observed_words(s: &Step, metric: Option<&MetricInfo>) -> String {
    let Some(m) = metric else {
        return String::new();
    };
    match s.observed_per_pod {
        None => format!("no `{}` reading", m.name),
        Some(o) => {
            let mut w = format!("`{}` {} vs target {}", m.name, Num(o), Num(m.target));
            if m.observed_is_total {
                if let Some(total) = s.observed {
                    let _ = write!(w, " (total {} over {} ready)", Num(total), s.ready);
                }
            }
            if let Some(r) = s.ratio {
                let _ = write!(w, ", {}× target", Num(r));
            }
            w
        }
    }
}

/// Why a panic with no load is not a surge, in words (sentences and headlines).
pub const PANIC_WITHOUT_LOAD: &str =
    "an upstream AIBrix quirk of v0.5.0 to v0.7.0: its KPA enters panic mode when the stable value is 0 or less, not on a surge";

fn sentence(s: &Step, metric: Option<&MetricInfo>, file: Option<&str>) -> String {
    let mut out = format!("{}: {} ({} ready)", s.clock, verdict(s), s.ready);
    let obs = observed_words(s, metric);
    if !obs.is_empty() {
        let _ = write!(out, "; {obs}");
    }
    if s.panic_without_load {
        out.push_str(" [panic mode with no load: ");
        out.push_str(PANIC_WITHOUT_LOAD);
        out.push(']');
    } else if s.mode == Mode::Panic {
        out.push_str(" [panic mode]");
    }
    match &s.decided_by {
        Some(name) => {
            let _ = write!(
                out,
                "; the metrics ask for {} (metric `{name}` decided); decided by: {}",
                s.desired_raw, s.rule
            );
        }
        None => {
            let _ = write!(
                out,
                "; the metric alone asks for {}; decided by: {}",
                s.desired_raw, s.rule
            );
        }
    }
    if let Some(c) = &s.cause {
        let _ = write!(out, " — {}", c.describe(file));
    }
    out
}

/// One sentence about `s`: what the replica count was and which rule and setting made it so
/// (the [`Explanation::headline`] of a focus step); `file` names the YAML so the setting points
/// at `file:line:column`.
pub fn headline(s: &Step, metric: Option<&MetricInfo>, file: Option<&str>) -> String {
    let mut out = format!("at {} replicas were {} by ", s.clock, verdict(s));
    match &s.cause {
        Some(c) => out.push_str(&c.describe(file)),
        None => out.push_str(&s.rule),
    }
    if s.panic_without_load {
        let _ = write!(out, ", in panic mode with no load ({PANIC_WITHOUT_LOAD})");
    } else if s.mode == Mode::Panic {
        out.push_str(", in panic mode");
    }
    if s.desired != s.desired_raw {
        // What the metric asked for, not what the autoscaler "would have" done: below
        // minReplicas an HPA never goes, whatever its metric asks.
        let _ = write!(out, "; the metric alone asked for {}", s.desired_raw);
    }
    let obs = observed_words(s, metric);
    if !obs.is_empty() {
        let _ = write!(out, "; {obs}");
    }
    if let Some(name) = &s.decided_by {
        let _ = write!(out, "; of the metrics, `{name}` decided");
    }
    out
}

/// The setting behind the rule of `e`, if any: the rule names what kind of setting decided
/// ([`Concept`]), the autoscaler's family table says which of its knobs that is.
pub fn cause(a: &Autoscaler, e: &TimelineEntry) -> Option<Cause> {
    // Scaling up: the rule held the count below the metric's, or the count rose.
    let up = e.desired_raw > e.desired || e.desired > e.replicas;
    // Scaling down: the count fell, or the rule held it above the metric's.
    let down = e.desired < e.replicas || e.desired_raw < e.desired;
    let concept = match e.reason {
        Reason::MinReplicas { .. } | Reason::ScalingDisabledAtZero => Concept::MinReplicas,
        Reason::MaxReplicas { .. } => Concept::MaxReplicas,
        Reason::Metric { .. } | Reason::KpaPerPodMean { .. } => Concept::Target,
        Reason::MaxScaleUpRate { .. } => Concept::MaxScaleUpRate,
        Reason::MaxScaleDownRate { .. } => Concept::MaxScaleDownRate,
        Reason::Tolerance { ratio } if ratio >= 1.0 => Concept::ScaleUpTolerance,
        Reason::Tolerance { .. } => Concept::ScaleDownTolerance,
        Reason::ScaleDownDelay { .. } => Concept::ScaleDownDelay,
        Reason::CooldownMin { .. } => Concept::ScaleDownWindow,
        Reason::CooldownWindow { .. } if !up => Concept::ScaleDownWindow,
        Reason::CooldownWindow { .. } => Concept::ScaleUpWindow,
        Reason::StabilizationWindow { held } if held > e.desired_raw || down => {
            Concept::ScaleDownWindow
        }
        Reason::StabilizationWindow { .. } => Concept::ScaleUpWindow,
        Reason::Panic { .. } | Reason::PanicNoScaleDown { .. } | Reason::PanicNoHold { .. } => {
            Concept::PanicThreshold
        }
        Reason::ActivationScale { .. } => Concept::ActivationScale,
        Reason::InitialScale { .. } => Concept::InitialScale,
        Reason::ScaleUpPolicy { .. } => Concept::ScaleUpPolicies,
        Reason::ScaleDownPolicy { .. } => Concept::ScaleDownPolicies,
        Reason::ScalingDisabledByPolicy => {
            // The direction whose select policy is Disabled, the scale direction first.
            let order = if down {
                [Concept::ScaleDownSelectPolicy, Concept::ScaleUpSelectPolicy]
            } else {
                [Concept::ScaleUpSelectPolicy, Concept::ScaleDownSelectPolicy]
            };
            let found: Vec<Cause> = order.iter().filter_map(|&c| knobs::setting(a, c)).collect();
            return found
                .iter()
                .find(|s| s.value == "Disabled")
                .or(found.first())
                .cloned();
        }
        Reason::ScaleToZeroGrace | Reason::Cooldown { .. } => Concept::ScaleToZeroDelay,
        Reason::ScaleToZeroDisabled | Reason::ScaleToZero => Concept::ScaleToZero,
        Reason::Activated { .. } => Concept::ActivationThreshold,
        Reason::DirectionFlipHold { .. }
        | Reason::NoMetrics
        | Reason::Activating
        | Reason::Paused { .. } => return None,
    };
    let setting = knobs::setting(a, concept)?;
    // The family table names the first metric's target; another metric that decided has its
    // own target, written where that metric is.
    match (
        concept,
        e.metric.and_then(|i| a.metrics.get(usize::from(i))),
    ) {
        (Concept::Target, Some(m)) if e.metric != Some(0) => {
            let mut s = setting.with_value(Num(m.target.value.value).to_string());
            s.origin = m.target.value.origin;
            Some(s)
        }
        _ => Some(setting),
    }
}
