//! Landlock: the grade of record's file isolation where bubblewrap cannot
//! start (a container without user namespaces, such as Docker's default
//! profile and Gradescope's). It needs no namespace and no privilege: each
//! cargo and test process restricts itself, just before it execs, to reading
//! the system directories, the toolchain and the private build tree, and to
//! writing only the paths its caller names (the build tree for cargo; the
//! harness's log file and a private temporary directory for a test).
//!
//! What it does not give, unlike bubblewrap: a private `/proc`, `/tmp` and
//! network. The no-child-process filters ([`crate::process::seccomp`]) and
//! memprobe's lockdown of the test thread (no files, sockets or exec for
//! student code) cover those for the code under test.

use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;

use landlock::{
    ABI, Access, AccessFs, BitFlags, CompatLevel, Compatible, PathBeneath, PathFd, Ruleset,
    RulesetAttr, RulesetCreatedAttr,
};

use crate::record::bwrap::View;

/// System paths a restricted process may read (and execute from).
const SYSTEM_PATHS: &[&str] = &["/usr", "/bin", "/lib", "/lib64", "/sbin", "/etc"];

/// Paths a restricted process may also write (character devices).
const DEVICES: &[&str] = &["/dev/null"];

/// The oldest Landlock version memgrade accepts: 3 (files can no longer be
/// truncated outside the allowed paths; Linux 6.2).
const MIN_ABI: i64 = 3;

/// A working Landlock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Landlock {
    /// The kernel's Landlock version.
    pub abi: i64,
}

impl Landlock {
    /// Proves Landlock restricts a process here: the kernel's version is
    /// recent enough, and a child restricted to the system directories
    /// cannot read a file outside them. `Err` says why not.
    pub fn probe() -> Result<Landlock, String> {
        // SAFETY: landlock_create_ruleset(NULL, 0, VERSION) only returns
        // the ABI version (or -1).
        let abi = unsafe {
            libc::syscall(
                libc::SYS_landlock_create_ruleset,
                std::ptr::null::<u8>(),
                0usize,
                1u32,
            )
        };
        if abi < MIN_ABI {
            return Err(if abi < 0 {
                format!(
                    "the kernel has no Landlock ({})",
                    std::io::Error::last_os_error()
                )
            } else {
                format!(
                    "the kernel's Landlock is version {abi}; memgrade needs {MIN_ABI} (Linux 6.2)"
                )
            });
        }
        let me = Landlock { abi };
        let secret = tempfile::NamedTempFile::new()
            .map_err(|e| format!("cannot create a file to probe Landlock with: {e}"))?;
        let mut cmd = Command::new("/bin/cat");
        cmd.arg(secret.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        me.restrict(&mut cmd, &View::default())
            .map_err(|e| format!("cannot build a Landlock ruleset: {e}"))?;
        match cmd.status() {
            Ok(s) if !s.success() => Ok(me),
            Ok(_) => {
                Err("a Landlock-restricted process could still read a file outside its view".into())
            }
            Err(e) => Err(format!("cannot start a Landlock-restricted process: {e}")),
        }
    }

    /// Restricts the process `cmd` starts to `view` (plus the system
    /// directories, read-only) before it execs. The ruleset is built here,
    /// in the parent; the child only enforces it.
    pub fn restrict(&self, cmd: &mut Command, view: &View) -> std::io::Result<()> {
        let ruleset = ruleset(view)?;
        let fd = ruleset.as_raw_fd();
        // SAFETY: runs in the forked child before exec and only makes the
        // prctl and landlock_restrict_self system calls; `ruleset` moves
        // into the closure, so the descriptor stays open until then.
        unsafe {
            cmd.pre_exec(move || {
                let _keep = &ruleset;
                if libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0
                    || libc::syscall(libc::SYS_landlock_restrict_self, fd, 0u32) != 0
                {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        Ok(())
    }
}

/// Restricts the calling process, and every process it starts from now
/// on, to `view` (plus the system directories, read-only). For a process
/// that then starts the one to confine (memgrade as rustc wrapper).
pub fn restrict_self(view: &View) -> std::io::Result<()> {
    let ruleset = ruleset(view)?;
    // SAFETY: prctl and landlock_restrict_self on this process, with a
    // ruleset descriptor that stays open for the call.
    let restricted = unsafe {
        libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0
            && libc::syscall(libc::SYS_landlock_restrict_self, ruleset.as_raw_fd(), 0u32) == 0
    };
    if restricted {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// The ruleset for `view`: every file access handled, the system paths and
/// `view.read_only` readable, `view.writable` and the devices writable.
fn ruleset(view: &View) -> std::io::Result<OwnedFd> {
    let abi = ABI::V3;
    let all = AccessFs::from_all(abi);
    let read = AccessFs::from_read(abi);
    let mut created = Ruleset::default()
        .set_compatibility(CompatLevel::HardRequirement)
        .handle_access(all)
        .and_then(|r| r.create())
        .map_err(std::io::Error::other)?;
    let readable = SYSTEM_PATHS
        .iter()
        .map(Path::new)
        .chain(view.read_only.iter().copied());
    for p in readable {
        created = add(created, p, read)?;
    }
    let writable = DEVICES
        .iter()
        .map(Path::new)
        .chain(view.writable.iter().copied());
    for p in writable {
        created = add(created, p, all)?;
    }
    let fd: Option<OwnedFd> = created.into();
    fd.ok_or_else(|| std::io::Error::other("Landlock is not supported by this kernel"))
}

/// Adds `access` beneath `path` (only the rights that apply to a file when
/// it is one); a path that does not exist is skipped.
fn add(
    ruleset: landlock::RulesetCreated,
    path: &Path,
    access: BitFlags<AccessFs>,
) -> std::io::Result<landlock::RulesetCreated> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(ruleset);
    };
    let Ok(fd) = PathFd::new(path) else {
        return Ok(ruleset);
    };
    let access = if meta.is_dir() {
        access
    } else {
        access & file_rights()
    };
    ruleset
        .add_rule(PathBeneath::new(fd, access))
        .map_err(std::io::Error::other)
}

/// The rights Landlock allows on a file (not a directory).
fn file_rights() -> BitFlags<AccessFs> {
    AccessFs::ReadFile | AccessFs::WriteFile | AccessFs::Execute | AccessFs::Truncate
}

/// How a report names it.
pub fn describe(l: &Landlock) -> String {
    format!("landlock (ABI {}) + seccomp", l.abi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_restricted_process_reads_its_view_and_writes_only_where_allowed() {
        let Ok(l) = Landlock::probe() else {
            eprintln!("skipped: no Landlock on this kernel");
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let (seen, hidden, out) = (
            dir.path().join("seen"),
            dir.path().join("hidden"),
            dir.path().join("out"),
        );
        for d in [&seen, &hidden, &out] {
            std::fs::create_dir(d).unwrap();
            std::fs::write(d.join("f"), "x").unwrap();
        }
        let run = |script: &str| {
            let mut cmd = Command::new("/bin/sh");
            cmd.args(["-c", script]).stderr(std::process::Stdio::null());
            let view = View {
                read_only: vec![&seen],
                writable: vec![&out],
                ..View::default()
            };
            l.restrict(&mut cmd, &view).unwrap();
            cmd.status().unwrap().success()
        };
        assert!(run(&format!("cat {}/f", seen.display())));
        assert!(!run(&format!("cat {}/f", hidden.display())));
        assert!(!run(&format!("echo y > {}/f", seen.display())));
        assert!(run(&format!("echo y > {}/f", out.display())));
        assert_eq!(std::fs::read_to_string(out.join("f")).unwrap(), "y\n");
    }
}
