//! The `check` and `simulate` commands run in-process on fixture files
//! (`tests/testdata/cli/`): exit codes and what goes to stdout/stderr.

use std::path::PathBuf;

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/cli")
        .join(name)
        .display()
        .to_string()
}

use scalelens_tests::run_cli as run;

/// (arguments, expected exit code, text expected on stderr) for inputs that must be rejected
/// whatever the parser reads: unreadable files, no autoscaler, bad arguments.
#[test]
fn unusable_input_exits_2() {
    let missing = fixture("does-not-exist.yaml");
    let not_utf8 = fixture("not-utf8.yaml");
    let none = fixture("no-autoscaler.yaml");
    let demand = fixture("demand.csv");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["check", &missing], "error: cannot read "),
        (vec!["check", &not_utf8], "not UTF-8"),
        (vec!["check", &none], "error: no autoscaler found in "),
        (
            vec!["check", &none, "--format", "json"],
            "error: no autoscaler found in ",
        ),
        (
            vec!["check", &none, "--name", "web"],
            "error: no autoscaler named \"web\"",
        ),
        (
            vec!["simulate", &none, "--demand", &demand],
            "error: no autoscaler found in ",
        ),
        (
            vec!["simulate", &missing, "--demand", &demand],
            "error: cannot read ",
        ),
        (
            vec!["check", &none, "--format", "xml"],
            "invalid value 'xml'",
        ),
        (
            vec![
                "simulate",
                &none,
                "--demand",
                &demand,
                "--pod-startup",
                "3x",
            ],
            "unknown unit",
        ),
        (
            vec!["simulate", &none, "--demand", &demand, "--duration=-1h"],
            "--duration",
        ),
        (
            vec![
                "simulate",
                &none,
                "--demand",
                &demand,
                "--initial-replicas=-1",
            ],
            "--initial-replicas",
        ),
        (vec!["simulate", &none], "--demand"),
        (vec!["frobnicate"], "unrecognized subcommand"),
        (vec![], "Usage"),
    ];
    for (args, stderr) in cases {
        let r = run(&args);
        assert_eq!(r.code, 2, "{args:?}: stdout {:?} stderr {:?}", r.out, r.err);
        assert!(r.err.contains(stderr), "{args:?}: stderr {:?}", r.err);
    }
}

/// Invalid YAML is one error, the cause, and nothing after it: not `no-autoscaler`, not a
/// "no autoscaler found" line (issue 11: it was reported three times with the cause last).
#[test]
fn invalid_yaml_is_one_error_cause_first() {
    let invalid = fixture("invalid.yaml");
    for args in [
        vec!["check", invalid.as_str()],
        vec!["simulate", invalid.as_str(), "--demand", "unused.csv"],
    ] {
        let r = run(&args);
        assert_eq!(r.code, 2, "{args:?}: {}{}", r.out, r.err);
        let all = format!("{}{}", r.out, r.err);
        assert!(
            all.starts_with("error[yaml-syntax]: invalid YAML"),
            "{args:?}: {all}"
        );
        assert_eq!(all.matches("error[").count(), 1, "{args:?}: {all}");
        assert!(!all.contains("no autoscaler"), "{args:?}: {all}");
    }
}

