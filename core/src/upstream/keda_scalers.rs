//! KEDA (kedacore/keda v2.18, tag `v2.18.0`): the scalers Scalelens replays generically, one
//! row per trigger `type`.
//!
//! Every scaler turns its trigger into one HPA `External` metric
//! (`controllers/keda/hpa.go getScaledObjectMetricSpecs`) whose target is a metadata key of
//! the trigger, of type `trigger.metricType` (`AverageValue` when not written,
//! `pkg/scalers/scaler.go GetMetricTargetType`), and decides activity (0 ↔ 1) with
//! `value > activation` (strict) on another key. The row says which keys, their defaults (the
//! `default=` of the scaler's typed metadata struct, or its `default…` constant for the
//! hand-parsed kafka), whether the target is an integer (`GetMetricTarget`, `int64`: "5.5" is a
//! parse error upstream) and what the metric value counts: the unit the demand of such a
//! trigger is in. Each row's `source` is the scaler's file at the tag; every key and default
//! below was read there (`git show v2.18.0:pkg/scalers/<file>`).
//!
//! What the generic replay leaves out, per row in [`Scaler::caveat`]: kafka and azure-eventhub
//! cap the metric at partitions × threshold (the partition count is not in the manifest);
//! rabbitmq's rate modes and redis-streams' modes change the unit; external scalers keep their
//! target in the external server.

use super::{Project, Source};

const TAG: &str = "v2.18";

/// One scaler: how its trigger's target and activation are written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scaler {
    /// The trigger `type` (`pkg/scaling/scalers_builder.go buildScaler`), and the types that
    /// share the scaler (`redis-cluster`, ...).
    pub types: &'static [&'static str],
    /// The metadata keys of the target, the first written wins (aliases and modes: rabbitmq's
    /// legacy `queueLength`, datadog's `queryValue`, redis-streams' three modes). Empty: the
    /// target is not a metadata key ([`Scaler::fixed_target`], or not replayable).
    pub target_keys: &'static [&'static str],
    /// The target when no key is written; `None`: the key is required.
    pub target_default: Option<f64>,
    /// A target the scaler fixes itself (selenium-grid: 1), no key.
    pub fixed_target: Option<f64>,
    /// The activation keys (first written wins; `value > activation` activates).
    pub activation_keys: &'static [&'static str],
    /// The activation when no key is written.
    pub activation_default: f64,
    /// The target is an `int64` (`GetMetricTarget`): a fraction is an error upstream.
    pub integer: bool,
    /// What the metric value counts: the unit of this trigger's demand.
    pub unit: &'static str,
    /// What the generic replay does not model for this scaler (empty: nothing).
    pub caveat: &'static str,
    /// The scaler's file at the tag.
    pub source: &'static Source,
}

impl Scaler {
    /// The trigger type's canonical name (the row's first type).
    pub fn name(&self) -> &'static str {
        self.types.first().copied().unwrap_or("")
    }

    /// Whether the replay can take the target from the manifest.
    pub fn replayable(&self) -> bool {
        !self.target_keys.is_empty() || self.fixed_target.is_some()
    }
}

macro_rules! scaler_sources {
    ($($id:ident = $path:literal;)*) => {
        $(
            #[doc = concat!("`", $path, "` at the tag.")]
            pub static $id: Source = Source::new(Project::Keda, $path, "", TAG);
        )*
        /// Every scaler file cited by [`SCALERS`].
        pub static SOURCES: &[&Source] = &[$(&$id),*];
    };
}

scaler_sources! {
    KAFKA = "pkg/scalers/kafka_scaler.go";
    RABBITMQ = "pkg/scalers/rabbitmq_scaler.go";
    AWS_SQS = "pkg/scalers/aws_sqs_queue_scaler.go";
    GCP_PUBSUB = "pkg/scalers/gcp_pubsub_scaler.go";
    AZURE_SERVICEBUS = "pkg/scalers/azure_servicebus_scaler.go";
    AZURE_QUEUE = "pkg/scalers/azure_queue_scaler.go";
    AZURE_EVENTHUB = "pkg/scalers/azure_eventhub_scaler.go";
    REDIS = "pkg/scalers/redis_scaler.go";
    REDIS_STREAMS = "pkg/scalers/redis_streams_scaler.go";
    KUBERNETES_WORKLOAD = "pkg/scalers/kubernetes_workload_scaler.go";
    METRICS_API = "pkg/scalers/metrics_api_scaler.go";
    POSTGRESQL = "pkg/scalers/postgresql_scaler.go";
    MYSQL = "pkg/scalers/mysql_scaler.go";
    MONGODB = "pkg/scalers/mongo_scaler.go";
    NATS_JETSTREAM = "pkg/scalers/nats_jetstream_scaler.go";
    AWS_CLOUDWATCH = "pkg/scalers/aws_cloudwatch_scaler.go";
    AWS_KINESIS = "pkg/scalers/aws_kinesis_stream_scaler.go";
    DATADOG = "pkg/scalers/datadog_scaler.go";
    NEW_RELIC = "pkg/scalers/newrelic_scaler.go";
    ELASTICSEARCH = "pkg/scalers/elasticsearch_scaler.go";
    ACTIVEMQ = "pkg/scalers/activemq_scaler.go";
    ARTEMIS = "pkg/scalers/artemis_scaler.go";
    PULSAR = "pkg/scalers/pulsar_scaler.go";
    SELENIUM_GRID = "pkg/scalers/selenium_grid_scaler.go";
    LOKI = "pkg/scalers/loki_scaler.go";
    INFLUXDB = "pkg/scalers/influxdb_scaler.go";
    IBMMQ = "pkg/scalers/ibmmq_scaler.go";
    GCP_STACKDRIVER = "pkg/scalers/gcp_stackdriver_scaler.go";
    AZURE_MONITOR = "pkg/scalers/azure_monitor_scaler.go";
    CASSANDRA = "pkg/scalers/cassandra_scaler.go";
    EXTERNAL = "pkg/scalers/external_scaler.go";
    CRON = "pkg/scalers/cron_scaler.go";
}

