//! Kubernetes HorizontalPodAutoscaler (autoscaling/v2) replay.
//!
//! Upstream: kubernetes/kubernetes v1.34 `pkg/controller/podautoscaler/horizontal.go`
//! (`reconcileAutoscaler`, `computeReplicasForMetrics`, `recordInitialRecommendation`,
//! `normalizeDesiredReplicas[WithBehaviors]`), `replica_calculator.go` and
//! `metrics/utilization.go`. The pure pieces live in the submodules; [`HpaEngine`] is one HPA
//! object's controller memory (recommendations and scale events, kept in controller memory
//! upstream too) and [`HpaController`] wakes it every `--horizontal-pod-autoscaler-sync-period`.
//!
//! Submodules: [`replica_calculator`] (integer milli arithmetic, unready and missing pods,
//! per-direction tolerance), [`normalize`] (the legacy and `behavior` paths, scale events),
//! [`milli`] (`f64` → Quantity milli values without float drift).
//!
//! Pods as the simulator shows them ([`metric_from_view`]): a starting pod is Pending (unready,
//! no metric). A known simplification: a real pod spends most of its start-up Running but not
//! Ready, which the HPA treats as "missing" for non-CPU metrics; not modelled yet.

pub mod milli;
pub mod normalize;
pub mod replica_calculator;

use super::{ClusterView, Controller, Decision, MetricReading, Mode, Reason};
use crate::model::{Autoscaler, HpaParams, Metric, MetricSource, Millis, TargetType};
use milli::{keda_milli, milli_value};
use normalize::{Limit, Recommendation, ScaleEvent};
use replica_calculator::{
    CalcConfig, CalcError, ConditionStatus, Pod, PodGroup, PodPhase, Proposal, ReadyCondition,
    Sample, Tolerances,
};

/// Which calculator a metric goes through (`horizontal.go computeReplicasForMetric`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricKind {
    /// Resource/ContainerResource `averageUtilization` → `GetResourceReplicas`.
    ResourceUtilization,
    /// Pods `averageValue`, Resource `averageValue` → `calcPlainMetricReplicas`.
    PodsAverageValue,
    /// Object `value` → `GetObjectMetricReplicas` (spec.replicas, ready pods).
    ObjectValue,
    /// Object `averageValue` → `GetObjectPerPodMetricReplicas` (status.replicas).
    ObjectAverageValue,
    /// External `value` → `GetExternalMetricReplicas`.
    ExternalValue,
    /// External `averageValue` → `GetExternalPerPodMetricReplicas` (status.replicas).
    ExternalAverageValue,
    /// A target the controller rejects at every sync (e.g. Resource with `value`).
    Invalid,
}

/// How the metric values reach the HPA in milli-units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MilliConv {
    /// A Kubernetes Quantity: `MilliValue()` (ceil).
    Quantity,
    /// KEDA's metrics adapter: `%.3f` then Quantity (round to nearest milli).
    Keda,
}

impl MilliConv {
    fn apply(self, x: f64) -> i64 {
        match self {
            MilliConv::Quantity => milli_value(x),
            MilliConv::Keda => keda_milli(x),
        }
    }
}

/// One metric of the HPA spec, resolved to what the calculator needs.
#[derive(Debug, Clone, PartialEq)]
pub struct HpaMetric {
    pub kind: MetricKind,
    /// The target as written (percent for utilization), for reporting.
    pub target: f64,
    /// `target.*.MilliValue()` (or KEDA's `%.3f` conversion).
    pub target_milli: i64,
    /// `averageUtilization` (int32 percent).
    pub target_utilization: i32,
    /// The CPU readiness rules of `groupPods` apply.
    pub is_cpu: bool,
    pub conv: MilliConv,
}

