//! Simulate one week at 1 s resolution (604 800 demand rows) with each algorithm, and report
//! the time of the simulation relative to only parsing the same CSV (goal: <= 3x).
//!
//! Criterion measures each on its own; then an interleaved side-by-side run (parse, then each
//! algorithm, repeated) prints the ratios, so machine noise hits both sides alike.

// A benchmark is test code: a panic is a failed run (the crate's lints hold the library).
#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use scalelens_core::demand::parse_csv;
use scalelens_core::sim::{simulate, SimOptions};
// The fixture readers and generators core's tests use (one copy; this benchmark needs a few).
#[path = "../tests/it/fixtures.rs"]
#[allow(dead_code)]
mod fixtures;

use fixtures::{fixture_autoscaler, week_demand_csv, ALGORITHM_FIXTURES};

fn options() -> SimOptions {
    SimOptions {
        initial_replicas: Some(1),
        pod_startup: Some(30_000),
        duration: Some(604_800_000),
        max_evaluations: None,
        outage: None,
    }
}

fn bench(c: &mut Criterion) {
    let csv = week_demand_csv(400.0);
    let demand = parse_csv(&csv).expect("generated CSV parses");
    let autoscalers: Vec<_> = ALGORITHM_FIXTURES
        .iter()
        .map(|n| (n, fixture_autoscaler(n)))
        .collect();

    let mut g = c.benchmark_group("week-at-1s");
    g.sample_size(10);
    g.bench_function("parse-csv", |b| b.iter(|| parse_csv(&csv)));
    for (name, a) in &autoscalers {
        g.bench_function(format!("simulate/{name}"), |b| {
            b.iter(|| simulate(a, &demand, &options()))
        });
    }
    g.finish();

    // Side by side, interleaved: median of 7 rounds each.
    let rounds = 7;
    let mut parse_t = Vec::new();
    let mut sim_t: Vec<Vec<Duration>> = vec![Vec::new(); autoscalers.len()];
    for _ in 0..rounds {
        let s = Instant::now();
        std::hint::black_box(parse_csv(std::hint::black_box(&csv)).ok());
        parse_t.push(s.elapsed());
        for (i, (_, a)) in autoscalers.iter().enumerate() {
            let s = Instant::now();
            std::hint::black_box(simulate(a, &demand, &options()));
            sim_t[i].push(s.elapsed());
        }
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let p = median(&mut parse_t);
    println!("\nweek at 1 s (604 800 rows), side by side, median of {rounds}:");
    println!(
        "  parse CSV only           {:>9.2} ms",
        p.as_secs_f64() * 1e3
    );
    for (i, (name, _)) in autoscalers.iter().enumerate() {
        let s = median(&mut sim_t[i]);
        let ratio = s.as_secs_f64() / p.as_secs_f64();
        println!(
            "  simulate {name:<15} {:>9.2} ms   ratio to parse {ratio:>5.2}x  (goal <= 3x: {})",
            s.as_secs_f64() * 1e3,
            if ratio <= 3.0 { "met" } else { "NOT met" }
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
