//! Envoy metric ids, defined lazily and cached per VM.
//!
//! `proxy_define_metric` is per VM (each worker has its own ids) but the stat behind a name is
//! one object in Envoy's store: every worker that defines `scalelens_gateway_requests_total.
//! cluster.vllm.model.m` adds to the same counter, and `proxy_get_metric` on any VM reads the
//! total of all workers (checked by `tests/tests/gateway_envoy.rs`). Names come from
//! `core::gateway::metrics::envoy_name`; their label values are bounded there (allow-listed
//! models, fixed classes), and this cache refuses to grow past [`MAX_NAMES`] anyway.

use crate::host::{self, MetricKind};
use scalelens_core::gateway::metrics::{envoy_name, MetricDef, MetricType};

/// Upper bound of distinct metric names one VM defines (a guard: the label sets are bounded
/// by configuration long before this).
pub const MAX_NAMES: usize = 4096;

/// Name → id, sorted by name (binary search; a sorted `Vec` keeps the .wasm smaller than a
/// `HashMap` of strings would, and the set is small and grows only at first use).
#[derive(Default)]
pub struct Stats {
    ids: Vec<(String, u32)>,
}

fn kind(t: MetricType) -> MetricKind {
    match t {
        MetricType::Counter => MetricKind::Counter,
        MetricType::Gauge => MetricKind::Gauge,
        MetricType::Histogram => MetricKind::Histogram,
    }
}

impl Stats {
    /// The id of `def` with these label values, defining it on first use.
    pub fn id(&mut self, def: &MetricDef, labels: &[&str]) -> Option<u32> {
        let name = envoy_name(def, labels);
        let name = name.as_str();
        let at = match self.ids.binary_search_by(|(k, _)| k.as_str().cmp(name)) {
            Ok(i) => return self.ids.get(i).map(|(_, id)| *id),
            Err(i) => i,
        };
        if self.ids.len() >= MAX_NAMES {
            return None;
        }
        let id = host::define_metric(kind(def.kind), name)?;
        self.ids.insert(at, (name.to_string(), id));
        Some(id)
    }

    /// Add `by` to a counter (or gauge).
    pub fn add(&mut self, def: &MetricDef, labels: &[&str], by: i64) {
        if by == 0 {
            return;
        }
        if let Some(id) = self.id(def, labels) {
            host::increment_metric(id, by);
        }
    }

    /// Set a gauge / record a histogram sample.
    pub fn record(&mut self, def: &MetricDef, labels: &[&str], value: u64) {
        if let Some(id) = self.id(def, labels) {
            host::record_metric(id, value);
        }
    }

    /// The all-workers value of a counter or gauge.
    pub fn read(&mut self, def: &MetricDef, labels: &[&str]) -> Option<u64> {
        let id = self.id(def, labels)?;
        host::metric_value(id)
    }
}
