//! Where a measured call's memory went, as the terminal shows it: the
//! student's lines that allocated (like `tracemalloc`'s statistics by line,
//! largest first) and a small chart of the live heap bytes over the call,
//! allocator call by allocator call, with the peak marked and the budget as
//! a line. Used under a memory failure and by `memgrade profile`.

use colored::Colorize;

use crate::pipeline::grade::{Outside, SiteKind, Sites};
use crate::report::plural;
use crate::report::terminal::visible;

/// Rows of the chart's plot.
const CHART_ROWS: usize = 6;
/// Columns of the chart's plot at most (a chart row with its label, the
/// report's indent and `budget` fits 60 columns).
const CHART_COLUMNS: usize = 32;
/// Lines shown in the table before the rest are summed up.
const SHOWN_LINES: usize = 8;

/// The table of the student's lines, largest first.
pub fn table(sites: &Sites) -> String {
    let mut out = String::new();
    if sites.lines.is_empty() {
        out.push_str(if sites.allocs + sites.reallocs == 0 {
            "the call allocated nothing\n"
        } else {
            "no line of your src/ allocated in this call\n"
        });
    }
    let width = sites
        .lines
        .iter()
        .map(|s| format!("{}:{}", s.file, s.line).chars().count())
        .max()
        .unwrap_or(0);
    for s in sites.lines.iter().take(SHOWN_LINES) {
        let at = format!("{}:{}", s.file, s.line);
        let what = match s.kind {
            SiteKind::Alloc => plural(s.count, "alloc"),
            SiteKind::Realloc => plural(s.count, "realloc"),
        };
        out.push_str(&format!(
            "{at:<width$}  {what:>12}  {:>14}",
            plural(s.bytes, "byte")
        ));
        if !s.code.is_empty() {
            out.push_str(&format!("  {}", visible(&s.code).dimmed()));
        }
        out.push('\n');
    }
    if sites.lines.len() > SHOWN_LINES {
        let rest = &sites.lines[SHOWN_LINES..];
        out.push_str(&format!(
            "... {} more: {}, {}\n",
            plural(rest.len() as u64, "line"),
            plural(rest.iter().map(|s| s.count).sum(), "call"),
            plural(rest.iter().map(|s| s.bytes).sum(), "byte")
        ));
    }
    let Outside { count, bytes } = sites.outside;
    if count > 0 {
        out.push_str(&format!(
            "{}\n",
            format!(
                "outside your src/ (the test's own code, or std called from it): {}, {}",
                plural(count, "allocation"),
                plural(bytes, "byte")
            )
            .dimmed()
        ));
    }
    let total = sites.allocs + sites.reallocs;
    if sites.attributed < total {
        out.push_str(&format!(
            "{}\n",
            format!(
                "(lines of the first {} of {total} allocations; the rest are counted, not placed)",
                sites.attributed
            )
            .dimmed()
        ));
    }
    out
}

/// The budget in bytes a failure message states for the peak or the live
/// bytes (`expected at most 108195 bytes (105.7 KiB) of peak live heap`),
/// to draw as the chart's line.
pub fn byte_budget(message: &str) -> Option<u64> {
    let first = message.lines().next()?;
    if !first.contains("of peak live heap") && !first.contains("still live on the heap") {
        return None;
    }
    let after = first
        .split_once("expected at most ")
        .or_else(|| first.split_once("expected exactly "))?
        .1;
    after.split_once(" byte")?.0.parse().ok()
}

/// The live heap bytes over the call as a chart: one column per allocator
/// call (or the highest of a run of calls on a long call), the peak marked
/// with `^` under its column and the budget drawn as a line of `-` when
/// given. `calls`: the allocator calls of the whole window (the series
/// may hold only the first of them).
pub fn chart(series: &[i64], calls: u64, budget: Option<u64>) -> String {
    if series.len() <= 1 {
        return "the call made no allocator call: nothing to draw\n".to_string();
    }
    let points = columns(series, CHART_COLUMNS);
    let peak = series.iter().copied().max().unwrap_or(0).max(0) as u64;
    let top = peak.max(budget.unwrap_or(0)).max(1);
    let level = |row: usize| top * (CHART_ROWS - row) as u64 / CHART_ROWS as u64;
    let budget_row = budget.map(|b| {
        (0..CHART_ROWS)
            .min_by_key(|&r| level(r).abs_diff(b))
            .unwrap_or(0)
    });
    let label_width = top.to_string().len().max(1);
    let mut out = format!(
        "live heap bytes over the call ({}, peak {}{}):\n",
        calls_drawn(series.len().saturating_sub(1) as u64, calls),
        plural(peak, "byte"),
        budget.map_or(String::new(), |b| format!(", budget {}", plural(b, "byte")))
    );
    for row in 0..CHART_ROWS {
        let on_budget = budget_row == Some(row);
        let label = match row {
            0 => top.to_string(),
            _ if on_budget => budget.unwrap_or(0).to_string(),
            _ => String::new(),
        };
        let threshold = level(row + 1);
        let line: String = points
            .iter()
            .map(|&v| {
                if v > threshold as i64 {
                    '█'
                } else if on_budget {
                    '-'
                } else {
                    ' '
                }
            })
            .collect();
        let line = if on_budget {
            format!("{line} {}", "budget".dimmed())
        } else {
            line
        };
        out.push_str(&format!("{label:>label_width$} |{}\n", line.trim_end()));
    }
    let peak_at = points.iter().position(|&v| v as u64 == peak).unwrap_or(0);
    out.push_str(&format!(
        "{:>label_width$} +{}\n",
        0,
        "-".repeat(points.len())
    ));
    out.push_str(&format!(
        "{:>label_width$}  {}^ peak\n",
        "",
        " ".repeat(peak_at)
    ));
    out
}

