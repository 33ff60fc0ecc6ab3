//! The docs of the samples import's codes: what the importers ([`super::detect_and_parse`])
//! and the step to demand ([`super::to_demand`]) did to the data, and `samples-unreadable`
//! (the pipeline's error for a text no importer can read). Registered in
//! [`crate::codes::Code`]; the import report lists them all, and warnings and errors are also
//! diagnostics positioned in the samples text.

use crate::codes::rule_doc;

rule_doc! {
    /// Which samples format was read.
    ///
    /// # What it does
    /// Note: says which format the samples were read as (`csv`, `grafana-wide`, `grafana-long`,
    /// `exposition`, `prometheus-json`), and whether it was detected from the text or given.
    ///
    /// # Why is this bad
    /// It is not: it is the first line of the import report, so that a file read as the wrong
    /// format (a CSV whose header looks like Grafana's) is visible at once.
    ///
    /// # Example
    /// ```text
    /// note[samples-format]: format detected: prometheus-json
    /// ```
    ///
    /// # Fix
    /// Nothing when the format is right; otherwise export the data in one of the formats listed.
    ///
    /// # References
    /// - Scalelens `core/src/samples/mod.rs` (`detect`, `detect_and_parse`).
    pub(crate) const FORMAT;
}

rule_doc! {
    /// Which series of the metric the autoscaler's label selector reads.
    ///
    /// # What it does
    /// Note: when the autoscaler's metric has a label selector (an HPA metric's
    /// `metric.selector`, `matchLabels` and `matchExpressions`; in the CLI, a KEDA prometheus
    /// query's label matchers when it reads one selector), only the series it selects are
    /// imported, and the note says how many of how many. When no series carries a label the
    /// selector names (the samples are a query already aggregated over them), every series is
    /// read and the note says the selector could not be applied. When the series carry those
    /// labels but none is selected, the samples are not read (`samples-unreadable`, naming the
    /// label sets found).
    ///
    /// # Why is this bad
    /// It is not: it shows which series the replay reads. A scrape of a gateway serving two
    /// models holds both models' series; the HPA scaling one model reads only its own, and
    /// replaying the sum of both would scale it for traffic it never sees.
    ///
    /// # Example
    /// ```text
    /// metric:
    ///   name: vllm:num_requests_waiting
    ///   selector:
    ///     matchLabels:
    ///       model_name: llama-3-8b
    /// # samples: the series of llama-3-8b and of mistral-7b
    /// note[samples-selector]: 2 of 4 series of `vllm:num_requests_waiting` read: those the
    ///   autoscaler's selector `model_name=llama-3-8b` selects
    /// ```
    ///
    /// # Fix
    /// Nothing when the right series are read; otherwise correct the selector or export the
    /// series it selects.
    ///
    /// # References
    /// - kubernetes/kubernetes v1.34 `staging/src/k8s.io/api/autoscaling/v2/types.go`
    ///   (`MetricIdentifier.Selector`); `staging/src/k8s.io/apimachinery/pkg/labels/selector.go`
    ///   (`Requirement.Matches`).
    pub(crate) const SELECTOR;
}

rule_doc! {
    /// NaN or infinite samples were dropped.
    ///
    /// # What it does
    /// Reports samples whose value is `NaN`, `+Inf` or `-Inf` and drops them (no sample at that
    /// time).
    ///
    /// # Why is this bad
    /// Prometheus writes `NaN` for a ratio over no data (0/0) and stale markers; the value says
    /// nothing about the load at that time, and replaying it as 0 would fake an idle period.
    ///
    /// # Example
    /// ```text
    /// time,value
    /// 60,0.42
    /// 75,NaN
    /// ```
    ///
    /// # Fix
    /// Nothing when a few are dropped; when many are, query the underlying rate instead of a
    /// ratio that divides by zero when idle.
    ///
    /// # References
    /// - Prometheus docs, "Querying basics" (float samples, `NaN` and staleness markers).
    pub(crate) const NON_FINITE;
}

