//! Malformed metric samples: every format gives a positioned error (1-based line and column, in
//! characters) with a clear message, and never panics.

use scalelens_core::samples::{
    detect, detect_and_parse, parse_csv, parse_exposition, parse_grafana_csv,
    parse_prometheus_json, ErrorKind, Format, Hints, SampleError,
};

fn hints(metric: Option<&str>) -> Hints {
    Hints {
        metric: metric.map(str::to_string),
        ..Hints::default()
    }
}

fn run(format: Format, input: &str, metric: Option<&str>) -> Result<(), SampleError> {
    let h = hints(metric);
    match format {
        Format::Csv => parse_csv(input).map(|_| ()),
        Format::GrafanaWide | Format::GrafanaLong => parse_grafana_csv(input).map(|_| ()),
        Format::Exposition => parse_exposition(input, &h).map(|_| ()),
        Format::PrometheusJson => parse_prometheus_json(input, &h).map(|_| ()),
    }
}

/// (format, input, metric hint, line, column, message fragment)
type Case = (
    Format,
    &'static str,
    Option<&'static str>,
    u32,
    u32,
    &'static str,
);

const CASES: &[Case] = &[
    // --- plain CSV
    (Format::Csv, "", None, 1, 1, "empty input"),
    (Format::Csv, "time,value\n", None, 2, 1, "no data rows"),
    (Format::Csv, "time,pod\n0,a\n", None, 1, 1, "must name a `time` column and a `value`"),
    (Format::Csv, "time,value,time\n", None, 1, 12, "appears twice"),
    (Format::Csv, "time,value\n0,abc\n", None, 2, 3, "`abc` is not a number"),
    (Format::Csv, "time,value\nnoon,1\n", None, 2, 1, "`noon` is not a time"),
    (Format::Csv, "time,value\n-15,1\n", None, 2, 1, "cannot be negative"),
    (Format::Csv, "time,value\n0,1\n2025-11-28T08:00:00Z,1\n", None, 3, 1, "mixed time formats"),
    (Format::Csv, "time,value\n0,1,7\n", None, 2, 5, "expected 2 fields, found 3"),
    (Format::Csv, "time,pod,value\n0,a\n", None, 2, 4, "expected 3 fields, found 2"),
    (Format::Csv, "time,value\n0,\"1\n", None, 2, 3, "unterminated quoted field"),
    (Format::Csv, "time,value\n0,\"1\"x\n", None, 2, 6, "after a closing quote"),
    (Format::Csv, "time,value,replicas\n0,1,-2\n", None, 2, 5, "replicas must be"),
    (Format::Csv, "time,value,replicas\n0,1,two\n", None, 2, 5, "`two` is not a number"),
    (Format::Csv, "# comment\n\ntime,value\n0,1\n15,x\n", None, 5, 4, "not a number"),
    // --- Grafana
    (Format::GrafanaWide, "", None, 1, 1, "empty input"),
    (Format::GrafanaWide, "Series,Value\n", None, 1, 1, "needs a `Time` column"),
    (Format::GrafanaWide, "Time\n", None, 1, 1, "no series columns"),
    (Format::GrafanaWide, "Time,a,a\n", None, 1, 8, "appears twice"),
    (Format::GrafanaWide, "Time,a\n", None, 2, 1, "no data rows"),
    (Format::GrafanaWide, "\"Time\",\"a\"\n\"yesterday\",1\n", None, 2, 1, "`yesterday` is not a time"),
    (Format::GrafanaWide, "Time,a\n2025-11-28 08:00:00,1 %\n", None, 2, 21, "`1 %` is not a number"),
    (Format::GrafanaWide, "Time,a,b\n1764316800000,1\n", None, 2, 16, "expected 3 fields, found 2"),
    (Format::GrafanaLong, "sep=;\nSeries;Time;Value\np;2025-11-28T08:00:00Z;x\n", None, 3, 24, "`x` is not a number"),
    (Format::GrafanaLong, "Series,Time,Value\np,08:00,1\n", None, 2, 3, "`08:00` is not a time"),
    // --- exposition
    (Format::Exposition, "", None, 1, 1, "no sample lines"),
    (Format::Exposition, "# HELP x y\n", None, 1, 1, "no sample lines"),
    (Format::Exposition, "up 1\nup{pod=\"a\" 2\n", None, 2, 12, "expected `,` or `}`"),
    (Format::Exposition, "up{pod=a} 1\n", None, 1, 8, "expected a quoted value for label `pod`"),
    (Format::Exposition, "up{pod\"a\"} 1\n", None, 1, 7, "expected `=` after label `pod`"),
    (Format::Exposition, "up{pod=\"a\\t\"} 1\n", None, 1, 10, "invalid escape `\\t`"),
    (Format::Exposition, "up{pod=\"a} 1\n", None, 1, 8, "unterminated quoted string"),
    (Format::Exposition, "up{pod=\"a\",pod=\"b\"} 1\n", None, 1, 12, "label `pod` appears twice"),
    (Format::Exposition, "up{pod=\"a\"}\n", None, 1, 12, "expected a blank and a value"),
    (Format::Exposition, "up one\n", None, 1, 4, "`one` is not a number"),
    (Format::Exposition, "up 1 12:00\n", None, 1, 6, "not a timestamp (integer milliseconds"),
    (Format::Exposition, "up 1 1000 extra\n", None, 1, 11, "unexpected text after the timestamp"),
    (Format::Exposition, "  9up 1\n", None, 1, 3, "expected a metric name"),
    (Format::Exposition, "up 1 1000\nup 2\n", None, 2, 4, "with and without timestamps"),
    (Format::Exposition, "a 1\nb 2\n", None, 1, 1, "several metrics (`a`, `b`)"),
    (Format::Exposition, "a 1\nb 2\n", Some("gpu_cache_usage_perc"), 1, 1, "metric `gpu_cache_usage_perc` is not in the input; it has: `a`, `b`"),
    (Format::Exposition, "up 1 x\n# EOF\n", None, 1, 6, "OpenMetrics: seconds"),
    // --- Prometheus JSON
    (Format::PrometheusJson, "", None, 1, 1, "empty input"),
    (Format::PrometheusJson, "  \n", None, 1, 1, "empty input"),
    (Format::PrometheusJson, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"query\\\": 1:1: parse error: unexpected end of input\"}", None, 1, 11, "Prometheus returned an error (bad_data): invalid parameter \"query\": 1:1: parse error"),
    (Format::PrometheusJson, "{\n  \"status\": \"error\",\n  \"errorType\": \"timeout\",\n  \"error\": \"query timed out in expression evaluation\"\n}\n", None, 2, 13, "(timeout): query timed out"),
    (Format::PrometheusJson, "{\"data\":{}}", None, 1, 1, "no `status` field"),
    (Format::PrometheusJson, "{\"status\":\"success\"}", None, 1, 1, "no `data.result`"),
    (Format::PrometheusJson, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}", None, 1, 60, "the query returned no series"),
    (Format::PrometheusJson, "{\"status\":\"success\",\"data\":{\"resultType\":\"string\",\"result\":[1,\"x\"]}}", None, 1, 42, "result type `string`"),
    (Format::PrometheusJson, "{\"status\":\"success\",\n\"data\":{\"resultType\":\"matrix\",\"result\":[\n{\"metric\":{},\"values\":[[1,\"0.5\"],[2,\"half\"]]}]}}", None, 3, 38, "`half` is not a number"),
    (Format::PrometheusJson, "{\"status\":\"success\",\n\"data\":{\"resultType\":\"matrix\",\"result\":[\n{\"metric\":{},\"values\":[[1,\"0.5\"] [2,\"1\"]]}]}}", None, 3, 34, "expected `,` or `]`, found `[`"),
    (Format::PrometheusJson, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[\"now\",\"1\"]}]}}", None, 1, 83, "expected a number, found `\"`"),
    (Format::PrometheusJson, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"1\",2]}]}}", None, 1, 88, "expected `]`"),
    (Format::PrometheusJson, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"pod\":1},\"value\":[1,\"1\"]}]}}", None, 1, 78, "expected a string, found `1`"),
    (Format::PrometheusJson, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"pod\":\"a\\q\"},\"value\":[1,\"1\"]}]}}", None, 1, 80, "invalid escape"),
    (Format::PrometheusJson, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"pod\":\"a\"},\"value\":[1,\"1\"]}]}} x", None, 1, 103, "unexpected text after the JSON value"),
    (Format::PrometheusJson, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"pod\":\"a\"},\"value\":[1,\"1\"]}]}", None, 1, 101, "expected `,` or `}`, found the end of the input"),
    (Format::PrometheusJson, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"__name__\":\"a\"},\"value\":[1,\"1\"]},{\"metric\":{\"__name__\":\"b\"},\"value\":[1,\"1\"]}]}}", None, 1, 1, "several metrics (`a`, `b`)"),
    (Format::PrometheusJson, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"__name__\":\"a\"},\"value\":[1,\"1\"]}]}}", Some("b"), 1, 1, "metric `b` is not in the input; it has: `a`"),
    (Format::PrometheusJson, "{\"status\":\"success\",\"data\":{\"result\":[{\"values\":[[1e400,\"1\"]]}]}}", None, 1, 51, "`1e400` is not a time"),
    (Format::PrometheusJson, "{\"status\":\"success\",\"data\":{\"result\":[{\"values\":[[01,\"1\"]]}]}}", None, 1, 52, "expected `,`, found `1`"),
    (Format::PrometheusJson, "{\"status\":\"weird\",\"data\":{\"result\":[]}}", None, 1, 11, "status `weird`"),
];

#[test]
fn malformed_inputs_give_positioned_errors() {
    let mut failures = Vec::new();
    for (i, &(format, input, metric, line, column, fragment)) in CASES.iter().enumerate() {
        match run(format, input, metric) {
            Ok(()) => failures.push(format!("#{i} {format:?} {input:?}: no error")),
            Err(e) => {
                if (e.line, e.column) != (line, column) || !e.to_string().contains(fragment) {
                    failures.push(format!(
                        "#{i} {format:?} {input:?}: got `{e}`, want {line}:{column} `{fragment}`"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn prometheus_error_is_typed() {
    let e = parse_prometheus_json(
        r#"{"status":"error","errorType":"execution","error":"many-to-many matching not allowed"}"#,
        &Hints::default(),
    )
    .unwrap_err();
    assert_eq!(
        e.kind,
        ErrorKind::Prometheus {
            error_type: "execution".into(),
            error: "many-to-many matching not allowed".into()
        }
    );
}

#[test]
fn detection() {
    let cases = [
        ("{\"status\":\"success\"}", Format::PrometheusJson),
        ("\n  {", Format::PrometheusJson),
        ("# HELP up x\nup 1\n", Format::Exposition),
        ("up{pod=\"a\"} 1\n", Format::Exposition),
        (
            "vllm:num_requests_running 3 1764316800000\n",
            Format::Exposition,
        ),
        ("# comment\ntime,value\n0,1\n", Format::Csv),
        ("time,pod,value,namespace\n0,a,1,x\n", Format::Csv),
        (
            "\u{feff}\"Time\",\"{pod=\"\"a\"\"}\"\n",
            Format::GrafanaWide,
        ),
        ("Time,Value\n1764316800000,1\n", Format::GrafanaWide),
        ("Time,Value\n0,1\n", Format::Csv),
        ("sep=;\nSeries;Time;Value\n", Format::GrafanaWide),
        ("Series,Time,Value\n", Format::GrafanaLong),
        ("", Format::Csv),
    ];
    for (text, want) in cases {
        assert_eq!(detect(text), want, "{text:?}");
    }
    // `sep=` lines: the parser tells wide from long.
    let s = detect_and_parse(
        "sep=;\nSeries;Time;Value\na;1764316800000;1\n",
        &Hints::default(),
    )
    .unwrap();
    assert_eq!(s.format, Format::GrafanaLong);
    assert!(s.notes[0].message.contains("grafana-long"));
}

/// Whatever the bytes, no importer panics (a cheap deterministic fuzz over truncations and
/// byte flips of every fixture-like input).
#[test]
fn no_panic_on_mangled_input() {
    let inputs = [
        "time,pod,value,replicas\n0,a,0.5,1\n15,b,NaN,2\n",
        "Series;Time;Value\na;2025-11-28T08:00:00+01:00;1\n",
        "\"Time\",\"{pod=\"\"a\"\"}\"\n\"2025-11-28 08:00:00\",1\n",
        "# TYPE up counter\nup_total{pod=\"a\\\"\\n\"} 1 1000\nup_total{pod=\"a\\\"\\n\"} 0 2000\n",
        "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"pod\":\"\\u00e9\"},\"values\":[[1.5,\"1\"],[2,\"+Inf\"]]}]}}",
    ];
    let flips = [b'"', b'{', b'}', b',', b'\\', b'\n', b'[', b'x', b'9', b' '];
    for text in inputs {
        for cut in 0..=text.len() {
            if let Some(t) = text.get(..cut) {
                let _ = detect_and_parse(t, &Hints::default());
            }
        }
        let bytes = text.as_bytes();
        for i in 0..bytes.len() {
            for &f in &flips {
                let mut b = bytes.to_vec();
                b[i] = f;
                if let Ok(t) = String::from_utf8(b) {
                    if let Ok(s) = detect_and_parse(&t, &Hints::default()) {
                        let _ = scalelens_core::samples::to_demand(
                            &s,
                            scalelens_core::samples::Interpretation::Auto,
                        );
                    }
                }
            }
        }
    }
}

/// `samples::MAX_SERIES` in every format: exactly the limit is read; one series more is an error
/// at the series that crossed it (its line), naming the limit and how to narrow the query.
#[test]
fn series_past_the_limit_are_refused_where_they_start() {
    use scalelens_core::samples::MAX_SERIES;
    type Gen = fn(usize) -> String;
    // (format, generator of n series, line of series number MAX_SERIES + 1)
    let cases: &[(Format, Gen, u32)] = &[
        (
            Format::Exposition,
            |n| {
                (0..n)
                    .map(|i| format!("x{{pod=\"p{i}\"}} 1 1764316800000\n"))
                    .collect()
            },
            MAX_SERIES as u32 + 1,
        ),
        (
            Format::PrometheusJson,
            |n| {
                let series: Vec<String> = (0..n)
                    .map(|i| {
                        format!(
                            "{{\"metric\":{{\"pod\":\"p{i}\"}},\"values\":[[1764316800,\"1\"]]}}"
                        )
                    })
                    .collect();
                format!(
                    "{{\"status\":\"success\",\"data\":{{\"resultType\":\"matrix\",\"result\":[\n{}\n]}}}}",
                    series.join(",\n")
                )
            },
            MAX_SERIES as u32 + 2,
        ),
        (
            Format::Csv,
            |n| {
                let rows: String = (0..n).map(|i| format!("0,p{i},1\n")).collect();
                format!("time,pod,value\n{rows}")
            },
            MAX_SERIES as u32 + 2,
        ),
        (
            Format::GrafanaLong,
            |n| {
                let rows: String = (0..n)
                    .map(|i| format!("\"{{pod=\"\"p{i}\"\"}}\",1764316800000,1\n"))
                    .collect();
                format!("Series,Time,Value\n{rows}")
            },
            MAX_SERIES as u32 + 2,
        ),
        (
            Format::GrafanaWide,
            |n| {
                let cols: Vec<String> = (0..n).map(|i| format!("p{i}")).collect();
                let ones = vec!["1"; n].join(",");
                format!("Time,{}\n1764316800000,{ones}\n", cols.join(","))
            },
            1,
        ),
    ];
    for (i, (format, generate, line)) in cases.iter().enumerate() {
        // Exactly at the limit reads (checked once: a debug build takes seconds per format).
        if i == 0 {
            let at_limit = run(*format, &generate(MAX_SERIES), None);
            assert!(
                at_limit.is_ok(),
                "{format:?}: {:?}",
                at_limit.err().map(|e| e.message())
            );
        }
        let e =
            run(*format, &generate(MAX_SERIES + 1), None).expect_err("one series past the limit");
        assert!(
            matches!(e.kind, ErrorKind::TooManySeries { limit } if limit == MAX_SERIES),
            "{format:?}: {e:?}"
        );
        assert_eq!(e.line, *line, "{format:?}: {}", e.message());
        assert!(
            e.message()
                .contains(&format!("more than {MAX_SERIES} series")),
            "{}",
            e.message()
        );
        assert!(e.message().contains("sum by (pod)"), "{}", e.message());
    }
}
