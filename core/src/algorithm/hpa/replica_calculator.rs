//! The HPA replica calculator: per-metric replica proposals from pods and metric samples.
//!
//! Upstream: kubernetes/kubernetes v1.34 `pkg/controller/podautoscaler/replica_calculator.go`
//! (`GetResourceReplicas`, `calcPlainMetricReplicas`, `getUsageRatioReplicaCount`,
//! `GetObjectPerPodMetricReplicas`, `GetExternal[PerPod]MetricReplicas`, `groupPods`,
//! `Tolerances.isWithin`) and `pkg/controller/podautoscaler/metrics/utilization.go`
//! (`GetResourceUtilizationRatio` with its exact big-integer totals, `GetMetricUsageRatio`).
//!
//! All values are integer milli-units (`Quantity.MilliValue()`), as upstream. Pods are identified
//! by a numeric id; a metric sample whose id matches no pod is an "extraneous" sample (upstream
//! keeps it for plain metrics and ignores it for utilization).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use super::milli::ceil_i32;
use crate::model::Millis;

/// Per-direction tolerance (`replica_calculator.go Tolerances`, KEP-4951).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tolerances {
    pub scale_down: f64,
    pub scale_up: f64,
}

impl Tolerances {
    pub const fn symmetric(t: f64) -> Self {
        Tolerances {
            scale_down: t,
            scale_up: t,
        }
    }

    /// `(1 − scaleDown) ≤ r ≤ (1 + scaleUp)`, inclusive on both ends.
    pub fn is_within(&self, ratio: f64) -> bool {
        (1.0 - self.scale_down) <= ratio && ratio <= (1.0 + self.scale_up)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PodPhase {
    Pending,
    Running,
    Succeeded,
    Failed,
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConditionStatus {
    True,
    False,
    Unknown,
}

/// The pod's `Ready` condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadyCondition {
    pub status: ConditionStatus,
    pub last_transition: Millis,
}

/// What the calculator needs to know about one pod.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pod {
    pub id: u32,
    pub phase: PodPhase,
    /// `metadata.deletionTimestamp` is set.
    pub deleting: bool,
    /// `None`: the pod has no `Ready` condition.
    pub ready: Option<ReadyCondition>,
    /// `status.startTime`.
    pub start_time: Option<Millis>,
    /// Σ container requests of the resource in milli-units; `None`: a container has no request
    /// (an error for utilization targets).
    pub request_milli: Option<i64>,
}

impl Pod {
    /// A Running pod with `Ready=True` since `since`, started at `since`.
    pub fn running_ready(id: u32, since: Millis, request_milli: Option<i64>) -> Self {
        Pod {
            id,
            phase: PodPhase::Running,
            deleting: false,
            ready: Some(ReadyCondition {
                status: ConditionStatus::True,
                last_transition: since,
            }),
            start_time: Some(since),
            request_milli,
        }
    }
}

/// One pod's metric sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub pod: u32,
    pub value_milli: i64,
    pub timestamp: Millis,
    /// The metric's collection window (metrics-server: typically 30 s).
    pub window: Millis,
}

/// Controller flags the calculator uses (`replica_calculator.go ReplicaCalculator`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CalcConfig {
    pub now: Millis,
    pub cpu_initialization_period: Millis,
    pub initial_readiness_delay: Millis,
    pub tolerances: Tolerances,
}

/// Why a metric could not produce a proposal (upstream error texts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalcError {
    NoPods,
    NoMetricsForTargetedPods,
    NoMetricsMatchedKnownPods,
    MissingRequest,
    InvalidTarget,
}

impl fmt::Display for CalcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CalcError::NoPods => "no pods returned by selector while calculating replica count",
            CalcError::NoMetricsForTargetedPods => {
                "did not receive metrics for targeted pods (pods might be unready)"
            }
            CalcError::NoMetricsMatchedKnownPods => "no metrics returned matched known pods",
            CalcError::MissingRequest => "missing request for resource",
            CalcError::InvalidTarget => "invalid metric target",
        })
    }
}

/// A metric's proposal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Proposal {
    pub replicas: i32,
    /// What the metric step reports as current usage: the utilization percent for utilization
    /// targets, the per-pod average (milli) for average values, the total (milli) for values.
    pub usage: i64,
    /// Raw per-pod average (milli) for utilization targets (`rawUtilization`); else = `usage`.
    pub raw_usage: i64,
    /// The first usage ratio (usage / target).
    pub ratio: f64,
    /// The calculator returned the current count because of the tolerance band or a direction
    /// flip (not because the arithmetic happened to land on it).
    pub held: bool,
}

