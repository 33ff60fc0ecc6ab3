//! KEDA's `cron` scaler (kedacore/keda v2.18, tag `v2.18.0`, `pkg/scalers/cron_scaler.go`):
//! a window between two cron schedules, on absolute time in an IANA time zone.
//!
//! Upstream facts (`GetMetricsAndActivity`, `parseCronMetadata`, `cronMetadata.Validate`):
//! - `start`, `end`, `timezone` and `desiredReplicas` are required; `start != end`;
//!   `desiredReplicas != 0`. Schedules are robfig/cron v3.0.1 five-field expressions
//!   (`cron.NewParser(Minute | Hour | Dom | Month | Dow)`: no seconds, no `@descriptors`;
//!   a `TZ=`/`CRON_TZ=` prefix overrides the zone; day of week 0–6; `?` is `*`).
//! - At each evaluation: `nextStart = start.Next(now)`, `nextEnd = end.Next(now)` (robfig `Next`:
//!   the first match strictly after `now`, at whole seconds, within five years, else the zero
//!   time). The trigger is active when the next end comes no later than the next start: a
//!   half-open window `[start, end)`.
//! - The metric is `desiredReplicas` inside the window and 0 outside (0 since v2.18.0; 1
//!   before), against a fixed target of 1, so the HPA wants `desiredReplicas` replicas.
//!
//! The schedule arithmetic is the `croner` crate's (5-field patterns, day-of-month OR
//! day-of-week as robfig's `dayMatches` when both are restricted); the time zones are
//! `chrono-tz`'s IANA database. croner reads a superset of robfig's syntax (`L`, `W`, `#`,
//! nicknames, 7 for Sunday), so [`parse_schedule`] first checks each field against robfig's
//! grammar and hands croner a normalised pattern.

use chrono::{DateTime, TimeZone};

/// A cron trigger's time zone: the IANA database with the `tz` feature (the command line);
/// without it (the playground, for size) only UTC, and other names are a diagnostic.
#[cfg(feature = "tz")]
pub type Tz = chrono_tz::Tz;
/// A cron trigger's time zone: only UTC in a build without the `tz` feature.
#[cfg(not(feature = "tz"))]
pub type Tz = chrono::Utc;
use croner::parser::{CronParser, Seconds};
use croner::Cron;
use serde::Serialize;

/// robfig `Next` gives up after five years (`spec.go`, `yearLimit := t.Year() + 5`).
const SEARCH_YEARS: i64 = 5;
/// Milliseconds in a (Julian) year, for [`SEARCH_YEARS`].
const YEAR_MS: i64 = 31_557_600_000;

/// One cron field's bounds and names (robfig `parser.go`: `minutes`, `hours`, `dom`,
/// `months`, `dow` bounds).
struct Field {
    what: &'static str,
    min: u32,
    max: u32,
    names: &'static [&'static str],
}

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const DAYS: &[&str] = &["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

const FIELDS: [Field; 5] = [
    Field {
        what: "minute",
        min: 0,
        max: 59,
        names: &[],
    },
    Field {
        what: "hour",
        min: 0,
        max: 23,
        names: &[],
    },
    Field {
        what: "day of month",
        min: 1,
        max: 31,
        names: &[],
    },
    Field {
        what: "month",
        min: 1,
        max: 12,
        names: MONTHS,
    },
    Field {
        what: "day of week",
        min: 0,
        max: 6,
        names: DAYS,
    },
];

/// A schedule robfig would accept: its zone override and croner's pattern.
#[derive(Debug, Clone)]
pub struct Schedule {
    cron: Cron,
    /// `TZ=Zone` / `CRON_TZ=Zone` prefix.
    zone: Option<Tz>,
}

/// Why a schedule or a zone is not what KEDA accepts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CronError {
    #[error("expected exactly 5 fields (minute hour day-of-month month day-of-week), found {0}")]
    FieldCount(usize),
    #[error("descriptors such as `{0}` are not accepted (KEDA's parser has no Descriptor flag)")]
    Descriptor(String),
    #[error("{what} `{item}`: {why}")]
    Item {
        what: &'static str,
        item: String,
        why: String,
    },
    #[error("unknown time zone `{0}` (an IANA name such as Europe/Berlin)")]
    Zone(String),
    /// The zone exists, but this build has no time-zone database (the playground leaves it out
    /// for size).
    #[error("time zone `{0}` is not in this build: the playground reads cron triggers in UTC only (its download leaves the time-zone database out); `scalelens simulate` replays every IANA zone")]
    ZoneNotInBuild(String),
    #[error("the schedule is not valid: {0}")]
    Croner(String),
}

