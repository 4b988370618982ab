//! [`ExhibitionError`]: the rule an exhibition's parameters broke, in words that say which.

use std::fmt;

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
    /// The time limit was zero.
    ZeroTimeLimit,
    /// The time limit does not fit the virtual clock.
    TimeLimitTooLong,
    /// The planned failure's board is not one of the exhibition's.
    NoSuchFailBoard,
    /// The planned failure's pair is not one of the games'.
    NoSuchFailPair,
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
            ExhibitionError::ZeroTimeLimit => "the time limit must be longer than zero",
            ExhibitionError::TimeLimitTooLong => {
                "the time limit must fit the virtual clock's 584 years (u64 nanoseconds)"
            }
            ExhibitionError::NoSuchFailBoard => "the failing board must be one of the boards",
            ExhibitionError::NoSuchFailPair => "the failing pair must be one of the move pairs",
        })
    }
}

impl std::error::Error for ExhibitionError {}
