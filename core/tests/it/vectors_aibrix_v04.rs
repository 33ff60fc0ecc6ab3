//! AIBrix v0.4.0 ("Gen A") PodAutoscaler: reference vectors
//! (`core/tests/testdata/vectors/aibrix-v04.json`, each case citing its vllm-project/aibrix v0.4.0
//! test) and closed-loop checks of the replayed controller.

use std::collections::BTreeMap;

use scalelens_core::algorithm::aibrix_v04::{apa, ApaSpec, KpaScaler, KpaSpec, RingWindow};
use scalelens_core::algorithm::{controller_for, ClusterView, MetricReading, Mode, Reason};
use scalelens_core::config::{self, ParseOptions};
use scalelens_core::model::{AibrixParams, AibrixVersion, Algorithm, Millis, SECOND};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Vectors {
    kpa_scale: Vec<KpaScaleCase>,
    kpa_series: Vec<KpaSeriesCase>,
    apa_series: Vec<ApaSeriesCase>,
    kpa_context: Vec<KpaContextCase>,
}

#[derive(Debug, Deserialize)]
struct KpaCommon {
    ready: u32,
    target: f64,
    max_scale_up_rate: f64,
    max_scale_down_rate: f64,
    activation_scale: u32,
    panic_threshold: f64,
    stable_window_s: u64,
    panic_window_s: u64,
    scale_down_delay_s: u64,
    now_s: u64,
}

impl KpaCommon {
    fn spec(&self) -> KpaSpec {
        KpaSpec {
            target: self.target,
            max_scale_up_rate: self.max_scale_up_rate,
            max_scale_down_rate: self.max_scale_down_rate,
            panic_threshold: self.panic_threshold,
            stable_window: self.stable_window_s * SECOND,
            activation_scale: self.activation_scale,
        }
    }
}

#[derive(Debug, Deserialize)]
struct KpaScaleCase {
    name: String,
    source: String,
    #[serde(flatten)]
    common: KpaCommon,
    records: Vec<(i64, f64)>,
    expected_stable: f64,
    expected_panic: f64,
    expected: u32,
}

#[derive(Debug, Deserialize)]
struct KpaStepCase {
    t: u64,
    value: f64,
    expected: u32,
    panic: bool,
    delay_max: Option<f64>,
    delay_entries: Option<Vec<(u64, f64)>>,
    panic_time: Option<u64>,
}

#[derive(Debug, Deserialize)]
struct KpaSeriesCase {
    name: String,
    source: String,
    #[serde(flatten)]
    common: KpaCommon,
    steps: Vec<KpaStepCase>,
}

#[derive(Debug, Deserialize)]
struct ApaStepCase {
    t: u64,
    value: f64,
    expected: u32,
}

#[derive(Debug, Deserialize)]
struct ApaSeriesCase {
    name: String,
    source: String,
    ready: u32,
    target: f64,
    max_scale_up_rate: f64,
    max_scale_down_rate: f64,
    up_tolerance: f64,
    down_tolerance: f64,
    window_s: u64,
    now_s: u64,
    steps: Vec<ApaStepCase>,
}

#[derive(Debug, Deserialize)]
struct KpaContextExpected {
    max_scale_up_rate: f64,
    max_scale_down_rate: f64,
    target_burst_capacity: f64,
    activation_scale: u32,
    panic_threshold: f64,
    stable_window_s: u64,
    panic_window_s: u64,
    scale_down_delay_s: u64,
}

#[derive(Debug, Deserialize)]
struct KpaContextCase {
    name: String,
    source: String,
    annotations: BTreeMap<String, String>,
    expected: KpaContextExpected,
}

fn vectors() -> Vectors {
    crate::common::load_vectors("aibrix-v04.json")
}

fn v04() -> ParseOptions {
    ParseOptions {
        aibrix_version: AibrixVersion::V0_4,
        ..Default::default()
    }
}

