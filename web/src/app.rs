//! The playground component: holds the [`State`], runs `core::pipeline` on (debounced) edits,
//! renders the result as Yew nodes (user text only ever as text nodes) and draws the charts.
//!
//! Edits re-run `core::pipeline::run_cached` 150 ms (`RUN_DEBOUNCE_MS`) after the last keystroke
//! (the parsed samples are kept while their text is unchanged); the charts redraw after the
//! render; the trace panel renders `core::explain` for the hovered or clicked time (core's most
//! telling moment, `explain::interesting_moment`, before any).
//!
//! **The pipeline runs on the UI thread**, debounced, not in a Web Worker: a day at 1 s replays
//! in milliseconds, and a worker would need a second wasm bundle and message passing for every
//! edit. Revisit if a week-long input makes typing lag.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use scalelens_chart::{Overlay, PlotGeometry};
use scalelens_core::algorithm::Mode;
use scalelens_core::codes::Code;
use scalelens_core::demand::pattern::Shape;
use scalelens_core::diagnostic::Diagnostic;
use scalelens_core::display::{Clock, Num};
use scalelens_core::explain;
use scalelens_core::pipeline::{
    self, Finding, InputText, NotReplayed, PipelineOutput, WindowError,
};
use scalelens_core::sim::TimelineEntry;
use scalelens_core::span::Origin;
use scalelens_core::Millis;
use wasm_bindgen::JsCast;
use web_sys::{HtmlCanvasElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::canvas::{self, Panel};
use crate::dom;
use crate::editor::{self, CodeEditor, EditorEvent, PasteAt};
use crate::examples::EXAMPLES;
use crate::knob_docs;
use crate::state::{Fragments, PatternState, State, WindowField, FIELD_CAP, LINK_CAP};
use crate::text::{self, PREVIEW_LINES};

/// Delay between the last keystroke and the re-run.
const RUN_DEBOUNCE_MS: u32 = 150;
/// Delay between the last change and writing the URL fragment and localStorage.
const SAVE_DEBOUNCE_MS: u32 = 400;
/// States whose JSON is smaller than this (texts equal to the example's are not in it) are
/// also saved to localStorage on every keystroke (about 0.1 ms at this size). The link is
/// never computed per keystroke: lz-string takes about 10 ms for 64 KB in the browser.
const IMMEDIATE_SAVE_BYTES: usize = 64_000;
/// The size of `state`'s JSON in KB, without serializing a state whose texts are already over
/// the link cap.
fn state_kb(state: &State) -> usize {
    let floor = state.json_len_floor();
    if floor > LINK_CAP {
        floor / 1000
    } else {
        state.to_json().len() / 1000
    }
}

/// The share fragment of `state`, unless the state is too large for a link ([`LINK_CAP`]).
fn link_fragment(state: &State) -> Option<String> {
    state.to_link_fragment()
}

/// `#message[data-kind]` of a text over [`crate::state::YAML_CAP`] or
/// [`crate::state::SAMPLES_CAP`], not run.
const INPUT_TOO_LARGE: &str = "input-too-large";

/// `#message[data-kind]` of an input the core refused at one of its bounds ([`LIMIT_CODES`]).
const INPUT_LIMIT: &str = "input-limit";
/// The diagnostics that mean "a bound was hit", repeated in `#message`: YAML nesting, alias
/// expansion, document size and count (`yaml-limit`); a replay over the evaluation cap
/// (`replay-too-long`, which says how to narrow it).
const LIMIT_CODES: &[Code] = &[Code::YamlLimit, Code::ReplayTooLong];
/// `#message[data-kind]` of a replay window field that is not a time: nothing is replayed
/// ([`State::pipeline_input`]), the field says why.
const WINDOW_INVALID: &str = "window-invalid";
/// The messages [`App::run`] sets and clears by itself.
const RUN_MESSAGES: &[&str] = &[INPUT_TOO_LARGE, INPUT_LIMIT, WINDOW_INVALID];

/// Keystrokes in one editor closer together than this are one undo step (as editors group
/// typing); a pause, the other editor or any other change starts a new step.
const TYPING_STEP_MS: f64 = 1_000.0;
/// Most undo steps kept (the oldest go first).
const HISTORY_STEPS: usize = 200;
/// Most text kept by the undo and redo history, in bytes (the oldest steps go first): a
/// history of a 5 MB samples text keeps about ten steps of it.
const HISTORY_BYTES: usize = 50_000_000;

/// Half-width of the decision trace's window around the inspected time.
const TRACE_SPAN: Millis = 120_000;
/// Most steps the trace lists (changed ones, around the inspected one).
const TRACE_STEPS: usize = 9;
/// Editor line height in CSS pixels (gutter marks and scrolling to a line use it).
const LINE_PX: u32 = 18;
/// Chart sizes in CSS pixels: each canvas is as wide as its column (this width only when it is
/// not laid out) and this high, its pixels that times `devicePixelRatio` ([`canvas::fit`]).
const CANVAS_W: u32 = 960;
const METRIC_H: u32 = 320;
const REPLICAS_H: u32 = 300;
/// Decisions PageUp / PageDown move a focused chart's cursor by.
const CHART_PAGE: usize = 10;

/// A run kept for before/after comparison.
struct Pinned {
    label: String,
    timeline: Vec<TimelineEntry>,
}

/// A settings field.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Setting {
    InitialReplicas,
    PodStartup,
    Horizon,
    Autoscaler,
    Aibrix,
    SamplesAre,
    PatternBase,
    PatternPeak,
    PatternDuration,
    PatternStep,
    WindowFrom,
    WindowTo,
}

pub enum Msg {
    YamlInput(String),
    SamplesInput(String),
    Run,
    Save,
    Pattern(String),
    Example(String),
    Set(Setting, String),
    SelectLine(InputText, u32),
    /// Select a finding's span in its editor (a click or Enter on a listed diagnostic).
    SelectFinding(usize),
    /// From the YAML code editor: an edit, its Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y, a tooltip's fix.
    Editor(EditorEvent),
    ApplyFix(usize, usize),
    Undo,
    Redo,
    Pin,
    Unpin,
    CopyLink,
    CopyMarkdown,
    ExportPng,
    ExportCsv,
    ExportYaml,
    ChartPointer(Panel, i32, bool),
    PointerLeft,
    /// A key on a focused chart ([`chart_key`]): the cursor moves from decision to decision.
    ChartKey(Panel, ChartKey),
    /// A chart got (`Some`) or lost the keyboard focus.
    ChartFocus(Option<Panel>),
    /// The window changed size: the charts fit their new width.
    Resized,
    Scrolled(InputText),
    /// A paste the app makes itself (too long for the browser to insert and show quickly):
    /// the pasted text and the editor's selection (UTF-16) it replaces.
    Paste(InputText, String, u32, u32),
    /// A paste refused over the cap: the editor and the length its text would have had.
    PasteRefused(InputText, usize),
    /// Show the whole of a text shown as a preview ([`text::too_long_to_show`]).
    ShowAll(InputText),
    /// Empty an editor (a text shown as a preview cannot be selected and deleted).
    ClearText(InputText),
    /// Fill the replay window fields with the window `replay-too-long` suggests.
    UseSuggestedWindow,
    /// The URL fragment changed by a navigation: open the link it holds.
    HashChange,
    /// An IndexedDB save settled: the save's generation ([`App::save_gen`]) and its result.
    StoredLarge(u32, Result<(), String>),
    /// The state kept in IndexedDB, read at start (`None`: none or unreadable).
    LoadedLarge(Option<String>),
    /// Replace samples of another metric by a demand pattern around the target (Undo reverts).
    UseDemandPattern,
}

pub struct App {
    state: State,
    output: PipelineOutput,
    /// The last samples import, reused while the samples text is unchanged.
    cache: pipeline::SamplesCache,
    pinned: Option<Pinned>,
    /// States before each change the history keeps (typing, a fix, an example, a link, a
    /// cleared text...), newest last: the toolbar's Undo and Ctrl+Z in an editor pop it.
    undo: Vec<State>,
    /// States undone, newest last (Redo, Ctrl+Shift+Z, Ctrl+Y); any new change clears it.
    redo: Vec<State>,
    /// The editor being typed in and the time of its last keystroke (`performance.now()`),
    /// while keystrokes join one undo step ([`TYPING_STEP_MS`]).
    typing: Option<(InputText, f64)>,
    /// Where the focus and selection go after the next render (a fix, an undo in an editor).
    focus_after: Option<(InputText, u32, u32)>,
    message: Option<(&'static str, String)>,
    cursor: Option<Millis>,
    hover: Option<Millis>,
    geometry: [Option<PlotGeometry>; 2],
    /// Canvas pixels per CSS pixel of each chart as last drawn ([`canvas::fit`]).
    scale: [f64; 2],
    /// The chart under the pointer or with the keyboard focus: the tooltip goes there.
    chart_at: Panel,
    /// Whether a chart has the keyboard focus: the tooltip then shows the cursor's decision.
    chart_focus: bool,
    /// Fits the charts to a resized window ([`Msg::Resized`]).
    _resize: Option<gloo::events::EventListener>,
    render_count: u32,
    /// `performance.now()` when the current output's run started (debounce fire).
    fired_at: f64,
    /// How long the last pipeline run took (ms), without rendering and drawing.
    run_ms: f64,
    needs_draw: bool,
    run_timer: Option<Timeout>,
    /// The debounced save (fragment and localStorage); `Some` while changes are unsaved.
    save_timer: Option<Timeout>,
    /// Saves what is unsaved when the page goes away (a reload while typing), by itself
    /// ([`Unsaved`]).
    _pagehide: Option<gloo::events::EventListener>,
    /// What that listener saves: shared with it.
    unsaved: Rc<RefCell<Unsaved>>,
    /// Opens a link put into the open tab ([`Msg::HashChange`]).
    _hashchange: Option<gloo::events::EventListener>,
    embed: bool,
    /// The embed's "Open in playground" URL, computed once (the embed is read-only).
    open_url: String,
    /// The YAML code editor (CodeMirror, [`crate::editor`]).
    yaml_editor: editor::Handle,
    /// The YAML diagnostics changed since they were last given to the editor.
    marks_changed: bool,
    /// The findings whose squiggles hold the editor's cursor: highlighted in the list.
    at_cursor: Vec<usize>,
    /// Whether the AIBrix generation is v0.4 (which knobs the editor's docs and completion
    /// name), kept where the editor's callbacks read it.
    aibrix_v04: Rc<std::cell::Cell<bool>>,
    samples_ref: NodeRef,
    samples_gutter: NodeRef,
    metric_canvas: NodeRef,
    replicas_canvas: NodeRef,
    summary_ref: NodeRef,
    example_select: NodeRef,
    autoscaler_select: NodeRef,
    /// Gutter text per editor (YAML, samples) with the line count it was built for: rebuilt
    /// only when the count changes, so typing in a long file stays cheap.
    gutters: std::cell::RefCell<[(usize, AttrValue); 2]>,
    /// The typed text of each text field, as typed (so re-rendering never rewrites what the
    /// user is typing); refreshed from the state when the state is replaced.
    fields: [String; TYPED.len()],
    /// Per editor (YAML, samples): show a text too long to show quickly in full anyway (the
    /// user asked); reset when the text is replaced.
    show_all: [bool; 2],
    /// The target the demand pattern's base and peak were last set around: when a new YAML
    /// brings another target, the pattern is rescaled by their ratio (issue 14, item 3).
    /// `None` until a run with a pattern and a target (then that run's target).
    pattern_target: Option<f64>,
    /// Whether the current state is saved in this browser (what Copy link may claim).
    saved: Saved,
    /// Counts saves, so an IndexedDB save that settles after a newer save changes nothing.
    save_gen: u32,
    /// For messages from async work (IndexedDB).
    scope: html::Scope<App>,
}

/// Whether the state is saved in this browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Saved {
    Yes,
    /// An IndexedDB write is under way.
    Pending,
    No,
}

