//! Alternative: `size_of_val(&value)` measures the reference itself (the route the stub warns about, used on purpose), and the boxes are summed in a loop over `as_ref()`.

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
#[allow(clippy::size_of_ref)] // measuring the reference is the point here
pub fn reference_size<T: ?Sized>(value: &T) -> usize {
    // `&value` is a `&&T`: size_of_val reads the size of the `&T` behind
    // it, the reference itself, thin or fat.
    size_of_val(&value)
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
        let mut boxed = 0;
        for shape in &self.shapes {
            // `as_ref()` gives the `&dyn Shape` inside the Box.
            boxed += size_of_val(shape.as_ref());
        }
        slots + boxed
    }
}
