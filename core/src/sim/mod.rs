//! The closed-loop simulator: time, demand and pods around a replayed controller.
//!
//! The controller decides at its own cadence ([`Controller::next_wake`]: the HPA sync period, the
//! AIBrix resync, the Knative scrape/tick, the KEDA polling interval). Between wake-ups nothing
//! changes except time. At each wake-up the simulator shows the controller what the real one
//! would see: for the metric the demand series is in, ready pods each report
//! `min(demand / ready, bound)`, a whole-workload query reports `demand`. Pods created by a
//! scale-up become ready after the start-up delay; a scale-down removes pods at once, the
//! not-yet-ready ones first (as a ReplicaSet does), then the most recently ready. The simulator
//! only jumps between wake-ups, so a week at 1 s resolution stays cheap.
//!
//! Choices, each reported or documented:
//! - **Facts, not diagnostics.** What the simulator chose or found is a [`SimFact`] in
//!   [`SimOutput::facts`]; `analysis::replay` turns each into the diagnostic a user reads, as
//!   the other analyses do with the timeline.
//! - **Defaults are notes.** The pod start-up delay and the initial replicas, when the input and
//!   the options do not give them, are chosen here ([`SimOptions`]) and reported as notes.
//! - **One series per metric.** Each metric reads the demand series named after it
//!   ([`match_series`]: a CSV column, `--demand NAME=FILE`, samples of that metric); an
//!   unnamed series drives the first metric. A metric with no series reads 0, and a named
//!   series that matches no metric is not replayed: both are reported (`sim-demand-metric`).
//!   The controller combines the metrics as upstream does (the HPA's and KEDA's max over
//!   valid proposals, AIBrix's max over sources), and [`TimelineEntry::metric`] says which
//!   metric decided.
//! - **A bound follows the data's scale** ([`scale`]): percent data for a 0–1 metric is capped
//!   per pod at 100, not 1 (`sim-demand-above-bound`).
//! - **Starting pods report nothing.** Between creation and readiness a pod has no metric: the
//!   HPA sees it as Pending (unready), AIBrix leaves it out of the mean, Knative out of the
//!   scrape. The known simplifications this implies (AIBrix counting a failed scrape as 0.0, a
//!   Kubernetes pod Running-but-not-Ready for most of its start-up) are recorded in
//!   [`crate::algorithm::aibrix`] and [`crate::algorithm::hpa`].
//! - **Same-instant events.** When a KEDA poll and an HPA sync fall at the same time the poll
//!   runs first and, when it changed the count, the HPA syncs 1 ms later on the new count
//!   ([`crate::algorithm::keda`]); Knative scrapes before it decides.
//!
//! - **Bounded.** A replay runs at most [`limit::MAX_EVALUATIONS`] evaluations of the
//!   controller, checked from the horizon before anything is allocated or run
//!   ([`try_simulate`] returns [`ReplayTooLong`]); the loop also stops a controller that wakes
//!   more often than its cadence allows. Time arithmetic saturates.
//!
//! **Invariant:** deterministic. Simulated time is integer milliseconds; same inputs, same
//! timeline, byte for byte.

use std::collections::VecDeque;

use crate::algorithm::{controller_for, ClusterView, Controller, MetricReading, Mode, Reason};
use crate::demand::{value_at, DemandSeries};
use crate::model::{Autoscaler, Family, Millis, SECOND};

pub mod limit;
pub(crate) mod rules;
pub mod scale;
pub use limit::{ReplayTooLong, MAX_EVALUATIONS, MAX_EVALUATIONS_CEILING};
pub use scale::{samples_scale, SamplesScale};

/// What the user can set about a run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SimOptions {
    /// Replicas at the start; else the scale target's `spec.replicas` from the input, else
    /// `max(minReplicas, 1)`.
    pub initial_replicas: Option<u32>,
    /// Start-up delay of a new pod until it is ready; else a default for the workload.
    pub pod_startup: Option<Millis>,
    /// Horizon; else the demand's last row plus one step.
    pub duration: Option<Millis>,
    /// Most evaluations the replay may run; else [`MAX_EVALUATIONS`]. The user raises it
    /// (`--max-evaluations`) for a long replay they mean; see [`limit`] for its cost.
    pub max_evaluations: Option<u64>,
    /// A metric outage `[from, to)` in replay time (`--metric-outage`): every metric read
    /// through a metrics API other than metrics-server (not cpu/memory, not a KEDA cron
    /// trigger) fails in it, for the HPA and KEDA families ([`MetricReading::FAILED`]).
    pub outage: Option<(Millis, Millis)>,
}

