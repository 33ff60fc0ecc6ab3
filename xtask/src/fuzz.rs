//! `cargo xtask fuzz [--time S] [--max-len N] [TARGET...]`: the cargo-fuzz targets of `fuzz/`
//! (their own workspace, nightly, AddressSanitizer), each for a bounded time on its checked-in
//! corpus; fails on any crash, timeout or out-of-memory, and prints the executions per target.
//!
//! It installs nothing: without the nightly toolchain or cargo-fuzz it says the command that
//! installs it ([`NIGHTLY_INSTALL`], [`CARGO_FUZZ_INSTALL`]), and every nightly call runs with
//! `RUSTUP_AUTO_INSTALL=0` so rustup does not fetch a toolchain behind our back.
//!
//! One `cargo +nightly fuzz build -O` builds every target; each target's binary then runs with
//! [`LIBFUZZER_FLAGS`] (and `dicts/yaml.dict` for the YAML targets, [`YAML_TARGETS`]) on two
//! corpus directories: a scratch one under `fuzz/target/corpus/` first (libFuzzer writes the
//! inputs it finds to the first directory only, so the checked-in corpus stays as committed)
//! and `fuzz/corpus/<target>/`. A crashing input lands in `fuzz/artifacts/<target>/`; the
//! full libFuzzer log in `fuzz/target/logs/<target>.log`.

use super::{fail, root, Failure};
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// The command that installs the nightly toolchain (minimal profile: rustc, cargo, rust-std).
pub const NIGHTLY_INSTALL: &str = "rustup toolchain install nightly --profile minimal";
/// The cargo-fuzz version the targets are built with.
pub const CARGO_FUZZ_VERSION: &str = "0.13.2";
/// The command that installs it.
pub const CARGO_FUZZ_INSTALL: &str = "cargo install cargo-fuzz --locked --version 0.13.2";
/// Seconds per target unless `--time` says otherwise: what `.ci/run` uses.
pub const DEFAULT_SECONDS: u64 = 30;
/// Largest input libFuzzer makes unless `--max-len` says otherwise. 64 KiB: YAML alias bombs
/// and deep nesting (issue 11) need tens of KB to show; libFuzzer's 4 KB default hides them.
pub const DEFAULT_MAX_LEN: u64 = 65_536;
/// Every run's libFuzzer flags: 2 s per input is a hang (the CLI's budget is 2 s for any
/// file up to 20 MB), 2 GiB of memory is a blow-up (also the largest single allocation,
/// libFuzzer's `-malloc_limit_mb` default), final stats for the execution count.
pub const LIBFUZZER_FLAGS: &[&str] = &["-rss_limit_mb=2048", "-timeout=2", "-print_final_stats=1"];
/// Targets that read YAML: they get the YAML dictionary.
pub const YAML_TARGETS: &[&str] = &["config", "pipeline"];
/// The YAML dictionary (tokens, Kubernetes and autoscaler keys), relative to `fuzz/`.
const YAML_DICT: &str = "dicts/yaml.dict";

/// What the command line asked for.
struct Args {
    seconds: u64,
    max_len: u64,
    targets: Vec<String>,
}

fn parse_args(args: &[String], known: &[String]) -> Result<Args, Failure> {
    let step = "fuzz";
    let mut out = Args {
        seconds: DEFAULT_SECONDS,
        max_len: DEFAULT_MAX_LEN,
        targets: Vec::new(),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut number = |flag: &str| -> Result<u64, Failure> {
            let v = it
                .next()
                .ok_or_else(|| fail(step, format!("{flag} needs a number")))?;
            v.parse::<u64>()
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| fail(step, format!("{flag} `{v}`: expected a positive integer")))
        };
        match a.as_str() {
            "--time" => out.seconds = number("--time")?,
            "--max-len" => out.max_len = number("--max-len")?,
            t if known.iter().any(|k| k == t) => out.targets.push(t.to_string()),
            other => {
                return Err(fail(
                    step,
                    format!(
                        "unknown target or flag `{other}`; targets: {}",
                        known.join(", ")
                    ),
                ))
            }
        }
    }
    if out.targets.is_empty() {
        out.targets = known.to_vec();
    }
    Ok(out)
}

fn fuzz_dir() -> PathBuf {
    root().join("fuzz")
}

/// The target names, in the order `fuzz/Cargo.toml` lists its `[[bin]]`s.
fn targets() -> Result<Vec<String>, Failure> {
    let manifest = fuzz_dir().join("Cargo.toml");
    let text = fs::read_to_string(&manifest)
        .map_err(|e| fail("fuzz", format!("cannot read {}: {e}", manifest.display())))?;
    let mut in_bin = false;
    let mut names = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_bin = line == "[[bin]]";
        } else if in_bin {
            if let Some(v) = line.strip_prefix("name").map(str::trim_start) {
                if let Some(v) = v.strip_prefix('=') {
                    names.push(v.trim().trim_matches('"').to_string());
                }
            }
        }
    }
    if names.is_empty() {
        return Err(fail(
            "fuzz",
            format!("no [[bin]] targets in {}", manifest.display()),
        ));
    }
    Ok(names)
}

