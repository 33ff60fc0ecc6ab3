//! `check`, `simulate` and `explain`: read the files, run [`scalelens_core::pipeline`], render.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::Path;

use clap::Parser;

use scalelens_core::codes::Code;
use scalelens_core::demand::{self, DemandSeries};
use scalelens_core::diagnostic::{self, has_errors, Severity};
use scalelens_core::pipeline::{
    self, DemandInput, Finding, ImportReport, InputText, NotReplayed, PipelineInput,
    PipelineOptions, Step, WindowBound,
};
use scalelens_core::samples::{self, Interpretation};
use scalelens_core::sim::SimOutput;
use scalelens_core::{Autoscaler, Diagnostic, Millis};

use crate::args::{
    CheckArgs, CheckFormat, Cli, ColorChoice, Command, ExplainArgs, ExplainFormat, PrometheusArgs,
    ReplayArgs, RuleArgs, RuleFormat, SamplesAre, SimulateArgs, SimulateFormat,
};
use crate::prometheus::RangeQuery;
use crate::render::timeline::SimReport;
use crate::render::{github, json, sarif, text, timeline};
use crate::source::SourceFile;
use crate::{EXIT_ERRORS, EXIT_OK, EXIT_UNUSABLE};

/// Where the output goes.
pub struct Io<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    /// Whether `out` is a terminal (for `--color auto`).
    pub out_is_terminal: bool,
}

/// Run the command line `args` (the first item is the program name). Returns the exit code.
pub fn run<I, T>(args: I, io: &mut Io<'_>) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let text = e.render().to_string();
            return if e.use_stderr() {
                let _ = io.err.write_all(text.as_bytes());
                EXIT_UNUSABLE
            } else {
                // --help, --version
                let _ = io.out.write_all(text.as_bytes());
                EXIT_OK
            };
        }
    };
    let style = text::Style {
        color: match cli.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => io.out_is_terminal,
        },
    };
    let limit = cli.max_input_size;
    let code = match &cli.command {
        Command::Check(args) => check(args, limit, style, io),
        Command::Simulate(args) => simulate(args, limit, style, io),
        Command::Explain(args) => explain(args, limit, style, io),
        Command::Rule(args) => rule(args, io),
    };
    let _ = io.out.flush();
    code
}

/// Size of the `--chart` SVG, in pixels.
const CHART_SIZE: (u32, u32) = (1200, 800);

