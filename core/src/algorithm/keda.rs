//! KEDA ScaledObject replay: the activation loop (0 ↔ 1, every `pollingInterval`) plus the HPA
//! KEDA generates (1 ↔ N, every HPA sync).
//!
//! Upstream: kedacore/keda v2.18 `pkg/scaling/executor/scale_scaledobjects.go` (`RequestScale`,
//! `scaleToZeroOrIdle`, `scaleFromZeroOrIdle`), `pkg/scaling/scale_handler.go`
//! (`getScaledObjectState`: any trigger active; cpu/memory-only objects are always active),
//! `pkg/scalers/*` (`IsActive`: raw query value `> activationThreshold`),
//! `controllers/keda/hpa.go` (`newHPAForScaledObject`: min = max(minReplicaCount, 1)) and
//! `apis/keda/v1alpha1/scaledobject_types.go` (`GetHPAMinReplicas`,
//! `CheckReplicaCountBoundsAreValid`). The HPA part is [`super::hpa::HpaEngine`].

use super::hpa::{HpaEngine, HpaMetric};
use super::keda_cron::CronWindow;
use super::keda_formula::Formula;
use super::{ClusterView, Controller, Decision, MetricReading, Mode, Reason};
use crate::model::{Autoscaler, KedaParams, KedaPause, MetricSource, Millis};

/// The ScaledObject fields the executor reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExecutorSpec {
    /// `spec.minReplicaCount` (0 when unset).
    pub min_replica_count: u32,
    pub idle_replica_count: Option<u32>,
    pub cooldown_period: Millis,
    pub initial_cooldown_period: Millis,
    pub paused_scale_in: bool,
    pub paused_scale_out: bool,
    pub force_activation: bool,
    /// `autoscaling.keda.sh/paused-replicas`.
    pub paused_replicas: Option<u32>,
}

/// ScaledObject status/metadata the executor reads and writes. Times are signed milliseconds
/// so that an object created before the simulation starts can be expressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExecutorState {
    /// `status.lastActiveTime`.
    pub last_active: Option<i64>,
    /// `metadata.creationTimestamp`.
    pub created: i64,
}

/// What `RequestScale` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExecutorAction {
    /// Paused at `paused-replicas`: set to that count (or already there).
    Paused {
        replicas: u32,
    },
    /// `scaleFromZeroOrIdle`: set to max(minReplicaCount, 1); lastActiveTime = now.
    ScaleFromZeroOrIdle {
        to: u32,
    },
    /// Activation blocked by `paused-scale-out`.
    ScaleOutPaused,
    /// Active with replicas: lastActiveTime = now, the HPA scales.
    KeepActive,
    /// `scaleToZeroOrIdle` after the cooldown: set to idleReplicaCount or minReplicaCount.
    ScaleToZeroOrIdle {
        to: u32,
    },
    /// Scale-in blocked by `paused-scale-in`.
    ScaleInPaused,
    /// Inactive, cooling down until `lastActiveTime + cooldownPeriod` (or creation + initial
    /// cooldown) has passed; `until` is that instant.
    CoolingDown {
        until: i64,
    },
    /// Inactive below minReplicaCount (no idle): set to minReplicaCount.
    SetToMin {
        to: u32,
    },
    NoChange,
}

impl ExecutorAction {
    /// The replica count this action sets, if any.
    pub fn replicas(self, current: u32) -> Option<u32> {
        match self {
            ExecutorAction::Paused { replicas } if replicas != current => Some(replicas),
            ExecutorAction::ScaleFromZeroOrIdle { to }
            | ExecutorAction::ScaleToZeroOrIdle { to }
            | ExecutorAction::SetToMin { to } => Some(to),
            _ => None,
        }
    }
}

