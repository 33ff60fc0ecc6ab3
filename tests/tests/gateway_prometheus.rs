//! Every PromQL query the project gives for the gateway filter, run through a real Prometheus
//! (Debian's `prometheus` 2.42, `tests/src/prometheus.rs`; the readers: `tests/src/promql.rs`) scraping the real Envoy + filter
//! (`tests/src/envoy.rs`) after known traffic, through the HTTP API (`/api/v1/query`). The
//! queries are read from where they are written, so editing a recipe is what gets tested:
//! the gateway page's ```` ```promql ```` block (`docs/src/gateway.md`; every inline query of the
//! page must be in it), the
//! KEDA `ScaledObject`'s trigger, the prometheus-adapter rules expanded for the HPA's
//! selector, and every panel of the Grafana dashboard. A query that Prometheus refuses, that
//! returns nothing, or whose value is not the one the traffic implies fails the test.
//!
//! The live test is `#[ignore]`d (it needs Envoy and the built .wasm, like `gateway_envoy.rs`)
//! and run by `cargo xtask test`. Without Prometheus it skips with a message, except in CI
//! (`CI`, `SCALELENS_REQUIRE_PROMETHEUS` or `SCALELENS_PROMETHEUS` set: `.ci/run` installs it),
//! where it fails. The readers' checks need neither and always run.

use scalelens_core::yaml::Node;
use scalelens_tests::envoy::{
    chat_body, hold, http, workspace_root, Envoy, EnvoyConfig, Upstream, CHAT, MODEL,
};
use scalelens_tests::paths::scalelens_binary;
use scalelens_tests::prometheus::{
    prometheus_or_skip, FakeServer, Options, Prometheus, Reply, Sample, Scrape,
};
use scalelens_tests::promql::{
    self as prom, adapter_rules, inline_queries, keda_queries, promql_blocks, substitute, Query,
};
use scalelens_tests::{of_kind, yaml_documents};
use std::thread;
use std::time::{Duration, Instant};

/// The cluster every recipe selects (`cluster="vllm"`): the example's cluster name.
const CLUSTER: &str = "vllm";
/// Requests held open while the queries run: 4 JSON requests and one long stream.
const HELD: f64 = 5.0;
/// The Deployment replicas the kube-state-metrics stand-in reports.
const REPLICAS: f64 = 3.0;
/// The namespace the stand-in for Kubernetes service discovery puts on the gateway's series
/// (and the HPA's namespace: prometheus-adapter adds it to its matchers).
const NAMESPACE: &str = "llm";

/// The docs page that documents the gateway filter: its queries and metric table.
const GATEWAY_PAGE: &str = "docs/src/gateway.md";

