//! Snapshots of the CLI renderers (text, JSON, SARIF, GitHub, timeline table and CSV) on
//! diagnostics and a timeline built in code, so they don't depend on the parser or simulator.

use scalelens_cli::render::timeline::SimReport;
use scalelens_cli::render::{github, json, sarif, text, timeline};
use scalelens_cli::source::SourceFile;
use scalelens_core::algorithm::{Mode, Reason};
use scalelens_core::codes::Code;
use scalelens_core::diagnostic::{Applicability, Edit, Fix};
use scalelens_core::sim::{SimOutput, TimelineEntry};
use scalelens_core::{Diagnostic, Pos, Span};

const FILE: &str = "deploy/autoscaler.yaml";

/// Line 8 is indented with a tab; line 11 holds the target value.
const SOURCE: &str = "apiVersion: autoscaling.aibrix.ai/v1alpha1
kind: PodAutoscaler
metadata:
  name: demo
spec:
  minReplicas: 0
  maxReplicas: 10
\t# tab-indented comment
  metricsSources:
    - targetMetric: gpu_cache_usage_perc
      targetValue: \"50\"
  scalingStrategy: KPA
";

fn span(line: u32, column: u32, end_line: u32, end_column: u32) -> Span {
    Span::new(
        Pos {
            line,
            column,
            offset: 0,
        },
        Pos {
            line: end_line,
            column: end_column,
            offset: 0,
        },
    )
}

fn diagnostics() -> Vec<Diagnostic> {
    vec![
        // A single-line span with help over two lines and a one-edit fix.
        Diagnostic::error(
            Code::UnitMismatch,
            "target 50 is a percent, but gpu_cache_usage_perc is a fraction (0.0-1.0)",
        )
        .at(span(11, 20, 11, 24))
        .with_help(
            "vLLM exports gpu_cache_usage_perc as a fraction\nso a target of 50 is never reached",
        )
        .with_fix(
            "write the target as a fraction",
            span(11, 20, 11, 24),
            "\"0.5\"",
        )
        .with_advice("or convert the metric to percent (× 100) where it is exported"),
        // A fix with two edits (to review), and a second, safe fix that inserts a comment.
        Diagnostic {
            fixes: vec![
                Fix {
                    description: "raise minReplicas to 1".into(),
                    applicability: Applicability::NeedsReview,
                    edits: vec![
                        Edit {
                            span: span(6, 16, 6, 17),
                            replacement: "1".into(),
                        },
                        Edit {
                            span: span(7, 16, 7, 18),
                            replacement: "".into(),
                        },
                    ],
                },
                Fix {
                    description: "add a comment".into(),
                    applicability: Applicability::SafeEdit,
                    edits: vec![Edit {
                        span: span(6, 17, 6, 17),
                        replacement: " # scale to zero\n".into(),
                    }],
                },
            ],
            ..Diagnostic::warning(
                Code::ScaleToZeroMisconfigured,
                "minReplicas 0: AIBrix v0.7.0 never scales to zero",
            )
            .at(span(6, 3, 6, 17))
        },
        // No span at all.
        Diagnostic::note(
            Code::SimDefaultPodStartup,
            "scale-down cooldown not set: the upstream default 300s applies",
        ),
        // A span past the end of its line.
        Diagnostic::error(Code::MissingField, "expected a value after maxReplicas")
            .at(span(7, 40, 7, 41)),
        // A span over several lines: underlined to the end of the first.
        Diagnostic::warning(Code::InvalidTarget, "this metric source is incomplete")
            .at(span(10, 7, 12, 1)),
        // A span on a tab-indented line.
        Diagnostic::note(Code::IgnoredDocument, "comment indented with a tab").at(span(8, 2, 8, 3)),
        // A span beyond the end of the file: position only.
        Diagnostic::error(Code::YamlSyntax, "the document ends early").at(span(99, 1, 99, 2)),
        // Characters that GitHub commands must escape.
        Diagnostic::warning(Code::UnknownField, "50% of pods: a,b\nsecond line")
            .at(span(2, 7, 2, 20)),
    ]
}

#[test]
fn text() {
    let src = SourceFile::new(FILE, SOURCE);
    insta::assert_snapshot!(
        "text",
        text::render_diagnostics(&src, &diagnostics(), text::Style::PLAIN)
    );
}

