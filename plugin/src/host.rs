//! The host calls the filter makes, as functions that never panic.
//!
//! The filter declares the ABI imports it needs itself, with `u32` statuses, and maps every
//! failure to `None`/`false` (the `proxy-wasm` SDK's `hostcalls` `panic!` on statuses they do
//! not expect, and a panic kills the VM: with `FAIL_CLOSED` every later request on that worker
//! would get a 503). Bytes the host returns come back as [`HostBytes`] (see
//! [`crate::memory`]): owned, freed on drop, and for the calls made on every request or
//! chunk written into the VM's scratch region instead of a fresh heap block.
//!
//! ABI: proxy-wasm 0.2.1 (`proxy_abi_version_0_2_1`), the version Envoy 1.40 loads.

use crate::memory::with_scratch;
pub use crate::memory::HostBytes;
use std::ptr::null_mut;

/// `Ok` status of the ABI.
const OK: u32 = 0;

/// `proxy_log` levels (`LogLevel` in the ABI).
#[derive(Debug, Clone, Copy)]
#[repr(u32)]
pub enum Level {
    Debug = 1,
    Info = 2,
    Warn = 3,
    Error = 4,
}

/// Metric kinds of `proxy_define_metric`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum MetricKind {
    Counter = 0,
    Gauge = 1,
    Histogram = 2,
}

/// Header maps of `proxy_get_header_map_value`.
#[derive(Debug, Clone, Copy)]
#[repr(u32)]
pub enum Headers {
    Request = 0,
    Response = 2,
}

/// Buffers of `proxy_get_buffer_bytes`.
#[derive(Debug, Clone, Copy)]
#[repr(u32)]
pub enum Buffer {
    RequestBody = 0,
    ResponseBody = 1,
    PluginConfiguration = 7,
}

#[cfg(target_arch = "wasm32")]
#[link(wasm_import_module = "env")]
extern "C" {
    fn proxy_log(level: u32, message_data: *const u8, message_size: usize) -> u32;
    fn proxy_get_current_time_nanoseconds(return_time: *mut u64) -> u32;
    fn proxy_set_tick_period_milliseconds(period: u32) -> u32;
    fn proxy_get_buffer_bytes(
        buffer_type: u32,
        start: usize,
        max_size: usize,
        return_buffer_data: *mut *mut u8,
        return_buffer_size: *mut usize,
    ) -> u32;
    fn proxy_get_header_map_value(
        map_type: u32,
        key_data: *const u8,
        key_size: usize,
        return_value_data: *mut *mut u8,
        return_value_size: *mut usize,
    ) -> u32;
    fn proxy_get_header_map_pairs(
        map_type: u32,
        return_map_data: *mut *mut u8,
        return_map_size: *mut usize,
    ) -> u32;
    fn proxy_add_header_map_value(
        map_type: u32,
        key_data: *const u8,
        key_size: usize,
        value_data: *const u8,
        value_size: usize,
    ) -> u32;
    fn proxy_get_property(
        path_data: *const u8,
        path_size: usize,
        return_value_data: *mut *mut u8,
        return_value_size: *mut usize,
    ) -> u32;
    fn proxy_get_shared_data(
        key_data: *const u8,
        key_size: usize,
        return_value_data: *mut *mut u8,
        return_value_size: *mut usize,
        return_cas: *mut u32,
    ) -> u32;
    fn proxy_set_shared_data(
        key_data: *const u8,
        key_size: usize,
        value_data: *const u8,
        value_size: usize,
        cas: u32,
    ) -> u32;
    fn proxy_define_metric(
        metric_type: u32,
        name_data: *const u8,
        name_size: usize,
        return_id: *mut u32,
    ) -> u32;
    fn proxy_get_metric(metric_id: u32, return_value: *mut u64) -> u32;
    fn proxy_record_metric(metric_id: u32, value: u64) -> u32;
    fn proxy_increment_metric(metric_id: u32, offset: i64) -> u32;
}

// Native builds (`cargo test`, `cargo clippy` on the host): the same imports answered by an
// in-memory host that tests set up and read back. The `.wasm` has only the real imports.
#[cfg(not(target_arch = "wasm32"))]
use crate::in_memory_host::{
    proxy_add_header_map_value, proxy_define_metric, proxy_get_buffer_bytes,
    proxy_get_current_time_nanoseconds, proxy_get_header_map_pairs, proxy_get_header_map_value,
    proxy_get_metric, proxy_get_property, proxy_get_shared_data, proxy_increment_metric, proxy_log,
    proxy_record_metric, proxy_set_shared_data, proxy_set_tick_period_milliseconds,
};

