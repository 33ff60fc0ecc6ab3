//! Gateway configuration errors: one per field kind, each with the JSON path of the field, its
//! line:column and a one-line message naming the field.

use scalelens_gateway::filter_config::{GatewayConfig, TargetMetric};

struct Case {
    name: &'static str,
    json: &'static str,
    path: &'static str,
    line: usize,
    column: usize,
    message: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "unknown field with a suggestion",
        json: "{\n  \"stabel_window\": \"60s\"\n}",
        path: "stabel_window",
        line: 2,
        column: 3,
        message: "unknown field `stabel_window`; did you mean `stable_window`?",
    },
    Case {
        name: "unknown field without a close name",
        json: r#"{"zzz": 1}"#,
        path: "zzz",
        line: 1,
        column: 2,
        message: "unknown field `zzz`; known fields: stable_window,",
    },
    Case {
        name: "target field at the top level",
        json: r#"{"concurrency_per_pod": 10}"#,
        path: "concurrency_per_pod",
        line: 1,
        column: 2,
        message: "it belongs inside `target`",
    },
    Case {
        name: "unknown field in target",
        json: r#"{"target": {"concurrency": 10}}"#,
        path: "target.concurrency",
        line: 1,
        column: 13,
        message: "unknown field `concurrency` in `target`; did you mean `concurrency_per_pod`?",
    },
    Case {
        name: "duration: not a Go duration",
        json: r#"{"stable_window": "60"}"#,
        path: "stable_window",
        line: 1,
        column: 19,
        message: "missing a unit",
    },
    Case {
        name: "duration: out of Knative's range",
        json: r#"{"stable_window": "2s"}"#,
        path: "stable_window",
        line: 1,
        column: 19,
        message: "between 6s and 1h",
    },
    Case {
        name: "duration: not whole seconds",
        json: r#"{"stable_window": "6500ms"}"#,
        path: "stable_window",
        line: 1,
        column: 19,
        message: "whole seconds",
    },
    Case {
        name: "duration: wrong type",
        json: r#"{"stable_window": 60}"#,
        path: "stable_window",
        line: 1,
        column: 19,
        message: "expected a string, found a number",
    },
    Case {
        name: "percentage out of range",
        json: "{\"panic_window_percentage\": 0.5}",
        path: "panic_window_percentage",
        line: 1,
        column: 29,
        message: "0.5 is out of range: must be in [1, 100]",
    },
    Case {
        name: "threshold out of range",
        json: r#"{"panic_threshold_percentage": 100}"#,
        path: "panic_threshold_percentage",
        line: 1,
        column: 32,
        message: "must be in [110, 1000]",
    },
    Case {
        name: "number given as a string",
        json: r#"{"max_scale_up_rate": "10"}"#,
        path: "max_scale_up_rate",
        line: 1,
        column: 23,
        message: "expected a number, found a string",
    },
    Case {
        name: "rate not above 1",
        json: r#"{"max_scale_down_rate": 1}"#,
        path: "max_scale_down_rate",
        line: 1,
        column: 25,
        message: "must be > 1",
    },
    Case {
        name: "target: object expected",
        json: r#"{"target": 70}"#,
        path: "target",
        line: 1,
        column: 12,
        message: "expected an object, found a number",
    },
    Case {
        name: "target: both metrics",
        json: r#"{"target": {"concurrency_per_pod": 10, "tokens_per_second_per_pod": 100}}"#,
        path: "target.tokens_per_second_per_pod",
        line: 1,
        column: 69,
        message: "set either",
    },
    Case {
        name: "target: below TargetMin",
        json: "{\"target\": {\n    \"concurrency_per_pod\": 0}}",
        path: "target.concurrency_per_pod",
        line: 2,
        column: 28,
        message: "must be ≥ 0.01",
    },
    Case {
        name: "target: utilization out of range",
        json: r#"{"target": {"utilization_percentage": 120}}"#,
        path: "target.utilization_percentage",
        line: 1,
        column: 39,
        message: "must be in [1, 100]",
    },
    Case {
        name: "list: wrong type",
        json: r#"{"routes": "/v1"}"#,
        path: "routes",
        line: 1,
        column: 12,
        message: "expected an array of strings, found a string",
    },
    Case {
        name: "list element: wrong type",
        json: r#"{"models": ["a", 2]}"#,
        path: "models[1]",
        line: 1,
        column: 18,
        message: "expected a string, found a number",
    },
    Case {
        name: "route: not a path",
        json: r#"{"routes": ["/v1/chat", "v1/completions"]}"#,
        path: "routes[1]",
        line: 1,
        column: 25,
        message: "must start with `/`",
    },
    Case {
        name: "routes: empty",
        json: r#"{"routes": []}"#,
        path: "routes",
        line: 1,
        column: 1,
        message: "list 1 to 16 path prefixes",
    },
    Case {
        name: "models: labels collide",
        json: r#"{"models": ["a/b", "a.b"]}"#,
        path: "models[1]",
        line: 1,
        column: 20,
        message: "same label value `a_b` as models[0]",
    },
    Case {
        name: "models: reserved",
        json: r#"{"models": ["other"]}"#,
        path: "models[0]",
        line: 1,
        column: 13,
        message: "is reserved",
    },
    Case {
        name: "byte limit: not whole",
        json: r#"{"max_body_bytes": 1024.5}"#,
        path: "max_body_bytes",
        line: 1,
        column: 20,
        message: "must be a whole number in [1024, 16777216]",
    },
    Case {
        name: "bool: wrong type",
        json: r#"{"debug_headers": "yes"}"#,
        path: "debug_headers",
        line: 1,
        column: 19,
        message: "expected `true` or `false`, found a string",
    },
    Case {
        name: "label value: bad characters",
        json: r#"{"cluster_label": "vllm.a"}"#,
        path: "cluster_label",
        line: 1,
        column: 19,
        message: "is not a label value",
    },
    Case {
        name: "max_endpoints: over the bound",
        json: r#"{"max_endpoints": 300}"#,
        path: "max_endpoints",
        line: 1,
        column: 19,
        message: "300 is out of range: must be a whole number in [0, 256]",
    },
    Case {
        name: "duplicate field",
        json: r#"{"debug_headers": true, "debug_headers": false}"#,
        path: "debug_headers",
        line: 1,
        column: 25,
        message: "duplicate field",
    },
    Case {
        name: "root: not an object",
        json: "[1]",
        path: "",
        line: 1,
        column: 1,
        message: "expected a JSON object",
    },
    Case {
        name: "syntax error",
        json: "{\n  \"debug_headers\": true,\n}",
        path: "",
        line: 3,
        column: 1,
        message: "JSON syntax: expected a key (a string), found `}`",
    },
    // Found by the `gateway_config` fuzz target: a key or value quoting a line break made the
    // error two lines in Envoy's log.
    Case {
        name: "control characters in the quoted text are escaped",
        json: r#"{"target": {"concurr\ncy_per_pod": 0}}"#,
        path: "target.concurr\\ncy_per_pod",
        line: 1,
        column: 13,
        message: "unknown field `concurr\\ncy_per_pod` in `target`",
    },
    Case {
        name: "control characters in a value are escaped",
        json: r#"{"routes": ["v1\t\u0000\u001b"]}"#,
        path: "routes[0]",
        line: 1,
        column: 13,
        message: "`v1\\t\\u{0}\\u{1b}` is not a path prefix",
    },
    Case {
        name: "cut text",
        json: "{\"target\": {",
        path: "",
        line: 1,
        column: 13,
        message: "JSON syntax: the JSON text ends inside a value",
    },
];

