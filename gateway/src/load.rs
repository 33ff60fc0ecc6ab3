//! The cluster-level load signals and the KPA recommendation, fed once per tick.
//!
//! One [`LoadAggregator`] per upstream cluster, fed once per second by the one VM that holds
//! the aggregation lease (`plugin/src/root.rs`, `plugin/src/lease.rs`) with the cluster's
//! average concurrency over that second ([`LoadAggregator::tick_average`]: ten in-flight
//! samples, one per 100 ms tick) and a cumulative token counter, both read from Envoy's shared
//! metrics so they cover every worker.
//!
//! The maths are core's Knative KPA, not a copy:
//! - the stable and panic windows are [`MetricWindow`]s (knative/serving v1.20
//!   `pkg/autoscaler/aggregation/bucketing.go`), 1 s buckets (`BucketSize`, `config.go`), the
//!   panic window from [`GatewayConfig::panic_window`] (`MakeMetric`, `metric.go`);
//! - each tick records one sample per bucket, as Knative's collector scrapes once per second
//!   (`collector.go`); further ticks in the same second are ignored (a value recorded twice into
//!   a bucket would be summed);
//! - concurrency is the average of the in-flight gauge sampled every 100 ms over the second
//!   (Knative's queue-proxy integrates concurrency exactly over its 1 s report period,
//!   `pkg/queue/stats.go`; sampling at 100 ms is the closest the gateway gets without two more
//!   per-request updates of start/end time sums, which would cost each request more than the
//!   resolution is worth); [`LoadAggregator::tick`] takes a single point sample instead;
//! - tokens per second is the counter's increase since the previous tick divided by the
//!   elapsed time, recorded like Knative's `rps` (request count per second); a counter that
//!   goes backwards (Envoy restart) restarts the rate from the new value;
//! - [`LoadAggregator::recommendation`] runs the Knative decider
//!   (`pkg/autoscaler/scaling/autoscaler.go` `Scale`, core's [`Decider`]) on the window
//!   averages, panic mode included; like upstream, an empty stable window gives no valid
//!   recommendation.

use crate::filter_config::{GatewayConfig, TargetMetric};
use scalelens_core::algorithm::knative::decider::{Decider, DeciderSpec, ScaleResult};
use scalelens_core::algorithm::knative::window::MetricWindow;
use scalelens_core::algorithm::knative::SCRAPE_INTERVAL;
use scalelens_core::model::Millis;

/// The averages after a tick.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Load {
    /// Average in-flight requests over the stable window.
    pub stable_concurrency: f64,
    /// Average in-flight requests over the panic window.
    pub panic_concurrency: f64,
    /// Tokens per second over the stable window.
    pub stable_tokens_per_second: f64,
    /// Tokens per second over the panic window.
    pub(crate) panic_tokens_per_second: f64,
}

/// A recommendation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Recommendation {
    /// Desired pods; `None` when the windows hold no data yet (Knative: `ScaleValid` false).
    pub desired: Option<u32>,
    /// The decider is in panic mode.
    pub panicking: bool,
    /// The stable and panic observations the decision used, in the target's metric.
    pub(crate) observed_stable: f64,
    pub(crate) observed_panic: f64,
    /// The full decider result (reason, dspc/dppc).
    pub result: ScaleResult,
}

/// Windows and decider of one cluster. Allocates its windows once, at construction.
#[derive(Debug, Clone)]
pub struct LoadAggregator {
    metric: TargetMetric,
    spec: DeciderSpec,
    stable_c: MetricWindow,
    panic_c: MetricWindow,
    stable_t: MetricWindow,
    panic_t: MetricWindow,
    decider: Option<Decider>,
    /// Bucket index of the last recorded tick.
    last_bucket: Option<Millis>,
    /// Previous token counter reading and its time.
    last_tokens: Option<(Millis, u64)>,
}

impl LoadAggregator {
    pub fn new(config: &GatewayConfig) -> Self {
        let stable = config.stable_window.max(SCRAPE_INTERVAL);
        let panic = config.panic_window();
        LoadAggregator {
            metric: config.target.metric,
            spec: config.decider_spec(),
            stable_c: MetricWindow::linear(stable, SCRAPE_INTERVAL),
            panic_c: MetricWindow::linear(panic, SCRAPE_INTERVAL),
            stable_t: MetricWindow::linear(stable, SCRAPE_INTERVAL),
            panic_t: MetricWindow::linear(panic, SCRAPE_INTERVAL),
            decider: None,
            last_bucket: None,
            last_tokens: None,
        }
    }

    /// One tick at `now_ms` (absolute milliseconds, e.g. the host's wall clock) with the
    /// cluster's in-flight requests and its cumulative token counter. Returns the averages.
    pub fn tick(&mut self, now_ms: Millis, in_flight: u64, tokens_total: u64) -> Load {
        self.tick_average(now_ms, in_flight as f64, tokens_total)
    }

