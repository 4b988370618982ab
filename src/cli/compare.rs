//! `coro-simul compare` (and `coro-simul` alone): every lane on one exhibition, a row each.

use std::io::Write;

use clap::{Args, ValueEnum};
use coro_simul::Exhibition;
use coro_simul::compare::{self as rows, Row};
use coro_simul::lanes::Lane;

use super::error::CliError;
use super::exhibition::ExhibitionArgs;
use super::{parse, timeline};

/// The flags of `coro-simul compare`.
#[derive(Debug, Args)]
pub(crate) struct CompareArgs {
    /// The lanes to compare, comma-separated, each once (default: all).
    #[arg(long, value_name = "A,B,..", value_delimiter = ',', value_parser = parse::lane)]
    lanes: Vec<Lane>,
    /// text (a table, and for the default exhibition its timelines) or json.
    #[arg(long, value_enum, default_value_t = CompareFormat::Text)]
    format: CompareFormat,
    #[command(flatten)]
    exhibition: ExhibitionArgs,
}

/// How `compare` prints its rows. (The variants carry no doc comment on purpose: clap would
/// turn one into a list of values with their help, where `--help` shows them in one line.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CompareFormat {
    // For people: the table, and under it, for the story's own exhibition, two timelines.
    Text,
    // For machines: a JSON array, one object per lane.
    Json,
}

/// Runs `coro-simul compare` with `args`.
pub(crate) fn compare(args: CompareArgs, out: &mut impl Write) -> Result<(), CliError> {
    let exhibition = args.exhibition.build()?;
    let lanes = parse::chosen_lanes(&args.lanes)?;
    play(&exhibition, &lanes, args.format, out)
}

/// `coro-simul` with no command: the story's own exhibition, every lane, as text.
pub(crate) fn story(out: &mut impl Write) -> Result<(), CliError> {
    play(&Exhibition::default(), Lane::ALL, CompareFormat::Text, out)
}

/// The comparison table (or JSON); under the table, for the story's own exhibition, the
/// synchronous and the concurrent timelines one above the other. A lane that could not play
/// fails the command once every row is printed (its row says why), as in `trace` and `race`.
fn play(
    exhibition: &Exhibition,
    lanes: &[Lane],
    format: CompareFormat,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let rows = rows::compare(exhibition, lanes);
    match format {
        CompareFormat::Json => write!(out, "{}", rows::json(&rows))?,
        CompareFormat::Text => text(exhibition, &rows, out)?,
    }
    match rows.into_iter().find_map(|row| row.outcome.err()) {
        Some(error) => Err(CliError::Lane(error)),
        None => Ok(()),
    }
}

/// The table, and the timelines under it for the story's own exhibition.
fn text(exhibition: &Exhibition, rows: &[Row], out: &mut impl Write) -> Result<(), CliError> {
    writeln!(out, "Simultaneous exhibition: {exhibition}.\n")?;
    write!(out, "{}", rows::table(rows))?;
    if *exhibition != Exhibition::default() {
        return Ok(());
    }
    for lane in [Some(Lane::Sync), first_concurrent(rows, exhibition)].into_iter().flatten() {
        writeln!(out)?;
        timeline::draw(lane, exhibition, exhibition.opponents(), 72, out)?;
    }
    Ok(())
}

/// The first lane that played concurrently: it stands for all of them, their traces are
/// equal.
fn first_concurrent(rows: &[Row], exhibition: &Exhibition) -> Option<Lane> {
    let concurrent = |row: &&Row| {
        row.outcome.as_ref().is_ok_and(|summary| summary.total() < exhibition.synchronous_total())
    };
    rows.iter().find(concurrent).map(|row| row.lane)
}
