//! The graded contract of `borrow_not_clone`. Sizes are for 64-bit targets.
//!
//! Every memory test also checks the complete answer against a plain
//! reference computed outside the measurement window, on the lesson's fruit
//! basket and on generated word lists of several sizes (`memprobe::inputs`):
//! empty words, capitalised words and non-ASCII words included.

use std::hint::black_box;

use borrow_not_clone::{count_matches, is_alphabetical, longest};
use memprobe::inputs::{Rng, SIZES};

memprobe::install!();

// The graded signatures: a crate whose functions return (or take) other
// types than these, a type whose `==` or methods could say anything, does
// not compile against the tests.
const _: fn(&[String], &str) -> usize = borrow_not_clone::count_matches;
const _: fn(&[String]) -> bool = borrow_not_clone::is_alphabetical;
const _: for<'a> fn(&'a [String]) -> Option<&'a str> = borrow_not_clone::longest;

fn words(list: &[&str]) -> Vec<String> {
    list.iter().map(|w| w.to_string()).collect()
}

/// 10,000 words like the lesson's `words_list`: every fifth one a fruit
/// starting with "apple", where every tenth of those is "Apple" or "apples"
/// (equal to "apple" only without case, or only as a prefix).
fn fruit_basket() -> Vec<String> {
    let fruits = ["apple", "banana", "cherry", "date", "elderberry"];
    (0..10_000)
        .map(|i| match (i % 5, i % 50) {
            (0, 0) => "Apple".to_string(),
            (0, 25) => "apples".to_string(),
            (f, _) => fruits[f].to_string(),
        })
        .collect()
}

/// Word lists of every size in `SIZES`: words of 0 to 9 bytes (so some are
/// empty), one in four not ASCII, one in five in capitals.
fn generated_lists(seed: u64) -> Vec<Vec<String>> {
    let mut rng = Rng::new(seed);
    SIZES
        .iter()
        .map(|&n| {
            (0..n)
                .map(|_| {
                    let word = rng.word(0..=9, true);
                    if rng.chance(1, 5) {
                        word.to_uppercase()
                    } else {
                        word
                    }
                })
                .collect()
        })
        .collect()
}

/// The plain answers, computed outside any measurement window.
fn expected_count(haystack: &[String], needle: &str) -> usize {
    haystack.iter().filter(|w| w.as_str() == needle).count()
}

fn expected_order(words: &[String]) -> bool {
    words.windows(2).all(|pair| pair[0] <= pair[1])
}

/// The index of the first longest word.
fn expected_longest(words: &[String]) -> Option<usize> {
    let max = words.iter().map(String::len).max()?;
    words.iter().position(|w| w.len() == max)
}

/// Counts `needle` in `haystack` without allocating and checks the count.
#[track_caller]
fn check_count(haystack: &[String], needle: &str) {
    let count = memprobe::assert_allocs!(
        == 0,
        count_matches(black_box(haystack), black_box(needle)),
        "iterate over the slice itself (`haystack.iter()`): a `&String` compares with a `&str` as it is"
    );
    assert_eq!(
        count,
        expected_count(haystack, needle),
        "count_matches(<{} words>, {needle:?})",
        haystack.len()
    );
}

/// Checks the order of `words` without allocating.
#[track_caller]
fn check_order(words: &[String]) {
    let in_order = memprobe::assert_allocs!(
        == 0,
        is_alphabetical(black_box(words)),
        "no sorted copy needed: compare each word with its neighbour (`windows(2)`)"
    );
    assert_eq!(
        in_order,
        expected_order(words),
        "is_alphabetical(<{} words>, first ones {:?})",
        words.len(),
        &words[..words.len().min(4)]
    );
}

/// Finds the longest word without allocating and checks that it is the
/// caller's own first longest word.
#[track_caller]
fn check_longest(words: &[String]) {
    let found = memprobe::assert_allocs!(
        == 0,
        longest(black_box(words)),
        "keep a `&str` to the best word so far instead of sorting a copy of the words"
    );
    match (found, expected_longest(words)) {
        (None, None) => {}
        (Some(found), Some(i)) => {
            assert_eq!(found, words[i], "longest(<{} words>)", words.len());
            // Python's `is`: the answer is the caller's own string, not an
            // equal copy.
            assert!(
                std::ptr::eq(found.as_ptr(), words[i].as_ptr()),
                "the result must borrow the first longest word of the input (index {i})"
            );
        }
        (found, want) => panic!(
            "longest(<{} words>): expected {:?}, got {found:?}",
            words.len(),
            want.map(|i| &words[i])
        ),
    }
}

