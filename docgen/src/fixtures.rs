//! Which fixture shows each diagnostic code, read from the fixtures' own declarations: the one
//! index the diagnostic coverage test (`tests/tests/diagnostic_coverage.rs`, which runs each
//! fixture and checks the declared codes are really reported) and the rule pages' live examples
//! ([`example`]) share.
//!
//! A fixture declares a code it reports (a positive):
//! - a config YAML under `tests/testdata/config/`: `# expect: CODE` (also `# expect-global:`,
//!   `# expect-note:`); `# expect-not: CODE` declares it absent;
//! - a folder case `tests/testdata/{analysis,timelines}/<case>/`: a `CODE` line in its `expect`
//!   file (`!CODE` absent, [`Expect`]);
//! - a samples fixture with a sidecar `<file>.expect` ([`SamplesExpect`]).
//!
//! A rule page embeds the playground on its code's first replayable positive ([`example`]): a
//! folder case whose command line the playground can hold (samples or one demand file, the
//! replay settings), else a config YAML (checked, not replayed), else a samples fixture.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use scalelens_core::{duration, pipeline};
use scalelens_web::state::State;

/// The folder of the fixtures, relative to the workspace root; fixture names are relative to it
/// (`testdata/config/hpa/v2.yaml`), as the CLI's output shows them.
pub const TESTS_DIR: &str = "tests";

/// Longest share link a rule page embeds (characters of the fragment): a longer case is skipped
/// for the next positive, so a page stays small.
pub const MAX_FRAGMENT: usize = 48_000;

/// The YAML a samples fixture opens with in the playground (relative to the tests crate): the
/// playground imports samples only for an autoscaler's metric.
pub const SAMPLES_HOST: &str = "testdata/samples/playground-host.yaml";
/// The metric name in [`SAMPLES_HOST`], replaced by a sidecar's `metric`.
const SAMPLES_HOST_METRIC: &str = "num_requests_running";

/// The workspace root (this crate's parent folder).
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn tests_dir() -> PathBuf {
    workspace().join(TESTS_DIR)
}

