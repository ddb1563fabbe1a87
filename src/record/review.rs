//! Review flags of the grade of record: constructs a memory course never
//! needs, found in a fork's exercise sources, listed with file and line for
//! a person to look at. A flag never changes a grade.
//!
//! The scan is token-level over proc-macro2's lexer, so comments, string and
//! character literals never raise a flag, and a doc comment's text is a
//! literal too. It does not resolve names: `use std as s; s::fs::read(..)`
//! is caught by the renamed `std`, not by the path.

use std::path::Path;

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

use crate::pipeline::grade::ReviewFlag;

/// A static whose array data reaches this many bytes is flagged.
pub const LARGE_STATIC_BYTES: u128 = 64 * 1024;

/// What a flag is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Construct {
    /// `std::fs`, `std::env`, `std::process` or `std::net` (the module).
    StdModule(&'static str),
    /// `std` under another name (`use std as s`, `extern crate std as s`).
    StdRenamed,
    /// `panic::set_hook` or `take_hook`.
    PanicHook,
    /// `include!`, `include_str!`, `include_bytes!`, `env!`, `option_env!`.
    CompileTimeRead(String),
    /// `#[path = ...]`.
    PathAttribute,
    /// An `extern` block or `extern crate`.
    Extern,
    /// A crate attribute about unsafe code, features or the standard library.
    CrateAttribute(String),
    /// `System` or `GlobalAlloc` from `std::alloc`.
    SystemAllocator(&'static str),
    /// A static whose arrays hold at least `bytes` (`None`: a length that is
    /// not a literal expression).
    LargeStatic(Option<u128>),
    /// `&'a &'b _`: the implied-bounds pattern of rust-lang/rust#25860.
    SoundnessHole,
    /// `.stack_size(...)` on a thread builder.
    StackSize,
    /// The file does not lex as Rust.
    Unscannable(String),
}

impl Construct {
    /// The construct as the reports name it.
    pub fn name(&self) -> String {
        match self {
            Construct::StdModule(m) => format!("std::{m}"),
            Construct::StdRenamed => "std renamed".into(),
            Construct::PanicHook => "panic::set_hook".into(),
            Construct::CompileTimeRead(m) => format!("{m}!"),
            Construct::PathAttribute => "#[path]".into(),
            Construct::Extern => "extern".into(),
            Construct::CrateAttribute(a) => format!("#![{a}]"),
            Construct::SystemAllocator(n) => format!("std::alloc::{n}"),
            Construct::LargeStatic(_) => "large static".into(),
            Construct::SoundnessHole => "&'a &'b (rust-lang/rust#25860)".into(),
            Construct::StackSize => "thread stack_size".into(),
            Construct::Unscannable(_) => "unscannable file".into(),
        }
    }

    /// Why a person should look at it.
    pub fn why(&self) -> String {
        match self {
            Construct::StdModule("fs") => "reads or writes files; no exercise needs the file system".into(),
            Construct::StdModule("env") => "reads arguments or the environment (the harness's command line is there)".into(),
            Construct::StdModule("process") => "starts or ends processes; no exercise needs one".into(),
            Construct::StdModule(_) => "opens network connections; no exercise needs one".into(),
            Construct::StdRenamed => "the standard library under another name hides the paths this review looks for".into(),
            Construct::PanicHook => "changes what a failed assertion does".into(),
            Construct::CompileTimeRead(_) => "reads a file or variable when the crate is compiled".into(),
            Construct::PathAttribute => "compiles a module from a path of its choosing".into(),
            Construct::Extern => "links or declares foreign code".into(),
            Construct::CrateAttribute(_) => "changes the rules the crate is compiled under".into(),
            Construct::SystemAllocator(_) => "allocates beside the counting allocator".into(),
            Construct::LargeStatic(Some(b)) => format!(
                "holds {b} bytes in static data, outside the measured heap"
            ),
            Construct::LargeStatic(None) => {
                "a static array whose length is not a literal: check its size by hand".into()
            }
            Construct::SoundnessHole => {
                "the lifetime-extension pattern of a known soundness hole: unsafe operations from safe code".into()
            }
            Construct::StackSize => {
                "asks for a thread stack of its own size: what a stack holds is outside the measured heap".into()
            }
            Construct::Unscannable(e) => format!("could not be scanned ({e})"),
        }
    }
}

/// Review flags of every `.rs` file under `src` (the exercise's `src/` in
/// the private tree), with paths shown as `shown/<relative path>`, in file
/// then line order.
pub fn scan_dir(src: &Path, shown: &Path) -> Vec<ReviewFlag> {
    let mut flags = Vec::new();
    let files = crate::fsutil::walk(src, &[])
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| e.into_path());
    for path in files {
        let rel = path.strip_prefix(src).unwrap_or(&path);
        let file = shown.join(rel).to_string_lossy().into_owned();
        let text = match std::fs::read(&path) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) => {
                flags.push(flag(&file, 0, Construct::Unscannable(e.to_string())));
                continue;
            }
        };
        for (line, construct) in scan(&text) {
            flags.push(flag(&file, line, construct));
        }
    }
    flags
}