impl Saved {
    /// `.app[data-saved]`.
    fn as_str(self) -> &'static str {
        match self {
            Saved::Yes => "yes",
            Saved::Pending => "pending",
            Saved::No => "no",
        }
    }
}

/// The settings typed as text, in `App::fields` order.
const TYPED: [Setting; 9] = [
    Setting::InitialReplicas,
    Setting::PodStartup,
    Setting::Horizon,
    Setting::PatternBase,
    Setting::PatternPeak,
    Setting::PatternDuration,
    Setting::PatternStep,
    Setting::WindowFrom,
    Setting::WindowTo,
];

/// The text fields' contents for `s`.
fn field_texts(s: &State) -> [String; TYPED.len()] {
    let p = s.pattern.as_ref();
    [
        opt_str(s.initial_replicas),
        opt_str(s.pod_startup_s),
        opt_str(s.horizon_s),
        opt_str(p.map(|p| p.base)),
        opt_str(p.map(|p| p.peak)),
        opt_str(p.map(|p| p.duration_s)),
        opt_str(p.map(|p| p.step_s)),
        s.window_from.clone().unwrap_or_default(),
        s.window_to.clone().unwrap_or_default(),
    ]
}

impl App {
    fn field(&self, which: Setting) -> String {
        TYPED
            .iter()
            .position(|t| *t == which)
            .and_then(|i| self.fields.get(i))
            .cloned()
            .unwrap_or_default()
    }

    /// The state was replaced (start, example, undo, pattern): refresh the text fields.
    fn refresh_fields(&mut self) {
        self.fields = field_texts(&self.state);
        self.show_all = [false; 2];
        // A replaced pattern is relative to the target of its own first run.
        self.pattern_target = None;
    }

    fn text_of(&self, input: InputText) -> &String {
        match input {
            InputText::Yaml => &self.state.yaml,
            InputText::Samples => &self.state.samples,
        }
    }

    fn set_text(&mut self, input: InputText, text: String) {
        match input {
            InputText::Yaml => self.state.yaml = text,
            InputText::Samples => self.state.samples = text,
        }
    }

    /// Whether `input`'s editor shows a preview instead of the whole text.
    fn held(&self, input: InputText) -> bool {
        !self.show_all[editor_index(input)] && text::too_long_to_show(self.text_of(input))
    }

    fn gutter_text(&self, input: InputText) -> AttrValue {
        let (i, text) = match input {
            InputText::Yaml => (0, &self.state.yaml),
            InputText::Samples => (1, &self.state.samples),
        };
        let n = text::line_count(text);
        let mut g = self.gutters.borrow_mut();
        if g[i].0 != n {
            g[i] = (n, AttrValue::from(text::gutter_numbers(n)));
        }
        g[i].1.clone()
    }

    /// Run the pipeline on the state ([`App::run_pipeline`]); when the autoscaler's target
    /// changed under a demand pattern, rescale the pattern and run again.
    fn run(&mut self) {
        self.fired_at = dom::now();
        self.run_pipeline();
        if self.follow_autoscalers() {
            self.run_pipeline();
        }
        if self.follow_target() {
            self.run_pipeline();
        }
    }

    /// The autoscaler chosen in the picker is gone from a new YAML: replay the first one and
    /// say so, rather than nothing ("No autoscaler to replay", issue 14, item 4). A YAML with
    /// no autoscaler at all (half typed) keeps the choice. Whether the choice changed.
    fn follow_autoscalers(&mut self) -> bool {
        let Some(chosen) = self.state.autoscaler.as_deref() else {
            return false;
        };
        let found = &self.output.autoscalers;
        let Some((first, _)) = found.first() else {
            return false;
        };
        if found.iter().any(|(name, _)| name == chosen) {
            return false;
        }
        let text = format!(
            "The YAML has no autoscaler `{chosen}` any more: replaying the first one, `{first}`."
        );
        self.state.autoscaler = None;
        self.say("info", text);
        true
    }

    /// A demand pattern is total demand in the metric's unit, set around a target (base half
    /// of it, peak four times it: [`PatternState::around`]). When the YAML now has another
    /// target (an HPA at 60 % pasted over a 0–1 KPA), keep the pattern's relation to it:
    /// scale base and peak by new target / old target, refresh their fields and say so.
    /// Whether the pattern changed.
    fn follow_target(&mut self) -> bool {
        let usable = |t: Option<f64>| t.filter(|t| t.is_finite() && *t > 0.0);
        let Some(new) = usable(self.target()) else {
            return false;
        };
        let Some(p) = self.state.pattern.as_mut() else {
            return false;
        };
        let Some(old) = usable(self.pattern_target.replace(new)) else {
            return false;
        };
        if (new - old).abs() <= f64::EPSILON * new.max(old) {
            return false;
        }
        let ratio = new / old;
        p.base = significant(p.base * ratio);
        p.peak = significant(p.peak * ratio);
        let (base, peak) = (p.base, p.peak);
        self.set_field(Setting::PatternBase, base.to_string());
        self.set_field(Setting::PatternPeak, peak.to_string());
        self.say(
            "info",
            format!(
                "The target changed from {} to {}: the demand pattern follows it (base {}, peak {}).",
                Num(old),
                Num(new),
                Num(base),
                Num(peak)
            ),
        );
        true
    }

    fn set_field(&mut self, which: Setting, text: String) {
        if let Some(f) = TYPED
            .iter()
            .position(|t| *t == which)
            .and_then(|i| self.fields.get_mut(i))
        {
            *f = text;
        }
    }

    /// Run the pipeline on the state, unless a text is over the input cap: then an empty
    /// output and the `input-too-large` message (the editors keep the text).
    fn run_pipeline(&mut self) {
        match self.state.too_large() {
            Some(why) => {
                self.output = PipelineOutput::default();
                self.say(INPUT_TOO_LARGE, why);
            }
            None => {
                self.output = pipeline::run_cached(&self.state.pipeline_input(), &mut self.cache);
                self.run_ms = dom::now() - self.fired_at;
                // A bound the core refused the input at is also said at the top: the list
                // may be long, and the user should know the input was cut, not just wrong.
                let limit = self
                    .output
                    .findings
                    .iter()
                    .map(|f| &f.diagnostic)
                    .find(|d| LIMIT_CODES.contains(&d.code));
                if let Err(errors) = self.state.window() {
                    // Said at the fields too; here, why there is no chart.
                    let text = errors
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(" ");
                    self.say(WINDOW_INVALID, text);
                } else if let Some(d) = limit {
                    let mut text =
                        format!("Input refused at a limit: {}.", text::diagnostic_line(d));
                    if let Some(w) = &self.output.suggested_window {
                        text.push_str(&format!(
                            " Replay a window of the data instead: from {} to {} (its first {:#}), in the replay window fields beside the samples{}.",
                            w.from,
                            w.to,
                            scalelens_core::display::Dur(w.span),
                            if self.state.horizon_s.is_some() {
                                ", or a shorter horizon"
                            } else {
                                ""
                            }
                        ));
                    }
                    self.say(INPUT_LIMIT, text);
                } else if self
                    .message
                    .as_ref()
                    .is_some_and(|m| RUN_MESSAGES.contains(&m.0))
                {
                    self.message = None;
                }
            }
        }
        self.needs_draw = true;
        self.marks_changed = true;
        self.aibrix_v04
            .set(self.state.aibrix.as_deref() == Some("v0.4"));
    }

    /// Redraw the charts without a new run (pin, cursor); timed from now.
    fn redraw(&mut self) {
        self.fired_at = dom::now();
        self.needs_draw = true;
    }

    fn schedule(&mut self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        self.run_timer = Some(Timeout::new(RUN_DEBOUNCE_MS, move || {
            link.send_message(Msg::Run)
        }));
        self.schedule_save(ctx);
    }

    fn schedule_save(&mut self, ctx: &Context<Self>) {
        self.keep_unsaved(true);
        let link = ctx.link().clone();
        self.save_timer = Some(Timeout::new(SAVE_DEBOUNCE_MS, move || {
            link.send_message(Msg::Save)
        }));
    }

    /// Give the page-hide listener the current state: `changed` when it is not saved yet.
    fn keep_unsaved(&self, changed: bool) {
        let mut unsaved = self.unsaved.borrow_mut();
        unsaved.state.clone_from(&self.state);
        unsaved.changed = changed;
        unsaved.edits = self.yaml_editor.edits();
    }

    /// Save to localStorage at once when the state is small, so a reload right after typing
    /// keeps the text; larger states wait for the debounced save (or the page going away).
    /// The fragment is left as it is (compressing is the expensive part): the save mark tells
    /// a reload that the record is newer ([`State::start`]).
    fn save_small(&mut self) {
        // The texts alone rule out most large states without serializing them.
        if self.state.json_len_floor() >= IMMEDIATE_SAVE_BYTES {
            return;
        }
        let json = self.state.to_json();
        if json.len() < IMMEDIATE_SAVE_BYTES {
            self.store(Ok(json));
        }
    }

    /// Write the state to the URL fragment; a state too large for a link clears the fragment
    /// instead (so a reload takes the saved state, never an older link). Whether written.
    fn write_fragment(&mut self) -> bool {
        match link_fragment(&self.state) {
            Some(f) => {
                dom::replace_fragment(&f);
                true
            }
            None => {
                dom::clear_fragment();
                false
            }
        }
    }

    fn save_storage(&mut self) {
        let record = self.state.to_storage();
        self.store(record);
    }

