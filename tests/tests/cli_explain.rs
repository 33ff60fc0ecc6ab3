//! `scalelens explain`: the decision trace around a moment as a user reads it. Snapshots of the
//! text on the seed case (AIBrix v0.4 and v0.7) and one case per other family; JSON structure;
//! clear errors for a bad or out-of-range `--at`. The engine behind it (`core::explain`) is
//! tested in `core/tests/it/explain.rs`.

use scalelens_tests::run_cli;

const SEED: &str = "../examples/seed-kpa-gpu-cache/autoscaler.yaml";
const SEED_DEMAND: &str = "../examples/seed-kpa-gpu-cache/demand.csv";

/// (snapshot name, the command line after `scalelens explain`).
const CASES: &[(&str, &str)] = &[
    ("seed_v04_default_moment", "../examples/seed-kpa-gpu-cache/autoscaler.yaml --demand ../examples/seed-kpa-gpu-cache/demand.csv --aibrix-version v0.4"),
    ("seed_v04_at_1h", "../examples/seed-kpa-gpu-cache/autoscaler.yaml --demand ../examples/seed-kpa-gpu-cache/demand.csv --aibrix-version v0.4 --at 1:09:50 --around 1m"),
    ("seed_v07_fraction", "../examples/seed-kpa-gpu-cache/autoscaler.yaml --demand ../examples/seed-kpa-gpu-cache/demand.csv --around 2m"),
    ("seed_v07_percent", "../examples/seed-kpa-gpu-cache/autoscaler.yaml --demand ../examples/seed-kpa-gpu-cache/demand-percent.csv --at 0:42:50 --around 1m"),
    ("aibrix_apa", "../examples/aibrix-apa/autoscaler.yaml --demand ../examples/demand/requests.csv --pod-startup 120s --around 2m"),
    ("hpa_behavior", "../examples/hpa-behavior/autoscaler.yaml --demand ../examples/demand/requests.csv --pod-startup 30s --initial-replicas 1 --around 2m"),
    ("hpa_legacy", "testdata/timelines/hpa-legacy/autoscaler.yaml --demand ../examples/demand/requests.csv --pod-startup 30s --initial-replicas 1 --around 2m"),
    ("keda_prometheus", "../examples/keda-activation/autoscaler.yaml --demand ../examples/demand/requests.csv --pod-startup 30s --initial-replicas 0 --around 2m"),
    ("keda_kafka_lag", "testdata/config/keda/kafka-lag.yaml --demand testdata/timelines/_demand/kafka-lag.csv --pod-startup 20s --initial-replicas 0 --at 0:04:00 --around 30s"),
    ("knative_kpa", "../examples/knative-panic/autoscaler.yaml --demand ../examples/demand/requests.csv --pod-startup 10s --around 30s"),
];

#[test]
fn explain_text_snapshots() {
    for (name, line) in CASES {
        let mut argv = vec!["explain"];
        argv.extend(line.split_whitespace());
        let run = run_cli(&argv);
        assert_eq!(run.code, 0, "{name}: {}", run.err);
        assert!(run.out.contains("Why "), "{name}: {}", run.out);
        insta::assert_snapshot!(*name, run.out);
    }
}

/// The seed case replayed as AIBrix v0.4.
const SEED_V04: &[&str] = &[SEED, "--demand", SEED_DEMAND, "--aibrix-version", "v0.4"];

/// `scalelens explain ARGS --format json`, which must succeed (`case` names it in failures).
fn explain_json(case: &str, args: &[&str]) -> serde_json::Value {
    let mut argv = vec!["explain"];
    argv.extend_from_slice(args);
    argv.extend(["--format", "json"]);
    let run = run_cli(&argv);
    assert_eq!(run.code, 0, "{case}: {}", run.err);
    serde_json::from_str(&run.out).unwrap_or_else(|e| panic!("{case}: {e}\n{}", run.out))
}

#[test]
fn json_is_the_explanation_as_data() {
    let args = [SEED_V04, &["--at", "40m", "--around", "30s"]].concat();
    let v = explain_json("seed v0.4 at 40m", &args);
    let ex = &v["explanation"];
    assert_eq!(ex["at"], 2_400_000);
    assert_eq!(ex["steps"].as_array().map(Vec::len), Some(7));
    let focus = ex["focus"].as_u64().expect("focus") as usize;
    let step = &ex["steps"][focus];
    assert_eq!(step["reason"]["rule"], "scale_down_delay");
    assert_eq!(step["reason"]["held"], 7);
    assert_eq!(step["change"], "hold");
    assert_eq!(
        step["cause"]["setting"],
        "kpa.autoscaling.aibrix.ai/scale-down-delay"
    );
    assert_eq!(step["cause"]["origin"]["from"], "default");
    assert_eq!(ex["metric"]["name"], "gpu_cache_usage_perc");
    assert_eq!(ex["metric"]["target_origin"]["line"], 52);
    assert_eq!(v["at_chosen_as"], serde_json::Value::Null);
    assert_eq!(v["samples"], serde_json::Value::Null);
}

