//! Typed field readers over the spanned YAML tree. Each reader pushes a diagnostic (with the
//! offending node's span) when the value has the wrong type or is out of range, and returns
//! `None` so the caller falls back to the documented default, never silently.

use crate::codes;
use crate::diagnostic::Diagnostic;
use crate::duration::GoDuration;
use crate::model::Millis;
use crate::quantity::Quantity;
use crate::span::{Param, Span, Spanned};
use crate::yaml::{Node, NodeKind};

/// Collects diagnostics while reading.
#[derive(Debug, Default)]
pub struct Cx {
    pub diags: Vec<Diagnostic>,
}

impl Cx {
    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    pub fn error(&mut self, code: &'static str, span: Span, msg: impl Into<String>) {
        self.diags.push(Diagnostic::error(code, msg).at(span));
    }

    pub fn warning(&mut self, code: &'static str, span: Span, msg: impl Into<String>) {
        self.diags.push(Diagnostic::warning(code, msg).at(span));
    }

    pub fn note(&mut self, code: &'static str, span: Span, msg: impl Into<String>) {
        self.diags.push(Diagnostic::note(code, msg).at(span));
    }

    fn wrong_type(&mut self, node: &Node, path: &str, expected: &str) {
        self.error(
            codes::WRONG_TYPE,
            node.span,
            format!(
                "`{path}` must be {expected}, found {} `{}`",
                node.type_name(),
                short(node)
            ),
        );
    }
}

/// A short rendering of a node for messages.
pub fn short(node: &Node) -> String {
    match &node.kind {
        NodeKind::Scalar { text, .. } => {
            if text.chars().count() > 40 {
                let t: String = text.chars().take(37).collect();
                format!("{t}...")
            } else {
                text.to_string()
            }
        }
        NodeKind::Sequence(_) => "[...]".into(),
        NodeKind::Mapping(_) => "{...}".into(),
    }
}

/// `key: value` under a mapping, with a null value treated as absent (as the Kubernetes API
/// does for optional fields).
pub fn entry<'n>(parent: &'n Node, key: &str) -> Option<(&'n Spanned<String>, &'n Node)> {
    parent.entry(key).filter(|(_, v)| !v.is_null())
}

/// The value under `key` when it is a mapping; a wrong type is an error.
pub fn mapping<'n>(cx: &mut Cx, parent: &'n Node, key: &str, path: &str) -> Option<&'n Node> {
    let (_, v) = entry(parent, key)?;
    if v.as_mapping().is_some() {
        Some(v)
    } else {
        cx.wrong_type(v, path, "a mapping");
        None
    }
}

/// The value under `key` when it is a list; a wrong type is an error.
pub fn sequence<'n>(cx: &mut Cx, parent: &'n Node, key: &str, path: &str) -> Option<&'n [Node]> {
    let (_, v) = entry(parent, key)?;
    match v.as_sequence() {
        Some(s) => Some(s),
        None => {
            cx.wrong_type(v, path, "a list");
            None
        }
    }
}

/// Report a missing required field at `at` (the parent key's span).
pub fn missing(cx: &mut Cx, at: Span, path: &str, hint: &str) {
    cx.error(
        codes::MISSING_FIELD,
        at,
        format!("`{path}` is required{hint}"),
    );
}

/// A string scalar (any non-null scalar; numbers and booleans are taken as written).
pub fn string(cx: &mut Cx, parent: &Node, key: &str, path: &str) -> Option<Spanned<String>> {
    let (_, v) = entry(parent, key)?;
    match v.as_str() {
        Some(s) => Some(Spanned::new(s.to_string(), v.span)),
        None => {
            cx.wrong_type(v, path, "a string");
            None
        }
    }
}

/// A string field of a CRD (`type: string`). A bare YAML number or boolean is accepted with an
/// `unquoted-string` warning whose fix quotes it: the API server would reject it.
pub fn crd_string(cx: &mut Cx, parent: &Node, key: &str, path: &str) -> Option<Spanned<String>> {
    let (_, v) = entry(parent, key)?;
    if let NodeKind::Scalar {
        text,
        quoted: false,
    } = &v.kind
    {
        let ty = v.type_name();
        if ty == "a number" || ty == "a boolean" {
            cx.push(
                Diagnostic::warning(
                    codes::UNQUOTED_STRING,
                    format!(
                        "`{path}` is a string in the CRD, but `{text}` is {ty}: the API server rejects it (read here as \"{text}\")"
                    ),
                )
                .at(v.span)
                .with_fix("quote the value", v.span, format!("\"{text}\"")),
            );
        }
    }
    string(cx, parent, key, path)
}

fn parse_int(text: &str) -> Option<i64> {
    // YAML 1.2 core ints: decimal with optional sign; 0x/0o forms are accepted too.
    let t = text.strip_prefix('+').unwrap_or(text);
    if let Some(h) = t.strip_prefix("0x") {
        return i64::from_str_radix(h, 16).ok();
    }
    if let Some(o) = t.strip_prefix("0o") {
        return i64::from_str_radix(o, 8).ok();
    }
    t.parse().ok()
}

