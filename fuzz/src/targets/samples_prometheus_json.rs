//! The Prometheus HTTP API importer (`samples::parse_prometheus_json`), with and without a
//! metric name to pick: never panics; an error points into the text; imported series hold
//! their invariants; every interpretation turns them into a valid demand series.

use super::super::{importers, text};
use scalelens_core::samples::{self, Hints};

/// The target: panics on a finding (module doc).
pub fn run(data: &[u8]) {
    let src = text(data);
    let hints = importers::hints(data.len());
    importers::check(&src, samples::parse_prometheus_json(&src, &hints));
    if hints != Hints::default() {
        importers::check(
            &src,
            samples::parse_prometheus_json(&src, &Hints::default()),
        );
    }
}
