//! Go duration strings (`time.ParseDuration`, Go standard library `src/time/format.go`):
//! `"300ms"`, `"1.5h"`, `"2h45m"`, `"30s"`, `"0"`.
//!
//! Knative annotations (`window`, `scale-down-delay`, ...) and AIBrix annotations
//! (`scale-up-cooldown-window`, ...) are Go durations. KEDA's `pollingInterval` /
//! `cooldownPeriod` are integer seconds and do not come through here.

use crate::model::Millis;
use crate::text::split_while;

/// A parsed Go duration in nanoseconds (Go `time.Duration`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct GoDuration {
    pub nanos: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    #[error("{0:?} is not a Go duration (expected e.g. \"30s\", \"1.5h\", \"2h45m\", \"300ms\")")]
    Invalid(String),
    #[error("{input:?} is missing a unit (write e.g. \"{input}s\"; units: ns us ms s m h)")]
    MissingUnit { input: String },
    #[error("{input:?} has an unknown unit {unit:?} (units: ns us µs ms s m h)")]
    UnknownUnit { input: String, unit: String },
    #[error("{0:?} is out of range: a Go duration is at most {GO_DURATION_MAX} (int64 nanoseconds, about 292 years)")]
    Overflow(String),
    #[error("{0:?} is negative; a duration here must be ≥ 0")]
    Negative(String),
}

const MAX: u64 = 1 << 63;

/// The longest Go `time.Duration` (`math.MaxInt64` nanoseconds) as Go writes it.
pub const GO_DURATION_MAX: &str = "2562047h47m16.854775807s";

fn unit_nanos(u: &str) -> Option<u64> {
    Some(match u {
        "ns" => 1,
        "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => return None,
    })
}

impl GoDuration {
    /// Parse like Go's `time.ParseDuration`.
    pub fn parse(orig: &str) -> Result<GoDuration, DurationError> {
        // Errors quote the input, cut to a readable length.
        let shown = || crate::text::clip(orig, crate::text::QUOTE_MAX_CHARS).into_owned();
        let invalid = || DurationError::Invalid(shown());
        let overflow = || DurationError::Overflow(shown());
        let mut s = orig;
        let mut neg = false;
        if let Some(rest) = s.strip_prefix('-') {
            neg = true;
            s = rest;
        } else if let Some(rest) = s.strip_prefix('+') {
            s = rest;
        }
        if s == "0" {
            return Ok(GoDuration { nanos: 0 });
        }
        if s.is_empty() {
            return Err(invalid());
        }
        let mut d: u64 = 0;
        while !s.is_empty() {
            // Integer part.
            let (int, rest) = split_while(s, |c| c.is_ascii_digit());
            let mut v: u64 = 0;
            for c in int.bytes() {
                v = v
                    .checked_mul(10)
                    .and_then(|v| v.checked_add(u64::from(c - b'0')))
                    .filter(|v| *v <= MAX)
                    .ok_or_else(overflow)?;
            }
            s = rest;
            let pre = !int.is_empty();
            // Fraction: Go keeps leading digits until the accumulator would overflow.
            let (mut f, mut scale, mut post) = (0u64, 1f64, false);
            if let Some(rest) = s.strip_prefix('.') {
                s = rest;
                let (frac, rest) = split_while(s, |c| c.is_ascii_digit());
                let mut overflowed = false;
                for c in frac.bytes() {
                    if overflowed {
                        continue;
                    }
                    if f > (i64::MAX as u64 - 9) / 10 {
                        overflowed = true;
                        continue;
                    }
                    f = f * 10 + u64::from(c - b'0');
                    scale *= 10.0;
                }
                s = rest;
                post = !frac.is_empty();
            }
            if !pre && !post {
                return Err(invalid());
            }
            let (u, rest) = split_while(s, |c| c != '.' && !c.is_ascii_digit());
            if u.is_empty() {
                return Err(DurationError::MissingUnit { input: shown() });
            }
            s = rest;
            let unit = unit_nanos(u).ok_or_else(|| DurationError::UnknownUnit {
                input: shown(),
                unit: crate::text::clip(u, crate::text::QUOTE_MAX_CHARS).into_owned(),
            })?;
            if v > MAX / unit {
                return Err(overflow());
            }
            v *= unit;
            if f > 0 {
                // Go: v += uint64(float64(f) * (float64(unit) / scale)).
                v = v.saturating_add((f as f64 * (unit as f64 / scale)) as u64);
                if v > MAX {
                    return Err(overflow());
                }
            }
            d = d.saturating_add(v);
            if d > MAX {
                return Err(overflow());
            }
        }
        if neg {
            // d ≤ 2^63, so -d fits in i64.
            return Ok(GoDuration {
                nanos: (-(d as i128)) as i64,
            });
        }
        if d > i64::MAX as u64 {
            return Err(overflow());
        }
        Ok(GoDuration { nanos: d as i64 })
    }

