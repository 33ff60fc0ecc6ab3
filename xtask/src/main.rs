//! `cargo xtask <task>`: the project's build and test runner (no dependencies).
//!
//! - `cargo xtask test`: everything CI checks, in order; stops at the first failing step. It
//!   installs missing rustup targets (the wasm32 ones), then runs fmt, clippy, the tests, the
//!   core and chart wasm builds ([`test_steps`]), the playground's release build, browser and
//!   end-to-end tests (`web.rs`), the docs site (`docs.rs`), and the filter's build and Envoy
//!   tests ([`plugin_steps`]).
//! - `cargo xtask serve`: the browser playground (installs its pinned tools when missing, then
//!   `trunk serve` on 127.0.0.1); `cargo xtask dist`: its static release build in `dist/`;
//!   `cargo xtask tools`: the pinned tools only (all in `web.rs`, and mdBook).
//! - `cargo xtask docs`: the docs site (`docs.rs`): generated pages, mdBook, the playground.
//! - `cargo xtask replay`: replays the seed example with the CLI in the terminal.
//! - `cargo xtask bench`: core's benchmarks (`core/benches/`): `simulate` (a week at 1 s per
//!   algorithm vs parsing the CSV), `samples_import` (a 7-day, 10-pod Prometheus `query_range`
//!   import in MB/s vs `serde_json::Value`) and `yaml_check` (`check` on 1, 10 and 50 MB
//!   manifests, time per MB); then the gateway's `gateway_scan` (`tests/benches/`); `cargo xtask bench-web`: the
//!   playground's benchmark in headless Chromium; `cargo xtask bench-plugin`: the gateway
//!   filter in Envoy (requests/s ratio, CPU per request against a Lua peer, CPU per SSE chunk
//!   against the cost probes, `.wasm` size).
//! - `cargo xtask fuzz [--time S] [--max-len N] [--avoid-pending] [TARGET...]`: the
//!   cargo-fuzz targets of `fuzz/` for a bounded time each, failing on any crash (`fuzz.rs`).
//!
//! To add a step, append to [`test_steps`] (or to the playground's / filter's step lists).

use std::env;
use std::ffi::OsStr;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

mod docs;
mod fuzz;
mod serve;
mod web;

/// Rust targets every build needs: the core must build for the browser and for Envoy.
const WASM_TARGETS: &[&str] = &["wasm32-unknown-unknown", "wasm32-wasip1"];

/// The seed example replayed by `cargo xtask replay`.
const SEED_DIR: &str = "examples/seed-kpa-gpu-cache";

/// One step of `cargo xtask test`.
struct Step {
    /// Shown in the progress line (`==> name`) and in the failure message.
    name: &'static str,
    /// The program and its arguments, split at spaces; `cargo` means the cargo running this
    /// xtask.
    command: &'static str,
}

/// The steps of `cargo xtask test`, in order, the playground's ([`web::test_steps`]) last; the
/// filter's ([`plugin_steps`]) run after these.
fn test_steps() -> Vec<Step> {
    let mut steps = vec![
        Step {
            name: "format (cargo fmt --all --check)",
            command: "cargo fmt --all --check",
        },
        Step {
            name: "lint (cargo clippy --workspace --all-targets -- -D warnings)",
            command: "cargo clippy --workspace --all-targets -- -D warnings",
        },
        Step {
            name: "tests (cargo test --workspace)",
            command: "cargo test --workspace",
        },
        Step {
            // Alone, so core has the playground's features only (the workspace run above
            // unifies them with the command line's).
            name: "the playground's engine as it ships (cargo test -p scalelens-web --lib)",
            command: "cargo test -p scalelens-web --lib",
        },
        Step {
            name: "core for the browser (cargo build -p scalelens-core --target wasm32-unknown-unknown)",
            command: "cargo build -p scalelens-core --target wasm32-unknown-unknown",
        },
        Step {
            name: "charts for the browser (cargo build -p scalelens-chart --target wasm32-unknown-unknown)",
            command: "cargo build -p scalelens-chart --target wasm32-unknown-unknown",
        },
        Step {
            name: "core and the gateway logic for Envoy (cargo build -p scalelens-core -p scalelens-gateway --target wasm32-wasip1)",
            command: "cargo build -p scalelens-core -p scalelens-gateway --target wasm32-wasip1",
        },
    ];
    // The playground: release build, wasm-bindgen-test and end-to-end in Chromium (web.rs).
    steps.extend(web::test_steps());
    // The docs site, after the playground's build it copies in (docs.rs; a few seconds). That
    // the generated pages are up to date is `tests/tests/docs_site.rs`, run above.
    steps.push(Step {
        name: "docs site (cargo xtask docs: generated pages, mdbook build, playground copied in)",
        command: "cargo xtask docs",
    });
    // Every page of the built site in headless Chromium: console, links, live examples.
    steps.push(Step {
        name: "docs site in headless Chromium (tests/tests/docs_browser.rs)",
        command: "cargo test -p scalelens-tests --test docs_browser -- --ignored --nocapture",
    });
    steps
}

