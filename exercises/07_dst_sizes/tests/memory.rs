//! The graded contract of `dst_sizes`. Sizes are for 64-bit targets.
//!
//! `heap_bytes()` is checked against what memprobe measured, and the Scene's
//! structure is checked directly too (`scene_is_a_vec_of_boxes`), so a
//! wasteful layout that `heap_bytes()` counts honestly still fails.

use std::hint::black_box;
use std::mem::size_of;

use dst_sizes::{Circle, Origin, Rect, Scene, Shape, pointee_size, reference_size};
use memprobe::inputs::{Rng, SIZES};
use memprobe::{Budget, Metric};

memprobe::install!();

// The graded signatures: a crate whose functions return (or take) other
// types than these, a type whose `==` or methods could say anything, does
// not compile against the tests.
const _: fn(&str) -> usize = dst_sizes::reference_size::<str>;
const _: fn(&str) -> usize = dst_sizes::pointee_size::<str>;
const _: fn() -> dst_sizes::Scene = dst_sizes::Scene::new;
const _: fn(usize) -> dst_sizes::Scene = dst_sizes::Scene::with_capacity;
const _: fn(&mut dst_sizes::Scene, Box<dyn dst_sizes::Shape>) = dst_sizes::Scene::add;
const _: fn(&dst_sizes::Scene) -> f64 = dst_sizes::Scene::total_area;
const _: fn(&dst_sizes::Scene) -> usize = dst_sizes::Scene::heap_bytes;
const _: fn(&dst_sizes::Circle) -> f64 = <dst_sizes::Circle as dst_sizes::Shape>::area;

/// A String with spare capacity turned into a `Box<str>`.
fn boxed_str() -> Box<str> {
    let mut s = String::with_capacity(64);
    s.push_str(black_box("fat pointers"));
    s.into_boxed_str()
}

/// A shape the crate has never seen: 12 bytes, aligned to 4.
struct Triangle {
    a: f32,
    b: f32,
    c: f32,
}

impl Shape for Triangle {
    fn area(&self) -> f64 {
        // Heron's formula.
        let (a, b, c) = (f64::from(self.a), f64::from(self.b), f64::from(self.c));
        let s = (a + b + c) / 2.0;
        (s * (s - a) * (s - b) * (s - c)).sqrt()
    }
}

/// Another one: a single byte.
struct Tag(u8);

