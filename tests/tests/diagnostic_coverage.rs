//! Every diagnostic code is documented and has a positive and a negative fixture — checked, not
//! trusted. The codes are `scalelens_core::codes::Code::ALL`, the registry every emitter uses.
//!
//! - Docs: each code's [`RuleDoc`](scalelens_core::codes::RuleDoc) has a one-line summary and
//!   the headings `# What it does`, `# Why is this bad`, `# Example`, `# Fix`, `# References`,
//!   in that order and nothing else, each followed by text.
//! - Fixtures: every config fixture (`testdata/config/**.yaml`) is parsed, every folder case
//!   (`testdata/{analysis,timelines}/<case>/`) is run through the CLI, and every samples fixture
//!   with an `.expect` sidecar (`testdata/samples/**/<file>.expect`, see [`SamplesExpect`]) is
//!   imported and turned into demand, here, again. A fixture is a **positive** for a code when
//!   it declares it (`# expect:`, `# expect-global:`, `# expect-note:` in YAML; a `code` line in
//!   a case's `expect` file or a sidecar) and the code is really reported. It is a **negative**
//!   when it declares the code absent (`# expect-not:`; a `!code` line) and the code is really
//!   not reported.
//! - Rule: every code needs a positive and a negative. For the codes in [`ANY_CLEAN_NEGATIVE`]
//!   (input-validation and run-setup codes of the YAML and the replay, whose negative is simply
//!   a valid input), any config fixture or CLI case that really does not report the code counts
//!   as the negative; all other codes need a declared negative, a real-world case chosen to be
//!   close to the positive. Samples codes are never in that list: a YAML fixture says nothing
//!   about an import.
//! - Codes no input file can reach are in [`UNIT_TESTED`] with the unit test that shows both
//!   cases; the test checks that the named test exists.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use scalelens_core::codes::{Code, Section};
use scalelens_core::config;
use scalelens_core::diagnostic::Applicability;
use scalelens_core::model::{AibrixVersion, LabelMatcher, MatchOp};
use scalelens_core::samples::{self, Format, Hints, Interpretation};
use scalelens_docgen::fixtures;

/// Codes whose negative fixture is any fixture that does not report them: YAML, schema and
/// selection errors (any valid input is their negative), and the simulator's set-up notes (any
/// run with the input given explicitly).
const ANY_CLEAN_NEGATIVE: &[&str] = &[
    "yaml-syntax",
    "yaml-limit",
    "helm-template",
    "no-autoscaler",
    "unknown-autoscaler",
    "multiple-autoscalers",
    "ignored-document",
    "wrong-type",
    "unquoted-string",
    "missing-field",
    "unknown-field",
    "unknown-kind",
    "unknown-api-version",
    "removed-api-version",
    "invalid-value",
    "out-of-range",
    "min-above-max",
    "invalid-target",
    "unknown-metric-source",
    "unknown-target-type",
    "unknown-policy-type",
    "unknown-value",
    "duplicate-name",
    "unsupported-feature",
    "sim-default-pod-startup",
    "sim-default-initial-replicas",
    "sim-demand-metric",
];

/// Codes no input file can reach, with the unit test (file, `fn` name) that reports the code
/// and shows its absence in the nearest case.
const UNIT_TESTED: &[(&str, &str, &str)] = &[(
    // Relative times below 0: CSV rejects negative seconds, untimed scrapes start at 0, every
    // other importer reads epoch times.
    "samples-demand-offset",
    "core/src/samples/convert.rs",
    "negative_relative_start_is_noted_as_demand_offset",
)];

/// The headings a rule's docs have, in order.
fn doc_problems(code: Code) -> Vec<String> {
    let doc = code.doc();
    let mut problems = Vec::new();
    let want: Vec<&str> = Section::ALL.iter().map(|s| s.heading()).collect();
    let got = doc.headings();
    if got != want {
        problems.push(format!("{code}: headings {got:?}, expected {want:?}"));
    }
    for s in Section::ALL {
        if doc.section(s).is_none_or(|t| t.is_empty()) {
            problems.push(format!("{code}: heading `# {}` has no text", s.heading()));
        }
    }
    let summary = doc.summary();
    if summary.is_empty() || summary.len() > 120 {
        problems.push(format!(
            "{code}: the summary (first paragraph) must be one short sentence: {summary:?}"
        ));
    }
    problems
}

