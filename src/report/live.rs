//! The progress line on stderr while grading: a spinner with the elapsed
//! time while the exercises compile, then a bar of the tests run so far with
//! the last one's name.
//!
//! Drawn only when asked for and stderr is a terminal; redrawn at most 20
//! times a second (a ticker thread keeps the spinner and the time moving),
//! never wider than the terminal (one column is left free so the terminal
//! never wraps it), in ASCII. Standard output written through
//! [`out!`](crate::out) (and a warning through [`warnln!`](crate::warnln))
//! erases the line first ([`hide_while`]); the next
//! tick draws it again below. [`Live::finish`] erases it for good.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant};

use colored::Colorize;

use crate::pipeline::engine::Event;
use crate::report::progress::bar;

/// The spinner's frames.
const SPINNER: [char; 4] = ['|', '/', '-', '\\'];
/// How often the ticker redraws (spinner frames, elapsed time, pending
/// updates).
const TICK: Duration = Duration::from_millis(100);
/// The shortest time between two draws caused by events.
const MIN_REDRAW: Duration = Duration::from_millis(50);
/// Columns of the bar's `#`/`-` part when the terminal has room.
const BAR_WIDTH: usize = 30;
/// Columns kept for the test's name before the bar gets them.
const NAME_ROOM: usize = 20;
/// A bar narrower than this is left out.
const MIN_BAR_WIDTH: usize = 5;
/// The width assumed when the terminal does not say.
const DEFAULT_WIDTH: usize = 80;
/// Moves to the start of the line and erases it.
const ERASE: &str = "\r\x1b[K";

/// What the line shows.
#[derive(Debug, Clone, PartialEq)]
enum Phase {
    /// Nothing yet.
    Idle,
    /// The compile step of this many exercises.
    Compiling { exercises: usize },
    /// Tests: finished, planned, and the last one finished.
    Running {
        done: usize,
        total: usize,
        last: String,
    },
}

/// `3s`, or `2m` from a minute and a half on.
fn elapsed_text(elapsed: Duration) -> String {
    let secs = elapsed.as_secs();
    if secs < 90 {
        format!("{secs}s")
    } else {
        format!("{}m", (secs + 30) / 60)
    }
}

/// `s` cut to at most `max` characters, ending in `...` when cut.
fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    if max <= 3 {
        return s.chars().take(max).collect();
    }
    let kept: String = s.chars().take(max - 3).collect();
    format!("{kept}...")
}

/// The text of the line for `phase`, `elapsed` since grading started and
/// spinner frame `tick`, at most `width - 1` columns wide.
fn render(phase: &Phase, elapsed: Duration, tick: usize, width: usize) -> String {
    let room = width.saturating_sub(1);
    match phase {
        Phase::Idle => String::new(),
        Phase::Compiling { exercises } => cut(
            &format!(
                "{} compiling {exercises} exercise(s) [{}]",
                SPINNER[tick % SPINNER.len()],
                elapsed_text(elapsed)
            ),
            room,
        ),
        Phase::Running { done, total, last } => {
            let count = format!("{done}/{total} tests");
            // On a narrow terminal the bar shrinks (then goes) to leave
            // the name some room; the count stays; the name gets the rest.
            let bar_room = room.saturating_sub(count.len() + 3 + NAME_ROOM);
            let bar_width = BAR_WIDTH.min(bar_room);
            let line = if bar_width >= MIN_BAR_WIDTH {
                format!("{} {count}", bar(*done, *total, bar_width))
            } else {
                count
            };
            let name_room = room.saturating_sub(line.len() + 1);
            let line = if last.is_empty() || name_room == 0 {
                line
            } else {
                format!("{line} {}", cut(last, name_room))
            };
            cut(&line, room)
        }
    }
}

