//! The one test harness of memgrade's integration tests:
//!
//! - [`CourseBuilder`]: a temporary copy of this repository's course, or of
//!   some of its exercises, with or without the solutions, optionally sealed;
//!   each exercise's `src/` is the pristine stub recorded in `memgrade.lock`,
//!   whatever a student changed in this checkout (so `cargo test` passes on a
//!   student's tree as on a fresh clone);
//! - [`Memgrade`]: runs the memgrade binary with its environment set here and
//!   only here (no colors, no CI mode, no GitHub variables, each course
//!   building in its own target directory) unless a test asks otherwise;
//! - [`Tmux`]: a command in a detached terminal of a given size, its screen
//!   captured and keys sent;
//! - [`require_tool`], [`require_bwrap`]: tests that need tmux, python3 or
//!   bubblewrap fail when `CI` is set and the tool is missing, and otherwise
//!   say in one line that they are skipped and why.
#![allow(dead_code)]

pub mod platforms;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// This repository (the course the harness copies).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies a tree (without `target/`), keeping modification times so cargo
/// sees unchanged sources as unchanged between runs.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != "target" {
                copy_tree(&src, &dst);
            }
        } else {
            copy_file(&src, &dst);
        }
    }
}

/// Copies one file with its modification time.
pub fn copy_file(from: &Path, to: &Path) {
    std::fs::copy(from, to).unwrap();
    let modified = std::fs::metadata(from).unwrap().modified().unwrap();
    std::fs::File::options()
        .write(true)
        .open(to)
        .unwrap()
        .set_modified(modified)
        .unwrap();
}

/// How to build a temporary course.
#[derive(Debug, Clone)]
pub struct CourseBuilder {
    /// The checkout copied (default: this repository).
    from: PathBuf,
    /// Exercise names to copy (grader.toml order is kept); `None` for all.
    exercises: Option<Vec<String>>,
    solutions: bool,
    sealed: bool,
    lock: bool,
}

/// Builds a temporary course from this repository's.
pub fn course_builder() -> CourseBuilder {
    CourseBuilder {
        from: repo(),
        exercises: None,
        solutions: true,
        sealed: false,
        lock: false,
    }
}

/// A course with only `join_words` and its solution (not sealed).
pub fn course() -> Course {
    course_builder().exercises(&["join_words"]).build()
}

impl CourseBuilder {
    /// Only these exercises (by name), in grader.toml's order.
    pub fn exercises(mut self, names: &[&str]) -> CourseBuilder {
        self.exercises = Some(names.iter().map(|n| n.to_string()).collect());
        self
    }

    /// Whether `solutions/` is copied for the chosen exercises (default yes).
    pub fn solutions(mut self, copy: bool) -> CourseBuilder {
        self.solutions = copy;
        self
    }

    /// Runs `memgrade seal` on the copy, so `memgrade.lock` holds its stubs.
    pub fn sealed(mut self) -> CourseBuilder {
        self.sealed = true;
        self
    }

    /// Copies the checkout's own `memgrade.lock` (not resealed).
    pub fn with_lock(mut self) -> CourseBuilder {
        self.lock = true;
        self
    }

    /// Copies another checkout instead of this repository (a student's
    /// tree, say).
    pub fn from(mut self, checkout: &Path) -> CourseBuilder {
        self.from = checkout.to_path_buf();
        self
    }

    /// Writes the course into `root`, a directory that outlives the test (so
    /// its `target/` stays warm between runs): everything in it but `target/`
    /// is replaced.
    pub fn build_at(self, root: &Path) {
        std::fs::create_dir_all(root).unwrap();
        for entry in std::fs::read_dir(root).unwrap() {
            let entry = entry.unwrap();
            if entry.file_name() == "target" {
                continue;
            }
            if entry.file_type().unwrap().is_dir() {
                std::fs::remove_dir_all(entry.path()).unwrap();
            } else {
                std::fs::remove_file(entry.path()).unwrap();
            }
        }
        self.build_into(root);
        assert!(!self.sealed, "build_at does not seal");
    }

