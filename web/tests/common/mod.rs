//! Helpers shared by the browser test binaries (`browser.rs`, `hostile_link.rs`, `input_cost.rs`,
//! `link_cost.rs`, `replay_window.rs`, `user_bugs_*.rs`); each binary uses some of them.
#![allow(dead_code)]

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, HtmlTextAreaElement};

pub fn document() -> Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

/// Wait `ms` milliseconds (a `setTimeout`), letting the page's timers and renders run.
pub async fn sleep(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(p).await;
}

/// A fresh `<div>` appended to the body, to mount an app in.
pub fn new_root() -> web_sys::Element {
    let root = document().create_element("div").expect("div");
    document()
        .body()
        .expect("body")
        .append_child(&root)
        .expect("append");
    root
}

/// `performance.now()` (ms).
pub fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// The first element under `root` matching `sel`.
pub fn find(root: &Element, sel: &str) -> Option<Element> {
    root.query_selector(sel).ok().flatten()
}

/// Attribute `name` of the first element under `root` matching `sel` ("" when absent).
pub fn attr(root: &Element, sel: &str, name: &str) -> String {
    find(root, sel)
        .and_then(|e| e.get_attribute(name))
        .unwrap_or_default()
}

/// The text of the first element under `root` matching `sel` ("" when absent).
pub fn text(root: &Element, sel: &str) -> String {
    find(root, sel)
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

/// The value of the `<input>` or `<textarea>` under `root` matching `sel`.
pub fn value(root: &Element, sel: &str) -> String {
    let el = find(root, sel).unwrap_or_else(|| panic!("no {sel}"));
    if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        return i.value();
    }
    if let Some(t) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        return t.value();
    }
    // The YAML code editor's editable element answers `value` (its text, read-only).
    js_sys::Reflect::get(&el, &"value".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| panic!("{sel} has no value"))
}

/// Set the value of the `<input>` or `<textarea>` under `root` matching `sel` and fire an
/// `input` event (what the app listens to; Yew's delegated listeners see it). The YAML code
/// editor has no value to set: its whole text is replaced as a user does it
/// ([`retype`]).
pub fn set_value(root: &Element, sel: &str, v: &str) {
    let el = find(root, sel).unwrap_or_else(|| panic!("no {sel}"));
    if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        i.set_value(v);
    } else if let Some(t) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        t.set_value(v);
    } else {
        retype(&el, v);
        return;
    }
    let _ = el.dispatch_event(&web_sys::Event::new("input").expect("event"));
}

/// Replace the whole text of the code editor `el` (its editable element) as a user does:
/// focus it, Ctrl+A (the editor's select-all), then type `text` over the selection (the
/// browser's own text insertion, which CodeMirror reads back as typing) or, for no text,
/// Backspace.
pub fn retype(el: &Element, text: &str) {
    focus(el);
    let all = key_down(el, "a", true, false);
    assert!(all.default_prevented(), "Ctrl+A was not the editor's");
    if text.is_empty() {
        let del = key_down(el, "Backspace", false, false);
        assert!(del.default_prevented(), "Backspace was not the editor's");
    } else {
        type_text(text);
    }
}

/// Give `el` the focus.
pub fn focus(el: &Element) {
    el.dyn_ref::<HtmlElement>()
        .expect("an HTML element")
        .focus()
        .expect("focus");
}

/// The YAML code editor's editable element (CodeMirror's content, `#yaml-editor`).
pub fn yaml_editor(root: &Element) -> Element {
    find(root, "#yaml-editor").expect("the YAML code editor")
}

/// Poll `ok` every 50 ms for up to 20 s; panic with `what` when it never holds.
pub async fn wait_for(what: &str, mut ok: impl FnMut() -> bool) {
    for _ in 0..400 {
        if ok() {
            return;
        }
        sleep(50).await;
    }
    panic!("timed out waiting for {what}");
}

