//! Every way a course author can break grader.toml gets a message naming the
//! file, line, column and field.

use std::path::Path;

use super::{Course, CourseError};

const GOOD: &str = r#"format = 1
title = "T"

[limits]
time_secs = 5.0
memory_mb = 256

[[objectives]]
id = "footprint"
title = "Footprint"
section = "S"

[[exercises]]
name = "join_words"
dir = "exercises/01_join_words"
objective = "footprint"
points = 10
hints = ["one", "two"]
weights = { a = 0, b = 2 }
limits = { time_secs = 2.5 }
"#;

fn course_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let ex = dir.path().join("exercises/01_join_words");
    std::fs::create_dir_all(&ex).unwrap();
    std::fs::write(ex.join("Cargo.toml"), "[package]\nname = \"join_words\"\n").unwrap();
    std::fs::create_dir_all(dir.path().join("exercises/02_not_a_crate")).unwrap();
    dir
}

fn parse(root: &Path, text: &str) -> Result<Course, CourseError> {
    Course::parse(root, &root.join("grader.toml"), text)
}

fn error(text: &str) -> CourseError {
    let dir = course_dir();
    parse(dir.path(), text).expect_err("the course should be rejected")
}

#[test]
fn a_valid_course_loads_with_limits_and_weights() {
    let dir = course_dir();
    let c = parse(dir.path(), GOOD).unwrap();
    assert_eq!(c.exercises.len(), 1);
    let e = &c.exercises[0];
    assert_eq!(e.limits.time.as_secs_f64(), 2.5);
    assert_eq!(e.limits.memory_mb, 256, "course-wide default applies");
    assert_eq!(e.weight("b"), 2.0);
    assert_eq!(e.weight("unlisted"), 1.0);
    assert_eq!(e.solution_dir, Path::new("solutions/01_join_words/src"));
}

#[test]
fn unknown_key_is_named_with_its_line() {
    let e = error(&GOOD.replace("points = 10", "points = 10\npoints_extra = 3"));
    assert_eq!(e.line, Some(18));
    assert!(e.message.contains("unknown field `points_extra`"), "{e}");
    assert!(e.to_string().contains("grader.toml:18:"), "{e}");
}

#[test]
fn duplicate_exercise_name() {
    let second = "\n[[exercises]]\nname = \"join_words\"\ndir = \"exercises/01_join_words\"\nobjective = \"footprint\"\npoints = 1\nhints = [\"h\"]\n";
    let e = error(&format!("{GOOD}{second}"));
    assert_eq!(e.field.as_deref(), Some("exercises[1].name"));
    assert_eq!(e.line, Some(23));
    assert!(
        e.message.contains("duplicate exercise name `join_words`"),
        "{e}"
    );
}

#[test]
fn missing_directory_and_directory_without_crate() {
    let e = error(&GOOD.replace("exercises/01_join_words", "exercises/09_missing"));
    assert_eq!(e.field.as_deref(), Some("exercises[0].dir"));
    assert_eq!((e.line, e.column), (Some(15), Some(7)));
    assert!(e.message.contains("does not exist"), "{e}");
    let e = error(&GOOD.replace("exercises/01_join_words", "exercises/02_not_a_crate"));
    assert!(e.message.contains("is not a crate"), "{e}");
}

#[test]
fn undeclared_objective() {
    let e = error(&GOOD.replace("objective = \"footprint\"", "objective = \"speed\""));
    assert_eq!(e.field.as_deref(), Some("exercises[0].objective"));
    assert_eq!(e.line, Some(16));
    assert!(
        e.message
            .contains("objective `speed` is not declared (declared: footprint)"),
        "{e}"
    );
}

#[test]
fn empty_hint_list_and_empty_hint() {
    let e = error(&GOOD.replace("hints = [\"one\", \"two\"]", "hints = []"));
    assert_eq!(e.field.as_deref(), Some("exercises[0].hints"));
    assert_eq!(e.line, Some(18));
    assert!(e.message.contains("hint list is empty"), "{e}");
    let e = error(&GOOD.replace("hints = [\"one\", \"two\"]", "hints = [\"one\", \" \"]"));
    assert_eq!(e.field.as_deref(), Some("exercises[0].hints[1]"));
}

#[test]
fn non_positive_points_and_limits() {
    let e = error(&GOOD.replace("points = 10", "points = 0"));
    assert_eq!(e.field.as_deref(), Some("exercises[0].points"));
    assert!(
        e.message.contains("points must be positive, found 0"),
        "{e}"
    );
    let e = error(&GOOD.replace("time_secs = 5.0", "time_secs = -1.0"));
    assert_eq!(e.field.as_deref(), Some("limits.time_secs"));
    assert_eq!(e.line, Some(5));
    let e = error(&GOOD.replace("memory_mb = 256", "memory_mb = 0"));
    assert_eq!(e.field.as_deref(), Some("limits.memory_mb"));
    let e = error(&GOOD.replace(
        "limits = { time_secs = 2.5 }",
        "limits = { time_secs = 0.0 }",
    ));
    assert_eq!(e.field.as_deref(), Some("exercises[0].limits.time_secs"));
    let e = error(&GOOD.replace("b = 2 }", "b = -2 }"));
    assert_eq!(e.field.as_deref(), Some("exercises[0].weights.b"));
}

#[test]
fn syntax_errors_and_wrong_types_have_positions() {
    let e = error("format = 1\ntitle = \"T\"\n[[objectives]\n");
    assert_eq!(e.line, Some(3));
    let e = error(&GOOD.replace("points = 10", "points = \"ten\""));
    assert_eq!(e.line, Some(17));
    let e = error(&GOOD.replace("format = 1", "format = 2"));
    assert_eq!(e.field.as_deref(), Some("format"));
    assert!(e.message.contains("reads format 1"), "{e}");
}

