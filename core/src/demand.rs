//! The demand series that drives a simulation: total demand in the metric's unit over time, read
//! from a CSV with a `time` column (seconds from start, or RFC 3339) and a `value` column.
//! A value holds until the next row.

use crate::model::{Millis, SECOND};

pub mod pattern;

/// A step function of total demand. `points` are sorted by strictly increasing time; times are
/// milliseconds from the first row (which is at 0). `offset_s` is the first row's time as
/// written when the file uses seconds (0 for RFC 3339 files), so outputs can show the file's times.
///
/// Several metrics: `points` is the series of the metric [`Self::name`] names (`None`: an
/// unnamed series, which drives the autoscaler's first metric), and [`Self::others`] holds one
/// more series per named metric, on the same time base (a demand CSV with a column per metric,
/// `--demand NAME=FILE` repeated, samples matched to each metric). The simulator gives each
/// metric its series ([`crate::sim`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DemandSeries {
    pub points: Vec<(Millis, f64)>,
    /// The file's time of the first row, in milliseconds (seconds form), or 0 (RFC 3339 form).
    pub offset: Millis,
    /// The Unix time (ms) of time 0 when the input's times are absolute (RFC 3339 rows, Unix
    /// sample times), for reading wall-clock times against the replay.
    pub epoch_start: Option<i64>,
    /// The metric `points` is of; `None`: unnamed, it drives the first metric.
    pub name: Option<String>,
    /// One series per further named metric, on the same time base as `points` (a series may
    /// start after time 0: before its first row it reads 0).
    pub others: Vec<MetricSeries>,
}

/// The demand of one named metric, on its [`DemandSeries`]' time base.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MetricSeries {
    /// The metric's name as the input writes it (a CSV column, `--demand NAME=FILE`).
    pub name: String,
    /// Strictly increasing times (ms from the demand's time 0), finite values ≥ 0.
    pub points: Vec<(Millis, f64)>,
}

/// The value of a step function at `t`: the last point at or before `t`, 0 before the first.
pub fn value_at(points: &[(Millis, f64)], t: Millis) -> f64 {
    let n = points.partition_point(|p| p.0 <= t);
    n.checked_sub(1)
        .and_then(|i| points.get(i))
        .map_or(0.0, |p| p.1)
}

/// `points` from `from` on, re-based so that `from` is time 0: the value in force at `from`
/// becomes the first point at 0 (a series that starts after `from` keeps its rows, moved).
fn cut_points(points: &[(Millis, f64)], from: Millis) -> Vec<(Millis, f64)> {
    let first = points.partition_point(|p| p.0 <= from).saturating_sub(1);
    let mut out: Vec<(Millis, f64)> = Vec::with_capacity(points.len().saturating_sub(first));
    for (i, &(t, v)) in points.iter().enumerate().skip(first) {
        let t = if i == first && t <= from {
            0
        } else {
            t.saturating_sub(from)
        };
        out.push((t, v));
    }
    out
}

impl DemandSeries {
    /// A series from `(seconds, value)` pairs (for tests and front ends that build demand in code).
    /// Times must be strictly increasing and start at 0.
    pub fn from_points(points: Vec<(Millis, f64)>) -> Self {
        DemandSeries {
            points,
            ..DemandSeries::default()
        }
    }

    /// Time of the last row (ms from the first), over every series.
    pub fn last_time(&self) -> Millis {
        self.series()
            .filter_map(|(_, p)| p.last().map(|p| p.0))
            .max()
            .unwrap_or(0)
    }

    /// Every series with its metric name (`None`: the unnamed one), `points` first.
    pub fn series(&self) -> impl Iterator<Item = (Option<&str>, &[(Millis, f64)])> {
        std::iter::once((self.name.as_deref(), self.points.as_slice())).chain(
            self.others
                .iter()
                .map(|s| (Some(s.name.as_str()), s.points.as_slice())),
        )
    }

