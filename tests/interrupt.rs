//! A signal stops grading at once: Ctrl-C (SIGINT), SIGTERM (what CI runners
//! send on cancel or timeout) and SIGHUP each make memgrade exit with
//! 128 + the signal (130, 143, 129) and leave no test process behind, nor
//! a rustc of the compile step.
//!
//! Signals are Unix's: the file is compiled there only.
#![cfg(unix)]

mod common;

use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::{course, is_running, processes_with, repo};

/// Grades a course whose tests hang (each writes its pid into the exercise
/// directory first), sends `signal` once they run, and checks the exit code,
/// how fast memgrade stopped, and that no test process is left.
/// Runs `f` while no other test of this file runs: they share a target
/// directory, and each checks that no process of it is left.
fn one_at_a_time(f: impl FnOnce()) {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    f();
}

fn signal_stops_grading(signal: i32, code: i32, within: Duration) {
    one_at_a_time(|| signal_stops_grading_now(signal, code, within));
}

fn signal_stops_grading_now(signal: i32, code: i32, within: Duration) {
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
    assert!(pids.iter().all(|&p| is_running(p as u32)), "{pids:?}");
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
    while pids.iter().any(|&p| is_running(p as u32)) {
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

#[test]
fn sigterm_during_the_compile_step_kills_rustc() {
    one_at_a_time(|| {
        let c = course();
        std::fs::write(
            c.path().join("exercises/01_join_words/src/lib.rs"),
            "#![allow(long_running_const_eval)]\n\
             pub const FOREVER: u64 = {\n    let mut i = 0u64;\n    loop {\n        i = i.wrapping_add(1);\n    }\n};\n\n\
             pub fn join_words(_: &[&str]) -> String {\n    FOREVER.to_string()\n}\n",
        )
        .unwrap();
        let target = repo().join("target/memgrade-interrupt-test");
        let marker = target.to_string_lossy().into_owned();
        let mut child = c
            .memgrade()
            .target(&target)
            .args(["check", "--no-cache"])
            .spawn_quiet();
        let start = Instant::now();
        while !processes_with(&marker).contains("--crate-name join_words") {
            assert!(
                start.elapsed() < Duration::from_secs(180),
                "rustc never started on join_words"
            );
            assert!(
                child.try_wait().unwrap().is_none(),
                "memgrade ended before rustc ran"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        // SAFETY: sending a signal to our own child process.
        unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
        let stopped = Instant::now();
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            assert!(
                stopped.elapsed() < Duration::from_secs(3),
                "memgrade did not stop on SIGTERM during the compile step"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(status.code(), Some(143));
        let gone = Instant::now();
        while !processes_with(&marker).is_empty() {
            assert!(
                gone.elapsed() < Duration::from_secs(5),
                "the compile step outlived memgrade: {}",
                processes_with(&marker)
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    });
}
