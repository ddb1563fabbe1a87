//! How big is a value? A table of sizes, and the two parts of a `String`.
//!
//! Sizes here are for 64-bit targets (where a pointer and a `usize` are 8
//! bytes).
//!
//! The numbers in `ROWS` below are what Python's `sys.getsizeof` reports for
//! the nearest Python value (an `int`, a `str`, a `list`, ...), with every
//! alignment guessed as one machine word. Rust values carry no object header
//! and no reference count, so most of them are wrong. Replace them with the
//! real `size_of` and `align_of` of each Rust type, and answer the layout
//! questions in `LAYOUT`, as numbers.

/// A small struct for the report.
pub struct Reading {
    pub id: u32,
    pub value: f64,
    pub valid: bool,
}

/// A small enum for the report.
pub enum Direction {
    North,
    East,
    South,
    West,
}

/// One row per type: its name as shown in the report, then its size
/// (`size_of`) and its alignment (`align_of`), in bytes, on a 64-bit target.
/// Write them as integer literals: the test reads this table in the source,
/// so `size_of::<T>()` here does not count as knowing.
pub const ROWS: [(&str, usize, usize); 12] = [
    ("u8", 28, 8),              // Python: sys.getsizeof(1)
    ("u64", 28, 8),             // Python: sys.getsizeof(1)
    ("bool", 28, 8),            // Python: sys.getsizeof(True)
    ("char", 50, 8),            // Python: sys.getsizeof("a")
    ("&str", 54, 8),            // Python: sys.getsizeof("hello")
    ("String", 54, 8),          // Python: sys.getsizeof("hello")
    ("Vec<u64>", 56, 8),        // Python: sys.getsizeof([])
    ("Box<[u8]>", 33, 8),       // Python: sys.getsizeof(b"")
    ("Option<Box<u8>>", 16, 8), // Python: sys.getsizeof(None)
    ("(u8, u32)", 56, 8),       // Python: sys.getsizeof((1, 2))
    ("Reading", 56, 8),         // Python: an instance of a small class
    ("Direction", 56, 8),       // Python: an enum member
];

/// Layout questions, answered with numbers (64-bit target). Each row is a
/// question, then its answer in bytes. Write the answers as integer
/// literals: the test reads this table in the source, so
/// `size_of::<T>()` here does not count as knowing.
///
/// - `Reading`, if its fields stayed in declaration order (`#[repr(C)]`):
///   its size. Rust may reorder a struct's fields; C may not.
/// - padding bytes inside `Reading` (as Rust lays it out): its size minus
///   the bytes of its fields.
/// - `Option<u64>`: its size. Every `u64` bit pattern is a valid number.
/// - `Option<char>`: its size. A `char` is at most `0x10FFFF`.
/// - `Option<Option<bool>>`: its size. A `bool` is 0 or 1.
pub const LAYOUT: [(&str, usize); 5] = [
    // Guesses that ignore alignment and niches: the fields added up, no
    // padding, and one more byte for every Option's tag.
    ("Reading in declaration order (#[repr(C)])", 13),
    ("padding bytes in Reading", 0),
    ("Option<u64>", 9),
    ("Option<char>", 5),
    ("Option<Option<bool>>", 3),
];

/// The size report: one line per type, in the order of `ROWS`, each like
/// `String: size 24, align 8`, every line ending in a newline.
pub fn size_report() -> String {
    let mut report = String::new();
    for (name, size, align) in ROWS {
        report.push_str(&format!("{name}: size {size}, align {align}\n"));
    }
    report
}

/// The two parts of a value that owns heap memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Footprint {
    /// Bytes of the value itself (on the stack, or inline in its container).
    pub inline: usize,
    /// Bytes of the heap block the value owns (0 when it owns none).
    pub heap: usize,
}

/// The footprint of a `String`: its inline part and the heap buffer it owns.
///
/// This version answers like Python's `sys.getsizeof` for an ASCII `str`:
/// 49 bytes of header plus one byte per character, all in one object.
#[allow(clippy::ptr_arg)] // a `&str` could not tell the buffer's capacity
pub fn string_footprint(s: &String) -> Footprint {
    Footprint {
        inline: 49 + s.len(),
        heap: 0,
    }
}
