//! The student's keys: single keys from a raw terminal, or whole lines
//! from anything else.

use std::io::{BufRead, Read};
use std::sync::mpsc::Sender;

use super::Input;

/// Reads keys (raw terminal) or lines (anything else) into the channel.
pub fn spawn_input(tx: Sender<Input>, tty: bool) {
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        if tty {
            let mut byte = [0u8; 1];
            while let Ok(1) = stdin.lock().read(&mut byte) {
                if tx.send(Input::Key(byte[0] as char)).is_err() {
                    return;
                }
            }
        } else {
            for line in stdin.lock().lines() {
                let Ok(line) = line else { break };
                if let Some(c) = line.trim().chars().next()
                    && tx.send(Input::Key(c)).is_err()
                {
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
