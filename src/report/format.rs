//! Which report formats exist, where each goes (`--format`, `--output`), and
//! the dispatch from a format to its renderer.

use std::path::PathBuf;

use crate::exit::UsageError;
use crate::pipeline::grade::Grade;

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Human-readable report with diffs.
    Terminal,
    /// The Grade model as JSON.
    Json,
    /// JUnit XML.
    Junit,
    /// GitHub workflow-command annotations (and the step summary).
    Github,
    /// Gradescope results.json.
    Gradescope,
    /// Classroom 50's result.json (needs the runner's environment).
    Classroom50,
    /// PrairieLearn external grader results.json.
    Prairielearn,
    /// Retired with GitHub Classroom autograding: rejected with a pointer
    /// to `classroom50`.
    Classroom,
}

impl Format {
    /// Every format, in the order `--help` lists them (the retired
    /// `classroom` last, hidden there).
    pub const ALL: &[Format] = &[
        Format::Terminal,
        Format::Json,
        Format::Junit,
        Format::Github,
        Format::Gradescope,
        Format::Classroom50,
        Format::Prairielearn,
        Format::Classroom,
    ];

    /// The format `--format` spells `name` (any case).
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL
            .iter()
            .copied()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }

    /// The format's name as `--format` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Terminal => "terminal",
            Format::Json => "json",
            Format::Junit => "junit",
            Format::Github => "github",
            Format::Gradescope => "gradescope",
            Format::Classroom50 => "classroom50",
            Format::Prairielearn => "prairielearn",
            Format::Classroom => "classroom",
        }
    }
}

/// Why `--format classroom` is refused.
pub const RETIRED_CLASSROOM: &str = "--format classroom (GitHub Classroom autograding) was retired with GitHub Classroom autograding on 2026-08-28; use --format classroom50 (Classroom 50's result.json) instead";

/// What some formats need from outside the grade, gathered before grading so
/// a missing piece stops the run before anything is compiled.
#[derive(Debug, Clone, Default)]
pub struct FormatContext {
    /// Classroom 50's submission context, when that format was asked for.
    #[cfg(feature = "instructor")]
    pub classroom50: Option<super::machine::classroom50::Context>,
}

impl FormatContext {
    /// Gathers what the formats in `dest` need (from the environment).
    #[cfg(feature = "instructor")]
    pub fn gather(dest: &[(Format, Option<PathBuf>)]) -> Result<FormatContext, UsageError> {
        let classroom50 = if dest.iter().any(|(f, _)| *f == Format::Classroom50) {
            Some(super::machine::classroom50::Context::from_env()?)
        } else {
            None
        };
        Ok(FormatContext { classroom50 })
    }

    /// Gathers what the formats in `dest` need: nothing, the terminal
    /// report being the only one of a student's build.
    #[cfg(not(feature = "instructor"))]
    pub fn gather(_dest: &[(Format, Option<PathBuf>)]) -> Result<FormatContext, UsageError> {
        Ok(FormatContext {})
    }
}

/// The formats a check writes: those asked for, and in CI mode on GitHub
/// Actions (`GITHUB_ACTIONS=true`) also the annotations (`github`; the
/// instructor build's, a student's build has only the terminal report).
pub fn with_ci_formats(formats: &[Format], ci: bool) -> Vec<Format> {
    let mut formats = formats.to_vec();
    if cfg!(feature = "instructor")
        && ci
        && std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
        && !formats.contains(&Format::Github)
    {
        if formats.is_empty() {
            formats.push(Format::Terminal);
        }
        formats.push(Format::Github);
    }
    formats
}

/// Works out where every format goes; `None` means stdout.
pub fn destinations(
    formats: &[Format],
    outputs: &[String],
) -> Result<Vec<(Format, Option<PathBuf>)>, UsageError> {
    let mut formats = formats.to_vec();
    if formats.contains(&Format::Classroom)
        || outputs.iter().any(|o| {
            o.split_once('=')
                .is_some_and(|(f, _)| f.eq_ignore_ascii_case("classroom"))
        })
    {
        return Err(UsageError(RETIRED_CLASSROOM.to_string()));
    }
    if formats.is_empty() {
        formats.push(Format::Terminal);
    }
    let mut dest: Vec<(Format, Option<PathBuf>)> = Vec::new();
    for f in &formats {
        if !dest.iter().any(|(g, _)| g == f) {
            dest.push((*f, None));
        }
    }
    for o in outputs {
        let (format, path) = match o.split_once('=') {
            Some((name, path)) => {
                let f = Format::from_name(name)
                    .ok_or_else(|| UsageError(format!("--output {o}: `{name}` is not a format")))?;
                if !dest.iter().any(|(g, _)| *g == f) {
                    dest.push((f, None));
                }
                (f, PathBuf::from(path))
            }
            None => {
                let f = dest
                    .iter()
                    .find(|(f, p)| *f != Format::Terminal && p.is_none())
                    .map(|(f, _)| *f)
                    .ok_or_else(|| UsageError(format!("--output {o}: no machine format to send there; use --format, or FORMAT=PATH")))?;
                (f, PathBuf::from(o))
            }
        };
        if let Some(slot) = dest.iter_mut().find(|(f, _)| *f == format) {
            slot.1 = Some(path);
        }
    }
    #[cfg(not(feature = "instructor"))]
    if let Some((f, _)) = dest.iter().find(|(f, _)| *f != Format::Terminal) {
        return Err(crate::exit::needs_instructor(&format!(
            "check --format {}",
            f.name()
        )));
    }
    let on_stdout: Vec<&str> = dest
        .iter()
        .filter(|(f, p)| p.is_none() && !matches!(f, Format::Terminal | Format::Github))
        .map(|(f, _)| f.name())
        .collect();
    let terminal_on_stdout = dest
        .iter()
        .any(|(f, p)| *f == Format::Terminal && p.is_none());
    if on_stdout.len() > 1
        || (on_stdout.len() == 1 && terminal_on_stdout && formats.contains(&Format::Terminal))
    {
        return Err(UsageError(format!(
            "only one machine format can write to stdout ({} would); send the others to files with --output FORMAT=PATH",
            on_stdout.join(", ")
        )));
    }
    Ok(dest)
}

