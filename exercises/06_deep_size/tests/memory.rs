//! The graded contract of `deep_size`. Sizes are for 64-bit targets.
//!
//! Each test builds a value inside a memprobe window; the heap bytes still
//! live when the window closes are exactly the heap memory the value owns,
//! and `heap_size()` must report that number, without allocating anything
//! itself while it counts.

use std::hint::black_box;

use deep_size::{Customer, HeapSize, Order};
use memprobe::inputs::{Rng, SIZES};

memprobe::install!();

// The graded signatures: a crate whose functions return (or take) other
// types than these, a type whose `==` or methods could say anything, does
// not compile against the tests.
const _: fn(&deep_size::Customer) -> usize =
    <deep_size::Customer as deep_size::HeapSize>::heap_size;
const _: fn(&deep_size::Order) -> usize = <deep_size::Order as deep_size::HeapSize>::heap_size;

/// Builds a value in a measurement window and checks that its `heap_size()`
/// equals the heap bytes memprobe saw it keep.
#[track_caller]
fn check_against_measured<T: HeapSize>(what: &str, idea: &str, build: impl FnOnce() -> T) -> T {
    let (value, stats) = memprobe::measure(build);
    let measured = stats.live_bytes.max(0) as usize;
    let blocks = stats.allocs.saturating_sub(stats.deallocs);
    // Answering must not cost memory of its own: no allocation while
    // heap_size() runs (a list of the parts' sizes, a clone to measure, a
    // formatted string would all show here).
    let (claimed, cost) = memprobe::measure(|| black_box(&value).heap_size());
    memprobe::enforce(
        memprobe::Metric::Allocations,
        memprobe::Budget::Exactly(0),
        &cost,
        &format!("{what}: heap_size()"),
        "add the parts up as you go (iter().map(..).sum()): counting memory should not take any",
    );
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

/// A customer built from `seed`: a non-ASCII name, `tags` tags (some
/// empty with capacity), `orders` orders of 0 to 40 item ids beyond `u16`
/// (some with spare capacity), and a note one time in two.
fn random_customer(seed: u64, tags: usize, orders: usize) -> Customer {
    let mut rng = Rng::new(seed);
    let mut tag_list = Vec::with_capacity(tags + rng.range(0..=3));
    for _ in 0..tags {
        tag_list.push(if rng.chance(1, 5) {
            String::with_capacity(rng.range(1..=30))
        } else {
            rng.word(1..=12, true)
        });
    }
    let mut order_list = Vec::new();
    for id in 0..orders {
        let len = rng.range(0..=40);
        let mut items = Vec::with_capacity(len + rng.range(0..=5));
        for _ in 0..len {
            items.push(rng.next_u64() as u32);
        }
        order_list.push(Order {
            id: id as u64 * 1_000_003,
            items,
        });
    }
    let note = if rng.chance(1, 2) {
        let words = rng.range(0..=6);
        Some(Box::new(rng.words(words, 1..=9, true).join(" ")))
    } else {
        None
    };
    Customer {
        name: rng.words(2, 2..=10, true).join(" "),
        tags: tag_list,
        orders: order_list,
        note,
    }
}

#[test]
fn string_counts_its_capacity() {
    let idea = "the allocator handed out the capacity, not the length: use capacity()";
    let s = check_against_measured("a String of 5 bytes with capacity 64", idea, || {
        let mut s = String::with_capacity(64);
        s.push_str(black_box("hello"));
        s
    });
    assert_eq!(s, "hello");
    check_against_measured("an empty String with capacity 37", idea, || {
        String::with_capacity(black_box(37))
    });
    check_against_measured("String::from(\"日本語🦀\")", idea, || {
        String::from(black_box("日本語🦀"))
    });
    check_against_measured("a String of 1,000 pushes", idea, || {
        let mut s = String::new();
        for _ in 0..1_000 {
            s.push(black_box('é'));
        }
        s
    });
}

#[test]
fn vec_counts_what_its_elements_own() {
    let idea = "a Vec's block is capacity * size_of::<T>() bytes, used or not, and each element's own heap comes on top: add up the elements' heap_size()";
    let items = check_against_measured("a Vec<String> of 50 strings, grown by push", idea, || {
        let mut items = Vec::new();
        for i in 0..50 {
            items.push(format!("item-{i:03}"));
        }
        items
    });
    assert_eq!(items.len(), 50);
    assert_eq!(items[49], "item-049");
    check_against_measured("an empty Vec<String> with capacity 17", idea, || {
        Vec::<String>::with_capacity(black_box(17))
    });
    let mut rng = Rng::new(6);
    for n in SIZES {
        let words = rng.words(n, 0..=15, true);
        check_against_measured(
            &format!("a Vec<String> of {n} seeded words, grown by push"),
            idea,
            || {
                let mut v = Vec::new();
                for w in &words {
                    v.push(w.clone());
                }
                v
            },
        );
    }
    let lengths: Vec<usize> = (0..23).map(|_| rng.range(0..=70)).collect();
    let nested = check_against_measured(
        "a Vec<Vec<u64>> of 23 vectors of 0 to 70 values",
        idea,
        || {
            lengths
                .iter()
                .map(|&len| (0..len as u64).map(|x| x << 40).collect::<Vec<u64>>())
                .collect::<Vec<Vec<u64>>>()
        },
    );
    assert_eq!(nested[3].len(), lengths[3]);
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

    check_against_measured(
        "Box::new(u64::MAX)",
        "a Box owns a heap block of size_of::<T>()",
        || Box::new(black_box(u64::MAX)),
    );
    check_against_measured(
        "Some(Box::new(vec![String::with_capacity(9); 4]))",
        "an Option owns what its Some owns, a Box its block plus what is inside",
        || Some(Box::new(vec![String::with_capacity(black_box(9)); 4])),
    );
    check_against_measured(
        "vec![Some(7u64), None, Some(u64::MAX)]",
        "an Option is inline: Some(7) owns nothing on the heap",
        || vec![Some(black_box(7u64)), None, Some(u64::MAX)],
    );
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

    for (i, (tags, orders)) in [(0, 0), (1, 3), (17, 100), (4, 255)]
        .into_iter()
        .enumerate()
    {
        let customer = check_against_measured(
            &format!("a seeded Customer with {tags} tags and {orders} orders"),
            "a struct owns what its fields own (its own bytes are inline): add up the fields' heap_size()",
            || random_customer(black_box(40 + i as u64), tags, orders),
        );
        assert_eq!((customer.tags.len(), customer.orders.len()), (tags, orders));
    }
}
