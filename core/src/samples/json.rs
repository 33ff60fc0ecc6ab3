//! Prometheus HTTP API responses (`/api/v1/query_range` and `/api/v1/query`).
//!
//! ```text
//! {"status":"success","data":{"resultType":"matrix","result":[
//!    {"metric":{"__name__":"vllm:gpu_cache_usage_perc","pod":"p-0"},"values":[[1764316800,"0.3"],...]}]}}
//! ```
//!
//! `matrix` results give `values: [[ts, "v"], ...]`, `vector` results `value: [ts, "v"]`, a
//! `scalar` result is `[ts, "v"]`. Timestamps are Unix seconds (decimals to the millisecond).
//! `"status": "error"` gives [`ErrorKind::Prometheus`] with Prometheus' `errorType` and `error`.
//! `warnings` / `infos` become notes; native-histogram samples (`histogram`, `histograms`) are
//! skipped with a note.
//!
//! A small purpose-built reader, not a generic JSON tree: it walks the response once, keeps
//! label strings only once per series, and parses each `[ts, "v"]` pair in place without
//! allocating (a borrowed slice for the value string, parsed as `f64`). Any JSON syntax error is
//! reported at its line and column (converted from the byte offset).

use super::{
    finish, list_names, name_matches, select_series, Collected, ErrorKind, Format, Hints, Locator,
    RawSeries, SampleError, Samples, TimeBase, TimeMs,
};
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use std::borrow::Cow;
use std::collections::BTreeMap;

type R<T> = Result<T, SampleError>;

/// Nesting limit of skipped values (no recursion without bound on hostile input).
const MAX_DEPTH: u32 = 128;

struct P<'a> {
    text: &'a str,
    b: &'a [u8],
    i: usize,
    loc: Locator<'a>,
}

impl<'a> P<'a> {
    fn err(&self, at: usize, msg: impl Into<String>) -> SampleError {
        self.loc.err(at, ErrorKind::Syntax(msg.into()))
    }

    #[inline]
    fn ws(&mut self) {
        while let Some(&c) = self.b.get(self.i) {
            if c == b' ' || c == b'\n' || c == b'\r' || c == b'\t' {
                self.i += 1;
            } else {
                break;
            }
        }
    }