/// One evaluation of the controller.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimelineEntry {
    /// Time of the evaluation (ms, in the demand file's time base).
    pub t: Millis,
    /// Total demand at `t`.
    pub demand: f64,
    /// What the algorithm's metric step observed (NaN when nothing).
    pub observed: f64,
    /// Ready pods at `t`.
    pub ready: u32,
    /// `spec.replicas` when the controller evaluated (before its decision).
    pub replicas: u32,
    /// The metric's recommendation before rate limits, windows and min/max.
    pub desired_raw: u32,
    /// What the controller set `spec.replicas` to.
    pub desired: u32,
    pub mode: Mode,
    pub reason: Reason,
    /// The metric (index in `Autoscaler::metrics`) whose recommendation the controller took
    /// ([`crate::algorithm::Controller::deciding_metric`]); `None` when no metric's did
    /// (boundaries, no data, one-metric controllers that do not say), or past index 254. A
    /// byte, so the entry stays 72 bytes ([`limit`]'s memory budget).
    pub metric: Option<u8>,
}

impl TimelineEntry {
    /// A panic-mode decision taken with no load at all: the algorithm panics on a stable value
    /// ≤ 0 (`panics_without_load`, [`Algorithm::panics_without_load`]: AIBrix v0.7.0 KPA) and
    /// `observed`, its stable value, is ≤ 0. Faithful to upstream, but not a surge.
    pub fn is_panic_without_load(&self, panics_without_load: bool) -> bool {
        panics_without_load && self.mode == Mode::Panic && self.observed <= 0.0
    }
}

/// What the simulator chose or found about a run, as data: `analysis::replay` turns each into
/// a diagnostic (`sim-default-pod-startup`, `sim-default-initial-replicas`,
/// `sim-demand-metric`, `sim-demand-above-bound`, `replay-too-long`).
#[derive(Debug, Clone, PartialEq)]
pub enum SimFact {
    /// No start-up delay was given: `startup` is the default, for an LLM model server when
    /// `llm` ([`LLM_POD_STARTUP`]), else [`DEFAULT_POD_STARTUP`].
    DefaultPodStartup { startup: Millis, llm: bool },
    /// Neither the options nor the input give the initial replicas: `replicas` is
    /// `max(minReplicas, 1)`.
    DefaultInitialReplicas { replicas: u32 },
    /// Metrics without a demand series: they read 0. `without` are their names, in model
    /// order; `metrics` is how many metrics the autoscaler has.
    MetricsWithoutData {
        without: Vec<String>,
        metrics: usize,
    },
    /// Demand series named after no metric of the autoscaler: `series` are their names
    /// (`None`: the unnamed series, when a named one already drives the first metric), not
    /// replayed, or `drives_first` when the series drives the first metric anyway (it is the
    /// only series the first metric could read).
    UnmatchedSeries {
        series: Vec<Option<String>>,
        drives_first: bool,
    },
    /// The demand's `peak` is more than `max_replicas` pods can report for the first metric,
    /// bounded at `bound` per pod. `percent`: it fits 100 × the bound (percent data), and the
    /// replay caps each pod at 100 × `bound`; else the replay runs without the bound.
    /// `target_on_data_scale`: the target is within that percent scale too (consistent input).
    DemandAboveBound {
        peak: f64,
        bound: f64,
        max_replicas: u32,
        percent: bool,
        target_on_data_scale: bool,
    },
    /// The replay was not run: too long ([`simulate`] only; [`try_simulate`] returns it).
    TooLong(ReplayTooLong),
    /// KEDA cron triggers (their metric names) replayed on a demand without absolute times:
    /// time 0 is read as the Unix epoch, 1970-01-01T00:00:00Z.
    CronWithoutClock { triggers: Vec<String> },
    /// A metric outage `[from, to)` (replay time) failed these metrics' reads; `replayed`:
    /// the family's controller replays failed reads (HPA, KEDA), else the outage was ignored.
    /// `metrics` is empty when no metric of the autoscaler can fail (cpu/memory, cron only).
    MetricOutage {
        from: Millis,
        to: Millis,
        metrics: Vec<String>,
        replayed: bool,
    },
    /// What KEDA's `spec.fallback` did during the outage.
    KedaFallback(crate::algorithm::keda::FallbackSummary),
}