rule_doc! {
    /// Empty or `null` values were skipped.
    ///
    /// # What it does
    /// Reports cells that are empty (CSV, Grafana exports) or `null` and skips them: there is no
    /// sample of that series at that time.
    ///
    /// # Why is this bad
    /// Grafana leaves a cell empty before a series exists or after it ends; reading it as 0 would
    /// add an idle pod that never was.
    ///
    /// # Example
    /// ```text
    /// Time,llama-a,llama-b
    /// 2025-03-01 10:00:00,0.41,
    /// ```
    ///
    /// # Fix
    /// Nothing: the skipped cells are reported so that a column that is mostly empty is noticed.
    ///
    /// # References
    /// - Grafana docs, "Inspect data" (Export CSV: series without a value at a time are left empty).
    pub(crate) const MISSING_VALUE;
}

rule_doc! {
    /// Sample times were out of order and were sorted.
    ///
    /// # What it does
    /// Reports a series whose times go backwards in the file (the first such line) and sorts it
    /// by time, keeping equal times in file order.
    ///
    /// # Why is this bad
    /// Concatenated exports, or a file sorted by another column, are common and harmless; but a
    /// series that jumps back may also be two recordings mixed into one, which the note lets you
    /// see.
    ///
    /// # Example
    /// ```text
    /// time,value
    /// 30,0.5
    /// 15,0.4
    /// ```
    ///
    /// # Fix
    /// Nothing when the data is one recording; otherwise split the recordings.
    ///
    /// # References
    /// - Scalelens `core/src/samples/mod.rs` (module doc, "What the import does to the data").
    pub(crate) const UNSORTED;
}

rule_doc! {
    /// Several samples of one series at the same time: the last was kept.
    ///
    /// # What it does
    /// Reports samples of a series at a time it already has, and keeps the last one in file
    /// order.
    ///
    /// # Why is this bad
    /// Overlapping exports concatenated into one file repeat times; the later export is the more
    /// complete one. Two different values at one time may also mean two series were merged under
    /// one label set.
    ///
    /// # Example
    /// ```text
    /// time,value
    /// 2025-03-01T10:00:00Z,0.41
    /// 2025-03-01T10:00:00Z,0.43
    /// ```
    ///
    /// # Fix
    /// Export once, without overlap, or keep the pod label that tells the series apart.
    ///
    /// # References
    /// - Scalelens `core/src/samples/mod.rs` (module doc: the last sample in file order wins).
    pub(crate) const DUPLICATE_TIME;
}

rule_doc! {
    /// A gap longer than twice the series' usual spacing.
    ///
    /// # What it does
    /// Reports each stretch without samples longer than twice a series' median spacing, with its
    /// start, end and the usual spacing. The gap is never filled.
    ///
    /// # Why is this bad
    /// A missed scrape, an exporter restart or a Prometheus outage: the demand during the gap is
    /// unknown, and the replay holds the last value across it.
    ///
    /// # Example
    /// ```text
    /// time,value
    /// 0,0.4
    /// 15,0.4
    /// 150,0.6    # nothing for 2m15s
    /// ```
    ///
    /// # Fix
    /// Pick a time range without outages, or check that the replay across the gap is plausible.
    ///
    /// # References
    /// - Scalelens `core/src/samples/mod.rs` (gap rule: twice the median spacing).
    pub(crate) const GAP;
}

rule_doc! {
    /// Samples far outside the body of the data were dropped.
    ///
    /// # What it does
    /// Drops samples that lie far before or after the rest of the data (a stray epoch-0 point
    /// among samples in 2025), all series together, and names how many and how far.
    ///
    /// # Why is this bad
    /// A replay from 1970 to 2025 would hold one value for 55 years (and is refused as
    /// `replay-too-long`); such points come from a broken exporter clock or a default timestamp.
    ///
    /// # Example
    /// ```text
    /// time,value
    /// 1970-01-01T00:00:00Z,0.1
    /// 2025-03-01T10:00:00Z,0.41
    /// 2025-03-01T10:00:15Z,0.42
    /// ```
    ///
    /// # Fix
    /// Nothing: check the dropped points were not real data; export only the range you meant.
    ///
    /// # References
    /// - Scalelens `core/src/samples/stray.rs` (the rule, which never drops a recording's own
    ///   outages).
    pub(crate) const STRAY;
}

