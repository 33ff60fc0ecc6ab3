//! The messages of the replay's and the input's limits as the command line prints them (insta
//! snapshots of stdout + stderr, run in-process): a replay refused for the configuration's
//! errors, a window, an input over `--max-input-size`, `explain --at` inside a window, a long
//! replay the user allowed with `--max-evaluations`.

use scalelens_tests::run_cli;

/// (snapshot name, command line as typed after `scalelens`, exit code).
const CASES: &[(&str, &str, u8)] = &[
    ("check-samples-min-above-max", "check testdata/hostile/min-above-max.yaml --samples testdata/hostile/demand.csv", 1),
    ("check-samples-window-outside", "check testdata/hostile/kpa.yaml --samples testdata/analysis/stray-sample/samples.prom.json --from 2025-11-29T08:00:00Z", 2),
    ("check-samples-window", "check testdata/hostile/kpa.yaml --samples testdata/analysis/stray-sample/samples.prom.json --from 2025-11-28T09:00:00Z --to 1764331200", 0),
    ("explain-min-above-max", "explain testdata/hostile/min-above-max.yaml --demand testdata/hostile/demand.csv", 1),
    ("input-too-large", "check testdata/hostile/hpa.yaml --max-input-size 0.1KB", 2),
    ("simulate-duration-too-long", "simulate testdata/hostile/hpa.yaml --demand testdata/hostile/demand.csv --duration 1000h", 2),
    ("explain-at-inside-a-window", "explain testdata/hostile/hpa.yaml --demand testdata/timelines/_demand/cpu-40-days.csv --from 864000 --to 950400 --at 241:00:00 --around 1m --pod-startup 30s --initial-replicas 2", 0),
    ("explain-forty-days-raised-limit", "explain testdata/hostile/hpa.yaml --demand testdata/timelines/_demand/cpu-40-days.csv --max-evaluations 240000 --at 900:00:00 --around 1m --pod-startup 30s --initial-replicas 2", 0),
    ("explain-forty-days-limit", "explain testdata/hostile/hpa.yaml --demand testdata/timelines/_demand/cpu-40-days.csv --at 900:00:00", 2),
    ("max-evaluations-above-ceiling", "simulate testdata/hostile/hpa.yaml --demand testdata/hostile/demand.csv --max-evaluations 32000001", 2),
];

#[test]
fn limit_messages() {
    for (name, line, code) in CASES {
        let args: Vec<&str> = line.split_whitespace().collect();
        let r = run_cli(&args);
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
