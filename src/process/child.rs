//! Running a child process under limits: wall-clock time, address space and
//! captured output (head and tail kept, the middle dropped), in a group of
//! its own (a process group on Unix, a job object on Windows: see
//! [`group`](crate::process::group)) so that everything it spawns is killed
//! with it. Ctrl-C kills every running group and makes the runs fail with
//! [`Interrupted`].
//!
//! The memory and file-size limits (rlimits) and the no-child-process
//! filter (seccomp) are Linux's; elsewhere a run has its time limit, its
//! output cap and its group, and the first run with a memory limit says
//! once that the system does not enforce it.

use std::collections::{HashMap, VecDeque};
use std::io::Read;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use crate::process::group::{GroupChild, Killer};

/// Signal numbers memgrade names: the system's on Unix; on Windows, which
/// has no signals, Linux's numbers (a run there never ends by a signal, and
/// Ctrl-C is reported as SIGINT).
pub mod sig {
    #[cfg(unix)]
    pub use libc::{
        SIGABRT, SIGBUS, SIGFPE, SIGHUP, SIGILL, SIGINT, SIGKILL, SIGSEGV, SIGTERM, SIGXCPU,
        SIGXFSZ,
    };
    #[cfg(not(unix))]
    mod numbers {
        pub const SIGHUP: i32 = 1;
        pub const SIGINT: i32 = 2;
        pub const SIGILL: i32 = 4;
        pub const SIGABRT: i32 = 6;
        pub const SIGBUS: i32 = 7;
        pub const SIGFPE: i32 = 8;
        pub const SIGKILL: i32 = 9;
        pub const SIGSEGV: i32 = 11;
        pub const SIGTERM: i32 = 15;
        pub const SIGXCPU: i32 = 24;
        pub const SIGXFSZ: i32 = 25;
    }
    #[cfg(not(unix))]
    pub use numbers::*;
}

/// The run was stopped by a signal: Ctrl-C (SIGINT), SIGTERM or SIGHUP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interrupted;

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match interrupt_signal() {
            Some(sig::SIGTERM) => f.write_str("interrupted by SIGTERM"),
            Some(sig::SIGHUP) => f.write_str("interrupted by SIGHUP"),
            _ => f.write_str("interrupted"),
        }
    }
}

impl std::error::Error for Interrupted {}

/// The signal that interrupted the run (0: none yet).
static SIGNAL: AtomicI32 = AtomicI32::new(0);

/// The groups memgrade started and that are still running, by id (the
/// leader's pid).
fn groups() -> &'static Mutex<HashMap<i32, Killer>> {
    static GROUPS: OnceLock<Mutex<HashMap<i32, Killer>>> = OnceLock::new();
    GROUPS.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Marks the run interrupted by `signal` (the first one counts) and kills
/// every group memgrade started.
fn interrupt(signal: i32) {
    let _ = SIGNAL.compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst);
    kill_all_groups();
}

/// Installs the handler of SIGINT (Ctrl-C), SIGTERM (what CI runners send
/// on cancel or timeout) and SIGHUP (the terminal closed): it marks the run
/// interrupted and kills every process group memgrade started (tests and
/// the compile step). Safe to call more than once.
/// On Windows: Ctrl-C and Ctrl-Break, as SIGINT.
pub fn install_interrupt_handler() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        #[cfg(unix)]
        {
            use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
            let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
            else {
                return;
            };
            std::thread::spawn(move || {
                for signal in signals.forever() {
                    interrupt(signal);
                }
            });
        }
        #[cfg(windows)]
        {
            let _ = ctrlc::set_handler(|| interrupt(sig::SIGINT));
        }
    });
}

/// Stops the run now, as Ctrl-C would (the student pressed `q` while watch
/// was grading): marks it interrupted and kills every process group
/// memgrade started, so the grading in progress ends with [`Interrupted`].
pub fn interrupt_now() {
    interrupt(sig::SIGINT);
}

