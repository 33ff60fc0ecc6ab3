//! `scale-to-zero-misconfigured`: the configuration asks for scale to zero, or for one of its
//! settings, in a way the controller cannot honour.
//!
//! How the check works (the rule's docs, what / why / example / fix / references, are
//! [`DOC`], shown by `scalelens rule` and in SARIF):
//! Static checks, per family:
//! - **Knative**: the revision writes `autoscaling.knative.dev/min-scale: "0"` while the
//!   `config-autoscaler` ConfigMap in the input sets `enable-scale-to-zero: "false"` (the PA
//!   reconciler then keeps 1 pod); or it sets `scale-to-zero-pod-retention-period` while scale
//!   to zero cannot happen (min-scale ≥ 1, or scale to zero disabled), so the retention never
//!   applies (note).
//! - **AIBrix** (`minReplicas: 0`): with the KPA/APA strategies and a per-pod metric source
//!   (`pod`, `resource`, `custom`), or with APA on any source, a workload at 0 replicas has no
//!   pod to report the metric; the controller records nothing from an empty snapshot, so its
//!   windows keep the last (zero) values, and KPA's `ceil(0 / target)` and APA's
//!   `ceil(0 × ratio)` keep it at 0 under any load (AIBrix has no activator). With the HPA
//!   strategy AIBrix sets the generated HPA's `minReplicas` only when it is above 0, so
//!   Kubernetes' default 1 applies and it never reaches 0 (reported by the AIBrix reader, which
//!   models that default: [`aibrix_hpa_min_zero`]). (The
//!   `autoscaling.aibrix.ai/scale-to-zero` annotation, parsed but read by nothing in v0.7.0, is
//!   already `unsupported-feature`: one cause, one diagnostic.)
//!
//! From samples ([`check_keda_idle_floor`]):
//! - **KEDA** (`minReplicaCount: 0`): the trigger's values fall to an idle floor (at most 5 %
//!   of their peak) that stays above `activationThreshold`, so the ScaledObject never becomes
//!   inactive and never scales to zero.
//!
//! The Kubernetes HPA's `minReplicas: 0` (the `HPAScaleToZero` alpha gate) is reported by
//! `out-of-range` where the model is read, not here. KEDA's cpu/memory-only `minReplicaCount: 0`
//! is `keda-resource-only-zero`.

use super::fmt_num;
use crate::codes::rule_doc;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::model::{Algorithm, Autoscaler, MetricSource};
use crate::samples::{Interpretation, Samples};

/// The idle floor is at most this share of the peak: the metric does fall with the load.
pub const IDLE_SHARE: f64 = 0.05;

/// Static scale-to-zero checks of one autoscaler.
pub fn check_scale_to_zero(a: &Autoscaler) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    match &a.algorithm {
        Algorithm::KnativeKpa(p) => {
            // min-scale written on the revision (inside this document), not the ConfigMap's.
            let min_on_revision = a
                .min_replicas
                .span()
                .filter(|s| a.span.start <= s.start && s.end <= a.span.end);
            let disabled = !p.enable_scale_to_zero.value;
            if let (Some(span), true, 0) = (min_on_revision, disabled, a.min_replicas.value) {
                let at = p
                    .enable_scale_to_zero
                    .span()
                    .map(|s| format!(" (line {})", s.start.line))
                    .unwrap_or_default();
                out.push(
                    Diagnostic::warning(
                        Code::ScaleToZeroMisconfigured,
                        format!(
                            "`min-scale: \"0\"` asks for scale to zero, but `config-autoscaler` sets `enable-scale-to-zero: \"false\"`{at}: Knative turns a desired 0 into 1, so this revision never scales below 1 pod"
                        ),
                    )
                    .at(span)
                    .with_help("handleScaleToZero (knative/serving v1.20 pkg/reconciler/autoscaling/kpa/scaler.go) returns 1 when scale to zero is disabled; `enable-scale-to-zero` is cluster-wide and has no per-revision annotation")
                    .with_fix("state the real minimum: min-scale \"1\"", span, "\"1\""),
                );
            }
            // Only a retention written on this revision: a cluster-wide value in the ConfigMap
            // serves other revisions too.
            let retention = &p.scale_to_zero_pod_retention_period;
            let on_revision = retention
                .span()
                .filter(|s| a.span.start <= s.start && s.end <= a.span.end);
            if let Some(span) = on_revision {
                if retention.value > 0 && (a.min_replicas.value >= 1 || disabled) {
                    let why = if disabled {
                        "scale to zero is disabled in `config-autoscaler`".to_string()
                    } else {
                        format!("min-scale is {}", a.min_replicas.value)
                    };
                    out.push(
                        Diagnostic::note(
                            Code::ScaleToZeroMisconfigured,
                            format!(
                                "`scale-to-zero-pod-retention-period` has no effect: {why}, so the revision never scales to zero and the last pod is never retained"
                            ),
                        )
                        .at(span),
                    );
                }
            }
        }
        Algorithm::AibrixKpa(p) | Algorithm::AibrixApa(p) => {
            let apa = matches!(a.algorithm, Algorithm::AibrixApa(_));
            if let (0, Some(span)) = (a.min_replicas.value, a.min_replicas.span()) {
                let per_pod = a.metrics.iter().find(|m| {
                    apa || matches!(
                        m.source,
                        MetricSource::AibrixPod { .. }
                            | MetricSource::AibrixResource
                            | MetricSource::AibrixCustom
                    )
                });
                if let Some(m) = per_pod {
                    let why = if apa && p.version().gen_a() {
                        format!(
                            "APA {} makes no decision without a ready pod to average over",
                            p.version().tag()
                        )
                    } else if apa {
                        "APA recommends ceil(replicas × value / target), which is 0 at 0 replicas"
                            .to_string()
                    } else {
                        format!(
                            "KPA recommends ceil(mean / target) from windows that keep their last value when no pod reports, and `{}` is read from the pods",
                            m.name.value
                        )
                    };
                    out.push(
                        Diagnostic::warning(
                            Code::ScaleToZeroMisconfigured,
                            format!(
                                "`minReplicas: 0` lets AIBrix {} scale the workload to 0, but nothing brings it back: at 0 replicas no pod reports the metric, and {why}; AIBrix has no activator to wake it on the first request",
                                p.version().tag()
                            ),
                        )
                        .at(span)
                        .with_help("AIBrix records nothing from an empty metrics snapshot (pkg/controller/podautoscaler/metrics/client.go), so the window averages stay at the 0 that scaled it down")
                        .with_fix("keep one replica: minReplicas 1", span, "1"),
                    );
                }
            }
        }
        Algorithm::Hpa(_) | Algorithm::Keda(_) => {}
    }
    out
}

