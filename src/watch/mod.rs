//! What `memgrade watch` listens to: file changes under the exercises
//! ([`files`]) and the student's keys ([`keys`]), merged into one stream of
//! [`Input`]s for its main loop.

pub mod files;
pub mod keys;

use std::path::PathBuf;

/// What the main loop waits for.
#[derive(Debug)]
pub enum Input {
    /// A key (or the first character of a line in line mode).
    Key(char),
    /// A file changed.
    Changed(PathBuf),
    /// The file watcher reported a problem.
    WatchError(String),
    /// Standard input is closed.
    Closed,
}
