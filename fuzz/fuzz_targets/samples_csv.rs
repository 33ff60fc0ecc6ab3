//! The samples CSV importers (`samples::parse_csv`, `parse_grafana_csv`) and format detection:
//! never panic; an error points into the text; imported series hold their invariants; every
//! interpretation turns them into a valid demand series.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scalelens_core::samples;
use scalelens_fuzz::text;

fuzz_target!(|data: &[u8]| {
    let src = text(data);
    let _ = samples::detect(&src);
    scalelens_fuzz::samples::check(&src, samples::parse_csv(&src));
    scalelens_fuzz::samples::check(&src, samples::parse_grafana_csv(&src));
});
