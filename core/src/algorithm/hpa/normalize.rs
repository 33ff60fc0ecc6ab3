//! HPA normalisation of the metric proposal: the legacy path (`behavior` unset) and the
//! behaviour path (stabilisation windows, scaling policies, scale-event memory).
//!
//! Upstream: kubernetes/kubernetes v1.34 `pkg/controller/podautoscaler/horizontal.go`
//! (`stabilizeRecommendation`, `convertDesiredReplicasWithRules`, `calculateScaleUpLimit`,
//! `stabilizeRecommendationWithBehaviors`, `convertDesiredReplicasWithBehaviorRate`,
//! `calculateScaleUpLimitWithScalingRules`, `calculateScaleDownLimitWithBehaviors`,
//! `getReplicasChangePerPeriod`, `storeScaleEvent`, `markScaleEventsOutdated`).
//!
//! Time comparisons follow Go's `time.Before`/`After` (strict). Replica arithmetic is done in
//! `i64` and saturated into `i32`, where Go would wrap.

use crate::model::{Behavior, Millis, PolicyType, ScalingRules, SelectPolicy};

use super::milli::ceil_i32;

/// The legacy scale-up limit `max(factor × current, minimum)` (`horizontal.go`).
pub use crate::upstream::kubernetes::{SCALE_UP_LIMIT_FACTOR, SCALE_UP_LIMIT_MINIMUM};

/// `timestampedRecommendation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recommendation {
    pub replicas: i32,
    pub at: Millis,
}

/// `timestampedScaleEvent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScaleEvent {
    /// Absolute change, non-negative.
    pub change: i32,
    pub at: Millis,
    pub outdated: bool,
}

/// The limiting condition reported by the conversion step (`ScalingLimited` reasons).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    DesiredWithinRange,
    TooFewReplicas,
    TooManyReplicas,
    ScaleUpLimit,
    ScaleDownLimit,
}

fn sat_i32(x: i64) -> i32 {
    x.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
}

/// `t.Before(now − window)`: strictly older than the cutoff.
fn before_cutoff(t: Millis, now: Millis, window: Millis) -> bool {
    match now.checked_sub(window) {
        Some(cutoff) => t < cutoff,
        None => false,
    }
}

/// `t.After(now − window)`: strictly newer than the cutoff.
fn after_cutoff(t: Millis, now: Millis, window: Millis) -> bool {
    match now.checked_sub(window) {
        Some(cutoff) => t > cutoff,
        None => true,
    }
}

/// Legacy `stabilizeRecommendation`: the max of `prenormalized` and every record not older
/// than `window` (a record exactly at the cutoff counts); the new value replaces the last old
/// record or is appended.
pub fn stabilize_legacy(
    recs: &mut Vec<Recommendation>,
    now: Millis,
    window: Millis,
    prenormalized: i32,
) -> i32 {
    let mut max_rec = prenormalized;
    let mut old: Option<usize> = None;
    for (i, r) in recs.iter().enumerate() {
        if before_cutoff(r.at, now, window) {
            old = Some(i);
        } else if r.replicas > max_rec {
            max_rec = r.replicas;
        }
    }
    record(recs, old, prenormalized, now);
    max_rec
}

/// Record `replicas` at `now`, in the slot `old` (a record older than the windows) when there
/// is one.
fn record(recs: &mut Vec<Recommendation>, old: Option<usize>, replicas: i32, now: Millis) {
    let new = Recommendation { replicas, at: now };
    match old.and_then(|i| recs.get_mut(i)) {
        Some(slot) => *slot = new,
        None => recs.push(new),
    }
}

/// `calculateScaleUpLimit`: `max(2 × current, 4)`.
pub fn calculate_scale_up_limit(current: i32) -> i32 {
    let v = (SCALE_UP_LIMIT_FACTOR * f64::from(current)).max(SCALE_UP_LIMIT_MINIMUM);
    v as i32
}

/// `convertDesiredReplicasWithRules` (legacy path).
pub fn convert_with_rules(current: i32, desired: i32, min: i32, max: i32) -> (i32, Limit) {
    let scale_up_limit = calculate_scale_up_limit(current);
    let (maximum, max_limit) = if max > scale_up_limit {
        (scale_up_limit, Limit::ScaleUpLimit)
    } else {
        (max, Limit::TooManyReplicas)
    };
    if desired < min {
        (min, Limit::TooFewReplicas)
    } else if desired > maximum {
        (maximum, max_limit)
    } else {
        (desired, Limit::DesiredWithinRange)
    }
}

/// `stabilizeRecommendationWithBehaviors` (two-sided): `clamp(current, upRec, downRec)` where
/// upRec = min(desired, records newer than the up window) and downRec = max(desired, records
/// newer than the down window). Records the unstabilised `desired`, reusing the last slot older
/// than both windows.
pub fn stabilize_with_behaviors(
    recs: &mut Vec<Recommendation>,
    now: Millis,
    current: i32,
    desired: i32,
    up_window: Millis,
    down_window: Millis,
) -> i32 {
    let mut up_rec = desired;
    let mut down_rec = desired;
    let mut old: Option<usize> = None;
    for (i, r) in recs.iter().enumerate() {
        if after_cutoff(r.at, now, up_window) {
            up_rec = up_rec.min(r.replicas);
        }
        if after_cutoff(r.at, now, down_window) {
            down_rec = down_rec.max(r.replicas);
        }
        if before_cutoff(r.at, now, up_window) && before_cutoff(r.at, now, down_window) {
            old = Some(i);
        }
    }
    let mut rec = current;
    if rec < up_rec {
        rec = up_rec;
    }
    if rec > down_rec {
        rec = down_rec;
    }
    record(recs, old, desired, now);
    rec
}

