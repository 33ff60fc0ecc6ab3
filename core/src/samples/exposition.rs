//! The Prometheus text exposition format (version 0.0.4), also OpenMetrics text: one or many
//! scrapes concatenated.
//!
//! A sample line is `name[{label="value",...}] value [timestamp]`; `# HELP` / `# TYPE` /
//! `# UNIT` lines and other comments are read for the metric type or skipped. Label values
//! escape `\\`, `\"` and `\n`. Values are Go floats (`NaN`, `+Inf`, `-Inf` included). The
//! timestamp is integer milliseconds (Prometheus text) or decimal seconds when the input ends
//! with `# EOF` (OpenMetrics). The `{"name", label="v"}` form of Prometheus 3 (quoted UTF-8
//! names) is read too; OpenMetrics exemplars (` # {...} v`) are ignored.
//!
//! **Scrapes without timestamps.** Successive samples of the same series are successive scrapes
//! `scrape_interval` apart: the k-th sample of a series (k from 0) is at `k × interval`
//! ([`super::Hints::scrape_interval`], default [`super::DEFAULT_SCRAPE_INTERVAL`]), times relative.
//! A series first seen in a later scrape is therefore aligned to the start: a note says so when
//! series have different numbers of samples. Timestamps on some samples of the metric and not on
//! others is an error.

use super::{
    finish, list_names, name_matches, select_series, Collected, ErrorKind, Format, Hints, Locator,
    RawSeries, SampleError, Samples, TimeBase, TimeMs, DEFAULT_SCRAPE_INTERVAL,
};
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use std::collections::BTreeMap;

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c == b':'
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b':'
}

/// Whether a line is shaped like a sample: a metric name followed by `{` or by blanks and a
/// value that parses as a number.
pub(crate) fn looks_like_sample(l: &str) -> bool {
    let b = l.as_bytes();
    if !b.first().is_some_and(|&c| is_name_start(c)) {
        return false;
    }
    let n = b.iter().take_while(|&&c| is_name_char(c)).count();
    match b.get(n) {
        Some(b'{') => l.contains('}'),
        Some(b' ' | b'\t') => {
            let rest = l.get(n..).unwrap_or("").trim();
            let v = rest.split_whitespace().next().unwrap_or("");
            parse_go_float(v).is_some()
        }
        _ => false,
    }
}

/// A Go `strconv.ParseFloat` number as Prometheus writes it: decimal or exponent form, `NaN`,
/// `+Inf`, `-Inf`, `Inf` (any case).
pub(crate) fn parse_go_float(s: &str) -> Option<f64> {
    if s.is_empty() {
        return None;
    }
    // Rust's parser also takes `infinity`; so does Go's. Reject what Go rejects: nothing else.
    s.parse::<f64>().ok()
}

/// A parse error inside a line: byte index in the line and message.
type LineErr = (usize, String);

/// A quoted string at `b[i] == '"'` with the exposition escapes; returns the text and the index
/// after the closing quote.
fn quoted(l: &str, i: usize) -> Result<(String, usize), LineErr> {
    let b = l.as_bytes();
    let mut out = String::new();
    let mut j = i + 1;
    let mut seg = j;
    loop {
        match b.get(j) {
            None => return Err((i, "unterminated quoted string".into())),
            Some(b'"') => {
                out.push_str(l.get(seg..j).unwrap_or(""));
                return Ok((out, j + 1));
            }
            Some(b'\\') => {
                out.push_str(l.get(seg..j).unwrap_or(""));
                match b.get(j + 1) {
                    Some(b'\\') => out.push('\\'),
                    Some(b'"') => out.push('"'),
                    Some(b'n') => out.push('\n'),
                    _ => {
                        let shown: String = l.get(j..).unwrap_or("").chars().take(2).collect();
                        return Err((
                            j,
                            format!(
                                "invalid escape `{shown}` in a label value (only \\\\, \\\" and \\n)"
                            ),
                        ));
                    }
                }
                j += 2;
                seg = j;
            }
            Some(_) => j += 1,
        }
    }
}

/// The end of the word at `i`: the next blank or tab, or the end of the line.
fn word_end(b: &[u8], i: usize) -> usize {
    b.get(i..)
        .unwrap_or(&[])
        .iter()
        .position(|&c| c == b' ' || c == b'\t')
        .map_or(b.len(), |p| i + p)
}

fn skip_blank(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    i
}