    #[inline]
    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.b.get(self.i).copied()
    }

    fn found(&self) -> String {
        match self.text.get(self.i..).and_then(|s| s.chars().next()) {
            None => "the end of the input".into(),
            Some(c) => format!("`{c}`"),
        }
    }

    #[inline]
    fn expect(&mut self, c: u8, what: &str) -> R<()> {
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            Err(self.err(self.i, format!("expected {what}, found {}", self.found())))
        }
    }

    /// A string at the current position (after blanks).
    /// A string after blanks, owned, with its offset (for the messages that quote it).
    fn string_at(&mut self) -> R<(String, usize)> {
        self.ws();
        let at = self.i;
        Ok((self.string()?.into_owned(), at))
    }

    fn string(&mut self) -> R<Cow<'a, str>> {
        if self.peek() != Some(b'"') {
            return Err(self.err(self.i, format!("expected a string, found {}", self.found())));
        }
        let start = self.i;
        let mut j = start + 1;
        // Fast path: no escapes.
        while let Some(&c) = self.b.get(j) {
            match c {
                b'"' => {
                    self.i = j + 1;
                    return Ok(Cow::Borrowed(self.text.get(start + 1..j).unwrap_or("")));
                }
                b'\\' => break,
                0..=0x1f => return Err(self.err(j, "control character in a string")),
                _ => j += 1,
            }
        }
        let mut out = String::from(self.text.get(start + 1..j).unwrap_or(""));
        loop {
            let seg = j;
            while let Some(&c) = self.b.get(j) {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                j += 1;
            }
            out.push_str(self.text.get(seg..j).unwrap_or(""));
            match self.b.get(j) {
                None => return Err(self.err(start, "unterminated string")),
                Some(b'"') => {
                    self.i = j + 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    let e = self.b.get(j + 1).copied();
                    j += 2;
                    match e {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => {
                            let hi = self.hex4(j)?;
                            j += 4;
                            let c = if (0xD800..0xDC00).contains(&hi) {
                                if self.b.get(j) != Some(&b'\\') || self.b.get(j + 1) != Some(&b'u')
                                {
                                    return Err(self.err(j - 6, "lone surrogate in a \\u escape"));
                                }
                                let lo = self.hex4(j + 2)?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(self.err(j, "invalid low surrogate"));
                                }
                                j += 6;
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            match char::from_u32(c) {
                                Some(ch) => out.push(ch),
                                None => return Err(self.err(j - 6, "invalid \\u escape")),
                            }
                        }
                        _ => return Err(self.err(j - 2, "invalid escape in a string")),
                    }
                }
                Some(_) => return Err(self.err(j, "control character in a string")),
            }
        }
    }

    fn hex4(&self, at: usize) -> R<u32> {
        let s = self
            .text
            .get(at..at + 4)
            .ok_or_else(|| self.err(at, "expected 4 hex digits"))?;
        u32::from_str_radix(s, 16)
            .ok()
            .filter(|_| s.bytes().all(|c| c.is_ascii_hexdigit()))
            .ok_or_else(|| self.err(at, "expected 4 hex digits"))
    }

    /// A JSON number at the current position: its text.
    fn number(&mut self) -> R<&'a str> {
        self.ws();
        let start = self.i;
        let b = self.b;
        let mut j = start;
        if b.get(j) == Some(&b'-') {
            j += 1;
        }
        let digits = |j: &mut usize| {
            let s = *j;
            while b.get(*j).is_some_and(u8::is_ascii_digit) {
                *j += 1;
            }
            *j - s
        };
        match b.get(j) {
            Some(b'0') => j += 1,
            Some(b'1'..=b'9') => {
                digits(&mut j);
            }
            _ => return Err(self.err(start, format!("expected a number, found {}", self.found()))),
        }
        if b.get(j) == Some(&b'.') {
            j += 1;
            if digits(&mut j) == 0 {
                return Err(self.err(j, "expected digits after the decimal point"));
            }
        }
        if matches!(b.get(j), Some(b'e' | b'E')) {
            j += 1;
            if matches!(b.get(j), Some(b'+' | b'-')) {
                j += 1;
            }
            if digits(&mut j) == 0 {
                return Err(self.err(j, "expected digits in the exponent"));
            }
        }
        self.i = j;
        Ok(self.text.get(start..j).unwrap_or(""))
    }

    fn literal(&mut self, word: &str) -> R<()> {
        let at = self.i;
        if self.text.get(at..).is_some_and(|s| s.starts_with(word)) {
            self.i += word.len();
            Ok(())
        } else {
            Err(self.err(at, format!("unexpected {}", self.found())))
        }
    }

    /// Skip any value.
    fn skip(&mut self, depth: u32) -> R<()> {
        if depth > MAX_DEPTH {
            return Err(self.err(self.i, "nesting too deep"));
        }
        match self.peek() {
            Some(b'"') => self.string().map(|_| ()),
            Some(b'{') => self.object(|p, _, _| p.skip(depth + 1)),
            Some(b'[') => self.array(|p| p.skip(depth + 1)),
            Some(b't') => self.literal("true"),
            Some(b'f') => self.literal("false"),
            Some(b'n') => self.literal("null"),
            _ => self.number().map(|_| ()),
        }
    }

    /// An object; `f` is called with each key (and its offset) and must read the value.
    fn object(&mut self, mut f: impl FnMut(&mut Self, Cow<'a, str>, usize) -> R<()>) -> R<()> {
        self.expect(b'{', "`{`")?;
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(());
        }
        loop {
            self.ws();
            let at = self.i;
            let k = self.string()?;
            self.expect(b':', "`:`")?;
            f(self, k, at)?;
            if self.comma_or(b'}')? {
                return Ok(());
            }
        }
    }

    /// After a member or an element: a `,` (false: another follows) or `close` (true: the
    /// object or array ends).
    fn comma_or(&mut self, close: u8) -> R<bool> {
        match self.peek() {
            Some(b',') => {
                self.i += 1;
                Ok(false)
            }
            Some(c) if c == close => {
                self.i += 1;
                Ok(true)
            }
            _ => Err(self.err(
                self.i,
                format!(
                    "expected `,` or `{}`, found {}",
                    char::from(close),
                    self.found()
                ),
            )),
        }
    }

    /// An array; `f` reads each element.
    fn array(&mut self, mut f: impl FnMut(&mut Self) -> R<()>) -> R<()> {
        self.expect(b'[', "`[`")?;
        if self.peek() == Some(b']') {
            self.i += 1;
            return Ok(());
        }
        loop {
            f(self)?;
            if self.comma_or(b']')? {
                return Ok(());
            }
        }
    }

    /// `[ts, "v"]`: time in ms, value, offset of the value.
    #[inline]
    fn pair(&mut self) -> R<(TimeMs, f64, usize)> {
        self.expect(b'[', "`[` (a `[time, \"value\"]` pair)")?;
        self.ws();
        let tat = self.i;
        let ts = self.number()?;
        let t = secs_text_to_ms(ts).ok_or_else(|| {
            self.loc.err(
                tat,
                ErrorKind::NotATime {
                    text: ts.to_string(),
                    expected: "Unix seconds",
                },
            )
        })?;
        self.expect(b',', "`,`")?;
        self.ws();
        let vat = self.i;
        let v = if self.b.get(self.i) == Some(&b'"') {
            let s = self.string()?;
            super::exposition::parse_go_float(&s)
                .ok_or_else(|| self.loc.err(vat + 1, ErrorKind::NotANumber(s.to_string())))?
        } else {
            let n = self.number()?;
            n.parse::<f64>()
                .map_err(|_| self.loc.err(vat, ErrorKind::NotANumber(n.to_string())))?
        };
        self.expect(b']', "`]` (a `[time, \"value\"]` pair)")?;
        Ok((t, v, vat))
    }
}

