//! The compile step: ONE `cargo build --tests --keep-going
//! --message-format=json` over every planned exercise crate, so cargo
//! parallelises and shares one target directory, and one exercise that does
//! not compile never hides the others.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::grade::{Diagnostic, Location};
use crate::run::{Interrupted, interrupted, register_group};

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
}

#[derive(Deserialize)]
struct Span {
    file_name: String,
    line_start: u32,
    is_primary: bool,
}

/// Parses cargo's JSON message stream into per-crate results. Lines that are
/// not JSON (cargo may print other text) are ignored.
pub fn parse_messages(stdout: &str, crates: &[Crate]) -> BTreeMap<String, ExerciseBuild> {
    let mut out: BTreeMap<String, ExerciseBuild> = crates
        .iter()
        .map(|c| (c.name.clone(), ExerciseBuild::default()))
        .collect();
    for line in stdout.lines() {
        let Ok(msg) = serde_json::from_str::<Message>(line) else {
            continue;
        };
        let Some(manifest) = &msg.manifest_path else {
            continue;
        };
        let Some(krate) = crates
            .iter()
            .find(|c| manifest.parent() == Some(c.dir.as_path()))
        else {
            continue;
        };
        let entry = out.entry(krate.name.clone()).or_default();
        match msg.reason.as_str() {
            "compiler-artifact" => {
                let (Some(target), Some(profile), Some(exe)) =
                    (&msg.target, &msg.profile, &msg.executable)
                else {
                    continue;
                };
                if profile.test && target.kind.iter().any(|k| k == "test") {
                    entry.binaries.push(TestBinary {
                        suite: target.name.clone(),
                        path: exe.clone(),
                    });
                }
            }
            "compiler-message" => {
                let Some(m) = &msg.message else { continue };
                if m.level != "error" && m.level != "error: internal compiler error" {
                    continue;
                }
                let location = m.spans.iter().find(|s| s.is_primary).map(|s| Location {
                    file: s.file_name.clone(),
                    line: s.line_start,
                });
                entry.errors.push(Diagnostic {
                    message: m.message.clone(),
                    rendered: m.rendered.clone().unwrap_or_else(|| m.message.clone()),
                    location,
                });
            }
            _ => {}
        }
    }
    for b in out.values_mut() {
        b.binaries.sort_by(|a, b| a.suite.cmp(&b.suite));
        b.binaries.dedup();
    }
    out
}

/// Builds the test targets of `crates` in the workspace at `workspace` with
/// one cargo invocation. A crate that neither produced a binary nor reported
/// an error (cargo failed before compiling it) gets cargo's own error text.
/// `overlay`: see [`BuildTree::overlay`](crate::engine::BuildTree::overlay);
/// `launcher` starts cargo (privately for the grade of record).
pub fn compile(
    workspace: &Path,
    crates: &[Crate],
    jobs: usize,
    overlay: bool,
    launcher: &crate::launch::Launcher,
) -> Result<BTreeMap<String, ExerciseBuild>> {
    if crates.is_empty() {
        return Ok(BTreeMap::new());
    }
    let mut cmd = launcher.cargo(workspace);
    cmd.args([
        "build",
        "--tests",
        "--keep-going",
        "--message-format=json",
        "--color=never",
    ])
    .arg(format!("--jobs={}", jobs.max(1)));
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
    cmd.process_group(0);
    let mut child = cmd
        .spawn()
        .context("cannot run cargo; is Rust installed and on PATH?")?;
    let _group = register_group(child.id() as i32);
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let mut stdout_text = String::new();
    for line in BufReader::new(child.stdout.take().expect("stdout is piped")).lines() {
        let Ok(line) = line else { break };
        stdout_text.push_str(&line);
        stdout_text.push('\n');
    }
    let status = child.wait().context("waiting for cargo")?;
    let stderr_text = err_reader.join().unwrap_or_default();
    if interrupted() {
        return Err(Interrupted.into());
    }
    let mut builds = parse_messages(&stdout_text, crates);
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
    fn parses_artifacts_and_errors_per_crate() {
        let crates = vec![
            Crate {
                name: "a".into(),
                dir: "/w/exercises/01_a".into(),
                rel_dir: "exercises/01_a".into(),
            },
            Crate {
                name: "b".into(),
                dir: "/w/exercises/02_b".into(),
                rel_dir: "exercises/02_b".into(),
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
}