/// Make a host call that returns bytes (through the out pointers it is given), offering it
/// the scratch region; `None` when the status is not `Ok`.
fn returned(call: impl FnOnce(*mut *mut u8, *mut usize) -> u32) -> Option<HostBytes> {
    let mut data = null_mut();
    let mut size = 0usize;
    let status = with_scratch(|| call(&mut data, &mut size));
    // SAFETY: on `Ok` the host wrote a pointer it got from `proxy_on_memory_allocate` during
    // this call (or null) and the number of bytes it wrote there, and gave up ownership.
    (status == OK).then(|| unsafe { HostBytes::adopt(data, size) })
}

/// Log a line at `level`. Never logs bodies or Authorization: callers pass only their own text.
pub fn log(level: Level, message: &str) {
    // SAFETY: pointer and length of a live &str.
    let _ = unsafe { proxy_log(level as u32, message.as_ptr(), message.len()) };
}

/// The host's wall clock in milliseconds since the Unix epoch (the same on every worker).
pub fn now_ms() -> Option<u64> {
    let mut ns = 0u64;
    // SAFETY: valid out pointer.
    let status = unsafe { proxy_get_current_time_nanoseconds(&mut ns) };
    (status == OK).then_some(ns / 1_000_000)
}

/// The host's wall clock in microseconds since the Unix epoch.
pub fn now_us() -> Option<u64> {
    let mut ns = 0u64;
    // SAFETY: valid out pointer.
    let status = unsafe { proxy_get_current_time_nanoseconds(&mut ns) };
    (status == OK).then_some(ns / 1_000)
}

pub fn set_tick_period_ms(ms: u32) -> bool {
    // SAFETY: plain value.
    unsafe { proxy_set_tick_period_milliseconds(ms) == OK }
}

/// Up to `max` bytes of a buffer from `start`.
pub fn buffer(which: Buffer, start: usize, max: usize) -> Option<HostBytes> {
    if max == 0 {
        return None;
    }
    // SAFETY: valid out pointers.
    returned(|data, size| unsafe { proxy_get_buffer_bytes(which as u32, start, max, data, size) })
}

/// One header value (the first), as bytes.
pub fn header(map: Headers, name: &str) -> Option<HostBytes> {
    // SAFETY: pointer and length of a live &str, valid out pointers.
    returned(|data, size| unsafe {
        proxy_get_header_map_value(map as u32, name.as_ptr(), name.len(), data, size)
    })
}

/// A whole header map in the ABI's serialized form (see [`find_header`]): one host call (and
/// one buffer handed back) for several headers, where [`header`] costs one per header.
pub fn header_pairs(map: Headers) -> Option<HostBytes> {
    // SAFETY: valid out pointers.
    returned(|data, size| unsafe { proxy_get_header_map_pairs(map as u32, data, size) })
}

fn u32_at(bytes: &[u8], at: usize) -> Option<usize> {
    let b: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
    usize::try_from(u32::from_le_bytes(b)).ok()
}

/// The first value of header `name` (lower-case, as Envoy keeps them) in a serialized map:
/// `u32` pair count, then per pair `u32` key length and `u32` value length, then per pair the
/// key, a NUL, the value, a NUL (proxy-wasm ABI spec, "Header maps"; little-endian). `None` when
/// absent or when the bytes are not such a map (never panics, whatever the bytes).
pub fn find_header<'a>(pairs: &'a [u8], name: &str) -> Option<&'a [u8]> {
    let n = u32_at(pairs, 0)?;
    let mut sizes = 4usize;
    let mut data = n.checked_mul(8)?.checked_add(4)?;
    for _ in 0..n {
        let key_len = u32_at(pairs, sizes)?;
        let value_len = u32_at(pairs, sizes + 4)?;
        sizes += 8;
        let key = pairs.get(data..data.checked_add(key_len)?)?;
        let value_at = data.checked_add(key_len)?.checked_add(1)?;
        let value = pairs.get(value_at..value_at.checked_add(value_len)?)?;
        if key == name.as_bytes() {
            return Some(value);
        }
        data = value_at.checked_add(value_len)?.checked_add(1)?;
    }
    None
}

/// Add a header (debug response headers).
pub fn add_header(map: Headers, name: &str, value: &str) -> bool {
    // SAFETY: pointers and lengths of live &str.
    unsafe {
        proxy_add_header_map_value(
            map as u32,
            name.as_ptr(),
            name.len(),
            value.as_ptr(),
            value.len(),
        ) == OK
    }
}

