//! The diagnostics about how a replay was set up, from the facts the simulator reports
//! ([`SimFact`]): the defaults it took (`sim-default-pod-startup`,
//! `sim-default-initial-replicas`), which metric the demand drives (`sim-demand-metric`), a
//! demand beyond the metric's bound (`sim-demand-above-bound`), and a replay too long to run
//! (`replay-too-long`); and a static `target-above-bound` the samples' scale explains
//! ([`defer_target_above_bound`]). The codes' documentation is in [`crate::codes`].
//!
//! The simulator keeps to what happened; the words a user reads are written here, next to the
//! other analyses.

use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::display::{Clock, Dur, Exact, Num};
use crate::model::{Autoscaler, Family};
use crate::sim::{ReplayTooLong, SamplesScale, SimFact, SimOutput};

/// The diagnostics of every fact of `output` (replayed from `autoscaler`), in order.
pub fn check_replay(autoscaler: &Autoscaler, output: &SimOutput) -> Vec<Diagnostic> {
    output
        .facts
        .iter()
        .map(|f| fact_diagnostic(autoscaler, f))
        .collect()
}

/// The `replay-too-long` error with `help` (front ends that know the input's time base suggest
/// a concrete window; `None` gives the generic way out).
pub fn replay_too_long(e: &ReplayTooLong, help: Option<String>) -> Diagnostic {
    let help = help.unwrap_or_else(|| {
        format!(
            "replay a window of the data with --from/--to, or a --duration of at most {}",
            Dur(e.max_span)
        )
    });
    Diagnostic::error(Code::ReplayTooLong, e.to_string()).with_help(help)
}

/// The help of both `sim-demand-above-bound` warnings.
const UNIT_HELP: &str =
    "check the unit the autoscaler really sees; scale the demand or the target so both use the same unit";

