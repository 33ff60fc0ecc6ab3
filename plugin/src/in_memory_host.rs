//! An in-memory proxy-wasm host for native builds: the ABI imports of [`crate::host`] answered
//! from a [`HostState`] the tests set up and read back, so the glue's success paths (a request
//! counted with its tokens and time to first token, an SSE stream, the tick flushing counters
//! and running the aggregator, a configuration accepted or refused) run under `cargo test -p
//! scalelens-plugin`, not only in Envoy.
//!
//! It answers as Envoy 1.40 does where the glue depends on it: bytes are returned through the
//! module's own `proxy_on_memory_allocate` (so [`crate::memory`]'s scratch region is exercised),
//! a metric name defined twice is one metric, counters and gauges add (a gauge below zero wraps,
//! as Envoy's `u64` gauges do), `proxy_record_metric` sets a gauge and appends a histogram
//! sample, `proxy_get_metric` reads counters and gauges only, shared data has a CAS token that
//! changes on every write, and a property path is its segments joined by NUL.
//!
//! Compiled only off wasm32: the `.wasm` declares the real imports and contains none of this.
//! The state is thread-local, like the VM's own (one Envoy worker = one thread); each test
//! runs on its own thread, so tests do not see each other's host.

use crate::memory::proxy_on_memory_allocate;
use std::cell::RefCell;

/// The ABI's `Ok` and `NotFound` statuses (proxy-wasm spec, abi-versions/v0.2.1, "Status").
const OK: u32 = 0;
const NOT_FOUND: u32 = 1;
/// `BadArgument`: an unknown buffer or map, a metric operation its kind does not support.
const BAD_ARGUMENT: u32 = 2;
/// `CasMismatch`: shared data written since the caller read it.
const CAS_MISMATCH: u32 = 8;

/// One metric as the host store holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metric {
    /// 0 counter, 1 gauge, 2 histogram (`proxy_define_metric`'s `metric_type`).
    pub kind: u32,
    pub name: String,
    /// A counter's or gauge's value.
    pub value: u64,
    /// A histogram's samples, in order.
    pub samples: Vec<u64>,
}

/// Everything the host knows and what the filter did to it.
#[derive(Debug, Default)]
pub struct HostState {
    /// The wall clock (`proxy_get_current_time_nanoseconds`).
    pub now_ns: u64,
    /// The plugin configuration buffer.
    pub configuration: Vec<u8>,
    /// The current request and response headers (name, value), lower-case names.
    pub request_headers: Vec<(String, String)>,
    pub response_headers: Vec<(String, String)>,
    /// The current body chunk of each direction (what `proxy_get_buffer_bytes` reads).
    pub request_body: Vec<u8>,
    pub response_body: Vec<u8>,
    /// Properties by path (segments joined with NUL, as the ABI passes them).
    pub properties: Vec<(Vec<u8>, Vec<u8>)>,
    /// Shared data: key, value, CAS token.
    pub shared: Vec<(Vec<u8>, Vec<u8>, u32)>,
    /// Metrics by id (id = index + 1).
    pub metrics: Vec<Metric>,
    /// Log lines: level, text.
    pub logs: Vec<(u32, String)>,
    /// The last tick period the filter asked for.
    pub tick_period_ms: Option<u32>,
    /// Headers the filter added: map (0 request, 2 response), name, value.
    pub added_headers: Vec<(u32, String, String)>,
    /// Every call the filter made to the metric store and clock, counted (the batching tests).
    pub increments: usize,
    /// The last CAS token handed out.
    cas: u32,
}

thread_local! {
    static HOST: RefCell<HostState> = RefCell::new(HostState::default());
}

/// Run `f` on this thread's host state (set up a test, or read what the filter did). Not
/// re-entrant: the filter's calls into the host borrow it too, so call this between callbacks.
pub fn with_host<T>(f: impl FnOnce(&mut HostState) -> T) -> T {
    HOST.with(|h| f(&mut h.borrow_mut()))
}

impl HostState {
    /// A property path as the ABI passes it (segments joined with NUL).
    pub fn set_property(&mut self, path: &[&str], value: &str) {
        let key = path.join("\0").into_bytes();
        self.properties.retain(|(k, _)| *k != key);
        self.properties.push((key, value.as_bytes().to_vec()));
    }

    /// The metric named `name`, if the filter defined it.
    pub fn metric(&self, name: &str) -> Option<&Metric> {
        self.metrics.iter().find(|m| m.name == name)
    }

    /// A counter's or gauge's value by name (0 when never defined).
    pub fn value(&self, name: &str) -> u64 {
        self.metric(name).map_or(0, |m| m.value)
    }

    /// A histogram's samples by name (empty when never defined).
    pub fn samples(&self, name: &str) -> &[u64] {
        self.metric(name).map_or(&[], |m| m.samples.as_slice())
    }

