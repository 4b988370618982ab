//! The synchronous baseline: the master plays one game to the end, then the next.
//!
//! # How it works
//!
//! A game is a plain loop — the master moves, the opponent thinks and replies, thirty times —
//! and [`play`] calls it once per board. When the opponent thinks, the game *blocks*: it
//! waits for the reply right there, on the one call stack, and nothing else can happen
//! meanwhile. Nothing is ever suspended, so nothing needs resuming.
//!
//! ```text
//!   play ──► game(board 1) ──► master moves ─► wait 55 s (blocked) ─► ... ─► game over
//!        ──► game(board 2) ──► ...                  (only now does board 2 start)
//! ```
//!
//! The game itself is [`plain_game`](super::plain_game)'s [`game`], written against the
//! [`Host`] trait: "the master moves here", "wait for the opponent's reply". This lane's host
//! blocks on every wait by letting the virtual clock run. The green-threads lane calls the
//! very same `game` with a host whose wait *suspends* the green thread instead — gevent's
//! trick of swapping out `time.sleep`.
//!
//! # When a game fails, and at the time limit
//!
//! A planned failure panics in [`game`]'s own code, on the one call stack; the panic unwinds
//! `game` and stops at the lane's boundary, [`play_on`], which catches it (`catch_unwind`),
//! records the board `forfeit` with the panic's message, and starts the next game at once.
//! A blocked wait cannot be interrupted from outside — there is nobody else to do it — so
//! the host itself refuses: a wait that would end after the limit returns `Err(Adjourned)`,
//! the game leaves through `?`, and that board and every board not yet started are recorded
//! `adjourned` at the limit.
//!
//! # Why it takes 12 hours
//!
//! Each move pair costs the master's move plus the opponent's thinking time, and nothing
//! overlaps: `n · p · (m + o)` = 24 × 30 × (5 s + 55 s) = 43 200 s = 12:00:00. The master is
//! busy for only `n · p · m` = 1:00:00 of that — 11 of every 12 seconds she sits and
//! watches an opponent think.
//!
//! # Example
//!
//! ```
//! use std::time::Duration;
//! use coro_simul::{Exhibition, lanes::sync, trace::Summary};
//!
//! let exhibition = Exhibition::default();
//! let mut summary = Summary::new(&exhibition);
//! sync::play(&exhibition, &mut summary);
//! assert_eq!(summary.total(), Duration::from_secs(12 * 3600));
//! assert_eq!(summary.master_busy(), Duration::from_secs(3600));
//! ```
//!
//! # When to use it
//!
//! When waits are short or there is only one thing to do: it is the simplest code there is,
//! and every other lane is measured against its result. It is also how most programs start,
//! and what `time.sleep` inside an async program quietly turns them back into.
//!
//! # Compared with the others
//!
//! Same game code as green threads and OS threads; the same trace *shape* as every other
//! lane, but twelve times as long, because waiting is the one thing it cannot share.
#![forbid(unsafe_code)]

use crate::Exhibition;
use crate::PlannedFailure;
use crate::clock::Time;
use crate::clock::{Clock, VirtualClock};
use crate::trace::{Event, Sink};
use std::panic::{self, AssertUnwindSafe};

use super::plain_game::{Adjourned, Host, game};

/// Plays the exhibition one game after another, reporting every event to `sink`.
pub fn play<S: Sink>(exhibition: &Exhibition, sink: &mut S) {
    play_on(exhibition, VirtualClock::new(), sink);
}

/// [`play`] on another [`Clock`], such as a scaled wall clock: the same events, at the same
/// times.
///
/// This is the lane's boundary: a game that panics is caught here and forfeits, and the
/// next game starts at once; a game the time limit stops is adjourned, with every game after
/// it, which never started.
pub fn play_on<C: Clock, S: Sink>(exhibition: &Exhibition, clock: C, sink: &mut S) {
    let limit = exhibition.time_limit().map(Time::from_start);
    let mut host = BlockingHost { exhibition, clock, sink, limit };
    for board in 1..=exhibition.opponents() {
        let played = panic::catch_unwind(AssertUnwindSafe(|| game(board, exhibition, &mut host)));
        match played {
            Ok(Ok(())) => {}
            Ok(Err(Adjourned)) => {
                let at = limit.expect("only a time limit adjourns");
                (board..=exhibition.opponents())
                    .for_each(|board| host.sink.record(Event::adjourned(at, board)));
                return;
            }
            Err(failure) => {
                let message = PlannedFailure::message_of(&*failure);
                host.sink.record(Event::forfeit(host.clock.now(), board, message));
            }
        }
    }
}

/// A host where every wait blocks: the clock runs on and nobody else gets a turn.
struct BlockingHost<'a, S, C> {
    exhibition: &'a Exhibition,
    clock: C,
    sink: &'a mut S,
    /// The time limit: no move starts at it or later, no reply lands after it.
    limit: Option<Time>,
}

impl<S: Sink, C: Clock> Host for BlockingHost<'_, S, C> {
    fn master_moves(&mut self, board: u32, pair: u32) -> Result<(), Adjourned> {
        if self.limit.is_some_and(|limit| self.clock.now() >= limit) {
            return Err(Adjourned);
        }
        self.sink.record(Event::master_move(self.clock.now(), board, pair));
        self.clock.advance_by(self.exhibition.master_move());
        Ok(())
    }

    fn await_reply(&mut self, board: u32, pair: u32) -> Result<(), Adjourned> {
        let lands = self.clock.now() + self.exhibition.opponent_move();
        if let Some(limit) = self.limit.filter(|&limit| lands > limit) {
            self.clock.advance_to(limit); // blocked until the limit, then stopped
            return Err(Adjourned);
        }
        // Blocking: the whole program sits here while the opponent thinks.
        self.clock.advance_to(lands);
        self.sink.record(Event::opponent_move(lands, board, pair));
        Ok(())
    }

    fn game_over(&mut self, board: u32) {
        self.sink.record(Event::game_over(self.clock.now(), board));
    }
}
