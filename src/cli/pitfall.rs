//! `coro-simul pitfall`: a pitfall of cooperative code run broken and fixed, and its report.
//!
//! ```text
//! coro-simul pitfall --list                          the pitfalls, one line each
//! coro-simul pitfall cpu-hog                         broken and fixed, on the default exhibition
//! coro-simul pitfall blocking-wait --opponents 3 --pairs 2 --trace     ... with both traces
//! coro-simul pitfall cpu-hog --slow-threshold 1s     the detector's threshold (`off`: none)
//! ```

use std::io::Write;
use std::time::Duration;

use clap::Args;
use coro_simul::pitfalls::{Options, Pitfall, UnknownPitfall};
use coro_simul::render::{Format, render};

use super::error::CliError;
use super::exhibition::ExhibitionArgs;
use super::parse;

/// The flags of `coro-simul pitfall`.
#[derive(Debug, Args)]
pub(crate) struct PitfallArgs {
    /// The pitfall to run (see --list).
    #[arg(value_name = "NAME", value_parser = parse_pitfall, required_unless_present = "list")]
    name: Option<Pitfall>,
    /// List the pitfalls, one line each.
    #[arg(long, conflicts_with = "name")]
    list: bool,
    /// Report any poll or switch that holds the loop longer than this, e.g. 10s; `off` for none.
    #[arg(long, value_name = "DUR", default_value = "10s", value_parser = parse_threshold, allow_hyphen_values = true)]
    slow_threshold: SlowThreshold,
    /// Print both versions' traces before the report.
    #[arg(long)]
    trace: bool,
    #[command(flatten)]
    exhibition: ExhibitionArgs,
}

/// The detector's threshold from the command line; `None` for `off`. (A newtype because clap
/// reads a bare `Option` as "the flag may be missing".)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct SlowThreshold(Option<Duration>);

/// `blocking-wait` and the other names of [`Pitfall::ALL`]; anything else is an error that
/// lists them.
fn parse_pitfall(text: &str) -> Result<Pitfall, String> {
    text.parse().map_err(|error: UnknownPitfall| error.to_string())
}

/// `off`, or a duration as every other flag reads one ([`parse::duration`]).
fn parse_threshold(text: &str) -> Result<SlowThreshold, String> {
    if text == "off" {
        return Ok(SlowThreshold(None));
    }
    parse::duration(text)
        .map(|threshold| SlowThreshold(Some(threshold)))
        .map_err(|error| format!("{error}; or `off` for none"))
}

/// Lists the pitfalls, or runs the one named on the exhibition and prints its report (both
/// traces first with `--trace`).
pub(crate) fn pitfall(args: PitfallArgs, out: &mut impl Write) -> Result<(), CliError> {
    let exhibition = args.exhibition.build()?;
    let Some(pitfall) = args.name else { return list(out) };
    let options = Options { slow_threshold: args.slow_threshold.0 };
    let report = pitfall.run(&exhibition, &options)?;
    if args.trace {
        for (label, run) in [("broken", &report.broken), ("fixed", &report.fixed)] {
            let trace = match render(Format::Text, &run.trace) {
                text if text.is_empty() => "(no events)\n".to_owned(),
                text => text,
            };
            writeln!(out, "{label}: {}\n\n{trace}", run.code)?;
        }
    }
    Ok(write!(out, "{report}")?)
}

/// The pitfalls, a line each: name and what goes wrong.
fn list(out: &mut impl Write) -> Result<(), CliError> {
    for &pitfall in Pitfall::ALL {
        writeln!(out, "{:<22} {}", pitfall.name(), pitfall.about())?;
    }
    Ok(())
}
