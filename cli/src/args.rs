//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::{ArgGroup, Parser, Subcommand, ValueEnum};

use scalelens_core::config::feature_gates::FeatureGates;
use scalelens_core::model::AibrixVersion;
use scalelens_core::pipeline::{OutageWindow, PipelineOptions, ReplayWindow, WindowBound};
use scalelens_core::sim::MAX_EVALUATIONS_CEILING;
use scalelens_core::Millis;

use crate::prometheus::{Access, PrometheusError, RangeQuery};

/// What `--version` prints: the crate version and every upstream release whose behaviour is
/// replayed (`core::upstream::REPLAYED`, the one list of them).
pub static LONG_VERSION: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let mut text = format!("{}\nreplays:", env!("CARGO_PKG_VERSION"));
    for r in scalelens_core::upstream::REPLAYED {
        text.push_str(&format!("\n  {}: {}", r.release, r.objects));
    }
    text
});

/// The exit status of `check`, `simulate` and `explain`, in every help that runs them
/// ([`crate::EXIT_OK`], [`crate::EXIT_ERRORS`], [`crate::EXIT_UNUSABLE`]).
const EXIT_STATUS: &str = "Exit status: 0 no errors (warnings and notes allowed), 1 errors in the \
                           input, 2 unusable input (unreadable file, no autoscaler, bad demand \
                           CSV, bad arguments).";

/// `--pod-startup`'s help, with the simulator's defaults (`core::sim`).
static POD_STARTUP_HELP: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    use scalelens_core::display::Dur;
    use scalelens_core::sim::{DEFAULT_POD_STARTUP, LLM_POD_STARTUP};
    format!(
        "Time from pod creation to ready, e.g. 30s, 2m (default: {} for a vLLM/GPU model server \
         (AIBrix, or a metric named for vLLM, GPU, KV cache or tokens), else {}; the output says \
         which it took)",
        Dur(LLM_POD_STARTUP),
        Dur(DEFAULT_POD_STARTUP)
    )
});

#[derive(Debug, Parser)]
#[command(
    name = "scalelens",
    version = LONG_VERSION.as_str(),
    about = "Replay Kubernetes autoscalers (AIBrix, HPA, KEDA, Knative) against a demand series and check their configuration",
    after_help = EXIT_STATUS
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Color the text output.
    #[arg(long, value_enum, global = true, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Refuse input files (config, demand, samples) larger than this, e.g. 64MB, 1GB (time and
    /// memory grow with the input).
    #[arg(
        long,
        global = true,
        value_name = "SIZE",
        value_parser = parse_size,
        default_value = "20MB"
    )]
    pub max_input_size: u64,
}

/// The default of `--max-input-size`: 20 MB. The command line answers within 2 s and 200 MB for
/// any input up to this size (README, "Limits"); a bigger file is refused before it is read, and
/// the message names the flag that raises the limit.
pub const DEFAULT_MAX_INPUT_SIZE: u64 = 20_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Color when standard output is a terminal.
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check an autoscaler configuration and report diagnostics.
    #[command(after_help = EXIT_STATUS)]
    Check(CheckArgs),
    /// Replay an autoscaler against a demand series and show what replicas it produces.
    #[command(after_help = EXIT_STATUS)]
    Simulate(SimulateArgs),
    /// Explain, in plain words, the decisions of a replay around one moment: the rule and the
    /// setting (with its line:column or upstream default) behind each replica count.
    #[command(after_help = EXIT_STATUS)]
    Explain(ExplainArgs),
    /// Print a diagnostic code's docs: what it reports, why it matters, an example, the fix and
    /// the upstream references.
    #[command(after_help = "Exit status: 0, or 2 for an unknown code or a bad argument.")]
    Rule(RuleArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RuleFormat {
    /// The docs as text.
    Text,
    /// One object (`--all`: an array of them) with `code`, `severity`, `summary`, `what`, `why`,
    /// `example`, `fix`, `references` and `help_uri`.
    Json,
}

#[derive(Debug, clap::Args)]
pub struct RuleArgs {
    /// The code, as diagnostics show it (`flapping`, `unit-mismatch`, ...).
    #[arg(
        value_name = "CODE",
        required_unless_present = "all",
        conflicts_with = "all"
    )]
    pub code: Option<String>,
    /// Every code, in registry order.
    #[arg(long)]
    pub all: bool,
    #[arg(long, value_enum, default_value_t = RuleFormat::Text)]
    pub format: RuleFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    /// The decision trace in sentences.
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub replay: ReplayArgs,
    /// The moment to explain: a time as the simulate table shows it (`15m`, `1h2m`, `0:40:00`),
    /// seconds (`900`), or an RFC 3339 time when the input's times are RFC 3339 or Unix times
    /// (default: the first moment replicas stopped following the load, else the first peak).
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// Show the decisions within this long of --at, e.g. 5m.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "5m")]
    pub around: Millis,
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    pub format: ExplainFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// rustc-like messages with source excerpts.
    Text,
    Json,
    /// SARIF 2.1.0 (code scanning).
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SimulateFormat {
    /// A table of the decisions where something changed.
    Text,
    Json,
    /// Every timeline row.
    Csv,
}

