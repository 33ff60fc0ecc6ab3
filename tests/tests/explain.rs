//! `core::explain` and `scalelens explain`: the decision trace around a moment, with the rule
//! and the setting (YAML span or upstream default) behind each replica count. Snapshots of the
//! text on the seed case (AIBrix v0.4 and v0.7) and one case per other family; JSON structure;
//! clear errors for a bad or out-of-range `--at`.

use scalelens_core::explain::{self, ExplainError, MomentKind};
use scalelens_core::sim::{self, SimOptions, SimOutput};
use scalelens_core::span::Origin;
use scalelens_core::Autoscaler;
use scalelens_tests::{one_autoscaler, read_testdata, run_cli};

const SEED: &str = "../examples/seed-kpa-gpu-cache/autoscaler.yaml";
const SEED_DEMAND: &str = "../examples/seed-kpa-gpu-cache/demand.csv";
const SEED_PERCENT: &str = "../examples/seed-kpa-gpu-cache/demand-percent.csv";

/// (snapshot name, arguments after `explain`).
fn cases() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        (
            "seed_v04_default_moment",
            vec![SEED, "--demand", SEED_DEMAND, "--aibrix-version", "v0.4"],
        ),
        (
            "seed_v04_at_1h",
            vec![
                SEED,
                "--demand",
                SEED_DEMAND,
                "--aibrix-version",
                "v0.4",
                "--at",
                "1:09:50",
                "--around",
                "1m",
            ],
        ),
        (
            "seed_v07_fraction",
            vec![SEED, "--demand", SEED_DEMAND, "--around", "2m"],
        ),
        (
            "seed_v07_percent",
            vec![
                SEED,
                "--demand",
                SEED_PERCENT,
                "--at",
                "0:42:50",
                "--around",
                "1m",
            ],
        ),
        (
            "aibrix_apa",
            vec![
                "../examples/aibrix-apa/autoscaler.yaml",
                "--demand",
                "../examples/demand/requests.csv",
                "--pod-startup",
                "120s",
                "--around",
                "2m",
            ],
        ),
        (
            "hpa_behavior",
            vec![
                "../examples/hpa-behavior/autoscaler.yaml",
                "--demand",
                "../examples/demand/requests.csv",
                "--pod-startup",
                "30s",
                "--initial-replicas",
                "1",
                "--around",
                "2m",
            ],
        ),
        (
            "hpa_legacy",
            vec![
                "testdata/timelines/hpa-legacy/autoscaler.yaml",
                "--demand",
                "../examples/demand/requests.csv",
                "--pod-startup",
                "30s",
                "--initial-replicas",
                "1",
                "--around",
                "2m",
            ],
        ),
        (
            "keda_prometheus",
            vec![
                "../examples/keda-activation/autoscaler.yaml",
                "--demand",
                "../examples/demand/requests.csv",
                "--pod-startup",
                "30s",
                "--initial-replicas",
                "0",
                "--around",
                "2m",
            ],
        ),
        (
            "knative_kpa",
            vec![
                "../examples/knative-panic/autoscaler.yaml",
                "--demand",
                "../examples/demand/requests.csv",
                "--pod-startup",
                "10s",
                "--around",
                "30s",
            ],
        ),
    ]
}

#[test]
fn explain_text_snapshots() {
    for (name, args) in cases() {
        let mut argv = vec!["explain"];
        argv.extend(args.iter().copied());
        let run = run_cli(&argv);
        assert_eq!(run.code, 0, "{name}: {}", run.err);
        assert!(run.out.contains("Why "), "{name}: {}", run.out);
        insta::assert_snapshot!(name, run.out);
    }
}

/// `a` replayed against the demand CSV `demand` (under `tests/testdata/`), with the defaults.
fn replay(a: &Autoscaler, demand: &str) -> SimOutput {
    let d = scalelens_core::demand::parse_csv(&read_testdata(demand))
        .unwrap_or_else(|e| panic!("{demand}: {e:?}"));
    sim::simulate(a, &d, &SimOptions::default())
}

/// The only autoscaler of `yaml`, read as AIBrix v0.4.
fn v04(yaml: &str) -> Autoscaler {
    scalelens_tests::one_autoscaler_with(
        yaml,
        &scalelens_core::config::ParseOptions {
            aibrix_version: scalelens_core::model::AibrixVersion::V0_4,
            ..Default::default()
        },
    )
}

fn seed_v04() -> (Autoscaler, SimOutput) {
    let a = v04(&read_testdata(
        "examples/seed-kpa-gpu-cache/autoscaler.yaml",
    ));
    let out = replay(&a, "examples/seed-kpa-gpu-cache/demand.csv");
    (a, out)
}

