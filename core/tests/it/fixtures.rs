//! Fixture readers shared by core's tests (`core/tests/it/`) and the cross-crate tests and
//! benchmarks (`tests/src/lib.rs` includes this file with `#[path]`, so there is one copy). It
//! uses `scalelens_core` and `std` only: `scalelens-tests` depends on core, so core's tests
//! cannot depend on it.

use std::path::{Path, PathBuf};

use scalelens_core::config;
use scalelens_core::model::Autoscaler;

/// The workspace root: the parent of the including crate (`core/` or `tests/`).
fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// One bench/property fixture per replayed algorithm (the property tests add the seed example).
pub const ALGORITHM_FIXTURES: [&str; 7] = [
    "knative-kpa",
    "aibrix-kpa",
    "aibrix-apa",
    "aibrix-kpa-v04",
    "aibrix-apa-v04",
    "hpa",
    "keda",
];

/// The YAML of a bench/property fixture: the product examples (`examples/`) for the families
/// they show, `tests/testdata/bench/` for the others.
fn fixture_path(name: &str) -> String {
    match name {
        "hpa" => "examples/hpa-behavior/autoscaler.yaml".to_string(),
        "keda" => "examples/keda-activation/autoscaler.yaml".to_string(),
        "knative-kpa" => "examples/knative-panic/autoscaler.yaml".to_string(),
        "aibrix-apa" => "examples/aibrix-apa/autoscaler.yaml".to_string(),
        other => format!("bench/{other}.yaml"),
    }
}

/// Parse a bench/property fixture by name: `aibrix-kpa-v04` is the `aibrix-kpa` fixture read
/// as AIBrix v0.4.
pub fn fixture_autoscaler(name: &str) -> Autoscaler {
    match name.strip_suffix("-v04") {
        Some(base) => one_autoscaler_with(
            &read_testdata(&fixture_path(base)),
            &config::ParseOptions {
                aibrix_version: scalelens_core::model::AibrixVersion::V0_4,
                ..Default::default()
            },
        ),
        None => one_autoscaler(&read_testdata(&fixture_path(name))),
    }
}

/// Path of a file under `tests/testdata/` (the fixtures both suites read), or of a product
/// example when `rel` starts with `examples/` (the repository's top-level `examples/`, which
/// the playground and `cargo xtask replay` read too).
pub fn testdata(rel: &str) -> PathBuf {
    let root = workspace_root();
    if rel.starts_with("examples/") {
        root.join(rel)
    } else {
        root.join("tests").join("testdata").join(rel)
    }
}

/// Every file under `dir` (recursively) whose extension is `extension`, sorted.
pub fn files_under(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == extension) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Read a file under `tests/testdata/` (or `examples/`, see [`testdata`]).
pub fn read_testdata(rel: &str) -> String {
    let p = testdata(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

/// Parse a YAML input that must hold exactly one usable autoscaler (panics with the
/// diagnostics otherwise: for tests).
pub fn one_autoscaler(yaml: &str) -> Autoscaler {
    one_autoscaler_with(yaml, &config::ParseOptions::default())
}

/// [`one_autoscaler`] with parse options (e.g. the AIBrix version).
pub fn one_autoscaler_with(yaml: &str, options: &config::ParseOptions) -> Autoscaler {
    let parsed = config::parse_with(yaml, options);
    let errors: Vec<_> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.severity == scalelens_core::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "unexpected errors: {errors:#?}");
    match parsed.autoscalers.first() {
        Some(a) => a.clone(),
        None => panic!("no autoscaler in input: {:#?}", parsed.diagnostics),
    }
}

/// Noise for the generated data: a fixed LCG (the same data on every run), each value in
/// `[-0.5, 0.5)`.
pub struct Noise(u64);

impl Noise {
    pub fn new(seed: u64) -> Noise {
        Noise(seed)
    }

    pub fn sample(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as f64 / (1u64 << 31) as f64) - 0.5
    }
}