/// `cargo +nightly ...` through the rustup proxy on PATH (the `CARGO` that runs xtask is the
/// stable toolchain's own binary, which ignores `+nightly`), never installing a toolchain.
fn nightly_cargo() -> Command {
    let mut c = Command::new("cargo");
    c.arg("+nightly")
        .env("RUSTUP_AUTO_INSTALL", "0")
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("CARGO_TARGET_DIR")
        .current_dir(root());
    c
}

/// The nightly toolchain and cargo-fuzz are there (else the commands that install them);
/// returns the host triple the targets are built for.
fn check_tools() -> Result<String, Failure> {
    let step = "fuzz tools";
    let list = Command::new("rustup")
        .args(["toolchain", "list"])
        .output()
        .map_err(|e| {
            fail(
                step,
                format!("cannot run `rustup` ({e}); install rustup, then `{NIGHTLY_INSTALL}`"),
            )
        })?;
    let listed = String::from_utf8_lossy(&list.stdout);
    if !listed
        .lines()
        .any(|l| l.trim_start().starts_with("nightly"))
    {
        return Err(fail(
            step,
            format!("the nightly toolchain is not installed: run `{NIGHTLY_INSTALL}`"),
        ));
    }
    let version = nightly_cargo()
        .args(["fuzz", "--version"])
        .stderr(Stdio::null())
        .output()
        .map_err(|e| fail(step, format!("cannot run `cargo +nightly fuzz` ({e})")))?;
    let shown = String::from_utf8_lossy(&version.stdout).trim().to_string();
    if !version.status.success() || !shown.starts_with("cargo-fuzz") {
        return Err(fail(
            step,
            format!("cargo-fuzz is not installed: run `{CARGO_FUZZ_INSTALL}`"),
        ));
    }
    if !shown.ends_with(CARGO_FUZZ_VERSION) {
        println!("    note: {shown} found; the targets are checked with {CARGO_FUZZ_VERSION} ({CARGO_FUZZ_INSTALL})");
    }
    let rustc = Command::new("rustc")
        .args(["+nightly", "-vV"])
        .env("RUSTUP_AUTO_INSTALL", "0")
        .env_remove("RUSTUP_TOOLCHAIN")
        .output()
        .map_err(|e| fail(step, format!("cannot run `rustc +nightly -vV` ({e})")))?;
    let host = String::from_utf8_lossy(&rustc.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_string))
        .ok_or_else(|| fail(step, "`rustc +nightly -vV` names no host"))?;
    println!("    {shown}, nightly for {host}");
    Ok(host)
}

/// One target's run.
struct Outcome {
    target: String,
    /// libFuzzer's executed units (`stat::number_of_executed_units`, else the last `#N`).
    execs: Option<u64>,
    seconds: f64,
    /// Why it failed (the libFuzzer summary line), if it did.
    failure: Option<String>,
}

