//! `class.html`: the class at a glance, written by `gradebook` and
//! `gradebook-merge` beside `gradebook.csv`. One self-contained page (inline
//! CSS and SVG, no script, a Content-Security-Policy that lets it load
//! nothing): a histogram of the students' totals, the pass rate per
//! exercise (with what the others came to) and per objective, the hardest
//! tests among the students who worked on an exercise, and the forks to look
//! at (late, changed graded files, identical sources, not graded). Every
//! piece of student text is HTML-escaped. The page holds nothing that
//! depends on how the work was split (no costs, no times), so a merged
//! gradebook's page is the unsharded run's.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::class::book::{Book, Row, RowStatus};
use crate::class::outcome::{self, Outcome};
use crate::pipeline::grade::TestStatus;

/// Bars of the score histogram (tenths of the maximum).
const BINS: usize = 10;

/// The hardest tests listed.
const HARDEST: usize = 10;

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em;max-width:70em;color:#222}\
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em}\
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}\
td.n{text-align:right}.bar{display:inline-block;height:.8em;background:#4a7}\
.late{color:#a40}svg text{font-size:11px}";

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' => {}
            c if crate::class::roster::is_bidi_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// The page of `book`.
pub fn html(book: &Book) -> String {
    let graded: Vec<&Row> = book
        .students
        .iter()
        .filter(|r| r.status == RowStatus::Graded)
        .collect();
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
<title>{title}: the class</title><style>{STYLE}</style></head><body>\n<h1>{title}: the class</h1>\n",
        title = esc(&book.course)
    );
    let c = crate::class::summary::Counts::of(book);
    let _ = writeln!(
        out,
        "<p id=\"counts\">{} student(s): {c}.{}</p>",
        book.students.len(),
        book.deadline
            .map(|d| format!(" Deadline {d}."))
            .unwrap_or_default()
    );
    out.push_str(&histogram(&graded));
    out.push_str(&per_exercise(book, &graded));
    out.push_str(&per_objective(&graded));
    out.push_str(&hardest(book, &graded));
    out.push_str(&flagged(book));
    out.push_str("</body></html>\n");
    out
}

/// The histogram of totals over the maximum, as an inline SVG.
fn histogram(graded: &[&Row]) -> String {
    let mut bins = [0usize; BINS];
    for r in graded {
        let share = if r.max_score > 0.0 {
            r.score / r.max_score
        } else {
            0.0
        };
        let i = ((share * BINS as f64) as usize).min(BINS - 1);
        bins[i] += 1;
    }
    let top = bins.iter().copied().max().unwrap_or(0).max(1);
    let (w, h, bar) = (40 * BINS + 20, 160, 36);
    let mut svg = format!(
        "<h2>Totals</h2>\n<svg id=\"histogram\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{}\" role=\"img\" aria-label=\"students by total, in tenths of the maximum\">\n",
        h + 30
    );
    for (i, n) in bins.iter().enumerate() {
        let bh = n * (h - 20) / top;
        let x = 10 + 40 * i;
        let _ = writeln!(
            svg,
            "<rect class=\"bin\" x=\"{x}\" y=\"{}\" width=\"{bar}\" height=\"{bh}\" fill=\"#4a7\"><title>{}–{}%: {n}</title></rect>\
<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{n}</text><text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}%</text>",
            h - bh,
            i * 10,
            (i + 1) * 10,
            x + bar / 2,
            h - bh - 4,
            x + bar / 2,
            h + 16,
            i * 10
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// A percentage with a bar.
fn rate(passed: usize, of: usize) -> String {
    if of == 0 {
        return "<td class=\"n\">–</td>".into();
    }
    let pct = passed * 100 / of;
    format!(
        "<td class=\"n\">{pct}%</td><td><span class=\"bar\" style=\"width:{pct}px\"></span></td>"
    )
}

/// Pass rate per exercise, with the other outcomes counted.
fn per_exercise(book: &Book, graded: &[&Row]) -> String {
    let mut out = String::from(
        "<h2>Exercises</h2>\n<table id=\"exercises\"><tr><th>exercise</th><th>passed</th><th>rate</th><th></th><th>the others</th></tr>\n",
    );
    for e in &book.exercises {
        let mut counts: BTreeMap<Outcome, usize> = BTreeMap::new();
        for r in graded {
            if let Some(o) = outcome::of(r, &book.reference, &e.name) {
                *counts.entry(o).or_default() += 1;
            }
        }
        let passed = counts.remove(&Outcome::Passed).unwrap_or(0);
        let others: Vec<String> = counts
            .iter()
            .map(|(o, n)| format!("{n} {}", o.as_str()))
            .collect();
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"n\">{passed} / {}</td>{}<td>{}</td></tr>",
            esc(&e.name),
            graded.len(),
            rate(passed, graded.len()),
            esc(&others.join(", "))
        );
    }
    out.push_str("</table>\n");
    out
}

/// Pass rate per objective: exercises passed over exercises graded.
fn per_objective(graded: &[&Row]) -> String {
    let mut per: BTreeMap<String, (String, usize, usize)> = BTreeMap::new();
    for r in graded {
        let Some(g) = &r.grade else { continue };
        for o in &g.objectives {
            let entry = per.entry(o.id.clone()).or_insert((o.title.clone(), 0, 0));
            entry.1 += o.passed;
            entry.2 += o.total;
        }
    }
    let mut out = String::from(
        "<h2>Objectives</h2>\n<table id=\"objectives\"><tr><th>objective</th><th>exercises passed</th><th>rate</th><th></th></tr>\n",
    );
    for (id, (title, passed, total)) in per.iter().filter(|(_, (_, _, n))| *n > 0) {
        let _ = writeln!(
            out,
            "<tr><td>{} ({})</td><td class=\"n\">{passed} / {total}</td>{}</tr>",
            esc(title),
            esc(id),
            rate(*passed, *total)
        );
    }
    out.push_str("</table>\n");
    out
}

/// The tests passed least often by the students who changed their
/// exercise's starting code.
fn hardest(book: &Book, graded: &[&Row]) -> String {
    let mut tests: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
    for r in graded {
        let Some(g) = &r.grade else { continue };
        for e in &g.exercises {
            if outcome::of(r, &book.reference, &e.name) == Some(Outcome::Untouched) {
                continue;
            }
            for t in &e.tests {
                let entry = tests.entry((e.name.clone(), t.name.clone())).or_default();
                entry.0 += usize::from(t.status == TestStatus::Passed);
                entry.1 += 1;
            }
        }
    }
    let mut list: Vec<_> = tests.into_iter().filter(|(_, (p, n))| p < n).collect();
    list.sort_by(|a, b| (a.1.0 * b.1.1).cmp(&(b.1.0 * a.1.1)).then(a.0.cmp(&b.0)));
    let mut out = String::from(
        "<h2>Hardest tests</h2>\n<p>Among the students who changed the exercise's starting code.</p>\n<table id=\"hardest\"><tr><th>test</th><th>passed</th><th>rate</th><th></th></tr>\n",
    );
    for ((ex, test), (passed, tried)) in list.into_iter().take(HARDEST) {
        let _ = writeln!(
            out,
            "<tr><td>{}::{}</td><td class=\"n\">{passed} / {tried}</td>{}</tr>",
            esc(&ex),
            esc(&test),
            rate(passed, tried)
        );
    }
    out.push_str("</table>\n");
    out
}

/// Forks a person should look at, with why.
fn flagged(book: &Book) -> String {
    let mut out = String::from(
        "<h2>To look at</h2>\n<table id=\"flagged\"><tr><th>student</th><th>why</th></tr>\n",
    );
    for r in &book.students {
        let mut why = Vec::new();
        if r.status != RowStatus::Graded {
            why.push(format!(
                "{}: {}",
                r.status.as_str(),
                r.error.as_deref().unwrap_or("")
            ));
        }
        if let Some(late) = &r.late {
            why.push(format!("late: {late}"));
        }
        if !r.tampered.is_empty() {
            why.push(format!("changed graded files: {}", r.tampered.join(" ")));
        }
        if !r.identical_to.is_empty() {
            why.push(format!("identical to: {}", r.identical_to.join(" ")));
        }
        why.extend(r.review().into_iter().map(|f| format!("for review: {f}")));
        if !why.is_empty() {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td></tr>",
                esc(&r.student),
                why.iter().map(|w| esc(w)).collect::<Vec<_>>().join("<br>")
            );
        }
    }
    out.push_str("</table>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn student_text_is_escaped() {
        assert_eq!(
            esc("<script>alert('x')</script>&\"\u{202e}"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;"
        );
    }
}
