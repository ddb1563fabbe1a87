//! Mutant: builds a temporary run per letter: small for evenly spread text, as big as the text when one letter dominates.
//!
//! Release large inputs as soon as you are done with them.
//!
//! `sorted_letters` keeps only what the result needs (a count per byte) and
//! drops the input before building the result, so only one text-sized buffer
//! is ever live. `Dataset::parse` takes the raw text out of the struct, so it
//! is freed as soon as parsing ends.

/// Returns the bytes of `text` in ascending order, like an anagram key:
/// `"listen"` gives `"eilnst"`, `""` gives `""`.
///
/// `text` must be ASCII (panics otherwise). The function takes the text by
/// value: the caller hands it over and does not need it back.
pub fn sorted_letters(text: String) -> String {
    assert!(text.is_ascii(), "sorted_letters expects ASCII text");
    // How many times each byte occurs: all the result needs to know.
    let mut counts = [0usize; 128];
    for byte in text.bytes() {
        counts[usize::from(byte)] += 1;
    }
    let len = text.len();
    // Python's `del text`: the buffer goes back to the allocator here, before
    // the result asks for one of the same size.
    drop(text);
    let mut sorted = String::with_capacity(len);
    // MUTANT: a temporary run per letter, as long as that letter's count:
    // small when the text is evenly spread, as large as the text when one
    // letter dominates.
    for (byte, &n) in (0u8..).zip(counts.iter()) {
        if n > 0 {
            let run = char::from(byte).to_string().repeat(n);
            sorted.push_str(&run);
        }
    }
    sorted
}

/// A data set loaded as raw CSV text, one `label,value` line per record,
/// and parsed into its values once.
pub struct Dataset {
    raw: String,
    values: Option<Vec<u32>>,
}

impl Dataset {
    /// Takes ownership of the raw text. Nothing is parsed yet.
    pub fn load(raw: String) -> Dataset {
        Dataset { raw, values: None }
    }

    /// Parses the value of every line (the number after the last comma).
    /// Only the first call parses; later calls do nothing. Nothing reads the
    /// raw text after it has been parsed.
    ///
    /// Panics on a line without a number after its last comma.
    pub fn parse(&mut self) {
        if self.values.is_some() {
            return;
        }
        // Move the text out of the struct (leaving an empty, unallocated
        // String behind): it is freed when `raw` goes out of scope below.
        let raw = std::mem::take(&mut self.raw);
        let values = raw
            .lines()
            .map(|line| {
                let field = line.rsplit(',').next().unwrap_or(line);
                field
                    .trim()
                    .parse::<u32>()
                    .expect("each line ends with `,<number>`")
            })
            .collect();
        self.values = Some(values);
    }

    /// The parsed values, in line order (empty before `parse`).
    pub fn values(&self) -> &[u32] {
        self.values.as_deref().unwrap_or(&[])
    }
}
