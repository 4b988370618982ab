//! [`LaneError`]: what a lane reports when the operating system refuses what it needs.

use std::fmt;

use super::lane::Lane;

/// A lane could not play: the operating system refused what it needs, such as a stack or a
/// thread for every game. The message names the limit and how to raise it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaneError {
    lane: Lane,
    message: String,
}

impl LaneError {
    /// `lane` could not play, for the reason in `message` (which should say what to do).
    pub fn new(lane: Lane, message: impl Into<String>) -> LaneError {
        LaneError { lane, message: message.into() }
    }

    /// The lane that failed.
    pub fn lane(&self) -> Lane {
        self.lane
    }
}

impl fmt::Display for LaneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.lane, self.message)
    }
}

impl std::error::Error for LaneError {}
