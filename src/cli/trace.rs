//! `coro-simul trace`: one lane's trace, event by event, as text, JSON Lines or CSV; with
//! `--switches`, the switch trace (every transfer of control between the events), as text or
//! JSON Lines.

use std::io::Write;

use clap::Args;
use coro_simul::Exhibition;
use coro_simul::lanes::Lane;
use coro_simul::render::{self, Format, Renderer};
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
    /// text (for people), jsonl or csv (for machines; csv has no switches).
    #[arg(long, default_value = "text", value_parser = parse::format)]
    format: Format,
    /// Also show every transfer of control (resume, suspend, wake, ...) in the lane's words.
    #[arg(long)]
    switches: bool,
    /// With --switches: the scheduler's queues after each switch.
    #[arg(long, requires = "switches")]
    queues: bool,
    #[command(flatten)]
    exhibition: ExhibitionArgs,
}

/// Streams the lane's trace to `out`, and for text the summary under it. A lane that cannot
/// play fails before its first event, so its error leaves stdout empty.
pub(crate) fn trace(args: TraceArgs, out: &mut impl Write) -> Result<(), CliError> {
    let TraceArgs { lane, format, switches, queues, exhibition } = args;
    let exhibition = exhibition.build()?;
    if switches {
        return switch_trace(lane, &exhibition, format, queues, out);
    }
    // The ordinary trace streams through a renderer and a summary, neither of which watches
    // switches: the lane builds none, and costs what it cost before the switch trace.
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

/// The switch trace: kept whole (it is meant for exhibitions small enough to read), then
/// written as text with the summary under it, or as JSON Lines. A lane that reports no
/// switches yet shows its events alone.
fn switch_trace(
    lane: Lane,
    exhibition: &Exhibition,
    format: Format,
    with_queues: bool,
    out: &mut impl Write,
) -> Result<(), CliError> {
    if format == Format::Csv {
        // Refused before playing: a switch has no fixed columns (its queues vary in number
        // and length), and a CSV that silently dropped them would not be the switch trace.
        return Err(CliError::Clash {
            flags: "--format csv with --switches",
            why: "a switch has no fixed columns; use --format jsonl",
        });
    }
    let switches = lane.switches(exhibition)?;
    if format == Format::Jsonl {
        write!(out, "{}", render::switches_jsonl(&switches, with_queues))?;
    } else {
        write!(out, "{}", switches.text(with_queues))?;
        writeln!(out, "\n{}", switches.summary())?;
    }
    Ok(())
}
