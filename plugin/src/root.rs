//! The root context: configuration, the per-VM state the HTTP contexts share, and the tick that
//! aggregates load across workers and exports the recommendation.
//!
//! Aggregation across workers (verified with Envoy 1.40 and `--concurrency 2` by
//! `tests/tests/gateway_envoy.rs`):
//! - request-level metrics (counters, histograms, the in-flight gauge via `+1`/`-1`) are Envoy
//!   stats: every worker's VM adds into the same stat, so they are totals by construction;
//! - the windowed load and the recommendation need one state machine per cluster fed with those
//!   totals. Each VM's root context ticks every 100 ms; the one holding the lease (see
//!   [`crate::lease`]) reads the totals back with `proxy_get_metric` (which returns the value of
//!   the shared stat, not a per-VM copy), averages ten in-flight samples per second, feeds that
//!   second's average to the gateway's [`LoadAggregator`], runs the decider and sets the gauges.
//!   The set of clusters seen by any worker is kept in shared data ([`CLUSTERS_KEY`]).

use crate::host::{self, Buffer, Level};
use crate::lease::{self, Lease};
use crate::stats::Stats;
use scalelens_gateway::filter_config::GatewayConfig;
use scalelens_gateway::load::LoadAggregator;
use scalelens_gateway::metric_catalogue::{self as m, gauge_value};
use scalelens_gateway::request::RequestSignals;
use std::cell::RefCell;
use std::rc::Rc;

/// Tick period: the lease holder samples the in-flight gauges ten times per window bucket, so
/// each bucket gets a time-weighted average (100 ms resolution) like queue-proxy's report.
pub const TICK_MS: u64 = 100;
/// Decision period: Knative's scrape interval and bucket size (1 s,
/// `pkg/autoscaler/metrics/collector.go`), one window bucket per decision.
pub const DECIDE_MS: u64 = 1_000;
/// Shared-data keys (shared by every VM with the same `vm_id`).
pub const LEASE_KEY: &str = "scalelens.lease";
pub const VM_SEQ_KEY: &str = "scalelens.vm_seq";
pub const CLUSTERS_KEY: &str = "scalelens.clusters";
/// Upper bound of clusters tracked (each costs a few metrics and an aggregator).
pub const MAX_CLUSTERS: usize = 64;
/// Attempts of a compare-and-swap update before giving up until the next event.
const CAS_ATTEMPTS: usize = 4;

/// What the HTTP contexts of one VM share with their root context (single-threaded).
pub struct Shared {
    pub config: Rc<GatewayConfig>,
    /// Metric ids, pending counter sums, and the clusters this VM has seen (each marked once
    /// registered in [`CLUSTERS_KEY`]).
    pub stats: RefCell<Stats>,
    /// Finished requests' state, reset and reused: a request allocates nothing in steady state
    /// (the SSE buffer alone is `max_sse_event_bytes`).
    pub pool: RefCell<Vec<Box<RequestSignals>>>,
}

/// Requests kept for reuse per VM (more concurrent requests than this allocate afresh).
pub const POOL_MAX: usize = 256;

impl Shared {
    /// A request state machine: a recycled one, else a new one.
    pub fn request(&self) -> Box<RequestSignals> {
        match self.pool.borrow_mut().pop() {
            Some(mut r) => {
                r.reset();
                r
            }
            None => Box::new(RequestSignals::new(Rc::clone(&self.config))),
        }
    }

    /// Give a finished request back to the pool (dropped when the pool is full).
    pub fn recycle(&self, r: Box<RequestSignals>) {
        let mut pool = self.pool.borrow_mut();
        if pool.len() < POOL_MAX {
            pool.push(r);
        }
    }

    /// Make sure the leader knows `cluster`; true once nothing is left to do (the cluster is
    /// in the list, or the list is full: it never shrinks), so the caller stops asking.
    pub fn register_cluster(&self, cluster: &str) -> bool {
        // Registered once this VM has read the cluster back from the list: a write with CAS 0
        // (key still absent) is unconditional and could race with another worker's.
        for _ in 0..CAS_ATTEMPTS {
            let (current, cas) = host::shared_get(CLUSTERS_KEY).unwrap_or_default();
            let list = parse_clusters(&current);
            if list.iter().any(|c| c == cluster) || list.len() >= MAX_CLUSTERS {
                return true;
            }
            let mut value = current.to_vec();
            if !value.is_empty() {
                value.push(b'\n');
            }
            value.extend_from_slice(cluster.as_bytes());
            host::shared_set(CLUSTERS_KEY, &value, cas);
        }
        // Not confirmed: the next request of this cluster tries again.
        false
    }
}

