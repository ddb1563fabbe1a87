//! `summary.md`: the gradebook as a person reads it in a GitHub job
//! summary (the gradebook workflow appends it to `$GITHUB_STEP_SUMMARY`):
//! the counts of graded, rejected and failed rows, the mean total, then one
//! table row per student with the total, the status, the exercises'
//! outcomes by kind (`3 passed, 1 compile error, 18 untouched`), which
//! commit was taken and how late. Every piece of student text goes
//! through [`cell`], so an id or an error message cannot become a link,
//! emphasis or HTML.

use std::fmt::Write as _;

use crate::class::book::{Book, RowStatus};
use crate::report::machine::github::cell;

/// How many rows have each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Rows graded (points may be 0).
    pub graded: usize,
    /// Roster rows refused (nothing was run).
    pub rejected: usize,
    /// Forks that could not be fetched or graded.
    pub error: usize,
}

impl Counts {
    /// Counts the rows of `book`.
    pub fn of(book: &Book) -> Counts {
        let mut c = Counts::default();
        for r in &book.students {
            match r.status {
                RowStatus::Graded => c.graded += 1,
                RowStatus::Rejected => c.rejected += 1,
                RowStatus::Error => c.error += 1,
            }
        }
        c
    }
}

impl Counts {
    /// The exit code of `gradebook` and `gradebook-merge` for these rows:
    /// 2 when a roster row was rejected (the roster needs fixing; every
    /// other row was still graded and written), else 1 when a fork could not
    /// be graded, else 0. Points do not matter: a gradebook is complete when
    /// every student is graded, whatever they scored.
    pub fn exit_code(self) -> i32 {
        if self.rejected > 0 {
            crate::exit::EXIT_USAGE
        } else if self.error > 0 {
            crate::exit::EXIT_FAILED
        } else {
            crate::exit::EXIT_OK
        }
    }
}

impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} graded, {} rejected, {} could not be graded",
            self.graded, self.rejected, self.error
        )
    }
}

/// The Markdown summary of `book`.
pub fn markdown(book: &Book) -> String {
    let counts = Counts::of(book);
    let mut out = String::new();
    let _ = writeln!(out, "## Gradebook: {}\n", cell(&book.course));
    let _ = writeln!(out, "{} student(s): {counts}.\n", book.students.len());
    let graded: Vec<f64> = book
        .students
        .iter()
        .filter(|r| r.status == RowStatus::Graded)
        .map(|r| r.score)
        .collect();
    if let Some(max) = book.students.first().map(|r| r.max_score)
        && !graded.is_empty()
    {
        let mean = graded.iter().sum::<f64>() / graded.len() as f64;
        let _ = writeln!(out, "Mean total of the graded rows: {:.1} / {max}.\n", mean);
    }
    let names: Vec<String> = book.exercises.iter().map(|e| e.name.clone()).collect();
    out.push_str("| student | total | status | exercises | taken | late | error |\n");
    out.push_str("| --- | ---: | --- | --- | --- | --- | --- |\n");
    for r in &book.students {
        let _ = writeln!(
            out,
            "| {} | {} / {} | {} | {} | {} | {} | {} |",
            cell(&r.student),
            r.score,
            r.max_score,
            r.status.as_str(),
            crate::class::outcome::tally(r, &book.reference, &names),
            cell(&r.taken),
            cell(r.late.as_deref().unwrap_or("")),
            cell(r.error.as_deref().unwrap_or(""))
        );
    }
    out
}
