//! Where the workspace and its build output are, for harnesses that run what cargo built.

use std::path::{Path, PathBuf};

/// The workspace root (the tests crate's parent).
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// The cargo target directory: `$CARGO_TARGET_DIR` (relative to the workspace when relative),
/// else the one this test binary was built in (`<target>/<profile>/deps/<exe>`), else
/// `<workspace>/target`.
pub fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        let dir = PathBuf::from(dir);
        return if dir.is_absolute() {
            dir
        } else {
            workspace_root().join(dir)
        };
    }
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.ancestors().nth(3).map(Path::to_path_buf))
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// The `scalelens` binary of the calling test's profile, built once per test process
/// (`cargo build -p scalelens-cli`, `--release` for a release test build), for tests that run
/// it as a user would.
pub fn scalelens_binary() -> &'static Path {
    static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(|| {
        let release = !cfg!(debug_assertions);
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut cmd = std::process::Command::new(cargo);
        cmd.args(["build", "-q", "-p", "scalelens-cli", "--bin", "scalelens"])
            .current_dir(workspace_root());
        if release {
            cmd.arg("--release");
        }
        assert!(
            cmd.status().expect("cargo runs").success(),
            "cargo build -p scalelens-cli failed"
        );
        target_dir()
            .join(if release { "release" } else { "debug" })
            .join(format!("scalelens{}", std::env::consts::EXE_SUFFIX))
    })
}

/// `PATH` with [`scalelens_binary`]'s directory first, for tools that run `scalelens` the way
/// a user's shell finds it (a CI workflow's steps, a pre-commit hook).
pub fn path_with_scalelens() -> std::ffi::OsString {
    let bin_dir = scalelens_binary()
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(&rest)))
        .unwrap_or(rest)
}

/// A finished command's success and its standard output followed by its standard error.
pub fn status_and_text(out: &std::process::Output) -> (bool, String) {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}
