//! The scale-down-delay window: the maximum recommendation over the last `scale-down-delay`.
//!
//! Upstream: knative/serving v1.20 `pkg/autoscaler/aggregation/max/timewindow.go` and
//! `window.go` (a monotonic "descending maxima" buffer), used by `Scale()` in
//! `pkg/autoscaler/scaling/autoscaler.go` with the decider tick (2 s) as granularity.

use std::collections::VecDeque;

use crate::model::Millis;

/// `max.TimeWindow`: `ceil(duration / granularity)` slots; index = `unix seconds / granularity
/// seconds`; an entry expires once `index − entry.index ≥ slots`. Two values recorded at the
/// same index keep the larger one.
#[derive(Debug, Clone)]
pub struct MaxTimeWindow {
    slots: u64,
    granularity_s: u64,
    /// (index, value), indexes ascending, values strictly descending.
    maxima: VecDeque<(u64, i32)>,
}

impl MaxTimeWindow {
    pub fn new(duration: Millis, granularity: Millis) -> Self {
        let granularity = granularity.max(1);
        MaxTimeWindow {
            slots: duration.div_ceil(granularity).max(1),
            // `int(granularity.Seconds())`; at least 1 so the division below is defined.
            granularity_s: (granularity / 1000).max(1),
            maxima: VecDeque::new(),
        }
    }

    /// `Record(now, value)`.
    pub fn record(&mut self, now: Millis, value: i32) {
        let index = (now / 1000) / self.granularity_s;
        let mut v = value;
        // A value not larger than the new one can never be the maximum again.
        while let Some(&(_, last)) = self.maxima.back() {
            if v < last {
                break;
            }
            self.maxima.pop_back();
        }
        // Drop entries that left the window.
        while let Some(&(first_idx, _)) = self.maxima.front() {
            if index.saturating_sub(first_idx) >= self.slots {
                self.maxima.pop_front();
            } else {
                break;
            }
        }
        // Same index as the newest entry: keep the larger value.
        if let Some(&(last_idx, last)) = self.maxima.back() {
            if last_idx == index {
                v = v.max(last);
                self.maxima.pop_back();
            }
        }
        self.maxima.push_back((index, v));
    }

    /// `Current()`: the maximum over the window (0 before the first record).
    pub fn current(&self) -> i32 {
        self.maxima.front().map_or(0, |&(_, v)| v)
    }
}
