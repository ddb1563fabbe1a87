//! The student's keys: single keys from a raw terminal, or whole lines
//! from anything else. Arrow keys arrive as [`UP`] and [`DOWN`]; an empty
//! line (line mode) as Enter (`'\n'`).
//!
//! On a terminal, while watch grades ([`set_grading`]), `q` also stops the
//! grading at once: the key thread kills the running test processes through
//! [`crate::process::child::interrupt_now`] and records the request ([`quit_requested`]),
//! since the main loop only reads keys again once grading returns. Lines
//! (a script on stdin) are only ever queued: they act in order.

use std::io::{BufRead, Read};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;

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

/// Handles one key from the student: on a terminal, `q` during grading
/// stops it.
fn key(tx: &Sender<Input>, c: char, tty: bool) -> bool {
    if tty && matches!(c, 'q' | 'Q') && GRADING.load(Ordering::SeqCst) {
        QUIT.store(true, Ordering::SeqCst);
        crate::process::child::interrupt_now();
    }
    tx.send(Input::Key(c)).is_ok()
}

/// Reads keys (raw terminal) or lines (anything else) into the channel.
pub fn spawn_input(tx: Sender<Input>, tty: bool) {
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        if tty {
            let mut lock = stdin.lock();
            let mut next = || {
                let mut byte = [0u8; 1];
                match lock.read(&mut byte) {
                    Ok(1) => Some(byte[0]),
                    _ => None,
                }
            };
            while let Some(b) = next() {
                let c = if b == 0x1b {
                    // ESC [ A / ESC [ B: the arrows; anything else after ESC
                    // is ignored.
                    match (next(), next()) {
                        (Some(b'['), Some(b'A')) => UP,
                        (Some(b'['), Some(b'B')) => DOWN,
                        (None, _) | (_, None) => break,
                        _ => continue,
                    }
                } else {
                    b as char
                };
                if !key(&tx, c, true) {
                    return;
                }
            }
        } else {
            for line in stdin.lock().lines() {
                let Ok(line) = line else { break };
                let c = line.trim().chars().next().unwrap_or('\n');
                if !key(&tx, c, false) {
                    return;
                }
            }
        }
        let _ = tx.send(Input::Closed);
    });
}

/// The terminal in "one key at a time, no echo" mode; the previous settings
/// come back on drop. Ctrl-C still interrupts (signals stay on).
pub struct RawMode {
    saved: rustix::termios::Termios,
}

impl RawMode {
    /// Switches line buffering and echo off; `None` when stdin is not a terminal.
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
}

impl Drop for RawMode {
    fn drop(&mut self) {
        let _ = rustix::termios::tcsetattr(
            std::io::stdin(),
            rustix::termios::OptionalActions::Now,
            &self.saved,
        );
    }
}
