//! AIBrix releases replayed by v0.4.0's code (`AibrixVersion::replayed_by`): v0.2.0, v0.2.1,
//! v0.3.0 and v0.4.1. Each [`Alias`] lists every replay-relevant file whose text at its tag
//! differs from v0.4.0's, with what changed and why a replay cannot see it, or how the reader
//! flags it where it can ([`Seen`]).
//!
//! The evidence is the files' git blob ids at each tag, recorded in
//! `core/tests/testdata/upstream/aibrix-gen-a-blobs.txt` (`git ls-tree` of
//! `pkg/controller/podautoscaler`, `api/autoscaling`, `config/crd/autoscaling`,
//! `pkg/utils/pod.go` and `pkg/config`): `core/tests/it/aibrix_gen_a.rs` checks that every file
//! of an alias has v0.4.0's blob id, or v0.4.0's id once the Go module is renamed as v0.3.0 did
//! (`github.com/aibrix/aibrix` → `github.com/vllm-project/aibrix`: an import path, no
//! behaviour), except exactly the files listed here.
//!
//! What the tags show (vllm-project/aibrix, `git diff A..B -- pkg/controller/podautoscaler
//! api/autoscaling`): v0.3.0 → v0.4.0 changes nothing there (only `pkg/utils/pod.go`, below);
//! v0.2.1 → v0.3.0 renames the module, takes read locks, makes `makeHPA` return an error,
//! syncs the status from the HPA, and lets the pod metrics fetch skip failing pods; v0.2.0 →
//! v0.2.1 adds the RayClusterFleet head-pod selector. v0.1.x is a different API (top-level
//! `targetMetric`/`targetValue`, PR #511 moved them into `metricsSources` for v0.2.0): not an
//! alias.

use crate::model::AibrixVersion;

/// A release replayed by another's code, and what differs.
#[derive(Debug, Clone, Copy)]
pub struct Alias {
    /// The tag as released.
    pub tag: &'static str,
    /// The release a user selects for it (`AibrixVersion::parse(tag)`).
    pub version: AibrixVersion,
    /// The replay-relevant files whose text differs from the next alias up's (after the module
    /// rename); [`Alias::differences`] adds the ones the next alias has.
    own: &'static [Difference],
    /// The next release up whose differences from v0.4.0 this one has too (`None`: v0.4.0).
    then: Option<&'static Alias>,
}

impl Alias {
    /// The replay-relevant files whose text differs from v0.4.0's (after the module rename).
    pub fn differences(&self) -> Vec<&'static Difference> {
        let mut out: Vec<&'static Difference> = Vec::new();
        let mut next = Some(self);
        while let Some(a) = next {
            out.extend(a.own.iter());
            next = a.then;
        }
        out
    }
}

/// One file that differs between an alias and v0.4.0.
#[derive(Debug, Clone, Copy)]
pub struct Difference {
    /// The file (vllm-project/aibrix).
    pub path: &'static str,
    /// The tag whose change makes it differ from the alias's text.
    pub changed_in: &'static str,
    /// What changed.
    pub what: &'static str,
    /// Whether a replay can see it.
    pub seen: Seen,
}

