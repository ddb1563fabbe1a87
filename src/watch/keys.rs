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
    saved: libc::termios,
}

impl RawMode {
    /// Switches line buffering and echo off; `None` when stdin is not a terminal.
    pub fn enable() -> Option<RawMode> {
        // SAFETY: tcgetattr/tcsetattr only read and write the termios struct
        // we pass, for file descriptor 0, which stays open for the process.
        unsafe {
            let mut t: libc::termios = std::mem::zeroed();
            if libc::tcgetattr(libc::STDIN_FILENO, &mut t) != 0 {
                return None;
            }
            let saved = t;
            t.c_lflag &= !(libc::ICANON | libc::ECHO);
            t.c_cc[libc::VMIN] = 1;
            t.c_cc[libc::VTIME] = 0;
            if libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &t) != 0 {
                return None;
            }
            Some(RawMode { saved })
        }
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        // SAFETY: restores the settings read in `enable`.
        unsafe {
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &self.saved);
        }
    }
}
