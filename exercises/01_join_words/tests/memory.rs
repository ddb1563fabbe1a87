//! The graded contract of `join_words`. Sizes are for 64-bit targets.

use std::hint::black_box;

use join_words::join_words;

memprobe::install!();

#[test]
fn joins_with_single_spaces() {
    assert_eq!(join_words(&["memory", "is", "finite"]), "memory is finite");
    assert_eq!(join_words(&["alone"]), "alone");
    assert_eq!(join_words(&[]), "");
    assert_eq!(join_words(&["", "x", ""]), " x ");
}

#[test]
fn allocates_once_for_many_words() {
    let words = vec!["hello"; 10_000];
    let joined = memprobe::assert_allocs!(
        <= 1,
        join_words(black_box(&words)),
        "add up the final length first, then String::with_capacity(len)"
    );
    assert_eq!(joined.len(), 10_000 * 6 - 1);
    assert!(joined.starts_with("hello hello"));
}

#[test]
fn allocates_nothing_for_no_words() {
    let joined = memprobe::assert_allocs!(== 0, join_words(black_box(&[])), "an empty String does not allocate");
    assert_eq!(joined, "");
}

#[test]
fn wastes_no_capacity() {
    let words = ["tuple", "list", "set", "dict"];
    let joined = memprobe::assert_peak_bytes!(
        <= "tuple list set dict".len(),
        join_words(black_box(&words)),
        "reserve exactly the bytes the result needs"
    );
    assert_eq!(joined, "tuple list set dict");
    assert_eq!(joined.capacity(), joined.len());
}
