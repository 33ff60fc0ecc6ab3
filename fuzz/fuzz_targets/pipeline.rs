//! The `pipeline` target: `fuzz/src/targets/pipeline.rs` (shared with the regression tests,
//! tests/tests/fuzz_regressions.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| scalelens_fuzz::targets::pipeline::run(data));
