//! The whole check-and-replay in one call, for front ends: YAML text and a demand (samples text
//! in any format [`crate::samples`] detects, or a generated [`Pattern`]) in; every diagnostic,
//! the selected autoscaler's summary, the import report and the simulated timeline out.
//!
//! The playground calls [`run`] on every (debounced) edit; the CLI's `check`, `simulate` and
//! `explain` call it once. Nothing here renders: front ends turn [`PipelineOutput`] into text or
//! DOM, each showing the findings of the [`Step`]s it is about.
//!
//! Steps, in order:
//! 1. parse the YAML ([`config::parse_with`], AIBrix generation from the options);
//! 2. select the autoscaler (by name, else the first) and keep only the diagnostics about it;
//! 3. import the samples for its first metric (a file that names the metric differently is
//!    taken as it is), turn them into demand ([`samples::to_demand`]) and check them
//!    ([`analysis::check_samples`]); or generate the pattern, or take the given series;
//! 4. cut the demand to the replay window ([`ReplayWindow`], `--from`/`--to`), simulate
//!    ([`sim::try_simulate`]) and check the timeline ([`analysis::check_timeline`]).
//!
//! The replay (step 4) is not run, and [`PipelineOutput::not_replayed`] says why, when:
//! - the selected autoscaler's configuration has errors that make a replay meaningless
//!   ([`blocks_replay`]: `min-above-max`, a value the API server rejects, …): the errors are the
//!   answer, a timeline would only distract from them;
//! - the window is invalid (a `replay-window` error naming the data's range);
//! - the replay would run more than [`sim::MAX_EVALUATIONS`] evaluations (a `replay-too-long`
//!   error whose help suggests a window in the input's own times).
//!
//! The other steps' diagnostics are reported either way. A front end can also ask for no replay
//! ([`PipelineOptions::replay`]); window bounds as users type them are read by
//! [`WindowBound::parse`] (the CLI's `--from`/`--to`, the playground's fields).
//!
//! Each diagnostic comes out as a [`Finding`]: tagged with the text it points into
//! ([`InputText`]) and the [`Step`] that reported it. When the samples are on a percent scale
//! for a 0–1 metric, step 3 applies [`sim::samples_scale`] before the replay. [`run_cached`]
//! keeps the parsed samples in a caller-owned [`SamplesCache`] (the playground edits the YAML of
//! a long recording without parsing it again). Also for front ends: [`apply_edits`] (a
//! diagnostic's fix, by character offset) and [`timeline_csv`].
//!
//! **Invariant:** pure, deterministic, never panics; every problem is a diagnostic.

use crate::codes::Code;
use std::fmt::Write as _;

use crate::analysis;
use crate::config::{self, ParseOptions};
use crate::demand::pattern::Pattern;
use crate::demand::DemandSeries;
use crate::diagnostic::{self, Diagnostic, Edit, Severity};
use crate::metrics;
use crate::model::{AibrixVersion, Autoscaler, Family, LabelMatcher, Metric, Millis, TargetType};
use crate::samples::{self, Format, Hints, Interpretation, SampleError, TimeBase};
use crate::sim::{self, SimOptions, SimOutput};
use crate::span::{LineIndex, Pos, Span};

/// One end of a replay window ([`ReplayWindow`]), in the input's own times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowBound {
    /// Milliseconds as the input writes its times: seconds from the start for inputs with
    /// relative times (a demand CSV in seconds, CSV samples, a generated pattern), Unix time for
    /// inputs with absolute times (RFC 3339 rows, Prometheus and Grafana timestamps). `--from
    /// 3600` is `InputTime(3_600_000)`.
    InputTime(i64),
    /// A Unix time in milliseconds (an RFC 3339 bound): only for inputs with absolute times.
    Unix(i64),
}

/// Largest window bound in seconds, either sign: 10^13 s (about 317 000 years) keeps every
/// time in `i64` milliseconds with room to spare (`i64::MAX` ms is about 9.2·10^15 s); real
/// inputs are Unix times (about 1.7·10^9 s) or offsets from a start.
pub const MAX_BOUND_SECONDS: f64 = 1e13;

/// Why a text is not a window bound ([`WindowBound::parse`]). The text is quoted back through
/// [`crate::text::quote`] (escaped, cut at 80 characters).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BoundError {
    /// Neither RFC 3339 nor a number of seconds (also: an empty text).
    #[error("\"{text}\" is not a time: give RFC 3339 (2025-11-28T08:00:00Z) or seconds (3600)")]
    NotATime {
        /// The text, quoted.
        text: String,
    },
    /// A number of seconds beyond [`MAX_BOUND_SECONDS`] either way, or not finite.
    #[error("\"{text}\" is out of range: seconds must be within ±1e13")]
    OutOfRange {
        /// The text, quoted.
        text: String,
    },
}

impl WindowBound {
    /// Read a bound as a user writes it (`--from`/`--to`, the playground's fields): RFC 3339
    /// with `Z` or an offset (`2025-11-28T08:00:00Z`, `…T09:00:00.5+01:00`; a Unix time), or
    /// seconds in the input's own times (`3600`, `1.5`, `-30`, `1764316800`; decimals to the
    /// millisecond, within ±[`MAX_BOUND_SECONDS`]). Surrounding white space is ignored.
    pub fn parse(s: &str) -> Result<WindowBound, BoundError> {
        let s = s.trim();
        if let Some(ms) = crate::rfc3339::parse(s) {
            return Ok(WindowBound::Unix(ms));
        }
        let quoted = || crate::text::quote(s).into_owned();
        // `f64`'s grammar also takes `inf` and `NaN`: words, not times.
        let secs: f64 = s
            .parse()
            .ok()
            .filter(|_| s.bytes().any(|b| b.is_ascii_digit()))
            .ok_or_else(|| BoundError::NotATime { text: quoted() })?;
        if !secs.is_finite() || secs.abs() > MAX_BOUND_SECONDS {
            return Err(BoundError::OutOfRange { text: quoted() });
        }
        // Exact for integers; decimals rounded to the millisecond. Within ±1e13 s both fit
        // `i64` milliseconds (checked above).
        let ms = match s.parse::<i64>() {
            Ok(n) => n.saturating_mul(1000),
            Err(_) => (secs * 1000.0).round() as i64,
        };
        Ok(WindowBound::InputTime(ms))
    }
}

impl std::str::FromStr for WindowBound {
    type Err = BoundError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        WindowBound::parse(s)
    }
}

/// A metric outage to replay (`--metric-outage FROM..TO`): from `from` (included) to `to`
/// (excluded), in the input's own times as [`WindowBound`]s, within the data. The metrics read
/// through a metrics API fail in it ([`crate::sim::SimOptions::outage`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutageWindow {
    pub from: WindowBound,
    pub to: WindowBound,
}

/// Why a text is not an outage window ([`OutageWindow::parse`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutageError {
    /// No `..` between the two times.
    #[error(
        "\"{text}\" is not FROM..TO: give two times joined by `..` (600..1200, or RFC 3339 times)"
    )]
    NoRange {
        /// The text, quoted.
        text: String,
    },
    /// One of the two times is not a time.
    #[error(transparent)]
    Bound(#[from] BoundError),
}

impl OutageWindow {
    /// Read `FROM..TO`, each side as [`WindowBound::parse`] reads `--from`/`--to`
    /// (`600..1200`, `2025-11-28T08:00:00Z..2025-11-28T08:10:00Z`).
    pub fn parse(s: &str) -> Result<OutageWindow, OutageError> {
        let Some((from, to)) = s.split_once("..") else {
            return Err(OutageError::NoRange {
                text: crate::text::quote(s.trim()).into_owned(),
            });
        };
        Ok(OutageWindow {
            from: WindowBound::parse(from)?,
            to: WindowBound::parse(to)?,
        })
    }
}

/// The part of the demand to replay (`--from`/`--to`; the playground's two fields). The value in
/// force at `from` (the last row at or before it) holds from the window's start; the controller
/// starts fresh there (its windows and stabilization history are empty, as after a restart).
/// Both bounds must lie within the data (its first row to its last row plus one typical step),
/// `from` before `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReplayWindow {
    /// Start of the replay (default: the data's start).
    pub from: Option<WindowBound>,
    /// End of the replay (default: the data's end, or `from` plus
    /// [`PipelineOptions::horizon`]). With a horizon too, the replay ends at the earlier.
    pub to: Option<WindowBound>,
}

impl ReplayWindow {
    /// Whether no bound is set.
    pub fn is_empty(&self) -> bool {
        self.from.is_none() && self.to.is_none()
    }
}

/// Why a replay window cannot be replayed (a `replay-window` error). Times are written in the
/// input's own form: RFC 3339 for absolute times, seconds for relative ones.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WindowError {
    #[error("--from {from} is not before --to {to}: the window is empty")]
    Empty { from: String, to: String },
    #[error("--metric-outage {from}..{to} is empty: its start must be before its end")]
    OutageEmpty { from: String, to: String },
    #[error("{which} {at} is outside the data, which runs from {start} to {end}")]
    Outside {
        /// `--from` or `--to`.
        which: &'static str,
        at: String,
        start: String,
        end: String,
    },
    #[error(
        "{which} {at} is an absolute time, but the input's times are relative (from {start} to \
         {end}): give seconds"
    )]
    AbsoluteForRelative {
        which: &'static str,
        at: String,
        start: String,
        end: String,
    },
}

/// Why the pipeline did not replay (see the module doc).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NotReplayed {
    /// The configuration has errors that make a replay meaningless (their codes, in order).
    #[error("the configuration has errors ({}) that make a replay meaningless", code_list(.0))]
    ConfigErrors(Vec<Code>),
    #[error(transparent)]
    Window(WindowError),
    #[error(transparent)]
    TooLong(sim::ReplayTooLong),
}

