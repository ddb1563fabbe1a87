//! `snapshot.json`: the commit each fork's default branch had when the
//! gradebook first ran at or after the student's deadline, with how late
//! that was. Entries are added for students not seen yet and never changed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::class::deadline::{Deadline, human};

/// The snapshot file of one `--deadline`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Snapshot {
    /// The deadline it was taken for (RFC 3339, UTC).
    pub deadline: Deadline,
    /// By student id.
    pub students: BTreeMap<String, SnapEntry>,
}

/// One fork's commit at its deadline.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SnapEntry {
    /// The repository asked.
    pub repo: String,
    /// Its default branch's commit, when it could be read.
    pub commit: Option<String>,
    /// Why it could not (the fork is then not graded; remove the entry to
    /// take it again).
    pub error: Option<String>,
    /// When it was taken (RFC 3339, UTC).
    pub taken_at: String,
    /// The student's own deadline when it is an extension.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<Deadline>,
    /// Seconds after the student's deadline it was taken (0 at the
    /// deadline's second).
    #[serde(default)]
    pub late_s: u64,
}

/// Which commit of a fork is graded in this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// No deadline given: the current HEAD.
    Now,
    /// Before the student's deadline: the current HEAD, marked.
    Before,
    /// At or after it: the snapshot's commit.
    Snapshot,
}

impl When {
    /// For a student whose deadline is `deadline`, at `now`.
    pub fn at(deadline: Option<Deadline>, now: Deadline) -> When {
        match deadline {
            None => When::Now,
            Some(d) if now >= d => When::Snapshot,
            Some(_) => When::Before,
        }
    }

    /// The `taken` column.
    pub fn taken(self) -> &'static str {
        match self {
            When::Now => "current HEAD",
            When::Before => "before deadline",
            When::Snapshot => "deadline snapshot",
        }
    }
}

impl Snapshot {
    /// The one line every run prints when some commit was taken after its
    /// deadline (`None` when every one was taken at it).
    pub fn late_note(&self) -> Option<String> {
        let late: Vec<u64> = self
            .students
            .values()
            .map(|e| e.late_s)
            .filter(|&s| s > 0)
            .collect();
        let worst = late.iter().max()?;
        Some(format!(
            "note: the deadline snapshot of {} fork(s) was taken after the deadline, up to {} late: commits pushed in that time are graded (see the `late` column)",
            late.len(),
            human(*worst)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_late_snapshot_says_how_late() {
        let d: Deadline = "2026-12-01T23:59:00Z".parse().unwrap();
        let entry = |late_s| SnapEntry {
            repo: "/r.git".into(),
            commit: Some("0".repeat(40)),
            error: None,
            taken_at: String::new(),
            extension: None,
            late_s,
        };
        let mut s = Snapshot {
            deadline: d,
            students: BTreeMap::from([("a".to_string(), entry(0))]),
        };
        assert_eq!(s.late_note(), None);
        s.students.insert("b".into(), entry(5 * 86_400 + 3600));
        s.students.insert("c".into(), entry(30));
        let note = s.late_note().unwrap();
        assert!(
            note.contains("of 2 fork(s)") && note.contains("up to 5d 1h late"),
            "{note}"
        );
        assert_eq!(When::at(Some(d), d), When::Snapshot);
        assert_eq!(When::at(None, d), When::Now);
        let before: Deadline = "2026-12-01T23:58:59Z".parse().unwrap();
        assert_eq!(When::at(Some(d), before), When::Before);
    }
}