fn flag(file: &str, line: u32, c: Construct) -> ReviewFlag {
    ReviewFlag {
        file: file.to_string(),
        line,
        construct: c.name(),
        why: c.why(),
    }
}

/// The flags of one source text: `(line, construct)`, in line order.
pub fn scan(text: &str) -> Vec<(u32, Construct)> {
    let stream: TokenStream = match text.parse() {
        Ok(s) => s,
        Err(e) => {
            let line = e.span().start().line as u32;
            return vec![(line, Construct::Unscannable(e.to_string()))];
        }
    };
    let mut toks = Vec::new();
    flatten(stream, &mut toks);
    let mut found = Vec::new();
    for i in 0..toks.len() {
        if let Some(c) = construct_at(&toks, i) {
            found.push((toks[i].line, c));
        }
    }
    found.sort_by_key(|(line, _)| *line);
    found.dedup();
    found
}

/// One token of the flattened stream.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Ident(String),
    Punct(char, Spacing),
    Literal(String),
    Open(Delimiter),
    Close(Delimiter),
}

#[derive(Debug, Clone)]
struct Tok {
    kind: Kind,
    line: u32,
}

fn flatten(stream: TokenStream, out: &mut Vec<Tok>) {
    for tt in stream {
        let line = tt.span().start().line as u32;
        match tt {
            TokenTree::Ident(i) => out.push(Tok {
                kind: Kind::Ident(i.to_string().trim_start_matches("r#").to_string()),
                line,
            }),
            TokenTree::Punct(p) => out.push(Tok {
                kind: Kind::Punct(p.as_char(), p.spacing()),
                line,
            }),
            TokenTree::Literal(l) => out.push(Tok {
                kind: Kind::Literal(l.to_string()),
                line,
            }),
            TokenTree::Group(g) => {
                let d = g.delimiter();
                out.push(Tok {
                    kind: Kind::Open(d),
                    line: g.span_open().start().line as u32,
                });
                flatten(g.stream(), out);
                out.push(Tok {
                    kind: Kind::Close(d),
                    line: g.span_close().start().line as u32,
                });
            }
        }
    }
}

fn ident(toks: &[Tok], i: usize) -> Option<&str> {
    match &toks.get(i)?.kind {
        Kind::Ident(s) => Some(s),
        _ => None,
    }
}

fn punct(toks: &[Tok], i: usize, c: char) -> bool {
    matches!(toks.get(i).map(|t| &t.kind), Some(Kind::Punct(p, _)) if *p == c)
}

/// `(` at `i`.
fn opens_call(toks: &[Tok], i: usize) -> bool {
    matches!(
        toks.get(i).map(|t| &t.kind),
        Some(Kind::Open(Delimiter::Parenthesis))
    )
}

/// `::` at `i`.
fn path_sep(toks: &[Tok], i: usize) -> bool {
    matches!(
        toks.get(i).map(|t| &t.kind),
        Some(Kind::Punct(':', Spacing::Joint))
    ) && punct(toks, i + 1, ':')
}