/// Empty this origin's localStorage and sessionStorage (a fresh profile).
pub fn clear_storage() {
    let window = web_sys::window().expect("window");
    for s in [window.local_storage(), window.session_storage()]
        .into_iter()
        .flatten()
        .flatten()
    {
        let _ = s.clear();
    }
}

/// An HPA named `name` (`requests_in_flight`, 10 per pod, 1 to 20 replicas, 15 s sync period).
pub fn hpa(name: &str) -> String {
    hpa_with(
        name,
        20,
        "    - type: Pods
      pods:
        metric:
          name: requests_in_flight
        target:
          type: AverageValue
          averageValue: \"10\"
",
    )
}

/// An HPA named `name` on a `web` Deployment, 1 to `max` replicas, with the `metrics` list
/// items given (indented under `spec.metrics`).
pub fn hpa_with(name: &str, max: u32, metrics: &str) -> String {
    format!(
        "apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {name}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  minReplicas: 1
  maxReplicas: {max}
  metrics:
{metrics}"
    )
}

pub type Handle = yew::AppHandle<scalelens_web::app::App>;

/// A fresh app (no link, nothing stored: the seed example), after its first drawing.
pub async fn fresh_app() -> (Element, Handle) {
    clear_storage();
    scalelens_web::dom::clear_fragment();
    mount_app().await
}

/// An app mounted in a new root from what the page holds now (URL, storage: as after a
/// reload), after its first drawing.
pub async fn mount_app() -> (Element, Handle) {
    let root = new_root();
    let handle = yew::Renderer::<scalelens_web::app::App>::with_root(root.clone()).render();
    wait_for("the first drawing", || {
        !attr(&root, "#timeline-summary", "data-render-count").is_empty()
    })
    .await;
    (root, handle)
}

pub fn remove(root: Element, handle: Handle) {
    handle.destroy();
    root.remove();
    scalelens_web::dom::clear_fragment();
}

/// The page's stylesheet (what Trunk links in `index.html`), so layout-dependent tests see the
/// real editor: gutter beside the textarea, fixed line height, scrollbars.
pub fn with_stylesheet() {
    if document().get_element_by_id("test-style").is_some() {
        return;
    }
    let style = document().create_element("style").expect("style");
    style.set_id("test-style");
    style.set_text_content(Some(include_str!("../../static/style.css")));
    document()
        .head()
        .expect("head")
        .append_child(&style)
        .expect("append");
}

pub fn textarea(root: &Element, sel: &str) -> HtmlTextAreaElement {
    find(root, sel)
        .unwrap_or_else(|| panic!("no {sel}"))
        .dyn_into()
        .expect("a textarea")
}

pub fn click(root: &Element, sel: &str) {
    find(root, sel)
        .unwrap_or_else(|| panic!("no {sel}"))
        .dyn_into::<HtmlElement>()
        .expect("an HTML element")
        .click();
}

/// Choose `value` in the `<select>` under `root` matching `sel` (fires `change`).
pub fn choose(root: &Element, sel: &str, value: &str) {
    let s: web_sys::HtmlSelectElement = find(root, sel)
        .unwrap_or_else(|| panic!("no {sel}"))
        .dyn_into()
        .expect("a select");
    s.set_value(value);
    let _ = s.dispatch_event(&web_sys::Event::new("change").expect("event"));
}

pub fn select_value(root: &Element, sel: &str) -> String {
    find(root, sel)
        .and_then(|s| s.dyn_into::<web_sys::HtmlSelectElement>().ok())
        .map(|s| s.value())
        .unwrap_or_default()
}

