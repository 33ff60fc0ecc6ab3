//! The normalized autoscaler model: what every family's YAML is read into, and what the
//! algorithms and the simulator consume. Every parameter carries its origin (a YAML span, or the
//! upstream default with the file it comes from), so the output can say why a value is what it is.
//!
//! An [`Autoscaler`] holds the scale target reference, min/max replicas, the metrics (each with
//! its target type and value, and the per-pod bound from [`crate::metrics`]) and the
//! [`Algorithm`]: every parameter of the replayed controller, per family.

use serde::Serialize;

use crate::span::{Param, Span, Spanned};

/// Milliseconds of simulated time. All simulated time is integral: no float drift, same bytes out.
pub type Millis = u64;

pub const SECOND: Millis = 1_000;
pub const MINUTE: Millis = 60 * SECOND;

/// The four autoscaler families Scalelens reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// `autoscaling.aibrix.ai/v1alpha1` `PodAutoscaler`.
    Aibrix,
    /// Kubernetes `HorizontalPodAutoscaler` (`autoscaling/v1`, `autoscaling/v2`, removed betas).
    Hpa,
    /// KEDA `keda.sh/v1alpha1` `ScaledObject`.
    Keda,
    /// Knative Serving `autoscaling.knative.dev/*` annotations.
    Knative,
}

/// One autoscaler read from the input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Autoscaler {
    pub family: Family,
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
    /// Span of the whole document (used for diagnostics about the object as a whole).
    #[serde(skip)]
    pub span: Span,
    /// Span of `metadata.name` (or of `kind` when there is no name).
    #[serde(skip)]
    pub name_span: Span,
    pub target: Option<TargetRef>,
    pub min_replicas: Param<u32>,
    /// `u32::MAX` means "no limit" (Knative `max-scale: 0`).
    pub max_replicas: Param<u32>,
    /// Replicas at the start of a simulation: the scale target's `spec.replicas` when the
    /// input carries it, Knative's `initial-scale`, ...; `None` when the input does not say.
    pub initial_replicas: Option<Param<u32>>,
    pub metrics: Vec<Metric>,
    pub algorithm: Algorithm,
    /// The object the user wrote when it is not the autoscaler replayed: a KServe
    /// `InferenceService` that becomes an HPA, a Knative revision of the HPA class, ...
    /// `None` when the object read is the autoscaler itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<Via>,
}

/// What the user wrote, when the replayed autoscaler is one another controller creates from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "object")]
pub enum Via {
    /// A Knative Service / Configuration / Revision of the HPA class
    /// (`hpa.autoscaling.knative.dev`): Knative creates a Kubernetes HPA from its annotations.
    KnativeHpaClass,
    /// A component (predictor, transformer, explainer) of a KServe `InferenceService`.
    KserveInferenceService {
        component: KserveComponent,
        /// The Knative Service KServe creates is of the HPA class (Knative then creates an HPA).
        knative_hpa_class: bool,
    },
    /// A workload (main / decode, or prefill) of a KServe `LLMInferenceService`: the HPA or
    /// ScaledObject that follows the Workload Variant Autoscaler's `wva_desired_replicas`.
    KserveLlmInferenceService { prefill: bool },
}

/// The `InferenceService` component an autoscaler scales (each gets its own).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KserveComponent {
    Predictor,
    Transformer,
    Explainer,
}

impl KserveComponent {
    /// The key under `spec` (`predictor`).
    pub fn key(self) -> &'static str {
        match self {
            KserveComponent::Predictor => "predictor",
            KserveComponent::Transformer => "transformer",
            KserveComponent::Explainer => "explainer",
        }
    }
}