/// A lifetime `'name` at `i`: its name.
fn lifetime(toks: &[Tok], i: usize) -> Option<&str> {
    if punct(toks, i, '\'') {
        ident(toks, i + 1)
    } else {
        None
    }
}

fn construct_at(toks: &[Tok], i: usize) -> Option<Construct> {
    let word = ident(toks, i);
    let after_sep = i >= 2 && path_sep(toks, i - 2);
    match word {
        Some("std" | "core") if !after_sep => std_member(toks, i),
        Some("alloc") if after_sep => alloc_member(toks, i),
        Some("set_hook" | "take_hook") if after_sep => Some(Construct::PanicHook),
        Some(m @ ("include" | "include_str" | "include_bytes" | "env" | "option_env"))
            if punct(toks, i + 1, '!') && !after_sep =>
        {
            Some(Construct::CompileTimeRead(m.to_string()))
        }
        Some("extern") => extern_at(toks, i),
        Some("as") if ident(toks, i.wrapping_sub(1)) == Some("std") => Some(Construct::StdRenamed),
        Some("static") if !(i > 0 && punct(toks, i - 1, '\'')) => static_at(toks, i),
        Some("stack_size") if i > 0 && punct(toks, i - 1, '.') && opens_call(toks, i + 1) => {
            Some(Construct::StackSize)
        }
        _ if punct(toks, i, '#') => attribute_at(toks, i),
        _ if punct(toks, i, '&') => hole_at(toks, i),
        _ => None,
    }
}

/// `std::fs` & co. at `i` (`std`), also inside `std::{io, fs}`.
fn std_member(toks: &[Tok], i: usize) -> Option<Construct> {
    if !path_sep(toks, i + 1) {
        return None;
    }
    let members = members_after(toks, i + 3);
    ["fs", "env", "process", "net"]
        .into_iter()
        .find(|m| members.contains(m))
        .map(Construct::StdModule)
}

/// `alloc::System`, `alloc::GlobalAlloc` (also in a brace list).
fn alloc_member(toks: &[Tok], i: usize) -> Option<Construct> {
    if !path_sep(toks, i + 1) {
        return None;
    }
    let members = members_after(toks, i + 3);
    ["System", "GlobalAlloc"]
        .into_iter()
        .find(|m| members.contains(m))
        .map(Construct::SystemAllocator)
}

/// The path segment at `i`, or the first segment of each item of the brace
/// list opening at `i`.
fn members_after(toks: &[Tok], i: usize) -> Vec<&str> {
    match toks.get(i).map(|t| &t.kind) {
        Some(Kind::Ident(s)) => vec![s.as_str()],
        Some(Kind::Open(Delimiter::Brace)) => {
            let mut out = Vec::new();
            let mut depth = 0usize;
            let mut item_start = true;
            for t in &toks[i + 1..] {
                match &t.kind {
                    Kind::Open(_) => depth += 1,
                    Kind::Close(_) if depth == 0 => break,
                    Kind::Close(_) => depth -= 1,
                    Kind::Punct(',', _) if depth == 0 => item_start = true,
                    Kind::Ident(s) if depth == 0 && item_start => {
                        out.push(s.as_str());
                        item_start = false;
                    }
                    _ => item_start = false,
                }
            }
            out
        }
        _ => Vec::new(),
    }
}

/// `extern crate`, `extern { .. }`, `extern "C" { .. }` (not `extern "C" fn`
/// definitions nor `extern` in a function pointer type).
fn extern_at(toks: &[Tok], i: usize) -> Option<Construct> {
    let mut j = i + 1;
    if matches!(toks.get(j).map(|t| &t.kind), Some(Kind::Literal(_))) {
        j += 1;
    }
    match toks.get(j).map(|t| &t.kind) {
        Some(Kind::Open(Delimiter::Brace)) => Some(Construct::Extern),
        Some(Kind::Ident(s)) if s == "crate" => {
            if ident(toks, j + 1) == Some("std") && ident(toks, j + 2) == Some("as") {
                Some(Construct::StdRenamed)
            } else {
                Some(Construct::Extern)
            }
        }
        _ => None,
    }
}