/// `scale_scaledobjects.go RequestScale` (no trigger errors: `isError == false`).
pub fn request_scale(
    spec: &ExecutorSpec,
    state: &mut ExecutorState,
    now: i64,
    current: u32,
    is_active: bool,
) -> ExecutorAction {
    if let Some(p) = spec.paused_replicas {
        return ExecutorAction::Paused { replicas: p };
    }
    let min = spec.min_replica_count;
    if is_active || spec.force_activation {
        let below_min_idle = spec.idle_replica_count.is_some() && current < min;
        if below_min_idle || current == 0 {
            if spec.paused_scale_out {
                return ExecutorAction::ScaleOutPaused;
            }
            state.last_active = Some(now);
            return ExecutorAction::ScaleFromZeroOrIdle { to: min.max(1) };
        }
        state.last_active = Some(now);
        return ExecutorAction::KeepActive;
    }
    let above_idle = spec.idle_replica_count.is_some_and(|idle| current > idle);
    if above_idle || (current > 0 && min == 0) {
        if spec.paused_scale_in {
            return ExecutorAction::ScaleInPaused;
        }
        let until = match state.last_active {
            None => state
                .created
                .saturating_add(ms_i64(spec.initial_cooldown_period)),
            Some(t) => t.saturating_add(ms_i64(spec.cooldown_period)),
        };
        // `until.Before(now)`: strict.
        if until < now {
            return ExecutorAction::ScaleToZeroOrIdle {
                to: spec.idle_replica_count.unwrap_or(min),
            };
        }
        return ExecutorAction::CoolingDown { until };
    }
    if current < min && spec.idle_replica_count.is_none() {
        return ExecutorAction::SetToMin { to: min };
    }
    ExecutorAction::NoChange
}

fn ms_i64(ms: Millis) -> i64 {
    i64::try_from(ms).unwrap_or(i64::MAX)
}

/// `GetHPAMinReplicas`: minReplicaCount if > 0, else 1.
pub fn hpa_min_replicas(min_replica_count: Option<u32>) -> u32 {
    match min_replica_count {
        Some(m) if m > 0 => m,
        _ => 1,
    }
}

/// `GetHPAMaxReplicas`: maxReplicaCount, default 100 (`defaultHPAMaxReplicas`).
pub fn hpa_max_replicas(max_replica_count: Option<u32>) -> u32 {
    max_replica_count.unwrap_or(100)
}

/// `CheckReplicaCountBoundsAreValid`: min ≤ max, and idle < effective min.
pub fn check_replica_count_bounds(
    min: Option<u32>,
    max: Option<u32>,
    idle: Option<u32>,
) -> Result<(), String> {
    let max_v = hpa_max_replicas(max);
    let min_v = min.unwrap_or(0);
    if min_v > max_v {
        return Err(format!(
            "MinReplicaCount={min_v} must be less than MaxReplicaCount={max_v}"
        ));
    }
    if let Some(idle) = idle {
        let eff_min = if min.is_some() { min_v.max(1) } else { 0 };
        if idle >= eff_min {
            return Err(format!(
                "IdleReplicaCount={idle} must be less than MinReplicaCount={eff_min}"
            ));
        }
    }
    Ok(())
}

/// Whether the triggers are active (`scale_handler.go getScaledObjectState`): any external
/// trigger's raw value strictly above its `activationThreshold` (default 0). cpu/memory
/// triggers have a Resource metric spec (`spec.External == nil`), which the activity loop skips:
/// they never make an object active by themselves ("if cpu/memory resource scaler has
/// minReplicas==0 & at least one external trigger exists -> object can be scaled to zero").
/// An object whose triggers are all cpu/memory is always active (`len(Triggers) <= cpuMemCount`),
/// reported as `(NaN, NaN)`.
pub fn triggers_active(autoscaler: &Autoscaler, view: &ClusterView<'_>) -> Option<(f64, f64)> {
    let cpu_mem = autoscaler
        .metrics
        .iter()
        .filter(|m| m.source == MetricSource::KedaResource)
        .count();
    let mut first: Option<(f64, f64)> = None;
    for (i, m) in autoscaler.metrics.iter().enumerate() {
        if m.source == MetricSource::KedaResource {
            continue;
        }
        let Some(r) = view.metrics.get(i) else {
            continue;
        };
        let threshold = m.activation_threshold.map(|p| p.value).unwrap_or(0.0);
        let value = r.total;
        if value > threshold && first.is_none() {
            first = Some((value, threshold));
        }
    }
    if first.is_none() && autoscaler.metrics.len() <= cpu_mem {
        return Some((f64::NAN, f64::NAN));
    }
    first
}