/// Longest property path (segments joined with NUL) [`property`] takes.
const PROPERTY_PATH_MAX: usize = 64;

/// A property by path (e.g. `["xds", "cluster_name"]`): the ABI joins segments with NUL.
/// `None` also for a path longer than [`PROPERTY_PATH_MAX`] (the filter's paths are short
/// constants; the join uses a stack buffer, no allocation).
pub fn property(path: &[&str]) -> Option<HostBytes> {
    let mut joined = [0u8; PROPERTY_PATH_MAX];
    let mut len = 0usize;
    for segment in path {
        let end = len.checked_add(segment.len())?;
        joined
            .get_mut(len..end)?
            .copy_from_slice(segment.as_bytes());
        *joined.get_mut(end)? = 0;
        len = end + 1;
    }
    // SAFETY: pointer and length within `joined`, valid out pointers.
    returned(|data, size| unsafe { proxy_get_property(joined.as_ptr(), len, data, size) })
}

/// A shared-data value and its CAS token; `None` when absent or on error.
pub fn shared_get(key: &str) -> Option<(HostBytes, u32)> {
    let mut cas = 0u32;
    // SAFETY: pointer and length of a live &str, valid out pointers.
    let value = returned(|data, size| unsafe {
        proxy_get_shared_data(key.as_ptr(), key.len(), data, size, &mut cas)
    })?;
    Some((value, cas))
}

/// Set a shared-data value; with `cas` (from [`shared_get`]) it fails if someone wrote since.
/// `cas = 0` writes unconditionally.
pub fn shared_set(key: &str, value: &[u8], cas: u32) -> bool {
    // SAFETY: pointers and lengths of live slices.
    unsafe {
        proxy_set_shared_data(key.as_ptr(), key.len(), value.as_ptr(), value.len(), cas) == OK
    }
}

/// Define (or look up: same name, same stat) a metric; `None` if the host refuses the name.
pub fn define_metric(kind: MetricKind, name: &str) -> Option<u32> {
    let mut id = 0u32;
    // SAFETY: pointer and length of a live &str, valid out pointer.
    let status = unsafe { proxy_define_metric(kind as u32, name.as_ptr(), name.len(), &mut id) };
    (status == OK).then_some(id)
}

/// The current value of a counter or gauge, as the host store holds it (shared by all workers).
pub fn metric_value(id: u32) -> Option<u64> {
    let mut v = 0u64;
    // SAFETY: valid out pointer.
    let status = unsafe { proxy_get_metric(id, &mut v) };
    (status == OK).then_some(v)
}

/// Set a gauge / record a histogram sample.
pub fn record_metric(id: u32, value: u64) -> bool {
    // SAFETY: plain values.
    unsafe { proxy_record_metric(id, value) == OK }
}

/// Add to a counter or gauge (negative: subtract from a gauge).
pub fn increment_metric(id: u32, offset: i64) -> bool {
    // SAFETY: plain values.
    unsafe { proxy_increment_metric(id, offset) == OK }
}

#[cfg(test)]
mod tests {
    use super::find_header;
    use crate::in_memory_host::serialize;

    #[test]
    fn finds_headers_in_a_serialized_map() {
        let map = serialize(&[
            (":status", "200"),
            ("content-type", "text/event-stream"),
            ("x-empty", ""),
            ("content-type", "second"),
        ]);
        let cases: &[(&str, Option<&[u8]>)] = &[
            (":status", Some(b"200")),
            ("content-type", Some(b"text/event-stream")),
            ("x-empty", Some(b"")),
            ("missing", None),
            ("", None),
        ];
        for (name, want) in cases {
            assert_eq!(find_header(&map, name), *want, "{name}");
        }
        assert_eq!(find_header(&serialize::<&str, &str>(&[]), ":status"), None);
    }

    #[test]
    fn malformed_maps_give_none_never_a_panic() {
        let good = serialize(&[(":status", "503"), ("content-type", "application/json")]);
        // Every truncation, and a count or a length that points past the end.
        for cut in 0..good.len() {
            let found = find_header(&good[..cut], "content-type");
            assert!(found.is_none() || found == Some(&b"application/json"[..]));
        }
        let mut huge_count = good.clone();
        huge_count[..4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(find_header(&huge_count, "content-type"), None);
        let mut huge_len = good.clone();
        huge_len[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(find_header(&huge_len, ":status"), None);
    }
}
