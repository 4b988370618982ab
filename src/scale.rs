//! The measured table: every lane on a large exhibition, each in a fresh process, and what it
//! cost on this machine — time, memory, and how many games the machine would hold at all.
//!
//! # What is measured
//!
//! For each lane and each exhibition size (`--boards`, smallest first), [`run`] starts the
//! program again as a child process (`coro-simul measure LANE ...`, a hidden subcommand) and
//! the child calls [`measure`]: it plays the exhibition into the summary-only sink and reports
//! three readings of its own, from `/proc/self/status`:
//!
//! - **wall**: the time [`Lane::summary`] took, nothing else (not the process start);
//! - **baseline**: the resident memory (`VmRSS`) just before playing, after resetting the
//!   kernel's peak counter (`5` written to `/proc/self/clear_refs`);
//! - **peak**: the highest resident memory (`VmHWM`) from then until the end of the play.
//!
//! **Bytes per paused game** is `(peak − baseline) / boards`. Every concurrent lane makes all
//! of its games before the first move and each game lives until its last reply, so at the
//! peak all `n` games exist at once, all paused but the one the master is at. The figure is
//! what holding them cost the process: the paused games themselves *and* the driver's
//! per-game bookkeeping (a slot in the ready queue, a waker, a timer entry) and the
//! allocator's slack, counted in whole 4 KiB pages. It is not `size_of` the game's state
//! (each lane's docs give that). Resident memory counts only pages touched, so a stack
//! counts for the pages its game used, not the size reserved; the kernel's own stack for
//! each OS thread (16 KiB on x86-64 Linux) is not in any process's resident memory and is
//! not counted. The sync lane holds one game at a time and never pauses one: no figure. At a
//! few thousand boards a page more or less moves the figure by bytes per game; read it at
//! 100 000 boards and more.
//!
//! A lane plays a size only if it played the smaller ones; the largest size it played is the
//! **most games held**, and the size it could not play is reported with the reason (the
//! child's one-line error, such as the green threads' `vm.max_map_count`, or the signal that
//! killed it). At that largest size the lane plays `runs` times in all, and the row shows the
//! medians. **× state-machine** divides the lane's median wall time by the state-machine
//! lane's at the same size, in the same invocation: the state-machine lane always plays, as
//! the floor. Ratios in one run are what to compare; absolute times move with the machine's
//! load, which the table's header reports.
//!
//! # Example
//!
//! [`measure`] is what each child does; `coro-simul scale` calls it through [`run`].
//!
//! ```
//! use coro_simul::{Exhibition, lanes::Lane, scale::measure};
//!
//! let exhibition = Exhibition::builder().opponents(1_000).build()?;
//! let measured = measure(Lane::StateMachine, &exhibition)?;
//! assert_eq!(measured.boards, 1_000);
//! assert_eq!(measured.suspensions, 1_000 * 59); // every wait but the last reply's
//! if let Some(bytes) = measured.bytes_per_paused_game() {
//!     assert!(bytes < 4096); // a 16-byte enum and a queue slot, in whole pages
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::Exhibition;
use crate::lanes::{Lane, LaneError};

/// What one child process measured: one lane, one exhibition.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    /// The exhibition's boards (games).
    pub boards: u32,
    /// How long playing took on the wall clock.
    pub wall: Duration,
    /// Resident bytes just before playing; `None` where `/proc` does not say.
    pub baseline_rss: Option<u64>,
    /// The most resident bytes while playing; `None` where `/proc` does not say.
    pub peak_rss: Option<u64>,
    /// How many times a game gave control back (zero: the lane never pauses a game).
    pub suspensions: u64,
}

impl Measurement {
    /// `(peak − baseline) / boards`: see [the module docs](self#what-is-measured). `None` for
    /// a lane that never pauses a game, or where resident memory cannot be read.
    pub fn bytes_per_paused_game(&self) -> Option<u64> {
        let growth = self.peak_rss?.saturating_sub(self.baseline_rss?);
        (self.suspensions > 0).then(|| growth / u64::from(self.boards))
    }

    /// The one JSON line a child prints.
    pub fn to_json(&self) -> Value {
        json!({
            "boards": self.boards,
            "wall_seconds": self.wall.as_secs_f64(),
            "baseline_rss_bytes": self.baseline_rss,
            "peak_rss_bytes": self.peak_rss,
            "suspensions": self.suspensions,
        })
    }

