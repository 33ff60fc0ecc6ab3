//! CSV importers: the plain samples CSV and Grafana's panel "Export CSV" (wide and long).
//!
//! Lines and fields come from [`crate::csv`] (quotes, positions; the demand CSV reads them the
//! same way). The delimiter is `,`, or `;` / tab when the header holds no `,` outside quotes
//! (old Grafana versions export `;`), or what a Grafana `sep=` first line says.

use super::{
    exposition, finish, Collected, ErrorKind, Format, Locator, RawSeries, SampleError, Samples,
    TimeBase, TimeMs,
};
use crate::codes::Code;
use crate::csv::{delimiter, lines, Field};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rfc3339::parse as parse_rfc3339;
use std::collections::BTreeMap;

/// Split one line at `delim` ([`crate::csv::split`]); `base` is the line's offset in the text.
fn split<'a>(
    line: &'a str,
    base: usize,
    delim: u8,
    loc: &Locator,
) -> Result<Vec<Field<'a>>, SampleError> {
    let mut out = Vec::new();
    crate::csv::split(line, base, delim, &mut out)
        .map_err(|e| loc.err(e.offset(), ErrorKind::Syntax(e.to_string())))?;
    Ok(out)
}

fn unquoted_names(header: &str) -> Vec<String> {
    let d = delimiter(header);
    let loc = Locator::new(header);
    match split(header, 0, d, &loc) {
        Ok(f) => f.into_iter().map(|f| f.text.to_ascii_lowercase()).collect(),
        Err(_) => Vec::new(),
    }
}

