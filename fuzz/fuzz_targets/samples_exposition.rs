//! The `samples_exposition` target: `fuzz/src/targets/samples_exposition.rs` (shared with the regression tests,
//! tests/tests/fuzz_regressions.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| scalelens_fuzz::targets::samples_exposition::run(data));