fn write_chart(path: &Path, autoscaler: &Autoscaler, output: &SimOutput) -> Result<(), String> {
    let input = scalelens_chart::ChartInput::new(autoscaler, output);
    let svg = scalelens_chart::render_svg(&input, CHART_SIZE.0, CHART_SIZE.1)
        .map_err(|e| format!("cannot draw the chart for {}: {e}", path.display()))?;
    std::fs::write(path, svg).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Read a UTF-8 text file of at most `limit` bytes, or say why not. A regular file's size is
/// checked before reading; anything else (a pipe, `/dev/stdin`, a device) is read up to one byte
/// past the limit, so nothing larger is ever held in memory.
fn read(path: &Path, limit: u64) -> Result<String, String> {
    let cannot = |e: std::io::Error| format!("cannot read {}: {e}", path.display());
    let file = std::fs::File::open(path).map_err(cannot)?;
    let size = file
        .metadata()
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len());
    if let Some(size) = size.filter(|&n| n > limit) {
        return Err(too_large(path, Some(size), limit));
    }
    let mut bytes = Vec::with_capacity(size.and_then(|n| usize::try_from(n).ok()).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > limit {
        return Err(too_large(path, None, limit));
    }
    if let Some(text) = scalelens_core::text::utf16_with_bom(&bytes) {
        return Ok(text);
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "cannot read {}: not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// `n` bytes in words: `20 MB`, `25.3 MB`, `512 KB`, `900 bytes` (powers of 1000).
pub(crate) fn size_text(n: u64) -> String {
    let units = [(1_000_000_000u64, "GB"), (1_000_000, "MB"), (1_000, "KB")];
    for (f, unit) in units {
        if n >= f {
            let whole = n / f;
            let tenth = n % f * 10 / f;
            return if tenth == 0 {
                format!("{whole} {unit}")
            } else {
                format!("{whole}.{tenth} {unit}")
            };
        }
    }
    format!("{n} bytes")
}

/// Why `path` is refused: its size (when known), the limit, and the flag that raises it, with a
/// value that would let it through.
fn too_large(path: &Path, size: Option<u64>, limit: u64) -> String {
    // Whole megabytes that let the file through (twice the limit when its size is unknown).
    let suggest = size
        .unwrap_or(limit.saturating_mul(2))
        .div_ceil(1_000_000)
        .max(1);
    // Exact bytes when the rounded sizes would read alike ("20 MB, more than the 20 MB limit").
    let exact = size.is_some_and(|n| size_text(n) == size_text(limit));
    let shown = |n: u64| {
        if exact {
            format!("{n} bytes")
        } else {
            size_text(n)
        }
    };
    let what = match size {
        Some(n) => format!("is {}, more", shown(n)),
        None => "holds more".to_string(),
    };
    format!(
        "{} {what} than the {} input limit: refused before reading (time and memory grow with \
         the input); raise the limit with --max-input-size {suggest}MB",
        path.display(),
        shown(limit)
    )
}

/// Samples for `--samples FILE` or `--prometheus URL --query Q`: their name for the report, the
/// text (or why there is none) and, from Prometheus, the query (its words for import errors).
struct SamplesIn {
    name: String,
    text: Result<String, String>,
    query: Option<RangeQuery>,
}

impl SamplesIn {
    /// Why the importer refused the text, at its position (a file) or in the words of the
    /// request (Prometheus: its error, an empty result).
    fn import_error(&self, e: &samples::SampleError) -> String {
        match &self.query {
            Some(q) => q.import_error(e).to_string(),
            None => bad_samples(&self.name, e),
        }
    }
}

/// The current Unix time in whole seconds, as milliseconds (the default end of a
/// `--prometheus` range; whole seconds read better in the report).
fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 1000) * 1000)
        .unwrap_or(0)
}

/// Read the samples the flags name: `file`, or Prometheus' answer to the range query
/// (`--from`/`--to` its range), at most `limit` bytes either way. `None` when neither is given.
fn load_samples(
    file: Option<&Path>,
    prom: &PrometheusArgs,
    from: Option<WindowBound>,
    to: Option<WindowBound>,
    limit: u64,
) -> Option<SamplesIn> {
    if let Some(path) = file {
        return Some(SamplesIn {
            name: path.display().to_string(),
            text: read(path, limit),
            query: None,
        });
    }
    let request = prom.request(from, to, now_ms())?;
    Some(match request {
        Ok((q, access)) => SamplesIn {
            name: q.describe(),
            text: crate::prometheus::fetch(&q, &access, limit).map_err(|e| e.to_string()),
            query: Some(q),
        },
        Err(e) => SamplesIn {
            name: prom.prometheus.clone().unwrap_or_default(),
            text: Err(e.to_string()),
            query: None,
        },
    })
}

/// Why the samples file `file` cannot be read, at its line and column.
fn bad_samples(file: &str, e: &samples::SampleError) -> String {
    format!(
        "bad samples file: {} ({file}:{}:{})",
        e.message(),
        e.line,
        e.column
    )
}

/// The import report as text: a header line, one line per note, and the per-pod scale when it
/// differs from the registry's.
fn render_import(file: &str, imp: &ImportReport) -> String {
    let mut out = format!(
        "samples {file}: {}, {} series{}\n",
        imp.format.as_str(),
        imp.series,
        imp.metric
            .as_deref()
            .map(|m| format!(" of `{m}`"))
            .unwrap_or_default()
    );
    for n in &imp.notes {
        out.push_str(&format!("  {}\n", samples::note_text(n)));
    }
    if let Some(s) = &imp.scale {
        out.push_str(&format!(
            "  note: per-pod values are on a 0–{} scale (median {}, max {}) for a metric the registry bounds at {}: the replay caps each pod at {}\n",
            scalelens_core::display::Num(s.bound), scalelens_core::display::Num(s.median), scalelens_core::display::Num(s.max),
            scalelens_core::display::Num(s.registry_bound), scalelens_core::display::Num(s.bound)
        ));
    }
    out
}

