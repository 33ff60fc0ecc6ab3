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
    /// The activation key must be written (typed metadata without `optional` or `default`:
    /// splunk, solarwinds, splunk-observability).
    pub activation_required: bool,
    /// How the scaler decides it is active (`GetMetricsAndActivity`'s boolean).
    pub activity: Activity,
    /// The scaler writes its HPA metric with target type `Value` whatever `metricType` says
    /// (splunk-observability: `GetMetricTargetMili(v2.ValueMetricType, …)`).
    pub value_type_only: bool,
    /// The target is an `int64` (`GetMetricTarget`): a fraction is an error upstream.
    pub integer: bool,
    /// What the metric value counts: the unit of this trigger's demand.
    pub unit: &'static str,
    /// What the generic replay does not model for this scaler (empty: nothing).
    pub caveat: &'static str,
    /// The scaler's file at the tag.
    pub source: &'static Source,
}

/// How a scaler's `GetMetricsAndActivity` decides that the trigger is active.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activity {
    /// `value > activation` (strict), the common rule.
    AboveActivation,
    /// `value >= target` (github-runner: `queueLen >= TargetWorkflowQueueLength`); on the
    /// integer counts it reads, the same as `value > target - 1`.
    AtTarget,
    /// Always active (forgejo-runner returns `true` on every poll): never scales to zero.
    Always,
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
    APACHE_KAFKA = "pkg/scalers/apache_kafka_scaler.go";
    ARANGODB = "pkg/scalers/arangodb_scaler.go";
    AWS_DYNAMODB = "pkg/scalers/aws_dynamodb_scaler.go";
    AWS_DYNAMODB_STREAMS = "pkg/scalers/aws_dynamodb_streams_scaler.go";
    AZURE_APP_INSIGHTS = "pkg/scalers/azure_app_insights_scaler.go";
    AZURE_BLOB = "pkg/scalers/azure_blob_scaler.go";
    AZURE_DATA_EXPLORER = "pkg/scalers/azure_data_explorer_scaler.go";
    AZURE_LOG_ANALYTICS = "pkg/scalers/azure_log_analytics_scaler.go";
    AZURE_PIPELINES = "pkg/scalers/azure_pipelines_scaler.go";
    BEANSTALKD = "pkg/scalers/beanstalkd_scaler.go";
    COUCHDB = "pkg/scalers/couchdb_scaler.go";
    DYNATRACE = "pkg/scalers/dynatrace_scaler.go";
    ETCD = "pkg/scalers/etcd_scaler.go";
    FORGEJO_RUNNER = "pkg/scalers/forgejo_runner_scaler.go";
    GCP_CLOUD_TASKS = "pkg/scalers/gcp_cloud_tasks_scaler.go";
    GCP_STORAGE = "pkg/scalers/gcp_storage_scaler.go";
    GITHUB_RUNNER = "pkg/scalers/github_runner_scaler.go";
    GRAPHITE = "pkg/scalers/graphite_scaler.go";
    HUAWEI_CLOUDEYE = "pkg/scalers/huawei_cloudeye_scaler.go";
    LIIKLUS = "pkg/scalers/liiklus_scaler.go";
    MSSQL = "pkg/scalers/mssql_scaler.go";
    NSQ = "pkg/scalers/nsq_scaler.go";
    OPENSTACK_METRIC = "pkg/scalers/openstack_metrics_scaler.go";
    OPENSTACK_SWIFT = "pkg/scalers/openstack_swift_scaler.go";
    PREDICTKUBE = "pkg/scalers/predictkube_scaler.go";
    SOLACE = "pkg/scalers/solace_scaler.go";
    SOLACE_DM = "pkg/scalers/solace_dm_scaler.go";
    SOLARWINDS = "pkg/scalers/solarwinds_scaler.go";
    SOLR = "pkg/scalers/solr_scaler.go";
    SPLUNK = "pkg/scalers/splunk_scaler.go";
    SPLUNK_OBSERVABILITY = "pkg/scalers/splunk_observability_scaler.go";
    STAN = "pkg/scalers/stan_scaler.go";
    SUMOLOGIC = "pkg/scalers/sumologic_scaler.go";
    TEMPORAL = "pkg/scalers/temporal_scaler.go";
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
        activation_required: false,
        activity: Activity::AboveActivation,
        value_type_only: false,
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
    row(&["apache-kafka"], &["lagThreshold"], Some(10.0), &["activationLagThreshold"], 0.0, INT,
        "messages of consumer-group lag (summed over partitions)",
        "KEDA caps the lag at partitions × lagThreshold unless allowIdleConsumers; the partition count is not in the manifest, so the replay does not cap",
        &APACHE_KAFKA),
    row(&["arangodb"], &["queryValue"], REQUIRED, &["activationQueryValue"], 0.0, FLOAT,
        "the AQL query's result", "", &ARANGODB),
    row(&["aws-dynamodb"], &["targetValue"], REQUIRED, &["activationTargetValue"], 0.0, INT,
        "items matching keyConditionExpression", "", &AWS_DYNAMODB),
    row(&["aws-dynamodb-streams"], &["shardCount"], Some(2.0), &["activationShardCount"], 0.0, INT,
        "open shards of the table's stream", "", &AWS_DYNAMODB_STREAMS),
    row(&["azure-app-insights"], &["targetValue"], REQUIRED, &["activationTargetValue"], 0.0, FLOAT,
        "the Application Insights metric, aggregated as metricAggregationType", "", &AZURE_APP_INSIGHTS),
    row(&["azure-blob"], &["blobCount"], Some(5.0), &["activationBlobCount"], 0.0, INT,
        "blobs in the container (under blobPrefix)", "", &AZURE_BLOB),
    row(&["azure-data-explorer"], &["threshold"], REQUIRED, &["activationThreshold"], 0.0, FLOAT,
        "the KQL query's result", "", &AZURE_DATA_EXPLORER),
    row(&["azure-log-analytics"], &["threshold"], REQUIRED, &["activationThreshold"], 0.0, FLOAT,
        "the KQL query's result", "", &AZURE_LOG_ANALYTICS),
    row(&["azure-pipelines"], &["targetPipelinesQueueLength"], Some(1.0), &["activationTargetPipelinesQueueLength"], 0.0, INT,
        "queued and running pipeline jobs of the agent pool", "", &AZURE_PIPELINES),
    row(&["beanstalkd"], &["value"], REQUIRED, &["activationValue"], 0.0, FLOAT,
        "ready (and delayed if includeDelayed) jobs in the tube", "", &BEANSTALKD),
    row(&["couchdb"], &["queryValue"], REQUIRED, &["activationQueryValue"], 0.0, INT,
        "documents the Mango query returns", "", &COUCHDB),
    row(&["dynatrace"], &["threshold"], REQUIRED, &["activationThreshold"], 0.0, FLOAT,
        "the metric selector's value", "", &DYNATRACE),
    row(&["etcd"], &["value"], REQUIRED, &["activationValue"], 0.0, FLOAT,
        "the number stored at watchKey", "", &ETCD),
    Scaler {
        fixed_target: Some(1.0),
        activity: Activity::Always,
        ..row(&["forgejo-runner"], &[], REQUIRED, &[], 0.0, INT,
            "jobs waiting for a runner with the trigger's labels", "", &FORGEJO_RUNNER)
    },
    row(&["gcp-cloudtasks"], &["value"], Some(100.0), &["activationValue"], 0.0, FLOAT,
        "tasks in the queue", "", &GCP_CLOUD_TASKS),
    row(&["gcp-storage"], &["targetObjectCount"], Some(100.0), &["activationTargetObjectCount"], 0.0, INT,
        "objects in the bucket (up to maxBucketItemsToScan)", "", &GCP_STORAGE),
    Scaler {
        activity: Activity::AtTarget,
        ..row(&["github-runner"], &["targetWorkflowQueueLength"], Some(1.0), &[], 0.0, INT,
            "queued workflow jobs matching the runner labels", "", &GITHUB_RUNNER)
    },
    row(&["graphite"], &["threshold"], Some(100.0), &["activationThreshold"], 0.0, FLOAT,
        "the Graphite query's last point", "", &GRAPHITE),
    row(&["huawei-cloudeye"], &["targetMetricValue"], REQUIRED, &["activationTargetMetricValue"], 0.0, FLOAT,
        "the Cloud Eye metric (metricFilter over metricPeriod)", "", &HUAWEI_CLOUDEYE),
    row(&["liiklus"], &["lagThreshold"], Some(10.0), &["activationLagThreshold"], 0.0, INT,
        "messages of consumer-group lag", "", &LIIKLUS),
    row(&["mssql"], &["targetValue"], REQUIRED, &["activationTargetValue"], 0.0, FLOAT,
        "the query's result", "", &MSSQL),
    row(&["nsq"], &["depthThreshold"], Some(10.0), &["activationDepthThreshold"], 0.0, INT,
        "messages in the channel (depth)", "", &NSQ),
    row(&["openstack-metric"], &["threshold"], REQUIRED, &["activationThreshold"], 0.0, FLOAT,
        "the Gnocchi metric's aggregate", "", &OPENSTACK_METRIC),
    row(&["openstack-swift"], &["objectCount"], Some(2.0), &["activationObjectCount"], 0.0, INT,
        "objects in the container", "", &OPENSTACK_SWIFT),
    row(&["predictkube"], &["threshold"], REQUIRED, &["activationThreshold"], 0.0, FLOAT,
        "PredictKube's forecast of the query, predictHorizon ahead",
        "the metric is the forecast of PredictKube's service; activation is decided on the query's current value, which the replay takes to be the same demand",
        &PREDICTKUBE),
    row(&["solace-event-queue"], &["messageCountTarget", "messageSpoolUsageTarget", "messageReceiveRateTarget"], REQUIRED,
        &["activationMessageCountTarget", "activationMessageSpoolUsageTarget", "activationMessageReceiveRateTarget"], 0.0, INT,
        "messages in the queue (messageCountTarget; megabytes of spool or messages/s for the other targets)",
        "KEDA makes one metric per target written and is active when any of the three values is above its activation; the replay takes the first target written",
        &SOLACE),
    Scaler {
        activity: Activity::Always,
        ..row(&["solace-direct-messaging"], &[], REQUIRED, &[], 0.0, INT,
            "queued messages and transmit rates of the matching clients",
            "KEDA makes up to five metrics (queued messages × queuedMessagesFactor and four aggregated rate targets) from the broker's SEMP statistics",
            &SOLACE_DM)
    },
    Scaler {
        activation_required: true,
        ..row(&["solarwinds"], &["targetValue"], REQUIRED, &["activationValue"], 0.0, FLOAT,
            "the metric aggregated over intervalS", "", &SOLARWINDS)
    },
    row(&["solr"], &["targetQueryValue"], REQUIRED, &["activationTargetQueryValue"], 0.0, FLOAT,
        "documents the query matches", "", &SOLR),
    Scaler {
        activation_required: true,
        ..row(&["splunk"], &["targetValue"], REQUIRED, &["activationValue"], 0.0, INT,
            "the saved search's valueField", "", &SPLUNK)
    },
    Scaler {
        activation_required: true,
        value_type_only: true,
        ..row(&["splunk-observability"], &["targetValue"], REQUIRED, &["activationTargetValue"], 0.0, FLOAT,
            "the SignalFlow query's value, aggregated by queryAggregator", "", &SPLUNK_OBSERVABILITY)
    },
    row(&["stan"], &["lagThreshold"], Some(10.0), &["activationLagThreshold"], 0.0, INT,
        "pending messages of the durable subscription",
        "STAN is also active while any message is pending, whatever activationLagThreshold says",
        &STAN),
    row(&["sumologic"], &["threshold"], REQUIRED, &["activationThreshold"], 0.0, FLOAT,
        "the query's result, aggregated by queryAggregator", "", &SUMOLOGIC),
    row(&["temporal"], &["targetQueueSize"], Some(5.0), &["activationTargetQueueSize"], 0.0, INT,
        "backlog of the task queue", "", &TEMPORAL),
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
        for s in SCALERS {
            // A scaler with its own activity rule has no activation key to read.
            if s.activity != Activity::AboveActivation {
                assert!(s.activation_keys.is_empty(), "{}", s.name());
            }
        }
        assert_eq!(scaler("redis-cluster").map(Scaler::name), Some("redis"));
    }

    /// Every trigger type `buildScaler` knows at v2.18.0 (`pkg/scaling/scalers_builder.go`,
    /// its `case` labels) has a row, or a reader of its own; `external-mock` is KEDA's test
    /// double.
    #[test]
    fn every_builder_type_has_a_row() {
        const BUILDER_TYPES: &[&str] = &[
            "activemq",
            "apache-kafka",
            "arangodb",
            "artemis-queue",
            "aws-cloudwatch",
            "aws-dynamodb",
            "aws-dynamodb-streams",
            "aws-kinesis-stream",
            "aws-sqs-queue",
            "azure-app-insights",
            "azure-blob",
            "azure-data-explorer",
            "azure-eventhub",
            "azure-log-analytics",
            "azure-monitor",
            "azure-pipelines",
            "azure-queue",
            "azure-servicebus",
            "beanstalkd",
            "cassandra",
            "couchdb",
            "cpu",
            "cron",
            "datadog",
            "dynatrace",
            "elasticsearch",
            "etcd",
            "external",
            "external-mock",
            "external-push",
            "forgejo-runner",
            "gcp-cloudtasks",
            "gcp-pubsub",
            "gcp-stackdriver",
            "gcp-storage",
            "github-runner",
            "graphite",
            "huawei-cloudeye",
            "ibmmq",
            "influxdb",
            "kafka",
            "kubernetes-workload",
            "liiklus",
            "loki",
            "memory",
            "metrics-api",
            "mongodb",
            "mssql",
            "mysql",
            "nats-jetstream",
            "new-relic",
            "nsq",
            "openstack-metric",
            "openstack-swift",
            "postgresql",
            "predictkube",
            "prometheus",
            "pulsar",
            "rabbitmq",
            "redis",
            "redis-cluster",
            "redis-cluster-streams",
            "redis-sentinel",
            "redis-sentinel-streams",
            "redis-streams",
            "selenium-grid",
            "solace-direct-messaging",
            "solace-event-queue",
            "solarwinds",
            "solr",
            "splunk",
            "splunk-observability",
            "stan",
            "sumologic",
            "temporal",
        ];
        let own = ["prometheus", "cpu", "memory", "cron", "external-mock"];
        let missing: Vec<&str> = BUILDER_TYPES
            .iter()
            .copied()
            .filter(|t| !own.contains(t) && scaler(t).is_none())
            .collect();
        assert!(missing.is_empty(), "no row for {missing:?}");
        for t in types() {
            assert!(
                BUILDER_TYPES.contains(&t),
                "{t} is not a KEDA v2.18 trigger type"
            );
        }
        let gh = scaler("github-runner").map(|s| s.activity);
        assert_eq!(gh, Some(Activity::AtTarget));
        assert_eq!(
            scaler("forgejo-runner").map(|s| s.activity),
            Some(Activity::Always)
        );
        assert!(scaler("splunk-observability")
            .is_some_and(|s| s.value_type_only && s.activation_required));
        assert_eq!(scaler("prometheus"), None);
    }
}