/// The AIBrix release that reads `PodAutoscaler`s (each a value and its tag as aliases; the
/// releases are `AibrixVersion::parse`'s).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum AibrixVersionArg {
    /// AIBrix v0.2.0, replayed by v0.4.0's code; it differs in reading every pod of a
    /// RayClusterFleet (flagged) and in what cannot show in a replay.
    #[value(name = "v0.2.0")]
    V020,
    /// AIBrix v0.2.1, replayed by v0.4.0's code (what differs cannot show in a replay, but
    /// for the HPA strategy with a target that does not parse, flagged).
    #[value(name = "v0.2", alias = "v0.2.1")]
    V021,
    /// AIBrix v0.3.0, replayed by v0.4.0's code (the autoscaler's files are v0.4.0's).
    #[value(name = "v0.3", alias = "v0.3.0")]
    V03,
    /// AIBrix v0.4.0 (v0.2–v0.4: summed pod values, stateful panic, 30m scale-down delay);
    /// v0.4.1 replays as v0.4.0 (it changed nothing of the autoscaler).
    #[value(name = "v0.4", alias = "v0.4.0", alias = "v0.4.1")]
    V04,
    /// AIBrix v0.5.0 (mean of pod values, cooldown windows; no `targetValue > 0` check).
    #[value(name = "v0.5", alias = "v0.5.0")]
    V05,
    /// AIBrix v0.6.0 (v0.5.0's controller with the `targetValue > 0` checks).
    #[value(name = "v0.6", alias = "v0.6.0")]
    V06,
    /// AIBrix v0.7.0 (v0.6.0's controller; nothing replayed changed).
    #[default]
    #[value(name = "v0.7", alias = "v0.7.0")]
    V07,
}

impl AibrixVersionArg {
    /// The AIBrix release this selects.
    pub fn version(self) -> AibrixVersion {
        match self {
            AibrixVersionArg::V020 => AibrixVersion::V0_2_0,
            AibrixVersionArg::V021 => AibrixVersion::V0_2_1,
            AibrixVersionArg::V03 => AibrixVersion::V0_3_0,
            AibrixVersionArg::V04 => AibrixVersion::V0_4,
            AibrixVersionArg::V05 => AibrixVersion::V0_5,
            AibrixVersionArg::V06 => AibrixVersion::V0_6,
            AibrixVersionArg::V07 => AibrixVersion::V0_7,
        }
    }
}

/// The KServe deployment mode assumed for an `InferenceService` that does not write one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KserveModeArg {
    /// A Knative Service per component (Knative KPA, or Knative's HPA class).
    #[value(name = "Knative", alias = "Serverless")]
    Knative,
    /// A Deployment per component, scaled by an HPA or a KEDA ScaledObject.
    #[value(name = "Standard", alias = "RawDeployment")]
    Standard,
}

