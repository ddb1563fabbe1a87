//! Fetching a student's fork for the gradebook: never by running git in the
//! student's checkout (its `.git/config` is theirs) but from a fresh private
//! bare repository, with git's system and user configuration off
//! ([`crate::record::official::git`]), the `ext` transport refused, the repository
//! always after `--` (and checked by [`crate::class::roster::check_repo`] never to
//! start with `-`), and every git and tar process under the fork's time
//! limit. The disk a fork takes is bounded too: git keeps what it fetches
//! as one pack (`fetch.unpackLimit=1`), and no file the fetch writes (that
//! pack, the archive of the commit, an unpacked file) may grow past the
//! fork's size limit (`RLIMIT_FSIZE`). So is the memory git takes: every
//! git process runs under an address-space limit ([`memory_limit`]) with one
//! pack thread, so a tiny pack whose delta claims a huge object ends in
//! git's "out of memory", not in the grader's; and fetched objects are
//! checked (`transfer.fsckObjects`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::process::child::{ProcessEnd, RunLimits};
use crate::record::official::{git, is_full_commit};

/// A fork's commit, unpacked privately.
#[derive(Debug)]
pub struct Fetched {
    /// The commit graded.
    pub commit: String,
    /// Its committer date as git reports it (set by the student; reported only).
    pub commit_date: String,
    /// The private directory holding the checkout (removed when dropped).
    pub _dir: tempfile::TempDir,
    /// The unpacked files of the commit.
    pub checkout: PathBuf,
}

/// Whether `url` names a local repository (git's `file` protocol).
fn is_local(url: &str) -> bool {
    url.starts_with('/') || url.starts_with("file://")
}

/// The address space of one git (or tar) process: 256 MiB, plus four times
/// the fork's size limit when there is one (an object of that size, inflated,
/// and a delta's base and result).
fn memory_limit(file_bytes: Option<u64>) -> u64 {
    (256 << 20) + file_bytes.unwrap_or(0).saturating_mul(4)
}

/// Runs `cmd` with what is left of `deadline`, no file it writes larger
/// than `file_bytes` (when given) and its address space bounded by
/// [`memory_limit`]; its stdout on success.
fn run(cmd: Command, deadline: Instant, what: &str, file_bytes: Option<u64>) -> Result<String> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        bail!("out of time before it could {what}");
    }
    let out = crate::process::child::run_limited(
        cmd,
        RunLimits {
            time: left,
            memory_bytes: Some(memory_limit(file_bytes)),
            output_cap: 1 << 20,
            // git starts helpers (upload-pack, index-pack), which inherit
            // the file size limit.
            file_bytes,
            no_child_processes: false,
        },
    )?;
    match out.exit {
        ProcessEnd::Code(0) => Ok(out.stdout.text()),
        ProcessEnd::TimedOut => bail!("ran out of time while trying to {what}"),
        ProcessEnd::Code(_) | ProcessEnd::Signal(_) => {
            let err = out.stderr.text();
            let last: Vec<&str> = err.trim().lines().rev().take(3).collect();
            let why = last.into_iter().rev().collect::<Vec<_>>().join(" / ");
            if err.contains("Out of memory") || err.contains("out of memory") {
                bail!(
                    "could not {what}: it needed more than the memory limit of {} MiB (256 MiB + 4 x --fork-max-mb): {why}",
                    memory_limit(file_bytes) >> 20
                )
            }
            bail!("could not {what}: {why}")
        }
    }
}

/// A git command for the fork `url`, with the transports allowed for it.
fn git_for(dir: &Path, home: &Path, url: &str) -> Command {
    let mut cmd = git(dir, home);
    cmd.args(["-c", "protocol.ext.allow=never"]).args([
        "-c",
        "transfer.fsckObjects=true",
        "-c",
        "pack.threads=1",
    ]);
    if is_local(url) {
        cmd.args(["-c", "protocol.file.allow=always"]);
    }
    cmd
}

/// A private directory with an empty home in it.
fn private_dir(prefix: &str) -> Result<(tempfile::TempDir, PathBuf)> {
    let tmp = tempfile::Builder::new()
        .prefix(prefix)
        .tempdir()
        .context("cannot create a private directory for a fork")?;
    let home = tmp.path().join("home");
    fs_err::create_dir(&home)?;
    Ok((tmp, home))
}

