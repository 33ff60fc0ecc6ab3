//! Durations on the command line (`--pod-startup 30s`, `--duration 2h`): a Go duration
//! (`90s`, `1.5h`, `2h45m`, `300ms`) or a bare number of seconds.

use scalelens_core::Millis;

/// Parse a command-line duration into milliseconds.
pub fn parse_arg(s: &str) -> Result<Millis, String> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s
            .parse::<u64>()
            .ok()
            .and_then(|secs| secs.checked_mul(1000))
            .ok_or_else(|| {
                format!(
                    "{:?} is out of range: at most {} seconds",
                    scalelens_core::text::quote(s),
                    u64::MAX / 1000
                )
            });
    }
    scalelens_core::duration::parse_millis(s).map_err(|e| e.to_string())
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
            // The largest bare seconds and Go duration: parsed exactly (the replay's own limit
            // then refuses them with a message, see `scalelens_core::sim::limit`).
            ("18446744073709551", 18_446_744_073_709_551_000),
            ("2562047h47m16.854775807s", 9_223_372_036_854),
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
            "18446744073709552",
            "2562048h",
        ] {
            assert!(parse_arg(s).is_err(), "{s} should fail");
        }
    }
}
