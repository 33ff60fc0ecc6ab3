//! `--prometheus URL --query Q`: the `scalelens` binary reading samples from a real Prometheus
//! (Debian's `prometheus` 2.42, [`scalelens_tests::prometheus`]) fed known data by `promtool`
//! backfill, and from a loopback server that plays a broken or protected one.
//!
//! - The replay through Prometheus equals the replay of the same data given as a file (the
//!   OpenMetrics text Prometheus was fed): same timeline, same explanation, same diagnostics.
//! - Every failure is one clear line, exit 2 (table: bad URLs, Prometheus' own 400 error, a query
//!   with no series, too many points, connection refused, a missing token variable, non-JSON,
//!   `"status": "error"`, a truncated body, a body not UTF-8, an oversized body, no answer in
//!   time).
//! - A bearer token from the environment is sent as `Authorization: Bearer`, never printed.
//! - https with a private CA (`--prometheus-ca`), and the refusal without it.
//! - The harness itself scrapes a loopback target (what the Envoy tests build on).
//!
//! These tests skip, saying so, when Prometheus is not installed (`apt-get install -y
//! prometheus`); they never skip because of anything else, and in CI (`CI`, or
//! `SCALELENS_REQUIRE_PROMETHEUS` which `.ci/run` sets, or `SCALELENS_PROMETHEUS`) a missing
//! binary fails ([`prometheus_or_skip`]).

use std::path::Path;
use std::process::Command;

use scalelens_tests::paths::{scalelens_binary, workspace_root};
use scalelens_tests::prometheus::{
    free_port, prometheus_or_skip, scratch_dir, FakeServer, Options, Prometheus, Reply, Scrape,
};
use scalelens_tests::RANGE_T0;

/// The seed case's autoscaler (AIBrix KPA on `gpu_cache_usage_perc`, target 0.5).
const CONFIG: &str = "examples/seed-kpa-gpu-cache/autoscaler.yaml";
/// The data's last time: 120 steps of 15 s after [`RANGE_T0`].
const RANGE_END: i64 = RANGE_T0 + 120 * 15;

fn scalelens() -> &'static Path {
    scalelens_binary()
}

/// What one run of the binary gave.
struct Run {
    code: i32,
    out: String,
    err: String,
}

