//! `check` and `simulate`: read the files, call the core, render.

use std::ffi::OsString;
use std::io::Write;
use std::path::Path;

use clap::Parser;

use scalelens_core::config::{self, Parsed};
use scalelens_core::demand;
use scalelens_core::diagnostic::{self, has_errors};
use scalelens_core::sim::{self, SimOptions};
use scalelens_core::span::Origin;
use scalelens_core::{Autoscaler, Diagnostic, Millis};

use scalelens_core::analysis;
use scalelens_core::samples::{self, Hints, ImportNote, Interpretation, Samples};

use crate::args::{
    CheckArgs, CheckFormat, Cli, ColorChoice, Command, ExplainArgs, ExplainFormat, SamplesAre,
    SimulateArgs, SimulateFormat,
};
use crate::render::timeline::SimReport;
use crate::render::{github, json, sarif, text, timeline};
use crate::select::select;
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
    let code = match &cli.command {
        Command::Check(args) => check(args, style, io),
        Command::Simulate(args) => simulate(args, style, io),
        Command::Explain(args) => explain(args, style, io),
    };
    let _ = io.out.flush();
    code
}

/// Read a UTF-8 text file, or say why not.
/// Size of the `--chart` SVG, in pixels.
const CHART_SIZE: (u32, u32) = (1200, 800);