impl KserveModeArg {
    /// The deployment mode this selects.
    pub fn mode(self) -> scalelens_core::upstream::kserve::DeploymentMode {
        use scalelens_core::upstream::kserve::DeploymentMode;
        match self {
            KserveModeArg::Knative => DeploymentMode::Knative,
            KserveModeArg::Standard => DeploymentMode::Standard,
        }
    }
}

/// How sample values relate to the demand (`--samples-are`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SamplesAre {
    /// One series per pod: summed across pods at each time.
    PerPod,
    /// A per-pod average: multiplied by the `replicas` column.
    Average,
    /// Already the total.
    Total,
}

impl SamplesAre {
    /// The core interpretation (`None` → chosen from the data).
    pub fn interpretation(v: Option<Self>) -> scalelens_core::samples::Interpretation {
        use scalelens_core::samples::Interpretation;
        match v {
            None => Interpretation::Auto,
            Some(SamplesAre::PerPod) => Interpretation::PerPod,
            Some(SamplesAre::Average) => Interpretation::Average,
            Some(SamplesAre::Total) => Interpretation::Total,
        }
    }
}

/// `--prometheus URL --query PROMQL`: the samples from a Prometheus server's range query
/// ([`crate::prometheus`]) instead of a file. `--from`/`--to` then choose the range fetched.
#[derive(Debug, Clone, clap::Args)]
pub struct PrometheusArgs {
    /// Read the samples from this Prometheus server's HTTP API (/api/v1/query_range) instead of a
    /// file: its base URL, http:// or https:// (a path prefix is kept), e.g.
    /// http://127.0.0.1:9090. --from/--to choose the range fetched (default: the last hour).
    #[arg(long, value_name = "URL", requires = "query")]
    pub prometheus: Option<String>,
    /// The PromQL expression for --prometheus, e.g. 'vllm:gpu_cache_usage_perc{model_name="m"}'.
    #[arg(long, value_name = "PROMQL", requires = "prometheus")]
    pub query: Option<String>,
    /// The query's resolution: a Go or Prometheus duration (15s, 1m, 1d) or seconds (default:
    /// 15s, coarser when needed to fit Prometheus' 11000 points per series).
    #[arg(long, value_name = "DURATION", value_parser = crate::prometheus::parse_step, requires = "prometheus")]
    pub step: Option<Millis>,
    /// The environment variable holding a bearer token for --prometheus (default:
    /// SCALELENS_PROMETHEUS_TOKEN when it is set). The token is never a command-line argument.
    #[arg(long, value_name = "NAME", requires = "prometheus")]
    pub prometheus_token_env: Option<String>,
    /// PEM CA certificates to trust for an https:// --prometheus (default: the Mozilla roots).
    #[arg(long, value_name = "FILE.pem", requires = "prometheus")]
    pub prometheus_ca: Option<PathBuf>,
    /// Give up on the Prometheus request after this long, e.g. 30s (default 2m; connecting at
    /// most 10s).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, requires = "prometheus")]
    pub prometheus_timeout: Option<Millis>,
}

