//! GitHub Actions: error annotations (workflow commands on stdout) and a
//! Markdown job summary (for `$GITHUB_STEP_SUMMARY`).
//!
//! Annotations: one `::error file=…,line=…,title=…::message` line per failing
//! test (failed, timed out, crashed), per compiler error, per tampered
//! exercise and per exercise where no test ran; `file`/`line` are left out
//! when unknown. The whole message goes in the data with GitHub's escaping
//! (`%`, CR, LF), and property values also escape `:` and `,`, so each
//! annotation is exactly one line: text a student's code printed can never
//! start a line, and so can never be read as a workflow command. GitHub shows
//! at most 10 error annotations per step (50 per job); the rest stay in the
//! log.
//!
//! Raw text (captured output, or another format printed to the log) must go
//! through [`crate::report::ci_log::stop_commands`], which suspends command
//! processing around it.

use std::fmt::Write as _;

use anyhow::{Context, Result};

use crate::pipeline::grade::{ExerciseStatus, Grade, Location};
use crate::report::machine::{first_line, problems};
use crate::report::problem::{Problem, Subject};
use crate::report::{WholeExercise, diagnostic_text};

/// Renders one `::error` workflow command per problem, each on its own line
/// (`::warning` for a test that passed but whose points do not count).
pub fn annotations(grade: &Grade) -> String {
    let mut out = String::new();
    for p in problems(grade) {
        match p.subject {
            // One annotation per compiler error, each at its own place.
            Subject::Whole(WholeExercise::CompileError(diags)) => {
                for d in diags {
                    let (file, line) = place(d.location.as_ref());
                    push_command(&mut out, "error", file, line, &p.title, diagnostic_text(d));
                }
            }
            _ => {
                let (file, line) = place(p.location);
                let level = if p.only_not_counted() {
                    "warning"
                } else {
                    "error"
                };
                push_command(&mut out, level, file, line, &p.title, p.text.trim_end());
            }
        }
    }
    out
}

/// A location's file and line, each `None` when unknown.
fn place(l: Option<&Location>) -> (Option<&str>, Option<u32>) {
    match l {
        Some(l) => (Some(l.file.as_str()), Some(l.line)),
        None => (None, None),
    }
}

fn push_command(
    out: &mut String,
    level: &str,
    file: Option<&str>,
    line: Option<u32>,
    title: &str,
    message: &str,
) {
    let mut props = Vec::new();
    if let Some(f) = file {
        props.push(format!("file={}", escape_property(f)));
    }
    if let Some(l) = line {
        props.push(format!("line={l}"));
    }
    props.push(format!("title={}", escape_property(title)));
    let _ = writeln!(
        out,
        "::{level} {}::{}",
        props.join(","),
        escape_data(message)
    );
}

/// Escapes workflow-command data: `%`, CR and LF.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow-command property value: the data escapes plus `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Appends the job summary ([`step_summary`]) to the file
/// `$GITHUB_STEP_SUMMARY` names, when it is set.
pub fn append_step_summary(grade: &Grade) -> Result<()> {
    use std::io::Write;
    let Some(summary) = std::env::var_os("GITHUB_STEP_SUMMARY") else {
        return Ok(());
    };
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&summary)
        .context("cannot open $GITHUB_STEP_SUMMARY")?;
    f.write_all(step_summary(grade).as_bytes())
        .context("cannot write $GITHUB_STEP_SUMMARY")
}

/// Renders the Markdown job summary: a heading with the score, one table row
/// per exercise, per-objective subtotals and the failing tests' reasons.
pub fn step_summary(grade: &Grade) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## {}: {} / {} points\n",
        cell(&grade.course),
        grade.score,
        grade.max_score
    );
    let _ = writeln!(
        out,
        "{} of {} exercises passed.\n",
        grade.passed, grade.total
    );
    let _ = writeln!(out, "{}\n", cell(&grade.provenance.summary()));

    out.push_str("| exercise | objective | status | points |\n");
    out.push_str("| --- | --- | --- | ---: |\n");
    for e in &grade.exercises {
        let mark = if e.status == ExerciseStatus::Passed {
            "✅"
        } else {
            "❌"
        };
        let _ = writeln!(
            out,
            "| {} | {} | {mark} {} | {} / {} |",
            cell(&e.name),
            cell(&e.objective),
            e.status.as_str(),
            e.points,
            e.max_points
        );
    }

    out.push_str("\n### Objectives\n\n");
    out.push_str("| objective | points | exercises passed |\n");
    out.push_str("| --- | ---: | ---: |\n");
    for o in &grade.objectives {
        let _ = writeln!(
            out,
            "| {} ({}) | {} / {} | {} / {} |",
            cell(&o.title),
            cell(&o.id),
            o.score,
            o.max_score,
            o.passed,
            o.total
        );
    }

    let mut problems = String::new();
    for p in self::problems(grade) {
        let _ = writeln!(
            problems,
            "| {} | {} | {} | {} |",
            cell(&p.exercise.name),
            cell(p.name()),
            p.status,
            cell(&summary_reason(&p))
        );
    }
    if !problems.is_empty() {
        out.push_str("\n### Not passing or not counted\n\n");
        out.push_str("| exercise | test | status | reason |\n");
        out.push_str("| --- | --- | --- | --- |\n");
        out.push_str(&problems);
    }
    review_section(grade, &mut out);
    out
}

