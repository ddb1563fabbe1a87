//! A hand-built [`Grade`] with one exercise per outcome and hostile student
//! text, shared by the reporters' tests.

use std::path::PathBuf;

use crate::course::{Course, Objective};
use crate::pipeline::grade::{
    Diagnostic, ExerciseGrade, ExerciseStatus, Grade, Location, Mode, Provenance, TestGrade,
    TestStatus,
};

/// A failure message with every character the formats must escape.
pub const HOSTILE_MESSAGE: &str = "measured 3 allocations <&> \"budget\" 'one', 100% used: a,b\r\n::error::forged by the student\n::add-mask::secret\n##[error]v1 forged\nhint: reserve";

/// Captured output with control bytes and fake workflow commands.
pub const HOSTILE_OUTPUT: &str = "before\n::error file=x,line=1::forged\n::add-mask::hunter2\n%0A::warning::encoded\n\x1b[31mred\x1b[0m bell\x07 nul\x00 ff\x0c <tag a=\"1\"> & ]]>\n";

/// A file path with the separators GitHub's property syntax uses.
pub const ODD_PATH: &str = "exercises/04_slots/src/odd,name:1.rs";

/// A test with the given outcome and weight (12 ms, no message).
pub fn test(name: &str, status: TestStatus, weight: f64) -> TestGrade {
    TestGrade {
        name: name.into(),
        suite: "memory".into(),
        status,
        message: String::new(),
        duration_ms: 12,
        weight,
        gate: false,
        not_counted: None,
        points: 0.0,
        max_points: 0.0,
        location: None,
        comparison: None,
        output: String::new(),
        sites: None,
    }
}

/// An unsettled exercise in `exercises/<name>`.
pub fn exercise(
    name: &str,
    objective: &str,
    max_points: f64,
    tests: Vec<TestGrade>,
) -> ExerciseGrade {
    ExerciseGrade {
        name: name.into(),
        dir: format!("exercises/{name}"),
        objective: objective.into(),
        status: ExerciseStatus::Failed,
        points: 0.0,
        max_points,
        tests,
        diagnostics: vec![],
        warnings: vec![],
        tampered_files: vec![],
        cached: false,
        review: Vec::new(),
    }
}

/// A course whose titles need escaping, with four objectives.
pub fn course() -> Course {
    let objective = |id: &str, title: &str| Objective {
        id: id.into(),
        title: title.into(),
    };
    Course {
        root: PathBuf::from("/course"),
        title: "Memory <&> \"optimization\" | 101".into(),
        objectives: vec![
            objective("footprint", "Measure | footprint"),
            objective("iteration", "Iterate lazily"),
            objective("layout", "Layout & size"),
            objective("lifecycle", "Lifecycle"),
        ],
        exercises: vec![],
    }
}

/// Settles `exercises` and totals them like the engine does.
pub fn grade_of(mut exercises: Vec<ExerciseGrade>) -> Grade {
    for e in &mut exercises {
        e.settle();
    }
    Grade::new(&course(), exercises)
}

/// [`grade`] as the grade of record, built in a bubblewrap sandbox.
pub fn record_grade() -> Grade {
    let mut g = grade();
    g.provenance = Provenance {
        mode: Mode::Record,
        sandbox: "bwrap".into(),
        toolchain: "rustc 1.89.0".into(),
    };
    g
}

/// [`record_grade`] with two review flags on `join_words`.
#[cfg(feature = "instructor")]
pub fn reviewed_grade() -> Grade {
    let mut g = record_grade();
    let flag = |line, construct: &str, why: &str| crate::pipeline::grade::ReviewFlag {
        file: "exercises/join_words/src/lib.rs".into(),
        line,
        construct: construct.into(),
        why: why.into(),
    };
    g.exercises[0].review = vec![
        flag(1, "include!", "reads a file when the crate is compiled"),
        flag(9, "std::fs", "reads or writes files"),
    ];
    g
}

/// Seven exercises: failed (partial credit), timed out, crashed, compile
/// error, tampered, passed all-or-nothing, and no tests.
pub fn grade() -> Grade {
    let mut failing = test("allocates_once", TestStatus::Failed, 1.0);
    failing.message = HOSTILE_MESSAGE.into();
    failing.location = Some(Location {
        file: "exercises/join_words/tests/memory.rs".into(),
        line: 12,
    });
    failing.output = HOSTILE_OUTPUT.into();
    failing.duration_ms = 1234;
    let join_words = exercise(
        "join_words",
        "footprint",
        10.0,
        vec![test("joins", TestStatus::Passed, 1.0), failing],
    );

    let mut hung = test("streams_lines", TestStatus::TimedOut, 1.0);
    hung.message = "killed after 10s: time limit".into();
    hung.duration_ms = 10_000;
    let lazy = exercise(
        "lazy_lines",
        "iteration",
        10.0,
        vec![test("reads", TestStatus::Passed, 1.0), hung],
    );

    let mut crashed = test("interns_once", TestStatus::Crashed, 1.0);
    crashed.output = "%0A::warning::x\n".into();
    let interner = exercise(
        "interner",
        "iteration",
        10.0,
        vec![test("lookups", TestStatus::Passed, 1.0), crashed],
    );

    let mut slots = exercise("slots", "layout", 10.0, vec![]);
    slots.diagnostics = vec![
        Diagnostic {
            message: "mismatched types".into(),
            rendered: "error[E0308]: mismatched types <&>\n --> src/lib.rs:7:5\n  |\n7 |     x\n  |     ^ expected `u32`, found `&str`\n::error::injected by a string literal\n".into(),
            location: Some(Location { file: ODD_PATH.into(), line: 7 }),
        },
        Diagnostic { message: "aborting due to 1 previous error".into(), rendered: String::new(), location: None },
    ];

    let mut arena = exercise(
        "arena",
        "layout",
        10.0,
        vec![test("reuses", TestStatus::Passed, 1.0)],
    );
    arena.tampered_files = vec![
        "exercises/arena/tests/memory.rs".into(),
        "grader.toml".into(),
    ];

    let drop_order = exercise(
        "drop_order",
        "lifecycle",
        5.0,
        vec![
            test("drops_in_order", TestStatus::Passed, 0.0),
            test("no_leak", TestStatus::Passed, 0.0),
        ],
    );

    let views = exercise("views", "lifecycle", 5.0, vec![]);

    grade_of(vec![
        join_words, lazy, interner, slots, arena, drop_order, views,
    ])
}

#[test]
fn fixture_settles_as_intended() {
    let g = grade();
    let got: Vec<(&str, ExerciseStatus, f64)> = g
        .exercises
        .iter()
        .map(|e| (e.name.as_str(), e.status, e.points))
        .collect();
    assert_eq!(
        got,
        vec![
            ("join_words", ExerciseStatus::Failed, 5.0),
            ("lazy_lines", ExerciseStatus::TimedOut, 5.0),
            ("interner", ExerciseStatus::Crashed, 5.0),
            ("slots", ExerciseStatus::CompileError, 0.0),
            ("arena", ExerciseStatus::Tampered, 0.0),
            ("drop_order", ExerciseStatus::Passed, 5.0),
            ("views", ExerciseStatus::Failed, 0.0),
        ]
    );
    assert_eq!(
        (g.score, g.max_score, g.passed, g.total),
        (20.0, 60.0, 1, 7)
    );
}
