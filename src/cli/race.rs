//! `coro-simul race`: every lane at once in real time, with live bars, then the wall times.

use std::io::Write;

use clap::Args;
use coro_simul::clock::Speed;
use coro_simul::lanes::Lane;
use coro_simul::race::{self, Race, Show, Watched};

use super::ctrl_c::raised_by_ctrl_c;
use super::error::CliError;
use super::exhibition::ExhibitionArgs;
use super::parse;

/// The flags of `coro-simul race`.
#[derive(Debug, Args)]
pub(crate) struct RaceArgs {
    /// Exhibition time per wall second: 3600x plays an hour a second (sync: 12 s).
    #[arg(long, value_name = "F", default_value = "3600x", value_parser = parse::speed, allow_hyphen_values = true)]
    speed: Speed,
    /// The lanes to race, comma-separated, each once (default: all).
    #[arg(long, value_name = "A,B,..", value_delimiter = ',', value_parser = parse::lane)]
    lanes: Vec<Lane>,
    #[command(flatten)]
    exhibition: ExhibitionArgs,
}

/// Races the lanes: bars on a terminal (plain lines elsewhere), then the wall-time table.
/// Ctrl-C stops the race: the bars are cleared and [`CliError::Interrupted`] returned; the
/// lanes' threads end with the process. A lane that could not play fails the command after
/// the table.
pub(crate) fn race(args: RaceArgs, out: &mut impl Write) -> Result<(), CliError> {
    let exhibition = args.exhibition.build()?;
    let lanes = parse::chosen_lanes(&args.lanes)?;
    let stop = raised_by_ctrl_c()?;
    writeln!(out, "Race at {}: {exhibition}.\n", args.speed)?;
    out.flush()?; // before the bars, which draw on stdout directly
    let race = Race::start(&exhibition, &lanes, args.speed)
        .map_err(|error| CliError::no_thread("start the race", &error))?;
    match race::watch(race, Show::for_stdout(), &stop, out)? {
        Watched::Stopped { after } => Err(CliError::Interrupted { after }),
        Watched::Finished(finishes) => {
            write!(out, "\n{}", race::table(&finishes))?;
            match finishes.into_iter().find_map(|finish| finish.outcome.err()) {
                Some(error) => Err(CliError::Lane(error)),
                None => Ok(()),
            }
        }
    }
}
