//! KEDA `spec.fallback` reference vectors (`core/tests/testdata/vectors/keda-fallback.json`:
//! `pkg/fallback/fallback_test.go`, `TestCheckFallbackValid`) and closed-loop replays of a
//! metric outage through the simulator.

use scalelens_core::algorithm::keda_fallback::{
    check_fallback_valid, fallback_replicas, fallback_value, has_valid_fallback, Health, Read,
};
use scalelens_core::model::{FallbackBehavior, Millis, SECOND};
use scalelens_core::sim::{simulate, SimFact, SimOptions, SimOutput};
use serde_json::Value;

fn behavior(s: &str) -> FallbackBehavior {
    // `doFallback`'s default branch: an empty or unknown behavior is fallback.replicas.
    FallbackBehavior::ALL
        .iter()
        .find(|(n, _)| *n == s)
        .map_or(FallbackBehavior::Static, |(_, b)| *b)
}

#[test]
fn fallback_table() {
    let doc: Value = crate::common::load_vectors("keda-fallback.json");
    let cases = doc["fallback"].as_array().unwrap();
    assert!(cases.len() >= 9);
    for c in cases {
        let id = c["id"].as_str().unwrap();
        let threshold = c["threshold"].as_i64();
        let replicas = c["replicas"].as_i64();
        // The threshold KEDA applies: none without fallback or when HasValidFallback fails.
        let applied = match (threshold, replicas) {
            (Some(t), Some(r)) if has_valid_fallback(t, r, None) => Some(t as u32),
            _ => None,
        };
        let mut h = Health {
            failures: c["failures_before"].as_u64().unwrap() as u32,
        };
        let read = h.read(c["read_ok"].as_bool().unwrap(), applied);
        let want = c["expect"].as_str().unwrap();
        match (want, read) {
            ("value", Read::Value) | ("error", Read::Error) => {}
            ("fallback", Read::Fallback) => {
                let r = fallback_replicas(
                    behavior(c["behavior"].as_str().unwrap_or("")),
                    replicas.unwrap() as u32,
                    c["current"].as_u64().unwrap() as u32,
                );
                let v = fallback_value(c["target"].as_f64().unwrap(), r, false, 0).unwrap();
                assert_eq!(v, c["value"].as_f64().unwrap(), "{id}");
            }
            _ => panic!("{id}: expected {want}, got {read:?}"),
        }
        if let Some(after) = c["failures_after"].as_u64() {
            assert_eq!(u64::from(h.failures), after, "{id}");
        }
    }
}

#[test]
fn validation_table() {
    let doc: Value = crate::common::load_vectors("keda-fallback.json");
    for c in doc["validation"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        if c["fallback"].as_bool() == Some(false) {
            continue; // no fallback: nothing to check (CheckFallbackValid returns nil)
        }
        let types: Vec<&str> = c["triggers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        let got = check_fallback_valid(
            c["threshold"].as_i64().unwrap(),
            c["replicas"].as_i64().unwrap(),
            &types,
            c["modifiers"].as_bool().unwrap_or(false),
        );
        assert_eq!(got.is_ok(), c["ok"].as_bool().unwrap(), "{id}: {got:?}");
        if let (Err(e), Some(want)) = (&got, c["error_contains"].as_str()) {
            assert!(e.to_string().contains(want), "{id}: {e}");
        }
    }
}

/// `doFallback` for a `Value` target: divided by the ready pods; none ready is an error.
#[test]
fn value_targets_divide_by_ready_pods() {
    assert_eq!(fallback_value(10.0, 6, true, 3), Some(20.0));
    assert_eq!(fallback_value(10.0, 6, true, 0), None);
    // Milli units truncated: 0.3333 × 1000 × 1 → 333 m.
    assert_eq!(fallback_value(1.0 / 3.0, 1, false, 0), Some(0.333));
    assert_eq!(
        fallback_replicas(FallbackBehavior::CurrentReplicasIfLower, 10, 4),
        4
    );
    assert_eq!(
        fallback_replicas(FallbackBehavior::CurrentReplicasIfLower, 3, 4),
        3
    );
}

