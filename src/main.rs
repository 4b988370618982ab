//! The `coro-simul` command line: parse, pick lanes, play, render. Nothing else lives here.
#![forbid(unsafe_code)]

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Args, Parser, Subcommand};
use coro_simul::clock::Speed;
use coro_simul::lanes::{Lane, LaneError};
use coro_simul::race::{self, Race, Show, Watched};
use coro_simul::render::{Format, Renderer};
use coro_simul::timeline::Timeline;
use coro_simul::trace::Summary;
use coro_simul::{Exhibition, ExhibitionError};

/// One simultaneous chess exhibition, played through every way a program can suspend work
/// and resume it later.
#[derive(Debug, Parser)]
#[command(name = "coro-simul", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Play every lane on one exhibition and compare them side by side (the default).
    Compare {
        /// The lanes to compare, comma-separated (default: all).
        #[arg(long, value_name = "A,B,..", value_delimiter = ',', value_parser = parse_lane)]
        lanes: Vec<Lane>,
        /// text (a table, and for the default exhibition its timelines) or json.
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
        #[command(flatten)]
        exhibition: ExhibitionArgs,
    },
    /// Print one lane's trace: every move, reply and finished game, with its time.
    Trace {
        /// The lane to play (see `coro-simul list`).
        #[arg(value_parser = parse_lane)]
        lane: Lane,
        /// text (for people), jsonl or csv (for machines).
        #[arg(long, default_value = "text", value_parser = parse_format)]
        format: Format,
        #[command(flatten)]
        exhibition: ExhibitionArgs,
    },
    /// Draw one lane's exhibition: a row per board, time across.
    Timeline {
        /// The lane to play (see `coro-simul list`).
        #[arg(value_parser = parse_lane)]
        lane: Lane,
        /// Columns of time in the picture.
        #[arg(long, value_name = "N", default_value = "72", value_parser = parse_width)]
        width: usize,
        /// Boards drawn; the master's row always counts every board.
        #[arg(long, value_name = "N", default_value = "48", value_parser = parse_count)]
        rows: u32,
        /// Draw the picture as an SVG file instead, every interval at its exact place.
        #[arg(long, value_name = "FILE")]
        svg: Option<PathBuf>,
        #[command(flatten)]
        exhibition: ExhibitionArgs,
    },
    /// Race the lanes in real time, each on its own thread, with live progress bars; then
    /// each lane's wall time next to its expected time. Ctrl-C stops the race.
    Race {
        /// Exhibition time per wall second: 3600x plays an hour a second (sync: 12 s).
        #[arg(long, value_name = "F", default_value = "3600x", value_parser = parse_speed, allow_hyphen_values = true)]
        speed: Speed,
        /// The lanes to race, comma-separated (default: all).
        #[arg(long, value_name = "A,B,..", value_delimiter = ',', value_parser = parse_lane)]
        lanes: Vec<Lane>,
        #[command(flatten)]
        exhibition: ExhibitionArgs,
    },
    /// Run a pitfall of cooperative code broken and fixed, and measure the damage.
    Pitfall {
        #[command(flatten)]
        pitfall: coro_simul::pitfalls::cli::PitfallArgs,
        #[command(flatten)]
        exhibition: ExhibitionArgs,
    },
    /// Measure every lane on large exhibitions, each in a fresh process: wall time, peak
    /// memory, bytes per paused game, the most games this machine held (takes minutes).
    Scale {
        /// The lanes to measure, comma-separated (default: all; state-machine always plays).
        #[arg(long, value_name = "A,B,..", value_delimiter = ',', value_parser = parse_lane)]
        lanes: Vec<Lane>,
        /// Exhibition sizes to try, comma-separated, each lane smallest first until refused.
        #[arg(
            long,
            value_name = "N,N,..",
            value_delimiter = ',',
            default_value = "1000,10000,100000,1000000",
            value_parser = parse_count,
            allow_hyphen_values = true
        )]
        boards: Vec<u32>,
        /// How many times each lane plays its largest size; the table shows medians.
        #[arg(long, value_name = "N", default_value = "3", value_parser = parse_count, allow_hyphen_values = true)]
        runs: u32,
        /// markdown (a table, for people and READMEs) or json.
        #[arg(long, default_value = "markdown", value_parser = ["markdown", "json"])]
        format: String,
        #[command(flatten)]
        exhibition: ExhibitionArgs,
    },
    /// One lane, one exhibition, measured in this process: what `scale` runs in each child.
    #[command(hide = true)]
    Measure {
        #[arg(value_parser = parse_lane)]
        lane: Lane,
        #[command(flatten)]
        exhibition: ExhibitionArgs,
    },
    /// List the lanes, one line each.
    List,
}

