//! AIBrix v0.7.0 metric time window.
//!
//! Upstream: vllm-project/aibrix v0.7.0 `pkg/controller/podautoscaler/types/metrics.go`
//! (`TimeWindow`: `Record`, `Avg`), created by `metrics/client.go` with a 1 s granularity
//! (`NewMetricsClient(time.Second)`).
//!
//! Semantics, as upstream:
//! - a recorded value goes into the bucket `floor(t / granularity)`; a later value in the same
//!   bucket replaces it (last write wins);
//! - buckets older than `floor((t − duration) / granularity)` are evicted, **only when a value is
//!   recorded** (reading never evicts, so stale buckets persist while nothing is recorded);
//! - `avg()` is the plain mean of the remaining buckets (summed in time order), `0` when empty.
//!   It does not look at the current time.

use std::collections::BTreeMap;

use crate::model::Millis;

/// Bucket granularity of AIBrix's metric windows (`metrics.NewMetricsClient(time.Second)`).
pub const GRANULARITY: Millis = 1_000;

/// A sliding window of per-tick values in 1 s buckets.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeWindow {
    duration: Millis,
    granularity: Millis,
    /// Bucket index → value. A `BTreeMap` so the mean is summed in time order, as upstream
    /// (which sorts its bucket keys), and the result is deterministic to the last bit.
    buckets: BTreeMap<i64, f64>,
}

fn to_i64(x: Millis) -> i64 {
    i64::try_from(x).unwrap_or(i64::MAX)
}

impl TimeWindow {
    /// A window of `duration` with AIBrix's 1 s buckets.
    pub fn new(duration: Millis) -> Self {
        Self::with_granularity(duration, GRANULARITY)
    }

    /// A window with an explicit bucket size (a zero granularity is taken as 1 ms).
    pub fn with_granularity(duration: Millis, granularity: Millis) -> Self {
        TimeWindow {
            duration,
            granularity: granularity.max(1),
            buckets: BTreeMap::new(),
        }
    }

    pub fn duration(&self) -> Millis {
        self.duration
    }

    fn bucket(&self, t: i64) -> i64 {
        // Floor division: upstream timestamps are Unix times (positive); simulated time starts
        // at 0, so `t − duration` can be negative, and flooring keeps the bucket boundaries where
        // a positive, second-aligned epoch would put them.
        t.div_euclid(to_i64(self.granularity))
    }

    /// Record `value` at time `t` (ms), then evict buckets older than `t − duration`.
    pub fn record(&mut self, t: Millis, value: f64) {
        let t = to_i64(t);
        let b = self.bucket(t);
        self.buckets.insert(b, value);
        let cutoff = self.bucket(t.saturating_sub(to_i64(self.duration)));
        // Keep buckets at or after the cutoff (upstream deletes `b < cutoff`).
        self.buckets = self.buckets.split_off(&cutoff);
    }

    /// Plain mean of the buckets present; `0` when the window is empty.
    pub fn avg(&self) -> f64 {
        if self.buckets.is_empty() {
            return 0.0;
        }
        let sum: f64 = self.buckets.values().sum();
        sum / self.buckets.len() as f64
    }

    /// Number of buckets present.
    pub fn len(&self) -> usize {
        self.buckets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.buckets.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each case: the window's duration and its steps, each a sample recorded (`None`: a read
    /// only) and the bucket count and average after it.
    #[test]
    fn windows() {
        type Step = (Option<(Millis, f64)>, usize, f64);
        let cases: [(&str, Millis, &[Step]); 4] = [
            ("an empty window averages zero", 60_000, &[(None, 0, 0.0)]),
            (
                "the last write wins within a bucket",
                60_000,
                &[
                    (Some((10_000, 1.0)), 1, 1.0),
                    (Some((10_999, 5.0)), 1, 5.0),
                    (Some((11_000, 7.0)), 2, 6.0),
                ],
            ),
            (
                // Reading long after does not evict: stale buckets persist. Recording at 40 s
                // evicts buckets before 10 s (cutoff bucket 10 is kept); at 41 s the 10 s
                // bucket goes.
                "eviction only on record",
                30_000,
                &[
                    (Some((0, 10.0)), 1, 10.0),
                    (Some((10_000, 20.0)), 2, 15.0),
                    (None, 2, 15.0),
                    (Some((40_000, 30.0)), 2, 25.0),
                    (Some((41_000, 30.0)), 2, 30.0),
                ],
            ),
            (
                // Upstream deletes `b < cutoff`: the bucket exactly `duration` old stays.
                "the cutoff bucket is kept",
                60_000,
                &[(Some((0, 10.0)), 1, 10.0), (Some((60_000, 70.0)), 2, 40.0)],
            ),
        ];
        for (what, duration, steps) in cases {
            let mut w = TimeWindow::new(duration);
            for (i, &(sample, len, avg)) in steps.iter().enumerate() {
                if let Some((t, v)) = sample {
                    w.record(t, v);
                }
                assert_eq!((w.len(), w.avg()), (len, avg), "{what}, step {i}");
                assert_eq!(w.is_empty(), len == 0, "{what}, step {i}");
            }
        }
    }
}
