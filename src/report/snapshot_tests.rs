//! Snapshot tests (insta) of every reporter over the shared fixture
//! ([`super::fixture`]): one hand-built grade with an exercise per outcome
//! and hostile student text, and the grade of record. A change to any
//! report shows here as a snapshot diff (`INSTA_UPDATE=always cargo test`
//! writes the new snapshots to review and commit; without it a changed
//! report fails the test).

use super::fixture;
use super::terminal;

/// The terminal report without color (color codes are tested apart).
fn plain(grade: &crate::pipeline::grade::Grade) -> String {
    colored::control::set_override(false);
    terminal::render(grade)
}

#[test]
fn terminal() {
    insta::assert_snapshot!(plain(&fixture::grade()));
}

#[test]
fn terminal_grade_of_record() {
    insta::assert_snapshot!(plain(&fixture::record_grade()));
}

#[cfg(feature = "instructor")]
mod machine {
    use super::super::machine::{classroom50, github, gradescope, json, junit, prairielearn};
    use super::fixture;

    #[test]
    fn json() {
        insta::assert_snapshot!(json::render(&fixture::grade()));
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
        ]
        .into_iter()
        .collect();
        let ctx = classroom50::Context::from_lookup(
            |k| env.get(k).map(|v| v.to_string()),
            "2026-12-06T12:00:00Z".into(),
        )
        .expect("a complete context");
        insta::assert_snapshot!(classroom50::render(&fixture::grade(), &ctx));
    }
}
