//! The Prometheus HTTP API importer (`samples::parse_prometheus_json`), with and without a
//! metric name to pick: never panics; an error points into the text; imported series hold
//! their invariants; every interpretation turns them into a valid demand series.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scalelens_core::samples::{self, Hints};
use scalelens_fuzz::text;

fuzz_target!(|data: &[u8]| {
    let src = text(data);
    let hints = scalelens_fuzz::samples::hints(data.len());
    scalelens_fuzz::samples::check(&src, samples::parse_prometheus_json(&src, &hints));
    if hints != Hints::default() {
        scalelens_fuzz::samples::check(
            &src,
            samples::parse_prometheus_json(&src, &Hints::default()),
        );
    }
});
