//! AIBrix v0.5.0 – v0.7.0 PodAutoscaler (KPA, APA): reference vectors and closed-loop checks.
//!
//! Vector files (core/tests/testdata/vectors/):
//! - `aibrix-kpa.json`: vllm-project/aibrix v0.7.0 `algorithm/kpa_test.go`
//!   `TestKPAAlgorithm_ComputeTargetReplicas` (copied from the shared reference vectors); the
//!   test is the same at v0.5.0 and v0.6.0 (its `tags`);
//! - `aibrix-apa.json`: v0.7.0 `algorithm/apa_test.go` (copied from the shared reference
//!   vectors); at v0.5.0 the test lacks `division_by_zero`, which came with the v0.6.0 guard
//!   (the case's `since`);
//! - `aibrix-pipeline.json`: `autoscaler_test.go` cases and cases derived from
//!   `podautoscaler_controller.go`, each citing its source;
//! - `aibrix-stabilize.json`: `stabilizeRecommendation`, derived from the code (v0.7.0 has no test).

use scalelens_core::algorithm::aibrix::{
    apa, apply_constraints, kpa, AibrixController, ApaContext, KpaContext, RecommendationHistory,
    TimeWindow,
};
use scalelens_core::algorithm::{Controller, Decision, MetricReading, Mode, Reason};
use scalelens_core::model::{
    AibrixGenBParams, AibrixParams, Algorithm, Autoscaler, Family, MetricSource, Millis,
    TargetType, SECOND,
};
use scalelens_core::Param;
use serde::Deserialize;

const SRC: &scalelens_core::upstream::Source = &crate::common::TEST_SOURCE;

// ---------------------------------------------------------------------------------------------
// Building autoscalers in code (the config parser is another module's job).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strategy {
    Kpa,
    Apa,
}

#[derive(Debug, Clone)]
struct MetricSpec {
    name: String,
    source: MetricSource,
    target: f64,
    bound: Option<f64>,
}

fn pod_metric(name: &str, target: f64, bound: Option<f64>) -> MetricSpec {
    MetricSpec {
        name: name.to_string(),
        source: MetricSource::AibrixPod {
            port: Some("8000".into()),
            path: Some("/metrics".into()),
        },
        target,
        bound,
    }
}

fn default_params() -> AibrixGenBParams {
    AibrixGenBParams {
        max_scale_up_rate: Param::default(2.0, SRC),
        max_scale_down_rate: Param::default(2.0, SRC),
        scale_up_tolerance: Param::default(0.1, SRC),
        scale_down_tolerance: Param::default(0.1, SRC),
        panic_threshold: Param::default(2.0, SRC),
        scale_up_cooldown: Param::default(0, SRC),
        scale_down_cooldown: Param::default(300 * SECOND, SRC),
        scale_to_zero: Param::default(false, SRC),
        stable_window: Param::default(180 * SECOND, SRC),
        panic_window: Param::default(60 * SECOND, SRC),
        resync_interval: Param::default(10 * SECOND, SRC),
    }
}

fn autoscaler(
    strategy: Strategy,
    min: u32,
    max: u32,
    metrics: &[MetricSpec],
    params: AibrixGenBParams,
) -> Autoscaler {
    let metrics = metrics
        .iter()
        .map(|m| {
            let ty = TargetType::AverageValue;
            let mut metric = crate::common::test_metric(&m.name, m.source.clone(), ty, m.target);
            metric.bound = m.bound;
            metric
        })
        .collect();
    let algorithm = match strategy {
        Strategy::Kpa => Algorithm::AibrixKpa(AibrixParams::V07(params)),
        Strategy::Apa => Algorithm::AibrixApa(AibrixParams::V07(params)),
    };
    let object = ("autoscaling.aibrix.ai/v1alpha1", "PodAutoscaler", "test");
    let mut a =
        crate::common::test_autoscaler(Family::Aibrix, object, (min, max), metrics, algorithm);
    a.namespace = Some("default".into());
    a
}

