//! The code registry: every diagnostic code the product emits, as one [`Code`] enum.
//!
//! A code is a stable interface: its kebab-case string ([`Code::as_str`]) is what JSON, SARIF,
//! GitHub annotations, the CLI text and CI scripts show and match on, and it never changes
//! meaning once released. Each code has a default [`Severity`] (an emitter may report another,
//! e.g. a note for the milder case) and its docs, a [`RuleDoc`].
//!
//! **The docs live next to the check that emits the code**, written once with `rule_doc!` as
//! a doc comment: a one-line summary, then the five headings `# What it does`, `# Why is this
//! bad`, `# Example`, `# Fix`, `# References` (ruff's shape). An analysis keeps its rule's docs
//! in its own file (`analysis/flapping.rs` `DOC`); a code several readers report keeps them in
//! its area's `rules.rs` (`config/rules.rs`, `sim/rules.rs`, `samples/rules.rs`) or in the one
//! reader that reports it. This file holds only the list below, one line per code:
//! `Variant = "kebab-code", DefaultSeverity, path::to::DOC;`.
//!
//! `scalelens rule CODE` prints a rule's docs, SARIF carries them (`shortDescription`,
//! `fullDescription`, `helpUri`: [`Code::help_uri`]), and `tests/tests/diagnostic_coverage.rs`
//! iterates [`Code::ALL`]: each code has the five headings, a positive and a negative fixture
//! (or a named unit test where no input file can reach the code).

use crate::diagnostic::Severity;

/// Where a rule's page is: [`Code::help_uri`] is this base, the code, then `.md`. The docs site
/// (`cargo xtask docs`, the `scalelens-docgen` crate) writes each rule's page at exactly that
/// path, so SARIF's `helpUri`, `scalelens rule` and the site agree by construction, and the
/// docs test fails when a page is missing.
///
/// No host is decided for the site yet, so this is relative to the repository root: the page's
/// Markdown source, `docs/src/rules/<code>.md` (readable on any Git host's file view). The
/// built site serves the same page at `rules/<code>.html`; once the site has a host, this one
/// constant becomes `https://HOST/rules/` and [`Code::help_uri`]'s `.md` becomes `.html`
/// (ARCHITECTURE.md, "The docs site").
pub const RULE_DOCS_BASE: &str = "docs/src/rules/";

/// The five sections every rule's docs have, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    What,
    Why,
    Example,
    Fix,
    References,
}

impl Section {
    pub const ALL: [Section; 5] = [
        Section::What,
        Section::Why,
        Section::Example,
        Section::Fix,
        Section::References,
    ];

    /// The heading as written in the doc comment (after `# `).
    pub const fn heading(self) -> &'static str {
        match self {
            Section::What => "What it does",
            Section::Why => "Why is this bad",
            Section::Example => "Example",
            Section::Fix => "Fix",
            Section::References => "References",
        }
    }

    /// The key of the section in `scalelens rule --format json`.
    pub const fn key(self) -> &'static str {
        match self {
            Section::What => "what",
            Section::Why => "why",
            Section::Example => "example",
            Section::Fix => "fix",
            Section::References => "references",
        }
    }
}

/// A rule's docs: the doc comment written with `rule_doc!`, as Markdown. Read it through
/// [`RuleDoc::summary`] and [`RuleDoc::section`]; intra-doc links (`` [`crate::x::y`] ``) read
/// as code (`` `x::y` ``) there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleDoc {
    /// The doc comment's lines joined with `\n`, each still with the one leading space a `///`
    /// comment leaves.
    raw: &'static str,
    /// The same from its `# References` heading on (empty without one): a string of its own,
    /// so a reader of only the references ([`Code::references`], the playground's tooltips)
    /// does not carry every rule's docs in its download.
    references: &'static str,
}

impl RuleDoc {
    /// Used by `rule_doc!`.
    pub const fn from_doc_comment(raw: &'static str, references: &'static str) -> Self {
        RuleDoc { raw, references }
    }

