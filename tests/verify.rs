//! The whole course proves itself: `memgrade verify` on this repository.

use std::process::Command;

#[test]
fn every_solution_passes_and_every_stub_fails() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Command::new(env!("CARGO_BIN_EXE_memgrade"))
        .args(["verify", "--root", root])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "memgrade verify failed:\n{text}"
    );
    assert!(text.contains("verified:"), "{text}");
}
