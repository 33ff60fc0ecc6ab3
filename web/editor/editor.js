// The playground's code editor: CodeMirror 6 with only what the playground uses, bundled by
// esbuild into one ES module (`cargo xtask` builds it: web/editor/dist/editor.js, git-ignored)
// that web/src/editor.rs imports through wasm-bindgen.
//
// Positions at this interface are CodeMirror's: UTF-16 code units (the Rust side converts the
// core's character offsets). The app owns the text and its one undo history (typing, fixes,
// examples, links...): the editor has no history of its own, its Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y
// call the app's, and the app puts its text back with `setDoc` (one change, so the selection and
// the scroll position map through it).

import {
  Annotation, Compartment, EditorState, RangeSet, StateEffect, StateField, Transaction,
} from "@codemirror/state";
import {
  EditorView, GutterMarker, drawSelection, gutter, highlightActiveLine,
  highlightActiveLineGutter, highlightSpecialChars, hoverTooltip, keymap, lineNumbers,
} from "@codemirror/view";
import { defaultKeymap } from "@codemirror/commands";
import {
  bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting,
} from "@codemirror/language";
import {
  autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap,
} from "@codemirror/autocomplete";
import { highlightSelectionMatches, searchKeymap } from "@codemirror/search";
import { forEachDiagnostic, setDiagnostics } from "@codemirror/lint";
import { yaml } from "@codemirror/lang-yaml";

/// Marks a transaction made by the app (its text put back): no change callback for it.
const fromApp = Annotation.define();

/// The gutter's severity marks: `<span class="gutter-mark SEVERITY" data-line data-code title>`
/// (the DOM contract the playground's tests and docs name), one per diagnostic line.
class Mark extends GutterMarker {
  constructor(line, severity, code, title) {
    super();
    this.line = line;
    this.severity = severity;
    this.code = code;
    this.title = title;
  }
  eq(other) {
    return other.line === this.line && other.severity === this.severity &&
      other.code === this.code && other.title === this.title;
  }
  toDOM() {
    const el = document.createElement("span");
    el.className = `gutter-mark ${this.severity}`;
    el.dataset.line = String(this.line);
    el.dataset.code = this.code;
    el.title = this.title;
    el.textContent = "\u25cf";
    return el;
  }
}

const setMarks = StateEffect.define();
const marksField = StateField.define({
  create: () => RangeSet.empty,
  update(value, tr) {
    for (const e of tr.effects) if (e.is(setMarks)) return e.value;
    return tr.docChanged ? value.map(tr.changes) : value;
  },
});

/// The YAML language (parser, highlighting), switched off when it fails: Lezer's tree code
/// recurses per nesting level, and a document nested thousands deep (`[[[[...`, which the
/// core refuses with `yaml-limit`) overflows the JavaScript stack.
const language = new Compartment();

/// Apply transactions; when computing their state throws (the YAML language's parse, see
/// `language`: typed, pasted or dropped by the user, or put by the app), say so on the console,
/// switch the language off and apply the same changes again: the editor goes on as a
/// plain-text editor and the edit is not lost. The throw comes before the view changes
/// anything (`EditorView.update` computes every state first).
function dispatchGuarded(trs, view) {
  try {
    view.update(trs);
    return;
  } catch (e) {
    if (!language.get(view.state).length) throw e;
    console.error("scalelens editor: without YAML highlighting from now on:", e);
  }
  view.update([view.state.update({ effects: language.reconfigure([]) })]);
  for (const tr of trs) {
    const annotations = [];
    const userEvent = tr.annotation(Transaction.userEvent);
    if (userEvent) annotations.push(Transaction.userEvent.of(userEvent));
    if (tr.annotation(fromApp)) annotations.push(fromApp.of(true));
    view.update([view.state.update({
      changes: tr.changes,
      selection: tr.selection,
      effects: tr.effects,
      scrollIntoView: tr.scrollIntoView,
      annotations,
    })]);
  }
}

/// Severities CodeMirror's lint knows; anything else is shown as "info".
const SEVERITIES = new Set(["error", "warning", "info", "hint"]);

function clamp(n, len) {
  return Math.max(0, Math.min(len, n | 0));
}

/// A `<div class=cls>` holding `text` (as text) or the given children.
function div(cls, text, children = []) {
  const el = document.createElement("div");
  el.className = cls;
  if (text !== null) el.textContent = text;
  for (const c of children) el.appendChild(c);
  return el;
}

/// The tooltip body of a diagnostic: its message, its help and the upstream source its rule
/// stands on (the rule docs' references, from the core); the fixes are the tooltip's actions.
function renderMessage(d) {
  const parts = [div("sl-diag-message", d.message)];
  if (d.help) parts.push(div("sl-diag-help", d.help));
  if (d.source) parts.push(div("sl-diag-source", `Upstream: ${d.source}`));
  return div("sl-diag", null, parts);
}