#[test]
fn no_autoscaler_still_reports_diagnostics() {
    let r = run(&["check", &fixture("no-autoscaler.yaml"), "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&r.out).expect("JSON on stdout");
    assert!(value["file"]
        .as_str()
        .is_some_and(|f| f.ends_with("no-autoscaler.yaml")));
    assert!(value["diagnostics"]
        .as_array()
        .is_some_and(|d| !d.is_empty()));
}

#[test]
fn version_names_the_upstream_versions() {
    let r = run(&["--version"]);
    assert_eq!(r.code, 0);
    // Every release of the one list, and the list holds every generation replayed.
    let listed: Vec<String> = scalelens_core::upstream::REPLAYED
        .iter()
        .map(|r| r.release.to_string())
        .collect();
    for v in [
        "AIBrix v0.7.0",
        "AIBrix v0.6.0",
        "AIBrix v0.5.0",
        "AIBrix v0.4.0",
        "Kubernetes v1.34",
        "KEDA v2.18",
        "Knative Serving v1.20",
        "KServe v0.20.0",
    ] {
        assert!(listed.iter().any(|l| l == v), "{v} missing from REPLAYED");
    }
    for v in &listed {
        assert!(r.out.contains(v.as_str()), "{v} missing from {:?}", r.out);
    }
}

#[test]
fn help_exits_0() {
    for args in [
        &["--help"][..],
        &["check", "--help"],
        &["simulate", "--help"],
    ] {
        let r = run(args);
        assert_eq!(r.code, 0, "{args:?}");
        assert!(r.out.contains("Usage"), "{args:?}");
    }
}

// The tests below need the real parser (core::config) and simulator (core::sim), which land
// at merge. Remove the `ignore` attributes then.

#[test]

fn clean_config_exits_0() {
    let r = run(&["check", &fixture("kpa.yaml")]);
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    let r = run(&[
        "check",
        &fixture("kpa.yaml"),
        "--name",
        "llm-kpa",
        "--format",
        "sarif",
    ]);
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
}

#[test]

fn config_with_errors_exits_1() {
    for format in ["text", "json", "sarif", "github"] {
        let r = run(&["check", &fixture("min-above-max.yaml"), "--format", format]);
        assert_eq!(r.code, 1, "{format}: {}{}", r.out, r.err);
    }
}

#[test]

fn unknown_name_exits_2() {
    let r = run(&["check", &fixture("kpa.yaml"), "--name", "nope"]);
    assert_eq!(r.code, 2, "{}{}", r.out, r.err);
    assert!(r.err.contains("no autoscaler named \"nope\""), "{}", r.err);
}

#[test]

fn bad_demand_csv_exits_2_with_position() {
    let r = run(&[
        "simulate",
        &fixture("kpa.yaml"),
        "--demand",
        &fixture("demand-bad.csv"),
    ]);
    assert_eq!(r.code, 2, "{}{}", r.out, r.err);
    assert!(r.err.starts_with("error: bad demand CSV: "), "{}", r.err);
    assert!(r.err.contains("demand-bad.csv:3:"), "{}", r.err);
}

#[test]

fn simulate_formats() {
    let config = fixture("kpa.yaml");
    let demand = fixture("demand.csv");
    let base = [
        "simulate",
        &config,
        "--demand",
        &demand,
        "--pod-startup",
        "30s",
        "--duration",
        "10m",
    ];

    let r = run(&base);
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    assert!(
        r.out.starts_with("Replaying AIBrix v0.7.0 KPA"),
        "{}",
        r.out
    );

    let mut args = base.to_vec();
    args.extend(["--format", "csv"]);
    let r = run(&args);
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    assert!(r
        .out
        .starts_with("t,demand,observed,ready,replicas,desired_raw,desired,mode,reason\n"));
    assert!(r.out.lines().count() > 2, "{}", r.out);

    let mut args = base.to_vec();
    args.extend(["--format", "json"]);
    let r = run(&args);
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    let value: serde_json::Value = serde_json::from_str(&r.out).expect("JSON");
    assert_eq!(value["options"]["pod_startup_s"], 30);
    assert_eq!(value["options"]["pod_startup_is_default"], false);
    assert_eq!(value["options"]["duration_s"], 600);
    assert!(value["timeline"].as_array().is_some_and(|t| !t.is_empty()));
}

/// One `check` run on the two-autoscaler file.
struct NamedCase {
    name: Option<&'static str>,
    code: u8,
    has: &'static [&'static str],
    has_not: &'static [&'static str],
}

