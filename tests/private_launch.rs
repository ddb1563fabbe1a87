//! How the grade of record starts processes: the bubblewrap sandbox, the
//! private environment and the toolchain by absolute path. (These start
//! real processes, so they live outside the library's unit tests, where
//! the orphan sweep of the process-limit tests would reap them.)

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use memgrade::private_launch::{
    self as bwrap, Bwrap, Landlock, Launcher, Private, Sandbox, SandboxChoice, Toolchain, View,
};

mod common;

/// bubblewrap, where it is installed ([`common::require_bwrap`]: skipped
/// with a line saying so when it is not and `CI` is unset; CI must have it,
/// and there it must work).
fn bwrap() -> Option<Bwrap> {
    if !common::require_bwrap() {
        return None;
    }
    Some(Bwrap::probe().expect("bubblewrap works on the machines memgrade is tested on"))
}

/// The bubblewrap sandbox, where bubblewrap is installed.
fn sandboxed() -> Option<Sandbox> {
    bwrap().map(Sandbox::Bwrap)
}

fn landlocked() -> Option<Sandbox> {
    Some(Sandbox::Landlock(
        Landlock::probe().expect("the kernels memgrade is tested on have Landlock"),
    ))
}

fn run(cmd: &mut Command) -> (bool, String) {
    let o = cmd.env_clear().output().unwrap();
    (
        o.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
    )
}

#[test]
fn only_the_named_paths_are_visible_and_only_writable_ones_can_change() {
    let Some(b) = bwrap() else { return };
    let seen = tempfile::tempdir().unwrap();
    let hidden = tempfile::tempdir().unwrap();
    std::fs::write(hidden.path().join("secret"), "s").unwrap();
    std::fs::write(seen.path().join("file"), "f").unwrap();
    let out = seen.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let view = View {
        read_only: vec![seen.path()],
        writable: vec![&out],
        cwd: seen.path(),
        tmpfs_bytes: None,
    };
    let script = format!(
        "cat file && ! cat {hidden}/secret 2>/dev/null && ! touch new 2>/dev/null && touch out/ok && echo done",
        hidden = hidden.path().display()
    );
    let (ok, text) = run(b.command(&view, Path::new("/bin/sh")).arg("-c").arg(script));
    assert!(ok, "{text}");
    assert_eq!(text, "fdone\n");
    assert!(out.join("ok").exists());
    assert!(!seen.path().join("new").exists());
}

#[test]
fn there_is_no_network_and_no_capability() {
    let Some(b) = bwrap() else { return };
    let view = View::default();
    // Only the loopback interface exists; no capability is left.
    let (ok, text) = run(b
        .command(&view, Path::new("/bin/sh"))
        .arg("-c")
        .arg("tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '; grep CapEff /proc/self/status"));
    assert!(ok, "{text}");
    assert_eq!(text, "lo\nCapEff:\t0000000000000000\n");
}

#[test]
fn feedback_modes_do_not_sandbox_and_refuse_an_explicit_bwrap() {
    assert_eq!(bwrap::resolve(SandboxChoice::Auto, false).unwrap(), None);
    assert_eq!(bwrap::resolve(SandboxChoice::None, true).unwrap(), None);
    let e = bwrap::resolve(SandboxChoice::Bwrap, false).unwrap_err();
    assert!(
        e.downcast_ref::<memgrade::private_launch::UsageError>()
            .is_some()
    );
    assert!(bwrap::resolve(SandboxChoice::Auto, true).unwrap().is_some());
}

#[test]
fn the_toolchain_is_resolved_to_absolute_cargo_and_rustc_with_a_version() {
    let d = tempfile::tempdir().unwrap();
    let t = Toolchain::resolve(d.path()).unwrap();
    assert!(t.cargo.is_absolute() && t.cargo.starts_with(&t.sysroot));
    assert!(t.rustc.is_file());
    assert!(t.version.starts_with("rustc 1."), "{}", t.version);
}

fn private(sandbox: Option<Sandbox>) -> (tempfile::TempDir, Launcher) {
    let d = tempfile::tempdir().unwrap();
    let p = Private {
        toolchain: Toolchain::resolve(d.path()).unwrap(),
        sandbox,
        scratch: d.path().to_path_buf(),
    };
    p.prepare().unwrap();
    (d, Launcher::Private(Arc::new(p)))
}

