//! The wasm module's allocator: segregated free lists of power-of-two blocks over pages from
//! `memory.grow`. It replaces std's dlmalloc, which is ~7 KB of the module (~3 KB gzip) for
//! coalescing and splitting that this library does not need: it allocates small strings and
//! vectors of a few recurring sizes, for a page's lifetime, and wasm memory never shrinks anyway.
//! The price is up to 2× per block (a size is rounded up to its class) and no reuse across
//! classes; memory stays bounded by the peak use of each class.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::ptr::null_mut;

/// Smallest block: room for the free-list link and 16-byte alignment for every block.
const MIN_BLOCK: usize = 16;
/// Classes 2^4 … 2^31: every size a 32-bit address space can hold.
const CLASSES: usize = 32;
/// The bytes `grow` hands out at a time (wasm's page size).
pub const PAGE: usize = 65_536;

/// The allocator's state; `grow(pages)` returns the address of `pages` new pages, `None` when
/// memory is exhausted.
pub struct Heap<G> {
    /// Head of each class's free list (0 = empty); a free block's first word links to the next.
    free: [usize; CLASSES],
    /// The untouched rest of the last grown region: `[next, end)`.
    next: usize,
    end: usize,
    grow: G,
}

impl<G: Fn(usize) -> Option<usize>> Heap<G> {
    /// An empty heap that takes its memory from `grow`.
    pub const fn new(grow: G) -> Self {
        Heap { free: [0; CLASSES], next: 0, end: 0, grow }
    }

    /// A block for `layout`, or null.
    ///
    /// # Safety
    /// The caller owns the block until it passes it to [`Self::dealloc`] with the same layout.
    pub unsafe fn alloc(&mut self, layout: Layout) -> *mut u8 {
        let Some(class) = class_of(layout) else { return null_mut() };
        let size = 1usize << class;
        let head = self.free[class];
        // Every block is aligned to 16; a stricter alignment is served fresh from the region.
        if head != 0 && layout.align() <= MIN_BLOCK {
            self.free[class] = *(head as *const usize);
            return head as *mut u8;
        }
        let align = layout.align().max(MIN_BLOCK);
        let start = match self.next.checked_add(align - 1) {
            Some(n) => n & !(align - 1),
            None => return null_mut(),
        };
        if self.end.checked_sub(start).map_or(true, |room| room < size) {
            // A new region; the old one's tail is left unused (at most one block's worth).
            let Some(bytes) = size.checked_add(align).and_then(|b| b.checked_add(PAGE - 1)) else { return null_mut() };
            let pages = bytes / PAGE;
            let Some(base) = (self.grow)(pages) else { return null_mut() };
            self.next = base;
            self.end = base + pages * PAGE;
            return self.alloc(layout);
        }
        self.next = start + size;
        start as *mut u8
    }

    /// Returns a block to its class's free list.
    ///
    /// # Safety
    /// `ptr` came from [`Self::alloc`] with this `layout` and is not used afterwards.
    pub unsafe fn dealloc(&mut self, ptr: *mut u8, layout: Layout) {
        if let Some(class) = class_of(layout) {
            *(ptr as *mut usize) = self.free[class];
            self.free[class] = ptr as usize;
        }
    }
}

/// Whether a block for `old` also holds `new_size` bytes at the same place.
fn fits(old: Layout, new_size: usize) -> bool {
    let new = Layout::from_size_align(new_size, old.align());
    matches!((class_of(old), new.ok().and_then(class_of)), (Some(a), Some(b)) if a == b)
}

/// The class (log2 of the block size) that holds `layout`.
fn class_of(layout: Layout) -> Option<usize> {
    let size = layout.size().max(layout.align()).max(MIN_BLOCK).checked_next_power_of_two()?;
    let class = size.trailing_zeros() as usize;
    (class < CLASSES).then_some(class)
}

/// [`Heap`] as the global allocator. A wasm module without threads runs on one thread, and no
/// allocation re-enters the allocator, so the `UnsafeCell` is never borrowed twice.
pub struct Global<G>(pub UnsafeCell<Heap<G>>);

// SAFETY: single-threaded wasm (see above); the native tests use their own `Heap`.
unsafe impl<G> Sync for Global<G> {}

unsafe impl<G: Fn(usize) -> Option<usize>> GlobalAlloc for Global<G> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        (*self.0.get()).alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        (*self.0.get()).dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if fits(layout, new_size) {
            return ptr;
        }
        let Ok(new_layout) = Layout::from_size_align(new_size, layout.align()) else { return null_mut() };
        let new = self.alloc(new_layout);
        if !new.is_null() {
            core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
            self.dealloc(ptr, layout);
        }
        new
    }
}

#[cfg(target_arch = "wasm32")]
fn grow_memory(pages: usize) -> Option<usize> {
    let before = core::arch::wasm32::memory_grow(0, pages);
    (before != usize::MAX).then(|| before * PAGE)
}

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: Global<fn(usize) -> Option<usize>> = Global(UnsafeCell::new(Heap::new(grow_memory)));

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// A heap over a leaked buffer standing in for wasm memory.
    fn heap(pages: usize) -> Heap<impl Fn(usize) -> Option<usize>> {
        let memory: &'static mut [u8] = Box::leak(vec![0u8; (pages + 1) * PAGE].into_boxed_slice());
        let base = (memory.as_ptr() as usize + PAGE - 1) & !(PAGE - 1);
        let used = Cell::new(0);
        Heap::new(move |n| {
            (used.get() + n <= pages).then(|| {
                used.set(used.get() + n);
                base + (used.get() - n) * PAGE
            })
        })
    }

    #[test]
    fn blocks_are_aligned_disjoint_and_reused_by_class() {
        let mut h = heap(64);
        let mut live: Vec<(usize, Layout)> = Vec::new();
        for (i, size) in [1, 15, 16, 17, 100, 4096, 70_000, 3, 40].into_iter().enumerate() {
            let layout = Layout::from_size_align(size, if i == 4 { 64 } else { 8 }).unwrap();
            let p = unsafe { h.alloc(layout) } as usize;
            assert_ne!(p, 0);
            assert_eq!(p % layout.align().max(16), 0);
            for &(q, l) in &live {
                assert!(p + size <= q || q + l.size() <= p, "blocks overlap");
            }
            unsafe { std::ptr::write_bytes(p as *mut u8, 0xAB, size) };
            live.push((p, layout));
        }
        let (p, l) = live[4];
        unsafe { h.dealloc(p as *mut u8, l) };
        let again = unsafe { h.alloc(Layout::from_size_align(120, 8).unwrap()) } as usize;
        assert_eq!(again, p, "a freed 128-byte block serves the next 128-byte request");
    }

    #[test]
    fn exhaustion_and_absurd_sizes_give_null_not_a_panic() {
        let mut h = heap(2);
        assert!(unsafe { h.alloc(Layout::from_size_align(3 * PAGE, 8).unwrap()) }.is_null());
        assert!(unsafe { h.alloc(Layout::from_size_align(usize::MAX / 4, 8).unwrap()) }.is_null());
        assert!(!unsafe { h.alloc(Layout::from_size_align(100, 8).unwrap()) }.is_null());
    }

    #[test]
    fn realloc_in_place_within_a_class() {
        let small = Layout::from_size_align(20, 8).unwrap();
        assert!(fits(small, 32));
        assert!(!fits(small, 33));
    }
}
