//! Durations on the command line (`--pod-startup 30s`, `--duration 2h`): a Go duration
//! (`90s`, `1.5h`, `2h45m`, `300ms`) or a bare number of seconds.
//!
//! TODO(merge): `parse_go` duplicates `scalelens_core::duration::parse_millis`, which is being
//! written on another branch; once it lands, call it instead and delete `parse_go`.

use scalelens_core::Millis;

/// Parse a command-line duration into milliseconds.
pub fn parse_arg(s: &str) -> Result<Millis, String> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s
            .parse::<u64>()
            .ok()
            .and_then(|secs| secs.checked_mul(1000))
            .ok_or_else(|| format!("{s:?} is too large"));
    }
    parse_go(s)
}

fn unit_nanos(unit: &str) -> Option<u128> {
    Some(match unit {
        "ns" => 1,
        "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => return None,
    })
}

/// A non-negative Go duration (Go `time.ParseDuration`), truncated to whole milliseconds.
fn parse_go(input: &str) -> Result<Millis, String> {
    let bad = || format!("{input:?} is not a duration (expected e.g. 30s, 1.5h, 2h45m, 300ms)");
    let mut rest = input.strip_prefix('+').unwrap_or(input);
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() || rest.starts_with('-') {
        return Err(bad());
    }
    let mut total: u128 = 0;
    while !rest.is_empty() {
        let int_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        let (int, after) = rest.split_at(int_len);
        let (frac, after) = match after.strip_prefix('.') {
            Some(a) => {
                let n = a.bytes().take_while(u8::is_ascii_digit).count();
                a.split_at(n)
            }
            None => ("", after),
        };
        if int.is_empty() && frac.is_empty() {
            return Err(bad());
        }
        let unit_len = after
            .char_indices()
            .find(|(_, c)| c.is_ascii_digit() || *c == '.')
            .map_or(after.len(), |(i, _)| i);
        let (unit, after) = after.split_at(unit_len);
        let scale = unit_nanos(unit).ok_or_else(|| {
            if unit.is_empty() {
                format!("{input:?} is missing a unit (ns, us, ms, s, m, h)")
            } else {
                format!("{input:?} has an unknown unit {unit:?} (ns, us, ms, s, m, h)")
            }
        })?;
        let whole: u128 = if int.is_empty() {
            0
        } else {
            int.parse().map_err(|_| bad())?
        };
        let mut part = whole.checked_mul(scale).ok_or_else(bad)?;
        let mut div: u128 = 1;
        let mut frac_value: u128 = 0;
        for d in frac.bytes().take(18) {
            frac_value = frac_value * 10 + u128::from(d - b'0');
            div *= 10;
        }
        part = part.checked_add(frac_value * scale / div).ok_or_else(bad)?;
        total = total.checked_add(part).ok_or_else(bad)?;
        rest = after;
    }
    if total > i64::MAX as u128 {
        return Err(format!("{input:?} is too large"));
    }
    Ok((total / 1_000_000) as Millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        let ok: &[(&str, Millis)] = &[
            ("30s", 30_000),
            ("30", 30_000),
            ("2h", 7_200_000),
            ("1.5h", 5_400_000),
            ("2h45m", 9_900_000),
            ("300ms", 300),
            (".5s", 500),
            ("5.s", 5_000),
            ("0", 0),
            ("1500us", 1),
        ];
        for (s, ms) in ok {
            assert_eq!(parse_arg(s), Ok(*ms), "{s}");
        }
        for s in [
            "",
            "-5s",
            "s",
            ".s",
            "5x",
            "1e3s",
            "99999999999999999999999h",
        ] {
            assert!(parse_arg(s).is_err(), "{s} should fail");
        }
    }
}
