//! The playground's state (what the user typed and chose) and its two encodings: the share
//! link's URL fragment and the localStorage record. Plain Rust: no DOM, tested natively.
//!
//! Fragment format: `#v1:<payload>` where `<payload>` is lz-string's
//! `compressToEncodedURIComponent` of a JSON object (`lz_str`, byte-for-byte compatible with the
//! JS library). Fields equal to their default are left out; `yaml`/`samples` are left out
//! when equal to the loaded example's text, so an unedited example is a few dozen characters.
//! A link with a version above [`VERSION`] is refused with a message, never half-read.
//!
//! **Links are untrusted input.** A payload over [`PAYLOAD_CAP`] characters is refused before
//! decoding; decoding ([`crate::lz`], bounded, not the crate's unbounded decoder) stops once
//! the text would pass [`LINK_CAP`] (a decompression bomb); the JSON is read without building
//! a tree of arbitrary items, and its short fields are bounded by [`FIELD_CAP`]. Every refusal
//! is a [`DecodeError`] with a message; nothing user-supplied is echoed beyond
//! [`ECHO_CHARS`] characters.
//!
//! **Share links are example-relative:** an unedited gallery example is
//! `{"v":1,"example":id}` (or the plain fragment `#example=<id>`); only edited texts travel in the
//! link, so the seed case's 100 KB of samples do not.

use serde::{Deserialize, Serialize};

use scalelens_core::demand::pattern::{Pattern, Shape};
use scalelens_core::model::{AibrixVersion, SECOND};
use scalelens_core::pipeline::{
    BoundError, DemandInput, InputText, PipelineInput, PipelineOptions, ReplayWindow, WindowBound,
};
use scalelens_core::samples::Interpretation;

use crate::examples;
use crate::lz::{self, LzError};

/// The current state version (fragment prefix `v1:` and the storage record's `v`).
pub const VERSION: u32 = 1;

/// The localStorage key.
pub const STORAGE_KEY: &str = "scalelens.playground";

/// The sessionStorage key of the tab's save mark ([`Fragments::mark`]). sessionStorage lives
/// as long as the tab, across reloads, and is not shared with other tabs.
pub const MARK_KEY: &str = "scalelens.playground.saved";

/// How many of a page's URL fragments its save mark names (the newest; [`Fragments`]). A
/// reload races with the saves after it starts (one per typing pause: the page lives on until
/// the new one answers), so only the last few can be the one a reload finds.
pub const MARK_FRAGMENTS: usize = 16;

/// Largest state saved to localStorage (bytes of JSON). Browsers allow about 5 MB per origin;
/// a larger state (that runs: no text over its cap) is kept in IndexedDB instead, which has
/// room for hundreds of MB, and [`LARGE_KEY`] says so.
pub const STORAGE_CAP: usize = 2_000_000;

/// localStorage key present while the saved state is the one in IndexedDB (too large for
/// [`STORAGE_KEY`]); saving a state to [`STORAGE_KEY`] removes it, and saving one to
/// IndexedDB removes the [`STORAGE_KEY`] record, so one of them is ever the saved state.
pub const LARGE_KEY: &str = "scalelens.playground.large";

/// Largest state JSON (bytes) written to a link; beyond it the playground writes no link and
/// says so (a multi-megabyte URL is not shareable, and compressing 1 MB takes about 200 ms),
/// and reading a link stops once its text passes this many UTF-16 units (a JSON of at most
/// this many bytes has at most this many units), so every link the playground writes opens
/// and a decompression bomb stops here.
pub const LINK_CAP: usize = 256_000;

/// Largest YAML text the playground runs (bytes). The pipeline runs on the UI thread and every
/// edit re-reads the YAML. Measured in headless Chromium on a loaded 2-core machine (load
/// average about 7): the pipeline alone takes about 500 ms per MB for the slowest kind
/// (thousands of autoscaler documents, each read and checked; other objects about 300 ms per
/// MB: `web/tests/input_cost.rs`), and the whole app, paste to chart, held the page for 1.8 s
/// at 2 MB (`tests/tests/playground_e2e.rs`, which prints it): 1 MB keeps a run under about
/// 1 s. Real manifests are far smaller. A larger text stays in its editor with a message
/// naming this limit and the command line (which reads files up to 20 MB); a larger paste is
/// refused.
pub const YAML_CAP: usize = 1_000_000;

/// Largest samples text the playground runs (bytes). Per-pod CSV, the slowest format to
/// import, took about 80 ms per MB for the pipeline alone (Prometheus JSON about 35), and the
/// whole app held the page for 2.2 s at 10 MB in the same measurements: 5 MB keeps it
/// around 1 s (a week at 15 s of ten pods). The import is kept while only the YAML changes.
/// Same message as [`YAML_CAP`].
pub const SAMPLES_CAP: usize = 5_000_000;

/// The run cap of `input`'s text ([`YAML_CAP`], [`SAMPLES_CAP`]).
pub fn cap_of(input: InputText) -> usize {
    match input {
        InputText::Yaml => YAML_CAP,
        InputText::Samples => SAMPLES_CAP,
    }
}

/// `YAML` or `samples`, for messages.
fn name_of(input: InputText) -> &'static str {
    match input {
        InputText::Yaml => "YAML",
        InputText::Samples => "samples",
    }
}

/// Longest link payload (characters after `v1:`) read at all. lz-string turns a
/// [`LINK_CAP`]-byte state into at most about 1.4 characters per byte when nothing repeats
/// (measured: 1.34 for random printable ASCII, 1.41 for random 7-bit text; a state of every
/// UTF-16 unit once is tested below this cap), so twice [`LINK_CAP`] refuses only payloads no
/// playground wrote. Longer links (a 10 MB paste) are refused before any decoding.
pub const PAYLOAD_CAP: usize = 2 * LINK_CAP;

/// Longest value of a short state field (`example`, `autoscaler`, `aibrix`, `samples_are`,
/// `pattern.shape`, `from`, `to`): 253 characters, a Kubernetes object name's limit (the
/// longest of them, `autoscaler`, is one; a window bound is at most about 35). A longer value
/// cannot come from the playground (the from/to fields keep at most this many characters): the
/// link is refused.
pub const FIELD_CAP: usize = 253;

