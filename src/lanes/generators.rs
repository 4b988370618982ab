// Longer than the crate's ~350 lines a file, on purpose: the module doc is the lesson (the
// send/yield conversation, priming, why genawaiter, Python ↔ Rust and `yield from` run) and
// stays beside the game and the driver it explains. The tests live in `generators/tests.rs`,
// the switch trace's words in `generators/watch.rs`.
//! Generators with send/yield: each game is a generator that yields what it waits for and is
//! sent the opponent's reply, Python's `received = yield request` on stable Rust.
//!
//! # How it works
//!
//! A game is [`game`], a plain `async fn` wrapped in a [`genawaiter::rc::Gen`]. It does not
//! sleep and does not block: for each move pair it *yields* a [`Request`] ("the master's move
//! `pair` on my board, please") and stops right there, inside its loop. The driver, [`play`],
//! owns everything else — the clock, the [`TimerQueue`], a FIFO of requests waiting for the
//! master ([the lanes' driver loop](super#the-driver-loop)) — and answers each request in two
//! steps:
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
//! its reply lands: a game knows it is over at the very moment its last reply lands. The game
//! decides *what* happens (which pairs, when it is over); the driver decides *when*.
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
//! To watch it, `coro-simul trace generators --switches --queues --opponents 2 --pairs 2` prints
//! the [switch trace](crate::trace#the-switch-trace): the priming resume, then one
//! `resume_with(Reply { .. }) → Yielded(Request { .. })` a pair, the game paused at its
//! `co.yield_(..)` line. Between the two the driver plays the master's move itself, the game
//! still paused: one suspension a pair, where the other lanes' games stop at both waits.
//!
//! **Priming.** A fresh generator has not reached a `yield` yet, so nothing can receive the
//! first value sent. Python refuses one: `gen.send(reply)` on a just-started generator raises
//! `TypeError: can't send non-None value to a just-started generator`, so the first call must
//! be `next(gen)` (or `gen.send(None)`). genawaiter does not refuse: the first
//! `resume_with(value)` starts the generator and drops `value` without a word, which the
//! [unprimed-generator pitfall](crate::pitfalls::unprimed_generator) shows going wrong. The
//! driver primes each game with a reply to pair 0, which no game ever asks for; the first
//! example below shows it vanish.
//!
//! **Why genawaiter.** Rust's own generators — `yield` in a `#[coroutine]` closure, the
//! `Coroutine` trait, `gen` blocks — are not stable: they need a nightly compiler and a
//! feature gate. genawaiter builds generators from what is stable: an `async fn` is already a
//! state machine that stops at each `.await`, so `co.yield_(request).await` hands `request`
//! out through a cell the generator shares with its handle, and stops; the next `resume_with`
//! puts the reply in that cell and polls the game on. No waker, no executor: the driver's
//! `resume_with` is the only poll.
//!
//! Genawaiter offers three flavours (its crate doc's "choose your guarantees" table). This
//! lane uses `rc`: the allocation-free `stack` flavour's generators cannot be moved once
//! made, so they cannot sit in a `Vec`, one per board; the `sync` flavour can cross threads,
//! which this single-threaded driver never needs, and pays for it with a mutex on every
//! switch.
//!
//! # Python ↔ Rust
//!
//! | Python generator | genawaiter `rc`, in this lane |
//! |---|---|
//! | `def game(board):` with `yield` inside | `async fn game(co: Co<Request, Reply>, ...)`: [`game`] |
//! | `gen = game(board)`: runs nothing yet | `Gen::new(\|co\| game(co, board, &exhibition))` |
//! | `reply = yield request` | `let reply = co.yield_(request).await;` |
//! | `next(gen)`, or `gen.send(None)`: priming | the first `resume_with(value)`: the game starts, `value` is dropped |
//! | `gen.send(value)` before priming: `TypeError` | no error: `value` is dropped without a word |
//! | `gen.send(reply)` | `generator.resume_with(reply)` |
//! | what `send` returns: the next value yielded | `GeneratorState::Yielded(request)` |
//! | `return value`, seen as `StopIteration(value)` | `GeneratorState::Complete(value)` |
//! | `result = yield from sub(board)` | `let result = sub(&co, board).await;` (the last example below) |
//! | `gen.close()` | dropping the [`Gen`] |
//!
//! The `yield from` row is why genawaiter rides on `async`/`.await`: a helper `async fn` that
//! takes `&Co` can yield on the game's behalf, its requests go straight to the driver as if
//! the game had yielded them, and its return value is the value of the `.await`.
//! `docs/rosetta.md` shows the game and the driver's `send` beside the articles' Python.
//!
//! # Where the paused game lives
//!
//! Between two resumes, a game is the state machine the compiler makes of the `async fn`:
//! which `yield_` it stopped at, and the locals alive there (board, pair, the last landing
//! time). `rc::Gen` boxes that state machine on the heap, so a [`Gen`] is two pointers and
//! games can sit side by side in a `Vec`, one per board. The lane's tests check both: the
//! handle is two words, the frame stays under a bound.
//!
//! # When a game fails or time runs out
//!
//! (The rules all lanes share: [the lanes' docs](super#when-a-game-fails-or-time-runs-out).)
//!
//! **When a game fails.** A game's code runs only inside `resume_with`, so that is where its
//! panic comes out: the priming resume when it fails at pair 1, the resume that sends its
//! reply for a later pair. It unwinds out of the driver loop to the lane's boundary, one
//! `catch_unwind` around the loop, which records the board `forfeit` with the panic's message
//! at that moment and enters the loop again where it stopped: the failed game has no request
//! out, so nothing ever resumes it. (A `catch_unwind` around each resume would contain it
//! just as well, but it keeps the compiler from inlining the resume into the loop, which the
//! benchmark measured.)
//!
//! **At the time limit.** With a time limit, the driver lands no reply due after it and
//! starts no master move at it or later. Then every game still waiting — its request in the
//! FIFO or its reply on the timer queue — is adjourned, and the driver drops the paused
//! generators: dropping a [`Gen`] drops its frame, and every local alive at the `yield` runs
//! its destructor — Python's `gen.close()`, where the `with` blocks around the `yield` exit;
//! no other code of the game runs.
//!
//! # What it costs
//!
//! Two allocations per game (the boxed frame and the `Rc` cell that passes values in and out), made
//! once; then a switch is a poll of the boxed future, with the value each way through that cell: no
//! stack switch, no lock, no system call. The measured figures are in `docs/performance.md`, and
//! [the lanes' docs](super#what-it-costs) say how to reproduce them.
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
//! `.await`ed), but a paused game is a small heap frame instead of a stack.
//!
//! # Example
//!
//! One game, driven by hand: the priming value is dropped, and each value sent in is the
//! reply the game receives (the game over time comes from the last one).
//!
//! ```
//! use std::time::Duration;
//! use coro_simul::clock::Time;
//! use coro_simul::Exhibition;
//! use coro_simul::lanes::generators::{GameOver, Reply, Request, game};
//! use genawaiter::{GeneratorState::{Complete, Yielded}, rc::Gen};
//!
//! let at = |secs| Time::from_start(Duration::from_secs(secs));
//! let exhibition = Exhibition::builder().opponents(8).pairs(2).build()?;
//! let mut generator = Gen::new(|co| game(co, 7, &exhibition));
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
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! And the whole exhibition, through the driver:
//!
//! ```
//! use coro_simul::{Exhibition, lanes::generators, trace::Summary};
//!
//! let exhibition = Exhibition::default();
//! let mut summary = Summary::new(&exhibition);
//! generators::play(&exhibition, &mut summary)?;
//! assert_eq!(summary.total().as_secs(), 3655); // 1:00:55, not 12 hours
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! `yield from`: a game of two pairs that hands each pair to a helper. The helper's request
//! reaches the driver as if the game had yielded it, and what the helper returns is the
//! value of its `.await`, as `yield from` gives the sub-generator's return value:
//!
//! ```
//! use std::time::Duration;
//! use coro_simul::clock::Time;
//! use coro_simul::lanes::generators::{Reply, Request};
//! use genawaiter::{GeneratorState::{Complete, Yielded}, rc::{Co, Gen}};
//!
//! // def one_pair(board, pair): reply = yield Request(board, pair); return reply.landed
//! async fn one_pair(co: &Co<Request, Reply>, board: u32, pair: u32) -> Time {
//!     co.yield_(Request { board, pair }).await.landed
//! }
//!
//! // def two_pairs(board): yield from one_pair(board, 1); return (yield from one_pair(board, 2))
//! async fn two_pairs(co: Co<Request, Reply>, board: u32) -> Time {
//!     one_pair(&co, board, 1).await;
//!     one_pair(&co, board, 2).await
//! }
//!
//! let at = |secs| Time::from_start(Duration::from_secs(secs));
//! let mut generator = Gen::new(|co| two_pairs(co, 5));
//! let priming = Reply { board: 0, pair: 0, landed: Time::ZERO };
//! assert_eq!(generator.resume_with(priming), Yielded(Request { board: 5, pair: 1 }));
//! let first = Reply { board: 5, pair: 1, landed: at(60) };
//! assert_eq!(generator.resume_with(first), Yielded(Request { board: 5, pair: 2 }));
//! let last = Reply { board: 5, pair: 2, landed: at(125) };
//! assert_eq!(generator.resume_with(last), Complete(at(125))); // the helper's return value
//! ```

