//! The messages of the replay's and the input's limits as the command line prints them (insta
//! snapshots of stdout + stderr, run in-process): a replay refused for the configuration's
//! errors, a window, an input over `--max-input-size`, `explain --at` inside a window, a long
//! replay the user allowed with `--max-evaluations`.

use scalelens_tests::run_cli;

const HPA: &str = "testdata/hostile/hpa.yaml";
const MIN_ABOVE_MAX: &str = "testdata/hostile/min-above-max.yaml";
const KPA: &str = "testdata/hostile/kpa.yaml";
const DEMAND: &str = "testdata/hostile/demand.csv";
const FORTY_DAYS: &str = "testdata/timelines/_demand/cpu-40-days.csv";
const STRAY: &str = "testdata/analysis/stray-sample/samples.prom.json";

/// (snapshot name, command line, exit code).
const CASES: &[(&str, &[&str], u8)] = &[
    (
        "check-samples-min-above-max",
        &["check", MIN_ABOVE_MAX, "--samples", DEMAND],
        1,
    ),
    (
        "check-samples-window-outside",
        &[
            "check",
            KPA,
            "--samples",
            STRAY,
            "--from",
            "2025-11-29T08:00:00Z",
        ],
        2,
    ),
    (
        "check-samples-window",
        &[
            "check",
            KPA,
            "--samples",
            STRAY,
            "--from",
            "2025-11-28T09:00:00Z",
            "--to",
            "1764331200",
        ],
        0,
    ),
    (
        "explain-min-above-max",
        &["explain", MIN_ABOVE_MAX, "--demand", DEMAND],
        1,
    ),
    (
        "input-too-large",
        &["check", HPA, "--max-input-size", "0.1KB"],
        2,
    ),
    (
        "simulate-duration-too-long",
        &["simulate", HPA, "--demand", DEMAND, "--duration", "1000h"],
        2,
    ),
    (
        "explain-at-inside-a-window",
        &[
            "explain",
            HPA,
            "--demand",
            FORTY_DAYS,
            "--from",
            "864000",
            "--to",
            "950400",
            "--at",
            "241:00:00",
            "--around",
            "1m",
            "--pod-startup",
            "30s",
            "--initial-replicas",
            "2",
        ],
        0,
    ),
    (
        "explain-forty-days-raised-limit",
        &[
            "explain",
            HPA,
            "--demand",
            FORTY_DAYS,
            "--max-evaluations",
            "240000",
            "--at",
            "900:00:00",
            "--around",
            "1m",
            "--pod-startup",
            "30s",
            "--initial-replicas",
            "2",
        ],
        0,
    ),
    (
        "explain-forty-days-limit",
        &["explain", HPA, "--demand", FORTY_DAYS, "--at", "900:00:00"],
        2,
    ),
    (
        "max-evaluations-above-ceiling",
        &[
            "simulate",
            HPA,
            "--demand",
            DEMAND,
            "--max-evaluations",
            "32000001",
        ],
        2,
    ),
];

#[test]
fn limit_messages() {
    for (name, args, code) in CASES {
        let r = run_cli(args);
        let report = format!(
            "$ scalelens {}\nexit code {}\n\n{}{}",
            args.join(" "),
            r.code,
            r.out,
            r.err
        );
        assert_eq!(r.code, *code, "{report}");
        insta::assert_snapshot!(*name, report);
    }
}
