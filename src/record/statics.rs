//! A student crate's static data, bounded in the grade of record: memory a
//! test never sees on the heap (a `static` array of records lives in
//! `.bss` or `.data`, outside every measurement window). Measured from what
//! the compiler built: the data sections (initialised, zeroed, read-only and
//! thread-local) of the ELF objects in the crate's rlib, so it counts what
//! the crate itself defines, not the standard library or the tests.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use object::read::archive::ArchiveFile;
use object::{Object, ObjectSection, SectionKind};

/// The rlib of package `package` in the private tree's target directory
/// (`<root>/target/debug/deps/lib<crate>-<hash>.rlib`; the tree is fresh, so
/// there is one).
pub fn rlib(root: &Path, package: &str) -> Result<PathBuf> {
    let deps = root.join("target/debug/deps");
    let prefix = format!("lib{}-", package.replace('-', "_"));
    let mut found = Vec::new();
    for entry in
        std::fs::read_dir(&deps).with_context(|| format!("cannot read {}", deps.display()))?
    {
        let p = entry?.path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name.starts_with(&prefix) && name.ends_with(".rlib") {
            found.push(p);
        }
    }
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => bail!("no {prefix}*.rlib in {}", deps.display()),
        _ => bail!(
            "{} rlibs named {prefix}* in {}",
            found.len(),
            deps.display()
        ),
    }
}

/// Bytes of static data in the objects of the rlib at `path`.
pub fn static_bytes(path: &Path) -> Result<u64> {
    let data = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let archive = ArchiveFile::parse(&*data)
        .with_context(|| format!("{} is not an archive", path.display()))?;
    let mut total = 0u64;
    for member in archive.members() {
        let member = member.with_context(|| format!("cannot read {}", path.display()))?;
        let bytes = member
            .data(&*data)
            .with_context(|| format!("cannot read a member of {}", path.display()))?;
        // The metadata member (`lib.rmeta`) and any other non-object.
        let Ok(file) = object::File::parse(bytes) else {
            continue;
        };
        total += file
            .sections()
            .filter(|s| is_static_data(s.kind()))
            .map(|s| s.size())
            .sum::<u64>();
    }
    Ok(total)
}

fn is_static_data(kind: SectionKind) -> bool {
    matches!(
        kind,
        SectionKind::Data
            | SectionKind::UninitializedData
            | SectionKind::ReadOnlyData
            | SectionKind::ReadOnlyDataWithRel
            | SectionKind::ReadOnlyString
            | SectionKind::Tls
            | SectionKind::UninitializedTls
    )
}

/// The package name in the manifest at `path`.
pub fn package_name(path: &Path) -> Result<String> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let doc: toml::Table =
        toml::from_str(&text).with_context(|| format!("cannot parse {}", path.display()))?;
    doc.get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
        .map(str::to_string)
        .with_context(|| format!("no [package] name in {}", path.display()))
}

/// Why the crate of package `package` is over `limit_bytes` of static
/// data, or `None` when it is within the limit.
pub fn over_limit(root: &Path, package: &str, limit_bytes: u64) -> Result<Option<String>> {
    let lib = rlib(root, package)?;
    let bytes = static_bytes(&lib)?;
    Ok((bytes > limit_bytes).then(|| {
        format!(
            "the crate holds {} of static data (statics, constants and literals: the data sections of its compiled objects), over the course's limit of {} (grader.toml `[limits] static_kb`): memory outside the heap that no measurement sees",
            memprobe_bytes(bytes),
            memprobe_bytes(limit_bytes)
        )
    }))
}

/// A byte count with a binary unit from 10 KiB on, as failure messages
/// print them.
fn memprobe_bytes(n: u64) -> String {
    const KIB: f64 = 1024.0;
    let f = n as f64;
    if n < 10 * 1024 {
        format!("{n} bytes")
    } else if f < KIB * KIB {
        format!("{n} bytes ({:.1} KiB)", f / KIB)
    } else {
        format!("{n} bytes ({:.1} MiB)", f / (KIB * KIB))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_counts_read_like_memprobes() {
        assert_eq!(memprobe_bytes(4096), "4096 bytes");
        assert_eq!(memprobe_bytes(65_536), "65536 bytes (64.0 KiB)");
        assert_eq!(memprobe_bytes(48 << 20), "50331648 bytes (48.0 MiB)");
    }

    #[test]
    fn a_missing_or_foreign_rlib_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let deps = dir.path().join("target/debug/deps");
        std::fs::create_dir_all(&deps).unwrap();
        let e = rlib(dir.path(), "join-words").unwrap_err().to_string();
        assert!(e.contains("libjoin_words-*.rlib"), "{e}");
        let fake = deps.join("libjoin_words-0123.rlib");
        std::fs::write(&fake, "not an archive").unwrap();
        assert_eq!(rlib(dir.path(), "join_words").unwrap(), fake);
        let e = format!("{:#}", static_bytes(&fake).unwrap_err());
        assert!(e.contains("libjoin_words-0123.rlib"), "{e}");
    }
}