/// A file with two autoscalers: `check` without `--name` reports both (each diagnostic at its
/// own line), `--name` reports only the chosen one's, and the exit code follows what is reported.
#[test]
fn check_reports_every_autoscaler_unless_one_is_named() {
    let file = fixture("two-autoscalers.yaml");
    let cases = [
        NamedCase {
            name: None,
            code: 1,
            has: &[
                "two-autoscalers.yaml:18:21",
                "error[min-above-max]",
                "two-autoscalers.yaml:31:16",
            ],
            has_not: &["multiple autoscalers"],
        },
        NamedCase {
            name: Some("llm-kpa"),
            code: 0,
            has: &["note[deprecated-metric]", "two-autoscalers.yaml:18:21"],
            has_not: &["min-above-max", ":31:16"],
        },
        NamedCase {
            name: Some("web"),
            code: 1,
            has: &["error[min-above-max]", "two-autoscalers.yaml:31:16"],
            has_not: &["deprecated-metric"],
        },
    ];
    for c in &cases {
        let mut args = vec!["check", file.as_str()];
        if let Some(n) = c.name {
            args.extend(["--name", n]);
        }
        let r = run(&args);
        let all = format!("{}{}", r.out, r.err);
        let name = c.name;
        assert_eq!(r.code, c.code, "{name:?}: {all}");
        for s in c.has {
            assert!(all.contains(s), "{name:?}: `{s}` missing in {all}");
        }
        for s in c.has_not {
            assert!(!all.contains(s), "{name:?}: `{s}` unexpected in {all}");
        }
    }
}

