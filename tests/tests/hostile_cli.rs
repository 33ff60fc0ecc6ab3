//! Hostile and unlucky inputs through the real `scalelens` binary, one process per case: each
//! must end with its expected exit code (never a signal: 134 was an abort) and a message that
//! names the problem, within a peak memory of [`MAX_RSS_KB`] and a hang guard of
//! [`HANG_GUARD`]. Each case's wall time is printed (`--nocapture`): the 2 s goal is reported,
//! not asserted, since the machines that run this are shared.
//!
//! A case is a row of [`cases`]: its input files (a fixture under `testdata/hostile/`, inline
//! text, or a generator for large or odd inputs), the command line (run in a fresh directory
//! holding those files), the exit codes it may end with and the text its output must contain.
//!
//! The binary: `$SCALELENS_BIN` when set (e.g. a release build, to read the times against the
//! 2 s goal), else `cargo build -p scalelens-cli --bin scalelens` (same profile as this test) and copied to a temporary directory, so a concurrent build cannot
//! swap it mid-run. Peak memory is the child's own `ru_maxrss` from `wait4(2)` (Unix only; the
//! memory check is skipped elsewhere).

use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use scalelens_tests::paths::{target_dir, workspace_root};
use std::time::{Duration, Instant};

/// The most memory a case may use: the command line's budget for any input up to 20 MB.
const MAX_RSS_KB: u64 = 200 * 1024;

/// A case still running after this long is killed and fails (a hang): 20 s for a release
/// binary, 60 s for a debug one (about ten times slower; a 20 MB input takes 10–15 s there on a
/// shared machine). Generous both ways: the 2 s goal is for release builds and is reported.
const HANG_GUARD: Duration = Duration::from_secs(if cfg!(debug_assertions) { 60 } else { 20 });

