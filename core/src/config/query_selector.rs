//! The label matchers of a KEDA prometheus trigger's `query`, as a label selector
//! ([`LabelMatcher`]s) that picks the imported series the trigger reads, the way an HPA
//! metric's `metric.selector` does ([`super::label_selector`]).
//!
//! Only a query over one vector selector has a selector here (`sum(vllm:num_requests_waiting
//! {model_name="llama"})`, `rate(x{job="a"}[1m])`): with several (a ratio of two metrics)
//! the series of the samples cannot be matched to one of them. `=` and `!=` become `In` and
//! `NotIn` of one value; `=~` and `!~` become `In` and `NotIn` when the regular expression is
//! a plain alternation of literal values (`a|b`), which Prometheus anchors; a query with any
//! other regular expression gets no selector (every series is read, as before).
//!
//! PromQL is parsed by `promql-parser` behind core's `promql` feature (see
//! [`crate::analysis::check_promql`]); without it (the playground) no query has a selector.

use crate::model::LabelMatcher;

/// The selector of `query`, or none (see the module docs).
#[cfg(feature = "promql")]
pub(crate) fn of(query: &str) -> Vec<LabelMatcher> {
    use promql_parser::label::MatchOp as Op;
    use promql_parser::parser::{self, Expr, VectorSelector};

    use crate::model::MatchOp;

    fn selectors<'e>(e: &'e Expr, out: &mut Vec<&'e VectorSelector>) {
        match e {
            Expr::VectorSelector(v) => out.push(v),
            Expr::MatrixSelector(m) => out.push(&m.vs),
            Expr::Aggregate(a) => {
                selectors(&a.expr, out);
                if let Some(p) = &a.param {
                    selectors(p, out);
                }
            }
            Expr::Unary(u) => selectors(&u.expr, out),
            Expr::Binary(b) => {
                selectors(&b.lhs, out);
                selectors(&b.rhs, out);
            }
            Expr::Paren(p) => selectors(&p.expr, out),
            Expr::Subquery(s) => selectors(&s.expr, out),
            Expr::Call(c) => c.args.args.iter().for_each(|a| selectors(a, out)),
            Expr::NumberLiteral(_) | Expr::StringLiteral(_) | Expr::Extension(_) => {}
        }
    }

    /// `a|b|c` as its values, when each is a literal (no regular-expression syntax).
    fn literal_alternation(re: &str) -> Option<Vec<String>> {
        let literal = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':' | '/'))
        };
        let values: Vec<String> = re.split('|').map(str::to_string).collect();
        values.iter().all(|v| literal(v)).then_some(values)
    }

    if query.chars().count() > crate::analysis::promql_series::MAX_QUERY_CHARS {
        return Vec::new();
    }
    let Ok(expr) = parser::parse(query) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    selectors(&expr, &mut found);
    let [one] = found.as_slice() else {
        return Vec::new();
    };
    if !one.matchers.or_matchers.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for m in &one.matchers.matchers {
        if m.name == "__name__" {
            continue;
        }
        let (op, values) = match &m.op {
            Op::Equal => (MatchOp::In, vec![m.value.clone()]),
            Op::NotEqual => (MatchOp::NotIn, vec![m.value.clone()]),
            Op::Re(_) => match literal_alternation(&m.value) {
                Some(vs) => (MatchOp::In, vs),
                None => return Vec::new(),
            },
            Op::NotRe(_) => match literal_alternation(&m.value) {
                Some(vs) => (MatchOp::NotIn, vs),
                None => return Vec::new(),
            },
        };
        out.push(LabelMatcher {
            label: m.name.clone(),
            op,
            values,
        });
    }
    out
}

/// Without PromQL parsing, no query has a selector.
#[cfg(not(feature = "promql"))]
pub(crate) fn of(_query: &str) -> Vec<LabelMatcher> {
    Vec::new()
}

#[cfg(all(test, feature = "promql"))]
mod tests {
    use super::*;

    #[test]
    fn a_query_over_one_selector_gives_its_label_matchers() {
        // (query, the selector as kubectl prints it)
        let cases = [
            (
                r#"sum(vllm:num_requests_waiting{model_name="llama"})"#,
                "model_name=llama",
            ),
            (
                r#"sum(rate(vllm:request_success_total{namespace="llm",model_name!="x"}[2m]))"#,
                "namespace=llm,model_name!=x",
            ),
            (r#"max(x{model=~"a|b"})"#, "model in (a,b)"),
            (r#"max(x{model!~"a"})"#, "model!=a"),
            // No label matcher, a real regular expression, two selectors, no selector, invalid.
            ("sum(vllm:num_requests_waiting)", ""),
            (r#"max(x{model=~"llama.*"})"#, ""),
            (r#"sum(a{m="1"}) / sum(b{m="1"})"#, ""),
            ("vector(1)", ""),
            ("sum(", ""),
        ];
        for (query, want) in cases {
            assert_eq!(crate::model::selector_text(&of(query)), want, "{query}");
        }
    }
}
