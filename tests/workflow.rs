//! End-to-end tests of the student workflow: reset, diff, solution, list and
//! watch, run as the `memgrade` binary against small temporary courses.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;

use common::{Course, Tmux, course_builder, require_tool, text};

/// A temporary course holding the named exercises of this repository (in
/// grader.toml order), sealed so that `memgrade.lock` has their stubs.
fn sealed_course(names: &[&str]) -> Course {
    course_builder().exercises(names).sealed().build()
}

/// What these tests do with a course beyond the harness.
trait Workflow {
    /// `memgrade --color never <args>` on the course, with empty stdin.
    fn command(&self, args: &[&str]) -> Command;
    /// join_words's `src/lib.rs`.
    fn lib_rs(&self) -> PathBuf;
    /// Puts the reference solution of join_words in place.
    fn solve_join_words(&self);
}

impl Workflow for Course {
    fn command(&self, args: &[&str]) -> Command {
        self.memgrade()
            .args(["--color", "never"])
            .args(args)
            .into_command()
    }

    fn lib_rs(&self) -> PathBuf {
        self.root().join("exercises/01_join_words/src/lib.rs")
    }

    fn solve_join_words(&self) {
        std::fs::copy(
            self.root().join("solutions/01_join_words/src/lib.rs"),
            self.lib_rs(),
        )
        .unwrap();
    }
}