/// `groupPods`: (readyPodCount, unready, missing, ignored).
fn group_pods(
    pods: &[Pod],
    metrics: &BTreeMap<u32, Sample>,
    is_cpu: bool,
    cfg: &CalcConfig,
) -> (usize, BTreeSet<u32>, BTreeSet<u32>, BTreeSet<u32>) {
    let mut ready = 0usize;
    let mut unready = BTreeSet::new();
    let mut missing = BTreeSet::new();
    let mut ignored = BTreeSet::new();
    for pod in pods {
        if pod.deleting || pod.phase == PodPhase::Failed {
            ignored.insert(pod.id);
            continue;
        }
        if pod.phase == PodPhase::Pending {
            unready.insert(pod.id);
            continue;
        }
        let Some(sample) = metrics.get(&pod.id) else {
            missing.insert(pod.id);
            continue;
        };
        if is_cpu {
            let is_unready = match (pod.ready, pod.start_time) {
                (Some(cond), Some(start)) => {
                    if start.saturating_add(cfg.cpu_initialization_period) > cfg.now {
                        cond.status == ConditionStatus::False
                            || sample.timestamp < cond.last_transition.saturating_add(sample.window)
                    } else {
                        cond.status == ConditionStatus::False
                            && start.saturating_add(cfg.initial_readiness_delay)
                                > cond.last_transition
                    }
                }
                _ => true,
            };
            if is_unready {
                unready.insert(pod.id);
                continue;
            }
        }
        ready += 1;
    }
    (ready, unready, missing, ignored)
}

/// `GetResourceUtilizationRatio` with exact totals and the int32 clamp of the newest
/// `utilization.go`. Returns (ratio, utilization %, raw average milli).
pub fn resource_utilization_ratio(
    metrics: &BTreeMap<u32, i64>,
    requests: &BTreeMap<u32, i64>,
    target_utilization: i32,
) -> Result<(f64, i32, i64), CalcError> {
    let mut metrics_total: i128 = 0;
    let mut requests_total: i128 = 0;
    let mut n: i128 = 0;
    for (pod, value) in metrics {
        if let Some(req) = requests.get(pod) {
            metrics_total += i128::from(*value);
            requests_total += i128::from(*req);
            n += 1;
        }
    }
    if requests_total == 0 {
        return Err(CalcError::NoMetricsMatchedKnownPods);
    }
    let pct = (metrics_total * 100) / requests_total;
    let utilization = pct.clamp(i128::from(i32::MIN), i128::from(i32::MAX)) as i32;
    let raw = if n > 0 {
        (metrics_total / n).clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
    } else {
        0
    };
    Ok((
        f64::from(utilization) / f64::from(target_utilization),
        utilization,
        raw,
    ))
}

/// `GetMetricUsageRatio`: (ratio, average milli with int64 truncation).
pub fn metric_usage_ratio(metrics: &BTreeMap<u32, i64>, target: i64) -> (f64, i64) {
    let total: i128 = metrics.values().map(|v| i128::from(*v)).sum();
    let len = metrics.len().max(1) as i128;
    let usage = (total / len).clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64;
    (usage as f64 / target as f64, usage)
}

fn samples_map(samples: &[Sample]) -> BTreeMap<u32, Sample> {
    samples.iter().map(|s| (s.pod, *s)).collect()
}