/// `#[path = ..]` and crate attributes (`#![..]`) about unsafe code,
/// features or the standard library.
fn attribute_at(toks: &[Tok], i: usize) -> Option<Construct> {
    let inner = punct(toks, i + 1, '!');
    let open = if inner { i + 2 } else { i + 1 };
    if !matches!(
        toks.get(open).map(|t| &t.kind),
        Some(Kind::Open(Delimiter::Bracket))
    ) {
        return None;
    }
    let first = ident(toks, open + 1)?;
    if first == "path" {
        return Some(Construct::PathAttribute);
    }
    if !inner {
        return None;
    }
    let body: Vec<&str> = toks[open + 1..]
        .iter()
        .take_while(|t| t.kind != Kind::Close(Delimiter::Bracket))
        .filter_map(|t| match &t.kind {
            Kind::Ident(s) => Some(s.as_str()),
            _ => None,
        })
        .collect();
    let about_unsafe = body.iter().any(|w| w.starts_with("unsafe"));
    let flagged = matches!(
        first,
        "feature" | "no_std" | "no_core" | "no_implicit_prelude"
    ) || (about_unsafe && matches!(first, "allow" | "warn" | "expect" | "cfg_attr"));
    flagged.then(|| Construct::CrateAttribute(body.join(" ")))
}

/// `&'a &'b` or `&'a mut &'b` with two different named lifetimes.
fn hole_at(toks: &[Tok], i: usize) -> Option<Construct> {
    let a = lifetime(toks, i + 1)?;
    let mut j = i + 3;
    if ident(toks, j) == Some("mut") {
        j += 1;
    }
    if !punct(toks, j, '&') {
        return None;
    }
    let b = lifetime(toks, j + 1)?;
    (a != b && a != "_" && b != "_").then_some(Construct::SoundnessHole)
}

/// A `static` item at `i` whose type holds at least [`LARGE_STATIC_BYTES`]
/// of arrays, or an array length that is not a literal expression.
fn static_at(toks: &[Tok], i: usize) -> Option<Construct> {
    let mut j = i + 1;
    if ident(toks, j) == Some("mut") {
        j += 1;
    }
    ident(toks, j)?;
    if !punct(toks, j + 1, ':') {
        return None;
    }
    let start = j + 2;
    let rest = &toks[start..];
    let end = top_level(rest, '=')
        .or_else(|| top_level(rest, ';'))
        .unwrap_or(rest.len());
    match type_bytes(&rest[..end]) {
        Some(b) if b >= LARGE_STATIC_BYTES => Some(Construct::LargeStatic(Some(b))),
        Some(_) => None,
        None => Some(Construct::LargeStatic(None)),
    }
}

/// A lower bound of a type's size in bytes as far as its arrays go: a
/// primitive's size, 1 for any other element type, `[T; N]` is `N` times
/// `T`; 0 for a type that is no array. `None` when an array length is not a
/// literal expression.
fn type_bytes(ty: &[Tok]) -> Option<u128> {
    let Some(first) = ty.first() else {
        return Some(0);
    };
    match &first.kind {
        Kind::Open(Delimiter::Bracket) => {
            let close = matching_close(ty, 0)?;
            let inner = &ty[1..close];
            let semi = top_level(inner, ';');
            let Some(semi) = semi else {
                return Some(0); // a slice type
            };
            let elem = type_bytes(&inner[..semi])?.max(1);
            let n = Eval::new(&inner[semi + 1..]).all()?;
            Some(elem.saturating_mul(n))
        }
        Kind::Ident(name) if ty.len() == 1 => Some(primitive_size(name).unwrap_or(0)),
        Kind::Ident(_) | Kind::Punct(..) | Kind::Open(_) => {
            // A wrapper such as `Mutex<[u8; N]>`: the largest array inside.
            let mut best = 0u128;
            for k in 0..ty.len() {
                if ty[k].kind == Kind::Open(Delimiter::Bracket) {
                    let close = matching_close(ty, k)?;
                    best = best.max(type_bytes(&ty[k..=close])?);
                }
            }
            Some(best)
        }
        _ => Some(0),
    }
}