/// AIBrix `scalingStrategy: HPA` with `minReplicas: 0` written at `span`: the generated HPA
/// gets no minReplicas, so Kubernetes' default 1 applies. Emitted by the AIBrix reader, which
/// models that default (the written 0 is gone from the model afterwards).
pub fn aibrix_hpa_min_zero(span: crate::span::Span, hpa: &crate::upstream::Source) -> Diagnostic {
    Diagnostic::warning(
        Code::ScaleToZeroMisconfigured,
        "`minReplicas: 0` with `scalingStrategy: HPA`: AIBrix sets the generated HPA's minReplicas only when it is above 0, so Kubernetes' default 1 applies and the workload never scales to zero",
    )
    .at(span)
    .with_help(format!(
        "{} {} {} (makeHPAWithBounds: `if minReplicas > 0`)",
        hpa.project.repo(),
        hpa.tag,
        hpa.path
    ))
    .with_fix("write the minimum the HPA will use: minReplicas 1", span, "1")
}

/// KEDA with `minReplicaCount: 0`: the samples' total (the trigger's value) falls to an idle
/// floor that stays above `activationThreshold`, so the object never goes inactive.
pub fn check_keda_idle_floor(
    a: &Autoscaler,
    samples: &Samples,
    interpretation: Interpretation,
) -> Option<Diagnostic> {
    let Algorithm::Keda(p) = &a.algorithm else {
        return None;
    };
    if p.min_replica_count.value != 0 || p.idle_replica_count.is_some() || p.force_activation {
        return None;
    }
    let m = a.metrics.first()?;
    if !matches!(m.source, MetricSource::KedaPrometheus { .. }) {
        return None;
    }
    let threshold = m.activation_threshold.as_ref().map_or(0.0, |t| t.value);
    let (demand, _) = crate::samples::to_demand(samples, interpretation);
    let values: Vec<f64> = demand
        .points
        .iter()
        .map(|p| p.1)
        .filter(|v| v.is_finite())
        .collect();
    if values.len() < 4 {
        return None;
    }
    let peak = values.iter().copied().fold(f64::MIN, f64::max);
    let floor = values.iter().copied().fold(f64::MAX, f64::min);
    if !(peak > 0.0 && floor > threshold && floor <= IDLE_SHARE * peak) {
        return None;
    }
    let at = m
        .activation_threshold
        .as_ref()
        .and_then(|t| t.span())
        .unwrap_or(m.name.span);
    let min_text = if p.min_replica_count.span().is_some() {
        "`minReplicaCount: 0`"
    } else {
        "KEDA's default `minReplicaCount` 0"
    };
    let message = format!(
        "{min_text} asks KEDA to scale to zero when idle, but the trigger's value never falls to `activationThreshold` {}: its idle floor in the samples is {} ({}% of the peak {}); KEDA is active while value > activationThreshold, so it never scales to zero",
        fmt_num(threshold),
        fmt_num(floor),
        fmt_num((floor / peak * 1000.0).round() / 10.0),
        fmt_num(peak),
    );
    let suggested = fmt_num(floor * 2.0);
    let mut d = Diagnostic::warning(Code::ScaleToZeroMisconfigured, message)
        .at(at)
        .with_help("the prometheus scaler is active when value > activationThreshold (strict); KEDA scales to zero only after cooldownPeriod without an active trigger (kedacore/keda v2.18 pkg/scaling/executor/scale_scaledobjects.go)");
    match m.activation_threshold.as_ref().and_then(|t| t.span()) {
        Some(span) => {
            d = d.with_fix(
                format!("raise activationThreshold above the idle floor: {suggested}"),
                span,
                format!("\"{suggested}\""),
            )
        }
        None => {
            d = d.with_advice(format!(
                "add `activationThreshold: \"{suggested}\"` to the trigger's metadata, above the idle floor"
            ))
        }
    }
    Some(d)
}

