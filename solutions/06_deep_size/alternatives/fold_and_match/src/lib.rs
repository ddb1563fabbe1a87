//! Alternative: a loop with a running total for `Vec`, `match` for `Option`, `size_of_val` on the boxed value for `Box`.

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
        let mut total = self.capacity() * size_of::<T>();
        for element in self {
            total += element.heap_size();
        }
        total
    }
}

impl<T: HeapSize> HeapSize for Box<T> {
    fn heap_size(&self) -> usize {
        // The block holding the boxed value, plus whatever that value owns.
        let value: &T = self;
        size_of_val(value) + value.heap_size()
    }
}

impl<T: HeapSize> HeapSize for Option<T> {
    fn heap_size(&self) -> usize {
        // The Option itself is inline; a `Some` owns what its value owns.
        match self {
            Some(value) => value.heap_size(),
            None => 0,
        }
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
