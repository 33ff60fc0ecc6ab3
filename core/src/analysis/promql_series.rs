//! `promql-syntax` and `promql-multiple-series`: a KEDA prometheus trigger's `query`, parsed by
//! the `promql-parser` crate (GreptimeDB's PromQL parser, Apache-2.0), before any replay.
//!
//! How the checks work (the rules' docs are [`SYNTAX`] and [`MULTIPLE_SERIES`]):
//! - a query the parser rejects is `promql-syntax` at the query, with the parser's words (the
//!   crate gives no position, so the whole scalar is marked);
//! - a query that can return more than one series is `promql-multiple-series`. KEDA v2.18's
//!   prometheus scaler fails the poll when the instant query returns more than one element
//!   (`pkg/scalers/prometheus_scaler.go`, "returned multiple elements"), which a query over
//!   pods does as soon as a second pod exists. A query returns at most one series when its
//!   outermost vector operation reduces to one: an aggregation without `by`/`without` labels
//!   (`sum`, `avg`, `max`, `min`, `count`, `group`, `stddev`, `stdvar`, `quantile`),
//!   `topk`/`bottomk`/`limitk` of 1 without labels, `scalar(...)`, `vector(...)`, `absent(...)`,
//!   a number; a function keeps its argument's count; a one-to-one binary operation returns at
//!   most as many series as its smaller side, `group_left`/`group_right` as its "many" side,
//!   `or` both sides, `and`/`unless` its left side.
//!
//! Queries longer than [`MAX_QUERY_CHARS`] are not parsed (bounded time; none is reported).
//! The parser is behind core's `promql` feature (on by default): the playground builds without
//! it (its wasm size budget), so these checks run in the CLI and not in the playground.

#[cfg(feature = "promql")]
use promql_parser::parser::{self, Expr, LabelModifier, VectorMatchCardinality};

use crate::codes::rule_doc;
#[cfg(feature = "promql")]
use crate::codes::Code;
#[cfg(feature = "promql")]
use crate::config::scalar_span::inner_span;
use crate::diagnostic::Diagnostic;
#[cfg(feature = "promql")]
use crate::diagnostic::{Applicability, Edit, Fix};
#[cfg(feature = "promql")]
use crate::upstream::keda as up;
use crate::yaml::Node;

#[cfg(feature = "promql")]
/// The longest query parsed: 16 KiB. KEDA queries are one expression of a few hundred
/// characters at most; the cap keeps a hostile input's parse time bounded.
pub const MAX_QUERY_CHARS: usize = 16 * 1024;

#[cfg(feature = "promql")]
/// The parsed query, or `None` with a `promql-syntax` diagnostic in `out` (or nothing, past
/// [`MAX_QUERY_CHARS`]).
pub(crate) fn parse(node: &Node, query: &str, out: &mut Vec<Diagnostic>) -> Option<Expr> {
    if query.chars().count() > MAX_QUERY_CHARS {
        return None;
    }
    match parser::parse(query) {
        Ok(e) => Some(e),
        Err(e) => {
            out.push(
                Diagnostic::warning(
                    Code::PromqlSyntax,
                    format!(
                        "the query is not valid PromQL ({}): Prometheus rejects it, so KEDA's scaler fails every poll",
                        crate::text::quote_max(&e, 200)
                    ),
                )
                .at(node.span)
                .with_help("checked with the promql-parser crate, which follows Prometheus' grammar"),
            );
            None
        }
    }
}

#[cfg(feature = "promql")]
/// How many series an expression can return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Count {
    /// At most one (a scalar, or a vector of at most one element).
    One,
    /// Possibly several.
    Many,
}

