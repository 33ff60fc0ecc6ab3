//! AIBrix v0.4.0 time window (`pkg/controller/podautoscaler/aggregation/window.go`).
//!
//! A ring of `ceil(duration / 1 s)` entries, each `(Unix second, value)`. `Record` first drops
//! entries from the oldest end while their second is `<= new_second - size`, then appends the
//! new entry if the ring is not full (a full ring silently drops the new value). Every record
//! is its own entry (two records in the same second are two entries). `Avg` and `Max` run over
//! the entries present and fail on an empty ring. Eviction happens only on record, so stale
//! values persist while nothing is recorded.

use std::collections::VecDeque;

use crate::model::{Millis, SECOND};

/// The Gen A ring window (`aggregation.TimeWindow` with 1 s granularity, v0.4.0).
#[derive(Debug, Clone, PartialEq)]
pub struct RingWindow {
    size: u64,
    entries: VecDeque<(u64, f64)>,
}

impl RingWindow {
    /// `NewTimeWindow(duration, time.Second)`: `ceil(duration / 1 s)` entries.
    pub fn new(duration: Millis) -> Self {
        RingWindow {
            size: duration.div_ceil(SECOND),
            entries: VecDeque::new(),
        }
    }

    /// The ring's capacity in entries.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The entries present, oldest first, as `(Unix second, value)`.
    pub fn entries(&self) -> impl Iterator<Item = (u64, f64)> + '_ {
        self.entries.iter().copied()
    }

    /// `Record(now, value)`: the entry's index is the whole second of `t`.
    pub fn record(&mut self, t: Millis, value: f64) {
        let index = t / SECOND;
        while let Some(&(first, _)) = self.entries.front() {
            // `first <= index - size`, written without underflow.
            if first.saturating_add(self.size) <= index {
                self.entries.pop_front();
            } else {
                break;
            }
        }
        if (self.entries.len() as u64) < self.size {
            self.entries.push_back((index, value));
        }
    }

    /// `Avg()`: the plain mean of the entries; `None` ("no data available") when empty.
    pub fn avg(&self) -> Option<f64> {
        if self.entries.is_empty() {
            return None;
        }
        let sum: f64 = self.entries.iter().map(|&(_, v)| v).sum();
        Some(sum / self.entries.len() as f64)
    }

    /// `Max()`: the largest entry; `None` when empty.
    pub fn max(&self) -> Option<f64> {
        self.entries.iter().map(|&(_, v)| v).reduce(f64::max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_only_on_record_and_keeps_same_second_entries() {
        let mut w = RingWindow::new(10 * SECOND);
        w.record(0, 1.0);
        w.record(500, 3.0); // same second: a second entry
        assert_eq!(w.avg(), Some(2.0));
        w.record(9_999, 5.0); // second 9 > 0 - 10: kept
        assert_eq!(w.entries().count(), 3);
        w.record(10_000, 7.0); // second 10: evicts second 0 (0 <= 10 - 10)
        assert_eq!(w.entries().collect::<Vec<_>>(), vec![(9, 5.0), (10, 7.0)]);
        assert_eq!(w.max(), Some(7.0));
    }

    #[test]
    fn full_ring_drops_the_new_value_and_empty_ring_has_no_data() {
        let mut w = RingWindow::new(1); // ceil(1 ms / 1 s) = 1 entry
        assert_eq!(w.size(), 1);
        assert_eq!(w.avg(), None);
        assert_eq!(w.max(), None);
        w.record(0, 1.0);
        w.record(100, 9.0); // same second, ring full: dropped
        assert_eq!(w.avg(), Some(1.0));
        let mut z = RingWindow::new(0);
        z.record(0, 1.0);
        assert_eq!(z.avg(), None);
    }
}
