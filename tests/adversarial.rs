//! Adversarial submissions, graded end to end by the `memgrade` binary.
//!
//! | mechanism | feedback `check` (this file) | grade of record: `check --ci --course ABS` and `gradebook` (`adversarial/record.rs`) |
//! |---|---|---|
//! | endless loop in the code under test | `timed_out`, 0 | (same engine) |
//! | unbounded allocation | `crashed` (memory limit), 0 | (same engine) |
//! | a gigabyte of output | output capped, 0 | (same engine) |
//! | stack overflow, abort, panic in drop | `crashed`, 0 | (same engine) |
//! | `exit(0)`, a printed libtest summary | `crashed`/`failed`, 0 | (same engine) |
//! | `ok NAME` written to the `--logfile` from argv (test thread, helper thread, a panic hook on a failed assertion, an exec'd shell) | not blocked (a feedback check trusts the checkout) | test thread locked down by memprobe (seccomp): 0 points (`adversarial/verdict.rs`) |
//! | workflow commands in output and panics | neutralised | (same engine) |
//! | threads and child processes left behind | killed | (same engine) |
//! | a second global allocator, calling `System` directly | `compile_error`, 0 | (same engine) |
//! | allocations on a helper thread | charged (strict memprobe) | (same engine) |
//! | edits to tests, manifest, grader.toml | `tampered`, 0 (the fork's own lock: a signal only) | see below |
//! | untouched stub | n/a | `failed`, 0; the honest exercise beside it passes |
//! | fork `.cargo/config.toml` (`rustc-wrapper`, `rustflags`) | n/a | not read (private tree outside the fork); `failed`, 0 |
//! | fork `rust-toolchain.toml` | n/a | not read (toolchain by absolute path); `failed`, 0 |
//! | committed `exercises/NN/build.rs`, files under `target/memgrade/...` | n/a | not copied, `build = false`; `failed`, 0 |
//! | fork edits to tests, manifest, grader.toml, memgrade.lock | n/a | ignored; `failed`, 0 |
//! | symlinked `src/lib.rs` | n/a | rejected: `compile_error`, 0, reason named |
//! | `#[path]` to / `include_str!` of the course's solution | n/a | no `solutions/` in the tree, course not visible in bwrap: `compile_error`, 0 |
//! | a directory named like the old `--tests-from` revision | n/a | usage error (exit 2): names are never resolved in the fork |
//! | gradebook: `src` linked into another student's checkout | n/a | rejected: `compile_error`, 0; the other student still passes |
//! | gradebook: a test plants files for the next fork | n/a | tree read-only in bwrap and fresh per fork: the next stub `failed`, 0 |
//! | gradebook: a fork over `--fork-timeout` | n/a | stopped, row with the reason and 0 points |
//! | a `.cargo/config.toml` above the private tree (`TMPDIR`) | n/a | refused: exit 3, the file named |
//! | `System.alloc` reached from safe code through rust-lang/rust#25860 | not counted (no record build) | counted (memprobe defines the C allocator in record builds): 0 points, and flagged for review (`adversarial/counted.rs`) |
//! | 48 MiB of static records | not bounded | over `[limits] static_kb`: `compile_error`, 0, the reason named (`adversarial/counted.rs`) |
//! | `include!`, `#[path]`, `std::fs` & co. in the sources | n/a | listed for review with file and line in the JSON and the gradebook; points unchanged |
//! | `include!` of a file in another exercise's `src/` (and a copy of the fork without that file) | n/a | dep-info names a file outside the exercise: `compile_error`, 0, the file named; the copy gets 0 from the class cache too |
//! | gradebook: a delta bomb (a small pack claiming a 320 MiB blob) | n/a | git runs out of its own memory limit; the row says so (`adversarial/gitbomb.rs`) |
//!
//! Feedback cases: each is a copy of a course exercise (usually `join_words`) whose
//! `src/lib.rs` tries to cheat or break the grader: hang, exhaust memory,
//! flood the output, crash, end the process early, forge the harness's
//! report, leave processes behind, bypass memprobe, or edit the graded files.
//! The cheats sit side by side in one course, next to honest exercises with
//! the reference solution in place, so a single `memgrade check` grades them
//! all in parallel; every test below asserts on that one run.
//!
//! The courses live at fixed paths under cargo's `CARGO_TARGET_TMPDIR` (each
//! rebuilt from scratch on every run, with the sources' timestamps kept) and
//! build into fixed target directories there, so a second run of the suite
//! reuses the compiled memprobe and the unchanged exercises. (The grade of
//! record always builds in a fresh private tree.)

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::Value;

mod common;
#[path = "adversarial/container.rs"]
mod container;
#[path = "adversarial/counted.rs"]
mod counted;
#[path = "adversarial/gitbomb.rs"]
mod gitbomb;
#[path = "adversarial/record.rs"]
mod record;
#[path = "adversarial/signature.rs"]
mod signature;
#[path = "adversarial/verdict.rs"]
mod verdict;

use common::{Memgrade, copy_tree, processes_with, repo, stub_source};

/// Course-wide limits of the adversarial courses.
const TIME_SECS: f64 = 3.0;
/// `cheat_alloc`'s time limit: far enough that the memory limit ends it.
const ALLOC_TIME_SECS: f64 = 30.0;
const MEMORY_MB: u64 = 256;
/// Time a test process may take past its limit before memgrade's kill counts
/// as late (scheduling on a loaded two-core machine).
const SLACK_MS: u64 = 2_000;

fn work() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("adversarial")
}

/// Writes `text` unless the file already holds it (so cargo keeps its build).
fn write_if_changed(path: &Path, text: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::write(path, text).unwrap();
    }
}

/// One exercise of a test course.
struct Ex {
    /// Directory under `exercises/`, e.g. `30_cheat_loop`.
    dir: &'static str,
    /// Package and exercise name.
    name: &'static str,
    /// The course exercise it copies, e.g. `01_join_words`.
    from: &'static str,
    /// `src/lib.rs`: `None` for the reference solution, `Some` for a stub or
    /// a cheat.
    lib: Option<String>,
    /// Per-exercise time limit, when it differs from the course's.
    time_secs: Option<f64>,
}

impl Ex {
    fn honest(dir: &'static str, name: &'static str) -> Ex {
        Ex {
            dir,
            name,
            from: dir,
            lib: None,
            time_secs: None,
        }
    }