/// A failed task: which step, and why.
struct Failure {
    step: String,
    why: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "step `{}` failed: {}", self.step, self.why)
    }
}

fn fail(step: &str, why: impl Into<String>) -> Failure {
    Failure {
        step: step.to_string(),
        why: why.into(),
    }
}

/// The workspace root (the parent of this crate's directory).
fn root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// The cargo that runs us (so `+toolchain` overrides carry over), else `cargo` from PATH.
fn cargo() -> std::ffi::OsString {
    env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

fn program(name: &str) -> std::ffi::OsString {
    if name == "cargo" {
        cargo()
    } else {
        name.into()
    }
}

fn show(args: &[&str]) -> String {
    args.join(" ")
}

/// Run a command in the workspace root, inheriting stdout/stderr; error unless it exits 0.
/// A command line's words (no word of a step's command has a space).
fn words(command: &str) -> Vec<&str> {
    command.split_whitespace().collect()
}

fn run(step: &str, command: &[&str]) -> Result<(), Failure> {
    run_env(step, command, &[])
}

/// [`run`] with environment variables set for the command.
fn run_env(step: &str, command: &[&str], vars: &[(&str, &OsStr)]) -> Result<(), Failure> {
    let Some((name, args)) = command.split_first() else {
        return Err(fail(step, "empty command"));
    };
    let shown: Vec<&str> = vars.iter().map(|(k, _)| *k).collect();
    if shown.is_empty() {
        println!("    $ {}", show(command));
    } else {
        println!("    $ {}=... {}", shown.join("=... "), show(command));
    }
    let status = Command::new(program(name))
        .args(args)
        .envs(vars.iter().copied())
        .current_dir(root())
        .status()
        .map_err(|e| fail(step, format!("cannot start `{name}`: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(fail(
            step,
            format!("`{}` exited with {status}", show(command)),
        ))
    }
}

fn installed_targets() -> Result<Vec<String>, Failure> {
    let step = "rust targets";
    let output = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|e| {
            fail(
                step,
                format!(
                    "cannot run `rustup` ({e}); install rustup, then `rustup target add {}`",
                    WASM_TARGETS.join(" ")
                ),
            )
        })?;
    if !output.status.success() {
        return Err(fail(
            step,
            format!(
                "`rustup target list --installed` exited with {}: {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            ),
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| l.trim().to_string())
        .collect())
}

/// Make sure the wasm targets are installed; install the missing ones.
fn ensure_targets() -> Result<(), Failure> {
    let step = "rust targets";
    println!("==> {step} ({})", WASM_TARGETS.join(", "));
    let installed = installed_targets()?;
    let missing: Vec<&str> = WASM_TARGETS
        .iter()
        .copied()
        .filter(|t| !installed.iter().any(|i| i == t))
        .collect();
    if missing.is_empty() {
        println!("    all installed");
        return Ok(());
    }
    let mut command = vec!["rustup", "target", "add"];
    command.extend(&missing);
    run(step, &command)?;
    let installed = installed_targets()?;
    for t in &missing {
        if !installed.iter().any(|i| i == t) {
            return Err(fail(step, format!("target {t} is still not installed")));
        }
    }
    Ok(())
}

fn test() -> Result<(), Failure> {
    ensure_targets()?;
    web::ensure_tools(web::Need::Browser)?; // playground tools and ChromeDriver, before any step
    println!("==> mdBook (pinned; installed when missing)");
    docs::ensure_mdbook()?;
    for step in test_steps() {
        println!("==> {}", step.name);
        run(step.name, &words(step.command))?;
    }
    for step in plugin_steps() {
        println!("==> {}", step.name);
        run(step.name, &words(step.command))?;
    }
    Ok(())
}

// ---- gateway filter (plugin/) ------------------------------------------------------------

/// Build command of the Envoy filter; the .wasm lands in
/// `<target>/wasm32-wasip1/plugin-release/scalelens_plugin.wasm`.
const PLUGIN_BUILD: &str =
    "cargo build -p scalelens-plugin --target wasm32-wasip1 --profile plugin-release";

/// The filter's steps of `cargo xtask test`: build the .wasm, then run the end-to-end tests
/// against the real Envoy and a real Prometheus (`#[ignore]`d in a plain `cargo test`, which
/// has neither).
fn plugin_steps() -> Vec<Step> {
    vec![
        // The host clippy does not see the filter's wasm32-only code (its ABI imports, the
        // reactor's `_initialize`), nor the benchmark's cost probes.
        Step {
            name: "lint the filter for Envoy (cargo clippy -p scalelens-plugin --target wasm32-wasip1)",
            command: "cargo clippy -p scalelens-plugin --target wasm32-wasip1 -- -D warnings",
        },
        Step {
            name: "lint the cost probes (cargo clippy -p scalelens-plugin --target wasm32-wasip1 --features probe-count,probe-floor)",
            command: "cargo clippy -p scalelens-plugin --target wasm32-wasip1 --features probe-count,probe-floor -- -D warnings",
        },
        Step {
            name: "gateway filter (cargo build -p scalelens-plugin --target wasm32-wasip1 --profile plugin-release)",
            command: PLUGIN_BUILD,
        },
        Step {
            name: "gateway filter in Envoy (cargo test -p scalelens-tests --test gateway_envoy -- --ignored)",
            command: "cargo test -p scalelens-tests --test gateway_envoy -- --ignored",
        },
        // Every PromQL query of docs/src/gateway.md, the deploy recipes and the Grafana dashboard through a
        // real Prometheus scraping the filter in Envoy, and `scalelens simulate --prometheus`
        // replaying the HPA recipe on what it saw (about 45 s; the two tests run in parallel). Without a `prometheus`
        // binary it prints `SKIPPED …` (hence `--nocapture`) and passes, unless CI,
        // SCALELENS_REQUIRE_PROMETHEUS or SCALELENS_PROMETHEUS is set (`.ci/run` installs it
        // and sets them): then it fails.
        Step {
            name: "gateway queries in Prometheus (cargo test -p scalelens-tests --test gateway_prometheus -- --ignored --nocapture)",
            command: "cargo test -p scalelens-tests --test gateway_prometheus -- --ignored --nocapture",
        },
    ]
}

/// The benchmark's cost probes (`plugin/src/probe.rs`): cargo features of the filter crate.
const PROBES: &[&str] = &["probe-count", "probe-floor"];

/// The workspace's cargo target directory (`CARGO_TARGET_DIR`, else `target/`).
fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from) {
        Some(dir) if dir.is_absolute() => dir,
        Some(dir) => root().join(dir),
        None => root().join("target"),
    }
}

