//! The playground's tasks: its tools (installed when missing, pinned), `serve`, `dist`,
//! `bench-web`, and its steps of `cargo xtask test`.
//!
//! Pinned tools (see `../shared/toolchain.md`; `Trunk.toml` names the same versions and sets
//! `offline = true`, so trunk never downloads and uses the PATH tools only at these versions):
//! - trunk [`TRUNK_VERSION`]: `cargo install --locked` (about 7.5 minutes on 2 cores).
//! - wasm-bindgen-cli [`WASM_BINDGEN_VERSION`]: must equal the `wasm-bindgen` crate in
//!   `Cargo.lock`; `cargo install` WITHOUT `--locked` (its lockfile pins a `webpki-roots`
//!   version the registry lacks). Also provides `wasm-bindgen-test-runner`.
//! - wasm-opt from npm [`BINARYEN_NPM`] into the project-local, git-ignored [`TOOLS_DIR`]
//!   (Debian's binaryen is too old for Rust 1.95's output).
//! - The code editor's bundle ([`ensure_editor`]): CodeMirror 6 at the versions
//!   `web/editor/package-lock.json` locks (`npm ci`), bundled by esbuild [`ESBUILD_VERSION`]
//!   (a devDependency there) into the git-ignored [`EDITOR_BUNDLE`] that `web/src/editor.rs`
//!   imports; built when missing or older than its sources, before any web build or test.
//! - Chromium + ChromeDriver (tests only): Debian packages, installed by `.ci/run`; here only
//!   checked, with the command that installs them.
//!
//! A tool already on PATH at the pinned version is used as it is. A missing one or one at
//! another version is installed into the project's git-ignored [`TOOLS_DIR`] (`cargo install
//! --root .tools`, npm `--prefix .tools`), never into `~/.cargo/bin`: a user's own `trunk` or
//! `wasm-bindgen` there stays as it was, and xtask puts `.tools/bin` first on its own PATH.

use super::{fail, root, run, Failure, Step};
use std::env;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// `cargo install --locked trunk --version TRUNK_VERSION` (0.22 needs a newer Rust).
pub const TRUNK_VERSION: &str = "0.21.14";
/// wasm-bindgen-cli; must equal the `wasm-bindgen` crate locked in `Cargo.lock`.
pub const WASM_BINDGEN_VERSION: &str = "0.2.130";
/// The npm package that ships wasm-opt.
pub const BINARYEN_NPM: &str = "binaryen@132.0.0";
/// What `wasm-opt --version` must contain (Trunk.toml: `wasm_opt = "version_132"`).
pub const WASM_OPT_VERSION: &str = "version_132";
/// Project-local tools (npm packages), git-ignored.
pub const TOOLS_DIR: &str = ".tools";
/// Where the static build goes (Trunk.toml `dist`).
pub const DIST_DIR: &str = "dist";
/// Where `serve`'s development builds go, so `dist/` always holds the release build the
/// browser tests and the benchmark use.
pub const SERVE_DIR: &str = "target/playground-serve";
/// `trunk serve`'s port unless `--port N` is given (Trunk.toml `[serve] port`).
pub const DEFAULT_PORT: u16 = 8080;
/// The default ChromeDriver (Debian's chromium-driver).
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The code editor's npm package (`package.json`, `package-lock.json`, `editor.js`).
pub const EDITOR_DIR: &str = "web/editor";
/// The bundle `web/src/editor.rs` imports (`#[wasm_bindgen(module = ...)]`), git-ignored.
pub const EDITOR_BUNDLE: &str = "web/editor/dist/editor.js";
/// The esbuild `web/editor/package.json` pins (checked against it before bundling).
pub const ESBUILD_VERSION: &str = "0.28.2";
/// esbuild's arguments: one minified ES module; ES2020 is what Chromium and every browser
/// the playground supports run (wasm-bindgen's own output needs as much).
pub const ESBUILD_ARGS: &[&str] = &[
    "editor.js",
    "--bundle",
    "--minify",
    "--format=esm",
    "--target=es2020",
    "--outfile=dist/editor.js",
    "--log-level=warning",
];
/// Seconds wasm-bindgen-test-runner gives one browser test binary (`WASM_BINDGEN_TEST_TIMEOUT`;
/// its default, 20, is exceeded by `replay_window.rs` at a load average of 12 here).
pub const WASM_TEST_TIMEOUT_S: &str = "90";
/// Everything the page loads, gzipped, at most (issue 14's benchmark budget).
pub const PAGE_BUDGET_KB: f64 = 500.0;