    /// The lines, each with whether it is inside a fenced code block (where `# x` is text).
    fn lines(&self) -> impl Iterator<Item = (bool, String)> + '_ {
        let mut fenced = false;
        self.raw.lines().map(move |l| {
            let l = l.strip_prefix(' ').unwrap_or(l);
            let fence = l.trim_start().starts_with("```");
            let inside = fenced || fence;
            if fence {
                fenced = !fenced;
            }
            (
                inside,
                if inside {
                    l.to_string()
                } else {
                    clean_links(l)
                },
            )
        })
    }

    /// A heading's text, for a line outside code blocks that is one.
    fn heading_of((fenced, line): &(bool, String)) -> Option<&str> {
        if *fenced {
            return None;
        }
        line.strip_prefix("# ")
    }

    /// The first paragraph: one sentence saying what the code reports.
    pub fn summary(&self) -> String {
        let mut out = Vec::new();
        for l in self.lines() {
            if l.1.trim().is_empty() || Self::heading_of(&l).is_some() {
                break;
            }
            out.push(l.1.trim().to_string());
        }
        out.join(" ")
    }

    /// The text under `section`'s heading, trimmed; `None` when the heading is missing (the
    /// coverage test requires all five, in order, each with text).
    pub fn section(&self, section: Section) -> Option<String> {
        let mut lines = self
            .lines()
            .skip_while(|l| Self::heading_of(l) != Some(section.heading()));
        lines.next()?;
        let body: Vec<String> = lines
            .take_while(|l| Self::heading_of(l).is_none())
            .map(|l| l.1)
            .collect();
        Some(body.join("\n").trim().to_string())
    }

    /// The headings as written, in order (for the coverage test).
    pub fn headings(&self) -> Vec<String> {
        self.lines()
            .filter_map(|l| Self::heading_of(&l).map(str::to_string))
            .collect()
    }

    /// The docs as Markdown: the summary, then the five sections under `##` headings.
    pub fn markdown(&self) -> String {
        let mut out = self.summary();
        for s in Section::ALL {
            out.push_str("\n\n## ");
            out.push_str(s.heading());
            out.push_str("\n\n");
            out.push_str(&self.section(s).unwrap_or_default());
        }
        out.push('\n');
        out
    }
}