    fn stub(dir: &'static str, name: &'static str) -> Ex {
        let lib = stub_source(&format!("exercises/{dir}/src/lib.rs"));
        Ex {
            dir,
            name,
            from: dir,
            lib: Some(lib),
            time_secs: None,
        }
    }

    fn cheat(dir: &'static str, name: &'static str, lib: impl Into<String>) -> Ex {
        Ex {
            dir,
            name,
            from: "01_join_words",
            lib: Some(lib.into()),
            time_secs: None,
        }
    }

    fn time(mut self, secs: f64) -> Ex {
        self.time_secs = Some(secs);
        self
    }
}

/// Package name of a course exercise.
fn package_name(from: &str) -> String {
    let manifest =
        std::fs::read_to_string(repo().join("exercises").join(from).join("Cargo.toml")).unwrap();
    let line = manifest.lines().find(|l| l.starts_with("name = ")).unwrap();
    line.trim_start_matches("name = ")
        .trim_matches('"')
        .to_string()
}

/// Builds a course at `root` (replacing what was there) with `exercises`.
fn build_course(root: &Path, exercises: &[Ex]) {
    if root.exists() {
        std::fs::remove_dir_all(root).unwrap();
    }
    std::fs::create_dir_all(root.join("exercises")).unwrap();
    std::fs::write(
        root.join("Cargo.toml"),
        "[workspace]\nmembers = [\"memprobe\", \"exercises/*\"]\nresolver = \"3\"\n",
    )
    .unwrap();
    copy_tree(&repo().join("memprobe"), &root.join("memprobe"));
    let mut toml = format!(
        "format = 1\ntitle = \"Adversarial course\"\n\n[limits]\ntime_secs = {TIME_SECS:.1}\nmemory_mb = {MEMORY_MB}\n\n\
         [[objectives]]\nid = \"footprint\"\ntitle = \"Footprint\"\nsection = \"Memory-Efficient Data Structures\"\n"
    );
    for e in exercises {
        let original = package_name(e.from);
        let from = repo().join("exercises").join(e.from);
        let to = root.join("exercises").join(e.dir);
        copy_tree(&from, &to);
        if e.name != original {
            let manifest = std::fs::read_to_string(to.join("Cargo.toml")).unwrap();
            std::fs::write(
                to.join("Cargo.toml"),
                manifest.replace(
                    &format!("name = \"{original}\""),
                    &format!("name = \"{}\"", e.name),
                ),
            )
            .unwrap();
            for t in std::fs::read_dir(to.join("tests")).unwrap() {
                let p = t.unwrap().path();
                let text = std::fs::read_to_string(&p).unwrap();
                std::fs::write(
                    &p,
                    text.replace(&format!("{original}::"), &format!("{}::", e.name)),
                )
                .unwrap();
            }
        }
        match &e.lib {
            None => copy_tree(
                &repo().join("solutions").join(e.from).join("src"),
                &to.join("src"),
            ),
            Some(lib) => write_if_changed(&to.join("src/lib.rs"), lib),
        }
        toml.push_str(&format!(
            "\n[[exercises]]\nname = \"{}\"\ndir = \"exercises/{}\"\nobjective = \"footprint\"\npoints = 10\nhints = [\"Read the README.\"]\n",
            e.name, e.dir
        ));
        if let Some(t) = e.time_secs {
            toml.push_str(&format!("limits = {{ time_secs = {t:.1} }}\n"));
        }
    }
    std::fs::write(root.join("grader.toml"), toml).unwrap();
}

/// Runs `memgrade --root <root> <args>` building into `target`.
fn memgrade(root: &Path, target: &Path, args: &[&str]) -> (Output, Duration) {
    let start = Instant::now();
    let out = Memgrade::new()
        .root(root)
        .target(target)
        .args(args)
        .output();
    (out, start.elapsed())
}

/// `memgrade check --format json --no-cache <args>`, parsed.
fn check(root: &Path, target: &Path, args: &[&str]) -> (Value, Duration) {
    let mut all = vec!["check", "--format", "json", "--no-cache"];
    all.extend_from_slice(args);
    let (out, elapsed) = memgrade(root, target, &all);
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "memgrade check printed no JSON ({e}); status {:?}\nstdout:\n{}\nstderr:\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (json, elapsed)
}

fn exercise<'a>(grade: &'a Value, name: &str) -> &'a Value {
    grade["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == name)
        .unwrap_or_else(|| panic!("no exercise {name} in the grade"))
}

fn status(e: &Value) -> &str {
    e["status"].as_str().unwrap()
}

fn tests(e: &Value) -> &Vec<Value> {
    e["tests"].as_array().unwrap()
}

/// Every test of `e` ran and none passed.
fn assert_no_test_passed(e: &Value) {
    assert!(!tests(e).is_empty(), "{}: no test ran: {e:#}", e["name"]);
    for t in tests(e) {
        assert_ne!(
            t["status"], "passed",
            "{}: {} passed: {t:#}",
            e["name"], t["name"]
        );
    }
    assert_eq!(e["points"].as_f64(), Some(0.0), "{e:#}");
}

/// Every test process of `e` ended within its limit (plus scheduling slack).
fn assert_within_limit(e: &Value, limit_secs: f64) {
    for t in tests(e) {
        let ms = t["duration_ms"].as_u64().unwrap();
        assert!(
            ms <= (limit_secs * 1000.0) as u64 + SLACK_MS,
            "{}::{} took {ms} ms (limit {limit_secs} s)",
            e["name"],
            t["name"]
        );
    }
}

fn assert_passed(e: &Value) {
    assert_eq!(status(e), "passed", "{e:#}");
    assert_eq!(e["points"], e["max_points"], "{e:#}");
}

/// A join_words that also does `cheat` first.
fn join_with(cheat: &str) -> String {
    format!(
        "#![allow(unreachable_code, unused_imports, dead_code)]\n\
         use std::io::Write;\n\n\
         pub fn join_words(words: &[&str]) -> String {{\n{cheat}\n    words.join(\" \")\n}}\n"
    )
}

/// The test name libtest was asked to run (`--exact NAME`).
const TEST_NAME: &str = "    let args: Vec<String> = std::env::args().collect();\n    \
     let name = args.iter().position(|a| a == \"--exact\").and_then(|i| args.get(i + 1)).cloned().unwrap_or_default();\n";