/// An IANA time zone as Go's `time.LoadLocation` reads it (`UTC` and the database's names).
#[cfg(feature = "tz")]
pub fn parse_zone(name: &str) -> Result<Tz, CronError> {
    name.parse::<Tz>()
        .map_err(|_| CronError::Zone(name.to_string()))
}

/// UTC only: this build leaves the IANA database out (the playground's size budget), so any
/// other zone is [`CronError::ZoneNotInBuild`], which says where it is replayed.
#[cfg(not(feature = "tz"))]
pub fn parse_zone(name: &str) -> Result<Tz, CronError> {
    match name {
        "UTC" | "Etc/UTC" => Ok(chrono::Utc),
        _ => Err(CronError::ZoneNotInBuild(name.to_string())),
    }
}

/// One value of a field: a number in bounds or one of its names (case-insensitive).
fn value(f: &Field, s: &str) -> Result<u32, String> {
    if s.is_empty() {
        return Err("a value is missing (a range needs both ends)".to_string());
    }
    if let Some(i) = f.names.iter().position(|n| n.eq_ignore_ascii_case(s)) {
        let i = u32::try_from(i).unwrap_or(0);
        return Ok(if f.min == 1 { i + 1 } else { i });
    }
    let n: u32 = s.parse().map_err(|_| {
        format!(
            "`{s}` is not a number{}",
            if f.names.is_empty() { "" } else { " or a name" }
        )
    })?;
    if n < f.min || n > f.max {
        return Err(format!("{n} is out of range [{}, {}]", f.min, f.max));
    }
    Ok(n)
}

/// One comma-separated item of a field, robfig's `getRange`, as croner's canonical
/// `a-b/step` text.
fn item(f: &Field, item: &str) -> Result<String, String> {
    let (range, step) = match item.split_once('/') {
        Some((r, s)) => {
            let step: u32 = s
                .parse()
                .map_err(|_| format!("step `{s}` is not a number"))?;
            if step == 0 {
                return Err("step must be positive".to_string());
            }
            (r, Some(step))
        }
        None => (item, None),
    };
    let star = range == "*" || range == "?";
    if star && step == Some(1) {
        // robfig keeps the star bit for `*/1`.
        return Ok("*".to_string());
    }
    let (lo, hi) = if star {
        (f.min, f.max)
    } else if let Some((a, b)) = range.split_once('-') {
        (value(f, a)?, value(f, b)?)
    } else {
        let a = value(f, range)?;
        // `a/step` runs from a to the field's maximum.
        (a, if step.is_some() { f.max } else { a })
    };
    if lo > hi {
        return Err(format!(
            "beginning of range ({lo}) beyond end of range ({hi})"
        ));
    }
    Ok(match step {
        None if star => "*".to_string(),
        Some(s) => format!("{lo}-{hi}/{s}"),
        None if lo == hi => lo.to_string(),
        None => format!("{lo}-{hi}"),
    })
}

/// A start or end expression as robfig/cron v3.0.1 parses it for KEDA.
pub fn parse_schedule(expr: &str) -> Result<Schedule, CronError> {
    let mut text = expr.trim();
    let mut zone = None;
    for prefix in ["TZ=", "CRON_TZ="] {
        if let Some(rest) = text.strip_prefix(prefix) {
            let (name, rest) = rest.split_once(' ').unwrap_or((rest, ""));
            zone = Some(parse_zone(name)?);
            text = rest.trim();
        }
    }
    if text.starts_with('@') {
        return Err(CronError::Descriptor(text.to_string()));
    }
    let parts: Vec<&str> = text.split_whitespace().collect();
    if parts.len() != FIELDS.len() {
        return Err(CronError::FieldCount(parts.len()));
    }
    let mut normalised = Vec::with_capacity(FIELDS.len());
    for (f, part) in FIELDS.iter().zip(&parts) {
        let items: Result<Vec<String>, CronError> = part
            .split(',')
            .map(|i| {
                item(f, i).map_err(|why| CronError::Item {
                    what: f.what,
                    item: i.to_string(),
                    why,
                })
            })
            .collect();
        // Restricted day fields keep their text so croner sees the same wildcard-ness.
        let items = items?;
        let restricted = !items.iter().all(|i| i == "*");
        normalised.push(if restricted {
            items.join(",")
        } else {
            "*".to_string()
        });
    }
    let cron = CronParser::builder()
        .seconds(Seconds::Disallowed)
        .build()
        .parse(&normalised.join(" "))
        .map_err(|e| CronError::Croner(e.to_string()))?;
    Ok(Schedule { cron, zone })
}

