//! The `gateway_request_body` target: `fuzz/src/targets/gateway_request_body.rs` (shared with the regression tests,
//! tests/tests/fuzz_regressions.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| scalelens_fuzz::targets::gateway_request_body::run(data));