#[test]
fn counts_exact_matches() {
    let basket = words(&["apple", "Apple", "banana", "apple", "apples", "", "APPLE"]);
    assert_eq!(count_matches(&basket, "apple"), 2);
    assert_eq!(count_matches(&basket, "Apple"), 1, "case matters");
    assert_eq!(count_matches(&basket, ""), 1);
    assert_eq!(count_matches(&basket, "appl"), 0, "a prefix is no match");
    assert_eq!(count_matches(&basket, "kiwi"), 0);
    assert_eq!(count_matches(&[], "apple"), 0);
    assert_eq!(count_matches(&[], ""), 0);
    let mixed = words(&["größe", "GRÖSSE", "größe", "grösse", "🦀"]);
    assert_eq!(count_matches(&mixed, "größe"), 2);
    assert_eq!(count_matches(&mixed, "🦀"), 1);
    // Words may hold spaces: they are compared whole, as they are.
    let spaced = words(&[
        "apple pie",
        "apple",
        " apple",
        "apple ",
        "apple  pie",
        " ",
        "",
    ]);
    assert_eq!(
        count_matches(&spaced, "apple"),
        1,
        "\" apple\" and \"apple \" are other words"
    );
    assert_eq!(count_matches(&spaced, "apple pie"), 1);
    assert_eq!(
        count_matches(&spaced, " "),
        1,
        "a space is a word, not an empty one"
    );
    assert_eq!(count_matches(&spaced, ""), 1);
}

#[test]
fn counts_matches_without_allocating() {
    let basket = fruit_basket();
    for needle in ["apple", "Apple", "apples", "elderberry", "", "kiwi"] {
        check_count(&basket, needle);
    }
    assert_eq!(count_matches(&basket, "apple"), 1_600);
    for list in generated_lists(8) {
        let mut needles = vec![String::new(), "größe".to_string(), "absent".to_string()];
        if let Some(word) = list.get(list.len() / 2) {
            needles.push(word.clone());
            needles.push(word.to_uppercase());
        }
        for needle in &needles {
            check_count(&list, needle);
        }
    }
}

#[test]
fn checks_alphabetical_order() {
    assert!(is_alphabetical(&words(&[
        "apple", "apple", "banana", "cherry"
    ])));
    assert!(!is_alphabetical(&words(&["banana", "apple"])));
    assert!(!is_alphabetical(&words(&["a", "c", "b"])));
    assert!(
        is_alphabetical(&words(&["Zebra", "apple"])),
        "byte order: uppercase first"
    );
    assert!(
        !is_alphabetical(&words(&["apple", "Zebra"])),
        "byte order: lowercase after uppercase"
    );
    assert!(
        !is_alphabetical(&words(&["ab", "aa"])),
        "the first letters tie, the second decides"
    );
    assert!(
        !is_alphabetical(&words(&["apples", "apple"])),
        "a prefix comes first"
    );
    assert!(is_alphabetical(&words(&["", "", "a"])));
    assert!(!is_alphabetical(&words(&["a", ""])));
    assert!(
        is_alphabetical(&words(&["zebra", "é", "日本"])),
        "non-ASCII bytes sort after ASCII"
    );
    assert!(
        !is_alphabetical(&words(&["a", "b", "c", "d", "e", "f", "e"])),
        "the last pair is out of order"
    );
    assert!(is_alphabetical(&words(&["solo"])));
    assert!(is_alphabetical(&[]));
}

#[test]
fn checks_order_without_allocating() {
    let mut sorted = fruit_basket();
    sorted.sort();
    check_order(&sorted);
    assert!(is_alphabetical(&sorted));
    let basket = fruit_basket();
    check_order(&basket);
    for list in generated_lists(9) {
        check_order(&list);
        let mut sorted = list;
        sorted.sort();
        check_order(&sorted);
        // One pair out of order, as late as possible: swap the last two
        // different neighbours.
        if let Some(i) = (1..sorted.len())
            .rev()
            .find(|&i| sorted[i - 1] != sorted[i])
        {
            sorted.swap(i - 1, i);
            check_order(&sorted);
            assert!(!is_alphabetical(&sorted));
        }
    }
}

#[test]
fn finds_the_first_longest_word() {
    let list = words(&["bb", "a", "ccc", "ddd", "ee"]);
    assert_eq!(longest(&list), Some("ccc"));
    assert!(std::ptr::eq(longest(&list).unwrap(), list[2].as_str()));
    assert_eq!(longest(&words(&["only"])), Some("only"));
    assert_eq!(longest(&words(&["", ""])), Some(""));
    assert_eq!(longest(&words(&[""])), Some(""));
    assert_eq!(
        longest(&words(&["abcdefgh", "日本語", "🦀🦀"])),
        Some("日本語"),
        "longest in bytes: 9 bytes beat 8"
    );
    assert_eq!(longest(&words(&["abcd", "🦀", "wxyz"])), Some("abcd"));
    assert_eq!(
        longest(&words(&["a b c", "abcd", "  "])),
        Some("a b c"),
        "spaces are bytes of the word too"
    );
    assert_eq!(longest(&[]), None);
}

#[test]
fn finds_the_longest_word_without_allocating() {
    let basket = fruit_basket();
    check_longest(&basket);
    // Python's `is`: the first "elderberry" itself, not a later one.
    assert!(std::ptr::eq(
        longest(&basket).unwrap().as_ptr(),
        basket[4].as_ptr()
    ));
    check_longest(&words(&["", "", ""]));
    check_longest(&words(&["abcdefgh", "日本語", "🦀🦀", "naïve!!!"]));
    for list in generated_lists(10) {
        check_longest(&list);
    }
}
