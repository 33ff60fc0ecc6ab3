//! RFC 3339 times, read and written: the one place that turns a date and time into Unix
//! milliseconds and back (demand CSVs, samples, `--from`/`--to`/`--at`, messages).
//!
//! Hand-written rather than a crate: two functions on Howard Hinnant's civil-date algorithms
//! (about 80 lines) cover what the inputs hold (UTC or a numeric offset, milliseconds), and
//! keep `core` free of a date library in the playground's and the filter's Wasm.

use std::fmt::Write as _;

/// `YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]` (also a space instead of `T`) to Unix milliseconds.
pub fn parse(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 19 || !s.is_ascii() {
        return None;
    }
    let at = |i: usize| b.get(i).copied();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(r)?;
        if !part.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    if at(4) != Some(b'-')
        || at(7) != Some(b'-')
        || !matches!(at(10), Some(b'T' | b't' | b' '))
        || at(13) != Some(b':')
        || at(16) != Some(b':')
    {
        return None;
    }
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut i = 19;
    let mut ms = 0i64;
    if at(i) == Some(b'.') {
        i += 1;
        let start = i;
        while at(i).is_some_and(|c| c.is_ascii_digit()) {
            i += 1;
        }
        if i == start {
            return None;
        }
        let frac = s.get(start..i.min(start + 3))?;
        ms = frac.parse::<i64>().ok()? * 10i64.pow(3 - frac.len() as u32);
    }
    let offset_min = match at(i) {
        Some(b'Z' | b'z') if i + 1 == b.len() => 0,
        Some(c @ (b'+' | b'-')) if i + 6 == b.len() && at(i + 3) == Some(b':') => {
            let oh = num(i + 1..i + 3)?;
            let om = num(i + 4..i + 6)?;
            let sign = if c == b'+' { 1 } else { -1 };
            sign * (oh * 60 + om)
        }
        _ => return None,
    };
    let days = days_from_civil(y, mo, d);
    let secs = days * 86_400 + h * 3600 + mi * 60 + sec - offset_min * 60;
    Some(secs * 1000 + ms)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's civil algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Unix milliseconds as RFC 3339 in UTC: `2025-11-28T08:00:00Z`, with `.mmm` when not a whole
/// second (`1970-01-01T00:00:01.500Z`); times before 1970 count back (`-1` is
/// `1969-12-31T23:59:59.999Z`). Shown through [`crate::display::Utc`].
pub fn format(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let frac = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let mut s = format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        sod / 3600,
        sod % 3600 / 60,
        sod % 60
    );
    if frac != 0 {
        let _ = write!(s, ".{frac:03}");
    }
    s.push('Z');
    s
}

/// Proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let cases: &[(&str, i64, &str)] = &[
            ("1970-01-01T00:00:00Z", 0, "1970-01-01T00:00:00Z"),
            (
                "2025-11-28T08:00:00Z",
                1_764_316_800_000,
                "2025-11-28T08:00:00Z",
            ),
            (
                "2025-11-28T09:00:00+01:00",
                1_764_316_800_000,
                "2025-11-28T08:00:00Z",
            ),
            (
                "2025-11-28 08:00:00.5z",
                1_764_316_800_500,
                "2025-11-28T08:00:00.500Z",
            ),
            ("1969-12-31T23:59:59.999Z", -1, "1969-12-31T23:59:59.999Z"),
            (
                "0001-01-01T00:00:00Z",
                -62_135_596_800_000,
                "0001-01-01T00:00:00Z",
            ),
            (
                "9999-12-31T23:59:59Z",
                253_402_300_799_000,
                "9999-12-31T23:59:59Z",
            ),
        ];
        for &(text, ms, back) in cases {
            assert_eq!(parse(text), Some(ms), "{text}");
            assert_eq!(format(ms), back, "{ms}");
        }
        for bad in [
            "",
            "2025-11-28",
            "2025-13-01T00:00:00Z",
            "2025-11-28T08:00:00",
            "2025-11-28T08:00:00+0100",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
