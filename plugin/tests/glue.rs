//! The filter's glue on its success paths, natively: the ABI exports (`abi.rs`) driven in the
//! order Envoy calls them, against the in-memory host (`src/in_memory_host.rs`) that records
//! metric definitions and values, added headers, log lines and the tick period. The same
//! scenarios run in a real Envoy in `tests/tests/gateway_envoy.rs`; these need no Envoy and
//! show the counts exactly.
//!
//! Each test runs on its own thread, so it has its own host and its own context table.

use scalelens_gateway::metric_catalogue::{self as m, envoy_name, MetricDef};
use scalelens_plugin::abi::{
    proxy_on_configure, proxy_on_context_create, proxy_on_delete, proxy_on_done, proxy_on_log,
    proxy_on_request_body, proxy_on_request_headers, proxy_on_response_body,
    proxy_on_response_headers, proxy_on_tick,
};
use scalelens_plugin::in_memory_host::with_host;

const ROOT: u32 = 1;
const CLUSTER: &str = "vllm";
const MODEL: &str = "llama-3-8b";
/// `proxy_log`'s `Error` level.
const ERROR: u32 = 4;

/// The Envoy name of `def` for the test's cluster (and more label values).
fn name(def: &MetricDef, more: &[&str]) -> String {
    let mut labels = vec![CLUSTER];
    labels.extend_from_slice(more);
    envoy_name(def, &labels).as_str().to_string()
}

fn clock(ms: u64) {
    with_host(|h| h.now_ns = ms * 1_000_000);
}

/// A root context with this configuration; whether Envoy would accept it.
fn configure(json: &str) -> bool {
    with_host(|h| {
        h.configuration = json.as_bytes().to_vec();
        h.set_property(&["xds", "cluster_name"], CLUSTER);
    });
    proxy_on_context_create(ROOT, 0);
    proxy_on_configure(ROOT, json.len())
}

/// A POST to `path` with `body` (one chunk, the end of the request) at `at` ms.
fn request(id: u32, at: u64, path: &str, body: &str) {
    clock(at);
    with_host(|h| {
        h.request_headers = vec![
            (":path".into(), path.into()),
            (":method".into(), "POST".into()),
        ];
        h.request_body = body.as_bytes().to_vec();
    });
    proxy_on_context_create(id, ROOT);
    proxy_on_request_headers(id, 2, 0);
    proxy_on_request_body(id, body.len(), 1);
}

fn response_headers(id: u32, status: &str, content_type: &str) {
    with_host(|h| {
        h.response_headers = vec![
            (":status".into(), status.into()),
            ("content-type".into(), content_type.into()),
        ];
    });
    proxy_on_response_headers(id, 2, 0);
}

/// One response body chunk at `at` ms.
fn response_chunk(id: u32, at: u64, chunk: &str, end: bool) {
    clock(at);
    with_host(|h| h.response_body = chunk.as_bytes().to_vec());
    proxy_on_response_body(id, chunk.len(), u32::from(end));
}

/// The end of the stream as Envoy reports it: log, done, delete.
fn finish(id: u32) {
    proxy_on_log(id);
    proxy_on_done(id);
    proxy_on_delete(id);
}

fn tick(at: u64) {
    clock(at);
    proxy_on_tick(ROOT);
}

fn value(def: &MetricDef, more: &[&str]) -> u64 {
    let n = name(def, more);
    with_host(|h| h.value(&n))
}

fn samples(def: &MetricDef, more: &[&str]) -> Vec<u64> {
    let n = name(def, more);
    with_host(|h| h.samples(&n).to_vec())
}

fn chat(stream: bool) -> String {
    format!(
        r#"{{"model":"{MODEL}","messages":[{{"role":"user","content":"hi"}}],"stream":{stream},"stream_options":{{"include_usage":true}}}}"#
    )
}

const CONFIG: &str = r#"{"target":{"concurrency_per_pod":8},"models":["llama-3-8b"]}"#;

#[test]
fn a_configuration_is_accepted_and_the_tick_is_set() {
    assert!(configure(CONFIG));
    assert_eq!(with_host(|h| h.tick_period_ms), Some(100));
    assert!(with_host(|h| h.logs.is_empty()), "no log line on success");
    // Empty text is the defaults.
    assert!(configure(""));
}

