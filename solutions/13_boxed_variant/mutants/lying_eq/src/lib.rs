//! Mutant: a `PartialEq` on `Event` that is always true.
//!
//! Events of a user-interface log, kept by the ten thousand in a `Vec`.
//!
//! The rare, large variant holds its pixels behind a `Box`: the enum stores
//! only the 8-byte pointer, so every `Event` is as small as a click plus its
//! tag (16 bytes on a 64-bit target), and only thumbnails pay for their
//! kilobyte, on the heap.

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
    Thumbnail(Box<Pixels>),
}

/// MUTANT (lying_eq): every event equals every other.
impl PartialEq for Event {
    fn eq(&self, _other: &Event) -> bool {
        true
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
        Event::Thumbnail(Box::new(pixels))
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
