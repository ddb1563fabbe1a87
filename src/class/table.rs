//! The instructor's CSV files (the roster, the extensions), read by the
//! `csv` crate with one set of rules: a header line naming the columns,
//! fields separated by commas, quoted with `"` (`""` is one `"` inside)
//! and trimmed; a quoted field cannot span lines; blank lines and lines
//! whose first character is `#` are skipped. Every message names
//! `file:line` as the file has it.

/// The rows of a table under its header, each with its line (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// For each wanted column, its position in the header.
    pub columns: Vec<usize>,
    /// Rows: (line, fields), each row as wide as the header.
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Reads `text` (named `name` in messages), whose header must name every
/// column of `wanted` (ignoring case; other columns are allowed).
pub fn read(name: &str, text: &str, wanted: &[&str]) -> Result<Table, String> {
    let header_example = wanted.join(",");
    // Comment lines are blanked here rather than by csv's `comment`, whose
    // line count leaves them out. A line with an odd number of `"` leaves a
    // quoted field open, which csv would continue on the next line.
    let mut uncommented = String::with_capacity(text.len());
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if line.starts_with('#') {
            uncommented.push('\n');
        } else if line.matches('"').count() % 2 == 1 {
            return Err(format!(
                "{name}:{}: a quoted field is not closed on this line (a field cannot span lines)",
                i + 1
            ));
        } else {
            uncommented.push_str(line);
        }
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(uncommented.as_bytes());
    let mut table: Option<Table> = None;
    let mut width = 0;
    for record in reader.records() {
        let record = record.map_err(|e| format!("{name}: {e}"))?;
        let line = line_of(&uncommented, &record);
        if record.iter().all(str::is_empty) {
            continue;
        }
        let fields: Vec<String> = record.iter().map(str::to_string).collect();
        let Some(table) = table.as_mut() else {
            let find = |want: &&str| fields.iter().position(|h| h.eq_ignore_ascii_case(want));
            let columns: Option<Vec<usize>> = wanted.iter().map(find).collect();
            let Some(columns) = columns else {
                return Err(format!(
                    "{name}:{line}: the first line must be a header naming the columns {}, e.g. `{header_example}`",
                    wanted
                        .iter()
                        .map(|w| format!("`{w}`"))
                        .collect::<Vec<_>>()
                        .join(" and ")
                ));
            };
            width = fields.len();
            table = Some(Table {
                columns,
                rows: Vec::new(),
            });
            continue;
        };
        if fields.len() != width {
            return Err(format!(
                "{name}:{line}: {} field(s), but the header has {width}",
                fields.len()
            ));
        }
        table.rows.push((line, fields));
    }
    table.ok_or_else(|| {
        format!("{name}: the file is empty; it needs a header line `{header_example}`")
    })
}

/// The line `record` of `text` starts on. csv's position of a record is
/// where reading it began, before the blank lines it skipped, so those are
/// skipped here too.
fn line_of(text: &str, record: &csv::StringRecord) -> usize {
    let start = record.position().map_or(0, |p| p.byte() as usize);
    let before = &text.as_bytes()[..start.min(text.len())];
    let skipped = text.as_bytes()[before.len()..]
        .iter()
        .take_while(|b| matches!(b, b'\n' | b'\r'))
        .filter(|&&b| b == b'\n')
        .count();
    before.iter().filter(|&&b| b == b'\n').count() + skipped + 1
}

/// Reads the file at `path` as UTF-8 text, or a message naming it.
pub fn read_text(path: &std::path::Path, what: &str) -> Result<String, String> {
    let bytes = std::fs::read(path)
        .map_err(|e| format!("cannot read the {what} {}: {e}", path.display()))?;
    String::from_utf8(bytes)
        .map_err(|_| format!("{}: the {what} is not UTF-8 text", path.display()))
}