/// `GetResourceReplicas`: a Resource/ContainerResource metric with an `averageUtilization`
/// target. `is_cpu` enables the CPU readiness rules of `groupPods`.
pub fn resource_utilization_replicas(
    cfg: &CalcConfig,
    current: i32,
    target_utilization: i32,
    is_cpu: bool,
    pods: &[Pod],
    samples: &[Sample],
) -> Result<Proposal, CalcError> {
    if target_utilization == 0 {
        return Err(CalcError::InvalidTarget);
    }
    if pods.is_empty() {
        return Err(CalcError::NoPods);
    }
    let all = samples_map(samples);
    let (ready_count, unready, missing, ignored) = group_pods(pods, &all, is_cpu, cfg);
    let mut metrics: BTreeMap<u32, i64> = all
        .iter()
        .filter(|(id, _)| !ignored.contains(id) && !unready.contains(id))
        .map(|(id, s)| (*id, s.value_milli))
        .collect();
    if metrics.is_empty() {
        return Err(CalcError::NoMetricsForTargetedPods);
    }
    let mut requests = BTreeMap::new();
    for pod in pods {
        requests.insert(pod.id, pod.request_milli.ok_or(CalcError::MissingRequest)?);
    }
    let (ratio, utilization, raw) =
        resource_utilization_ratio(&metrics, &requests, target_utilization)?;
    let proposal = |replicas: i32, held: bool| Proposal {
        replicas,
        usage: i64::from(utilization),
        raw_usage: raw,
        ratio,
        held,
    };
    let tol = &cfg.tolerances;
    let scale_up_with_unready = !unready.is_empty() && ratio > 1.0;
    if !scale_up_with_unready && missing.is_empty() {
        if tol.is_within(ratio) {
            return Ok(proposal(current, true));
        }
        return Ok(proposal(ceil_i32(ratio * ready_count as f64), false));
    }
    if !missing.is_empty() {
        if ratio < 1.0 {
            // Newest rule: max(100 %, target %) of the request.
            let fallback = i64::from(target_utilization.max(100));
            for id in &missing {
                let req = requests.get(id).copied().unwrap_or(0);
                let v = (i128::from(req) * i128::from(fallback) / 100)
                    .clamp(i128::from(i64::MIN), i128::from(i64::MAX))
                    as i64;
                metrics.insert(*id, v);
            }
        } else if ratio > 1.0 {
            for id in &missing {
                metrics.insert(*id, 0);
            }
        }
    }
    if scale_up_with_unready {
        for id in &unready {
            metrics.insert(*id, 0);
        }
    }
    let (new_ratio, _, _) = resource_utilization_ratio(&metrics, &requests, target_utilization)?;
    if tol.is_within(new_ratio)
        || (ratio < 1.0 && new_ratio > 1.0)
        || (ratio > 1.0 && new_ratio < 1.0)
    {
        return Ok(proposal(current, true));
    }
    let new_replicas = ceil_i32(new_ratio * metrics.len() as f64);
    if (new_ratio < 1.0 && new_replicas > current) || (new_ratio > 1.0 && new_replicas < current) {
        return Ok(proposal(current, true));
    }
    Ok(proposal(new_replicas, false))
}

/// `calcPlainMetricReplicas`: Pods metrics and Resource `averageValue` targets (milli per pod).
/// `is_cpu` is true only for a Resource cpu metric (`GetRawResourceReplicas`).
pub fn plain_metric_replicas(
    cfg: &CalcConfig,
    current: i32,
    target_milli: i64,
    is_cpu: bool,
    pods: &[Pod],
    samples: &[Sample],
) -> Result<Proposal, CalcError> {
    if target_milli == 0 {
        return Err(CalcError::InvalidTarget);
    }
    if pods.is_empty() {
        return Err(CalcError::NoPods);
    }
    let all = samples_map(samples);
    let (ready_count, unready, missing, ignored) = group_pods(pods, &all, is_cpu, cfg);
    let mut metrics: BTreeMap<u32, i64> = all
        .iter()
        .filter(|(id, _)| !ignored.contains(id) && !unready.contains(id))
        .map(|(id, s)| (*id, s.value_milli))
        .collect();
    if metrics.is_empty() {
        return Err(CalcError::NoMetricsForTargetedPods);
    }
    let (ratio, usage) = metric_usage_ratio(&metrics, target_milli);
    let proposal = |replicas: i32, held: bool| Proposal {
        replicas,
        usage,
        raw_usage: usage,
        ratio,
        held,
    };
    let tol = &cfg.tolerances;
    let scale_up_with_unready = !unready.is_empty() && ratio > 1.0;
    if !scale_up_with_unready && missing.is_empty() {
        if tol.is_within(ratio) {
            return Ok(proposal(current, true));
        }
        return Ok(proposal(ceil_i32(ratio * ready_count as f64), false));
    }
    if !missing.is_empty() {
        if ratio < 1.0 {
            for id in &missing {
                metrics.insert(*id, target_milli);
            }
        } else if ratio > 1.0 {
            for id in &missing {
                metrics.insert(*id, 0);
            }
        }
    }
    if scale_up_with_unready {
        for id in &unready {
            metrics.insert(*id, 0);
        }
    }
    let (new_ratio, _) = metric_usage_ratio(&metrics, target_milli);
    if tol.is_within(new_ratio)
        || (ratio < 1.0 && new_ratio > 1.0)
        || (ratio > 1.0 && new_ratio < 1.0)
    {
        return Ok(proposal(current, true));
    }
    let new_replicas = ceil_i32(new_ratio * metrics.len() as f64);
    if (new_ratio < 1.0 && new_replicas > current) || (new_ratio > 1.0 && new_replicas < current) {
        return Ok(proposal(current, true));
    }
    Ok(proposal(new_replicas, false))
}

