//! Progress through the course: passed exercises and points, in total and
//! per objective, and the next exercise to work on.

use colored::{ColoredString, Colorize};

use crate::course::Course;
use crate::pipeline::grade::ExerciseStatus;
use crate::report::fmt_points;
use crate::store::state::{LastResult, State};

/// Progress in one objective.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectiveProgress {
    /// Objective id.
    pub id: String,
    /// Objective title.
    pub title: String,
    /// Exercises passed.
    pub passed: usize,
    /// Exercises in the objective.
    pub total: usize,
    /// Points earned.
    pub points: f64,
    /// Points available.
    pub max_points: f64,
}

/// Progress through the whole course.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// Exercises passed.
    pub passed: usize,
    /// Exercises in the course.
    pub total: usize,
    /// Points earned.
    pub points: f64,
    /// Points available.
    pub max_points: f64,
    /// Per objective, in lesson order.
    pub objectives: Vec<ObjectiveProgress>,
    /// The first exercise, in course order, not yet passed.
    pub next: Option<String>,
    /// Hint levels of the next exercise not revealed yet.
    pub next_hints_left: usize,
}

impl Progress {
    /// Progress as recorded in the state file.
    pub fn from_state(course: &Course, state: &State) -> Progress {
        let mut p = Progress {
            passed: 0,
            total: course.exercises.len(),
            points: 0.0,
            max_points: 0.0,
            objectives: course
                .objectives
                .iter()
                .map(|o| ObjectiveProgress {
                    id: o.id.clone(),
                    title: o.title.clone(),
                    passed: 0,
                    total: 0,
                    points: 0.0,
                    max_points: 0.0,
                })
                .collect(),
            next: None,
            next_hints_left: 0,
        };
        for e in &course.exercises {
            let result = state.results.get(&e.name);
            let passed = result.is_some_and(LastResult::passed);
            let points = result.map_or(0.0, |r| r.points);
            p.max_points += e.points;
            p.points += points;
            if passed {
                p.passed += 1;
            } else if p.next.is_none() {
                p.next = Some(e.name.clone());
                p.next_hints_left = e.hints.len() - state.hints_seen(e);
            }
            if let Some(o) = p.objectives.iter_mut().find(|o| o.id == e.objective) {
                o.total += 1;
                o.max_points += e.points;
                o.points += points;
                if passed {
                    o.passed += 1;
                }
            }
        }
        p
    }

    /// The one-line summary: a bar, exercises passed and points.
    pub fn summary_line(&self) -> String {
        format!(
            "{} {}/{} exercises passed, {}/{} points",
            bar(self.passed, self.total, 24),
            self.passed,
            self.total,
            fmt_points(self.points),
            fmt_points(self.max_points)
        )
    }

    /// The summary block used by `list` and `check`: the summary line, one
    /// line per objective and what to do next.
    pub fn text(&self) -> String {
        let mut out = format!("{}\n", self.summary_line());
        for o in &self.objectives {
            out.push_str(&format!(
                "  {} {:<11} {}/{} passed, {:>5}/{:<4} points  {}\n",
                bar(o.passed, o.total, 10),
                o.id,
                o.passed,
                o.total,
                fmt_points(o.points),
                fmt_points(o.max_points),
                o.title.dimmed()
            ));
        }
        match &self.next {
            Some(next) => out.push_str(&format!(
                "Next: {} (memgrade check {next}; {} hint level{} left: memgrade hint {next})\n",
                next.bold(),
                self.next_hints_left,
                if self.next_hints_left == 1 { "" } else { "s" }
            )),
            None if self.total > 0 => out.push_str(&format!(
                "{}\n",
                "Every exercise passes. Well done!".green().bold()
            )),
            None => {}
        }
        out
    }

    /// Prints [`Progress::text`], fitted to the terminal.
    pub fn print(&self) {
        out!("{}", crate::report::output::fit(&self.text()));
    }
}

/// A text progress bar such as `[#####-----]`.
pub fn bar(done: usize, total: usize, width: usize) -> String {
    let filled = (done * width).checked_div(total).unwrap_or(0);
    format!("[{}{}]", "#".repeat(filled), "-".repeat(width - filled))
}

/// The colored label of an exercise's last status (`None`: not started).
pub fn state_label(status: Option<ExerciseStatus>) -> ColoredString {
    match status {
        Some(ExerciseStatus::Passed) => "passed".green(),
        None => "not started".dimmed(),
        Some(other) => other.as_str().replace('_', " ").red(),
    }
}

/// The number an exercise is known by: its folder's (`22` for
/// `exercises/22_find_the_peak`), else its place in the course (from 1).
fn number(dir: &std::path::Path, place: usize) -> String {
    dir.file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.split_once('_'))
        .map(|(digits, _)| digits)
        .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
        .map_or_else(|| (place + 1).to_string(), str::to_string)
}

