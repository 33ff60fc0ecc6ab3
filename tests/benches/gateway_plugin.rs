//! The gateway filter's cost in Envoy (run by `cargo xtask bench-plugin`; prints, asserts
//! nothing). Envoy 1.40 with one worker (`--concurrency 1`), the same loopback upstream, the
//! example `plugin/envoy.yaml` with and without the filter block, runs alternating:
//!
//! 1. requests/s with wrk (keep-alive, 16 connections) on two workloads: a plain proxied
//!    `GET /v1/models` (counted and timed, bodies not inspected) and `POST /v1/chat/completions`
//!    with JSON completions (the filter reads the request body and the JSON response) — goal
//!    ≥ 0.80 of the baseline; Envoy's CPU per request beside it, and the same load sent to
//!    every Envoy at once, whose CPU-per-request ratio (no filter / filter) is the throughput
//!    ratio free of drift between runs. Envoy is pinned to CPU 0, wrk and the upstream to the
//!    others (`BENCH_PIN=0`: off);
//! 2. Envoy CPU per SSE chunk: streaming requests whose chunks arrive 1 ms apart (so each is
//!    its own body callback), sent to every Envoy at the same time (machine drift hits all
//!    alike); each Envoy's CPU from the scheduler (`/proc/<pid>/task/*/schedstat`, ns) divided
//!    by the chunks sent — the difference is the filter's cost per chunk (goal ≤ 3 µs);
//! 3. the `.wasm` size, raw and after `wasm-opt -Oz` (goal ≤ 200 KB).
//!
//! Beside the filter, in the same rounds, the cost probes `cargo xtask bench-plugin` builds
//! (`plugin/src/probe.rs`, passed in `BENCH_PROBES`): `probe-count` (the minimal
//! counting filter) and `probe-floor` (only the host calls the signals need, no computation):
//! what the filter costs above the floor is its own code. And the **peer**: Envoy's built-in
//! Lua filter running `plugin/bench/lua-peer.lua` (counts SSE `data:` events, reads
//! `completion_tokens` from the final chunk), what a team would write by hand instead.
//!
//! The summary gives the goals, each a ratio within one round (every Envoy loaded at
//! once), as the median and the spread (min–max) over the rounds: per route (GET, JSON, SSE)
//! the filter's Envoy CPU per request over the Lua peer's (goal ≤ 1), and per SSE chunk the
//! filter's CPU above `probe-floor`'s (goal ≤ 1 µs).
//!
//! Environment: `WRK` (default `wrk` on PATH), `WASM_OPT` (default `wasm-opt` on PATH, then
//! `node_modules/.bin/wasm-opt` under the workspace or /work/node-tools), `BENCH_SECONDS`
//! (default 5), `BENCH_ROUNDS` (default 5), `BENCH_PLUGIN_JSON` (the filter's configuration;
//! default: the example's), `BENCH_BEFORE_WASM` (earlier builds of the filter, `:`-separated,
//! measured in the same alternating rounds, for before/after ratios from one run), `BENCH_ONLY`
//! (`rps` or `sse`: one part only).

use scalelens_tests::envoy::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Envoy with the example config: no filter (`wasm: None`) or the filter built at `wasm`, with
/// the filter configuration `BENCH_PLUGIN_JSON` (default: the example's).
fn start_envoy(upstream: &Upstream, wasm: Option<&Path>) -> Envoy {
    let config = EnvoyConfig {
        listener_port: free_port(),
        admin_port: free_port(),
        upstream_port: upstream.port,
        wasm: wasm.map_or_else(plugin_wasm, Path::to_path_buf),
        plugin_json: std::env::var("BENCH_PLUGIN_JSON").ok(),
        without_filter: wasm.is_none(),
    };
    Envoy::start_with(&config, 1)
        .unwrap_or_else(|e| panic!("Envoy exited ({:?}):\n{}", e.code, e.log))
}

