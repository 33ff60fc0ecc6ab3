//! Typed field readers over the spanned YAML tree. Each reader pushes a diagnostic (with the
//! offending node's span) when the value has the wrong type or is out of range, and returns
//! `None` so the caller falls back to the documented default, never silently.

use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::duration::{DurationError, GoDuration};
use crate::quantity::{Quantity, QuantityError};
use crate::span::{Param, Span, Spanned};
use crate::yaml::{Node, NodeKind};

/// Collects diagnostics while reading.
#[derive(Debug, Default)]
pub struct Cx {
    pub diags: Vec<Diagnostic>,
    /// The scrape interval PromQL ranges are measured against ([`ParseOptions`]'s).
    ///
    /// [`ParseOptions`]: super::ParseOptions
    pub scrape_interval: crate::analysis::ScrapeInterval,
}

impl Cx {
    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    pub fn error(&mut self, code: Code, span: Span, msg: impl Into<String>) {
        self.diags.push(Diagnostic::error(code, msg).at(span));
    }

    pub fn warning(&mut self, code: Code, span: Span, msg: impl Into<String>) {
        self.diags.push(Diagnostic::warning(code, msg).at(span));
    }

    pub fn note(&mut self, code: Code, span: Span, msg: impl Into<String>) {
        self.diags.push(Diagnostic::note(code, msg).at(span));
    }

    fn wrong_type(&mut self, node: &Node, path: &str, expected: &str) {
        self.error(
            Code::WrongType,
            node.span,
            format!(
                "`{path}` must be {expected}, found {} `{}`",
                node.type_name(),
                short(node)
            ),
        );
    }
}

/// The most characters of a scalar [`short`] shows: a type error quotes what was found, which
/// is often a long string where a number belonged.
const SHORT_MAX_CHARS: usize = 40;

/// A short rendering of a node for messages: a scalar escaped and cut ([`crate::text::quote`]).
pub fn short(node: &Node) -> String {
    match &node.kind {
        NodeKind::Scalar { text, .. } => crate::text::quote_max(text, SHORT_MAX_CHARS).into_owned(),
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
        Code::MissingField,
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

/// An annotation's value `v`: a scalar, as written (anything else is `wrong-type`).
pub fn annotation_value(cx: &mut Cx, v: &Node, path: &str) -> Option<Spanned<String>> {
    match v.as_scalar() {
        Some(text) => Some(Spanned::new(text.to_string(), v.span)),
        None => {
            cx.error(
                Code::WrongType,
                v.span,
                format!("`{path}` must be a string"),
            );
            None
        }
    }
}

/// A string field of a CRD (`type: string`). A bare YAML number or boolean is accepted with an
/// `unquoted-string` warning whose fix quotes it: the API server would reject it.
pub fn crd_string(cx: &mut Cx, parent: &Node, key: &str, path: &str) -> Option<Spanned<String>> {
    let (_, v) = entry(parent, key)?;
    unquoted_string(cx, v, path, "in the CRD", "the API server");
    string(cx, parent, key, path)
}

/// The `unquoted-string` warning for `v`, a value of `path` whose schema is a string (`schema`
/// says whose: "in the CRD"), when it is a bare YAML number or boolean, which `who` rejects.
pub(crate) fn unquoted_string(cx: &mut Cx, v: &Node, path: &str, schema: &str, who: &str) {
    if let NodeKind::Scalar {
        text: raw,
        quoted: false,
    } = &v.kind
    {
        let ty = v.type_name();
        let text = crate::text::quote(raw);
        if ty == "a number" || ty == "a boolean" {
            cx.push(
                Diagnostic::warning(
                    Code::UnquotedString,
                    format!(
                        "`{path}` is a string {schema}, but `{text}` is {ty}: {who} rejects it (read here as \"{text}\")"
                    ),
                )
                .at(v.span)
                .with_safe_fix("quote the value", v.span, format!("\"{raw}\"")),
            );
        }
    }
}

/// How an integer written as text reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntText {
    /// An integer that fits `i64`.
    Int(i64),
    /// Integer syntax, but beyond `i64` (e.g. `18446744073709551615`): out of range for every
    /// integer field, not a wrong type.
    TooLarge,
    /// Not an integer.
    NotInt,
}

/// Read `text` as an integer the way kubectl's YAML reader does: go-yaml v2 (`resolve.go`, YAML
/// 1.1) drops `_` and parses with Go's `strconv.ParseInt(s, 0, 64)`, so besides decimal with an
/// optional sign it reads `0x` / `0o` / `0b` forms and a leading `0` as octal (`010` is 8, not
/// 10, in a manifest kubectl applies).
pub fn int_text(text: &str) -> IntText {
    let (sign, t) = match text.as_bytes().first() {
        Some(b'+') => ("", text.get(1..).unwrap_or("")),
        Some(b'-') => ("-", text.get(1..).unwrap_or("")),
        _ => ("", text),
    };
    let t = t.replace('_', "");
    let prefixed = |p: &str| {
        t.strip_prefix(p)
            .or_else(|| t.strip_prefix(&p.to_ascii_uppercase()))
    };
    let (digits, radix) = if let Some(h) = prefixed("0x") {
        (h, 16)
    } else if let Some(o) = prefixed("0o") {
        (o, 8)
    } else if let Some(b) = prefixed("0b") {
        (b, 2)
    } else if let Some(o) = t.strip_prefix('0').filter(|o| !o.is_empty()) {
        (o, 8)
    } else {
        (t.as_str(), 10)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return float_int(&t, sign);
    }
    match i64::from_str_radix(&format!("{sign}{digits}"), radix) {
        Ok(i) => IntText::Int(i),
        Err(_) => IntText::TooLarge,
    }
}

/// A plain scalar that is not integer syntax but go-yaml v2's float syntax (`resolve.go`,
/// `yamlStyleFloat`: `09`, `3.0`, `1e3`): kubectl reads a float, and sigs.k8s.io/yaml's JSON
/// (Go's encoding/json) writes an integral float as an integer (`9`, `3`, `1000`), which the
/// API server decodes into an integer field. A fractional value stays not an integer.
fn float_int(unsigned: &str, sign: &str) -> IntText {
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (unsigned.get(..i).unwrap_or(""), unsigned.get(i + 1..)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", frac)) => digits(frac),
        Some((int, frac)) => digits(int) && (frac.is_empty() || digits(frac)),
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)));
    if !mantissa_ok || !exponent_ok {
        return IntText::NotInt;
    }
    match format!("{sign}{unsigned}").parse::<f64>() {
        Ok(v) if v.is_finite() && v.fract() == 0.0 => {
            // 2^63: the first float past i64.
            if v.abs() < 9_223_372_036_854_775_808.0 {
                #[allow(clippy::cast_possible_truncation)] // integral and within i64: exact
                IntText::Int(v as i64)
            } else {
                IntText::TooLarge
            }
        }
        _ => IntText::NotInt,
    }
}

