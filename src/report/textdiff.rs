//! Colored line diffs made with `similar`, for assertion comparisons and for
//! a student's changes against the stub. A utility for the reporters (the
//! terminal report) and the `diff` command.

use colored::Colorize;
use similar::{ChangeTag, TextDiff};

/// A compact line diff of `expected` against `actual`: `-` lines are
/// expected but missing, `+` lines are what the code produced instead.
pub fn comparison(expected: &str, actual: &str) -> String {
    let diff = TextDiff::from_lines(expected, actual);
    let mut out = String::new();
    out.push_str(&format!(
        "{}\n",
        "--- expected (right)   +++ yours (left)".dimmed()
    ));
    for change in diff.iter_all_changes() {
        let line = change.value().trim_end_matches('\n');
        let text = match change.tag() {
            ChangeTag::Delete => format!("- {line}").red().to_string(),
            ChangeTag::Insert => format!("+ {line}").green().to_string(),
            ChangeTag::Equal => format!("  {line}").dimmed().to_string(),
        };
        out.push_str(&text);
        out.push('\n');
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