/// An integer. A quoted number is a wrong type (the API server rejects `"3"` for an integer).
pub fn int(cx: &mut Cx, parent: &Node, key: &str, path: &str) -> Option<Spanned<i64>> {
    let (_, v) = entry(parent, key)?;
    match &v.kind {
        NodeKind::Scalar {
            text,
            quoted: false,
        } => match parse_int(text) {
            Some(i) => Some(Spanned::new(i, v.span)),
            None => {
                cx.wrong_type(v, path, "an integer");
                None
            }
        },
        NodeKind::Scalar { text, quoted: true } if parse_int(text).is_some() => {
            cx.push(
                Diagnostic::error(
                    codes::WRONG_TYPE,
                    format!("`{path}` must be an integer, found the string \"{text}\""),
                )
                .at(v.span)
                .with_fix("remove the quotes", v.span, text.to_string()),
            );
            None
        }
        _ => {
            cx.wrong_type(v, path, "an integer");
            None
        }
    }
}

/// An integer in `[min, max]`, as `u32`.
pub fn u32_in(
    cx: &mut Cx,
    parent: &Node,
    key: &str,
    path: &str,
    min: i64,
    max: i64,
) -> Option<Spanned<u32>> {
    let i = int(cx, parent, key, path)?;
    if i.value < min || i.value > max {
        let range = if max >= i64::from(i32::MAX) {
            format!("≥ {min}")
        } else {
            format!("in [{min}, {max}]")
        };
        cx.error(
            codes::OUT_OF_RANGE,
            i.span,
            format!("`{path}` must be {range}, found {}", i.value),
        );
        return None;
    }
    Some(Spanned::new(
        i.value.clamp(0, i64::from(u32::MAX)) as u32,
        i.span,
    ))
}

/// Seconds as an integer in `[min, max]`, returned as milliseconds.
pub fn seconds_in(
    cx: &mut Cx,
    parent: &Node,
    key: &str,
    path: &str,
    min: i64,
    max: i64,
) -> Option<Param<Millis>> {
    let s = u32_in(cx, parent, key, path, min, max)?;
    Some(Param::yaml(u64::from(s.value) * 1000, s.span))
}

/// A float from a plain number.
pub fn float(cx: &mut Cx, parent: &Node, key: &str, path: &str) -> Option<Spanned<f64>> {
    let (_, v) = entry(parent, key)?;
    match &v.kind {
        NodeKind::Scalar {
            text,
            quoted: false,
        } => match parse_float(text) {
            Some(f) => Some(Spanned::new(f, v.span)),
            None => {
                cx.wrong_type(v, path, "a number");
                None
            }
        },
        _ => {
            cx.wrong_type(v, path, "a number");
            None
        }
    }
}

/// Go `strconv.ParseFloat(s, 64)` for the forms that matter: decimal and exponent, `inf`/`nan`
/// rejected (never useful in a config). Returns `None` for anything else.
pub fn parse_float(text: &str) -> Option<f64> {
    let t = text.trim_start_matches('+');
    let ok = !t.is_empty()
        && t.bytes()
            .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'-' | b'+'));
    if !ok {
        return None;
    }
    t.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// A float written as a string (annotation values, CRD string fields, KEDA metadata).
pub fn float_str(cx: &mut Cx, s: &Spanned<String>, path: &str) -> Option<f64> {
    match parse_float(&s.value) {
        Some(f) => Some(f),
        None => {
            cx.error(
                codes::INVALID_VALUE,
                s.span,
                format!("`{path}` must be a number, found \"{}\"", s.value),
            );
            None
        }
    }
}

/// A bool written as a string (Go `strconv.ParseBool`).
pub fn bool_str(cx: &mut Cx, s: &Spanned<String>, path: &str) -> Option<bool> {
    match s.value.as_str() {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        other => {
            cx.error(
                codes::INVALID_VALUE,
                s.span,
                format!("`{path}` must be true or false, found \"{other}\""),
            );
            None
        }
    }
}

/// A bool scalar.
pub fn boolean(cx: &mut Cx, parent: &Node, key: &str, path: &str) -> Option<Spanned<bool>> {
    let (_, v) = entry(parent, key)?;
    match (&v.kind, v.as_str()) {
        (NodeKind::Scalar { quoted: false, .. }, Some("true")) => Some(Spanned::new(true, v.span)),
        (NodeKind::Scalar { quoted: false, .. }, Some("false")) => {
            Some(Spanned::new(false, v.span))
        }
        _ => {
            cx.wrong_type(v, path, "true or false");
            None
        }
    }
}

