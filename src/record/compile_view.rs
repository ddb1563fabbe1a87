//! Each student crate compiled with a view of its own exercise: in the
//! grade of record, when cargo starts memgrade as rustc wrapper for a
//! target of an exercise's package (the student's library, its unit-test
//! build, the official test crates), the wrapper restricts itself with
//! Landlock before it starts rustc, so rustc (and the linker it starts)
//! reads only the system directories, the toolchain, that exercise's
//! directory and the build's output directory. `include!`, `include_str!` or `#[path]` of a
//! sibling exercise's file then fails to compile ("Permission denied"),
//! whatever the sandbox around the build. Where the kernel has no Landlock
//! the crate compiles unrestricted, and the dep-info check after the build
//! ([`crate::record::depinfo`]) still refuses a crate that read a file
//! outside its exercise.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::record::bwrap::View;

/// Set in the private cargo's environment: the build tree's `exercises`
/// directory, whose crates are compiled each with a view of its own.
pub const VIEW_VAR: &str = "MEMGRADE_COMPILE_VIEW";

/// When memgrade runs as the private build's rustc wrapper for a target of
/// an exercise's package, restricts this process (and so rustc) to the
/// exercise's view. Anything else (memprobe) runs as it is.
pub fn restrict_if_requested() {
    if std::env::var_os(crate::process::rustc_wrapper::MARKER).is_none() {
        return;
    }
    let Some(exercises) = std::env::var_os(VIEW_VAR).map(PathBuf::from) else {
        return;
    };
    let Some(own) = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from) else {
        return;
    };
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let real = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    if !real(&own).starts_with(real(&exercises)) {
        return;
    }
    let Some(paths) = ViewPaths::of(&args, own) else {
        return;
    };
    // rustc and the linker write their temporary files inside the view
    // (the system's temporary directory may hold the whole build tree).
    let tmp = paths.output.join("tmp");
    if std::fs::create_dir_all(&tmp).is_err() {
        return;
    }
    // SAFETY: the wrapper is single-threaded until it starts rustc.
    unsafe { std::env::set_var("TMPDIR", &tmp) };
    // No Landlock here: the dep-info check after the build still holds.
    let _ = crate::record::landlock::restrict_self(&paths.view());
}

/// What rustc may read and write when it compiles one exercise's crates.
#[derive(Debug, PartialEq)]
struct ViewPaths {
    /// The toolchain (`<sysroot>` of the rustc being run) and memgrade.
    tools: Vec<PathBuf>,
    /// The exercise's own directory.
    own: PathBuf,
    /// The build's output directory for this profile (`target/debug`: the
    /// dependencies' rlibs, the crate's outputs, the incremental cache, and
    /// the temporary files of rustc and the linker).
    output: PathBuf,
}

impl ViewPaths {
    /// From rustc's command line (`args[0]` is rustc itself; `--out-dir`
    /// names `target/<profile>/deps`).
    fn of(args: &[OsString], own: PathBuf) -> Option<ViewPaths> {
        let rustc = Path::new(args.first()?);
        let sysroot = rustc.parent()?.parent()?.to_path_buf();
        let out_dir = args
            .windows(2)
            .find(|w| w[0] == "--out-dir")
            .map(|w| PathBuf::from(&w[1]))?;
        let mut tools = vec![sysroot];
        tools.extend(std::env::current_exe().ok());
        Some(ViewPaths {
            tools,
            own,
            output: out_dir.parent()?.to_path_buf(),
        })
    }

    fn view(&self) -> View<'_> {
        let mut read_only: Vec<&Path> = self.tools.iter().map(PathBuf::as_path).collect();
        read_only.push(&self.own);
        View {
            read_only,
            writable: vec![&self.output],
            ..View::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_view_is_the_toolchain_the_exercise_and_the_profiles_output() {
        let a = args(&[
            "/tc/bin/rustc",
            "--crate-name",
            "join_words",
            "--crate-type",
            "lib",
            "--out-dir",
            "/t/work/target/debug/deps",
        ]);
        let v = ViewPaths::of(&a, PathBuf::from("/t/work/exercises/01_join_words")).unwrap();
        assert_eq!(v.tools[0], Path::new("/tc"));
        assert_eq!(v.output, Path::new("/t/work/target/debug"));
        let view = v.view();
        assert!(
            view.read_only
                .contains(&Path::new("/t/work/exercises/01_join_words"))
        );
        assert!(
            !view
                .read_only
                .iter()
                .any(|p| *p == Path::new("/t/work/exercises"))
        );
        assert!(view.writable.contains(&Path::new("/t/work/target/debug")));
        assert!(ViewPaths::of(&args(&["/tc/bin/rustc"]), PathBuf::from("/x")).is_none());
    }
}