impl HpaMetric {
    /// Resolve a model metric. `keda`: the metric is served by KEDA's metrics adapter.
    pub fn from_model(m: &Metric, keda: bool) -> Self {
        let tt = m.target.target_type;
        let target = m.target.value.value;
        let is_resource = matches!(
            m.source,
            MetricSource::Resource
                | MetricSource::ContainerResource { .. }
                | MetricSource::AibrixResource
                | MetricSource::KedaResource
        );
        let external = matches!(
            m.source,
            MetricSource::External
                | MetricSource::KedaPrometheus { .. }
                | MetricSource::KedaScaler { .. }
                | MetricSource::KedaCron(_)
                | MetricSource::AibrixExternal { .. }
        );
        let kind = if is_resource {
            match tt {
                TargetType::Utilization => MetricKind::ResourceUtilization,
                TargetType::AverageValue => MetricKind::PodsAverageValue,
                TargetType::Value => MetricKind::Invalid,
            }
        } else if let MetricSource::Object { .. } = m.source {
            match tt {
                TargetType::Value => MetricKind::ObjectValue,
                TargetType::AverageValue => MetricKind::ObjectAverageValue,
                TargetType::Utilization => MetricKind::Invalid,
            }
        } else if external {
            match tt {
                TargetType::Value => MetricKind::ExternalValue,
                TargetType::AverageValue => MetricKind::ExternalAverageValue,
                TargetType::Utilization => MetricKind::Invalid,
            }
        } else {
            // Pods metrics (and per-pod metrics of other families) take `averageValue`.
            match tt {
                TargetType::Utilization => MetricKind::Invalid,
                _ => MetricKind::PodsAverageValue,
            }
        };
        let conv = if keda && !is_resource {
            MilliConv::Keda
        } else {
            MilliConv::Quantity
        };
        let target_utilization = if target.is_finite() {
            target
                .round()
                .clamp(f64::from(i32::MIN), f64::from(i32::MAX)) as i32
        } else {
            0
        };
        HpaMetric {
            kind,
            target,
            target_milli: conv.apply(target),
            target_utilization,
            is_cpu: is_resource && m.name.value.eq_ignore_ascii_case("cpu"),
            conv,
        }
    }
}

/// A pod's request in the utilization model: each pod requests 1000m, so `per_pod` percent
/// is `per_pod × 10` milli of usage.
pub const MODEL_POD_REQUEST_MILLI: i64 = 1000;
/// Offset added to simulated time inside the calculator so that pods ready at the start of the
/// simulation are past `--horizontal-pod-autoscaler-cpu-initialization-period`.
const POD_AGE_OFFSET: Millis = 24 * 3_600_000;
/// metrics-server's default collection window.
const METRIC_WINDOW: Millis = 30_000;

/// The metric step's output for one metric.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MetricOutcome {
    pub proposal: Proposal,
    /// The usage in the metric's unit (percent, per-pod average or total).
    pub observed: f64,
    pub target: f64,
}

impl MetricOutcome {
    /// A proposal whose usage and target are in milli-units (values and averages).
    fn in_milli(proposal: Proposal, target_milli: i64) -> Self {
        MetricOutcome {
            proposal,
            observed: proposal.usage as f64 / 1000.0,
            target: target_milli as f64 / 1000.0,
        }
    }
}

