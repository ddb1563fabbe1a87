//! `memgrade gradebook-merge`: combines the shard results of `gradebook
//! --partition K/N` (one directory per shard) into the gradebook an
//! unsharded run writes: rows in roster order, `identical_to` across every
//! shard, per-student reports, `summary.md` and `class.html`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::class::summary::Counts;

/// Options of `memgrade gradebook-merge`.
#[derive(Debug, Clone)]
pub struct MergeArgs {
    /// The shard directories (each holds a gradebook.json written with
    /// --partition K/N; every K from 1 to N exactly once).
    pub shards: Vec<PathBuf>,
    /// Where to write gradebook.csv, gradebook.json and students/.
    pub out: PathBuf,
}

/// Merges and writes; the exit code of the merged rows
/// ([`Counts::exit_code`]).
pub fn run(args: &MergeArgs) -> Result<i32> {
    let dirs: Vec<&Path> = args.shards.iter().map(PathBuf::as_path).collect();
    let book = crate::class::book::merge(&dirs)?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    book.write(&args.out)?;
    let counts = Counts::of(&book);
    outln!(
        "merged {} shard(s), {} roster row(s): {counts}; {}",
        dirs.len(),
        book.students.len(),
        args.out.join("gradebook.csv").display()
    );
    Ok(counts.exit_code())
}
