//! Grading a class from a roster: forks as local bare git repositories, the
//! deadline snapshot, hostile roster values, the class cache (an identical
//! fork builds and runs nothing), resuming, and shards merged into the
//! unsharded gradebook. The official course has one exercise (join_words)
//! to keep each grading to a few seconds.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

/// Runs git in `dir` with a fixed identity and no user configuration.
fn git(dir: &Path, args: &[&str]) -> String {
    let o = std::process::Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "student")
        .env("GIT_AUTHOR_EMAIL", "student@example.com")
        .env("GIT_COMMITTER_NAME", "student")
        .env("GIT_COMMITTER_EMAIL", "student@example.com")
        .output()
        .unwrap();
    assert!(o.status.success(), "git {args:?}: {}", text(&o));
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

const LIB: &str = "exercises/01_join_words/src/lib.rs";

/// A class: the official course, and a directory holding the students'
/// working copies, their bare "remote" repositories, rosters and outputs.
struct Class {
    official: common::Course,
    dir: tempfile::TempDir,
}

impl Class {
    fn new() -> Class {
        Class {
            official: course(),
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn solution(&self) -> String {
        std::fs::read_to_string(
            self.official
                .path()
                .join("solutions/01_join_words/src/lib.rs"),
        )
        .unwrap()
    }

    /// A fork of the official course whose lib.rs is `lib` (the stub when
    /// `None`), committed and pushed to `remotes/<name>.git`.
    fn fork(&self, name: &str, lib: Option<&str>) -> PathBuf {
        self.fork_edited(name, |work| {
            if let Some(lib) = lib {
                std::fs::write(work.join(LIB), lib).unwrap();
            }
        })
    }

    /// A fork of the official course with `edit` applied to its working
    /// copy, committed and pushed to `remotes/<name>.git`.
    fn fork_edited(&self, name: &str, edit: impl FnOnce(&Path)) -> PathBuf {
        let work = self.path(&format!("work/{name}"));
        self.official.copy_to(&work);
        edit(&work);
        git(&work, &["init", "-q", "-b", "main"]);
        git(&work, &["add", "-A"]);
        git(&work, &["commit", "-q", "-m", "start"]);
        let bare = self.path(&format!("remotes/{name}.git"));
        std::fs::create_dir_all(bare.parent().unwrap()).unwrap();
        git(
            self.dir.path(),
            &[
                "clone",
                "-q",
                "--bare",
                work.to_str().unwrap(),
                bare.to_str().unwrap(),
            ],
        );
        git(&work, &["remote", "add", "origin", bare.to_str().unwrap()]);
        bare
    }

    /// Commits `lib` in the fork `name` and pushes it; returns the commit.
    fn push(&self, name: &str, lib: &str) -> String {
        let work = self.path(&format!("work/{name}"));
        std::fs::write(work.join(LIB), lib).unwrap();
        git(&work, &["commit", "-q", "-am", "later"]);
        git(&work, &["push", "-q", "origin", "main"]);
        git(&work, &["rev-parse", "HEAD"])
    }

    fn roster(&self, name: &str, text: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    /// `memgrade gradebook --roster ROSTER --course OFFICIAL --out OUT ARGS`.
    fn gradebook(&self, roster: &Path, out: &str, args: &[&str]) -> std::process::Output {
        Memgrade::new()
            .args(["gradebook", "--roster"])
            .arg_path(roster)
            .args(["--course", self.official.path().to_str().unwrap()])
            .args(["--sandbox", common::record_sandbox(), "--out"])
            .arg_path(&self.path(out))
            .args(args)
            .output()
    }

    fn book(&self, out: &str) -> Value {
        serde_json::from_slice(&std::fs::read(self.path(out).join("gradebook.json")).unwrap())
            .unwrap()
    }
}

trait ArgPath {
    fn arg_path(self, p: &Path) -> Self;
}

impl ArgPath for Memgrade {
    fn arg_path(self, p: &Path) -> Memgrade {
        self.args([p.as_os_str()])
    }
}

fn row<'a>(book: &'a Value, student: &str) -> &'a Value {
    book["students"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["student"] == student)
        .unwrap_or_else(|| panic!("no row for {student}: {book:#}"))
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_commit_pushed_after_the_deadline_snapshot_is_not_graded() {
    let class = Class::new();
    let alice = class.fork("alice", Some(&class.solution()));
    let bob = class.fork("bob", None);
    let roster = class.roster(
        "roster.csv",
        &format!(
            "# section 1\nstudent_id,repo\n\nalice,{}\n\"bob\",\"{}\"\n",
            alice.display(),
            bob.display()
        ),
    );

    // Before the deadline: the current commits, marked so; no snapshot.
    let o = class.gradebook(&roster, "out", &["--deadline", "2999-01-01T00:00:00Z"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("has not passed"), "{}", text(&o));
    assert!(!class.path("out/snapshot.json").exists());
    let b = class.book("out");
    assert_eq!(row(&b, "alice")["taken"], "before deadline");
    assert_eq!(row(&b, "alice")["score"], 10.0);
    assert_eq!(row(&b, "bob")["score"], 0.0);
    let bob_first = row(&b, "bob")["commit"].as_str().unwrap().to_string();
    assert!(!row(&b, "bob")["commit_date"].as_str().unwrap().is_empty());

    // Long after the deadline, a first snapshot is refused: it would take
    // whatever was pushed since. --late-ok takes it, and says how late.
    let past = "2020-01-01T00:00:00+01:00";
    let o = class.gradebook(&roster, "out", &["--deadline", past]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("2 fork(s) have no snapshot yet (alice, bob)")
            && text(&o).contains("--late-ok"),
        "{}",
        text(&o)
    );
    assert!(!class.path("out/snapshot.json").exists());
    let o = class.gradebook(&roster, "out", &["--deadline", past, "--late-ok"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let late_note = "note: the deadline snapshot of 2 fork(s) was taken after the deadline, up to ";
    assert!(text(&o).contains(late_note), "{}", text(&o));
    let snapshot = std::fs::read_to_string(class.path("out/snapshot.json")).unwrap();
    assert!(snapshot.contains(&bob_first), "{snapshot}");
    let snap: Value = serde_json::from_str(&snapshot).unwrap();
    assert!(snap["students"]["bob"]["late_s"].as_u64().unwrap() > 6 * 365 * 86_400);
    let b = class.book("out");
    assert_eq!(b["deadline"], "2019-12-31T23:00:00Z");
    assert_eq!(row(&b, "bob")["taken"], "deadline snapshot");
    assert_eq!(row(&b, "bob")["cost"]["resumed"], true);
    let late = row(&b, "bob")["late"].as_str().unwrap().to_string();
    assert!(
        late.starts_with("snapshot taken ")
            && late.contains(" after the deadline; commit dated ")
            && late.ends_with(" after the deadline"),
        "{late}"
    );

    // Bob pushes the solution after the snapshot: the re-run grades the
    // snapshot's commit, and the snapshot file is not changed.
    // The snapshot exists: no --late-ok needed, and the lateness is said
    // on every run.
    let late = class.push("bob", &class.solution());
    let o = class.gradebook(&roster, "out", &["--deadline", past]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains(late_note), "{}", text(&o));
    let b = class.book("out");
    assert_eq!(row(&b, "bob")["commit"], bob_first.as_str());
    assert_eq!(row(&b, "bob")["score"], 0.0);
    assert_eq!(
        std::fs::read_to_string(class.path("out/snapshot.json")).unwrap(),
        snapshot
    );
    let report: Value =
        serde_json::from_slice(&std::fs::read(class.path("out/students/bob.json")).unwrap())
            .unwrap();
    assert_eq!(report["commit"], bob_first.as_str());
    let csv = std::fs::read_to_string(class.path("out/gradebook.csv")).unwrap();
    assert!(
        csv.lines().any(|l| l.starts_with(&format!(
            "bob,0,0,10,graded,{bob_first},deadline snapshot,2019-12-31T23:00:00Z,snapshot taken "
        ))),
        "{csv}"
    );

    // A deadline that is not RFC 3339 is a usage error naming the flag.
    let o = class.gradebook(&roster, "bad", &["--deadline", "2026-12-01T23:59:00é1:00"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("invalid value '2026-12-01T23:59:00é1:00' for '--deadline <TIME>'")
            && text(&o).contains("is not an RFC 3339 time"),
        "{}",
        text(&o)
    );

    // The snapshot belongs to its deadline.
    let o = class.gradebook(&roster, "out", &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("pass --deadline"), "{}", text(&o));
    let o = class.gradebook(&roster, "out", &["--deadline", "2020-02-01T00:00:00Z"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));

    // Without a deadline the late commit is graded; with the class cache
    // from before, it is alice's submission and is reused, not rebuilt.
    common::copy_tree(&class.path("out/.cache"), &class.path("now/.cache"));
    let o = class.gradebook(&roster, "now", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let b = class.book("now");
    let r = row(&b, "bob");
    assert_eq!(
        (r["commit"].as_str(), r["score"].as_f64()),
        (Some(late.as_str()), Some(10.0))
    );
    assert_eq!(r["taken"], "current HEAD");
    assert_eq!(strs(&r["cost"]["reused"]), ["join_words"]);
    assert_eq!(
        strs(&r["identical_to"]),
        ["join_words:solution", "join_words:alice"]
    );
    assert_eq!(b["cost"]["graded"], 0, "{b:#}");
}

#[test]
fn an_extension_moves_one_students_snapshot() {
    let class = Class::new();
    let alice = class.fork("alice", None);
    let bob = class.fork("bob", None);
    let roster = class.roster(
        "roster.csv",
        &format!(
            "student_id,repo\nalice,{}\nbob,{}\n",
            alice.display(),
            bob.display()
        ),
    );
    // The class's deadline is long past; bob's extension is not.
    let ext = class.roster(
        "ext.csv",
        "student_id,deadline\n# medical\nbob,2999-01-01T00:00:00+02:00\n",
    );
    let args = |ext: &Path| {
        vec![
            "--deadline".to_string(),
            "2020-01-01T00:00:00Z".into(),
            "--extensions".into(),
            ext.display().to_string(),
            "--late-ok".into(),
        ]
    };
    let a = args(&ext);
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let o = class.gradebook(&roster, "out", &a);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let b = class.book("out");
    assert_eq!(row(&b, "alice")["taken"], "deadline snapshot");
    assert_eq!(row(&b, "alice")["deadline"], "2020-01-01T00:00:00Z");
    assert_eq!(row(&b, "bob")["taken"], "before deadline");
    assert_eq!(row(&b, "bob")["deadline"], "2998-12-31T22:00:00Z");
    assert_eq!(row(&b, "bob")["late"], Value::Null);
    let snap: Value =
        serde_json::from_slice(&std::fs::read(class.path("out/snapshot.json")).unwrap()).unwrap();
    let taken: Vec<&String> = snap["students"].as_object().unwrap().keys().collect();
    assert_eq!(taken, ["alice"]);

    // A bad extension names its file and line.
    let bad = class.roster(
        "bad.csv",
        "student_id,deadline\n\ncarol,2030-01-01T00:00:00Z\n",
    );
    let a = args(&bad);
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let o = class.gradebook(&roster, "out2", &a);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("bad.csv:3: \"carol\" is not a student of the roster"),
        "{}",
        text(&o)
    );
}

#[test]
fn a_fork_over_the_size_limit_is_stopped_and_recorded_with_the_reason() {
    let class = Class::new();
    let alice = class.fork("alice", Some(&class.solution()));
    // Mallory commits 3 MiB that do not compress, beside a solved exercise.
    let mallory = class.fork_edited("mallory", |work| {
        std::fs::write(work.join(LIB), class.solution()).unwrap();
        let mut noise = Vec::with_capacity(3 << 20);
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        while noise.len() < 3 << 20 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            noise.extend_from_slice(&x.to_le_bytes());
        }
        std::fs::write(work.join("noise.bin"), noise).unwrap();
    });
    let roster = class.roster(
        "roster.csv",
        &format!(
            "student_id,repo\nalice,{}\nmallory,{}\n",
            alice.display(),
            mallory.display()
        ),
    );

    let o = class.gradebook(&roster, "out", &["--fork-max-mb", "1"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let b = class.book("out");
    assert_eq!(row(&b, "alice")["score"], 10.0, "{b:#}");
    let m = row(&b, "mallory");
    assert_eq!(
        (m["status"].as_str(), m["score"].as_f64()),
        (Some("error"), Some(0.0)),
        "{m:#}"
    );
    assert!(
        m["error"]
            .as_str()
            .unwrap()
            .contains("larger than the size limit of 1 MiB (--fork-max-mb)"),
        "{m:#}"
    );

    // In shards: the one holding mallory exits 1, the other 0, and so do
    // the counts; the merge exits 1 like the unsharded run.
    let mut codes = Vec::new();
    for k in ["1", "2"] {
        let out = format!("shard{k}");
        let o = class.gradebook(
            &roster,
            &out,
            &["--fork-max-mb", "1", "--partition", &format!("{k}/2")],
        );
        let holds_mallory = class.book(&out)["students"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["student"] == "mallory");
        codes.push((holds_mallory, o.status.code()));
        if holds_mallory {
            assert!(
                text(&o).contains(": 0 graded, 0 rejected, 1 could not be graded;")
                    || text(&o).contains(": 1 graded, 0 rejected, 1 could not be graded;"),
                "{}",
                text(&o)
            );
        }
    }
    codes.sort();
    assert!(
        codes
            .iter()
            .all(|(m, c)| *c == Some(if *m { 1 } else { 0 })),
        "{codes:?}"
    );
    let o = Memgrade::new()
        .args(["gradebook-merge"])
        .arg_path(&class.path("shard1"))
        .arg_path(&class.path("shard2"))
        .args(["--out"])
        .arg_path(&class.path("merged"))
        .output();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("2 roster row(s): 1 graded, 0 rejected, 1 could not be graded;"),
        "{}",
        text(&o)
    );

    // Under a limit it fits, the same fork is fetched and graded.
    let o = class.gradebook(&roster, "big", &["--fork-max-mb", "8"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(row(&class.book("big"), "mallory")["score"], 10.0);

    let o = class.gradebook(&roster, "zero", &["--fork-max-mb", "0"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("--fork-max-mb must be from 1"),
        "{}",
        text(&o)
    );
}

#[test]
fn hostile_roster_values_are_rejected_and_nothing_escapes_out() {
    let class = Class::new();
    let sentinel = class.path("pwned");
    let tmp = class.path("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let roster = class.roster(
        "roster.csv",
        &format!(
            "student_id,repo\n../x,/srv/x.git\na/b,/srv/x.git\n-rf,/srv/x.git\n..,/srv/x.git\nmallory,--upload-pack=touch {s}\neve,ext::sh -c touch% {s}\nrel,forks/trent.git\ntrent,{missing}\nTrent,/srv/y.git\n",
            s = sentinel.display(),
            missing = class.path("no-such-repo.git").display()
        ),
    );
    let o = Memgrade::new()
        .env("TMPDIR", &tmp)
        .args(["gradebook", "--roster"])
        .arg_path(&roster)
        .args(["--course", class.official.path().to_str().unwrap()])
        .args(["--sandbox", common::record_sandbox(), "--out"])
        .arg_path(&class.path("out"))
        .output();
    // Rejected rows: the roster needs fixing (exit 2), the rest is graded
    // and counted apart.
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("9 roster row(s): 0 graded, 8 rejected, 1 could not be graded;"),
        "{}",
        text(&o)
    );
    assert!(!sentinel.exists(), "the injected option ran");
    let b = class.book("out");
    let rows = b["students"].as_array().unwrap();
    let status: Vec<(String, String)> = rows
        .iter()
        .map(|r| {
            (
                r["student"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want = [
        ("../x", "rejected"),
        ("a/b", "rejected"),
        ("-rf", "rejected"),
        ("..", "rejected"),
        ("mallory", "rejected"),
        ("eve", "rejected"),
        ("rel", "rejected"),
        ("trent", "error"),
        ("Trent", "rejected"),
    ];
    assert_eq!(
        status,
        want.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect::<Vec<_>>()
    );
    let err = |s: &str| row(&b, s)["error"].as_str().unwrap().to_string();
    assert!(
        err("mallory").contains("starts with `-`"),
        "{}",
        err("mallory")
    );
    assert!(err("eve").contains("transport::address"), "{}", err("eve"));
    assert!(
        err("Trent").contains("duplicate of the one on line 9"),
        "{}",
        err("Trent")
    );
    assert!(err("trent").contains("could not fetch"), "{}", err("trent"));
    // Only the accepted student has a report; nothing was written beside
    // --out, and the private directories are gone.
    let listing = |p: &Path| {
        let mut v: Vec<String> = std::fs::read_dir(p)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        listing(&class.path("out/students")),
        ["trent.json", "trent.md"]
    );
    assert_eq!(
        listing(&class.path("out")),
        [
            "class.html",
            "gradebook.csv",
            "gradebook.json",
            "students",
            "summary.md"
        ]
    );
    assert_eq!(listing(class.dir.path()), ["out", "roster.csv", "tmp"]);
    assert!(listing(&tmp).is_empty(), "{:?}", listing(&tmp));

    // A malformed roster is a usage error naming the file and line.
    let bad = class.roster("bad.csv", "student_id,repo\nalice,\"/srv/a.git\n");
    let o = class.gradebook(&bad, "out2", &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("bad.csv:2: a quoted field is not closed"),
        "{}",
        text(&o)
    );
}

#[test]
fn gradebook_files_keep_student_text_inert_and_each_student_apart() {
    let class = Class::new();
    // `a b` and `_a_b-c8687a08` once shared one report file; a formula, a
    // bidi control and Markdown in ids; one repository that does not exist.
    let solved = class.fork("solved", Some(&class.solution()));
    let stub = class.fork("stub", None);
    let missing = class.path("missing.git");
    let roster = class.roster(
        "roster.csv",
        &format!(
            "\u{feff}student_id,repo\na b,{solved}\n_a_b-c8687a08,{stub}\n\"=SUM(A1,A2)\",{missing}\n@SUM(1),{missing}\n+1,{missing}\n**bold**,{missing}\nevil\u{202e}gnp.exe,{missing}\n",
            solved = solved.display(),
            stub = stub.display(),
            missing = missing.display()
        ),
    );
    for pass in ["first", "resumed"] {
        let o = class.gradebook(&roster, "out", &[]);
        assert_eq!(o.status.code(), Some(2), "{pass}: {}", text(&o));
        let b = class.book("out");
        assert_eq!(row(&b, "a b")["score"], 10.0, "{pass}: {b:#}");
        assert_eq!(row(&b, "_a_b-c8687a08")["score"], 0.0, "{pass}: {b:#}");
        if pass == "resumed" {
            assert_eq!(row(&b, "a b")["cost"]["resumed"], true, "{b:#}");
            assert_eq!(row(&b, "_a_b-c8687a08")["cost"]["resumed"], true);
        }
        // One report per student, each holding its own student.
        for id in ["a b", "_a_b-c8687a08", "=SUM(A1,A2)", "**bold**"] {
            let file = row(&b, id)["file"].as_str().unwrap().to_string();
            let report: Value = serde_json::from_slice(
                &std::fs::read(class.path(&format!("out/students/{file}.json"))).unwrap(),
            )
            .unwrap();
            assert_eq!(report["student"], id, "{file}");
        }
    }
    let reports = |ext: &str| {
        std::fs::read_dir(class.path("out/students"))
            .unwrap()
            .filter(|e| e.as_ref().unwrap().path().extension().unwrap() == ext)
            .count()
    };
    assert_eq!(reports("json"), 6, "one row per accepted student");
    assert_eq!(reports("md"), 6, "one report per accepted student");

    // No cell starts a formula or carries a bidi control.
    let csv_text = std::fs::read_to_string(class.path("out/gradebook.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let firsts: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect();
    assert_eq!(
        firsts,
        [
            "a b",
            "_a_b-c8687a08",
            "'=SUM(A1,A2)",
            "'@SUM(1)",
            "'+1",
            "**bold**",
            "evil\\u{202e}gnp.exe",
        ],
        "{csv_text}"
    );
    for c in ['\u{202a}', '\u{202e}', '\u{2066}', '\u{200f}', '\u{61c}'] {
        assert!(!csv_text.contains(c), "{csv_text}");
    }

    // The job summary shows student text as text.
    let summary = std::fs::read_to_string(class.path("out/summary.md")).unwrap();
    assert!(summary.contains("| \\*\\*bold\\*\\* |"), "{summary}");
    assert!(!summary.contains("**bold**"), "{summary}");
    assert!(
        summary.contains("7 student(s): 2 graded, 1 rejected, 4 could not be graded"),
        "{summary}"
    );
}

/// Runs headless Chromium on `page` with `what` (`--dump-dom`, or
/// `--screenshot=PATH`); its stdout.
fn chromium(page: &Path, what: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = std::process::Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--window-size=1000,1400",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(what)
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(out.status.success(), "chromium {what}: {}", text(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Width and height of a PNG file (from its IHDR chunk).
fn png_size(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(
        &bytes[..8],
        b"\x89PNG\r\n\x1a\n",
        "{} is not a PNG",
        path.display()
    );
    let word = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (word(16), word(20))
}

#[test]
fn reports_tell_an_untouched_fork_from_a_broken_one_and_the_class_page_renders() {
    let class = Class::new();
    let solved = class.fork("alice", Some(&class.solution()));
    let stub = class.fork("bob", None);
    let broken = class.fork(
        "carol",
        Some("pub fn join_words(words: &[&str]) -> String { words.len() }\n"),
    );
    let roster = class.roster(
        "roster.csv",
        &format!(
            "student_id,repo\nalice,{}\nbob,{}\ncarol,{}\n<b>dave</b>,{}\n",
            solved.display(),
            stub.display(),
            broken.display(),
            class.path("missing.git").display()
        ),
    );
    let o = class.gradebook(&roster, "out", &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));

    // gradebook.csv: the same 0 points, not the same thing.
    let csv_text = std::fs::read_to_string(class.path("out/gradebook.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let col = header
        .iter()
        .position(|h| h == "join_words status")
        .unwrap();
    let statuses: Vec<(String, String)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), r[col].to_string())
        })
        .collect();
    let want = [
        ("alice", "passed"),
        ("bob", "untouched"),
        ("carol", "compile error"),
        ("<b>dave</b>", ""),
    ];
    assert_eq!(
        statuses,
        want.map(|(a, b)| (a.to_string(), b.to_string())),
        "{csv_text}"
    );

    // The summary counts and tallies; each student's report says why.
    let summary = std::fs::read_to_string(class.path("out/summary.md")).unwrap();
    assert!(
        summary.contains("| carol | 0 / 10 | graded | 1 compile error |"),
        "{summary}"
    );
    assert!(
        summary.contains("| bob | 0 / 10 | graded | 1 untouched |"),
        "{summary}"
    );
    let carol = std::fs::read_to_string(class.path("out/students/carol.md")).unwrap();
    assert!(carol.contains("**Total: 0 / 10 points.**"), "{carol}");
    assert!(
        carol.contains("| join_words | compile error | 0 / 10 |"),
        "{carol}"
    );
    assert!(
        carol.contains("## Why not passed") && carol.contains("mismatched types"),
        "{carol}"
    );
    let bob = std::fs::read_to_string(class.path("out/students/bob.md")).unwrap();
    assert!(
        bob.contains("Not started (the starting code, unchanged): join_words."),
        "{bob}"
    );
    assert!(!bob.contains("Why not passed"), "{bob}");

    // class.html: self-contained, student text escaped, and it renders.
    let page = class.path("out/class.html");
    let html = std::fs::read_to_string(&page).unwrap();
    for outside in ["src=", "href=", "url(", "<script", "@import"] {
        assert!(!html.contains(outside), "{outside} in {html}");
    }
    assert!(html.contains("&lt;b&gt;dave&lt;/b&gt;"), "{html}");
    if !require_tool("chromium") {
        return;
    }
    let dom = chromium(&page, "--dump-dom");
    assert_eq!(dom.matches("<rect class=\"bin\"").count(), 10, "{dom}");
    assert!(
        dom.contains(
            "<p id=\"counts\">4 student(s): 3 graded, 1 rejected, 0 could not be graded.</p>"
        ),
        "{dom}"
    );
    assert!(
        dom.contains("<td>join_words</td><td class=\"n\">1 / 3</td><td class=\"n\">33%</td>"),
        "{dom}"
    );
    assert!(dom.contains("1 compile error, 1 untouched"), "{dom}");
    assert!(!dom.contains("<b>dave</b>"), "the id stays text: {dom}");
    let shot = class.path("class.png");
    chromium(&page, &format!("--screenshot={}", shot.display()));
    assert_eq!(png_size(&shot), (1000, 1400));
    // A page with the report draws more than an empty one.
    let empty = class.path("empty.html");
    std::fs::write(&empty, "<!DOCTYPE html><html><body></body></html>").unwrap();
    let blank = class.path("empty.png");
    chromium(&empty, &format!("--screenshot={}", blank.display()));
    let size = |p: &Path| std::fs::metadata(p).unwrap().len();
    assert!(
        size(&shot) > 4 * size(&blank),
        "{} vs {}",
        size(&shot),
        size(&blank)
    );
}

/// A `rustc` first on PATH that logs each call, then runs the real one:
/// every grading process resolves the toolchain once through it.
fn logging_rustc(dir: &Path) -> (String, PathBuf) {
    let real = std::process::Command::new("sh")
        .args(["-c", "command -v rustc"])
        .output()
        .unwrap();
    let real = String::from_utf8_lossy(&real.stdout).trim().to_string();
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = dir.join("rustc.log");
    let script = bin.join("rustc");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\necho \"$*\" >> '{}'\nexec '{real}' \"$@\"\n",
            log.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    (path, log)
}

fn sysroot_calls(log: &Path) -> usize {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains("--print sysroot"))
        .count()
}

/// The gradebook without what depends on the work done (costs, durations)
/// and on the partition.
fn comparable(mut v: Value) -> Value {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(m) => {
                m.remove("cost");
                m.remove("duration_ms");
                m.remove("partition");
                m.values_mut().for_each(strip);
            }
            Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut v);
    v
}

#[test]
fn identical_forks_are_graded_once_resumed_and_shards_merge_into_the_same_gradebook() {
    let class = Class::new();
    let solution = class.solution();
    let forks = [
        ("alice", class.fork("alice", Some(&solution))),
        ("bob", class.fork("bob", Some(&solution))),
        ("carol", class.fork("carol", None)),
    ];
    let mut text_roster = String::from("student_id,repo\n");
    for (name, bare) in &forks {
        text_roster.push_str(&format!("{name},{}\n", bare.display()));
    }
    let roster = class.roster("roster.csv", &text_roster);
    let (path, log) = logging_rustc(class.dir.path());
    let run = |out: &str, extra: &[&str]| {
        Memgrade::new()
            .env("PATH", &path)
            .args(["gradebook", "--roster"])
            .arg_path(&roster)
            .args(["--course", class.official.path().to_str().unwrap()])
            .args(["--sandbox", common::record_sandbox(), "--out"])
            .arg_path(&class.path(out))
            .args(extra)
            .output()
    };

    let o = run("all", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let whole = class.book("all");
    let cost = |s: &str, what: &str| strs(&row(&whole, s)["cost"][what]);
    assert_eq!(cost("alice", "graded"), ["join_words"]);
    // bob's sources are alice's: nothing of bob's is built or run.
    assert_eq!(cost("bob", "graded"), Vec::<String>::new());
    assert_eq!(cost("bob", "reused"), ["join_words"]);
    assert_eq!(cost("carol", "graded"), ["join_words"]);
    assert_eq!(whole["cost"]["graded"], 2);
    assert_eq!(whole["cost"]["reused"], 1);
    assert_eq!(
        whole["cost"]["per_exercise"]["join_words"],
        serde_json::json!([2, 1])
    );
    // The gradebook itself resolved the toolchain once, then one grading
    // process per fork that had something new: alice and carol, not bob.
    assert_eq!(
        sysroot_calls(&log),
        3,
        "{}",
        std::fs::read_to_string(&log).unwrap()
    );
    assert_eq!(row(&whole, "bob")["score"], 10.0);
    assert_eq!(
        row(&whole, "bob")["grade"],
        row(&whole, "alice")["grade"],
        "the reused result is alice's"
    );
    assert_eq!(
        strs(&row(&whole, "alice")["identical_to"]),
        ["join_words:solution", "join_words:bob"]
    );
    assert!(
        strs(&row(&whole, "carol")["identical_to"]).is_empty(),
        "a stub is not flagged"
    );

    // A re-run resumes: same commits, course, toolchain and memgrade.
    let o = run("all", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(sysroot_calls(&log), 4, "only the gradebook's own");
    let again = class.book("all");
    assert_eq!(again["cost"]["resumed"], 3, "{again:#}");
    assert_eq!(comparable(again.clone()), comparable(whole.clone()));

    // --no-reuse grades every fork again.
    let o = run("fresh", &["--no-reuse"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(class.book("fresh")["cost"]["graded"], 3);
    assert_eq!(sysroot_calls(&log), 8);

    // Two shards, each with its own output (and a copy of the class
    // cache, as a CI cache would restore), merged: the same gradebook.
    for k in ["1", "2"] {
        common::copy_tree(
            &class.path("all/.cache"),
            &class.path(&format!("shard{k}/.cache")),
        );
        let o = run(&format!("shard{k}"), &["--partition", &format!("{k}/2")]);
        assert!(matches!(o.status.code(), Some(0)), "{}", text(&o));
        assert_eq!(
            class.book(&format!("shard{k}"))["partition"],
            format!("{k}/2")
        );
    }
    let n1 = class.book("shard1")["students"].as_array().unwrap().len();
    let n2 = class.book("shard2")["students"].as_array().unwrap().len();
    assert_eq!(n1 + n2, 3);
    let merge = |dirs: &[&str]| {
        let mut m = Memgrade::new().args(["gradebook-merge"]);
        for d in dirs {
            m = m.arg_path(&class.path(d));
        }
        m.args(["--out"]).arg_path(&class.path("merged")).output()
    };
    let o = merge(&["shard2", "shard1"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(comparable(class.book("merged")), comparable(whole));
    for file in ["gradebook.csv", "class.html", "summary.md"] {
        assert_eq!(
            std::fs::read_to_string(class.path("merged").join(file)).unwrap(),
            std::fs::read_to_string(class.path("all").join(file)).unwrap(),
            "{file}"
        );
    }
    for name in ["alice", "bob", "carol"] {
        assert!(
            class
                .path(&format!("merged/students/{name}.json"))
                .is_file()
        );
    }
    let o = merge(&["shard1"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("shard(s) 2/2 missing"), "{}", text(&o));
    let o = merge(&["shard1", "all"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("not a shard"), "{}", text(&o));
}

#[test]
fn the_fork_workflow_builds_its_own_memgrade_holds_no_secrets_and_fails_only_on_real_errors() {
    let wf = std::fs::read_to_string(repo().join(".github/workflows/grade.yml")).unwrap();
    assert!(wf.contains("permissions:\n  contents: read\n"), "{wf}");
    assert!(
        !wf.contains("secrets."),
        "the fork's job must hold no secrets"
    );
    assert!(wf.contains("persist-credentials: false"), "{wf}");
    // memgrade from the fork's own copy of its source, never from the
    // repository that holds the solutions.
    assert!(
        wf.contains(
            "cargo install --locked --features instructor --root \"$RUNNER_TEMP/memgrade\" --path ."
        ),
        "{wf}"
    );
    assert!(!wf.contains("--git"), "{wf}");
    assert!(
        wf.contains("check --ci --exit-zero --format terminal --format github"),
        "unfinished exercises do not fail the job: {wf}"
    );
    let book = std::fs::read_to_string(repo().join(".github/workflows/gradebook.yml")).unwrap();
    for needed in [
        "--partition \"$SHARD/$SHARDS\"",
        "gradebook-merge shards/shard-*",
        "workflow_dispatch:",
        "schedule:",
        "cron: \"59 23 1 12 *\"",
        "DEADLINE: \"2026-12-01T23:59:00Z\"",
        "actions/download-artifact@v4",
        "--course \"$GITHUB_WORKSPACE/course\"",
        "token: ${{ secrets.COURSE_TOKEN || github.token }}",
    ] {
        assert!(book.contains(needed), "gradebook.yml lacks {needed}");
    }
}

/// The `run:` script of the step named `name` in a workflow.
fn step_script(workflow: &str, name: &str) -> String {
    let at = workflow
        .find(&format!("- name: {name}\n"))
        .unwrap_or_else(|| panic!("no step {name}"));
    let rest = &workflow[at..];
    let body = &rest[rest.find("run: |\n").unwrap() + "run: |\n".len()..];
    body.lines()
        .take_while(|l| l.is_empty() || l.starts_with("          "))
        .map(|l| l.trim_start())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_fork_workflow_fails_on_changed_graded_files_only() {
    if !require_tool("jq") {
        return;
    }
    let wf = std::fs::read_to_string(repo().join(".github/workflows/grade.yml")).unwrap();
    let script = step_script(&wf, "Fail on changed graded files");
    assert!(script.contains("memgrade-tamper-check"), "{script}");
    let dir = tempfile::tempdir().unwrap();
    let run = |statuses: &[&str]| {
        let exercises: Vec<Value> = statuses
            .iter()
            .map(|s| serde_json::json!({"name": "x\n::error::forged", "status": s}))
            .collect();
        std::fs::write(
            dir.path().join("memgrade-grade.json"),
            serde_json::json!({ "exercises": exercises }).to_string(),
        )
        .unwrap();
        std::process::Command::new("bash")
            .args(["-e", "-c", &script])
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let o = run(&["failed", "compile_error", "timed_out", "passed"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "unfinished work passes: {}",
        text(&o)
    );
    let o = run(&["failed", "tampered"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(
        out,
        "::error::graded files (tests, manifests, grader.toml or memprobe) differ from memgrade.lock in 1 exercise(s); restore them with memgrade reset\n"
    );
}

#[test]
fn the_student_template_has_the_feedback_workflow_but_not_the_gradebook_one() {
    let dest = tempfile::tempdir().unwrap();
    let student = dest.path().join("student");
    let o = Memgrade::new()
        .args(["--root"])
        .arg_path(&repo())
        .args(["template"])
        .arg_path(&student)
        .output();
    assert!(o.status.success(), "{}", text(&o));
    assert!(student.join(".github/workflows/grade.yml").is_file());
    assert!(!student.join(".github/workflows/gradebook.yml").exists());
    assert!(!student.join(".github/workflows/ci.yml").exists());
}
