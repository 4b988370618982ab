//! Generators with send/yield: each game is a generator that yields what it waits for and is
//! sent the opponent's reply, Python's `received = yield request` on stable Rust.
//!
//! # How it works
//!
//! A game is [`game`], a plain `async fn` wrapped in a [`genawaiter::rc::Gen`]. It does not
//! sleep and does not block: for each move pair it *yields* a [`Request`] ("the master's move
//! `pair` on my board, please") and stops right there, inside its loop. The driver, [`play`],
//! owns everything else — the clock, the [`TimerQueue`], a FIFO of requests waiting for the
//! master — and answers each request in two steps:
//!
//! 1. When the master gets to the request, she moves (`master_move`, busy for `m`), and the
//!    driver sets a timer for the reply, `o` later.
//! 2. When the timer fires, the reply lands (`opponent_move`), and the driver *sends* it into
//!    the game: `resume_with(reply)` is Python's `gen.send(reply)`, and the [`Reply`] becomes
//!    the value of the game's `co.yield_(request).await`. The game checks it is the reply it
//!    asked for and yields its next request, or returns [`GameOver`] (Python's
//!    `StopIteration`) with the time its last reply landed, which the driver records as
//!    `game_over`.
//!
//! So the driver records every event, at the moment it happens, and resumes a game only when
//! its reply lands: replies are landed in deadline order before the master's next move, and a
//! game knows it is over at the very moment its last reply lands. The game decides *what*
//! happens (which pairs, when it is over); the driver decides *when*.
//!
//! ```text
//!   play (the driver, one call stack)                    game(board 2): a Gen on the heap
//!   ─────────────────────────────────                    ────────────────────────────────
//!   resume_with(priming) ─────────────────────────────►  starts, runs to its first yield
//!   ◄──────────────────────────── Yielded(Request { board: 2, pair: 1 })    (paused)
//!   ... master moves, timer set, other games run ...
//!   timer fires: record the reply
//!   resume_with(Reply { board: 2, pair: 1, .. }) ─────►  `yield_` returns the reply
//!   ◄──────────────────────────── Yielded(Request { board: 2, pair: 2 })    (paused)
//!   ...
//!   resume_with(last reply) ──────────────────────────►  loop ends, returns
//!   ◄──────────────────────────── Complete(GameOver { board: 2, at })
//! ```
//!
//! **Priming.** A fresh generator has not reached a `yield` yet, so nothing can receive the
//! first value sent: genawaiter drops it, exactly like Python, where the first call must be
//! `next(gen)` (or `gen.send(None)`). The driver primes each game with a reply to pair 0,
//! which no game ever asks for; the example below shows it vanish.
//!
//! **Where the paused game lives.** Between two resumes, a game is the state machine the
//! compiler makes of the `async fn`: which `yield_` it stopped at, and the locals alive
//! there (board, pair, the last landing time). `rc::Gen` boxes that state machine on the heap,
//! so a [`Gen`] is two pointers and games can sit side by side in a `Vec`, one per board.
//!
//! **What it costs.** Two allocations per game (the boxed frame and the `Rc` cell that
//! passes values in and out), made once; then a switch is a poll of the boxed future: no
//! stack switch, no lock, no system call. The paused game is small: `size_of_val` of the
//! `game` future is 56 bytes on x86-64 with Rust 1.95 (the `rc::Gen` handle to it, 16), and
//! the lane's tests check it stays under 128. Measured (the README's table): about 40 ns a
//! move pair, 3 times the hand-written state machine, and 136 bytes per paused game in all.
//!
//! # Python ↔ Rust
//!
//! | Python generator | genawaiter `rc` |
//! |---|---|
//! | `def game(...):` with `yield` inside | `async fn game(co: Co<Request, Reply>, ...)` |
//! | `gen = game(...)` | `Gen::new(\|co\| game(co, ...))` |
//! | `reply = yield request` | `let reply = co.yield_(request).await;` |
//! | `next(gen)`, priming | the first `resume_with(..)`: its value is dropped |
//! | `gen.send(reply)` | `generator.resume_with(reply)` |
//! | the yielded value `send` returns | `GeneratorState::Yielded(request)` |
//! | `StopIteration(value)`, `return value` | `GeneratorState::Complete(value)` |
//! | `yield from sub_generator(...)` | `sub_generator(&co, ...).await` |
//!
//! The last row is why genawaiter rides on `async`/`.await`: a helper `async fn` that takes
//! `&Co` can yield on the game's behalf, and the game delegates to it with `.await`.
//!
//! Genawaiter offers three flavours (its crate doc's "choose your guarantees" table). This
//! lane uses `rc`: the allocation-free `stack` flavour has a soundness report against it and
//! its generators cannot be moved into a `Vec`; the `sync` flavour can cross threads, which
//! this single-threaded driver never needs, and pays for it with a mutex on every switch.
//!
//! # Example
//!
//! One game, driven by hand: the priming value is dropped, and each value sent in is the
//! reply the game receives (the game over time comes from the last one).
//!
//! ```
//! use std::time::Duration;
//! use coro_simul::clock::Time;
//! use coro_simul::lanes::generators::{GameOver, Reply, Request, game};
//! use genawaiter::{GeneratorState::{Complete, Yielded}, rc::Gen};
//!
//! let at = |secs| Time::from_start(Duration::from_secs(secs));
//! let mut generator = Gen::new(|co| game(co, 7, 2));
//!
//! // `next(gen)`: a reply for the wrong board and pair, which the game would refuse if it
//! // ever saw it. It does not: it starts and asks for its first move.
//! let priming = Reply { board: 99, pair: 99, landed: at(9999) };
//! assert_eq!(generator.resume_with(priming), Yielded(Request { board: 7, pair: 1 }));
//!
//! // `gen.send(reply)`: the value of `yield` inside the game.
//! let first = Reply { board: 7, pair: 1, landed: at(60) };
//! assert_eq!(generator.resume_with(first), Yielded(Request { board: 7, pair: 2 }));
//! let last = Reply { board: 7, pair: 2, landed: at(125) };
//! assert_eq!(generator.resume_with(last), Complete(GameOver { board: 7, at: at(125) }));
//! ```
//!
//! And the whole exhibition, through the driver:
//!
//! ```
//! use coro_simul::{Exhibition, lanes::generators, trace::Summary};
//!
//! let exhibition = Exhibition::default();
//! let mut summary = Summary::new(&exhibition);
//! generators::play(&exhibition, &mut summary);
//! assert_eq!(summary.total().as_secs(), 3655); // 1:00:55, not 12 hours
//! ```
//!
//! # When to use it
//!
//! When the code that waits should read top to bottom — a loop with a `yield` in it — and
//! *you* want to own the scheduler: a simulation, a protocol parser fed one message at a time,
//! a test that steps a workflow by hand. Every switch is an explicit, synchronous
//! `resume_with` you can see in the driver, with a typed value each way. For I/O-bound
//! programs, `async`/`.await` with a real executor does the same with an ecosystem around it.
//!
//! # Compared with the others
//!
//! The game's code reads like the sync lane's loop, and its state lives where the
//! state-machine lane's hand-written enum would — the compiler writes that enum here. Unlike
//! async/await, the game says what it waits *for* as a value (a [`Request`]) and the driver
//! hands the answer back as a value (a [`Reply`]); no wakers, no polling protocol to learn.
//! Unlike green threads, only the game's own body can yield (a helper yields by being
//! `.await`ed), but a paused game is 56 bytes instead of a stack.
#![forbid(unsafe_code)]