/// The samples import as JSON (`"samples"` in `check`/`simulate`/`explain --format json`).
fn import_json(file: &str, imp: &ImportReport, asked: Interpretation) -> serde_json::Value {
    serde_json::json!({
        "file": file,
        "format": imp.format.as_str(),
        "metric": imp.metric,
        "series": imp.series,
        "time_base": imp.time_base,
        "interpretation": {"asked": asked.as_str(), "used": imp.interpretation.as_str()},
        "notes": imp.notes.iter().map(json::NoteJson::from).collect::<Vec<_>>(),
        "per_pod_bound": imp.scale.map(|sc| sc.bound),
    })
}

/// The diagnostics about the YAML that `keep` selects, in output order.
fn yaml_diagnostics(findings: &[Finding], keep: impl Fn(&Finding) -> bool) -> Vec<Diagnostic> {
    findings
        .iter()
        .filter(|f| f.input == InputText::Yaml && keep(f))
        .map(|f| f.diagnostic.clone())
        .collect()
}

/// Whether the YAML could not be read (a syntax error or a limit): then no autoscaler is the
/// consequence, and the error saying so is the whole story.
fn yaml_unreadable(diags: &[Diagnostic]) -> bool {
    diags
        .iter()
        .any(|d| d.code == Code::YamlSyntax || d.code == Code::YamlLimit)
}

fn no_autoscaler_message(file: &str, name: Option<&str>) -> String {
    match name {
        Some(name) => format!("no autoscaler named {name:?} in {file}"),
        None => format!("no autoscaler found in {file}"),
    }
}

/// The error for a `--prometheus` flag given without `--prometheus`.
fn stray_prometheus_flag(prom: &PrometheusArgs, io: &mut Io<'_>) -> Option<u8> {
    let flag = prom.stray_flag()?;
    let _ = writeln!(
        io.err,
        "error: {flag} applies to --prometheus URL, which is not given"
    );
    Some(EXIT_UNUSABLE)
}

/// One checked file's report, kept for the formats that write one document for all files.
struct Checked {
    file: String,
    diags: Vec<Diagnostic>,
    samples: Option<serde_json::Value>,
}

fn check(args: &CheckArgs, limit: u64, style: text::Style, io: &mut Io<'_>) -> u8 {
    if let Some(code) = stray_prometheus_flag(&args.prometheus, io) {
        return code;
    }
    let several = args.config.len() > 1;
    if several && (args.samples.is_some() || args.prometheus.prometheus.is_some()) {
        let _ = writeln!(
            io.err,
            "error: --samples and --prometheus check one CONFIG file against the data; {} files are given",
            args.config.len()
        );
        return EXIT_UNUSABLE;
    }
    let mut code = EXIT_OK;
    let mut checked = Vec::new();
    for path in &args.config {
        let (c, report) = check_file(args, path, several, limit, style, io);
        code = code.max(c);
        checked.extend(report);
    }
    let rendered = match args.format {
        CheckFormat::Json if several => {
            let docs: Vec<String> = checked
                .iter()
                .map(|c| json::render_check_with_samples(&c.file, &c.diags, c.samples.as_ref()))
                .collect();
            format!(
                "[{}]\n",
                docs.iter()
                    .map(|d| d.trim_end())
                    .collect::<Vec<_>>()
                    .join(",\n")
            )
        }
        CheckFormat::Json => checked
            .iter()
            .map(|c| json::render_check_with_samples(&c.file, &c.diags, c.samples.as_ref()))
            .collect(),
        CheckFormat::Sarif => {
            let files: Vec<(&str, &[Diagnostic])> = checked
                .iter()
                .map(|c| (c.file.as_str(), c.diags.as_slice()))
                .collect();
            sarif::render_files(&files)
        }
        CheckFormat::Text | CheckFormat::Github => String::new(),
    };
    let _ = io.out.write_all(rendered.as_bytes());
    code
}