    /// Whether the demand names the metric of any series (a column per metric, `NAME=FILE`).
    pub fn is_named(&self) -> bool {
        self.name.is_some() || !self.others.is_empty()
    }

    /// The default horizon: the last row plus one typical step (the median spacing), so the last
    /// row is held as long as the others.
    pub fn default_duration(&self) -> Millis {
        if self.points.len() < 2 {
            return 60 * SECOND;
        }
        let mut steps: Vec<Millis> = self
            .points
            .windows(2)
            .filter_map(|w| match w {
                [a, b] => Some(b.0.saturating_sub(a.0)),
                _ => None,
            })
            .collect();
        let mid = steps.len() / 2;
        let step = if mid < steps.len() {
            *steps.select_nth_unstable(mid).1
        } else {
            0
        };
        self.last_time().saturating_add(step)
    }

    /// Whether the times are absolute (RFC 3339 rows, Unix sample times): [`Self::epoch_start`]
    /// is known.
    pub fn is_absolute(&self) -> bool {
        self.epoch_start.is_some()
    }

    /// The series from `from` (ms from the first row) on, re-based so that `from` is its time 0:
    /// the value in force at `from` (the last row at or before it) becomes the first row, and
    /// [`Self::offset`] / [`Self::epoch_start`] move by `from`, so outputs still show the input's
    /// times. `from` beyond the last row keeps only the last row.
    pub fn starting_at(&self, from: Millis) -> DemandSeries {
        let shift = i64::try_from(from).unwrap_or(i64::MAX);
        DemandSeries {
            points: cut_points(&self.points, from),
            offset: self
                .offset
                .saturating_add(if self.is_absolute() { 0 } else { from }),
            epoch_start: self.epoch_start.map(|e| e.saturating_add(shift)),
            name: self.name.clone(),
            others: self
                .others
                .iter()
                .map(|s| MetricSeries {
                    name: s.name.clone(),
                    points: cut_points(&s.points, from),
                })
                .collect(),
        }
    }
}

/// A step function's points: (ms from time 0, value).
type Steps = Vec<(Millis, f64)>;

/// Why several demand series cannot be replayed together ([`combine`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CombineError {
    #[error(
        "the demand series mix times in seconds and RFC 3339 times: use one form in every file"
    )]
    MixedTimeBases,
    #[error("two demand series for metric `{0}`: give each metric one series")]
    Duplicate(String),
    #[error("two demand series without a metric name: name all but one (`--demand NAME=FILE`)")]
    TwoUnnamed,
}

/// Several demand series (one file each, `--demand NAME=FILE`) as one [`DemandSeries`] on a
/// common time base: each file's times as written (seconds, or RFC 3339) line up, time 0 being
/// the earliest first row. The unnamed series, if any, becomes [`DemandSeries::points`] (it
/// drives the first metric); a metric named twice is an error.
pub fn combine(parts: Vec<DemandSeries>) -> Result<DemandSeries, CombineError> {
    let absolute = parts.first().is_some_and(DemandSeries::is_absolute);
    if parts.iter().any(|p| p.is_absolute() != absolute) {
        return Err(CombineError::MixedTimeBases);
    }
    // Each part's time 0 in the common base (ms as written, or Unix ms).
    let start = |p: &DemandSeries| {
        p.epoch_start
            .unwrap_or_else(|| i64::try_from(p.offset).unwrap_or(i64::MAX))
    };
    let base = parts.iter().map(start).min().unwrap_or(0);
    let mut named: Vec<(Option<String>, Steps)> = Vec::new();
    for p in &parts {
        let shift = start(p).saturating_sub(base).unsigned_abs();
        for (name, points) in p.series() {
            let name = name.map(str::to_string);
            if named.iter().any(|(n, _)| *n == name) {
                return Err(match name {
                    Some(n) => CombineError::Duplicate(n),
                    None => CombineError::TwoUnnamed,
                });
            }
            let moved = points
                .iter()
                .map(|&(t, v)| (t.saturating_add(shift), v))
                .collect();
            named.push((name, moved));
        }
    }
    if let Some(i) = named.iter().position(|(n, _)| n.is_none()) {
        let unnamed = named.remove(i);
        named.insert(0, unnamed);
    }
    let mut it = named.into_iter();
    let (name, points) = it.next().unwrap_or_default();
    Ok(DemandSeries {
        points,
        offset: if absolute { 0 } else { base.unsigned_abs() },
        epoch_start: absolute.then_some(base),
        name,
        others: it
            .map(|(name, points)| MetricSeries {
                name: name.unwrap_or_default(),
                points,
            })
            .collect(),
    })
}

