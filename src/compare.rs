//! The side-by-side comparison: every lane plays the same exhibition, one row each.
//!
//! Each lane plays into a [`Summary`] — never a stored trace, so a million boards fit in
//! constant memory — and the row shows what that lane did: the exhibition's total on the
//! virtual clock, how busy the master was, how many times a game suspended to get there (one
//! rule for every lane: the trace module's doc, "Suspensions"), and how long this machine took
//! to compute it (`computed in`: the one column measured on the wall clock, and so the one
//! that changes from run to run; the simulation's cost, not the exhibition's length). A legend
//! under the table says what every column means.
//!
//! A lane the operating system cannot host (a stack or a thread for every game) fails alone:
//! its row says so, and the other lanes still play.
//!
//! # Example
//!
//! ```
//! use coro_simul::{Exhibition, compare::compare, lanes::Lane};
//! coro_simul::lanes::processes::serve_if_child(); // the processes lane's children play here
//!
//! let rows = compare(&Exhibition::default(), Lane::ALL);
//! let sync = rows[0].outcome.clone()?;
//! assert_eq!(sync.total().as_secs(), 12 * 3600);
//! assert_eq!(sync.suspensions(), 0); // it blocks instead
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use crate::Exhibition;
use crate::clock::hms;
use crate::lanes::{Lane, LaneError};
use crate::trace::Summary;
use crate::units;

/// One lane's row of the comparison.
#[derive(Debug, Clone)]
pub struct Row {
    /// The lane that played.
    pub lane: Lane,
    /// What it played, or why the operating system would not let it.
    pub outcome: Result<Summary, LaneError>,
    /// How long computing the exhibition took on the wall clock (the table's `computed in`).
    pub wall: Duration,
}

/// Plays `exhibition` in each of `lanes`, in order, with the summary-only sink.
pub fn compare(exhibition: &Exhibition, lanes: &[Lane]) -> Vec<Row> {
    let play = |&lane: &Lane| {
        let started = Instant::now();
        let outcome = lane.summary(exhibition);
        Row { lane, outcome, wall: started.elapsed() }
    };
    lanes.iter().map(play).collect()
}

/// The rows as an aligned table for a terminal of 100 columns, errors spelled out below it,
/// then the legend: a line or two for every column, so the table reads without the docs.
pub fn table(rows: &[Row]) -> String {
    let total = |row: &Row| row.outcome.as_ref().map(|s| hms(s.total(), 0)).unwrap_or_default();
    // As wide as the longest total: a million boards played synchronously take 500 000 hours.
    let t = rows.iter().map(|row| total(row).len()).max().unwrap_or(0).max("total".len());
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<14} {:<24} {:>t$} {:>6}  {:>11}  {:>11} {:>9}",
        "lane", "suspends", "total", "busy", "suspensions", "computed in", "speed-up"
    );
    for row in rows {
        let _ = write!(out, "{:<14} {:<24} ", row.lane.name(), row.lane.suspends());
        let _ = match &row.outcome {
            Ok(summary) => writeln!(
                out,
                "{:>t$} {:>5.1}%  {:>10}{}  {:>11} {:>8.2}×",
                total(row),
                100.0 * summary.busy_share(),
                summary.suspensions(),
                if suspends_unlike_the_rule(row.lane).is_some() { '*' } else { ' ' },
                units::wall(row.wall, 2),
                summary.speedup(),
            ),
            Err(_) => writeln!(out, "cannot play: see below"),
        };
    }
    for row in rows {
        if let Err(error) = &row.outcome {
            let _ = write!(out, "\n{}", wrap(&error.to_string(), 100));
        }
    }
    out + "\n" + &legend(rows)
}

/// What each column means, in the table's own order: a column's name, then its meaning,
/// continued on the lines under it.
const LEGEND: [(&str, &str); 6] = [
    ("suspends", "how a game in that lane waits: the call it makes at each wait"),
    ("total", "how long the exhibition lasts on its own virtual clock, first move to last reply"),
    ("busy", "the share of that total the master spends moving; the rest she waits"),
    (
        "suspensions",
        "times a game stopped at a wait and gave control back to its scheduler, which\n\
         resumed it later, at once if nothing else was ready; a game waits\n\
         twice a move pair",
    ),
    (
        "computed in",
        "real time this machine took to compute the lane's exhibition: what the\n\
         simulation costs, not how long the exhibition lasts (that is `total`)",
    ),
    ("speed-up", "the synchronous total divided by this lane's total"),
];