/// Whether a signal interrupted the run.
pub fn interrupted() -> bool {
    SIGNAL.load(Ordering::SeqCst) != 0
}

/// The signal that interrupted the run, if one did.
pub fn interrupt_signal() -> Option<i32> {
    match SIGNAL.load(Ordering::SeqCst) {
        0 => None,
        sig => Some(sig),
    }
}

/// The exit code of an interrupted run: 128 + the signal (130 for Ctrl-C,
/// 143 for SIGTERM, 129 for SIGHUP).
pub fn interrupt_exit_code() -> i32 {
    crate::exit::EXIT_SIGNAL_BASE + interrupt_signal().unwrap_or(sig::SIGINT)
}

/// Makes memgrade the reaper of its orphaned descendants (Linux), so a
/// process a test started in a new session or process group, which the
/// group kill cannot reach, is reparented to memgrade when the test ends and
/// [`kill_orphans`] finds it. Safe to call more than once.
pub fn become_subreaper() {
    #[cfg(target_os = "linux")]
    {
        static ONCE: OnceLock<()> = OnceLock::new();
        ONCE.get_or_init(|| {
            let _ = rustix::process::set_child_subreaper(Some(rustix::process::getpid()));
        });
    }
}

/// The environment variable that names the test a process belongs to: set
/// on each test process (and inherited by whatever it starts, unless the
/// environment is cleared), so that an orphan found when one test ends is
/// charged to the test that started it, not to another running beside it.
pub const TEST_TAG_VAR: &str = "MEMGRADE_TEST_TAG";

/// Orphans found and killed by another test's sweep, per tag, not yet
/// reported to the test they belong to.
fn escaped() -> &'static Mutex<std::collections::HashMap<std::ffi::OsString, usize>> {
    static ESCAPED: OnceLock<Mutex<std::collections::HashMap<std::ffi::OsString, usize>>> =
        OnceLock::new();
    ESCAPED.get_or_init(Default::default)
}

/// Orphans of the test tagged `tag` that another test's sweep killed.
fn take_escaped(tag: &std::ffi::OsStr) -> usize {
    escaped()
        .lock()
        .ok()
        .and_then(|mut m| m.remove(tag))
        .unwrap_or(0)
}

/// Kills and reaps memgrade's children that it did not start itself (and
/// register): the orphans of finished tests (processes in another process
/// group than memgrade's, or carrying a test's tag; memgrade's own helper
/// processes are neither). Returns how many of them
/// belong to the test tagged `tag` (see [`TEST_TAG_VAR`]): those carrying
/// that tag, and those carrying none (their tag was cleared: the test that
/// finds them is the best guess). An orphan with another test's tag is
/// set aside for that test ([`take_escaped`]). Linux only; elsewhere a no-op.
#[cfg(target_os = "linux")]
pub fn kill_orphans(tag: Option<&std::ffi::OsStr>) -> usize {
    use rustix::process::{Signal, WaitOptions, kill_process, kill_process_group, waitpid};
    let Ok(g) = groups().lock() else { return 0 };
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    let mut found = 0;
    let pids = entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok());
    for raw in pids.filter(|raw| !g.contains_key(raw)) {
        let Some((p, tag_found)) = orphan(raw) else {
            continue;
        };
        match tag_found {
            Some(theirs) if Some(theirs.as_os_str()) != tag => {
                if let Ok(mut m) = escaped().lock() {
                    *m.entry(theirs).or_default() += 1;
                }
            }
            _ => found += 1,
        }
        let _ = kill_process_group(p, Signal::KILL);
        let _ = kill_process(p, Signal::KILL);
        let _ = waitpid(Some(p), WaitOptions::empty());
    }
    found
}

/// Elsewhere orphans are not looked for: a test's group (Unix) or job
/// (Windows) is killed whole when it ends.
#[cfg(not(target_os = "linux"))]
pub fn kill_orphans(_tag: Option<&std::ffi::OsStr>) -> usize {
    0
}

