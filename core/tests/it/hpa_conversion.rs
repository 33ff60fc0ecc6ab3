//! HPA API versions as the v1.34 API server converts them: `autoscaling/v1`'s round-trip
//! annotations (`pkg/apis/autoscaling/v1/conversion.go`) and the `autoscaling/v2beta1` fix that
//! rewrites the metrics in the v2 shape. Fixtures: `tests/testdata/config/hpa/v1-annotations*.yaml`,
//! `v2beta1-pods-external.yaml`.

use scalelens_core::codes::Code;
use scalelens_core::config::{self, Parsed};
use scalelens_core::demand::parse_csv;
use scalelens_core::model::{Algorithm, Autoscaler, HpaParams, MetricSource, PolicyType, SECOND};
use scalelens_core::pipeline::apply_edits;
use scalelens_core::sim::{simulate, SimOptions};

use crate::fixtures::read_testdata;

/// (metric name, source kind, target type, target value) as a table row.
type Row<'a> = (&'a str, &'a str, &'a str, f64);

/// (metric name, source kind, target type, target value) of each metric, in order.
fn metrics(a: &Autoscaler) -> Vec<(String, &'static str, String, f64)> {
    a.metrics
        .iter()
        .map(|m| {
            let source = match m.source {
                MetricSource::Resource => "Resource",
                MetricSource::ContainerResource { .. } => "ContainerResource",
                MetricSource::Pods => "Pods",
                MetricSource::Object { .. } => "Object",
                MetricSource::External => "External",
                _ => "other",
            };
            let tt = format!("{:?}", m.target.target_type);
            (m.name.value.clone(), source, tt, m.target.value.value)
        })
        .collect()
}

fn hpa(a: &Autoscaler) -> &HpaParams {
    match &a.algorithm {
        Algorithm::Hpa(p) => p,
        other => panic!("not an HPA: {other:?}"),
    }
}

fn named<'a>(parsed: &'a Parsed, name: &str) -> &'a Autoscaler {
    parsed
        .autoscalers
        .iter()
        .find(|a| a.name == name)
        .unwrap_or_else(|| panic!("no autoscaler `{name}`"))
}

/// The annotation's metrics come first, then `targetCPUUtilizationPercentage`'s; with the
/// annotation alone there is no CPU metric; the behavior annotation (Go field names, or any
/// case) replaces the legacy rules.
#[test]
fn v1_annotations_are_read_as_the_api_server_converts_them() {
    let parsed = config::parse(&read_testdata("config/hpa/v1-annotations.yaml"));
    assert!(!parsed.has_errors(), "{:#?}", parsed.diagnostics);
    let cases: &[(&str, &[Row])] = &[
        (
            "vllm-llama",
            &[
                ("vllm:num_requests_waiting", "External", "AverageValue", 5.0),
                ("cpu", "Resource", "Utilization", 70.0),
            ],
        ),
        (
            "queue-only",
            &[
                ("vllm:num_requests_running", "Pods", "AverageValue", 12.0),
                ("requests_per_second", "Object", "Value", 50.0),
            ],
        ),
    ];
    for (name, want) in cases {
        let got = metrics(named(&parsed, name));
        let want: Vec<_> = want
            .iter()
            .map(|(n, s, t, v)| (n.to_string(), *s, t.to_string(), *v))
            .collect();
        assert_eq!(got, want, "{name}");
    }
    let b = hpa(named(&parsed, "vllm-llama"))
        .behavior
        .as_ref()
        .expect("behavior");
    let up = &b.scale_up.policies;
    assert_eq!(
        (up.len(), up[0].policy_type, up[0].value, up[0].period),
        (1, PolicyType::Pods, 2, 60 * SECOND)
    );
    assert_eq!(b.scale_down.stabilization_window.value, 600 * SECOND);
    assert_eq!(b.scale_down.policies[0].value, 50);
    let q = hpa(named(&parsed, "queue-only"))
        .behavior
        .as_ref()
        .expect("behavior");
    assert_eq!(q.scale_down.stabilization_window.value, 60 * SECOND);
    // The unwritten direction keeps the v2 defaults.
    assert_eq!(q.scale_up.policies.len(), 2);
}

/// Malformed annotations are skipped as the server skips them (CPU alone, legacy rules), and
/// each is reported where its JSON goes wrong: inside a literal block, at the line and column
/// of the fault.
#[test]
fn malformed_v1_annotations_are_skipped_and_located() {
    let text = read_testdata("config/hpa/v1-annotations-malformed.yaml");
    let parsed = config::parse(&text);
    for (name, cpu, default) in [
        ("trailing-comma", 80.0, true),
        ("block-with-a-typo", 60.0, false),
    ] {
        let a = named(&parsed, name);
        let got = metrics(a);
        assert_eq!(
            got,
            vec![("cpu".into(), "Resource", "Utilization".into(), cpu)],
            "{name}"
        );
        assert_eq!(a.metrics[0].target.value.is_default(), default, "{name}");
        assert!(hpa(a).behavior.is_none(), "{name}");
    }
    let at: Vec<(u32, u32)> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::HpaAnnotationIgnored)
        .filter_map(|d| d.span.map(|s| (s.start.line, s.start.column)))
        .collect();
    // In the literal block, `"pods": {"metricName": "rps" "targetAverageValue": "10"}}`: the
    // fault is the second key's opening quote, after `"rps" `.
    let find = |needle: &str, at: &str| {
        let (n, line) = text
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains(needle))
            .unwrap();
        (n as u32 + 1, line.find(at).unwrap() as u32 + 1)
    };
    let block = find("\"rps\" \"target", "\"targetAverageValue");
    assert!(at.contains(&block), "{at:?} lacks {block:?}");
    // `...,"targetAverageValue":"10",}}]'`: serde_json stops at the `}` after the comma.
    let quoted = find("\"10\",}}", ",}}");
    assert!(
        at.contains(&(quoted.0, quoted.1 + 1)),
        "{at:?} lacks {quoted:?} + 1"
    );
}

