//! Property tests: the parsers memgrade feeds with text it does not control
//! (the course file, a test binary's output and log, cargo's message stream,
//! its own state files) never panic, and a pass is never read into output
//! that the harness did not confirm.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::course::Course;
use crate::pipeline::compile::{Crate, parse_messages};
use crate::pipeline::grade::TestStatus;
use crate::pipeline::libtest::{judge, parse_list};
use crate::process::child::{Captured, Outcome, ProcessEnd};
use crate::store::STORE_DIR;
use crate::store::cache::Cache;
use crate::store::state::State;
use proptest::prelude::*;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn valid_toml() -> &'static str {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| std::fs::read_to_string(repo().join("grader.toml")).unwrap())
}

/// Checks the contract of `Course::parse` on `text`.
fn parse_is_total(text: &str) {
    let root = repo();
    let file = root.join("grader.toml");
    if let Err(e) = Course::parse(&root, &file, text) {
        assert!(
            !e.message.trim().is_empty(),
            "an error without a message: {e:?}"
        );
        assert_eq!(e.file, file);
        if let Some(line) = e.line {
            assert!(
                line >= 1 && line <= text.lines().count() + 1,
                "line {line} out of range: {e:?}"
            );
            assert!(
                e.column.is_some_and(|c| c >= 1),
                "a line without a column: {e:?}"
            );
        }
        // The rendered error names the file.
        assert!(e.to_string().contains("grader.toml"));
    }
}

/// One edit of a valid registry.
#[derive(Debug, Clone)]
enum Mutation {
    Delete { at: usize, len: usize },
    Insert { at: usize, text: String },
    Replace { at: usize, text: String },
    SwapLines { a: usize, b: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let snippet = prop_oneof![
        "[ -~\n]{0,12}",
        Just("\"".to_string()),
        Just("=".to_string()),
        Just("[[exercises]]\n".to_string()),
        Just("points = -1\n".to_string()),
        Just("time_secs = 0\n".to_string()),
        Just("memory_mb = 99999999999999999999\n".to_string()),
        Just("weights = { x = -2 }\n".to_string()),
        Just("hints = []\n".to_string()),
        Just("dir = \"../outside\"\n".to_string()),
        Just("name = \"join_words\"\n".to_string()),
        Just("é\u{0}\u{feff}".to_string()),
    ];
    prop_oneof![
        (any::<usize>(), 0usize..64).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<usize>(), snippet.clone()).prop_map(|(at, text)| Mutation::Insert { at, text }),
        (any::<usize>(), snippet).prop_map(|(at, text)| Mutation::Replace { at, text }),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines { a, b }),
    ]
}

