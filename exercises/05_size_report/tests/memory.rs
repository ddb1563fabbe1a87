//! The graded contract of `size_report`. Sizes are for 64-bit targets
//! (x86-64 and aarch64 give the same numbers here).
//!
//! Knowing a size is graded, not only asking for it: `ROWS` and `LAYOUT`
//! must hold integer literals. The test reads `src/lib.rs` (with
//! `include_str!`), finds each table's initializer, and accepts only
//! string literals, integer literals and the brackets, parentheses and
//! commas between them; comments are skipped. A `size_of::<T>()`, a
//! constant or any other name in a table fails with the row it is in.
//! Tokenizing the table (instead of searching the file for `size_of`)
//! keeps `size_of` usable elsewhere, in `string_footprint` for example.

use std::hint::black_box;
use std::mem::{align_of, size_of};

use memprobe::inputs::{Rng, SIZES};
use size_report::{Direction, LAYOUT, ROWS, Reading, size_report, string_footprint};

memprobe::install!();

// The graded signatures: a crate whose functions return (or take) other
// types than these, a type whose `==` or methods could say anything, does
// not compile against the tests.
const _: [(&str, usize, usize); 12] = size_report::ROWS;
const _: [(&str, usize); 5] = size_report::LAYOUT;
const _: fn() -> String = size_report::size_report;
const _: fn(&String) -> size_report::Footprint = size_report::string_footprint;
const _: fn(&size_report::Footprint) -> (usize, usize) = |f| (f.inline, f.heap);

/// The exercise's source, read by the test at compile time.
const SOURCE: &str = include_str!("../src/lib.rs");

/// `Reading` as the exercise declares it, owned by the test: the expected
/// numbers come from here, so changing the exercise's `Reading` changes
/// nothing but the check that it was kept.
#[allow(dead_code)]
struct TestReading {
    id: u32,
    value: f64,
    valid: bool,
}

/// The same fields kept in declaration order, as C lays them out.
#[allow(dead_code)]
#[repr(C)]
struct ReadingInOrder {
    id: u32,
    value: f64,
    valid: bool,
}

/// `Direction` as the exercise declares it.
#[allow(dead_code)]
enum TestDirection {
    North,
    East,
    South,
    West,
}

/// Each layout question, its answer, and the idea behind it.
fn layout_answers() -> Vec<(&'static str, usize, &'static str)> {
    vec![
        (
            "Reading in declaration order (#[repr(C)])",
            size_of::<ReadingInOrder>(),
            "alignment: each field starts at a multiple of its own alignment, and the size is rounded up to the largest one",
        ),
        (
            "padding bytes in Reading",
            size_of::<TestReading>() - size_of::<u32>() - size_of::<f64>() - size_of::<bool>(),
            "padding: Rust reorders the fields (largest alignment first), then rounds the size up to a multiple of 8",
        ),
        (
            "Option<u64>",
            size_of::<Option<u64>>(),
            "no niche: every bit pattern of a u64 is a number, so None needs a tag, padded to the u64's alignment",
        ),
        (
            "Option<char>",
            size_of::<Option<char>>(),
            "niche: a char is never above 0x10FFFF, so None is stored as such a value, with no tag",
        ),
        (
            "Option<Option<bool>>",
            size_of::<Option<Option<bool>>>(),
            "niche: a bool uses only 0 and 1, so both Nones fit in the same byte",
        ),
    ]
}

/// A token of Rust source, as far as the tables need.
#[derive(Debug, PartialEq)]
enum Token {
    /// A string literal.
    Str,
    /// An integer literal.
    Int,
    /// A name (an identifier, a keyword, a path segment).
    Name(String),
    /// Any other character.
    Punct(char),
}