/// The playground's steps of `cargo xtask test` (after the workspace tests).
pub fn test_steps() -> Vec<Step> {
    vec![
        Step {
            name: "playground build (cargo xtask dist: trunk build --release --public-url ./)",
            command: "cargo xtask dist",
        },
        Step {
            name: "playground in headless Chromium (wasm-bindgen-test: cargo test --target wasm32-unknown-unknown -p scalelens-web)",
            command: "cargo test --target wasm32-unknown-unknown -p scalelens-web",
        },
        Step {
            name: "playground end to end (fantoccini + ChromeDriver over dist/: tests/tests/playground_e2e.rs)",
            command: "cargo test -p scalelens-tests --test playground_e2e -- --ignored --nocapture --test-threads=1",
        },
    ]
}

/// Which tools a task needs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// trunk, wasm-bindgen, wasm-opt.
    Build,
    /// The build tools plus Chromium/ChromeDriver (browser tests, benchmark).
    Browser,
}

/// Where `cargo install --root` puts the pinned cargo tools: `.tools/bin`.
pub(crate) fn tools_bin_dir() -> PathBuf {
    root().join(TOOLS_DIR).join("bin")
}

fn npm_bin_dir() -> PathBuf {
    root().join(TOOLS_DIR).join("node_modules").join(".bin")
}

/// Put the project-local tools (npm's and cargo's) first on this process's PATH (inherited by
/// trunk, cargo test's wasm runner, ...).
pub(crate) fn set_tool_path() {
    let mut dirs = vec![npm_bin_dir(), tools_bin_dir()];
    if let Some(path) = env::var_os("PATH") {
        dirs.extend(env::split_paths(&path));
    }
    if let Ok(joined) = env::join_paths(dirs) {
        // Single-threaded here; edition 2021 keeps `set_var` safe.
        env::set_var("PATH", joined);
    }
}

/// First line of `program --version`, or None when it cannot run.
pub(crate) fn version_of(program: &str) -> Option<String> {
    let out = Command::new(program)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .next()
        .map(|l| l.trim().to_string())
}

/// The version of `crate_name` locked in `lock` (Cargo.lock text); None if absent.
pub fn locked_version(lock: &str, crate_name: &str) -> Option<String> {
    let wanted = format!("name = \"{crate_name}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == wanted {
            for next in lines.by_ref() {
                let next = next.trim();
                if let Some(v) = next.strip_prefix("version = ") {
                    return Some(v.trim_matches('"').to_string());
                }
                if next.is_empty() || next.starts_with('[') {
                    break;
                }
            }
        }
    }
    None
}

