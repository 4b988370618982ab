//! The side-by-side comparison: every lane plays the same exhibition, one row each.
//!
//! Each lane plays into a [`Summary`] — never a stored trace, so a million boards fit in
//! constant memory — and the row shows what that lane did: the exhibition's total on the
//! virtual clock, how busy the master was, how many times a game suspended to get there, and
//! how long the simulation took on this machine (the one column that is measured on the wall
//! clock, and so the one that changes from run to run).
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
    /// How long playing took on the wall clock.
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

/// The rows as an aligned table for a terminal of 100 columns, errors spelled out below it.
pub fn table(rows: &[Row]) -> String {
    let total = |row: &Row| row.outcome.as_ref().map(|s| hms(s.total(), 0)).unwrap_or_default();
    // As wide as the longest total: a million boards played synchronously take 500 000 hours.
    let t = rows.iter().map(|row| total(row).len()).max().unwrap_or(0).max("total".len());
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<14} {:<24} {:>t$} {:>6} {:>11} {:>9} {:>8}",
        "lane", "suspends", "total", "busy", "suspensions", "wall", "speed-up"
    );
    for row in rows {
        let _ = write!(out, "{:<14} {:<24} ", row.lane.name(), row.lane.suspends());
        let _ = match &row.outcome {
            Ok(summary) => writeln!(
                out,
                "{:>t$} {:>5.1}% {:>11} {:>9} {:>7.2}×",
                total(row),
                100.0 * summary.busy_share(),
                summary.suspensions(),
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
    out
}

/// The rows for machines: a JSON array with one object per lane, the same fields as the
/// table (`error` instead of the numbers for a lane that could not play).
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
        assert!(drawn.ends_with("\nsync: the OS said no\n"));
        assert!(json(&rows).contains(r#""error": "sync: the OS said no""#));
    }
}