/// `cargo xtask bench-plugin`: build the cost probes and the filter, then run the Envoy
/// benchmark (it prints the ratios and the `.wasm` size; it asserts nothing).
fn bench_plugin() -> Result<(), Failure> {
    let step = "bench-plugin";
    ensure_targets()?;
    // Each probe is the filter crate built with one feature; copied aside, since the next
    // build writes the same file. The filter itself is built last.
    let built = target_dir()
        .join("wasm32-wasip1")
        .join("plugin-release")
        .join("scalelens_plugin.wasm");
    let probes_dir = target_dir().join("bench-probes");
    std::fs::create_dir_all(&probes_dir)
        .map_err(|e| fail(step, format!("cannot create {}: {e}", probes_dir.display())))?;
    for (probe, to) in PROBES.iter().zip(probes_paths(&probes_dir)) {
        println!("==> cost probe {probe} (plugin/src/probe.rs)");
        let mut command = words(PLUGIN_BUILD);
        command.extend(["--features", probe]);
        run(step, &command)?;
        std::fs::copy(&built, &to)
            .map_err(|e| fail(step, format!("cannot copy {}: {e}", built.display())))?;
    }
    println!("==> gateway filter (release build for wasm32-wasip1)");
    run(step, &words(PLUGIN_BUILD))?;
    let probes = std::env::join_paths(probes_paths(&probes_dir))
        .map_err(|e| fail(step, format!("probe paths: {e}")))?;
    println!(
        "==> gateway filter benchmark (cargo bench -p scalelens-tests --bench gateway_plugin)"
    );
    run_env(
        step,
        &[
            "cargo",
            "bench",
            "-p",
            "scalelens-tests",
            "--bench",
            "gateway_plugin",
        ],
        &[("BENCH_PROBES", &probes)],
    )?;
    // The filter's own code without Envoy: Node's V8 with a stand-in host (steadier figures).
    println!("==> the filter's own code in V8 (node plugin/bench/v8-host.mjs)");
    let wasm: Vec<String> = probes_paths(&probes_dir)
        .chain([built])
        .map(|p| p.display().to_string())
        .collect();
    let mut command = vec!["node", "--no-warnings", "plugin/bench/v8-host.mjs"];
    command.extend(wasm.iter().map(String::as_str));
    run(step, &command)
}

