//! Ctrl-C stops grading at once: memgrade exits 130 and leaves no test
//! process behind.

mod common;

use std::time::{Duration, Instant};

use common::{course, is_running, processes_with, repo};

#[test]
fn ctrl_c_kills_every_test_and_exits_130() {
    let c = course();
    let lib = c.path().join("exercises/01_join_words/src/lib.rs");
    std::fs::write(&lib, "pub fn join_words(_: &[&str]) -> String {\n    loop {\n        std::hint::black_box(0);\n    }\n}\n").unwrap();
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

    // Wait until the hanging tests are running.
    let start = Instant::now();
    while !processes_with(&marker).contains("--exact") {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the tests never started"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "memgrade ended before the tests ran"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // The test processes running now, by pid.
    let tests: Vec<u32> = processes_with(&marker)
        .lines()
        .filter(|l| l.contains("--exact"))
        .map(|l| l.split_whitespace().next().unwrap().parse().unwrap())
        .collect();
    assert!(!tests.is_empty());
    assert!(tests.iter().all(|&pid| is_running(pid)));
    // SAFETY: sending a signal to our own child process.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let stopped = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            stopped.elapsed() < Duration::from_secs(10),
            "memgrade did not stop on Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(130));
    assert!(!is_running(child.id()), "memgrade itself is gone");
    // Each test process seen running before Ctrl-C is dead now.
    let stopped = Instant::now();
    while let Some(pid) = tests.iter().find(|&&pid| is_running(pid)) {
        assert!(
            stopped.elapsed() < Duration::from_secs(2),
            "test process {pid} outlived memgrade"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        processes_with(&marker),
        "",
        "test processes outlived memgrade"
    );
}
