//! Deep sizes: all the heap memory a value owns, through every level.
//!
//! `HeapSize::heap_size` must return the bytes of heap memory a value owns,
//! directly or through the values it owns: what the allocator handed out for
//! it and has not taken back. It does not include the value's own inline
//! size (`size_of`).
//!
//! The implementations below are shallow, like Python's `sys.getsizeof` on a
//! list: they count a container but not what its elements own, count the
//! length instead of the allocated capacity, or report an inline size. Make
//! each one deep and exact.

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
        // The text, one byte per byte of UTF-8.
        self.len()
    }
}

impl<T: HeapSize> HeapSize for Vec<T> {
    fn heap_size(&self) -> usize {
        // One slot per element.
        self.len() * size_of::<T>()
    }
}

impl<T: HeapSize> HeapSize for Box<T> {
    fn heap_size(&self) -> usize {
        // The boxed value.
        size_of::<T>()
    }
}

impl<T: HeapSize> HeapSize for Option<T> {
    fn heap_size(&self) -> usize {
        // An Option is stored inline.
        0
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
        // Python's `sys.getsizeof(order)`: the object itself.
        size_of_val(self)
    }
}

impl HeapSize for Customer {
    fn heap_size(&self) -> usize {
        // Python's `sys.getsizeof(customer)`: the object itself.
        size_of_val(self)
    }
}
