//! The Prometheus text exposition importer (`samples::parse_exposition`), with and without a
//! metric name and a scrape interval: never panics; an error points into the text; imported
//! series hold their invariants; every interpretation turns them into a valid demand series.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scalelens_core::samples::{self, Hints};
use scalelens_fuzz::text;

fuzz_target!(|data: &[u8]| {
    let src = text(data);
    let hints = scalelens_fuzz::samples::hints(data.len());
    scalelens_fuzz::samples::check(&src, samples::parse_exposition(&src, &hints));
    if hints != Hints::default() {
        scalelens_fuzz::samples::check(&src, samples::parse_exposition(&src, &Hints::default()));
    }
});
