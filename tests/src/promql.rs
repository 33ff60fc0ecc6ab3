//! Where the gateway's PromQL is written, read from those files so that a recipe edit is what
//! gets tested (`tests/tests/gateway_prometheus.rs`): README's ```` ```promql ```` block and
//! inline queries, KEDA `ScaledObject` triggers, prometheus-adapter external rules (and the
//! query the adapter builds from one for an HPA's selector), and Grafana dashboard panels and
//! variables. The real Prometheus they run in, and its API client, are
//! [`crate::prometheus`]'s.

use scalelens_core::yaml::{self, Node};
use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// Where the queries are written

/// A PromQL query and where it is written (for messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub source: String,
    pub promql: String,
}

/// The queries of a Markdown text's ```` ```promql ```` blocks: one a line, `#` lines are
/// comments.
pub fn promql_blocks(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in markdown.lines() {
        let t = line.trim();
        if t.starts_with("```") {
            inside = !inside && t == "```promql";
            continue;
        }
        if inside && !t.is_empty() && !t.starts_with('#') {
            out.push(t.to_string());
        }
    }
    out
}

/// The inline code spans of a Markdown text that look like PromQL over the gateway's metrics
/// (a `scalelens_gateway_` name with a selector, range or call around it): every one must be
/// written in a ```` ```promql ```` block too, so the test runs it.
pub fn inline_queries(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        // Odd pieces between backticks are code spans (no double-backtick spans here).
        for (i, piece) in line.split('`').enumerate() {
            if i % 2 == 1 && piece.contains("scalelens_gateway_") && piece.contains(['(', '[', '{'])
            {
                out.push(piece.to_string());
            }
        }
    }
    out
}

/// Every `prometheus` trigger's `metadata.query` of a KEDA `ScaledObject` file.
pub fn keda_queries(text: &str) -> Vec<String> {
    documents(text)
        .iter()
        .filter(|d| d.get("kind").and_then(Node::as_str) == Some("ScaledObject"))
        .filter_map(|d| d.path(&["spec", "triggers"]).and_then(Node::as_sequence))
        .flatten()
        .filter(|t| t.get("type").and_then(Node::as_str) == Some("prometheus"))
        .filter_map(|t| t.path(&["metadata", "query"]).and_then(Node::as_str))
        .map(str::to_string)
        .collect()
}

fn documents(text: &str) -> Vec<Node> {
    yaml::parse_documents(text)
        .unwrap_or_else(|e| panic!("YAML: {e} at {:?}", e.pos))
        .into_iter()
        .map(|d| d.root)
        .collect()
}

/// One prometheus-adapter external rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdapterRule {
    pub series_query: String,
    pub metrics_query: String,
    /// The metric name the adapter exposes (`name.as`, else the series name).
    pub exposed: String,
    /// Label → Kubernetes resource overrides (`resources.overrides`), e.g. `namespace`.
    pub overrides: Vec<String>,
}

/// The `externalRules` of a prometheus-adapter configuration: the `config.yaml` of a
/// ConfigMap (the Helm chart's `rules.external` renders to the same).
pub fn adapter_rules(text: &str) -> Vec<AdapterRule> {
    let mut out = Vec::new();
    for doc in documents(text) {
        let Some(config) = doc.path(&["data", "config.yaml"]).and_then(Node::as_str) else {
            continue;
        };
        for inner in documents(config) {
            for rule in inner
                .get("externalRules")
                .and_then(Node::as_sequence)
                .unwrap_or_default()
            {
                let s = |path: &[&str]| rule.path(path).and_then(Node::as_str).map(str::to_string);
                let series_query = s(&["seriesQuery"]).expect("seriesQuery");
                let metrics_query = s(&["metricsQuery"]).expect("metricsQuery");
                let series_name = series_query
                    .split('{')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_string();
                let exposed = s(&["name", "as"]).unwrap_or(series_name);
                let overrides = rule
                    .path(&["resources", "overrides"])
                    .and_then(Node::as_mapping)
                    .unwrap_or_default()
                    .iter()
                    .map(|(k, _)| k.value.clone())
                    .collect();
                out.push(AdapterRule {
                    series_query,
                    metrics_query,
                    exposed,
                    overrides,
                });
            }
        }
    }
    out
}