#[derive(Debug, Clone, PartialEq)]
pub struct SimOutput {
    pub timeline: Vec<TimelineEntry>,
    /// How the run was set up (defaults taken) and what it found about the input.
    pub facts: Vec<SimFact>,
    pub initial_replicas: u32,
    pub pod_startup: Millis,
    pub pod_startup_is_default: bool,
    pub duration: Millis,
}

/// Default pod start-up for a vLLM / GPU model server: scheduling on a GPU node, pulling the
/// (cached) image and loading a 7B model into GPU memory typically takes one to three minutes.
pub const LLM_POD_STARTUP: Millis = 120 * SECOND;
/// Default pod start-up for other workloads: the Kubernetes HPA's own assumption
/// (`--horizontal-pod-autoscaler-initial-readiness-delay`, 30 s).
pub const DEFAULT_POD_STARTUP: Millis = 30 * SECOND;

/// Whether the autoscaler scales an LLM model server (AIBrix, or a vLLM metric).
fn is_llm_workload(a: &Autoscaler) -> bool {
    a.family == Family::Aibrix
        || a.metrics.iter().any(|m| {
            let n = m.name.value.to_ascii_lowercase();
            n.contains("vllm") || n.contains("gpu") || n.contains("kv_cache") || n.contains("token")
        })
}

/// Pods of the scale target: groups of pods created together, oldest first.
struct Pods {
    /// (ready_at, count), sorted by `ready_at` (start-up delay is constant, creation is in order).
    groups: VecDeque<(Millis, u32)>,
    total: u32,
}

impl Pods {
    fn new(initial: u32) -> Self {
        let mut groups = VecDeque::new();
        if initial > 0 {
            groups.push_back((0, initial));
        }
        Pods {
            groups,
            total: initial,
        }
    }

    fn ready_at(&self, t: Millis) -> u32 {
        self.groups
            .iter()
            .take_while(|g| g.0 <= t)
            .fold(0u32, |acc, g| acc.saturating_add(g.1))
    }

    fn scale_to(&mut self, desired: u32, t: Millis, startup: Millis) {
        if desired > self.total {
            let add = desired - self.total;
            let ready_at = t.saturating_add(startup);
            match self.groups.back_mut() {
                Some(g) if g.0 == ready_at => g.1 = g.1.saturating_add(add),
                _ => self.groups.push_back((ready_at, add)),
            }
        } else {
            // Remove the newest first: not-ready pods, then the most recently ready.
            let mut remove = self.total - desired;
            while remove > 0 {
                let Some(g) = self.groups.back_mut() else {
                    break;
                };
                let take = remove.min(g.1);
                g.1 -= take;
                remove -= take;
                if g.1 == 0 {
                    self.groups.pop_back();
                }
            }
        }
        self.total = desired;
        // Merge groups that are all ready, so the deque stays short in long runs.
        while self.groups.get(1).is_some_and(|g| g.0 <= t) {
            if let (Some((_, n)), Some(next)) = (self.groups.pop_front(), self.groups.front_mut()) {
                next.1 = next.1.saturating_add(n);
            }
        }
    }
}

/// Run `autoscaler` against `demand`. A replay longer than [`MAX_EVALUATIONS`] allows is not
/// run: the output then has an empty timeline and [`SimFact::TooLong`]. Front ends that want the
/// error typed call [`try_simulate`].
pub fn simulate(autoscaler: &Autoscaler, demand: &DemandSeries, opts: &SimOptions) -> SimOutput {
    try_simulate(autoscaler, demand, opts).unwrap_or_else(|e| SimOutput {
        timeline: Vec::new(),
        facts: vec![SimFact::TooLong(e.clone())],
        initial_replicas: opts.initial_replicas.unwrap_or(0),
        pod_startup: opts.pod_startup.unwrap_or(0),
        pod_startup_is_default: opts.pod_startup.is_none(),
        duration: e.span,
    })
}

