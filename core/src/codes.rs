//! Stable diagnostic codes. A code never changes meaning once released; front ends and CI
//! scripts match on them.

/// The input is not valid YAML.
pub const YAML_SYNTAX: &str = "yaml-syntax";

/// Simulation note: the pod start-up delay was not given; a default for the workload was used.
pub const SIM_DEFAULT_POD_STARTUP: &str = "sim-default-pod-startup";

/// Simulation note: the initial replica count was not in the input; minReplicas (at least 1) was used.
pub const SIM_DEFAULT_INITIAL_REPLICAS: &str = "sim-default-initial-replicas";

/// Simulation note: with several metrics, the demand series drives the first one.
pub const SIM_DEMAND_METRIC: &str = "sim-demand-metric";
