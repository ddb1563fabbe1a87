//! Mutant: every row asks the compiler (`size_of::<T>()`, `align_of::<T>()` are `const fn`) instead of stating the size: the numbers are right, but nothing shows the layout was understood.

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
/// One row: a type's name, its size and its alignment.
macro_rules! row {
    ($name:literal, $t:ty) => {
        ($name, size_of::<$t>(), align_of::<$t>())
    };
}

pub const ROWS: [(&str, usize, usize); 12] = [
    row!("u8", u8),
    row!("u64", u64),
    row!("bool", bool),
    row!("char", char),
    row!("&str", &str),
    row!("String", String),
    row!("Vec<u64>", Vec<u64>),
    row!("Box<[u8]>", Box<[u8]>),
    row!("Option<Box<u8>>", Option<Box<u8>>),
    row!("(u8, u32)", (u8, u32)),
    row!("Reading", Reading),
    row!("Direction", Direction),
];

/// `Reading` with its fields in declaration order.
#[repr(C)]
struct ReadingInOrder {
    _id: u32,
    _value: f64,
    _valid: bool,
}

/// Layout questions, each answered by asking the compiler.
pub const LAYOUT: [(&str, usize); 5] = [
    ("Reading in declaration order (#[repr(C)])", size_of::<ReadingInOrder>()),
    ("padding bytes in Reading", size_of::<Reading>() - 4 - 8 - 1),
    ("Option<u64>", size_of::<Option<u64>>()),
    ("Option<char>", size_of::<Option<char>>()),
    ("Option<Option<bool>>", size_of::<Option<Option<bool>>>()),
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
        inline: size_of::<String>(),
        // The allocated buffer is `capacity` bytes, used or not.
        heap: s.capacity(),
    }
}
