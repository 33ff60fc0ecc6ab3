//! Shared helpers for Scalelens' cross-crate tests and benchmarks.

pub mod browser;
pub mod docs_site;
pub mod envoy;
pub mod paths;
pub mod prometheus;
pub mod promql;

// The fixture readers core's tests use too: one copy, in core's test suite (this crate
// depends on core, so core's tests cannot depend on it).
#[path = "../../core/tests/it/fixtures.rs"]
mod fixtures;

pub use fixtures::{
    files_under, fixture_autoscaler, one_autoscaler, prometheus_range_json, read_testdata,
    testdata, week_demand_csv, Noise, ALGORITHM_FIXTURES, RANGE_T0,
};

/// The YAML documents of the workspace file `file` (a deploy recipe, the README's examples):
/// their roots; panics with the position of a parse error.
pub fn yaml_documents(file: &str) -> Vec<scalelens_core::yaml::Node> {
    let text = std::fs::read_to_string(paths::workspace_root().join(file))
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    scalelens_core::yaml::parse_documents(&text)
        .unwrap_or_else(|e| panic!("{file}: {e} at {:?}", e.pos))
        .into_iter()
        .map(|d| d.root)
        .collect()
}

/// The first of `docs` whose `kind` is `kind`; panics when there is none.
pub fn of_kind<'a>(
    docs: &'a [scalelens_core::yaml::Node],
    kind: &str,
) -> &'a scalelens_core::yaml::Node {
    docs.iter()
        .find(|d| d.get("kind").and_then(scalelens_core::yaml::Node::as_str) == Some(kind))
        .unwrap_or_else(|| panic!("no {kind} among the documents"))
}

/// What one in-process run of the `scalelens` command line produced.
pub use scalelens_cli::Captured as CliRun;

/// Run `scalelens <args>` in-process (no terminal), from the tests crate's directory, so
/// relative `testdata/...` paths work and show up as such in the output.
pub fn run_cli(args: &[&str]) -> CliRun {
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).expect("tests crate dir exists");
    scalelens_cli::run_captured(args)
}

/// The folder-driven CLI cases: `tests/testdata/<kind>/<case>/` holds an `autoscaler.yaml` (or
/// a `config` file naming one, [`case_config`]), an `args` file (the rest of the command line)
/// and, optionally, an `expect` file ([`Expect`], read by the fixture index the rule pages'
/// live examples share, `scalelens_docgen::fixtures`). `kind` is `analysis` (run as
/// `scalelens check`) or `timelines` (run as `scalelens simulate`).
pub use scalelens_docgen::fixtures::Expect;

/// Parse an `expect` file (see [`Expect`]); panics on an unreadable `exit` line.
pub fn parse_expect(text: &str) -> Expect {
    scalelens_docgen::fixtures::parse_expect(text).unwrap_or_else(|e| panic!("{e}"))
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