fn code_list(codes: &[Code]) -> String {
    codes
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where the demand comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum DemandInput<'a> {
    /// No demand: check the YAML only.
    None,
    /// Metric samples, in any format [`samples::detect`] recognises. Blank text is no demand
    /// (an empty editor).
    Samples(&'a str),
    /// The text of a samples file: as [`DemandInput::Samples`], but blank text is unreadable
    /// (an empty file is a `samples-unreadable` error, not "no samples").
    SamplesFile(&'a str),
    /// A generated pattern (total demand in the metric's unit).
    Pattern(Pattern),
    /// A demand series the front end already has (e.g. a demand CSV it read with
    /// [`crate::demand::parse_csv`]).
    Series(&'a DemandSeries),
}

/// What the user can set about a run (the CLI's flags, the playground's settings).
#[derive(Debug, Clone, PartialEq)]
pub struct PipelineOptions {
    /// The autoscaler's `metadata.name` in a multi-document input (default: the first).
    pub autoscaler: Option<String>,
    /// Which AIBrix generation reads and replays `PodAutoscaler`s.
    pub aibrix_version: AibrixVersion,
    /// The KServe deployment mode of an `InferenceService` that does not write one
    /// ([`ParseOptions::kserve_mode`]).
    pub kserve_mode: Option<crate::upstream::kserve::DeploymentMode>,
    /// Replicas at time 0 (default: from the input, else minReplicas).
    pub initial_replicas: Option<u32>,
    /// Pod start-up delay (default: by workload, see [`sim`]).
    pub pod_startup: Option<Millis>,
    /// How long to simulate (default: to the end of the demand), from the window's start.
    pub horizon: Option<Millis>,
    /// The part of the demand to replay (default: all of it).
    pub window: ReplayWindow,
    /// Whether to replay at all (step 4; default `true`). A front end that cannot read the
    /// window the user asked for sets `false` rather than replay another one (the playground,
    /// while its from/to field is not a time): the other steps run and report as usual,
    /// [`PipelineOutput::sim`] and [`PipelineOutput::not_replayed`] stay `None`.
    pub replay: bool,
    /// How sample values relate to the demand (default: chosen from the data).
    pub samples_are: Interpretation,
    /// Most evaluations one replay may run (default: [`sim::MAX_EVALUATIONS`];
    /// `--max-evaluations`).
    pub max_evaluations: Option<u64>,
    /// The Kubernetes feature gates the cluster sets (`--feature-gates`; default: the
    /// replayed release's).
    pub feature_gates: config::feature_gates::FeatureGates,
    /// The scrape interval PromQL ranges are measured against (`--scrape-interval`; default:
    /// Prometheus' default, assumed and said so).
    pub scrape_interval: crate::analysis::ScrapeInterval,
    /// A metric outage to replay (`--metric-outage`; default: none).
    pub metric_outage: Option<OutageWindow>,
}

impl Default for PipelineOptions {
    fn default() -> Self {
        PipelineOptions {
            autoscaler: None,
            aibrix_version: AibrixVersion::default(),
            kserve_mode: None,
            initial_replicas: None,
            pod_startup: None,
            horizon: None,
            window: ReplayWindow::default(),
            replay: true,
            samples_are: Interpretation::Auto,
            max_evaluations: None,
            feature_gates: config::feature_gates::FeatureGates::default(),
            scrape_interval: crate::analysis::ScrapeInterval::default(),
            metric_outage: None,
        }
    }
}

/// The input of one run.
#[derive(Debug, Clone, PartialEq)]
pub struct PipelineInput<'a> {
    pub yaml: &'a str,
    pub demand: DemandInput<'a>,
    pub options: PipelineOptions,
}

/// Which input text a diagnostic's span is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InputText {
    Yaml,
    Samples,
}

impl InputText {
    pub fn as_str(self) -> &'static str {
        match self {
            InputText::Yaml => "yaml",
            InputText::Samples => "samples",
        }
    }
}

/// The step of a run a diagnostic comes from (for front ends that show only some of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Step {
    /// Reading the YAML, with its static checks ([`config::parse_with`]).
    Config,
    /// Choosing the autoscaler: `multiple-autoscalers`, `unknown-autoscaler`.
    Select,
    /// Reading the samples text: `samples-unreadable` and the import's warnings.
    Import,
    /// The checks of the samples against the autoscaler ([`analysis::check_samples`]).
    SamplesCheck,
    /// The simulator's notes and warnings ([`sim::simulate`]).
    Replay,
    /// The checks of the replayed timeline ([`analysis::check_timeline`]).
    TimelineCheck,
}

/// A diagnostic, the text its span points into and the step that reported it.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub input: InputText,
    pub step: Step,
    pub diagnostic: Diagnostic,
}

/// The selected autoscaler, as front ends show it.
#[derive(Debug, Clone, PartialEq)]
pub struct AutoscalerSummary {
    pub name: String,
    pub kind: String,
    /// `aibrix`, `hpa`, `keda` or `knative`.
    pub family: &'static str,
    /// The upstream algorithm replayed ([`crate::model::Algorithm::upstream`]).
    pub algorithm: &'static str,
    /// The first metric (the one the demand drives).
    pub metric: Option<String>,
    /// The metric's unit in words, when known.
    pub unit: Option<&'static str>,
    /// The target in the metric's unit.
    pub target: Option<f64>,
    /// `Utilization`, `Value` or `AverageValue`.
    pub target_type: Option<&'static str>,
    pub min_replicas: u32,
    /// `u32::MAX` when unlimited.
    pub max_replicas: u32,
    /// Whether a decision's `observed` is a workload total against a per-pod target
    /// ([`crate::model::Algorithm::observed_is_workload_total`]).
    pub observed_is_total: bool,
    /// Whether panic mode also means "no load" when `observed` is ≤ 0
    /// ([`crate::model::Algorithm::panics_without_load`]).
    pub panics_without_load: bool,
}

/// What the samples import did.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportReport {
    pub format: Format,
    pub series: usize,
    /// The metric the samples are of, when they say.
    pub metric: Option<String>,
    /// How the values were turned into demand (`Auto` resolved).
    pub interpretation: Interpretation,
    /// Import and conversion notes, in order.
    pub notes: Vec<Diagnostic>,
    /// The per-pod scale of the data when it differs from the metric registry's (percent data
    /// for a 0–1 metric): the replay caps each pod at `scale.bound`.
    pub scale: Option<sim::SamplesScale>,
    /// Whether the sample times are Unix times or offsets from a start.
    pub time_base: TimeBase,
    /// The earliest first sample time of any series (Unix ms) when the times are Unix times
    /// (for reading RFC 3339 times against the replay).
    pub epoch_start: Option<i64>,
    /// The demand's time 0 in the samples' time base ([`DemandSeries::offset`]).
    pub demand_offset: Millis,
}

/// Everything one run produces.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PipelineOutput {
    /// Every diagnostic: YAML (parse, static checks, samples and timeline analysis, simulator
    /// notes) sorted by position, then the samples text's (unreadable input, import warnings).
    pub findings: Vec<Finding>,
    /// `(name, kind)` of every autoscaler read, in input order (for a picker).
    pub autoscalers: Vec<(String, String)>,
    /// The autoscaler replayed.
    pub selected: Option<AutoscalerSummary>,
    /// The selected autoscaler as the YAML reads it (the registry's per-pod bound, whatever the
    /// samples' scale).
    pub as_read: Option<Autoscaler>,
    /// The same with the data's per-pod bound, when the samples are on a percent scale
    /// ([`sim::SamplesScale::apply`]); [`PipelineOutput::autoscaler`] is the one replayed.
    pub rescaled: Option<Autoscaler>,
    /// YAML diagnostics inside the input's other autoscalers: left out of `findings`, which are
    /// about the selected one (a whole-file check shows them too).
    pub about_others: Vec<Diagnostic>,
    /// The samples import, when samples were given and readable.
    pub import: Option<ImportReport>,
    /// Why the samples text could not be read (also a `samples-unreadable` finding), at the
    /// parser's line and column.
    pub samples_error: Option<SampleError>,
    /// The simulated run, when there was an autoscaler and a non-empty demand.
    pub sim: Option<SimOutput>,
    /// Why there is no [`Self::sim`] although there was an autoscaler and a demand.
    pub not_replayed: Option<NotReplayed>,
    /// Where the replayed demand starts, in the input's times (after the window).
    pub replay_start: Option<ReplayStart>,
    /// With [`NotReplayed::TooLong`]: the longest window from the replay's start that fits
    /// the cap (the one the `replay-too-long` help names).
    pub suggested_window: Option<SuggestedWindow>,
}

/// A replay window in the input's own form (RFC 3339 for absolute times, seconds for relative
/// ones), as a user types it into `--from`/`--to` or the playground's fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuggestedWindow {
    pub from: String,
    pub to: String,
    /// `to - from` (ms).
    pub span: Millis,
}

/// Where a replay's time 0 is in the input's times (front ends read times such as `--at`
/// against it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReplayStart {
    /// The timeline's first time ([`crate::demand::DemandSeries::offset`]): the input's time of
    /// the replay's start for relative times, 0 for absolute ones.
    pub offset: Millis,
    /// The Unix time (ms) of the replay's start when the input's times are absolute.
    pub epoch_start: Option<i64>,
}

impl PipelineOutput {
    /// The YAML diagnostics alone.
    pub fn yaml_diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.findings
            .iter()
            .filter(|f| f.input == InputText::Yaml)
            .map(|f| &f.diagnostic)
    }

    /// The autoscaler replayed, in full (for explanations of its decisions): [`Self::rescaled`]
    /// when the samples' scale changed the bound, else [`Self::as_read`].
    pub fn autoscaler(&self) -> Option<&Autoscaler> {
        self.rescaled.as_ref().or(self.as_read.as_ref())
    }

    /// Whether any finding has this code.
    pub fn has_code(&self, code: Code) -> bool {
        self.findings.iter().any(|f| f.diagnostic.code == code)
    }
}