/// The [`LEGEND`], with the number of waits on this exhibition after `suspensions`, and
/// under it the `*` note of each marked lane the table shows.
fn legend(rows: &[Row]) -> String {
    let waits = rows.iter().find_map(|row| row.outcome.as_ref().ok()).map(|summary| {
        let exhibition = summary.exhibition();
        let waits = 2 * u64::from(exhibition.opponents()) * u64::from(exhibition.pairs());
        let waits = u32::try_from(waits).map_or_else(|_| waits.to_string(), units::grouped);
        format!(" ({waits} waits here)")
    });
    let mut legend = String::new();
    for (column, meaning) in LEGEND {
        for (i, line) in meaning.lines().enumerate() {
            let (name, gap) = if i == 0 { (column, "") } else { ("", "\n") };
            let _ = write!(legend, "{gap}{name:<12} {line}");
        }
        if column == "suspensions" {
            legend += waits.as_deref().unwrap_or_default();
            for row in rows {
                if let Some(note) = suspends_unlike_the_rule(row.lane) {
                    let _ = write!(legend, "\n{:>12} {}: {note}", "*", row.lane.name());
                }
            }
        }
        legend.push('\n');
    }
    legend
}

/// Why a lane's suspensions differ from twice a move pair, when it is the technique itself
/// that makes them differ (the rule and its exceptions: the trace module's doc,
/// "Suspensions"). The synchronous lane's 0 needs no note: its `suspends` says it blocks.
fn suspends_unlike_the_rule(lane: Lane) -> Option<&'static str> {
    match lane {
        Lane::Generators => {
            Some("one yield a pair asks for both waits, the master's move and the reply")
        }
        _ => None,
    }
}

/// The rows for machines: a JSON array with one object per lane, the same fields as the
/// table (`error` instead of the numbers for a lane that could not play; `wall_seconds` is
/// the table's `computed in`).
pub fn json(rows: &[Row]) -> String {
    let object = |row: &Row| match &row.outcome {
        Ok(summary) => serde_json::json!({
            "lane": row.lane.name(),
            "suspends": row.lane.suspends(),
            "total_seconds": summary.total().as_secs_f64(),
            "total": hms(summary.total(), 0),
            "master_busy_share": summary.busy_share(),
            "suspensions": summary.suspensions(),
            "wall_seconds": row.wall.as_secs_f64(),
            "speedup": summary.speedup(),
        }),
        Err(error) => serde_json::json!({
            "lane": row.lane.name(),
            "suspends": row.lane.suspends(),
            "error": error.to_string(),
            "wall_seconds": row.wall.as_secs_f64(),
        }),
    };
    let objects: Vec<serde_json::Value> = rows.iter().map(object).collect();
    serde_json::to_string_pretty(&objects).expect("JSON values always serialise") + "\n"
}

/// `text` broken into lines of at most `width` characters, at spaces.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split(' ') {
        if line > 0 && line + 1 + word.chars().count() > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += word.chars().count();
    }
    out + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces_within_the_width() {
        assert_eq!(wrap("aaa bbb ccc", 7), "aaa bbb\nccc\n");
        assert_eq!(wrap("a-very-long-word x", 4), "a-very-long-word\nx\n");
    }

    #[test]
    fn a_lane_that_cannot_play_has_its_error_below_the_table() {
        let error = LaneError::new(Lane::Sync, "the OS said no");
        let rows = [Row { lane: Lane::Sync, outcome: Err(error), wall: Duration::ZERO }];
        let drawn = table(&rows);
        assert!(drawn.contains("cannot play: see below"));
        // Under the table, above the legend.
        assert!(drawn.contains("\nsync: the OS said no\n\nsuspends "), "{drawn}");
        assert!(json(&rows).contains(r#""error": "sync: the OS said no""#));
    }

    #[test]
    fn every_column_has_its_line_in_the_legend_and_only_a_marked_lane_its_note() {
        let exhibition = Exhibition::builder().opponents(3).pairs(2).build().unwrap();
        let row = |lane| Row { lane, outcome: Ok(Summary::new(&exhibition)), wall: Duration::ZERO };
        let drawn = table(&[row(Lane::Sync), row(Lane::Generators)]);
        let (head, legend) = drawn.split_once("\n\n").expect("a blank line before the legend");
        let columns = ["suspends", "total", "busy", "suspensions", "computed in", "speed-up"];
        for column in columns {
            assert!(head.starts_with("lane ") && head.contains(column), "{column}: {head}");
            assert!(legend.lines().any(|line| line.starts_with(column)), "{column}: {legend}");
        }
        assert!(legend.contains("twice a move pair (12 waits here)"), "{legend}");
        let generators = head.lines().find(|l| l.starts_with("generators")).unwrap();
        assert!(generators.contains("0*"), "{generators}");
        assert!(legend.contains("\n           * generators: one yield a pair asks for both waits"));
        let without = table(&[row(Lane::Sync)]);
        assert!(!without.contains('*'), "no marked lane, no note: {without}");
        assert!(drawn.lines().all(|line| line.chars().count() <= 100), "{drawn}");
    }
}