fn config_fixtures() -> Vec<PathBuf> {
    scalelens_tests::files_under(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/config"),
        "yaml",
    )
}

#[derive(Default)]
struct Coverage {
    positive: BTreeMap<String, Vec<String>>,
    negative: BTreeMap<String, Vec<String>>,
    clean: BTreeMap<String, Vec<String>>,
    errors: Vec<String>,
}

impl Coverage {
    fn record(
        &mut self,
        fixture: &str,
        reported: &BTreeSet<String>,
        pos: &BTreeSet<String>,
        neg: &BTreeSet<String>,
        clean_counts: bool,
    ) {
        for c in pos {
            if reported.contains(c) {
                self.positive
                    .entry(c.clone())
                    .or_default()
                    .push(fixture.into());
            } else {
                self.errors.push(format!(
                    "{fixture}: declares `{c}` but does not report it (reports {reported:?})"
                ));
            }
        }
        for c in neg {
            if reported.contains(c) {
                self.errors
                    .push(format!("{fixture}: declares `{c}` absent but reports it"));
            } else {
                self.negative
                    .entry(c.clone())
                    .or_default()
                    .push(fixture.into());
            }
        }
        self.clean.entry(String::new()).or_default();
        if clean_counts {
            for code in Code::ALL {
                if !reported.contains(code.as_str()) {
                    self.clean
                        .entry(code.as_str().to_string())
                        .or_default()
                        .push(fixture.into());
                }
            }
        }
    }
}