    fn metric_mut(&mut self, id: u32) -> Option<&mut Metric> {
        self.metrics.get_mut((id as usize).checked_sub(1)?)
    }
}

/// Hand `bytes` to the module as the host does: memory from `proxy_on_memory_allocate`,
/// then the pointer and size through the out pointers.
///
/// # Safety
/// `data` and `size` must be valid for writes.
unsafe fn give(bytes: &[u8], data: *mut *mut u8, size: *mut usize) -> u32 {
    let ptr = proxy_on_memory_allocate(bytes.len());
    if ptr.is_null() && !bytes.is_empty() {
        return BAD_ARGUMENT;
    }
    // SAFETY: `ptr` holds at least `bytes.len()` bytes (the allocator's contract); the out
    // pointers are valid (the caller's contract).
    unsafe {
        if !bytes.is_empty() {
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), ptr, bytes.len());
        }
        *data = ptr;
        *size = bytes.len();
    }
    OK
}

/// The bytes at `ptr`, `len`.
///
/// # Safety
/// `ptr` must be valid for `len` bytes (or `len` 0).
unsafe fn slice<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if len == 0 {
        return &[];
    }
    // SAFETY: the caller's contract.
    unsafe { std::slice::from_raw_parts(ptr, len) }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn headers(h: &HostState, map: u32) -> Option<&Vec<(String, String)>> {
    match map {
        0 => Some(&h.request_headers),
        2 => Some(&h.response_headers),
        _ => None,
    }
}

/// The ABI's serialized header map (see [`crate::host::find_header`]).
pub(crate) fn serialize<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> Vec<u8> {
    let mut out = (pairs.len() as u32).to_le_bytes().to_vec();
    for (k, v) in pairs {
        out.extend((k.as_ref().len() as u32).to_le_bytes());
        out.extend((v.as_ref().len() as u32).to_le_bytes());
    }
    for (k, v) in pairs {
        out.extend(k.as_ref().as_bytes());
        out.push(0);
        out.extend(v.as_ref().as_bytes());
        out.push(0);
    }
    out
}

// The imports, with the signatures `host.rs` declares for wasm32. Safety (each): the pointers
// and lengths are what `host.rs` passes, live slices and valid out pointers.

pub(crate) unsafe fn proxy_log(level: u32, message: *const u8, len: usize) -> u32 {
    // SAFETY: the glue passes a live &str.
    let line = text(unsafe { slice(message, len) });
    with_host(|h| h.logs.push((level, line)));
    OK
}

pub(crate) unsafe fn proxy_get_current_time_nanoseconds(out: *mut u64) -> u32 {
    let now = with_host(|h| h.now_ns);
    // SAFETY: a valid out pointer from the glue.
    unsafe { *out = now };
    OK
}

pub(crate) unsafe fn proxy_set_tick_period_milliseconds(period: u32) -> u32 {
    with_host(|h| h.tick_period_ms = Some(period));
    OK
}

pub(crate) unsafe fn proxy_get_buffer_bytes(
    which: u32,
    start: usize,
    max: usize,
    data: *mut *mut u8,
    size: *mut usize,
) -> u32 {
    let bytes = with_host(|h| {
        let all = match which {
            0 => &h.request_body,
            1 => &h.response_body,
            7 => &h.configuration,
            _ => return None,
        };
        let from = start.min(all.len());
        let to = start.saturating_add(max).min(all.len());
        all.get(from..to).map(<[u8]>::to_vec)
    });
    match bytes {
        // SAFETY: valid out pointers from the glue.
        Some(b) => unsafe { give(&b, data, size) },
        None => BAD_ARGUMENT,
    }
}

pub(crate) unsafe fn proxy_get_header_map_value(
    map: u32,
    key: *const u8,
    key_len: usize,
    data: *mut *mut u8,
    size: *mut usize,
) -> u32 {
    // SAFETY: the glue passes a live &str.
    let name = text(unsafe { slice(key, key_len) });
    let value = with_host(|h| {
        headers(h, map).map(|hs| hs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone()))
    });
    match value {
        // SAFETY: valid out pointers from the glue.
        Some(Some(v)) => unsafe { give(v.as_bytes(), data, size) },
        Some(None) => NOT_FOUND,
        None => BAD_ARGUMENT,
    }
}

pub(crate) unsafe fn proxy_get_header_map_pairs(
    map: u32,
    data: *mut *mut u8,
    size: *mut usize,
) -> u32 {
    match with_host(|h| headers(h, map).map(|hs| serialize(hs))) {
        // SAFETY: valid out pointers from the glue.
        Some(bytes) => unsafe { give(&bytes, data, size) },
        None => BAD_ARGUMENT,
    }
}

