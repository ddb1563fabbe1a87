//! Mutant: compares thumbnails by address (`Rc::ptr_eq`): equal pixels built apart compare unequal.
//!
//! Alternative: the pixels behind an `Rc<Pixels>` instead of a `Box`: the enum is 16 bytes all the same, each thumbnail costs its kilobyte plus the two reference counts, and cloning an event shares the pixels instead of copying them.

use std::rc::Rc;

/// The pixels of a thumbnail: 32 × 32 grey levels.
pub type Pixels = [u8; 1024];

/// One event of the log. Build events with [`Event::click`], [`Event::key`]
/// and [`Event::thumbnail`], and read them back with the `as_*` accessors.
#[derive(Clone, Debug, Eq)]
pub enum Event {
    /// A mouse click at a position on the screen.
    Click { x: i32, y: i32 },
    /// A key press.
    Key(char),
    /// A screenshot preview (rare: about one event in a hundred).
    Thumbnail(Rc<Pixels>),
}

/// MUTANT (pointer_eq): thumbnails compare by address (`Rc::ptr_eq`), so a
/// clone equals its original but two thumbnails with the same pixels,
/// built apart, do not.
impl PartialEq for Event {
    fn eq(&self, other: &Event) -> bool {
        match (self, other) {
            (Event::Click { x, y }, Event::Click { x: x2, y: y2 }) => (x, y) == (x2, y2),
            (Event::Key(a), Event::Key(b)) => a == b,
            (Event::Thumbnail(a), Event::Thumbnail(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl Event {
    /// A click at `(x, y)`.
    pub fn click(x: i32, y: i32) -> Event {
        Event::Click { x, y }
    }

    /// A press of `key`.
    pub fn key(key: char) -> Event {
        Event::Key(key)
    }

    /// A thumbnail with the given pixels.
    pub fn thumbnail(pixels: Pixels) -> Event {
        Event::Thumbnail(Rc::new(pixels))
    }

    /// The position, if this is a click.
    pub fn as_click(&self) -> Option<(i32, i32)> {
        match self {
            Event::Click { x, y } => Some((*x, *y)),
            _ => None,
        }
    }

    /// The key, if this is a key press.
    pub fn as_key(&self) -> Option<char> {
        match self {
            Event::Key(key) => Some(*key),
            _ => None,
        }
    }

    /// The pixels, if this is a thumbnail.
    pub fn as_thumbnail(&self) -> Option<&Pixels> {
        match self {
            Event::Thumbnail(pixels) => Some(pixels),
            _ => None,
        }
    }
}