fn read(file: &str) -> String {
    std::fs::read_to_string(workspace_root().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The HPA's External metric: (name, `selector.matchLabels`, the HPA's namespace).
fn hpa_external_metric() -> (String, Vec<(String, String)>, String) {
    let docs = yaml_documents("plugin/deploy/hpa.yaml");
    let hpa = of_kind(&docs, "HorizontalPodAutoscaler");
    let namespace = hpa
        .path(&["metadata", "namespace"])
        .and_then(Node::as_str)
        .expect("the HPA's namespace")
        .to_string();
    let metric = hpa
        .path(&["spec", "metrics"])
        .and_then(Node::as_sequence)
        .and_then(|m| m.first())
        .and_then(|m| m.path(&["external", "metric"]))
        .expect("an External metric");
    let name = metric
        .get("name")
        .and_then(Node::as_str)
        .expect("its name")
        .to_string();
    let selector = metric
        .path(&["selector", "matchLabels"])
        .and_then(Node::as_mapping)
        .unwrap_or_default()
        .iter()
        .map(|(k, v)| (k.value.clone(), v.as_str().unwrap_or("").to_string()))
        .collect();
    (name, selector, namespace)
}

/// The dashboard, parsed.
fn dashboard() -> prom::Dashboard {
    let file = "plugin/deploy/grafana-dashboard.json";
    let json: serde_json::Value =
        serde_json::from_str(&read(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    prom::dashboard(&json)
}

/// The dashboard's variables with their current values (the datasource variable has none in
/// a query).
fn dashboard_variables(d: &prom::Dashboard) -> Vec<(String, String)> {
    d.variables
        .iter()
        .filter(|(_, kind, _, _)| kind != "datasource")
        .map(|(name, _, _, current)| (name.clone(), current.clone()))
        .collect()
}

/// Every query, with where it is written, ready to run (adapter rules expanded for the HPA's
/// selector, dashboard variables substituted).
fn all_queries() -> Vec<Query> {
    let mut out = Vec::new();
    let readme = read(GATEWAY_PAGE);
    for q in promql_blocks(&readme) {
        out.push(Query {
            source: format!("{GATEWAY_PAGE} (promql block)"),
            promql: q,
        });
    }
    for q in keda_queries(&read("plugin/deploy/keda-scaledobject.yaml")) {
        out.push(Query {
            source: "plugin/deploy/keda-scaledobject.yaml".into(),
            promql: q,
        });
    }
    let (_, selector, namespace) = hpa_external_metric();
    for rule in adapter_rules(&read("plugin/deploy/prometheus-adapter.yaml")) {
        out.push(Query {
            source: format!(
                "plugin/deploy/prometheus-adapter.yaml ({}, for hpa.yaml's selector)",
                rule.exposed
            ),
            promql: rule.expand(&selector, &namespace),
        });
    }
    let d = dashboard();
    let vars = dashboard_variables(&d);
    for (title, expr) in &d.exprs {
        let promql = substitute(expr, &vars)
            .unwrap_or_else(|e| panic!("grafana-dashboard.json panel {title:?}: {e}"));
        out.push(Query {
            source: format!("plugin/deploy/grafana-dashboard.json panel {title:?}"),
            promql,
        });
    }
    out
}

/// What a query must return after the test's traffic, by the first metric name it mentions
/// (in this order: a ratio of errors to requests is judged as errors).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Want {
    /// Every sample equals this.
    Eq(f64),
    /// Every sample finite and > 0.
    Positive,
    /// 0 or 1 (a flag).
    Flag,
}

const EXPECTED: &[(&str, Want)] = &[
    (
        "kube_deployment_status_replicas_available",
        Want::Eq(REPLICAS),
    ),
    ("scalelens_gateway_desired_pods", Want::Eq(HELD)),
    ("scalelens_gateway_in_flight_requests", Want::Eq(HELD)),
    ("scalelens_gateway_stable_concurrency", Want::Eq(HELD)),
    ("scalelens_gateway_panic_concurrency", Want::Eq(HELD)),
    ("scalelens_gateway_panic_mode", Want::Flag),
    ("scalelens_gateway_errors_total", Want::Positive),
    ("scalelens_gateway_uninspected_total", Want::Positive),
    ("scalelens_gateway_malformed_bodies_total", Want::Positive),
    (
        "scalelens_gateway_time_to_first_token_milliseconds",
        Want::Positive,
    ),
    (
        "scalelens_gateway_time_per_output_token_milliseconds",
        Want::Positive,
    ),
    ("scalelens_gateway_completion_tokens_total", Want::Positive),
    ("scalelens_gateway_tokens_per_second", Want::Positive),
    ("scalelens_gateway_requests_total", Want::Positive),
];

/// The expectation of a query: the first [`EXPECTED`] metric it mentions.
fn expectation(promql: &str) -> Option<Want> {
    EXPECTED
        .iter()
        .filter_map(|(metric, want)| promql.find(metric).map(|at| (at, *want)))
        .min_by_key(|(at, _)| *at)
        .map(|(_, want)| want)
}

/// Label values the traffic can produce; any other value of these labels is a wrong series.
const LABEL_VALUES: &[(&str, &[&str])] = &[
    ("cluster", &[CLUSTER]),
    ("model", &[MODEL, "other", "unknown"]),
    (
        "class",
        &["5xx", "reset", "client_cancel", "local", "stream"],
    ),
    ("reason", &["request_too_large", "response_too_large"]),
    ("kind", &["request", "response", "sse"]),
];

/// `Ok` when the samples are what `want` says.
fn check(samples: &[Sample], want: Want) -> Result<(), String> {
    if samples.is_empty() {
        return Err("no series".into());
    }
    for s in samples {
        for (label, allowed) in LABEL_VALUES {
            if let Some(v) = s.labels.get(*label) {
                if !allowed.contains(&v.as_str()) {
                    return Err(format!("unexpected {label}=\"{v}\" in {:?}", s.labels));
                }
            }
        }
        let ok = match want {
            Want::Eq(x) => s.value == x,
            Want::Positive => s.value.is_finite() && s.value > 0.0,
            Want::Flag => s.value == 0.0 || s.value == 1.0,
        };
        if !ok {
            return Err(format!("{} {:?}: want {want:?}", s.value, s.labels));
        }
    }
    Ok(())
}

/// What is read where, without Prometheus: each source gives queries, the gateway page's inline
/// queries are all in its promql block, the HPA's metric has an adapter rule, every
/// dashboard variable and every query has an expectation.
#[test]
fn every_source_gives_queries_with_an_expectation() {
    let readme = read(GATEWAY_PAGE);
    let block = promql_blocks(&readme);
    assert!(block.len() >= 5, "{GATEWAY_PAGE}'s promql block: {block:?}");
    for q in inline_queries(&readme) {
        assert!(
            block.contains(&q),
            "{GATEWAY_PAGE} writes the query `{q}` outside its ```promql block: add it there so a test runs it"
        );
    }
    let queries = all_queries();
    for source in [
        GATEWAY_PAGE,
        "keda-scaledobject.yaml",
        "prometheus-adapter.yaml",
        "grafana-dashboard.json",
    ] {
        assert!(
            queries.iter().any(|q| q.source.contains(source)),
            "no query read from {source}"
        );
    }
    let (name, selector, _) = hpa_external_metric();
    let rules = adapter_rules(&read("plugin/deploy/prometheus-adapter.yaml"));
    assert!(
        rules.iter().any(|r| r.exposed == name),
        "hpa.yaml's External metric {name} is served by no prometheus-adapter rule: {rules:?}"
    );
    assert_eq!(
        selector,
        [("cluster".to_string(), CLUSTER.to_string())],
        "hpa.yaml's selector"
    );
    for q in &queries {
        assert!(
            expectation(&q.promql).is_some(),
            "{}: no expectation for `{}`: add its metric to EXPECTED",
            q.source,
            q.promql
        );
    }
    // The dashboard: every panel queries something; the cluster variable lists clusters.
    let d = dashboard();
    assert!(d.exprs.len() >= 8, "{:?}", d.exprs);
    let names: Vec<&str> = d.variables.iter().map(|v| v.0.as_str()).collect();
    assert_eq!(names, ["datasource", "cluster", "namespace", "deployment"]);
    let panels = [
        "in_flight_requests",
        "desired_pods",
        "kube_deployment_status_replicas_available",
        "requests_total",
        "errors_total",
        "tokens_per_second",
        "time_to_first_token",
    ];
    for metric in panels {
        assert!(
            d.exprs.iter().any(|(_, e)| e.contains(metric)),
            "the dashboard shows {metric}"
        );
    }
}

/// Run `promql` until `want` holds or `deadline`; the last error otherwise.
fn run_until(
    p: &Prometheus,
    promql: &str,
    want: Want,
    deadline: Instant,
) -> Result<Vec<Sample>, String> {
    loop {
        let result = p.query(promql).and_then(|s| check(&s, want).map(|()| s));
        match result {
            Ok(s) => return Ok(s),
            // A query Prometheus refuses will not get better.
            Err(e) if e.starts_with("bad_data") => return Err(e),
            Err(e) if Instant::now() > deadline => return Err(e),
            Err(_) => thread::sleep(Duration::from_millis(300)),
        }
    }
}

/// Requests that make every metric move (round 1 creates the series, round 2, after a scrape
/// and Envoy's 5 s histogram flush, makes the rates non-zero).
fn traffic_round(envoy: &Envoy) {
    let send =
        |scenario, stream, extra: &[(&str, &str)]| envoy.chat(scenario, MODEL, stream, extra);
    for _ in 0..3 {
        assert_eq!(send("json", false, &[]).status, 200);
        let r = send(
            "sse",
            true,
            &[
                ("x-test-chunks", "4"),
                ("x-test-delay-ms", "20"),
                ("x-test-prompt", "7"),
                ("x-test-completion", "4"),
            ],
        );
        assert!(r.text().ends_with("data: [DONE]\n\n"));
    }
    assert_eq!(send("error500", false, &[]).status, 500);
    // Over the test's 1 024-byte `max_body_bytes`: uninspected.
    assert_eq!(send("json", false, &[("x-test-pad", "2000")]).status, 200);
    assert_eq!(send("malformed-json", false, &[]).status, 200);
}

#[test]
#[ignore = "needs Envoy, the built .wasm and Prometheus; run by `cargo xtask test`"]
fn every_documented_query_returns_the_expected_values_from_a_real_prometheus() {
    let Some(binary) = prometheus_or_skip(
        "every_documented_query_returns_the_expected_values_from_a_real_prometheus",
    ) else {
        return;
    };
    let upstream = Upstream::start();
    let config = EnvoyConfig::in_front_of(
        upstream.port,
        Some(format!(
            r#"{{"models":["{MODEL}"],"stable_window":"6s","max_body_bytes":1024,"target":{{"concurrency_per_pod":1,"utilization_percentage":100}}}}"#
        )),
    );
    let envoy = Envoy::start_or_panic(&config);
    // kube-state-metrics' Deployment series (its docs: metrics/workload/deployment-metrics.md).
    let ksm = FakeServer::start(Reply::Canned {
        status: 200,
        content_type: "text/plain; version=0.0.4",
        body: format!(
            "# TYPE kube_deployment_status_replicas_available gauge\n\
             kube_deployment_status_replicas_available{{namespace=\"{NAMESPACE}\",deployment=\"vllm\"}} {REPLICAS}\n"
        )
        .into_bytes(),
    });
    let prometheus = Prometheus::start(
        &binary,
        &Options {
            scrape: vec![
                Scrape::loopback("envoy", envoy.admin_port, "/stats/prometheus")
                    .label("namespace", NAMESPACE)
                    .label("pod", "gateway-0"),
                Scrape {
                    job: "kube-state-metrics".into(),
                    target: ksm.url().trim_start_matches("http://").to_string(),
                    metrics_path: "/metrics".into(),
                    labels: vec![],
                },
            ],
            ..Options::default()
        },
    );
    let queries = all_queries();

    traffic_round(&envoy);
    // A scrape of round 1 after Envoy's histogram flush, then round 2.
    thread::sleep(Duration::from_millis(6_500));
    traffic_round(&envoy);
    // Hold 5 requests for 15 s: 4 JSON answers held by the upstream, and one stream of 150
    // content events 100 ms apart (tokens flow while the queries run).
    let port = envoy.listener_port;
    let mut held = hold(port, 4, 15_000);
    held.push(thread::spawn(move || {
        http(
            port,
            "POST",
            CHAT,
            &[
                ("x-test-scenario", "sse"),
                ("x-test-chunks", "150"),
                ("x-test-delay-ms", "100"),
            ],
            &chat_body(MODEL, true),
        )
    }));
    let hold_start = Instant::now();
    // The 6 s stable window holds only the held load after 7.5 s.
    thread::sleep(Duration::from_millis(7_500));
    let deadline = hold_start + Duration::from_millis(13_500);
    let mut failures = Vec::new();
    for q in &queries {
        let want = expectation(&q.promql).unwrap_or(Want::Positive);
        if let Err(e) = run_until(&prometheus, &q.promql, want, deadline) {
            failures.push(format!("{}: `{}`: {e}", q.source, q.promql));
        }
    }
    // The adapter's series queries and the dashboard's cluster variable list the cluster.
    for rule in adapter_rules(&read("plugin/deploy/prometheus-adapter.yaml")) {
        match prometheus.series(&rule.series_query) {
            Ok(s) if !s.is_empty() => {}
            other => failures.push(format!(
                "prometheus-adapter.yaml seriesQuery `{}`: {other:?}",
                rule.series_query
            )),
        }
    }
    for (name, kind, query, current) in dashboard().variables {
        if kind != "query" {
            continue;
        }
        let args = query
            .strip_prefix("label_values(")
            .and_then(|q| q.strip_suffix(')'))
            .and_then(|q| q.rsplit_once(','))
            .map(|(selector, label)| (selector.trim().to_string(), label.trim().to_string()));
        let Some((selector, label)) = args else {
            failures.push(format!("dashboard variable {name}: query {query:?}"));
            continue;
        };
        match prometheus.label_values(&selector, &label) {
            Ok(values) if values.contains(&current) => {}
            other => failures.push(format!(
                "dashboard variable {name}: {query} gives {other:?}, not its current {current:?}"
            )),
        }
    }
    for h in held.drain(..) {
        let r = h.join().expect("held client").expect("held request");
        assert_eq!(r.status, 200);
    }
    assert!(
        failures.is_empty(),
        "{} of {} queries failed against the real Prometheus:\n{}\n\nscrape:\n{}",
        failures.len(),
        queries.len(),
        failures.join("\n"),
        envoy.prometheus().dump("scalelens_")
    );
}

/// The gateway page's metric table lists every metric the filter defines, with its type and labels
/// (`scalelens_gateway::metric_catalogue::CATALOGUE`), and nothing else.
#[test]
fn readme_metric_table_matches_the_catalogue() {
    use scalelens_gateway::metric_catalogue::{MetricType, CATALOGUE};
    let readme = read(GATEWAY_PAGE);
    let rows: Vec<Vec<String>> = readme
        .lines()
        .filter(|l| l.starts_with("| `scalelens_gateway_"))
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect();
    let names: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.first())
        .map(|n| n.trim_matches('`'))
        .collect();
    let mut want: Vec<&str> = CATALOGUE.iter().map(|m| m.name).collect();
    let mut got = names.clone();
    want.sort_unstable();
    got.sort_unstable();
    assert_eq!(got, want, "{GATEWAY_PAGE}'s metric table and CATALOGUE");
    for def in CATALOGUE {
        let row = rows
            .iter()
            .find(|r| r.first().map(|n| n.trim_matches('`')) == Some(def.name))
            .expect("a row");
        let kind = match def.kind {
            MetricType::Counter => "counter",
            MetricType::Gauge => "gauge",
            MetricType::Histogram => "histogram",
        };
        assert_eq!(row.get(1).map(String::as_str), Some(kind), "{}", def.name);
        let labels: Vec<String> = def
            .labels
            .iter()
            .map(|l| format!("{l:?}").to_lowercase())
            .collect();
        assert_eq!(
            row.get(3).cloned(),
            Some(labels.join(", ")),
            "{}: labels",
            def.name
        );
    }
}

/// Requests held open together in the replay test's burst (3 pods' worth at the HPA
/// recipe's 8 per pod).
const BURST: u64 = 24;
/// The replay window, in seconds from its start `t0`: the burst starts at 3 s and holds for
/// 17 s, so the HPA recipe's syncs (every 15 s from `t0`: Kubernetes'
/// `--horizontal-pod-autoscaler-sync-period` default) see 0 at 0 s, the burst at 15 s and 0
/// again at 30 s, each at least 3 s from an edge.
const BURST_FROM_S: u64 = 3;
const BURST_HOLD_S: u64 = 17;
const WINDOW_S: u64 = 30;

/// Unix seconds now.
fn unix_now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs_f64()
}