use std::any::Any;
use std::collections::VecDeque;
use std::future::Future;
use std::panic::{self, AssertUnwindSafe};

use genawaiter::GeneratorState;
use genawaiter::rc::{Co, Gen};

use super::error::LaneError;
use crate::clock::{Clock, Time, VirtualClock};
use crate::timers::TimerQueue;
use crate::trace::{Event, PausedAt, Queue, Sink};
use crate::{Exhibition, PlannedFailure};

mod watch;

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

/// One game on `board`, as a generator: for each of the exhibition's move pairs it yields a
/// [`Request`] and is sent the opponent's [`Reply`]; it returns when the last reply is in.
///
/// # Panics
///
/// If it is sent a reply it did not ask for (another board or another pair): the driver
/// mixed up its games. The priming value is never seen, so it cannot trigger this. And on
/// purpose, when the exhibition plans this board's game to fail
/// ([`Exhibition::fail_if_planned`]) as its code reaches that pair: the panic travels out of
/// `resume_with`, and the driver contains it.
pub async fn game(co: Co<Request, Reply>, board: u32, exhibition: &Exhibition) -> GameOver {
    let mut last_landed = Time::ZERO;
    for pair in 1..=exhibition.pairs() {
        exhibition.fail_if_planned(board, pair);
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
/// Never fails: a stackless lane needs nothing from the operating system.
pub fn play<S: Sink>(exhibition: &Exhibition, sink: &mut S) -> Result<(), LaneError> {
    play_on(exhibition, VirtualClock::new(), sink)
}

/// [`play`] on another [`Clock`], such as a scaled wall clock: the same events, at the same
/// times. Never fails.
pub fn play_on<C: Clock, S: Sink>(
    exhibition: &Exhibition,
    clock: C,
    sink: &mut S,
) -> Result<(), LaneError> {
    let games =
        (1..=exhibition.opponents()).map(|board| Gen::new(|co| game(co, board, exhibition)));
    Driver::new(exhibition, clock, sink, games.collect()).play();
    Ok(())
}

/// The whole scheduler: every game, a FIFO of requests waiting for the master, a timer queue
/// of replies in flight, and the clock and sink it alone writes to (a game only yields).
struct Driver<'a, F: Future, S, C> {
    exhibition: &'a Exhibition,
    clock: C,
    sink: &'a mut S,
    /// Board `b`'s game is `games[b - 1]`.
    games: Vec<Gen<Request, Reply, F>>,
    /// How many games have been primed: board `primed + 1` is next.
    primed: usize,
    /// Requests waiting for the master, in the order they were made (their replies landed).
    master_line: VecDeque<Request>,
    /// Replies in flight: each a request the master has answered, due when it lands.
    replies: TimerQueue<Request>,
    /// The time limit: no reply lands after it, no move starts at it or later.
    limit: Time,
    /// The board whose game is in `resume_with`, and the moment: where a panic comes from.
    playing: (u32, Time),
}

impl<'a, F, S, C> Driver<'a, F, S, C>
where
    F: Future<Output = GameOver>,
    S: Sink,
    C: Clock,
{
    /// A driver for `games`, none of them primed yet, so no board is in either queue.
    fn new(
        exhibition: &'a Exhibition,
        clock: C,
        sink: &'a mut S,
        games: Vec<Gen<Request, Reply, F>>,
    ) -> Self {
        let (master_line, replies) = (VecDeque::new(), TimerQueue::new());
        let (limit, playing) = (exhibition.stops_at(), (0, Time::ZERO));
        Driver { exhibition, clock, sink, games, primed: 0, master_line, replies, limit, playing }
    }

    /// Plays every game until it is over or forfeit, or until the time limit, then drops
    /// them all. This is the lane's boundary: a game's code runs only inside `resume_with`,
    /// so a failing game's panic comes out of it and unwinds out of [`run`](Self::run) to
    /// here, and no further; the game forfeits and the loop runs on from where it was — the
    /// failed game has no request out, so nothing resumes it.
    fn play(&mut self) {
        // Unwind safe enough: the queues are whole between resumes (the failed game's request
        // was already out of its queue), and a failed generator is never resumed again.
        while let Err(failure) = panic::catch_unwind(AssertUnwindSafe(|| self.run())) {
            self.forfeit(&*failure);
        }
        // `gen.close()`, in Rust's words: dropping a paused generator drops its frame, and the
        // locals alive at its `yield` with it. The game runs no further.
        self.games.clear();
    }

    /// The driver loop, from wherever it stopped. Its rules: every game is primed first,
    /// board 1 first; the master serves requests in the order they were made (a FIFO); and
    /// before each of her moves, every reply due by then lands first, in deadline order.
    fn run(&mut self) {
        self.start();
        loop {
            // Land every reply due by now (and by the limit), earliest first, before the
            // master moves again.
            while let Some((landed, request)) =
                self.replies.pop_due(self.clock.now().min(self.limit))
            {
                self.resume(request, landed);
            }
            if self.clock.now() >= self.limit {
                return self.adjourn(); // no move starts at the limit or later
            }
            if let Some(request) = self.master_line.pop_front() {
                self.sink.record(Event::master_move(self.clock.now(), request.board, request.pair));
                self.clock.advance_by(self.exhibition.master_move());
                // CPU-bound: the opponent thinks here, on the driver's one thread.
                self.exhibition.opponent_thinks(request.board, request.pair);
                self.replies.push(self.clock.now() + self.exhibition.opponent_move(), request);
            } else if let Some(deadline) = self.replies.next_deadline() {
                // Nothing to do until the next reply lands, or the limit comes first.
                let (now, next) = (self.clock.now(), deadline.min(self.limit));
                let (master_line, replies) = (&self.master_line, &self.replies);
                self.sink.switch_with(|| {
                    watch::idles(now, next, deadline).queues(queues(master_line, replies))
                });
                self.clock.advance_to(next);
            } else {
                return; // nothing waiting, nothing pending: every game is over or forfeit
            }
        }
    }

    /// `next(gen)` for every game not primed yet, board 1 first, at 0:00:00: each runs to its
    /// first `yield`, and its request joins the master's line.
    fn start(&mut self) {
        while self.primed < self.games.len() {
            self.primed += 1; // counted first: a game that fails here is not primed again
            let board = self.primed as u32;
            self.playing = (board, Time::ZERO);
            self.sink.switch_with(|| watch::primes(board));
            let first = prime(&mut self.games[index(board)], self.sink);
            self.master_line.extend(first);
            self.watch_return(board, Time::ZERO, first);
        }
    }

    /// The reply to `request` lands at `landed`: sends it into its game, and files the game's
    /// next request in the master's line.
    fn resume(&mut self, request: Request, landed: Time) {
        self.playing = (request.board, landed);
        let game = &mut self.games[index(request.board)];
        let next = land(game, request, landed, self.sink);
        self.master_line.extend(next);
        self.watch_return(request.board, landed, next);
    }

    /// For the switch trace: what `resume_with` returned to the driver at `t` for `board`,
    /// where the game now waits, and the queues.
    fn watch_return(&mut self, board: u32, t: Time, next: Option<Request>) {
        let (master_line, replies) = (&self.master_line, &self.replies);
        self.sink.switch_with(|| {
            let switch = match next {
                Some(Request { board, pair }) => {
                    let paused = PausedAt::State(format!("{}:{YIELD_LINE}", file!()));
                    watch::yielded(t, board, pair).paused_at(paused)
                }
                None => watch::completed(t, board),
            };
            switch.queues(queues(master_line, replies))
        });
    }

    /// The game being resumed failed with `failure`: it forfeits, at the moment it was resumed.
    fn forfeit(&mut self, failure: &(dyn Any + Send)) {
        let (board, at) = self.playing;
        let message = PlannedFailure::message_of(failure);
        self.sink.switch_with(|| watch::panicked(at, board));
        self.sink.record(Event::forfeit(at, board, message));
    }

    /// At the limit: every game still waiting, for the master or for its reply, is adjourned,
    /// in board order, and forgotten. A game over or forfeit waits for nothing, so it is in
    /// neither queue.
    fn adjourn(&mut self) {
        let mut waiting: Vec<u32> =
            self.master_line.drain(..).map(|request| request.board).collect();
        while let Some((_, request)) = self.replies.pop() {
            waiting.push(request.board);
        }
        waiting.sort_unstable();
        for board in waiting {
            self.sink.switch_with(|| watch::dropped(self.limit, board));
            self.sink.record(Event::adjourned(self.limit, board));
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
    sink.switch_with(|| watch::sends(landed, board, pair));
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

/// Where every paused game stands: the line of [`game`]'s one `co.yield_(..)`. Which `yield`
/// a generator stopped at is kept in the compiler's hidden state, out of the driver's reach
/// (unlike the state machine's enum), so the switch trace finds the line in this file's
/// source, once, at compile time.
const YIELD_LINE: u32 =
    watch::line_starting(include_str!("generators.rs"), b"let reply = co.yield_(");

/// The driver's two queues as the switch trace shows them, by board.
fn queues(master_line: &VecDeque<Request>, replies: &TimerQueue<Request>) -> Vec<Queue> {
    let replies = replies.in_order().into_iter().map(|(due, request)| (due, request.board));
    let waiting = master_line.iter().map(|request| request.board);
    vec![Queue::fifo("master_line", waiting), Queue::timers("replies", replies)]
}

/// Boards count from 1, the games vector from 0.
fn index(board: u32) -> usize {
    board as usize - 1
}

#[cfg(test)]
mod tests;
