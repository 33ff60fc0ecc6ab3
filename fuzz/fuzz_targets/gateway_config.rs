//! The `gateway_config` target: `fuzz/src/targets/gateway_config.rs` (shared with the regression tests,
//! tests/tests/fuzz_regressions.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| scalelens_fuzz::targets::gateway_config::run(data));
