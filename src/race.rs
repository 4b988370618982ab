//! The race: every chosen lane plays the same exhibition at once, each on its own OS thread
//! and its own [`ScaledClock`], so the schedule can be watched as it happens.
//!
//! # How it works
//!
//! [`Race::start`] gives every lane a thread. There the lane plays exactly as it does on the
//! virtual clock — same driver, same games, same trace — but on a [`ScaledClock`]: after
//! every move of the lane's clock, the thread sleeps until the wall clock has caught up at
//! the race's [`Speed`]. The master's 5 s move at 3600x really occupies the lane's thread for
//! 1.4 ms; a wait of 55 s for a reply really sleeps 15 ms.
//!
//! ```text
//!   thread "race sync"        ──► sync::play_on(ScaledClock)        ─► (ProgressSink, Summary)
//!   thread "race callbacks"   ──► callbacks::play_on(ScaledClock)   ─► (ProgressSink, Summary)
//!   ...                                                                       │ atomics
//!   the calling thread: every 50 ms, read each lane's Progress ◄──────────────┘
//!                       and redraw its bar (or print a line); at the end, join, table
//! ```
//!
//! The lanes do not know they are racing: they report to a tee of two ordinary sinks, a
//! [`ProgressSink`] that counts into a lane's shared [`Progress`] (a few atomics), and a
//! [`Summary`]. What you see is read from those counters by whoever watches, [`watch`] for
//! the command line. When every thread is done, [`Race::finish`] joins them and hands back
//! each lane's [`Finish`]: its summary and its wall time, next to the time it should have
//! taken, its exhibition total (from its own summary) divided by the speed. A lane is never
//! early; it is late by what its own work costs on this machine (for the threads lane, a
//! trip through the kernel per handoff).
//!
//! At the default 3600x the synchronous lane takes 12 s and every concurrent lane about 1 s.
//!
//! # Stopping
//!
//! A lane cannot be stopped mid-game from outside (no lane checks for it, on purpose: the
//! lanes stay unaware of the race). So [`watch`] takes a stop flag instead, which the command
//! line's Ctrl-C handler sets: the watcher clears its bars and returns
//! [`Watched::Stopped`] within 50 ms, and the command prints one line on stderr and exits
//! with code 130, the shell's code for Ctrl-C. The lanes' threads are not joined; they end
//! with the process. That is what "cleanly" means here: the terminal is left as it was (the
//! bars never hide the cursor or change the terminal's mode, and are cleared), the exit code
//! says the race did not finish, and nothing was being written but the terminal.
//!
//! # Example
//!
//! ```
//! use coro_simul::{Exhibition, clock::Speed, lanes::Lane, race::Race};
//!
//! let exhibition = Exhibition::builder().opponents(3).pairs(2).build()?;
//! let speed: Speed = "100000x".parse()?;
//! let finishes = Race::start(&exhibition, &[Lane::Sync, Lane::Generators], speed)?.finish();
//! let sync = &finishes[0];
//! assert_eq!(sync.outcome.clone()?.total().as_secs(), 360); // 6 minutes of exhibition ...
//! assert!(sync.wall >= sync.expected().unwrap()); // ... in at least 3.6 ms of wall time
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]

mod watch;

use std::fmt::Write as _;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

pub use watch::{Show, Watched, watch};

use crate::Exhibition;
use crate::clock::{ScaledClock, Speed, Time, hms};
use crate::lanes::{Lane, LaneError};
use crate::trace::{Event, EventKind, Sink, Summary};

/// How far one lane has got, as its thread reports it: read from any thread at any time.
///
/// Each counter is on its own: a reader may see a move counted before the clock that goes
/// with it, which a progress bar shows for 50 ms at most (relaxed atomics, no lock).
#[derive(Debug, Default)]
pub struct Progress {
    moves: AtomicU64,
    boards_over: AtomicU64,
    /// Nanoseconds on the lane's clock at its latest event.
    clock: AtomicU64,
    /// Set (with `Release`) once the lane has returned, after its last count.
    done: AtomicBool,
}

impl Progress {
    /// Moves made so far, the master's and the opponents' (`2·n·p` in all).
    pub fn moves(&self) -> u64 {
        self.moves.load(Ordering::Relaxed)
    }

    /// Games over so far.
    pub fn boards_over(&self) -> u64 {
        self.boards_over.load(Ordering::Relaxed)
    }

    /// The lane's clock at its latest event.
    pub fn clock(&self) -> Time {
        Time::from_start(Duration::from_nanos(self.clock.load(Ordering::Relaxed)))
    }

    /// Whether the lane has returned. Once this is true, the counts are final (`Acquire`
    /// pairs with the lane's `Release`, after its last count).
    pub fn is_done(&self) -> bool {
        self.done.load(Ordering::Acquire)
    }
}

/// A sink that counts into a [`Progress`] another thread can read.
#[derive(Debug, Clone, Default)]
pub struct ProgressSink {
    progress: Arc<Progress>,
}

impl ProgressSink {
    /// A sink counting into `progress`.
    pub fn new(progress: Arc<Progress>) -> ProgressSink {
        ProgressSink { progress }
    }
}