/// Process `raw`, when it is memgrade's child that a test left behind: its
/// pid and test tag. memgrade's own helpers (rustc -vV, git) stay in its
/// process group and carry no test tag; every other child is a test's.
#[cfg(target_os = "linux")]
fn orphan(raw: i32) -> Option<(rustix::process::Pid, Option<std::ffi::OsString>)> {
    let (parent, group, zombie) = parent_and_group(raw)?;
    if parent != std::process::id() as i32 {
        return None;
    }
    let p = rustix::process::Pid::from_raw(raw)?;
    let tag_found = tag_of(raw);
    let my_group = rustix::process::getpgrp().as_raw_nonzero().get();
    if group == my_group && tag_found.is_none() {
        return None;
    }
    if zombie {
        // Dead already (killed with its group, then reparented to memgrade
        // before it was reaped): nothing was left running. No one else
        // waits for it: reap it.
        let _ = rustix::process::waitpid(Some(p), rustix::process::WaitOptions::NOHANG);
        return None;
    }
    Some((p, tag_found))
}

/// The [`TEST_TAG_VAR`] a process started with (`None` when it has none or
/// its environment cannot be read, as for a zombie).
#[cfg(target_os = "linux")]
fn tag_of(pid: i32) -> Option<std::ffi::OsString> {
    use std::os::unix::ffi::OsStrExt;
    let environ = std::fs::read(format!("/proc/{pid}/environ")).ok()?;
    let prefix = format!("{TEST_TAG_VAR}=");
    environ
        .split(|&b| b == 0)
        .find_map(|kv| kv.strip_prefix(prefix.as_bytes()))
        .map(|v| std::ffi::OsStr::from_bytes(v).to_os_string())
}

/// The parent pid, the process group and whether it is a zombie, from
/// `/proc/<pid>/stat` (the fields after the command name, which may itself
/// hold spaces and parentheses).
#[cfg(target_os = "linux")]
fn parent_and_group(pid: i32) -> Option<(i32, i32, bool)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let mut fields = stat[stat.rfind(')')? + 1..].split_whitespace();
    let zombie = fields.next()? == "Z";
    Some((
        fields.next()?.parse().ok()?,
        fields.next()?.parse().ok()?,
        zombie,
    ))
}

/// Kills every process group memgrade started and that is still registered.
pub fn kill_all_groups() {
    let killers: Vec<Killer> = groups()
        .lock()
        .map(|g| g.values().cloned().collect())
        .unwrap_or_default();
    for killer in killers {
        killer.kill();
    }
}

/// The no-child-process seccomp programs, or `None` (said once on stderr)
/// when they cannot be built or the kernel refuses them; then a child
/// process is only detected and killed after the test, not prevented.
#[cfg(target_os = "linux")]
fn child_filters() -> Option<&'static [crate::process::seccomp::Program]> {
    static FILTERS: OnceLock<Option<&'static [crate::process::seccomp::Program]>> = OnceLock::new();
    *FILTERS.get_or_init(|| {
        let probe = crate::process::seccomp::programs().and_then(|programs| {
            let mut cmd = Command::new("/bin/sh");
            cmd.args(["-c", ":"]);
            cmd.stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            // SAFETY: the closure runs in the forked child before exec and
            // only makes the prctl and seccomp system calls.
            unsafe {
                std::os::unix::process::CommandExt::pre_exec(&mut cmd, move || crate::process::seccomp::install(programs));
            }
            cmd.status().map_err(|e| e.to_string())?;
            Ok(programs)
        });
        match probe {
            Ok(programs) => Some(programs),
            Err(e) => {
                warnln!(
                    "warning: cannot install the seccomp filter that stops tests from starting processes ({e}); \
                     a test that starts one is detected and failed afterwards instead"
                );
                None
            }
        }
    })
}

