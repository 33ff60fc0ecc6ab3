//! KEDA reference vectors (upstream-detail.md D.5), one runner per table, plus closed-loop
//! checks of the KEDA controller through the `Controller` trait.

use scalelens_core::algorithm::hpa::milli::keda_milli;
use scalelens_core::algorithm::hpa::replica_calculator::{per_pod_replicas, Tolerances};
use scalelens_core::algorithm::keda::{
    check_replica_count_bounds, hpa_max_replicas, hpa_min_replicas, request_scale, ExecutorSpec,
    ExecutorState,
};
use scalelens_core::algorithm::{controller_for, MetricReading, Mode, Reason};
use scalelens_core::model::*;
use scalelens_core::Param;
use serde_json::Value;

fn load(name: &str) -> Value {
    crate::common::load_vectors(name)
}

fn opt_u32(v: &Value) -> Option<u32> {
    v.as_u64().map(|x| x as u32)
}

#[test]
fn executor_table() {
    let doc = load("keda.json");
    let cases = doc["executor"].as_array().unwrap();
    assert!(cases.len() >= 10);
    let now: i64 = 10_000_000;
    for c in cases {
        let id = c["id"].as_str().unwrap();
        let spec = ExecutorSpec {
            min_replica_count: opt_u32(&c["min"]).unwrap_or(0),
            idle_replica_count: opt_u32(&c["idle"]),
            cooldown_period: c["cooldown_s"].as_u64().unwrap_or(300) * 1000,
            initial_cooldown_period: 0,
            paused_scale_in: c["paused_scale_in"].as_bool().unwrap_or(false),
            paused_scale_out: c["paused_scale_out"].as_bool().unwrap_or(false),
            force_activation: c["force_activation"].as_bool().unwrap_or(false),
            paused_replicas: opt_u32(&c["paused_replicas"]),
            fallback_replicas: None,
        };
        let mut state = ExecutorState {
            last_active: c["last_active_age_s"].as_i64().map(|a| now - a * 1000),
            created: now - 1,
        };
        let current = opt_u32(&c["current"]).unwrap();
        let action = request_scale(
            &spec,
            &mut state,
            now,
            current,
            c["active"].as_bool().unwrap(),
        );
        let got = action.replicas(current).unwrap_or(current);
        assert_eq!(
            u64::from(got),
            c["expect"].as_u64().unwrap(),
            "{id}: {action:?}"
        );
        if c["last_active_set"].as_bool() == Some(true) {
            assert_eq!(state.last_active, Some(now), "{id}");
        }
    }
}

#[test]
fn hpa_replicas_table() {
    let doc = load("keda.json");
    for c in doc["hpa_replicas"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        let got = [
            hpa_min_replicas(opt_u32(&c["min"])),
            hpa_max_replicas(opt_u32(&c["max"])),
        ];
        let want: Vec<u32> = c["expect"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap() as u32)
            .collect();
        assert_eq!(got.to_vec(), want, "{id}");
    }
}

#[test]
fn replica_bounds_table() {
    let doc = load("keda.json");
    for c in doc["bounds"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        let got =
            check_replica_count_bounds(opt_u32(&c["min"]), opt_u32(&c["max"]), opt_u32(&c["idle"]));
        assert_eq!(got.is_ok(), c["ok"].as_bool().unwrap(), "{id}: {got:?}");
    }
}

#[test]
fn prometheus_hpa_table() {
    let doc = load("keda.json");
    for c in doc["prometheus_hpa"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        let value = c["value"].as_f64().unwrap();
        let p = per_pod_replicas(
            &Tolerances::symmetric(0.1),
            c["status_replicas"].as_i64().unwrap() as i32,
            keda_milli(c["threshold"].as_f64().unwrap()),
            keda_milli(value),
        )
        .unwrap();
        assert_eq!(i64::from(p.replicas), c["expect"].as_i64().unwrap(), "{id}");
        let active = value > c["activation_threshold"].as_f64().unwrap();
        assert_eq!(active, c["active"].as_bool().unwrap(), "{id}");
    }
}

// ---- closed loop through the Controller trait ----

const SRC: &scalelens_core::upstream::Source = &crate::common::TEST_SOURCE;

use crate::common::{test_autoscaler, test_metric};

fn prom_metric(threshold: f64, activation: f64) -> Metric {
    let source = MetricSource::KedaPrometheus {
        query: "sum(rate(x[1m]))".into(),
        server_address: None,
    };
    let mut m = test_metric("s0-prometheus", source, TargetType::AverageValue, threshold);
    m.activation_threshold = Some(Param::default(activation, SRC));
    m
}

fn keda(min: u32, max: u32, metric: Metric) -> Autoscaler {
    let params = KedaParams {
        polling_interval: Param::default(30_000, SRC),
        cooldown_period: Param::default(300_000, SRC),
        initial_cooldown_period: Param::default(0, SRC),
        min_replica_count: Param::default(min, SRC),
        idle_replica_count: None,
        hpa: scalelens_core::upstream::kubernetes::hpa_params(),
        paused_scale_in: false,
        pause: None,
        modifiers: None,
        fallback: None,
        paused_scale_out: false,
        force_activation: false,
    };
    let object = ("keda.sh/v1alpha1", "ScaledObject", "so");
    test_autoscaler(
        Family::Keda,
        object,
        (min, max),
        vec![metric],
        Algorithm::Keda(params),
    )
}

/// [`crate::common::instant_loop`] from 0 replicas: (t, replicas, reason, mode) per decision.
fn run(a: &Autoscaler, demand: impl Fn(u64) -> f64, until: u64) -> Vec<(u64, u32, Reason, Mode)> {
    crate::common::instant_loop(a, 0, demand, until)
        .into_iter()
        .map(|(t, n, d)| (t, n, d.reason, d.mode))
        .collect()
}