/// The trigger [`triggers_active`] found active first (index in `autoscaler.metrics`): an
/// external trigger whose value is strictly above its activation threshold.
pub fn active_trigger(autoscaler: &Autoscaler, view: &ClusterView<'_>) -> Option<usize> {
    autoscaler.metrics.iter().enumerate().position(|(i, m)| {
        m.source != MetricSource::KedaResource
            && view
                .metrics
                .get(i)
                .is_some_and(|r| r.total > m.activation_threshold.map(|p| p.value).unwrap_or(0.0))
    })
}

/// The KEDA controller: the activation loop every `pollingInterval` and the generated HPA every
/// HPA sync period, both starting at t = 0. When both are due at once the KEDA loop runs first;
/// if it changes the replica count, that HPA sync runs 1 ms later on the new count.
pub struct KedaController {
    autoscaler: Autoscaler,
    spec: ExecutorSpec,
    state: ExecutorState,
    hpa: HpaEngine,
    poll_period: Millis,
    sync_period: Millis,
    next_poll: Millis,
    /// The regular sync slot (k × sync period).
    sync_slot: Millis,
    /// When the next HPA sync runs (the slot, or 1 ms after it when deferred).
    next_sync: Millis,
    /// The last poll's verdict (for the decision mode).
    active: bool,
    /// The last poll was cooling down until this instant.
    cooling_until: Option<i64>,
    /// The trigger behind the last decision: the one that activated the object, or the HPA's
    /// winning metric ([`Controller::deciding_metric`]).
    last_metric: Option<usize>,
    /// The pause annotations: no trigger is evaluated and no HPA exists
    /// (`scaledobject_controller.go reconcileScaledObject` stops the loop and deletes the HPA).
    pause: Option<KedaPause>,
    /// Per metric, a cron trigger's window and `desiredReplicas`: its reading is computed from
    /// the replay's clock, not the demand.
    crons: Vec<Option<(CronWindow, f64)>>,
    /// `advanced.scalingModifiers`: the HPA and the activity see one composite metric.
    modifier: Option<Modifier>,
}

/// A ScaledObject's composite metric (`controllers/keda/hpa.go getScaledObjectMetricSpecs`,
/// `pkg/scaling/scale_handler.go getScaledObjectState`): the formula over the named triggers'
/// values replaces every external trigger; cpu/memory triggers stay beside it. The controller
/// then works on a stand-in autoscaler whose metrics are `[composite, cpu/memory...]`.
struct Modifier {
    formula: Formula,
    /// Metric index of each formula variable, in the formula's order.
    variables: Vec<usize>,
    /// Metric index of each cpu/memory trigger (the stand-in's metrics 1..).
    resources: Vec<usize>,
    /// The last value the formula gave: kept when an evaluation fails (the reader's dry runs
    /// make that rare: a division by zero, a branch the dry runs did not take).
    last: f64,
}

/// A reading of a whole-workload value (an External metric) as the simulator makes one.
fn whole_workload(total: f64, view: &ClusterView<'_>) -> MetricReading {
    MetricReading {
        total,
        per_pod: if view.ready > 0 {
            total / f64::from(view.ready)
        } else {
            0.0
        },
        reporting: view.ready,
    }
}