fn family_str(f: Family) -> &'static str {
    match f {
        Family::Aibrix => "aibrix",
        Family::Hpa => "hpa",
        Family::Keda => "keda",
        Family::Knative => "knative",
    }
}

fn target_type_str(t: TargetType) -> &'static str {
    match t {
        TargetType::Utilization => "Utilization",
        TargetType::Value => "Value",
        TargetType::AverageValue => "AverageValue",
    }
}

/// The summary front ends show for `a`.
pub fn summarize(a: &Autoscaler) -> AutoscalerSummary {
    let metric = a.metrics.first();
    AutoscalerSummary {
        name: a.name.clone(),
        kind: a.kind.clone(),
        family: family_str(a.family),
        algorithm: a.upstream(),
        metric: metric.map(|m| m.name.value.clone()),
        unit: match metric.map(|m| m.target.target_type) {
            Some(TargetType::Utilization) => Some("percent of the pods' request"),
            _ => metric.and_then(|m| {
                metrics::lookup(&m.name.value)
                    .map(|k| k.unit)
                    .or_else(|| m.source.demand_unit())
            }),
        },
        target: metric.map(|m| m.target.value.value),
        target_type: metric.map(|m| target_type_str(m.target.target_type)),
        min_replicas: a.min_replicas.value,
        max_replicas: a.max_replicas.value,
        observed_is_total: a.algorithm.observed_is_workload_total(),
        panics_without_load: a.algorithm.panics_without_load(),
    }
}

/// The position of 1-based `line`/`column` (characters) in `text`, with its character offset,
/// clamped to the end of the line (and of the text).
pub fn pos_at(text: &str, line: u32, column: u32) -> Pos {
    LineIndex::new(text).pos_of_line_column(line, column)
}

/// A diagnostic in the samples text at `line:column` (to the end of that line).
fn samples_diag(
    text: &str,
    code: Code,
    severity: Severity,
    message: String,
    at: Option<(u32, u32)>,
) -> Diagnostic {
    let d = Diagnostic::new(code, severity, message);
    match at {
        Some((line, column)) => {
            let index = LineIndex::new(text);
            let start = index.pos_of_line_column(line, column);
            let end = index.pos_of_line_column(line, u32::MAX);
            d.at(Span::new(start, end.max(start)))
        }
        None => d,
    }
}

/// Samples read and turned into demand: what [`run_cached`] keeps between runs.
#[derive(Debug, Clone, PartialEq)]
struct Imported {
    samples: samples::Samples,
    demand: DemandSeries,
    /// Import warnings, positioned in the samples text.
    findings: Vec<Diagnostic>,
    report: ImportReport,
}

#[derive(Debug, Clone, PartialEq)]
struct CacheEntry {
    text: String,
    /// The autoscaler's metrics the samples were matched to (name and label selector), in
    /// model order.
    metrics: Vec<MetricKey>,
    interpretation: Interpretation,
    /// The samples, or why they cannot be read.
    import: Result<Imported, SampleError>,
}

/// The last samples import, reused by [`run_cached`] while the samples text, the metric it is
/// read for and the interpretation are unchanged, so editing the YAML of a long recording does
/// not parse the recording again. Plain data owned by the caller (core keeps no state).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SamplesCache {
    entry: Option<CacheEntry>,
}

/// What the samples are read for: a metric's name and the label selector that picks its series.
#[derive(Debug, Clone, PartialEq)]
struct MetricKey {
    name: String,
    selector: Vec<LabelMatcher>,
}

impl MetricKey {
    fn of(m: &Metric) -> Self {
        MetricKey {
            name: m.name.value.clone(),
            selector: m.selector.clone(),
        }
    }

    fn hints(&self) -> Hints {
        Hints {
            metric: Some(self.name.clone()),
            selector: self.selector.clone(),
            ..Hints::default()
        }
    }
}

impl SamplesCache {
    fn get(
        &mut self,
        text: &str,
        metrics: Vec<MetricKey>,
        interpretation: Interpretation,
    ) -> &CacheEntry {
        match self.entry.take() {
            Some(e)
                if e.interpretation == interpretation && e.metrics == metrics && e.text == text =>
            {
                self.entry.insert(e)
            }
            _ => {
                let import = import_samples(text, &metrics, interpretation);
                self.entry.insert(CacheEntry {
                    text: text.to_string(),
                    metrics,
                    interpretation,
                    import,
                })
            }
        }
    }
}

/// Read `text` for the autoscaler's `metrics` and turn it into demand: the first metric's
/// samples (or, when the text does not name it, what the text holds) as the primary series, and
/// one named series per further metric the text holds samples of, matched by metric name
/// ([`samples::name_matches`]: with or without `vllm:`, a counter's `_total`). Only inputs that
/// name their metric (exposition, Prometheus JSON) can feed several metrics; a CSV of samples
/// feeds the first. Import notes and checks are about the first metric's samples.
fn import_samples(
    text: &str,
    metrics: &[MetricKey],
    interpretation: Interpretation,
) -> Result<Imported, SampleError> {
    let mut imported = import_first(text, metrics.first(), interpretation)?;
    // The primary series is another metric's when the text names that one.
    let named_as = |m: &str| {
        imported
            .samples
            .metric
            .as_deref()
            .is_some_and(|n| samples::name_matches(n, m) || samples::name_matches(m, n))
    };
    if let Some(other) = metrics.iter().skip(1).find(|m| named_as(&m.name)) {
        if !metrics.first().is_some_and(|m| named_as(&m.name)) {
            imported.demand.name = Some(other.name.clone());
        }
    }
    let mut parts = vec![imported.demand.clone()];
    for m in metrics.iter().skip(1) {
        if named_as(&m.name) {
            continue;
        }
        let Ok(s) = samples::detect_and_parse(text, &m.hints()) else {
            continue;
        };
        let names_it = s.metric.as_deref().is_some_and(|n| {
            samples::name_matches(n, &m.name) || samples::name_matches(&m.name, n)
        });
        if !names_it {
            continue;
        }
        let (mut d, _) = samples::to_demand(&s, interpretation);
        d.name = Some(m.name.clone());
        parts.push(d);
    }
    if parts.len() > 1 {
        if let Ok(d) = crate::demand::combine(parts) {
            imported.report.epoch_start = d.epoch_start;
            imported.report.demand_offset = d.offset;
            imported.demand = d;
        }
    }
    Ok(imported)
}

/// Read `text` for `metric` and turn it into demand.
fn import_first(
    text: &str,
    metric: Option<&MetricKey>,
    interpretation: Interpretation,
) -> Result<Imported, SampleError> {
    let hints = metric.map(MetricKey::hints).unwrap_or_default();
    let parsed = match samples::detect_and_parse(text, &hints) {
        // The file may name the metric differently (a recording rule): take what it holds,
        // still through the metric's label selector.
        Err(e) if matches!(e.kind, samples::ErrorKind::MetricNotFound { .. }) => {
            let any = Hints {
                metric: None,
                ..hints
            };
            samples::detect_and_parse(text, &any)
        }
        r => r,
    };
    let s = parsed?;
    let (demand, conv_notes) = samples::to_demand(&s, interpretation);
    let notes: Vec<Diagnostic> = s.notes.iter().chain(conv_notes.iter()).cloned().collect();
    let findings = notes
        .iter()
        .filter(|n| n.severity != Severity::Note)
        .map(|n| {
            samples_diag(
                text,
                n.code,
                n.severity,
                n.message.clone(),
                n.span.map(|s| (s.start.line, s.start.column)),
            )
        })
        .collect();
    let report = ImportReport {
        format: s.format,
        series: s.series.len(),
        metric: s.metric.clone(),
        interpretation: samples::resolve_interpretation(&s, interpretation),
        notes,
        scale: None,
        time_base: s.time_base,
        epoch_start: demand.epoch_start,
        demand_offset: demand.offset,
    };
    Ok(Imported {
        samples: s,
        demand,
        findings,
        report,
    })
}

/// Whether `d`, a diagnostic of the configuration, makes a replay of `a` meaningless: an error
/// inside `a`'s document (or without a position). Such an error means the API server or the
/// controller rejects the object (`min-above-max`, `out-of-range`, `missing-field`, …) or a
/// value could not be read as written (`wrong-type`, `invalid-value`), so a replay would not be
/// of the autoscaler as written. Not blocking: `aibrix-target-truncated` (the controller really
/// runs with the truncated target: the replay shows what it does) and `yaml-syntax` (the text
/// after the autoscaler; a syntax error inside it also leaves a field missing, which blocks).
pub fn blocks_replay(a: &Autoscaler, d: &Diagnostic) -> bool {
    let inside = d
        .span
        .is_none_or(|s| a.span.start <= s.start && s.end <= a.span.end);
    d.severity == Severity::Error
        && inside
        && !matches!(d.code, Code::AibrixTargetTruncated | Code::YamlSyntax)
}

/// `ms` in the input's own form: RFC 3339 for absolute times, seconds for relative ones (as a
/// user types them back into `--from`/`--to`).
fn input_time(ms: i64, absolute: bool) -> String {
    if absolute {
        crate::display::Utc(ms).to_string()
    } else if ms % 1000 == 0 {
        format!("{}", ms / 1000)
    } else {
        format!("{}", ms as f64 / 1000.0)
    }
}

/// Why [`replay`] did not run: the reason, its diagnostic, and for a replay too long the
/// window to suggest.
struct Refused {
    why: NotReplayed,
    diagnostic: Diagnostic,
    suggested: Option<SuggestedWindow>,
}

