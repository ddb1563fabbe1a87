use super::*;

fn names(text: &str) -> Vec<(u32, String)> {
    scan(text).into_iter().map(|(l, c)| (l, c.name())).collect()
}

#[test]
fn each_construct_is_flagged_on_its_line() {
    let text = r#"use std::fs;
use std::{io, env};
fn f() { std::process::exit(0); }
fn g() { let _ = std::net::TcpStream::connect("x"); }
fn h() { std::panic::set_hook(Box::new(|_| {})); }
const A: &str = include_str!("../../02/src/x.rs");
include!("../../02_release_early/src/helper.rs");
#[path = "../../x.rs"]
mod x;
extern crate alloc;
extern "C" { }
static BIG: [u64; 6 << 20] = [0; 6 << 20];
use std::alloc::{Layout, System};
fn t<'a, 'b, T>(_: &'a &'b (), v: &'b T) -> &'a T { v }
const E: Option<&str> = option_env!("HOME");
fn s() { std::thread::Builder::new().stack_size(1 << 30); }
"#;
    assert_eq!(
        names(text),
        vec![
            (1, "std::fs".into()),
            (2, "std::env".into()),
            (3, "std::process".into()),
            (4, "std::net".into()),
            (5, "panic::set_hook".into()),
            (6, "include_str!".into()),
            (7, "include!".into()),
            (8, "#[path]".into()),
            (10, "extern".into()),
            (11, "extern".into()),
            (12, "large static".into()),
            (13, "std::alloc::System".into()),
            (14, "&'a &'b (rust-lang/rust#25860)".into()),
            (15, "option_env!".into()),
            (16, "thread stack_size".into()),
        ]
    );
}

#[test]
fn comments_strings_and_honest_code_raise_nothing() {
    let text = r##"//! Uses std::fs? No: include!("x") is only in this comment.
/* std::env::args() and #[path = "x"] in a block comment /* nested */ */
/// Doc: `static X: [u8; 1 << 30]`, &'a &'b ().
pub fn join(words: &[&str]) -> String {
    let s = "std::process::exit(0); include!(\"y\")";
    let r = r#"extern "C" { } panic::set_hook"#;
    let c = '#';
    let _ = (s, r, c);
    words.join(" ")
}
fn longest<'a>(a: &'a str, _b: &'a &'a str) -> &'a str { a }
static SMALL: [u8; 1024] = [0; 1024];
static NAME: &'static str = "x";
fn pointer(f: extern "C" fn()) { let _ = f; }
fn env_var_is_a_name(env: u8, fs: u8) -> u8 { env + fs }
"##;
    assert_eq!(names(text), Vec::<(u32, String)>::new());
}

#[test]
fn statics_are_sized_through_wrappers_nested_arrays_and_arithmetic() {
    let flags = scan(
        "static A: Mutex<[[u16; 256]; 1024]> = todo!();\n\
         static mut B: [Rec; 100_000] = [Rec::ZERO; 100_000];\n\
         static C: [u8; N] = [0; N];\n\
         thread_local! { static D: [u64; (1 << 13) + 1] = [0; (1 << 13) + 1]; }\n",
    );
    assert_eq!(
        flags,
        vec![
            (1, Construct::LargeStatic(Some(2 * 256 * 1024))),
            (2, Construct::LargeStatic(Some(100_000))),
            (3, Construct::LargeStatic(None)),
            (4, Construct::LargeStatic(Some(8 * 8193))),
        ]
    );
}

#[test]
fn renamed_std_and_crate_attributes_are_flagged() {
    assert_eq!(
        names(
            "#![allow(unsafe_code)]\n#![feature(allocator_api)]\nuse std as s;\nextern crate std as t;\n#![allow(dead_code)]\n"
        ),
        vec![
            (1, "#![allow unsafe_code]".into()),
            (2, "#![feature allocator_api]".into()),
            (3, "std renamed".into()),
            (4, "std renamed".into()),
        ]
    );
}

#[test]
fn a_file_that_does_not_lex_is_flagged_not_skipped() {
    let flags = names("fn f() {\n  let s = \"unterminated;\n}\n");
    assert_eq!(flags.len(), 1, "{flags:?}");
    assert_eq!(flags[0].1, "unscannable file");
}

#[test]
fn a_directory_is_scanned_file_by_file_with_paths_shown() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("parse")).unwrap();
    std::fs::write(dir.path().join("lib.rs"), "mod parse;\n").unwrap();
    std::fs::write(dir.path().join("parse/mod.rs"), "\n\nuse std::fs;\n").unwrap();
    let flags = scan_dir(dir.path(), Path::new("exercises/01_join_words/src"));
    assert_eq!(
        flags,
        vec![ReviewFlag {
            file: "exercises/01_join_words/src/parse/mod.rs".into(),
            line: 3,
            construct: "std::fs".into(),
            why: Construct::StdModule("fs").why(),
        }]
    );
}