impl Modifier {
    fn new(
        autoscaler: &Autoscaler,
        m: &crate::model::ScalingModifiers,
    ) -> Option<(Self, Autoscaler)> {
        let names: Vec<String> = m.variables.iter().map(|(n, _)| n.clone()).collect();
        let formula = Formula::compile(&m.formula, &names).ok()?;
        let resources: Vec<usize> = autoscaler
            .metrics
            .iter()
            .enumerate()
            .filter(|(_, x)| x.source == MetricSource::KedaResource)
            .map(|(i, _)| i)
            .collect();
        let composite = crate::model::Metric {
            name: crate::span::Spanned::new("composite-metric".to_string(), Default::default()),
            source: MetricSource::External,
            target: crate::model::MetricTarget {
                target_type: m.target_type,
                value: m.target,
            },
            bound: None,
            activation_threshold: Some(m.activation_target),
            span: Default::default(),
        };
        let mut stand_in = autoscaler.clone();
        stand_in.metrics = std::iter::once(composite)
            .chain(
                resources
                    .iter()
                    .filter_map(|&i| autoscaler.metrics.get(i).cloned()),
            )
            .collect();
        let modifier = Modifier {
            formula,
            variables: m.variables.iter().map(|(_, i)| *i).collect(),
            resources,
            last: 0.0,
        };
        Some((modifier, stand_in))
    }

    /// The stand-in's readings: the composite value, then the cpu/memory triggers'.
    fn readings(&mut self, view: &ClusterView<'_>) -> Vec<MetricReading> {
        let values: Vec<f64> = self
            .variables
            .iter()
            .map(|&i| view.metrics.get(i).map_or(0.0, |r| r.total))
            .collect();
        if let Ok(v) = self.formula.eval(&values) {
            self.last = v;
        }
        let composite = whole_workload(self.last, view);
        std::iter::once(composite)
            .chain(
                self.resources
                    .iter()
                    .filter_map(|&i| view.metrics.get(i).copied()),
            )
            .collect()
    }
}

impl KedaController {
    /// The controller for `autoscaler` with its ScaledObject settings `params`.
    pub fn new(autoscaler: &Autoscaler, params: &KedaParams) -> Self {
        let (modifier, stand_in) = match params
            .modifiers
            .as_ref()
            .and_then(|m| Modifier::new(autoscaler, m))
        {
            Some((m, a)) => (Some(m), Some(a)),
            None => (None, None),
        };
        let crons = autoscaler
            .metrics
            .iter()
            .map(|m| match &m.source {
                MetricSource::KedaCron(spec) => {
                    CronWindow::new(spec).map(|w| (w, spec.desired_replicas as f64))
                }
                _ => None,
            })
            .collect();
        let autoscaler = stand_in.as_ref().unwrap_or(autoscaler);
        let spec = ExecutorSpec {
            min_replica_count: params.min_replica_count.value,
            idle_replica_count: params.idle_replica_count.map(|p| p.value),
            cooldown_period: params.cooldown_period.value,
            initial_cooldown_period: params.initial_cooldown_period.value,
            paused_scale_in: params.paused_scale_in,
            paused_scale_out: params.paused_scale_out,
            force_activation: params.force_activation,
            paused_replicas: match params.pause {
                Some(KedaPause::Replicas { replicas }) => Some(replicas),
                _ => None,
            },
        };
        let metrics = autoscaler
            .metrics
            .iter()
            .map(|m| HpaMetric::from_model(m, true))
            .collect();
        let hpa = HpaEngine::new(
            hpa_min_replicas(Some(spec.min_replica_count)),
            autoscaler.max_replicas.value,
            generated_hpa_params(params),
            metrics,
        );
        KedaController {
            autoscaler: autoscaler.clone(),
            spec,
            // The ScaledObject exists just before the simulation starts.
            state: ExecutorState {
                last_active: None,
                created: -1,
            },
            hpa,
            poll_period: params.polling_interval.value.max(1),
            sync_period: params.hpa.sync_period.value.max(1),
            next_poll: 0,
            sync_slot: 0,
            // A paused object has no HPA: only the (stopped) loop's cadence shows the pause.
            next_sync: if params.pause.is_some() {
                Millis::MAX
            } else {
                0
            },
            active: false,
            cooling_until: None,
            last_metric: None,
            pause: params.pause,
            crons,
            modifier,
        }
    }