/// `--at` in every accepted form lands on the same moment.
#[test]
fn at_forms_agree() {
    for at in ["40m", "2400", "0:40:00", "40:00"] {
        let v = explain_json(at, &[SEED_V04, &["--at", at]].concat());
        assert_eq!(v["explanation"]["at"], 2_400_000, "{at}");
    }
}

/// RFC 3339 `--at` against samples with Unix times.
#[test]
fn rfc3339_at_on_epoch_samples() {
    let v = explain_json(
        "seed, percent samples",
        &[
            SEED,
            "--samples",
            "../examples/seed-kpa-gpu-cache/samples-percent.prom.json",
        ],
    );
    assert_eq!(v["samples"]["format"], "prometheus-json");
    assert!(v["at_chosen_as"].is_string());
}

#[test]
fn bad_at_is_a_clear_error() {
    let cases: &[(&[&str], &str)] = &[
        (&["--at", "soon"], "error: bad --at \"soon\""),
        (
            &["--at", "9h"],
            "error: --at: 9:00:00 is outside the replay, which runs from 0:00:00 to 1:30:20",
        ),
        (
            &["--at", "2024-05-01T10:00:00Z"],
            "is an RFC 3339 time, but the input's times are relative",
        ),
        (&["--around", "x"], "invalid value 'x' for '--around"),
    ];
    for (extra, expected) in cases {
        let mut argv = vec!["explain", SEED, "--demand", SEED_DEMAND];
        argv.extend_from_slice(extra);
        let run = run_cli(&argv);
        assert_eq!(run.code, 2, "{extra:?}: {}", run.out);
        assert!(run.err.contains(expected), "{extra:?}: {}", run.err);
        assert!(run.out.is_empty(), "{extra:?}: {}", run.out);
    }
}

/// Item C: the samples import (notes and interpretation) is in the JSON of `check` and
/// `simulate` with `--samples`, and absent without.
#[test]
fn import_report_in_json_outputs() {
    const SAMPLES: &str = "../examples/seed-kpa-gpu-cache/samples-percent.prom.json";
    let samples: &[&str] = &["--samples", SAMPLES];
    let total: &[&str] = &["--samples", SAMPLES, "--samples-are", "total"];
    // (command, the arguments after the config, the interpretation asked and used; `None`: no
    // import report).
    type Interpretation = Option<(&'static str, &'static str)>;
    let per_pod = Some(("auto", "per-pod"));
    let cases: [(&str, &[&str], Interpretation); 6] = [
        ("check", samples, per_pod),
        ("simulate", samples, per_pod),
        ("check", total, Some(("total", "total"))),
        ("simulate", total, Some(("total", "total"))),
        ("simulate", &["--demand", SEED_DEMAND], None),
        ("check", &[], None),
    ];
    for (command, args, interpretation) in cases {
        let mut argv = vec![command, SEED];
        argv.extend_from_slice(args);
        let case = argv.join(" ");
        argv.extend(["--format", "json"]);
        let run = run_cli(&argv);
        assert!(run.code <= 1, "{case}: {}", run.err);
        let v: serde_json::Value =
            serde_json::from_str(&run.out).unwrap_or_else(|e| panic!("{case}: {e}\n{}", run.out));
        let Some((asked, used)) = interpretation else {
            assert!(v.get("samples").is_none(), "{case}: {}", v["samples"]);
            continue;
        };
        let s = &v["samples"];
        assert_eq!(s["file"], SAMPLES, "{case}");
        assert_eq!(s["format"], "prometheus-json", "{case}");
        assert_eq!(s["interpretation"]["asked"], asked, "{case}");
        assert_eq!(s["interpretation"]["used"], used, "{case}");
        assert_eq!(s["time_base"], "epoch", "{case}");
        let notes = s["notes"].as_array().expect("notes");
        let read_as = format!("read as {used}");
        assert!(
            notes
                .iter()
                .any(|n| n["code"] == "samples-demand-interpretation"
                    && n["severity"] == "note"
                    && n["message"]
                        .as_str()
                        .is_some_and(|m| m.starts_with(&read_as))),
            "{case}: {notes:?}"
        );
    }
}
