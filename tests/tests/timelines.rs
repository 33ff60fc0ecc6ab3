//! Timeline snapshots: every case under `tests/testdata/timelines/<case>/` (an
//! `autoscaler.yaml`, and an `args` file with the rest of the `scalelens simulate` command line)
//! is replayed through the CLI in-process, and the text report a user sees is snapshotted.
//! Adding a case needs no code: add a folder.

use std::path::Path;

fn simulate(case: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::env::set_current_dir(root).expect("tests run from the tests crate");
    let dir = format!("testdata/timelines/{case}");
    let args = std::fs::read_to_string(root.join(&dir).join("args")).expect("args file");
    let config = format!("{dir}/autoscaler.yaml");
    let mut argv = vec!["scalelens", "simulate", config.as_str()];
    argv.extend(args.split_whitespace());
    let mut out = Vec::new();
    let mut err = Vec::new();
    let mut io = scalelens_cli::Io {
        out: &mut out,
        err: &mut err,
        out_is_terminal: false,
    };
    let code = scalelens_cli::run(argv, &mut io);
    format!(
        "$ scalelens simulate {config} {}\nexit code {code}\n\n{}{}",
        args.trim(),
        String::from_utf8_lossy(&out),
        String::from_utf8_lossy(&err)
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