#[test]
fn every_code_is_documented_with_the_five_headings() {
    assert!(Code::ALL.len() >= 77, "found {} codes", Code::ALL.len());
    let problems: Vec<String> = Code::ALL.iter().flat_map(|c| doc_problems(*c)).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_code_has_a_positive_and_a_negative_fixture() {
    let known: BTreeSet<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    for (c, file, test) in UNIT_TESTED {
        assert!(known.contains(c), "UNIT_TESTED names unknown code {c}");
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(file);
        let src = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            src.contains(&format!("fn {test}()")) && src.contains(c),
            "UNIT_TESTED: {file} has no `fn {test}()` about {c}"
        );
    }
    for c in ANY_CLEAN_NEGATIVE {
        assert!(
            known.contains(c),
            "ANY_CLEAN_NEGATIVE names unknown code {c}"
        );
    }
    let mut cov = Coverage::default();

    for f in config_fixtures() {
        let src = std::fs::read_to_string(&f).expect("fixture");
        let mut options = config::ParseOptions::default();
        if let Some(v) = fixtures::config_aibrix_version(&src) {
            options.aibrix_version = AibrixVersion::parse(v).expect("fixture AIBrix version");
        }
        let parsed = config::parse_with(&src, &options);
        // Advice, and only advice, has no edits (`Applicability`).
        for d in &parsed.diagnostics {
            for fix in &d.fixes {
                assert_eq!(
                    fix.applicability == Applicability::AdviceOnly,
                    fix.edits.is_empty(),
                    "{}: {} fix {:?}",
                    f.display(),
                    d.code,
                    fix.description
                );
            }
        }
        let reported: BTreeSet<String> = parsed
            .diagnostics
            .iter()
            .map(|d| d.code.to_string())
            .collect();
        let pos = fixtures::config_positives(&src);
        let neg = fixtures::declared(&src, "# expect-not: ");
        let name = f
            .strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")))
            .unwrap_or(&f)
            .display()
            .to_string();
        cov.record(&name, &reported, &pos, &neg, true);
    }
    for kind in ["analysis", "timelines"] {
        for case in scalelens_tests::case_names(kind) {
            let run = scalelens_tests::run_case(kind, &case);
            let reported = scalelens_tests::reported_codes(&run.report);
            let pos: BTreeSet<String> = run.expect.fires.iter().cloned().collect();
            let neg: BTreeSet<String> = run.expect.absent.iter().cloned().collect();
            cov.record(&format!("{kind}/{case}"), &reported, &pos, &neg, true);
        }
    }
    for (name, e) in samples_cases() {
        let reported = import_codes(&name, &e);
        cov.record(&name, &reported, &e.fires, &e.absent, false);
    }

    let mut missing = cov.errors.clone();
    for code in Code::ALL.iter().map(|c| c.as_str().to_string()) {
        let code = &code;
        if UNIT_TESTED.iter().any(|(c, _, _)| c == code) {
            continue;
        }
        if cov.positive.get(code).is_none_or(Vec::is_empty) {
            missing.push(format!("`{code}`: no positive fixture"));
        }
        let negatives = if ANY_CLEAN_NEGATIVE.contains(&code.as_str()) {
            cov.clean.get(code)
        } else {
            cov.negative.get(code)
        };
        if negatives.is_none_or(Vec::is_empty) {
            missing.push(format!(
                "`{code}`: no negative fixture (declare one with `# expect-not: {code}` or a `!{code}` line in a case's expect file)"
            ));
        }
    }
    // The rule pages' live examples (`fixtures::examples`, the same declarations) are fixtures
    // this test has just seen report their code.
    for (code, ex) in fixtures::examples() {
        let id = ex.fixture.id();
        if !cov.positive.get(&code).is_some_and(|p| p.contains(&id)) {
            missing.push(format!(
                "`{code}`: its rule page's example {id} is not a positive fixture this test saw"
            ));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// A samples fixture's sidecar (`fixtures::SamplesExpect`, read by the shared index) in the
/// importer's types. An input no importer reads reports `samples-unreadable`, as the pipeline
/// does.
#[derive(Debug, Default)]
struct SamplesExpect {
    metric: Option<String>,
    selector: Vec<LabelMatcher>,
    format: Option<Format>,
    interpretation: Option<Interpretation>,
    fires: BTreeSet<String>,
    absent: BTreeSet<String>,
}

fn typed(e: fixtures::SamplesExpect) -> SamplesExpect {
    let format = e.format.map(|f| {
        [
            Format::Csv,
            Format::GrafanaWide,
            Format::GrafanaLong,
            Format::Exposition,
            Format::PrometheusJson,
        ]
        .into_iter()
        .find(|x| x.as_str() == f)
        .unwrap_or_else(|| panic!("unknown samples format {f:?}"))
    });
    let interpretation = e.interpretation.map(|i| {
        [
            Interpretation::Auto,
            Interpretation::PerPod,
            Interpretation::Average,
            Interpretation::Total,
        ]
        .into_iter()
        .find(|x| x.as_str() == i)
        .unwrap_or_else(|| panic!("unknown interpretation {i:?}"))
    });
    SamplesExpect {
        metric: e.metric,
        selector: e
            .selector
            .into_iter()
            .map(|(label, value)| LabelMatcher {
                label,
                op: MatchOp::In,
                values: vec![value],
            })
            .collect(),
        format,
        interpretation,
        fires: e.fires,
        absent: e.absent,
    }
}

/// `(fixture path relative to the tests crate, sidecar)` for every samples fixture with one
/// (the shared index's, `fixtures::samples_cases`).
fn samples_cases() -> Vec<(String, SamplesExpect)> {
    let base = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sidecars = scalelens_tests::files_under(&base.join("testdata/samples"), "expect");
    let out: Vec<(String, SamplesExpect)> = fixtures::samples_cases()
        .into_iter()
        .map(|(name, e)| {
            assert!(base.join(&name).exists(), "{name}: no such samples file");
            (name, typed(e))
        })
        .collect();
    assert_eq!(
        out.len(),
        sidecars.len(),
        "a samples sidecar could not be read (a `selector` without `=`?)"
    );
    assert!(out.len() >= 20, "found {} samples cases", out.len());
    out
}

/// The codes an import of `file` reports: the importer's notes and the step to demand's, or
/// `samples-unreadable` when no importer reads it (as `core::pipeline` does).
fn import_codes(file: &str, e: &SamplesExpect) -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let text = std::fs::read_to_string(&path).expect("samples fixture");
    let hints = Hints {
        metric: e.metric.clone(),
        format: e.format,
        selector: e.selector.clone(),
        ..Hints::default()
    };
    match samples::detect_and_parse(&text, &hints) {
        Err(_) => BTreeSet::from([Code::SamplesUnreadable.as_str().to_string()]),
        Ok(s) => {
            let (_, conv) =
                samples::to_demand(&s, e.interpretation.unwrap_or(Interpretation::Auto));
            s.notes
                .iter()
                .chain(&conv)
                .map(|n| n.code.as_str().to_string())
                .collect()
        }
    }
}
