//! The grade of record's lockdown of a test thread (Linux): what a locked
//! thread, and every thread it starts, can no longer do, while the main
//! thread keeps its files.
#![cfg(all(
    target_os = "linux",
    any(target_arch = "x86_64", target_arch = "aarch64")
))]

use std::io::Write;
use std::os::fd::AsFd;

fn denied<T: std::fmt::Debug>(what: &str, r: std::io::Result<T>) {
    let e = r.expect_err(what);
    assert_eq!(e.raw_os_error(), Some(1), "{what}: {e}");
}

#[test]
fn a_locked_thread_reaches_no_file_process_socket_or_descriptor() {
    let dir = std::env::temp_dir().join(format!("memprobe-lockdown-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("log");
    std::fs::write(&log, "").unwrap();
    let seen = log.clone();
    std::thread::spawn(move || {
        memprobe::lockdown::lock_this_thread().unwrap();
        denied("create", std::fs::File::create(&seen));
        denied(
            "append",
            std::fs::OpenOptions::new().append(true).open(&seen),
        );
        denied("read", std::fs::read("/proc/self/cmdline"));
        denied("rename", std::fs::rename(&seen, seen.with_extension("x")));
        denied("remove", std::fs::remove_file(&seen));
        denied("exec", std::process::Command::new("/bin/true").status());
        denied("socket", std::net::TcpListener::bind("127.0.0.1:0"));
        denied("dup", std::io::stdout().as_fd().try_clone_to_owned());
        // Printing, allocating and threads still work; a thread it starts
        // is locked too.
        writeln!(std::io::stderr(), "printed from a locked thread").unwrap();
        let v: Vec<u64> = (0..100_000).collect();
        let child = std::thread::spawn(move || {
            // The record build's allocator locks every new thread again:
            // a filter on top of the inherited one.
            memprobe::lockdown::lock_this_thread().unwrap();
            denied("create from a child thread", std::fs::File::create(&seen));
            v.len()
        });
        assert_eq!(child.join().unwrap(), 100_000);
    })
    .join()
    .unwrap();
    // The main thread (libtest's, which writes the verdict) keeps its files.
    std::fs::write(&log, "ok t\n").unwrap();
    assert_eq!(std::fs::read_to_string(&log).unwrap(), "ok t\n");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_main_thread_is_known_by_its_thread_id() {
    // libtest runs each test on a thread of its own.
    assert!(!memprobe::lockdown::is_main_thread());
}