/// Limits for one child process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunLimits {
    /// Wall-clock time before the process group is killed.
    pub time: Duration,
    /// Address-space limit in bytes (`RLIMIT_AS`), if any.
    pub memory_bytes: Option<u64>,
    /// Bytes of each stream kept: half from the head, half from the tail.
    pub output_cap: usize,
    /// Largest file the process may write, in bytes (`RLIMIT_FSIZE`), if any.
    pub file_bytes: Option<u64>,
    /// Stop the process from starting child processes (the seccomp filter
    /// of [`crate::process::seccomp`]), where the kernel allows it.
    pub no_child_processes: bool,
}

/// How a child ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcessEnd {
    /// Exited with this status code.
    Code(i32),
    /// Killed by this signal (not by memgrade's time limit).
    Signal(i32),
    /// Killed by memgrade when the time limit passed.
    TimedOut,
}

/// A captured output stream, capped: the first and last bytes are kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Captured {
    head: Vec<u8>,
    tail: VecDeque<u8>,
    /// Bytes the child wrote in all.
    pub total: u64,
    cap: usize,
}

impl Captured {
    /// An empty capture keeping at most `cap` bytes.
    pub fn new(cap: usize) -> Captured {
        Captured {
            cap,
            ..Captured::default()
        }
    }

    /// Adds bytes the child wrote.
    pub fn push(&mut self, mut bytes: &[u8]) {
        self.total += bytes.len() as u64;
        let head_cap = self.cap / 2;
        if self.head.len() < head_cap {
            let take = (head_cap - self.head.len()).min(bytes.len());
            self.head.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
        }
        let tail_cap = self.cap - head_cap;
        if bytes.len() >= tail_cap {
            self.tail.clear();
            self.tail.extend(&bytes[bytes.len() - tail_cap..]);
        } else {
            let overflow = (self.tail.len() + bytes.len()).saturating_sub(tail_cap);
            self.tail.drain(..overflow);
            self.tail.extend(bytes);
        }
    }

    /// Bytes dropped from the middle.
    pub fn omitted(&self) -> u64 {
        self.total - self.head.len() as u64 - self.tail.len() as u64
    }

    /// The kept text, with a marker where the middle was dropped.
    pub fn text(&self) -> String {
        let mut s = String::from_utf8_lossy(&self.head).into_owned();
        let omitted = self.omitted();
        if omitted > 0 {
            s.push_str(&format!("\n[... {omitted} bytes of output omitted ...]\n"));
        }
        let tail: Vec<u8> = self.tail.iter().copied().collect();
        s.push_str(&String::from_utf8_lossy(&tail));
        s
    }
}

/// What a limited run produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// How the process ended.
    pub exit: ProcessEnd,
    /// Its standard output, capped.
    pub stdout: Captured,
    /// Its standard error, capped.
    pub stderr: Captured,
    /// Wall-clock time it took.
    pub duration: Duration,
    /// Processes it started were still there (in its group, or reparented
    /// to memgrade) when it ended; they were killed.
    pub left_processes: bool,
}

fn reader(
    mut stream: impl Read + Send + 'static,
    sink: Arc<Mutex<Captured>>,
    done: mpsc::Sender<()>,
) {
    std::thread::spawn(move || {
        let mut buf = [0u8; 16 * 1024];
        loop {
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if let Ok(mut c) = sink.lock() {
                        c.push(&buf[..n]);
                    }
                }
            }
        }
        let _ = done.send(());
    });
}