    /// Copies the course into a fresh temporary directory.
    pub fn build(self) -> Course {
        let dir = tempfile::tempdir().unwrap();
        self.build_into(dir.path());
        let course = Course { dir };
        if self.sealed {
            // As `memgrade seal` (an instructor command) writes it, in
            // every build.
            memgrade::test_harness::seal(course.root()).expect("the course seals");
            assert!(course.root().join("memgrade.lock").is_file());
        }
        course
    }

    /// Writes the course into `root` (which may already exist).
    fn build_into(&self, root: &Path) {
        let repo = self.from.clone();
        let lock = memgrade::test_harness::Lock::load(&repo)
            .unwrap()
            .expect("the checkout has a memgrade.lock");
        if self.lock {
            copy_file(&repo.join("memgrade.lock"), &root.join("memgrade.lock"));
        }
        std::fs::write(
            root.join("Cargo.toml"),
            "[workspace]\nmembers = [\"memprobe\", \"exercises/*\"]\nresolver = \"3\"\n",
        )
        .unwrap();
        copy_tree(&repo.join("memprobe"), &root.join("memprobe"));
        let registry = std::fs::read_to_string(repo.join("grader.toml")).unwrap();
        let mut blocks = registry.split("\n[[exercises]]");
        let mut trimmed = blocks.next().unwrap().to_string();
        for block in blocks {
            let field = |key: &str| {
                block
                    .lines()
                    .find_map(|l| l.strip_prefix(key))
                    .map(|v| v.trim().trim_matches('"').to_string())
                    .unwrap()
            };
            let name = field("name = ");
            if self
                .exercises
                .as_ref()
                .is_some_and(|names| !names.contains(&name))
            {
                continue;
            }
            let dir = field("dir = ");
            copy_tree(&repo.join(&dir), &root.join(&dir));
            restore_stubs(&lock, root, Path::new(&dir));
            if self.solutions {
                let dir_name = Path::new(&dir).file_name().unwrap();
                copy_tree(
                    &repo.join("solutions").join(dir_name),
                    &root.join("solutions").join(dir_name),
                );
            }
            trimmed.push_str("\n[[exercises]]");
            trimmed.push_str(block);
        }
        std::fs::write(root.join("grader.toml"), trimmed).unwrap();
    }
}

/// Makes `root/dir/src` the stub `lock` records: files the stub does not
/// have are removed, files that differ are written (unchanged files keep
/// their modification time).
fn restore_stubs(lock: &memgrade::test_harness::Lock, root: &Path, dir: &Path) {
    let stubs = lock.stub_files(dir);
    assert!(!stubs.is_empty(), "memgrade.lock has no stub for {dir:?}");
    let src = root.join(dir).join("src");
    let present =
        memgrade::test_harness::files(&src, memgrade::test_harness::BUILD_OUTPUT).unwrap();
    for p in present {
        let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
        if !stubs.contains_key(&rel) {
            std::fs::remove_file(&p).unwrap();
        }
    }
    for (rel, text) in stubs {
        let p = root.join(&rel);
        if std::fs::read_to_string(&p).ok().as_deref() != Some(text.as_str()) {
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, text).unwrap();
        }
    }
}

/// Copies `dir` (`exercises/01_join_words`) of this checkout to the same
/// place under `course`, with `src/` as `memgrade.lock` records the stub,
/// whatever a student changed here.
pub fn copy_exercise_as_shipped(dir: &str, course: &Path) {
    copy_tree(&repo().join(dir), &course.join(dir));
    let lock = memgrade::test_harness::Lock::load(&repo())
        .unwrap()
        .expect("memgrade.lock is in the checkout");
    restore_stubs(&lock, course, Path::new(dir));
}

