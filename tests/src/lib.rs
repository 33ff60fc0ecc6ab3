//! Shared helpers for Scalelens' cross-crate tests and benchmarks.

pub mod browser;
pub mod envoy;
pub mod paths;

use scalelens_core::config;
use scalelens_core::model::Autoscaler;

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

/// Path of a file under `tests/testdata/`, or of a product example when `rel` starts with
/// `examples/` (the repository's top-level `examples/`, which the playground and `cargo xtask
/// replay` read too).
pub fn testdata(rel: &str) -> std::path::PathBuf {
    let tests = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    if rel.starts_with("examples/") {
        tests.join("..").join(rel)
    } else {
        tests.join("testdata").join(rel)
    }
}

/// The YAML a folder case runs: its `autoscaler.yaml`, or the file its `config` file names
/// (a path relative to `tests/`, as in `args`: `../examples/seed-kpa-gpu-cache/autoscaler.yaml`),
/// so a case can replay a product example without a copy of it.
pub fn case_config(kind: &str, case: &str) -> Option<String> {
    let dir = testdata(&format!("{kind}/{case}"));
    if dir.join("autoscaler.yaml").exists() {
        return Some(format!("testdata/{kind}/{case}/autoscaler.yaml"));
    }
    std::fs::read_to_string(dir.join("config"))
        .ok()
        .map(|t| t.trim().to_string())
}

/// Read a file under `tests/testdata/`.
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

/// A deterministic week of demand at 1 s resolution (604 800 rows) as CSV text: a daily cycle
/// between 0 and `peak`, with bursts and quiet nights, and pseudo-random noise (fixed LCG seed).
pub fn week_demand_csv(peak: f64) -> String {
    let mut out = String::with_capacity(604_800 * 14);
    out.push_str("time,value\n");
    let mut seed: u64 = 0x5ca1_e1e5;
    for t in 0..604_800u64 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let noise = ((seed >> 33) as f64 / (1u64 << 31) as f64) - 0.5; // [-0.5, 0.5)
        let day = (t % 86_400) as f64 / 86_400.0;
        let base = (0.5 - 0.5 * (2.0 * std::f64::consts::PI * day).cos()).powi(2);
        let burst = if (t / 600) % 17 == 3 { 0.6 } else { 0.0 };
        let v = ((base + burst) * peak * (1.0 + 0.2 * noise)).max(0.0);
        out.push_str(&format!("{t},{v:.2}\n"));
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
    let mut seed: u64 = 0x5ca1_e1e5;
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
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let noise = ((seed >> 33) as f64 / (1u64 << 31) as f64) - 0.5;
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

/// What one in-process run of the `scalelens` command line produced.
pub struct CliRun {
    pub code: u8,
    pub out: String,
    pub err: String,
}

/// Run `scalelens <args>` in-process (no terminal), from the tests crate's directory, so
/// relative `testdata/...` paths work and show up as such in the output.
pub fn run_cli(args: &[&str]) -> CliRun {
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).expect("tests crate dir exists");
    let mut out = Vec::new();
    let mut err = Vec::new();
    let mut io = scalelens_cli::Io {
        out: &mut out,
        err: &mut err,
        out_is_terminal: false,
    };
    let mut argv = vec!["scalelens"];
    argv.extend_from_slice(args);
    let code = scalelens_cli::run(argv, &mut io);
    CliRun {
        code,
        out: String::from_utf8_lossy(&out).into_owned(),
        err: String::from_utf8_lossy(&err).into_owned(),
    }
}

/// The folder-driven CLI cases: `tests/testdata/<kind>/<case>/` holds an `autoscaler.yaml` (or
/// a `config` file naming one, [`case_config`]), an
/// `args` file (the rest of the command line) and, optionally, an `expect` file. `kind` is
/// `analysis` (run as `scalelens check`) or `timelines` (run as `scalelens simulate`).
///
/// The `expect` file has one item a line (`#` starts a comment):
/// - `exit N`: the expected exit code (default 0);
/// - `code`: a diagnostic with that code must be in the report (any severity);
/// - `!code`: no diagnostic with that code may be in the report (the case is a negative
///   fixture for it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expect {
    pub exit: u8,
    pub fires: Vec<String>,
    pub absent: Vec<String>,
}

/// Parse an `expect` file (see [`Expect`]).
pub fn parse_expect(text: &str) -> Expect {
    let mut e = Expect::default();
    for line in text.lines() {
        let item = line.split('#').next().unwrap_or("").trim();
        if item.is_empty() {
            continue;
        }
        if let Some(n) = item.strip_prefix("exit ") {
            e.exit = n
                .trim()
                .parse()
                .unwrap_or_else(|_| panic!("bad exit line {line:?}"));
        } else if let Some(code) = item.strip_prefix('!') {
            e.absent.push(code.trim().to_string());
        } else {
            e.fires.push(item.to_string());
        }
    }
    e
}

/// The codes of the diagnostics in a rendered text report (`warning[code]: ...` lines).
pub fn reported_codes(report: &str) -> std::collections::BTreeSet<String> {
    report
        .lines()
        .filter_map(|l| {
            let rest = ["error[", "warning[", "note["]
                .iter()
                .find_map(|p| l.strip_prefix(p))?;
            let end = rest.find("]:")?;
            Some(rest[..end].to_string())
        })
        .collect()
}