/// `getReadyPodsCount`: pods Running with `Ready=True`; an error when there are no pods.
pub fn ready_pods_count(pods: &[Pod]) -> Result<i64, CalcError> {
    if pods.is_empty() {
        return Err(CalcError::NoPods);
    }
    Ok(pods
        .iter()
        .filter(|p| {
            p.phase == PodPhase::Running
                && p.ready.is_some_and(|c| c.status == ConditionStatus::True)
        })
        .count() as i64)
}

/// `getUsageRatioReplicaCount` (Object and External `Value` targets).
fn usage_ratio_replica_count(
    tol: &Tolerances,
    current: i32,
    ratio: f64,
    pods: &[Pod],
) -> Result<(i32, bool), CalcError> {
    if current != 0 {
        if tol.is_within(ratio) {
            return Ok((current, true));
        }
        let ready = ready_pods_count(pods)?;
        let f = ratio * ready as f64;
        if f > f64::from(i32::MAX) {
            return Ok((i32::MAX, false));
        }
        Ok((ceil_i32(f), false))
    } else {
        Ok((ceil_i32(ratio), false))
    }
}

/// `GetObjectMetricReplicas`: an Object metric with a `value` target.
pub fn object_value_replicas(
    tol: &Tolerances,
    current: i32,
    target_milli: i64,
    usage_milli: i64,
    pods: &[Pod],
) -> Result<Proposal, CalcError> {
    if target_milli == 0 {
        return Err(CalcError::InvalidTarget);
    }
    let ratio = usage_milli as f64 / target_milli as f64;
    let (replicas, held) = usage_ratio_replica_count(tol, current, ratio, pods)?;
    Ok(Proposal {
        replicas,
        usage: usage_milli,
        raw_usage: usage_milli,
        ratio,
        held,
    })
}

/// `GetExternalMetricReplicas`: an External metric with a `value` target; `values` are the
/// returned series (summed, capped at `i64::MAX`).
pub fn external_value_replicas(
    tol: &Tolerances,
    current: i32,
    target_milli: i64,
    values: &[i64],
    pods: &[Pod],
) -> Result<Proposal, CalcError> {
    object_value_replicas(tol, current, target_milli, sum_series(values), pods)
}

fn sum_series(values: &[i64]) -> i64 {
    let mut usage: i64 = 0;
    for v in values {
        usage = usage.saturating_add(*v);
    }
    usage
}

/// `GetObjectPerPodMetricReplicas` / `GetExternalPerPodMetricReplicas`: `averageValue` targets
/// of Object/External metrics, against `status.replicas`. The reported usage is the per-pod
/// average `ceil(usage / statusReplicas)`.
pub fn per_pod_replicas(
    tol: &Tolerances,
    status_replicas: i32,
    target_per_pod_milli: i64,
    usage_milli: i64,
) -> Result<Proposal, CalcError> {
    if target_per_pod_milli == 0 {
        return Err(CalcError::InvalidTarget);
    }
    let ratio = usage_milli as f64 / (target_per_pod_milli as f64 * f64::from(status_replicas));
    let mut replicas = status_replicas;
    let mut held = true;
    if !tol.is_within(ratio) {
        let r = (usage_milli as f64 / target_per_pod_milli as f64).ceil();
        replicas = if r > f64::from(i32::MAX) {
            i32::MAX
        } else {
            r as i32
        };
        held = false;
    }
    let per_pod = if usage_milli as f64 >= i64::MAX as f64 {
        i64::MAX
    } else {
        // Go divides by a zero status count too (giving ±Inf → an undefined int64); we report 0.
        let x = (usage_milli as f64 / f64::from(status_replicas)).ceil();
        if x.is_finite() {
            x as i64
        } else {
            0
        }
    };
    Ok(Proposal {
        replicas,
        usage: per_pod,
        raw_usage: per_pod,
        ratio,
        held,
    })
}

/// `GetExternalPerPodMetricReplicas` with the series summed first.
pub fn external_per_pod_replicas(
    tol: &Tolerances,
    status_replicas: i32,
    target_per_pod_milli: i64,
    values: &[i64],
) -> Result<Proposal, CalcError> {
    per_pod_replicas(
        tol,
        status_replicas,
        target_per_pod_milli,
        sum_series(values),
    )
}
