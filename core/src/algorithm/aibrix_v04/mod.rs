//! AIBrix v0.4.0 PodAutoscaler, strategies KPA and APA ("Gen A" code, v0.2.0 – v0.4.x; it
//! also replays v0.2.0, v0.2.1, v0.3.0 and v0.4.1: `upstream::aibrix_gen_a` says what differs
//! at those tags and why no replay sees it).
//!
//! Upstream (vllm-project/aibrix v0.4.0, `pkg/controller/podautoscaler/`):
//! - `podautoscaler_controller.go`: resync every 10 s (`resyncInterval`, PR #356); boundary
//!   checks before any metric is read (at 0 replicas with `minReplicas != 0` nothing happens;
//!   above max ⇒ max; below min ⇒ min; `minReplicas` defaults to 1); otherwise the metric
//!   count, clamped to `[min, max]`, applied when it differs; a scaler whose `Scale` is invalid
//!   (empty window) makes the reconcile fail and keeps the replicas;
//! - `scaler/kpa.go` / `scaler/apa.go`: one scaler per PodAutoscaler, created at its first
//!   metric reconcile with the ready count at that time (see [`kpa::KpaScaler::new`]);
//! - `metrics/client.go` (`KPAMetricsClient`, `APAMetricsClient`): each reconcile records the
//!   SUM of the ready pods' values (`UpdateMetrics`); nothing when no pod reports, so the
//!   windows keep stale values; an `external` source records its one value;
//! - `aggregation/window.go`: see [`window`];
//! - `api/.../podautoscaler_types.go` `GetPaMetricSources`: exactly one `metricsSources`
//!   entry is supported; with any other count the scaling context cannot be built and the
//!   PodAutoscaler never scales (replayed as "keep the replica count").
//!
//! Not modelled: fetch failures, the excess burst capacity (no effect on replicas). A pod
//! whose fetch fails: at v0.3.0 and v0.4.0 `metrics/utils.go` `GetMetricsFromPods` skips it and
//! fails only when every pod fails; at v0.2.0 and v0.2.1 one failing pod fails the whole fetch
//! and the reconcile (issue #617/#1032: replicas freeze). Only ready pods are fetched
//! (`utils.FilterActivePods`), and in the replay every ready pod serves its metric (`sim`
//! feeds each its share), while `--metric-outage` is not replayed for AIBrix: neither rule can
//! show in a replay.

pub mod apa;
pub mod kpa;
pub mod window;

pub use apa::{ApaSpec, ApaV04Rule};
pub use kpa::{KpaScaler, KpaSpec, KpaStep, KpaV04Rule};
pub use window::RingWindow;

use super::{ClusterView, Controller, Decision, Mode, Reason};
use crate::model::{AibrixV04Params, Autoscaler, MetricSource, Millis};

/// `resyncInterval` (`podautoscaler_controller.go`, v0.4.0): used when the params say 0.
pub const RESYNC_INTERVAL: Millis = crate::upstream::aibrix::v04::RESYNC_INTERVAL.value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strategy {
    Kpa,
    Apa,
}

/// The replayed AIBrix v0.4.0 controller for one PodAutoscaler (KPA or APA).
#[derive(Debug, Clone)]
pub struct AibrixV04Controller {
    strategy: Strategy,
    min: u32,
    max: u32,
    resync: Millis,
    /// `Some` when the PodAutoscaler has exactly one metric source.
    metric: Option<MetricSpec>,
    kpa: KpaSpec,
    apa: ApaSpec,
    scale_down_delay: Millis,
    /// KPA stable window (APA: its only window).
    stable: RingWindow,
    /// KPA panic window (unused by APA).
    panic: RingWindow,
    /// Created at the first metric reconcile (`AutoscalerMap`).
    scaler: Option<KpaScaler>,
    next: Millis,
}

#[derive(Debug, Clone, Copy)]
struct MetricSpec {
    target: f64,
    whole_workload: bool,
}