/// Cut `demand` to the window of `opts`, replay it, or say why not (with the diagnostic).
fn replay(
    a: &Autoscaler,
    demand: &DemandSeries,
    opts: &PipelineOptions,
) -> Result<(SimOutput, ReplayStart), Box<Refused>> {
    let absolute = demand.is_absolute();
    // The data's start in the input's times, and its end relative to the start.
    let start = demand
        .epoch_start
        .unwrap_or_else(|| i64::try_from(demand.offset).unwrap_or(i64::MAX));
    let end = demand.default_duration();
    let end_i = i64::try_from(end).unwrap_or(i64::MAX);
    let shown = |rel: i64| input_time(start.saturating_add(rel), absolute);
    let window_err = |e: WindowError| {
        let outage = match &e {
            WindowError::OutageEmpty { .. } => true,
            WindowError::Outside { which, .. } | WindowError::AbsoluteForRelative { which, .. } => {
                which.starts_with("--metric-outage")
            }
            WindowError::Empty { .. } => false,
        };
        let help = if outage {
            format!(
                "give --metric-outage FROM..TO between {} and {}, FROM before TO",
                shown(0),
                shown(end_i)
            )
        } else {
            format!(
                "give --from and --to between {} and {}, --from before --to",
                shown(0),
                shown(end_i)
            )
        };
        let d = Diagnostic::error(Code::ReplayWindow, e.to_string()).with_help(help);
        Box::new(Refused {
            why: NotReplayed::Window(e),
            diagnostic: d,
            suggested: None,
        })
    };
    // A bound as ms from the data's start, checked to lie within the data.
    let resolve =
        |bound: Option<WindowBound>, which: &'static str| -> Result<Option<Millis>, WindowError> {
            let Some(bound) = bound else { return Ok(None) };
            let at = match bound {
                WindowBound::InputTime(ms) => ms,
                WindowBound::Unix(ms) if absolute => ms,
                WindowBound::Unix(ms) => {
                    return Err(WindowError::AbsoluteForRelative {
                        which,
                        at: input_time(ms, true),
                        start: shown(0),
                        end: shown(end_i),
                    })
                }
            };
            let rel = at.checked_sub(start).filter(|r| (0..=end_i).contains(r));
            match rel.and_then(|r| u64::try_from(r).ok()) {
                Some(r) => Ok(Some(r)),
                None => Err(WindowError::Outside {
                    which,
                    at: input_time(at, absolute),
                    start: shown(0),
                    end: shown(end_i),
                }),
            }
        };
    let from = resolve(opts.window.from, "--from").map_err(window_err)?;
    let to = resolve(opts.window.to, "--to").map_err(window_err)?;
    let f = from.unwrap_or(0);
    if from.is_some() && f >= end {
        return Err(window_err(WindowError::Outside {
            which: "--from",
            at: shown(i64::try_from(f).unwrap_or(i64::MAX)),
            start: shown(0),
            end: shown(end_i),
        }));
    }
    if let Some(t) = to {
        if t <= f {
            return Err(window_err(WindowError::Empty {
                from: shown(i64::try_from(f).unwrap_or(i64::MAX)),
                to: shown(i64::try_from(t).unwrap_or(i64::MAX)),
            }));
        }
    }
    // The outage in the replay's time (ms from the window's start), cut to the replay.
    let outage = match opts.metric_outage {
        None => None,
        Some(o) => {
            let a = resolve(Some(o.from), "--metric-outage start").map_err(window_err)?;
            let b = resolve(Some(o.to), "--metric-outage end").map_err(window_err)?;
            match (a, b) {
                (Some(a), Some(b)) if a < b => Some((a.saturating_sub(f), b.saturating_sub(f))),
                (Some(a), Some(b)) => {
                    return Err(window_err(WindowError::OutageEmpty {
                        from: shown(i64::try_from(a).unwrap_or(i64::MAX)),
                        to: shown(i64::try_from(b).unwrap_or(i64::MAX)),
                    }))
                }
                _ => None,
            }
        }
    };
    let windowed;
    let series = match from {
        Some(f) if f > 0 => {
            windowed = demand.starting_at(f);
            &windowed
        }
        _ => demand,
    };
    let horizon = match (to, opts.horizon) {
        (Some(t), Some(h)) => Some(t.saturating_sub(f).min(h)),
        (Some(t), None) => Some(t.saturating_sub(f)),
        (None, Some(h)) => Some(h),
        (None, None) => from.map(|f| end.saturating_sub(f)),
    };
    let sim_opts = SimOptions {
        initial_replicas: opts.initial_replicas,
        pod_startup: opts.pod_startup,
        duration: horizon,
        max_evaluations: opts.max_evaluations,
        outage,
    };
    match sim::try_simulate(a, series, &sim_opts) {
        Ok(output) => Ok((
            output,
            ReplayStart {
                offset: series.offset,
                epoch_start: series.epoch_start,
            },
        )),
        Err(e) => {
            // A window as long as the limit allows, from the replay's start: whole hours for
            // spans over a day, whole minutes below.
            let unit: Millis = if e.max_span >= 86_400_000 {
                3_600_000
            } else {
                60_000
            };
            let span = (e.max_span - e.max_span % unit).max(e.max_span.min(unit));
            let f_i = i64::try_from(f).unwrap_or(i64::MAX);
            let span_i = i64::try_from(span).unwrap_or(i64::MAX);
            let suggested = SuggestedWindow {
                from: shown(f_i),
                to: shown(f_i.saturating_add(span_i)),
                span,
            };
            let window = format!("--from {} --to {}", suggested.from, suggested.to);
            let help = if opts.horizon.is_some() && to.is_none() {
                format!(
                    "replay at most {:#}: `--duration {}`; or a window of the data with --from/--to, e.g. `{window}`",
                    crate::display::Dur(span),
                    crate::display::Dur(span)
                )
            } else {
                format!(
                    "replay a window of the data with --from/--to, e.g. `{window}` (its first {:#}), or a shorter --duration",
                    crate::display::Dur(span)
                )
            };
            let diagnostic = analysis::replay_too_long(&e, Some(help + &raise_limit(&e)));
            Err(Box::new(Refused {
                why: NotReplayed::TooLong(e),
                diagnostic,
                suggested: Some(suggested),
            }))
        }
    }
}

/// The end of a `replay-too-long` help: how to raise the limit when the replay is meant, if
/// [`sim::MAX_EVALUATIONS_CEILING`] allows it (nothing for a stray timestamp's decades).
fn raise_limit(e: &sim::ReplayTooLong) -> String {
    if e.evaluations <= sim::MAX_EVALUATIONS_CEILING {
        format!(
            "; to replay all of it, raise the limit: `--max-evaluations {}`",
            e.evaluations
        )
    } else {
        String::new()
    }
}

/// Run the whole pipeline on `input`.
pub fn run(input: &PipelineInput<'_>) -> PipelineOutput {
    run_cached(input, &mut SamplesCache::default())
}

/// [`run`], reusing `cache`'s samples import when the samples text is unchanged (and filling
/// it otherwise). Same output as [`run`], byte for byte.
pub fn run_cached(input: &PipelineInput<'_>, cache: &mut SamplesCache) -> PipelineOutput {
    let opts = &input.options;
    let parsed = config::parse_with(
        input.yaml,
        &ParseOptions {
            aibrix_version: opts.aibrix_version,
            kserve_mode: opts.kserve_mode,
            feature_gates: opts.feature_gates,
            scrape_interval: opts.scrape_interval,
            ..Default::default()
        },
    );
    let mut out = PipelineOutput {
        autoscalers: parsed
            .autoscalers
            .iter()
            .map(|a| (a.name.clone(), a.kind.clone()))
            .collect(),
        ..PipelineOutput::default()
    };
    let (chosen, about_choice) = parsed.select(opts.autoscaler.as_deref());
    let mut config = parsed.diagnostics.clone();
    let mut select: Vec<Diagnostic> = about_choice.into_iter().collect();
    // After the YAML's, in the order they are reported (sorting is stable).
    let mut later: Vec<(Step, Diagnostic)> = Vec::new();
    let mut samples_findings = Vec::new();

    if let Some(a) = chosen {
        let (mine, others) = config
            .into_iter()
            .partition(|d| !parsed.is_about_another(a, d));
        config = mine;
        out.about_others = others;
        select = parsed.only_about(a, select);
        out.selected = Some(summarize(a));
        let generated;
        let mut replayed: Option<Autoscaler> = None;
        let demand: Option<&DemandSeries> = match &input.demand {
            DemandInput::None => None,
            DemandInput::Pattern(p) => {
                generated = p.generate();
                Some(&generated)
            }
            DemandInput::Series(d) => Some(d),
            DemandInput::Samples(text) if text.trim().is_empty() => None,
            DemandInput::Samples(text) | DemandInput::SamplesFile(text) => {
                let metrics = a.metrics.iter().map(MetricKey::of).collect();
                let entry = cache.get(text, metrics, opts.samples_are);
                match &entry.import {
                    Err(e) => {
                        samples_findings.push(samples_diag(
                            text,
                            Code::SamplesUnreadable,
                            Severity::Error,
                            format!("cannot read the samples: {}", e.message()),
                            Some((e.line, e.column)),
                        ));
                        out.samples_error = Some(e.clone());
                        None
                    }
                    Ok(imp) => {
                        // Percent data for a 0–1 metric: replay with the data's per-pod bound,
                        // and a static `target-above-bound` that the data contradicts becomes
                        // a note.
                        let scale = sim::samples_scale(a, &imp.samples, opts.samples_are);
                        if let Some(sc) = &scale {
                            analysis::defer_target_above_bound(sc, a, &mut config);
                            replayed = Some(sc.apply(a));
                        }
                        later.extend(
                            analysis::check_samples(
                                a,
                                &imp.samples,
                                opts.samples_are,
                                opts.scrape_interval,
                            )
                            .into_iter()
                            .map(|d| (Step::SamplesCheck, d)),
                        );
                        samples_findings.extend(imp.findings.iter().cloned());
                        let mut report = imp.report.clone();
                        report.scale = scale;
                        out.import = Some(report);
                        Some(&imp.demand)
                    }
                }
            }
        };
        if let Some(demand) = demand.filter(|d| opts.replay && !d.points.is_empty()) {
            let blocking: Vec<Code> = config
                .iter()
                .filter(|d| blocks_replay(a, d))
                .map(|d| d.code)
                .collect();
            let r = replayed.as_ref().unwrap_or(a);
            if !blocking.is_empty() {
                out.not_replayed = Some(NotReplayed::ConfigErrors(blocking));
            } else {
                match replay(r, demand, opts) {
                    Ok((output, start)) => {
                        later.extend(
                            analysis::check_replay(r, &output)
                                .into_iter()
                                .map(|d| (Step::Replay, d)),
                        );
                        later.extend(
                            analysis::check_timeline(r, &output)
                                .into_iter()
                                .map(|d| (Step::TimelineCheck, d)),
                        );
                        out.sim = Some(output);
                        out.replay_start = Some(start);
                    }
                    Err(refused) => {
                        let Refused {
                            why,
                            diagnostic,
                            suggested,
                        } = *refused;
                        later.push((Step::Replay, diagnostic));
                        out.not_replayed = Some(why);
                        out.suggested_window = suggested;
                    }
                }
            }
        }
        out.as_read = Some(a.clone());
        out.rescaled = replayed;
    }
    let finding = |input, (step, diagnostic)| Finding {
        input,
        step,
        diagnostic,
    };
    let mut yaml: Vec<Finding> = config
        .into_iter()
        .map(|d| (Step::Config, d))
        .chain(select.into_iter().map(|d| (Step::Select, d)))
        .chain(later)
        .map(|sd| finding(InputText::Yaml, sd))
        .collect();
    crate::sort::by(&mut yaml, |x, y| {
        diagnostic::order(&x.diagnostic, &y.diagnostic)
    });
    diagnostic::sort(&mut samples_findings);
    out.findings = yaml
        .into_iter()
        .chain(
            samples_findings
                .into_iter()
                .map(|d| finding(InputText::Samples, (Step::Import, d))),
        )
        .collect();
    out
}