    /// Reads back what [`to_json`](Self::to_json) wrote; `None` if it is not that.
    pub fn from_json(value: &Value) -> Option<Measurement> {
        Some(Measurement {
            boards: u32::try_from(value["boards"].as_u64()?).ok()?,
            wall: Duration::try_from_secs_f64(value["wall_seconds"].as_f64()?).ok()?,
            baseline_rss: value["baseline_rss_bytes"].as_u64(),
            peak_rss: value["peak_rss_bytes"].as_u64(),
            suspensions: value["suspensions"].as_u64()?,
        })
    }
}

/// Plays `exhibition` in `lane` in this process, with the summary-only sink, and measures it
/// as [the module docs](self#what-is-measured) say. Meant for a fresh process: whatever this
/// process allocated before stays in the baseline, and memory it freed may be reused.
///
/// # Errors
///
/// When the lane cannot play (the operating system refuses a stack or a thread).
pub fn measure(lane: Lane, exhibition: &Exhibition) -> Result<Measurement, LaneError> {
    // Resets VmHWM to the current VmRSS, so the peak is this play's. Where it cannot (not
    // Linux, or an old kernel), the peak may be an earlier one: still an upper bound.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let baseline_rss = status_bytes("VmRSS");
    let started = Instant::now();
    let summary = lane.summary(exhibition)?;
    let wall = started.elapsed();
    assert_eq!(summary.games_over(), u64::from(exhibition.opponents()), "every game ends");
    Ok(Measurement {
        boards: exhibition.opponents(),
        wall,
        baseline_rss,
        peak_rss: status_bytes("VmHWM"),
        suspensions: summary.suspensions(),
    })
}

/// A `kB` line of `/proc/self/status` (`VmRSS`, `VmHWM`), in bytes.
fn status_bytes(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))?;
    let kib: u64 = line.trim().strip_suffix("kB")?.trim().parse().ok()?;
    Some(kib * 1024)
}

/// What to measure: which lanes, at which sizes, how often.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The lanes, in order; the state-machine lane is added if missing (it is the floor).
    pub lanes: Vec<Lane>,
    /// The exhibition sizes to try, in boards; played smallest first.
    pub boards: Vec<u32>,
    /// The move pairs and the moves' lengths; its number of opponents is ignored.
    pub exhibition: Exhibition,
    /// How many times each lane plays its largest size (the row shows the medians).
    pub runs: u32,
}

/// One lane's row: every run it made, and the size it could not play.
#[derive(Debug, Clone)]
pub struct Row {
    /// The lane.
    pub lane: Lane,
    /// Every measurement, in the order made.
    pub runs: Vec<Measurement>,
    /// The first size the lane could not play, and the reason; `None` if it played them all.
    pub refused: Option<(u32, String)>,
}

impl Row {
    /// The largest exhibition the lane played; `None` if it played none.
    pub fn most_held(&self) -> Option<u32> {
        self.runs.iter().map(|run| run.boards).max()
    }

    /// The measurements at `boards`.
    fn at(&self, boards: u32) -> impl Iterator<Item = &Measurement> {
        self.runs.iter().filter(move |run| run.boards == boards)
    }

    /// The median wall time at `boards`, if the lane played it.
    pub fn median_wall(&self, boards: u32) -> Option<Duration> {
        median(self.at(boards).map(|run| run.wall).collect())
    }

    /// The median peak resident memory at `boards`.
    pub fn median_peak_rss(&self, boards: u32) -> Option<u64> {
        median(self.at(boards).filter_map(|run| run.peak_rss).collect())
    }

    /// The median bytes per paused game at `boards`.
    pub fn median_bytes_per_paused_game(&self, boards: u32) -> Option<u64> {
        median(self.at(boards).filter_map(Measurement::bytes_per_paused_game).collect())
    }
}

/// The middle value (the lower of the two middle ones for an even count).
fn median<T: Ord + Copy>(mut values: Vec<T>) -> Option<T> {
    values.sort_unstable();
    values.get(values.len().saturating_sub(1) / 2).copied()
}

/// The whole measurement: the machine, the plan, a row per lane.
#[derive(Debug, Clone)]
pub struct Report {
    /// CPU model, cores, kernel and load, in one line.
    pub machine: String,
    /// What was asked for.
    pub plan: Plan,
    /// One row per lane, in the plan's order.
    pub rows: Vec<Row>,
}

