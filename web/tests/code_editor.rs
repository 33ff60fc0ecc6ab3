//! The YAML code editor (CodeMirror 6, issue 14's "Editor"), driven as a user drives it, in
//! headless Chromium (`CHROMEDRIVER=/usr/bin/chromedriver cargo test --target
//! wasm32-unknown-unknown -p scalelens-web --test code_editor`): typing lands through the
//! browser's own text insertion, the pointer hovers squiggles and keys, keys go to the editor.
//!
//! Its own page (a test binary of its own); each test mounts its app, and removes it.

#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

mod common;
use common::{
    caret_at, click, disabled, document, find, fresh_app, key_down, remove, selection, sleep,
    type_text, value, wait_for, with_stylesheet,
};

wasm_bindgen_test_configure!(run_in_browser);

/// The UTF-16 start of 1-based `line` of `text`.
fn line_start(text: &str, line: usize) -> usize {
    text.lines()
        .take(line - 1)
        .map(|l| l.encode_utf16().count() + 1)
        .sum()
}

/// Move the pointer to the middle of `el` (CodeMirror's hover reads `mousemove`).
fn hover(el: &Element) {
    let r = el.get_bounding_client_rect();
    let init = web_sys::MouseEventInit::new();
    init.set_client_x((r.left() + r.width() / 2.0) as i32);
    init.set_client_y((r.top() + r.height() / 2.0) as i32);
    init.set_bubbles(true);
    let ev =
        web_sys::MouseEvent::new_with_mouse_event_init_dict("mousemove", &init).expect("mousemove");
    let _ = el.dispatch_event(&ev);
}

