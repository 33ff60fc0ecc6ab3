//! Analysis diagnostics through the CLI: every case under `tests/testdata/analysis/<case>/` (an
//! `autoscaler.yaml` and an `args` file with the rest of the `scalelens check` command line,
//! e.g. `--samples FILE`) is checked in-process and the text report is snapshotted. Plus the
//! seed case's acceptance checks, asserted.

use std::path::Path;

use scalelens_core::analysis;
use scalelens_core::codes;
use scalelens_core::samples::{self, Hints, Interpretation};
use scalelens_core::sim::{self, SimOptions};

fn check(case: &str) -> (u8, String) {
    let dir = format!("testdata/analysis/{case}");
    let args = scalelens_tests::read_testdata(&format!("analysis/{case}/args"));
    let config = format!("{dir}/autoscaler.yaml");
    let mut argv = vec!["check", config.as_str()];
    argv.extend(args.split_whitespace());
    let r = scalelens_tests::run_cli(&argv);
    let report = format!(
        "$ scalelens check {config} {}\nexit code {}\n\n{}{}",
        args.trim(),
        r.code,
        r.out,
        r.err
    );
    (r.code, report)
}

#[test]
fn analysis_cases() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/analysis");
    let mut cases: Vec<String> = std::fs::read_dir(&root)
        .expect("analysis folder")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("autoscaler.yaml").exists())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 5,
        "expected the analysis cases, found {cases:?}"
    );
    for case in cases {
        let (code, report) = check(&case);
        assert_eq!(code, 0, "{case}:\n{report}");
        insta::assert_snapshot!(format!("analysis-{case}"), report);
    }
}

/// (case, diagnostic code, expected to fire): each diagnostic's positive and negative fixture.
#[test]
fn each_diagnostic_fires_where_expected() {
    let table = [
        ("seed-percent", codes::UNIT_MISMATCH, true),
        ("seed-fraction", codes::UNIT_MISMATCH, false),
        ("seed-percent-fixed", codes::UNIT_MISMATCH, false),
        ("seed-percent", codes::PINNED_AT_MAX, true),
        ("seed-fraction", codes::PINNED_AT_MAX, false),
        ("hpa-long-window", codes::NEVER_SCALES_DOWN, true),
        ("seed-fraction", codes::NEVER_SCALES_DOWN, false),
        ("hpa-zero-window", codes::NEVER_SCALES_DOWN, false),
        ("hpa-zero-window", codes::FLAPPING, true),
        ("hpa-long-window", codes::FLAPPING, false),
    ];
    for (case, code, fires) in table {
        let (_, report) = check(case);
        assert_eq!(
            report.contains(&format!("warning[{code}]")),
            fires,
            "{case} {code}:\n{report}"
        );
    }
}

#[test]
fn seed_percent_unit_mismatch_points_at_target_with_both_fixes() {
    let (_, report) = check("seed-percent");
    let at = report
        .find("warning[unit-mismatch]")
        .expect("unit-mismatch fires");
    let d = &report[at..];
    assert!(d.contains("will pin at maxReplicas 10"), "{d}");
    assert!(
        d.contains("--> testdata/analysis/seed-percent/autoscaler.yaml:52:20"),
        "{d}"
    );
    assert!(d.contains("= fix: write the target in percent, the samples' unit: replace `\"0.5\"` with `\"50\"`"), "{d}");
    assert!(
        d.contains("= fix: or keep the target 0.5 and convert"),
        "{d}"
    );
    assert!(d.contains("divide it by 100"), "{d}");
}

/// After the target fix (`"50"`), the replay of the percent samples scales with the load and
/// returns to minReplicas after the load stops (minute 40 of 90).
#[test]
fn seed_after_target_fix_scales_up_and_back_to_min() {
    let yaml = scalelens_tests::read_testdata("analysis/seed-percent-fixed/autoscaler.yaml");
    let a = scalelens_tests::one_autoscaler(&yaml);
    assert_eq!(a.metrics[0].target.value.value, 50.0);
    let text =
        scalelens_tests::read_testdata("examples/seed-kpa-gpu-cache/samples-percent.prom.json");
    let s = samples::detect_and_parse(&text, &Hints::default()).expect("imports");
    assert!(analysis::check_samples(&a, &s, Interpretation::Auto).is_empty());
    let (demand, _) = samples::to_demand(&s, Interpretation::Auto);
    let out = sim::simulate(&a, &demand, &SimOptions::default());
    let tl = &out.timeline;
    let peak = tl.iter().map(|e| e.desired).max().unwrap_or(0);
    // AIBrix v0.7.0 KPA recommends ceil(per-pod mean / target), not multiplied by the pods: with
    // per-pod values capped at 100 (percent data) and a target of 50 it never exceeds 2
    // (shared/reference/aibrix-detail.md §2.2, "0–1 cache usage with target 0.5 allows at most 2").
    assert_eq!(peak, 2, "scales with the load up to the KPA's ceiling");
    let stop = tl
        .iter()
        .rposition(|e| e.demand > 0.0)
        .expect("there is load");
    let back = tl[stop..]
        .iter()
        .position(|e| e.desired == 1 && e.replicas == 1)
        .expect("returns to minReplicas after the load stops");
    assert!(back > 0);
    assert!(tl[stop + back..].iter().all(|e| e.desired == 1));
    assert!(analysis::check_never_scales_down(&a, &out).is_none());

    // Through the CLI too.
    let r = scalelens_tests::run_cli(&[
        "simulate",
        "testdata/analysis/seed-percent-fixed/autoscaler.yaml",
        "--samples",
        "testdata/examples/seed-kpa-gpu-cache/samples-percent.prom.json",
        "--format",
        "csv",
    ]);
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.err.contains("read as per-pod"), "{}", r.err);
}

#[test]
fn samples_errors_are_positioned_and_exit_2() {
    let dir = std::env::temp_dir().join(format!("scalelens-analysis-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "time,pod,value\n0,a,1\n15,a,oops\n").expect("write");
    let bad = bad.display().to_string();
    for cmd in ["check", "simulate"] {
        let r = scalelens_tests::run_cli(&[
            cmd,
            "testdata/examples/seed-kpa-gpu-cache/autoscaler.yaml",
            "--samples",
            &bad,
        ]);
        assert_eq!(r.code, 2, "{cmd}: {}", r.err);
        assert!(r.err.contains(&format!("{bad}:3:")), "{cmd}: {}", r.err);
    }
    // Exactly one of --demand and --samples.
    let r = scalelens_tests::run_cli(&[
        "simulate",
        "testdata/examples/seed-kpa-gpu-cache/autoscaler.yaml",
    ]);
    assert_eq!(r.code, 2);
    let r = scalelens_tests::run_cli(&[
        "simulate",
        "testdata/examples/seed-kpa-gpu-cache/autoscaler.yaml",
        "--demand",
        "testdata/examples/seed-kpa-gpu-cache/demand.csv",
        "--samples",
        "testdata/examples/seed-kpa-gpu-cache/samples-fraction.csv",
    ]);
    assert_eq!(r.code, 2);
}
