//! Stray samples: a few samples far outside the body of a recording (a stray epoch-0 point among
//! samples at 1.7·10⁹ s, a test scrape from last year) are dropped, with a note naming them,
//! rather than stretching the replay across the decades between.
//!
//! The rule, over the times of all series together:
//! 1. Split the times into **clusters** at gaps longer than [`MIN_STRAY_GAP`] (a day): a shorter
//!    gap (a scrape outage, a night without traffic) never separates anything.
//! 2. The **body** is the cluster with the most samples (ties: the longer, then the later).
//!    Every cluster with at least 1/[`MINORITY_FACTOR`] of the body's samples is **major**: the
//!    kept range runs from the first major cluster to the last, whatever lies between.
//! 3. Walking outwards from that range, a **minority** cluster is kept while the gap to the kept
//!    range is at most `max(MIN_STRAY_GAP, STRAY_GAP_FACTOR × the body's span)`; at the first
//!    longer gap it and everything beyond it are **stray**.
//!
//! So a two-day outage inside a week of data is kept (no gap is longer than ten weeks), two
//! recordings of similar size months apart are both kept (the replay then asks for a window),
//! and a lone sample 55 years before a day of data is dropped. Sparse data where every cluster is
//! a single sample is never trimmed (each is major). Nothing here runs for data spanning a day or
//! less.
//!
//! The demand CSV is not trimmed: it is the user's own demand, written on purpose, and rows far
//! apart there make a replay too long to run (`replay-too-long`, with a window to replay).

use super::{fmt_time, Locator, TimeBase, TimeMs};
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::display::Dur;

/// Gaps up to a day never separate stray samples from the body: a night, a weekend's scrape
/// outage or a restart leave gaps of hours, and replaying them holds the last value, which is
/// what the gap note says. Longer gaps are candidates; only far ones (below) drop anything.
pub const MIN_STRAY_GAP: TimeMs = 86_400_000;

/// A minority cluster is stray only beyond a gap of this many times the body's span (and at
/// least [`MIN_STRAY_GAP`]): a week of data keeps a cluster up to ten weeks away. Data that
/// far from its body is not the same recording; closer data may be (a scrape resumed after an
/// outage).
pub const STRAY_GAP_FACTOR: u64 = 10;

/// A cluster with fewer than 1/10 of the body's samples is a minority (it may be stray); one with
/// more is part of the data whatever the gap, so two recordings of similar size are never cut.
pub const MINORITY_FACTOR: usize = 10;

/// How many dropped times the note lists before `and N more`.
const LISTED: usize = 3;

/// One run of times without a gap longer than [`MIN_STRAY_GAP`].
#[derive(Debug, Clone, Copy)]
struct Cluster {
    start: TimeMs,
    end: TimeMs,
    count: usize,
}

impl Cluster {
    fn span(&self) -> u64 {
        self.end.saturating_sub(self.start).unsigned_abs()
    }
}

/// The range of times to keep (inclusive), or `None` when no sample is stray (see the module
/// doc). `times` are the times of every sample, in any order.
pub fn body_range(mut times: Vec<TimeMs>) -> Option<(TimeMs, TimeMs)> {
    let (lo, hi) = (times.iter().min()?, times.iter().max()?);
    if hi.saturating_sub(*lo) <= MIN_STRAY_GAP {
        return None;
    }
    crate::sort::natural(&mut times);
    let mut clusters: Vec<Cluster> = Vec::new();
    for &t in &times {
        match clusters.last_mut() {
            Some(c) if t.saturating_sub(c.end) <= MIN_STRAY_GAP => {
                c.end = t;
                c.count += 1;
            }
            _ => clusters.push(Cluster {
                start: t,
                end: t,
                count: 1,
            }),
        }
    }
    let body = clusters
        .iter()
        .copied()
        .max_by_key(|c| (c.count, c.span(), c.start))?;
    let major = |c: &Cluster| c.count.saturating_mul(MINORITY_FACTOR) >= body.count;
    let mut first = clusters.iter().position(major)?;
    let mut last = clusters.iter().rposition(major)?;
    let far = body
        .span()
        .saturating_mul(STRAY_GAP_FACTOR)
        .max(MIN_STRAY_GAP.unsigned_abs());
    let gap = |a: &Cluster, b: &Cluster| b.start.saturating_sub(a.end).unsigned_abs();
    while let (Some(prev), Some(cur)) = (
        first.checked_sub(1).and_then(|i| clusters.get(i)),
        clusters.get(first),
    ) {
        if gap(prev, cur) > far {
            break;
        }
        first -= 1;
    }
    while let (Some(cur), Some(next)) = (clusters.get(last), clusters.get(last + 1)) {
        if gap(cur, next) > far {
            break;
        }
        last += 1;
    }
    if first == 0 && last + 1 == clusters.len() {
        return None;
    }
    Some((clusters.get(first)?.start, clusters.get(last)?.end))
}

