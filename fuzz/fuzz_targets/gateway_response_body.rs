//! The `gateway_response_body` target: `fuzz/src/targets/gateway_response_body.rs` (shared with the regression tests,
//! tests/tests/fuzz_regressions.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(
    |data: &[u8]| scalelens_fuzz::targets::gateway_response_body::run(data)
);