/// Compute one metric's proposal from what the simulator shows.
///
/// Pods: the `ready` pods are Running/Ready (long past their CPU initialisation period); the
/// `replicas − ready` starting pods are Pending (unready, no metric). `reading.reporting` ready
/// pods report `per_pod`; the other ready pods are "missing".
#[allow(clippy::too_many_arguments)]
pub fn metric_from_view(
    metric: &HpaMetric,
    reading: &MetricReading,
    params: &HpaParams,
    tol: &Tolerances,
    t: Millis,
    current: i32,
    status_replicas: i32,
    ready: u32,
) -> Result<MetricOutcome, CalcError> {
    let replicas = u32::try_from(status_replicas.max(0)).unwrap_or(0);
    let ready = ready.min(replicas);
    let now = t.saturating_add(POD_AGE_OFFSET);
    let cfg = CalcConfig {
        now,
        cpu_initialization_period: params.cpu_initialization_period.value,
        initial_readiness_delay: params.initial_readiness_delay.value,
        tolerances: *tol,
    };
    let reporting = reading.reporting.min(ready);
    let per_pod = if reading.per_pod.is_finite() {
        reading.per_pod
    } else {
        0.0
    };
    let total = if reading.total.is_finite() {
        reading.total
    } else {
        0.0
    };
    // The pods as three homogeneous groups (the simulator can hold billions of pods, so the
    // calculator works on counts): ready pods reporting `value`, ready pods without a sample
    // ("missing"), and starting pods (Pending: unready, no sample).
    let groups = |value: i64| {
        let ready_pod = Pod::running_ready(0, 0, Some(MODEL_POD_REQUEST_MILLI));
        [
            PodGroup {
                pod: ready_pod,
                sample: Some(Sample {
                    pod: 0,
                    value_milli: value,
                    timestamp: now,
                    window: METRIC_WINDOW,
                }),
                count: u64::from(reporting),
            },
            PodGroup {
                pod: ready_pod,
                sample: None,
                count: u64::from(ready - reporting),
            },
            PodGroup {
                pod: Pod {
                    id: 0,
                    phase: PodPhase::Pending,
                    deleting: false,
                    ready: Some(ReadyCondition {
                        status: ConditionStatus::False,
                        last_transition: now,
                    }),
                    start_time: None,
                    request_milli: Some(MODEL_POD_REQUEST_MILLI),
                },
                sample: None,
                count: u64::from(replicas - ready),
            },
        ]
    };
    match metric.kind {
        MetricKind::ResourceUtilization => {
            let value = milli_value(per_pod * MODEL_POD_REQUEST_MILLI as f64 / 100_000.0);
            let p = replica_calculator::resource_utilization_replicas_grouped(
                &cfg,
                current,
                metric.target_utilization,
                metric.is_cpu,
                &groups(value),
            )?;
            return Ok(MetricOutcome {
                proposal: p,
                observed: p.usage as f64,
                target: f64::from(metric.target_utilization),
            });
        }
        MetricKind::PodsAverageValue => replica_calculator::plain_metric_replicas_grouped(
            &cfg,
            current,
            metric.target_milli,
            metric.is_cpu,
            &groups(metric.conv.apply(per_pod)),
        ),
        MetricKind::ObjectValue | MetricKind::ExternalValue => {
            replica_calculator::object_value_replicas(
                tol,
                current,
                metric.target_milli,
                metric.conv.apply(total),
                &groups(0),
            )
        }
        MetricKind::ObjectAverageValue | MetricKind::ExternalAverageValue => {
            replica_calculator::per_pod_replicas(
                tol,
                status_replicas,
                metric.target_milli,
                metric.conv.apply(total),
            )
        }
        MetricKind::Invalid => Err(CalcError::InvalidTarget),
    }
    .map(|p| MetricOutcome::in_milli(p, metric.target_milli))
}

/// `computeReplicasForMetrics`: the max over valid proposals (the first one taken while the
/// running max is 0). `None`: every metric failed, or some failed and the valid max is below
/// `spec_replicas` (no scale-down on partial data): `None`.
pub fn combine_proposals(
    outcomes: &[Result<MetricOutcome, CalcError>],
    spec_replicas: i32,
) -> Option<MetricOutcome> {
    combine_proposals_indexed(outcomes, spec_replicas).map(|(_, m)| m)
}

/// [`combine_proposals`] with the index of the metric whose proposal won.
///
/// Upstream (kubernetes/kubernetes v1.34 `pkg/controller/podautoscaler/horizontal.go`,
/// `computeReplicasForMetrics`): metrics are read in spec order; an error counts the metric
/// invalid and skips it; a valid proposal replaces the running `replicas` when `replicas == 0`
/// or it is strictly larger (so ties keep the earlier metric, and a later metric replaces a
/// first proposal of 0). Then, "if all metrics are invalid or some are invalid and we would
/// scale down" (`invalidMetricsCount >= len(metricSpecs) || (invalidMetricsCount > 0 &&
/// replicas < specReplicas)`), it returns -1 and an error, and `reconcileAutoscaler` keeps the
/// replica count (condition `ScalingActive=False`). Pinned by the multi-metric cases of
/// `horizontal_test.go` (`TestScaleUpOneMetricInvalid`, `TestScaleUpFromZeroOneMetricInvalid`,
/// `TestScaleUpBothMetricsEmpty`) and the rule's own cases in `core/tests/it/multi_metric.rs`.
pub fn combine_proposals_indexed(
    outcomes: &[Result<MetricOutcome, CalcError>],
    spec_replicas: i32,
) -> Option<(usize, MetricOutcome)> {
    let mut best: Option<(usize, MetricOutcome)> = None;
    let mut invalid = 0usize;
    for (i, o) in outcomes.iter().enumerate() {
        match o {
            Err(_) => invalid += 1,
            Ok(m) => match best {
                Some((_, b))
                    if !(b.proposal.replicas == 0 || m.proposal.replicas > b.proposal.replicas) => {
                }
                _ => best = Some((i, *m)),
            },
        }
    }
    let replicas = best.map(|(_, b)| b.proposal.replicas).unwrap_or(0);
    if invalid >= outcomes.len() || (invalid > 0 && replicas < spec_replicas) {
        return None;
    }
    best
}

