//! The terminal reporter: a progress line while grading ([`Live`]), then one line per
//! exercise and, for each failure, the reason (with a line diff where an
//! assertion compared two values).

use std::collections::BTreeMap;

use colored::Colorize;

use crate::pipeline::grade::{ExerciseGrade, ExerciseStatus, Grade, TestGrade};
use crate::report::glossary::LEGEND;
use crate::report::problem::{Problem, Subject, exercise_problems};
use crate::report::{WholeExercise, diagnostic_text, fmt_points, plural, status_phrase};
use crate::report::{sites, textdiff};

pub use super::live::Live;

/// Notes for the student beside the harness's messages (see
/// [`crate::report::advice`]): extra lines per test (or `compile` for the compile
/// problem), and `idea:` lines to show instead of the test's own.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Notes {
    /// Extra lines, by (exercise, test or `compile`).
    pub extra: BTreeMap<(String, String), Vec<String>>,
    /// The `idea:` text to show instead, by (exercise, test).
    pub ideas: BTreeMap<(String, String), String>,
}

impl Notes {
    /// Adds a line for `test` of `exercise`.
    pub fn add(&mut self, exercise: &str, test: &str, line: String) {
        self.extra
            .entry((exercise.to_string(), test.to_string()))
            .or_default()
            .push(line);
    }

    /// The extra lines for `test` of `exercise`.
    pub fn for_test(&self, exercise: &str, test: &str) -> &[String] {
        self.extra
            .get(&(exercise.to_string(), test.to_string()))
            .map_or(&[], |v| v.as_slice())
    }

    fn idea(&self, exercise: &str, test: &str) -> Option<&str> {
        self.ideas
            .get(&(exercise.to_string(), test.to_string()))
            .map(String::as_str)
    }
}

/// The symbol and colored word of an exercise state.
fn status_mark(status: ExerciseStatus) -> String {
    match status {
        ExerciseStatus::Passed => format!("{} {}", "✓".green(), "passed".green()),
        other => format!("{} {}", "✗".red(), other.as_str().replace('_', " ").red()),
    }
}

/// Renders the per-exercise report (everything but the course-wide
/// progress summary), ending with a line that says whether this is a grade
/// of record or feedback.
pub fn render(grade: &Grade) -> String {
    render_with(grade, &Notes::default())
}

/// [`render`] with notes about the student's code.
pub fn render_with(grade: &Grade, notes: &Notes) -> String {
    let mut out = String::new();
    let mut legend = true;
    for e in &grade.exercises {
        render_exercise_with(&mut out, e, notes, &mut legend);
    }
    out.push_str(&format!(
        "{}\n",
        visible(&grade.provenance.summary()).dimmed()
    ));
    out
}

/// The report a student sees on a terminal after grading the whole course:
/// the next exercise not passed (in course order) in detail, the rest summed
/// up in one line, then the grade-of-record line.
pub fn render_focused(grade: &Grade, notes: &Notes) -> String {
    let mut out = String::new();
    let next = grade
        .exercises
        .iter()
        .position(|e| e.status != ExerciseStatus::Passed);
    if let Some(i) = next {
        render_exercise_with(&mut out, &grade.exercises[i], notes, &mut true);
    }
    let others: Vec<&ExerciseGrade> = grade
        .exercises
        .iter()
        .enumerate()
        .filter(|(j, _)| Some(*j) != next)
        .map(|(_, e)| e)
        .collect();
    let passed = others
        .iter()
        .filter(|e| e.status == ExerciseStatus::Passed)
        .count();
    let failing: Vec<&str> = others
        .iter()
        .filter(|e| e.status != ExerciseStatus::Passed)
        .map(|e| e.name.as_str())
        .collect();
    if next.is_none() {
        out.push_str(&format!(
            "{} every exercise passed ({passed} of {passed})\n",
            "✓".green()
        ));
    } else if !others.is_empty() {
        let mut line = format!(
            "{} other exercise{}: {passed} passed, {} not passed",
            others.len(),
            if others.len() == 1 { "" } else { "s" },
            failing.len()
        );
        if let Some(first) = failing.first() {
            line.push_str(&format!(
                " ({first}{}); memgrade check --all shows every failure",
                if failing.len() > 1 { ", …" } else { "" }
            ));
        }
        out.push_str(&format!("{}\n", line.dimmed()));
    }
    out.push_str(&format!(
        "{}\n",
        visible(&grade.provenance.summary()).dimmed()
    ));
    out
}

