//! The whole course proves itself: `memgrade verify` on a copy of this
//! repository's course (its committed `memgrade.lock`, the stubs that lock
//! records), so it passes on a student's tree as on a fresh clone.

mod common;

use common::{Memgrade, course_builder, repo, text};

#[test]
fn every_solution_passes_and_every_stub_fails() {
    // A fixed place under target/, so the overlays' builds stay warm.
    let root = repo().join("target/memgrade-verify-course");
    course_builder().with_lock().build_at(&root);
    let out = Memgrade::new().root(&root).args(["verify"]).output();
    let text = text(&out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "memgrade verify failed:\n{text}"
    );
    assert!(text.contains("verified:"), "{text}");
}