#[test]
fn text_is_plain_without_color_and_colored_with() {
    let src = SourceFile::new(FILE, SOURCE);
    let plain = text::render_diagnostics(&src, &diagnostics(), text::Style::PLAIN);
    assert!(!plain.contains('\x1b'));
    let colored = text::render_diagnostics(&src, &diagnostics(), text::Style::COLOR);
    assert!(colored.contains("\x1b[1;31merror[unit-mismatch]\x1b[0m"));
}

#[test]
fn text_without_diagnostics() {
    let src = SourceFile::new(FILE, SOURCE);
    assert_eq!(
        text::render_diagnostics(&src, &[], text::Style::PLAIN),
        "no problems found\n"
    );
}

#[test]
fn json() {
    let out = json::render_check(FILE, &diagnostics());
    let value: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(value["diagnostics"][0]["line"], 11);
    assert_eq!(
        value["diagnostics"][0]["fix"]["edits"][0]["replacement"],
        "\"0.5\""
    );
    assert_eq!(value["diagnostics"][2]["line"], serde_json::Value::Null);
    insta::assert_snapshot!("json", out);
}

#[test]
fn sarif() {
    let out = sarif::render(FILE, &diagnostics());
    let value: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(value["version"], "2.1.0");
    let run = &value["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "scalelens");
    // Rules are the distinct codes, sorted; each result points at its rule.
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), 8);
    for result in run["results"].as_array().expect("results") {
        let index = result["ruleIndex"].as_u64().expect("index") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
    // Each rule carries its docs from the registry.
    for rule in rules {
        for key in ["shortDescription", "fullDescription", "help"] {
            assert!(
                rule[key]["text"].as_str().is_some_and(|t| !t.is_empty()),
                "{key}: {rule}"
            );
        }
        let id = rule["id"].as_str().expect("id");
        assert_eq!(rule["helpUri"], format!("docs/src/rules/{id}.md"));
    }
    let out = out.replace(env!("CARGO_PKG_VERSION"), "[version]");
    insta::assert_snapshot!("sarif", out);
}

/// Every code's SARIF rule: the id, a one-line short description, a full description that
/// starts with it, the five sections in `help`, the docs page and a default level.
#[test]
fn sarif_rule_of_every_code_carries_its_docs() {
    for code in Code::ALL {
        let rule = sarif::rule(*code);
        let short = rule["shortDescription"]["text"].as_str().expect("short");
        assert!(
            !short.is_empty() && !short.contains('\n'),
            "{code}: {short:?}"
        );
        let full = rule["fullDescription"]["text"].as_str().expect("full");
        assert!(
            full.starts_with(short) && full.len() > short.len(),
            "{code}"
        );
        let help = rule["help"]["markdown"].as_str().expect("help");
        for h in [
            "## What it does",
            "## Why is this bad",
            "## Example",
            "## Fix",
            "## References",
        ] {
            assert!(help.contains(h), "{code}: {h}");
        }
        assert_eq!(rule["id"], code.as_str());
        assert_eq!(rule["helpUri"], format!("docs/src/rules/{code}.md"));
        assert_eq!(
            rule["defaultConfiguration"]["level"],
            code.default_severity().as_str()
        );
    }
}

#[test]
fn github() {
    insta::assert_snapshot!("github", github::render(FILE, &diagnostics()));
}

fn entry(
    t_s: u64,
    demand: f64,
    observed: f64,
    ready: u32,
    replicas: u32,
    desired: u32,
    reason: Reason,
) -> TimelineEntry {
    TimelineEntry {
        t: t_s * 1000,
        demand,
        observed,
        ready,
        replicas,
        desired_raw: desired,
        desired,
        mode: Mode::Stable,
        reason,
        metric: None,
    }
}

