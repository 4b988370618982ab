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
//! Events, with their virtual time from the start:
//!
//! | event | when |
//! |---|---|
//! | `master_move` (board, pair) | the master starts her move |
//! | `opponent_move` (board, pair) | the opponent's reply lands: master start + m + o |
//! | `game_over` (board) | the last reply of that game landed |
//! | `adjourned` (board) | the exhibition's time limit stopped the unfinished game |
//! | `forfeit` (board, message) | the game's code failed (panicked); the others play on |
//!
//! Order: by time; at equal times `opponent_move`, then `game_over`, then `forfeit`, then
//! `adjourned`, then `master_move`; then by board. [`Event::order_key`] is that order; every
//! lane emits its events already in it.
//!
//! The same events, machine-readable ([`Format::Jsonl`](crate::render::Format::Jsonl), the
//! command line's `--format jsonl`), one JSON object per line:
//!
//! ```text
//! {"t": 120, "board": 1, "pair": 2, "event": "master_move"}
//! {"t": 3655, "board": 24, "event": "game_over"}
//! {"t": 65, "board": 2, "event": "forfeit", "message": "board 2's game failed at pair 2 (a planned failure)"}
//! ```
//!
//! `t` is the time in seconds from the start, a JSON number (fractional where the durations
//! are); boards and pairs count from 1; `game_over`, `adjourned` and `forfeit` carry no
//! `pair`, and `forfeit` carries the failure's `message`.
//!
//! A planned failure ([`Exhibition::failure`](crate::Exhibition::failure)) makes board `B`'s
//! game panic when its code reaches pair `K`, before it asks for the master's move: when the
//! game starts for `K = 1` (in the concurrent lanes every game starts at 0:00:00; in the
//! synchronous lane a game starts when the one before it ends), else the moment its reply to
//! pair `K − 1` lands. The lane catches the panic at its boundary, records `forfeit` at that
//! moment with the panic's message, and the other games play on.
//!
//! A time limit `L` ([`Exhibition::time_limit`](crate::Exhibition::time_limit)) stops the
//! exhibition at `L`: replies due by `L` still land (and their games run on until they next
//! wait, so they may finish or fail), but no master move starts at `L` or later; then, at
//! `L`, every game neither over nor forfeit is `adjourned`, in board order. An exhibition
//! that ends before `L` never notices its limit.
//!
//! # Example
//!
//! ```
//! use coro_simul::{Exhibition, lanes::Lane, trace::{Trace, EventKind}};
//!
//! let exhibition = Exhibition::builder().opponents(2).pairs(1).build()?;
//! let trace: Trace = Lane::Sync.trace(&exhibition)?;
//! let kinds: Vec<EventKind> = trace.events().iter().map(|e| e.kind.clone()).collect();
//! assert_eq!(kinds[..3], [
//!     EventKind::MasterMove { pair: 1 },
//!     EventKind::OpponentMove { pair: 1 },
//!     EventKind::GameOver,
//! ]);
//! assert!(trace.is_in_contract_order());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::Exhibition;
use crate::clock::{Time, hms};

/// One thing that happened in the exhibition.
///
/// Cheap to clone: only a forfeit carries anything on the heap (its message, shared).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Event {
    /// When it happened, on the exhibition's clock.
    pub t: Time,
    /// Which board, from 1.
    pub board: u32,
    /// What happened.
    pub kind: EventKind,
}

/// What happened; see the [contract](self#the-contract).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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
    /// The time limit stopped the game before it was over.
    Adjourned,
    /// The game's code failed; `message` says how (a panic's message).
    Forfeit {
        /// What the failure said.
        message: Arc<str>,
    },
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

    /// The time limit stops the unfinished game on `board` at `t`.
    pub fn adjourned(t: Time, board: u32) -> Event {
        Event { t, board, kind: EventKind::Adjourned }
    }

    /// The game on `board` failed at `t`, saying `message`.
    pub fn forfeit(t: Time, board: u32, message: impl Into<Arc<str>>) -> Event {
        Event { t, board, kind: EventKind::Forfeit { message: message.into() } }
    }

    /// The contract's name for this kind of event: `master_move`, `opponent_move`,
    /// `game_over`, `adjourned`, `forfeit`.
    pub fn name(&self) -> &'static str {
        match self.kind {
            EventKind::MasterMove { .. } => "master_move",
            EventKind::OpponentMove { .. } => "opponent_move",
            EventKind::GameOver => "game_over",
            EventKind::Adjourned => "adjourned",
            EventKind::Forfeit { .. } => "forfeit",
        }
    }

    /// The move pair, for the events that have one.
    pub fn pair(&self) -> Option<u32> {
        match self.kind {
            EventKind::MasterMove { pair } | EventKind::OpponentMove { pair } => Some(pair),
            _ => None,
        }
    }

    /// A forfeit's message.
    pub fn message(&self) -> Option<&str> {
        match &self.kind {
            EventKind::Forfeit { message } => Some(message),
            _ => None,
        }
    }

    /// The contract's order: time, then kind (`opponent_move` < `game_over` < `forfeit` <
    /// `adjourned` < `master_move`), then board. In a valid trace these keys strictly increase.
    pub fn order_key(&self) -> (Time, u8, u32) {
        let rank = match self.kind {
            EventKind::OpponentMove { .. } => 0,
            EventKind::GameOver => 1,
            EventKind::Forfeit { .. } => 2,
            EventKind::Adjourned => 3,
            EventKind::MasterMove { .. } => 4,
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
        self.0.record(event.clone());
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
        self.events.iter().for_each(|event| sink.record(event.clone()));
    }
}

impl Sink for Trace {
    fn record(&mut self, event: Event) {
        self.summary.record(event.clone());
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
    adjourned: u64,
    forfeits: u64,
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
            adjourned: 0,
            forfeits: 0,
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

    /// How many games the time limit adjourned.
    pub fn adjourned(&self) -> u64 {
        self.adjourned
    }

    /// How many games were forfeited because their code failed.
    pub fn forfeits(&self) -> u64 {
        self.forfeits
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
            EventKind::Adjourned => self.adjourned += 1,
            EventKind::Forfeit { .. } => self.forfeits += 1,
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
        )?;
        if self.adjourned + self.forfeits > 0 {
            write!(f, "\nstopped      {} adjourned, {} forfeit", self.adjourned, self.forfeits)?;
        }
        Ok(())
    }
}
