//! [`Summary`]: the sink that keeps counts and times only.

use std::fmt;
use std::time::Duration;

use super::event::{Event, EventKind};
use super::sink::Sink;
use crate::Exhibition;
use crate::clock::{Time, hms};

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

    /// How many times a game gave control back to its driver ([`Sink::suspended`]), by
    /// [the one rule](crate::trace#suspensions): zero for a lane that blocks instead.
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
    /// A few aligned lines for people; see `snapshots/sync_summary_default.snap` (and every
    /// lane's `snapshots/LANE_summary_default.snap`).
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