#[test]
fn keda_activates_scales_and_returns_to_zero_after_cooldown() {
    let a = keda(0, 20, prom_metric(10.0, 0.0));
    // Demand 45 for 10 minutes, then 0.
    let log = run(&a, |t| if t < 600_000 { 45.0 } else { 0.0 }, 1_500_000);
    // t = 0: activation to 1 (KEDA), then the HPA scales to ceil(45 / 10) = 5.
    assert!(
        matches!(log[0], (0, 1, Reason::Activated { .. }, _)),
        "{:?}",
        log[0]
    );
    let at_5 = log.iter().find(|e| e.1 == 5).expect("reaches 5");
    assert!(at_5.0 <= 15_000, "{at_5:?}");
    // Active until t = 600 s (last poll seeing 45 is at 570 s); scale to zero strictly after
    // lastActiveTime + 300 s = 870 s, i.e. at the 900 s poll.
    let zero = log.iter().find(|e| e.1 == 0).expect("scales to zero");
    assert_eq!(zero.0, 900_000, "{zero:?}");
    assert_eq!(zero.2, Reason::ScaleToZero);
    // While at zero the HPA reports ScalingDisabledAtZero, mode inactive.
    let after = log.iter().find(|e| e.0 > 900_000).unwrap();
    assert_eq!(after.2, Reason::ScalingDisabledAtZero);
    assert_eq!(after.3, Mode::Inactive);
    // The HPA never goes below 1 on its own (demand 0 is below target but the HPA min is 1).
    assert!(log
        .iter()
        .filter(|e| e.0 > 600_000 && e.0 < 900_000)
        .all(|e| e.1 >= 1));
}

#[test]
fn keda_stays_at_zero_below_activation_threshold() {
    let a = keda(0, 20, prom_metric(10.0, 50.0));
    let log = run(&a, |_| 45.0, 300_000);
    assert!(log.iter().all(|e| e.1 == 0), "{log:?}");
}

fn cpu_metric(utilization: f64) -> Metric {
    let (source, ty) = (MetricSource::KedaResource, TargetType::Utilization);
    test_metric("cpu", source, ty, utilization)
}

/// kedacore/keda v2.18 `pkg/scaling/scale_handler.go` `getScaledObjectState`: a cpu/memory
/// trigger's metric spec is a Resource spec (`spec.External == nil`), which the activity loop
/// skips ("if cpu/memory resource scaler has minReplicas==0 & at least one external trigger
/// exists -> object can be scaled to zero"). Only an object whose triggers are ALL cpu/memory
/// is forced active. So a hot cpu trigger does not keep a ScaledObject with an idle prometheus
/// trigger (and minReplicaCount 0) from scaling to zero.
#[test]
fn cpu_trigger_never_counts_as_activity() {
    let mut a = keda(0, 20, prom_metric(10.0, 0.0));
    a.metrics.push(cpu_metric(50.0));
    let mut c = controller_for(&a);
    assert_eq!(c.next_wake(), 0);
    // Prometheus reads 0 (inactive); the cpu trigger reads 90 % per pod.
    let readings = [
        crate::common::reading(0.0, 0.0, 2),
        crate::common::reading(180.0, 90.0, 2),
    ];
    let view = crate::common::view(0, 2, 2, &readings);
    // lastActiveTime is nil and the initial cooldown (0) has passed: scale to zero at once.
    let d = c.wake(&view).expect("a decision");
    assert_eq!((d.desired, d.reason), (0, Reason::ScaleToZero), "{d:?}");

    // Only cpu/memory triggers: always active, so from zero KEDA activates even at 0 % cpu.
    let mut a = keda(1, 20, cpu_metric(50.0));
    if let Algorithm::Keda(k) = &mut a.algorithm {
        k.min_replica_count.value = 1;
    }
    let mut c = controller_for(&a);
    let idle = [crate::common::reading(0.0, 0.0, 0)];
    let view = crate::common::view(0, 0, 0, &idle);
    let d = c.wake(&view).expect("a decision");
    assert_eq!(d.desired, 1, "{d:?}");
}

/// Hostile inputs through the Controller trait: huge demand and replica counts, max = 0,
/// min > max (models built in code), idle ≥ min, per-pod 0 with nobody reporting.
#[test]
fn hostile_inputs_do_not_panic() {
    let cases: [(u32, u32, Option<u32>, u32); 6] = [
        (0, u32::MAX, None, u32::MAX),
        (0, u32::MAX, None, 2_000_000_000),
        (0, 0, None, 5),
        (5, 2, None, 3),
        (3, 10, Some(7), 0),
        (u32::MAX, u32::MAX, None, 1),
    ];
    for (min, max, idle, start) in cases {
        let mut a = keda(min, max, prom_metric(10.0, 0.0));
        a.metrics.push(cpu_metric(50.0));
        if let Algorithm::Keda(k) = &mut a.algorithm {
            k.idle_replica_count = idle.map(|i| Param::default(i, SRC));
            k.cooldown_period = Param::default(u64::MAX, SRC);
        }
        let mut c = controller_for(&a);
        let mut replicas = start;
        for k in 0..8u64 {
            let t = c.next_wake();
            let total = if k % 2 == 0 { 1e12 } else { 0.0 };
            let ready = replicas;
            let per_pod = if ready > 0 {
                total / f64::from(ready)
            } else {
                0.0
            };
            let readings = [
                MetricReading {
                    total,
                    per_pod,
                    reporting: ready,
                },
                crate::common::reading(0.0, 0.0, 0),
            ];
            let view = crate::common::view(t, replicas, ready, &readings);
            if let Some(d) = c.wake(&view) {
                replicas = d.desired;
            }
        }
    }
}
