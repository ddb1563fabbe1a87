//! The result cache: an exercise whose sources, tests, manifest, memprobe,
//! grader.toml entry, toolchain and memgrade version have not changed keeps
//! its last result. Keys are SHA-256 content hashes; the file lives in
//! `.memgrade/cache.json` (a [`Store`]), is written atomically, and a
//! corrupt one is set aside; one of another format version is ignored.

use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use anyhow::Result;
use sha2::{Digest, Sha256};

use crate::course::Exercise;
use crate::pipeline::grade::ExerciseGrade;
use crate::store::Store;

/// One cached result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The content hash the result was graded under.
    pub key: String,
    /// The toolchain it was graded with (`rustc -vV`).
    #[serde(default)]
    pub toolchain: String,
    /// The result.
    pub grade: ExerciseGrade,
}

/// The cache file's content.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cache {
    /// Format version.
    pub version: u32,
    /// Results by exercise name.
    pub entries: BTreeMap<String, Entry>,
}

impl Cache {
    /// The cache store of a course.
    fn store(root: &Path) -> Store<Cache> {
        Store::new(root, "cache.json", "result cache")
    }

    /// Loads the cache; a missing, corrupt or other-version file is empty.
    pub fn load(root: &Path) -> Cache {
        Some(Cache::store(root).load().0)
            .filter(|c| c.version == 1)
            .unwrap_or_default()
    }

    /// Writes the cache atomically.
    pub fn save(&self, root: &Path) -> Result<()> {
        let mut c = self.clone();
        c.version = 1;
        Cache::store(root).save(&c)
    }

    /// Whether a result for `name` was graded under `key` (with some toolchain).
    pub fn has_key(&self, name: &str, key: &str) -> bool {
        self.entries.get(name).is_some_and(|e| e.key == key)
    }

    /// The cached result for `name` if it was graded under `key` with
    /// `toolchain`.
    pub fn get(&self, name: &str, key: &str, toolchain: &str) -> Option<ExerciseGrade> {
        self.entries
            .get(name)
            .filter(|e| e.key == key && e.toolchain == toolchain)
            .map(|e| {
                let mut g = e.grade.clone();
                g.cached = true;
                g
            })
    }
}

/// The toolchain's identity, asked of `rustc -vV` in the background and
/// waited for on first use.
pub struct Toolchain {
    pending: Option<std::thread::JoinHandle<String>>,
    id: String,
}

impl Toolchain {
    /// Starts asking (when `wanted`; otherwise the identity is empty).
    pub fn start(wanted: bool) -> Toolchain {
        Toolchain {
            pending: wanted.then(|| std::thread::spawn(toolchain_id)),
            id: String::new(),
        }
    }

    /// The identity, waiting for `rustc -vV` the first time.
    pub fn get(&mut self) -> &str {
        if let Some(handle) = self.pending.take() {
            self.id = handle.join().unwrap_or_default();
        }
        &self.id
    }
}

/// `rustc -vV`, which names the exact toolchain.
pub fn toolchain_id() -> String {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    Command::new(rustc)
        .arg("-vV")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default()
}

/// The content hash of everything in the tree that decides an exercise's
/// result: its crate directory (minus `target/`), memprobe, its grader.toml
/// entry and memgrade's version. (The toolchain is compared separately, see
/// [`Entry::toolchain`].)
pub fn key(build_root: &Path, exercise: &Exercise) -> Result<String> {
    let mut h = Sha256::new();
    h.update(concat!("memgrade ", env!("CARGO_PKG_VERSION"), "\n"));
    // Bound to this machine and user: a cache file committed into a
    // checkout (or copied from another machine) never matches.
    h.update(machine_key().as_bytes());
    h.update(format!("{exercise:?}").as_bytes());
    hash_tree(&mut h, build_root, &build_root.join(&exercise.dir))?;
    hash_tree(&mut h, build_root, &build_root.join("memprobe"))?;
    Ok(format!("{:x}", h.finalize()))
}

/// Feeds every file under `dir` (sorted, `target` skipped) into `h`.
pub fn hash_tree(h: &mut Sha256, base: &Path, dir: &Path) -> Result<()> {
    for f in crate::fsutil::files(dir, crate::fsutil::BUILD_OUTPUT)? {
        let rel = f.strip_prefix(base).unwrap_or(&f);
        h.update(rel.to_string_lossy().as_bytes());
        h.update([0]);
        let bytes = fs_err::read(&f)?;
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(&bytes);
    }
    Ok(())
}

/// A random secret of this user on this machine, kept outside every course
/// (`$XDG_CACHE_HOME/memgrade/machine-key`, else `~/.cache/memgrade/`), made
/// on first use. Cache keys include it, so results cached elsewhere are never
/// trusted. Where it cannot be kept, a fresh one per process: nothing cached
/// before is reused.
fn machine_key() -> &'static str {
    static KEY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    KEY.get_or_init(|| {
        let dir = std::env::var_os("XDG_CACHE_HOME")
            .map(std::path::PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache")))
            .map(|d| d.join("memgrade"));
        let fresh = || {
            let mut bytes = [0u8; 32];
            let _ = std::fs::File::open("/dev/urandom")
                .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes));
            let mut h = Sha256::new();
            h.update(bytes);
            h.update(format!(
                "{:?}{}",
                std::time::SystemTime::now(),
                std::process::id()
            ));
            format!("{:x}", h.finalize())
        };
        let Some(dir) = dir else { return fresh() };
        let path = dir.join("machine-key");
        if let Ok(k) = std::fs::read_to_string(&path)
            && k.trim().len() == 64
        {
            return k.trim().to_string();
        }
        let key = fresh();
        if std::fs::create_dir_all(&dir).is_ok() {
            let _ = crate::fsutil::atomic_write(&path, key.as_bytes());
        }
        key
    })
}
