//! The controller pages' "How it decides, in order" and "Known quirks" sections.
//!
//! The steps are the order the algorithm modules' docs give (`scalelens_core::algorithm::*`,
//! each naming the upstream functions), written once here as words; each step names the
//! [`Concept`]s it reads, and the page shows the setting that plays each one from the family's
//! own table (`knobs::setting`, the same answer `scalelens explain` gives), so a renamed or
//! moved knob changes the page. A quirk is a rule of the replayed release that surprises
//! people, named by the [`Reason`] the replay reports when it decides: its live example is the
//! first test case (`tests/testdata/timelines/`) whose replay, as this release, really decides
//! by that rule ([`quirk_examples`]), so a quirk without a replay that shows it has no example
//! and `tests/tests/docs_site.rs` fails.

use scalelens_core::algorithm::Reason;
use scalelens_core::display::Clock;
use scalelens_core::knobs::{self, Concept};
use scalelens_core::model::{AibrixVersion, Algorithm, Autoscaler};
use scalelens_core::pipeline;

use crate::fixtures::{self, Example, Fixture};

/// One step of a controller's decision, in the order the controller takes it.
pub struct Step {
    pub words: &'static str,
    /// The parts of the family's table it reads (their settings are shown).
    pub concepts: &'static [Concept],
}

/// A rule of the release that surprises people, as the replay reports it.
pub struct Quirk {
    /// The page's heading for it, in plain words.
    pub title: &'static str,
    pub words: &'static str,
    /// The name of the [`Reason`] (in messages).
    pub reason: &'static str,
    /// Whether a decision's reason is this quirk.
    pub is: fn(&Reason) -> bool,
}

/// How one controller page's family decides.
pub struct Decides {
    pub steps: &'static [Step],
    pub quirks: &'static [Quirk],
    /// The release a replay of the page's examples runs as (`--aibrix-version`), when the
    /// family has several.
    pub aibrix: Option<&'static str>,
    /// Whether an autoscaler is replayed by this page's controller.
    pub replays: fn(&Autoscaler) -> bool,
}

use Concept as C;

const HPA_STEPS: &[Step] = &[
    Step {
        words: "Every sync period (`--horizontal-pod-autoscaler-sync-period`, 15 s) each metric \
                is read for the ready pods; starting pods and pods without a value are left out \
                of the ratio, then counted (at 0, or at the target) to check the scale still goes \
                the same way, else the count is kept (`replica_calculator.go`).",
        concepts: &[],
    },
    Step {
        words: "Per metric, the ratio of the value to its target: inside the tolerance band \
                nothing changes, else `ceil(ratio × pods)`; the largest count over the metrics \
                wins (`computeReplicasForMetrics`).",
        concepts: &[C::Target, C::ScaleUpTolerance, C::ScaleDownTolerance],
    },
    Step {
        words: "Stabilization: a scale-down takes the highest recommendation of its window, a \
                scale-up the lowest of its own (`stabilizeRecommendationWithBehaviors`).",
        concepts: &[C::ScaleDownWindow, C::ScaleUpWindow],
    },
    Step {
        words: "Rate limits: the behavior policies of the direction, combined by its select \
                policy (`Max` by default, `Disabled` stops that direction) over their periods \
                (`convertDesiredReplicasWithBehaviorRate`).",
        concepts: &[
            C::ScaleUpPolicies,
            C::ScaleUpSelectPolicy,
            C::ScaleDownPolicies,
            C::ScaleDownSelectPolicy,
        ],
    },
    Step {
        words: "The result is kept within `[minReplicas, maxReplicas]`; a workload at 0 replicas \
                with `minReplicas` above 0 is not scaled at all (`ScalingDisabled`).",
        concepts: &[C::MinReplicas, C::MaxReplicas],
    },
];

const HPA_QUIRKS: &[Quirk] = &[
    Quirk {
        words: "A scale-down waits for the stabilization window: the highest recommendation of \
                the last five minutes (by default) is kept, so the count comes down late and in \
                steps.",
        title: "Scale-downs wait for the stabilization window",
        reason: "StabilizationWindow",
        is: |r| matches!(r, Reason::StabilizationWindow { .. }),
    },
    Quirk {
        words: "Within the tolerance (10 % by default) of the target the count does not move, \
                however long the metric stays off target.",
        title: "Near the target nothing moves",
        reason: "Tolerance",
        is: |r| matches!(r, Reason::Tolerance { .. }),
    },
    Quirk {
        words: "A scale-up is limited by the scale-up policies (by default the larger of 100 % \
                and 4 pods per 15 s), so a burst takes several syncs to reach its count.",
        title: "Scale-ups are rate-limited",
        reason: "ScaleUpPolicy",
        is: |r| matches!(r, Reason::ScaleUpPolicy { .. }),
    },
];