/// Run `autoscaler` against `demand`, or say why the replay is too long to run (checked before
/// anything is allocated or run, see [`limit`]).
pub fn try_simulate(
    autoscaler: &Autoscaler,
    demand: &DemandSeries,
    opts: &SimOptions,
) -> Result<SimOutput, ReplayTooLong> {
    let duration = opts.duration.unwrap_or_else(|| demand.default_duration());
    let max = opts.max_evaluations.unwrap_or(MAX_EVALUATIONS);
    let evaluations = limit::check(autoscaler, duration, max)?;
    let mut facts = Vec::new();

    let (pod_startup, pod_startup_is_default) = match opts.pod_startup {
        Some(s) => (s, false),
        None => {
            let llm = is_llm_workload(autoscaler);
            let d = if llm {
                LLM_POD_STARTUP
            } else {
                DEFAULT_POD_STARTUP
            };
            facts.push(SimFact::DefaultPodStartup { startup: d, llm });
            (d, true)
        }
    };

    let min = autoscaler.min_replicas.value;
    let initial = match (opts.initial_replicas, &autoscaler.initial_replicas) {
        (Some(n), _) => n,
        (None, Some(p)) => p.value,
        (None, None) => {
            let n = min.max(1);
            facts.push(SimFact::DefaultInitialReplicas { replicas: n });
            n
        }
    };

    let crons: Vec<String> = autoscaler
        .metrics
        .iter()
        .filter(|m| !m.source.reads_demand())
        .map(|m| m.name.value.clone())
        .collect();
    if !crons.is_empty() && !demand.is_absolute() {
        facts.push(SimFact::CronWithoutClock { triggers: crons });
    }
    let matched = match_series(autoscaler, demand);
    if !matched.unmatched.is_empty() {
        facts.push(SimFact::UnmatchedSeries {
            series: matched.unmatched.clone(),
            drives_first: matched.primary_drives_first_unnamed,
        });
    }
    let without: Vec<String> = autoscaler
        .metrics
        .iter()
        .zip(&matched.per_metric)
        .filter(|(m, s)| s.is_none() && m.source.reads_demand())
        .map(|(m, _)| m.name.value.clone())
        .collect();
    if !without.is_empty() && (autoscaler.metrics.len() > 1 || demand.is_named()) {
        facts.push(SimFact::MetricsWithoutData {
            without,
            metrics: autoscaler.metrics.len(),
        });
    }
    let series: Vec<Option<&[(Millis, f64)]>> = matched
        .per_metric
        .iter()
        .map(|i| i.and_then(|i| demand.series().nth(i).map(|(_, p)| p)))
        .collect();

    let mut bounds: Vec<Option<f64>> = autoscaler.metrics.iter().map(|m| m.bound).collect();
    if let (Some(Some(b)), Some(m)) = (bounds.first_mut(), autoscaler.metrics.first()) {
        let b = *b;
        let first_series = series.first().copied().flatten().unwrap_or(&[]);
        let peak = first_series.iter().map(|p| p.1).fold(0.0, f64::max);
        let max = autoscaler.max_replicas.value;
        if max != u32::MAX && peak > b * f64::from(max) {
            let target = m.target.value.value;
            let percent = peak <= 100.0 * b * f64::from(max);
            // Percent data for a 0–1 metric: the data's per-pod cap is 100 × the bound. When the
            // target is on that scale too, the input is consistent (a note); else the units
            // disagree (a warning; `unit-mismatch` has the fixes).
            if let Some(first) = bounds.first_mut() {
                *first = percent.then_some(100.0 * b);
            }
            facts.push(SimFact::DemandAboveBound {
                peak,
                bound: b,
                max_replicas: max,
                percent,
                target_on_data_scale: percent && target > b && target <= 100.0 * b,
            });
        }
    }

    // A replayed outage fails the metrics read through a metrics API (not metrics-server's
    // cpu/memory, not a cron trigger's clock), for the controllers that replay failed reads.
    let replays_failures = matches!(
        autoscaler.algorithm,
        crate::model::Algorithm::Hpa(_) | crate::model::Algorithm::Keda(_)
    );
    let can_fail: Vec<bool> = autoscaler.metrics.iter().map(can_fail).collect();
    let outage = opts.outage.filter(|(f, t)| f < t);
    if let Some((from, to)) = outage {
        facts.push(SimFact::MetricOutage {
            from: from.saturating_add(demand.offset),
            to: to.saturating_add(demand.offset),
            metrics: autoscaler
                .metrics
                .iter()
                .zip(&can_fail)
                .filter(|(_, c)| **c)
                .map(|(m, _)| m.name.value.clone())
                .collect(),
            replayed: replays_failures,
        });
    }
    let failing = match outage {
        Some(o) if replays_failures => Some((o, can_fail.as_slice())),
        _ => None,
    };
    let (timeline, fallback) = run(
        autoscaler,
        &bounds,
        demand,
        &series,
        failing,
        initial,
        pod_startup,
        (duration, evaluations),
    )?;
    if let (Some(mut summary), Some(_)) = (fallback, failing) {
        // In the timeline's times.
        summary.first = summary.first.map(|t| t.saturating_add(demand.offset));
        summary.last = summary.last.map(|t| t.saturating_add(demand.offset));
        facts.push(SimFact::KedaFallback(summary));
    }

    Ok(SimOutput {
        timeline,
        facts,
        initial_replicas: initial,
        pod_startup,
        pod_startup_is_default,
        duration,
    })
}