/// `getReplicasChangePerPeriod`: Σ changes of events strictly newer than `now − period`.
pub fn replicas_change_per_period(period: Millis, events: &[ScaleEvent], now: Millis) -> i64 {
    events
        .iter()
        .filter(|e| after_cutoff(e.at, now, period))
        .map(|e| i64::from(e.change))
        .sum()
}

/// Which way a rate limit applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

/// `calculateScaleUpLimitWithScalingRules` (up) and `calculateScaleDownLimitWithBehaviors`
/// (down), the two upstream limit functions, which differ only in direction: each policy proposes a
/// bound from the replicas at the start of its period (`current` minus what it added plus what
/// it removed in that period); `selectPolicy: Max` keeps the most permissive proposal (the
/// largest going up, the smallest going down), `Min` the strictest, `Disabled` allows no move.
pub fn policy_limit(
    dir: Direction,
    current: i32,
    up_events: &[ScaleEvent],
    down_events: &[ScaleEvent],
    rules: &ScalingRules,
    now: Millis,
) -> i32 {
    let select = rules.select_policy.value;
    if select == SelectPolicy::Disabled {
        return current;
    }
    type Pick = fn(i64, i64) -> i64;
    let (permissive, strict): (Pick, Pick) = match dir {
        Direction::Up => (i64::max, i64::min),
        Direction::Down => (i64::min, i64::max),
    };
    let mut result: Option<i64> = None;
    for p in &rules.policies {
        let added = replicas_change_per_period(p.period, up_events, now);
        let deleted = replicas_change_per_period(p.period, down_events, now);
        let start = i64::from(current) - added + deleted;
        let proposed = match (dir, p.policy_type) {
            (Direction::Up, PolicyType::Pods) => start + i64::from(p.value),
            (Direction::Up, PolicyType::Percent) => {
                i64::from(ceil_i32(start as f64 * (1.0 + f64::from(p.value) / 100.0)))
            }
            (Direction::Down, PolicyType::Pods) => start - i64::from(p.value),
            // int32(float) truncates toward zero.
            (Direction::Down, PolicyType::Percent) => {
                i64::from((start as f64 * (1.0 - f64::from(p.value) / 100.0)) as i32)
            }
        };
        result = Some(match (result, select) {
            (None, _) => proposed,
            (Some(r), SelectPolicy::Min) => strict(r, proposed),
            (Some(r), _) => permissive(r, proposed),
        });
    }
    // No policies: Go returns its initial value, the extreme the selection moves away from
    // (up: MinInt32 for Max, MaxInt32 for Min; down: the reverse).
    let (lowest, highest) = (i64::from(i32::MIN), i64::from(i32::MAX));
    sat_i32(result.unwrap_or(match (dir, select == SelectPolicy::Min) {
        (Direction::Up, true) | (Direction::Down, false) => highest,
        (Direction::Up, false) | (Direction::Down, true) => lowest,
    }))
}

/// `convertDesiredReplicasWithBehaviorRate`: rate limits, then min/max only on the side of the
/// move.
#[allow(clippy::too_many_arguments)]
pub fn convert_with_behavior_rate(
    current: i32,
    desired: i32,
    min: i32,
    max: i32,
    up_events: &[ScaleEvent],
    down_events: &[ScaleEvent],
    behavior: &Behavior,
    now: Millis,
) -> (i32, Limit) {
    if desired > current {
        let mut limit = policy_limit(
            Direction::Up,
            current,
            up_events,
            down_events,
            &behavior.scale_up,
            now,
        );
        if limit < current {
            limit = current;
        }
        let (maximum, reason) = if max > limit {
            (limit, Limit::ScaleUpLimit)
        } else {
            (max, Limit::TooManyReplicas)
        };
        if desired > maximum {
            return (maximum, reason);
        }
    } else if desired < current {
        let mut limit = policy_limit(
            Direction::Down,
            current,
            up_events,
            down_events,
            &behavior.scale_down,
            now,
        );
        if limit > current {
            limit = current;
        }
        let (minimum, reason) = if min < limit {
            (limit, Limit::ScaleDownLimit)
        } else {
            (min, Limit::TooFewReplicas)
        };
        if desired < minimum {
            return (minimum, reason);
        }
    }
    (desired, Limit::DesiredWithinRange)
}

fn longest_policy_period(rules: &ScalingRules) -> Millis {
    rules.policies.iter().map(|p| p.period).max().unwrap_or(0)
}

/// `storeScaleEvent`: nothing without `behavior`; otherwise mark events older than the
/// direction's longest policy period outdated, and put the new event in the last outdated slot
/// or append it.
pub fn store_scale_event(
    behavior: Option<&Behavior>,
    up_events: &mut Vec<ScaleEvent>,
    down_events: &mut Vec<ScaleEvent>,
    prev: i32,
    new: i32,
    now: Millis,
) {
    let Some(behavior) = behavior else {
        return;
    };
    let (events, rules, change) = if new > prev {
        (
            up_events,
            &behavior.scale_up,
            i64::from(new) - i64::from(prev),
        )
    } else {
        (
            down_events,
            &behavior.scale_down,
            i64::from(prev) - i64::from(new),
        )
    };
    let longest = longest_policy_period(rules);
    let mut old: Option<usize> = None;
    for (i, e) in events.iter_mut().enumerate() {
        if before_cutoff(e.at, now, longest) {
            e.outdated = true;
        }
        if e.outdated {
            old = Some(i);
        }
    }
    let ev = ScaleEvent {
        change: sat_i32(change),
        at: now,
        outdated: false,
    };
    match old.and_then(|i| events.get_mut(i)) {
        Some(slot) => *slot = ev,
        None => events.push(ev),
    }
}
