//! memgrade as its own rustc wrapper: the compile step runs cargo with
//! `RUSTC_WRAPPER=<memgrade>` and [`MARKER`] set, so cargo starts every
//! rustc process through memgrade, which runs it under a wall-clock and an
//! address-space limit. When rustc passes a limit, the wrapper kills it and
//! prints a rustc-style JSON diagnostic, which cargo attributes to that crate
//! (a `compiler-message`); `--keep-going` builds the rest.
//!
//! `main` checks [`MARKER`] before anything else (see [`run_if_requested`]).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Set (to `1`) in cargo's environment by the compile step: memgrade then
/// runs as a rustc wrapper.
pub const MARKER: &str = "MEMGRADE_RUSTC_WRAPPER";

/// The per-package limits, `name=secs,mb` entries separated by `;`; the
/// entry named `*` applies to packages not listed.
pub const LIMITS_VAR: &str = "MEMGRADE_COMPILE_LIMITS";

/// Limits of one rustc process.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CompileLimit {
    /// Wall-clock time before rustc is killed.
    pub time: Duration,
    /// Address-space limit (`RLIMIT_AS`) in MiB.
    pub memory_mb: u64,
}

/// Encodes per-package limits for [`LIMITS_VAR`] (`default` for every
/// package not named).
pub fn encode_limits(
    default: CompileLimit,
    per_package: &BTreeMap<String, CompileLimit>,
) -> String {
    let entry =
        |name: &str, l: &CompileLimit| format!("{name}={},{}", l.time.as_secs_f64(), l.memory_mb);
    let mut out = entry("*", &default);
    for (name, l) in per_package {
        out.push(';');
        out.push_str(&entry(name, l));
    }
    out
}

/// The limit for `package` from a [`LIMITS_VAR`] value; `None` when the
/// value names neither the package nor a default.
pub fn limit_for(encoded: &str, package: Option<&str>) -> Option<CompileLimit> {
    let mut default = None;
    for entry in encoded.split(';') {
        let Some((name, rest)) = entry.split_once('=') else {
            continue;
        };
        let Some((secs, mb)) = rest.split_once(',') else {
            continue;
        };
        let (Ok(secs), Ok(memory_mb)) = (secs.parse::<f64>(), mb.parse::<u64>()) else {
            continue;
        };
        if !(secs.is_finite() && secs > 0.0) {
            continue;
        }
        let limit = CompileLimit {
            time: Duration::from_secs_f64(secs),
            memory_mb,
        };
        if Some(name) == package {
            return Some(limit);
        }
        if name == "*" {
            default = Some(limit);
        }
    }
    default
}

/// When memgrade was started as a rustc wrapper ([`MARKER`] set), runs the
/// wrapper and returns its exit code; otherwise `None`.
pub fn run_if_requested() -> Option<i32> {
    std::env::var_os(MARKER)?;
    let mut args = std::env::args_os().skip(1);
    let Some(rustc) = args.next() else {
        eprintln!("error: memgrade was started as a rustc wrapper without a rustc to run");
        return Some(101);
    };
    let package = std::env::var("CARGO_PKG_NAME").ok();
    let limit = std::env::var(LIMITS_VAR)
        .ok()
        .and_then(|v| limit_for(&v, package.as_deref()));
    let mut cmd = Command::new(rustc);
    cmd.args(args).env_remove(MARKER).env_remove(LIMITS_VAR);
    Some(wrap(cmd, limit))
}

/// Why a rustc process was stopped.
enum Stopped {
    Time(Duration),
    Memory(u64),
}

fn wrap(mut cmd: Command, limit: Option<CompileLimit>) -> i32 {
    let Some(limit) = limit else {
        // No limits given: run rustc as it is.
        return match cmd.status() {
            Ok(s) => s.code().unwrap_or(101),
            Err(e) => {
                eprintln!("error: cannot run rustc: {e}");
                101
            }
        };
    };
    cmd.stderr(Stdio::piped());
    limit_memory(&mut cmd, limit.memory_mb);
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: cannot run rustc: {e}");
            return 101;
        }
    };
    let forward = forward_stderr(child.stderr.take().expect("stderr is piped"));
    let start = Instant::now();
    let mut stopped = None;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) => {}
            Err(_) => break None,
        }
        if start.elapsed() >= limit.time && stopped.is_none() {
            stopped = Some(Stopped::Time(limit.time));
            let _ = child.kill();
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    // A process rustc started (a linker) may still hold the pipe open after
    // rustc was stopped: it goes with cargo's process group, so the wrapper
    // waits only briefly for the rest of the output.
    let out_of_memory = forward
        .recv_timeout(Duration::from_secs(2))
        .unwrap_or(false);
    if stopped.is_none() && out_of_memory && !status.is_some_and(|s| s.success()) {
        stopped = Some(Stopped::Memory(limit.memory_mb));
    }
    match stopped {
        None => status.and_then(|s| s.code()).unwrap_or(101),
        Some(why) => {
            eprintln!("{}", diagnostic(&why.message()));
            1
        }
    }
}

