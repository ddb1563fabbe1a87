//! One module per subcommand; each exposes `run(...) -> anyhow::Result<i32>`
//! returning the exit code. The instructors' and course authors' commands,
//! and `check`'s grade of record (`check::record`), are in the instructor
//! build only (feature `instructor`).

pub mod check;
pub mod diff;
pub mod explain;
pub mod hint;
pub mod list;
pub mod reset;
pub mod solution;
pub mod start;
pub mod watch;

instructor_only! {
    pub mod gradebook;
    pub mod gradescope_package;
    pub mod merge;
    pub mod seal;
    pub mod template;
    pub mod verify;
}
