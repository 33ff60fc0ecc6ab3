//! Kubernetes HPA reference vectors (upstream-detail.md D.3/D.4), one runner per table.
//! Each case cites its upstream test in the JSON (`test`).

use scalelens_core::algorithm::hpa::normalize::{self, Limit, Recommendation, ScaleEvent};
use scalelens_core::algorithm::hpa::replica_calculator::{
    self as rc, CalcConfig, ConditionStatus, Pod, PodPhase, ReadyCondition, Sample, Tolerances,
};
use scalelens_core::model::{Behavior, Policy, PolicyType, ScalingRules, SelectPolicy};
use scalelens_core::Param;
use serde_json::Value;

const SRC: &scalelens_core::upstream::Source = &crate::common::TEST_SOURCE;
const NOW: u64 = 600_000;

fn load(name: &str) -> Value {
    crate::common::load_vectors(name)
}

fn i(v: &Value, k: &str) -> i64 {
    v[k].as_i64().unwrap_or_else(|| panic!("{k} in {v}"))
}

fn list_i64(v: &Value) -> Vec<i64> {
    v.as_array()
        .map(|a| a.iter().map(|x| x.as_i64().unwrap()).collect())
        .unwrap_or_default()
}

fn rules(v: &Value, default: ScalingRules) -> ScalingRules {
    if v.is_null() {
        return default;
    }
    let select = match v["select"].as_str().unwrap() {
        "Max" => SelectPolicy::Max,
        "Min" => SelectPolicy::Min,
        "Disabled" => SelectPolicy::Disabled,
        s => panic!("select {s}"),
    };
    let policies = v["policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| Policy {
            policy_type: match p[0].as_str().unwrap() {
                "Pods" => PolicyType::Pods,
                "Percent" => PolicyType::Percent,
                s => panic!("policy {s}"),
            },
            value: p[1].as_u64().unwrap() as u32,
            period: p[2].as_u64().unwrap() * 1000,
            span: None,
        })
        .collect();
    ScalingRules {
        stabilization_window: Param::default(0, SRC),
        select_policy: Param::default(select, SRC),
        policies,
        policies_span: None,
    }
}

fn default_behavior() -> Behavior {
    scalelens_core::upstream::kubernetes::behavior(
        scalelens_core::upstream::kubernetes::DOWNSCALE_STABILIZATION.param(),
    )
}

fn events(v: &Value, now: u64) -> Vec<ScaleEvent> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|e| ScaleEvent {
                    change: e[0].as_i64().unwrap() as i32,
                    at: now - e[1].as_u64().unwrap() * 1000,
                    outdated: false,
                })
                .collect()
        })
        .unwrap_or_default()
}

fn recs(v: &Value, now: u64) -> Vec<Recommendation> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|e| Recommendation {
            replicas: e[0].as_i64().unwrap() as i32,
            at: now - e[1].as_u64().unwrap() * 1000,
        })
        .collect()
}

fn limit(s: &str) -> Limit {
    match s {
        "DesiredWithinRange" => Limit::DesiredWithinRange,
        "TooFewReplicas" => Limit::TooFewReplicas,
        "TooManyReplicas" => Limit::TooManyReplicas,
        "ScaleUpLimit" => Limit::ScaleUpLimit,
        "ScaleDownLimit" => Limit::ScaleDownLimit,
        _ => panic!("limit {s}"),
    }
}

