//! Knative's windowed metric averages.
//!
//! Upstream: knative/serving v1.20 `pkg/autoscaler/aggregation/bucketing.go`
//! (`TimedFloat64Buckets`, `WeightedFloat64Buckets`), fed once a second by
//! `pkg/autoscaler/metrics/collector.go`.
//!
//! Time is simulated milliseconds, read as absolute time ("unix milliseconds"); bucket indexes are
//! `time / granularity`, exactly as upstream's `timeToIndex` (`unix seconds / granularity
//! seconds`). "No write yet" (Go's zero `time.Time`, far in the past) is `None`.

use crate::model::Millis;

/// Number of digits the linear average keeps (`precision`, `bucketing.go`). Upstream truncates
/// (`math.Floor(f·10⁶)/10⁶`), it does not round to nearest.
const PRECISION_DIGITS: i32 = 6;
/// Minimal decay multiplier of the weighted average (`minExponent`, `bucketing.go`).
const MIN_EXPONENT: f64 = 0.2;
/// The weights of the weighted average must sum to at least this (`weightPrecision`).
const WEIGHT_PRECISION: f64 = 0.9999;

/// `roundToNDigits` (`bucketing.go`): floor to `n` decimal digits.
pub fn round_to_n_digits(n: i32, f: f64) -> f64 {
    let p = 10f64.powi(n);
    (f * p).floor() / p
}

/// `computeSmoothingCoeff` (`bucketing.go`): `max(1 − (1 − 0.9999)^(1/nb), 0.2)`.
pub fn smoothing_coefficient(num_buckets: usize) -> f64 {
    let nb = num_buckets.max(1) as f64;
    (1.0 - (1.0 - WEIGHT_PRECISION).powf(1.0 / nb)).max(MIN_EXPONENT)
}

/// A ring of buckets over `window`, each `granularity` long (`TimedFloat64Buckets`).
/// Values written into the same bucket are summed.
#[derive(Debug, Clone)]
pub struct TimedBuckets {
    buckets: Vec<f64>,
    granularity: Millis,
    window: Millis,
    /// Start of the oldest bucket that holds data of the current run (`firstWrite`).
    first_write: Option<Millis>,
    /// Start of the newest bucket written (`lastWrite`).
    last_write: Option<Millis>,
    /// Sum of all buckets (`windowTotal`).
    window_total: f64,
}

impl TimedBuckets {
    /// `NewTimedFloat64Buckets(window, granularity)`: `ceil(window / granularity)` buckets.
    pub fn new(window: Millis, granularity: Millis) -> Self {
        let granularity = granularity.max(1);
        let window = window.max(1);
        let nb = window.div_ceil(granularity).max(1);
        let nb = usize::try_from(nb).unwrap_or(usize::MAX).min(1 << 20);
        TimedBuckets {
            buckets: vec![0.0; nb],
            granularity,
            window,
            first_write: None,
            last_write: None,
            window_total: 0.0,
        }
    }

    pub fn num_buckets(&self) -> usize {
        self.buckets.len()
    }

    pub fn window(&self) -> Millis {
        self.window
    }

    fn truncate(&self, t: Millis) -> Millis {
        t - t % self.granularity
    }

    fn index(&self, t: Millis) -> u64 {
        t / self.granularity
    }

    fn slot(&self, index: u64) -> usize {
        // `buckets.len() >= 1` (constructor), so the modulo is defined and in range; an empty
        // ring (impossible) maps everything to slot 0, which `get` then reports as absent, and
        // the ring then holds nothing.
        index.checked_rem(self.buckets.len() as u64).unwrap_or(0) as usize
    }

    /// The value of the bucket holding time index `index`; `0.0` (an empty bucket) if the ring
    /// had no buckets, which the constructor rules out.
    fn bucket(&self, index: u64) -> f64 {
        self.buckets.get(self.slot(index)).copied().unwrap_or(0.0)
    }

    /// `Record(now, value)`.
    ///
    /// - A write into the newest bucket is added to it.
    /// - A write at or before `lastWrite − window` is dropped.
    /// - A write older than `firstWrite` (but inside the window) moves `firstWrite` back.
    /// - A write after a gap of a whole window or more resets every bucket and `firstWrite`.
    /// - A write after a shorter gap zeroes the skipped buckets.
    pub fn record(&mut self, now: Millis, value: f64) {
        if !value.is_finite() {
            return;
        }
        let bucket_time = self.truncate(now);
        let write_idx = self.index(now);
        if self.last_write != Some(bucket_time) {
            // `bucketTime.Add(window).After(lastWrite)`; with no write yet it is always true.
            let inside = match self.last_write {
                None => true,
                Some(lw) => bucket_time.saturating_add(self.window) > lw,
            };
            if !inside {
                return;
            }
            if self.first_write.is_none_or(|fw| fw > bucket_time) {
                self.first_write = Some(bucket_time);
            }
            let newer = self.last_write.is_none_or(|lw| bucket_time > lw);
            if newer {
                let reset = match self.last_write {
                    None => true,
                    Some(lw) => bucket_time - lw >= self.window,
                };
                if reset {
                    self.first_write = Some(bucket_time);
                    self.buckets.iter_mut().for_each(|b| *b = 0.0);
                    self.window_total = 0.0;
                } else if let Some(lw) = self.last_write {
                    // Fewer than `window` buckets apart, so this loop is short.
                    for i in self.index(lw) + 1..=write_idx {
                        let s = self.slot(i);
                        if let Some(b) = self.buckets.get_mut(s) {
                            self.window_total -= *b;
                            *b = 0.0;
                        }
                    }
                }
                self.last_write = Some(bucket_time);
            }
        }
        // The total only counts what a bucket holds, so the two stay consistent.
        let s = self.slot(write_idx);
        if let Some(b) = self.buckets.get_mut(s) {
            *b += value;
            self.window_total += value;
        }
    }

