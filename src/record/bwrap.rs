//! The sandbox: bubblewrap (`bwrap`) command lines for the compile step and
//! for each test process when grading for the record. Inside, there is no
//! network and no other namespace of the host, no capabilities, a private
//! `/tmp`, `/proc` and `/dev` (read-only but for a private `/dev/shm`), the
//! system directories and the toolchain read-only, and only the paths a
//! caller names visible besides. A test's `/tmp` and `/dev/shm` are memory
//! (tmpfs), each bounded by the test's memory limit where bubblewrap can
//! size them (0.5.0 and later).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Where bubblewrap is looked for (the Debian package `bubblewrap`).
pub const BWRAP: &str = "/usr/bin/bwrap";

/// System paths made visible read-only inside the sandbox when they exist
/// (on merged-/usr systems `/bin`, `/lib`, `/lib64` and `/sbin` are links
/// into `/usr` and are bound as the directories they point to). `/etc`
/// contributes only what the dynamic loader and the C toolchain's
/// `cc`/`ld` links need.
const SYSTEM_PATHS: &[&str] = &[
    "/usr",
    "/bin",
    "/lib",
    "/lib64",
    "/sbin",
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/alternatives",
];

/// A working bubblewrap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bwrap {
    program: PathBuf,
    /// Its version line (`bubblewrap 0.8.0`), for reports.
    pub version: String,
}

/// The first bubblewrap with `--size` for `--tmpfs`.
const SIZED_TMPFS: (u32, u32) = (0, 5);

/// `(major, minor)` of a version line such as `bubblewrap 0.8.0`.
fn version_of(line: &str) -> Option<(u32, u32)> {
    let v = line.split_whitespace().last()?;
    let mut parts = v.split('.').map(|p| p.parse::<u32>());
    Some((parts.next()?.ok()?, parts.next()?.ok()?))
}

/// What a sandboxed process may see besides the system directories.
#[derive(Debug, Clone)]
pub struct View<'a> {
    /// Paths bound read-only at the same place.
    pub read_only: Vec<&'a Path>,
    /// Paths bound read-write at the same place (after the read-only ones,
    /// so a writable path may sit inside a read-only one).
    pub writable: Vec<&'a Path>,
    /// The working directory inside.
    pub cwd: &'a Path,
    /// Bound of the private `/tmp` and `/dev/shm` (each), in bytes; `None`:
    /// tmpfs's own default (half the machine's memory).
    pub tmpfs_bytes: Option<u64>,
}

impl Default for View<'_> {
    fn default() -> Self {
        View {
            read_only: Vec::new(),
            writable: Vec::new(),
            cwd: Path::new("/"),
            tmpfs_bytes: None,
        }
    }
}

impl Bwrap {
    /// Finds bubblewrap and proves it can start a process here (user
    /// namespaces may be restricted, e.g. by AppArmor on Ubuntu 24.04);
    /// `Err` says why not.
    pub fn probe() -> Result<Bwrap, String> {
        let program = PathBuf::from(BWRAP);
        if !program.is_file() {
            return Err(format!(
                "{BWRAP} is not installed (Debian/Ubuntu: apt-get install bubblewrap)"
            ));
        }
        let version = Command::new(&program)
            .arg("--version")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_default();
        let b = Bwrap { program, version };
        let root = Path::new("/");
        let out = b
            .command(
                &View {
                    cwd: root,
                    ..View::default()
                },
                Path::new("/usr/bin/true"),
            )
            .env_clear()
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run {BWRAP}: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "{BWRAP} cannot create a sandbox here: {} (unprivileged user namespaces may be restricted; see the README)",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(b)
    }

    /// Whether this bubblewrap can bound a tmpfs (`--size`).
    pub fn sizes_tmpfs(&self) -> bool {
        version_of(&self.version).is_some_and(|v| v >= SIZED_TMPFS)
    }

