//! The PodAutoscaler reconciler after the decider: bounds, initial scale, scale to zero, and the
//! PA's Active condition and the SKS proxy mode those rules depend on.
//!
//! Upstream: knative/serving v1.20 `pkg/reconciler/autoscaling/kpa/scaler.go` (`scale`,
//! `applyBounds`, `handleScaleToZero`) and `kpa.go` (`ReconcileKind`, `computeActiveCondition`,
//! `activeThreshold`); `pkg/apis/networking/v1alpha1/serverlessservice_lifecycle.go`
//! (`ProxyFor`); `pkg/reconciler/serverlessservice/serverlessservice.go` (the activator backs the
//! revision in proxy mode or when it has no ready endpoints).
//!
//! The cluster's timers (`enqueueCB(pa, d)`) become deterministic deadlines: the controller
//! reconciles the PA every second, so each timed rule takes effect within a second of its
//! deadline. The activator probe succeeds exactly when the SKS is in proxy mode.

use crate::algorithm::Reason;
use crate::model::Millis;

/// `scaleUnknown`: no recommendation yet.
pub const SCALE_UNKNOWN: i32 = -1;

/// The PA's `Active` condition with its last transition time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activity {
    /// `Active=Unknown`: pods are being brought up.
    Activating { since: Millis },
    /// `Active=True`.
    Active { since: Millis },
    /// `Active=False`: no traffic; the activator is (being put) in the path.
    Inactive { since: Millis },
}

impl Activity {
    fn same_kind(self, other: Activity) -> bool {
        std::mem::discriminant(&self) == std::mem::discriminant(&other)
    }
}

/// What the reconciler reads from config and annotations.
#[derive(Debug, Clone, PartialEq)]
pub struct ScalerSpec {
    /// `min-scale` (0 = none).
    pub min_scale: i32,
    /// `max-scale` (0 = no limit).
    pub max_scale: i32,
    /// `GetInitialScale`: `initial-scale`, or the config value.
    pub initial_scale: i32,
    pub enable_scale_to_zero: bool,
    pub stable_window: Millis,
    pub scale_to_zero_grace_period: Millis,
    /// `lastPodRetention`: `scale-to-zero-pod-retention-period`.
    pub pod_retention: Millis,
    /// `ProgressDeadline + activationTimeoutBuffer`.
    pub activation_timeout: Millis,
    /// `TargetBurstCapacity`: with −1 the activator is always in the path (no probe needed).
    pub target_burst_capacity: f64,
}

/// The PA's and the SKS's state across reconciles.
#[derive(Debug, Clone, PartialEq)]
pub struct PaState {
    pub activity: Activity,
    /// `ScaleTargetInitialized`: the initial scale has been reached once.
    pub initialized: bool,
    /// When the activator endpoints were populated (SKS in proxy mode, or no ready pods).
    pub proxy_since: Option<Millis>,
}

/// One reconcile's outcome.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reconciled {
    /// The PA's `want` (−1 unknown).
    pub want: i32,
    /// The scale the reconciler sets on the target (`None`: it leaves `spec.replicas` as is).
    pub apply: Option<u32>,
    /// The rule that decided, if the reconciler overrode the decider (bounds, scale to zero).
    pub reason: Option<Reason>,
}

/// `applyBounds(min, max, x)`.
pub fn apply_bounds(min: i32, max: i32, x: i32) -> i32 {
    if x < min {
        min
    } else if max != 0 && x > max {
        max
    } else {
        x
    }
}

impl PaState {
    /// The state when the simulation starts with `replicas` pods of which `ready` are ready.
    pub fn initial(spec: &ScalerSpec, replicas: u32, ready: u32, now: Millis) -> Self {
        let threshold = spec.min_scale.max(spec.initial_scale).max(0) as u64;
        let activity = if replicas == 0 {
            Activity::Inactive { since: now }
        } else if ready >= 1 {
            Activity::Active { since: now }
        } else {
            Activity::Activating { since: now }
        };
        PaState {
            activity,
            initialized: u64::from(ready) >= threshold && ready > 0,
            proxy_since: (ready == 0).then_some(now),
        }
    }

    /// `activeThreshold`: pods needed to be Active.
    fn active_threshold(&self, spec: &ScalerSpec) -> i32 {
        if self.initialized {
            spec.min_scale.max(1)
        } else {
            spec.min_scale.max(spec.initial_scale)
        }
    }

