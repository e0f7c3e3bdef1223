//! A global allocator that counts allocations while counting is switched on.
//!
//! Install it in a binary with
//! `#[global_allocator] static ALLOCATOR: CountingAllocator = CountingAllocator;`, then wrap the
//! code to measure in [`count_allocations`]. Switched off, it costs one relaxed atomic load per
//! allocation, so the other measurements of the same process are not disturbed.
//!
//! The count is process-wide: keep other threads idle while counting. A `realloc` counts as an
//! allocation (it may move the block); frees are not counted.
//!
//! [`net_heap_bytes`] measures, the same way, the bytes allocated minus the bytes freed while it
//! runs (by every thread): how much the heap grew.

// Implementing `GlobalAlloc` is `unsafe impl`: this module is the only unsafe code of the crate.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};

static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static WEIGHING: AtomicBool = AtomicBool::new(false);
static NET_BYTES: AtomicI64 = AtomicI64::new(0);

/// The system allocator, counting allocations while [`count_allocations`] runs.
#[derive(Debug, Clone, Copy, Default)]
pub struct CountingAllocator;

fn note_allocation() {
    if COUNTING.load(Ordering::Relaxed) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    }
}

/// Adds `grown` bytes (negative: freed) to the net count while weighing.
fn note_bytes(grown: i64) {
    if WEIGHING.load(Ordering::Relaxed) {
        NET_BYTES.fetch_add(grown, Ordering::Relaxed);
    }
}

fn size(bytes: usize) -> i64 {
    i64::try_from(bytes).unwrap_or(i64::MAX)
}

// SAFETY: every method forwards its arguments unchanged to `System`, which upholds the
// `GlobalAlloc` contract; the counter beside it neither allocates nor unwinds.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note_allocation();
        note_bytes(size(layout.size()));
        // SAFETY: the caller's guarantees for `layout` are passed on as they are.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note_allocation();
        note_bytes(size(layout.size()));
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note_allocation();
        note_bytes(size(new_size) - size(layout.size()));
        // SAFETY: `ptr` was allocated by `System` through this wrapper with `layout`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        note_bytes(-size(layout.size()));
        // SAFETY: `ptr` was allocated by `System` through this wrapper with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// Runs `work` and returns its result with the number of allocations made meanwhile (by any
/// thread of the process). Only counts when [`CountingAllocator`] is the global allocator.
pub fn count_allocations<R>(work: impl FnOnce() -> R) -> (R, u64) {
    ALLOCATIONS.store(0, Ordering::Relaxed);
    COUNTING.store(true, Ordering::SeqCst);
    let result = work();
    COUNTING.store(false, Ordering::SeqCst);
    (result, ALLOCATIONS.load(Ordering::Relaxed))
}

/// Runs `work` and returns its result with the bytes allocated minus the bytes freed meanwhile
/// (by any thread of the process): how much the heap grew. Only weighs when
/// [`CountingAllocator`] is the global allocator.
pub fn net_heap_bytes<R>(work: impl FnOnce() -> R) -> (R, i64) {
    NET_BYTES.store(0, Ordering::Relaxed);
    WEIGHING.store(true, Ordering::SeqCst);
    let result = work();
    WEIGHING.store(false, Ordering::SeqCst);
    (result, NET_BYTES.load(Ordering::Relaxed))
}
