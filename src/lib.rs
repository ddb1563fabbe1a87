//! memgrade: grades a Rust course on memory optimization.
//!
//! The data flows one way: [`course`] (grader.toml) → [`select`] (which
//! exercises) → compile → run → grade → report. [`cli`] parses the command
//! line and [`cmd`] holds one module per subcommand.

pub mod cache;
pub mod cli;
pub mod cmd;
pub mod compile;
pub mod course;
pub mod engine;
pub mod fsutil;
pub mod grade;
pub mod libtest;
pub mod limits;
pub mod listing;
pub mod overlay;
pub mod progress;
pub mod report;
pub mod run;
pub mod rustc_wrapper;
pub mod seal;
pub mod seccomp;
pub mod select;
pub mod state;
pub mod stub;
pub mod textdiff;
pub mod timings;
pub mod watch;
