//! Closed-loop checks through the `Controller` trait with a minimal pod model.

use super::*;
use crate::algorithm::MetricReading;
use crate::model::{Algorithm, Family, Metric, MetricSource, MetricTarget, TargetType};
use crate::span::Param;
use crate::span::{Span, Spanned};
use crate::upstream::{Project, Source};

static TEST: Source = Source::new(Project::Scalelens, "test", "", "test");

fn default_params() -> KnativeParams {
    crate::upstream::knative::params()
}

fn autoscaler(p: KnativeParams, min: u32, max: u32) -> Autoscaler {
    Autoscaler {
        family: Family::Knative,
        api_version: "serving.knative.dev/v1".into(),
        kind: "Service".into(),
        name: "svc".into(),
        namespace: None,
        span: Span::default(),
        name_span: Span::default(),
        target: None,
        min_replicas: Param::default(min, &TEST),
        max_replicas: Param::default(max, &TEST),
        initial_replicas: None,
        metrics: vec![Metric {
            name: Spanned::new("concurrency".into(), Span::default()),
            source: MetricSource::KnativeConcurrency,
            target: MetricTarget {
                target_type: TargetType::AverageValue,
                value: Param::default(70.0, &TEST),
            },
            bound: None,
            activation_threshold: None,
            selector: Vec::new(),
            span: Span::default(),
        }],
        algorithm: Algorithm::KnativeKpa(p),
        via: None,
    }
}

/// A minimal cluster: a new pod is ready `startup` ms after it is created; scale-down removes
/// the newest pods at once.
struct Cluster {
    /// When each pod is (or will be) ready.
    ready_at: Vec<Millis>,
    startup: Millis,
}

impl Cluster {
    fn with_ready(n: usize, startup: Millis) -> Self {
        Cluster {
            ready_at: vec![0; n],
            startup,
        }
    }
    fn ready(&self, t: Millis) -> u32 {
        self.ready_at.iter().filter(|&&r| r <= t).count() as u32
    }
    fn set(&mut self, n: u32, t: Millis) {
        // The model cluster holds at most 10 000 pods.
        let n = (n as usize).min(10_000);
        if n < self.ready_at.len() {
            self.ready_at.truncate(n);
        } else {
            while self.ready_at.len() < n {
                self.ready_at.push(t + self.startup);
            }
        }
    }
}

/// Runs until `end`; returns every decision with its time.
fn run(
    c: &mut dyn Controller,
    cluster: &mut Cluster,
    demand: impl Fn(Millis) -> f64,
    end: Millis,
) -> Vec<(Millis, Decision)> {
    let mut out = vec![];
    loop {
        let t = c.next_wake();
        if t > end {
            break;
        }
        let ready = cluster.ready(t);
        let d = demand(t);
        let m = [MetricReading {
            total: d,
            per_pod: if ready > 0 { d / f64::from(ready) } else { 0.0 },
            reporting: ready,
        }];
        let replicas = cluster.ready_at.len() as u32;
        let view = ClusterView {
            t,
            epoch: None,
            replicas,
            ready,
            metrics: &m,
        };
        if let Some(dec) = c.wake(&view) {
            cluster.set(dec.desired, t);
            out.push((t, dec));
        }
    }
    out
}

/// 350 concurrent requests against a per-pod target of 70 (100 × 70 %): 5 pods.
#[test]
fn constant_demand_settles_at_five() {
    let a = autoscaler(default_params(), 0, u32::MAX);
    let mut c = KnativeController::new(&a, &knative_params(&a));
    let mut cl = Cluster::with_ready(1, 10_000);
    let out = run(&mut c, &mut cl, |_| 350.0, 300_000);
    assert_eq!(out.last().map(|x| x.1.desired), Some(5));
    assert!(
        out.iter()
            .filter(|x| x.0 >= 120_000)
            .all(|x| x.1.desired == 5),
        "{out:?}"
    );
    // The first decision (t = 2 s, one ready pod): panic window 350 ⇒ dppc 5, 5/1 ≥ 2 ⇒ panic.
    let first = out.first().map(|x| (x.0, x.1.desired, x.1.mode));
    assert_eq!(first, Some((2_000, 5, Mode::Panic)));
}