/// A libtest success report for `name`, as the harness prints it.
const FAKE_SUMMARY: &str = "    let fake = format!(\"\\nrunning 1 test\\ntest {name} ... ok\\n\\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 3 filtered out; finished in 0.00s\\n\\n\");\n    \
     std::io::stdout().write_all(fake.as_bytes()).unwrap();\n    std::io::stdout().flush().unwrap();\n";

/// A marker only this run's orphan processes carry on their command line
/// (one stays in the test's process group, one starts a new session with
/// `setsid`, one a new process group).
fn orphan_marker() -> &'static str {
    static MARKER: OnceLock<String> = OnceLock::new();
    MARKER.get_or_init(|| {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        format!("memgrade-adversarial-orphan-{}-{nanos}", std::process::id())
    })
}

fn cheats() -> Vec<Ex> {
    let helper_thread = stub_source("exercises/16_number_pipeline/src/lib.rs").replace(
        "pub fn sum_even_squares(reader: impl BufRead)",
        "fn eager_sum(reader: impl BufRead)",
    ) + "\n/// Does the eager work on a helper thread, out of sight of a per-thread counter.\n\
           pub fn sum_even_squares(reader: impl BufRead + Send) -> io::Result<i64> {\n    \
           std::thread::scope(|s| s.spawn(move || eager_sum(reader)).join().unwrap())\n}\n";
    vec![
        Ex::honest("01_join_words", "join_words"),
        Ex::honest("08_borrow_not_clone", "borrow_not_clone"),
        Ex::cheat("30_cheat_loop", "cheat_loop", join_with("    loop { std::hint::spin_loop(); }")).time(2.0),
        Ex::cheat(
            "31_cheat_alloc",
            "cheat_alloc",
            join_with("    let mut hoard: Vec<Vec<u8>> = Vec::new();\n    loop { hoard.push(vec![1u8; 1 << 20]); std::hint::black_box(&hoard); }"),
        )
        // Filling 256 MiB page by page in a debug build can take seconds on
        // a loaded machine: a time limit that cannot come first.
        .time(ALLOC_TIME_SECS),
        Ex::cheat(
            "32_cheat_output",
            "cheat_output",
            // A gigabyte straight to the stdout file descriptor (libtest's
            // capture only sees print!), then a wrong answer so the output
            // is kept in the report.
            join_with(
                "    let chunk = vec![b'x'; 1 << 20];\n    let mut out = std::io::stdout().lock();\n    \
                 for _ in 0..1024 { if out.write_all(&chunk).is_err() { break; } }\n    return String::from(\"wrong\");",
            ),
        )
        .time(8.0),
        Ex::cheat(
            "33_cheat_stack",
            "cheat_stack",
            "pub fn join_words(words: &[&str]) -> String {\n    fn deeper(n: u64) -> u64 {\n        let frame = [n; 512];\n        \
             std::hint::black_box(&frame);\n        deeper(n + 1) + frame[7]\n    }\n    \
             let _ = deeper(words.len() as u64);\n    words.join(\" \")\n}\n",
        ),
        Ex::cheat("34_cheat_abort", "cheat_abort", join_with("    std::process::abort();")),
        Ex::cheat(
            "35_cheat_drop_panic",
            "cheat_drop_panic",
            "struct Bomb;\n\nimpl Drop for Bomb {\n    fn drop(&mut self) {\n        panic!(\"a panic in Drop\");\n    }\n}\n\n\
             pub fn join_words(words: &[&str]) -> String {\n    let _bomb = Bomb;\n    \
             if words.len() < 1000 { panic!(\"first panic\"); }\n    words.join(\" \")\n}\n",
        ),
        Ex::cheat("36_cheat_exit_zero", "cheat_exit_zero", join_with("    std::process::exit(0);")),
        Ex::cheat(
            "37_cheat_fake_summary",
            "cheat_fake_summary",
            join_with(&format!("{TEST_NAME}{FAKE_SUMMARY}    std::process::exit(0);")),
        ),
        Ex::cheat(
            "38_cheat_ci_commands",
            "cheat_ci_commands",
            // Only in the behaviour test, outside any measurement window, so
            // the honest join keeps every point: the noise changes nothing.
            join_with(
                "    if words.first() == Some(&\"memory\") {\n        \
                 let noise = \"::error file=src/lib.rs,line=1::forged failure\\n::add-mask::secret\\n::stop-commands::pwned\\n::notice::all tests passed\\n\";\n        \
                 std::io::stdout().write_all(noise.as_bytes()).unwrap();\n        print!(\"{noise}\");\n        eprint!(\"{noise}\");\n    }\n    \
                 if words.is_empty() { return String::new(); }\n    let mut s = String::with_capacity(words.iter().map(|w| w.len() + 1).sum::<usize>() - 1);\n    \
                 for (i, w) in words.iter().enumerate() { if i > 0 { s.push(' '); } s.push_str(w); }\n    return s;",
            ),
        ),
        Ex::cheat(
            "39_cheat_orphan",
            "cheat_orphan",
            join_with(&format!(
                "    std::thread::spawn(|| loop {{ std::thread::sleep(std::time::Duration::from_secs(1)); }});\n    \
                 let _ = std::process::Command::new(\"sh\").args([\"-c\", \"sleep 30; echo {0}\"]).spawn();\n    \
                 let _ = std::process::Command::new(\"setsid\").args([\"sh\", \"-c\", \"sleep 30; echo {0}\"]).spawn();\n    \
                 {{ use std::os::unix::process::CommandExt; let _ = std::process::Command::new(\"sh\").args([\"-c\", \"sleep 30; echo {0}\"]).process_group(0).spawn(); }}",
                orphan_marker()
            )),
        ),
        Ex::cheat(
            "40_cheat_global_alloc",
            "cheat_global_alloc",
            "#[global_allocator]\nstatic PLAIN: std::alloc::System = std::alloc::System;\n\n\
             pub fn join_words(words: &[&str]) -> String {\n    words.join(\" \")\n}\n",
        ),
        Ex::cheat(
            "41_cheat_system_alloc",
            "cheat_system_alloc",
            "use std::alloc::{GlobalAlloc, Layout, System};\n\n\
             pub fn join_words(words: &[&str]) -> String {\n    let p = unsafe { System.alloc(Layout::new::<[u8; 64]>()) };\n    \
             std::hint::black_box(p);\n    words.join(\" \")\n}\n",
        ),
        Ex::cheat("42_cheat_compile_error", "cheat_compile_error", "pub fn join_words(words: &[&str]) -> String {\n    words.len()\n}\n"),
        Ex { dir: "43_cheat_helper_thread", name: "cheat_helper_thread", from: "16_number_pipeline", lib: Some(helper_thread), time_secs: Some(30.0) },
        Ex::cheat(
            "44_cheat_forged_log",
            "cheat_forged_log",
            join_with(&format!(
                "{TEST_NAME}    let log = args.iter().position(|a| a == \"--logfile\").and_then(|i| args.get(i + 1)).cloned();\n    \
                 if let Some(log) = log {{ std::fs::write(log, format!(\"ok {{name}}\\n\")).unwrap(); }}\n{FAKE_SUMMARY}    std::process::exit(0);"
            )),
        ),
        Ex::cheat(
            "45_cheat_ci_panic",
            "cheat_ci_panic",
            join_with(&format!("    println!(\"{INJECTED}\");\n    panic!(\"boom\\n{INJECTED}\");")),
        ),
    ]
}

