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
//!
//! A failed metric read (a replayed outage, [`MetricReading::failed`]) goes through
//! `spec.fallback` as [`super::keda_fallback`] describes: at each HPA sync the metric's failure
//! count rises, and past `failureThreshold` the HPA is fed the fallback value; at each poll
//! the failed trigger is not active and the object is in error (`RequestScale` with `isError`).

use super::hpa::{HpaEngine, HpaMetric};
use super::keda_cron::CronWindow;
use super::keda_fallback::{fallback_replicas, fallback_value, Health, Read};
use super::keda_formula::Formula;
use super::{ClusterView, Controller, Decision, MetricReading, Mode, Reason};
use crate::model::{
    Autoscaler, FallbackBehavior, KedaParams, KedaPause, MetricSource, Millis, TargetType,
};

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
    /// `spec.fallback.replicas` when `spec.fallback` is written.
    pub fallback_replicas: Option<u32>,
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
    /// Active with replicas, but some trigger failed (`PartialTriggerError`): the HPA scales,
    /// lastActiveTime is not updated.
    PartialTriggerError,
    /// Inactive because triggers failed, with no fallback or fallback replicas ≠ 0: nothing is
    /// done (no scale to zero; the HPA, or the fallback it is fed, decides).
    TriggerError,
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
    request_scale_with_errors(spec, state, now, current, is_active, false)
}

/// `scale_scaledobjects.go RequestScale` when some trigger may have failed (`is_error`): an
/// active object with errors keeps its lastActiveTime; an inactive one with errors is left
/// alone unless `spec.fallback.replicas` is written as 0 (then it scales to zero as usual).
pub fn request_scale_with_errors(
    spec: &ExecutorSpec,
    state: &mut ExecutorState,
    now: i64,
    current: u32,
    is_active: bool,
    is_error: bool,
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
        if is_error {
            return ExecutorAction::PartialTriggerError;
        }
        state.last_active = Some(now);
        return ExecutorAction::KeepActive;
    }
    if is_error && spec.fallback_replicas != Some(0) {
        return ExecutorAction::TriggerError;
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
    /// `spec.fallback` as replayed.
    fallback: Option<FallbackRun>,
    /// Per model metric, its `status.health` (failures counted at each HPA sync).
    health: Vec<Health>,
    /// Per model metric, whether it is read through KEDA (an external trigger, not cpu/memory).
    external: Vec<bool>,
    /// The model metrics' targets (value, `Value` type), for the fallback value.
    targets: Vec<(f64, bool)>,
    /// What fallback did so far.
    summary: FallbackSummary,
}

/// `spec.fallback` as the controller applies it.
#[derive(Debug, Clone, Copy)]
struct FallbackRun {
    /// `failureThreshold` when `HasValidFallback` holds (else KEDA never falls back).
    threshold: Option<u32>,
    replicas: u32,
    behavior: FallbackBehavior,
}