/// The columns of the exercise table, the last ones dropped first when a
/// row would not fit the terminal (a row that wraps pushes the list's
/// cursor off the screen).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Columns {
    /// Number, exercise, points and state.
    Narrow,
    /// And the objective.
    Objective,
    /// And the directory.
    All,
}

/// The exercise table (course order, numbered as the folders are;
/// objective, points, last state, directory): a header line, then one line
/// per exercise; the exercise at `cursor` is marked with `>` (the list in
/// watch). With a terminal `width`, the objective and directory columns are
/// left out when a row would not fit.
pub fn list_text(
    course: &Course,
    state: &State,
    cursor: Option<usize>,
    width: Option<usize>,
) -> String {
    let dir_width = course
        .exercises
        .iter()
        .map(|e| e.dir.display().to_string().chars().count())
        .max()
        .unwrap_or(0);
    // "  " + number, exercise, points, state (and objective, directory).
    let narrow = 2 + 3 + 1 + 22 + 1 + 6 + 2 + 12;
    let columns = match width {
        Some(w) if w < narrow + 12 => Columns::Narrow,
        Some(w) if w < narrow + 12 + 1 + dir_width => Columns::Objective,
        _ => Columns::All,
    };
    let row = |n: &str, name: &str, objective: &str, points: &str, state: &str, dir: &str| {
        let mut row = format!("{n:<3} {name:<22} ");
        if columns >= Columns::Objective {
            row.push_str(&format!("{objective:<11} "));
        }
        row.push_str(&format!("{points:>6}  {state:<12}"));
        if columns == Columns::All {
            row.push_str(&format!(" {dir}"));
        }
        row.trim_end().to_string()
    };
    let mut out = format!(
        "  {}\n",
        row("#", "exercise", "objective", "points", "state", "directory")
    );
    for (i, e) in course.exercises.iter().enumerate() {
        let last = state.results.get(&e.name);
        let (label, points) = match last {
            Some(r) => (
                state_label(Some(r.status)),
                format!("{}/{}", fmt_points(r.points), fmt_points(e.points)),
            ),
            None => (state_label(None), format!("-/{}", fmt_points(e.points))),
        };
        // The label's color codes would count as width in a padded column.
        let padded = format!(
            "{label}{}",
            " ".repeat(12usize.saturating_sub(label.chars().count()))
        );
        let row = row(
            &number(&e.dir, i),
            &e.name,
            &e.objective,
            &points,
            &padded,
            &e.dir.display().to_string(),
        );
        if cursor == Some(i) {
            out.push_str(&format!("{} {}\n", ">".bold().cyan(), row.bold()));
        } else {
            out.push_str(&format!("  {row}\n"));
        }
    }
    out
}

/// Prints the exercise table and the per-objective summary: what
/// `memgrade list` shows.
pub fn print_list(course: &Course) {
    let (state, _) = State::load(&course.root);
    let text = format!(
        "{}\n\n{}\n{}",
        course.title.bold(),
        list_text(
            course,
            &state,
            None,
            crate::report::output::terminal_width()
        ),
        Progress::from_state(course, &state).text()
    );
    out!("{}", crate::report::output::fit(&text));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::output::display_width;

    fn course() -> Course {
        Course::load(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    #[test]
    fn list_numbers_are_the_folders_numbers() {
        colored::control::set_override(false);
        let course = course();
        let text = list_text(&course, &State::default(), None, None);
        let peak = course
            .exercises
            .iter()
            .position(|e| e.name == "find_the_peak")
            .unwrap();
        assert_ne!(
            peak + 1,
            22,
            "the course lists find_the_peak out of folder order"
        );
        assert!(
            text.lines().any(|l| l.starts_with("  22  find_the_peak")),
            "{text}"
        );
        assert!(
            text.lines().any(|l| l.starts_with("  01  join_words")),
            "{text}"
        );
    }

    #[test]
    fn at_60_columns_no_row_wraps_and_the_cursor_row_shows() {
        colored::control::set_override(false);
        let course = course();
        for width in [60, 100] {
            let text = list_text(&course, &State::default(), Some(7), Some(width));
            for l in text.lines() {
                assert!(display_width(l) <= width, "{width}: {l:?}");
            }
            assert_eq!(text.lines().count(), course.exercises.len() + 1);
            let cursor = text.lines().nth(8).unwrap();
            assert!(cursor.starts_with("> "), "{text}");
        }
        let narrow = list_text(&course, &State::default(), None, Some(60));
        assert!(!narrow.contains("directory"), "{narrow}");
        let wide = list_text(&course, &State::default(), None, Some(100));
        assert!(wide.contains("exercises/01_join_words"), "{wide}");
    }
}
