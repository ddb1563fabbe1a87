//! Alternative: sort the input's own bytes in place (no second buffer at all), and drop the raw text by assigning an empty String after parsing.

/// Returns the bytes of `text` in ascending order, like an anagram key:
/// `"listen"` gives `"eilnst"`, `""` gives `""`.
///
/// `text` must be ASCII (panics otherwise). The function takes the text by
/// value: the caller hands it over and does not need it back.
pub fn sorted_letters(text: String) -> String {
    assert!(text.is_ascii(), "sorted_letters expects ASCII text");
    // Reuse the input's buffer: the result is a permutation of its bytes.
    // `sort_unstable` works in place (the stable `sort` would allocate a
    // scratch buffer).
    let mut bytes = text.into_bytes();
    bytes.sort_unstable();
    String::from_utf8(bytes).expect("sorted ASCII is still ASCII")
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
        let values = self
            .raw
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
        // Assigning drops the old String: its buffer is freed right here.
        self.raw = String::new();
    }

    /// The parsed values, in line order (empty before `parse`).
    pub fn values(&self) -> &[u32] {
        self.values.as_deref().unwrap_or(&[])
    }
}
