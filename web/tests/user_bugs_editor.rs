//! Bugs a user hit in the editors (issue 14, "Bugs a user hit", items 1, 2, 8 and the trace
//! of 9), each on the mounted app in headless Chromium (`CHROMEDRIVER=/usr/bin/chromedriver
//! cargo test --target wasm32-unknown-unknown -p scalelens-web --test user_bugs_editor`).
//! Every test here failed before its fix.
//!
//! Its own page (a test binary of its own: the runner gives a binary 20 s); each test mounts
//! its app, and removes it.

#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlTextAreaElement};

mod common;
use common::{
    click, disabled, document, find, fresh_app, key_down, remove, sleep, wait_for, with_stylesheet,
};

wasm_bindgen_test_configure!(run_in_browser);

/// A trusted key press's default action, which a synthetic event does not have: when the
/// app did not cancel the keydown, Chromium inserts the key's text into whatever holds the
/// focus once the keydown handlers ran (`Enter`: a line break over the selection). In the
/// code editor (contenteditable) that is the browser's own text insertion, which CodeMirror
/// reads back as an edit.
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
    } else if active.get_attribute("contenteditable").as_deref() == Some("true") {
        common::type_text("\n");
    }
}

/// The UTF-16 start of 1-based `line` of `text`.
fn line_start(text: &str, line: usize) -> usize {
    text.lines()
        .take(line - 1)
        .map(|l| l.encode_utf16().count() + 1)
        .sum()
}

/// Item 1: Enter on a focused diagnostic moved the focus to the editor with the line selected,
/// and the Enter then replaced that line with a line break (data loss, and no Undo). Now the
/// focus moves to the editor with the diagnostic's span (52:20 on `targetValue: "0.5"`)
/// selected, and the Enter is the app's.
#[wasm_bindgen_test]
async fn enter_on_a_diagnostic_selects_its_line_and_deletes_nothing() {
    let (root, handle) = fresh_app().await;
    let before = common::value(&root, "#yaml-editor");
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

    let after = common::value(&root, "#yaml-editor");
    assert!(
        after == before,
        "the YAML changed: its line 52 is now {:?}",
        after.lines().nth(51)
    );
    assert!(
        enter.default_prevented(),
        "the Enter is the app's, not the editor's"
    );
    // The span is selected in the editor, which has the focus.
    assert_eq!(
        document().active_element().map(|e| e.id()).as_deref(),
        Some("yaml-editor")
    );
    let (a, _, selected) = common::selection(&root, "#yaml-editor");
    assert_eq!(
        a,
        line_start(&before, 52) + 19,
        "the selection starts at 52:20"
    );
    let line_52 = before.lines().nth(51).unwrap_or_default();
    assert!(line_52.contains("targetValue: \"0.5\""), "{line_52:?}");
    assert!(
        !selected.is_empty() && line_52.get(19..).is_some_and(|r| r.starts_with(&selected)),
        "{selected:?}"
    );
    // Nothing to undo: nothing was edited.
    assert!(disabled(&root, "#undo"));
    remove(root, handle);
}

