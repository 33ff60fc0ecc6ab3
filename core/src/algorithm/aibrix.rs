//! AIBrix v0.5.0, v0.6.0 and v0.7.0 PodAutoscaler, strategies KPA and APA ("Gen B" code): one
//! controller for the three releases, whose `algorithm/`, `aggregation/`, `metrics/client.go`,
//! `autoscaler.go` and `computeScaleDecision` / `stabilizeRecommendation` are the same (`git diff
//! v0.5.0 v0.7.0 -- pkg/controller/podautoscaler` changes only `algorithm/apa.go`'s
//! `expectedUse <= 0` guard, the StormService pod selector, which is not replayed, and the resync
//! loop's lifecycle); each release's defaults come from its own facts. v0.6.0 refuses a target
//! ≤ 0 (PR #1879); v0.5.0 divides by it, and its replay does too ([`AibrixController::for_release`],
//! `kpa::compute_target_replicas_as`).
//!
//! Upstream (vllm-project/aibrix v0.7.0, `pkg/controller/podautoscaler/`):
//! - `podautoscaler_controller.go`: resync every `DefaultResyncInterval` (10 s);
//!   `computeScaleDecision` (boundary checks before any metric is read, then the metric-based
//!   count, `stabilizeRecommendation`, a final `[min, max]` clamp); the scaling context is built
//!   afresh every reconcile (`createScalingContextWithBounds`);
//! - `autoscaler.go`: `ComputeDesiredReplicas` (one pipeline per metric source, the max over the
//!   metrics that produced a valid result), `executeScalingPipeline`;
//! - `metrics/client.go` + `types/metrics.go`: each collection records the MEAN of the per-pod
//!   values into a stable (`stableWindowDuration`, 180 s) and a panic (`panicWindowDuration`,
//!   60 s) window; nothing is recorded when no pod reports, so stale windows persist;
//! - `algorithm/kpa.go`, `algorithm/apa.go`: see [`kpa`] and [`apa`];
//! - `algorithm/algorithm.go` `applyConstraints`: each metric's count clamped to `[min, max]`.
//!
//! Submodules: [`window`] (1 s buckets, eviction on record), [`kpa`], [`apa`], [`stabilize`]
//! (cooldown windows: max up / min down).
//!
//! **Modelled as v0.7.0 does it, not as Knative:** the per-pod mean, `ceil(avg / target)`, a
//! stateless panic, the MIN over the scale-down cooldown window. The decisions' [`Reason`]s say
//! so where it changes the outcome. The v0.4.0 generation is [`super::aibrix_v04`].
//!
//! Not modelled: schedules (`spec.schedules`), the HPA strategy (a real Kubernetes HPA, replayed by
//! the HPA module), StormService roles, fetch failures (upstream a pod whose scrape fails counts as
//! 0.0 in the mean — a vLLM pod loading its weights has an IP but no server; here only ready pods
//! report, as the simulator's [`ClusterView`] says), and an immediate re-reconcile after the
//! controller's own status update (an extra wake-up after each scale, which would speed up
//! rate-limited scale-ups). These are recorded so they can be revisited with evidence.

pub mod apa;
pub mod kpa;
pub mod stabilize;
pub mod window;

pub use apa::{ApaContext, ApaOutcome, ApaRule};
pub use kpa::{should_enter_panic, KpaContext, KpaOutcome, KpaRule};
pub use stabilize::{RecommendationHistory, Stabilized};
pub use window::TimeWindow;

use super::{ClusterView, Controller, Decision, Mode, Reason};
use crate::model::{AibrixGenBParams, Autoscaler, MetricSource, Millis};

/// `DefaultResyncInterval` (`podautoscaler_controller.go`, v0.7.0): used when the params say 0.
pub const DEFAULT_RESYNC_INTERVAL: Millis = crate::upstream::aibrix::v07::RESYNC_INTERVAL.value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strategy {
    Kpa,
    Apa,
}