fn fact_diagnostic(a: &Autoscaler, fact: &SimFact) -> Diagnostic {
    match *fact {
        SimFact::DefaultPodStartup { startup, llm } => {
            let why = match (llm, a.family) {
                (true, _) => "a vLLM/GPU model server (schedule, pull, load weights)",
                (false, Family::Hpa) => "a workload that is not a model server (the Kubernetes HPA's initial readiness delay)",
                (false, Family::Keda) => "a workload that is not a model server (the initial readiness delay of the HPA KEDA creates)",
                (false, _) => "a workload that is not a model server (Scalelens's assumption)",
            };
            Diagnostic::note(
                Code::SimDefaultPodStartup,
                format!(
                    "new pods become ready {} after they are created: the default for {why}; set --pod-startup to match your workload",
                    Dur(startup)
                ),
            )
        }
        SimFact::DefaultInitialReplicas { replicas } => Diagnostic::note(
            Code::SimDefaultInitialReplicas,
            format!(
                "the input does not say how many replicas run at the start: starting at {replicas} (minReplicas, at least 1); set --initial-replicas, or include the scale target's Deployment"
            ),
        ),
        SimFact::MetricsWithoutData {
            ref without,
            metrics,
        } => Diagnostic::note(
            Code::SimDemandMetric,
            format!(
                "no demand series for {} of the {metrics} metric(s): {} read 0; give each metric \
                 its series (a demand CSV column named by the metric, `--demand NAME=FILE`, or \
                 samples of that metric)",
                without.len(),
                crate::samples::list_names(without.iter().map(String::as_str)),
            ),
        ),
        SimFact::UnmatchedSeries {
            ref series,
            drives_first,
        } => {
            let names: Vec<String> = series
                .iter()
                .map(|n| match n {
                    Some(n) => format!("`{}`", crate::text::quote(n)),
                    None => "the unnamed series".to_string(),
                })
                .collect();
            let has = crate::samples::list_names(a.metrics.iter().map(|m| m.name.value.as_str()));
            let first = a.metrics.first().map_or("", |m| m.name.value.as_str());
            let what = if drives_first {
                format!(
                    "the first one drives the first metric `{}`",
                    crate::text::quote(first)
                )
            } else {
                "not replayed".to_string()
            };
            Diagnostic::warning(
                Code::SimDemandMetric,
                format!(
                    "demand series {} name(s) no metric of this autoscaler (it has {has}): {what}",
                    names.join(", ")
                ),
            )
        }
        SimFact::DemandAboveBound {
            peak,
            bound: b,
            max_replicas: max,
            percent,
            target_on_data_scale,
        } => {
            let m = a.metrics.first();
            let name = m.map_or("", |m| m.name.value.as_str());
            let target = m.map_or(f64::NAN, |m| m.target.value.value);
            let peak = Exact(peak);
            let d = if target_on_data_scale {
                Diagnostic::note(
                    Code::SimDemandAboveBound,
                    format!(
                        "the demand reaches {peak}, more than maxReplicas ({max}) pods can report when `{name}` is bounded at {b} per pod, and the target {} is on the same 0–{} scale: the metric reaches the autoscaler in percent; replaying with each pod capped at {}",
                        Exact(target),
                        100.0 * b,
                        100.0 * b
                    ),
                )
            } else if percent {
                Diagnostic::warning(
                    Code::SimDemandAboveBound,
                    format!(
                        "the demand reaches {peak}, more than maxReplicas ({max}) pods can report when `{name}` is bounded at {b} per pod: the demand is in percent, not in the metric's unit; replaying with each pod capped at {}",
                        100.0 * b
                    ),
                )
                .with_help(UNIT_HELP)
            } else {
                Diagnostic::warning(
                    Code::SimDemandAboveBound,
                    format!(
                        "the demand reaches {peak}, more than maxReplicas ({max}) pods can report when `{name}` is bounded at {b} per pod: the demand is not in the metric's unit; replaying without the bound"
                    ),
                )
                .with_help(UNIT_HELP)
            };
            match m {
                Some(m) => d.at(m.name.span),
                None => d,
            }
        }
        SimFact::TooLong(ref e) => replay_too_long(e, None),
        SimFact::CronWithoutClock { ref triggers } => Diagnostic::warning(
            Code::KedaCronClock,
            format!(
                "the demand's times are relative, so the cron trigger(s) {} replay time 0 as 1970-01-01T00:00:00Z (a Thursday, midnight UTC)",
                crate::samples::list_names(triggers.iter().map(String::as_str)),
            ),
        )
        .with_help("give the demand RFC 3339 times (e.g. 2026-03-02T08:00:00+01:00) to replay the schedule on real dates"),
        SimFact::MetricOutage {
            from,
            to,
            ref metrics,
            replayed,
        } => outage_diagnostic(a, from, to, metrics, replayed),
        SimFact::KedaFallback(s) => fallback_diagnostic(a, &s),
    }
}

/// `sim-metric-outage`: which metrics the outage failed, and what the family's controller does
/// with a failed read.
fn outage_diagnostic(
    a: &Autoscaler,
    from: crate::model::Millis,
    to: crate::model::Millis,
    metrics: &[String],
    replayed: bool,
) -> Diagnostic {
    let when = format!("from {} to {}", Clock(from), Clock(to));
    if !replayed {
        return Diagnostic::warning(
            Code::SimMetricOutage,
            format!(
                "the metric outage ({when}) is not replayed for this {} {}: its metrics read the demand throughout; Scalelens replays failed reads for the HPA and KEDA only",
                a.kind,
                crate::text::quote(&a.name)
            ),
        );
    }
    if metrics.is_empty() {
        return Diagnostic::note(
            Code::SimMetricOutage,
            format!(
                "the metric outage ({when}) fails no metric of this autoscaler: cpu and memory come from metrics-server and a cron trigger from the clock, so the replay is unchanged"
            ),
        );
    }
    let names = crate::samples::list_names(metrics.iter().map(String::as_str));
    let what = match a.family {
        Family::Keda => "KEDA returns an error for each failed read: the HPA counts the metric invalid and keeps its replicas unless another metric asks for more, the polling loop sees the trigger inactive but in error and does not scale to zero; `spec.fallback` decides the rest (below)",
        _ => "the HPA counts each failed metric invalid (`computeReplicasForMetrics`): it keeps its replicas unless a valid metric asks for more",
    };
    Diagnostic::note(
        Code::SimMetricOutage,
        format!("the metric outage ({when}) fails the reads of {names}: {what}"),
    )
}

