//! What keeping the share link current costs while typing, in headless Chromium (printed, not
//! asserted: timings on a shared machine are not a pass/fail signal). A measurement, so
//! `#[ignore]`d (it takes longer than the runner's default 20 s in a debug build); run it on the
//! build the playground ships (the `wasm-release` profile):
//! `CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=180 cargo test --config 'profile.wasm-release.panic="unwind"' --target wasm32-unknown-unknown --profile wasm-release -p scalelens-web --test link_cost -- --include-ignored --nocapture`
//! (unwinding: see `input_cost.rs` for why)
//!
//! - the codec alone: the state's JSON and its lz-string link for states of 60 KB, 200 KB and
//!   1 MB of samples;
//! - one keystroke in the mounted app's YAML code editor: from the browser's text insertion
//!   (which CodeMirror reads back and reports to the app) to Yew's update and render done (the
//!   debounced re-run, 150 ms later, is not in it), the median of several.
//!
//! Its own page (a test binary of its own), so the app it mounts meets no other test's app.

#![cfg(target_arch = "wasm32")]

use scalelens_web::state::State;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlTextAreaElement};

mod common;
use common::{new_root, now, sleep};

wasm_bindgen_test_configure!(run_in_browser);

/// Let queued microtasks run (Yew's scheduler runs its updates and renders in one).
async fn microtasks() {
    for _ in 0..3 {
        let p = js_sys::Promise::resolve(&wasm_bindgen::JsValue::NULL);
        let _ = wasm_bindgen_futures::JsFuture::from(p).await;
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Per-pod CSV samples of about `bytes` bytes (values in 0–1, like the seed case's metric).
fn samples(bytes: usize) -> String {
    let mut csv = String::from("time,pod,value\n");
    let mut t = 0u64;
    while csv.len() < bytes {
        for pod in 0..4u64 {
            let v = 0.2 + 0.6 * (((t * 7 + pod * 13) % 97) as f64 / 97.0);
            csv.push_str(&format!("{t},pod-{pod},{v:.4}\n"));
        }
        t += 15;
    }
    csv
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn clear_session() {
    if let Some(s) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) {
        let _ = s.clear();
    }
}

fn find(root: &Element, sel: &str) -> Option<Element> {
    root.query_selector(sel).ok().flatten()
}

#[wasm_bindgen_test]
#[ignore = "a measurement: run it with --include-ignored on a wasm-release build"]
async fn typing_cost_with_large_states() {
    let mut report = Vec::new();
    for bytes in [60_000usize, 200_000, 1_000_000] {
        let mut state = State::initial();
        state.samples = samples(bytes);

        // The codec alone.
        let (mut json_ms, mut link_ms) = (Vec::new(), Vec::new());
        let mut json = String::new();
        for _ in 0..5 {
            let a = now();
            json = state.to_json();
            let b = now();
            let f = State::fragment_of_json(&json);
            let c = now();
            assert!(f.starts_with("v1:"));
            json_ms.push(b - a);
            link_ms.push(c - b);
        }

        // The mounted app, started from this state in localStorage (no fragment).
        scalelens_web::dom::clear_fragment();
        clear_session();
        if let Some(s) = storage() {
            let _ = s.clear();
            let _ = s.set_item(scalelens_web::state::STORAGE_KEY, &json);
        }
        let root = new_root();
        let handle = yew::Renderer::<scalelens_web::app::App>::with_root(root.clone()).render();
        for _ in 0..200 {
            if find(&root, "#timeline-summary[data-render-count]").is_some() {
                break;
            }
            sleep(50).await;
        }
        // The samples editor, or its preview when the text is too long to show.
        let loaded = find(&root, "#samples-editor")
            .and_then(|e| e.dyn_into::<HtmlTextAreaElement>().ok())
            .map(|t| t.value().len())
            .or_else(|| {
                find(&root, "#samples-held")
                    .and_then(|h| h.get_attribute("data-bytes"))
                    .and_then(|b| b.parse().ok())
            });
        assert_eq!(loaded, Some(state.samples.len()), "the state was loaded");

        // Keystrokes in the YAML (the samples may be a preview): at the end of the text (Ctrl+End),
        // a comment character, then a letter at a time, 250 ms apart (the re-run's 150 ms
        // debounce fires between them, as in real typing; it is not timed).
        let mut key_ms = Vec::new();
        let mut text = state.yaml.clone();
        common::caret_to_end(&root);
        common::type_text("#");
        text.push('#');
        microtasks().await;
        sleep(250).await;
        for i in 0..9 {
            let typed = char::from(b'a' + i as u8);
            text.push(typed);
            let a = now();
            common::type_text(&typed.to_string());
            microtasks().await;
            key_ms.push(now() - a);
            sleep(250).await;
        }
        assert_eq!(
            common::value(&root, "#yaml-editor"),
            text,
            "the typing reached the editor"
        );
        // Idle: whatever is debounced has run; what a reload would read.
        sleep(600).await;
        let stored = storage()
            .and_then(|s| s.get_item(scalelens_web::state::STORAGE_KEY).ok().flatten())
            .and_then(|j| State::from_json(&j).ok())
            .is_some_and(|s| s.yaml == text);
        let fragment = scalelens_web::dom::fragment();
        let fragment_state = State::from_fragment(&fragment).ok().flatten();
        report.push(format!(
            "{:>5} KB JSON: to_json {:.2} ms, lz-string link {:.2} ms ({} KB); keystroke → rendered: median {:.2} ms, max {:.2} ms; after idle: stored {}, fragment {}",
            json.len() / 1000,
            median(json_ms),
            median(link_ms.clone()),
            State::fragment_of_json(&json).len() / 1000,
            median(key_ms.clone()),
            key_ms.iter().copied().fold(0.0, f64::max),
            if stored { "= typed" } else { "≠ typed" },
            match fragment_state {
                Some(s) if s.yaml == text => "= typed".to_string(),
                Some(_) => "older than typed".to_string(),
                None if fragment.is_empty() => "none".to_string(),
                None => "unreadable".to_string(),
            }
        ));
        handle.destroy();
        root.remove();
        scalelens_web::dom::clear_fragment();
        clear_session();
        if let Some(s) = storage() {
            let _ = s.clear();
        }
    }
    for line in report {
        console_log!("{line}");
    }
}