/// One upstream header string per (object, algorithm) pair: `&'static str` by `concat!`.
macro_rules! upstream_text {
    (aibrix_v04_kpa) => { "AIBrix v0.4.0 KPA (vllm-project/aibrix pkg/controller/podautoscaler/scaler/kpa.go)" };
    (aibrix_v04_apa) => { "AIBrix v0.4.0 APA (vllm-project/aibrix pkg/controller/podautoscaler/scaler/apa.go)" };
    (aibrix_v04_kpa $tag:literal) => { concat!("AIBrix ", $tag, " KPA (vllm-project/aibrix pkg/controller/podautoscaler/scaler/kpa.go, replayed by v0.4.0's code: the same scaler)") };
    (aibrix_v04_apa $tag:literal) => { concat!("AIBrix ", $tag, " APA (vllm-project/aibrix pkg/controller/podautoscaler/scaler/apa.go, replayed by v0.4.0's code: the same scaler)") };
    (aibrix_kpa $tag:literal) => { concat!("AIBrix ", $tag, " KPA (vllm-project/aibrix pkg/controller/podautoscaler/algorithm/kpa.go)") };
    (aibrix_apa $tag:literal) => { concat!("AIBrix ", $tag, " APA (vllm-project/aibrix pkg/controller/podautoscaler/algorithm/apa.go)") };
    (hpa) => { "Kubernetes v1.34 HPA (kubernetes/kubernetes pkg/controller/podautoscaler)" };
    (keda) => { "KEDA v2.18 ScaledObject + Kubernetes v1.34 HPA (kedacore/keda pkg/scaling/executor)" };
    (kpa) => { "Knative Serving v1.20 KPA (knative/serving pkg/autoscaler/scaling/autoscaler.go)" };
    (knative_hpa) => { "Knative HPA class → Kubernetes HPA (what Knative Serving v1.20 creates: knative/serving pkg/reconciler/autoscaling/hpa/resources/hpa.go): " };
    (isvc) => { "KServe v0.20.0 InferenceService → " };
    (llmisvc) => { "KServe v0.20.0 LLMInferenceService → " };
}