fn name_at(l: &str, i: usize) -> (&str, usize) {
    let b = l.as_bytes();
    if !b.get(i).is_some_and(|&c| is_name_start(c)) {
        return ("", i);
    }
    let n = b
        .get(i..)
        .unwrap_or(&[])
        .iter()
        .take_while(|&&c| is_name_char(c))
        .count();
    (l.get(i..i + n).unwrap_or(""), i + n)
}

/// Labels at `b[i] == '{'`: `(metric name given inside the braces, labels, index after '}')`.
#[allow(clippy::type_complexity)]
fn labels(l: &str, i: usize) -> Result<(Option<String>, Vec<(String, String)>, usize), LineErr> {
    let b = l.as_bytes();
    let mut out = Vec::new();
    // Names seen so far: a duplicate check that stays O(n log n) on a line with thousands of
    // labels (a linear search per label took minutes on 200 000).
    let mut seen = std::collections::BTreeSet::new();
    let mut inner_name = None;
    let mut j = skip_blank(b, i + 1);
    loop {
        if b.get(j) == Some(&b'}') {
            return Ok((inner_name, out, j + 1));
        }
        let (key, after) = if b.get(j) == Some(&b'"') {
            quoted(l, j)?
        } else {
            let (n, after) = name_at(l, j);
            if n.is_empty() {
                return Err((j, "expected a label name or `}`".into()));
            }
            (n.to_string(), after)
        };
        let k = skip_blank(b, after);
        if b.get(j) == Some(&b'"') && matches!(b.get(k), Some(b',' | b'}')) {
            // `{"metric.name", ...}`: the metric name inside the braces (Prometheus 3).
            if inner_name.is_some() {
                return Err((j, "two metric names inside the braces".into()));
            }
            inner_name = Some(key);
            j = k;
        } else {
            if b.get(k) != Some(&b'=') {
                return Err((k, format!("expected `=` after label `{key}`")));
            }
            let v = skip_blank(b, k + 1);
            if b.get(v) != Some(&b'"') {
                return Err((v, format!("expected a quoted value for label `{key}`")));
            }
            let (val, after) = quoted(l, v)?;
            if !seen.insert(key.clone()) {
                return Err((j, format!("label `{key}` appears twice")));
            }
            out.push((key, val));
            j = skip_blank(b, after);
        }
        match b.get(j) {
            Some(b',') => j = skip_blank(b, j + 1),
            Some(b'}') => {}
            _ => return Err((j, "expected `,` or `}` after a label".into())),
        }
    }
}

/// A series name as Grafana writes it in CSV headers: `{pod="x"}` or `metric{pod="x"}`, the
/// whole string. `None` if it is not of that shape.
#[allow(clippy::type_complexity)]
pub(crate) fn parse_series_name(s: &str) -> Option<(Option<String>, Vec<(String, String)>)> {
    let s = s.trim();
    let (name, i) = name_at(s, 0);
    if s.as_bytes().get(i) != Some(&b'{') {
        return None;
    }
    let (inner, labels, end) = labels(s, i).ok()?;
    if end != s.len() {
        return None;
    }
    let metric = if name.is_empty() {
        inner
    } else {
        Some(name.to_string())
    };
    Some((metric, labels))
}

struct Sample {
    name: String,
    labels: Vec<(String, String)>,
    value: f64,
    value_at: usize,
    ts: Option<TimeMs>,
}