/// Most characters of a link's own text quoted back in a message (an unknown example id, a
/// bad version, a JSON error): enough to recognise it, never a megabyte in the page.
pub const ECHO_CHARS: usize = 60;

/// `text`, cut to [`ECHO_CHARS`] characters with `…` when longer.
fn echo(text: &str) -> String {
    match text.char_indices().nth(ECHO_CHARS) {
        Some((i, _)) => format!("{}…", text.get(..i).unwrap_or_default()),
        None => text.to_string(),
    }
}

/// A generated demand pattern, as the picker holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PatternState {
    /// `step`, `ramp`, `spike` or `diurnal`.
    pub shape: String,
    /// Total demand outside the burst, in the metric's unit.
    pub base: f64,
    /// Highest total demand, in the metric's unit.
    pub peak: f64,
    pub duration_s: u64,
    pub step_s: u64,
}

impl PatternState {
    /// Defaults for `shape` around a target: base half the target, peak four times it (one hour
    /// at 15 s).
    pub fn around(shape: &str, target: Option<f64>) -> Self {
        let t = target.filter(|t| t.is_finite() && *t > 0.0).unwrap_or(10.0);
        PatternState {
            shape: shape.to_string(),
            base: t * 0.5,
            peak: t * 4.0,
            duration_s: 3600,
            step_s: 15,
        }
    }

    /// The core pattern (`None` for an unknown shape).
    pub fn pattern(&self) -> Option<Pattern> {
        let shape = Shape::parse(&self.shape)?;
        let mut p = Pattern::new(shape, self.base, self.peak);
        p.duration = self.duration_s.saturating_mul(SECOND);
        p.step = self.step_s.saturating_mul(SECOND);
        Some(p)
    }
}

/// Everything the user controls.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct State {
    /// The gallery example this state started from (texts are stored relative to it).
    pub example: Option<String>,
    pub yaml: String,
    pub samples: String,
    /// A generated demand instead of the samples text.
    pub pattern: Option<PatternState>,
    /// `metadata.name` of the autoscaler to replay (default: the first).
    pub autoscaler: Option<String>,
    /// `v0.4` to replay AIBrix v0.4.0 (default v0.7.0).
    pub aibrix: Option<String>,
    pub initial_replicas: Option<u32>,
    pub pod_startup_s: Option<u64>,
    pub horizon_s: Option<u64>,
    /// `per-pod`, `average` or `total` (default: from the data).
    pub samples_are: Option<String>,
    /// The replay window's start as typed ([`WindowBound::parse`]: RFC 3339 or seconds in the
    /// input's own times; default: the data's start). Kept as text, so a value that is not a
    /// time survives a reload and a link with its message.
    pub window_from: Option<String>,
    /// The replay window's end as typed (default: the data's end).
    pub window_to: Option<String>,
}

/// One of the replay window's two fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowField {
    From,
    To,
}

impl WindowField {
    /// The field's name, as its label shows it.
    pub fn label(self) -> &'static str {
        match self {
            WindowField::From => "from",
            WindowField::To => "to",
        }
    }
}

/// A window field whose text is not a time: the run does not replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowFieldError {
    pub field: WindowField,
    pub error: BoundError,
}

impl std::fmt::Display for WindowFieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Not replayed: the replay window's \"{}\" field is wrong: {}. Correct it, or empty it to replay {} the data.",
            self.field.label(),
            self.error,
            match self.field {
                WindowField::From => "from the start of",
                WindowField::To => "to the end of",
            }
        )
    }
}

/// The state as written in links and storage: defaults left out.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Wire {
    v: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    example: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    yaml: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    samples: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pattern: Option<PatternState>,
    #[serde(skip_serializing_if = "Option::is_none")]
    autoscaler: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    aibrix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    initial_replicas: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pod_startup_s: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    horizon_s: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    samples_are: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<String>,
}

/// Why a link or a stored record could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// Not `v<N>:<payload>`, not lz-string, not UTF-16, not our JSON.
    Corrupt(String),
    /// Written by a newer playground.
    Future(u32),
    /// Over a size limit ([`PAYLOAD_CAP`], [`LINK_CAP`]): what was too large and the limit.
    TooLarge(String),
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::Corrupt(why) => write!(
                f,
                "This link is damaged and cannot be opened ({why})."
            ),
            DecodeError::Future(v) => write!(
                f,
                "This link was made by a newer version of the playground (state v{v}, this one reads v{VERSION})."
            ),
            DecodeError::TooLarge(why) => write!(
                f,
                "This link is too large to open ({why})."
            ),
        }
    }
}

impl DecodeError {
    /// The `data-kind` of the message shown for it.
    pub fn kind(&self) -> &'static str {
        match self {
            DecodeError::Corrupt(_) => "link-corrupt",
            DecodeError::Future(_) => "link-future",
            DecodeError::TooLarge(_) => "link-too-large",
        }
    }
}

/// A link that could not be opened, and what the page shows instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkProblem {
    pub error: DecodeError,
    /// The last saved state is shown (else empty editors).
    pub kept: bool,
}

impl LinkProblem {
    /// The `data-kind` of the message shown for it.
    pub fn kind(&self) -> &'static str {
        self.error.kind()
    }
}

impl std::fmt::Display for LinkProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.kept {
            write!(f, "{} Showing your last saved state instead.", self.error)
        } else {
            write!(
                f,
                "{} The editors are empty: type or paste an autoscaler, or pick an example.",
                self.error
            )
        }
    }
}