impl Autoscaler {
    /// The upstream project, version and algorithm being replayed, for output headers; when
    /// the object read is not the autoscaler itself ([`Self::via`]), the chain from what the
    /// user wrote to it ("KServe v0.20.0 InferenceService → Knative HPA class → Kubernetes HPA ...").
    pub fn upstream(&self) -> &'static str {
        use Algorithm as A;
        match (self.via, &self.algorithm) {
            (Some(Via::KnativeHpaClass), A::Hpa(_)) => {
                concat!(upstream_text!(knative_hpa), upstream_text!(hpa))
            }
            (
                Some(Via::KserveInferenceService {
                    knative_hpa_class: true,
                    ..
                }),
                A::Hpa(_),
            ) => concat!(
                upstream_text!(isvc),
                upstream_text!(knative_hpa),
                upstream_text!(hpa)
            ),
            (Some(Via::KserveInferenceService { .. }), A::Hpa(_)) => {
                concat!(upstream_text!(isvc), upstream_text!(hpa))
            }
            (Some(Via::KserveInferenceService { .. }), A::Keda(_)) => {
                concat!(upstream_text!(isvc), upstream_text!(keda))
            }
            (Some(Via::KserveInferenceService { .. }), A::KnativeKpa(_)) => {
                concat!(upstream_text!(isvc), upstream_text!(kpa))
            }
            (Some(Via::KserveLlmInferenceService { .. }), A::Hpa(_)) => {
                concat!(upstream_text!(llmisvc), upstream_text!(hpa))
            }
            (Some(Via::KserveLlmInferenceService { .. }), A::Keda(_)) => {
                concat!(upstream_text!(llmisvc), upstream_text!(keda))
            }
            _ => self.algorithm.upstream(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetRef {
    pub api_version: Option<String>,
    pub kind: Option<String>,
    pub name: Spanned<String>,
}

impl MetricSource {
    /// What a demand series for this metric counts, when the source says (KEDA scalers).
    pub fn demand_unit(&self) -> Option<&'static str> {
        match self {
            MetricSource::KedaScaler { unit, .. } => Some(unit),
            _ => None,
        }
    }

    /// Whether the metric reads a demand series (a KEDA cron trigger computes its own value).
    pub fn reads_demand(&self) -> bool {
        !matches!(self, MetricSource::KedaCron(_))
    }
}

/// Where a metric comes from, in the family's own terms.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum MetricSource {
    /// AIBrix `metricSourceType: pod` (scraped from each pod's `/metrics`).
    AibrixPod {
        port: Option<String>,
        path: Option<String>,
    },
    /// AIBrix `resource` (cpu/memory from metrics.k8s.io, summed over containers).
    AibrixResource,
    /// AIBrix `custom` (custom.metrics.k8s.io, per pod).
    AibrixCustom,
    /// AIBrix `external` / `domain` (one value for the whole workload).
    AibrixExternal {
        endpoint: Option<String>,
        /// The replayed release reads 0 for this source whatever the endpoint serves: v0.5.0 –
        /// v0.7.0 look the metric up under engine `"external"` in the metric registry, where no
        /// metric has that engine, and `fetchFromGPUOptimizer` returns 0 on that failure
        /// ([`crate::upstream::aibrix::v07::EXTERNAL_FETCH`]).
        reads_zero: bool,
    },
    /// HPA `Resource`.
    Resource,
    /// HPA `ContainerResource`.
    ContainerResource { container: String },
    /// HPA `Pods`.
    Pods,
    /// HPA `Object`.
    Object { described: Option<String> },
    /// HPA `External`.
    External,
    /// KEDA `prometheus` trigger.
    KedaPrometheus {
        query: String,
        server_address: Option<String>,
    },
    /// KEDA `cpu` / `memory` trigger.
    KedaResource,
    /// A KEDA trigger replayed from the scaler table ([`crate::upstream::keda_scalers`]): an
    /// External metric whose demand is in the scaler's own unit.
    KedaScaler {
        /// The trigger `type` as written (`kafka`, `redis-cluster`, ...).
        scaler: String,
        /// The trigger's `name`, when written: a demand series may use it too.
        trigger_name: Option<String>,
        /// What the metric value counts (the demand's unit).
        unit: &'static str,
    },
    /// A KEDA `cron` trigger: it reads no demand; its value is `desiredReplicas` inside the
    /// schedule's window and 0 outside ([`crate::algorithm::keda_cron`]).
    KedaCron(crate::algorithm::keda_cron::CronSpec),
    /// Knative concurrency (in-flight requests per pod, from the queue-proxy).
    KnativeConcurrency,
    /// Knative requests per second.
    KnativeRps,
}

/// The kind of target, as in the Kubernetes `MetricTarget.type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TargetType {
    /// Percent of the pods' resource request (`averageUtilization`).
    Utilization,
    /// The value as a whole (not divided by pods).
    Value,
    /// The value per pod.
    AverageValue,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricTarget {
    pub target_type: TargetType,
    /// The target in the metric's unit (percent for `Utilization`).
    pub value: Param<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metric {
    /// The metric's name as written (`gpu_cache_usage_perc`, `cpu`, `s0-prometheus`, ...).
    pub name: Spanned<String>,
    pub source: MetricSource,
    pub target: MetricTarget,
    /// Upper bound of the per-pod value when the metric is bounded (1.0 for a 0–1 fraction,
    /// 100 for a percent); `None` when unbounded or unknown.
    pub bound: Option<f64>,
    /// KEDA `activationThreshold` (strict `>`), for the 0 ↔ 1 decision.
    pub activation_threshold: Option<Param<f64>>,
    /// The series of the metric this autoscaler reads, by label: an HPA metric's
    /// `metric.selector`. Empty: every series of the metric's name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub selector: Vec<LabelMatcher>,
    /// Span of the whole metric entry.
    #[serde(skip)]
    pub span: Span,
}

/// One requirement of a Kubernetes label selector (`matchLabels` entries are [`MatchOp::In`]
/// with one value), as `k8s.io/apimachinery/pkg/labels` (v1.34) evaluates it on a label set.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct LabelMatcher {
    pub label: String,
    pub op: MatchOp,
    /// The values of `In` / `NotIn` (none for `Exists` / `DoesNotExist`).
    pub values: Vec<String>,
}

/// A label selector operator (`metav1.LabelSelectorOperator`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum MatchOp {
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

impl LabelMatcher {
    /// Whether a label set (name, value pairs) meets this requirement: `In` needs the label
    /// with one of the values; `NotIn` holds when the label is absent or has none of them
    /// (`labels.Requirement.Matches`).
    pub fn matches(&self, labels: &[(String, String)]) -> bool {
        let value = labels
            .iter()
            .find(|(k, _)| *k == self.label)
            .map(|(_, v)| v);
        match self.op {
            MatchOp::In => value.is_some_and(|v| self.values.contains(v)),
            MatchOp::NotIn => value.is_none_or(|v| !self.values.contains(v)),
            MatchOp::Exists => value.is_some(),
            MatchOp::DoesNotExist => value.is_none(),
        }
    }
}

impl std::fmt::Display for LabelMatcher {
    /// As `kubectl` prints a selector: `model=llama`, `tier in (a,b)`, `!canary`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let l = &self.label;
        match (self.op, self.values.as_slice()) {
            (MatchOp::In, [one]) => write!(f, "{l}={one}"),
            (MatchOp::NotIn, [one]) => write!(f, "{l}!={one}"),
            (MatchOp::In, vs) => write!(f, "{l} in ({})", vs.join(",")),
            (MatchOp::NotIn, vs) => write!(f, "{l} notin ({})", vs.join(",")),
            (MatchOp::Exists, _) => write!(f, "{l}"),
            (MatchOp::DoesNotExist, _) => write!(f, "!{l}"),
        }
    }
}

