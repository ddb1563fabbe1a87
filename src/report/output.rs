//! Standard output that a closed pipe cannot crash: `memgrade list | head -1`
//! ends quietly with the exit code the command would have had. The first
//! write that finds the reader gone (`EPIPE`) marks stdout closed, and every
//! later write is dropped. Use [`out!`](crate::out) and
//! [`outln!`](crate::outln) instead of `print!` and `println!`.
//!
//! Also: the terminal's width, and [`wrap`], which breaks long lines at
//! spaces so a narrow terminal never splits a number such as `7/10`.

use std::fmt;
use std::io::{ErrorKind, Write};
use std::sync::atomic::{AtomicBool, Ordering};

static CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes to stdout unless the reader has gone; a broken pipe marks stdout
/// closed, any other error is ignored as `print!` would panic on it only to
/// end the program. A progress line on screen is erased first
/// ([`hide_while`](crate::report::live::hide_while)).
pub fn write_out(args: fmt::Arguments<'_>) {
    if CLOSED.load(Ordering::Relaxed) {
        return;
    }
    crate::report::live::hide_while(|| {
        let mut stdout = std::io::stdout().lock();
        if let Err(e) = stdout.write_fmt(args)
            && e.kind() == ErrorKind::BrokenPipe
        {
            CLOSED.store(true, Ordering::Relaxed);
        }
    });
}

/// Flushes stdout, ignoring a closed pipe.
pub fn flush() {
    if CLOSED.load(Ordering::Relaxed) {
        return;
    }
    if let Err(e) = std::io::stdout().flush()
        && e.kind() == ErrorKind::BrokenPipe
    {
        CLOSED.store(true, Ordering::Relaxed);
    }
}

/// Writes a line to stderr, erasing a progress line on screen first
/// ([`hide_while`](crate::report::live::hide_while)) so the message is not
/// drawn over it; a write error is ignored, as a warning has nowhere else to
/// go.
pub fn write_err_line(args: fmt::Arguments<'_>) {
    crate::report::live::hide_while(|| {
        let mut stderr = std::io::stderr().lock();
        let _ = stderr.write_fmt(args);
        let _ = stderr.write_all(b"\n");
    });
}

/// `eprintln!` for warnings that may come while a progress line is drawn
/// (during a grading run): the line is erased first and drawn again by its
/// next tick.
#[macro_export]
macro_rules! warnln {
    ($($arg:tt)*) => { $crate::report::output::write_err_line(format_args!($($arg)*)) };
}

/// `print!` that survives a closed pipe.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => { $crate::report::output::write_out(format_args!($($arg)*)) };
}

/// `println!` that survives a closed pipe.
#[macro_export]
macro_rules! outln {
    () => { $crate::report::output::write_out(format_args!("\n")) };
    ($($arg:tt)*) => {{
        $crate::report::output::write_out(format_args!($($arg)*));
        $crate::report::output::write_out(format_args!("\n"));
    }};
}

/// The width of the terminal on stdout, in columns; `None` when stdout is
/// not a terminal (or says it has no width).
pub fn terminal_width() -> Option<usize> {
    width_of(std::io::stdout())
}

/// The width in columns of the terminal `stream` writes to; `None` when it
/// is not a terminal (or says it has no width). The size comes from
/// crossterm: the controlling terminal's on Unix, the console's on Windows.
pub fn width_of(stream: impl std::io::IsTerminal) -> Option<usize> {
    if !stream.is_terminal() {
        return None;
    }
    crossterm::terminal::size()
        .ok()
        .filter(|(columns, _)| *columns > 0)
        .map(|(columns, _)| usize::from(columns))
}

/// Columns `s` takes on screen: characters, not counting ANSI color
/// sequences (`ESC [ … m`).
pub fn display_width(s: &str) -> usize {
    let mut n = 0;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            n += 1;
        }
    }
    n
}

/// `text` with every line wider than `width` broken at spaces; continuation
/// lines are indented two more than the line they continue. A word wider
/// than the line stays whole (the terminal may then wrap it, but never a
/// number between two words). Color sequences do not count as width.
pub fn wrap(text: &str, width: usize) -> String {
    wrap_hanging(text, width, None)
}

