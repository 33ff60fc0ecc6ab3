//! The Scalelens playground (Yew, client-side rendering).
//!
//! A thin translation layer: the DOM in, [`scalelens_core::pipeline::run`] in the middle, Yew
//! nodes and `scalelens-chart` canvases out. No product logic lives here.
//!
//! - [`state`]: what the user controls, the share-link fragment (`#v1:<lz-string>`) and the
//!   localStorage record (plain Rust, tested natively);
//! - [`text`]: positions for the editors, fix application, the Markdown summary (plain Rust);
//! - [`lz`]: the bounded decoder of share-link payloads (the crate's has no output bound);
//! - [`examples`]: the gallery;
//! - [`app`]: the component; [`canvas`]: drawing; [`dom`]: browser APIs.
//!
//! Everything user-supplied is rendered through Yew text nodes (never `inner_html`); a link or
//! stored state that cannot be read is a message, never a panic or a lost editor.
//!
//! Tests: the plain-Rust modules natively; `web/tests/browser.rs` (wasm-bindgen-test in headless
//! Chromium) reads canvas pixels back and drives the mounted app; `tests/tests/playground_e2e.rs`
//! drives the built `dist/` through ChromeDriver. DOM contract and link format: `web/README.md`.

pub mod app;
pub mod canvas;
pub mod dom;
pub mod editor;
pub mod embed_height;
pub mod examples;
pub mod knob_docs;
pub mod lz;
pub mod state;
pub mod text;

/// Mount the playground on the page's `<body>`.
pub fn start() {
    yew::Renderer::<app::App>::new().render();
    embed_height::start();
}

/// Mount the playground inside `root` (tests, pages that host it in an element).
pub fn start_in(root: web_sys::Element) {
    yew::Renderer::<app::App>::with_root(root).render();
}
