//! The grade of record: one fork graded against the official course in a
//! fresh private build tree ([`crate::record::buildtree`]), with the toolchain by
//! absolute path, a cleaned environment and, where available, bubblewrap
//! around cargo and every test ([`crate::process::launch`]). From the fork only its
//! exercise sources are read ([`crate::record::fork`]).

pub mod buildtree;
pub mod bwrap;
#[cfg(target_os = "linux")]
pub mod compile_view;
pub mod depinfo;
pub mod fork;
#[cfg(target_os = "linux")]
pub mod landlock;
pub mod official;
pub mod review;
pub mod sandbox;
pub mod statics;
pub mod toolchain;

use std::path::Path;
use std::sync::Arc;

use anyhow::Result;

use crate::course::{Course, Exercise};
use crate::pipeline::engine::{self, BuildTree, Event, Options};
use crate::pipeline::grade::{Diagnostic, ExerciseGrade, ExerciseStatus, Grade, Mode, Provenance};
use crate::process::launch::Launcher;
use crate::process::launch::private::Private;
use crate::record::toolchain::Toolchain;
use sandbox::Sandbox;

/// Grades `exercises` (of the official course `official`) with the sources
/// of the fork at `fork`. An exercise whose sources are refused is a compile
/// error with the reason; the others are graded as usual. Nothing is cached
/// and the private tree is removed before this returns.
pub fn grade_fork(
    official: &Course,
    exercises: &[&Exercise],
    fork: &Path,
    sandbox: Option<Sandbox>,
    opts: &Options,
    on_event: &mut dyn FnMut(Event),
) -> Result<Grade> {
    let tree = crate::record::buildtree::create(official, exercises, fork)?;
    let toolchain = Toolchain::resolve(tree.scratch())?;
    let provenance = Provenance {
        mode: Mode::Record,
        sandbox: sandbox::describe(sandbox.as_ref()),
        toolchain: toolchain.version.clone(),
    };
    let private = Private {
        toolchain,
        sandbox,
        scratch: tree.scratch().to_path_buf(),
    };
    private.prepare()?;
    let mut course = official.clone();
    course.root = tree.root.clone();
    let accepted: Vec<&Exercise> = exercises
        .iter()
        .copied()
        .filter(|e| !tree.rejected.contains_key(&e.name))
        .collect();
    let build = BuildTree {
        root: tree.root.clone(),
        overlay: true,
        launcher: Launcher::Private(Arc::new(private)),
    };
    let opts = Options {
        use_cache: false,
        remember_lists: false,
        ..opts.clone()
    };
    let graded = if accepted.is_empty() {
        Vec::new()
    } else {
        engine::grade(&course, &accepted, &build, &opts, on_event)?.exercises
    };
    let mut all = Vec::new();
    for e in exercises {
        if let Some(why) = tree.rejected.get(&e.name) {
            all.push(refused_grade(e, why));
        } else if let Some(g) = graded.iter().find(|g| g.name == e.name) {
            let mut g = g.clone();
            bound_build(&tree.root, e, &mut g);
            // The fork's sources as they were compiled: a copy in the tree.
            g.review = review::scan_dir(&tree.root.join(&e.dir).join("src"), &e.dir.join("src"));
            all.push(g);
        }
    }
    let mut grade = Grade::new(official, all);
    grade.provenance = provenance;
    Ok(grade)
}

/// Refuses (0 points, the reason as a build error) an exercise whose crate
/// compiled but read files outside its own exercise ([`depinfo`]) or holds
/// more static data than its `static_kb` limit ([`statics`]), or whose build
/// could not be checked.
fn bound_build(root: &Path, e: &Exercise, g: &mut ExerciseGrade) {
    if g.status == ExerciseStatus::CompileError {
        return;
    }
    let why = match build_refusal(root, e) {
        Ok(None) => return,
        Ok(Some(why)) => why,
        Err(err) => format!("the crate's build could not be checked: {err:#}"),
    };
    g.diagnostics.push(Diagnostic {
        message: why.clone(),
        rendered: format!("error: {why}"),
        location: None,
    });
    g.settle();
}

/// Why the built crate of `e` is refused, if it is.
fn build_refusal(root: &Path, e: &Exercise) -> Result<Option<String>> {
    let package = statics::package_name(&root.join(&e.dir).join("Cargo.toml"))?;
    if let Some(why) = depinfo::check(root, e, &package)? {
        return Ok(Some(why));
    }
    statics::over_limit(root, &package, e.limits.static_kb.saturating_mul(1024))
}

/// The result of an exercise whose fork sources were refused (a symbolic
/// link, a non-Rust file, too large ...): a compile error with 0 points and
/// the reason.
pub fn refused_grade(e: &Exercise, why: &str) -> crate::pipeline::grade::ExerciseGrade {
    let mut g = engine::empty_grade(e);
    g.diagnostics.push(Diagnostic {
        message: format!("the fork's sources were not graded: {why}"),
        rendered: format!(
            "error: the fork's sources were not graded: {why}\n(only regular .rs files under {}/src are read, without following links)",
            e.dir.display()
        ),
        location: None,
    });
    g.settle();
    g
}
