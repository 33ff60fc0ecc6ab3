//! Several metrics from the command line: `--demand NAME=FILE` repeated and a demand CSV with a
//! column per metric replay the same multi-metric HPA the same way, the larger recommendation
//! winning at each sync; `explain` says which metric decided; bad combinations are clear
//! errors. The engine is tested in `core/tests/it/multi_metric.rs`; the fixtures are
//! `tests/testdata/multi-metric/`.

use scalelens_tests::run_cli;

const HPA: &str = "testdata/multi-metric/hpa-two-pods-metrics.yaml";
const COLUMNS: &str = "testdata/multi-metric/two-columns.csv";
const RPS: &str = "requests_per_second=testdata/multi-metric/rps.csv";
const WAITING: &str = "vllm:num_requests_waiting=testdata/multi-metric/waiting.csv";
const OPTIONS: &[&str] = &[
    "--initial-replicas",
    "1",
    "--pod-startup",
    "0s",
    "--duration",
    "90s",
];

fn simulate(demand: &[&str], extra: &[&str]) -> scalelens_tests::CliRun {
    let mut args = vec!["simulate", HPA];
    for d in demand {
        args.extend(["--demand", d]);
    }
    args.extend_from_slice(OPTIONS);
    args.extend_from_slice(extra);
    run_cli(&args)
}

/// The timeline CSV's (time, desired) per row.
fn desired_by_time(csv: &str) -> Vec<(String, String)> {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (t, d) = (col("t"), col("desired"));
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[t].to_string(), f[d].to_string())
        })
        .collect()
}

#[test]
fn named_files_and_a_column_per_metric_replay_alike() {
    let files = simulate(&[RPS, WAITING], &["--format", "csv"]);
    let columns = simulate(&[COLUMNS], &["--format", "csv"]);
    assert_eq!(
        (files.code, columns.code),
        (0, 0),
        "{}{}",
        files.err,
        columns.err
    );
    let want: Vec<(String, String)> = [
        ("0", "4"),
        ("15", "4"),
        ("30", "12"),
        ("45", "12"),
        ("60", "11"),
        ("75", "11"),
        ("90", "11"),
    ]
    .iter()
    .map(|(t, d)| (t.to_string(), d.to_string()))
    .collect();
    assert_eq!(desired_by_time(&files.out), want, "{}", files.out);
    assert_eq!(desired_by_time(&columns.out), want, "{}", columns.out);
}

#[test]
fn explain_names_the_metric_that_decided() {
    let mut args = vec!["explain", HPA, "--demand", RPS, "--demand", WAITING];
    args.extend_from_slice(OPTIONS);
    args.extend(["--at", "0:00:30", "--around", "30s"]);
    let run = run_cli(&args);
    assert_eq!(run.code, 0, "{}", run.err);
    insta::assert_snapshot!("explain_two_metrics", run.out);
}

/// (demand arguments, what stderr says).
#[test]
fn bad_demand_arguments_are_clear_errors() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["rps=testdata/multi-metric/two-columns.csv"],
            "takes a file with one value column",
        ),
        (
            &[
                "a=testdata/multi-metric/rps.csv",
                "a=testdata/multi-metric/waiting.csv",
            ],
            "two demand series for metric `a`",
        ),
        (
            &[
                "testdata/multi-metric/rps.csv",
                "testdata/multi-metric/waiting.csv",
            ],
            "two demand series without a metric name",
        ),
        (
            &["=testdata/multi-metric/rps.csv"],
            "the metric name before `=` is empty",
        ),
    ];
    for (demand, message) in cases {
        let run = simulate(demand, &[]);
        assert_ne!(run.code, 0, "{demand:?}");
        assert!(run.err.contains(message), "{demand:?}: {}", run.err);
    }
}

/// One column for a two-metric HPA: the note names the metric that reads 0.
#[test]
fn a_metric_without_a_series_is_named() {
    let run = simulate(&["testdata/multi-metric/rps.csv"], &[]);
    assert_eq!(run.code, 0, "{}", run.err);
    let all = format!("{}{}", run.out, run.err);
    assert!(
        all.contains(
            "no demand series for 1 of the 2 metric(s): `vllm:num_requests_waiting` read 0"
        ),
        "{all}"
    );
}

/// `simulate --format json` names, at each sync, the metric whose proposal the HPA took: the
/// requests-per-second one while it asks for more, the waiting-requests one from 30 s (60
/// waiting over a target of 5 asks for 12), the first again once the queue is empty.
#[test]
fn the_json_timeline_names_the_deciding_metric() {
    let run = simulate(&[RPS, WAITING], &["--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.err);
    let v: serde_json::Value = serde_json::from_str(&run.out).expect("JSON");
    let got: Vec<(u64, Option<&str>)> = v["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .map(|e| (e["t"].as_u64().unwrap_or(u64::MAX), e["metric"].as_str()))
        .collect();
    let (rps, waiting) = (
        Some("requests_per_second"),
        Some("vllm:num_requests_waiting"),
    );
    let want = vec![
        (0, rps),
        (15, rps),
        (30, waiting),
        (45, waiting),
        (60, rps),
        (75, rps),
        (90, rps),
    ];
    assert_eq!(got, want, "{}", run.out);
}