// ---------------------------------------------------------------------------------------------
// kpa_test.go / apa_test.go

#[derive(Deserialize)]
struct VectorFile<C> {
    source: String,
    /// The releases whose upstream test holds these cases (the source names the newest).
    #[serde(default)]
    tags: Vec<String>,
    cases: Vec<C>,
}

/// The Gen-B releases replayed (`AibrixVersion`'s tags), each of which must be among the
/// `tags` of the vectors copied from its upstream tests.
fn gen_b_tags() -> Vec<&'static str> {
    scalelens_core::model::AibrixVersion::ALL
        .iter()
        .filter(|v| **v != scalelens_core::model::AibrixVersion::V0_4)
        .map(|v| v.tag())
        .collect()
}

/// Whether a case added to the upstream test at `since` is in the test at `tag`.
fn at_tag(since: Option<&str>, tag: &str) -> bool {
    since.is_none_or(|s| {
        let parse = |t: &str| -> Vec<u32> {
            t.trim_start_matches('v')
                .split('.')
                .map(|n| n.parse().unwrap_or(0))
                .collect()
        };
        parse(s) <= parse(tag)
    })
}

/// Vector file `name`, whose source names `test` (the upstream test or function it copies).
fn vector_file<C: serde::de::DeserializeOwned>(name: &str, test: &str) -> VectorFile<C> {
    let file: VectorFile<C> = crate::common::load_vectors(name);
    assert!(file.source.contains(test), "{name}: {}", file.source);
    file
}

#[derive(Deserialize)]
struct KpaCase {
    name: String,
    current_pods: u32,
    target: f64,
    max_scale_up_rate: f64,
    max_scale_down_rate: f64,
    activation_scale: u32,
    panic_threshold: f64,
    in_panic_mode: bool,
    max_panic_pods: u32,
    up_tolerance: f64,
    down_tolerance: f64,
    stable_value: f64,
    panic_value: f64,
    expected_desired: u32,
}

#[test]
fn kpa_compute_target_replicas_vectors() {
    let file: VectorFile<KpaCase> = vector_file("aibrix-kpa.json", "kpa_test.go");
    assert_eq!(file.cases.len(), 7);
    assert_eq!(
        file.tags,
        gen_b_tags(),
        "kpa_test.go is the same at every Gen-B tag"
    );
    for c in &file.cases {
        let out = kpa::compute_target_replicas(
            c.current_pods,
            &KpaContext {
                target: c.target,
                stable_value: c.stable_value,
                panic_value: c.panic_value,
                max_scale_up_rate: c.max_scale_up_rate,
                max_scale_down_rate: c.max_scale_down_rate,
                up_tolerance: c.up_tolerance,
                down_tolerance: c.down_tolerance,
                panic_threshold: c.panic_threshold,
                in_panic_mode: c.in_panic_mode,
                max_panic_pods: c.max_panic_pods,
                activation_scale: c.activation_scale,
            },
        );
        assert_eq!(
            out.desired, c.expected_desired,
            "{} ({})",
            c.name, file.source
        );
    }
}

#[derive(Deserialize)]
struct ApaCase {
    name: String,
    current_pods: u32,
    target: f64,
    current_use_per_pod: f64,
    up_tolerance: f64,
    down_tolerance: f64,
    max_scale_up_rate: f64,
    max_scale_down_rate: f64,
    expected_desired: u32,
    /// The release whose upstream test added the case (absent: in every tag listed).
    since: Option<String>,
}

