//! The progress line on stderr while grading, drawn by `indicatif` (as
//! nextest draws its own): a spinner with the elapsed time while the
//! exercises compile, then a bar of the tests run so far with the last
//! one's name.
//!
//! Drawn only when asked for and stderr is a terminal, at most 20 times a
//! second, fitted to the terminal's width (the bar is left out on a narrow
//! one). Standard output written through [`out!`](crate::out) (and a
//! warning through [`warnln!`](crate::warnln)) erases the line first and
//! draws it again after ([`hide_while`]). [`Live::finish`] erases it for
//! good.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use colored::Colorize;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle, WeakProgressBar};

use crate::pipeline::engine::Event;
use crate::report::plural;

/// How often the spinner moves while compiling.
const TICK: Duration = Duration::from_millis(100);
/// Most draws a second.
const REFRESH_HZ: u8 = 20;
/// Terminals narrower than this get the count and the name, no bar.
const BAR_FROM: usize = 60;

/// The style while the exercises compile.
fn compiling_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} compiling {msg} [{elapsed}]")
        .expect("a valid template")
        .tick_chars("|/-\\ ")
}

/// The style while tests run, for a terminal `width` columns wide.
fn running_style(width: usize) -> ProgressStyle {
    let template = if width >= BAR_FROM {
        "[{bar:30}] {pos}/{len} tests {wide_msg}"
    } else {
        "{pos}/{len} tests {wide_msg}"
    };
    ProgressStyle::with_template(template)
        .expect("a valid template")
        .progress_chars("#-")
}

/// A test's name as the line shows it: control characters (a name comes
/// from the student's code) cannot move the cursor.
fn printable(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// The line on the terminal now, for [`hide_while`].
static CURRENT: Mutex<Option<WeakProgressBar>> = Mutex::new(None);
/// Whether [`CURRENT`] may hold a line (spares `out!` the lock otherwise).
static ANY: AtomicBool = AtomicBool::new(false);

/// Runs `write` (output to stdout, or a warning to stderr through
/// [`warnln!`](crate::warnln)) with the progress line erased, so the output
/// does not land in the middle of it; the line is drawn again after.
/// Without a line on screen, just runs `write`.
pub fn hide_while<R>(write: impl FnOnce() -> R) -> R {
    if !ANY.load(Ordering::Relaxed) {
        return write();
    }
    let bar = CURRENT
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
        .and_then(WeakProgressBar::upgrade);
    match bar {
        Some(bar) => bar.suspend(write),
        None => write(),
    }
}

/// Draws grading progress on stderr (nothing when hidden).
pub struct Live {
    bar: Option<ProgressBar>,
    /// The terminal's width when the tests start (picks the style).
    width: fn() -> Option<usize>,
}

impl Live {
    /// A progress display on stderr; `visible` is false in CI (and where the
    /// caller wants none). Nothing is drawn either when stderr is not a
    /// terminal. It takes the place of any earlier display for
    /// [`hide_while`].
    pub fn new(visible: bool) -> Live {
        if !(visible && std::io::stderr().is_terminal()) {
            return Live {
                bar: None,
                width: stderr_width,
            };
        }
        let live = Live::drawing(ProgressDrawTarget::stderr_with_hz(REFRESH_HZ), stderr_width);
        if let Some(bar) = &live.bar {
            *CURRENT.lock().unwrap_or_else(|e| e.into_inner()) = Some(bar.downgrade());
            ANY.store(true, Ordering::Relaxed);
        }
        live
    }

    /// A display drawn on `target`.
    fn drawing(target: ProgressDrawTarget, width: fn() -> Option<usize>) -> Live {
        Live {
            bar: Some(ProgressBar::with_draw_target(None, target)),
            width,
        }
    }

    /// Updates the display for one event.
    pub fn event(&mut self, event: Event) {
        let Some(bar) = &self.bar else {
            return;
        };
        match event {
            Event::Cached { exercises } => bar.println(format!(
                "{} {} reused from the cache",
                "cache".dimmed(),
                plural(exercises as u64, "unchanged exercise")
            )),
            Event::Compiling { exercises } => {
                bar.set_style(compiling_style());
                bar.set_message(plural(exercises as u64, "exercise"));
                bar.enable_steady_tick(TICK);
            }
            Event::Running { tests } => {
                bar.disable_steady_tick();
                bar.set_style(running_style((self.width)().unwrap_or(80)));
                bar.set_message("");
                bar.set_length(tests as u64);
                bar.set_position(0);
            }
            Event::TestFinished { exercise, test } => {
                bar.set_message(printable(&format!("{exercise}::{}", test.name)));
                bar.inc(1);
            }
        }
    }

    /// Removes the display.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        self.finish();
    }
}