impl Report {
    /// `lane`'s median wall time over the state-machine lane's, at `lane`'s largest size.
    pub fn wall_ratio(&self, row: &Row) -> Option<f64> {
        let boards = row.most_held()?;
        let floor = self.rows.iter().find(|row| row.lane == Lane::StateMachine)?;
        Some(row.median_wall(boards)?.as_secs_f64() / floor.median_wall(boards)?.as_secs_f64())
    }
}

/// Measures `plan`, each lane at each size in a fresh child process of `program` (this
/// binary), telling `progress` about each child as it finishes.
pub fn run(program: &Path, plan: &Plan, progress: &mut dyn FnMut(&str)) -> Report {
    let machine = machine(); // before the children load it
    let mut lanes = plan.lanes.clone();
    if !lanes.contains(&Lane::StateMachine) {
        lanes.push(Lane::StateMachine);
    }
    let mut sizes = plan.boards.clone();
    sizes.sort_unstable();
    sizes.dedup();
    let mut child = |lane: Lane, boards: u32| {
        let measured = measure_in_child(program, lane, &plan.exhibition, boards);
        progress(&match &measured {
            Ok(run) => format!("{lane} at {} boards: {:.3} s", grouped(boards), secs(run.wall)),
            Err(reason) => format!("{lane} at {} boards: refused: {reason}", grouped(boards)),
        });
        measured
    };
    let mut rows: Vec<Row> = lanes.iter().map(|&lane| climb(lane, &sizes, &mut child)).collect();
    for row in &mut rows {
        let Some(boards) = row.most_held() else { continue };
        while row.at(boards).count() < plan.runs as usize {
            match child(row.lane, boards) {
                Ok(run) => row.runs.push(run),
                Err(_) => break, // it played this size before: a transient refusal, skip
            }
        }
    }
    // The floor, at every other lane's largest size, as often as the lane itself played.
    let floors: Vec<u32> = rows.iter().filter_map(Row::most_held).collect();
    if let Some(floor) = rows.iter_mut().find(|row| row.lane == Lane::StateMachine) {
        for boards in floors {
            while floor.at(boards).count() < plan.runs as usize {
                let Ok(run) = child(Lane::StateMachine, boards) else { break };
                floor.runs.push(run);
            }
        }
    }
    Report { machine, plan: plan.clone(), rows }
}

/// One lane, each size once, smallest first, until a size is refused.
fn climb(
    lane: Lane,
    sizes: &[u32],
    child: &mut dyn FnMut(Lane, u32) -> Result<Measurement, String>,
) -> Row {
    let mut row = Row { lane, runs: Vec::new(), refused: None };
    for &boards in sizes {
        match child(lane, boards) {
            Ok(run) => row.runs.push(run),
            Err(reason) => {
                row.refused = Some((boards, reason));
                break;
            }
        }
    }
    row
}

/// Runs `program measure LANE --opponents N ...` and reads its one JSON line, or says why
/// the child could not play.
fn measure_in_child(
    program: &Path,
    lane: Lane,
    exhibition: &Exhibition,
    boards: u32,
) -> Result<Measurement, String> {
    let nanos = |length: Duration| format!("{}ns", length.as_nanos());
    let output = Command::new(program)
        .args(["measure", lane.name(), "--opponents", &boards.to_string()])
        .args(["--pairs", &exhibition.pairs().to_string()])
        .args(["--master-move", &nanos(exhibition.master_move())])
        .args(["--opponent-move", &nanos(exhibition.opponent_move())])
        .output()
        .map_err(|error| format!("could not start {}: {error}", program.display()))?;
    if !output.status.success() {
        return Err(why_it_failed(lane, &output));
    }
    serde_json::from_slice(&output.stdout)
        .ok()
        .and_then(|value| Measurement::from_json(&value))
        .ok_or_else(|| "the child printed something other than its measurement".to_owned())
}