impl State {
    /// The gallery example this state still is: its texts as the example has them (settings
    /// and the demand pattern may differ: a `{"example":id}` link carries no pattern). The
    /// Example menu names it; an edited example is "your own input", so choosing the example
    /// again reloads it (issue 14, item 4).
    pub fn unedited_example(&self) -> Option<&'static str> {
        let ex = examples::find(self.example.as_deref()?)?;
        (self.yaml == ex.yaml && self.samples == ex.samples).then_some(ex.id)
    }

    /// The default state: the seed example.
    pub fn initial() -> State {
        examples::EXAMPLES
            .first()
            .map(|e| e.state())
            .unwrap_or_default()
    }

    fn to_wire(&self) -> Wire {
        let ex = self.example.as_deref().and_then(examples::find);
        let (ex_yaml, ex_samples) = ex.map_or(("", ""), |e| (e.yaml, e.samples));
        Wire {
            v: VERSION,
            example: ex.map(|e| e.id.to_string()),
            yaml: (self.yaml != ex_yaml).then(|| self.yaml.clone()),
            samples: (self.samples != ex_samples).then(|| self.samples.clone()),
            pattern: self.pattern.clone(),
            autoscaler: self.autoscaler.clone(),
            aibrix: self.aibrix.clone(),
            initial_replicas: self.initial_replicas,
            pod_startup_s: self.pod_startup_s,
            horizon_s: self.horizon_s,
            samples_are: self.samples_are.clone(),
            from: self.window_from.clone(),
            to: self.window_to.clone(),
        }
    }

    fn from_wire(w: Wire) -> Result<State, DecodeError> {
        if w.v > VERSION {
            return Err(DecodeError::Future(w.v));
        }
        if w.v != VERSION {
            return Err(DecodeError::Corrupt(format!(
                "unknown state version {}",
                w.v
            )));
        }
        let short = [
            ("example", w.example.as_deref()),
            ("autoscaler", w.autoscaler.as_deref()),
            ("aibrix", w.aibrix.as_deref()),
            ("samples_are", w.samples_are.as_deref()),
            (
                "pattern.shape",
                w.pattern.as_ref().map(|p| p.shape.as_str()),
            ),
            ("from", w.from.as_deref()),
            ("to", w.to.as_deref()),
        ];
        for (name, value) in short {
            let n = value.map_or(0, |v| v.chars().count());
            if n > FIELD_CAP {
                return Err(DecodeError::Corrupt(format!(
                    "field `{name}` is {n} characters long, at most {FIELD_CAP} in a playground state"
                )));
            }
        }
        let ex =
            match w.example.as_deref() {
                Some(id) => Some(examples::find(id).ok_or_else(|| {
                    DecodeError::Corrupt(format!("unknown example `{}`", echo(id)))
                })?),
                None => None,
            };
        let (ex_yaml, ex_samples) = ex.map_or(("", ""), |e| (e.yaml, e.samples));
        Ok(State {
            example: w.example,
            yaml: w.yaml.unwrap_or_else(|| ex_yaml.to_string()),
            samples: w.samples.unwrap_or_else(|| ex_samples.to_string()),
            pattern: w.pattern,
            autoscaler: w.autoscaler,
            aibrix: w.aibrix,
            initial_replicas: w.initial_replicas,
            pod_startup_s: w.pod_startup_s,
            horizon_s: w.horizon_s,
            samples_are: w.samples_are,
            window_from: w.from,
            window_to: w.to,
        })
    }

    /// The state as JSON with defaults left out.
    pub fn to_json(&self) -> String {
        // Serializing plain strings and numbers cannot fail.
        serde_json::to_string(&self.to_wire()).unwrap_or_default()
    }

    /// Read [`State::to_json`]'s output.
    pub fn from_json(json: &str) -> Result<State, DecodeError> {
        // Look at the version first, so a newer record with new fields says "newer". The other
        // fields are skipped unbuilt (serde ignores unknown fields without allocating): no
        // tree of arbitrary items; serde_json stops nesting at 128 levels.
        #[derive(Deserialize)]
        struct Version {
            #[serde(default)]
            v: Option<serde_json::Value>,
        }
        let v = serde_json::from_str::<Version>(json)
            .map_err(|e| DecodeError::Corrupt(format!("not JSON: {}", echo(&e.to_string()))))?
            .v
            .as_ref()
            .and_then(serde_json::Value::as_u64);
        match v {
            None => return Err(DecodeError::Corrupt("no state version".into())),
            Some(v) if v > u64::from(VERSION) => {
                return Err(DecodeError::Future(u32::try_from(v).unwrap_or(u32::MAX)))
            }
            Some(_) => {}
        }
        let w: Wire = serde_json::from_str(json).map_err(|e| {
            DecodeError::Corrupt(format!("unexpected content: {}", echo(&e.to_string())))
        })?;
        State::from_wire(w)
    }

    /// The URL fragment (without `#`): `v1:<lz-string>`.
    pub fn to_fragment(&self) -> String {
        Self::fragment_of_json(&self.to_json())
    }

    /// The fragment for [`State::to_json`]'s output.
    pub fn fragment_of_json(json: &str) -> String {
        format!(
            "v{VERSION}:{}",
            lz_str::compress_to_encoded_uri_component(json)
        )
    }

    /// Read a URL fragment (with or without the leading `#`): `v1:<payload>`, or
    /// `example=<id>` for an unedited gallery example. `Ok(None)` when there is none.
    pub fn from_fragment(fragment: &str) -> Result<Option<State>, DecodeError> {
        let f = fragment.strip_prefix('#').unwrap_or(fragment);
        if f.is_empty() {
            return Ok(None);
        }
        // `#example=<id>`: a gallery example, for docs pages that link one without encoding.
        if let Some(id) = f.strip_prefix("example=") {
            return examples::find(id)
                .map(|e| Some(e.state()))
                .ok_or_else(|| DecodeError::Corrupt(format!("unknown example `{}`", echo(id))));
        }
        let Some((version, payload)) = f.split_once(':') else {
            return Err(DecodeError::Corrupt("no `v1:` prefix".into()));
        };
        let v: u32 = version
            .strip_prefix('v')
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| DecodeError::Corrupt(format!("bad version `{}`", echo(version))))?;
        if v > VERSION {
            return Err(DecodeError::Future(v));
        }
        if v != VERSION {
            return Err(DecodeError::Corrupt(format!("unknown version v{v}")));
        }
        if payload.len() > PAYLOAD_CAP {
            return Err(DecodeError::TooLarge(format!(
                "{} KB of data, over the {} KB a playground link holds",
                payload.len() / 1000,
                PAYLOAD_CAP / 1000
            )));
        }
        let wide = lz::decompress_uri(payload, LINK_CAP).map_err(|e| match e {
            LzError::TooLong { .. } => DecodeError::TooLarge(e.to_string()),
            e => DecodeError::Corrupt(e.to_string()),
        })?;
        if wide.is_empty() {
            return Err(DecodeError::Corrupt("the link holds no state".into()));
        }
        let json = String::from_utf16(&wide)
            .map_err(|_| DecodeError::Corrupt("the compressed data is not text".into()))?;
        State::from_json(&json).map(Some)
    }

    /// Where a page load starts, from the URL fragment, the localStorage record and this tab's
    /// save mark (sessionStorage), and the message for a link that cannot be read.
    ///
    /// A readable link wins over the stored record, except when this tab saved the record
    /// after that very link was in its address bar (the mark says so, [`Fragments`]): then the
    /// record is the link plus what was typed after it (the fragment is only rewritten 400 ms
    /// after the last change, so a reload while typing finds it older than the record; and a
    /// reload that waits for a slow server takes the URL of when it started, while the page
    /// goes on saving and rewriting the fragment until the new page answers). Another tab opening
    /// the same link has no mark and gets the link; a record since overwritten by another tab
    /// no longer matches the mark and the link wins. Without a link: the record, else the seed
    /// example. With a link that cannot be read: the record, else empty editors (not the seed
    /// example, which could pass for the link's content), and the problem to show.
    pub fn start(
        fragment: &str,
        stored: Option<&str>,
        mark: Option<&str>,
    ) -> (State, Option<LinkProblem>) {
        // A record over the cap was not written by this playground: not read.
        let stored = stored.filter(|j| j.len() <= STORAGE_CAP);
        let stored_state = || stored.and_then(|j| State::from_json(j).ok());
        match State::from_fragment(fragment) {
            Ok(Some(linked)) => {
                let typed_after = match (stored, mark) {
                    (Some(record), Some(mark)) => Fragments::mark_covers(mark, fragment, record),
                    _ => false,
                };
                let newer = if typed_after { stored_state() } else { None };
                (newer.unwrap_or(linked), None)
            }
            Ok(None) => (stored_state().unwrap_or_else(State::initial), None),
            Err(error) => match stored_state() {
                Some(s) => (s, Some(LinkProblem { error, kept: true })),
                None => (State::default(), Some(LinkProblem { error, kept: false })),
            },
        }
    }

    /// The localStorage record, or why it is not saved (over [`STORAGE_CAP`]).
    pub fn to_storage(&self) -> Result<String, String> {
        let floor = self.json_len_floor();
        let json = if floor > STORAGE_CAP {
            None
        } else {
            Some(self.to_json())
        };
        match json {
            Some(json) if json.len() <= STORAGE_CAP => Ok(json),
            other => Err(format!(
                "Not saved in local storage: the state is {} KB, over its {} KB limit.",
                other.map_or(floor, |j| j.len()) / 1000,
                STORAGE_CAP / 1000
            )),
        }
    }

    /// The share fragment, unless the state's JSON is over [`LINK_CAP`].
    pub fn to_link_fragment(&self) -> Option<String> {
        if self.json_len_floor() > LINK_CAP {
            return None;
        }
        let json = self.to_json();
        (json.len() <= LINK_CAP).then(|| State::fragment_of_json(&json))
    }

    /// A lower bound of [`State::to_json`]'s length without building it: the edited texts it
    /// carries (escaping only adds). Lets a multi-megabyte paste skip serializing for a link or
    /// a record it can never fit in.
    pub fn json_len_floor(&self) -> usize {
        let ex = self.example.as_deref().and_then(examples::find);
        let (ex_yaml, ex_samples) = ex.map_or(("", ""), |e| (e.yaml, e.samples));
        let yaml = if self.yaml == ex_yaml {
            0
        } else {
            self.yaml.len()
        };
        let samples = if self.samples == ex_samples {
            0
        } else {
            self.samples.len()
        };
        yaml + samples
    }

    /// Why this state is not run: the YAML is over [`YAML_CAP`], or the samples (while they
    /// are the demand, not with a generated pattern) over [`SAMPLES_CAP`].
    pub fn too_large(&self) -> Option<String> {
        let samples_used = self.pattern.is_none();
        let (input, len) = [
            (InputText::Yaml, self.yaml.len()),
            (
                InputText::Samples,
                if samples_used { self.samples.len() } else { 0 },
            ),
        ]
        .into_iter()
        .find(|(input, len)| *len > cap_of(*input))?;
        let (what, cap) = (name_of(input), cap_of(input) / 1_000_000);
        // Over the cap is over the storage cap too: a reload cannot bring it back.
        Some(format!(
            "Not run: the {what} is {:.1} MB, over the playground's {cap} MB limit for the {what} (the page would stop responding). It stays in the editor, but is too large to be saved in this browser: a reload loses it. Shorten it, or check it with the command line: `scalelens check` reads files up to 20 MB.",
            len as f64 / 1e6,
        ))
    }

    /// Why a paste that would make `input`'s text `len` bytes long is refused (over its cap):
    /// the editor keeps its text, the pasted text stays on the clipboard.
    pub fn paste_refused(input: InputText, len: usize) -> Option<String> {
        let (what, cap) = (name_of(input), cap_of(input));
        (len > cap).then(|| {
            format!(
                "Not pasted: the {what} would be {:.1} MB, over the playground's {} MB limit for the {what} (the page would stop responding). The editor keeps its text; the pasted text is still on your clipboard: check it with the command line (`scalelens check` reads files up to 20 MB).",
                len as f64 / 1e6,
                cap / 1_000_000
            )
        })
    }

    /// The replay window the two fields ask for, or the fields that are not a time (each
    /// with its reason; an empty field is no bound).
    pub fn window(&self) -> Result<ReplayWindow, Vec<WindowFieldError>> {
        let read = |field, text: &Option<String>| match text.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(t) => WindowBound::parse(t)
                .map(Some)
                .map_err(|error| WindowFieldError { field, error }),
        };
        match (
            read(WindowField::From, &self.window_from),
            read(WindowField::To, &self.window_to),
        ) {
            (Ok(from), Ok(to)) => Ok(ReplayWindow { from, to }),
            (from, to) => Err([from.err(), to.err()].into_iter().flatten().collect()),
        }
    }

    /// The pipeline input for this state (borrowing the texts). With a window field that is not
    /// a time ([`State::window`]) nothing is replayed (`replay: false`): replaying another
    /// window than the one asked for would show a chart the user did not ask for (and the
    /// whole of a long recording may be over the replay cap); the other checks still run.
    pub fn pipeline_input(&self) -> PipelineInput<'_> {
        let window = self.window();
        let demand = match self.pattern.as_ref().and_then(PatternState::pattern) {
            Some(p) => DemandInput::Pattern(p),
            None => DemandInput::Samples(&self.samples),
        };
        PipelineInput {
            yaml: &self.yaml,
            demand,
            options: PipelineOptions {
                autoscaler: self.autoscaler.clone(),
                aibrix_version: self
                    .aibrix
                    .as_deref()
                    .and_then(AibrixVersion::parse)
                    .unwrap_or_default(),
                kserve_mode: None,
                initial_replicas: self.initial_replicas,
                pod_startup: self.pod_startup_s.map(|s| s.saturating_mul(SECOND)),
                horizon: self.horizon_s.map(|s| s.saturating_mul(SECOND)),
                samples_are: match self.samples_are.as_deref() {
                    Some("per-pod") => Interpretation::PerPod,
                    Some("average") => Interpretation::Average,
                    Some("total") => Interpretation::Total,
                    _ => Interpretation::Auto,
                },
                replay: window.is_ok(),
                window: window.unwrap_or_default(),
                max_evaluations: None,
                // Not a playground setting yet: the replayed release's defaults.
                feature_gates: Default::default(),
                // No PromQL parser in the playground: nothing measures ranges against it.
                scrape_interval: Default::default(),
                // Not a playground setting yet: no outage.
                metric_outage: None,
            },
        }
    }
}