    /// Write `record` to localStorage and this tab's save mark (against the fragment now in
    /// the URL) to sessionStorage. A state localStorage cannot take (over its cap, or full)
    /// goes to IndexedDB ([`dom::idb_save`], settled by [`Msg::StoredLarge`]), unless a text
    /// is over its run cap (its message says that a reload loses it). On failure, say why and
    /// drop the mark, so a reload takes the link rather than an older record.
    fn store(&mut self, record: Result<String, String>) {
        self.save_gen = self.save_gen.wrapping_add(1);
        let (why, json) = match record {
            Ok(json) => match dom::save_storage(&json) {
                Ok(()) => {
                    dom::set_large_saved(false);
                    self.keep_unsaved(false);
                    let mark = self.unsaved.borrow_mut().mark(&json);
                    dom::set_mark(Some(&mark));
                    self.saved = Saved::Yes;
                    self.clear_message("storage-full");
                    return;
                }
                Err(e) => (e, Some(json)),
            },
            Err(e) => (e, None),
        };
        dom::set_mark(None);
        if self.state.too_large().is_none() {
            let json = json.unwrap_or_else(|| self.state.to_json());
            if json.len() > LINK_CAP {
                // No link carries it: a reload must not take an older link over it.
                dom::clear_fragment();
            }
            self.saved = Saved::Pending;
            let generation = self.save_gen;
            let scope = self.scope.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let result = dom::idb_save(json).await;
                scope.send_message(Msg::StoredLarge(generation, result));
            });
            return;
        }
        self.saved = Saved::No;
        // A text over the cap says so already (and that it is not saved): keep that.
        if self.message.as_ref().is_none_or(|m| m.0 != INPUT_TOO_LARGE) {
            self.say("storage-full", why);
        }
    }

    /// Keep the state before a change in the undo history (and drop the redo states).
    fn remember(&mut self) {
        let before = self.state.clone();
        self.remember_state(before);
    }

    fn remember_state(&mut self, before: State) {
        self.typing = None;
        self.redo.clear();
        self.undo.push(before);
        let size = |s: &State| s.yaml.len() + s.samples.len();
        let mut bytes: usize = self.undo.iter().map(size).sum();
        let mut drop = 0;
        while self.undo.len() - drop > HISTORY_STEPS
            || (bytes > HISTORY_BYTES && self.undo.len() - drop > 1)
        {
            bytes -= self.undo.get(drop).map_or(0, size);
            drop += 1;
        }
        self.undo.drain(..drop);
    }

    /// A keystroke in `input`'s editor: the state before it starts a new undo step unless it
    /// continues the typing of the last one.
    fn typed(&mut self, input: InputText) {
        let now = dom::now();
        let continues = self
            .typing
            .is_some_and(|(i, at)| i == input && now - at < TYPING_STEP_MS);
        if !continues {
            self.remember();
        }
        self.typing = Some((input, now));
    }

    /// Undo (`back`) or redo one step; in an editor with the focus, select what changed.
    fn step_history(&mut self, back: bool) -> bool {
        let (from, to) = if back {
            (&mut self.undo, &mut self.redo)
        } else {
            (&mut self.redo, &mut self.undo)
        };
        let Some(state) = from.pop() else {
            return false;
        };
        let was = std::mem::replace(&mut self.state, state);
        to.push(was.clone());
        self.typing = None;
        let focused = dom::active_id();
        for (input, id) in [
            (InputText::Yaml, "yaml-editor"),
            (InputText::Samples, "samples-editor"),
        ] {
            if focused.as_deref() == Some(id) {
                let (old, new) = match input {
                    InputText::Yaml => (&was.yaml, &self.state.yaml),
                    InputText::Samples => (&was.samples, &self.state.samples),
                };
                let (a, b) = text::changed_range_utf16(old, new);
                self.focus_after = Some((input, a, b));
            }
        }
        true
    }

    fn clear_message(&mut self, kind: &str) {
        if self.message.as_ref().is_some_and(|m| m.0 == kind) {
            self.message = None;
        }
    }

    fn say(&mut self, kind: &'static str, text: impl Into<String>) {
        self.message = Some((kind, text.into()));
    }

    /// The share link, unless the state is too large for one ([`LINK_CAP`]).
    fn link_url(&self) -> Option<String> {
        link_fragment(&self.state).map(|f| dom::page_url(&f, false))
    }

    fn target(&self) -> Option<f64> {
        self.output.selected.as_ref().and_then(|s| s.target)
    }

    fn set(&mut self, which: Setting, v: &str) {
        let v = v.trim();
        let s = &mut self.state;
        match which {
            Setting::InitialReplicas => s.initial_replicas = v.parse().ok(),
            Setting::PodStartup => s.pod_startup_s = parse_seconds(v),
            Setting::Horizon => s.horizon_s = parse_seconds(v),
            Setting::Autoscaler => s.autoscaler = (!v.is_empty()).then(|| v.to_string()),
            Setting::Aibrix => {
                s.aibrix = scalelens_core::model::AibrixVersion::parse(v)
                    .filter(|r| *r != scalelens_core::model::AibrixVersion::default())
                    .map(|_| v.to_string())
            }
            Setting::SamplesAre => {
                s.samples_are = (!v.is_empty() && v != "auto").then(|| v.to_string())
            }
            Setting::WindowFrom => s.window_from = (!v.is_empty()).then(|| v.to_string()),
            Setting::WindowTo => s.window_to = (!v.is_empty()).then(|| v.to_string()),
            Setting::PatternBase
            | Setting::PatternPeak
            | Setting::PatternDuration
            | Setting::PatternStep => {
                if let Some(p) = s.pattern.as_mut() {
                    match which {
                        Setting::PatternBase => p.base = v.parse().unwrap_or(p.base),
                        Setting::PatternPeak => p.peak = v.parse().unwrap_or(p.peak),
                        Setting::PatternDuration => {
                            p.duration_s = parse_seconds(v).unwrap_or(p.duration_s)
                        }
                        _ => p.step_s = parse_seconds(v).unwrap_or(p.step_s).max(1),
                    }
                }
            }
        }
    }

    fn draw(&mut self) {
        let empty: &[TimelineEntry] = &[];
        let timeline = self.output.sim.as_ref().map_or(empty, |s| &s.timeline);
        let input = canvas::chart_input(self.output.selected.as_ref(), timeline);
        let overlay = Overlay {
            pinned: self.pinned.as_ref().map(|p| p.timeline.as_slice()),
            cursor: self.cursor,
        };
        for (i, (r, panel)) in [
            (&self.metric_canvas, Panel::Metric),
            (&self.replicas_canvas, Panel::Replicas),
        ]
        .into_iter()
        .enumerate()
        {
            if let Some(c) = r.cast::<HtmlCanvasElement>() {
                let scale = canvas::fit(&c, CANVAS_W, chart_height(panel));
                if let Some(s) = self.scale.get_mut(i) {
                    *s = scale;
                }
                match canvas::draw_scaled(&c, scale, panel, &input, &overlay) {
                    Ok(g) => self.geometry[i] = g,
                    Err(e) => self.message = Some(("error", e)),
                }
            }
        }
        self.render_count += 1;
        let ms = dom::now() - self.fired_at;
        if let Some(el) = self.summary_ref.cast::<web_sys::Element>() {
            let _ = el.set_attribute("data-render-count", &self.render_count.to_string());
            let _ = el.set_attribute("data-last-render-ms", &format!("{ms:.1}"));
            let _ = el.set_attribute("data-last-run-ms", &format!("{:.1}", self.run_ms));
        }
        dom::set_app_ready();
    }

    fn entry_at(&self, t: Millis) -> Option<&TimelineEntry> {
        let tl = &self.output.sim.as_ref()?.timeline;
        let i = tl.partition_point(|e| e.t <= t);
        tl.get(i.checked_sub(1)?)
    }
}

/// The index of a chart's panel in [`App::geometry`] and [`App::scale`].
fn panel_index(panel: Panel) -> usize {
    match panel {
        Panel::Metric => 0,
        Panel::Replicas => 1,
    }
}

/// A chart's CSS height.
fn chart_height(panel: Panel) -> u32 {
    match panel {
        Panel::Metric => METRIC_H,
        Panel::Replicas => REPLICAS_H,
    }
}

/// The keys a focused chart answers (keyboard access to its cursor, issue 14 item 12).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKey {
    Next,
    Previous,
    PageNext,
    PagePrevious,
    First,
    Last,
    Escape,
}

impl ChartKey {
    /// The chart key of a `KeyboardEvent.key`, if it is one.
    pub fn of(key: &str) -> Option<ChartKey> {
        Some(match key {
            "ArrowRight" => ChartKey::Next,
            "ArrowLeft" => ChartKey::Previous,
            "PageDown" => ChartKey::PageNext,
            "PageUp" => ChartKey::PagePrevious,
            "Home" => ChartKey::First,
            "End" => ChartKey::Last,
            "Escape" => ChartKey::Escape,
            _ => return None,
        })
    }

    /// The decision (index) the cursor moves to from `at` (none yet: the first) among `len`;
    /// `None` when the key moves nothing (Escape, or no decisions).
    pub fn moved(self, at: Option<usize>, len: usize) -> Option<usize> {
        let last = len.checked_sub(1)?;
        let Some(i) = at.map(|i| i.min(last)) else {
            return (self != ChartKey::Escape).then_some(if self == ChartKey::Last {
                last
            } else {
                0
            });
        };
        match self {
            ChartKey::Escape => None,
            ChartKey::First => Some(0),
            ChartKey::Last => Some(last),
            ChartKey::Next => Some((i + 1).min(last)),
            ChartKey::Previous => Some(i.saturating_sub(1)),
            ChartKey::PageNext => Some((i + CHART_PAGE).min(last)),
            ChartKey::PagePrevious => Some(i.saturating_sub(CHART_PAGE)),
        }
    }
}

/// Significant digits a rescaled demand pattern keeps (so `0.25 × 120` shows as `30`, not as
/// a float's `29.999999999999996`; six digits is finer than any demand a user types).
const PATTERN_DIGITS: usize = 6;

/// `x` rounded to [`PATTERN_DIGITS`] significant digits.
fn significant(x: f64) -> f64 {
    format!("{x:.*e}", PATTERN_DIGITS - 1).parse().unwrap_or(x)
}

/// The samples' metric and the replayed autoscaler's, when they differ (issue 14, item 3): the
/// replay would read one metric's samples as the other's. Names the metric registry knows
/// with one unit (`gpu_cache_usage_perc`, `vllm:gpu_cache_usage_perc`) are the same metric;
/// samples that name no metric (CSV) or a demand pattern compare with nothing.
fn samples_mismatch(out: &PipelineOutput, pattern: bool) -> Option<(&str, &str)> {
    if pattern {
        return None;
    }
    let samples = out.import.as_ref()?.metric.as_deref()?;
    let scaled_on = out.selected.as_ref()?.metric.as_deref()?;
    let unit = |m: &str| scalelens_core::metrics::lookup(m).map(|k| k.unit);
    let same = samples == scaled_on || unit(samples).is_some_and(|u| Some(u) == unit(scaled_on));
    (!same).then_some((samples, scaled_on))
}

/// Seconds from `120`, `120s`, `2m`, `1h30m`; empty or unreadable is `None` (the default).
fn parse_seconds(v: &str) -> Option<u64> {
    if v.is_empty() {
        return None;
    }
    if let Ok(n) = v.parse::<u64>() {
        return Some(n);
    }
    scalelens_core::duration::parse_millis(v)
        .ok()
        .map(|ms| ms / 1000)
}

/// `App::show_all` and `App::gutters` index of an editor.
fn editor_index(input: InputText) -> usize {
    match input {
        InputText::Yaml => 0,
        InputText::Samples => 1,
    }
}

fn opt_str<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// What the `pagehide` listener saves, by itself and at once: the app's latest state, whether
/// it is saved, and the URL fragments the page has had (for the save mark, [`Fragments`]).
///
/// Not through a message to the app: Yew (0.23) runs the app's messages from a microtask and,
/// after 16 ms of work, parks the rest in a `setTimeout` that a page going away never runs;
/// a message sent meanwhile waits behind it and is lost with the page (the reload then found
/// the record without what was typed last, 4 of 20 runs of `reload_while_typing_keeps_the_text`
/// on a loaded machine; its `large-slow-cpu` case makes it happen).
struct Unsaved {
    state: State,
    /// Whether `state` has changes the storage does not have.
    changed: bool,
    /// The YAML editor's [`editor::Handle::edits`] when `state` was taken: more now, and the
    /// editor holds what was typed after (fewer or as many, and `state` is as new as the
    /// editor's text, or newer: a fix not yet put into the editor).
    edits: u64,
    fragments: Fragments,
}

impl Unsaved {
    /// The save mark for `record`, saved now while the URL holds the current fragment.
    fn mark(&mut self, record: &str) -> String {
        self.fragments.note(&dom::fragment());
        self.fragments.mark(record)
    }

