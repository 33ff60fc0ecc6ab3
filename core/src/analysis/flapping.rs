//! `flapping`: the replica count keeps changing direction.
//!
//! How the check works (the rule's docs, what / why / example / fix / references, are
//! [`DOC`], shown by `scalelens rule` and in SARIF):
//! Walks the decisions of a simulated run that changed the count (up or down) and counts the
//! direction changes (up after down, down after up). When more than
//! [`FLAPPING_CHANGES_PER_HOUR`] fall within any one hour, it reports the busiest hour and the
//! settings that damp it.

use crate::codes::rule_doc;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::display::Clock;
use crate::knobs::{self, Concept};
use crate::model::{Algorithm, Autoscaler, Millis, MINUTE};
use crate::sim::SimOutput;

/// More direction changes than this within one hour is flapping: three full up-and-down cycles
/// an hour is already faster than the daily load patterns autoscalers are meant to follow.
pub const FLAPPING_CHANGES_PER_HOUR: usize = 6;

const HOUR: Millis = 60 * MINUTE;

/// Report a run whose count changes direction too often.
pub fn check_flapping(a: &Autoscaler, out: &SimOutput) -> Option<Diagnostic> {
    // Times of direction changes.
    let mut flips: Vec<Millis> = Vec::new();
    let mut last_dir: Option<bool> = None; // true = up
    for e in &out.timeline {
        if e.desired == e.replicas {
            continue;
        }
        let up = e.desired > e.replicas;
        if last_dir.is_some_and(|d| d != up) {
            flips.push(e.t);
        }
        last_dir = Some(up);
    }
    // The busiest one-hour window.
    let mut best = (0usize, 0usize); // (count, start index)
    let mut j = 0usize;
    for (i, &start) in flips.iter().enumerate() {
        let end = start.saturating_add(HOUR);
        while flips.get(j).is_some_and(|&t| t < end) {
            j += 1;
        }
        if j - i > best.0 {
            best = (j - i, i);
        }
    }
    if best.0 <= FLAPPING_CHANGES_PER_HOUR {
        return None;
    }
    let from = flips.get(best.1).copied().unwrap_or(0);
    let changes: usize = out
        .timeline
        .iter()
        .filter(|e| e.t >= from && e.t < from.saturating_add(HOUR) && e.desired != e.replicas)
        .count();
    let message = format!(
        "replicas changed direction {} times within an hour (from {}; {} scaling decisions), more than {FLAPPING_CHANGES_PER_HOUR}: the count oscillates instead of following the load",
        best.0,
        Clock(from),
        changes,
    );
    // AIBrix v0.5.0 – v0.7.0 `stabilizeRecommendation` (podautoscaler_controller.go) takes the MIN of the
    // scale-down cooldown window: a scale-down jumps to a stale low recommendation from before
    // the load rose, and the next resync scales back up. Upstream does this; say so, and do not
    // advise a longer window (it looks further back for a low value).
    let gen_b = match &a.algorithm {
        Algorithm::AibrixKpa(p) | Algorithm::AibrixApa(p) if p.gen_b().is_some() => {
            Some(p.version().tag())
        }
        _ => None,
    };
    let aibrix_min = gen_b.is_some()
        && out.timeline.iter().any(|e| {
            e.t >= from
                && e.t < from.saturating_add(HOUR)
                && matches!(e.reason, crate::algorithm::Reason::CooldownMin { .. })
        });
    let message = if aibrix_min {
        format!(
            "{message}. This is what AIBrix {} does: its scale-down cooldown window takes the LOWEST recommendation of the window (stabilizeRecommendation in pkg/controller/podautoscaler/podautoscaler_controller.go), so a scale-down drops to a stale recommendation from before the load rose and the next resync scales back up",
            gen_b.unwrap_or_default()
        )
    } else {
        message
    };
    let at = |c| knobs::change(a, c);
    let quoted = |c| at(c).map(|(place, _)| format!("`{place}`"));
    let (hint, span) = if aibrix_min {
        let window = at(Concept::ScaleDownWindow);
        (
            format!(
                "a longer {} makes it worse (it looks further back for a low value); set it to \"0s\" so a scale-down follows the current recommendation (limited by {}), and widen {} to damp it",
                quoted(Concept::ScaleDownWindow).unwrap_or_default(),
                quoted(Concept::MaxScaleDownRate).unwrap_or_default(),
                quoted(Concept::ScaleDownTolerance).unwrap_or_default(),
            ),
            window.and_then(|(_, span)| span),
        )
    } else {
        // Damp it: hold scale-downs longer, widen the band, delay, or (1 <-> 0) wait longer.
        let hold = at(Concept::ScaleDownWindow).or_else(|| at(Concept::StableWindow));
        let mut advice = Vec::new();
        if let Some((place, _)) = &hold {
            advice.push(format!("lengthen `{place}`"));
        }
        if let (Some(down), Some(up)) = (
            quoted(Concept::ScaleDownTolerance),
            quoted(Concept::ScaleUpTolerance),
        ) {
            advice.push(if down == up {
                format!("widen {down}")
            } else {
                format!("widen {down} / {up}")
            });
        }
        if let Some(delay) = quoted(Concept::ScaleDownDelay) {
            advice.push(format!("set {delay}"));
        }
        if a.min_replicas.value == 0 {
            if let Some(zero) = quoted(Concept::ScaleToZeroDelay) {
                advice.push(format!("{zero} for 1 ↔ 0"));
            }
        }
        (advice.join(", or "), hold.and_then(|(_, span)| span))
    };
    Some(
        Diagnostic::warning(Code::Flapping, message)
            .at(span.unwrap_or(a.name_span))
            .with_help(hint),
    )
}

