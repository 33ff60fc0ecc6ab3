//! Harness for the tests that run the gateway's PromQL through a real Prometheus
//! (`tests/tests/gateway_prometheus.rs`): Debian's `prometheus` package (2.42) started as a
//! child process on 127.0.0.1 (killed on drop), storage in a scratch directory, a 1 s scrape
//! interval; its HTTP API queried with the harness's own HTTP client; and the readers that
//! pull every PromQL query out of the files that give them (README, deploy recipes, the
//! Grafana dashboard), so a recipe edit is what gets tested.
//!
//! **Finding Prometheus.** `$SCALELENS_PROMETHEUS` (`.ci/run` sets it after installing the
//! package: in CI a missing binary FAILS the tests, as a missing Envoy does), else
//! `prometheus` on `PATH`. Without either, and without `CI` in the environment, the tests
//! skip with a message saying how to install it ([`prometheus_binary`]).

use crate::envoy::{free_port, http, scratch_dir};
use scalelens_core::yaml::{self, Node};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// How to get Prometheus, for messages.
pub const INSTALL: &str = "install Debian's package (`apt-get install -y prometheus`, do not \
     start its service) or set SCALELENS_PROMETHEUS to a prometheus binary";

/// The Prometheus binary: `$SCALELENS_PROMETHEUS` (must be a file: a panic otherwise), else
/// `prometheus` on `PATH`; `None` when neither exists outside CI (the caller skips with
/// [`INSTALL`]). With `CI` set and no binary, a panic: CI installs it, so its absence is a
/// failure, never a skip.
pub fn prometheus_binary() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("SCALELENS_PROMETHEUS") {
        let path = PathBuf::from(path);
        assert!(
            path.is_file(),
            "SCALELENS_PROMETHEUS={} is not a file: {INSTALL}",
            path.display()
        );
        return Some(path);
    }
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("prometheus"))
            .find(|p| p.is_file())
    });
    if on_path.is_none() && std::env::var_os("CI").is_some() {
        panic!("Prometheus not found and CI is set: {INSTALL}");
    }
    on_path
}

/// One scrape job of the test Prometheus: `127.0.0.1:port` at `path`, with static labels
/// (what Kubernetes service discovery would attach, e.g. `namespace`).
pub struct Target {
    pub job: &'static str,
    pub port: u16,
    pub path: &'static str,
    pub labels: Vec<(&'static str, &'static str)>,
}

/// Scrape and rule evaluation interval of the test Prometheus (1 s: a test waits seconds,
/// not the default minute).
pub const SCRAPE_INTERVAL: &str = "1s";

/// The Prometheus configuration for `targets`.
pub fn config_yaml(targets: &[Target]) -> String {
    let mut out = format!(
        "global:\n  scrape_interval: {SCRAPE_INTERVAL}\n  evaluation_interval: {SCRAPE_INTERVAL}\n\
         scrape_configs:\n"
    );
    for t in targets {
        out.push_str(&format!(
            "  - job_name: {}\n    metrics_path: {}\n    static_configs:\n      - targets: ['127.0.0.1:{}']\n",
            t.job, t.path, t.port
        ));
        if !t.labels.is_empty() {
            out.push_str("        labels:\n");
            for (k, v) in &t.labels {
                out.push_str(&format!("          {k}: '{v}'\n"));
            }
        }
    }
    out
}

/// A running Prometheus, killed (and reaped) on drop; its scratch directory (config, TSDB,
/// log) is removed unless the test failed.
pub struct Prometheus {
    child: Child,
    pub port: u16,
    dir: PathBuf,
}

/// One series of an instant query's result: its labels and value.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub labels: BTreeMap<String, String>,
    pub value: f64,
}