/// One metric source's state: its target, how it is read, and its two windows.
#[derive(Debug, Clone)]
struct MetricState {
    target: f64,
    /// `external`/`domain`: one value for the whole workload (the total), recorded every tick.
    whole_workload: bool,
    stable: TimeWindow,
    panic: TimeWindow,
}

/// One metric's result for one reconcile.
#[derive(Debug, Clone, Copy)]
struct MetricResult {
    /// The metric's count alone: `raw` without the max scale-up/down rate limit (the
    /// timeline's `desired_raw`).
    metric_only: u32,
    /// After `applyConstraints` (`[min, max]`).
    clamped: u32,
    stable_value: f64,
    in_panic: bool,
    reason: Reason,
}

/// The replayed AIBrix controller for one PodAutoscaler (KPA or APA).
#[derive(Debug, Clone)]
pub struct AibrixController {
    strategy: Strategy,
    params: Params,
    min: u32,
    max: u32,
    metrics: Vec<MetricState>,
    history: RecommendationHistory,
    next: Millis,
    /// The source whose recommendation the last decision took.
    last_metric: Option<usize>,
    /// Whether a target ≤ 0 is refused (v0.6.0 on, PR #1879); v0.5.0 divides by it.
    guards_target: bool,
}

/// The parameter values used (from [`AibrixGenBParams`]).
#[derive(Debug, Clone, Copy)]
struct Params {
    max_scale_up_rate: f64,
    max_scale_down_rate: f64,
    up_tolerance: f64,
    down_tolerance: f64,
    panic_threshold: f64,
    up_cooldown: Millis,
    down_cooldown: Millis,
    resync: Millis,
}

impl Params {
    fn from(p: &AibrixGenBParams) -> Self {
        Params {
            max_scale_up_rate: p.max_scale_up_rate.value,
            max_scale_down_rate: p.max_scale_down_rate.value,
            up_tolerance: p.scale_up_tolerance.value,
            down_tolerance: p.scale_down_tolerance.value,
            panic_threshold: p.panic_threshold.value,
            up_cooldown: p.scale_up_cooldown.value,
            down_cooldown: p.scale_down_cooldown.value,
            resync: super::resync_interval(&p.resync_interval, DEFAULT_RESYNC_INTERVAL),
        }
    }
}

/// Upstream `algorithm.go` `applyConstraints` (and the controller's final clamp): raised to
/// `min` when below it, else capped at `max`.
pub fn apply_constraints(replicas: u32, min: u32, max: u32) -> u32 {
    Reason::clamp(replicas, min, max).map_or(replicas, |(v, _)| v)
}

impl AibrixController {
    /// The v0.7.0 controller for `autoscaler` with its scaling context `params`: the APA
    /// when `apa`, else the KPA.
    pub fn new(autoscaler: &Autoscaler, apa: bool, params: &AibrixGenBParams) -> Self {
        Self::for_release(autoscaler, apa, params, true)
    }

