//! The scale the data is on, when the samples prove it differs from the metric registry's.
//!
//! vLLM reports `gpu_cache_usage_perc` / `kv_cache_usage_perc` as 0–1 fractions
//! ([`crate::metrics`]), but a recording rule or exporter may multiply them by 100 before the
//! autoscaler sees them. When the per-pod samples are on a 0–100 scale (median of the positive
//! values above the registry bound, none above 100 × the bound — the same evidence
//! `unit-mismatch` uses), the data's per-pod bound is 100 × the registry bound:
//! - the replay must cap per-pod values there ([`samples_scale`] → [`SamplesScale::apply`]),
//!   not at the registry's 1, and not drop the cap (dropping it for percent data let per-pod
//!   values exceed 100 and made the fixed seed replay flap);
//! - the static `target-above-bound` (a target of 50 for a 0–1 metric) no longer holds: the
//!   target matches the data. `analysis::defer_target_above_bound` turns it into a note that says why,
//!   so it never contradicts `unit-mismatch` (which, for a 0.5 target with the same samples,
//!   advises writing 50).
//!
//! A demand CSV carries no per-pod values, so [`super::simulate`] applies the same rule to the
//! demand: above what `maxReplicas` pods can report at the bound but within 100 × that, each pod
//! is capped at 100 × the bound (`sim-demand-above-bound`: a note when the target is on that scale
//! too, else a warning); a demand beyond even that is replayed without the cap (a warning).

use crate::model::Autoscaler;
use crate::samples::{resolve_interpretation, Interpretation, Samples};

/// Largest per-pod sample still read as a percent (a little over 100 for rounding).
const PERCENT_SLACK: f64 = 1.005;

/// The samples' per-pod values are on a scale 100 × the registry's bound.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SamplesScale {
    /// Index of the metric (in the autoscaler's `metrics`).
    pub metric: usize,
    /// The registry's per-pod bound (1 for a fraction).
    pub registry_bound: f64,
    /// The bound in the data's unit (100 × `registry_bound`).
    pub bound: f64,
    /// Median of the positive per-pod samples.
    pub median: f64,
    /// Largest per-pod sample.
    pub max: f64,
}

/// Whether the per-pod samples prove a 0–100 scale for a metric the registry bounds at 0–1 (see
/// the module doc). `None` for totals (no per-pod values), unbounded metrics, or samples within
/// the registry's bound.
pub fn samples_scale(
    autoscaler: &Autoscaler,
    samples: &Samples,
    interpretation: Interpretation,
) -> Option<SamplesScale> {
    if resolve_interpretation(samples, interpretation) == Interpretation::Total {
        return None;
    }
    let metric = match &samples.metric {
        Some(name) => autoscaler
            .metrics
            .iter()
            .position(|m| crate::samples::name_matches(name, &m.name.value))
            .unwrap_or(0),
        None => 0,
    };
    let m = autoscaler.metrics.get(metric)?;
    let b = m.bound?;
    if !(b.is_finite() && b > 0.0) {
        return None;
    }
    let mut values: Vec<f64> = samples
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .filter(|v| v.is_finite() && *v > 0.0)
        .collect();
    if values.is_empty() {
        return None;
    }
    crate::sort::by(&mut values, f64::total_cmp);
    let median = values.get(values.len() / 2).copied()?;
    let max = values.last().copied()?;
    let bound = b * 100.0;
    (median > b && max <= bound * PERCENT_SLACK).then_some(SamplesScale {
        metric,
        registry_bound: b,
        bound,
        median,
        max,
    })
}

impl SamplesScale {
    /// `autoscaler` with the metric's per-pod bound on the data's scale.
    pub fn apply(&self, autoscaler: &Autoscaler) -> Autoscaler {
        let mut a = autoscaler.clone();
        if let Some(m) = a.metrics.get_mut(self.metric) {
            m.bound = Some(self.bound);
        }
        a
    }
}
