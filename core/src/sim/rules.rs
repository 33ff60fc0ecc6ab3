//! The docs of the replay's set-up codes (defaults taken, the demand, the window): registered
//! in [`crate::codes::Code`].

use crate::codes::rule_doc;

rule_doc! {
    /// The replay used a default pod start-up delay.
    ///
    /// # What it does
    /// Simulation note: the pod start-up delay was not given, so a default for the workload was used
    /// (120 s for vLLM/GPU model servers, 30 s otherwise).
    ///
    /// # Why is this bad
    /// The start-up delay decides how long new pods report nothing; a wrong guess shifts every
    /// scale-up in the replay.
    ///
    /// # Example
    /// ```text
    /// $ scalelens simulate kpa.yaml --demand demand.csv      # no --pod-startup
    /// ```
    ///
    /// # Fix
    /// Pass `--pod-startup` with the time your pods take from creation to Ready.
    ///
    /// # References
    /// - Scalelens `core/src/sim/mod.rs` (the default); Kubernetes docs, "Pod Lifecycle" (readiness).
    pub(crate) const SIM_DEFAULT_POD_STARTUP;
}

rule_doc! {
    /// The replay started from a default replica count.
    ///
    /// # What it does
    /// Simulation note: the initial replica count was not in the input (no Deployment with
    /// `spec.replicas`, no Knative initial scale), so `max(minReplicas, 1)` was used.
    ///
    /// # Why is this bad
    /// The first decisions depend on the current count (rate limits are relative to it).
    ///
    /// # Example
    /// ```text
    /// # the autoscaler's file has no Deployment
    /// kind: HorizontalPodAutoscaler
    /// ```
    ///
    /// # Fix
    /// Add the Deployment to the input, or pass `--initial-replicas N`.
    ///
    /// # References
    /// - kubernetes/kubernetes v1.34 `pkg/controller/podautoscaler/horizontal.go` (rate limits
    ///   relative to `spec.replicas`).
    pub(crate) const SIM_DEFAULT_INITIAL_REPLICAS;
}

rule_doc! {
    /// A metric has no demand series (it reads 0), or a demand series names no metric.
    ///
    /// # What it does
    /// Each metric reads the demand series named after it: a demand CSV column named by the
    /// metric, `--demand NAME=FILE`, or samples of that metric; an unnamed series (`value`)
    /// drives the first metric. A note names the metrics that have no series and read 0; a
    /// warning names the series that match no metric (not replayed, or, when the first metric
    /// has nothing else, driving it). HPA metrics are named as written (`cpu`,
    /// `vllm:num_requests_waiting`, with or without `vllm:`); KEDA triggers as KEDA names their
    /// external metrics (`s0-prometheus`).
    ///
    /// # Why is this bad
    /// With several metrics the controllers take the largest recommendation; a metric that
    /// reads 0 never asks for more pods, so the replay may miss what it would ask for.
    ///
    /// # Example
    /// ```text
    /// metrics:
    ///   - resource: {name: cpu, ...}                       # column `cpu`
    ///   - pods: {metric: {name: num_requests_waiting}, ...} # no column: reads 0
    /// ```
    ///
    /// # Fix
    /// Give each metric its series: `time,cpu,num_requests_waiting` as the CSV header, or
    /// `--demand cpu=cpu.csv --demand num_requests_waiting=queue.csv`, or samples that hold
    /// every metric; or spell the column as the metric is named.
    ///
    /// # References
    /// - kubernetes/kubernetes v1.34 `pkg/controller/podautoscaler/horizontal.go`
    ///   (`computeReplicasForMetrics`: max over metrics); vllm-project/aibrix v0.7.0
    ///   `pkg/controller/podautoscaler/autoscaler.go` (`ComputeDesiredReplicas`: max over
    ///   metric sources).
    pub(crate) const SIM_DEMAND_METRIC;
}

