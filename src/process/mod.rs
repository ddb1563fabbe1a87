//! How memgrade starts the processes that run student code: a child under
//! time, memory and output limits ([`child`]), how cargo and tests are
//! launched ([`launch`]), the environment allow-list and rlimits
//! ([`limits`]), the no-child seccomp filters ([`seccomp`]) and memgrade as
//! cargo's rustc wrapper ([`rustc_wrapper`]).

pub mod child;
pub mod launch;
pub mod limits;
pub mod rustc_wrapper;
pub mod seccomp;