    /// The page is going away: take the YAML editor's text (what was typed last may be only in
    /// its DOM, or in a message the app has not read), and save to localStorage what is not
    /// saved. Only localStorage, synchronously: compressing the link would delay the
    /// navigation, and IndexedDB (a state over localStorage's cap) may not finish before the
    /// page is gone. The app's save timer stays, for a page restored from the back-forward
    /// cache (the editor's change reaches the app as a message, as typing does).
    fn save_at_pagehide(&mut self, yaml_editor: &editor::Handle) {
        if let Some(doc) = yaml_editor.flush() {
            if yaml_editor.edits() != self.edits && doc != self.state.yaml {
                self.state.yaml = doc;
                self.changed = true;
            }
        }
        if !self.changed {
            return;
        }
        if let Ok(json) = self.state.to_storage() {
            if dom::save_storage(&json).is_ok() {
                dom::set_large_saved(false);
                let mark = self.mark(&json);
                dom::set_mark(Some(&mark));
                self.changed = false;
            }
        }
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        // When the app starts: what comes before (loading, and Chromium's own handling of a
        // long URL) is not the app's time.
        dom::mark("scalelens:create");
        let fragment = dom::fragment();
        let mut fragments = Fragments::default();
        fragments.note(&fragment);
        let (state, problem) = State::start(
            &fragment,
            dom::load_storage().as_deref(),
            dom::load_mark().as_deref(),
        );
        let mut message = problem.map(|p| (p.kind(), p.to_string()));
        // No link and no localStorage record, but a state kept in IndexedDB: start empty and
        // open that one ([`Msg::LoadedLarge`]).
        let large = matches!(State::from_fragment(&fragment), Ok(None))
            && dom::load_storage().is_none()
            && dom::large_saved();
        let state = if large {
            let scope = ctx.link().clone();
            wasm_bindgen_futures::spawn_local(async move {
                scope.send_message(Msg::LoadedLarge(dom::idb_load().await));
            });
            message = Some((
                "info",
                "Opening the state saved in this browser…".to_string(),
            ));
            State::default()
        } else {
            state
        };
        let embed = dom::is_embed();
        // The embed cannot be edited: its link is the state it opened with, made once.
        let open_url = if embed {
            dom::page_url(&link_fragment(&state).unwrap_or_default(), true)
        } else {
            String::new()
        };
        let yaml_editor = editor::Handle::default();
        let unsaved = Rc::new(RefCell::new(Unsaved {
            state: state.clone(),
            changed: false,
            edits: 0,
            fragments,
        }));
        let pagehide = dom::on_pagehide({
            let unsaved = Rc::clone(&unsaved);
            let yaml_editor = yaml_editor.clone();
            move || unsaved.borrow_mut().save_at_pagehide(&yaml_editor)
        });
        let link = ctx.link().clone();
        let hashchange = dom::on_hashchange(move || link.send_message(Msg::HashChange));
        let link = ctx.link().clone();
        let resize = dom::on_window("resize", move || link.send_message(Msg::Resized));
        let mut app = App {
            state,
            output: PipelineOutput::default(),
            cache: pipeline::SamplesCache::default(),
            pinned: None,
            undo: Vec::new(),
            redo: Vec::new(),
            typing: None,
            focus_after: None,
            message,
            cursor: None,
            hover: None,
            geometry: [None, None],
            render_count: 0,
            fired_at: 0.0,
            run_ms: 0.0,
            needs_draw: true,
            run_timer: None,
            save_timer: None,
            _pagehide: pagehide,
            _hashchange: hashchange,
            scale: [1.0; 2],
            chart_at: Panel::Metric,
            chart_focus: false,
            _resize: resize,
            embed,
            open_url,
            yaml_editor,
            at_cursor: Vec::new(),
            marks_changed: true,
            aibrix_v04: Rc::default(),
            samples_ref: NodeRef::default(),
            samples_gutter: NodeRef::default(),
            metric_canvas: NodeRef::default(),
            replicas_canvas: NodeRef::default(),
            summary_ref: NodeRef::default(),
            example_select: NodeRef::default(),
            autoscaler_select: NodeRef::default(),
            gutters: Default::default(),
            fields: Default::default(),
            show_all: [false; 2],
            pattern_target: None,
            saved: Saved::Yes,
            save_gen: 0,
            unsaved,
            scope: ctx.link().clone(),
        };
        app.refresh_fields();
        app.run();
        app
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::YamlInput(v) => {
                self.typed(InputText::Yaml);
                self.state.yaml = v;
                self.schedule(ctx);
                self.save_small();
            }
            Msg::SamplesInput(v) => {
                self.typed(InputText::Samples);
                self.state.samples = v;
                self.schedule(ctx);
                self.save_small();
            }
            Msg::Run => {
                self.run_timer = None;
                self.run();
            }
            Msg::Paste(input, pasted, start, end) => {
                let text =
                    text::splice_utf16(self.text_of(input), start as usize, end as usize, &pasted);
                if let Some(why) = State::paste_refused(input, text.len()) {
                    self.say(INPUT_TOO_LARGE, why);
                    return true;
                }
                self.remember();
                self.set_text(input, text);
                self.show_all[editor_index(input)] = false;
                self.schedule(ctx);
                self.save_small();
            }
            Msg::PasteRefused(input, len) => {
                if let Some(why) = State::paste_refused(input, len) {
                    self.say(INPUT_TOO_LARGE, why);
                }
            }
            Msg::ShowAll(input) => {
                self.show_all[editor_index(input)] = true;
            }
            Msg::ClearText(input) => {
                self.remember();
                self.set_text(input, String::new());
                self.show_all[editor_index(input)] = false;
                self.say("info", "Cleared (Undo brings the text back).");
                self.run();
                self.schedule_save(ctx);
            }
            Msg::Save => {
                self.save_timer = None;
                // The fragment first: the save mark is made against it.
                self.write_fragment();
                self.save_storage();
            }
            Msg::Pattern(v) => {
                self.state.pattern = Shape::parse(&v).map(|shape| {
                    let mut p = self
                        .state
                        .pattern
                        .clone()
                        .unwrap_or_else(|| PatternState::around("", self.target()));
                    p.shape = shape.as_str().to_string();
                    p
                });
                self.refresh_fields();
                self.run();
                self.schedule_save(ctx);
            }
            Msg::Example(id) => {
                if let Some(e) = crate::examples::find(&id) {
                    self.remember();
                    self.state = e.state();
                    self.refresh_fields();
                    self.cursor = None;
                    self.hover = None;
                    self.run();
                    self.schedule_save(ctx);
                }
            }
            Msg::Set(which, mut v) => {
                if matches!(which, Setting::WindowFrom | Setting::WindowTo) {
                    // The input's `maxlength` stops typing; a script or a drop can go beyond.
                    if let Some((cut, _)) = v.char_indices().nth(FIELD_CAP) {
                        v.truncate(cut);
                    }
                }
                self.set(which, &v);
                if let Some(i) = TYPED.iter().position(|t| *t == which) {
                    if let Some(f) = self.fields.get_mut(i) {
                        *f = v;
                    }
                }
                match which {
                    // Typed fields: re-run after the typing pause.
                    Setting::InitialReplicas
                    | Setting::PodStartup
                    | Setting::Horizon
                    | Setting::PatternBase
                    | Setting::PatternPeak
                    | Setting::PatternDuration
                    | Setting::PatternStep
                    | Setting::WindowFrom
                    | Setting::WindowTo => self.schedule(ctx),
                    _ => {
                        self.run();
                        self.schedule_save(ctx);
                    }
                }
            }
            Msg::SelectLine(InputText::Yaml, line) => {
                let (a, b) = text::line_range_utf16(&self.state.yaml, line);
                self.yaml_editor.select(a, b, true);
                return false;
            }
            Msg::SelectFinding(i) => {
                let Some(f) = self.output.findings.get(i) else {
                    return false;
                };
                let Some(span) = f.diagnostic.span else {
                    return false;
                };
                if f.input == InputText::Samples || span.start.offset == span.end.offset {
                    return <Self as Component>::update(
                        self,
                        ctx,
                        Msg::SelectLine(f.input, span.start.line),
                    );
                }
                // The span itself, in the code editor (issue 14: click a diagnostic, the editor
                // scrolls to it and selects it).
                let u =
                    text::utf16_of_chars(&self.state.yaml, &[span.start.offset, span.end.offset]);
                if let (Some(a), Some(b)) = (u.first(), u.get(1)) {
                    self.yaml_editor.select(*a, *b, true);
                }
                return false;
            }
            Msg::Editor(EditorEvent::Cursor(found)) => {
                if found == self.at_cursor {
                    return false;
                }
                self.at_cursor = found;
            }
            Msg::Editor(event) => {
                let msg = match event {
                    EditorEvent::Change(text) => Msg::YamlInput(text),
                    EditorEvent::Undo => Msg::Undo,
                    EditorEvent::Redo => Msg::Redo,
                    EditorEvent::Fix(finding, fix) => Msg::ApplyFix(finding, fix),
                    EditorEvent::Cursor(_) => return false,
                };
                return <Self as Component>::update(self, ctx, msg);
            }
            Msg::SelectLine(InputText::Samples, line) => {
                let (r, text) = (&self.samples_ref, &self.state.samples);
                if let Some(ta) = r.cast::<HtmlTextAreaElement>() {
                    let (a, b) = text::line_range_utf16(text, line);
                    let _ = ta.focus();
                    let _ = ta.set_selection_range(a, b);
                    let top = line.saturating_sub(3).saturating_mul(LINE_PX);
                    ta.set_scroll_top(i32::try_from(top).unwrap_or(i32::MAX));
                }
                return false;
            }
            Msg::ApplyFix(finding, fix) => {
                let Some(d) = self.output.findings.get(finding).map(|f| &f.diagnostic) else {
                    return false;
                };
                match text::apply_fix(&self.state.yaml, d, fix) {
                    Ok(fixed) => {
                        let what = d.fixes.get(fix).map(|f| f.description.clone());
                        self.remember();
                        let (a, b) = text::changed_range_utf16(&self.state.yaml, &fixed);
                        self.state.yaml = fixed;
                        // The fix's button goes with the diagnostic: the focus goes to the
                        // editor, on the fixed text, not to <body> (issue 14, item 8).
                        self.focus_after = Some((InputText::Yaml, a, b));
                        self.say(
                            "info",
                            format!("Applied: {} (Undo reverts it)", what.unwrap_or_default()),
                        );
                        self.run();
                        self.schedule_save(ctx);
                    }
                    Err(e) => self.say("error", e),
                }
            }
            Msg::UseDemandPattern => {
                self.remember();
                self.state.pattern =
                    Some(PatternState::around(Shape::Spike.as_str(), self.target()));
                self.refresh_fields();
                self.say(
                    "info",
                    "The demand is a pattern around the target now (Undo brings the samples back).",
                );
                self.run();
                self.schedule_save(ctx);
            }
            Msg::HashChange => match State::from_fragment(&dom::fragment()) {
                Ok(Some(linked)) if linked != self.state => {
                    self.remember();
                    self.state = linked;
                    if self.embed {
                        self.open_url = dom::page_url(&dom::fragment(), true);
                    }
                    self.refresh_fields();
                    self.cursor = None;
                    self.hover = None;
                    self.say(
                        "info",
                        "Opened the link from the address bar (Undo returns to what was here).",
                    );
                    self.run();
                    self.schedule_save(ctx);
                }
                Ok(_) => return false,
                Err(e) => self.say(e.kind(), format!("{e} The editors keep what they had.")),
            },
            Msg::StoredLarge(generation, result) => {
                if generation != self.save_gen {
                    return false;
                }
                match result {
                    Ok(()) => {
                        dom::remove_storage();
                        dom::set_large_saved(true);
                        self.saved = Saved::Yes;
                        self.clear_message("storage-full");
                    }
                    Err(e) => {
                        self.saved = Saved::No;
                        self.say(
                            "storage-full",
                            format!("Not saved in this browser ({e}): a reload loses this state."),
                        );
                    }
                }
            }
            Msg::LoadedLarge(json) => {
                if self.state != State::default() {
                    // Typed into meanwhile: what was typed stays.
                    return false;
                }
                self.clear_message("info");
                match json.as_deref().map(State::from_json) {
                    Some(Ok(saved)) => self.state = saved,
                    _ => {
                        self.state = State::initial();
                        self.say(
                            "storage-full",
                            "The state saved in this browser could not be read: showing the seed example.",
                        );
                    }
                }
                self.refresh_fields();
                self.run();
                // The saved state, as it is saved.
                self.keep_unsaved(false);
            }
            Msg::UseSuggestedWindow => {
                if let Some(w) = self.output.suggested_window.clone() {
                    self.remember();
                    self.state.window_from = Some(w.from);
                    self.state.window_to = Some(w.to);
                    self.refresh_fields();
                    self.run();
                    self.schedule_save(ctx);
                }
            }
            Msg::Undo | Msg::Redo => {
                let back = matches!(msg, Msg::Undo);
                if !self.step_history(back) {
                    return false;
                }
                self.refresh_fields();
                self.say("info", if back { "Undone." } else { "Redone." });
                self.run();
                self.schedule_save(ctx);
            }
            Msg::Pin => {
                if let Some(sim) = &self.output.sim {
                    let label = self
                        .output
                        .selected
                        .as_ref()
                        .map_or_else(String::new, |s| s.name.clone());
                    self.pinned = Some(Pinned {
                        label,
                        timeline: sim.timeline.clone(),
                    });
                    self.redraw();
                }
            }
            Msg::Unpin => {
                self.pinned = None;
                self.redraw();
            }
            Msg::CopyLink => {
                if !self.write_fragment() {
                    // Save what is unsaved now, so what the message says holds.
                    if self.save_timer.take().is_some() {
                        self.save_storage();
                    }
                    let kept = match self.saved {
                        Saved::Yes => "It is saved in this browser: a reload keeps it.",
                        Saved::Pending => "It is being saved in this browser.",
                        Saved::No => "It is not saved in this browser either: a reload loses it. Export the YAML (and keep the samples' file).",
                    };
                    self.say(
                        "error",
                        format!(
                            "No link: the state is {} KB, over the {} KB a link can carry. Shorten the samples (or use a demand pattern). {kept}",
                            state_kb(&self.state),
                            LINK_CAP / 1000
                        ),
                    );
                    return true;
                }
                let url = self.link_url().unwrap_or_default();
                dom::copy_text(&url);
                // Tests and users without clipboard access read it here.
                dom::set_attr("copy-link", "data-link", &url);
                self.say("info", "Link copied to the clipboard.");
            }
            Msg::CopyMarkdown => {
                let link = self.link_url();
                dom::copy_text(&text::markdown(&self.output, link.as_deref()));
                self.say("info", "Markdown copied to the clipboard.");
            }
            Msg::ExportPng => {
                let canvases: Vec<HtmlCanvasElement> = [&self.metric_canvas, &self.replicas_canvas]
                    .iter()
                    .filter_map(|r| r.cast::<HtmlCanvasElement>())
                    .collect();
                if let Err(e) = dom::download_png(&canvases, "scalelens-chart.png") {
                    self.say("error", e);
                }
                return false;
            }
            Msg::ExportCsv => {
                if let Some(sim) = &self.output.sim {
                    dom::download_text(
                        &pipeline::timeline_csv(sim),
                        "scalelens-timeline.csv",
                        "text/csv",
                    );
                }
                return false;
            }
            Msg::ExportYaml => {
                dom::download_text(&self.state.yaml, "autoscaler.yaml", "application/yaml");
                return false;
            }
            Msg::ChartPointer(panel, offset_x, click) => {
                let i = panel_index(panel);
                let (g, scale) = (self.geometry[i], self.scale[i]);
                let Some(c) = self.canvas_ref(panel).cast::<HtmlCanvasElement>() else {
                    return false;
                };
                self.chart_at = panel;
                let t = g.and_then(|g| g.time_at(canvas::canvas_x(&c, scale, offset_x)));
                // Snap to the decision in effect, so moving within one decision re-renders nothing.
                let t = t.map(|t| self.entry_at(t).map_or(t, |e| e.t));
                if click {
                    self.cursor = t;
                    self.redraw();
                } else {
                    if self.hover == t {
                        return false;
                    }
                    self.hover = t;
                }
            }
            Msg::PointerLeft => {
                if self.hover.take().is_none() {
                    return false;
                }
            }
            Msg::ChartKey(panel, key) => {
                let Some(sim) = &self.output.sim else {
                    return false;
                };
                let tl = &sim.timeline;
                let at = self.cursor.map(|t| tl.partition_point(|e| e.t < t));
                let Some(i) = key.moved(at, tl.len()) else {
                    if key == ChartKey::Escape && self.cursor.take().is_some() {
                        self.redraw();
                        return true;
                    }
                    return false;
                };
                self.chart_at = panel;
                self.cursor = tl.get(i).map(|e| e.t);
                self.hover = None;
                self.redraw();
            }
            Msg::ChartFocus(panel) => {
                self.chart_focus = panel.is_some();
                if let Some(p) = panel {
                    self.chart_at = p;
                }
            }
            Msg::Resized => {
                let fits = [Panel::Metric, Panel::Replicas].iter().all(|&p| {
                    self.canvas_ref(p)
                        .cast::<HtmlCanvasElement>()
                        .is_none_or(|c| canvas::fits(&c, chart_height(p)))
                });
                if fits {
                    return false;
                }
                self.redraw();
            }
            Msg::Scrolled(input) => {
                let (ta, g) = match input {
                    // The code editor scrolls its own gutter.
                    InputText::Yaml => return false,
                    InputText::Samples => (&self.samples_ref, &self.samples_gutter),
                };
                // The gutter's lines move with the text by a translation, not by scrolling the
                // gutter: with a horizontal scrollbar the textarea is shorter inside than the
                // gutter, so at the bottom the gutter cannot scroll as far and its marks would
                // sit one line low (issue 14, item 2).
                if let (Some(ta), Some(inner)) = (
                    ta.cast::<web_sys::Element>(),
                    g.cast::<web_sys::Element>()
                        .and_then(|g| g.first_element_child()),
                ) {
                    let _ = inner.set_attribute(
                        "style",
                        &format!("transform: translateY({}px)", -ta.scroll_top()),
                    );
                }
                return false;
            }
        }
        true
    }

    fn rendered(&mut self, _ctx: &Context<Self>, _first: bool) {
        // The code editor holds the state's text, then its diagnostics (their positions are in
        // that text), then the selection.
        if !self.held(InputText::Yaml) {
            self.yaml_editor.sync(&self.state.yaml);
            if self.marks_changed && self.yaml_editor.mounted() {
                self.marks_changed = false;
                let findings = self
                    .output
                    .findings
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| f.input == InputText::Yaml)
                    .map(|(i, f)| (i, &f.diagnostic));
                let marks = editor::marks(&self.state.yaml, findings, !self.embed);
                self.yaml_editor.show(&marks);
            }
        } else {
            self.marks_changed = true;
        }
        if let Some((input, a, b)) = self.focus_after.take() {
            match input {
                InputText::Yaml => self.yaml_editor.select(a, b, true),
                InputText::Samples => {
                    if let Some(ta) = self.samples_ref.cast::<HtmlTextAreaElement>() {
                        let _ = ta.focus();
                        let _ = ta.set_selection_range(a, b);
                    }
                }
            }
        }
        // An `<option selected>` no longer moves a `<select>` the user has chosen in: set the
        // menus' values to the state's, so they never name a stale choice (issue 14, item 4).
        for (r, value) in [
            (
                &self.example_select,
                self.state.unedited_example().unwrap_or_default(),
            ),
            (
                &self.autoscaler_select,
                self.state.autoscaler.as_deref().unwrap_or_default(),
            ),
        ] {
            if let Some(s) = r.cast::<HtmlSelectElement>() {
                if s.value() != value {
                    s.set_value(value);
                }
            }
        }
        if self.needs_draw {
            self.needs_draw = false;
            self.draw();
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let out = &self.output;
        let embed = self.embed;
        html! {
            <div class={classes!("app", embed.then_some("embed"))} data-saved={self.saved.as_str()}>
                <header>
                    <h1>{"Scalelens playground"}</h1>
                    if embed {
                        <a id="open-playground" href={self.open_url.clone()} target="_blank" rel="noopener">{"Open in playground"}</a>
                    } else {
                        { self.view_toolbar(ctx) }
                    }
                </header>
                <div id="message" data-kind={self.message.as_ref().map_or("", |m| m.0)} role="status">
                    { self.message.as_ref().map_or_else(String::new, |m| m.1.clone()) }
                    if !embed && self.message.as_ref().is_some_and(|m| m.0 == INPUT_LIMIT) {
                        if let Some(w) = &self.output.suggested_window {
                            {" "}<button id="use-window" data-from={w.from.clone()} data-to={w.to.clone()}
                                onclick={link.callback(|_| Msg::UseSuggestedWindow)}>{"Use this window"}</button>
                        }
                    }
                </div>
                { self.view_banner(ctx) }
                { self.view_samples_mismatch(ctx) }
                <main>
                    <section class="inputs">
                        { self.view_editor(ctx, InputText::Yaml) }
                        if !embed {
                            { self.view_demand(ctx) }
                            { self.view_settings(ctx) }
                        }
                    </section>
                    <section class="results">
                        { self.view_selected() }
                        { self.view_summary() }
                        { self.view_chart(ctx, Panel::Metric) }
                        { self.view_chart(ctx, Panel::Replicas) }
                        { self.view_trace(ctx) }
                        { self.view_diagnostics(ctx) }
                        { self.view_import(out) }
                    </section>
                </main>
            </div>
        }
    }
}

