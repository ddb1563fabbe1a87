//! Where the official course comes from when grading for the record: an
//! absolute directory, or a git repository and a full commit id fetched into
//! a private temporary directory. Nothing is resolved relative to, or
//! inside, the fork being graded or its git repository.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::course::{COURSE_FILE, Course};
use crate::exit::UsageError;

/// The official course as the command line names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CourseSource {
    /// A course directory (absolute, outside the fork).
    Dir(PathBuf),
    /// A git repository (URL or local path) and a full commit id.
    Git {
        /// Where to fetch from.
        url: String,
        /// The commit to grade with: 40 hexadecimal digits.
        commit: String,
    },
}

/// The official course, ready to read.
#[derive(Debug)]
pub struct Official {
    /// The course (its root holds grader.toml, memprobe and the exercises).
    pub course: Course,
    /// The private directory a git fetch went into (removed when dropped).
    _fetched: Option<tempfile::TempDir>,
}

fn usage(msg: String) -> anyhow::Error {
    UsageError(msg).into()
}

/// Whether `s` is a full commit id: exactly 40 hexadecimal digits.
pub fn is_full_commit(s: &str) -> bool {
    s.len() == 40 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

impl CourseSource {
    /// Builds the source from the options `--course` (or its alias
    /// `--tests-from`), `--course-git` and `--course-commit`, checking each
    /// against `fork` (the checkout being graded, if there is one): `None`
    /// when no outside course was named.
    pub fn from_args(
        dir: Option<&str>,
        git: Option<&str>,
        commit: Option<&str>,
        forks: &[&Path],
    ) -> Result<Option<CourseSource>> {
        match (dir, git, commit) {
            (None, None, None) => Ok(None),
            (Some(_), Some(_), _) => Err(usage(
                "--course (or --tests-from) and --course-git name the official course twice; give one"
                    .into(),
            )),
            (Some(d), None, Some(_)) => Err(usage(format!(
                "--course-commit goes with --course-git, not with --course {d}"
            ))),
            (None, Some(_), None) => Err(usage(
                "--course-git needs --course-commit SHA (the full 40-digit commit id)".into(),
            )),
            (None, None, Some(_)) => Err(usage(
                "--course-commit needs --course-git URL (the official repository)".into(),
            )),
            (Some(d), None, None) => Ok(Some(CourseSource::Dir(check_dir(d, forks)?))),
            (None, Some(url), Some(sha)) => {
                if url.starts_with('-') || url.is_empty() {
                    return Err(usage(format!(
                        "--course-git {url:?}: not a repository URL or path"
                    )));
                }
                if !is_full_commit(sha) {
                    return Err(usage(format!(
                        "--course-commit {sha}: give the full commit id (40 hexadecimal digits), not a branch, tag or short id"
                    )));
                }
                if !url.contains("://") && !url.contains(':') {
                    let p = Path::new(url);
                    if !p.is_absolute() {
                        return Err(usage(format!(
                            "--course-git {url}: a local repository must be given by an absolute path"
                        )));
                    }
                    refuse_inside_forks(p, forks, "--course-git")?;
                }
                Ok(Some(CourseSource::Git {
                    url: url.to_string(),
                    commit: sha.to_ascii_lowercase(),
                }))
            }
        }
    }

    /// Reads the course: loads the directory, or fetches the commit into a
    /// private temporary directory first.
    pub fn load(self) -> Result<Official> {
        match &self {
            CourseSource::Dir(d) => Ok(Official {
                course: Course::load(d)?,
                _fetched: None,
            }),
            CourseSource::Git { url, commit } => {
                let tmp = fetch(url, commit)?;
                let course = Course::load(&tmp.path().join("course"))?;
                Ok(Official {
                    course,
                    _fetched: Some(tmp),
                })
            }
        }
    }
}

impl std::fmt::Display for CourseSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CourseSource::Dir(d) => write!(f, "{}", d.display()),
            CourseSource::Git { url, commit } => write!(f, "{url} at {commit}"),
        }
    }
}