/// A whole selector as `kubectl` prints it (`model=llama,tier in (a,b)`).
pub fn selector_text(selector: &[LabelMatcher]) -> String {
    selector
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// The algorithm and all its parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Algorithm {
    AibrixKpa(AibrixParams),
    AibrixApa(AibrixParams),
    Hpa(HpaParams),
    Keda(KedaParams),
    KnativeKpa(KnativeParams),
}

impl Algorithm {
    /// Whether a decision's `observed` value is a total over the workload's pods while the
    /// target is per pod: Knative's KPA and AIBrix v0.4's KPA window the SUM of the pods' values and
    /// compare it with the per-pod target through `ceil(total / target)`. Front ends divide by
    /// the ready pods to put it on the target's scale.
    pub fn observed_is_workload_total(&self) -> bool {
        match self {
            Algorithm::KnativeKpa(_) => true,
            // v0.4 APA reports the windowed sum divided by the ready pods: per pod.
            Algorithm::AibrixKpa(p) => p.version().gen_a(),
            Algorithm::AibrixApa(_) | Algorithm::Hpa(_) | Algorithm::Keda(_) => false,
        }
    }

    /// Whether the replayed controller enters panic mode when there is no load at all: AIBrix
    /// v0.5.0 – v0.7.0's KPA `shouldEnterPanicMode` returns true for a stable value ≤ 0 (upstream
    /// `pkg/controller/podautoscaler/algorithm/kpa.go`), so its timeline shows "panic" once
    /// the load stops. Faithful, but not a surge: front ends label those decisions apart
    /// (a panic decision whose `observed`, the stable value, is ≤ 0).
    pub fn panics_without_load(&self) -> bool {
        matches!(self, Algorithm::AibrixKpa(p) if p.gen_b().is_some())
    }

    /// The upstream project, version and algorithm being replayed, for output headers.
    pub fn upstream(&self) -> &'static str {
        match self {
            Algorithm::AibrixKpa(AibrixParams::V04(p)) => match p.release {
                AibrixVersion::V0_2_0 => upstream_text!(aibrix_v04_kpa "v0.2.0"),
                AibrixVersion::V0_2_1 => upstream_text!(aibrix_v04_kpa "v0.2.1"),
                AibrixVersion::V0_3_0 => upstream_text!(aibrix_v04_kpa "v0.3.0"),
                _ => upstream_text!(aibrix_v04_kpa),
            },
            Algorithm::AibrixApa(AibrixParams::V04(p)) => match p.release {
                AibrixVersion::V0_2_0 => upstream_text!(aibrix_v04_apa "v0.2.0"),
                AibrixVersion::V0_2_1 => upstream_text!(aibrix_v04_apa "v0.2.1"),
                AibrixVersion::V0_3_0 => upstream_text!(aibrix_v04_apa "v0.3.0"),
                _ => upstream_text!(aibrix_v04_apa),
            },
            Algorithm::AibrixKpa(AibrixParams::V05(_)) => upstream_text!(aibrix_kpa "v0.5.0"),
            Algorithm::AibrixApa(AibrixParams::V05(_)) => upstream_text!(aibrix_apa "v0.5.0"),
            Algorithm::AibrixKpa(AibrixParams::V06(_)) => upstream_text!(aibrix_kpa "v0.6.0"),
            Algorithm::AibrixApa(AibrixParams::V06(_)) => upstream_text!(aibrix_apa "v0.6.0"),
            Algorithm::AibrixKpa(AibrixParams::V07(_)) => upstream_text!(aibrix_kpa "v0.7.0"),
            Algorithm::AibrixApa(AibrixParams::V07(_)) => upstream_text!(aibrix_apa "v0.7.0"),
            Algorithm::Hpa(_) => upstream_text!(hpa),
            Algorithm::Keda(_) => upstream_text!(keda),
            Algorithm::KnativeKpa(_) => upstream_text!(kpa),
        }
    }
}