/// Why a set of edits could not be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("the edit at {line}:{column} is outside the text (it changed since the check)")]
    OutOfRange { line: u32, column: u32 },
    #[error("two edits overlap at {line}:{column}")]
    Overlap { line: u32, column: u32 },
}

/// Apply `edits` (spans by character offset, as diagnostics carry them) to `text`. Edits may come
/// in any order; overlapping or out-of-range edits are an error and leave nothing applied.
pub fn apply_edits(text: &str, edits: &[Edit]) -> Result<String, EditError> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    crate::sort::by_key(&mut sorted, |e| (e.span.start.offset, e.span.end.offset));
    // Byte index of every char boundary, indexed by character offset (plus the end).
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    let byte = |p: Pos| {
        bounds
            .get(p.offset as usize)
            .copied()
            .ok_or(EditError::OutOfRange {
                line: p.line,
                column: p.column,
            })
    };
    let mut out = String::with_capacity(text.len());
    let mut at = 0usize;
    for e in sorted {
        let (s, end) = (byte(e.span.start)?, byte(e.span.end)?);
        if s < at || end < s {
            return Err(EditError::Overlap {
                line: e.span.start.line,
                column: e.span.start.column,
            });
        }
        out.push_str(text.get(at..s).unwrap_or(""));
        out.push_str(&e.replacement);
        at = end;
    }
    out.push_str(text.get(at..).unwrap_or(""));
    Ok(out)
}

/// `ms` as seconds for CSV: whole seconds without decimals.
fn seconds(ms: Millis) -> String {
    if ms % 1000 == 0 {
        format!("{}", ms / 1000)
    } else {
        format!("{}", ms as f64 / 1000.0)
    }
}

