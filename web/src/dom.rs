//! Small wrappers over browser APIs (location, history, localStorage, IndexedDB, clipboard,
//! downloads, performance). Every failure is absorbed or returned as a message: the page never panics.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlAnchorElement, HtmlCanvasElement};

use crate::state::{LARGE_KEY, MARK_KEY, STORAGE_KEY};

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// `performance.now()` in ms (0 when unavailable).
pub fn now() -> f64 {
    window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// `performance.mark(name)` (tests and benchmarks read it back); nothing where unavailable.
pub fn mark(name: &str) {
    if let Some(p) = window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// The URL fragment, with its `#`.
pub fn fragment() -> String {
    window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Whether the page is in embed mode (`?embed` in the query).
pub fn is_embed() -> bool {
    window()
        .and_then(|w| w.location().search().ok())
        .is_some_and(|s| {
            s.trim_start_matches('?')
                .split('&')
                .any(|p| p == "embed" || p.starts_with("embed="))
        })
}

/// This page's URL with `fragment`; with `strip_embed`, without the query (the full
/// playground, for the embed's "Open in playground" link).
pub fn page_url(fragment: &str, strip_embed: bool) -> String {
    let Some(loc) = window().map(|w| w.location()) else {
        return format!("#{fragment}");
    };
    let origin = loc.origin().unwrap_or_default();
    let path = loc.pathname().unwrap_or_default();
    let search = if strip_embed {
        String::new()
    } else {
        loc.search().unwrap_or_default()
    };
    format!("{origin}{path}{search}#{fragment}")
}

/// Replace the URL fragment without a history entry or a scroll.
pub fn replace_fragment(fragment: &str) {
    if let Some(h) = window().and_then(|w| w.history().ok()) {
        let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&format!("#{fragment}")));
    }
}

/// Remove the URL fragment (no history entry).
pub fn clear_fragment() {
    let Some(w) = window() else { return };
    let loc = w.location();
    let url = format!(
        "{}{}",
        loc.pathname().unwrap_or_default(),
        loc.search().unwrap_or_default()
    );
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

fn storage() -> Option<web_sys::Storage> {
    window().and_then(|w| w.local_storage().ok().flatten())
}

/// The saved state record, if any.
pub fn load_storage() -> Option<String> {
    storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
}

/// Save the state record; on failure (quota, private mode) the message to show.
pub fn save_storage(json: &str) -> Result<(), String> {
    let s = storage()
        .ok_or_else(|| "Not saved: this browser gives the page no local storage.".to_string())?;
    s.set_item(STORAGE_KEY, json).map_err(|_| {
        format!(
            "Not saved in this browser: local storage is full ({} KB to write).",
            json.len() / 1000
        )
    })
}

/// Drop the localStorage record (a larger state is in IndexedDB now).
pub fn remove_storage() {
    if let Some(s) = storage() {
        let _ = s.remove_item(STORAGE_KEY);
    }
}

/// Whether the saved state is the one in IndexedDB ([`LARGE_KEY`] in localStorage).
pub fn large_saved() -> bool {
    storage().is_some_and(|s| s.get_item(LARGE_KEY).ok().flatten().is_some())
}

/// Say where the saved state is: IndexedDB (`true`) or the localStorage record (`false`).
pub fn set_large_saved(large: bool) {
    if let Some(s) = storage() {
        let _ = if large {
            s.set_item(LARGE_KEY, IDB_NAME)
        } else {
            s.remove_item(LARGE_KEY)
        };
    }
}

/// The IndexedDB database holding a state too large for localStorage, its object store and
/// the one key in it.
pub const IDB_NAME: &str = "scalelens";
const IDB_STORE: &str = "state";
const IDB_KEY: &str = "playground";
/// The database's schema version (1: one object store, [`IDB_STORE`]).
const IDB_VERSION: u32 = 1;

/// Settle when `req` succeeds (`Ok`) or fails (`Err`).
async fn request_done(req: &web_sys::IdbRequest) -> Result<JsValue, JsValue> {
    let p = js_sys::Promise::new(&mut |resolve, reject| {
        req.set_onsuccess(Some(&resolve));
        req.set_onerror(Some(&reject));
    });
    wasm_bindgen_futures::JsFuture::from(p).await
}

async fn idb_open() -> Result<web_sys::IdbDatabase, String> {
    let refused = |_| "this browser gives the page no IndexedDB".to_string();
    let factory = window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .ok_or_else(|| refused(()))?;
    let req = factory
        .open_with_u32(IDB_NAME, IDB_VERSION)
        .map_err(|_| refused(()))?;
    let on_upgrade = req.clone();
    // A new database (or an older version): create the store, before the open succeeds.
    let upgrade = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
        if let Some(db) = on_upgrade
            .result()
            .ok()
            .and_then(|r| r.dyn_into::<web_sys::IdbDatabase>().ok())
        {
            let _ = db.create_object_store(IDB_STORE);
        }
    });
    req.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let opened = request_done(&req).await;
    req.set_onupgradeneeded(None);
    drop(upgrade);
    opened.map_err(|_| "IndexedDB did not open".to_string())?;
    req.result()
        .ok()
        .and_then(|r| r.dyn_into().ok())
        .ok_or_else(|| "IndexedDB did not open".to_string())
}