rule_doc! {
    /// The metric is a cumulative counter: the demand is its rate.
    ///
    /// # What it does
    /// Warns when the samples are of a counter (`# TYPE ... counter`, or a name ending in
    /// `_total`): its value is a running total, not a load.
    ///
    /// # Why is this bad
    /// Autoscalers scale on rates (`rate(vllm:request_success_total[1m])`), not on totals, which
    /// only grow: replaying a total drives the count to the maximum.
    ///
    /// # Example
    /// ```text
    /// # TYPE vllm:request_success_total counter
    /// vllm:request_success_total{pod="llama-0"} 1027
    /// ```
    ///
    /// # Fix
    /// Export the rate the autoscaler reads (`rate(...[1m])` in Prometheus) instead of the counter.
    ///
    /// # References
    /// - Prometheus docs, "Metric types" (Counter) and "Query functions" (`rate`).
    pub(crate) const COUNTER;
}

rule_doc! {
    /// A counter decreased: the process restarted.
    ///
    /// # What it does
    /// Reports each decrease of a counter series (a reset, with its time and values; beyond a
    /// few, one count in all).
    ///
    /// # Why is this bad
    /// A counter only decreases when its process restarts: the pod crashed or was replaced at
    /// that time, which the replay of the demand does not show.
    ///
    /// # Example
    /// ```text
    /// vllm:request_success_total{pod="llama-1"} 4210
    /// vllm:request_success_total{pod="llama-1"} 12
    /// ```
    ///
    /// # Fix
    /// Nothing to change in the data; look at why the pod restarted then.
    ///
    /// # References
    /// - Prometheus docs, "Query functions" (`rate` and counter resets).
    pub(crate) const COUNTER_RESET;
}

rule_doc! {
    /// A pod has samples for part of the range only.
    ///
    /// # What it does
    /// Note: a pod's series starts later or ends earlier than the data (by more than one usual
    /// spacing): the pod started during the recording (a scale-up, a replacement) or went away.
    ///
    /// # Why is this bad
    /// It is expected for a recording of an autoscaled workload; the note says which pods came
    /// and went, so that summed demand is read with that in mind.
    ///
    /// # Example
    /// ```text
    /// time,pod,value
    /// 0,llama-a,0.4
    /// 150,llama-c,0.3    # llama-c joins at 150 s
    /// ```
    ///
    /// # Fix
    /// Nothing.
    ///
    /// # References
    /// - Scalelens `core/src/samples/mod.rs` (`pod_churn`).
    pub(crate) const POD_CHURN;
}

rule_doc! {
    /// A series has no pod label.
    ///
    /// # What it does
    /// Warns when one series has no pod label while the others have one (it is counted as a pod
    /// of its own); notes when no series has one (each label set is a series).
    ///
    /// # Why is this bad
    /// Per-pod demand is summed pod by pod; a series without a pod may be an aggregate
    /// (`sum(...)`) mixed into per-pod data, which would count the load twice.
    ///
    /// # Example
    /// ```text
    /// time,pod,value
    /// 0,llama-a,0.4
    /// 0,,0.9
    /// ```
    ///
    /// # Fix
    /// Export per-pod series only (`by (pod)`), or the aggregate alone.
    ///
    /// # References
    /// - Scalelens `core/src/samples/mod.rs` (module doc: pods and series).
    pub(crate) const NO_POD;
}

rule_doc! {
    /// The pod was read from `pod_name` or `kubernetes_pod_name`.
    ///
    /// # What it does
    /// Note: the series have no `pod` label, and the pod was read from `pod_name` or
    /// `kubernetes_pod_name` instead.
    ///
    /// # Why is this bad
    /// Older cAdvisor and scrape configurations relabel the pod under these names; the note says
    /// which label was used in case it is not the pod.
    ///
    /// # Example
    /// ```text
    /// {"metric": {"__name__": "vllm:num_requests_running", "kubernetes_pod_name": "llama-0"}, ...}
    /// ```
    ///
    /// # Fix
    /// Nothing.
    ///
    /// # References
    /// - Prometheus docs, `kubernetes_sd_config` (`__meta_kubernetes_pod_name`, relabelled by
    ///   many older configurations as `kubernetes_pod_name`).
    pub(crate) const POD_LABEL_ALIAS;
}