/// Check one file: text and GitHub output are written here, file by file; JSON and SARIF
/// reports are returned, for [`check`] to write one document for every file. A file without an
/// autoscaler is skipped (exit 0) under `--skip-without-autoscaler` when nothing in it is an
/// error.
fn check_file(
    args: &CheckArgs,
    path: &Path,
    several: bool,
    limit: u64,
    style: text::Style,
    io: &mut Io<'_>,
) -> (u8, Option<Checked>) {
    let file = path.display().to_string();
    let source = match read(path, limit) {
        Ok(s) => s,
        Err(msg) => {
            let _ = writeln!(io.err, "error: {msg}");
            return (EXIT_UNUSABLE, None);
        }
    };
    let samples_in = load_samples(
        args.samples.as_deref(),
        &args.prometheus,
        args.from,
        args.to,
        limit,
    );
    let asked = SamplesAre::interpretation(args.samples_are);
    let out = pipeline::run(&PipelineInput {
        yaml: &source,
        demand: match samples_in.as_ref().map(|s| &s.text) {
            Some(Ok(text)) => DemandInput::SamplesFile(text),
            _ => DemandInput::None,
        },
        options: args.cluster.options(PipelineOptions {
            autoscaler: args.name.clone(),
            metric_outage: args.metric_outage,
            samples_are: asked,
            window: args.window(),
            max_evaluations: args.max_evaluations,
            ..PipelineOptions::default()
        }),
    });
    // The samples are read for the selected autoscaler: without one, there is nothing to say
    // about them.
    let mut import_text = String::new();
    let mut import_doc = None;
    if let (Some(samples_in), Some(_)) = (&samples_in, &out.selected) {
        let samples_file = &samples_in.name;
        if let Err(msg) = &samples_in.text {
            let _ = writeln!(io.err, "error: {msg}");
            return (EXIT_UNUSABLE, None);
        }
        if let Some(e) = &out.samples_error {
            let _ = writeln!(io.err, "error: {}", samples_in.import_error(e));
            return (EXIT_UNUSABLE, None);
        }
        if let Some(NotReplayed::Window(e)) = &out.not_replayed {
            let _ = writeln!(io.err, "error: {e}");
            return (EXIT_UNUSABLE, None);
        }
        if let Some(imp) = &out.import {
            import_text = render_import(samples_file, imp);
            if let Some(why @ NotReplayed::ConfigErrors(_)) = &out.not_replayed {
                import_text.push_str(&format!("  the samples were not replayed: {why}\n"));
            }
            import_doc = Some(import_json(samples_file, imp, asked));
        }
    }
    // Without --name the whole file is checked: every autoscaler's diagnostics, and no note
    // about which one the samples were replayed with. The simulator's notes (defaults taken)
    // are `simulate`'s to show.
    let whole_file = args.name.is_none();
    let mut diags = yaml_diagnostics(&out.findings, |f| match f.step {
        Step::Select => !whole_file,
        Step::Replay => f.diagnostic.severity != Severity::Note,
        _ => true,
    });
    if whole_file && !out.about_others.is_empty() {
        // First, as the YAML's diagnostics were reported before the other steps'.
        diags.splice(0..0, out.about_others.iter().cloned());
        diagnostic::sort(&mut diags);
    }
    // Only "no autoscaler" itself may be an error in a skipped file.
    let skipped = out.selected.is_none()
        && args.skip_without_autoscaler
        && !diags
            .iter()
            .any(|d| d.severity == Severity::Error && d.code != Code::NoAutoscaler);
    if skipped {
        if args.format == CheckFormat::Text {
            let _ = writeln!(io.err, "note: {file}: no autoscaler in it, skipped");
        }
        return (EXIT_OK, None);
    }
    let src = SourceFile::new(&file, &source);
    if args.format == CheckFormat::Text {
        let _ = io.out.write_all(import_text.as_bytes());
        if !import_text.is_empty() {
            let _ = io.out.write_all(b"\n");
        }
    } else {
        let _ = io.err.write_all(import_text.as_bytes());
    }
    let rendered = match args.format {
        // Several files: say which one has nothing to report.
        CheckFormat::Text if several && diags.is_empty() => format!("{file}: no problems found\n"),
        CheckFormat::Text => text::render_diagnostics(&src, &diags, style),
        CheckFormat::Github => github::render(&file, &diags),
        CheckFormat::Json | CheckFormat::Sarif => String::new(),
    };
    let _ = io.out.write_all(rendered.as_bytes());
    let code = if out.selected.is_none() {
        // Unreadable YAML: the report above is the cause, one error; no second one after it.
        if !(args.format == CheckFormat::Text && yaml_unreadable(&diags)) {
            let _ = writeln!(
                io.err,
                "error: {}",
                no_autoscaler_message(&file, args.name.as_deref())
            );
        }
        EXIT_UNUSABLE
    } else if has_errors(&diags) {
        EXIT_ERRORS
    } else {
        EXIT_OK
    };
    let report = matches!(args.format, CheckFormat::Json | CheckFormat::Sarif).then(|| Checked {
        file,
        diags,
        samples: import_doc,
    });
    (code, report)
}

