//! Pitfalls you can run: the ways cooperative code goes wrong, each played on the exhibition
//! next to its fix.
//!
//! Cooperative concurrency works only if every game *gives control back* while it waits, and
//! only if somebody actually runs the games. Each pitfall below breaks one of those promises
//! in one line, plays the same exhibition broken and fixed, and measures the damage:
//! `coro-simul pitfall NAME` prints both, `coro-simul pitfall --list` names them all.
//!
//! # The pitfalls
//!
//! **[`blocking-wait`](blocking_wait)** — an async game waits for its opponent with a blocking
//! call (Python's `time.sleep(55)` in a coroutine) instead of `sleep(..).await`. The executor
//! is still there, but a blocking call never returns `Pending`, so it never gets control back
//! while the opponent thinks: every wait happens on everyone's time, and the exhibition takes
//! the synchronous 12:00:00 instead of 1:00:55. Nothing warns you; it just runs slowly.
//!
//! **[`cpu-hog`](cpu_hog)** — one game does ten minutes of analysis (CPU-bound work, the
//! master's own time) in one piece. It waits for nothing, so it never yields, and every other
//! opponent's reply sits unanswered until it is done: the longest wait for an answer jumps
//! from one minute to eleven. The fix cuts the work into pieces and gives the loop back
//! between them (`yield_now().await`, asyncio's `await asyncio.sleep(0)`): the same analysis,
//! in between the other boards' moves — fair to them, slower for board 1 itself.
//!
//! **[`lazy-future`](lazy_future)** — calling an `async fn` runs none of it: it returns a
//! future, and a future does nothing until someone awaits or polls it. Create the games and
//! forget to hand them to the executor, and the exhibition "ends" at 0:00:00 with no move
//! played. Python warns at run time ("coroutine 'game' was never awaited"); Rust warns at
//! compile time, because futures are `#[must_use]`.
//!
//! **[`unprimed-generator`](unprimed_generator)** — a generator that has not started yet is
//! not waiting at a `yield`, so nothing can receive the first value sent into it. Python
//! refuses it (`TypeError: can't send non-None value to a just-started generator`); genawaiter
//! silently drops it. A driver that sends the first reply into a fresh game loses that reply:
//! the game asks for its first move again, and every game plays one pair more.
//!
//! **[`blocking-green-thread`](blocking_green_thread)** — a green thread that calls a truly
//! blocking wait (an OS sleep) instead of the lane's suspending one stops the whole OS
//! thread, and with it every green thread on it: gevent without monkey-patching. The same
//! 12:00:00 as the blocking async wait, from code that looks exactly like the working one.
//!
//! # The slow-callback detector
//!
//! asyncio's debug mode warns "Executing <Task …> took 600.000 seconds" when one step of a
//! task holds the event loop longer than `slow_callback_duration`. The callback loop
//! ([`EventLoop::report_slow_callbacks`]) and the async executor
//! ([`Executor::report_slow_polls`]) can do the same on virtual time, off by default. The
//! pitfall runs turn it on ([`Options::slow_threshold`], `--slow-threshold`, 10 s unless told)
//! and name the board whose game held the loop; the green-thread runs watch their hub the same
//! way (gevent's `max_blocking_time`). The master's own moves (5 s) stay under the threshold;
//! a blocking wait (a 60 s poll) or a ten-minute analysis does not.
//!
//! [`EventLoop::report_slow_callbacks`]: crate::lanes::callbacks::EventLoop::report_slow_callbacks
//! [`Executor::report_slow_polls`]: crate::lanes::async_await::executor::Executor::report_slow_polls
//!
//! # Example
//!
//! ```
//! use std::time::Duration;
//! use coro_simul::{Exhibition, pitfalls::{Options, Pitfall}};
//!
//! let report = Pitfall::BlockingWait.run(&Exhibition::default(), &Options::default())?;
//! assert_eq!(report.broken.trace.summary().total(), Duration::from_secs(12 * 3600));
//! assert_eq!(report.fixed.trace.summary().total(), Duration::from_secs(3655));
//! // Every poll of the broken games held the executor for a whole move pair, 60 s.
//! let slow = &report.broken.watched.as_ref().unwrap().slow;
//! assert_eq!((slow.len(), slow[0].board, slow[0].took.as_secs()), (720, 1, 60));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]

mod async_table;
pub mod blocking_green_thread;
pub mod blocking_wait;
pub mod cli;
pub mod cpu_hog;
pub mod lazy_future;
pub mod unprimed_generator;

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use crate::Exhibition;
use crate::clock::{Time, fraction_digits, hms};
use crate::lanes::LaneError;
use crate::trace::{EventKind, Trace};

/// A way cooperative code goes wrong; see [the module docs](self).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pitfall {
    /// [`blocking_wait`]: a blocking wait inside an async game.
    BlockingWait,
    /// [`cpu_hog`]: a long computation that never yields.
    CpuHog,
    /// [`lazy_future`]: futures created and never awaited.
    LazyFuture,
    /// [`unprimed_generator`]: a value sent into a generator that has not started.
    UnprimedGenerator,
    /// [`blocking_green_thread`]: a truly blocking wait on a green thread.
    BlockingGreenThread,
}

