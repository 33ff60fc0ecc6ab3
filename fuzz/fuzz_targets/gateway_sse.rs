//! The `gateway_sse` target: `fuzz/src/targets/gateway_sse.rs` (shared with the regression tests,
//! tests/tests/fuzz_regressions.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| scalelens_fuzz::targets::gateway_sse::run(data));
