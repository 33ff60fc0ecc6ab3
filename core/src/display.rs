//! How numbers, times and durations read in every message, table, chart label and fix: one
//! `Display` type per kind of value, so a value prints the same in `check`, `simulate`,
//! `explain`, the playground and the charts.
//!
//! | type | what | forms |
//! |---|---|---|
//! | [`Clock`] | a time in the replay (ms from its start) | `0:40:00`, `1:30:15`, `0:00:01.500`; `{:#}` `0:40` (to the minute, for chart axes) |
//! | [`Utc`] | an absolute time (Unix ms) | `2025-11-28T08:00:00Z`, `1970-01-01T00:00:01.500Z` (RFC 3339, UTC) |
//! | [`Seconds`] | a time an input wrote in seconds | `15s`, `1.500s`, `-2s` |
//! | [`Dur`] | a duration | `250ms`, `1.5s`, `90s`, `4m`, `2m30s`, `1h0m5s`; `{:#}` also `3 days 1h`, `2 years 70 days` |
//! | [`Num`] | a measured or computed number | `30`, `0.5`, `0.3333` (`{:.6}`: `0.333333`), `1.845e19`, `-` when not finite |
//! | [`Ratio`] | a ratio in a table column | `1.75`, `2.00`, `4.612e18`, `-` |
//! | [`Exact`] | a number the user wrote, quoted back exactly | `0.85`, `-3`, `1e300` |
//! | [`Grouped`] | a large count | `1,234,567` |
//!
//! Where the helpers this module replaced disagreed, the form kept is:
//! - a duration is Go's `time.Duration` form (`1h0m5s`, the units `h`, `m`, `s`, `ms`, so every
//!   duration shown can be pasted back into a Go duration field) without trailing zero units
//!   (`4m`, not `4m0s`), and whole seconds below two minutes as seconds (`90s`), as kubectl's
//!   age column shows them (kubernetes/apimachinery `pkg/util/duration/duration.go`,
//!   `HumanDuration`, as of v0.25.1: `seconds < 60*2` prints `%ds`; beyond that it rounds,
//!   which this does not: a duration shown here is exact). `explain` printed 150 s as `150s`, `simulate` 240 s as `240s` and fixes
//!   300 s as `300s`; they now print `2m30s`, `4m`, `5m`.
//! - a time in the replay is `h:mm:ss`, the `time` column of `simulate` and `explain`, also in
//!   the analyses' messages (which wrote `40m` for both a time and a duration).
//! - a number that is not finite is `-` (the tables' form), never `NaN` or `inf`.
//!
//! Each type pads to a width (`{:>8}`) like a string does; [`Num`] reads the precision as its
//! maximum number of decimals.

use std::fmt::{self, Alignment, Formatter, Write as _};

use crate::model::Millis;

/// A time in the replay, milliseconds from its start: `h:mm:ss`, with `.mmm` when not a whole
/// second (`0:00:01.500`). The alternate form (`{:#}`) is `h:mm`, rounded to the minute, for
/// chart axes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock(pub Millis);

/// An absolute time, Unix milliseconds, as RFC 3339 in UTC: `2025-11-28T08:00:00Z`, with
/// `.mmm` when not a whole second ([`crate::rfc3339`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Utc(pub i64);

/// A time an input wrote as seconds (relative sample times, which may be negative): `15s`,
/// `1.500s` (milliseconds always three digits, so times line up), `-2s`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seconds(pub i64);

/// A duration in milliseconds, Go style (see the module doc): `0s`, `250ms`, `1.5s`, `90s`,
/// `4m`, `2m30s`, `1h0m5s`, `61.5s`. The alternate form (`{:#}`), for spans too long to read
/// in hours, starts with days and years (a year is 365 days): `3 days 1h`,
/// `2 years 70 days`; below a day it is the plain form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dur(pub Millis);

/// A number for messages, tables, labels and YAML edits: whole numbers below
/// [`SCIENTIFIC_FROM`] without a fraction (`30`), others rounded to the precision (default
/// [`NUM_DECIMALS`]; `{:.6}` for values written into fixes) with trailing zeros dropped
/// (`0.5`, `0.3333`), huge ones in scientific form (`1.845e19`, `1e300`: still a valid YAML
/// number and Kubernetes quantity), `-0` as `0`, and `-` when not finite.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Num(pub f64);

/// A ratio for a table column: always two decimals (`1.75`, `2.00`), huge ones as [`Num`]
/// does (`4.612e18`), `-` when not finite.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ratio(pub f64);