impl Pitfall {
    /// Every pitfall, in the order `--list` shows them.
    pub const ALL: &'static [Pitfall] = &[
        Pitfall::BlockingWait,
        Pitfall::CpuHog,
        Pitfall::LazyFuture,
        Pitfall::UnprimedGenerator,
        Pitfall::BlockingGreenThread,
    ];

    /// The pitfall's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Pitfall::BlockingWait => "blocking-wait",
            Pitfall::CpuHog => "cpu-hog",
            Pitfall::LazyFuture => "lazy-future",
            Pitfall::UnprimedGenerator => "unprimed-generator",
            Pitfall::BlockingGreenThread => "blocking-green-thread",
        }
    }

    /// What goes wrong, in one line.
    pub fn about(self) -> &'static str {
        match self {
            Pitfall::BlockingWait => {
                "an async game waits with a blocking call (time.sleep) instead of sleep().await"
            }
            Pitfall::CpuHog => "one game analyses for ten minutes in one piece, never yielding",
            Pitfall::LazyFuture => "the games' futures are created but never awaited",
            Pitfall::UnprimedGenerator => {
                "the first reply is sent into a generator not yet started"
            }
            Pitfall::BlockingGreenThread => {
                "a green thread waits with an OS sleep instead of the hub's (unpatched gevent)"
            }
        }
    }

    /// Plays `exhibition` broken and fixed.
    ///
    /// # Errors
    ///
    /// Only `blocking-green-thread`, when the operating system refuses a green thread's stack
    /// (see [`green_threads`](crate::lanes::green_threads)).
    pub fn run(self, exhibition: &Exhibition, options: &Options) -> Result<Report, LaneError> {
        let play = |version| -> Result<Run, LaneError> {
            Ok(match self {
                Pitfall::BlockingWait => blocking_wait::run(exhibition, version, options),
                Pitfall::CpuHog => cpu_hog::run(exhibition, version, options),
                Pitfall::LazyFuture => lazy_future::run(exhibition, version, options),
                Pitfall::UnprimedGenerator => unprimed_generator::run(exhibition, version),
                Pitfall::BlockingGreenThread => {
                    blocking_green_thread::run(exhibition, version, options)?
                }
            })
        };
        let (broken, fixed) = (play(Version::Broken)?, play(Version::Fixed)?);
        Ok(Report { pitfall: self, exhibition: *exhibition, broken, fixed })
    }
}

impl fmt::Display for Pitfall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A pitfall name that is not one of [`Pitfall::ALL`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownPitfall(pub String);

impl fmt::Display for UnknownPitfall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Pitfall::ALL.iter().map(|pitfall| pitfall.name()).collect();
        write!(f, "unknown pitfall '{}' (choose one of: {})", self.0, names.join(", "))
    }
}

impl std::error::Error for UnknownPitfall {}

impl FromStr for Pitfall {
    type Err = UnknownPitfall;

    fn from_str(name: &str) -> Result<Pitfall, UnknownPitfall> {
        (Pitfall::ALL.iter().copied())
            .find(|pitfall| pitfall.name() == name)
            .ok_or_else(|| UnknownPitfall(name.to_owned()))
    }
}

/// Which side of a pitfall to play.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Version {
    /// With the mistake.
    Broken,
    /// With the fix.
    Fixed,
}

/// How to run a pitfall.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Report every poll, callback or switch that holds the loop longer than this; `None`
    /// turns the detector off. 10 s by default: longer than any of the master's own moves.
    pub slow_threshold: Option<Duration>,
}

impl Default for Options {
    fn default() -> Options {
        Options { slow_threshold: Some(Duration::from_secs(10)) }
    }
}

/// A pitfall played broken and fixed on one exhibition. Its `Display` is what
/// `coro-simul pitfall NAME` prints.
#[derive(Debug, Clone)]
pub struct Report {
    /// The pitfall.
    pub pitfall: Pitfall,
    /// The exhibition both versions played.
    pub exhibition: Exhibition,
    /// With the mistake.
    pub broken: Run,
    /// With the fix.
    pub fixed: Run,
}

/// One version of a pitfall, played.
#[derive(Debug, Clone)]
pub struct Run {
    /// The line of code that differs, in a few words.
    pub code: &'static str,
    /// Every event, and the summary.
    pub trace: Trace,
    /// What the slow-callback detector saw; `None` when it was off or there is no loop to
    /// watch (a generator driver has none).
    pub watched: Option<Watched>,
    /// Anything else the pitfall measured, in a sentence or two (a line each).
    pub note: Option<String>,
}

impl Run {
    /// How long the opponents' replies sat unanswered; see [`Waits`].
    pub fn waits(&self) -> Waits {
        Waits::of(&self.trace)
    }
}

