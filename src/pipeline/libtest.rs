//! Talking to libtest, the harness inside every test binary: listing its
//! tests, and turning one test process's ending into a verdict.
//!
//! A pass is decided from the harness alone: exit status 0, the harness's
//! log file (`--logfile`, written by the harness after the test returns)
//! naming exactly this test as `ok`, and its summary line counting exactly one
//! passed test. Text the code under test prints cannot make a pass: an
//! `exit(0)` from inside the test leaves no log entry, and printed summaries
//! do not write the log.

use crate::pipeline::grade::{Comparison, Location, TestStatus};
use crate::process::child::{Outcome, ProcessEnd, signal_name};

/// Test names from `<binary> --list --format terse` (benchmarks skipped).
pub fn parse_list(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .map(|s| s.to_string())
        .collect()
}

/// The verdict on one test process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// Outcome.
    pub status: TestStatus,
    /// Why, when it did not pass.
    pub message: String,
    /// Where the panic happened, when it did.
    pub location: Option<Location>,
    /// Values an equality assertion compared.
    pub comparison: Option<Comparison>,
}

impl Verdict {
    fn new(status: TestStatus, message: impl Into<String>) -> Verdict {
        Verdict {
            status,
            message: message.into(),
            location: None,
            comparison: None,
        }
    }
}

/// Judges how the process running test `name` ended. `log` is the content of
/// the harness's log file (empty when the harness never wrote it);
/// `time_secs` and `memory_mb` are the limits it ran under, for messages.
pub fn judge(name: &str, outcome: &Outcome, log: &str, time_secs: f64, memory_mb: u64) -> Verdict {
    let stdout = outcome.stdout.text();
    let stderr = clean_stderr(&outcome.stderr.text());
    let log_lines: Vec<&str> = log
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let logged_ok = log_lines == [format!("ok {name}")];
    let logged_failed = log_lines == [format!("failed {name}")];
    let mut v = match outcome.exit {
        ProcessEnd::TimedOut => Verdict::new(
            TestStatus::TimedOut,
            format!("did not finish within the time limit of {time_secs} s (an endless loop, or far too much work); it was stopped"),
        ),
        ProcessEnd::Signal(sig) => crash_reason(&stderr, memory_mb).map_or_else(
            || Verdict::new(TestStatus::Crashed, format!("the test process was killed by {}", signal_name(sig))),
            |reason| Verdict::new(TestStatus::Crashed, reason),
        ),
        ProcessEnd::Code(0) => {
            // The code under test may write to the stdout descriptor itself
            // (libtest only captures `print!`), which can land between
            // `test NAME ... ` and its `ok`; the log file decides, the
            // summary only confirms.
            let summary_ok = stdout.contains(&format!("test {name} ... ")) && has_summary(&stdout, "ok. 1 passed; 0 failed");
            if logged_ok && summary_ok {
                Verdict::new(TestStatus::Passed, "")
            } else {
                Verdict::new(
                    TestStatus::Crashed,
                    "the process exited with status 0 before the test harness reported a result: the code under test ended the process (`std::process::exit`?), so the test did not run to completion",
                )
            }
        }
        ProcessEnd::Code(101) if logged_failed => {
            let mut v = Verdict::new(TestStatus::Failed, "");
            parse_failure(name, &stdout, &mut v);
            if v.message.is_empty() {
                v.message = "the test failed without a panic message".into();
            }
            v
        }
        ProcessEnd::Code(code) => crash_reason(&stderr, memory_mb).map_or_else(
            || {
                Verdict::new(
                    TestStatus::Crashed,
                    format!("the process exited with status {code} before the test harness reported a result"),
                )
            },
            |reason| Verdict::new(TestStatus::Crashed, reason),
        ),
    };
    if v.status == TestStatus::Crashed && v.location.is_none() {
        // A panic message before an abort (panic in Drop, double panic) still
        // says where it started.
        let mut probe = Verdict::new(TestStatus::Crashed, "");
        parse_panic(name, &stderr, &mut probe);
        if probe.location.is_none() {
            parse_panic(name, &stdout, &mut probe);
        }
        if !probe.message.is_empty() {
            v.message = format!("{}\nlast panic: {}", v.message, probe.message);
            v.location = probe.location;
        }
    }
    if v.status != TestStatus::Passed
        && let Some(line) = stderr.lines().find(|l| l.starts_with(THREAD_REFUSED))
    {
        // The reason comes first: the panic only says the spawn failed.
        v.message = format!(
            "the grade of record {}\n{}",
            &line["memprobe: ".len()..],
            v.message
        );
    }
    v
}

