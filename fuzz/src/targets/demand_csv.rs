//! The demand CSV (`demand::parse_csv`): never panics; an error points into the text; a series
//! read holds the invariants (times strictly increasing from 0, finite non-negative values)
//! and round-trips: written back as `time,value` rows in seconds (millisecond precision, the
//! values in Rust's shortest round-trip form) it reads as the same points.

use super::super::{check_demand, text, Extent};
use scalelens_core::demand;
use std::fmt::Write;

/// The target: panics on a finding (module doc).
pub fn run(data: &[u8]) {
    let src = text(data);
    let series = match demand::parse_csv(&src) {
        Ok(s) => s,
        Err(e) => {
            Extent::of(&src).check_line(Some(e.line), Some(e.column), "demand error");
            return;
        }
    };
    check_demand(&series.points, "demand");
    let mut csv = String::from("time,value\n");
    for (t, v) in &series.points {
        let _ = writeln!(csv, "{}.{:03},{v}", t / 1000, t % 1000);
    }
    let again = demand::parse_csv(&csv).unwrap_or_else(|e| panic!("re-read: {e}\n{csv}"));
    assert_eq!(again.points, series.points, "round trip");
}