/// One series' sorted points and the byte offsets they were written at, to trim in place.
pub(crate) type PointsAndLocs<'a> = (&'a mut Vec<(TimeMs, f64)>, &'a mut Vec<u32>);

/// Drop the samples outside `keep` from each series' `(points, locs)` (points sorted by time,
/// `locs` their byte offsets) and describe what was dropped. `None` when nothing was.
pub(crate) fn drop_outside(
    series: &mut [PointsAndLocs<'_>],
    keep: (TimeMs, TimeMs),
    base: TimeBase,
    loc: &Locator,
) -> Option<Diagnostic> {
    let mut dropped: Vec<(TimeMs, u32)> = Vec::new();
    for (points, locs) in series.iter_mut() {
        let n = points.len().min(locs.len());
        points.truncate(n);
        locs.truncate(n);
        let lo = points.partition_point(|p| p.0 < keep.0);
        let hi = points.partition_point(|p| p.0 <= keep.1).max(lo);
        dropped.extend(
            points
                .drain(hi..)
                .zip(locs.drain(hi..))
                .map(|(p, l)| (p.0, l)),
        );
        dropped.extend(
            points
                .drain(..lo)
                .zip(locs.drain(..lo))
                .map(|(p, l)| (p.0, l)),
        );
    }
    if dropped.is_empty() {
        return None;
    }
    crate::sort::natural(&mut dropped);
    let at = dropped.first().map(|&(_, o)| loc.point(o as usize));
    let mut times: Vec<String> = Vec::new();
    for (t, _) in &dropped {
        let s = fmt_time(*t, base);
        if times.last() != Some(&s) {
            times.push(s);
        }
    }
    let listed = times.len().min(LISTED);
    let mut list = times
        .iter()
        .take(listed)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if times.len() > listed {
        list.push_str(&format!(" and {} more times", times.len() - listed));
    }
    let farthest = dropped
        .iter()
        .map(|&(t, _)| {
            if t < keep.0 {
                keep.0.saturating_sub(t).unsigned_abs()
            } else {
                t.saturating_sub(keep.1).unsigned_abs()
            }
        })
        .max()
        .unwrap_or(0);
    let n = dropped.len();
    Some(
        Diagnostic::new(
            Code::SamplesStray,
            Severity::Warning,
            format!(
                "dropped {n} stray sample{}, up to {:#} away from the rest of the data (at \
                 {list}): the rest runs from {} to {}; a replay across the gap would hold one \
                 value for all that time",
                if n == 1 { "" } else { "s" },
                Dur(farthest),
                fmt_time(keep.0, base),
                fmt_time(keep.1, base),
            ),
        )
        .at_opt(at),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: TimeMs = 1_000;
    const HOUR: TimeMs = 3_600 * S;
    const DAY: TimeMs = 24 * HOUR;
    /// 2025-11-28T08:00:00Z.
    const T0: TimeMs = 1_764_316_800_000;

    /// Samples every `step` from `from` for `len`.
    fn every(from: TimeMs, len: TimeMs, step: TimeMs) -> Vec<TimeMs> {
        (0..=len / step).map(|k| from + k * step).collect()
    }

    fn cat(parts: &[Vec<TimeMs>]) -> Vec<TimeMs> {
        parts.concat()
    }

    /// A case: its name, the times, the range kept when something is dropped.
    type Case = (&'static str, Vec<TimeMs>, Option<(TimeMs, TimeMs)>);

    #[test]
    fn only_far_minorities_at_the_edges_are_stray() {
        let day = every(T0, DAY, 15 * S);
        let week = every(T0, 7 * DAY, 15 * S);
        let cases: Vec<Case> = vec![
            ("a day of data", day.clone(), None),
            (
                "one stray epoch-0 sample before a day",
                cat(&[vec![0], day.clone()]),
                Some((T0, T0 + DAY)),
            ),
            (
                "a stray 10 years after a week",
                cat(&[week.clone(), vec![T0 + 3650 * DAY]]),
                Some((T0, T0 + 7 * DAY)),
            ),
            (
                "strays on both sides",
                cat(&[vec![0, 5 * S], day.clone(), vec![i64::MAX]]),
                Some((T0, T0 + DAY)),
            ),
            (
                "a two-day outage inside a week",
                cat(&[
                    every(T0, 2 * DAY + 12 * HOUR, 15 * S),
                    every(T0 + 4 * DAY + 12 * HOUR, 2 * DAY + 12 * HOUR, 15 * S),
                ]),
                None,
            ),
            (
                "a short tail after a day-and-a-half outage",
                cat(&[
                    every(T0, 5 * DAY, 15 * S),
                    every(T0 + 6 * DAY + 12 * HOUR, 6 * HOUR, 15 * S),
                ]),
                None,
            ),
            (
                "two weeks of similar size three months apart: both kept",
                cat(&[week.clone(), every(T0 + 97 * DAY, 7 * DAY, 15 * S)]),
                None,
            ),
            (
                "a small recording three months after a week: a minority, far",
                cat(&[week.clone(), every(T0 + 97 * DAY, 6 * HOUR, 15 * S)]),
                Some((T0, T0 + 7 * DAY)),
            ),
            (
                "a stray between two major recordings is inside the range",
                cat(&[
                    week.clone(),
                    vec![T0 + 50 * DAY],
                    every(T0 + 97 * DAY, 7 * DAY, 15 * S),
                ]),
                None,
            ),
            (
                "sparse: one sample every two days",
                every(0, 20 * DAY, 2 * DAY),
                None,
            ),
            (
                "two rows 1e12 s apart (as a demand CSV could have)",
                vec![0, 1_000_000_000_000_000],
                None,
            ),
            (
                "extreme times do not overflow",
                cat(&[vec![i64::MIN, i64::MIN + 1], day.clone(), vec![i64::MAX]]),
                Some((T0, T0 + DAY)),
            ),
        ];
        for (case, times, kept) in cases {
            assert_eq!(body_range(times), kept, "{case}");
        }
    }

    #[test]
    fn dropped_samples_are_named_in_the_note() {
        let text = "header\nstray\nrest\n";
        let loc = Locator::new(text);
        let mut a: Vec<(TimeMs, f64)> = vec![(0, 1.0), (T0, 2.0), (T0 + 15 * S, 3.0)];
        let mut a_locs: Vec<u32> = vec![7, 13, 13];
        let mut b: Vec<(TimeMs, f64)> = vec![(5 * S, 1.0), (T0, 2.0), (T0 + 400 * DAY, 9.0)];
        let mut b_locs: Vec<u32> = vec![7, 13, 13];
        let mut series = [(&mut a, &mut a_locs), (&mut b, &mut b_locs)];
        let note = drop_outside(&mut series, (T0, T0 + 15 * S), TimeBase::Epoch, &loc);
        let Some(note) = note else { panic!("a note") };
        assert_eq!(a, vec![(T0, 2.0), (T0 + 15 * S, 3.0)]);
        assert_eq!(b, vec![(T0, 2.0)]);
        assert_eq!((a_locs.len(), b_locs.len()), (2, 1));
        assert_eq!(
            note.span.map(|s| (s.start.line, s.start.column)),
            Some((2, 1))
        );
        assert_eq!(note.severity, Severity::Warning);
        assert_eq!(
            note.message,
            "dropped 3 stray samples, up to 55 years 345 days away from the rest of the data \
             (at 1970-01-01T00:00:00Z, 1970-01-01T00:00:05Z, 2027-01-02T08:00:00Z): the rest \
             runs from 2025-11-28T08:00:00Z to 2025-11-28T08:00:15Z; a replay across the gap \
             would hold one value for all that time"
        );
    }
}
