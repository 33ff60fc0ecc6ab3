//! Generated demand patterns: step, ramp, spike and diurnal shapes, for trying an autoscaler
//! without recorded samples (the playground's pattern picker, tests).
//!
//! Every amount is **total demand in the metric's unit** (the same thing a demand CSV holds):
//! for `gpu_cache_usage_perc` with a 0–1 target, `peak = 3.0` means "three pods' worth of a full
//! KV cache"; for requests in flight, `peak = 120` means 120 requests across the workload.
//!
//! Shapes, over `[0, duration)` sampled every `step` (each value holds until the next point):
//! - [`Shape::Step`]: `base`, then `peak` from 1/4 to 3/4 of the duration, then `base` again
//!   (one scale-up and one scale-down).
//! - [`Shape::Ramp`]: linear from `base` at 0 to `peak` at 1/2, then linear back to `base` at
//!   the end.
//! - [`Shape::Spike`]: `base`, with `peak` for `spike` from 1/3 of the duration.
//! - [`Shape::Diurnal`]: one day-shaped cycle over the duration, `base` at the start and the end,
//!   `peak` in the middle (a raised cosine).
//!
//! Pure and deterministic; never panics (non-finite or negative amounts read as 0, the step is
//! at least one second, the number of points is capped at [`MAX_POINTS`]).

use super::DemandSeries;
use crate::model::{Millis, SECOND};

/// Most points a pattern generates (a week at 1 s); a finer step is widened to fit.
pub const MAX_POINTS: u64 = 604_800;

/// The shape of a generated pattern (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    Step,
    Ramp,
    Spike,
    Diurnal,
}

impl Shape {
    /// All shapes, in picker order.
    pub const ALL: [Shape; 4] = [Shape::Step, Shape::Ramp, Shape::Spike, Shape::Diurnal];

    /// The stable lower-case name (`step`, `ramp`, `spike`, `diurnal`).
    pub fn as_str(self) -> &'static str {
        match self {
            Shape::Step => "step",
            Shape::Ramp => "ramp",
            Shape::Spike => "spike",
            Shape::Diurnal => "diurnal",
        }
    }

    /// The shape named `s` (as [`Shape::as_str`] writes it).
    pub fn parse(s: &str) -> Option<Shape> {
        Shape::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// A one-line description for pickers.
    pub fn describe(self) -> &'static str {
        match self {
            Shape::Step => "base, peak from 1/4 to 3/4 of the time, base again",
            Shape::Ramp => "linear up to peak at half time, then linear down",
            Shape::Spike => "base with a short burst at peak from 1/3 of the time",
            Shape::Diurnal => "one day-like cycle: base at the ends, peak in the middle",
        }
    }
}

/// A generated demand pattern. Amounts are total demand in the metric's unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pattern {
    pub shape: Shape,
    /// Demand outside the burst (total, metric unit).
    pub base: f64,
    /// Highest demand (total, metric unit).
    pub peak: f64,
    /// Length of the generated series.
    pub duration: Millis,
    /// Spacing of the points (at least 1 s).
    pub step: Millis,
    /// Length of the burst of [`Shape::Spike`] (ignored by the other shapes).
    pub spike: Millis,
}

impl Pattern {
    /// A pattern with the defaults: one hour at 15 s (a Prometheus scrape interval), a 2-minute
    /// spike.
    pub fn new(shape: Shape, base: f64, peak: f64) -> Self {
        Pattern {
            shape,
            base,
            peak,
            duration: 3600 * SECOND,
            step: 15 * SECOND,
            spike: 120 * SECOND,
        }
    }

    /// The demand at `t` (ms), before sampling.
    pub fn value_at(&self, t: Millis) -> f64 {
        let base = amount(self.base);
        let peak = amount(self.peak);
        let d = self.duration.max(1) as f64;
        let x = (t as f64 / d).clamp(0.0, 1.0);
        match self.shape {
            Shape::Step => {
                if (0.25..0.75).contains(&x) {
                    peak
                } else {
                    base
                }
            }
            Shape::Ramp => {
                let up = if x <= 0.5 { x * 2.0 } else { (1.0 - x) * 2.0 };
                base + (peak - base) * up
            }
            Shape::Spike => {
                let start = self.duration / 3;
                if t >= start && t < start.saturating_add(self.spike) {
                    peak
                } else {
                    base
                }
            }
            Shape::Diurnal => {
                let c = (1.0 - (2.0 * std::f64::consts::PI * x).cos()) / 2.0;
                base + (peak - base) * c
            }
        }
    }