impl Schedule {
    /// robfig `Next(now)`: the first match strictly after `now_ms` (Unix ms) at whole seconds,
    /// in `zone` unless the schedule names its own; `None` when none within five years (Go's
    /// zero time, before any `now`).
    pub fn next_after(&self, now_ms: i64, zone: Tz) -> Option<i64> {
        let zone = self.zone.unwrap_or(zone);
        let secs = now_ms.div_euclid(1000);
        let now: DateTime<Tz> = zone.timestamp_opt(secs, 0).single()?;
        let next = self.cron.find_next_occurrence(&now, false).ok()?;
        let ms = next.timestamp_millis();
        (ms <= now_ms.saturating_add(SEARCH_YEARS * YEAR_MS)).then_some(ms)
    }
}

/// A cron trigger as the model holds it (the strings, checked by the reader).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CronSpec {
    pub timezone: String,
    pub start: String,
    pub end: String,
    pub desired_replicas: i64,
}

/// A cron trigger's schedule window, with the next edges cached: the answer only changes at
/// the next start or end.
#[derive(Debug, Clone)]
pub struct CronWindow {
    start: Schedule,
    end: Schedule,
    zone: Tz,
    /// `(nextStart, nextEnd)` computed at some `now`, valid while `now < min(edges)`.
    cached: Option<(Option<i64>, Option<i64>)>,
}

impl CronWindow {
    /// The window of `spec`; `None` when it does not parse (the reader reported it).
    pub fn new(spec: &CronSpec) -> Option<Self> {
        Some(CronWindow {
            start: parse_schedule(&spec.start).ok()?,
            end: parse_schedule(&spec.end).ok()?,
            zone: parse_zone(&spec.timezone).ok()?,
            cached: None,
        })
    }

    /// Whether the trigger is active at `now_ms` (Unix ms): the next end comes no later than
    /// the next start (Go's zero time, for "never", is before every time).
    pub fn active_at(&mut self, now_ms: i64) -> bool {
        let valid = |(s, e): (Option<i64>, Option<i64>)| {
            let edge = match (s, e) {
                (Some(s), Some(e)) => s.min(e),
                (Some(x), None) | (None, Some(x)) => x,
                (None, None) => i64::MAX,
            };
            now_ms < edge
        };
        let edges = match self.cached.filter(|c| valid(*c)) {
            Some(c) => c,
            None => {
                let c = (
                    self.start.next_after(now_ms, self.zone),
                    self.end.next_after(now_ms, self.zone),
                );
                self.cached = Some(c);
                c
            }
        };
        match edges {
            // `nextStart.Before(nextEnd)`: inactive.
            (Some(s), Some(e)) => s >= e,
            // Zero start time: before any end: inactive.
            (None, Some(_)) => false,
            (Some(_), None) | (None, None) => true,
        }
    }
}

