//! The grade of record's private launch (feature `instructor`): the
//! toolchain by absolute path, an environment built from nothing (an
//! allow-list), a private home and cargo home, and bubblewrap around cargo
//! and every test when there is one.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::record::bwrap::{Bwrap, View};
use crate::record::sandbox::Sandbox;
use crate::record::toolchain::Toolchain;

/// `PATH` inside the private environment: the system directories only
/// (cargo finds rustc through `RUSTC`; rustc finds the linker `cc` here).
pub const PRIVATE_PATH: &str = "/usr/bin:/bin";

/// Set in the compiler's environment of the private build: memprobe reads
/// it with `option_env!` when it is compiled (`memprobe::RECORD`).
pub const RECORD_VAR: &str = "MEMPROBE_RECORD";

/// What a private launch uses.
#[derive(Debug)]
pub struct Private {
    /// The toolchain, by absolute paths.
    pub toolchain: Toolchain,
    /// The sandbox, if one is used.
    pub sandbox: Option<Sandbox>,
    /// The private directory holding the build tree, home and cargo home:
    /// read-write for the build, read-only for tests.
    pub scratch: PathBuf,
}

impl Private {
    /// The bubblewrap sandbox, when that is the one in force.
    pub fn bwrap(&self) -> Option<&Bwrap> {
        match &self.sandbox {
            Some(Sandbox::Bwrap(b)) => Some(b),
            _ => None,
        }
    }

    /// Restricts `cmd` to `view` with Landlock, when that is the sandbox
    /// in force. A ruleset that cannot be built makes the command fail to
    /// start (never run unrestricted).
    fn landlock(&self, cmd: &mut Command, view: &View) {
        #[cfg(target_os = "linux")]
        if let Some(Sandbox::Landlock(l)) = &self.sandbox
            && let Err(e) = l.restrict(cmd, view)
        {
            use std::os::unix::process::CommandExt;
            let kind = e.kind();
            // SAFETY: only builds an error value in the child (no
            // allocation: io::Error from a kind).
            unsafe {
                cmd.pre_exec(move || Err(std::io::Error::from(kind)));
            }
        }
        #[cfg(not(target_os = "linux"))]
        let _ = (cmd, view);
    }

    /// The private home directory (empty).
    pub fn home(&self) -> PathBuf {
        self.scratch.join("home")
    }

    /// The private `CARGO_HOME` (empty: no config.toml, no registry).
    pub fn cargo_home(&self) -> PathBuf {
        self.scratch.join("cargo-home")
    }

    /// Creates the home directories.
    /// Also writes the no-child-process filters bwrap hands to each test
    /// (see [`SeccompFds`]), so a failure shows here, not as a missing
    /// filter later.
    pub fn prepare(&self) -> std::io::Result<()> {
        std::fs::create_dir_all(self.home())?;
        std::fs::create_dir_all(self.cargo_home())?;
        std::fs::create_dir_all(self.scratch.join("tmp"))?;
        if let Ok(filters) = crate::process::no_child_filters() {
            for (i, bytes) in filters.iter().enumerate() {
                std::fs::write(filter_path(&self.scratch, i), bytes)?;
            }
        }
        Ok(())
    }

    /// The private cargo command to run in `workspace` (see
    /// [`Launcher::cargo`](super::Launcher::cargo)).
    pub fn cargo(&self, workspace: &Path) -> Command {
        // memgrade itself runs inside as cargo's rustc wrapper.
        let me = std::env::current_exe().unwrap_or_default();
        let view = View {
            read_only: vec![&self.toolchain.sysroot, &me],
            writable: vec![&self.scratch],
            cwd: workspace,
            tmpfs_bytes: None,
        };
        let mut cmd = match self.bwrap() {
            Some(b) => b.command(&view, &self.toolchain.cargo),
            None => {
                let mut c = Command::new(&self.toolchain.cargo);
                c.current_dir(workspace);
                self.landlock(&mut c, &view);
                c
            }
        };
        cmd.env_clear()
            .env("PATH", PRIVATE_PATH)
            .env("HOME", self.home())
            .env("CARGO_HOME", self.cargo_home())
            .env("RUSTC", &self.toolchain.rustc)
            .env("TMPDIR", tmp_dir(self))
            .env("LC_ALL", "C")
            .env("CARGO_TERM_COLOR", "never")
            .env("CARGO_NET_OFFLINE", "true")
            // Fixes memprobe's record mode when it is compiled (strict
            // counting, the test thread locked down): never read from a test
            // process's environment.
            .env(RECORD_VAR, "1");
        // Each exercise's library sees only its own exercise when compiled.
        #[cfg(target_os = "linux")]
        cmd.env(
            crate::record::compile_view::VIEW_VAR,
            workspace.join("exercises"),
        );
        cmd
    }