use std::collections::VecDeque;
use std::future::Future;

use genawaiter::GeneratorState;
use genawaiter::rc::{Co, Gen};

use crate::Exhibition;
use crate::clock::{Clock, Time, VirtualClock};
use crate::timers::TimerQueue;
use crate::trace::{Event, Sink};

/// What a paused game waits for: the master's move `pair` on `board`, then the reply to it.
/// It is what a game yields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    /// The game's board, from 1.
    pub board: u32,
    /// The move pair the master should play next, from 1.
    pub pair: u32,
}

/// An opponent's reply, sent into the game that asked for it: the value of its `yield`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reply {
    /// The board it was played on.
    pub board: u32,
    /// The move pair it answers.
    pub pair: u32,
    /// When it landed on the exhibition's clock.
    pub landed: Time,
}

/// A game's return value (Python's `StopIteration.value`): its last reply landed at `at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GameOver {
    /// The board whose game is over.
    pub board: u32,
    /// When the game's last reply landed.
    pub at: Time,
}

/// One game on `board`, as a generator: for each of `pairs` move pairs it yields a
/// [`Request`] and is sent the opponent's [`Reply`]; it returns when the last reply is in.
///
/// # Panics
///
/// If it is sent a reply it did not ask for (another board or another pair): the driver
/// mixed up its games. The priming value is never seen, so it cannot trigger this.
pub async fn game(co: Co<Request, Reply>, board: u32, pairs: u32) -> GameOver {
    let mut last_landed = Time::ZERO;
    for pair in 1..=pairs {
        // `reply = yield request`: the game stops here until the driver sends the reply.
        let reply = co.yield_(Request { board, pair }).await;
        assert_eq!(
            (reply.board, reply.pair),
            (board, pair),
            "board {board} asked for the reply to pair {pair} and was sent another",
        );
        last_landed = reply.landed;
    }
    GameOver { board, at: last_landed }
}