/// Go `strconv.ParseInt(s, 10, 64)`'s syntax (annotation and metadata values): an optional
/// sign and decimal digits.
pub fn decimal_int_text(text: &str) -> IntText {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return IntText::NotInt;
    }
    match text.parse::<i64>() {
        Ok(i) => IntText::Int(i),
        Err(_) => IntText::TooLarge,
    }
}

/// The type behind an API field's `i32::MAX` bound (every call site that passes `i32::MAX`
/// reads a Go `int32` field): the API server fails to decode 3000000000 into it and rejects
/// the object.
pub const INT32_API: &str = "int32, as the Kubernetes API reads it";
/// The type behind an annotation or metadata integer that the controller parses with
/// `strconv.ParseInt(s, 10, 32)` (Knative `getIntGE0` in
/// `pkg/apis/autoscaling/annotation_validation.go`, v1.20): `ErrRange` beyond it.
pub const INT32_GO: &str = "int32, as Go's strconv.ParseInt(s, 10, 32) reads it";

/// The type note for a field read by [`u32_in`] / [`int_typed`]: [`INT32_API`] when `max` is
/// `i32::MAX`, `int64` for [`int`], nothing for a validation range.
fn int_range_note(max: i64) -> &'static str {
    if max == i64::from(i32::MAX) {
        INT32_API
    } else if max == i64::MAX {
        "int64"
    } else {
        ""
    }
}

/// Report an integer beyond its field's type or range: `` `path` is out of range: must be an
/// integer from 0 to 2147483647 (int32, as the Kubernetes API reads it), found 3000000000 ``.
/// `ty` names the type whose range it is (empty for a validation range).
pub fn int_out_of_range(
    cx: &mut Cx,
    span: Span,
    path: &str,
    (min, max): (i64, i64),
    ty: &str,
    found: &str,
) {
    let ty = if ty.is_empty() {
        String::new()
    } else {
        format!(" ({ty})")
    };
    cx.error(
        Code::OutOfRange,
        span,
        format!(
            "`{path}` is out of range: must be an integer from {min} to {max}{ty}, found {}",
            crate::text::quote(found)
        ),
    );
}