impl App {
    fn view_toolbar(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let example = self.state.unedited_example().unwrap_or_default();
        html! {
            <nav class="toolbar">
                <label>{"Example "}
                    <select id="example-select" ref={self.example_select.clone()} onchange={link.callback(|e: Event| Msg::Example(select_value(&e)))}>
                        { for EXAMPLES.iter().map(|ex| html! {
                            <option value={ex.id} selected={ex.id == example}>{ex.title}</option>
                        }) }
                        // Last, so the gallery's own options keep their order (seed first).
                        <option value="" disabled=true hidden=true selected={example.is_empty()}>{"(your own input)"}</option>
                    </select>
                </label>
                <button id="undo" disabled={self.undo.is_empty()} onclick={link.callback(|_| Msg::Undo)}
                    title="Undo (Ctrl+Z in an editor)">{"Undo"}</button>
                <button id="redo" disabled={self.redo.is_empty()} onclick={link.callback(|_| Msg::Redo)}
                    title="Redo (Ctrl+Shift+Z or Ctrl+Y in an editor)">{"Redo"}</button>
                <button id="pin-run" onclick={link.callback(|_| Msg::Pin)} title="Keep this run and overlay the next ones (before/after)">{"Pin run"}</button>
                if self.pinned.is_some() {
                    <button id="unpin" onclick={link.callback(|_| Msg::Unpin)}>{"Clear pin"}</button>
                }
                <button id="copy-link" onclick={link.callback(|_| Msg::CopyLink)}>{"Copy link"}</button>
                <button id="copy-markdown" onclick={link.callback(|_| Msg::CopyMarkdown)}>{"Copy as Markdown"}</button>
                <button id="export-png" onclick={link.callback(|_| Msg::ExportPng)}>{"Chart PNG"}</button>
                <button id="export-csv" onclick={link.callback(|_| Msg::ExportCsv)} disabled={self.output.sim.is_none()}>{"Timeline CSV"}</button>
                <button id="export-yaml" onclick={link.callback(|_| Msg::ExportYaml)}>{"YAML"}</button>
            </nav>
        }
    }

    fn view_banner(&self, ctx: &Context<Self>) -> Html {
        let Some((i, d)) = self
            .output
            .findings
            .iter()
            .enumerate()
            .find(|(_, f)| f.input == InputText::Yaml && f.diagnostic.code == Code::UnitMismatch)
            .map(|(i, f)| (i, &f.diagnostic))
        else {
            return html! {};
        };
        let link = ctx.link();
        html! {
            <div id="unit-banner" role="alert">
                <strong>{"Unit mismatch "}</strong>
                <span class="where">{ text::location(d) }</span>{" "}
                <span class="text">{ text::for_the_page(&d.message) }</span>
                <div class="fixes">
                    { for d.fixes.iter().enumerate().filter(|(_, f)| !f.edits.is_empty()).map(|(k, f)| html! {
                        <button class="fix" data-fix-index={k.to_string()}
                            onclick={link.callback(move |_| Msg::ApplyFix(i, k))}>{ format!("Fix: {}", text::for_the_page(&f.description)) }</button>
                    }) }
                </div>
                { for d.fixes.iter().filter(|f| f.edits.is_empty()).map(|f| html! { <p class="advice">{ text::for_the_page(&f.description) }</p> }) }
            </div>
        }
    }

