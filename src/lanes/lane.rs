//! [`Lane`]: the list of lanes, their names, and the one entry point that plays any of them.

use std::fmt;
use std::str::FromStr;

use super::error::LaneError;
use super::room;
use super::{
    async_await, callbacks, generators, green_threads, processes, state_machine, sync, threads,
};
use crate::Exhibition;
use crate::clock::{Clock, VirtualClock};
use crate::trace::{Sink, Summary, Switches, Trace};

/// A technique for suspending a game and resuming it later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Lane {
    /// [`sync`]: never suspends; every wait blocks the one thread.
    Sync,
    /// [`callbacks`]: returns to an event loop after asking it to call back later.
    Callbacks,
    /// [`state_machine`]: each game a hand-written `enum`, stepped by a plain loop.
    StateMachine,
    /// [`generators`]: each game yields a request and is sent the reply (genawaiter).
    Generators,
    /// [`async_await`]: `sleep(d).await` in an `async fn`, on a small virtual-time executor.
    AsyncAwait,
    /// [`green_threads`]: each game on its own stack, suspending from any depth (corosensei).
    GreenThreads,
    /// [`threads`]: one OS thread per game, taking turns with the master under a coordinator.
    Threads,
    /// [`processes`]: one OS process per game, taking turns under a coordinator in the parent.
    Processes,
}

impl Lane {
    /// Every lane, in the order the comparison shows them.
    pub const ALL: &'static [Lane] = &[
        Lane::Sync,
        Lane::Callbacks,
        Lane::StateMachine,
        Lane::Generators,
        Lane::AsyncAwait,
        Lane::GreenThreads,
        Lane::Threads,
        Lane::Processes,
    ];

    /// The lane's name on the command line (`sync`, `state-machine`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Lane::Sync => "sync",
            Lane::Callbacks => "callbacks",
            Lane::StateMachine => "state-machine",
            Lane::Generators => "generators",
            Lane::AsyncAwait => "async-await",
            Lane::GreenThreads => "green-threads",
            Lane::Threads => "threads",
            Lane::Processes => "processes",
        }
    }

    /// How a waiting game suspends, in a few words.
    pub fn suspends(self) -> &'static str {
        match self {
            Lane::Sync => "never: it blocks",
            Lane::Callbacks => "call_later(), returns",
            Lane::StateMachine => "step returns Pending",
            Lane::Generators => "yield_(request).await",
            Lane::AsyncAwait => "sleep(d).await",
            Lane::GreenThreads => "suspend from any depth",
            Lane::Threads => "blocks its OS thread",
            Lane::Processes => "blocks its OS process",
        }
    }

    /// Who resumes a suspended game.
    pub fn resumed_by(self) -> &'static str {
        match self {
            Lane::Sync => "nobody",
            Lane::Callbacks => "the event loop's timer queue",
            Lane::StateMachine => "a hand-written loop",
            Lane::Generators => "the driver, via resume_with(reply)",
            Lane::AsyncAwait => "a small executor + virtual-time timer",
            Lane::GreenThreads => "a scheduler, via resume",
            Lane::Threads => "the OS scheduler, when the coordinator hands it the baton",
            Lane::Processes => "the OS scheduler, when the coordinator writes it the baton",
        }
    }

    /// Where a paused game's state lives meanwhile.
    pub fn paused_game_lives(self) -> &'static str {
        match self {
            Lane::Sync => "the one call stack",
            Lane::Callbacks => "the closures' captures",
            Lane::StateMachine => "the enum",
            Lane::Generators => "the generator's heap frame",
            Lane::AsyncAwait => "the future's state machine",
            Lane::GreenThreads => "its own stack",
            Lane::Threads => "a kernel thread's stack",
            Lane::Processes => "a whole process of its own",
        }
    }

    /// Plays `exhibition`, reporting every event to `sink` in the contract's order.
    ///
    /// # Errors
    ///
    /// See [the module docs](super#errors): only when the operating system refuses a resource,
    /// and then before any event is reported.
    pub fn play<S: Sink>(self, exhibition: &Exhibition, sink: &mut S) -> Result<(), LaneError> {
        self.play_on(exhibition, VirtualClock::new(), sink)
    }

    /// [`play`](Lane::play) on `clock`: on a [`ScaledClock`](crate::clock::ScaledClock), the
    /// same events at the same times, while the wall clock keeps pace.
    ///
    /// # Errors
    ///
    /// As for [`play`](Lane::play).
    pub fn play_on<C: Clock, S: Sink>(
        self,
        exhibition: &Exhibition,
        clock: C,
        sink: &mut S,
    ) -> Result<(), LaneError> {
        // Before the first move: a lane that would run out of memory says so, not aborts.
        room::check(self, exhibition)?;
        match self {
            Lane::Sync => sync::play_on(exhibition, clock, sink),
            Lane::Callbacks => callbacks::play_on(exhibition, clock, sink),
            Lane::StateMachine => state_machine::play_on(exhibition, clock, sink),
            Lane::Generators => generators::play_on(exhibition, clock, sink),
            Lane::AsyncAwait => async_await::play_on(exhibition, clock, sink),
            Lane::GreenThreads => green_threads::play_on(exhibition, clock, sink),
            Lane::Threads => threads::play_on(exhibition, clock, sink),
            Lane::Processes => processes::play_on(exhibition, clock, sink),
        }
    }

    /// Plays `exhibition` and keeps every event.
    pub fn trace(self, exhibition: &Exhibition) -> Result<Trace, LaneError> {
        let mut trace = Trace::new(exhibition);
        self.play(exhibition, &mut trace)?;
        Ok(trace)
    }

    /// Plays `exhibition` and keeps every event and every
    /// [switch](crate::trace#the-switch-trace): the exhibition as the lane's scheduler saw it.
    pub fn switches(self, exhibition: &Exhibition) -> Result<Switches, LaneError> {
        let mut switches = Switches::new(exhibition);
        self.play(exhibition, &mut switches)?;
        Ok(switches)
    }

    /// Plays `exhibition` and keeps only the summary (constant memory).
    pub fn summary(self, exhibition: &Exhibition) -> Result<Summary, LaneError> {
        let mut summary = Summary::new(exhibition);
        self.play(exhibition, &mut summary)?;
        Ok(summary)
    }
}

impl fmt::Display for Lane {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A lane name that is not one of [`Lane::ALL`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLane(pub String);

impl fmt::Display for UnknownLane {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Lane::ALL.iter().map(|lane| lane.name()).collect();
        write!(f, "unknown lane '{}' (choose one of: {})", self.0, names.join(", "))
    }
}

impl std::error::Error for UnknownLane {}

impl FromStr for Lane {
    type Err = UnknownLane;

    fn from_str(name: &str) -> Result<Lane, UnknownLane> {
        Lane::ALL
            .iter()
            .copied()
            .find(|lane| lane.name() == name)
            .ok_or_else(|| UnknownLane(name.to_owned()))
    }
}