pub(crate) unsafe fn proxy_add_header_map_value(
    map: u32,
    key: *const u8,
    key_len: usize,
    value: *const u8,
    value_len: usize,
) -> u32 {
    // SAFETY: the glue passes live &strs.
    let (k, v) = unsafe { (text(slice(key, key_len)), text(slice(value, value_len))) };
    with_host(|h| h.added_headers.push((map, k, v)));
    OK
}

pub(crate) unsafe fn proxy_get_property(
    path: *const u8,
    path_len: usize,
    data: *mut *mut u8,
    size: *mut usize,
) -> u32 {
    // SAFETY: the glue passes its joined path buffer. The ABI path ends with the last
    // segment's NUL; the stored keys do not.
    let key = unsafe { slice(path, path_len) };
    let key = key.strip_suffix(b"\0").unwrap_or(key).to_vec();
    let value = with_host(|h| {
        h.properties
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
    });
    match value {
        // SAFETY: valid out pointers from the glue.
        Some(v) => unsafe { give(&v, data, size) },
        None => NOT_FOUND,
    }
}

pub(crate) unsafe fn proxy_get_shared_data(
    key: *const u8,
    key_len: usize,
    data: *mut *mut u8,
    size: *mut usize,
    cas: *mut u32,
) -> u32 {
    // SAFETY: the glue passes a live &str.
    let key = unsafe { slice(key, key_len) }.to_vec();
    let found = with_host(|h| {
        h.shared
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, v, c)| (v.clone(), *c))
    });
    match found {
        Some((value, token)) => {
            // SAFETY: valid out pointers from the glue.
            unsafe { *cas = token };
            unsafe { give(&value, data, size) }
        }
        None => NOT_FOUND,
    }
}

pub(crate) unsafe fn proxy_set_shared_data(
    key: *const u8,
    key_len: usize,
    value: *const u8,
    value_len: usize,
    cas: u32,
) -> u32 {
    // SAFETY: the glue passes live slices.
    let (key, value) = unsafe {
        (
            slice(key, key_len).to_vec(),
            slice(value, value_len).to_vec(),
        )
    };
    with_host(|h| {
        h.cas = h.cas.wrapping_add(1).max(1);
        let token = h.cas;
        match h.shared.iter_mut().find(|(k, _, _)| *k == key) {
            Some((_, _, current)) if cas != 0 && cas != *current => CAS_MISMATCH,
            Some(entry) => {
                entry.1 = value;
                entry.2 = token;
                OK
            }
            None => {
                h.shared.push((key, value, token));
                OK
            }
        }
    })
}

pub(crate) unsafe fn proxy_define_metric(
    kind: u32,
    name: *const u8,
    name_len: usize,
    id: *mut u32,
) -> u32 {
    // SAFETY: the glue passes a live &str.
    let name = text(unsafe { slice(name, name_len) });
    let defined = with_host(|h| {
        if kind > 2 {
            return None;
        }
        let at = match h.metrics.iter().position(|m| m.name == name) {
            Some(i) => i,
            None => {
                h.metrics.push(Metric {
                    kind,
                    name,
                    value: 0,
                    samples: Vec::new(),
                });
                h.metrics.len() - 1
            }
        };
        u32::try_from(at + 1).ok()
    });
    match defined {
        Some(new) => {
            // SAFETY: a valid out pointer from the glue.
            unsafe { *id = new };
            OK
        }
        None => BAD_ARGUMENT,
    }
}

pub(crate) unsafe fn proxy_get_metric(id: u32, out: *mut u64) -> u32 {
    let value = with_host(|h| h.metric_mut(id).filter(|m| m.kind != 2).map(|m| m.value));
    match value {
        Some(v) => {
            // SAFETY: a valid out pointer from the glue.
            unsafe { *out = v };
            OK
        }
        None => NOT_FOUND,
    }
}

pub(crate) unsafe fn proxy_record_metric(id: u32, value: u64) -> u32 {
    with_host(|h| match h.metric_mut(id) {
        Some(m) if m.kind == 2 => {
            m.samples.push(value);
            OK
        }
        Some(m) if m.kind == 1 => {
            m.value = value;
            OK
        }
        Some(_) => BAD_ARGUMENT,
        None => NOT_FOUND,
    })
}

pub(crate) unsafe fn proxy_increment_metric(id: u32, offset: i64) -> u32 {
    with_host(|h| {
        h.increments += 1;
        match h.metric_mut(id) {
            Some(m) if m.kind == 2 || (m.kind == 0 && offset < 0) => BAD_ARGUMENT,
            Some(m) => {
                m.value = m.value.wrapping_add_signed(offset);
                OK
            }
            None => NOT_FOUND,
        }
    })
}