/// The grade of record's review flags, when there are any.
fn review_section(grade: &Grade, out: &mut String) {
    let mut rows = String::new();
    for (e, f) in super::review::flags(grade) {
        let _ = writeln!(
            rows,
            "| {} | {}:{} | {} | {} |",
            cell(&e.name),
            cell(&f.file),
            f.line,
            cell(&f.construct),
            cell(&f.why)
        );
    }
    if !rows.is_empty() {
        let _ = writeln!(out, "\n### {}\n", super::review::HEADING);
        out.push_str("| exercise | where | construct | why |\n");
        out.push_str("| --- | --- | --- | --- |\n");
        out.push_str(&rows);
    }
}

/// A problem's reason in one table cell: the first line of its text, and
/// the "not counted" note when its points do not count.
fn summary_reason(p: &Problem) -> String {
    let first = first_line(&p.text);
    match p.test().and_then(|t| t.not_counted_line()) {
        Some(note) if first != note => format!("{first}\n{note}"),
        Some(note) => note,
        None => first.to_string(),
    }
}

/// Escapes text for one Markdown table cell, so that student text stays
/// text: HTML specials become entities (no tag, no `<…>` autolink);
/// backslash, `|`, the brackets of links and images, and the marks of
/// emphasis, code and strikethrough (`` [ ] * ` ~ ``, and `_` where it is
/// not inside a word) are backslash-escaped; line breaks become `<br>`;
/// other control characters and bidirectional-text controls are dropped.
pub fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut previous: Option<char> = None;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let word = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric());
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '|' | '[' | ']' | '*' | '`' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '_' if !(word(previous.as_ref()) && word(chars.peek())) => out.push_str("\\_"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("<br>");
            }
            '\n' => out.push_str("<br>"),
            c if c.is_control() || is_bidi_control(c) => {}
            c => out.push(c),
        }
        previous = Some(c);
    }
    out
}

