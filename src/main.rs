//! The `memgrade` binary: everything lives in the library. It answers as
//! rustc wrapper when cargo started it as one ([`memgrade::rustc_wrapper`]),
//! and otherwise hands the command line to `cli::run`.

fn main() {
    // memgrade runs itself as cargo's rustc wrapper in the compile step; that
    // role is decided before any argument parsing.
    if let Some(code) = memgrade::rustc_wrapper::run_if_requested() {
        std::process::exit(code);
    }
    std::process::exit(memgrade::cli::run());
}
