//! The compile step: ONE `cargo build --tests --keep-going
//! --message-format=json` over every planned exercise crate, so cargo
//! parallelises and shares one target directory, and one exercise that does
//! not compile never hides the others.
//!
//! Every rustc process runs under the exercise's compile limits (time and
//! memory), with memgrade as its own rustc wrapper
//! ([`crate::process::rustc_wrapper`]). Cargo's output is read as a stream, line by
//! line, keeping at most [`MAX_DIAGNOSTICS`] errors (and
//! [`MAX_DIAGNOSTIC_BYTES`] of their text) per crate, and at most
//! [`MAX_WARNINGS`] warnings about the exercise's own `src/` (the rest are
//! counted as they come, so a flood of them costs no memory).
//!
//! Cargo builds an exercise's library twice (as a library and as its unit
//! test target), and rustc reports the same problems in both: a diagnostic
//! whose rendered text was already kept for the crate is dropped, and so is
//! rustc's closing "aborting due to …" line. An error with an explained code
//! keeps rustc's `rustc --explain` line.

use serde::Deserialize;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::Stdio;

use anyhow::{Context, Result};

use crate::course::Limits;
use crate::pipeline::grade::{Diagnostic, Location};
use crate::process::child::{Captured, Interrupted, interrupted, spawn_registered};
use crate::process::rustc_wrapper::{self, CompileLimit};

/// Errors kept per crate; the rest are counted.
pub const MAX_DIAGNOSTICS: usize = 50;
/// Bytes of rendered error text kept per crate; the rest are counted.
pub const MAX_DIAGNOSTIC_BYTES: usize = 256 * 1024;
/// Warnings about the exercise's `src/` kept per crate; the rest are counted.
pub const MAX_WARNINGS: usize = 20;
/// Bytes of rendered warning text kept per crate.
pub const MAX_WARNING_BYTES: usize = 64 * 1024;
/// A line of cargo's output longer than this is skipped (and counted when it
/// belongs to a crate).
const MAX_LINE_BYTES: usize = 4 << 20;
/// Bytes of cargo's stderr kept (head and tail).
const STDERR_CAP: usize = 64 * 1024;

/// One test binary (an integration-test target) of an exercise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestBinary {
    /// The target's name (the file stem under `tests/`).
    pub suite: String,
    /// The executable cargo built.
    pub path: PathBuf,
}

/// What the build produced for one exercise.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExerciseBuild {
    /// Its integration-test binaries, sorted by suite.
    pub binaries: Vec<TestBinary>,
    /// Compiler errors in it.
    pub errors: Vec<Diagnostic>,
    /// Compiler warnings about its `src/` (each once), and a last entry
    /// counting those not kept.
    pub warnings: Vec<Diagnostic>,
}

/// A crate to build: its package name and directory (absolute, inside the
/// workspace being built).
#[derive(Debug, Clone)]
pub struct Crate {
    /// Exercise name, the package name.
    pub name: String,
    /// Directory of the crate in the build workspace.
    pub dir: PathBuf,
    /// Directory relative to the workspace root, used for locations.
    pub rel_dir: PathBuf,
    /// Its limits; the compile limits apply to each rustc process of it.
    pub limits: Limits,
}

#[derive(Deserialize)]
struct Message {
    reason: String,
    #[serde(default)]
    manifest_path: Option<PathBuf>,
    #[serde(default)]
    target: Option<Target>,
    #[serde(default)]
    profile: Option<Profile>,
    #[serde(default)]
    executable: Option<PathBuf>,
    #[serde(default)]
    message: Option<CompilerMessage>,
}

#[derive(Deserialize)]
struct Target {
    name: String,
    kind: Vec<String>,
}

#[derive(Deserialize)]
struct Profile {
    test: bool,
}

#[derive(Deserialize)]
struct CompilerMessage {
    message: String,
    level: String,
    #[serde(default)]
    rendered: Option<String>,
    #[serde(default)]
    spans: Vec<Span>,
    #[serde(default)]
    code: Option<Code>,
}

#[derive(Deserialize)]
struct Code {
    code: String,
    #[serde(default)]
    explanation: Option<String>,
}