#[cfg(feature = "promql")]
fn count(e: &Expr) -> Count {
    use Count::{Many, One};
    match e {
        Expr::NumberLiteral(_) | Expr::StringLiteral(_) => One,
        Expr::VectorSelector(_) | Expr::MatrixSelector(_) | Expr::Extension(_) => Many,
        Expr::Paren(p) => count(&p.expr),
        Expr::Unary(u) => count(&u.expr),
        Expr::Subquery(s) => count(&s.expr),
        Expr::Aggregate(a) => {
            let op = a.op.to_string();
            let grouped = match &a.modifier {
                None => false,
                Some(LabelModifier::Include(l)) => !l.labels.is_empty(),
                // `without (...)` keeps every other label.
                Some(LabelModifier::Exclude(_)) => true,
            };
            let single = match op.as_str() {
                "topk" | "bottomk" | "limitk" => matches!(
                    a.param.as_deref(),
                    Some(Expr::NumberLiteral(n)) if n.val <= 1.0
                ),
                "count_values" | "limit_ratio" => false,
                _ => true,
            };
            if single && !grouped {
                One
            } else {
                Many
            }
        }
        Expr::Call(c) => match c.func.name {
            "scalar" | "vector" | "time" | "pi" | "absent" | "absent_over_time" => One,
            // Quantiles of buckets aggregated `by (le)` alone: `le` is consumed, one series.
            "histogram_quantile" if c.args.args.get(1).is_some_and(|a| by_le_only(a)) => One,
            _ => c
                .args
                .args
                .iter()
                .map(|a| count(a))
                .find(|n| *n == Many)
                .unwrap_or(One),
        },
        Expr::Binary(b) => {
            let (l, r) = (count(&b.lhs), count(&b.rhs));
            let card = b.modifier.as_ref().map(|m| &m.card);
            match card {
                Some(VectorMatchCardinality::ManyToOne(_)) => l,
                Some(VectorMatchCardinality::OneToMany(_)) => r,
                _ if b.op.is_set_operator() => {
                    if b.op.to_string() == "or" && r == Many {
                        Many
                    } else {
                        l
                    }
                }
                // One-to-one: each result series pairs one series of each side.
                _ => {
                    if l == One || r == One {
                        One
                    } else {
                        Many
                    }
                }
            }
        }
    }
}

#[cfg(feature = "promql")]
/// An aggregation (in parentheses or not) grouped `by (le)` and nothing else.
fn by_le_only(e: &Expr) -> bool {
    match e {
        Expr::Paren(p) => by_le_only(&p.expr),
        Expr::Aggregate(a) => matches!(
            &a.modifier,
            Some(LabelModifier::Include(l)) if l.labels.len() == 1 && l.labels.iter().all(|n| n == "le")
        ),
        _ => false,
    }
}

/// The PromQL checks of a KEDA prometheus trigger's `query` (`node`, a scalar) with its
/// `threshold` and `metricType` (`Value` or `AverageValue`), its ranges measured against
/// `scrape`: `promql-syntax`, `promql-multiple-series`, `promql-unit-mismatch`,
/// `promql-rate-window`.
#[cfg(feature = "promql")]
pub fn check_promql(
    node: Option<&Node>,
    threshold: f64,
    metric_type: &str,
    scrape: super::ScrapeInterval,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let Some(node) = node else { return out };
    let Some(query) = node.as_str() else {
        return out;
    };
    let Some(expr) = parse(node, query, &mut out) else {
        return out;
    };
    out.extend(check_multiple_series(node, query, &expr));
    out.extend(super::promql_unit::check_unit(
        node,
        &expr,
        threshold,
        metric_type,
    ));
    out.extend(super::promql_rate::check_rate_window(node, &expr, scrape));
    out
}

/// Without the `promql` feature (the playground's build) the query is not parsed: one note at
/// the query says which checks did not run and where they do, so the build never differs in
/// silence.
#[cfg(not(feature = "promql"))]
pub fn check_promql(
    node: Option<&Node>,
    _threshold: f64,
    _metric_type: &str,
    _scrape: super::ScrapeInterval,
) -> Vec<Diagnostic> {
    use crate::codes::Code;
    use crate::diagnostic::Severity;
    let Some(node) = node.filter(|n| n.as_str().is_some()) else {
        return Vec::new();
    };
    vec![Diagnostic::new(
        Code::UnsupportedFeature,
        Severity::Note,
        "this build does not parse PromQL: the query is not checked (promql-syntax, promql-multiple-series, promql-unit-mismatch, promql-rate-window) and its label matchers do not pick the samples' series; `scalelens check` does both",
    )
    .at(node.span)]
}

/// `promql-multiple-series` for a parsed query at `node`.
#[cfg(feature = "promql")]
pub(crate) fn check_multiple_series(node: &Node, query: &str, expr: &Expr) -> Option<Diagnostic> {
    if count(expr) == Count::One {
        return None;
    }
    let mut d = Diagnostic::warning(
        Code::PromqlMultipleSeries,
        "the query can return several series (nothing reduces it to one, e.g. one per pod): KEDA's prometheus scaler then fails the poll with \"returned multiple elements\", as soon as a second pod exists",
    )
    .at(node.span)
    .with_help(format!(
        "KEDA reads exactly one element of the instant query's result ({})",
        up::PROMETHEUS_SCALER
    ));
    // Wrap in sum(...) where the scalar's text maps back to the file, so the edit lands inside it.
    let len = query.chars().count();
    let start = inner_span(node, 0, 0);
    let end = inner_span(node, len, len);
    if start != node.span && end != node.span {
        d.fixes.push(Fix {
            description: "aggregate to one series: sum(...) (or avg/max, as the target means)"
                .into(),
            applicability: Applicability::NeedsReview,
            edits: vec![
                Edit {
                    span: start,
                    replacement: "sum(".into(),
                },
                Edit {
                    span: end,
                    replacement: ")".into(),
                },
            ],
        });
    } else {
        d = d.with_advice(
            "aggregate the query to one series: sum(...) (or avg/max, as the target means)",
        );
    }
    Some(d)
}