/// Sleep until Unix time `t` (seconds).
fn sleep_until(t: f64) {
    let left = t - unix_now();
    if left > 0.0 {
        thread::sleep(Duration::from_secs_f64(left));
    }
}

/// Traffic → the filter in Envoy → a real Prometheus scraping Envoy's admin endpoint →
/// `scalelens simulate --prometheus URL --query Q` replaying the HPA recipe
/// (`plugin/deploy/hpa.yaml`, 8 in-flight requests per pod) on what the gateway saw, end to
/// end, in one test: 1 quick request, then 24 requests held 17 s together (about 45 s in all,
/// loopback only). The query is the gateway page's first (the in-flight sum `hpa.yaml` scales on). The
/// series Prometheus holds has a point every second with 24 during the burst and 0 around it;
/// the replay reads that demand at each HPA sync and scales 1 → 3 at the sync in the burst
/// (then holds 3: the recipe's 5-minute scale-down stabilization).
#[test]
#[ignore = "needs Envoy, the built .wasm and Prometheus; run by `cargo xtask test`"]
fn a_replay_of_the_hpa_recipe_on_what_the_gateway_saw_follows_the_traffic() {
    let Some(binary) = prometheus_or_skip(
        "a_replay_of_the_hpa_recipe_on_what_the_gateway_saw_follows_the_traffic",
    ) else {
        return;
    };
    let query = promql_blocks(&read(GATEWAY_PAGE))
        .into_iter()
        .next()
        .expect("the gateway page's promql block");
    assert_eq!(
        query, "sum by (cluster) (scalelens_gateway_in_flight_requests{cluster=\"vllm\"})",
        "the gateway page's first query is the in-flight sum the HPA recipe scales on"
    );
    let upstream = Upstream::start();
    let config =
        EnvoyConfig::in_front_of(upstream.port, Some(format!(r#"{{"models":["{MODEL}"]}}"#)));
    let envoy = Envoy::start_or_panic(&config);
    let prometheus = Prometheus::start(
        &binary,
        &Options {
            scrape: vec![Scrape::loopback(
                "envoy",
                envoy.admin_port,
                "/stats/prometheus",
            )],
            ..Options::default()
        },
    );
    // One request creates the in-flight series (at 0 once it is done); wait until Prometheus
    // has scraped it, so that the window has a point every second from its start.
    let r = envoy
        .request(CHAT, &[], &chat_body(MODEL, false))
        .expect("the first request");
    assert_eq!(r.status, 200);
    let deadline = Instant::now() + Duration::from_secs(20);
    while !prometheus
        .query(&query)
        .is_ok_and(|s| s.len() == 1 && s[0].value == 0.0)
    {
        assert!(
            Instant::now() < deadline,
            "no in-flight series at 0 in Prometheus: {:?}\n{}",
            prometheus.query(&query),
            envoy.prometheus().dump("scalelens_")
        );
        thread::sleep(Duration::from_millis(200));
    }
    let t0 = unix_now().ceil() as u64;
    sleep_until((t0 + BURST_FROM_S) as f64);
    let burst = hold(envoy.listener_port, BURST, BURST_HOLD_S * 1000);
    for h in burst {
        let r = h.join().expect("burst client").expect("burst request");
        assert_eq!(r.status, 200);
    }
    // One scrape after the window's end.
    sleep_until((t0 + WINDOW_S) as f64 + 1.5);
    let (from, to) = (t0.to_string(), (t0 + WINDOW_S).to_string());

    // What Prometheus holds: a point every second, 24 during the burst, 0 around it.
    let range = prometheus
        .api(
            "query_range",
            &[
                ("query", &query),
                ("start", &from),
                ("end", &to),
                ("step", "1"),
            ],
        )
        .expect("query_range");
    let values: Vec<(u64, f64)> = range["result"][0]["values"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| {
            let t = p.get(0)?.as_f64()? as u64;
            let v = p.get(1)?.as_str()?.parse().ok()?;
            Some((t - t0, v))
        })
        .collect();
    assert_eq!(
        values.len() as u64,
        WINDOW_S + 1,
        "one point a second: {values:?}"
    );
    for &(t, v) in &values {
        // 2 s at each edge for the 100 ms tick, the 1 s scrape and the requests' start.
        let inside = (BURST_FROM_S + 2..=BURST_FROM_S + BURST_HOLD_S - 1).contains(&t);
        let outside = !(BURST_FROM_S..=BURST_FROM_S + BURST_HOLD_S + 2).contains(&t);
        if inside {
            assert_eq!(v, BURST as f64, "in-flight at {t} s: {values:?}");
        } else if outside {
            assert_eq!(v, 0.0, "in-flight at {t} s: {values:?}");
        } else {
            assert!((0.0..=BURST as f64).contains(&v), "{t} s: {values:?}");
        }
    }

    // The replay of the HPA recipe on it, as a user runs it.
    let out = std::process::Command::new(scalelens_binary())
        .current_dir(workspace_root())
        .env_remove("SCALELENS_PROMETHEUS_TOKEN")
        .args(["simulate", "plugin/deploy/hpa.yaml", "--format", "json"])
        .args(["--prometheus", &prometheus.url(), "--query", &query])
        .args(["--from", &from, "--to", &to, "--step", "1s"])
        .args(["--pod-startup", "5s"])
        .output()
        .expect("scalelens runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    let json: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    assert_eq!(json["samples"]["format"], "prometheus-json", "{stdout}");
    assert_eq!(json["samples"]["series"], 1, "{stdout}");
    // (t, demand, replicas, desired) at each HPA sync: `replicas` is the count the sync
    // found, `desired` what it decided.
    let rows: Vec<(u64, f64, u64, u64)> = json["timeline"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|r| {
            (
                r["t"].as_u64().unwrap_or(u64::MAX),
                r["demand"].as_f64().unwrap_or(f64::NAN),
                r["replicas"].as_u64().unwrap_or(0),
                r["desired"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let pods = BURST.div_ceil(8);
    assert_eq!(
        rows,
        [
            (0, 0.0, 1, 1),
            (15, BURST as f64, 1, pods),
            (30, 0.0, pods, pods)
        ],
        "(t, demand, replicas, desired) at each HPA sync:\n{stdout}"
    );
}