/// Unix seconds as written (`1764316800`, `1764316800.5`, `1.7643168e9`) to milliseconds,
/// exactly for plain decimals (rounded half away from zero past the millisecond).
fn secs_text_to_ms(s: &str) -> Option<TimeMs> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s),
    };
    if body.bytes().any(|c| c == b'e' || c == b'E') {
        let f: f64 = s.parse().ok()?;
        if !f.is_finite() || f.abs() > 1e12 {
            return None;
        }
        return Some((f * 1000.0).round() as TimeMs);
    }
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    if int.len() > 13 {
        return None;
    }
    let mut ms: i64 = int.parse::<i64>().ok()?.checked_mul(1000)?;
    let fb = frac.as_bytes();
    let mut scale = 100;
    for k in 0..3 {
        if let Some(&d) = fb.get(k) {
            if !d.is_ascii_digit() {
                return None;
            }
            ms += i64::from(d - b'0') * scale;
        }
        scale /= 10;
    }
    if fb.get(3).is_some_and(|&d| d >= b'5') {
        ms += 1;
    }
    Some(if neg { -ms } else { ms })
}

#[derive(Default)]
struct Found {
    status: Option<(String, usize)>,
    error_type: Option<String>,
    error: Option<String>,
    result_type: Option<(String, usize)>,
    result_at: Option<usize>,
    /// `(name, series)` per result object, in input order.
    series: Vec<(Option<String>, RawSeries)>,
    warnings: Vec<(String, &'static str)>,
    histograms: usize,
    data: bool,
}

fn read_result(p: &mut P, f: &mut Found) -> R<()> {
    p.ws();
    f.result_at = Some(p.i);
    if f.result_type
        .as_ref()
        .is_some_and(|(t, _)| !matches!(t.as_str(), "matrix" | "vector" | "scalar"))
    {
        return p.skip(0); // reported with the result type below
    }
    if p.peek() != Some(b'[') {
        return Err(p.err(
            p.i,
            format!("expected `[` (the result), found {}", p.found()),
        ));
    }
    // A scalar result is `[ts, "v"]` itself.
    let save = p.i;
    p.i += 1;
    let first = p.peek();
    p.i = save;
    if matches!(first, Some(b'-' | b'0'..=b'9')) {
        let (t, v, at) = p.pair()?;
        let mut s = RawSeries::new(Vec::new());
        s.push(t, v, at);
        f.series.push((None, s));
        return Ok(());
    }
    if first == Some(b'"') {
        return Err(p.err(save, "a `string` result holds no samples"));
    }
    p.array(|p| {
        if f.series.len() >= super::MAX_SERIES {
            p.ws();
            return Err(super::too_many_series(&p.loc, p.i));
        }
        let mut labels: Vec<(String, String)> = Vec::new();
        let mut s = RawSeries::default();
        p.object(|p, k, _| match k.as_ref() {
            "metric" => p.object(|p, name, _| {
                let v = p.string()?;
                labels.push((name.into_owned(), v.into_owned()));
                Ok(())
            }),
            "values" => p.array(|p| {
                let (t, v, at) = p.pair()?;
                s.push(t, v, at);
                Ok(())
            }),
            "value" => {
                let (t, v, at) = p.pair()?;
                s.push(t, v, at);
                Ok(())
            }
            "histogram" => {
                f.histograms += 1;
                p.skip(0)
            }
            "histograms" => {
                p.peek();
                let mut n = 0usize;
                p.array(|p| {
                    n += 1;
                    p.skip(0)
                })?;
                f.histograms += n;
                Ok(())
            }
            _ => p.skip(0),
        })?;
        let name = labels
            .iter()
            .find(|(k, _)| k == "__name__")
            .map(|(_, v)| v.clone());
        let labels = RawSeries::new(labels).labels;
        f.series.push((name, RawSeries { labels, ..s }));
        Ok(())
    })
}

fn read_strings(p: &mut P, out: &mut Vec<(String, &'static str)>, kind: &'static str) -> R<()> {
    if p.peek() == Some(b'n') {
        return p.literal("null");
    }
    p.array(|p| {
        let s = p.string()?;
        out.push((s.into_owned(), kind));
        Ok(())
    })
}

/// Parse a Prometheus HTTP API response. With `hints.metric`, series whose `__name__` does not
/// match are left out; without it, series of several metric names are an error.
pub fn parse_prometheus_json(text: &str, hints: &Hints) -> Result<Samples, SampleError> {
    let text = crate::text::strip_bom(text);
    let mut p = P {
        text,
        b: text.as_bytes(),
        i: 0,
        loc: Locator::new(text),
    };
    if p.peek().is_none() {
        return Err(SampleError::new(
            1,
            1,
            ErrorKind::Empty("expected a Prometheus API response (`{\"status\": ...}`)"),
        ));
    }
    let mut f = Found::default();
    p.object(|p, k, _| match k.as_ref() {
        "status" => {
            f.status = Some(p.string_at()?);
            Ok(())
        }
        "errorType" => {
            f.error_type = Some(p.string()?.into_owned());
            Ok(())
        }
        "error" => {
            f.error = Some(p.string()?.into_owned());
            Ok(())
        }
        "warnings" => read_strings(p, &mut f.warnings, "warning"),
        "infos" => read_strings(p, &mut f.warnings, "info"),
        "data" => {
            f.data = true;
            p.object(|p, k, _| match k.as_ref() {
                "resultType" => {
                    f.result_type = Some(p.string_at()?);
                    Ok(())
                }
                "result" => read_result(p, &mut f),
                _ => p.skip(0),
            })
        }
        _ => p.skip(0),
    })?;
    p.ws();
    if p.i < p.b.len() {
        return Err(p.err(p.i, "unexpected text after the JSON value"));
    }

    let loc = &p.loc;
    match &f.status {
        None => {
            return Err(SampleError::new(
                1,
                1,
                ErrorKind::Invalid(
                    "not a Prometheus API response: no `status` field (expected the body of \
                     /api/v1/query_range or /api/v1/query)"
                        .into(),
                ),
            ))
        }
        Some((s, at)) if s == "error" => {
            let (l, c) = loc.pos(*at);
            return Err(SampleError::new(
                l,
                c,
                ErrorKind::Prometheus {
                    error_type: f.error_type.clone().unwrap_or_else(|| "unknown".into()),
                    error: f.error.clone().unwrap_or_else(|| "(no message)".into()),
                },
            ));
        }
        Some((s, at)) if s != "success" => {
            return Err(loc.err(
                *at,
                ErrorKind::Invalid(format!("status `{s}`: expected `success` or `error`")),
            ))
        }
        _ => {}
    }
    if !f.data || f.result_at.is_none() {
        return Err(SampleError::new(
            1,
            1,
            ErrorKind::Invalid("the response has no `data.result`".into()),
        ));
    }
    if let Some((rt, at)) = &f.result_type {
        if !matches!(rt.as_str(), "matrix" | "vector" | "scalar") {
            return Err(loc.err(
                *at,
                ErrorKind::Invalid(format!(
                    "result type `{rt}` holds no samples (expected matrix, vector or scalar)"
                )),
            ));
        }
    }

    // Metric selection by __name__.
    let mut series = std::mem::take(&mut f.series);
    let names: Vec<String> = series.iter().filter_map(|s| s.0.clone()).collect();
    let mut metric: Option<String> = None;
    if let Some(w) = &hints.metric {
        if !names.is_empty() {
            let keep: Vec<bool> = series
                .iter()
                .map(|s| s.0.as_deref().is_none_or(|n| name_matches(n, w)))
                .collect();
            if !keep.iter().any(|&k| k) {
                return Err(SampleError::new(
                    1,
                    1,
                    ErrorKind::MetricNotFound {
                        wanted: w.clone(),
                        available: list_names(names.iter().map(String::as_str)),
                    },
                ));
            }
            let mut it = keep.into_iter();
            series.retain(|_| it.next().unwrap_or(false));
        }
    }
    let mut distinct: Vec<&str> = series.iter().filter_map(|s| s.0.as_deref()).collect();
    crate::sort::natural(&mut distinct);
    distinct.dedup();
    match distinct.as_slice() {
        [] => metric = metric.or_else(|| hints.metric.clone()),
        [one] => metric = Some(one.to_string()),
        several => {
            return Err(SampleError::new(
                1,
                1,
                ErrorKind::AmbiguousMetric {
                    available: list_names(several.iter().copied()),
                },
            ))
        }
    }
    if series.is_empty() {
        let at = f.result_at.unwrap_or(0);
        return Err(loc.err(
            at,
            ErrorKind::NoSamples("the query returned no series (empty `result`)".into()),
        ));
    }

    // Merge series with the same label set (concatenated responses).
    let mut merged: BTreeMap<Vec<(String, String)>, RawSeries> = BTreeMap::new();
    for (_, s) in series {
        match merged.get_mut(&s.labels) {
            Some(m) => {
                m.points.extend_from_slice(&s.points);
                m.locs.extend_from_slice(&s.locs);
            }
            None => {
                merged.insert(s.labels.clone(), s);
            }
        }
    }

    let mut notes = Vec::new();
    for (w, kind) in f.warnings.iter().take(5) {
        notes.push(Diagnostic::new(
            Code::SamplesPrometheusWarning,
            Severity::Warning,
            format!("Prometheus {kind}: {w}"),
        ));
    }
    if f.histograms > 0 {
        notes.push(Diagnostic::new(
            Code::SamplesHistogramSkipped,
            Severity::Warning,
            format!(
                "{} native-histogram sample(s) skipped (only float samples are imported)",
                f.histograms
            ),
        ));
    }
    let series = merged.into_values().collect();
    let name = metric.as_deref().unwrap_or("the query");
    let series = select_series(series, &hints.selector, name, &mut notes)?;
    Ok(finish(
        text,
        Collected::series(
            Format::PrometheusJson,
            metric,
            TimeBase::Epoch,
            series,
            notes,
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_to_ms() {
        assert_eq!(secs_text_to_ms("1764316800"), Some(1_764_316_800_000));
        assert_eq!(secs_text_to_ms("1764316800.5"), Some(1_764_316_800_500));
        assert_eq!(secs_text_to_ms("1764316800.1234"), Some(1_764_316_800_123));
        assert_eq!(secs_text_to_ms("1764316800.1235"), Some(1_764_316_800_124));
        assert_eq!(secs_text_to_ms("1.7643168e9"), Some(1_764_316_800_000));
        assert_eq!(secs_text_to_ms("-1.5"), Some(-1_500));
        assert_eq!(secs_text_to_ms("99999999999999999999"), None);
    }

    #[test]
    fn vector_and_scalar() {
        let h = Hints::default();
        let s = parse_prometheus_json(
            r#"{"status":"success","data":{"result":[{"metric":{"pod":"a"},"value":[10,"1.5"]}],"resultType":"vector"}}"#,
            &h,
        )
        .unwrap();
        assert_eq!(s.series.len(), 1);
        assert_eq!(s.series[0].points, vec![(10_000, 1.5)]);
        let s = parse_prometheus_json(
            r#"{"status":"success","data":{"resultType":"scalar","result":[10.5,"2"]}}"#,
            &h,
        )
        .unwrap();
        assert_eq!(s.series[0].points, vec![(10_500, 2.0)]);
    }

    #[test]
    fn escapes() {
        let h = Hints::default();
        let s = parse_prometheus_json(
            r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"pod":"a\"\u00e9\ud83d\ude00"},"value":[1,"1"]}]}}"#,
            &h,
        )
        .unwrap();
        assert_eq!(s.series[0].pod.as_deref(), Some("a\"é😀"));
    }
}