    /// `IsEmpty(now)`: nothing written during the last `window` (`now − lastWrite > window`).
    pub fn is_empty(&self, now: Millis) -> bool {
        let now = self.truncate(now);
        match self.last_write {
            None => true,
            Some(lw) => now > lw && now - lw > self.window,
        }
    }

    /// Number of buckets since `firstWrite` up to `lastWrite`, inclusive.
    fn written_span(&self, lw: Millis) -> u64 {
        let fw = self.first_write.unwrap_or(lw);
        lw.saturating_sub(fw) / self.granularity + 1
    }

    /// The linear `WindowAverage(now)`:
    /// - `now ≤ lastWrite`: total / min(buckets since firstWrite, nb);
    /// - `0 < now − lastWrite < window`: the buckets in (lastWrite, now] are left out of the
    ///   total and out of the denominator (`min(buckets since firstWrite, nb − gap)`);
    /// - otherwise 0.
    ///
    /// The result is floored to 6 decimal digits.
    pub fn window_average(&self, now: Millis) -> f64 {
        let now = self.truncate(now);
        let Some(lw) = self.last_write else {
            return 0.0;
        };
        let nb = self.buckets.len() as u64;
        if now <= lw {
            let num = self.written_span(lw).min(nb).max(1);
            return round_to_n_digits(PRECISION_DIGITS, self.window_total / num as f64);
        }
        if now - lw < self.window {
            let st = self.index(lw);
            let en = self.index(now);
            let mut total = self.window_total;
            for i in st + 1..=en {
                total -= self.bucket(i);
            }
            let num = self.written_span(lw).min(nb.saturating_sub(en - st)).max(1);
            return round_to_n_digits(PRECISION_DIGITS, total / num as f64);
        }
        0.0
    }

    /// `WeightedFloat64Buckets.WindowAverage(now)`: Σ bucket[newest−i]·m·(1−m)^i, walking back
    /// from `lastWrite`; when `now` is `k` buckets after `lastWrite` the walk starts at
    /// m·(1−m)^k and covers `k` fewer buckets. Not normalised by the sum of weights, not rounded.
    pub fn weighted_average(&self, now: Millis, smoothing: f64) -> f64 {
        let now = self.truncate(now);
        if self.is_empty(now) {
            return 0.0;
        }
        let Some(lw) = self.last_write else {
            return 0.0;
        };
        let total = self.buckets.len() as u64;
        let mut count = total;
        let mut multiplier = smoothing;
        if now > lw {
            let zeros = (now - lw) / self.granularity;
            multiplier *= (1.0 - smoothing).powf(zeros as f64);
            count = count.saturating_sub(zeros);
        }
        let start = self.index(lw) + total;
        let mut ret = 0.0;
        for i in 0..count {
            ret += self.bucket(start - i) * multiplier;
            multiplier *= 1.0 - smoothing;
        }
        ret
    }
}

/// One metric window with the aggregation algorithm chosen by
/// `autoscaling.knative.dev/metric-aggregation-algorithm`.
#[derive(Debug, Clone)]
pub enum MetricWindow {
    /// `linear` (default): `TimedFloat64Buckets`.
    Linear(TimedBuckets),
    /// `weighted-exponential`: `WeightedFloat64Buckets`, with its smoothing coefficient.
    Weighted(TimedBuckets, f64),
}

impl MetricWindow {
    pub fn linear(window: Millis, granularity: Millis) -> Self {
        MetricWindow::Linear(TimedBuckets::new(window, granularity))
    }

    pub fn weighted(window: Millis, granularity: Millis) -> Self {
        let b = TimedBuckets::new(window, granularity);
        let m = smoothing_coefficient(b.num_buckets());
        MetricWindow::Weighted(b, m)
    }

    fn buckets(&self) -> &TimedBuckets {
        match self {
            MetricWindow::Linear(b) | MetricWindow::Weighted(b, _) => b,
        }
    }

    pub fn record(&mut self, now: Millis, value: f64) {
        match self {
            MetricWindow::Linear(b) | MetricWindow::Weighted(b, _) => b.record(now, value),
        }
    }

    pub fn is_empty(&self, now: Millis) -> bool {
        self.buckets().is_empty(now)
    }

    pub fn average(&self, now: Millis) -> f64 {
        match self {
            MetricWindow::Linear(b) => b.window_average(now),
            MetricWindow::Weighted(b, m) => b.weighted_average(now, *m),
        }
    }
}