/// `sim-metric-outage`: what KEDA's `spec.fallback` did in the outage.
fn fallback_diagnostic(a: &Autoscaler, s: &crate::algorithm::keda::FallbackSummary) -> Diagnostic {
    let failed = format!(
        "{} HPA sync(s) saw a failed read, at most {} failure(s) in a row",
        s.failed_syncs, s.max_failures
    );
    if !s.configured {
        return Diagnostic::note(
            Code::SimMetricOutage,
            format!(
                "no `spec.fallback`: {failed}; each failed read went to the HPA as an error, so it held its replicas through the outage"
            ),
        )
        .with_help("`spec.fallback` (failureThreshold, replicas) feeds the HPA a value worth `replicas` replicas after failureThreshold failed reads");
    }
    let behavior = s.behavior.map_or("static", |b| b.as_str());
    let Some(threshold) = s.threshold else {
        return Diagnostic::warning(
            Code::SimMetricOutage,
            format!(
                "`spec.fallback` is written but KEDA does not apply it (HasValidFallback fails, see keda-fallback-invalid): {failed}, each an error for the HPA, which held its replicas"
            ),
        );
    };
    match (s.first, s.last, s.replicas) {
        (Some(first), Some(last), Some((lo, hi))) => {
            let replicas = if lo == hi {
                format!("{lo} replicas")
            } else {
                format!("{lo} to {hi} replicas")
            };
            let target = if a.metrics.iter().any(|m| m.target.target_type == crate::model::TargetType::Value) {
                "target × replicas (÷ ready pods for a Value target)"
            } else {
                "target × replicas"
            };
            let mut d = Diagnostic::note(
                Code::SimMetricOutage,
                format!(
                    "KEDA fell back from {} to {} (failure {} of a metric, above failureThreshold {threshold}; {failed}): the HPA was fed {target} for {replicas} (behavior {behavior}) and scaled to it through its own tolerance, behavior and stabilization",
                    Clock(first),
                    Clock(last),
                    threshold.saturating_add(1),
                ),
            );
            if s.no_ready_pods > 0 {
                d = d.with_help(format!(
                    "at {} sync(s) no pod was ready: a Value target's fallback divides by the ready pods, so KEDA returned an error instead",
                    s.no_ready_pods
                ));
            }
            d
        }
        _ => Diagnostic::note(
            Code::SimMetricOutage,
            format!(
                "KEDA never fell back: {failed}, never more than failureThreshold {threshold} (fallback starts at failure {}); each failed read went to the HPA as an error, so it held its replicas",
                threshold.saturating_add(1)
            ),
        ),
    }
}

/// Turn a static `target-above-bound` warning about this metric's target into a note: the
/// samples show the data on the target's scale (a recording rule or exporter × 100), so the
/// target can be reached. Only when the target fits the data's scale.
pub fn defer_target_above_bound(
    scale: &SamplesScale,
    autoscaler: &Autoscaler,
    diags: &mut [Diagnostic],
) {
    let Some(m) = autoscaler.metrics.get(scale.metric) else {
        return;
    };
    let target = m.target.value.value;
    if !(target > scale.registry_bound && target <= scale.bound) {
        return;
    }
    let target_span = m.target.value.span();
    for d in diags.iter_mut() {
        let about_this = d.span.is_some() && (d.span == target_span || d.span == Some(m.name.span));
        if d.code != Code::TargetAboveBound || !about_this {
            continue;
        }
        d.severity = Severity::Note;
        d.message = format!(
            "target {} for `{}` is above the 0–{} range vLLM reports, but the samples are on a 0–{} scale (median {}, max {}): the metric reaches the autoscaler in percent (e.g. a recording rule × 100), so the target matches the data; the replay caps each pod at {}",
            Num(target),
            m.name.value,
            Num(scale.registry_bound),
            Num(scale.bound),
            Num(scale.median),
            Num(scale.max),
            Num(scale.bound)
        );
        d.help = Some(
            "keep the target in percent as long as the autoscaler is fed the × 100 series; if it reads the pods' /metrics directly (AIBrix metricSourceType: pod), it sees 0–1 and the target must be a fraction".to_string(),
        );
        d.fixes.clear();
    }
}