/// Bidirectional-text controls (U+202A–U+202E, U+2066–U+2069, U+200E,
/// U+200F, U+061C): invisible, they reorder what is shown.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::fixture;
    use crate::pipeline::grade::TestStatus;

    #[test]
    fn data_and_property_escaping_is_exact() {
        assert_eq!(
            escape_data("100% a:b,c\r\nnext\n"),
            "100%25 a:b,c%0D%0Anext%0A"
        );
        assert_eq!(
            escape_property("100% a:b,c\r\nnext"),
            "100%25 a%3Ab%2Cc%0D%0Anext"
        );
        assert_eq!(escape_data("%0A"), "%250A", "an encoded newline stays text");
    }

    #[test]
    fn annotations_are_one_error_line_per_problem() {
        let out = annotations(&fixture::grade());
        let lines: Vec<&str> = out.lines().collect();
        // failed, timed out, crashed, two compiler errors, tampered, no tests.
        assert_eq!(lines.len(), 7, "{out}");
        assert!(out.ends_with('\n'));
        assert_eq!(out.matches('\n').count(), 7, "no CR or stray line break");
        assert!(!out.contains('\r'));
        for l in &lines {
            assert!(l.starts_with("::error "), "{l}");
        }
        assert_eq!(
            lines[0],
            "::error file=exercises/join_words/tests/memory.rs,line=12,title=join_words%3A%3Aallocates_once failed::\
             measured 3 allocations <&> \"budget\" 'one', 100%25 used: a,b%0D%0A::error::forged by the student%0A\
             ::add-mask::secret%0A##[error]v1 forged%0Ahint: reserve"
        );
        assert_eq!(
            lines[1],
            "::error title=lazy_lines%3A%3Astreams_lines timed out::killed after 10s: time limit"
        );
        assert!(lines[2].starts_with(
            "::error title=interner%3A%3Ainterns_once crashed::the test process ended"
        ));
    }

    #[test]
    fn annotations_carry_file_and_line_only_when_known() {
        let out = annotations(&fixture::grade());
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[3].starts_with(
            "::error file=exercises/04_slots/src/odd%2Cname%3A1.rs,line=7,title=slots%3A compile error::error[E0308]"
        ));
        assert!(
            lines[3].ends_with("%0A::error::injected by a string literal"),
            "{}",
            lines[3]
        );
        assert_eq!(
            lines[4],
            "::error title=slots%3A compile error::aborting due to 1 previous error"
        );
        assert_eq!(
            lines[5],
            "::error title=arena%3A graded files changed::graded files were changed: \
             exercises/arena/tests/memory.rs, grader.toml%0Athey must match the course's copies for this \
             exercise to be graded"
        );
        assert!(lines[6].starts_with("::error title=views%3A no tests ran::no tests ran"));
    }

    #[test]
    fn annotations_are_empty_when_everything_passed() {
        let g = fixture::grade_of(vec![fixture::exercise(
            "ok",
            "footprint",
            1.0,
            vec![fixture::test("a", TestStatus::Passed, 1.0)],
        )]);
        assert_eq!(annotations(&g), "");
    }

    fn table_rows<'a>(md: &'a str, header: &str) -> Vec<&'a str> {
        let mut lines = md.lines().skip_while(|l| *l != header);
        assert_eq!(lines.next(), Some(header), "{md}");
        assert!(lines.next().unwrap().starts_with("| ---"));
        lines.take_while(|l| l.starts_with('|')).collect()
    }

    /// The cells of a table row, splitting on `|` not escaped by a backslash.
    fn cells(row: &str) -> Vec<String> {
        let mut cells = vec![];
        let mut cur = String::new();
        let mut chars = row.trim().trim_start_matches('|').chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    cur.push(c);
                    cur.extend(chars.next());
                }
                '|' => cells.push(std::mem::take(&mut cur).trim().to_string()),
                c => cur.push(c),
            }
        }
        cells
    }

    #[test]
    fn step_summary_has_one_row_per_exercise_and_objective() {
        let g = fixture::grade();
        let md = step_summary(&g);
        assert!(
            md.starts_with("## Memory &lt;&amp;&gt; \"optimization\" \\| 101: 20 / 60 points\n"),
            "{md}"
        );
        let rows = table_rows(&md, "| exercise | objective | status | points |");
        assert_eq!(rows.len(), g.exercises.len());
        assert_eq!(
            cells(rows[0]),
            ["join_words", "footprint", "❌ failed", "5 / 10"]
        );
        assert_eq!(
            cells(rows[5]),
            ["drop_order", "lifecycle", "✅ passed", "5 / 5"]
        );
        assert_eq!(
            cells(rows[3]),
            ["slots", "layout", "❌ compile_error", "0 / 10"]
        );
        let objectives = table_rows(&md, "| objective | points | exercises passed |");
        assert_eq!(objectives.len(), 4);
        assert_eq!(
            cells(objectives[0]),
            ["Measure \\| footprint (footprint)", "5 / 10", "0 / 1"]
        );
        assert_eq!(
            cells(objectives[1]),
            ["Iterate lazily (iteration)", "10 / 20", "0 / 2"]
        );
        let failing = table_rows(&md, "| exercise | test | status | reason |");
        // failed, timed out, crashed, compile error, tampered, no tests.
        assert_eq!(failing.len(), 6);
        assert_eq!(
            cells(failing[0]),
            [
                "join_words",
                "allocates_once",
                "failed",
                "measured 3 allocations &lt;&amp;&gt; \"budget\" 'one', 100% used: a,b"
            ]
        );
    }

    #[test]
    fn step_summary_cells_cannot_break_the_table() {
        let mut e = fixture::exercise(
            "a|b\nc",
            "x\r\n::error::y",
            1.0,
            vec![fixture::test("t", TestStatus::Failed, 1.0)],
        );
        e.tests[0].message = "first | line\\\u{1b}[0m\nsecond".into();
        let md = step_summary(&fixture::grade_of(vec![e]));
        let rows = table_rows(&md, "| exercise | objective | status | points |");
        assert_eq!(rows.len(), 1);
        assert_eq!(
            cells(rows[0]),
            ["a\\|b<br>c", "x<br>::error::y", "❌ failed", "0 / 1"]
        );
        let failing = table_rows(&md, "| exercise | test | status | reason |");
        assert_eq!(cells(failing[0])[3], "first \\| line\\\\\\[0m");
        for l in md.lines() {
            assert!(!l.trim_start().starts_with("::"), "{l}");
        }
    }

    #[test]
    fn student_text_cannot_become_a_link_emphasis_or_html() {
        assert_eq!(
            cell(
                "[click](https://evil.example) **bold** _it_ `code` ~~gone~~ <img src=x> \u{202e}abc"
            ),
            "\\[click\\](https://evil.example) \\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\~\\~gone\\~\\~ &lt;img src=x&gt; abc"
        );
        // A name's inner underscores are not emphasis and stay readable.
        assert_eq!(cell("join_words"), "join_words");
    }

    #[test]
    fn step_summary_lists_review_flags_only_when_there_are_some() {
        let md = step_summary(&fixture::reviewed_grade());
        let rows = table_rows(&md, "| exercise | where | construct | why |");
        assert_eq!(rows.len(), 2, "{md}");
        assert_eq!(
            cells(rows[0]),
            [
                "join_words",
                "exercises/join_words/src/lib.rs:1",
                "include!",
                "reads a file when the crate is compiled"
            ]
        );
        assert!(!step_summary(&fixture::record_grade()).contains("For review"));
    }

    #[test]
    fn step_summary_says_whether_it_is_a_grade_of_record() {
        let out = step_summary(&fixture::grade());
        assert!(
            out.contains("\nfeedback: a local check, not a grade of record (sandbox: none)\n"),
            "{out}"
        );
        let out = step_summary(&fixture::record_grade());
        assert!(
            out.contains("\ngrade of record (sandbox: bwrap, toolchain: rustc 1.89.0)\n"),
            "{out}"
        );
        assert!(!out.contains("feedback"), "{out}");
    }
}
