//! How memgrade starts the processes that run student code: a child under
//! time, memory and output limits ([`child`]) in a process group or job
//! object of its own ([`group`]), how cargo and tests are
//! launched ([`launch`]), the environment allow-list and rlimits
//! ([`limits`]), the no-child seccomp filters ([`seccomp`]) and memgrade as
//! cargo's rustc wrapper ([`rustc_wrapper`]).

pub mod child;
pub mod group;
pub mod launch;
pub mod limits;
pub mod rustc_wrapper;
#[cfg(target_os = "linux")]
pub mod seccomp;

/// The no-child-process seccomp filters as bwrap reads them (see
/// [`seccomp::no_child_filters`]); `Err` says why there are none here:
/// they are Linux's (x86_64 and aarch64).
pub fn no_child_filters() -> Result<Vec<Vec<u8>>, String> {
    #[cfg(target_os = "linux")]
    {
        seccomp::no_child_filters()
    }
    #[cfg(not(target_os = "linux"))]
    {
        Err(format!("no seccomp filters on {}", std::env::consts::OS))
    }
}

/// Whether the no-child-process filters exist here; elsewhere a test's
/// child processes are found and killed with its group after the test
/// instead.
pub fn no_child_filters_exist() -> bool {
    no_child_filters().is_ok()
}
