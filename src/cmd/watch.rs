//! `memgrade watch`: grades the current exercise (the first one not passed,
//! in course order), then grades it again shortly after every save under its
//! directory, with its task, the failure reasons, hints and progress on
//! screen. Single keys drive it: `h` next hint, `n` next exercise, `l` list,
//! `c` check all, `r` re-run, `q` quit.
//!
//! On a terminal the keys are read one at a time (the terminal's line
//! buffering and echo are switched off while watch runs and restored when it
//! ends); otherwise whole lines are read and no escape sequences are written.
//! Grading goes through [`engine::grade`], so the engine's time and memory
//! limits also bound every test watch runs.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::Result;
use colored::Colorize;

use crate::color::{ColorChoice, setup_color};
use crate::course::{Course, Exercise};
use crate::engine::{self, BuildTree, Options};
use crate::exit::EXIT_OK;
use crate::grade::{ExerciseGrade, ExerciseStatus};
use crate::progress::Progress;
use crate::report::terminal::{self, Live};
use crate::run::{Interrupted, install_interrupt_handler, interrupted};
use crate::state::{State, record_results};
use crate::watch::Input;
use crate::watch::files::start_watching;
use crate::watch::keys::{RawMode, spawn_input};

/// How long after the last change event grading starts.
const DEBOUNCE: Duration = Duration::from_millis(200);

/// Runs the watch loop until `q`, end of input or Ctrl-C.
pub fn run(root: Option<&Path>, jobs: Option<usize>) -> Result<i32> {
    let course = Course::discover_and_load(root)?;
    let tty = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    if !tty {
        setup_color(ColorChoice::Never, true);
    }
    install_interrupt_handler();
    let (state, _) = State::load(&course.root);
    let Some(first) = Progress::from_state(&course, &state).next else {
        println!("{}", "Every exercise passes. Well done!".green().bold());
        return Ok(EXIT_OK);
    };

    let (tx, rx) = mpsc::channel();
    let (_watcher, how) = start_watching(&course, tx.clone());
    let _raw = if tty { RawMode::enable() } else { None };
    spawn_input(tx, tty);

    let mut opts = Options::default();
    if let Some(j) = jobs {
        opts.jobs = j.max(1);
    }
    let mut w = Watch {
        course,
        tty,
        opts,
        current: first,
        last: None,
        note: how.clone(),
        how,
    };
    if let Err(code) = w.regrade(true) {
        return Ok(code);
    }
    w.draw();

    let mut due: Option<Instant> = None;
    let mut changed = String::new();
    loop {
        if interrupted() {
            return Ok(crate::run::interrupt_exit_code());
        }
        let wait = match due {
            Some(at) => at
                .saturating_duration_since(Instant::now())
                .min(Duration::from_millis(250)),
            None => Duration::from_millis(250),
        };
        match rx.recv_timeout(wait) {
            Ok(Input::Changed(path)) => {
                let dir = w.course.root.join(&w.exercise().dir);
                if path.starts_with(&dir) {
                    due = Some(Instant::now() + DEBOUNCE);
                    changed = path
                        .strip_prefix(&w.course.root)
                        .unwrap_or(&path)
                        .display()
                        .to_string();
                }
            }
            Ok(Input::WatchError(e)) => {
                w.note = format!(
                    "watching failed: {e}; restart watch (MEMGRADE_WATCH_POLL=1 polls instead)"
                );
                w.draw();
            }
            Ok(Input::Closed) => {
                println!("input closed; watch stops.");
                return Ok(EXIT_OK);
            }
            Ok(Input::Key(key)) => match key {
                'q' | 'Q' | '\u{3}' | '\u{4}' => {
                    println!("bye.");
                    return Ok(EXIT_OK);
                }
                'r' | 'R' => {
                    due = None;
                    w.note = "graded again without the cache".into();
                    if let Err(code) = w.regrade(false) {
                        return Ok(code);
                    }
                    w.draw();
                }
                'h' | 'H' => {
                    w.reveal_hint();
                    w.draw();
                }
                'n' | 'N' => {
                    if let Err(code) = w.next_exercise() {
                        return Ok(code);
                    }
                    w.draw();
                }
                'l' | 'L' => {
                    w.clear();
                    if let Ok(course) = Course::load(&w.course.root) {
                        crate::progress::print_list(&course);
                    }
                    w.keys_line();
                }
                'c' | 'C' => {
                    if let Err(code) = w.check_all() {
                        return Ok(code);
                    }
                }
                ' ' | '\n' | '\r' => {}
                other => {
                    w.note = format!("unknown key `{}`", other.escape_default());
                    w.draw();
                }
            },
            Err(RecvTimeoutError::Timeout) => {
                if due.is_some_and(|at| Instant::now() >= at) {
                    due = None;
                    w.note = format!("graded again after a change to {changed}; {}", w.how);
                    if let Err(code) = w.regrade(true) {
                        return Ok(code);
                    }
                    w.draw();
                }
            }
            Err(RecvTimeoutError::Disconnected) => return Ok(EXIT_OK),
        }
    }
}

