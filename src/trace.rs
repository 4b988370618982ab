//! The trace: what happened, when, on which board — the one output every lane must agree on.
//!
//! A lane reports each [`Event`] to a [`Sink`] as it happens. Which sink decides what is
//! kept:
//!
//! - [`Trace`] keeps every event (for printing, snapshots and comparing lanes);
//! - [`Summary`] keeps only counts and times, in constant memory, for exhibitions far too
//!   large to store (a million boards is 90 million events);
//! - a [`Renderer`](crate::render::Renderer) writes each event out as it arrives.
//!
//! Sinks are generic parameters, not trait objects, so the summary-only path costs a few
//! additions per event and nothing more.
//!
//! # The contract
//!
//! Events, with their virtual time from the start (see `DESIGN.md`):
//!
//! | event | when |
//! |---|---|
//! | `master_move` (board, pair) | the master starts her move |
//! | `opponent_move` (board, pair) | the opponent's reply lands: master start + m + o |
//! | `game_over` (board) | the last reply of that game landed |
//!
//! Order: by time; at equal times `opponent_move`, then `game_over`, then `master_move`; then
//! by board. [`Event::order_key`] is that order; every lane emits its events already in it.
//!
//! # Example
//!
//! ```
//! use coro_simul::{Exhibition, lanes::Lane, trace::{Trace, EventKind}};
//!
//! let exhibition = Exhibition::builder().opponents(2).pairs(1).build()?;
//! let trace: Trace = Lane::Sync.trace(&exhibition)?;
//! let kinds: Vec<EventKind> = trace.events().iter().map(|e| e.kind).collect();
//! assert_eq!(kinds[..3], [
//!     EventKind::MasterMove { pair: 1 },
//!     EventKind::OpponentMove { pair: 1 },
//!     EventKind::GameOver,
//! ]);
//! assert!(trace.is_in_contract_order());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]

use std::fmt;
use std::time::Duration;

use crate::Exhibition;
use crate::clock::{Time, hms};

/// One thing that happened in the exhibition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Event {
    /// When it happened, on the exhibition's clock.
    pub t: Time,
    /// Which board, from 1.
    pub board: u32,
    /// What happened.
    pub kind: EventKind,
}

/// What happened; see the [contract](self#the-contract).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// The master starts her move of this pair (from 1).
    MasterMove {
        /// The move pair, from 1.
        pair: u32,
    },
    /// The opponent's reply of this pair lands.
    OpponentMove {
        /// The move pair, from 1.
        pair: u32,
    },
    /// The game's last reply landed.
    GameOver,
}

impl Event {
    /// The master starts her move of `pair` on `board` at `t`.
    pub fn master_move(t: Time, board: u32, pair: u32) -> Event {
        Event { t, board, kind: EventKind::MasterMove { pair } }
    }

    /// The opponent on `board` replies to `pair` at `t`.
    pub fn opponent_move(t: Time, board: u32, pair: u32) -> Event {
        Event { t, board, kind: EventKind::OpponentMove { pair } }
    }

    /// The game on `board` ends at `t`.
    pub fn game_over(t: Time, board: u32) -> Event {
        Event { t, board, kind: EventKind::GameOver }
    }

    /// The contract's name for this kind of event: `master_move`, `opponent_move`, `game_over`.
    pub fn name(&self) -> &'static str {
        match self.kind {
            EventKind::MasterMove { .. } => "master_move",
            EventKind::OpponentMove { .. } => "opponent_move",
            EventKind::GameOver => "game_over",
        }
    }

    /// The move pair, for the events that have one.
    pub fn pair(&self) -> Option<u32> {
        match self.kind {
            EventKind::MasterMove { pair } | EventKind::OpponentMove { pair } => Some(pair),
            EventKind::GameOver => None,
        }
    }

    /// The contract's order: time, then kind (`opponent_move` < `game_over` < `master_move`),
    /// then board. In a valid trace these keys strictly increase.
    pub fn order_key(&self) -> (Time, u8, u32) {
        let rank = match self.kind {
            EventKind::OpponentMove { .. } => 0,
            EventKind::GameOver => 1,
            EventKind::MasterMove { .. } => 2,
        };
        (self.t, rank, self.board)
    }
}

/// Where a lane reports its events.
pub trait Sink {
    /// Takes one event; lanes call this in the contract's order.
    fn record(&mut self, event: Event);

    /// Notes that the game on `board` just gave control back to its driver (returned from a
    /// callback, yielded, returned `Pending`, switched stacks) to be resumed later. Not part
    /// of the trace: lanes that suspend differently still produce the same events, but the
    /// [`Summary`] counts these to show what each lane did to get there. A lane that blocks
    /// never calls it.
    fn suspended(&mut self, board: u32) {
        let _ = board;
    }
}

impl<S: Sink + ?Sized> Sink for &mut S {
    fn record(&mut self, event: Event) {
        (**self).record(event);
    }

    fn suspended(&mut self, board: u32) {
        (**self).suspended(board);
    }
}

/// A pair of sinks is a tee: both get every event (the CLI renders and summarises at once).
impl<A: Sink, B: Sink> Sink for (A, B) {
    fn record(&mut self, event: Event) {
        self.0.record(event);
        self.1.record(event);
    }