fn primitive_size(name: &str) -> Option<u128> {
    Some(match name {
        "u8" | "i8" | "bool" => 1,
        "u16" | "i16" => 2,
        "u32" | "i32" | "f32" | "char" => 4,
        "u64" | "i64" | "f64" | "usize" | "isize" => 8,
        "u128" | "i128" => 16,
        _ => return None,
    })
}

/// The index of the `Close` matching the `Open` at `open`.
fn matching_close(toks: &[Tok], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (k, t) in toks.iter().enumerate().skip(open) {
        match t.kind {
            Kind::Open(_) => depth += 1,
            Kind::Close(_) => {
                depth -= 1;
                if depth == 0 {
                    return Some(k);
                }
            }
            _ => {}
        }
    }
    None
}

/// The first `c` outside any group.
fn top_level(toks: &[Tok], c: char) -> Option<usize> {
    let mut depth = 0usize;
    for (k, t) in toks.iter().enumerate() {
        match t.kind {
            Kind::Open(_) => depth += 1,
            Kind::Close(_) => depth = depth.saturating_sub(1),
            Kind::Punct(p, _) if p == c && depth == 0 => return Some(k),
            _ => {}
        }
    }
    None
}

/// Integer expressions of literals: `*`, `+`, `-`, `<<`, parentheses.
struct Eval<'a> {
    toks: &'a [Tok],
    at: usize,
}

impl<'a> Eval<'a> {
    fn new(toks: &'a [Tok]) -> Eval<'a> {
        Eval { toks, at: 0 }
    }

    /// The whole expression, `None` unless every token was used.
    fn all(mut self) -> Option<u128> {
        let v = self.shift()?;
        (self.at == self.toks.len()).then_some(v)
    }

    fn shift(&mut self) -> Option<u128> {
        let mut v = self.sum()?;
        while punct(self.toks, self.at, '<') && punct(self.toks, self.at + 1, '<') {
            self.at += 2;
            let by = self.sum()?;
            v = v.checked_shl(u32::try_from(by).ok()?)?;
        }
        Some(v)
    }

    fn sum(&mut self) -> Option<u128> {
        let mut v = self.product()?;
        loop {
            if punct(self.toks, self.at, '+') {
                self.at += 1;
                v = v.saturating_add(self.product()?);
            } else if punct(self.toks, self.at, '-') {
                self.at += 1;
                v = v.saturating_sub(self.product()?);
            } else {
                return Some(v);
            }
        }
    }

    fn product(&mut self) -> Option<u128> {
        let mut v = self.atom()?;
        while punct(self.toks, self.at, '*') {
            self.at += 1;
            v = v.saturating_mul(self.atom()?);
        }
        Some(v)
    }

    fn atom(&mut self) -> Option<u128> {
        let t = self.toks.get(self.at)?;
        match &t.kind {
            Kind::Literal(l) => {
                self.at += 1;
                int_literal(l)
            }
            Kind::Open(Delimiter::Parenthesis) => {
                let close = matching_close(self.toks, self.at)?;
                let v = Eval::new(&self.toks[self.at + 1..close]).all()?;
                self.at = close + 1;
                Some(v)
            }
            _ => None,
        }
    }
}

/// `1_024`, `0x10usize`, `0b11`, `0o7` as a number.
fn int_literal(l: &str) -> Option<u128> {
    let l = l.replace('_', "");
    let (digits, radix) = if let Some(h) = l.strip_prefix("0x") {
        (h, 16)
    } else if let Some(b) = l.strip_prefix("0b") {
        (b, 2)
    } else if let Some(o) = l.strip_prefix("0o") {
        (o, 8)
    } else {
        (l.as_str(), 10)
    };
    let end = digits
        .find(|c: char| !c.is_digit(radix))
        .unwrap_or(digits.len());
    let (num, suffix) = digits.split_at(end);
    let ok_suffix = suffix.is_empty() || primitive_size(suffix).is_some();
    if num.is_empty() || !ok_suffix {
        return None;
    }
    u128::from_str_radix(num, radix).ok()
}

#[cfg(test)]
mod tests;
