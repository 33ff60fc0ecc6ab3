//! Every fixture under `tests/testdata/config/**.yaml` is parsed; the set of (line, code) of its
//! warnings and errors must equal the set of `# expect: <code>` comments on those lines
//! (`# expect-global: <code>` for a diagnostic without a position). Notes are asserted for the
//! codes a fixture names in `# expect-note: <code>` comments (the (line, code) set of those
//! codes' notes must equal them), and `# expect-not: <code>, ...` (anywhere in the file) asserts
//! that no diagnostic of any severity has that code: the fixture is a negative for it. A
//! compact rendering of what was read is snapshotted with insta (`core/tests/it/snapshots/`).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::PathBuf;

use scalelens_core::config::{self, Parsed};
use scalelens_core::model::AibrixVersion;
use scalelens_core::Severity;
use serde_json::Value;

fn fixtures() -> Vec<PathBuf> {
    crate::fixtures::files_under(&crate::fixtures::testdata("config"), "yaml")
}

/// Parse options from a first line `# options: aibrix-version=v0.4 scrape-interval=15s` (space-separated
/// `key=value`); defaults otherwise.
fn options(src: &str) -> config::ParseOptions {
    let mut o = config::ParseOptions::default();
    let first = src.lines().next().unwrap_or("");
    if let Some(rest) = first.strip_prefix("# options:") {
        for kv in rest.split_whitespace() {
            match kv {
                other if other.starts_with("aibrix-version=") => {
                    o.aibrix_version =
                        AibrixVersion::parse(other.trim_start_matches("aibrix-version="))
                            .expect("fixture AIBrix version");
                }
                other if other.starts_with("feature-gates=") => {
                    o.feature_gates = config::feature_gates::FeatureGates::parse(
                        other.trim_start_matches("feature-gates="),
                    )
                    .expect("fixture feature gates");
                }
                other if other.starts_with("scrape-interval=") => {
                    let d = other.trim_start_matches("scrape-interval=");
                    let ms =
                        scalelens_core::duration::parse_millis(d).expect("fixture scrape interval");
                    o.scrape_interval = scalelens_core::analysis::ScrapeInterval::Given(ms);
                }
                other => panic!("unknown fixture option `{other}`"),
            }
        }
    }
    o
}

fn expectations(src: &str) -> BTreeSet<(u32, String)> {
    marked(src, &["# expect: ", "# expect-global: "])
}

/// `# expect-note:` (per line) and `# expect-not:` (whole file) comments.
fn note_expectations(src: &str) -> BTreeSet<(u32, String)> {
    marked(src, &["# expect-note: "])
}

fn absent_codes(src: &str) -> BTreeSet<String> {
    marked(src, &["# expect-not: "])
        .into_iter()
        .map(|(_, c)| c)
        .collect()
}