/// Keep `json` in IndexedDB (replacing what was there); on failure the reason.
pub async fn idb_save(json: String) -> Result<(), String> {
    let db = idb_open().await?;
    let failed = |_| "IndexedDB refused to write it".to_string();
    let tx = db
        .transaction_with_str_and_mode(IDB_STORE, web_sys::IdbTransactionMode::Readwrite)
        .map_err(failed)?;
    tx.object_store(IDB_STORE)
        .and_then(|s| s.put_with_key(&JsValue::from_str(&json), &JsValue::from_str(IDB_KEY)))
        .map_err(failed)?;
    let p = js_sys::Promise::new(&mut |resolve, reject| {
        tx.set_oncomplete(Some(&resolve));
        tx.set_onerror(Some(&reject));
        tx.set_onabort(Some(&reject));
    });
    let done = wasm_bindgen_futures::JsFuture::from(p).await;
    db.close();
    done.map(|_| ()).map_err(failed)
}

/// The state kept in IndexedDB, if any.
pub async fn idb_load() -> Option<String> {
    let db = idb_open().await.ok()?;
    let req = db
        .transaction_with_str(IDB_STORE)
        .and_then(|tx| tx.object_store(IDB_STORE))
        .and_then(|s| s.get(&JsValue::from_str(IDB_KEY)))
        .ok();
    let json = match req {
        Some(req) => match request_done(&req).await {
            Ok(_) => req.result().ok().and_then(|v| v.as_string()),
            Err(_) => None,
        },
        None => None,
    };
    db.close();
    json
}

fn session() -> Option<web_sys::Storage> {
    window().and_then(|w| w.session_storage().ok().flatten())
}

/// This tab's save mark (sessionStorage), if any.
pub fn load_mark() -> Option<String> {
    session().and_then(|s| s.get_item(MARK_KEY).ok().flatten())
}

/// Keep `mark` for this tab; `None` removes it. Failures are ignored: without a mark a reload
/// takes the link, as before any typing.
pub fn set_mark(mark: Option<&str>) {
    if let Some(s) = session() {
        let _ = match mark {
            Some(m) => s.set_item(MARK_KEY, m),
            None => s.remove_item(MARK_KEY),
        };
    }
}

/// Call `f` when the page is hidden for a reload, a navigation or a close (`pagehide`); the
/// listener lives as long as the returned value.
pub fn on_pagehide(f: impl FnMut() + 'static) -> Option<gloo::events::EventListener> {
    let mut f = f;
    let w = window()?;
    Some(gloo::events::EventListener::new(
        &w,
        "pagehide",
        move |_| f(),
    ))
}

/// The `id` of the element that has the focus, if any.
pub fn active_id() -> Option<String> {
    window()?.document()?.active_element().map(|e| e.id())
}

