//! The student's keys: single keys from a terminal (through crossterm, on
//! every system), or whole lines from anything else. Arrow keys arrive as
//! [`UP`] and [`DOWN`], Esc as [`ESC`]; an empty line (line mode) as Enter
//! (`'\n'`).
//!
//! On a terminal, while watch grades ([`set_grading`]), `q` also stops the
//! grading at once: the key thread kills the running test processes through
//! [`crate::process::child::interrupt_now`] and records the request ([`quit_requested`]),
//! since the main loop only reads keys again once grading returns. Lines
//! (a script on stdin) are only ever queued: they act in order.

use std::io::BufRead;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::Input;

/// The up arrow.
pub const UP: char = '↑';
/// The down arrow.
pub const DOWN: char = '↓';

static GRADING: AtomicBool = AtomicBool::new(false);
static QUIT: AtomicBool = AtomicBool::new(false);

/// Tells the key thread whether a grading is running (so `q` stops it).
pub fn set_grading(on: bool) {
    GRADING.store(on, Ordering::SeqCst);
}

/// Whether `q` was pressed while grading (and stopped it).
pub fn quit_requested() -> bool {
    QUIT.load(Ordering::SeqCst)
}

/// Escape, as watch's list reads it (back).
pub const ESC: char = '\x1b';
/// Ctrl-C, as a key: where the terminal sends it as a key rather than a
/// signal (Windows' raw console), it interrupts as the signal would.
pub const CTRL_C: char = '\u{3}';

/// Handles one key from the student: on a terminal, `q` during grading
/// stops it, and Ctrl-C interrupts memgrade as the signal does (exit 130).
fn key(tx: &Sender<Input>, c: char, tty: bool) -> bool {
    if tty && c == CTRL_C {
        crate::process::child::interrupt_now();
    }
    if tty && matches!(c, 'q' | 'Q') && GRADING.load(Ordering::SeqCst) {
        QUIT.store(true, Ordering::SeqCst);
        crate::process::child::interrupt_now();
    }
    tx.send(Input::Key(c)).is_ok()
}

/// Reads keys (raw terminal) or lines (anything else) into the channel.
pub fn spawn_input(tx: Sender<Input>, tty: bool) {
    std::thread::spawn(move || {
        if tty {
            read_keys(&tx);
        } else {
            read_lines(&tx);
        }
        let _ = tx.send(Input::Closed);
    });
}

/// Single keys from the terminal, through crossterm's event reader (which
/// tells a lone Esc from the start of an arrow's escape sequence), until
/// the terminal is gone or the main loop is.
fn read_keys(tx: &Sender<Input>) {
    loop {
        match crossterm::event::read() {
            Ok(crossterm::event::Event::Key(k)) => {
                if let Some(c) = key_char(&k)
                    && !key(tx, c, true)
                {
                    return;
                }
            }
            Ok(_) => {}
            Err(_) => return,
        }
    }
}

/// Lines from anything else: the first character of each, an empty line as
/// Enter.
fn read_lines(tx: &Sender<Input>) {
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { return };
        let c = line.trim().chars().next().unwrap_or('\n');
        if !key(tx, c, false) {
            return;
        }
    }
}

/// The character watch acts on for a key press: arrows as [`UP`] and
/// [`DOWN`], Enter as `'\n'`, Esc as [`ESC`], Ctrl-C and Ctrl-D as their
/// control characters; `None` for key releases and keys watch has no use for.
fn key_char(k: &KeyEvent) -> Option<char> {
    if k.kind == KeyEventKind::Release {
        return None;
    }
    let control = k.modifiers.contains(KeyModifiers::CONTROL);
    match k.code {
        KeyCode::Up => Some(UP),
        KeyCode::Down => Some(DOWN),
        KeyCode::Enter => Some('\n'),
        KeyCode::Esc => Some(ESC),
        KeyCode::Char('c') if control => Some(CTRL_C),
        KeyCode::Char('d') if control => Some('\u{4}'),
        KeyCode::Char(_) if control => None,
        KeyCode::Char(c) => Some(c),
        _ => None,
    }
}

/// The terminal in "one key at a time, no echo" mode; the previous settings
/// come back on drop. On Unix only line buffering and echo go (Ctrl-C stays
/// a signal, and output keeps its line endings); on Windows it is
/// crossterm's raw mode, where Ctrl-C arrives as a key ([`CTRL_C`]).
pub struct RawMode {
    #[cfg(unix)]
    saved: rustix::termios::Termios,
}

impl RawMode {
    /// Switches line buffering and echo off; `None` when stdin is not a terminal.
    #[cfg(unix)]
    pub fn enable() -> Option<RawMode> {
        use rustix::termios::{
            LocalModes, OptionalActions, SpecialCodeIndex, tcgetattr, tcsetattr,
        };
        let stdin = std::io::stdin();
        let saved = tcgetattr(&stdin).ok()?;
        let mut t = saved.clone();
        t.local_modes &= !(LocalModes::ICANON | LocalModes::ECHO);
        t.special_codes[SpecialCodeIndex::VMIN] = 1;
        t.special_codes[SpecialCodeIndex::VTIME] = 0;
        tcsetattr(&stdin, OptionalActions::Now, &t).ok()?;
        Some(RawMode { saved })
    }

    /// Switches the console's line input and echo off; `None` when it
    /// cannot.
    #[cfg(not(unix))]
    pub fn enable() -> Option<RawMode> {
        crossterm::terminal::enable_raw_mode().ok()?;
        Some(RawMode {})
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        #[cfg(unix)]
        let _ = rustix::termios::tcsetattr(
            std::io::stdin(),
            rustix::termios::OptionalActions::Now,
            &self.saved,
        );
        #[cfg(not(unix))]
        let _ = crossterm::terminal::disable_raw_mode();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyEventState;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent {
            code,
            modifiers,
            kind: KeyEventKind::Press,
            state: KeyEventState::NONE,
        }
    }

    #[test]
    fn keys_become_the_characters_watch_reads() {
        let none = KeyModifiers::NONE;
        assert_eq!(key_char(&press(KeyCode::Esc, none)), Some(ESC));
        assert_eq!(key_char(&press(KeyCode::Up, none)), Some(UP));
        assert_eq!(key_char(&press(KeyCode::Down, none)), Some(DOWN));
        assert_eq!(key_char(&press(KeyCode::Enter, none)), Some('\n'));
        assert_eq!(key_char(&press(KeyCode::Char('j'), none)), Some('j'));
        let ctrl = KeyModifiers::CONTROL;
        assert_eq!(key_char(&press(KeyCode::Char('c'), ctrl)), Some(CTRL_C));
        assert_eq!(key_char(&press(KeyCode::Char('x'), ctrl)), None);
        let mut released = press(KeyCode::Char('q'), none);
        released.kind = KeyEventKind::Release;
        assert_eq!(key_char(&released), None, "a key counts once, when pressed");
    }
}
