//! A student's first hour: memgrade without a command, `watch <name>`, the
//! exercise inferred from the current directory, the interactive list, `q`
//! during a hanging test, what cargo would have shown (warnings, printed
//! output, compile errors once with their explain line), the clone hint, a
//! 60-column terminal and a closed pipe.

mod common;

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{Course, Memgrade, Tmux, course_builder, processes_with, repo, stub_source, text};

const LIB: &str = "exercises/01_join_words/src/lib.rs";

fn two_exercises() -> Course {
    course_builder()
        .exercises(&["join_words", "borrow_not_clone"])
        .sealed()
        .build()
}

/// `check join_words` (which must fail): the whole text, and the part from
/// the failure of `allocates_once_for_many_words` on.
fn failing_once_for_many_words(c: &Course) -> (String, String) {
    let out = c.run(&["check", "join_words"]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    let at = t
        .find("✗ allocates_once_for_many_words")
        .unwrap_or_else(|| panic!("{t}"));
    let section = t[at..].to_string();
    (t, section)
}

/// join_words's src/lib.rs replaced by `code`.
fn join_words_with(code: &str) -> Course {
    let c = course_builder().exercises(&["join_words"]).build();
    std::fs::write(c.root().join(LIB), code).unwrap();
    c
}

fn long() -> Duration {
    Duration::from_secs(240)
}

#[test]
fn no_command_without_a_terminal_names_the_exercise_and_what_to_run() {
    let c = two_exercises();
    let out = c.run(&[]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    assert!(
        t.contains("Current exercise: join_words (exercise 1 of 2, exercises/01_join_words)"),
        "{t}"
    );
    // Commands as they run from here: `memgrade` once it is on PATH (the
    // Quick start installs it), else the checkout's `cargo memgrade` alias.
    let installed = std::path::Path::new(env!("CARGO_BIN_EXE_memgrade"))
        .parent()
        .unwrap()
        .to_path_buf();
    let on_path = c
        .memgrade()
        .env(
            "PATH",
            std::env::join_paths([installed, "/usr/bin".into(), "/bin".into()]).unwrap(),
        )
        .output();
    let t = text(&on_path);
    assert!(
        t.contains("edit exercises/01_join_words/src/lib.rs, then `memgrade check join_words`"),
        "{t}"
    );
    assert!(t.contains("`memgrade watch join_words`"), "{t}");
    let without = c.memgrade().env("PATH", "/usr/bin:/bin").output();
    let t = text(&without);
    assert!(t.contains("`cargo memgrade check join_words`"), "{t}");
    assert!(t.contains("`cargo memgrade hint join_words`"), "{t}");
}

#[test]
fn no_command_on_a_terminal_watches_the_current_exercise_with_a_welcome() {
    if !common::require_tool("tmux") {
        return;
    }
    let c = two_exercises();
    let tmux = Tmux::start(&c.memgrade().shell_line());
    let screen = tmux.wait_for("the welcome and the exercise", long(), |s| {
        s.contains("memgrade watch: join_words") && s.contains("allocates_once_for_many_words")
    });
    assert!(screen.contains("Welcome to"), "{screen}");
    assert!(
        screen.contains("edit exercises/01_join_words/src/lib.rs and save"),
        "{screen}"
    );
    tmux.press("q");
    let start = Instant::now();
    while tmux.alive() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "q did not end watch"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn watch_starts_on_the_named_exercise() {
    let c = two_exercises();
    // stdin is empty: watch grades, draws and stops at the end of input.
    let out = c.run(&["watch", "borrow_not"]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    assert!(t.contains("memgrade watch: borrow_not_clone"), "{t}");
    assert!(!t.contains("memgrade watch: join_words"), "{t}");
}

#[test]
fn commands_default_to_the_exercise_of_the_current_directory() {
    let c = two_exercises();
    let here = c.root().join("exercises/01_join_words/src");
    let run = |args: &[&str]| {
        Memgrade::new()
            .args(args)
            .into_command()
            .current_dir(&here)
            .output()
            .unwrap()
    };
    let hint = run(&["hint"]);
    assert_eq!(hint.status.code(), Some(0), "{}", text(&hint));
    assert!(
        text(&hint).contains("Hint 1 of 3 for join_words"),
        "{}",
        text(&hint)
    );
    let diff = run(&["diff"]);
    assert!(text(&diff).contains("no changes"), "{}", text(&diff));
    let check = run(&["check"]);
    let t = text(&check);
    assert!(t.contains("failed join_words"), "{t}");
    assert!(
        !t.contains("borrow_not_clone "),
        "only the exercise here is graded: {t}"
    );
    // Outside any exercise, hint needs a name.
    let out = Memgrade::new()
        .args(["hint"])
        .into_command()
        .current_dir(c.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("name an exercise"), "{}", text(&out));
}

#[test]
fn the_list_in_watch_moves_picks_and_resets() {
    if !common::require_tool("tmux") {
        return;
    }
    let c = two_exercises();
    let tmux = Tmux::start(&c.memgrade().args(["watch", "join_words"]).shell_line());
    tmux.wait_for("join_words", long(), |s| {
        s.contains("memgrade watch: join_words") && s.contains("keys:")
    });
    tmux.press("l");
    tmux.wait_for("the list", long(), |s| s.contains("> 01  join_words"));
    tmux.press("Down");
    tmux.wait_for("the cursor on row 2", long(), |s| {
        s.contains("> 08  borrow_not_clone")
    });
    tmux.press("Enter");
    tmux.wait_for("borrow_not_clone watched", long(), |s| {
        s.contains("memgrade watch: borrow_not_clone") && s.contains("keys:")
    });

    let lib = "exercises/08_borrow_not_clone/src/lib.rs";
    std::fs::write(c.root().join(lib), "// my attempt\n").unwrap();
    tmux.press("l");
    tmux.wait_for("the list at row 2", long(), |s| {
        s.contains("> 08  borrow_not_clone")
    });
    tmux.press("r");
    tmux.wait_for("the question", long(), |s| {
        s.contains("Reset borrow_not_clone")
    });
    assert_eq!(
        std::fs::read_to_string(c.root().join(lib)).unwrap(),
        "// my attempt\n",
        "nothing is reset before the answer"
    );
    tmux.press("y");
    tmux.wait_for("the reset", long(), |s| {
        s.contains("borrow_not_clone reset to the stub")
    });
    assert_eq!(
        std::fs::read_to_string(c.root().join(lib)).unwrap(),
        stub_source(lib)
    );
    tmux.press("q");
}

#[test]
fn esc_in_the_list_goes_back_and_the_next_keys_count() {
    if !common::require_tool("tmux") {
        return;
    }
    let c = two_exercises();
    let tmux = Tmux::start(&c.memgrade().args(["watch", "join_words"]).shell_line());
    let watching = |s: &str| s.contains("memgrade watch: join_words") && s.contains("keys:");
    tmux.wait_for("join_words", long(), watching);
    tmux.press("l");
    tmux.wait_for("the list", long(), |s| s.contains("> 01  join_words"));
    // A lone Esc is a key of its own: it goes back at once, and the keys
    // after it are not taken for the rest of an escape sequence.
    tmux.press("Escape");
    tmux.wait_for("the exercise again", long(), |s| {
        watching(s) && !s.contains("> 01  join_words")
    });
    tmux.press("h");
    tmux.wait_for("the first hint", long(), |s| s.contains("Hint 1 of"));
    tmux.press("l");
    tmux.wait_for("the list again", long(), |s| s.contains("> 01  join_words"));
    tmux.press("Escape");
    tmux.press("Down");
    tmux.press("h");
    tmux.wait_for("the second hint", long(), |s| s.contains("Hint 2 of"));
    tmux.press("q");
}

#[test]
fn q_stops_a_hanging_test_at_once() {
    if !common::require_tool("tmux") {
        return;
    }
    let c = join_words_with(
        "pub fn join_words(_: &[&str]) -> String {\n    loop {\n        std::hint::black_box(0);\n    }\n}\n",
    );
    let toml = c.root().join("grader.toml");
    let t = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, t.replace("time_secs = 10.0", "time_secs = 120.0")).unwrap();
    let target = repo().join(format!("target/memgrade-q-test-{}", std::process::id()));
    let marker = target.to_string_lossy().into_owned();
    let tmux = Tmux::start(
        &c.memgrade()
            .target(&target)
            .args(["watch", "join_words"])
            .shell_line(),
    );
    let start = Instant::now();
    while !processes_with(&marker).contains("--exact") {
        assert!(start.elapsed() < long(), "the tests never started");
        assert!(tmux.alive(), "watch ended early: {}", tmux.screen());
        std::thread::sleep(Duration::from_millis(100));
    }
    let tests: Vec<u32> = processes_with(&marker)
        .lines()
        .filter(|l| l.contains("--exact"))
        .map(|l| l.split_whitespace().next().unwrap().parse().unwrap())
        .collect();
    tmux.press("q");
    let pressed = Instant::now();
    while tmux.alive() {
        assert!(
            pressed.elapsed() < Duration::from_secs(3),
            "watch still grading 3 s after q: {}",
            tmux.screen()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    while let Some(pid) = tests.iter().find(|&&p| common::is_running(p)) {
        assert!(
            pressed.elapsed() < Duration::from_secs(4),
            "test process {pid} outlived q"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = std::fs::remove_dir_all(&target);
}

#[test]
fn warnings_are_shown_when_a_test_overflows_the_stack() {
    let c = join_words_with(
        "pub fn join_words(words: &[&str]) -> String {\n    join_words(words)\n}\n",
    );
    let out = c.run(&["check", "join_words"]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(t.contains("(crashed)"), "{t}");
    assert!(t.contains("the compiler warned about your code"), "{t}");
    assert!(
        t.contains("function cannot return without recursing"),
        "{t}"
    );
    assert!(t.contains("exercises/01_join_words/src/lib.rs:1"), "{t}");
}

#[test]
fn what_a_failing_test_printed_is_shown() {
    let c = join_words_with(
        "pub fn join_words(words: &[&str]) -> String {\n    println!(\"DEBUG-MARKER {}\", words.len());\n    words.join(\" \")\n}\n",
    );
    let (t, section) = failing_once_for_many_words(&c);
    let section = section.as_str();
    assert!(section.contains("the test printed:"), "{t}");
    // The test's first case (which fails) decides the count printed.
    assert!(section.contains("DEBUG-MARKER "), "{t}");
    assert!(section.contains("counted by memprobe"), "{t}");
}

#[test]
fn a_compile_error_is_shown_once_with_its_explain_line() {
    let c = join_words_with("pub fn join_words(words: &[&str]) -> String {\n    words.len()\n}\n");
    let out = c.run(&["check", "join_words"]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert_eq!(t.matches("error[E0308]").count(), 1, "{t}");
    assert_eq!(t.matches("rustc --explain E0308").count(), 1, "{t}");
    assert!(!t.contains("aborting due to"), "{t}");
}

#[test]
fn copies_in_the_code_are_named_when_a_test_counts_allocations() {
    let c = join_words_with(
        "pub fn join_words(words: &[&str]) -> String {\n    let owned: Vec<String> = words.iter().map(|w| w.to_string()).collect();\n    owned.join(\" \")\n}\n",
    );
    let out = c.run(&["check", "join_words"]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(
        t.contains("note: your code copies here (each copy is a heap allocation, and this test counts them): exercises/01_join_words/src/lib.rs:2 .to_string(), exercises/01_join_words/src/lib.rs:2 .collect()"),
        "{t}"
    );
}

#[test]
fn a_trailing_space_in_a_wrong_result_is_marked_with_and_without_color() {
    let c = join_words_with(
        "pub fn join_words(words: &[&str]) -> String {\n    words.iter().map(|w| format!(\"{w} \")).collect()\n}\n",
    );
    let plain = text(&c.run(&["check", "join_words", "--color", "never"]));
    assert!(
        plain.contains("- memory is finite\n") && plain.contains("+ memory is finite·\n"),
        "{plain}"
    );
    assert!(plain.contains("· = a trailing space"), "{plain}");
    let colored = text(&c.run(&["check", "join_words", "--color", "always"]));
    assert!(
        !colored.contains("\\u{1b}"),
        "literal escape text in a colored diff: {colored}"
    );
    assert!(
        colored.contains("\x1b[31m- memory is finite"),
        "{colored:?}"
    );
    assert!(colored.contains("+ memory is finite"), "{colored:?}");
    assert!(colored.contains("·"), "{colored:?}");
}

/// A wasteful join_words: a `.to_string()` per word (line 6) and
/// `push_str` into a String that was never reserved (line 7).
const WASTEFUL_JOIN: &str = "pub fn join_words(words: &[&str]) -> String {\n    let mut result = String::new();\n    for (i, word) in words.iter().enumerate() {\n        if i > 0 { result.push(' '); }\n        // a copy of every word:\n        let owned = word.to_string();\n        result.push_str(&owned);\n    }\n    result\n}\n";

#[test]
fn a_memory_failure_names_the_lines_that_allocated_with_their_counts() {
    let c = join_words_with(WASTEFUL_JOIN);
    let (t, section) = failing_once_for_many_words(&c);
    let section = section.as_str();
    assert!(section.contains("where the memory went"), "{t}");
    let row = |line: &str| {
        section
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{LIB}:{line} ")))
            .unwrap_or_else(|| panic!("no row for line {line}: {t}"))
            .to_string()
    };
    // The first case joins one 1-byte word: one copy, one buffer.
    assert!(
        row("6").contains("1 alloc") && row("6").contains("1 byte"),
        "{t}"
    );
    assert!(row("6").contains("let owned = word.to_string();"), "{t}");
    assert!(
        row("7").contains("1 alloc") && row("7").contains("8 bytes"),
        "{t}"
    );
    // Largest first.
    assert!(section.find(&row("7")) < section.find(&row("6")), "{t}");
    assert!(section.contains("live heap bytes over the call"), "{t}");
    assert!(section.contains("^ peak"), "{t}");
}

#[test]
fn profile_shows_the_sites_of_any_test_passing_or_not() {
    let c = join_words_with(WASTEFUL_JOIN);
    let out = c.run(&["profile", "join_words", "allocates_nothing"]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    assert!(
        t.contains("join_words::allocates_nothing_for_no_words"),
        "{t}"
    );
    // Its last call joins one empty word: no copy, no buffer.
    assert!(t.contains("the call allocated nothing"), "{t}");
    // A test that passes with the reference code: its lines are shown too.
    let solved = course_builder()
        .exercises(&["join_words"])
        .solutions(true)
        .build();
    std::fs::copy(
        repo().join("solutions/01_join_words/src/lib.rs"),
        solved.root().join(LIB),
    )
    .unwrap();
    let out = solved.run(&["profile", "join_words", "allocates_once_for_many_words"]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    assert!(
        t.lines()
            .any(|l| l.trim_start().starts_with(&format!("{LIB}:")) && l.contains("1 alloc")),
        "{t}"
    );
    let out = solved.run(&["profile", "join_words", "no_such_test"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("names no test"), "{}", text(&out));
}

#[test]
fn a_60_column_terminal_never_wraps_a_line() {
    if !common::require_tool("tmux") {
        return;
    }
    let c = course_builder().exercises(&["join_words"]).build();
    let plain = text(&c.run(&["check", "join_words"]));
    assert!(
        plain.lines().any(|l| l.chars().count() > 60),
        "the report has long lines to fit: {plain}"
    );
    let command = format!(
        "{}; echo CHECK-DONE; sleep 60",
        c.memgrade().args(["check", "join_words"]).shell_line()
    );
    let tmux = Tmux::start_sized(&command, 60, 200);
    tmux.wait_for("the report", long(), |s| s.contains("CHECK-DONE"));
    let capture = |joined: bool| {
        let mut args = vec!["capture-pane", "-p", "-t", "watch", "-S", "-"];
        if joined {
            args.push("-J");
        }
        String::from_utf8_lossy(&tmux.cmd(&args).stdout)
            .lines()
            .map(|l| l.trim_end().to_string())
            .collect::<Vec<_>>()
    };
    let (screen, joined) = (capture(false), capture(true));
    assert_eq!(
        screen, joined,
        "the terminal wrapped a line (a number could break there)"
    );
    let all = screen.join("\n");
    assert!(all.contains("0/10"), "{all}");
    // memgrade's own wrapping keeps a number with its unit.
    assert!(all.contains("2 (1 alloc + 1 realloc)"), "{all}");
}

#[test]
fn list_into_a_closed_pipe_exits_0_every_time() {
    let c = course_builder().build();
    for run in 0..50 {
        let mut child = c
            .memgrade()
            .args(["list"])
            .into_command()
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        // The reader is dropped here, as `head -1` exits.
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "run {run}: {err}");
        assert!(!err.contains("panicked"), "run {run}: {err}");
        assert!(!first.is_empty());
    }
    // A pipe closed before memgrade writes a byte.
    let mut child = c
        .memgrade()
        .args(["list"])
        .into_command()
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn check_on_a_terminal_details_the_next_failing_exercise_only() {
    if !common::require_tool("tmux") {
        return;
    }
    let c = two_exercises();
    let piped = text(&c.run(&["check"]));
    assert!(piped.contains("✗ failed join_words"), "{piped}");
    assert!(
        piped.contains("✗ failed borrow_not_clone"),
        "output to a pipe stays complete: {piped}"
    );
    let command = format!(
        "{}; echo CHECK-DONE; sleep 60",
        c.memgrade().args(["check"]).shell_line()
    );
    let tmux = Tmux::start_sized(&command, 200, 100);
    let screen = tmux.wait_for("the report", long(), |s| s.contains("CHECK-DONE"));
    assert!(screen.contains("✗ failed join_words"), "{screen}");
    assert!(screen.contains("allocates_once_for_many_words"), "{screen}");
    assert!(!screen.contains("✗ failed borrow_not_clone"), "{screen}");
    assert!(
        screen.contains(
            "1 other exercise: 0 passed, 1 not passed (borrow_not_clone); memgrade check --all shows every failure"
        ),
        "{screen}"
    );
}
