//! `cargo xtask docs`: the docs site (issue 16).
//!
//! 1. mdBook [`MDBOOK_VERSION`], `cargo install --locked` into cargo's bin directory like the
//!    playground's tools, only when `mdbook --version` is not that version. Measured
//!    2026-12-07: 2133 s (36 min) on 2 cores shared with three other cargo builds (load average
//!    10-12); an idle machine is several times faster (not measured). Default features (its
//!    `serve`/`watch` pull tokio, axum and notify); `--no-default-features --features search`
//!    would build less, since the site is served by any static server.
//! 2. The generated pages (`cargo run -p scalelens-docgen -- write`: rules, controllers, the CLI
//!    and metric reference, SUMMARY.md under `docs/src/`, from the code).
//! 3. `mdbook build docs` into `<target>/docs-site/` ([`SITE_DIR`]), then the playground's
//!    release build (`dist/`, made by `cargo xtask dist`; not built here) copied to its
//!    `playground/` folder so embeds are same-origin, and each live example's static picture
//!    (`scalelens-docgen pictures`: the CLI's chart of its example, or its `check` text; rule
//!    pages and controller quirks), shown until the live example has loaded. The folder is static: copy it to any host.

use super::{fail, root, run, target_dir, Failure};
use crate::web;
use std::path::{Path, PathBuf};

/// `cargo install --locked mdbook --version MDBOOK_VERSION` (needs Rust >= 1.88).
pub const MDBOOK_VERSION: &str = "0.5.4";
/// The book's folder (its `book.toml`), relative to the workspace root.
pub const BOOK_DIR: &str = "docs";
/// The built site's folder name, under the cargo target directory.
pub const SITE_DIR: &str = "docs-site";
/// The playground's folder inside the site (`scalelens_docgen::PLAYGROUND_DIR`).
pub const PLAYGROUND_DIR: &str = "playground";
/// The port the printed serve command uses.
pub const SERVE_PORT: u16 = 8000;

/// Where the site is built.
pub fn site_dir() -> PathBuf {
    target_dir().join(SITE_DIR)
}

/// Install the pinned mdBook when `mdbook --version` is not it.
pub fn ensure_mdbook() -> Result<(), Failure> {
    web::set_tool_path();
    web::ensure_cargo_tool(
        &web::CargoTool {
            step: "mdbook",
            program: "mdbook",
            want: &format!("mdbook v{MDBOOK_VERSION}"),
            krate: "mdbook",
            version: MDBOOK_VERSION,
            locked: true,
            expect: "cargo install --locked; 36 min measured on 2 busy cores, far less on an idle machine",
        },
        true,
    )
}

/// Copy the directory `from` into `to` (created), recursively.
fn copy_dir(from: &Path, to: &Path) -> std::io::Result<u64> {
    std::fs::create_dir_all(to)?;
    let mut files = 0;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            files += copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
            files += 1;
        }
    }
    Ok(files)
}

/// `cargo run -p scalelens-docgen -- <args>`.
fn docgen(args: &[&str]) -> Result<(), Failure> {
    let mut cmd = vec!["cargo", "run", "--quiet", "-p", "scalelens-docgen", "--"];
    cmd.extend_from_slice(args);
    run("docs", &cmd)
}

/// `cargo xtask docs`.
pub fn docs() -> Result<(), Failure> {
    let step = "docs";
    println!("==> mdBook {MDBOOK_VERSION} (pinned; installed when missing)");
    ensure_mdbook()?;
    println!("==> generated pages (docs/src/rules, controllers, reference, SUMMARY.md)");
    docgen(&["write"])?;
    let site = site_dir();
    let site_s = site.display().to_string();
    println!("==> the book (mdbook build {BOOK_DIR} --dest-dir {site_s})");
    run(step, &["mdbook", "build", BOOK_DIR, "--dest-dir", &site_s])?;
    // Build artefacts, not committed: the CLI's output on the fixtures (scalelens-docgen's
    // `embeds` module says why).
    let pictures = site_s.clone();
    println!("==> the live examples' static pictures (CLI charts and check output) into {pictures}/rules and controllers");
    docgen(&["pictures", &pictures])?;
    let dist = root().join(web::DIST_DIR);
    let playground = site.join(PLAYGROUND_DIR);
    if dist.join("index.html").is_file() {
        if playground.exists() {
            std::fs::remove_dir_all(&playground)
                .map_err(|e| fail(step, format!("cannot remove {}: {e}", playground.display())))?;
        }
        let n = copy_dir(&dist, &playground).map_err(|e| {
            fail(
                step,
                format!(
                    "cannot copy {} to {}: {e}",
                    dist.display(),
                    playground.display()
                ),
            )
        })?;
        println!(
            "    copied the playground ({}/, {n} files) to {}",
            web::DIST_DIR,
            playground.display()
        );
    } else {
        println!(
            "    no playground in the site: {}/index.html is missing (`cargo xtask dist` builds it)",
            web::DIST_DIR
        );
    }
    println!("    site: {site_s}");
    println!(
        "    serve it: python3 -m http.server --bind 127.0.0.1 --directory {site_s} {SERVE_PORT}"
    );
    println!("    then open http://127.0.0.1:{SERVE_PORT}/");
    Ok(())
}
