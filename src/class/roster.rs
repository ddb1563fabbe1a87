//! The class roster a gradebook grades: a CSV file of `student_id,repo`
//! rows, each student id checked before it is ever used in a file name, and
//! each repository checked before it is ever given to git (never as an
//! option). Also the deterministic split of a roster into shards
//! (`--partition K/N`).
//!
//! The format: a header line naming the columns `student_id` and `repo` (in
//! any order; other columns are ignored), then one row per student, read
//! by the `csv` crate. Fields are separated by commas, may be quoted with
//! `"` (a `""` inside quotes is one `"`) and are trimmed; a quoted field
//! cannot span lines. Blank lines and lines whose first character is `#`
//! are skipped. A malformed line (wrong number of
//! fields, an unterminated quote) is an error naming `file:line`; a row whose
//! student id or repository is not acceptable is kept as a *rejected* entry
//! with the reason, reported in the gradebook, and never used as a path or a
//! URL.

use std::collections::HashMap;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::exit::UsageError;

/// The longest student id accepted, in bytes.
pub const MAX_ID_BYTES: usize = 64;

/// Where a fork's sources come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Repo {
    /// A git repository (URL or absolute local path), fetched privately.
    Git(String),
    /// A local checkout given on the command line, read in place.
    Dir(std::path::PathBuf),
}

impl std::fmt::Display for Repo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Repo::Git(u) => f.write_str(u),
            Repo::Dir(d) => write!(f, "{}", d.display()),
        }
    }
}

/// One student of the roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The roster line (1-based), or the position on the command line.
    pub line: usize,
    /// The student id as written (shown escaped when rejected).
    pub student: String,
    /// The repository, as written.
    pub repo_text: String,
    /// The checked repository, or why the row is rejected.
    pub repo: Result<Repo, String>,
}

/// Checks a student id: 1 to [`MAX_ID_BYTES`] bytes, no `/`, `\`, NUL or
/// other control character, no bidirectional-text control, no `..`, not
/// starting with `.` or `-`, no leading or trailing space.
pub fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("the student id is empty".into());
    }
    if id.len() > MAX_ID_BYTES {
        return Err(format!(
            "the student id is longer than {MAX_ID_BYTES} bytes"
        ));
    }
    if id.chars().any(char::is_control) {
        return Err("the student id holds a control character".into());
    }
    if id.chars().any(is_bidi_control) {
        return Err("the student id holds a bidirectional-text control".into());
    }
    if id.contains(['/', '\\']) {
        return Err("the student id holds a `/` or `\\`".into());
    }
    if id.contains("..") {
        return Err("the student id holds `..`".into());
    }
    if id.starts_with('.') || id.starts_with('-') {
        return Err("the student id starts with `.` or `-`".into());
    }
    if id.trim() != id {
        return Err("the student id starts or ends with a space".into());
    }
    Ok(())
}

