//! Measuring one lane inside this process: wall time, resident memory, suspensions.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::Exhibition;
use crate::lanes::{Lane, LaneError, processes};
use crate::trace::Summary;

/// What one child process measured: one lane, one exhibition.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    /// The exhibition's boards (games).
    pub boards: u32,
    /// How long playing took on the wall clock.
    pub wall: Duration,
    /// Resident bytes just before playing; `None` where `/proc` does not say.
    pub baseline_rss: Option<u64>,
    /// The most resident bytes while playing; `None` where `/proc` does not say.
    pub peak_rss: Option<u64>,
    /// How many times a game gave control back (zero: the lane never pauses a game).
    pub suspensions: u64,
    /// For a lane whose games are processes of their own: how long one took to start, on
    /// average, until it was ready to play. `None` for every other lane.
    pub start_per_process: Option<Duration>,
    /// For a lane whose games are processes of their own: their resident memory, summed as
    /// proportional shares, which this process's own figures cannot see. `None` otherwise.
    pub children_rss: Option<u64>,
}

impl Measurement {
    /// `(peak − baseline) / boards`, plus the games' own processes where they have them: see
    /// [the module docs](super#what-is-measured). `None` for a lane that never pauses a game,
    /// or where resident memory cannot be read.
    pub fn bytes_per_paused_game(&self) -> Option<u64> {
        let growth = self.peak_rss?.saturating_sub(self.baseline_rss?);
        let growth = growth + self.children_rss.unwrap_or(0);
        (self.suspensions > 0).then(|| growth / u64::from(self.boards))
    }

    /// The measurement as one JSON object: what a child prints, and the report's JSON lists.
    pub fn to_json(&self) -> Value {
        json!({
            "boards": self.boards,
            "wall_seconds": self.wall.as_secs_f64(),
            "baseline_rss_bytes": self.baseline_rss,
            "peak_rss_bytes": self.peak_rss,
            "suspensions": self.suspensions,
            "start_per_process_seconds": self.start_per_process.map(|start| start.as_secs_f64()),
            "children_rss_bytes": self.children_rss,
        })
    }

    /// Reads back what [`to_json`](Self::to_json) wrote; `None` if it is not that.
    pub fn from_json(value: &Value) -> Option<Measurement> {
        Some(Measurement {
            boards: u32::try_from(value["boards"].as_u64()?).ok()?,
            wall: Duration::try_from_secs_f64(value["wall_seconds"].as_f64()?).ok()?,
            baseline_rss: value["baseline_rss_bytes"].as_u64(),
            peak_rss: value["peak_rss_bytes"].as_u64(),
            suspensions: value["suspensions"].as_u64()?,
            start_per_process: value["start_per_process_seconds"]
                .as_f64()
                .and_then(|seconds| Duration::try_from_secs_f64(seconds).ok()),
            children_rss: value["children_rss_bytes"].as_u64(),
        })
    }
}

/// Plays `exhibition` in `lane` in this process, with the summary-only sink, and measures it
/// as [the module docs](super#what-is-measured) say. Meant for a fresh process: whatever
/// this process allocated before stays in the baseline, and memory it freed may be reused.
///
/// # Errors
///
/// When the lane cannot play (the operating system refuses a stack or a thread).
pub fn measure(lane: Lane, exhibition: &Exhibition) -> Result<Measurement, LaneError> {
    // Resets VmHWM to the current VmRSS, so the peak is this play's. Where it cannot (not
    // Linux, or an old kernel), the peak may be an earlier one: still an upper bound.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let baseline_rss = status_bytes("VmRSS");
    let mut summary = Summary::new(exhibition);
    let started = Instant::now();
    // The processes lane's games live outside this process: the lane counts them itself.
    let census = match lane {
        Lane::Processes => Some(processes::play_counted(exhibition, &mut summary)?),
        _ => lane.play(exhibition, &mut summary).map(|()| None)?,
    };
    let wall = started.elapsed();
    assert_eq!(summary.games_over(), u64::from(exhibition.opponents()), "every game ends");
    Ok(Measurement {
        boards: exhibition.opponents(),
        wall,
        baseline_rss,
        peak_rss: status_bytes("VmHWM"),
        suspensions: summary.suspensions(),
        start_per_process: census.map(|census| census.started_in / census.processes),
        children_rss: census.and_then(|census| census.resident),
    })
}

/// A `kB` line of `/proc/self/status` (`VmRSS`, `VmHWM`), in bytes.
fn status_bytes(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))?;
    let kib: u64 = line.trim().strip_suffix("kB")?.trim().parse().ok()?;
    Some(kib * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_measurement_survives_its_json_line() {
        let run = Measurement {
            boards: 1000,
            wall: Duration::from_millis(250),
            baseline_rss: Some(1 << 20),
            peak_rss: Some((1 << 20) + 20_000),
            suspensions: 1,
            start_per_process: None,
            children_rss: None,
        };
        assert_eq!(Measurement::from_json(&run.to_json()), Some(run.clone()));
        assert_eq!(run.bytes_per_paused_game(), Some(20));
        let processes = Measurement {
            start_per_process: Some(Duration::from_millis(2)),
            children_rss: Some(1000 * 300_000),
            ..run.clone()
        };
        assert_eq!(Measurement::from_json(&processes.to_json()), Some(processes.clone()));
        assert_eq!(processes.bytes_per_paused_game(), Some(300_020));
        let never_pauses = Measurement { suspensions: 0, ..run };
        assert_eq!(never_pauses.bytes_per_paused_game(), None);
    }
}