/// Runs `cmd` to completion under `limits`, in a group of its own, with
/// stdin closed (and, on Linux, core dumps off). Leftover processes of the
/// group are killed when it ends. Returns [`Interrupted`] (as an error) on
/// Ctrl-C.
pub fn run_limited(mut cmd: Command, limits: RunLimits) -> anyhow::Result<Outcome> {
    if interrupted() {
        return Err(Interrupted.into());
    }
    let tag = cmd
        .get_envs()
        .find(|(k, _)| *k == TEST_TAG_VAR)
        .and_then(|(_, v)| v.map(|v| v.to_os_string()));
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    apply_os_limits(&mut cmd, &limits);
    let start = Instant::now();
    let (child, _registered) = spawn_registered(cmd)?;
    let running = Running::start(child, limits.output_cap);
    let (status, timed_out) = running.wait(start + limits.time)?;
    let duration = start.elapsed();
    // Whatever the test left running in its group goes now, and so does
    // anything that left the group (setsid) and was reparented to memgrade.
    let mut left_processes = !timed_out && running.killer.has_members();
    running.killer.kill();
    let orphans = kill_orphans(tag.as_deref()) + tag.as_deref().map_or(0, take_escaped);
    left_processes |= orphans > 0 && !timed_out;
    let (stdout, stderr) = running.output();
    Ok(Outcome {
        exit: process_end(status?, timed_out),
        stdout,
        stderr,
        duration,
        left_processes,
    })
}

/// Installs what the system enforces before the child execs: on Linux the
/// rlimits (address space, file size, no core dumps) and, when asked, the
/// no-child-process filter.
#[cfg(target_os = "linux")]
fn apply_os_limits(cmd: &mut Command, limits: &RunLimits) {
    use std::os::unix::process::CommandExt;
    let rlimits = crate::process::limits::Rlimits {
        address_space: limits.memory_bytes,
        file_size: limits.file_bytes,
    };
    let filters = if limits.no_child_processes {
        child_filters()
    } else {
        None
    };
    // SAFETY: the closure runs in the forked child before exec and only
    // makes system calls (setrlimit, prctl, seccomp); it neither allocates
    // nor takes locks.
    unsafe {
        cmd.pre_exec(move || {
            rlimits.install()?;
            if let Some(programs) = filters {
                crate::process::seccomp::install(programs)?;
            }
            Ok(())
        });
    }
}

/// Elsewhere there is nothing to install: the first run with a memory
/// limit says once (on stderr) that the system does not enforce it.
#[cfg(not(target_os = "linux"))]
fn apply_os_limits(_cmd: &mut Command, limits: &RunLimits) {
    static SAID: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if limits.memory_bytes.is_some() && !SAID.swap(true, Ordering::SeqCst) {
        warnln!("{}", memory_limit_note());
    }
}

/// The one line that says a test's memory limit is not in force here.
#[cfg(not(target_os = "linux"))]
pub fn memory_limit_note() -> String {
    format!(
        "note: tests run without a memory limit on {} (Linux enforces one); the time limit still holds",
        std::env::consts::OS
    )
}

/// Spawns `cmd` in a group of its own and registers the group (so Ctrl-C
/// kills it), under the registry's lock, so the orphan sweep never sees a
/// child that is not registered yet. The guard unregisters and kills the
/// group when dropped.
pub fn spawn_registered(cmd: Command) -> std::io::Result<(GroupChild, GroupGuard)> {
    let mut g = groups()
        .lock()
        .map_err(|_| std::io::Error::other("process registry poisoned"))?;
    let child = GroupChild::spawn(cmd)?;
    let killer = child.killer();
    g.insert(killer.id(), killer.clone());
    Ok((child, GroupGuard(killer)))
}

/// A child under limits as it runs: what kills its group, its output as the
/// reader threads capture it, and its exit status once a thread has it.
struct Running {
    killer: Killer,
    out: Arc<Mutex<Captured>>,
    err: Arc<Mutex<Captured>>,
    /// One message per output stream read to its end.
    read: mpsc::Receiver<()>,
    status: mpsc::Receiver<std::io::Result<ExitStatus>>,
}

