//! The controllers' decision algorithms, each a deterministic state machine.
//!
//! The simulator ([`crate::sim`]) owns time, pods and demand. It asks a [`Controller`] when it
//! next wants to run ([`Controller::next_wake`]) and calls [`Controller::wake`] at that time with
//! a [`ClusterView`]: what the real controller could see (replica counts and metric readings).
//! A wake-up that is an evaluation returns a [`Decision`]; a wake-up that only collects metrics
//! (Knative scrapes every second, decides every two) returns `None`.
//!
//! **One trait, wake-up driven.** Each controller keeps its own cadence (HPA 15 s sync, AIBrix
//! 10 s resync, Knative 1 s scrape + 2 s tick, KEDA polling + HPA sync), and the simulator only
//! jumps between wake-ups, so a week at 1 s resolution stays cheap. The rule that decided is a
//! [`Reason`], data that renders as plain words without allocating.
//!
//! One module per controller: [`aibrix`] (AIBrix v0.7.0 KPA/APA), [`aibrix_v04`] (v0.4.0),
//! [`hpa`] (Kubernetes v1.34), [`keda`] (KEDA v2.18, around its HPA), [`knative`] (Knative
//! Serving v1.20 KPA). Besides its `Controller`, each exposes the upstream functions as pure
//! functions, which the reference-vector tests (`core/tests/it/vectors_*.rs`) call directly; each
//! names its upstream project, file and version in its doc comments.

use std::fmt;

use serde::Serialize;

use crate::display::Num;
use crate::model::{AibrixParams, Algorithm, Autoscaler, Millis};

pub mod aibrix;
pub mod aibrix_v04;
pub mod hpa;
pub mod keda;
pub mod keda_cron;
pub mod keda_fallback;
pub mod keda_formula;
pub mod keda_job;
pub mod knative;

/// What one metric reads at a wake-up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MetricReading {
    /// Total demand in the metric's unit (what a query over the whole workload returns,
    /// e.g. an External/Object metric or a KEDA Prometheus query).
    pub total: f64,
    /// The value each reporting pod reports: `total / reporting`, capped at the metric's bound.
    /// Meaningless when `reporting == 0`.
    pub per_pod: f64,
    /// Pods that report the metric (the ready pods).
    pub reporting: u32,
}

/// What a controller can see when it wakes.
#[derive(Debug, Clone, Copy)]
pub struct ClusterView<'a> {
    pub t: Millis,
    /// The Unix time (ms) of `t = 0` when the demand's times are absolute (RFC 3339 rows, Unix
    /// sample times): the clock a KEDA cron trigger reads.
    pub epoch: Option<i64>,
    /// `spec.replicas` of the scale target (pods that exist, ready or starting).
    pub replicas: u32,
    /// Pods that are ready.
    pub ready: u32,
    /// One reading per metric of the autoscaler, in model order.
    pub metrics: &'a [MetricReading],
}

impl MetricReading {
    /// A read that failed (the metric's source is down: a replayed outage). The simulator
    /// marks it with a `NaN` total, which no demand produces (the demand readers reject
    /// non-finite values); controllers that replay failures check [`MetricReading::failed`].
    pub const FAILED: MetricReading = MetricReading {
        total: f64::NAN,
        per_pod: f64::NAN,
        reporting: 0,
    };

    /// Whether this read failed ([`MetricReading::FAILED`]).
    pub fn failed(&self) -> bool {
        self.total.is_nan()
    }
}

impl ClusterView<'_> {
    /// Pods that exist but are not ready yet (starting up).
    pub fn starting(&self) -> u32 {
        self.replicas.saturating_sub(self.ready)
    }
}

/// The controller's mode at a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Stable,
    Panic,
    /// KEDA/Knative at zero (or idle) replicas with no active trigger.
    Inactive,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Stable => "stable",
            Mode::Panic => "panic",
            Mode::Inactive => "inactive",
        }
    }
}

