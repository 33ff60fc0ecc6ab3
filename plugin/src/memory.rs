//! The memory the host writes into: the `proxy_on_memory_allocate` export and [`HostBytes`],
//! the owner of what a host call handed back.
//!
//! In proxy-wasm ABI 0.2.1 every host call that returns bytes (`proxy_get_buffer_bytes`,
//! `proxy_get_header_map_pairs`, `proxy_get_property`, ...) first calls back into the module's
//! `proxy_on_memory_allocate` for the destination (proxy-wasm spec, abi-versions/v0.2.1,
//! "Memory management"; Envoy 1.40's host does so through `WasmBase::allocMemory`). A body
//! chunk read per SSE event would cost a heap allocation and a free each time, so a host call
//! made through [`with_scratch`] may be given one fixed scratch region of this VM instead:
//!
//! - the scratch is offered only while such a call runs ("armed"), only once per call, and
//!   only when no [`HostBytes`] still holds it; a second allocation in the same call, a larger
//!   one, or any allocation outside such a call gets the heap as before;
//! - the scratch is lent to the [`HostBytes`] made from it and is free again when that drops;
//! - heap blocks carry their size in a header, so they are freed with the size they were
//!   allocated with whatever size the host reports.
//!
//! The module must export no `malloc`: proxy-wasm-cpp-host uses a `malloc` export in preference
//! to `proxy_on_memory_allocate`, and blocks from it would have no size header (the export list
//! of the built `.wasm` is pinned by `tests/tests/gateway_envoy.rs`).
//!
//! Single-threaded: a Wasm VM runs one callback at a time (the state is thread-local, which
//! in wasm32-wasip1 without threads is a plain static; native tests get one per thread).

use std::alloc::{alloc, dealloc, Layout};
use std::cell::{Cell, UnsafeCell};
use std::ops::Deref;
use std::ptr::{null_mut, NonNull};

/// Size of the scratch region: larger than the chunks Envoy passes a filter on a stream (its
/// buffers are 16 KiB slices), smaller than a Wasm page.
pub const SCRATCH_BYTES: usize = 32 * 1024;

/// Bytes before each heap block that hold its size.
const HEADER: usize = 8;

struct Scratch {
    buf: UnsafeCell<[u8; SCRATCH_BYTES]>,
    /// The next allocation may be the scratch.
    armed: Cell<bool>,
    /// A [`HostBytes`] holds the scratch.
    lent: Cell<bool>,
}

thread_local! {
    static SCRATCH: Scratch = const {
        Scratch {
            buf: UnsafeCell::new([0; SCRATCH_BYTES]),
            armed: Cell::new(false),
            lent: Cell::new(false),
        }
    };
}

fn scratch_ptr() -> *mut u8 {
    SCRATCH.with(|s| s.buf.get().cast::<u8>())
}

fn heap_layout(size: usize) -> Option<Layout> {
    Layout::from_size_align(size.checked_add(HEADER)?, HEADER).ok()
}

/// A heap block of `size` bytes (null when that cannot be allocated).
fn heap_alloc(size: usize) -> *mut u8 {
    let Some(layout) = heap_layout(size) else {
        return null_mut();
    };
    // SAFETY: the layout's size is at least HEADER (> 0).
    let base = unsafe { alloc(layout) };
    if base.is_null() {
        return null_mut();
    }
    // SAFETY: `base` is valid for `size + HEADER` bytes and aligned to 8 (for the usize).
    unsafe {
        base.cast::<usize>().write(size);
        base.add(HEADER)
    }
}

/// The size a block from [`heap_alloc`] was allocated with.
///
/// # Safety
/// `ptr` must come from [`heap_alloc`] and not have been freed.
unsafe fn heap_size(ptr: *mut u8) -> usize {
    // SAFETY: the caller's contract: the header sits HEADER bytes before `ptr`.
    unsafe { ptr.sub(HEADER).cast::<usize>().read() }
}

/// Free a block from [`heap_alloc`].
///
/// # Safety
/// `ptr` must come from [`heap_alloc`] and not have been freed.
unsafe fn heap_free(ptr: *mut u8) {
    // SAFETY: the caller's contract: the header sits HEADER bytes before `ptr`.
    unsafe {
        let size = heap_size(ptr);
        if let Some(layout) = heap_layout(size) {
            dealloc(ptr.sub(HEADER), layout);
        }
    }
}

/// The allocator the host calls to return bytes (ABI 0.2.1 export).
#[no_mangle]
pub extern "C" fn proxy_on_memory_allocate(size: usize) -> *mut u8 {
    let scratch = SCRATCH.with(|s| {
        let take = s.armed.get() && !s.lent.get() && size <= SCRATCH_BYTES;
        if take {
            s.armed.set(false);
        }
        take
    });
    if scratch {
        scratch_ptr()
    } else {
        heap_alloc(size)
    }
}

/// Run one host call that may return bytes, offering it the scratch region.
pub fn with_scratch<T>(call: impl FnOnce() -> T) -> T {
    SCRATCH.with(|s| s.armed.set(!s.lent.get()));
    let out = call();
    SCRATCH.with(|s| s.armed.set(false));
    out
}