/// The state of one watch session.
struct Watch {
    course: Course,
    tty: bool,
    opts: Options,
    /// Name of the exercise being watched.
    current: String,
    /// Its last grade, or the error that stopped grading.
    last: Option<Result<ExerciseGrade, String>>,
    /// A one-line message under the keys.
    note: String,
    /// How files are watched (shown when nothing else is to say).
    how: String,
}

impl Watch {
    fn exercise(&self) -> &Exercise {
        self.course
            .exercise(&self.current)
            .expect("the current exercise is in the course")
    }

    /// Grades the current exercise and records the result. `Err` carries the
    /// exit code when grading was interrupted.
    fn regrade(&mut self, use_cache: bool) -> Result<(), i32> {
        let exercise = self.exercise().clone();
        if self.tty {
            print!("\x1b[2J\x1b[H");
        }
        println!("grading {} ...", exercise.name);
        let _ = std::io::stdout().flush();
        let mut opts = self.opts.clone();
        opts.use_cache = use_cache;
        let tree = BuildTree {
            root: self.course.root.clone(),
            overlay: false,
            launcher: Default::default(),
        };
        let mut live = Live::new(self.tty && std::io::stderr().is_terminal());
        let result = engine::grade(&self.course, &[&exercise], &tree, &opts, &mut |ev| {
            live.event(ev)
        });
        live.finish();
        match result {
            Ok(grade) => {
                record_results(&self.course, &grade);
                self.last = grade
                    .exercises
                    .into_iter()
                    .find(|e| e.name == exercise.name)
                    .map(Ok);
                Ok(())
            }
            Err(e) if e.downcast_ref::<Interrupted>().is_some() || interrupted() => {
                Err(crate::run::interrupt_exit_code())
            }
            Err(e) => {
                self.last = Some(Err(format!("{e:#}")));
                Ok(())
            }
        }
    }

    fn clear(&self) {
        if self.tty {
            print!("\x1b[2J\x1b[H");
        } else {
            println!();
            println!("{}", "=".repeat(72));
        }
    }

    /// Draws the whole screen for the current exercise.
    fn draw(&self) {
        let e = self.exercise();
        let (state, _) = State::load(&self.course.root);
        let progress = Progress::from_state(&self.course, &state);
        let index = self
            .course
            .exercises
            .iter()
            .position(|x| x.name == e.name)
            .unwrap_or(0)
            + 1;
        let mut out = String::new();
        out.push_str(&format!(
            "{} {} {}\n",
            "memgrade watch:".bold(),
            e.name.bold().cyan(),
            format!(
                "(exercise {index} of {}, {})",
                self.course.exercises.len(),
                e.dir.display()
            )
            .dimmed()
        ));
        if let Some(task) = task_line(&self.course.root.join(&e.dir)) {
            out.push_str(&format!("{} {task}\n", "Task:".bold()));
        }
        out.push('\n');
        match &self.last {
            Some(Ok(g)) => {
                terminal::render_exercise(&mut out, g, &mut true);
                if g.status == ExerciseStatus::Passed {
                    let line = match &progress.next {
                        Some(_) => format!("{} passes! Press n for the next exercise.", e.name),
                        None => "Every exercise passes. Well done!".to_string(),
                    };
                    out.push_str(&format!("\n{}\n", line.green().bold()));
                }
            }
            Some(Err(msg)) => out.push_str(&format!("{} {msg}\n", "could not grade:".red().bold())),
            None => {}
        }
        let total = e.hints.len();
        let seen = state.hints_seen(e);
        if seen > 0 {
            out.push('\n');
            for (i, hint) in e.hints.iter().enumerate().take(seen) {
                out.push_str(&format!(
                    "{} {hint}\n",
                    format!("Hint {} of {total}:", i + 1).yellow().bold()
                ));
            }
        }
        out.push('\n');
        out.push_str(&progress.summary_line());
        out.push('\n');
        out.push_str(&format!(
            "{} of {total} hint level{} left for {}\n",
            total - seen,
            if total - seen == 1 { "" } else { "s" },
            e.name
        ));
        self.clear();
        print!("{out}");
        self.keys_line();
    }