/// wrk's `Requests/sec` for `path`.
fn wrk(port: u16, seconds: u64, script: &Path, path: &str) -> f64 {
    let wrk = std::env::var("WRK").unwrap_or_else(|_| "wrk".to_string());
    let out = Command::new(&wrk)
        .args(["-t1", "-c16", &format!("-d{seconds}s"), "-s"])
        .arg(script)
        .arg(format!("http://127.0.0.1:{port}{path}"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run {wrk} ({e}): apt-get install -y wrk, or set WRK"));
    let text = String::from_utf8_lossy(&out.stdout);
    let rps = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no Requests/sec in wrk output:\n{text}"));
    if text.contains("Non-2xx") || text.contains("Socket errors") {
        eprintln!("    wrk reported errors:\n{text}");
    }
    rps
}

/// CPU time of a process (all its threads), in microseconds, from the scheduler's
/// nanosecond accounting (`/proc/<pid>/task/*/schedstat`, first field); `/proc/<pid>/stat`
/// ticks (10 ms) are the fallback.
fn cpu_us(pid: u32) -> u64 {
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task"));
    let ns: Option<u64> = tasks.ok().map(|dir| {
        dir.filter_map(Result::ok)
            .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
            .filter_map(|l| l.split_whitespace().next()?.parse::<u64>().ok())
            .sum()
    });
    match ns {
        Some(ns) if ns > 0 => ns / 1_000,
        _ => stat_cpu_us(pid),
    }
}

/// User + system CPU from `/proc/<pid>/stat` (fields 14 and 15, in 10 ms ticks).
fn stat_cpu_us(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The command name (field 2) is in parentheses and may contain spaces.
    let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: u64 = [11, 12]
        .iter()
        .filter_map(|i| fields.get(*i).and_then(|v| v.parse::<u64>().ok()))
        .sum();
    // USER_HZ is 100 on Linux.
    ticks * 10_000
}

/// Streaming clients per Envoy (all Envoys are loaded at once, see [`sse_round`]).
const SSE_CLIENTS: usize = 4;
const SSE_REQUESTS: usize = 24;
const SSE_CHUNKS: u64 = 200;
/// Streams per Envoy per SSE round.
const SSE_STREAMS: usize = SSE_CLIENTS * SSE_REQUESTS;

/// Load every Envoy at the same time, `clients` threads each running `work(port)`, so a
/// machine that slows down or speeds up does so for all of them alike. Returns each Envoy's
/// CPU µs over the run and, per Envoy, its clients' results.
fn all_at_once<R, F>(envoys: &[&Envoy], clients: usize, work: F) -> (Vec<u64>, Vec<Vec<R>>)
where
    R: Send + 'static,
    F: Fn(u16) -> R + Send + Clone + 'static,
{
    let before: Vec<u64> = envoys.iter().map(|e| cpu_us(e.pid())).collect();
    let threads: Vec<Vec<_>> = envoys
        .iter()
        .map(|e| {
            (0..clients)
                .map(|_| {
                    let (work, port) = (work.clone(), e.listener_port);
                    thread::spawn(move || work(port))
                })
                .collect()
        })
        .collect();
    let results = threads
        .into_iter()
        .map(|ts| ts.into_iter().map(|t| t.join().expect("client")).collect())
        .collect();
    let cpu = envoys
        .iter()
        .zip(before)
        .map(|(e, b)| cpu_us(e.pid()).saturating_sub(b))
        .collect();
    (cpu, results)
}

/// One SSE round: every Envoy gets `SSE_CLIENTS × SSE_REQUESTS` streams of `SSE_CHUNKS`
/// chunks (1 ms apart, so each is its own body callback), all at once. Returns each Envoy's CPU
/// µs over the round and the chunks each received.
fn sse_round(envoys: &[&Envoy]) -> (Vec<u64>, u64) {
    let (cpu, _) = all_at_once(envoys, SSE_CLIENTS, |port| {
        let chunks = SSE_CHUNKS.to_string();
        for _ in 0..SSE_REQUESTS {
            let r = http(
                port,
                "POST",
                "/v1/chat/completions",
                &[
                    ("x-test-scenario", "sse"),
                    ("x-test-chunks", &chunks),
                    ("x-test-delay-ms", "1"),
                ],
                &chat_body("llama-3-8b", true),
            );
            assert!(r.is_ok_and(|r| r.status == 200), "SSE request failed");
        }
    });
    // Content chunks + usage + [DONE] per stream.
    let sent = (SSE_CLIENTS * SSE_REQUESTS) as u64 * (SSE_CHUNKS + 2);
    (cpu, sent)
}

fn wasm_opt() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("WASM_OPT") {
        return Some(PathBuf::from(p));
    }
    let on_path = Command::new("wasm-opt").arg("--version").output();
    if on_path.is_ok_and(|o| o.status.success()) {
        return Some(PathBuf::from("wasm-opt"));
    }
    [
        workspace_root().join("node_modules/.bin/wasm-opt"),
        PathBuf::from("/work/node-tools/node_modules/.bin/wasm-opt"),
    ]
    .into_iter()
    .find(|p| p.is_file())
}

fn sizes() {
    let wasm = plugin_wasm();
    let raw = std::fs::metadata(&wasm).map(|m| m.len()).unwrap_or(0);
    println!(
        "  .wasm raw (plugin-release):      {:>7.1} KB",
        raw as f64 / 1000.0
    );
    let Some(opt) = wasm_opt() else {
        println!("  wasm-opt not found (set WASM_OPT): size after wasm-opt not measured");
        return;
    };
    let out = std::env::temp_dir().join(format!("scalelens-plugin-{}.wasm", std::process::id()));
    // The features Rust 1.95 enables for wasm32-wasip1 by default.
    let status = Command::new(&opt)
        .args([
            "-Oz",
            "--enable-bulk-memory",
            "--enable-sign-ext",
            "--enable-nontrapping-float-to-int",
            "--enable-mutable-globals",
            "--enable-multivalue",
            "--enable-reference-types",
        ])
        .arg(&wasm)
        .arg("-o")
        .arg(&out)
        .status();
    match status {
        Ok(s) if s.success() => {
            let n = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
            println!(
                "  .wasm after wasm-opt -Oz:        {:>7.1} KB   (goal <= 200 KB: {})",
                n as f64 / 1000.0,
                if n <= 200_000 { "met" } else { "NOT met" }
            );
            let _ = std::fs::remove_file(&out);
        }
        other => println!("  wasm-opt failed: {other:?}"),
    }
}

/// Pin a process (all its threads) to `cpus` with util-linux `taskset`; false if not possible.
fn pin(pid: u32, cpus: &str) -> bool {
    Command::new("taskset")
        .args(["-a", "-p", "-c", cpus, &pid.to_string()])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The median of per-round values (robust to one disturbed round on a shared machine).
fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// One Envoy of the comparison and its measurements.
struct Variant {
    name: String,
    /// A cost probe (judged against no goal).
    probe: bool,
    envoy: Envoy,
    cpu_us: u64,
    chunks: u64,
}

impl Variant {
    fn new(name: &str, upstream: &Upstream, wasm: Option<&Path>, pinned: bool) -> Variant {
        let envoy = start_envoy(upstream, wasm);
        if pinned {
            pin(envoy.pid(), "0");
        }
        Variant {
            name: name.to_string(),
            probe: name.starts_with("probe-"),
            envoy,
            cpu_us: 0,
            chunks: 0,
        }
    }
}

/// The Lua peer's script (`plugin/bench/lua-peer.lua`).
const LUA_PEER: &str = "plugin/bench/lua-peer.lua";

/// The example config without the scalelens filter and with Envoy's built-in Lua filter
/// running [`LUA_PEER`] in its place (before the router).
fn lua_peer_yaml(config: &EnvoyConfig) -> String {
    let router = "          - name: envoy.filters.http.router";
    let yaml = config.render();
    assert_eq!(
        yaml.matches(router).count(),
        1,
        "one router filter in plugin/envoy.yaml"
    );
    let script = workspace_root().join(LUA_PEER);
    assert!(script.is_file(), "{} is missing", script.display());
    let lua = format!(
        "          - name: envoy.filters.http.lua\n            typed_config:\n              \
         \"@type\": type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua\n              \
         default_source_code: {{ filename: \"{}\" }}\n",
        script.display()
    );
    yaml.replace(router, &format!("{lua}{router}"))
}

impl Variant {
    /// Envoy with the Lua peer instead of the filter.
    fn lua_peer(upstream: &Upstream, pinned: bool) -> Variant {
        let config = EnvoyConfig {
            listener_port: free_port(),
            admin_port: free_port(),
            upstream_port: upstream.port,
            wasm: PathBuf::new(),
            plugin_json: None,
            without_filter: true,
        };
        let envoy =
            Envoy::start_rendered(&lua_peer_yaml(&config), &config, 1).unwrap_or_else(|e| {
                panic!("Envoy with the Lua peer exited ({:?}):\n{}", e.code, e.log)
            });
        if pinned {
            pin(envoy.pid(), "0");
        }
        Variant {
            name: LUA_NAME.to_string(),
            probe: false,
            envoy,
            cpu_us: 0,
            chunks: 0,
        }
    }
}

/// Panics when the Lua peer's Envoy logged a Lua error (a script error is logged per request
/// and the request passes unmeasured), after one SSE stream through it.
fn lua_ran_clean(variants: &[Variant]) {
    let Some(v) = variants.iter().find(|v| v.name == LUA_NAME) else {
        return;
    };
    let r = http(
        v.envoy.listener_port,
        "POST",
        "/v1/chat/completions",
        &[("x-test-scenario", "sse"), ("x-test-chunks", "3")],
        &chat_body("llama-3-8b", true),
    );
    assert!(r.is_ok_and(|r| r.status == 200), "SSE through the Lua peer");
    let log = v.envoy.log();
    let errors: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("[lua]") && (l.contains("[error]") || l.contains("[critical]")))
        .collect();
    assert!(
        errors.is_empty(),
        "the Lua peer failed:\n{}",
        errors.join("\n")
    );
}

/// The Lua peer's name in the output.
const LUA_NAME: &str = "lua-peer";

/// `median [min–max]` of per-round values.
fn spread(v: &[f64], unit: &str, digits: usize) -> String {
    let min = v.iter().copied().fold(f64::INFINITY, f64::min);
    let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    format!(
        "{:.digits$}{unit} [{min:.digits$}–{max:.digits$}]",
        median(v.to_vec())
    )
}

/// The goal's verdict for `v`; a cost probe is a measurement, not a candidate.
fn verdict(v: &Variant, goal: &str, met: bool) -> String {
    match (v.probe, met) {
        (true, _) => "cost probe".to_string(),
        (false, true) => format!("goal {goal}: met"),
        (false, false) => format!("goal {goal}: NOT met"),
    }
}

/// A wrk workload: the path and the Lua script that sets method, body and headers.
struct Workload {
    /// The route's short name in the summary (`GET`, `JSON`).
    short: &'static str,
    name: &'static str,
    path: &'static str,
    lua: String,
}

/// Alternating wrk rounds over the variants: requests/s, Envoy CPU per request, and each
/// filter's ratio to the first variant (no filter).
/// Returns, per variant, its Envoy CPU µs per request in each all-at-once round.
fn throughput(
    variants: &[Variant],
    w: &Workload,
    script: &Path,
    rounds: u64,
    seconds: u64,
) -> Vec<Vec<f64>> {
    println!("  -- requests/s: {} ({})", w.name, w.path);
    let n = variants.len();
    let mut rps = vec![Vec::new(); n];
    let (mut cpu, mut requests) = (vec![0u64; n], vec![0f64; n]);
    for round in 1..=rounds {
        let mut line = format!("  round {round}:");
        for (i, v) in variants.iter().enumerate() {
            let before = cpu_us(v.envoy.pid());
            let r = wrk(v.envoy.listener_port, seconds, script, w.path);
            cpu[i] += cpu_us(v.envoy.pid()).saturating_sub(before);
            requests[i] += r * seconds as f64;
            line += &format!("   {} {r:>8.0}", v.name);
            rps[i].push(r);
        }
        println!("{line}");
    }
    let per_request: Vec<f64> = (0..n)
        .map(|i| cpu[i] as f64 / requests[i].max(1.0))
        .collect();
    // The same load on every Envoy at once: each one's CPU per request, measured under the
    // same machine conditions (drift cancels). With Envoy the bottleneck, requests/s goes as
    // 1 / CPU per request, so the ratio of the two is the throughput ratio without the noise
    // of runs seconds apart.
    let mut implied = vec![Vec::new(); n];
    let mut cpu_per_round = vec![Vec::new(); n];
    let envoys: Vec<&Envoy> = variants.iter().map(|v| &v.envoy).collect();
    for _ in 0..rounds {
        let (script, path) = (script.to_path_buf(), w.path);
        let (cpu, rps) = all_at_once(&envoys, 1, move |port| wrk(port, seconds, &script, path));
        let cpu_per: Vec<f64> = cpu
            .iter()
            .zip(&rps)
            .map(|(c, r)| *c as f64 / (r.iter().sum::<f64>() * seconds as f64).max(1.0))
            .collect();
        for i in 0..n {
            implied[i].push(cpu_per[0] / cpu_per[i]);
            cpu_per_round[i].push(cpu_per[i]);
        }
    }
    for (i, v) in variants.iter().enumerate().skip(1) {
        // Each round's ratio pairs runs seconds apart (slow drift of the machine cancels);
        // the median of the rounds is the result, the ratio of the sums is shown beside it.
        let per_round: Vec<f64> = rps[i].iter().zip(&rps[0]).map(|(f, b)| f / b).collect();
        let ratio = median(per_round);
        let of_sums = rps[i].iter().sum::<f64>() / rps[0].iter().sum::<f64>();
        println!(
            "  requests/s ratio ({} / without): median {ratio:.3}, of sums {of_sums:.3}   ({});   Envoy CPU per request {:.1} us vs {:.1} us (+{:.1} us); all at once: CPU per request ratio {:.3}",
            v.name,
            verdict(v, ">= 0.80", ratio >= 0.80),
            per_request[i],
            per_request[0],
            per_request[i] - per_request[0],
            median(implied[i].clone()),
        );
    }
    cpu_per_round
}

/// The cost goals, each a ratio within a round (every Envoy loaded at once, so drift
/// cancels), as the median and spread over the rounds: per route, the filter's Envoy CPU per
/// request over the Lua peer's (goal ≤ 1), and per SSE chunk, the filter's CPU above
/// `probe-floor`'s (goal ≤ 1 µs).
fn summary(variants: &[Variant], per_request: &[(&str, Vec<Vec<f64>>)], per_chunk: &[Vec<f64>]) {
    let at = |name: &str| variants.iter().position(|v| v.name == name);
    let (Some(ours), Some(lua)) = (at("with filter"), at(LUA_NAME)) else {
        return;
    };
    let rounds = per_request.first().map_or(0, |(_, r)| r[ours].len());
    println!(
        "  == summary: median [min–max] over {rounds} rounds, each with every Envoy loaded at once"
    );
    for (route, cpu) in per_request {
        let ratio: Vec<f64> = cpu[ours]
            .iter()
            .zip(&cpu[lua])
            .map(|(o, l)| o / l)
            .collect();
        let median_ratio = median(ratio.clone());
        println!(
            "  {route:<4} Envoy CPU per request: filter {} / {LUA_NAME} {} / no filter {} = ratio {}   (goal <= 1: {})",
            spread(&cpu[ours], " us", 1),
            spread(&cpu[lua], " us", 1),
            spread(&cpu[0], " us", 1),
            spread(&ratio, "", 3),
            if median_ratio <= 1.0 { "met" } else { "NOT met" }
        );
    }
    if let Some(floor) = at("probe-floor") {
        if let (Some(o), Some(f)) = (per_chunk.get(ours), per_chunk.get(floor)) {
            let above: Vec<f64> = o.iter().zip(f).map(|(o, f)| o - f).collect();
            let m = median(above.clone());
            println!(
                "  SSE  extra Envoy CPU per chunk: filter {}, probe-floor {}, {LUA_NAME} {}; filter − probe-floor {}   (goal <= 1 us: {})",
                spread(o, " us", 2),
                spread(f, " us", 2),
                per_chunk.get(lua).map_or("-".into(), |l| spread(l, " us", 2)),
                spread(&above, " us", 2),
                if m <= 1.0 { "met" } else { "NOT met" }
            );
        }
    }
    // The earlier builds (`BENCH_BEFORE_WASM`), the same ratios for a before/after in one run.
    let before = variants
        .iter()
        .enumerate()
        .filter(|(i, v)| *i != 0 && *i != ours && *i != lua && !v.name.starts_with("probe-"));
    for (i, v) in before {
        for (route, cpu) in per_request {
            let ratio: Vec<f64> = cpu[i].iter().zip(&cpu[lua]).map(|(o, l)| o / l).collect();
            println!(
                "  {route:<4} Envoy CPU per request ({}): {} / {LUA_NAME} = ratio {}",
                v.name,
                spread(&cpu[i], " us", 1),
                spread(&ratio, "", 3),
            );
        }
        if let (Some(b), Some(f)) = (
            per_chunk.get(i),
            at("probe-floor").and_then(|f| per_chunk.get(f)),
        ) {
            let above: Vec<f64> = b.iter().zip(f).map(|(b, f)| b - f).collect();
            println!(
                "  SSE  extra Envoy CPU per chunk ({}): {}; − probe-floor {}",
                v.name,
                spread(b, " us", 2),
                spread(&above, " us", 2),
            );
        }
    }
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else to parse.
    let seconds = env_u64("BENCH_SECONDS", 5);
    let rounds = env_u64("BENCH_ROUNDS", 5);
    // Earlier builds and the cost probes, `:`-separated like PATH (each named by its file
    // stem).
    let paths = |var: &str| -> Vec<PathBuf> {
        std::env::var_os(var)
            .map(|v| std::env::split_paths(&v).collect())
            .unwrap_or_default()
    };
    let before = paths("BENCH_BEFORE_WASM");
    let probes = paths("BENCH_PROBES");
    let filter = plugin_wasm();
    println!("gateway filter benchmark: Envoy 1.40, 1 worker, {rounds} alternating rounds");
    sizes();

    // Envoy alone on CPU 0, this process (the upstream's threads) and wrk on the others: Envoy
    // is then the bottleneck and its cost is not mixed with the load generator's. Off with
    // BENCH_PIN=0 or on a single CPU.
    let cpus = thread::available_parallelism().map_or(1, |n| n.get());
    let pinned = std::env::var("BENCH_PIN").map_or(true, |v| v != "0")
        && cpus >= 2
        && pin(std::process::id(), &format!("1-{}", cpus - 1));
    println!(
        "  CPU pinning: {}",
        if pinned {
            "Envoy on CPU 0; upstream and wrk on the others"
        } else {
            "off"
        }
    );
    let upstream = Upstream::start();
    let workloads = [
        Workload {
            short: "GET",
            name: "plain proxied GET, not inspected",
            path: "/v1/models",
            lua: "wrk.method = \"GET\"\nwrk.headers[\"x-test-scenario\"] = \"json\"\n".to_string(),
        },
        Workload {
            short: "JSON",
            name: "JSON chat completions, bodies inspected",
            path: "/v1/chat/completions",
            lua: format!(
                "wrk.method = \"POST\"\nwrk.body = '{}'\nwrk.headers[\"content-type\"] = \"application/json\"\nwrk.headers[\"x-test-scenario\"] = \"json\"\n",
                chat_body("llama-3-8b", false)
            ),
        },
    ];
    let scripts: Vec<PathBuf> = workloads
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let p =
                std::env::temp_dir().join(format!("scalelens-wrk-{}-{i}.lua", std::process::id()));
            std::fs::write(&p, &w.lua).expect("write wrk script");
            p
        })
        .collect();

    // The first variant is the baseline; `BENCH_BEFORE_WASM` adds an earlier build of the
    // filter, measured in the same alternating rounds (before/after ratios from one run).
    let mut variants = vec![
        Variant::new("without filter", &upstream, None, pinned),
        Variant::new("with filter", &upstream, Some(&filter), pinned),
    ];
    variants.push(Variant::lua_peer(&upstream, pinned));
    println!(
        "  {LUA_NAME}: {LUA_PEER} in Envoy's built-in Lua filter (counts SSE `data:` events, \
         reads completion_tokens from the final chunk; no metrics)"
    );
    for b in before.iter().chain(&probes) {
        let name = b
            .file_stem()
            .map_or("before".into(), |n| n.to_string_lossy());
        println!("  {name}: {}", b.display());
        variants.push(Variant::new(&name, &upstream, Some(b), pinned));
    }
    if !probes.is_empty() {
        println!(
            "  cost probes (plugin/src/probe.rs): probe-count counts requests and reads nothing; \
             probe-floor makes only the host calls the signals need (cluster, clock, request \
             body, status, every response chunk, one histogram sample) and computes nothing"
        );
    }
    // Warm up (connection pools, the VMs).
    for v in &variants {
        for (w, script) in workloads.iter().zip(&scripts) {
            wrk(v.envoy.listener_port, 1, script, w.path);
        }
    }
    // The Lua peer ran its script on every workload, or the comparison is void.
    lua_ran_clean(&variants);
    // BENCH_ONLY=rps | sse runs one part (while investigating); default both.
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    // Per workload (GET, JSON, then SSE), per variant, per round: Envoy CPU µs per request
    // with every Envoy loaded at once.
    let mut per_request: Vec<(&str, Vec<Vec<f64>>)> = Vec::new();
    if only != "sse" {
        for (w, script) in workloads.iter().zip(&scripts) {
            per_request.push((w.short, throughput(&variants, w, script, rounds, seconds)));
        }
    }
    if only == "rps" {
        summary(&variants, &per_request, &[]);
        return;
    }

    let mut per_chunk_rounds: Vec<Vec<f64>> = vec![Vec::new(); variants.len()];
    let mut sse_cpu_rounds: Vec<Vec<f64>> = vec![Vec::new(); variants.len()];
    for round in 1..=rounds {
        let start = Instant::now();
        let envoys: Vec<&Envoy> = variants.iter().map(|v| &v.envoy).collect();
        let (cpu, n) = sse_round(&envoys);
        let mut line = format!("  round {round}: SSE Envoy CPU us");
        for (i, v) in variants.iter_mut().enumerate() {
            line += &format!("   {} {:>8}", v.name, cpu[i]);
            v.cpu_us += cpu[i];
            v.chunks += n;
            per_chunk_rounds[i].push((cpu[i] as f64 - cpu[0] as f64) / n.max(1) as f64);
            sse_cpu_rounds[i].push(cpu[i] as f64 / SSE_STREAMS as f64);
        }
        println!(
            "{line}   ({n} chunks each, {:.1} s)",
            start.elapsed().as_secs_f64()
        );
    }
    let base = &variants[0];
    for (i, v) in variants.iter().enumerate().skip(1) {
        let of_sums = (v.cpu_us as f64 - base.cpu_us as f64) / v.chunks.max(1) as f64;
        let per_chunk = median(per_chunk_rounds[i].clone());
        println!(
            "  extra Envoy CPU per SSE chunk ({}): median {per_chunk:.2} us, of sums {of_sums:.2} us   ({})",
            v.name,
            verdict(v, "<= 3 us", per_chunk <= 3.0)
        );
    }
    per_request.push(("SSE", sse_cpu_rounds));
    summary(&variants, &per_request, &per_chunk_rounds);
    for script in &scripts {
        let _ = std::fs::remove_file(script);
    }
    drop(variants);
    thread::sleep(Duration::from_millis(100));
}
