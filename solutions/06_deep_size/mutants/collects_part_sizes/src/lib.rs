//! Mutant: collects every element's size into a Vec before adding them up: the right number, with an allocation of its own.
//!
//! Deep sizes: all the heap memory a value owns, through every level.
//!
//! `HeapSize::heap_size` returns the bytes of heap memory a value owns,
//! directly or through the values it owns: what the allocator handed out for
//! it and has not taken back. It does not include the value's own inline
//! size (`size_of`).
//!
//! The allocator hands out *capacity*, not length, so every container counts
//! its capacity; and a container's elements are stored in its heap block, so
//! their inline size is already in `capacity * size_of::<T>()` and only their
//! own heap parts are added on top.

use std::mem::size_of;

/// Heap memory owned by a value.
pub trait HeapSize {
    /// The bytes of heap memory `self` owns, directly or through the values
    /// it owns (not counting `size_of_val(self)` itself).
    fn heap_size(&self) -> usize;
}

/// Plain numbers and booleans own no heap memory.
macro_rules! no_heap {
    ($($t:ty),*) => {
        $(impl HeapSize for $t {
            fn heap_size(&self) -> usize {
                0
            }
        })*
    };
}

no_heap!(u8, u16, u32, u64, usize, i32, i64, f32, f64, bool, char);

impl HeapSize for String {
    fn heap_size(&self) -> usize {
        // The whole buffer, used or not (0 for a String that never allocated).
        self.capacity()
    }
}

impl<T: HeapSize> HeapSize for Vec<T> {
    fn heap_size(&self) -> usize {
        // The buffer holds `capacity` slots of `size_of::<T>()` bytes each
        // (0 for a zero-sized T); each element may own more on top.
        // MUTANT: lists every element's size before adding them up: the
        // right number, at the price of a Vec of its own per call.
        let sizes: Vec<usize> = self.iter().map(HeapSize::heap_size).collect();
        self.capacity() * size_of::<T>() + sizes.iter().sum::<usize>()
    }
}

impl<T: HeapSize> HeapSize for Box<T> {
    fn heap_size(&self) -> usize {
        // The block holding the boxed value, plus whatever that value owns.
        size_of::<T>() + (**self).heap_size()
    }
}

impl<T: HeapSize> HeapSize for Option<T> {
    fn heap_size(&self) -> usize {
        // The Option itself is inline; a `Some` owns what its value owns.
        self.as_ref().map_or(0, HeapSize::heap_size)
    }
}

/// An order: an id and the ids of the items in it.
pub struct Order {
    pub id: u64,
    pub items: Vec<u32>,
}

/// A customer record that nests every kind of owner above.
pub struct Customer {
    pub name: String,
    pub tags: Vec<String>,
    pub orders: Vec<Order>,
    pub note: Option<Box<String>>,
}

impl HeapSize for Order {
    fn heap_size(&self) -> usize {
        // A struct owns what its fields own; its own bytes are inline.
        self.id.heap_size() + self.items.heap_size()
    }
}

impl HeapSize for Customer {
    fn heap_size(&self) -> usize {
        self.name.heap_size()
            + self.tags.heap_size()
            + self.orders.heap_size()
            + self.note.heap_size()
    }
}
