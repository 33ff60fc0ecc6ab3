//! The proxy-wasm ABI 0.2.1 entry points (`proxy_on_*` exports) and the table of contexts they
//! dispatch to.
//!
//! The filter exports only the callbacks it uses (proxy-wasm spec, abi-versions/v0.2.1:
//! every callback is optional and the host calls only those the module exports): the context
//! life cycle, configuration and tick for root contexts, and the HTTP request/response
//! callbacks including trailers (a body followed by trailers ends at the trailers, not with
//! an `end_of_stream` body chunk). TCP streams, HTTP/gRPC callouts and queues are not
//! exported. Flags arrive as `u32` (the ABI's i32), tested `!= 0`: no value the host passes
//! can be an invalid `bool`.
//!
//! Why not the `proxy-wasm` SDK's dispatcher: it `panic!`s on a context id it does not know
//! (a panic kills the VM), boxes every HTTP context (an allocation per request), and carries
//! the code of every callback. Here an unknown id is ignored (`Continue`), HTTP contexts live
//! by value in a map whose memory is reused, and the table is never borrowed twice: the host
//! calls back only `proxy_on_memory_allocate` (which does not touch it) while a callback runs,
//! and a re-entrant call would find the table busy and return `Continue`, never panic.

#[cfg(not(feature = "probe"))]
use crate::http::Http;
// The benchmark's cost probes take the HTTP contexts' place (see `crate::probe`).
#[cfg(feature = "probe")]
use crate::probe::Probe as Http;
use crate::root::Root;
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// `Continue` of the ABI's filter statuses (the only one the filter returns: it never pauses
/// or buffers traffic).
const CONTINUE: u32 = 0;

/// Hasher for context ids (host-assigned `u32`s, mostly consecutive): one multiply.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8 | u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u32(&mut self, id: u32) {
        // Fibonacci hashing: spreads consecutive ids over the high bits hashbrown uses.
        self.0 = u64::from(id).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// Every live context of this VM.
#[derive(Default)]
pub struct Contexts {
    /// Root contexts (one per plugin configuration sharing this VM; usually one).
    roots: Vec<(u32, Root)>,
    http: HashMap<u32, Http, BuildHasherDefault<IdHasher>>,
}

impl Contexts {
    fn root(&mut self, id: u32) -> Option<&mut Root> {
        self.roots
            .iter_mut()
            .find(|(r, _)| *r == id)
            .map(|(_, root)| root)
    }

    /// A new context: a root when `parent` is 0, else an HTTP stream of root `parent`. A stream
    /// whose root is unknown gets an inert context (no configuration: it does nothing).
    pub fn create(&mut self, id: u32, parent: u32) {
        if parent == 0 {
            self.roots.retain(|(r, _)| *r != id);
            self.roots.push((id, Root::new()));
        } else {
            let shared = self.root(parent).and_then(|r| r.shared());
            self.http.insert(id, Http::new(shared));
        }
    }

    /// The stream is done (`on_done`): its state goes back to the root's pool. Always `true`
    /// (nothing to finish asynchronously).
    pub fn done(&mut self, id: u32) -> bool {
        if let Some(h) = self.http.get_mut(&id) {
            h.on_done();
        }
        true
    }

    /// The context is gone. An HTTP context is finished first if the host skipped `on_done`
    /// (Envoy does not), so the in-flight count stays balanced.
    pub fn delete(&mut self, id: u32) {
        match self.http.remove(&id) {
            Some(mut h) => h.on_done(),
            None => self.roots.retain(|(r, _)| *r != id),
        }
    }

    pub fn configure(&mut self, id: u32, size: usize) -> bool {
        self.root(id).is_some_and(|r| r.on_configure(size))
    }

    pub fn tick(&mut self, id: u32) {
        if let Some(r) = self.root(id) {
            r.on_tick();
        }
    }

    /// The HTTP context `id`, if any.
    pub fn http(&mut self, id: u32) -> Option<&mut Http> {
        self.http.get_mut(&id)
    }

    /// Live HTTP contexts (for tests).
    pub fn http_count(&self) -> usize {
        self.http.len()
    }
}

thread_local! {
    static CONTEXTS: RefCell<Contexts> = RefCell::new(Contexts::default());
}