    /// Samples of another metric than the autoscaler's ([`samples_mismatch`]): said, with a
    /// demand pattern around the target or no samples as ways out (not in the read-only embed).
    fn view_samples_mismatch(&self, ctx: &Context<Self>) -> Html {
        let Some((samples, scaled_on)) =
            samples_mismatch(&self.output, self.state.pattern.is_some())
        else {
            return html! {};
        };
        let name = self
            .output
            .selected
            .as_ref()
            .map_or("the autoscaler", |a| a.name.as_str());
        let link = ctx.link();
        html! {
            <div id="samples-mismatch" role="alert">
                <strong>{"Samples of another metric "}</strong>
                <span class="text">{ format!(
                    "The samples are of `{samples}`, but {name} scales on `{scaled_on}`: the replay reads them as `{scaled_on}`."
                ) }</span>
                if !self.embed {
                    <div class="fixes">
                        <button class="use-pattern" onclick={link.callback(|_| Msg::UseDemandPattern)}>{"Use a demand pattern"}</button>{" "}
                        <button class="clear-samples" onclick={link.callback(|_| Msg::ClearText(InputText::Samples))}>{"Clear samples"}</button>
                    </div>
                }
            </div>
        }
    }

    fn marks(&self, input: InputText) -> Html {
        let marks: Vec<&Diagnostic> = self
            .output
            .findings
            .iter()
            .filter(|f| f.input == input)
            .map(|f| &f.diagnostic)
            .filter(|d| d.span.is_some())
            .collect();
        html! {
            { for marks.into_iter().map(|d| {
                let line = d.span.map_or(1, |s| s.start.line);
                let top = line.saturating_sub(1).saturating_mul(LINE_PX);
                html! {
                    <span class={classes!("gutter-mark", d.severity.as_str())}
                        data-line={line.to_string()} data-code={d.code.as_str()}
                        style={format!("top: {top}px")} title={text::diagnostic_line(d)}>{"●"}</span>
                }
            }) }
        }
    }

    /// The YAML code editor (CodeMirror: highlighting, squiggles and tooltips with fixes, the
    /// gutter's marks, hover docs and completion of the family's keys), read-only in an embed.
    fn view_code_editor(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let on_event = link.callback(Msg::Editor);
        let scope = link.clone();
        let on_paste = Callback::from(move |p: PasteAt| {
            match paste_action(&p.event, InputText::Yaml, p.from, p.to, p.len) {
                Some(a) => {
                    p.event.prevent_default();
                    scope.send_message(paste_message(InputText::Yaml, a));
                    true
                }
                None => false,
            }
        });
        // The AIBrix generation chosen in Settings, read when asked (the editor keeps these).
        let v04 = self.aibrix_v04.clone();
        let docs: editor::DocsAt = Rc::new(move |text: &str, pos: u32| {
            let at = text::byte_of_utf16(text, pos as usize);
            let (a, b, e) = knob_docs::docs_at(text, at, v04.get())?;
            let title = if e.annotation {
                format!("annotation {}", e.key)
            } else {
                e.key.clone()
            };
            Some((utf16_len(text, a), utf16_len(text, b), title, e.lines()))
        });
        let v04 = self.aibrix_v04.clone();
        let complete: editor::CompleteAt = Rc::new(move |text: &str, pos: u32| {
            let at = text::byte_of_utf16(text, pos as usize);
            let (from, found) = knob_docs::complete_at(text, at, v04.get())?;
            let options = found
                .into_iter()
                .map(|(label, e)| editor::Completion {
                    detail: e.what.to_string(),
                    info: e.lines().join("\n"),
                    kind: if e.annotation { "constant" } else { "property" },
                    label,
                })
                .collect();
            Some((utf16_len(text, from), options))
        });
        html! {
            <div class="editor-block">
                <span class="editor-label" id="yaml-editor-label">{"Autoscaler YAML"}</span>
                <CodeEditor handle={self.yaml_editor.clone()} id="yaml-editor" gutter_id="yaml-gutter"
                    label="Autoscaler YAML" initial={AttrValue::from(self.state.yaml.clone())}
                    read_only={self.embed} {on_event} {on_paste} {docs} {complete} />
            </div>
        }
    }

    fn view_editor(&self, ctx: &Context<Self>, input: InputText) -> Html {
        if input == InputText::Yaml {
            if !self.held(input) {
                return self.view_code_editor(ctx);
            }
            return html! {
                <div class="editor-block">
                    <span class="editor-label" id="yaml-editor-label">{"Autoscaler YAML"}</span>
                    { self.view_held(ctx, input, "yaml-held", &self.state.yaml) }
                </div>
            };
        }
        // The samples: a textarea with its gutter.
        let link = ctx.link();
        let (id, gutter_id, held_id, text, r, g, label) = (
            "samples-editor",
            "samples-gutter",
            "samples-held",
            &self.state.samples,
            &self.samples_ref,
            &self.samples_gutter,
            "Metric samples (CSV, Prometheus text or JSON, Grafana CSV)",
        );
        let oninput = link.callback(|e: InputEvent| Msg::SamplesInput(textarea_value(&e)));
        let onpaste = link.batch_callback(move |e: Event| {
            let msg = large_paste(&e, input).map(|a| paste_message(input, a));
            if msg.is_some() {
                e.prevent_default();
            }
            msg
        });
        // Ctrl+Z / Cmd+Z, Ctrl+Shift+Z and Ctrl+Y are the app's history, not the textarea's:
        // one history for typing and fixes (issue 14, item 8).
        let onkeydown = link.batch_callback(|e: KeyboardEvent| {
            if !(e.ctrl_key() || e.meta_key()) || e.alt_key() {
                return None;
            }
            let msg = match e.key().as_str() {
                "z" | "Z" if e.shift_key() => Msg::Redo,
                "z" | "Z" => Msg::Undo,
                "y" | "Y" if !e.shift_key() => Msg::Redo,
                _ => return None,
            };
            e.prevent_default();
            Some(msg)
        });
        let disabled = input == InputText::Samples && self.state.pattern.is_some();
        let held = self.held(input);
        html! {
            <div class="editor-block">
                <label for={id}>{label}</label>
                if held {
                    { self.view_held(ctx, input, held_id, text) }
                } else {
                    <div class="editor">
                        <div class="gutter" id={gutter_id} ref={g.clone()}>
                            <div class="gutter-inner">
                                <pre class="numbers">{ self.gutter_text(input) }</pre>
                                { self.marks(input) }
                            </div>
                        </div>
                        <textarea id={id} ref={r.clone()} spellcheck="false" wrap="off"
                            value={text.clone()} {oninput} {onpaste} {onkeydown} readonly={self.embed} disabled={disabled}
                            onscroll={link.callback(move |_| Msg::Scrolled(input))} />
                    </div>
                }
            </div>
        }
    }

    /// A text too long to show ([`text::too_long_to_show`]): its preview, in place of the
    /// editor. No textarea at all: even hidden, Chromium pays per line to set its value (about
    /// 1.4 s for 270 000 lines here) and to read it back at every render.
    fn view_held(
        &self,
        ctx: &Context<Self>,
        input: InputText,
        id: &'static str,
        text: &str,
    ) -> Html {
        let link = ctx.link();
        let lines = text::line_count(text);
        html! {
            <div class="held" id={id} data-lines={lines.to_string()}
                data-bytes={text.len().to_string()} data-digest={crate::state::digest_hex(text)}>
                <p class="held-note">
                    { format!(
                        "{lines} lines, {:.1} MB: all of it is used; only its first {PREVIEW_LINES} lines are shown, because the browser pauses for seconds at every change of an editor this long. ",
                        text.len() as f64 / 1e6
                    ) }
                    <button class="show-all" onclick={link.callback(move |_| Msg::ShowAll(input))}
                        title="The page may pause for several seconds">{"Show and edit all"}</button>{" "}
                    <button class="clear-text" onclick={link.callback(move |_| Msg::ClearText(input))}>{"Clear"}</button>
                </p>
                <pre class="held-preview">{ text::preview(text) }</pre>
            </div>
        }
    }

    fn view_demand(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let p = self.state.pattern.as_ref();
        let shape = p.map(|p| p.shape.as_str()).unwrap_or("");
        let num = |id: &'static str, label: &'static str, v: String, which: Setting| {
            html! {
                <label>{label}
                    <input id={id} type="text" inputmode="decimal" value={v}
                        oninput={link.callback(move |e: InputEvent| Msg::Set(which, input_event_value(&e)))} />
                </label>
            }
        };
        html! {
            <div class="demand">
                <label>{"Demand "}
                    <select id="pattern-select" onchange={link.callback(|e: Event| Msg::Pattern(select_value(&e)))}>
                        <option value="" selected={shape.is_empty()}>{"the samples below"}</option>
                        { for Shape::ALL.iter().map(|s| html! {
                            <option value={s.as_str()} selected={s.as_str() == shape} title={s.describe()}>{ format!("pattern: {}", s.as_str()) }</option>
                        }) }
                    </select>
                </label>
                { self.view_window(ctx) }
                if p.is_some() {
                    <div class="pattern" title="Total demand across the workload, in the metric's unit">
                        { num("pattern-base", "base ", self.field(Setting::PatternBase), Setting::PatternBase) }
                        { num("pattern-peak", "peak ", self.field(Setting::PatternPeak), Setting::PatternPeak) }
                        { num("pattern-duration", "duration (s) ", self.field(Setting::PatternDuration), Setting::PatternDuration) }
                        { num("pattern-step", "step (s) ", self.field(Setting::PatternStep), Setting::PatternStep) }
                    </div>
                }
                { self.view_editor(ctx, InputText::Samples) }
            </div>
        }
    }