fn apply(text: &str, m: &Mutation) -> String {
    let mut bytes = text.as_bytes().to_vec();
    match m {
        Mutation::Delete { at, len } => {
            let at = at % (bytes.len() + 1);
            let end = (at + len).min(bytes.len());
            bytes.drain(at..end);
        }
        Mutation::Insert { at, text } => {
            let at = at % (bytes.len() + 1);
            bytes.splice(at..at, text.bytes());
        }
        Mutation::Replace { at, text } => {
            let at = at % (bytes.len() + 1);
            let end = (at + text.len()).min(bytes.len());
            bytes.splice(at..end, text.bytes());
        }
        Mutation::SwapLines { a, b } => {
            let mut lines: Vec<&str> = text.lines().collect();
            let n = lines.len().max(1);
            lines.swap(a % n, b % n);
            return lines.join("\n");
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn outcome(exit: ProcessEnd, stdout: &str, stderr: &str) -> Outcome {
    let mut out = Captured::new(16 * 1024);
    out.push(stdout.as_bytes());
    let mut err = Captured::new(16 * 1024);
    err.push(stderr.as_bytes());
    Outcome {
        exit,
        stdout: out,
        stderr: err,
        duration: Duration::from_millis(1),
        left_processes: false,
    }
}

fn exit() -> impl Strategy<Value = ProcessEnd> {
    prop_oneof![
        Just(ProcessEnd::Code(0)),
        Just(ProcessEnd::Code(101)),
        any::<i32>().prop_map(ProcessEnd::Code),
        (1i32..65).prop_map(ProcessEnd::Signal),
        Just(ProcessEnd::TimedOut),
    ]
}

/// Text made of pieces of libtest's own output, so the properties meet the
/// interesting cases (summaries, headers, panics) and not only noise.
fn harness_text(name: &'static str) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[ -~]{0,20}".prop_map(|s| s),
        Just("\n".to_string()),
        Just(format!("test {name} ... ok\n")),
        Just(format!("test {name} ... FAILED\n")),
        Just("test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 3 filtered out; finished in 0.00s\n".to_string()),
        Just("test result: FAILED. 0 passed; 1 failed;\n".to_string()),
        Just(format!("---- {name} stdout ----\n")),
        Just(format!("thread '{name}' (7) panicked at tests/memory.rs:12:5:\n")),
        Just("assertion `left == right` failed\n  left: \"a\\u{e9}\"\n right: 3\n".to_string()),
        Just("\nfailures:\n".to_string()),
        Just("memory allocation of 1024 bytes failed\n".to_string()),
        Just("thread 'x' has overflowed its stack\n".to_string()),
        Just("warning: `--logfile` is deprecated".to_string()),
        Just(format!("{name}: test\n")),
        Just(": test".to_string()),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

fn log_text(name: &'static str) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just(format!("ok {name}")),
        Just(format!("failed {name}")),
        Just("ok other".to_string()),
        Just(format!("ok {name}x")),
        Just("\n".to_string()),
        Just(" ".to_string()),
        "[ -~]{0,10}",
    ];
    prop::collection::vec(piece, 0..5).prop_map(|v| v.concat())
}

fn crates() -> Vec<Crate> {
    vec![
        Crate {
            name: "a".into(),
            dir: PathBuf::from("/w/exercises/01_a"),
            rel_dir: PathBuf::from("exercises/01_a"),
            limits: Default::default(),
        },
        Crate {
            name: "b".into(),
            dir: PathBuf::from("/w/exercises/02_b"),
            rel_dir: PathBuf::from("exercises/02_b"),
            limits: Default::default(),
        },
    ]
}

fn cargo_line() -> impl Strategy<Value = String> {
    let manifest = prop_oneof![
        Just("/w/exercises/01_a/Cargo.toml"),
        Just("/w/exercises/02_b/Cargo.toml"),
        Just("/elsewhere/Cargo.toml"),
        Just(""),
    ];
    let reason = prop_oneof![
        Just("compiler-artifact"),
        Just("compiler-message"),
        Just("build-finished"),
        Just("")
    ];
    let field = prop_oneof![
        Just(r#""target":{"name":"memory","kind":["test"]},"profile":{"test":true},"executable":"/w/t/memory-1""#.to_string()),
        Just(r#""target":{"name":"a","kind":["lib"]},"profile":{"test":false},"executable":null"#.to_string()),
        Just(r#""message":{"message":"mismatched types","level":"error","rendered":"error[E0308]","spans":[{"file_name":"src/lib.rs","line_start":3,"is_primary":true}]}"#.to_string()),
        Just(r#""message":{"message":"x","level":"warning","spans":[]}"#.to_string()),
        Just(r#""message":{"level":"error"}"#.to_string()),
        Just(r#""target":null"#.to_string()),
        "[ -~]{0,16}",
    ];
    prop_oneof![
        (reason, manifest, field)
            .prop_map(|(r, m, f)| format!(r#"{{"reason":"{r}","manifest_path":"{m}",{f}}}"#)),
        "[ -~]{0,60}",
        any::<String>(),
    ]
}

fn write_state_file(dir: &Path, file: &str, bytes: &[u8]) {
    let d = dir.join(STORE_DIR);
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join(file), bytes).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn course_parse_never_panics_on_arbitrary_text(text in any::<String>()) {
        parse_is_total(&text);
    }

    #[test]
    fn course_parse_never_panics_on_toml_shaped_text(text in "([a-z_\\[\\]{}=\"., 0-9\n-]|\\[\\[exercises\\]\\]|format = 1\n){0,80}") {
        parse_is_total(&text);
    }

    #[test]
    fn course_parse_never_panics_on_a_mutated_registry(edits in prop::collection::vec(mutation(), 1..4)) {
        let mut text = valid_toml().to_string();
        for m in &edits {
            text = apply(&text, m);
        }
        parse_is_total(&text);
    }

    #[test]
    fn parse_list_never_panics_and_returns_listed_names(stdout in harness_text("t")) {
        for name in parse_list(&stdout) {
            let listed = format!("{name}: test");
            prop_assert!(stdout.contains(&listed));
        }
    }

    #[test]
    fn judge_passes_only_on_exit_zero_and_the_exact_log(
        exit in exit(),
        stdout in harness_text("t"),
        stderr in harness_text("t"),
        log in log_text("t"),
    ) {
        let v = judge("t", &outcome(exit, &stdout, &stderr), &log, 3.0, 256);
        if v.status == TestStatus::Passed {
            prop_assert_eq!(exit, ProcessEnd::Code(0));
            let lines: Vec<&str> = log.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
            prop_assert_eq!(lines, vec!["ok t"]);
            prop_assert!(v.message.is_empty());
        } else {
            prop_assert!(!v.message.is_empty(), "a verdict without a reason: {:?}", v);
        }
        if exit == ProcessEnd::TimedOut {
            prop_assert_eq!(v.status, TestStatus::TimedOut);
        }
    }

    #[test]
    fn judge_never_panics_on_arbitrary_bytes(
        exit in exit(),
        stdout in any::<String>(),
        stderr in any::<String>(),
        log in any::<String>(),
        name in "[a-z_:]{1,12}",
    ) {
        let v = judge(&name, &outcome(exit, &stdout, &stderr), &log, 3.0, 256);
        if v.status == TestStatus::Passed {
            prop_assert_eq!(exit, ProcessEnd::Code(0));
            prop_assert_eq!(log.trim(), format!("ok {name}"));
        }
    }

    #[test]
    fn parse_messages_never_panics(lines in prop::collection::vec(cargo_line(), 0..20)) {
        let text = lines.join("\n");
        let builds = parse_messages(&text, &crates());
        // Only the planned crates come back.
        for name in builds.keys() {
            prop_assert!(name == "a" || name == "b");
        }
    }

    #[test]
    fn state_and_cache_load_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512), json_like in "[{}\\[\\]\":,0-9a-z_ ]{0,80}") {
        for content in [bytes.as_slice(), json_like.as_bytes()] {
            let dir = tempfile::tempdir().unwrap();
            write_state_file(dir.path(), "state.json", content);
            write_state_file(dir.path(), "cache.json", content);
            let (state, _) = State::load(dir.path());
            let cache = Cache::load(dir.path());
            // Whatever was read, it can be written back.
            state.save(dir.path()).unwrap();
            cache.save(dir.path()).unwrap();
            let _ = State::load(dir.path());
        }
    }
}

#[test]
fn the_valid_registry_parses() {
    let root = repo();
    Course::parse(&root, &root.join("grader.toml"), valid_toml()).unwrap();
}