fn decisions_after_drop(p: KnativeParams) -> Vec<(Millis, Decision)> {
    let a = autoscaler(p, 0, u32::MAX);
    let mut c = KnativeController::new(&a, &knative_params(&a));
    let mut cl = Cluster::with_ready(5, 10_000);
    let stop = 300_000;
    run(
        &mut c,
        &mut cl,
        |t| if t < stop { 350.0 } else { 0.0 },
        600_000,
    )
}

fn first_zero(out: &[(Millis, Decision)]) -> Option<Millis> {
    out.iter().find(|x| x.1.desired == 0).map(|x| x.0)
}

/// Demand stops at 300 s. The stable average (60 s window) reaches 0 at 360 s; the PA has been
/// Active ≥ 60 s, so it turns Inactive at 360 s (1 pod kept). With the default burst capacity
/// (211) the activator has been in the path since the revision dropped to 2 ready pods
/// (2 × 100 − 211 < 0) at 338 s, so the proxy-mode fast path fires 30 s later, at 368 s.
#[test]
fn demand_drop_default_tbc_scales_to_zero_via_proxy_fast_path() {
    let out = decisions_after_drop(default_params());
    let at = |t: Millis| {
        out.iter()
            .find(|x| x.0 == t)
            .map(|x| (x.1.desired, x.1.mode))
    };
    assert_eq!(at(358_000), Some((1, Mode::Stable)));
    assert_eq!(at(360_000), Some((1, Mode::Inactive)));
    assert_eq!(first_zero(&out), Some(368_000));
    assert!(out
        .iter()
        .filter(|x| x.0 >= 368_000)
        .all(|x| x.1.desired == 0));
}

/// With `target-burst-capacity: 0` the activator only enters the path when the PA goes
/// Inactive (360 s): zero after stable window + grace period, at 390 s.
#[test]
fn demand_drop_zero_tbc_waits_stable_window_plus_grace() {
    let mut p = default_params();
    p.target_burst_capacity = Param::default(0.0, &TEST);
    let out = decisions_after_drop(p);
    assert_eq!(first_zero(&out), Some(390_000));
    let at388 = out
        .iter()
        .find(|x| x.0 == 388_000)
        .map(|x| (x.1.desired, x.1.reason));
    assert_eq!(at388, Some((1, Reason::ScaleToZeroGrace)));
}

/// `enable-scale-to-zero: false` keeps one pod.
#[test]
fn scale_to_zero_disabled_keeps_one() {
    let mut p = default_params();
    p.enable_scale_to_zero = Param::default(false, &TEST);
    let out = decisions_after_drop(p);
    assert_eq!(first_zero(&out), None);
    let last = out.last().map(|x| (x.1.desired, x.1.reason));
    assert_eq!(last, Some((1, Reason::ScaleToZeroDisabled)));
}

/// `scale-to-zero-pod-retention-period: 90s` holds the last pod 90 s after the PA goes
/// Inactive (360 s): zero at 450 s.
#[test]
fn pod_retention_holds_last_pod() {
    let mut p = default_params();
    p.scale_to_zero_pod_retention_period = Param::default(90_000, &TEST);
    let out = decisions_after_drop(p);
    assert_eq!(first_zero(&out), Some(450_000));
}

/// min-scale 2 never goes below 2; max-scale 3 caps the scale-up.
#[test]
fn bounds_apply_after_the_decider() {
    let a = autoscaler(default_params(), 2, 3);
    let mut c = KnativeController::new(&a, &knative_params(&a));
    let mut cl = Cluster::with_ready(2, 10_000);
    let out = run(
        &mut c,
        &mut cl,
        |t| if t < 200_000 { 350.0 } else { 0.0 },
        400_000,
    );
    assert!(
        out.iter().all(|x| (2..=3).contains(&x.1.desired)),
        "{out:?}"
    );
    let at100 = out
        .iter()
        .find(|x| x.0 == 100_000)
        .map(|x| (x.1.desired, x.1.reason));
    assert_eq!(at100, Some((3, Reason::MaxReplicas { max: 3 })));
    let last = out.last().map(|x| (x.1.desired, x.1.reason));
    assert_eq!(last, Some((2, Reason::MinReplicas { min: 2 })));
}

