//! Shared helpers for Scalelens' cross-crate tests and benchmarks.

pub mod browser;

use scalelens_core::config;
use scalelens_core::model::Autoscaler;

/// Parse a bench/property fixture by name: `aibrix-kpa-v04` is the `aibrix-kpa` fixture read
/// as AIBrix v0.4.
pub fn fixture_autoscaler(name: &str) -> Autoscaler {
    match name.strip_suffix("-v04") {
        Some(base) => one_autoscaler_with(
            &read_testdata(&format!("bench/{base}.yaml")),
            &config::ParseOptions {
                aibrix_version: scalelens_core::model::AibrixVersion::V0_4,
            },
        ),
        None => one_autoscaler(&read_testdata(&format!("bench/{name}.yaml"))),
    }
}

/// Path of a file under `tests/testdata/`.
pub fn testdata(rel: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(rel)
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
