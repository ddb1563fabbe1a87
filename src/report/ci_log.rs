//! Text for a CI log (GitHub Actions reads workflow commands, `::name::`,
//! from any line of a step's output): raw text that student code could
//! have written is wrapped so the runner does not act on it. Used by every
//! report printed in CI mode, the terminal one included.

use std::collections::hash_map::RandomState;
use std::fmt::Write as _;
use std::hash::BuildHasher;
use std::time::{SystemTime, UNIX_EPOCH};

/// Wraps raw text between `::stop-commands::<token>` and `::<token>::` so the
/// runner prints it without acting on any workflow command inside.
///
/// The token is a 128-bit hash of the text, the process id, the time and a
/// per-process random key, so the text cannot guess it; a token that appears
/// in the text anyway is replaced by another.
pub fn stop_commands(raw: &str) -> String {
    let mut salt = 0u64;
    let token = loop {
        let token = token(raw, salt);
        if !raw.contains(&token) {
            break token;
        }
        salt += 1;
    };
    let mut out = format!("::stop-commands::{token}\n{raw}");
    if !raw.is_empty() && !raw.ends_with('\n') {
        out.push('\n');
    }
    let _ = writeln!(out, "::{token}::");
    out
}

fn token(raw: &str, salt: u64) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let keys = RandomState::new();
    let half = |i: u8| keys.hash_one((i, salt, raw, std::process::id(), nanos));
    format!("memgrade-{:016x}{:016x}", half(0), half(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::fixture;

    #[test]
    fn stop_commands_wraps_raw_text_with_an_unguessable_token() {
        let raw = fixture::HOSTILE_OUTPUT;
        let out = stop_commands(raw);
        let lines: Vec<&str> = out.lines().collect();
        let token = lines[0]
            .strip_prefix("::stop-commands::")
            .expect("starts by stopping commands");
        assert!(token.len() >= 32 && !raw.contains(token));
        assert_eq!(*lines.last().unwrap(), format!("::{token}::"));
        assert_eq!(
            &out[lines[0].len() + 1..out.len() - token.len() - 5],
            raw,
            "raw text unchanged inside"
        );
        let again = stop_commands(raw);
        assert_ne!(
            again.lines().next(),
            Some(lines[0]),
            "a fresh token each time"
        );
        assert!(stop_commands("no newline").contains("no newline\n::memgrade-"));
    }
}
