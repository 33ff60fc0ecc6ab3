//! AIBrix v0.4.0 KPA decider (`pkg/controller/podautoscaler/scaler/kpa.go` `Scale`, with
//! `algorithm/kpa.go`), a port of Knative's `autoscaler.go` `Scale` over SUMMED pod values.
//!
//! Per call, with `S`/`P` the stable/panic window averages of the per-tick sum and `n` the
//! ready pod count:
//! - `maxUp = max(1, ceil(maxScaleUpRate·n))`, `maxDown = floor(n / maxScaleDownRate)`;
//! - `dspc = ceil(S/target)`, `dppc = ceil(P/target)` (no tolerance band), each clamped to
//!   `[maxDown, maxUp]`;
//! - `activation-scale > 1` raises each NON-ZERO count to it;
//! - `over = dppc / max(1, n) >= panicThreshold`: entering or staying over sets
//!   `panicTime = now`; not over, in panic, and `panicTime + stableWindow < now` exits panic and
//!   resets `maxPanicPods` to 0;
//! - in panic: `desired = max(stable, panic)`, raised into the high-water mark `maxPanicPods`
//!   and then replaced by it (no scale-down in panic);
//! - with a scale-down delay > 0: `desired` is recorded into the delay window
//!   (`ceil(delay / 1 s)` entries, see [`super::window`]) and the window's MAX is returned.
//!
//! `NewKpaAutoscaler`: starts in panic (`panicTime = now`) when created with more than one
//! ready pod, with `maxPanicPods = ready`; no delay window when the delay is 0.

use super::window::RingWindow;
use crate::model::Millis;

/// The KPA settings `Scale` reads (`KpaScalingContext`, v0.4.0 `scaler/kpa.go`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KpaSpec {
    pub target: f64,
    pub max_scale_up_rate: f64,
    pub max_scale_down_rate: f64,
    pub panic_threshold: f64,
    /// `StableWindow`: how long after the last over-threshold tick panic mode lasts.
    pub stable_window: Millis,
    pub activation_scale: u32,
}

/// Which rule shaped the count before the delay window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum KpaV04Rule {
    /// `ceil(S/target)` as is.
    Stable,
    /// Panic mode, the larger of the stable and panic counts.
    Panic,
    /// Panic mode kept the high-water mark `held` (no scale-down in panic).
    PanicHold {
        held: u32,
    },
    MaxScaleUpRate {
        limit: u32,
    },
    MaxScaleDownRate {
        limit: u32,
    },
    ActivationScale {
        scale: u32,
    },
}

/// One `Scale` call's result.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KpaStep {
    /// The count from the metric alone — `ceil(stable / target)`, and in panic mode the larger
    /// of that and `ceil(panic / target)` — before rate limits, activation scale, the panic
    /// hold and the delay (the timeline's `desired_raw`).
    pub metric_count: u32,
    /// After the panic logic, before the delay window.
    pub undelayed: u32,
    /// What `Scale` returns (the delay window's max when there is one).
    pub desired: u32,
    /// In panic mode after this call's state update.
    pub in_panic: bool,
    pub rule: KpaV04Rule,
}

/// The stateful v0.4.0 `KpaAutoscaler` (panic time, panic high-water mark, delay window).
#[derive(Debug, Clone, PartialEq)]
pub struct KpaScaler {
    panic_time: Option<Millis>,
    max_panic_pods: u32,
    delay: Option<RingWindow>,
}

/// `int32(math.Min(math.Max(x, lo), hi))` for the non-negative counts of `Scale`; NaN reads as 0.
fn clamp_count(x: f64, lo: f64, hi: f64) -> f64 {
    let x = if x.is_nan() { 0.0 } else { x };
    x.max(lo).min(hi)
}

fn to_count(x: f64) -> u32 {
    if x.is_nan() || x <= 0.0 {
        0
    } else {
        // `as` saturates at u32::MAX (Go's int32 conversion of huge values is undefined).
        x as u32
    }
}

