//! The playground's benchmark in headless Chromium (issue 4, "Speed"): not a timed test, a
//! report. Run it with `cargo xtask bench-web` (it builds `dist/` first); without
//! `SCALELENS_BENCH_WEB=1` (which that task sets) it only says how to run it, so a plain
//! `cargo bench -p scalelens-tests` does not need Chromium.
//!
//! Prints:
//! - release wasm size, gzipped (goal <= 400 KB);
//! - first paint after load: Performance API `first-contentful-paint` and the time to
//!   `body[data-app-ready]` (goal <= 1 s), median of fresh loads with no saved state (the seed
//!   case is loaded);
//! - edit -> chart updated for 1 day of samples at 1 s resolution (86 400 rows; goal <= 50 ms):
//!   the app's own `data-last-render-ms` (from the debounced re-run's start to both charts drawn),
//!   median over N edits of the YAML target, each a keystroke in the code editor (the target's
//!   last digit selected from the keyboard, the new digit typed over it by the browser's own text
//!   insertion), plus the wall time from that keystroke to the new render as seen from WebDriver
//!   (includes the 150 ms debounce and polling).

use fantoccini::{Client, ClientBuilder};
use scalelens_tests::browser::{
    chromium_capabilities, dist_dir, ChromeDriver, Profile, StaticServer,
};
use scalelens_tests::read_testdata;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const LOADS: usize = 5;
const EDITS: usize = 11;

fn main() {
    if std::env::var_os("SCALELENS_BENCH_WEB").is_none() {
        println!(
            "web benchmark: run it with `cargo xtask bench-web` (builds dist/, needs Chromium)"
        );
        return;
    }
    if let Err(e) = run() {
        eprintln!("web benchmark failed: {e}");
        std::process::exit(1);
    }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

fn verdict(value: f64, goal: f64) -> &'static str {
    if value <= goal {
        "meets the goal"
    } else {
        "MISSES the goal"
    }
}

async fn js(c: &Client, script: &str, args: Vec<Value>) -> Result<Value, String> {
    c.execute(script, args)
        .await
        .map_err(|e| format!("script failed: {e}\n{script}"))
}

async fn wait_js(c: &Client, what: &str, script: &str, args: Vec<Value>) -> Result<Value, String> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let v = js(c, script, args.clone()).await?;
        if !v.is_null() && v != json!(false) {
            return Ok(v);
        }
        if Instant::now() > deadline {
            return Err(format!("timed out waiting for {what}"));
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

const READY: &str =
    "return document.body && document.body.getAttribute('data-app-ready') === 'true' \
                     ? performance.now() : null;";
const RENDERS: &str = "const el = document.getElementById('timeline-summary'); \
                       return el ? Number(el.getAttribute('data-render-count') || 0) : 0;";

/// One day at 1 s: `time,value` (a diurnal curve with noise, in the 0-1 fraction of the seed
/// autoscaler's metric, summed over a few pods).
fn day_samples() -> String {
    let mut s = String::with_capacity(86_400 * 14);
    s.push_str("time,value\n");
    let mut noise = scalelens_tests::Noise::new(42);
    for t in 0..86_400u32 {
        let noise = noise.sample();
        let day = f64::from(t) / 86_400.0;
        let v = (0.5 - 0.5 * (2.0 * std::f64::consts::PI * day).cos()) * 3.0 + 0.2 * noise;
        s.push_str(&format!("{t},{:.3}\n", v.max(0.0)));
    }
    s
}

fn run() -> Result<(), String> {
    let dist = dist_dir()?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let server = StaticServer::start(&dist)?;
    let driver = ChromeDriver::start()?;
    println!(
        "web benchmark: headless Chromium, dist/ from {}",
        dist.display()
    );

    // Wasm size.
    let wasm = std::fs::read_dir(&dist)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "wasm"))
        .max_by_key(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .ok_or("no .wasm in dist/")?;
    let raw = std::fs::metadata(&wasm).map_err(|e| e.to_string())?.len();
    let gz = std::process::Command::new("gzip")
        .args(["-9", "-c"])
        .arg(&wasm)
        .output()
        .map_err(|e| format!("gzip: {e}"))?
        .stdout
        .len();
    let gz_kb = gz as f64 / 1024.0;
    println!(
        "wasm size: {:.0} KB raw, {gz_kb:.0} KB gzipped (goal <= 400 KB: {})",
        raw as f64 / 1024.0,
        verdict(gz_kb, 400.0)
    );

    rt.block_on(async {
        let profile = Profile::fresh("bench")?;
        let c = {
            scalelens_tests::browser::tls_provider();
            ClientBuilder::rustls()
        }
        .map_err(|e| e.to_string())?
        .capabilities(chromium_capabilities(profile.path(), 1400, 1800))
        .connect(&driver.url())
        .await
        .map_err(|e| format!("cannot start Chromium: {e}"))?;
        let result = measure(&c, &server.url()).await;
        let _ = c.close().await;
        result
    })
}

