//! Bugs a user hit (issue 14, "Bugs a user hit"), each on the mounted app in headless Chromium
//! (`CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown -p
//! scalelens-web --test user_bugs`). Every test here failed before its fix.
//!
//! Its own page (a test binary of its own); each test mounts its app, and removes it.

#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlTextAreaElement};

mod common;
use common::{attr, clear_storage, document, find, new_root, sleep, wait_for};

wasm_bindgen_test_configure!(run_in_browser);

type Handle = yew::AppHandle<scalelens_web::app::App>;

/// A fresh app (no link, nothing stored: the seed example), after its first drawing.
async fn fresh_app() -> (Element, Handle) {
    clear_storage();
    scalelens_web::dom::clear_fragment();
    let root = new_root();
    let handle = yew::Renderer::<scalelens_web::app::App>::with_root(root.clone()).render();
    wait_for("the first drawing", || {
        !attr(&root, "#timeline-summary", "data-render-count").is_empty()
    })
    .await;
    (root, handle)
}

fn remove(root: Element, handle: Handle) {
    handle.destroy();
    root.remove();
    scalelens_web::dom::clear_fragment();
}

fn textarea(root: &Element, sel: &str) -> HtmlTextAreaElement {
    find(root, sel)
        .unwrap_or_else(|| panic!("no {sel}"))
        .dyn_into()
        .expect("a textarea")
}

/// A trusted key press's default action, which a synthetic event does not have: when the
/// app did not cancel the keydown, Chromium inserts the key's text into whatever holds the
/// focus once the keydown handlers ran (`Enter`: a line break over the selection).
fn browser_default_of_enter(keydown: &web_sys::KeyboardEvent) {
    if keydown.default_prevented() {
        return;
    }
    let Some(active) = document().active_element() else {
        return;
    };
    if let Some(ta) = active.dyn_ref::<HtmlTextAreaElement>() {
        let (a, b) = (
            ta.selection_start().ok().flatten().unwrap_or(0),
            ta.selection_end().ok().flatten().unwrap_or(0),
        );
        let _ = ta.set_range_text_with_start_and_end("\n", a, b);
        let _ = ta.dispatch_event(&web_sys::Event::new("input").expect("event"));
    }
}

/// Item 1: Enter on a focused diagnostic moved the focus to the editor with the line selected,
/// and the Enter then replaced that line with a line break (data loss, and no Undo).
#[wasm_bindgen_test]
async fn enter_on_a_diagnostic_selects_its_line_and_deletes_nothing() {
    let (root, handle) = fresh_app().await;
    let yaml = textarea(&root, "#yaml-editor");
    let before = yaml.value();
    assert!(before.contains("targetValue: \"0.5\""));
    let li: HtmlElement = find(&root, "li.diagnostic[data-code=\"unit-mismatch\"]")
        .expect("unit-mismatch listed")
        .dyn_into()
        .expect("an HTML element");
    li.focus().expect("focus");
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Enter");
    init.set_bubbles(true);
    init.set_cancelable(true);
    let enter = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init)
        .expect("keydown");
    let _ = li.dispatch_event(&enter);
    // The app's handlers and what they schedule run before the browser's default action
    // (microtasks run when the keydown's listeners return).
    sleep(0).await;
    browser_default_of_enter(&enter);
    sleep(300).await;

    assert!(
        yaml.value() == before,
        "the YAML changed: its line 52 is now {:?}",
        yaml.value().lines().nth(51)
    );
    assert!(
        enter.default_prevented(),
        "the Enter is the app's, not the editor's"
    );
    // The line is selected in the editor, which has the focus.
    assert_eq!(
        document().active_element().map(|e| e.id()).as_deref(),
        Some("yaml-editor")
    );
    let (a, b) = (
        yaml.selection_start().ok().flatten().unwrap_or(0) as usize,
        yaml.selection_end().ok().flatten().unwrap_or(0) as usize,
    );
    let selected = String::from_utf16_lossy(&before.encode_utf16().collect::<Vec<u16>>()[a..b]);
    assert!(selected.contains("targetValue: \"0.5\""), "{selected:?}");
    remove(root, handle);
}