#[test]
fn apa_compute_target_replicas_vectors() {
    let file: VectorFile<ApaCase> = vector_file("aibrix-apa.json", "apa_test.go");
    assert_eq!(file.cases.len(), 11);
    assert_eq!(file.tags, gen_b_tags());
    // apa_test.go per tag: 10 cases at v0.5.0, `division_by_zero` added at v0.6.0 (with the
    // guard it tests; a replay never reaches it, the reader refuses a target ≤ 0 first).
    let per_tag: Vec<usize> = file
        .tags
        .iter()
        .map(|t| {
            file.cases
                .iter()
                .filter(|c| at_tag(c.since.as_deref(), t))
                .count()
        })
        .collect();
    assert_eq!(per_tag, [10, 11, 11]);
    for c in &file.cases {
        let out = apa::compute_target_replicas(
            c.current_pods,
            &ApaContext {
                target: c.target,
                current_use_per_pod: c.current_use_per_pod,
                up_tolerance: c.up_tolerance,
                down_tolerance: c.down_tolerance,
                max_scale_up_rate: c.max_scale_up_rate,
                max_scale_down_rate: c.max_scale_down_rate,
            },
        );
        assert_eq!(
            out.desired, c.expected_desired,
            "{} ({})",
            c.name, file.source
        );
    }
}

#[derive(Deserialize)]
struct ConstraintCase {
    name: String,
    replicas: u32,
    min: u32,
    max: u32,
    want: u32,
}

#[test]
fn apply_constraints_vectors() {
    let file: VectorFile<ConstraintCase> =
        vector_file("aibrix-apply-constraints.json", "TestApplyConstraints");
    assert_eq!(file.cases.len(), 5);
    for c in &file.cases {
        assert_eq!(
            apply_constraints(c.replicas, c.min, c.max),
            c.want,
            "{}",
            c.name
        );
    }
}

// ---------------------------------------------------------------------------------------------
// stabilizeRecommendation

#[derive(Deserialize)]
struct StabilizeCase {
    name: String,
    up_window_s: u64,
    down_window_s: u64,
    history: Vec<(u64, u32)>,
    now_s: u64,
    recommendation: u32,
    current: u32,
    expected: u32,
}

#[test]
fn stabilize_recommendation_vectors() {
    let file: VectorFile<StabilizeCase> =
        vector_file("aibrix-stabilize.json", "stabilizeRecommendation");
    assert!(file.cases.len() >= 7);
    for c in &file.cases {
        let mut h = RecommendationHistory::new();
        for &(t, r) in &c.history {
            h.push(t * SECOND, r);
        }
        let (got, _) = h.stabilize(
            c.now_s * SECOND,
            c.recommendation,
            c.current,
            c.up_window_s * SECOND,
            c.down_window_s * SECOND,
        );
        assert_eq!(got, c.expected, "{}", c.name);
    }
}

// ---------------------------------------------------------------------------------------------
// Whole-pipeline cases through the Controller.

#[derive(Deserialize)]
struct PipelineMetric {
    name: String,
    source: String,
    target: f64,
}

#[derive(Deserialize)]
struct Tick {
    t_s: u64,
    replicas: u32,
    ready: u32,
    values: Vec<f64>,
}

#[derive(Deserialize, Default)]
struct Expected {
    desired: u32,
    desired_raw: Option<u32>,
    observed: Option<f64>,
    stable_value: Option<f64>,
    panic_value: Option<f64>,
    mode: Option<String>,
    reason: Option<String>,
}

#[derive(Deserialize)]
struct PipelineCase {
    name: String,
    source: String,
    strategy: String,
    min_replicas: u32,
    max_replicas: u32,
    max_scale_up_rate: Option<f64>,
    stable_window_s: Option<u64>,
    panic_window_s: Option<u64>,
    metrics: Vec<PipelineMetric>,
    ticks: Vec<Tick>,
    expected: Expected,
}