async fn measure(c: &Client, url: &str) -> Result<(), String> {
    // First paint: fresh loads with no saved state (the server sends no-store, so every load
    // fetches and compiles the wasm again).
    let mut fcp = Vec::new();
    let mut ready = Vec::new();
    for _ in 0..LOADS {
        c.goto(url).await.map_err(|e| e.to_string())?;
        js(c, "localStorage.clear(); return true;", vec![]).await?;
        c.goto("about:blank").await.map_err(|e| e.to_string())?;
        c.goto(url).await.map_err(|e| e.to_string())?;
        let r = wait_js(c, "data-app-ready", READY, vec![]).await?;
        ready.push(r.as_f64().unwrap_or(f64::NAN));
        let f = wait_js(
            c,
            "first-contentful-paint",
            "const e = performance.getEntriesByName('first-contentful-paint')[0]; \
             return e ? e.startTime : null;",
            vec![],
        )
        .await?;
        fcp.push(f.as_f64().unwrap_or(f64::NAN));
    }
    let fcp_ms = median(&mut fcp);
    let ready_ms = median(&mut ready);
    println!(
        "first paint after load (median of {LOADS} loads, seed case): first-contentful-paint {fcp_ms:.0} ms, \
         app ready (first render done) {ready_ms:.0} ms (goal <= 1000 ms: {})",
        verdict(fcp_ms.max(ready_ms), 1000.0)
    );

    // Edit -> chart: one day of samples at 1 s, then edits of the target.
    let yaml = read_testdata("examples/seed-kpa-gpu-cache/autoscaler.yaml");
    let samples = day_samples();
    // The samples textarea: its value and an `input` event; the YAML code editor: Ctrl+A and a
    // paste (CodeMirror's own paste handling).
    let set = "const el = document.getElementById(arguments[0]); el.value = arguments[1]; \
               el.dispatchEvent(new Event('input', { bubbles: true })); return true;";
    let paste = "const el = document.getElementById(arguments[0]); el.focus(); \
               el.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', ctrlKey: true, bubbles: true, cancelable: true })); \
               const dt = new DataTransfer(); dt.setData('text/plain', arguments[1]); \
               el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true })); \
               return el.value === arguments[1];";
    // The keyboard to the target's last digit (1-based line `arguments[0]`, the digit before
    // the closing quote), selected.
    let to_digit = "const el = document.getElementById('yaml-editor'); el.focus(); \
               const key = (k, o) => el.dispatchEvent(new KeyboardEvent('keydown', \
                 Object.assign({ key: k, bubbles: true, cancelable: true }, o || {}))); \
               key('Home', { ctrlKey: true }); for (let i = 1; i < arguments[0]; i++) key('ArrowDown'); \
               key('End'); key('ArrowLeft'); key('ArrowLeft', { shiftKey: true }); return true;";
    let type_over = "return document.execCommand('insertText', false, arguments[0]);";
    let target_line = yaml
        .lines()
        .position(|l| l.contains("targetValue: \"0.5\""))
        .ok_or("no targetValue in the seed")?
        + 1;
    let before = js(c, RENDERS, vec![]).await?.as_u64().unwrap_or(0);
    js(c, set, vec![json!("samples-editor"), json!(samples)]).await?;
    let pasted = js(c, paste, vec![json!("yaml-editor"), json!(yaml)]).await?;
    if pasted != json!(true) {
        return Err("the seed YAML did not land in the code editor".into());
    }
    wait_js(
        c,
        "the day of samples rendered",
        "const el = document.getElementById('timeline-summary'); \
         return el && Number(el.getAttribute('data-render-count')) > arguments[0] \
           && el.getAttribute('data-final-replicas') ? true : null;",
        vec![json!(before)],
    )
    .await?;
    let decisions = js(
        c,
        "return document.getElementById('timeline-summary').textContent;",
        vec![],
    )
    .await?;
    println!(
        "edit benchmark input: {} rows of samples ({} KB); {}",
        86_400,
        samples.len() / 1024,
        decisions.as_str().unwrap_or("").trim()
    );
    let mut app_ms = Vec::new();
    let mut wall_ms = Vec::new();
    for i in 0..EDITS {
        let digit = if i % 2 == 0 { "6" } else { "5" };
        js(c, to_digit, vec![json!(target_line)]).await?;
        let n = js(c, RENDERS, vec![]).await?.as_u64().unwrap_or(0);
        let start = Instant::now();
        js(c, type_over, vec![json!(digit)]).await?;
        let v = wait_js(
            c,
            "the re-render after an edit",
            "const el = document.getElementById('timeline-summary'); \
             return el && Number(el.getAttribute('data-render-count')) > arguments[0] \
               ? el.getAttribute('data-last-render-ms') : null;",
            vec![json!(n)],
        )
        .await?;
        wall_ms.push(start.elapsed().as_secs_f64() * 1000.0);
        // Let the debounced save (fragment + localStorage, 400 ms) finish outside the next
        // measurement.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        app_ms.push(
            v.as_str()
                .and_then(|s| s.parse::<f64>().ok())
                .unwrap_or(f64::NAN),
        );
    }
    let app = median(&mut app_ms);
    let wall = median(&mut wall_ms);
    println!(
        "edit -> chart updated, 1 day at 1 s (median of {EDITS} edits): {app:.1} ms in the app \
         (re-run + both charts drawn; goal <= 50 ms: {}); {wall:.0} ms from the input event as \
         seen by WebDriver (includes the 150 ms debounce)",
        verdict(app, 50.0)
    );
    println!(
        "  app times (sorted): {}",
        app_ms
            .iter()
            .map(|v| format!("{v:.1}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    Ok(())
}