    /// The readings with each cron trigger's value at the view's absolute time
    /// (`desiredReplicas` inside its window, 0 outside; `view.epoch` absent: time 0 is the
    /// Unix epoch, reported by the simulator).
    fn cron_readings(&mut self, view: &ClusterView<'_>) -> Option<Vec<MetricReading>> {
        if self.crons.iter().all(Option::is_none) {
            return None;
        }
        let now = view
            .epoch
            .unwrap_or(0)
            .saturating_add(i64::try_from(view.t).unwrap_or(i64::MAX));
        let mut readings = view.metrics.to_vec();
        for (slot, cron) in readings.iter_mut().zip(self.crons.iter_mut()) {
            if let Some((window, desired)) = cron {
                let total = if window.active_at(now) { *desired } else { 0.0 };
                *slot = whole_workload(total, view);
            }
        }
        Some(readings)
    }

    fn at_rest(&self, replicas: u32) -> bool {
        replicas == 0 || self.spec.idle_replica_count.is_some_and(|i| replicas <= i)
    }

    fn poll(&mut self, view: &ClusterView<'_>) -> Option<Decision> {
        let now = i64::try_from(view.t).unwrap_or(i64::MAX);
        let activity = triggers_active(&self.autoscaler, view);
        self.active = activity.is_some() || self.spec.force_activation;
        let action = request_scale(
            &self.spec,
            &mut self.state,
            now,
            view.replicas,
            activity.is_some(),
        );
        self.cooling_until = None;
        let observed = view.metrics.first().map(|r| r.total).unwrap_or(f64::NAN);
        let decision = |desired: u32, mode: Mode, reason: Reason| Decision {
            observed,
            desired_raw: desired,
            desired,
            mode,
            reason,
        };
        match action {
            ExecutorAction::ScaleFromZeroOrIdle { to } => {
                // Forced activity (cpu/memory-only triggers, `force-activation`) has no value
                // to show: the object goes to its minimum.
                let reason = match activity {
                    Some((value, threshold)) if !value.is_nan() => {
                        Reason::Activated { value, threshold }
                    }
                    _ => Reason::MinReplicas { min: to },
                };
                Some(decision(to, Mode::Stable, reason))
            }
            ExecutorAction::ScaleToZeroOrIdle { to } => {
                Some(decision(to, Mode::Inactive, Reason::ScaleToZero))
            }
            ExecutorAction::SetToMin { to } => {
                Some(decision(to, Mode::Stable, Reason::MinReplicas { min: to }))
            }
            ExecutorAction::Paused { replicas } if replicas != view.replicas => Some(decision(
                replicas,
                Mode::Stable,
                Reason::ScalingDisabledByPolicy,
            )),
            ExecutorAction::CoolingDown { until } => {
                self.cooling_until = Some(until);
                let remaining_ms = until.saturating_sub(now).max(0);
                let remaining_s = u64::try_from((remaining_ms + 999) / 1000).unwrap_or(0);
                Some(decision(
                    view.replicas,
                    Mode::Stable,
                    Reason::Cooldown { remaining_s },
                ))
            }
            _ => None,
        }
    }
}

/// The generated HPA's settings: `advanced.horizontalPodAutoscalerConfig.behavior` as given,
/// with `selectPolicy: Disabled` on the scale-down (up) side under `paused-scale-in` (`-out`)
/// (`controllers/keda/hpa.go`). A nil behavior gets the Kubernetes defaults first.
pub fn generated_hpa_params(params: &KedaParams) -> crate::model::HpaParams {
    use crate::model::SelectPolicy;
    let mut hpa = params.hpa.clone();
    if params.paused_scale_in || params.paused_scale_out {
        let mut b = hpa
            .behavior
            .take()
            .unwrap_or_else(|| crate::upstream::kubernetes::behavior(hpa.downscale_stabilization));
        if params.paused_scale_in {
            b.scale_down.select_policy.value = SelectPolicy::Disabled;
        }
        if params.paused_scale_out {
            b.scale_up.select_policy.value = SelectPolicy::Disabled;
        }
        hpa.behavior = Some(b);
    }
    hpa
}

