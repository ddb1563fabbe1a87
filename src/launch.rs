//! How cargo and test processes are started. For feedback (a student's own
//! `check`), as the caller's environment gives: cargo from `PATH` in the
//! checkout. For the grade of record, privately: the toolchain by absolute
//! path, an environment built from nothing (an allow-list), a private home
//! and cargo home, and bubblewrap around every process when there is one.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use crate::bwrap::{Bwrap, View};
use crate::toolchain::Toolchain;

/// `PATH` inside the private environment: the system directories only
/// (cargo finds rustc through `RUSTC`; rustc finds the linker `cc` here).
pub const PRIVATE_PATH: &str = "/usr/bin:/bin";

/// Starts cargo and test processes.
#[derive(Debug, Clone, Default)]
pub enum Launcher {
    /// The caller's cargo and environment, no sandbox (feedback).
    #[default]
    Caller,
    /// The grade of record's private launch.
    Private(Arc<Private>),
}

/// What a private launch uses.
#[derive(Debug)]
pub struct Private {
    /// The toolchain, by absolute paths.
    pub toolchain: Toolchain,
    /// The sandbox, if one is used.
    pub sandbox: Option<Bwrap>,
    /// The private directory holding the build tree, home and cargo home:
    /// read-write for the build, read-only for tests.
    pub scratch: PathBuf,
}

impl Private {
    /// The private home directory (empty).
    pub fn home(&self) -> PathBuf {
        self.scratch.join("home")
    }

    /// The private `CARGO_HOME` (empty: no config.toml, no registry).
    pub fn cargo_home(&self) -> PathBuf {
        self.scratch.join("cargo-home")
    }

    /// Creates the home directories.
    pub fn prepare(&self) -> std::io::Result<()> {
        std::fs::create_dir_all(self.home())?;
        std::fs::create_dir_all(self.cargo_home())
    }
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
            Launcher::Private(p) => {
                let mut cmd = match &p.sandbox {
                    Some(b) => b.command(
                        &View {
                            read_only: vec![&p.toolchain.sysroot],
                            writable: vec![&p.scratch],
                            cwd: workspace,
                        },
                        &p.toolchain.cargo,
                    ),
                    None => {
                        let mut c = Command::new(&p.toolchain.cargo);
                        c.current_dir(workspace);
                        c
                    }
                };
                cmd.env_clear()
                    .env("PATH", PRIVATE_PATH)
                    .env("HOME", p.home())
                    .env("CARGO_HOME", p.cargo_home())
                    .env("RUSTC", &p.toolchain.rustc)
                    .env("TMPDIR", tmp_dir(p))
                    .env("LC_ALL", "C")
                    .env("CARGO_TERM_COLOR", "never")
                    .env("CARGO_NET_OFFLINE", "true");
                cmd
            }
        }
    }

    /// A command that runs the test binary `binary` in `cwd`; `writable`
    /// are files or directories it must be able to write (the harness's log
    /// file). Arguments added go to the binary.
    pub fn test(&self, binary: &Path, cwd: &Path, writable: &[&Path]) -> Command {
        match self {
            Launcher::Caller => {
                let mut cmd = Command::new(binary);
                cmd.current_dir(cwd);
                cmd
            }
            Launcher::Private(p) => {
                let mut cmd = match &p.sandbox {
                    Some(b) => b.command(
                        &View {
                            read_only: vec![&p.scratch],
                            writable: writable.to_vec(),
                            cwd,
                        },
                        binary,
                    ),
                    None => {
                        let mut c = Command::new(binary);
                        c.current_dir(cwd);
                        c
                    }
                };
                cmd.env_clear()
                    .env("PATH", PRIVATE_PATH)
                    .env("HOME", p.home())
                    .env("TMPDIR", tmp_dir(p))
                    .env("LC_ALL", "C");
                cmd
            }
        }
    }

    /// The sandbox processes run in, if any.
    pub fn sandbox(&self) -> Option<&Bwrap> {
        match self {
            Launcher::Caller => None,
            Launcher::Private(p) => p.sandbox.as_ref(),
        }
    }
}

/// `TMPDIR` for private processes: the sandbox's own `/tmp`, or without a
/// sandbox the system's.
fn tmp_dir(p: &Private) -> PathBuf {
    if p.sandbox.is_some() {
        PathBuf::from("/tmp")
    } else {
        std::env::temp_dir()
    }
}