impl KpaScaler {
    /// `NewKpaAutoscaler(readyPodsCount, pa, now)`.
    pub fn new(ready: u32, now: Millis, scale_down_delay: Millis) -> Self {
        KpaScaler {
            panic_time: (ready > 1).then_some(now),
            max_panic_pods: ready,
            delay: (scale_down_delay > 0).then(|| RingWindow::new(scale_down_delay)),
        }
    }

    /// Whether the scaler is in panic mode (`InPanicMode`: a non-zero panic time).
    pub fn in_panic(&self) -> bool {
        self.panic_time.is_some()
    }

    /// The panic time, when in panic.
    pub fn panic_time(&self) -> Option<Millis> {
        self.panic_time
    }

    /// The panic high-water mark.
    pub fn max_panic_pods(&self) -> u32 {
        self.max_panic_pods
    }

    /// The delay window's max, when there is a delay window with data.
    pub fn delay_max(&self) -> Option<f64> {
        self.delay.as_ref().and_then(RingWindow::max)
    }

    /// The delay window, when the delay is > 0.
    pub fn delay_window(&self) -> Option<&RingWindow> {
        self.delay.as_ref()
    }

    /// `Scale(readyPodsCount, metricKey, now)` once the window averages are known.
    pub fn scale(
        &mut self,
        spec: &KpaSpec,
        ready: u32,
        stable: f64,
        panic: f64,
        now: Millis,
    ) -> KpaStep {
        let n = f64::from(ready);
        let max_up = (spec.max_scale_up_rate * n).ceil().max(1.0);
        let max_down = (n / spec.max_scale_down_rate).floor();
        let dspc = (stable / spec.target).ceil();
        let dppc = (panic / spec.target).ceil();
        let mut stable_count = to_count(clamp_count(dspc, max_down, max_up));
        let mut panic_count = to_count(clamp_count(dppc, max_down, max_up));
        let mut stable_rule = if dspc > max_up {
            KpaV04Rule::MaxScaleUpRate {
                limit: to_count(max_up),
            }
        } else if dspc < max_down {
            KpaV04Rule::MaxScaleDownRate {
                limit: to_count(max_down),
            }
        } else {
            KpaV04Rule::Stable
        };
        let act = spec.activation_scale;
        if act > 1 {
            if act > stable_count && stable_count > 0 {
                stable_count = act;
                stable_rule = KpaV04Rule::ActivationScale { scale: act };
            }
            if act > panic_count && panic_count > 0 {
                panic_count = act;
            }
        }

        let over = dppc / n.max(1.0) >= spec.panic_threshold;
        match self.panic_time {
            _ if over => self.panic_time = Some(now),
            Some(pt) if pt.saturating_add(spec.stable_window) < now => {
                self.panic_time = None;
                self.max_panic_pods = 0;
            }
            _ => {}
        }

        let (undelayed, rule) = if self.in_panic() {
            let d = stable_count.max(panic_count);
            if d > self.max_panic_pods {
                self.max_panic_pods = d;
            }
            let rule = if d < self.max_panic_pods {
                KpaV04Rule::PanicHold {
                    held: self.max_panic_pods,
                }
            } else if panic_count > stable_count {
                KpaV04Rule::Panic
            } else {
                stable_rule
            };
            (self.max_panic_pods, rule)
        } else {
            (stable_count, stable_rule)
        };

        let desired = match &mut self.delay {
            Some(w) => {
                w.record(now, f64::from(undelayed));
                // Upstream errors (no decision) on an empty window; a record always precedes
                // this read unless the ring has size 0, which `new` never builds (delay > 0).
                w.max().map_or(undelayed, to_count)
            }
            None => undelayed,
        };
        KpaStep {
            metric_count: if self.in_panic() {
                to_count(dspc.max(dppc))
            } else {
                to_count(dspc)
            },
            undelayed,
            desired,
            in_panic: self.in_panic(),
            rule,
        }
    }
}