/// The probes' `.wasm` files as [`bench_plugin`] copies them.
fn probes_paths(dir: &Path) -> impl Iterator<Item = PathBuf> + '_ {
    PROBES.iter().map(move |p| dir.join(format!("{p}.wasm")))
}

// ---- end of gateway filter ----------------------------------------------------------------

/// The demand CSV of the seed example: `demand.csv`, else the only/first `*.csv` by name.
fn seed_demand(dir: &Path) -> Option<PathBuf> {
    let preferred = dir.join("demand.csv");
    if preferred.is_file() {
        return Some(preferred);
    }
    let mut csvs: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension() == Some(OsStr::new("csv")))
        .collect();
    csvs.sort();
    csvs.into_iter().next()
}

/// `cargo xtask replay`'s build of the CLI: not `--quiet`, so cargo shows its progress.
const BUILD_CLI: &[&str] = &[
    "cargo",
    "build",
    "-p",
    "scalelens-cli",
    "--bin",
    "scalelens",
];
/// The built CLI, run quietly (the build is done: cargo has nothing to say).
const RUN_CLI: &[&str] = &[
    "cargo",
    "run",
    "--quiet",
    "-p",
    "scalelens-cli",
    "--bin",
    "scalelens",
    "--",
];

fn replay() -> Result<(), Failure> {
    let step = "replay";
    println!("==> replaying the seed example with the CLI");
    let dir = root().join(SEED_DIR);
    let config = dir.join("autoscaler.yaml");
    let demand = seed_demand(&dir);
    let mut missing = Vec::new();
    if !config.is_file() {
        missing.push(format!(
            "{SEED_DIR}/autoscaler.yaml (the seed autoscaler YAML)"
        ));
    }
    if demand.is_none() {
        missing.push(format!(
            "{SEED_DIR}/demand.csv (a demand CSV with `time` and `value` columns)"
        ));
    }
    if !missing.is_empty() {
        return Err(fail(step, format!("missing: {}", missing.join("; "))));
    }
    // Paths relative to the workspace root (the command runs there): shorter output.
    let root = root();
    let relative = |p: &Path| p.strip_prefix(&root).unwrap_or(p).display().to_string();
    let config = relative(&config);
    let demand = demand.as_deref().map(relative).unwrap_or_default();
    // The build first, with cargo's own progress (`Compiling …` and its bar): `cargo run
    // --quiet` alone would sit silent for minutes on a first build.
    println!(
        "==> building the command line ({}; a first build compiles about 60 crates, a few minutes)",
        BUILD_CLI.join(" ")
    );
    run(step, BUILD_CLI)?;
    let simulate = |extra: &[&str]| {
        let mut cmd = RUN_CLI.to_vec();
        cmd.extend_from_slice(&["simulate", &config, "--demand", &demand]);
        cmd.extend_from_slice(extra);
        run(step, &cmd)
    };
    println!("==> as AIBrix v0.7.0 replays it (the current release)");
    simulate(&[])?;
    println!();
    println!("==> as AIBrix v0.4.0 replays it (the release the seed case happened on)");
    simulate(&["--aibrix-version", "v0.4"])
}