impl AdapterRule {
    /// The query prometheus-adapter runs for an External metric request with `selector`
    /// (`matchLabels`) from an object in `namespace`: `<<.Series>>` is the series name,
    /// `<<.LabelMatchers>>` the selector's labels plus the namespace when the rule maps
    /// `namespace` to the namespace resource (prometheus-adapter `pkg/naming/metrics_query.go`,
    /// `metricsQuery.BuildExternal`).
    pub fn expand(&self, selector: &[(String, String)], namespace: &str) -> String {
        let series = self
            .series_query
            .split('{')
            .next()
            .unwrap_or_default()
            .trim();
        let mut matchers: Vec<String> = selector
            .iter()
            .map(|(k, v)| format!("{k}=\"{v}\""))
            .collect();
        if self.overrides.iter().any(|o| o == "namespace") {
            matchers.push(format!("namespace=\"{namespace}\""));
        }
        self.metrics_query
            .replace("<<.Series>>", series)
            .replace("<<.LabelMatchers>>", &matchers.join(","))
    }
}

/// A Grafana dashboard's queries: every panel's `targets[].expr` (rows' nested panels
/// included) with the panel title, and its template variables (`templating.list`).
#[derive(Debug, Clone, Default)]
pub struct Dashboard {
    /// (panel title, expr)
    pub exprs: Vec<(String, String)>,
    /// (name, type, query, current value)
    pub variables: Vec<(String, String, String, String)>,
}

pub fn dashboard(json: &Value) -> Dashboard {
    fn panels(list: &Value, out: &mut Vec<(String, String)>) {
        for p in list.as_array().map(Vec::as_slice).unwrap_or_default() {
            let title = p
                .get("title")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            for t in p
                .get("targets")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                if let Some(expr) = t.get("expr").and_then(Value::as_str) {
                    out.push((title.clone(), expr.to_string()));
                }
            }
            if let Some(nested) = p.get("panels") {
                panels(nested, out);
            }
        }
    }
    let mut d = Dashboard::default();
    if let Some(list) = json.get("panels") {
        panels(list, &mut d.exprs);
    }
    let vars = json
        .pointer("/templating/list")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    for v in vars {
        let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let query = match v.get("query") {
            Some(Value::String(q)) => q.clone(),
            Some(q) => q
                .get("query")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            None => String::new(),
        };
        let current = v
            .pointer("/current/value")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        d.variables.push((s("name"), s("type"), query, current));
    }
    d
}

/// Grafana's `$__rate_interval` for a 15 s scrape interval (the Prometheus default): four
/// scrape intervals, `max($__interval + scrape, 4 × scrape)` (Grafana docs, "Prometheus
/// template variables"); the test substitutes it.
pub const RATE_INTERVAL: &str = "1m";

/// `expr` with the dashboard's variables replaced by their current values (`$name`,
/// `${name}`) and Grafana's `$__rate_interval`/`$__interval`; `Err` naming a `$` left over.
pub fn substitute(expr: &str, variables: &[(String, String)]) -> Result<String, String> {
    let mut out = expr
        .replace("$__rate_interval", RATE_INTERVAL)
        .replace("${__rate_interval}", RATE_INTERVAL)
        .replace("$__interval", RATE_INTERVAL);
    // Longest names first, so `$cluster_name` is not cut by `$cluster`.
    let mut vars: Vec<&(String, String)> = variables.iter().collect();
    vars.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
    for (name, value) in vars {
        out = out
            .replace(&format!("${{{name}}}"), value)
            .replace(&format!("${name}"), value);
    }
    match out.find('$') {
        Some(at) => Err(format!(
            "unknown variable at {at} in {expr:?} (after substitution: {out:?})"
        )),
        None => Ok(out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readers_find_the_queries() {
        let md = "text `rate(scalelens_gateway_x[5m])` and `scalelens_gateway_y` plain\n\
                  ```promql\n# comment\nsum(scalelens_gateway_a)\n\nmax(b)\n```\n\
                  ```sh\nnot(a_query)\n```\n";
        assert_eq!(promql_blocks(md), ["sum(scalelens_gateway_a)", "max(b)"]);
        assert_eq!(inline_queries(md), ["rate(scalelens_gateway_x[5m])"]);
        let rule = AdapterRule {
            series_query: "m{cluster!=\"\"}".into(),
            metrics_query: "sum(<<.Series>>{<<.LabelMatchers>>}) by (cluster)".into(),
            exposed: "m".into(),
            overrides: vec!["namespace".into()],
        };
        assert_eq!(
            rule.expand(&[("cluster".into(), "vllm".into())], "llm"),
            "sum(m{cluster=\"vllm\",namespace=\"llm\"}) by (cluster)"
        );
        let vars = [("cluster".to_string(), "vllm".to_string())];
        assert_eq!(
            substitute("rate(x{cluster=\"$cluster\"}[$__rate_interval])", &vars),
            Ok("rate(x{cluster=\"vllm\"}[1m])".to_string())
        );
        assert!(substitute("x{a=\"$unknown\"}", &vars).is_err());
    }
}