/// The seed case on AIBrix v0.4: the default moment is when the 30-minute scale-down delay
/// starts holding 7 replicas, and the cause names the delay's annotation and its upstream
/// default.
#[test]
fn seed_v04_names_the_scale_down_delay() {
    let (a, out) = seed_v04();
    let (at, kind) = explain::interesting_moment(&a, &out).expect("a moment");
    assert_eq!(kind, MomentKind::StoppedFollowing);
    assert_eq!(at, 40 * 60_000);
    let ex = explain::explain(&a, &out, at, 60_000).expect("explains");
    let focus = &ex.steps[ex.focus.expect("focus")];
    assert_eq!((focus.t, focus.replicas, focus.desired), (at, 7, 7));
    assert!(focus.desired_raw < 7);
    let cause = focus.cause.as_ref().expect("a cause");
    assert_eq!(cause.setting, "kpa.autoscaling.aibrix.ai/scale-down-delay");
    assert_eq!(cause.value, "30m");
    assert!(
        matches!(cause.origin, Origin::Default { source } if source.contains("v0.4.0")),
        "{:?}",
        cause.origin
    );
    assert!(
        ex.headline
            .contains("held at 7 by the scale-down delay 30m"),
        "{}",
        ex.headline
    );
    // Every step of the window is there (AIBrix resyncs every 10 s): 13 in ±60 s.
    assert_eq!(ex.steps.len(), 13);
    assert!(ex.steps.windows(2).all(|w| w[0].t < w[1].t));
}

/// After the seed case's load stops, AIBrix v0.7.0 stays in panic mode because its stable value
/// is 0 (upstream `shouldEnterPanicMode`): the trace says it is a panic with no load, an
/// upstream quirk, and keeps plain "panic mode" for the panics under load (AIBrix v0.4 and
/// Knative have no such quirk).
#[test]
fn panic_with_no_load_is_named_an_upstream_quirk() {
    let a = one_autoscaler(&read_testdata(
        "examples/seed-kpa-gpu-cache/autoscaler.yaml",
    ));
    let out = replay(&a, "examples/seed-kpa-gpu-cache/demand-percent.csv");
    // 0:43:20: minReplicas 1 in panic mode, the stable value 0 (the load stopped at 0:40).
    let at = (43 * 60 + 20) * 1000;
    let ex = explain::explain(&a, &out, at, 0).expect("explains");
    let focus = &ex.steps[ex.focus.expect("focus")];
    assert_eq!(focus.mode.as_str(), "panic");
    assert_eq!(focus.observed, Some(0.0));
    assert!(focus.panic_without_load);
    assert!(
        focus
            .sentence
            .contains("[panic mode with no load: an upstream AIBrix v0.7.0 quirk"),
        "{}",
        focus.sentence
    );
    assert!(
        ex.headline.contains("in panic mode with no load ("),
        "{}",
        ex.headline
    );
    let json = serde_json::to_value(focus).expect("serializes");
    assert_eq!(json["panic_without_load"], true);
    // Panics with load, and the other generation, keep the plain words.
    let surge: Vec<_> = out
        .timeline
        .iter()
        .filter(|e| e.mode.as_str() == "panic" && e.observed > 0.0)
        .collect();
    for e in surge {
        let ex = explain::explain(&a, &out, e.t, 0).expect("explains");
        let st = &ex.steps[ex.focus.expect("focus")];
        assert!(
            !st.panic_without_load && st.sentence.contains("[panic mode]"),
            "{}",
            st.sentence
        );
    }
    let (a4, out4) = seed_v04();
    let ex = explain::explain(&a4, &out4, 0, out4.duration).expect("explains");
    assert!(ex.steps.iter().all(|s| !s.panic_without_load));
}

/// A setting written in the YAML points at its line and column.
#[test]
fn written_settings_point_at_their_yaml_span() {
    let yaml = read_testdata("examples/seed-kpa-gpu-cache/autoscaler.yaml").replace(
        "  name: deepseek-llm-7b-chat-kpa\n",
        "  name: deepseek-llm-7b-chat-kpa\n  annotations:\n    kpa.autoscaling.aibrix.ai/scale-down-delay: \"10m\"\n",
    );
    let a = v04(&yaml);
    let out = replay(&a, "examples/seed-kpa-gpu-cache/demand.csv");
    let (at, _) = explain::interesting_moment(&a, &out).expect("a moment");
    let ex = explain::explain(&a, &out, at, 0).expect("explains");
    let cause = ex.steps[0].cause.as_ref().expect("a cause");
    assert_eq!(cause.value, "10m");
    match cause.origin {
        Origin::Yaml { line, column, .. } => assert_eq!((line, column), (37, 49)),
        o => panic!("expected a YAML origin, got {o:?}"),
    }
    assert!(
        cause.describe(Some("a.yaml")).ends_with("a.yaml:37:49)"),
        "{}",
        cause.describe(Some("a.yaml"))
    );
}