#[derive(Deserialize)]
struct Span {
    file_name: String,
    line_start: u32,
    is_primary: bool,
}

/// Per-crate results gathered from cargo's JSON messages, one line at a
/// time, with the errors kept per crate capped.
pub struct Collector<'a> {
    crates: &'a [Crate],
    builds: BTreeMap<String, ExerciseBuild>,
    kept_bytes: BTreeMap<String, usize>,
    omitted: BTreeMap<String, usize>,
    warning_bytes: BTreeMap<String, usize>,
    warnings_omitted: BTreeMap<String, usize>,
}

impl<'a> Collector<'a> {
    /// An empty collector for `crates`.
    pub fn new(crates: &'a [Crate]) -> Collector<'a> {
        Collector {
            crates,
            builds: crates
                .iter()
                .map(|c| (c.name.clone(), ExerciseBuild::default()))
                .collect(),
            kept_bytes: BTreeMap::new(),
            omitted: BTreeMap::new(),
            warning_bytes: BTreeMap::new(),
            warnings_omitted: BTreeMap::new(),
        }
    }

    fn crate_of(&self, manifest: &Path) -> Option<&'a Crate> {
        self.crates
            .iter()
            .find(|c| manifest.parent() == Some(c.dir.as_path()))
    }

    /// Counts an error of `krate` that is not kept.
    fn omit(&mut self, krate: &str) {
        *self.omitted.entry(krate.to_string()).or_default() += 1;
    }

    /// Takes one line of cargo's output. Lines that are not JSON (cargo may
    /// print other text) are ignored.
    pub fn line(&mut self, line: &str) {
        let Ok(msg) = serde_json::from_str::<Message>(line) else {
            return;
        };
        let Some(manifest) = &msg.manifest_path else {
            return;
        };
        let Some(krate) = self.crate_of(manifest) else {
            return;
        };
        match msg.reason.as_str() {
            "compiler-artifact" => {
                let (Some(target), Some(profile), Some(exe)) =
                    (&msg.target, &msg.profile, &msg.executable)
                else {
                    return;
                };
                if profile.test && target.kind.iter().any(|k| k == "test") {
                    let entry = self.builds.entry(krate.name.clone()).or_default();
                    entry.binaries.push(TestBinary {
                        suite: target.name.clone(),
                        path: exe.clone(),
                    });
                }
            }
            "compiler-message" => {
                let Some(m) = msg.message else { return };
                if m.level == "warning" {
                    self.warning(krate, m);
                    return;
                }
                if m.level != "error" && m.level != "error: internal compiler error" {
                    return;
                }
                let entry = self.builds.entry(krate.name.clone()).or_default();
                if m.message.starts_with("aborting due to") && !entry.errors.is_empty() {
                    return;
                }
                let mut rendered = m.rendered.unwrap_or_else(|| m.message.clone());
                if entry
                    .errors
                    .iter()
                    .any(|d| d.message == m.message && d.rendered.starts_with(rendered.trim_end()))
                {
                    // The same error from the library's other build.
                    return;
                }
                if let Some(code) = m.code.as_ref().filter(|c| c.explanation.is_some()) {
                    rendered = format!(
                        "{}\nFor more information about this error, try `rustc --explain {}`.\n",
                        rendered.trim_end(),
                        code.code
                    );
                }
                let kept = self.kept_bytes.entry(krate.name.clone()).or_default();
                if entry.errors.len() >= MAX_DIAGNOSTICS
                    || *kept + rendered.len() > MAX_DIAGNOSTIC_BYTES
                {
                    self.omit(&krate.name);
                    return;
                }
                *kept += rendered.len();
                let location = m.spans.iter().find(|s| s.is_primary).map(|s| Location {
                    file: s.file_name.clone(),
                    line: s.line_start,
                });
                entry.errors.push(Diagnostic {
                    message: m.message,
                    rendered,
                    location,
                });
            }
            _ => {}
        }
    }