/// What a case's input file holds.
enum Content {
    /// A file under `tests/testdata/hostile/`.
    Fixture(&'static str),
    /// Inline text.
    Text(&'static str),
    /// Generated (large or odd inputs), written straight to the file.
    Generated(fn(&mut dyn Write) -> io::Result<()>),
}

/// One row: run `scalelens <args>` in a directory holding `files`.
struct Case {
    name: &'static str,
    /// `(file name, content)`: written to the case's directory before the run.
    files: Vec<(&'static str, Content)>,
    /// The command line after `scalelens`, split at spaces.
    args: &'static str,
    /// The exit codes the case may end with.
    exit: &'static [i32],
    /// Text that stdout + stderr must contain (the problem named).
    says: &'static [&'static str],
}

use Content::{Fixture, Generated, Text};

/// A fixture under its own name.
fn fixture(name: &'static str) -> (&'static str, Content) {
    (name, Fixture(name))
}

/// `hpa.yaml` and the demand fixture as `d.csv`.
fn hpa_and_demand() -> Vec<(&'static str, Content)> {
    vec![fixture("hpa.yaml"), ("d.csv", Fixture("demand.csv"))]
}

fn cases() -> Vec<Case> {
    vec![
        // --- Replay horizon (issue 11, item 4) ---------------------------------------------
        Case {
            name: "demand rows 1e12 s apart",
            files: vec![
                fixture("hpa.yaml"),
                ("d.csv", Text("time,value\n0,1\n1000000000000,2\n")),
            ],
            args: "simulate hpa.yaml --demand d.csv",
            exit: &[2],
            says: &["error[replay-too-long]", "--from 0 --to 2998800"],
        },
        Case {
            name: "RFC 3339 years 0001 to 9999",
            files: vec![
                fixture("hpa.yaml"),
                (
                    "d.csv",
                    Text("time,value\n0001-01-01T00:00:00Z,1\n9999-12-31T23:59:59Z,2\n"),
                ),
            ],
            args: "simulate hpa.yaml --demand d.csv",
            exit: &[2],
            says: &[
                "error[replay-too-long]",
                "--from 0001-01-01T00:00:00Z --to 0001-02-04T17:00:00Z",
            ],
        },
        Case {
            name: "--duration 18446744073709551",
            files: hpa_and_demand(),
            args: "simulate hpa.yaml --demand d.csv --duration 18446744073709551",
            exit: &[2],
            says: &["error[replay-too-long]", "`--duration 833h`"],
        },
        Case {
            name: "--duration 240000h",
            files: hpa_and_demand(),
            args: "explain hpa.yaml --demand d.csv --duration 240000h",
            exit: &[2],
            says: &[
                "error[replay-too-long]",
                "the replay spans 27 years 145 days",
            ],
        },
        Case {
            name: "--duration beyond u64 milliseconds",
            files: hpa_and_demand(),
            args: "simulate hpa.yaml --demand d.csv --duration 99999999999999999999h",
            exit: &[2],
            says: &["--duration"],
        },
        Case {
            name: "KEDA polling every second for a week",
            files: vec![
                ("keda.yaml", Fixture("keda-fast-poll.yaml")),
                ("d.csv", Fixture("demand.csv")),
            ],
            args: "simulate keda.yaml --demand d.csv --duration 168h",
            exit: &[2],
            says: &["error[replay-too-long]", "KEDA polling interval (1s)"],
        },
        Case {
            name: "a demand time of 1e13 s",
            files: vec![
                fixture("hpa.yaml"),
                ("d.csv", Text("time,value\n0,1\n1e13,2\n")),
            ],
            args: "simulate hpa.yaml --demand d.csv",
            exit: &[2],
            says: &["out of range", "d.csv:3:1"],
        },
        // --- Stray samples (item 2) --------------------------------------------------------
        Case {
            name: "a Prometheus range with a stray sample at Unix time 0 (simulate)",
            files: vec![
                fixture("kpa.yaml"),
                ("s.json", Generated(stray_epoch_zero)),
            ],
            args: "simulate kpa.yaml --samples s.json",
            exit: &[0],
            says: &["warning[samples-stray]", "at 1970-01-01T00:00:00Z"],
        },
        Case {
            name: "a Prometheus range with a stray sample at Unix time 0 (check)",
            files: vec![
                fixture("kpa.yaml"),
                ("s.json", Generated(stray_epoch_zero)),
            ],
            args: "check kpa.yaml --samples s.json",
            exit: &[0, 1],
            says: &["warning[samples-stray]"],
        },
        Case {
            name: "two recordings of a week, a year apart (check)",
            files: vec![
                fixture("kpa.yaml"),
                ("s.json", Generated(two_weeks_a_year_apart)),
            ],
            args: "check kpa.yaml --samples s.json",
            exit: &[1],
            says: &["error[replay-too-long]", "--from 2025-11-28T08:00:00Z"],
        },
        Case {
            name: "a dense burst and a sparse tail (aligned grid widened)",
            files: vec![
                fixture("kpa.yaml"),
                ("s.csv", Generated(dense_burst_sparse_tail)),
            ],
            args: "check kpa.yaml --samples s.csv",
            exit: &[0, 1],
            says: &["samples-demand-step"],
        },
        // --- Windows (item 3) --------------------------------------------------------------
        Case {
            name: "--from after --to",
            files: hpa_and_demand(),
            args: "simulate hpa.yaml --demand d.csv --from 2400 --to 600",
            exit: &[2],
            says: &["error[replay-window]", "--from 2400 is not before --to 600"],
        },
        Case {
            name: "--from outside the data",
            files: hpa_and_demand(),
            args: "simulate hpa.yaml --demand d.csv --from 2025-11-28T08:00:00Z",
            exit: &[2],
            says: &["error[replay-window]", "the input's times are relative"],
        },
        Case {
            name: "--from that is not a time",
            files: hpa_and_demand(),
            args: "simulate hpa.yaml --demand d.csv --from noon",
            exit: &[2],
            says: &["is not a time"],
        },
        // --- A configuration not worth replaying (item 4 of the brief) --------------------
        Case {
            name: "minReplicas above maxReplicas (simulate)",
            files: vec![
                ("c.yaml", Fixture("min-above-max.yaml")),
                ("d.csv", Fixture("demand.csv")),
            ],
            args: "simulate c.yaml --demand d.csv",
            exit: &[1],
            says: &["error[min-above-max]", "error: not replaying"],
        },
        Case {
            name: "minReplicas above maxReplicas (explain)",
            files: vec![
                ("c.yaml", Fixture("min-above-max.yaml")),
                ("d.csv", Fixture("demand.csv")),
            ],
            args: "explain c.yaml --demand d.csv",
            exit: &[1],
            says: &["error[min-above-max]", "error: not replaying"],
        },
        // --- Input size (item 5) ----------------------------------------------------------
        Case {
            name: "a 21 MB config",
            files: vec![("big.yaml", Generated(config_21_mb))],
            args: "check big.yaml",
            exit: &[2],
            says: &[
                "big.yaml is 21 MB, more than the 20 MB input limit",
                "--max-input-size 21MB",
            ],
        },
        Case {
            name: "an endless device as samples",
            files: vec![fixture("kpa.yaml")],
            args: "check kpa.yaml --samples /dev/zero",
            exit: &[2],
            says: &["/dev/zero holds more than the 20 MB input limit"],
        },
        Case {
            name: "--max-input-size below a small file",
            files: vec![fixture("hpa.yaml")],
            args: "check hpa.yaml --max-input-size 100B",
            exit: &[2],
            says: &[
                "more than the 100 bytes input limit",
                "--max-input-size 1MB",
            ],
        },
        // --- Inputs just under the limit: bounded memory ----------------------------------
        Case {
            name: "a 20 MB demand CSV, 18 days at 1 s, Knative (too long)",
            files: vec![
                ("kn.yaml", Fixture("knative.yaml")),
                ("d.csv", Generated(demand_20_mb)),
            ],
            args: "simulate kn.yaml --demand d.csv",
            exit: &[2],
            says: &["error[replay-too-long]", "4 days 15h"],
        },
        Case {
            name: "a 20 MB demand CSV, 18 days at 1 s, HPA, CSV out",
            files: vec![
                fixture("hpa.yaml"),
                ("d.csv", Generated(demand_20_mb)),
            ],
            args: "simulate hpa.yaml --demand d.csv --pod-startup 30s --format csv",
            exit: &[0],
            says: &["t,demand,observed"],
        },
        Case {
            name: "a 20 MB demand CSV, a Knative window at the limit",
            files: vec![
                ("kn.yaml", Fixture("knative.yaml")),
                ("d.csv", Generated(demand_20_mb)),
            ],
            args: "simulate kn.yaml --demand d.csv --pod-startup 30s --to 399600",
            exit: &[0],
            says: &["Replaying Knative"],
        },
        Case {
            name: "20 MB of per-pod Prometheus samples (check)",
            files: vec![
                fixture("kpa.yaml"),
                ("s.json", Generated(prometheus_20_mb)),
            ],
            args: "check kpa.yaml --samples s.json",
            exit: &[0, 1],
            says: &["prometheus-json, 10 series"],
        },
        Case {
            name: "400 000 one-sample series in exposition text (13 MB)",
            files: vec![
                fixture("kpa.yaml"),
                ("s.prom", Generated(many_series)),
            ],
            args: "check kpa.yaml --samples s.prom",
            exit: &[2],
            says: &["more than 100000 series", "s.prom:100001:1"],
        },
        Case {
            name: "one exposition line with 200 000 labels",
            files: vec![
                fixture("kpa.yaml"),
                ("s.prom", Generated(many_labels)),
            ],
            args: "check kpa.yaml --samples s.prom",
            exit: &[0, 1],
            says: &["exposition, 1 series"],
        },
        Case {
            name: "an HPA with 20 000 metrics replayed for a day",
            files: vec![
                ("hpa.yaml", Generated(hpa_many_metrics)),
                ("d.csv", Text("time,value\n0,1\n86400,2\n")),
            ],
            args: "simulate hpa.yaml --demand d.csv",
            exit: &[2],
            says: &["error[replay-too-long]", "with 20,000 metrics"],
        },
        // --- YAML (issue 11, items 1-3) ----------------------------------------------------
        Case {
            name: "billion laughs (500 bytes, 9 levels of 9 aliases)",
            files: vec![("bomb.yaml", Generated(billion_laughs))],
            args: "check bomb.yaml",
            exit: &[1, 2],
            says: &["error[yaml-limit]", "400000 nodes", "bomb.yaml:6:"],
        },
        Case {
            name: "billion laughs inside a PodAutoscaler's metricsSources (simulate)",
            files: vec![
                ("pa.yaml", Generated(laughs_in_pod_autoscaler)),
                ("d.csv", Text("time,value\n0,1\n60,2\n")),
            ],
            args: "simulate pa.yaml --demand d.csv",
            exit: &[1, 2],
            says: &["error[yaml-limit]", "pa.yaml:"],
        },
        Case {
            name: "140 000 levels of block nesting",
            files: vec![("deep.yaml", Generated(deep_block))],
            args: "check deep.yaml",
            exit: &[1, 2],
            says: &["error[yaml-limit]", "nesting deeper than 128 levels"],
        },
        Case {
            name: "100 000 levels of flow nesting",
            files: vec![("deep.yaml", Generated(deep_flow))],
            args: "check deep.yaml",
            exit: &[1, 2],
            says: &["error[yaml-limit]", "nesting deeper than 255 levels"],
        },
        Case {
            name: "one non-ASCII character and 40 000 quoted values",
            files: vec![("quoted.yaml", Generated(quoted_values))],
            args: "check quoted.yaml",
            exit: &[1, 2],
            says: &["quoted.yaml:2:1"],
        },
        Case {
            name: "an unrendered Helm template",
            files: vec![(
                "hpa.yaml",
                Text("{{- if .Values.autoscaling.enabled }}\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n{{- end }}\n"),
            )],
            args: "check hpa.yaml",
            exit: &[2],
            says: &["unrendered Helm template", "helm template"],
        },
    ]
}

/// Nine levels of anchors, each alias used nine times: 9^9 nodes from about 500 bytes.
fn billion_laughs(out: Out) -> io::Result<()> {
    writeln!(out, "a0: &a0 [x, x, x, x, x, x, x, x, x]")?;
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        writeln!(out, "a{i}: &a{i} [{refs}]")?;
    }
    Ok(())
}

/// The same bomb as `metricsSources` items of a PodAutoscaler.
fn laughs_in_pod_autoscaler(out: Out) -> io::Result<()> {
    out.write_all(
        b"apiVersion: autoscaling.aibrix.ai/v1alpha1\nkind: PodAutoscaler\nmetadata:\n  name: x\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: d}\n  minReplicas: 1\n  maxReplicas: 10\n  scalingStrategy: KPA\n  metricsSources:\n    - &m0 {metricSourceType: pod, targetMetric: m, targetValue: '1', x: [a, a, a, a, a, a, a, a, a]}\n",
    )?;
    for i in 1..9 {
        let refs = vec![format!("*m{}", i - 1); 9].join(", ");
        writeln!(out, "    - &m{i} {{x: [{refs}]}}")?;
    }
    Ok(())
}

/// `- - - ... x`, 140 000 levels (the depth that overflowed the stack in the tree's drop).
fn deep_block(out: Out) -> io::Result<()> {
    out.write_all("- ".repeat(140_000).as_bytes())?;
    out.write_all(b"x\n")
}

/// `[[[ ... ]]]`, 100 000 levels.
fn deep_flow(out: Out) -> io::Result<()> {
    out.write_all("[".repeat(100_000).as_bytes())?;
    out.write_all("]".repeat(100_000).as_bytes())?;
    out.write_all(b"\n")
}

/// A comment with `é`, then 40 000 `kN: "vN"` lines (each quoted scalar once looked up its
/// byte offset by walking the whole text: over 30 s).
fn quoted_values(out: Out) -> io::Result<()> {
    writeln!(out, "# é")?;
    for i in 0..40_000 {
        writeln!(out, "k{i}: \"v{i}\"")?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Generators: they write to the file as they go, so this process stays small (a child's peak
// memory as wait4 reports it starts from the spawning process's: see `wait_measured`).

type Out<'a> = &'a mut dyn Write;

/// 2025-11-28T08:00:00Z in Unix seconds.
const T0: u64 = 1_764_316_800;

/// A Prometheus `query_range` answer with one series per `(pod, points)`.
fn prometheus(
    out: Out,
    series: impl Iterator<Item = (String, Box<dyn Iterator<Item = (u64, f64)>>)>,
) -> io::Result<()> {
    write!(
        out,
        r#"{{"status":"success","data":{{"resultType":"matrix","result":["#
    )?;
    for (i, (pod, points)) in series.enumerate() {
        if i > 0 {
            write!(out, ",")?;
        }
        write!(
            out,
            r#"{{"metric":{{"__name__":"vllm:kv_cache_usage_perc","pod":"{pod}"}},"values":["#
        )?;
        for (k, (t, v)) in points.enumerate() {
            if k > 0 {
                write!(out, ",")?;
            }
            write!(out, r#"[{t},"{v}"]"#)?;
        }
        write!(out, "]}}")?;
    }
    write!(out, "]}}}}")
}

/// Six hours at 15 s of one pod, plus one sample at Unix time 0.
fn stray_epoch_zero(out: Out) -> io::Result<()> {
    let points = std::iter::once((0, 0.4))
        .chain((0..1440).map(|k| (T0 + 15 * k, 0.3 + 0.1 * ((k / 120) % 3) as f64)));
    prometheus(
        out,
        std::iter::once(("vllm-0".to_string(), Box::new(points) as _)),
    )
}

/// A week at 60 s, and the same a year later.
fn two_weeks_a_year_apart(out: Out) -> io::Result<()> {
    let week = |from: u64| (0..10_080).map(move |k| (from + 60 * k, 0.4));
    let points = week(T0).chain(week(T0 + 365 * 86_400));
    prometheus(
        out,
        std::iter::once(("vllm-0".to_string(), Box::new(points) as _)),
    )
}

/// Per-pod CSV: one pod with 2 000 samples 10 ms apart, another with one sample every 23 h for
/// 20 days (no gap over a day: nothing is stray); the median spacing is 10 ms over 20 days.
fn dense_burst_sparse_tail(out: Out) -> io::Result<()> {
    writeln!(out, "time,pod,value")?;
    for k in 0..2_000u64 {
        writeln!(out, "{}.{:03},a,0.5", k / 100, k % 100 * 10)?;
    }
    for k in 0..21u64 {
        writeln!(out, "{},b,0.4", k * 23 * 3600)?;
    }
    Ok(())
}

/// Exactly 21 MB of YAML comments.
fn config_21_mb(out: Out) -> io::Result<()> {
    let line = "# the quick brown fox jumps over the lazy dog, again and again and again\n";
    let mut n = 0usize;
    while n + line.len() <= 21_000_000 {
        out.write_all(line.as_bytes())?;
        n += line.len();
    }
    out.write_all(&vec![b'#'; 21_000_000 - n - 1])?;
    out.write_all(b"\n")
}

/// Just under 20 MB of demand CSV: one row a second (about 18 days).
fn demand_20_mb(out: Out) -> io::Result<()> {
    let mut n = "time,value\n".len();
    out.write_all(b"time,value\n")?;
    let mut t = 0u64;
    loop {
        let row = format!("{t},{}.5\n", (t * 7) % 400);
        if n + row.len() > 19_990_000 {
            return Ok(());
        }
        out.write_all(row.as_bytes())?;
        n += row.len();
        t += 1;
    }
}

/// 400 000 series of one sample each, one per pod: past `samples::MAX_SERIES` (a label
/// set costs about 1 KB to import, so this once took 6 s and 390 MB).
fn many_series(out: Out) -> io::Result<()> {
    for i in 0..400_000 {
        writeln!(out, "x{{pod=\"p{i}\"}} 1 1764316800000")?;
    }
    Ok(())
}

/// A 2 MB HPA with 20 000 Pods metrics: each evaluation reads them all (a day of them took
/// 24 s before `sim::limit::METRICS_PER_EVALUATION` weighed the replay by its metrics).
fn hpa_many_metrics(out: Out) -> io::Result<()> {
    write!(
        out,
        "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {{name: h}}\nspec:\n  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: d}}\n  maxReplicas: 5\n  metrics:\n"
    )?;
    for i in 0..20_000 {
        writeln!(
            out,
            "    - type: Pods\n      pods: {{metric: {{name: m{i}}}, target: {{type: AverageValue, averageValue: '1'}}}}"
        )?;
    }
    Ok(())
}

/// One sample with 200 000 labels (the duplicate-label check was quadratic: minutes).
fn many_labels(out: Out) -> io::Result<()> {
    write!(out, "x{{")?;
    for i in 0..200_000 {
        write!(out, "{}l{i}=\"v\"", if i == 0 { "" } else { "," })?;
    }
    writeln!(out, "}} 1 1764316800000")
}

/// About 16 MB of Prometheus JSON: 10 pods, 80 000 samples each at 15 s (about 14 days).
fn prometheus_20_mb(out: Out) -> io::Result<()> {
    prometheus(
        out,
        (0..10u64).map(|p| {
            let points =
                (0..80_000u64).map(move |k| (T0 + 15 * k, 0.3 + 0.1 * ((k / 200 + p) % 5) as f64));
            (format!("vllm-{p}"), Box::new(points) as _)
        }),
    )
}

// ---------------------------------------------------------------------------------------------
// Running

/// A fresh temporary directory for this test process.
fn scratch() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("scalelens-hostile-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temporary directory");
        dir
    })
}

/// The `scalelens` binary to run (see the module doc).
fn scalelens() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        if let Some(bin) = std::env::var_os("SCALELENS_BIN") {
            return PathBuf::from(bin);
        }
        let release = !cfg!(debug_assertions);
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut cmd = Command::new(cargo);
        cmd.args(["build", "-p", "scalelens-cli", "--bin", "scalelens"])
            .current_dir(workspace_root());
        if release {
            cmd.arg("--release");
        }
        let status = cmd.status().expect("cargo runs");
        assert!(status.success(), "cargo build -p scalelens-cli failed");
        let built = target_dir()
            .join(if release { "release" } else { "debug" })
            .join(format!("scalelens{}", std::env::consts::EXE_SUFFIX));
        let copy = scratch().join(format!("scalelens{}", std::env::consts::EXE_SUFFIX));
        std::fs::copy(&built, &copy)
            .unwrap_or_else(|e| panic!("cannot copy {}: {e}", built.display()));
        copy
    })
}