#[test]
fn replica_calculator_table() {
    let doc = load("hpa-replica-calculator.json");
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 40);
    for c in cases {
        let id = c["id"].as_str().unwrap();
        let kind = c["kind"].as_str().unwrap();
        let current = i(c, "current") as i32;
        let n = c["pods"].as_u64().unwrap_or(current as u64) as usize;
        let reqs = list_i64(&c["requests"]);
        let start = list_i64(&c["start"]);
        let transition = list_i64(&c["transition"]);
        let pods: Vec<Pod> = (0..n)
            .map(|k| {
                let status = match c["readiness"].get(k).and_then(Value::as_str) {
                    Some("False") => ConditionStatus::False,
                    _ => ConditionStatus::True,
                };
                let phase = match c["phases"].get(k).and_then(Value::as_str) {
                    Some("Pending") => PodPhase::Pending,
                    Some("Failed") => PodPhase::Failed,
                    _ => PodPhase::Running,
                };
                Pod {
                    id: k as u32,
                    phase,
                    deleting: c["deleting"]
                        .get(k)
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                    ready: Some(ReadyCondition {
                        status,
                        last_transition: transition.get(k).copied().unwrap_or(0) as u64,
                    }),
                    start_time: Some(start.get(k).copied().unwrap_or(0) as u64),
                    // two containers with the same request
                    request_milli: reqs.get(k).map(|r| 2 * r),
                }
            })
            .collect();
        let levels = list_i64(&c["levels"]);
        let metric_pods = list_i64(&c["metric_pods"]);
        let per_container = kind == "utilization";
        let samples: Vec<Sample> = levels
            .iter()
            .enumerate()
            .map(|(k, l)| Sample {
                pod: metric_pods.get(k).copied().unwrap_or(k as i64) as u32,
                value_milli: if per_container { 2 * l } else { *l },
                timestamp: NOW,
                window: 30_000,
            })
            .collect();
        let tol = Tolerances::symmetric(0.1);
        let cfg = CalcConfig {
            now: NOW,
            cpu_initialization_period: 120_000,
            initial_readiness_delay: 10_000,
            tolerances: tol,
        };
        let target = i(c, "target");
        let usage0 = levels.first().copied().unwrap_or(0);
        let got = match kind {
            "utilization" => rc::resource_utilization_replicas(
                &cfg,
                current,
                target as i32,
                true,
                &pods,
                &samples,
            ),
            "pods" => rc::plain_metric_replicas(&cfg, current, target, false, &pods, &samples),
            "object_value" => rc::object_value_replicas(&tol, current, target, usage0, &pods),
            "external_value" => rc::external_value_replicas(&tol, current, target, &levels, &pods),
            "object_average" => rc::per_pod_replicas(&tol, current, target, usage0),
            "external_average" => rc::external_per_pod_replicas(&tol, current, target, &levels),
            k => panic!("{id}: kind {k}"),
        };
        if let Some(err) = c["expect_error"].as_str() {
            let e = got.expect_err(id);
            assert!(e.to_string().contains(err), "{id}: error {e} vs {err}");
            continue;
        }
        let p = got.unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(
            i64::from(p.replicas),
            i(c, "expect_replicas"),
            "{id} replicas"
        );
        assert_eq!(p.usage, i(c, "expect_usage"), "{id} usage");
        if let Some(raw) = c["expect_raw"].as_i64() {
            assert_eq!(p.raw_usage, raw, "{id} raw usage");
        }
    }
}

#[test]
fn behavior_rate_table() {
    let doc = load("hpa-normalize.json");
    let cases = doc["rate"].as_array().unwrap();
    assert!(cases.len() >= 27);
    for c in cases {
        let id = c["id"].as_str().unwrap();
        let d = default_behavior();
        let behavior = Behavior {
            scale_up: rules(&c["up"], d.scale_up.clone()),
            scale_down: rules(&c["down"], d.scale_down.clone()),
        };
        let (got, lim) = normalize::convert_with_behavior_rate(
            i(c, "current") as i32,
            i(c, "desired") as i32,
            i(c, "min") as i32,
            i(c, "max") as i32,
            &events(&c["up_events"], NOW),
            &events(&c["down_events"], NOW),
            &behavior,
            NOW,
        );
        assert_eq!(i64::from(got), i(c, "expect"), "{id}");
        assert_eq!(lim, limit(c["limit"].as_str().unwrap()), "{id} limit");
    }
}

/// `"up"` or `"down"` of a vector.
fn direction(s: &str) -> normalize::Direction {
    match s {
        "up" => normalize::Direction::Up,
        _ => normalize::Direction::Down,
    }
}

#[test]
fn policy_limit_table() {
    let doc = load("hpa-normalize.json");
    for c in doc["limits"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        let r = rules(&c["rules"], default_behavior().scale_up);
        let current = i(c, "current") as i32;
        let dir = direction(c["direction"].as_str().unwrap());
        let got = normalize::policy_limit(dir, current, &[], &[], &r, NOW);
        assert_eq!(i64::from(got), i(c, "expect"), "{id}");
    }
}