#[test]
fn reset_and_diff_round_trip() {
    let course = sealed_course(&["join_words"]);
    let out = course.run(&["diff", "join_words"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("no changes"), "{}", text(&out));

    let stub = std::fs::read_to_string(course.lib_rs()).unwrap();
    let edited = format!("{stub}\n// my attempt at fewer allocations\n");
    std::fs::write(course.lib_rs(), &edited).unwrap();

    let out = course.run(&["diff", "01"]);
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert!(
        t.contains("--- stub/exercises/01_join_words/src/lib.rs"),
        "{t}"
    );
    assert!(
        t.contains("+++ yours/exercises/01_join_words/src/lib.rs"),
        "{t}"
    );
    assert!(t.contains("+// my attempt at fewer allocations"), "{t}");
    assert!(!t.contains("no changes"), "{t}");

    // Without a terminal and without --yes, reset refuses and keeps the edit.
    let out = course.run(&["reset", "join_words"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("--yes"), "{}", text(&out));
    assert_eq!(std::fs::read_to_string(course.lib_rs()).unwrap(), edited);

    let out = course.run(&["reset", "join_words", "--yes"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(std::fs::read_to_string(course.lib_rs()).unwrap(), stub);
    let out = course.run(&["diff", "join_words"]);
    assert!(text(&out).contains("no changes"), "{}", text(&out));
}

#[test]
fn reset_removes_added_files_and_restores_deleted_ones() {
    let course = sealed_course(&["join_words"]);
    let stub = std::fs::read_to_string(course.lib_rs()).unwrap();
    let extra = course.root().join("exercises/01_join_words/src/helper.rs");
    std::fs::write(&extra, "pub fn helper() {}\n").unwrap();
    std::fs::remove_file(course.lib_rs()).unwrap();
    let t = text(&course.run(&["diff", "join_words"]));
    assert!(t.contains("+pub fn helper() {}"), "{t}");
    assert!(t.contains("+++ /dev/null"), "{t}");
    let out = course.run(&["reset", "join_words", "--yes"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(!extra.exists());
    assert_eq!(std::fs::read_to_string(course.lib_rs()).unwrap(), stub);
}

#[test]
fn reset_and_diff_need_the_lock_file() {
    let course = sealed_course(&["join_words"]);
    std::fs::remove_file(course.root().join("memgrade.lock")).unwrap();
    for args in [
        &["diff", "join_words"][..],
        &["reset", "join_words", "--yes"][..],
    ] {
        let out = course.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
        assert!(
            text(&out).contains("memgrade.lock"),
            "{args:?}: {}",
            text(&out)
        );
    }
}

#[test]
fn solution_opens_only_after_passing() {
    let course = sealed_course(&["join_words"]);
    let out = course.run(&["solution", "join_words"]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(t.contains("not passed yet"), "{t}");
    assert!(t.contains("memgrade hint join_words"), "{t}");
    assert!(t.contains("3 more hint levels"), "{t}");
    assert!(!t.contains("with_capacity"), "the solution leaked: {t}");

    let out = course.run(&["hint", "join_words"]);
    assert!(out.status.success(), "{}", text(&out));
    let t = text(&course.run(&["solution", "join_words"]));
    assert!(t.contains("2 more hint levels"), "{t}");

    // A failing check keeps it closed.
    let out = course.run(&["check", "join_words"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let out = course.run(&["solution", "join_words"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("failed"), "{}", text(&out));

    // Pass with the reference plus a note of our own, then compare.
    let reference =
        std::fs::read_to_string(course.root().join("solutions/01_join_words/src/lib.rs")).unwrap();
    std::fs::write(
        course.lib_rs(),
        format!("{reference}// solved after two hints\n"),
    )
    .unwrap();
    let out = course.run(&["check", "join_words"]);
    assert!(out.status.success(), "{}", text(&out));
    let out = course.run(&["solution", "join_words"]);
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert!(
        t.contains("--- yours/exercises/01_join_words/src/lib.rs"),
        "{t}"
    );
    assert!(
        t.contains("+++ solution/solutions/01_join_words/src/lib.rs"),
        "{t}"
    );
    assert!(t.contains("-// solved after two hints"), "{t}");

    let out = course.run(&["solution", "join_words", "--full"]);
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert!(
        t.contains("==> solution/solutions/01_join_words/src/lib.rs <=="),
        "{t}"
    );
    assert!(t.contains(&reference), "{t}");
    assert!(!t.contains("solved after two hints"), "{t}");
}

#[test]
fn list_shows_check_results_and_recovers_a_corrupt_state() {
    let course = sealed_course(&["join_words", "borrow_not_clone"]);
    let t = text(&course.run(&["list"]));
    assert!(t.contains("0/2 exercises passed"), "{t}");

    course.solve_join_words();
    let out = course.run(&["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let out = course.run(&["list"]);
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    let row = |name: &str| {
        t.lines()
            .find(|l| l.contains(name))
            .unwrap_or_default()
            .to_string()
    };
    assert!(row("join_words").contains("passed"), "{t}");
    assert!(row("join_words").contains("10/10"), "{t}");
    assert!(row("borrow_not_clone").contains("failed"), "{t}");
    assert!(t.contains("1/2 exercises passed"), "{t}");
    assert!(t.contains("Next: borrow_not_clone"), "{t}");

    let state = course.root().join(".memgrade/state.json");
    std::fs::write(&state, "{ this is not json").unwrap();
    let out = course.run(&["list"]);
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("unreadable"), "{t}");
    assert!(t.contains("0/2 exercises passed"), "{t}");
    assert_eq!(
        std::fs::read_to_string(course.root().join(".memgrade/state.json.corrupt")).unwrap(),
        "{ this is not json"
    );
}

#[test]
fn watch_in_line_mode_recovers_a_corrupt_state_and_records_results() {
    let course = sealed_course(&["join_words", "borrow_not_clone"]);
    std::fs::create_dir_all(course.root().join(".memgrade")).unwrap();
    std::fs::write(course.root().join(".memgrade/state.json"), "garbage").unwrap();
    course.solve_join_words();
    let mut child = course
        .command(&["watch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        // Keys queue up while the first grade runs; `h` reveals a hint
        // of the next exercise only after `n` moved there.
        stdin.write_all(b"n\nh\nq\n").unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("unreadable"), "{t}");
    assert!(t.contains("memgrade watch: join_words"), "{t}");
    assert!(
        t.contains("Task: make `join_words` build its result with exactly one heap allocation."),
        "{t}"
    );
    assert!(t.contains("join_words passes! Press n"), "{t}");
    assert!(t.contains("memgrade watch: borrow_not_clone"), "{t}");
    assert!(t.contains("Hint 1 of 3:"), "{t}");
    assert!(
        t.contains("2 of 3 hint levels left for borrow_not_clone"),
        "{t}"
    );
    assert!(t.contains("1/2 exercises passed"), "{t}");
    assert!(
        !t.contains('\u{1b}'),
        "escape sequences in line mode: {t:?}"
    );

    let list = text(&course.run(&["list"]));
    assert!(
        list.lines()
            .any(|l| l.contains("join_words") && l.contains("passed")),
        "{list}"
    );
    assert!(
        list.lines()
            .any(|l| l.contains("borrow_not_clone") && l.contains("failed")),
        "{list}"
    );
    let hint = text(&course.run(&["hint", "borrow_not_clone"]));
    assert!(
        hint.contains("Hint 2 of 3"),
        "watch did not record the hint: {hint}"
    );
}

#[test]
fn typo_gets_a_did_you_mean() {
    let course = sealed_course(&["join_words"]);
    for cmd in ["diff", "reset", "solution", "hint"] {
        let out = course.run(&[cmd, "join_wrods"]);
        let t = text(&out);
        assert_eq!(out.status.code(), Some(2), "{cmd}: {t}");
        assert!(t.contains("did you mean `join_words`"), "{cmd}: {t}");
    }
}

/// Drives `memgrade watch` in a terminal the way a student would: it shows
/// the failing exercise, picks up a save of the solution, passes, moves on
/// with `n`, reveals a hint with `h` and quits with `q`.
fn watch_in_tmux(poll: bool) {
    if !require_tool("tmux") {
        return;
    }
    let course = sealed_course(&["join_words", "borrow_not_clone"]);
    let command = course
        .memgrade()
        .env_remove("NO_COLOR")
        .env("MEMGRADE_WATCH_POLL", if poll { "1" } else { "0" })
        .args(["watch"])
        .shell_line();
    let tmux = Tmux::start(&command);
    let long = Duration::from_secs(120);

    let screen = tmux.wait_for("the failing exercise", long, |s| {
        s.contains("memgrade watch: join_words")
            && s.contains("allocates_once_for_many_words")
            && s.contains("0/2 exercises passed")
    });
    assert!(
        screen
            .contains("Task: make `join_words` build its result with exactly one heap allocation."),
        "{screen}"
    );
    assert!(
        screen.contains("3 of 3 hint levels left for join_words"),
        "{screen}"
    );
    assert!(screen.contains("q quit"), "{screen}");
    if poll {
        assert!(screen.contains("polling"), "{screen}");
    }

    course.solve_join_words();
    let screen = tmux.wait_for("the exercise to pass after the save", long, |s| {
        s.contains("join_words passes! Press n") && s.contains("1/2 exercises passed")
    });
    assert!(
        !screen.contains("allocates_once_for_many_words"),
        "{screen}"
    );

    tmux.press("n");
    tmux.wait_for("the next exercise", long, |s| {
        s.contains("memgrade watch: borrow_not_clone") && s.contains("1/2 exercises passed")
    });
    tmux.press("h");
    tmux.wait_for("the first hint", Duration::from_secs(30), |s| {
        s.contains("Hint 1 of 3:") && s.contains("2 of 3 hint levels left for borrow_not_clone")
    });
    tmux.press("l");
    tmux.wait_for("the list", Duration::from_secs(30), |s| {
        s.contains("directory") && s.contains("exercises/08_borrow_not_clone")
    });
    tmux.press("c");
    tmux.wait_for("every exercise graded", long, |s| {
        s.contains("passed join_words") && s.contains("failed borrow_not_clone")
    });
    tmux.press("r");
    tmux.wait_for("a fresh grade", long, |s| {
        s.contains("graded again without the cache")
            && s.contains("memgrade watch: borrow_not_clone")
    });

    tmux.press("q");
    let start = Instant::now();
    while tmux.alive() {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "watch did not quit on q; screen:\n{}",
            tmux.screen()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let list = text(&course.run(&["list"]));
    assert!(
        list.lines()
            .any(|l| l.contains("join_words") && l.contains("passed")),
        "{list}"
    );
}

#[test]
fn watch_in_a_terminal_regrades_on_save() {
    watch_in_tmux(false);
}

#[test]
fn watch_in_a_terminal_regrades_on_save_when_polling() {
    watch_in_tmux(true);
}

/// `reset` in a terminal asks first: `n` keeps the student's code, `y`
/// restores the stub.
#[test]
fn reset_asks_in_a_terminal() {
    if !require_tool("tmux") {
        return;
    }
    let course = sealed_course(&["join_words"]);
    let stub = std::fs::read_to_string(course.lib_rs()).unwrap();
    let edited = format!("{stub}\n// my work in progress\n");
    std::fs::write(course.lib_rs(), &edited).unwrap();
    let reset = course.memgrade().args(["reset", "join_words"]).shell_line();
    let command = |marker: &str| format!("{reset}; echo {marker}; sleep 60");
    let wait = Duration::from_secs(30);

    let tmux = Tmux::start(&command("first-answer-done"));
    tmux.wait_for("the question", wait, |s| {
        s.contains("Reset join_words and lose your changes? [y/N]")
    });
    tmux.press("n");
    tmux.press("Enter");
    let screen = tmux.wait_for("the refusal", wait, |s| s.contains("first-answer-done"));
    assert!(screen.contains("Nothing changed."), "{screen}");
    assert_eq!(std::fs::read_to_string(course.lib_rs()).unwrap(), edited);
    drop(tmux);

    let tmux = Tmux::start(&command("second-answer-done"));
    tmux.wait_for("the question", wait, |s| s.contains("[y/N]"));
    tmux.press("y");
    tmux.press("Enter");
    let screen = tmux.wait_for("the reset", wait, |s| s.contains("second-answer-done"));
    assert!(screen.contains("join_words reset to the stub"), "{screen}");
    assert_eq!(std::fs::read_to_string(course.lib_rs()).unwrap(), stub);
}
