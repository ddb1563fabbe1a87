//! The grade of record's lockdown of the threads that run student code
//! (Linux on x86_64 and aarch64).
//!
//! In a test binary built for the record (see [`crate::RECORD`]), the first
//! call into the counting allocator from any thread other than the process's
//! main thread installs a seccomp filter on that thread alone (no `TSYNC`):
//! libtest's main thread, which opened the harness's log file before the test
//! started and writes the verdict there after the test body returned, stays
//! as it was. libtest runs every test on a thread of its own, and that thread
//! allocates (its output buffer) before it calls the test function, so the
//! test body and the student code it calls run locked; every thread they
//! start inherits the filter.
//!
//! A locked thread cannot open, create, rename or link files, execute a
//! program, start a process, make sockets, duplicate descriptors, map a file,
//! trace or signal another process, or write to any descriptor but standard
//! output and standard error (denied calls fail with `EPERM`; `clone3` fails
//! with `ENOSYS` so the C library falls back to `clone`, whose flags the
//! filter reads). What it may still do is compute, allocate, start threads
//! and print: whatever it prints, the log file decides.

/// Whether the calling thread is the process's main thread (its thread id is
/// the process id). Neither allocates nor takes a lock.
pub fn is_main_thread() -> bool {
    sys::gettid() == std::process::id() as i64
}

/// What the lockdown knows about the calling thread.
mod state {
    use std::cell::Cell;

    thread_local! {
        /// 0: not looked at yet; 1: locked (or the main thread, which is
        /// never locked).
        pub static SEEN: Cell<u8> = const { Cell::new(0) };
    }
}

/// Locks the calling thread down on its first call, unless it is the main
/// thread. Called from the counting allocator in record builds. A thread
/// that cannot be locked down ends the process (`abort`) after saying why on
/// standard error: student code never runs unconfined in the grade of record.
pub(crate) fn on_allocator_call() {
    let first = state::SEEN.try_with(|s| s.replace(1) == 0).unwrap_or(false);
    if first
        && !is_main_thread()
        && let Err(errno) = lock_this_thread()
    {
        sys::refuse(errno);
    }
}

/// Installs the filter on the calling thread (after
/// `PR_SET_NO_NEW_PRIVS`). `Err` holds the `errno` of the failed call.
/// Neither allocates nor takes a lock.
pub fn lock_this_thread() -> Result<(), i32> {
    let mut program = filter::Program::new();
    filter::build(&mut program, std::process::id());
    sys::install(&program)
}

/// The filter: a classic BPF program over `struct seccomp_data`.
mod filter {
    use super::nr;

    /// `struct sock_filter`.
    #[repr(C)]
    #[derive(Clone, Copy)]
    pub struct Insn {
        code: u16,
        jt: u8,
        jf: u8,
        k: u32,
    }

    const LD_ABS: u16 = 0x20; // BPF_LD | BPF_W | BPF_ABS
    const JEQ: u16 = 0x15; // BPF_JMP | BPF_JEQ | BPF_K
    const JGE: u16 = 0x35; // BPF_JMP | BPF_JGE | BPF_K
    const JSET: u16 = 0x45; // BPF_JMP | BPF_JSET | BPF_K
    const RET: u16 = 0x06; // BPF_RET | BPF_K

    const ALLOW: u32 = 0x7fff_0000;
    const KILL_PROCESS: u32 = 0x8000_0000;
    const EPERM: u32 = 0x0005_0000 | 1;
    const ENOSYS: u32 = 0x0005_0000 | 38;

    /// Offsets in `struct seccomp_data` (little-endian: the low half of an
    /// argument comes first).
    const NR: u32 = 0;
    const ARCH: u32 = 4;
    const fn arg_low(i: u32) -> u32 {
        16 + 8 * i
    }

    /// Room for the program: two instructions per denied call plus the
    /// argument checks (a unit test proves it fits).
    pub const CAPACITY: usize = 320;

    /// A program built without allocating: a fixed array and its length.
    pub struct Program {
        pub insns: [Insn; CAPACITY],
        pub len: usize,
    }

