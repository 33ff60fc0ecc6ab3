//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use scalelens_core::model::AibrixVersion;
use scalelens_core::pipeline::PipelineOptions;
use scalelens_core::Millis;

/// What `--version` prints: the crate version and the upstream versions whose behaviour is
/// replayed.
pub const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "\nreplays: AIBrix v0.7.0 (PodAutoscaler KPA, APA), Kubernetes v1.34 (HorizontalPodAutoscaler), \
     KEDA v2.18 (ScaledObject), Knative Serving v1.20 (KPA)"
);

#[derive(Debug, Parser)]
#[command(
    name = "scalelens",
    version = LONG_VERSION,
    about = "Replay Kubernetes autoscalers (AIBrix, HPA, KEDA, Knative) against a demand series and check their configuration",
    after_help = "Exit status: 0 no errors (warnings allowed), 1 errors in the input, 2 unusable input \
                  (unreadable file, no autoscaler, bad demand CSV, bad arguments)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Color the text output.
    #[arg(long, value_enum, global = true, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

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
    Check(CheckArgs),
    /// Replay an autoscaler against a demand series and show what replicas it produces.
    Simulate(SimulateArgs),
    /// Explain, in plain words, the decisions of a replay around one moment: the rule and the
    /// setting (with its line:column or upstream default) behind each replica count.
    Explain(ExplainArgs),
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
    /// seconds (`900`), or an RFC 3339 time when the input's times are (default: the first moment
    /// replicas stopped following the load, else the first peak).
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

/// The AIBrix controller generation that reads `PodAutoscaler`s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum AibrixVersionArg {
    /// AIBrix v0.4.0 (v0.1–v0.4: summed pod values, stateful panic, 30m scale-down delay).
    #[value(name = "v0.4")]
    V04,
    /// AIBrix v0.7.0 (v0.5 onwards: mean of pod values, cooldown windows).
    #[default]
    #[value(name = "v0.7")]
    V07,
}

impl AibrixVersionArg {
    /// The AIBrix generation this selects.
    pub fn version(self) -> AibrixVersion {
        match self {
            AibrixVersionArg::V04 => AibrixVersion::V0_4,
            AibrixVersionArg::V07 => AibrixVersion::V0_7,
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

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The autoscaler YAML (may hold several documents).
    #[arg(value_name = "CONFIG.yaml")]
    pub config: PathBuf,
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Only the autoscaler with this `metadata.name`.
    #[arg(long, value_name = "N")]
    pub name: Option<String>,
    /// Which AIBrix release reads PodAutoscalers.
    #[arg(long, value_enum, value_name = "VERSION", default_value_t = AibrixVersionArg::V07)]
    pub aibrix_version: AibrixVersionArg,
    /// Metric samples (CSV, Prometheus text or API JSON, Grafana CSV export): adds the checks
    /// against real data (unit mismatch) and the checks of a replay of their demand.
    #[arg(long, value_name = "FILE")]
    pub samples: Option<PathBuf>,
    /// How the sample values relate to the demand (default: chosen from the data).
    #[arg(long, value_enum, value_name = "HOW", requires = "samples")]
    pub samples_are: Option<SamplesAre>,
}

/// What `simulate` and `explain` replay, and how.
#[derive(Debug, clap::Args)]
pub struct ReplayArgs {
    /// The autoscaler YAML (may hold several documents).
    #[arg(value_name = "CONFIG.yaml")]
    pub config: PathBuf,
    /// Demand CSV: a header with `time` (seconds from start, or RFC 3339) and `value`.
    #[arg(
        long,
        value_name = "FILE.csv",
        required_unless_present = "samples",
        conflicts_with = "samples"
    )]
    pub demand: Option<PathBuf>,
    /// Metric samples (CSV, Prometheus text or API JSON, Grafana CSV export) turned into the
    /// demand (instead of --demand).
    #[arg(long, value_name = "FILE")]
    pub samples: Option<PathBuf>,
    /// How the sample values relate to the demand (default: chosen from the data).
    #[arg(long, value_enum, value_name = "HOW", requires = "samples")]
    pub samples_are: Option<SamplesAre>,
    /// Replicas at time 0 (default: from the input, else minReplicas).
    #[arg(long, value_name = "N")]
    pub initial_replicas: Option<u32>,
    /// Time from pod creation to ready, e.g. 30s, 2m.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub pod_startup: Option<Millis>,
    /// How long to simulate, e.g. 2h (default: to the end of the demand series).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub duration: Option<Millis>,
    /// The autoscaler with this `metadata.name` (default: the only or first one).
    #[arg(long, value_name = "N")]
    pub name: Option<String>,
    /// Which AIBrix release reads and replays PodAutoscalers.
    #[arg(long, value_enum, value_name = "VERSION", default_value_t = AibrixVersionArg::V07)]
    pub aibrix_version: AibrixVersionArg,
}

impl ReplayArgs {
    /// The pipeline options these flags set.
    pub fn pipeline_options(&self) -> PipelineOptions {
        PipelineOptions {
            autoscaler: self.name.clone(),
            aibrix_version: self.aibrix_version.version(),
            initial_replicas: self.initial_replicas,
            pod_startup: self.pod_startup,
            horizon: self.duration,
            samples_are: SamplesAre::interpretation(self.samples_are),
        }
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

fn parse_duration(s: &str) -> Result<Millis, String> {
    crate::duration::parse_arg(s)
}
