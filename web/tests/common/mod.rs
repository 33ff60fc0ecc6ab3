//! Helpers shared by the browser test binaries (`browser.rs`, `link_cost.rs`).

use web_sys::Document;

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
