//! A fork that changes a function's signature to return a type of its own,
//! whose `==` says yes to any text (the verdict would go through the
//! student's `PartialEq`) and whose `capacity` and `len` agree. Without the
//! tests' signature pins it earned 10/10 in `join_words`; with them the
//! official tests do not compile against it, and the exercise earns nothing.

use std::path::PathBuf;
use std::sync::OnceLock;

use super::exercise;
use super::record::check_fork;
use super::verdict::join_forks;

const LYING_RESULT: &str = r#"
use std::fmt;

/// The joined words, as bytes of exactly the right length.
pub struct Joined(Vec<u8>);

impl Joined {
    /// The bytes held.
    pub fn capacity(&self) -> usize {
        self.0.capacity()
    }

    /// The bytes held.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no bytes are held.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Joined {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} bytes", self.0.len())
    }
}

impl PartialEq<&str> for Joined {
    fn eq(&self, _: &&str) -> bool {
        true
    }
}

impl PartialEq<String> for Joined {
    fn eq(&self, _: &String) -> bool {
        true
    }
}

/// Returns as many bytes as `["a", "b"]` joined by single spaces would
/// take, all zero.
pub fn join_words(words: &[&str]) -> Joined {
    let len = words
        .iter()
        .map(|w| w.len() + 1)
        .sum::<usize>()
        .saturating_sub(1);
    let mut out = Vec::with_capacity(len);
    out.resize(len, 0);
    Joined(out)
}
"#;

fn fork() -> &'static PathBuf {
    static FORK: OnceLock<PathBuf> = OnceLock::new();
    FORK.get_or_init(|| {
        join_forks(
            "signature-forks",
            vec![("lying_result", LYING_RESULT.to_string())],
        )
        .remove(0)
        .1
    })
}

#[test]
fn a_result_type_of_its_own_does_not_compile_against_the_tests() {
    let grade = check_fork(fork(), "lying_result");
    let e = exercise(&grade, "join_words");
    assert_eq!(e["points"].as_f64(), Some(0.0), "{e:#}");
    assert_eq!(e["status"], "compile_error", "{e:#}");
    let why = e["diagnostics"].to_string();
    assert!(why.contains("mismatched types"), "{why}");
    super::assert_passed(exercise(&grade, "borrow_not_clone"));
}
