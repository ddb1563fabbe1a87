//! The report to send a student back, `students/<id>.md`: their total,
//! each exercise's outcome and points, and for every exercise they worked
//! on but did not pass, each failure's reason (the test's message, the
//! compiler's errors) as the grade recorded it.

use std::fmt::Write as _;

use crate::class::book::{Book, Row, RowStatus};
use crate::class::outcome::{self, Outcome};
use crate::report::machine::github::cell;
use crate::report::machine::problems;

/// The most lines of one reason shown (compiler output can be long).
const MAX_REASON_LINES: usize = 40;

/// The Markdown report of `row` in `book`.
pub fn markdown(book: &Book, row: &Row) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}: {}\n", cell(&book.course), cell(&row.student));
    let _ = writeln!(
        out,
        "**Total: {} / {} points.**\n",
        row.score, row.max_score
    );
    if let Some(commit) = &row.commit {
        let _ = writeln!(out, "Commit graded: `{commit}` ({}).\n", cell(&row.taken));
    }
    if let Some(late) = &row.late {
        let _ = writeln!(out, "Late: {}.\n", cell(late));
    }
    if row.status != RowStatus::Graded {
        let _ = writeln!(
            out,
            "Not graded: {}.",
            cell(row.error.as_deref().unwrap_or("unknown reason"))
        );
        return out;
    }
    let Some(grade) = &row.grade else {
        return out;
    };
    out.push_str("| exercise | outcome | points |\n| --- | --- | ---: |\n");
    for e in &grade.exercises {
        let o = outcome::of(row, &book.reference, &e.name);
        let _ = writeln!(
            out,
            "| {} | {} | {} / {} |",
            cell(&e.name),
            o.map_or("", Outcome::as_str),
            e.points,
            e.max_points
        );
    }
    let mut reasons = String::new();
    for p in problems(grade) {
        let o = outcome::of(row, &book.reference, &p.exercise.name);
        if matches!(o, Some(Outcome::Untouched | Outcome::Passed) | None) && !p.only_not_counted() {
            continue;
        }
        let _ = writeln!(reasons, "### {}\n", cell(&p.title));
        if let Some(l) = p.location {
            let _ = writeln!(reasons, "At `{}:{}`.\n", l.file.replace('`', "'"), l.line);
        }
        reasons.push_str(&fenced(&p.text));
    }
    if !reasons.is_empty() {
        out.push_str("\n## Why not passed\n\n");
        out.push_str(&reasons);
    }
    let untouched: Vec<&str> = grade
        .exercises
        .iter()
        .filter(|e| outcome::of(row, &book.reference, &e.name) == Some(Outcome::Untouched))
        .map(|e| e.name.as_str())
        .collect();
    if !untouched.is_empty() {
        let _ = writeln!(
            out,
            "\nNot started (the starting code, unchanged): {}.",
            untouched
                .iter()
                .map(|n| cell(n))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    out
}

/// `text` in a fenced code block whose fence no run of backticks in it can
/// close, at most [`MAX_REASON_LINES`] lines.
fn fenced(text: &str) -> String {
    let mut lines: Vec<&str> = text.trim_end().lines().collect();
    let cut = lines.len().saturating_sub(MAX_REASON_LINES);
    lines.truncate(MAX_REASON_LINES);
    let body = lines.join("\n");
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let more = if cut > 0 {
        format!("… {cut} more line(s) in the JSON report\n")
    } else {
        String::new()
    };
    format!("{fence}text\n{body}\n{fence}\n{more}\n")
}

#[cfg(test)]
mod tests {
    use super::fenced;

    #[test]
    fn no_text_closes_its_fence() {
        let f = fenced("a ```` b\n```\nc");
        assert!(f.starts_with("`````text\n"), "{f}");
        assert!(f.ends_with("\n`````\n\n"), "{f}");
        let long: String = (0..50).map(|i| format!("line {i}\n")).collect();
        let f = fenced(&long);
        assert!(f.contains("line 39\n```\n… 10 more line(s)"), "{f}");
        assert!(!f.contains("line 40"));
    }
}
