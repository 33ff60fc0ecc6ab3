//! Import speed of a large Prometheus `query_range` response (7 days, 10 pods, 15 s step:
//! 403 200 samples) against `serde_json::from_slice::<Value>` of the same bytes. Ignored by
//! default (timing); run with
//! `cargo test --release -p scalelens-tests --test samples_perf -- --ignored --nocapture`.
//! The non-ignored test checks the import is right on the same data.

use scalelens_core::samples::{parse_prometheus_json, Hints};
use std::fmt::Write as _;
use std::time::Instant;

const T0: i64 = 1_764_316_800;

/// A pretty-printed (as Prometheus' API with `jq`) week of 10 pods at 15 s.
fn week_range_json(days: i64) -> String {
    let steps = days * 86_400 / 15;
    let mut o = String::with_capacity((steps as usize) * 10 * 40);
    o.push_str("{\n \"status\": \"success\",\n \"data\": {\n  \"resultType\": \"matrix\",\n  \"result\": [\n");
    let mut seed: u64 = 42;
    for p in 0..10 {
        if p > 0 {
            o.push_str(",\n");
        }
        let _ = write!(
            o,
            "   {{\n    \"metric\": {{\n     \"__name__\": \"vllm:gpu_cache_usage_perc\",\n     \"namespace\": \"default\",\n     \"pod\": \"llm-{p}\"\n    }},\n    \"values\": [\n"
        );
        for k in 0..steps {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let v = (seed >> 40) as f64 / (1u64 << 24) as f64;
            if k > 0 {
                o.push_str(",\n");
            }
            let _ = write!(
                o,
                "     [\n      {},\n      \"{:.4}\"\n     ]",
                T0 + 15 * k,
                v
            );
        }
        o.push_str("\n    ]\n   }");
    }
    o.push_str("\n  ]\n }\n}\n");
    o
}

#[test]
fn large_range_imports_right() {
    let text = week_range_json(1);
    let s = parse_prometheus_json(&text, &Hints::default()).unwrap();
    assert_eq!(s.series.len(), 10);
    assert!(s.series.iter().all(|x| x.points.len() == 5760));
    assert_eq!(s.series[3].points[1].0, (T0 + 15) * 1000);
    assert!(s.notes.is_empty(), "{:#?}", s.notes);
}

#[test]
#[ignore]
fn large_range_speed() {
    let text = week_range_json(7);
    let n = 5;
    let t = Instant::now();
    for _ in 0..n {
        let s = parse_prometheus_json(&text, &Hints::default()).unwrap();
        assert_eq!(s.series.len(), 10);
    }
    let ours = t.elapsed() / n;
    let t = Instant::now();
    for _ in 0..n {
        let v: serde_json::Value = serde_json::from_slice(text.as_bytes()).unwrap();
        assert!(v.is_object());
    }
    let serde = t.elapsed() / n;
    println!(
        "{} MB, 403200 samples: samples::parse_prometheus_json {:?}, serde_json::Value {:?}",
        text.len() / 1_000_000,
        ours,
        serde
    );
}
