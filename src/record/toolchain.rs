//! The Rust toolchain a grade of record is built with, given by absolute
//! paths: resolved once (with the caller's rustup, from a directory the
//! student does not control), then run directly, so no rustup proxy and no
//! `rust-toolchain.toml` is consulted again.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

/// A resolved toolchain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toolchain {
    /// `rustc --print sysroot`.
    pub sysroot: PathBuf,
    /// `<sysroot>/bin/cargo`.
    pub cargo: PathBuf,
    /// `<sysroot>/bin/rustc`.
    pub rustc: PathBuf,
    /// The first line of `rustc -vV` (`rustc 1.95.0 (59807616e 2026-04-14)`).
    pub version: String,
}

impl Toolchain {
    /// Resolves the caller's toolchain, running `rustc` in `neutral_dir`
    /// (never a checkout being graded: rustup would read its
    /// `rust-toolchain.toml`).
    pub fn resolve(neutral_dir: &Path) -> Result<Toolchain> {
        let out = Command::new("rustc")
            .args(["--print", "sysroot"])
            .current_dir(neutral_dir)
            .env_remove("RUSTC_WRAPPER")
            .stdin(Stdio::null())
            .output()
            .context("cannot run rustc; is Rust installed and on PATH?")?;
        if !out.status.success() {
            bail!(
                "rustc --print sysroot failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        let sysroot = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if !sysroot.is_absolute() {
            bail!(
                "rustc --print sysroot gave {}, not an absolute path",
                sysroot.display()
            );
        }
        let (cargo, rustc) = (sysroot.join("bin/cargo"), sysroot.join("bin/rustc"));
        for tool in [&cargo, &rustc] {
            if !tool.is_file() {
                bail!(
                    "{} does not exist: the toolchain at {} must hold its own cargo and rustc",
                    tool.display(),
                    sysroot.display()
                );
            }
        }
        let out = Command::new(&rustc)
            .arg("-vV")
            .current_dir(neutral_dir)
            .env_clear()
            .stdin(Stdio::null())
            .output()
            .with_context(|| format!("cannot run {}", rustc.display()))?;
        let text = String::from_utf8_lossy(&out.stdout);
        let version = text.lines().next().unwrap_or_default().trim().to_string();
        if !out.status.success() || !version.starts_with("rustc ") {
            bail!("{} -vV did not report a version", rustc.display());
        }
        Ok(Toolchain {
            sysroot,
            cargo,
            rustc,
            version,
        })
    }
}
