//! The articles' table, answered by measurement: processes, threads and async side by side,
//! each verdict derived from a number measured in this run, or marked "by construction".
//!
//! The source articles compare the three models in a table: does it optimise waiting
//! periods, does it use all CPU cores, how far does it scale, can it use the blocking
//! standard library, does the GIL interfere. [`measure`] plays what the rows need, and each
//! cell says where its verdict comes from:
//!
//! - **waiting**, measured: the exhibition's total in each lane; "yes" when it is shorter
//!   than the synchronous total ([`Answers::optimises_waiting`]);
//! - **cores**, measured: cores used in the CPU-bound exhibition ([`cores`]) by each lane,
//!   the async lane thinking on its executor's one thread; "yes" from [`ALL_CORES`] of the
//!   cores this machine has ([`Answers::uses_all_cores`]);
//! - **scale**, measured, with no verdict: a probe of a fixed number of games held at once
//!   (one move pair each), how long it took or the operating system's refusal, beside the
//!   lane's cap (`coro-simul scale` measures further);
//! - **blocking**: for async, measured: the `blocking-wait` pitfall, "no" when one blocking
//!   wait makes the exhibition longer ([`Answers::blocking_stalls_async`]); for processes
//!   and threads, by construction: they play the plain blocking game;
//! - **the GIL**, by construction: Rust has none, whatever the model.
//!
//! Python's answers, beside Rust's where the two differ, are the articles' own. The totals
//! and the pitfall play on the virtual clock and never change; the cores and the probe are
//! this machine's, on this run.
//!
//! # Example
//!
//! ```
//! use coro_simul::articles::{Answers, markdown};
//!
//! let table = markdown(&Answers::example());
//! assert!(table.contains("| optimises waiting | yes: 1:00:55, where one game at a time takes 12:00:00 |"));
//! ```

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use crate::Exhibition;
use crate::clock::hms;
use crate::cores::{self, THINKING_STEPS};
use crate::lanes::{Lane, LaneError, processes, threads};
use crate::pitfalls::{Options, Pitfall};
use crate::trace::Summary;
use crate::units::{grouped, seconds};

/// The table's three models, as this crate's lanes.
pub const MODELS: [Lane; 3] = [Lane::Processes, Lane::Threads, Lane::AsyncAwait];

/// The share of this machine's cores a lane must keep busy, on average, for "uses all CPU
/// cores" to read "yes": 85 %, room for the coordinator's hand-offs and other programs.
pub const ALL_CORES: f64 = 0.85;

/// How many games the probe holds at once in each of [`MODELS`]: the probe's inputs, not a
/// result, each under its lane's cap and small enough for a quick run.
pub const PROBE_GAMES: [u32; 3] = [500, 5_000, 100_000];

/// What [`measure`] found: every figure a cell quotes.
#[derive(Debug, Clone, PartialEq)]
pub struct Answers {
    /// The story's exhibition played one game at a time: 12:00:00.
    pub synchronous: Duration,
    /// The story's exhibition in each of [`MODELS`].
    pub totals: [Duration; 3],
    /// Cores used in the CPU-bound exhibition by each of [`MODELS`].
    pub cores: [f64; 3],
    /// The machine's cores.
    pub cores_here: usize,
    /// The probe in each of [`MODELS`]: [`PROBE_GAMES`] games held at once.
    pub probes: [Probe; 3],
    /// The `blocking-wait` pitfall's totals: the broken version, then the fixed one.
    pub blocking: (Duration, Duration),
}

/// One lane's probe: how many games it was asked to hold at once, and how it went.
#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    /// The games asked for, all at once, one move pair each.
    pub games: u32,
    /// How long they took on the wall clock, or the lane's refusal (a thread or a process
    /// the operating system would not give, under `ulimit -u` or a container's pids limit).
    pub outcome: Result<Duration, LaneError>,
}

impl Answers {
    /// Answers with this crate's deterministic figures and made-up measured ones, to show the
    /// table's shape.
    pub fn example() -> Answers {
        let (hour, twelve) = (Duration::from_secs(3655), Duration::from_secs(12 * 3600));
        let played = |games| Probe { games, outcome: Ok(Duration::from_secs(1)) };
        Answers {
            synchronous: twelve,
            totals: [hour; 3],
            cores: [1.9, 1.9, 1.0],
            cores_here: 2,
            probes: PROBE_GAMES.map(played),
            blocking: (twelve, hour),
        }
    }

    /// Whether [`MODELS`]`[model]` optimises waiting: its total is shorter than one game at
    /// a time.
    pub fn optimises_waiting(&self, model: usize) -> bool {
        self.totals[model] < self.synchronous
    }

    /// The cores a lane must keep busy for "yes": [`ALL_CORES`] of this machine's.
    pub fn all_cores_bar(&self) -> f64 {
        ALL_CORES * self.cores_here as f64
    }