/// The child's one-line error without its `error: LANE: ` prefix, or the signal that ended it.
fn why_it_failed(lane: Lane, output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let line = stderr.lines().find(|line| line.starts_with("error: "));
    if let Some(line) = line {
        let message = &line["error: ".len()..];
        let prefix = format!("{lane}: ");
        return message.strip_prefix(&prefix).unwrap_or(message).to_owned();
    }
    use std::os::unix::process::ExitStatusExt as _;
    match output.status.signal() {
        Some(9) => "the process was killed (signal 9: out of memory?)".to_owned(),
        Some(signal) => format!("the process was killed by signal {signal}"),
        None => format!("the process failed ({})", output.status),
    }
}

/// CPU model, cores, kernel, and the load average as the measuring starts.
fn machine() -> String {
    let read = |path: &str| std::fs::read_to_string(path).unwrap_or_default();
    let cpuinfo = read("/proc/cpuinfo");
    let model = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name")?.split_once(':').map(|(_, v)| v.trim()))
        .unwrap_or("an unknown CPU");
    let cores = std::thread::available_parallelism().map_or(0, |cores| cores.get());
    let kernel = read("/proc/sys/kernel/osrelease");
    let loadavg = read("/proc/loadavg");
    let load = loadavg.split_whitespace().take(3).collect::<Vec<_>>().join(" ");
    let kernel = kernel.trim();
    format!("{model}, {cores} cores, Linux {kernel}, load average {load} at the start")
}

/// The report as Markdown: the machine and the exhibition, the table, then the refusals.
pub fn markdown(report: &Report) -> String {
    let exhibition = &report.plan.exhibition;
    let mut out = format!(
        "Machine: {}.\nExhibition: {} move pairs, master {}, opponents {}; each lane in a fresh \
         process, the medians of {} runs at its largest size.\n\n",
        report.machine,
        exhibition.pairs(),
        humantime::format_duration(exhibition.master_move()),
        humantime::format_duration(exhibition.opponent_move()),
        report.plan.runs,
    );
    out.push_str(
        "| lane | boards | wall | per move pair | × state-machine | peak RSS | per paused game \
         | most games held |\n|---|--:|--:|--:|--:|--:|--:|---|\n",
    );
    let mut notes = Vec::new();
    for row in &report.rows {
        let _ = writeln!(out, "| {} | {} |", row.lane, cells(report, row, &mut notes).join(" | "));
    }
    for (number, note) in notes.iter().enumerate() {
        let _ = write!(out, "\n({}) {note}\n", number + 1);
    }
    out
}

/// A row's cells after the lane's name; a refusal's reason joins `notes`.
fn cells(report: &Report, row: &Row, notes: &mut Vec<String>) -> Vec<String> {
    let dash = || "—".to_owned();
    let mut held = match (row.most_held(), &row.refused) {
        (Some(boards), None) => {
            format!("{}, no limit up to the largest size tried", grouped(boards))
        }
        (Some(boards), Some((refused, _))) => {
            format!("{}; {} refused", grouped(boards), grouped(*refused))
        }
        (None, Some((refused, _))) => format!("none; {} refused", grouped(*refused)),
        (None, None) => dash(),
    };
    if let Some((refused, reason)) = &row.refused {
        notes.push(format!("{} at {} boards: {reason}", row.lane, grouped(*refused)));
        held.push_str(&format!(" ({})", notes.len()));
    }
    let Some(boards) = row.most_held() else {
        return [vec![dash(); 6], vec![held]].concat();
    };
    let wall = row.median_wall(boards).expect("a lane that held games has runs there");
    let pairs = f64::from(boards) * f64::from(report.plan.exhibition.pairs());
    vec![
        grouped(boards),
        format!("{:.3} s", secs(wall)),
        per_pair(secs(wall) * 1e9 / pairs),
        report.wall_ratio(row).map_or_else(dash, |ratio| format!("{ratio:.2}×")),
        row.median_peak_rss(boards)
            .map_or_else(dash, |bytes| format!("{:.1} MB", bytes as f64 / 1e6)),
        row.median_bytes_per_paused_game(boards).map_or_else(dash, bytes),
        held,
    ]
}

