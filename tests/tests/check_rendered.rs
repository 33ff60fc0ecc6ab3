//! Rendered-text snapshots of `scalelens check` on every config fixture
//! (`tests/testdata/config/<family>/<case>.yaml`): the diagnostics exactly as a user reads them,
//! with the source line and caret. The (line, code) pairs themselves are asserted by
//! `core/tests/it/config_fixtures.rs` from the fixtures' `# expect:` comments.

use std::path::Path;

fn check(rel: &str) -> String {
    // A fixture's `# options: aibrix-version=v0.4 scrape-interval=15s` first line becomes the
    // CLI flags of the same names (`--aibrix-version v0.4 --scrape-interval 15s`).
    let first = scalelens_tests::read_testdata(rel.trim_start_matches("testdata/"));
    let options: Vec<(String, String)> = first
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# options:"))
        .map(|rest| {
            rest.split_whitespace()
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (format!("--{k}"), v.to_string()))
                .collect()
        })
        .unwrap_or_default();
    let mut args = vec!["check", rel];
    for (k, v) in &options {
        args.extend([k.as_str(), v.as_str()]);
    }
    let r = scalelens_tests::run_cli(&args);
    format!(
        "$ scalelens check {}\nexit code {}\n\n{}{}",
        args[1..].join(" "),
        r.code,
        r.out,
        r.err
    )
}

#[test]
fn rendered_diagnostics_of_every_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/config");
    let mut files = Vec::new();
    for family in std::fs::read_dir(&root).expect("config fixtures") {
        let family = family.expect("dir entry").path();
        for f in std::fs::read_dir(&family).expect("family dir") {
            let f = f.expect("dir entry").path();
            if f.extension().is_some_and(|e| e == "yaml") {
                files.push(f);
            }
        }
    }
    files.sort();
    assert!(
        files.len() >= 20,
        "expected the config fixtures, found {}",
        files.len()
    );
    for f in files {
        let rel = f
            .strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")))
            .expect("under the crate")
            .display()
            .to_string();
        let name = rel
            .trim_start_matches("testdata/config/")
            .trim_end_matches(".yaml")
            .replace('/', "-");
        insta::assert_snapshot!(format!("check-{name}"), check(&rel));
    }
}