    /// The command running a test binary (see
    /// [`Launcher::test`](super::Launcher::test)): inside the sandbox when
    /// there is one, with the no-child-process filters handed to bwrap.
    /// `memory_bytes` bounds bubblewrap's `/tmp` and `/dev/shm` (under
    /// Landlock the test may write neither: only its private directory).
    pub fn test(
        &self,
        binary: &Path,
        cwd: &Path,
        writable: &[&Path],
        private: &Path,
        memory_bytes: Option<u64>,
    ) -> Command {
        let Some(b) = self.bwrap() else {
            let mut cmd = super::unsandboxed_test(binary, cwd, private);
            let mut writable = writable.to_vec();
            writable.push(private);
            let view = View {
                read_only: vec![&self.scratch],
                writable,
                cwd,
                tmpfs_bytes: None,
            };
            self.landlock(&mut cmd, &view);
            return cmd;
        };
        let seccomp = SeccompFds::open(&self.scratch);
        let view = View {
            read_only: vec![&self.scratch],
            writable: writable.to_vec(),
            cwd,
            tmpfs_bytes: memory_bytes,
        };
        let extra: Vec<std::ffi::OsString> = seccomp
            .iter()
            .flat_map(|fds| fds.targets())
            .flat_map(|fd| ["--add-seccomp-fd".into(), fd.to_string().into()])
            .collect();
        let mut cmd = b.command_with(&view, &extra, binary);
        crate::process::limits::test_env(&mut cmd, Path::new("/tmp"));
        if let Some(fds) = seccomp {
            fds.pass_on(&mut cmd);
        }
        cmd
    }
}

/// Where [`Private::prepare`] writes the `i`-th no-child-process filter.
fn filter_path(scratch: &Path, i: usize) -> PathBuf {
    scratch.join(format!("no-child-{i}.bpf"))
}

/// `TMPDIR` for private processes: bubblewrap's own `/tmp`; under
/// Landlock one inside the private directory (the only place cargo may
/// write); without a sandbox the system's.
fn tmp_dir(p: &Private) -> PathBuf {
    match &p.sandbox {
        Some(Sandbox::Bwrap(_)) => PathBuf::from("/tmp"),
        Some(_) => p.scratch.join("tmp"),
        None => std::env::temp_dir(),
    }
}

/// The no-child-process seccomp filters as files bwrap reads
/// (`--add-seccomp-fd N`): each is opened here and, in the child before
/// exec, duplicated onto a fixed descriptor number that survives the exec.
struct SeccompFds {
    files: Vec<std::fs::File>,
}

/// The first descriptor number the filters are passed on.
const FIRST_SECCOMP_FD: i32 = 240;

impl SeccompFds {
    /// The filters [`Private::prepare`] wrote into `scratch`, opened; `None` when the
    /// kernel's architecture has no filter (the caller's detection of
    /// leftover processes still applies).
    fn open(scratch: &Path) -> Option<SeccompFds> {
        let filters = crate::process::no_child_filters().ok()?;
        let files = (0..filters.len())
            .map(|i| std::fs::File::open(filter_path(scratch, i)))
            .collect::<std::io::Result<Vec<_>>>()
            .ok()?;
        Some(SeccompFds { files })
    }

    /// The descriptor numbers bwrap is told to read.
    fn targets(&self) -> impl Iterator<Item = i32> + '_ {
        (0..self.files.len()).map(|i| FIRST_SECCOMP_FD + i as i32)
    }

    /// Makes the files readable by the child at [`SeccompFds::targets`].
    fn pass_on(self, cmd: &mut Command) {
        use std::os::fd::AsRawFd;
        use std::os::unix::process::CommandExt;
        let fds: Vec<(i32, i32)> = self
            .files
            .iter()
            .zip(self.targets())
            .map(|(f, to)| (f.as_raw_fd(), to))
            .collect();
        // SAFETY: runs in the forked child before exec and only calls dup2
        // (async-signal-safe); `self.files` moves into the closure, so the
        // descriptors stay open until the command is dropped.
        let files = self.files;
        unsafe {
            cmd.pre_exec(move || {
                let _keep = &files;
                for &(from, to) in &fds {
                    if libc::dup2(from, to) < 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                }
                Ok(())
            });
        }
    }
}
