//! Plumbing for the docs site's browser test (`tests/tests/docs_browser.rs`) and its benchmark
//! (`tests/benches/docs_site.rs`): where the built site is, its pages, the static check of a
//! link against the built files, the page scripts both run, and Chromium's console log read
//! from ChromeDriver. Standard library only (plus `serde_json`), like [`crate::browser`].

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::browser;

/// The built site: `$SCALELENS_DOCS_SITE`, else `<target>/docs-site` (`cargo xtask docs`).
/// Errors (with the fix) unless it holds the book and the playground.
pub fn site_dir() -> Result<PathBuf, String> {
    let dir = std::env::var_os("SCALELENS_DOCS_SITE")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::paths::target_dir().join("docs-site"));
    let fix = "build it with `cargo xtask dist && cargo xtask docs` (`cargo xtask test` does)";
    for need in ["index.html", "playground/index.html", "rules/flapping.html"] {
        if !dir.join(need).is_file() {
            return Err(format!(
                "the built docs site is incomplete: no {}; {fix}",
                dir.join(need).display()
            ));
        }
    }
    Ok(dir)
}

/// mdBook's files that are not pages of the book ([`pages`]).
const NOT_PAGES: &[&str] = &["404.html", "toc.html"];

/// Every page of the built book (`.html` files, the playground's build excepted: its own
/// tests open it; and [`NOT_PAGES`]), relative to the site, `/`-separated, sorted.
pub fn pages(site: &Path) -> Vec<String> {
    crate::files_under(site, "html")
        .into_iter()
        .filter_map(|p| {
            let rel = p
                .strip_prefix(site)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            // mdBook's 404 page sets `<base href="/">` for a server to serve at any missing
            // URL: its links resolve only from the site root, not as a page of the book; its
            // `toc.html` is the sidebar every page frames for readers without scripts (opened
            // alone, Chromium asks the site for a `/favicon.ico` it has not).
            (!rel.starts_with("playground/") && !NOT_PAGES.contains(&rel.as_str())).then_some(rel)
        })
        .collect()
}

/// How many live examples a built page holds.
pub fn embeds_in(html: &str) -> usize {
    html.matches("class=\"scalelens-embed\"").count()
}

/// The page with the most live examples (the first of those, in order), and how many.
pub fn heaviest_page(site: &Path) -> Option<(String, usize)> {
    pages(site)
        .into_iter()
        .filter_map(|p| {
            let n = embeds_in(&std::fs::read_to_string(site.join(&p)).ok()?);
            Some((p, n))
        })
        .fold(None, |best: Option<(String, usize)>, (p, n)| match best {
            Some((_, m)) if m >= n => best,
            _ => Some((p, n)),
        })
}

/// The built files' texts, read once each, for anchor checks.
#[derive(Default)]
pub struct Files {
    texts: BTreeMap<PathBuf, Option<String>>,
}

impl Files {
    fn text(&mut self, path: &Path) -> Option<&str> {
        self.texts
            .entry(path.to_path_buf())
            .or_insert_with(|| std::fs::read_to_string(path).ok())
            .as_deref()
    }