/// Whether a replay could see a difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// No replay can: why.
    Never(&'static str),
    /// Only for some input, which the reader flags (the diagnostic's code and when).
    Flagged(&'static str),
}

const POD_UTILS_V04: Difference = Difference {
    path: "pkg/utils/pod.go",
    changed_in: "v0.4.0",
    what: "helpers added for the gateway; `IsPodTerminating` no longer counts a terminal (Failed or Succeeded) pod",
    seen: Seen::Never("a terminal pod is never Ready, so the ready pods the controller counts (`CountReadyPods`, unchanged) and reads (`FilterActivePods`) are the same; the replay has no terminal pods"),
};

const POD_UTILS_V03: Difference = Difference {
    path: "pkg/utils/pod.go",
    changed_in: "v0.3.0",
    what: "helpers added for the gateway and the module renamed; `FilterActivePods` becomes `FilterPods(pods, FilterReadyPod)`, its test (an IP, not terminating, Ready) moved into `FilterReadyPod` unchanged",
    seen: Seen::Never("the same pods pass the same test; `GetPodListByLabelSelector`, `CountReadyPods` and `IsPodReady` keep their code"),
};

const HPA_RESOURCES_V03: Difference = Difference {
    path: "pkg/controller/podautoscaler/hpa_resources.go",
    changed_in: "v0.3.0",
    what: "`makeHPA` returns an error for a `targetValue` that `strconv.ParseFloat` rejects (v0.2.x logs it and creates the HPA without metrics, which the API server defaults to 80 % CPU utilization) and for a source count other than one (v0.2.x returns nil, which the controller dereferences)",
    seen: Seen::Flagged("`invalid-value` on the unparsable targetValue of a `scalingStrategy: HPA` PodAutoscaler says, under v0.2.x, what the controller creates instead; the replay has no metric for it, as under v0.3.0 (no HPA); with other than one source neither creates an HPA"),
};

const METRICS_UTILS_V03: Difference = Difference {
    path: "pkg/controller/podautoscaler/metrics/utils.go",
    changed_in: "v0.3.0",
    what: "`GetMetricsFromPods` skips a pod whose fetch fails and fails only when every pod fails (v0.2.x fails the whole fetch, so the reconcile, when any one pod fails)",
    seen: Seen::Never("only ready pods are fetched (`utils.FilterActivePods`), and in the replay every ready pod serves its metric (`sim` feeds each ready pod its share: `reporting: ready`); `--metric-outage` is not replayed for AIBrix (a warning), and it would fail every pod, which both versions treat alike"),
};

const CONTROLLER_V03: Difference = Difference {
    path: "pkg/controller/podautoscaler/podautoscaler_controller.go",
    changed_in: "v0.3.0",
    what: "the HPA strategy's status (actual and desired scale, conditions) is synced from the HPA; `makeHPA`'s error ends the reconcile; the reconcile's context is passed on; the event channel is wired with controller-runtime's newer `source.Channel`",
    seen: Seen::Never("status, logging and wiring: no replica decision reads them"),
};

const CONTROLLER_V021: Difference = Difference {
    path: "pkg/controller/podautoscaler/podautoscaler_controller.go",
    changed_in: "v0.2.1",
    what: "for a RayClusterFleet target, the pod selector gets `ray.io/node-type=head` (`computeReplicasForMetrics`, `updateMetricsForScale`); v0.2.0 counts and reads every pod of the fleet, Ray workers included",
    seen: Seen::Flagged("`unsupported-feature` on a RayClusterFleet `scaleTargetRef` under v0.2.0: the replay reads one pod per replica, as v0.2.1 does"),
};

const LOCKS_APA_V03: Difference = Difference {
    path: "pkg/controller/podautoscaler/scaler/apa.go",
    changed_in: "v0.3.0",
    what: "`GetScalingContext` takes a read lock instead of the lock",
    seen: Seen::Never("locking only: the same values are read"),
};

const LOCKS_KPA_V03: Difference = Difference {
    path: "pkg/controller/podautoscaler/scaler/kpa.go",
    changed_in: "v0.3.0",
    what: "`GetScalingContext` and `InPanicMode` take a read lock instead of the lock",
    seen: Seen::Never("locking only: the same values are read"),
};

const RUNTIME_CONFIG_V03: Difference = Difference {
    path: "pkg/config/config.go",
    changed_in: "v0.3.0",
    what: "`RuntimeConfig` gains the model adapter's scheduler policy",
    seen: Seen::Never("read by the model adapter controller only"),
};

static V0_2_0: Alias = Alias {
    tag: "v0.2.0",
    version: AibrixVersion::V0_2_0,
    own: &[CONTROLLER_V021],
    then: Some(&V0_2_1),
};

static V0_2_1: Alias = Alias {
    tag: "v0.2.1",
    version: AibrixVersion::V0_2_1,
    own: &[
        CONTROLLER_V03,
        HPA_RESOURCES_V03,
        METRICS_UTILS_V03,
        LOCKS_APA_V03,
        LOCKS_KPA_V03,
        RUNTIME_CONFIG_V03,
        POD_UTILS_V03,
    ],
    then: Some(&V0_3_0),
};

static V0_3_0: Alias = Alias {
    tag: "v0.3.0",
    version: AibrixVersion::V0_3_0,
    own: &[POD_UTILS_V04],
    then: None,
};

static V0_4_1: Alias = Alias {
    tag: "v0.4.1",
    version: AibrixVersion::V0_4,
    own: &[],
    then: None,
};

/// The releases v0.4.0's code replays, each with what differs from v0.4.0.
pub static ALIASES: &[&Alias] = &[&V0_2_0, &V0_2_1, &V0_3_0, &V0_4_1];

/// The alias `version` is, if it is one (v0.4.1 is selected as `V0_4`: not returned).
pub fn alias(version: AibrixVersion) -> Option<&'static Alias> {
    ALIASES
        .iter()
        .copied()
        .find(|a| a.version == version && version != AibrixVersion::V0_4)
}

/// Whether `version` runs v0.2.x's `makeHPA`, which creates an HPA without metrics when
/// `targetValue` does not parse ([`HPA_RESOURCES_V03`]).
pub fn hpa_without_metrics_on_bad_target(version: AibrixVersion) -> bool {
    matches!(version, AibrixVersion::V0_2_0 | AibrixVersion::V0_2_1)
}

/// Whether `version` reads every pod of a RayClusterFleet, workers included
/// ([`CONTROLLER_V021`]).
pub fn reads_ray_workers(version: AibrixVersion) -> bool {
    version == AibrixVersion::V0_2_0
}