fn sample(l: &str, openmetrics: bool) -> Result<Sample, LineErr> {
    let b = l.as_bytes();
    let (name, mut i) = name_at(l, 0);
    if name.is_empty() && b.first() != Some(&b'{') {
        return Err((0, "expected a metric name".into()));
    }
    let mut name = name.to_string();
    let mut lbls = Vec::new();
    if b.get(i) == Some(&b'{') {
        let (inner, ls, end) = labels(l, i)?;
        if let Some(n) = inner {
            if !name.is_empty() {
                return Err((i, "a metric name both before and inside the braces".into()));
            }
            name = n;
        }
        lbls = ls;
        i = end;
    }
    if name.is_empty() {
        return Err((0, "expected a metric name".into()));
    }
    let v = skip_blank(b, i);
    if v == i {
        return Err((i, "expected a blank and a value after the metric".into()));
    }
    let vend = word_end(b, v);
    let vtext = l.get(v..vend).unwrap_or("");
    if vtext.is_empty() {
        return Err((v, "expected a value".into()));
    }
    let value = parse_go_float(vtext).ok_or_else(|| (v, format!("`{vtext}` is not a number")))?;
    let t = skip_blank(b, vend);
    let mut ts = None;
    if t < b.len() && b.get(t) != Some(&b'#') {
        let tend = word_end(b, t);
        let ttext = l.get(t..tend).unwrap_or("");
        let parsed = if openmetrics {
            ttext
                .parse::<f64>()
                .ok()
                .filter(|s| s.is_finite() && s.abs() < 1e12)
                .map(|s| (s * 1000.0).round() as TimeMs)
        } else {
            ttext.parse::<i64>().ok()
        };
        ts = Some(parsed.ok_or_else(|| {
            (
                t,
                if openmetrics {
                    format!(
                        "`{ttext}` is not a timestamp (OpenMetrics: seconds, e.g. 1764316800.5)"
                    )
                } else {
                    format!("`{ttext}` is not a timestamp (integer milliseconds since the epoch)")
                },
            )
        })?);
        let rest = skip_blank(b, tend);
        if rest < b.len() && b.get(rest) != Some(&b'#') {
            return Err((rest, "unexpected text after the timestamp".into()));
        }
    }
    Ok(Sample {
        name,
        labels: lbls,
        value,
        value_at: v,
        ts,
    })
}

#[derive(Default)]
struct Family {
    series: BTreeMap<Vec<(String, String)>, RawSeries>,
    timed: Option<usize>,
    untimed: Option<usize>,
}

