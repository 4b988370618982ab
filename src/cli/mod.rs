//! The binary's command line, not part of the library: the commands and their flags, one file
//! per command, and the one error every command returns.
//!
//! - `error.rs`: [`CliError`], its one line on stderr and its exit code.
//! - `exhibition.rs`: the exhibition's flags, shared by every command that plays.
//! - `parse.rs`: the flags' value parsers, with the one rule for signs, and the lanes `--lanes`
//!   chose.
//! - `compare.rs`, `trace.rs`, `timeline.rs`, `race.rs`, `pitfall.rs`, `list.rs`: a command
//!   each, its flags and the one function that runs it.
//! - `step.rs`: `step`, the switch trace a step at a time: a screen on a terminal, the frames
//!   one after another off one.
//! - `cores.rs`: `cores`, the CPU-bound exhibition and the cores each lane used.
//! - `table.rs`: `table`, the articles' table answered by measurement.
//! - `scale.rs`: `scale` and its hidden child `measure`, and the contract between them.
//! - `whole_file.rs`: the one way a file is written: whole or not at all, never over anything
//!   but a regular file, `-` for standard output (`timeline --svg`).
//! - `ctrl_c.rs`: the flag Ctrl-C raises to stop a race.

pub(crate) mod compare;
pub(crate) mod cores;
mod ctrl_c;
mod error;
mod exhibition;
pub(crate) mod list;
mod parse;
pub(crate) mod pitfall;
pub(crate) mod race;
pub(crate) mod scale;
pub(crate) mod step;
pub(crate) mod table;
pub(crate) mod timeline;
pub(crate) mod trace;
mod whole_file;

use clap::{Parser, Subcommand};

pub(crate) use error::CliError;

/// One simultaneous chess exhibition, played through every way a program can suspend work
/// and resume it later.
#[derive(Debug, Parser)]
#[command(name = "coro-simul", version)]
pub(crate) struct Cli {
    /// The command; none is `compare` on the story's own exhibition.
    #[command(subcommand)]
    pub(crate) command: Option<Command>,
}

/// The commands, each run by the function of the same name in its file.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Play every lane on one exhibition and compare them side by side (the default).
    Compare(compare::CompareArgs),
    /// Print one lane's trace: every move, reply and finished game, with its time; with
    /// --switches, every transfer of control between them, in the lane's own words.
    Trace(trace::TraceArgs),
    /// Step through one lane's switch trace, a key a switch: the clock, the switch, the
    /// queues and where every board is paused (2 boards × 2 move pairs unless told).
    #[command(
        mut_arg("opponents", |arg| arg.default_value("2")),
        mut_arg("pairs", |arg| arg.default_value("2"))
    )]
    Step(step::StepArgs),
    /// Draw one lane's exhibition: a row per board, time across.
    Timeline(timeline::TimelineArgs),
    /// Race the lanes in real time, each on its own thread, with live progress bars; then
    /// each lane's wall time next to its expected time. Ctrl-C stops the race.
    Race(race::RaceArgs),
    /// Run a pitfall of cooperative code broken and fixed, and measure the damage.
    Pitfall(pitfall::PitfallArgs),
    /// Measure every lane on large exhibitions, each in a fresh process: wall time, peak
    /// memory, bytes per paused game, the most games this machine held (takes minutes).
    Scale(scale::ScaleArgs),
    /// One lane, one exhibition, measured in this process: what `scale` runs in each child.
    #[command(hide = true)]
    Measure(scale::MeasureArgs),
    /// Play the CPU-bound exhibition (each opponent's move is real computation) in every
    /// lane that thinks: wall time, CPU time and cores used.
    Cores(cores::CoresArgs),
    /// The articles' table — processes, threads, async: waiting, cores, scale, blocking
    /// calls, the GIL — each cell answered by measurement (a few seconds).
    Table,
    /// List the lanes, one line each.
    List,
}
