//! What was measured: the machine, the plan, and a row per lane with its medians.

use std::time::Duration;

use super::measure::Measurement;
use super::plan::Plan;
use crate::lanes::Lane;

/// One lane's row: every run it made, and the size it could not play.
#[derive(Debug, Clone)]
pub struct Row {
    /// The lane.
    pub lane: Lane,
    /// Every measurement, in the order made.
    pub runs: Vec<Measurement>,
    /// The first size the lane could not play, and the reason; `None` if it played them all.
    pub refused: Option<(u32, String)>,
}

impl Row {
    /// The largest exhibition the lane played; `None` if it played none.
    pub fn most_held(&self) -> Option<u32> {
        self.runs.iter().map(|run| run.boards).max()
    }

    /// How many times the lane played `boards`.
    pub(super) fn runs_at(&self, boards: u32) -> usize {
        self.at(boards).count()
    }

    /// The measurements at `boards`.
    fn at(&self, boards: u32) -> impl Iterator<Item = &Measurement> {
        self.runs.iter().filter(move |run| run.boards == boards)
    }

    /// The median wall time at `boards`, if the lane played it.
    pub fn median_wall(&self, boards: u32) -> Option<Duration> {
        median(self.at(boards).map(|run| run.wall).collect())
    }

    /// The median peak resident memory at `boards`.
    pub fn median_peak_rss(&self, boards: u32) -> Option<u64> {
        median(self.at(boards).filter_map(|run| run.peak_rss).collect())
    }

    /// The median time to start one of the games' processes at `boards`, for a lane whose
    /// games are processes.
    pub fn median_start_per_process(&self, boards: u32) -> Option<Duration> {
        median(self.at(boards).filter_map(|run| run.start_per_process).collect())
    }

    /// The median resident memory of one game's process (its proportional share) at
    /// `boards`, for a lane whose games are processes.
    pub fn median_resident_per_process(&self, boards: u32) -> Option<u64> {
        let each = |run: &Measurement| Some(run.children_rss? / u64::from(run.boards));
        median(self.at(boards).filter_map(each).collect())
    }

    /// The median bytes per paused game at `boards`.
    pub fn median_bytes_per_paused_game(&self, boards: u32) -> Option<u64> {
        median(self.at(boards).filter_map(Measurement::bytes_per_paused_game).collect())
    }
}

/// The middle value (the lower of the two middle ones for an even count).
fn median<T: Ord + Copy>(mut values: Vec<T>) -> Option<T> {
    values.sort_unstable();
    values.get(values.len().saturating_sub(1) / 2).copied()
}

/// The whole measurement: the machine, the plan, a row per lane.
#[derive(Debug, Clone)]
pub struct Report {
    /// CPU model, cores, kernel and load, in one line.
    pub machine: String,
    /// What was asked for.
    pub plan: Plan,
    /// One row per lane, in the plan's order.
    pub rows: Vec<Row>,
}

impl Report {
    /// `lane`'s median wall time over the state-machine lane's, at `lane`'s largest size.
    pub fn wall_ratio(&self, row: &Row) -> Option<f64> {
        let boards = row.most_held()?;
        let floor = self.rows.iter().find(|row| row.lane == Lane::StateMachine)?;
        Some(row.median_wall(boards)?.as_secs_f64() / floor.median_wall(boards)?.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_is_the_lower_middle() {
        assert_eq!(median(vec![3, 1, 2]), Some(2));
        assert_eq!(median(vec![4, 1, 3, 2]), Some(2));
        assert_eq!(median(Vec::<u32>::new()), None);
    }
}
