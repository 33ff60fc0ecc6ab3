//! In embed mode (`?embed`) inside a page of the same origin (a docs site's rule page), tell the
//! parent how tall the content is, so the page sizes the iframe to it: a message
//! `{scalelens: 'height', height}` posted to the parent's origin, which must be this page's own
//! (another origin gets nothing, so no site learns anything from an embed it frames), once the
//! app has rendered and whenever the body's size changes (a `ResizeObserver`). The docs site's
//! `docs/theme/embed.js` listens; the first message also tells it the embed has loaded (it then
//! hides the static picture shown until now). Every failure is absorbed: the embed works alone.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Start reporting the height (no-op outside embed mode or when not framed).
pub fn start() {
    if !crate::dom::is_embed() {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(Some(parent)) = window.parent() else {
        return;
    };
    if parent == window {
        return; // not framed
    }
    let Ok(origin) = window.location().origin() else {
        return;
    };
    let Some(body) = window.document().and_then(|d| d.body()) else {
        return;
    };
    let measured = body.clone();
    let post = Closure::<dyn FnMut()>::new(move || {
        let height = measured.scroll_height();
        let msg = js_sys::Object::new();
        let ok = js_sys::Reflect::set(&msg, &"scalelens".into(), &"height".into()).is_ok()
            && js_sys::Reflect::set(&msg, &"height".into(), &height.into()).is_ok();
        if ok && height > 0 {
            // Same origin only: the browser drops the message if the parent is another origin.
            let _ = parent.post_message(&msg, &origin);
        }
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(post.as_ref().unchecked_ref()) {
        observer.observe(&body);
        std::mem::forget(observer); // observes for the page's life
    }
    let _ = window.add_event_listener_with_callback("load", post.as_ref().unchecked_ref());
    post.forget(); // lives as long as the page
}
