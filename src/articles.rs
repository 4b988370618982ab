//! The articles' table, answered by measurement: processes, threads and async side by side,
//! each cell this crate's measured answer, with Python's beside it where the two differ.
//!
//! The source articles compare the three models in a table: does it optimise waiting
//! periods, does it use all CPU cores, how far does it scale, can it use the blocking
//! standard library, does the GIL interfere. [`measure`] answers each row by playing:
//!
//! - **waiting**: the exhibition's total in each lane, against the synchronous one;
//! - **cores**: the CPU-bound exhibition ([`cores`]), cores used; the async
//!   lane's executor is one thread, so its cell quotes a single-threaded lane that thinks;
//! - **scale**: a quick probe, many games held at once (one move pair), beside the lane's cap
//!   (`coro-simul scale` measures further);
//! - **blocking**: the `blocking-wait` pitfall, a blocking wait inside an async game;
//! - **the GIL**: Rust has none, so the threads row of "cores" is the answer.
//!
//! The totals and the pitfall play on the virtual clock and never change; the cores and the
//! probe are this machine's, on this run.
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

/// What [`measure`] found: every figure a cell quotes.
#[derive(Debug, Clone, PartialEq)]
pub struct Answers {
    /// The story's exhibition played one game at a time: 12:00:00.
    pub synchronous: Duration,
    /// The story's exhibition in each of [`MODELS`].
    pub totals: [Duration; 3],
    /// Cores used in the CPU-bound exhibition by processes and threads.
    pub cores: [f64; 2],
    /// Cores used by a single-threaded lane that thinks (generators), for the async cell.
    pub one_thread: f64,
    /// The machine's cores.
    pub cores_here: usize,
    /// The quick probe in each of [`MODELS`]: games held at once, and how long it took.
    pub held: [(u32, Duration); 3],
    /// The `blocking-wait` pitfall's totals: the broken version, then the fixed one.
    pub blocking: (Duration, Duration),
}

impl Answers {
    /// Answers with this crate's deterministic figures and made-up measured ones, to show the
    /// table's shape.
    pub fn example() -> Answers {
        let (hour, twelve) = (Duration::from_secs(3655), Duration::from_secs(12 * 3600));
        let second = Duration::from_secs(1);
        Answers {
            synchronous: twelve,
            totals: [hour; 3],
            cores: [1.9, 1.9],
            one_thread: 1.0,
            cores_here: 2,
            held: [(500, second), (5_000, second), (100_000, second)],
            blocking: (twelve, hour),
        }
    }
}

/// Plays what the table needs, in this process: the totals, the CPU-bound exhibition (24
/// boards × 10 pairs), the probe (500 processes, 5 000 threads, 100 000 async games, one pair
/// each) and the pitfall. A few seconds in a release build.
///
/// # Errors
///
/// When a lane cannot play (the operating system refuses a thread or a process).
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
        cores: [used(Lane::Processes)?, used(Lane::Threads)?],
        one_thread: used(Lane::Generators)?,
        cores_here: std::thread::available_parallelism().map_or(1, |cores| cores.get()),
        held: [probe(MODELS[0], 500)?, probe(MODELS[1], 5_000)?, probe(MODELS[2], 100_000)?],
        blocking: (waits(&blocking.broken), waits(&blocking.fixed)),
    })
}

/// `boards` games of one move pair in `lane`, all held at once: how long it took.
fn probe(lane: Lane, boards: u32) -> Result<(u32, Duration), LaneError> {
    let exhibition = Exhibition::builder().opponents(boards).pairs(1).build();
    let exhibition = exhibition.expect("a valid exhibition");
    let started = Instant::now();
    lane.play(&exhibition, &mut Summary::new(&exhibition))?;
    Ok((boards, started.elapsed()))
}

/// The table as Markdown: a row per question, a column per model.
pub fn markdown(answers: &Answers) -> String {
    let mut out = String::from("| | processes | threads | async |\n|---|---|---|---|\n");
    for (question, cells) in rows(answers) {
        let _ = writeln!(out, "| {question} | {} |", cells.join(" | "));
    }
    out
}

/// Each question and its three cells.
fn rows(a: &Answers) -> [(&'static str, [String; 3]); 5] {
    let time = |length: Duration| hms(length, 0);
    let [first, second, third] = a.totals.map(|total| format!("yes: {}", time(total)));
    let sync = time(a.synchronous);
    let waiting = [format!("{first}, where one game at a time takes {sync}"), second, third];
    let [processes, threads] = a.cores.map(|used| format!("{used:.2} of {} cores", a.cores_here));
    let held = |(boards, took): (u32, Duration), cap: String| {
        format!("{} games held at once in {}{cap}", grouped(boards), seconds(took, 2))
    };
    [
        ("optimises waiting", waiting),
        (
            "uses all CPU cores",
            [
                format!("yes: {processes}"),
                format!("Python: no, the GIL. Rust: yes, {threads}"),
                format!(
                    "no: one thread, {:.2} core (a single-threaded lane); yes if the work goes \
                     to a thread pool (`spawn_blocking`)",
                    a.one_thread
                ),
            ],
        ),
        (
            "scalability (Python: low, medium, high)",
            [
                held(
                    a.held[0],
                    format!(" (the lane's cap: {})", grouped(processes::MAX_PROCESSES)),
                ),
                held(a.held[1], format!(" (the lane's cap: {})", grouped(threads::MAX_THREADS))),
                held(a.held[2], " (no cap; `coro-simul scale` goes to a million)".to_owned()),
            ],
        ),
        (
            "can use the blocking standard library",
            [
                "yes: the plain blocking game".to_owned(),
                "yes: the plain blocking game".to_owned(),
                format!(
                    "no: one blocking wait and the exhibition takes {}, not {} \
                     (`coro-simul pitfall blocking-wait`)",
                    time(a.blocking.0),
                    time(a.blocking.1)
                ),
            ],
        ),
        (
            "the GIL interferes",
            [
                "no: one interpreter per process (Rust: no GIL)".to_owned(),
                format!("Python: yes, one thread runs Python at a time. Rust: no GIL, {threads}"),
                "no: one thread anyway (Rust: no GIL)".to_owned(),
            ],
        ),
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
}