impl PrometheusArgs {
    /// A flag of `--prometheus` given without it. clap's `requires` lets it pass when
    /// `--samples` or `--demand` is there (it conflicts with `--prometheus`), and a flag must
    /// never be silently ignored.
    pub fn stray_flag(&self) -> Option<&'static str> {
        if self.prometheus.is_some() {
            return None;
        }
        [
            (self.query.is_some(), "--query"),
            (self.step.is_some(), "--step"),
            (
                self.prometheus_token_env.is_some(),
                "--prometheus-token-env",
            ),
            (self.prometheus_ca.is_some(), "--prometheus-ca"),
            (self.prometheus_timeout.is_some(), "--prometheus-timeout"),
        ]
        .into_iter()
        .find_map(|(given, flag)| given.then_some(flag))
    }

    /// The range query and access these flags describe (`None` without `--prometheus`), with
    /// the process environment for the token and `now` (Unix ms) for the default range.
    pub fn request(
        &self,
        from: Option<WindowBound>,
        to: Option<WindowBound>,
        now: i64,
    ) -> Option<Result<(RangeQuery, Access), PrometheusError>> {
        let url = self.prometheus.as_deref()?;
        let query = self.query.as_deref().unwrap_or("");
        Some((|| {
            let q = RangeQuery::new(url, query, from, to, self.step, now)?;
            let token =
                crate::prometheus::token_from_env(self.prometheus_token_env.as_deref(), |name| {
                    std::env::var_os(name)
                })?;
            Ok((
                q,
                Access {
                    token,
                    ca: self.prometheus_ca.clone(),
                    timeout: self
                        .prometheus_timeout
                        .unwrap_or(crate::prometheus::DEFAULT_TIMEOUT),
                },
            ))
        })())
    }
}

/// What the cluster runs, as `check`, `simulate` and `explain` take it: the releases and
/// settings that change how an autoscaler is read and replayed.
#[derive(Debug, Clone, clap::Args)]
pub struct ClusterArgs {
    /// Which AIBrix release reads and replays PodAutoscalers.
    #[arg(long, value_enum, value_name = "VERSION", default_value_t = AibrixVersionArg::V07)]
    pub aibrix_version: AibrixVersionArg,
    /// The KServe deployment mode of an InferenceService without the
    /// `serving.kserve.io/deploymentMode` annotation (default: Knative, the shipped
    /// inferenceservice-config's).
    #[arg(long, value_enum, value_name = "MODE")]
    pub kserve_deployment_mode: Option<KserveModeArg>,
    /// Kubernetes feature gates the cluster sets, as kube-apiserver's flag takes them
    /// (`HPAConfigurableTolerance=true`: replay `behavior.*.tolerance`, which v1.34 drops by
    /// default).
    #[arg(long, value_name = "NAME=BOOL,...", value_parser = parse_feature_gates)]
    pub feature_gates: Option<FeatureGates>,
    /// Prometheus' scrape interval, e.g. 15s, 30s: a rate()/irate()/increase() range in a
    /// PromQL query shorter than twice it is flagged (default: Prometheus' default
    /// `global.scrape_interval`, 1m; the message says which it assumed).
    #[arg(long, value_name = "DURATION", value_parser = parse_scrape_interval)]
    pub scrape_interval: Option<Millis>,
}

impl ClusterArgs {
    /// These flags in the pipeline's options; the rest of `base` is kept.
    pub fn options(&self, base: PipelineOptions) -> PipelineOptions {
        PipelineOptions {
            aibrix_version: self.aibrix_version.version(),
            kserve_mode: self.kserve_deployment_mode.map(KserveModeArg::mode),
            feature_gates: self.feature_gates.unwrap_or_default(),
            scrape_interval: scrape_interval(self.scrape_interval),
            ..base
        }
    }
}