/// A number as Rust writes it, the shortest digits that read back as the same `f64` (`0.85`,
/// `1.5`, `-3`), for quoting a user's value exactly; when that is longer than
/// [`EXACT_MAX_CHARS`] (`1e300` would be 301 digits), the same digits in scientific form
/// (`1e300`, `1.5e-300`). Not finite: `NaN`, `inf`, `-inf` (what the user wrote).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exact(pub f64);

/// A count with thousands separators: `1,234,567`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grouped(pub u64);

/// Decimals [`Num`] keeps when the format gives no precision: enough for a metric's value
/// (`0.3036` of a cache), short enough for a table column.
pub const NUM_DECIMALS: usize = 4;

/// From this magnitude on, [`Num`] and [`Ratio`] write a number in scientific form
/// (`1.845e19`): the integer part alone would be 16 digits or more (1e300 would be 301), wider
/// than any table column and beyond the precision an `f64` holds (about 15.9 decimal digits),
/// so the digits would be noise.
pub const SCIENTIFIC_FROM: f64 = 1e15;

/// Decimals of the mantissa in scientific form (trailing zeros dropped): four significant
/// digits, enough to tell huge values apart, short enough for a table column (`-1.845e308`
/// is the widest, 10 characters).
const SCIENTIFIC_DECIMALS: usize = 3;

/// Above this many characters, [`Exact`] switches to scientific form: 20 holds every `f64`
/// written with its shortest digits between 1e-6 and 1e20 (`0.000001234567890123`,
/// `12345678901234567000`).
pub const EXACT_MAX_CHARS: usize = 20;

/// Below this many whole seconds, [`Dur`] writes seconds (`90s`, `119s`); from it on, minutes
/// (`2m`, `2m30s`). Two minutes: kubernetes/apimachinery v0.25.1
/// `pkg/util/duration/duration.go` `HumanDuration` (`seconds < 60*2`), what kubectl shows.
const SECONDS_BELOW: u64 = 120;

const SECOND: u64 = 1000;
const MINUTE: u64 = 60 * SECOND;
const HOUR: u64 = 60 * MINUTE;
const DAY: u64 = 24 * HOUR;
/// A year in [`Dur`]'s alternate form: 365 days (spans in messages, not calendar years).
const YEAR: u64 = 365 * DAY;

/// Write `s` honouring the formatter's width, fill and alignment (left by default, as for a
/// string), but not its precision (which [`Num`] reads as decimals, and `pad` would read as a
/// maximum length).
fn pad(f: &mut Formatter<'_>, s: &str) -> fmt::Result {
    let Some(width) = f.width() else {
        return f.write_str(s);
    };
    let len = s.chars().count();
    if len >= width {
        return f.write_str(s);
    }
    let gap = width - len;
    let (before, after) = match f.align() {
        None | Some(Alignment::Left) => (0, gap),
        Some(Alignment::Right) => (gap, 0),
        Some(Alignment::Center) => (gap / 2, gap - gap / 2),
    };
    let fill = f.fill();
    for _ in 0..before {
        f.write_char(fill)?;
    }
    f.write_str(s)?;
    for _ in 0..after {
        f.write_char(fill)?;
    }
    Ok(())
}

/// `.mmm` with trailing zeros dropped (`.5`, `.25`, `.125`), nothing for 0.
fn push_millis_trimmed(out: &mut String, ms: u64) {
    if ms != 0 {
        let digits = format!("{ms:03}");
        let _ = write!(out, ".{}", digits.trim_end_matches('0'));
    }
}

impl fmt::Display for Clock {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        if f.alternate() {
            let m = self.0.saturating_add(MINUTE / 2) / MINUTE;
            let _ = write!(s, "{}:{:02}", m / 60, m % 60);
        } else {
            let secs = self.0 / SECOND;
            let _ = write!(s, "{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60);
            let ms = self.0 % SECOND;
            if ms != 0 {
                let _ = write!(s, ".{ms:03}");
            }
        }
        pad(f, &s)
    }
}

impl fmt::Display for Utc {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        pad(f, &crate::rfc3339::format(self.0))
    }
}

impl fmt::Display for Seconds {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        let s = if a % SECOND == 0 {
            format!("{sign}{}s", a / SECOND)
        } else {
            format!("{sign}{}.{:03}s", a / SECOND, a % SECOND)
        };
        pad(f, &s)
    }
}