#[test]
fn a_bad_configuration_is_refused_with_one_line_naming_the_field() {
    let cases: &[(&[u8], &str)] = &[
        (
            br#"{"stabel_window": "60s"}"#,
            "invalid scalelens gateway configuration: field `stabel_window` at 1:2: unknown field \
             `stabel_window`; did you mean `stable_window`?",
        ),
        (
            br#"{"target": {"concurrency_per_pod": -1}}"#,
            "invalid scalelens gateway configuration: field `target.concurrency_per_pod` at 1:36",
        ),
        (
            b"{\"models\": [\"\xff\"]}",
            "invalid scalelens gateway configuration: not UTF-8 (byte 13)",
        ),
    ];
    for (i, (json, want)) in cases.iter().enumerate() {
        with_host(|h| {
            h.configuration = json.to_vec();
            h.logs.clear();
            h.tick_period_ms = None;
        });
        let root = 10 + i as u32;
        proxy_on_context_create(root, 0);
        assert!(!proxy_on_configure(root, json.len()), "{want}");
        let logs = with_host(|h| h.logs.clone());
        assert_eq!(logs.len(), 1, "{logs:?}");
        let (level, line) = &logs[0];
        assert_eq!(*level, ERROR);
        assert!(line.starts_with(want), "{line}\n  wanted: {want}");
        assert_eq!(with_host(|h| h.tick_period_ms), None, "no tick: {want}");
    }
}

#[test]
fn a_json_completion_is_counted_with_its_tokens_and_duration() {
    assert!(configure(CONFIG));
    request(2, 1_000, "/v1/chat/completions", &chat(false));
    response_headers(2, "200", "application/json");
    let body = format!(
        r#"{{"id":"c1","object":"chat.completion","model":"{MODEL}","choices":[{{"index":0,"message":{{"role":"assistant","content":"hello"}},"finish_reason":"stop"}}],"usage":{{"prompt_tokens":17,"completion_tokens":7,"total_tokens":24}}}}"#
    );
    response_chunk(2, 1_250, &body, true);
    finish(2);

    // Histograms are recorded at once: the response ended 250 ms after the request. Time to
    // first token is for streamed responses only (`request.rs`): a JSON body has no sample.
    assert_eq!(samples(&m::REQUEST_DURATION, &[MODEL]), [250]);
    assert_eq!(samples(&m::TIME_TO_FIRST_TOKEN, &[MODEL]), [0u64; 0]);
    // Counters are batched until the tick.
    assert_eq!(value(&m::REQUESTS_TOTAL, &[MODEL]), 0);
    tick(1_300);
    assert_eq!(value(&m::REQUESTS_TOTAL, &[MODEL]), 1);
    assert_eq!(value(&m::PROMPT_TOKENS_TOTAL, &[MODEL]), 17);
    assert_eq!(value(&m::COMPLETION_TOKENS_TOTAL, &[MODEL]), 7);
    assert_eq!(value(&m::IN_FLIGHT_REQUESTS, &[]), 0, "+1 and -1 both sent");
    // Nothing malformed, no error.
    let bad = with_host(|h| {
        h.metrics
            .iter()
            .filter(|x| x.name.contains("errors_total") || x.name.contains("malformed"))
            .map(|x| (x.name.clone(), x.value))
            .collect::<Vec<_>>()
    });
    assert!(bad.iter().all(|(_, v)| *v == 0), "{bad:?}");
}

#[test]
fn an_sse_stream_is_counted_from_its_chunks() {
    assert!(configure(CONFIG));
    request(3, 2_000, "/v1/chat/completions", &chat(true));
    response_headers(3, "200", "text/event-stream");
    for (i, at) in [2_100, 2_150, 2_200].into_iter().enumerate() {
        let event = format!(
            "data: {{\"object\":\"chat.completion.chunk\",\"model\":\"{MODEL}\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"tok{i} \"}}}}]}}\n\n"
        );
        response_chunk(3, at, &event, false);
    }
    let usage = format!(
        "data: {{\"object\":\"chat.completion.chunk\",\"model\":\"{MODEL}\",\"choices\":[],\"usage\":{{\"prompt_tokens\":9,\"completion_tokens\":3,\"total_tokens\":12}}}}\n\ndata: [DONE]\n\n"
    );
    response_chunk(3, 2_300, &usage, true);
    finish(3);
    tick(2_400);

    assert_eq!(samples(&m::TIME_TO_FIRST_TOKEN, &[MODEL]), [100]);
    assert_eq!(samples(&m::REQUEST_DURATION, &[MODEL]), [300]);
    // (300 ms − 100 ms to the first token) over the 2 tokens after it.
    assert_eq!(samples(&m::TIME_PER_OUTPUT_TOKEN, &[MODEL]), [100]);
    assert_eq!(value(&m::REQUESTS_TOTAL, &[MODEL]), 1);
    assert_eq!(value(&m::PROMPT_TOKENS_TOTAL, &[MODEL]), 9);
    assert_eq!(value(&m::COMPLETION_TOKENS_TOTAL, &[MODEL]), 3);
}

