//! AIBrix v0.7.0 recommendation stabilization ("cooldown windows").
//!
//! Upstream: vllm-project/aibrix v0.7.0 `pkg/controller/podautoscaler/podautoscaler_controller.go`
//! (`stabilizeRecommendation`, `cleanOldRecommendations`), applied to KPA and APA after the
//! multi-metric max and before the final `[minReplicas, maxReplicas]` clamp.
//!
//! Every call appends `(now, recommendation)` to the history first (also when the
//! recommendation equals the current count), then drops entries not strictly newer than
//! `now − max(upWindow, downWindow)`. Then:
//! - recommendation > current: the **max** of the entries strictly newer than `now − upWindow`;
//! - recommendation < current: the **min** of the entries strictly newer than `now − downWindow`;
//! - recommendation == current: the current count.
//!
//! With a 0 s window no entry is strictly newer than `now`, so the recommendation itself is used.
//! ⚠ The scale-down direction takes the MIN, the inverse of the Kubernetes HPA (which delays a
//! scale-down with the max): a scale-down jumps to the lowest recommendation of the last 5 min
//! (default window), which can be lower than the current recommendation.

use crate::model::Millis;

/// Which way the stabilization looked, and whether it changed the recommendation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stabilized {
    /// Recommendation equal to the current count: unchanged.
    NoChange,
    /// Scale-up: max over the scale-up window. `changed` when it differs from the recommendation.
    Up { changed: bool },
    /// Scale-down: min over the scale-down window.
    Down { changed: bool },
}

/// A PodAutoscaler's recommendation history (`r.recommendations[namespace/name]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecommendationHistory {
    entries: Vec<(Millis, u32)>,
}

/// `ts` is strictly after `now − window` (Go `ts.After(now.Add(-window))`), without underflow.
fn after_cutoff(ts: Millis, now: Millis, window: Millis) -> bool {
    u128::from(ts) + u128::from(window) > u128::from(now)
}

impl RecommendationHistory {
    pub fn new() -> Self {
        Self::default()
    }

    /// Entries kept, oldest first.
    pub fn entries(&self) -> &[(Millis, u32)] {
        &self.entries
    }

    /// Seed an entry (for tests transcribed from upstream, which preload the history).
    pub fn push(&mut self, t: Millis, recommendation: u32) {
        self.entries.push((t, recommendation));
    }

    /// Upstream `stabilizeRecommendation(recommendation, current)` at time `now`.
    pub fn stabilize(
        &mut self,
        now: Millis,
        recommendation: u32,
        current: u32,
        up_window: Millis,
        down_window: Millis,
    ) -> (u32, Stabilized) {
        self.entries.push((now, recommendation));
        let max_window = up_window.max(down_window);
        self.entries
            .retain(|&(ts, _)| after_cutoff(ts, now, max_window));
        if recommendation == current {
            return (current, Stabilized::NoChange);
        }
        let up = recommendation > current;
        let window = if up { up_window } else { down_window };
        let inside = self
            .entries
            .iter()
            .filter(|&&(ts, _)| after_cutoff(ts, now, window))
            .map(|&(_, r)| r);
        let picked = if up { inside.max() } else { inside.min() };
        let value = picked.unwrap_or(recommendation);
        let changed = value != recommendation;
        let how = if up {
            Stabilized::Up { changed }
        } else {
            Stabilized::Down { changed }
        };
        (value, how)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Millis = 1_000;

    #[test]
    fn zero_up_window_uses_recommendation() {
        let mut h = RecommendationHistory::new();
        h.push(0, 9);
        let (v, how) = h.stabilize(10 * S, 4, 2, 0, 300 * S);
        assert_eq!(v, 4);
        assert_eq!(how, Stabilized::Up { changed: false });
    }

    #[test]
    fn scale_down_takes_min_of_window() {
        let mut h = RecommendationHistory::new();
        h.push(0, 1); // an early low recommendation (equal to current then)
        h.push(10 * S, 6);
        let (v, how) = h.stabilize(20 * S, 4, 6, 0, 300 * S);
        assert_eq!(v, 1);
        assert_eq!(how, Stabilized::Down { changed: true });
    }

    #[test]
    fn old_entries_are_dropped() {
        let mut h = RecommendationHistory::new();
        h.push(0, 1);
        // Exactly `window` old is not strictly after the cutoff: dropped.
        let (v, _) = h.stabilize(300 * S, 4, 6, 0, 300 * S);
        assert_eq!(v, 4);
        assert_eq!(h.entries(), &[(300 * S, 4)]);
    }

    #[test]
    fn equal_recommendation_is_recorded_too() {
        let mut h = RecommendationHistory::new();
        let (v, how) = h.stabilize(0, 3, 3, 0, 300 * S);
        assert_eq!((v, how), (3, Stabilized::NoChange));
        assert_eq!(h.entries().len(), 1);
    }
}
