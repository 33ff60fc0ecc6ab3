//! Issue 3's acceptance on the seed case, in the engine: the percent samples against the
//! fixed target, and each of the `unit-mismatch` diagnostic's fixes, replay to a run that scales
//! with the load and returns to minReplicas. What `scalelens check` and `simulate` print for
//! these cases is tested in `tests/tests/analysis.rs`.

use scalelens_core::analysis;
use scalelens_core::samples::{self, Hints, Interpretation};
use scalelens_core::sim::{self, SimOptions};

use crate::fixtures::{one_autoscaler, read_testdata};

/// After the target fix (`"50"`), the replay of the percent samples scales with the load and
/// returns to minReplicas after the load stops (minute 40 of 90).
#[test]
fn seed_after_target_fix_scales_up_and_back_to_min() {
    let yaml = read_testdata("analysis/seed-percent-fixed/autoscaler.yaml");
    let a = one_autoscaler(&yaml);
    assert_eq!(a.metrics[0].target.value.value, 50.0);
    let text = read_testdata("examples/seed-kpa-gpu-cache/samples-percent.prom.json");
    let s = samples::detect_and_parse(&text, &Hints::default()).expect("imports");
    assert!(analysis::check_samples(&a, &s, Interpretation::Auto, Default::default()).is_empty());
    let (demand, _) = samples::to_demand(&s, Interpretation::Auto);
    let out = sim::simulate(&a, &demand, &SimOptions::default());
    let tl = &out.timeline;
    let peak = tl.iter().map(|e| e.desired).max().unwrap_or(0);
    // AIBrix v0.7.0 KPA recommends ceil(per-pod mean / target), not multiplied by the pods: with
    // per-pod values capped at 100 (percent data) and a target of 50 it never exceeds 2
    // (shared/reference/aibrix-detail.md §2.2, "0–1 cache usage with target 0.5 allows at most 2").
    assert_eq!(peak, 2, "scales with the load up to the KPA's ceiling");
    let stop = tl
        .iter()
        .rposition(|e| e.demand > 0.0)
        .expect("there is load");
    let back = tl[stop..]
        .iter()
        .position(|e| e.desired == 1 && e.replicas == 1)
        .expect("returns to minReplicas after the load stops");
    assert!(back > 0);
    assert!(tl[stop + back..].iter().all(|e| e.desired == 1));
    assert!(analysis::check_never_scales_down(&a, &out).is_none());
}

/// Issue 3's acceptance on the seed case, fix by fix: the `unit-mismatch` diagnostic's own fixes
/// are applied (the YAML edit of the first through `core::pipeline::apply_edits`; the second,
/// "convert the metric", by dividing the samples by 100 as it says), and each replay scales with
/// the load and is back at minReplicas after the load stops.
#[test]
fn seed_either_fix_scales_with_load_and_returns_to_min() {
    use scalelens_core::demand::DemandSeries;
    use scalelens_core::pipeline::apply_edits;

    let yaml = read_testdata("examples/seed-kpa-gpu-cache/autoscaler.yaml");
    let original = one_autoscaler(&yaml);
    let text = read_testdata("examples/seed-kpa-gpu-cache/samples-percent.prom.json");
    let s = samples::detect_and_parse(&text, &Hints::default()).expect("imports");
    let diags = analysis::check_samples(&original, &s, Interpretation::Auto, Default::default());
    let d = diags
        .iter()
        .find(|d| d.code == "unit-mismatch")
        .expect("unit-mismatch fires on the percent samples");
    assert_eq!(d.fixes.len(), 2, "both fixes offered: {d:?}");
    let (percent, _) = samples::to_demand(&s, Interpretation::Auto);

    let check_replay = |a: &scalelens_core::Autoscaler, demand: &DemandSeries, what: &str| {
        let out = sim::simulate(a, demand, &SimOptions::default());
        let tl = &out.timeline;
        let peak = tl.iter().map(|e| e.replicas).max().unwrap_or(0);
        assert!(peak >= 2, "{what}: scales with the load (peak {peak})");
        let stop = tl
            .iter()
            .rposition(|e| e.demand > 0.0)
            .expect("there is load");
        let min = a.min_replicas.value.max(1);
        let last = tl.last().expect("a timeline");
        assert_eq!(last.replicas, min, "{what}: back at minReplicas at the end");
        assert!(
            tl[stop..].iter().any(|e| e.replicas == min),
            "{what}: returns to minReplicas after the load stops"
        );
        assert!(
            analysis::check_never_scales_down(a, &out).is_none(),
            "{what}: no never-scales-down"
        );
    };

    // Fix 1: the YAML edit (target "0.5" -> "50"), replayed on the percent samples.
    let fixed_yaml = apply_edits(&yaml, &d.fixes[0].edits).expect("the fix applies");
    assert_ne!(fixed_yaml, yaml, "the first fix is a YAML edit");
    let fixed = one_autoscaler(&fixed_yaml);
    assert_eq!(fixed.metrics[0].target.value.value, 50.0);
    assert!(
        analysis::check_samples(&fixed, &s, Interpretation::Auto, Default::default())
            .iter()
            .all(|d| d.code != "unit-mismatch")
    );
    check_replay(&fixed, &percent, "target rewritten");

    // Fix 2: keep the target, convert the metric (the samples / 100).
    assert!(d.fixes[1].description.contains("divide it by 100"), "{d:?}");
    let fraction = DemandSeries {
        points: percent
            .points
            .iter()
            .map(|&(t, v)| (t, v / 100.0))
            .collect(),
        offset: percent.offset,
        epoch_start: percent.epoch_start,
        ..DemandSeries::default()
    };
    check_replay(&original, &fraction, "metric converted");
}