/// The exhibition flags, on every command that plays.
#[derive(Debug, Clone, Copy, Args)]
struct ExhibitionArgs {
    /// Opponents, one board each.
    #[arg(long, value_name = "N", default_value = "24", value_parser = parse_count, allow_hyphen_values = true)]
    opponents: u32,
    /// How long the master takes for a move, e.g. 5s or 250ms.
    #[arg(long, value_name = "DUR", default_value = "5s", value_parser = parse_duration, allow_hyphen_values = true)]
    master_move: Duration,
    /// How long each opponent thinks before replying, e.g. 55s or 1m.
    #[arg(long, value_name = "DUR", default_value = "55s", value_parser = parse_duration, allow_hyphen_values = true)]
    opponent_move: Duration,
    /// Move pairs (master move, opponent reply) per game.
    #[arg(long, value_name = "N", default_value = "30", value_parser = parse_count, allow_hyphen_values = true)]
    pairs: u32,
    /// Stop the exhibition at this time and adjourn the unfinished games, e.g. 30m.
    #[arg(long, value_name = "DUR", value_parser = parse_duration, allow_hyphen_values = true)]
    time_limit: Option<Duration>,
    /// Make this board's game fail (panic), for teaching; needs --fail-at-pair.
    #[arg(long, value_name = "B", requires = "fail_at_pair", value_parser = parse_count, allow_hyphen_values = true)]
    fail_board: Option<u32>,
    /// The move pair at which --fail-board's game fails.
    #[arg(long, value_name = "K", requires = "fail_board", value_parser = parse_count, allow_hyphen_values = true)]
    fail_at_pair: Option<u32>,
}

impl ExhibitionArgs {
    /// The exhibition, or the one-line error naming the flag whose rule was broken.
    fn build(&self) -> Result<Exhibition, String> {
        let Self { opponents, master_move, opponent_move, pairs, .. } = *self;
        let mut builder = Exhibition::builder()
            .opponents(opponents)
            .master_move(master_move)
            .opponent_move(opponent_move)
            .pairs(pairs);
        if let Some(limit) = self.time_limit {
            builder = builder.time_limit(limit);
        }
        if let (Some(board), Some(pair)) = (self.fail_board, self.fail_at_pair) {
            builder = builder.failure(board, pair);
        }
        builder.build().map_err(|error| self.explain(error))
    }

    /// `error` as one line that names the flag and what was given.
    fn explain(&self, error: ExhibitionError) -> String {
        let show = humantime::format_duration;
        let given = match error {
            ExhibitionError::NoOpponents => format!("--opponents {}", self.opponents),
            ExhibitionError::NoPairs => format!("--pairs {}", self.pairs),
            ExhibitionError::ZeroMasterMove => format!("--master-move {}", show(self.master_move)),
            ExhibitionError::ZeroOpponentMove => {
                format!("--opponent-move {}", show(self.opponent_move))
            }
            ExhibitionError::ZeroTimeLimit => "--time-limit 0s".to_owned(),
            ExhibitionError::TimeLimitTooLong => {
                format!("--time-limit {}", show(self.time_limit.unwrap_or_default()))
            }
            ExhibitionError::NoSuchFailBoard => {
                format!("--fail-board {} (of {})", self.fail_board.unwrap_or(0), self.opponents)
            }
            ExhibitionError::NoSuchFailPair => {
                format!("--fail-at-pair {} (of {})", self.fail_at_pair.unwrap_or(0), self.pairs)
            }
            _ => return format!("the exhibition is too long: {error}"),
        };
        format!("invalid {given}: {error}")
    }
}

