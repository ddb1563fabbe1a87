//! `memgrade watch`: grades the current exercise (the first one not passed,
//! in course order), then grades it again shortly after every save under its
//! directory, with its task, the failure reasons, hints and progress on
//! screen. Single keys drive it: `h` next hint, `n` next exercise, `l` list,
//! `c` check all, `r` re-run, `q` quit (also while grading: it stops the
//! running tests at once). The list is interactive: arrows or `j`/`k` move,
//! Enter watches the exercise under the cursor, `r` resets it to its stub
//! after a `y`, `l`, `q` or Esc goes back, and any other key leaves the list
//! and does what it does outside it.
//!
//! On a terminal the keys are read one at a time (the terminal's line
//! buffering and echo are switched off while watch runs and restored when it
//! ends); otherwise whole lines are read and no escape sequences are written.
//! Grading goes through [`engine::grade`], so the engine's time and memory
//! limits also bound every test watch runs.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::Result;
use colored::Colorize;

use crate::color::{ColorChoice, setup_color};
use crate::course::select::{exercise_here, resolve};
use crate::course::stub::reset_exercise;
use crate::course::{Course, Exercise};
use crate::exit::EXIT_OK;
use crate::pipeline::engine::{self, BuildTree, Options};
use crate::pipeline::grade::{ExerciseGrade, ExerciseStatus};
use crate::process::child::{Interrupted, install_interrupt_handler, interrupted};
use crate::report::output::fit;
use crate::report::progress::Progress;
use crate::report::progress::list_text;
use crate::report::terminal::{self, Live};
use crate::store::state::{State, record_results};
use crate::watch::Input;
use crate::watch::files::start_watching;
use crate::watch::keys::{
    CTRL_C, DOWN, ESC, RawMode, UP, quit_requested, set_grading, spawn_input,
};

/// How long after the last change event grading starts.
const DEBOUNCE: Duration = Duration::from_millis(200);