rule_doc! {
    /// One pod appears in several series.
    ///
    /// # What it does
    /// Warns when one pod has several label sets (another `container`, `instance` or `job`): each
    /// series is counted.
    ///
    /// # Why is this bad
    /// The same pod scraped by two jobs, or a metric per container, would count the pod's load
    /// twice in the summed demand.
    ///
    /// # Example
    /// ```text
    /// vllm:num_requests_running{pod="llama-0",job="vllm"} 3
    /// vllm:num_requests_running{pod="llama-0",job="vllm-dup"} 3
    /// ```
    ///
    /// # Fix
    /// Filter the query to one job/container (`{job="vllm"}`), or aggregate `by (pod)`.
    ///
    /// # References
    /// - Scalelens `core/src/samples/mod.rs` (module doc: pods and series).
    pub(crate) const DUPLICATE_POD;
}

rule_doc! {
    /// Exposition scrapes without timestamps: the scrape interval used.
    ///
    /// # What it does
    /// For concatenated `/metrics` scrapes without timestamps, says how far apart successive
    /// scrapes were taken to be: the interval given (note) or the 15 s default (warning).
    ///
    /// # Why is this bad
    /// The times of the demand come from that interval alone: a wrong one stretches or squeezes
    /// the whole replay.
    ///
    /// # Example
    /// ```text
    /// $ for i in 1 2 3; do curl -s llama-0:8000/metrics; sleep 15; done > scrapes.prom
    /// ```
    ///
    /// # Fix
    /// Give the interval the scrapes were taken at, or scrape with timestamps.
    ///
    /// # References
    /// - Prometheus docs, "Exposition formats" (timestamps are optional); the 15 s of
    ///   prometheus/prometheus `documentation/examples/prometheus.yml`.
    pub(crate) const SCRAPE_INTERVAL;
}

rule_doc! {
    /// Exposition scrapes without timestamps: series have different numbers of scrapes.
    ///
    /// # What it does
    /// Warns when, in scrapes without timestamps, series have different numbers of samples: the
    /// k-th sample of each is placed at k × interval, so a series that appeared in a later scrape
    /// is aligned to the start.
    ///
    /// # Why is this bad
    /// A pod that started in the third scrape is replayed as if it had been there from the first:
    /// its load moves two intervals earlier.
    ///
    /// # Example
    /// ```text
    /// # scrape 1: llama-0 only; scrape 2: llama-0 and llama-1
    /// ```
    ///
    /// # Fix
    /// Scrape with timestamps (or export from Prometheus, which records them).
    ///
    /// # References
    /// - Scalelens `core/src/samples/exposition.rs` (untimed scrapes).
    pub(crate) const UNEVEN_SCRAPES;
}

rule_doc! {
    /// Times without a zone were read as UTC.
    ///
    /// # What it does
    /// Note: the times have no zone (`2025-03-01 10:00:00`, Grafana's default export) and were
    /// read as UTC.
    ///
    /// # Why is this bad
    /// Grafana exports in the browser's zone unless told otherwise; read as UTC, times shift by
    /// the zone's offset, which matters when a replay window is given in RFC 3339.
    ///
    /// # Example
    /// ```text
    /// Time,Value
    /// 2025-03-01 10:00:00,0.41
    /// ```
    ///
    /// # Fix
    /// Export with UTC times (Grafana: "Formatted data" off, or the dashboard's zone set to UTC).
    ///
    /// # References
    /// - Grafana docs, "Inspect data" (Export CSV, formatted data and time zone).
    pub(crate) const ZONELESS_TIME;
}

rule_doc! {
    /// Numeric Grafana times were read as epoch seconds.
    ///
    /// # What it does
    /// Note: a Grafana export's numeric times are below 10^11, too small for epoch milliseconds
    /// (which Grafana writes), and were read as epoch seconds.
    ///
    /// # Why is this bad
    /// Read as milliseconds they would all fall in January 1970; the note says the other reading
    /// was taken.
    ///
    /// # Example
    /// ```text
    /// Time,Value
    /// 1740823200,0.41
    /// ```
    ///
    /// # Fix
    /// Nothing when the times are seconds.
    ///
    /// # References
    /// - Grafana docs, "Inspect data" (unformatted times are epoch milliseconds).
    pub(crate) const EPOCH_SECONDS;
}

