//! Exit codes, usage errors, and the mapping from an error to the exit code it
//! deserves. The lowest layer: every other module may use it, it uses none of
//! the commands.

use crate::course::CourseError;
use crate::course::select::SelectError;

/// Exit code: everything graded passed, or the command succeeded.
pub const EXIT_OK: i32 = 0;
/// Exit code: at least one exercise failed (or verify found a problem).
pub const EXIT_FAILED: i32 = 1;
/// Exit code: bad usage, an unknown exercise or a broken course file.
pub const EXIT_USAGE: i32 = 2;
/// Exit code: memgrade itself could not do its job (cargo missing, I/O).
pub const EXIT_INTERNAL: i32 = 3;
/// Exit codes of an interruption are this plus the signal: 130 for Ctrl-C
/// (SIGINT), 143 for SIGTERM, 129 for SIGHUP (see
/// [`crate::process::child::interrupt_exit_code`]).
pub const EXIT_SIGNAL_BASE: i32 = 128;

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

/// A mistake in how a command was used, beyond what clap checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Why a student's build (without the `instructor` feature) refuses an
/// instructor command or option, `what` as typed (`gradebook`, `check
/// --course`), and the command that builds one that has it.
#[cfg(not(feature = "instructor"))]
pub fn needs_instructor(what: &str) -> UsageError {
    UsageError(format!(
        "memgrade {what} needs a build with the instructor feature: cargo run --release --features instructor -- {what} ..."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

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