/// A Go duration written as a string, ≥ 0, in milliseconds.
pub fn duration_str(cx: &mut Cx, s: &Spanned<String>, path: &str) -> Option<GoDuration> {
    match GoDuration::parse(&s.value) {
        Ok(d) if d.nanos < 0 => {
            cx.error(
                codes::OUT_OF_RANGE,
                s.span,
                format!("`{path}` must not be negative, found \"{}\"", s.value),
            );
            None
        }
        Ok(d) => Some(d),
        Err(e) => {
            let mut d =
                Diagnostic::error(codes::INVALID_VALUE, format!("`{path}`: {e}")).at(s.span);
            if parse_float(&s.value).is_some() {
                d = d.with_fix("add the unit (seconds)", s.span, format!("{}s", s.value));
            }
            cx.push(d);
            None
        }
    }
}

/// A Kubernetes quantity (string or bare number).
pub fn quantity(cx: &mut Cx, parent: &Node, key: &str, path: &str) -> Option<Spanned<Quantity>> {
    let (_, v) = entry(parent, key)?;
    let Some(text) = v.as_scalar() else {
        cx.wrong_type(v, path, "a quantity (e.g. \"500m\", \"2\", \"1Gi\")");
        return None;
    };
    // JSON/YAML unmarshalling trims surrounding spaces (quantity.go UnmarshalJSON).
    match Quantity::parse(text.trim()) {
        Ok(q) => Some(Spanned::new(q, v.span)),
        Err(e) => {
            cx.error(codes::INVALID_VALUE, v.span, format!("`{path}`: {e}"));
            None
        }
    }
}

/// Warn about keys not in `known` (typos silently fall back to defaults upstream).
pub fn unknown_keys(cx: &mut Cx, node: &Node, known: &[&str], path: &str) {
    let Some(entries) = node.as_mapping() else {
        return;
    };
    for (k, _) in entries {
        if !known.contains(&k.value.as_str()) {
            let mut d = Diagnostic::warning(
                codes::UNKNOWN_FIELD,
                format!("unknown field `{path}.{}`: it is ignored", k.value),
            )
            .at(k.span);
            if let Some(best) = closest(&k.value, known) {
                d = d.with_fix(format!("rename to `{best}`"), k.span, best);
            }
            cx.push(d);
        }
    }
}

/// The known word closest to `word` (case-insensitive equality, or edit distance ≤ 2).
pub fn closest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    let lw = word.to_ascii_lowercase();
    if let Some(k) = known.iter().find(|k| k.to_ascii_lowercase() == lw) {
        return Some(k);
    }
    known
        .iter()
        .map(|k| (edit_distance(&lw, &k.to_ascii_lowercase()), *k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// An enumerated string: returns the matched variant; an unknown value is an error with
/// `code`, and a fix when a variant is close.
pub fn one_of<'a>(
    cx: &mut Cx,
    s: &Spanned<String>,
    variants: &[&'a str],
    path: &str,
    code: &'static str,
) -> Option<&'a str> {
    if let Some(v) = variants.iter().find(|v| **v == s.value) {
        return Some(v);
    }
    let mut d = Diagnostic::error(
        code,
        format!(
            "`{path}` must be one of {}, found \"{}\"",
            variants.join(", "),
            s.value
        ),
    )
    .at(s.span);
    if let Some(best) = closest(&s.value, variants) {
        d = d.with_fix(format!("use `{best}`"), s.span, best);
    }
    cx.push(d);
    None
}

/// The span of `key`'s key in `parent`, or `fallback` (used to point a missing-field error at
/// the parent key, e.g. `metadata:` when `metadata.query` is missing).
pub fn key_span(parent: &Node, key: &str, fallback: Span) -> Span {
    parent.entry(key).map_or(fallback, |(k, _)| k.span)
}

/// Read `spec.minReplicas` (default 1, from `min_default_source`) and `spec.maxReplicas`
/// (required; when missing, an error and `max(min, 1)` so later checks can go on).
pub fn bounds(
    cx: &mut Cx,
    spec: &Node,
    spec_key: Span,
    min_default_source: &'static str,
) -> (Param<u32>, Param<u32>) {
    let min = u32_in(
        cx,
        spec,
        "minReplicas",
        "spec.minReplicas",
        0,
        i64::from(i32::MAX),
    )
    .map(|s| Param::yaml(s.value, s.span))
    .unwrap_or(Param::default(1, min_default_source));
    let max = match entry(spec, "maxReplicas") {
        Some(_) => u32_in(
            cx,
            spec,
            "maxReplicas",
            "spec.maxReplicas",
            1,
            i64::from(i32::MAX),
        )
        .map(|s| Param::yaml(s.value, s.span)),
        None => {
            missing(cx, spec_key, "spec.maxReplicas", "");
            None
        }
    };
    let max = max.unwrap_or(Param::default(
        min.value.max(1),
        "Scalelens (maxReplicas missing)",
    ));
    (min, max)
}