    /// `handleScaleToZero` for a bounded desired scale of 0: (scale, apply?, reason).
    fn scale_to_zero(&self, spec: &ScalerSpec, now: Millis) -> (i32, bool, Reason) {
        if !spec.enable_scale_to_zero {
            return (1, true, Reason::ScaleToZeroDisabled);
        }
        match self.activity {
            Activity::Activating { since } => {
                if now.saturating_sub(since) >= spec.activation_timeout {
                    (0, true, Reason::ScaleToZero)
                } else {
                    (SCALE_UNKNOWN, false, Reason::Activating)
                }
            }
            Activity::Active { since } => {
                if now.saturating_sub(since) >= spec.stable_window {
                    // Reported as 0 but not applied: the PA is marked Inactive first.
                    (0, false, Reason::ScaleToZeroGrace)
                } else {
                    (1, true, Reason::ScaleToZeroGrace)
                }
            }
            Activity::Inactive { since } => {
                let probe_ok = spec.target_burst_capacity == -1.0 || self.proxy_since.is_some();
                if !probe_ok {
                    return (0, false, Reason::ScaleToZeroGrace);
                }
                let inactive_for = now.saturating_sub(since);
                let retention = spec.pod_retention;
                if inactive_for >= spec.scale_to_zero_grace_period.max(retention) {
                    return (0, true, Reason::ScaleToZero);
                }
                if retention > 0 && inactive_for < retention {
                    return (0, false, Reason::ScaleToZeroGrace);
                }
                let proxy_for = self.proxy_since.map_or(0, |p| now.saturating_sub(p));
                if proxy_for >= spec.scale_to_zero_grace_period {
                    (0, true, Reason::ScaleToZero)
                } else {
                    (0, false, Reason::ScaleToZeroGrace)
                }
            }
        }
    }

    /// One `ReconcileKind` pass with the decider's current `desired` and excess burst capacity,
    /// and `ready` pods. Updates the Active condition
    /// and the SKS mode.
    pub fn reconcile(
        &mut self,
        spec: &ScalerSpec,
        now: Millis,
        desired: i32,
        ebc: i32,
        ready: u32,
    ) -> Reconciled {
        let activating = matches!(self.activity, Activity::Activating { .. });
        let mut out = Reconciled {
            want: desired,
            apply: None,
            reason: None,
        };
        // A negative want while not activating: metrics are not collected yet, nothing applies.
        if desired >= 0 || activating {
            let (mut min, max) = (spec.min_scale, spec.max_scale);
            if spec.initial_scale > 1 && !self.initialized {
                min = min.max(spec.initial_scale);
            }
            let bounded = apply_bounds(min, max, desired);
            if bounded != desired {
                out.reason = Some(if bounded < desired {
                    Reason::MaxReplicas {
                        max: max.max(0) as u32,
                    }
                } else if spec.initial_scale > 1
                    && !self.initialized
                    && spec.initial_scale > spec.min_scale
                {
                    Reason::InitialScale {
                        scale: spec.initial_scale as u32,
                    }
                } else {
                    Reason::MinReplicas {
                        min: min.max(0) as u32,
                    }
                });
            }
            let (scale, apply) = if bounded == 0 {
                let (s, a, r) = self.scale_to_zero(spec, now);
                out.reason = Some(r);
                (s, a)
            } else {
                (bounded, true)
            };
            out.want = scale;
            if apply && scale >= 0 {
                out.apply = Some(scale as u32);
            }
        }

        // SKS mode: the activator is in the path at want 0, with negative excess burst
        // capacity, or at an unknown want while inactive; and whenever no pod is ready.
        let inactive = matches!(self.activity, Activity::Inactive { .. });
        let proxy =
            out.want == 0 || ebc < 0 || (out.want == SCALE_UNKNOWN && inactive) || ready == 0;
        if proxy {
            self.proxy_since.get_or_insert(now);
        } else {
            self.proxy_since = None;
        }

        self.compute_active_condition(spec, now, out.want, ready);
        out
    }

    /// `computeActiveCondition`.
    fn compute_active_condition(&mut self, spec: &ScalerSpec, now: Millis, want: i32, ready: u32) {
        let min_ready = self.active_threshold(spec);
        let ready_i = i64::from(ready);
        if ready_i >= i64::from(min_ready) {
            self.initialized = true;
        }
        let inactive = matches!(self.activity, Activity::Inactive { .. });
        let next = if want == 0 || min_ready == 0 {
            Activity::Inactive { since: now }
        } else if ready_i < i64::from(min_ready) {
            if want > 0 || !inactive {
                Activity::Activating { since: now }
            } else {
                Activity::Inactive { since: now }
            }
        } else if want > 0 || !inactive {
            Activity::Active { since: now }
        } else {
            self.activity
        };
        // A condition's transition time only moves when its status changes.
        if !next.same_kind(self.activity) {
            self.activity = next;
        }
    }
}