crate::codes::rule_doc! {
    /// A KEDA cron trigger replayed on a demand without dates.
    ///
    /// # What it does
    /// Reports a replay of a ScaledObject with a `cron` trigger whose demand has relative times
    /// (seconds from the start): the schedule then runs from 1970-01-01T00:00:00Z, a Thursday.
    ///
    /// # Why is this bad
    /// A cron window is a time of day in a time zone: "business hours in Europe/Berlin"
    /// replayed from an arbitrary midnight UTC opens and closes at other moments of the
    /// demand than in the cluster.
    ///
    /// # Example
    /// ```text
    /// time,value
    /// 0,10
    /// 60,12
    /// ```
    ///
    /// # Fix
    /// Give the demand RFC 3339 times (`2026-03-02T08:00:00+01:00,10`), or samples with their
    /// timestamps.
    ///
    /// # References
    /// - kedacore/keda v2.18 `pkg/scalers/cron_scaler.go` (`GetMetricsAndActivity`: the window
    ///   at the current time in `timezone`).
    pub(crate) const KEDA_CRON_CLOCK;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Unix ms of an RFC 3339 time.
    fn at(s: &str) -> i64 {
        match crate::rfc3339::parse(s) {
            Some(ms) => ms,
            None => panic!("bad time {s}"),
        }
    }

    fn window(tz: &str, start: &str, end: &str) -> CronWindow {
        let spec = CronSpec {
            timezone: tz.to_string(),
            start: start.to_string(),
            end: end.to_string(),
            desired_replicas: 3,
        };
        match CronWindow::new(&spec) {
            Some(w) => w,
            None => panic!("{spec:?} does not parse"),
        }
    }

    /// Derived from kedacore/keda v2.18.0 `pkg/scalers/cron_scaler_test.go`
    /// (`TestIsActive`, `TestIsActiveRange`, `TestGetMetrics`: a window from the start
    /// minute to the end minute is active between them) and from the window rule of
    /// `GetMetricsAndActivity`; the instants are ours. (tz, start, end, time, active).
    #[test]
    fn window_rule_matches_keda() {
        let cases: &[(&str, &str, &str, &str, bool)] = &[
            // Business hours in Berlin (CET in January: UTC+1).
            (
                "Europe/Berlin",
                "0 8 * * 1-5",
                "0 18 * * 1-5",
                "2026-01-05T06:59:59Z",
                false,
            ),
            (
                "Europe/Berlin",
                "0 8 * * 1-5",
                "0 18 * * 1-5",
                "2026-01-05T07:00:00Z",
                true,
            ),
            (
                "Europe/Berlin",
                "0 8 * * 1-5",
                "0 18 * * 1-5",
                "2026-01-05T16:59:59Z",
                true,
            ),
            // [start, end): the end instant is outside.
            (
                "Europe/Berlin",
                "0 8 * * 1-5",
                "0 18 * * 1-5",
                "2026-01-05T17:00:00Z",
                false,
            ),
            // Saturday: day of week restricted, day of month `*`: no window.
            (
                "Europe/Berlin",
                "0 8 * * 1-5",
                "0 18 * * 1-5",
                "2026-01-10T10:00:00Z",
                false,
            ),
            // Summer time (CEST, UTC+2).
            (
                "Europe/Berlin",
                "0 8 * * 1-5",
                "0 18 * * 1-5",
                "2026-07-06T06:00:00Z",
                true,
            ),
            (
                "Europe/Berlin",
                "0 8 * * 1-5",
                "0 18 * * 1-5",
                "2026-07-06T16:00:00Z",
                false,
            ),
            // A window over midnight.
            (
                "UTC",
                "0 22 * * *",
                "0 6 * * *",
                "2026-01-05T23:30:00Z",
                true,
            ),
            (
                "UTC",
                "0 22 * * *",
                "0 6 * * *",
                "2026-01-05T12:00:00Z",
                false,
            ),
            // Names, steps, a zone prefix.
            (
                "UTC",
                "*/30 9 * JAN mon",
                "TZ=Asia/Kolkata 0 20 * * *",
                "2026-01-05T09:31:00Z",
                true,
            ),
            // Day of month and day of week both restricted: either matches (robfig dayMatches).
            (
                "UTC",
                "0 0 1 * 1",
                "0 23 * * *",
                "2026-01-05T10:00:00Z",
                true,
            ),
        ];
        for (tz, start, end, t, want) in cases {
            let mut w = window(tz, start, end);
            assert_eq!(w.active_at(at(t)), *want, "{tz} {start} {end} at {t}");
        }
    }

    #[test]
    fn cached_edges_follow_time() {
        let mut w = window("UTC", "0 9 * * *", "0 17 * * *");
        let day = at("2026-01-05T00:00:00Z");
        let got: Vec<bool> = (0..48)
            .map(|half_hours| w.active_at(day + half_hours * 1_800_000))
            .collect();
        let want: Vec<bool> = (0..48).map(|h| (18..34).contains(&h)).collect();
        assert_eq!(got, want);
    }

    /// What robfig/cron v3.0.1's 5-field parser rejects (and croner would accept).
    #[test]
    fn robfig_syntax_only() {
        let bad = [
            "0 8 * * 7",
            "0 8 L * *",
            "0 8 15W * *",
            "0 8 * * 1#2",
            "@daily",
            "0 0 8 * * *",
            "60 8 * * *",
            "0 8 * * mon-",
            "0 8-6 * * *",
            "*/0 8 * * *",
            "TZ=Mars/Base 0 8 * * *",
        ];
        for b in bad {
            assert!(parse_schedule(b).is_err(), "{b} should be rejected");
        }
        // kedacore/keda v2.18.0 `pkg/scalers/cron_scaler_test.go` `testCronMetadata`: these
        // schedules are errors there ...
        for b in ["-30 * * * *", "-50 * * * *", "50 * * -3 *"] {
            assert!(parse_schedule(b).is_err(), "{b} should be rejected");
        }
        // ... and these parse.
        for ok in ["30 * * * *", "30-33 * * * *", "45-50 * * * *"] {
            assert!(parse_schedule(ok).is_ok(), "{ok} should parse");
        }
        for ok in [
            "0 8 * * 0",
            "0 8 ? * SUN",
            "5/15 * * * *",
            "0 8,12 1-15 */2 *",
        ] {
            assert!(parse_schedule(ok).is_ok(), "{ok} should parse");
        }
        assert!(parse_zone("Europe/Berlin").is_ok());
        assert!(parse_zone("UTC").is_ok());
        assert!(parse_zone("Europe/Berlinn").is_err());
    }
}
