//! The layering rule: only the binary's front (`src/main.rs`, `src/cli.rs`)
//! and the commands (`src/cmd/`) may refer to the command line or the
//! commands. Everything below them (pipeline, reporters, storage) points down
//! only, so this test fails, naming file and line, when a module there refers
//! to `crate::cli`, `crate::cmd`, `super::cmd` or `memgrade::cli`/`cmd`.

use std::path::{Path, PathBuf};

/// References that point up from below the commands.
const FORBIDDEN: &[&str] = &[
    "crate::cli",
    "crate::cmd",
    "super::cmd",
    "memgrade::cli",
    "memgrade::cmd",
];

/// `file:line: text` for every line of `text` that refers up.
fn violations(file: &str, text: &str) -> Vec<String> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| FORBIDDEN.iter().any(|f| line.contains(f)))
        .map(|(i, line)| format!("{file}:{}: {}", i + 1, line.trim()))
        .collect()
}

/// Whether `rel` (relative to the package root) may refer to cli and cmd.
fn exempt(rel: &Path) -> bool {
    rel == Path::new("src/main.rs") || rel == Path::new("src/cli.rs") || rel.starts_with("src/cmd")
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

#[test]
fn nothing_below_the_commands_refers_to_cli_or_cmd() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    assert!(
        files.len() > 10,
        "found only {} files under src/",
        files.len()
    );
    let mut found = Vec::new();
    for path in files {
        let rel = path.strip_prefix(root).unwrap();
        if exempt(rel) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        found.extend(violations(&rel.display().to_string(), &text));
    }
    assert!(
        found.is_empty(),
        "modules below the commands must not refer to the command line or the commands:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_scanner_finds_each_forbidden_reference() {
    let sample = "//! ok\nuse crate::course::Course;\nuse crate::cli::UsageError;\n\
                  fn f() { crate::cmd::list::run(None); }\nuse super::cmd::check;\n\
                  use memgrade::cli::Cli;\nuse memgrade::cmd;\n";
    let v = violations("src/x.rs", sample);
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
    assert!(violations("src/x.rs", "use crate::color::ColorChoice;\n").is_empty());
    assert!(exempt(Path::new("src/cmd/watch.rs")));
    assert!(exempt(Path::new("src/cli.rs")));
    assert!(!exempt(Path::new("src/report/terminal.rs")));
    assert!(!exempt(Path::new("src/cmdline.rs")));
}