/// Which rule decided the replica count. Rendered as short plain words ("stabilization window
/// held 7"); no allocation, so the simulator's hot loop stays cheap.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "rule")]
pub enum Reason {
    /// The metric's ratio to target was inside the tolerance band: replicas unchanged.
    Tolerance { ratio: f64 },
    /// Kubernetes HPA: with starting (unready) pods counted at 0 and pods without metrics at
    /// the target (or 0), the usage ratio `ratio` became `new_ratio` on the other side of 1 (or
    /// the count would move against the direction): replicas unchanged.
    DirectionFlipHold { ratio: f64, new_ratio: f64 },
    /// The metric-based recommendation was applied as is.
    Metric { observed: f64, target: f64 },
    /// Raised to `minReplicas`.
    MinReplicas { min: u32 },
    /// Lowered to `maxReplicas`.
    MaxReplicas { max: u32 },
    /// Limited by the maximum scale-up rate.
    MaxScaleUpRate { limit: u32 },
    /// Limited by the maximum scale-down rate.
    MaxScaleDownRate { limit: u32 },
    /// A stabilization window kept an earlier recommendation.
    StabilizationWindow { held: u32 },
    /// Knative `scale-down-delay` (max over the delay window).
    ScaleDownDelay { held: u32 },
    /// AIBrix scale-up/scale-down cooldown window (its `stabilizeRecommendation`).
    CooldownWindow { held: u32 },
    /// In panic mode the count never goes down.
    PanicNoScaleDown { held: u32 },
    /// Panic mode: scaled on the panic window.
    Panic { observed: f64, target: f64 },
    /// Knative `activation-scale`: a non-zero recommendation raised to the activation scale.
    ActivationScale { scale: u32 },
    /// HPA behavior policy limited the scale-up.
    ScaleUpPolicy { limit: u32 },
    /// HPA behavior policy limited the scale-down.
    ScaleDownPolicy { limit: u32 },
    /// A `selectPolicy: Disabled` direction.
    ScalingDisabledByPolicy,
    /// No metric data: the controller kept the replica count.
    NoMetrics,
    /// The HPA does nothing at 0 replicas with minReplicas > 0 (`ScalingDisabled`).
    ScalingDisabledAtZero,
    /// Knative: waiting for the scale-to-zero grace period before going to zero.
    ScaleToZeroGrace,
    /// Scaled to zero (Knative) or to zero/idle after the cooldown (KEDA).
    ScaleToZero,
    /// Knative `enable-scale-to-zero: false`: a desired 0 becomes 1.
    ScaleToZeroDisabled,
    /// Knative: pods are being activated; a desired 0 is not applied until they are up (or the
    /// activation times out).
    Activating,
    /// Knative `initial-scale`: raised to the initial scale until it has been reached once.
    InitialScale { scale: u32 },
    /// KEDA activated the workload from zero/idle (a trigger above its activation threshold).
    Activated { value: f64, threshold: f64 },
    /// KEDA: no trigger active, waiting for `cooldownPeriod` before going to zero/idle.
    Cooldown { remaining_s: u64 },
    /// KEDA: the ScaledObject is paused by an annotation (`paused-replicas: N`, `replicas`
    /// Some; `paused`, None): no trigger is evaluated.
    Paused { replicas: Option<u32> },
    /// AIBrix KPA: `ceil(per-pod mean / target)`, NOT multiplied by the pod count (unlike
    /// Knative and AIBrix APA).
    KpaPerPodMean { observed: f64, target: f64 },
    /// AIBrix KPA in (stateless) panic mode recommended fewer pods than `current`: AIBrix keeps
    /// no panic state between reconciles, so unlike Knative nothing holds the count.
    PanicNoHold { current: u32 },
    /// AIBrix scale-down cooldown: the LOWEST recommendation inside the window (the inverse of
    /// the Kubernetes HPA, which keeps the highest).
    CooldownMin { held: u32 },
}