/// The report for machines: the machine, the exhibition, and per lane its medians, its
/// limit and every run.
pub fn json(report: &Report) -> String {
    let exhibition = &report.plan.exhibition;
    let row = |row: &Row| {
        let boards = row.most_held();
        let at = |f: &dyn Fn(u32) -> Option<Value>| boards.and_then(f).unwrap_or(Value::Null);
        json!({
            "lane": row.lane.name(),
            "boards": boards,
            "wall_seconds": at(&|b| row.median_wall(b).map(|wall| json!(wall.as_secs_f64()))),
            "wall_ratio_to_state_machine": report.wall_ratio(row),
            "peak_rss_bytes": at(&|b| row.median_peak_rss(b).map(Value::from)),
            "bytes_per_paused_game": at(&|b| row.median_bytes_per_paused_game(b).map(Value::from)),
            "most_games_held": boards,
            "refused": row.refused.as_ref().map(|(boards, reason)| {
                json!({ "boards": boards, "reason": reason })
            }),
            "runs": row.runs.iter().map(Measurement::to_json).collect::<Vec<_>>(),
        })
    };
    let value = json!({
        "machine": report.machine,
        "pairs": exhibition.pairs(),
        "master_move_seconds": exhibition.master_move().as_secs_f64(),
        "opponent_move_seconds": exhibition.opponent_move().as_secs_f64(),
        "runs": report.plan.runs,
        "lanes": report.rows.iter().map(row).collect::<Vec<_>>(),
    });
    serde_json::to_string_pretty(&value).expect("JSON values always serialise") + "\n"
}

fn secs(length: Duration) -> f64 {
    length.as_secs_f64()
}

/// Nanoseconds for people: `15.7 ns`, `169.3 µs`.
fn per_pair(ns: f64) -> String {
    if ns < 1_000.0 { format!("{ns:.1} ns") } else { format!("{:.1} µs", ns / 1_000.0) }
}

/// A byte count for people: `184 B`, `4.1 KiB`.
fn bytes(count: u64) -> String {
    match count {
        0..1024 => format!("{count} B"),
        _ => format!("{:.1} KiB", count as f64 / 1024.0),
    }
}

/// `1000000` as `1 000 000`.
fn grouped(number: u32) -> String {
    let digits = number.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measured(boards: u32, wall_ms: u64, growth: u64) -> Measurement {
        Measurement {
            boards,
            wall: Duration::from_millis(wall_ms),
            baseline_rss: Some(1 << 20),
            peak_rss: Some((1 << 20) + growth),
            suspensions: 1,
        }
    }

    #[test]
    fn numbers_read_at_a_glance() {
        assert_eq!(grouped(1_000_000), "1 000 000");
        assert_eq!(grouped(100), "100");
        assert_eq!(bytes(184), "184 B");
        assert_eq!(bytes(4200), "4.1 KiB");
        assert_eq!(per_pair(15.74), "15.7 ns");
        assert_eq!(per_pair(169_327.8), "169.3 µs");
        assert_eq!(median(vec![3, 1, 2]), Some(2));
        assert_eq!(median(vec![4, 1, 3, 2]), Some(2));
        assert_eq!(median(Vec::<u32>::new()), None);
    }

    #[test]
    fn a_measurement_survives_its_json_line() {
        let run = measured(1000, 250, 20_000);
        assert_eq!(Measurement::from_json(&run.to_json()), Some(run.clone()));
        assert_eq!(run.bytes_per_paused_game(), Some(20));
        let never_pauses = Measurement { suspensions: 0, ..run };
        assert_eq!(never_pauses.bytes_per_paused_game(), None);
    }

    #[test]
    fn a_refused_lane_keeps_its_row_and_gets_a_note() {
        let plan = Plan {
            lanes: vec![Lane::StateMachine, Lane::GreenThreads],
            boards: vec![10, 100],
            exhibition: Exhibition::default(),
            runs: 1,
        };
        let floor = Row {
            lane: Lane::StateMachine,
            runs: vec![measured(10, 1, 0), measured(100, 10, 4096)],
            refused: None,
        };
        let green = Row {
            lane: Lane::GreenThreads,
            runs: vec![measured(10, 3, 40960)],
            refused: Some((100, "the OS said no".to_owned())),
        };
        let report = Report { machine: "a test".to_owned(), plan, rows: vec![floor, green] };
        assert_eq!(report.wall_ratio(&report.rows[1]), Some(3.0)); // at its largest size, 10
        let table = markdown(&report);
        assert!(table.contains("| 100, no limit up to the largest size tried |"), "{table}");
        assert!(table.contains("| 4.0 KiB | 10; 100 refused (1) |"), "{table}");
        assert!(table.ends_with("\n(1) green-threads at 100 boards: the OS said no\n"), "{table}");
    }
}