/// A copy of this whole checkout (memgrade's source too; not `target/`,
/// `.git` or `.memgrade/`) with every exercise's `src/` as `memgrade.lock`
/// records the stub: the course as it shipped, for commands that read the
/// whole checkout (`memgrade template`) on a student's tree with solved
/// exercises as on a fresh clone.
pub fn checkout_as_shipped() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(repo()).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if ["target", ".git", ".memgrade"].iter().any(|n| name == *n) {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &dir.path().join(&name));
        } else {
            copy_file(&entry.path(), &dir.path().join(&name));
        }
    }
    let lock = memgrade::test_harness::Lock::load(&repo())
        .unwrap()
        .expect("memgrade.lock is in the checkout");
    let dirs: std::collections::BTreeSet<String> = lock
        .stubs
        .keys()
        .filter_map(|rel| rel.split("/src/").next().map(str::to_string))
        .collect();
    for d in dirs {
        restore_stubs(&lock, dir.path(), Path::new(&d));
    }
    dir
}

/// The pristine stub of one source file, as `memgrade.lock` records it
/// (`exercises/01_join_words/src/lib.rs`), whatever this checkout holds now.
pub fn stub_source(rel: &str) -> String {
    let lock = memgrade::test_harness::Lock::load(&repo())
        .unwrap()
        .unwrap();
    lock.stubs
        .get(rel)
        .unwrap_or_else(|| panic!("memgrade.lock has no stub {rel}"))
        .clone()
}

/// A temporary course, removed when dropped.
pub struct Course {
    dir: tempfile::TempDir,
}

impl Course {
    /// The course root.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// The course root (as `TempDir::path` names it).
    pub fn path(&self) -> &Path {
        self.root()
    }

    /// A temporary copy of this course as it is now (a pristine official
    /// copy, say).
    pub fn copy(&self) -> Course {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(self.root(), dir.path());
        Course { dir }
    }

    /// Copies this course into `dest` (a student's checkout, say).
    pub fn copy_to(&self, dest: &Path) {
        copy_tree(self.root(), dest);
    }

    /// A memgrade command on this course (`--root` set).
    pub fn memgrade(&self) -> Memgrade {
        Memgrade::new().root(self.root())
    }

    /// Runs memgrade on this course with `args`.
    pub fn run(&self, args: &[&str]) -> Output {
        self.memgrade().args(args).output()
    }
}

/// Runs the memgrade binary. The environment is set here for every test: no
/// colors (`NO_COLOR=1`), no CI mode (`CI` removed), no GitHub Actions
/// variables (every `GITHUB_*` removed), no `MEMPROBE_STRICT` from outside,
/// stdin empty; with a root, cargo builds in `<root>/target`.
pub struct Memgrade {
    cmd: Command,
}

impl Default for Memgrade {
    fn default() -> Memgrade {
        Memgrade::new()
    }
}

impl Memgrade {
    /// The binary with the test environment and no arguments.
    pub fn new() -> Memgrade {
        Memgrade::binary(Path::new(env!("CARGO_BIN_EXE_memgrade")))
    }

