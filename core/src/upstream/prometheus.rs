//! Prometheus (prometheus/prometheus v3.5.0, the long-term-support line): the scrape interval a
//! query's range is measured against when the user does not say theirs.

use super::{Fact, Project, Release, Source};
use crate::model::{Millis, SECOND};

/// Every fact of this module is read at this release.
const AT: Release = Project::Prometheus.at("v3.5.0");

/// The configuration file's defaults (`DefaultGlobalConfig`).
pub static CONFIG: Source = AT.file("config/config.go", "DefaultGlobalConfig");

pub static SOURCES: &[&Source] = &[&CONFIG];

/// `global.scrape_interval` when the configuration does not set it: 1m. Many operators set
/// 15 s or 30 s (kube-prometheus-stack's default is 30 s); `--scrape-interval` says which.
pub const SCRAPE_INTERVAL: Fact<Millis> = Fact::new(60 * SECOND, &CONFIG);