/// (line, code) of the codes after any of `markers` (line 0 for `expect-global`).
fn marked(src: &str, markers: &[&str]) -> BTreeSet<(u32, String)> {
    let mut set = BTreeSet::new();
    for (i, line) in src.lines().enumerate() {
        for marker in markers {
            let line_no = if *marker == "# expect-global: " {
                0
            } else {
                i as u32 + 1
            };
            if let Some(pos) = line.find(marker) {
                // Codes separated by commas; free text after them is a comment.
                let tokens = line[pos + marker.len()..]
                    .split(|c: char| c == ',' || c.is_whitespace())
                    .filter(|t| !t.is_empty())
                    .take_while(|t| t.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
                for code in tokens {
                    set.insert((line_no, code.to_string()));
                }
            }
        }
    }
    set
}

fn origin(v: &Value) -> String {
    match v.get("from").and_then(Value::as_str) {
        Some("yaml") => format!(
            "@{}:{}",
            v.get("line").and_then(Value::as_u64).unwrap_or(0),
            v.get("column").and_then(Value::as_u64).unwrap_or(0)
        ),
        Some("default") => format!(
            "default: {}",
            v.get("source").and_then(Value::as_str).unwrap_or("?")
        ),
        _ => String::new(),
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Render a serialized params tree: a `Param` (object with `from`) on one line.
fn render_value(out: &mut String, indent: usize, key: &str, v: &Value) {
    let pad = " ".repeat(indent);
    match v {
        Value::Object(m) if m.contains_key("from") => {
            let _ = writeln!(out, "{pad}{key} = {} ({})", scalar(&m["value"]), origin(v));
        }
        Value::Object(m) => {
            let _ = writeln!(out, "{pad}{key}:");
            for (k, v) in m {
                render_value(out, indent + 2, k, v);
            }
        }
        Value::Array(items) => {
            let _ = writeln!(out, "{pad}{key}:");
            for (i, v) in items.iter().enumerate() {
                match v {
                    Value::Object(_) => {
                        let compact: Vec<String> = v
                            .as_object()
                            .map(|m| {
                                m.iter()
                                    .map(|(k, v)| format!("{k}={}", scalar(v)))
                                    .collect()
                            })
                            .unwrap_or_default();
                        let _ = writeln!(out, "{pad}  [{i}] {}", compact.join(" "));
                    }
                    other => render_value(out, indent + 2, &format!("[{i}]"), other),
                }
            }
        }
        other => {
            let _ = writeln!(out, "{pad}{key} = {}", scalar(other));
        }
    }
}

fn render(p: &Parsed) -> String {
    let mut out = String::new();
    for a in &p.autoscalers {
        let _ = writeln!(
            out,
            "{:?} {} `{}` ({}) ns={}",
            a.family,
            a.kind,
            a.name,
            a.api_version,
            a.namespace.as_deref().unwrap_or("-")
        );
        if let Some(t) = &a.target {
            let _ = writeln!(
                out,
                "  target: {}/{} ({})",
                t.kind.as_deref().unwrap_or("?"),
                t.name.value,
                t.api_version.as_deref().unwrap_or("-")
            );
        }
        let j = |x: &dyn erased::Ser| x.json();
        let _ = writeln!(
            out,
            "  min_replicas = {} ({})",
            a.min_replicas.value,
            origin(&j(&a.min_replicas))
        );
        let _ = writeln!(
            out,
            "  max_replicas = {} ({})",
            a.max_replicas.value,
            origin(&j(&a.max_replicas))
        );
        match &a.initial_replicas {
            Some(i) => {
                let _ = writeln!(out, "  initial_replicas = {} ({})", i.value, origin(&j(i)));
            }
            None => {
                let _ = writeln!(out, "  initial_replicas = none");
            }
        }
        for m in &a.metrics {
            let src = serde_json::to_string(&m.source).unwrap_or_default();
            let _ = writeln!(
                out,
                "  metric `{}` source={} target={:?} {} ({}) bound={:?}{}{}",
                m.name.value,
                src,
                m.target.target_type,
                m.target.value.value,
                origin(&j(&m.target.value)),
                m.bound,
                m.activation_threshold
                    .as_ref()
                    .map(|t| format!(" activation={} ({})", t.value, origin(&j(t))))
                    .unwrap_or_default(),
                if m.selector.is_empty() {
                    String::new()
                } else {
                    format!(
                        " selector={}",
                        scalelens_core::model::selector_text(&m.selector)
                    )
                }
            );
        }
        let alg = serde_json::to_value(&a.algorithm).unwrap_or(Value::Null);
        render_value(&mut out, 2, "algorithm", &alg);
    }
    for d in &p.diagnostics {
        let pos = d
            .span
            .map(|s| format!("{}:{}", s.start.line, s.start.column))
            .unwrap_or_else(|| "-".into());
        let _ = writeln!(
            out,
            "{pos} {}[{}]: {}",
            d.severity.as_str(),
            d.code,
            d.message
        );
        for f in &d.fixes {
            for e in &f.edits {
                let _ = writeln!(
                    out,
                    "    fix: {} ({}:{} -> {:?})",
                    f.description, e.span.start.line, e.span.start.column, e.replacement
                );
            }
        }
    }
    out
}

mod erased {
    pub trait Ser {
        fn json(&self) -> serde_json::Value;
    }
    impl<T: serde::Serialize> Ser for T {
        fn json(&self) -> serde_json::Value {
            serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
        }
    }
}

/// Every fixture (at least 20), parsed with its `# options:`: its path under
/// `tests/testdata/config/`, its text and what was read.
fn parsed_fixtures() -> Vec<(String, String, Parsed)> {
    let files = fixtures();
    assert!(files.len() >= 20, "found {} fixtures", files.len());
    let root = crate::fixtures::testdata("config");
    files
        .iter()
        .map(|f| {
            let src = std::fs::read_to_string(f).unwrap_or_default();
            let rel = f.strip_prefix(&root).unwrap_or(f).display().to_string();
            let parsed = config::parse_with(&src, &options(&src));
            (rel, src, parsed)
        })
        .collect()
}

/// Each fixture's warnings and errors sit on the lines its `# expect:` comments name, its
/// `# expect-note:` notes likewise, and no `# expect-not:` code is reported.
#[test]
fn fixtures_match_expectations() {
    let mut failures = Vec::new();
    for (rel, src, parsed) in parsed_fixtures() {
        let got: BTreeSet<(u32, String)> = parsed
            .diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Note)
            .map(|d| (d.span.map_or(0, |s| s.start.line), d.code.to_string()))
            .collect();
        let want = expectations(&src);
        let notes_want = note_expectations(&src);
        let note_codes: BTreeSet<&String> = notes_want.iter().map(|(_, c)| c).collect();
        let notes_got: BTreeSet<(u32, String)> = parsed
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Note && note_codes.contains(&d.code.to_string()))
            .map(|d| (d.span.map_or(0, |s| s.start.line), d.code.to_string()))
            .collect();
        if notes_got != notes_want {
            failures.push(format!(
                "{rel}: notes {notes_got:?}, expected {notes_want:?}"
            ));
        }
        for code in absent_codes(&src) {
            if parsed.diagnostics.iter().any(|d| d.code == code.as_str()) {
                failures.push(format!(
                    "{rel}: `{code}` reported, `# expect-not` says absent"
                ));
            }
        }
        if got != want {
            failures.push(format!(
                "{rel}:\n  unexpected: {:?}\n  missing:    {:?}\n{}",
                got.difference(&want).collect::<Vec<_>>(),
                want.difference(&got).collect::<Vec<_>>(),
                render(&parsed)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// What was read from each fixture, rendered compactly: `config__<family>__<case>.snap`.
#[test]
fn fixtures_match_snapshots() {
    for (rel, _, parsed) in parsed_fixtures() {
        let name = rel.trim_end_matches(".yaml").replace(['/', '\\'], "__");
        insta::with_settings!({ snapshot_suffix => "", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("config__{name}"), render(&parsed));
        });
    }
}

/// AIBrix v0.1's top-level target: the fix writes the `metricsSources` entry v0.2.0 onwards read,
/// and the fixed YAML parses without errors into the same metric and target.
#[test]
fn v01_target_moves_into_metrics_sources() {
    let (_, fixed) =
        crate::common::fixed_by("config/aibrix/v01-top-level-target.yaml", "metricsSources");
    let again = config::parse(&fixed);
    assert!(!again.has_errors(), "{fixed}\n{:#?}", again.diagnostics);
    let a = again.autoscalers.first().expect("the PodAutoscaler");
    let m = a.metrics.first().expect("its metric");
    assert_eq!((m.name.value.as_str(), m.target.value.value), ("cpu", 50.0));
}