/// [`digest`] as 16 hex digits: the fingerprint of a text shown as a preview (tests compare
/// it with the text they pasted).
pub fn digest_hex(text: &str) -> String {
    format!("{:016x}", digest(text))
}

/// The URL fragments a page has had since it loaded (their digests, oldest first, the last
/// [`MARK_FRAGMENTS`]), for the save mark: a record saved by this page continues every one of
/// them. A reload takes the URL of when it started, which the page may have rewritten since
/// (a save during a slow reload), so the mark names them all, not only the current one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fragments(Vec<u64>);

impl Fragments {
    /// `fragment` (with or without `#`) is, or was just now, in the address bar.
    pub fn note(&mut self, fragment: &str) {
        let d = fragment_digest(fragment);
        if self.0.last() == Some(&d) {
            return;
        }
        self.0.retain(|x| *x != d);
        self.0.push(d);
        let over = self.0.len().saturating_sub(MARK_FRAGMENTS);
        self.0.drain(..over);
    }

    /// The mark a tab keeps in sessionStorage after saving `record` to localStorage: digests
    /// of the record and of the page's fragments, so [`State::start`] can tell that the record
    /// continues the link a reload finds and is this tab's own.
    pub fn mark(&self, record: &str) -> String {
        let mut mark = format!("{:016x}", digest(record));
        for d in &self.0 {
            mark.push_str(&format!(":{d:016x}"));
        }
        mark
    }

