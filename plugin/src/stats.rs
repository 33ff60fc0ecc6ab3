//! Envoy metric ids, defined lazily and cached per VM.
//!
//! `proxy_define_metric` is per VM (each worker has its own ids) but the stat behind a name is
//! one object in Envoy's store: every worker that defines `scalelens_gateway_requests_total.
//! cluster.vllm.model.m` adds to the same counter, and `proxy_get_metric` on any VM reads the
//! total of all workers (checked by `tests/tests/gateway_envoy.rs`). Names come from
//! `scalelens_gateway::metric_catalogue::envoy_name`; their label values are bounded there (allow-listed
//! models, fixed classes), and this cache refuses to grow past [`MAX_NAMES`] anyway.
//!
//! Two levels: [`Stats`] maps a full name to its id (building the name costs a format and a
//! search, paid once per name); [`RequestIds`] keeps the ids every finished request updates,
//! per (cluster, model) pair, so the per-request path makes no name at all.
//!
//! **Batched counters.** Each host call costs the request path about as much as a few hundred
//! bytes of body scanning, so the per-request counter and gauge updates (in-flight `+1`/`-1`,
//! requests, tokens) are summed in this VM ([`Stats::add_later`]) and sent to Envoy on the next
//! tick ([`Stats::flush`], every `root::TICK_MS` = 100 ms, on every worker). A scrape sees each
//! worker's updates at most one tick late; the in-flight gauge is then each worker's in-flight
//! count at its last tick, which is what the aggregator samples every tick anyway. Histograms
//! (one sample per request) are recorded at once.

use crate::host::{self, MetricKind};
use scalelens_gateway::filter_config::{GatewayConfig, ModelLabel};
use scalelens_gateway::metric_catalogue::{
    self as m, envoy_name, LabelValue, MetricDef, MetricType,
};

/// Upper bound of distinct metric names one VM defines (a guard: the label sets are bounded
/// by configuration long before this).
pub const MAX_NAMES: usize = 4096;

/// Name → id, sorted by name (binary search; a sorted `Vec` keeps the .wasm smaller than a
/// `HashMap` of strings would, and the set is small and grows only at first use).
#[derive(Default)]
pub struct Stats {
    ids: Vec<(String, u32)>,
    /// Per cluster slot (see [`RequestIds`]).
    clusters: Vec<ClusterIds>,
    /// Counter and gauge deltas not yet sent: (metric id, sum).
    pending: Vec<(u32, i64)>,
    /// The cluster property the last request read (as Envoy gave it), with its label and
    /// registered slot: most requests of a VM go where the previous one went, and then the
    /// name is neither sanitized nor searched again.
    last_cluster: Option<(Vec<u8>, LabelValue, usize)>,
}

fn kind(t: MetricType) -> MetricKind {
    match t {
        MetricType::Counter => MetricKind::Counter,
        MetricType::Gauge => MetricKind::Gauge,
        MetricType::Histogram => MetricKind::Histogram,
    }
}

/// The metrics a request updates, for one (cluster, model) pair: counters as slots of the
/// pending sums ([`Stats::add_later`]), histograms as ids.
#[derive(Debug, Clone, Copy)]
pub struct RequestIds {
    pub requests: Option<usize>,
    pub prompt_tokens: Option<usize>,
    pub completion_tokens: Option<usize>,
    pub duration: Option<u32>,
    pub ttft: Option<u32>,
    pub tpot: Option<u32>,
}

struct ClusterIds {
    name: String,
    /// Pending slot of the in-flight gauge.
    in_flight: Option<usize>,
    /// Resolved per model label, in the order first used (at most the allow-list + 2).
    models: Vec<(ModelLabel, RequestIds)>,
    /// Per endpoint label, in the order first seen (at most `max_endpoints` + `other`).
    endpoints: Vec<(String, EndpointIds)>,
    /// The aggregator knows this cluster (`root::Shared::register_cluster` confirmed it).
    registered: bool,
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

    /// A pending-sum slot for a counter or gauge id.
    fn slot(&mut self, id: Option<u32>) -> Option<usize> {
        let id = id?;
        self.pending.push((id, 0));
        Some(self.pending.len() - 1)
    }

    /// Add `by` to a pending sum (sent by the next [`flush`](Self::flush)).
    pub fn add_later(&mut self, slot: Option<usize>, by: i64) {
        if let Some((_, sum)) = slot.and_then(|s| self.pending.get_mut(s)) {
            *sum = sum.saturating_add(by);
        }
    }