    /// The pattern as a demand series: a point every `step` from 0 to before `duration`.
    pub fn generate(&self) -> DemandSeries {
        let duration = self.duration.max(SECOND);
        let min_step = duration.div_ceil(MAX_POINTS).max(SECOND);
        let step = self.step.max(min_step);
        let n = duration.div_ceil(step);
        let points = (0..n)
            .map(|i| {
                let t = i * step;
                (t, self.value_at(t))
            })
            .collect();
        DemandSeries::from_points(points)
    }
}

/// Negative and non-finite amounts read as 0.
fn amount(v: f64) -> f64 {
    if v.is_finite() && v > 0.0 {
        v
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(p: &Pattern) -> Vec<f64> {
        p.generate().points.iter().map(|p| p.1).collect()
    }

    #[test]
    fn step_goes_up_at_a_quarter_and_down_at_three_quarters() {
        let mut p = Pattern::new(Shape::Step, 1.0, 5.0);
        p.duration = 8 * SECOND;
        p.step = SECOND;
        assert_eq!(values(&p), [1.0, 1.0, 5.0, 5.0, 5.0, 5.0, 1.0, 1.0]);
        let s = p.generate();
        assert_eq!(s.points[0].0, 0);
        assert_eq!(s.points[7].0, 7000);
        // The default horizon holds the last point one step: the whole duration.
        assert_eq!(s.default_duration(), 8 * SECOND);
    }

    #[test]
    fn ramp_peaks_at_half_time() {
        let mut p = Pattern::new(Shape::Ramp, 0.0, 10.0);
        p.duration = 4 * SECOND;
        p.step = SECOND;
        assert_eq!(values(&p), [0.0, 5.0, 10.0, 5.0]);
    }

    #[test]
    fn spike_lasts_its_width_from_a_third() {
        let mut p = Pattern::new(Shape::Spike, 2.0, 20.0);
        p.duration = 9 * SECOND;
        p.step = SECOND;
        p.spike = 2 * SECOND;
        assert_eq!(values(&p), [2.0, 2.0, 2.0, 20.0, 20.0, 2.0, 2.0, 2.0, 2.0]);
    }

    #[test]
    fn diurnal_is_base_at_the_ends_and_peak_in_the_middle() {
        let p = Pattern::new(Shape::Diurnal, 1.0, 3.0);
        assert!((p.value_at(0) - 1.0).abs() < 1e-12);
        assert!((p.value_at(p.duration / 2) - 3.0).abs() < 1e-12);
        assert!((p.value_at(p.duration) - 1.0).abs() < 1e-12);
        let v = values(&p);
        assert_eq!(v.len(), 240); // one hour at 15 s
        assert!(v.iter().all(|x| (1.0..=3.0).contains(x)));
    }

    #[test]
    fn degenerate_amounts_and_steps_do_not_panic() {
        for shape in Shape::ALL {
            assert_eq!(Shape::parse(shape.as_str()), Some(shape));
            for (base, peak) in [(f64::NAN, f64::INFINITY), (-5.0, 1e308), (0.0, 0.0)] {
                for (duration, step) in [(0, 0), (u64::MAX, 1), (SECOND, u64::MAX)] {
                    let p = Pattern {
                        shape,
                        base,
                        peak,
                        duration,
                        step,
                        spike: u64::MAX,
                    };
                    let s = p.generate();
                    assert!(!s.points.is_empty());
                    assert!(s.points.len() as u64 <= MAX_POINTS);
                    assert!(s.points.windows(2).all(|w| w[0].0 < w[1].0));
                    assert!(s.points.iter().all(|p| p.1.is_finite() && p.1 >= 0.0));
                }
            }
        }
        assert_eq!(Shape::parse("sine"), None);
    }

    #[test]
    fn one_day_at_one_second_is_86400_points() {
        let mut p = Pattern::new(Shape::Diurnal, 0.1, 4.0);
        p.duration = 86_400 * SECOND;
        p.step = SECOND;
        assert_eq!(p.generate().points.len(), 86_400);
    }
}