fn indent(text: &str, by: &str) -> String {
    text.lines().map(|l| format!("{by}{l}\n")).collect()
}

/// Whether a failure message is memprobe's (it shows the window's counters).
pub fn is_memory_failure(message: &str) -> bool {
    message
        .lines()
        .any(|l| l.trim_start().starts_with("window:"))
}

/// Warnings shown in full before the rest are counted.
const SHOWN_WARNINGS: usize = 3;
/// Lines of a test's printed output shown.
const SHOWN_PRINTED_LINES: usize = 20;

/// One exercise: its line, then the reason for each failure with notes
/// about the student's code (`legend`: whether the one-line legend of memory
/// words is still to be printed, under the first memory failure; set to
/// false once printed); then the compiler's warnings about the exercise's `src/`: in full when it did not
/// pass (a crash or a timeout often has its cause there), one line when it
/// did.
pub fn render_exercise_with(out: &mut String, e: &ExerciseGrade, notes: &Notes, legend: &mut bool) {
    let cached = if e.cached {
        " (cached)".dimmed().to_string()
    } else {
        String::new()
    };
    out.push_str(&format!(
        "{} {:<22} {:>5}/{:<3} {}{}\n",
        status_mark(e.status),
        e.name.bold(),
        fmt_points(e.points),
        fmt_points(e.max_points),
        e.dir.dimmed(),
        cached
    ));
    for p in exercise_problems(e) {
        render_problem(out, &Shown::of(&p, notes), legend);
    }
    render_warnings(out, e);
}

fn render_warnings(out: &mut String, e: &ExerciseGrade) {
    let real = e.warnings.iter().filter(|w| w.location.is_some()).count();
    if e.warnings.is_empty() {
        return;
    }
    if e.status == ExerciseStatus::Passed {
        out.push_str(&format!(
            "    {} {} compiler warning{} about your code (cargo check -p {} shows them)\n",
            "warning:".yellow(),
            real,
            if real == 1 { "" } else { "s" },
            e.name
        ));
        return;
    }
    out.push_str(&format!(
        "    {} the compiler warned about your code:\n",
        "warnings:".yellow().bold()
    ));
    for w in e.warnings.iter().take(SHOWN_WARNINGS) {
        out.push_str(&indent(&visible(w.rendered.trim_end()), "      "));
    }
    if e.warnings.len() > SHOWN_WARNINGS {
        out.push_str(&format!(
            "      ... and {} more (cargo check -p {} shows them all)\n",
            e.warnings.len() - SHOWN_WARNINGS,
            e.name
        ));
    }
}

/// A problem as the terminal shows it. Student text (messages, captured
/// values, compiler output quoting student code, test names and paths) has
/// its control characters made visible here, once (a diff's lines in
/// [`textdiff::comparison`], before they are colored), so no escape sequence
/// a student's code prints can move the cursor or draw a fake line.
enum Shown {
    /// A test that did not pass.
    Test {
        name: String,
        status: &'static str,
        at: String,
        message: String,
        diff: Option<String>,
        /// Its message is memprobe's (the legend may follow it).
        memory: bool,
        /// "not counted: …" when its points do not count.
        note: Option<String>,
        printed: String,
        notes: Vec<String>,
        /// Where the measured call allocated and its curve, when a re-run
        /// recorded it.
        sites: Option<String>,
    },
    /// A test that passed but whose points do not count.
    NotCounted { name: String, note: String },
    /// Compiler errors: the first few, and how many more there are.
    CompileError {
        first: Vec<String>,
        more: usize,
        exercise: String,
        notes: Vec<String>,
    },
    /// Changed graded files.
    Tampered { files: Vec<String> },
    /// Any other whole-exercise problem: its explanation.
    Other { text: String },
}

/// Compiler errors shown in full before the rest are counted.
const SHOWN_DIAGNOSTICS: usize = 3;