/// Paste `text` over the text of the editor under `root` matching `sel` as a user's paste does (a
/// `paste` event carrying the text; the app inserts long texts itself).
pub fn paste_into(root: &Element, sel: &str, text: &str) {
    let el = find(root, sel).unwrap_or_else(|| panic!("no {sel}"));
    // Over the whole text, as after Ctrl+A.
    if let Some(ta) = el.dyn_ref::<HtmlTextAreaElement>() {
        ta.select();
    } else {
        focus(&el);
        let all = key_down(&el, "a", true, false);
        assert!(all.default_prevented(), "Ctrl+A was not the editor's");
    }
    let dt = web_sys::DataTransfer::new().expect("a DataTransfer");
    dt.set_data("text/plain", text).expect("set data");
    let init = web_sys::ClipboardEventInit::new();
    init.set_clipboard_data(Some(&dt));
    init.set_bubbles(true);
    init.set_cancelable(true);
    let ev = web_sys::ClipboardEvent::new_with_event_init_dict("paste", &init).expect("paste");
    let _ = el.dispatch_event(&ev);
}

/// A cancelable `keydown` of `key` on `el` (with Ctrl, and Shift when `shift`); the event.
pub fn key_down(el: &Element, key: &str, ctrl: bool, shift: bool) -> web_sys::KeyboardEvent {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_ctrl_key(ctrl);
    init.set_shift_key(shift);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let ev = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init)
        .expect("keydown");
    let _ = el.dispatch_event(&ev);
    ev
}

pub fn disabled(root: &Element, sel: &str) -> bool {
    find(root, sel).is_some_and(|e| e.has_attribute("disabled"))
}

/// The selection (UTF-16 start, end) and the selected text of the editor under `root` matching
/// `sel` (a textarea, or the code editor's editable element, which answers the same).
pub fn selection(root: &Element, sel: &str) -> (usize, usize, String) {
    let el = find(root, sel).unwrap_or_else(|| panic!("no {sel}"));
    let num = |k: &str| {
        js_sys::Reflect::get(&el, &k.into())
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0) as usize
    };
    let (a, b) = (num("selectionStart"), num("selectionEnd"));
    let units: Vec<u16> = value(root, sel).encode_utf16().collect();
    let text = String::from_utf16_lossy(units.get(a..b).unwrap_or_default());
    (a, b, text)
}

/// Type `text` into the focused code editor as a user's keystrokes land: the browser's own
/// text insertion at the selection (`execCommand("insertText")`), which CodeMirror reads back
/// from the DOM.
pub fn type_text(text: &str) {
    let doc: web_sys::HtmlDocument = document().dyn_into().expect("an HTML document");
    assert!(
        doc.exec_command_with_show_ui_and_value("insertText", false, text)
            .unwrap_or(false),
        "insertText was refused (is an editor focused?)"
    );
}

/// Press `keys` in turn in the code editor `el` (each a key name, `Ctrl+` for the Control
/// key), as keyboard navigation; each must be the editor's (its keymap ran a command).
pub fn press(el: &Element, keys: &[&str]) {
    for k in keys {
        let (ctrl, key) = match k.strip_prefix("Ctrl+") {
            Some(key) => (true, key),
            None => (false, *k),
        };
        let ev = key_down(el, key, ctrl, false);
        assert!(ev.default_prevented(), "{k} was not the editor's");
    }
}

/// Focus the YAML code editor under `root` and move its caret to the start of the text
/// (Ctrl+Home), as from the keyboard.
pub fn caret_to_start(root: &Element) {
    let el = yaml_editor(root);
    focus(&el);
    press(&el, &["Ctrl+Home"]);
}

/// Focus the YAML code editor under `root` and move its caret to the end of the text
/// (Ctrl+End), as from the keyboard.
pub fn caret_to_end(root: &Element) {
    let el = yaml_editor(root);
    focus(&el);
    press(&el, &["Ctrl+End"]);
}

/// Focus the YAML code editor under `root` and move its caret to the end of 1-based `line`
/// (Ctrl+Home, then Down and End), as from the keyboard.
pub fn caret_to_line_end(root: &Element, line: usize) {
    caret_to_start(root);
    let el = yaml_editor(root);
    for _ in 1..line {
        press(&el, &["ArrowDown"]);
    }
    press(&el, &["End"]);
}