/// A bare revision name is the old way (resolved inside the fork); explain
/// the new one.
fn check_dir(d: &str, forks: &[&Path]) -> Result<PathBuf> {
    let p = Path::new(d);
    if !p.is_absolute() {
        return Err(usage(format!(
            "--course {d}: give the official course as an absolute directory, or as --course-git URL --course-commit SHA; \
             a relative path or a revision name would be looked up in the checkout being graded, which the student controls"
        )));
    }
    refuse_inside_forks(p, forks, "--course")?;
    if !p.join(COURSE_FILE).is_file() {
        return Err(usage(format!(
            "--course {d}: no {COURSE_FILE} there; give the official course's root directory"
        )));
    }
    Ok(p.to_path_buf())
}

/// Refuses a path inside (or equal to, or holding) a checkout being graded.
fn refuse_inside_forks(p: &Path, forks: &[&Path], option: &str) -> Result<()> {
    let real = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    for fork in forks {
        let fork_real = std::fs::canonicalize(fork).unwrap_or_else(|_| fork.to_path_buf());
        if real.starts_with(&fork_real) || p.starts_with(fork) {
            return Err(usage(format!(
                "{option} {}: that is inside the checkout being graded ({}), which the student controls; \
                 keep the official course outside it",
                p.display(),
                fork.display()
            )));
        }
    }
    Ok(())
}

/// The environment git runs with: nothing of the caller's but `PATH` (and
/// the TLS and proxy variables), no system or user configuration, no
/// prompts. Also used to fetch student forks ([`crate::class::forkgit`]).
pub fn git(dir: &Path, home: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("LC_ALL", "C")
        .stdin(Stdio::null());
    for var in [
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "HTTPS_PROXY",
        "https_proxy",
    ] {
        if let Some(v) = std::env::var_os(var) {
            cmd.env(var, v);
        }
    }
    cmd
}

