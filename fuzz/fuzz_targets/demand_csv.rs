//! The `demand_csv` target: `fuzz/src/targets/demand_csv.rs` (shared with the regression tests,
//! tests/tests/fuzz_regressions.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| scalelens_fuzz::targets::demand_csv::run(data));