rule_doc! {
    /// Scale to zero is asked for in a way the controller cannot honour.
    ///
    /// # What it does
    /// Reports scale-to-zero settings the controller cannot honour: Knative `min-scale: "0"` with
    /// `enable-scale-to-zero: "false"`, or a pod retention period that never applies (note); AIBrix
    /// `minReplicas: 0` with per-pod metrics or APA (never comes back from 0), or with the HPA
    /// strategy (min dropped); from samples, KEDA `minReplicaCount: 0` with an idle floor above
    /// `activationThreshold`. See [`crate::analysis::check_scale_to_zero`],
    /// [`crate::analysis::check_keda_idle_floor`]. HPA `minReplicas: 0` is `out-of-range`.
    ///
    /// # Why is this bad
    /// Idle pods are never released although the YAML says so, or a workload at 0 never comes back
    /// (AIBrix has no activator).
    ///
    /// # Example
    /// ```text
    /// spec:
    ///   minReplicas: 0
    ///   scalingStrategy: KPA
    ///   metricsSources:
    ///     - metricSourceType: pod
    /// ```
    ///
    /// # Fix
    /// Knative: drop `min-scale: "0"` or enable scale to zero; AIBrix: `minReplicas: 1`; KEDA: an
    /// `activationThreshold` above the idle floor.
    ///
    /// # References
    /// - knative/serving v1.20 `pkg/reconciler/autoscaling/kpa/scaler.go` (`handleScaleToZero`);
    ///   vllm-project/aibrix v0.7.0 `pkg/controller/podautoscaler/metrics/client.go`,
    ///   `hpa_resources.go`; kedacore/keda v2.18 `pkg/scaling/executor/scale_scaledobjects.go`;
    ///   kubernetes/kubernetes v1.34 feature gate `HPAScaleToZero` (alpha, off).
    pub(crate) const DOC;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_util::{autoscaler, kpa};

    #[test]
    fn aibrix_min_zero_pod_metric() {
        let a = kpa("gpu_cache_usage_perc", "0.5", "");
        assert!(check_scale_to_zero(&a).is_empty());
        let y = crate::analysis::test_util::kpa_yaml("gpu_cache_usage_perc", "0.5", "")
            .replace("minReplicas: 1", "minReplicas: 0");
        let a = autoscaler(&y);
        let d = check_scale_to_zero(&a);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].message.contains("nothing brings it back"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn aibrix_min_zero_by_strategy_and_source() {
        let y = |strategy: &str, source: &str| {
            crate::analysis::test_util::kpa_yaml("num_requests_waiting", "8", "")
                .replace("minReplicas: 1", "minReplicas: 0")
                .replace(
                    "scalingStrategy: KPA",
                    &format!("scalingStrategy: {strategy}"),
                )
                .replace(
                    "metricSourceType: pod",
                    &format!("metricSourceType: {source}"),
                )
        };
        // (strategy, source, fires, text)
        for (strategy, source, fires, text) in [
            ("KPA", "pod", true, "KPA recommends ceil(mean / target)"),
            ("APA", "pod", true, "0 at 0 replicas"),
            ("HPA", "pod", true, "Kubernetes' default 1 applies"),
            ("KPA", "external", false, ""),
            ("APA", "external", true, "0 at 0 replicas"),
        ] {
            let yaml = y(strategy, source);
            let mut d = check_scale_to_zero(&autoscaler(&yaml));
            // The HPA strategy's case comes from the reader.
            d.extend(
                crate::config::parse(&yaml)
                    .diagnostics
                    .into_iter()
                    .filter(|d| d.code == Code::ScaleToZeroMisconfigured),
            );
            d.dedup();
            assert_eq!(d.len(), usize::from(fires), "{strategy} {source}: {d:?}");
            if let Some(d) = d.first() {
                assert!(d.message.contains(text), "{}", d.message);
            }
        }
    }

    #[test]
    fn knative_disabled_scale_to_zero() {
        let y = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config-autoscaler\n  namespace: knative-serving\ndata:\n  enable-scale-to-zero: \"false\"\n---\napiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  template:\n    metadata:\n      annotations:\n        autoscaling.knative.dev/min-scale: \"0\"\n    spec:\n      containers:\n        - image: x\n";
        let a = autoscaler(y);
        let d = check_scale_to_zero(&a);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("line 7"), "{}", d[0].message);
        // Without the annotation: the operator's choice, nothing to say.
        let a = autoscaler(&y.replace(
            "        autoscaling.knative.dev/min-scale: \"0\"\n",
            "        x: y\n",
        ));
        assert!(check_scale_to_zero(&a).is_empty());
    }
}