/// From zero: the activator reports the demand, the decider asks for pods, the PA is
/// Activating until the first pod is ready.
#[test]
fn scale_from_zero_through_the_activator() {
    let a = autoscaler(default_params(), 0, u32::MAX);
    let mut c = KnativeController::new(&a, &knative_params(&a));
    let mut cl = Cluster::with_ready(0, 10_000);
    let out = run(
        &mut c,
        &mut cl,
        |t| if t >= 20_000 { 140.0 } else { 0.0 },
        120_000,
    );
    // Before any traffic: no data, nothing is applied.
    assert!(out
        .iter()
        .filter(|x| x.0 < 20_000)
        .all(|x| x.1.desired == 0));
    // The 20 s scrape is the first data: the 22 s tick asks for ceil(140/70) = 2 pods, limited
    // by nothing (readyF = 1, max-scale-up-rate 1000).
    let at22 = out.iter().find(|x| x.0 == 22_000).map(|x| x.1.desired);
    assert_eq!(at22, Some(2));
}

/// `MakeMetric`: stable window × percentage, rounded to whole seconds, at least 1 s.
#[test]
fn panic_window_rounding() {
    for (sw, pct, want) in [
        (60_000, 10.0, 6_000),
        (7_000, 10.0, 1_000),
        (15_000, 10.0, 2_000),
        (6_000, 1.0, 1_000),
        (3_600_000, 100.0, 3_600_000),
    ] {
        assert_eq!(panic_window(sw, pct), want, "{sw} × {pct}%");
    }
}

/// `weighted-exponential`: the stable window (60 buckets) decays with m = 0.2 and is not
/// normalised, so two seconds of 350 read as 350·0.2 + 350·0.2·0.8 = 126.
#[test]
fn weighted_aggregation_first_decision() {
    let mut p = default_params();
    p.aggregation = Param::default(Aggregation::WeightedExponential, &TEST);
    let a = autoscaler(p, 0, u32::MAX);
    let mut c = KnativeController::new(&a, &knative_params(&a));
    let mut cl = Cluster::with_ready(1, 10_000);
    let out = run(&mut c, &mut cl, |_| 350.0, 2_000);
    // Scrapes at 1 s and 2 s record 350 each; at 2 s: 350·0.2 + 350·0.2·0.8 = 126.
    let first = out.first().map(|x| (x.0, x.1.observed));
    let (t, observed) = first.expect("a decision at 2 s");
    assert_eq!(t, 2_000);
    assert!((observed - 126.0).abs() < 1e-9, "{observed}");
}

/// Garbage in (NaN, infinite, zero rates and windows) never panics and keeps counts sane.
#[test]
fn hostile_inputs_do_not_panic() {
    let mut p = default_params();
    p.target_value = 0.0;
    p.max_scale_up_rate = Param::default(f64::NAN, &TEST);
    p.max_scale_down_rate = Param::default(0.0, &TEST);
    p.stable_window = Param::default(0, &TEST);
    p.tick_interval = Param::default(0, &TEST);
    let a = autoscaler(p, 0, u32::MAX);
    let mut c = KnativeController::new(&a, &knative_params(&a));
    let mut cl = Cluster::with_ready(1, 1_000);
    let out = run(
        &mut c,
        &mut cl,
        |t| match t % 3 {
            0 => f64::NAN,
            1 => f64::INFINITY,
            _ => 1e300,
        },
        20_000,
    );
    assert!(!out.is_empty());
    assert!(out.iter().all(|x| !x.1.observed.is_infinite()));
}

fn knative_params(a: &Autoscaler) -> KnativeParams {
    match &a.algorithm {
        Algorithm::KnativeKpa(p) => p.clone(),
        _ => default_params(),
    }
}