/// A CSV error with its 1-based position.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct DemandError {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// An error at a 1-based line and column; the message is escaped and bounded, as diagnostics'
/// are ([`crate::text::bound_message`]), and values quoted into it go through
/// [`crate::text::quote`].
fn err(line: usize, column: usize, message: impl Into<String>) -> DemandError {
    DemandError {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(column).unwrap_or(u32::MAX),
        message: crate::text::bound_message(message.into()),
    }
}

/// Split a CSV line into fields with the byte offset where each starts ([`crate::csv`]:
/// quoted fields may hold a comma); an unterminated quote or text after a closing quote is an
/// error at line `ln`. Reuses `out` so the per-row path does not allocate for unquoted rows.
fn split_fields<'a>(
    line: &'a str,
    ln: usize,
    out: &mut Vec<crate::csv::Field<'a>>,
) -> Result<(), DemandError> {
    crate::csv::split(line, 0, b',', out)
        .map_err(|e| err(ln, column(line, e.offset()), e.to_string()))
}

/// 1-based character column of byte offset `at` in `line`.
fn column(line: &str, at: usize) -> usize {
    line.get(..at).map_or(1, |p| p.chars().count() + 1)
}

#[derive(Clone, Copy, PartialEq)]
enum TimeForm {
    Seconds,
    Rfc3339,
}

