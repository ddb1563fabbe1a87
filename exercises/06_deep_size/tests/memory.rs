//! The graded contract of `deep_size`. Sizes are for 64-bit targets.
//!
//! Each test builds a value inside a memprobe window; the heap bytes still
//! live when the window closes are exactly the heap memory the value owns,
//! and `heap_size()` must report that number.

use std::hint::black_box;

use deep_size::{Customer, HeapSize, Order};

memprobe::install!();

/// Builds a value in a measurement window and checks that its `heap_size()`
/// equals the heap bytes memprobe saw it keep.
#[track_caller]
fn check_against_measured<T: HeapSize>(what: &str, idea: &str, build: impl FnOnce() -> T) -> T {
    let (value, stats) = memprobe::measure(build);
    let measured = stats.live_bytes.max(0) as usize;
    let blocks = stats.allocs.saturating_sub(stats.deallocs);
    let claimed = value.heap_size();
    assert!(
        claimed == measured,
        "{what}: heap_size() says {claimed} bytes, memprobe measured {measured} heap bytes owned \
         (in {blocks} block{})\n  idea:     {idea}",
        if blocks == 1 { "" } else { "s" },
    );
    value
}

#[test]
fn plain_values_and_empty_containers_own_nothing() {
    assert_eq!(7u64.heap_size(), 0);
    assert_eq!(1.5f64.heap_size(), 0);
    assert_eq!(String::new().heap_size(), 0);
    assert_eq!(Vec::<String>::new().heap_size(), 0);
    assert_eq!(None::<Box<u64>>.heap_size(), 0);
}

#[test]
fn string_counts_its_capacity() {
    let s = check_against_measured(
        "a String of 5 bytes with capacity 64",
        "the allocator handed out the capacity, not the length: use capacity()",
        || {
            let mut s = String::with_capacity(64);
            s.push_str(black_box("hello"));
            s
        },
    );
    assert_eq!(s, "hello");
}

#[test]
fn vec_counts_what_its_elements_own() {
    let items = check_against_measured(
        "a Vec<String> of 50 strings, grown by push",
        "a Vec's block is capacity * size_of::<T>() bytes, and each element's own heap comes on top: add up the elements' heap_size()",
        || {
            let mut items = Vec::new();
            for i in 0..50 {
                items.push(format!("item-{i:03}"));
            }
            items
        },
    );
    assert_eq!(items.len(), 50);
    assert_eq!(items[49], "item-049");
}

#[test]
fn box_and_option_count_what_they_point_to() {
    let note = check_against_measured(
        "Some(Box::new(String::from(\"handle with care\")))",
        "a Box owns a heap block of size_of::<T>() plus whatever T owns; an Option owns what its Some owns",
        || Some(Box::new(String::from(black_box("handle with care")))),
    );
    assert_eq!(
        note.as_deref().map(String::as_str),
        Some("handle with care")
    );

    let numbers = check_against_measured(
        "Box::new(vec![1u32, 2, 3])",
        "a Box owns a heap block of size_of::<T>() plus whatever T owns",
        || Box::new(vec![black_box(1u32), 2, 3]),
    );
    assert_eq!(*numbers, vec![1, 2, 3]);
}

#[test]
fn nested_struct_counts_everything() {
    let customer = check_against_measured(
        "a Customer with a name, 3 tags, 6 orders and a note",
        "a struct owns what its fields own (its own bytes are inline): add up the fields' heap_size()",
        || {
            let tags = vec![
                "vip".to_string(),
                String::from("newsletter"),
                format!("region-{}", black_box(7)),
            ];
            let mut orders = Vec::new();
            for id in 0..6u64 {
                orders.push(Order {
                    id,
                    items: (0..id as u32 * 3).collect(),
                });
            }
            Customer {
                name: String::from(black_box("Ada Lovelace")),
                tags,
                orders,
                note: Some(Box::new(String::with_capacity(40))),
            }
        },
    );
    assert_eq!(customer.name, "Ada Lovelace");
    assert_eq!(customer.tags[2], "region-7");
    assert_eq!(customer.orders.len(), 6);
    assert_eq!(customer.orders[5].items.len(), 15);
    assert_eq!(customer.orders[0].id, 0);
    assert!(customer.note.as_ref().is_some_and(|n| n.is_empty()));
}
