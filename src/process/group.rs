//! A child process in a group of its own, so that whatever it starts is
//! killed with it: a process group on Unix (Linux and macOS), a job object
//! on Windows (through `process-wrap`, which creates the process suspended,
//! puts it in the job and only then lets it run, so nothing escapes in
//! between).
//!
//! [`GroupChild`] is the child as it runs; [`Killer`] kills its whole group
//! from any thread (the time limit, Ctrl-C, `q` in watch).

use std::io;
use std::process::{ChildStderr, ChildStdout, Command, ExitStatus};

#[cfg(unix)]
pub use unix::{GroupChild, Killer};
#[cfg(windows)]
pub use windows::{GroupChild, Killer};

#[cfg(unix)]
mod unix {
    use super::*;
    use std::os::unix::process::CommandExt;
    use std::process::Child;

    /// A child leading a new process group (its pid is the group's id).
    pub struct GroupChild {
        child: Child,
    }

    impl GroupChild {
        /// Starts `cmd` as the leader of a new process group.
        pub fn spawn(mut cmd: Command) -> io::Result<GroupChild> {
            cmd.process_group(0);
            Ok(GroupChild {
                child: cmd.spawn()?,
            })
        }

        /// Its standard output, once.
        pub fn take_stdout(&mut self) -> Option<ChildStdout> {
            self.child.stdout.take()
        }

        /// Its standard error, once.
        pub fn take_stderr(&mut self) -> Option<ChildStderr> {
            self.child.stderr.take()
        }

        /// What kills the whole group.
        pub fn killer(&self) -> Killer {
            Killer {
                pgid: self.child.id() as i32,
            }
        }

        /// Waits for the child itself (not for the rest of its group).
        pub fn wait(mut self) -> io::Result<ExitStatus> {
            self.child.wait()
        }
    }

    /// Kills a process group.
    #[derive(Debug, Clone)]
    pub struct Killer {
        pgid: i32,
    }

    impl Killer {
        /// The group's id: its leader's pid.
        pub fn id(&self) -> i32 {
            self.pgid
        }

        fn pid(&self) -> Option<rustix::process::Pid> {
            (self.pgid > 1)
                .then(|| rustix::process::Pid::from_raw(self.pgid))
                .flatten()
        }

        /// Kills every process in the group (a group that is gone already
        /// is no error).
        pub fn kill(&self) {
            if let Some(p) = self.pid() {
                let _ = rustix::process::kill_process_group(p, rustix::process::Signal::KILL);
            }
        }

        /// Whether any process (a zombie included) is still in the group.
        pub fn has_members(&self) -> bool {
            self.pid()
                .is_some_and(|p| rustix::process::test_kill_process_group(p).is_ok())
        }
    }
}

#[cfg(windows)]
mod windows {
    use super::*;
    use process_wrap::std::{ChildWrapper, CommandWrap, JobObject};
    use std::sync::{Arc, Mutex, MutexGuard};
    use std::time::Duration;

    type Shared = Arc<Mutex<Box<dyn ChildWrapper>>>;

    fn lock(child: &Shared) -> MutexGuard<'_, Box<dyn ChildWrapper>> {
        child.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A child in a job object of its own.
    pub struct GroupChild {
        child: Shared,
        id: u32,
    }

    impl GroupChild {
        /// Starts `cmd` in a new job object.
        pub fn spawn(cmd: Command) -> io::Result<GroupChild> {
            let child = CommandWrap::from(cmd).wrap(JobObject).spawn()?;
            let id = child.id();
            Ok(GroupChild {
                child: Arc::new(Mutex::new(child)),
                id,
            })
        }

        /// Its standard output, once.
        pub fn take_stdout(&mut self) -> Option<ChildStdout> {
            lock(&self.child).stdout().take()
        }

        /// Its standard error, once.
        pub fn take_stderr(&mut self) -> Option<ChildStderr> {
            lock(&self.child).stderr().take()
        }

        /// What kills the whole job.
        pub fn killer(&self) -> Killer {
            Killer {
                child: Arc::clone(&self.child),
                id: self.id as i32,
            }
        }

        /// Waits for the child itself (not for the rest of its job), asking
        /// every 10 ms so that the job can be killed meanwhile.
        pub fn wait(self) -> io::Result<ExitStatus> {
            loop {
                if let Some(status) = lock(&self.child).try_wait()? {
                    return Ok(status);
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        }
    }

    /// Kills a job object's processes.
    #[derive(Debug, Clone)]
    pub struct Killer {
        child: Shared,
        id: i32,
    }

    impl Killer {
        /// The id the job is registered under: its first process's id.
        pub fn id(&self) -> i32 {
            self.id
        }

        /// Terminates every process in the job.
        pub fn kill(&self) {
            let _ = lock(&self.child).start_kill();
        }

        /// Whether processes are left in the job: not asked on Windows (the
        /// job is killed whole all the same), so always false.
        pub fn has_members(&self) -> bool {
            false
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn killing_the_group_ends_the_child_and_what_it_started() {
        let mut cmd = Command::new("sh");
        // The shell waits for its background sleep: it ends only when both
        // are killed.
        cmd.args(["-c", "sleep 30 & wait"]);
        // Registered, as every group memgrade starts: another test's
        // orphan sweep would otherwise take it for an orphan.
        let (child, _registered) = crate::process::child::spawn_registered(cmd).unwrap();
        let killer = child.killer();
        assert!(killer.has_members());
        let start = std::time::Instant::now();
        killer.kill();
        let status = child.wait().unwrap();
        assert!(!status.success());
        assert!(start.elapsed() < std::time::Duration::from_secs(10));
    }
}