    /// What is wrong with a replay window field: its text is not a time (nothing replayed), or
    /// the core refused the window (`replay-window`: outside the data, empty, an absolute time
    /// for relative data; also in the diagnostics list).
    fn window_error(&self, field: WindowField) -> Option<String> {
        if let Err(errors) = self.state.window() {
            return errors
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.error.to_string());
        }
        let Some(NotReplayed::Window(e)) = &self.output.not_replayed else {
            return None;
        };
        let which = match e {
            WindowError::Empty { .. } => WindowField::To,
            // The playground sets no metric outage: not about its fields.
            WindowError::OutageEmpty { .. } => return None,
            WindowError::Outside { which, .. } | WindowError::AbsoluteForRelative { which, .. } => {
                match *which {
                    "--from" => WindowField::From,
                    "--to" => WindowField::To,
                    _ => return None,
                }
            }
        };
        (which == field).then(|| text::for_the_page(&e.to_string()))
    }

    /// The replay window: two text fields (`#window-from`, `#window-to`), each with its error
    /// under it (`#window-from-error`, `#window-to-error`), and a hint.
    fn view_window(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let field = |field: WindowField, which: Setting, placeholder: &'static str| {
            let id = format!("window-{}", field.label());
            let error_id = format!("{id}-error");
            let error = self.window_error(field);
            html! {
                <label class={classes!("window-field", error.is_some().then_some("invalid"))}>{ format!("{} ", field.label()) }
                    <input id={id} type="text" value={self.field(which)} placeholder={placeholder}
                        maxlength={FIELD_CAP.to_string()} spellcheck="false" autocomplete="off"
                        aria-invalid={error.is_some().then_some("true")}
                        aria-describedby={format!("{error_id} window-hint")}
                        oninput={link.callback(move |e: InputEvent| Msg::Set(which, input_event_value(&e)))} />
                    if let Some(text) = error {
                        <span class="field-error" id={error_id} role="alert">{ text }</span>
                    }
                </label>
            }
        };
        html! {
            <fieldset class="window" id="replay-window">
                <legend>{"Replay window"}</legend>
                { field(WindowField::From, Setting::WindowFrom, "start of the data") }
                { field(WindowField::To, Setting::WindowTo, "end of the data") }
                <p class="hint" id="window-hint">
                    {"RFC 3339 (2025-11-28T08:00:00Z) or seconds in the input's own times: seconds from the start for CSV seconds and patterns, Unix seconds for Prometheus and Grafana data. Empty: the whole data."}
                </p>
            </fieldset>
        }
    }

    fn view_settings(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let s = &self.state;
        let sim = self.output.sim.as_ref();
        let field = |id: &'static str,
                     label: &'static str,
                     value: String,
                     placeholder: String,
                     which: Setting| {
            html! {
                <label>{label}
                    <input id={id} type="text" value={value} placeholder={placeholder}
                        oninput={link.callback(move |e: InputEvent| Msg::Set(which, input_event_value(&e)))} />
                </label>
            }
        };
        let chosen = s.autoscaler.clone().unwrap_or_default();
        html! {
            <fieldset class="settings">
                <legend>{"Settings"}</legend>
                <label>{"Autoscaler "}
                    <select id="autoscaler-select" ref={self.autoscaler_select.clone()} onchange={link.callback(|e: Event| Msg::Set(Setting::Autoscaler, select_value(&e)))}>
                        <option value="" selected={chosen.is_empty()}>{"the first one"}</option>
                        { for self.output.autoscalers.iter().map(|(name, kind)| html! {
                            <option value={name.clone()} selected={*name == chosen}>{ format!("{name} ({kind})") }</option>
                        }) }
                    </select>
                </label>
                { field("initial-replicas", "Initial replicas ", self.field(Setting::InitialReplicas),
                    sim.map_or_else(String::new, |o| format!("default {}", o.initial_replicas)), Setting::InitialReplicas) }
                { field("pod-startup", "Pod start-up (s) ", self.field(Setting::PodStartup),
                    sim.map_or_else(String::new, |o| format!("default {}", o.pod_startup / 1000)), Setting::PodStartup) }
                { field("horizon", "Horizon (s) ", self.field(Setting::Horizon),
                    sim.map_or_else(String::new, |o| format!("default {}", o.duration / 1000)), Setting::Horizon) }
                <label>{"AIBrix "}
                    <select id="aibrix-version" onchange={link.callback(|e: Event| Msg::Set(Setting::Aibrix, select_value(&e)))}>
                        <option value="v0.7" selected={s.aibrix.is_none()}>{"v0.7.0"}</option>
                        <option value="v0.6" selected={s.aibrix.as_deref() == Some("v0.6")}>{"v0.6.0"}</option>
                        <option value="v0.5" selected={s.aibrix.as_deref() == Some("v0.5")}>{"v0.5.0"}</option>
                        <option value="v0.4" selected={s.aibrix.as_deref() == Some("v0.4")}>{"v0.4.0"}</option>
                        <option value="v0.3" selected={s.aibrix.as_deref() == Some("v0.3")}>{"v0.3.0 (v0.4.0's code)"}</option>
                        <option value="v0.2" selected={s.aibrix.as_deref() == Some("v0.2")}>{"v0.2.1 (v0.4.0's code)"}</option>
                        <option value="v0.2.0" selected={s.aibrix.as_deref() == Some("v0.2.0")}>{"v0.2.0 (v0.4.0's code)"}</option>
                    </select>
                </label>
                <label>{"Samples are "}
                    <select id="samples-are" onchange={link.callback(|e: Event| Msg::Set(Setting::SamplesAre, select_value(&e)))}>
                        { for [("auto", "chosen from the data"), ("per-pod", "per pod (summed)"), ("average", "an average (× replicas)"), ("total", "the total")].into_iter().map(|(v, l)| html! {
                            <option value={v} selected={s.samples_are.as_deref().unwrap_or("auto") == v}>{l}</option>
                        }) }
                    </select>
                </label>
            </fieldset>
        }
    }

    fn view_selected(&self) -> Html {
        let Some(a) = &self.output.selected else {
            return html! { <p id="selected" class="none">{"No autoscaler to replay."}</p> };
        };
        let max = if a.max_replicas == u32::MAX {
            "unlimited".to_string()
        } else {
            a.max_replicas.to_string()
        };
        html! {
            <p id="selected" data-family={a.family}>
                <strong>{ a.name.clone() }</strong>{ format!(" ({}) — {}", a.kind, a.algorithm) }<br/>
                { format!(
                    "metric {} · target {}{}{} · min {} · max {}",
                    a.metric.as_deref().unwrap_or("-"),
                    Num(a.target.unwrap_or(f64::NAN)),
                    a.target_type.map(|t| format!(" {t}")).unwrap_or_default(),
                    a.unit.map(|u| format!(" ({u})")).unwrap_or_default(),
                    a.min_replicas, max
                ) }
            </p>
        }
    }

    fn view_summary(&self) -> Html {
        let stats = text::replica_stats(&self.output);
        let pin = self.pinned.as_ref().map(|p| {
            let peak = p.timeline.iter().map(|e| e.desired).max().unwrap_or(0);
            let last = p.timeline.last().map_or(0, |e| e.desired);
            format!(" · pinned run ({}): peak {peak}, final {last}", p.label)
        });
        html! {
            <p id="timeline-summary" ref={self.summary_ref.clone()}
                data-final-replicas={opt_str(stats.map(|s| s.0))}
                data-peak-replicas={opt_str(stats.map(|s| s.1))}
                data-min-replicas={opt_str(stats.map(|s| s.2))}
                data-duration-ms={opt_str(self.output.sim.as_ref().map(|s| s.duration))}>
                { match stats {
                    Some((last, peak, min)) => format!(
                        "spec.replicas: min {min}, peak {peak}, final {last} over {} decisions",
                        self.output.sim.as_ref().map_or(0, |s| s.timeline.len())
                    ),
                    None => match (&self.output.not_replayed, self.state.window()) {
                        (_, Err(_)) => "Not replayed: a replay window field is not a time.".to_string(),
                        (Some(why), _) => format!("Not replayed: {}.", text::for_the_page(&why.to_string())),
                        (None, _) => "No simulation: give samples or pick a demand pattern.".to_string(),
                    },
                } }
                { pin.unwrap_or_default() }
            </p>
        }
    }

    fn canvas_ref(&self, panel: Panel) -> &NodeRef {
        match panel {
            Panel::Metric => &self.metric_canvas,
            Panel::Replicas => &self.replicas_canvas,
        }
    }

    /// A chart: its canvas (focusable, with a text alternative; arrow keys move its cursor),
    /// and over it the crosshair at the decision under the pointer (or at the cursor while a
    /// chart has the keyboard focus) and, on the chart the pointer or focus is on, the
    /// tooltip with that decision's numbers and reason.
    fn view_chart(&self, ctx: &Context<Self>, panel: Panel) -> Html {
        let link = ctx.link();
        let (id, height) = match panel {
            Panel::Metric => ("chart-metric", METRIC_H),
            Panel::Replicas => ("chart-replicas", REPLICAS_H),
        };
        let i = panel_index(panel);
        let shown = self
            .hover
            .or(if self.chart_focus { self.cursor } else { None });
        let entry = shown.and_then(|t| self.entry_at(t));
        let x = match (
            entry,
            self.geometry[i],
            self.canvas_ref(panel).cast::<HtmlCanvasElement>(),
        ) {
            (Some(e), Some(g), Some(c)) => canvas::x_of(&c, self.scale[i], &g, e.t as f64),
            _ => None,
        };
        let onkeydown = link.batch_callback(move |e: KeyboardEvent| {
            let key = ChartKey::of(&e.key())?;
            e.prevent_default();
            Some(Msg::ChartKey(panel, key))
        });
        html! {
            <div class="chart-box">
                <canvas id={id} ref={self.canvas_ref(panel).clone()}
                    style={format!("height: {height}px")}
                    tabindex="0" role="img" aria-label={self.chart_label(panel)}
                    onmousemove={link.callback(move |e: MouseEvent| Msg::ChartPointer(panel, e.offset_x(), false))}
                    onclick={link.callback(move |e: MouseEvent| Msg::ChartPointer(panel, e.offset_x(), true))}
                    onmouseleave={link.callback(|_| Msg::PointerLeft)}
                    onkeydown={onkeydown}
                    onfocus={link.callback(move |_| Msg::ChartFocus(Some(panel)))}
                    onblur={link.callback(|_| Msg::ChartFocus(None))}></canvas>
                if let Some(x) = x {
                    <div class="crosshair" aria-hidden="true" style={format!("left: {x:.1}px")}></div>
                    if self.chart_at == panel {
                        { self.view_tooltip(entry, x) }
                    }
                }
            </div>
        }
    }

    /// The tooltip of decision `entry`, next to the crosshair at `x` (left of it past the
    /// middle of the chart).
    fn view_tooltip(&self, entry: Option<&TimelineEntry>, x: f64) -> Html {
        let Some(e) = entry else {
            return html! {};
        };
        let summary = self.output.selected.as_ref();
        let total = summary.is_some_and(|s| s.observed_is_total);
        let target = summary.and_then(|s| s.target);
        let right = self
            .canvas_ref(self.chart_at)
            .cast::<HtmlCanvasElement>()
            .is_some_and(|c| x > f64::from(c.client_width()) / 2.0);
        let style = if right {
            format!("left: {x:.1}px; transform: translateX(calc(-100% - 10px))")
        } else {
            format!("left: {:.1}px", x + 10.0)
        };
        let rows: [(&str, &str, String); 7] = [
            ("demand", "demand", format!("{}", Num(e.demand))),
            (
                "observed",
                if total {
                    "observed (all pods)"
                } else {
                    "observed"
                },
                format!("{}", Num(e.observed)),
            ),
            (
                "target",
                "target",
                target.map_or("-".to_string(), |t| format!("{}", Num(t))),
            ),
            ("ready", "ready pods", e.ready.to_string()),
            (
                "replicas",
                "spec.replicas",
                format!("{} → {}", e.replicas, e.desired),
            ),
            ("mode", "mode", e.mode.as_str().to_string()),
            (
                "reason",
                "reason",
                text::for_the_page(&e.reason.to_string()),
            ),
        ];
        html! {
            <div id="chart-tooltip" role="status" data-t={e.t.to_string()} style={style}>
                <div class="tooltip-time">{ format!("{}", Clock(e.t)) }</div>
                <dl>
                    { for rows.into_iter().map(|(field, name, value)| html! {
                        <>
                            <dt>{ name }</dt>
                            <dd data-field={field}>{ value }</dd>
                        </>
                    }) }
                </dl>
            </div>
        }
    }

    /// A chart's text alternative: what it shows, in numbers, and how to move its cursor.
    fn chart_label(&self, panel: Panel) -> String {
        let keys = "Left and Right arrows move from decision to decision, Home and End to the \
                    first and last; the trace below explains the decision";
        let Some(sim) = self.output.sim.as_ref().filter(|s| !s.timeline.is_empty()) else {
            return "Chart: nothing replayed".to_string();
        };
        let tl = &sim.timeline;
        let span = match (tl.first(), tl.last()) {
            (Some(a), Some(b)) => format!("from {} to {}", Clock(a.t), Clock(b.t)),
            _ => String::new(),
        };
        let summary = self.output.selected.as_ref();
        match panel {
            Panel::Metric => {
                let metric = summary
                    .and_then(|s| s.metric.as_deref())
                    .unwrap_or("the metric");
                let peak = tl
                    .iter()
                    .map(|e| e.observed)
                    .filter(|v| v.is_finite())
                    .fold(f64::NAN, f64::max);
                let target = summary
                    .and_then(|s| s.target)
                    .map_or(String::new(), |t| format!(" against the target {}", Num(t)));
                format!(
                    "Chart of the observed {metric}{target}, {} decisions {span}; highest observed {}. {keys}.",
                    tl.len(),
                    Num(peak)
                )
            }
            Panel::Replicas => {
                let reps = tl.iter().map(|e| e.desired);
                let (min, peak) = (reps.clone().min().unwrap_or(0), reps.max().unwrap_or(0));
                let last = tl.last().map_or(0, |e| e.desired);
                format!(
                    "Chart of spec.replicas and ready pods {span}: min {min}, peak {peak}, final {last}. {keys}."
                )
            }
        }
    }

    fn view_trace(&self, ctx: &Context<Self>) -> Html {
        let hint = html! { <p class="hint">{"Hover over or click a chart to see that decision's trace."}</p> };
        let (Some(a), Some(sim)) = (self.output.autoscaler(), &self.output.sim) else {
            return html! { <div id="trace">{ hint }</div> };
        };
        // The pointer's time, else the moment core finds most telling ("why this many here?").
        let picked = self.hover.or(self.cursor);
        let at = picked.or_else(|| explain::interesting_moment(a, sim).map(|m| m.0));
        let Some(at) = at else {
            return html! { <div id="trace">{ hint }</div> };
        };
        let ex = match explain::explain(a, sim, at, TRACE_SPAN) {
            Ok(ex) => ex,
            Err(e) => return html! { <div id="trace"><p>{ e.to_string() }</p></div> },
        };
        let link = ctx.link();
        let focus = ex.focus.and_then(|i| ex.steps.get(i));
        // Changed steps and the focus, at most TRACE_STEPS around the focus.
        let shown: Vec<(usize, &explain::Step)> = ex
            .steps
            .iter()
            .enumerate()
            .filter(|(i, st)| st.changed || Some(*i) == ex.focus)
            .collect();
        let fpos = shown
            .iter()
            .position(|(i, _)| Some(*i) == ex.focus)
            .unwrap_or(0);
        let from = fpos.saturating_sub(TRACE_STEPS / 2);
        let shown = shown.iter().skip(from).take(TRACE_STEPS);
        let cause = focus.and_then(|st| st.cause.as_ref());
        html! {
            <div id="trace" data-t={opt_str(focus.map(|st| st.t))}>
                <p class="headline">
                    if picked.is_none() { <span class="default">{"Most telling moment: "}</span> }
                    <strong>{ ex.headline.clone() }</strong>
                </p>
                if let Some(c) = cause {
                    <p class="cause">{"Setting behind it: "}
                        { match c.origin {
                            Origin::Yaml { line, .. } => html! {
                                <a href="#" class="cause-link" data-line={line.to_string()}
                                    onclick={link.callback(move |e: MouseEvent| { e.prevent_default(); Msg::SelectLine(InputText::Yaml, line) })}>
                                    { c.describe(None) }</a>
                            },
                            Origin::Default { .. } => html! { <span>{ c.describe(None) }</span> },
                        } }
                    </p>
                }
                <ol class="steps">
                    { for shown.map(|(i, st)| html! {
                        <li class={classes!((Some(*i) == ex.focus).then_some("focus"))} data-t={st.t.to_string()}
                            data-panic={(st.mode == Mode::Panic).then_some(if st.panic_without_load { "no-load" } else { "load" })}>
                            { st.sentence.clone() }
                        </li>
                    }) }
                </ol>
            </div>
        }
    }

    fn view_diagnostics(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        html! {
            <section class="diagnostics-block">
                <h2>{ format!("Diagnostics ({})", self.output.findings.len()) }</h2>
                <ul id="diagnostics">
                    { for self.output.findings.iter().enumerate().map(|(i, f): (usize, &Finding)| {
                        let d = &f.diagnostic;
                        let fixable = f.input == InputText::Yaml;
                        let (line, col) = d.span.map_or((0, 0), |s| (s.start.line, s.start.column));
                        let onclick = link.callback(move |_| Msg::SelectFinding(i));
                        // Enter (and Space, like a button) selects the line. The key is the
                        // app's: the focus moves to the editor with the line selected, where the
                        // key's default action would replace the line (issue 14, item 1).
                        let onkeydown = link.batch_callback(move |e: KeyboardEvent| {
                            let key = e.key();
                            (key == "Enter" || key == " ").then(|| {
                                e.prevent_default();
                                Msg::SelectFinding(i)
                            })
                        });
                        // The cursor is in its squiggle (issue 14: the list follows the editor).
                        let here = fixable && self.at_cursor.contains(&i);
                        html! {
                            <li class={classes!("diagnostic", d.severity.as_str(), here.then_some("at-cursor"))} tabindex="0"
                                aria-current={here.then_some("true")}
                                data-code={d.code.as_str()} data-severity={d.severity.as_str()}
                                data-input={f.input.as_str()}
                                data-line={if line > 0 { line.to_string() } else { String::new() }}
                                data-column={if col > 0 { col.to_string() } else { String::new() }}
                                {onclick} {onkeydown}>
                                <span class="loc">{ if line > 0 { format!("{}{line}:{col}", if f.input == InputText::Samples { "samples " } else { "" }) } else { String::new() } }</span>
                                {" "}<span class="sev">{ format!("{}[{}]", d.severity.as_str(), d.code) }</span>
                                {": "}<span class="msg">{ text::for_the_page(&d.message) }</span>
                                if let Some(h) = &d.help {
                                    <div class="help">{ text::for_the_page(h) }</div>
                                }
                                if fixable {
                                    { for d.fixes.iter().enumerate().filter(|(_, x)| !x.edits.is_empty()).map(|(k, x)| html! {
                                        <button class="apply-fix" data-fix-index={k.to_string()}
                                            onclick={link.callback(move |e: MouseEvent| { e.stop_propagation(); Msg::ApplyFix(i, k) })}>
                                            { format!("Fix: {}", text::for_the_page(&x.description)) }</button>
                                    }) }
                                }
                            </li>
                        }
                    }) }
                </ul>
            </section>
        }
    }

    fn view_import(&self, out: &PipelineOutput) -> Html {
        let Some(imp) = &out.import else {
            return html! {};
        };
        html! {
            <details id="import" class="import">
                <summary>{ format!("Samples: {}, {} series{}, read as {}", imp.format.as_str(), imp.series,
                    imp.metric.as_deref().map(|m| format!(" of `{m}`")).unwrap_or_default(),
                    imp.interpretation.as_str()) }</summary>
                <ul>
                    { for imp.notes.iter().map(|n| html! { <li>{ scalelens_core::samples::note_text(n) }</li> }) }
                    if let Some(sc) = &imp.scale {
                        <li class="scale">{ format!(
                            "note: per-pod values are on a 0–{} scale (median {}, max {}) for a metric the registry bounds at {}: the replay caps each pod at {}",
                            Num(sc.bound), Num(sc.median), Num(sc.max), Num(sc.registry_bound),
                            Num(sc.bound)) }</li>
                    }
                </ul>
            </details>
        }
    }
}

