//! The graded contract of `dst_sizes`. Sizes are for 64-bit targets.

use std::hint::black_box;
use std::mem::size_of;

use dst_sizes::{Circle, Origin, Rect, Scene, Shape, pointee_size, reference_size};

memprobe::install!();

/// A String with spare capacity turned into a `Box<str>`.
fn boxed_str() -> Box<str> {
    let mut s = String::with_capacity(64);
    s.push_str(black_box("fat pointers"));
    s.into_boxed_str()
}

/// A scene of 11 shapes, added one by one.
fn build_scene() -> Scene {
    let mut scene = Scene::new();
    for i in 0..4 {
        scene.add(Box::new(Circle {
            r: black_box(1.0 + f64::from(i)),
        }));
        scene.add(Box::new(Rect {
            w: black_box(2.0),
            h: 3.0,
        }));
        if i < 3 {
            scene.add(Box::new(Origin));
        }
    }
    scene
}

#[test]
fn references_to_sized_values_are_thin() {
    assert_eq!(reference_size(&5u64), size_of::<&u64>());
    assert_eq!(reference_size(&Circle { r: 1.0 }), size_of::<&Circle>());
    assert_eq!(reference_size(&[0u8; 100]), size_of::<&[u8; 100]>());
}

#[test]
fn slice_str_and_dyn_references_are_fat() {
    let idea = "a reference to an unsized value carries a second word: the length (str, slices) or the vtable pointer (dyn Trait)";
    let numbers = [1u32, 2, 3];
    let shape: &dyn Shape = &Circle { r: 1.0 };
    assert_eq!(reference_size("hello"), size_of::<&str>(), "&str: {idea}");
    assert_eq!(
        reference_size(&numbers[..]),
        size_of::<&[u32]>(),
        "&[u32]: {idea}"
    );
    assert_eq!(
        reference_size(shape),
        size_of::<&dyn Shape>(),
        "&dyn Shape: {idea}"
    );
    assert_eq!(
        reference_size(&numbers),
        size_of::<&[u32; 3]>(),
        "&[u32; 3]: an array's length is in its type, so its reference is thin"
    );
}

#[test]
fn pointee_size_is_the_value_behind_the_reference() {
    let idea = "measure the value, not the reference to it: size_of_val(value) reads the length or the vtable from the fat pointer";
    let shapes: [&dyn Shape; 3] = [&Circle { r: 1.0 }, &Rect { w: 1.0, h: 2.0 }, &Origin];
    assert_eq!(pointee_size("hello"), 5, "str \"hello\": {idea}");
    assert_eq!(pointee_size(&[0u32; 10][..]), 40, "[u32] of 10: {idea}");
    assert_eq!(
        pointee_size(shapes[0]),
        size_of::<Circle>(),
        "dyn Shape (a Circle): {idea}"
    );
    assert_eq!(
        pointee_size(shapes[1]),
        size_of::<Rect>(),
        "dyn Shape (a Rect): {idea}"
    );
    assert_eq!(
        pointee_size(shapes[2]),
        0,
        "dyn Shape (an Origin, zero-sized): {idea}"
    );
    assert_eq!(pointee_size(&7u64), 8);
}

#[test]
fn boxed_str_holds_exactly_its_bytes() {
    let (text, stats) = memprobe::measure(boxed_str);
    assert_eq!(&*text, "fat pointers");
    let measured = stats.live_bytes.max(0) as usize;
    assert_eq!(
        pointee_size(&*text),
        measured,
        "pointee_size of a Box<str>'s text should be the {measured} heap bytes memprobe measured \
         (into_boxed_str shrank the String's 64-byte buffer to the text: a Box<str> has no capacity)"
    );
}

#[test]
fn scene_heap_bytes_match_measured() {
    let (scene, stats) = memprobe::measure(build_scene);
    assert!((scene.total_area() - 24.0 - 30.0 * std::f64::consts::PI).abs() < 1e-9);
    let measured = stats.live_bytes.max(0) as usize;
    let claimed = scene.heap_bytes();
    assert!(
        claimed == measured,
        "a Scene of 4 circles, 4 rects and 3 origins: heap_bytes() says {claimed}, memprobe measured {measured} heap bytes owned\n  \
         idea:     the Vec's block holds `capacity` Box<dyn Shape> fat pointers ({} bytes each); each box's block is the concrete \
         shape's size_of_val, and a zero-sized shape is never allocated",
        size_of::<Box<dyn Shape>>()
    );
}