impl Reason {
    /// `value` raised to `min` when below it, else capped at `max` (AIBrix `applyConstraints`
    /// and its controller's final clamp, both generations: min first, then max), with the
    /// bound's reason; `None` when it is within the bounds.
    pub fn clamp(value: u32, min: u32, max: u32) -> Option<(u32, Reason)> {
        if value < min {
            Some((min, Reason::MinReplicas { min }))
        } else if value > max {
            Some((max, Reason::MaxReplicas { max }))
        } else {
            None
        }
    }
}

/// A controller's resync interval: the one written, or `default` when it is 0 (not set).
pub(crate) fn resync_interval(written: &crate::span::Param<Millis>, default: Millis) -> Millis {
    match written.value {
        0 => default,
        v => v,
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Reason::Tolerance { ratio } => write!(f, "tolerance (ratio {})", Num(ratio)),
            Reason::DirectionFlipHold { ratio, new_ratio } => write!(
                f,
                "kept replicas: counting not-ready and missing pods turns ratio {} into {} \
                 (against the scale direction)",
                Num(ratio),
                Num(new_ratio)
            ),
            Reason::Metric { observed, target } => {
                write!(f, "metric {} vs target {}", Num(observed), Num(target))
            }
            Reason::MinReplicas { min } => write!(f, "minReplicas {min}"),
            Reason::MaxReplicas { max } => write!(f, "maxReplicas {max}"),
            Reason::MaxScaleUpRate { limit } => write!(f, "max scale-up rate (limit {limit})"),
            Reason::MaxScaleDownRate { limit } => {
                write!(f, "max scale-down rate (limit {limit})")
            }
            Reason::StabilizationWindow { held } => write!(f, "stabilization window held {held}"),
            Reason::ScaleDownDelay { held } => write!(f, "scale-down delay held {held}"),
            Reason::CooldownWindow { held } => write!(f, "cooldown window held {held}"),
            Reason::PanicNoScaleDown { held } => write!(f, "panic: never scale down (held {held})"),
            Reason::Panic { observed, target } => write!(
                f,
                "panic: panic-window metric {} vs target {}",
                Num(observed),
                Num(target)
            ),
            Reason::ActivationScale { scale } => write!(f, "activation scale {scale}"),
            Reason::ScaleUpPolicy { limit } => write!(f, "scale-up policy (limit {limit})"),
            Reason::ScaleDownPolicy { limit } => write!(f, "scale-down policy (limit {limit})"),
            Reason::ScalingDisabledByPolicy => f.write_str("selectPolicy Disabled"),
            Reason::NoMetrics => f.write_str("no metrics: kept replicas"),
            Reason::ScalingDisabledAtZero => {
                f.write_str("scaling disabled at 0 replicas (minReplicas > 0)")
            }
            Reason::ScaleToZeroGrace => f.write_str("scale-to-zero grace period"),
            Reason::ScaleToZero => f.write_str("scale to zero"),
            Reason::ScaleToZeroDisabled => f.write_str("scale to zero disabled: kept 1"),
            Reason::Activating => f.write_str("activating: waiting for pods"),
            Reason::Paused { replicas: Some(n) } => {
                write!(f, "paused: autoscaling.keda.sh/paused-replicas {n}")
            }
            Reason::Paused { replicas: None } => {
                f.write_str("paused: autoscaling.keda.sh/paused holds the replicas")
            }
            Reason::InitialScale { scale } => write!(f, "initial scale {scale}"),
            Reason::Activated { value, threshold } => {
                write!(f, "activated: {} > activation threshold {}", Num(value), Num(threshold))
            }
            Reason::Cooldown { remaining_s } => {
                write!(f, "cooldown: {remaining_s}s before scale to zero")
            }
            Reason::KpaPerPodMean { observed, target } => write!(
                f,
                "ceil(per-pod mean {} / target {}), not multiplied by pods (AIBrix KPA)",
                Num(observed),
                Num(target)
            ),
            Reason::PanicNoHold { current } => write!(
                f,
                "panic without hold: AIBrix keeps no panic state, so it scales down from {current}"
            ),
            Reason::CooldownMin { held } => write!(
                f,
                "scale-down cooldown took the lowest recent recommendation {held} (AIBrix: min, not max)"
            ),
        }
    }
}