    fn keys_line(&self) {
        println!(
            "{}  {}",
            "keys: h hint · n next exercise · l list · c check all · r re-run · q quit".dimmed(),
            if self.tty {
                ""
            } else {
                "(type a key and Enter)"
            }
        );
        if !self.note.is_empty() {
            println!("{}", self.note.dimmed());
        }
        let _ = std::io::stdout().flush();
    }

    /// Reveals and records the next hint level, like `memgrade hint`.
    fn reveal_hint(&mut self) {
        let e = self.exercise().clone();
        let (mut state, _) = State::load(&self.course.root);
        let total = e.hints.len();
        let seen = state.hints_seen(&e);
        if seen >= total {
            self.note = format!("that was the last hint for {}", e.name);
            return;
        }
        state.hints_revealed.insert(e.name.clone(), seen + 1);
        self.note = match state.save(&self.course.root) {
            Ok(()) => format!("hint {} of {total} revealed", seen + 1),
            Err(err) => format!("could not record the hint: {err:#}"),
        };
    }

    /// Moves to the next exercise not passed, once the current one passed.
    fn next_exercise(&mut self) -> Result<(), i32> {
        let (state, _) = State::load(&self.course.root);
        if !state.passed(&self.current) {
            self.note = format!(
                "{} does not pass yet; n moves on once it does",
                self.current
            );
            return Ok(());
        }
        match Progress::from_state(&self.course, &state).next {
            Some(next) => {
                self.current = next;
                self.note = self.how.clone();
                self.last = None;
                self.regrade(true)
            }
            None => {
                self.note = "Every exercise passes. Well done!".into();
                Ok(())
            }
        }
    }

    /// Grades every exercise (through the cache) and shows the report.
    fn check_all(&mut self) -> Result<(), i32> {
        self.clear();
        println!("grading every exercise ...");
        let _ = std::io::stdout().flush();
        let all: Vec<&Exercise> = self.course.exercises.iter().collect();
        let tree = BuildTree {
            root: self.course.root.clone(),
            overlay: false,
            launcher: Default::default(),
        };
        let mut live = Live::new(self.tty && std::io::stderr().is_terminal());
        let result = engine::grade(&self.course, &all, &tree, &self.opts, &mut |ev| {
            live.event(ev)
        });
        live.finish();
        match result {
            Ok(grade) => {
                let state = record_results(&self.course, &grade);
                self.last = grade
                    .exercises
                    .iter()
                    .find(|e| e.name == self.current)
                    .cloned()
                    .map(Ok);
                self.clear();
                print!("{}", terminal::render(&grade));
                println!();
                Progress::from_state(&self.course, &state).print();
            }
            Err(e) if e.downcast_ref::<Interrupted>().is_some() || interrupted() => {
                return Err(crate::run::interrupt_exit_code());
            }
            Err(e) => println!("{} {e:#}", "could not grade:".red().bold()),
        }
        self.keys_line();
        Ok(())
    }
}

/// The `**Task:**` line of an exercise's README, without the marker.
pub fn task_line(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join("README.md")).ok()?;
    text.lines()
        .find_map(|l| l.trim_start().strip_prefix("**Task:**"))
        .map(|t| t.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_line_reads_the_readme() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("README.md"),
            "# X\n\n**Task:** make it small.\n",
        )
        .unwrap();
        assert_eq!(task_line(dir.path()).as_deref(), Some("make it small."));
        std::fs::write(dir.path().join("README.md"), "# X\n").unwrap();
        assert_eq!(task_line(dir.path()), None);
    }
}