fn write_chart(
    path: &Path,
    autoscaler: &Autoscaler,
    output: &sim::SimOutput,
) -> Result<(), String> {
    let input = scalelens_chart::ChartInput::new(autoscaler, output);
    let svg = scalelens_chart::render_svg(&input, CHART_SIZE.0, CHART_SIZE.1)
        .map_err(|e| format!("cannot draw the chart for {}: {e}", path.display()))?;
    std::fs::write(path, svg).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn read(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "cannot read {}: not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// Read and import a samples file for `autoscaler`'s metric. On failure, the message to print
/// (with file:line:column for malformed input).
fn load_samples(path: &Path, autoscaler: &Autoscaler) -> Result<Samples, String> {
    let file = path.display().to_string();
    let text = read(path)?;
    let hints = Hints {
        metric: autoscaler.metrics.first().map(|m| m.name.value.clone()),
        ..Hints::default()
    };
    let parsed = match samples::detect_and_parse(&text, &hints) {
        // The file may name the metric differently (a recording rule): take what it holds.
        Err(e) if matches!(e.kind, samples::ErrorKind::MetricNotFound { .. }) => {
            samples::detect_and_parse(&text, &Hints::default())
        }
        r => r,
    };
    parsed.map_err(|e| {
        format!(
            "bad samples file: {} ({file}:{}:{})",
            e.message(),
            e.line,
            e.column
        )
    })
}

/// The import report as text: a header line and one line per note.
fn render_import(file: &str, s: &Samples, notes: &[&ImportNote]) -> String {
    let mut out = format!(
        "samples {file}: {}, {} series{}\n",
        s.format.as_str(),
        s.series.len(),
        s.metric
            .as_deref()
            .map(|m| format!(" of `{m}`"))
            .unwrap_or_default()
    );
    for n in notes {
        out.push_str(&format!("  {n}\n"));
    }
    out
}

/// The samples' demand and the notes of both steps (import, then conversion).
fn samples_demand(
    s: &Samples,
    how: Option<SamplesAre>,
) -> (demand::DemandSeries, Vec<ImportNote>, Interpretation) {
    let interp = SamplesAre::interpretation(how);
    let (d, notes) = samples::to_demand(s, interp);
    (d, notes, interp)
}

/// The samples import as JSON (`"samples"` in `check`/`simulate`/`explain --format json`).
fn import_json(
    file: &str,
    s: &Samples,
    asked: Interpretation,
    notes: &[&ImportNote],
) -> serde_json::Value {
    let used = samples::resolve_interpretation(s, asked);
    serde_json::json!({
        "file": file,
        "format": s.format.as_str(),
        "metric": s.metric,
        "series": s.series.len(),
        "time_base": s.time_base,
        "interpretation": {"asked": asked.as_str(), "used": used.as_str()},
        "notes": notes,
    })
}

/// The demand of a replay, from `--demand` or `--samples`, and the import report.
struct LoadedDemand {
    series: demand::DemandSeries,
    /// The import report as text (empty for `--demand`).
    import_text: String,
    /// The import report as JSON (`None` for `--demand`).
    import_json: Option<serde_json::Value>,
    /// The Unix time (ms) of the demand's time 0 when the input's times are absolute.
    epoch_start: Option<i64>,
    /// The samples' per-pod scale when it differs from the metric registry's (percent data
    /// for a 0–1 metric).
    scale: Option<sim::SamplesScale>,
}

impl LoadedDemand {
    /// The autoscaler to replay: its metric's per-pod bound on the data's scale.
    fn replayed(&self, a: &Autoscaler) -> Autoscaler {
        match &self.scale {
            Some(s) => s.apply(a),
            None => a.clone(),
        }
    }
}

/// The import-report line about a per-pod scale that differs from the registry's.
fn scale_line(s: &sim::SamplesScale) -> String {
    format!(
        "  note: per-pod values are on a 0–{} scale (median {}, max {}) for a metric the registry bounds at {}: the replay caps each pod at {}\n",
        s.bound, s.median, s.max, s.registry_bound, s.bound
    )
}

/// Read `--demand FILE.csv` or `--samples FILE` for `autoscaler`. On failure, what to print on
/// stderr (already with `error: `).
fn load_demand(
    demand_path: Option<&Path>,
    samples_path: Option<&Path>,
    samples_are: Option<SamplesAre>,
    autoscaler: &Autoscaler,
) -> Result<LoadedDemand, String> {
    match (demand_path, samples_path) {
        (None, Some(path)) => {
            let file = path.display().to_string();
            let s = load_samples(path, autoscaler).map_err(|m| format!("error: {m}\n"))?;
            let (d, conv_notes, interp) = samples_demand(&s, samples_are);
            let notes: Vec<&ImportNote> = s.notes.iter().chain(conv_notes.iter()).collect();
            let scale = sim::samples_scale(autoscaler, &s, interp);
            let mut import_text = render_import(&file, &s, &notes);
            let mut doc = import_json(&file, &s, interp, &notes);
            if let Some(sc) = &scale {
                import_text.push_str(&scale_line(sc));
            }
            doc["per_pod_bound"] = serde_json::json!(scale.map(|sc| sc.bound));
            if d.points.is_empty() {
                return Err(format!("{import_text}error: no demand in {file}\n"));
            }
            let epoch_start = (s.time_base == samples::TimeBase::Epoch)
                .then(|| {
                    s.series
                        .iter()
                        .filter_map(|x| x.points.first().map(|p| p.0))
                        .min()
                })
                .flatten();
            Ok(LoadedDemand {
                series: d,
                import_json: Some(doc),
                import_text,
                epoch_start,
                scale,
            })
        }
        (Some(path), _) => {
            let file = path.display().to_string();
            let text = read(path).map_err(|m| format!("error: {m}\n"))?;
            let series = demand::parse_csv(&text).map_err(|e| {
                format!(
                    "error: bad demand CSV: {} ({file}:{}:{})\n",
                    e.message, e.line, e.column
                )
            })?;
            Ok(LoadedDemand {
                series,
                import_text: String::new(),
                import_json: None,
                epoch_start: rfc3339_start(&text),
                scale: None,
            })
        }
        (None, None) => Err("error: give --demand FILE.csv or --samples FILE\n".to_string()),
    }
}

/// The first row's time of a demand CSV whose times are RFC 3339 (Unix ms), else `None`.
fn rfc3339_start(text: &str) -> Option<i64> {
    let mut rows = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'));
    let header = rows.next()?;
    let col = header
        .split(',')
        .position(|h| h.trim().trim_matches('"').eq_ignore_ascii_case("time"))?;
    let first = rows.next()?;
    let field = first.split(',').nth(col)?.trim().trim_matches('"');
    demand::parse_rfc3339(field)
}

fn no_autoscaler_message(file: &str, name: Option<&str>) -> String {
    match name {
        Some(name) => format!("no autoscaler named {name:?} in {file}"),
        None => format!("no autoscaler found in {file}"),
    }
}

fn check(args: &CheckArgs, style: text::Style, io: &mut Io<'_>) -> u8 {
    let file = args.config.display().to_string();
    let source = match read(&args.config) {
        Ok(s) => s,
        Err(msg) => {
            let _ = writeln!(io.err, "error: {msg}");
            return EXIT_UNUSABLE;
        }
    };
    let parsed = config::parse_with(&source, &args.aibrix_version.parse_options());
    let mut diags = parsed.diagnostics.clone();
    let mut usable = true;
    if args.name.is_some() || parsed.autoscalers.is_empty() {
        let (chosen, about_choice) = select(&parsed, args.name.as_deref());
        diags.extend(about_choice);
        match chosen {
            Some(a) => diags = parsed.only_about(a, diags),
            None => usable = false,
        }
    }
    let mut import_text = String::new();
    let mut import_doc = None;
    if let Some(path) = &args.samples {
        let (chosen, _) = select(&parsed, args.name.as_deref());
        if let Some(a) = chosen {
            let samples_file = path.display().to_string();
            let s = match load_samples(path, a) {
                Ok(s) => s,
                Err(msg) => {
                    let _ = writeln!(io.err, "error: {msg}");
                    return EXIT_UNUSABLE;
                }
            };
            let (demand, conv_notes, interp) = samples_demand(&s, args.samples_are);
            let notes: Vec<&ImportNote> = s.notes.iter().chain(conv_notes.iter()).collect();
            import_text = render_import(&samples_file, &s, &notes);
            let mut doc = import_json(&samples_file, &s, interp, &notes);
            let scale = sim::samples_scale(a, &s, interp);
            if let Some(sc) = &scale {
                import_text.push_str(&scale_line(sc));
                sc.defer_static(a, &mut diags);
            }
            doc["per_pod_bound"] = serde_json::json!(scale.map(|sc| sc.bound));
            import_doc = Some(doc);
            diags.extend(analysis::check_samples(a, &s, interp));
            if !demand.points.is_empty() {
                let replayed = match &scale {
                    Some(sc) => sc.apply(a),
                    None => a.clone(),
                };
                let a = &replayed;
                let out = sim::simulate(a, &demand, &SimOptions::default());
                diags.extend(
                    out.diagnostics
                        .iter()
                        .filter(|d| d.severity != diagnostic::Severity::Note)
                        .cloned(),
                );
                diags.extend(analysis::check_timeline(a, &out));
            }
        }
    }
    diagnostic::sort(&mut diags);
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
        CheckFormat::Text => text::render_diagnostics(&src, &diags, style),
        CheckFormat::Json => json::render_check_with_samples(&file, &diags, import_doc.as_ref()),
        CheckFormat::Sarif => sarif::render(&file, &diags),
        CheckFormat::Github => github::render(&file, &diags),
    };
    let _ = io.out.write_all(rendered.as_bytes());
    if !usable {
        let _ = writeln!(
            io.err,
            "error: {}",
            no_autoscaler_message(&file, args.name.as_deref())
        );
        return EXIT_UNUSABLE;
    }
    if has_errors(&diags) {
        EXIT_ERRORS
    } else {
        EXIT_OK
    }
}

fn autoscaler_label(a: &Autoscaler) -> String {
    match &a.namespace {
        Some(ns) => format!("{} {ns}/{}", a.kind, a.name),
        None => format!("{} {}", a.kind, a.name),
    }
}

fn initial_replicas_from(args: &SimulateArgs, file: &str, a: &Autoscaler, initial: u32) -> String {
    if args.initial_replicas.is_some() {
        return "--initial-replicas".to_string();
    }
    match &a.initial_replicas {
        Some(p) if p.value == initial => match p.origin {
            Origin::Yaml { line, column, .. } => format!("{file}:{line}:{column}"),
            Origin::Default { source } => format!("default, {source}"),
        },
        _ if a.min_replicas.value == initial => "minReplicas".to_string(),
        _ => "simulator default; set with --initial-replicas".to_string(),
    }
}

/// The autoscaler to replay and the diagnostics so far (parse + choice). When there is none,
/// prints the diagnostics and why to stderr and gives the exit code.
fn choose<'p>(
    parsed: &'p Parsed,
    src: &SourceFile,
    name: Option<&str>,
    style: text::Style,
    io: &mut Io<'_>,
) -> Result<(&'p Autoscaler, Vec<Diagnostic>), u8> {
    let (chosen, about_choice) = select(parsed, name);
    let mut diags = parsed.diagnostics.clone();
    diags.extend(about_choice);
    let Some(autoscaler) = chosen else {
        diagnostic::sort(&mut diags);
        let _ = io
            .err
            .write_all(text::render_diagnostics(src, &diags, style).as_bytes());
        let _ = writeln!(io.err, "error: {}", no_autoscaler_message(src.name, name));
        return Err(EXIT_UNUSABLE);
    };
    Ok((autoscaler, diags))
}

