//! AIBrix v0.2.0, v0.2.1, v0.3.0 and v0.4.1, replayed by v0.4.0's code
//! (`AibrixVersion::replayed_by`, `upstream::aibrix_gen_a::ALIASES`): the evidence (the
//! replay-relevant files' blob ids at each tag, `core/tests/testdata/upstream/
//! aibrix-gen-a-blobs.txt`) and what a user sees (the same replay, each message naming the
//! release selected).

use std::collections::{BTreeMap, BTreeSet};

use scalelens_core::model::{AibrixVersion, Algorithm};
use scalelens_core::upstream::aibrix_gen_a::{alias, Seen, ALIASES};

use crate::aibrix_releases::{parse, rise_and_fall};
use crate::fixtures::read_testdata;

/// (tag, path) → (blob id, blob id after v0.3.0's module rename).
fn blobs() -> BTreeMap<(String, String), (String, String)> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/testdata/upstream/aibrix-gen-a-blobs.txt");
    let text = std::fs::read_to_string(path).expect("recorded blob ids");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            assert_eq!(f.len(), 4, "{l}");
            (
                (f[0].to_string(), f[3].to_string()),
                (f[1].to_string(), f[2].to_string()),
            )
        })
        .collect()
}

/// Every replay-relevant file of an alias has v0.4.0's text (its blob id, or v0.4.0's once
/// the Go module is renamed as v0.3.0 did), except exactly the files its `differences` list;
/// and every file of v0.4.0 is at the alias's tag.
#[test]
fn aliases_differ_from_v040_only_where_documented() {
    let blobs = blobs();
    let at = |tag: &str| -> BTreeMap<&str, &(String, String)> {
        blobs
            .iter()
            .filter(|((t, _), _)| t == tag)
            .map(|((_, p), ids)| (p.as_str(), ids))
            .collect()
    };
    let v04 = at("v0.4.0");
    assert!(v04.len() > 20, "v0.4.0's files are recorded");
    assert_eq!(ALIASES.len(), 4);
    for a in ALIASES {
        let files = at(a.tag);
        assert_eq!(
            files.keys().collect::<BTreeSet<_>>(),
            v04.keys().collect::<BTreeSet<_>>(),
            "{}: the same files as v0.4.0",
            a.tag
        );
        let differing: BTreeSet<&str> = files
            .iter()
            .filter(|(p, (_, renamed))| v04.get(*p).is_none_or(|(blob, _)| blob != renamed))
            .map(|(p, _)| *p)
            .collect();
        let documented: BTreeSet<&str> = a.differences().iter().map(|d| d.path).collect();
        assert_eq!(differing, documented, "{}", a.tag);
        for d in a.differences() {
            assert!(!d.what.is_empty(), "{} {}", a.tag, d.path);
            match d.seen {
                Seen::Never(why) | Seen::Flagged(why) => assert!(!why.is_empty()),
            }
        }
        assert_eq!(AibrixVersion::parse(a.tag), Some(a.version), "{}", a.tag);
        assert_eq!(a.version.replayed_by(), AibrixVersion::V0_4, "{}", a.tag);
    }
    // The rename is the only change of most files from v0.2.1 to v0.3.0: without it, the
    // comparison above would not hold (so it is not vacuous).
    let renamed_only = at("v0.2.1")
        .iter()
        .filter(|(p, (blob, renamed))| {
            blob != renamed && v04.get(*p).is_some_and(|(b, _)| b == renamed)
        })
        .count();
    assert!(renamed_only >= 9, "{renamed_only}");
}

/// `alias` finds the releases replayed by another's code, never v0.4.0 itself.
#[test]
fn alias_of_each_release() {
    for v in AibrixVersion::SELECTABLE {
        assert_eq!(
            alias(v).is_some(),
            v.replayed_by() != v,
            "{v:?}: an alias exactly when another release's code replays it"
        );
    }
}

/// v0.3.0, v0.2.1 and v0.2.0 read a PodAutoscaler as v0.4.0 does: the same params, the same
/// diagnostics but for the tag they name, which is the release selected.
#[test]
fn aliases_read_as_v040_under_their_own_tag() {
    for rel in [
        "config/aibrix-v04/kpa.yaml",
        "config/aibrix-v04/apa.yaml",
        "config/aibrix-v04/gen-b-keys.yaml",
        "config/aibrix-v04/gen-b-source-types.yaml",
        "config/aibrix/kpa.yaml",
        "config/aibrix/hpa.yaml",
        "config/aibrix/unreleased-windows.yaml",
    ] {
        let read = |v: AibrixVersion| {
            let parsed = parse(rel, v);
            let params = parsed
                .autoscalers
                .iter()
                .map(|a| match &a.algorithm {
                    Algorithm::AibrixKpa(p) | Algorithm::AibrixApa(p) => {
                        assert_eq!(p.version(), v, "{rel}");
                        let mut json = serde_json::to_value(p).expect("json");
                        if let Some(o) = json.as_object_mut() {
                            o.remove("release");
                        }
                        json.to_string()
                    }
                    other => format!("{other:?}"),
                })
                .collect::<Vec<_>>();
            let diags = parsed
                .diagnostics
                .iter()
                .map(|d| {
                    assert!(
                        v == AibrixVersion::V0_4 || !d.message.contains("v0.4.0"),
                        "{rel} {v:?}: names v0.4.0, not the release selected: {}",
                        d.message
                    );
                    format!(
                        "{} {:?} {}",
                        d.code.as_str(),
                        d.span,
                        d.message.replace(v.tag(), "TAG")
                    )
                })
                .collect::<Vec<_>>();
            (params, diags)
        };
        let v04 = read(AibrixVersion::V0_4);
        for v in [
            AibrixVersion::V0_3_0,
            AibrixVersion::V0_2_1,
            AibrixVersion::V0_2_0,
        ] {
            assert_eq!(read(v), v04, "{rel} {v:?}");
        }
    }
}