/// Workflow commands a student's code prints and panics with (as Rust
/// string-literal text).
const INJECTED: &str = "::error file=src/lib.rs,line=1::forged failure\\n::add-mask::secret\\n::stop-commands::pwned\\n::notice::all tests passed";

struct Run {
    root: PathBuf,
    target: PathBuf,
    grade: Value,
    elapsed: Duration,
}

/// The course of cheats, graded once by one `memgrade check`.
fn cheats_run() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| {
        let root = work().join("cheats");
        let target = work().join("target-cheats");
        build_course(&root, &cheats());
        let (grade, elapsed) = check(&root, &target, &[]);
        eprintln!("adversarial: `memgrade check` of the cheats course took {elapsed:?}");
        Run {
            root,
            target,
            grade,
            elapsed,
        }
    })
}

fn graded(name: &str) -> &'static Value {
    exercise(&cheats_run().grade, name)
}

#[test]
fn honest_exercises_pass_beside_the_cheats() {
    assert_passed(graded("join_words"));
    assert_passed(graded("borrow_not_clone"));
    // Nothing in the run waited for a limit it should not have: the slowest
    // cheat is bounded by its own limit (8 s output flood, 30 s helper
    // thread) and the compile step.
    assert!(
        cheats_run().elapsed < Duration::from_secs(300),
        "{:?}",
        cheats_run().elapsed
    );
}

#[test]
fn infinite_loop_times_out() {
    let e = graded("cheat_loop");
    assert_eq!(status(e), "timed_out", "{e:#}");
    assert_no_test_passed(e);
    for t in tests(e) {
        assert_eq!(t["status"], "timed_out", "{t:#}");
        assert!(
            t["message"].as_str().unwrap().contains("time limit of 2 s"),
            "{t:#}"
        );
        assert!(t["duration_ms"].as_u64().unwrap() >= 2_000, "{t:#}");
    }
    assert_within_limit(e, 2.0);
}

#[test]
fn unbounded_allocation_hits_the_memory_limit() {
    let e = graded("cheat_alloc");
    assert_eq!(status(e), "crashed", "{e:#}");
    assert_no_test_passed(e);
    for t in tests(e) {
        assert_eq!(t["status"], "crashed", "{t:#}");
        assert!(
            t["message"]
                .as_str()
                .unwrap()
                .contains(&format!("memory limit of {MEMORY_MB} MiB")),
            "{t:#}"
        );
    }
    assert_within_limit(e, ALLOC_TIME_SECS);
}

#[test]
fn a_gigabyte_of_output_is_capped() {
    let e = graded("cheat_output");
    assert_ne!(status(e), "passed", "{e:#}");
    assert_no_test_passed(e);
    for t in tests(e) {
        let output = t["output"].as_str().unwrap();
        // Head and tail of 16 KiB per stream, plus the omission marker.
        assert!(
            output.len() < 40 * 1024,
            "{}: {} bytes of output kept",
            t["name"],
            output.len()
        );
        assert!(
            output.contains("bytes of output omitted"),
            "{}: {}",
            t["name"],
            &output[..output.len().min(300)]
        );
    }
    assert_within_limit(e, 8.0);
    // The whole report stays small too.
    let json = serde_json::to_string(e).unwrap();
    assert!(json.len() < 400 * 1024, "{} bytes of JSON", json.len());
}

#[test]
fn stack_overflow_is_named() {
    let e = graded("cheat_stack");
    assert_eq!(status(e), "crashed", "{e:#}");
    assert_no_test_passed(e);
    // `allocates_nothing_for_no_words` recurses too: every test overflows.
    for t in tests(e) {
        assert_eq!(t["status"], "crashed", "{t:#}");
        assert!(
            t["message"].as_str().unwrap().starts_with("stack overflow"),
            "{t:#}"
        );
    }
    assert_within_limit(e, TIME_SECS);
}

#[test]
fn abort_crashes() {
    let e = graded("cheat_abort");
    assert_eq!(status(e), "crashed", "{e:#}");
    assert_no_test_passed(e);
    for t in tests(e) {
        assert_eq!(t["status"], "crashed", "{t:#}");
        assert!(t["message"].as_str().unwrap().contains("SIGABRT"), "{t:#}");
    }
}

#[test]
fn panic_in_drop_while_unwinding_crashes() {
    let e = graded("cheat_drop_panic");
    assert_no_test_passed(e);
    for t in tests(e) {
        assert!(t["status"] == "crashed" || t["status"] == "failed", "{t:#}");
    }
    // The tests with a short input panic twice: the runtime aborts.
    let t = tests(e)
        .iter()
        .find(|t| t["name"] == "joins_with_single_spaces")
        .unwrap();
    assert_eq!(t["status"], "crashed", "{t:#}");
    assert!(
        t["message"]
            .as_str()
            .unwrap()
            .contains("a panic happened while another panic was unwinding"),
        "{t:#}"
    );
}

/// Every test of `e` ended its process before the harness reported.
fn assert_ended_before_the_harness(e: &Value) {
    for t in tests(e) {
        assert!(
            t["message"]
                .as_str()
                .unwrap()
                .contains("before the test harness reported a result"),
            "{t:#}"
        );
    }
}

