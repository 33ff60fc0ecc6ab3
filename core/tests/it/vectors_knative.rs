//! Knative KPA reference vectors, transcribed from the upstream unit tests
//! (knative/serving `pkg/autoscaler/scaling/autoscaler_test.go`,
//! `pkg/autoscaler/aggregation/bucketing_test.go`). Each JSON case names its upstream test.

use crate::common::{check_vectors, load_vectors};
use scalelens_core::algorithm::knative::decider::{Decider, DeciderSpec};
use scalelens_core::algorithm::knative::delay::MaxTimeWindow;
use scalelens_core::algorithm::knative::scaler::{Activity, PaState, ScalerSpec};
use scalelens_core::algorithm::knative::window::{
    round_to_n_digits, smoothing_coefficient, MetricWindow,
};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct DeciderFile {
    cases: Vec<DeciderCase>,
}

/// Overrides of the upstream fixture `newTestAutoscalerWithScalingMetric`.
#[derive(Debug, Deserialize, Default, Clone)]
struct SpecJson {
    target: Option<f64>,
    total: Option<f64>,
    tbc: Option<f64>,
    panic_threshold: Option<f64>,
    max_scale_up_rate: Option<f64>,
    max_scale_down_rate: Option<f64>,
    stable_window: Option<u64>,
    scale_down_delay: Option<u64>,
    activation_scale: Option<i32>,
    reachable: Option<bool>,
}

impl SpecJson {
    fn apply(&self, base: DeciderSpec) -> DeciderSpec {
        let target = self.target.unwrap_or(base.target_value);
        DeciderSpec {
            target_value: target,
            total_value: self.total.unwrap_or(if self.target.is_some() {
                target / 0.75
            } else {
                base.total_value
            }),
            target_burst_capacity: self.tbc.unwrap_or(base.target_burst_capacity),
            panic_threshold: self.panic_threshold.unwrap_or(base.panic_threshold),
            max_scale_up_rate: self.max_scale_up_rate.unwrap_or(base.max_scale_up_rate),
            max_scale_down_rate: self.max_scale_down_rate.unwrap_or(base.max_scale_down_rate),
            stable_window: self.stable_window.unwrap_or(base.stable_window),
            scale_down_delay: self.scale_down_delay.unwrap_or(base.scale_down_delay),
            activation_scale: self.activation_scale.unwrap_or(base.activation_scale),
            reachable: self.reachable.unwrap_or(base.reachable),
            tick_interval: base.tick_interval,
        }
    }
}

fn fixture() -> DeciderSpec {
    DeciderSpec {
        target_value: 1.0,
        total_value: 1.0 / 0.75,
        target_burst_capacity: 0.0,
        panic_threshold: 2.0,
        max_scale_up_rate: 10.0,
        max_scale_down_rate: 10.0,
        stable_window: 60_000,
        scale_down_delay: 0,
        activation_scale: 0,
        reachable: true,
        tick_interval: 2_000,
    }
}

#[derive(Debug, Deserialize)]
struct Prior {
    panic_time: Option<u64>,
    max_panic_pods: i32,
}

#[derive(Debug, Deserialize)]
struct AtCreation {
    panicking: bool,
    max_panic_pods: i32,
}

#[derive(Debug, Deserialize)]
struct Step {
    t: u64,
    ready: u32,
    stable: f64,
    panic: f64,
    desired: i32,
    ebc: Option<i32>,
    panicking: Option<bool>,
    panic_time: Option<u64>,
    /// Spec overrides applied (`Update`) before this step.
    update: Option<SpecJson>,
}

#[derive(Debug, Deserialize)]
struct DeciderCase {
    id: String,
    source: String,
    spec: SpecJson,
    ready_at_creation: u32,
    prior: Option<Prior>,
    expect_at_creation: Option<AtCreation>,
    steps: Vec<Step>,
}

