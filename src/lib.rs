//! memgrade: grades a Rust course on memory optimization.
//!
//! The data flows one way: [`course`] (grader.toml) → [`select`] (which
//! exercises) → compile → run → grade → report. [`cli`] parses the command
//! line and [`cmd`] holds one module per subcommand.
//!
//! The layers point down only: binary ([`cli`]) → commands ([`cmd`]) →
//! pipeline ([`course`], [`select`], compile, run, [`grade`]) → reporters
//! ([`report`], [`progress`]) → storage and utilities ([`state`], [`exit`],
//! [`color`], …). Nothing outside `main.rs`, `cli.rs` and `cmd/` refers to
//! `cli` or `cmd`; `tests/layers.rs` enforces it. ARCHITECTURE.md at the
//! repository root is the map.
//!
//! Every module is private: the crate exports only [`main`] (what the
//! binary runs), [`private_launch`] (what `tests/private_launch.rs` needs)
//! and [`test_harness`] (what `tests/common` needs), so the compiler reports
//! whatever nothing uses.

#[macro_use]
mod output;
#[macro_use]
mod serde_impls;
mod advice;
mod buildtree;
mod bwrap;
mod cache;
mod classbook;
mod classcache;
mod cli;
mod cmd;
mod color;
mod compile;
mod course;
mod engine;
mod exit;
mod fork;
mod forkgit;
mod fsutil;
#[cfg(test)]
mod fuzz;
mod glossary;
mod grade;
mod launch;
mod libtest;
mod limits;
mod listing;
mod official;
mod overlay;
#[cfg(feature = "instructor")]
mod package;
mod progress;
mod record;
mod report;
mod roster;
mod run;
mod rustc_wrapper;
mod seal;
mod seccomp;
mod select;
mod state;
mod store;
mod stub;
mod template;
mod textdiff;
mod timestamp;
mod timings;
mod toolchain;
mod variants;
mod watch;

/// The binary's whole job: answer as cargo's rustc wrapper when cargo
/// started memgrade as one (decided before any argument parsing), otherwise
/// parse the command line and run the command. Returns the exit code.
pub fn main() -> i32 {
    if let Some(code) = rustc_wrapper::run_if_requested() {
        return code;
    }
    cli::run()
}

/// What `tests/private_launch.rs` needs of how the grade of record starts
/// processes: those tests start real processes (bubblewrap, the pinned
/// toolchain), so they cannot be unit tests, where the orphan sweep of the
/// process-limit tests would reap them. Not an API for anything else.
#[doc(hidden)]
pub mod private_launch {
    pub use crate::bwrap::{Bwrap, SandboxChoice, View, resolve};
    pub use crate::exit::UsageError;
    pub use crate::launch::{Launcher, Private};
    pub use crate::toolchain::Toolchain;
}

/// What the integration tests' shared harness (`tests/common`) reads of a
/// course: the stubs `memgrade.lock` records (a course copy gets those, not
/// the checkout's working files) and the file walk they are compared with.
/// Not an API for anything else.
#[doc(hidden)]
pub mod test_harness {
    pub use crate::cache::collect_files;
    pub use crate::seal::Lock;
}