    /// The arguments that set up the sandbox for `view`, up to and
    /// including the `--` before the program.
    pub fn args(&self, view: &View) -> Vec<OsString> {
        let mut a: Vec<OsString> = [
            "--unshare-all",
            "--die-with-parent",
            "--new-session",
            "--cap-drop",
            "ALL",
            "--proc",
            "/proc",
            "--dev",
            "/dev",
        ]
        .iter()
        .map(OsString::from)
        .collect();
        for dir in ["/tmp", "/dev/shm"] {
            if let Some(n) = view.tmpfs_bytes.filter(|_| self.sizes_tmpfs()) {
                a.push("--size".into());
                a.push(n.to_string().into());
            }
            a.push("--tmpfs".into());
            a.push(dir.into());
        }
        // The rest of /dev is a tmpfs of its own: nothing may be written there.
        a.push("--remount-ro".into());
        a.push("/dev".into());
        for p in SYSTEM_PATHS {
            a.push("--ro-bind-try".into());
            a.push(p.into());
            a.push(p.into());
        }
        for p in &view.read_only {
            a.push("--ro-bind".into());
            a.push(p.as_os_str().into());
            a.push(p.as_os_str().into());
        }
        for p in &view.writable {
            a.push("--bind".into());
            a.push(p.as_os_str().into());
            a.push(p.as_os_str().into());
        }
        a.push("--chdir".into());
        a.push(view.cwd.as_os_str().into());
        a.push("--".into());
        a
    }

    /// A command that runs `program` inside the sandbox; arguments added to
    /// it go to `program`. The environment the command is given is what
    /// `program` sees.
    pub fn command(&self, view: &View, program: &Path) -> Command {
        self.command_with(view, &[], program)
    }

    /// [`Bwrap::command`] with `extra` bwrap options before the program
    /// (e.g. `--add-seccomp-fd N`).
    pub fn command_with(&self, view: &View, extra: &[OsString], program: &Path) -> Command {
        let mut args = self.args(view);
        // The options go before the `--` that ends them.
        let end = args.len() - 1;
        args.splice(end..end, extra.iter().cloned());
        let mut cmd = Command::new(&self.program);
        cmd.args(args).arg(program).current_dir(view.cwd);
        cmd
    }
}

/// How a report names the sandbox used.
pub fn describe(sandbox: Option<&Bwrap>) -> String {
    match sandbox {
        Some(b) if b.sizes_tmpfs() => format!("bwrap ({})", b.version),
        Some(b) if b.version.is_empty() => "bwrap (/tmp not bounded: version unknown)".into(),
        Some(b) => format!(
            "bwrap ({}; /tmp not bounded: bubblewrap before 0.5)",
            b.version
        ),
        None => "none".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_version(v: &str) -> Bwrap {
        Bwrap {
            program: BWRAP.into(),
            version: v.into(),
        }
    }

    #[test]
    fn tmpfs_is_bounded_from_bubblewrap_0_5_on() {
        let view = View {
            tmpfs_bytes: Some(4096),
            ..View::default()
        };
        let args = |b: &Bwrap| -> Vec<String> {
            b.args(&view)
                .into_iter()
                .map(|a| a.into_string().unwrap())
                .collect()
        };
        let new = args(&with_version("bubblewrap 0.8.0"));
        let shown = new.join(" ");
        assert!(
            shown.contains(
                "--dev /dev --size 4096 --tmpfs /tmp --size 4096 --tmpfs /dev/shm --remount-ro /dev"
            ),
            "{shown}"
        );
        let old = args(&with_version("bubblewrap 0.4.1")).join(" ");
        assert!(
            old.contains("--dev /dev --tmpfs /tmp --tmpfs /dev/shm --remount-ro /dev"),
            "{old}"
        );
        assert!(describe(Some(&with_version("bubblewrap 0.4.1"))).contains("/tmp not bounded"));
        assert_eq!(
            describe(Some(&with_version("bubblewrap 0.8.0"))),
            "bwrap (bubblewrap 0.8.0)"
        );
        assert!(!with_version("").sizes_tmpfs());
    }
}
