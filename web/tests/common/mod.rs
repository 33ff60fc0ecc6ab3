//! Helpers shared by the browser test binaries (`browser.rs`, `hostile_link.rs`, `input_cost.rs`,
//! `link_cost.rs`, `replay_window.rs`); each binary uses some of them.
#![allow(dead_code)]

use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

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
    el.dyn_into::<web_sys::HtmlTextAreaElement>()
        .unwrap_or_else(|_| panic!("{sel} is neither an input nor a textarea"))
        .value()
}

/// Set the value of the `<input>` or `<textarea>` under `root` matching `sel` and fire an
/// `input` event (what the app listens to; Yew's delegated listeners see it).
pub fn set_value(root: &Element, sel: &str, v: &str) {
    let el = find(root, sel).unwrap_or_else(|| panic!("no {sel}"));
    if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        i.set_value(v);
    } else {
        el.dyn_ref::<web_sys::HtmlTextAreaElement>()
            .unwrap_or_else(|| panic!("{sel} is neither an input nor a textarea"))
            .set_value(v);
    }
    let _ = el.dispatch_event(&web_sys::Event::new("input").expect("event"));
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
  maxReplicas: 20
  metrics:
    - type: Pods
      pods:
        metric:
          name: requests_in_flight
        target:
          type: AverageValue
          averageValue: \"10\"
"
    )
}