rule_doc! {
    /// A CSV column the importer does not use.
    ///
    /// # What it does
    /// Note: names a column other than `time`, `value`, `pod` and `replicas`, which is ignored.
    ///
    /// # Why is this bad
    /// A column that was meant to be read (`pod_name` instead of `pod`, `val` instead of
    /// `value`) is silently not used otherwise.
    ///
    /// # Example
    /// ```text
    /// time,pod,value,namespace
    /// ```
    ///
    /// # Fix
    /// Nothing when the column is extra; rename it when it is the pod or the value.
    ///
    /// # References
    /// - Scalelens `core/src/samples/csv.rs` (the columns read).
    pub(crate) const IGNORED_COLUMN;
}

rule_doc! {
    /// Conflicting `replicas` values at one time: the last was kept.
    ///
    /// # What it does
    /// Warns when rows at the same time give different `replicas` values; the last in the file
    /// is kept.
    ///
    /// # Why is this bad
    /// The replica count turns an average into a total (`average` interpretation); two counts at
    /// once mean the file mixes two workloads or two exports.
    ///
    /// # Example
    /// ```text
    /// time,value,replicas
    /// 0,0.4,3
    /// 0,0.4,4
    /// ```
    ///
    /// # Fix
    /// Export one workload's replica count, once per time.
    ///
    /// # References
    /// - Scalelens `core/src/samples/mod.rs` (`replicas`).
    pub(crate) const REPLICAS_CONFLICT;
}

rule_doc! {
    /// Prometheus returned warnings or infos with the data.
    ///
    /// # What it does
    /// Repeats each entry of a Prometheus API response's `warnings` and `infos`.
    ///
    /// # Why is this bad
    /// Prometheus warns when an answer may be incomplete (a remote store that did not answer,
    /// `rate` over a metric that is not a counter); the data is used, but may be partial.
    ///
    /// # Example
    /// ```text
    /// {"status": "success", "data": {...}, "warnings": ["remote store timed out"]}
    /// ```
    ///
    /// # Fix
    /// Run the query again when the warning is about availability; fix the query when it is
    /// about the query.
    ///
    /// # References
    /// - Prometheus docs, "HTTP API" (format overview: `warnings`, `infos`).
    pub(crate) const PROMETHEUS_WARNING;
}

rule_doc! {
    /// Native-histogram samples were skipped.
    ///
    /// # What it does
    /// Warns that a Prometheus API response holds native-histogram samples (`histograms`,
    /// `histogram`), which are skipped: only float samples are imported.
    ///
    /// # Why is this bad
    /// A query that returns histograms gives no demand; the load is in the float series you get
    /// from `histogram_quantile`, `histogram_count` or `histogram_sum`.
    ///
    /// # Example
    /// ```text
    /// {"metric": {...}, "histograms": [[1740823200, {"count": "12", ...}]]}
    /// ```
    ///
    /// # Fix
    /// Query a float series derived from the histogram (`histogram_count(rate(x[1m]))`).
    ///
    /// # References
    /// - Prometheus docs, "HTTP API" (native histograms in query results).
    pub(crate) const HISTOGRAM_SKIPPED;
}

rule_doc! {
    /// A vLLM fraction metric whose values exceed 1: the data is in percent.
    ///
    /// # What it does
    /// Warns when the samples are of a vLLM metric exported as a fraction 0–1 despite its name
    /// (`vllm:gpu_cache_usage_perc`, `vllm:kv_cache_usage_perc`) and their values exceed 1: they
    /// look like percent (0–100), 100× what vLLM exports.
    ///
    /// # Why is this bad
    /// A recording rule or a dashboard multiplied by 100. Compared with a target written as a
    /// fraction, every value is 100× too high (`unit-mismatch` checks that).
    ///
    /// # Example
    /// ```text
    /// time,pod,value
    /// 0,llama-0,42.5
    /// ```
    ///
    /// # Fix
    /// Export the raw metric, or divide by 100; keep the target on the scale the controller sees.
    ///
    /// # References
    /// - vllm-project/vllm `vllm/engine/metrics.py` ("GPU KV-cache usage. 1 means 100 percent
    ///   usage.") and `vllm/v1/metrics/loggers.py` (`kv_cache_usage_perc`).
    pub(crate) const PERCENT_SCALE;
}