#[test]
fn missing_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let e = Course::load(dir.path()).unwrap_err();
    assert!(e.message.contains("cannot read the course file"), "{e}");
    assert!(e.file.ends_with("grader.toml"));
}

#[test]
fn gate_tests_weigh_nothing_and_are_listed() {
    let dir = course_dir();
    let c = parse(
        dir.path(),
        &GOOD.replace("weights =", "gate = [\"behaves\"]\nweights ="),
    )
    .unwrap();
    let e = &c.exercises[0];
    assert_eq!(e.gate, vec!["behaves".to_string()]);
    assert!(e.in_gate("behaves") && !e.in_gate("b"));
    assert_eq!(e.weight("behaves"), 0.0, "a gate test carries no points");
    assert_eq!(e.weight("b"), 2.0);
}

#[test]
fn a_weighted_gate_test_is_named_with_its_line_and_field() {
    let e = error(&GOOD.replace("weights =", "gate = [\"b\"]\nweights ="));
    assert_eq!(e.field.as_deref(), Some("exercises[0].weights.b"));
    assert_eq!(e.line, Some(20));
    assert!(
        e.message
            .contains("`b` is in the gate, and gate tests carry no points"),
        "{e}"
    );
    assert!(
        e.to_string()
            .starts_with(&format!("{}:20:", e.file.display()))
    );
    // A weight of 0 for a gate test is allowed.
    let dir = course_dir();
    parse(
        dir.path(),
        &GOOD.replace("weights =", "gate = [\"a\"]\nweights ="),
    )
    .unwrap();
}

#[test]
fn empty_or_repeated_gate_entries_and_wrong_types() {
    let e = error(&GOOD.replace("weights =", "gate = [\"x\", \" \"]\nweights ="));
    assert_eq!(e.field.as_deref(), Some("exercises[0].gate[1]"));
    assert_eq!(e.line, Some(19));
    assert!(e.message.contains("gate entry is empty"), "{e}");
    let e = error(&GOOD.replace("weights =", "gate = [\"x\", \"x\"]\nweights ="));
    assert_eq!(e.field.as_deref(), Some("exercises[0].gate[1]"));
    assert!(e.message.contains("`x` is in the gate twice"), "{e}");
    let e = error(&GOOD.replace("weights =", "gate = \"x\"\nweights ="));
    assert_eq!(e.line, Some(19), "{e}");
}

#[test]
fn file_and_compile_limits_have_defaults_overrides_and_checks() {
    let dir = course_dir();
    let c = parse(dir.path(), GOOD).unwrap();
    let l = c.exercises[0].limits;
    assert_eq!(l.file_mb, 16);
    assert_eq!(l.compile_time.as_secs_f64(), 120.0);
    assert_eq!(l.compile_memory_mb, 2048);
    let text = GOOD
        .replace(
            "memory_mb = 256\n",
            "memory_mb = 256\nfile_mb = 4\ncompile_secs = 30.0\n",
        )
        .replace(
            "limits = { time_secs = 2.5 }",
            "limits = { time_secs = 2.5, compile_memory_mb = 4096 }",
        );
    let c = parse(dir.path(), &text).unwrap();
    let l = c.exercises[0].limits;
    assert_eq!(l.file_mb, 4, "course-wide value applies");
    assert_eq!(l.compile_time.as_secs_f64(), 30.0);
    assert_eq!(l.compile_memory_mb, 4096, "the exercise's own value wins");
    assert_eq!(l.static_kb, 64, "the default static data limit");
    let c = parse(
        dir.path(),
        &GOOD.replace("memory_mb = 256\n", "memory_mb = 256\nstatic_kb = 512\n"),
    )
    .unwrap();
    assert_eq!(c.exercises[0].limits.static_kb, 512);
    let e = error(&GOOD.replace("memory_mb = 256\n", "memory_mb = 256\nstatic_kb = 0\n"));
    assert_eq!(e.field.as_deref(), Some("limits.static_kb"));
    assert!(e.message.contains("positive number of KiB"), "{e}");
    assert_eq!(l.stack_kb, 256, "the default thread stack limit");
    let c = parse(
        dir.path(),
        &GOOD.replace("memory_mb = 256\n", "memory_mb = 256\nstack_kb = 1024\n"),
    )
    .unwrap();
    assert_eq!(c.exercises[0].limits.stack_kb, 1024);
    let e = error(&GOOD.replace("memory_mb = 256\n", "memory_mb = 256\nstack_kb = -1\n"));
    assert_eq!(e.field.as_deref(), Some("limits.stack_kb"));

    let e = error(&GOOD.replace("memory_mb = 256\n", "memory_mb = 256\nfile_mb = 0\n"));
    assert_eq!(e.field.as_deref(), Some("limits.file_mb"));
    assert!(e.message.contains("file size limit"), "{e}");
    let e = error(&GOOD.replace(
        "memory_mb = 256\n",
        "memory_mb = 256\ncompile_secs = -3.0\n",
    ));
    assert_eq!(e.field.as_deref(), Some("limits.compile_secs"));
    assert_eq!(e.line, Some(7));
    let e = error(&GOOD.replace(
        "limits = { time_secs = 2.5 }",
        "limits = { compile_memory_mb = -1 }",
    ));
    assert_eq!(
        e.field.as_deref(),
        Some("exercises[0].limits.compile_memory_mb")
    );
}
