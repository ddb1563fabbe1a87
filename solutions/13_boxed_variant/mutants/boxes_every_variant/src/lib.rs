//! Mutant: Boxes the payload of every variant, not only the large one: the enum is 16 bytes, but every click and key press now costs a heap allocation too.
// Family: wasteful (a loose budget lets it through).

/// The pixels of a thumbnail: 32 × 32 grey levels.
pub type Pixels = [u8; 1024];

/// One event of the log. Build events with [`Event::click`], [`Event::key`]
/// and [`Event::thumbnail`], and read them back with the `as_*` accessors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// A mouse click at a position on the screen.
    Click(Box<(i32, i32)>),
    /// A key press.
    Key(Box<char>),
    /// A screenshot preview (rare: about one event in a hundred).
    Thumbnail(Box<Pixels>),
}

impl Event {
    /// A click at `(x, y)`.
    pub fn click(x: i32, y: i32) -> Event {
        Event::Click(Box::new((x, y)))
    }

    /// A press of `key`.
    pub fn key(key: char) -> Event {
        Event::Key(Box::new(key))
    }

    /// A thumbnail with the given pixels.
    pub fn thumbnail(pixels: Pixels) -> Event {
        Event::Thumbnail(Box::new(pixels))
    }

    /// The position, if this is a click.
    pub fn as_click(&self) -> Option<(i32, i32)> {
        match self {
            Event::Click(position) => Some(**position),
            _ => None,
        }
    }

    /// The key, if this is a key press.
    pub fn as_key(&self) -> Option<char> {
        match self {
            Event::Key(key) => Some(**key),
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
