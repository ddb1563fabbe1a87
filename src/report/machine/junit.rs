//! JUnit XML, the format CI test reporters read.
//!
//! Shape (the common subset dorny/test-reporter, mikepenz/action-junit-report,
//! GitLab and Jenkins accept):
//!
//! ```text
//! <testsuites name="<course>" tests failures errors time>
//!   <testsuite name="<exercise>" tests failures errors skipped time>
//!     <properties> objective, points, max_points, status, mode, sandbox, toolchain </properties>
//!     <testcase name="<test>" classname="<exercise>.<suite>" time="s.sss" file line>
//!       <properties><property name="not_counted" value="not counted: …"/></properties>
//!       <failure message="<first line>" type="failed">full message</failure>
//!       <error message="<first line>" type="timed_out|crashed">full message</error>
//!       <system-out>captured output</system-out>
//!     </testcase>
//! ```
//!
//! An exercise that did not compile has one testcase `compile` with an
//! `<error type="compile_error">` holding the compiler's rendered errors; a
//! tampered one has one testcase `tamper_check` with a
//! `<failure type="tampered">` naming the changed files (its test results
//! are not trusted, so they are not listed); one where no test ran has one
//! testcase `tests` with a `<failure type="no_tests">`. Times are the sum of
//! the test processes' wall-clock times (tests run in parallel, so this is
//! not the run's duration).
//!
//! Every string is escaped; characters XML 1.0 forbids (most C0 controls,
//! U+FFFE, U+FFFF) become U+FFFD, and CR, LF and TAB in attributes and CR in
//! text are written as character references so they survive parsing.

use std::fmt::Write as _;

use crate::pipeline::grade::{ExerciseGrade, Grade, Location, Provenance, TestStatus};
use crate::report::WholeExercise;
use crate::report::machine::{first_line, of_test, seconds};
use crate::report::problem::{Problem, Subject, exercise_problems};

/// Renders `grade` as a JUnit XML document.
pub fn render(grade: &Grade) -> String {
    let suites: Vec<Suite> = grade.exercises.iter().map(suite).collect();
    let count = |f: fn(&Suite) -> usize| suites.iter().map(f).sum::<usize>();
    let total_ms: u64 = suites.iter().map(Suite::time_ms).sum();

    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{}\">",
        attr(&grade.course),
        count(|s| s.cases.len()),
        count(|s| s.count(Kind::Failure)),
        count(|s| s.count(Kind::Error)),
        seconds(total_ms),
    );
    for s in &suites {
        write_suite(&mut out, s, &grade.provenance);
    }
    out.push_str("</testsuites>\n");
    out
}

/// How a testcase did not pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `<failure>`: the code is wrong.
    Failure,
    /// `<error>`: the test could not finish (or the code not compile).
    Error,
}

/// A testcase's non-passing outcome.
struct JunitProblem {
    kind: Kind,
    type_: &'static str,
    text: String,
}

/// One `<testcase>`.
struct Case<'a> {
    name: &'a str,
    classname: String,
    time_ms: u64,
    location: Option<&'a Location>,
    problem: Option<JunitProblem>,
    output: &'a str,
    not_counted: Option<String>,
}

/// One `<testsuite>`: an exercise.
struct Suite<'a> {
    exercise: &'a ExerciseGrade,
    cases: Vec<Case<'a>>,
}

impl Suite<'_> {
    fn count(&self, kind: Kind) -> usize {
        self.cases
            .iter()
            .filter(|c| c.problem.as_ref().is_some_and(|p| p.kind == kind))
            .count()
    }

    fn time_ms(&self) -> u64 {
        self.cases.iter().map(|c| c.time_ms).sum()
    }
}

fn suite(e: &ExerciseGrade) -> Suite<'_> {
    let problems = exercise_problems(e);
    let as_problem = |p: &Problem| {
        let (kind, type_) = match p.subject {
            Subject::Whole(WholeExercise::CompileError(_)) => (Kind::Error, "compile_error"),
            Subject::Whole(WholeExercise::Tampered(_)) => (Kind::Failure, "tampered"),
            Subject::Whole(WholeExercise::NoTests) => (Kind::Failure, "no_tests"),
            Subject::Test(t) if t.status == TestStatus::Failed => (Kind::Failure, "failed"),
            Subject::Test(t) => (Kind::Error, t.status.as_str()),
        };
        JunitProblem {
            kind,
            type_,
            text: p.text.clone(),
        }
    };
    let cases = match problems.first() {
        Some(
            p @ Problem {
                subject: Subject::Whole(_),
                ..
            },
        ) => vec![Case {
            name: p.name(),
            classname: e.name.clone(),
            time_ms: 0,
            location: p.location,
            problem: Some(as_problem(p)),
            output: "",
            not_counted: None,
        }],
        _ => e
            .tests
            .iter()
            .map(|t| Case {
                name: &t.name,
                classname: format!("{}.{}", e.name, t.suite),
                time_ms: t.duration_ms,
                location: t.location.as_ref(),
                problem: of_test(&problems, t)
                    .filter(|p| !p.only_not_counted())
                    .map(as_problem),
                output: &t.output,
                not_counted: t.not_counted_line(),
            })
            .collect(),
    };
    Suite { exercise: e, cases }
}