impl Shown {
    fn of(p: &Problem, notes: &Notes) -> Shown {
        let exercise = p.exercise.name.as_str();
        match p.subject {
            Subject::Test(t) => {
                let note = t.not_counted_line();
                if p.only_not_counted() {
                    return Shown::NotCounted {
                        name: visible(&t.name),
                        note: visible(note.as_deref().unwrap_or_default()),
                    };
                }
                let message = test_message(p, t, note.as_deref(), notes);
                let printed = crate::pipeline::libtest::printed_output(&t.name, &t.output);
                Shown::Test {
                    memory: is_memory_failure(&t.message),
                    note: note.map(|n| visible(&n)),
                    name: visible(&t.name),
                    status: status_phrase(t.status),
                    at: p
                        .location
                        .map(|l| visible(&format!(" at {}:{}", l.file, l.line)))
                        .unwrap_or_default(),
                    message: visible(&message),
                    diff: t
                        .comparison
                        .as_ref()
                        .map(|c| textdiff::comparison(&c.right, &c.left)),
                    printed: visible(&printed),
                    notes: notes.for_test(exercise, &t.name).to_vec(),
                    sites: sites_text(t),
                }
            }
            Subject::Whole(WholeExercise::CompileError(diags)) => Shown::CompileError {
                first: diags
                    .iter()
                    .take(SHOWN_DIAGNOSTICS)
                    .map(|d| visible(diagnostic_text(d)))
                    .collect(),
                more: diags.len().saturating_sub(SHOWN_DIAGNOSTICS),
                exercise: p.exercise.name.clone(),
                notes: notes.for_test(exercise, "compile").to_vec(),
            },
            Subject::Whole(WholeExercise::Tampered(files)) => Shown::Tampered {
                files: files.iter().map(|f| visible(f)).collect(),
            },
            Subject::Whole(WholeExercise::NoTests) => Shown::Other {
                text: visible(&p.text),
            },
        }
    }
}