fn bench() -> Result<(), Failure> {
    println!("==> core's benchmarks (cargo bench -p scalelens-core: simulate, samples_import, yaml_check)");
    run(
        "bench core",
        &[
            "cargo",
            "bench",
            "-p",
            "scalelens-core",
            "--bench",
            "simulate",
            "--bench",
            "samples_import",
            "--bench",
            "yaml_check",
        ],
    )?;
    println!("==> the gateway's benchmark (cargo bench -p scalelens-tests --bench gateway_scan)");
    run(
        "bench gateway",
        &[
            "cargo",
            "bench",
            "-p",
            "scalelens-tests",
            "--bench",
            "gateway_scan",
        ],
    )
}

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  serve [--port N]  the playground at http://127.0.0.1:8080/ (installs trunk, wasm-bindgen-cli
                    and wasm-opt when missing; the seed case is loaded)
  test              everything CI checks: wasm targets, fmt, clippy, tests, wasm builds, the
                    playground's release build, browser and end-to-end tests (needs Chromium
                    and ChromeDriver: apt-get install -y chromium chromium-driver)
  dist              the playground's static release build in dist/ (relative URLs), with its
                    gzipped wasm size
  editor            build the code editor's bundle (web/editor: npm ci + esbuild, pinned) when
                    missing or stale; serve, dist, tools and test do it first
  tools             install the playground's pinned tools and mdBook when missing, check
                    ChromeDriver
  docs              the docs site: installs mdBook (pinned) when missing, writes the generated
                    pages (docs/src/rules, controllers, reference), builds the book into
                    <target>/docs-site/ with dist/ (the playground) copied to playground/, and
                    prints the command that serves it
  replay            replay the seed example with the CLI in the terminal
  bench             the benchmarks: simulate (week at 1 s vs CSV parse), samples_import
                    (Prometheus JSON MB/s vs serde_json), gateway_scan (the filter's body
                    scanning, natively), yaml_check (check on 1/10/50 MB manifests: linear)
  bench-web         the playground's benchmark in headless Chromium (edit -> chart, first
                    paint, wasm size)
  bench-plugin      the gateway filter in Envoy: requests/s ratio, CPU per request vs a Lua peer
                    (plugin/bench/lua-peer.lua), CPU per SSE chunk, .wasm size, beside cost
                    probes; then its own code in Node's V8 (plugin/bench/v8-host.mjs)
  fuzz [--time S] [--max-len N] [--avoid-pending] [TARGET...]
                    the cargo-fuzz targets of fuzz/ (nightly, AddressSanitizer), each S seconds
                    (default 30) on its checked-in corpus, inputs up to N bytes (default 65536);
                    fails on any crash, hang or out-of-memory; prints executions per target.
                    --avoid-pending skips the input classes whose issue 11 fixes are in flight
                    Installs nothing: needs `rustup toolchain install nightly --profile minimal`
                    and `cargo install cargo-fuzz --locked --version 0.13.2`";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test(),
        Some("serve") => serve::serve(args.get(1..).unwrap_or(&[])),
        Some("dist") => web::dist(),
        Some("editor") => web::ensure_editor(),
        Some("tools") => web::ensure_all(web::Need::Browser).and_then(|()| {
            println!("==> mdBook (pinned; installed when missing)");
            docs::ensure_mdbook()
        }),
        Some("docs") => docs::docs(),
        Some("replay") => replay(),
        Some("bench") => bench(),
        Some("bench-plugin") => bench_plugin(),
        Some("bench-web") => web::bench_web(),
        Some("fuzz") => fuzz::fuzz(args.get(1..).unwrap_or(&[])),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => {
            eprintln!("xtask: unknown task `{other}`\n\n{USAGE}");
            return ExitCode::from(2);
        }
        None => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => {
            println!("==> done");
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprintln!("xtask: {failure}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cargo xtask replay` shows cargo's progress while the CLI builds, then runs what it
    /// built (same package and binary), so the quiet run compiles nothing.
    #[test]
    fn replay_builds_visibly_what_it_runs() {
        assert!(!BUILD_CLI.contains(&"--quiet") && !BUILD_CLI.contains(&"-q"));
        assert_eq!(BUILD_CLI.get(1), Some(&"build"));
        fn target(cmd: &[&'static str]) -> (Option<&'static str>, Option<&'static str>) {
            let at = |flag: &str| {
                let i = cmd.iter().position(|a| *a == flag)?;
                cmd.get(i + 1).copied()
            };
            (at("-p"), at("--bin"))
        }
        assert_eq!(target(BUILD_CLI), target(RUN_CLI));
        assert_eq!(
            target(BUILD_CLI),
            (Some("scalelens-cli"), Some("scalelens"))
        );
    }
}