/// The AIBrix release being replayed, each at its tag (`upstream::aibrix::{v04, v05, v06, v07}`).
///
/// - `V0_4` ("Gen A", AIBrix v0.2.0 – v0.4.x; v0.4.1 changed nothing of the controller, so
///   it replays as v0.4.0): Knative-like KPA (sum of pod values, stateful panic, 30-minute
///   scale-down delay), APA on `sum / ready`; settings under `kpa.autoscaling.aibrix.ai/*` and
///   `apa.autoscaling.aibrix.ai/*` (vllm-project/aibrix v0.4.0
///   `pkg/controller/podautoscaler/scaler/{kpa,apa}.go`).
/// - `V0_2_0`, `V0_2_1`, `V0_3_0`: releases replayed by v0.4.0's code ([`Self::replayed_by`]),
///   under their own tag in every message. What differs in their files from v0.4.0's, and why
///   a replay cannot observe it (or how the reader flags it where it can), is
///   `upstream::aibrix_gen_a::ALIASES`, pinned by the files' blob ids at each tag
///   (`core/tests/testdata/upstream/aibrix-gen-a-blobs.txt`).
/// - `V0_5`, `V0_6`, `V0_7` ("Gen B"): mean of pod values, stateless panic, cooldown windows
///   (`pkg/controller/podautoscaler/algorithm/*.go`), the same fields and defaults in the three
///   ([`AibrixGenBParams`]); v0.5.0 has no `targetValue > 0` check and reads a StormService's
///   metrics from its `pod-group-index=0` pods only; v0.6.0 added both fixes; v0.7.0 changed
///   nothing the replay reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum AibrixVersion {
    #[serde(rename = "v0_2_0")]
    V0_2_0,
    #[serde(rename = "v0_2_1")]
    V0_2_1,
    #[serde(rename = "v0_3_0")]
    V0_3_0,
    #[serde(rename = "v0_4")]
    V0_4,
    #[serde(rename = "v0_5")]
    V0_5,
    #[serde(rename = "v0_6")]
    V0_6,
    #[default]
    #[serde(rename = "v0_7")]
    V0_7,
}

impl AibrixVersion {
    /// Every release with a controller of its own in the replay, oldest first.
    pub const ALL: [AibrixVersion; 4] = [
        AibrixVersion::V0_4,
        AibrixVersion::V0_5,
        AibrixVersion::V0_6,
        AibrixVersion::V0_7,
    ];

    /// Every release a user can select, oldest first: [`Self::ALL`] and the older releases
    /// replayed by one of them ([`Self::replayed_by`]).
    pub const SELECTABLE: [AibrixVersion; 7] = [
        AibrixVersion::V0_2_0,
        AibrixVersion::V0_2_1,
        AibrixVersion::V0_3_0,
        AibrixVersion::V0_4,
        AibrixVersion::V0_5,
        AibrixVersion::V0_6,
        AibrixVersion::V0_7,
    ];

    /// The release tag the user selected (`"v0.2.0"`, …, `"v0.7.0"`): what messages name.
    pub fn tag(self) -> &'static str {
        match self {
            AibrixVersion::V0_2_0 => "v0.2.0",
            AibrixVersion::V0_2_1 => "v0.2.1",
            AibrixVersion::V0_3_0 => "v0.3.0",
            AibrixVersion::V0_4 => "v0.4.0",
            AibrixVersion::V0_5 => "v0.5.0",
            AibrixVersion::V0_6 => "v0.6.0",
            AibrixVersion::V0_7 => "v0.7.0",
        }
    }

    /// The release whose code replays this one: v0.2.0, v0.2.1 and v0.3.0 are replayed by
    /// v0.4.0's (`upstream::aibrix_gen_a::ALIASES` says what differs and why no replay sees
    /// it); every other release by its own.
    pub fn replayed_by(self) -> AibrixVersion {
        match self {
            AibrixVersion::V0_2_0 | AibrixVersion::V0_2_1 | AibrixVersion::V0_3_0 => {
                AibrixVersion::V0_4
            }
            v => v,
        }
    }

    /// Whether the release runs Gen-A code (`scaler/{kpa,apa}.go`): v0.2.0 – v0.4.x.
    pub fn gen_a(self) -> bool {
        self.replayed_by() == AibrixVersion::V0_4
    }

    /// The release a version as users write it selects: `v0.2` (its last patch, v0.2.1),
    /// `v0.2.0`, `v0.2.1`, `v0.3`, `v0.3.0`, `v0.4`, `v0.4.0`, `v0.4.1` (v0.4.1 changed nothing
    /// under `pkg/controller/podautoscaler`, `pkg/metrics` or `api/autoscaling` since v0.4.0:
    /// it replays as v0.4.0), `v0.5`, `v0.5.0`, `v0.6`, `v0.6.0`, `v0.7`, `v0.7.0`; a leading
    /// `v` is optional. `None` for any other.
    pub fn parse(text: &str) -> Option<AibrixVersion> {
        let t = text.trim();
        let t = t.strip_prefix('v').unwrap_or(t);
        match t {
            "0.2.0" => Some(AibrixVersion::V0_2_0),
            "0.2" | "0.2.1" => Some(AibrixVersion::V0_2_1),
            "0.3" | "0.3.0" => Some(AibrixVersion::V0_3_0),
            "0.4" | "0.4.0" | "0.4.1" => Some(AibrixVersion::V0_4),
            "0.5" | "0.5.0" => Some(AibrixVersion::V0_5),
            "0.6" | "0.6.0" => Some(AibrixVersion::V0_6),
            "0.7" | "0.7.0" => Some(AibrixVersion::V0_7),
            _ => None,
        }
    }

    /// Whether the admission webhook and the scaling context reject a `targetValue` ≤ 0
    /// (added in v0.6.0, PR #1879: `context/context.go` `UpdateByPaTypes`,
    /// `pkg/webhook/podautoscaler_webhook.go`, `algorithm/apa.go`).
    pub fn rejects_non_positive_target(self) -> bool {
        matches!(self, AibrixVersion::V0_6 | AibrixVersion::V0_7)
    }

    /// Whether this is v0.4.0 itself (serde's `skip_serializing_if` for
    /// [`AibrixV04Params::release`]).
    fn is_v04(&self) -> bool {
        *self == AibrixVersion::V0_4
    }
}