/// Item 2: with a horizontal scrollbar (a long line) the textarea was shorter inside than its
/// gutter, so at the bottom the gutter could not scroll as far and every mark sat one line too
/// low. The mark must sit on its line of text wherever the editor is scrolled (the code
/// editor's gutter now, in its scroller with the text).
#[wasm_bindgen_test]
async fn gutter_marks_stay_on_their_line_when_scrolled_to_the_bottom() {
    with_stylesheet();
    let (root, handle) = fresh_app().await;
    let seed = common::value(&root, "#yaml-editor");
    // A long comment line typed at the end.
    let comment = format!("# {}\n", "a long comment ".repeat(40));
    common::caret_to_end(&root);
    common::type_text(&comment);
    wait_for("the typed line", || {
        common::value(&root, "#yaml-editor") == format!("{seed}{comment}")
    })
    .await;
    wait_for("the mark at line 52 after the edit's run", || {
        find(&root, "#yaml-gutter .gutter-mark[data-line=\"52\"]").is_some()
            && common::attr(&root, "#timeline-summary", "data-render-count") != "1"
    })
    .await;
    sleep(200).await;
    let scroller: HtmlElement = find(&root, ".code-editor .cm-scroller")
        .expect("the editor's scroller")
        .dyn_into()
        .expect("an element");
    assert!(
        scroller.scroll_width() > scroller.client_width(),
        "the long line scrolls sideways"
    );
    assert!(
        scroller.scroll_height() > scroller.client_height(),
        "the text scrolls down"
    );
    // Line 52 (18 px lines, its top at 918 px) near the foot of the 360 px view, in its middle,
    // and scrolled to the bottom (where the marks sat one line low). The code editor draws
    // only the lines near its view, so line 52 must be in view.
    for scroll in [600, 750, i32::MAX] {
        scroller.set_scroll_top(scroll);
        sleep(150).await;
        let mark =
            find(&root, "#yaml-gutter .gutter-mark[data-line=\"52\"]").unwrap_or_else(|| {
                let marks = root
                    .query_selector_all("#yaml-gutter .gutter-mark")
                    .expect("marks");
                let lines: Vec<String> = (0..marks.length())
                    .filter_map(|i| marks.item(i))
                    .filter_map(|n| n.dyn_into::<Element>().ok())
                    .map(|m| m.get_attribute("data-line").unwrap_or_default())
                    .collect();
                panic!(
                "scrollTop {scroll} ({}): no mark at line 52; marks at {lines:?}; {} lines drawn",
                scroller.scroll_top(),
                root.query_selector_all(".cm-content .cm-line").map_or(0, |l| l.length())
            )
            });
        // Line 52's text as drawn.
        let lines = root
            .query_selector_all(".cm-content .cm-line")
            .expect("lines");
        let line = (0..lines.length())
            .filter_map(|i| lines.item(i))
            .filter_map(|n| n.dyn_into::<Element>().ok())
            .find(|l| {
                l.text_content()
                    .is_some_and(|t| t.contains("targetValue: \"0.5\""))
            })
            .expect("line 52 drawn");
        let (mark_box, line_box) = (
            mark.get_bounding_client_rect(),
            line.get_bounding_client_rect(),
        );
        let mark_mid = mark_box.top() + mark_box.height() / 2.0;
        assert!(
            mark_mid > line_box.top() && mark_mid < line_box.bottom(),
            "scrollTop {}: the mark's middle is at {mark_mid:.1}, its line from {:.1} to {:.1}",
            scroller.scroll_top(),
            line_box.top(),
            line_box.bottom()
        );
    }
    remove(root, handle);
}