impl Sink for ProgressSink {
    fn record(&mut self, event: Event) {
        let counter = match event.kind {
            EventKind::GameOver | EventKind::Adjourned | EventKind::Forfeit { .. } => {
                &self.progress.boards_over
            }
            EventKind::MasterMove { .. } | EventKind::OpponentMove { .. } => &self.progress.moves,
        };
        counter.fetch_add(1, Ordering::Relaxed);
        // A reply is recorded at its landing time, which may be earlier than the moment
        // the master has reached: the clock shows the latest time seen.
        self.progress.clock.fetch_max(event.t.as_nanos(), Ordering::Relaxed);
    }
}

/// How one lane's race ended.
#[derive(Debug, Clone)]
pub struct Finish {
    /// The lane.
    pub lane: Lane,
    /// What it played, or why the operating system would not let it.
    pub outcome: Result<Summary, LaneError>,
    /// From just before the lane's first move to its return, on the wall clock.
    pub wall: Duration,
    /// The race's speed.
    pub speed: Speed,
}

impl Finish {
    /// How long the lane should take on the wall clock: its own exhibition total divided by
    /// the speed. `None` if it could not play.
    pub fn expected(&self) -> Option<Duration> {
        let summary = self.outcome.as_ref().ok()?;
        Some(self.speed.wall(summary.total()))
    }
}

/// Lanes playing one exhibition at once, each on its own thread. See [the module docs](self).
#[derive(Debug)]
pub struct Race {
    exhibition: Exhibition,
    speed: Speed,
    runners: Vec<Runner>,
}

/// One lane's thread and what it reports.
#[derive(Debug)]
struct Runner {
    lane: Lane,
    progress: Arc<Progress>,
    thread: JoinHandle<Finish>,
}

impl Race {
    /// Starts every lane in `lanes` on its own thread, on a [`ScaledClock`] at `speed`. Each
    /// lane, once done, unparks the thread that called this (the one that will watch).
    ///
    /// # Errors
    ///
    /// If the operating system refuses a thread; the lanes already started play on, and end
    /// with the process.
    pub fn start(exhibition: &Exhibition, lanes: &[Lane], speed: Speed) -> io::Result<Race> {
        let watcher = thread::current();
        let runners = lanes
            .iter()
            .map(|&lane| {
                let progress = Arc::new(Progress::default());
                let sink = ProgressSink::new(Arc::clone(&progress));
                let (exhibition, watcher) = (*exhibition, watcher.clone());
                let thread =
                    thread::Builder::new().name(format!("race {lane}")).spawn(move || {
                        let finish = run(lane, &exhibition, speed, sink);
                        watcher.unpark();
                        finish
                    })?;
                Ok(Runner { lane, progress, thread })
            })
            .collect::<io::Result<_>>()?;
        Ok(Race { exhibition: *exhibition, speed, runners })
    }

    /// The exhibition every lane plays.
    pub fn exhibition(&self) -> &Exhibition {
        &self.exhibition
    }

    /// The speed every lane's clock runs at.
    pub fn speed(&self) -> Speed {
        self.speed
    }

    /// Each lane, and how far it has got.
    pub fn lanes(&self) -> impl Iterator<Item = (Lane, &Progress)> {
        self.runners.iter().map(|runner| (runner.lane, &*runner.progress))
    }

    /// Whether every lane's thread has ended, done or (a bug) panicked.
    pub fn is_finished(&self) -> bool {
        self.runners.iter().all(|runner| runner.thread.is_finished())
    }

    /// Waits for every lane, and returns how each ended, in the order they were given.
    ///
    /// # Panics
    ///
    /// If a lane panicked (a bug): its panic carries on here.
    pub fn finish(self) -> Vec<Finish> {
        let join = |runner: Runner| {
            runner.thread.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        };
        self.runners.into_iter().map(join).collect()
    }
}

/// A lane's thread: the lane on a fresh scaled clock, into the progress sink and a summary.
fn run(lane: Lane, exhibition: &Exhibition, speed: Speed, progress: ProgressSink) -> Finish {
    let started = Instant::now();
    let mut sinks = (progress, Summary::new(exhibition));
    let outcome = lane.play_on(exhibition, ScaledClock::new(speed), &mut sinks);
    let wall = started.elapsed();
    sinks.0.progress.done.store(true, Ordering::Release);
    Finish { lane, outcome: outcome.map(|()| sinks.1), wall, speed }
}

/// The finishes as an aligned table: each lane's exhibition time, the wall time it should
/// take at the race's speed, the wall time it took, and how much later than expected it was.
pub fn table(finishes: &[Finish]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<14} {:>10} {:>11} {:>11} {:>10}",
        "lane", "exhibition", "expected", "wall", "late by"
    );
    for finish in finishes {
        let name = finish.lane.name();
        let _ = match &finish.outcome {
            Ok(summary) => {
                let expected = finish.speed.wall(summary.total());
                writeln!(
                    out,
                    "{name:<14} {:>10} {:>11} {:>11} {:>10}",
                    hms(summary.total(), 0),
                    wall(expected),
                    wall(finish.wall),
                    wall(finish.wall.saturating_sub(expected)),
                )
            }
            Err(error) => writeln!(out, "{name:<14} cannot play: {error}"),
        };
    }
    out
}

/// A wall time in a unit that shows its size: `850 µs`, `3.6 ms`, `12.004 s`.
fn wall(length: Duration) -> String {
    match length.as_secs_f64() {
        s if s < 1e-3 => format!("{:.0} µs", s * 1e6),
        s if s < 1.0 => format!("{:.1} ms", s * 1e3),
        s => format!("{s:.3} s"),
    }
}
