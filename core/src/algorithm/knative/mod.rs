//! Knative Serving KPA replay (knative/serving v1.20).
//!
//! The pipeline, as upstream runs it:
//! 1. **Scrape** every second (`pkg/autoscaler/metrics/collector.go`, `scrapeTickInterval`): the
//!    revision-wide total of the metric (the pods' sum, or what the activator reports while no
//!    pod is ready) goes into a stable and a panic window ([`window`]).
//! 2. **Decide** every `tickInterval` = 2 s (`pkg/autoscaler/scaling/multiscaler.go`): the
//!    decider's `Scale(now)` ([`decider`]), with the scale-down-delay max window ([`delay`]).
//!    An evaluation without data keeps the previous recommendation.
//! 3. **Reconcile** the PodAutoscaler (`pkg/reconciler/autoscaling/kpa/`): min/max bounds,
//!    initial scale, scale to zero through the Active → Inactive states ([`scaler`]).
//!
//! Simulation choices (each a documented approximation of an asynchronous system):
//! - Simulated time 0 is the moment the autoscaler starts; the decider is created then with the
//!   ready count of that moment (so > 1 ready pods start it in panic mode, as after an
//!   autoscaler restart). The first scrape is at 1 s, the first decision at 2 s; when both fall
//!   on the same instant the scrape comes first.
//! - The PA is reconciled every second (upstream: on events and timers), so each timed
//!   scale-to-zero rule applies within a second of its deadline.
//! - The revision is always Reachable (it has traffic routed to it).

pub mod decider;
pub mod delay;
pub mod scaler;
pub mod window;

use super::{ClusterView, Controller, Decision, Mode, Reason};
use crate::model::{Aggregation, Autoscaler, KnativeParams, Millis};

use decider::{Decider, DeciderSpec, ScaleResult};
use scaler::{Activity, PaState, ScalerSpec, SCALE_UNKNOWN};
use window::MetricWindow;

pub use crate::upstream::knative::{ACTIVATION_TIMEOUT, SCRAPE_INTERVAL};

/// `PanicWindow` (`pkg/reconciler/autoscaling/resources/metric.go` `MakeMetric`):
/// stable window × percentage / 100, rounded to whole seconds, at least one bucket (1 s).
pub fn panic_window(stable_window: Millis, percentage: f64) -> Millis {
    let ms = stable_window as f64 * percentage / 100.0;
    // `time.Duration.Round(time.Second)`: halves away from zero.
    let rounded = if ms.is_finite() && ms > 0.0 {
        (ms / 1000.0).round() * 1000.0
    } else {
        0.0
    };
    (rounded as Millis).max(SCRAPE_INTERVAL)
}

/// The decider spec (`pkg/reconciler/autoscaling/kpa/resources/decider.go` `MakeDecider`).
pub fn decider_spec(p: &KnativeParams) -> DeciderSpec {
    DeciderSpec {
        target_value: p.target_value.max(0.01),
        total_value: p.total_value,
        target_burst_capacity: p.target_burst_capacity.value,
        panic_threshold: p.panic_threshold_percentage.value / 100.0,
        max_scale_up_rate: p.max_scale_up_rate.value,
        max_scale_down_rate: p.max_scale_down_rate.value,
        stable_window: p.stable_window.value,
        scale_down_delay: p.scale_down_delay.value,
        activation_scale: i32::try_from(p.activation_scale.value).unwrap_or(i32::MAX),
        reachable: true,
        tick_interval: p.tick_interval.value.max(1),
    }
}

/// The PA reconciler's settings (`ScaleBounds`, `GetInitialScale`, `config-autoscaler`).
pub fn scaler_spec(autoscaler: &Autoscaler, p: &KnativeParams) -> ScalerSpec {
    let to_i32 = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
    let max = autoscaler.max_replicas.value;
    // `GetInitialScale`: 0 only when allowed, else the config default 1.
    let initial = match p.initial_scale.value {
        0 if !p.allow_zero_initial_scale.value => 1,
        v => to_i32(v),
    };
    ScalerSpec {
        min_scale: to_i32(autoscaler.min_replicas.value),
        max_scale: if max == u32::MAX { 0 } else { to_i32(max) },
        initial_scale: initial,
        enable_scale_to_zero: p.enable_scale_to_zero.value,
        stable_window: p.stable_window.value,
        scale_to_zero_grace_period: p.scale_to_zero_grace_period.value,
        pod_retention: p.scale_to_zero_pod_retention_period.value,
        activation_timeout: ACTIVATION_TIMEOUT,
        target_burst_capacity: p.target_burst_capacity.value,
    }
}

/// The KPA replay behind the [`Controller`] interface.
pub struct KnativeController {
    decider_spec: DeciderSpec,
    scaler_spec: ScalerSpec,
    tick: Millis,
    stable: MetricWindow,
    panic: MetricWindow,
    /// TBC −1: no scrape target, the activator reports everything; no data then means 0.
    has_scrape_target: bool,
    decider: Option<Decider>,
    pa: Option<PaState>,
    /// The decider's status: `DesiredScale` (−1 until the first valid evaluation).
    desired: i32,
    ebc: i32,
    /// The last valid evaluation (for reasons and mode between decisions).
    last: Option<ScaleResult>,
    last_observed: f64,
    next_scrape: Millis,
    next_decide: Millis,
    started: bool,
}

