//! memgrade's own tests pass on a student's checkout (every exercise solved)
//! as on a fresh clone: the harness copies the stubs `memgrade.lock`
//! records, never the student's code.

mod common;

use common::{copy_tree, course_builder, stub_source};

#[test]
fn the_harness_grades_the_stubs_of_a_solved_checkout() {
    // A student's checkout: the course sealed with its own lock, every solution copied
    // into exercises/, plus a file the stub does not have.
    let student = course_builder()
        .exercises(&["join_words", "tree_cycles"])
        .sealed()
        .build();
    for dir in ["01_join_words", "04_tree_cycles"] {
        copy_tree(
            &student.root().join("solutions").join(dir).join("src"),
            &student.root().join("exercises").join(dir).join("src"),
        );
    }
    let extra = "exercises/01_join_words/src/helper.rs";
    std::fs::write(student.root().join(extra), "// mine\n").unwrap();
    let solved = student.run(&["check", "join_words"]);
    assert_eq!(
        solved.status.code(),
        Some(0),
        "the student's tree is solved"
    );

    let copy = course_builder()
        .from(student.root())
        .exercises(&["join_words"])
        .build();
    let lib = "exercises/01_join_words/src/lib.rs";
    assert_eq!(
        std::fs::read_to_string(copy.root().join(lib)).unwrap(),
        stub_source(lib)
    );
    assert!(!copy.root().join(extra).exists());
    let out = copy.run(&["check", "join_words"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the copy holds the failing stub"
    );
}