impl Prometheus {
    /// Start `binary` scraping `targets`, and wait until it is ready and has scraped every
    /// target once (`up == 1` for each job), at most 30 s.
    pub fn start(binary: &Path, targets: &[Target]) -> Prometheus {
        let dir = scratch_dir("prometheus");
        let config = dir.join("prometheus.yml");
        std::fs::write(&config, config_yaml(targets)).expect("write prometheus.yml");
        let log = std::fs::File::create(dir.join("prometheus.log")).expect("prometheus.log");
        let port = free_port();
        let child = Command::new(binary)
            .arg(format!("--config.file={}", config.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.join("data").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .arg("--log.level=warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("spawn {}: {e}", binary.display()));
        let mut p = Prometheus { child, port, dir };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(Some(status)) = p.child.try_wait() {
                panic!("Prometheus exited with {status}; log:\n{}", p.log());
            }
            let ready = http(port, "GET", "/-/ready", &[], "").is_ok_and(|r| r.status == 200);
            let all_up = ready
                && targets.iter().all(|t| {
                    p.query(&format!("up{{job=\"{}\"}}", t.job))
                        .is_ok_and(|s| s.iter().any(|s| s.value == 1.0))
                });
            if all_up {
                return p;
            }
            assert!(
                Instant::now() < deadline,
                "Prometheus not ready with every target up in 30 s; log:\n{}",
                p.log()
            );
            thread::sleep(Duration::from_millis(200));
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("prometheus.log")).unwrap_or_default()
    }

    /// `GET /api/v1/<endpoint>?<params>` as JSON; `Err` with Prometheus's `error` for a bad
    /// query (`status: error`), or the transport failure.
    pub fn api(&self, endpoint: &str, params: &[(&str, &str)]) -> Result<Value, String> {
        let query: Vec<String> = params
            .iter()
            .map(|(k, v)| format!("{}={}", url_encode(k), url_encode(v)))
            .collect();
        let path = format!("/api/v1/{endpoint}?{}", query.join("&"));
        let r = http(self.port, "GET", &path, &[], "")?;
        let json: Value = serde_json::from_slice(&r.body)
            .map_err(|e| format!("{endpoint}: HTTP {} not JSON ({e}): {}", r.status, r.text()))?;
        if json.get("status").and_then(Value::as_str) != Some("success") {
            return Err(format!(
                "{}: {}",
                json.get("errorType")
                    .and_then(Value::as_str)
                    .unwrap_or("error"),
                json.get("error").and_then(Value::as_str).unwrap_or("?")
            ));
        }
        Ok(json.get("data").cloned().unwrap_or(Value::Null))
    }

    /// An instant query (`/api/v1/query`) at the current time: its vector (a scalar result
    /// is one sample without labels). `Err` when Prometheus refuses it (parse errors among
    /// them) or returns another result type.
    pub fn query(&self, promql: &str) -> Result<Vec<Sample>, String> {
        let data = self.api("query", &[("query", promql)])?;
        let kind = data.get("resultType").and_then(Value::as_str);
        let result = data.get("result").cloned().unwrap_or(Value::Null);
        let value_of = |v: &Value| -> Result<f64, String> {
            v.get(1)
                .and_then(Value::as_str)
                .ok_or_else(|| format!("no value in {v}"))?
                .parse::<f64>()
                .map_err(|e| format!("value in {v}: {e}"))
        };
        match kind {
            Some("vector") => result
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .map(|s| {
                    let labels = s
                        .get("metric")
                        .and_then(Value::as_object)
                        .map(|m| {
                            m.iter()
                                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                                .collect()
                        })
                        .unwrap_or_default();
                    Ok(Sample {
                        labels,
                        value: value_of(s.get("value").unwrap_or(&Value::Null))?,
                    })
                })
                .collect(),
            Some("scalar") => Ok(vec![Sample {
                labels: BTreeMap::new(),
                value: value_of(&result)?,
            }]),
            other => Err(format!("result type {other:?}, not an instant vector")),
        }
    }

    /// The series matching a selector (`/api/v1/series`), as label maps.
    pub fn series(&self, selector: &str) -> Result<Vec<BTreeMap<String, String>>, String> {
        let data = self.api("series", &[("match[]", selector)])?;
        Ok(data
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                    .collect()
            })
            .collect())
    }

    /// The values of `label` on series matching `selector` (`/api/v1/label/<label>/values`):
    /// what Grafana's `label_values(selector, label)` variable query lists.
    pub fn label_values(&self, selector: &str, label: &str) -> Result<Vec<String>, String> {
        let data = self.api(&format!("label/{label}/values"), &[("match[]", selector)])?;
        Ok(data
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect())
    }
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if !thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Percent-encoding of a query-string component (RFC 3986 unreserved characters kept).
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A loopback HTTP server answering every request with one fixed Prometheus text exposition:
/// a stand-in for an exporter the tests do not run (kube-state-metrics' Deployment replicas).
/// Stopped on drop.
pub struct Exposition {
    pub port: u16,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Exposition {
    pub fn serve(body: &str) -> Exposition {
        use std::io::{BufRead, BufReader, Write};
        use std::sync::atomic::{AtomicBool, Ordering};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind exposition");
        let port = listener.local_addr().expect("exposition addr").port();
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let stop2 = stop.clone();
        let body = body.to_string();
        thread::spawn(move || {
            for conn in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(mut conn) = conn else { continue };
                // Read the request head, answer, close.
                let mut reader = BufReader::new(match conn.try_clone() {
                    Ok(c) => c,
                    Err(_) => continue,
                });
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                    line.clear();
                }
                let _ = write!(
                    conn,
                    "HTTP/1.1 200 OK\r\ncontent-type: text/plain; version=0.0.4\r\n\
                     content-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        Exposition { port, stop }
    }
}

impl Drop for Exposition {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        let _ = std::net::TcpStream::connect(("127.0.0.1", self.port));
    }
}

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
        assert_eq!(url_encode("a b{c=\"d\"}"), "a%20b%7Bc%3D%22d%22%7D");
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
