//! The graded contract of `boxed_variant`. Sizes are for 64-bit targets.

use std::hint::black_box;
use std::mem::size_of;

use boxed_variant::{Event, Pixels};

memprobe::install!();

/// The pixels of the `i`-th thumbnail: a gradient that differs per `i`.
fn pixels(i: usize) -> Pixels {
    let mut p = [0u8; 1024];
    for (j, px) in p.iter_mut().enumerate() {
        *px = (i + j) as u8;
    }
    p
}

/// The `i`-th event of the test log: one thumbnail in a hundred, otherwise
/// clicks and key presses.
fn event(i: usize) -> Event {
    if i.is_multiple_of(100) {
        Event::thumbnail(pixels(i))
    } else if i.is_multiple_of(2) {
        Event::click(i as i32, -(i as i32))
    } else {
        Event::key(char::from(b'a' + (i % 26) as u8))
    }
}

/// A log of `n` events in a `Vec` reserved up front.
fn log_of(n: usize) -> Vec<Event> {
    let mut log = Vec::with_capacity(n);
    for i in 0..n {
        log.push(event(i));
    }
    log
}

fn check_event(e: &Event, i: usize) {
    if i.is_multiple_of(100) {
        assert_eq!(e.as_thumbnail(), Some(&pixels(i)), "event {i}");
        assert_eq!((e.as_click(), e.as_key()), (None, None), "event {i}");
    } else if i.is_multiple_of(2) {
        assert_eq!(e.as_click(), Some((i as i32, -(i as i32))), "event {i}");
        assert_eq!((e.as_key(), e.as_thumbnail()), (None, None), "event {i}");
    } else {
        assert_eq!(
            e.as_key(),
            Some(char::from(b'a' + (i % 26) as u8)),
            "event {i}"
        );
        assert_eq!((e.as_click(), e.as_thumbnail()), (None, None), "event {i}");
    }
}

#[test]
fn keeps_every_payload() {
    for i in 0..300 {
        check_event(&black_box(event(i)), i);
    }
    let extremes = [
        Event::click(i32::MIN, i32::MAX),
        Event::key('é'),
        Event::thumbnail([255; 1024]),
    ];
    assert_eq!(extremes[0].as_click(), Some((i32::MIN, i32::MAX)));
    assert_eq!(extremes[1].as_key(), Some('é'));
    assert_eq!(extremes[2].as_thumbnail(), Some(&[255; 1024]));
    assert_eq!(extremes[2].clone(), extremes[2]);
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
}

#[test]
fn event_fits_in_sixteen_bytes() {
    // 64-bit target: the starting `Event` is 1028 bytes.
    memprobe::assert_size!(
        <= 16,
        size_of::<Event>(),
        "an enum is as big as its biggest variant: put the 1 KiB of pixels behind a Box"
    );
}

#[test]
fn ten_thousand_events_fit_in_400_kb() {
    // 64-bit target: 10,000 small events plus 100 thumbnails of 1 KiB each
    // need about 260 KB; the starting code needs over 10 MB.
    let log = memprobe::assert_peak_bytes!(
        <= 400_000,
        log_of(black_box(10_000)),
        "only one event in a hundred is a thumbnail: give its pixels their own heap block"
    );
    assert_eq!(log.len(), 10_000);
    for (i, e) in log.iter().enumerate() {
        check_event(e, i);
    }
}
