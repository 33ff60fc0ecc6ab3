//! Several metrics, one series each: the demand carries a series per metric (a CSV column per
//! metric, `NAME=FILE` series combined, samples of each metric), and the replay combines them
//! as the controller does (Kubernetes v1.34 `horizontal.go computeReplicasForMetrics`: the max
//! over valid proposals, no scale-down on partial data). Fixtures: `tests/testdata/multi-metric/`.

use scalelens_core::algorithm::hpa::replica_calculator::{CalcError, Proposal};
use scalelens_core::algorithm::hpa::{combine_proposals_indexed, MetricOutcome};
use scalelens_core::demand::{combine, parse_csv, DemandSeries};
use scalelens_core::model::SECOND;
use scalelens_core::sim::{simulate, SimFact, SimOptions, SimOutput};

use crate::fixtures::{one_autoscaler, read_testdata};

fn replay(demand: &DemandSeries) -> SimOutput {
    let a = one_autoscaler(&read_testdata("multi-metric/hpa-two-pods-metrics.yaml"));
    let opts = SimOptions {
        initial_replicas: Some(1),
        pod_startup: Some(0),
        duration: Some(75 * SECOND),
        ..SimOptions::default()
    };
    simulate(&a, demand, &opts)
}

/// One sync: (time s, replicas it set, the metric that decided).
type Sync = (u64, u32, Option<u8>);

/// (time s, replicas the sync set, the metric that decided: 0 `requests_per_second`,
/// 1 `vllm:num_requests_waiting`). Worked by hand from the fixture: pods report total / ready
/// (milli, rounded up); each proposal is `ceil(ratio × ready)` outside the 0.1 tolerance.
const TWO_SERIES: &[Sync] = &[
    // rps 40 on 1 pod → 4; waiting 5 on 1 pod = target → held at 1: rps's 4.
    (0, 4, Some(0)),
    // rps 10/pod = target → 4; waiting 1.25/pod → 1: rps's 4.
    (15, 4, Some(0)),
    // waiting 60 on 4 pods = 15/pod → 12; rps held at 4: the larger, waiting's 12.
    (30, 12, Some(1)),
    // waiting 5/pod = target → held 12; rps 3.334/pod → 5: waiting's 12.
    (45, 12, Some(1)),
    // rps 100 on 12 pods = 8.334/pod → ceil(10.0008) = 11; waiting 0 → 0: rps's 11.
    (60, 11, Some(0)),
    // rps 9.091/pod, inside the tolerance: held at 11.
    (75, 11, Some(0)),
];

fn steps(out: &SimOutput) -> Vec<Sync> {
    out.timeline
        .iter()
        .map(|e| (e.t / SECOND, e.desired, e.metric))
        .collect()
}

/// The acceptance case: a multi-metric HPA replayed with two series picks the larger
/// recommendation at each sync, whichever way the two series are given.
#[test]
fn hpa_with_two_series_takes_the_larger_at_each_sync() {
    let columns = parse_csv(&read_testdata("multi-metric/two-columns.csv")).unwrap();
    let named = |file: &str, name: &str| {
        let mut s = parse_csv(&read_testdata(file)).unwrap();
        s.name = Some(name.to_string());
        s
    };
    let files = combine(vec![
        named("multi-metric/rps.csv", "requests_per_second"),
        named("multi-metric/waiting.csv", "vllm:num_requests_waiting"),
    ])
    .unwrap();
    // The metric names may drop `vllm:` (as samples of vLLM's metrics are matched).
    let short = combine(vec![
        named("multi-metric/rps.csv", "requests_per_second"),
        named("multi-metric/waiting.csv", "num_requests_waiting"),
    ])
    .unwrap();
    for (what, demand) in [
        ("a column per metric", &columns),
        ("NAME=FILE twice", &files),
        ("names without vllm:", &short),
    ] {
        let out = replay(demand);
        assert_eq!(steps(&out), TWO_SERIES, "{what}");
        assert!(
            !out.facts
                .iter()
                .any(|f| matches!(f, SimFact::MetricsWithoutData { .. })),
            "{what}: {:?}",
            out.facts
        );
    }
}

