//! The built docs site in headless Chromium (issue 16, "Tests (real Chromium)"): every page of
//! the book (every `.html` but the playground's own build) is opened from a loopback server
//! over `<target>/docs-site/` (`cargo xtask docs`), and
//! - no console message is an error (Chromium's log, read from ChromeDriver after each page:
//!   script errors, failed loads, in the page and in its same-origin embeds);
//! - every internal link, image and iframe resolves to a built file, and every `#anchor` to an
//!   `id` in it;
//! - every live example (a rule page's `.scalelens-embed`) loads: it posts its height (the page
//!   swaps the static picture for it), its chart canvas exists, is drawn when the example is a
//!   replay, and it shows the code its page is about (read inside the same-origin iframe).
//!
//! `#[ignore]`d in a plain `cargo test` (it needs the built site and Chromium); `cargo xtask
//! test` builds the site and runs it. A missing site is a failure with the command that fixes
//! it. Bounded: each embed gets [`EMBED_WAIT`], the whole run [`TOTAL`].

use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use scalelens_tests::browser::{save_artifact, ChromeDriver, Profile, StaticServer};
use scalelens_tests::docs_site::{self, Files, EMBED_STATE_JS, LINKS_JS};
use serde_json::{json, Value};

/// Longest wait for one embed to load, replay and draw (the first one also compiles the wasm).
const EMBED_WAIT: Duration = Duration::from_secs(60);
/// Longest run of the whole test (about 110 pages, most with one embed).
const TOTAL: Duration = Duration::from_secs(20 * 60);

type R<T = ()> = Result<T, String>;

async fn js(c: &Client, script: &str, args: Vec<Value>) -> R<Value> {
    c.execute(script, args)
        .await
        .map_err(|e| format!("script failed: {e}"))
}

/// Wait until the page's document has loaded.
async fn loaded(c: &Client) -> R {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let v = js(c, "return document.readyState;", vec![]).await?;
        if v.as_str() == Some("complete") {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err("the page did not finish loading in 30 s".into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Wait for embed `i` of the page to be loaded, drawn and showing its code.
async fn embed_ok(c: &Client, i: usize) -> R<Value> {
    let deadline = Instant::now() + EMBED_WAIT;
    loop {
        let s = js(c, EMBED_STATE_JS, vec![json!(i)]).await?;
        let flag = |k: &str| s.get(k).and_then(Value::as_bool).unwrap_or(false);
        let replayed = flag("replayed");
        // A checked-only example (a YAML rule) replays nothing: no chart to wait for.
        if flag("loaded") && flag("shows") && (!replayed || (flag("canvas") && flag("drawn"))) {
            return Ok(s);
        }
        if Instant::now() > deadline {
            return Err(format!(
                "embed {i} not ready after {EMBED_WAIT:?} (loaded = the page got its height; \
                 canvas, drawn: its chart, for a replay; shows = what the page says it shows): {s}"
            ));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Everything wrong with one page.
async fn check_page(
    c: &Client,
    driver: &str,
    session: &str,
    base: &str,
    site: &std::path::Path,
    files: &mut Files,
    page: &str,
) -> R<Vec<String>> {
    let url = format!("{base}{page}");
    c.goto(&url)
        .await
        .map_err(|e| format!("cannot open {url}: {e}"))?;
    loaded(c).await?;
    let mut problems = Vec::new();
    let links = js(c, LINKS_JS, vec![]).await?;
    for href in links
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if let Some(p) = files.link_problem(site, base, href) {
            problems.push(format!("{page}: link {p}"));
        }
    }
    let n = js(
        c,
        "return document.querySelectorAll('.scalelens-embed').length;",
        vec![],
    )
    .await?
    .as_u64()
    .unwrap_or(0);
    for i in 0..n as usize {
        if let Err(e) = embed_ok(c, i).await {
            problems.push(format!("{page}: {e}"));
        }
    }
    for (level, message) in docs_site::browser_log(driver, session)? {
        if level == "SEVERE" {
            problems.push(format!("{page}: console {level}: {message}"));
        }
    }
    Ok(problems)
}

#[test]
#[ignore = "needs the built docs site (cargo xtask docs) and Chromium: cargo xtask test runs it"]
fn every_page_opens_clean_with_its_links_and_live_examples() {
    let site = docs_site::site_dir().unwrap_or_else(|e| panic!("docs site: {e}"));
    let pages = docs_site::pages(&site);
    assert!(
        pages.len() >= 100,
        "only {} pages in {}",
        pages.len(),
        site.display()
    );
    let server = StaticServer::start(&site).unwrap_or_else(|e| panic!("docs site: {e}"));
    let driver = ChromeDriver::start().unwrap_or_else(|e| panic!("docs site: {e}"));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let started = Instant::now();
    let result: R<(Vec<String>, usize)> = rt.block_on(async {
        let profile = Profile::fresh("docs-site")?;
        scalelens_tests::browser::tls_provider();
        let c = ClientBuilder::rustls()
            .map_err(|e| format!("TLS set-up: {e}"))?
            .capabilities(docs_site::capabilities(profile.path(), 1280, 1000))
            .connect(&driver.url())
            .await
            .map_err(|e| format!("cannot start Chromium through ChromeDriver: {e}"))?;
        let session = c
            .session_id()
            .await
            .map_err(|e| format!("no session id: {e}"))?
            .unwrap_or_default();
        let mut files = Files::default();
        let mut problems = Vec::new();
        let mut embeds = 0;
        let base = server.url();
        for page in &pages {
            if started.elapsed() > TOTAL {
                problems.push(format!("stopped after {TOTAL:?}, at {page}"));
                break;
            }
            let before = problems.len();
            match check_page(&c, &driver.url(), &session, &base, &site, &mut files, page).await {
                Ok(p) => problems.extend(p),
                Err(e) => problems.push(format!("{page}: {e}")),
            }
            embeds += std::fs::read_to_string(site.join(page))
                .map(|t| docs_site::embeds_in(&t))
                .unwrap_or(0);
            if problems.len() > before {
                for p in &problems[before..] {
                    eprintln!("problem: {p}");
                }
                if let Ok(png) = c.screenshot().await {
                    let name = format!("docs-{}", page.replace(['/', '.'], "-"));
                    let _ = save_artifact(&name, &png);
                }
            }
        }
        let _ = c.close().await;
        drop(profile);
        Ok((problems, embeds))
    });
    drop(driver);
    drop(server);
    let (problems, embeds) = result.unwrap_or_else(|e| panic!("docs site: {e}"));
    println!(
        "docs site: {} pages, {embeds} live examples, in {:.1} s",
        pages.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(embeds >= 80, "only {embeds} live examples");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
