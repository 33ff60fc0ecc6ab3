//! The YAML code editor: CodeMirror 6 (the bundle `web/editor/dist/editor.js`, built by
//! `cargo xtask` from `web/editor/editor.js` with esbuild at pinned versions) behind a function
//! component, [`CodeEditor`], and a [`Handle`] the app drives it through.
//!
//! The app owns the text and its one undo history: the component creates the editor once per
//! mount, reports a user's edit ([`EditorEvent::Change`]) and the editor's Ctrl+Z / Ctrl+Shift+Z /
//! Ctrl+Y ([`EditorEvent::Undo`], [`EditorEvent::Redo`]: the app's history, not CodeMirror's, so a
//! fix, an example or an opened link are undone like typing — issue 14, item 8); the app puts its
//! text back with [`Handle::sync`] (one change: the selection and scroll map through it), its
//! diagnostics with [`Handle::show`] (squiggles, hover tooltips with the fix as an action, the
//! gutter's marks) and selects with [`Handle::select`]; the editor says which diagnostics hold
//! the cursor ([`EditorEvent::Cursor`]) so the list highlights them.
//!
//! Positions: the core's spans count characters; CodeMirror counts UTF-16 units;
//! [`crate::text::utf16_of_chars`] converts (tested natively).

use std::cell::RefCell;
use std::rc::Rc;

use scalelens_core::diagnostic::Diagnostic;
use serde::Serialize;
use wasm_bindgen::JsValue;
use yew::prelude::*;

use crate::text;

#[cfg(target_arch = "wasm32")]
mod js {
    use wasm_bindgen::prelude::*;

    // The path is from the crate root (web/); `web/build.rs` says how to build it when missing.
    // `catch`: a JavaScript exception comes back as an `Err` (the editor logs its own), never
    // as a trap in the app.
    #[wasm_bindgen(module = "/editor/dist/editor.js")]
    extern "C" {
        #[wasm_bindgen(catch)]
        pub fn create(
            parent: &web_sys::Element,
            doc: &str,
            options: &JsValue,
            callbacks: &JsValue,
        ) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(js_name = setDoc, catch)]
        pub fn set_doc(view: &JsValue, doc: &str) -> Result<(), JsValue>;
        #[wasm_bindgen(js_name = showDiagnostics, catch)]
        pub fn show_diagnostics(view: &JsValue, diags: &JsValue) -> Result<(), JsValue>;
        #[wasm_bindgen(catch)]
        pub fn select(view: &JsValue, from: u32, to: u32, focus: bool) -> Result<(), JsValue>;
        #[wasm_bindgen(catch)]
        pub fn destroy(view: &JsValue) -> Result<(), JsValue>;
        #[wasm_bindgen(catch)]
        pub fn flush(view: &JsValue) -> Result<String, JsValue>;
    }
}

/// Off wasm32 (native tests of the other modules) there is no browser: nothing to drive.
#[cfg(not(target_arch = "wasm32"))]
mod js {
    use wasm_bindgen::JsValue;

    pub fn create(
        _: &web_sys::Element,
        _: &str,
        _: &JsValue,
        _: &JsValue,
    ) -> Result<JsValue, JsValue> {
        Ok(JsValue::NULL)
    }
    pub fn set_doc(_: &JsValue, _: &str) -> Result<(), JsValue> {
        Ok(())
    }
    pub fn show_diagnostics(_: &JsValue, _: &JsValue) -> Result<(), JsValue> {
        Ok(())
    }
    pub fn select(_: &JsValue, _: u32, _: u32, _: bool) -> Result<(), JsValue> {
        Ok(())
    }
    pub fn destroy(_: &JsValue) -> Result<(), JsValue> {
        Ok(())
    }
    pub fn flush(_: &JsValue) -> Result<String, JsValue> {
        Err(JsValue::NULL)
    }
}

