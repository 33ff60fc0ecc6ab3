//! Upstream facts: every default, limit and constant Scalelens replays, once, with the
//! upstream file (project, path, symbol, release tag) it comes from.
//!
//! One module per project. Readers take their defaults from here (through the family's knob
//! table, [`crate::knobs`]), controllers their constants; nothing else writes an upstream
//! number down. A [`Param`] that was not written in the YAML points at its [`Source`], which is
//! what `explain` and the JSON output name as "upstream default".

pub mod aibrix;
pub mod aibrix_gen_a;
pub mod keda;
pub mod keda_scalers;
pub mod knative;
pub mod kserve;
pub mod kubernetes;
pub mod kubernetes_conversion;
pub mod prometheus;

use std::fmt;

use serde::{Serialize, Serializer};

use crate::span::Param;

/// The upstream projects whose controllers are replayed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Project {
    Kubernetes,
    Knative,
    Keda,
    Aibrix,
    Kserve,
    /// Prometheus (the scrape interval a PromQL range is measured against).
    Prometheus,
    /// Scalelens itself: a stand-in value where the input is broken (never a replayed default).
    Scalelens,
}

impl Project {
    /// The project's name as users know it (`AIBrix`, `Knative Serving`).
    pub const fn name(self) -> &'static str {
        match self {
            Project::Kubernetes => "Kubernetes",
            Project::Knative => "Knative Serving",
            Project::Keda => "KEDA",
            Project::Aibrix => "AIBrix",
            Project::Kserve => "KServe",
            Project::Prometheus => "Prometheus",
            Project::Scalelens => "Scalelens",
        }
    }

    /// The GitHub repository (`owner/name`).
    pub const fn repo(self) -> &'static str {
        match self {
            Project::Kubernetes => "kubernetes/kubernetes",
            Project::Knative => "knative/serving",
            Project::Keda => "kedacore/keda",
            Project::Aibrix => "vllm-project/aibrix",
            Project::Kserve => "kserve/kserve",
            Project::Prometheus => "prometheus/prometheus",
            Project::Scalelens => "scalelens",
        }
    }

    /// Its release `tag` (`v1.34`, `v0.7.0`, ...), which each [`Source`] of it cites.
    pub const fn at(self, tag: &'static str) -> Release {
        Release { project: self, tag }
    }

    /// The git tag of the release a [`Source::tag`] names, in [`Project::repo`]: Kubernetes and
    /// KEDA tag patch releases and Scalelens cites their minor release (`v1.34` → `v1.34.0`,
    /// `v2.18` → `v2.18.0`, the first release of that line); Knative Serving prefixes its tags
    /// with `knative-` (`knative-v1.20.0`); AIBrix and KServe cite their tags as they are (`v0.7.0`,
    /// `v0.20.0`), and so does Prometheus (`v3.5.0`). The
    /// file lists under `core/tests/testdata/upstream/` were taken at these tags (their first
    /// line names it). `None` for [`Project::Scalelens`], which has no upstream release.
    pub fn git_tag(self, tag: &str) -> Option<String> {
        let patch = |t: &str| {
            if t.matches('.').count() >= 2 {
                t.to_string()
            } else {
                format!("{t}.0")
            }
        };
        match self {
            Project::Kubernetes | Project::Keda => Some(patch(tag)),
            Project::Knative => Some(format!("knative-{}", patch(tag))),
            Project::Aibrix | Project::Kserve | Project::Prometheus => Some(tag.to_string()),
            Project::Scalelens => None,
        }
    }
}

/// Where an upstream fact is written: a file of a project at a release tag, and the symbol in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Source {
    pub project: Project,
    /// Path inside the repository at `tag`.
    pub path: &'static str,
    /// The constant, function or struct field that holds the fact; `""` when the file is enough.
    pub symbol: &'static str,
    /// The release replayed (`v1.34`, `v0.7.0`, ...).
    pub tag: &'static str,
}

impl Source {
    pub const fn new(
        project: Project,
        path: &'static str,
        symbol: &'static str,
        tag: &'static str,
    ) -> Self {
        Source {
            project,
            path,
            symbol,
            tag,
        }
    }
}