/// Tokenizes `src`, skipping whitespace and comments; each token comes with
/// its line number.
fn tokens(src: &str) -> Vec<(Token, usize)> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                line += usize::from(chars[i] == '\n');
                i += 1;
            }
            i += 2;
        } else if c == '"' {
            out.push((Token::Str, line));
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                line += usize::from(chars[i] == '\n');
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let text: String = chars[start..i].iter().filter(|&&c| c != '_').collect();
            let digits = text.trim_end_matches("usize");
            if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
                out.push((Token::Int, line));
            } else {
                out.push((Token::Name(text), line));
            }
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push((Token::Name(chars[start..i].iter().collect()), line));
        } else {
            out.push((Token::Punct(c), line));
            i += 1;
        }
    }
    out
}

/// Checks that the initializer of `const NAME` in the exercise's source
/// holds only literals: `[("name", 1, 1), ...]`.
fn assert_literal_table(name: &str) {
    let toks = tokens(SOURCE);
    let at = toks
        .windows(2)
        .position(|w| w[0].0 == Token::Name("const".into()) && w[1].0 == Token::Name(name.into()))
        .unwrap_or_else(|| {
            panic!("no `const {name}` found in src/lib.rs: keep the table there, as a `pub const`")
        });
    let eq = at
        + toks[at..]
            .iter()
            .position(|t| t.0 == Token::Punct('='))
            .unwrap_or_else(|| panic!("`const {name}` has no `=` in src/lib.rs"));
    for (token, line) in toks[eq + 1..].iter() {
        match token {
            Token::Punct(';') => return,
            Token::Str | Token::Int => {}
            Token::Punct('[' | ']' | '(' | ')' | ',') => {}
            Token::Name(word) => panic!(
                "src/lib.rs:{line}: `{name}` uses `{word}`; state each size as a number (an integer literal such as 24)\n  idea:     predicting a size is the skill: work it out from the fields, their alignment and niches, then write the number (size_of::<T>() is how you check it, not the answer)"
            ),
            Token::Punct(other) => panic!(
                "src/lib.rs:{line}: `{name}` holds `{other}`; write the table as plain literals, such as (\"String\", 24, 8)"
            ),
        }
    }
    panic!("`const {name}` in src/lib.rs does not end with `;`");
}

/// One report line, rendered the way the report must render it.
fn line<T>(name: &str) -> String {
    format!(
        "{name}: size {}, align {}\n",
        size_of::<T>(),
        align_of::<T>()
    )
}

/// The report as the compiler sees it.
fn true_report() -> String {
    [
        line::<u8>("u8"),
        line::<u64>("u64"),
        line::<bool>("bool"),
        line::<char>("char"),
        line::<&str>("&str"),
        line::<String>("String"),
        line::<Vec<u64>>("Vec<u64>"),
        line::<Box<[u8]>>("Box<[u8]>"),
        line::<Option<Box<u8>>>("Option<Box<u8>>"),
        line::<(u8, u32)>("(u8, u32)"),
        line::<TestReading>("Reading"),
        line::<TestDirection>("Direction"),
    ]
    .concat()
}

/// A String of 100 bytes in a buffer of 128.
fn hundred_bytes_in_128() -> String {
    let mut s = String::with_capacity(128);
    for _ in 0..100 {
        s.push('x');
    }
    s
}

/// Builds `s` in a memprobe window and checks `string_footprint` against
/// the String's size and the heap bytes the window saw it keep.
#[track_caller]
fn check_footprint(what: &str, build: impl FnOnce() -> String) {
    let (s, stats) = memprobe::measure(build);
    // (inline, heap) as plain numbers, never through Footprint's PartialEq.
    let measured = (size_of::<String>(), stats.live_bytes.max(0) as usize);
    let answer = string_footprint(black_box(&s));
    assert_eq!(
        (answer.inline, answer.heap),
        measured,
        "{what} ({} bytes of text): memprobe measured {} heap bytes; the String value itself is {} bytes \
         (pointer, capacity, length) and the heap block is its capacity, not its length, used or not",
        s.len(),
        stats.live_bytes,
        size_of::<String>()
    );
}