const KEDA_STEPS: &[Step] = &[
    Step {
        words: "Every `pollingInterval` KEDA asks each trigger whether it is active (its value \
                above its activation threshold; cpu and memory triggers always are); a paused \
                object is left alone (`getScaledObjectState`).",
        concepts: &[C::ActivationThreshold],
    },
    Step {
        words: "At zero (or idle) replicas and a trigger active, KEDA scales to \
                `max(minReplicaCount, 1)`; with no trigger active for `cooldownPeriod` it scales \
                to `minReplicaCount` or `idleReplicaCount` (`scaleToZeroOrIdle`, \
                `scaleFromZeroOrIdle`).",
        concepts: &[C::ScaleToZeroDelay, C::MinReplicas],
    },
    Step {
        words: "Between 1 and `maxReplicaCount` the HPA KEDA creates decides, every HPA sync, as \
                on the Kubernetes HPA page: each trigger an External metric, the largest count \
                wins, then stabilization, policies and bounds.",
        concepts: &[C::Target, C::ScaleDownWindow, C::MaxReplicas],
    },
];

const KEDA_QUIRKS: &[Quirk] = &[
    Quirk {
        words: "Going from zero is KEDA's decision, not the HPA's: it takes a trigger above its \
                activation threshold, whatever the target says.",
        title: "Only KEDA wakes a workload from zero",
        reason: "Activated",
        is: |r| matches!(r, Reason::Activated { .. }),
    },
    Quirk {
        words: "Going to zero waits `cooldownPeriod` (300 s by default) after the last active \
                poll, while the HPA cannot go below 1.",
        title: "Going to zero waits for the cooldown",
        reason: "Cooldown",
        is: |r| matches!(r, Reason::Cooldown { .. }),
    },
    Quirk {
        words: "A paused object (`autoscaling.keda.sh/paused-replicas`) holds its count whatever \
                the load.",
        title: "A paused object holds its count",
        reason: "Paused",
        is: |r| matches!(r, Reason::Paused { .. }),
    },
];

const KNATIVE_STEPS: &[Step] = &[
    Step {
        words: "Every second the revision's total of the metric (the pods' sum, or the \
                activator's count while no pod is ready) goes into a stable and a panic window \
                (`collector.go`).",
        concepts: &[C::StableWindow, C::PanicWindow],
    },
    Step {
        words: "Every 2 s the decider divides each window's total by the target per pod; when the \
                panic window's count reaches the panic threshold it enters panic mode, which \
                scales on the panic window and never scales down (`autoscaler.go` `Scale`).",
        concepts: &[C::Target, C::PanicThreshold],
    },
    Step {
        words: "Rate limits: at most max-scale-up-rate × ready pods up, ready pods ÷ \
                max-scale-down-rate down; then the highest count of the scale-down delay window.",
        concepts: &[C::MaxScaleUpRate, C::MaxScaleDownRate, C::ScaleDownDelay],
    },
    Step {
        words: "The PodAutoscaler's reconcile: a non-zero count raised to the activation scale, \
                the initial scale until reached once, `[min-scale, max-scale]`, and zero only \
                after the scale-to-zero grace period, when scale to zero is enabled \
                (`pkg/reconciler/autoscaling/kpa/`).",
        concepts: &[
            C::ActivationScale,
            C::InitialScale,
            C::MinReplicas,
            C::MaxReplicas,
            C::ScaleToZero,
            C::ScaleToZeroDelay,
        ],
    },
];

const KNATIVE_QUIRKS: &[Quirk] = &[
    Quirk {
        words: "In panic mode the count never goes down until the panic ends (60 s by default \
                without a new panic), even when the load has gone.",
        title: "Panic mode never scales down",
        reason: "PanicNoScaleDown",
        is: |r| matches!(r, Reason::PanicNoScaleDown { .. }),
    },
    Quirk {
        words: "A count of 0 is not applied when the decider reaches it: the last pod stays while \
                the revision is still Active, and goes only after the scale-to-zero grace period \
                (30 s) and any pod retention period have passed since it became Inactive \
                (`kpa/scaler.go` `handleScaleToZero`).",
        title: "The last pod waits for the grace period",
        reason: "ScaleToZeroGrace",
        is: |r| matches!(r, Reason::ScaleToZeroGrace),
    },
];