/// Executions from a libFuzzer log: the final stats line, else the last `#N ...` status line.
fn executions(log: &str) -> Option<u64> {
    let stat = log.lines().rev().find_map(|l| {
        l.strip_prefix("stat::number_of_executed_units:")
            .and_then(|n| n.trim().parse().ok())
    });
    stat.or_else(|| {
        log.lines().rev().find_map(|l| {
            let n = l.strip_prefix('#')?;
            let digits: String = n.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
    })
}

/// Why a libFuzzer run failed, from its log: the `SUMMARY:` line, a Rust panic's location,
/// and the artifact written.
fn failure_summary(log: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for l in log.lines() {
        let l = l.trim();
        if l.starts_with("SUMMARY:")
            || l.starts_with("thread '")
            || l.contains("ERROR: libFuzzer:")
            || l.contains("Test unit written to")
        {
            parts.push(l);
        }
    }
    if parts.is_empty() {
        "libFuzzer exited with an error (see the log)".to_string()
    } else {
        parts.join("\n      ")
    }
}

fn run_target(bin_dir: &Path, target: &str, args: &Args) -> Result<Outcome, Failure> {
    let step = format!("fuzz {target}");
    let dir = fuzz_dir();
    let scratch = dir.join("target").join("corpus").join(target);
    let corpus = dir.join("corpus").join(target);
    let artifacts = dir.join("artifacts").join(target);
    let logs = dir.join("target").join("logs");
    for d in [&scratch, &corpus, &artifacts, &logs] {
        fs::create_dir_all(d)
            .map_err(|e| fail(&step, format!("cannot create {}: {e}", d.display())))?;
    }
    let log_path = logs.join(format!("{target}.log"));
    let log = File::create(&log_path)
        .map_err(|e| fail(&step, format!("cannot write {}: {e}", log_path.display())))?;
    let log2 = log
        .try_clone()
        .map_err(|e| fail(&step, format!("{}: {e}", log_path.display())))?;
    let mut cmd = Command::new(bin_dir.join(target));
    cmd.arg(format!("-max_total_time={}", args.seconds))
        .arg(format!("-max_len={}", args.max_len))
        .args(LIBFUZZER_FLAGS)
        .arg(format!("-artifact_prefix={}/", artifacts.display()));
    if YAML_TARGETS.contains(&target) {
        cmd.arg(format!("-dict={}", dir.join(YAML_DICT).display()));
    }
    cmd.arg(&scratch)
        .arg(&corpus)
        .current_dir(&dir)
        .stdout(Stdio::from(log))
        .stderr(Stdio::from(log2));
    let start = Instant::now();
    let status = cmd.status().map_err(|e| {
        fail(
            &step,
            format!("cannot start {}: {e}", bin_dir.join(target).display()),
        )
    })?;
    let seconds = start.elapsed().as_secs_f64();
    let text = fs::read_to_string(&log_path).unwrap_or_default();
    Ok(Outcome {
        target: target.to_string(),
        execs: executions(&text),
        seconds,
        failure: (!status.success()).then(|| {
            format!(
                "{status}\n      {}\n      log: {}",
                failure_summary(&text),
                log_path.display()
            )
        }),
    })
}

/// `cargo xtask fuzz [--time S] [--max-len N] [TARGET...]`.
pub fn fuzz(args: &[String]) -> Result<(), Failure> {
    let known = targets()?;
    let args = parse_args(args, &known)?;
    println!("==> fuzz tools (nightly toolchain, cargo-fuzz {CARGO_FUZZ_VERSION})");
    let host = check_tools()?;
    let target_dir = fuzz_dir().join("target");
    println!("==> build the fuzz targets (cargo +nightly fuzz build -O)");
    let build = Instant::now();
    let status = nightly_cargo()
        .args(["fuzz", "build", "-O"])
        .arg("--target-dir")
        .arg(&target_dir)
        .status()
        .map_err(|e| {
            fail(
                "fuzz build",
                format!("cannot run `cargo +nightly fuzz` ({e})"),
            )
        })?;
    if !status.success() {
        return Err(fail(
            "fuzz build",
            format!("`cargo +nightly fuzz build -O` exited with {status}"),
        ));
    }
    println!("    took {:.0}s", build.elapsed().as_secs_f64());
    let bin_dir = target_dir.join(&host).join("release");
    let mut outcomes = Vec::new();
    for t in &args.targets {
        println!(
            "==> fuzz {t} ({} s, -max_len={})",
            args.seconds, args.max_len
        );
        let o = run_target(&bin_dir, t, &args)?;
        match &o.failure {
            None => println!(
                "    {} executions in {:.0}s",
                o.execs.map_or("?".to_string(), |n| n.to_string()),
                o.seconds
            ),
            Some(why) => println!("    FAILED: {why}"),
        }
        outcomes.push(o);
    }
    println!("==> executions per target ({} s each)", args.seconds);
    println!(
        "    {:<24} {:>12} {:>10}  result",
        "target", "executions", "exec/s"
    );
    for o in &outcomes {
        let execs = o.execs.map_or("?".to_string(), |n| n.to_string());
        let rate = o.execs.map_or("?".to_string(), |n| {
            format!("{:.0}", n as f64 / o.seconds.max(0.001))
        });
        let result = if o.failure.is_some() { "FAILED" } else { "ok" };
        println!("    {:<24} {execs:>12} {rate:>10}  {result}", o.target);
    }
    let failed: Vec<&str> = outcomes
        .iter()
        .filter(|o| o.failure.is_some())
        .map(|o| o.target.as_str())
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(fail(
            "fuzz",
            format!(
                "{} crashed, hung or ran out of memory (inputs in fuzz/artifacts/<target>/; \
                 reproduce with `cargo +nightly fuzz run -O <target> <input>`)",
                failed.join(", ")
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn executions_from_final_stats_or_status_line() {
        let done = "#1024\tpulse  cov: 3\n#52311\tDONE   cov: 9 ft: 10\nDone 52311 runs in 31 second(s)\nstat::number_of_executed_units: 52311\nstat::peak_rss_mb: 80\n";
        assert_eq!(executions(done), Some(52311));
        let crashed =
            "#3\tINITED cov: 1\n#17\tNEW    cov: 2\n==1== ERROR: libFuzzer: deadly signal\n";
        assert_eq!(executions(crashed), Some(17));
        assert_eq!(executions("nothing"), None);
    }

    #[test]
    fn arguments() {
        let known = vec!["config".to_string(), "pipeline".to_string()];
        let a =
            |v: &[&str]| parse_args(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>(), &known);
        let all = a(&[]).ok().map(|x| (x.seconds, x.max_len, x.targets));
        assert_eq!(all, Some((30, 65_536, known.clone())));
        let some = a(&["--time", "5", "pipeline", "--max-len", "512"])
            .ok()
            .map(|x| (x.seconds, x.max_len, x.targets));
        assert_eq!(some, Some((5, 512, vec!["pipeline".to_string()])));
        assert!(a(&["--time"]).is_err());
        assert!(a(&["--time", "0"]).is_err());
        assert!(a(&["nope"]).is_err());
    }
}
