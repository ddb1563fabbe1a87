//! The graded contract of `boxed_variant`. Sizes are for 64-bit targets.
//!
//! The footprint is checked twice: `size_of::<Event>()` (the inline part)
//! and the heap bytes of whole logs, for every length in
//! `memprobe::inputs::SIZES` and 10,000 events with thumbnails one in 100,
//! one in 7, always or never, so bytes moved from the inline part onto the
//! heap (a boxed click, a boxed key) count too. Every event of every log is
//! read back, and a dropped log must leave nothing behind. The verdicts read
//! payloads through the accessors; `==` is itself tested, against the
//! payloads as standard types.

use std::hint::black_box;
use std::mem::size_of;

use boxed_variant::{Event, Pixels};
use memprobe::inputs::SIZES;

memprobe::install!();

// The graded signatures: a crate whose functions return (or take) other
// types than these, a type whose `==` or methods could say anything, does
// not compile against the tests.
const _: fn(i32, i32) -> boxed_variant::Event = boxed_variant::Event::click;
const _: fn(char) -> boxed_variant::Event = boxed_variant::Event::key;
const _: fn(boxed_variant::Pixels) -> boxed_variant::Event = boxed_variant::Event::thumbnail;
const _: fn(&boxed_variant::Event) -> Option<(i32, i32)> = boxed_variant::Event::as_click;
const _: fn(&boxed_variant::Event) -> Option<char> = boxed_variant::Event::as_key;
const _: for<'a> fn(&'a boxed_variant::Event) -> Option<&'a boxed_variant::Pixels> =
    boxed_variant::Event::as_thumbnail;

/// The pixels of the `i`-th thumbnail: a gradient that differs per `i`.
fn pixels(i: usize) -> Pixels {
    let mut p = [0u8; 1024];
    for (j, px) in p.iter_mut().enumerate() {
        *px = (i + j) as u8;
    }
    p
}

/// The footprint an event must fit in, in bytes (64-bit target).
const EVENT_BYTES: usize = 16;

/// What one thumbnail may cost on the heap: its pixels, plus 16 bytes for
/// the two counters in front of them when they sit behind an `Rc` instead of
/// a `Box`.
const THUMBNAIL_BYTES: usize = 1024 + 16;

/// Whether the `i`-th event of a log with one thumbnail every `every`
/// events (never when `every` is 0) is a thumbnail.
fn is_thumbnail(i: usize, every: usize) -> bool {
    every != 0 && i.is_multiple_of(every)
}

/// The `i`-th event of a test log: a thumbnail every `every` events,
/// otherwise clicks and key presses (some outside ASCII) in turn.
fn event(i: usize, every: usize) -> Event {
    if is_thumbnail(i, every) {
        Event::thumbnail(pixels(i))
    } else if i.is_multiple_of(2) {
        Event::click(i as i32, -(i as i32))
    } else {
        Event::key(key(i))
    }
}

/// The key of the `i`-th event: letters, and every fifth one not ASCII.
fn key(i: usize) -> char {
    if i.is_multiple_of(5) {
        ['é', 'ß', '日', '🦀'][i / 5 % 4]
    } else {
        char::from(b'a' + (i % 26) as u8)
    }
}

/// A log of `n` events in a `Vec` reserved up front.
fn log_of(n: usize, every: usize) -> Vec<Event> {
    let mut log = Vec::with_capacity(n);
    for i in 0..n {
        log.push(event(i, every));
    }
    log
}

#[track_caller]
fn check_event(e: &Event, i: usize, every: usize) {
    if is_thumbnail(i, every) {
        assert_eq!(e.as_thumbnail(), Some(&pixels(i)), "event {i}");
        assert_eq!((e.as_click(), e.as_key()), (None, None), "event {i}");
    } else if i.is_multiple_of(2) {
        assert_eq!(e.as_click(), Some((i as i32, -(i as i32))), "event {i}");
        assert_eq!((e.as_key(), e.as_thumbnail()), (None, None), "event {i}");
    } else {
        assert_eq!(e.as_key(), Some(key(i)), "event {i}");
        assert_eq!((e.as_click(), e.as_thumbnail()), (None, None), "event {i}");
    }
}

/// The logs the footprint test builds: (events, one thumbnail every ...).
fn log_shapes() -> Vec<(usize, usize)> {
    let mut shapes = vec![(10_000, 100), (255, 1), (1_000, 0)];
    shapes.extend(SIZES.iter().map(|&n| (n, 7)));
    shapes
}