/// [`wrap`], with continuation lines indented by `hanging` columns when
/// given (a glossary's meanings under their own column) instead of two
/// more than the line they continue.
pub fn wrap_hanging(text: &str, width: usize, hanging: Option<usize>) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if display_width(line) <= width {
            out.push_str(line);
            continue;
        }
        let indent_len = line.len() - line.trim_start_matches(' ').len();
        let cont = " ".repeat(hanging.unwrap_or(indent_len + 2).min(width / 2));
        let mut col = 0;
        let mut first = true;
        for word in &units(&line[indent_len..]) {
            let word = word.as_str();
            let w = display_width(word);
            if first {
                out.push_str(&line[..indent_len]);
                out.push_str(word);
                col = indent_len + w;
                first = false;
            } else if col + 1 + w > width && col > cont.len() {
                out.push('\n');
                out.push_str(&cont);
                out.push_str(word);
                col = cont.len() + w;
            } else {
                out.push(' ');
                out.push_str(word);
                col += 1 + w;
            }
        }
    }
    out
}

/// The words of `line` as wrapping may break them: a number stays with the
/// word after it (`2 (1 alloc`, `16 bytes`), so no line ends in a bare
/// number whose unit starts the next.
fn units(line: &str) -> Vec<String> {
    let mut units: Vec<String> = Vec::new();
    for word in line.split(' ') {
        match units.last_mut() {
            Some(last) if ends_in_number(last) && !word.is_empty() => {
                last.push(' ');
                last.push_str(word);
            }
            _ => units.push(word.to_string()),
        }
    }
    units
}

/// Whether `unit`'s last word is a number (`2`, `(1`, `1.5`, `24,000`).
fn ends_in_number(unit: &str) -> bool {
    let last = unit.rsplit(' ').next().unwrap_or(unit);
    let digits = last.trim_start_matches(['(', '[', '~', '+', '-']);
    !digits.is_empty()
        && digits.starts_with(|c: char| c.is_ascii_digit())
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
}

/// `text` wrapped to the terminal's width when stdout is a terminal,
/// unchanged otherwise (pipes and files keep whole lines).
pub fn fit(text: &str) -> std::borrow::Cow<'_, str> {
    match terminal_width() {
        Some(w) => std::borrow::Cow::Owned(wrap(text, w)),
        None => std::borrow::Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_and_keeps_numbers_whole() {
        let line = "    ✓ passed join_words   7/10  exercises/01_join_words measured 114680 bytes";
        let wrapped = wrap(line, 30);
        for l in wrapped.lines() {
            assert!(display_width(l) <= 30 || !l.trim().contains(' '), "{l:?}");
        }
        assert!(wrapped.lines().any(|l| l.contains("7/10")), "{wrapped}");
        assert!(
            wrapped.lines().any(|l| l.contains("114680 bytes")),
            "{wrapped}"
        );
        assert!(
            wrapped.lines().nth(1).unwrap().starts_with("      "),
            "{wrapped}"
        );
        assert_eq!(wrap("short\n  also short", 30), "short\n  also short");
    }

    #[test]
    fn a_number_and_its_unit_break_together() {
        let line = "    expected at most 1 heap allocation, measured 2 (1 alloc + 1 realloc)";
        let wrapped = wrap(line, 56);
        assert!(
            wrapped.contains("measured\n") || wrapped.contains("2 (1 alloc"),
            "{wrapped}"
        );
        assert!(
            !wrapped.lines().any(|l| ends_in_number(l.trim_end())),
            "{wrapped}"
        );
        assert_eq!(units("a 2 (1 alloc b"), ["a", "2 (1 alloc", "b"]);
        assert_eq!(
            units("x 1.5 MiB, 24,000 bytes"),
            ["x", "1.5 MiB,", "24,000 bytes"]
        );
        assert!(!ends_in_number("v2") && !ends_in_number("(") && ends_in_number("see (3"));
    }

    #[test]
    fn colors_do_not_count_as_width() {
        assert_eq!(display_width("\x1b[31mred\x1b[0m"), 3);
        let colored = format!("{} {}", "\x1b[1mbold\x1b[0m", "x".repeat(24));
        assert_eq!(wrap(&colored, 29), colored);
    }
}
