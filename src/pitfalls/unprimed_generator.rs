//! An unprimed generator: the first reply is sent into a game that has not started, and lost.
//!
//! # What goes wrong
//!
//! A generator receives a sent value as the result of the `yield` it is paused at. A fresh
//! generator is paused *before* its first line, at no `yield`, so the first value sent has
//! nowhere to go. Python refuses it: `gen.send(reply)` on a just-started generator raises
//! `TypeError: can't send non-None value to a just-started generator`, which is why drivers
//! prime with `next(gen)` first. genawaiter does not refuse it: the first `resume_with(value)`
//! starts the generator and drops `value` without a word.
//!
//! The right driver is the generators lane's: it primes every game (the lane's `prime`, a
//! `resume_with` whose value is dropped on purpose) and takes the [`Request`] each game yields
//! as the first thing to do. The wrong driver "knows" every game starts with pair 1, so it
//! skips the priming and has the master move at once. When the opponent's reply lands, it is
//! the first value sent into the game — and it is dropped. The game starts, runs to its first
//! `yield` and asks for pair 1, as if nothing had happened:
//!
//! ```text
//!   driver                                   game(board 1), not started
//!   master moves pair 1, reply lands
//!   resume_with(reply to pair 1) ─────────►  starts; the reply is dropped
//!   ◄────────────────────────────────────── Yielded(Request { board: 1, pair: 1 })  (again!)
//! ```
//!
//! A driver that serves whatever it is asked has the master play pair 1 twice on every board:
//! each game one pair longer, the whole exhibition one round longer, and no error anywhere.
//! Here the driver counts the repeats ([`Played::repeated`]), which is how a careful driver
//! notices; the game itself cannot, because it never saw the lost reply. A game that fails (a
//! planned failure) forfeits as it does in the lane, caught where the driver resumed it.
//!
//! # Example
//!
//! ```
//! use coro_simul::{Exhibition, pitfalls::{Version, unprimed_generator}, trace::Trace};
//!
//! let exhibition = Exhibition::builder().opponents(3).pairs(2).build()?;
//! let mut trace = Trace::new(&exhibition);
//! let played = unprimed_generator::play(&exhibition, &mut trace, Version::Broken);
//! assert_eq!(played.repeated, 3); // every board asked for pair 1 twice
//! assert_eq!(trace.summary().master_moves(), 3 * 3); // three moves a game, not two
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::VecDeque;
use std::panic::{self, AssertUnwindSafe};

use genawaiter::rc::Gen;

use super::pitfall::Version;
use super::report::Run;
use crate::clock::{Time, VirtualClock};
use crate::lanes::generators::{Request, game, land, prime};
use crate::timers::TimerQueue;
use crate::trace::{Event, Sink, Trace};
use crate::{Exhibition, PlannedFailure};

/// What the driver noticed while playing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Played {
    /// How many times a game asked for a pair the master had already played on its board:
    /// one per reply lost.
    pub repeated: u32,
}

/// Plays `exhibition` with the right or the wrong driver; see [`play`].
pub fn run(exhibition: &Exhibition, version: Version) -> Run {
    let mut trace = Trace::new(exhibition);
    let played = play(exhibition, &mut trace, version);
    let (code, note) = match version {
        Version::Broken => (
            "the driver skips `prime` and sends the first reply into a fresh generator",
            format!(
                "{} replies lost: the driver was asked for a pair already played",
                played.repeated
            ),
        ),
        Version::Fixed => (
            "the driver primes each game first (`next(gen)`), then sends replies",
            format!("{} replies lost: every game asked for each pair once", played.repeated),
        ),
    };
    Run { code, trace, watched: None, note: Some(note) }
}

/// The generators lane's driver, but for how it starts the games: `Fixed` primes them,
/// `Broken` assumes every game wants pair 1 and goes straight to the master's moves. A game
/// that fails forfeits at the moment it was resumed, as in the lane.
pub fn play<S: Sink>(exhibition: &Exhibition, sink: &mut S, version: Version) -> Played {
    let opponents = exhibition.opponents();
    let mut games: Vec<_> =
        (1..=opponents).map(|board| Gen::new(|co| game(co, board, exhibition))).collect();
    let mut master_line: VecDeque<Request> = match version {
        // `next(gen)`: each game runs to its first `yield` and says what it wants.
        Version::Fixed => (1..=opponents)
            .filter_map(|board| {
                let game = &mut games[board as usize - 1];
                contained(board, Time::ZERO, sink, |sink| prime(game, sink))
            })
            .collect(),
        // The mistake: no game has started, so none is at a `yield` to receive its reply.
        Version::Broken => (1..=opponents).map(|board| Request { board, pair: 1 }).collect(),
    };
    let mut replies: TimerQueue<Request> = TimerQueue::new();
    let mut clock = VirtualClock::new();
    let mut played = vec![0; opponents as usize]; // the last pair the master played, by board
    let mut noticed = Played::default();
    loop {
        while let Some((landed, request)) = replies.pop_due(clock.now()) {
            let game = &mut games[request.board as usize - 1];
            let next =
                contained(request.board, landed, sink, |sink| land(game, request, landed, sink));
            master_line.extend(next);
        }
        if let Some(request) = master_line.pop_front() {
            let last = &mut played[request.board as usize - 1];
            noticed.repeated += u32::from(request.pair <= *last);
            *last = request.pair;
            sink.record(Event::master_move(clock.now(), request.board, request.pair));
            clock.advance_by(exhibition.master_move());
            replies.push(clock.now() + exhibition.opponent_move(), request);
        } else if let Some(deadline) = replies.next_deadline() {
            clock.advance_to(deadline);
        } else {
            return noticed;
        }
    }
}

/// Resumes `board`'s game through `resume`, the lane's boundary around it: a game that
/// panics forfeits at `at` with the panic's message, and asks for nothing more.
fn contained<S: Sink>(
    board: u32,
    at: Time,
    sink: &mut S,
    resume: impl FnOnce(&mut S) -> Option<Request>,
) -> Option<Request> {
    match panic::catch_unwind(AssertUnwindSafe(|| resume(&mut *sink))) {
        Ok(next) => next,
        Err(failure) => {
            sink.record(Event::forfeit(at, board, PlannedFailure::message_of(&*failure)));
            None
        }
    }
}
