//! Well-known metric names: unit, upper bound of the per-pod value, and where the fact comes
//! from (vLLM, NVIDIA DCGM, Kubernetes). Used to fill [`crate::model::Metric::bound`] and to
//! check units.
//!
//! Names match with or without the `vllm:` prefix, as AIBrix's fetcher does (AIBrix v0.7.0
//! `pkg/metrics/metrics.go` maps its registry keys to `vllm:<name>` engine metrics).

/// One known metric.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KnownMetric {
    /// The name without the `vllm:` prefix.
    pub name: &'static str,
    /// Unit, in words.
    pub unit: &'static str,
    /// Upper bound of the per-pod value (1.0 for a 0–1 fraction, 100 for a percent);
    /// `None` for counts and other unbounded values.
    pub bound: Option<f64>,
    /// Upstream file that defines the metric and its unit.
    pub source: &'static str,
    /// Deprecation/removal note, when the metric is gone from current engines.
    pub note: Option<&'static str>,
}

const VLLM_V1: &str = "vllm-project/vllm vllm/v1/metrics/loggers.py";
const VLLM_V0: &str = "vllm-project/vllm vllm/engine/metrics.py (V0)";

/// The registry. Plain data; extend by adding rows.
pub const KNOWN_METRICS: &[KnownMetric] = &[
    KnownMetric {
        name: "gpu_cache_usage_perc",
        unit: "fraction of KV-cache blocks in use, 0–1 (1 means 100 percent)",
        bound: Some(1.0),
        source: VLLM_V0,
        note: Some("deprecated by vLLM PR #18354 (v0.9.2), hidden in 0.11, removed by PR #29330; use kv_cache_usage_perc"),
    },
    KnownMetric {
        name: "kv_cache_usage_perc",
        unit: "fraction of KV-cache blocks in use, 0–1 (1 means 100 percent)",
        bound: Some(1.0),
        source: VLLM_V1,
        note: None,
    },
    KnownMetric {
        name: "cpu_cache_usage_perc",
        unit: "fraction of CPU KV-cache blocks in use, 0–1",
        bound: Some(1.0),
        source: VLLM_V0,
        note: Some("deprecated in vLLM 0.8, hidden in 0.9 (PR #15458)"),
    },
    KnownMetric {
        name: "gpu_prefix_cache_hit_rate",
        unit: "fraction 0–1 (−1 when prefix caching is off)",
        bound: Some(1.0),
        source: VLLM_V0,
        note: Some("deprecated in vLLM 0.8, hidden in 0.9 (PR #15458)"),
    },
    KnownMetric {
        name: "num_requests_running",
        unit: "requests in model execution batches (count)",
        bound: None,
        source: VLLM_V1,
        note: None,
    },
    KnownMetric {
        name: "num_requests_waiting",
        unit: "requests waiting to be processed (count)",
        bound: None,
        source: VLLM_V1,
        note: None,
    },
    KnownMetric {
        name: "num_requests_swapped",
        unit: "requests swapped to CPU (count)",
        bound: None,
        source: VLLM_V0,
        note: Some("deprecated in vLLM 0.8, hidden in 0.9 (PR #15458)"),
    },
    KnownMetric {
        name: "avg_prompt_throughput_toks_per_s",
        unit: "prompt tokens per second",
        bound: None,
        source: VLLM_V0,
        note: Some("removed from vLLM (PR #12383); AIBrix v0.5.0 to v0.7.0 read it as 0 on current vLLM"),
    },
    KnownMetric {
        name: "avg_generation_throughput_toks_per_s",
        unit: "generated tokens per second",
        bound: None,
        source: VLLM_V0,
        note: Some("removed from vLLM (PR #12383); AIBrix v0.5.0 to v0.7.0 read it as 0 on current vLLM"),
    },
    KnownMetric {
        name: "DCGM_FI_DEV_GPU_UTIL",
        unit: "GPU utilization, percent 0–100",
        bound: Some(100.0),
        source: "NVIDIA/dcgm-exporter etc/default-counters.csv",
        note: None,
    },
    KnownMetric {
        name: "queue_average_concurrent_requests",
        unit: "in-flight requests per pod (time-weighted average)",
        bound: None,
        source: "knative/serving pkg/queue/prometheus_stats_reporter.go",
        note: None,
    },
];

/// Look a metric up by name, with or without the `vllm:` prefix.
pub fn lookup(name: &str) -> Option<&'static KnownMetric> {
    let bare = name.strip_prefix("vllm:").unwrap_or(name);
    KNOWN_METRICS.iter().find(|m| m.name == bare)
}

/// The per-pod bound of a metric, when known.
pub fn bound(name: &str) -> Option<f64> {
    lookup(name).and_then(|m| m.bound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_with_and_without_prefix() {
        assert_eq!(bound("gpu_cache_usage_perc"), Some(1.0));
        assert_eq!(bound("vllm:kv_cache_usage_perc"), Some(1.0));
        assert_eq!(bound("cpu_cache_usage_perc"), Some(1.0));
        assert_eq!(bound("DCGM_FI_DEV_GPU_UTIL"), Some(100.0));
        assert_eq!(bound("num_requests_waiting"), None);
        assert!(lookup("vllm:num_requests_running").is_some());
        assert!(lookup("nope").is_none());
    }
}