/// Call `f` when the URL fragment changes by a navigation (a link or an address put into the
/// tab, `location.hash = ...`); `history.replaceState`, which the app writes with, fires nothing.
pub fn on_hashchange(f: impl FnMut() + 'static) -> Option<gloo::events::EventListener> {
    on_window("hashchange", f)
}

/// Call `f` on each `event` of the window (`resize`: the charts fit their new width).
pub fn on_window(
    event: &'static str,
    f: impl FnMut() + 'static,
) -> Option<gloo::events::EventListener> {
    let mut f = f;
    let w = window()?;
    Some(gloo::events::EventListener::new(&w, event, move |_| f()))
}

/// Write `text` to the clipboard (`navigator.clipboard.writeText`); silently nothing where the
/// API is missing.
pub fn copy_text(text: &str) {
    let Some(w) = window() else { return };
    let nav: JsValue = w.navigator().into();
    let Ok(clip) = js_sys::Reflect::get(&nav, &JsValue::from_str("clipboard")) else {
        return;
    };
    if clip.is_undefined() || clip.is_null() {
        return;
    }
    if let Ok(f) = js_sys::Reflect::get(&clip, &JsValue::from_str("writeText")) {
        if let Some(f) = f.dyn_ref::<js_sys::Function>() {
            // The returned promise may reject (no permission): nothing to do about it.
            let _ = f.call1(&clip, &JsValue::from_str(text));
        }
    }
}

fn click_download(href: &str, name: &str) -> Option<()> {
    let doc = window()?.document()?;
    let a: HtmlAnchorElement = doc.create_element("a").ok()?.dyn_into().ok()?;
    a.set_href(href);
    a.set_download(name);
    let body = doc.body()?;
    body.append_child(&a).ok()?;
    a.click();
    body.remove_child(&a).ok()?;
    Some(())
}

/// Offer `text` as a file download.
pub fn download_text(text: &str, name: &str, mime: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    if let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) {
        click_download(&url, name);
        let _ = web_sys::Url::revoke_object_url(&url);
    }
}

/// Stack `canvases` vertically into one PNG and offer it as a download.
pub fn download_png(canvases: &[HtmlCanvasElement], name: &str) -> Result<(), String> {
    let doc = window().and_then(|w| w.document()).ok_or("no document")?;
    let out: HtmlCanvasElement = doc
        .create_element("canvas")
        .ok()
        .and_then(|e| e.dyn_into().ok())
        .ok_or("cannot create a canvas")?;
    let w = canvases.iter().map(|c| c.width()).max().unwrap_or(1);
    let h: u32 = canvases.iter().map(|c| c.height()).sum();
    out.set_width(w);
    out.set_height(h.max(1));
    let ctx: web_sys::CanvasRenderingContext2d = out
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into().ok())
        .ok_or("no 2D canvas")?;
    let mut y = 0.0;
    for c in canvases {
        ctx.draw_image_with_html_canvas_element(c, 0.0, y)
            .map_err(|_| "cannot copy the chart")?;
        y += f64::from(c.height());
    }
    let url = out
        .to_data_url_with_type("image/png")
        .map_err(|_| "cannot encode the PNG")?;
    click_download(&url, name).ok_or_else(|| "cannot start the download".to_string())
}

/// Mark the page ready (`<body data-app-ready="true">`) for tests and benchmarks; the first
/// time, also when (`data-app-ready-ms`: `performance.now()`, ms since the navigation started,
/// so it includes reading the link and the first run).
pub fn set_app_ready() {
    if let Some(b) = window().and_then(|w| w.document()).and_then(|d| d.body()) {
        if !b.has_attribute("data-app-ready") {
            let _ = b.set_attribute("data-app-ready-ms", &format!("{:.1}", now()));
        }
        let _ = b.set_attribute("data-app-ready", "true");
    }
}

/// Set attribute `name` of the element with `id`, if present.
pub fn set_attr(id: &str, name: &str, value: &str) {
    if let Some(e) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    {
        let _ = e.set_attribute(name, value);
    }
}