    /// Whether `mark` was made for `record` by a page that had `fragment` in its address bar.
    pub fn mark_covers(mark: &str, fragment: &str, record: &str) -> bool {
        let mut parts = mark.split(':');
        let wanted = format!("{:016x}", fragment_digest(fragment));
        parts.next() == Some(format!("{:016x}", digest(record)).as_str())
            && parts.any(|p| p == wanted)
    }
}

/// [`digest`] of a fragment without its `#`.
fn fragment_digest(fragment: &str) -> u64 {
    digest(fragment.strip_prefix('#').unwrap_or(fragment))
}

/// FNV-1a (64 bits) of `text`: a cheap fingerprint (about 1 ms per MB in the browser), not a
/// security measure.
fn digest(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edited() -> State {
        let mut s = State::initial();
        s.yaml = s.yaml.replace("\"0.5\"", "\"50\"");
        s.initial_replicas = Some(3);
        s.pod_startup_s = Some(45);
        s.horizon_s = Some(7200);
        s.aibrix = Some("v0.4".into());
        s.samples_are = Some("total".into());
        s.autoscaler = Some("deepseek-llm-7b-chat-kpa".into());
        s.window_from = Some("2025-11-28T08:00:00+01:00".into());
        s.window_to = Some("not a time yet".into());
        s
    }

    #[test]
    fn fragment_round_trips_exactly() {
        for s in [
            State::initial(),
            edited(),
            State::default(),
            State {
                yaml: "a: <img src=x onerror=alert(1)> \u{1F600} é".into(),
                samples: "time,value\n0,1\n".into(),
                pattern: Some(PatternState::around("diurnal", Some(0.5))),
                ..State::default()
            },
        ] {
            let f = s.to_fragment();
            assert!(f.starts_with("v1:"), "{f}");
            assert_eq!(State::from_fragment(&f), Ok(Some(s.clone())));
            assert_eq!(State::from_fragment(&format!("#{f}")), Ok(Some(s.clone())));
            assert_eq!(State::from_json(&s.to_json()), Ok(s));
        }
    }

    #[test]
    fn defaults_and_unedited_example_texts_are_left_out() {
        assert_eq!(State::initial().to_json(), r#"{"v":1,"example":"seed"}"#);
        assert_eq!(State::default().to_json(), r#"{"v":1}"#);
        let f = State::initial().to_fragment();
        assert!(f.len() < 60, "{f}");
        // The edited YAML is in, the unchanged samples are not.
        let j = edited().to_json();
        assert!(j.contains("\"yaml\""));
        assert!(!j.contains("\"samples\""));
    }

    #[test]
    fn fragment_is_lz_string_compatible() {
        // `LZString.compressToEncodedURIComponent('{"v":1}')` in lz-string 1.5.0.
        let f = State::default().to_fragment();
        let payload = f.strip_prefix("v1:").unwrap_or_default();
        let back = lz_str::decompress_from_encoded_uri_component(payload).unwrap_or_default();
        assert_eq!(String::from_utf16_lossy(&back), r#"{"v":1}"#);
        assert!(payload
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-$".contains(c)));
    }

    #[test]
    fn corrupt_and_future_links_are_errors_with_messages() {
        assert_eq!(State::from_fragment(""), Ok(None));
        assert_eq!(
            State::from_fragment("#example=knative-panic").map(|s| s.and_then(|s| s.example)),
            Ok(Some("knative-panic".to_string()))
        );
        assert!(matches!(
            State::from_fragment("#example=nope"),
            Err(DecodeError::Corrupt(_))
        ));
        assert_eq!(State::from_fragment("#"), Ok(None));
        let good = edited().to_fragment();
        let truncated = &good[..good.len() / 2];
        for bad in [
            "garbage",
            "v1:",
            "v1:%%%%",
            truncated,
            "vX:abc",
            "v0:abc",
            &format!(
                "v1:{}",
                lz_str::compress_to_encoded_uri_component("not json")
            ),
            &format!(
                "v1:{}",
                lz_str::compress_to_encoded_uri_component(r#"{"v":1,"example":"nope"}"#)
            ),
            &format!(
                "v1:{}",
                lz_str::compress_to_encoded_uri_component(r#"{"v":1,"yaml":3}"#)
            ),
        ] {
            let e = State::from_fragment(bad).expect_err(bad);
            assert!(matches!(e, DecodeError::Corrupt(_)), "{bad}: {e:?}");
            assert_eq!(e.kind(), "link-corrupt");
            assert!(e.to_string().contains("damaged"));
        }
        let e = State::from_fragment("v2:whatever").expect_err("future");
        assert_eq!(e, DecodeError::Future(2));
        assert_eq!(e.kind(), "link-future");
        assert!(e.to_string().contains("newer version"));
        // A v1 prefix around a newer record is still "newer".
        let newer = format!(
            "v1:{}",
            lz_str::compress_to_encoded_uri_component(r#"{"v":7,"shiny":true}"#)
        );
        assert_eq!(State::from_fragment(&newer), Err(DecodeError::Future(7)));
    }

    /// Hostile links: each is refused quickly with its kind and a message naming what was
    /// wrong, and never quotes more than [`ECHO_CHARS`] of the link back.
    #[test]
    fn hostile_links_are_refused_quickly_with_a_message() {
        let v1 = |json: &str| format!("v1:{}", lz_str::compress_to_encoded_uri_component(json));
        let deep = format!(
            "{{\"v\":1,\"yaml\":{}1{}}}",
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        let many = format!("{{\"v\":1,\"junk\":[{}1]}}", "1,".repeat(100_000));
        let long_field = |f: &str| format!("{{\"v\":1,\"{f}\":\"{}\"}}", "a".repeat(FIELD_CAP + 1));
        let cases: Vec<(&str, String, &str, &str)> = vec![
            ("bomb", format!("v1:{}", crate::lz::bomb(60_000)), "link-too-large", "expands beyond 256 KB"),
            ("10 MB payload", format!("v1:{}", "A".repeat(10_000_000)), "link-too-large", "10000 KB of data, over the 512 KB"),
            ("garbage", "v1:<script>alert(1)</script>".into(), "link-corrupt", "not part of a link"),
            ("binary", "v1:\u{0}\u{1}\u{FFFF}".into(), "link-corrupt", "not part of a link"),
            ("deep JSON", v1(&deep), "link-corrupt", "invalid type: sequence"),
            ("many items", v1(&many), "link-corrupt", "unknown field `junk`"),
            ("long autoscaler", v1(&long_field("autoscaler")), "link-corrupt", "field `autoscaler` is 254 characters long, at most 253"),
            ("long example", v1(&long_field("example")), "link-corrupt", "field `example` is 254"),
            ("long from", v1(&long_field("from")), "link-corrupt", "field `from` is 254"),
            ("long to", v1(&long_field("to")), "link-corrupt", "field `to` is 254"),
            ("long shape", v1(&format!("{{\"v\":1,\"pattern\":{{\"shape\":\"{}\",\"base\":1,\"peak\":2,\"duration_s\":60,\"step_s\":1}}}}", "s".repeat(300))), "link-corrupt", "field `pattern.shape` is 300"),
            ("long example id", format!("example={}", "x".repeat(1_000_000)), "link-corrupt", "unknown example `xxxxx"),
            ("long version", format!("v{}:abc", "9".repeat(1_000_000)), "link-corrupt", "bad version `v9999"),
            ("empty state", "v1:Q".into(), "link-corrupt", "holds no state"),
        ];
        for (label, link, kind, says) in cases {
            let t = std::time::Instant::now();
            let e = State::from_fragment(&link).expect_err(label);
            let took = t.elapsed();
            assert_eq!(e.kind(), kind, "{label}: {e}");
            let msg = e.to_string();
            assert!(msg.contains(says), "{label}: {msg}");
            assert!(
                msg.chars().count() < 300,
                "{label}: {} characters",
                msg.chars().count()
            );
            // Generous (a debug build on a loaded machine): catches a hang or a quadratic blow-up.
            assert!(took.as_secs() < 5, "{label}: {took:?}");
        }
    }

    /// Every state whose JSON fits [`LINK_CAP`] gets a link under [`PAYLOAD_CAP`] that reads
    /// back, even text lz-string cannot compress: every UTF-16 unit once, then random text.
    #[test]
    fn the_largest_links_fit_the_payload_cap_and_read_back() {
        let every_unit: String = (0x20u32..=0xFFFF)
            .filter_map(char::from_u32)
            .filter(|c| *c != '"' && *c != '\\')
            .collect();
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut state = State {
            yaml: every_unit,
            ..State::default()
        };
        // Random printable ASCII without `"` and `\` (one JSON byte each).
        let room = LINK_CAP - state.to_json().len() - r#","samples":"""#.len();
        state.samples = std::iter::repeat_with(|| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char::from(b' ' + (x % 95) as u8)
        })
        .filter(|c| *c != '"' && *c != '\\')
        .take(room)
        .collect();
        assert_eq!(state.to_json().len(), LINK_CAP);
        let f = state.to_link_fragment().expect("fits a link");
        let payload = f.len() - 3;
        assert!(payload <= PAYLOAD_CAP, "{payload} > {PAYLOAD_CAP}");
        println!(
            "worst-case link: {} bytes of JSON, {payload} characters",
            state.to_json().len()
        );
        assert_eq!(State::from_fragment(&f), Ok(Some(state.clone())));
        // One more byte and there is no link.
        state.samples.push('x');
        assert_eq!(state.to_link_fragment(), None);
    }

    #[test]
    fn texts_over_their_cap_are_not_run_and_the_message_names_the_limit() {
        let mut s = State::initial();
        assert_eq!(s.too_large(), None);
        s.yaml = "#".repeat(YAML_CAP);
        assert_eq!(s.too_large(), None, "the cap itself runs");
        s.yaml.push('#');
        let m = s.too_large().expect("over the cap");
        assert!(
            m.contains("the YAML is 1.0 MB, over the playground's 1 MB limit for the YAML"),
            "{m}"
        );
        assert!(
            m.contains("stays in the editor")
                && m.contains("a reload loses it")
                && m.contains("scalelens check"),
            "{m}"
        );
        s.yaml = String::new();
        s.samples = "1".repeat(SAMPLES_CAP + 1);
        let m = s.too_large().expect("over the cap");
        assert!(
            m.contains("samples is 5.0 MB, over the playground's 5 MB limit"),
            "{m}"
        );
        // The samples are not read with a generated pattern.
        s.pattern = Some(PatternState::around("step", None));
        assert_eq!(s.too_large(), None);
        // Pastes: refused over the cap, with the size the text would have.
        assert_eq!(State::paste_refused(InputText::Yaml, YAML_CAP), None);
        let m = State::paste_refused(InputText::Samples, 25_000_000).expect("refused");
        assert!(
            m.contains(
                "Not pasted: the samples would be 25.0 MB, over the playground's 5 MB limit"
            ) && m.contains("still on your clipboard"),
            "{m}"
        );
    }

    #[test]
    fn storage_has_a_cap_with_a_message() {
        assert!(State::initial().to_storage().is_ok());
        let big = State {
            samples: "x".repeat(STORAGE_CAP + 1),
            ..State::default()
        };
        let msg = big.to_storage().expect_err("over the cap");
        assert!(msg.contains("Not saved in local storage"), "{msg}");
        assert_eq!(
            State::from_json(&State::initial().to_storage().unwrap_or_default()),
            Ok(State::initial())
        );
    }

    /// A mark made by a page that had these fragments in its address bar.
    fn mark_of(fragments: &[&str], record: &str) -> String {
        let mut seen = Fragments::default();
        for f in fragments {
            seen.note(f);
        }
        seen.mark(record)
    }

    #[test]
    fn a_reload_while_typing_keeps_the_typed_state_and_other_links_win() {
        let linked = edited();
        let fragment = format!("#{}", linked.to_fragment());
        let mut typed = linked.clone();
        typed.yaml.push_str("# typed after the link was written\n");
        let record = typed.to_json();
        let mark = mark_of(&[&fragment], &record);
        assert_eq!(
            mark,
            mark_of(&[&fragment[1..]], &record),
            "with or without `#`"
        );
        let other_tab = State::initial().to_json();
        let other_link = format!("#{}", State::initial().to_fragment());
        let typed_link = format!("#{}", typed.to_fragment());

        // (record, mark, whether the record wins over `fragment`)
        let cases: [(Option<&str>, Option<String>, bool); 9] = [
            // This tab saved `typed` while `fragment` was in the address bar: the record.
            (Some(&record), Some(mark.clone()), true),
            // ... or after it, once the save rewrote the link (a reload that started before
            // the rewrite, waiting for a slow server, finds the older link): the record.
            (
                Some(&record),
                Some(mark_of(&[&fragment, &typed_link], &record)),
                true,
            ),
            (
                Some(&record),
                Some(mark_of(&[&other_link, &fragment, &typed_link], &record)),
                true,
            ),
            // Another tab (no mark), a mark made by a page that never had this link, a record
            // since rewritten by another tab, no record: the link.
            (Some(&record), None, false),
            (Some(&record), Some(mark_of(&[&other_link], &record)), false),
            (
                Some(&record),
                Some(mark_of(&[&other_link, &typed_link], &record)),
                false,
            ),
            (Some(&other_tab), Some(mark.clone()), false),
            (None, Some(mark.clone()), false),
            // An unreadable stored record never replaces a readable link, even with a mark.
            (
                Some("{not json"),
                Some(mark_of(&[&fragment], "{not json")),
                false,
            ),
        ];
        for (stored, mark, record_wins) in cases {
            let want = if record_wins {
                typed.clone()
            } else {
                linked.clone()
            };
            assert_eq!(
                State::start(&fragment, stored, mark.as_deref()),
                (want, None),
                "{mark:?}"
            );
        }
        // Only the last MARK_FRAGMENTS fragments are named; a fragment noted again is newest.
        let mut seen = Fragments::default();
        seen.note(&fragment);
        for i in 0..MARK_FRAGMENTS {
            seen.note(&format!("#v1:{i}"));
        }
        assert!(!Fragments::mark_covers(
            &seen.mark(&record),
            &fragment,
            &record
        ));
        seen.note(&fragment);
        assert!(Fragments::mark_covers(
            &seen.mark(&record),
            &fragment,
            &record
        ));
        assert!(Fragments::mark_covers(
            &seen.mark(&record),
            "#v1:1",
            &record
        ));
        assert!(!Fragments::mark_covers(
            &seen.mark(&record),
            "#v1:0",
            &record
        ));
        // No link: the record, else the seed; a bad link: the same, with its message.
        assert_eq!(State::start("", Some(&record), None), (typed.clone(), None));
        assert_eq!(State::start("", None, None), (State::initial(), None));
        let (s, e) = State::start("#v1:garbage", Some(&record), Some(&mark));
        assert_eq!(s, typed);
        let e = e.expect("a problem");
        assert!(
            matches!(e.error, DecodeError::Corrupt(_)) && e.kept,
            "{e:?}"
        );
        assert!(e.to_string().contains("last saved state"), "{e}");
        // A bad link and nothing stored: empty editors (not the seed example, which would pass
        // for the link's content).
        let (s, e) = State::start("#v9:x", None, None);
        let e = e.expect("a problem");
        assert_eq!(
            (s, &e.error, e.kept),
            (State::default(), &DecodeError::Future(9), false)
        );
        assert_eq!(e.kind(), "link-future");
        assert!(e.to_string().contains("editors are empty"), "{e}");
        // An unreadable or oversized record counts as nothing stored.
        for record in [
            "{not json".to_string(),
            format!("{{\"v\":1,\"yaml\":\"{}\"}}", "x".repeat(STORAGE_CAP)),
        ] {
            let (s, e) = State::start("#v1:garbage", Some(&record), None);
            assert_eq!((s, e.map(|e| e.kept)), (State::default(), Some(false)));
        }
    }

    #[test]
    fn pipeline_input_maps_every_setting() {
        let s = edited();
        let i = s.pipeline_input();
        assert_eq!(i.options.initial_replicas, Some(3));
        assert_eq!(i.options.pod_startup, Some(45_000));
        assert_eq!(i.options.horizon, Some(7_200_000));
        assert_eq!(i.options.aibrix_version, AibrixVersion::V0_4);
        assert_eq!(i.options.samples_are, Interpretation::Total);
        assert!(matches!(i.demand, DemandInput::Samples(_)));
        let p = State {
            pattern: Some(PatternState::around("ramp", Some(0.5))),
            ..State::default()
        };
        assert!(matches!(p.pipeline_input().demand, DemandInput::Pattern(_)));
    }

    /// The from/to fields: empty is no bound, a time is a bound, anything else stops the replay
    /// and names the field (both when both are wrong).
    #[test]
    fn window_fields_reach_the_pipeline_or_stop_the_replay() {
        use scalelens_core::pipeline::BoundError;
        let with = |from: Option<&str>, to: Option<&str>| State {
            window_from: from.map(str::to_string),
            window_to: to.map(str::to_string),
            ..State::initial()
        };
        let bound = |ms| Some(WindowBound::InputTime(ms));
        let ok: &[(Option<&str>, Option<&str>, ReplayWindow)] = &[
            (None, None, ReplayWindow::default()),
            (Some(""), Some("  "), ReplayWindow::default()),
            (
                Some(" 60 "),
                None,
                ReplayWindow {
                    from: bound(60_000),
                    to: None,
                },
            ),
            (
                Some("1.5"),
                Some("2025-11-28T08:00:00Z"),
                ReplayWindow {
                    from: bound(1_500),
                    to: Some(WindowBound::Unix(1_764_316_800_000)),
                },
            ),
        ];
        for (from, to, want) in ok {
            let s = with(*from, *to);
            assert_eq!(s.window(), Ok(*want), "{from:?} {to:?}");
            let i = s.pipeline_input();
            assert!(i.options.replay);
            assert_eq!(i.options.window, *want);
        }
        let not_a_time = |t: &str| BoundError::NotATime { text: t.into() };
        /// (from, to, the fields that are wrong and why)
        type Bad<'a> = (
            Option<&'a str>,
            Option<&'a str>,
            Vec<(WindowField, BoundError)>,
        );
        let bad: &[Bad] = &[
            (
                Some("noon"),
                None,
                vec![(WindowField::From, not_a_time("noon"))],
            ),
            (
                Some("60"),
                Some("1e20"),
                vec![(
                    WindowField::To,
                    BoundError::OutOfRange {
                        text: "1e20".into(),
                    },
                )],
            ),
            (
                Some("2025-11-28T08:00"),
                Some("x"),
                vec![
                    (WindowField::From, not_a_time("2025-11-28T08:00")),
                    (WindowField::To, not_a_time("x")),
                ],
            ),
        ];
        for (from, to, want) in bad {
            let s = with(*from, *to);
            let errors = s.window().expect_err("not a time");
            let got: Vec<(WindowField, BoundError)> =
                errors.iter().map(|e| (e.field, e.error.clone())).collect();
            assert_eq!(&got, want, "{from:?} {to:?}");
            let i = s.pipeline_input();
            assert!(!i.options.replay, "{from:?} {to:?}: not replayed");
            assert_eq!(i.options.window, ReplayWindow::default());
        }
        let msg = with(Some("noon"), None).window().expect_err("bad")[0].to_string();
        assert_eq!(
            msg,
            "Not replayed: the replay window's \"from\" field is wrong: \"noon\" is not a time: give RFC 3339 (2025-11-28T08:00:00Z) or seconds (3600). Correct it, or empty it to replay from the start of the data."
        );
    }

    /// Links and records written before the from/to fields existed still open (without a
    /// window); the fields travel in both when set, as typed, even when not a time.
    #[test]
    fn window_fields_are_saved_and_old_states_still_open() {
        // `{"v":1,"example":"seed","horizon_s":7200}`, as a playground without the fields wrote it.
        let old = format!(
            "v1:{}",
            lz_str::compress_to_encoded_uri_component(
                r#"{"v":1,"example":"seed","horizon_s":7200}"#
            )
        );
        let s = State::from_fragment(&old)
            .expect("an old link opens")
            .expect("a state");
        assert_eq!(
            (s.window_from.as_deref(), s.window_to.as_deref()),
            (None, None)
        );
        assert_eq!(s.horizon_s, Some(7200));
        assert_eq!(
            State::from_json(r#"{"v":1,"example":"seed"}"#).map(|s| s.window_from),
            Ok(None)
        );
        let typed = State {
            window_from: Some("2025-11-28T08:00:00Z".into()),
            window_to: Some("tomorrow".into()),
            ..State::initial()
        };
        let json = typed.to_json();
        assert_eq!(
            json,
            r#"{"v":1,"example":"seed","from":"2025-11-28T08:00:00Z","to":"tomorrow"}"#
        );
        assert_eq!(State::from_json(&json), Ok(typed.clone()));
        let f = typed.to_link_fragment().expect("a link");
        assert_eq!(State::from_fragment(&f), Ok(Some(typed)));
    }
}
