//! The grading pipeline: [`engine`] drives plan → [`compile`] (one cargo
//! build) → run (each test listed and judged by [`libtest`]) → the one
//! [`grade::Grade`] model every reporter renders.

pub mod compile;
pub mod engine;
#[cfg(test)]
pub(crate) mod fixture;
#[cfg(test)]
mod fuzz;
pub mod grade;
pub mod libtest;