/// The selection's starting value when no policy is listed (Go's `math.MinInt32` /
/// `math.MaxInt32` in `calculateScaleUpLimitWithScalingRules` and
/// `calculateScaleDownLimitWithBehaviors`, kubernetes v1.34 `pkg/controller/podautoscaler/
/// horizontal.go`), `Disabled` holding `current`, and `Min`/`Max` picking opposite ends per
/// direction. Not an upstream test case: the branches the upstream table leaves out.
#[test]
fn policy_limit_edges() {
    let two: serde_json::Value = serde_json::json!([["Pods", 4, 60], ["Percent", 50, 60]]);
    // (direction, select, policies, current, expect)
    let cases: &[(&str, &str, serde_json::Value, i32, i64)] = &[
        ("up", "Max", serde_json::json!([]), 5, i64::from(i32::MIN)),
        ("up", "Min", serde_json::json!([]), 5, i64::from(i32::MAX)),
        ("down", "Max", serde_json::json!([]), 5, i64::from(i32::MAX)),
        ("down", "Min", serde_json::json!([]), 5, i64::from(i32::MIN)),
        ("up", "Disabled", two.clone(), 5, 5),
        ("down", "Disabled", two.clone(), 5, 5),
        // Up from 10: Pods proposes 14, Percent 15.
        ("up", "Max", two.clone(), 10, 15),
        ("up", "Min", two.clone(), 10, 14),
        // Down from 10: Pods proposes 6, Percent 5.
        ("down", "Max", two.clone(), 10, 5),
        ("down", "Min", two, 10, 6),
    ];
    for (dir, select, policies, current, expect) in cases {
        let r = rules(
            &serde_json::json!({"select": select, "policies": policies}),
            default_behavior().scale_up,
        );
        let got = normalize::policy_limit(direction(dir), *current, &[], &[], &r, NOW);
        assert_eq!(
            i64::from(got),
            *expect,
            "{dir} {select} {policies} from {current}"
        );
    }
}

#[test]
fn stabilization_table() {
    let doc = load("hpa-normalize.json");
    let cases = doc["stabilize"].as_array().unwrap();
    assert_eq!(cases.len(), 9);
    let now = 10_000_000;
    for c in cases {
        let id = c["id"].as_str().unwrap();
        let mut r = recs(&c["recs"], now);
        let got = normalize::stabilize_with_behaviors(
            &mut r,
            now,
            i(c, "current") as i32,
            i(c, "desired") as i32,
            c["up_window"].as_u64().unwrap() * 1000,
            c["down_window"].as_u64().unwrap() * 1000,
        );
        assert_eq!(i64::from(got), i(c, "expect"), "{id}");
        let after: Vec<i64> = r.iter().map(|x| i64::from(x.replicas)).collect();
        assert_eq!(after, list_i64(&c["recs_after"]), "{id} records");
    }
}

#[test]
fn legacy_stabilization_table() {
    let doc = load("hpa-normalize.json");
    let now = 10_000_000;
    for c in doc["legacy_stabilize"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        let mut r = recs(&c["recs"], now);
        let got = normalize::stabilize_legacy(&mut r, now, 300_000, i(c, "desired") as i32);
        assert_eq!(i64::from(got), i(c, "expect"), "{id}");
        assert_eq!(r.len() as i64, i(c, "len_after"), "{id} log length");
    }
}

#[test]
fn legacy_rules_table() {
    let doc = load("hpa-normalize.json");
    for c in doc["legacy_rules"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        let (got, lim) = normalize::convert_with_rules(
            i(c, "current") as i32,
            i(c, "desired") as i32,
            i(c, "min") as i32,
            i(c, "max") as i32,
        );
        assert_eq!(i64::from(got), i(c, "expect"), "{id}");
        assert_eq!(lim, limit(c["limit"].as_str().unwrap()), "{id} limit");
    }
}

#[test]
fn store_events_table() {
    let doc = load("hpa-normalize.json");
    for c in doc["store_events"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        let mut up = events(&c["prev"], NOW);
        let change = normalize::replicas_change_per_period(60_000, &up, NOW);
        assert_eq!(change, i(c, "change_60s"), "{id} change in 60 s");
        let behavior = c["behavior"].as_bool().unwrap().then(|| Behavior {
            scale_up: rules(&c["up"], default_behavior().scale_up),
            scale_down: default_behavior().scale_down,
        });
        let mut down = Vec::new();
        normalize::store_scale_event(behavior.as_ref(), &mut up, &mut down, 0, 5, NOW);
        let after: Vec<(i64, bool)> = up
            .iter()
            .map(|e| (i64::from(e.change), e.outdated))
            .collect();
        let want: Vec<(i64, bool)> = c["after"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e[0].as_i64().unwrap(), e[1].as_bool().unwrap()))
            .collect();
        assert_eq!(after, want, "{id} stored events");
        assert!(down.is_empty(), "{id}");
    }
}

// ---- closed loop through the Controller trait ----