impl Controller for KedaController {
    fn next_wake(&self) -> Millis {
        self.next_poll.min(self.next_sync)
    }

    fn wake(&mut self, view: &ClusterView<'_>) -> Option<Decision> {
        let t = view.t;
        // Cron triggers read the clock; with scaling modifiers the HPA and the activity see
        // the composite metric (and the cpu/memory triggers) instead of the triggers.
        let cron = self.cron_readings(view);
        let readings = match (&mut self.modifier, cron) {
            (Some(m), Some(c)) => Some(m.readings(&ClusterView {
                metrics: &c,
                ..*view
            })),
            (Some(m), None) => Some(m.readings(view)),
            (None, c) => c,
        };
        let replaced;
        let view = match &readings {
            Some(r) => {
                replaced = ClusterView {
                    metrics: r,
                    ..*view
                };
                &replaced
            }
            None => view,
        };
        if let Some(pause) = self.pause {
            // Paused: at each polling instant, the count the pause holds.
            self.next_poll = t.saturating_add(self.poll_period);
            let desired = match pause {
                KedaPause::Replicas { replicas } => replicas,
                KedaPause::Frozen => view.replicas,
            };
            return Some(Decision {
                observed: view.metrics.first().map(|r| r.total).unwrap_or(f64::NAN),
                desired_raw: desired,
                desired,
                mode: Mode::Stable,
                reason: Reason::Paused {
                    replicas: match pause {
                        KedaPause::Replicas { replicas } => Some(replicas),
                        KedaPause::Frozen => None,
                    },
                },
            });
        }
        let poll_due = t >= self.next_poll;
        let sync_due = t >= self.next_sync;
        let mut poll_decision = None;
        if poll_due {
            self.next_poll = self.next_poll.saturating_add(self.poll_period);
            if self.next_poll <= t {
                self.next_poll = t.saturating_add(self.poll_period);
            }
            poll_decision = self.poll(view);
            self.last_metric = match poll_decision {
                Some(Decision {
                    reason: Reason::Activated { .. },
                    ..
                }) => active_trigger(&self.autoscaler, view),
                _ => None,
            };
            let changes = poll_decision.is_some_and(|d| d.desired != view.replicas);
            if changes {
                if sync_due {
                    // Run this sync just after the KEDA loop's change.
                    self.next_sync = t.saturating_add(1);
                }
                return poll_decision;
            }
        }
        if sync_due {
            self.sync_slot = self.sync_slot.saturating_add(self.sync_period);
            if self.sync_slot <= t {
                self.sync_slot = t.saturating_add(self.sync_period);
            }
            self.next_sync = self.sync_slot;
            let mut d = self.hpa.reconcile(view);
            self.last_metric = self.hpa.last_metric;
            if d.desired == view.replicas {
                if let Some(Decision {
                    reason: r @ Reason::Cooldown { .. },
                    ..
                }) = poll_decision
                {
                    d.reason = r;
                }
            }
            if !self.active && self.at_rest(d.desired) {
                d.mode = Mode::Inactive;
            }
            return Some(d);
        }
        poll_decision
    }

    fn deciding_metric(&self) -> Option<usize> {
        match &self.modifier {
            // The composite metric is no model metric; the cpu/memory ones are.
            Some(m) => self
                .last_metric
                .and_then(|i| i.checked_sub(1))
                .and_then(|i| m.resources.get(i).copied()),
            None => self.last_metric,
        }
    }
}