rule_doc! {
    /// How the samples were turned into demand, and why.
    ///
    /// # What it does
    /// Says which interpretation turned the values into demand (`per-pod` summed, `total`,
    /// `average` × replicas) and why it was chosen (or that it was asked for); warns when
    /// several series without pods are read as totals, which sums them.
    ///
    /// # Why is this bad
    /// The interpretation decides the demand's scale: a per-pod value read as a total replays a
    /// workload N times too small.
    ///
    /// # Example
    /// ```text
    /// note[samples-demand-interpretation]: read as per-pod (7 series, one per pod: summed)
    /// ```
    ///
    /// # Fix
    /// Give the interpretation (`--interpretation`) when the one chosen is wrong.
    ///
    /// # References
    /// - Scalelens `core/src/samples/convert.rs` (`to_demand`, module doc).
    pub(crate) const DEMAND_INTERPRETATION;
}

rule_doc! {
    /// The common step several series were aligned on.
    ///
    /// # What it does
    /// Note: several series are summed on one time grid; says its step (the median sample
    /// spacing, snapped to whole seconds) and its range.
    ///
    /// # Why is this bad
    /// It is not; a step much longer than the scrape interval (a bound on the grid's size) would
    /// smooth the demand, which the note makes visible.
    ///
    /// # Example
    /// ```text
    /// note[samples-demand-step]: 3 series aligned on a 15s step (the median sample spacing)
    /// ```
    ///
    /// # Fix
    /// Nothing.
    ///
    /// # References
    /// - Scalelens `core/src/samples/convert.rs` (`aligned`).
    pub(crate) const DEMAND_STEP;
}

rule_doc! {
    /// A pod had no sample at some steps within its lifetime.
    ///
    /// # What it does
    /// Warns when a pod's series has no sample at some grid steps between its first and last
    /// sample; there it adds nothing to the sum (absent), rather than 0.
    ///
    /// # Why is this bad
    /// Missed scrapes of one pod make the summed demand dip at those steps, which the replay
    /// reads as a drop in load.
    ///
    /// # Example
    /// ```text
    /// time,pod,value
    /// 0,llama-a,0.4
    /// 0,llama-b,0.4
    /// 15,llama-a,0.4     # llama-b missed this scrape
    /// 30,llama-a,0.4
    /// 30,llama-b,0.4
    /// ```
    ///
    /// # Fix
    /// Check the pod's scrapes; use a range without missed scrapes.
    ///
    /// # References
    /// - Scalelens `core/src/samples/convert.rs` (`aligned`).
    pub(crate) const DEMAND_POD_ABSENT;
}

rule_doc! {
    /// Steps where no series had a sample.
    ///
    /// # What it does
    /// Warns when some steps of the common grid have no sample of any series; the previous
    /// value holds there.
    ///
    /// # Why is this bad
    /// An outage of the whole recording: the demand during it is unknown.
    ///
    /// # Example
    /// ```text
    /// time,pod,value
    /// 0,llama-a,0.4
    /// 15,llama-b,0.4
    /// 90,llama-a,0.5     # nothing at 30, 45, 60, 75
    /// ```
    ///
    /// # Fix
    /// Pick a range without outages.
    ///
    /// # References
    /// - Scalelens `core/src/samples/convert.rs` (`aligned`).
    pub(crate) const DEMAND_EMPTY_STEP;
}

rule_doc! {
    /// Several samples of one series fell on one step: the last was used.
    ///
    /// # What it does
    /// Note: when series are aligned on a common step, several samples of one series can fall
    /// on one step (jittered or faster scrapes); the last is used.
    ///
    /// # Why is this bad
    /// Short peaks between steps are not replayed.
    ///
    /// # Example
    /// ```text
    /// time,pod,value
    /// 0,llama-a,0.4
    /// 5,llama-a,0.9      # a 15 s step: this one and the next fall on one step
    /// ```
    ///
    /// # Fix
    /// Nothing, or export at one even interval.
    ///
    /// # References
    /// - Scalelens `core/src/samples/convert.rs` (`aligned`).
    pub(crate) const DEMAND_COLLAPSED;
}