fn autoscaler_label(a: &Autoscaler) -> String {
    match &a.namespace {
        Some(ns) => format!("{} {ns}/{}", a.kind, a.name),
        None => format!("{} {}", a.kind, a.name),
    }
}

fn initial_replicas_from(args: &ReplayArgs, file: &str, a: &Autoscaler, initial: u32) -> String {
    if args.initial_replicas.is_some() {
        return "--initial-replicas".to_string();
    }
    match &a.initial_replicas {
        Some(p) if p.value == initial => p.origin.describe(Some(file), "default, "),
        _ if a.min_replicas.value == initial => "minReplicas".to_string(),
        _ => "simulator default; set with --initial-replicas".to_string(),
    }
}

/// The demand file of a replay, read (a demand CSV is parsed here: its errors are the CLI's).
enum DemandFile {
    Csv(DemandSeries),
    Samples(String),
}

/// Read and parse every `--demand` (`FILE` or `NAME=FILE`) into one series per metric
/// ([`demand::combine`]), or say which file is wrong and why.
fn load_demand(args: &[crate::args::DemandArg], limit: u64) -> Result<DemandFile, String> {
    let mut parts = Vec::with_capacity(args.len());
    for a in args {
        let file = a.path.display().to_string();
        let text = read(&a.path, limit)?;
        let mut series = demand::parse_csv(&text).map_err(|e| {
            format!(
                "bad demand CSV: {} ({file}:{}:{})",
                e.message, e.line, e.column
            )
        })?;
        if let Some(name) = &a.name {
            if !series.others.is_empty() {
                return Err(format!(
                    "bad demand CSV: `--demand {name}=FILE` takes a file with one value column; \
                     {file} has {}: give it as `--demand {file}`",
                    series.others.len() + 1
                ));
            }
            if let Some(column) = series.name.as_deref().filter(|c| *c != name) {
                return Err(format!(
                    "bad demand CSV: {file} names its column `{column}`, not `{name}`: rename the \
                     column to `value` or `{name}`"
                ));
            }
            series.name = Some(name.clone());
        }
        parts.push(series);
    }
    demand::combine(parts)
        .map(DemandFile::Csv)
        .map_err(|e| format!("bad demand: {e}"))
}

/// A replay of `--demand` or `--samples` by the pipeline, for `simulate` and `explain`.
struct Replay {
    /// The config's text.
    source: String,
    /// The demand file's name.
    demand_file: String,
    /// The autoscaler as the YAML reads it.
    as_read: Autoscaler,
    /// The autoscaler replayed (with the samples' per-pod bound when they are on a percent
    /// scale).
    replayed: Autoscaler,
    output: SimOutput,
    findings: Vec<Finding>,
    /// The import report as text (empty for `--demand`).
    import_text: String,
    /// The import report as JSON (`None` for `--demand`).
    import_json: Option<serde_json::Value>,
    /// The Unix time (ms) of the replay's time 0 when the input's times are absolute.
    epoch_start: Option<i64>,
    /// The replay's first time in the input's time base (after `--from`).
    offset: Millis,
}

