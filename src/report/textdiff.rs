//! Colored line diffs made with `similar`, for assertion comparisons and for
//! a student's changes against the stub. A utility for the reporters (the
//! terminal report) and the `diff` command.

use colored::Colorize;
use similar::{ChangeTag, TextDiff};

use crate::report::terminal::visible;

/// What the markers in a changed line stand for, printed under a diff that
/// uses them.
pub const WHITESPACE_KEY: &str =
    "(· = a trailing space, → = a tab, ␍ = a carriage return, ⏎ = no line end)";

/// A changed line made readable: control characters as visible escapes,
/// every tab as `→`, trailing spaces as `·` and a carriage return at the end
/// as `␍`; the body and the marked tail painted apart (the tail inverted) so
/// no marker needs color to be seen. Returns the text and whether any
/// marker was used.
fn changed_line(line: &str, sign: char, missing_newline: bool) -> (String, bool) {
    let body = line.trim_end_matches([' ', '\t', '\r']);
    let tail: String = line[body.len()..]
        .chars()
        .map(|c| match c {
            ' ' => '·',
            '\t' => '→',
            _ => '␍',
        })
        .chain(missing_newline.then_some('⏎'))
        .collect();
    let marked = !tail.is_empty() || body.contains('\t');
    let body = visible(&body.replace('\t', "→"));
    let paint = |s: String| match sign {
        '-' => s.red(),
        _ => s.green(),
    };
    let mut out = paint(format!("{sign} {body}")).to_string();
    if !tail.is_empty() {
        out.push_str(&paint(tail).reversed().to_string());
    }
    (out, marked)
}

/// A compact line diff of `expected` against `actual`: `-` lines are
/// expected but missing, `+` lines are what the code produced instead.
/// Student text is made visible before it is colored (control characters
/// as escapes), and whitespace that differs is marked (see
/// [`WHITESPACE_KEY`], printed under the diff when a marker is used).
pub fn comparison(expected: &str, actual: &str) -> String {
    let diff = TextDiff::from_lines(expected, actual);
    // A line end only matters when one side has it and the other not.
    let ends_differ = expected.ends_with('\n') != actual.ends_with('\n');
    let mut out = String::new();
    out.push_str(&format!(
        "{}\n",
        "--- expected (right)   +++ yours (left)".dimmed()
    ));
    let mut marked = false;
    for change in diff.iter_all_changes() {
        let line = change.value().trim_end_matches('\n');
        let text = match change.tag() {
            ChangeTag::Equal => format!("  {}", visible(line)).dimmed().to_string(),
            tag => {
                let sign = if tag == ChangeTag::Delete { '-' } else { '+' };
                let (text, m) = changed_line(line, sign, ends_differ && change.missing_newline());
                marked |= m;
                text
            }
        };
        out.push_str(&text);
        out.push('\n');
    }
    if marked {
        out.push_str(&format!("{}\n", WHITESPACE_KEY.dimmed()));
    }
    out
}

/// A unified diff (3 lines of context) with colored lines, or `None` when
/// the texts are equal.
pub fn unified(old: &str, new: &str, old_name: &str, new_name: &str) -> Option<String> {
    if old == new {
        return None;
    }
    let diff = TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(old_name, new_name)
        .to_string();
    let mut out = String::new();
    for line in text.lines() {
        let line = visible(line);
        let line = line.as_str();
        let colored = if line.starts_with("+++") || line.starts_with("---") {
            line.bold().to_string()
        } else if line.starts_with('+') {
            line.green().to_string()
        } else if line.starts_with('-') {
            line.red().to_string()
        } else if line.starts_with("@@") {
            line.cyan().to_string()
        } else {
            line.to_string()
        };
        out.push_str(&colored);
        out.push('\n');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparison_marks_changed_lines() {
        colored::control::set_override(false);
        let d = comparison("u8: 1\nString: 24\n", "u8: 1\nString: 32\n");
        assert!(d.contains("- String: 24"));
        assert!(d.contains("+ String: 32"));
        assert!(d.contains("  u8: 1"));
    }

    #[test]
    fn a_trailing_space_is_marked_without_color() {
        colored::control::set_override(false);
        let d = comparison("memory is finite\n", "memory is finite \n");
        assert_eq!(
            d,
            format!(
                "--- expected (right)   +++ yours (left)\n- memory is finite\n+ memory is finite·\n{WHITESPACE_KEY}\n"
            )
        );
    }

    #[test]
    fn tabs_carriage_returns_and_a_missing_line_end_are_marked() {
        colored::control::set_override(false);
        let d = comparison("a b\nend\n", "a\tb\r\nend");
        assert!(
            d.ends_with(&format!("- a b\n- end\n+ a→b␍\n+ end⏎\n{WHITESPACE_KEY}\n")),
            "{d}"
        );
        // The same line end on both sides is not marked.
        let d = comparison("x", "y");
        assert!(d.contains("- x\n+ y\n") && !d.contains('⏎'), "{d}");
        assert!(!d.contains(WHITESPACE_KEY), "{d}");
    }

    #[test]
    fn student_text_in_a_diff_is_neutralised_before_it_is_colored() {
        colored::control::set_override(false);
        let d = comparison("ok\n", "\x1b[2Kok\n");
        assert!(d.contains("+ \\u{1b}[2Kok\n"), "{d}");
        assert!(!d.contains('\x1b'), "{d:?}");
    }

    #[test]
    fn unified_diff_has_headers_and_hunks() {
        colored::control::set_override(false);
        assert_eq!(unified("a\n", "a\n", "x", "y"), None);
        let d = unified("a\nb\n", "a\nc\n", "stub", "yours").unwrap();
        assert!(d.contains("--- stub"));
        assert!(d.contains("+++ yours"));
        assert!(d.contains("-b"));
        assert!(d.contains("+c"));
    }
}