    /// Whether [`MODELS`]`[model]` used all CPU cores: at least [`Answers::all_cores_bar`].
    pub fn uses_all_cores(&self, model: usize) -> bool {
        self.cores[model] >= self.all_cores_bar()
    }

    /// Whether a blocking wait inside an async game stalls the exhibition: the pitfall's
    /// broken total is longer than its fixed one.
    pub fn blocking_stalls_async(&self) -> bool {
        self.blocking.0 > self.blocking.1
    }
}

/// Plays what the table needs, in this process: the totals, the CPU-bound exhibition (24
/// boards × 10 pairs), the probe ([`PROBE_GAMES`], one pair each) and the pitfall. A few
/// seconds in a release build.
///
/// # Errors
///
/// When a lane cannot play the totals or the CPU-bound exhibition (the operating system
/// refuses a thread or a process). A refused probe is not an error: it is in its cell.
pub fn measure() -> Result<Answers, LaneError> {
    let story = Exhibition::default();
    let total = |lane: Lane| lane.summary(&story).map(|summary| summary.total());
    let thinking = Exhibition::builder().pairs(10).opponents_think(THINKING_STEPS).build();
    let thinking = thinking.expect("a valid exhibition");
    let used = |lane| cores::measure(lane, &thinking).map(|used| used.cores());
    // On the story's own exhibition the pitfall always plays; its only refusal would be a
    // lane's, which is what this function reports.
    let blocking = Pitfall::BlockingWait
        .run(&story, &Options::default())
        .map_err(|error| LaneError::new(Lane::AsyncAwait, error.to_string()))?;
    let waits = |run: &crate::pitfalls::Run| run.trace.summary().total();
    Ok(Answers {
        synchronous: total(Lane::Sync)?,
        totals: [total(MODELS[0])?, total(MODELS[1])?, total(MODELS[2])?],
        cores: [used(MODELS[0])?, used(MODELS[1])?, used(MODELS[2])?],
        cores_here: std::thread::available_parallelism().map_or(1, |cores| cores.get()),
        probes: [0, 1, 2].map(|model| probe(MODELS[model], PROBE_GAMES[model])),
        blocking: (waits(&blocking.broken), waits(&blocking.fixed)),
    })
}

/// `games` games of one move pair in `lane`, all held at once: how long it took, or why the
/// lane refused.
fn probe(lane: Lane, games: u32) -> Probe {
    let exhibition = Exhibition::builder().opponents(games).pairs(1).build();
    let exhibition = exhibition.expect("a valid exhibition");
    let started = Instant::now();
    let outcome = lane.play(&exhibition, &mut Summary::new(&exhibition));
    Probe { games, outcome: outcome.map(|()| started.elapsed()) }
}

/// The table as Markdown: a row per question, a column per model.
pub fn markdown(answers: &Answers) -> String {
    let mut out = String::from("| | processes | threads | async |\n|---|---|---|---|\n");
    let rows = [
        ("optimises waiting", waiting(answers)),
        ("uses all CPU cores", all_cores(answers)),
        ("scalability (Python: low, medium, high)", scalability(answers)),
        ("can use the blocking standard library", blocking_library(answers)),
        ("the GIL interferes", gil()),
    ];
    for (question, cells) in rows {
        let _ = writeln!(out, "| {question} | {} |", cells.join(" | "));
    }
    out
}

/// "yes" or "no", for a verdict derived from a measurement.
fn yes_no(verdict: bool) -> &'static str {
    if verdict { "yes" } else { "no" }
}

/// A length as the traces show it: hours, minutes, seconds.
fn time(length: Duration) -> String {
    hms(length, 0)
}

/// Each model's total, "yes" when shorter than the synchronous one.
fn waiting(a: &Answers) -> [String; 3] {
    let [first, second, third] = [0, 1, 2]
        .map(|model| format!("{}: {}", yes_no(a.optimises_waiting(model)), time(a.totals[model])));
    [format!("{first}, where one game at a time takes {}", time(a.synchronous)), second, third]
}

/// Each model's cores used, "yes" from [`ALL_CORES`] of the machine's.
fn all_cores(a: &Answers) -> [String; 3] {
    let [processes, threads, in_async] = [0, 1, 2].map(|model| {
        let (used, bar, share) = (a.cores[model], a.all_cores_bar(), ALL_CORES * 100.0);
        let measured =
            format!("{used:.2} of {} cores (yes from {bar:.2}, {share:.0} %)", a.cores_here);
        (yes_no(a.uses_all_cores(model)), measured)
    });
    // Why the async lane falls short, and the way out, only where it does.
    let pool = if a.uses_all_cores(2) {
        ""
    } else {
        "; its executor is one thread: yes if the work goes to a thread pool (`spawn_blocking`)"
    };
    [
        format!("{}: {}", processes.0, processes.1),
        format!("Python: no, the GIL. Rust: {}, {}", threads.0, threads.1),
        format!("{}: {}{pool}", in_async.0, in_async.1),
    ]
}

