//! Import a 7-day, 10-pod, 15 s-step Prometheus `query_range` response (about 400 000 samples,
//! per-pod label sets, values as strings, a few gaps; see
//! `prometheus_range_json` in `core/tests/it/fixtures.rs`) through `core::samples`, and compare with
//! `serde_json::from_slice::<serde_json::Value>` of the same bytes (the yardstick).
//!
//! Criterion reports each as throughput (bytes/s); then an interleaved side-by-side run
//! (serde_json, then the import, repeated) prints MB/s and the ratio, so machine noise hits both
//! sides alike.

// A benchmark is test code: a panic is a failed run (the crate's lints hold the library).
#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use scalelens_core::samples::{parse_prometheus_json, to_demand, Hints, Interpretation};
// The fixture readers and generators core's tests use (one copy; this benchmark needs a few).
#[path = "../tests/it/fixtures.rs"]
#[allow(dead_code)]
mod fixtures;

use fixtures::prometheus_range_json;

fn import(text: &str) -> usize {
    match parse_prometheus_json(text, &Hints::default()) {
        Ok(s) => s.series.len(),
        Err(_) => 0,
    }
}

fn import_to_demand(text: &str) -> usize {
    match parse_prometheus_json(text, &Hints::default()) {
        Ok(s) => to_demand(&s, Interpretation::Auto).0.points.len(),
        Err(_) => 0,
    }
}

fn serde_value(bytes: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(bytes).is_ok_and(|v| v.is_object())
}

fn bench(c: &mut Criterion) {
    let text = prometheus_range_json(7, 10);
    let bytes = text.as_bytes();
    // The data must import as expected, or the numbers mean nothing.
    let s = parse_prometheus_json(&text, &Hints::default()).expect("generated JSON imports");
    let samples: usize = s.series.iter().map(|x| x.points.len()).sum();
    assert_eq!(s.series.len(), 11, "10 pods, one replaced");
    assert!(serde_value(bytes));

    let mut g = c.benchmark_group("prometheus-range-7d-10pods-15s");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function("serde_json::Value", |b| b.iter(|| serde_value(bytes)));
    g.bench_function("samples::parse_prometheus_json", |b| {
        b.iter(|| import(&text))
    });
    g.bench_function("samples import + to_demand", |b| {
        b.iter(|| import_to_demand(&text))
    });
    g.finish();

    // Side by side, interleaved: median of 7 rounds each.
    let rounds = 7;
    let (mut serde_t, mut ours_t, mut full_t) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        let t = Instant::now();
        std::hint::black_box(serde_value(std::hint::black_box(bytes)));
        serde_t.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(import(std::hint::black_box(&text)));
        ours_t.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(import_to_demand(std::hint::black_box(&text)));
        full_t.push(t.elapsed());
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let mb = bytes.len() as f64 / 1e6;
    let serde = median(&mut serde_t);
    let ours = median(&mut ours_t);
    let full = median(&mut full_t);
    let line = |name: &str, d: Duration| {
        println!(
            "  {name:<34} {:>8.2} ms  {:>7.1} MB/s   ratio to serde_json::Value {:>5.2}x",
            d.as_secs_f64() * 1e3,
            mb / d.as_secs_f64(),
            d.as_secs_f64() / serde.as_secs_f64()
        );
    };
    println!(
        "\nPrometheus query_range, 7 d x 10 pods at 15 s ({:.1} MB, {samples} samples), side by side, median of {rounds}:",
        mb
    );
    line("serde_json::from_slice::<Value>", serde);
    line("samples::parse_prometheus_json", ours);
    line("samples import + to_demand", full);
}

criterion_group!(benches, bench);
criterion_main!(benches);
