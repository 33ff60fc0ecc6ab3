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
use scalelens_core::{Autoscaler, Diagnostic};

use scalelens_core::analysis;
use scalelens_core::samples::{self, Hints, ImportNote, Interpretation, Samples};

use crate::args::{
    CheckArgs, CheckFormat, Cli, ColorChoice, Command, SamplesAre, SimulateArgs, SimulateFormat,
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

fn is_inside(inner: scalelens_core::Span, outer: scalelens_core::Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// Drop the diagnostics that point inside another autoscaler than `chosen`.
fn only_about(parsed: &Parsed, chosen: &Autoscaler, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diags
        .into_iter()
        .filter(|d| {
            let Some(span) = d.span else { return true };
            !parsed
                .autoscalers
                .iter()
                .any(|a| !std::ptr::eq(a, chosen) && is_inside(span, a.span))
        })
        .collect()
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
            Some(a) => diags = only_about(&parsed, a, diags),
            None => usable = false,
        }
    }
    let mut import_text = String::new();
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
            diags.extend(analysis::check_samples(a, &s, interp));
            if !demand.points.is_empty() {
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
        CheckFormat::Json => json::render_check(&file, &diags),
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
    let (chosen, about_choice) = select(&parsed, args.name.as_deref());
    let mut diags = parsed.diagnostics.clone();
    diags.extend(about_choice);
    let Some(autoscaler) = chosen else {
        diagnostic::sort(&mut diags);
        let _ = io
            .err
            .write_all(text::render_diagnostics(&src, &diags, style).as_bytes());
        let _ = writeln!(
            io.err,
            "error: {}",
            no_autoscaler_message(&file, args.name.as_deref())
        );
        return EXIT_UNUSABLE;
    };
    let mut diags = only_about(&parsed, autoscaler, diags);

    let mut import_text = String::new();
    let series = if args.demand.is_none() {
        let s = match load_samples(demand_path, autoscaler) {
            Ok(s) => s,
            Err(msg) => {
                let _ = writeln!(io.err, "error: {msg}");
                return EXIT_UNUSABLE;
            }
        };
        let (d, conv_notes, _) = samples_demand(&s, args.samples_are);
        let notes: Vec<&ImportNote> = s.notes.iter().chain(conv_notes.iter()).collect();
        import_text = render_import(&demand_file, &s, &notes);
        if d.points.is_empty() {
            let _ = io.err.write_all(import_text.as_bytes());
            let _ = writeln!(io.err, "error: no demand in {demand_file}");
            return EXIT_UNUSABLE;
        }
        d
    } else {
        let demand_text = match read(demand_path) {
            Ok(s) => s,
            Err(msg) => {
                let _ = writeln!(io.err, "error: {msg}");
                return EXIT_UNUSABLE;
            }
        };
        match demand::parse_csv(&demand_text) {
            Ok(s) => s,
            Err(e) => {
                let _ = writeln!(
                    io.err,
                    "error: bad demand CSV: {} ({demand_file}:{}:{})",
                    e.message, e.line, e.column
                );
                return EXIT_UNUSABLE;
            }
        }
    };
    let opts = SimOptions {
        initial_replicas: args.initial_replicas,
        pod_startup: args.pod_startup,
        duration: args.duration,
    };
    let output = sim::simulate(autoscaler, &series, &opts);
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