/// What a slow-callback detector saw in one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watched {
    /// What it timed, in the singular: `poll`, `switch`.
    pub what: &'static str,
    /// What was held meanwhile: `the executor`, `the hub`.
    pub holder: &'static str,
    /// Anything longer was reported.
    pub threshold: Duration,
    /// What was reported, in the order the steps ended.
    pub slow: Vec<Slow>,
}

/// One step of one game that held the loop longer than the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slow {
    /// The board whose game it was.
    pub board: u32,
    /// When the step began.
    pub started: Time,
    /// How long nothing else could run.
    pub took: Duration,
}

/// How long opponents' replies sat unanswered: for each reply, the time from its
/// `opponent_move` to the master's next `master_move` on that board (a game's last reply is
/// never answered, and does not count).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Waits {
    /// How many replies were answered.
    pub replies: u64,
    /// The longest any of them waited.
    pub longest: Duration,
    /// All their waits added up.
    pub total: Duration,
}

impl Waits {
    /// Measures every board of `trace`, taking its events in the contract's order.
    pub fn of(trace: &Trace) -> Waits {
        Waits::of_boards(trace, |_| true)
    }

    /// Measures the boards of `trace` for which `measured(board)` holds.
    pub fn of_boards(trace: &Trace, measured: impl Fn(u32) -> bool) -> Waits {
        let mut events = trace.events().to_vec();
        events.retain(|event| measured(event.board));
        events.sort_by_key(|event| event.order_key());
        let mut landed: Vec<Option<Time>> = Vec::new(); // board b's unanswered reply at b − 1
        let mut waits = Waits::default();
        for event in events {
            let index = event.board as usize - 1;
            if landed.len() <= index {
                landed.resize(index + 1, None);
            }
            match event.kind {
                EventKind::OpponentMove { .. } => landed[index] = Some(event.t),
                EventKind::MasterMove { .. } => {
                    if let Some(reply) = landed[index].take() {
                        waits.add(event.t - reply);
                    }
                }
                EventKind::GameOver => landed[index] = None,
            }
        }
        waits
    }

    fn add(&mut self, wait: Duration) {
        self.replies += 1;
        self.longest = self.longest.max(wait);
        self.total += wait;
    }
}

impl fmt::Display for Report {
    /// The two versions one above the other; see `snapshots/pitfall_*.snap`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}: {}", self.pitfall, self.pitfall.about())?;
        writeln!(f, "exhibition   {}", self.exhibition)?;
        let show = shower(&self.exhibition);
        for (label, run) in [("broken", &self.broken), ("fixed", &self.fixed)] {
            writeln!(f, "\n{label}: {}", run.code)?;
            write_run(f, run, &show)?;
        }
        Ok(())
    }
}

/// Shows a length in `h:mm:ss`, with as many fraction digits as `exhibition` needs.
fn shower(exhibition: &Exhibition) -> impl Fn(Duration) -> String + use<> {
    let digits =
        fraction_digits(exhibition.master_move()).max(fraction_digits(exhibition.opponent_move()));
    move |length| hms(length, digits)
}

/// One version: its summary (without the exhibition line, already shown), the waits, the
/// detector's findings and the note, each line indented.
fn write_run(
    f: &mut fmt::Formatter<'_>,
    run: &Run,
    show: &impl Fn(Duration) -> String,
) -> fmt::Result {
    let summary = run.trace.summary().to_string();
    for line in summary.lines().filter(|line| !line.starts_with("exhibition")) {
        writeln!(f, "  {line}")?;
    }
    let waits = run.waits();
    writeln!(
        f,
        "  unanswered   longest {}, all together {} ({} replies answered)",
        show(waits.longest),
        show(waits.total),
        waits.replies,
    )?;
    if let Some(watched) = &run.watched {
        for line in slow_lines(watched, show) {
            writeln!(f, "  {line}")?;
        }
    }
    if let Some(note) = &run.note {
        writeln!(f, "  note         {}", note.replace('\n', "\n               "))?;
    }
    Ok(())
}

/// `slow         720 polls held the executor over 0:00:10, the first:` and the first three,
/// a line each.
fn slow_lines(watched: &Watched, show: &impl Fn(Duration) -> String) -> Vec<String> {
    let Watched { what, holder, threshold, slow } = watched;
    let (count, what) = match slow.len() {
        0 => ("no".to_owned(), plural(what)),
        1 => ("1".to_owned(), what.to_string()),
        n => (n.to_string(), plural(what)),
    };
    let mut head = format!("slow         {count} {what} held {holder} over {}", show(*threshold));
    if !slow.is_empty() {
        head.push_str(if slow.len() == 1 { ":" } else { ", the first:" });
    }
    let mut lines = vec![head];
    for step in slow.iter().take(3) {
        let (took, from) = (show(step.took), show(step.started.since_start()));
        lines.push(format!("             board {} for {took} from {from}", step.board));
    }
    if slow.len() > 3 {
        lines.push(format!("             … and {} more", slow.len() - 3));
    }
    lines
}

/// `polls`, `switches`.
fn plural(word: &str) -> String {
    if word.ends_with("ch") { format!("{word}es") } else { format!("{word}s") }
}