#[test]
fn kpa_scale_single_calls() {
    let v = vectors();
    assert!(v.kpa_scale.len() >= 4);
    for c in &v.kpa_scale {
        let k = &c.common;
        let now = k.now_s * SECOND;
        let mut stable = RingWindow::new(k.stable_window_s * SECOND);
        let mut panic = RingWindow::new(k.panic_window_s * SECOND);
        for &(dt, value) in &c.records {
            let t = (now as i64 + dt * 1000) as Millis;
            stable.record(t, value);
            panic.record(t, value);
        }
        let (s, p) = (stable.avg().unwrap_or(0.0), panic.avg().unwrap_or(0.0));
        assert!(
            (s - c.expected_stable).abs() < 1e-9,
            "{} ({}): stable {s}",
            c.name,
            c.source
        );
        assert!(
            (p - c.expected_panic).abs() < 1e-9,
            "{} ({}): panic {p}",
            c.name,
            c.source
        );
        let mut scaler = KpaScaler::new(k.ready, now, k.scale_down_delay_s * SECOND);
        let step = scaler.scale(&k.spec(), k.ready, s, p, now);
        assert_eq!(step.desired, c.expected, "{} ({})", c.name, c.source);
    }
}

#[test]
fn kpa_scale_time_series() {
    for c in &vectors().kpa_series {
        let k = &c.common;
        let now = k.now_s * SECOND;
        let mut ready = k.ready;
        let mut scaler = KpaScaler::new(ready, now, k.scale_down_delay_s * SECOND);
        let mut stable = RingWindow::new(k.stable_window_s * SECOND);
        let mut panic = RingWindow::new(k.panic_window_s * SECOND);
        for s in &c.steps {
            let t = now + s.t * SECOND;
            stable.record(t, s.value);
            panic.record(t, s.value);
            let (sv, pv) = (stable.avg().unwrap_or(0.0), panic.avg().unwrap_or(0.0));
            let step = scaler.scale(&k.spec(), ready, sv, pv, t);
            let at = format!("{} ({}) at t+{}", c.name, c.source, s.t);
            assert_eq!(step.desired, s.expected, "{at}");
            assert_eq!(scaler.in_panic(), s.panic, "{at}: panic");
            if let Some(m) = s.delay_max {
                assert_eq!(scaler.delay_max(), Some(m), "{at}: delay max");
            }
            if let Some(e) = &s.delay_entries {
                let got: Vec<(u64, f64)> = scaler
                    .delay_window()
                    .map(|w| w.entries().collect())
                    .unwrap_or_default();
                assert_eq!(&got, e, "{at}: delay window");
            }
            if let Some(pt) = s.panic_time {
                assert_eq!(
                    scaler.panic_time(),
                    Some(now + pt * SECOND),
                    "{at}: panic time"
                );
            }
            ready = step.desired; // the test feeds the result back as the ready count
        }
    }
}

#[test]
fn apa_time_series() {
    for c in &vectors().apa_series {
        let spec = ApaSpec {
            target: c.target,
            up_tolerance: c.up_tolerance,
            down_tolerance: c.down_tolerance,
            max_scale_up_rate: c.max_scale_up_rate,
            max_scale_down_rate: c.max_scale_down_rate,
        };
        let mut w = RingWindow::new(c.window_s * SECOND);
        let mut ready = c.ready;
        for s in &c.steps {
            w.record((c.now_s + s.t) * SECOND, s.value);
            let u = w.avg().unwrap_or(0.0) / f64::from(ready);
            let (d, _) = apa::compute_desired(ready, u, &spec);
            assert_eq!(d, s.expected, "{} ({}) at t+{}", c.name, c.source, s.t);
            ready = d;
        }
    }
}