    /// Keeps a warning about the crate's own `src/` (once; capped).
    fn warning(&mut self, krate: &Crate, m: CompilerMessage) {
        let src = format!(
            "{}/src/",
            krate.rel_dir.to_string_lossy().trim_end_matches('/')
        );
        let Some(primary) = m.spans.iter().find(|s| s.is_primary) else {
            return;
        };
        if !primary.file_name.starts_with(&src) {
            return;
        }
        let rendered = m.rendered.unwrap_or_else(|| m.message.clone());
        let entry = self.builds.entry(krate.name.clone()).or_default();
        if entry.warnings.iter().any(|d| d.rendered == rendered) {
            return;
        }
        let kept = self.warning_bytes.entry(krate.name.clone()).or_default();
        if entry.warnings.len() >= MAX_WARNINGS || *kept + rendered.len() > MAX_WARNING_BYTES {
            *self.warnings_omitted.entry(krate.name.clone()).or_default() += 1;
            return;
        }
        *kept += rendered.len();
        entry.warnings.push(Diagnostic {
            message: m.message,
            rendered,
            location: Some(Location {
                file: primary.file_name.clone(),
                line: primary.line_start,
            }),
        });
    }

    /// Takes a line too long to parse: when it names one of the crates (it
    /// can only be a diagnostic), it counts as an omitted error.
    fn overlong_line(&mut self, head: &[u8]) {
        let head = String::from_utf8_lossy(head);
        let krate = self.crates.iter().find(|c| {
            let manifest = c.dir.join("Cargo.toml");
            serde_json::to_string(&manifest.to_string_lossy())
                .is_ok_and(|quoted| head.contains(&format!("\"manifest_path\":{quoted}")))
        });
        if let Some(krate) = krate {
            self.omit(&krate.name);
        }
    }

    /// The per-crate results: binaries sorted by suite, and a last
    /// diagnostic counting the errors not kept.
    pub fn finish(mut self) -> BTreeMap<String, ExerciseBuild> {
        for (name, b) in self.builds.iter_mut() {
            b.binaries.sort_by(|a, b| a.suite.cmp(&b.suite));
            b.binaries.dedup();
            if let Some(&n) = self.omitted.get(name) {
                let message = if n == 1 {
                    "… 1 more error omitted".to_string()
                } else {
                    format!("… {n} more errors omitted")
                };
                b.errors.push(Diagnostic {
                    rendered: message.clone(),
                    message,
                    location: None,
                });
            }
            if let Some(&n) = self.warnings_omitted.get(name) {
                let message = format!(
                    "… {n} more warning{} omitted",
                    if n == 1 { "" } else { "s" }
                );
                b.warnings.push(Diagnostic {
                    rendered: message.clone(),
                    message,
                    location: None,
                });
            }
        }
        self.builds
    }
}

/// Parses cargo's JSON message stream into per-crate results. Lines that are
/// not JSON (cargo may print other text) are ignored. (The compile step
/// streams into the same collector; this is its whole-text form for tests.)
#[cfg(test)]
pub fn parse_messages(stdout: &str, crates: &[Crate]) -> BTreeMap<String, ExerciseBuild> {
    let mut c = Collector::new(crates);
    for line in stdout.lines() {
        c.line(line);
    }
    c.finish()
}

/// Reads `reader` line by line into `collector`, never holding more than
/// [`MAX_LINE_BYTES`] of one line.
fn collect_stream(reader: impl Read, collector: &mut Collector) {
    let mut reader = BufReader::with_capacity(64 * 1024, reader);
    let mut line: Vec<u8> = Vec::new();
    let mut overlong = false;
    loop {
        let (consumed, newline) = {
            let Ok(buf) = reader.fill_buf() else { break };
            if buf.is_empty() {
                break;
            }
            match buf.iter().position(|&b| b == b'\n') {
                Some(i) => {
                    if !overlong {
                        line.extend_from_slice(&buf[..i]);
                    }
                    (i + 1, true)
                }
                None => {
                    if !overlong {
                        line.extend_from_slice(buf);
                    }
                    (buf.len(), false)
                }
            }
        };
        reader.consume(consumed);
        if !overlong && line.len() > MAX_LINE_BYTES {
            overlong = true;
            collector.overlong_line(&line[..line.len().min(4096)]);
            line = Vec::new();
        }
        if newline {
            if !overlong {
                collector.line(&String::from_utf8_lossy(&line));
            }
            line.clear();
            overlong = false;
        }
    }
    if !overlong && !line.is_empty() {
        collector.line(&String::from_utf8_lossy(&line));
    }
}