    /// Whole milliseconds, truncated toward zero (Scalelens' time unit).
    pub fn millis(self) -> i64 {
        self.nanos / 1_000_000
    }

    /// True when the duration is a whole number of seconds (Knative requires it for windows).
    pub fn is_whole_seconds(self) -> bool {
        self.nanos % 1_000_000_000 == 0
    }
}

/// Parse a Go duration that must be ≥ 0, into [`Millis`] (sub-millisecond parts truncated).
pub fn parse_millis(s: &str) -> Result<Millis, DurationError> {
    let d = GoDuration::parse(s)?;
    if d.nanos < 0 {
        return Err(DurationError::Negative(
            crate::text::clip(s, crate::text::QUOTE_MAX_CHARS).into_owned(),
        ));
    }
    Ok(d.millis() as Millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_examples() {
        // Cases from Go's src/time/time_test.go parseDurationTests.
        let ok: &[(&str, i64)] = &[
            ("0", 0),
            ("5s", 5_000_000_000),
            ("30s", 30_000_000_000),
            ("1478s", 1_478_000_000_000),
            ("-5s", -5_000_000_000),
            ("+5s", 5_000_000_000),
            ("-0", 0),
            ("+0", 0),
            ("5.0s", 5_000_000_000),
            ("5.6s", 5_600_000_000),
            ("5.s", 5_000_000_000),
            (".5s", 500_000_000),
            ("1.0s", 1_000_000_000),
            ("1.00s", 1_000_000_000),
            ("1.004s", 1_004_000_000),
            ("100.00100s", 100_001_000_000),
            ("10ns", 10),
            ("11us", 11_000),
            ("12µs", 12_000),
            ("12μs", 12_000),
            ("13ms", 13_000_000),
            ("14s", 14_000_000_000),
            ("15m", 900_000_000_000),
            ("16h", 57_600_000_000_000),
            ("3h30m", 12_600_000_000_000),
            ("10.5s4m", 250_500_000_000),
            ("-2m3.4s", -123_400_000_000),
            ("1h2m3s4ms5us6ns", 3_723_004_005_006),
            ("39h9m14.425s", 140_954_425_000_000),
            ("52763797000ns", 52_763_797_000),
            ("0.3333333333333333333h", 1_200_000_000_000),
            ("9007199254740993ns", 9_007_199_254_740_993),
            ("9223372036854775807ns", i64::MAX),
            ("-9223372036854775808ns", i64::MIN),
            ("1.5h", 5_400_000_000_000),
            ("2h45m", 9_900_000_000_000),
            ("300ms", 300_000_000),
        ];
        for (s, want) in ok {
            assert_eq!(GoDuration::parse(s).map(|d| d.nanos), Ok(*want), "{s}");
        }
        for s in [
            "",
            "3",
            "-",
            "s",
            ".",
            "-.",
            ".s",
            "+.s",
            "1d",
            "9223372036854775808ns",
            "3000000h",
            // Non-ASCII text where a digit or unit is expected.
            "é",
            "1é",
            "1.é",
            "5sé",
            "1µ",
        ] {
            assert!(GoDuration::parse(s).is_err(), "{s:?}");
        }
    }

    #[test]
    fn millis_rejects_negative() {
        assert_eq!(parse_millis("1.5h"), Ok(5_400_000));
        assert!(matches!(
            parse_millis("-1s"),
            Err(DurationError::Negative(_))
        ));
        assert!(matches!(
            parse_millis("30"),
            Err(DurationError::MissingUnit { .. })
        ));
    }
}