/// Parse a demand CSV. Blank lines and lines starting with `#` are skipped; a UTF-8 byte order
/// mark (what spreadsheets write for "CSV UTF-8") is ignored; fields may be quoted (`"1,5"`,
/// [`crate::csv`]).
///
/// Memory: the text plus 16 bytes a row (the rows are turned into the series in place).
/// Rows are not cleaned: rows far from the others make a replay too long to run
/// (`replay-too-long`), they are not dropped as stray samples are ([`crate::samples::stray`]).
pub fn parse_csv(text: &str) -> Result<DemandSeries, DemandError> {
    let text = crate::text::strip_bom(text);
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    let Some((hline, header)) = lines.next() else {
        return Err(err(
            1,
            1,
            "empty file: expected a header with `time` and `value` columns",
        ));
    };
    let header_line = header;
    let mut header = Vec::new();
    split_fields(header_line, hline, &mut header)?;
    let mut time_col = None;
    // (column index, metric name: `None` for the unnamed `value`/`demand` column), in order.
    let mut value_cols: Vec<(usize, Option<String>)> = Vec::new();
    for (i, field) in header.iter().enumerate() {
        let (at, name) = (field.off, field.text.as_ref());
        let col = column(header_line, at);
        match name.to_ascii_lowercase().as_str() {
            "time" | "t" | "timestamp" => time_col = Some(i),
            "value" | "demand" => {
                if value_cols.iter().any(|(_, n)| n.is_none()) {
                    return Err(err(
                        hline,
                        col,
                        "a second unnamed value column: name each further column by its metric",
                    ));
                }
                value_cols.push((i, None));
            }
            "pod" => {
                return Err(err(
                    hline,
                    col,
                    "a `pod` column means per-pod samples; a demand file holds one total per time \
                     (sum the pods, or pass the file as --samples)",
                ))
            }
            lower => {
                // A misspelt `time` or `value` is a typo, not a metric's column.
                if let Some(known) = ["time", "value", "demand", "timestamp"]
                    .into_iter()
                    .find(|k| crate::text::edit_distance_within(lower, k, 2).is_some())
                {
                    return Err(err(
                        hline,
                        col,
                        format!(
                            "unknown column `{}`: did you mean `{known}`? (a demand file has a \
                             `time` column and a `value` column, or a column per metric named \
                             by the metric)",
                            crate::text::quote(name)
                        ),
                    ));
                }
                if name.trim().is_empty() {
                    return Err(err(
                        hline,
                        col,
                        "an empty column name: name each value column by its metric",
                    ));
                }
                if value_cols.iter().any(|(_, n)| n.as_deref() == Some(name)) {
                    return Err(err(
                        hline,
                        col,
                        format!("column `{}` twice", crate::text::quote(name)),
                    ));
                }
                value_cols.push((i, Some(name.to_string())));
            }
        }
    }
    let (Some(tc), false) = (time_col, value_cols.is_empty()) else {
        return Err(err(
            hline,
            1,
            "the header must name a `time` column and a `value` column (or a column per metric)",
        ));
    };
    // The unnamed column, if any, is the primary series; else the first named one.
    if let Some(p) = value_cols.iter().position(|(_, n)| n.is_none()) {
        value_cols.swap(0, p);
        if let Some(rest) = value_cols.get_mut(1..) {
            crate::sort::by_key(rest, |(i, _)| *i);
        }
    }

    // Times as written and one value vector per column; at most one row a line, so the line
    // count bounds them.
    let rows = text.bytes().filter(|&b| b == b'\n').count() + 1;
    let mut times: Vec<i64> = Vec::with_capacity(rows);
    let mut values: Vec<Vec<f64>> = value_cols
        .iter()
        .map(|_| Vec::with_capacity(rows))
        .collect();
    let mut last_line = 0usize;
    let mut form: Option<TimeForm> = None;
    let mut f = Vec::with_capacity(header.len());
    for (ln, line) in lines {
        split_fields(line, ln, &mut f)?;
        let (Some(tf), true) = (f.get(tc), f.len() == header.len()) else {
            return Err(err(
                ln,
                1,
                format!("expected {} fields, found {}", header.len(), f.len()),
            ));
        };
        let (tat, traw) = (tf.off, tf.text.as_ref());
        let tcol = || column(line, tat);
        let (t, this_form) = parse_time(traw).map_err(|why| err(ln, tcol(), why))?;
        match form {
            None => form = Some(this_form),
            Some(f0) if f0 != this_form => {
                return Err(err(
                    ln,
                    tcol(),
                    "mixed time formats: every row must use seconds, or every row RFC 3339",
                ))
            }
            _ => {}
        }
        for ((vc, _), out) in value_cols.iter().zip(values.iter_mut()) {
            let Some(vf) = f.get(*vc) else { continue };
            out.push(parse_value(vf.text.as_ref(), ln, column(line, vf.off))?);
        }
        if let Some(&pt) = times.last() {
            if t == pt {
                return Err(err(
                    ln,
                    tcol(),
                    format!("duplicate time (same as line {last_line}): one total per time"),
                ));
            }
            if t < pt {
                return Err(err(
                    ln,
                    tcol(),
                    format!(
                        "time goes backwards (line {last_line} is later): sort the rows by time"
                    ),
                ));
            }
        }
        if this_form == TimeForm::Seconds && t < 0 {
            return Err(err(ln, tcol(), "time in seconds cannot be negative"));
        }
        times.push(t);
        last_line = ln;
    }
    let Some(&t0) = times.first() else {
        return Err(err(hline + 1, 1, "no data rows after the header"));
    };
    let (offset, epoch_start) = if form == Some(TimeForm::Seconds) {
        (t0.unsigned_abs(), None)
    } else {
        (0, Some(t0))
    };
    // Sorted, so `t - t0 >= 0`; both are within ±MAX_SECONDS·1000, so it cannot overflow.
    let rel: Vec<Millis> = times
        .iter()
        .map(|t| t.saturating_sub(t0).unsigned_abs())
        .collect();
    let mut series = value_cols
        .into_iter()
        .zip(values)
        .map(|((_, name), v)| (name, rel.iter().copied().zip(v).collect::<Vec<_>>()));
    let (name, points) = series.next().unwrap_or_default();
    Ok(DemandSeries {
        points,
        offset,
        epoch_start,
        name,
        others: series
            .map(|(name, points)| MetricSeries {
                name: name.unwrap_or_default(),
                points,
            })
            .collect(),
    })
}