/// How a case's process ended.
struct Outcome {
    /// The exit code, or `None` when a signal ended it.
    code: Option<i32>,
    signal: Option<i32>,
    /// Peak resident memory (KB), when the platform says.
    max_rss_kb: Option<u64>,
    wall: Duration,
    timed_out: bool,
    output: String,
}

#[cfg(unix)]
fn wait_measured(child: &mut std::process::Child) -> (Option<i32>, Option<i32>, Option<u64>, bool) {
    let pid = child.id() as libc::pid_t;
    let start = Instant::now();
    loop {
        let mut status: libc::c_int = 0;
        // SAFETY: `rusage` is plain data that wait4 fills; `pid` is our own unreaped child.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if r == pid {
            let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
            let signal = libc::WIFSIGNALED(status).then(|| libc::WTERMSIG(status));
            // Linux reports ru_maxrss in kilobytes. It counts from the spawning process's
            // image (the child starts as a copy of this test process until it executes the
            // binary), so it is an upper bound by this process's few megabytes.
            return (code, signal, u64::try_from(usage.ru_maxrss).ok(), false);
        }
        assert!(r == 0, "wait4 failed: {}", std::io::Error::last_os_error());
        if start.elapsed() > HANG_GUARD {
            let _ = child.kill();
            let mut status: libc::c_int = 0;
            // SAFETY: as above; reap the killed child.
            unsafe { libc::waitpid(pid, &mut status, 0) };
            return (None, None, None, true);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[cfg(not(unix))]
fn wait_measured(child: &mut std::process::Child) -> (Option<i32>, Option<i32>, Option<u64>, bool) {
    let start = Instant::now();
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return (status.code(), None, None, false);
        }
        if start.elapsed() > HANG_GUARD {
            let _ = child.kill();
            let _ = child.wait();
            return (None, None, None, true);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn run_case(case: &Case, index: usize) -> Outcome {
    let dir = scratch().join(format!("case-{index:02}"));
    std::fs::create_dir_all(&dir).expect("case directory");
    for (name, content) in &case.files {
        let path = dir.join(name);
        match content {
            Fixture(rel) => {
                let p = scalelens_tests::testdata(&format!("hostile/{rel}"));
                std::fs::copy(&p, &path).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            }
            Text(t) => std::fs::write(&path, t).expect("write the input"),
            Generated(f) => {
                let mut w = BufWriter::new(std::fs::File::create(&path).expect("input file"));
                f(&mut w).and_then(|()| w.flush()).expect("write the input");
            }
        }
    }
    let out_path = dir.join("stdout");
    let err_path = dir.join("stderr");
    let start = Instant::now();
    // Output to files, not pipes: a case that writes a lot can never block on a full pipe.
    let mut child = Command::new(scalelens())
        .args(case.args.split_whitespace())
        .current_dir(&dir)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).expect("stdout file"))
        .stderr(std::fs::File::create(&err_path).expect("stderr file"))
        .spawn()
        .expect("scalelens starts");
    let (code, signal, max_rss_kb, timed_out) = wait_measured(&mut child);
    let wall = start.elapsed();
    let output = format!("{}{}", head_and_tail(&out_path), head_and_tail(&err_path));
    // Large outputs are not kept on disk.
    let _ = std::fs::remove_dir_all(&dir);
    Outcome {
        code,
        signal,
        max_rss_kb,
        wall,
        timed_out,
        output,
    }
}

/// The first and last 256 KB of a file (all of it when smaller): what a case's messages are in,
/// without holding a large output in this process.
fn head_and_tail(path: &Path) -> String {
    const PART: u64 = 256 * 1024;
    let Ok(mut f) = std::fs::File::open(path) else {
        return String::new();
    };
    let len = f.metadata().map_or(0, |m| m.len());
    let mut bytes = Vec::new();
    let _ = (&mut f).take(PART).read_to_end(&mut bytes);
    if len > 2 * PART {
        bytes.extend_from_slice(b"\n[...]\n");
        let _ = f.seek(SeekFrom::End(-(PART as i64)));
        let _ = f.take(PART).read_to_end(&mut bytes);
    } else if len > PART {
        let _ = f.read_to_end(&mut bytes);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The end of `s`, for failure messages.
fn tail(s: &str) -> &str {
    let start = s.len().saturating_sub(1500);
    let start = (start..s.len())
        .find(|&i| s.is_char_boundary(i))
        .unwrap_or(s.len());
    &s[start..]
}

#[test]
fn hostile_inputs_end_with_a_diagnostic_in_bounded_time_and_memory() {
    let bin = scalelens();
    println!("binary: {}", bin.display());
    let mut failures = Vec::new();
    println!(
        "{:<66} {:>5} {:>9} {:>10}",
        "case", "exit", "wall ms", "max RSS MB"
    );
    for (i, case) in cases().iter().enumerate() {
        let o = run_case(case, i);
        println!(
            "{:<66} {:>5} {:>9} {:>10}",
            case.name,
            o.code.map_or_else(|| "-".into(), |c| c.to_string()),
            o.wall.as_millis(),
            o.max_rss_kb
                .map_or_else(|| "-".into(), |kb| format!("{:.1}", kb as f64 / 1024.0)),
        );
        let name = case.name;
        if o.timed_out {
            failures.push(format!(
                "{name}: still running after {HANG_GUARD:?} (killed)"
            ));
            continue;
        }
        if let Some(sig) = o.signal {
            failures.push(format!(
                "{name}: killed by signal {sig} (6 = abort)\n{}",
                tail(&o.output)
            ));
            continue;
        }
        if !o.code.is_some_and(|c| case.exit.contains(&c)) {
            failures.push(format!(
                "{name}: exit {:?}, expected one of {:?}\n{}",
                o.code,
                case.exit,
                tail(&o.output)
            ));
        }
        for s in case.says {
            if !o.output.contains(s) {
                failures.push(format!(
                    "{name}: `{s}` not in the output\n{}",
                    tail(&o.output)
                ));
            }
        }
        if let Some(kb) = o.max_rss_kb.filter(|&kb| kb > MAX_RSS_KB) {
            failures.push(format!(
                "{name}: peak memory {} MB, more than {} MB",
                kb / 1024,
                MAX_RSS_KB / 1024
            ));
        }
    }
    let _ = std::fs::remove_dir_all(scratch());
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