/// Codes after `marker` anywhere in `src` (`# expect: a, b`).
pub fn declared(src: &str, marker: &str) -> BTreeSet<String> {
    let mut set = BTreeSet::new();
    for line in src.lines() {
        if let Some(rest) = line.find(marker).and_then(|p| line.get(p + marker.len()..)) {
            for t in rest
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

/// A config fixture's positives (`# expect:`, `# expect-global:`, `# expect-note:`).
pub fn config_positives(src: &str) -> BTreeSet<String> {
    let mut pos = declared(src, "# expect: ");
    pos.extend(declared(src, "# expect-global: "));
    pos.extend(declared(src, "# expect-note: "));
    pos
}

/// The AIBrix release a config fixture asks for (`# options: aibrix-version=v0.4` on its first
/// line), as written.
pub fn config_aibrix_version(src: &str) -> Option<&str> {
    src.lines()
        .next()
        .filter(|l| l.starts_with("# options:"))?
        .split_whitespace()
        .find_map(|kv| kv.strip_prefix("aibrix-version="))
}

/// A folder case's `expect` file: one item a line (`#` starts a comment):
/// - `exit N`: the expected exit code (default 0);
/// - `code`: a diagnostic with that code must be in the report (any severity);
/// - `!code`: no diagnostic with that code may be in the report (the case is a negative
///   fixture for it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expect {
    pub exit: u8,
    pub fires: Vec<String>,
    pub absent: Vec<String>,
}

/// An `expect` line that is not one of [`Expect`]'s items.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unreadable expectation line {0:?}")]
pub struct BadExpect(pub String);

/// Parse an `expect` file (see [`Expect`]).
pub fn parse_expect(text: &str) -> Result<Expect, BadExpect> {
    let mut e = Expect::default();
    for line in text.lines() {
        let item = line.split('#').next().unwrap_or("").trim();
        if item.is_empty() {
            continue;
        }
        if let Some(n) = item.strip_prefix("exit ") {
            e.exit = n.trim().parse().map_err(|_| BadExpect(line.to_string()))?;
        } else if let Some(code) = item.strip_prefix('!') {
            e.absent.push(code.trim().to_string());
        } else {
            e.fires.push(item.to_string());
        }
    }
    Ok(e)
}

/// A samples fixture's sidecar `<file>.expect`: one item a line (`#` starts a comment):
/// `data PATH` (the samples file, relative to the tests crate, when it lives elsewhere),
/// `metric NAME` (the metric to import), `selector LABEL=VALUE[,LABEL=VALUE]` (the metric's
/// `matchLabels`), `format F` (skip detection: `csv`, `grafana-wide`, `grafana-long`,
/// `exposition`, `prometheus-json`), `interpretation I` (`auto`, `per-pod`, `total`,
/// `average`), `code` (reported by the import or the step to demand), `!code` (not reported).
/// Values are kept as written; the coverage test reads them into the importer's types.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SamplesExpect {
    pub data: Option<String>,
    pub metric: Option<String>,
    /// `(label, value)` pairs, as written.
    pub selector: Vec<(String, String)>,
    pub format: Option<String>,
    pub interpretation: Option<String>,
    pub fires: BTreeSet<String>,
    pub absent: BTreeSet<String>,
}

/// Parse a samples sidecar (see [`SamplesExpect`]); a selector pair without `=` is an error.
pub fn parse_samples_expect(text: &str) -> Result<SamplesExpect, BadExpect> {
    let mut e = SamplesExpect::default();
    for line in text.lines() {
        let item = line.split('#').next().unwrap_or("").trim();
        if item.is_empty() {
            continue;
        }
        let value = |p: &str| item.strip_prefix(p).map(|v| v.trim().to_string());
        if let Some(d) = value("data ") {
            e.data = Some(d);
        } else if let Some(m) = value("metric ") {
            e.metric = Some(m);
        } else if let Some(sel) = value("selector ") {
            for pair in sel.split(',') {
                let (label, v) = pair
                    .split_once('=')
                    .ok_or_else(|| BadExpect(line.to_string()))?;
                e.selector
                    .push((label.trim().to_string(), v.trim().to_string()));
            }
        } else if let Some(f) = value("format ") {
            e.format = Some(f);
        } else if let Some(i) = value("interpretation ") {
            e.interpretation = Some(i);
        } else if let Some(code) = item.strip_prefix('!') {
            e.absent.insert(code.trim().to_string());
        } else {
            e.fires.insert(item.to_string());
        }
    }
    Ok(e)
}

/// `(data file relative to the tests crate, sidecar)` for every samples fixture with a sidecar,
/// sorted by data file.
pub fn samples_cases() -> Vec<(String, SamplesExpect)> {
    let base = tests_dir();
    let mut out = Vec::new();
    for p in files_under(&base.join("testdata/samples"), "expect") {
        let Ok(text) = fs::read_to_string(&p) else {
            continue;
        };
        let Ok(expect) = parse_samples_expect(&text) else {
            continue; // the coverage test reports it
        };
        let data = match &expect.data {
            Some(rel) => base.join(rel),
            None => p.with_extension(""),
        };
        out.push((rel_to(&base, &data), expect));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Files under `dir` (recursively) whose name ends with `.ext`, sorted.
pub fn files_under(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == ext) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn rel_to(base: &Path, p: &Path) -> String {
    p.strip_prefix(base)
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

/// A folder case: `tests/testdata/<kind>/<name>/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// `analysis` (`scalelens check`) or `timelines` (`scalelens simulate`).
    pub kind: String,
    pub name: String,
    /// The YAML it runs, relative to the tests crate: its `autoscaler.yaml` or the file its
    /// `config` file names.
    pub config: String,
    /// The rest of its command line (its `args` file).
    pub args: Vec<String>,
    pub expect: Expect,
}

impl Case {
    /// The case's name as the coverage test reports it (`timelines/hpa-cpu`).
    pub fn id(&self) -> String {
        format!("{}/{}", self.kind, self.name)
    }
}

/// Every folder case of `kind` (folders with an `autoscaler.yaml` or a `config` file), sorted.
pub fn cases(kind: &str) -> Vec<Case> {
    let root = tests_dir().join("testdata").join(kind);
    let Ok(entries) = fs::read_dir(&root) else {
        return Vec::new();
    };
    let mut out: Vec<Case> = entries
        .flatten()
        .filter_map(|e| {
            let dir = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            let config = if dir.join("autoscaler.yaml").exists() {
                format!("testdata/{kind}/{name}/autoscaler.yaml")
            } else {
                fs::read_to_string(dir.join("config"))
                    .ok()?
                    .trim()
                    .to_string()
            };
            let args = fs::read_to_string(dir.join("args")).unwrap_or_default();
            let expect = fs::read_to_string(dir.join("expect"))
                .ok()
                .and_then(|t| parse_expect(&t).ok())
                .unwrap_or_default();
            Some(Case {
                kind: kind.to_string(),
                name,
                config,
                args: args.split_whitespace().map(str::to_string).collect(),
                expect,
            })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// The folder case kinds, in the order [`example`] prefers them.
pub const CASE_KINDS: &[&str] = &["timelines", "analysis"];

/// A fixture that declares a code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fixture {
    Case(Case),
    /// A config YAML, relative to the tests crate.
    Config(String),
    /// A samples file (relative to the tests crate) and its sidecar.
    Samples(String, SamplesExpect),
}

impl Fixture {
    /// The name the coverage test records it under.
    pub fn id(&self) -> String {
        match self {
            Fixture::Case(c) => c.id(),
            Fixture::Config(p) | Fixture::Samples(p, _) => p.clone(),
        }
    }
}

/// Every declared positive, per code, in [`example`]'s order of preference: folder cases
/// ([`CASE_KINDS`]), config YAML, samples fixtures.
pub fn positives() -> BTreeMap<String, Vec<Fixture>> {
    let mut map: BTreeMap<String, Vec<Fixture>> = BTreeMap::new();
    for kind in CASE_KINDS {
        for c in cases(kind) {
            for code in &c.expect.fires {
                map.entry(code.clone())
                    .or_default()
                    .push(Fixture::Case(c.clone()));
            }
        }
    }
    let base = tests_dir();
    for f in files_under(&base.join("testdata/config"), "yaml") {
        let src = fs::read_to_string(&f).unwrap_or_default();
        for code in config_positives(&src) {
            map.entry(code)
                .or_default()
                .push(Fixture::Config(rel_to(&base, &f)));
        }
    }
    for (data, e) in samples_cases() {
        for code in &e.fires {
            map.entry(code.clone())
                .or_default()
                .push(Fixture::Samples(data.clone(), e.clone()));
        }
    }
    map
}

/// A rule page's live example: the fixture, the playground state that opens it, and the
/// `scalelens simulate` arguments that replay it (`None`: the case is checked, not replayed).
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub fixture: Fixture,
    pub state: State,
    /// `simulate` arguments after the subcommand, relative to the tests crate.
    pub replay: Option<Vec<String>>,
}

impl Example {
    /// The share-link fragment (`v1:…`, without `#`), as the playground reads it.
    pub fn fragment(&self) -> String {
        self.state.to_fragment()
    }
}

fn read_test_file(rel: &str) -> Option<String> {
    fs::read_to_string(tests_dir().join(rel)).ok()
}

fn seconds(text: &str) -> Option<u64> {
    duration::parse_millis(text).ok().map(|ms| ms / 1000)
}

/// The playground state of a folder case, when the playground can hold its command line.
pub fn case_state(c: &Case) -> Option<State> {
    let mut s = State {
        yaml: read_test_file(&c.config)?,
        ..State::default()
    };
    let mut args = c.args.iter();
    while let Some(a) = args.next() {
        let mut value = || args.next().cloned();
        match a.as_str() {
            "--samples" => s.samples = read_test_file(&value()?)?,
            "--demand" => {
                let file = value()?;
                if file.contains('=') {
                    return None; // several demand series: not a playground input
                }
                s.samples = read_test_file(&file)?;
                s.samples_are = Some("total".into());
            }
            "--samples-are" => s.samples_are = Some(value()?),
            "--pod-startup" => s.pod_startup_s = Some(seconds(&value()?)?),
            "--duration" => s.horizon_s = Some(seconds(&value()?)?),
            "--initial-replicas" => s.initial_replicas = Some(value()?.parse().ok()?),
            "--aibrix-version" => s.aibrix = Some(value()?),
            "--name" => s.autoscaler = Some(value()?),
            "--from" => s.window_from = Some(value()?),
            "--to" => s.window_to = Some(value()?),
            _ => return None,
        }
    }
    Some(s)
}

/// The example of one fixture, when the playground can open it.
fn example_of(f: &Fixture) -> Option<Example> {
    let (state, replay) = match f {
        Fixture::Case(c) => {
            let state = case_state(c)?;
            let replayed = !state.samples.is_empty() && c.expect.exit == 0;
            let mut args = vec![c.config.clone()];
            args.extend(c.args.iter().cloned());
            (state, replayed.then_some(args))
        }
        Fixture::Config(p) => {
            let yaml = read_test_file(p)?;
            let aibrix = config_aibrix_version(&yaml).map(str::to_string);
            (
                State {
                    yaml,
                    aibrix,
                    ..State::default()
                },
                None,
            )
        }
        Fixture::Samples(p, e) => {
            let host = read_test_file(SAMPLES_HOST)?;
            let yaml = match &e.metric {
                Some(m) => host.replace(SAMPLES_HOST_METRIC, m),
                None => host,
            };
            let state = State {
                yaml,
                samples: read_test_file(p)?,
                samples_are: e.interpretation.clone().filter(|i| i != "auto"),
                ..State::default()
            };
            (state, None)
        }
    };
    let ex = Example {
        fixture: f.clone(),
        state,
        replay,
    };
    (ex.state.too_large().is_none() && ex.fragment().len() <= MAX_FRAGMENT).then_some(ex)
}

/// The codes the playground reports for `state`: the pipeline it runs, on the same input. As
/// the playground does, an autoscaler name the YAML does not have is dropped for the first
/// autoscaler (`web/src/app.rs` `follow_autoscalers`).
pub fn playground_codes(state: &State) -> BTreeSet<String> {
    let mut out = pipeline::run(&state.pipeline_input());
    if let Some(chosen) = &state.autoscaler {
        if !out.autoscalers.is_empty() && !out.autoscalers.iter().any(|(n, _)| n == chosen) {
            let first = State {
                autoscaler: None,
                ..state.clone()
            };
            out = pipeline::run(&first.pipeline_input());
        }
    }
    out.findings
        .iter()
        .map(|f| f.diagnostic.code.as_str().to_string())
        .collect()
}

/// Whether an example needs what the playground's build leaves out of core (`core/Cargo.toml`:
/// `tz`, `promql` and `formula` are off in `web/`, for the page's size): a KEDA cron trigger's
/// `timezone`, a `scalingModifiers` formula, a PromQL check. This process has them on (the CLI
/// does), so [`playground_codes`] would report what the real playground does not.
pub fn beyond_playground(code: &str, state: &State) -> bool {
    code.starts_with("promql-")
        || state.yaml.contains("timezone:")
        || state.yaml.contains("scalingModifiers")
}

/// Every code's live example: its first positive the playground can open, replayed ones
/// first. A code missing here has no fixture the playground can open.
pub fn examples() -> BTreeMap<String, Example> {
    positives()
        .into_iter()
        .filter_map(|(code, fs)| {
            // Only an example the playground really shows the code on (it has no field for a
            // samples format or several demand files).
            let all: Vec<Example> = fs
                .iter()
                .filter_map(example_of)
                .filter(|e| !beyond_playground(&code, &e.state))
                .filter(|e| playground_codes(&e.state).contains(&code))
                .collect();
            let best = all
                .iter()
                .find(|e| e.replay.is_some())
                .or(all.first())
                .cloned()?;
            Some((code, best))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_are_read_up_to_the_first_word_that_is_not_a_code() {
        let src = "a: 1 # expect: flapping, unit-mismatch (the window is 0)\n\
                   # expect-not: pinned-at-max\n";
        assert_eq!(
            declared(src, "# expect: "),
            BTreeSet::from(["flapping".to_string(), "unit-mismatch".to_string()])
        );
        assert_eq!(
            declared(src, "# expect-not: "),
            BTreeSet::from(["pinned-at-max".to_string()])
        );
    }

    /// Every flag the test cases pass is one the playground holds, or one it has no control
    /// for (then the case is not an example); a flag read under another name (`--duration`
    /// once looked up as `--horizon`) would drop its cases from the docs in silence.
    #[test]
    fn the_playground_holds_every_case_but_those_with_a_flag_it_lacks() {
        const NO_CONTROL: [&str; 2] = ["--metric-outage", "--scrape-interval"];
        let mut cases = super::cases("timelines");
        cases.extend(super::cases("analysis"));
        assert!(cases.len() > 20, "{} cases", cases.len());
        for c in cases {
            let lacks = c.args.iter().any(|a| NO_CONTROL.contains(&a.as_str()))
                || c.args.iter().any(|a| a.contains('='));
            assert_eq!(
                case_state(&c).is_some(),
                !lacks,
                "{}/{}: {:?}",
                c.kind,
                c.name,
                c.args
            );
        }
    }

    #[test]
    fn expect_files() {
        let e = parse_expect("exit 2 # usage\nflapping\n!pinned-at-max\n").unwrap();
        assert_eq!(e.exit, 2);
        assert_eq!(e.fires, vec!["flapping"]);
        assert_eq!(e.absent, vec!["pinned-at-max"]);
        assert!(parse_expect("exit two").is_err());
    }
}
