//! The terminal reporter: a progress bar while grading, then one line per
//! exercise and, for each failure, the reason (with a line diff where an
//! assertion compared two values).

use colored::Colorize;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cmd::list::fmt_points;
use crate::engine::Event;
use crate::glossary::LEGEND;
use crate::grade::{ExerciseGrade, ExerciseStatus, Grade, TestStatus};
use crate::textdiff;

/// Draws grading progress on stderr (nothing when hidden).
pub struct Live {
    bar: ProgressBar,
}

impl Live {
    /// A progress display; `visible` is false in CI and when stderr is not
    /// a terminal.
    pub fn new(visible: bool) -> Live {
        let bar = ProgressBar::with_draw_target(
            None,
            if visible {
                ProgressDrawTarget::stderr()
            } else {
                ProgressDrawTarget::hidden()
            },
        );
        Live { bar }
    }

    /// Updates the display for one event.
    pub fn event(&mut self, event: Event) {
        match event {
            Event::Cached { exercises } => {
                self.bar.println(format!(
                    "{} {exercises} unchanged exercise(s) reused from the cache",
                    "cache".dimmed()
                ));
            }
            Event::Compiling { exercises } => {
                self.bar.set_style(
                    ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                );
                self.bar
                    .set_message(format!("compiling {exercises} exercise(s)"));
                self.bar
                    .enable_steady_tick(std::time::Duration::from_millis(100));
            }
            Event::Running { tests } => {
                self.bar.set_length(tests as u64);
                self.bar.set_position(0);
                self.bar.set_style(
                    ProgressStyle::with_template("{bar:30} {pos}/{len} tests {msg}")
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
                self.bar.set_message("");
            }
            Event::TestFinished { exercise, test } => {
                self.bar.inc(1);
                self.bar.set_message(format!("{exercise}::{}", test.name));
            }
        }
    }

    /// Removes the display.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// Whether a failure message is memprobe's (it shows the window's counters).
fn is_memory_failure(message: &str) -> bool {
    message
        .lines()
        .any(|l| l.trim_start().starts_with("window:"))
}

/// The symbol and colored word of an exercise state.
fn status_mark(status: ExerciseStatus) -> String {
    match status {
        ExerciseStatus::Passed => format!("{} {}", "✓".green(), "passed".green()),
        other => format!("{} {}", "✗".red(), other.as_str().replace('_', " ").red()),
    }
}

/// Renders the per-exercise report (everything but the course-wide
/// progress summary).
pub fn render(grade: &Grade) -> String {
    let mut out = String::new();
    let mut legend = true;
    for e in &grade.exercises {
        render_exercise(&mut out, e, &mut legend);
    }
    out
}

fn indent(text: &str, by: &str) -> String {
    text.lines().map(|l| format!("{by}{l}\n")).collect()
}

/// One exercise: its line, then the reason for each failure. `legend`:
/// whether the one-line legend of memory words is still to be printed (under
/// the first memory failure; set to false once printed).
pub fn render_exercise(out: &mut String, e: &ExerciseGrade, legend: &mut bool) {
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
    if !e.tampered_files.is_empty() {
        out.push_str(&format!(
            "    {} graded files were changed, so this exercise earns no points:\n",
            "tampered:".red().bold()
        ));
        for f in &e.tampered_files {
            out.push_str(&format!("      {f}\n"));
        }
        out.push_str("    restore them (git checkout -- <file>) and grade again\n");
    }
    for d in e.diagnostics.iter().take(3) {
        out.push_str(&indent(d.rendered.trim_end(), "    "));
    }
    if e.diagnostics.len() > 3 {
        out.push_str(&format!(
            "    ... and {} more compiler errors (cargo test -p {} shows them all)\n",
            e.diagnostics.len() - 3,
            e.name
        ));
    }
    if e.status == ExerciseStatus::Tampered {
        return;
    }
    for t in e.tests.iter().filter(|t| t.status == TestStatus::Passed) {
        if let Some(note) = t.not_counted_line() {
            out.push_str(&format!(
                "    {} {} (passed, {})\n",
                "–".dimmed(),
                t.name,
                note.dimmed()
            ));
        }
    }
    for t in e.tests.iter().filter(|t| t.status != TestStatus::Passed) {
        let at = t
            .location
            .as_ref()
            .map(|l| format!(" at {}:{}", l.file, l.line))
            .unwrap_or_default();
        out.push_str(&format!(
            "    {} {} ({}){}\n",
            "✗".red(),
            t.name.bold(),
            t.status.as_str().replace('_', " "),
            at.dimmed()
        ));
        let message = match &t.comparison {
            Some(_) => t.message.lines().next().unwrap_or_default().to_string(),
            None => t.message.clone(),
        };
        out.push_str(&indent(&message, "      "));
        if let Some(c) = &t.comparison {
            out.push_str(&indent(&textdiff::comparison(&c.right, &c.left), "      "));
        }
        if *legend && is_memory_failure(&t.message) {
            out.push_str(&format!("      {}\n", LEGEND.dimmed()));
            *legend = false;
        }
        if let Some(note) = t.not_counted_line() {
            out.push_str(&format!("      {}\n", note.dimmed()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    fn memory_failure(name: &str) -> crate::grade::TestGrade {
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
}