/// `check` with several files (what pre-commit and CI steps pass): each file is checked, the
/// exit code is the worst of them, JSON is an array of the per-file reports and SARIF one log
/// whose results name their own file; `--skip-without-autoscaler` lets a file with no
/// autoscaler pass unless something in it is an error. Each row: the arguments, the exit code,
/// text that must be on stdout, text that must be on stderr.
#[test]
fn check_takes_several_files() {
    let good = fixture("kpa.yaml");
    let bad = fixture("min-above-max.yaml");
    let none = fixture("no-autoscaler.yaml");
    let invalid = fixture("invalid.yaml");
    let demand = fixture("demand.csv");
    let cases: Vec<(Vec<&str>, u8, &str, &str)> = vec![
        (vec!["check", &good, &good], 0, "", ""),
        (vec!["check", &good, &bad], 1, "error[min-above-max]", ""),
        (vec!["check", &bad, &none], 2, "error[min-above-max]", "error: no autoscaler found in "),
        (
            vec!["check", &good, &none, "--skip-without-autoscaler"],
            0,
            "",
            "no-autoscaler.yaml: no autoscaler in it, skipped",
        ),
        (vec!["check", &none, "--skip-without-autoscaler"], 0, "", "skipped"),
        // Broken YAML is an error even when it holds no autoscaler.
        (vec!["check", &invalid, "--skip-without-autoscaler"], 2, "error[yaml-syntax]", ""),
        (
            vec!["check", &good, &bad, "--samples", &demand],
            2,
            "",
            "error: --samples and --prometheus check one CONFIG file against the data; 2 files are given",
        ),
    ];
    for (args, code, out, err) in cases {
        let r = run(&args);
        assert_eq!(r.code, code, "{args:?}: {}{}", r.out, r.err);
        assert!(r.out.contains(out), "{args:?}: stdout {:?}", r.out);
        assert!(r.err.contains(err), "{args:?}: stderr {:?}", r.err);
    }

    let json = run(&["check", &good, &bad, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.out).expect("one JSON document");
    let files: Vec<&str> = v
        .as_array()
        .expect("an array of reports")
        .iter()
        .filter_map(|r| r["file"].as_str())
        .collect();
    assert_eq!(files, [good.as_str(), bad.as_str()]);
    // One file: the report itself, as before.
    let one = run(&["check", &bad, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&one.out).expect("JSON");
    assert_eq!(v["file"].as_str(), Some(bad.as_str()));

    let sarif = run(&["check", &good, &bad, "--format", "sarif"]);
    let v: serde_json::Value = serde_json::from_str(&sarif.out).expect("SARIF JSON");
    let runs = v["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1, "one run for every file");
    let uris: Vec<&str> = runs[0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    // kpa.yaml has a note (a deprecated metric), min-above-max.yaml its error.
    for file in ["kpa.yaml", "min-above-max.yaml"] {
        assert!(uris.iter().any(|u| u.ends_with(file)), "{file}: {uris:?}");
    }
}

/// `--feature-gates HPAConfigurableTolerance=true` replays the written tolerance (no
/// `feature-gate-off` note); without it the note says the field is dropped; a gate Scalelens
/// does not replay is a usage error.
#[test]
fn feature_gates_flag_sets_the_tolerance_gate() {
    let yaml = "testdata/config/hpa/tolerance-gate.yaml";
    let off = run(&["check", yaml, "--format", "json"]);
    let on = run(&[
        "check",
        yaml,
        "--format",
        "json",
        "--feature-gates",
        "HPAConfigurableTolerance=true",
    ]);
    assert_eq!((off.code, on.code), (0, 0), "{}{}", off.err, on.err);
    assert!(off.out.contains("feature-gate-off"), "{}", off.out);
    assert!(!on.out.contains("feature-gate-off"), "{}", on.out);
    let bad = run(&["check", yaml, "--feature-gates", "HPAScaleToZero=true"]);
    assert_eq!(bad.code, 2, "{}", bad.err);
    assert!(bad.err.contains("unknown feature gate"), "{}", bad.err);
}

/// `--aibrix-version` takes a release as `v0.5` or as its tag `v0.5.0`; v0.4.1 replays as
/// v0.4.0 (it changed nothing of the autoscaler), v0.2.0 – v0.3.0 by v0.4.0's code under their
/// own name; a release Scalelens does not replay is refused.
#[test]
fn aibrix_version_takes_each_release_and_its_tag() {
    const SEED: &str = "../examples/seed-kpa-gpu-cache/autoscaler.yaml";
    const DEMAND: &str = "../examples/seed-kpa-gpu-cache/demand.csv";
    let simulate = |v: &str| run(&["simulate", SEED, "--demand", DEMAND, "--aibrix-version", v]);
    // (as typed, the same as, the release named in the output)
    for (typed, same_as, release) in [
        ("v0.2.1", "v0.2", "AIBrix v0.2.1 KPA"),
        ("v0.3.0", "v0.3", "AIBrix v0.3.0 KPA"),
        ("v0.4.0", "v0.4", "AIBrix v0.4.0 KPA"),
        ("v0.4.1", "v0.4", "AIBrix v0.4.0 KPA"),
        ("v0.5.0", "v0.5", "AIBrix v0.5.0 KPA"),
        ("v0.6.0", "v0.6", "AIBrix v0.6.0 KPA"),
        ("v0.7.0", "v0.7", "AIBrix v0.7.0 KPA"),
    ] {
        let (a, b) = (simulate(typed), simulate(same_as));
        assert_eq!(a.code, b.code, "{typed}");
        assert_eq!(a.out, b.out, "{typed} replays as {same_as}");
        assert!(a.out.contains(release), "{typed}: {}", a.out);
    }
    // v0.5.0 – v0.7.0 run one controller: the same decisions, under their own release's name.
    let v05 = simulate("v0.5").out.replace("v0.5.0", "TAG");
    assert_eq!(v05, simulate("v0.7").out.replace("v0.7.0", "TAG"));
    assert_ne!(simulate("v0.4").out, simulate("v0.7").out);
    // v0.2.0 – v0.3.0 run v0.4.0's controller: the same decisions, under their own name.
    let v04 = simulate("v0.4").out;
    for older in ["v0.2.0", "v0.2.1", "v0.3.0"] {
        let out = simulate(older).out;
        assert!(out.contains(&format!("AIBrix {older} KPA")), "{out}");
        assert_eq!(
            out.replace(", replayed by v0.4.0's code: the same scaler)", ")")
                .replace(older, "v0.4.0"),
            v04,
            "{older}"
        );
    }
    for unknown in ["v0.5.1", "v0.8", "v0.3.1", "v0.1"] {
        let r = simulate(unknown);
        assert_eq!(r.code, 2, "{unknown}");
        assert!(r.err.contains("invalid value"), "{unknown}: {}", r.err);
    }
}