    /// Send every non-zero pending sum to Envoy (one host call each).
    pub fn flush(&mut self) {
        for (id, sum) in self.pending.iter_mut() {
            if *sum != 0 {
                host::increment_metric(*id, *sum);
                *sum = 0;
            }
        }
    }

    /// The slot of a cluster label (its index in this VM's list), resolving its in-flight
    /// gauge on first sight; `None` past `max` clusters (see [`overflow_slot`](Self::overflow_slot)).
    pub fn cluster_slot(&mut self, cluster: &str, max: usize) -> Option<usize> {
        match self.clusters.iter().position(|c| c.name == cluster) {
            Some(i) => Some(i),
            None if self.clusters.len() >= max => None,
            None => Some(self.push_cluster(cluster)),
        }
    }

    /// The slot of `label` whatever the bound (the one label the clusters past it share).
    pub fn overflow_slot(&mut self, label: &str) -> usize {
        match self.clusters.iter().position(|c| c.name == label) {
            Some(i) => i,
            None => self.push_cluster(label),
        }
    }

    fn push_cluster(&mut self, name: &str) -> usize {
        let id = self.id(&m::IN_FLIGHT_REQUESTS, &[name]);
        let in_flight = self.slot(id);
        self.clusters.push(ClusterIds {
            name: name.to_string(),
            in_flight,
            models: Vec::new(),
            endpoints: Vec::new(),
            registered: false,
        });
        self.clusters.len() - 1
    }

    /// The label and slot of the cluster property `raw` if the last request read the same.
    pub fn last_cluster(&self, raw: &[u8]) -> Option<(LabelValue, usize)> {
        match &self.last_cluster {
            Some((r, label, slot)) if r.as_slice() == raw => Some((*label, *slot)),
            _ => None,
        }
    }

    /// Remember the cluster property `raw`'s label and (registered) slot (the buffer is
    /// reused: no allocation once it has grown to the longest name).
    pub fn remember_cluster(&mut self, raw: &[u8], label: LabelValue, slot: usize) {
        match &mut self.last_cluster {
            Some((r, l, s)) => {
                r.clear();
                r.extend_from_slice(raw);
                (*l, *s) = (label, slot);
            }
            None => self.last_cluster = Some((raw.to_vec(), label, slot)),
        }
    }

    /// Whether a cluster slot still has to be registered for the aggregator.
    pub fn needs_registration(&self, slot: usize) -> bool {
        self.clusters.get(slot).is_some_and(|c| !c.registered)
    }

    pub fn set_registered(&mut self, slot: usize) {
        if let Some(c) = self.clusters.get_mut(slot) {
            c.registered = true;
        }
    }

    /// `+1`/`-1` on a cluster slot's in-flight gauge (batched).
    pub fn in_flight(&mut self, slot: usize, by: i64) {
        let pending = self.clusters.get(slot).and_then(|c| c.in_flight);
        self.add_later(pending, by);
    }

    /// The request metrics of a (cluster slot, model) pair, defined on first use.
    pub fn request_ids(
        &mut self,
        slot: usize,
        model: ModelLabel,
        config: &GatewayConfig,
    ) -> Option<RequestIds> {
        let cluster = self.clusters.get(slot)?;
        if let Some((_, ids)) = cluster.models.iter().find(|(l, _)| *l == model) {
            return Some(*ids);
        }
        let name = cluster.name.clone();
        let labels = [name.as_str(), config.model_label_value(model)];
        let requests = self.id(&m::REQUESTS_TOTAL, &labels);
        let prompt = self.id(&m::PROMPT_TOKENS_TOTAL, &labels);
        let completion = self.id(&m::COMPLETION_TOKENS_TOTAL, &labels);
        let ids = RequestIds {
            requests: self.slot(requests),
            prompt_tokens: self.slot(prompt),
            completion_tokens: self.slot(completion),
            duration: self.id(&m::REQUEST_DURATION, &labels),
            ttft: self.id(&m::TIME_TO_FIRST_TOKEN, &labels),
            tpot: self.id(&m::TIME_PER_OUTPUT_TOKEN, &labels),
        };
        self.clusters.get_mut(slot)?.models.push((model, ids));
        Some(ids)
    }

