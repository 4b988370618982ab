//! Planned failures: a game made to fail on purpose, to show how each lane contains it.

use std::fmt;

/// A planned failure, for teaching: the game on `board` fails (panics) when its code reaches
/// move pair `pair`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Failure {
    /// The board whose game fails, from 1.
    pub board: u32,
    /// The move pair at which it fails, from 1.
    pub pair: u32,
}

/// The panic payload of a planned failure: what a lane catches at its boundary and records as
/// the `forfeit` message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedFailure(pub Failure);

impl PlannedFailure {
    /// What a caught panic said: a planned failure's text, a panic's own message, or a note
    /// that it had none. This is the `forfeit` event's message.
    pub fn message_of(payload: &(dyn std::any::Any + Send)) -> String {
        if let Some(planned) = payload.downcast_ref::<PlannedFailure>() {
            planned.to_string()
        } else if let Some(text) = payload.downcast_ref::<&str>() {
            (*text).to_owned()
        } else if let Some(text) = payload.downcast_ref::<String>() {
            text.clone()
        } else {
            "the game panicked with a payload that is not text".to_owned()
        }
    }

    /// Keeps planned failures off stderr: they are expected, and the trace reports them. Every
    /// other panic still goes to the hook that was there before. Call it once, early (the
    /// command line does); calling it again changes nothing.
    pub fn hush() {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                if !info.payload().is::<PlannedFailure>() {
                    previous(info);
                }
            }));
        });
    }
}

impl fmt::Display for PlannedFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Failure { board, pair } = self.0;
        write!(f, "board {board}'s game failed at pair {pair} (a planned failure)")
    }
}