/// The newline-separated cluster list of [`CLUSTERS_KEY`].
pub fn parse_clusters(bytes: &[u8]) -> Vec<String> {
    std::str::from_utf8(bytes)
        .unwrap_or("")
        .lines()
        .filter(|l| !l.is_empty())
        .take(MAX_CLUSTERS)
        .map(str::to_string)
        .collect()
}

/// Per-cluster state of the lease holder.
struct ClusterLoad {
    aggregator: LoadAggregator,
    /// The last recommendation, used as the ready-pod count of the next decision (the
    /// gateway cannot see pods: it assumes the autoscaler follows the recommendation).
    ready: u32,
    /// In-flight samples of the current second (`second`, in `DECIDE_MS` units).
    sum: f64,
    samples: u32,
    second: u64,
}

pub struct Root {
    shared: Option<Rc<Shared>>,
    /// This VM's id for the lease (from the shared [`VM_SEQ_KEY`] counter).
    vm_id: Option<u64>,
    /// Per cluster, in the order first seen (at most [`MAX_CLUSTERS`]).
    loads: Vec<(String, ClusterLoad)>,
}

impl Root {
    pub fn new() -> Root {
        Root {
            shared: None,
            vm_id: None,
            loads: Vec::new(),
        }
    }

    fn vm_id(&mut self) -> Option<u64> {
        if self.vm_id.is_none() {
            for _ in 0..CAS_ATTEMPTS {
                let (current, cas) = host::shared_get(VM_SEQ_KEY).unwrap_or_default();
                let next = std::str::from_utf8(&current)
                    .ok()
                    .and_then(|s| s.parse::<u64>().ok())
                    .unwrap_or(0)
                    .saturating_add(1);
                if host::shared_set(VM_SEQ_KEY, next.to_string().as_bytes(), cas) {
                    // The low bits from the clock keep ids distinct even if two VMs raced on
                    // the first (unconditional) write of the counter.
                    let salt = host::now_us().unwrap_or(0) & 0xF_FFFF;
                    self.vm_id = Some((next << 20) | salt);
                    break;
                }
            }
        }
        self.vm_id
    }

    /// Take or renew the lease; true when this VM aggregates this tick.
    fn lead(&mut self, now_ms: u64) -> bool {
        let Some(me) = self.vm_id() else {
            return false;
        };
        let (bytes, cas) = host::shared_get(LEASE_KEY).unwrap_or_default();
        // The lease lasts `LEASE_TICKS` decision periods (3 s), not sample periods.
        let Some(next) = lease::decide(Lease::decode(&bytes), me, now_ms, DECIDE_MS) else {
            // Someone else leads: drop stale windows so a later takeover starts clean.
            self.loads.clear();
            return false;
        };
        host::shared_set(LEASE_KEY, &next.encode(), cas)
    }

    /// One sample of every cluster's in-flight gauge; on the first sample of a new second, the
    /// previous second's average goes into the windows and the decider runs.
    fn aggregate(&mut self, shared: &Shared, now_ms: u64) {
        let (clusters, _) = host::shared_get(CLUSTERS_KEY).unwrap_or_default();
        let config = &shared.config;
        let mut stats = shared.stats.borrow_mut();
        let second = now_ms / DECIDE_MS;
        for cluster in parse_clusters(&clusters) {
            let labels = [cluster.as_str()];
            let i = match self.loads.iter().position(|(c, _)| *c == cluster) {
                Some(i) => i,
                None => {
                    self.loads.push((
                        cluster.clone(),
                        ClusterLoad {
                            aggregator: LoadAggregator::new(config),
                            ready: 1,
                            sum: 0.0,
                            samples: 0,
                            second,
                        },
                    ));
                    self.loads.len() - 1
                }
            };
            let Some((_, entry)) = self.loads.get_mut(i) else {
                continue;
            };
            if entry.second != second {
                if entry.samples > 0 {
                    let average = entry.sum / f64::from(entry.samples);
                    decide(&mut stats, config, &cluster, entry, now_ms, average);
                }
                entry.sum = 0.0;
                entry.samples = 0;
                entry.second = second;
            }
            let in_flight = stats.read(&m::IN_FLIGHT_REQUESTS, &labels).unwrap_or(0);
            // A gauge that went below zero wraps in Envoy; never feed that to the windows.
            if in_flight <= u64::from(u32::MAX) {
                entry.sum += in_flight as f64;
                entry.samples = entry.samples.saturating_add(1);
            }
        }
    }
}

