//! The gateway filter's cost in Envoy (run by `cargo xtask bench-plugin`; prints, asserts
//! nothing). Envoy 1.40 with one worker (`--concurrency 1`), the same loopback upstream, the
//! example `plugin/envoy.yaml` with and without the filter block, runs alternating:
//!
//! 1. requests/s with wrk (keep-alive, `POST /v1/chat/completions`, JSON completions: the
//!    filter inspects the request body and the JSON response) — goal ≥ 0.80 of the baseline;
//! 2. Envoy CPU per SSE chunk: concurrent streaming requests whose chunks arrive 1 ms apart
//!    (so each is its own body callback), Envoy's user+system CPU from `/proc/<pid>/stat`
//!    divided by the chunks sent — the difference is the filter's cost per chunk (goal ≤ 3 µs);
//! 3. the `.wasm` size, raw and after `wasm-opt -Oz` (goal ≤ 200 KB).
//!
//! Environment: `WRK` (default `wrk` on PATH), `WASM_OPT` (default `wasm-opt` on PATH, then
//! `node_modules/.bin/wasm-opt` under the workspace or /work/node-tools), `BENCH_SECONDS`
//! (default 5), `BENCH_ROUNDS` (default 3), `BENCH_PLUGIN_JSON` (the filter's configuration;
//! default: the example's).

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

fn start_envoy(upstream: &Upstream, with_filter: bool) -> Envoy {
    let config = EnvoyConfig {
        listener_port: free_port(),
        admin_port: free_port(),
        upstream_port: upstream.port,
        wasm: plugin_wasm(),
        plugin_json: std::env::var("BENCH_PLUGIN_JSON").ok(),
        without_filter: !with_filter,
    };
    Envoy::start_with(&config, 1)
        .unwrap_or_else(|e| panic!("Envoy exited ({:?}):\n{}", e.code, e.log))
}

/// wrk's `Requests/sec`.
fn wrk(port: u16, seconds: u64, script: &Path) -> f64 {
    let wrk = std::env::var("WRK").unwrap_or_else(|_| "wrk".to_string());
    let out = Command::new(&wrk)
        .args(["-t1", "-c16", &format!("-d{seconds}s"), "-s"])
        .arg(script)
        .arg(format!("http://127.0.0.1:{port}/v1/chat/completions"))
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

/// User + system CPU of a process, in microseconds (`/proc/<pid>/stat` fields 14 and 15).
fn cpu_us(pid: u32) -> u64 {
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

const SSE_CLIENTS: usize = 8;
const SSE_REQUESTS: usize = 12;
const SSE_CHUNKS: u64 = 200;

/// Envoy CPU µs spent on `SSE_CLIENTS × SSE_REQUESTS` streams of `SSE_CHUNKS` chunks.
fn sse_cpu(envoy: &Envoy) -> (u64, u64) {
    let port = envoy.listener_port;
    let before = cpu_us(envoy.pid());
    let chunks = SSE_CHUNKS.to_string();
    let clients: Vec<_> = (0..SSE_CLIENTS)
        .map(|_| {
            let chunks = chunks.clone();
            thread::spawn(move || {
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
            })
        })
        .collect();
    for c in clients {
        c.join().expect("SSE client");
    }
    let after = cpu_us(envoy.pid());
    // Content chunks + usage + [DONE] per stream.
    let sent = (SSE_CLIENTS * SSE_REQUESTS) as u64 * (SSE_CHUNKS + 2);
    (after.saturating_sub(before), sent)
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

fn main() {
    // `cargo bench` passes `--bench`; nothing else to parse.
    let seconds = env_u64("BENCH_SECONDS", 5);
    let rounds = env_u64("BENCH_ROUNDS", 3);
    println!("gateway filter benchmark: Envoy 1.40, 1 worker, {rounds} alternating rounds");
    sizes();

    let upstream = Upstream::start();
    let script = std::env::temp_dir().join(format!("scalelens-wrk-{}.lua", std::process::id()));
    std::fs::write(
        &script,
        format!(
            "wrk.method = \"POST\"\nwrk.body = '{}'\nwrk.headers[\"content-type\"] = \"application/json\"\nwrk.headers[\"x-test-scenario\"] = \"json\"\n",
            chat_body("llama-3-8b", false)
        ),
    )
    .expect("write wrk script");

    let base = start_envoy(&upstream, false);
    let filtered = start_envoy(&upstream, true);
    // Warm up both (connection pools, the VM).
    wrk(base.listener_port, 1, &script);
    wrk(filtered.listener_port, 1, &script);

    let (mut rps_base, mut rps_filter) = (Vec::new(), Vec::new());
    for round in 1..=rounds {
        let b = wrk(base.listener_port, seconds, &script);
        let f = wrk(filtered.listener_port, seconds, &script);
        println!(
            "  round {round}: requests/s without {b:>9.0}   with filter {f:>9.0}   ratio {:.3}",
            f / b
        );
        rps_base.push(b);
        rps_filter.push(f);
    }
    let sum = |v: &[f64]| v.iter().sum::<f64>();
    let ratio = sum(&rps_filter) / sum(&rps_base);
    println!(
        "  requests/s ratio (with / without, proxied JSON chat completions): {ratio:.3}   (goal >= 0.80: {})",
        if ratio >= 0.80 { "met" } else { "NOT met" }
    );

    let (mut cpu_base, mut cpu_filter, mut chunks) = (0u64, 0u64, 0u64);
    for round in 1..=rounds {
        let start = Instant::now();
        let (b, n) = sse_cpu(&base);
        let (f, _) = sse_cpu(&filtered);
        println!(
            "  round {round}: SSE Envoy CPU without {:>7} us   with filter {:>7} us   ({n} chunks each, {:.1} s)",
            b,
            f,
            start.elapsed().as_secs_f64()
        );
        cpu_base += b;
        cpu_filter += f;
        chunks += n;
    }
    let per_chunk = (cpu_filter as f64 - cpu_base as f64) / chunks.max(1) as f64;
    println!(
        "  extra Envoy CPU per SSE chunk: {per_chunk:.2} us   (goal <= 3 us: {}; /proc CPU has 10 ms resolution)",
        if per_chunk <= 3.0 { "met" } else { "NOT met" }
    );
    let _ = std::fs::remove_file(&script);
    drop((base, filtered));
    thread::sleep(Duration::from_millis(100));
}
