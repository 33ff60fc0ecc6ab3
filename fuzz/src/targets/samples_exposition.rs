//! The Prometheus text exposition importer (`samples::parse_exposition`), with and without a
//! metric name and a scrape interval: never panics; an error points into the text; imported
//! series hold their invariants; every interpretation turns them into a valid demand series.

use super::super::{importers, text};
use scalelens_core::samples::{self, Hints};

/// The target: panics on a finding (module doc).
pub fn run(data: &[u8]) {
    let src = text(data);
    let hints = importers::hints(data.len());
    importers::check(&src, samples::parse_exposition(&src, &hints));
    if hints != Hints::default() {
        importers::check(&src, samples::parse_exposition(&src, &Hints::default()));
    }
}
