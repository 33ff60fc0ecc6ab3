//! Every diagnostic code is documented and has a positive and a negative fixture — checked, not
//! trusted.
//!
//! - Docs: `core/src/codes.rs` is parsed as text; each `pub const X: &str = "code";` must be
//!   preceded by a doc comment with the headings `# What it does`, `# Why is this bad`,
//!   `# Example`, `# Fix`, `# References`, in that order, each followed by text.
//! - Fixtures: every config fixture (`testdata/config/**.yaml`) is parsed and every folder case
//!   (`testdata/{analysis,timelines}/<case>/`) is run through the CLI, here, again. A fixture is a
//!   **positive** for a code when it declares it (`# expect:`, `# expect-global:`,
//!   `# expect-note:` in YAML; a `code` line in a case's `expect` file) and the code is really
//!   reported. It is a **negative** when it declares the code absent (`# expect-not:`; a `!code`
//!   line) and the code is really not reported.
//! - Rule: every code needs a positive and a negative. For the codes in [`ANY_CLEAN_NEGATIVE`]
//!   (input-validation and run-setup codes, whose negative is simply a valid input), any fixture
//!   that really does not report the code counts as the negative; all other codes need a declared
//!   negative, a real-world case chosen to be close to the positive.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use scalelens_core::config;
use scalelens_core::model::AibrixVersion;

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

const HEADINGS: [&str; 5] = [
    "# What it does",
    "# Why is this bad",
    "# Example",
    "# Fix",
    "# References",
];

/// (code, doc lines) of every code in `core/src/codes.rs`.
fn codes_with_docs() -> Vec<(String, Vec<String>)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/src/codes.rs");
    let text = std::fs::read_to_string(&path).expect("core/src/codes.rs");
    let mut out = Vec::new();
    let mut doc: Vec<String> = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        if let Some(d) = t.strip_prefix("///") {
            doc.push(d.strip_prefix(' ').unwrap_or(d).to_string());
        } else if t.starts_with("pub const ") {
            let code = t
                .split('"')
                .nth(1)
                .unwrap_or_else(|| panic!("cannot read the code in {t:?}"))
                .to_string();
            out.push((code, std::mem::take(&mut doc)));
        } else if !t.starts_with("#[") {
            doc.clear();
        }
    }
    out
}

fn doc_problems(code: &str, doc: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut at = 0usize;
    for h in HEADINGS {
        match doc.iter().skip(at).position(|l| l.trim() == h) {
            Some(i) => {
                let idx = at + i;
                let body = doc
                    .iter()
                    .skip(idx + 1)
                    .take_while(|l| !HEADINGS.contains(&l.trim()))
                    .any(|l| !l.trim().is_empty());
                if !body {
                    problems.push(format!("{code}: heading `{h}` has no text"));
                }
                at = idx + 1;
            }
            None => problems.push(format!("{code}: heading `{h}` missing or out of order")),
        }
    }
    problems
}

fn config_fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/config");
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "yaml") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Codes after `marker` anywhere in `src`.
fn declared(src: &str, marker: &str) -> BTreeSet<String> {
    let mut set = BTreeSet::new();
    for line in src.lines() {
        if let Some(pos) = line.find(marker) {
            for t in line[pos + marker.len()..]
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|t| !t.is_empty())
                .take_while(|t| t.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
            {
                set.insert(t.to_string());
            }
        }
    }
    set
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
    ) {
        for c in pos {
            if reported.contains(c) {
                self.positive
                    .entry(c.clone())
                    .or_default()
                    .push(fixture.into());
            } else {
                self.errors
                    .push(format!("{fixture}: declares `{c}` but does not report it"));
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
        for (code, _) in codes_cache() {
            if !reported.contains(code) {
                self.clean
                    .entry(code.clone())
                    .or_default()
                    .push(fixture.into());
            }
        }
    }
}

fn codes_cache() -> &'static [(String, Vec<String>)] {
    static CODES: std::sync::OnceLock<Vec<(String, Vec<String>)>> = std::sync::OnceLock::new();
    CODES.get_or_init(codes_with_docs)
}

#[test]
fn every_code_is_documented_with_the_five_headings() {
    let codes = codes_cache();
    assert!(codes.len() >= 41, "found {} codes", codes.len());
    let problems: Vec<String> = codes
        .iter()
        .flat_map(|(c, doc)| doc_problems(c, doc))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The parser itself: a doc without headings is caught.
    assert_eq!(doc_problems("x", &["only text".to_string()]).len(), 5);
}

#[test]
fn every_code_has_a_positive_and_a_negative_fixture() {
    let codes = codes_cache();
    let known: BTreeSet<&str> = codes.iter().map(|(c, _)| c.as_str()).collect();
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
        if src
            .lines()
            .next()
            .is_some_and(|l| l.starts_with("# options:") && l.contains("aibrix-version=v0.4"))
        {
            options.aibrix_version = AibrixVersion::V0_4;
        }
        let parsed = config::parse_with(&src, &options);
        let reported: BTreeSet<String> = parsed
            .diagnostics
            .iter()
            .map(|d| d.code.to_string())
            .collect();
        let mut pos = declared(&src, "# expect: ");
        pos.extend(declared(&src, "# expect-global: "));
        pos.extend(declared(&src, "# expect-note: "));
        let neg = declared(&src, "# expect-not: ");
        let name = f
            .strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")))
            .unwrap_or(&f)
            .display()
            .to_string();
        cov.record(&name, &reported, &pos, &neg);
    }
    for kind in ["analysis", "timelines"] {
        for case in scalelens_tests::case_names(kind) {
            let run = scalelens_tests::run_case(kind, &case);
            let reported = scalelens_tests::reported_codes(&run.report);
            let pos: BTreeSet<String> = run.expect.fires.iter().cloned().collect();
            let neg: BTreeSet<String> = run.expect.absent.iter().cloned().collect();
            cov.record(&format!("{kind}/{case}"), &reported, &pos, &neg);
        }
    }

    let mut missing = cov.errors.clone();
    for (code, _) in codes {
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
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