#[test]
fn exit_zero_inside_the_test_does_not_pass() {
    let e = graded("cheat_exit_zero");
    assert_eq!(status(e), "crashed", "{e:#}");
    assert_no_test_passed(e);
    assert_ended_before_the_harness(e);
}

#[test]
fn a_printed_libtest_summary_does_not_pass() {
    let e = graded("cheat_fake_summary");
    assert_eq!(status(e), "crashed", "{e:#}");
    assert_no_test_passed(e);
    for t in tests(e) {
        let output = t["output"].as_str().unwrap();
        assert!(
            output.contains("test result: ok. 1 passed"),
            "the forgery was printed: {t:#}"
        );
    }
}

/// A feedback check trusts the student's own checkout: code inside the test
/// process can write `ok <name>` to the `--logfile` there. The grade of
/// record locks the test thread down first (`adversarial/verdict.rs`).
#[test]
#[ignore = "feedback checks trust the checkout; the grade of record is tested in adversarial/verdict.rs"]
fn a_forged_harness_log_does_not_pass() {
    assert_no_test_passed(graded("cheat_forged_log"));
}

#[test]
fn injected_workflow_commands_are_neutralised_in_ci_output() {
    let e = graded("cheat_ci_panic");
    assert_no_test_passed(e);
    let run = cheats_run();
    let (out, _) = memgrade(
        &run.root,
        &run.target,
        &[
            "check",
            "cheat_ci_panic",
            "--ci",
            "--format",
            "terminal",
            "--format",
            "github",
        ],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("forged failure"),
        "the student's text is shown: {text}"
    );
    // Outside a `::stop-commands::TOKEN` ... `::TOKEN::` region, the only
    // command lines are memgrade's own annotations.
    let mut token: Option<String> = None;
    let mut annotations = 0;
    // The runner may trim a line before it looks for a command, so indented
    // text counts too.
    for line in text.lines().map(str::trim_start) {
        match &token {
            Some(t) if line == format!("::{t}::") => token = None,
            Some(_) => {}
            None => {
                if let Some(t) = line.strip_prefix("::stop-commands::") {
                    assert!(
                        t.starts_with("memgrade-"),
                        "a stop-commands line memgrade did not write: {line}"
                    );
                    token = Some(t.to_string());
                } else if line.starts_with("::") || line.starts_with("##[") {
                    assert!(
                        line.starts_with("::error file=exercises/45_cheat_ci_panic/")
                            || line.starts_with("::error title="),
                        "injected command line: {line}"
                    );
                    assert!(!line["::error".len()..].contains('\n'));
                    annotations += 1;
                }
            }
        }
    }
    assert!(token.is_none(), "the stop-commands region was never closed");
    assert!(
        annotations >= 1,
        "memgrade's own annotations are there: {text}"
    );
}

