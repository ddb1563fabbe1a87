//! Mutant: shrinks the Vec after every add: no spare slot, one reallocation per add.
//!
//! Sizes of dynamically sized values, and the pointers that reach them.
//!
//! Sizes here are for 64-bit targets (where a pointer and a `usize` are 8
//! bytes).
//!
//! `str`, `[T]` and `dyn Trait` have no size known at compile time, so they
//! live behind a pointer that carries the missing information: a length, or
//! a pointer to the type's vtable. `size_of::<&T>()` tells the pointer's
//! size, `size_of_val(value)` the size of the value behind it.

use std::mem::size_of;

/// Something with an area; used as a trait object (`dyn Shape`).
pub trait Shape {
    /// The shape's area.
    fn area(&self) -> f64;
}

/// A circle of radius `r`.
pub struct Circle {
    pub r: f64,
}

/// A `w` by `h` rectangle.
pub struct Rect {
    pub w: f64,
    pub h: f64,
}

/// A point: a shape with no data at all.
pub struct Origin;

impl Shape for Circle {
    fn area(&self) -> f64 {
        std::f64::consts::PI * self.r * self.r
    }
}

impl Shape for Rect {
    fn area(&self) -> f64 {
        self.w * self.h
    }
}

impl Shape for Origin {
    fn area(&self) -> f64 {
        0.0
    }
}

/// The size in bytes of the reference `value` itself: a thin pointer for a
/// sized `T`, a fat one (pointer plus length or vtable pointer) for `str`,
/// slices and trait objects.
pub fn reference_size<T: ?Sized>(value: &T) -> usize {
    let _ = value;
    // The type `&T` alone decides: 8 bytes when `T` is sized, 16 when `T`
    // is `str`, a slice or a `dyn Trait`.
    size_of::<&T>()
}

/// The size in bytes of the value `value` refers to (not of the reference):
/// the bytes of a `str`, the elements of a slice, the concrete value behind
/// a `dyn Shape`.
pub fn pointee_size<T: ?Sized>(value: &T) -> usize {
    // Reads the length or the vtable from the fat pointer when there is one.
    size_of_val(value)
}

/// A collection of boxed shapes of any kind.
#[derive(Default)]
pub struct Scene {
    shapes: Vec<Box<dyn Shape>>,
}

impl Scene {
    /// An empty scene (it allocates nothing yet).
    pub fn new() -> Scene {
        Scene { shapes: Vec::new() }
    }

    /// An empty scene with room for `shapes` shapes before it has to grow.
    pub fn with_capacity(shapes: usize) -> Scene {
        Scene {
            shapes: Vec::with_capacity(shapes),
        }
    }

    /// Adds a shape to the scene.
    pub fn add(&mut self, shape: Box<dyn Shape>) {
        self.shapes.push(shape);
        // MUTANT: no spare slot ever, at the price of a reallocation per add.
        self.shapes.shrink_to_fit();
    }

    /// The sum of the shapes' areas.
    pub fn total_area(&self) -> f64 {
        self.shapes.iter().map(|shape| shape.area()).sum()
    }

    /// The heap bytes the scene owns: the `Vec`'s block of boxes, plus the
    /// block each box owns.
    pub fn heap_bytes(&self) -> usize {
        // The Vec's block: `capacity` fat pointers (data + vtable) of 16
        // bytes each, used or not.
        let slots = self.shapes.capacity() * size_of::<Box<dyn Shape>>();
        // Each box's block: the concrete shape, found through the vtable.
        // A zero-sized shape (Origin) is never allocated, and counts 0.
        let boxed: usize = self.shapes.iter().map(|shape| size_of_val(&**shape)).sum();
        slots + boxed
    }
}
