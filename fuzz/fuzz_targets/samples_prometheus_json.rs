//! The `samples_prometheus_json` target: `fuzz/src/targets/samples_prometheus_json.rs` (shared with the regression tests,
//! tests/tests/fuzz_regressions.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(
    |data: &[u8]| scalelens_fuzz::targets::samples_prometheus_json::run(data)
);
