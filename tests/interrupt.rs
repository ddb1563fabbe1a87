//! A signal stops grading at once: Ctrl-C (SIGINT), SIGTERM (what CI runners
//! send on cancel or timeout) and SIGHUP each make memgrade exit with
//! 128 + the signal (130, 143, 129) and leave no test process behind.

mod common;

use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::{course, processes_with, repo};

/// Whether process `pid` still exists (a zombie counts).
fn alive(pid: i32) -> bool {
    // SAFETY: signal 0 only checks that the process exists.
    unsafe { libc::kill(pid, 0) == 0 }
}

/// Grades a course whose tests hang (each writes its pid into the exercise
/// directory first), sends `signal` once they run, and checks the exit code,
/// how fast memgrade stopped, and that no test process is left.
fn signal_stops_grading(signal: i32, code: i32, within: Duration) {
    // One at a time: they share a target directory, and each checks that no
    // process of it is left.
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let c = course();
    let dir = c.path().join("exercises/01_join_words");
    std::fs::write(
        dir.join("src/lib.rs"),
        "pub fn join_words(_: &[&str]) -> String {\n    \
         let _ = std::fs::write(format!(\"pid-{}\", std::process::id()), \"\");\n    \
         loop {\n        std::hint::black_box(0);\n    }\n}\n",
    )
    .unwrap();
    let toml = c.path().join("grader.toml");
    let t = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, t.replace("time_secs = 10.0", "time_secs = 120.0")).unwrap();

    let target = repo().join("target/memgrade-interrupt-test");
    let marker = target.to_string_lossy().into_owned();
    let mut child = c
        .memgrade()
        .target(&target)
        .args(["check", "--no-cache"])
        .spawn_quiet();

    // Wait until the hanging tests are running and have said who they are.
    let start = Instant::now();
    while !processes_with(&marker).contains("--exact") || test_pids(&dir).is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(180),
            "the tests never started"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "memgrade ended before the tests ran"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let pids = test_pids(&dir);
    assert!(pids.iter().all(|&p| alive(p)), "{pids:?}");
    // SAFETY: sending a signal to our own child process.
    unsafe { libc::kill(child.id() as i32, signal) };
    let stopped = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            stopped.elapsed() < within,
            "memgrade did not stop on signal {signal} within {within:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(code));
    // The killed tests are reaped by init once memgrade is gone.
    let gone = Instant::now();
    while pids.iter().any(|&p| alive(p)) {
        assert!(
            gone.elapsed() < Duration::from_secs(5),
            "test processes {pids:?} outlived memgrade"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        processes_with(&marker),
        "",
        "test processes outlived memgrade"
    );
}

/// The pids the hanging tests wrote.
fn test_pids(dir: &Path) -> Vec<i32> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            e.unwrap()
                .file_name()
                .to_str()?
                .strip_prefix("pid-")?
                .parse()
                .ok()
        })
        .collect()
}

#[test]
fn ctrl_c_kills_every_test_and_exits_130() {
    signal_stops_grading(libc::SIGINT, 130, Duration::from_secs(10));
}

#[test]
fn sigterm_kills_every_test_and_exits_143() {
    signal_stops_grading(libc::SIGTERM, 143, Duration::from_secs(3));
}

#[test]
fn sighup_kills_every_test_and_exits_129() {
    signal_stops_grading(libc::SIGHUP, 129, Duration::from_secs(3));
}
