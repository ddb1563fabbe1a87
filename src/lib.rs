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
//! `cli` or `cmd`; `tests/layers.rs` enforces it.

pub mod buildtree;
pub mod bwrap;
pub mod cache;
pub mod cli;
pub mod cmd;
pub mod color;
pub mod compile;
pub mod course;
pub mod engine;
pub mod exit;
pub mod fork;
pub mod fsutil;
pub mod glossary;
pub mod grade;
pub mod launch;
pub mod libtest;
pub mod limits;
pub mod listing;
pub mod official;
pub mod overlay;
#[cfg(feature = "instructor")]
pub mod package;
pub mod progress;
pub mod record;
pub mod report;
pub mod run;
pub mod rustc_wrapper;
pub mod seal;
pub mod seccomp;
pub mod select;
pub mod state;
pub mod store;
pub mod stub;
pub mod template;
pub mod textdiff;
pub mod timings;
pub mod toolchain;
pub mod variants;
pub mod watch;
