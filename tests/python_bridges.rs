//! The bridges from the Python lesson are checked with Python itself.
//!
//! Convention for course authors: every number or identity claim a README
//! makes about Python (a `sys.getsizeof` figure, an `is` result, what
//! allocates once) gets a fenced block whose info string is exactly
//! `python`, holding `assert`s that check it on CPython 3.11 (64-bit). This
//! test finds every such block in `README.md` and `exercises/*/README.md`,
//! runs each as a script with `python3` from a temporary directory (20 s
//! limit), and fails naming the README and the line the block starts on
//! when python exits non-zero. Blocks with another info string (`py`,
//! `python3`, `pycon`, `text`) are shown to readers but not run.
//!
//! Without `python3`, the test fails when the `CI` environment variable is
//! set, and otherwise prints `skipped: python3 missing`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one block may run.
const LIMIT: Duration = Duration::from_secs(20);

/// One ```python block of a README.
#[derive(Debug, PartialEq)]
struct Block {
    /// 1-based line of its opening fence.
    line: usize,
    /// Its code.
    code: String,
}

/// The blocks whose info string is exactly `python`.
fn python_blocks(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    // The open fence (its backticks and indentation) and, for a python
    // block, the block.
    let mut open: Option<(String, usize, Option<Block>)> = None;
    for (i, line) in markdown.lines().enumerate() {
        let trimmed = line.trim_start();
        let fence: String = trimmed.chars().take_while(|&c| c == '`').collect();
        match &mut open {
            None if fence.len() >= 3 => {
                let python = trimmed[fence.len()..].trim() == "python";
                let block = python.then(|| Block {
                    line: i + 1,
                    code: String::new(),
                });
                open = Some((fence, line.len() - trimmed.len(), block));
            }
            None => {}
            Some((opening, indent, block)) => {
                if fence.len() >= opening.len() && trimmed[fence.len()..].trim().is_empty() {
                    if let Some((_, _, Some(block))) = open.take() {
                        blocks.push(block);
                    }
                } else if let Some(block) = block {
                    // Content loses up to the fence's indentation, as in
                    // CommonMark (a block inside a list item).
                    let blanks = line.len() - line.trim_start_matches(' ').len();
                    block.code.push_str(&line[blanks.min(*indent)..]);
                    block.code.push('\n');
                }
            }
        }
    }
    blocks
}

/// The READMEs that may hold blocks: the course's and every exercise's.
fn readmes(root: &Path) -> Vec<PathBuf> {
    let mut out = vec![root.join("README.md")];
    let mut exercises: Vec<PathBuf> = std::fs::read_dir(root.join("exercises"))
        .map(|d| d.flatten().map(|e| e.path().join("README.md")).collect())
        .unwrap_or_default();
    exercises.sort();
    out.extend(exercises.into_iter().filter(|p| p.is_file()));
    out
}

/// Runs `code` with python3 from a fresh directory; `Err` says why it failed.
fn run_python(code: &str) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let script = dir.path().join("block.py");
    std::fs::write(&script, code).map_err(|e| e.to_string())?;
    let mut child = Command::new("python3")
        .arg(&script)
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run python3: {e}"))?;
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            let out = child.wait_with_output().map_err(|e| e.to_string())?;
            if status.success() {
                return Ok(());
            }
            return Err(format!(
                "python3 exited with {status}:\n{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        if start.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("did not finish within {} s", LIMIT.as_secs()));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn python_available() -> bool {
    Command::new("python3")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn every_python_claim_in_a_readme_holds() {
    if !python_available() {
        assert!(
            std::env::var_os("CI").is_none(),
            "python3 is missing, and CI must check the READMEs' Python claims"
        );
        println!("skipped: python3 missing");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut failures = Vec::new();
    let mut ran = 0;
    for readme in readmes(root) {
        let text = std::fs::read_to_string(&readme).unwrap();
        let rel = readme.strip_prefix(root).unwrap_or(&readme).display();
        for block in python_blocks(&text) {
            ran += 1;
            if let Err(why) = run_python(&block.code) {
                failures.push(format!(
                    "{rel}:{}: the python block fails: {why}",
                    block.line
                ));
            }
        }
    }
    assert!(ran > 0, "no ```python block found in any README");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn finds_only_blocks_tagged_exactly_python() {
    let md = "# T\n\n```python\nassert 1 + 1 == 2\n```\n\n```py\nnot run\n```\n\n````python\nx = '```'\n````\n```python3\nno\n```\n  ```python\n  indented = True\n  ```\n";
    let blocks = python_blocks(md);
    assert_eq!(
        blocks,
        vec![
            Block {
                line: 3,
                code: "assert 1 + 1 == 2\n".into()
            },
            Block {
                line: 11,
                code: "x = '```'\n".into()
            },
            Block {
                line: 17,
                code: "indented = True\n".into()
            },
        ]
    );
}

#[test]
fn a_failing_block_is_reported_with_python_s_error() {
    if !python_available() {
        println!("skipped: python3 missing");
        return;
    }
    assert_eq!(run_python("assert 1 + 1 == 2\n"), Ok(()));
    let err = run_python("x = [i for i in range(10)]\nassert len(x) == 11, 'ten'\n").unwrap_err();
    assert!(err.contains("AssertionError: ten"), "{err}");
}