fn write_suite(out: &mut String, s: &Suite, provenance: &Provenance) {
    let e = s.exercise;
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\" time=\"{}\">",
        attr(&e.name),
        s.cases.len(),
        s.count(Kind::Failure),
        s.count(Kind::Error),
        seconds(s.time_ms()),
    );
    out.push_str("    <properties>\n");
    for (name, value) in [
        ("objective", e.objective.clone()),
        ("points", e.points.to_string()),
        ("max_points", e.max_points.to_string()),
        ("status", e.status.as_str().to_string()),
        ("mode", provenance.mode.as_str().to_string()),
        ("sandbox", provenance.sandbox.clone()),
        ("toolchain", provenance.toolchain.clone()),
    ] {
        let _ = writeln!(
            out,
            "      <property name=\"{name}\" value=\"{}\"/>",
            attr(&value)
        );
    }
    out.push_str("    </properties>\n");
    for c in &s.cases {
        write_case(out, c);
    }
    out.push_str("  </testsuite>\n");
}

fn write_case(out: &mut String, c: &Case) {
    let _ = write!(
        out,
        "    <testcase name=\"{}\" classname=\"{}\" time=\"{}\"",
        attr(c.name),
        attr(&c.classname),
        seconds(c.time_ms)
    );
    if let Some(loc) = c.location {
        let _ = write!(out, " file=\"{}\" line=\"{}\"", attr(&loc.file), loc.line);
    }
    if c.problem.is_none() && c.output.is_empty() && c.not_counted.is_none() {
        out.push_str("/>\n");
        return;
    }
    out.push_str(">\n");
    if let Some(note) = &c.not_counted {
        let _ = writeln!(
            out,
            "      <properties><property name=\"not_counted\" value=\"{}\"/></properties>",
            attr(note)
        );
    }
    if let Some(p) = &c.problem {
        let tag = match p.kind {
            Kind::Failure => "failure",
            Kind::Error => "error",
        };
        let _ = writeln!(
            out,
            "      <{tag} message=\"{}\" type=\"{}\">{}</{tag}>",
            attr(first_line(&p.text)),
            p.type_,
            text(&p.text)
        );
    }
    if !c.output.is_empty() {
        let _ = writeln!(out, "      <system-out>{}</system-out>", text(c.output));
    }
    out.push_str("    </testcase>\n");
}

