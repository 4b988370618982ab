//! The exhibition every lane plays: how many boards, how long each move takes, how many pairs.
//!
//! An [`Exhibition`] is valid by construction: [`Exhibition::new`] and
//! [`ExhibitionBuilder::build`] check the [valid parameters](#valid-parameters) and return
//! an [`ExhibitionError`] naming the one that was broken. Once you hold an `Exhibition`,
//! every lane can play it without failing: no time it reaches can overflow the virtual clock.
//!
//! # The exhibition's rules
//!
//! A master plays `n` opponents at once, one board each, numbered `1..=n`. Every game is `p`
//! move pairs; in pair `k` the master moves, taking `m` (her undivided attention: nothing
//! else happens on her side meanwhile), then the opponent thinks for `o` and replies (the
//! master is free meanwhile). A game is over when its `p`-th reply lands. The defaults are
//! the story's: `n` = 24, `m` = 5 s, `o` = 55 s, `p` = 30.
//!
//! - **Synchronous** (the [`sync`](crate::lanes::sync) lane): the master finishes one game
//!   before she starts the next. The exhibition takes `n·p·(m+o)`: 24 × 30 × 60 s =
//!   43 200 s = 12:00:00 with the defaults ([`Exhibition::synchronous_total`]).
//! - **Concurrent** (every other lane): the master walks from board to board and moves
//!   wherever the opponent has replied, in the order the replies landed; replies that land at
//!   the same moment are taken lower board first. With one round of the boards taking
//!   `R = max(n·m, m+o)`, her `k`-th move on board `b` starts at `(k−1)·R + (b−1)·m`, and
//!   the exhibition ends when the last reply lands, at `(p−1)·R + n·m + o`: 29 × 120 +
//!   120 + 55 = 3 655 s = 1:00:55 with the defaults. The story's "120 × 30 = 3 600 s, one
//!   hour" counts the master's time only; the last opponent still takes 55 s to reply.
//!
//! No lane contains these formulas: each plays the games and the times come out of the
//! playing. The formulas are here and in the tests, which check every lane against them.
//!
//! # Valid parameters
//!
//! - at least one opponent (board) and at least one move pair;
//! - the master's move and the opponent's move each take longer than zero (a zero-length
//!   wait would let a technique "finish" without ever suspending);
//! - the synchronous total `opponents × pairs × (master move + opponent move)`, the longest
//!   any technique can take, fits the virtual clock: `u64` nanoseconds, about 584 years;
//! - optionally, a time limit longer than zero, and a planned failure on a board and pair
//!   that exist (see [`crate::trace`] for what each does to the trace).
//!
//! # Example
//!
//! ```
//! use std::time::Duration;
//! use coro_simul::{Exhibition, ExhibitionError};
//!
//! let small = Exhibition::builder().opponents(3).pairs(2).build()?;
//! assert_eq!(small.synchronous_total(), Duration::from_secs(3 * 2 * 60));
//!
//! let empty = Exhibition::builder().opponents(0).build();
//! assert_eq!(empty, Err(ExhibitionError::NoOpponents));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::time::Duration;

use crate::clock::Time;

mod error;
mod failure;

pub use error::ExhibitionError;
pub use failure::{Failure, PlannedFailure};

/// One simultaneous exhibition: `opponents` boards, each a game of `pairs` move pairs in which
/// the master moves (`master_move`, her undivided attention) and the opponent replies after
/// thinking (`opponent_move`, while the master is free).
///
/// [`Exhibition::default`] is the story's exhibition: 24 opponents, 5 s, 55 s, 30 pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Exhibition {
    opponents: u32,
    master_move: Duration,
    opponent_move: Duration,
    pairs: u32,
    time_limit: Option<Duration>,
    failure: Option<Failure>,
    /// The steps of real computation in each opponent's move, 0 for none
    /// ([`Exhibition::opponent_thinks`]).
    thinking: u32,
}

impl Default for Exhibition {
    /// The story's exhibition: 24 opponents, the master 5 s a move, each opponent 55 s, 30
    /// move pairs a game.
    fn default() -> Self {
        Exhibition {
            opponents: 24,
            master_move: Duration::from_secs(5),
            opponent_move: Duration::from_secs(55),
            pairs: 30,
            time_limit: None,
            failure: None,
            thinking: 0,
        }
    }
}