/// A failed call into the editor: on the console (the page goes on without it).
fn report(what: &str, r: Result<(), JsValue>) {
    if let Err(e) = r {
        console_error(&format!("scalelens editor: {what} failed"), &e);
    }
}

/// `console.error(message, error)`, where there is a console.
fn console_error(message: &str, error: &JsValue) {
    let console = js_sys::Reflect::get(&js_sys::global(), &"console".into());
    let error_fn = console
        .as_ref()
        .ok()
        .and_then(|c| js_sys::Reflect::get(c, &"error".into()).ok());
    if let (Ok(c), Some(f)) = (console.as_ref(), error_fn) {
        if let Some(f) = wasm_bindgen::JsCast::dyn_ref::<js_sys::Function>(&f) {
            let _ = f.call2(c, &message.into(), error);
        }
    }
}

/// One diagnostic as the editor shows it (positions in UTF-16 units of the current text).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mark {
    pub from: u32,
    pub to: u32,
    pub severity: &'static str,
    pub code: &'static str,
    pub message: String,
    pub help: Option<String>,
    /// The upstream source the diagnostic's rule stands on ([`upstream_of`]).
    pub source: Option<String>,
    /// The finding's index in the pipeline output (what [`EditorEvent::Cursor`] names).
    pub finding: usize,
    /// 1-based line of `from` (the gutter mark's `data-line`).
    pub line: u32,
    /// The gutter mark's `title`: `line:column severity[code]: message`.
    pub title: String,
    pub fixes: Vec<MarkFix>,
}

/// A fix offered in a diagnostic's tooltip: `finding` and `fix` index the pipeline output
/// (what [`EditorEvent::Fix`] carries back).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MarkFix {
    pub name: String,
    pub finding: usize,
    pub fix: usize,
}

/// The editor's marks for `findings` (`(finding index, diagnostic)`, those with a span) of
/// `text`; fixes with edits become tooltip actions when `fixable`.
pub fn marks<'a>(
    text: &str,
    findings: impl Iterator<Item = (usize, &'a Diagnostic)>,
    fixable: bool,
) -> Vec<Mark> {
    let found: Vec<(usize, &Diagnostic, scalelens_core::span::Span)> = findings
        .filter_map(|(i, d)| d.span.map(|s| (i, d, s)))
        .collect();
    let offsets: Vec<u32> = found
        .iter()
        .flat_map(|(_, _, s)| [s.start.offset, s.end.offset])
        .collect();
    let units = text::utf16_of_chars(text, &offsets);
    found
        .iter()
        .zip(units.chunks(2))
        .map(|((i, d, s), u)| Mark {
            from: u.first().copied().unwrap_or(0),
            to: u.get(1).copied().unwrap_or(0),
            severity: d.severity.as_str(),
            code: d.code.as_str(),
            message: text::for_the_page(&d.message),
            help: d.help.as_deref().map(text::for_the_page),
            source: upstream_of(d.code),
            finding: *i,
            line: s.start.line,
            title: text::diagnostic_line(d),
            fixes: if fixable {
                d.fixes
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| !f.edits.is_empty())
                    .map(|(k, f)| MarkFix {
                        name: format!("Fix: {}", text::for_the_page(&f.description)),
                        finding: *i,
                        fix: k,
                    })
                    .collect()
            } else {
                Vec::new()
            },
        })
        .collect()
}

/// The upstream source a code's rule stands on: its docs' `# References` (the core's rule
/// docs, `scalelens rule CODE`), on one line.
pub fn upstream_of(code: scalelens_core::codes::Code) -> Option<String> {
    let refs = code.references()?;
    let line = refs
        .lines()
        .map(|l| l.trim().trim_start_matches("- ").trim())
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    (!line.is_empty()).then(|| text::for_the_page(&line.replace('`', "")))
}

