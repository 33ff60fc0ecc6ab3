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
    /// The metrics API returned an error for the metric (a replayed outage): `horizontal.go`
    /// `computeReplicasForMetric` fails with "unable to get external metric" (or the custom
    /// metric's equivalent) and counts the metric invalid.
    MetricUnavailable,
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
            CalcError::MetricUnavailable => {
                "unable to get the metric: the metrics API returned an error"
            }
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
    /// The ratio recomputed with unready pods at 0 and missing pods filled in, when the
    /// calculator got that far (`newUsageRatio`).
    pub new_ratio: Option<f64>,
}

/// Which set `groupPods` puts a pod in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PodClass {
    Ignored,
    Unready,
    Missing,
    Ready,
}

/// `groupPods` for one pod: deleted/failed pods are ignored, Pending pods unready, pods without
/// a sample missing; for CPU, pods still initialising (or never ready) are unready.
fn classify(pod: &Pod, sample: Option<&Sample>, is_cpu: bool, cfg: &CalcConfig) -> PodClass {
    if pod.deleting || pod.phase == PodPhase::Failed {
        return PodClass::Ignored;
    }
    if pod.phase == PodPhase::Pending {
        return PodClass::Unready;
    }
    let Some(sample) = sample else {
        return PodClass::Missing;
    };
    if is_cpu {
        let is_unready = match (pod.ready, pod.start_time) {
            (Some(cond), Some(start)) => {
                if start.saturating_add(cfg.cpu_initialization_period) > cfg.now {
                    cond.status == ConditionStatus::False
                        || sample.timestamp < cond.last_transition.saturating_add(sample.window)
                } else {
                    cond.status == ConditionStatus::False
                        && start.saturating_add(cfg.initial_readiness_delay) > cond.last_transition
                }
            }
            _ => true,
        };
        if is_unready {
            return PodClass::Unready;
        }
    }
    PodClass::Ready
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
        match classify(pod, metrics.get(&pod.id), is_cpu, cfg) {
            PodClass::Ignored => {
                ignored.insert(pod.id);
            }
            PodClass::Unready => {
                unready.insert(pod.id);
            }
            PodClass::Missing => {
                missing.insert(pod.id);
            }
            PodClass::Ready => ready += 1,
        }
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
    utilization_ratio((metrics_total, requests_total, n), target_utilization)
}