/// Renders one format. `ctx` must come from [`FormatContext::gather`] over
/// destinations holding `format`.
pub fn render(format: Format, grade: &Grade, ctx: &FormatContext) -> String {
    match format {
        Format::Terminal => super::terminal::render(grade),
        #[cfg(feature = "instructor")]
        machine => render_machine(machine, grade, ctx),
        #[cfg(not(feature = "instructor"))]
        machine => {
            let _ = ctx;
            unreachable!(
                "destinations() refuses --format {} without the instructor feature",
                machine.name()
            )
        }
    }
}

/// Renders one machine format (every format but the terminal one).
#[cfg(feature = "instructor")]
fn render_machine(format: Format, grade: &Grade, ctx: &FormatContext) -> String {
    match format {
        Format::Terminal => super::terminal::render(grade),
        Format::Json => super::machine::json::render(grade),
        Format::Junit => super::machine::junit::render(grade),
        Format::Github => super::machine::github::annotations(grade),
        Format::Gradescope => super::machine::gradescope::render(grade),
        Format::Classroom50 => super::machine::classroom50::render(
            grade,
            ctx.classroom50
                .as_ref()
                .expect("FormatContext::gather reads the Classroom 50 context"),
        ),
        Format::Prairielearn => super::machine::prairielearn::render(grade),
        Format::Classroom => unreachable!("destinations() refuses the retired classroom format"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_terminal_report_and_retired_formats_in_every_build() {
        assert_eq!(destinations(&[], &[]).unwrap(), [(Format::Terminal, None)]);
        let d = destinations(&[Format::Terminal], &["terminal=t.txt".into()]).unwrap();
        assert_eq!(d, [(Format::Terminal, Some(PathBuf::from("t.txt")))]);
        assert!(destinations(&[], &["r.xml".into()]).is_err());
        assert!(destinations(&[], &["nope=r.xml".into()]).is_err());
        for refused in [
            destinations(&[Format::Classroom], &[]),
            destinations(&[], &["classroom=r.json".into()]),
        ] {
            assert_eq!(refused.unwrap_err().0, RETIRED_CLASSROOM);
        }
        for f in Format::ALL {
            assert_eq!(Format::from_name(&f.name().to_uppercase()), Some(*f));
        }
        assert_eq!(Format::from_name("nope"), None);
    }

    #[cfg(not(feature = "instructor"))]
    #[test]
    fn a_students_build_refuses_machine_formats() {
        for (formats, outputs, what) in [
            (&[Format::Json][..], &[][..], "json"),
            (&[Format::Terminal, Format::Junit], &[], "junit"),
            (&[], &["github=a.txt".to_string()][..], "github"),
        ] {
            assert_eq!(
                destinations(formats, outputs).unwrap_err(),
                crate::exit::needs_instructor(&format!("check --format {what}"))
            );
        }
    }

    #[cfg(feature = "instructor")]
    #[test]
    fn output_destinations() {
        let d = destinations(&[Format::Json], &["grade.json".into()]).unwrap();
        assert_eq!(d, vec![(Format::Json, Some(PathBuf::from("grade.json")))]);
        let d = destinations(&[], &["junit=r.xml".into()]).unwrap();
        assert_eq!(
            d,
            vec![
                (Format::Terminal, None),
                (Format::Junit, Some("r.xml".into()))
            ]
        );
        assert!(destinations(&[Format::Json, Format::Junit], &[]).is_err());
        assert!(destinations(&[], &["r.xml".into()]).is_err());
        assert!(destinations(&[], &["nope=r.xml".into()]).is_err());
        let d = destinations(&[Format::Json], &[]).unwrap();
        assert_eq!(d, vec![(Format::Json, None)]);
        for refused in [
            destinations(&[Format::Classroom], &[]),
            destinations(&[], &["classroom=r.json".into()]),
        ] {
            assert_eq!(refused.unwrap_err().0, RETIRED_CLASSROOM);
        }
    }
}