/// AIBrix scaling parameters of the release being replayed: each generation has its own
/// fields, and each release its own variant whose defaults cite its tag, so a replay never
/// mixes two releases.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "version")]
pub enum AibrixParams {
    #[serde(rename = "v0_4")]
    V04(AibrixV04Params),
    #[serde(rename = "v0_5")]
    V05(AibrixGenBParams),
    #[serde(rename = "v0_6")]
    V06(AibrixGenBParams),
    #[serde(rename = "v0_7")]
    V07(AibrixGenBParams),
}

impl AibrixParams {
    /// The release replayed.
    pub fn version(&self) -> AibrixVersion {
        match self {
            AibrixParams::V04(p) => p.release,
            AibrixParams::V05(_) => AibrixVersion::V0_5,
            AibrixParams::V06(_) => AibrixVersion::V0_6,
            AibrixParams::V07(_) => AibrixVersion::V0_7,
        }
    }

    /// The Gen-B params (v0.5.0, v0.6.0, v0.7.0), `None` for v0.4.0.
    pub fn gen_b(&self) -> Option<&AibrixGenBParams> {
        match self {
            AibrixParams::V04(_) => None,
            AibrixParams::V05(p) | AibrixParams::V06(p) | AibrixParams::V07(p) => Some(p),
        }
    }

    /// The controller resync interval: one metric collection and one decision per interval.
    pub fn resync_interval(&self) -> &Param<Millis> {
        match self {
            AibrixParams::V04(p) => &p.resync_interval,
            AibrixParams::V05(p) | AibrixParams::V06(p) | AibrixParams::V07(p) => {
                &p.resync_interval
            }
        }
    }
}

/// AIBrix "Gen B" scaling context, the same fields in v0.5.0, v0.6.0 and v0.7.0 (each filled
/// from its own release's facts, `upstream::aibrix::{v05, v06, v07}::params`):
/// `context/context.go` (`NewBaseScalingContext`, annotations `autoscaling.aibrix.ai/*`),
/// `metrics/client.go` (fixed windows), `podautoscaler_controller.go` (resync).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AibrixGenBParams {
    pub max_scale_up_rate: Param<f64>,
    pub max_scale_down_rate: Param<f64>,
    pub scale_up_tolerance: Param<f64>,
    pub scale_down_tolerance: Param<f64>,
    pub panic_threshold: Param<f64>,
    pub scale_up_cooldown: Param<Millis>,
    pub scale_down_cooldown: Param<Millis>,
    /// Parsed but unused upstream (no caller of `GetScaleToZero()` in v0.5.0 – v0.7.0).
    pub scale_to_zero: Param<bool>,
    /// `stableWindowDuration` (180 s, `metrics/client.go`): no setting changes it.
    pub stable_window: Param<Millis>,
    /// `panicWindowDuration` (60 s, `metrics/client.go`): no setting changes it.
    pub panic_window: Param<Millis>,
    /// Controller resync interval (`DefaultResyncInterval`).
    pub resync_interval: Param<Millis>,
}