/// Bytes a host call returned, freed (or the scratch given back) on drop.
pub struct HostBytes {
    ptr: Option<NonNull<u8>>,
    len: usize,
    scratch: bool,
}

impl HostBytes {
    /// No bytes.
    pub const fn empty() -> HostBytes {
        HostBytes {
            ptr: None,
            len: 0,
            scratch: false,
        }
    }

    /// Take ownership of what a successful host call returned.
    ///
    /// # Safety
    /// `data` must be null or the pointer [`proxy_on_memory_allocate`] gave the host in that
    /// call, and nothing else may own it. `len` beyond what was allocated is cut to it.
    pub unsafe fn adopt(data: *mut u8, len: usize) -> HostBytes {
        let Some(ptr) = NonNull::new(data) else {
            return HostBytes::empty();
        };
        let scratch = data == scratch_ptr();
        if scratch {
            SCRATCH.with(|s| s.lent.set(true));
        }
        // Never more than was allocated, whatever size the host reports.
        let allocated = if scratch {
            SCRATCH_BYTES
        } else {
            // SAFETY: `adopt`'s contract: a heap block from `proxy_on_memory_allocate`.
            unsafe { heap_size(data) }
        };
        HostBytes {
            ptr: Some(ptr),
            len: len.min(allocated),
            scratch,
        }
    }

    /// Whether these bytes live in the scratch region (for tests).
    pub fn in_scratch(&self) -> bool {
        self.scratch
    }
}

impl Default for HostBytes {
    fn default() -> Self {
        HostBytes::empty()
    }
}

impl Deref for HostBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self.ptr {
            // SAFETY: `adopt`'s contract: `len` bytes written by the host at `ptr`, owned here.
            Some(p) => unsafe { std::slice::from_raw_parts(p.as_ptr(), self.len) },
            None => &[],
        }
    }
}

impl Drop for HostBytes {
    fn drop(&mut self) {
        let Some(p) = self.ptr else {
            return;
        };
        if self.scratch {
            SCRATCH.with(|s| s.lent.set(false));
        } else {
            // SAFETY: `adopt`'s contract: a heap block from `proxy_on_memory_allocate`.
            unsafe { heap_free(p.as_ptr()) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a host does: allocate through the export, write, hand back the pointer.
    fn host_returns(bytes: &[u8]) -> HostBytes {
        let p = proxy_on_memory_allocate(bytes.len());
        assert!(!p.is_null());
        // SAFETY: `p` is valid for `bytes.len()` bytes (just allocated).
        unsafe {
            p.copy_from_nonoverlapping(bytes.as_ptr(), bytes.len());
            HostBytes::adopt(p, bytes.len())
        }
    }

    #[test]
    fn the_scratch_is_offered_once_per_armed_call_and_only_when_free() {
        let a = with_scratch(|| host_returns(b"first"));
        assert!(a.in_scratch());
        assert_eq!(&*a, b"first");
        // Still held by `a`: the next call gets the heap.
        let b = with_scratch(|| host_returns(b"second"));
        assert!(!b.in_scratch());
        assert_eq!((&*a, &*b), (&b"first"[..], &b"second"[..]));
        drop(a);
        // Free again, but only inside an armed call, and once per call.
        let outside = host_returns(b"outside");
        assert!(!outside.in_scratch());
        let (c, d) = with_scratch(|| (host_returns(b"c"), host_returns(b"d")));
        assert!(c.in_scratch() && !d.in_scratch());
        assert_eq!((&*c, &*d), (&b"c"[..], &b"d"[..]));
    }

    #[test]
    fn large_and_empty_allocations() {
        let big = vec![7u8; SCRATCH_BYTES + 1];
        let h = with_scratch(|| host_returns(&big));
        assert!(!h.in_scratch());
        assert_eq!(&*h, &big[..]);
        let e = with_scratch(|| host_returns(b""));
        assert!(e.is_empty());
        // SAFETY: null is allowed.
        assert!(unsafe { HostBytes::adopt(null_mut(), 5) }.is_empty());
    }

    #[test]
    fn a_size_over_what_was_allocated_is_cut_to_it() {
        let p = proxy_on_memory_allocate(4);
        // SAFETY: `p` is valid for 4 bytes; the host then claims 1000.
        let h = unsafe {
            p.copy_from_nonoverlapping(b"abcd".as_ptr(), 4);
            HostBytes::adopt(p, 1000)
        };
        assert_eq!(&*h, b"abcd");
        let s = with_scratch(|| {
            let p = proxy_on_memory_allocate(4);
            // SAFETY: as above, in the scratch region.
            unsafe { HostBytes::adopt(p, SCRATCH_BYTES + 5) }
        });
        assert!(s.in_scratch());
        assert_eq!(s.len(), SCRATCH_BYTES);
    }

    #[test]
    fn a_failed_call_leaves_the_scratch_free() {
        // The host allocated, then failed: no HostBytes was made.
        with_scratch(|| {
            let _ = proxy_on_memory_allocate(10);
        });
        let ok = with_scratch(|| host_returns(b"next"));
        assert!(ok.in_scratch());
    }
}