/// Read the config and the demand and replay them. On failure, prints why (the diagnostics
/// too when no autoscaler is usable) and gives the exit code.
fn replay(
    args: &ReplayArgs,
    limit: u64,
    style: text::Style,
    io: &mut Io<'_>,
) -> Result<Replay, u8> {
    let file = args.config.display().to_string();
    if let Some(code) = stray_prometheus_flag(&args.prometheus, io) {
        return Err(code);
    }
    if args.demand.is_empty() && args.samples.is_none() && args.prometheus.prometheus.is_none() {
        let _ = writeln!(
            io.err,
            "error: give --demand FILE.csv, --samples FILE or --prometheus URL --query PROMQL"
        );
        return Err(EXIT_UNUSABLE);
    }
    let source = read(&args.config, limit).map_err(|msg| {
        let _ = writeln!(io.err, "error: {msg}");
        EXIT_UNUSABLE
    })?;
    let (demand_file, loaded, samples_in) = match args.demand.as_slice() {
        [_, ..] => {
            let demand_file = args
                .demand
                .iter()
                .map(|d| d.path.display().to_string())
                .collect::<Vec<_>>()
                .join(", ");
            (demand_file, load_demand(&args.demand, limit), None)
        }
        [] => {
            let Some(mut s) = load_samples(
                args.samples.as_deref(),
                &args.prometheus,
                args.from,
                args.to,
                limit,
            ) else {
                let _ = writeln!(io.err, "error: give --samples FILE or --prometheus URL");
                return Err(EXIT_UNUSABLE);
            };
            let text = std::mem::replace(&mut s.text, Err(String::new()));
            (s.name.clone(), text.map(DemandFile::Samples), Some(s))
        }
    };
    let mut out = pipeline::run(&PipelineInput {
        yaml: &source,
        demand: match &loaded {
            Ok(DemandFile::Csv(series)) => DemandInput::Series(series),
            Ok(DemandFile::Samples(text)) => DemandInput::SamplesFile(text),
            Err(_) => DemandInput::None,
        },
        options: args.pipeline_options(),
    });
    // No autoscaler comes first, then the demand's problems.
    if out.selected.is_none() {
        let src = SourceFile::new(&file, &source);
        let diags = yaml_diagnostics(&out.findings, |_| true);
        let _ = io
            .err
            .write_all(text::render_diagnostics(&src, &diags, style).as_bytes());
        // Unreadable YAML: the report above is the cause, one error; no second one after it.
        if !yaml_unreadable(&diags) {
            let _ = writeln!(
                io.err,
                "error: {}",
                no_autoscaler_message(&file, args.name.as_deref())
            );
        }
        return Err(EXIT_UNUSABLE);
    }
    let loaded = loaded.map_err(|msg| {
        let _ = writeln!(io.err, "error: {msg}");
        EXIT_UNUSABLE
    })?;
    if let Some(e) = &out.samples_error {
        let msg = match &samples_in {
            Some(s) => s.import_error(e),
            None => bad_samples(&demand_file, e),
        };
        let _ = writeln!(io.err, "error: {msg}");
        return Err(EXIT_UNUSABLE);
    }
    let (import_text, import_json) = match (&loaded, &out.import) {
        (DemandFile::Samples(_), Some(imp)) => (
            render_import(&demand_file, imp),
            Some(import_json(
                &demand_file,
                imp,
                SamplesAre::interpretation(args.samples_are),
            )),
        ),
        // A demand CSV has no import report; unreadable samples were reported above.
        _ => (String::new(), None),
    };
    // Not replayed: the errors first (they are the answer), then why there is no timeline.
    if let Some(why) = &out.not_replayed {
        let src = SourceFile::new(&file, &source);
        let diags = yaml_diagnostics(&out.findings, |f| {
            matches!(f.step, Step::Config | Step::Select | Step::Replay)
        });
        let _ = io.err.write_all(import_text.as_bytes());
        let _ = io
            .err
            .write_all(text::render_diagnostics(&src, &diags, style).as_bytes());
        return Err(match why {
            NotReplayed::ConfigErrors(_) => {
                let label = out
                    .as_read
                    .as_ref()
                    .map(autoscaler_label)
                    .unwrap_or_default();
                let _ = writeln!(
                    io.err,
                    "error: not replaying {label}: {why}; fix them and run again"
                );
                EXIT_ERRORS
            }
            // The `replay-window` / `replay-too-long` error above says why and what to do.
            NotReplayed::Window(_) | NotReplayed::TooLong(_) => EXIT_UNUSABLE,
        });
    }
    let start = out.replay_start.unwrap_or_default();
    let replayed = out.autoscaler().cloned();
    let (Some(as_read), Some(replayed), Some(output)) =
        (out.as_read.take(), replayed, out.sim.take())
    else {
        let _ = writeln!(io.err, "{import_text}error: no demand in {demand_file}");
        return Err(EXIT_UNUSABLE);
    };
    Ok(Replay {
        source,
        demand_file,
        as_read,
        replayed,
        output,
        findings: out.findings,
        import_text,
        import_json,
        epoch_start: start.epoch_start,
        offset: start.offset,
    })
}

