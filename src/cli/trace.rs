//! `coro-simul trace`: one lane's trace, event by event, as text, JSON Lines or CSV.

use std::io::Write;

use clap::Args;
use coro_simul::lanes::Lane;
use coro_simul::render::{Format, Renderer};
use coro_simul::trace::Summary;

use super::error::CliError;
use super::exhibition::ExhibitionArgs;
use super::parse;

/// The flags of `coro-simul trace`.
#[derive(Debug, Args)]
pub(crate) struct TraceArgs {
    /// The lane to play (see `coro-simul list`).
    #[arg(value_parser = parse::lane)]
    lane: Lane,
    /// text (for people), jsonl or csv (for machines).
    #[arg(long, default_value = "text", value_parser = parse::format)]
    format: Format,
    #[command(flatten)]
    exhibition: ExhibitionArgs,
}

/// Streams the lane's trace to `out`, and for text the summary under it. A lane that cannot
/// play fails before its first event, so its error leaves stdout empty.
pub(crate) fn trace(args: TraceArgs, out: &mut impl Write) -> Result<(), CliError> {
    let TraceArgs { lane, format, exhibition } = args;
    let exhibition = exhibition.build()?;
    let mut renderer = Renderer::new(format, &exhibition, &mut *out);
    let mut both = (&mut renderer, Summary::new(&exhibition));
    lane.play(&exhibition, &mut both)?;
    let summary = both.1;
    renderer.finish()?;
    if format == Format::Text {
        writeln!(out, "\n{summary}")?;
    }
    Ok(())
}
