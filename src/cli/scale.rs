//! `coro-simul scale` and its hidden child, `coro-simul measure`: both halves of the contract
//! between the parent that measures every lane and the child processes that each measure one.
//!
//! # The child-process contract
//!
//! The library's [`scale::run`] decides which lane plays which size when; for each
//! measurement it calls the closure [`scale()`] passes, [`measure_in_child`], which starts this
//! program again:
//!
//! ```text
//! coro-simul measure LANE --opponents N --pairs P --master-move Mns --opponent-move Ons
//! ```
//!
//! ([`child_args`]: the moves' lengths in whole nanoseconds, so the child plays exactly the
//! parent's exhibition; no time limit, no planned failure; a test in `main.rs` parses them
//! back into the same exhibition). The child, [`measure`], plays the lane in its fresh
//! process with [`scale::measure`] and then:
//!
//! - on success prints one line on stdout, the measurement's JSON
//!   ([`Measurement::to_json`]), and exits 0;
//! - when the lane cannot play, prints what every command prints for a lane that could not
//!   play, one line `error: LANE: REASON` on stderr, and exits 1;
//! - when the operating system kills it (out of memory, say), prints nothing: the parent
//!   reports the signal.
//!
//! The parent reads that back in [`read_child`]: a [`Measurement`], or the reason the lane
//! was refused at that size, which becomes a note under the table.

use std::io::Write;
use std::os::unix::process::ExitStatusExt as _;
use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use clap::{Args, ValueEnum};
use coro_simul::Exhibition;
use coro_simul::lanes::Lane;
use coro_simul::scale::{self, Measurement, Plan};

use super::error::CliError;
use super::exhibition::ExhibitionArgs;
use super::parse;

/// The flags of `coro-simul scale`.
#[derive(Debug, Args)]
pub(crate) struct ScaleArgs {
    /// The lanes to measure, comma-separated, each once (default: all; state-machine always plays).
    #[arg(long, value_name = "A,B,..", value_delimiter = ',', value_parser = parse::lane)]
    lanes: Vec<Lane>,
    /// Exhibition sizes to try, comma-separated, each lane smallest first until refused.
    #[arg(
        long,
        value_name = "N,N,..",
        value_delimiter = ',',
        default_value = "1000,10000,100000,1000000",
        value_parser = parse::count,
        allow_hyphen_values = true
    )]
    boards: Vec<u32>,
    /// How many times each lane plays its largest size; the table shows medians.
    #[arg(long, value_name = "N", default_value = "3", value_parser = parse::count, allow_hyphen_values = true)]
    runs: u32,
    /// markdown (a table, for people and READMEs) or json.
    #[arg(long, value_enum, default_value_t = ScaleFormat::Markdown)]
    format: ScaleFormat,
    #[command(flatten)]
    exhibition: ExhibitionArgs,
}

/// How `scale` prints its report. (No doc comments on the variants: see `CompareFormat`.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ScaleFormat {
    // A Markdown table, for people and READMEs.
    Markdown,
    // JSON, for machines.
    Json,
}

/// The flags of the hidden `coro-simul measure`: what the parent passes its children.
#[derive(Debug, Args)]
pub(crate) struct MeasureArgs {
    #[arg(value_parser = parse::lane)]
    lane: Lane,
    #[command(flatten)]
    exhibition: ExhibitionArgs,
}

impl MeasureArgs {
    /// The lane the child measures.
    pub(crate) fn lane(&self) -> Lane {
        self.lane
    }

    /// The exhibition the child plays, or the flag its parent got wrong.
    pub(crate) fn exhibition(&self) -> Result<Exhibition, CliError> {
        self.exhibition.build()
    }
}

/// Measures the plan, a child process per lane and size (progress on stderr), and prints the
/// Markdown table or the JSON.
pub(crate) fn scale(args: ScaleArgs, out: &mut impl Write) -> Result<(), CliError> {
    let format = args.format;
    let plan = plan(args)?;
    let program = std::env::current_exe().map_err(|error| CliError::System {
        needed: "find this program to start its children",
        error: Box::new(error),
    })?;
    let report = scale::run(
        &plan,
        |lane, exhibition| measure_in_child(&program, lane, exhibition),
        |line| eprintln!("scale: {line}"),
    );
    match format {
        ScaleFormat::Markdown => write!(out, "{}", scale::markdown(&report))?,
        ScaleFormat::Json => write!(out, "{}", scale::json(&report))?,
    }
    Ok(())
}