/// The file name stem for a student id, one to one: ASCII letters,
/// digits, `_`, `-`, `.`, `@` and `+` are kept, every other byte is written
/// `%XX` (hexadecimal, `%` itself included), and so is a `.` that starts
/// the name or follows another `.`, and a leading `-`. Two ids never share
/// a stem (the encoding can be read back), so two students never share a
/// report; a plain id is its own stem. Never empty, never holds a path
/// separator, never starts with `.` or `-`.
pub fn file_stem(id: &str) -> String {
    if id.is_empty() {
        return "%".to_string();
    }
    let mut out = String::with_capacity(id.len());
    let mut previous = None;
    for (i, b) in id.bytes().enumerate() {
        let kept = b.is_ascii_alphanumeric()
            || matches!(b, b'_' | b'@' | b'+')
            || (b == b'-' && i > 0)
            || (b == b'.' && i > 0 && previous != Some(b'.'));
        if kept {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
        previous = Some(b);
    }
    out
}

pub use crate::report::machine::github::is_bidi_control;

/// Checks a repository value: an absolute local path, an `https://`,
/// `http://`, `ssh://`, `git://` or `file://` URL, or scp-like
/// `user@host:path`. Refuses anything starting with `-` (git would read an
/// option), git's `transport::address` helper syntax (e.g. `ext::`), control
/// characters and relative paths.
pub fn check_repo(repo: &str) -> Result<Repo, String> {
    if repo.is_empty() {
        return Err("the repository is empty".into());
    }
    if repo.starts_with('-') {
        return Err(format!(
            "the repository {repo:?} starts with `-`, which git would read as an option"
        ));
    }
    if repo.chars().any(|c| c.is_control()) {
        return Err("the repository holds a control character".into());
    }
    if repo.contains("::") {
        return Err(format!(
            "the repository {repo:?} uses git's `transport::address` form, which can run commands"
        ));
    }
    if let Some((scheme, rest)) = repo.split_once("://") {
        return match scheme.to_ascii_lowercase().as_str() {
            "https" | "http" | "ssh" | "git" | "file" if !rest.is_empty() => {
                Ok(Repo::Git(repo.to_string()))
            }
            _ => Err(format!(
                "the repository {repo:?}: use an https://, http://, ssh://, git:// or file:// URL, user@host:path, or an absolute path"
            )),
        };
    }
    if repo.starts_with('/') {
        return Ok(Repo::Git(repo.to_string()));
    }
    if let Some((host, path)) = repo.split_once(':')
        && !host.is_empty()
        && !host.contains('/')
        && !path.is_empty()
    {
        return Ok(Repo::Git(repo.to_string()));
    }
    Err(format!(
        "the repository {repo:?} is a relative path; give an absolute path or a URL"
    ))
}

/// Reads a roster file. Structural errors (no header, a malformed line)
/// are usage errors naming `file:line`; bad values become rejected entries.
/// Duplicate student ids (compared without case) are rejected after the
/// first.
pub fn read(path: &Path) -> anyhow::Result<Vec<Entry>> {
    let text = crate::class::table::read_text(path, "roster").map_err(UsageError)?;
    parse(&path.display().to_string(), &text).map_err(|e| UsageError(e).into())
}

/// Parses roster text; `name` is used in messages.
pub fn parse(name: &str, text: &str) -> Result<Vec<Entry>, String> {
    let table = crate::class::table::read(name, text, &["student_id", "repo"])
        .map_err(|e| e.replace("the file is empty", "the roster is empty"))?;
    let (id_col, repo_col) = (table.columns[0], table.columns[1]);
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut entries = Vec::new();
    for (line, fields) in table.rows {
        let (student, repo_text) = (fields[id_col].clone(), fields[repo_col].clone());
        let repo = check_row(&student, &mut seen, line, || check_repo(&repo_text));
        entries.push(Entry {
            line,
            student,
            repo_text,
            repo,
        });
    }
    Ok(entries)
}

/// Checks a row's student id (valid, not a duplicate of an earlier one,
/// compared without case) and then its repository.
fn check_row(
    student: &str,
    seen: &mut HashMap<String, usize>,
    line: usize,
    repo: impl FnOnce() -> Result<Repo, String>,
) -> Result<Repo, String> {
    check_id(student)?;
    check_seen(student, seen, line, repo)
}

/// Refuses a student id seen before (compared without case), then checks
/// the repository.
fn check_seen(
    student: &str,
    seen: &mut HashMap<String, usize>,
    line: usize,
    repo: impl FnOnce() -> Result<Repo, String>,
) -> Result<Repo, String> {
    if let Some(first) = seen.get(&student.to_lowercase()) {
        return Err(format!(
            "the student id is a duplicate of the one on line {first}"
        ));
    }
    seen.insert(student.to_lowercase(), line);
    repo()
}

/// Entries for local checkouts given on the command line: the student id
/// is the directory's name (a leading `.` is allowed here, as in a
/// temporary directory's name; its report's name is sanitized by
/// [`file_stem`]), the line its position (1-based).
pub fn from_dirs(dirs: &[std::path::PathBuf]) -> Vec<Entry> {
    let mut seen = HashMap::new();
    dirs.iter()
        .enumerate()
        .map(|(i, d)| {
            let student = d.file_name().map_or_else(
                || d.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            let repo = check_id(student.trim_start_matches('.'))
                .and_then(|()| check_seen(&student, &mut seen, i + 1, || Ok(Repo::Dir(d.clone()))));
            Entry {
                line: i + 1,
                student,
                repo_text: d.display().to_string(),
                repo,
            }
        })
        .collect()
}

/// A shard of the roster: `K/N`, 1-based (written so in `gradebook.json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Partition {
    /// This shard (1..=`count`).
    pub index: u32,
    /// How many shards.
    pub count: u32,
}

impl std::str::FromStr for Partition {
    type Err = String;

    fn from_str(s: &str) -> Result<Partition, String> {
        let bad = || format!("{s:?}: give K/N with 1 <= K <= N, e.g. 2/4");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count): (u32, u32) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Partition { index, count })
    }
}

impl TryFrom<String> for Partition {
    type Error = String;

    fn try_from(s: String) -> Result<Partition, String> {
        s.parse()
    }
}

impl From<Partition> for String {
    fn from(p: Partition) -> String {
        p.to_string()
    }
}

