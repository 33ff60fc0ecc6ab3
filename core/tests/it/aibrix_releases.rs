//! The AIBrix releases replayed (`AibrixVersion`): v0.5.0, v0.6.0 and v0.7.0 run one Gen-B
//! controller, each from its own release's facts, and differ only where upstream does (the
//! `targetValue > 0` check of v0.6.0, v0.5.0's StormService pod selector: the fixtures under
//! `tests/testdata/config/aibrix-v05/` and `aibrix-v06/`); v0.4.1, v0.3.0, v0.2.1 and v0.2.0
//! replay as v0.4.0 (`aibrix_gen_a`).

use scalelens_core::config::{self, ParseOptions};
use scalelens_core::model::{AibrixVersion, Algorithm};
use scalelens_core::pipeline::{run, DemandInput, PipelineInput, PipelineOptions};
use scalelens_core::span::Origin;

use crate::fixtures::read_testdata;

/// Every spelling users type (`--aibrix-version`, the playground, fixtures' options) and the
/// release it selects.
#[test]
fn each_spelling_selects_its_release() {
    for (text, want) in [
        // v0.2.0, v0.2.1 and v0.3.0 are replayed by v0.4.0's code under their own tag
        // (`aibrix_gen_a`); `v0.2` is its last patch.
        ("v0.2.0", Some(AibrixVersion::V0_2_0)),
        ("v0.2", Some(AibrixVersion::V0_2_1)),
        ("v0.2.1", Some(AibrixVersion::V0_2_1)),
        ("v0.3", Some(AibrixVersion::V0_3_0)),
        ("0.3.0", Some(AibrixVersion::V0_3_0)),
        ("v0.4", Some(AibrixVersion::V0_4)),
        ("v0.4.0", Some(AibrixVersion::V0_4)),
        // v0.4.1 changed nothing under pkg/controller/podautoscaler, pkg/metrics or
        // api/autoscaling: it is v0.4.0's controller.
        ("v0.4.1", Some(AibrixVersion::V0_4)),
        ("0.5", Some(AibrixVersion::V0_5)),
        ("v0.5.0", Some(AibrixVersion::V0_5)),
        ("v0.6", Some(AibrixVersion::V0_6)),
        ("v0.6.0", Some(AibrixVersion::V0_6)),
        ("v0.7", Some(AibrixVersion::V0_7)),
        (" v0.7.0 ", Some(AibrixVersion::V0_7)),
        ("v0.5.1", None),
        ("v0.8.0", None),
        ("v0.3.1", None),
        ("v0.2.2", None),
        ("", None),
    ] {
        assert_eq!(AibrixVersion::parse(text), want, "{text:?}");
    }
    for v in AibrixVersion::SELECTABLE {
        assert_eq!(AibrixVersion::parse(v.tag()), Some(v));
    }
}

/// Each replayed release is in `REPLAYED`, at its tag.
#[test]
fn every_release_is_listed_as_replayed() {
    let listed: Vec<&str> = scalelens_core::upstream::REPLAYED
        .iter()
        .filter(|r| r.release.project == scalelens_core::upstream::Project::Aibrix)
        .map(|r| r.release.tag)
        .collect();
    assert_eq!(listed, ["v0.7.0", "v0.6.0", "v0.5.0", "v0.4.0"]);
}

/// `rel` (under `tests/testdata/`) read as AIBrix `version` does.
pub(crate) fn parse(rel: &str, version: AibrixVersion) -> config::Parsed {
    config::parse_with(
        &read_testdata(rel),
        &ParseOptions {
            aibrix_version: version,
            ..ParseOptions::default()
        },
    )
}

/// The Gen-B releases read a PodAutoscaler alike: the same values, each unwritten default
/// citing the release's own tag, the same diagnostics but for the tag they name.
#[test]
fn gen_b_releases_read_alike_from_their_own_tag() {
    let gen_b = [
        AibrixVersion::V0_5,
        AibrixVersion::V0_6,
        AibrixVersion::V0_7,
    ];
    for rel in [
        "config/aibrix/kpa.yaml",
        "config/aibrix/tuned-kpa.yaml",
        "config/aibrix/apa.yaml",
        "config/aibrix/optimizer-kpa.yaml",
        "config/aibrix/unreleased-windows.yaml",
    ] {
        let mut seen: Vec<(String, String)> = Vec::new();
        for v in gen_b {
            let parsed = parse(rel, v);
            let a = parsed.autoscalers.first().expect("read");
            let p = match &a.algorithm {
                Algorithm::AibrixKpa(p) | Algorithm::AibrixApa(p) => p,
                other => panic!("{rel}: {other:?}"),
            };
            assert_eq!(p.version(), v, "{rel}");
            let params = serde_json::to_value(p.gen_b().expect("Gen B")).expect("json");
            let mut defaults = 0;
            for (field, param) in params.as_object().expect("fields") {
                if let Some(src) = param.get("source") {
                    let src = src.as_str().unwrap_or_default();
                    assert!(
                        src.ends_with(&format!("({})", v.tag())),
                        "{rel} {field}: {src}"
                    );
                    defaults += 1;
                }
            }
            assert!(defaults > 0, "{rel}: no default checked");
            let values = params
                .as_object()
                .expect("fields")
                .iter()
                .map(|(k, p)| format!("{k}={}", p["value"]))
                .collect::<Vec<_>>()
                .join(" ");
            let diags = parsed
                .diagnostics
                .iter()
                .map(|d| format!("{} {}", d.code.as_str(), d.message.replace(v.tag(), "TAG")))
                .collect::<Vec<_>>()
                .join("\n");
            seen.push((values, diags));
        }
        assert!(
            seen.windows(2).all(|w| w[0] == w[1]),
            "{rel}: Gen-B releases read it differently: {seen:#?}"
        );
    }
}

