//! Ctrl-C stops grading at once: memgrade exits 130 and leaves no test
//! process behind.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{course, processes_with, repo};

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
    let mut child = Command::new(env!("CARGO_BIN_EXE_memgrade"))
        .args(["--root", c.path().to_str().unwrap(), "check", "--no-cache"])
        .env("CARGO_TARGET_DIR", &target)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();

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
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        processes_with(&marker),
        "",
        "test processes outlived memgrade"
    );
}