/// Item 8: two undo stacks (Ctrl+Z did not undo a fix, the toolbar's Undo did not undo typing:
/// item 1's lost line could not be brought back), and the focus fell to `<body>` after a fix.
/// One history now: typing, fixes and examples, undone and redone from the toolbar or the
/// keyboard; after a fix the editor has the focus with the fixed text selected.
#[wasm_bindgen_test]
async fn one_undo_history_for_typing_and_fixes_and_the_focus_stays_in_the_editor() {
    let (root, handle) = fresh_app().await;
    let seed = common::value(&root, "#yaml-editor");
    assert!(disabled(&root, "#undo"));

    // Typing (at the end of the text) is undone by the toolbar's Undo.
    common::caret_to_end(&root);
    common::type_text("# typed\n");
    wait_for("Undo enabled by typing", || !disabled(&root, "#undo")).await;
    click(&root, "#undo");
    wait_for("the typing undone", || {
        common::value(&root, "#yaml-editor") == seed
    })
    .await;

    // A fix: the focus is in the editor, on the fixed text.
    wait_for("the banner", || find(&root, "#unit-banner").is_some()).await;
    click(&root, "#unit-banner button.fix[data-fix-index=\"0\"]");
    wait_for("the fixed YAML", || {
        common::value(&root, "#yaml-editor").contains("targetValue: \"50\"")
    })
    .await;
    sleep(100).await;
    assert_eq!(
        document().active_element().map(|e| e.id()).as_deref(),
        Some("yaml-editor"),
        "the focus after a fix"
    );
    let fixed = common::value(&root, "#yaml-editor");
    let (_, _, selected) = common::selection(&root, "#yaml-editor");
    assert!(selected.contains('5'), "{selected:?}");

    // Ctrl+Z in the editor undoes the fix; Ctrl+Shift+Z redoes it.
    let el: Element = find(&root, "#yaml-editor").expect("the editor");
    let undo = key_down(&el, "z", true, false);
    wait_for("the fix undone by Ctrl+Z", || {
        common::value(&root, "#yaml-editor") == seed
    })
    .await;
    assert!(undo.default_prevented(), "the app's undo, not the editor's");
    key_down(&el, "Z", true, true);
    wait_for("the fix redone by Ctrl+Shift+Z", || {
        common::value(&root, "#yaml-editor") == fixed
    })
    .await;
    remove(root, handle);
}

/// Item 9, trace: the decision trace's height jumped between 1 and 9 rows as the pointer
/// moved, shifting the diagnostics below it. Its height is now the same at every time.
#[wasm_bindgen_test]
async fn the_trace_keeps_its_height_as_the_pointer_moves() {
    with_stylesheet();
    let (root, handle) = fresh_app().await;
    let chart: HtmlElement = find(&root, "#chart-replicas")
        .expect("the chart")
        .dyn_into()
        .expect("an element");
    let rect = chart.get_bounding_client_rect();
    let trace = || -> HtmlElement {
        find(&root, "#trace")
            .expect("the trace")
            .dyn_into()
            .expect("an element")
    };
    let mut heights = vec![(trace().offset_height(), "most telling moment".to_string())];
    for f in [0.1, 0.12, 0.3, 0.5, 0.7, 0.9, 0.97] {
        let init = web_sys::MouseEventInit::new();
        init.set_client_x((rect.left() + rect.width() * f) as i32);
        init.set_client_y((rect.top() + rect.height() / 2.0) as i32);
        init.set_bubbles(true);
        let ev = web_sys::MouseEvent::new_with_mouse_event_init_dict("mousemove", &init)
            .expect("mousemove");
        let _ = chart.dispatch_event(&ev);
        sleep(50).await;
        heights.push((
            trace().offset_height(),
            format!(
                "{f}: {} rows",
                trace().query_selector_all("li").map_or(0, |l| l.length())
            ),
        ));
    }
    let first = heights[0].0;
    assert!(
        heights.iter().all(|(h, _)| *h == first),
        "trace heights: {heights:?}"
    );
    remove(root, handle);
}

/// Item 10, first part: the page said "set --pod-startup" and "set --initial-replicas", flags
/// of the command line, where it has settings of its own. It names its settings now.
#[wasm_bindgen_test]
async fn the_page_names_its_settings_not_command_line_flags() {
    let (root, handle) = fresh_app().await;
    let listed = || common::text(&root, "#diagnostics");
    wait_for("the pod start-up note", || {
        find(
            &root,
            "li.diagnostic[data-code=\"sim-default-pod-startup\"]",
        )
        .is_some()
    })
    .await;
    common::set_value(&root, "#yaml-editor", &common::hpa("no-deployment"));
    wait_for("the initial replicas note", || {
        find(
            &root,
            "li.diagnostic[data-code=\"sim-default-initial-replicas\"]",
        )
        .is_some()
    })
    .await;
    let said = listed();
    assert!(
        !said.contains("--pod-startup") && !said.contains("--initial-replicas"),
        "{said}"
    );
    assert!(said.contains("set Initial replicas in Settings"), "{said}");
    remove(root, handle);
}