/// The drawn line of the editor whose text contains `needle`.
fn drawn_line(root: &Element, needle: &str) -> Option<Element> {
    let lines = root.query_selector_all(".cm-content .cm-line").ok()?;
    (0..lines.length())
        .filter_map(|i| lines.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .find(|l| l.text_content().is_some_and(|t| t.contains(needle)))
}

/// The squiggle of the unit mismatch covers exactly its span (52:20, the `"0.5"` of
/// `targetValue`), follows typing (the browser's own insertion, read back by the editor) to
/// line 53, and its tooltip says the message, the code and offers the fix; the fix is one
/// step of the one history: Ctrl+Z and the toolbar's Undo undo it, Redo redoes it.
#[wasm_bindgen_test]
async fn a_squiggle_on_the_span_its_tooltip_and_an_undoable_quick_fix() {
    with_stylesheet();
    let (root, handle) = fresh_app().await;
    let seed = value(&root, "#yaml-editor");
    // The squiggle on line 52 (other diagnostics have theirs).
    let squiggle = || {
        drawn_line(&root, "targetValue: \"0.5\"")
            .and_then(|l| l.query_selector(".cm-lintRange-warning").ok().flatten())
    };
    // Line 52 is below the editor's 360 px: bring it into view, as a user scrolls.
    let scroller: HtmlElement = find(&root, ".code-editor .cm-scroller")
        .expect("the scroller")
        .dyn_into()
        .expect("an element");
    scroller.set_scroll_top(52 * 18 - 120);
    wait_for("the squiggle", || squiggle().is_some()).await;
    let line_52 = seed.lines().nth(51).unwrap_or_default();
    let marked = squiggle()
        .and_then(|s| s.text_content())
        .unwrap_or_default();
    assert!(
        marked.contains("0.5") && line_52.get(19..).is_some_and(|r| r.starts_with(&marked)),
        "the squiggle covers {marked:?} of {line_52:?}"
    );

    // Type a comment line at the very start, as keystrokes land.
    caret_at(&root, "#yaml-editor", 0);
    type_text("# mine\n");
    wait_for("the typed line in the app's state", || {
        value(&root, "#yaml-editor") == format!("# mine\n{seed}")
    })
    .await;
    wait_for("the diagnostic at 53:20", || {
        common::attr(
            &root,
            "li.diagnostic[data-code=\"unit-mismatch\"]",
            "data-line",
        ) == "53"
    })
    .await;
    assert!(!disabled(&root, "#undo"), "typing is a step of the history");
    // The caret at the start scrolled the editor to the top: back to line 53.
    scroller.set_scroll_top(53 * 18 - 120);
    sleep(150).await;
    let marked = squiggle()
        .and_then(|s| s.text_content())
        .unwrap_or_default();
    assert!(marked.contains("0.5"), "{marked:?}");
    let typed = value(&root, "#yaml-editor");

    // The tooltip: message, code, the fix as an action.
    hover(&squiggle().expect("the squiggle"));
    wait_for("the lint tooltip", || {
        find(&root, ".cm-tooltip-lint .cm-diagnostic").is_some()
    })
    .await;
    let tip = common::text(&root, ".cm-tooltip-lint");
    assert!(tip.contains("unit-mismatch"), "{tip}");
    assert!(
        tip.to_lowercase().contains("percent") || tip.contains('%'),
        "{tip}"
    );
    let action = find(&root, ".cm-tooltip-lint .cm-diagnosticAction").expect("a fix action");
    assert!(
        action
            .text_content()
            .is_some_and(|t| t.starts_with("Fix: ")),
        "{:?}",
        action.text_content()
    );
    action.dyn_into::<HtmlElement>().expect("a button").click();
    wait_for("the fixed YAML", || {
        value(&root, "#yaml-editor").contains("targetValue: \"50\"")
    })
    .await;
    let fixed = value(&root, "#yaml-editor");
    assert!(fixed.starts_with("# mine\n"), "the fix keeps the typing");
    sleep(100).await;
    assert_eq!(
        document().active_element().map(|e| e.id()).as_deref(),
        Some("yaml-editor"),
        "the editor keeps the focus"
    );

    // Ctrl+Z in the editor undoes the fix (and only the fix).
    let el = find(&root, "#yaml-editor").expect("the editor");
    let undo = key_down(&el, "z", true, false);
    assert!(undo.default_prevented());
    wait_for("the fix undone by Ctrl+Z", || {
        value(&root, "#yaml-editor") == typed
    })
    .await;
    // The toolbar redoes it and undoes it again: one history.
    click(&root, "#redo");
    wait_for("the fix redone by the toolbar", || {
        value(&root, "#yaml-editor") == fixed
    })
    .await;
    click(&root, "#undo");
    wait_for("the fix undone by the toolbar", || {
        value(&root, "#yaml-editor") == typed
    })
    .await;
    // And the typing before it.
    click(&root, "#undo");
    wait_for("the typing undone", || value(&root, "#yaml-editor") == seed).await;
    remove(root, handle);
}

/// Clicking a listed diagnostic scrolls the editor to it and selects its span; the gutter
/// mark sits on that line.
#[wasm_bindgen_test]
async fn a_listed_diagnostic_selects_its_span_in_the_editor() {
    with_stylesheet();
    let (root, handle) = fresh_app().await;
    let seed = value(&root, "#yaml-editor");
    // Scrolled to the top first: line 52 is below the editor's 360 px.
    caret_at(&root, "#yaml-editor", 0);
    sleep(100).await;
    click(&root, "li.diagnostic[data-code=\"unit-mismatch\"]");
    sleep(200).await;
    let (a, b, selected) = selection(&root, "#yaml-editor");
    assert_eq!(a, line_start(&seed, 52) + 19);
    assert!(b > a && selected.contains("0.5"), "{selected:?}");
    assert_eq!(
        document().active_element().map(|e| e.id()).as_deref(),
        Some("yaml-editor")
    );
    // Scrolled into view: line 52 is drawn inside the editor's visible box.
    let line = drawn_line(&root, "targetValue: \"0.5\"").expect("line 52 drawn");
    let scroller = find(&root, ".code-editor .cm-scroller").expect("the scroller");
    let (l, s) = (
        line.get_bounding_client_rect(),
        scroller.get_bounding_client_rect(),
    );
    assert!(
        l.top() >= s.top() && l.bottom() <= s.bottom(),
        "line 52 at {:.0}..{:.0}, the editor shows {:.0}..{:.0}",
        l.top(),
        l.bottom(),
        s.top(),
        s.bottom()
    );
    assert!(find(&root, "#yaml-gutter .gutter-mark[data-line=\"52\"]").is_some());
    remove(root, handle);
}

/// Hovering a key the family reads shows its docs from the knob tables (what it does, its
/// default and where upstream writes it); completion offers the keys the family reads there.
#[wasm_bindgen_test]
async fn hover_docs_and_completion_of_the_familys_keys() {
    with_stylesheet();
    let (root, handle) = fresh_app().await;
    let hpa = common::hpa("docs");
    common::set_value(&root, "#yaml-editor", &hpa);
    wait_for("the HPA replayed", || {
        common::text(&root, "#selected").contains("docs")
    })
    .await;
    sleep(100).await;

    // Hover `minReplicas`.
    let line = drawn_line(&root, "minReplicas: 1").expect("the minReplicas line");
    let key = line
        .query_selector("span")
        .ok()
        .flatten()
        .filter(|s| s.text_content().is_some_and(|t| t.contains("minReplicas")))
        .unwrap_or(line);
    hover(&key);
    wait_for("the docs tooltip", || find(&root, ".sl-docs").is_some()).await;
    let docs = common::text(&root, ".sl-docs");
    assert!(docs.contains("spec.minReplicas"), "{docs}");
    assert!(
        docs.contains("What: ") && docs.contains("Default: "),
        "{docs}"
    );
    assert!(docs.contains("kubernetes/kubernetes"), "{docs}");

    // Type `  beh` on a new line under `spec:`: `behavior` is offered; Enter takes it.
    let at = hpa.find("\n  metrics:").expect("metrics") as u32;
    caret_at(&root, "#yaml-editor", at);
    type_text("\n  beh");
    sleep(50).await;
    let el = find(&root, "#yaml-editor").expect("the editor");
    if find(&root, ".cm-tooltip-autocomplete").is_none() {
        // Typing opens it; Ctrl+Space asks for it as a user would when it does not.
        key_down(&el, " ", true, false);
    }
    wait_for("the completions", || {
        find(&root, ".cm-tooltip-autocomplete li").is_some()
    })
    .await;
    let offered = common::text(&root, ".cm-tooltip-autocomplete");
    assert!(offered.contains("behavior"), "{offered}");
    // CodeMirror ignores Enter in the first 75 ms of a completion list (`interactionDelay`).
    sleep(200).await;
    key_down(&el, "Enter", false, false);
    wait_for("the completion applied", || {
        value(&root, "#yaml-editor").contains("  behavior: ")
    })
    .await;
    remove(root, handle);
}

/// A YAML nested 5 000 deep (which the core refuses with `yaml-limit`) overflows the stack of
/// the editor's YAML parser: reopened from storage (as after a reload) the page used to lose
/// its editor and never drew. Now the editor opens as plain text and keeps working.
#[wasm_bindgen_test]
async fn a_text_too_deep_for_the_yaml_parser_opens_as_plain_text() {
    let (root, handle) = fresh_app().await;
    let seed = value(&root, "#yaml-editor");
    let deep = format!("{seed}---\nx: {}1{}\n", "[".repeat(5_000), "]".repeat(5_000));
    common::set_value(&root, "#yaml-editor", &deep);
    wait_for("the yaml-limit", || {
        find(&root, "li.diagnostic[data-code=\"yaml-limit\"]").is_some()
    })
    .await;
    sleep(500).await;
    handle.destroy();
    root.remove();

    // A new app from what is stored: the deep text in the editor, the charts drawn.
    let root = common::new_root();
    let handle = yew::Renderer::<scalelens_web::app::App>::with_root(root.clone()).render();
    wait_for("the first drawing", || {
        !common::attr(&root, "#timeline-summary", "data-render-count").is_empty()
    })
    .await;
    assert_eq!(value(&root, "#yaml-editor"), deep);
    caret_at(&root, "#yaml-editor", 0);
    type_text("# still editable\n");
    wait_for("the typing in the app's state", || {
        value(&root, "#yaml-editor").starts_with("# still editable\n")
    })
    .await;
    remove(root, handle);
}