/// What the editor tells the app.
#[derive(Debug, Clone, PartialEq)]
pub enum EditorEvent {
    /// A user's edit: the whole new text.
    Change(String),
    Undo,
    Redo,
    /// A diagnostic's fix chosen in its tooltip: (finding, fix).
    Fix(usize, usize),
    /// The findings whose squiggles hold the cursor now (ascending; empty: none).
    Cursor(Vec<usize>),
}

/// A paste into the editor: the event, the selection it replaces (UTF-16) and the text's
/// length (UTF-16). The app answers whether it handles the paste itself.
pub struct PasteAt {
    pub event: web_sys::Event,
    pub from: u32,
    pub to: u32,
    pub len: u32,
}

/// Asks for the docs of what is at a UTF-16 position of the given text: (from, to, title,
/// lines) or `None`.
pub type DocsAt = Rc<dyn Fn(&str, u32) -> Option<(u32, u32, String, Vec<String>)>>;
/// Asks for completions at a UTF-16 position of the given text: (from, options).
pub type CompleteAt = Rc<dyn Fn(&str, u32) -> Option<(u32, Vec<Completion>)>>;

/// One completion offered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Completion {
    pub label: String,
    pub detail: String,
    pub info: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
}

#[derive(Default)]
struct Inner {
    /// The CodeMirror view while mounted.
    view: Option<JsValue>,
    /// The text the editor holds (as the app last put it or the user last left it).
    text: String,
    /// The diagnostics shown (kept for a remount).
    marks: Option<JsValue>,
    /// How many edits the user made (each change callback), so a reader can tell whether
    /// the editor has input it has not seen ([`Handle::edits`]).
    edits: u64,
    /// The closures the editor calls, alive while it is.
    closures: Vec<Box<dyn std::any::Any>>,
}

/// The app's handle on the editor (shared with the component; cheap to clone).
#[derive(Clone, Default)]
pub struct Handle(Rc<RefCell<Inner>>);

impl PartialEq for Handle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Handle {
    /// Put `text` in the editor unless it holds it already (one change: common start and end
    /// kept).
    pub fn sync(&self, text: &str) {
        let mut inner = self.0.borrow_mut();
        if inner.text == text {
            return;
        }
        inner.text = text.to_string();
        if let Some(view) = &inner.view {
            report("setDoc", js::set_doc(view, text));
        }
    }

    /// Show `marks` (squiggles, tooltips, gutter marks).
    pub fn show(&self, marks: &[Mark]) {
        let json = serde_json::to_string(marks).unwrap_or_else(|_| "[]".into());
        let value = js_sys::JSON::parse(&json).unwrap_or(JsValue::NULL);
        let mut inner = self.0.borrow_mut();
        if let Some(view) = &inner.view {
            report("showDiagnostics", js::show_diagnostics(view, &value));
        }
        inner.marks = Some(value);
    }

    /// Select UTF-16 `from..to`, scroll to it, and focus the editor when `focus`.
    pub fn select(&self, from: u32, to: u32, focus: bool) {
        if let Some(view) = &self.0.borrow().view {
            report("select", js::select(view, from, to, focus));
        }
    }

    /// Whether an editor is mounted.
    pub fn mounted(&self) -> bool {
        self.0.borrow().view.is_some()
    }

    /// Apply the input the editor has seen but not read yet (CodeMirror reads DOM input at
    /// the next animation frame, which a page going away never gets) and return its text;
    /// `None` when no editor is mounted or the call failed. The change callback runs for
    /// what was read (its message reaches the app after the current update).
    pub fn flush(&self) -> Option<String> {
        // The borrow ends before the call: the change callback borrows the handle.
        let view = self.0.borrow().view.clone()?;
        match js::flush(&view) {
            Ok(doc) => {
                self.0.borrow_mut().text.clone_from(&doc);
                Some(doc)
            }
            Err(e) => {
                console_error("scalelens editor: flush failed", &e);
                None
            }
        }
    }