fn run_decider_case(c: &DeciderCase) -> Result<(), String> {
    let ctx = |msg: String| format!("{} ({}): {msg}", c.id, c.source);
    let spec = c.spec.apply(fixture());
    let created_at = c.steps.first().map_or(0, |s| s.t);
    let mut d = Decider::new(spec.clone(), c.ready_at_creation, created_at);
    if let Some(e) = &c.expect_at_creation {
        if d.is_panicking() != e.panicking || d.max_panic_pods() != e.max_panic_pods {
            return Err(ctx(format!(
                "at creation: panicking {} maxPanicPods {}, want {} {}",
                d.is_panicking(),
                d.max_panic_pods(),
                e.panicking,
                e.max_panic_pods
            )));
        }
    }
    if let Some(p) = &c.prior {
        d.set_panic_state(p.panic_time, p.max_panic_pods);
    }
    for (i, s) in c.steps.iter().enumerate() {
        if let Some(u) = &s.update {
            let next = u.apply(d.spec().clone());
            d.update(next);
        }
        let r = d.scale(s.t, s.ready, s.stable, s.panic);
        let step = |m: String| ctx(format!("step {i} (t {}): {m}", s.t));
        if !r.valid || r.desired != s.desired {
            return Err(step(format!(
                "desired {} (valid {}), want {}",
                r.desired, r.valid, s.desired
            )));
        }
        if let Some(e) = s.ebc {
            if (i64::from(r.excess_burst_capacity) - i64::from(e)).abs() > 1 {
                return Err(step(format!(
                    "ebc {}, want {e} ±1",
                    r.excess_burst_capacity
                )));
            }
        }
        if let Some(p) = s.panicking {
            if r.panicking != p {
                return Err(step(format!("panicking {}, want {p}", r.panicking)));
            }
        }
        if let Some(pt) = s.panic_time {
            if d.panic_time() != Some(pt) {
                return Err(step(format!("panic time {:?}, want {pt}", d.panic_time())));
            }
        }
    }
    Ok(())
}

#[derive(Debug, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
enum WindowOp {
    Record { t: u64, value: f64 },
    Average { t: u64, want: f64, tol: Option<f64> },
}

#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum WindowCase {
    Linear {
        id: String,
        source: String,
        window: u64,
        ops: Vec<WindowOp>,
    },
    Weighted {
        id: String,
        source: String,
        window: u64,
        ops: Vec<WindowOp>,
    },
    Smoothing {
        id: String,
        source: String,
        cases: Vec<(usize, f64)>,
        tol: f64,
    },
    Round {
        id: String,
        source: String,
        cases: Vec<(i32, f64, f64)>,
    },
    /// The scale-down-delay max window: `expect[i]` is `Current()` after record `i` (`null`:
    /// not checked).
    Max {
        id: String,
        source: String,
        duration: u64,
        granularity: u64,
        records: Vec<(u64, i32)>,
        expect: Vec<Option<i32>>,
    },
}

#[derive(Debug, Deserialize)]
struct WindowFile {
    cases: Vec<WindowCase>,
}

fn run_window_ops(
    id: &str,
    source: &str,
    mut w: MetricWindow,
    ops: &[WindowOp],
) -> Result<(), String> {
    for (i, op) in ops.iter().enumerate() {
        match *op {
            WindowOp::Record { t, value } => w.record(t, value),
            WindowOp::Average { t, want, tol } => {
                let got = w.average(t);
                let ok = match tol {
                    Some(tol) => (got - want).abs() <= tol,
                    None => got == want,
                };
                if !ok {
                    return Err(format!(
                        "{id} ({source}): op {i}: average({t}) = {got}, want {want}"
                    ));
                }
            }
        }
    }
    Ok(())
}