/// Run `scalelens args` from the workspace root with `env` set, no proxy and no token variable
/// inherited.
fn run(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(scalelens());
    cmd.args(args).current_dir(workspace_root());
    for var in [
        "http_proxy",
        "https_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "all_proxy",
        "SCALELENS_PROMETHEUS_TOKEN",
    ] {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("scalelens runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        out: String::from_utf8_lossy(&out.stdout).into_owned(),
        err: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Three vLLM pods' `gpu_cache_usage_perc` every 15 s for 30 minutes from [`RANGE_T0`]: a ramp
/// to 0.8, a plateau, then a drop to 0.08, so the replay scales up and back down. As OpenMetrics
/// text (seconds, `# EOF`): what `promtool` backfills and what the file replay reads.
fn openmetrics() -> String {
    let mut s = String::from(
        "# HELP vllm:gpu_cache_usage_perc GPU KV-cache usage. 1 means 100 percent usage.\n\
         # TYPE vllm:gpu_cache_usage_perc gauge\n",
    );
    for pod in 0..3 {
        for k in 0..=120i64 {
            let ramp = (k as f64 / 40.0).min(1.0);
            let level = if k < 90 { 0.8 * ramp } else { 0.08 };
            let v = level + 0.01 * pod as f64;
            s.push_str(&format!(
                "vllm:gpu_cache_usage_perc{{pod=\"llm-7b-{pod}\",model_name=\"deepseek\"}} {v:.4} {}\n",
                RANGE_T0 + 15 * k
            ));
        }
    }
    s.push_str("# EOF\n");
    s
}

/// The Prometheus flags for the data's range at its own step.
fn prom_args(url: &str) -> Vec<String> {
    [
        "--prometheus",
        url,
        "--query",
        "vllm:gpu_cache_usage_perc",
        "--from",
        "2025-11-28T08:00:00Z",
        "--to",
        &RANGE_END.to_string(),
        "--step",
        "15s",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[test]
fn replay_through_prometheus_equals_the_file_replay() {
    let Some(bin) = prometheus_or_skip("replay_through_prometheus_equals_the_file_replay") else {
        return;
    };
    let om = openmetrics();
    let prom = Prometheus::start(
        &bin,
        &Options {
            openmetrics: Some(om.clone()),
            ..Options::default()
        },
    );
    let dir = scratch_dir("prom-file");
    let file = dir.join("samples.om");
    std::fs::write(&file, &om).expect("write the samples file");
    let file = file.display().to_string();
    let from_prom = prom_args(&prom.url());
    let with = |cmd: &[&str], source: &[String]| {
        let mut a: Vec<&str> = cmd.to_vec();
        a.extend(source.iter().map(String::as_str));
        run(&a, &[])
    };
    let from_file = ["--samples".to_string(), file.clone()];

    // simulate: every row of the timeline.
    let p = with(&["simulate", CONFIG, "--format", "csv"], &from_prom);
    let f = with(&["simulate", CONFIG, "--format", "csv"], &from_file);
    assert_eq!(
        (p.code, f.code),
        (0, 0),
        "prometheus: {}\nfile: {}",
        p.err,
        f.err
    );
    assert_eq!(p.out, f.out, "the timelines differ");
    assert!(
        p.err.contains("prometheus-json, 3 series") && f.err.contains("exposition, 3 series"),
        "each came through its importer: {}\n{}",
        p.err,
        f.err
    );
    // The data makes the controller scale up and back down: the comparison is not vacuous.
    let replicas: Vec<u32> = p
        .out
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(4)?.parse().ok())
        .collect();
    assert!(replicas.len() > 100, "{}", p.out);
    assert!(
        replicas.iter().max() >= Some(&2),
        "never scaled up: {replicas:?}"
    );
    assert_eq!(replicas.last(), Some(&1), "never scaled down: {replicas:?}");

    // explain at an RFC 3339 time, and check: the same answers.
    let at = ["--at", "2025-11-28T08:23:00Z", "--format", "json"];
    let mut ex = vec!["explain", CONFIG];
    ex.extend(at);
    let p = with(&ex, &from_prom);
    let f = with(&ex, &from_file);
    assert_eq!((p.code, f.code), (0, 0), "{}\n{}", p.err, f.err);
    assert_eq!(json(&p.out)["explanation"], json(&f.out)["explanation"]);
    assert!(json(&p.out)["samples"]["file"]
        .as_str()
        .is_some_and(|s| s.contains("vllm:gpu_cache_usage_perc")));
    let p = with(&["check", CONFIG, "--format", "json"], &from_prom);
    let f = with(&["check", CONFIG, "--format", "json"], &from_file);
    assert_eq!(p.code, f.code, "{}\n{}", p.err, f.err);
    assert_eq!(json(&p.out)["diagnostics"], json(&f.out)["diagnostics"]);
    assert_eq!(json(&p.out)["samples"]["format"], "prometheus-json");
    let _ = std::fs::remove_dir_all(dir);
}

/// A canned response of the fake server.
fn canned(status: u16, content_type: &'static str, body: impl AsRef<[u8]>) -> Reply {
    Reply::Canned {
        status,
        content_type,
        body: body.as_ref().to_vec(),
    }
}

/// A valid range-query response: one pod, `points` points 15 s apart from [`RANGE_T0`].
fn response(points: i64) -> String {
    let values: Vec<String> = (0..points)
        .map(|k| format!("[{},\"0.{}\"]", RANGE_T0 + 15 * k, k % 9 + 1))
        .collect();
    format!(
        r#"{{"status":"success","data":{{"resultType":"matrix","result":[{{"metric":{{"__name__":"vllm:gpu_cache_usage_perc","pod":"p-0"}},"values":[{}]}}]}}}}"#,
        values.join(",")
    )
}

#[test]
fn failures_are_one_clear_error() {
    let Some(bin) = prometheus_or_skip("failures_are_one_clear_error") else {
        return;
    };
    let prom = Prometheus::start(
        &bin,
        &Options {
            openmetrics: Some(openmetrics()),
            ..Options::default()
        },
    );
    let real = prom.url();
    let refused = format!("http://127.0.0.1:{}", free_port());
    let html = FakeServer::start(canned(
        200,
        "text/html",
        "<html><title>Sign in</title></html>",
    ));
    let status_error = FakeServer::start(canned(
        200,
        "application/json",
        r#"{"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"}"#,
    ));
    let unauthorized = FakeServer::start(canned(401, "text/plain", "Unauthorized\n"));
    let truncated = FakeServer::start(canned(
        200,
        "application/json",
        r#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{}"#,
    ));
    let latin1 = FakeServer::start(canned(
        200,
        "application/json",
        b"{\"status\":\"success\xff\"}",
    ));
    let latin1_url = latin1.url();
    let big = FakeServer::start(canned(200, "application/json", response(200)));
    let silent = FakeServer::start(Reply::Silence);
    let (html_url, status_error_url, unauthorized_url) =
        (html.url(), status_error.url(), unauthorized.url());
    let (truncated_url, big_url, silent_url) = (truncated.url(), big.url(), silent.url());
    let range = ["--from", "1764316800", "--to", "1764318600"];
    // (what, the flags after `simulate CONFIG`, expected pieces of stderr)
    let cases: Vec<(&str, Vec<&str>, Vec<&str>)> = vec![
        (
            "not http",
            vec!["--prometheus", "ftp://prom:9090", "--query", "up"],
            vec!["bad --prometheus URL \"ftp://prom:9090\"", "http:// or https://"],
        ),
        (
            "no host",
            vec!["--prometheus", "http://", "--query", "up"],
            vec!["bad --prometheus URL", "names no host"],
        ),
        (
            "a query string",
            vec!["--prometheus", "http://prom:9090/api/v1/query_range?query=up", "--query", "up"],
            vec!["bad --prometheus URL", "query or fragment"],
        ),
        (
            "credentials in the URL",
            vec!["--prometheus", "http://admin:pw@prom:9090", "--query", "up"],
            vec!["carries credentials", "SCALELENS_PROMETHEUS_TOKEN"],
        ),
        (
            "Prometheus' own 400",
            [vec!["--prometheus", &real, "--query", "sum("], range.to_vec()].concat(),
            vec![
                "Prometheus answered HTTP 400 to query `sum(` from 2025-11-28T08:00:00Z to 2025-11-28T08:30:00Z (step 15s) at http://127.0.0.1:",
                "bad_data: 1:5: parse error: unclosed left parenthesis",
            ],
        ),
        (
            "no series",
            [vec!["--prometheus", &real, "--query", "nothing_here{pod=\"x\"}"], range.to_vec()].concat(),
            vec![
                "query `nothing_here{pod=\"x\"}` from 2025-11-28T08:00:00Z to 2025-11-28T08:30:00Z (step 15s)",
                "returned no series",
            ],
        ),
        (
            "too many points",
            vec![
                "--prometheus", &real, "--query", "up", "--from", "1764316800", "--to",
                "1764500000", "--step", "1s",
            ],
            vec![
                "183200 points per series",
                "more than Prometheus' 11000 per series; use --step 17s",
            ],
        ),
        (
            "an empty range",
            vec![
                "--prometheus", &real, "--query", "up", "--from", "1764318600", "--to",
                "1764316800",
            ],
            vec!["--from 2025-11-28T08:30:00Z is not before --to 2025-11-28T08:00:00Z"],
        ),
        (
            "connection refused",
            vec!["--prometheus", &refused, "--query", "up"],
            vec!["cannot reach Prometheus at http://127.0.0.1:", "connection refused"],
        ),
        (
            "a token variable that is not set",
            vec![
                "--prometheus", &real, "--query", "up", "--prometheus-token-env",
                "SCALELENS_TEST_NO_SUCH_VARIABLE",
            ],
            vec!["the environment variable SCALELENS_TEST_NO_SUCH_VARIABLE is not set"],
        ),
        (
            "a login page",
            vec!["--prometheus", &html_url, "--query", "up"],
            vec!["is not JSON (text/html)", "<html><title>Sign in"],
        ),
        (
            "status error with 200",
            vec!["--prometheus", &status_error_url, "--query", "up"],
            vec!["Prometheus returned an error (timeout) for query `up`", "query timed out"],
        ),
        (
            "401",
            vec!["--prometheus", &unauthorized_url, "--query", "up"],
            vec!["HTTP 401", "\"Unauthorized\"", "SCALELENS_PROMETHEUS_TOKEN"],
        ),
        (
            "a truncated body",
            vec!["--prometheus", &truncated_url, "--query", "up"],
            vec!["bad response to query `up`", "(response line 1, column"],
        ),
        (
            "not UTF-8",
            vec!["--prometheus", &latin1_url, "--query", "up"],
            vec!["not UTF-8 text (invalid byte at offset 18)"],
        ),
        (
            "an oversized body",
            vec!["--prometheus", &big_url, "--query", "up", "--max-input-size", "2KB"],
            vec!["is larger than the 2 KB input limit", "--max-input-size"],
        ),
        (
            "no answer in time",
            vec!["--prometheus", &silent_url, "--query", "up", "--prometheus-timeout", "1s"],
            vec!["did not answer within 1s", "--prometheus-timeout"],
        ),
    ];
    scalelens(); // built before the clock starts
    for (what, flags, expect) in &cases {
        let mut args = vec!["simulate", CONFIG];
        args.extend(flags.iter().copied());
        let start = std::time::Instant::now();
        let r = run(&args, &[]);
        assert_eq!(r.code, 2, "{what}: exit {}\n{}{}", r.code, r.out, r.err);
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "{what}: took {:?}",
            start.elapsed()
        );
        let lines: Vec<&str> = r.err.lines().collect();
        assert_eq!(lines.len(), 1, "{what}: one line expected:\n{}", r.err);
        assert!(lines[0].starts_with("error: "), "{what}: {}", r.err);
        for piece in expect {
            assert!(r.err.contains(piece), "{what}: {piece:?} not in\n{}", r.err);
        }
    }
    // `check` reports the same way.
    let r = run(
        &[
            &[
                "check",
                CONFIG,
                "--prometheus",
                &real,
                "--query",
                "nothing_here",
            ][..],
            &range,
        ]
        .concat(),
        &[],
    );
    assert_eq!(r.code, 2, "{}", r.err);
    assert!(r.err.contains("returned no series"), "{}", r.err);
    // Flags that do not go together are usage errors.
    for args in [
        vec![
            "simulate",
            CONFIG,
            "--samples",
            "x.json",
            "--prometheus",
            &real,
            "--query",
            "up",
        ],
        vec![
            "simulate",
            CONFIG,
            "--demand",
            "x.csv",
            "--prometheus",
            &real,
            "--query",
            "up",
        ],
        vec!["simulate", CONFIG, "--prometheus", &real],
        vec!["check", CONFIG, "--step", "15s"],
        vec!["explain", CONFIG, "--demand", "x.csv", "--step", "1m"],
    ] {
        let r = run(&args, &[]);
        assert_eq!(r.code, 2, "{args:?}: {}", r.err);
        assert!(r.err.contains("Usage:"), "{args:?}: {}", r.err);
    }
    // A Prometheus flag beside a samples file is refused, never ignored (by clap, or by the
    // command where clap lets `--query` through: `--prometheus` conflicts with `--samples`).
    for (args, flag) in [
        (
            vec!["simulate", CONFIG, "--samples", "x.json", "--query", "up"],
            "--query",
        ),
        (
            vec!["explain", CONFIG, "--samples", "x.json", "--step", "1m"],
            "--step",
        ),
        (
            vec![
                "check",
                CONFIG,
                "--samples",
                "x.json",
                "--prometheus-timeout",
                "5s",
            ],
            "--prometheus-timeout",
        ),
    ] {
        let r = run(&args, &[]);
        assert_eq!(r.code, 2, "{args:?}: {}", r.err);
        assert!(
            r.err.contains(flag) && r.err.contains("--prometheus"),
            "{args:?}: {}",
            r.err
        );
    }
}

#[test]
fn bearer_token_comes_from_the_environment() {
    // No Prometheus needed: the loopback server records what the CLI sends.
    let server = FakeServer::start(canned(200, "application/json", response(5)));
    let url = server.url();
    let base = [
        "simulate",
        CONFIG,
        "--prometheus",
        &url,
        "--query",
        "vllm:gpu_cache_usage_perc",
        "--from",
        "1764316800",
        "--to",
        "1764316860",
        "--step",
        "15s",
    ];
    // (extra flags, environment, the token expected in `Authorization`)
    type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], Option<&'a str>);
    let cases: [Case; 3] = [
        (&[], &[], None),
        (
            &[],
            &[("SCALELENS_PROMETHEUS_TOKEN", "s3cret-default\n")],
            Some("s3cret-default"),
        ),
        (
            &["--prometheus-token-env", "MY_PROM_TOKEN"],
            &[
                ("MY_PROM_TOKEN", "s3cret-named"),
                ("SCALELENS_PROMETHEUS_TOKEN", "not-this-one"),
            ],
            Some("s3cret-named"),
        ),
    ];
    for (i, (flags, env, token)) in cases.iter().enumerate() {
        let args = [&base[..], flags].concat();
        let r = run(&args, env);
        assert_eq!(r.code, 0, "case {i}: {}", r.err);
        let requests = server.requests();
        let head = requests.get(i).expect("one request per run");
        let first = head.lines().next().unwrap_or("");
        assert_eq!(
            first,
            "GET /api/v1/query_range?query=vllm%3Agpu_cache_usage_perc&start=1764316800&end=1764316860&step=15 HTTP/1.1",
            "case {i}"
        );
        let auth: Vec<&str> = head
            .lines()
            .filter(|l| l.to_ascii_lowercase().starts_with("authorization:"))
            .collect();
        match token {
            None => assert!(auth.is_empty(), "case {i}: {auth:?}"),
            Some(t) => {
                assert_eq!(
                    auth,
                    [format!("authorization: Bearer {t}").as_str()],
                    "case {i}"
                );
                assert!(
                    !r.out.contains(t) && !r.err.contains(t),
                    "case {i}: token printed"
                );
            }
        }
    }
    // An empty variable is a mistake, not "no token".
    let r = run(&base, &[("SCALELENS_PROMETHEUS_TOKEN", " ")]);
    assert_eq!(r.code, 2);
    assert!(r.err.contains("is set but empty"), "{}", r.err);
}

#[test]
fn https_with_a_private_ca() {
    let Some(bin) = prometheus_or_skip("https_with_a_private_ca") else {
        return;
    };
    let tls = workspace_root().join("tests/testdata/prometheus");
    let prom = Prometheus::start(
        &bin,
        &Options {
            openmetrics: Some(openmetrics()),
            tls: Some((tls.join("server-cert.pem"), tls.join("server-key.pem"))),
            ..Options::default()
        },
    );
    assert!(prom.url().starts_with("https://"));
    let ca = tls.join("ca.pem").display().to_string();
    let mut args: Vec<String> = [
        "simulate",
        CONFIG,
        "--format",
        "csv",
        "--prometheus-ca",
        &ca,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(prom_args(&prom.url()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = run(&args, &[]);
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.out.lines().count() > 100, "{}", r.out);
    // Without the CA the certificate is not trusted: refused, with the way out.
    let without: Vec<&str> = args
        .iter()
        .copied()
        .filter(|a| *a != "--prometheus-ca" && *a != ca)
        .collect();
    let r = run(&without, &[]);
    assert_eq!(r.code, 2, "{}", r.err);
    assert!(
        r.err.contains("TLS handshake failed") && r.err.contains("--prometheus-ca"),
        "{}",
        r.err
    );
}

#[test]
fn harness_scrapes_a_loopback_target() {
    let Some(bin) = prometheus_or_skip("harness_scrapes_a_loopback_target") else {
        return;
    };
    let target = FakeServer::start(canned(
        200,
        "text/plain; version=0.0.4",
        "# TYPE scalelens_harness_probe gauge\nscalelens_harness_probe{cluster=\"vllm\"} 7\n",
    ));
    let prom = Prometheus::start(
        &bin,
        &Options {
            scrape: vec![Scrape {
                job: "probe".into(),
                target: target.url().trim_start_matches("http://").to_string(),
                metrics_path: "/metrics".into(),
                labels: vec![("namespace".into(), "llm".into())],
            }],
            ..Options::default()
        },
    );
    // `start` returned after the first scrape: the API client reads it at once.
    let samples = prom
        .query("scalelens_harness_probe")
        .expect("the query runs");
    assert_eq!(samples.len(), 1, "{samples:?}");
    let labels: Vec<(&str, &str)> = samples[0]
        .labels
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        labels,
        [
            ("__name__", "scalelens_harness_probe"),
            ("cluster", "vllm"),
            ("instance", target.url().trim_start_matches("http://")),
            ("job", "probe"),
            ("namespace", "llm"),
        ]
    );
    assert_eq!(samples[0].value, 7.0);
    assert_eq!(
        prom.label_values("scalelens_harness_probe", "cluster"),
        Ok(vec!["vllm".to_string()])
    );
    assert_eq!(
        prom.series("{job=\"probe\"}").map(|s| s.is_empty()),
        Ok(false)
    );
    // A query Prometheus refuses is its own error, not an empty result.
    let refused = prom.query("sum(").expect_err("a parse error");
    assert!(refused.starts_with("bad_data: "), "{refused}");
    assert!(target
        .requests()
        .iter()
        .any(|r| r.starts_with("GET /metrics ")));
}
