//! The `memgrade` binary: everything lives in the library, whose
//! [`memgrade::main`] answers as rustc wrapper when cargo started memgrade as
//! one and otherwise runs the command line.

fn main() {
    std::process::exit(memgrade::main());
}
