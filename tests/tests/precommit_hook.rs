//! The repository's pre-commit hook (`.pre-commit-hooks.yaml`), run by pre-commit itself the
//! way a user's repository runs it: a `.pre-commit-config.yaml` naming this repository at its
//! `HEAD` commit (pre-commit clones it once into its cache, as it clones a hook repository
//! from GitHub), then `pre-commit run scalelens-check --files …`: an autoscaler with an error
//! fails the commit and names the code, good autoscalers and YAML without an autoscaler pass.
//! The hook is read from the committed `HEAD` (uncommitted edits of the hooks file are not
//! seen, as with a published tag).
//!
//! pre-commit is a Python tool: `.ci/run` installs 4.7.0 in a venv and sets
//! `SCALELENS_PRECOMMIT`; elsewhere the test skips, saying how to install it, unless `CI` or
//! `SCALELENS_PRECOMMIT` is set (then a missing pre-commit is a failure).

use std::path::{Path, PathBuf};
use std::process::Command;

use scalelens_tests::paths::{path_with_scalelens, status_and_text, workspace_root};

const INSTALL: &str = "python3 -m venv /opt/scalelens-precommit && \
     /opt/scalelens-precommit/bin/pip install pre-commit==4.7.0, then set \
     SCALELENS_PRECOMMIT=/opt/scalelens-precommit/bin/pre-commit";

fn precommit_or_skip() -> Option<PathBuf> {
    let named = std::env::var_os("SCALELENS_PRECOMMIT").filter(|v| !v.is_empty());
    let found = match &named {
        Some(p) => Some(PathBuf::from(p)).filter(|p| p.is_file()),
        None => std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|d| d.join("pre-commit"))
                .find(|p| p.is_file())
        }),
    };
    let required = named.is_some() || std::env::var_os("CI").is_some_and(|v| !v.is_empty());
    match found {
        Some(p) => Some(p),
        None if required => panic!("pre-commit is not installed: {INSTALL}"),
        None => {
            eprintln!("SKIPPED: pre-commit is not installed ({INSTALL})");
            None
        }
    }
}

fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "git {args:?} in {}", dir.display());
}

/// `pre-commit run scalelens-check --files FILES` in `dir` (a git repository whose
/// `.pre-commit-config.yaml` names this repository); its exit status and output.
fn run_hook(precommit: &Path, dir: &Path, files: &[&str]) -> (bool, String) {
    let out = Command::new(precommit)
        .args(["run", "scalelens-check", "--files"])
        .args(files)
        .current_dir(dir)
        .env("PATH", path_with_scalelens())
        .env("PRE_COMMIT_HOME", dir.join(".pre-commit-home"))
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("NO_COLOR", "1")
        .output()
        .expect("pre-commit runs");
    status_and_text(&out)
}

/// This repository's `HEAD` commit.
fn head() -> String {
    let out = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(workspace_root())
        .output()
        .expect("git runs");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn the_hook_fails_on_an_autoscaler_error_and_passes_other_yaml() {
    let Some(precommit) = precommit_or_skip() else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("scalelens-precommit-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let good =
        std::fs::read_to_string(workspace_root().join("examples/hpa-behavior/autoscaler.yaml"))
            .expect("example");
    let fixture = |name: &str| {
        std::fs::read_to_string(workspace_root().join("tests/testdata/cli").join(name))
            .expect("fixture")
    };
    let (deployment, bad) = (fixture("no-autoscaler.yaml"), fixture("min-above-max.yaml"));
    for (name, text) in [
        ("bad-hpa.yaml", bad.as_str()),
        ("deployment.yaml", deployment.as_str()),
        ("hpa.yaml", good.as_str()),
    ] {
        std::fs::write(dir.join(name), text).expect("write");
    }
    let config = format!(
        "repos:\n  - repo: {}\n    rev: {}\n    hooks:\n      - id: scalelens-check\n",
        workspace_root().display(),
        head()
    );
    std::fs::write(dir.join(".pre-commit-config.yaml"), config).expect("write");
    git(&dir, &["init", "-q"]);
    git(
        &dir,
        &["-c", "user.name=t", "-c", "user.email=t@t", "add", "."],
    );

    // Each row: the files given, whether the hook passes, and what its output must say.
    let cases: [(&[&str], bool, &str); 3] = [
        (&["hpa.yaml", "deployment.yaml"], true, "Passed"),
        (&["deployment.yaml"], true, "Passed"),
        (
            &["hpa.yaml", "bad-hpa.yaml", "deployment.yaml"],
            false,
            "error[min-above-max]",
        ),
    ];
    for (files, passes, says) in cases {
        let (ok, text) = run_hook(&precommit, &dir, files);
        assert_eq!(ok, passes, "{files:?}:\n{text}");
        assert!(text.contains(says), "{files:?}: no {says:?} in\n{text}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