impl Shape for Tag {
    fn area(&self) -> f64 {
        f64::from(self.0)
    }
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

/// A scene of `n` shapes of five kinds (two the crate does not know), picked
/// from `seed`, added one by one to a scene made with room for `room`
/// shapes (`None`: `Scene::new()`); returns it with the expected total area.
fn random_scene(n: usize, room: Option<usize>, seed: u64) -> (Scene, f64) {
    let mut rng = Rng::new(seed);
    let mut scene = room.map_or_else(Scene::new, Scene::with_capacity);
    let mut area = 0.0;
    for _ in 0..n {
        let x = rng.range(1..=9) as f64;
        let shape: Box<dyn Shape> = match rng.below(5) {
            0 => Box::new(Circle { r: x }),
            1 => Box::new(Rect { w: x, h: 2.0 }),
            2 => Box::new(Origin),
            3 => Box::new(Triangle {
                a: 3.0,
                b: 4.0,
                c: 5.0,
            }),
            _ => Box::new(Tag(x as u8)),
        };
        area += shape.area();
        scene.add(shape);
    }
    (scene, area)
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
    let words = vec![String::from("größe"); 3];
    let boxed: Box<dyn Shape> = Box::new(Triangle {
        a: 1.0,
        b: 1.0,
        c: 1.0,
    });
    assert_eq!(reference_size(""), 16, "&str (empty): {idea}");
    assert_eq!(reference_size(&words[..]), 16, "&[String]: {idea}");
    assert_eq!(
        reference_size(&*boxed),
        16,
        "&dyn Shape (a Triangle): {idea}"
    );
    assert_eq!(
        reference_size(&boxed),
        8,
        "&Box<dyn Shape>: a reference to the Box itself is thin, the Box is the fat one"
    );
    assert_eq!(
        reference_size(&words),
        8,
        "&Vec<String>: a Vec is sized, so its reference is thin"
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
    assert_eq!(pointee_size(""), 0, "an empty str: {idea}");
    assert_eq!(
        pointee_size("日本語🦀"),
        13,
        "str \"日本語🦀\" (UTF-8 bytes, not characters): {idea}"
    );
    assert_eq!(
        pointee_size(&[u64::MAX; 17][..]),
        136,
        "[u64] of 17: {idea}"
    );
    assert_eq!(pointee_size(&[(); 5][..]), 0, "[()] of 5: {idea}");
    let words = vec![String::from("größe"); 3];
    assert_eq!(
        pointee_size(&words[..]),
        72,
        "[String] of 3 (the handles, not the text): {idea}"
    );
    assert_eq!(pointee_size(&words), 24, "a Vec<String> itself: {idea}");
    let odd: [&dyn Shape; 2] = [
        &Triangle {
            a: 3.0,
            b: 4.0,
            c: 5.0,
        },
        &Tag(1),
    ];
    assert_eq!(pointee_size(odd[0]), 12, "dyn Shape (a Triangle): {idea}");
    assert_eq!(pointee_size(odd[1]), 1, "dyn Shape (a Tag): {idea}");
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
    // Seeded non-ASCII text of every size in SIZES, with spare capacity.
    let mut rng = Rng::new(7);
    for n in SIZES {
        let text: String = rng.words(n, 1..=8, true).concat();
        let spare = rng.range(1..=50);
        let (boxed, stats) = memprobe::measure(|| {
            let mut s = String::with_capacity(text.len() + spare);
            s.push_str(black_box(&text));
            s.into_boxed_str()
        });
        assert_eq!(&*boxed, text);
        memprobe::enforce(
            Metric::LiveBytes,
            Budget::Exactly(pointee_size(&*boxed)),
            &stats,
            &format!(
                "a Box<str> of {n} words ({} bytes) from a String with {spare} spare bytes",
                text.len()
            ),
            "pointee_size must be the text's byte length: the heap block of a Box<str> is exactly that",
        );
    }
}

#[test]
fn scene_heap_bytes_match_measured() {
    let (scene, stats) = memprobe::measure(build_scene);
    assert!((scene.total_area() - 24.0 - 30.0 * std::f64::consts::PI).abs() < 1e-9);
    let idea = format!(
        "the Vec's block holds `capacity` Box<dyn Shape> fat pointers ({} bytes each), used or not; each box's block is the \
         concrete shape's size_of_val, and a zero-sized shape is never allocated",
        size_of::<Box<dyn Shape>>()
    );
    let what = "a Scene of 4 circles, 4 rects and 3 origins";
    let claimed = scene.heap_bytes();
    memprobe::enforce(
        Metric::LiveBytes,
        Budget::Exactly(claimed),
        &stats,
        &format!("{what} (heap_bytes() says {claimed})"),
        &idea,
    );
    // Grown by `add` from `Scene::new()`, and made with room to spare (a
    // capacity that is not a power of two), or with room for fewer shapes
    // than it gets.
    let configs = SIZES.into_iter().map(|n| (n, None)).chain([
        (0, Some(13)),
        (6, Some(6)),
        (40, Some(57)),
        (100, Some(30)),
        (255, Some(300)),
    ]);
    for (i, (n, room)) in configs.enumerate() {
        let ((scene, area), stats) =
            memprobe::measure(|| random_scene(black_box(n), room, 70 + i as u64));
        assert!(
            (scene.total_area() - area).abs() < 1e-6,
            "a scene of {n} shapes: total_area"
        );
        let claimed = scene.heap_bytes();
        memprobe::enforce(
            Metric::LiveBytes,
            Budget::Exactly(claimed),
            &stats,
            &format!(
                "a seeded Scene of {n} shapes of 5 kinds, made with room for {room:?} (heap_bytes() says {claimed})"
            ),
            &idea,
        );
    }
}

/// `n` shapes of the five kinds from `seed`, made before any window opens,
/// with the bytes of each one's own heap block (its `size_of_val`, 0 for a
/// zero-sized shape) as the test computes them.
fn shapes(n: usize, seed: u64) -> (Vec<Box<dyn Shape>>, usize) {
    let mut rng = Rng::new(seed);
    let mut bytes = 0;
    let shapes = (0..n)
        .map(|_| {
            let x = rng.range(1..=9) as f64;
            let (shape, size): (Box<dyn Shape>, usize) = match rng.below(5) {
                0 => (Box::new(Circle { r: x }), size_of::<Circle>()),
                1 => (Box::new(Rect { w: x, h: 2.0 }), size_of::<Rect>()),
                2 => (Box::new(Origin), 0),
                3 => (
                    Box::new(Triangle {
                        a: 3.0,
                        b: 4.0,
                        c: 5.0,
                    }),
                    size_of::<Triangle>(),
                ),
                _ => (Box::new(Tag(x as u8)), size_of::<Tag>()),
            };
            bytes += size;
            shape
        })
        .collect();
    (shapes, bytes)
}

#[test]
fn scene_is_a_vec_of_boxes() {
    // The structure itself, measured by the test (not through heap_bytes()):
    // a Vec of Box<dyn Shape> inline in the Scene, with no box around the
    // Vec, no Rc around the shapes, nothing reserved ahead by `new()`, and
    // no reallocation per `add` (64-bit: a fat Box is 16 bytes).
    const SLOT: usize = 16;
    assert_eq!(size_of::<Box<dyn Shape>>(), SLOT);
    assert!(
        size_of::<Scene>() <= 24,
        "size_of::<Scene>() is {} bytes: a Scene is its Vec (24 bytes), nothing more",
        size_of::<Scene>()
    );
    let (scene, stats) = memprobe::measure(Scene::new);
    memprobe::enforce(
        Metric::BytesAllocated,
        Budget::Exactly(0),
        &stats,
        "Scene::new()",
        "an empty Vec allocates nothing: no Box around it, no room reserved ahead",
    );
    drop(scene);
    for (i, (n, room)) in [(0, 1), (1, 1), (7, 13), (57, 57), (200, 300)]
        .into_iter()
        .enumerate()
    {
        let seed = 700 + i as u64;
        let (mut scene, stats) = memprobe::measure(|| Scene::with_capacity(black_box(room)));
        memprobe::enforce(
            Metric::BytesAllocated,
            Budget::Exactly(room * SLOT),
            &stats,
            &format!("Scene::with_capacity({room})"),
            "one block of `room` fat pointers (16 bytes each), and nothing else",
        );
        let (shapes, boxed) = shapes(n, seed);
        let ((), added) = memprobe::measure(|| {
            for shape in shapes {
                scene.add(black_box(shape));
            }
        });
        memprobe::enforce(
            Metric::Allocations,
            Budget::Exactly(0),
            &added,
            &format!("{n} adds to Scene::with_capacity({room}) (seed {seed})"),
            "add moves the Box into a slot that is already there: no Rc to build, no shrink_to_fit after each add",
        );
        let ((), dropped) = memprobe::measure(move || drop(scene));
        let freed = (-dropped.live_bytes).max(0) as usize;
        assert_eq!(
            freed,
            room * SLOT + boxed,
            "dropping a Scene::with_capacity({room}) of {n} shapes (seed {seed}) freed {freed} bytes; a Vec of {room} Box<dyn Shape> and the shapes' own blocks are {} bytes",
            room * SLOT + boxed
        );
    }
    // Grown from Scene::new(): the Vec's doublings, not one reallocation
    // per add.
    for (i, n) in [5, 100, 255, 4_097].into_iter().enumerate() {
        let seed = 800 + i as u64;
        let (shapes, _) = shapes(n, seed);
        let mut scene = Scene::new();
        let ((), grown) = memprobe::measure(|| {
            for shape in shapes {
                scene.add(black_box(shape));
            }
        });
        let doublings = (usize::BITS - n.leading_zeros()) as usize;
        memprobe::enforce(
            Metric::Allocations,
            Budget::AtMost(doublings + 1),
            &grown,
            &format!("{n} adds to Scene::new() (seed {seed})"),
            "let the Vec grow by doubling (push): shrinking after every add reallocates every time",
        );
        assert!(
            scene.total_area().is_finite(),
            "a scene of {n} shapes has an area"
        );
    }
}