/// What memprobe prints when the grade of record refuses to start a thread
/// (`memprobe::c_thread::REFUSED`): too large a stack, or too many threads.
pub const THREAD_REFUSED: &str = "memprobe: refused to start a thread:";

/// What memprobe prints before it aborts when the grade of record cannot
/// lock a test thread down (`memprobe::lockdown::REFUSED`).
pub const LOCKDOWN_REFUSED: &str = "memprobe: cannot lock the test thread down";

/// The harness's warning about `--logfile` (memgrade passes it on purpose).
pub const LOGFILE_WARNING: &str = "warning: `--logfile` is deprecated";

/// Test stderr without libtest's `--logfile` warning, which some toolchains
/// print without a newline, so the runtime's next words (`memory allocation
/// of … failed`) would otherwise share its line.
pub fn clean_stderr(stderr: &str) -> String {
    stderr
        .replace(&format!("{LOGFILE_WARNING}\n"), "")
        .replace(LOGFILE_WARNING, "")
}

fn has_summary(stdout: &str, counts: &str) -> bool {
    stdout
        .lines()
        .any(|l| l.starts_with(&format!("test result: {counts}")))
}

/// Recognises the runtime's own last words on stderr.
fn crash_reason(stderr: &str, memory_mb: u64) -> Option<String> {
    if stderr.contains("has overflowed its stack") {
        Some("stack overflow: the test recursed too deep or kept a large value on the stack (each thread's stack is bounded by grader.toml `[limits] stack_kb`; what a stack holds is memory no measurement sees)".into())
    } else if let Some(line) = stderr.lines().find(|l| {
        l.trim_start().starts_with("memory allocation of ") && l.trim_end().ends_with("failed")
    }) {
        Some(format!(
            "exceeded the memory limit of {memory_mb} MiB ({}): unbounded allocation?",
            line.trim()
        ))
    } else if stderr.contains("panic in a destructor during cleanup")
        || stderr.contains("thread caused non-unwinding panic")
    {
        Some(
            "aborted: a panic happened while another panic was unwinding (a panicking Drop?)"
                .into(),
        )
    } else if stderr.contains(LOCKDOWN_REFUSED) {
        Some("the grade of record could not lock the test thread down (seccomp refused here), so the code under test was not run".into())
    } else if stderr.contains("panicked while processing panic") {
        Some("aborted: a panic inside the panic handler".into())
    } else {
        None
    }
}

/// What test `name` printed before it failed: the captured output libtest
/// shows in the failure section (`---- name stdout ----`), up to the panic
/// line. Empty when it printed nothing (or crashed before libtest could
/// show it).
pub fn printed_output(name: &str, stdout: &str) -> String {
    let header = format!("---- {name} stdout ----\n");
    let Some(start) = stdout.find(&header) else {
        return String::new();
    };
    let rest = &stdout[start + header.len()..];
    let end = ["\n\nfailures:\n", "\n---- "]
        .iter()
        .filter_map(|m| rest.find(m))
        .min()
        .unwrap_or(rest.len());
    let section = &rest[..end];
    let panic_at = section
        .match_indices("thread '")
        .map(|(i, _)| i)
        .filter(|&i| i == 0 || section.as_bytes()[i - 1] == b'\n')
        .find(|&i| {
            section[i..]
                .lines()
                .next()
                .is_some_and(|l| l.contains(" panicked at "))
        })
        .unwrap_or(section.len());
    section[..panic_at].trim_end().to_string()
}