    impl Program {
        pub fn new() -> Program {
            Program {
                insns: [Insn {
                    code: 0,
                    jt: 0,
                    jf: 0,
                    k: 0,
                }; CAPACITY],
                len: 0,
            }
        }

        fn push(&mut self, code: u16, jt: u8, jf: u8, k: u32) {
            self.insns[self.len] = Insn { code, jt, jf, k };
            self.len += 1;
        }

        /// `if nr == n { <block> }` where `block` ends in a return on every
        /// path and has `len` instructions.
        fn when_nr(&mut self, n: i64, len: u8) {
            self.push(JEQ, 0, len, n as u32);
        }

        fn ret(&mut self, action: u32) {
            self.push(RET, 0, 0, action);
        }

        /// A system call that fails with `action`.
        fn deny(&mut self, n: i64, action: u32) {
            self.push(JEQ, 0, 1, n as u32);
            self.ret(action);
        }

        /// Allowed when the low half of argument `arg` is one of `values`
        /// (up to 4), denied with `EPERM` otherwise.
        fn only_values(&mut self, n: i64, arg: u32, values: &[u32]) {
            let k = values.len() as u8;
            self.when_nr(n, k + 3);
            self.push(LD_ABS, 0, 0, arg_low(arg));
            for (i, v) in values.iter().enumerate() {
                // Jump over the remaining tests and the deny to the allow.
                self.push(JEQ, k - i as u8, 0, *v);
            }
            self.ret(EPERM);
            self.ret(ALLOW);
        }

        /// Denied (`EPERM`) when the low half of argument `arg` is one of
        /// `values` (up to 4), allowed otherwise.
        fn except_values(&mut self, n: i64, arg: u32, values: &[u32]) {
            let k = values.len() as u8;
            self.when_nr(n, k + 3);
            self.push(LD_ABS, 0, 0, arg_low(arg));
            for (i, v) in values.iter().enumerate() {
                self.push(JEQ, k - i as u8, 0, *v);
            }
            self.ret(ALLOW);
            self.ret(EPERM);
        }

        /// Allowed when argument `arg` has every bit of `bits` set
        /// (`set == true`) or none of them (`set == false`).
        fn bits(&mut self, n: i64, arg: u32, bits: u32, set: bool) {
            self.when_nr(n, 4);
            self.push(LD_ABS, 0, 0, arg_low(arg));
            if set {
                self.push(JSET, 0, 1, bits);
            } else {
                self.push(JSET, 1, 0, bits);
            }
            self.ret(ALLOW);
            self.ret(EPERM);
        }
    }

    const MAP_ANONYMOUS: u32 = 0x20;
    const SECCOMP_FILTER_FLAG_TSYNC: u32 = 1;
    const SECCOMP_FILTER_FLAG_NEW_LISTENER: u32 = 8;
    const CLONE_THREAD: u32 = 0x0001_0000;
    const F_DUPFD: u32 = 0;
    const F_DUPFD_CLOEXEC: u32 = 1030;
    const TCGETS: u32 = 0x5401;
    const TIOCGWINSZ: u32 = 0x5413;
    const FIONBIO: u32 = 0x5421;
    const FIOCLEX: u32 = 0x5451;