/// `12 allocator calls`, or `the first 100000 of 400006 allocator calls`.
fn calls_drawn(drawn: u64, calls: u64) -> String {
    if drawn < calls {
        format!("the first {drawn} of {calls} allocator calls")
    } else {
        plural(drawn, "allocator call")
    }
}

/// `series` in at most `max` columns: each column the highest value of its
/// run of points (a peak is never averaged away).
fn columns(series: &[i64], max: usize) -> Vec<i64> {
    if series.len() <= max {
        return series.to_vec();
    }
    let per = series.len().div_ceil(max);
    series
        .chunks(per)
        .map(|c| c.iter().copied().max().unwrap_or(0))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::grade::Site;

    fn site(line: u32, kind: SiteKind, count: u64, bytes: u64) -> Site {
        Site {
            file: "exercises/01_a/src/lib.rs".into(),
            line,
            kind,
            count,
            bytes,
            code: String::new(),
        }
    }

    #[test]
    fn the_table_names_each_line_with_its_count_and_bytes() {
        colored::control::set_override(false);
        let sites = Sites {
            lines: vec![
                site(11, SiteKind::Realloc, 3, 120),
                site(10, SiteKind::Alloc, 1, 1),
            ],
            outside: Outside {
                count: 1,
                bytes: 16,
            },
            allocs: 2,
            reallocs: 3,
            deallocs: 0,
            attributed: 5,
            series: vec![0, 1, 9],
        };
        assert_eq!(
            table(&sites),
            "exercises/01_a/src/lib.rs:11    3 reallocs       120 bytes\n\
             exercises/01_a/src/lib.rs:10       1 alloc          1 byte\n\
             outside your src/ (the test's own code, or std called from it): 1 allocation, 16 bytes\n"
        );
    }

    #[test]
    fn the_budget_is_read_from_a_byte_failure_only() {
        assert_eq!(
            byte_budget(
                "`s`: expected at most 108195 bytes (105.7 KiB) of peak live heap, measured 200006 bytes"
            ),
            Some(108195)
        );
        assert_eq!(
            byte_budget("`d`: expected exactly 0 bytes still live on the heap, measured 35 bytes"),
            Some(0)
        );
        assert_eq!(
            byte_budget("`j`: expected at most 1 heap allocation, measured 2"),
            None
        );
    }

    #[test]
    fn the_chart_marks_the_peak_and_the_budget() {
        colored::control::set_override(false);
        let chart = chart(&[0, 100, 200, 100, 0], 4, Some(150));
        assert_eq!(
            chart,
            "live heap bytes over the call (4 allocator calls, peak 200 bytes, budget 150 bytes):\n\
             200 |  █\n\
             150 |--█-- budget\n\
             \x20   |  █\n\
             \x20   | ███\n\
             \x20   | ███\n\
             \x20   | ███\n\
             \x20 0 +-----\n\
             \x20      ^ peak\n"
        );
    }

    #[test]
    fn a_call_without_allocator_calls_draws_nothing() {
        assert_eq!(
            chart(&[0], 0, Some(8)),
            "the call made no allocator call: nothing to draw\n"
        );
    }

    #[test]
    fn a_series_cut_short_says_so() {
        let chart = chart(&[0, 8, 0], 400_006, None);
        assert!(
            chart.starts_with("live heap bytes over the call (the first 2 of 400006 allocator calls, peak 8 bytes):"),
            "{chart}"
        );
    }

    #[test]
    fn a_long_call_keeps_its_peak_in_fewer_columns() {
        let mut series: Vec<i64> = (0..1000).map(|i| i % 10).collect();
        series[537] = 5000;
        let c = columns(&series, CHART_COLUMNS);
        assert!(c.len() <= CHART_COLUMNS);
        assert_eq!(c.iter().max(), Some(&5000));
    }
}
