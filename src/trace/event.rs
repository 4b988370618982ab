//! [`Event`]: one thing that happened, and the order every lane reports events in.

use std::sync::Arc;

use crate::clock::Time;

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

/// What happened; see the [contract](crate::trace#the-contract).
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