/// An integer scalar as read: `Ok(value)`, `Err(Some(text))` when it is integer syntax
/// beyond `i64` (not reported: the caller knows the field's range), `Err(None)` when a
/// diagnostic was pushed.
fn int_scalar(cx: &mut Cx, v: &Node, path: &str) -> Result<Spanned<i64>, Option<String>> {
    match &v.kind {
        NodeKind::Scalar {
            text,
            quoted: false,
        } => match int_text(text) {
            IntText::Int(i) => Ok(Spanned::new(i, v.span)),
            IntText::TooLarge => Err(Some(text.to_string())),
            IntText::NotInt => {
                cx.wrong_type(v, path, "an integer");
                Err(None)
            }
        },
        NodeKind::Scalar { text, quoted: true } if int_text(text) != IntText::NotInt => {
            cx.push(
                Diagnostic::error(
                    Code::WrongType,
                    format!(
                        "`{path}` must be an integer, found the string \"{}\"",
                        crate::text::quote(text)
                    ),
                )
                .at(v.span)
                .with_safe_fix("remove the quotes", v.span, text.to_string()),
            );
            Err(None)
        }
        _ => {
            cx.wrong_type(v, path, "an integer");
            Err(None)
        }
    }
}

/// An integer (`int64`). A quoted number is a wrong type (the API server rejects `"3"` for an
/// integer); integer syntax beyond `int64` is out of range.
pub fn int(cx: &mut Cx, parent: &Node, key: &str, path: &str) -> Option<Spanned<i64>> {
    let (_, v) = entry(parent, key)?;
    match int_scalar(cx, v, path) {
        Ok(i) => Some(i),
        Err(Some(text)) => {
            int_out_of_range(cx, v.span, path, (i64::MIN, i64::MAX), "int64", &text);
            None
        }
        Err(None) => None,
    }
}

/// An integer of a field whose type tops out at `max`: integer syntax beyond `i64`, or a value
/// above `max` when `max` is `i32::MAX` (an `int32` API field), is out of range (reported with
/// `[min, max]`); any other value is returned for the caller to check against the field's
/// validation rules.
pub fn int_typed(
    cx: &mut Cx,
    parent: &Node,
    key: &str,
    path: &str,
    min: i64,
    max: i64,
) -> Option<Spanned<i64>> {
    let (_, v) = entry(parent, key)?;
    match int_scalar(cx, v, path) {
        Ok(i) if i.value > max && max == i64::from(i32::MAX) => {
            int_out_of_range(
                cx,
                i.span,
                path,
                (min, max),
                int_range_note(max),
                &i.value.to_string(),
            );
            None
        }
        Ok(i) => Some(i),
        Err(Some(text)) => {
            int_out_of_range(cx, v.span, path, (min, max), int_range_note(max), &text);
            None
        }
        Err(None) => None,
    }
}

