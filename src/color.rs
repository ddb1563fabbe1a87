//! Whether memgrade colors its output (`--color`, `NO_COLOR`, a terminal),
//! and whether it runs in CI mode. Used by the commands; uses nothing of them.

use std::io::IsTerminal;

/// `--color` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    /// Color when stdout is a terminal and NO_COLOR is not set.
    Auto,
    /// Always color.
    Always,
    /// Never color.
    Never,
}

/// Chooses whether to color output; `force_off` turns `Auto` off (CI mode, no
/// terminal on stdin).
pub fn setup_color(choice: ColorChoice, force_off: bool) {
    let on = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            !force_off
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    };
    colored::control::set_override(on);
}

/// Whether CI mode is on: `--ci`, or `CI` set to `true`/`1`.
pub fn ci_mode(flag: bool) -> bool {
    flag || std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}