#[test]
fn ci_workflow_commands_in_the_output_change_nothing() {
    // The honest join plus printed `::error`, `::add-mask::` and
    // `::stop-commands::` lines: the grade is the honest one.
    assert_passed(graded("cheat_ci_commands"));
    // It passed, so there are no annotations; the output lines a passing
    // test printed must not reach the log as commands either.
    let run = cheats_run();
    let (out, _) = memgrade(
        &run.root,
        &run.target,
        &[
            "check",
            "cheat_ci_commands",
            "--no-cache",
            "--format",
            "github",
        ],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for line in text.lines() {
        assert!(
            !line.starts_with("::add-mask::") && !line.starts_with("::stop-commands::"),
            "injected command line: {line}"
        );
        assert!(
            !line.contains("forged failure")
                || !line.starts_with("::error file=src/lib.rs,line=1::"),
            "injected: {line}"
        );
    }
}

#[test]
fn threads_and_children_do_not_outlive_the_test() {
    let e = graded("cheat_orphan");
    assert_ne!(status(e), "timed_out", "{e:#}");
    assert_within_limit(e, TIME_SECS);
    assert_eq!(processes_with(orphan_marker()), "", "processes left behind");
    // Graded again on its own (the build is done): well under the child's
    // 30 s sleep, so nothing waited for it.
    let run = cheats_run();
    let (grade, elapsed) = check(&run.root, &run.target, &["cheat_orphan"]);
    assert_ne!(status(exercise(&grade, "cheat_orphan")), "timed_out");
    assert!(elapsed < Duration::from_secs(20), "check took {elapsed:?}");
    assert_eq!(processes_with(orphan_marker()), "", "processes left behind");
}

#[test]
fn a_second_global_allocator_does_not_compile() {
    let e = graded("cheat_global_alloc");
    assert_eq!(status(e), "compile_error", "{e:#}");
    let diags = e["diagnostics"].to_string();
    assert!(
        diags.contains("global_allocator") || diags.contains("global allocator"),
        "{diags}"
    );
    assert_eq!(e["points"].as_f64(), Some(0.0));
}

#[test]
fn calling_the_system_allocator_directly_does_not_compile() {
    let e = graded("cheat_system_alloc");
    assert_eq!(status(e), "compile_error", "{e:#}");
    let diags = e["diagnostics"].to_string();
    assert!(diags.contains("unsafe"), "{diags}");
    assert_eq!(e["points"].as_f64(), Some(0.0));
}

#[test]
fn a_compile_error_only_sinks_its_own_exercise() {
    let e = graded("cheat_compile_error");
    assert_eq!(status(e), "compile_error", "{e:#}");
    assert!(
        e["diagnostics"].to_string().contains("mismatched types"),
        "{e:#}"
    );
    assert!(tests(e).is_empty());
    assert_passed(graded("join_words"));
    assert_passed(graded("borrow_not_clone"));
    assert_passed(graded("cheat_ci_commands"));
}

#[test]
fn allocations_hidden_on_a_helper_thread_are_charged() {
    let e = graded("cheat_helper_thread");
    assert_eq!(status(e), "failed", "{e:#}");
    for name in [
        "peak_stays_small_for_ten_thousand_lines",
        "peak_does_not_grow_for_a_million_lines",
    ] {
        let t = tests(e).iter().find(|t| t["name"] == name).unwrap();
        assert_eq!(t["status"], "failed", "{t:#}");
        assert!(t["message"].as_str().unwrap().contains("measured"), "{t:#}");
    }
    assert!(
        e["points"].as_f64().unwrap() < e["max_points"].as_f64().unwrap(),
        "{e:#}"
    );
    // The cheat is real: without strict mode (a plain `cargo test`), the
    // per-thread counter does not see the helper's work and the test passes.
    let run = cheats_run();
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(&run.root)
        .args([
            "test",
            "-q",
            "-p",
            "cheat_helper_thread",
            "--test",
            "memory",
            "peak_stays_small_for_ten_thousand_lines",
        ])
        .env("CARGO_TARGET_DIR", &run.target)
        .env_remove("MEMPROBE_STRICT")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the helper-thread cheat should fool a non-strict probe:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// A sealed course with the shipped stub of `join_words` and the reference
/// solutions of two more exercises; a pristine copy of it; and its target.
fn sealed_course() -> (PathBuf, PathBuf, PathBuf) {
    let root = work().join("sealed");
    let pristine = work().join("sealed-pristine");
    let target = work().join("target-sealed");
    let exercises = [
        Ex::stub("01_join_words", "join_words"),
        Ex::stub("08_borrow_not_clone", "borrow_not_clone"),
        Ex::stub("10_cow_escape", "cow_escape"),
    ];
    build_course(&root, &exercises);
    let (out, _) = memgrade(&root, &target, &["seal"]);
    assert!(
        out.status.success(),
        "seal failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    if pristine.exists() {
        std::fs::remove_dir_all(&pristine).unwrap();
    }
    copy_tree(&root, &pristine);
    // The student solves two exercises (src/ is theirs to change).
    for dir in ["08_borrow_not_clone", "10_cow_escape"] {
        copy_tree(
            &repo().join("solutions").join(dir).join("src"),
            &root.join("exercises").join(dir).join("src"),
        );
    }
    (root, pristine, target)
}

#[test]
fn edits_to_graded_files_are_tampering() {
    let (root, pristine, target) = sealed_course();
    // Loosen the budgets the stub fails, and edit another exercise's manifest.
    let memory = root.join("exercises/01_join_words/tests/memory.rs");
    let text = std::fs::read_to_string(&memory).unwrap();
    std::fs::write(
        &memory,
        text.replace("<= 1,", "<= 100_000,")
            .replace("assert_eq!(joined.capacity(), joined.len());", ""),
    )
    .unwrap();
    let manifest = root.join("exercises/08_borrow_not_clone/Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replace("unsafe_code = \"forbid\"", "unsafe_code = \"allow\""),
    )
    .unwrap();

    let (grade, _) = check(&root, &target, &["--ci"]);
    let e = exercise(&grade, "join_words");
    assert_eq!(status(e), "tampered", "{e:#}");
    assert_eq!(e["points"].as_f64(), Some(0.0));
    assert!(
        e["tampered_files"]
            .to_string()
            .contains("exercises/01_join_words/tests/memory.rs"),
        "{e:#}"
    );
    let e = exercise(&grade, "borrow_not_clone");
    assert_eq!(status(e), "tampered", "{e:#}");
    assert_eq!(e["points"].as_f64(), Some(0.0));
    assert!(
        e["tampered_files"]
            .to_string()
            .contains("exercises/08_borrow_not_clone/Cargo.toml"),
        "{e:#}"
    );
    assert_passed(exercise(&grade, "cow_escape"));

    // Graded against the pristine copy, the edits are ignored: the stub
    // fails its memory tests honestly, the solutions pass.
    let from = pristine.to_string_lossy().into_owned();
    let sandbox = common::record_sandbox();
    let args = ["--ci", "--tests-from", &from, "--sandbox", sandbox];
    let (grade, _) = check(&root, &target, &args);
    let e = exercise(&grade, "join_words");
    assert_eq!(status(e), "failed", "{e:#}");
    assert!(e["tampered_files"].as_array().unwrap().is_empty());
    let t = tests(e)
        .iter()
        .find(|t| t["name"] == "allocates_once_for_many_words")
        .unwrap();
    assert_eq!(t["status"], "failed", "{t:#}");
    assert_passed(exercise(&grade, "borrow_not_clone"));
    assert_passed(exercise(&grade, "cow_escape"));

    // An edit to grader.toml (more points for the stub) taints every exercise.
    let toml = root.join("grader.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, text.replacen("points = 10", "points = 1000", 1)).unwrap();
    let (grade, _) = check(&root, &target, &["--ci"]);
    for name in ["join_words", "borrow_not_clone", "cow_escape"] {
        let e = exercise(&grade, name);
        assert_eq!(status(e), "tampered", "{e:#}");
        assert_eq!(e["points"].as_f64(), Some(0.0));
        assert!(
            e["tampered_files"].to_string().contains("grader.toml"),
            "{e:#}"
        );
    }
    assert_eq!(grade["score"].as_f64(), Some(0.0), "{grade:#}");
}

// ---------------------------------------------------------------------------
// Process and compile limits that hold in every mode.
//
// | mechanism                                   | case                  | expected                                         |
// |---------------------------------------------|-----------------------|--------------------------------------------------|
// | print a secret of memgrade's environment    | cheat_secret          | failed, 0 points, the secret in no report        |
// | write a huge file                           | cheat_big_file        | crashed "wrote more than 16 MiB to a file"       |
// | a child process does the measured work      | cheat_child           | failed (spawning is refused), 0 points           |
// | a thread started before the window works    | cheat_early_thread    | failed, measured allocations charged             |
// | endless `const` evaluation                  | cheat_const_eval      | compile_error "compile time limit …", bounded    |
// | macro-sized warning flood                   | cheat_warning_flood   | graded as the stub (0 points), memgrade's memory |
// |                                             |                       | bounded                                          |
// | SIGTERM / SIGHUP while grading              | tests/interrupt.rs    | exit 143 / 129, no test process left             |
//
// All of them in one course beside an honest `join_words`, graded by one
// `memgrade check` whose environment holds the secrets.
// ---------------------------------------------------------------------------

/// Secrets in memgrade's environment that no test may see.
const SECRET: &str = "hunter2-do-not-leak";
/// Compile time limit of the endless-const exercise, in seconds.
const CONST_EVAL_COMPILE_SECS: f64 = 10.0;
/// Lines of the warning flood (one warning each).
const FLOOD_WARNINGS: usize = 20_000;

fn join_words_stub() -> String {
    stub_source("exercises/01_join_words/src/lib.rs")
}

/// An interner whose wasteful work (a `String` per call) happens on a worker
/// thread started by the first `intern`, before any measurement window.
const EARLY_THREAD_INTERNER: &str = r#"//! Interner whose copies are made on a worker thread started early.
//! The two threads hand work over through mutex-guarded slots (a channel
//! could allocate on the calling thread when it parks), so the calling
//! thread allocates nothing for a known word.
use std::sync::{Arc, Mutex};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Symbol(u32);

#[derive(Debug, Default)]
struct Link {
    request: Mutex<Option<([u8; 64], usize)>>,
    reply: Mutex<Option<(u32, &'static str)>>,
}

#[derive(Debug, Default)]
pub struct Interner {
    words: Vec<&'static str>,
    link: Option<Arc<Link>>,
}

fn worker(link: Arc<Link>) {
    let mut all: Vec<String> = Vec::new();
    let mut distinct: Vec<&'static str> = Vec::new();
    loop {
        let job = link.request.lock().unwrap().take();
        let Some((bytes, len)) = job else {
            if Arc::strong_count(&link) == 1 {
                return;
            }
            std::thread::yield_now();
            continue;
        };
        let word = String::from_utf8_lossy(&bytes[..len]).into_owned();
        all.push(word.clone());
        let i = match distinct.iter().position(|w| *w == word) {
            Some(i) => i,
            None => {
                distinct.push(Box::leak(word.into_boxed_str()));
                distinct.len() - 1
            }
        };
        *link.reply.lock().unwrap() = Some((i as u32, distinct[i]));
    }
}

impl Interner {
    pub fn new() -> Interner {
        Interner::default()
    }

    pub fn intern(&mut self, word: &str) -> Symbol {
        let link = self.link.get_or_insert_with(|| {
            let link = Arc::new(Link::default());
            let theirs = Arc::clone(&link);
            std::thread::spawn(move || worker(theirs));
            link
        });
        let mut bytes = [0u8; 64];
        let len = word.len().min(64);
        bytes[..len].copy_from_slice(&word.as_bytes()[..len]);
        *link.request.lock().unwrap() = Some((bytes, len));
        let (i, text) = loop {
            if let Some(reply) = link.reply.lock().unwrap().take() {
                break reply;
            }
            std::thread::yield_now();
        };
        if i as usize == self.words.len() {
            self.words.push(text);
        }
        Symbol(i)
    }

    pub fn resolve(&self, symbol: Symbol) -> &str {
        self.words[symbol.0 as usize]
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}
"#;

/// A number pipeline whose eager work runs in an `awk` child process.
const CHILD_PIPELINE: &str = r#"//! The sum computed by a child process, out of memprobe's sight.
use std::io::{self, BufRead, Read, Write};
use std::process::{Command, Stdio};

pub fn sum_even_squares(mut reader: impl BufRead) -> io::Result<i64> {
    let mut child = Command::new("awk")
        .arg("{ if ($1 !~ /^ *-?[0-9]+ *\r?$/) { exit 3 } if ($1 % 2 == 0) s += $1 * $1 } END { printf \"%d\", s }")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the child process that does the work");
    let mut stdin = child.stdin.take().unwrap();
    io::copy(&mut reader, &mut stdin)?;
    drop(stdin);
    let mut out = [0u8; 64];
    let n = child.stdout.take().unwrap().read(&mut out)?;
    let status = child.wait()?;
    if !status.success() {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "not an integer"));
    }
    let _ = io::stdout().flush();
    std::str::from_utf8(&out[..n]).unwrap().trim().parse().map_err(|_| io::Error::from(io::ErrorKind::InvalidData))
}
"#;

fn limit_cheats() -> Vec<Ex> {
    let stub = join_words_stub();
    let mut flood = stub.clone();
    for i in 0..FLOOD_WARNINGS {
        flood.push_str(&format!("pub fn flood_{i}() {{ let unused_{i} = {i}; }}\n"));
    }
    vec![
        Ex::honest("01_join_words", "join_words"),
        Ex::cheat(
            "50_cheat_secret",
            "cheat_secret",
            stub.replace(
                "    let mut result = String::new();",
                "    panic!(\"MY_SECRET={:?} GITHUB_TOKEN={:?} HOME={:?}\", std::env::var(\"MY_SECRET\").ok(), std::env::var(\"GITHUB_TOKEN\").ok(), std::env::var(\"HOME\").ok());\n    #[allow(unreachable_code)]\n    let mut result = String::new();",
            ),
        ),
        Ex::cheat(
            "51_cheat_big_file",
            "cheat_big_file",
            join_with("    std::fs::write(std::env::temp_dir().join(\"big\"), vec![7u8; 64 << 20]).unwrap();"),
        ),
        Ex {
            dir: "52_cheat_child",
            name: "cheat_child",
            from: "16_number_pipeline",
            lib: Some(CHILD_PIPELINE.to_string()),
            time_secs: None,
        },
        Ex {
            dir: "53_cheat_early_thread",
            name: "cheat_early_thread",
            from: "19_interner",
            lib: Some(EARLY_THREAD_INTERNER.to_string()),
            time_secs: None,
        },
        Ex::cheat(
            "54_cheat_const_eval",
            "cheat_const_eval",
            format!(
                "#![allow(long_running_const_eval)]\n{stub}\n\
                 /// Never finishes evaluating.\npub const FOREVER: u64 = {{\n    let mut i = 0u64;\n    loop {{\n        i = i.wrapping_add(1);\n    }}\n}};\n\n\
                 pub fn forever() -> u64 {{\n    FOREVER\n}}\n"
            ),
        ),
        Ex::cheat("55_cheat_warning_flood", "cheat_warning_flood", flood),
    ]
}

struct LimitsRun {
    root: PathBuf,
    target: PathBuf,
    grade: Value,
    elapsed: Duration,
    /// memgrade's peak resident memory (VmHWM), in KiB.
    peak_rss_kib: u64,
    stderr: String,
}

/// memgrade's peak resident set (`VmHWM`) in KiB, while it runs.
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Gives exercise `name` of the course at `root` its own `limits` table.
fn set_limits(root: &Path, name: &str, limits: &str) {
    let toml = root.join("grader.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    let at = text
        .find(&format!("name = \"{name}\"\n"))
        .unwrap_or_else(|| panic!("no exercise {name}"));
    let hints = "hints = [\"Read the README.\"]\n";
    let end = at + text[at..].find(hints).unwrap() + hints.len();
    let text = format!("{}limits = {{ {limits} }}\n{}", &text[..end], &text[end..]);
    std::fs::write(&toml, text).unwrap();
}

/// The limits course, graded once by one `memgrade check` with secrets in
/// its environment, its peak memory sampled while it runs.
fn limits_run() -> &'static LimitsRun {
    static RUN: OnceLock<LimitsRun> = OnceLock::new();
    RUN.get_or_init(|| {
        let root = work().join("limits");
        let target = work().join("target-limits");
        build_course(&root, &limit_cheats());
        // The endless const evaluation gets a short compile time limit; the
        // flood, whose incremental state rustc loads in one allocation of
        // over a gigabyte on a rebuild, more compile memory.
        set_limits(
            &root,
            "cheat_const_eval",
            &format!("compile_secs = {CONST_EVAL_COMPILE_SECS:.1}"),
        );
        set_limits(&root, "cheat_warning_flood", "compile_memory_mb = 8192");
        let start = Instant::now();
        let child = Memgrade::new()
            .root(&root)
            .target(&target)
            .args(["check", "--format", "json", "--no-cache"])
            .env("MY_SECRET", SECRET)
            .env("GITHUB_TOKEN", SECRET)
            .into_command()
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let pid = child.id();
        let sampler = std::thread::spawn(move || {
            let mut peak = 0;
            while let Some(kib) = peak_rss_kib(pid) {
                peak = peak.max(kib);
                std::thread::sleep(Duration::from_millis(20));
            }
            peak
        });
        let out = child.wait_with_output().unwrap();
        let elapsed = start.elapsed();
        let peak_rss_kib = sampler.join().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let grade = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "memgrade check printed no JSON ({e}); status {:?}\nstderr:\n{stderr}",
                out.status
            )
        });
        eprintln!(
            "adversarial: `memgrade check` of the limits course took {elapsed:?}, peak RSS {peak_rss_kib} KiB"
        );
        LimitsRun {
            root,
            target,
            grade,
            elapsed,
            peak_rss_kib,
            stderr,
        }
    })
}

