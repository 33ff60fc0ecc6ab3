//! How long one replay may be: a cap on the controller evaluations it runs, checked from the
//! horizon and the controller's cadence **before** anything is allocated or run.
//!
//! A replay costs time and memory per evaluation of the controller (one [`TimelineEntry`] each,
//! and one output row in the front ends). The horizon comes from the user's input (the demand's
//! last time, `--duration`, a stray sample in a recording), so without a bound a single far-away
//! timestamp asks for gigabytes. [`check`] counts the evaluations the horizon implies
//! ([`evaluations`]) and refuses a replay above [`MAX_EVALUATIONS`] with [`ReplayTooLong`],
//! which says how long the replay was, the limit, and the longest replay the autoscaler allows
//! ([`ReplayTooLong::max_span`]), so front ends can suggest a window.
//!
//! What counts as an evaluation, per family (the cadences are the controllers' own):
//! - HPA: one per sync period (15 s, `--horizontal-pod-autoscaler-sync-period`);
//! - AIBrix: one per resync (10 s);
//! - Knative: one per decider tick (2 s); the 1 s scrapes between ticks are cheap and at most
//!   one per tick;
//! - KEDA: one per poll (`pollingInterval`, 30 s by default) plus one per sync of the HPA it
//!   creates (15 s): an upper bound, since a poll is recorded only when it changes the count.
//!
//! [`TimelineEntry`]: super::TimelineEntry

use crate::algorithm::knative::SCRAPE_INTERVAL;
use crate::codes::rule_doc;
use crate::display::{Dur, Grouped};
use crate::model::{Algorithm, Autoscaler, Millis};

/// Most controller evaluations one replay runs (see the module doc for what counts).
///
/// **Why this value.** The command line must end within 2 s and 200 MB for any input file up to
/// 20 MB, whatever the output format, and the playground runs the same pipeline. Measured on the
/// release build (2 shared cores, `scalelens simulate --format …` on the bench configurations):
/// - the replay and its timeline checks cost 0.4–2 µs and 72 bytes ([`TimelineEntry`]) per
///   evaluation (Knative is the cheapest per tick, AIBrix KPA the dearest);
/// - `--format json`, the dearest output, adds about 3 µs and 480 bytes per evaluation at its
///   peak (a row struct, then the pretty-printed text); CSV adds about 70 bytes, the text table
///   only its changes;
/// - reading a 20 MB demand CSV or samples file takes up to about 1 s and 60–95 MB.
///
/// That leaves about 1 s and 100 MB for the replay and its output: 200 000 evaluations at
/// 5 µs and 480 bytes each (1 s, 96 MB). In replayed time this is 34 days 17 h for an HPA
/// (15 s), 23 days 3 h for AIBrix (10 s), 4 days 15 h for Knative (2 s tick) and 23 days 3 h for
/// KEDA with its defaults (30 s polls, 15 s syncs): more than one sitting of a recording
/// (Prometheus keeps 15 days by default), far below the decades a stray timestamp asks for.
///
/// **When it is hit:** the replay is not run and [`ReplayTooLong`] says by how much; replay a
/// window of the data (`--from`/`--to`), a shorter `--duration`, or raise the limit for a long
/// replay that is meant (`--max-evaluations`, up to [`MAX_EVALUATIONS_CEILING`]).
///
/// [`TimelineEntry`]: super::TimelineEntry
pub const MAX_EVALUATIONS: u64 = 200_000;

/// The most `--max-evaluations` accepts: a year of evaluations at a 1 s cadence (31 536 001,
/// rounded up), so any controller can replay a year of data when the user asks for it. Such a
/// replay takes time and memory in proportion (about 72 bytes per evaluation for the timeline,
/// 2.3 GB here, plus the output: see [`MAX_EVALUATIONS`]); the limit only keeps a typo or a
/// stray timestamp from asking for more than a machine has.
pub const MAX_EVALUATIONS_CEILING: u64 = 32_000_000;

