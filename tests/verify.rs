//! The whole course proves itself: `memgrade verify` on this repository.

mod common;

use common::{Memgrade, repo, text};

#[test]
fn every_solution_passes_and_every_stub_fails() {
    let out = Memgrade::new().root(&repo()).args(["verify"]).output();
    let text = text(&out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "memgrade verify failed:\n{text}"
    );
    assert!(text.contains("verified:"), "{text}");
}