rule_doc! {
    /// The replica count keeps changing direction.
    ///
    /// # What it does
    /// From a replay: the replica count changes direction more than
    /// [`crate::analysis::FLAPPING_CHANGES_PER_HOUR`] times within an hour (see
    /// [`crate::analysis::check_flapping`]).
    ///
    /// # Why is this bad
    /// Each scale-up starts pods that take minutes to load weights; each scale-down throws that away
    /// and drops in-flight requests.
    ///
    /// # Example
    /// ```text
    /// behavior:
    ///   scaleDown:
    ///     stabilizationWindowSeconds: 0
    /// ```
    ///
    /// # Fix
    /// A longer scale-down window (stabilization, cooldown, scale-down delay) or a wider tolerance.
    ///
    /// # References
    /// - kubernetes/kubernetes v1.34 `pkg/controller/podautoscaler/horizontal.go` (stabilization;
    ///   KEP-4951 tolerances); knative/serving v1.20 `pkg/autoscaler/scaling/autoscaler.go`.
    pub(crate) const DOC;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_util::{hpa_with_scale_down_window as hpa, run_from};
    use crate::model::SECOND;

    /// Load alternating between 50 and 20 every minute, for an hour.
    fn sawtooth_csv() -> String {
        let mut csv = String::from("time,value\n");
        for k in 0..60 {
            let v = if k % 2 == 0 { 50 } else { 20 };
            csv.push_str(&format!("{},{v}\n", k * 60));
        }
        csv
    }

    /// `a` on [`sawtooth_csv`] from 5 replicas, pods starting in 10 s.
    fn sawtooth(a: &Autoscaler) -> SimOutput {
        run_from(a, &sawtooth_csv(), 5, 10 * SECOND)
    }

    #[test]
    fn zero_window_flaps() {
        let a = hpa(0);
        let d = check_flapping(&a, &sawtooth(&a)).expect("fires");
        assert!(d.message.contains("changed direction"), "{}", d.message);
        assert_eq!(d.span.map(|s| s.start.line), Some(16));
    }

    #[test]
    fn default_window_holds_steady() {
        let a = hpa(300);
        assert!(check_flapping(&a, &sawtooth(&a)).is_none());
    }
}