/// Runs the watch loop until `q`, end of input or Ctrl-C. `exercise`: the
/// one to start on (else the one whose directory holds the current
/// directory, else the first not passed). `welcome`: greet a student who
/// started memgrade without a command.
pub fn run(
    root: Option<&Path>,
    exercise: Option<&str>,
    jobs: Option<usize>,
    welcome: bool,
) -> Result<i32> {
    let course = Course::discover_and_load(root)?;
    let tty = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    if !tty {
        setup_color(ColorChoice::Never, true);
    }
    install_interrupt_handler();
    let (state, _) = State::load(&course.root);
    let chosen = match exercise {
        Some(q) => Some(resolve(&course, q)?.name.clone()),
        None => exercise_here(&course).map(|e| e.name.clone()),
    };
    let Some(first) = chosen.or(Progress::from_state(&course, &state).next) else {
        outln!("{}", "Every exercise passes. Well done!".green().bold());
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
    let welcome = welcome.then(|| welcome_text(&course, &first));
    let mut w = Watch {
        course,
        tty,
        opts,
        current: first,
        last: None,
        note: how.clone(),
        how,
        welcome,
        list: None,
        confirm: None,
    };
    if let Err(code) = w.regrade(true) {
        return Ok(code);
    }
    w.draw();
    Ok(w.serve(&rx))
}

/// A save waiting for the debounce to pass before it is graded.
struct Pending {
    /// When grading starts.
    at: Instant,
    /// The changed file, relative to the course.
    changed: String,
}

impl Watch {
    /// The main loop: acts on every input until one ends watch; returns the
    /// exit code.
    fn serve(&mut self, rx: &mpsc::Receiver<Input>) -> i32 {
        let mut due: Option<Pending> = None;
        loop {
            if interrupted() {
                return stopped();
            }
            let wait = match &due {
                Some(p) => {
                    p.at.saturating_duration_since(Instant::now())
                        .min(Duration::from_millis(250))
                }
                None => Duration::from_millis(250),
            };
            let ended = match rx.recv_timeout(wait) {
                Ok(input) => self.on_input(input, &mut due),
                Err(RecvTimeoutError::Timeout) => self.on_tick(&mut due),
                Err(RecvTimeoutError::Disconnected) => Some(EXIT_OK),
            };
            if let Some(code) = ended {
                return code;
            }
        }
    }

    /// Acts on one input; `Some(code)` ends watch.
    fn on_input(&mut self, input: Input, due: &mut Option<Pending>) -> Option<i32> {
        match input {
            Input::Changed(path) => {
                let dir = self.course.root.join(&self.exercise().dir);
                if path.starts_with(&dir) {
                    let changed = path.strip_prefix(&self.course.root).unwrap_or(&path);
                    *due = Some(Pending {
                        at: Instant::now() + DEBOUNCE,
                        changed: changed.display().to_string(),
                    });
                }
                None
            }
            Input::WatchError(e) => {
                self.note = format!(
                    "watching failed: {e}; restart watch (MEMGRADE_WATCH_POLL=1 polls instead)"
                );
                self.draw();
                None
            }
            Input::Closed => {
                outln!("input closed; watch stops.");
                Some(EXIT_OK)
            }
            Input::Key(key) => {
                if matches!(key, 'r' | 'R') && self.list.is_none() && self.confirm.is_none() {
                    *due = None;
                }
                self.on_key(key)
            }
        }
    }

    /// Grades again once a save's debounce has passed; `Some(code)` when
    /// grading was interrupted.
    fn on_tick(&mut self, due: &mut Option<Pending>) -> Option<i32> {
        let pending = due.take_if(|p| Instant::now() >= p.at)?;
        self.welcome = None;
        if self.list.is_none() {
            self.note = format!(
                "graded again after a change to {}; {}",
                pending.changed, self.how
            );
        }
        if let Err(code) = self.regrade(true) {
            return Some(code);
        }
        // The list (and a question in it) comes back as it was.
        self.draw();
        None
    }
}

/// The greeting shown above the first exercise when memgrade starts without
/// a command.
fn welcome_text(course: &Course, first: &str) -> String {
    let file = course
        .exercise(first)
        .map(|e| e.dir.join("src/lib.rs").display().to_string())
        .unwrap_or_default();
    format!(
        "Welcome to {}!\nOne exercise at a time: edit {file} and save; memgrade grades it again on every save.\nPress h for a hint, l for the list of exercises, q to quit.",
        course.title
    )
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
    /// The greeting, until the first save.
    welcome: Option<String>,
    /// The interactive list, when shown: the row under the cursor.
    list: Option<usize>,
    /// The exercise waiting for a `y` to be reset.
    confirm: Option<String>,
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
            out!("\x1b[2J\x1b[H");
        }
        outln!("grading {} ...", exercise.name);
        crate::report::output::flush();
        let mut opts = self.opts.clone();
        opts.use_cache = use_cache;
        let tree = BuildTree {
            root: self.course.root.clone(),
            overlay: false,
            launcher: Default::default(),
        };
        let mut live = Live::new(self.tty && std::io::stderr().is_terminal());
        set_grading(true);
        let result = engine::grade(&self.course, &[&exercise], &tree, &opts, &mut |ev| {
            live.event(ev)
        });
        set_grading(false);
        live.finish();
        match result {
            Ok(mut grade) => {
                record_results(&self.course, &grade);
                // Where the first memory failure's memory went (one on a
                // screen): its test once more with allocation sites recorded.
                crate::cmd::profile::attach_sites(&self.course, &mut grade, false, 1);
                self.last = grade
                    .exercises
                    .into_iter()
                    .find(|e| e.name == exercise.name)
                    .map(Ok);
                Ok(())
            }
            Err(e) if e.downcast_ref::<Interrupted>().is_some() || interrupted() => Err(stopped()),
            Err(e) => {
                self.last = Some(Err(format!("{e:#}")));
                Ok(())
            }
        }
    }

    fn clear(&self) {
        if self.tty {
            out!("\x1b[2J\x1b[H");
        } else {
            outln!();
            outln!("{}", "=".repeat(72));
        }
    }

    /// Draws the whole screen: the list when it is shown, else the current
    /// exercise.
    fn draw(&self) {
        if let Some(cursor) = self.list {
            self.draw_list(cursor);
            return;
        }
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
        if let Some(welcome) = &self.welcome {
            out.push_str(&format!("{}\n\n", welcome.bold()));
        }
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
                let notes =
                    crate::report::advice::notes(&self.course.root, std::slice::from_ref(g));
                terminal::render_exercise_with(&mut out, g, &notes, &mut true);
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
            if total == 1 { "" } else { "s" },
            e.name
        ));
        self.clear();
        out!("{}", fit(&out));
        self.keys_line();
    }

    /// Draws the interactive list with the cursor on row `cursor`.
    fn draw_list(&self, cursor: usize) {
        let (state, _) = State::load(&self.course.root);
        let mut out = format!(
            "{}\n\n{}",
            "Exercises".bold(),
            list_text(
                &self.course,
                &state,
                Some(cursor),
                crate::report::output::terminal_width()
            )
        );
        out.push('\n');
        out.push_str(&format!(
            "{}\n",
            "keys: ↑/↓ or j/k move · Enter watch it · r reset it · l or Esc back".dimmed()
        ));
        if !self.note.is_empty() {
            out.push_str(&format!("{}\n", self.note));
        }
        self.clear();
        out!("{}", fit(&out));
        crate::report::output::flush();
    }

    /// Acts on one key; `Some(code)` ends watch with that exit code.
    fn on_key(&mut self, key: char) -> Option<i32> {
        if let Some(name) = self.confirm.take() {
            self.answer_reset(&name, key);
            self.draw();
            return None;
        }
        if let Some(cursor) = self.list {
            return self.on_list_key(cursor, key);
        }
        self.on_exercise_key(key)
    }

    /// The answer to "Reset `name`?": `y` resets it, any other key does not.
    fn answer_reset(&mut self, name: &str, key: char) {
        if !matches!(key, 'y' | 'Y') {
            self.note = format!("{name} not reset");
            return;
        }
        self.note = match self
            .course
            .exercise(name)
            .map(|e| reset_exercise(&self.course, e))
        {
            Some(Ok(0)) => format!("{name} was already as shipped"),
            Some(Ok(n)) => format!(
                "{name} reset to the stub ({n} file{} restored)",
                if n == 1 { "" } else { "s" }
            ),
            Some(Err(e)) => format!("could not reset {name}: {e:#}"),
            None => format!("{name} is no longer in the course"),
        };
    }

    /// A key in the list, with the cursor on row `cursor`.
    fn on_list_key(&mut self, cursor: usize, key: char) -> Option<i32> {
        let last = self.course.exercises.len().saturating_sub(1);
        match key {
            'j' | 'J' | DOWN => self.list = Some((cursor + 1).min(last)),
            'k' | 'K' | UP => self.list = Some(cursor.saturating_sub(1)),
            '\n' | '\r' => {
                self.list = None;
                let picked = self.course.exercises[cursor].name.clone();
                if picked != self.current {
                    self.current = picked;
                    self.last = None;
                }
                self.welcome = None;
                self.note = self.how.clone();
                if let Err(code) = self.regrade(true) {
                    return Some(code);
                }
            }
            'r' | 'R' => {
                let name = self.course.exercises[cursor].name.clone();
                self.note = format!(
                    "Reset {name} to its stub and lose your changes? y: yes, any other key: no"
                );
                self.confirm = Some(name);
            }
            'l' | 'L' | 'q' | 'Q' | ESC => {
                self.list = None;
                self.note = self.how.clone();
            }
            ' ' => {}
            // Any other key leaves the list and does what it does
            // outside it (c checks all, h shows a hint, Ctrl-C quits).
            other => {
                self.list = None;
                self.note = self.how.clone();
                return self.on_key(other);
            }
        }
        self.draw();
        None
    }

    /// A key while an exercise is shown.
    fn on_exercise_key(&mut self, key: char) -> Option<i32> {
        match key {
            'q' | 'Q' | '\u{4}' => {
                outln!("bye.");
                return Some(EXIT_OK);
            }
            // Ctrl-C as a key (Windows' console): as the signal would.
            CTRL_C => return Some(stopped()),
            'r' | 'R' => {
                self.note = "graded again without the cache".into();
                if let Err(code) = self.regrade(false) {
                    return Some(code);
                }
                self.draw();
            }
            'h' | 'H' => {
                self.reveal_hint();
                self.draw();
            }
            'n' | 'N' => {
                if let Err(code) = self.next_exercise() {
                    return Some(code);
                }
                self.draw();
            }
            'l' | 'L' => {
                let here = self
                    .course
                    .exercises
                    .iter()
                    .position(|x| x.name == self.current)
                    .unwrap_or(0);
                self.list = Some(here);
                self.note = String::new();
                self.draw();
            }
            'c' | 'C' => {
                if let Err(code) = self.check_all() {
                    return Some(code);
                }
            }
            ' ' | '\n' | '\r' => {}
            other => {
                self.note = format!("unknown key `{}`", other.escape_default());
                self.draw();
            }
        }
        None
    }

    fn keys_line(&self) {
        let keys = format!(
            "{}  {}",
            "keys: h hint · n next exercise · l list · c check all · r re-run · q quit (also stops grading)".dimmed(),
            if self.tty {
                ""
            } else {
                "(type a key and Enter)"
            }
        );
        outln!("{}", fit(keys.trim_end()));
        if !self.note.is_empty() {
            outln!("{}", self.note.dimmed());
        }
        crate::report::output::flush();
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
        outln!("grading every exercise ...");
        crate::report::output::flush();
        let all: Vec<&Exercise> = self.course.exercises.iter().collect();
        let tree = BuildTree {
            root: self.course.root.clone(),
            overlay: false,
            launcher: Default::default(),
        };
        let mut live = Live::new(self.tty && std::io::stderr().is_terminal());
        set_grading(true);
        let result = engine::grade(&self.course, &all, &tree, &self.opts, &mut |ev| {
            live.event(ev)
        });
        set_grading(false);
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
                let notes = crate::report::advice::notes(&self.course.root, &grade.exercises);
                out!("{}", fit(&terminal::render_with(&grade, &notes)));
                outln!();
                Progress::from_state(&self.course, &state).print();
            }
            Err(e) if e.downcast_ref::<Interrupted>().is_some() || interrupted() => {
                return Err(stopped());
            }
            Err(e) => outln!("{} {e:#}", "could not grade:".red().bold()),
        }
        self.keys_line();
        Ok(())
    }
}

/// The exit code when grading was stopped: 0 when the student pressed `q`
/// (watch ends as asked), else the interrupting signal's.
fn stopped() -> i32 {
    if quit_requested() {
        outln!("grading stopped; bye.");
        EXIT_OK
    } else {
        crate::process::child::interrupt_exit_code()
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
