//! The KPA decider: one `Scale(now)` evaluation of the revision's desired pod count.
//!
//! Upstream: knative/serving v1.20 `pkg/autoscaler/scaling/autoscaler.go` (`newAutoscaler`,
//! `Scale`), spec fields from `pkg/autoscaler/scaling/multiscaler.go` (`DeciderSpec`).
//! The stable and panic averages are inputs, exactly as the upstream unit tests feed them through
//! a fake metric client, so vector tests can drive this type directly.

use crate::algorithm::Reason;
use crate::model::Millis;

use super::delay::MaxTimeWindow;

/// `DeciderSpec` (`multiscaler.go`), the fields `Scale()` reads.
#[derive(Debug, Clone, PartialEq)]
pub struct DeciderSpec {
    /// Per-pod target (`TargetValue`, already × utilization).
    pub target_value: f64,
    /// Per-pod capacity (`TotalValue`), for the excess burst capacity.
    pub total_value: f64,
    /// `TargetBurstCapacity`: 0, > 0, or −1 (unlimited).
    pub target_burst_capacity: f64,
    /// `PanicThreshold` as a ratio (panic-threshold-percentage / 100).
    pub panic_threshold: f64,
    pub max_scale_up_rate: f64,
    pub max_scale_down_rate: f64,
    pub stable_window: Millis,
    /// `ScaleDownDelay`; 0 disables the delay window.
    pub scale_down_delay: Millis,
    /// `ActivationScale` (1 = off).
    pub activation_scale: i32,
    /// `Reachable`: the revision is routed to. The simulator always passes `true`.
    pub reachable: bool,
    /// Granularity of the delay window: the decider tick (`tickInterval`, 2 s).
    pub tick_interval: Millis,
}

/// `ScaleResult` plus what Scalelens reports about the evaluation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScaleResult {
    /// `DesiredPodCount`.
    pub desired: i32,
    /// `ExcessBurstCapacity` (`int32(floor(...))`, −1 when TBC is −1).
    pub excess_burst_capacity: i32,
    /// `ScaleValid`: false when there was no data; the previous desired count then stands.
    pub valid: bool,
    /// `ceil(stable / target)` before any clamp.
    pub dspc: f64,
    /// `ceil(panic / target)` before any clamp.
    pub dppc: f64,
    /// Panicking after this evaluation.
    pub panicking: bool,
    /// The rule that produced `desired`.
    pub reason: Reason,
}

impl ScaleResult {
    /// `invalidSR`: no data to scale on.
    pub fn invalid() -> Self {
        ScaleResult {
            desired: 0,
            excess_burst_capacity: 0,
            valid: false,
            dspc: f64::NAN,
            dppc: f64::NAN,
            panicking: false,
            reason: Reason::NoMetrics,
        }
    }
}

/// Float → int32 the way a count ends up in the decider (saturating, NaN → 0).
fn to_i32(x: f64) -> i32 {
    if x.is_nan() {
        0
    } else {
        x.clamp(i32::MIN as f64, i32::MAX as f64) as i32
    }
}

/// The decider's state: panic mode, its high-water mark, and the scale-down delay window.
#[derive(Debug, Clone)]
pub struct Decider {
    spec: DeciderSpec,
    /// `panicTime`; `None` is Go's zero time (not panicking).
    panic_time: Option<Millis>,
    max_panic_pods: i32,
    delay_window: Option<MaxTimeWindow>,
}

impl Decider {
    /// `New`/`newAutoscaler`: created with `ready` pods at `now`. With more than one ready pod the
    /// decider starts in panic mode (panicTime = now) so an autoscaler restart does not scale
    /// down before it has history; `maxPanicPods` starts at the ready count in any case.
    pub fn new(spec: DeciderSpec, ready_at_creation: u32, now: Millis) -> Self {
        let delay_window = (spec.scale_down_delay > 0)
            .then(|| MaxTimeWindow::new(spec.scale_down_delay, spec.tick_interval));
        Decider {
            panic_time: (ready_at_creation > 1).then_some(now),
            max_panic_pods: i32::try_from(ready_at_creation).unwrap_or(i32::MAX),
            delay_window,
            spec,
        }
    }

    pub fn spec(&self) -> &DeciderSpec {
        &self.spec
    }

    /// `Update(spec)`: a new spec; the panic state and the delay window are kept.
    pub fn update(&mut self, spec: DeciderSpec) {
        self.spec = spec;
    }

    pub fn is_panicking(&self) -> bool {
        self.panic_time.is_some()
    }

    pub fn panic_time(&self) -> Option<Millis> {
        self.panic_time
    }

