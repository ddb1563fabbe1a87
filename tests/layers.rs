//! The layering rules of `src/`, checked line by line so a violation is
//! named by file and line:
//!
//! - only the crate root and the binary's front (`src/lib.rs`,
//!   `src/main.rs`, `src/cli.rs`) and the commands
//!   (`src/cmd/`) refer to the command line or the commands;
//! - what the student's build compiles never refers to the instructor's
//!   folders (`record/`, `class/`, `author/`, `report/machine/`); the
//!   compiler checks the code, this checks that no seam hides behind a
//!   `cfg` in a lower layer;
//! - the pipeline's layers (`course/`, `pipeline/`, `process/`, `store/`)
//!   never refer to the reporters, and the utilities (`exit.rs`,
//!   `color.rs`, `fsutil.rs`) to no other module;
//! - at most a dozen files sit loose in `src/`: everything else lives in the
//!   folder of its layer.
//!
//! Comment lines are not code and are skipped.

use std::path::{Path, PathBuf};

/// One rule: files it applies to, and references they must not make.
struct Rule {
    name: &'static str,
    applies: fn(&str) -> bool,
    forbidden: &'static [&'static str],
}

const RULES: &[Rule] = &[
    Rule {
        name: "below the commands, nothing refers to the command line or the commands",
        applies: |rel| !front(rel),
        forbidden: &[
            "crate::cli",
            "crate::cmd",
            "super::cmd",
            "memgrade::cli",
            "memgrade::cmd",
        ],
    },
    Rule {
        name: "the student's build does not refer to the instructor's folders",
        applies: |rel| !instructor_only(rel) && !front(rel),
        forbidden: &[
            "crate::record",
            "crate::class",
            "crate::author",
            "crate::report::machine",
        ],
    },
    Rule {
        name: "the pipeline's layers do not refer to the reporters",
        applies: |rel| {
            ["src/course/", "src/pipeline/", "src/process/", "src/store/"]
                .iter()
                .any(|d| rel.starts_with(d))
        },
        forbidden: &["crate::report", "crate::watch"],
    },
    Rule {
        name: "the utilities refer to no other module",
        applies: |rel| ["src/exit.rs", "src/color.rs", "src/fsutil.rs"].contains(&rel),
        forbidden: &["crate::"],
    },
];

/// The crate root, the binary's front and the commands: they may refer to
/// every layer (`lib.rs` declares them all and re-exports for the tests).
fn front(rel: &str) -> bool {
    ["src/lib.rs", "src/main.rs", "src/cli.rs"].contains(&rel) || rel.starts_with("src/cmd/")
}

/// Files only the instructor build compiles (their folder or module is
/// behind `cfg(feature = "instructor")`).
fn instructor_only(rel: &str) -> bool {
    [
        "src/record/",
        "src/class/",
        "src/author/",
        "src/report/machine/",
    ]
    .iter()
    .any(|d| rel.starts_with(d))
        || rel == "src/process/launch/private.rs"
}

/// `file:line: text` for every code line of `text` that makes a reference
/// in `forbidden`.
fn violations(file: &str, text: &str, forbidden: &[&str]) -> Vec<String> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim_start().starts_with("//"))
        .filter(|(_, line)| forbidden.iter().any(|f| line.contains(f)))
        .map(|(i, line)| format!("{file}:{}: {}", i + 1, line.trim()))
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_module_keeps_to_its_layer() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    assert!(
        files.len() > 40,
        "found only {} files under src/",
        files.len()
    );
    let mut found = Vec::new();
    for path in files {
        let rel = path
            .strip_prefix(root())
            .unwrap()
            .display()
            .to_string()
            .replace('\\', "/");
        let text = std::fs::read_to_string(&path).unwrap();
        for rule in RULES.iter().filter(|r| (r.applies)(&rel)) {
            for v in violations(&rel, &text, rule.forbidden) {
                found.push(format!("{v}\n    ({})", rule.name));
            }
        }
    }
    assert!(
        found.is_empty(),
        "references that point up a layer:\n{}",
        found.join("\n")
    );
}

#[test]
fn at_most_a_dozen_files_are_loose_in_src() {
    let loose: Vec<String> = std::fs::read_dir(root().join("src"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(
        loose.len() <= 12,
        "{} files loose in src/: {loose:?}",
        loose.len()
    );
}

#[test]
fn the_scanner_finds_each_forbidden_reference() {
    let sample = "//! crate::cli in a comment\nuse crate::course::Course;\nuse crate::cli::UsageError;\n\
                  fn f() { crate::cmd::list::run(None); }\nuse super::cmd::check;\n\
                  use memgrade::cli::Cli;\nuse memgrade::cmd;\n";
    let v = violations("src/x.rs", sample, RULES[0].forbidden);
    assert_eq!(
        v,
        vec![
            "src/x.rs:3: use crate::cli::UsageError;",
            "src/x.rs:4: fn f() { crate::cmd::list::run(None); }",
            "src/x.rs:5: use super::cmd::check;",
            "src/x.rs:6: use memgrade::cli::Cli;",
            "src/x.rs:7: use memgrade::cmd;",
        ]
    );
    assert!(
        violations(
            "src/x.rs",
            "use crate::color::ColorChoice;\n",
            RULES[0].forbidden
        )
        .is_empty()
    );
}

#[test]
fn each_rule_applies_where_it_says() {
    let applies = |i: usize, rel: &str| (RULES[i].applies)(rel);
    assert!(!applies(0, "src/cmd/watch.rs") && !applies(0, "src/cli.rs"));
    assert!(applies(0, "src/report/terminal.rs") && applies(0, "src/cmdline.rs"));
    assert!(applies(1, "src/pipeline/engine.rs") && !applies(1, "src/record/bwrap.rs"));
    assert!(
        !applies(1, "src/report/machine/json.rs") && !applies(1, "src/process/launch/private.rs")
    );
    assert!(applies(2, "src/store/cache.rs") && !applies(2, "src/report/terminal.rs"));
    assert!(applies(3, "src/exit.rs") && !applies(3, "src/lib.rs"));
    let upward = "use crate::report::terminal;\n";
    assert_eq!(
        violations("src/store/x.rs", upward, RULES[2].forbidden).len(),
        1
    );
}