/// A row: (types, target keys, default, activation keys, activation default, integer, unit,
/// caveat, source).
#[allow(clippy::too_many_arguments)]
const fn row(
    types: &'static [&'static str],
    target_keys: &'static [&'static str],
    target_default: Option<f64>,
    activation_keys: &'static [&'static str],
    activation_default: f64,
    integer: bool,
    unit: &'static str,
    caveat: &'static str,
    source: &'static Source,
) -> Scaler {
    Scaler {
        types,
        target_keys,
        target_default,
        fixed_target: None,
        activation_keys,
        activation_default,
        integer,
        unit,
        caveat,
        source,
    }
}

const INT: bool = true;
const FLOAT: bool = false;
const REQUIRED: Option<f64> = None;

/// The scalers replayed generically (prometheus, cpu, memory and cron have their own readers).
#[rustfmt::skip]
pub static SCALERS: &[Scaler] = &[
    row(&["kafka"], &["lagThreshold"], Some(10.0), &["activationLagThreshold"], 0.0, INT,
        "messages of consumer-group lag (summed over partitions)",
        "KEDA caps the lag at partitions × lagThreshold unless allowIdleConsumers; the partition count is not in the manifest, so the replay does not cap",
        &KAFKA),
    row(&["rabbitmq"], &["value", "queueLength"], Some(20.0), &["activationValue"], 0.0, FLOAT,
        "messages in the queue (mode QueueLength; messages/s for MessageRate)", "", &RABBITMQ),
    row(&["aws-sqs-queue"], &["queueLength"], Some(5.0), &["activationQueueLength"], 0.0, INT,
        "messages in the queue (visible, plus in flight unless scaleOnInFlight is false)", "", &AWS_SQS),
    row(&["gcp-pubsub"], &["value", "subscriptionSize"], Some(10.0), &["activationValue"], 0.0, FLOAT,
        "undelivered messages (mode SubscriptionSize)", "", &GCP_PUBSUB),
    row(&["azure-servicebus"], &["messageCount"], Some(5.0), &["activationMessageCount"], 0.0, INT,
        "active messages in the queue or subscription", "", &AZURE_SERVICEBUS),
    row(&["azure-queue"], &["queueLength"], Some(5.0), &["activationQueueLength"], 0.0, INT,
        "messages in the queue", "", &AZURE_QUEUE),
    row(&["azure-eventhub"], &["unprocessedEventThreshold"], Some(64.0), &["activationUnprocessedEventThreshold"], 0.0, INT,
        "unprocessed events (summed over partitions)",
        "KEDA caps the value at partitions × threshold; the partition count is not in the manifest, so the replay does not cap",
        &AZURE_EVENTHUB),
    row(&["redis", "redis-cluster", "redis-sentinel"], &["listLength"], Some(5.0), &["activationListLength"], 0.0, INT,
        "items in the list", "", &REDIS),
    row(&["redis-streams", "redis-cluster-streams", "redis-sentinel-streams"],
        &["lagCount", "pendingEntriesCount", "streamLength"], Some(5.0), &["activationLagCount"], 0.0, INT,
        "stream entries (lag, pending entries or stream length, by mode)", "", &REDIS_STREAMS),
    row(&["kubernetes-workload"], &["value"], REQUIRED, &["activationValue"], 0.0, FLOAT,
        "pods matching podSelector", "", &KUBERNETES_WORKLOAD),
    row(&["metrics-api"], &["targetValue"], REQUIRED, &["activationTargetValue"], 0.0, FLOAT,
        "the number at valueLocation in the API's response", "", &METRICS_API),
    row(&["postgresql"], &["targetQueryValue"], REQUIRED, &["activationTargetQueryValue"], 0.0, FLOAT,
        "the query's result", "", &POSTGRESQL),
    row(&["mysql"], &["queryValue"], REQUIRED, &["activationQueryValue"], 0.0, FLOAT,
        "the query's result", "", &MYSQL),
    row(&["mongodb"], &["queryValue"], REQUIRED, &["activationQueryValue"], 0.0, FLOAT,
        "documents matching the query", "", &MONGODB),
    row(&["nats-jetstream"], &["lagThreshold"], Some(10.0), &["activationLagThreshold"], 0.0, INT,
        "pending + unacknowledged messages of the consumer", "", &NATS_JETSTREAM),
    row(&["aws-cloudwatch"], &["targetMetricValue"], REQUIRED, &["activationTargetMetricValue"], 0.0, FLOAT,
        "the CloudWatch metric statistic", "", &AWS_CLOUDWATCH),
    row(&["aws-kinesis-stream"], &["shardCount"], Some(2.0), &["activationShardCount"], 0.0, INT,
        "open shards", "", &AWS_KINESIS),
    row(&["datadog"], &["targetValue", "queryValue"], REQUIRED, &["activationQueryValue", "activationTargetValue"], 0.0, FLOAT,
        "the query's last point", "", &DATADOG),
    row(&["new-relic"], &["threshold"], REQUIRED, &["activationThreshold"], 0.0, FLOAT,
        "the NRQL query's result", "", &NEW_RELIC),
    row(&["elasticsearch"], &["targetValue"], REQUIRED, &["activationTargetValue"], 0.0, FLOAT,
        "the number at valueLocation in the search response", "", &ELASTICSEARCH),
    row(&["activemq"], &["targetQueueSize"], Some(10.0), &["activationTargetQueueSize"], 0.0, INT,
        "messages in the queue", "", &ACTIVEMQ),
    row(&["artemis-queue"], &["queueLength"], Some(10.0), &["activationQueueLength"], 10.0, INT,
        "messages in the queue", "", &ARTEMIS),
    row(&["pulsar"], &["msgBacklogThreshold"], Some(10.0), &["activationMsgBacklogThreshold"], 0.0, INT,
        "backlog messages of the subscription", "", &PULSAR),
    Scaler {
        fixed_target: Some(1.0),
        ..row(&["selenium-grid"], &[], REQUIRED, &["activationThreshold"], 0.0, INT,
            "queued + running browser sessions", "", &SELENIUM_GRID)
    },
    row(&["loki"], &["threshold"], REQUIRED, &["activationThreshold"], 0.0, FLOAT,
        "the LogQL query's result", "", &LOKI),
    row(&["influxdb"], &["thresholdValue"], REQUIRED, &["activationThresholdValue"], 0.0, FLOAT,
        "the Flux query's result", "", &INFLUXDB),
    row(&["ibmmq"], &["queueDepth"], Some(20.0), &["activationQueueDepth"], 0.0, INT,
        "messages in the queue", "", &IBMMQ),
    row(&["gcp-stackdriver"], &["targetValue"], Some(5.0), &["activationTargetValue"], 0.0, FLOAT,
        "the Cloud Monitoring metric", "", &GCP_STACKDRIVER),
    row(&["azure-monitor"], &["targetValue"], REQUIRED, &["activationTargetValue"], 0.0, FLOAT,
        "the Azure Monitor metric", "", &AZURE_MONITOR),
    row(&["cassandra"], &["targetQueryValue"], REQUIRED, &["activationTargetQueryValue"], 0.0, INT,
        "the CQL query's result", "", &CASSANDRA),
    row(&["external", "external-push"], &[], REQUIRED, &[], 0.0, FLOAT,
        "whatever the external scaler returns",
        "the target and the activity come from the external scaler's gRPC server at run time, not from the manifest",
        &EXTERNAL),
];

/// The row of trigger type `ty`.
pub fn scaler(ty: &str) -> Option<&'static Scaler> {
    SCALERS.iter().find(|s| s.types.contains(&ty))
}

/// Every trigger type of the table, for "did you mean" and messages.
pub fn types() -> impl Iterator<Item = &'static str> {
    SCALERS.iter().flat_map(|s| s.types.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_unique_and_well_formed() {
        let mut seen = std::collections::BTreeSet::new();
        for s in SCALERS {
            for t in s.types {
                assert!(seen.insert(*t), "{t} twice");
            }
            assert!(!s.unit.is_empty(), "{}", s.name());
            assert!(
                s.replayable() || !s.caveat.is_empty(),
                "{}: not replayable needs a caveat",
                s.name()
            );
        }
        assert!(SCALERS.len() >= 25);
        assert_eq!(scaler("redis-cluster").map(Scaler::name), Some("redis"));
        assert_eq!(scaler("prometheus"), None);
    }
}