/// Which demand series each metric reads ([`match_series`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SeriesMatch {
    /// Per metric (model order), the index of its series in [`DemandSeries::series`].
    pub per_metric: Vec<Option<usize>>,
    /// Series no metric reads (their names; `None`: the unnamed one).
    pub unmatched: Vec<Option<String>>,
    /// The primary series is named after no metric and drives the first metric anyway.
    pub primary_drives_first_unnamed: bool,
}

/// Whether a demand series named `series` is metric `m`'s: its name as written, or the same
/// name without a `vllm:` prefix or with a counter's `_total` ([`crate::samples::name_matches`]),
/// either way round. KEDA triggers are named as KEDA names their external metrics
/// (`s0-prometheus`, [`crate::config`]).
/// A KEDA table scaler's metric (`s0-kafka`) also answers to the trigger's `name` and to the
/// full name KEDA gives it (`s0-kafka-orders`: the scaler appends its own part).
pub fn series_names_metric(series: &str, m: &crate::model::Metric) -> bool {
    let name = m.name.value.as_str();
    if let crate::model::MetricSource::KedaScaler { trigger_name, .. } = &m.source {
        let keda_full = series
            .strip_prefix(name)
            .is_some_and(|rest| rest.starts_with('-'));
        if keda_full || trigger_name.as_deref() == Some(series) {
            return true;
        }
    }
    series == name
        || crate::samples::name_matches(series, name)
        || crate::samples::name_matches(name, series)
}

/// Give each metric of `autoscaler` its demand series: a named series goes to the first metric
/// it names (exact names first), the unnamed series to the first metric. When the first
/// metric has no series yet and the primary series (the unnamed one, else the file's first
/// column) is named after no metric, it drives the first metric: a one-metric autoscaler with
/// a demand column named differently replays as before (reported).
pub fn match_series(autoscaler: &Autoscaler, demand: &DemandSeries) -> SeriesMatch {
    let metrics = &autoscaler.metrics;
    if metrics.is_empty() {
        return SeriesMatch::default();
    }
    let mut per_metric: Vec<Option<usize>> = vec![None; metrics.len()];
    let mut unmatched = Vec::new();
    let mut unnamed = None;
    for (si, (name, _)) in demand.series().enumerate() {
        let Some(name) = name else {
            unnamed = Some(si);
            continue;
        };
        let free = |i: &usize| {
            per_metric.get(*i).is_some_and(Option::is_none)
                && metrics.get(*i).is_some_and(|m| m.source.reads_demand())
        };
        let exact = metrics
            .iter()
            .enumerate()
            .position(|(i, m)| free(&i) && m.name.value == name);
        let loose = || {
            metrics
                .iter()
                .enumerate()
                .position(|(i, m)| free(&i) && series_names_metric(name, m))
        };
        match exact.or_else(loose).and_then(|i| per_metric.get_mut(i)) {
            Some(slot) => *slot = Some(si),
            None => unmatched.push((si, Some(name.to_string()))),
        }
    }
    // The first metric that reads demand (a KEDA cron trigger does not).
    let first = metrics.iter().position(|m| m.source.reads_demand());
    if let Some(si) = unnamed {
        match first.and_then(|i| per_metric.get_mut(i)) {
            Some(slot @ None) => *slot = Some(si),
            _ => unmatched.insert(0, (si, None)),
        }
    }
    let mut primary_drives_first_unnamed = false;
    if let (Some(slot @ None), Some(0)) = (
        first.and_then(|i| per_metric.get_mut(i)),
        unmatched.first().map(|u| u.0),
    ) {
        *slot = Some(0);
        primary_drives_first_unnamed = true;
    }
    SeriesMatch {
        per_metric,
        unmatched: unmatched.into_iter().map(|(_, n)| n).collect(),
        primary_drives_first_unnamed,
    }
}

