//! How big is a value? A table of sizes, and the two parts of a `String`.
//!
//! Sizes here are for 64-bit targets (where a pointer and a `usize` are 8
//! bytes).
//!
//! The numbers are written out by hand, with the reason for each; asking the
//! compiler (`size_of::<String>()`) gives the same table.

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
    ("u8", 1, 1),
    ("u64", 8, 8),
    // One byte, 0 or 1.
    ("bool", 1, 1),
    // Any Unicode scalar value, as a u32.
    ("char", 4, 4),
    // A fat pointer: address + length.
    ("&str", 16, 8),
    // Pointer + capacity + length; the text lives on the heap.
    ("String", 24, 8),
    // Same three words as String.
    ("Vec<u64>", 24, 8),
    // Pointer + length: no capacity, the size is exact.
    ("Box<[u8]>", 16, 8),
    // A Box is never null, so None is the null pointer: no tag needed.
    ("Option<Box<u8>>", 8, 8),
    // 1 byte, 3 bytes of padding so the u32 sits on a multiple of 4.
    ("(u8, u32)", 8, 4),
    // f64 + u32 + bool = 13 bytes, reordered and padded to a multiple of 8.
    ("Reading", 16, 8),
    // Four variants without data: a one-byte tag.
    ("Direction", 1, 1),
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
    // u32 (4), 4 bytes of padding so the f64 sits on a multiple of 8, f64 (8), bool (1), 7 bytes of padding: 24.
    ("Reading in declaration order (#[repr(C)])", 24),
    // 16 bytes for 4 + 8 + 1 bytes of fields: 3 bytes of padding after the bool.
    ("padding bytes in Reading", 3),
    // No spare bit pattern in a u64 (no niche): a tag, padded to the u64's alignment, then the u64.
    ("Option<u64>", 16),
    // 0x110000 and up are never a char: None is one of them (a niche), no tag.
    ("Option<char>", 4),
    // A bool only uses 0 and 1: the inner None is 2, the outer None 3, all in one byte.
    ("Option<Option<bool>>", 1),
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
#[allow(clippy::ptr_arg)] // a `&str` could not tell the buffer's capacity
pub fn string_footprint(s: &String) -> Footprint {
    Footprint {
        // Always three words, whatever the text.
        inline: size_of_val(s),
        // The allocated buffer is `capacity` bytes, used or not.
        heap: s.capacity(),
    }
}