impl KnativeController {
    /// The controller for `autoscaler` with its KPA settings `p`.
    pub fn new(autoscaler: &Autoscaler, p: &KnativeParams) -> Self {
        let stable_w = p.stable_window.value.max(SCRAPE_INTERVAL);
        let panic_w = panic_window(stable_w, p.panic_window_percentage.value);
        let (stable, panic) = match p.aggregation.value {
            Aggregation::Linear => (
                MetricWindow::linear(stable_w, SCRAPE_INTERVAL),
                MetricWindow::linear(panic_w, SCRAPE_INTERVAL),
            ),
            Aggregation::WeightedExponential => (
                MetricWindow::weighted(stable_w, SCRAPE_INTERVAL),
                MetricWindow::weighted(panic_w, SCRAPE_INTERVAL),
            ),
        };
        let decider_spec = decider_spec(p);
        let tick = decider_spec.tick_interval;
        KnativeController {
            scaler_spec: scaler_spec(autoscaler, p),
            has_scrape_target: p.target_burst_capacity.value != -1.0,
            decider_spec,
            tick,
            stable,
            panic,
            decider: None,
            pa: None,
            desired: SCALE_UNKNOWN,
            ebc: 0,
            last: None,
            last_observed: f64::NAN,
            next_scrape: SCRAPE_INTERVAL,
            next_decide: tick,
            started: false,
        }
    }

    /// Record one scrape of the first metric: the revision-wide total.
    fn scrape(&mut self, view: &ClusterView<'_>) {
        let Some(m) = view.metrics.first() else {
            return;
        };
        let value = if m.reporting > 0 {
            m.per_pod * f64::from(m.reporting)
        } else if m.total > 0.0 {
            // No ready pod: the activator holds the requests and reports them.
            m.total
        } else {
            // No pod and no traffic: an empty stat, not recorded.
            return;
        };
        if value.is_finite() {
            self.stable.record(view.t, value);
            self.panic.record(view.t, value);
        }
    }

    /// One decider tick: `Scale(now)` or, without data, an invalid result.
    fn decide(&mut self, view: &ClusterView<'_>) -> ScaleResult {
        let now = view.t;
        let no_data = self.stable.is_empty(now) && self.has_scrape_target;
        let Some(decider) = self.decider.as_mut() else {
            return ScaleResult::invalid();
        };
        if no_data {
            self.last_observed = f64::NAN;
            return ScaleResult::invalid();
        }
        let stable = self.stable.average(now);
        let panic = self.panic.average(now);
        self.last_observed = stable;
        let r = decider.scale(now, view.ready, stable, panic);
        self.desired = r.desired;
        self.ebc = r.excess_burst_capacity;
        self.last = Some(r);
        r
    }
}

fn count(x: f64) -> u32 {
    if x.is_nan() || x <= 0.0 {
        0
    } else if x >= u32::MAX as f64 {
        u32::MAX
    } else {
        x as u32
    }
}

impl Controller for KnativeController {
    fn next_wake(&self) -> Millis {
        if !self.started {
            0
        } else {
            self.next_scrape.min(self.next_decide)
        }
    }

    fn wake(&mut self, view: &ClusterView<'_>) -> Option<Decision> {
        let now = view.t;
        if !self.started {
            self.started = true;
            self.decider = Some(Decider::new(self.decider_spec.clone(), view.ready, now));
            self.pa = Some(PaState::initial(
                &self.scaler_spec,
                view.replicas,
                view.ready,
                now,
            ));
            self.next_scrape = now + SCRAPE_INTERVAL;
            self.next_decide = now + self.tick;
            return None;
        }
        if now >= self.next_scrape {
            self.scrape(view);
            self.next_scrape = now + SCRAPE_INTERVAL;
        }
        let mut result = None;
        if now >= self.next_decide {
            result = Some(self.decide(view));
            self.next_decide = now + self.tick;
        }

        let pa = self.pa.as_mut()?;
        let rec = pa.reconcile(&self.scaler_spec, now, self.desired, self.ebc, view.ready);
        let desired = rec.apply.unwrap_or(view.replicas);
        if result.is_none() && desired == view.replicas {
            return None;
        }

        let last = self.last;
        let (observed, desired_raw) = match result {
            Some(r) if r.valid => (self.last_observed, count(r.dspc)),
            Some(_) => (f64::NAN, view.replicas),
            None => (
                self.last_observed,
                last.map_or(view.replicas, |r| count(r.dspc)),
            ),
        };
        let reason = match (rec.reason, rec.apply) {
            (Some(r), _) => r,
            (None, None) => Reason::NoMetrics,
            (None, Some(_)) => match result {
                Some(r) if !r.valid => Reason::NoMetrics,
                _ => last.map_or(Reason::NoMetrics, |r| r.reason),
            },
        };
        let panicking = self.decider.as_ref().is_some_and(Decider::is_panicking);
        let mode = match pa.activity {
            Activity::Inactive { .. } => Mode::Inactive,
            _ if panicking => Mode::Panic,
            _ => Mode::Stable,
        };
        Some(Decision {
            observed,
            desired_raw,
            desired,
            mode,
            reason,
        })
    }
}

#[cfg(test)]
mod tests;