/// `` [`crate::a::b`] `` → `` `a::b` `` (rustdoc's intra-doc links, for readers outside rustdoc).
fn clean_links(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = rest.find("[`") {
        let (before, after) = rest.split_at(i);
        out.push_str(before);
        let inner = after.get(2..).unwrap_or("");
        match inner.find("`]") {
            Some(j) if !inner.get(..j).unwrap_or(" ").contains(' ') => {
                let target = inner.get(..j).unwrap_or("");
                out.push('`');
                out.push_str(target.strip_prefix("crate::").unwrap_or(target));
                out.push('`');
                rest = inner.get(j + 2..).unwrap_or("");
            }
            _ => {
                out.push_str("[`");
                rest = inner;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Declares a rule's docs as a `const` [`RuleDoc`] from its doc comment:
///
/// ```ignore
/// rule_doc! {
///     /// One sentence: what the code reports.
///     ///
///     /// # What it does
///     /// ...
///     /// # Why is this bad
///     /// ...
///     /// # Example
///     /// # Fix
///     /// # References
///     pub(crate) const DOC;
/// }
/// ```
///
/// then one line in [`Code`]'s list registers it.
macro_rules! rule_doc {
    // `tt`, not `literal`: a `literal` fragment reaches the `@references` rules opaque, where
    // it cannot match the heading's token.
    ($(#[doc = $line:tt])* $vis:vis const $name:ident;) => {
        $(#[doc = $line])*
        $vis const $name: $crate::codes::RuleDoc = $crate::codes::RuleDoc::from_doc_comment(
            concat!($($line, "\n"),*),
            $crate::codes::rule_doc!(@references $(#[doc = $line])*),
        );
    };
    // The lines from the `# References` heading on.
    // (A `///` comment reaches a macro as a raw string literal.)
    (@references #[doc = r" # References"] $(#[doc = $rest:tt])*) => {
        concat!(" # References\n", $($rest, "\n"),*)
    };
    (@references #[doc = $skip:tt] $(#[doc = $rest:tt])*) => {
        $crate::codes::rule_doc!(@references $(#[doc = $rest])*)
    };
    (@references) => {
        ""
    };
}
pub(crate) use rule_doc;

/// Builds [`Code`] from the list: `Variant = "code", DefaultSeverity, path::to::DOC;`.
macro_rules! codes {
    ($($variant:ident = $code:literal, $severity:ident, $doc:path;)*) => {
        /// Every diagnostic code the product emits. Serializes as its [`Code::as_str`] string;
        /// ordered by that string (so output sorted by code is as it was with plain strings).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $(
                #[doc = concat!("`", $code, "`")]
                $variant,
            )*
        }

        impl Code {
            /// Every code, in registry order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The stable kebab-case string.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            /// The severity the code is reported with unless its emitter says otherwise.
            pub const fn default_severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity,)*
                }
            }

            /// The rule's docs.
            pub const fn doc(self) -> RuleDoc {
                match self {
                    $(Code::$variant => $doc,)*
                }
            }

            /// The rule docs' References section (what `doc().section(Section::References)`
            /// gives), without the rest of the docs in the binary.
            pub fn references(self) -> Option<String> {
                let raw = match self {
                    $(Code::$variant => $doc.references,)*
                };
                RuleDoc::from_doc_comment(raw, raw).section(Section::References)
            }
        }
    };
}

codes! {
    YamlSyntax = "yaml-syntax", Error, crate::yaml::YAML_SYNTAX;
    YamlLimit = "yaml-limit", Error, crate::yaml::YAML_LIMIT;
    DuplicateKey = "duplicate-key", Warning, crate::yaml::DUPLICATE_KEY;
    HelmTemplate = "helm-template", Warning, crate::config::helm::HELM_TEMPLATE;
    SimDefaultPodStartup = "sim-default-pod-startup", Note, crate::sim::rules::SIM_DEFAULT_POD_STARTUP;
    SimDefaultInitialReplicas = "sim-default-initial-replicas", Note, crate::sim::rules::SIM_DEFAULT_INITIAL_REPLICAS;
    SimDemandMetric = "sim-demand-metric", Note, crate::sim::rules::SIM_DEMAND_METRIC;
    ReplayTooLong = "replay-too-long", Error, crate::sim::limit::REPLAY_TOO_LONG;
    ReplayWindow = "replay-window", Error, crate::sim::rules::REPLAY_WINDOW;
    NoAutoscaler = "no-autoscaler", Error, crate::config::rules::NO_AUTOSCALER;
    MultipleAutoscalers = "multiple-autoscalers", Note, crate::config::rules::MULTIPLE_AUTOSCALERS;
    UnknownAutoscaler = "unknown-autoscaler", Error, crate::config::rules::UNKNOWN_AUTOSCALER;
    IgnoredDocument = "ignored-document", Note, crate::config::rules::IGNORED_DOCUMENT;
    WrongType = "wrong-type", Error, crate::config::rules::WRONG_TYPE;
    UnquotedString = "unquoted-string", Warning, crate::config::rules::UNQUOTED_STRING;
    MissingField = "missing-field", Error, crate::config::rules::MISSING_FIELD;
    UnknownField = "unknown-field", Warning, crate::config::rules::UNKNOWN_FIELD;
    UnknownKind = "unknown-kind", Error, crate::config::rules::UNKNOWN_KIND;
    UnknownApiVersion = "unknown-api-version", Error, crate::config::rules::UNKNOWN_API_VERSION;
    RemovedApiVersion = "removed-api-version", Warning, crate::config::hpa::REMOVED_API_VERSION;
    HpaAnnotationIgnored = "hpa-annotation-ignored", Warning, crate::config::hpa_v1::HPA_ANNOTATION_IGNORED;
    FeatureGateOff = "feature-gate-off", Note, crate::config::hpa::FEATURE_GATE_OFF;
    InvalidValue = "invalid-value", Error, crate::config::rules::INVALID_VALUE;
    OutOfRange = "out-of-range", Error, crate::config::rules::OUT_OF_RANGE;
    MinAboveMax = "min-above-max", Error, crate::config::rules::MIN_ABOVE_MAX;
    InvalidTarget = "invalid-target", Error, crate::config::rules::INVALID_TARGET;
    TargetAboveBound = "target-above-bound", Warning, crate::config::rules::TARGET_ABOVE_BOUND;
    DeprecatedMetric = "deprecated-metric", Note, crate::config::rules::DEPRECATED_METRIC;
    DeprecatedValue = "deprecated-value", Note, crate::config::rules::DEPRECATED_VALUE;
    UnknownMetricSource = "unknown-metric-source", Error, crate::config::rules::UNKNOWN_METRIC_SOURCE;
    UnknownTargetType = "unknown-target-type", Error, crate::config::rules::UNKNOWN_TARGET_TYPE;
    UnknownPolicyType = "unknown-policy-type", Error, crate::config::hpa::UNKNOWN_POLICY_TYPE;
    UnknownValue = "unknown-value", Error, crate::config::rules::UNKNOWN_VALUE;
    AibrixIgnoredAnnotation = "aibrix-ignored-annotation", Warning, crate::config::aibrix::AIBRIX_IGNORED_ANNOTATION;
    AibrixKeyInLabels = "aibrix-key-in-labels", Warning, crate::config::aibrix::AIBRIX_KEY_IN_LABELS;
    AibrixTargetTruncated = "aibrix-target-truncated", Error, crate::config::aibrix::AIBRIX_TARGET_TRUNCATED;
    AibrixExternalReadsZero = "aibrix-external-reads-zero", Warning, crate::config::aibrix::AIBRIX_EXTERNAL_READS_ZERO;
    KedaResourceOnlyZero = "keda-resource-only-zero", Error, crate::config::keda::KEDA_RESOURCE_ONLY_ZERO;
    KedaScalerDemand = "keda-scaler-demand", Note, crate::config::keda_scaler::KEDA_SCALER_DEMAND;
    KedaPaused = "keda-paused", Warning, crate::config::keda::KEDA_PAUSED;
    KedaCronClock = "keda-cron-clock", Warning, crate::algorithm::keda_cron::KEDA_CRON_CLOCK;
    KedaFallbackInvalid = "keda-fallback-invalid", Error, crate::config::keda::FALLBACK_INVALID;
    SimMetricOutage = "sim-metric-outage", Note, crate::sim::rules::SIM_METRIC_OUTAGE;
    DuplicateName = "duplicate-name", Error, crate::config::keda::DUPLICATE_NAME;
    UnsupportedFeature = "unsupported-feature", Warning, crate::config::rules::UNSUPPORTED_FEATURE;
    KnativeHpaClassIgnored = "knative-hpa-class-ignored", Warning, crate::config::knative::KNATIVE_HPA_CLASS_IGNORED;
    KserveNotAutoscaled = "kserve-not-autoscaled", Warning, crate::config::kserve::KSERVE_NOT_AUTOSCALED;
    KserveAssumedMode = "kserve-assumed-mode", Note, crate::config::kserve::KSERVE_ASSUMED_MODE;
    SimDemandAboveBound = "sim-demand-above-bound", Warning, crate::sim::rules::SIM_DEMAND_ABOVE_BOUND;
    UnitMismatch = "unit-mismatch", Warning, crate::analysis::unit_mismatch::DOC;
    NeverScalesDown = "never-scales-down", Warning, crate::analysis::never_scales_down::DOC;
    PinnedAtMax = "pinned-at-max", Warning, crate::analysis::pinned_at_max::DOC;
    Flapping = "flapping", Warning, crate::analysis::flapping::DOC;
    ValueVsAveragevalue = "value-vs-averagevalue", Warning, crate::analysis::value_vs_averagevalue::DOC;
    PromqlSyntax = "promql-syntax", Warning, crate::analysis::promql_series::SYNTAX;
    PromqlMultipleSeries = "promql-multiple-series", Warning, crate::analysis::promql_series::MULTIPLE_SERIES;
    PromqlUnitMismatch = "promql-unit-mismatch", Warning, crate::analysis::promql_unit::DOC;
    PromqlRateWindow = "promql-rate-window", Warning, crate::analysis::promql_rate::DOC;
    NeverReachesTarget = "never-reaches-target", Warning, crate::analysis::never_reaches_target::DOC;
    ScaleToZeroMisconfigured = "scale-to-zero-misconfigured", Warning, crate::analysis::scale_to_zero::DOC;
    WindowShorterThanScrape = "window-shorter-than-scrape", Warning, crate::analysis::window_shorter_than_scrape::DOC;
    TargetUnreachable = "target-unreachable", Warning, crate::analysis::target_unreachable::DOC;
    SamplesFormat = "samples-format", Note, crate::samples::rules::FORMAT;
    SamplesSelector = "samples-selector", Note, crate::samples::rules::SELECTOR;
    SamplesNonFinite = "samples-non-finite", Warning, crate::samples::rules::NON_FINITE;
    SamplesMissingValue = "samples-missing-value", Warning, crate::samples::rules::MISSING_VALUE;
    SamplesUnsorted = "samples-unsorted", Warning, crate::samples::rules::UNSORTED;
    SamplesDuplicateTime = "samples-duplicate-time", Warning, crate::samples::rules::DUPLICATE_TIME;
    SamplesGap = "samples-gap", Warning, crate::samples::rules::GAP;
    SamplesStray = "samples-stray", Warning, crate::samples::rules::STRAY;
    SamplesCounter = "samples-counter", Warning, crate::samples::rules::COUNTER;
    SamplesCounterReset = "samples-counter-reset", Warning, crate::samples::rules::COUNTER_RESET;
    SamplesPodChurn = "samples-pod-churn", Note, crate::samples::rules::POD_CHURN;
    SamplesNoPod = "samples-no-pod", Warning, crate::samples::rules::NO_POD;
    SamplesPodLabelAlias = "samples-pod-label-alias", Note, crate::samples::rules::POD_LABEL_ALIAS;
    SamplesDuplicatePod = "samples-duplicate-pod", Warning, crate::samples::rules::DUPLICATE_POD;
    SamplesScrapeInterval = "samples-scrape-interval", Warning, crate::samples::rules::SCRAPE_INTERVAL;
    SamplesUnevenScrapes = "samples-uneven-scrapes", Warning, crate::samples::rules::UNEVEN_SCRAPES;
    SamplesZonelessTime = "samples-zoneless-time", Note, crate::samples::rules::ZONELESS_TIME;
    SamplesEpochSeconds = "samples-epoch-seconds", Note, crate::samples::rules::EPOCH_SECONDS;
    SamplesIgnoredColumn = "samples-ignored-column", Note, crate::samples::rules::IGNORED_COLUMN;
    SamplesReplicasConflict = "samples-replicas-conflict", Warning, crate::samples::rules::REPLICAS_CONFLICT;
    SamplesPrometheusWarning = "samples-prometheus-warning", Warning, crate::samples::rules::PROMETHEUS_WARNING;
    SamplesHistogramSkipped = "samples-histogram-skipped", Warning, crate::samples::rules::HISTOGRAM_SKIPPED;
    SamplesPercentScale = "samples-percent-scale", Warning, crate::samples::rules::PERCENT_SCALE;
    SamplesDemandInterpretation = "samples-demand-interpretation", Note, crate::samples::rules::DEMAND_INTERPRETATION;
    SamplesDemandStep = "samples-demand-step", Note, crate::samples::rules::DEMAND_STEP;
    SamplesDemandPodAbsent = "samples-demand-pod-absent", Warning, crate::samples::rules::DEMAND_POD_ABSENT;
    SamplesDemandEmptyStep = "samples-demand-empty-step", Warning, crate::samples::rules::DEMAND_EMPTY_STEP;
    SamplesDemandCollapsed = "samples-demand-collapsed", Note, crate::samples::rules::DEMAND_COLLAPSED;
    SamplesDemandNegative = "samples-demand-negative", Warning, crate::samples::rules::DEMAND_NEGATIVE;
    SamplesDemandNoReplicas = "samples-demand-no-replicas", Warning, crate::samples::rules::DEMAND_NO_REPLICAS;
    SamplesDemandEmpty = "samples-demand-empty", Error, crate::samples::rules::DEMAND_EMPTY;
    SamplesDemandOffset = "samples-demand-offset", Note, crate::samples::rules::DEMAND_OFFSET;
    SamplesUnreadable = "samples-unreadable", Error, crate::samples::rules::UNREADABLE;
}

impl Code {
    /// The code whose string is `s`.
    pub fn from_str_opt(s: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == s)
    }

    /// The rule's page ([`RULE_DOCS_BASE`]`<code>.md`): its generated Markdown in the repository.
    pub fn help_uri(self) -> String {
        format!("{RULE_DOCS_BASE}{}.md", self.as_str())
    }

    /// The known codes closest to `s` (edit distance at most a third of its length, at least 2),
    /// best first: for "did you mean" on a mistyped code.
    pub fn suggest(s: &str) -> Vec<Code> {
        let limit = (s.chars().count() / 3).max(2);
        let mut scored: Vec<(usize, Code)> = Code::ALL
            .iter()
            .map(|c| (edit_distance(s, c.as_str()), *c))
            .filter(|(d, _)| *d <= limit)
            .collect();
        crate::sort::by(&mut scored, |a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        scored.into_iter().map(|(_, c)| c).collect()
    }
}

/// Levenshtein distance over characters (two rows; inputs are short codes).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        if let Some(first) = cur.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            if let Some(c) = cur.get_mut(j + 1) {
                *c = sub.min(del).min(ins);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(0)
}

impl PartialOrd for Code {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Code {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_the_docs_references_section() {
        for c in Code::ALL {
            let refs = c.references();
            assert!(refs.as_deref().is_some_and(|r| !r.is_empty()), "{c:?}");
            assert_eq!(refs, c.doc().section(Section::References), "{c:?}");
        }
    }

    #[test]
    fn codes_are_unique_kebab_case_and_round_trip() {
        let mut seen = std::collections::BTreeSet::new();
        for c in Code::ALL {
            let s = c.as_str();
            assert!(seen.insert(s), "{s} twice");
            assert!(
                s.split('-')
                    .all(|w| !w.is_empty() && w.chars().all(|ch| ch.is_ascii_lowercase())),
                "{s}"
            );
            assert_eq!(Code::from_str_opt(s), Some(*c));
        }
    }

    /// The summary is SARIF's `shortDescription` and the rules index's column: one whole
    /// sentence (a summary cut mid-sentence once shipped: `scale-to-zero-misconfigured`).
    #[test]
    fn every_summary_is_one_whole_sentence() {
        for c in Code::ALL {
            let s = c.doc().summary();
            assert!(
                s.ends_with('.') && !s.trim_end_matches('.').contains(". "),
                "{}: {s:?}",
                c.as_str()
            );
        }
    }

    #[test]
    fn docs_read_as_summary_and_sections() {
        let d = Code::Flapping.doc();
        assert!(!d.summary().is_empty());
        assert!(!d.summary().contains('#'));
        for s in Section::ALL {
            assert!(d.section(s).is_some_and(|t| !t.is_empty()), "{s:?}");
        }
        // Intra-doc links read as code.
        assert!(!d.markdown().contains("[`"), "{}", d.markdown());
    }

    #[test]
    fn suggestions_are_close_codes() {
        let table: [(&str, &[Code]); 4] = [
            ("flaping", &[Code::Flapping]),
            ("yaml-sintax", &[Code::YamlSyntax]),
            ("pinned-at-mx", &[Code::PinnedAtMax]),
            ("zzzzzzzzzzzz", &[]),
        ];
        for (typed, want) in table {
            let got = Code::suggest(typed);
            assert_eq!(&got[..want.len().min(got.len())], want, "{typed}");
            assert_eq!(got.is_empty(), want.is_empty(), "{typed}");
        }
    }

    #[test]
    fn clean_links_keeps_other_brackets() {
        assert_eq!(clean_links("see [`crate::a::b`]."), "see `a::b`.");
        assert_eq!(clean_links("[`a b`] [x]"), "[`a b`] [x]");
    }
}