/// One demand value: a finite number ≥ 0, or an error at `ln:col`.
fn parse_value(vraw: &str, ln: usize, col: usize) -> Result<f64, DemandError> {
    let v: f64 = vraw.parse().map_err(|_| {
        err(
            ln,
            col,
            format!("`{}` is not a number", crate::text::quote(vraw)),
        )
    })?;
    if !v.is_finite() {
        return Err(err(
            ln,
            col,
            if v.is_nan() {
                format!(
                    "`{}`: demand must be a finite number",
                    crate::text::quote(vraw)
                )
            } else {
                format!(
                    "`{}` is out of range: demand must be a finite number, at most {:.0}",
                    crate::text::quote(vraw),
                    crate::display::Num(f64::MAX)
                )
            },
        ));
    }
    if v < 0.0 {
        return Err(err(
            ln,
            col,
            format!("`{}`: demand cannot be negative", crate::text::quote(vraw)),
        ));
    }
    Ok(v)
}

/// Largest time in seconds a demand CSV may write: 10^12 s (about 31 700 years). Every time then
/// fits in `i64` milliseconds with room for any difference of two; RFC 3339 times (years
/// 0000–9999) are far inside. Beyond it the row is an "out of range" error.
pub const MAX_SECONDS: f64 = 1e12;