fn simulate(args: &SimulateArgs, limit: u64, style: text::Style, io: &mut Io<'_>) -> u8 {
    let r = match replay(&args.replay, limit, style, io) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let file = args.replay.config.display().to_string();
    let src = SourceFile::new(&file, &r.source);
    let autoscaler = &r.as_read;
    let output = &r.output;
    // The YAML's own diagnostics and the simulator's; the checks of the samples and of the
    // timeline are `check`'s to show.
    let diags = yaml_diagnostics(&r.findings, |f| {
        matches!(f.step, Step::Config | Step::Select | Step::Replay)
    });

    if let Some(path) = &args.chart {
        if let Err(msg) = write_chart(path, autoscaler, output) {
            let _ = writeln!(io.err, "error: {msg}");
            return EXIT_UNUSABLE;
        }
    }

    let import_text = &r.import_text;
    let report = SimReport {
        file: &file,
        demand_file: &r.demand_file,
        upstream: autoscaler.upstream(),
        autoscaler_label: autoscaler_label(autoscaler),
        autoscaler: serde_json::to_value(autoscaler).unwrap_or(serde_json::Value::Null),
        initial_replicas_from: initial_replicas_from(
            &args.replay,
            &file,
            autoscaler,
            output.initial_replicas,
        ),
        output,
        diagnostics: &diags,
        samples: r.import_json.clone(),
        metric_names: autoscaler
            .metrics
            .iter()
            .map(|m| m.name.value.clone())
            .collect(),
    };
    let diag_text = || text::render_diagnostics(&src, &diags, style);
    match args.format {
        SimulateFormat::Text => {
            let mut s = import_text.clone();
            if !s.is_empty() {
                s.push('\n');
            }
            s.push_str(&timeline::render_text(&report));
            if !diags.is_empty() {
                s.push('\n');
                s.push_str(&diag_text());
            }
            let _ = io.out.write_all(s.as_bytes());
        }
        SimulateFormat::Json => {
            let _ = io.err.write_all(import_text.as_bytes());
            let _ = io
                .out
                .write_all(json::render_simulation(&report).as_bytes());
        }
        SimulateFormat::Csv => {
            let _ = io.err.write_all(import_text.as_bytes());
            let _ = io.out.write_all(timeline::render_csv(output).as_bytes());
            if !diags.is_empty() {
                let _ = io.err.write_all(diag_text().as_bytes());
            }
        }
    }
    if has_errors(&diags) {
        EXIT_ERRORS
    } else {
        EXIT_OK
    }
}