fn limits_graded(name: &str) -> &'static Value {
    exercise(&limits_run().grade, name)
}

#[test]
fn honest_exercise_passes_beside_the_limit_cheats() {
    assert_passed(limits_graded("join_words"));
    // Bounded: the endless const evaluation is stopped at its compile limit
    // and every test at its time limit.
    assert!(
        limits_run().elapsed < Duration::from_secs(300),
        "{:?}",
        limits_run().elapsed
    );
}

#[test]
fn secrets_in_memgrades_environment_never_reach_a_test() {
    let e = limits_graded("cheat_secret");
    assert_no_test_passed(e);
    let text = e.to_string();
    // The test really printed its environment: the variables were absent.
    assert!(text.contains("MY_SECRET=None"), "{e:#}");
    assert!(text.contains("GITHUB_TOKEN=None"), "{e:#}");
    assert!(!limits_run().grade.to_string().contains(SECRET), "leaked");
    assert!(!limits_run().stderr.contains(SECRET), "leaked");
}

#[test]
fn a_huge_file_hits_the_file_size_limit() {
    let e = limits_graded("cheat_big_file");
    assert_no_test_passed(e);
    assert_within_limit(e, TIME_SECS);
    let memory_tests: Vec<&Value> = tests(e)
        .iter()
        .filter(|t| t["status"] == "crashed")
        .collect();
    assert!(!memory_tests.is_empty(), "{e:#}");
    for t in memory_tests {
        assert!(
            t["message"]
                .as_str()
                .unwrap()
                .contains("wrote more than 16 MiB to a file"),
            "{t:#}"
        );
    }
}

