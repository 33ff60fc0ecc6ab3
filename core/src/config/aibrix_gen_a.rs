//! What AIBrix v0.2.0 and v0.2.1 do differently from v0.4.0's code, which replays them
//! (`upstream::aibrix_gen_a::ALIASES` lists every difference and why the others cannot be seen):
//! the two a PodAutoscaler can show, worded for the release selected.

use crate::codes::Code;
use crate::config::read::Cx;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::AibrixVersion;
use crate::upstream::aibrix_gen_a::{hpa_without_metrics_on_bad_target, reads_ray_workers};
use crate::yaml::Node;

/// A RayClusterFleet `scaleTargetRef` on v0.2.0: its controller reads every pod of the fleet,
/// Ray workers included (v0.2.1 added the `ray.io/node-type=head` requirement,
/// `podautoscaler_controller.go` `computeReplicasForMetrics`). The replay reads one pod per
/// replica, as v0.2.1 does: say so.
pub(super) fn check_ray_fleet(cx: &mut Cx, spec: &Node, version: AibrixVersion) {
    if !reads_ray_workers(version) {
        return;
    }
    let Some(kind) = target_kind(spec, "RayClusterFleet") else {
        return;
    };
    cx.push(
        Diagnostic::warning(
            Code::UnsupportedFeature,
            format!("AIBrix {} counts and reads every pod of a RayClusterFleet, Ray workers included: a worker that serves no metric fails the whole fetch (GetMetricsFromPods), so the PodAutoscaler does not scale; v0.2.1 reads only the head pods (`ray.io/node-type=head`); the replay reads one pod per replica, as v0.2.1 does", version.tag()),
        )
        .at(kind.span)
        .with_help("vllm-project/aibrix v0.2.1 pkg/controller/podautoscaler/podautoscaler_controller.go (computeReplicasForMetrics, updateMetricsForScale); replay v0.2.1 (`--aibrix-version v0.2.1`) if the cluster runs it"),
    );
}

/// `spec.scaleTargetRef.kind`'s node when it is `kind`.
pub(super) fn target_kind<'a>(spec: &'a Node, kind: &str) -> Option<&'a Node> {
    spec.get("scaleTargetRef")
        .and_then(|r| r.get("kind"))
        .filter(|k| k.as_str() == Some(kind))
}

/// `scalingStrategy: HPA` with a `targetValue` that does not parse, on v0.2.x: `makeHPA` logs
/// the error and creates the HPA without metrics, which the API server defaults to 80 % CPU
/// utilization (v0.3.0 fails the reconcile instead: no HPA). The reader already reports the
/// value (an error from `diags_from` on); this adds what the release does with it.
pub(super) fn word_hpa_bad_target(
    cx: &mut Cx,
    spec: &Node,
    version: AibrixVersion,
    diags_from: usize,
) {
    if !hpa_without_metrics_on_bad_target(version)
        || spec.get("scalingStrategy").and_then(Node::as_str) != Some("HPA")
    {
        return;
    }
    let targets: Vec<_> = spec
        .get("metricsSources")
        .and_then(Node::as_sequence)
        .unwrap_or(&[])
        .iter()
        .filter_map(|m| m.get("targetValue").map(|v| v.span))
        .collect();
    let tag = version.tag();
    for d in cx.diags.iter_mut().skip(diags_from) {
        let on_target = d
            .span
            .is_some_and(|s| targets.iter().any(|t| t.start <= s.start && s.end <= t.end));
        if d.severity == Severity::Error
            && on_target
            && matches!(d.code, Code::InvalidValue | Code::OutOfRange)
        {
            d.help = Some(format!("AIBrix {tag}'s makeHPA logs this error and creates the HPA without metrics, which the API server defaults to 80% CPU utilization (hpa_resources.go at {tag}; v0.3.0 creates no HPA instead); the replay has no metric for it"));
        }
    }
}