/// The plan, or the error naming the flag whose rule was broken. Every size is checked here,
/// so no child is ever started for a bad one.
fn plan(args: ScaleArgs) -> Result<Plan, CliError> {
    if args.runs == 0 {
        return Err(CliError::NoRuns);
    }
    let mut exhibition = Exhibition::default();
    for &opponents in &args.boards {
        exhibition = args.exhibition.with_opponents(opponents).build_as("--boards")?;
    }
    let lanes = parse::chosen_lanes(&args.lanes)?;
    Ok(Plan { lanes, boards: args.boards, exhibition, runs: args.runs })
}

/// The parent's half: runs the child for `lane` on `exhibition` and reads what it reported.
fn measure_in_child(
    program: &Path,
    lane: Lane,
    exhibition: &Exhibition,
) -> Result<Measurement, String> {
    let output = Command::new(program)
        .args(child_args(lane, exhibition))
        .output()
        .map_err(|error| format!("could not start {}: {error}", program.display()))?;
    read_child(lane, &output)
}

/// The child's arguments: `measure LANE --opponents N --pairs P --master-move Mns
/// --opponent-move Ons`.
pub(crate) fn child_args(lane: Lane, exhibition: &Exhibition) -> Vec<String> {
    let nanos = |length: Duration| format!("{}ns", length.as_nanos());
    [
        "measure",
        lane.name(),
        "--opponents",
        &exhibition.opponents().to_string(),
        "--pairs",
        &exhibition.pairs().to_string(),
        "--master-move",
        &nanos(exhibition.master_move()),
        "--opponent-move",
        &nanos(exhibition.opponent_move()),
    ]
    .map(str::to_owned)
    .into()
}

/// The child's measurement, or why it had none: its one-line error without the `error: LANE: `
/// prefix, or the signal that ended it.
fn read_child(lane: Lane, output: &Output) -> Result<Measurement, String> {
    if output.status.success() {
        return serde_json::from_slice(&output.stdout)
            .ok()
            .and_then(|value| Measurement::from_json(&value))
            .ok_or_else(|| "the child printed something other than its measurement".to_owned());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    if let Some(message) = stderr.lines().find_map(|line| line.strip_prefix("error: ")) {
        let prefix = format!("{lane}: ");
        return Err(message.strip_prefix(&prefix).unwrap_or(message).to_owned());
    }
    Err(match output.status.signal() {
        Some(9) => "the process was killed (signal 9: out of memory?)".to_owned(),
        Some(signal) => format!("the process was killed by signal {signal}"),
        None => format!("the process failed ({})", output.status),
    })
}

/// The child's half: measures one lane in this process and prints the measurement's one JSON
/// line; a lane that cannot play is a [`CliError::Lane`], printed as the contract says.
pub(crate) fn measure(args: MeasureArgs, out: &mut impl Write) -> Result<(), CliError> {
    let measured = scale::measure(args.lane(), &args.exhibition()?)?;
    Ok(writeln!(out, "{}", measured.to_json())?)
}

#[cfg(test)]
mod tests {
    use std::os::unix::process::ExitStatusExt as _;
    use std::process::ExitStatus;

    use super::*;

    fn output(status: i32, stdout: &str, stderr: &str) -> Output {
        let (stdout, stderr) = (stdout.as_bytes().to_vec(), stderr.as_bytes().to_vec());
        Output { status: ExitStatus::from_raw(status), stdout, stderr }
    }

    #[test]
    fn the_parent_reads_a_measurement_from_stdout() {
        let line = r#"{"boards":10,"wall_seconds":0.5,"baseline_rss_bytes":null,"#.to_owned()
            + r#""peak_rss_bytes":null,"suspensions":30}"#;
        let measured = read_child(Lane::Sync, &output(0, &line, "")).unwrap();
        assert_eq!((measured.boards, measured.suspensions), (10, 30));
        let garbage = read_child(Lane::Sync, &output(0, "hello", ""));
        assert_eq!(garbage.unwrap_err(), "the child printed something other than its measurement");
    }

    #[test]
    fn the_parent_reads_a_refusal_from_the_error_line_or_the_signal() {
        let refused = output(1 << 8, "", "error: threads: too many threads\n");
        assert_eq!(read_child(Lane::Threads, &refused).unwrap_err(), "too many threads");
        let killed = read_child(Lane::Threads, &output(9, "", "")).unwrap_err();
        assert_eq!(killed, "the process was killed (signal 9: out of memory?)");
        let failed = read_child(Lane::Threads, &output(3 << 8, "", "")).unwrap_err();
        assert_eq!(failed, "the process failed (exit status: 3)");
    }
}