fn simulate(args: &SimulateArgs, style: text::Style, io: &mut Io<'_>) -> u8 {
    let file = args.config.display().to_string();
    let demand_path = match (&args.demand, &args.samples) {
        (Some(p), _) | (None, Some(p)) => p,
        (None, None) => {
            let _ = writeln!(io.err, "error: give --demand FILE.csv or --samples FILE");
            return EXIT_UNUSABLE;
        }
    };
    let demand_file = demand_path.display().to_string();
    let source = match read(&args.config) {
        Ok(s) => s,
        Err(msg) => {
            let _ = writeln!(io.err, "error: {msg}");
            return EXIT_UNUSABLE;
        }
    };
    let src = SourceFile::new(&file, &source);
    let parsed = config::parse_with(&source, &args.aibrix_version.parse_options());
    let (autoscaler, diags) = match choose(&parsed, &src, args.name.as_deref(), style, io) {
        Ok(chosen) => chosen,
        Err(code) => return code,
    };
    let mut diags = parsed.only_about(autoscaler, diags);

    let loaded = match load_demand(
        args.demand.as_deref(),
        args.samples.as_deref(),
        args.samples_are,
        autoscaler,
    ) {
        Ok(l) => l,
        Err(msg) => {
            let _ = io.err.write_all(msg.as_bytes());
            return EXIT_UNUSABLE;
        }
    };
    let import_text = loaded.import_text.clone();
    let series = &loaded.series;
    let opts = SimOptions {
        initial_replicas: args.initial_replicas,
        pod_startup: args.pod_startup,
        duration: args.duration,
    };
    let replayed = loaded.replayed(autoscaler);
    if let Some(sc) = &loaded.scale {
        sc.defer_static(autoscaler, &mut diags);
    }
    let output = sim::simulate(&replayed, series, &opts);
    diags.extend(output.diagnostics.iter().cloned());
    diagnostic::sort(&mut diags);

    if let Some(path) = &args.chart {
        if let Err(msg) = write_chart(path, autoscaler, &output) {
            let _ = writeln!(io.err, "error: {msg}");
            return EXIT_UNUSABLE;
        }
    }

    let report = SimReport {
        file: &file,
        demand_file: &demand_file,
        upstream: autoscaler.algorithm.upstream(),
        autoscaler_label: autoscaler_label(autoscaler),
        autoscaler: serde_json::to_value(autoscaler).unwrap_or(serde_json::Value::Null),
        initial_replicas_from: initial_replicas_from(
            args,
            &file,
            autoscaler,
            output.initial_replicas,
        ),
        output: &output,
        diagnostics: &diags,
        samples: loaded.import_json,
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
            let _ = io.out.write_all(timeline::render_csv(&output).as_bytes());
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
    if let Some(ms) = demand::parse_rfc3339(s) {
        let Some(start) = epoch_start else {
            return Err(format!(
                "--at {s:?} is an RFC 3339 time, but the input's times are relative (seconds from the start): give a time like 15m or 900"
            ));
        };
        return match ms.checked_sub(start) {
            Some(d) if d >= 0 => Ok(offset.saturating_add(d.unsigned_abs())),
            _ => Err(format!(
                "--at {s:?} is before the input's first time ({})",
                rfc3339_of(start)
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

/// Unix ms as `YYYY-MM-DDTHH:MM:SSZ` (for messages).
fn rfc3339_of(ms: i64) -> String {
    scalelens_core::samples::fmt_time(ms, samples::TimeBase::Epoch)
}

fn explain(args: &ExplainArgs, style: text::Style, io: &mut Io<'_>) -> u8 {
    let file = args.config.display().to_string();
    let source = match read(&args.config) {
        Ok(s) => s,
        Err(msg) => {
            let _ = writeln!(io.err, "error: {msg}");
            return EXIT_UNUSABLE;
        }
    };
    let src = SourceFile::new(&file, &source);
    let parsed = config::parse_with(&source, &args.aibrix_version.parse_options());
    let (autoscaler, _) = match choose(&parsed, &src, args.name.as_deref(), style, io) {
        Ok(chosen) => chosen,
        Err(code) => return code,
    };
    let loaded = match load_demand(
        args.demand.as_deref(),
        args.samples.as_deref(),
        args.samples_are,
        autoscaler,
    ) {
        Ok(l) => l,
        Err(msg) => {
            let _ = io.err.write_all(msg.as_bytes());
            return EXIT_UNUSABLE;
        }
    };
    let opts = SimOptions {
        initial_replicas: args.initial_replicas,
        pod_startup: args.pod_startup,
        duration: args.duration,
    };
    let replayed = loaded.replayed(autoscaler);
    let autoscaler = &replayed;
    let output = sim::simulate(autoscaler, &loaded.series, &opts);
    let (at, why) = match &args.at {
        Some(at) => match parse_at(at, loaded.series.offset, loaded.epoch_start) {
            Ok(t) => (t, None),
            Err(msg) => {
                let _ = writeln!(io.err, "error: {msg}");
                return EXIT_UNUSABLE;
            }
        },
        None => match scalelens_core::explain::interesting_moment(autoscaler, &output) {
            Some((t, kind)) => (t, Some(kind)),
            None => {
                let _ = writeln!(io.err, "error: the replay has no evaluations to explain");
                return EXIT_UNUSABLE;
            }
        },
    };
    let ex = match scalelens_core::explain::explain(autoscaler, &output, at, args.around) {
        Ok(ex) => ex,
        Err(e) => {
            let _ = writeln!(io.err, "error: --at: {e}");
            return EXIT_UNUSABLE;
        }
    };
    match args.format {
        ExplainFormat::Text => {
            let mut s = loaded.import_text.clone();
            if !s.is_empty() {
                s.push('\n');
            }
            if let Some(kind) = why {
                s.push_str(&format!(
                    "No --at given: explaining {} ({}).\n",
                    kind.describe(),
                    scalelens_core::explain::clock(at)
                ));
            }
            s.push_str(&ex.render_text(Some(&file)));
            let _ = io.out.write_all(s.as_bytes());
        }
        ExplainFormat::Json => {
            let _ = io.err.write_all(loaded.import_text.as_bytes());
            let doc = serde_json::json!({
                "file": file,
                "demand_file": args.demand.as_ref().or(args.samples.as_ref()).map(|p| p.display().to_string()),
                "samples": loaded.import_json,
                "at_chosen_as": why,
                "explanation": ex,
            });
            let _ = io.out.write_all(json::to_string(&doc).as_bytes());
        }
    }
    EXIT_OK
}