/// The test process runs under cargo, which gives it `CARGO_*` variables
/// (and whatever the caller had): none of them reaches a private process.
#[test]
fn private_processes_see_only_the_allow_listed_environment() {
    assert!(std::env::var_os("CARGO_MANIFEST_DIR").is_some());
    for sandbox in [None, sandboxed(), landlocked()] {
        let (d, l) = private(sandbox);
        let out = l
            .test(Path::new("/usr/bin/env"), d.path(), &[], d.path(), None)
            .output()
            .unwrap();
        let mut names: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| l.split('=').next().unwrap().to_string())
            .collect();
        // bwrap itself sets PWD to the directory it changed into.
        names.retain(|n| n != "PWD");
        names.sort();
        assert_eq!(
            names,
            [
                "HOME",
                "LANG",
                "LC_ALL",
                "MEMPROBE_STRICT",
                "PATH",
                "RUST_BACKTRACE",
                "TMPDIR"
            ],
            "{out:?}"
        );
    }
}

#[test]
fn private_cargo_is_the_toolchain_s_own() {
    let Some(s) = sandboxed() else { return };
    let (d, l) = private(Some(s));
    let out = l.cargo(d.path()).arg("-V").output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("cargo 1."));
}

/// Under bubblewrap the no-child-process filters reach the test process
/// itself (bwrap installs them): a shell that must fork to run two commands
/// fails, while the same shell started by the caller's launcher succeeds.
#[test]
fn sandboxed_tests_cannot_start_processes() {
    let script = ["-c", "/bin/true; /bin/true; echo forked"];
    let d = tempfile::tempdir().unwrap();
    let free = Launcher::Caller
        .test(Path::new("/bin/sh"), d.path(), &[], d.path(), None)
        .args(script)
        .output()
        .unwrap();
    assert!(free.status.success(), "{free:?}");
    assert!(String::from_utf8_lossy(&free.stdout).contains("forked"));
    let Some(s) = sandboxed() else { return };
    let (d, l) = private(Some(s));
    let jailed = l
        .test(Path::new("/bin/sh"), d.path(), &[], d.path(), None)
        .args(script)
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&jailed.stdout).contains("forked"),
        "{jailed:?}"
    );
    assert!(!jailed.status.success(), "{jailed:?}");
    let err = String::from_utf8_lossy(&jailed.stderr);
    assert!(
        err.contains("fork") || err.contains("not permitted"),
        "{jailed:?}"
    );
}

/// A sandboxed test's `/tmp` and `/dev/shm` hold no more than its memory
/// limit (they are memory), and the rest of its `/dev` takes nothing.
#[test]
fn sandboxed_tests_tmp_and_shm_are_bounded_by_their_memory_limit() {
    let Some(s) = sandboxed() else { return };
    let (d, l) = private(Some(s));
    // Shell builtins only: a sandboxed test cannot start a process. Each
    // round appends 1 KiB; the count of rounds that succeeded is printed.
    let fill = |dir: &str| {
        format!(
            "i=0; while [ $i -lt 8192 ] && printf '%1024s' '' >> {dir}/fill 2>/dev/null; do i=$((i+1)); done; echo $i"
        )
    };
    let script = format!(
        "{}; {}; echo x > /dev/planted 2>/dev/null || echo dev-read-only",
        fill("/tmp"),
        fill("/dev/shm")
    );
    let out = l
        .test(Path::new("/bin/sh"), d.path(), &[], d.path(), Some(4 << 20))
        .args(["-c", &script])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{out:?}");
    for kib in &lines[..2] {
        let kib: u32 = kib.parse().unwrap();
        assert!((4000..=4096).contains(&kib), "{out:?}");
    }
    assert_eq!(lines[2], "dev-read-only", "{out:?}");
}

/// Under Landlock (no namespaces: containers) a test process reads the
/// private tree and writes only its own files, and cargo writes only the
/// private tree.
#[test]
fn landlocked_processes_write_only_where_they_may() {
    let (d, l) = private(landlocked());
    std::fs::write(d.path().join("tree-file"), "t").unwrap();
    let outside = tempfile::tempdir().unwrap();
    let log = d.path().join("tmp/test.log");
    std::fs::write(&log, "").unwrap();
    let own = tempfile::tempdir().unwrap();
    let script = format!(
        "cat {tree}/tree-file && ! echo x > {tree}/planted 2>/dev/null && ! echo x > {out}/planted 2>/dev/null \\
         && ! ls {out} >/dev/null 2>&1 && echo ok > {log} && echo own > {own}/f && echo done",
        tree = d.path().display(),
        out = outside.path().display(),
        log = log.display(),
        own = own.path().display()
    );
    let out = l
        .test(Path::new("/bin/sh"), d.path(), &[&log], own.path(), None)
        .args(["-c", &script])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "tdone\n");
    assert_eq!(std::fs::read_to_string(&log).unwrap(), "ok\n");
    assert!(!d.path().join("planted").exists() && !outside.path().join("planted").exists());
    let cargo = l.cargo(d.path()).arg("-V").output().unwrap();
    assert!(cargo.status.success(), "{cargo:?}");
}