/// Which CSV flavour a header line is (see [`super::detect`]).
pub(crate) fn classify_header(header: &str) -> Format {
    let names = unquoted_names(header);
    let has = |n: &str| names.iter().any(|x| x == n);
    if has("series") && has("time") && has("value") {
        return Format::GrafanaLong;
    }
    let first_is_time = names.first().is_some_and(|n| n == "time");
    let plain = |n: &String| {
        matches!(
            n.as_str(),
            "value" | "demand" | "pod" | "pod_name" | "replicas"
        )
    };
    if first_is_time && names.len() >= 2 && !names.iter().skip(1).any(plain) {
        return Format::GrafanaWide;
    }
    Format::Csv
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum TimeForm {
    Seconds,
    Epoch,
}

/// A zone-less `YYYY-MM-DD HH:MM:SS[.fff]` (or with `T`), read as UTC.
fn parse_zoneless(s: &str) -> Option<TimeMs> {
    if s.len() < 19 || !s.is_ascii() || s.ends_with(['Z', 'z']) {
        return None;
    }
    let mut z = String::with_capacity(s.len() + 1);
    z.push_str(s);
    z.push('Z');
    parse_rfc3339(&z)
}

fn parse_f64(s: &str) -> Option<f64> {
    s.parse::<f64>().ok()
}

/// Seconds (float, to ms) to milliseconds, within ±1e12 s.
fn secs_to_ms(secs: f64) -> Option<TimeMs> {
    if !secs.is_finite() || secs.abs() > 1e12 {
        return None;
    }
    Some((secs * 1000.0).round() as TimeMs)
}

const TIME_HELP: &str = "use seconds from start (e.g. 15) or RFC 3339 (e.g. 2025-11-28T08:00:00Z)";

/// Parse the plain samples CSV: columns `time` (or `t`, `timestamp`: seconds from the start of
/// the recording, or RFC 3339, or `YYYY-MM-DD HH:MM:SS` read as UTC) and `value` (or `demand`),
/// optional `pod` (or `pod_name`; one row per pod and time) and `replicas` (the replica count at
/// that time). Other columns are ignored (with a note). Seconds must not be negative; every row
/// uses the same time form.
pub fn parse_csv(text: &str) -> Result<Samples, SampleError> {
    let text = crate::text::strip_bom(text);
    let loc = Locator::new(text);
    let mut it = lines(text);
    let Some((hoff, hline)) = it.next() else {
        return Err(SampleError::new(
            1,
            1,
            ErrorKind::Empty("expected a header with `time` and `value` columns"),
        ));
    };
    let delim = delimiter(hline);
    let header = split(hline, hoff, delim, &loc)?;
    let (mut tc, mut vc, mut pc, mut rc) = (None, None, None, None);
    let mut notes = Vec::new();
    for (i, f) in header.iter().enumerate() {
        let slot = match f.text.to_ascii_lowercase().as_str() {
            "time" | "t" | "timestamp" => &mut tc,
            "value" | "demand" => &mut vc,
            "pod" | "pod_name" => &mut pc,
            "replicas" => &mut rc,
            other => {
                notes.push(
                    Diagnostic::new(
                        Code::SamplesIgnoredColumn,
                        Severity::Note,
                        format!("column `{other}` is not used (the columns read are time, value, pod, replicas)"),
                    )
                    .at(loc.point(f.off)),
                );
                continue;
            }
        };
        if slot.is_some() {
            return Err(loc.err(
                f.off,
                ErrorKind::Header(format!("column `{}` appears twice", f.text)),
            ));
        }
        *slot = Some(i);
    }
    let (Some(tc), Some(vc)) = (tc, vc) else {
        return Err(loc.err(
            hoff,
            ErrorKind::Header("the header must name a `time` column and a `value` column".into()),
        ));
    };

    let mut by_pod: BTreeMap<Option<String>, RawSeries> = BTreeMap::new();
    let mut replicas = Vec::new();
    let mut form: Option<TimeForm> = None;
    let mut zoneless = None;
    let mut rows = 0usize;
    for (off, line) in it {
        let row = Row::read(line, off, delim, header.len(), &loc)?;
        let f = &row.fields;
        rows += 1;
        let (tf, vf) = (row.col(tc)?, row.col(vc)?);
        let t_text = tf.text.as_ref();
        let (t, this) = if let Some(s) = parse_f64(t_text) {
            let ms = secs_to_ms(s).ok_or_else(|| not_time(&loc, tf, TIME_HELP))?;
            if ms < 0 {
                return Err(loc.err(
                    tf.off,
                    ErrorKind::Invalid("time in seconds cannot be negative".into()),
                ));
            }
            (ms, TimeForm::Seconds)
        } else if let Some(ms) = parse_rfc3339(t_text) {
            (ms, TimeForm::Epoch)
        } else if let Some(ms) = parse_zoneless(t_text) {
            zoneless.get_or_insert(tf.off);
            (ms, TimeForm::Epoch)
        } else {
            return Err(not_time(&loc, tf, TIME_HELP));
        };
        match form {
            None => form = Some(this),
            Some(f0) if f0 != this => {
                return Err(loc.err(
                    tf.off,
                    ErrorKind::Invalid(
                        "mixed time formats: every row must use seconds, or every row a date"
                            .into(),
                    ),
                ))
            }
            _ => {}
        }
        let pod = pc.and_then(|c| f.get(c)).map(|p| p.text.to_string());
        let pod = pod.filter(|p| !p.is_empty());
        if by_pod.len() >= super::MAX_SERIES && !by_pod.contains_key(&pod) {
            let at = pc.and_then(|c| f.get(c)).map_or(tf.off, |p| p.off);
            return Err(super::too_many_series(&loc, at));
        }
        let s = by_pod.entry(pod.clone()).or_insert_with(|| {
            RawSeries::new(
                pod.map(|p| vec![("pod".to_string(), p)])
                    .unwrap_or_default(),
            )
        });
        let v = vf.text.as_ref();
        if is_missing(v) {
            s.missing(vf.off);
        } else {
            let x = parse_f64(v)
                .ok_or_else(|| loc.err(vf.off, ErrorKind::NotANumber(v.to_string())))?;
            s.push(t, x, vf.off);
        }
        if let Some(rf) = rc.and_then(|c| f.get(c)) {
            let r = rf.text.as_ref();
            if !is_missing(r) {
                let x = parse_f64(r)
                    .ok_or_else(|| loc.err(rf.off, ErrorKind::NotANumber(r.to_string())))?;
                if !x.is_finite() || x < 0.0 {
                    return Err(loc.err(
                        rf.off,
                        ErrorKind::Invalid(format!(
                            "`{r}`: replicas must be a finite number, 0 or more"
                        )),
                    ));
                }
                replicas.push((t, x, rf.off));
            }
        }
    }
    if rows == 0 {
        let (l, _) = loc.pos(hoff);
        return Err(SampleError::new(
            l + 1,
            1,
            ErrorKind::NoSamples("no data rows after the header".into()),
        ));
    }
    if let Some(o) = zoneless {
        notes.push(zoneless_note(&loc, o));
    }
    Ok(finish(
        text,
        Collected {
            format: Format::Csv,
            metric: None,
            time_base: if form == Some(TimeForm::Seconds) {
                TimeBase::Relative
            } else {
                TimeBase::Epoch
            },
            series: by_pod.into_values().collect(),
            replicas,
            counter: false,
            notes,
        },
    ))
}

/// One value cell of a Grafana export.
fn cell(
    series: &mut BTreeMap<Vec<(String, String)>, RawSeries>,
    key: &Vec<(String, String)>,
    vf: &Field,
    t: TimeMs,
    loc: &Locator,
) -> Result<(), SampleError> {
    let Some(s) = series.get_mut(key) else {
        return Ok(());
    };
    let v = vf.text.as_ref();
    if is_missing(v) {
        s.missing(vf.off);
        return Ok(());
    }
    let x = parse_f64(v).ok_or_else(|| loc.err(vf.off, ErrorKind::NotANumber(v.to_string())))?;
    s.push(t, x, vf.off);
    Ok(())
}

fn zoneless_note(loc: &Locator, off: usize) -> Diagnostic {
    Diagnostic::new(
        Code::SamplesZonelessTime,
        Severity::Note,
        "times without a zone were read as UTC",
    )
    .at(loc.point(off))
}

fn is_missing(v: &str) -> bool {
    v.is_empty() || v.eq_ignore_ascii_case("null") || v == "undefined"
}

fn not_time(loc: &Locator, f: &Field, expected: &'static str) -> SampleError {
    loc.err(
        f.off,
        ErrorKind::NotATime {
            text: f.text.to_string(),
            expected,
        },
    )
}

/// A data row split into exactly the header's number of fields.
struct Row<'a, 'l> {
    fields: Vec<Field<'a>>,
    off: usize,
    line: &'a str,
    loc: &'l Locator<'l>,
}

impl<'a, 'l> Row<'a, 'l> {
    /// `line` (at byte `off`) split at `delim`; a field count other than `expected` is an error.
    fn read(
        line: &'a str,
        off: usize,
        delim: u8,
        expected: usize,
        loc: &'l Locator<'l>,
    ) -> Result<Self, SampleError> {
        let fields = split(line, off, delim, loc)?;
        check_count(&fields, expected, off, line, loc)?;
        Ok(Row {
            fields,
            off,
            line,
            loc,
        })
    }

    /// Field `c`: a column index of the header, so the row (with the header's field count)
    /// has it; were one missing, the row's field-count error.
    fn col(&self, c: usize) -> Result<&Field<'a>, SampleError> {
        let expected = self.fields.len();
        self.fields
            .get(c)
            .ok_or_else(|| count_error(&self.fields, expected, self.off, self.line, self.loc))
    }
}