/// A project's release: what every [`Source`] of one upstream module shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Release {
    pub project: Project,
    /// The release replayed (`v1.34`, `v0.7.0`, ...).
    pub tag: &'static str,
}

impl Release {
    /// The file `path` of this release, and the `symbol` in it (`""` when the file is enough).
    pub const fn file(self, path: &'static str, symbol: &'static str) -> Source {
        Source::new(self.project, path, symbol, self.tag)
    }
}

impl Source {
    /// The file on GitHub at its release's tag ([`Project::git_tag`]):
    /// `https://github.com/knative/serving/blob/knative-v1.20.0/pkg/autoscaler/config/config.go`.
    /// `None` for Scalelens' own stand-ins.
    pub fn url(&self) -> Option<String> {
        let tag = self.project.git_tag(self.tag)?;
        Some(format!(
            "https://github.com/{}/blob/{tag}/{}",
            self.project.repo(),
            self.path
        ))
    }
}

/// `kubernetes/kubernetes pkg/controller/podautoscaler/horizontal.go calculateScaleUpLimit (v1.34)`
impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.project.repo(), self.path)?;
        if !self.symbol.is_empty() {
            write!(f, " {}", self.symbol)?;
        }
        write!(f, " ({})", self.tag)
    }
}

impl Serialize for Source {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// An upstream value and where it is written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fact<T: 'static> {
    pub value: T,
    pub source: &'static Source,
}

impl<T: Copy> Fact<T> {
    pub const fn new(value: T, source: &'static Source) -> Self {
        Fact { value, source }
    }

    /// The fact as an unwritten parameter (origin: this upstream default).
    pub const fn param(self) -> Param<T> {
        Param::default(self.value, self.source)
    }
}

/// `AIBrix v0.7.0`, `Knative Serving v1.20`.
impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.project.name(), self.tag)
    }
}

/// A replayed upstream release and the objects Scalelens replays as it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replayed {
    pub release: Release,
    /// What of it is replayed (`PodAutoscaler KPA, APA`).
    pub objects: &'static str,
}

/// Every upstream release Scalelens replays, newest generation first within a project: the
/// one list `scalelens --version`, the docs site and tests read.
pub const REPLAYED: [Replayed; 8] = [
    Replayed {
        release: aibrix::v07::AT,
        objects: "PodAutoscaler KPA, APA, HPA (the default release)",
    },
    Replayed {
        release: aibrix::v06::AT,
        objects: "PodAutoscaler KPA, APA, HPA (--aibrix-version v0.6)",
    },
    Replayed {
        release: aibrix::v05::AT,
        objects: "PodAutoscaler KPA, APA, HPA (--aibrix-version v0.5)",
    },
    Replayed {
        release: aibrix::v04::AT,
        objects: "PodAutoscaler KPA, APA, HPA (--aibrix-version v0.4; v0.2.0, v0.2.1, v0.3.0 and v0.4.1 replay as v0.4.0)",
    },
    Replayed {
        release: kubernetes::AT,
        objects: "HorizontalPodAutoscaler autoscaling/v2, v2beta2, v2beta1, v1",
    },
    Replayed {
        release: keda::AT,
        objects: "ScaledObject",
    },
    Replayed {
        release: knative::AT,
        objects: "Service, Configuration, Revision, PodAutoscaler (KPA and HPA classes)",
    },
    Replayed {
        release: kserve::AT,
        objects: "InferenceService, LLMInferenceService (as the autoscaler each becomes)",
    },
];

/// The stand-in `maxReplicas` when it is missing (an error is reported; later checks go on).
pub static MISSING_MAX_REPLICAS: Source =
    Source::new(Project::Scalelens, "maxReplicas missing", "", "this input");

/// Every source cited by the upstream modules (tests check each names a file of its tag).
pub fn all_sources() -> impl Iterator<Item = &'static Source> {
    aibrix::sources()
        .chain(keda::SOURCES)
        .chain(keda_scalers::SOURCES)
        .chain(knative::SOURCES)
        .chain(knative::HPA_CLASS_SOURCES)
        .chain(kserve::SOURCES)
        .chain(kubernetes::SOURCES)
        .chain(kubernetes_conversion::SOURCES)
        .chain(prometheus::SOURCES)
        .copied()
}
