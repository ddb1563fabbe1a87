//! `memgrade gradebook-merge`: combines the shard results of `gradebook
//! --partition K/N` (one directory per shard) into the gradebook an
//! unsharded run writes: rows in roster order, `identical_to` across every
//! shard, per-student reports.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::class::book::RowStatus;
use crate::exit::{EXIT_FAILED, EXIT_OK};

/// Options of `memgrade gradebook-merge`.
#[derive(Debug, Clone)]
pub struct MergeArgs {
    /// The shard directories (each holds a gradebook.json written with
    /// --partition K/N; every K from 1 to N exactly once).
    pub shards: Vec<PathBuf>,
    /// Where to write gradebook.csv, gradebook.json and students/.
    pub out: PathBuf,
}

/// Merges and writes; exit 1 when some student was not graded.
pub fn run(args: &MergeArgs) -> Result<i32> {
    let dirs: Vec<&Path> = args.shards.iter().map(PathBuf::as_path).collect();
    let book = crate::class::book::merge(&dirs)?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    book.write(&args.out)?;
    outln!(
        "merged {} shard(s), {} student(s): {}",
        dirs.len(),
        book.students.len(),
        args.out.join("gradebook.csv").display()
    );
    Ok(
        if book.students.iter().all(|r| r.status == RowStatus::Graded) {
            EXIT_OK
        } else {
            EXIT_FAILED
        },
    )
}
