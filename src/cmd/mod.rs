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

use crate::course::CourseError;
use crate::course::select::SelectError;
use crate::exit::{EXIT_INTERNAL, EXIT_USAGE, UsageError};

/// The exit code an error deserves: 2 for the user's or the course author's
/// input, 128 + the signal for an interruption (130 for Ctrl-C), 3 for memgrade's own trouble.
pub fn exit_code_for(e: &anyhow::Error) -> i32 {
    if e.downcast_ref::<CourseError>().is_some()
        || e.downcast_ref::<SelectError>().is_some()
        || e.downcast_ref::<UsageError>().is_some()
    {
        EXIT_USAGE
    } else if e
        .downcast_ref::<crate::process::child::Interrupted>()
        .is_some()
    {
        crate::process::child::interrupt_exit_code()
    } else {
        EXIT_INTERNAL
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exit::{EXIT_INTERNAL, EXIT_SIGNAL_BASE, EXIT_USAGE, UsageError};

    #[test]
    fn errors_map_to_their_exit_codes() {
        let usage = anyhow::Error::new(UsageError("bad".into()));
        assert_eq!(exit_code_for(&usage), EXIT_USAGE);
        let usage_in_context = usage.context("while doing x");
        assert_eq!(exit_code_for(&usage_in_context), EXIT_USAGE);
        assert_eq!(
            exit_code_for(&anyhow::Error::new(crate::process::child::Interrupted)),
            EXIT_SIGNAL_BASE + crate::process::child::sig::SIGINT
        );
        assert_eq!(exit_code_for(&anyhow::anyhow!("disk full")), EXIT_INTERNAL);
    }
}