/// A test's name as the line shows it: control characters (a name comes
/// from the student's code) cannot move the cursor.
fn printable(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// The width of the terminal on stderr, where the line is drawn.
fn stderr_width() -> Option<usize> {
    crate::report::output::width_of(std::io::stderr())
}

/// The drawn line and where it goes.
struct Line {
    out: Box<dyn Write + Send>,
    width: fn() -> Option<usize>,
    phase: Phase,
    started: Instant,
    /// Spinner frame.
    tick: usize,
    /// Whether the line is on screen now.
    drawn: bool,
    /// Whether the screen is behind the phase.
    dirty: bool,
    last_draw: Option<Instant>,
    finished: bool,
}

impl Line {
    /// Writes `bytes` in one piece (stderr is unbuffered: a frame written
    /// in parts could flicker).
    fn put(&mut self, bytes: &str) {
        let _ = self.out.write_all(bytes.as_bytes());
        let _ = self.out.flush();
    }

    /// Draws the current text over the line.
    fn draw(&mut self, now: Instant) {
        if self.finished || self.phase == Phase::Idle {
            return;
        }
        let width = (self.width)().unwrap_or(DEFAULT_WIDTH);
        let text = render(&self.phase, now - self.started, self.tick, width);
        self.put(&format!("\r{text}\x1b[K"));
        self.drawn = true;
        self.dirty = false;
        self.last_draw = Some(now);
    }

    /// Draws unless the last draw was less than [`MIN_REDRAW`] ago (the
    /// ticker catches up).
    fn draw_soon(&mut self, now: Instant) {
        self.dirty = true;
        if self
            .last_draw
            .is_none_or(|at| now.duration_since(at) >= MIN_REDRAW)
        {
            self.draw(now);
        }
    }

    /// Erases the line if it is on screen.
    fn erase(&mut self) {
        if self.drawn {
            self.put(ERASE);
            self.drawn = false;
            self.dirty = true;
        }
    }

    /// One ticker step: the next spinner frame, and a draw if anything
    /// moved.
    fn on_tick(&mut self, now: Instant) {
        self.tick += 1;
        if self.dirty || matches!(self.phase, Phase::Compiling { .. }) {
            self.draw(now);
        }
    }
}

type Shared = Arc<Mutex<Line>>;

fn lock(line: &Mutex<Line>) -> MutexGuard<'_, Line> {
    line.lock().unwrap_or_else(|e| e.into_inner())
}

/// The line on the terminal now, for [`hide_while`].
static CURRENT: Mutex<Option<Weak<Mutex<Line>>>> = Mutex::new(None);
/// Whether [`CURRENT`] may hold a line (spares `out!` the lock otherwise).
static ANY: AtomicBool = AtomicBool::new(false);

/// Runs `write` (output to stdout, or a warning to stderr through
/// [`warnln!`](crate::warnln)) with the progress line erased, so the output
/// does not land in the middle of it; the ticker draws the line
/// again after. Without a line on screen, just runs `write`.
pub fn hide_while<R>(write: impl FnOnce() -> R) -> R {
    if !ANY.load(Ordering::Relaxed) {
        return write();
    }
    let current = CURRENT.lock().unwrap_or_else(|e| e.into_inner());
    match current.as_ref().and_then(Weak::upgrade) {
        Some(line) => {
            let mut line = lock(&line);
            line.erase();
            write()
        }
        None => write(),
    }
}

/// Draws grading progress on stderr (nothing when hidden).
pub struct Live {
    line: Option<Shared>,
}

impl Live {
    /// A progress display on stderr; `visible` is false in CI (and where the
    /// caller wants none). Nothing is drawn either when stderr is not a
    /// terminal.
    pub fn new(visible: bool) -> Live {
        Live::on(visible, std::io::stderr(), stderr_width)
    }

    /// A display on `out`, drawn only when `visible` and `out` is a
    /// terminal (`width` gives its columns). It takes the place of any
    /// earlier display for [`hide_while`].
    fn on<W: Write + IsTerminal + Send + 'static>(
        visible: bool,
        out: W,
        width: fn() -> Option<usize>,
    ) -> Live {
        if !(visible && out.is_terminal()) {
            return Live { line: None };
        }
        let live = Live::drawing(Box::new(out), width);
        if let Some(line) = &live.line {
            *CURRENT.lock().unwrap_or_else(|e| e.into_inner()) = Some(Arc::downgrade(line));
            ANY.store(true, Ordering::Relaxed);
        }
        live
    }

    /// A display drawn on `out`, with a ticker thread that ends with it.
    fn drawing(out: Box<dyn Write + Send>, width: fn() -> Option<usize>) -> Live {
        let line = Arc::new(Mutex::new(Line {
            out,
            width,
            phase: Phase::Idle,
            started: Instant::now(),
            tick: 0,
            drawn: false,
            dirty: false,
            last_draw: None,
            finished: false,
        }));
        let ticker = Arc::downgrade(&line);
        std::thread::spawn(move || tick_until_finished(&ticker));
        Live { line: Some(line) }
    }

    /// Updates the display for one event.
    pub fn event(&mut self, event: Event) {
        let Some(line) = &self.line else {
            return;
        };
        let mut line = lock(line);
        let now = Instant::now();
        match event {
            Event::Cached { exercises } => {
                // A line of its own above the progress line.
                line.erase();
                line.put(&format!(
                    "{} {exercises} unchanged exercise(s) reused from the cache\n",
                    "cache".dimmed()
                ));
                line.draw(now);
            }
            Event::Compiling { exercises } => {
                line.phase = Phase::Compiling { exercises };
                line.draw_soon(now);
            }
            Event::Running { tests } => {
                line.phase = Phase::Running {
                    done: 0,
                    total: tests,
                    last: String::new(),
                };
                line.draw_soon(now);
            }
            Event::TestFinished { exercise, test } => {
                if let Phase::Running { done, last, .. } = &mut line.phase {
                    *done += 1;
                    *last = printable(&format!("{exercise}::{}", test.name));
                }
                line.draw_soon(now);
            }
        }
    }

    /// Removes the display.
    pub fn finish(&self) {
        if let Some(line) = &self.line {
            let mut line = lock(line);
            line.erase();
            line.finished = true;
        }
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        self.finish();
    }
}