#[test]
fn outside_the_replay_and_empty_timelines_are_errors() {
    let (a, out) = seed_v04();
    let end = out.timeline.last().expect("timeline").t;
    assert!(explain::explain(&a, &out, end + 10_000, 0).is_ok());
    let err = explain::explain(&a, &out, end + 10_001, 0).expect_err("outside");
    assert!(matches!(err, ExplainError::OutsideHorizon { .. }));
    assert!(err.to_string().contains("is outside the replay"), "{err}");
    let empty = SimOutput {
        timeline: Vec::new(),
        ..out.clone()
    };
    assert_eq!(
        explain::explain(&a, &empty, 0, 0),
        Err(ExplainError::EmptyTimeline)
    );
    assert_eq!(explain::interesting_moment(&a, &empty), None);
}

/// The replay of a flat demand never departs from its start: the moment is the start.
#[test]
fn flat_demand_explains_the_start() {
    let a = one_autoscaler(&read_testdata("bench/aibrix-kpa.yaml"));
    let d = scalelens_core::demand::DemandSeries::from_points(vec![(0, 0.0), (600_000, 0.0)]);
    let out = sim::simulate(&a, &d, &SimOptions::default());
    let (at, kind) = explain::interesting_moment(&a, &out).expect("a moment");
    assert_eq!((at, kind), (0, MomentKind::Start));
}

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
    let v = explain_json(
        "seed v0.4 at 40m",
        &[
            SEED,
            "--demand",
            SEED_DEMAND,
            "--aibrix-version",
            "v0.4",
            "--at",
            "40m",
            "--around",
            "30s",
        ],
    );
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
        let v = explain_json(
            at,
            &[
                SEED,
                "--demand",
                SEED_DEMAND,
                "--aibrix-version",
                "v0.4",
                "--at",
                at,
            ],
        );
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

/// A `check` or `simulate --format json` and the import report it must hold.
struct ImportCase {
    name: &'static str,
    /// The arguments before `--format json`.
    args: &'static [&'static str],
    /// The interpretation asked and used; `None`: no import report.
    interpretation: Option<(&'static str, &'static str)>,
}

/// Item C: the samples import (notes and interpretation) is in the JSON of `check` and
/// `simulate` with `--samples`, and absent without.
#[test]
fn import_report_in_json_outputs() {
    const SAMPLES: &str = "../examples/seed-kpa-gpu-cache/samples-percent.prom.json";
    let cases = [
        ImportCase {
            name: "check --samples",
            args: &["check", SEED, "--samples", SAMPLES],
            interpretation: Some(("auto", "per-pod")),
        },
        ImportCase {
            name: "simulate --samples",
            args: &["simulate", SEED, "--samples", SAMPLES],
            interpretation: Some(("auto", "per-pod")),
        },
        ImportCase {
            name: "check --samples-are total",
            args: &[
                "check",
                SEED,
                "--samples",
                SAMPLES,
                "--samples-are",
                "total",
            ],
            interpretation: Some(("total", "total")),
        },
        ImportCase {
            name: "simulate --samples-are total",
            args: &[
                "simulate",
                SEED,
                "--samples",
                SAMPLES,
                "--samples-are",
                "total",
            ],
            interpretation: Some(("total", "total")),
        },
        ImportCase {
            name: "simulate --demand",
            args: &["simulate", SEED, "--demand", SEED_DEMAND],
            interpretation: None,
        },
        ImportCase {
            name: "check without samples",
            args: &["check", SEED],
            interpretation: None,
        },
    ];
    for c in &cases {
        let case = c.name;
        let mut argv = c.args.to_vec();
        argv.extend(["--format", "json"]);
        let run = run_cli(&argv);
        assert!(run.code <= 1, "{case}: {}", run.err);
        let v: serde_json::Value =
            serde_json::from_str(&run.out).unwrap_or_else(|e| panic!("{case}: {e}\n{}", run.out));
        let Some((asked, used)) = c.interpretation else {
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

/// `desired_raw` is the metric's count before rate limits, windows and min/max (the contract of
/// `Decision::desired_raw`, drawn by the chart as "desired (metric only)" and shown by explain
/// as "by metric"), for both AIBrix generations.
#[test]
fn desired_raw_is_the_metric_count_before_rate_limits() {
    // v0.7.0 KPA, percent data against a 0.5 target: ceil(30.3 / 0.5) = 61, limited to 2.
    let a = one_autoscaler(&read_testdata(
        "examples/seed-kpa-gpu-cache/autoscaler.yaml",
    ));
    let out = replay(&a, "examples/seed-kpa-gpu-cache/demand-percent.csv");
    let first = &out.timeline[0];
    assert_eq!((first.desired_raw, first.desired), (61, 2));
    assert!(matches!(
        first.reason,
        scalelens_core::algorithm::Reason::MaxScaleUpRate { limit: 2 }
    ));
    // v0.4.0 KPA: once the load is gone the metric asks for 0 while the delay holds 7.
    let (_, out) = seed_v04();
    let e = out
        .timeline
        .iter()
        .find(|e| e.t == 45 * 60_000)
        .expect("an evaluation at 45m");
    assert_eq!((e.desired_raw, e.desired), (0, 7));
}
