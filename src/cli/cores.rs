//! `coro-simul cores`: the CPU-bound exhibition in every lane that thinks, and the cores each
//! used (wall time, CPU time, CPU ÷ wall).

use std::io::Write;

use clap::Args;
use coro_simul::Exhibition;
use coro_simul::cores::{self, THINKING_LANES, THINKING_STEPS};
use coro_simul::lanes::Lane;

use super::error::CliError;
use super::exhibition::ExhibitionArgs;
use super::parse;

/// The flags of `coro-simul cores`.
#[derive(Debug, Args)]
pub(crate) struct CoresArgs {
    /// The lanes to measure, comma-separated (default: every lane that thinks).
    #[arg(long, value_name = "A,B,..", value_delimiter = ',', value_parser = parse::lane)]
    lanes: Vec<Lane>,
    /// The steps of each opponent's thinking (the default is about a millisecond of one core).
    #[arg(long, value_name = "N", default_value_t = THINKING_STEPS, value_parser = parse::count, allow_hyphen_values = true)]
    steps: u32,
    #[command(flatten)]
    exhibition: ExhibitionArgs,
}

/// Plays the exhibition with thinking opponents in each lane, one after the other in this
/// process, and prints the table.
pub(crate) fn cores(args: CoresArgs, out: &mut impl Write) -> Result<(), CliError> {
    let exhibition = thinking(&args.exhibition.build()?, args.steps);
    let lanes = if args.lanes.is_empty() { THINKING_LANES } else { &args.lanes[..] };
    let cores_here = std::thread::available_parallelism().map_or(1, |cores| cores.get());
    // Other programs' load takes cores from the lanes: say how much there was.
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load = load.split_whitespace().next().unwrap_or("unknown");
    writeln!(out, "CPU-bound: {exhibition}; {cores_here} cores here, load average {load}.\n")?;
    let mut rows = Vec::new();
    for &lane in lanes {
        rows.push(cores::measure(lane, &exhibition)?);
    }
    write!(out, "{}", cores::table(&rows))?;
    Ok(())
}

/// `exhibition`, its opponents thinking `steps` on the CPU a move.
fn thinking(exhibition: &Exhibition, steps: u32) -> Exhibition {
    let mut builder = Exhibition::builder()
        .opponents(exhibition.opponents())
        .master_move(exhibition.master_move())
        .opponent_move(exhibition.opponent_move())
        .pairs(exhibition.pairs())
        .opponents_think(steps);
    if let Some(limit) = exhibition.time_limit() {
        builder = builder.time_limit(limit);
    }
    if let Some(failure) = exhibition.failure() {
        builder = builder.failure(failure.board, failure.pair);
    }
    builder.build().expect("the same exhibition, valid already")
}
