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

    // After the deadline: the snapshot is taken, the same commits reused.
    let past = "2020-01-01T00:00:00+01:00";
    let o = class.gradebook(&roster, "out", &["--deadline", past]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let snapshot = std::fs::read_to_string(class.path("out/snapshot.json")).unwrap();
    assert!(snapshot.contains(&bob_first), "{snapshot}");
    let b = class.book("out");
    assert_eq!(b["deadline"], "2019-12-31T23:00:00Z");
    assert_eq!(row(&b, "bob")["taken"], "deadline snapshot");
    assert_eq!(row(&b, "bob")["cost"]["resumed"], true);

    // Bob pushes the solution after the snapshot: the re-run grades the
    // snapshot's commit, and the snapshot file is not changed.
    let late = class.push("bob", &class.solution());
    let o = class.gradebook(&roster, "out", &["--deadline", past]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
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
        csv.lines()
            .any(|l| l.starts_with(&format!("bob,0,0,10,graded,{bob_first},deadline snapshot,"))),
        "{csv}"
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
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
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
    assert_eq!(listing(&class.path("out/students")), ["trent.json"]);
    assert_eq!(
        listing(&class.path("out")),
        ["gradebook.csv", "gradebook.json", "students"]
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
    assert_eq!(
        std::fs::read_to_string(class.path("merged/gradebook.csv")).unwrap(),
        std::fs::read_to_string(class.path("all/gradebook.csv")).unwrap()
    );
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
fn the_fork_workflow_installs_a_pinned_memgrade_and_holds_no_secrets() {
    let wf = std::fs::read_to_string(repo().join(".github/workflows/grade.yml")).unwrap();
    assert!(wf.contains("permissions:\n  contents: read\n"), "{wf}");
    assert!(
        !wf.contains("secrets."),
        "the fork's job must hold no secrets"
    );
    assert!(wf.contains("persist-credentials: false"), "{wf}");
    assert!(
        wf.contains("--git \"$MEMGRADE_REPO\" --rev \"$MEMGRADE_REV\" memgrade"),
        "{wf}"
    );
    assert!(
        !wf.contains("cargo build") && !wf.contains("--path ."),
        "memgrade must not be built from the fork's sources"
    );
    assert!(
        wf.contains("--format github"),
        "annotations and step summary"
    );
    let book = std::fs::read_to_string(repo().join(".github/workflows/gradebook.yml")).unwrap();
    for needed in [
        "--partition \"$SHARD/$SHARDS\"",
        "gradebook-merge shards/shard-*",
        "workflow_dispatch:",
        "schedule:",
        "actions/download-artifact@v4",
    ] {
        assert!(book.contains(needed), "gradebook.yml lacks {needed}");
    }
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
