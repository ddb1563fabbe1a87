//! One module per subcommand; each exposes `run(...) -> anyhow::Result<i32>`
//! returning the exit code. The instructors' and course authors' commands,
//! and `check`'s grade of record (`check::record`), are in the instructor
//! build only (feature `instructor`).

pub mod check;
pub mod diff;
pub mod explain;
pub mod hint;
pub mod list;
pub mod profile;
pub mod reset;
pub mod solution;
pub mod start;
pub mod watch;

#[cfg(feature = "instructor")]
pub mod gradebook;
#[cfg(feature = "instructor")]
pub mod gradescope_package;
#[cfg(feature = "instructor")]
pub mod merge;
#[cfg(feature = "instructor")]
pub mod seal;
#[cfg(feature = "instructor")]
pub mod template;
#[cfg(feature = "instructor")]
pub mod verify;