/// Where the releases differ, each says what its own code does: the zero target and the
/// StormService selector, worded per release.
#[test]
fn release_differences_are_worded_per_release() {
    let message = |rel: &str, v: AibrixVersion, code: &str| -> Option<String> {
        parse(rel, v)
            .diagnostics
            .iter()
            .find(|d| d.code.as_str() == code)
            .map(|d| d.message.clone())
    };
    let zero = "config/aibrix-v05/zero-target.yaml";
    let storm = "config/aibrix-v05/stormservice-prefill-apa.yaml";
    for (v, zero_accepted, storm_note) in [
        (AibrixVersion::V0_4, false, false),
        (AibrixVersion::V0_5, true, true),
        (AibrixVersion::V0_6, false, false),
        (AibrixVersion::V0_7, false, false),
    ] {
        let z = message(zero, v, "invalid-target").expect("a target ≤ 0 is always reported");
        assert_eq!(
            z.contains(&format!("AIBrix {} accepts it", v.tag())),
            zero_accepted,
            "{v:?}: {z}"
        );
        assert_eq!(
            message(storm, v, "unsupported-feature").is_some(),
            storm_note,
            "{v:?}"
        );
    }
}

/// `yaml` replayed by AIBrix `version` on a demand of `low`, `high` from 10 to 30 minutes, then
/// `low` again, for an hour (1 replica at the start, pods ready at once).
pub(crate) fn rise_and_fall(
    yaml: &str,
    high: f64,
    low: f64,
    version: AibrixVersion,
) -> scalelens_core::pipeline::PipelineOutput {
    let mut csv = String::from("time,value\n");
    for t in (0..=3600).step_by(15) {
        let load = if (600..1800).contains(&t) { high } else { low };
        csv.push_str(&format!("{t},{load}\n"));
    }
    let series = scalelens_core::demand::parse_csv(&csv).expect("demand");
    run(&PipelineInput {
        yaml,
        demand: DemandInput::Series(&series),
        options: PipelineOptions {
            aibrix_version: version,
            initial_replicas: Some(1),
            pod_startup: Some(0),
            ..PipelineOptions::default()
        },
    })
}

/// A demand that rises and falls, replayed by each release: v0.5.0, v0.6.0 and v0.7.0 decide
/// alike, tick for tick (the same controller); v0.4.0 does not.
#[test]
fn gen_b_releases_replay_the_same_timeline() {
    let yaml = read_testdata("config/aibrix/tuned-kpa.yaml");
    let replicas = |v: AibrixVersion| -> Vec<(u64, u32)> {
        let out = rise_and_fall(&yaml, 60.0, 4.0, v);
        let sim = out.sim.expect("replayed");
        sim.timeline.iter().map(|e| (e.t, e.replicas)).collect()
    };
    let v07 = replicas(AibrixVersion::V0_7);
    assert!(v07.iter().any(|&(_, r)| r > 1), "the load scales it up");
    assert_eq!(replicas(AibrixVersion::V0_5), v07);
    assert_eq!(replicas(AibrixVersion::V0_6), v07);
    assert_ne!(replicas(AibrixVersion::V0_4), v07);
}

/// Unwritten parameters name the release replayed, never another one's file.
#[test]
fn defaults_cite_the_release_replayed() {
    let yaml = "apiVersion: autoscaling.aibrix.ai/v1alpha1\nkind: PodAutoscaler\nmetadata:\n  name: p\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: d}\n  maxReplicas: 4\n  scalingStrategy: APA\n  metricsSources:\n    - {metricSourceType: pod, protocolType: http, port: \"8000\", path: /metrics, targetMetric: num_requests_waiting, targetValue: \"5\"}\n";
    for v in AibrixVersion::ALL {
        let parsed = config::parse_with(
            yaml,
            &ParseOptions {
                aibrix_version: v,
                ..ParseOptions::default()
            },
        );
        let a = parsed.autoscalers.first().expect("read");
        let Origin::Default { source } = a.min_replicas.origin else {
            panic!("{v:?}: minReplicas is not written")
        };
        assert_eq!(source.tag, v.tag(), "{v:?}");
    }
}