    /// The text the editor holds.
    pub fn text(&self) -> String {
        self.0.borrow().text.clone()
    }

    /// How many edits the user has made in the editor (the app's own changes not counted).
    pub fn edits(&self) -> u64 {
        self.0.borrow().edits
    }
}

#[derive(Properties, Clone)]
pub struct Props {
    pub handle: Handle,
    /// The editable element's `id` (`yaml-editor`).
    pub id: AttrValue,
    /// The id of the gutter holding the diagnostics' marks (`yaml-gutter`).
    pub gutter_id: AttrValue,
    pub label: AttrValue,
    /// The text when the editor is created (afterwards the app uses [`Handle::sync`]).
    pub initial: AttrValue,
    pub read_only: bool,
    pub on_event: Callback<EditorEvent>,
    pub on_paste: Callback<PasteAt, bool>,
    pub docs: DocsAt,
    pub complete: CompleteAt,
}

impl PartialEq for Props {
    fn eq(&self, other: &Self) -> bool {
        // The editor is created once per mount: only the handle and the mode matter.
        self.handle == other.handle && self.read_only == other.read_only && self.id == other.id
    }
}

/// The editor: a `<div>` CodeMirror fills once mounted.
#[function_component(CodeEditor)]
pub fn code_editor(props: &Props) -> Html {
    let parent = use_node_ref();
    {
        let parent = parent.clone();
        let props = props.clone();
        use_effect_with((), move |_| {
            let handle = props.handle.clone();
            if let Some(el) = parent.cast::<web_sys::Element>() {
                create_in(&el, &props);
            }
            move || {
                let mut inner = handle.0.borrow_mut();
                if let Some(view) = inner.view.take() {
                    report("destroy", js::destroy(&view));
                }
                inner.closures.clear();
            }
        });
    }
    html! { <div class="code-editor" ref={parent}></div> }
}