/// The width of the terminal on stderr, where the line is drawn.
fn stderr_width() -> Option<usize> {
    crate::report::output::width_of(std::io::stderr())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::fixture;
    use crate::pipeline::grade::TestStatus;
    use indicatif::InMemoryTerm;

    fn on(columns: u16) -> (Live, InMemoryTerm) {
        let term = InMemoryTerm::new(4, columns);
        let live = Live::drawing(
            ProgressDrawTarget::term_like(Box::new(term.clone())),
            match columns {
                0..60 => || Some(40),
                _ => || Some(100),
            },
        );
        (live, term)
    }

    fn finish_tests(live: &mut Live, n: usize) {
        let t = fixture::test("allocates_once", TestStatus::Passed, 1.0);
        for _ in 0..n {
            live.event(Event::TestFinished {
                exercise: "join_words",
                test: &t,
            });
        }
    }

    #[test]
    fn the_bar_fills_with_the_tests_done_and_is_erased_at_the_end() {
        colored::control::set_override(false);
        let (mut live, term) = on(100);
        live.event(Event::Running { tests: 4 });
        finish_tests(&mut live, 2);
        let bar = live.bar.as_ref().unwrap();
        bar.tick();
        assert_eq!(
            term.contents(),
            format!(
                "[{}{}] 2/4 tests join_words::allocates_once",
                "#".repeat(15),
                "-".repeat(15)
            )
        );
        live.finish();
        assert_eq!(term.contents(), "");
    }

    #[test]
    fn a_narrow_terminal_keeps_the_count_and_shortens_the_name() {
        let (mut live, term) = on(30);
        live.event(Event::Running { tests: 12 });
        finish_tests(&mut live, 3);
        live.bar.as_ref().unwrap().tick();
        let shown = term.contents();
        assert!(shown.starts_with("3/12 tests join_words::"), "{shown:?}");
        assert!(!shown.contains('['), "{shown:?}");
        assert!(shown.chars().count() <= 30, "{shown:?}");
    }

    #[test]
    fn compiling_shows_a_spinner_and_the_cache_line_goes_above() {
        colored::control::set_override(false);
        let (mut live, term) = on(100);
        live.event(Event::Compiling { exercises: 2 });
        live.event(Event::Cached { exercises: 1 });
        live.bar.as_ref().unwrap().tick();
        let shown = term.contents();
        let mut lines = shown.lines();
        assert_eq!(
            lines.next(),
            Some("cache 1 unchanged exercise reused from the cache")
        );
        let line = lines.next().unwrap_or_default();
        assert!(line.contains(" compiling 2 exercises [0s]"), "{shown:?}");
        live.finish();
    }

    #[test]
    fn control_characters_in_a_test_name_are_not_drawn() {
        assert_eq!(printable("a\x1b[2Jb\rc"), "a?[2Jb?c");
    }

    #[test]
    fn output_erases_the_line_first_and_it_is_drawn_again_after() {
        let (mut live, term) = on(100);
        live.event(Event::Running { tests: 2 });
        finish_tests(&mut live, 1);
        let bar = live.bar.clone().unwrap();
        bar.tick();
        assert!(term.contents().contains("1/2 tests"));
        *CURRENT.lock().unwrap() = Some(bar.downgrade());
        ANY.store(true, Ordering::Relaxed);
        let during = hide_while(|| term.contents());
        assert_eq!(during, "", "the line is erased while output is written");
        assert!(
            term.contents().contains("1/2 tests"),
            "{:?}",
            term.contents()
        );
        live.finish();
    }

    #[test]
    fn nothing_is_drawn_when_hidden() {
        let mut live = Live::new(false);
        live.event(Event::Compiling { exercises: 1 });
        assert!(live.bar.is_none());
    }
}
