//! Sets `cfg(memprobe_record)` when memprobe is compiled for the grade of
//! record (memgrade sets `MEMPROBE_RECORD` in the compiler's environment of
//! its private build tree): only then does memprobe count the C allocator
//! (`c_alloc`). A student's own build never defines those symbols.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(memprobe_record)");
    println!("cargo::rerun-if-env-changed=MEMPROBE_RECORD");
    println!("cargo::rerun-if-changed=build.rs");
    if std::env::var_os("MEMPROBE_RECORD").is_some() {
        println!("cargo::rustc-cfg=memprobe_record");
    }
}