#[derive(Debug, clap::Args)]
#[command(group(ArgGroup::new("samples_source").args(["samples", "prometheus"])))]
pub struct CheckArgs {
    /// The autoscaler YAML (may hold several documents). Several files are checked one after
    /// the other (JSON: an array of reports; SARIF: one log); the exit code is the worst.
    #[arg(value_name = "CONFIG.yaml", required = true, num_args = 1..)]
    pub config: Vec<PathBuf>,
    /// A file with no autoscaler in it is not an error, unless something in it is (for
    /// pre-commit hooks and CI steps that pass every YAML file of a repository).
    #[arg(long)]
    pub skip_without_autoscaler: bool,
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Only the autoscaler with this `metadata.name`.
    #[arg(long, value_name = "N")]
    pub name: Option<String>,
    #[command(flatten)]
    pub cluster: ClusterArgs,
    /// Replay a metric outage in the replay of the samples: from FROM to TO (times as
    /// --from/--to take them, e.g. 600..1200 or two RFC 3339 times) every metric read through a
    /// metrics API (not cpu/memory) fails, for HPAs and KEDA ScaledObjects (`spec.fallback`).
    #[arg(long, value_name = "FROM..TO", value_parser = parse_outage, requires = "samples_source")]
    pub metric_outage: Option<OutageWindow>,
    /// Metric samples (CSV, Prometheus text or API JSON, Grafana CSV export): adds the checks
    /// against real data (unit mismatch) and the checks of a replay of their demand.
    #[arg(long, value_name = "FILE")]
    pub samples: Option<PathBuf>,
    #[command(flatten)]
    pub prometheus: PrometheusArgs,
    /// How the sample values relate to the demand (default: chosen from the data).
    #[arg(long, value_enum, value_name = "HOW", requires = "samples_source")]
    pub samples_are: Option<SamplesAre>,
    /// Replay the samples from this time: RFC 3339, or seconds in the input's own times (Unix
    /// seconds for Prometheus/Grafana data, seconds from the start for CSV seconds). With
    /// --prometheus: the start of the range fetched.
    #[arg(long, value_name = "TIME", value_parser = parse_bound, requires = "samples_source")]
    pub from: Option<WindowBound>,
    /// Replay the samples up to this time (as --from). With --prometheus: the end of the range
    /// fetched (default: now).
    #[arg(long, value_name = "TIME", value_parser = parse_bound, requires = "samples_source")]
    pub to: Option<WindowBound>,
    /// Most controller evaluations one replay may run (default 200000: 34 days of an HPA, 4 days
    /// 15 h of Knative); raise it, up to 32000000 (a year at 1 s), for a long replay you mean.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=MAX_EVALUATIONS_CEILING))]
    pub max_evaluations: Option<u64>,
}

impl CheckArgs {
    /// The replay window these flags set (none with `--prometheus`: there they set the range
    /// fetched, and the replay covers what came back).
    pub fn window(&self) -> ReplayWindow {
        if self.prometheus.prometheus.is_some() {
            return ReplayWindow::default();
        }
        ReplayWindow {
            from: self.from,
            to: self.to,
        }
    }
}

/// What `simulate` and `explain` replay, and how.
#[derive(Debug, clap::Args)]
#[command(group(ArgGroup::new("samples_source").args(["samples", "prometheus"])))]
pub struct ReplayArgs {
    /// The autoscaler YAML (may hold several documents).
    #[arg(value_name = "CONFIG.yaml")]
    pub config: PathBuf,
    /// Demand CSV: a header with `time` (seconds from start, or RFC 3339) and `value` (it
    /// drives the first metric), or a column per metric named by the metric. Repeat as
    /// `--demand NAME=FILE.csv` to give metric NAME its own series (one value column).
    #[arg(
        long,
        value_name = "[NAME=]FILE.csv",
        value_parser = parse_demand_arg,
        required_unless_present_any = ["samples", "prometheus"],
        conflicts_with = "samples_source"
    )]
    pub demand: Vec<DemandArg>,
    /// Metric samples (CSV, Prometheus text or API JSON, Grafana CSV export) turned into the
    /// demand (instead of --demand).
    #[arg(long, value_name = "FILE")]
    pub samples: Option<PathBuf>,
    #[command(flatten)]
    pub prometheus: PrometheusArgs,
    /// How the sample values relate to the demand (default: chosen from the data).
    #[arg(long, value_enum, value_name = "HOW", requires = "samples_source")]
    pub samples_are: Option<SamplesAre>,
    /// Replicas at time 0 (default: from the input, else minReplicas).
    #[arg(long, value_name = "N")]
    pub initial_replicas: Option<u32>,
    /// Time from pod creation to ready, e.g. 30s, 2m ([`POD_STARTUP_HELP`] says the default).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, help = POD_STARTUP_HELP.as_str())]
    pub pod_startup: Option<Millis>,
    /// How long to simulate, e.g. 2h (default: to the end of the demand series), from --from.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub duration: Option<Millis>,
    /// Replay from this time: RFC 3339, or seconds in the input's own times (as the demand CSV
    /// writes them; Unix seconds for Prometheus/Grafana samples). The value in force then holds
    /// from the start. With --prometheus: the start of the range fetched.
    #[arg(long, value_name = "TIME", value_parser = parse_bound)]
    pub from: Option<WindowBound>,
    /// Replay up to this time (as --from). With --prometheus: the end of the range fetched
    /// (default: now).
    #[arg(long, value_name = "TIME", value_parser = parse_bound)]
    pub to: Option<WindowBound>,
    /// Most controller evaluations one replay may run (default 200000: 34 days of an HPA, 4 days
    /// 15 h of Knative); raise it, up to 32000000 (a year at 1 s), for a long replay you mean.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=MAX_EVALUATIONS_CEILING))]
    pub max_evaluations: Option<u64>,
    /// The autoscaler with this `metadata.name` (default: the only or first one).
    #[arg(long, value_name = "N")]
    pub name: Option<String>,
    #[command(flatten)]
    pub cluster: ClusterArgs,
    /// Replay a metric outage: from FROM to TO (times as --from/--to take them, e.g.
    /// 600..1200 or two RFC 3339 times) every metric read through a metrics API (not
    /// cpu/memory) fails, for HPAs and KEDA ScaledObjects (KEDA's `spec.fallback` applies).
    #[arg(long, value_name = "FROM..TO", value_parser = parse_outage)]
    pub metric_outage: Option<OutageWindow>,
}