/// A float from a plain number.
pub fn float(cx: &mut Cx, parent: &Node, key: &str, path: &str) -> Option<Spanned<f64>> {
    let (_, v) = entry(parent, key)?;
    match &v.kind {
        NodeKind::Scalar {
            text,
            quoted: false,
        } => match float_text(text) {
            FloatText::Number(f) => Some(Spanned::new(f, v.span)),
            FloatText::OutOfRange => {
                float_out_of_range(cx, v.span, path, text);
                None
            }
            FloatText::NotNumber => {
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

/// How a number written as text reads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FloatText {
    /// A finite `float64`.
    Number(f64),
    /// Number syntax, but beyond `float64` (`1e400`): Go's `strconv.ParseFloat` returns
    /// `ErrRange` ("value out of range"), so the controller rejects it.
    OutOfRange,
    /// Not a number.
    NotNumber,
}

/// Go `strconv.ParseFloat(s, 64)` for the forms that matter: decimal and exponent; `inf` and
/// `nan` are not numbers here (never useful in a config).
pub fn float_text(text: &str) -> FloatText {
    let t = text.trim_start_matches('+');
    let ok = !t.is_empty()
        && t.bytes()
            .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'-' | b'+'));
    match t.parse::<f64>() {
        Ok(f) if ok && f.is_finite() => FloatText::Number(f),
        Ok(_) if ok => FloatText::OutOfRange,
        _ => FloatText::NotNumber,
    }
}

/// [`float_text`] as an `Option`: the finite number, or `None`.
pub fn parse_float(text: &str) -> Option<f64> {
    match float_text(text) {
        FloatText::Number(f) => Some(f),
        _ => None,
    }
}

/// Report a number beyond `float64`: `` `path` is out of range: must be a number from
/// -1.798e308 to 1.798e308 (float64, as Go's strconv.ParseFloat reads it), found "1e400" ``.
pub fn float_out_of_range(cx: &mut Cx, span: Span, path: &str, found: &str) {
    let max = format!("{:.0}", crate::display::Num(f64::MAX));
    cx.error(
        Code::OutOfRange,
        span,
        format!(
            "`{path}` is out of range: must be a number from -{max} to {max} (float64, as Go's \
             strconv.ParseFloat reads it), found \"{}\"",
            crate::text::quote(found)
        ),
    );
}

/// A float written as a string (annotation values, CRD string fields, KEDA metadata).
pub fn float_str(cx: &mut Cx, s: &Spanned<String>, path: &str) -> Option<f64> {
    match float_text(&s.value) {
        FloatText::Number(f) => Some(f),
        FloatText::OutOfRange => {
            float_out_of_range(cx, s.span, path, &s.value);
            None
        }
        FloatText::NotNumber => {
            cx.error(
                Code::InvalidValue,
                s.span,
                format!(
                    "`{path}` must be a number, found \"{}\"",
                    crate::text::quote(&s.value)
                ),
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
                Code::InvalidValue,
                s.span,
                format!(
                    "`{path}` must be true or false, found \"{}\"",
                    crate::text::quote(other)
                ),
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
                Code::OutOfRange,
                s.span,
                format!(
                    "`{path}` must not be negative, found \"{}\"",
                    crate::text::quote(&s.value)
                ),
            );
            None
        }
        Ok(d) => Some(d),
        Err(DurationError::Overflow(_)) => {
            cx.error(
                Code::OutOfRange,
                s.span,
                format!(
                    "`{path}` is out of range: must be a duration from 0 to {} (a Go \
                     time.Duration, int64 nanoseconds, about 292 years), found \"{}\"",
                    crate::duration::GO_DURATION_MAX,
                    crate::text::quote(&s.value)
                ),
            );
            None
        }
        Err(e) => {
            let mut d = Diagnostic::error(Code::InvalidValue, format!("`{path}`: {e}")).at(s.span);
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
        Err(e @ QuantityError::TooLarge { .. }) => {
            cx.error(Code::OutOfRange, v.span, format!("`{path}`: {e}"));
            None
        }
        Err(e) => {
            cx.error(Code::InvalidValue, v.span, format!("`{path}`: {e}"));
            None
        }
    }
}

/// Report a quantity target whose `MilliValue()` does not fit `int64` (see
/// [`Quantity::milli_value_fits`]).
pub fn milli_out_of_range(cx: &mut Cx, span: Span, path: &str, found: &str) {
    cx.error(
        Code::OutOfRange,
        span,
        format!(
            "`{path}` is out of range: the controller reads it as MilliValue(), an int64 count of \
             thousandths, so it must be from -{max} to {max}, found \"{}\"",
            crate::text::quote(found),
            max = crate::quantity::MAX_MILLI_VALUE
        ),
    );
}

/// Warn about keys not in `known` (typos silently fall back to defaults upstream).
pub fn unknown_keys(cx: &mut Cx, node: &Node, known: &[&str], path: &str) {
    let Some(entries) = node.as_mapping() else {
        return;
    };
    for (k, _) in entries {
        if !known.contains(&k.value.as_str()) {
            let mut d = Diagnostic::warning(
                Code::UnknownField,
                format!(
                    "unknown field `{path}.{}`: it is ignored",
                    crate::text::quote(&k.value)
                ),
            )
            .at(k.span);
            let other_family = OTHER_FAMILY_SPELLINGS
                .iter()
                .find(|(w, meant)| *w == k.value && known.contains(meant))
                .map(|(_, meant)| *meant);
            if let Some(best) = closest(&k.value, known).or(other_family) {
                d = d.with_fix(format!("rename to `{best}`"), k.span, best);
            }
            cx.push(d);
        }
    }
}

/// Fields of one family written in another family's object, beyond the edit distance of
/// [`closest`]: an HPA's `minReplicas` in a KEDA ScaledObject (whose field is
/// `minReplicaCount`, so the HPA-style key leaves KEDA's default) and the reverse.
const OTHER_FAMILY_SPELLINGS: &[(&str, &str)] = &[
    ("minReplicas", "minReplicaCount"),
    ("maxReplicas", "maxReplicaCount"),
    ("minReplicaCount", "minReplicas"),
    ("maxReplicaCount", "maxReplicas"),
];

/// The known word closest to `word` (case-insensitive equality, or edit distance ≤ 2 by
/// [`crate::text::edit_distance_within`]).
pub fn closest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    let lw = word.to_ascii_lowercase();
    if let Some(k) = known.iter().find(|k| k.to_ascii_lowercase() == lw) {
        return Some(k);
    }
    known
        .iter()
        .filter_map(|k| {
            let d = crate::text::edit_distance_within(&lw, &k.to_ascii_lowercase(), 2)?;
            Some((d, *k))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// An enumerated string: returns the matched variant; an unknown value is an error with
/// `code`, and a fix when a variant is close.
pub fn one_of<'a>(
    cx: &mut Cx,
    s: &Spanned<String>,
    variants: &[&'a str],
    path: &str,
    code: Code,
) -> Option<&'a str> {
    if let Some(v) = variants.iter().find(|v| **v == s.value) {
        return Some(v);
    }
    let mut d = Diagnostic::error(
        code,
        format!(
            "`{path}` must be one of {}, found \"{}\"",
            variants.join(", "),
            crate::text::quote(&s.value)
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
/// (required; when missing, an error and `max(min, 1)` so later checks can go on). The keys are
/// the HPA knob table's.
pub fn bounds(
    cx: &mut Cx,
    spec: &Node,
    spec_key: Span,
    min_default_source: &'static crate::upstream::Source,
) -> (Param<u32>, Param<u32>) {
    use crate::knobs::hpa::{MAX_REPLICAS, MIN_REPLICAS};
    let spec = super::cursor::Cursor::new(spec, "spec");
    let int32 = (0, i64::from(i32::MAX));
    let min = spec
        .count_in(cx, MIN_REPLICAS.place.key(), int32.0, int32.1)
        .unwrap_or(Param::default(1, min_default_source));
    let max = spec
        .required_u32(cx, MAX_REPLICAS.place.key(), (1, int32.1), spec_key, "")
        .map(|s| Param::yaml(s.value, s.span))
        .unwrap_or(Param::default(
            min.value.max(1),
            &crate::upstream::MISSING_MAX_REPLICAS,
        ));
    (min, max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_text() {
        use IntText::*;
        let cases = [
            ("42", Int(42)),
            ("+42", Int(42)),
            ("-42", Int(-42)),
            ("0x1F", Int(31)),
            ("0o17", Int(15)),
            ("010", Int(8)),
            ("0", Int(0)),
            ("-010", Int(-8)),
            ("0b101", Int(5)),
            ("0X1f", Int(31)),
            ("1_000", Int(1000)),
            // go-yaml floats with an integral value reach the API server as integers.
            ("09", Int(9)),
            ("3.0", Int(3)),
            ("-2.", Int(-2)),
            ("1e3", Int(1000)),
            ("1_0.0", Int(10)),
            ("1e30", TooLarge),
            (".5", NotInt),
            ("1.", Int(1)),
            ("1e", NotInt),
            ("1.2.3", NotInt),
            (".inf", NotInt),
            ("9223372036854775807", Int(i64::MAX)),
            ("-9223372036854775808", Int(i64::MIN)),
            ("9223372036854775808", TooLarge),
            ("18446744073709551615", TooLarge),
            ("-99999999999999999999", TooLarge),
            ("0xFFFFFFFFFFFFFFFFFF", TooLarge),
            ("1.5", NotInt),
            ("", NotInt),
            ("-", NotInt),
            ("0x", NotInt),
            ("12a", NotInt),
        ];
        for (text, want) in cases {
            assert_eq!(int_text(text), want, "{text:?}");
        }
        assert_eq!(decimal_int_text("3000000000"), Int(3_000_000_000));
        assert_eq!(decimal_int_text("18446744073709551615"), TooLarge);
        assert_eq!(decimal_int_text("0x10"), NotInt);
    }

    #[test]
    fn closest_words() {
        let known = ["minReplicas", "maxReplicas", "metrics"];
        assert_eq!(closest("MINREPLICAS", &known), Some("minReplicas"));
        assert_eq!(closest("maxReplcias", &known), Some("maxReplicas"));
        assert_eq!(closest("behavior", &known), None);
        assert_eq!(closest(&"m".repeat(100_000), &known), None);
    }

    #[test]
    fn float_text_ranges() {
        use FloatText::*;
        let cases = [
            ("0.5", Number(0.5)),
            ("+2", Number(2.0)),
            ("-1e3", Number(-1000.0)),
            ("1e-400", Number(0.0)),
            ("1e400", OutOfRange),
            ("-1e400", OutOfRange),
            ("1797693134862315808e290", OutOfRange),
            ("inf", NotNumber),
            ("NaN", NotNumber),
            ("1e", NotNumber),
            ("fast", NotNumber),
        ];
        for (text, want) in cases {
            assert_eq!(float_text(text), want, "{text:?}");
        }
    }
}
