//! How long the pipeline blocks the UI thread on large inputs, in headless Chromium: the
//! measurement behind `state::INPUT_CAP` (printed, not asserted: timings on a shared machine
//! are not a pass/fail signal). Run it with the optimisations the playground ships with
//! (`wasm-release`), unwinding so the test harness and the app's library build alike (with
//! `panic = "abort"`, the library is built twice under one file name, `cdylib` outputs have no
//! hash, and the link can pick the wrong one):
//! `CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=900 cargo test --config 'profile.wasm-release.panic="unwind"' --target wasm32-unknown-unknown --profile wasm-release -p scalelens-web --test input_cost -- --include-ignored --nocapture`
//!
//! Measured (load average about 7 on 2 cores, so about twice an idle machine): YAML of HPA
//! documents 620 ms at 1 MB, 1.3 s at 2.5 MB, 2.5 s at 5 MB; YAML of quoted values 300 ms at
//! 1 MB, 1.4 s at 5 MB (one é changes nothing since core's line index); per-pod CSV samples
//! 205 ms at 1 MB, 340 ms at 5 MB, 785 ms at 10 MB, 2.1 s at 20 MB; Prometheus JSON 285 ms at
//! 7.4 MB, 550 ms at 15 MB. Refusing a 10 MB link: 1.4 ms.
//!
//! Each input kind is run at 0.25, 1, 2.5, 5, 10 and 20 MB (a kind stops growing once one run
//! takes over 2 s); the texts are generated here. Also the cost of refusing hostile links in the browser.

#![cfg(target_arch = "wasm32")]

use scalelens_core::pipeline::{self, DemandInput, PipelineInput, PipelineOptions};
use scalelens_web::state::State;
use wasm_bindgen_test::*;

mod common;
use common::{hpa, now};

wasm_bindgen_test_configure!(run_in_browser);

/// Many autoscaler documents (`---`-separated HPAs with distinct names).
fn yaml_documents(bytes: usize) -> String {
    let mut y = String::new();
    let mut i = 0u64;
    while y.len() < bytes {
        y.push_str("---\n");
        y.push_str(&hpa(&format!("web-{i}")));
        i += 1;
    }
    y
}

/// One HPA, then a ConfigMap of quoted values (the quoted-scalar path), with a non-ASCII
/// character first when `accent`.
fn yaml_quoted(bytes: usize, accent: bool) -> String {
    let mut y = hpa("web");
    y.push_str("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n");
    if accent {
        y.push_str("  note: \"é\"\n");
    }
    let mut i = 0u64;
    while y.len() < bytes {
        y.push_str(&format!("  key{i}: \"value number {i}\"\n"));
        i += 1;
    }
    y
}

/// Per-pod CSV samples (time, pod, value in requests).
fn samples_csv(bytes: usize) -> String {
    let mut csv = String::from("time,pod,value\n");
    let mut t = 0u64;
    while csv.len() < bytes {
        for pod in 0..4u64 {
            let v = 2.0 + 12.0 * (((t * 7 + pod * 13) % 97) as f64 / 97.0);
            csv.push_str(&format!("{t},pod-{pod},{v:.3}\n"));
        }
        t += 1;
    }
    csv
}

/// A Prometheus API `query_range` matrix of four pods at 1 s.
fn samples_prom_json(bytes: usize) -> String {
    let per_pod = bytes / 4 / 22 + 1;
    let series: Vec<String> = (0..4u64)
        .map(|pod| {
            let values: Vec<String> = (0..per_pod as u64)
                .map(|t| format!("[{t},\"{:.3}\"]", 2.0 + ((t * 7 + pod) % 97) as f64 / 8.0))
                .collect();
            format!(
                "{{\"metric\":{{\"__name__\":\"requests_in_flight\",\"pod\":\"pod-{pod}\"}},\"values\":[{}]}}",
                values.join(",")
            )
        })
        .collect();
    format!(
        "{{\"status\":\"success\",\"data\":{{\"resultType\":\"matrix\",\"result\":[{}]}}}}",
        series.join(",")
    )
}

fn run(yaml: &str, samples: &str) -> (f64, usize) {
    let input = PipelineInput {
        yaml,
        demand: DemandInput::Samples(samples),
        options: PipelineOptions::default(),
    };
    let a = now();
    let out = pipeline::run(&input);
    let ms = now() - a;
    (ms, out.sim.as_ref().map_or(0, |s| s.timeline.len()))
}

#[wasm_bindgen_test]
#[ignore = "a measurement: run it with --include-ignored on a wasm-release build"]
fn pipeline_cost_of_large_inputs() {
    let small_yaml = hpa("web");
    let small_samples = "time,value\n0,10\n60,40\n120,5\n";
    type Gen = fn(usize) -> String;
    let kinds: [(&str, Gen, bool); 5] = [
        ("YAML: HPA documents", yaml_documents, true),
        (
            "YAML: quoted values, ASCII",
            |b| yaml_quoted(b, false),
            true,
        ),
        ("YAML: quoted values, one é", |b| yaml_quoted(b, true), true),
        ("samples: per-pod CSV at 1 s", samples_csv, false),
        ("samples: Prometheus JSON", samples_prom_json, false),
    ];
    for (label, make, is_yaml) in kinds {
        for kb in [250usize, 1000, 2500, 5000, 10_000, 20_000] {
            let text = make(kb * 1000);
            let (ms, steps) = if is_yaml {
                run(&text, small_samples)
            } else {
                run(&small_yaml, &text)
            };
            console_log!(
                "{label:<30} {:>5.2} MB: {ms:>8.0} ms ({steps} decisions)",
                text.len() as f64 / 1e6
            );
            if ms > 2000.0 {
                break;
            }
        }
    }
}

#[wasm_bindgen_test]
#[ignore = "a measurement: run it with --include-ignored on a wasm-release build"]
fn refusing_hostile_links() {
    let ten_mb = format!("#v1:{}", "A".repeat(10_000_000));
    let garbage = format!("#v1:{}", "<>".repeat(100_000));
    for (label, link) in [("10 MB payload", &ten_mb), ("200 KB garbage", &garbage)] {
        let a = now();
        let r = State::from_fragment(link);
        console_log!(
            "{label}: refused in {:.1} ms: {}",
            now() - a,
            r.err().map(|e| e.to_string()).unwrap_or_default()
        );
    }
}