impl Running {
    /// Starts the threads that read the child's output (keeping `cap`
    /// bytes of each stream) and wait for it.
    fn start(mut child: GroupChild, cap: usize) -> Running {
        let out = Arc::new(Mutex::new(Captured::new(cap)));
        let err = Arc::new(Mutex::new(Captured::new(cap)));
        let (done_tx, read) = mpsc::channel();
        if let Some(s) = child.take_stdout() {
            reader(s, out.clone(), done_tx.clone());
        }
        if let Some(s) = child.take_stderr() {
            reader(s, err.clone(), done_tx);
        }
        let killer = child.killer();
        let (status_tx, status) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = status_tx.send(child.wait());
        });
        Running {
            killer,
            out,
            err,
            read,
            status,
        }
    }

    /// Waits for the child until `deadline`, then kills its group and waits
    /// for it to go. Returns its status and whether the time limit passed;
    /// [`Interrupted`] when a signal came meanwhile (the group is killed).
    fn wait(&self, deadline: Instant) -> Result<(std::io::Result<ExitStatus>, bool), Interrupted> {
        let mut timed_out = false;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let wait = if timed_out {
                Duration::from_millis(50)
            } else {
                left.min(Duration::from_millis(50))
            };
            match self.status.recv_timeout(wait) {
                Ok(status) => return Ok((status, timed_out)),
                Err(RecvTimeoutError::Timeout) => {
                    if interrupted() {
                        self.killer.kill();
                        let _ = self.status.recv();
                        return Err(Interrupted);
                    }
                    if left.is_zero() && !timed_out {
                        timed_out = true;
                        self.killer.kill();
                    }
                }
                Err(RecvTimeoutError::Disconnected) => {
                    let lost = std::io::Error::other("lost the child process");
                    return Ok((Err(lost), timed_out));
                }
            }
        }
    }

    /// The captured output. A grandchild that left the group may hold a
    /// pipe open, so the readers get half a second at most to finish.
    fn output(&self) -> (Captured, Captured) {
        let grace = Instant::now() + Duration::from_millis(500);
        for _ in 0..2 {
            if self
                .read
                .recv_timeout(grace.saturating_duration_since(Instant::now()))
                .is_err()
            {
                break;
            }
        }
        let take = |c: &Arc<Mutex<Captured>>| c.lock().map(|c| c.clone()).unwrap_or_default();
        (take(&self.out), take(&self.err))
    }
}

/// How a process that ended with `status` is reported.
fn process_end(status: ExitStatus, timed_out: bool) -> ProcessEnd {
    if timed_out {
        return ProcessEnd::TimedOut;
    }
    if let Some(code) = status.code() {
        return ProcessEnd::Code(code);
    }
    #[cfg(unix)]
    let signal = std::os::unix::process::ExitStatusExt::signal(&status).unwrap_or(0);
    #[cfg(not(unix))]
    let signal = 0;
    ProcessEnd::Signal(signal)
}

/// Unregisters (and kills) a group when dropped.
pub struct GroupGuard(Killer);

impl Drop for GroupGuard {
    fn drop(&mut self) {
        self.0.kill();
        if let Ok(mut g) = groups().lock() {
            g.remove(&self.0.id());
        }
    }
}