/// Feed one second's average concurrency and the token counter to the windows, run the
/// decider, export the gauges.
fn decide(
    stats: &mut Stats,
    config: &GatewayConfig,
    cluster: &str,
    entry: &mut ClusterLoad,
    now_ms: u64,
    concurrency: f64,
) {
    let labels = [cluster];
    // Completion tokens over every model label the filter can write.
    let mut tokens = 0u64;
    let model_labels = config
        .models
        .iter()
        .map(|x| x.label.as_str())
        .chain(["other", "unknown"]);
    for model in model_labels {
        let v = stats
            .read(&m::COMPLETION_TOKENS_TOTAL, &[cluster, model])
            .unwrap_or(0);
        tokens = tokens.saturating_add(v);
    }
    let load = entry.aggregator.tick_average(now_ms, concurrency, tokens);
    let rec = entry.aggregator.recommendation(now_ms, entry.ready);
    stats.record(
        &m::STABLE_CONCURRENCY,
        &labels,
        gauge_value(load.stable_concurrency),
    );
    stats.record(
        &m::PANIC_CONCURRENCY,
        &labels,
        gauge_value(load.panic_concurrency),
    );
    stats.record(
        &m::TOKENS_PER_SECOND,
        &labels,
        gauge_value(load.stable_tokens_per_second),
    );
    if let Some(desired) = rec.desired {
        stats.record(&m::DESIRED_PODS, &labels, u64::from(desired));
        entry.ready = desired.max(1);
    }
    stats.record(&m::PANIC_MODE, &labels, u64::from(rec.panicking));
}

impl Default for Root {
    fn default() -> Self {
        Root::new()
    }
}

impl Root {
    /// What this root's HTTP contexts share (none until a configuration is accepted).
    pub fn shared(&self) -> Option<Rc<Shared>> {
        self.shared.clone()
    }

    /// Read and validate the plugin configuration; `false` (Envoy refuses the plugin) with
    /// one log line naming the field when it is invalid.
    pub fn on_configure(&mut self, _size: usize) -> bool {
        let bytes = host::buffer(Buffer::PluginConfiguration, 0, 1 << 20).unwrap_or_default();
        let text = match std::str::from_utf8(&bytes) {
            Ok(t) => t,
            Err(e) => {
                host::log(
                    Level::Error,
                    &format!(
                        "invalid scalelens gateway configuration: not UTF-8 (byte {})",
                        e.valid_up_to()
                    ),
                );
                return false;
            }
        };
        // An empty configuration means "all defaults".
        let text = if text.trim().is_empty() { "{}" } else { text };
        match GatewayConfig::from_json(text) {
            Ok(config) => {
                self.shared = Some(Rc::new(Shared {
                    config: Rc::new(config),
                    stats: RefCell::new(Stats::default()),
                    pool: RefCell::new(Vec::new()),
                }));
                self.loads.clear();
                host::set_tick_period_ms(TICK_MS as u32);
                true
            }
            Err(e) => {
                // One line naming the field; the error never quotes the configuration's
                // values beyond the offending token.
                // (`ConfigError`'s Display: "invalid scalelens gateway configuration at L:C:
                // <field>: <why>"; Envoy prefixes the plugin name and root id.)
                host::log(Level::Error, &e.to_string());
                false
            }
        }
    }

    /// Every [`TICK_MS`]: flush this VM's batched counters; the lease holder aggregates.
    pub fn on_tick(&mut self) {
        let Some(shared) = self.shared.clone() else {
            return;
        };
        // This worker's batched counter updates (see `stats`), before anyone reads them.
        shared.stats.borrow_mut().flush();
        let Some(now) = host::now_ms() else {
            return;
        };
        if self.lead(now) {
            self.aggregate(&shared, now);
        }
    }
}