fn run_git(mut cmd: Command, what: &str) -> Result<Vec<u8>> {
    let out = cmd
        .output()
        .with_context(|| format!("cannot run git to {what}; is git installed?"))?;
    if !out.status.success() {
        bail!(
            "git could not {what}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(out.stdout)
}

/// Fetches exactly `commit` from `url` into a fresh private directory and
/// checks it out (without hooks) into `<tmp>/course`.
fn fetch(url: &str, commit: &str) -> Result<tempfile::TempDir> {
    let tmp = tempfile::Builder::new()
        .prefix("memgrade-course-")
        .tempdir()
        .context("cannot create a private directory for the official course")?;
    let (repo, home, course) = (
        tmp.path().join("repo.git"),
        tmp.path().join("home"),
        tmp.path().join("course"),
    );
    for d in [&repo, &home, &course] {
        std::fs::create_dir(d).with_context(|| format!("cannot create {}", d.display()))?;
    }
    let mut init = git(tmp.path(), &home);
    init.args(["init", "-q", "--bare"]).arg(&repo);
    run_git(init, "create a private repository")?;
    let mut cmd = git(&repo, &home);
    let local = !url.contains("://") && !url.contains(':');
    cmd.args(["-c", "protocol.ext.allow=never"]);
    if local {
        cmd.args(["-c", "protocol.file.allow=always"]);
    }
    cmd.args(["fetch", "-q", "--depth=1", "--no-tags", "--", url, commit]);
    run_git(cmd, &format!("fetch {commit} from {url}")).map_err(|e| {
        anyhow::Error::from(UsageError(format!(
            "--course-git {url} --course-commit {commit}: {e:#}"
        )))
    })?;
    let mut rev = git(&repo, &home);
    rev.args(["rev-parse", "--verify", "FETCH_HEAD^{commit}"]);
    let got = String::from_utf8_lossy(&run_git(rev, "read the fetched commit")?)
        .trim()
        .to_string();
    if got != commit {
        bail!("git fetched commit {got} from {url}, not the requested {commit}");
    }
    let mut archive = git(&repo, &home);
    archive.args(["archive", "--format=tar", commit]);
    let tar = run_git(archive, &format!("read commit {commit}"))?;
    let mut untar = Command::new("tar");
    untar
        .arg("-x")
        .arg("--no-same-owner")
        .arg("-C")
        .arg(&course)
        .stdin(Stdio::piped());
    let mut child = untar.spawn().context("cannot run tar")?;
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().context("tar has no stdin")?;
        stdin
            .write_all(&tar)
            .context("cannot unpack the official course")?;
    }
    if !child.wait().context("waiting for tar")?.success() {
        bail!("cannot unpack commit {commit} of {url}");
    }
    if !course.join(COURSE_FILE).is_file() {
        return Err(usage(format!(
            "--course-git {url} --course-commit {commit}: that commit holds no {COURSE_FILE} at its root"
        )));
    }
    Ok(tmp)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "0123456789abcdef0123456789abcdef01234567";

    fn err(r: Result<Option<CourseSource>>) -> String {
        let e = r.unwrap_err();
        assert!(e.downcast_ref::<UsageError>().is_some(), "{e:#}");
        format!("{e:#}")
    }

    #[test]
    fn refuses_revision_names_relative_paths_and_option_like_urls() {
        let fork = tempfile::tempdir().unwrap();
        let forks = [fork.path()];
        let e = err(CourseSource::from_args(
            Some("course-v1"),
            None,
            None,
            &forks,
        ));
        assert!(e.contains("--course-git URL --course-commit SHA"), "{e}");
        let e = err(CourseSource::from_args(
            None,
            Some("--upload-pack=x"),
            Some(SHA),
            &forks,
        ));
        assert!(e.contains("not a repository URL"), "{e}");
        let e = err(CourseSource::from_args(
            None,
            Some("/srv/course.git"),
            Some("v1"),
            &forks,
        ));
        assert!(e.contains("40 hexadecimal digits"), "{e}");
        let e = err(CourseSource::from_args(
            None,
            Some("/srv/course.git"),
            Some(&SHA[..39]),
            &forks,
        ));
        assert!(e.contains("40 hexadecimal digits"), "{e}");
        let e = err(CourseSource::from_args(
            None,
            Some("/srv/c.git"),
            None,
            &forks,
        ));
        assert!(e.contains("needs --course-commit"), "{e}");
        let e = err(CourseSource::from_args(
            None,
            Some("c.git"),
            Some(SHA),
            &forks,
        ));
        assert!(e.contains("absolute path"), "{e}");
    }

    #[test]
    fn refuses_a_course_inside_the_fork() {
        let fork = tempfile::tempdir().unwrap();
        let inside = fork.path().join("course-v1");
        std::fs::create_dir_all(&inside).unwrap();
        std::fs::write(inside.join(COURSE_FILE), "").unwrap();
        let e = err(CourseSource::from_args(
            Some(inside.to_str().unwrap()),
            None,
            None,
            &[fork.path()],
        ));
        assert!(e.contains("inside the checkout being graded"), "{e}");
        let e = err(CourseSource::from_args(
            None,
            Some(fork.path().join(".git").to_str().unwrap()),
            Some(SHA),
            &[fork.path()],
        ));
        assert!(e.contains("inside the checkout being graded"), "{e}");
    }

    #[test]
    fn accepts_an_outside_directory_and_a_full_commit() {
        let course = tempfile::tempdir().unwrap();
        std::fs::write(course.path().join(COURSE_FILE), "").unwrap();
        let fork = tempfile::tempdir().unwrap();
        let s = CourseSource::from_args(
            Some(course.path().to_str().unwrap()),
            None,
            None,
            &[fork.path()],
        )
        .unwrap();
        assert_eq!(s, Some(CourseSource::Dir(course.path().to_path_buf())));
        let upper = SHA.to_ascii_uppercase();
        let s = CourseSource::from_args(None, Some("https://h/c.git"), Some(&upper), &[]).unwrap();
        assert_eq!(
            s,
            Some(CourseSource::Git {
                url: "https://h/c.git".into(),
                commit: SHA.into()
            })
        );
    }
}