/// How often `a`'s controller evaluates: `(interval, what)` pairs, one per cadence that records
/// an evaluation (KEDA has two: its polls and its HPA's syncs).
fn cadences(a: &Autoscaler) -> Vec<(Millis, &'static str)> {
    match &a.algorithm {
        Algorithm::AibrixKpa(p) | Algorithm::AibrixApa(p) => {
            vec![(p.resync_interval().value.max(1), "AIBrix resync")]
        }
        Algorithm::Hpa(p) => vec![(p.sync_period.value.max(1), "HPA sync period")],
        Algorithm::Keda(p) => vec![
            (p.polling_interval.value.max(1), "KEDA polling interval"),
            (p.hpa.sync_period.value.max(1), "HPA sync period"),
        ],
        Algorithm::KnativeKpa(p) => vec![(p.tick_interval.value.max(1), "Knative decider tick")],
    }
}

/// Metrics one evaluation covers at the cost of one: an autoscaler with more counts one
/// evaluation per started group of this many ([`evaluations`]).
///
/// **Why.** A controller's work per evaluation grows with its metrics (each is read,
/// windowed and turned into a recommendation), and nothing upstream bounds the list: a 2 MB
/// HPA with 20 000 metrics replayed a day in 24 s (release build). Real autoscalers have a
/// handful of metrics, so up to 10 cost nothing extra and every limit above holds for them
/// unchanged; 20 000 metrics count 2 000 times and are refused past 25 minutes of an HPA.
pub const METRICS_PER_EVALUATION: u64 = 10;

/// How many evaluations one evaluation of `a` counts for ([`METRICS_PER_EVALUATION`]).
fn metric_weight(a: &Autoscaler) -> u64 {
    u64::try_from(a.metrics.len())
        .unwrap_or(u64::MAX)
        .div_ceil(METRICS_PER_EVALUATION)
        .max(1)
}

/// The evaluations a replay of `duration` runs at most (see the module doc): one per cadence
/// interval, plus the one at time 0, summed over the cadences, each counted once per started
/// group of [`METRICS_PER_EVALUATION`] metrics. Saturates; never overflows.
pub fn evaluations(a: &Autoscaler, duration: Millis) -> u64 {
    scheduled(a, duration).saturating_mul(metric_weight(a))
}

/// The controller evaluations a replay of `duration` schedules, each counted once whatever
/// its metrics (what the timeline holds). Saturates; never overflows.
fn scheduled(a: &Autoscaler, duration: Millis) -> u64 {
    cadences(a)
        .iter()
        .map(|&(every, _)| (duration / every).saturating_add(1))
        .fold(0u64, u64::saturating_add)
}

/// The controller's wake-ups a replay of `duration` may take: every evaluation, plus (Knative)
/// the scrapes between ticks, plus (KEDA) an HPA sync 1 ms after a poll that changed the count.
/// The simulator stops a replay that wakes more often (a controller bug, never a user's input).
pub(crate) fn wakeup_guard(a: &Autoscaler, duration: Millis) -> u64 {
    let extra = match &a.algorithm {
        Algorithm::KnativeKpa(_) => (duration / SCRAPE_INTERVAL).saturating_add(1),
        _ => scheduled(a, duration),
    };
    scheduled(a, duration)
        .saturating_add(extra)
        .saturating_add(2)
}

/// Refuse a replay of `duration` that would run more than `limit` evaluations
/// ([`MAX_EVALUATIONS`] unless the user raised it). Returns the evaluations it schedules at
/// most (one timeline entry each, whatever the metrics).
pub fn check(a: &Autoscaler, duration: Millis, limit: u64) -> Result<u64, ReplayTooLong> {
    let n = evaluations(a, duration);
    if n <= limit {
        return Ok(scheduled(a, duration));
    }
    Err(ReplayTooLong {
        span: duration,
        evaluations: n,
        limit,
        cadence: describe_cadences(a),
        max_span: max_span(a, limit),
    })
}

