//! The seccomp filters that keep a test from starting a child process
//! (Linux, x86_64 and aarch64), built with `seccompiler` and installed in the
//! test process just before it execs the test binary.
//!
//! Two filters, because seccomp gives one action per filter:
//! - `fork`, `vfork`, and `clone` without `CLONE_THREAD` in its flags fail
//!   with `EPERM` (a process cannot be created; threads still can);
//! - `clone3` fails with `ENOSYS`, so glibc and Rust's std fall back to
//!   `clone`, whose flags (unlike `clone3`'s, which sit in memory) the filter
//!   can inspect.
//!
//! `execve` stays allowed: the test binary itself is exec'd after the
//! filters are installed.

use std::sync::OnceLock;

/// A compiled seccomp program: `struct sock_filter` instructions.
pub type Program = Vec<seccompiler::sock_filter>;

/// The two no-child-process programs, compiled once. `Err` says why they
/// could not be built for this target.
pub fn programs() -> Result<&'static [Program], String> {
    static PROGRAMS: OnceLock<Result<Vec<Program>, String>> = OnceLock::new();
    PROGRAMS
        .get_or_init(build)
        .as_ref()
        .map(|p| p.as_slice())
        .map_err(Clone::clone)
}

/// The no-child-process filters as raw bytes, one `Vec<u8>` per filter: the
/// `sock_filter` instructions (8 bytes each, native endianness), the format
/// `bwrap --add-seccomp-fd FD` reads from each descriptor. Install every one
/// of them: the first blocks process creation, the second turns `clone3`
/// into `ENOSYS`.
pub fn no_child_filters() -> Result<Vec<Vec<u8>>, String> {
    Ok(programs()?.iter().map(|p| program_bytes(p)).collect())
}

fn program_bytes(program: &[seccompiler::sock_filter]) -> Vec<u8> {
    let mut out = Vec::with_capacity(program.len() * 8);
    for i in program {
        out.extend_from_slice(&i.code.to_ne_bytes());
        out.push(i.jt);
        out.push(i.jf);
        out.extend_from_slice(&i.k.to_ne_bytes());
    }
    out
}

/// Installs the programs on the calling thread (after
/// `PR_SET_NO_NEW_PRIVS`). Meant for `pre_exec`: it neither allocates nor
/// takes locks.
pub fn install(programs: &[Program]) -> std::io::Result<()> {
    for p in programs {
        seccompiler::apply_filter(p).map_err(|e| match e {
            seccompiler::Error::Prctl(io) | seccompiler::Error::Seccomp(io) => io,
            _ => std::io::Error::from_raw_os_error(libc::EINVAL),
        })?;
    }
    Ok(())
}

#[cfg(all(
    target_os = "linux",
    any(target_arch = "x86_64", target_arch = "aarch64")
))]
fn build() -> Result<Vec<Program>, String> {
    use std::collections::BTreeMap;

    use seccompiler::{
        SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter,
        SeccompRule, TargetArch,
    };

    let arch: TargetArch = std::env::consts::ARCH
        .try_into()
        .map_err(|e| format!("{e:?}"))?;
    let err = |e: seccompiler::BackendError| e.to_string();
    // clone(flags, ...) with CLONE_THREAD clear: a new process.
    let not_a_thread = SeccompRule::new(vec![
        SeccompCondition::new(
            0,
            SeccompCmpArgLen::Qword,
            SeccompCmpOp::MaskedEq(libc::CLONE_THREAD as u64),
            0,
        )
        .map_err(err)?,
    ])
    .map_err(err)?;
    let mut processes: BTreeMap<i64, Vec<SeccompRule>> = BTreeMap::new();
    processes.insert(libc::SYS_clone, vec![not_a_thread]);
    #[cfg(target_arch = "x86_64")]
    {
        processes.insert(libc::SYS_fork, vec![]);
        processes.insert(libc::SYS_vfork, vec![]);
    }
    let deny_processes = SeccompFilter::new(
        processes,
        SeccompAction::Allow,
        SeccompAction::Errno(libc::EPERM as u32),
        arch,
    )
    .map_err(err)?;
    let no_clone3 = SeccompFilter::new(
        BTreeMap::from([(libc::SYS_clone3, vec![])]),
        SeccompAction::Allow,
        SeccompAction::Errno(libc::ENOSYS as u32),
        arch,
    )
    .map_err(err)?;
    let mut out = Vec::new();
    for f in [deny_processes, no_clone3] {
        let p: Program = f.try_into().map_err(err)?;
        out.push(p);
    }
    Ok(out)
}

#[cfg(not(all(
    target_os = "linux",
    any(target_arch = "x86_64", target_arch = "aarch64")
)))]
fn build() -> Result<Vec<Program>, String> {
    Err("seccomp filters are built for Linux on x86_64 and aarch64 only".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_compile_to_whole_instructions() {
        let filters = no_child_filters().unwrap();
        assert_eq!(filters.len(), 2);
        for f in &filters {
            assert!(!f.is_empty());
            assert_eq!(f.len() % 8, 0);
        }
        assert_eq!(filters[0].len(), programs().unwrap()[0].len() * 8);
    }
}