/// A demand that rises and falls: the aliases decide as v0.4.0, tick for tick, and the header
/// names the release selected.
#[test]
fn aliases_replay_v040_timeline() {
    let yaml = read_testdata("config/aibrix-v04/kpa.yaml");
    let replay = |v: AibrixVersion| {
        let out = rise_and_fall(&yaml, 4.0, 0.3, v);
        let header = out
            .as_read
            .as_ref()
            .map(|a| a.algorithm.upstream())
            .unwrap_or_default();
        let sim = out.sim.expect("replayed");
        let steps: Vec<_> = sim
            .timeline
            .iter()
            .map(|e| (e.t, e.replicas, e.desired))
            .collect();
        (header, steps)
    };
    let (h04, v04) = replay(AibrixVersion::V0_4);
    assert!(v04.iter().any(|&(_, r, _)| r > 1), "the load scales it up");
    assert!(h04.starts_with("AIBrix v0.4.0 KPA"), "{h04}");
    for v in [
        AibrixVersion::V0_3_0,
        AibrixVersion::V0_2_1,
        AibrixVersion::V0_2_0,
    ] {
        let (h, steps) = replay(v);
        assert_eq!(steps, v04, "{v:?}");
        assert!(
            h.starts_with(&format!("AIBrix {} KPA", v.tag())) && h.contains("v0.4.0's code"),
            "{h}"
        );
    }
}

/// What v0.2.x does differently and a PodAutoscaler can show is worded for that release only:
/// the RayClusterFleet pods (v0.2.0) and the HPA built without metrics (v0.2.0, v0.2.1).
#[test]
fn v02_differences_are_worded_for_v02_only() {
    let ray = "config/aibrix-v02/ray-fleet-kpa.yaml";
    let hpa = "config/aibrix-v02/hpa-target-percent.yaml";
    for (v, ray_flagged, hpa_worded) in [
        (AibrixVersion::V0_2_0, true, true),
        (AibrixVersion::V0_2_1, false, true),
        (AibrixVersion::V0_3_0, false, false),
        (AibrixVersion::V0_4, false, false),
    ] {
        let flagged = parse(ray, v)
            .diagnostics
            .iter()
            .any(|d| d.code.as_str() == "unsupported-feature" && d.message.contains("Ray workers"));
        assert_eq!(flagged, ray_flagged, "{v:?}");
        let parsed = parse(hpa, v);
        let bad = parsed
            .diagnostics
            .iter()
            .find(|d| d.code.as_str() == "invalid-value")
            .expect("the target does not parse");
        let help = bad.help.as_deref().unwrap_or_default();
        assert_eq!(
            help.contains(&format!("AIBrix {}'s makeHPA", v.tag())),
            hpa_worded,
            "{v:?}: {help}"
        );
    }
}

/// v0.1.0, v0.1.1 and v0.1.2 have the same replay-relevant files (one v0.1 reader will serve
/// the three), and v0.2.0 changed the API they read (`spec.targetMetric`/`targetValue` moved
/// into `metricsSources`, PR #511): v0.1 is no alias of v0.4.0.
#[test]
fn v01_patches_are_one_release_and_v02_changed_the_api() {
    let blobs = blobs();
    let at = |tag: &str| -> BTreeMap<String, String> {
        blobs
            .iter()
            .filter(|((t, _), _)| t == tag)
            .map(|((_, p), (blob, _))| (p.clone(), blob.clone()))
            .collect()
    };
    let v012 = at("v0.1.2");
    assert!(v012.len() > 15, "v0.1.2's files are recorded");
    assert_eq!(at("v0.1.0"), v012);
    assert_eq!(at("v0.1.1"), v012);
    let types = "api/autoscaling/v1alpha1/podautoscaler_types.go";
    assert_ne!(at("v0.2.0").get(types), v012.get(types));
    assert!(ALIASES.iter().all(|a| !a.tag.starts_with("v0.1")));
}
