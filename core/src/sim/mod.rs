//! Simulation. SHIM written on the `cli` branch so the CLI compiles; the real simulator (owned by
//! the lead) replaces this file at merge. Same public signatures.

use crate::algorithm::{Mode, Reason};
use crate::demand::DemandSeries;
use crate::diagnostic::Diagnostic;
use crate::model::{Autoscaler, Millis};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SimOptions {
    pub initial_replicas: Option<u32>,
    pub pod_startup: Option<Millis>,
    pub duration: Option<Millis>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TimelineEntry {
    pub t: Millis,
    pub demand: f64,
    pub observed: f64,
    pub ready: u32,
    pub replicas: u32,
    pub desired_raw: u32,
    pub desired: u32,
    pub mode: Mode,
    pub reason: Reason,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SimOutput {
    pub timeline: Vec<TimelineEntry>,
    pub diagnostics: Vec<Diagnostic>,
    pub initial_replicas: u32,
    pub pod_startup: Millis,
    pub pod_startup_is_default: bool,
    pub duration: Millis,
}

/// SHIM: produces no timeline.
pub fn simulate(autoscaler: &Autoscaler, demand: &DemandSeries, opts: &SimOptions) -> SimOutput {
    SimOutput {
        timeline: Vec::new(),
        diagnostics: Vec::new(),
        initial_replicas: opts
            .initial_replicas
            .unwrap_or(autoscaler.min_replicas.value),
        pod_startup: opts.pod_startup.unwrap_or(120_000),
        pod_startup_is_default: opts.pod_startup.is_none(),
        duration: opts
            .duration
            .unwrap_or_else(|| demand.points.last().map_or(0, |p| p.0)),
    }
}
