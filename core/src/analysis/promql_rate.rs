//! `promql-rate-window`: a `rate`/`irate`/`increase` (or `delta`/`idelta`/`deriv`) range in a
//! parsed PromQL query shorter than twice the scrape interval.
//!
//! How the check works (the rule's docs are [`DOC`]): every call of a function that needs two
//! samples in its range, whose argument is a range selector (`x[30s]`; a subquery
//! `x[5m:30s]` has its own resolution and is not checked), is compared with the scrape
//! interval: the one the user gives (`--scrape-interval`, [`ScrapeInterval::Given`]), else
//! Prometheus' default `global.scrape_interval`, 1m ([`crate::upstream::prometheus::SCRAPE_INTERVAL`]),
//! and the message says which was assumed. A range `r` over samples every `s` holds between
//! `floor(r/s)` and `ceil(r/s)` of them: below `2s` some evaluations find one sample (or none),
//! the function returns nothing there, and KEDA's prometheus scaler reads an empty result as 0
//! (`ignoreNullValues` defaults to true, `pkg/scalers/prometheus_scaler.go`). One diagnostic per
//! query, at the shortest such range.
//!
//! It runs wherever a query is read: a KEDA `prometheus` trigger ([`crate::config::keda`]) and
//! a KServe `external` metric with the prometheus backend (which KServe turns into one).
//! The imported samples' own scrape step (`window-shorter-than-scrape`,
//! [`super::check_query_ranges`]) reports only what this check did not already report.

#[cfg(feature = "promql")]
use promql_parser::parser::Expr;

use crate::codes::rule_doc;
use crate::model::Millis;
use crate::upstream::prometheus as up;
#[cfg(feature = "promql")]
use crate::{codes::Code, diagnostic::Diagnostic, display::Dur, yaml::Node};

/// The scrape interval a query's ranges are measured against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ScrapeInterval {
    /// Not given: Prometheus' default `global.scrape_interval` (1m) is assumed.
    #[default]
    Assumed,
    /// Given by the user (`--scrape-interval`).
    Given(Millis),
}

impl ScrapeInterval {
    /// The interval, in milliseconds.
    pub fn millis(self) -> Millis {
        match self {
            ScrapeInterval::Assumed => up::SCRAPE_INTERVAL.value,
            ScrapeInterval::Given(ms) => ms,
        }
    }

    /// How a message names it: `1m, Prometheus' default ...` or `15s, as given`.
    #[cfg(feature = "promql")]
    fn said(self) -> String {
        match self {
            ScrapeInterval::Assumed => format!(
                "{}, Prometheus' default `global.scrape_interval`, assumed: give yours with --scrape-interval",
                Dur(self.millis())
            ),
            ScrapeInterval::Given(ms) => format!("{}, as given by --scrape-interval", Dur(ms)),
        }
    }
}

#[cfg(feature = "promql")]
/// Functions that need at least two samples in their range to return a value.
pub(crate) const TWO_SAMPLE_FUNCTIONS: &[&str] =
    &["rate", "irate", "increase", "delta", "idelta", "deriv"];