    /// [`AibrixController::new`] for a release that refuses a target ≤ 0 (`guards_target`:
    /// v0.6.0 on) or divides by it (v0.5.0).
    pub fn for_release(
        autoscaler: &Autoscaler,
        apa: bool,
        params: &AibrixGenBParams,
        guards_target: bool,
    ) -> Self {
        let strategy = if apa { Strategy::Apa } else { Strategy::Kpa };
        let p = Params::from(params);
        let (stable_window, panic_window) = (params.stable_window.value, params.panic_window.value);
        let metrics = autoscaler
            .metrics
            .iter()
            .map(|m| MetricState {
                target: m.target.value.value,
                whole_workload: matches!(m.source, MetricSource::AibrixExternal { .. }),
                stable: TimeWindow::new(stable_window),
                panic: TimeWindow::new(panic_window),
            })
            .collect();
        AibrixController {
            strategy,
            params: p,
            min: autoscaler.min_replicas.value,
            max: autoscaler.max_replicas.value,
            metrics,
            history: RecommendationHistory::new(),
            next: 0,
            last_metric: None,
            guards_target,
        }
    }
    /// Record this tick's value into metric `i`'s windows, then run the algorithm.
    fn evaluate_metric(&mut self, i: usize, view: &ClusterView<'_>) -> MetricResult {
        let current = view.replicas;
        let (min, max, strategy, p) = (self.min, self.max, self.strategy, self.params);
        let guarded = self.guards_target;
        let reading = view.metrics.get(i).copied();
        let Some(m) = self.metrics.get_mut(i) else {
            // Unreachable: `i` ranges over `self.metrics`. Keep the count if it ever happens.
            return MetricResult {
                metric_only: current,
                clamped: current,
                stable_value: f64::NAN,
                in_panic: false,
                reason: Reason::NoMetrics,
            };
        };
        // The snapshot: one value per reporting pod (all equal to `per_pod` in the simulator), or
        // one value for the workload. `UpdateMetrics` records their mean, or nothing when empty.
        let value = reading.and_then(|r| {
            if m.whole_workload {
                Some(r.total)
            } else if r.reporting > 0 {
                Some(r.per_pod)
            } else {
                None
            }
        });
        if let Some(v) = value.filter(|v| v.is_finite()) {
            m.stable.record(view.t, v);
            m.panic.record(view.t, v);
        }
        let stable_value = m.stable.avg();
        let panic_value = m.panic.avg();
        let target = m.target;

        let (raw, in_panic, reason) = match strategy {
            Strategy::Kpa => {
                let in_panic = should_enter_panic(stable_value, panic_value, p.panic_threshold);
                let out = kpa::compute_target_replicas_as(
                    current,
                    &KpaContext {
                        target,
                        stable_value,
                        panic_value,
                        max_scale_up_rate: p.max_scale_up_rate,
                        max_scale_down_rate: p.max_scale_down_rate,
                        up_tolerance: p.up_tolerance,
                        down_tolerance: p.down_tolerance,
                        panic_threshold: p.panic_threshold,
                        in_panic_mode: in_panic,
                        // A fresh scaling context every reconcile: no panic memory.
                        max_panic_pods: 0,
                        activation_scale: 1,
                    },
                    guarded,
                );
                let reason = if in_panic && out.desired < current {
                    Reason::PanicNoHold { current }
                } else {
                    match out.rule {
                        KpaRule::NoTarget => Reason::NoMetrics,
                        KpaRule::Tolerance { ratio } => Reason::Tolerance { ratio },
                        KpaRule::Metric { value } if out.panic_decided => Reason::Panic {
                            observed: value,
                            target,
                        },
                        KpaRule::Metric { value } => Reason::KpaPerPodMean {
                            observed: value,
                            target,
                        },
                        KpaRule::MaxScaleUpRate { limit } => Reason::MaxScaleUpRate { limit },
                        KpaRule::MaxScaleDownRate { limit } => Reason::MaxScaleDownRate { limit },
                        KpaRule::ActivationScale { scale } => Reason::ActivationScale { scale },
                        KpaRule::PanicHold { held } => Reason::PanicNoScaleDown { held },
                    }
                };
                (out.desired, in_panic, reason)
            }
            Strategy::Apa => {
                let out = apa::compute_target_replicas_as(
                    current,
                    &ApaContext {
                        target,
                        current_use_per_pod: stable_value,
                        up_tolerance: p.up_tolerance,
                        down_tolerance: p.down_tolerance,
                        max_scale_up_rate: p.max_scale_up_rate,
                        max_scale_down_rate: p.max_scale_down_rate,
                    },
                    guarded,
                );
                let reason = match out.rule {
                    ApaRule::NoTarget => Reason::NoMetrics,
                    ApaRule::Tolerance { ratio } => Reason::Tolerance { ratio },
                    ApaRule::Metric { .. } => Reason::Metric {
                        observed: stable_value,
                        target,
                    },
                    ApaRule::MaxScaleUpRate { limit } => Reason::MaxScaleUpRate { limit },
                    ApaRule::MaxScaleDownRate { limit } => Reason::MaxScaleDownRate { limit },
                };
                (out.desired, false, reason)
            }
        };
        // The count the metric asked for before the rate limit: the same formula as the algorithm
        // (KPA `ceil(value / target)` outside the tolerance band, the panic value counting in
        // panic mode; APA `ceil(current × value / target)`), without the clamp to the rate.
        let rate_limited = matches!(
            reason,
            Reason::MaxScaleUpRate { .. } | Reason::MaxScaleDownRate { .. }
        );
        let metric_only = if rate_limited && target > 0.0 {
            let outside = |v: f64| {
                v > target * (1.0 + p.up_tolerance) || v < target * (1.0 - p.down_tolerance)
            };
            let count = |v: f64| {
                if outside(v) {
                    kpa::to_count((v / target).ceil())
                } else {
                    current
                }
            };
            match strategy {
                Strategy::Kpa if in_panic => count(stable_value).max(count(panic_value)),
                Strategy::Kpa => count(stable_value),
                Strategy::Apa => kpa::to_count((f64::from(current) * stable_value / target).ceil()),
            }
        } else {
            raw
        };
        let (clamped, reason) = match Reason::clamp(raw, min, max) {
            Some((v, r)) => (v, r),
            None => (raw, reason),
        };
        MetricResult {
            metric_only,
            clamped,
            stable_value,
            in_panic,
            reason,
        }
    }
}