/// Passes rustc's stderr (its JSON diagnostics) through line by line on a
/// thread of its own, which sends at the end whether the allocator's last
/// words (`memory allocation of … failed`) were among them.
fn forward_stderr(stderr: std::process::ChildStderr) -> std::sync::mpsc::Receiver<bool> {
    let (forwarded, forward) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut out_of_memory = false;
        let mut reader = BufReader::new(stderr);
        let mut line = Vec::new();
        let mut sink = std::io::stderr().lock();
        loop {
            line.clear();
            match reader.read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    out_of_memory |= line.starts_with(b"memory allocation of");
                    if sink.write_all(&line).is_err() {
                        break;
                    }
                }
            }
        }
        let _ = forwarded.send(out_of_memory);
    });
    forward
}

impl Stopped {
    /// What the diagnostic says.
    fn message(&self) -> String {
        match self {
            Stopped::Time(t) => format!(
                "compile time limit of {} s exceeded: rustc was stopped (an endless `const` evaluation or macro expansion?)",
                t.as_secs_f64()
            ),
            Stopped::Memory(mb) => format!(
                "compile memory limit of {mb} MiB exceeded: rustc ran out of memory and was stopped"
            ),
        }
    }
}

/// Limits rustc's address space to `mb` MiB (Linux; elsewhere rustc has
/// its time limit only).
#[cfg(target_os = "linux")]
fn limit_memory(cmd: &mut Command, mb: u64) {
    use std::os::unix::process::CommandExt;
    let rlimits = crate::process::limits::Rlimits {
        address_space: Some(mb << 20),
        file_size: None,
    };
    // SAFETY: the closure runs in the forked child before exec and only
    // makes setrlimit system calls.
    unsafe {
        cmd.pre_exec(move || rlimits.install());
    }
}

#[cfg(not(target_os = "linux"))]
fn limit_memory(_cmd: &mut Command, _mb: u64) {}

/// A rustc JSON diagnostic (what `--error-format=json` prints) with
/// `message` as an error without a source span.
pub fn diagnostic(message: &str) -> String {
    serde_json::json!({
        "$message_type": "diagnostic",
        "message": message,
        "code": null,
        "level": "error",
        "spans": [],
        "children": [],
        "rendered": format!("error: {message}\n"),
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_round_trip_per_package_with_a_default() {
        let default = CompileLimit {
            time: Duration::from_secs(120),
            memory_mb: 2048,
        };
        let slow = CompileLimit {
            time: Duration::from_millis(1500),
            memory_mb: 64,
        };
        let per = BTreeMap::from([("slow_one".to_string(), slow)]);
        let encoded = encode_limits(default, &per);
        assert_eq!(limit_for(&encoded, Some("slow_one")), Some(slow));
        assert_eq!(limit_for(&encoded, Some("other")), Some(default));
        assert_eq!(limit_for(&encoded, None), Some(default));
        assert_eq!(limit_for("garbage;x=1", Some("x")), None);
    }

    #[test]
    fn the_diagnostic_is_rustc_json() {
        let d: serde_json::Value =
            serde_json::from_str(&diagnostic("compile time limit of 2 s exceeded")).unwrap();
        assert_eq!(d["$message_type"], "diagnostic");
        assert_eq!(d["level"], "error");
        assert_eq!(d["rendered"], "error: compile time limit of 2 s exceeded\n");
    }

    #[test]
    fn a_rustc_past_its_time_limit_is_stopped() {
        // The shell's own child (sleep) keeps the pipe open after the shell
        // is killed, as a linker could: the wrapper does not wait for it.
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "sleep 6; echo done"]);
        let start = Instant::now();
        let code = wrap(
            cmd,
            Some(CompileLimit {
                time: Duration::from_millis(300),
                memory_mb: 1024,
            }),
        );
        assert_eq!(code, 1);
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{:?}",
            start.elapsed()
        );
    }
}