    /// Another memgrade binary (another build of it) with the test
    /// environment and no arguments.
    pub fn binary(path: &Path) -> Memgrade {
        let mut cmd = Command::new(path);
        cmd.env("NO_COLOR", "1")
            .env_remove("CI")
            .env_remove("CARGO_TARGET_DIR")
            .env_remove("MEMPROBE_STRICT")
            .stdin(Stdio::null());
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("GITHUB_") {
                cmd.env_remove(key);
            }
        }
        Memgrade { cmd }
    }

    /// `--root <root>`, building in `<root>/target`.
    pub fn root(mut self, root: &Path) -> Memgrade {
        self.cmd
            .arg("--root")
            .arg(root)
            .env("CARGO_TARGET_DIR", root.join("target"));
        self
    }

    /// Builds in `target` instead.
    pub fn target(mut self, target: &Path) -> Memgrade {
        self.cmd.env("CARGO_TARGET_DIR", target);
        self
    }

    /// Adds arguments.
    pub fn args<I, S>(mut self, args: I) -> Memgrade
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.cmd.args(args);
        self
    }

    /// Sets one environment variable (e.g. `CI`, `GITHUB_ACTIONS`).
    pub fn env(mut self, key: &str, value: impl AsRef<OsStr>) -> Memgrade {
        self.cmd.env(key, value);
        self
    }

    /// Removes one environment variable (e.g. `NO_COLOR` where colors are
    /// wanted).
    pub fn env_remove(mut self, key: &str) -> Memgrade {
        self.cmd.env_remove(key);
        self
    }

    /// CI mode as a workflow runs it: `CI=true`.
    pub fn ci(self) -> Memgrade {
        self.env("CI", "true")
    }

    /// Runs to the end and returns what it printed.
    pub fn output(mut self) -> Output {
        self.cmd.output().unwrap()
    }

    /// Starts it with stdout and stderr discarded.
    pub fn spawn_quiet(mut self) -> Child {
        self.cmd
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    }

    /// The command, for a caller that needs its own stdio.
    pub fn into_command(self) -> Command {
        self.cmd
    }

    /// The command as one line for `sh` (under tmux, say): `env`, the
    /// environment changes, the program and its arguments, each quoted.
    pub fn shell_line(&self) -> String {
        self.shell_words()
            .iter()
            .map(|w| format!("'{}'", w.replace('\'', "'\\''")))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The command as `env` takes it: the environment changes, the program
    /// and its arguments.
    fn shell_words(&self) -> Vec<String> {
        // `env` takes every `-u NAME` before the first `NAME=VALUE`.
        let mut words = vec!["env".to_string()];
        let mut set = Vec::new();
        for (key, value) in self.cmd.get_envs() {
            let key = key.to_string_lossy().into_owned();
            match value {
                Some(v) => set.push(format!("{key}={}", v.to_string_lossy())),
                None => words.extend(["-u".to_string(), key]),
            }
        }
        words.extend(set);
        words.push(self.cmd.get_program().to_string_lossy().into_owned());
        words.extend(
            self.cmd
                .get_args()
                .map(|a| a.to_string_lossy().into_owned()),
        );
        words
    }
}

/// Runs `memgrade --root <root> <args>` with the test environment.
pub fn memgrade(root: &Path, args: &[&str]) -> Output {
    Memgrade::new().root(root).args(args).output()
}

/// stdout and stderr, one after the other.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Whether `tool` is installed (on PATH). When it is not: panics if `CI` is
/// set (CI installs every tool the tests need), else prints one line,
/// `skipped: <tool> missing (...)`, and returns false, and the caller
/// returns. A tool this system does not have at all (tmux on Windows,
/// bubblewrap outside Linux) is skipped in CI too, and says so.
pub fn require_tool(tool: &str) -> bool {
    let (unix_only, linux_only) = (["tmux"], ["bwrap"]);
    let exists_here = (cfg!(unix) || !unix_only.contains(&tool))
        && (cfg!(target_os = "linux") || !linux_only.contains(&tool));
    if !exists_here {
        eprintln!("skipped: {tool} does not run on {}", std::env::consts::OS);
        return false;
    }
    let found = std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()));
    if found {
        return true;
    }
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
        panic!("{tool} is missing, and CI is set: CI must install it (see .ci/run)");
    }
    eprintln!("skipped: {tool} missing (CI is unset; .ci/run installs it)");
    false
}

