//! Process-level limits that hold in every mode, for the processes that run
//! student code (test and listing processes): the environment allow-list
//! (every system) and the resource limits installed before exec (Linux).

use std::path::Path;
use std::process::Command;

/// The `PATH` a test process sees: system directories only, never the
/// caller's. (On Windows: the system's own directories, from `SystemRoot`.)
pub const SAFE_PATH: &str = "/usr/local/bin:/usr/bin:/bin";

/// Replaces `cmd`'s environment by the allow-list for a process that runs
/// student code: `PATH` fixed to [`SAFE_PATH`], `HOME` and `TMPDIR` set to
/// `private_dir` (a directory of this run that nothing else uses), `LANG`
/// and `LC_ALL` set to `C.UTF-8`, `MEMPROBE_STRICT=1` (one test per
/// process) and `RUST_BACKTRACE=0`. Nothing else of memgrade's environment
/// (tokens, secrets, `RUST_TEST_*`, `TERM`) reaches the process.
///
/// The sandboxed (bubblewrap) path calls it too, on the `bwrap` command.
pub fn test_env(cmd: &mut Command, private_dir: &Path) {
    cmd.env_clear()
        .env("PATH", SAFE_PATH)
        .env("HOME", private_dir)
        .env("TMPDIR", private_dir)
        .env("LANG", "C.UTF-8")
        .env("LC_ALL", "C.UTF-8")
        .env("MEMPROBE_STRICT", "1")
        .env("RUST_BACKTRACE", "0");
    #[cfg(windows)]
    windows_env(cmd, private_dir);
}

/// Gives every thread of a test process a stack of `kib` KiB (the
/// standard library's `RUST_MIN_STACK`, read once per process): the same
/// bound on every system, and in the grade of record the largest stack a
/// thread may ask for (memprobe refuses a larger one).
pub fn stack_env(cmd: &mut Command, kib: u64) {
    cmd.env("RUST_MIN_STACK", (kib << 10).to_string());
}

/// What a Windows process needs beyond the allow-list to start and find
/// its temporary directory: the system's location (DLLs are loaded from
/// it), its own directories on `PATH`, and the private directory as
/// `TEMP`, `TMP` and `USERPROFILE`.
#[cfg(windows)]
fn windows_env(cmd: &mut Command, private_dir: &Path) {
    let root = std::env::var_os("SystemRoot").unwrap_or_else(|| r"C:\Windows".into());
    let mut path = std::path::PathBuf::from(&root)
        .join("System32")
        .into_os_string();
    path.push(";");
    path.push(&root);
    cmd.env("SystemRoot", &root)
        .env("PATH", path)
        .env("TEMP", private_dir)
        .env("TMP", private_dir)
        .env("USERPROFILE", private_dir);
}

/// Resource limits installed in a child process before it execs (see
/// [`Rlimits::install`]). Linux only.
#[cfg(target_os = "linux")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rlimits {
    /// Address-space limit in bytes (`RLIMIT_AS`).
    pub address_space: Option<u64>,
    /// Largest file the process may write, in bytes (`RLIMIT_FSIZE`): a
    /// write past it raises `SIGXFSZ` (or fails with `EFBIG`).
    pub file_size: Option<u64>,
}

#[cfg(target_os = "linux")]
impl Rlimits {
    /// Sets the limits on the calling process, and turns core dumps off.
    /// Meant for `pre_exec`: it only makes `setrlimit` system calls.
    /// (macOS does not enforce an address-space limit.)
    pub fn install(&self) -> std::io::Result<()> {
        use rustix::process::{Resource, Rlimit, setrlimit};
        let exact = |bytes: u64| Rlimit {
            current: Some(bytes),
            maximum: Some(bytes),
        };
        setrlimit(Resource::Core, exact(0))?;
        if let Some(bytes) = self.address_space {
            setrlimit(Resource::As, exact(bytes))?;
        }
        if let Some(bytes) = self.file_size {
            setrlimit(Resource::Fsize, exact(bytes))?;
        }
        Ok(())
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn the_allow_list_keeps_secrets_out() {
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = Command::new("env");
        cmd.env("MY_SECRET", "hunter2").env("GITHUB_TOKEN", "ghp_x");
        test_env(&mut cmd, dir.path());
        let out = cmd.output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            !text.contains("hunter2") && !text.contains("ghp_x"),
            "{text}"
        );
        assert!(!text.contains("TERM="), "{text}");
        let home = format!("HOME={}", dir.path().display());
        assert!(text.lines().any(|l| l == home), "{text}");
        assert!(text.lines().any(|l| l == "MEMPROBE_STRICT=1"), "{text}");
        assert!(
            text.lines().any(|l| l == format!("PATH={SAFE_PATH}")),
            "{text}"
        );
    }
}