#[cfg(feature = "promql")]
/// Every (function, range) of a two-sample function over a range selector in `e`.
pub(crate) fn ranges(e: &Expr, out: &mut Vec<(&'static str, Millis)>) {
    match e {
        Expr::Call(c) => {
            if let Some(f) = TWO_SAMPLE_FUNCTIONS.iter().find(|f| **f == c.func.name) {
                for a in &c.args.args {
                    if let Expr::MatrixSelector(m) = a.as_ref() {
                        let ms = Millis::try_from(m.range.as_millis()).unwrap_or(Millis::MAX);
                        out.push((f, ms));
                    }
                }
            }
            for a in &c.args.args {
                ranges(a, out);
            }
        }
        Expr::Aggregate(a) => {
            ranges(&a.expr, out);
            if let Some(p) = &a.param {
                ranges(p, out);
            }
        }
        Expr::Binary(b) => {
            ranges(&b.lhs, out);
            ranges(&b.rhs, out);
        }
        Expr::Paren(p) => ranges(&p.expr, out),
        Expr::Unary(u) => ranges(&u.expr, out),
        Expr::Subquery(s) => ranges(&s.expr, out),
        Expr::NumberLiteral(_)
        | Expr::StringLiteral(_)
        | Expr::VectorSelector(_)
        | Expr::MatrixSelector(_)
        | Expr::Extension(_) => {}
    }
}

#[cfg(feature = "promql")]
/// `promql-rate-window` for a parsed query at `node`.
pub(crate) fn check_rate_window(
    node: &Node,
    expr: &Expr,
    scrape: ScrapeInterval,
) -> Option<Diagnostic> {
    let s = scrape.millis();
    let mut all = Vec::new();
    ranges(expr, &mut all);
    let short: Vec<(&str, Millis)> = all
        .into_iter()
        .filter(|(_, r)| *r < s.saturating_mul(2))
        .collect();
    let (f, r) = short.iter().copied().min_by_key(|(_, r)| *r)?;
    let more = match short.len() {
        0 | 1 => String::new(),
        n => format!(" ({n} ranges of the query are that short)"),
    };
    Some(
        Diagnostic::warning(
            Code::PromqlRateWindow,
            format!(
                "`{f}(...[{}])` spans less than two scrape intervals (scrape interval {}){more}: at some evaluations the range holds one sample or none, `{f}` needs two, so the query returns no data there and KEDA's prometheus scaler reads 0 (`ignoreNullValues` defaults to true)",
                Dur(r),
                scrape.said()
            ),
        )
        .at(node.span)
        .with_advice(format!(
            "use a range of at least 4 × the scrape interval, as Prometheus' docs advise for rate(): [{}]",
            Dur(s.saturating_mul(4))
        )),
    )
}

rule_doc! {
    /// A `rate()`/`irate()`/`increase()` range shorter than twice the scrape interval.
    ///
    /// # What it does
    /// Parses a KEDA `prometheus` trigger's `query` (and a KServe `external` metric's, which
    /// becomes one) and reports a `rate`, `irate`, `increase`, `delta`, `idelta` or `deriv`
    /// over a range selector shorter than two scrape intervals. The scrape interval is the one
    /// given with `--scrape-interval`, else Prometheus' default `global.scrape_interval` (1m);
    /// the message says which it assumed. Subqueries (`x[5m:30s]`) are not checked (in the CLI:
    /// the playground builds without the PromQL parser).
    ///
    /// # Why is this bad
    /// A range of `r` over samples every `s` holds `floor(r/s)` to `ceil(r/s)` samples. Below
    /// two intervals some evaluations find one sample or none; these functions need two, so the
    /// query returns no data and KEDA's prometheus scaler reads 0 (`ignoreNullValues: true` is
    /// its default): the HPA sees no load, intermittently or always, and scales down under it.
    ///
    /// # Example
    /// ```text
    /// triggers:
    ///   - type: prometheus
    ///     metadata:
    ///       query: sum(rate(vllm:request_success_total[30s]))   # scraped every 30s
    /// ```
    ///
    /// # Fix
    /// A range of at least four scrape intervals: `[2m]` for a 30s scrape, `[1m]` for 15s.
    /// Tell Scalelens your scrape interval with `--scrape-interval 15s`.
    ///
    /// # References
    /// - prometheus/prometheus v3.5.0 `config/config.go` (`DefaultGlobalConfig`:
    ///   `ScrapeInterval` 1m); `docs/querying/functions.md` (`rate`: "at least four times the
    ///   scrape interval").
    /// - kedacore/keda v2.18 `pkg/scalers/prometheus_scaler.go` (`ignoreNullValues`, default
    ///   true: an empty result reads 0).
    pub(crate) const DOC;
}

#[cfg(all(test, feature = "promql"))]
mod tests {
    use super::*;
    use crate::model::SECOND;

    /// (query, scrape interval, the range reported).
    #[test]
    fn shortest_range_below_two_scrapes() {
        let node = |q: &str| crate::yaml::Node {
            kind: crate::yaml::NodeKind::Scalar {
                text: q.into(),
                quoted: true,
            },
            span: crate::span::Span::default(),
        };
        let s15 = ScrapeInterval::Given(15 * SECOND);
        let cases: &[(&str, ScrapeInterval, Option<&str>)] = &[
            (
                "sum(rate(x[30s]))",
                ScrapeInterval::Assumed,
                Some("rate(...[30s])"),
            ),
            ("sum(rate(x[2m]))", ScrapeInterval::Assumed, None),
            (
                "sum(rate(x[119s]))",
                ScrapeInterval::Assumed,
                Some("rate(...[119s])"),
            ),
            ("sum(rate(x[30s]))", s15, None),
            ("sum(rate(x[29s]))", s15, Some("rate(...[29s])")),
            (
                "sum(irate(x[20s])) / sum(increase(y[10s]))",
                s15,
                Some("increase(...[10s])"),
            ),
            ("sum(rate(x[5m:10s]))", s15, None),
            (
                "max_over_time(rate(x[10s])[5m:1m])",
                s15,
                Some("rate(...[10s])"),
            ),
            ("sum(avg_over_time(x[10s]))", s15, None),
            ("sum(x)", s15, None),
            (
                "histogram_quantile(0.9, sum by (le) (rate(x_bucket[20s])))",
                s15,
                Some("rate(...[20s])"),
            ),
            ("-deriv(x[5s])", s15, Some("deriv(...[5s])")),
        ];
        for (q, scrape, want) in cases {
            let e = promql_parser::parser::parse(q).unwrap_or_else(|e| panic!("{q}: {e}"));
            let d = check_rate_window(&node(q), &e, *scrape);
            match want {
                None => assert!(d.is_none(), "{q}: {d:?}"),
                Some(w) => {
                    let d = d.unwrap_or_else(|| panic!("{q}: nothing"));
                    assert!(d.message.contains(w), "{q}: {}", d.message);
                    let said = if *scrape == ScrapeInterval::Assumed {
                        "60s, Prometheus' default"
                    } else {
                        "15s, as given"
                    };
                    assert!(d.message.contains(said), "{q}: {}", d.message);
                }
            }
        }
    }
}
