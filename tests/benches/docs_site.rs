//! The docs site's benchmark in headless Chromium (issue 16): not a timed test, a report. Run it
//! with `cargo xtask bench-web` (it builds the playground and the site first); without
//! `SCALELENS_BENCH_WEB=1` (which that task sets) it only says how to run it.
//!
//! Prints the time to first chart on the heaviest page (the page with the most live examples):
//! from navigation start (`performance.now()` origin) to the first embed having posted its
//! height with its chart canvas drawn (or, for a checked example, its diagnostic shown), median
//! of fresh loads, each in a new profile (nothing cached). The embed is scrolled into view as
//! soon as the page has loaded (they load lazily); polled every 20 ms through WebDriver, so the
//! figure may be late by one poll and a round trip.

use fantoccini::{Client, ClientBuilder};
use scalelens_tests::browser::{ChromeDriver, Profile, StaticServer};
use scalelens_tests::docs_site::{self, EMBED_STATE_JS};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const LOADS: usize = 3;

fn main() {
    if std::env::var_os("SCALELENS_BENCH_WEB").is_none() {
        println!("docs site benchmark: run it with `cargo xtask bench-web` (needs Chromium)");
        return;
    }
    if let Err(e) = run() {
        eprintln!("docs site benchmark failed: {e}");
        std::process::exit(1);
    }
}

async fn js(c: &Client, script: &str, args: Vec<Value>) -> Result<Value, String> {
    c.execute(script, args)
        .await
        .map_err(|e| format!("script failed: {e}"))
}

/// Milliseconds from navigation start to the first embed being ready, in one fresh profile.
async fn first_chart(driver: &ChromeDriver, url: &str) -> Result<f64, String> {
    let profile = Profile::fresh("docs-bench")?;
    scalelens_tests::browser::tls_provider();
    let c = ClientBuilder::rustls()
        .map_err(|e| format!("TLS set-up: {e}"))?
        .capabilities(docs_site::capabilities(profile.path(), 1280, 1000))
        .connect(&driver.url())
        .await
        .map_err(|e| format!("cannot start Chromium: {e}"))?;
    let outcome = async {
        c.goto(url).await.map_err(|e| format!("{url}: {e}"))?;
        let deadline = Instant::now() + Duration::from_secs(120);
        let script = format!("{EMBED_STATE_JS}\n;");
        loop {
            let s = js(
                &c,
                &format!("const st = (function() {{ {script} }}).apply(null, arguments); return [st, performance.now()];"),
                vec![json!(0)],
            )
            .await?;
            let state = s.get(0).cloned().unwrap_or(Value::Null);
            let flag = |k: &str| state.get(k).and_then(Value::as_bool).unwrap_or(false);
            let ready = flag("loaded")
                && flag("shows")
                && (!flag("replayed") || (flag("canvas") && flag("drawn")));
            if ready {
                return s
                    .get(1)
                    .and_then(Value::as_f64)
                    .ok_or_else(|| "no performance.now()".to_string());
            }
            if Instant::now() > deadline {
                return Err(format!("the first embed was not ready in 120 s: {state}"));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    .await;
    let _ = c.close().await;
    drop(profile);
    outcome
}

fn run() -> Result<(), String> {
    let site = docs_site::site_dir()?;
    let (page, embeds) =
        docs_site::heaviest_page(&site).ok_or_else(|| "no page in the site".to_string())?;
    let server = StaticServer::start(&site)?;
    let driver = ChromeDriver::start()?;
    let url = format!("{}{page}", server.url());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("tokio: {e}"))?;
    let mut times = Vec::new();
    for _ in 0..LOADS {
        times.push(rt.block_on(first_chart(&driver, &url))?);
    }
    times.sort_by(f64::total_cmp);
    let median = times.get(times.len() / 2).copied().unwrap_or(f64::NAN);
    println!(
        "docs site: time to first chart on the heaviest page ({page}, {embeds} live examples): \
         median {median:.0} ms of {LOADS} fresh loads (all: {})",
        times
            .iter()
            .map(|t| format!("{t:.0}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(())
}
