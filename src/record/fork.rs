//! What memgrade reads from a student's fork when it grades for the record:
//! exactly the regular `.rs` files under each exercise's `src/`, bounded in
//! number and size. Nothing is followed through a symbolic link; every other
//! kind of file is refused with a message naming it.

use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// The limits on what one exercise's `src/` may hold (all in one place).
pub mod limits {
    /// Files per exercise.
    pub const MAX_FILES: usize = 64;
    /// Bytes per file.
    pub const MAX_FILE_BYTES: u64 = 256 * 1024;
    /// Bytes per exercise, all files together.
    pub const MAX_EXERCISE_BYTES: u64 = 1024 * 1024;
    /// Directory depth below `src/`.
    pub const MAX_DEPTH: usize = 8;
}

/// One accepted source file: its path relative to the exercise's `src/` and
/// its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path below `src/`, e.g. `lib.rs` or `parse/mod.rs`.
    pub rel: PathBuf,
    /// The bytes read.
    pub bytes: Vec<u8>,
}

/// Reads the sources of the exercise at `exercise_dir` (relative to the fork
/// root, e.g. `exercises/01_join_words`). `Err` holds the reason the
/// exercise's sources are refused, naming the file (relative to the fork).
pub fn read_sources(fork: &Path, exercise_dir: &Path) -> Result<Vec<SourceFile>, String> {
    // Every directory from the fork root down to src/ must be a real
    // directory: a symlinked `exercises/`, exercise or `src/` could point
    // into another checkout or into the official course.
    let mut rel = PathBuf::new();
    for part in exercise_dir.join("src").components() {
        rel.push(part);
        let meta = std::fs::symlink_metadata(fork.join(&rel)).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                format!("{} is missing", rel.display())
            } else {
                format!("cannot read {}: {e}", rel.display())
            }
        })?;
        if meta.file_type().is_symlink() {
            return Err(format!(
                "{} is a symbolic link; only regular files and directories are graded",
                rel.display()
            ));
        }
        if !meta.is_dir() {
            return Err(format!("{} is not a directory", rel.display()));
        }
    }
    let mut files = Vec::new();
    let mut total = 0u64;
    for entry in crate::fsutil::walk(&fork.join(&rel), &[]).max_depth(limits::MAX_DEPTH + 1) {
        let entry = entry.map_err(|e| walk_error(fork, &e))?;
        let below = entry
            .path()
            .strip_prefix(fork.join(&rel))
            .unwrap_or(entry.path());
        if let Some(file) = accept(
            fork,
            &rel,
            below,
            entry.file_type(),
            files.len(),
            &mut total,
        )? {
            files.push(file);
        }
    }
    if !files.iter().any(|f| f.rel == Path::new("lib.rs")) {
        return Err(format!("{} is missing", rel.join("lib.rs").display()));
    }
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(files)
}

/// A directory of the fork that cannot be listed, named relative to the
/// fork.
fn walk_error(fork: &Path, e: &walkdir::Error) -> String {
    let dir = e.path().unwrap_or(fork);
    let shown = dir.strip_prefix(fork).unwrap_or(dir);
    match e.io_error() {
        Some(io) => format!("cannot read {}: {io}", shown.display()),
        None => format!("cannot read {}: {e}", shown.display()),
    }
}

/// Checks one entry the walk of `src` (relative to the fork) met at
/// `below`, `files` accepted so far and `total` bytes read: a directory
/// within the depth limit is `None` (the walk goes in); a regular `.rs` file
/// within the limits is read; anything else refuses the exercise.
fn accept(
    fork: &Path,
    src: &Path,
    below: &Path,
    kind: std::fs::FileType,
    files: usize,
    total: &mut u64,
) -> Result<Option<SourceFile>, String> {
    let shown = src.join(below);
    if kind.is_symlink() {
        return Err(format!(
            "{} is a symbolic link; only regular files are graded",
            shown.display()
        ));
    }
    if kind.is_dir() {
        if below.components().count() > limits::MAX_DEPTH {
            return Err(format!(
                "{} is nested deeper than {} directories",
                shown.display(),
                limits::MAX_DEPTH
            ));
        }
        return Ok(None);
    }
    if !kind.is_file() {
        return Err(format!(
            "{} is not a regular file (a FIFO, socket or device)",
            shown.display()
        ));
    }
    if below.extension().is_none_or(|e| e != "rs") {
        return Err(format!(
            "{} is not a .rs file; src/ may hold only Rust sources",
            shown.display()
        ));
    }
    if files >= limits::MAX_FILES {
        return Err(format!(
            "{} holds more than {} files",
            src.display(),
            limits::MAX_FILES
        ));
    }
    let bytes = read_regular(&fork.join(&shown), &shown)?;
    *total += bytes.len() as u64;
    if *total > limits::MAX_EXERCISE_BYTES {
        return Err(format!(
            "{} holds more than {} KiB of sources",
            src.display(),
            limits::MAX_EXERCISE_BYTES / 1024
        ));
    }
    Ok(Some(SourceFile {
        rel: below.to_path_buf(),
        bytes,
    }))
}