/// Parse exposition text and import one metric: `hints.metric` (matched with or without the
/// `vllm:` prefix), or the only metric in the input. One series per label set.
pub fn parse_exposition(text: &str, hints: &Hints) -> Result<Samples, SampleError> {
    let text = crate::text::strip_bom(text);
    let loc = Locator::new(text);
    let openmetrics = text.lines().any(|l| l.trim() == "# EOF");
    let interval = hints
        .scrape_interval
        .unwrap_or(DEFAULT_SCRAPE_INTERVAL)
        .max(1);
    let interval = i64::try_from(interval).unwrap_or(i64::MAX);
    let mut fams: BTreeMap<String, Family> = BTreeMap::new();
    let mut n_series = 0usize;
    let mut types: BTreeMap<String, String> = BTreeMap::new();
    let mut off = 0usize;
    for raw in text.split_inclusive('\n') {
        let line_off = off;
        off += raw.len();
        let l0 = raw.trim_end_matches(['\n', '\r']);
        let lead = l0.len() - l0.trim_start().len();
        let l = l0.trim();
        let base = line_off + lead;
        if l.is_empty() {
            continue;
        }
        if let Some(rest) = l.strip_prefix('#') {
            let mut w = rest.split_whitespace();
            if w.next() == Some("TYPE") {
                if let (Some(n), Some(t)) = (w.next(), w.next()) {
                    types.insert(n.to_string(), t.to_string());
                }
            }
            continue;
        }
        let s = sample(l, openmetrics).map_err(|(i, m)| loc.err(base + i, ErrorKind::Syntax(m)))?;
        let fam = fams.entry(s.name).or_default();
        let at = base + s.value_at;
        let mut key = s.labels;
        key.retain(|(k, _)| k != "__name__");
        crate::sort::natural(&mut key);
        let series = match fam.series.get_mut(&key) {
            Some(r) => r,
            None => {
                n_series += 1;
                if n_series > super::MAX_SERIES {
                    return Err(super::too_many_series(&loc, base));
                }
                fam.series
                    .entry(key.clone())
                    .or_insert_with(|| RawSeries::new(key))
            }
        };
        let t = match s.ts {
            Some(ts) => {
                fam.timed.get_or_insert(at);
                ts
            }
            None => {
                fam.untimed.get_or_insert(at);
                i64::try_from(series.points.len())
                    .unwrap_or(i64::MAX)
                    .saturating_mul(interval)
            }
        };
        series.push(t, s.value, at);
    }

    let names: Vec<&str> = fams.keys().map(String::as_str).collect();
    let chosen: String = match &hints.metric {
        Some(w) => {
            let m: Vec<&str> = names
                .iter()
                .copied()
                .filter(|n| name_matches(n, w))
                .collect();
            match m.as_slice() {
                [] => {
                    return Err(SampleError::new(
                        1,
                        1,
                        ErrorKind::MetricNotFound {
                            wanted: w.clone(),
                            available: if names.is_empty() {
                                "no samples at all".into()
                            } else {
                                list_names(names.iter().copied())
                            },
                        },
                    ))
                }
                [one] => one.to_string(),
                several => match several.iter().find(|n| **n == w.as_str()) {
                    Some(exact) => exact.to_string(),
                    None => {
                        return Err(SampleError::new(
                            1,
                            1,
                            ErrorKind::AmbiguousMetric {
                                available: list_names(several.iter().copied()),
                            },
                        ))
                    }
                },
            }
        }
        None => match names.as_slice() {
            [] => {
                return Err(SampleError::new(
                    1,
                    1,
                    ErrorKind::NoSamples("no sample lines in the input".into()),
                ))
            }
            [one] => one.to_string(),
            several => {
                return Err(SampleError::new(
                    1,
                    1,
                    ErrorKind::AmbiguousMetric {
                        available: list_names(several.iter().copied()),
                    },
                ))
            }
        },
    };
    let Some(fam) = fams.remove(&chosen) else {
        return Err(SampleError::new(
            1,
            1,
            ErrorKind::NoSamples(format!("no samples of `{chosen}`")),
        ));
    };
    if let (Some(a), Some(b)) = (fam.timed, fam.untimed) {
        return Err(loc.err(
            a.max(b),
            ErrorKind::Invalid(format!(
                "samples of `{chosen}` with and without timestamps: give every sample a \
                 timestamp, or none"
            )),
        ));
    }
    let untimed = fam.untimed.is_some();
    let mut notes = Vec::new();
    if untimed {
        let counts: Vec<usize> = fam.series.values().map(|s| s.points.len()).collect();
        let (lo, hi) = (
            counts.iter().copied().min().unwrap_or(0),
            counts.iter().copied().max().unwrap_or(0),
        );
        if hi > 1 {
            let (sev, how) = match hints.scrape_interval {
                Some(_) => (Severity::Note, "as given"),
                None => (
                    Severity::Warning,
                    "assumed; give the scrape interval to change it",
                ),
            };
            notes.push(Diagnostic::new(
                Code::SamplesScrapeInterval,
                sev,
                format!(
                    "samples have no timestamps: successive scrapes are {} apart ({how})",
                    crate::display::Dur(interval.unsigned_abs())
                ),
            ));
        }
        if lo != hi {
            notes.push(Diagnostic::new(
                Code::SamplesUnevenScrapes,
                Severity::Warning,
                format!(
                    "series have {lo} to {hi} samples: without timestamps each series' k-th \
                     sample is taken at k × interval, so a series that appeared in a later \
                     scrape is aligned to the start"
                ),
            ));
        }
    }
    // A `*_total` name is a counter whatever its `# TYPE` says ([`Collected::series`]).
    let typed_counter = types.get(&chosen).map(String::as_str) == Some("counter");
    let time_base = if untimed {
        TimeBase::Relative
    } else {
        TimeBase::Epoch
    };
    let series = fam.series.into_values().collect();
    let series = select_series(series, &hints.selector, &chosen, &mut notes)?;
    let c = Collected::series(Format::Exposition, Some(chosen), time_base, series, notes);
    Ok(finish(
        text,
        Collected {
            counter: c.counter || typed_counter,
            ..c
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_floats() {
        assert!(parse_go_float("NaN").is_some_and(f64::is_nan));
        assert_eq!(parse_go_float("+Inf"), Some(f64::INFINITY));
        assert_eq!(parse_go_float("-Inf"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_go_float("1e3"), Some(1000.0));
        assert_eq!(parse_go_float("x"), None);
    }

    #[test]
    fn label_escapes() {
        let s = sample(r#"m{a="x\"y\\z\n",b="",} 1 5"#, false).unwrap();
        assert_eq!(
            s.labels,
            vec![("a".into(), "x\"y\\z\n".into()), ("b".into(), "".into())]
        );
        assert_eq!(s.ts, Some(5));
        let s = sample(r#"{"vllm.x", pod="p"} 2"#, false).unwrap();
        assert_eq!(s.name, "vllm.x");
        assert_eq!(
            parse_series_name(r#"vllm:x{pod="a"}"#),
            Some((Some("vllm:x".into()), vec![("pod".into(), "a".into())]))
        );
        assert_eq!(parse_series_name("ax0"), None);
    }

    #[test]
    fn shapes() {
        assert!(looks_like_sample("vllm:x{pod=\"a\"} 1"));
        assert!(looks_like_sample("up 1"));
        assert!(!looks_like_sample("time,value"));
        assert!(!looks_like_sample("Time Value"));
    }
}