/// A prometheus ScaledObject (target 10 per pod, 1 to 20 replicas) with `fallback`
/// (`extra` under `spec`), replayed on a flat demand of 40 from 4 replicas, with the metric
/// down from 300 s to 900 s.
fn replay(fallback: &str, outage: Option<(Millis, Millis)>) -> SimOutput {
    let yaml = format!(
        "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata:\n  name: so\nspec:\n  scaleTargetRef:\n    name: app\n  minReplicaCount: 1\n  maxReplicaCount: 20\n{fallback}  triggers:\n    - type: prometheus\n      metadata:\n        serverAddress: http://prometheus:9090\n        query: sum(queue)\n        threshold: \"10\"\n"
    );
    let parsed = scalelens_core::config::parse(&yaml);
    let a = parsed
        .autoscalers
        .first()
        .unwrap_or_else(|| panic!("{:#?}", parsed.diagnostics));
    run(a, "time,value\n0,40\n1500,40\n", outage)
}

/// `a` on the demand CSV `demand` for 1500 s from 4 replicas (pods ready in 10 s).
fn run(
    a: &scalelens_core::model::Autoscaler,
    demand: &str,
    outage: Option<(Millis, Millis)>,
) -> SimOutput {
    let demand = scalelens_core::demand::parse_csv(demand).unwrap();
    simulate(
        a,
        &demand,
        &SimOptions {
            initial_replicas: Some(4),
            pod_startup: Some(10 * SECOND),
            duration: Some(1500 * SECOND),
            max_evaluations: None,
            outage,
        },
    )
}

fn replicas_at(out: &SimOutput, t: Millis) -> u32 {
    out.timeline
        .iter()
        .rfind(|e| e.t <= t)
        .map_or(0, |e| e.desired)
}

fn fallback_fact(out: &SimOutput) -> scalelens_core::algorithm::keda::FallbackSummary {
    out.facts
        .iter()
        .find_map(|f| match f {
            SimFact::KedaFallback(s) => Some(*s),
            _ => None,
        })
        .expect("a fallback fact")
}

/// Failures are counted at HPA syncs (every 15 s): with failureThreshold 3 the 4th failed
/// sync (t = 345 s) feeds the HPA 10 × 12 = 120, which it scales to within its own rules
/// (the default scale-up policy allows doubling: 4 → 8 → 12); after the outage the metric is
/// back and the 300 s scale-down stabilization holds 12 until it passes.
#[test]
fn outage_falls_back_after_the_threshold() {
    let fb = "  fallback:\n    failureThreshold: 3\n    replicas: 12\n";
    let out = replay(fb, Some((300 * SECOND, 900 * SECOND)));
    let s = fallback_fact(&out);
    assert_eq!(s.threshold, Some(3));
    assert_eq!(s.first, Some(345 * SECOND), "{s:?}");
    assert_eq!(s.replicas, Some((12, 12)));
    assert_eq!(replicas_at(&out, 299 * SECOND), 4);
    assert_eq!(
        replicas_at(&out, 340 * SECOND),
        4,
        "errors below the threshold hold"
    );
    assert_eq!(
        replicas_at(&out, 345 * SECOND),
        8,
        "scale-up policy: at most double"
    );
    assert_eq!(replicas_at(&out, 899 * SECOND), 12);
    assert_eq!(
        replicas_at(&out, 1000 * SECOND),
        12,
        "stabilization after the outage"
    );
    assert_eq!(replicas_at(&out, 1500 * SECOND), 4);
}

/// Without fallback the HPA holds its replicas through the outage, and KEDA does not scale to
/// zero (the failed trigger is in error, not inactive).
#[test]
fn outage_without_fallback_holds() {
    let out = replay("", Some((300 * SECOND, 900 * SECOND)));
    let s = fallback_fact(&out);
    assert!(!s.configured);
    assert!(s.failed_syncs >= 39, "{s:?}");
    for t in [300, 600, 899] {
        assert_eq!(replicas_at(&out, t * SECOND), 4, "{t}");
    }
}