impl std::fmt::Display for Partition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Partition {
    /// Whether the student `id` belongs to this shard: the first 8 bytes of
    /// SHA-256(id), as a big-endian number, modulo N equal K-1. The split
    /// depends only on the id, not on the roster's order or other rows.
    pub fn holds(&self, id: &str) -> bool {
        let h = Sha256::digest(id.as_bytes());
        let n = u64::from_be_bytes(h[..8].try_into().expect("8 bytes"));
        n % u64::from(self.count) == u64::from(self.index - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_ids_are_refused_and_file_stems_stay_plain() {
        for bad in [
            "../x", "a/b", "a\\b", "..", ".hidden", "-rf", "a\0b", "a\nb", "", " a",
        ] {
            assert!(check_id(bad).is_err(), "{bad:?}");
        }
        assert!(check_id(&"a".repeat(65)).is_err());
        for good in ["alice", "Bob-2", "s.smith@uni", "é lève"] {
            check_id(good).unwrap();
        }
        assert!(check_id("a\u{202e}b").is_err());
        assert_eq!(file_stem("alice"), "alice");
        assert_eq!(file_stem("s.smith@uni"), "s.smith@uni");
        assert_eq!(file_stem("é lève"), "%C3%A9%20l%C3%A8ve");
        assert_eq!(file_stem(".hidden"), "%2Ehidden");
        for hostile in ["../x", "a/b", "-rf", "..", "a\\b"] {
            let s = file_stem(hostile);
            assert!(
                !s.contains(['/', '\\']) && !s.contains("..") && !s.starts_with(['-', '.']),
                "{s}"
            );
        }
        assert_ne!(file_stem("a b"), file_stem("a_b"));
    }

    /// Reads a stem back: the encoding is one to one.
    fn decode(stem: &str) -> Vec<u8> {
        let mut out = Vec::new();
        let bytes = stem.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                out.push(u8::from_str_radix(&stem[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        out
    }

    #[test]
    fn no_two_ids_share_a_report() {
        // The pair that once shared `students/_a_b-c8687a08.json`.
        assert_ne!(file_stem("a b"), file_stem("_a_b-c8687a08"));
        assert_eq!(file_stem("_a_b-c8687a08"), "_a_b-c8687a08");
        let ids = [
            "a b", "a_b", "a%20b", "a%b", ".a", "%2Ea", "a..b", "a.%2Eb", "-a", "%2Da", "É", "é",
        ];
        let mut stems: Vec<String> = ids.iter().map(|id| file_stem(id)).collect();
        for (id, stem) in ids.iter().zip(&stems) {
            assert_eq!(decode(stem), id.as_bytes(), "{stem}");
            assert!(
                !stem.starts_with(['.', '-']) && !stem.contains(['/', '\\']),
                "{stem}"
            );
            assert!(!stem.contains(".."), "{stem}");
        }
        stems.sort();
        stems.dedup();
        assert_eq!(stems.len(), ids.len());
    }

    proptest::proptest! {
        #[test]
        fn file_stems_are_one_to_one(id in "\\PC{1,12}") {
            proptest::prop_assert_eq!(decode(&file_stem(&id)), id.as_bytes());
        }
    }

    #[test]
    fn option_like_and_helper_urls_are_refused() {
        for bad in [
            "--upload-pack=touch /tmp/x",
            "-c",
            "ext::sh -c touch% /tmp/x",
            "fd::3",
            "relative/path",
            "ftp://h/x",
            "https://",
            "/a\nb",
        ] {
            assert!(check_repo(bad).is_err(), "{bad:?}");
        }
        for good in [
            "https://github.com/o/r.git",
            "git@github.com:o/r.git",
            "/srv/forks/alice.git",
            "file:///srv/x.git",
        ] {
            assert_eq!(check_repo(good), Ok(Repo::Git(good.into())));
        }
    }

    #[test]
    fn parses_quotes_comments_blank_lines_and_names_bad_lines() {
        let text = "# class of 2026\nrepo,student_id,section\n\n\"/srv/a.git\",alice,1\n\"/srv/\"\"b\"\".git\",bob,2\n../x,../x,3\n/srv/c.git,ALICE,4\n";
        let e = parse("r.csv", text).unwrap();
        assert_eq!(e.len(), 4);
        assert_eq!((e[0].line, e[0].student.as_str()), (4, "alice"));
        assert_eq!(e[0].repo, Ok(Repo::Git("/srv/a.git".into())));
        assert_eq!(e[1].repo_text, "/srv/\"b\".git");
        assert!(
            e[2].repo.as_ref().unwrap_err().contains("`/`"),
            "{:?}",
            e[2]
        );
        assert!(
            e[3].repo.as_ref().unwrap_err().contains("line 4"),
            "{:?}",
            e[3]
        );

        let err = parse("r.csv", "student_id,repo\nalice,\"/srv/a.git\n").unwrap_err();
        assert!(err.starts_with("r.csv:2: a quoted field"), "{err}");
        let err = parse("r.csv", "student_id,repo\nalice\n").unwrap_err();
        assert!(err.starts_with("r.csv:2: 1 field(s)"), "{err}");
        let err = parse("r.csv", "name,url\n").unwrap_err();
        assert!(
            err.starts_with("r.csv:1: the first line must be a header"),
            "{err}"
        );
        assert!(parse("r.csv", "# nothing\n").unwrap_err().contains("empty"));
    }

    #[test]
    fn partitions_cover_every_id_exactly_once() {
        let parts: Vec<Partition> = (1..=3).map(|k| format!("{k}/3").parse().unwrap()).collect();
        let mut per = [0; 3];
        for i in 0..300 {
            let id = format!("student{i}");
            let owners: Vec<usize> = (0..3).filter(|&p| parts[p].holds(&id)).collect();
            assert_eq!(owners.len(), 1, "{id}");
            per[owners[0]] += 1;
        }
        assert!(per.iter().all(|&n| n > 60), "{per:?}");
        for bad in ["0/2", "3/2", "1/0", "x", "1-2"] {
            assert!(bad.parse::<Partition>().is_err(), "{bad}");
        }
    }
}