#[test]
fn keeps_every_payload() {
    for every in [100, 7, 1, 0] {
        for i in 0..300 {
            check_event(&black_box(event(i, every)), i, every);
        }
    }
    let extremes = [
        Event::click(i32::MIN, i32::MAX),
        Event::key('é'),
        Event::thumbnail([255; 1024]),
        Event::click(0, 0),
        Event::key('\u{10FFFF}'),
        Event::thumbnail([0; 1024]),
    ];
    assert_eq!(extremes[0].as_click(), Some((i32::MIN, i32::MAX)));
    assert_eq!(extremes[1].as_key(), Some('é'));
    assert_eq!(extremes[2].as_thumbnail(), Some(&[255; 1024]));
    assert_eq!(extremes[3].as_click(), Some((0, 0)));
    assert_eq!(extremes[4].as_key(), Some('\u{10FFFF}'));
    assert_eq!(extremes[5].as_thumbnail(), Some(&[0; 1024]));
    // A clone reads back the same payload (checked through the accessors,
    // not through `Event`'s own `PartialEq`).
    for (i, e) in extremes.iter().enumerate() {
        assert_eq!(payload(&e.clone()), payload(e), "a clone of extremes[{i}]");
    }
    for every in [7, 1] {
        for i in 0..20 {
            check_event(&event(i, every).clone(), i, every);
        }
    }
}

/// An event's payload as standard types: click, key, thumbnail bytes.
type Payload = (Option<(i32, i32)>, Option<char>, Option<Vec<u8>>);

/// An event's payload as standard types, read through the accessors.
fn payload(e: &Event) -> Payload {
    (
        e.as_click(),
        e.as_key(),
        e.as_thumbnail().map(|p| p.to_vec()),
    )
}

#[test]
fn events_with_equal_payloads_are_equal() {
    // `Event` derives `PartialEq`: two events are equal when their payloads
    // are, however they were built (separately, or one cloned from the
    // other). The expected answer comes from the payloads as standard
    // types, so an `==` that compares addresses, or only the variant, is
    // seen.
    let mut almost = pixels(3);
    almost[1023] ^= 1;
    let build = || {
        vec![
            Event::click(1, 2),
            Event::click(1, 2),
            Event::click(2, 1),
            Event::key('é'),
            Event::key('é'),
            Event::key('e'),
            Event::thumbnail(pixels(3)),
            Event::thumbnail(pixels(3)),
            Event::thumbnail(almost),
            Event::thumbnail([0; 1024]),
        ]
    };
    let events = build();
    let again = build();
    let clones: Vec<Event> = events.iter().map(Event::clone).collect();
    for others in [&events, &again, &clones] {
        for (i, a) in events.iter().enumerate() {
            for (j, b) in others.iter().enumerate() {
                let want = payload(a) == payload(b);
                assert_eq!(
                    (a == b, a != b),
                    (want, !want),
                    "events[{i}] == other[{j}]: payloads {}equal\n  idea:     keep the derived PartialEq: it compares what a Box (or Rc) points to, not its address",
                    if want { "" } else { "not " }
                );
            }
        }
    }
}

#[test]
fn small_events_allocate_nothing() {
    let (click, key) = memprobe::assert_allocs!(
        == 0,
        (Event::click(black_box(3), black_box(4)), Event::key(black_box('k'))),
        "box only the large variant: clicks and keys stay inline"
    );
    assert_eq!(click.as_click(), Some((3, 4)));
    assert_eq!(key.as_key(), Some('k'));
    for i in 1..200 {
        let e = memprobe::assert_allocs!(
            == 0,
            event(black_box(i), 0),
            "box only the large variant: clicks and keys stay inline"
        );
        check_event(&e, i, 0);
    }
}

#[test]
fn event_fits_in_sixteen_bytes() {
    // 64-bit target: the starting `Event` is 1028 bytes.
    memprobe::assert_size!(
        <= EVENT_BYTES,
        size_of::<Event>(),
        "an enum is as big as its biggest variant: put the 1 KiB of pixels behind a Box"
    );
}

#[test]
fn logs_cost_sixteen_bytes_per_event_plus_pixels() {
    let shapes = log_shapes();
    // From this thread's first call on, in one window: whatever is dropped
    // leaves nothing behind (a cache that replaced its entry on every call
    // could even out a window per call, not this one).
    memprobe::assert_live_bytes!(
        == 0,
        {
            for &(n, every) in &shapes {
                drop(log_of(black_box(n), every));
            }
        },
        "a dropped log frees every thumbnail's pixels: nothing may stay on the heap"
    );
    for (n, every) in shapes {
        let thumbnails = (0..n).filter(|&i| is_thumbnail(i, every)).count();
        // The log's one buffer of `n` events of at most 16 bytes, plus each
        // thumbnail's own block. Clicks and keys own nothing (10,000 events
        // with 100 thumbnails: 160,000 + 104,000 bytes).
        let budget = n * EVENT_BYTES + thumbnails * THUMBNAIL_BYTES;
        let log = memprobe::assert_peak_bytes!(
            <= budget,
            log_of(black_box(n), every),
            "only thumbnails should pay for pixels: give their pixels their own heap block and keep the rest inline"
        );
        assert_eq!(log.len(), n);
        for (i, e) in log.iter().enumerate() {
            check_event(e, i, every);
        }
    }
}
