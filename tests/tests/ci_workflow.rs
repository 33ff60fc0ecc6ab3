//! The GitHub Actions workflow of `docs/src/ci.md`, run as the runner runs it: each step's
//! `run:` script with `bash --noprofile --norc -eo pipefail` (GitHub's default shell on Linux)
//! in a fresh git repository, with `scalelens` on the `PATH` (the install step is the one
//! skipped: it builds what the test already has). The SARIF log the workflow uploads must be
//! SARIF 2.1.0 naming the broken file's diagnostic, and the last step must fail the job exactly
//! when an autoscaler has an error.

use std::path::{Path, PathBuf};
use std::process::Command;

use scalelens_core::yaml::{parse_documents, Node};
use scalelens_tests::paths::{path_with_scalelens, status_and_text, workspace_root};

/// The page's workflow: the ```` ```yaml ```` block that starts with `name:` and has `jobs:`.
fn workflow() -> String {
    let page = std::fs::read_to_string(workspace_root().join("docs/src/ci.md")).expect("ci.md");
    let mut blocks = page.split("```yaml\n").skip(1);
    blocks
        .find_map(|b| {
            let block = b.split("\n```").next()?;
            (block.starts_with("name:") && block.contains("\njobs:")).then(|| block.to_string())
        })
        .expect("docs/src/ci.md has the workflow")
}

/// The `run:` scripts of every step, in order, with the step's name; the install step left out.
fn run_steps(workflow: &str) -> Vec<(String, String)> {
    let docs = parse_documents(workflow).expect("the workflow is YAML");
    let root = &docs.first().expect("one document").root;
    let jobs = root.get("jobs").and_then(Node::as_mapping).expect("jobs");
    let mut steps = Vec::new();
    for (_, job) in jobs {
        for step in job.get("steps").and_then(Node::as_sequence).expect("steps") {
            let name = step.get("name").and_then(Node::as_str).unwrap_or_default();
            if let Some(run) = step.get("run").and_then(Node::as_str) {
                if !name.starts_with("Install") {
                    steps.push((name.to_string(), run.to_string()));
                }
            }
        }
    }
    steps
}

const SERVICE: &str = "apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports: [{port: 80}]
";

/// A fresh git repository holding `files`.
fn repo(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("scalelens-ci-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    for (file, text) in files {
        std::fs::write(dir.join(file), text).expect("write");
    }
    for args in [&["init", "-q"][..], &["add", "."][..]] {
        let ok = Command::new("git")
            .args(args)
            .current_dir(&dir)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "git {args:?}");
    }
    dir
}

/// Run one step's script as the runner does; its success and output.
fn run_step(dir: &Path, script: &str) -> (bool, String) {
    let out = Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .current_dir(dir)
        .env("PATH", path_with_scalelens())
        .output()
        .expect("bash runs");
    status_and_text(&out)
}

/// A repository's name, its files (name, text), whether the job passes, and the error codes
/// its SARIF log holds.
type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, bool, &'a [&'a str]);

#[test]
fn the_documented_workflow_uploads_sarif_and_fails_on_errors() {
    let steps = run_steps(&workflow());
    assert_eq!(
        steps.len(),
        2,
        "the SARIF step and the failing step: {steps:?}"
    );
    let bad =
        std::fs::read_to_string(workspace_root().join("tests/testdata/cli/min-above-max.yaml"))
            .expect("fixture");
    let good =
        std::fs::read_to_string(workspace_root().join("examples/hpa-behavior/autoscaler.yaml"))
            .expect("example");
    // Each row: the repository's files, whether the job passes, the diagnostics in the SARIF log.
    let cases: [Case; 2] = [
        (
            "clean",
            vec![("hpa.yaml", good.as_str()), ("service.yml", SERVICE)],
            true,
            &[],
        ),
        (
            "broken",
            vec![
                ("hpa.yaml", good.as_str()),
                ("service.yml", SERVICE),
                ("bad-hpa.yaml", bad.as_str()),
            ],
            false,
            &["min-above-max"],
        ),
    ];
    for (name, files, passes, codes) in cases {
        let dir = repo(name, &files);
        let mut job_ok = true;
        let mut last = String::new();
        for (step, script) in &steps {
            let (ok, text) = run_step(&dir, script);
            job_ok &= ok;
            last = format!("{step}: {text}");
        }
        assert_eq!(job_ok, passes, "{name}: {last}");
        if !passes {
            assert!(
                last.contains("::error file="),
                "{name}: annotations: {last}"
            );
        }
        let sarif = std::fs::read_to_string(dir.join("scalelens.sarif")).expect("the SARIF log");
        let v: serde_json::Value = serde_json::from_str(&sarif).expect("SARIF is JSON");
        assert_eq!(v["version"], "2.1.0", "{name}");
        let rules: Vec<&str> = v["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .filter(|r| r["level"] == "error")
            .filter_map(|r| r["ruleId"].as_str())
            .collect();
        assert_eq!(rules, codes, "{name}: {sarif}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