/// The ticker thread: steps the line every [`TICK`] until it is finished or
/// dropped.
fn tick_until_finished(line: &Weak<Mutex<Line>>) {
    loop {
        std::thread::sleep(TICK);
        let Some(line) = line.upgrade() else {
            return;
        };
        let mut line = lock(&line);
        if line.finished {
            return;
        }
        line.on_tick(Instant::now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::fixture;
    use crate::pipeline::grade::TestStatus;
    use crate::report::output::display_width;

    fn running(done: usize, total: usize, last: &str) -> Phase {
        Phase::Running {
            done,
            total,
            last: last.to_string(),
        }
    }

    #[test]
    fn the_bar_fills_with_the_tests_done() {
        let wide = 200;
        for (done, total, hashes) in [(0, 12, 0), (3, 12, 7), (6, 12, 15), (12, 12, 30)] {
            let text = render(&running(done, total, "ex::t"), Duration::ZERO, 0, wide);
            let expected = format!(
                "[{}{}] {done}/{total} tests ex::t",
                "#".repeat(hashes),
                "-".repeat(30 - hashes)
            );
            assert_eq!(text, expected);
        }
    }

    #[test]
    fn no_line_is_wider_than_the_terminal() {
        let long = "join_words::allocates_once_for_many_words_even_when_they_are_long";
        let phases = [
            running(0, 7, long),
            running(3, 7, long),
            running(7, 7, ""),
            running(123, 4567, long),
            Phase::Compiling { exercises: 21 },
        ];
        for width in [0, 1, 2, 5, 10, 20, 30, 40, 60, 80, 120] {
            for phase in &phases {
                let text = render(phase, Duration::from_secs(75), 3, width);
                assert!(
                    display_width(&text) < width.max(1),
                    "{width} columns: {text:?}"
                );
                assert!(text.is_ascii(), "{text:?}");
            }
        }
    }

    #[test]
    fn a_narrow_terminal_keeps_the_count_and_shortens_the_rest() {
        let name = "join_words::a_long_test_name";
        let text = render(&running(3, 12, name), Duration::ZERO, 0, 40);
        assert_eq!(text, "[#-----] 3/12 tests join_words::a_lo...");
        let text = render(&running(3, 12, name), Duration::ZERO, 0, 60);
        assert_eq!(
            text,
            "[######--------------------] 3/12 tests join_words::a_lo..."
        );
        let text = render(&running(3, 12, name), Duration::ZERO, 0, 80);
        assert!(text.ends_with(&format!("] 3/12 tests {name}")), "{text}");
        // Too narrow for a bar: the count alone.
        assert_eq!(
            render(&running(3, 12, "x"), Duration::ZERO, 0, 16),
            "3/12 tests x"
        );
    }

    #[test]
    fn compiling_shows_a_spinner_and_the_time() {
        let phase = Phase::Compiling { exercises: 3 };
        let frames: Vec<String> = (0..4)
            .map(|t| render(&phase, Duration::from_secs(2), t, 80))
            .collect();
        assert_eq!(frames[0], "| compiling 3 exercise(s) [2s]");
        assert_eq!(frames[1], "/ compiling 3 exercise(s) [2s]");
        assert_eq!(frames[3], "\\ compiling 3 exercise(s) [2s]");
        assert!(render(&phase, Duration::from_secs(150), 0, 80).ends_with("[3m]"));
        assert_eq!(render(&Phase::Idle, Duration::ZERO, 0, 80), "");
    }

    #[test]
    fn control_characters_in_a_test_name_are_not_drawn() {
        assert_eq!(printable("a\x1b[2Jb\rc"), "a?[2Jb?c");
    }

    /// A terminal stand-in: the bytes written, shared with the test.
    #[derive(Clone, Default)]
    struct Screen(Arc<Mutex<Vec<u8>>>);

    impl Write for Screen {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Screen {
        fn text(&self) -> String {
            String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
        }
    }

    fn forty() -> Option<usize> {
        Some(40)
    }

    #[test]
    fn the_line_is_drawn_updated_and_erased_at_the_end() {
        colored::control::set_override(false);
        let screen = Screen::default();
        let mut live = Live::drawing(Box::new(screen.clone()), forty);
        live.event(Event::Running { tests: 2 });
        let t = fixture::test("allocates_once", TestStatus::Passed, 1.0);
        std::thread::sleep(MIN_REDRAW);
        live.event(Event::TestFinished {
            exercise: "join_words",
            test: &t,
        });
        live.finish();
        let text = screen.text();
        assert!(text.starts_with("\r[-------] 0/2 tests\x1b[K"), "{text:?}");
        assert!(
            text.contains("\r[###----] 1/2 tests join_words::allo...\x1b[K"),
            "{text:?}"
        );
        assert!(text.ends_with(ERASE), "{text:?}");
        // Nothing after the end: the ticker stopped drawing.
        std::thread::sleep(TICK * 3);
        assert_eq!(screen.text(), text);
    }

    #[test]
    fn redraws_are_rate_limited() {
        let screen = Screen::default();
        let mut live = Live::drawing(Box::new(screen.clone()), forty);
        live.event(Event::Running { tests: 1000 });
        let t = fixture::test("t", TestStatus::Passed, 1.0);
        for _ in 0..1000 {
            live.event(Event::TestFinished {
                exercise: "e",
                test: &t,
            });
        }
        let frames = screen.text().matches('\r').count();
        assert!(frames < 10, "{frames} frames for 1000 quick events");
        // The ticker draws the last state.
        std::thread::sleep(TICK * 3);
        assert!(
            screen.text().contains("1000/1000 tests"),
            "{}",
            screen.text()
        );
    }

    #[test]
    fn the_cache_line_goes_above_the_progress_line() {
        colored::control::set_override(false);
        let screen = Screen::default();
        let mut live = Live::drawing(Box::new(screen.clone()), forty);
        live.event(Event::Compiling { exercises: 2 });
        live.event(Event::Cached { exercises: 1 });
        let text = screen.text();
        let after = text
            .split_once(&format!(
                "{ERASE}cache 1 unchanged exercise(s) reused from the cache\n"
            ))
            .map(|(_, after)| after.to_string());
        assert!(
            after.is_some_and(|a| a.starts_with('\r') && a.contains(" compiling 2 exercise(s)")),
            "{text:?}"
        );
    }

    #[test]
    fn nothing_is_drawn_when_not_on_a_terminal() {
        let file = tempfile::tempfile().unwrap();
        let mut live = Live::on(true, file.try_clone().unwrap(), forty);
        live.event(Event::Compiling { exercises: 1 });
        live.event(Event::Cached { exercises: 1 });
        live.event(Event::Running { tests: 1 });
        std::thread::sleep(TICK * 2);
        live.finish();
        assert_eq!(file.metadata().unwrap().len(), 0);
        assert!(live.line.is_none());
    }

    #[test]
    fn output_erases_the_line_first_and_the_ticker_draws_it_again() {
        let screen = Screen::default();
        let mut live = Live::drawing(Box::new(screen.clone()), forty);
        live.event(Event::Compiling { exercises: 1 });
        let line = live.line.clone().unwrap();
        *CURRENT.lock().unwrap() = Some(Arc::downgrade(&line));
        ANY.store(true, Ordering::Relaxed);
        let before = hide_while(|| screen.text());
        assert!(before.ends_with(ERASE), "{before:?}");
        std::thread::sleep(TICK * 3);
        let after = screen.text();
        assert!(after[before.len()..].contains("compiling 1"), "{after:?}");
        live.finish();
    }
}
