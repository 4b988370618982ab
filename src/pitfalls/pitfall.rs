//! [`Pitfall`]: the list of pitfalls, their names, and how to run one broken and fixed.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use super::report::{Report, Run};
use super::{blocking_green_thread, blocking_wait, cpu_hog, lazy_future, unprimed_generator};
use crate::Exhibition;
use crate::lanes::LaneError;

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