/// AIBrix v0.4.0 ("Gen A", v0.2.0 – v0.4.1) scaling context: `common/context.go` (rates,
/// `autoscaling.aibrix.ai/*`), `scaler/kpa.go` (`kpa.autoscaling.aibrix.ai/*`), `scaler/apa.go`
/// (`apa.autoscaling.aibrix.ai/*`), `podautoscaler_controller.go` (resync).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AibrixV04Params {
    /// The release selected: v0.4.0, or an older one its code replays
    /// ([`AibrixVersion::replayed_by`]); serialized only for those.
    #[serde(skip_serializing_if = "AibrixVersion::is_v04")]
    pub release: AibrixVersion,
    pub max_scale_up_rate: Param<f64>,
    pub max_scale_down_rate: Param<f64>,
    /// APA `up-fluctuation-tolerance` (the KPA has no tolerance band).
    pub up_fluctuation_tolerance: Param<f64>,
    /// APA `down-fluctuation-tolerance`.
    pub down_fluctuation_tolerance: Param<f64>,
    /// KPA `panic-threshold`.
    pub panic_threshold: Param<f64>,
    /// KPA `stable-window`.
    pub stable_window: Param<Millis>,
    /// KPA `panic-window`.
    pub panic_window: Param<Millis>,
    /// KPA `scale-down-delay` (default 30 min; 0 = no delay window).
    pub scale_down_delay: Param<Millis>,
    /// KPA `activation-scale`.
    pub activation_scale: Param<u32>,
    /// KPA `target-burst-capacity`: only affects the reported excess burst capacity, never the
    /// replica count.
    pub target_burst_capacity: Param<f64>,
    /// APA `window`.
    pub apa_window: Param<Millis>,
    /// Controller resync interval (`resyncInterval`).
    pub resync_interval: Param<Millis>,
}

/// Kubernetes HPA controller settings and the object's `behavior`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HpaParams {
    /// `--horizontal-pod-autoscaler-sync-period`.
    pub sync_period: Param<Millis>,
    /// Per-direction tolerance (`behavior.scaleUp.tolerance`, else the cluster flag 0.1).
    pub tolerance_up: Param<f64>,
    pub tolerance_down: Param<f64>,
    /// `--horizontal-pod-autoscaler-downscale-stabilization` (legacy path, and the default
    /// scale-down window when `behavior` is given without one).
    pub downscale_stabilization: Param<Millis>,
    /// `--horizontal-pod-autoscaler-cpu-initialization-period`.
    pub cpu_initialization_period: Param<Millis>,
    /// `--horizontal-pod-autoscaler-initial-readiness-delay`.
    pub initial_readiness_delay: Param<Millis>,
    /// `spec.behavior`, already defaulted field by field. `None`: the legacy path
    /// (`normalizeDesiredReplicas`).
    pub behavior: Option<Behavior>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Behavior {
    pub scale_up: ScalingRules,
    pub scale_down: ScalingRules,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SelectPolicy {
    Max,
    Min,
    Disabled,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PolicyType {
    Pods,
    Percent,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Policy {
    pub policy_type: PolicyType,
    pub value: u32,
    pub period: Millis,
    #[serde(skip)]
    pub span: Option<Span>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScalingRules {
    pub stabilization_window: Param<Millis>,
    pub select_policy: Param<SelectPolicy>,
    pub policies: Vec<Policy>,
    /// Where the policies are written; `None` when they are the defaults.
    #[serde(skip)]
    pub policies_span: Option<Span>,
}

/// KEDA ScaledObject (`apis/keda/v1alpha1/scaledobject_types.go`,
/// `pkg/scaling/executor/scale_scaledobjects.go`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KedaParams {
    pub polling_interval: Param<Millis>,
    pub cooldown_period: Param<Millis>,
    pub initial_cooldown_period: Param<Millis>,
    /// `minReplicaCount` as written (0 by default); the HPA gets `max(min, 1)`.
    pub min_replica_count: Param<u32>,
    pub idle_replica_count: Option<Param<u32>>,
    /// The HPA KEDA creates (1 ↔ N).
    pub hpa: HpaParams,
    /// `autoscaling.keda.sh/paused-scale-in`.
    pub paused_scale_in: bool,
    /// `autoscaling.keda.sh/paused-scale-out`.
    pub paused_scale_out: bool,
    /// `autoscaling.keda.sh/force-activation`.
    pub force_activation: bool,
    /// `autoscaling.keda.sh/paused-replicas` / `autoscaling.keda.sh/paused`: no autoscaling.
    pub pause: Option<KedaPause>,
    /// `spec.advanced.scalingModifiers`: one composite metric replaces the external triggers.
    pub modifiers: Option<ScalingModifiers>,
    /// `spec.fallback`: what the HPA is fed once a trigger's metric fails more than
    /// `failureThreshold` times in a row ([`crate::algorithm::keda_fallback`]).
    pub fallback: Option<Box<KedaFallback>>,
}

/// KEDA `spec.fallback` (v2.18 `apis/keda/v1alpha1/scaledobject_types.go` `Fallback`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct KedaFallback {
    /// `failureThreshold`: fallback applies from failure `failureThreshold + 1` on.
    pub failure_threshold: Param<u32>,
    /// `replicas`.
    pub replicas: Param<u32>,
    /// `behavior` (default `static`).
    pub behavior: Param<FallbackBehavior>,
    /// `HasValidFallback` holds at run time (`pkg/fallback/fallback.go`): with
    /// `scalingModifiers`, its `target` must be an integer above 0, else KEDA never falls back.
    pub valid: bool,
}

/// `spec.fallback.behavior` (v2.18 `FallbackBehavior*` constants; the CRD's enum).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum FallbackBehavior {
    /// `fallback.replicas`.
    Static,
    /// The workload's current replicas.
    CurrentReplicas,
    /// The larger of the current replicas and `fallback.replicas`.
    CurrentReplicasIfHigher,
    /// The smaller of the current replicas and `fallback.replicas`.
    CurrentReplicasIfLower,
}

impl FallbackBehavior {
    /// Every value as the CRD spells it.
    pub const ALL: [(&'static str, FallbackBehavior); 4] = [
        ("static", FallbackBehavior::Static),
        ("currentReplicas", FallbackBehavior::CurrentReplicas),
        (
            "currentReplicasIfHigher",
            FallbackBehavior::CurrentReplicasIfHigher,
        ),
        (
            "currentReplicasIfLower",
            FallbackBehavior::CurrentReplicasIfLower,
        ),
    ];

    /// The value as the CRD spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            FallbackBehavior::Static => "static",
            FallbackBehavior::CurrentReplicas => "currentReplicas",
            FallbackBehavior::CurrentReplicasIfHigher => "currentReplicasIfHigher",
            FallbackBehavior::CurrentReplicasIfLower => "currentReplicasIfLower",
        }
    }
}