fn parse_count(text: &str) -> Result<u32, String> {
    if text.starts_with('-') {
        return Err("must be a whole number of at least 1, not negative".into());
    }
    text.parse().map_err(|error: std::num::ParseIntError| match error.kind() {
        std::num::IntErrorKind::PosOverflow => format!("too large (at most {})", u32::MAX),
        _ => "not a whole number".into(),
    })
}

fn parse_width(text: &str) -> Result<usize, String> {
    match parse_count(text)? {
        width @ 10..=1000 => Ok(width as usize),
        _ => Err("must be from 10 to 1000 columns".into()),
    }
}

fn parse_duration(text: &str) -> Result<Duration, String> {
    if text.starts_with('-') {
        return Err("a duration cannot be negative".into());
    }
    humantime::parse_duration(text)
        .map_err(|error| format!("not a duration ({error}); write it like 5s, 1m30s or 250ms"))
}

fn parse_lane(text: &str) -> Result<Lane, String> {
    text.parse().map_err(|error: coro_simul::lanes::UnknownLane| error.to_string())
}

fn parse_format(text: &str) -> Result<Format, String> {
    text.parse()
}

fn parse_speed(text: &str) -> Result<Speed, String> {
    text.parse()
}

fn main() -> ExitCode {
    // A planned failure (--fail-board) is expected: the trace reports it, stderr need not.
    coro_simul::PlannedFailure::hush();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) if !error.use_stderr() => error.exit(), // --help, --version: stdout, 0
        Err(error) => return fail(&one_line(&error)),
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    let result = match cli.command {
        None => compare(&Exhibition::default(), Lane::ALL, "text", &mut out),
        Some(Command::Compare { lanes, format, exhibition }) => match exhibition.build() {
            Ok(exhibition) => {
                let lanes = if lanes.is_empty() { Lane::ALL } else { &lanes[..] };
                compare(&exhibition, lanes, &format, &mut out)
            }
            Err(message) => return fail(&message),
        },
        Some(Command::Trace { lane, format, exhibition }) => match exhibition.build() {
            Ok(exhibition) => trace(lane, format, &exhibition, &mut out),
            Err(message) => return fail(&message),
        },
        Some(Command::Timeline { lane, width, rows, svg, exhibition }) => {
            match exhibition.build() {
                Ok(exhibition) => timeline(lane, &exhibition, rows, width, svg, &mut out),
                Err(message) => return fail(&message),
            }
        }
        Some(Command::Race { speed, lanes, exhibition }) => match exhibition.build() {
            Ok(exhibition) => {
                let lanes = if lanes.is_empty() { Lane::ALL } else { &lanes[..] };
                race(&exhibition, lanes, speed, &mut out)
            }
            Err(message) => return fail(&message),
        },
        Some(Command::Pitfall { pitfall, exhibition }) => match exhibition.build() {
            Ok(exhibition) => pitfall.run(&exhibition, &mut out),
            Err(message) => return fail(&message),
        },
        Some(Command::Scale { lanes, boards, runs, format, exhibition }) => {
            match scale_plan(lanes, boards, runs, exhibition) {
                Ok(plan) => scale(&plan, &format, &mut out),
                Err(message) => return fail(&message),
            }
        }
        Some(Command::Measure { lane, exhibition }) => match exhibition.build() {
            Ok(exhibition) => measure(lane, &exhibition, &mut out),
            Err(message) => return fail(&message),
        },
        Some(Command::List) => list(&mut out),
    };
    match result.and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        // `coro-simul trace sync | head`: the reader has seen enough; stop quietly.
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        // Ctrl-C during a race: the bars are cleared; one line, and the shell's code for it.
        Err(error) if error.kind() == io::ErrorKind::Interrupted => {
            eprintln!("{error}");
            ExitCode::from(130)
        }
        Err(error) => match error.get_ref().and_then(|inner| inner.downcast_ref::<LaneError>()) {
            Some(lane_error) => {
                eprintln!("error: {lane_error}");
                ExitCode::FAILURE
            }
            None => fail(&format!("cannot write the output: {error}")),
        },
    }
}