/// A failed test's message as the terminal shows it: without the
/// not-counted note (shown on its own line, after any diff), only its first
/// line when a diff follows, and with the course's own idea for the test in
/// place of the one the test printed.
fn test_message(p: &Problem, t: &TestGrade, note: Option<&str>, notes: &Notes) -> String {
    let text = match note {
        Some(n) => p
            .text
            .trim_end()
            .strip_suffix(n)
            .unwrap_or(&p.text)
            .trim_end(),
        None => p.text.as_str(),
    };
    if t.comparison.is_some() {
        return text.lines().next().unwrap_or_default().to_string();
    }
    match notes.idea(&p.exercise.name, &t.name) {
        Some(idea) => text
            .lines()
            .map(|l| match l.trim_start().strip_prefix("idea:") {
                Some(_) => format!("  idea:     {idea}"),
                None => l.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        None => text.to_string(),
    }
}

/// Where a failed memory test's memory went, when it was re-run with
/// allocation sites recorded: the table and the chart under a heading.
fn sites_text(t: &TestGrade) -> Option<String> {
    t.sites.as_ref().map(|s| {
        format!(
            "{}\n{}{}",
            "where the memory went (the test re-run with allocation sites recorded; your lines, largest first):".bold(),
            sites::table(s),
            sites::chart(
                &s.series,
                s.allocs + s.reallocs + s.deallocs,
                sites::byte_budget(&t.message)
            )
        )
    })
}

fn render_problem(out: &mut String, shown: &Shown, legend: &mut bool) {
    match shown {
        Shown::NotCounted { name, note } => {
            out.push_str(&format!(
                "    {} {} (passed, {})\n",
                "–".dimmed(),
                name,
                note.dimmed()
            ));
        }
        Shown::Test {
            name,
            status,
            at,
            message,
            diff,
            memory,
            note,
            printed,
            notes,
            sites,
        } => {
            out.push_str(&format!(
                "    {} {} ({}){}\n",
                "✗".red(),
                name.bold(),
                status,
                at.dimmed()
            ));
            out.push_str(&indent(message, "      "));
            if let Some(diff) = diff {
                out.push_str(&indent(diff, "      "));
            }
            if *legend && *memory {
                out.push_str(&format!("      {}\n", LEGEND.dimmed()));
                *legend = false;
            }
            if let Some(sites) = sites {
                out.push_str(&indent(sites, "      "));
            }
            for n in notes {
                out.push_str(&format!("      {} {n}\n", "note:".cyan().bold()));
            }
            if !printed.is_empty() {
                render_printed(out, printed);
            }
            if let Some(note) = note {
                out.push_str(&format!("      {}\n", note.dimmed()));
            }
        }
        Shown::CompileError {
            first,
            more,
            exercise,
            notes,
        } => render_compile_error(out, first, *more, exercise, notes),
        Shown::Tampered { files } => render_tampered(out, files),
        Shown::Other { text } => out.push_str(&indent(text, "    ")),
    }
}

/// What a failed test printed (its first [`SHOWN_PRINTED_LINES`] lines),
/// with why printing counts.
fn render_printed(out: &mut String, printed: &str) {
    out.push_str(&format!("      {}\n", "the test printed:".bold()));
    let lines: Vec<&str> = printed.lines().collect();
    for l in lines.iter().take(SHOWN_PRINTED_LINES) {
        out.push_str(&format!("        {l}\n"));
    }
    if lines.len() > SHOWN_PRINTED_LINES {
        out.push_str(&format!(
            "        ... {} more\n",
            plural((lines.len() - SHOWN_PRINTED_LINES) as u64, "line")
        ));
    }
    out.push_str(&format!(
        "      {}\n",
        "(printing inside a measured call is counted by memprobe: println! formats and can allocate)"
            .dimmed()
    ));
}

/// An exercise that did not compile: its first diagnostics, how many more,
/// and notes.
fn render_compile_error(
    out: &mut String,
    first: &[String],
    more: usize,
    exercise: &str,
    notes: &[String],
) {
    for d in first {
        out.push_str(&indent(d, "    "));
    }
    if more > 0 {
        out.push_str(&format!(
            "    ... and {} more (cargo test -p {exercise} shows them all)\n",
            plural(more as u64, "compiler error")
        ));
    }
    for n in notes {
        out.push_str(&format!("    {} {n}\n", "note:".cyan().bold()));
    }
}

/// An exercise whose graded files were changed, and how to restore them.
fn render_tampered(out: &mut String, files: &[String]) {
    out.push_str(&format!(
        "    {} graded files were changed, so this exercise earns no points:\n",
        "tampered:".red().bold()
    ));
    for f in files {
        out.push_str(&format!("      {f}\n"));
    }
    out.push_str(&format!(
        "    {}; then grade again\n",
        crate::report::restore_remedy(files)
    ));
}

/// `s` with every control character but newline and tab (C0, DEL, C1: ESC,
/// CR, backspace, …) written as a visible escape (`\u{1b}`), so student text
/// cannot move the cursor, erase lines or recolor the report. A CR right
/// before a newline is dropped (a CRLF line ending draws nothing).
pub fn visible(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            // A CRLF line ending is a line ending, not a cursor move.
            continue;
        }
        if c.is_control() && c != '\n' && c != '\t' {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::fixture;
    use crate::pipeline::grade::{Comparison, TestStatus};

    fn memory_failure(name: &str) -> crate::pipeline::grade::TestGrade {
        let mut t = fixture::test(name, TestStatus::Failed, 1.0);
        t.message = "`f()`: expected at most 1 heap allocation, measured 3 (1 alloc + 2 reallocs)\n  window:   1 allocs, 2 reallocs, 0 deallocs, 48 bytes allocated, peak 32 bytes, live 32 bytes".into();
        t
    }

    #[test]
    fn the_legend_follows_the_first_memory_failure_only() {
        colored::control::set_override(false);
        let mut behaviour = fixture::test("behaves", TestStatus::Failed, 1.0);
        behaviour.message = "assertion failed: ok".into();
        let g = fixture::grade_of(vec![
            fixture::exercise("a", "footprint", 10.0, vec![behaviour]),
            fixture::exercise("b", "footprint", 10.0, vec![memory_failure("m1")]),
            fixture::exercise("c", "footprint", 10.0, vec![memory_failure("m2")]),
        ]);
        let out = render(&g);
        assert_eq!(out.matches(LEGEND).count(), 1, "{out}");
        let legend_at = out.find(LEGEND).unwrap();
        assert!(out.find("m1 (failed)").unwrap() < legend_at, "{out}");
        assert!(legend_at < out.find("m2 (failed)").unwrap(), "{out}");
        let only_behaviour = fixture::grade_of(vec![fixture::exercise(
            "a",
            "footprint",
            10.0,
            vec![fixture::test("behaves", TestStatus::Failed, 1.0)],
        )]);
        assert!(!render(&only_behaviour).contains("legend:"));
    }

    fn plain(g: &Grade) -> String {
        colored::control::set_override(false);
        render(g)
    }

    #[test]
    fn control_characters_become_visible_escapes() {
        assert_eq!(
            visible("a\x1b[1A\x1b[2K\u{2713} passed 10/10\r\x08\x07\u{9b}31m\tz\n"),
            "a\\u{1b}[1A\\u{1b}[2K\u{2713} passed 10/10\\u{d}\\u{8}\\u{7}\\u{9b}31m\tz\n"
        );
        assert_eq!(visible("plain ünïcode\n"), "plain ünïcode\n");
        assert_eq!(visible("crlf\r\nlone\r"), "crlf\nlone\\u{d}");
    }

    #[test]
    fn a_panic_message_cannot_draw_a_fake_line() {
        let mut g = fixture::grade();
        let t = g.exercises[0]
            .tests
            .iter_mut()
            .find(|t| t.name == "allocates_once")
            .unwrap();
        t.message = "\x1b[1A\x1b[2K✓ passed 10/10\rfake".into();
        t.name = "name\x1b[2K".into();
        let out = plain(&g);
        assert!(!out.contains('\x1b'), "{out:?}");
        assert!(!out.contains('\r'), "{out:?}");
        assert!(
            out.contains("\\u{1b}[1A\\u{1b}[2K✓ passed 10/10\\u{d}fake"),
            "{out}"
        );
        assert!(out.contains("name\\u{1b}[2K (failed)"), "{out}");
    }

    #[test]
    fn compared_values_and_compiler_text_are_neutralised_too() {
        let mut g = fixture::grade();
        let t = g.exercises[0]
            .tests
            .iter_mut()
            .find(|t| t.name == "allocates_once")
            .unwrap();
        t.comparison = Some(Comparison {
            left: "x\x1b[31m".into(),
            right: "y".into(),
        });
        g.exercises[3].diagnostics[0].rendered = "error: \x1b]0;title\x07".into();
        let out = plain(&g);
        assert!(!out.contains('\x1b') && !out.contains('\x07'), "{out:?}");
        assert!(out.contains("\\u{1b}[31m"), "{out}");
        assert!(out.contains("error: \\u{1b}]0;title\\u{7}"), "{out}");
    }

    #[test]
    fn every_problem_is_explained() {
        let out = plain(&fixture::grade());
        assert!(out.contains(
            "    ✗ interns_once (crashed)\n      the test process ended without a verdict"
        ));
        assert!(out.contains("✗ failed views"));
        assert!(
            out.contains(&format!("    {}\n", crate::report::NO_TESTS)),
            "{out}"
        );
        assert!(
            out.contains("    aborting due to 1 previous error\n"),
            "{out}"
        );
    }

    #[test]
    fn the_focused_report_details_the_next_failure_and_sums_up_the_rest() {
        colored::control::set_override(false);
        let g = fixture::grade();
        let out = render_focused(&g, &Notes::default());
        let first = g
            .exercises
            .iter()
            .find(|e| e.status != ExerciseStatus::Passed)
            .unwrap();
        assert!(
            out.starts_with(&format!("✗ failed {}", first.name)),
            "{out}"
        );
        let second = g
            .exercises
            .iter()
            .filter(|e| e.status != ExerciseStatus::Passed)
            .nth(1)
            .unwrap();
        assert!(!out.contains(&format!("✗ failed {}", second.name)), "{out}");
        let passed = g
            .exercises
            .iter()
            .filter(|e| e.status == ExerciseStatus::Passed)
            .count();
        let failed = g.exercises.len() - passed - 1;
        assert!(
            out.contains(&format!(
                "{} other exercises: {passed} passed, {failed} not passed ({}",
                g.exercises.len() - 1,
                second.name
            )),
            "{out}"
        );
        assert!(out.contains("memgrade check --all shows every failure"));
    }

    #[test]
    fn the_last_line_says_whether_it_is_a_grade_of_record() {
        let out = plain(&fixture::grade());
        assert_eq!(
            out.lines().last(),
            Some("feedback: a local check, not a grade of record (sandbox: none)")
        );
        let out = plain(&fixture::record_grade());
        assert_eq!(
            out.lines().last(),
            Some("grade of record (sandbox: bwrap, toolchain: rustc 1.89.0)")
        );
    }
}
