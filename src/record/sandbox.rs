//! Which isolation the grade of record runs cargo and the tests in:
//! bubblewrap where it can start, else Landlock (containers without user
//! namespaces), else none only when the caller said `--sandbox none`. The
//! choice is made once, before anything is graded, and named on every
//! result ([`describe`]); nothing falls back per submission.

use crate::process::launch::SandboxChoice;
use crate::record::bwrap::Bwrap;
#[cfg(target_os = "linux")]
use crate::record::landlock::Landlock;

/// The isolation in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sandbox {
    /// bubblewrap: namespaces (no network, private `/tmp`, `/proc`, `/dev`).
    Bwrap(Bwrap),
    /// Landlock (files) plus the seccomp filters, without namespaces.
    #[cfg(target_os = "linux")]
    Landlock(Landlock),
}

/// The sandbox to use: `record` is true in grade-of-record modes, where an
/// unavailable sandbox is an error (memgrade cannot do its job, exit 3)
/// unless `--sandbox none` was given. `auto` takes bubblewrap, else
/// Landlock. In feedback modes `auto` means none, and naming a sandbox is
/// refused, since builds and tests there run in the checkout with the
/// caller's toolchain.
pub fn resolve(choice: SandboxChoice, record: bool) -> anyhow::Result<Option<Sandbox>> {
    match (choice, record) {
        (SandboxChoice::None, _) | (SandboxChoice::Auto, false) => Ok(None),
        (SandboxChoice::Bwrap | SandboxChoice::Landlock, false) => Err(crate::exit::UsageError(
            format!(
                "--sandbox {} applies when grading for the record (check --course DIR or --course-git URL --course-commit SHA, and gradebook); \
                 a feedback check builds and runs in your checkout without one",
                choice.as_str()
            ),
        )
        .into()),
        (SandboxChoice::Bwrap, true) => Bwrap::probe()
            .map(|b| Some(Sandbox::Bwrap(b)))
            .map_err(unavailable),
        (SandboxChoice::Landlock, true) => landlock().map(Some).map_err(unavailable),
        (SandboxChoice::Auto, true) => match Bwrap::probe() {
            Ok(b) => Ok(Some(Sandbox::Bwrap(b))),
            Err(no_bwrap) => landlock().map(Some).map_err(|no_landlock| {
                unavailable(format!("{no_bwrap}; and Landlock: {no_landlock}"))
            }),
        },
    }
}

#[cfg(target_os = "linux")]
fn landlock() -> Result<Sandbox, String> {
    Landlock::probe().map(Sandbox::Landlock)
}

#[cfg(not(target_os = "linux"))]
fn landlock() -> Result<Sandbox, String> {
    Err("Landlock is a Linux feature".into())
}

/// The `--sandbox` value that names the sandbox in force, for the processes
/// a gradebook starts per fork (so every fork is graded in the same one).
pub fn choice(sandbox: Option<&Sandbox>) -> &'static str {
    match sandbox {
        Some(Sandbox::Bwrap(_)) => SandboxChoice::Bwrap.as_str(),
        #[cfg(target_os = "linux")]
        Some(Sandbox::Landlock(_)) => SandboxChoice::Landlock.as_str(),
        None => SandboxChoice::None.as_str(),
    }
}

fn unavailable(why: String) -> anyhow::Error {
    anyhow::anyhow!(
        "no sandbox for the grade of record: {why}; pass --sandbox none to grade without one"
    )
}

/// How a report names the sandbox used.
pub fn describe(sandbox: Option<&Sandbox>) -> String {
    match sandbox {
        Some(Sandbox::Bwrap(b)) => crate::record::bwrap::describe(Some(b)),
        #[cfg(target_os = "linux")]
        Some(Sandbox::Landlock(l)) => crate::record::landlock::describe(l),
        None => "none".into(),
    }
}