impl ReplayArgs {
    /// The pipeline options these flags set.
    pub fn pipeline_options(&self) -> PipelineOptions {
        self.cluster.options(PipelineOptions {
            autoscaler: self.name.clone(),
            initial_replicas: self.initial_replicas,
            pod_startup: self.pod_startup,
            horizon: self.duration,
            // With --prometheus, --from/--to chose the range fetched: the replay covers it.
            window: if self.prometheus.prometheus.is_some() {
                ReplayWindow::default()
            } else {
                ReplayWindow {
                    from: self.from,
                    to: self.to,
                }
            },
            replay: true,
            samples_are: SamplesAre::interpretation(self.samples_are),
            max_evaluations: self.max_evaluations,
            metric_outage: self.metric_outage,
            ..PipelineOptions::default()
        })
    }
}

#[derive(Debug, clap::Args)]
pub struct SimulateArgs {
    #[command(flatten)]
    pub replay: ReplayArgs,
    #[arg(long, value_enum, default_value_t = SimulateFormat::Text)]
    pub format: SimulateFormat,
    /// Also write the charts (observed metric vs target, replicas over time) as SVG to FILE.
    #[arg(long, value_name = "FILE.svg")]
    pub chart: Option<PathBuf>,
}

/// One `--demand`: a file, and the metric it is of when written `NAME=FILE`.
#[derive(Debug, Clone, PartialEq)]
pub struct DemandArg {
    pub name: Option<String>,
    pub path: PathBuf,
}

/// `FILE` or `NAME=FILE`. A path that exists as written is a file even with a `=` in it.
fn parse_demand_arg(s: &str) -> Result<DemandArg, String> {
    if std::path::Path::new(s).exists() {
        return Ok(DemandArg {
            name: None,
            path: PathBuf::from(s),
        });
    }
    match s.split_once('=') {
        Some((name, _)) if name.trim().is_empty() => {
            Err("the metric name before `=` is empty: write NAME=FILE".to_string())
        }
        Some((_, "")) => Err("the file after `=` is empty: write NAME=FILE".to_string()),
        Some((name, path)) => Ok(DemandArg {
            name: Some(name.to_string()),
            path: PathBuf::from(path),
        }),
        None => Ok(DemandArg {
            name: None,
            path: PathBuf::from(s),
        }),
    }
}

