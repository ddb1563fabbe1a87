//! Deadlines of a class: the RFC 3339 time `gradebook --deadline` takes
//! (parsed by `jiff`), per-student extensions (`--extensions FILE`, a CSV
//! of `student_id,deadline`), and how late something happened after one.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::exit::UsageError;

/// A deadline: an instant, written back in UTC (`2026-12-01T23:59:00Z`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Deadline(pub jiff::Timestamp);

impl std::str::FromStr for Deadline {
    type Err = String;

    fn from_str(s: &str) -> Result<Deadline, String> {
        s.trim().parse::<jiff::Timestamp>().map(Deadline).map_err(|e| {
            format!(
                "{s:?} is not an RFC 3339 time with a UTC offset ({e}); write e.g. 2026-12-01T23:59:00Z or 2026-12-01T23:59:00+01:00"
            )
        })
    }
}

impl TryFrom<String> for Deadline {
    type Error = String;

    fn try_from(s: String) -> Result<Deadline, String> {
        s.parse()
    }
}

impl From<Deadline> for String {
    fn from(d: Deadline) -> String {
        d.to_string()
    }
}

impl std::fmt::Display for Deadline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Whole seconds, in UTC: `2026-12-01T23:59:00Z`.
        let whole = jiff::Timestamp::from_second(self.0.as_second()).unwrap_or(self.0);
        write!(f, "{whole}")
    }
}

impl Deadline {
    /// Now.
    pub fn now() -> Deadline {
        Deadline(jiff::Timestamp::now())
    }

    /// Whole seconds from `self` to `later` when `later` is after it.
    pub fn late_by(self, later: Deadline) -> Option<u64> {
        let s = later.0.as_second() - self.0.as_second();
        u64::try_from(s).ok().filter(|&s| s > 0)
    }
}

/// A span of seconds as a person reads it: `3d 4h`, `2h 5m`, `40s`.
pub fn human(secs: u64) -> String {
    let (d, h, m, s) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{s}s"),
        (0, 0, _) => format!("{m}m {s}s"),
        (0, _, _) => format!("{h}h {m}m"),
        _ => format!("{d}d {h}h"),
    }
}

/// Per-student deadlines, by student id.
pub type Extensions = HashMap<String, Deadline>;

/// Reads `--extensions FILE`: a CSV with a header naming `student_id` and
/// `deadline`, then one row per student. A malformed line, an unknown
/// student (not in `roster`) or a student given twice is a usage error
/// naming `file:line`.
pub fn read_extensions(path: &Path, roster: &[&str]) -> anyhow::Result<Extensions> {
    let usage = |m: String| anyhow::Error::from(UsageError(m));
    let name = path.display().to_string();
    let text = crate::class::table::read_text(path, "extensions").map_err(usage)?;
    let table =
        crate::class::table::read(&name, &text, &["student_id", "deadline"]).map_err(usage)?;
    let mut out = Extensions::new();
    for (line, fields) in &table.rows {
        let (id, when) = (&fields[table.columns[0]], &fields[table.columns[1]]);
        let deadline: Deadline = when
            .parse()
            .map_err(|e| usage(format!("{name}:{line}: deadline: {e}")))?;
        if !roster.contains(&id.as_str()) {
            return Err(usage(format!(
                "{name}:{line}: {id:?} is not a student of the roster"
            )));
        }
        if out.insert(id.clone(), deadline).is_some() {
            return Err(usage(format!(
                "{name}:{line}: {id:?} has an extension already"
            )));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_parse_rfc3339_and_print_utc() {
        let d: Deadline = "2020-01-01T00:00:00+01:00".parse().unwrap();
        assert_eq!(d.to_string(), "2019-12-31T23:00:00Z");
        let d: Deadline = "2026-12-01T23:59:00Z".parse().unwrap();
        assert_eq!(d.to_string(), "2026-12-01T23:59:00Z");
        for bad in [
            "2026-12-01T23:59:00é1:00",
            "2026-12-01T23:59:00",
            "2026-13-01T00:00:00Z",
            "tomorrow",
            "",
        ] {
            let e = bad.parse::<Deadline>().unwrap_err();
            assert!(e.contains("is not an RFC 3339 time"), "{bad}: {e}");
        }
        let later: Deadline = "2026-12-02T01:00:30Z".parse().unwrap();
        assert_eq!(d.late_by(later), Some(3690));
        assert_eq!(later.late_by(d), None);
        assert_eq!(d.late_by(d), None);
    }

    #[test]
    fn spans_read_as_a_person_writes_them() {
        assert_eq!(human(40), "40s");
        assert_eq!(human(3630), "1h 0m");
        assert_eq!(human(125), "2m 5s");
        assert_eq!(human(5 * 86_400 + 3 * 3600 + 59), "5d 3h");
    }

    #[test]
    fn extensions_name_the_line_of_a_bad_row() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ext.csv");
        let read = |text: &str| {
            std::fs::write(&path, text).unwrap();
            read_extensions(&path, &["alice", "bob"]).map_err(|e| e.to_string())
        };
        let ok =
            read("student_id,deadline\n# late enrolment\n\nalice,2026-12-08T23:59:00Z\n").unwrap();
        assert_eq!(ok["alice"].to_string(), "2026-12-08T23:59:00Z");
        assert!(
            read("student_id,deadline\n# x\nalice,soon\n")
                .unwrap_err()
                .contains("ext.csv:3: deadline: \"soon\"")
        );
        assert!(
            read("student_id,deadline\ncarol,2026-12-08T23:59:00Z\n")
                .unwrap_err()
                .contains("ext.csv:2: \"carol\" is not a student")
        );
        assert!(
            read("student_id,deadline\nbob,2026-12-08T23:59:00Z\nbob,2026-12-09T23:59:00Z\n")
                .unwrap_err()
                .contains("ext.csv:3: \"bob\" has an extension already")
        );
        assert!(
            read("id,when\n")
                .unwrap_err()
                .contains("ext.csv:1: the first line must be a header")
        );
    }
}
