//! Analysis diagnostics through the CLI: every case under `tests/testdata/analysis/<case>/` (an
//! `autoscaler.yaml` and an `args` file with the rest of the `scalelens check` command line,
//! e.g. `--samples FILE`) is checked in-process and the text report is snapshotted; its `expect`
//! file (exit code, codes that must and must not be reported) is asserted
//! ([`scalelens_tests::run_cases_checked`]). Plus the seed case's acceptance checks as a user
//! sees them; the replays behind them are checked in `core/tests/it/analysis.rs`.

fn check(case: &str) -> (u8, String) {
    let r = scalelens_tests::run_case("analysis", case);
    (r.code, r.report)
}

#[test]
fn analysis_cases() {
    for run in scalelens_tests::run_cases_checked("analysis", 5) {
        insta::assert_snapshot!(format!("analysis-{}", run.name), run.report);
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
        d.contains("--> ../examples/seed-kpa-gpu-cache/autoscaler.yaml:52:20"),
        "{d}"
    );
    assert!(d.contains("= fix: write the target in percent, the samples' unit: replace `\"0.5\"` with `\"50\"`"), "{d}");
    assert!(
        d.contains("= advice: or keep the target 0.5 and convert"),
        "{d}"
    );
    assert!(d.contains("divide it by 100"), "{d}");
}

/// The `samples-percent-scale` note is written without the config: it names no target value,
/// so it reads true whether the target is `"0.5"` (seed-percent) or `"50"` (seed-percent-fixed).
#[test]
fn percent_scale_note_is_true_whatever_the_target() {
    for case in ["seed-percent", "seed-percent-fixed"] {
        let (_, report) = check(case);
        let line = report
            .lines()
            .find(|l| l.contains("[samples-percent-scale]"))
            .unwrap_or_else(|| panic!("{case}: no percent-scale note in\n{report}"));
        assert!(line.contains("look like percent (0-100)"), "{case}: {line}");
        assert!(
            line.contains("`unit-mismatch` check compares their scale with the target's"),
            "{case}: {line}"
        );
        assert!(
            !line.contains("0.5") && !line.contains("\"50\""),
            "{case}: {line}"
        );
    }
}

/// The fixed seed case (target `"50"`) through `scalelens simulate --samples`: it runs and says
/// the percent samples are read per pod. The replay itself is checked in
/// `core/tests/it/analysis.rs`.
#[test]
fn seed_after_target_fix_simulates_through_the_cli() {
    let r = scalelens_tests::run_cli(&[
        "simulate",
        "testdata/analysis/seed-percent-fixed/autoscaler.yaml",
        "--samples",
        "../examples/seed-kpa-gpu-cache/samples-percent.prom.json",
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
            "../examples/seed-kpa-gpu-cache/autoscaler.yaml",
            "--samples",
            &bad,
        ]);
        assert_eq!(r.code, 2, "{cmd}: {}", r.err);
        assert!(r.err.contains(&format!("{bad}:3:")), "{cmd}: {}", r.err);
    }
}

/// `simulate` takes exactly one of `--demand` and `--samples`: neither or both exit 2.
#[test]
fn simulate_needs_exactly_one_demand_source() {
    let r =
        scalelens_tests::run_cli(&["simulate", "../examples/seed-kpa-gpu-cache/autoscaler.yaml"]);
    assert_eq!(r.code, 2);
    let r = scalelens_tests::run_cli(&[
        "simulate",
        "../examples/seed-kpa-gpu-cache/autoscaler.yaml",
        "--demand",
        "../examples/seed-kpa-gpu-cache/demand.csv",
        "--samples",
        "../examples/seed-kpa-gpu-cache/samples-fraction.csv",
    ]);
    assert_eq!(r.code, 2);
}