/// Reads one file without following a link at its last component (the
/// directories above were checked one by one) and only if it is, once
/// open, still a regular file within the size limit.
fn read_regular(path: &Path, shown: &Path) -> Result<Vec<u8>, String> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| format!("cannot open {}: {e}", shown.display()))?;
    let meta = file
        .metadata()
        .map_err(|e| format!("cannot read {}: {e}", shown.display()))?;
    if !meta.is_file() {
        return Err(format!("{} is not a regular file", shown.display()));
    }
    let too_big = || {
        format!(
            "{} is larger than {} KiB",
            shown.display(),
            limits::MAX_FILE_BYTES / 1024
        )
    };
    if meta.len() > limits::MAX_FILE_BYTES {
        return Err(too_big());
    }
    let mut bytes = Vec::new();
    file.take(limits::MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {}: {e}", shown.display()))?;
    if bytes.len() as u64 > limits::MAX_FILE_BYTES {
        return Err(too_big());
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EX: &str = "exercises/01_a";

    fn fork() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join(EX).join("src/inner")).unwrap();
        std::fs::write(d.path().join(EX).join("src/lib.rs"), "pub fn a() {}").unwrap();
        std::fs::write(d.path().join(EX).join("src/inner/mod.rs"), "").unwrap();
        d
    }

    #[test]
    fn reads_rust_sources_recursively() {
        let d = fork();
        let files = read_sources(d.path(), Path::new(EX)).unwrap();
        let names: Vec<_> = files.iter().map(|f| f.rel.clone()).collect();
        assert_eq!(
            names,
            vec![PathBuf::from("inner/mod.rs"), PathBuf::from("lib.rs")]
        );
        assert_eq!(files[1].bytes, b"pub fn a() {}");
    }

    #[test]
    fn refuses_symlinked_files_and_directories() {
        let d = fork();
        let other = tempfile::tempdir().unwrap();
        std::fs::write(other.path().join("lib.rs"), "").unwrap();
        let lib = d.path().join(EX).join("src/lib.rs");
        std::fs::remove_file(&lib).unwrap();
        std::os::unix::fs::symlink(other.path().join("lib.rs"), &lib).unwrap();
        let e = read_sources(d.path(), Path::new(EX)).unwrap_err();
        assert!(e.contains("src/lib.rs is a symbolic link"), "{e}");

        let d = fork();
        let src = d.path().join(EX).join("src");
        std::fs::remove_dir_all(&src).unwrap();
        std::os::unix::fs::symlink(other.path(), &src).unwrap();
        let e = read_sources(d.path(), Path::new(EX)).unwrap_err();
        assert!(e.contains("01_a/src is a symbolic link"), "{e}");

        let d = fork();
        let ex = d.path().join("exercises");
        std::fs::rename(&ex, d.path().join("real")).unwrap();
        std::os::unix::fs::symlink(d.path().join("real"), &ex).unwrap();
        let e = read_sources(d.path(), Path::new(EX)).unwrap_err();
        assert!(e.starts_with("exercises is a symbolic link"), "{e}");
    }

    #[test]
    fn refuses_other_files_fifos_and_oversized_sources() {
        let d = fork();
        std::fs::write(d.path().join(EX).join("src/data.txt"), "x").unwrap();
        let e = read_sources(d.path(), Path::new(EX)).unwrap_err();
        assert!(e.contains("src/data.txt is not a .rs file"), "{e}");

        let d = fork();
        let fifo = d.path().join(EX).join("src/pipe.rs");
        rustix::fs::mkfifoat(rustix::fs::CWD, &fifo, rustix::fs::Mode::from(0o600)).unwrap();
        let e = read_sources(d.path(), Path::new(EX)).unwrap_err();
        assert!(e.contains("src/pipe.rs is not a regular file"), "{e}");

        let d = fork();
        let big = vec![b' '; limits::MAX_FILE_BYTES as usize + 1];
        std::fs::write(d.path().join(EX).join("src/big.rs"), big).unwrap();
        let e = read_sources(d.path(), Path::new(EX)).unwrap_err();
        assert!(e.contains("src/big.rs is larger than 256 KiB"), "{e}");

        let d = fork();
        for i in 0..limits::MAX_FILES {
            std::fs::write(d.path().join(EX).join(format!("src/f{i}.rs")), "").unwrap();
        }
        let e = read_sources(d.path(), Path::new(EX)).unwrap_err();
        assert!(e.contains("more than 64 files"), "{e}");

        let d = fork();
        std::fs::remove_file(d.path().join(EX).join("src/lib.rs")).unwrap();
        let e = read_sources(d.path(), Path::new(EX)).unwrap_err();
        assert_eq!(e, "exercises/01_a/src/lib.rs is missing");
        let e = read_sources(d.path(), Path::new("exercises/02_b")).unwrap_err();
        assert_eq!(e, "exercises/02_b is missing");
    }
}
