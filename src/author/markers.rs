//! Merge-conflict markers left in what a course ships: a README, a stub, a
//! test or a hint holding `<<<<<<<` … `>>>>>>>` reaches every student through
//! `memgrade template`, so `verify` refuses them, naming file and line.

use std::path::Path;

use anyhow::{Context, Result};

use crate::course::Course;
use crate::fsutil::{NOT_SHIPPED, walk};

/// The markers git writes at the start of a line around a conflict (the
/// `=======` between the sides is left out: Markdown underlines headings with
/// it).
const MARKERS: [&str; 3] = ["<<<<<<< ", ">>>>>>> ", "||||||| "];

/// The 1-based lines of `text` that start with a conflict marker.
pub fn marker_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            MARKERS
                .iter()
                .any(|m| line.starts_with(m) || *line == m.trim_end())
        })
        .map(|(i, _)| i + 1)
        .collect()
}

/// One problem per file of the course holding conflict markers: grader.toml
/// and every text file of the exercises (and of the solutions, when
/// `with_solutions`).
pub fn problems(course: &Course, with_solutions: bool) -> Result<Vec<String>> {
    let mut files = vec![course.root.join("grader.toml")];
    for e in &course.exercises {
        files.extend(text_files(&course.root.join(&e.dir))?);
        let solution = course.root.join(&e.solution_dir);
        if with_solutions && let Some(dir) = solution.parent() {
            files.extend(text_files(dir)?);
        }
    }
    let mut problems = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        let lines = marker_lines(&text);
        if !lines.is_empty() {
            let rel = file.strip_prefix(&course.root).unwrap_or(&file);
            let at: Vec<String> = lines.iter().map(usize::to_string).collect();
            problems.push(format!(
                "{} holds merge-conflict markers (line {}): resolve the conflict",
                rel.display(),
                at.join(", ")
            ));
        }
    }
    Ok(problems)
}

/// The `.rs`, `.md` and `.toml` files under `dir` (none when it does not
/// exist).
fn text_files(dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    for entry in walk(dir, NOT_SHIPPED) {
        let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
        let is_text = entry
            .path()
            .extension()
            .is_some_and(|x| x == "rs" || x == "md" || x == "toml");
        if entry.file_type().is_file() && is_text {
            out.push(entry.into_path());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_marker_at_the_start_of_a_line_only() {
        let text = "# Title\n=======\n<<<<<<< HEAD\nours\n||||||| base\n=======\ntheirs\n>>>>>>> ex1\nsay <<<<<<< here\n";
        assert_eq!(marker_lines(text), vec![3, 5, 8]);
        assert!(marker_lines("# Title\n=======\nplain text\n").is_empty());
    }

    #[test]
    fn names_the_file_and_lines_in_a_course() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("exercises/01_x/src")).unwrap();
        std::fs::write(
            root.join("exercises/01_x/Cargo.toml"),
            "[package]\nname = \"x\"\n",
        )
        .unwrap();
        std::fs::write(
            root.join("exercises/01_x/README.md"),
            "# x\n<<<<<<< HEAD\na\n=======\nb\n>>>>>>> other\n",
        )
        .unwrap();
        std::fs::write(root.join("exercises/01_x/src/lib.rs"), "pub fn x() {}\n").unwrap();
        std::fs::write(
            root.join("grader.toml"),
            "format = 1\ntitle = \"t\"\n[[objectives]]\nid = \"o\"\ntitle = \"o\"\nsection = \"s\"\n\
             [[exercises]]\nname = \"x\"\ndir = \"exercises/01_x\"\nobjective = \"o\"\npoints = 1\nhints = [\"h\"]\n",
        )
        .unwrap();
        let course = Course::load(root).unwrap();
        assert_eq!(
            problems(&course, false).unwrap(),
            vec![
                "exercises/01_x/README.md holds merge-conflict markers (line 2, 6): resolve the conflict"
            ]
        );
        std::fs::write(root.join("exercises/01_x/README.md"), "# x\n").unwrap();
        assert!(problems(&course, false).unwrap().is_empty());
    }
}