/// Whether the grade of record's sandbox can be tested here: bubblewrap at
/// `/usr/bin/bwrap`, where memgrade looks for it (see [`require_tool`] for
/// what happens without it).
pub fn require_bwrap() -> bool {
    if !require_tool("bwrap") {
        return false;
    }
    if Path::new("/usr/bin/bwrap").is_file() {
        return true;
    }
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
        panic!("bwrap is not at /usr/bin/bwrap, and CI is set: CI must install it (see .ci/run)");
    }
    eprintln!("skipped: bwrap is not at /usr/bin/bwrap (CI is unset; .ci/run installs it)");
    false
}

/// The `--sandbox` value for grade-of-record tests that are not about the
/// sandbox: `bwrap` where bubblewrap is installed (CI must have it: there
/// a missing one panics), else `none`, said once per test binary, so those
/// tests still check the private build tree on a machine with only Rust.
pub fn record_sandbox() -> &'static str {
    static CHOICE: std::sync::OnceLock<&'static str> = std::sync::OnceLock::new();
    CHOICE.get_or_init(|| {
        if cfg!(target_os = "linux") && Path::new("/usr/bin/bwrap").is_file() {
            return "bwrap";
        }
        if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
            panic!("bwrap is not at /usr/bin/bwrap, and CI is set: CI must install it (see .ci/run)");
        }
        eprintln!(
            "note: bwrap missing (CI is unset): grade-of-record tests run with --sandbox none; the sandbox's own tests are skipped"
        );
        "none"
    })
}

/// Processes (other than pgrep itself) whose command line holds `marker`,
/// one `pid command` per line; empty when there are none.
pub fn processes_with(marker: &str) -> String {
    assert!(!marker.is_empty(), "an empty marker matches every process");
    let out = Command::new("pgrep")
        .args(["-a", "-f", marker])
        .output()
        .expect("pgrep (procps) is needed to look for leftover processes");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.contains("pgrep"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether process `pid` is still running (exists and is not a zombie).
pub fn is_running(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the parenthesised command name.
        Ok(stat) => stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z" && state != "X"),
        Err(_) => false,
    }
}

/// A detached tmux session on a private server; killed on drop.
pub struct Tmux {
    socket: String,
    session: String,
}

impl Tmux {
    /// Runs `command` in a new 220×60 terminal.
    pub fn start(command: &str) -> Tmux {
        Tmux::start_sized(command, 220, 60)
    }

    /// Runs `command` in a new terminal of `width` columns and `height` rows.
    pub fn start_sized(command: &str, width: u16, height: u16) -> Tmux {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let tmux = Tmux {
            socket: format!("memgrade-test-{}-{nanos}", std::process::id()),
            session: "watch".into(),
        };
        let out = tmux.cmd(&[
            "new-session",
            "-d",
            "-s",
            &tmux.session,
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
            command,
        ]);
        assert!(
            out.status.success(),
            "tmux new-session failed: {}",
            text(&out)
        );
        tmux
    }

    /// Runs a tmux command on this server.
    pub fn cmd(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    /// The visible screen.
    pub fn screen(&self) -> String {
        String::from_utf8_lossy(
            &self
                .cmd(&["capture-pane", "-p", "-t", &self.session])
                .stdout,
        )
        .into_owned()
    }

    /// Whether the session (the command) is still running.
    pub fn alive(&self) -> bool {
        self.cmd(&["has-session", "-t", &self.session])
            .status
            .success()
    }

    /// Sends keys (tmux key names: `q`, `Enter`, `Down`).
    pub fn press(&self, key: &str) {
        let out = self.cmd(&["send-keys", "-t", &self.session, key]);
        assert!(out.status.success(), "send-keys failed: {}", text(&out));
    }

    /// Polls the pane until `want` holds, or fails showing the last screen.
    pub fn wait_for(&self, what: &str, timeout: Duration, want: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if want(&screen) {
                return screen;
            }
            assert!(
                self.alive(),
                "watch ended while waiting for {what}; last screen:\n{screen}"
            );
            assert!(
                start.elapsed() < timeout,
                "timed out waiting for {what}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(250));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]);
    }
}
