//! `core::explain` on replays: the decision trace around a moment, with the rule and the
//! setting (YAML span or upstream default) behind each replica count, the moment chosen by
//! default, and the errors for a moment outside the replay or an empty timeline. What
//! `scalelens explain` prints is tested in `tests/tests/cli_explain.rs`.

use scalelens_core::explain::{self, ExplainError, MomentKind};
use scalelens_core::sim::{self, SimOptions, SimOutput};
use scalelens_core::span::Origin;
use scalelens_core::Autoscaler;

use crate::fixtures::{one_autoscaler, one_autoscaler_with, read_testdata};

/// `a` replayed against the demand CSV `demand` (under `tests/testdata/`), with the defaults.
fn replay(a: &Autoscaler, demand: &str) -> SimOutput {
    let d = scalelens_core::demand::parse_csv(&read_testdata(demand))
        .unwrap_or_else(|e| panic!("{demand}: {e:?}"));
    sim::simulate(a, &d, &SimOptions::default())
}

/// The only autoscaler of `yaml`, read as AIBrix v0.4.
fn v04(yaml: &str) -> Autoscaler {
    one_autoscaler_with(
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
        matches!(cause.origin, Origin::Default { source } if source.tag == "v0.4.0"),
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
            .contains("[panic mode with no load: an upstream AIBrix quirk of v0.5.0 to v0.7.0"),
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

/// A moment past the replay's end (beyond one resync) is an error that says so.
#[test]
fn outside_the_replay_is_an_error() {
    let (a, out) = seed_v04();
    let end = out.timeline.last().expect("timeline").t;
    assert!(explain::explain(&a, &out, end + 10_000, 0).is_ok());
    let err = explain::explain(&a, &out, end + 10_001, 0).expect_err("outside");
    assert!(matches!(err, ExplainError::OutsideHorizon { .. }));
    assert!(err.to_string().contains("is outside the replay"), "{err}");
}

/// An empty timeline has nothing to explain and no interesting moment.
#[test]
fn empty_timeline_is_an_error() {
    let (a, out) = seed_v04();
    let empty = SimOutput {
        timeline: Vec::new(),
        ..out
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

/// Knative's target as explain names it: the written total times the target utilization
/// (`ResolveMetricTarget`), with where the utilization comes from, not a 7 credited to the
/// `"10"` alone (issue 14, bug 10). Each row: the utilization annotation written (if any) and
/// the setting's value in words.
#[test]
fn knative_target_names_its_utilization() {
    use scalelens_core::knobs::{self, Concept};
    let cases = [
        (
            "",
            "7 (= 10 × 70% utilization, upstream default: knative/serving pkg/autoscaler/config/config.go defaultConfig (v1.20))",
        ),
        (
            "        autoscaling.knative.dev/target-utilization-percentage: \"50\"\n",
            "5 (= 10 × 50% utilization, line 10:64)",
        ),
        (
            "        autoscaling.knative.dev/target-utilization-percentage: \"100\"\n",
            "10",
        ),
    ];
    for (utilization, want) in cases {
        let a = one_autoscaler(&crate::common::knative_chat(utilization));
        let s = knobs::setting(&a, Concept::Target).expect("the target's setting");
        assert_eq!(s.value, want, "{utilization:?}");
        assert_eq!(s.setting, "autoscaling.knative.dev/target");
    }
}