    /// [`tick`](Self::tick) with the concurrency already averaged over the last second (the
    /// filter samples the in-flight gauge several times a second), closer to queue-proxy's
    /// time-weighted report (`pkg/queue/stats.go`). NaN or negative reads as 0.
    pub fn tick_average(&mut self, now_ms: Millis, concurrency: f64, tokens_total: u64) -> Load {
        let bucket = now_ms / SCRAPE_INTERVAL;
        let fresh = self.last_bucket.is_none_or(|b| bucket > b);
        if fresh {
            self.last_bucket = Some(bucket);
            let c = if concurrency.is_finite() && concurrency > 0.0 {
                concurrency
            } else {
                0.0
            };
            self.stable_c.record(now_ms, c);
            self.panic_c.record(now_ms, c);
            match self.last_tokens {
                Some((t0, n0)) if now_ms > t0 && tokens_total >= n0 => {
                    let rate = (tokens_total - n0) as f64 * 1000.0 / (now_ms - t0) as f64;
                    self.stable_t.record(now_ms, rate);
                    self.panic_t.record(now_ms, rate);
                }
                _ => {}
            }
            self.last_tokens = Some((now_ms, tokens_total));
        }
        self.load(now_ms)
    }

    /// The window averages at `now_ms` (no recording).
    pub fn load(&self, now_ms: Millis) -> Load {
        Load {
            stable_concurrency: self.stable_c.average(now_ms),
            panic_concurrency: self.panic_c.average(now_ms),
            stable_tokens_per_second: self.stable_t.average(now_ms),
            panic_tokens_per_second: self.panic_t.average(now_ms),
        }
    }

    /// Create the decider now with `ready_pods` ready pods (Knative creates it when the
    /// revision's autoscaler starts; with more than one ready pod it starts in panic mode,
    /// `newAutoscaler`). Without this call the first [`recommendation`](Self::recommendation)
    /// creates it. A second call does nothing.
    pub fn start(&mut self, now_ms: Millis, ready_pods: u32) {
        if self.decider.is_none() {
            self.decider = Some(Decider::new(self.spec.clone(), ready_pods, now_ms));
        }
    }

    /// Knative's `Scale(now)` with `ready_pods` ready pods. The decider is created at the first
    /// call with that ready count (more than one ready pod starts it in panic mode, as after an
    /// autoscaler restart: `newAutoscaler`).
    pub fn recommendation(&mut self, now_ms: Millis, ready_pods: u32) -> Recommendation {
        let spec = self.spec.clone();
        let decider = self
            .decider
            .get_or_insert_with(|| Decider::new(spec, ready_pods, now_ms));
        let (stable_w, panic_w) = match self.metric {
            TargetMetric::Concurrency => (&self.stable_c, &self.panic_c),
            TargetMetric::TokensPerSecond => (&self.stable_t, &self.panic_t),
        };
        if stable_w.is_empty(now_ms) {
            return Recommendation {
                desired: None,
                panicking: decider.is_panicking(),
                observed_stable: f64::NAN,
                observed_panic: f64::NAN,
                result: ScaleResult::invalid(),
            };
        }
        let stable = stable_w.average(now_ms);
        let panic = panic_w.average(now_ms);
        let r = decider.scale(now_ms, ready_pods, stable, panic);
        Recommendation {
            desired: Some(r.desired.max(0) as u32),
            panicking: r.panicking,
            observed_stable: stable,
            observed_panic: panic,
            result: r,
        }
    }

    pub fn is_panicking(&self) -> bool {
        self.decider.as_ref().is_some_and(Decider::is_panicking)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_load_gives_ceil_over_target() {
        let c = GatewayConfig::default(); // target 100 × 70 % = 70
        let mut a = LoadAggregator::new(&c);
        let t0 = 1_764_316_800_000;
        for s in 0..60 {
            a.tick(t0 + s * 1000, 350, 0);
        }
        let now = t0 + 59_000;
        let l = a.load(now);
        assert_eq!(l.stable_concurrency, 350.0);
        assert_eq!(l.panic_concurrency, 350.0);
        let r = a.recommendation(now, 5);
        assert_eq!(r.desired, Some(5));
    }

    #[test]
    fn averaged_concurrency_keeps_its_fraction_and_bad_values_read_as_zero() {
        let mut a = LoadAggregator::new(&GatewayConfig::default());
        let t0 = 1_764_316_800_000;
        for s in 0..6 {
            a.tick_average(t0 + s * 1000, 2.5, 0);
        }
        assert_eq!(a.load(t0 + 5_000).panic_concurrency, 2.5);
        let mut b = LoadAggregator::new(&GatewayConfig::default());
        b.tick_average(t0, f64::NAN, 0);
        b.tick_average(t0 + 1000, -3.0, 0);
        assert_eq!(b.load(t0 + 1000).stable_concurrency, 0.0);
    }

    #[test]
    fn no_data_is_no_recommendation() {
        let mut a = LoadAggregator::new(&GatewayConfig::default());
        assert_eq!(a.recommendation(5_000, 1).desired, None);
    }

    #[test]
    fn tokens_per_second() {
        let c =
            GatewayConfig::from_json(r#"{"target":{"tokens_per_second_per_pod":1000}}"#).unwrap();
        let mut a = LoadAggregator::new(&c);
        let mut n = 0;
        for s in 0..10u64 {
            a.tick(s * 1000, 0, n);
            n += 3500;
        }
        let l = a.load(9_000);
        assert_eq!(l.stable_tokens_per_second, 3500.0);
        // 3500 / 700 = 5 pods.
        assert_eq!(a.recommendation(9_000, 5).desired, Some(5));
        // A second tick in the same second is ignored.
        a.tick(9_500, 0, n + 1_000_000);
        assert_eq!(a.load(9_500).stable_tokens_per_second, 3500.0);
    }
}