    /// Builds the filter for process `pid` into `p`.
    pub fn build(p: &mut Program, pid: u32) {
        p.push(LD_ABS, 0, 0, ARCH);
        p.push(JEQ, 1, 0, nr::AUDIT_ARCH);
        p.ret(KILL_PROCESS);
        p.push(LD_ABS, 0, 0, NR);
        if let Some(x32) = nr::X32_BIT {
            p.push(JGE, 0, 1, x32);
            p.ret(EPERM);
        }
        for &n in nr::DENIED {
            p.deny(n, EPERM);
        }
        p.deny(nr::CLONE3, ENOSYS);
        for &n in nr::WRITES {
            p.only_values(n, 0, &[1, 2]);
        }
        p.bits(nr::MMAP, 3, MAP_ANONYMOUS, true);
        p.bits(nr::CLONE, 0, CLONE_THREAD, true);
        p.except_values(nr::FCNTL, 1, &[F_DUPFD, F_DUPFD_CLOEXEC]);
        // A thread a locked thread starts adds its own copy of the filter
        // (stacking only restricts more); syncing it onto the other threads
        // or handing system calls to a listener is refused.
        p.bits(
            nr::SECCOMP,
            1,
            SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_NEW_LISTENER,
            false,
        );
        p.only_values(nr::IOCTL, 1, &[TCGETS, TIOCGWINSZ, FIONBIO, FIOCLEX]);
        // Signals only to threads of this process (abort raises SIGABRT).
        p.only_values(nr::TGKILL, 0, &[pid]);
        p.ret(ALLOW);
    }
}

/// System call numbers.
#[cfg(target_arch = "x86_64")]
mod nr {
    pub const AUDIT_ARCH: u32 = 0xc000_003e;
    /// x32 system calls have this bit set; none is allowed.
    pub const X32_BIT: Option<u32> = Some(0x4000_0000);
    pub const GETTID: i64 = 186;
    pub const SECCOMP: i64 = 317;
    pub const PRCTL: i64 = 157;
    pub const CLONE: i64 = 56;
    pub const CLONE3: i64 = 435;
    pub const MMAP: i64 = 9;
    pub const FCNTL: i64 = 72;
    pub const IOCTL: i64 = 16;
    pub const TGKILL: i64 = 234;
    pub const WRITES: &[i64] = &[1, 20, 18, 296, 328];
    /// open creat openat openat2 open_by_handle_at name_to_handle_at execve
    /// execveat fork vfork socket socketpair connect bind listen accept
    /// accept4 sendto sendmsg sendmmsg dup dup2 dup3 ptrace
    /// process_vm_writev process_vm_readv pidfd_open pidfd_getfd
    /// pidfd_send_signal kill tkill memfd_create memfd_secret io_uring_setup
    /// io_uring_enter io_uring_register userfaultfd bpf perf_event_open
    /// unshare setns mount umount2 pivot_root chroot truncate
    /// ftruncate fallocate rename renameat renameat2 unlink unlinkat link
    /// linkat symlink symlinkat mkdir mkdirat rmdir mknod mknodat chmod
    /// fchmod fchmodat chown lchown fchown fchownat utimensat utimes utime
    /// futimesat sendfile splice tee vmsplice copy_file_range shmget shmat
    /// msgget semget mq_open add_key request_key keyctl fanotify_init
    /// open_tree move_mount fsopen fsconfig fsmount fspick mount_setattr
    /// kcmp remap_file_pages process_madvise setrlimit prlimit64
    pub const DENIED: &[i64] = &[
        2, 85, 257, 437, 304, 303, 59, 322, 57, 58, 41, 53, 42, 49, 50, 43, 288, 44, 46, 307, 32,
        33, 292, 101, 311, 310, 434, 438, 424, 62, 200, 319, 447, 425, 426, 427, 323, 321, 298,
        272, 308, 165, 166, 155, 161, 76, 77, 285, 82, 264, 316, 87, 263, 86, 265, 88, 266, 83,
        258, 84, 133, 259, 90, 91, 268, 92, 94, 93, 260, 280, 235, 132, 261, 40, 275, 276, 278,
        326, 29, 30, 68, 64, 240, 248, 249, 250, 300, 428, 429, 430, 431, 432, 433, 442, 312, 216,
        440, 160, 302,
    ];
}