/// Prints `error: {message}` as one line on stderr and returns exit code 2.
fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

/// clap's error as one line: its first line, plus the valid values when it lists them.
fn one_line(error: &clap::Error) -> String {
    let rendered = error.render().to_string();
    let first = rendered.lines().next().unwrap_or("invalid arguments");
    let mut line = first.strip_prefix("error: ").unwrap_or(first).to_owned();
    if let Some(ContextValue::Strings(valid)) = error.get(ContextKind::ValidValue)
        && !valid.is_empty()
    {
        line.push_str(&format!(" (choose one of: {})", valid.join(", ")));
    }
    if let Some(ContextValue::Strings(missing)) = error.get(ContextKind::InvalidArg) {
        if error.kind() == ErrorKind::MissingRequiredArgument {
            line.push_str(&format!(" {}", missing.join(", ")));
        }
    }
    if matches!(error.kind(), ErrorKind::UnknownArgument | ErrorKind::InvalidSubcommand) {
        line.push_str(" (see --help)");
    }
    line
}

/// The comparison table (or JSON); under the table, for the story's own exhibition, the
/// synchronous and the concurrent timelines one above the other.
fn compare(
    exhibition: &Exhibition,
    lanes: &[Lane],
    format: &str,
    out: &mut impl Write,
) -> io::Result<()> {
    let rows = coro_simul::compare::compare(exhibition, lanes);
    if format == "json" {
        return write!(out, "{}", coro_simul::compare::json(&rows));
    }
    writeln!(out, "Simultaneous exhibition: {exhibition}.\n")?;
    write!(out, "{}", coro_simul::compare::table(&rows))?;
    if *exhibition != Exhibition::default() {
        return Ok(());
    }
    // The first lane that played concurrently stands for all of them: their traces are equal.
    let concurrent = rows.iter().find(|row| {
        row.outcome.as_ref().is_ok_and(|summary| summary.total() < exhibition.synchronous_total())
    });
    for lane in [Some(Lane::Sync), concurrent.map(|row| row.lane)].into_iter().flatten() {
        writeln!(out)?;
        timeline(lane, exhibition, exhibition.opponents(), 72, None, out)?;
    }
    Ok(())
}

/// Streams `lane`'s trace to `out`. A lane that cannot play fails before its first event, so
/// its error leaves stdout empty.
fn trace(
    lane: Lane,
    format: Format,
    exhibition: &Exhibition,
    out: &mut impl Write,
) -> io::Result<()> {
    let mut renderer = Renderer::new(format, exhibition, &mut *out);
    let mut both = (&mut renderer, Summary::new(exhibition));
    lane.play(exhibition, &mut both).map_err(io::Error::other)?;
    let summary = both.1;
    renderer.finish()?;
    if format == Format::Text {
        writeln!(out, "\n{summary}")?;
    }
    Ok(())
}

/// Draws `lane`'s exhibition to `out`, or as an SVG to the file `svg`.
fn timeline(
    lane: Lane,
    exhibition: &Exhibition,
    rows: u32,
    width: usize,
    svg: Option<PathBuf>,
    out: &mut impl Write,
) -> io::Result<()> {
    let mut picture = Timeline::new(exhibition, rows);
    lane.play(exhibition, &mut picture).map_err(io::Error::other)?;
    let title = format!("{lane}: {exhibition}");
    match svg {
        None => write!(out, "{title}\n\n{}", picture.render(width)),
        Some(path) => {
            let document = picture.svg(&title).map_err(io::Error::other)?;
            write_whole_file(&path, document.as_bytes())?;
            writeln!(out, "wrote {}", path.display())
        }
    }
}