rule_doc! {
    /// Negative values were clamped to 0.
    ///
    /// # What it does
    /// Warns when the demand has negative values and clamps them to 0.
    ///
    /// # Why is this bad
    /// A load cannot be negative: the values are a difference (`deriv`, `delta` of a gauge) or a
    /// counter's rate computed by hand across a reset.
    ///
    /// # Example
    /// ```text
    /// time,value
    /// 0,3.5
    /// 15,-0.8
    /// ```
    ///
    /// # Fix
    /// Export the load itself (`rate(...)` of a counter, which handles resets).
    ///
    /// # References
    /// - Prometheus docs, "Query functions" (`rate` vs `deriv`/`delta`).
    pub(crate) const DEMAND_NEGATIVE;
}

rule_doc! {
    /// `average` was asked for without a `replicas` column.
    ///
    /// # What it does
    /// Warns when the `average` interpretation (value × replicas) is asked for but the CSV has no
    /// `replicas` column: the values are read as one replica's.
    ///
    /// # Why is this bad
    /// The demand is then one pod's load, N times too small for a workload of N pods.
    ///
    /// # Example
    /// ```text
    /// time,value          # read with --interpretation average
    /// 0,0.4
    /// ```
    ///
    /// # Fix
    /// Add the replica count as a `replicas` column, or export per-pod series.
    ///
    /// # References
    /// - Scalelens `core/src/samples/convert.rs` (`Interpretation::Average`).
    pub(crate) const DEMAND_NO_REPLICAS;
}

rule_doc! {
    /// Nothing to turn into demand.
    ///
    /// # What it does
    /// Reports samples that give no demand at all: no series, or no usable (finite) value left
    /// after cleaning.
    ///
    /// # Why is this bad
    /// There is nothing to replay.
    ///
    /// # Example
    /// ```text
    /// time,value
    /// 0,NaN
    /// 15,NaN
    /// ```
    ///
    /// # Fix
    /// Export a range where the metric has values.
    ///
    /// # References
    /// - Scalelens `core/src/samples/convert.rs` (`to_demand`).
    pub(crate) const DEMAND_EMPTY;
}

rule_doc! {
    /// The first time is negative: demand times start at 0.
    ///
    /// # What it does
    /// Note: relative sample times start below 0, so the demand's times cannot keep the input's
    /// own origin; they start at 0 from the first sample.
    ///
    /// # Why is this bad
    /// Times given back to you (`--at`, `--from`) are read from the first sample, not from the
    /// input's 0.
    ///
    /// # Example
    /// ```text
    /// time,value
    /// -30,0.4
    /// 0,0.5
    /// ```
    ///
    /// # Fix
    /// Nothing, or shift the times so that they start at 0 or later.
    ///
    /// # References
    /// - Scalelens `core/src/samples/convert.rs` (`to_demand`: the demand's offset).
    pub(crate) const DEMAND_OFFSET;
}

rule_doc! {
    /// The samples text cannot be read.
    ///
    /// # What it does
    /// Reports a samples text no importer can read, at the line and column where reading
    /// stopped, with the reason (a syntax error, a value that is not a number or not a time, a
    /// Prometheus error response, the metric asked for not in the file, an empty text). Nothing is
    /// replayed from it; the YAML is still checked.
    ///
    /// # Why is this bad
    /// No demand can be built: the replay and the checks against the data do not run.
    ///
    /// # Example
    /// ```text
    /// time,value
    /// 0,0.4
    /// 15,four
    /// ```
    ///
    /// # Fix
    /// Correct the text at the position shown, or export it again in one of the formats read.
    ///
    /// # References
    /// - Scalelens `core/src/samples/mod.rs` (`SampleError`, `ErrorKind`) and
    ///   `core/src/pipeline.rs`.
    pub(crate) const UNREADABLE;
}