/// The name of a signal, for messages.
pub fn signal_name(signal: i32) -> String {
    match signal {
        sig::SIGABRT => "SIGABRT (abort)".into(),
        sig::SIGSEGV => "SIGSEGV (segmentation fault)".into(),
        sig::SIGKILL => "SIGKILL".into(),
        sig::SIGBUS => "SIGBUS".into(),
        sig::SIGILL => "SIGILL".into(),
        sig::SIGFPE => "SIGFPE".into(),
        sig::SIGTERM => "SIGTERM".into(),
        sig::SIGXFSZ => "SIGXFSZ (file size limit)".into(),
        sig::SIGXCPU => "SIGXCPU (CPU time limit)".into(),
        other => format!("signal {other}"),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn limits(ms: u64) -> RunLimits {
        RunLimits {
            time: Duration::from_millis(ms),
            memory_bytes: None,
            output_cap: 64,
            file_bytes: None,
            no_child_processes: false,
        }
    }

    /// `sh -c script`, tagged uniquely so that tests running in parallel
    /// never take each other's orphans.
    fn sh(script: &str) -> Command {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let mut c = Command::new("sh");
        c.arg("-c").arg(script).env(
            TEST_TAG_VAR,
            format!("unit-{}", NEXT.fetch_add(1, Ordering::Relaxed)),
        );
        c
    }

    #[test]
    fn captures_exit_code_and_output() {
        let o = run_limited(sh("echo hi; echo err >&2; exit 3"), limits(5000)).unwrap();
        assert_eq!(o.exit, ProcessEnd::Code(3));
        assert_eq!(o.stdout.text(), "hi\n");
        assert_eq!(o.stderr.text(), "err\n");
    }

    #[test]
    fn kills_a_hanging_process_and_its_children() {
        // Its background sleep dies with the group: no other test's sweep
        // may meet it on the way.
        #[cfg(target_os = "linux")]
        let _one_at_a_time = orphan_tests();
        let start = Instant::now();
        let o = run_limited(sh("sleep 30 & sleep 30; echo never"), limits(300)).unwrap();
        assert_eq!(o.exit, ProcessEnd::TimedOut);
        assert!(start.elapsed() < Duration::from_secs(5));
        assert!(!o.stdout.text().contains("never"));
    }

    #[test]
    fn reports_signals() {
        let o = run_limited(sh("kill -SEGV $$"), limits(5000)).unwrap();
        assert_eq!(o.exit, ProcessEnd::Signal(sig::SIGSEGV));
    }

    #[test]
    fn caps_output_keeping_head_and_tail() {
        let o = run_limited(
            sh("echo START; yes middle | head -c 100000; echo; echo END"),
            limits(5000),
        )
        .unwrap();
        let text = o.stdout.text();
        assert!(text.starts_with("START"), "{text}");
        assert!(text.trim_end().ends_with("END"), "{text}");
        assert!(text.contains("bytes of output omitted"));
        assert!(o.stdout.total > 100_000);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn memory_limit_applies_to_the_child() {
        // The shell keeps a command substitution's output in memory: 100 MB
        // of it fits without a limit and cannot fit in 64 MiB of address
        // space. (Needs nothing but sh, head and tr, so it cannot pass for
        // want of a tool.)
        let script = "x=$(head -c 100000000 /dev/zero | tr '\\0' x); echo ${#x}";
        let free = run_limited(sh(script), limits(30_000)).unwrap();
        assert_eq!(free.exit, ProcessEnd::Code(0), "{}", free.stderr.text());
        assert_eq!(free.stdout.text(), "100000000\n");
        let mut l = limits(30_000);
        l.memory_bytes = Some(64 << 20);
        let o = run_limited(sh(script), l).unwrap();
        assert_ne!(o.exit, ProcessEnd::Code(0));
        assert!(!o.stdout.text().contains("100000000"));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_larger_than_the_limit_stops_the_process() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("big");
        let mut l = limits(10_000);
        l.file_bytes = Some(1 << 20);
        let script = format!("head -c 3000000 /dev/zero > {}", file.display());
        let o = run_limited(sh(&script), l).unwrap();
        assert_ne!(o.exit, ProcessEnd::Code(0), "{o:?}");
        assert!(std::fs::metadata(&file).unwrap().len() <= 1 << 20);
        // Without the limit the same write succeeds.
        let o = run_limited(sh(&script), limits(10_000)).unwrap();
        assert_eq!(o.exit, ProcessEnd::Code(0), "{o:?}");
        assert_eq!(std::fs::metadata(&file).unwrap().len(), 3_000_000);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_seccomp_filter_stops_child_processes_but_not_threads() {
        // It asserts that its sweep found nothing: no other test's orphan
        // may be about meanwhile.
        let _one_at_a_time = orphan_tests();
        let mut l = limits(10_000);
        l.no_child_processes = true;
        // The shell itself runs (exec is allowed), but cannot fork.
        let o = run_limited(sh("echo start; /bin/echo child; echo after"), l).unwrap();
        assert!(o.stdout.text().starts_with("start"), "{o:?}");
        assert!(!o.stdout.text().contains("child"), "{o:?}");
        assert!(!o.left_processes, "{o:?}");
        // Threads still start: this very test harness runs a test on a
        // thread of its own.
        let mut harness = Command::new(std::env::current_exe().unwrap());
        harness.args([
            "--exact",
            "process::seccomp::tests::filters_compile_to_whole_instructions",
            "--test-threads=1",
        ]);
        l.output_cap = 4096;
        let o = run_limited(harness, l).unwrap();
        assert_eq!(o.exit, ProcessEnd::Code(0), "{o:?}");
        assert!(o.stdout.text().contains("1 passed"), "{o:?}");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_dead_child_not_yet_reaped_is_seen_as_a_zombie() {
        let mut child = Command::new("/bin/sh")
            .args(["-c", "exit 0"])
            .spawn()
            .unwrap();
        let pid = child.id() as i32;
        let start = Instant::now();
        while !parent_and_group(pid).is_some_and(|(_, _, zombie)| zombie) {
            assert!(start.elapsed() < Duration::from_secs(10), "never a zombie");
            std::thread::sleep(Duration::from_millis(10));
        }
        let (parent, _, _) = parent_and_group(pid).unwrap();
        assert_eq!(parent, std::process::id() as i32);
        child.wait().unwrap();
    }

    /// The tests that leave orphans, or assert that their sweep found none,
    /// run one at a time: each sweep reaps whatever orphan it finds, so a
    /// concurrent one would charge the other test's orphan to itself.
    #[cfg(target_os = "linux")]
    fn orphan_tests() -> std::sync::MutexGuard<'static, ()> {
        static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
        LOCK.lock().unwrap_or_else(|e| e.into_inner())
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn processes_left_behind_are_reported_and_killed() {
        let _one_at_a_time = orphan_tests();
        become_subreaper();
        // One stays in the group, one leaves it with setsid.
        let o = run_limited(sh("sleep 30 & setsid sleep 31 & exit 0"), limits(10_000)).unwrap();
        assert_eq!(o.exit, ProcessEnd::Code(0));
        assert!(o.left_processes, "{o:?}");
        let o = run_limited(sh("exit 0"), limits(10_000)).unwrap();
        assert!(!o.left_processes, "{o:?}");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn orphans_are_charged_to_the_test_that_started_them() {
        let _one_at_a_time = orphan_tests();
        become_subreaper();
        // Test A leaves an orphan in a new session while it still runs (its
        // subshell exits at once); test B ends meanwhile and its sweep kills
        // the orphan. B is not charged; A is, when it ends.
        let a = std::thread::spawn(|| {
            let mut a = sh("(setsid sleep 34 &); sleep 1; exit 0");
            a.env(TEST_TAG_VAR, "orphans-a");
            run_limited(a, limits(10_000)).unwrap()
        });
        std::thread::sleep(Duration::from_millis(300));
        let mut b = sh("sleep 0.3; exit 0");
        b.env(TEST_TAG_VAR, "orphans-b");
        let b = run_limited(b, limits(10_000)).unwrap();
        assert!(!b.left_processes, "{b:?}");
        let a = a.join().unwrap();
        assert!(a.left_processes, "{a:?}");
    }

    #[test]
    fn captured_push_keeps_exact_head_and_tail() {
        let mut c = Captured::new(8);
        c.push(b"abcdefghij");
        c.push(b"klm");
        assert_eq!(c.total, 13);
        assert_eq!(c.omitted(), 5);
        assert_eq!(c.text(), "abcd\n[... 5 bytes of output omitted ...]\njklm");
    }
}
