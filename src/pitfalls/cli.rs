//! The `coro-simul pitfall` subcommand: its flags, and what it prints.
//!
//! ```text
//! coro-simul pitfall --list                          the pitfalls, one line each
//! coro-simul pitfall cpu-hog                         broken and fixed, on the default exhibition
//! coro-simul pitfall blocking-wait --opponents 3 --pairs 2 --trace     ... with both traces
//! coro-simul pitfall cpu-hog --slow-threshold 1s     the detector's threshold (`off`: none)
//! ```
//!
//! The exhibition flags are the other commands' (`src/main.rs` adds them next to these).
#![forbid(unsafe_code)]

use std::io::{self, Write};
use std::time::Duration;

use clap::Args;

use super::{Options, Pitfall};
use crate::Exhibition;
use crate::render::{Format, render};

/// The flags of `coro-simul pitfall`, but for the exhibition's.
#[derive(Debug, Clone, Args)]
pub struct PitfallArgs {
    /// The pitfall to run (see --list).
    #[arg(value_name = "NAME", value_parser = parse_pitfall, required_unless_present = "list")]
    pub name: Option<Pitfall>,
    /// List the pitfalls, one line each.
    #[arg(long, conflicts_with = "name")]
    pub list: bool,
    /// Report any poll or switch that holds the loop longer than this, e.g. 10s; `off` for none.
    #[arg(long, value_name = "DUR", default_value = "10s", value_parser = parse_threshold)]
    pub slow_threshold: SlowThreshold,
    /// Print both versions' traces before the report.
    #[arg(long)]
    pub trace: bool,
}

/// The detector's threshold from the command line; `None` for `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlowThreshold(pub Option<Duration>);

/// `blocking-wait` and the other names of [`Pitfall::ALL`]; anything else is an error that
/// lists them.
pub fn parse_pitfall(text: &str) -> Result<Pitfall, String> {
    text.parse().map_err(|error: super::UnknownPitfall| error.to_string())
}

/// `off`, or a duration written like `10s`, `500ms` or `1m`.
pub fn parse_threshold(text: &str) -> Result<SlowThreshold, String> {
    if text == "off" {
        return Ok(SlowThreshold(None));
    }
    humantime::parse_duration(text)
        .map(|threshold| SlowThreshold(Some(threshold)))
        .map_err(|error| format!("not a duration ({error}); write it like 10s or 500ms, or `off`"))
}

impl PitfallArgs {
    /// Lists the pitfalls, or runs the one named on `exhibition` and prints its report.
    ///
    /// # Errors
    ///
    /// When `out` cannot be written, or the operating system refuses a green thread's stack
    /// (a [`LaneError`](crate::lanes::LaneError) inside the `io::Error`).
    pub fn run(&self, exhibition: &Exhibition, out: &mut impl Write) -> io::Result<()> {
        let Some(pitfall) = self.name else { return list(out) };
        let options = Options { slow_threshold: self.slow_threshold.0 };
        let report = pitfall.run(exhibition, &options).map_err(io::Error::other)?;
        if self.trace {
            for (label, run) in [("broken", &report.broken), ("fixed", &report.fixed)] {
                let trace = match render(Format::Text, &run.trace) {
                    text if text.is_empty() => "(no events)\n".to_owned(),
                    text => text,
                };
                writeln!(out, "{label}: {}\n\n{trace}", run.code)?;
            }
        }
        write!(out, "{report}")
    }
}

fn list(out: &mut impl Write) -> io::Result<()> {
    for &pitfall in Pitfall::ALL {
        writeln!(out, "{:<22} {}", pitfall.name(), pitfall.about())?;
    }
    Ok(())
}