/// An `autoscaling/v2` HPA a test builds, with `params`.
fn hpa_object(
    min: u32,
    max: u32,
    metrics: Vec<scalelens_core::model::Metric>,
    params: scalelens_core::model::HpaParams,
) -> scalelens_core::model::Autoscaler {
    use scalelens_core::model::{Algorithm, Family};
    let object = ("autoscaling/v2", "HorizontalPodAutoscaler", "h");
    crate::common::test_autoscaler(
        Family::Hpa,
        object,
        (min, max),
        metrics,
        Algorithm::Hpa(params),
    )
}

mod closed_loop {
    use scalelens_core::algorithm::Reason;
    use scalelens_core::model::*;

    fn pods_metric(target: f64) -> Metric {
        let (source, ty) = (MetricSource::Pods, TargetType::AverageValue);
        crate::common::test_metric("requests_in_flight", source, ty, target)
    }

    fn hpa(min: u32, max: u32, behavior: Option<Behavior>) -> Autoscaler {
        let mut params = scalelens_core::upstream::kubernetes::hpa_params();
        params.behavior = behavior;
        super::hpa_object(min, max, vec![pods_metric(10.0)], params)
    }

    /// [`crate::common::instant_loop`]; the HPA decides at every sync.
    fn run(
        a: &Autoscaler,
        start: u32,
        demand: impl Fn(u64) -> f64,
        until: u64,
    ) -> Vec<(u64, u32, Reason)> {
        crate::common::instant_loop(a, start, demand, until)
            .into_iter()
            .map(|(t, n, d)| (t, n, d.reason))
            .collect()
    }

    #[test]
    fn settles_at_five_for_demand_45_with_target_10() {
        let log = run(&hpa(1, 20, None), 1, |_| 45.0, 300_000);
        // Legacy scale-up limit max(2 × current, 4): 1 → 4 → 5.
        assert_eq!(log[0].1, 4, "{log:?}");
        assert!(
            matches!(log[0].2, Reason::MaxScaleUpRate { limit: 4 }),
            "{log:?}"
        );
        assert_eq!(log[1].1, 5);
        assert!(log.iter().skip(1).all(|e| e.1 == 5), "{log:?}");
        // 45 / 5 = 9 per pod: ratio 0.9 is inside the inclusive tolerance band.
        assert!(
            matches!(log.last().unwrap().2, Reason::Tolerance { .. }),
            "{log:?}"
        );
    }

    #[test]
    fn scale_down_waits_for_the_300s_window() {
        // Demand 45 until 600 s, then 15.
        let log = run(
            &hpa(1, 20, None),
            5,
            |t| if t < 600_000 { 45.0 } else { 15.0 },
            1_200_000,
        );
        let first_drop = log.iter().find(|e| e.1 < 5).expect("scales down");
        // The last recommendation of 5 is at 585 s; legacy stabilisation keeps it while it is
        // not Before(now − 300 s): still held at 885 s, released at 900 s.
        assert_eq!(first_drop.0, 900_000, "{log:?}");
        assert_eq!(first_drop.1, 2);
        let held = log.iter().find(|e| e.0 == 885_000).unwrap();
        assert_eq!(held.1, 5);
        assert!(
            matches!(held.2, Reason::StabilizationWindow { held: 5 }),
            "{held:?}"
        );
    }

    #[test]
    fn behavior_default_policies_limit_scale_up() {
        let b = scalelens_core::upstream::kubernetes::behavior(
            scalelens_core::upstream::kubernetes::DOWNSCALE_STABILIZATION.param(),
        );
        let log = run(&hpa(1, 100, Some(b)), 2, |_| 400.0, 60_000);
        // Pods 4 / Percent 100 per 15 s (previous event exactly 15 s old does not count):
        // 2 → max(6, 4) = 6 → 12 → 24 → 41: at 24 pods the per-pod value 400/24 reads as
        // 16667 milli (MilliValue rounds up), so ceil(1.6667 × 24) = ceil(40.0008) = 41.
        let counts: Vec<u32> = log.iter().map(|e| e.1).collect();
        assert_eq!(counts, vec![6, 12, 24, 41, 41], "{log:?}");
        assert!(matches!(log[0].2, Reason::ScaleUpPolicy { limit: 6 }));
    }

    #[test]
    fn scaling_disabled_at_zero() {
        let log = run(&hpa(1, 10, None), 0, |_| 45.0, 30_000);
        assert!(log
            .iter()
            .all(|e| e.1 == 0 && e.2 == Reason::ScalingDisabledAtZero));
    }

