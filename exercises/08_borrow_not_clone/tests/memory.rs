//! The graded contract of `borrow_not_clone`. Sizes are for 64-bit targets.

use std::hint::black_box;

use borrow_not_clone::{count_matches, is_alphabetical, longest};

memprobe::install!();

fn words(list: &[&str]) -> Vec<String> {
    list.iter().map(|w| w.to_string()).collect()
}

/// 10,000 words, every fifth one "apple", like the lesson's `words_list`.
fn fruit_basket() -> Vec<String> {
    words(&["apple", "banana", "cherry", "date", "elderberry"].repeat(2_000))
}

#[test]
fn counts_exact_matches() {
    let basket = words(&["apple", "Apple", "banana", "apple", "apples", ""]);
    assert_eq!(count_matches(&basket, "apple"), 2);
    assert_eq!(count_matches(&basket, ""), 1);
    assert_eq!(count_matches(&basket, "kiwi"), 0);
    assert_eq!(count_matches(&[], "apple"), 0);
}

#[test]
fn counts_matches_without_allocating() {
    let basket = fruit_basket();
    let count = memprobe::assert_allocs!(
        == 0,
        count_matches(black_box(&basket), black_box("apple")),
        "iterate over the slice itself (`haystack.iter()`): a `&String` compares with a `&str` as it is"
    );
    assert_eq!(count, 2_000);
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
    assert!(is_alphabetical(&words(&["solo"])));
    assert!(is_alphabetical(&[]));
}

#[test]
fn checks_order_without_allocating() {
    let mut sorted = fruit_basket();
    sorted.sort();
    let in_order = memprobe::assert_allocs!(
        == 0,
        is_alphabetical(black_box(&sorted)),
        "no sorted copy needed: compare each word with its neighbour (`windows(2)`)"
    );
    assert!(in_order);

    let basket = fruit_basket();
    let in_order = memprobe::assert_allocs!(
        == 0,
        is_alphabetical(black_box(&basket)),
        "no sorted copy needed: compare each word with its neighbour (`windows(2)`)"
    );
    assert!(!in_order);
}

#[test]
fn finds_the_first_longest_word() {
    let list = words(&["bb", "a", "ccc", "ddd", "ee"]);
    assert_eq!(longest(&list), Some("ccc"));
    assert_eq!(longest(&words(&["only"])), Some("only"));
    assert_eq!(longest(&words(&["", ""])), Some(""));
    assert_eq!(longest(&[]), None);
}

#[test]
fn finds_the_longest_word_without_allocating() {
    let basket = fruit_basket();
    let found = memprobe::assert_allocs!(
        == 0,
        longest(black_box(&basket)),
        "keep a `&str` to the best word so far instead of sorting a copy of the words"
    );
    assert_eq!(found, Some("elderberry"));
    // Python's `is`: the answer is the caller's own string, not an equal copy.
    let first_elderberry = &basket[4];
    assert!(
        std::ptr::eq(found.unwrap().as_ptr(), first_elderberry.as_ptr()),
        "the result must borrow the first longest word of the input"
    );
}