    fn suspended(&mut self, board: u32) {
        self.0.suspended(board);
        self.1.suspended(board);
    }
}

/// A sink that keeps every event, and the [`Summary`] of them.
#[derive(Debug, Clone)]
pub struct Trace {
    events: Vec<Event>,
    summary: Summary,
}

impl Trace {
    /// An empty trace for `exhibition` (which the summary needs for the master's busy time).
    pub fn new(exhibition: &Exhibition) -> Trace {
        Trace { events: Vec::new(), summary: Summary::new(exhibition) }
    }

    /// Every event, in the order the lane reported them.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The summary of the events.
    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    /// Whether the events are in the contract's order: [`Event::order_key`] strictly
    /// increasing.
    pub fn is_in_contract_order(&self) -> bool {
        self.events.windows(2).all(|pair| pair[0].order_key() < pair[1].order_key())
    }

    /// Reports every stored event to another sink, such as a
    /// [`Renderer`](crate::render::Renderer).
    pub fn replay(&self, sink: &mut impl Sink) {
        self.events.iter().for_each(|&event| sink.record(event));
    }
}

impl Sink for Trace {
    fn record(&mut self, event: Event) {
        self.summary.record(event);
        self.events.push(event);
    }

    fn suspended(&mut self, board: u32) {
        self.summary.suspended(board);
    }
}

/// A sink that keeps counts and times only: constant memory, whatever the exhibition's size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    exhibition: Exhibition,
    master_moves: u64,
    opponent_moves: u64,
    games_over: u64,
    suspensions: u64,
    /// The latest event's time; the exhibition ends when its last reply lands.
    end: Time,
}

impl Summary {
    /// An empty summary for `exhibition`.
    pub fn new(exhibition: &Exhibition) -> Summary {
        Summary {
            exhibition: *exhibition,
            master_moves: 0,
            opponent_moves: 0,
            games_over: 0,
            suspensions: 0,
            end: Time::ZERO,
        }
    }

    /// The exhibition this summarises.
    pub fn exhibition(&self) -> &Exhibition {
        &self.exhibition
    }

    /// How many `master_move` events there were.
    pub fn master_moves(&self) -> u64 {
        self.master_moves
    }

    /// How many `opponent_move` events (replies) there were.
    pub fn opponent_moves(&self) -> u64 {
        self.opponent_moves
    }

    /// How many `game_over` events there were.
    pub fn games_over(&self) -> u64 {
        self.games_over
    }

    /// How many times a game gave control back to its driver ([`Sink::suspended`]): zero
    /// for a lane that blocks instead.
    pub fn suspensions(&self) -> u64 {
        self.suspensions
    }

    /// From the first move to the last event: how long the exhibition took.
    pub fn total(&self) -> Duration {
        self.end.since_start()
    }

    /// How long the master spent moving: one master move's length per `master_move`.
    pub fn master_busy(&self) -> Duration {
        let per_move = self.exhibition.master_move().as_nanos();
        // At most n·p·m, which a valid exhibition keeps inside the clock's u64 nanoseconds.
        Duration::from_nanos((per_move * u128::from(self.master_moves)) as u64)
    }

    /// How long the master waited with no reply to answer.
    pub fn master_idle(&self) -> Duration {
        self.total().saturating_sub(self.master_busy())
    }

    /// The master's busy time as a share of the total, from 0 to 1.
    pub fn busy_share(&self) -> f64 {
        ratio(self.master_busy(), self.total())
    }

    /// How many times faster than the synchronous total `n·p·(m+o)` this run was.
    pub fn speedup(&self) -> f64 {
        ratio(self.exhibition.synchronous_total(), self.total())
    }
}

fn ratio(numerator: Duration, denominator: Duration) -> f64 {
    if denominator.is_zero() { 0.0 } else { numerator.as_secs_f64() / denominator.as_secs_f64() }
}

impl Sink for Summary {
    fn record(&mut self, event: Event) {
        match event.kind {
            EventKind::MasterMove { .. } => self.master_moves += 1,
            EventKind::OpponentMove { .. } => self.opponent_moves += 1,
            EventKind::GameOver => self.games_over += 1,
        }
        self.end = self.end.max(event.t);
    }

    fn suspended(&mut self, _board: u32) {
        self.suspensions += 1;
    }
}

impl fmt::Display for Summary {
    /// A few aligned lines for people; see `snapshots/summary_default.snap`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = crate::clock::fraction_digits(self.exhibition.master_move())
            .max(crate::clock::fraction_digits(self.exhibition.opponent_move()));
        let show = |length| hms(length, digits);
        writeln!(f, "exhibition   {}", self.exhibition)?;
        writeln!(
            f,
            "total        {}  ({:.2}× the synchronous {})",
            show(self.total()),
            self.speedup(),
            show(self.exhibition.synchronous_total()),
        )?;
        writeln!(
            f,
            "master       busy {} ({:.1}%), idle {}",
            show(self.master_busy()),
            100.0 * self.busy_share(),
            show(self.master_idle()),
        )?;
        write!(
            f,
            "events       {} master moves, {} replies, {} games over; {} suspensions",
            self.master_moves, self.opponent_moves, self.games_over, self.suspensions,
        )
    }
}
