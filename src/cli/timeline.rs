//! `coro-simul timeline`: one lane's exhibition drawn, a row per board, as text or an SVG file.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use coro_simul::Exhibition;
use coro_simul::lanes::Lane;
use coro_simul::timeline::Timeline;

use super::error::CliError;
use super::exhibition::ExhibitionArgs;
use super::parse;
use super::whole_file::{Target, write_to};

/// The flags of `coro-simul timeline`.
#[derive(Debug, Args)]
pub(crate) struct TimelineArgs {
    /// The lane to play (see `coro-simul list`).
    #[arg(value_parser = parse::lane)]
    lane: Lane,
    /// Columns of time in the picture.
    #[arg(long, value_name = "N", default_value = "72", value_parser = parse::width, allow_hyphen_values = true)]
    width: usize,
    /// Boards drawn; the master's row always counts every board.
    #[arg(long, value_name = "N", default_value = "48", value_parser = parse::count, allow_hyphen_values = true)]
    rows: u32,
    /// Draw the picture as an SVG file instead, every interval at its exact place (`-`:
    /// standard output). An existing FILE is replaced only if it is a regular file.
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,
    #[command(flatten)]
    exhibition: ExhibitionArgs,
}

/// Draws the lane's exhibition to `out`, or as an SVG to the file `--svg` names (written
/// whole, never over anything but a regular file; `-` is `out`).
pub(crate) fn timeline(args: TimelineArgs, out: &mut impl Write) -> Result<(), CliError> {
    let TimelineArgs { lane, width, rows, svg, exhibition } = args;
    let exhibition = exhibition.build()?;
    let Some(path) = svg else { return draw(lane, &exhibition, rows, width, out) };
    let mut picture = Timeline::new(&exhibition, rows);
    lane.play(&exhibition, &mut picture)?;
    let document = picture.svg(&title(lane, &exhibition)).map_err(CliError::Drawing)?;
    let target = Target::new(path);
    write_to(&target, document.as_bytes(), out)?;
    if let Target::File(path) = target {
        writeln!(out, "wrote {}", path.display())?;
    }
    Ok(())
}

/// Draws `lane`'s exhibition as text, `rows` boards in `width` columns, under its title.
pub(crate) fn draw(
    lane: Lane,
    exhibition: &Exhibition,
    rows: u32,
    width: usize,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let mut picture = Timeline::new(exhibition, rows);
    lane.play(exhibition, &mut picture)?;
    Ok(write!(out, "{}\n\n{}", title(lane, exhibition), picture.render(width))?)
}

/// `sync: 24 boards × 30 move pairs, …`.
fn title(lane: Lane, exhibition: &Exhibition) -> String {
    format!("{lane}: {exhibition}")
}