/// Go-style `h m s` of `ms` below a day's worth of days (see [`Dur`]).
fn go_duration(out: &mut String, ms: Millis) {
    if ms == 0 {
        out.push_str("0s");
        return;
    }
    if ms < SECOND {
        let _ = write!(out, "{ms}ms");
        return;
    }
    let (secs, frac) = (ms / SECOND, ms % SECOND);
    if secs < SECONDS_BELOW {
        let _ = write!(out, "{secs}");
        push_millis_trimmed(out, frac);
        out.push('s');
        return;
    }
    let (h, m, sec) = (secs / 3600, secs / 60 % 60, secs % 60);
    let has_secs = sec > 0 || frac > 0;
    if h > 0 {
        let _ = write!(out, "{h}h");
    }
    if m > 0 || (h > 0 && has_secs) {
        let _ = write!(out, "{m}m");
    }
    if has_secs {
        let _ = write!(out, "{sec}");
        push_millis_trimmed(out, frac);
        out.push('s');
    }
}

impl fmt::Display for Dur {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let ms = self.0;
        let mut s = String::new();
        let plural = |n: u64, what: &str| {
            if n == 1 {
                format!("1 {what}")
            } else {
                format!("{n} {what}s")
            }
        };
        if f.alternate() && ms >= YEAR {
            let (y, d) = (ms / YEAR, ms % YEAR / DAY);
            s.push_str(&plural(y, "year"));
            if d > 0 {
                let _ = write!(s, " {}", plural(d, "day"));
            }
        } else if f.alternate() && ms >= DAY {
            let (d, h) = (ms / DAY, ms % DAY / HOUR);
            s.push_str(&plural(d, "day"));
            if h > 0 {
                let _ = write!(s, " {h}h");
            }
        } else {
            go_duration(&mut s, ms);
        }
        pad(f, &s)
    }
}

/// [`Num`]'s text of a finite `x` with at most `decimals` decimals.
fn number(x: f64, decimals: usize) -> String {
    if x.abs() >= SCIENTIFIC_FROM {
        let s = format!("{x:.SCIENTIFIC_DECIMALS$e}");
        return match s.split_once('e') {
            Some((mantissa, exp)) if mantissa.contains('.') => {
                let m = mantissa.trim_end_matches('0').trim_end_matches('.');
                format!("{m}e{exp}")
            }
            _ => s,
        };
    }
    if x == x.trunc() {
        return format!("{}", x as i64);
    }
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        &s
    };
    if s == "-0" || s.is_empty() {
        "0".to_string()
    } else {
        s.to_string()
    }
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if !self.0.is_finite() {
            return pad(f, "-");
        }
        pad(f, &number(self.0, f.precision().unwrap_or(NUM_DECIMALS)))
    }
}

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let r = self.0;
        if !r.is_finite() {
            pad(f, "-")
        } else if r.abs() < SCIENTIFIC_FROM {
            pad(f, &format!("{r:.2}"))
        } else {
            pad(f, &number(r, 2))
        }
    }
}

impl fmt::Display for Exact {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let s = format!("{}", self.0);
        if s.len() <= EXACT_MAX_CHARS {
            pad(f, &s)
        } else {
            pad(f, &format!("{:e}", self.0))
        }
    }
}