#[cfg(target_arch = "wasm32")]
fn create_in(el: &web_sys::Element, props: &Props) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    let set = |o: &js_sys::Object, k: &str, v: &JsValue| {
        let _ = js_sys::Reflect::set(o, &JsValue::from_str(k), v);
    };
    let handle = props.handle.clone();
    let options = js_sys::Object::new();
    set(&options, "id", &JsValue::from_str(&props.id));
    set(&options, "label", &JsValue::from_str(&props.label));
    set(&options, "readOnly", &JsValue::from_bool(props.read_only));
    set(&options, "yaml", &JsValue::TRUE);
    set(&options, "gutterId", &JsValue::from_str(&props.gutter_id));

    let on = props.on_event.clone();
    let h = handle.clone();
    let change = Closure::<dyn FnMut(String)>::new(move |doc: String| {
        {
            let mut inner = h.0.borrow_mut();
            inner.text.clone_from(&doc);
            inner.edits = inner.edits.wrapping_add(1);
        }
        on.emit(EditorEvent::Change(doc));
    });
    let on = props.on_event.clone();
    let undo = Closure::<dyn FnMut()>::new(move || on.emit(EditorEvent::Undo));
    let on = props.on_event.clone();
    let redo = Closure::<dyn FnMut()>::new(move || on.emit(EditorEvent::Redo));
    let on = props.on_event.clone();
    let fix = Closure::<dyn FnMut(u32, u32)>::new(move |f: u32, k: u32| {
        on.emit(EditorEvent::Fix(f as usize, k as usize))
    });
    let on = props.on_event.clone();
    let cursor = Closure::<dyn FnMut(JsValue)>::new(move |found: JsValue| {
        let found: Vec<usize> = js_sys::Array::from(&found)
            .iter()
            .filter_map(|v| v.as_f64())
            .map(|v| v as usize)
            .collect();
        on.emit(EditorEvent::Cursor(found))
    });
    let on_paste = props.on_paste.clone();
    let paste = Closure::<dyn FnMut(web_sys::Event, u32, u32, u32) -> bool>::new(
        move |event, from, to, len| {
            on_paste.emit(PasteAt {
                event,
                from,
                to,
                len,
            })
        },
    );
    let (docs_at, h) = (props.docs.clone(), handle.clone());
    let docs = Closure::<dyn FnMut(u32) -> JsValue>::new(move |pos: u32| {
        let text = h.0.borrow().text.clone();
        docs_at(&text, pos).map_or(JsValue::NULL, |(from, to, title, lines)| {
            let o = js_sys::Object::new();
            let arr: js_sys::Array = lines.iter().map(|l| JsValue::from_str(l)).collect();
            let _ = js_sys::Reflect::set(&o, &"from".into(), &from.into());
            let _ = js_sys::Reflect::set(&o, &"to".into(), &to.into());
            let _ = js_sys::Reflect::set(&o, &"title".into(), &title.into());
            let _ = js_sys::Reflect::set(&o, &"lines".into(), &arr);
            o.into()
        })
    });
    let (complete_at, h) = (props.complete.clone(), handle.clone());
    let complete = Closure::<dyn FnMut(u32) -> JsValue>::new(move |pos: u32| {
        let text = h.0.borrow().text.clone();
        complete_at(&text, pos).map_or(JsValue::NULL, |(from, options)| {
            let json = serde_json::json!({ "from": from, "options": options }).to_string();
            js_sys::JSON::parse(&json).unwrap_or(JsValue::NULL)
        })
    });
    let callbacks = js_sys::Object::new();
    set(&callbacks, "change", change.as_ref().unchecked_ref());
    set(&callbacks, "undo", undo.as_ref().unchecked_ref());
    set(&callbacks, "redo", redo.as_ref().unchecked_ref());
    set(&callbacks, "fix", fix.as_ref().unchecked_ref());
    set(&callbacks, "cursor", cursor.as_ref().unchecked_ref());
    set(&callbacks, "paste", paste.as_ref().unchecked_ref());
    set(&callbacks, "docs", docs.as_ref().unchecked_ref());
    set(&callbacks, "complete", complete.as_ref().unchecked_ref());

    let text = props.initial.to_string();
    let view = match js::create(el, &text, &options, &callbacks) {
        Ok(view) => view,
        Err(e) => {
            console_error("scalelens editor: not created", &e);
            return;
        }
    };
    let mut inner = handle.0.borrow_mut();
    if let Some(marks) = &inner.marks {
        report("showDiagnostics", js::show_diagnostics(&view, marks));
    }
    inner.text = text;
    inner.view = Some(view);
    inner.closures = vec![
        Box::new(change),
        Box::new(undo),
        Box::new(redo),
        Box::new(fix),
        Box::new(cursor),
        Box::new(paste),
        Box::new(docs),
        Box::new(complete),
    ];
}

#[cfg(not(target_arch = "wasm32"))]
fn create_in(el: &web_sys::Element, props: &Props) {
    let mut inner = props.handle.0.borrow_mut();
    inner.text = props.initial.to_string();
    inner.view = js::create(el, &inner.text, &JsValue::NULL, &JsValue::NULL).ok();
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelens_core::codes::Code;

    /// Every code's tooltip names an upstream source: its rule docs' references, on one line,
    /// without Markdown's backticks.
    #[test]
    fn every_code_names_its_upstream_source() {
        for code in Code::ALL {
            let source = upstream_of(*code).unwrap_or_else(|| panic!("{code:?}: no source"));
            assert!(
                !source.contains('`') && !source.contains('\n') && !source.starts_with("- "),
                "{code:?}: {source}"
            );
        }
        let seed = upstream_of(Code::UnitMismatch).unwrap_or_default();
        assert!(
            seed.contains(
                "vllm-project/aibrix v0.7.0 pkg/controller/podautoscaler/algorithm/kpa.go"
            ),
            "{seed}"
        );
    }
}
