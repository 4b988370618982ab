//! Measuring one lane inside this process: wall time, resident memory, suspensions.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::Exhibition;
use crate::lanes::{Lane, LaneError};

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
}

impl Measurement {
    /// `(peak − baseline) / boards`: see [the module docs](super#what-is-measured). `None`
    /// for a lane that never pauses a game, or where resident memory cannot be read.
    pub fn bytes_per_paused_game(&self) -> Option<u64> {
        let growth = self.peak_rss?.saturating_sub(self.baseline_rss?);
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
    let started = Instant::now();
    let summary = lane.summary(exhibition)?;
    let wall = started.elapsed();
    assert_eq!(summary.games_over(), u64::from(exhibition.opponents()), "every game ends");
    Ok(Measurement {
        boards: exhibition.opponents(),
        wall,
        baseline_rss,
        peak_rss: status_bytes("VmHWM"),
        suspensions: summary.suspensions(),
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
        };
        assert_eq!(Measurement::from_json(&run.to_json()), Some(run.clone()));
        assert_eq!(run.bytes_per_paused_game(), Some(20));
        let never_pauses = Measurement { suspensions: 0, ..run };
        assert_eq!(never_pauses.bytes_per_paused_game(), None);
    }
}
