//! This copy of the course checks itself: `memgrade verify` proves that the
//! starting code of every exercise (as `memgrade.lock` recorded it) compiles,
//! fails with a teaching message and earns nothing, and that the tests,
//! manifests, memprobe and grader.toml match the lock. Your own edits under
//! `exercises/*/src` do not affect it.

use std::process::Command;

#[test]
fn the_course_is_intact() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Command::new(env!("CARGO_BIN_EXE_memgrade"))
        .args(["--root", root, "verify"])
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .output()
        .expect("the memgrade binary runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(0), "memgrade verify failed:\n{text}");
    assert!(text.contains("verified:"), "{text}");
}