/// The case names under `tests/testdata/<kind>/` (folders with an `autoscaler.yaml` or a
/// `config` file, [`case_config`]), sorted.
pub fn case_names(kind: &str) -> Vec<String> {
    let root = testdata(kind);
    let mut cases: Vec<String> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", root.display()))
        .filter_map(|e| e.ok())
        .filter(|e| {
            let p = e.path();
            p.join("autoscaler.yaml").exists() || p.join("config").exists()
        })
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    cases
}

/// One folder case run through the CLI: the report a user sees (command line, exit code,
/// stdout, stderr) and its `expect` file.
pub struct CaseRun {
    pub name: String,
    pub code: u8,
    pub report: String,
    pub expect: Expect,
}

/// Run the case `tests/testdata/<kind>/<case>/` in-process (see [`Expect`] for `kind`).
pub fn run_case(kind: &str, case: &str) -> CaseRun {
    let command = match kind {
        "analysis" => "check",
        "timelines" => "simulate",
        other => panic!("unknown case kind {other}"),
    };
    let args = read_testdata(&format!("{kind}/{case}/args"));
    let config = case_config(kind, case)
        .unwrap_or_else(|| panic!("{kind}/{case}: no autoscaler.yaml and no config file"));
    let mut argv = vec![command, config.as_str()];
    argv.extend(args.split_whitespace());
    let r = run_cli(&argv);
    let report = format!(
        "$ scalelens {command} {config} {}\nexit code {}\n\n{}{}",
        args.trim(),
        r.code,
        r.out,
        r.err
    );
    let expect_path = testdata(&format!("{kind}/{case}/expect"));
    let expect = std::fs::read_to_string(expect_path)
        .map(|t| parse_expect(&t))
        .unwrap_or_default();
    CaseRun {
        name: case.to_string(),
        code: r.code,
        report,
        expect,
    }
}

/// Run every case of `kind`, asserting at least `min_cases` exist, each exit code and each
/// `expect` item. Returns the runs for the caller to snapshot.
pub fn run_cases_checked(kind: &str, min_cases: usize) -> Vec<CaseRun> {
    let cases = case_names(kind);
    assert!(
        cases.len() >= min_cases,
        "expected at least {min_cases} {kind} cases, found {cases:?}"
    );
    let mut failures = Vec::new();
    let runs: Vec<CaseRun> = cases.iter().map(|c| run_case(kind, c)).collect();
    for r in &runs {
        let got = reported_codes(&r.report);
        if r.code != r.expect.exit {
            failures.push(format!(
                "{kind}/{}: exit {} (expected {})",
                r.name, r.code, r.expect.exit
            ));
        }
        for c in &r.expect.fires {
            if !got.contains(c) {
                failures.push(format!("{kind}/{}: `{c}` expected, not reported", r.name));
            }
        }
        for c in &r.expect.absent {
            if got.contains(c) {
                failures.push(format!(
                    "{kind}/{}: `{c}` reported, expected absent",
                    r.name
                ));
            }
        }
        if !failures.is_empty() && failures.last().is_some_and(|f| f.contains(&r.name)) {
            failures.push(r.report.clone());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    runs
}

/// Read `testdata/vectors/<name>` (a reference-vector file) as `T`; panics with the path.
pub fn load_vectors<T: serde::de::DeserializeOwned>(name: &str) -> T {
    let path = testdata(&format!("vectors/{name}"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Run every reference-vector case (at least `min` of them, so a truncated file fails) and
/// report all failures at once, one line each.
pub fn check_vectors<C>(cases: &[C], min: usize, run: impl Fn(&C) -> Result<(), String>) {
    assert!(
        cases.len() >= min,
        "{} cases, expected at least {min}",
        cases.len()
    );
    let failures: Vec<String> = cases.iter().filter_map(|c| run(c).err()).collect();
    assert!(
        failures.is_empty(),
        "{} failing:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A minimal closed loop for controller tests: pods are ready the moment they are asked for,
/// and the demand (`demand(t)`, a workload total) is spread evenly over them (0 per pod with
/// none). Starts at `start` replicas; returns `(t, replicas after, decision)` for each wake-up
/// up to `until` (ms) that decided something.
pub fn instant_loop(
    a: &Autoscaler,
    start: u32,
    demand: impl Fn(u64) -> f64,
    until: u64,
) -> Vec<(u64, u32, scalelens_core::algorithm::Decision)> {
    use scalelens_core::algorithm::{controller_for, ClusterView, MetricReading};
    let mut c = controller_for(a);
    let mut replicas = start;
    let mut out = Vec::new();
    loop {
        let t = c.next_wake();
        if t > until {
            break;
        }
        let total = demand(t);
        let readings = [MetricReading {
            total,
            per_pod: if replicas > 0 {
                total / f64::from(replicas)
            } else {
                0.0
            },
            reporting: replicas,
        }];
        let view = ClusterView {
            t,
            replicas,
            ready: replicas,
            metrics: &readings,
        };
        if let Some(d) = c.wake(&view) {
            replicas = d.desired;
            out.push((t, replicas, d));
        }
    }
    out
}