const AIBRIX_V04_STEPS: &[Step] = &[
    Step {
        words: "Every 10 s the controller reconciles; before any metric it checks the bounds: at \
                0 replicas with `minReplicas` above 0 nothing happens, above `maxReplicas` it \
                scales to it, below `minReplicas` up to it.",
        concepts: &[C::MinReplicas, C::MaxReplicas],
    },
    Step {
        words: "The SUM of the ready pods' values goes into the stable and panic windows; with no \
                pod reporting nothing is recorded and the windows keep stale values.",
        concepts: &[C::StableWindow, C::PanicWindow],
    },
    Step {
        words: "KPA: Knative's decider on that sum (panic mode holds the count up), with the \
                rate limits and a 30-minute scale-down delay that keeps the highest count of its \
                window; APA: the ratio to target outside the tolerance band.",
        concepts: &[
            C::Target,
            C::PanicThreshold,
            C::MaxScaleUpRate,
            C::MaxScaleDownRate,
            C::ScaleDownDelay,
            C::ScaleUpTolerance,
            C::ScaleDownTolerance,
        ],
    },
    Step {
        words: "The count is clamped to `[minReplicas, maxReplicas]` and applied when it differs.",
        concepts: &[],
    },
];

const AIBRIX_V04_QUIRKS: &[Quirk] = &[Quirk {
    words: "After a burst the count stays up for the 30-minute scale-down delay: the highest \
            count of the last 30 minutes is kept (the seed story).",
    title: "A 30-minute hold after every burst",
    reason: "ScaleDownDelay",
    is: |r| matches!(r, Reason::ScaleDownDelay { .. }),
}];

const AIBRIX_STEPS: &[Step] = &[
    Step {
        words: "Every 10 s (`DefaultResyncInterval`) the controller reconciles; before any metric \
                it checks the bounds: at 0 replicas with `minReplicas` above 0 nothing happens, \
                outside `[minReplicas, maxReplicas]` it moves to the bound \
                (`computeScaleDecision`).",
        concepts: &[C::MinReplicas, C::MaxReplicas],
    },
    Step {
        words: "Each metric source: the MEAN of the ready pods' values goes into a stable and a \
                panic window; with no pod reporting nothing is recorded and the windows keep \
                stale values (`metrics/client.go`).",
        concepts: &[C::StableWindow, C::PanicWindow],
    },
    Step {
        words: "KPA: `ceil(per-pod mean / target)`, not multiplied by the pod count; the panic \
                window decides when it reaches the panic threshold, with no panic state kept \
                between reconciles. APA: the ratio to target outside the up and down tolerance. \
                Both then apply the rate limits (`algorithm/kpa.go`, `apa.go`).",
        concepts: &[
            C::Target,
            C::PanicThreshold,
            C::ScaleUpTolerance,
            C::ScaleDownTolerance,
            C::MaxScaleUpRate,
            C::MaxScaleDownRate,
        ],
    },
    Step {
        words: "Each metric's count is clamped to `[minReplicas, maxReplicas]`; the largest over \
                the metrics wins (`ComputeDesiredReplicas`).",
        concepts: &[],
    },
    Step {
        words: "`stabilizeRecommendation`: a scale-up keeps the highest recommendation of the \
                scale-up cooldown window, a scale-down the LOWEST of the scale-down cooldown \
                window; then a final clamp, applied when it differs.",
        concepts: &[C::ScaleUpWindow, C::ScaleDownWindow],
    },
];

const AIBRIX_QUIRKS: &[Quirk] = &[
    Quirk {
        words: "KPA divides the per-pod mean by the target and does not multiply by the pod \
                count (Knative and APA do), so the count follows the mean, not the load.",
        title: "KPA follows the per-pod mean, not the load",
        reason: "KpaPerPodMean",
        is: |r| matches!(r, Reason::KpaPerPodMean { .. }),
    },
    Quirk {
        words: "Panic mode keeps no state: a panic-window reading can scale down at once (Knative \
                holds the count in panic).",
        title: "Panic mode does not hold the count",
        reason: "PanicNoHold",
        is: |r| matches!(r, Reason::PanicNoHold { .. }),
    },
];

fn aibrix_at(a: &Autoscaler, v: AibrixVersion) -> bool {
    matches!(&a.algorithm, Algorithm::AibrixKpa(p) | Algorithm::AibrixApa(p) if p.version() == v)
}

fn aibrix(tag: &'static str, replays: fn(&Autoscaler) -> bool) -> Decides {
    let v04 = tag == "v0.4";
    Decides {
        steps: if v04 { AIBRIX_V04_STEPS } else { AIBRIX_STEPS },
        quirks: if v04 {
            AIBRIX_V04_QUIRKS
        } else {
            AIBRIX_QUIRKS
        },
        aibrix: Some(tag),
        replays,
    }
}