#[test]
fn report_lists_every_type_once() {
    let names: Vec<String> = size_report()
        .lines()
        .map(|l| l.split(": ").next().unwrap_or("").to_string())
        .collect();
    let expected: Vec<String> = true_report()
        .lines()
        .map(|l| l.split(": ").next().unwrap_or("").to_string())
        .collect();
    assert_eq!(names, expected);
    // The types of the report stay as the exercise declares them.
    assert_eq!(
        (
            size_of::<Reading>(),
            align_of::<Reading>(),
            size_of::<Direction>()
        ),
        (
            size_of::<TestReading>(),
            align_of::<TestReading>(),
            size_of::<TestDirection>()
        ),
        "keep `Reading` and `Direction` as they are: the report is about them"
    );
    let rows: Vec<&str> = ROWS.iter().map(|r| r.0).collect();
    assert_eq!(rows, expected, "ROWS: one row per type, in this order");
    let questions: Vec<&str> = LAYOUT.iter().map(|r| r.0).collect();
    let asked: Vec<&str> = layout_answers().iter().map(|a| a.0).collect();
    assert_eq!(
        questions, asked,
        "LAYOUT: the questions as given, in this order"
    );
}

#[test]
fn rows_state_the_sizes_as_numbers() {
    let want: Vec<(String, usize, usize)> = true_report()
        .lines()
        .map(|l| {
            let (name, rest) = l.split_once(": size ").unwrap();
            let (size, align) = rest.split_once(", align ").unwrap();
            (
                name.to_string(),
                size.parse().unwrap(),
                align.parse().unwrap(),
            )
        })
        .collect();
    let got: Vec<(String, usize, usize)> = ROWS
        .iter()
        .map(|&(name, size, align)| (name.to_string(), size, align))
        .collect();
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(
            g, w,
            "ROWS: (name, size, align) of {} on a 64-bit target\n  idea:     no object header: the fields plus padding up to the alignment; a handle (String, Vec, Box) counts its pointer, capacity and length, not its heap block",
            w.0
        );
    }
    assert_eq!(got.len(), want.len(), "ROWS: one row per type");
    assert_literal_table("ROWS");
}

#[test]
fn layout_answers_explain_padding_and_niches() {
    for ((question, answer), (asked, want, idea)) in LAYOUT.iter().zip(layout_answers()) {
        assert_eq!(
            (*question, *answer),
            (asked, want),
            "LAYOUT: {asked} (64-bit target)\n  idea:     {idea}"
        );
    }
    assert_eq!(
        LAYOUT.len(),
        layout_answers().len(),
        "LAYOUT: one answer per question"
    );
    assert_literal_table("LAYOUT");
}

#[test]
fn report_matches_size_of_and_align_of() {
    // Left: your report. Right: size_of and align_of on a 64-bit target.
    assert_eq!(
        size_report(),
        true_report(),
        "a Rust value has no object header: its size is its fields plus padding up to its alignment; \
         heap parts are not counted (size_of::<String>() is the same for any text)"
    );
}

#[test]
fn string_footprint_matches_measured_heap() {
    check_footprint(
        "a String of 100 bytes with capacity 128",
        hundred_bytes_in_128,
    );
    check_footprint("String::new()", String::new);
    check_footprint("an empty String::with_capacity(50)", || {
        String::with_capacity(50)
    });
    check_footprint("String::from(\"größe\")", || {
        String::from(black_box("größe"))
    });
    check_footprint("\"ab\".repeat(150)", || black_box("ab").repeat(150));
    check_footprint("a String of 1,000 pushes, then shrink_to_fit", || {
        let mut s = String::new();
        for _ in 0..1_000 {
            s.push(black_box('y'));
        }
        s.shrink_to_fit();
        s
    });
    // Seeded text of every size in SIZES, with non-ASCII words, in buffers
    // with 0 to 37 bytes to spare.
    let mut rng = Rng::new(5);
    for n in SIZES {
        let spare = rng.range(0..=37);
        let words = rng.words(n, 1..=7, true);
        let text: String = words.concat();
        check_footprint(
            &format!("{} words in a buffer with {spare} bytes to spare", n),
            || {
                let mut s = String::with_capacity(text.len() + spare);
                s.push_str(&text);
                s
            },
        );
    }
}