/// The commit the default branch (`HEAD`) of `url` points at now, asked
/// with `git ls-remote` (nothing is downloaded).
pub fn head_commit(url: &str, limit: Duration) -> Result<String> {
    let deadline = Instant::now() + limit;
    let (tmp, home) = private_dir("memgrade-remote-")?;
    let mut cmd = git_for(tmp.path(), &home, url);
    cmd.args(["ls-remote", "--", url, "HEAD"]);
    let out = run(cmd, deadline, &format!("list the branches of {url}"), None)?;
    let commit = out
        .lines()
        .find_map(|l| l.strip_suffix("\tHEAD"))
        .map(str::to_ascii_lowercase)
        .with_context(|| format!("{url} has no default branch (HEAD) with a commit"))?;
    if !is_full_commit(&commit) {
        bail!("{url} reported {commit:?} as its HEAD commit");
    }
    Ok(commit)
}

/// The size of the largest regular file under `dir` (0 when there is none).
fn largest_file(dir: &Path) -> u64 {
    crate::fsutil::walk(dir, &[])
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok().map(|m| m.len()))
        .max()
        .unwrap_or(0)
}

/// Fetches `commit` (or, with `None`, the default branch's `HEAD`) of `url`
/// into a fresh private repository and unpacks its files, all within
/// `deadline` and with no file larger than `max_bytes`.
pub fn fetch(
    url: &str,
    commit: Option<&str>,
    deadline: Instant,
    max_bytes: u64,
) -> Result<Fetched> {
    let (tmp, home) = private_dir("memgrade-fork-")?;
    // A step that fails after writing a file as large as the limit allows
    // was stopped by the limit: say so rather than git's own last words.
    let run = |cmd: Command, what: &str| {
        run(cmd, deadline, what, Some(max_bytes)).map_err(|e| {
            if largest_file(tmp.path()) >= max_bytes {
                e.context(format!(
                    "the fork is larger than the size limit of {} MiB (--fork-max-mb)",
                    max_bytes >> 20
                ))
            } else {
                e
            }
        })
    };
    let (repo, checkout) = (tmp.path().join("repo.git"), tmp.path().join("checkout"));
    fs_err::create_dir(&checkout)?;
    let mut init = git(tmp.path(), &home);
    init.args(["init", "-q", "--bare"]).arg(&repo);
    run(init, "create a private repository")?;
    let mut cmd = git_for(&repo, &home, url);
    cmd.args(["-c", "fetch.unpackLimit=1"])
        .args(["fetch", "-q", "--depth=1", "--no-tags", "--", url])
        .arg(commit.unwrap_or("HEAD"));
    run(cmd, &format!("fetch from {url}")).map_err(|e| match commit {
        Some(c) if largest_file(tmp.path()) < max_bytes => e.context(format!(
            "the commit {c} recorded at the deadline could not be fetched (was the history rewritten?)"
        )),
        _ => e,
    })?;
    let mut rev = git(&repo, &home);
    rev.args(["log", "-1", "--format=%H %cI", "FETCH_HEAD"]);
    let line = run(rev, "read the fetched commit")?;
    let (got, date) = line
        .trim()
        .split_once(' ')
        .context("git log gave no commit")?;
    if let Some(c) = commit
        && got != c
    {
        bail!("git fetched commit {got} from {url}, not the requested {c}");
    }
    let tar = tmp.path().join("commit.tar");
    let mut archive = git(&repo, &home);
    archive
        .args(["archive", "--format=tar", "-o"])
        .arg(&tar)
        .arg(got);
    run(archive, "read the fetched commit's files")?;
    let mut untar = Command::new("tar");
    untar
        .arg("-x")
        .arg("--no-same-owner")
        .arg("--no-same-permissions")
        .arg("-f")
        .arg(&tar)
        .arg("-C")
        .arg(&checkout)
        .env_clear()
        .env("PATH", crate::process::launch::private::PRIVATE_PATH)
        .env("LC_ALL", "C");
    run(untar, "unpack the fetched commit").context("tar")?;
    fs_err::remove_file(&tar)?;
    Ok(Fetched {
        commit: got.to_string(),
        commit_date: date.to_string(),
        _dir: tmp,
        checkout,
    })
}
