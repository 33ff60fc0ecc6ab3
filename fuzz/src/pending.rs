//! Inputs whose fix is in flight elsewhere (issue 11), skipped only in a build with the
//! `avoid-pending` feature, so that fuzzing meanwhile finds other bugs; the default build (what
//! `cargo xtask fuzz` and CI run) skips nothing.

use scalelens_core::samples::Samples;

/// Whether the `avoid-pending` feature is on (never in the regression tests, which include
/// this file in a crate without that feature).
#[allow(unexpected_cfgs)]
pub const ON: bool = cfg!(feature = "avoid-pending");

/// Widest time span of several series skipped with `avoid-pending`: a day. Aligning
/// several series on a common step walks every step between the first and the last
/// sample (up to `MAX_STEPS`, 6 million): a stray sample far from the others (a
/// timestamp 0 or 1e12) makes that seconds of work. Dropping such samples is issue 11's
/// "bounded replay".
pub const MAX_ALIGNED_SPAN_MS: i64 = 86_400_000;

/// With `avoid-pending`: several series spanning more than [`MAX_ALIGNED_SPAN_MS`].
pub fn wide_alignment(s: &Samples) -> bool {
    if !ON {
        return false;
    }
    let with_points = s.series.iter().filter(|x| !x.points.is_empty()).count();
    let first = s
        .series
        .iter()
        .filter_map(|x| x.points.first())
        .map(|p| p.0)
        .min();
    let last = s
        .series
        .iter()
        .filter_map(|x| x.points.last())
        .map(|p| p.0)
        .max();
    match (first, last) {
        (Some(a), Some(b)) => with_points > 1 && b.saturating_sub(a) > MAX_ALIGNED_SPAN_MS,
        _ => false,
    }
}