/// One evaluation's outcome.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decision {
    /// The value the algorithm's metric step observed (e.g. the stable-window average), in
    /// the metric's unit; `NaN` when there was none.
    pub observed: f64,
    /// The recommendation from the metric alone, before rate limits, windows and min/max.
    pub desired_raw: u32,
    /// What the controller sets `spec.replicas` to.
    pub desired: u32,
    pub mode: Mode,
    /// The rule that decided `desired`.
    pub reason: Reason,
}

impl Decision {
    /// A decision taken before any metric is read: `desired` for `reason` (stable mode, nothing
    /// observed, the raw recommendation the current count).
    pub fn without_metric(current: u32, desired: u32, reason: Reason) -> Decision {
        Decision {
            observed: f64::NAN,
            desired_raw: current,
            desired,
            mode: Mode::Stable,
            reason,
        }
    }

    /// AIBrix's checks before any metric is read (`podautoscaler_controller.go`, v0.4.0 and
    /// v0.7.0 alike): at 0 replicas with a floor above 0 scaling is disabled; a count above
    /// `max` or below `min` is set to that bound. `None` when none applies.
    pub fn aibrix_bounds(current: u32, min: u32, max: u32) -> Option<Decision> {
        let (desired, reason) = if current == 0 && min != 0 {
            (0, Reason::ScalingDisabledAtZero)
        } else if current > max {
            (max, Reason::MaxReplicas { max })
        } else if current < min {
            (min, Reason::MinReplicas { min })
        } else {
            return None;
        };
        Some(Decision::without_metric(current, desired, reason))
    }
}

/// A controller's decision loop.
pub trait Controller {
    /// Absolute simulated time of the next wake-up. The first is at or after 0.
    fn next_wake(&self) -> Millis;
    /// Run at `view.t` (== the last `next_wake`). Returns a decision on evaluation ticks.
    fn wake(&mut self, view: &ClusterView<'_>) -> Option<Decision>;
    /// Which metric (index in [`ClusterView::metrics`]) the last decision took its
    /// recommendation from, when several could: the HPA's (and KEDA's) max over proposals, the
    /// KEDA trigger that activated, AIBrix's max over sources. `None`: no metric decided (a
    /// boundary, no data), or the controller reads one metric.
    fn deciding_metric(&self) -> Option<usize> {
        None
    }
    /// KEDA: what `spec.fallback` did in the replay so far (`None`: not a ScaledObject).
    fn fallback_summary(&self) -> Option<keda::FallbackSummary> {
        None
    }
}

/// The controller that replays `autoscaler`'s algorithm, starting at time 0.
pub fn controller_for(autoscaler: &Autoscaler) -> Box<dyn Controller> {
    match &autoscaler.algorithm {
        Algorithm::AibrixKpa(p) | Algorithm::AibrixApa(p) => {
            let apa = matches!(autoscaler.algorithm, Algorithm::AibrixApa(_));
            match p {
                AibrixParams::V04(p) => {
                    Box::new(aibrix_v04::AibrixV04Controller::new(autoscaler, apa, p))
                }
                AibrixParams::V05(p) => Box::new(aibrix::AibrixController::for_release(
                    autoscaler, apa, p, false,
                )),
                AibrixParams::V06(p) | AibrixParams::V07(p) => {
                    Box::new(aibrix::AibrixController::new(autoscaler, apa, p))
                }
            }
        }
        Algorithm::Hpa(p) => Box::new(hpa::HpaController::new(autoscaler, p)),
        Algorithm::Keda(p) => Box::new(keda::KedaController::new(autoscaler, p)),
        Algorithm::KnativeKpa(p) => Box::new(knative::KnativeController::new(autoscaler, p)),
    }
}