/// Plays the exhibition with one generator per board, reporting every event to `sink`.
///
/// The driver's rules: the master serves requests in the order they were made (a FIFO), and
/// before each of her moves, every reply due by then lands first, in deadline order.
pub fn play<S: Sink>(exhibition: &Exhibition, sink: &mut S) {
    play_on(exhibition, VirtualClock::new(), sink);
}

/// [`play`] on another [`Clock`], such as a scaled wall clock: the same events, at the same
/// times.
pub fn play_on<C: Clock, S: Sink>(exhibition: &Exhibition, mut clock: C, sink: &mut S) {
    let pairs = exhibition.pairs();
    let mut games: Vec<_> =
        (1..=exhibition.opponents()).map(|board| Gen::new(|co| game(co, board, pairs))).collect();
    // Requests waiting for the master, oldest first; at the start, every board in order.
    let mut ready: VecDeque<Request> =
        games.iter_mut().filter_map(|game| prime(game, sink)).collect();
    // Replies on their way: each a request the master has answered, due when it lands.
    let mut thinking: TimerQueue<Request> = TimerQueue::new();
    loop {
        while let Some((landed, request)) = thinking.pop_due(clock.now()) {
            let game = &mut games[request.board as usize - 1];
            ready.extend(land(game, request, landed, sink));
        }
        if let Some(request) = ready.pop_front() {
            sink.record(Event::master_move(clock.now(), request.board, request.pair));
            clock.advance_by(exhibition.master_move());
            thinking.push(clock.now() + exhibition.opponent_move(), request);
        } else if let Some(deadline) = thinking.next_deadline() {
            clock.advance_to(deadline); // everyone is thinking: nothing to do until a reply
        } else {
            break; // no request waiting, no reply on its way: every game is over
        }
    }
}

/// `next(gen)`: starts a game and returns its first request. The value sent is dropped
/// (nothing is waiting at a `yield` yet), so it is a reply to pair 0, which nobody asks for.
pub(crate) fn prime<F, S>(game: &mut Gen<Request, Reply, F>, sink: &mut S) -> Option<Request>
where
    F: Future<Output = GameOver>,
    S: Sink,
{
    let priming = Reply { board: 0, pair: 0, landed: Time::ZERO };
    match game.resume_with(priming) {
        GeneratorState::Yielded(request) => {
            sink.suspended(request.board);
            Some(request)
        }
        GeneratorState::Complete(_) => None, // a game of no pairs asks for nothing
    }
}

/// The reply to `request` lands at `landed`: records it and sends it into its game
/// (`gen.send(reply)`). Returns the game's next request, or records `game_over` and returns
/// `None` when that was its last reply.
pub(crate) fn land<F, S>(
    game: &mut Gen<Request, Reply, F>,
    request: Request,
    landed: Time,
    sink: &mut S,
) -> Option<Request>
where
    F: Future<Output = GameOver>,
    S: Sink,
{
    // The master's moves never overlap, so no two replies land at the same moment: recording
    // the reply and then, at once, its game_over keeps the contract's order.
    let Request { board, pair } = request;
    sink.record(Event::opponent_move(landed, board, pair));
    match game.resume_with(Reply { board, pair, landed }) {
        GeneratorState::Yielded(next) => {
            sink.suspended(board);
            Some(next)
        }
        GeneratorState::Complete(over) => {
            sink.record(Event::game_over(over.at, over.board));
            None
        }
    }
}