fn output() -> SimOutput {
    let mut timeline = vec![
        entry(0, 0.3, f64::NAN, 1, 1, 1, Reason::NoMetrics),
        entry(15, 0.3, 0.3, 1, 1, 1, Reason::Tolerance { ratio: 0.6 }),
        entry(30, 0.31, 0.305, 1, 1, 1, Reason::Tolerance { ratio: 0.61 }),
        entry(
            45,
            1.8,
            1.0,
            1,
            1,
            2,
            Reason::Metric {
                observed: 1.0,
                target: 0.5,
            },
        ),
        entry(60, 1.8, 1.0, 1, 2, 4, Reason::MaxScaleUpRate { limit: 4 }),
    ];
    timeline.push(TimelineEntry {
        mode: Mode::Panic,
        desired_raw: 5,
        ..entry(
            75,
            1.8,
            0.9,
            2,
            4,
            4,
            Reason::Panic {
                observed: 1.8,
                target: 0.5,
            },
        )
    });
    timeline.push(entry(
        90,
        0.0,
        0.0,
        4,
        4,
        4,
        Reason::CooldownWindow { held: 4 },
    ));
    timeline.push(entry(
        105,
        0.0,
        0.0,
        4,
        4,
        4,
        Reason::CooldownWindow { held: 4 },
    ));
    timeline.push(entry(
        5401,
        0.0,
        0.0,
        4,
        4,
        4,
        Reason::CooldownWindow { held: 4 },
    ));
    SimOutput {
        timeline,
        facts: Vec::new(),
        initial_replicas: 1,
        pod_startup: 120_000,
        pod_startup_is_default: true,
        duration: 5_401_500,
    }
}

fn report<'a>(output: &'a SimOutput, diags: &'a [Diagnostic]) -> SimReport<'a> {
    SimReport {
        file: FILE,
        demand_file: "demand.csv",
        upstream:
            "AIBrix v0.7.0 KPA (vllm-project/aibrix pkg/controller/podautoscaler/algorithm/kpa.go)",
        autoscaler_label: "PodAutoscaler default/demo".into(),
        autoscaler: serde_json::json!({ "family": "aibrix", "name": "demo" }),
        initial_replicas_from: "minReplicas".into(),
        output,
        diagnostics: diags,
        samples: None,
        metric_names: vec!["gpu_cache_usage_perc".into()],
    }
}

#[test]
fn timeline_text() {
    let out = output();
    let rendered = timeline::render_text(&report(&out, &[]));
    // Unchanged rows (30 s, 105 s) are left out; first and last are kept.
    assert!(!rendered.contains("0:00:30"));
    assert!(!rendered.contains("0:01:45"));
    assert!(rendered.contains("1:30:01"));
    insta::assert_snapshot!("timeline_text", rendered);
}

#[test]
fn timeline_csv() {
    insta::assert_snapshot!("timeline_csv", timeline::render_csv(&output()));
}

#[test]
fn timeline_json() {
    let out = output();
    let diags = vec![Diagnostic::note(
        Code::SimDefaultPodStartup,
        "pod start-up not given",
    )];
    let rendered = json::render_simulation(&report(&out, &diags));
    let value: serde_json::Value = serde_json::from_str(&rendered).expect("valid JSON");
    assert_eq!(value["timeline"][0]["observed"], serde_json::Value::Null);
    assert_eq!(value["timeline"][1]["t"], 15);
    assert_eq!(value["options"]["duration_s"], 5401.5);
    insta::assert_snapshot!("timeline_json", rendered);
}

#[test]
fn empty_timeline() {
    let mut out = output();
    out.timeline.clear();
    let rendered = timeline::render_text(&report(&out, &[]));
    assert!(rendered.ends_with("The simulation produced no decisions.\n"));
    assert_eq!(
        timeline::render_csv(&out),
        "t,demand,observed,ready,replicas,desired_raw,desired,mode,reason\n"
    );
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any span (inside, past or before the text, inverted, zero) over any source renders
        /// in every format without panicking.
        #[test]
        fn any_span_any_source(
            source in "[a-z\t é:\"\n\r]{0,60}",
            l in 0u32..8, c in 0u32..30, el in 0u32..8, ec in 0u32..30,
            replacement in "[a-z\n]{0,5}",
        ) {
            let d = Diagnostic::error(Code::YamlSyntax, "m\nn")
                .at(span(l, c, el, ec))
                .with_help("h")
                .with_fix("f", span(el, ec, l, c), replacement);
            let src = SourceFile::new(FILE, &source);
            let diags = [d];
            let _ = text::render_diagnostics(&src, &diags, text::Style::COLOR);
            let _ = json::render_check(FILE, &diags);
            let _ = sarif::render(FILE, &diags);
            let _ = github::render(FILE, &diags);
        }
    }
}