    #[test]
    fn out_of_range_current_is_clamped_without_metrics() {
        let log = run(&hpa(3, 10, None), 12, |_| 0.0, 0);
        assert_eq!(log[0].1, 10);
        assert_eq!(log[0].2, Reason::MaxReplicas { max: 10 });
        let log = run(&hpa(3, 10, None), 1, |_| 0.0, 0);
        assert_eq!(log[0].2, Reason::MinReplicas { min: 3 });
    }
}

// ---- hostile inputs through the Controller trait ----

mod hostile {
    use scalelens_core::algorithm::{controller_for, MetricReading};
    use scalelens_core::model::*;

    fn metric(source: MetricSource, target_type: TargetType, target: f64) -> Metric {
        crate::common::test_metric("cpu", source, target_type, target)
    }

    fn hpa(min: u32, max: u32, metrics: Vec<Metric>) -> Autoscaler {
        let params = scalelens_core::upstream::kubernetes::hpa_params();
        super::hpa_object(min, max, metrics, params)
    }

    fn all_kinds() -> Vec<Metric> {
        vec![
            metric(MetricSource::Pods, TargetType::AverageValue, 10.0),
            metric(MetricSource::Resource, TargetType::Utilization, 50.0),
            metric(MetricSource::External, TargetType::Value, 10.0),
            metric(MetricSource::External, TargetType::AverageValue, 10.0),
        ]
    }

    /// A sync over two billion pods must neither allocate per pod nor overflow: the replica
    /// calculator's pod groups are homogeneous in the simulator, so it works on counts.
    #[test]
    fn billions_of_pods_and_huge_demand() {
        let n = 2_000_000_000u32;
        let a = hpa(1, u32::MAX, all_kinds());
        for (replicas, ready, total) in [
            (n, n, 1e12),
            (n, n / 2, 1e12),
            (n, 0, 0.0),
            (u32::MAX, u32::MAX, 1e12),
            (u32::MAX, 7, f64::MAX),
        ] {
            let mut c = controller_for(&a);
            let per_pod = if ready > 0 {
                total / f64::from(ready)
            } else {
                0.0
            };
            let r = MetricReading {
                total,
                per_pod,
                reporting: ready,
            };
            let readings = [r, r, r, r];
            let view = crate::common::view(0, replicas, ready, &readings);
            let d = c.wake(&view).expect("a decision");
            assert!(d.desired >= 1, "{d:?}");
        }
    }

    /// max = 0, min > max, per-pod 0 with no reporting pods: no panic, a decision each sync.
    #[test]
    fn degenerate_bounds() {
        for (min, max, replicas) in [(0, 0, 0), (0, 0, 5), (5, 2, 3), (5, 2, 0), (1, 1, 1)] {
            let mut c = controller_for(&hpa(min, max, all_kinds()));
            let r = crate::common::reading(0.0, 0.0, 0);
            let readings = [r, r, r, r];
            for k in 0..3u64 {
                let view = crate::common::view(k * 15_000, replicas, replicas, &readings);
                let _ = c.wake(&view).expect("a decision");
            }
        }
    }

    /// `replica_calculator.go` (`calcPlainMetricReplicas`): when starting (unready) pods are
    /// counted at 0 and the new ratio falls below 1 the direction flips and the calculator
    /// keeps the current count ("if the new usage ratio would cause a change in scale
    /// direction"). The reason must name that rule, not the tolerance band (ratio 1.5 is far
    /// outside it).
    #[test]
    fn direction_flip_with_starting_pods_is_not_called_tolerance() {
        use scalelens_core::algorithm::Reason;
        let mut c = controller_for(&hpa(
            1,
            20,
            vec![metric(MetricSource::Pods, TargetType::AverageValue, 10.0)],
        ));
        let r = [crate::common::reading(30.0, 15.0, 2)];
        let view = crate::common::view(0, 4, 2, &r);
        let d = c.wake(&view).expect("a decision");
        assert_eq!(d.desired, 4, "{d:?}");
        assert!(
            matches!(d.reason, Reason::DirectionFlipHold { .. }),
            "{:?}: {}",
            d.reason,
            d.reason
        );
        // Inside the band after filling in the starting pods: that is the tolerance, at the new
        // ratio. 2 ready at 21 and 2 starting at 0: 1.05 (not a flip: still above 1).
        let r = [crate::common::reading(42.0, 21.0, 2)];
        let view = crate::common::view(15_000, 4, 2, &r);
        let d = c.wake(&view).expect("a decision");
        assert_eq!(d.desired, 4, "{d:?}");
        match d.reason {
            Reason::Tolerance { ratio } => assert!((ratio - 1.05).abs() < 1e-9, "{ratio}"),
            other => panic!("{other:?}"),
        }
    }
}
