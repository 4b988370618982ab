//! [`Pitfall`]: the list of pitfalls, their names, and how to run one broken and fixed.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use super::report::{Report, Run};
use super::{
    blocking_green_thread, blocking_wait, cpu_hog, lazy_future, unfair_lock, unprimed_generator,
};
use crate::Exhibition;
use crate::clock::Time;
use crate::lanes::room;
use crate::lanes::{Lane, LaneError};
use crate::trace::Event;

/// A way cooperative code goes wrong; see [the module docs](super).
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
    /// [`unfair_lock`]: the master's line a lock that serves its waiters in no order.
    UnfairLock,
}

impl Pitfall {
    /// Every pitfall, in the order `--list` shows them.
    pub const ALL: &'static [Pitfall] = &[
        Pitfall::BlockingWait,
        Pitfall::CpuHog,
        Pitfall::LazyFuture,
        Pitfall::UnprimedGenerator,
        Pitfall::BlockingGreenThread,
        Pitfall::UnfairLock,
    ];

    /// The pitfall's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Pitfall::BlockingWait => "blocking-wait",
            Pitfall::CpuHog => "cpu-hog",
            Pitfall::LazyFuture => "lazy-future",
            Pitfall::UnprimedGenerator => "unprimed-generator",
            Pitfall::BlockingGreenThread => "blocking-green-thread",
            Pitfall::UnfairLock => "unfair-lock",
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
            Pitfall::UnfairLock => {
                "the master's line is a lock that promises no order (futures::lock::Mutex)"
            }
        }
    }

    /// Plays `exhibition` broken and fixed.
    ///
    /// # Errors
    ///
    /// [`PitfallError::Unplayable`] before anything is played when this pitfall cannot play
    /// `exhibition` (see [`check`](Self::check)); [`PitfallError::Lane`] when the operating
    /// system refuses what the pitfall needs: the memory for its boards (checked before it
    /// plays, as the lanes check it), or a green thread's stack in `blocking-green-thread`.
    pub fn run(self, exhibition: &Exhibition, options: &Options) -> Result<Report, PitfallError> {
        self.check(exhibition)?;
        let play = |version| -> Result<Run, LaneError> {
            Ok(match self {
                Pitfall::BlockingWait => blocking_wait::run(exhibition, version, options),
                Pitfall::CpuHog => cpu_hog::run(exhibition, version, options),
                Pitfall::LazyFuture => lazy_future::run(exhibition, version, options),
                Pitfall::UnfairLock => unfair_lock::run(exhibition, version, options),
                Pitfall::UnprimedGenerator => unprimed_generator::run(exhibition, version),
                Pitfall::BlockingGreenThread => {
                    blocking_green_thread::run(exhibition, version, options)?
                }
            })
        };
        let (broken, fixed) = (play(Version::Broken)?, play(Version::Fixed)?);
        Ok(Report { pitfall: self, exhibition: *exhibition, broken, fixed })
    }

    /// Whether this pitfall can play `exhibition`, checked before anything is played, as the
    /// lanes' rules are checked when the exhibition is built. A pitfall adds to the
    /// exhibition (an analysis, a pair more per game), so what fits the clock for the lanes
    /// may not fit it for the pitfall.
    ///
    /// # Errors
    ///
    /// [`PitfallError::Lane`] when this process cannot reserve the memory the boards need;
    /// [`PitfallError::Unplayable`], saying why: `cpu-hog` when its analysis would not fit
    /// the clock, or would be cut into more than [`MAX_PIECES`] pieces of one master move;
    /// `unprimed-generator` when its pair more per game would not fit the clock. A planned
    /// failure is never refused: every pitfall plays it as its lane does, a forfeit.
    pub fn check(self, exhibition: &Exhibition) -> Result<(), PitfallError> {
        let unplayable = |reason: String| Err(PitfallError::Unplayable { pitfall: self, reason });
        match self {
            Pitfall::CpuHog => cpu_hog_fits(exhibition).or_else(unplayable)?,
            Pitfall::UnprimedGenerator => one_more_pair_fits(exhibition).or_else(unplayable)?,
            _ => (),
        }
        Ok(self.check_room(exhibition)?)
    }

    /// The lane this pitfall's games are played on.
    fn lane(self) -> Lane {
        match self {
            Pitfall::BlockingWait | Pitfall::CpuHog | Pitfall::LazyFuture | Pitfall::UnfairLock => {
                Lane::AsyncAwait
            }
            Pitfall::UnprimedGenerator => Lane::Generators,
            Pitfall::BlockingGreenThread => Lane::GreenThreads,
        }
    }

    /// Whether this process can reserve what the pitfall keeps: its lane's memory per board,
    /// and both versions' traces (every event of a game of a pair more, for the unprimed
    /// generator) until the report is made.
    fn check_room(self, exhibition: &Exhibition) -> Result<(), LaneError> {
        let events = 2 * u64::from(exhibition.pairs()) + 3;
        let traces = 2 * events * std::mem::size_of::<Event>() as u64;
        room::check_with(self.lane(), exhibition, usize::try_from(traces).unwrap_or(usize::MAX))
    }
}