impl AibrixV04Controller {
    /// The v0.4.0 controller for `autoscaler` with its scaling context `p`: the APA when
    /// `apa`, else the KPA.
    pub fn new(autoscaler: &Autoscaler, apa: bool, p: &AibrixV04Params) -> Self {
        let strategy = if apa { Strategy::Apa } else { Strategy::Kpa };
        let metric = match autoscaler.metrics.as_slice() {
            [m] => Some(MetricSpec {
                target: m.target.value.value,
                whole_workload: matches!(m.source, MetricSource::AibrixExternal { .. }),
            }),
            _ => None,
        };
        let target = metric.map_or(1.0, |m| m.target);
        let (stable_len, panic_len) = match strategy {
            Strategy::Kpa => (p.stable_window.value, p.panic_window.value),
            Strategy::Apa => (p.apa_window.value, p.apa_window.value),
        };
        AibrixV04Controller {
            strategy,
            min: autoscaler.min_replicas.value,
            max: autoscaler.max_replicas.value,
            resync: crate::algorithm::resync_interval(&p.resync_interval, RESYNC_INTERVAL),
            metric,
            kpa: KpaSpec {
                target,
                max_scale_up_rate: p.max_scale_up_rate.value,
                max_scale_down_rate: p.max_scale_down_rate.value,
                panic_threshold: p.panic_threshold.value,
                stable_window: p.stable_window.value,
                activation_scale: p.activation_scale.value,
            },
            apa: ApaSpec {
                target,
                up_tolerance: p.up_fluctuation_tolerance.value,
                down_tolerance: p.down_fluctuation_tolerance.value,
                max_scale_up_rate: p.max_scale_up_rate.value,
                max_scale_down_rate: p.max_scale_down_rate.value,
            },
            scale_down_delay: p.scale_down_delay.value,
            stable: RingWindow::new(stable_len),
            panic: RingWindow::new(panic_len),
            scaler: None,
            next: 0,
        }
    }
    /// The metric count (before the controller clamp): `(observed, raw, desired, mode, reason)`,
    /// or `None` when `Scale` is invalid (empty window, no ready pod for APA).
    fn metric_count(&mut self, view: &ClusterView<'_>) -> Option<(f64, u32, u32, Mode, Reason)> {
        let m = self.metric?;
        let reading = view.metrics.first().copied();
        // `UpdateMetrics`: the sum over the reporting pods (all report `per_pod`), or the
        // workload's one value; nothing recorded when no pod reports.
        let value = reading.and_then(|r| {
            if m.whole_workload {
                Some(r.total)
            } else if r.reporting > 0 {
                Some(r.per_pod * f64::from(r.reporting))
            } else {
                None
            }
        });
        if let Some(v) = value.filter(|v| v.is_finite()) {
            self.stable.record(view.t, v);
            if self.strategy == Strategy::Kpa {
                self.panic.record(view.t, v);
            }
        }
        let ready = view.ready;
        match self.strategy {
            Strategy::Kpa => {
                let scaler = self
                    .scaler
                    .get_or_insert_with(|| KpaScaler::new(ready, view.t, self.scale_down_delay));
                // `StableAndPanicMetrics`: the panic window is read first; either empty ⇒ error.
                let panic = self.panic.avg()?;
                let stable = self.stable.avg()?;
                let step = scaler.scale(&self.kpa, ready, stable, panic, view.t);
                let target = self.kpa.target;
                let reason = if step.desired != step.undelayed {
                    Reason::ScaleDownDelay { held: step.desired }
                } else {
                    match step.rule {
                        KpaV04Rule::Stable => Reason::Metric {
                            observed: stable,
                            target,
                        },
                        KpaV04Rule::Panic => Reason::Panic {
                            observed: panic,
                            target,
                        },
                        KpaV04Rule::PanicHold { held } => Reason::PanicNoScaleDown { held },
                        KpaV04Rule::MaxScaleUpRate { limit } => Reason::MaxScaleUpRate { limit },
                        KpaV04Rule::MaxScaleDownRate { limit } => {
                            Reason::MaxScaleDownRate { limit }
                        }
                        KpaV04Rule::ActivationScale { scale } => Reason::ActivationScale { scale },
                    }
                };
                let mode = if step.in_panic {
                    Mode::Panic
                } else {
                    Mode::Stable
                };
                Some((stable, step.metric_count, step.desired, mode, reason))
            }
            Strategy::Apa => {
                let total = self.stable.avg()?;
                if ready == 0 {
                    return None;
                }
                let u = total / f64::from(ready);
                let (d, rule) = apa::compute_desired(ready, u, &self.apa);
                // The metric's count before the rate limit (`ceil(ready × ratio)`), for the
                // timeline's `desired_raw`.
                let raw = match rule {
                    ApaV04Rule::MaxScaleUpRate { .. } | ApaV04Rule::MaxScaleDownRate { .. }
                        if self.apa.target > 0.0 =>
                    {
                        let x = (f64::from(ready) * u / self.apa.target).ceil();
                        if x.is_nan() || x <= 0.0 {
                            0
                        } else {
                            // `as` saturates at u32::MAX.
                            x as u32
                        }
                    }
                    _ => d,
                };
                let reason = match rule {
                    ApaV04Rule::Metric => Reason::Metric {
                        observed: u,
                        target: self.apa.target,
                    },
                    ApaV04Rule::Tolerance { ratio } => Reason::Tolerance { ratio },
                    ApaV04Rule::MaxScaleUpRate { limit } => Reason::MaxScaleUpRate { limit },
                    ApaV04Rule::MaxScaleDownRate { limit } => Reason::MaxScaleDownRate { limit },
                };
                Some((u, raw, d, Mode::Stable, reason))
            }
        }
    }

    /// The KPA scaler's state, once created (for tests and diagnostics).
    pub fn kpa_scaler(&self) -> Option<&KpaScaler> {
        self.scaler.as_ref()
    }
}

impl Controller for AibrixV04Controller {
    fn next_wake(&self) -> Millis {
        self.next
    }

    fn wake(&mut self, view: &ClusterView<'_>) -> Option<Decision> {
        self.next = view.t.saturating_add(self.resync.max(1));
        let current = view.replicas;
        let (min, max) = (self.min, self.max);
        if let Some(d) = Decision::aibrix_bounds(current, min, max) {
            return Some(d);
        }
        let Some((observed, raw, desired, mode, reason)) = self.metric_count(view) else {
            return Some(Decision::without_metric(
                current,
                current,
                Reason::NoMetrics,
            ));
        };
        let (desired, reason) = Reason::clamp(desired, min, max).unwrap_or((desired, reason));
        Some(Decision {
            observed,
            desired_raw: raw,
            desired,
            mode,
            reason,
        })
    }
}
