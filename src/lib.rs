//! memgrade: grades a Rust course on memory optimization.
//!
//! The data flows one way: [`course`] (grader.toml) → [`select`] (which
//! exercises) → compile → run → grade → report. [`cli`] parses the command
//! line and [`cmd`] holds one module per subcommand.

pub mod cli;
pub mod cmd;
pub mod course;
pub mod fsutil;
pub mod grade;
pub mod progress;
pub mod report;
pub mod run;
pub mod select;
pub mod state;
