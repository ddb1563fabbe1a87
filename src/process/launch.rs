//! How cargo and test processes are started. For feedback (a student's own
//! `check`), as the caller's environment gives: cargo from `PATH` in the
//! checkout. For the grade of record (feature `instructor`), privately
//! (`private`): the toolchain by absolute path, an environment built from
//! nothing (an allow-list), a private home and cargo home, and bubblewrap
//! around every process when there is one.

use std::path::Path;
use std::process::Command;
#[cfg(feature = "instructor")]
use std::sync::Arc;

#[cfg(feature = "instructor")]
pub mod private;

/// `--sandbox` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SandboxChoice {
    /// bwrap when grading for the record (an error if it does not work);
    /// none for feedback.
    #[default]
    Auto,
    /// bwrap, or an error if it does not work here.
    Bwrap,
    /// Landlock plus seccomp (no namespaces needed), or an error if the
    /// kernel has no Landlock.
    Landlock,
    /// No sandbox (the process limits still hold).
    None,
}

impl SandboxChoice {
    /// The value as typed on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            SandboxChoice::Auto => "auto",
            SandboxChoice::Bwrap => "bwrap",
            SandboxChoice::Landlock => "landlock",
            SandboxChoice::None => "none",
        }
    }
}

/// Starts cargo and test processes.
#[derive(Debug, Clone, Default)]
pub enum Launcher {
    /// The caller's cargo and environment, no sandbox (feedback).
    #[default]
    Caller,
    /// The grade of record's private launch.
    #[cfg(feature = "instructor")]
    Private(Arc<private::Private>),
}

impl Launcher {
    /// A cargo command to run in `workspace`.
    pub fn cargo(&self, workspace: &Path) -> Command {
        match self {
            Launcher::Caller => {
                let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
                let mut cmd = Command::new(cargo);
                cmd.current_dir(workspace);
                cmd
            }
            #[cfg(feature = "instructor")]
            Launcher::Private(p) => p.cargo(workspace),
        }
    }

    /// A command that runs the test binary `binary` in `cwd` under the
    /// environment allow-list ([`crate::process::limits::test_env`]) with `private`
    /// as its home and temp directory (inside a sandbox: the sandbox's own
    /// `/tmp`); `writable` are files or directories it must be able to write
    /// (the harness's log file); `memory_bytes`, the test's memory limit,
    /// also bounds a sandbox's `/tmp` and `/dev/shm`. Arguments added go to
    /// the binary.
    ///
    /// Under bubblewrap the no-child-process filters go to bwrap
    /// (`--add-seccomp-fd`), which installs them on the test process itself:
    /// the caller must not install them on bwrap (see
    /// [`RunLimits::no_child_processes`](crate::process::child::RunLimits)).
    pub fn test(
        &self,
        binary: &Path,
        cwd: &Path,
        writable: &[&Path],
        private: &Path,
        memory_bytes: Option<u64>,
    ) -> Command {
        match self {
            Launcher::Caller => {
                // Without a sandbox nothing needs opening up for writing.
                let _ = (writable, memory_bytes);
                unsandboxed_test(binary, cwd, private)
            }
            #[cfg(feature = "instructor")]
            Launcher::Private(p) => p.test(binary, cwd, writable, private, memory_bytes),
        }
    }

    /// Whether processes run in bubblewrap, which installs the
    /// no-child-process filters itself and whose own processes the sweep
    /// after a test finds (under Landlock or without a sandbox the caller
    /// installs the filters).
    pub fn sandboxed(&self) -> bool {
        match self {
            Launcher::Caller => false,
            #[cfg(feature = "instructor")]
            Launcher::Private(p) => p.bwrap().is_some(),
        }
    }
}

/// A test binary started directly, under the environment allow-list with
/// `private` as its home and temp directory.
fn unsandboxed_test(binary: &Path, cwd: &Path, private: &Path) -> Command {
    let mut cmd = Command::new(binary);
    cmd.current_dir(cwd);
    crate::process::limits::test_env(&mut cmd, private);
    cmd
}