/// One series for two metrics: the other reads 0 (and is named in the note), so the surge
/// of waiting requests at 30 s is missed.
#[test]
fn a_metric_without_a_series_reads_zero_and_is_named() {
    type Case<'a> = (&'a str, &'a [Sync], &'a [&'a str]);
    let cases: &[Case] = &[
        (
            "time,value\n0,40\n30,40\n60,100\n",
            &[(0, 4, Some(0)), (15, 4, Some(0)), (30, 4, Some(0))],
            &["vllm:num_requests_waiting"],
        ),
        (
            "time,vllm:num_requests_waiting\n0,5\n30,60\n60,0\n",
            &[(0, 1, Some(1)), (15, 1, Some(1)), (30, 12, Some(1))],
            &["requests_per_second"],
        ),
    ];
    for (csv, first_steps, without) in cases {
        let out = replay(&parse_csv(csv).unwrap());
        assert_eq!(&steps(&out)[..first_steps.len()], *first_steps, "{csv}");
        let named: Vec<&str> = out
            .facts
            .iter()
            .find_map(|f| match f {
                SimFact::MetricsWithoutData { without, metrics } => {
                    assert_eq!(*metrics, 2);
                    Some(without.iter().map(String::as_str).collect())
                }
                _ => None,
            })
            .unwrap_or_default();
        assert_eq!(named, *without, "{csv}");
    }
}

/// A series named after no metric is reported; the only series drives the first metric.
#[test]
fn a_series_named_after_no_metric_is_reported() {
    let cases: &[(&str, Vec<Option<String>>, bool)] = &[
        ("time,qps\n0,40\n", vec![Some("qps".into())], true),
        (
            "time,requests_per_second,qps\n0,40,1\n",
            vec![Some("qps".into())],
            false,
        ),
    ];
    for (csv, series, drives) in cases {
        let out = replay(&parse_csv(csv).unwrap());
        let fact = out.facts.iter().find_map(|f| match f {
            SimFact::UnmatchedSeries {
                series,
                drives_first,
            } => Some((series.clone(), *drives_first)),
            _ => None,
        });
        assert_eq!(fact, Some((series.clone(), *drives)), "{csv}");
        // Either way `requests_per_second` follows 40 at the first sync.
        assert_eq!(out.timeline[0].desired, 4, "{csv}");
    }
}

fn ok(replicas: i32) -> Result<MetricOutcome, CalcError> {
    Ok(MetricOutcome {
        proposal: Proposal {
            replicas,
            usage: 0,
            raw_usage: 0,
            ratio: 1.0,
            held: false,
            new_ratio: None,
        },
        observed: 0.0,
        target: 1.0,
    })
}

/// `computeReplicasForMetrics`' rule (kubernetes v1.34 `horizontal.go`): the max over valid
/// proposals (a later metric replaces a running 0; ties keep the earlier), nothing when all
/// metrics are invalid or some are and the max would scale down. (name, spec replicas,
/// proposals (`None`: invalid), (winning metric, replicas) or `None` = keep the count).
#[test]
fn hpa_combination_rule() {
    type Case = (
        &'static str,
        i32,
        &'static [Option<i32>],
        Option<(usize, i32)>,
    );
    let cases: &[Case] = &[
        // horizontal_test.go TestScaleUpOneMetricInvalid: CPU asks 4 of 3, the other invalid.
        (
            "TestScaleUpOneMetricInvalid",
            3,
            &[Some(4), None],
            Some((0, 4)),
        ),
        // TestScaleUpFromZeroOneMetricInvalid: from 0, CPU asks 4.
        (
            "TestScaleUpFromZeroOneMetricInvalid",
            0,
            &[Some(4), None],
            Some((0, 4)),
        ),
        // TestScaleUpBothMetricsEmpty: every metric invalid: replicas kept.
        ("TestScaleUpBothMetricsEmpty", 3, &[None, None], None),
        ("max of two", 3, &[Some(2), Some(5)], Some((1, 5))),
        (
            "a tie keeps the first",
            3,
            &[Some(5), Some(5)],
            Some((0, 5)),
        ),
        (
            "a later metric replaces a 0",
            3,
            &[Some(0), Some(2)],
            Some((1, 2)),
        ),
        (
            "a 0 after a proposal loses",
            3,
            &[Some(2), Some(0)],
            Some((0, 2)),
        ),
        ("partial data never scales down", 5, &[Some(3), None], None),
        (
            "partial data holds the count",
            5,
            &[None, Some(5)],
            Some((1, 5)),
        ),
        ("one metric", 3, &[Some(1)], Some((0, 1))),
    ];
    for (name, spec, proposals, want) in cases {
        let outcomes: Vec<_> = proposals
            .iter()
            .map(|p| p.map_or(Err(CalcError::InvalidTarget), ok))
            .collect();
        let got =
            combine_proposals_indexed(&outcomes, *spec).map(|(i, m)| (i, m.proposal.replicas));
        assert_eq!(got, *want, "{name}");
    }
}

/// Samples that hold both metrics (a Prometheus range query per metric, saved together) feed
/// each metric its own series, matched by metric name.
#[test]
fn samples_of_two_metrics_feed_both() {
    use scalelens_core::pipeline::{run, DemandInput, PipelineInput, PipelineOptions};
    let yaml = read_testdata("multi-metric/hpa-two-pods-metrics.yaml");
    let samples = read_testdata("multi-metric/two-metrics.json");
    let out = run(&PipelineInput {
        yaml: &yaml,
        demand: DemandInput::Samples(&samples),
        options: PipelineOptions {
            initial_replicas: Some(1),
            pod_startup: Some(0),
            ..PipelineOptions::default()
        },
    });
    let sim = out.sim.expect("replayed");
    assert!(
        !sim.facts
            .iter()
            .any(|f| matches!(f, SimFact::MetricsWithoutData { .. })),
        "{:?}",
        sim.facts
    );
    // The surge of waiting requests at 30 s decides, as with the demand CSV.
    let at_30 = sim.timeline.iter().find(|e| e.t == 30 * SECOND).unwrap();
    assert_eq!(
        (at_30.desired, at_30.metric),
        (12, Some(1)),
        "{:?}",
        sim.timeline
    );
}

/// KEDA: each trigger is an external metric of the HPA it generates (named `s<i>-<type>` as
/// KEDA names them), so the larger trigger's recommendation wins at each sync.
#[test]
fn keda_triggers_each_read_their_series() {
    let a = one_autoscaler(&read_testdata("multi-metric/keda-two-triggers.yaml"));
    let demand =
        parse_csv("time,s0-prometheus,s1-prometheus\n0,40,5\n30,40,60\n60,100,0\n").unwrap();
    let opts = SimOptions {
        initial_replicas: Some(1),
        pod_startup: Some(0),
        duration: Some(60 * SECOND),
        ..SimOptions::default()
    };
    let out = simulate(&a, &demand, &opts);
    let last_at = |t: u64| {
        out.timeline
            .iter()
            .rev()
            .find(|e| e.t == t * SECOND)
            .map(|e| (e.desired, e.metric))
    };
    // 40 / 10 → 4 (s0); then 60 waiting on 4 pods at 5 each → 12 (s1); then 100 / 10 → 10.
    assert_eq!(last_at(0), Some((4, Some(0))), "{:?}", out.timeline);
    assert_eq!(last_at(30), Some((12, Some(1))), "{:?}", out.timeline);
    assert_eq!(last_at(60), Some((10, Some(0))), "{:?}", out.timeline);
}