rule_doc! {
    /// The replay window cannot be replayed.
    ///
    /// # What it does
    /// Reports a replay window (`--from`/`--to`, the playground's two fields) that cannot be
    /// replayed: `--from` not before `--to`, a bound outside the data (the message names the data's
    /// range in the input's own times), or an RFC 3339 bound for an input whose times are relative.
    /// Nothing is replayed.
    ///
    /// # Why is this bad
    /// A window outside the data would replay a value the data never had, or nothing at all.
    ///
    /// # Example
    /// ```text
    /// $ scalelens simulate hpa.yaml --demand demand.csv --from 7200 --to 3600
    /// ```
    ///
    /// # Fix
    /// Give a window inside the range the message names, with `--from` before `--to`.
    ///
    /// # References
    /// - Scalelens `core/src/pipeline.rs` (`ReplayWindow`).
    pub(crate) const REPLAY_WINDOW;
}

rule_doc! {
    /// The demand exceeds what maxReplicas pods can report at the metric's bound.
    ///
    /// # What it does
    /// Simulation warning or note: the demand exceeds what `maxReplicas` pods can report at the
    /// metric's bound (e.g. 342 for a 0–1 fraction with max 10). When it fits 100 × that (percent
    /// data), the replay caps each pod at 100 × the bound, and the finding is a note if the target is
    /// on that scale too; beyond, the simulation drops the bound rather than guess a conversion (see
    /// [`crate::sim::scale`]).
    ///
    /// # Why is this bad
    /// The demand is in another unit than the metric (usually percent for a fraction): the replay
    /// shows what the controller would do with such values, not with the real metric.
    ///
    /// # Example
    /// ```text
    /// targetMetric: gpu_cache_usage_perc   # 0–1
    /// # demand.csv: 0,342
    /// ```
    ///
    /// # Fix
    /// Give the demand in the metric's unit, or fix the metric's unit (see `unit-mismatch`).
    ///
    /// # References
    /// - vllm-project/vllm `vllm/engine/metrics.py` (0–1); Scalelens `core/src/sim/mod.rs` (per-pod
    ///   value capped at the bound).
    pub(crate) const SIM_DEMAND_ABOVE_BOUND;
}

rule_doc! {
    /// What a replayed metric outage (`--metric-outage`) did: failed reads and KEDA's fallback.
    ///
    /// # What it does
    /// Simulation note: between the outage's two times every metric read through a metrics
    /// API (Prometheus, a KEDA scaler's backend; not metrics-server's cpu/memory, not a cron
    /// trigger) fails. The HPA counts a failed metric invalid and keeps its replicas unless a
    /// valid metric asks for more. KEDA counts each failed read per metric at each HPA sync
    /// and, past `spec.fallback.failureThreshold`, feeds the HPA a value worth
    /// `fallback.replicas` (per `behavior`): the note says when it fell back, for how many
    /// replicas, or why it did not. AIBrix and Knative outages are not replayed (a warning).
    ///
    /// # Why is this bad
    /// Nothing is wrong by itself: it shows what the cluster does when the metric source goes
    /// down, which is when a fallback that never triggers (or triggers too late) matters.
    ///
    /// # Example
    /// ```text
    /// $ scalelens simulate scaledobject.yaml --demand demand.csv --metric-outage 600..1200
    /// ```
    ///
    /// # Fix
    /// Set `spec.fallback` (`failureThreshold` × the HPA sync period is how long KEDA waits)
    /// with `replicas` enough for the load you expect while blind.
    ///
    /// # References
    /// - kedacore/keda v2.18 `pkg/fallback/fallback.go` (`GetMetricsWithFallback`,
    ///   `doFallback`), `pkg/scaling/scale_handler.go` (`GetScaledObjectMetrics`),
    ///   `pkg/scaling/executor/scale_scaledobjects.go` (`RequestScale`, `isError`).
    /// - kubernetes/kubernetes v1.34 `pkg/controller/podautoscaler/horizontal.go`
    ///   (`computeReplicasForMetrics`: invalid metrics).
    pub(crate) const SIM_METRIC_OUTAGE;
}
