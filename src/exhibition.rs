//! The exhibition every lane plays: how many boards, how long each move takes, how many pairs.
//!
//! An [`Exhibition`] is valid by construction: [`Exhibition::new`] and
//! [`ExhibitionBuilder::build`] check the rules below and return an [`ExhibitionError`]
//! naming the one that was broken. Once you hold an `Exhibition`, every lane can play it
//! without failing: no time it reaches can overflow the virtual clock.
//!
//! The rules:
//!
//! - at least one opponent (board) and at least one move pair;
//! - the master's move and the opponent's move each take longer than zero (a zero-length
//!   wait would let a technique "finish" without ever suspending);
//! - the synchronous total `opponents × pairs × (master move + opponent move)`, the longest
//!   any technique can take, fits the virtual clock: `u64` nanoseconds, about 584 years.
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
#![forbid(unsafe_code)]

use std::fmt;
use std::time::Duration;

use crate::clock::Time;

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
        let exhibition = Exhibition { opponents, master_move, opponent_move, pairs };
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
    /// `24 boards × 30 move pairs, master 5s a move, opponents 55s`.
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
        )
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

    /// Checks the rules and returns the exhibition, or the first rule it breaks.
    pub fn build(self) -> Result<Exhibition, ExhibitionError> {
        let Exhibition { opponents, master_move, opponent_move, pairs } = self.exhibition;
        Exhibition::new(opponents, master_move, opponent_move, pairs)
    }
}

/// The rule an exhibition's parameters broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExhibitionError {
    /// `opponents` was zero.
    NoOpponents,
    /// `pairs` was zero.
    NoPairs,
    /// `master_move` was zero.
    ZeroMasterMove,
    /// `opponent_move` was zero.
    ZeroOpponentMove,
    /// `opponents × pairs × (master move + opponent move)` does not fit the virtual clock.
    TooLong,
}

impl fmt::Display for ExhibitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ExhibitionError::NoOpponents => "an exhibition needs at least one opponent",
            ExhibitionError::NoPairs => "a game needs at least one move pair",
            ExhibitionError::ZeroMasterMove => "the master's move must take longer than zero",
            ExhibitionError::ZeroOpponentMove => "the opponent's move must take longer than zero",
            ExhibitionError::TooLong => {
                "opponents × pairs × (master move + opponent move) must fit the virtual \
                 clock's 584 years (u64 nanoseconds)"
            }
        })
    }
}

impl std::error::Error for ExhibitionError {}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn each_rule_has_its_error() {
        let build = |n, m, o, p| Exhibition::new(n, m, o, p);
        assert_eq!(build(0, SECOND, SECOND, 1), Err(ExhibitionError::NoOpponents));
        assert_eq!(build(1, SECOND, SECOND, 0), Err(ExhibitionError::NoPairs));
        assert_eq!(build(1, Duration::ZERO, SECOND, 1), Err(ExhibitionError::ZeroMasterMove));
        assert_eq!(build(1, SECOND, Duration::ZERO, 1), Err(ExhibitionError::ZeroOpponentMove));
        assert_eq!(build(1, Duration::MAX, SECOND, 1), Err(ExhibitionError::TooLong));
        assert_eq!(build(u32::MAX, SECOND * 3600, SECOND, u32::MAX), Err(ExhibitionError::TooLong));
    }

    #[test]
    fn the_clock_limit_is_exact() {
        // The largest total that fits: u64::MAX nanoseconds, split as 1 ns + (MAX - 1) ns.
        let fits =
            Exhibition::new(1, Duration::from_nanos(1), Duration::from_nanos(u64::MAX - 1), 1);
        assert!(fits.is_ok());
        let one_more =
            Exhibition::new(1, Duration::from_nanos(2), Duration::from_nanos(u64::MAX - 1), 1);
        assert_eq!(one_more, Err(ExhibitionError::TooLong));
    }

    #[test]
    fn a_million_boards_is_representable() {
        let huge = Exhibition::builder().opponents(1_000_000).build().unwrap();
        assert_eq!(huge.synchronous_total(), Duration::from_secs(1_000_000 * 30 * 60));
    }

    #[test]
    fn the_default_is_the_story() {
        let story = Exhibition::default();
        assert_eq!(Exhibition::builder().build(), Ok(story));
        assert_eq!(story.synchronous_total(), Duration::from_secs(12 * 3600));
        assert_eq!(story.to_string(), "24 boards × 30 move pairs, master 5s a move, opponents 55s");
    }
}
