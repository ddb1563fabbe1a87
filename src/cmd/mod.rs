//! One module per subcommand; each exposes `run(...) -> anyhow::Result<i32>`
//! returning the exit code.

pub mod check;
pub mod diff;
pub mod explain;
pub mod gradebook;
pub mod gradescope_package;
pub mod hint;
pub mod list;
pub mod merge;
pub mod reset;
pub mod seal;
pub mod solution;
pub mod start;
pub mod template;
pub mod verify;
pub mod watch;