/// Reads the harness's failure section for `name` (`---- name stdout ----`).
fn parse_failure(name: &str, stdout: &str, v: &mut Verdict) {
    let header = format!("---- {name} stdout ----");
    let Some(start) = stdout.find(&header) else {
        parse_panic(name, stdout, v);
        return;
    };
    let rest = &stdout[start + header.len()..];
    let end = ["\n\nfailures:\n", "\n---- "]
        .iter()
        .filter_map(|m| rest.find(m))
        .min()
        .unwrap_or(rest.len());
    parse_panic(name, &rest[..end], v);
    if v.message.is_empty() {
        v.message = rest[..end].trim().to_string();
    }
}

/// Finds `thread '<name>' (…) panicked at file:line:col:` and the message
/// below it; fills the message, location and any left/right comparison.
fn parse_panic(name: &str, text: &str, v: &mut Verdict) {
    let marker = format!("thread '{name}'");
    let lines: Vec<&str> = text.lines().collect();
    let Some(i) = lines
        .iter()
        .rposition(|l| l.starts_with(&marker) && l.contains(" panicked at "))
        .or_else(|| {
            lines
                .iter()
                .rposition(|l| l.starts_with("thread '") && l.contains(" panicked at "))
        })
    else {
        return;
    };
    let head = lines[i];
    if let Some(at) = head.split(" panicked at ").nth(1) {
        let at = at.trim_end_matches(':');
        let mut parts = at.rsplitn(3, ':');
        let _col = parts.next();
        let line = parts.next().and_then(|l| l.parse::<u32>().ok());
        if let (Some(line), Some(file)) = (line, parts.next()) {
            v.location = Some(Location {
                file: file.to_string(),
                line,
            });
        }
    }
    let body: Vec<&str> = lines[i + 1..]
        .iter()
        .take_while(|l| {
            !l.starts_with("note: run with `RUST_BACKTRACE=1`")
                && !l.starts_with("stack backtrace:")
        })
        .copied()
        .collect();
    v.message = body.join("\n").trim_end().to_string();
    v.comparison = parse_comparison(&v.message);
}

/// `assertion `left == right` failed` followed by `  left: …` / ` right: …`.
pub fn parse_comparison(message: &str) -> Option<Comparison> {
    if !message.contains("assertion `left == right` failed") {
        return None;
    }
    let left = message.lines().find_map(|l| l.strip_prefix("  left: "))?;
    let right = message.lines().find_map(|l| l.strip_prefix(" right: "))?;
    Some(Comparison {
        left: unquote(left),
        right: unquote(right),
    })
}