fn parse_duration(s: &str) -> Result<Millis, String> {
    crate::duration::parse_arg(s)
}

/// `--from`/`--to`: RFC 3339 (a Unix time) or seconds in the input's own times
/// ([`WindowBound::parse`], shared with the playground).
/// `--feature-gates`: [`FeatureGates::parse`]'s error as clap's message.
pub fn parse_feature_gates(s: &str) -> Result<FeatureGates, String> {
    FeatureGates::parse(s).map_err(|e| e.to_string())
}

/// `--metric-outage`: [`OutageWindow::parse`]'s error as clap's message.
fn parse_outage(s: &str) -> Result<OutageWindow, String> {
    OutageWindow::parse(s).map_err(|e| e.to_string())
}

/// `--scrape-interval`: a duration above 0.
fn parse_scrape_interval(s: &str) -> Result<Millis, String> {
    match crate::duration::parse_arg(s)? {
        0 => Err("the scrape interval must be above 0".to_string()),
        ms => Ok(ms),
    }
}

/// The scrape interval the pipeline measures PromQL ranges against.
pub fn scrape_interval(given: Option<Millis>) -> scalelens_core::analysis::ScrapeInterval {
    use scalelens_core::analysis::ScrapeInterval;
    given.map_or(ScrapeInterval::Assumed, ScrapeInterval::Given)
}

pub fn parse_bound(s: &str) -> Result<WindowBound, String> {
    WindowBound::parse(s).map_err(|e| e.to_string())
}

/// `--max-input-size`: bytes, or a number with `KB`, `MB`, `GB` (powers of 1000) or `KiB`,
/// `MiB`, `GiB` (powers of 1024), any case.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "m" | "mb" => 1_000_000,
        "g" | "gb" => 1_000_000_000,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        other => {
            return Err(format!(
                "unknown unit {other:?} in {s:?}: use B, KB, MB, GB, KiB, MiB or GiB"
            ))
        }
    };
    let n: f64 = num
        .parse()
        .map_err(|_| format!("{s:?} is not a size: give e.g. 64MB"))?;
    let bytes = n * factor as f64;
    if !bytes.is_finite() || bytes < 1.0 || bytes >= u64::MAX as f64 {
        return Err(format!(
            "{s:?} is out of range: give at least 1 byte, e.g. 64MB"
        ));
    }
    Ok(bytes as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_bounds() {
        let ok: &[(&str, WindowBound)] = &[
            ("3600", WindowBound::InputTime(3_600_000)),
            ("0", WindowBound::InputTime(0)),
            ("1.5", WindowBound::InputTime(1_500)),
            ("1764316800", WindowBound::InputTime(1_764_316_800_000)),
            ("2025-11-28T08:00:00Z", WindowBound::Unix(1_764_316_800_000)),
            ("-30", WindowBound::InputTime(-30_000)),
        ];
        for (s, b) in ok {
            assert_eq!(parse_bound(s), Ok(*b), "{s}");
        }
        for s in [
            "",
            "noon",
            "1e14",
            "NaN",
            "inf",
            "99999999999999999999",
            "15m",
        ] {
            assert!(parse_bound(s).is_err(), "{s} should fail");
        }
    }

    #[test]
    fn sizes() {
        let ok: &[(&str, u64)] = &[
            ("20MB", 20_000_000),
            ("64mb", 64_000_000),
            ("1GB", 1_000_000_000),
            ("1.5 MB", 1_500_000),
            ("512KiB", 524_288),
            ("2MiB", 2_097_152),
            ("1000", 1_000),
        ];
        for (s, n) in ok {
            assert_eq!(parse_size(s), Ok(*n), "{s}");
        }
        for s in ["", "MB", "0", "-5MB", "5TB", "1e30GB", "20 megabytes"] {
            assert!(parse_size(s).is_err(), "{s} should fail");
        }
        assert_eq!(parse_size("20MB"), Ok(DEFAULT_MAX_INPUT_SIZE));
    }
}
