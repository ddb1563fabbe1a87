//! The class fetch against a delta bomb: a fork whose pack is a few dozen
//! KiB but holds a delta that claims a 320 MiB blob (one copy instruction of
//! 64 KiB repeated). Unbounded, git inflated it in memory; now every git the
//! gradebook runs has an address-space limit, and the row says git ran out
//! of it.

use std::path::Path;
use std::process::{Command, Stdio};

use super::record::official;
use crate::common::{Memgrade, text};

/// What the delta's result claims to be.
const BOMB_BYTES: usize = 320 << 20;
const BASE_BYTES: usize = 64 << 10;

/// A zlib stream of stored (uncompressed) deflate blocks.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let chunks: Vec<&[u8]> = data.chunks(65_535).collect();
    for (i, c) in chunks.iter().enumerate() {
        out.push(u8::from(i + 1 == chunks.len()));
        let n = c.len() as u16;
        out.extend(n.to_le_bytes());
        out.extend((!n).to_le_bytes());
        out.extend(*c);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &x in data {
        a = (a + u32::from(x)) % 65_521;
        b = (b + a) % 65_521;
    }
    out.extend(((b << 16) | a).to_be_bytes());
    out
}

/// A pack object header: type and size.
fn object_header(kind: u8, mut size: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut byte = (kind << 4) | (size & 15) as u8;
    size >>= 4;
    while size > 0 {
        out.push(byte | 0x80);
        byte = (size & 0x7f) as u8;
        size >>= 7;
    }
    out.push(byte);
    out
}

fn varint(mut n: usize) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return out;
        }
        out.push(byte | 0x80);
    }
}

/// An offset delta's distance back to its base, as a pack writes it.
fn offset(mut back: usize) -> Vec<u8> {
    let mut out = vec![(back & 0x7f) as u8];
    back >>= 7;
    while back > 0 {
        back -= 1;
        out.insert(0, 0x80 | (back & 0x7f) as u8);
        back >>= 7;
    }
    out
}

fn sha1(data: &[u8]) -> Vec<u8> {
    let mut child = Command::new("sha1sum")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), data).unwrap();
    let out = child.wait_with_output().unwrap();
    let hex = String::from_utf8(out.stdout).unwrap();
    (0..20)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
        .collect()
}

/// The pack: a 64 KiB blob of zeros and a delta on it (an offset delta)
/// whose every instruction copies the whole base.
fn bomb_pack() -> Vec<u8> {
    let base = zlib_stored(&vec![0u8; BASE_BYTES]);
    let mut delta = varint(BASE_BYTES);
    delta.extend(varint(BOMB_BYTES));
    delta.extend(std::iter::repeat_n(0x80u8, BOMB_BYTES / BASE_BYTES));
    let mut body = b"PACK".to_vec();
    body.extend(2u32.to_be_bytes());
    body.extend(2u32.to_be_bytes());
    let first = body.len();
    body.extend(object_header(3, BASE_BYTES));
    body.extend(base);
    let back = body.len() - first;
    body.extend(object_header(6, delta.len()));
    body.extend(offset(back));
    body.extend(zlib_stored(&delta));
    let sum = sha1(&body);
    body.extend(sum);
    body
}

fn git(dir: &Path, args: &[&str], input: Option<&[u8]>) -> String {
    let mut child = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "bomber")
        .env("GIT_AUTHOR_EMAIL", "bomber@example.com")
        .env("GIT_COMMITTER_NAME", "bomber")
        .env("GIT_COMMITTER_EMAIL", "bomber@example.com")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = input {
        std::io::Write::write_all(child.stdin.as_mut().unwrap(), input).unwrap();
    }
    drop(child.stdin.take());
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "git {args:?}: {}", text(&o));
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

/// A bare repository whose only commit holds the base and the bomb.
fn bomb_repo(dir: &Path) -> std::path::PathBuf {
    let repo = dir.join("bomber.git");
    let _ = std::fs::remove_dir_all(&repo);
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q", "--bare"], None);
    // Indexing resolves the delta once, here, outside the grader.
    git(&repo, &["index-pack", "--stdin"], Some(&bomb_pack()));
    let objects = git(
        &repo,
        &["cat-file", "--batch-all-objects", "--batch-check"],
        None,
    );
    let id_of = |size: usize| {
        objects
            .lines()
            .find(|l| l.ends_with(&format!(" blob {size}")))
            .unwrap_or_else(|| panic!("no blob of {size} bytes: {objects}"))
            .split(' ')
            .next()
            .unwrap()
            .to_string()
    };
    let tree = format!(
        "100644 blob {}\tbase\n100644 blob {}\tbomb\n",
        id_of(BASE_BYTES),
        id_of(BOMB_BYTES)
    );
    let tree = git(&repo, &["mktree"], Some(tree.as_bytes()));
    let commit = git(&repo, &["commit-tree", &tree, "-m", "bomb"], None);
    git(&repo, &["update-ref", "refs/heads/main", &commit], None);
    git(&repo, &["symbolic-ref", "HEAD", "refs/heads/main"], None);
    repo
}

#[test]
fn a_delta_bomb_runs_git_out_of_its_memory_limit_not_the_grader() {
    let dir = super::work().join("gitbomb");
    let repo = bomb_repo(&dir);
    let pack_bytes = bomb_pack().len();
    assert!(pack_bytes < 100 << 10, "{pack_bytes}");
    let roster = dir.join("roster.csv");
    std::fs::write(
        &roster,
        format!("student_id,repo\nbomber,{}\n", repo.display()),
    )
    .unwrap();
    let out_dir = dir.join("out");
    let _ = std::fs::remove_dir_all(&out_dir);
    let o = Memgrade::new()
        .args(["gradebook", "--roster"])
        .args([roster.as_os_str()])
        .args(["--course", official().to_str().unwrap(), "--out"])
        .args([out_dir.as_os_str()])
        .args(["--fork-max-mb", "1"])
        .output();
    let book: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("gradebook.json")).unwrap())
            .unwrap_or_else(|e| panic!("{e}: {}", text(&o)));
    let row = &book["students"][0];
    assert_eq!(row["status"], "error", "{row:#}");
    let error = row["error"].as_str().unwrap();
    assert!(
        error.contains("memory limit of 260 MiB") && error.contains("Out of memory"),
        "{row:#}"
    );
}