impl fmt::Display for Grouped {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let digits = self.0.to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        pad(f, &out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every form of every type, as the user reads it.
    #[test]
    fn forms() {
        let cases: Vec<(String, &str)> = vec![
            // Clock: a time in the replay.
            (Clock(0).to_string(), "0:00:00"),
            (Clock(2_400_000).to_string(), "0:40:00"),
            (Clock(5_415_000).to_string(), "1:30:15"),
            (Clock(1_500).to_string(), "0:00:01.500"),
            (Clock(100 * HOUR).to_string(), "100:00:00"),
            (format!("{:#}", Clock(2_400_000)), "0:40"),
            (format!("{:#}", Clock(5_430_000)), "1:31"),
            (format!("{:>9}", Clock(0)), "  0:00:00"),
            // Utc: RFC 3339.
            (Utc(1_764_316_800_000).to_string(), "2025-11-28T08:00:00Z"),
            (Utc(1_500).to_string(), "1970-01-01T00:00:01.500Z"),
            (Utc(-1).to_string(), "1969-12-31T23:59:59.999Z"),
            (Utc(253_402_300_799_000).to_string(), "9999-12-31T23:59:59Z"),
            // Seconds as an input wrote them.
            (Seconds(15_000).to_string(), "15s"),
            (Seconds(1_500).to_string(), "1.500s"),
            (Seconds(-2_000).to_string(), "-2s"),
            // Dur: Go style, seconds below two minutes.
            (Dur(0).to_string(), "0s"),
            (Dur(250).to_string(), "250ms"),
            (Dur(1_500).to_string(), "1.5s"),
            (Dur(15_000).to_string(), "15s"),
            (Dur(90_000).to_string(), "90s"),
            (Dur(61_500).to_string(), "61.5s"),
            (Dur(120_000).to_string(), "2m"),
            (Dur(150_000).to_string(), "2m30s"),
            (Dur(240_000).to_string(), "4m"),
            (Dur(300_000).to_string(), "5m"),
            (Dur(1_800_000).to_string(), "30m"),
            (Dur(3_600_000).to_string(), "1h"),
            (Dur(3_605_000).to_string(), "1h0m5s"),
            (Dur(3_661_000).to_string(), "1h1m1s"),
            (Dur(5_400_000).to_string(), "1h30m"),
            (Dur(5_430_000).to_string(), "1h30m30s"),
            (Dur(9_000_000).to_string(), "2h30m"),
            (Dur(DAY).to_string(), "24h"),
            (format!("{:#}", Dur(1_500)), "1.5s"),
            (format!("{:#}", Dur(9_000_000)), "2h30m"),
            (format!("{:#}", Dur(DAY)), "1 day"),
            (format!("{:#}", Dur(3 * DAY + HOUR)), "3 days 1h"),
            (format!("{:#}", Dur(365 * DAY)), "1 year"),
            (format!("{:#}", Dur(800 * DAY)), "2 years 70 days"),
            (format!("{:#}", Dur(u64::MAX)), "584942417 years 129 days"),
            (Dur(u64::MAX).to_string(), "5124095576030h25m51.615s"),
            // Num: compact, deterministic.
            (Num(30.0).to_string(), "30"),
            (Num(0.5).to_string(), "0.5"),
            (Num(7.0).to_string(), "7"),
            (Num(1.0 / 3.0).to_string(), "0.3333"),
            (format!("{:.6}", Num(1.0 / 3.0)), "0.333333"),
            (format!("{:.6}", Num(0.3 * 100.0)), "30"),
            (format!("{:.6}", Num(0.9999999)), "1"),
            (Num(0.30360).to_string(), "0.3036"),
            (Num(-2.5).to_string(), "-2.5"),
            (Num(-0.00001).to_string(), "0"),
            (Num(0.00001).to_string(), "0"),
            (Num(999_999_999_999_999.0).to_string(), "999999999999999"),
            (Num(-42.0).to_string(), "-42"),
            (Num(0.0).to_string(), "0"),
            (Num(1e15).to_string(), "1e15"),
            (Num(18_446_744_073_709_551_615.0).to_string(), "1.845e19"),
            (Num(1e300).to_string(), "1e300"),
            (format!("{:.0}", Num(f64::MAX)), "1.798e308"),
            (Num(-1.7976931348623157e308).to_string(), "-1.798e308"),
            (Num(2.5e16 + 0.5).to_string(), "2.5e16"),
            (Num(9.9999e15).to_string(), "1e16"),
            (Num(f64::NAN).to_string(), "-"),
            (Num(f64::INFINITY).to_string(), "-"),
            (Num(f64::NEG_INFINITY).to_string(), "-"),
            (format!("{:>8}", Num(0.5)), "     0.5"),
            (format!("{:>8.6}", Num(1.0 / 3.0)), "0.333333"),
            // Ratio: a table column.
            (Ratio(1.75).to_string(), "1.75"),
            (Ratio(2.0).to_string(), "2.00"),
            (Ratio(4.611686018427388e18).to_string(), "4.612e18"),
            (Ratio(f64::NAN).to_string(), "-"),
            // Exact: the user's value.
            (Exact(0.85).to_string(), "0.85"),
            (Exact(-3.0).to_string(), "-3"),
            (Exact(1.0 / 3.0).to_string(), "0.3333333333333333"),
            (
                Exact(12345678901234567000.0).to_string(),
                "12345678901234567000",
            ),
            (Exact(1e300).to_string(), "1e300"),
            (Exact(-1.5e-300).to_string(), "-1.5e-300"),
            (Exact(f64::MAX).to_string(), "1.7976931348623157e308"),
            (Exact(f64::NAN).to_string(), "NaN"),
            // Grouped counts.
            (Grouped(0).to_string(), "0"),
            (Grouped(999).to_string(), "999"),
            (Grouped(1_000).to_string(), "1,000"),
            (Grouped(u64::MAX).to_string(), "18,446,744,073,709,551,615"),
        ];
        for (got, want) in &cases {
            assert_eq!(got, want);
        }
        // A number never grows wider than a table column, whatever its value.
        for x in [
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            1e15 - 0.5,
        ] {
            let s = format!("{:.6}", Num(x));
            assert!(s.len() <= 17, "{x:e}: {s}");
        }
    }
}