fn csv_num(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        String::new()
    }
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Every timeline row as CSV (the same columns as `scalelens simulate --format csv`): `t` in
/// seconds, `observed` empty when there was none.
pub fn timeline_csv(output: &SimOutput) -> String {
    let mut s = String::from("t,demand,observed,ready,replicas,desired_raw,desired,mode,reason\n");
    for e in &output.timeline {
        let _ = writeln!(
            s,
            "{},{},{},{},{},{},{},{},{}",
            seconds(e.t),
            csv_num(e.demand),
            csv_num(e.observed),
            e.ready,
            e.replicas,
            e.desired_raw,
            e.desired,
            e.mode.as_str(),
            csv_cell(&e.reason.to_string())
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_only_when_needed() {
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("plain words"), "plain words");
        assert_eq!(csv_num(f64::NAN), "");
        assert_eq!(csv_num(0.25), "0.25");
    }
    use crate::demand::pattern::Shape;

    const SEED_YAML: &str = include_str!("../../examples/seed-kpa-gpu-cache/autoscaler.yaml");
    const SEED_PERCENT: &str =
        include_str!("../../examples/seed-kpa-gpu-cache/samples-percent.prom.json");

    fn input<'a>(yaml: &'a str, demand: DemandInput<'a>) -> PipelineInput<'a> {
        PipelineInput {
            yaml,
            demand,
            options: PipelineOptions::default(),
        }
    }

    fn peak(out: &PipelineOutput) -> u32 {
        out.sim.as_ref().map_or(0, |s| {
            s.timeline.iter().map(|e| e.desired).max().unwrap_or(0)
        })
    }

    #[test]
    fn seed_percent_samples_give_unit_mismatch_with_a_fix_that_brings_replicas_back() {
        let out = run(&input(SEED_YAML, DemandInput::Samples(SEED_PERCENT)));
        let sel = out.selected.as_ref().expect("selected");
        assert_eq!(sel.name, "deepseek-llm-7b-chat-kpa");
        assert_eq!(sel.family, "aibrix");
        assert_eq!(sel.metric.as_deref(), Some("gpu_cache_usage_perc"));
        assert_eq!(sel.target, Some(0.5));
        assert_eq!((sel.min_replicas, sel.max_replicas), (1, 10));
        let imp = out.import.as_ref().expect("import");
        assert_eq!(imp.format, Format::PrometheusJson);
        let um = out
            .yaml_diagnostics()
            .find(|d| d.code == Code::UnitMismatch)
            .expect("unit-mismatch");
        let span = um.span.expect("span");
        assert_eq!(span.start.line, 52, "{um:?}");
        assert!(!um.fixes.is_empty());
        assert!(peak(&out) > 1, "percent data scales up");
        // Sorted by position.
        let lines: Vec<u32> = out
            .yaml_diagnostics()
            .filter_map(|d| d.span.map(|s| s.start.line))
            .collect();
        assert!(lines.windows(2).all(|w| w[0] <= w[1]));

        let fixed = apply_edits(SEED_YAML, &um.fixes[0].edits).expect("applies");
        assert_ne!(fixed, SEED_YAML);
        let out2 = run(&input(&fixed, DemandInput::Samples(SEED_PERCENT)));
        assert!(!out2.has_code(Code::UnitMismatch));
        let sim = out2.sim.as_ref().expect("sim");
        assert_eq!(sim.timeline.last().map(|e| e.desired), Some(1));
        // As `scalelens simulate --samples` replays it: each pod capped at the data's 100, so
        // the percent target of 50 asks for at most 2 pods ("replicas ranged 1..2").
        assert_eq!(peak(&out2), 2);
        let scale = out2
            .import
            .as_ref()
            .and_then(|i| i.scale)
            .expect("percent scale");
        assert_eq!((scale.registry_bound, scale.bound), (1.0, 100.0));
        assert_eq!(
            out2.autoscaler().and_then(|a| a.metrics[0].bound),
            Some(100.0)
        );
        let tab = out2
            .yaml_diagnostics()
            .find(|d| d.code == Code::TargetAboveBound)
            .expect("target-above-bound, deferred");
        assert_eq!(tab.severity, Severity::Note);
    }

    #[test]
    fn pattern_demand_runs_and_csv_has_every_row() {
        let mut p = Pattern::new(Shape::Step, 0.2, 3.0);
        p.step = 15_000;
        let out = run(&input(SEED_YAML, DemandInput::Pattern(p)));
        let sim = out.sim.as_ref().expect("sim");
        // Per-pod values are capped at the fraction's bound 1.0, so the KPA climbs in steps.
        assert!(peak(&out) > 1, "the step scales up");
        let csv = timeline_csv(sim);
        assert_eq!(csv.lines().count(), sim.timeline.len() + 1);
        assert!(
            csv.starts_with("t,demand,observed,ready,replicas,desired_raw,desired,mode,reason\n")
        );
        assert!(out.import.is_none());
    }

    #[test]
    fn options_reach_the_simulator() {
        let p = Pattern::new(Shape::Spike, 0.2, 3.0);
        let mut i = input(SEED_YAML, DemandInput::Pattern(p));
        i.options.initial_replicas = Some(4);
        i.options.pod_startup = Some(5_000);
        i.options.horizon = Some(600_000);
        let out = run(&i);
        let sim = out.sim.expect("sim");
        assert_eq!(sim.initial_replicas, 4);
        assert_eq!(sim.pod_startup, 5_000);
        assert_eq!(sim.duration, 600_000);
        assert!(sim.timeline.iter().all(|e| e.t <= 600_000));
    }

    #[test]
    fn unreadable_samples_are_a_finding_in_the_samples_text() {
        let out = run(&input(
            SEED_YAML,
            DemandInput::Samples("time,value\n0,1\n15,abc\n"),
        ));
        let f = out
            .findings
            .iter()
            .find(|f| f.input == InputText::Samples)
            .expect("samples finding");
        assert_eq!(f.diagnostic.code, Code::SamplesUnreadable);
        let span = f.diagnostic.span.expect("span");
        assert_eq!(span.start.line, 3);
        assert!(out.sim.is_none());
        assert!(out.selected.is_some());
    }

    #[test]
    fn no_autoscaler_and_bad_yaml_are_diagnostics_not_panics() {
        for yaml in [
            "",
            "::: not yaml [",
            "apiVersion: v1\nkind: ConfigMap\n",
            "\u{1F600}: [",
        ] {
            let out = run(&input(yaml, DemandInput::Samples("garbage")));
            assert!(out.selected.is_none());
            assert!(out.sim.is_none());
            assert!(!out.findings.is_empty(), "{yaml:?}");
        }
    }

    #[test]
    fn choosing_an_autoscaler_by_name() {
        let yaml = include_str!("../../tests/testdata/config/general/multi.yaml");
        let first = run(&input(yaml, DemandInput::None));
        assert!(first.autoscalers.len() > 1);
        let name = first.autoscalers[1].0.clone();
        let mut i = input(yaml, DemandInput::None);
        i.options.autoscaler = Some(name.clone());
        let out = run(&i);
        assert_eq!(out.selected.map(|s| s.name), Some(name));
        i.options.autoscaler = Some("nope".into());
        let out = run(&i);
        assert!(out.selected.is_none());
        assert!(out.has_code(Code::UnknownAutoscaler));
    }

    #[test]
    fn the_samples_cache_gives_the_same_output_and_follows_the_text() {
        let mut cache = SamplesCache::default();
        let i = input(SEED_YAML, DemandInput::Samples(SEED_PERCENT));
        let plain = run(&i);
        assert_eq!(run_cached(&i, &mut cache), plain);
        assert_eq!(run_cached(&i, &mut cache), plain, "from the cache");
        // A YAML edit reuses the import; the result is what an uncached run gives.
        let fixed = SEED_YAML.replace("\"0.5\"", "\"50\"");
        let i2 = input(&fixed, DemandInput::Samples(SEED_PERCENT));
        assert_eq!(run_cached(&i2, &mut cache), run(&i2));
        // New samples text: re-imported.
        let csv = "time,value\n0,0.2\n15,0.9\n30,0.1\n";
        let i3 = input(SEED_YAML, DemandInput::Samples(csv));
        assert_eq!(run_cached(&i3, &mut cache), run(&i3));
        let bad = input(SEED_YAML, DemandInput::Samples("time,value\n0,x\n"));
        assert_eq!(run_cached(&bad, &mut cache), run(&bad));
        assert_eq!(run_cached(&bad, &mut cache), run(&bad));
    }

    /// A scrape holding two models' series: the HPA whose metric selects one model replays that
    /// model's queue (2..4 replicas), not the sum of both (pinned at maxReplicas 10).
    #[test]
    fn the_metric_selector_picks_the_series_replayed() {
        let yaml = include_str!(
            "../../tests/testdata/analysis/hpa-external-selector-two-models/autoscaler.yaml"
        );
        let prom = include_str!(
            "../../tests/testdata/analysis/hpa-external-selector-two-models/samples.prom"
        );
        let most = |yaml: &str| {
            let out = run(&input(yaml, DemandInput::Samples(prom)));
            let sim = out
                .sim
                .as_ref()
                .map(|s| s.timeline.clone())
                .unwrap_or_default();
            assert!(!sim.is_empty(), "{:?}", out.findings);
            let noted = out
                .import
                .as_ref()
                .is_some_and(|r| r.notes.iter().any(|n| n.code == Code::SamplesSelector));
            (sim.iter().map(|e| e.desired).max(), noted)
        };
        assert_eq!(most(yaml), (Some(4), true));
        let unselected: String = yaml
            .lines()
            .filter(|l| {
                ![
                    "selector:",
                    "matchLabels:",
                    "model_name:",
                    "matchExpressions:",
                    "key: namespace",
                ]
                .iter()
                .any(|k| l.contains(k))
            })
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(most(&unselected), (Some(10), false));
        // A selector that selects none of the series: the samples are not read.
        let other = yaml.replace("model_name: llama-3-8b", "model_name: qwen-2");
        let out = run(&input(&other, DemandInput::Samples(prom)));
        let err = out.samples_error.map(|e| e.message()).unwrap_or_default();
        assert!(err.contains("model_name=qwen-2"), "{err}");
    }

    fn steps_of(out: &PipelineOutput, code: Code) -> Vec<Step> {
        out.findings
            .iter()
            .filter(|f| f.diagnostic.code == code)
            .map(|f| f.step)
            .collect()
    }

    #[test]
    fn every_finding_names_its_step() {
        let out = run(&input(SEED_YAML, DemandInput::Samples(SEED_PERCENT)));
        assert_eq!(steps_of(&out, Code::UnitMismatch), [Step::SamplesCheck]);
        assert_eq!(steps_of(&out, Code::SimDefaultPodStartup), [Step::Replay]);
        assert!(out
            .findings
            .iter()
            .all(|f| (f.step == Step::Import) == (f.input == InputText::Samples)));
        let bad = run(&input(SEED_YAML, DemandInput::Samples("time,value\n0,x\n")));
        assert_eq!(steps_of(&bad, Code::SamplesUnreadable), [Step::Import]);
        let multi = include_str!("../../tests/testdata/config/general/multi.yaml");
        let out = run(&input(multi, DemandInput::None));
        assert_eq!(steps_of(&out, Code::MultipleAutoscalers), [Step::Select]);
        let mut i = input(multi, DemandInput::None);
        i.options.autoscaler = Some("nope".into());
        assert_eq!(steps_of(&run(&i), Code::UnknownAutoscaler), [Step::Select]);
        // Tagging changes nothing else: still sorted by position, YAML first.
        let out = run(&input(SEED_YAML, DemandInput::Samples(SEED_PERCENT)));
        let lines: Vec<u32> = out
            .yaml_diagnostics()
            .filter_map(|d| d.span.map(|s| s.start.line))
            .collect();
        assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{lines:?}");
    }

    #[test]
    fn diagnostics_about_other_autoscalers_are_kept_apart() {
        // The second autoscaler has minReplicas above maxReplicas.
        let yaml = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: first\nspec:\n  scaleTargetRef:\n    kind: Deployment\n    name: a\n  maxReplicas: 3\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: second\nspec:\n  scaleTargetRef:\n    kind: Deployment\n    name: b\n  minReplicas: 5\n  maxReplicas: 3\n";
        let out = run(&input(yaml, DemandInput::None));
        assert_eq!(
            out.selected.as_ref().map(|s| s.name.as_str()),
            Some("first")
        );
        assert!(!out.has_code(Code::MinAboveMax));
        let codes_elsewhere: Vec<Code> = out.about_others.iter().map(|d| d.code).collect();
        assert!(
            codes_elsewhere.contains(&Code::MinAboveMax),
            "{codes_elsewhere:?}"
        );
        let mut i = input(yaml, DemandInput::None);
        i.options.autoscaler = Some("second".into());
        let out = run(&i);
        assert!(out.has_code(Code::MinAboveMax));
        assert!(out.about_others.is_empty(), "{:?}", out.about_others);
    }

    #[test]
    fn the_autoscaler_as_read_keeps_the_registry_bound() {
        let fixed = SEED_YAML.replace("\"0.5\"", "\"50\"");
        let out = run(&input(&fixed, DemandInput::Samples(SEED_PERCENT)));
        let bound = |a: Option<&Autoscaler>| a.and_then(|a| a.metrics[0].bound);
        assert_eq!(bound(out.autoscaler()), Some(100.0));
        assert_eq!(bound(out.as_read.as_ref()), Some(1.0));
        let out = run(&input(SEED_YAML, DemandInput::None));
        assert_eq!(out.as_read.as_ref(), out.autoscaler());
        assert!(out.as_read.is_some() && out.rescaled.is_none());
    }

    #[test]
    fn the_import_report_says_how_times_map_to_the_demand() {
        let out = run(&input(SEED_YAML, DemandInput::Samples(SEED_PERCENT)));
        let imp = out.import.as_ref().expect("import");
        assert_eq!(imp.time_base, TimeBase::Epoch);
        let start = imp.epoch_start.expect("epoch start");
        assert!(start > 1_000_000_000_000, "{start}");
        assert_eq!(imp.demand_offset, 0);
        let csv = "time,value\n30,0.2\n45,0.9\n60,0.1\n";
        let out = run(&input(SEED_YAML, DemandInput::Samples(csv)));
        let imp = out.import.as_ref().expect("import");
        assert_eq!(imp.time_base, TimeBase::Relative);
        assert_eq!(imp.epoch_start, None);
        assert_eq!(imp.demand_offset, 30_000);
    }

    #[test]
    fn a_blank_samples_file_is_unreadable_but_a_blank_editor_is_no_demand() {
        for blank in ["", "  \n\n"] {
            let editor = run(&input(SEED_YAML, DemandInput::Samples(blank)));
            assert!(editor.findings.iter().all(|f| f.input == InputText::Yaml));
            assert_eq!(editor.samples_error, None);
            let file = run(&input(SEED_YAML, DemandInput::SamplesFile(blank)));
            let e = file.samples_error.as_ref().expect("an error");
            assert_eq!((e.line, e.column), (1, 1));
            assert_eq!(steps_of(&file, Code::SamplesUnreadable), [Step::Import]);
            assert!(file.sim.is_none() && file.import.is_none());
        }
    }

    #[test]
    fn unreadable_samples_keep_the_parsers_position() {
        let text = "time,value\n0,1\n15,abc\n";
        let out = run(&input(SEED_YAML, DemandInput::SamplesFile(text)));
        let e = out.samples_error.as_ref().expect("error");
        let f = out
            .findings
            .iter()
            .find(|f| f.diagnostic.code == Code::SamplesUnreadable)
            .expect("finding");
        let span = f.diagnostic.span.expect("span");
        assert_eq!((span.start.line, span.start.column), (e.line, e.column));
        assert_eq!(
            f.diagnostic.message,
            format!("cannot read the samples: {}", e.message())
        );
        // The same text as editor samples gives the same output.
        let editor = run(&input(SEED_YAML, DemandInput::Samples(text)));
        assert_eq!(editor, out);
    }

    #[test]
    fn a_given_series_replays_as_its_pattern_does() {
        let mut p = Pattern::new(Shape::Step, 0.2, 3.0);
        p.step = 15_000;
        let series = p.generate();
        let from_pattern = run(&input(SEED_YAML, DemandInput::Pattern(p)));
        let from_series = run(&input(SEED_YAML, DemandInput::Series(&series)));
        assert_eq!(from_series, from_pattern);
        assert!(from_series.sim.is_some());
        let empty = DemandSeries::default();
        assert!(run(&input(SEED_YAML, DemandInput::Series(&empty)))
            .sim
            .is_none());
    }

    fn edit(text: &str, from: (u32, u32), to: (u32, u32), r: &str) -> Edit {
        Edit {
            span: Span::new(pos_at(text, from.0, from.1), pos_at(text, to.0, to.1)),
            replacement: r.to_string(),
        }
    }

    #[test]
    fn outage_windows_parse_as_two_bounds() {
        let w = OutageWindow::parse("600..1200");
        assert_eq!(
            w,
            Ok(OutageWindow {
                from: WindowBound::InputTime(600_000),
                to: WindowBound::InputTime(1_200_000),
            })
        );
        let w = OutageWindow::parse("2025-11-28T08:00:00Z..2025-11-28T08:10:00Z");
        assert!(matches!(
            w,
            Ok(OutageWindow {
                from: WindowBound::Unix(_),
                to: WindowBound::Unix(_)
            })
        ));
        assert!(matches!(
            OutageWindow::parse("600"),
            Err(OutageError::NoRange { .. })
        ));
        assert!(matches!(
            OutageWindow::parse("600..soon"),
            Err(OutageError::Bound(_))
        ));
    }

    #[test]
    fn edits_apply_by_character_offset_in_any_order() {
        let text = "a: \"0.5\"\nb: é1\nc: 3\n";
        let e1 = edit(text, (1, 4), (1, 9), "\"50\"");
        let e2 = edit(text, (2, 5), (2, 6), "2");
        assert_eq!(e2.span.start.offset, 13);
        assert_eq!(
            apply_edits(text, &[e2.clone(), e1.clone()]).as_deref(),
            Ok("a: \"50\"\nb: é2\nc: 3\n")
        );
        assert_eq!(apply_edits(text, &[]).as_deref(), Ok(text));
        let far = Edit {
            span: Span::point(Pos {
                line: 9,
                column: 1,
                offset: 999,
            }),
            replacement: "x".into(),
        };
        assert!(matches!(
            apply_edits(text, &[far]),
            Err(EditError::OutOfRange { .. })
        ));
        let overlap = edit(text, (1, 1), (1, 6), "z");
        assert!(matches!(
            apply_edits(text, &[e1, overlap]),
            Err(EditError::Overlap { .. })
        ));
    }

    const HPA_YAML: &str = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 1\n  maxReplicas: 10\n  metrics:\n    - type: Resource\n      resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}\n";

    const HOUR: Millis = 3_600_000;
    const DAY: Millis = 24 * HOUR;

    /// Hourly demand for `days` days from file time `start_s` (seconds), value = hour of day.
    fn hourly(days: u64, start_s: u64) -> DemandSeries {
        let mut csv = String::from("time,value\n");
        for h in 0..days * 24 {
            csv.push_str(&format!("{},{}\n", start_s + h * 3600, h % 24));
        }
        match crate::demand::parse_csv(&csv) {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        }
    }

    fn with(
        yaml: &str,
        demand: &DemandSeries,
        f: impl FnOnce(&mut PipelineOptions),
    ) -> PipelineOutput {
        let mut i = input(yaml, DemandInput::Series(demand));
        f(&mut i.options);
        run(&i)
    }

    #[test]
    fn a_replay_beyond_the_limit_is_an_error_with_a_window_and_is_not_run() {
        let far = DemandSeries::from_points(vec![(0, 1.0), (1_000_000_000_000_000, 2.0)]);
        // The other steps' diagnostics are still reported.
        let seed = with(SEED_YAML, &far, |_| {});
        assert!(seed.sim.is_none());
        assert!(seed.has_code(Code::ReplayTooLong));
        assert!(seed.has_code(Code::DeprecatedMetric));
        let out = with(HPA_YAML, &far, |_| {});
        assert!(out.sim.is_none() && out.replay_start.is_none());
        assert!(matches!(out.not_replayed, Some(NotReplayed::TooLong(_))));
        let f = out
            .findings
            .iter()
            .find(|f| f.diagnostic.code == Code::ReplayTooLong)
            .expect("replay-too-long");
        assert_eq!(
            (f.step, f.diagnostic.severity),
            (Step::Replay, Severity::Error)
        );
        assert_eq!(
            f.diagnostic.help.as_deref(),
            Some("replay a window of the data with --from/--to, e.g. `--from 0 --to 2998800` (its first 34 days 17h), or a shorter --duration")
        );
        // A horizon that is too long: the help gives a --duration that fits.
        let out = with(HPA_YAML, &hourly(2, 0), |o| o.horizon = Some(u64::MAX));
        let help = out
            .findings
            .iter()
            .find(|f| f.diagnostic.code == Code::ReplayTooLong)
            .and_then(|f| f.diagnostic.help.clone());
        assert_eq!(
            help.as_deref(),
            Some("replay at most 34 days 17h: `--duration 833h`; or a window of the data with --from/--to, e.g. `--from 0 --to 2998800`")
        );
        // 40 days of data: too long as a whole, fine in the window the output suggests (the
        // one the help names), read back as a user would type it.
        let long = hourly(40, 0);
        let refused = with(HPA_YAML, &long, |_| {});
        assert!(refused.sim.is_none());
        let w = refused.suggested_window.expect("a window is suggested");
        assert_eq!(
            (w.from.as_str(), w.to.as_str(), w.span),
            ("0", "2998800", 2_998_800_000)
        );
        let out = with(HPA_YAML, &long, |o| {
            o.window.from = WindowBound::parse(&w.from).ok();
            o.window.to = WindowBound::parse(&w.to).ok();
        });
        assert!(out.sim.is_some() && out.not_replayed.is_none());
        assert_eq!(out.suggested_window, None);
    }

    #[test]
    fn window_bounds_parse_as_users_write_them() {
        use BoundError::{NotATime, OutOfRange};
        let unix = |ms| Ok(WindowBound::Unix(ms));
        let input = |ms| Ok(WindowBound::InputTime(ms));
        let not_a_time = |t: &str| Err(NotATime { text: t.into() });
        let out_of_range = |t: &str| Err(OutOfRange { text: t.into() });
        let cases: &[(&str, Result<WindowBound, BoundError>)] = &[
            // RFC 3339: a Unix time, with `Z`, an offset, fractions, `t`/space separators.
            ("2025-11-28T08:00:00Z", unix(1_764_316_800_000)),
            ("2025-11-28T09:00:00+01:00", unix(1_764_316_800_000)),
            ("2025-11-28T02:30:00-05:30", unix(1_764_316_800_000)),
            ("2025-11-28T08:00:00.250Z", unix(1_764_316_800_250)),
            ("2025-11-28 08:00:00z", unix(1_764_316_800_000)),
            ("  2025-11-28T08:00:00Z\n", unix(1_764_316_800_000)),
            ("1969-12-31T23:59:59Z", unix(-1_000)),
            // Seconds in the input's own times.
            ("3600", input(3_600_000)),
            ("0", input(0)),
            ("+60", input(60_000)),
            (" 3600 ", input(3_600_000)),
            ("1764316800", input(1_764_316_800_000)),
            ("1.5", input(1_500)),
            ("0.0004", input(0)),
            ("2.0005", input(2_001)),
            ("1e3", input(1_000_000)),
            ("-30", input(-30_000)),
            ("-0.25", input(-250)),
            ("10000000000000", input(10_000_000_000_000_000)),
            ("-10000000000000", input(-10_000_000_000_000_000)),
            // Out of range: beyond ±1e13 s, or not finite.
            ("10000000000001", out_of_range("10000000000001")),
            ("1e14", out_of_range("1e14")),
            ("-1e14", out_of_range("-1e14")),
            ("99999999999999999999", out_of_range("99999999999999999999")),
            ("1e400", out_of_range("1e400")),
            // Not a time at all.
            ("", not_a_time("")),
            ("   ", not_a_time("")),
            ("noon", not_a_time("noon")),
            ("15m", not_a_time("15m")),
            ("NaN", not_a_time("NaN")),
            ("inf", not_a_time("inf")),
            ("-infinity", not_a_time("-infinity")),
            ("1,5", not_a_time("1,5")),
            ("0x10", not_a_time("0x10")),
            ("2025-11-28", not_a_time("2025-11-28")),
            ("2025-11-28T08:00", not_a_time("2025-11-28T08:00")),
            ("2025-11-28T08:00:00", not_a_time("2025-11-28T08:00:00")),
            ("2025-13-28T08:00:00Z", not_a_time("2025-13-28T08:00:00Z")),
            (
                "2025-11-28T08:00:00+0100",
                not_a_time("2025-11-28T08:00:00+0100"),
            ),
            ("1.5.2", not_a_time("1.5.2")),
            // User text comes back escaped and cut.
            ("\u{202e}12", not_a_time("\\u{202e}12")),
        ];
        for (text, want) in cases {
            assert_eq!(&WindowBound::parse(text), want, "{text:?}");
            assert_eq!(&text.parse::<WindowBound>(), want, "FromStr {text:?}");
        }
        // The messages the CLI prints for `--from`/`--to` (kept from before the move).
        let msg = |t: &str| WindowBound::parse(t).map_err(|e| e.to_string());
        assert_eq!(
            msg("noon"),
            Err(
                "\"noon\" is not a time: give RFC 3339 (2025-11-28T08:00:00Z) or seconds (3600)"
                    .into()
            )
        );
        assert_eq!(
            msg("1e14"),
            Err("\"1e14\" is out of range: seconds must be within ±1e13".into())
        );
        let long = "x".repeat(1_000_000);
        let m = msg(&long).expect_err("not a time");
        assert!(m.len() < 200 && m.contains("(1000000 characters)"), "{m}");
    }

    #[test]
    fn without_replay_the_other_steps_still_report() {
        let long = hourly(40, 0);
        let out = with(SEED_YAML, &long, |o| o.replay = false);
        assert!(out.sim.is_none() && out.not_replayed.is_none() && out.replay_start.is_none());
        assert!(!out.has_code(Code::ReplayTooLong));
        assert!(out.has_code(Code::DeprecatedMetric));
        assert!(out.selected.is_some());
        // Samples are still read and checked.
        let mut i = input(SEED_YAML, DemandInput::Samples(SEED_PERCENT));
        i.options.replay = false;
        let samples = run(&i);
        assert!(samples.import.is_some() && samples.sim.is_none());
        assert!(samples.has_code(Code::UnitMismatch));
    }

    #[test]
    fn a_window_replays_part_of_the_data_from_the_value_in_force() {
        // File times from 1000 s; the window from 10 days 30 min to 12 days.
        let d = hourly(40, 1_000);
        let from = 1_000_000 + 10 * DAY + 30 * 60_000;
        let to = 1_000_000 + 12 * DAY;
        let out = with(HPA_YAML, &d, |o| {
            o.window.from = Some(WindowBound::InputTime(from as i64));
            o.window.to = Some(WindowBound::InputTime(to as i64));
        });
        let sim = out.sim.as_ref().expect("replayed");
        assert_eq!(sim.duration, to - from);
        let first = sim.timeline.first().expect("an evaluation");
        let last = sim.timeline.last().expect("an evaluation");
        assert_eq!(first.t, from);
        assert!(last.t <= to, "{} > {to}", last.t);
        // At 10 days 30 min the hour-0 row (value 0) of day 10 is in force, then hour 1 from
        // 10 days 1 h.
        assert_eq!(first.demand, 0.0);
        assert!(sim
            .timeline
            .iter()
            .any(|e| e.t == from + 30 * 60_000 && e.demand == 1.0));
        assert_eq!(
            out.replay_start,
            Some(ReplayStart {
                offset: from,
                epoch_start: None
            })
        );
        // `to` alone, and `from` alone (to the data's end).
        let out = with(HPA_YAML, &d, |o| {
            o.window.to = Some(WindowBound::InputTime(2 * DAY as i64))
        });
        assert_eq!(out.sim.map(|s| s.duration), Some(2 * DAY - 1_000_000));
        let out = with(HPA_YAML, &d, |o| {
            o.window.from = Some(WindowBound::InputTime(from as i64))
        });
        assert_eq!(
            out.sim.map(|s| s.duration),
            Some(1_000_000 + 40 * DAY - from)
        );
        // With a horizon too: the earlier end.
        let out = with(HPA_YAML, &d, |o| {
            o.window.from = Some(WindowBound::InputTime(from as i64));
            o.window.to = Some(WindowBound::InputTime(to as i64));
            o.horizon = Some(HOUR);
        });
        assert_eq!(out.sim.map(|s| s.duration), Some(HOUR));
    }

    #[test]
    fn absolute_inputs_take_rfc3339_and_unix_seconds_alike() {
        let csv =
            "time,value\n2025-11-28T08:00:00Z,1\n2025-11-28T09:00:00Z,5\n2025-11-28T10:00:00Z,2\n";
        let d = crate::demand::parse_csv(csv).expect("csv");
        let nine = 1_764_320_400_000i64;
        for bound in [WindowBound::Unix(nine), WindowBound::InputTime(nine)] {
            let out = with(HPA_YAML, &d, |o| o.window.from = Some(bound));
            assert_eq!(
                out.replay_start.and_then(|s| s.epoch_start),
                Some(nine),
                "{bound:?}"
            );
            let sim = out.sim.expect("replayed");
            assert_eq!(sim.timeline.first().map(|e| e.demand), Some(5.0));
        }
    }

    /// (from, to, the error's message) on data from file time 100 s to 3700 s (+1 h step).
    #[test]
    fn window_errors_name_the_datas_range() {
        let d = crate::demand::parse_csv("time,value\n100,1\n3700,2\n").expect("csv");
        let s = |secs: i64| Some(WindowBound::InputTime(secs * 1000));
        let cases: &[(Option<WindowBound>, Option<WindowBound>, &str)] = &[
            (s(3000), s(2000), "--from 3000 is not before --to 2000: the window is empty"),
            (s(2000), s(2000), "--from 2000 is not before --to 2000: the window is empty"),
            (s(50), None, "--from 50 is outside the data, which runs from 100 to 7300"),
            (None, s(8000), "--to 8000 is outside the data, which runs from 100 to 7300"),
            (s(7300), None, "--from 7300 is outside the data, which runs from 100 to 7300"),
            (s(i64::MIN / 1000), None, "--from -9223372036854775 is outside the data, which runs from 100 to 7300"),
            (
                Some(WindowBound::Unix(1_764_316_800_000)),
                None,
                "--from 2025-11-28T08:00:00Z is an absolute time, but the input's times are relative (from 100 to 7300): give seconds",
            ),
        ];
        for (from, to, message) in cases {
            let out = with(HPA_YAML, &d, |o| {
                o.window = ReplayWindow {
                    from: *from,
                    to: *to,
                };
            });
            assert!(out.sim.is_none(), "{message}");
            assert!(
                matches!(out.not_replayed, Some(NotReplayed::Window(_))),
                "{message}"
            );
            let f = out
                .findings
                .iter()
                .find(|f| f.diagnostic.code == Code::ReplayWindow)
                .expect("replay-window");
            assert_eq!(f.diagnostic.message, *message);
            assert_eq!(
                f.diagnostic.help.as_deref(),
                Some("give --from and --to between 100 and 7300, --from before --to")
            );
        }
    }

    /// (YAML, replayed?): errors that make the replay meaningless stop it; the others do not.
    #[test]
    fn configuration_errors_refuse_the_replay() {
        let min_above_max = HPA_YAML.replace("minReplicas: 1", "minReplicas: 12");
        let truncated = include_str!("../../tests/testdata/config/aibrix/hpa-truncated.yaml");
        let d = hourly(1, 0);
        let cases: &[(&str, Option<&[Code]>)] = &[
            (HPA_YAML, None),
            (&min_above_max, Some(&[Code::MinAboveMax])),
            (truncated, None),
        ];
        for (yaml, refused) in cases {
            let out = with(yaml, &d, |_| {});
            match refused {
                Some(codes) => {
                    assert!(out.sim.is_none());
                    assert_eq!(
                        out.not_replayed,
                        Some(NotReplayed::ConfigErrors(codes.to_vec()))
                    );
                    for c in *codes {
                        assert!(out.has_code(*c), "{c}");
                    }
                }
                None => assert!(out.sim.is_some(), "{:?}", out.not_replayed),
            }
        }
        let e = NotReplayed::ConfigErrors(vec![Code::MinAboveMax]);
        assert_eq!(
            e.to_string(),
            "the configuration has errors (min-above-max) that make a replay meaningless"
        );
    }

    #[test]
    fn a_stray_sample_is_dropped_before_the_replay() {
        let mut prom = String::from("time,value\n0,0.4\n");
        for k in 0..240u64 {
            prom.push_str(&format!("{},{}\n", 1_764_316_800 + 15 * k, 0.5));
        }
        // CSV samples in seconds are relative: the stray is at 0 s, the rest 55 years later.
        let out = run(&input(HPA_YAML, DemandInput::Samples(&prom)));
        let imp = out.import.as_ref().expect("import");
        let stray: Vec<_> = imp
            .notes
            .iter()
            .filter(|n| n.code == Code::SamplesStray)
            .collect();
        assert_eq!(stray.len(), 1, "{:?}", imp.notes);
        assert!(
            stray[0]
                .message
                .starts_with("dropped 1 stray sample, up to 55 years"),
            "{}",
            stray[0].message
        );
        assert_eq!(
            stray[0].span.map(|s| (s.start.line, s.start.column)),
            Some((2, 3))
        );
        let sim = out.sim.as_ref().expect("replayed");
        assert!(sim.duration <= HOUR, "{}", sim.duration);
        assert!(out
            .findings
            .iter()
            .any(|f| f.diagnostic.code == Code::SamplesStray));
    }

    #[test]
    fn pos_at_clamps() {
        let t = "ab\ncd";
        assert_eq!(pos_at(t, 2, 2).offset, 4);
        assert_eq!(pos_at(t, 2, 99).offset, 5);
        assert_eq!(pos_at(t, 9, 1).offset, 5);
        assert_eq!(pos_at(t, 1, 99).offset, 2);
    }
}