#[test]
fn the_tick_flushes_counters_and_the_leader_exports_the_recommendation() {
    // One pod handles one request (100 % utilization): 3 in flight want 3 pods, and 3 against
    // 1 ready pod is past the 200 % panic threshold.
    let config = r#"{"target":{"concurrency_per_pod":1,"utilization_percentage":100}}"#;
    assert!(configure(config));
    for id in [2, 3, 4] {
        request(id, 10_000, "/v1/chat/completions", &chat(true));
    }
    // Batched: Envoy has not seen the +1s yet.
    assert_eq!(value(&m::IN_FLIGHT_REQUESTS, &[]), 0);
    let before = with_host(|h| h.increments);
    tick(10_000);
    assert_eq!(value(&m::IN_FLIGHT_REQUESTS, &[]), 3);
    assert_eq!(
        with_host(|h| h.increments) - before,
        1,
        "three +1 in one host call"
    );
    // The cluster is registered for the aggregator, and this VM took the lease.
    let shared = with_host(|h| h.shared.clone());
    let get = |key: &str| {
        shared
            .iter()
            .find(|(k, _, _)| k == key.as_bytes())
            .map(|(_, v, _)| String::from_utf8_lossy(v).into_owned())
    };
    assert_eq!(get("scalelens.clusters").as_deref(), Some(CLUSTER));
    assert!(get("scalelens.lease").is_some());

    // Ten samples a second for three seconds: each second's average goes to the windows.
    for t in (10_100..13_100).step_by(100) {
        tick(t);
    }
    assert_eq!(value(&m::STABLE_CONCURRENCY, &[]), 3);
    assert_eq!(value(&m::PANIC_CONCURRENCY, &[]), 3);
    assert_eq!(value(&m::DESIRED_PODS, &[]), 3);
    assert_eq!(value(&m::PANIC_MODE, &[]), 1);

    for id in [2, 3, 4] {
        finish(id);
    }
    tick(13_100);
    assert_eq!(value(&m::IN_FLIGHT_REQUESTS, &[]), 0);
}

#[test]
fn debug_headers_name_the_model_and_cluster() {
    let config = r#"{"models":["llama-3-8b"],"debug_headers":true}"#;
    assert!(configure(config));
    request(2, 0, "/v1/chat/completions", &chat(false));
    response_headers(2, "200", "application/json");
    let added = with_host(|h| h.added_headers.clone());
    assert_eq!(
        added,
        [
            (2, "x-scalelens-model".to_string(), MODEL.to_string()),
            (2, "x-scalelens-cluster".to_string(), CLUSTER.to_string()),
        ]
    );
    finish(2);
}

fn content_event(i: usize) -> String {
    format!(
        "data: {{\"object\":\"chat.completion.chunk\",\"model\":\"{MODEL}\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"tok{i} \"}}}}]}}\n\n"
    )
}

/// A stream cut before its end: the glue reads Envoy's `response.code_details` (only then)
/// and reports a client that went away as `client_cancel`, anything else as `reset`; a cut
/// after `[DONE]` is a completion.
#[test]
fn a_cut_stream_is_classed_by_envoys_code_details() {
    assert!(configure(CONFIG));
    // (request id, events before the cut, [DONE] sent, code details, error class)
    let cases: [(u32, usize, bool, &str, Option<&str>); 4] = [
        (
            2,
            2,
            false,
            "downstream_remote_disconnect",
            Some("client_cancel"),
        ),
        (
            3,
            2,
            false,
            "upstream_reset_after_response_started{connection_termination}",
            Some("reset"),
        ),
        (4, 3, true, "downstream_remote_disconnect", None),
        (
            5,
            0,
            false,
            "upstream_reset_before_response_started{remote_reset}",
            Some("reset"),
        ),
    ];
    for (id, events, done, details, class) in cases {
        request(id, 1_000, "/v1/chat/completions", &chat(true));
        response_headers(id, "200", "text/event-stream");
        for i in 0..events {
            response_chunk(id, 1_100 + 10 * i as u64, &content_event(i), false);
        }
        if done {
            response_chunk(id, 1_200, "data: [DONE]\n\n", false);
        }
        with_host(|h| h.set_property(&["response", "code_details"], details));
        clock(1_250);
        let errors = || ["client_cancel", "reset"].map(|c| value(&m::ERRORS_TOTAL, &[MODEL, c]));
        let before = errors();
        finish(id);
        let after = errors();
        let counted = [after[0] - before[0], after[1] - before[1]];
        let want = match class {
            Some("client_cancel") => [1, 0],
            Some(_) => [0, 1],
            None => [0, 0],
        };
        assert_eq!(
            counted, want,
            "{details} after {events} events, [DONE] {done}"
        );
    }
    assert_eq!(value(&m::ERRORS_TOTAL, &[MODEL, "client_cancel"]), 1);
    assert_eq!(value(&m::ERRORS_TOTAL, &[MODEL, "reset"]), 2);
    // The complete stream (id 4) has a time per output token: (1 250 − 1 100) / 2.
    assert_eq!(samples(&m::TIME_PER_OUTPUT_TOKEN, &[MODEL]), [75]);
}