/// The hover card of a known key (`{from, to, title, lines: [text]}` from the app).
function renderDocs(info) {
  const parts = [div("sl-docs-title", info.title)];
  for (const line of info.lines || []) parts.push(div("sl-docs-line", line));
  return div("sl-docs", null, parts);
}

/// The findings (`finding` of the diagnostics shown) whose squiggle holds the cursor (the
/// selection's head, at either end of a span or inside it), ascending.
function findingsAt(state) {
  const head = state.selection.main.head;
  const found = new Set();
  forEachDiagnostic(state, (d, from, to) => {
    if (from <= head && head <= to && typeof d.finding === "number") found.add(d.finding);
  });
  return [...found].sort((a, b) => a - b);
}

/// Create an editor in `parent`.
/// - `doc`: the text; `options`: `{ id, label, readOnly, yaml }` (`id` goes on the editable
///   element, which answers `value` (the text), `selectionStart`, `selectionEnd` and
///   `readOnly`, read-only, for scripts and tests; edits go through the editor's own input);
/// - `callbacks`: `change(doc)` after a user's edit; `undo()`, `redo()`; `paste(event, from,
///   to, length)` returning true when the app handles the paste itself; `fix(finding, fix)`
///   from a diagnostic's action; `cursor(findings)` when the squiggles holding the cursor
///   change (an array of finding indices); `docs(pos)` returning `{from, to, title, lines}` or
///   null; `complete(pos)` returning `{from, options: [{label, detail, info}]}` or null.
export function create(parent, doc, options, callbacks) {
  const readOnly = !!options.readOnly;
  const appKeys = [
    { key: "Mod-z", run: () => (callbacks.undo(), true), preventDefault: true },
    { key: "Mod-Shift-z", run: () => (callbacks.redo(), true), preventDefault: true },
    // The shifted character itself (what a key event without a key code names).
    { key: "Mod-Z", run: () => (callbacks.redo(), true), preventDefault: true },
    { key: "Mod-y", run: () => (callbacks.redo(), true), preventDefault: true },
  ];
  const extensions = [
    EditorState.lineSeparator.of("\n"),
    lineNumbers(),
    gutter({
      class: "sl-marks",
      markers: (v) => v.state.field(marksField),
      initialSpacer: () => new Mark(0, "info", "", ""),
    }),
    marksField,
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    drawSelection(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    bracketMatching(),
    keymap.of([...appKeys, ...searchKeymap, ...defaultKeymap]),
    EditorView.contentAttributes.of({
      id: options.id || "",
      "aria-label": options.label || "",
      spellcheck: "false",
    }),
    EditorView.domEventHandlers({
      paste(event, view) {
        if (view.state.readOnly) return false;
        const sel = view.state.selection.main;
        return !!callbacks.paste(event, sel.from, sel.to, view.state.doc.length);
      },
    }),
    EditorView.updateListener.of((u) => {
      if (u.docChanged && !u.transactions.some((tr) => tr.annotation(fromApp))) {
        callbacks.change(u.state.doc.toString());
      }
      // The listed diagnostics follow the cursor: which squiggles hold it, told when that
      // changes (a move, an edit, new diagnostics).
      const at = findingsAt(u.state);
      const key = at.join(",");
      if (key !== u.view.__cursorKey) {
        u.view.__cursorKey = key;
        callbacks.cursor(at);
      }
    }),
    hoverTooltip((view, pos) => {
      const info = callbacks.docs(pos);
      if (!info) return null;
      const len = view.state.doc.length;
      return {
        pos: clamp(info.from, len),
        end: clamp(info.to, len),
        above: true,
        create: () => ({ dom: renderDocs(info) }),
      };
    }),
  ];
  const yamlSupport = options.yaml
    ? [yaml(), syntaxHighlighting(defaultHighlightStyle, { fallback: true })]
    : [];
  if (readOnly) {
    extensions.push(EditorState.readOnly.of(true), EditorView.editable.of(false));
  } else {
    extensions.push(
      indentOnInput(),
      closeBrackets(),
      keymap.of([...closeBracketsKeymap, ...completionKeymap]),
      autocompletion({
        activateOnTyping: true,
        override: [
          (ctx) => {
            const found = callbacks.complete(ctx.pos);
            if (!found || (!ctx.explicit && found.from === ctx.pos)) return null;
            return {
              from: clamp(found.from, ctx.state.doc.length),
              options: found.options.map((o) => ({
                label: o.label,
                detail: o.detail,
                info: o.info,
                type: o.type,
                apply: o.label + ": ",
              })),
              validFor: /^[\w.\/-]*$/,
            };
          },
        ],
      }),
    );
  }
  let view;
  try {
    view = new EditorView({
      doc,
      parent,
      extensions: [...extensions, language.of(yamlSupport)],
      dispatchTransactions: dispatchGuarded,
    });
  } catch (e) {
    // A text the YAML language cannot take (see `language`): a plain-text editor.
    console.error("scalelens editor: without YAML highlighting:", e);
    parent.textContent = "";
    view = new EditorView({
      doc,
      parent,
      extensions: [...extensions, language.of([])],
      dispatchTransactions: dispatchGuarded,
    });
  }
  view.__fix = callbacks.fix;
  view.__cursorKey = "";
  const content = view.contentDOM;
  // What the editor holds, read-only (scripts, tests, the benchmark): its text and selection
  // in UTF-16 units. There is no setter: text gets in as a user's does (typing, paste, drop),
  // through CodeMirror's own input handling.
  Object.defineProperty(content, "value", {
    configurable: true,
    get: () => view.state.doc.toString(),
  });
  view.__gutterId = options.gutterId || "";
  nameGutter(view);
  Object.defineProperty(content, "readOnly", {
    configurable: true,
    get: () => view.state.readOnly,
  });
  Object.defineProperty(content, "selectionStart", {
    configurable: true,
    get: () => view.state.selection.main.from,
  });
  Object.defineProperty(content, "selectionEnd", {
    configurable: true,
    get: () => view.state.selection.main.to,
  });
  return view;
}

/// The marks' gutter carries the id the DOM contract names (`#yaml-gutter`).
function nameGutter(view) {
  const g = view.__gutterId && view.dom.querySelector(".sl-marks");
  if (g && g.id !== view.__gutterId) g.id = view.__gutterId;
}

/// Put the app's text in the editor as one change (the common start and end kept), so the
/// selection and scrolling map through it; no change callback.
export function setDoc(view, doc) {
  const old = view.state.doc.toString();
  if (old === doc) return;
  replaceDoc(view, old, doc);
}

function replaceDoc(view, old, doc) {
  let start = 0;
  const room = Math.min(old.length, doc.length);
  while (start < room && old.charCodeAt(start) === doc.charCodeAt(start)) start++;
  let end = 0;
  while (end < room - start &&
    old.charCodeAt(old.length - 1 - end) === doc.charCodeAt(doc.length - 1 - end)) end++;
  view.dispatch({
    changes: { from: start, to: old.length - end, insert: doc.slice(start, doc.length - end) },
    annotations: fromApp.of(true),
  });
}

export function getDoc(view) {
  return view.state.doc.toString();
}

/// Read the DOM input CodeMirror has seen but not applied yet, then return the document.
/// CodeMirror's DOMObserver applies some input (e.g. `execCommand('insertText')`) only at the
/// next animation frame (`flushSoon`), which a page going away (`pagehide`) never gets.
/// `observer.forceFlush()` (@codemirror/view 6.44.2, src/domobserver.ts) cancels that frame and
/// applies the input now, through the update listener (the change callback runs).
export function flush(view) {
  const observer = view.observer;
  if (observer && typeof observer.forceFlush === "function") observer.forceFlush();
  return view.state.doc.toString();
}

/// Show `diags` (`[{from, to, severity, code, message, help, source, line, finding, fixes:
/// [{name, finding, fix}]}]`, UTF-16 positions in the current text): squiggles with a hover
/// tooltip (message, help, upstream source, fix buttons) and the gutter's marks.
export function showDiagnostics(view, diags) {
  const len = view.state.doc.length;
  const lint = [];
  const marks = [];
  const seen = new Set();
  for (const d of diags) {
    const from = clamp(d.from, len);
    const to = Math.max(from, clamp(d.to, len));
    const severity = SEVERITIES.has(d.severity) ? d.severity : "info";
    lint.push({
      from,
      to,
      severity,
      source: d.code,
      finding: d.finding,
      message: d.message,
      renderMessage: () => renderMessage(d),
      actions: (d.fixes || []).map((f) => ({
        name: f.name,
        apply: () => view.__fix(f.finding, f.fix),
      })),
    });
    const lineStart = view.state.doc.lineAt(from).from;
    if (!seen.has(lineStart)) {
      seen.add(lineStart);
      marks.push(new Mark(d.line, d.severity, d.code, d.title).range(lineStart));
    }
  }
  marks.sort((a, b) => a.from - b.from);
  const tr = setDiagnostics(view.state, lint);
  view.dispatch({
    effects: [].concat(tr.effects || [], setMarks.of(RangeSet.of(marks))),
    annotations: fromApp.of(true),
  });
  nameGutter(view);
}

/// Select `from..to`, scroll it into view (centred), and give the editor the focus.
export function select(view, from, to, focus) {
  const len = view.state.doc.length;
  const a = clamp(from, len);
  const b = Math.max(a, clamp(to, len));
  view.dispatch({
    selection: { anchor: a, head: b },
    effects: EditorView.scrollIntoView(a, { y: "center" }),
    annotations: fromApp.of(true),
  });
  if (focus) view.focus();
}

export function focus(view) {
  view.focus();
}

export function destroy(view) {
  view.destroy();
}