/// `never-scales-down` on scale-to-zero autoscalers (minReplicas 0), issue 14's bug 10: zero
/// replicas serve nothing, so under a low load that is not zero one replica is where the
/// replicas belong, not a replica held too long. Each row: the YAML, the demand after a peak of
/// 60 (per-pod target 10), and whether the rule fires.
#[test]
fn never_scales_down_on_scale_to_zero_counts_one_replica_under_load() {
    let knative = crate::common::knative_chat(
        "        autoscaling.knative.dev/target-utilization-percentage: \"100\"\n",
    );
    // A scale-down stabilization of an hour holds the peak whatever the tail.
    const KEDA_HELD: &str = "apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: chat
spec:
  scaleTargetRef:
    name: chat
  minReplicaCount: 0
  maxReplicaCount: 20
  advanced:
    horizontalPodAutoscalerConfig:
      behavior:
        scaleDown:
          stabilizationWindowSeconds: 3600
  triggers:
    - type: prometheus
      metadata:
        serverAddress: http://prometheus:9090
        query: sum(in_flight)
        threshold: \"10\"
";
    let cases: [(&str, &str, f64, Option<&str>); 4] = [
        ("knative, low load after the peak", &knative, 2.0, None),
        ("knative, no load after the peak", &knative, 0.0, None),
        (
            "keda held by an hour's window, low load",
            KEDA_HELD,
            2.0,
            Some("never returned to 1 (the fewest that serve a load above zero)"),
        ),
        // No load: the trigger is inactive and KEDA scales to zero after its cooldown period,
        // whatever the HPA's window holds.
        (
            "keda held by an hour's window, no load",
            KEDA_HELD,
            0.0,
            None,
        ),
    ];
    for (what, yaml, tail, fires) in cases {
        let a = one_autoscaler(yaml);
        assert_eq!(a.min_replicas.value, 0, "{what}: scale-to-zero");
        let mut points = vec![(0, 60.0)];
        points.extend((1..=40).map(|m| (m * 30_000, if m <= 10 { 60.0 } else { tail })));
        let demand = scalelens_core::demand::DemandSeries {
            points,
            ..Default::default()
        };
        let out = sim::simulate(&a, &demand, &SimOptions::default());
        let d = analysis::check_never_scales_down(&a, &out);
        match fires {
            None => assert!(d.is_none(), "{what}: {d:?}"),
            Some(words) => {
                let d = d.unwrap_or_else(|| panic!("{what}: never-scales-down expected"));
                assert!(d.message.contains(words), "{what}: {}", d.message);
            }
        }
    }
}