/// System call numbers (the generic table).
#[cfg(target_arch = "aarch64")]
mod nr {
    pub const AUDIT_ARCH: u32 = 0xc000_00b7;
    pub const X32_BIT: Option<u32> = None;
    pub const GETTID: i64 = 178;
    pub const SECCOMP: i64 = 277;
    pub const PRCTL: i64 = 167;
    pub const CLONE: i64 = 220;
    pub const CLONE3: i64 = 435;
    pub const MMAP: i64 = 222;
    pub const FCNTL: i64 = 25;
    pub const IOCTL: i64 = 29;
    pub const TGKILL: i64 = 131;
    pub const WRITES: &[i64] = &[64, 66, 68, 70, 287];
    /// The x86_64 list's calls that exist in the generic table, same order.
    pub const DENIED: &[i64] = &[
        56, 437, 265, 264, 221, 281, 198, 199, 203, 200, 201, 202, 242, 206, 211, 269, 23, 24, 117,
        271, 270, 434, 438, 424, 129, 130, 279, 447, 425, 426, 427, 282, 280, 241, 97, 268, 40, 39,
        41, 51, 45, 46, 47, 38, 276, 35, 37, 36, 34, 33, 52, 53, 55, 54, 88, 71, 76, 77, 75, 285,
        194, 196, 186, 190, 180, 217, 218, 219, 262, 428, 429, 430, 431, 432, 433, 442, 272, 234,
        440, 261,
    ];
}

/// The few C library calls the lockdown makes (std links the C library on
/// Linux).
mod sys {
    use super::filter::{Insn, Program};
    use super::nr;

    unsafe extern "C" {
        fn syscall(number: i64, ...) -> i64;
        fn abort() -> !;
        fn __errno_location() -> *mut i32;
    }

    /// `struct sock_fprog`.
    #[repr(C)]
    struct Fprog {
        len: u16,
        filter: *const Insn,
    }

    const PR_SET_NO_NEW_PRIVS: i64 = 38;
    const SECCOMP_SET_MODE_FILTER: i64 = 1;

    pub fn gettid() -> i64 {
        // SAFETY: gettid takes no arguments and cannot fail.
        unsafe { syscall(nr::GETTID) }
    }

    fn errno() -> i32 {
        // SAFETY: the C library's thread-local errno, always valid.
        unsafe { *__errno_location() }
    }

    pub fn install(p: &Program) -> Result<(), i32> {
        let prog = Fprog {
            len: p.len as u16,
            filter: p.insns.as_ptr(),
        };
        // SAFETY: prctl and seccomp with valid arguments; `prog` and the
        // instructions outlive the calls (the kernel copies the program).
        unsafe {
            if syscall(nr::PRCTL, PR_SET_NO_NEW_PRIVS, 1i64, 0i64, 0i64, 0i64) != 0 {
                return Err(errno());
            }
            if syscall(
                nr::SECCOMP,
                SECCOMP_SET_MODE_FILTER,
                0i64,
                &prog as *const Fprog,
            ) != 0
            {
                return Err(errno());
            }
        }
        Ok(())
    }

    /// Says why on standard error (one `write`, no allocation) and aborts.
    pub fn refuse(errno: i32) -> ! {
        let mut msg = *b"memprobe: cannot lock the test thread down (seccomp failed with errno 000); the grade of record does not run student code unconfined\n";
        let at = msg.iter().position(|&b| b == b'0').unwrap_or(0);
        let e = errno.clamp(0, 999) as u32;
        msg[at] = b'0' + (e / 100) as u8;
        msg[at + 1] = b'0' + (e / 10 % 10) as u8;
        msg[at + 2] = b'0' + (e % 10) as u8;
        // SAFETY: write(2) from a valid buffer; abort never returns.
        unsafe {
            syscall(
                if cfg!(target_arch = "x86_64") { 1 } else { 64 },
                2i64,
                msg.as_ptr(),
                msg.len(),
            );
            abort()
        }
    }
}

/// The message a test process leaves when its thread could not be locked.
pub const REFUSED: &str = "memprobe: cannot lock the test thread down";

#[cfg(test)]
mod tests {
    use super::filter::{CAPACITY, Program, build};

    #[test]
    fn the_filter_fits_its_array() {
        let mut p = Program::new();
        build(&mut p, 1);
        // `push` indexes the array: building panics when it does not fit.
        assert!(p.len > 100 && p.len <= CAPACITY, "{}", p.len);
    }
}