impl Exhibition {
    /// Checks the rules in the [module docs](self) and builds the exhibition.
    pub fn new(
        opponents: u32,
        master_move: Duration,
        opponent_move: Duration,
        pairs: u32,
    ) -> Result<Exhibition, ExhibitionError> {
        if opponents == 0 {
            return Err(ExhibitionError::NoOpponents);
        }
        if pairs == 0 {
            return Err(ExhibitionError::NoPairs);
        }
        if master_move.is_zero() {
            return Err(ExhibitionError::ZeroMasterMove);
        }
        if opponent_move.is_zero() {
            return Err(ExhibitionError::ZeroOpponentMove);
        }
        let exhibition = Exhibition {
            opponents,
            master_move,
            opponent_move,
            pairs,
            time_limit: None,
            failure: None,
            thinking: 0,
        };
        match exhibition.synchronous_nanos() {
            Some(total) if total <= u128::from(Time::MAX.as_nanos()) => Ok(exhibition),
            _ => Err(ExhibitionError::TooLong),
        }
    }

    /// A builder that starts from the [default](Exhibition::default) exhibition.
    pub fn builder() -> ExhibitionBuilder {
        ExhibitionBuilder { exhibition: Exhibition::default() }
    }

    /// The number of opponents, which is the number of boards (numbered `1..=opponents`).
    pub fn opponents(&self) -> u32 {
        self.opponents
    }

    /// How long the master takes for one move; nothing else happens on her side meanwhile.
    pub fn master_move(&self) -> Duration {
        self.master_move
    }

    /// How long an opponent thinks before replying; the master is free meanwhile.
    pub fn opponent_move(&self) -> Duration {
        self.opponent_move
    }

    /// The number of move pairs (master move, opponent reply) in every game.
    pub fn pairs(&self) -> u32 {
        self.pairs
    }

    /// When the exhibition is stopped and its unfinished games adjourned, if ever.
    pub fn time_limit(&self) -> Option<Duration> {
        self.time_limit
    }

    /// The moment the time limit stops the exhibition: [`Time::MAX`] (never) without one. Every
    /// lane's driver compares its clock with this, so "no limit" needs no case of its own.
    pub fn stops_at(&self) -> Time {
        self.time_limit.map_or(Time::MAX, Time::from_start)
    }

    /// The planned failure, if any.
    pub fn failure(&self) -> Option<Failure> {
        self.failure
    }

    /// Every game calls this as its code reaches `pair`, before it asks for the master: on the
    /// planned failure's board and pair it panics, with a [`PlannedFailure`] as the payload.
    pub fn fail_if_planned(&self, board: u32, pair: u32) {
        if self.failure == Some(Failure { board, pair }) {
            std::panic::panic_any(PlannedFailure(Failure { board, pair }));
        }
    }

    /// The steps of real computation in each opponent's move: 0, unless the exhibition is
    /// CPU-bound.
    pub fn thinking_steps(&self) -> u32 {
        self.thinking
    }

    /// In the CPU-bound exhibition, the opponent on `board` thinks over its reply to `pair`:
    /// [`cores::think`](crate::cores::think), called by each lane where its own code waits for
    /// the reply. It never moves the virtual clock, so the trace stays the same.
    pub fn opponent_thinks(&self, board: u32, pair: u32) {
        if self.thinking > 0 {
            std::hint::black_box(crate::cores::think(board, pair, self.thinking));
        }
    }

    /// `opponents × pairs × (master move + opponent move)`: what the exhibition takes when the
    /// master plays one game to the end before starting the next. Every technique takes at
    /// most this long, which is why [`Exhibition::new`] checks that it fits the clock.
    pub fn synchronous_total(&self) -> Duration {
        let nanos = self.synchronous_nanos().expect("checked by Exhibition::new");
        Duration::from_nanos(u64::try_from(nanos).expect("checked by Exhibition::new"))
    }