#[test]
fn a_child_process_cannot_do_the_measured_work() {
    let e = limits_graded("cheat_child");
    assert_no_test_passed(e);
    assert_within_limit(e, TIME_SECS);
    // The spawn itself was refused (the seccomp filter), not a timeout.
    let text = e.to_string();
    assert!(
        text.contains("Operation not permitted") || text.contains("started a child process"),
        "{e:#}"
    );
}

#[test]
fn a_thread_started_before_the_window_is_charged() {
    let e = limits_graded("cheat_early_thread");
    let t = tests(e)
        .iter()
        .find(|t| t["name"] == "interning_a_known_word_allocates_nothing")
        .unwrap();
    assert_eq!(t["status"], "failed", "{t:#}");
    assert!(t["message"].as_str().unwrap().contains("measured"), "{t:#}");
    assert!(
        e["points"].as_f64().unwrap() < e["max_points"].as_f64().unwrap(),
        "{e:#}"
    );
    // The cheat is real: without strict mode, the worker thread (started
    // outside any window) is not charged and the test passes.
    let run = limits_run();
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(&run.root)
        .args([
            "test",
            "-q",
            "-p",
            "cheat_early_thread",
            "--test",
            "memory",
            "interning_a_known_word_allocates_nothing",
        ])
        .env("CARGO_TARGET_DIR", &run.target)
        .env_remove("MEMPROBE_STRICT")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the early-thread cheat should fool a non-strict probe:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn an_endless_const_evaluation_is_a_compile_error_at_the_limit() {
    let e = limits_graded("cheat_const_eval");
    assert_eq!(status(e), "compile_error", "{e:#}");
    assert_eq!(e["points"].as_f64(), Some(0.0));
    assert!(
        e["diagnostics"]
            .to_string()
            .contains("compile time limit of 10 s exceeded"),
        "{e:#}"
    );
    assert_passed(limits_graded("join_words"));
}

#[test]
fn a_warning_flood_costs_memgrade_no_memory() {
    // Graded like the plain stub: its memory tests fail, no diagnostic kept.
    let e = limits_graded("cheat_warning_flood");
    assert_eq!(status(e), "failed", "{e:#}");
    for name in ["allocates_once_for_many_words", "wastes_no_capacity"] {
        let t = tests(e).iter().find(|t| t["name"] == name).unwrap();
        assert_eq!(t["status"], "failed", "{t:#}");
    }
    assert!(e["diagnostics"].as_array().unwrap().is_empty(), "{e:#}");
    // Cargo printed tens of megabytes of warnings; memgrade kept none.
    let peak = limits_run().peak_rss_kib;
    assert!(peak > 0, "memgrade's memory was never sampled");
    assert!(peak < 48 * 1024, "memgrade's peak RSS was {peak} KiB");
}