/// Parse `--at`: RFC 3339 (needs `epoch_start`, the Unix ms of the demand's time 0), `h:mm:ss`,
/// a duration (`15m`) or seconds (`900`). The result is in the timeline's time base (the demand
/// file's times; `offset` is the demand's first time there).
pub fn parse_at(s: &str, offset: Millis, epoch_start: Option<i64>) -> Result<Millis, String> {
    let s = s.trim();
    if let Some(ms) = scalelens_core::rfc3339::parse(s) {
        let Some(start) = epoch_start else {
            return Err(format!(
                "--at {s:?} is an RFC 3339 time, but the input's times are relative (seconds from the start): give a time like 15m or 900"
            ));
        };
        return match ms.checked_sub(start) {
            Some(d) if d >= 0 => Ok(offset.saturating_add(d.unsigned_abs())),
            _ => Err(format!(
                "--at {s:?} is before the input's first time ({})",
                scalelens_core::display::Utc(start)
            )),
        };
    }
    let parts: Vec<&str> = s.split(':').collect();
    if parts.len() == 3 || parts.len() == 2 {
        let nums: Option<Vec<u64>> = parts.iter().map(|p| p.parse::<u64>().ok()).collect();
        if let Some(n) = nums {
            let secs = n
                .iter()
                .fold(0u64, |acc, x| acc.saturating_mul(60).saturating_add(*x));
            return Ok(secs.saturating_mul(1000));
        }
    }
    crate::duration::parse_arg(s).map_err(|e| {
        format!(
            "bad --at {s:?}: {e}; give a time like 15m, 1h2m, 0:40:00, seconds (900) or an RFC 3339 time"
        )
    })
}

/// `scalelens rule CODE` / `--all`: the docs from the code registry. An unknown code is
/// unusable input (exit 2) with the closest codes.
fn rule(args: &RuleArgs, io: &mut Io<'_>) -> u8 {
    use crate::render::rule as r;
    let text = match (&args.code, args.format) {
        (None, RuleFormat::Text) => r::render_all_text(),
        (None, RuleFormat::Json) => r::render_all_json(),
        (Some(typed), format) => match Code::from_str_opt(typed.trim()) {
            Some(code) if format == RuleFormat::Text => r::render_text(code),
            Some(code) => r::render_json(code),
            None => {
                let _ = io.err.write_all(r::unknown_code_message(typed).as_bytes());
                return EXIT_UNUSABLE;
            }
        },
    };
    let _ = io.out.write_all(text.as_bytes());
    EXIT_OK
}

fn explain(args: &ExplainArgs, limit: u64, style: text::Style, io: &mut Io<'_>) -> u8 {
    let r = match replay(&args.replay, limit, style, io) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let file = args.replay.config.display().to_string();
    let autoscaler = &r.replayed;
    let output = &r.output;
    let (at, why) = match &args.at {
        Some(at) => match parse_at(at, r.offset, r.epoch_start) {
            Ok(t) => (t, None),
            Err(msg) => {
                let _ = writeln!(io.err, "error: {msg}");
                return EXIT_UNUSABLE;
            }
        },
        None => match scalelens_core::explain::interesting_moment(autoscaler, output) {
            Some((t, kind)) => (t, Some(kind)),
            None => {
                let _ = writeln!(io.err, "error: the replay has no evaluations to explain");
                return EXIT_UNUSABLE;
            }
        },
    };
    let ex = match scalelens_core::explain::explain(autoscaler, output, at, args.around) {
        Ok(ex) => ex,
        Err(e) => {
            let _ = writeln!(io.err, "error: --at: {e}");
            return EXIT_UNUSABLE;
        }
    };
    match args.format {
        ExplainFormat::Text => {
            let mut s = r.import_text.clone();
            if !s.is_empty() {
                s.push('\n');
            }
            if let Some(kind) = why {
                s.push_str(&format!(
                    "No --at given: explaining {} ({}).\n",
                    kind.describe(),
                    scalelens_core::display::Clock(at)
                ));
            }
            s.push_str(&crate::render::explain::render_text(&ex, Some(&file)));
            let _ = io.out.write_all(s.as_bytes());
        }
        ExplainFormat::Json => {
            let _ = io.err.write_all(r.import_text.as_bytes());
            let doc = serde_json::json!({
                "file": file,
                "demand_file": r.demand_file,
                "samples": r.import_json,
                "at_chosen_as": why,
                "explanation": ex,
            });
            let _ = io.out.write_all(json::to_string(&doc).as_bytes());
        }
    }
    EXIT_OK
}