/// The compile limits of each crate, for the rustc wrapper; crates that are
/// not exercises (memprobe) get the most generous of them.
fn compile_limits(crates: &[Crate]) -> String {
    let limit = |l: &Limits| CompileLimit {
        time: l.compile_time,
        memory_mb: l.compile_memory_mb,
    };
    let default_limits = Limits::default();
    let default = CompileLimit {
        time: crates
            .iter()
            .map(|c| c.limits.compile_time)
            .max()
            .unwrap_or(default_limits.compile_time),
        memory_mb: crates
            .iter()
            .map(|c| c.limits.compile_memory_mb)
            .max()
            .unwrap_or(default_limits.compile_memory_mb),
    };
    let per: BTreeMap<String, CompileLimit> = crates
        .iter()
        .map(|c| (c.name.clone(), limit(&c.limits)))
        .collect();
    rustc_wrapper::encode_limits(default, &per)
}

/// Builds the test targets of `crates` in the workspace at `workspace` with
/// one cargo invocation, each rustc process under its crate's compile
/// limits (memgrade is its own rustc wrapper). A crate that neither produced
/// a binary nor reported an error (cargo failed before compiling it) gets
/// cargo's own error text. `overlay`: see
/// [`BuildTree::overlay`](crate::pipeline::engine::BuildTree::overlay); `launcher`
/// starts cargo (privately for the grade of record).
pub fn compile(
    workspace: &Path,
    crates: &[Crate],
    jobs: usize,
    overlay: bool,
    launcher: &crate::process::launch::Launcher,
) -> Result<BTreeMap<String, ExerciseBuild>> {
    if crates.is_empty() {
        return Ok(BTreeMap::new());
    }
    let me = std::env::current_exe().context("cannot find memgrade's own executable")?;
    let mut cmd = launcher.cargo(workspace);
    cmd.args([
        "build",
        "--tests",
        "--keep-going",
        "--message-format=json",
        "--color=never",
    ])
    .arg(format!("--jobs={}", jobs.max(1)))
    // memgrade is the rustc wrapper, never the caller's.
    .env("RUSTC_WRAPPER", &me)
    .env_remove("RUSTC_WORKSPACE_WRAPPER")
    .env(rustc_wrapper::MARKER, "1")
    .env(rustc_wrapper::LIMITS_VAR, compile_limits(crates));
    if overlay {
        cmd.arg("--offline")
            .env("CARGO_TARGET_DIR", workspace.join("target"));
    }
    for c in crates {
        cmd.arg("-p").arg(&c.name);
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let (mut child, _group) =
        spawn_registered(cmd).context("cannot run cargo; is Rust installed and on PATH?")?;
    let mut stderr = child.take_stderr().expect("stderr is piped");
    let err_reader = std::thread::spawn(move || {
        let mut kept = Captured::new(STDERR_CAP);
        let mut buf = [0u8; 16 * 1024];
        while let Ok(n) = stderr.read(&mut buf) {
            if n == 0 {
                break;
            }
            kept.push(&buf[..n]);
        }
        kept.text()
    });
    let mut collector = Collector::new(crates);
    collect_stream(
        child.take_stdout().expect("stdout is piped"),
        &mut collector,
    );
    let status = child.wait().context("waiting for cargo")?;
    let stderr_text = err_reader.join().unwrap_or_default();
    if interrupted() {
        return Err(Interrupted.into());
    }
    let mut builds = collector.finish();
    if !status.success() {
        let cargo_error = cargo_error_text(&stderr_text);
        for b in builds.values_mut() {
            if b.binaries.is_empty() && b.errors.is_empty() {
                b.errors.push(Diagnostic {
                    message: "cargo could not build this exercise".into(),
                    rendered: cargo_error.clone(),
                    location: None,
                });
            }
        }
    }
    Ok(builds)
}

/// The `error:` part of cargo's stderr (progress lines dropped).
fn cargo_error_text(stderr: &str) -> String {
    let lines: Vec<&str> = stderr
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("error"))
        .collect();
    if lines.is_empty() {
        stderr.trim().to_string()
    } else {
        lines.join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_reported_by_both_library_builds_is_kept_once_with_its_explain_line() {
        let crates = one_crate();
        let error = r#"{"reason":"compiler-message","manifest_path":"/w/exercises/01_a/Cargo.toml","message":{"message":"mismatched types","level":"error","code":{"code":"E0308","explanation":"Expected type did not match."},"rendered":"error[E0308]: mismatched types\n --> exercises/01_a/src/lib.rs:3:5\n","spans":[{"file_name":"exercises/01_a/src/lib.rs","line_start":3,"is_primary":true}]}}"#;
        let aborting = r#"{"reason":"compiler-message","manifest_path":"/w/exercises/01_a/Cargo.toml","message":{"message":"aborting due to 1 previous error","level":"error","rendered":"error: aborting due to 1 previous error\n","spans":[]}}"#;
        let note = r#"{"reason":"compiler-message","manifest_path":"/w/exercises/01_a/Cargo.toml","message":{"message":"For more information about this error, try `rustc --explain E0308`.","level":"failure-note","rendered":"For more information about this error, try `rustc --explain E0308`.\n","spans":[]}}"#;
        let stream = [error, aborting, note, error, aborting, note].join("\n");
        let errors = &parse_messages(&stream, &crates)["a"].errors;
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(
            errors[0].rendered,
            "error[E0308]: mismatched types\n --> exercises/01_a/src/lib.rs:3:5\nFor more information about this error, try `rustc --explain E0308`.\n"
        );
    }

    #[test]
    fn warnings_about_the_exercise_source_are_kept_once_and_capped() {
        let crates = one_crate();
        let warning = |file: &str, i: usize| {
            format!(
                r#"{{"reason":"compiler-message","manifest_path":"/w/exercises/01_a/Cargo.toml","message":{{"message":"function cannot return without recursing","level":"warning","rendered":"warning {i}","spans":[{{"file_name":"{file}","line_start":{i},"is_primary":true}}]}}}}"#
            )
        };
        let mut stream = vec![
            warning("exercises/01_a/src/lib.rs", 1),
            warning("exercises/01_a/src/lib.rs", 1),
            warning("exercises/01_a/tests/memory.rs", 2),
        ];
        stream.extend((10..10 + MAX_WARNINGS + 3).map(|i| warning("exercises/01_a/src/lib.rs", i)));
        let warnings = &parse_messages(&stream.join("\n"), &crates)["a"].warnings;
        assert_eq!(warnings.len(), MAX_WARNINGS + 1, "{warnings:?}");
        assert_eq!(warnings[0].rendered, "warning 1");
        assert_eq!(warnings[0].location.as_ref().unwrap().line, 1);
        assert_eq!(warnings[1].rendered, "warning 10");
        assert_eq!(warnings[MAX_WARNINGS].message, "… 4 more warnings omitted");
    }

    #[test]
    fn parses_artifacts_and_errors_per_crate() {
        let crates = vec![
            Crate {
                name: "a".into(),
                dir: "/w/exercises/01_a".into(),
                rel_dir: "exercises/01_a".into(),
                limits: Limits::default(),
            },
            Crate {
                name: "b".into(),
                dir: "/w/exercises/02_b".into(),
                rel_dir: "exercises/02_b".into(),
                limits: Limits::default(),
            },
        ];
        let stream = [
            r#"{"reason":"compiler-artifact","manifest_path":"/w/exercises/01_a/Cargo.toml","target":{"name":"a","kind":["lib"]},"profile":{"test":false},"executable":null}"#,
            r#"{"reason":"compiler-artifact","manifest_path":"/w/exercises/01_a/Cargo.toml","target":{"name":"memory","kind":["test"]},"profile":{"test":true},"executable":"/w/target/debug/deps/memory-1"}"#,
            r#"{"reason":"compiler-artifact","manifest_path":"/w/exercises/01_a/Cargo.toml","target":{"name":"a","kind":["lib"]},"profile":{"test":true},"executable":"/w/target/debug/deps/a-2"}"#,
            "not json at all",
            r#"{"reason":"compiler-message","manifest_path":"/w/exercises/02_b/Cargo.toml","message":{"message":"mismatched types","level":"error","rendered":"error[E0308]: mismatched types\n --> exercises/02_b/src/lib.rs:3:5","spans":[{"file_name":"exercises/02_b/src/lib.rs","line_start":3,"is_primary":true}]}}"#,
            r#"{"reason":"compiler-message","manifest_path":"/w/exercises/02_b/Cargo.toml","message":{"message":"unused variable","level":"warning","rendered":"warning","spans":[]}}"#,
            r#"{"reason":"build-finished","success":false}"#,
        ]
        .join("\n");
        let builds = parse_messages(&stream, &crates);
        assert_eq!(
            builds["a"].binaries,
            vec![TestBinary {
                suite: "memory".into(),
                path: "/w/target/debug/deps/memory-1".into()
            }]
        );
        assert!(builds["a"].errors.is_empty());
        assert!(builds["b"].binaries.is_empty());
        assert_eq!(builds["b"].errors.len(), 1);
        assert_eq!(builds["b"].errors[0].message, "mismatched types");
        assert_eq!(
            builds["b"].errors[0].location,
            Some(Location {
                file: "exercises/02_b/src/lib.rs".into(),
                line: 3
            })
        );
    }

    fn one_crate() -> Vec<Crate> {
        vec![Crate {
            name: "a".into(),
            dir: "/w/exercises/01_a".into(),
            rel_dir: "exercises/01_a".into(),
            limits: Limits::default(),
        }]
    }

    fn error_line(i: usize, rendered_len: usize) -> String {
        format!(
            r#"{{"reason":"compiler-message","manifest_path":"/w/exercises/01_a/Cargo.toml","message":{{"message":"error {i}","level":"error","rendered":"{}","spans":[]}}}}"#,
            "x".repeat(rendered_len)
        )
    }

    #[test]
    fn errors_kept_per_crate_are_capped_and_the_rest_counted() {
        let crates = one_crate();
        let mut stream: Vec<String> = (0..MAX_DIAGNOSTICS + 7)
            .map(|i| error_line(i, 10))
            .collect();
        // Warnings are never kept, however many.
        stream.extend((0..1000).map(|_| {
            r#"{"reason":"compiler-message","manifest_path":"/w/exercises/01_a/Cargo.toml","message":{"message":"unused","level":"warning","rendered":"w","spans":[]}}"#.to_string()
        }));
        let builds = parse_messages(&stream.join("\n"), &crates);
        let errors = &builds["a"].errors;
        assert_eq!(errors.len(), MAX_DIAGNOSTICS + 1);
        assert_eq!(errors[0].message, "error 0");
        assert_eq!(errors[MAX_DIAGNOSTICS].message, "… 7 more errors omitted");
    }

    #[test]
    fn error_text_kept_per_crate_is_capped_in_bytes() {
        let crates = one_crate();
        let stream: Vec<String> = (0..10).map(|i| error_line(i, 100 * 1024)).collect();
        let builds = parse_messages(&stream.join("\n"), &crates);
        let errors = &builds["a"].errors;
        // Two of 100 KiB fit in 256 KiB; eight are counted.
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert_eq!(errors[2].message, "… 8 more errors omitted");
    }

    #[test]
    fn an_overlong_line_is_skipped_and_counted_without_being_held() {
        let crates = one_crate();
        let text = format!(
            "{}\n{}\n{}\n",
            error_line(0, 5),
            error_line(1, MAX_LINE_BYTES + 10),
            error_line(2, 5)
        );
        let mut c = Collector::new(&crates);
        // A reader that hands out small pieces, like a pipe.
        collect_stream(
            std::io::Cursor::new(text.into_bytes()).take(u64::MAX),
            &mut c,
        );
        let errors = &c.finish()["a"].errors;
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(messages, ["error 0", "error 2", "… 1 more error omitted"]);
    }
}