fn build_pipeline_case(c: &PipelineCase) -> Autoscaler {
    let mut params = default_params();
    if let Some(r) = c.max_scale_up_rate {
        params.max_scale_up_rate = Param::default(r, SRC);
    }
    if let Some(w) = c.stable_window_s {
        params.stable_window = Param::default(w * SECOND, SRC);
    }
    if let Some(w) = c.panic_window_s {
        params.panic_window = Param::default(w * SECOND, SRC);
    }
    let metrics: Vec<MetricSpec> = c
        .metrics
        .iter()
        .map(|m| MetricSpec {
            name: m.name.clone(),
            source: match m.source.as_str() {
                "pod" => MetricSource::AibrixPod {
                    port: None,
                    path: None,
                },
                "resource" => MetricSource::AibrixResource,
                "custom" => MetricSource::AibrixCustom,
                "external" => MetricSource::AibrixExternal {
                    endpoint: None,
                    reads_zero: false,
                },
                other => panic!("{}: unknown source {other}", c.name),
            },
            target: m.target,
            bound: None,
        })
        .collect();
    let strategy = match c.strategy.as_str() {
        "kpa" => Strategy::Kpa,
        "apa" => Strategy::Apa,
        other => panic!("{}: unknown strategy {other}", c.name),
    };
    autoscaler(strategy, c.min_replicas, c.max_replicas, &metrics, params)
}

