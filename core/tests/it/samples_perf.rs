//! The data of the benchmarks (`core/benches/samples_import.rs`, `simulate.rs`) means what they
//! say: speed goals live in the benchmarks, these check the bytes they measure.

use crate::fixtures::{prometheus_range_json, week_demand_csv, RANGE_T0};
use scalelens_core::samples::{parse_prometheus_json, to_demand, Hints, Interpretation};

#[test]
fn benchmark_range_json_imports_right() {
    let text = prometheus_range_json(2, 10);
    let s = parse_prometheus_json(&text, &Hints::default()).expect("imports");
    // 10 pods, pod 7 replaced by a new pod name after its restart.
    assert_eq!(s.series.len(), 11);
    assert_eq!(s.metric.as_deref(), Some("vllm:gpu_cache_usage_perc"));
    let per_day = 86_400 / 15;
    let full = s
        .series
        .iter()
        .find(|x| x.pod.as_deref() == Some("llm-7b-5d9c8f6b7-00x"));
    let full = full.expect("pod 00");
    assert_eq!(full.points.len(), 2 * per_day);
    assert_eq!(full.points[1].0, (RANGE_T0 + 15) * 1000);
    assert!(full.points.iter().all(|p| (0.0..=1.0).contains(&p.1)));
    // Pod 3 misses 40 scrapes a day.
    let gappy = s
        .series
        .iter()
        .find(|x| x.pod.as_deref() == Some("llm-7b-5d9c8f6b7-03x"));
    assert_eq!(gappy.expect("pod 03").points.len(), 2 * per_day - 80);
    let (demand, notes) = to_demand(&s, Interpretation::Auto);
    assert_eq!(demand.points.len(), 2 * per_day);
    assert!(
        notes.iter().any(|n| n.code == "samples-demand-pod-absent"),
        "{notes:#?}"
    );
}

/// The simulate benchmark's week (`core/benches/simulate.rs`): one row a second, none negative,
/// the daily cycle reaching the peak.
#[test]
fn benchmark_week_demand_parses() {
    let demand = scalelens_core::demand::parse_csv(&week_demand_csv(400.0)).expect("parses");
    assert_eq!(demand.points.len(), 604_800);
    assert!(demand.points.iter().all(|p| p.1 >= 0.0));
    let peak = demand.points.iter().map(|p| p.1).fold(0.0, f64::max);
    assert!(peak > 400.0, "peak {peak}");
}