/// One HPA object's controller state and spec.
#[derive(Debug, Clone)]
pub struct HpaEngine {
    pub min_replicas: i32,
    pub max_replicas: i32,
    pub params: HpaParams,
    pub metrics: Vec<HpaMetric>,
    pub recommendations: Vec<Recommendation>,
    pub up_events: Vec<ScaleEvent>,
    pub down_events: Vec<ScaleEvent>,
    initialized: bool,
    /// The metric whose proposal the last reconcile took ([`combine_proposals_indexed`]).
    pub last_metric: Option<usize>,
}

fn to_i32(x: u32) -> i32 {
    i32::try_from(x).unwrap_or(i32::MAX)
}

fn to_u32(x: i32) -> u32 {
    u32::try_from(x.max(0)).unwrap_or(0)
}

impl HpaEngine {
    pub fn new(min: u32, max: u32, params: HpaParams, metrics: Vec<HpaMetric>) -> Self {
        HpaEngine {
            min_replicas: to_i32(min),
            max_replicas: to_i32(max),
            params,
            metrics,
            recommendations: Vec::new(),
            up_events: Vec::new(),
            down_events: Vec::new(),
            initialized: false,
            last_metric: None,
        }
    }

    fn tolerances(&self) -> Tolerances {
        Tolerances {
            scale_down: self.params.tolerance_down.value,
            scale_up: self.params.tolerance_up.value,
        }
    }

    /// `reconcileAutoscaler` at `view.t` with `spec.replicas = status.replicas = view.replicas`.
    pub fn reconcile(&mut self, view: &ClusterView<'_>) -> Decision {
        let now = view.t;
        let current = to_i32(view.replicas);
        self.last_metric = None;
        // recordInitialRecommendation
        if !self.initialized {
            self.initialized = true;
            if self.recommendations.is_empty() {
                self.recommendations.push(Recommendation {
                    replicas: current,
                    at: now,
                });
            }
        }
        let min = self.min_replicas;
        let max = self.max_replicas;
        let (desired, desired_raw, observed, reason) = if current == 0 && min != 0 {
            return Decision {
                observed: f64::NAN,
                desired_raw: 0,
                desired: 0,
                mode: Mode::Inactive,
                reason: Reason::ScalingDisabledAtZero,
            };
        } else if current > max {
            (max, max, f64::NAN, Reason::MaxReplicas { max: to_u32(max) })
        } else if current < min {
            (min, min, f64::NAN, Reason::MinReplicas { min: to_u32(min) })
        } else {
            let tol = self.tolerances();
            let outcomes: Vec<Result<MetricOutcome, CalcError>> = self
                .metrics
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    let reading = view.metrics.get(i).copied().unwrap_or(MetricReading {
                        total: 0.0,
                        per_pod: 0.0,
                        reporting: 0,
                    });
                    if reading.failed() {
                        return Err(CalcError::MetricUnavailable);
                    }
                    metric_from_view(
                        m,
                        &reading,
                        &self.params,
                        &tol,
                        now,
                        current,
                        current,
                        view.ready,
                    )
                })
                .collect();
            let Some((best_index, best)) = combine_proposals_indexed(&outcomes, current) else {
                return Decision {
                    observed: f64::NAN,
                    desired_raw: view.replicas,
                    desired: view.replicas,
                    mode: Mode::Stable,
                    reason: Reason::NoMetrics,
                };
            };
            let proposal = best.proposal.replicas.max(0);
            self.last_metric = Some(best_index);
            let metric_reason = if best.proposal.held && proposal == current {
                match best.proposal.new_ratio {
                    // Held after filling in unready/missing pods: inside the band at the new
                    // ratio, or the direction flipped.
                    Some(new_ratio) if tol.is_within(new_ratio) => {
                        Reason::Tolerance { ratio: new_ratio }
                    }
                    Some(new_ratio) => Reason::DirectionFlipHold {
                        ratio: best.proposal.ratio,
                        new_ratio,
                    },
                    None => Reason::Tolerance {
                        ratio: best.proposal.ratio,
                    },
                }
            } else {
                Reason::Metric {
                    observed: best.observed,
                    target: best.target,
                }
            };
            let (desired, reason) = self.normalize(now, current, proposal, metric_reason);
            (desired, proposal, best.observed, reason)
        };
        if desired != current {
            normalize::store_scale_event(
                self.params.behavior.as_ref(),
                &mut self.up_events,
                &mut self.down_events,
                current,
                desired,
                now,
            );
        }
        Decision {
            observed,
            desired_raw: to_u32(desired_raw),
            desired: to_u32(desired),
            mode: Mode::Stable,
            reason,
        }
    }

    /// `normalizeDesiredReplicas` or `normalizeDesiredReplicasWithBehaviors`, with the rule that
    /// decided.
    fn normalize(
        &mut self,
        now: Millis,
        current: i32,
        proposal: i32,
        metric_reason: Reason,
    ) -> (i32, Reason) {
        let min = self.min_replicas;
        let max = self.max_replicas;
        match &self.params.behavior {
            None => {
                let stabilized = normalize::stabilize_legacy(
                    &mut self.recommendations,
                    now,
                    self.params.downscale_stabilization.value,
                    proposal,
                );
                let (desired, limit) = normalize::convert_with_rules(current, stabilized, min, max);
                let reason = match limit {
                    Limit::TooFewReplicas => Reason::MinReplicas { min: to_u32(min) },
                    Limit::TooManyReplicas => Reason::MaxReplicas { max: to_u32(max) },
                    Limit::ScaleUpLimit => Reason::MaxScaleUpRate {
                        limit: to_u32(desired),
                    },
                    _ if stabilized != proposal => Reason::StabilizationWindow {
                        held: to_u32(stabilized),
                    },
                    _ => metric_reason,
                };
                (desired, reason)
            }
            Some(behavior) => {
                let stabilized = normalize::stabilize_with_behaviors(
                    &mut self.recommendations,
                    now,
                    current,
                    proposal,
                    behavior.scale_up.stabilization_window.value,
                    behavior.scale_down.stabilization_window.value,
                );
                let (desired, limit) = normalize::convert_with_behavior_rate(
                    current,
                    stabilized,
                    min,
                    max,
                    &self.up_events,
                    &self.down_events,
                    behavior,
                    now,
                );
                use crate::model::SelectPolicy::Disabled;
                let reason = match limit {
                    Limit::TooFewReplicas => Reason::MinReplicas { min: to_u32(min) },
                    Limit::TooManyReplicas => Reason::MaxReplicas { max: to_u32(max) },
                    Limit::ScaleUpLimit if behavior.scale_up.select_policy.value == Disabled => {
                        Reason::ScalingDisabledByPolicy
                    }
                    Limit::ScaleDownLimit
                        if behavior.scale_down.select_policy.value == Disabled =>
                    {
                        Reason::ScalingDisabledByPolicy
                    }
                    Limit::ScaleUpLimit => Reason::ScaleUpPolicy {
                        limit: to_u32(desired),
                    },
                    Limit::ScaleDownLimit => Reason::ScaleDownPolicy {
                        limit: to_u32(desired),
                    },
                    Limit::DesiredWithinRange if stabilized != proposal => {
                        Reason::StabilizationWindow {
                            held: to_u32(stabilized),
                        }
                    }
                    Limit::DesiredWithinRange => metric_reason,
                };
                (desired, reason)
            }
        }
    }
}