#[test]
fn pipeline_vectors() {
    let file: VectorFile<PipelineCase> = crate::common::load_vectors("aibrix-pipeline.json");
    assert!(file.cases.len() >= 12);
    for c in &file.cases {
        assert!(!c.source.is_empty(), "{}: cite the source", c.name);
        let a = build_pipeline_case(c);
        let mut ctl = new_controller(&a);
        let mut last: Option<Decision> = None;
        for tick in &c.ticks {
            assert!(ctl.next_wake() <= tick.t_s * SECOND, "{}", c.name);
            let readings: Vec<MetricReading> = tick
                .values
                .iter()
                .map(|&v| crate::common::reading(v, v, tick.ready))
                .collect();
            let view = crate::common::view(tick.t_s * SECOND, tick.replicas, tick.ready, &readings);
            last = ctl.wake(&view);
        }
        let d = last.unwrap_or_else(|| panic!("{}: no decision", c.name));
        let e = &c.expected;
        assert_eq!(d.desired, e.desired, "{}: desired ({:?})", c.name, d);
        if let Some(raw) = e.desired_raw {
            assert_eq!(d.desired_raw, raw, "{}: desired_raw", c.name);
        }
        if let Some(o) = e.observed {
            assert_eq!(d.observed, o, "{}: observed", c.name);
        }
        if let Some(m) = &e.mode {
            assert_eq!(d.mode.as_str(), m, "{}: mode", c.name);
        }
        if let Some(r) = &e.reason {
            assert_eq!(&d.reason.to_string(), r, "{}: reason", c.name);
        }
        // Window values: replay the recorded values through the windows directly.
        if e.stable_value.is_some() || e.panic_value.is_some() {
            let mut stable =
                TimeWindow::new(c.stable_window_s.map_or(180 * SECOND, |s| s * SECOND));
            let mut panic = TimeWindow::new(c.panic_window_s.map_or(60 * SECOND, |s| s * SECOND));
            for tick in &c.ticks {
                stable.record(tick.t_s * SECOND, tick.values[0]);
                panic.record(tick.t_s * SECOND, tick.values[0]);
            }
            if let Some(s) = e.stable_value {
                assert_eq!(stable.avg(), s, "{}: stable value", c.name);
            }
            if let Some(p) = e.panic_value {
                assert_eq!(panic.avg(), p, "{}: panic value", c.name);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Closed loop through the Controller trait, with the simulator's pod model: new pods are ready
// after a start-up delay; a scale-down removes pods at once (newest first); ready pods each
// report min(demand / ready, bound); starting pods report nothing.

#[derive(Debug, Clone, Copy)]
struct Step {
    t: Millis,
    replicas: u32,
    ready: u32,
    decision: Decision,
}

fn closed_loop(
    a: &Autoscaler,
    initial: u32,
    startup: Millis,
    duration: Millis,
    demand: impl Fn(Millis) -> f64,
) -> Vec<Step> {
    let mut ctl = new_controller(a);
    let bound = a.metrics.first().and_then(|m| m.bound);
    // (ready_at, count), oldest first.
    let mut groups: Vec<(Millis, u32)> = vec![(0, initial)];
    let mut steps = Vec::new();
    let mut last = None;
    loop {
        let t = ctl.next_wake();
        if let Some(prev) = last {
            assert!(t > prev, "the controller must move forward");
        }
        last = Some(t);
        if t > duration {
            break;
        }
        let replicas: u32 = groups.iter().map(|g| g.1).sum();
        let ready: u32 = groups.iter().filter(|g| g.0 <= t).map(|g| g.1).sum();
        let total = demand(t);
        let mut per_pod = if ready > 0 {
            total / f64::from(ready)
        } else {
            0.0
        };
        if let Some(b) = bound {
            per_pod = per_pod.min(b);
        }
        let readings = [MetricReading {
            total,
            per_pod,
            reporting: ready,
        }];
        let view = crate::common::view(t, replicas, ready, &readings);
        if let Some(d) = ctl.wake(&view) {
            steps.push(Step {
                t,
                replicas,
                ready,
                decision: d,
            });
            if d.desired > replicas {
                groups.push((t + startup, d.desired - replicas));
            } else {
                let mut remove = replicas - d.desired;
                while remove > 0 {
                    let Some(g) = groups.last_mut() else { break };
                    let take = remove.min(g.1);
                    g.1 -= take;
                    remove -= take;
                    if g.1 == 0 {
                        groups.pop();
                    }
                }
            }
        }
    }
    steps
}

/// The seed case's demand, total KV-cache use in pods' worth (0–1 per pod): 0.3 for 10 min, a
/// ramp to 3.4 over the next 10 min, held until minute 40, then 0 (examples/
/// seed-kpa-gpu-cache/demand.csv, smoothed).
fn seed_demand(t: Millis) -> f64 {
    let s = t as f64 / 1000.0;
    if s < 600.0 {
        0.3
    } else if s < 1200.0 {
        0.3 + (3.4 - 0.3) * (s - 600.0) / 600.0
    } else if s < 2400.0 {
        3.4
    } else {
        0.0
    }
}

const LLM_STARTUP: Millis = 120 * SECOND;
const RUN: Millis = 90 * 60 * SECOND;

fn replicas_at(steps: &[Step], t: Millis) -> u32 {
    steps
        .iter()
        .rev()
        .find(|s| s.t <= t)
        .map_or(0, |s| s.decision.desired)
}

#[test]
fn seed_case_fraction_peaks_at_two() {
    // KPA target 0.5 on a 0–1 fraction: ceil(per-pod mean / 0.5) ≤ ceil(1.0 / 0.5) = 2.
    let a = autoscaler(
        Strategy::Kpa,
        1,
        10,
        &[pod_metric("gpu_cache_usage_perc", 0.5, Some(1.0))],
        default_params(),
    );
    let steps = closed_loop(&a, 1, LLM_STARTUP, RUN, seed_demand);
    assert_eq!(steps.first().map(|s| s.t), Some(0));
    assert!(steps.windows(2).all(|w| w[1].t - w[0].t == 10 * SECOND));
    assert!(steps.iter().all(|s| s.ready <= s.replicas));
    let peak = steps.iter().map(|s| s.decision.desired).max().unwrap();
    assert_eq!(
        peak, 2,
        "v0.7.0 KPA can never exceed ceil(1.0/0.5) = 2 here"
    );
    assert!(steps.iter().all(|s| s.decision.desired_raw <= 2));
    // Low load (0.3 on one pod, below 0.45 = 0.5 × (1 − 0.1)): ceil(0.3/0.5) = 1 for 10 minutes.
    assert!(steps
        .iter()
        .filter(|s| s.t < 600 * SECOND)
        .all(|s| s.decision.desired == 1));
    // It reaches 2 on the ramp, while the one pod's fraction is above 0.55 for long enough.
    let first_two = steps.iter().find(|s| s.decision.desired == 2).unwrap();
    // 740 s: the 19 buckets 560..740 s hold 4 × 0.3 and the ramp → mean 0.5843 > 0.55.
    assert_eq!(first_two.t, 740 * SECOND);
    assert!(matches!(
        first_two.decision.reason,
        Reason::KpaPerPodMean { .. }
    ));
    // While the load lasts (3.4 pods' worth, each pod saturated at 1.0) it stays at 2.
    assert_eq!(replicas_at(&steps, 2390 * SECOND), 2);
    // After the load stops at 40 min, it returns to 1 once the stable mean falls below
    // 0.45 (= 0.5 × (1 − 0.1)): ceil(mean / 0.5) = 1.
    let back = steps
        .iter()
        .find(|s| s.t >= 2400 * SECOND && s.decision.desired == 1)
        .unwrap();
    // 2500 s: 8 buckets of 1.0 (2320..2390 s) and 11 zero buckets → 8/19 = 0.421 < 0.45.
    // At 2490 s: 9/19 = 0.474, inside the tolerance band → kept 2.
    assert_eq!(back.t, 2500 * SECOND);
    assert_eq!(replicas_at(&steps, 2490 * SECOND), 2);
    assert!(steps
        .iter()
        .filter(|s| s.t >= back.t)
        .all(|s| s.decision.desired == 1));
    assert_eq!(replicas_at(&steps, RUN), 1);
}

#[test]
fn seed_case_percent_pins_at_max_then_returns_to_min() {
    // The same metric in percent (0–100) with target 0.5: every reading is far above target.
    let a = autoscaler(
        Strategy::Kpa,
        1,
        10,
        &[pod_metric("gpu_cache_usage_perc", 0.5, Some(100.0))],
        default_params(),
    );
    let steps = closed_loop(&a, 1, LLM_STARTUP, RUN, |t| seed_demand(t) * 100.0);
    // Up by the rate limit (×2 per 10 s tick): 1 → 2 → 4 → 8 → 10, even at the 0.3 low load.
    assert_eq!(replicas_at(&steps, 0), 2);
    assert_eq!(replicas_at(&steps, 10 * SECOND), 4);
    assert_eq!(replicas_at(&steps, 20 * SECOND), 8);
    assert_eq!(replicas_at(&steps, 30 * SECOND), 10);
    // Not pinned during the low-load phase: KPA's ceil(per-pod mean / target) falls as pods
    // become ready (per-pod 30 % / 10 pods = 3 % → 6), and the scale-down cooldown takes the
    // MIN recommendation of the last 300 s — here the rate-limited 4 recommended at t = 10 s.
    let s300 = steps.iter().find(|s| s.t == 300 * SECOND).unwrap();
    assert_eq!((s300.replicas, s300.ready), (10, 10));
    assert_eq!(s300.decision.desired, 4);
    assert_eq!(s300.decision.reason, Reason::CooldownMin { held: 4 });
    // Pinned at maxReplicas while the high load lasts (all 10 pods ready from 790 s).
    assert!(steps
        .iter()
        .filter(|s| s.t >= 790 * SECOND && s.t < 2560 * SECOND)
        .all(|s| s.decision.desired == 10));
    // The load stops at 2400 s. The stable window (180 s, 19 buckets of 10 s ticks) still holds
    // the last non-zero buckets (34 % per pod at 2380 s and 2390 s) until 2570 s:
    // 2560 s: mean 68/19 = 3.58 → ceil(7.16) = 8; 2570 s: mean 1.79 → ceil(3.58) = 4.
    assert_eq!(replicas_at(&steps, 2550 * SECOND), 10);
    assert_eq!(replicas_at(&steps, 2560 * SECOND), 8);
    assert_eq!(replicas_at(&steps, 2570 * SECOND), 4);
    // At 2580 s the stable mean is exactly 0: stateless panic (StableValue <= 0) without hold;
    // ceil(0) = 0, raised to the scale-down limit floor(4/2) = 2.
    let s2580 = steps.iter().find(|s| s.t == 2580 * SECOND).unwrap();
    assert_eq!(s2580.decision.desired, 2);
    assert_eq!(s2580.decision.mode, Mode::Panic);
    assert_eq!(s2580.decision.reason, Reason::PanicNoHold { current: 4 });
    // 2590 s: floor(2/2) = 1 = minReplicas, 190 s after the load stopped; stays there.
    assert_eq!(replicas_at(&steps, 2590 * SECOND), 1);
    assert!(steps
        .iter()
        .filter(|s| s.t >= 2590 * SECOND)
        .all(|s| s.decision.desired == 1));
    let s2600 = steps.iter().find(|s| s.t == 2600 * SECOND).unwrap();
    assert_eq!(s2600.decision.reason, Reason::MinReplicas { min: 1 });
}

#[test]
fn apa_seed_case_fraction_scales_with_pods() {
    // APA multiplies by the pod count: ceil(n × mean / 0.5), so it follows the total demand
    // (up to the per-pod saturation at 1.0).
    let a = autoscaler(
        Strategy::Apa,
        1,
        10,
        &[pod_metric("gpu_cache_usage_perc", 0.5, Some(1.0))],
        default_params(),
    );
    let steps = closed_loop(&a, 1, LLM_STARTUP, RUN, seed_demand);
    let peak = steps.iter().map(|s| s.decision.desired).max().unwrap();
    // While new pods start (120 s), the ready ones stay saturated at 1.0 (ratio 2): APA keeps
    // doubling on the ready pods' readings and overshoots the 7 that 3.4 pods' worth needs.
    assert_eq!(peak, 10);
    assert_eq!(replicas_at(&steps, RUN), 1);
}

#[test]
fn controller_wakes_every_resync_from_zero() {
    let mut params = default_params();
    params.resync_interval = Param::default(15 * SECOND, SRC);
    let a = autoscaler(Strategy::Apa, 1, 5, &[pod_metric("m", 10.0, None)], params);
    let steps = closed_loop(&a, 1, 30 * SECOND, 60 * SECOND, |_| 10.0);
    let times: Vec<Millis> = steps.iter().map(|s| s.t / SECOND).collect();
    assert_eq!(times, vec![0, 15, 30, 45, 60]);
}

#[test]
fn no_metrics_keeps_replicas() {
    let a = autoscaler(Strategy::Kpa, 1, 5, &[], default_params());
    let mut ctl = new_controller(&a);
    let d = ctl.wake(&crate::common::view(0, 3, 3, &[])).unwrap();
    assert_eq!(d.desired, 3);
    assert_eq!(d.reason, Reason::NoMetrics);
    assert!(d.observed.is_nan());
}

#[test]
fn hostile_inputs_do_not_panic() {
    let mut params = default_params();
    params.max_scale_down_rate = Param::default(0.0, SRC);
    params.max_scale_up_rate = Param::default(f64::INFINITY, SRC);
    params.resync_interval = Param::default(0, SRC);
    let a = autoscaler(
        Strategy::Kpa,
        0,
        u32::MAX,
        &[
            pod_metric("m", f64::NAN, None),
            pod_metric("n", 1e-300, None),
        ],
        params,
    );
    let mut ctl = new_controller(&a);
    for (i, v) in [f64::NAN, f64::INFINITY, -5.0, 1e308, 0.0]
        .iter()
        .enumerate()
    {
        let readings = [
            crate::common::reading(*v, *v, 3),
            crate::common::reading(*v, *v, 3),
        ];
        let t = ctl.next_wake();
        assert_eq!(t, i as u64 * 10 * SECOND);
        let d = ctl.wake(&crate::common::view(t, u32::MAX - 1, 3, &readings));
        assert!(d.is_some());
    }
}

/// The v0.7.0 controller for an autoscaler built by [`autoscaler`].
fn new_controller(a: &Autoscaler) -> AibrixController {
    match &a.algorithm {
        Algorithm::AibrixKpa(AibrixParams::V07(p)) => AibrixController::new(a, false, p),
        Algorithm::AibrixApa(AibrixParams::V07(p)) => AibrixController::new(a, true, p),
        other => panic!("not an AIBrix v0.7.0 autoscaler: {other:?}"),
    }
}
