//! Timeline snapshots: every case under `tests/testdata/timelines/<case>/` (an
//! `autoscaler.yaml`, and an `args` file with the rest of the `scalelens simulate` command line)
//! is replayed through the CLI in-process, and the text report a user sees is snapshotted.
//! Adding a case needs no code: add a folder.

use std::path::Path;

fn simulate(case: &str) -> String {
    let dir = format!("testdata/timelines/{case}");
    let args = scalelens_tests::read_testdata(&format!("timelines/{case}/args"));
    let config = format!("{dir}/autoscaler.yaml");
    let mut argv = vec!["simulate", config.as_str()];
    argv.extend(args.split_whitespace());
    let r = scalelens_tests::run_cli(&argv);
    format!(
        "$ scalelens simulate {config} {}\nexit code {}\n\n{}{}",
        args.trim(),
        r.code,
        r.out,
        r.err
    )
}

#[test]
fn timelines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/timelines");
    let mut cases: Vec<String> = std::fs::read_dir(&root)
        .expect("timelines folder")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("autoscaler.yaml").exists())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 8,
        "expected the timeline cases, found {cases:?}"
    );
    for case in cases {
        let report = simulate(&case);
        assert!(
            report.contains("exit code 0"),
            "{case}: simulate failed:\n{report}"
        );
        insta::assert_snapshot!(format!("timeline-{case}"), report);
    }
}