impl Controller for AibrixController {
    fn next_wake(&self) -> Millis {
        self.next
    }

    fn deciding_metric(&self) -> Option<usize> {
        self.last_metric
    }

    fn wake(&mut self, view: &ClusterView<'_>) -> Option<Decision> {
        self.next = view.t.saturating_add(self.params.resync.max(1));
        let current = view.replicas;
        let (min, max) = (self.min, self.max);
        self.last_metric = None;

        // Boundary checks, before any metric is read (nothing is recorded on these ticks).
        if let Some(d) = Decision::aibrix_bounds(current, min, max) {
            return Some(d);
        }
        if self.metrics.is_empty() {
            // "no metricsSources defined": the reconcile errors, replicas are kept.
            return Some(Decision::without_metric(
                current,
                current,
                Reason::NoMetrics,
            ));
        }

        // One pipeline per metric; the max over them (the first one wins ties): v0.7.0
        // `autoscaler.go ComputeDesiredReplicas` keeps `validResults[0]` and replaces it only
        // with a strictly larger `DesiredReplicas`; a source whose pipeline fails is skipped
        // (no HPA-like hold on partial data).
        let mut best: Option<MetricResult> = None;
        let mut raw_max = 0u32;
        for i in 0..self.metrics.len() {
            let r = self.evaluate_metric(i, view);
            raw_max = raw_max.max(r.metric_only);
            if best.is_none_or(|b| r.clamped > b.clamped) {
                best = Some(r);
                self.last_metric = Some(i);
            }
        }
        let Some(best) = best else {
            return Some(Decision::without_metric(
                current,
                current,
                Reason::NoMetrics,
            ));
        };

        // Cooldown windows (stabilizeRecommendation), then the final clamp.
        let (stabilized, how) = self.history.stabilize(
            view.t,
            best.clamped,
            current,
            self.params.up_cooldown,
            self.params.down_cooldown,
        );
        let mut reason = match how {
            Stabilized::Up { changed: true } => Reason::CooldownWindow { held: stabilized },
            Stabilized::Down { changed: true } => Reason::CooldownMin { held: stabilized },
            _ => best.reason,
        };
        let desired = match Reason::clamp(stabilized, min, max) {
            Some((v, r)) => {
                reason = r;
                v
            }
            None => stabilized,
        };
        Some(Decision {
            observed: best.stable_value,
            desired_raw: raw_max,
            desired,
            mode: if best.in_panic {
                Mode::Panic
            } else {
                Mode::Stable
            },
            reason,
        })
    }
}