/// A deterministic week of demand at 1 s resolution (604 800 rows) as CSV text: a daily cycle
/// between 0 and `peak`, with bursts and quiet nights, and noise (the simulate benchmark's).
pub fn week_demand_csv(peak: f64) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(604_800 * 14);
    out.push_str("time,value\n");
    let mut noise = Noise::new(0x5ca1_e1e5);
    for t in 0..604_800u64 {
        let noise = noise.sample();
        let day = (t % 86_400) as f64 / 86_400.0;
        let base = (0.5 - 0.5 * (2.0 * std::f64::consts::PI * day).cos()).powi(2);
        let burst = if (t / 600) % 17 == 3 { 0.6 } else { 0.0 };
        let v = ((base + burst) * peak * (1.0 + 0.2 * noise)).max(0.0);
        let _ = writeln!(out, "{t},{v:.2}");
    }
    out
}

/// Start of [`prometheus_range_json`]'s data: 2025-11-28T08:00:00Z (Unix seconds).
pub const RANGE_T0: i64 = 1_764_316_800;

/// A Prometheus `query_range` response as the HTTP API returns it (compact JSON, timestamps as
/// numbers, values as strings in Go's shortest float format) for `vllm:gpu_cache_usage_perc`
/// of `pods` vLLM pods over `days` days at a 15 s step: per-pod label sets (`pod`, `instance`,
/// `namespace`, `job`, `model_name`, ...), a daily load cycle with noise (fixed LCG seed), and a
/// few gaps (pod 3 misses 10 minutes a day; pod 7 is restarted for 5 minutes on day 2, with a
/// new pod name afterwards, as a rollout does).
pub fn prometheus_range_json(days: i64, pods: usize) -> String {
    use std::fmt::Write as _;
    let steps = days * 86_400 / 15;
    let mut o = String::with_capacity((steps as usize) * pods * 30 + 4096);
    o.push_str(r#"{"status":"success","data":{"resultType":"matrix","result":["#);
    let mut noise = Noise::new(0x5ca1_e1e5);
    let mut first_series = true;
    // Pod 7 is replaced: two series (the old pod until its restart, the new one after).
    let mut series: Vec<(String, i64, i64)> = (0..pods)
        .map(|p| (format!("llm-7b-5d9c8f6b7-{p:02}x"), 0, steps))
        .collect();
    if pods > 7 {
        let restart = 86_400 / 15 + 1234;
        series[7].2 = restart;
        series.push(("llm-7b-5d9c8f6b7-07y".to_string(), restart + 20, steps));
    }
    for (idx, (pod, from, to)) in series.iter().enumerate() {
        if !first_series {
            o.push(',');
        }
        first_series = false;
        let ip = 10 + idx;
        let _ = write!(
            o,
            r#"{{"metric":{{"__name__":"vllm:gpu_cache_usage_perc","container":"vllm-openai","endpoint":"metrics","instance":"10.0.3.{ip}:8000","job":"vllm","model_name":"deepseek-llm-7b-chat","namespace":"default","pod":"{pod}","service":"deepseek-llm-7b-chat"}},"values":["#
        );
        let mut first = true;
        for k in *from..*to {
            // Pod 3 misses 10 minutes (40 scrapes) every day.
            if idx == 3 && (k % (86_400 / 15)) >= 2_000 && (k % (86_400 / 15)) < 2_040 {
                continue;
            }
            let noise = noise.sample();
            let day = ((k * 15) % 86_400) as f64 / 86_400.0;
            let base = 0.5 - 0.4 * (2.0 * std::f64::consts::PI * day).cos();
            let v = (base * (1.0 + 0.3 * noise)).clamp(0.0, 1.0);
            if !first {
                o.push(',');
            }
            first = false;
            let _ = write!(o, r#"[{},"{}"]"#, RANGE_T0 + 15 * k, v);
        }
        o.push_str("]}");
    }
    o.push_str("]}}");
    o
}