/// Completion tokens reach Envoy on the tick after the chunks that carry them, before the
/// stream ends; the end adds the rest up to the usage.
#[test]
fn completion_tokens_are_sent_on_the_tick_while_a_stream_runs() {
    assert!(configure(CONFIG));
    request(2, 5_000, "/v1/chat/completions", &chat(true));
    response_headers(2, "200", "text/event-stream");
    for i in 0..4 {
        response_chunk(2, 5_100 + 100 * i as u64, &content_event(i), false);
    }
    tick(5_450);
    assert_eq!(
        value(&m::COMPLETION_TOKENS_TOTAL, &[MODEL]),
        4,
        "before the end"
    );
    let usage = "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":6,\"total_tokens\":15}}\n\ndata: [DONE]\n\n";
    response_chunk(2, 5_500, usage, true);
    finish(2);
    tick(5_600);
    assert_eq!(value(&m::COMPLETION_TOKENS_TOTAL, &[MODEL]), 6);
    assert_eq!(value(&m::REQUESTS_TOTAL, &[MODEL]), 1);
}

/// A JSON response longer than `max_body_bytes` is counted in `uninspected_total`.
#[test]
fn an_oversize_json_response_is_counted_as_uninspected() {
    assert!(configure(
        r#"{"models":["llama-3-8b"],"max_body_bytes":1024}"#
    ));
    request(2, 1_000, "/v1/chat/completions", &chat(false));
    response_headers(2, "200", "application/json");
    let body = format!(
        "{}{{\"usage\":{{\"prompt_tokens\":1,\"completion_tokens\":2}}}}",
        " ".repeat(2_000)
    );
    response_chunk(2, 1_100, &body, true);
    finish(2);
    tick(1_200);
    assert_eq!(value(&m::UNINSPECTED_TOTAL, &["response_too_large"]), 1);
    assert_eq!(value(&m::COMPLETION_TOKENS_TOTAL, &[MODEL]), 0);
}

/// Each request is counted under its own upstream cluster, whether it goes where the previous
/// one went (the VM reuses that request's label) or elsewhere, and without a cluster (no
/// route) under `unknown`.
#[test]
fn requests_are_counted_under_their_own_cluster() {
    assert!(configure(CONFIG));
    let clusters: &[Option<&str>] = &[
        Some("vllm"),
        Some("vllm"),
        Some("tgi.pool"),
        Some("vllm"),
        None,
        Some("tgi.pool"),
        Some("tgi.pool"),
    ];
    for (i, cluster) in clusters.iter().enumerate() {
        let id = 2 + i as u32;
        with_host(|h| match cluster {
            Some(c) => h.set_property(&["xds", "cluster_name"], c),
            None => h.properties.clear(),
        });
        request(id, 1_000, "/v1/chat/completions", &chat(false));
        response_headers(id, "200", "application/json");
        response_chunk(
            id,
            1_010,
            r#"{"usage":{"prompt_tokens":1,"completion_tokens":1}}"#,
            true,
        );
        finish(id);
    }
    tick(1_100);
    for (cluster, want) in [("vllm", 3), ("tgi_pool", 3), ("unknown", 1)] {
        let n = envoy_name(&m::REQUESTS_TOTAL, &[cluster, MODEL]);
        assert_eq!(with_host(|h| h.value(n.as_str())), want, "{cluster}");
    }
}