/// What a controller page (by its slug: family and release) says about its decisions; `None`
/// for a page replayed as another family's (KServe).
pub fn of(slug: &str) -> Option<Decides> {
    let d = match slug {
        s if s.starts_with("hpa-") => Decides {
            steps: HPA_STEPS,
            quirks: HPA_QUIRKS,
            aibrix: None,
            replays: |a| matches!(a.algorithm, Algorithm::Hpa(_)),
        },
        s if s.starts_with("keda-") => Decides {
            steps: KEDA_STEPS,
            quirks: KEDA_QUIRKS,
            aibrix: None,
            replays: |a| matches!(a.algorithm, Algorithm::Keda(_)),
        },
        s if s.starts_with("knative-") => Decides {
            steps: KNATIVE_STEPS,
            quirks: KNATIVE_QUIRKS,
            aibrix: None,
            replays: |a| matches!(a.algorithm, Algorithm::KnativeKpa(_)),
        },
        "aibrix-v0.4.0" => aibrix("v0.4", |a| aibrix_at(a, AibrixVersion::V0_4)),
        "aibrix-v0.5.0" => aibrix("v0.5", |a| aibrix_at(a, AibrixVersion::V0_5)),
        "aibrix-v0.6.0" => aibrix("v0.6", |a| aibrix_at(a, AibrixVersion::V0_6)),
        "aibrix-v0.7.0" => aibrix("v0.7", |a| aibrix_at(a, AibrixVersion::V0_7)),
        _ => return None,
    };
    Some(d)
}

/// A replayed test case as this page's controller: its example (the playground state and the
/// `simulate` arguments, both with the page's release) and its replay.
struct Replayed {
    example: Example,
    autoscaler: Autoscaler,
    /// The upstream algorithm the playground names for it (`AutoscalerSummary::algorithm`).
    algorithm: &'static str,
    timeline: Vec<scalelens_core::sim::TimelineEntry>,
}

fn replayed_cases(d: &Decides) -> Vec<Replayed> {
    fixtures::cases("timelines")
        .into_iter()
        .filter(|c| c.expect.exit == 0)
        .filter_map(|c| {
            let mut state = fixtures::case_state(&c)?;
            if state.samples.is_empty() {
                return None;
            }
            state.aibrix = d.aibrix.map(str::to_string);
            if fixtures::beyond_playground("", &state) {
                return None;
            }
            let mut args = vec![c.config.clone()];
            let mut rest = c.args.iter();
            while let Some(a) = rest.next() {
                if a == "--aibrix-version" {
                    rest.next();
                } else {
                    args.push(a.clone());
                }
            }
            if let Some(v) = d.aibrix {
                args.extend(["--aibrix-version".to_string(), v.to_string()]);
            }
            let out = pipeline::run(&state.pipeline_input());
            let autoscaler = out.autoscaler()?.clone();
            let algorithm = out.selected.as_ref()?.algorithm;
            if !(d.replays)(&autoscaler) {
                return None;
            }
            let timeline = out.sim?.timeline;
            let example = Example {
                fixture: Fixture::Case(c),
                state,
                replay: Some(args),
            };
            (example.fragment().len() <= fixtures::MAX_FRAGMENT).then_some(Replayed {
                example,
                autoscaler,
                algorithm,
                timeline,
            })
        })
        .collect()
}

/// A page's decisions as it shows them.
pub struct Shown {
    /// Each step's words and the settings that play its concepts (the family's table, read on
    /// the first test case it replays).
    pub steps: Vec<(&'static str, Vec<String>)>,
    /// Each quirk with its example, when a test case's replay decides by it.
    pub quirks: Vec<(&'static Quirk, Option<QuirkExample>)>,
}

/// A quirk's live example.
pub struct QuirkExample {
    pub example: Example,
    /// The first time its replay decides by the quirk (`h:mm:ss`).
    pub at: String,
    /// The upstream algorithm the embed names (the replayed controller and release).
    pub algorithm: &'static str,
}

/// [`of`] `slug`, with its settings and examples.
pub fn shown(slug: &str) -> Option<Shown> {
    let d = of(slug)?;
    let cases = replayed_cases(&d);
    let reference = cases.first().map(|r| &r.autoscaler);
    let steps = d
        .steps
        .iter()
        .map(|step| {
            let mut names: Vec<String> = Vec::new();
            for c in step.concepts {
                if let Some(s) = reference.and_then(|a| knobs::setting(a, *c)) {
                    if !names.contains(&s.setting) {
                        names.push(s.setting);
                    }
                }
            }
            (step.words, names)
        })
        .collect();
    let quirks = d
        .quirks
        .iter()
        .map(|q| {
            let found = cases.iter().find_map(|r| {
                let at = r.timeline.iter().find(|e| (q.is)(&e.reason))?;
                Some(QuirkExample {
                    example: r.example.clone(),
                    at: Clock(at.t).to_string(),
                    algorithm: r.algorithm,
                })
            });
            (q, found)
        })
        .collect();
    Some(Shown { steps, quirks })
}