    fn synchronous_nanos(&self) -> Option<u128> {
        (self.master_move.as_nanos())
            .checked_add(self.opponent_move.as_nanos())?
            .checked_mul(u128::from(self.opponents))?
            .checked_mul(u128::from(self.pairs))
    }
}

impl fmt::Display for Exhibition {
    /// `24 boards × 30 move pairs, master 5s a move, opponents 55s`, then the time limit and
    /// the planned failure if there are any.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = |n: u32| if n == 1 { "" } else { "s" };
        write!(
            f,
            "{} board{} × {} move pair{}, master {} a move, opponents {}",
            self.opponents,
            plural(self.opponents),
            self.pairs,
            plural(self.pairs),
            humantime::format_duration(self.master_move),
            humantime::format_duration(self.opponent_move),
        )?;
        if let Some(limit) = self.time_limit {
            write!(f, ", time limit {}", humantime::format_duration(limit))?;
        }
        if let Some(Failure { board, pair }) = self.failure {
            write!(f, ", board {board} fails at pair {pair}")?;
        }
        if self.thinking > 0 {
            write!(f, ", opponents think {} steps a move", self.thinking)?;
        }
        Ok(())
    }
}

/// Builds an [`Exhibition`] one parameter at a time, starting from the defaults; the rules are
/// checked once, in [`build`](ExhibitionBuilder::build).
#[derive(Debug, Clone, Copy)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct ExhibitionBuilder {
    exhibition: Exhibition,
}

impl ExhibitionBuilder {
    /// Sets the number of opponents (boards).
    pub fn opponents(mut self, opponents: u32) -> Self {
        self.exhibition.opponents = opponents;
        self
    }

    /// Sets how long the master takes for one move.
    pub fn master_move(mut self, master_move: Duration) -> Self {
        self.exhibition.master_move = master_move;
        self
    }

    /// Sets how long each opponent thinks before replying.
    pub fn opponent_move(mut self, opponent_move: Duration) -> Self {
        self.exhibition.opponent_move = opponent_move;
        self
    }

    /// Sets the number of move pairs in every game.
    pub fn pairs(mut self, pairs: u32) -> Self {
        self.exhibition.pairs = pairs;
        self
    }

    /// Stops the exhibition at `limit`, adjourning the unfinished games.
    pub fn time_limit(mut self, limit: Duration) -> Self {
        self.exhibition.time_limit = Some(limit);
        self
    }

    /// Makes the game on `board` fail when its code reaches `pair`.
    pub fn failure(mut self, board: u32, pair: u32) -> Self {
        self.exhibition.failure = Some(Failure { board, pair });
        self
    }

    /// Makes each opponent's thinking real computation too, `steps` of
    /// [`cores::think`](crate::cores::think), done by each lane's own code: the CPU-bound
    /// exhibition that [`cores`](crate::cores) measures. The trace does not change.
    pub fn opponents_think(mut self, steps: u32) -> Self {
        self.exhibition.thinking = steps;
        self
    }

    /// Checks the rules and returns the exhibition, or the first rule it breaks.
    pub fn build(self) -> Result<Exhibition, ExhibitionError> {
        let Exhibition {
            opponents,
            master_move,
            opponent_move,
            pairs,
            time_limit,
            failure,
            thinking,
        } = self.exhibition;
        let mut exhibition = Exhibition::new(opponents, master_move, opponent_move, pairs)?;
        if time_limit.is_some_and(|limit| limit.is_zero()) {
            return Err(ExhibitionError::ZeroTimeLimit);
        }
        if time_limit.is_some_and(|limit| limit > Time::MAX.since_start()) {
            return Err(ExhibitionError::TimeLimitTooLong);
        }
        if let Some(Failure { board, pair }) = failure {
            if !(1..=opponents).contains(&board) {
                return Err(ExhibitionError::NoSuchFailBoard);
            }
            if !(1..=pairs).contains(&pair) {
                return Err(ExhibitionError::NoSuchFailPair);
            }
        }
        (exhibition.time_limit, exhibition.failure) = (time_limit, failure);
        exhibition.thinking = thinking;
        Ok(exhibition)
    }
}

#[cfg(test)]
mod tests;