fn check_count(
    f: &[Field],
    expected: usize,
    off: usize,
    line: &str,
    loc: &Locator,
) -> Result<(), SampleError> {
    if f.len() == expected {
        return Ok(());
    }
    Err(count_error(f, expected, off, line, loc))
}

/// The error for a row of `f.len()` fields where the header has `expected`.
fn count_error(f: &[Field], expected: usize, off: usize, line: &str, loc: &Locator) -> SampleError {
    let at = if f.len() > expected {
        f.get(expected).map_or(off, |x| x.off)
    } else {
        off + line.trim_end().len()
    };
    loc.err(
        at,
        ErrorKind::FieldCount {
            expected,
            found: f.len(),
        },
    )
}

const GRAFANA_TIME_HELP: &str =
    "use RFC 3339 (2025-11-28T08:00:00Z), `2025-11-28 08:00:00` or epoch milliseconds";

/// A Grafana time: RFC 3339; `YYYY-MM-DD HH:MM:SS` (UTC, noted); an integer is epoch
/// milliseconds (what Grafana writes), or epoch seconds when below 10^11 (before 1973 as ms;
/// noted); a decimal number is epoch seconds (Grafana's `X` format).
fn grafana_time(
    f: &Field,
    loc: &Locator,
    zoneless: &mut Option<usize>,
    secs: &mut Option<usize>,
) -> Result<TimeMs, SampleError> {
    let s = f.text.as_ref();
    if let Some(ms) = parse_rfc3339(s) {
        return Ok(ms);
    }
    if let Some(ms) = parse_zoneless(s) {
        zoneless.get_or_insert(f.off);
        return Ok(ms);
    }
    if let Ok(i) = s.parse::<i64>() {
        if i.unsigned_abs() >= 100_000_000_000 {
            return Ok(i);
        }
        secs.get_or_insert(f.off);
        return Ok(i.saturating_mul(1000));
    }
    if let Some(ms) = parse_f64(s).and_then(secs_to_ms) {
        secs.get_or_insert(f.off);
        return Ok(ms);
    }
    Err(not_time(loc, f, GRAFANA_TIME_HELP))
}