/// Seconds (integer or decimal, up to millisecond precision) or RFC 3339; returns milliseconds,
/// or why the text is not a time.
fn parse_time(s: &str) -> Result<(i64, TimeForm), String> {
    if let Ok(secs) = s.parse::<f64>().map(|x| x.is_finite().then_some(x)) {
        let Some(secs) = secs else {
            return Err(format!(
                "`{}` is not a time: a time is a finite number of seconds",
                crate::text::quote(s)
            ));
        };
        if secs.abs() > MAX_SECONDS {
            return Err(format!(
                "`{}` is out of range: a time in seconds is at most {MAX_SECONDS:e} (about 31 700 years)",
                crate::text::quote(s)
            ));
        }
        return Ok(((secs * 1000.0).round() as i64, TimeForm::Seconds));
    }
    crate::rfc3339::parse(s)
        .map(|ms| (ms, TimeForm::Rfc3339))
        .ok_or_else(|| {
            format!(
                "`{}` is not a time: use seconds from start (e.g. 15) or RFC 3339 (e.g. 2025-01-23T10:00:00Z)",
                crate::text::quote(s)
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rfc3339::parse as parse_rfc3339;

    #[test]
    fn seconds_and_rfc3339() {
        let s = parse_csv("time,value\n0,1\n15,2.5\n").unwrap();
        assert_eq!(s.points, vec![(0, 1.0), (15_000, 2.5)]);
        assert_eq!(s.epoch_start, None);
        let s = parse_csv("value,time\n3,2025-01-23T10:00:00Z\n4,2025-01-23T10:00:15.5+00:00\n")
            .unwrap();
        assert_eq!(s.points, vec![(0, 3.0), (15_500, 4.0)]);
        assert_eq!(s.epoch_start, parse_rfc3339("2025-01-23T10:00:00Z"));
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_rfc3339("2025-11-28T08:00:00Z"),
            Some(1_764_316_800_000)
        );
        assert_eq!(
            parse_rfc3339("2025-11-28T09:00:00+01:00"),
            Some(1_764_316_800_000)
        );
    }

    /// A quoted field is one field, commas and all (the reader is [`crate::csv`]'s).
    #[test]
    fn quoted_fields_keep_their_commas() {
        let s = parse_csv("\"time\", \"value\"\n\"0\",\"1.5\"\n15, 2\n").unwrap();
        assert_eq!(s.points, vec![(0, 1.5), (15_000, 2.0)]);
        let cases: &[(&str, (u32, u32), &str)] = &[
            ("time,value\n0,\"1,5\"\n", (2, 3), "`1,5` is not a number"),
            ("time,value\n0,\"1\n", (2, 3), "unterminated quoted field"),
            (
                "time,value\n0,\"1\"x\n",
                (2, 6),
                "unexpected text after a closing quote",
            ),
        ];
        for (input, (line, column), message) in cases {
            let e = parse_csv(input).unwrap_err();
            assert_eq!((e.line, e.column), (*line, *column), "{input:?}");
            assert_eq!(e.message, *message, "{input:?}");
        }
    }

    #[test]
    fn a_huge_field_is_quoted_cut() {
        let input = format!("time,value\n0,{}\n", "9".repeat(1 << 20));
        let e = parse_csv(&input).unwrap_err();
        assert!(e.message.len() < 200, "{}", e.message.len());
        assert!(
            e.message.contains("… (1048576 characters)"),
            "{}",
            e.message
        );
    }

    /// What spreadsheets write for "CSV UTF-8": a byte-order mark, CRLF line ends.
    #[test]
    fn byte_order_mark_is_ignored() {
        for input in [
            "\u{feff}time,value\r\n0,1\r\n15,2.5\r\n",
            "\u{feff}value,time\n1,0\n2.5,15\n",
            "\u{feff}# exported\ntime,value\n0,1\n15,2.5\n",
        ] {
            let s = parse_csv(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(s.points, vec![(0, 1.0), (15_000, 2.5)], "{input:?}");
        }
    }

    #[test]
    fn offset_keeps_file_times() {
        let s = parse_csv("time,value\n30,1\n45,2\n").unwrap();
        assert_eq!(s.points, vec![(0, 1.0), (15_000, 2.0)]);
        assert_eq!(s.offset, 30_000);
    }

    #[test]
    fn a_bom_is_ignored_and_extreme_times_are_exact() {
        let s = parse_csv("\u{feff}time,value\n0,1\n").unwrap();
        assert_eq!(s.points, vec![(0, 1.0)]);
        let s = parse_csv("time,value\n0001-01-01T00:00:00Z,1\n9999-12-31T23:59:59Z,2\n").unwrap();
        assert_eq!(s.epoch_start, Some(-62_135_596_800_000));
        assert_eq!(s.last_time(), 315_537_897_599_000);
        let s = parse_csv("time,value\n0,1\n1000000000000,2\n").unwrap();
        assert_eq!(s.last_time(), 1_000_000_000_000_000);
        assert_eq!(s.default_duration(), 2_000_000_000_000_000);
    }

    /// (from, expected points, offset): the value in force at `from` holds from 0.
    type WindowCase<'a> = (Millis, &'a [(Millis, f64)], Millis);

    #[test]
    fn a_series_from_a_time_on_keeps_the_value_in_force() {
        let s = parse_csv("time,value\n30,1\n45,2\n60,3\n").unwrap();
        let cases: &[WindowCase] = &[
            (0, &[(0, 1.0), (15_000, 2.0), (30_000, 3.0)], 30_000),
            (10_000, &[(0, 1.0), (5_000, 2.0), (20_000, 3.0)], 40_000),
            (15_000, &[(0, 2.0), (15_000, 3.0)], 45_000),
            (99_000, &[(0, 3.0)], 129_000),
        ];
        for &(from, points, offset) in cases {
            let w = s.starting_at(from);
            assert_eq!((w.points.as_slice(), w.offset), (points, offset), "{from}");
        }
        let r = parse_csv("time,value\n2025-01-01T00:00:00Z,1\n2025-01-01T00:01:00Z,2\n").unwrap();
        let w = r.starting_at(30_000);
        assert_eq!(w.points, vec![(0, 1.0), (30_000, 2.0)]);
        assert_eq!(
            (w.offset, w.epoch_start),
            (0, r.epoch_start.map(|e| e + 30_000))
        );
        assert_eq!(DemandSeries::default().starting_at(5).points, vec![]);
    }

    /// (CSV, primary series name, primary points, other series (name, points)).
    type MultiCase<'a> = (
        &'a str,
        Option<&'a str>,
        &'a [(Millis, f64)],
        &'a [(&'a str, &'a [(Millis, f64)])],
    );

    /// A column per metric: the unnamed `value` column (if any) is the primary series, the
    /// named ones follow in file order.
    #[test]
    fn a_column_per_metric() {
        let cases: &[MultiCase] = &[
            ("time,value\n0,1\n", None, &[(0, 1.0)], &[]),
            (
                "time,cpu\n0,1\n15,2\n",
                Some("cpu"),
                &[(0, 1.0), (15_000, 2.0)],
                &[],
            ),
            (
                "time,cpu,vllm:num_requests_waiting\n0,50,3\n15,60,9\n",
                Some("cpu"),
                &[(0, 50.0), (15_000, 60.0)],
                &[("vllm:num_requests_waiting", &[(0, 3.0), (15_000, 9.0)])],
            ),
            (
                "rps,time,value\n7,0,1\n8,15,2\n",
                None,
                &[(0, 1.0), (15_000, 2.0)],
                &[("rps", &[(0, 7.0), (15_000, 8.0)])],
            ),
        ];
        for (input, name, points, others) in cases {
            let s = parse_csv(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(s.name.as_deref(), *name, "{input:?}");
            assert_eq!(s.points, *points, "{input:?}");
            let got: Vec<(&str, &[(Millis, f64)])> = s
                .others
                .iter()
                .map(|o| (o.name.as_str(), o.points.as_slice()))
                .collect();
            assert_eq!(got, *others, "{input:?}");
        }
        let cases = [
            ("time,cpu,cpu\n", 1, 10, "column `cpu` twice"),
            (
                "time,value,demand\n",
                1,
                12,
                "a second unnamed value column",
            ),
            ("time,cpu,qps\n0,1,x\n", 2, 5, "`x` is not a number"),
            ("time,cpu,qps\n0,1\n", 2, 1, "expected 3 fields, found 2"),
            ("time,cpu,\n", 1, 10, "an empty column name"),
            ("tiem,cpu\n", 1, 1, "did you mean `time`?"),
        ];
        for (input, line, col, msg) in cases {
            let e = parse_csv(input).unwrap_err();
            assert_eq!((e.line, e.column), (line, col), "{input:?}: {e}");
            assert!(e.message.contains(msg), "{input:?}: {e}");
        }
    }

    /// Files given as `--demand NAME=FILE` line up on their times as written.
    #[test]
    fn combined_series_share_one_time_base() {
        let named = |text: &str, name: Option<&str>| {
            let mut s = parse_csv(text).unwrap();
            s.name = name.map(str::to_string);
            s
        };
        let c = combine(vec![
            named("time,value\n30,1\n45,2\n", Some("qps")),
            named("time,value\n15,5\n", None),
        ])
        .unwrap();
        assert_eq!((c.name.as_deref(), c.offset), (None, 15_000));
        assert_eq!(c.points, vec![(0, 5.0)]);
        assert_eq!(c.others.len(), 1);
        assert_eq!(c.others[0].name, "qps");
        assert_eq!(c.others[0].points, vec![(15_000, 1.0), (30_000, 2.0)]);
        assert_eq!(c.last_time(), 30_000);
        // Before its first row a series reads 0; the cut keeps every series.
        assert_eq!(value_at(&c.others[0].points, 0), 0.0);
        let w = c.starting_at(20_000);
        assert_eq!(w.others[0].points, vec![(0, 1.0), (10_000, 2.0)]);
        let r = combine(vec![
            named("time,value\n2025-01-01T00:01:00Z,1\n", Some("a")),
            named("time,value\n2025-01-01T00:00:00Z,2\n", Some("b")),
        ])
        .unwrap();
        assert_eq!(r.name.as_deref(), Some("a"));
        assert_eq!(r.points, vec![(60_000, 1.0)]);
        assert_eq!(r.others[0].points, vec![(0, 2.0)]);
        let errors = [
            (
                vec![
                    named("time,value\n0,1\n", None),
                    named("time,value\n0,1\n", None),
                ],
                CombineError::TwoUnnamed,
            ),
            (
                vec![
                    named("time,value\n0,1\n", Some("a")),
                    named("time,value\n0,1\n", Some("a")),
                ],
                CombineError::Duplicate("a".to_string()),
            ),
            (
                vec![
                    named("time,value\n0,1\n", Some("a")),
                    named("time,value\n2025-01-01T00:00:00Z,1\n", Some("b")),
                ],
                CombineError::MixedTimeBases,
            ),
        ];
        for (parts, want) in errors {
            assert_eq!(combine(parts), Err(want));
        }
    }

    #[test]
    fn errors_have_positions() {
        let cases = [
            ("", 1, 1, "empty file"),
            ("time,value\n", 2, 1, "no data rows"),
            ("time\n1\n", 1, 1, "must name"),
            ("time,value,pod\n", 1, 12, "per-pod"),
            ("time,value\n0,x\n", 2, 3, "not a number"),
            ("time,value\n0,1\n0,2\n", 3, 1, "duplicate"),
            ("time,value\n5,1\n2,2\n", 3, 1, "backwards"),
            ("time,value\n0,NaN\n", 2, 3, "finite"),
            (
                "time,value\n0,1e400\n",
                2,
                3,
                "out of range: demand must be a finite number, at most 1.798e308",
            ),
            ("time,value\n0,-1\n", 2, 3, "negative"),
            ("time,value\n0,1,2\n", 2, 1, "expected 2 fields"),
            ("time,value\n0,1\n2025-01-01T00:00:00Z,1\n", 3, 1, "mixed"),
            ("time,value\nnoon,1\n", 2, 1, "not a time"),
            ("time,value\n0,1\n1e13,1\n", 3, 1, "out of range"),
            ("time,value\n0,1\ninf,1\n", 3, 1, "not a time"),
            ("\u{feff}time,value,pod\n", 1, 12, "per-pod"),
            ("time,value\n-5,1\n", 2, 1, "negative"),
            ("time, value\n0,  x\n", 2, 5, "not a number"),
            // After a byte-order mark, columns count from the first visible character.
            ("\u{feff}time,value\n0,x\n", 2, 3, "not a number"),
            (
                "\u{feff}time,vlaue\n",
                1,
                6,
                "unknown column `vlaue`: did you mean `value`?",
            ),
            // User text is escaped and cut.
            (
                "time,val\u{202e}ue\n",
                1,
                6,
                "unknown column `val\\u{202e}ue`",
            ),
            ("time,value\n0,1\u{0}\n", 2, 3, "`1\\u{0}` is not a number"),
        ];
        for (input, line, col, msg) in cases {
            let e = parse_csv(input).unwrap_err();
            assert_eq!((e.line, e.column), (line, col), "{input:?}: {e}");
            assert!(e.message.contains(msg), "{input:?}: {e}");
        }
    }
}