/// Turns a Debug-printed string literal back into its text; anything else is
/// returned as is.
pub fn unquote(s: &str) -> String {
    let Some(inner) = s.strip_prefix('"').and_then(|r| r.strip_suffix('"')) else {
        return s.to_string();
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some('\\') => out.push('\\'),
            Some('"') => out.push('"'),
            Some('\'') => out.push('\''),
            Some('u') => {
                let code: String = chars.by_ref().skip(1).take_while(|&c| c != '}').collect();
                match u32::from_str_radix(&code, 16).ok().and_then(char::from_u32) {
                    Some(ch) => out.push(ch),
                    None => return s.to_string(),
                }
            }
            _ => return s.to_string(),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::process::child::Captured;
    use std::time::Duration;

    fn outcome(exit: ProcessEnd, stdout: &str, stderr: &str) -> Outcome {
        let mut out = Captured::new(1 << 20);
        out.push(stdout.as_bytes());
        let mut err = Captured::new(1 << 20);
        err.push(stderr.as_bytes());
        Outcome {
            exit,
            stdout: out,
            stderr: err,
            duration: Duration::from_millis(3),
            left_processes: false,
        }
    }

    /// The verdict on test `t` under the default limits (10 s, 512 MiB).
    fn verdict(exit: ProcessEnd, stdout: &str, stderr: &str, log: &str) -> Verdict {
        judge("t", &outcome(exit, stdout, stderr), log, 10.0, 512)
    }

    const PASS: &str = "\nrunning 1 test\ntest t ... ok\n\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 3 filtered out; finished in 0.00s\n\n";

    #[test]
    fn lists_tests_only() {
        assert_eq!(
            parse_list("a: test\nb::c: test\nbench_x: benchmark\n\n"),
            vec!["a", "b::c"]
        );
    }

    #[test]
    fn passes_only_with_the_harness_log_and_summary() {
        let v = verdict(ProcessEnd::Code(0), PASS, "", "ok t\n");
        assert_eq!(v.status, TestStatus::Passed);
        // The same text printed by the code under test, without the harness's log.
        let v = verdict(ProcessEnd::Code(0), PASS, "", "");
        assert_eq!(v.status, TestStatus::Crashed);
        assert!(v.message.contains("before the test harness reported"));
        // A log for another test does not count.
        let v = verdict(ProcessEnd::Code(0), PASS, "", "ok other\n");
        assert_eq!(v.status, TestStatus::Crashed);
        // Two log lines (a forged extra line) do not count either.
        let v = verdict(ProcessEnd::Code(0), PASS, "", "ok t\nok t\n");
        assert_eq!(v.status, TestStatus::Crashed);
    }

    #[test]
    fn failure_message_location_and_comparison() {
        let stdout = "\nrunning 1 test\ntest t ... FAILED\n\nfailures:\n\n---- t stdout ----\nsome print\nthread 't' (4242) panicked at exercises/05_x/tests/memory.rs:17:5:\nassertion `left == right` failed\n  left: \"u8: 1\\nString: 32\"\n right: \"u8: 1\\nString: 24\"\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\n\nfailures:\n    t\n\ntest result: FAILED. 0 passed; 1 failed;\n";
        let v = verdict(ProcessEnd::Code(101), stdout, "", "failed t\n");
        assert_eq!(v.status, TestStatus::Failed);
        assert_eq!(
            v.location,
            Some(Location {
                file: "exercises/05_x/tests/memory.rs".into(),
                line: 17
            })
        );
        assert!(v.message.starts_with("assertion `left == right` failed"));
        let c = v.comparison.unwrap();
        assert_eq!(c.left, "u8: 1\nString: 32");
        assert_eq!(c.right, "u8: 1\nString: 24");
    }

    #[test]
    fn what_a_failing_test_printed_is_found() {
        let stdout = "\nrunning 1 test\ntest t ... FAILED\n\nfailures:\n\n---- t stdout ----\nlen = 3\ndebug: [\"a\"]\nthread 't' (4242) panicked at tests/memory.rs:17:5:\nboom\n\n\nfailures:\n    t\n";
        assert_eq!(printed_output("t", stdout), "len = 3\ndebug: [\"a\"]");
        let silent = "---- t stdout ----\nthread 't' (1) panicked at tests/memory.rs:1:1:\nboom\n\nfailures:\n";
        assert_eq!(printed_output("t", silent), "");
        assert_eq!(printed_output("t", "no section"), "");
    }

    #[test]
    fn memory_budget_message_is_kept_whole() {
        let stdout = "---- t stdout ----\nthread 't' (9) panicked at tests/memory.rs:20:18:\n`join(&w)`: expected at most 1 heap allocation, measured 14 (1 alloc + 13 reallocs)\n  budget:   at most 1 heap allocation\nnote: run with `RUST_BACKTRACE=1`\n\nfailures:\n";
        let v = verdict(ProcessEnd::Code(101), stdout, "", "failed t");
        assert_eq!(
            v.message.lines().next().unwrap(),
            "`join(&w)`: expected at most 1 heap allocation, measured 14 (1 alloc + 13 reallocs)"
        );
        assert!(v.comparison.is_none());
    }

    #[test]
    fn a_refused_thread_says_why_before_the_panic() {
        let stdout = "\nrunning 1 test\ntest t ... FAILED\n\nfailures:\n\n---- t stdout ----\n\nthread 't' panicked at src/lib.rs:3:5:\nfailed to spawn thread: Os { code: 11, kind: WouldBlock, message: \"Resource temporarily unavailable\" }\n\nfailures:\n    t\n\ntest result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n\n";
        let stderr = format!(
            "{THREAD_REFUSED} it asked for a stack of 65536 KiB, and the grade of record gives each thread at most 256 KiB\n"
        );
        let v = verdict(ProcessEnd::Code(101), stdout, &stderr, "failed t");
        assert_eq!(v.status, TestStatus::Failed);
        let mut lines = v.message.lines();
        assert_eq!(
            lines.next().unwrap(),
            "the grade of record refused to start a thread: it asked for a stack of 65536 KiB, and the grade of record gives each thread at most 256 KiB"
        );
        assert!(
            lines.next().unwrap().starts_with("failed to spawn thread"),
            "{}",
            v.message
        );
    }

    #[test]
    fn crashes_are_named() {
        let v = verdict(
            ProcessEnd::Signal(6),
            "",
            "\nthread 't' has overflowed its stack\nfatal runtime error: stack overflow\n",
            "",
        );
        assert_eq!(v.status, TestStatus::Crashed);
        assert!(v.message.starts_with("stack overflow"));
        assert!(v.message.contains("stack_kb"), "{}", v.message);
        let v = judge(
            "t",
            &outcome(
                ProcessEnd::Signal(6),
                "",
                "memory allocation of 1073741824 bytes failed\n",
            ),
            "",
            10.0,
            256,
        );
        assert!(v.message.contains("memory limit of 256 MiB"));
        let v = verdict(ProcessEnd::Signal(9), "", "", "");
        assert!(v.message.contains("SIGKILL"));
        let v = judge("t", &outcome(ProcessEnd::TimedOut, "", ""), "", 2.5, 512);
        assert_eq!(v.status, TestStatus::TimedOut);
        assert!(v.message.contains("2.5 s"));
        let v = verdict(ProcessEnd::Code(3), "", "", "");
        assert!(v.message.contains("status 3"));
        // exit(101) from the code under test, without the harness's log.
        let v = verdict(ProcessEnd::Code(101), "", "", "");
        assert_eq!(v.status, TestStatus::Crashed);
    }

    #[test]
    fn memory_limit_is_named_after_a_glued_logfile_warning() {
        // Some toolchains print the warning without a newline.
        let stderr = "warning: `--logfile` is deprecatedmemory allocation of 1048576 bytes failed\nnote: run with `RUST_BACKTRACE=1`\n";
        let v = judge(
            "t",
            &outcome(ProcessEnd::Signal(6), "", stderr),
            "",
            10.0,
            256,
        );
        assert_eq!(v.status, TestStatus::Crashed);
        assert!(
            v.message
                .contains("memory limit of 256 MiB (memory allocation of 1048576 bytes failed)"),
            "{}",
            v.message
        );
        assert_eq!(
            clean_stderr(stderr),
            "memory allocation of 1048576 bytes failed\nnote: run with `RUST_BACKTRACE=1`\n"
        );
    }

    #[test]
    fn output_written_between_the_name_and_ok_still_passes() {
        let stdout = "\nrunning 1 test\ntest t ... ::error::noise\nok\n\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 3 filtered out; finished in 0.00s\n\n";
        assert_eq!(
            verdict(ProcessEnd::Code(0), stdout, "", "ok t\n").status,
            TestStatus::Passed
        );
        // Still nothing without the harness's log.
        assert_eq!(
            verdict(ProcessEnd::Code(0), stdout, "", "").status,
            TestStatus::Crashed
        );
    }

    #[test]
    fn unquotes_debug_strings() {
        assert_eq!(unquote(r#""a\nb\t\"c\" \u{e9}""#), "a\nb\t\"c\" é");
        assert_eq!(unquote("42"), "42");
        assert_eq!(unquote(r#""bad \q""#), r#""bad \q""#);
    }
}
