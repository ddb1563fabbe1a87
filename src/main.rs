//! The `memgrade` binary: everything lives in the library.

fn main() {
    std::process::exit(memgrade::cli::run());
}