/// The longest horizon whose replay runs at most `limit` evaluations (binary search on the
/// monotonic [`evaluations`]).
pub fn max_span(a: &Autoscaler, limit: u64) -> Millis {
    if evaluations(a, 0) > limit {
        return 0;
    }
    let (mut lo, mut hi) = (0u64, u64::MAX);
    while lo < hi {
        let mid = lo + (hi - lo) / 2 + 1;
        if evaluations(a, mid) <= limit {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    lo
}

/// The cadences in words: `the HPA sync period (15s)`, `the KEDA polling interval (30s) and the
/// HPA sync period (15s)`; with more than [`METRICS_PER_EVALUATION`] metrics, how they count.
fn describe_cadences(a: &Autoscaler) -> String {
    let mut s = cadences(a)
        .iter()
        .map(|&(every, what)| format!("the {what} ({:#})", Dur(every)))
        .collect::<Vec<_>>()
        .join(" and ");
    let weight = metric_weight(a);
    if weight > 1 {
        s.push_str(&format!(
            " with {} metrics (each evaluation counts {weight} times: once per {METRICS_PER_EVALUATION} metrics)",
            Grouped(u64::try_from(a.metrics.len()).unwrap_or(u64::MAX))
        ));
    }
    s
}

/// A replay longer than [`MAX_EVALUATIONS`] allows: not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the replay spans {:#}: {} evaluations at {}, more than the {} one replay may run ({:#} for this autoscaler)",
    Dur(*.span),
    Grouped(*.evaluations),
    .cadence,
    Grouped(*.limit),
    Dur(*.max_span)
)]
pub struct ReplayTooLong {
    /// The horizon asked for (ms).
    pub span: Millis,
    /// The evaluations it would run.
    pub evaluations: u64,
    /// The limit in force ([`MAX_EVALUATIONS`] unless the user raised it).
    pub limit: u64,
    /// The controller's cadence(s) in words.
    pub cadence: String,
    /// The longest horizon within the limit for this autoscaler (ms).
    pub max_span: Millis,
}