/// `currentReplicasIfHigher` keeps the current count when it is above `replicas`; an
/// outage shorter than the threshold never falls back.
#[test]
fn behaviors_and_short_outages() {
    let fb = "  fallback:\n    failureThreshold: 3\n    replicas: 2\n    behavior: currentReplicasIfHigher\n";
    let out = replay(fb, Some((300 * SECOND, 900 * SECOND)));
    assert_eq!(fallback_fact(&out).replicas, Some((4, 4)));
    assert_eq!(replicas_at(&out, 899 * SECOND), 4);
    let fb = "  fallback:\n    failureThreshold: 5\n    replicas: 12\n";
    let out = replay(fb, Some((300 * SECOND, 360 * SECOND)));
    let s = fallback_fact(&out);
    assert_eq!((s.first, s.max_failures), (None, 4), "{s:?}");
    assert_eq!(replicas_at(&out, 1500 * SECOND), 4);
}

/// A plain HPA under the same outage: its only metric is invalid at every sync
/// (`computeReplicasForMetrics`), so it keeps 4 replicas however the demand moves, and follows
/// the demand again once the metric is back.
#[test]
fn hpa_outage_keeps_replicas() {
    let yaml = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: h\nspec:\n  scaleTargetRef: {kind: Deployment, name: app}\n  minReplicas: 1\n  maxReplicas: 20\n  metrics:\n    - type: External\n      external:\n        metric: {name: queue}\n        target: {type: AverageValue, averageValue: \"10\"}\n";
    let parsed = scalelens_core::config::parse(yaml);
    let a = parsed.autoscalers.first().expect("an HPA");
    let out = run(
        a,
        "time,value\n0,40\n400,120\n1500,120\n",
        Some((300 * SECOND, 900 * SECOND)),
    );
    assert_eq!(
        replicas_at(&out, 899 * SECOND),
        4,
        "invalid metric: no scaling"
    );
    assert_eq!(replicas_at(&out, 1000 * SECOND), 12, "back to the demand");
    assert!(out.facts.iter().any(|f| matches!(
        f,
        SimFact::MetricOutage { replayed: true, metrics, .. } if metrics == &["queue".to_string()]
    )));
    assert!(!out
        .facts
        .iter()
        .any(|f| matches!(f, SimFact::KedaFallback(_))));
}

/// Families whose controllers do not replay failed reads (AIBrix, Knative) ignore the
/// outage, and say so: the replay is the one without it.
#[test]
fn aibrix_outage_is_not_replayed() {
    let yaml = "apiVersion: autoscaling.aibrix.ai/v1alpha1\nkind: PodAutoscaler\nmetadata:\n  name: kpa\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: d}\n  minReplicas: 1\n  maxReplicas: 10\n  metricsSources:\n    - metricSourceType: pod\n      protocolType: http\n      port: \"8000\"\n      path: /metrics\n      targetMetric: num_requests_waiting\n      targetValue: \"8\"\n  scalingStrategy: KPA\n";
    let parsed = scalelens_core::config::parse(yaml);
    let a = parsed.autoscalers.first().expect("a KPA");
    let demand = scalelens_core::demand::parse_csv("time,value\n0,40\n600,80\n").unwrap();
    let opts = |outage| SimOptions {
        initial_replicas: Some(2),
        pod_startup: Some(10 * SECOND),
        duration: Some(900 * SECOND),
        max_evaluations: None,
        outage,
    };
    let with = simulate(a, &demand, &opts(Some((100 * SECOND, 700 * SECOND))));
    let without = simulate(a, &demand, &opts(None));
    assert_eq!(with.timeline, without.timeline);
    assert!(with.facts.iter().any(|f| matches!(
        f,
        SimFact::MetricOutage {
            replayed: false,
            ..
        }
    )));
}