/// KEDA `advanced.scalingModifiers` (v2.18 `apis/keda/v1alpha1/scaledobject_types.go`
/// `ScalingModifiers`; `controllers/keda/hpa.go`: the HPA gets one External metric
/// `composite-metric` with this target instead of the triggers' metrics).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScalingModifiers {
    pub formula: String,
    pub target: Param<f64>,
    /// `activationTarget` (0 when not written): active when the composite value is above it.
    pub activation_target: Param<f64>,
    pub target_type: TargetType,
    /// The formula's variables: a named trigger's name and its index in `Autoscaler::metrics`.
    pub variables: Vec<(String, usize)>,
}

/// How a paused ScaledObject holds its workload (KEDA v2.18
/// `apis/keda/v1alpha1/scaledobject_types.go NeedToBePausedByAnnotation`; `paused-replicas`
/// wins when both are written).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum KedaPause {
    /// `paused-replicas: "N"`: the executor sets the workload to N and stops
    /// (`executor.GetPausedReplicaCount`, `RequestScale`).
    Replicas { replicas: u32 },
    /// `paused: "true"` (or a `paused-replicas` that is not an integer): the scale loop stops and
    /// the HPA is deleted, so the replicas stay where they are.
    Frozen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KnativeMetric {
    Concurrency,
    Rps,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    Linear,
    WeightedExponential,
}

/// Knative KPA decider and PA reconciler settings (`pkg/autoscaler/config/config.go`,
/// `pkg/reconciler/autoscaling/resources/target.go`, `kpa/scaler.go`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KnativeParams {
    pub metric: Param<KnativeMetric>,
    /// Per-pod target: `max(0.01, total × utilization)` (`ResolveMetricTarget`).
    pub target_value: f64,
    /// `TotalValue`: the per-pod total before utilization (used for burst capacity).
    pub total_value: f64,
    pub target: Param<f64>,
    pub target_utilization: Param<f64>,
    pub container_concurrency: Option<Param<u32>>,
    pub stable_window: Param<Millis>,
    pub panic_window_percentage: Param<f64>,
    pub panic_threshold_percentage: Param<f64>,
    pub max_scale_up_rate: Param<f64>,
    pub max_scale_down_rate: Param<f64>,
    pub enable_scale_to_zero: Param<bool>,
    pub scale_to_zero_grace_period: Param<Millis>,
    pub scale_to_zero_pod_retention_period: Param<Millis>,
    pub initial_scale: Param<u32>,
    pub allow_zero_initial_scale: Param<bool>,
    pub scale_down_delay: Param<Millis>,
    pub activation_scale: Param<u32>,
    pub target_burst_capacity: Param<f64>,
    pub aggregation: Param<Aggregation>,
    /// The decider tick (2 s, `multiscaler.go tickInterval`).
    pub tick_interval: Param<Millis>,
}
