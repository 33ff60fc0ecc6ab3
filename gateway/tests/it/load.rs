//! The gateway's load aggregator against Knative's reference vectors: its windows are core's
//! Knative windows (`core/tests/testdata/vectors/knative-window.json`, from knative/serving
//! `pkg/autoscaler/aggregation/bucketing_test.go`) and its recommendation is core's KPA decider
//! (`knative.json`, from `pkg/autoscaler/scaling/autoscaler_test.go`), driven through the
//! aggregator's own input: one in-flight sample per tick.

use scalelens_gateway::filter_config::{GatewayConfig, Target, TargetMetric};
use scalelens_gateway::LoadAggregator;
use serde_json::Value;

fn vectors(name: &str) -> Value {
    let p = crate::vectors_path(name);
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    serde_json::from_str(&text).unwrap()
}

fn config(stable_window: u64, target: f64, up: f64, down: f64) -> GatewayConfig {
    GatewayConfig {
        stable_window,
        target: Target {
            metric: TargetMetric::Concurrency,
            per_pod: target,
            utilization: 1.0,
        },
        max_scale_up_rate: up,
        max_scale_down_rate: down,
        ..GatewayConfig::default()
    }
}

/// Linear window cases, fed as ticks (`record t v` = a tick at `t` with `v` in flight). A
/// ticker only moves forward, so each case runs up to its first out-of-order record (the
/// back-dated writes of W1 and W2 exercise a collector path a gateway never takes).
#[test]
fn stable_concurrency_matches_knative_window_vectors() {
    let v = vectors("knative-window.json");
    let mut checked = 0;
    for case in v["cases"].as_array().unwrap() {
        if case["kind"] != "linear" {
            continue;
        }
        let id = case["id"].as_str().unwrap();
        let window = case["window"].as_u64().unwrap();
        let mut agg = LoadAggregator::new(&config(window, 1.0, 10.0, 10.0));
        let mut last: Option<u64> = None;
        for op in case["ops"].as_array().unwrap() {
            let t = op["t"].as_u64().unwrap();
            match op["op"].as_str().unwrap() {
                "record" => {
                    if last.is_some_and(|l| t / 1000 <= l / 1000) {
                        break;
                    }
                    let value = op["value"].as_f64().unwrap();
                    assert_eq!(value.fract(), 0.0, "{id}: in-flight counts are integers");
                    agg.tick(t, value as u64, 0);
                    last = Some(t);
                }
                "average" => {
                    let want = op["want"].as_f64().unwrap();
                    let got = agg.load(t).stable_concurrency;
                    assert!((got - want).abs() < 1e-9, "{id} at {t}: {got} != {want}");
                    checked += 1;
                }
                other => panic!("{id}: op {other}"),
            }
        }
    }
    assert!(checked >= 8, "checked {checked} averages");
}

/// Decider cases whose every step has `stable == panic` (a constant load), no prior panic
/// state, and the default reachable / activation / delay settings. Each step becomes 60 s of
/// constant in-flight ending at the step; steps are spread 120 s apart so a step sees only its
/// own load (the cases' decisions do not depend on the step spacing: see K20's note below).
#[test]
fn recommendation_matches_knative_decider_vectors() {
    let v = vectors("knative.json");
    let mut ran = Vec::new();
    for case in v["cases"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        let spec = &case["spec"];
        let steps = case["steps"].as_array().unwrap();
        let eligible = !steps.is_empty()
            && case["prior"].is_null()
            && spec["reachable"].as_bool() != Some(false)
            && spec["activation_scale"].is_null()
            && spec["scale_down_delay"].is_null()
            && spec["panic_threshold"].is_null()
            && spec["max_scale_up_rate"].is_null()
            && steps.iter().all(|s| {
                s["stable"] == s["panic"] && s["stable"].as_f64().is_some_and(|x| x.fract() == 0.0)
            });
        if !eligible {
            continue;
        }
        // Fixture `newTestAutoscalerWithScalingMetric`: rates 10, panic threshold 200 %,
        // stable window 60 s, TargetValue = target (utilization 1 here).
        let down = spec["max_scale_down_rate"].as_f64().unwrap_or(10.0);
        let mut cfg = config(60_000, spec["target"].as_f64().unwrap(), 10.0, down);
        cfg.panic_threshold_percentage = 200.0;
        let mut agg = LoadAggregator::new(&cfg);
        let base = 1_764_316_800_000u64;
        agg.start(base, case["ready_at_creation"].as_u64().unwrap() as u32);
        for (i, s) in steps.iter().enumerate() {
            let t = base + 120_000 * (i as u64 + 1);
            let load = s["stable"].as_f64().unwrap() as u64;
            for k in (0..60).rev() {
                agg.tick(t - 1000 * k, load, 0);
            }
            let l = agg.load(t);
            assert_eq!(
                (l.stable_concurrency, l.panic_concurrency),
                (load as f64, load as f64),
                "{id} step {i}"
            );
            let r = agg.recommendation(t, s["ready"].as_u64().unwrap() as u32);
            assert_eq!(
                r.desired,
                Some(s["desired"].as_u64().unwrap() as u32),
                "{id} step {i}: {r:?}"
            );
        }
        ran.push(id.to_string());
    }
    // K20 (1 s apart upstream) keeps its results 120 s apart: every step is over the panic
    // threshold except the last, where max(stable, panic) equals the held count anyway.
    assert_eq!(
        ran,
        ["K1", "K1b", "K4", "K7", "K9", "K14", "K18", "K20", "K29"],
        "the eligible cases"
    );
}

/// A burst shows in the panic window first and puts the decider in panic mode (Knative
/// `Scale`: dppc / ready ≥ panic threshold).
#[test]
fn burst_enters_panic_mode() {
    let cfg = GatewayConfig::default(); // 100 × 70 %, panic window 6 s, threshold 200 %
    let mut agg = LoadAggregator::new(&cfg);
    let t0 = 1_764_316_800_000u64;
    agg.start(t0, 1);
    for k in 0..54 {
        agg.tick(t0 + 1000 * k, 70, 0);
    }
    let before = agg.recommendation(t0 + 53_000, 1);
    assert_eq!(before.desired, Some(1));
    assert!(!before.panicking);
    for k in 54..60 {
        agg.tick(t0 + 1000 * k, 700, 0);
    }
    let now = t0 + 59_000;
    let l = agg.load(now);
    assert_eq!(l.panic_concurrency, 700.0);
    assert_eq!(l.stable_concurrency, (54.0 * 70.0 + 6.0 * 700.0) / 60.0);
    let r = agg.recommendation(now, 1);
    // dspc = ceil(133 / 70) = 2, dppc = ceil(700 / 70) = 10 ≥ 2 × 1 ready → panic, max = 10.
    assert_eq!(r.desired, Some(10));
    assert!(r.panicking);
    assert!(agg.is_panicking());
    // The load drops: in panic the recommendation does not go down (max panic pods held).
    for k in 60..70 {
        agg.tick(t0 + 1000 * k, 0, 0);
    }
    assert_eq!(agg.recommendation(t0 + 69_000, 10).desired, Some(10));
}