/// What `spec.fallback` did in a replay: failed reads counted at HPA syncs, and the syncs at
/// which the HPA was fed the fallback value ([`Controller::fallback_summary`]).
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
pub struct FallbackSummary {
    /// `spec.fallback` is written.
    pub configured: bool,
    /// Its `failureThreshold` when KEDA would apply it (`HasValidFallback`).
    pub threshold: Option<u32>,
    /// `spec.fallback.behavior`.
    pub behavior: Option<FallbackBehavior>,
    /// HPA syncs at which some metric read failed.
    pub failed_syncs: u32,
    /// The most consecutive failures one metric reached.
    pub max_failures: u32,
    /// The first and last sync that fed the fallback value.
    pub first: Option<Millis>,
    pub last: Option<Millis>,
    /// The fewest and most replicas a fallback value stood for.
    pub replicas: Option<(u32, u32)>,
    /// Syncs at which fallback was due but gave no value (`Value` target, no ready pod).
    pub no_ready_pods: u32,
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
            selector: Vec::new(),
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
        // A failed trigger fails the composite metric (`GetScaledObjectMetrics` returns the
        // error unless a fallback is fed, [`KedaController::sync_readings`]).
        let composite = if values.iter().any(|v| v.is_nan()) {
            MetricReading::FAILED
        } else {
            if let Ok(v) = self.formula.eval(&values) {
                self.last = v;
            }
            whole_workload(self.last, view)
        };
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
        let stand_in_source = autoscaler;
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
            fallback_replicas: params.fallback.as_deref().map(|f| f.replicas.value),
        };
        let model = stand_in_source;
        let external: Vec<bool> = model
            .metrics
            .iter()
            .map(|m| m.source != MetricSource::KedaResource && m.source.reads_demand())
            .collect();
        // The fallback value's target: the trigger's own, or the composite's with modifiers.
        let targets: Vec<(f64, bool)> = model
            .metrics
            .iter()
            .map(|m| match &params.modifiers {
                Some(md) => (md.target.value, md.target_type == TargetType::Value),
                None => (
                    m.target.value.value,
                    m.target.target_type == TargetType::Value,
                ),
            })
            .collect();
        let fallback = params.fallback.as_deref().map(|f| FallbackRun {
            threshold: f.valid.then_some(f.failure_threshold.value),
            replicas: f.replicas.value,
            behavior: f.behavior.value,
        });
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
            health: vec![Health::default(); external.len()],
            summary: FallbackSummary {
                configured: fallback.is_some(),
                threshold: fallback.and_then(|f| f.threshold),
                behavior: fallback.map(|f| f.behavior),
                ..FallbackSummary::default()
            },
            fallback,
            external,
            targets,
        }
    }

    /// The HPA's readings at a sync (`GetScaledObjectMetrics`, once per metric per sync): each
    /// external trigger's read counts in its health; a failed one past the threshold of a
    /// valid fallback is fed the fallback value, else stays failed (an error for the HPA).
    /// `raw`: the model metrics' readings; `hpa`: what the HPA would see without failures
    /// (the model's, or the stand-in's with modifiers).
    fn sync_readings(
        &mut self,
        raw: &ClusterView<'_>,
        hpa: &[MetricReading],
    ) -> Option<Vec<MetricReading>> {
        let any_failed = raw
            .metrics
            .iter()
            .zip(&self.external)
            .any(|(r, e)| *e && r.failed());
        if !any_failed {
            for h in &mut self.health {
                h.failures = 0;
            }
            return None;
        }
        self.summary.failed_syncs = self.summary.failed_syncs.saturating_add(1);
        let threshold = self.fallback.and_then(|f| f.threshold);
        let mut reads = Vec::with_capacity(self.health.len());
        for ((h, r), e) in self.health.iter_mut().zip(raw.metrics).zip(&self.external) {
            let read = if *e {
                h.read(!r.failed(), threshold)
            } else {
                Read::Value
            };
            self.summary.max_failures = self.summary.max_failures.max(h.failures);
            reads.push(read);
        }
        let mut out = hpa.to_vec();
        let fallback_for = |i: usize, s: &mut FallbackSummary| -> Option<MetricReading> {
            let f = self.fallback?;
            let (target, value_type) = *self.targets.get(i)?;
            let replicas = fallback_replicas(f.behavior, f.replicas, raw.replicas);
            match fallback_value(target, replicas, value_type, raw.ready) {
                Some(v) => {
                    s.first.get_or_insert(raw.t);
                    s.last = Some(raw.t);
                    s.replicas = Some(match s.replicas {
                        Some((lo, hi)) => (lo.min(replicas), hi.max(replicas)),
                        None => (replicas, replicas),
                    });
                    Some(whole_workload(v, raw))
                }
                None => {
                    s.no_ready_pods = s.no_ready_pods.saturating_add(1);
                    None
                }
            }
        };
        let mut summary = self.summary;
        if self.modifier.is_some() {
            // The composite metric (the stand-in's first): the fallback value when any trigger
            // falls back (`HandleScalingModifiers`), else failed when any trigger failed.
            if let Some(i) = reads.iter().position(|r| *r == Read::Fallback) {
                if let Some(slot) = out.first_mut() {
                    *slot = fallback_for(i, &mut summary).unwrap_or(MetricReading::FAILED);
                }
            }
        } else {
            for (i, read) in reads.iter().enumerate() {
                if let Some(slot) = out.get_mut(i) {
                    match read {
                        Read::Value => {}
                        Read::Error => *slot = MetricReading::FAILED,
                        Read::Fallback => {
                            *slot = fallback_for(i, &mut summary).unwrap_or(MetricReading::FAILED)
                        }
                    }
                }
            }
        }
        self.summary = summary;
        Some(out)
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

    fn poll(&mut self, view: &ClusterView<'_>, is_error: bool) -> Option<Decision> {
        let now = i64::try_from(view.t).unwrap_or(i64::MAX);
        let activity = triggers_active(&self.autoscaler, view);
        self.active = activity.is_some() || self.spec.force_activation;
        let action = request_scale_with_errors(
            &self.spec,
            &mut self.state,
            now,
            view.replicas,
            activity.is_some(),
            is_error,
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
        let raw = *view;
        let is_error = raw
            .metrics
            .iter()
            .zip(&self.external)
            .any(|(r, e)| *e && r.failed());
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
            poll_decision = self.poll(view, is_error);
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
            let fed = self.sync_readings(&raw, view.metrics);
            let fed_view;
            let view = match &fed {
                Some(m) => {
                    fed_view = ClusterView {
                        metrics: m,
                        ..*view
                    };
                    &fed_view
                }
                None => view,
            };
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

    fn fallback_summary(&self) -> Option<FallbackSummary> {
        Some(self.summary)
    }
}