rule_doc! {
    /// The replay would run more controller evaluations than one replay may.
    ///
    /// # What it does
    /// Reports a replay that would run more controller evaluations than one replay may
    /// ([`crate::sim::MAX_EVALUATIONS`], 200 000: 34 days 17 h of an HPA at its 15 s sync period,
    /// 4 days 15 h of Knative at its 2 s tick), checked from the horizon before anything runs. The
    /// replay is not run; the other diagnostics are still reported. The message names the span, the
    /// evaluations, the limit and the longest replay this autoscaler allows; the help suggests a
    /// window of the data in the input's own times.
    ///
    /// # Why is this bad
    /// Such a horizon comes from a far-away time (a demand row or sample decades from the rest, RFC
    /// 3339 years 0001 and 9999) or a huge `--duration`; replaying it would take minutes and
    /// gigabytes, and a timeline that long answers no question about the autoscaler.
    ///
    /// # Example
    /// ```text
    /// # demand.csv
    /// time,value
    /// 0,1
    /// 1000000000000,2
    /// ```
    ///
    /// # Fix
    /// Replay a window of the data: `--from`/`--to` (RFC 3339, or seconds in the input's own time
    /// base; the playground's two fields), or a shorter `--duration`; remove the far-away rows.
    /// For a long replay you mean, raise the limit: `--max-evaluations N` (the help names the N
    /// that replays all of it; at most 32 000 000, a year at a 1 s cadence).
    ///
    /// # References
    /// - Scalelens `core/src/sim/limit.rs` (the cap and its measured costs).
    pub(crate) const REPLAY_TOO_LONG;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SECOND;

    fn autoscaler(yaml: &str) -> Autoscaler {
        match crate::config::parse(yaml).autoscalers.into_iter().next() {
            Some(a) => a,
            None => panic!("no autoscaler in {yaml}"),
        }
    }

    const HPA: &str = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: d}\n  maxReplicas: 5\n  metrics:\n    - type: Resource\n      resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}\n";
    const KEDA: &str = "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: k}\nspec:\n  scaleTargetRef: {name: d}\n  triggers:\n    - type: prometheus\n      metadata: {serverAddress: 'http://p:9090', query: 'sum(x)', threshold: '5'}\n";
    const KNATIVE: &str = "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: s}\nspec:\n  template:\n    spec:\n      containers: [{image: x}]\n";

    const DAY: Millis = 86_400 * SECOND;

    /// (autoscaler, horizon, evaluations, within the limit).
    #[test]
    fn evaluations_follow_each_controllers_cadence() {
        let cases: &[(&str, Millis, u64, bool)] = &[
            (HPA, 0, 1, true),
            (HPA, 15 * SECOND, 2, true),
            (HPA, DAY, 5_761, true),
            (HPA, 34 * DAY, 195_841, true),
            (HPA, 35 * DAY, 201_601, false),
            // KEDA: 30 s polls plus 15 s syncs.
            (KEDA, DAY, 2_881 + 5_761, true),
            (KEDA, 30 * DAY, 86_401 + 172_801, false),
            // Knative: one per 2 s tick.
            (KNATIVE, DAY, 43_201, true),
            (KNATIVE, 5 * DAY, 216_001, false),
            // A stray epoch-0 sample against 2025 data, and `--duration 18446744073709551`.
            (HPA, 1_764_316_800_000, 117_621_121, false),
            (HPA, u64::MAX, u64::MAX / 15_000 + 1, false),
        ];
        for &(yaml, horizon, n, ok) in cases {
            let a = autoscaler(yaml);
            assert_eq!(evaluations(&a, horizon), n, "{horizon}");
            assert_eq!(check(&a, horizon, MAX_EVALUATIONS).is_ok(), ok, "{horizon}");
        }
    }

    /// Up to `METRICS_PER_EVALUATION` metrics an evaluation counts once; above, once per
    /// started group of 10, and the message says so.
    #[test]
    fn many_metrics_weigh_each_evaluation() {
        let metric = "    - type: Pods\n      pods: {metric: {name: m}, target: {type: AverageValue, averageValue: '1'}}\n";
        let hpa = |n: usize| {
            autoscaler(&format!(
                "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {{name: h}}\nspec:\n  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: d}}\n  maxReplicas: 5\n  metrics:\n{}",
                metric.repeat(n)
            ))
        };
        // (metrics, evaluations of a day at 15 s)
        for (n, expect) in [(1, 5_761), (10, 5_761), (11, 11_522), (25, 17_283)] {
            assert_eq!(evaluations(&hpa(n), DAY), expect, "{n} metrics");
        }
        let e = match check(&hpa(25), 20 * DAY, MAX_EVALUATIONS) {
            Err(e) => e,
            Ok(n) => panic!("{n} evaluations accepted"),
        };
        assert!(
            e.to_string()
                .contains("with 25 metrics (each evaluation counts 3 times: once per 10 metrics)"),
            "{e}"
        );
    }

    #[test]
    fn the_longest_replay_is_exactly_at_the_limit() {
        for yaml in [HPA, KEDA, KNATIVE] {
            let a = autoscaler(yaml);
            let span = max_span(&a, MAX_EVALUATIONS);
            assert!(evaluations(&a, span) <= MAX_EVALUATIONS);
            assert!(evaluations(&a, span + 1) > MAX_EVALUATIONS);
            assert!(check(&a, span, MAX_EVALUATIONS).is_ok());
            let e = check(&a, span + 1, MAX_EVALUATIONS).err();
            assert_eq!(e.map(|e| e.max_span), Some(span));
        }
        assert_eq!(
            format!("{:#}", Dur(max_span(&autoscaler(HPA), MAX_EVALUATIONS))),
            "34 days 17h"
        );
        assert_eq!(
            format!("{:#}", Dur(max_span(&autoscaler(KNATIVE), MAX_EVALUATIONS))),
            "4 days 15h"
        );
        assert_eq!(
            format!("{:#}", Dur(max_span(&autoscaler(KEDA), MAX_EVALUATIONS))),
            "23 days 3h"
        );
    }

    #[test]
    fn the_error_names_the_span_the_limit_and_the_cadence() {
        let e = match check(&autoscaler(KEDA), 1_764_316_800_000, MAX_EVALUATIONS) {
            Err(e) => e,
            Ok(n) => panic!("{n} evaluations accepted"),
        };
        assert_eq!(
            e.to_string(),
            "the replay spans 55 years 345 days: 176,431,682 evaluations at the KEDA polling \
             interval (30s) and the HPA sync period (15s), more than the 200,000 one replay may \
             run (23 days 3h for this autoscaler)"
        );
    }

    /// The per-evaluation memory [`MAX_EVALUATIONS`] was derived with.
    #[test]
    fn a_timeline_entry_is_72_bytes() {
        assert_eq!(std::mem::size_of::<super::super::TimelineEntry>(), 72);
    }
}