fn pa_yaml(strategy: &str, annotations: &[(&str, &str)], sources: usize) -> String {
    let mut y = String::from(
        "apiVersion: autoscaling.aibrix.ai/v1alpha1\nkind: PodAutoscaler\nmetadata:\n  name: pa\n",
    );
    if !annotations.is_empty() {
        y.push_str("  annotations:\n");
        for (k, v) in annotations {
            y.push_str(&format!("    {k}: \"{v}\"\n"));
        }
    }
    y.push_str("spec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: d}\n  minReplicas: 1\n  maxReplicas: 10\n  metricsSources:\n");
    for i in 0..sources {
        y.push_str(&format!("    - {{metricSourceType: pod, protocolType: http, port: \"8000\", path: metrics, targetMetric: m{i}, targetValue: \"0.5\"}}\n"));
    }
    y.push_str(&format!("  scalingStrategy: {strategy}\n"));
    y
}

#[test]
fn kpa_update_context_parses_v04_annotations() {
    for c in &vectors().kpa_context {
        let ann: Vec<(&str, &str)> = c
            .annotations
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let parsed = config::parse_with(&pa_yaml("KPA", &ann, 1), &v04());
        assert!(!parsed.has_errors(), "{}: {:?}", c.name, parsed.diagnostics);
        let Some(Algorithm::AibrixKpa(AibrixParams::V04(p))) =
            parsed.autoscalers.first().map(|a| &a.algorithm)
        else {
            panic!("{} ({}): no v0.4.0 KPA", c.name, c.source);
        };
        let e = &c.expected;
        assert_eq!(
            p.max_scale_up_rate.value, e.max_scale_up_rate,
            "{}",
            c.source
        );
        assert_eq!(p.max_scale_down_rate.value, e.max_scale_down_rate);
        assert_eq!(p.target_burst_capacity.value, e.target_burst_capacity);
        assert_eq!(p.activation_scale.value, e.activation_scale);
        assert_eq!(p.panic_threshold.value, e.panic_threshold);
        assert_eq!(p.stable_window.value, e.stable_window_s * SECOND);
        assert_eq!(p.panic_window.value, e.panic_window_s * SECOND);
        assert_eq!(p.scale_down_delay.value, e.scale_down_delay_s * SECOND);
    }
}

/// Gen A defaults (aibrix-detail.md §1.2, §2.7; scaler/kpa.go, scaler/apa.go v0.4.0).
#[test]
fn v04_defaults() {
    let parsed = config::parse_with(&pa_yaml("APA", &[], 1), &v04());
    let Some(Algorithm::AibrixApa(AibrixParams::V04(p))) =
        parsed.autoscalers.first().map(|a| &a.algorithm)
    else {
        panic!("no v0.4.0 APA");
    };
    assert_eq!(
        (
            p.up_fluctuation_tolerance.value,
            p.down_fluctuation_tolerance.value
        ),
        (0.1, 0.2)
    );
    assert_eq!(p.apa_window.value, 60 * SECOND);
    assert_eq!(p.scale_down_delay.value, 30 * 60 * SECOND);
    assert_eq!(
        (p.stable_window.value, p.panic_window.value),
        (60 * SECOND, 10 * SECOND)
    );
    let a = &parsed.autoscalers[0];
    assert!(a.algorithm.upstream().contains("v0.4.0"));
}

/// v0.7-only keys are ignored by v0.4, with the v0.4 key as the fix.
#[test]
fn v04_ignores_v07_only_keys() {
    let parsed = config::parse_with(
        &pa_yaml(
            "KPA",
            &[
                ("autoscaling.aibrix.ai/scale-down-cooldown-window", "0s"),
                ("autoscaling.aibrix.ai/panic-threshold", "3"),
            ],
            1,
        ),
        &v04(),
    );
    let ignored: Vec<_> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.code == "aibrix-ignored-annotation")
        .collect();
    assert_eq!(ignored.len(), 2, "{:?}", parsed.diagnostics);
    assert!(ignored.iter().any(|d| d
        .message
        .contains("kpa.autoscaling.aibrix.ai/scale-down-delay")));
    // The same YAML under v0.7 reads both.
    let parsed = config::parse(&pa_yaml(
        "KPA",
        &[("autoscaling.aibrix.ai/scale-down-cooldown-window", "0s")],
        1,
    ));
    assert!(parsed
        .diagnostics
        .iter()
        .all(|d| d.code != "aibrix-ignored-annotation"));
}