/// `unprimed-generator`'s broken driver plays a pair more per game: that exhibition must fit
/// the clock too.
fn one_more_pair_fits(exhibition: &Exhibition) -> Result<(), String> {
    let (n, m, o) = (exhibition.opponents(), exhibition.master_move(), exhibition.opponent_move());
    match exhibition.pairs().checked_add(1).map(|pairs| Exhibition::new(n, m, o, pairs)) {
        Some(Ok(_)) => Ok(()),
        _ => Err("its broken driver plays a pair more per game, and that would not fit the \
                  virtual clock's 584 years"
            .to_owned()),
    }
}

/// The most pieces `cpu-hog`'s fixed version cuts its analysis into, one master move each:
/// at the default 5 s a move it is 120; past this, the run would take minutes.
pub const MAX_PIECES: u128 = 100_000;

/// `cpu-hog` adds its analysis to the master's time: the exhibition must still fit the clock,
/// and the analysis must not be cut into more than [`MAX_PIECES`] pieces.
fn cpu_hog_fits(exhibition: &Exhibition) -> Result<(), String> {
    let total = exhibition.synchronous_total().as_nanos() + cpu_hog::ANALYSIS.as_nanos();
    if total > u128::from(Time::MAX.as_nanos()) {
        return Err(format!(
            "its {} analysis on top of the exhibition would not fit the virtual clock's 584 years",
            humantime::format_duration(cpu_hog::ANALYSIS)
        ));
    }
    let pieces = cpu_hog::ANALYSIS.as_nanos().div_ceil(exhibition.master_move().as_nanos());
    if pieces > MAX_PIECES {
        let shortest = cpu_hog::ANALYSIS / MAX_PIECES as u32;
        return Err(format!(
            "its fix cuts the {} analysis into pieces of one master move, and --master-move {} \
             makes {pieces} of them (at most {MAX_PIECES}): give --master-move at least {}",
            humantime::format_duration(cpu_hog::ANALYSIS),
            humantime::format_duration(exhibition.master_move()),
            humantime::format_duration(shortest),
        ));
    }
    Ok(())
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

/// Why a pitfall did not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PitfallError {
    /// This pitfall cannot play this exhibition (see [`Pitfall::check`]); nothing was played.
    Unplayable {
        /// The pitfall.
        pitfall: Pitfall,
        /// Why, in words that say what to change.
        reason: String,
    },
    /// The operating system refused what the pitfall needs: memory for its boards, or a green
    /// thread's stack.
    Lane(LaneError),
}

impl fmt::Display for PitfallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PitfallError::Unplayable { pitfall, reason } => {
                write!(f, "pitfall {pitfall} cannot play this exhibition: {reason}")
            }
            PitfallError::Lane(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for PitfallError {}

impl From<LaneError> for PitfallError {
    fn from(error: LaneError) -> PitfallError {
        PitfallError::Lane(error)
    }
}
