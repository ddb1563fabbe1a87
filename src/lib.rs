//! memgrade: grades a Rust course on memory optimization.
//!
//! The data flows one way: [`course`] (grader.toml, which exercises) →
//! [`pipeline`] (compile → run → the Grade model) → [`report`]. [`cli`]
//! parses the command line and [`cmd`] holds one module per subcommand.
//!
//! Each layer is a folder, and the layers point down only: binary
//! ([`cli`]) → commands ([`cmd`]) → the instructor's layers (`record`,
//! `class`, `author`) → pipeline ([`course`], [`pipeline`]) → processes
//! ([`process`]) → reporters ([`report`]) and storage ([`store`]) →
//! utilities ([`exit`], [`color`], [`fsutil`]). `tests/layers.rs` enforces
//! it. ARCHITECTURE.md at the repository root is the map.
//!
//! Every module is private: the crate exports only [`main`] (what the
//! binary runs), `private_launch` (what `tests/private_launch.rs` needs)
//! and [`test_harness`] (what `tests/common` needs), so the compiler reports
//! whatever nothing uses.
//!
//! The default build is the student's: the commands of the course (start,
//! list, check with the terminal report, watch, hint, reset, diff, solution,
//! explain). The feature `instructor` adds the modules instructors and
//! course authors use (the grade of record, the machine report formats,
//! verify, seal, gradebook, gradebook-merge, template, gradescope-package);
//! a build without it parses their commands and options the same and
//! refuses them (exit 2) with the command that builds them in.

#[macro_use]
mod report;
mod cli;
mod cmd;
mod color;
mod course;
mod exit;
mod fsutil;
mod pipeline;
mod process;
mod store;
mod watch;

// Instructor and course author code (feature `instructor`): the grade of
// record (official course, fork sources, private build tree, toolchain by
// path, bubblewrap), the class gradebook, and what authors build from the
// course (verify's overlays and variants, the student copy, the Gradescope
// zip).
#[cfg(feature = "instructor")]
mod author;
#[cfg(feature = "instructor")]
mod class;
#[cfg(feature = "instructor")]
mod record;

/// The binary's whole job: answer as cargo's rustc wrapper when cargo
/// started memgrade as one (decided before any argument parsing), otherwise
/// parse the command line and run the command. Returns the exit code.
pub fn main() -> i32 {
    // In the grade of record's build, an exercise's library is compiled
    // with a view of its own exercise only.
    #[cfg(all(feature = "instructor", target_os = "linux"))]
    record::compile_view::restrict_if_requested();
    if let Some(code) = process::rustc_wrapper::run_if_requested() {
        return code;
    }
    cli::run()
}

/// What `tests/private_launch.rs` needs of how the grade of record starts
/// processes: those tests start real processes (bubblewrap, the pinned
/// toolchain), so they cannot be unit tests, where the orphan sweep of the
/// process-limit tests would reap them. Not an API for anything else.
#[cfg(feature = "instructor")]
#[doc(hidden)]
pub mod private_launch {
    pub use crate::exit::UsageError;
    pub use crate::process::launch::private::Private;
    pub use crate::process::launch::{Launcher, SandboxChoice};
    pub use crate::record::bwrap::{Bwrap, View};
    #[cfg(target_os = "linux")]
    pub use crate::record::landlock::Landlock;
    pub use crate::record::sandbox::{Sandbox, resolve};
    pub use crate::record::toolchain::Toolchain;
}

/// What the integration tests' shared harness (`tests/common`) reads of a
/// course: the stubs `memgrade.lock` records (a course copy gets those, not
/// the checkout's working files) and the file walk they are compared with;
/// and how it seals a course copy in every build (`memgrade seal` is the
/// instructor build's). Not an API for anything else.
#[doc(hidden)]
pub mod test_harness {
    pub use crate::course::seal::Lock;
    pub use crate::fsutil::{BUILD_OUTPUT, files};

    /// Writes `root`'s `memgrade.lock` as `memgrade seal` does.
    pub fn seal(root: &std::path::Path) -> anyhow::Result<()> {
        crate::course::seal::seal(&crate::course::Course::load(root)?).map(drop)
    }
}