/// Whether XML 1.0 allows `c` in a document.
fn xml_allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escapes `s` for element content or (with `in_attr`) a quoted attribute.
fn escape(s: &str, in_attr: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // A parser turns a literal CR (or CR LF) into LF, and a literal
            // LF or TAB in an attribute into a space: references survive.
            '\r' => out.push_str("&#13;"),
            '\n' if in_attr => out.push_str("&#10;"),
            '\t' if in_attr => out.push_str("&#9;"),
            c if !xml_allowed(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Escapes an attribute value.
fn attr(s: &str) -> String {
    escape(s, true)
}

/// Escapes element text.
fn text(s: &str) -> String {
    escape(s, false)
}

#[cfg(test)]
mod tests {
    use quick_xml::escape::resolve_predefined_entity;
    use quick_xml::events::{BytesStart, Event};
    use quick_xml::reader::Reader;

    use super::*;
    use crate::pipeline::fixture;

    /// A parsed element: enough of a DOM to check the document.
    #[derive(Debug, Default)]
    struct Node {
        name: String,
        attrs: Vec<(String, String)>,
        text: String,
        children: Vec<Node>,
    }

    impl Node {
        fn attr(&self, key: &str) -> Option<&str> {
            self.attrs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        }

        fn child(&self, name: &str) -> Option<&Node> {
            self.children.iter().find(|c| c.name == name)
        }

        fn all<'a>(&'a self, name: &str, found: &mut Vec<&'a Node>) {
            if self.name == name {
                found.push(self);
            }
            for c in &self.children {
                c.all(name, found);
            }
        }

        fn find_all(&self, name: &str) -> Vec<&Node> {
            let mut found = vec![];
            self.all(name, &mut found);
            found
        }
    }

    fn open(e: &BytesStart) -> Node {
        let attrs = e
            .attributes()
            .map(|a| {
                let a = a.expect("well-formed attribute");
                let key = String::from_utf8(a.key.as_ref().to_vec()).unwrap();
                (key, a.unescape_value().expect("valid escapes").into_owned())
            })
            .collect();
        Node {
            name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
            attrs,
            ..Node::default()
        }
    }

    /// Parses the whole document; panics on anything malformed.
    fn parse(xml: &str) -> Node {
        let mut reader = Reader::from_str(xml);
        reader.config_mut().check_end_names = true;
        let mut stack = vec![Node::default()];
        let mut saw_decl = false;
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Decl(_) => saw_decl = true,
                Event::Start(e) => stack.push(open(&e)),
                Event::Empty(e) => {
                    let node = open(&e);
                    stack.last_mut().unwrap().children.push(node);
                }
                Event::End(_) => {
                    let node = stack.pop().unwrap();
                    stack.last_mut().expect("balanced tags").children.push(node);
                }
                Event::Text(t) => stack
                    .last_mut()
                    .unwrap()
                    .text
                    .push_str(&t.xml_content().unwrap()),
                Event::GeneralRef(r) => {
                    let c = match r.resolve_char_ref().expect("valid character reference") {
                        Some(c) => c.to_string(),
                        None => {
                            let name = r.decode().unwrap();
                            resolve_predefined_entity(&name)
                                .expect("predefined entity")
                                .to_string()
                        }
                    };
                    stack.last_mut().unwrap().text.push_str(&c);
                }
                Event::CData(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {
                    panic!("unexpected markup")
                }
                Event::Eof => break,
            }
        }
        assert!(saw_decl, "XML declaration");
        assert_eq!(stack.len(), 1, "every element closed");
        let mut doc = stack.pop().unwrap();
        assert_eq!(doc.children.len(), 1, "one root element");
        doc.children.pop().unwrap()
    }

    fn case<'a>(root: &'a Node, name: &str) -> &'a Node {
        root.find_all("testcase")
            .into_iter()
            .find(|c| c.attr("name") == Some(name))
            .expect(name)
    }

    /// What the document should hold after forbidden characters were replaced.
    fn cleaned(s: &str) -> String {
        s.chars()
            .map(|c| if xml_allowed(c) { c } else { '\u{FFFD}' })
            .collect()
    }

    #[test]
    fn junit_parses_and_counts_cases_failures_errors() {
        let root = parse(&render(&fixture::grade()));
        assert_eq!(root.name, "testsuites");
        let cases = root.find_all("testcase");
        let failures = root.find_all("failure");
        let errors = root.find_all("error");
        // 2 + 2 + 2 tests, compile, tamper_check, 2 tests, no tests.
        assert_eq!((cases.len(), failures.len(), errors.len()), (11, 3, 3));
        assert_eq!(root.attr("tests"), Some("11"));
        assert_eq!(root.attr("failures"), Some("3"));
        assert_eq!(root.attr("errors"), Some("3"));
        let suites = root.find_all("testsuite");
        assert_eq!(suites.len(), 7);
        for s in suites {
            let n = |name: &str| s.find_all(name).len().to_string();
            assert_eq!(
                s.attr("tests"),
                Some(n("testcase").as_str()),
                "{:?}",
                s.attr("name")
            );
            assert_eq!(s.attr("failures"), Some(n("failure").as_str()));
            assert_eq!(s.attr("errors"), Some(n("error").as_str()));
            assert_eq!(s.attr("skipped"), Some("0"));
        }
    }

    #[test]
    fn junit_attributes_round_trip() {
        let g = fixture::grade();
        let root = parse(&render(&g));
        assert_eq!(root.attr("name"), Some(g.course.as_str()));
        let c = case(&root, "allocates_once");
        assert_eq!(c.attr("classname"), Some("join_words.memory"));
        assert_eq!(c.attr("time"), Some("1.234"));
        assert_eq!(c.attr("file"), Some("exercises/join_words/tests/memory.rs"));
        assert_eq!(c.attr("line"), Some("12"));
        let f = c.child("failure").unwrap();
        assert_eq!(f.attr("type"), Some("failed"));
        assert_eq!(
            f.attr("message"),
            Some("measured 3 allocations <&> \"budget\" 'one', 100% used: a,b")
        );
        let passed = case(&root, "joins");
        assert!(passed.children.is_empty(), "a passed test has no failure");
        assert_eq!(passed.attr("file"), None, "no location, no file attribute");
        let compile = case(&root, "compile");
        assert_eq!(compile.attr("classname"), Some("slots"));
        assert_eq!(compile.attr("file"), Some(fixture::ODD_PATH));
        assert_eq!(compile.attr("line"), Some("7"));
        let e = compile.child("error").unwrap();
        assert_eq!(e.attr("type"), Some("compile_error"));
        assert_eq!(
            e.attr("message"),
            Some("error[E0308]: mismatched types <&>")
        );
        assert_eq!(
            case(&root, "streams_lines")
                .child("error")
                .unwrap()
                .attr("type"),
            Some("timed_out")
        );
        assert_eq!(
            case(&root, "interns_once")
                .child("error")
                .unwrap()
                .attr("type"),
            Some("crashed")
        );
        let tamper = case(&root, "tamper_check").child("failure").unwrap();
        assert_eq!(tamper.attr("type"), Some("tampered"));
        assert!(
            tamper
                .attr("message")
                .unwrap()
                .contains("exercises/arena/tests/memory.rs, grader.toml")
        );
        assert_eq!(
            case(&root, "tests").child("failure").unwrap().attr("type"),
            Some("no_tests")
        );
        assert!(
            root.find_all("testcase")
                .iter()
                .all(|c| c.attr("name") != Some("reuses")),
            "tampered tests hidden"
        );
    }

    #[test]
    fn junit_text_round_trips_with_forbidden_characters_replaced() {
        let g = fixture::grade();
        let root = parse(&render(&g));
        let c = case(&root, "allocates_once");
        assert_eq!(
            c.child("failure").unwrap().text,
            fixture::HOSTILE_MESSAGE,
            "CR LF survives"
        );
        let out = &c.child("system-out").unwrap().text;
        assert_eq!(out, &cleaned(fixture::HOSTILE_OUTPUT));
        assert!(
            out.contains("\u{FFFD}[31mred") && out.contains("bell\u{FFFD} nul\u{FFFD} ff\u{FFFD}")
        );
        let compile = case(&root, "compile").child("error").unwrap();
        assert!(compile.text.contains("found `&str`\n::error::injected"));
        assert!(
            compile.text.ends_with("aborting due to 1 previous error\n"),
            "falls back to the message"
        );
        let crashed = case(&root, "interns_once").child("error").unwrap();
        assert!(
            crashed
                .attr("message")
                .unwrap()
                .starts_with("the test process ended without a verdict")
        );
    }

    #[test]
    fn junit_contains_no_character_xml_forbids() {
        let xml = render(&fixture::grade());
        let bad: Vec<char> = xml.chars().filter(|c| !xml_allowed(*c)).collect();
        assert!(bad.is_empty(), "{bad:?}");
        assert!(!xml.contains("]]>"), "escaped `>`");
    }

    #[test]
    fn junit_properties_carry_objective_and_points() {
        let root = parse(&render(&fixture::grade()));
        let suite = root
            .find_all("testsuite")
            .into_iter()
            .find(|s| s.attr("name") == Some("join_words"))
            .unwrap();
        let props: Vec<(&str, &str)> = suite
            .child("properties")
            .unwrap()
            .children
            .iter()
            .map(|p| (p.attr("name").unwrap(), p.attr("value").unwrap()))
            .collect();
        assert_eq!(
            props,
            vec![
                ("objective", "footprint"),
                ("points", "5"),
                ("max_points", "10"),
                ("status", "failed"),
                ("mode", "feedback"),
                ("sandbox", "none"),
                ("toolchain", ""),
            ]
        );
        assert_eq!(suite.attr("time"), Some("1.246"));
    }

    #[test]
    fn escape_covers_markup_quotes_and_controls() {
        assert_eq!(
            attr("a<b>&\"c'\n\t\r\u{1}"),
            "a&lt;b&gt;&amp;&quot;c&apos;&#10;&#9;&#13;\u{FFFD}"
        );
        assert_eq!(
            text("x\ny\tz\r\u{FFFF}\u{7F}"),
            "x\ny\tz&#13;\u{FFFD}\u{7F}"
        );
    }

    #[test]
    fn junit_properties_say_whether_it_is_a_grade_of_record() {
        let root = parse(&render(&fixture::record_grade()));
        for suite in root.find_all("testsuite") {
            let props: Vec<(&str, &str)> = suite
                .child("properties")
                .unwrap()
                .children
                .iter()
                .map(|p| (p.attr("name").unwrap(), p.attr("value").unwrap()))
                .collect();
            assert_eq!(
                props[4..],
                [
                    ("mode", "record"),
                    ("sandbox", "bwrap"),
                    ("toolchain", "rustc 1.89.0")
                ]
            );
        }
    }
}