/// Whether a metric's reads fail in an outage: read through a metrics API other than
/// metrics-server (cpu/memory) and not computed from the clock (a KEDA cron trigger).
fn can_fail(m: &crate::model::Metric) -> bool {
    use crate::model::MetricSource;
    m.source.reads_demand()
        && !matches!(
            m.source,
            MetricSource::Resource
                | MetricSource::ContainerResource { .. }
                | MetricSource::KedaResource
                | MetricSource::AibrixResource
        )
}

/// The metric outage of a run: `[from, to)` and, per metric, whether it fails in it.
type Failing<'a> = Option<((Millis, Millis), &'a [bool])>;

#[allow(clippy::too_many_arguments)]
fn run(
    autoscaler: &Autoscaler,
    bounds: &[Option<f64>],
    demand: &DemandSeries,
    series: &[Option<&[(Millis, f64)]>],
    failing: Failing<'_>,
    initial: u32,
    pod_startup: Millis,
    (duration, evaluations): (Millis, u64),
) -> Result<
    (
        Vec<TimelineEntry>,
        Option<crate::algorithm::keda::FallbackSummary>,
    ),
    ReplayTooLong,
> {
    let mut controller: Box<dyn Controller> = controller_for(autoscaler);
    // Sources the replayed release reads as 0 whatever the data says (AIBrix v0.7.0 external).
    let reads_zero: Vec<bool> = autoscaler
        .metrics
        .iter()
        .map(|m| {
            matches!(
                m.source,
                crate::model::MetricSource::AibrixExternal {
                    reads_zero: true,
                    ..
                }
            )
        })
        .collect();
    let mut readings = vec![
        MetricReading {
            total: 0.0,
            per_pod: 0.0,
            reporting: 0,
        };
        bounds.len().max(1)
    ];
    let mut pods = Pods::new(initial);
    // `evaluations` passed `limit::check`, an upper bound: reserve it up to the default limit
    // (at most 14 MB); a replay the user allowed to be longer grows as it runs.
    let reserve = evaluations.min(MAX_EVALUATIONS);
    let mut timeline = Vec::with_capacity(usize::try_from(reserve).unwrap_or(0));
    let guard = limit::wakeup_guard(autoscaler, duration);
    let mut wakeups = 0u64;
    let mut last_wake: Option<Millis> = None;

    loop {
        let mut t = controller.next_wake();
        // A controller must move forward; never loop forever on a bad schedule.
        if let Some(prev) = last_wake {
            if t <= prev {
                t = prev.saturating_add(SECOND);
            }
        }
        if t > duration || t == Millis::MAX {
            break;
        }
        wakeups += 1;
        if wakeups > guard {
            // More wake-ups than the controller's cadence allows: stop rather than run on.
            return Err(ReplayTooLong {
                span: duration,
                evaluations: wakeups,
                limit: guard,
                cadence: "the controller's wake-ups".to_string(),
                max_span: t,
            });
        }
        last_wake = Some(t);
        // The demand shown with the step: the first metric's series (else the primary one).
        let d = value_at(
            series.first().copied().flatten().unwrap_or(&demand.points),
            t,
        );
        let ready = pods.ready_at(t);
        for (i, r) in readings.iter_mut().enumerate() {
            let zero = reads_zero.get(i).copied().unwrap_or(false);
            let total = match series.get(i).copied().flatten() {
                Some(points) if !zero => value_at(points, t),
                _ => 0.0,
            };
            let mut per_pod = if ready > 0 { total / ready as f64 } else { 0.0 };
            if let Some(Some(b)) = bounds.get(i) {
                per_pod = per_pod.min(*b);
            }
            *r = MetricReading {
                total,
                per_pod,
                reporting: ready,
            };
            if let Some(((from, to), fails)) = failing {
                if (from..to).contains(&t) && fails.get(i).copied().unwrap_or(false) {
                    *r = MetricReading::FAILED;
                }
            }
        }
        let view = ClusterView {
            t,
            epoch: demand.epoch_start,
            replicas: pods.total,
            ready,
            metrics: &readings,
        };
        if let Some(dec) = controller.wake(&view) {
            timeline.push(TimelineEntry {
                t: t.saturating_add(demand.offset),
                demand: d,
                observed: dec.observed,
                ready,
                replicas: pods.total,
                desired_raw: dec.desired_raw,
                desired: dec.desired,
                mode: dec.mode,
                reason: dec.reason,
                metric: controller
                    .deciding_metric()
                    .and_then(|i| u8::try_from(i).ok()),
            });
            if dec.desired != pods.total {
                pods.scale_to(dec.desired, t, pod_startup);
            }
        }
    }
    Ok((timeline, controller.fallback_summary()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pods_scale_up_become_ready_and_scale_down_removes_unready_first() {
        let mut p = Pods::new(2);
        assert_eq!(p.ready_at(0), 2);
        p.scale_to(5, 10_000, 30_000);
        assert_eq!((p.total, p.ready_at(39_999), p.ready_at(40_000)), (5, 2, 5));
        p.scale_to(3, 20_000, 30_000);
        // The 1 remaining new pod is still starting; both old pods stay.
        assert_eq!((p.total, p.ready_at(20_000), p.ready_at(40_000)), (3, 2, 3));
        p.scale_to(1, 50_000, 30_000);
        assert_eq!((p.total, p.ready_at(50_000)), (1, 1));
        p.scale_to(0, 60_000, 30_000);
        assert_eq!((p.total, p.ready_at(60_000)), (0, 0));
    }
}

#[cfg(test)]
mod bound_tests {
    use super::*;
    use crate::diagnostic::Diagnostic;
    use crate::diagnostic::Severity;

    fn kpa(target: &str) -> Autoscaler {
        let yaml = format!(
            "apiVersion: autoscaling.aibrix.ai/v1alpha1\nkind: PodAutoscaler\nmetadata:\n  name: p\nspec:\n  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: d}}\n  minReplicas: 1\n  maxReplicas: 10\n  metricsSources:\n    - metricSourceType: pod\n      targetMetric: gpu_cache_usage_perc\n      targetValue: \"{target}\"\n  scalingStrategy: KPA\n"
        );
        match crate::config::parse(&yaml).autoscalers.first() {
            Some(a) => a.clone(),
            None => panic!("no autoscaler"),
        }
    }

    fn run(target: &str, peak: f64) -> SimOutput {
        let d = DemandSeries::from_points(vec![(0, peak), (600_000, 0.0), (1_800_000, 0.0)]);
        let opts = SimOptions {
            initial_replicas: Some(1),
            pod_startup: Some(0),
            ..SimOptions::default()
        };
        simulate(&kpa(target), &d, &opts)
    }

    fn bound_diag(target: &str, out: &SimOutput) -> Option<Diagnostic> {
        crate::analysis::check_replay(&kpa(target), out)
            .into_iter()
            .find(|d| d.code == crate::codes::Code::SimDemandAboveBound)
    }

    /// (target, peak demand, expected severity, largest per-pod observed allowed).
    #[test]
    fn percent_demand_caps_each_pod_at_100() {
        let cases: &[(&str, f64, Option<Severity>, f64)] = &[
            // Percent demand, target in percent: consistent; capped at 100.
            ("50", 300.0, Some(Severity::Note), 100.0),
            // Percent demand, fraction target: the units disagree; still capped at 100.
            ("0.5", 300.0, Some(Severity::Warning), 100.0),
            // Beyond what 10 pods can report even in percent: replayed without a cap.
            ("50", 5_000.0, Some(Severity::Warning), 5_000.0),
            // Fraction demand within the bound: nothing to say, capped at 1.
            ("0.5", 3.0, None, 1.0),
        ];
        for (target, peak, severity, cap) in cases {
            let out = run(target, *peak);
            assert_eq!(
                bound_diag(target, &out).map(|d| d.severity),
                *severity,
                "{target} {peak}"
            );
            let max_obs = out
                .timeline
                .iter()
                .map(|e| e.observed)
                .filter(|o| o.is_finite())
                .fold(0.0, f64::max);
            assert!(
                max_obs <= *cap,
                "{target} {peak}: observed {max_obs} > {cap}"
            );
            assert!(max_obs > 0.0, "{target} {peak}");
        }
    }
}