/// The pinned wasm-bindgen-cli version must be the crate's locked version (the CLI refuses
/// a module built by another version) and Trunk.toml's `[tools] wasm_bindgen`.
fn check_wasm_bindgen_pins() -> Result<(), Failure> {
    let step = "wasm-bindgen version";
    let lock_path = root().join("Cargo.lock");
    let lock = std::fs::read_to_string(&lock_path)
        .map_err(|e| fail(step, format!("cannot read {}: {e}", lock_path.display())))?;
    match locked_version(&lock, "wasm-bindgen") {
        Some(v) if v == WASM_BINDGEN_VERSION => {}
        Some(v) => {
            return Err(fail(
                step,
                format!(
                    "Cargo.lock locks the wasm-bindgen crate at {v} but the tools are pinned to \
                     wasm-bindgen-cli {WASM_BINDGEN_VERSION} (xtask/src/web.rs WASM_BINDGEN_VERSION, \
                     Trunk.toml [tools] wasm_bindgen): they must be equal; pin the crate with \
                     `cargo update -p wasm-bindgen --precise {WASM_BINDGEN_VERSION}` or move all pins \
                     to {v}"
                ),
            ))
        }
        None => {
            return Err(fail(
                step,
                "Cargo.lock has no wasm-bindgen crate (is the web/ crate a workspace member?)",
            ))
        }
    }
    if let Ok(trunk_toml) = std::fs::read_to_string(root().join("Trunk.toml")) {
        let pinned = trunk_toml.lines().find_map(|l| {
            let l = l.trim();
            let rest = l
                .strip_prefix("wasm_bindgen")?
                .trim_start()
                .strip_prefix('=')?;
            Some(rest.trim().trim_matches('"').to_string())
        });
        if let Some(p) = pinned {
            if p != WASM_BINDGEN_VERSION {
                return Err(fail(
                    step,
                    format!(
                        "Trunk.toml pins wasm_bindgen = \"{p}\" but xtask and Cargo.lock use \
                         {WASM_BINDGEN_VERSION}: make them equal"
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// A tool `cargo install`ed at a pinned version.
pub(crate) struct CargoTool<'a> {
    /// The step's name in failures.
    pub step: &'a str,
    /// The program on PATH and the first line its `--version` must print.
    pub program: &'a str,
    pub want: &'a str,
    /// The crate and its exact version; `--locked` when its lockfile resolves from the
    /// registry.
    pub krate: &'a str,
    pub version: &'a str,
    pub locked: bool,
    /// How long the install takes, in words.
    pub expect: &'a str,
}

/// Use `tool` from PATH when `<program> --version` is the pinned one (and `also_ok`), else
/// `cargo install` it into [`TOOLS_DIR`] (never `~/.cargo/bin`), with a heading and its
/// duration, and check that PATH now finds the pinned version.
pub(crate) fn ensure_cargo_tool(tool: &CargoTool, also_ok: bool) -> Result<(), Failure> {
    let have = version_of(tool.program);
    if have.as_deref() == Some(tool.want) && also_ok {
        println!("    {}", tool.want);
        return Ok(());
    }
    println!(
        "    found {}; need {}",
        have.as_deref()
            .map_or_else(|| format!("no {}", tool.program), str::to_string),
        tool.want
    );
    let command = cargo_install_args(
        &root().join(TOOLS_DIR),
        tool.krate,
        tool.version,
        tool.locked,
    );
    let command: Vec<&str> = command.iter().map(String::as_str).collect();
    let what = format!("{} {}", tool.krate, tool.version);
    install(tool.step, &what, tool.expect, &command)?;
    match version_of(tool.program) {
        Some(v) if v == tool.want => Ok(()),
        other => Err(fail(
            tool.step,
            format!(
                "after installing, `{} --version` says {other:?}, not `{}`: is {} on PATH \
                 before another {}?",
                tool.program,
                tool.want,
                tools_bin_dir().display(),
                tool.program
            ),
        )),
    }
}

/// The `cargo install` command line of [`cargo_install`].
fn cargo_install_args(tools: &Path, name: &str, version: &str, locked: bool) -> Vec<String> {
    let mut command = vec![
        "cargo".to_string(),
        "install".to_string(),
        "--root".to_string(),
    ];
    command.push(tools.to_string_lossy().into_owned());
    if locked {
        command.push("--locked".to_string());
    }
    command.extend([name, "--version", &format!("={version}"), "--force"].map(String::from));
    command
}

/// Run an installer command with a heading and its duration.
pub(crate) fn install(
    step: &str,
    what: &str,
    expect: &str,
    command: &[&str],
) -> Result<(), Failure> {
    println!("    installing {what} ({expect})");
    let _ = std::io::stdout().flush();
    let start = Instant::now();
    run(step, command)?;
    println!(
        "    installed {what} in {:.0} s",
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

fn ensure_wasm_bindgen() -> Result<(), Failure> {
    check_wasm_bindgen_pins()?;
    let runner_want = format!("wasm-bindgen-test-runner {WASM_BINDGEN_VERSION}");
    let runner_ok = version_of("wasm-bindgen-test-runner").as_deref() == Some(runner_want.as_str());
    ensure_cargo_tool(
        &CargoTool {
            step: "wasm-bindgen-cli",
            program: "wasm-bindgen",
            want: &format!("wasm-bindgen {WASM_BINDGEN_VERSION}"),
            krate: "wasm-bindgen-cli",
            version: WASM_BINDGEN_VERSION,
            // Not --locked: the CLI's own lockfile pins a webpki-roots version the registry
            // lacks.
            locked: false,
            expect: "cargo install, about 2 minutes",
        },
        runner_ok,
    )
}

fn ensure_trunk() -> Result<(), Failure> {
    ensure_cargo_tool(
        &CargoTool {
            step: "trunk",
            program: "trunk",
            want: &format!("trunk {TRUNK_VERSION}"),
            krate: "trunk",
            version: TRUNK_VERSION,
            locked: true,
            expect: "cargo install --locked, about 7.5 minutes and 2 GB of RAM on 2 cores",
        },
        true,
    )
}

fn ensure_wasm_opt() -> Result<(), Failure> {
    let step = "wasm-opt";
    let ok = |v: &Option<String>| v.as_deref().is_some_and(|v| v.contains(WASM_OPT_VERSION));
    let have = version_of("wasm-opt");
    if ok(&have) {
        println!("    {}", have.unwrap_or_default());
        return Ok(());
    }
    println!(
        "    found {}; need wasm-opt {WASM_OPT_VERSION} (npm {BINARYEN_NPM} into {TOOLS_DIR}/)",
        have.as_deref().unwrap_or("no wasm-opt")
    );
    if version_of("npm").is_none() {
        return Err(fail(
            step,
            format!(
                "npm is needed to install {BINARYEN_NPM} (wasm-opt): install Node.js and npm \
                 (Debian: `apt-get install -y nodejs npm`), then run this again"
            ),
        ));
    }
    let tools = root().join(TOOLS_DIR);
    std::fs::create_dir_all(&tools)
        .map_err(|e| fail(step, format!("cannot create {}: {e}", tools.display())))?;
    let (name, version) = BINARYEN_NPM.split_once('@').unwrap_or((BINARYEN_NPM, ""));
    let manifest = format!(
        "{{\n  \"private\": true,\n  \"description\": \"Scalelens build tools (cargo xtask installs them)\",\n  \"dependencies\": {{ \"{name}\": \"{version}\" }}\n}}\n"
    );
    std::fs::write(tools.join("package.json"), manifest)
        .map_err(|e| fail(step, format!("cannot write {TOOLS_DIR}/package.json: {e}")))?;
    install(
        step,
        BINARYEN_NPM,
        "npm, a few seconds",
        &[
            "npm",
            "install",
            "--prefix",
            TOOLS_DIR,
            "--no-audit",
            "--no-fund",
            "--loglevel",
            "error",
        ],
    )?;
    let have = version_of("wasm-opt");
    if ok(&have) {
        println!("    {}", have.unwrap_or_default());
        Ok(())
    } else {
        Err(fail(
            step,
            format!(
                "after `npm install`, `wasm-opt --version` says {have:?}; expected {WASM_OPT_VERSION} \
                 from {}",
                npm_bin_dir().display()
            ),
        ))
    }
}

/// The ChromeDriver to use: `$CHROMEDRIVER`, else [`CHROMEDRIVER`]; also exported as
/// `CHROMEDRIVER` for wasm-bindgen-test-runner and the end-to-end tests.
fn ensure_chromedriver() -> Result<(), Failure> {
    let step = "chromedriver";
    let path = env::var_os("CHROMEDRIVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(CHROMEDRIVER));
    let path_str = path.display().to_string();
    match version_of(&path_str) {
        Some(v) => {
            println!("    {v} ({path_str})");
            env::set_var("CHROMEDRIVER", &path);
            // wasm-bindgen-test-runner gives a test binary 20 s by default; on a loaded 2-core
            // machine a binary of several mounted apps (each with its code editor) takes
            // 15-25 s. Unless the caller chose a limit.
            if env::var_os("WASM_BINDGEN_TEST_TIMEOUT").is_none() {
                env::set_var("WASM_BINDGEN_TEST_TIMEOUT", WASM_TEST_TIMEOUT_S);
            }
        }
        None => {
            return Err(fail(
                step,
                format!(
                    "no working ChromeDriver at {path_str} (set CHROMEDRIVER to another path); on \
                     Debian, as root: `apt-get update && apt-get install -y chromium chromium-driver` \
                     (.ci/run does this)"
                ),
            ))
        }
    }
    let chromium = Path::new("/usr/bin/chromium");
    if env::var_os("CHROMIUM").is_none() && !chromium.is_file() {
        println!("    note: no /usr/bin/chromium; ChromeDriver will look for a Chrome itself");
    }
    Ok(())
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// The esbuild version `package.json` pins, if it names one.
/// (The first `"esbuild": "<version>"` entry; xtask has no JSON parser and needs none.)
pub fn pinned_esbuild(package_json: &str) -> Option<String> {
    let rest = package_json.split("\"esbuild\"").nth(1)?;
    let rest = rest.trim_start().strip_prefix(':')?.trim_start();
    let value = rest.strip_prefix('"')?;
    value.split('"').next().map(str::to_string)
}

/// Build the code editor's bundle ([`EDITOR_BUNDLE`]) when it is missing or older than its
/// sources: `npm ci` (when `node_modules` is missing or older than the lockfile; about 25 s
/// from the registry here, 15 MB) and esbuild (about 1 s). Prints its size.
pub fn ensure_editor() -> Result<(), Failure> {
    let step = "code editor bundle";
    let dir = root().join(EDITOR_DIR);
    let bundle = root().join(EDITOR_BUNDLE);
    let manifest = std::fs::read_to_string(dir.join("package.json"))
        .map_err(|e| fail(step, format!("cannot read {EDITOR_DIR}/package.json: {e}")))?;
    match pinned_esbuild(&manifest) {
        Some(v) if v == ESBUILD_VERSION => {}
        other => {
            return Err(fail(
                step,
                format!(
                    "{EDITOR_DIR}/package.json pins esbuild {other:?}, xtask {ESBUILD_VERSION} (xtask/src/web.rs ESBUILD_VERSION): make them equal"
                ),
            ))
        }
    }
    let lock = dir.join("package-lock.json");
    let installed = dir.join("node_modules").join(".package-lock.json");
    let sources = ["editor.js", "package.json", "package-lock.json"]
        .iter()
        .filter_map(|f| modified(&dir.join(f)))
        .max();
    let fresh = match (modified(&bundle), sources) {
        (Some(b), Some(s)) => b >= s,
        _ => false,
    };
    if fresh {
        println!("    {EDITOR_BUNDLE} (up to date)");
        return Ok(());
    }
    if version_of("npm").is_none() {
        return Err(fail(
            step,
            "npm is needed to build the code editor (CodeMirror): install Node.js and npm \
             (Debian: `apt-get install -y nodejs npm`), then run this again",
        ));
    }
    let start = Instant::now();
    if modified(&installed) < modified(&lock) || modified(&installed).is_none() {
        install(
            step,
            "CodeMirror and esbuild (npm ci, web/editor/package-lock.json)",
            "npm, about 25 s",
            &[
                "npm",
                "ci",
                "--prefix",
                EDITOR_DIR,
                "--no-audit",
                "--no-fund",
                "--loglevel",
                "error",
            ],
        )?;
    }
    let esbuild = dir.join("node_modules").join(".bin").join("esbuild");
    let status = Command::new(&esbuild)
        .args(ESBUILD_ARGS)
        .current_dir(&dir)
        .status()
        .map_err(|e| fail(step, format!("cannot start {}: {e}", esbuild.display())))?;
    if !status.success() {
        return Err(fail(step, format!("esbuild exited with {status}")));
    }
    let raw = std::fs::metadata(&bundle).map(|m| m.len()).unwrap_or(0);
    let gz = gzip_size(&bundle).unwrap_or(0);
    println!(
        "    built {EDITOR_BUNDLE} in {:.0} s: {:.0} KB raw, {:.0} KB gzipped",
        start.elapsed().as_secs_f64(),
        raw as f64 / 1024.0,
        gz as f64 / 1024.0
    );
    Ok(())
}

/// Install whatever the playground tasks need and is missing (visible progress), and set PATH
/// so the children find the project-local tools. (The rustup targets: [`ensure_all`].)
pub fn ensure_tools(need: Need) -> Result<(), Failure> {
    set_tool_path();
    println!("==> playground tools (pinned; installed when missing)");
    ensure_wasm_bindgen()?;
    ensure_wasm_opt()?;
    ensure_trunk()?;
    ensure_editor()?;
    if need == Need::Browser {
        ensure_chromedriver()?;
    }
    Ok(())
}

/// The rustup targets and the tools: what `serve`, `dist`, `tools` and `bench-web` start with.
pub fn ensure_all(need: Need) -> Result<(), Failure> {
    super::ensure_targets()?;
    ensure_tools(need)
}

/// `gzip -9` size of a file (via the system gzip), None if gzip is unavailable.
fn gzip_size(path: &Path) -> Option<u64> {
    let out = Command::new("gzip")
        .args(["-9", "-c"])
        .arg(path)
        .stdin(Stdio::null())
        .output()
        .ok()?;
    out.status.success().then_some(out.stdout.len() as u64)
}

/// The built wasm module in `dist/` (the largest `.wasm`).
pub fn dist_wasm() -> Option<PathBuf> {
    let dir = root().join(DIST_DIR);
    let mut wasm: Vec<(u64, PathBuf)> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "wasm"))
        .map(|p| (std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0), p))
        .collect();
    wasm.sort();
    wasm.pop().map(|(_, p)| p)
}

/// Absolute asset references (`"/x.js"`, `'/x.wasm'`: a quoted path starting with one `/` and
/// naming a file) in the built index.html: each breaks hosting under a sub-path.
pub fn absolute_refs(index_html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for quote in ['"', '\'', '`'] {
        for piece in index_html.split(quote).skip(1).step_by(2) {
            let is_file = piece.starts_with('/')
                && !piece.starts_with("//")
                && !piece.contains([' ', '<', '>', '\n'])
                && piece.rsplit('/').next().is_some_and(|f| f.contains('.'));
            if is_file && !found.iter().any(|f| f == piece) {
                found.push(piece.to_string());
            }
        }
    }
    found
}

/// `cargo xtask dist`: the static, relocatable release build in `dist/`.
pub fn dist() -> Result<(), Failure> {
    let step = "dist";
    ensure_all(Need::Build)?;
    println!(
        "==> playground release build into {DIST_DIR}/ (relative URLs: host it under any path)"
    );
    let start = Instant::now();
    run(
        step,
        &[
            "trunk",
            "build",
            "--release",
            "--public-url",
            "./",
            "--dist",
            DIST_DIR,
        ],
    )?;
    let secs = start.elapsed().as_secs_f64();
    let dir = root().join(DIST_DIR);
    let index = std::fs::read_to_string(dir.join("index.html")).map_err(|e| {
        fail(
            step,
            format!("no {DIST_DIR}/index.html after the build: {e}"),
        )
    })?;
    let absolute = absolute_refs(&index);
    if !absolute.is_empty() {
        return Err(fail(
            step,
            format!(
                "{DIST_DIR}/index.html references assets by absolute path, so it only works at a \
                 site root: {absolute:?}"
            ),
        ));
    }
    let wasm = dist_wasm().ok_or_else(|| fail(step, format!("no .wasm file in {DIST_DIR}/")))?;
    let raw = std::fs::metadata(&wasm).map(|m| m.len()).unwrap_or(0);
    let name = wasm
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    println!("    built in {secs:.0} s");
    match gzip_size(&wasm) {
        Some(gz) => println!(
            "    wasm size: {name} {:.0} KB raw, {:.0} KB gzipped (goal <= 400 KB gzipped)",
            raw as f64 / 1024.0,
            gz as f64 / 1024.0
        ),
        None => println!(
            "    wasm size: {name} {:.0} KB raw (gzip not found: gzipped size unknown)",
            raw as f64 / 1024.0
        ),
    }
    // Every file under dist/ (wasm-bindgen's `snippets/` hold the code editor's bundle).
    let mut page: Vec<(String, u64)> = files_under(&dir)
        .into_iter()
        .map(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            (name.unwrap_or_default(), gzip_size(&p).unwrap_or(0))
        })
        .collect();
    page.sort();
    let total: u64 = page.iter().map(|(_, gz)| gz).sum();
    println!(
        "    everything the page loads: {:.0} KB gzipped (budget {PAGE_BUDGET_KB:.0} KB): {}",
        total as f64 / 1024.0,
        page.iter()
            .map(|(n, gz)| format!("{n} {:.0} KB", *gz as f64 / 1024.0))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "    static site: {} (serve it with any web server; see docs/src/playground.md)",
        dir.display()
    );
    Ok(())
}

/// The files under `dir`, at any depth.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for p in std::fs::read_dir(&d)
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
        {
            if p.is_dir() {
                todo.push(p);
            } else if p.is_file() {
                out.push(p);
            }
        }
    }
    out
}

/// `cargo xtask bench-web`: build `dist/`, then the browser benchmark (tests/benches/web.rs).
pub fn bench_web() -> Result<(), Failure> {
    dist()?;
    ensure_tools(Need::Browser)?;
    println!("==> browser benchmark (cargo bench -p scalelens-tests --bench web)");
    env::set_var("SCALELENS_BENCH_WEB", "1");
    run(
        "bench-web",
        &["cargo", "bench", "-p", "scalelens-tests", "--bench", "web"],
    )?;
    crate::docs::docs()?;
    println!("==> docs site benchmark (cargo bench -p scalelens-tests --bench docs_site)");
    run(
        "bench-web",
        &[
            "cargo",
            "bench",
            "-p",
            "scalelens-tests",
            "--bench",
            "docs_site",
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_locked_versions() {
        let lock = "[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\nsource = \"x\"\n\n[[package]]\nname = \"wasm-bindgen-macro\"\nversion = \"0.2.99\"\n";
        assert_eq!(
            locked_version(lock, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(
            locked_version(lock, "wasm-bindgen-macro").as_deref(),
            Some("0.2.99")
        );
        assert_eq!(locked_version(lock, "trunk"), None);
    }

    #[test]
    fn flags_absolute_asset_paths_only() {
        let relative = r#"<link rel="stylesheet" href="./style-1.css"><script type="module">import init from './app-1.js';init({ module_or_path: './app-1_bg.wasm' });</script><a href="/">x</a>"#;
        assert!(
            absolute_refs(relative).is_empty(),
            "{:?}",
            absolute_refs(relative)
        );
        let absolute =
            r#"<link href="/style-1.css"><script>import init from '/app-1.js';</script>"#;
        assert_eq!(
            absolute_refs(absolute).len(),
            2,
            "{:?}",
            absolute_refs(absolute)
        );
    }

    #[test]
    fn the_editor_pins_esbuild_as_xtask_does() {
        let manifest =
            std::fs::read_to_string(root().join(EDITOR_DIR).join("package.json")).expect("json");
        assert_eq!(pinned_esbuild(&manifest).as_deref(), Some(ESBUILD_VERSION));
        assert_eq!(pinned_esbuild("{}"), None);
        assert_eq!(pinned_esbuild("not json"), None);
    }

    #[test]
    fn pins_match_the_lockfile() {
        let lock = std::fs::read_to_string(root().join("Cargo.lock")).expect("Cargo.lock");
        assert_eq!(
            locked_version(&lock, "wasm-bindgen").as_deref(),
            Some(WASM_BINDGEN_VERSION),
            "Cargo.lock vs xtask pin"
        );
    }

    #[test]
    fn tools_install_into_the_project_never_into_cargo_home() {
        let tools = Path::new("/repo/.tools");
        let trunk = cargo_install_args(tools, "trunk", TRUNK_VERSION, true);
        assert_eq!(
            trunk,
            [
                "cargo",
                "install",
                "--root",
                "/repo/.tools",
                "--locked",
                "trunk",
                "--version",
                "=0.21.14",
                "--force"
            ]
        );
        let bindgen = cargo_install_args(tools, "wasm-bindgen-cli", WASM_BINDGEN_VERSION, false);
        assert!(!bindgen.iter().any(|a| a == "--locked"));
        assert_eq!(tools_bin_dir(), root().join(".tools").join("bin"));
        // `.tools` is git-ignored, so nothing installed there shows in `git status`.
        let ignore = std::fs::read_to_string(root().join(".gitignore")).unwrap_or_default();
        assert!(ignore.lines().any(|l| l.trim() == format!("/{TOOLS_DIR}")));
    }
}