rule_doc! {
    /// A Prometheus query that is not valid PromQL.
    ///
    /// # What it does
    /// Parses a KEDA `prometheus` trigger's `query` with a PromQL parser and reports a query it
    /// rejects, with the parser's message (in the CLI: the playground builds without the
    /// parser, for its size).
    ///
    /// # Why is this bad
    /// Prometheus rejects the query, so every poll of the scaler fails: the ScaledObject never
    /// scales on this trigger (or falls back, if `fallback` is set).
    ///
    /// # Example
    /// ```text
    /// query: sum(rate(vllm:num_requests_waiting[1m])
    /// ```
    ///
    /// # Fix
    /// Correct the query; try it in Prometheus' expression browser first.
    ///
    /// # References
    /// - Prometheus docs, "Querying basics".
    /// - GreptimeTeam/promql-parser (the parser used).
    pub(crate) const SYNTAX;
}

rule_doc! {
    /// A Prometheus query that can return several series, which KEDA refuses.
    ///
    /// # What it does
    /// Reports a KEDA `prometheus` trigger's `query` whose result is not reduced to one series:
    /// a bare metric (`vllm:num_requests_waiting`), a `rate(...)` without an aggregation, or an
    /// aggregation `by (pod)` (in the CLI: the playground builds without the PromQL parser).
    ///
    /// # Why is this bad
    /// KEDA's prometheus scaler takes the query's one element; when the query returns two or
    /// more (one per pod, as soon as a second pod runs) it fails the poll with "prometheus
    /// query ... returned multiple elements", and the ScaledObject stops scaling right when it
    /// matters.
    ///
    /// # Example
    /// ```text
    /// triggers:
    ///   - type: prometheus
    ///     metadata:
    ///       query: vllm:num_requests_waiting{model_name="llama"}
    /// ```
    ///
    /// # Fix
    /// Aggregate to one series: `sum(vllm:num_requests_waiting{model_name="llama"})` (with
    /// `metricType: AverageValue`, KEDA's default, the HPA divides the sum by the pods).
    ///
    /// # References
    /// - kedacore/keda v2.18 `pkg/scalers/prometheus_scaler.go` (`ExecutePromQuery`: "returned
    ///   multiple elements").
    pub(crate) const MULTIPLE_SERIES;
}

#[cfg(all(test, feature = "promql"))]
mod tests {
    use super::{count, Count};

    #[test]
    fn series_counts() {
        use Count::{Many, One};
        let cases: &[(&str, Count)] = &[
            ("vllm:num_requests_waiting", Many),
            ("vllm:num_requests_waiting{model_name=\"llama\"}", Many),
            ("rate(http_requests_total[1m])", Many),
            ("sum(vllm:num_requests_waiting)", One),
            ("sum(rate(x[1m]))", One),
            ("sum by (pod) (x)", Many),
            ("sum by () (x)", One),
            ("avg without (pod) (x)", Many),
            ("max(x) / 2", One),
            ("topk(1, x)", One),
            ("topk(3, x)", Many),
            ("count_values(\"v\", x)", Many),
            ("scalar(x)", One),
            ("vector(1)", One),
            ("absent(x)", One),
            ("sum(a) / sum(b)", One),
            ("a / sum(b)", One),
            ("a / b", Many),
            ("a / on() group_left sum(b)", Many),
            ("sum(a) or b", Many),
            ("sum(a) and b", One),
            (
                "histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))",
                One,
            ),
            ("histogram_quantile(0.9, rate(x_bucket[5m]))", Many),
            ("(sum(x))", One),
            ("42", One),
        ];
        for (q, want) in cases {
            let e = promql_parser::parser::parse(q).unwrap_or_else(|e| panic!("{q}: {e}"));
            assert_eq!(count(&e), *want, "{q}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// Query text made of PromQL's tokens and stray characters never panics the parser
        /// or the checks (the CLI runs them on user input).
        #[test]
        fn any_query_text_is_checked_without_panic(q in "[a-z_:{}()\\[\\]=~!\"',.0-9smh +*/^%<>-]{0,60}|(sum|rate|topk|by|without|on|group_left|offset|@|bool|or|and) ?[(\\[{a-z0-9 ,\"\\]})]{0,40}") {
            let node = crate::yaml::Node {
                kind: crate::yaml::NodeKind::Scalar { text: q.as_str().into(), quoted: true },
                span: crate::span::Span::default(),
            };
            let _ = super::check_promql(Some(&node), 5.0, "AverageValue", super::super::ScrapeInterval::Given(1));
        }
    }
}