/// Run `f` on the context table; `None` if it is busy (a re-entrant call).
fn with<T>(f: impl FnOnce(&mut Contexts) -> T) -> Option<T> {
    CONTEXTS.with(|c| c.try_borrow_mut().ok().map(|mut c| f(&mut c)))
}

/// Run an HTTP callback on context `id`; `Continue` whatever happens.
fn on_http(id: u32, f: impl FnOnce(&mut Http)) -> u32 {
    with(|c| c.http(id).map(f));
    CONTINUE
}

#[no_mangle]
pub extern "C" fn proxy_abi_version_0_2_1() {}

#[no_mangle]
pub extern "C" fn proxy_on_context_create(context_id: u32, parent_context_id: u32) {
    with(|c| c.create(context_id, parent_context_id));
}

#[no_mangle]
pub extern "C" fn proxy_on_vm_start(_root_context_id: u32, _vm_configuration_size: usize) -> bool {
    true
}

#[no_mangle]
pub extern "C" fn proxy_on_configure(root_context_id: u32, configuration_size: usize) -> bool {
    with(|c| c.configure(root_context_id, configuration_size)).unwrap_or(false)
}

#[no_mangle]
pub extern "C" fn proxy_on_tick(root_context_id: u32) {
    with(|c| c.tick(root_context_id));
}

/// The HTTP callbacks that take a size (headers count or body bytes) and `end_of_stream`.
macro_rules! http_callbacks {
    ($($export:ident => $method:ident),* $(,)?) => {$(
        #[no_mangle]
        pub extern "C" fn $export(id: u32, size: usize, end_of_stream: u32) -> u32 {
            on_http(id, |h| h.$method(size, end_of_stream != 0))
        }
    )*};
}

http_callbacks! {
    proxy_on_request_headers => on_request_headers,
    proxy_on_request_body => on_request_body,
    proxy_on_response_headers => on_response_headers,
    proxy_on_response_body => on_response_body,
}

#[no_mangle]
pub extern "C" fn proxy_on_request_trailers(id: u32, _trailers: usize) -> u32 {
    on_http(id, Http::on_request_trailers)
}

#[no_mangle]
pub extern "C" fn proxy_on_response_trailers(id: u32, _trailers: usize) -> u32 {
    on_http(id, Http::on_response_trailers)
}

#[no_mangle]
pub extern "C" fn proxy_on_log(id: u32) {
    on_http(id, Http::on_log);
}

#[no_mangle]
pub extern "C" fn proxy_on_done(id: u32) -> bool {
    with(|c| c.done(id)).unwrap_or(true)
}

#[no_mangle]
pub extern "C" fn proxy_on_delete(id: u32) {
    with(|c| c.delete(id));
}

/// Wasm reactor initialisation: run the module's static constructors (wasi-libc's).
#[cfg(target_os = "wasi")]
#[no_mangle]
pub extern "C" fn _initialize() {
    extern "C" {
        fn __wasm_call_ctors();
    }
    // SAFETY: called once by the host before any other export, as the reactor model requires.
    unsafe { __wasm_call_ctors() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_ids_are_ignored_never_a_panic() {
        assert_eq!(proxy_on_request_headers(99, 3, 0), CONTINUE);
        assert_eq!(proxy_on_response_body(99, 10, 1), CONTINUE);
        assert_eq!(proxy_on_response_trailers(99, 1), CONTINUE);
        proxy_on_log(99);
        assert!(proxy_on_done(99));
        proxy_on_delete(99);
        proxy_on_tick(99);
        assert!(!proxy_on_configure(99, 0));
    }

    #[test]
    fn contexts_are_created_and_deleted() {
        let mut c = Contexts::default();
        c.create(1, 0);
        // A stream of a known root and one of an unknown root: both exist, both inert here
        // (the root was never configured: its streams have no shared state).
        c.create(2, 1);
        c.create(3, 42);
        assert_eq!(c.http_count(), 2);
        assert!(c.done(2));
        c.delete(2);
        c.delete(3);
        assert_eq!(c.http_count(), 0);
        assert!(c.root(1).is_some());
        c.delete(1);
        assert!(c.root(1).is_none());
    }

    #[test]
    fn a_busy_table_is_not_entered_twice() {
        let inner = with(|_| with(|_| ()));
        assert_eq!(inner, Some(None));
    }
}
