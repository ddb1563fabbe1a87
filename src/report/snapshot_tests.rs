//! Snapshot tests (insta) of every reporter over the shared fixture
//! ([`super::fixture`]): one hand-built grade with an exercise per outcome
//! and hostile student text, and the grade of record. A change to any
//! report shows here as a snapshot diff (`INSTA_UPDATE=always cargo test`
//! writes the new snapshots to review and commit; without it a changed
//! report fails the test).

use super::terminal;
use crate::pipeline::fixture;

/// The terminal report without color (color codes are tested apart).
fn plain(grade: &crate::pipeline::grade::Grade) -> String {
    colored::control::set_override(false);
    terminal::render(grade)
}

#[test]
fn terminal() {
    insta::assert_snapshot!(plain(&fixture::grade()));
}

/// The fixture with allocation sites recorded for its memory failure.
pub(super) fn with_sites() -> crate::pipeline::grade::Grade {
    use crate::pipeline::grade::{Site, SiteKind, Sites};
    let mut g = fixture::grade();
    let t = g.exercises[0]
        .tests
        .iter_mut()
        .find(|t| t.name == "allocates_once")
        .expect("the fixture's memory failure");
    t.message = "`join_words(&w)`: expected at most 16 bytes of peak live heap, measured 56 bytes\n  window:   4 allocs, 2 reallocs, 1 deallocs, 59 bytes allocated, peak 56 bytes, live 48 bytes".into();
    t.comparison = None;
    let site = |line, kind, count, bytes, code: &str| Site {
        file: "exercises/01_join_words/src/lib.rs".into(),
        line,
        kind,
        count,
        bytes,
        code: code.into(),
    };
    t.sites = Some(Sites {
        lines: vec![
            site(7, SiteKind::Realloc, 2, 48, "result.push_str(&owned);"),
            site(7, SiteKind::Alloc, 1, 8, "result.push_str(&owned);"),
            site(6, SiteKind::Alloc, 3, 3, "let owned = word.to_string();"),
        ],
        outside: Default::default(),
        allocs: 4,
        reallocs: 2,
        deallocs: 1,
        attributed: 6,
        series: vec![0, 1, 9, 8, 24, 40, 56, 48],
    });
    g
}

#[test]
fn terminal_with_allocation_sites() {
    insta::assert_snapshot!(plain(&with_sites()));
}

#[test]
fn terminal_grade_of_record() {
    insta::assert_snapshot!(plain(&fixture::record_grade()));
}

#[cfg(feature = "instructor")]
mod machine {
    use super::super::machine::{classroom50, github, gradescope, json, junit, prairielearn};
    use crate::pipeline::fixture;

    #[test]
    fn json() {
        insta::assert_snapshot!(json::render(&fixture::grade()));
    }

    #[test]
    fn json_carries_the_sites_and_the_series() {
        insta::assert_snapshot!(json::render(&super::with_sites()));
    }

    #[test]
    fn junit() {
        insta::assert_snapshot!(junit::render(&fixture::grade()));
    }

    #[test]
    fn github_annotations() {
        insta::assert_snapshot!(github::annotations(&fixture::grade()));
    }

    #[test]
    fn github_step_summary() {
        insta::assert_snapshot!(github::step_summary(&fixture::grade()));
    }

    #[test]
    fn gradescope() {
        insta::assert_snapshot!(gradescope::render(&fixture::grade()));
    }

    #[test]
    fn gradescope_grade_of_record() {
        insta::assert_snapshot!(gradescope::render(&fixture::record_grade()));
    }

    #[test]
    fn prairielearn() {
        insta::assert_snapshot!(prairielearn::render(&fixture::grade()));
    }

    #[test]
    fn classroom50() {
        let env: std::collections::BTreeMap<&str, &str> = [
            ("CLASSROOM", "cs-mem"),
            ("ASSIGNMENT", "memgrade"),
            ("SUBMISSION_TAG", "submit/1"),
            ("COMMIT_URL", "https://example.org/c/1"),
            ("RELEASE_URL", "https://example.org/r/1"),
            ("OWNER", "student-1"),
            ("ASSIGNMENT_TYPE", "individual"),
        ]
        .into_iter()
        .collect();
        let ctx = classroom50::Context::from_lookup(
            |k| env.get(k).map(|v| v.to_string()),
            "2026-12-06T11:00:00Z".into(),
            "2026-12-06T12:00:00Z".into(),
        )
        .expect("a complete context");
        insta::assert_snapshot!(classroom50::render(&fixture::grade(), &ctx));
    }
}