/// Writes `contents` to a temporary file beside `path`, then renames it into place: `path`
/// is either left as it was or holds the whole new contents, never a part.
fn write_whole_file(path: &Path, contents: &[u8]) -> io::Result<()> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let written = fs::write(&partial, contents).and_then(|()| fs::rename(&partial, path));
    if written.is_err() {
        let _ = fs::remove_file(&partial);
    }
    written.map_err(|error| io::Error::new(error.kind(), format!("{}: {error}", path.display())))
}

/// Races `lanes` at `speed`: bars on a terminal (plain lines elsewhere), then the wall-time
/// table. Ctrl-C stops the race: the bars are cleared and an `Interrupted` error returned;
/// the lanes' threads end with the process.
fn race(
    exhibition: &Exhibition,
    lanes: &[Lane],
    speed: Speed,
    out: &mut impl Write,
) -> io::Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed)).map_err(io::Error::other)?;
    writeln!(out, "Race at {speed}: {exhibition}.\n")?;
    out.flush()?; // before the bars, which draw on stdout directly
    let race = Race::start(exhibition, lanes, speed)?;
    match race::watch(race, Show::for_stdout(), &stop, out)? {
        Watched::Stopped { after } => Err(io::Error::new(
            io::ErrorKind::Interrupted,
            format!("interrupted: Ctrl-C stopped the race after {:.1} s", after.as_secs_f64()),
        )),
        Watched::Finished(finishes) => {
            write!(out, "\n{}", race::table(&finishes))?;
            match finishes.into_iter().find_map(|finish| finish.outcome.err()) {
                Some(error) => Err(io::Error::other(error)),
                None => Ok(()),
            }
        }
    }
}

/// The plan for `scale`, or the one-line error naming the flag whose rule was broken. Every
/// size is checked here, so no child is ever started for a bad one.
fn scale_plan(
    lanes: Vec<Lane>,
    boards: Vec<u32>,
    runs: u32,
    exhibition: ExhibitionArgs,
) -> Result<coro_simul::scale::Plan, String> {
    if runs == 0 {
        return Err("invalid --runs 0: each lane must play at least once".into());
    }
    let mut template = Exhibition::default();
    for &opponents in &boards {
        let size = ExhibitionArgs { opponents, ..exhibition };
        template = size.build().map_err(|message| message.replace("--opponents", "--boards"))?;
    }
    let lanes = if lanes.is_empty() { Lane::ALL.to_vec() } else { lanes };
    Ok(coro_simul::scale::Plan { lanes, boards, exhibition: template, runs })
}

/// Measures the plan, a child process per lane and size (progress on stderr), and prints the
/// Markdown table or the JSON.
fn scale(plan: &coro_simul::scale::Plan, format: &str, out: &mut impl Write) -> io::Result<()> {
    let program = std::env::current_exe()?;
    let report = coro_simul::scale::run(&program, plan, &mut |line| eprintln!("scale: {line}"));
    match format {
        "json" => write!(out, "{}", coro_simul::scale::json(&report)),
        _ => write!(out, "{}", coro_simul::scale::markdown(&report)),
    }
}

/// What a `scale` child does: measure one lane here, print one JSON line.
fn measure(lane: Lane, exhibition: &Exhibition, out: &mut impl Write) -> io::Result<()> {
    let measured = coro_simul::scale::measure(lane, exhibition).map_err(io::Error::other)?;
    writeln!(out, "{}", measured.to_json())
}

fn list(out: &mut impl Write) -> io::Result<()> {
    for &lane in Lane::ALL {
        writeln!(
            out,
            "{:<14} suspends: {}; resumed by: {}; a paused game lives in {}",
            lane.name(),
            lane.suspends(),
            lane.resumed_by(),
            lane.paused_game_lives(),
        )?;
    }
    Ok(())
}