/// Each model's probe, beside its cap.
fn scalability(a: &Answers) -> [String; 3] {
    let caps = [
        format!("the lane's cap: {}", grouped(processes::MAX_PROCESSES)),
        format!("the lane's cap: {}", grouped(threads::MAX_THREADS)),
        "no cap; `coro-simul scale` goes to a million".to_owned(),
    ];
    [0, 1, 2].map(|model| {
        let probe = &a.probes[model];
        let outcome = match &probe.outcome {
            Ok(took) => format!("played in {}", seconds(*took, 2)),
            // A pipe would end the Markdown cell early.
            Err(refusal) => format!("refused: {}", refusal.to_string().replace('|', "\\|")),
        };
        format!("a probe of {} games: {outcome} ({})", grouped(probe.games), caps[model])
    })
}

/// By construction for processes and threads; the pitfall's totals for async.
fn blocking_library(a: &Answers) -> [String; 3] {
    let (broken, fixed) = (time(a.blocking.0), time(a.blocking.1));
    let pitfall = "(`coro-simul pitfall blocking-wait`)";
    let plain = || "yes, by construction: the lane plays the plain blocking game".to_owned();
    let in_async = if a.blocking_stalls_async() {
        format!("no: one blocking wait and the exhibition takes {broken}, not {fixed} {pitfall}")
    } else {
        format!(
            "yes: with one blocking wait the exhibition takes {broken}, without {fixed} {pitfall}"
        )
    };
    [plain(), plain(), in_async]
}

/// By construction: Rust has no GIL.
fn gil() -> [String; 3] {
    let rust = "no, by construction: Rust has no GIL";
    [
        format!("{rust} (Python: no, one interpreter per process)"),
        format!(
            "{rust}, its threads' cores are in the row above (Python: yes, one thread runs Python at a time)"
        ),
        format!("{rust} (Python: no, one thread anyway)"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cells that come from the virtual clock, whatever the machine.
    #[test]
    fn the_deterministic_cells() {
        let table = markdown(&Answers::example());
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 2 + 5, "{table}");
        assert!(lines[2].ends_with("| yes: 1:00:55 | yes: 1:00:55 |"), "{table}");
        assert!(lines[3].contains("Python: no, the GIL. Rust: yes, 1.90 of 2 cores"), "{table}");
        assert!(lines[4].contains("2 000)"), "{table}");
        assert!(lines[5].contains("takes 12:00:00, not 1:00:55"), "{table}");
    }

    /// Each verdict follows its rule, both ways, on made-up answers.
    #[test]
    fn verdicts_follow_the_numbers() {
        let mut answers = Answers::example();
        answers.totals =
            [Duration::from_secs(3655), Duration::from_secs(12 * 3600), Duration::ZERO];
        assert_eq!([0, 1, 2].map(|model| answers.optimises_waiting(model)), [true, false, true]);
        answers.cores = [1.70, 1.69, 1.0];
        assert_eq!([0, 1, 2].map(|model| answers.uses_all_cores(model)), [true, false, false]);
        answers.cores_here = 1;
        assert!(answers.uses_all_cores(2), "one core of one is all of them");
        assert!(answers.blocking_stalls_async());
        answers.blocking = (Duration::from_secs(3655), Duration::from_secs(3655));
        assert!(!answers.blocking_stalls_async());
    }

    /// The cells say what the verdicts say: "no" where the numbers say no.
    #[test]
    fn cells_show_the_derived_verdicts() {
        let mut answers = Answers::example();
        answers.totals[1] = answers.synchronous;
        answers.cores = [1.69, 1.0, 1.0];
        answers.blocking.0 = answers.blocking.1;
        let table = markdown(&answers);
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines[2].contains("| no: 12:00:00 |"), "{table}");
        assert!(lines[3].contains("| no: 1.69 of 2 cores (yes from 1.70, 85 %) |"), "{table}");
        assert!(lines[3].contains("Rust: no, 1.00 of 2 cores"), "{table}");
        assert!(lines[5].ends_with("| yes: with one blocking wait the exhibition takes 1:00:55, without 1:00:55 (`coro-simul pitfall blocking-wait`) |"), "{table}");
        assert_eq!(lines[6].matches("by construction").count(), 3, "{table}");
    }

    /// A refused probe is a cell, not a failed table.
    #[test]
    fn a_refused_probe_shows_in_its_cell() {
        let mut answers = Answers::example();
        let refusal = LaneError::new(Lane::Threads, "the OS said no | twice");
        answers.probes[1].outcome = Err(refusal);
        let table = markdown(&answers);
        let row = table.lines().nth(4).unwrap();
        assert!(row.contains("| a probe of 5 000 games: refused: threads: the OS said no \\| twice (the lane's cap: "), "{table}");
        assert!(row.contains("| a probe of 500 games: played in 1.00 s ("), "{table}");
    }
}