/// A Grafana series name: `{pod="x", ...}` or `metric{...}` give labels (and the metric name);
/// anything else is a legend, kept as the label `series` (a single column named `Value` gives an
/// empty label set).
fn series_labels(name: &str) -> (Option<String>, Vec<(String, String)>) {
    if let Some((metric, labels)) = exposition::parse_series_name(name) {
        return (metric, labels);
    }
    if name.eq_ignore_ascii_case("value") {
        return (None, Vec::new());
    }
    (None, vec![("series".to_string(), name.to_string())])
}

/// Parse a Grafana panel CSV export. Wide (`Time` then one column per series; an empty or
/// `null` cell is no sample) or long (`Series`, `Time`, `Value` in any order), told apart by the
/// header; delimiter `,` or `;` (an Excel `sep=X` first line is honoured). Series names such as
/// `{pod="x"}` or `vllm:metric{pod="x"}` are read as label sets; legend names become the label
/// `series`. Times are epoch times (see the time rules on the `Time` column).
pub fn parse_grafana_csv(text: &str) -> Result<Samples, SampleError> {
    let text = crate::text::strip_bom(text);
    let loc = Locator::new(text);
    let mut it = lines(text).peekable();
    let mut delim_forced = None;
    if let Some(&(_, l)) = it.peek() {
        let t = l.trim();
        if t.len() >= 4 && t.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("sep=")) {
            delim_forced = t.as_bytes().get(4).copied();
            it.next();
        }
    }
    let Some((hoff, hline)) = it.next() else {
        return Err(SampleError::new(
            1,
            1,
            ErrorKind::Empty("expected a Grafana CSV header (`Time,...` or `Series,Time,Value`)"),
        ));
    };
    let delim = delim_forced.unwrap_or_else(|| delimiter(hline));
    let header = split(hline, hoff, delim, &loc)?;
    let lower: Vec<String> = header.iter().map(|f| f.text.to_ascii_lowercase()).collect();
    let find = |n: &str| lower.iter().position(|x| x == n);
    let long = match (find("series"), find("time"), find("value")) {
        (Some(s), Some(t), Some(v)) => Some((s, t, v)),
        _ => None,
    };
    let Some(tc) = find("time") else {
        return Err(loc.err(
            hoff,
            ErrorKind::Header("a Grafana CSV needs a `Time` column".into()),
        ));
    };
    if long.is_none() && header.len() < 2 {
        return Err(loc.err(
            hoff,
            ErrorKind::Header("no series columns after `Time`".into()),
        ));
    }

    let mut series: BTreeMap<Vec<(String, String)>, RawSeries> = BTreeMap::new();
    let mut metrics: Vec<String> = Vec::new();
    let mut wide_cols: Vec<(usize, Vec<(String, String)>)> = Vec::new();
    if long.is_none() {
        for (i, f) in header.iter().enumerate() {
            if i == tc {
                continue;
            }
            if series.len() >= super::MAX_SERIES {
                return Err(super::too_many_series(&loc, f.off));
            }
            let (m, labels) = series_labels(&f.text);
            metrics.extend(m);
            let key = RawSeries::new(labels).labels;
            if series.contains_key(&key) {
                return Err(loc.err(
                    f.off,
                    ErrorKind::Header(format!("series column `{}` appears twice", f.text)),
                ));
            }
            series.insert(key.clone(), RawSeries::new(key.clone()));
            wide_cols.push((i, key));
        }
    }
    let mut zoneless = None;
    let mut secs = None;
    let mut rows = 0usize;
    let mut names: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for (off, line) in it {
        let row = Row::read(line, off, delim, header.len(), &loc)?;
        rows += 1;
        let t = grafana_time(row.col(tc)?, &loc, &mut zoneless, &mut secs)?;
        if let Some((sc, _, vc)) = long {
            let name = row.col(sc)?.text.to_string();
            let key = match names.get(&name) {
                Some(k) => k.clone(),
                None => {
                    if series.len() >= super::MAX_SERIES {
                        return Err(super::too_many_series(&loc, row.col(sc)?.off));
                    }
                    let (m, labels) = series_labels(&name);
                    metrics.extend(m);
                    let key = RawSeries::new(labels).labels;
                    series
                        .entry(key.clone())
                        .or_insert_with(|| RawSeries::new(key.clone()));
                    names.insert(name, key.clone());
                    key
                }
            };
            cell(&mut series, &key, row.col(vc)?, t, &loc)?;
        } else {
            for (c, key) in &wide_cols {
                cell(&mut series, key, row.col(*c)?, t, &loc)?;
            }
        }
    }
    if rows == 0 {
        let (l, _) = loc.pos(hoff);
        return Err(SampleError::new(
            l + 1,
            1,
            ErrorKind::NoSamples("no data rows after the header".into()),
        ));
    }
    let mut notes = Vec::new();
    if let Some(o) = zoneless {
        notes.push(zoneless_note(&loc, o));
    }
    if let Some(o) = secs {
        notes.push(
            Diagnostic::new(
                Code::SamplesEpochSeconds,
                Severity::Note,
                "numeric times below 10^11 were read as epoch seconds (Grafana writes epoch milliseconds)",
            )
            .at(loc.point(o)),
        );
    }
    crate::sort::natural(&mut metrics);
    metrics.dedup();
    let metric = if metrics.len() == 1 {
        metrics.pop()
    } else {
        None
    };
    let format = if long.is_some() {
        Format::GrafanaLong
    } else {
        Format::GrafanaWide
    };
    let series = series.into_values().collect();
    Ok(finish(
        text,
        Collected::series(format, metric, TimeBase::Epoch, series, notes),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify() {
        assert_eq!(classify_header("time,value"), Format::Csv);
        assert_eq!(classify_header("time,pod,value,replicas"), Format::Csv);
        assert_eq!(
            classify_header("\"Time\",\"{pod=\"\"a\"\"}\""),
            Format::GrafanaWide
        );
        assert_eq!(classify_header("Series;Time;Value"), Format::GrafanaLong);
    }
}