/// More than one metric source: v0.4.0 builds no scaler.
#[test]
fn v04_rejects_more_than_one_metric_source() {
    let parsed = config::parse_with(&pa_yaml("KPA", &[], 2), &v04());
    assert!(parsed.has_errors());
}

fn view(t: Millis, replicas: u32, ready: u32, metrics: &[MetricReading]) -> ClusterView<'_> {
    crate::common::view(t, replicas, ready, metrics)
}

/// Closed loop at the controller level: the per-tick SUM drives the KPA, and the 30-minute
/// default scale-down delay holds the peak (issue #593, aibrix-detail.md §4).
#[test]
fn controller_sums_pods_and_holds_the_peak_for_the_delay() {
    let parsed = config::parse_with(&pa_yaml("KPA", &[], 1), &v04());
    let a = parsed.autoscalers.first().expect("one PA").clone();
    let mut c = controller_for(&a);
    let mut replicas = 1u32;
    let mut t = 0;
    let mut peak = 0;
    // 3.2 cache units of demand for 10 minutes, each pod capped at 1.0, all pods ready at once.
    while t < 600 * SECOND {
        assert_eq!(c.next_wake(), t);
        let per_pod = (3.2 / f64::from(replicas)).min(1.0);
        let m = [MetricReading {
            total: 3.2,
            per_pod,
            reporting: replicas,
        }];
        let d = c
            .wake(&view(t, replicas, replicas, &m))
            .expect("a decision");
        replicas = d.desired;
        peak = peak.max(replicas);
        t += 10 * SECOND;
    }
    assert_eq!(peak, 7, "sum semantics: ceil(3.2 / 0.5) = 7");
    // Demand stops: 30 minutes later the count is still held.
    let mut held_reason = false;
    while t < 600 * SECOND + 29 * 60 * SECOND {
        let m = [crate::common::reading(0.0, 0.0, replicas)];
        let d = c
            .wake(&view(t, replicas, replicas, &m))
            .expect("a decision");
        replicas = d.desired;
        held_reason |= matches!(d.reason, Reason::ScaleDownDelay { held: 7 });
        assert_ne!(d.mode, Mode::Panic, "t={t}");
        t += 10 * SECOND;
    }
    assert_eq!(replicas, 7);
    assert!(held_reason);
}

/// A KPA without scale-down delay, as the two controller tests below start it.
fn kpa_without_delay() -> scalelens_core::Autoscaler {
    let parsed = config::parse_with(
        &pa_yaml(
            "KPA",
            &[("kpa.autoscaling.aibrix.ai/scale-down-delay", "0s")],
            1,
        ),
        &v04(),
    );
    parsed.autoscalers.first().expect("one PA").clone()
}

/// No pod reports: nothing recorded, empty window ⇒ no decision change.
#[test]
fn controller_keeps_count_without_data() {
    let mut c = controller_for(&kpa_without_delay());
    let none = [crate::common::reading(0.0, 0.0, 0)];
    let d = c.wake(&view(0, 4, 0, &none)).expect("decision");
    assert_eq!((d.desired, d.reason), (4, Reason::NoMetrics));
}

/// Created (at its first metric reconcile) with 4 ready pods: starts in panic, and keeps the 4
/// held although the metric asks for 1.
#[test]
fn controller_starts_in_panic_with_ready_above_one() {
    let mut c = controller_for(&kpa_without_delay());
    let m = [crate::common::reading(0.4, 0.1, 4)];
    let d = c.wake(&view(0, 4, 4, &m)).expect("decision");
    assert_eq!(d.mode, Mode::Panic);
    assert_eq!(d.desired, 4);
    assert!(
        matches!(d.reason, Reason::PanicNoScaleDown { held: 4 }),
        "{:?}",
        d.reason
    );
}
