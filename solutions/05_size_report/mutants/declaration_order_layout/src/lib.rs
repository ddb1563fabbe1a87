//! Mutant: lays out `Reading` in declaration order (u32, pad, f64, bool, pad) and gives `Option<Box<u8>>` a tag word.
//! Family: wrong output on an edge case (field reordering and the null-pointer niche).

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
const ROWS: [(&str, usize, usize); 12] = [
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
    // A tag word for Some/None, then the pointer.
    ("Option<Box<u8>>", 16, 8),
    // 1 byte, 3 bytes of padding so the u32 sits on a multiple of 4.
    ("(u8, u32)", 8, 4),
    // f64 + u32 + bool = 13 bytes, reordered and padded to a multiple of 8.
    ("Reading", 24, 8),
    // Four variants without data: a one-byte tag.
    ("Direction", 1, 1),
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
