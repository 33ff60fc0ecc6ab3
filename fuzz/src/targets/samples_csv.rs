//! The samples CSV importers (`samples::parse_csv`, `parse_grafana_csv`) and format detection:
//! never panic; an error points into the text; imported series hold their invariants; every
//! interpretation turns them into a valid demand series.

use super::super::{importers, text};
use scalelens_core::samples;

/// The target: panics on a finding (module doc).
pub fn run(data: &[u8]) {
    let src = text(data);
    let _ = samples::detect(&src);
    importers::check(&src, samples::parse_csv(&src));
    importers::check(&src, samples::parse_grafana_csv(&src));
}