/// The HPA controller loop: a sync every `sync_period`, the first at t = 0.
pub struct HpaController {
    next: Millis,
    period: Millis,
    engine: HpaEngine,
}

impl HpaController {
    /// The controller for `autoscaler` with its HPA settings `params`.
    pub fn new(autoscaler: &Autoscaler, params: &HpaParams) -> Self {
        let params = params.clone();
        let metrics = autoscaler
            .metrics
            .iter()
            .map(|m| HpaMetric::from_model(m, false))
            .collect();
        let period = params.sync_period.value.max(1);
        HpaController {
            next: 0,
            period,
            engine: HpaEngine::new(
                autoscaler.min_replicas.value,
                autoscaler.max_replicas.value,
                params,
                metrics,
            ),
        }
    }

    pub fn engine(&self) -> &HpaEngine {
        &self.engine
    }
}

impl Controller for HpaController {
    fn next_wake(&self) -> Millis {
        self.next
    }

    fn wake(&mut self, view: &ClusterView<'_>) -> Option<Decision> {
        // Fixed-interval requeue (`rate_limiters.go NewDefaultHPARateLimiter`).
        self.next = self.next.saturating_add(self.period);
        if self.next <= view.t {
            self.next = view.t.saturating_add(self.period);
        }
        Some(self.engine.reconcile(view))
    }

    fn deciding_metric(&self) -> Option<usize> {
        self.engine.last_metric
    }
}