/// `GetResourceUtilizationRatio`'s result from the usage and request totals of `n` pods:
/// (ratio, utilization % clamped to int32, raw average milli).
fn utilization_ratio(
    (metrics_total, requests_total, n): (i128, i128, i128),
    target_utilization: i32,
) -> Result<(f64, i32, i64), CalcError> {
    if requests_total == 0 {
        return Err(CalcError::NoMetricsMatchedKnownPods);
    }
    let pct = metrics_total.saturating_mul(100) / requests_total;
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

/// `GetMetricUsageRatio`'s result from the total of `len` pods: (ratio, average milli with
/// int64 truncation).
fn usage_ratio(total: i128, len: i128, target: i64) -> (f64, i64) {
    let usage = (total / len).clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64;
    (usage as f64 / target as f64, usage)
}

/// `GetMetricUsageRatio`: (ratio, average milli with int64 truncation).
pub fn metric_usage_ratio(metrics: &BTreeMap<u32, i64>, target: i64) -> (f64, i64) {
    let total: i128 = metrics.values().map(|v| i128::from(*v)).sum();
    usage_ratio(total, metrics.len().max(1) as i128, target)
}

fn samples_map(samples: &[Sample]) -> BTreeMap<u32, Sample> {
    samples.iter().map(|s| (s.pod, *s)).collect()
}

/// Pods sorted by `groupPods`, and the samples that count: those of pods neither ignored nor
/// unready (`removeMetricsForPods`).
struct Grouped {
    ready_count: usize,
    unready: BTreeSet<u32>,
    missing: BTreeSet<u32>,
    metrics: BTreeMap<u32, i64>,
}

/// The first steps shared by `GetResourceReplicas` and `calcPlainMetricReplicas`: fail on a
/// zero target (`zero_target`) or no pods, group the pods, drop the ignored and unready pods'
/// samples, and fail when none is left.
fn group_and_filter(
    cfg: &CalcConfig,
    zero_target: bool,
    is_cpu: bool,
    pods: &[Pod],
    samples: &[Sample],
) -> Result<Grouped, CalcError> {
    if zero_target {
        return Err(CalcError::InvalidTarget);
    }
    if pods.is_empty() {
        return Err(CalcError::NoPods);
    }
    let all = samples_map(samples);
    let (ready_count, unready, missing, ignored) = group_pods(pods, &all, is_cpu, cfg);
    let metrics: BTreeMap<u32, i64> = all
        .iter()
        .filter(|(id, _)| !ignored.contains(id) && !unready.contains(id))
        .map(|(id, s)| (*id, s.value_milli))
        .collect();
    if metrics.is_empty() {
        return Err(CalcError::NoMetricsForTargetedPods);
    }
    Ok(Grouped {
        ready_count,
        unready,
        missing,
        metrics,
    })
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
    let grouped = group_and_filter(cfg, target_utilization == 0, is_cpu, pods, samples)?;
    let mut requests = BTreeMap::new();
    for pod in pods {
        requests.insert(pod.id, pod.request_milli.ok_or(CalcError::MissingRequest)?);
    }
    let (ratio, utilization, raw) =
        resource_utilization_ratio(&grouped.metrics, &requests, target_utilization)?;
    let proposal = proposal_of(i64::from(utilization), raw, ratio);
    decide(
        &cfg.tolerances,
        current,
        ratio,
        grouped,
        // Newest rule: max(100 %, target %) of the request.
        |id| {
            let fallback = i64::from(target_utilization.max(100));
            let req = requests.get(&id).copied().unwrap_or(0);
            (i128::from(req) * i128::from(fallback) / 100)
                .clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
        },
        |m| Ok(resource_utilization_ratio(m, &requests, target_utilization)?.0),
        proposal,
    )
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
    let grouped = group_and_filter(cfg, target_milli == 0, is_cpu, pods, samples)?;
    let (ratio, usage) = metric_usage_ratio(&grouped.metrics, target_milli);
    let proposal = proposal_of(usage, usage, ratio);
    decide(
        &cfg.tolerances,
        current,
        ratio,
        grouped,
        |_| target_milli,
        |m| Ok(metric_usage_ratio(m, target_milli).0),
        proposal,
    )
}

/// The steps after the first usage ratio, which upstream writes out in both
/// `GetResourceReplicas` and `calcPlainMetricReplicas`: with every pod ready and reporting,
/// scale by the ratio unless it is within tolerance. Otherwise rebalance conservatively — pods
/// without a sample count as `missing_below(pod)` when scaling down and 0 when scaling up,
/// unready pods count as 0 when scaling up — recompute the ratio (`recompute`), and hold when
/// it is within tolerance, flips direction, or would move replicas against it.
fn decide(
    tol: &Tolerances,
    current: i32,
    ratio: f64,
    grouped: Grouped,
    missing_below: impl Fn(u32) -> i64,
    recompute: impl Fn(&BTreeMap<u32, i64>) -> Result<f64, CalcError>,
    proposal: impl Fn(i32, bool) -> Proposal,
) -> Result<Proposal, CalcError> {
    let Grouped {
        ready_count,
        unready,
        missing,
        mut metrics,
    } = grouped;
    let scale_up_with_unready = !unready.is_empty() && ratio > 1.0;
    let rebalance = scale_up_with_unready || !missing.is_empty();
    let at = (current, ready_count as f64);
    if let Some(p) = all_reporting(tol, at, ratio, rebalance, &proposal) {
        return Ok(p);
    }
    if ratio < 1.0 {
        for id in &missing {
            metrics.insert(*id, missing_below(*id));
        }
    } else if ratio > 1.0 {
        for id in &missing {
            metrics.insert(*id, 0);
        }
    }
    if scale_up_with_unready {
        for id in &unready {
            metrics.insert(*id, 0);
        }
    }
    let new_ratio = recompute(&metrics)?;
    let len = metrics.len() as f64;
    Ok(rebalanced(tol, current, (ratio, new_ratio), len, &proposal))
}

/// A proposal with the first ratio's usage (`new_ratio` none yet).
fn proposal_of(usage: i64, raw_usage: i64, ratio: f64) -> impl Fn(i32, bool) -> Proposal {
    move |replicas, held| Proposal {
        replicas,
        usage,
        raw_usage,
        ratio,
        held,
        new_ratio: None,
    }
}

/// Every pod ready and reporting (no `rebalance` needed: no pod missing, no unready pod on a
/// scale-up): scale by the ratio unless it is within tolerance, which both upstream
/// calculators return at once.
fn all_reporting(
    tol: &Tolerances,
    (current, ready): (i32, f64),
    ratio: f64,
    rebalance: bool,
    proposal: &impl Fn(i32, bool) -> Proposal,
) -> Option<Proposal> {
    if rebalance {
        None
    } else if tol.is_within(ratio) {
        Some(proposal(current, true))
    } else {
        Some(proposal(ceil_i32(ratio * ready), false))
    }
}

/// After the rebalance (`len` pods counted, `new_ratio` recomputed): hold when the new ratio
/// is within tolerance, flips direction, or would move replicas against it.
fn rebalanced(
    tol: &Tolerances,
    current: i32,
    (ratio, new_ratio): (f64, f64),
    len: f64,
    proposal: &impl Fn(i32, bool) -> Proposal,
) -> Proposal {
    let with_new_ratio = |replicas, held| Proposal {
        new_ratio: Some(new_ratio),
        ..proposal(replicas, held)
    };
    if tol.is_within(new_ratio)
        || (ratio < 1.0 && new_ratio > 1.0)
        || (ratio > 1.0 && new_ratio < 1.0)
    {
        return with_new_ratio(current, true);
    }
    let new_replicas = ceil_i32(new_ratio * len);
    if (new_ratio < 1.0 && new_replicas > current) || (new_ratio > 1.0 && new_replicas < current) {
        return with_new_ratio(current, true);
    }
    with_new_ratio(new_replicas, false)
}

/// `getReadyPodsCount`, on pods one by one or on [`PodGroup`]s: the pods Running with
/// `Ready=True`; an error when there are no pods.
pub trait ReadyPods: Sized {
    fn ready_pods_count(pods: &[Self]) -> Result<i64, CalcError>;
}

impl ReadyPods for Pod {
    fn ready_pods_count(pods: &[Pod]) -> Result<i64, CalcError> {
        if pods.is_empty() {
            return Err(CalcError::NoPods);
        }
        Ok(pods.iter().filter(|p| is_running_and_ready(p)).count() as i64)
    }
}

impl ReadyPods for PodGroup {
    fn ready_pods_count(groups: &[PodGroup]) -> Result<i64, CalcError> {
        if groups.iter().all(|g| g.count == 0) {
            return Err(CalcError::NoPods);
        }
        let n: u128 = groups
            .iter()
            .filter(|g| is_running_and_ready(&g.pod))
            .map(|g| u128::from(g.count))
            .sum();
        Ok(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

/// Running with `Ready=True` (what `getReadyPodsCount` counts).
fn is_running_and_ready(p: &Pod) -> bool {
    p.phase == PodPhase::Running && p.ready.is_some_and(|c| c.status == ConditionStatus::True)
}

/// `getUsageRatioReplicaCount` (Object and External `Value` targets).
fn usage_ratio_replica_count(
    tol: &Tolerances,
    current: i32,
    ratio: f64,
    ready_pods: impl FnOnce() -> Result<i64, CalcError>,
) -> Result<(i32, bool), CalcError> {
    if current != 0 {
        if tol.is_within(ratio) {
            return Ok((current, true));
        }
        let ready = ready_pods()?;
        let f = ratio * ready as f64;
        if f > f64::from(i32::MAX) {
            return Ok((i32::MAX, false));
        }
        Ok((ceil_i32(f), false))
    } else {
        Ok((ceil_i32(ratio), false))
    }
}

/// `GetObjectMetricReplicas`: an Object metric with a `value` target (on pods or pod groups).
pub fn object_value_replicas<P: ReadyPods>(
    tol: &Tolerances,
    current: i32,
    target_milli: i64,
    usage_milli: i64,
    pods: &[P],
) -> Result<Proposal, CalcError> {
    if target_milli == 0 {
        return Err(CalcError::InvalidTarget);
    }
    let ratio = usage_milli as f64 / target_milli as f64;
    let (replicas, held) =
        usage_ratio_replica_count(tol, current, ratio, || P::ready_pods_count(pods))?;
    Ok(proposal_of(usage_milli, usage_milli, ratio)(replicas, held))
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
    Ok(proposal_of(per_pod, per_pod, ratio)(replicas, held))
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

// ---- grouped pods ----
//
// The simulator's pods come in a few homogeneous groups (ready pods reporting the same value,
// ready pods without a sample, starting pods), possibly billions of them. The functions below
// are the same calculations as above on (pod, sample, count) groups, without a per-pod map;
// `grouped_matches_per_pod` checks that they agree with the per-pod versions.

/// `count` identical pods (same phase, readiness, times and request), each with `sample`'s
/// value, or each without a sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PodGroup {
    /// The pods' common fields (`id` is ignored).
    pub pod: Pod,
    pub sample: Option<Sample>,
    pub count: u64,
}

/// One metrics-map entry kind: `count` pods with `value` milli (and `request` milli).
#[derive(Debug, Clone, Copy)]
struct Entry {
    value: i64,
    request: i64,
    count: u64,
}

fn entries_len(entries: &[Entry]) -> u128 {
    entries.iter().map(|e| u128::from(e.count)).sum()
}

/// `GetResourceUtilizationRatio` over grouped entries (every entry has a request).
fn grouped_utilization_ratio(
    entries: &[Entry],
    target_utilization: i32,
) -> Result<(f64, i32, i64), CalcError> {
    let mut metrics_total: i128 = 0;
    let mut requests_total: i128 = 0;
    for e in entries {
        let n = i128::from(e.count);
        metrics_total = metrics_total.saturating_add(i128::from(e.value).saturating_mul(n));
        requests_total = requests_total.saturating_add(i128::from(e.request).saturating_mul(n));
    }
    let n = i128::try_from(entries_len(entries)).unwrap_or(i128::MAX);
    utilization_ratio((metrics_total, requests_total, n), target_utilization)
}

/// `GetMetricUsageRatio` over grouped entries.
fn grouped_usage_ratio(entries: &[Entry], target: i64) -> (f64, i64) {
    let mut total: i128 = 0;
    for e in entries {
        total = total.saturating_add(i128::from(e.value).saturating_mul(i128::from(e.count)));
    }
    let len = i128::try_from(entries_len(entries).max(1)).unwrap_or(i128::MAX);
    usage_ratio(total, len, target)
}

/// How the two plain/utilization calculators differ.
#[derive(Clone, Copy)]
enum GroupedKind {
    /// `averageUtilization` percent; missing pods on scale-down at max(100, target) % of request.
    Utilization(i32),
    /// Average value (milli); missing pods on scale-down at the target.
    Plain(i64),
}

fn grouped_replicas(
    cfg: &CalcConfig,
    current: i32,
    kind: GroupedKind,
    is_cpu: bool,
    groups: &[PodGroup],
) -> Result<Proposal, CalcError> {
    let invalid = match kind {
        GroupedKind::Utilization(t) => t == 0,
        GroupedKind::Plain(t) => t == 0,
    };
    if invalid {
        return Err(CalcError::InvalidTarget);
    }
    if groups.iter().all(|g| g.count == 0) {
        return Err(CalcError::NoPods);
    }
    let mut ready_count: u128 = 0;
    let mut entries: Vec<Entry> = Vec::new();
    let mut unready: Vec<&PodGroup> = Vec::new();
    let mut missing: Vec<&PodGroup> = Vec::new();
    for g in groups.iter().filter(|g| g.count > 0) {
        match classify(&g.pod, g.sample.as_ref(), is_cpu, cfg) {
            PodClass::Ignored => {}
            PodClass::Unready => unready.push(g),
            PodClass::Missing => missing.push(g),
            PodClass::Ready => {
                ready_count += u128::from(g.count);
                if let Some(sample) = g.sample {
                    entries.push(Entry {
                        value: sample.value_milli,
                        request: g.pod.request_milli.unwrap_or(0),
                        count: g.count,
                    });
                }
            }
        }
    }
    if entries.is_empty() {
        return Err(CalcError::NoMetricsForTargetedPods);
    }
    let ratio_of = |entries: &[Entry]| -> Result<(f64, i64, i64), CalcError> {
        match kind {
            GroupedKind::Utilization(t) => {
                let (r, u, raw) = grouped_utilization_ratio(entries, t)?;
                Ok((r, i64::from(u), raw))
            }
            GroupedKind::Plain(t) => {
                let (r, u) = grouped_usage_ratio(entries, t);
                Ok((r, u, u))
            }
        }
    };
    if matches!(kind, GroupedKind::Utilization(_))
        && groups
            .iter()
            .any(|g| g.count > 0 && g.pod.request_milli.is_none())
    {
        return Err(CalcError::MissingRequest);
    }
    let (ratio, usage, raw_usage) = ratio_of(&entries)?;
    let proposal = proposal_of(usage, raw_usage, ratio);
    let tol = &cfg.tolerances;
    let scale_up_with_unready = !unready.is_empty() && ratio > 1.0;
    let rebalance = scale_up_with_unready || !missing.is_empty();
    let at = (current, ready_count as f64);
    if let Some(p) = all_reporting(tol, at, ratio, rebalance, &proposal) {
        return Ok(p);
    }
    for g in &missing {
        let request = g.pod.request_milli.unwrap_or(0);
        let value = if ratio < 1.0 {
            match kind {
                GroupedKind::Utilization(t) => (i128::from(request) * i128::from(t.max(100)) / 100)
                    .clamp(i128::from(i64::MIN), i128::from(i64::MAX))
                    as i64,
                GroupedKind::Plain(t) => t,
            }
        } else if ratio > 1.0 {
            0
        } else {
            continue;
        };
        entries.push(Entry {
            value,
            request,
            count: g.count,
        });
    }
    if scale_up_with_unready {
        for g in &unready {
            entries.push(Entry {
                value: 0,
                request: g.pod.request_milli.unwrap_or(0),
                count: g.count,
            });
        }
    }
    let (new_ratio, _, _) = ratio_of(&entries)?;
    let len = entries_len(&entries) as f64;
    Ok(rebalanced(tol, current, (ratio, new_ratio), len, &proposal))
}

/// [`resource_utilization_replicas`] on pod groups.
pub fn resource_utilization_replicas_grouped(
    cfg: &CalcConfig,
    current: i32,
    target_utilization: i32,
    is_cpu: bool,
    groups: &[PodGroup],
) -> Result<Proposal, CalcError> {
    grouped_replicas(
        cfg,
        current,
        GroupedKind::Utilization(target_utilization),
        is_cpu,
        groups,
    )
}

/// [`plain_metric_replicas`] on pod groups.
pub fn plain_metric_replicas_grouped(
    cfg: &CalcConfig,
    current: i32,
    target_milli: i64,
    is_cpu: bool,
    groups: &[PodGroup],
) -> Result<Proposal, CalcError> {
    grouped_replicas(
        cfg,
        current,
        GroupedKind::Plain(target_milli),
        is_cpu,
        groups,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (no randomness in core; a fixed LCG in the test).
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 33) % n
        }
    }

    /// The grouped calculators agree with the per-pod ones on every mix of pod kinds the
    /// simulator (or a test) can build.
    #[test]
    fn grouped_matches_per_pod() {
        let now = 1_000_000;
        let cfg = CalcConfig {
            now,
            cpu_initialization_period: 120_000,
            initial_readiness_delay: 10_000,
            tolerances: Tolerances::symmetric(0.1),
        };
        let templates = [
            // ready for long
            Pod::running_ready(0, 0, Some(1000)),
            // pending
            Pod {
                id: 0,
                phase: PodPhase::Pending,
                deleting: false,
                ready: None,
                start_time: None,
                request_milli: Some(1000),
            },
            // running, never ready (CPU: unready)
            Pod {
                id: 0,
                phase: PodPhase::Running,
                deleting: false,
                ready: Some(ReadyCondition {
                    status: ConditionStatus::False,
                    last_transition: 0,
                }),
                start_time: Some(0),
                request_milli: Some(2000),
            },
            // failed
            Pod {
                id: 0,
                phase: PodPhase::Failed,
                deleting: false,
                ready: None,
                start_time: None,
                request_milli: Some(1000),
            },
            // just became ready (CPU: hot)
            Pod::running_ready(0, now - 5_000, Some(500)),
        ];
        let mut rng = Lcg(7);
        let mut scaled = 0;
        for _ in 0..20_000 {
            let ngroups = 1 + rng.next(4) as usize;
            let mut groups = Vec::new();
            for _ in 0..ngroups {
                let pod = templates[rng.next(templates.len() as u64) as usize];
                let sample = (rng.next(3) > 0).then(|| Sample {
                    pod: 0,
                    value_milli: rng.next(3000) as i64,
                    timestamp: now,
                    window: 30_000,
                });
                groups.push(PodGroup {
                    pod,
                    sample,
                    count: rng.next(5),
                });
            }
            // Expand to pods with distinct ids.
            let mut pods = Vec::new();
            let mut samples = Vec::new();
            for g in &groups {
                for _ in 0..g.count {
                    let id = pods.len() as u32;
                    pods.push(Pod { id, ..g.pod });
                    if let Some(s) = g.sample {
                        samples.push(Sample { pod: id, ..s });
                    }
                }
            }
            let current = rng.next(12) as i32;
            let is_cpu = rng.next(2) == 0;
            let target_pct = 1 + rng.next(200) as i32;
            let target_milli = 1 + rng.next(3000) as i64;
            let per_pod =
                resource_utilization_replicas(&cfg, current, target_pct, is_cpu, &pods, &samples);
            if per_pod.is_ok_and(|p| !p.held && p.replicas != current) {
                scaled += 1;
            }
            assert_eq!(
                per_pod,
                resource_utilization_replicas_grouped(&cfg, current, target_pct, is_cpu, &groups),
                "utilization {groups:?} current {current} target {target_pct}"
            );
            assert_eq!(
                plain_metric_replicas(&cfg, current, target_milli, is_cpu, &pods, &samples),
                plain_metric_replicas_grouped(&cfg, current, target_milli, is_cpu, &groups),
                "plain {groups:?} current {current} target {target_milli}"
            );
            let usage = rng.next(50_000) as i64;
            let tol = Tolerances::symmetric(0.1);
            assert_eq!(
                object_value_replicas(&tol, current, target_milli, usage, &pods),
                object_value_replicas(&tol, current, target_milli, usage, &groups),
                "object {groups:?}"
            );
        }
        assert!(scaled > 2_000, "only {scaled} cases scaled");
    }
}