fn run_window_case(c: &WindowCase) -> Result<(), String> {
    match c {
        WindowCase::Linear {
            id,
            source,
            window,
            ops,
        } => run_window_ops(id, source, MetricWindow::linear(*window, 1_000), ops),
        WindowCase::Weighted {
            id,
            source,
            window,
            ops,
        } => run_window_ops(id, source, MetricWindow::weighted(*window, 1_000), ops),
        WindowCase::Smoothing {
            id,
            source,
            cases,
            tol,
        } => {
            for &(nb, want) in cases {
                let got = smoothing_coefficient(nb);
                if (got - want).abs() > *tol {
                    return Err(format!("{id} ({source}): nb {nb}: {got}, want {want}"));
                }
            }
            Ok(())
        }
        WindowCase::Max {
            id,
            source,
            duration,
            granularity,
            records,
            expect,
        } => {
            let mut w = MaxTimeWindow::new(*duration, *granularity);
            for (i, &(t, v)) in records.iter().enumerate() {
                w.record(t, v);
                if let Some(Some(want)) = expect.get(i) {
                    if w.current() != *want {
                        return Err(format!(
                            "{id} ({source}): after record {i}: current {}, want {want}",
                            w.current()
                        ));
                    }
                }
            }
            Ok(())
        }
        WindowCase::Round { id, source, cases } => {
            for &(n, x, want) in cases {
                let got = round_to_n_digits(n, x);
                if got != want {
                    return Err(format!(
                        "{id} ({source}): round({n}, {x}) = {got}, want {want}"
                    ));
                }
            }
            Ok(())
        }
    }
}

#[test]
fn knative_decider_vectors() {
    let file: DeciderFile = load_vectors("knative.json");
    check_vectors(&file.cases, 30, run_decider_case);
}

#[test]
fn knative_window_vectors() {
    let file: WindowFile = load_vectors("knative-window.json");
    check_vectors(&file.cases, 26, run_window_case);
}

#[derive(Debug, Deserialize)]
struct ScalerFile {
    cases: Vec<ScalerCase>,
}

#[derive(Debug, Deserialize)]
struct PaJson {
    state: String,
    #[serde(rename = "for")]
    held_for: u64,
}

fn default_proxy_for() -> Option<u64> {
    Some(0)
}

#[derive(Debug, Deserialize)]
struct ScalerCase {
    id: String,
    source: String,
    start_replicas: u32,
    scale_to: i32,
    want: i32,
    want_scaling: bool,
    pa: Option<PaJson>,
    #[serde(default)]
    min_scale: i32,
    #[serde(default)]
    max_scale: i32,
    initial_scale: Option<i32>,
    stable_window: Option<u64>,
    retention: Option<u64>,
    activation_timeout: Option<u64>,
    tbc: Option<f64>,
    #[serde(default)]
    initialized: bool,
    /// How long the SKS has been in proxy mode; `null`: the activator probe fails.
    #[serde(default = "default_proxy_for")]
    proxy_for: Option<u64>,
}

fn run_scaler_case(c: &ScalerCase) -> Result<(), String> {
    const NOW: u64 = 10_000_000;
    let spec = ScalerSpec {
        min_scale: c.min_scale,
        max_scale: c.max_scale,
        initial_scale: c.initial_scale.unwrap_or(1),
        enable_scale_to_zero: true,
        stable_window: c.stable_window.unwrap_or(300_000),
        scale_to_zero_grace_period: 60_000,
        pod_retention: c.retention.unwrap_or(0),
        activation_timeout: c.activation_timeout.unwrap_or(151_000),
        target_burst_capacity: c.tbc.unwrap_or(200.0),
    };
    let (state, held) =
        c.pa.as_ref()
            .map_or(("activating", 0), |p| (p.state.as_str(), p.held_for));
    let since = NOW - held;
    let activity = match state {
        "active" => Activity::Active { since },
        "inactive" => Activity::Inactive { since },
        "activating" => Activity::Activating { since },
        other => return Err(format!("{}: unknown PA state {other}", c.id)),
    };
    let mut pa = PaState {
        activity,
        initialized: c.initialized,
        proxy_since: c.proxy_for.map(|p| NOW - p),
    };
    let r = pa.reconcile(&spec, NOW, c.scale_to, 0, c.start_replicas);
    let scaling = r.apply.is_some_and(|a| a != c.start_replicas);
    if r.want != c.want || scaling != c.want_scaling {
        return Err(format!(
            "{} ({}): want {} scaling {} (apply {:?}), expected {} scaling {}",
            c.id, c.source, r.want, scaling, r.apply, c.want, c.want_scaling
        ));
    }
    Ok(())
}

#[test]
fn knative_scaler_vectors() {
    let file: ScalerFile = load_vectors("knative-scaler.json");
    check_vectors(&file.cases, 30, run_scaler_case);
}