#[test]
fn errors_name_the_field_and_its_position() {
    for c in CASES {
        let e = GatewayConfig::from_json(c.json).expect_err(c.name);
        assert_eq!(
            (e.path.as_str(), e.line, e.column),
            (c.path, c.line, c.column),
            "{}: {e}",
            c.name
        );
        assert!(e.message.contains(c.message), "{}: {}", c.name, e.message);
        let line = e.to_string();
        assert!(!line.contains('\n'), "{}: one line: {line}", c.name);
        if !c.path.is_empty() {
            assert!(line.contains(&format!("`{}`", c.path)), "{line}");
        }
    }
}

#[test]
fn display_is_one_clear_line() {
    let e = GatewayConfig::from_json(r#"{"target": {"concurrency_per_pod": -1}}"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid scalelens gateway configuration: field `target.concurrency_per_pod` at 1:36: \
         -1 is out of range: must be ≥ 0.01 (Knative TargetMin)"
    );
}

#[test]
fn nulls_and_empty_objects_keep_the_defaults() {
    let c = GatewayConfig::from_json(
        r#"{"stable_window": null, "target": {}, "models": null, "debug_headers": null}"#,
    )
    .unwrap();
    assert_eq!(c, GatewayConfig::default());
    assert_eq!(c.target.metric, TargetMetric::Concurrency);
    assert_eq!(GatewayConfig::from_json("  \n ").unwrap(), c);
}

#[test]
fn too_many_models() {
    let names: Vec<String> = (0..33).map(|i| format!("\"m{i}\"")).collect();
    let json = format!("{{\"models\": [{}]}}", names.join(", "));
    let e = GatewayConfig::from_json(&json).unwrap_err();
    assert_eq!(e.path, "models[32]");
    assert!(e.message.contains("at most 32"), "{}", e.message);
}