    /// What is wrong with the internal link `href` (an absolute URL under `base`, the server's
    /// `http://127.0.0.1:PORT/`): `None` when its file exists and its `#anchor`, if any, is an
    /// `id` in it. A link elsewhere is not checked. The playground's fragment is its state,
    /// not an anchor.
    pub fn link_problem(&mut self, site: &Path, base: &str, href: &str) -> Option<String> {
        let rest = href.strip_prefix(base)?;
        let (path, anchor) = match rest.split_once('#') {
            Some((p, a)) => (p, Some(a)),
            None => (rest, None),
        };
        let path = format!("/{}", path.split('?').next().unwrap_or(""));
        let Some(file) = browser::resolve(site, &path) else {
            return Some(format!("{href}: outside the site"));
        };
        if !file.is_file() {
            return Some(format!("{href}: no file {}", file.display()));
        }
        let anchor = anchor.filter(|a| !a.is_empty() && !path.starts_with("/playground/"))?;
        if file.extension().is_none_or(|e| e != "html") {
            return None;
        }
        let decoded = percent_decode(anchor);
        let text = self.text(&file)?;
        let found = [
            format!("id=\"{decoded}\""),
            format!("id='{decoded}'"),
            format!("name=\"{decoded}\""),
        ]
        .iter()
        .any(|needle| text.contains(needle.as_str()));
        (!found).then(|| format!("{href}: no element with id {decoded:?}"))
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A page script: every link's resolved `href` (`a[href]`), and every `img`/`iframe` `src`.
pub const LINKS_JS: &str =
    "return Array.from(document.querySelectorAll('a[href]')).map(a => a.href)\
    .concat(Array.from(document.querySelectorAll('img[src], iframe[src]')).map(e => e.src));";

/// A page script (argument: the embed's index): bring the embed into view (it loads lazily)
/// and report its state: `{shows_what, replayed, loaded, canvas, drawn, shows}`: `loaded` when
/// it posted its height (the page swapped the picture for it), `canvas` when the embed's chart
/// canvas exists, `drawn` when that canvas has a pixel that is not its background, `shows` when
/// the embed shows what the page says it does (`data-shows`: a rule page's code, as a
/// diagnostic's `data-code` or in its text).
pub const EMBED_STATE_JS: &str = r#"
const box = document.querySelectorAll('.scalelens-embed')[arguments[0]];
if (!box) return null;
box.scrollIntoView({block: 'center'});
const f = box.querySelector('iframe');
const code = box.getAttribute('data-shows');
const out = {shows_what: code, replayed: box.getAttribute('data-replayed') === 'true',
  loaded: box.classList.contains('loaded'), canvas: false, drawn: false, shows: false};
let d = null;
try { d = f && f.contentDocument; } catch (e) { d = null; }
if (!d) return out;
const c = d.getElementById('chart-metric');
out.canvas = !!c && c.width > 0 && c.height > 0;
if (out.canvas) {
  try {
    const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 0; i < px.length; i += 4 * 7) {
      if (px[i + 3] !== 0 && (px[i] < 200 || px[i + 1] < 200 || px[i + 2] < 200)) { out.drawn = true; break; }
    }
  } catch (e) { out.drawn = false; }
}
out.shows = !!d.querySelector('[data-code="' + code + '"]') ||
  (!!d.body && d.body.innerText.indexOf(code) >= 0);
return out;
"#;

/// Chromium's console messages since the last call (`goog:loggingPrefs` `browser: ALL` in the
/// capabilities), read from ChromeDriver's log endpoint: `(level, message)` pairs.
pub fn browser_log(driver_url: &str, session: &str) -> Result<Vec<(String, String)>, String> {
    let addr = driver_url
        .strip_prefix("http://")
        .ok_or_else(|| format!("not an http URL: {driver_url}"))?;
    let body = r#"{"type":"browser"}"#;
    let mut s = TcpStream::connect(addr).map_err(|e| format!("ChromeDriver at {addr}: {e}"))?;
    let _ = s.set_read_timeout(Some(Duration::from_secs(20)));
    write!(
        s,
        "POST /session/{session}/se/log HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .map_err(|e| format!("ChromeDriver log request: {e}"))?;
    // ChromeDriver keeps the connection open: read the headers, then Content-Length bytes.
    let mut raw = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    loop {
        let head_end = raw.windows(4).position(|w| w == b"\r\n\r\n");
        if let Some(end) = head_end {
            let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
            let len = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok());
            if len.is_some_and(|n| raw.len() >= end + 4 + n) {
                break;
            }
        }
        let n = s
            .read(&mut buf)
            .map_err(|e| format!("ChromeDriver log response: {e}"))?;
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&raw);
    let json = text
        .find('{')
        .zip(text.rfind('}'))
        .and_then(|(a, b)| text.get(a..=b))
        .ok_or_else(|| format!("ChromeDriver log response without JSON: {text}"))?;
    let v: serde_json::Value =
        serde_json::from_str(json).map_err(|e| format!("ChromeDriver log JSON: {e}: {json}"))?;
    let entries = v
        .get("value")
        .and_then(|e| e.as_array())
        .ok_or_else(|| format!("ChromeDriver log: no entries: {json}"))?;
    Ok(entries
        .iter()
        .map(|e| {
            let field = |k: &str| {
                e.get(k)
                    .and_then(|x| x.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            (field("level"), field("message"))
        })
        .collect())
}

/// [`browser::chromium_capabilities`] with the console log kept for [`browser_log`].
pub fn capabilities(
    profile: &Path,
    width: u32,
    height: u32,
) -> serde_json::Map<String, serde_json::Value> {
    let mut caps = browser::chromium_capabilities(profile, width, height);
    caps.insert(
        "goog:loggingPrefs".into(),
        serde_json::json!({ "browser": "ALL" }),
    );
    caps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_anchors_are_checked_against_the_files() {
        let dir = std::env::temp_dir().join(format!("scalelens-docs-links-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("rules")).unwrap();
        std::fs::write(dir.join("rules/a.html"), "<h2 id=\"fix\">Fix</h2>").unwrap();
        let base = "http://127.0.0.1:1/";
        let mut files = Files::default();
        assert_eq!(
            files.link_problem(&dir, base, "https://example.com/x"),
            None
        );
        assert_eq!(
            files.link_problem(&dir, base, "http://127.0.0.1:1/rules/a.html#fix"),
            None
        );
        assert!(files
            .link_problem(&dir, base, "http://127.0.0.1:1/rules/a.html#nope")
            .is_some());
        assert!(files
            .link_problem(&dir, base, "http://127.0.0.1:1/rules/b.html")
            .is_some());
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(
            embeds_in("<div class=\"scalelens-embed\" data-code=\"x\">"),
            1
        );
    }
}