    /// The per-endpoint counters of `endpoint` (a sanitized label) under a cluster slot,
    /// defined on first use; past `max` endpoints of that cluster, the rest share the label
    /// `other` (bounded label values).
    pub fn endpoint_ids(&mut self, slot: usize, endpoint: &str, max: usize) -> Option<EndpointIds> {
        let cluster = self.clusters.get(slot)?;
        let find = |label: &str| {
            cluster
                .endpoints
                .iter()
                .find(|(e, _)| e == label)
                .map(|(_, ids)| *ids)
        };
        if let Some(ids) = find(endpoint) {
            return Some(ids);
        }
        let known = cluster
            .endpoints
            .iter()
            .filter(|(e, _)| e != OVERFLOW_ENDPOINT)
            .count();
        let label = if known >= max {
            if let Some(ids) = find(OVERFLOW_ENDPOINT) {
                return Some(ids);
            }
            OVERFLOW_ENDPOINT
        } else {
            endpoint
        };
        let name = cluster.name.clone();
        let labels = [name.as_str(), label];
        let requests = self.id(&m::ENDPOINT_REQUESTS_TOTAL, &labels);
        let completion = self.id(&m::ENDPOINT_COMPLETION_TOKENS_TOTAL, &labels);
        let ids = EndpointIds {
            requests: self.slot(requests),
            completion_tokens: self.slot(completion),
        };
        self.clusters
            .get_mut(slot)?
            .endpoints
            .push((label.to_string(), ids));
        Some(ids)
    }
}

/// The label the endpoints past `max_endpoints` share.
pub const OVERFLOW_ENDPOINT: &str = "other";

/// The per-endpoint counters, as pending-sum slots.
#[derive(Debug, Clone, Copy)]
pub struct EndpointIds {
    pub requests: Option<usize>,
    pub completion_tokens: Option<usize>,
}

/// A configuration replaced while requests were in flight leaves their `Shared` (and these
/// stats) alive until the last of them finishes: what they added is sent then.
impl Drop for Stats {
    fn drop(&mut self) {
        self.flush();
    }
}

/// Record a histogram sample by id.
pub fn record(id: Option<u32>, value: u64) {
    if let Some(id) = id {
        host::record_metric(id, value);
    }
}

#[cfg(test)]
mod tests {
    use super::Stats;

    #[test]
    fn cluster_slots_are_bounded_and_the_rest_share_one() {
        // The in-memory host defines every metric; the slot bookkeeping is what is tested.
        let mut s = Stats::default();
        assert_eq!(s.cluster_slot("a", 2), Some(0));
        assert_eq!(s.cluster_slot("b", 2), Some(1));
        assert_eq!(s.cluster_slot("a", 2), Some(0));
        assert_eq!(s.cluster_slot("c", 2), None, "past the bound");
        assert_eq!(s.overflow_slot("other"), 2);
        assert_eq!(s.overflow_slot("other"), 2, "one shared slot");
        assert_eq!(s.cluster_slot("d", 2), None);
        // Registration is remembered per slot.
        assert!(s.needs_registration(1));
        s.set_registered(1);
        assert!(!s.needs_registration(1) && s.needs_registration(0));
        assert!(
            !s.needs_registration(99),
            "no such slot: nothing to register"
        );
        // Pending sums without an id are dropped, never a panic.
        s.in_flight(0, 1);
        s.in_flight(99, 1);
        s.flush();
    }

    #[test]
    fn endpoint_labels_are_bounded_per_cluster_and_the_rest_share_other() {
        let mut s = Stats::default();
        let (a, b) = (
            s.cluster_slot("a", 4).unwrap_or(0),
            s.cluster_slot("b", 4).unwrap_or(1),
        );
        let labels = |s: &Stats, slot: usize| -> Vec<String> {
            s.clusters[slot]
                .endpoints
                .iter()
                .map(|(e, _)| e.clone())
                .collect()
        };
        for e in [
            "10_0_0_1_8000",
            "10_0_0_2_8000",
            "10_0_0_3_8000",
            "10_0_0_1_8000",
        ] {
            assert!(s.endpoint_ids(a, e, 2).is_some());
        }
        assert!(s.endpoint_ids(a, "10_0_0_4_8000", 2).is_some());
        assert_eq!(labels(&s, a), ["10_0_0_1_8000", "10_0_0_2_8000", "other"]);
        // Each cluster has its own bound; an unknown slot has none.
        assert!(s.endpoint_ids(b, "10_0_0_9_8000", 2).is_some());
        assert_eq!(labels(&s, b), ["10_0_0_9_8000"]);
        assert!(s.endpoint_ids(99, "x", 2).is_none());
    }
}