/// What the app does with a paste instead of the browser ([`large_paste`]).
enum PasteAction {
    /// Splice this text in at the selection (UTF-16 start, end).
    Insert(String, u32, u32),
    /// Refuse it: the text would be about this many bytes.
    Refuse(usize),
}

/// For a paste the app should handle itself, what to do; `None`: the browser pastes, as usual.
/// A paste of more than [`text::SHOW_LINES`] lines or [`text::SHOW_BYTES`] would make Chromium
/// insert and lay out the whole text before the app hears of it (seconds, and a minute for
/// 25 MB); made by the app, the editor shows a preview instead. A paste longer than the cap
/// ([`State::paste_refused`]) is refused before its text is copied out of the clipboard data.
fn large_paste(e: &Event, input: InputText) -> Option<PasteAction> {
    let ta = e.target()?.dyn_into::<HtmlTextAreaElement>().ok()?;
    if ta.read_only() || ta.disabled() {
        return None;
    }
    let start = ta.selection_start().ok().flatten().unwrap_or(0);
    let end = ta.selection_end().ok().flatten().unwrap_or(start);
    paste_action(e, input, start, end, ta.text_length())
}

/// What to do with a paste over UTF-16 `start..end` of an editor whose text is `len` UTF-16
/// units long ([`large_paste`]; the code editor asks with its own selection).
fn paste_action(
    e: &Event,
    input: InputText,
    start: u32,
    end: u32,
    len: u32,
) -> Option<PasteAction> {
    let ce = e.dyn_ref::<web_sys::ClipboardEvent>()?;
    let data = ce.clipboard_data()?;
    // The length first, in UTF-16 units (at most the UTF-8 bytes): no copy of a huge text.
    let get = js_sys::Reflect::get(&data, &"getData".into()).ok()?;
    let get = get.dyn_ref::<js_sys::Function>()?;
    let pasted = get.call1(&data, &"text/plain".into()).ok()?;
    let units = pasted.dyn_ref::<js_sys::JsString>()?.length() as usize;
    if units > crate::state::cap_of(input) {
        let kept = (len as usize).saturating_sub(end.abs_diff(start) as usize);
        return Some(PasteAction::Refuse(kept + units));
    }
    let pasted = pasted.as_string()?;
    let lines = pasted.bytes().filter(|b| *b == b'\n').count();
    if pasted.len() <= text::SHOW_BYTES && lines < text::SHOW_LINES {
        return None;
    }
    Some(PasteAction::Insert(pasted, start, end))
}

/// The length in UTF-16 units of `text` up to byte `at` (a character boundary).
fn utf16_len(text: &str, at: usize) -> u32 {
    let units = text.get(..at).map_or(0, |t| t.encode_utf16().count());
    u32::try_from(units).unwrap_or(u32::MAX)
}

fn paste_message(input: InputText, a: PasteAction) -> Msg {
    match a {
        PasteAction::Insert(pasted, start, end) => Msg::Paste(input, pasted, start, end),
        PasteAction::Refuse(len) => Msg::PasteRefused(input, len),
    }
}

fn textarea_value(e: &InputEvent) -> String {
    e.target()
        .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
        .map(|t| t.value())
        .unwrap_or_default()
}

fn select_value(e: &Event) -> String {
    e.target()
        .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
        .map(|t| t.value())
        .unwrap_or_default()
}

fn input_event_value(e: &InputEvent) -> String {
    e.target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        .map(|t| t.value())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_keys_move_the_cursor_from_decision_to_decision() {
        use ChartKey::*;
        // (key, cursor at, decisions, where it goes)
        let cases: &[(ChartKey, Option<usize>, usize, Option<usize>)] = &[
            (Next, None, 5, Some(0)),
            (Previous, None, 5, Some(0)),
            (Last, None, 5, Some(4)),
            (Next, Some(1), 5, Some(2)),
            (Next, Some(4), 5, Some(4)),
            (Previous, Some(0), 5, Some(0)),
            (Previous, Some(3), 5, Some(2)),
            (PageNext, Some(1), 50, Some(11)),
            (PageNext, Some(45), 50, Some(49)),
            (PagePrevious, Some(5), 50, Some(0)),
            (First, Some(7), 50, Some(0)),
            (Last, Some(7), 50, Some(49)),
            // A cursor past the end (a shorter replay since) counts from the last.
            (Previous, Some(80), 50, Some(48)),
            (Escape, Some(3), 5, None),
            (Escape, None, 5, None),
            (Next, None, 0, None),
        ];
        for &(key, at, len, want) in cases {
            assert_eq!(key.moved(at, len), want, "{key:?} from {at:?} of {len}");
        }
        assert_eq!(ChartKey::of("ArrowRight"), Some(Next));
        assert_eq!(ChartKey::of("End"), Some(Last));
        assert_eq!(ChartKey::of("a"), None);
    }
}