    pub fn max_panic_pods(&self) -> i32 {
        self.max_panic_pods
    }

    /// Set the panic state directly, as upstream tests do (`a.panicTime = ...`).
    pub fn set_panic_state(&mut self, panic_time: Option<Millis>, max_panic_pods: i32) {
        self.panic_time = panic_time;
        self.max_panic_pods = max_panic_pods;
    }

    /// `Scale(now)` with the observed `stable` and `panic` window averages and `ready` pods.
    pub fn scale(&mut self, now: Millis, ready: u32, stable: f64, panic: f64) -> ScaleResult {
        let spec = &self.spec;
        let ready_f = f64::from(ready).max(1.0);

        // 1–2. Rate limits around the ready count.
        let max_scale_up = (spec.max_scale_up_rate * ready_f).ceil();
        let max_scale_down = if spec.reachable {
            (ready_f / spec.max_scale_down_rate).floor()
        } else {
            0.0
        };

        // 3. Raw recommendations.
        let dspc = (stable / spec.target_value).ceil();
        let dppc = (panic / spec.target_value).ceil();

        // 4. Clamp into [maxScaleDown, maxScaleUp]; up wins if the range is empty.
        let clamp = |x: f64| to_i32(x.max(max_scale_down).min(max_scale_up));
        let limit_reason = |x: f64, base: Reason| {
            if x.max(max_scale_down) > max_scale_up {
                Reason::MaxScaleUpRate {
                    limit: to_i32(max_scale_up).max(0) as u32,
                }
            } else if x < max_scale_down {
                Reason::MaxScaleDownRate {
                    limit: to_i32(max_scale_down).max(0) as u32,
                }
            } else {
                base
            }
        };
        let mut desired_stable = clamp(dspc);
        let mut desired_panic = clamp(dppc);
        let mut stable_reason = limit_reason(
            dspc,
            Reason::Metric {
                observed: stable,
                target: spec.target_value,
            },
        );
        let mut panic_reason = limit_reason(
            dppc,
            Reason::Panic {
                observed: panic,
                target: spec.target_value,
            },
        );

        // 5. Activation scale raises non-zero recommendations.
        if spec.activation_scale > 1 {
            if dspc > 0.0 && spec.activation_scale > desired_stable {
                desired_stable = spec.activation_scale;
                stable_reason = Reason::ActivationScale {
                    scale: spec.activation_scale as u32,
                };
            }
            if dppc > 0.0 && spec.activation_scale > desired_panic {
                desired_panic = spec.activation_scale;
                panic_reason = Reason::ActivationScale {
                    scale: spec.activation_scale as u32,
                };
            }
        }

        // 6–7. Panic state machine; the threshold test uses the unclamped dppc and `>=`.
        let over_threshold = dppc / ready_f >= spec.panic_threshold;
        if over_threshold {
            // Enter panic, or extend it.
            self.panic_time = Some(now);
        } else if let Some(pt) = self.panic_time {
            if pt.saturating_add(spec.stable_window) < now {
                self.panic_time = None;
                self.max_panic_pods = 0;
            }
        }

        // 8. In panic: the larger of both, never below the high-water mark.
        let mut desired = desired_stable;
        let mut reason = stable_reason;
        if self.panic_time.is_some() {
            if desired < desired_panic {
                desired = desired_panic;
                reason = panic_reason;
            }
            if desired > self.max_panic_pods {
                self.max_panic_pods = desired;
            } else if desired < self.max_panic_pods {
                reason = Reason::PanicNoScaleDown {
                    held: self.max_panic_pods.max(0) as u32,
                };
            }
            desired = self.max_panic_pods;
        }

        // 9. Scale-down delay: the maximum over the delay window.
        if spec.reachable {
            if let Some(w) = self.delay_window.as_mut() {
                w.record(now, desired);
                let delayed = w.current();
                if delayed != desired {
                    desired = delayed;
                    reason = Reason::ScaleDownDelay {
                        held: delayed.max(0) as u32,
                    };
                }
            }
        }

        // 10. Excess burst capacity, from the original ready count.
        let tbc = spec.target_burst_capacity;
        let ebc = if tbc == 0.0 {
            0.0
        } else if tbc > 0.0 {
            (f64::from(ready) * spec.total_value - tbc - panic).floor()
        } else {
            -1.0
        };

        ScaleResult {
            desired,
            excess_burst_capacity: to_i32(ebc),
            valid: true,
            dspc,
            dppc,
            panicking: self.panic_time.is_some(),
            reason,
        }
    }
}