/// A replay from `initial` ready pods for `seconds`, pods ready at once.
fn sim_options(initial: u32, seconds: u64) -> SimOptions {
    SimOptions {
        initial_replicas: Some(initial),
        pod_startup: Some(0),
        duration: Some(seconds * SECOND),
        ..SimOptions::default()
    }
}

/// Replicas each sync sets for `a` under a demand ramp, whatever the metric.
fn replay(a: &Autoscaler) -> Vec<(u64, u32)> {
    let demand = parse_csv("time,value\n0,5\n60,40\n120,80\n240,10\n").unwrap();
    simulate(a, &demand, &sim_options(2, 600))
        .timeline
        .iter()
        .map(|e| (e.t / SECOND, e.desired))
        .collect()
}

/// The removed-API fix for v2beta1 rewrites every metric: the fixed YAML parses as
/// `autoscaling/v2` with no error and no `removed-api-version`, into the same metrics, and
/// replays the same; v2beta2 needs only the apiVersion.
#[test]
fn v2beta1_fix_gives_valid_v2_with_the_same_replay() {
    for file in [
        "config/hpa/v2beta1-pods-external.yaml",
        "config/hpa/v2beta1.yaml",
        "config/hpa/v2beta2.yaml",
    ] {
        let text = read_testdata(file);
        let parsed = config::parse(&text);
        let fix = parsed
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::RemovedApiVersion)
            .flat_map(|d| &d.fixes)
            .next()
            .expect("a fix");
        let fixed = apply_edits(&text, &fix.edits).expect("edits apply");
        let again = config::parse(&fixed);
        assert!(
            again
                .diagnostics
                .iter()
                .all(|d| d.code != Code::RemovedApiVersion)
                && !again.has_errors(),
            "{file}:\n{fixed}\n{:#?}",
            again.diagnostics
        );
        let before = parsed.autoscalers.first().unwrap();
        let after = again.autoscalers.first().unwrap();
        assert_eq!(after.api_version, "autoscaling/v2", "{file}");
        assert_eq!(metrics(after), metrics(before), "{file}:\n{fixed}");
        assert_eq!(
            (after.min_replicas.value, after.max_replicas.value),
            (before.min_replicas.value, before.max_replicas.value)
        );
        assert_eq!(replay(after), replay(before), "{file}");
    }
}

/// The fixed v2beta1 document as a user reviews it.
#[test]
fn v2beta1_fix_text() {
    let (_, fixed) =
        crate::common::fixed_by("config/hpa/v2beta1-pods-external.yaml", "metric fields");
    insta::assert_snapshot!(fixed);
}

/// `behavior.*.tolerance` with `HPAConfigurableTolerance` off (v1.34's default): the API
/// server drops it, so the replay holds inside the flag's 0.1 band; with the gate on, the
/// written 0.02 moves the HPA. KEDA's HPA config is gated the same way.
#[test]
fn tolerance_needs_its_feature_gate() {
    use scalelens_core::config::feature_gates::FeatureGates;
    use scalelens_core::config::ParseOptions;
    let text = read_testdata("config/hpa/tolerance-gate.yaml");
    let on = ParseOptions {
        feature_gates: FeatureGates::parse("HPAConfigurableTolerance=true").unwrap(),
        ..ParseOptions::default()
    };
    let tolerances = |parsed: &Parsed| -> Vec<(f64, f64, bool)> {
        parsed
            .autoscalers
            .iter()
            .map(|a| {
                let p = match &a.algorithm {
                    Algorithm::Hpa(p) => p,
                    Algorithm::Keda(k) => &k.hpa,
                    other => panic!("{other:?}"),
                };
                (
                    p.tolerance_up.value,
                    p.tolerance_down.value,
                    p.tolerance_up.is_default(),
                )
            })
            .collect()
    };
    let off = config::parse(&text);
    let gated = config::parse_with(&text, &on);
    assert_eq!(tolerances(&off), vec![(0.1, 0.1, true), (0.1, 0.1, true)]);
    assert_eq!(
        tolerances(&gated),
        vec![(0.02, 0.25, false), (0.01, 0.1, false)]
    );
    let notes = |p: &Parsed| {
        p.diagnostics
            .iter()
            .filter(|d| d.code == Code::FeatureGateOff)
            .count()
    };
    assert_eq!((notes(&off), notes(&gated)), (3, 0));

    // 4 pods at target 4 each; demand 17 is a ratio of 1.0625: outside 0.02, inside 0.1.
    let demand = parse_csv("time,value\n0,17\n60,17\n").unwrap();
    let opts = sim_options(4, 30);
    let first_desired =
        |p: &Parsed| simulate(&p.autoscalers[0], &demand, &opts).timeline[0].desired;
    assert_eq!((first_desired(&off), first_desired(&gated)), (4, 5));
}
