//! Property tests over every algorithm: whatever the demand, the replica count the controller
//! sets stays within [minReplicas, maxReplicas] (or 0 where scale-to-zero applies), nothing
//! panics, and the same input gives the same timeline.

use crate::fixtures::{fixture_autoscaler, one_autoscaler, read_testdata, ALGORITHM_FIXTURES};
use proptest::prelude::*;
use scalelens_core::demand::DemandSeries;
use scalelens_core::model::{Algorithm, Autoscaler};
use scalelens_core::sim::{simulate, SimOptions};

/// The fixtures: every algorithm's, then the seed example.
const FIXTURES: usize = ALGORITHM_FIXTURES.len() + 1;

/// The name of fixture `i` (`i` < [`FIXTURES`]).
fn name(i: usize) -> &'static str {
    ALGORITHM_FIXTURES.get(i).copied().unwrap_or("seed")
}

fn autoscalers() -> Vec<Autoscaler> {
    (0..FIXTURES)
        .map(|i| match name(i) {
            "seed" => one_autoscaler(&read_testdata(
                "examples/seed-kpa-gpu-cache/autoscaler.yaml",
            )),
            name => fixture_autoscaler(name),
        })
        .collect()
}

/// Lowest count the controller may set: 0 where the family scales to zero.
fn floor(a: &Autoscaler) -> u32 {
    match &a.algorithm {
        Algorithm::Keda(p) => p
            .idle_replica_count
            .map_or(0, |i| i.value)
            .min(a.min_replicas.value),
        Algorithm::KnativeKpa(_) => 0,
        _ => a.min_replicas.value,
    }
}

/// A demand series: (gap in seconds, value) steps, values across many orders of magnitude,
/// zeros included.
fn demand_strategy() -> impl Strategy<Value = DemandSeries> {
    let value = prop_oneof![Just(0.0), 0.0..2.0f64, 0.0..200.0f64, 0.0..1e6f64,];
    prop::collection::vec((1u64..900, value), 1..40).prop_map(|steps| {
        let mut t = 0;
        let mut points = Vec::with_capacity(steps.len());
        for (i, (gap, v)) in steps.into_iter().enumerate() {
            if i > 0 {
                t += gap * 1000;
            }
            points.push((t, v));
        }
        DemandSeries::from_points(points)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn replicas_stay_within_bounds(
        which in 0..FIXTURES,
        demand in demand_strategy(),
        startup_s in 0u64..300,
        initial_frac in 0.0..1.0f64,
    ) {
        let a = &autoscalers()[which];
        let min = a.min_replicas.value.max(1);
        let max = a.max_replicas.value.min(1000);
        let initial = min + ((max - min) as f64 * initial_frac) as u32;
        let opts = SimOptions {
            initial_replicas: Some(initial),
            pod_startup: Some(startup_s * 1000),
            duration: Some(demand.last_time() + 1_800_000),
            max_evaluations: None,
            outage: None,
        };
        let out = simulate(a, &demand, &opts);
        prop_assert!(!out.timeline.is_empty(), "{}: no evaluation", name(which));
        let lo = floor(a);
        for e in &out.timeline {
            prop_assert!(
                e.desired >= lo && e.desired <= a.max_replicas.value,
                "{}: desired {} outside [{lo}, {}] at t={} ({})",
                name(which), e.desired, a.max_replicas.value, e.t, e.reason
            );
            prop_assert!(e.ready <= e.replicas.max(e.ready));
        }
    }

    #[test]
    fn same_input_same_timeline(which in 0..FIXTURES, demand in demand_strategy()) {
        let a = &autoscalers()[which];
        let opts = SimOptions { initial_replicas: None, pod_startup: None, duration: None, max_evaluations: None, outage: None };
        let one = format!("{:?}", simulate(a, &demand, &opts));
        let two = format!("{:?}", simulate(a, &demand, &opts));
        prop_assert_eq!(one, two);
    }

    #[test]
    fn any_initial_replicas_and_startup_never_panic(
        which in 0..FIXTURES,
        demand in demand_strategy(),
        initial in 0u32..2000,
        startup_s in prop_oneof![Just(0u64), 0u64..100_000],
    ) {
        let a = &autoscalers()[which];
        let opts = SimOptions {
            initial_replicas: Some(initial),
            pod_startup: Some(startup_s * 1000),
            duration: Some(demand.last_time() + 600_000),
            max_evaluations: None,
            outage: None,
        };
        let _ = simulate(a, &demand, &opts);
    }
}
