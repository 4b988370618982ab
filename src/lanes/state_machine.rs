// Longer than the crate's ~350 lines a file, on purpose: the module doc is the lesson (the
// enum the compiler would write, the driver loop every cooperative lane has) and stays beside
// the code it explains, and so do the few lines that put its switches into words (they need
// the enum and the driver's queues). The tests live in `state_machine/tests.rs`.
//! The hand-written state machine: each game an `enum`, stepped by a plain loop.
//!
//! # How it works
//!
//! A game that has to wait cannot keep its place on a call stack, because the stack is needed
//! for the other 23 games. So the place is written down instead: a [`Game`] is an `enum` with
//! one variant per point where the game can stop, holding exactly what it needs to go on from
//! there. [`Game::step`] runs the game from where it stopped to the next such point and
//! returns a [`Step`] saying what it waits for now: the master, a reply due at a moment, or
//! nothing (it is over). Nothing else remembers anything about a game.
//!
//! This is what the compiler does for you. On the left, the `async fn` a reader would write
//! (the async-await lane's game, without its time-limit check); on the right, the `enum` it
//! becomes, which this lane writes by hand. Each of its two `.await`s turns into a variant, as
//! do the function's start and end, and the locals alive across an `.await` (`pair`, when the
//! reply lands) into that variant's fields. The compiler's variants would also hold the future
//! being awaited (the turn, the sleep); here the driver's queues stand in for them:
//!
//! ```text
//!   async fn game(board: u32, arbiter: &Arbiter) {    enum Game {
//!       // not polled yet ───────────────────────────►  Start,
//!       for pair in 1..=pairs {
//!           fail_if_planned(board, pair);
//!           let turn = arbiter.master.turn().await; ─►  MasterToMove { pair: u32 },
//!           arbiter.master_moves(board, pair);
//!           drop(turn); // she walks on
//!           sleep_until(reply).await; ───────────────►  AwaitingReply { pair: u32, until: Time },
//!           arbiter.reply_lands(board, pair);
//!       }
//!       arbiter.game_over(board);
//!       // returned ─────────────────────────────────►  Over,
//!   }                                                   Forfeit, // a step panicked
//!                                                     }
//!                                                     fn step(&mut self, ..) -> Step
//!                                                     // one arm per variant: the code between
//!                                                     // two .awaits, then switch variant
//! ```
//!
//! The driver in [`play`] owns every game, a FIFO of boards ready for the master and a
//! [`TimerQueue`] of boards waiting for a reply. It is the whole scheduler, the loop every
//! cooperative lane has somewhere ([the lanes' docs](super#the-driver-loop)), here with
//! nothing hidden:
//!
//! ```text
//!   run: one loop, on the one stack; the games have none, only their enums
//!     1. every timer due by now  ─► games[b].step() ─► Ready: board to the back of the FIFO
//!        (earliest first; each game                    (or Done: the game is over)
//!        starts there, due at 0:00:00)
//!     2. the FIFO's first board  ─► games[b].step() ─► Pending { until }: set a timer
//!     3. nothing ready           ─► jump the clock to the next deadline; nothing at all: stop
//! ```
//!
//! # Python ↔ Rust
//!
//! Python has no hand-written counterpart in the articles: a generator object *is* this enum,
//! kept by the interpreter. What it keeps, and where it is here:
//!
//! | Python | this lane |
//! |---|---|
//! | a paused generator's frame: where it stopped, its locals | a [`Game`]: the variant says where, its fields are the locals |
//! | `inspect.getgeneratorstate(gen)` is `GEN_CREATED` | [`Game::Start`] |
//! | `GEN_SUSPENDED`, at one of its `yield`s | [`Game::MasterToMove`], [`Game::AwaitingReply`] |
//! | `GEN_CLOSED`, after its `return` or an exception | [`Game::Over`], [`Game::Forfeit`] |
//! | `next(gen)`: run on to the next `yield` | [`Game::step`] |
//! | the value it yields to the driver | the [`Step`] that `step` returns |
//! | asyncio's loop: its ready `deque`, its heap of timers | `master_line` (a `VecDeque`), `replies` (a [`TimerQueue`]) |
//! | a class with a `state` attribute and `if` chains | the same, but `match` checks every state is handled |
//!
//! `docs/rosetta.md` shows the enum and its `step` beside the Python.
//!
//! # Where the paused game lives
//!
//! In its `enum`: 16 bytes (a tag, a pair, a time; a unit test checks it), in one `Vec`
//! allocated before the first move. Stepping allocates nothing; the ready FIFO is allocated
//! full-size up front, and the timer queue starts with every board in it (due at 0:00:00) and
//! never holds more. The enum still says exactly where a game stopped, in plain data: it could
//! be printed, compared, saved and stepped on tomorrow.
//!
//! # When a game fails or time runs out
//!
//! (The rules all lanes share: [the lanes' docs](super#when-a-game-fails-or-time-runs-out).)
//!
//! **When a game fails.** A game's code runs only inside [`Game::step`], which only the
//! driver calls, on the one stack. So a failing game's panic unwinds out of `step`, out of the
//! driver loop, into the `catch_unwind` around that loop, and no further: no other game has a
//! frame to unwind (they are all enums in the `Vec`), and the queues are whole between steps.
//! The driver records the `forfeit` at the moment the step was due (it notes the board and
//! moment before every step), writes [`Game::Forfeit`] in the game's place, and enters its
//! loop again, which goes on where it was. One `catch_unwind` around the loop, not one per
//! step: the hot path pays a store per step instead of a call it cannot inline. A failure at
//! pair 1 happens in the [`Start`](Game::Start) step, which every game takes at 0:00:00,
//! before the master's first move.
//!
//! **At the time limit.** The driver lands the replies due by the limit, and steps their
//! games on to their next wait, but starts no move at the limit or later; then it records
//! every game neither over nor forfeit as `adjourned` and empties its FIFO and timer queue.
//! That is all cancelling takes: a paused game owns nothing but its enum, so nothing has to
//! unwind, close or free. Like an adjourned game's sealed move, it could be stepped on
//! tomorrow.
//!
//! # What it costs
//!
//! A step is a `match` on the enum and a store of the next variant: no allocation, no stack to
//! switch, no call through a pointer (the driver calls [`Game::step`] directly, and the compiler
//! may inline it). It is the floor the benchmarks measure every other lane against. The measured
//! figures are in `docs/performance.md`, and [the lanes' docs](super#what-it-costs) say how to
//! reproduce them.
//!
//! # When to use it
//!
//! When every byte and nanosecond counts and the logic is small: protocol parsers, embedded
//! firmware, an interrupt-driven driver, the inner loop of a network server. The states are
//! plain data you can inspect, store, or send elsewhere. As soon as the game grows loops
//! inside loops, error paths and cleanup, writing the states by hand gets error-prone, and
//! `async fn` (the compiler writing this enum) is the better deal.
//!
//! # Compared with the others
//!
//! The floor. Generators and `async`/`await` compile to an enum like [`Game`], plus the
//! machinery to resume it (a waker, a resume argument); callbacks store the same state in boxed
//! closures, allocated afresh at every wait; green threads and threads keep a whole stack per
//! game instead.
//!
//! # Example
//!
//! ```
//! use std::time::Duration;
//! use coro_simul::{Exhibition, lanes::state_machine, trace::Summary};
//!
//! let exhibition = Exhibition::default();
//! let mut summary = Summary::new(&exhibition);
//! state_machine::play(&exhibition, &mut summary)?;
//! assert_eq!(summary.total(), Duration::from_secs(3655)); // 1:00:55 instead of 12:00:00
//! assert_eq!(summary.games_over(), 24);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::any::Any;
use std::collections::VecDeque;
use std::fmt;
use std::panic::{self, AssertUnwindSafe};

use super::error::LaneError;
use crate::clock::{Clock, Time, VirtualClock};
use crate::timers::TimerQueue;
use crate::trace::{Event, PausedAt, Queue, Sink, Switch, SwitchKind};
use crate::{Exhibition, PlannedFailure};

/// One game, stopped at one of the points where it can wait. This is the whole paused game:
/// there is no stack behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Game {
    /// Not started: no code of the game has run yet (an `async fn`'s future before its first
    /// poll; the compiler calls this state `Unresumed`). Every game starts here, and the
    /// driver steps every game once at the start, at 0:00:00, to run its code up to its first
    /// wait: for the master, with pair 1.
    Start,
    /// Waiting for the master to come and make her move of `pair`.
    MasterToMove {
        /// The move pair the master will play, from 1.
        pair: u32,
    },
    /// The master has moved; the opponent's reply to `pair` lands at `until`.
    AwaitingReply {
        /// The move pair whose reply is awaited.
        pair: u32,
        /// When the reply lands: the master's start + her move + the opponent's move.
        until: Time,
    },
    /// The last reply has landed.
    Over,
    /// The game's code failed (panicked) in a step, so there is no state to go on from: the
    /// driver writes this down in its place (the compiler's `Panicked` state, whose poll
    /// panics with "`async fn` resumed after panicking").
    Forfeit,
}

/// What a game waits for after a [step](Game::step): the driver's only input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Ready for the master: queue the board.
    Ready,
    /// Suspended until a reply lands at `until`: set a timer.
    Pending {
        /// When to step the game again.
        until: Time,
    },
    /// The game is over: forget the board.
    Done,
}

impl Game {
    /// Runs the game on `board` from where it stopped to where it next waits, and says what
    /// for. The driver calls it once at the start (`Start`), when the master comes to the
    /// board (`MasterToMove`) and when the awaited reply lands (`AwaitingReply`, at or after
    /// `until`).
    ///
    /// # Panics
    ///
    /// When the game fails as planned ([`Exhibition::fail_if_planned`]), as its code reaches
    /// the failing pair: at the start, or as the reply to the pair before lands. The game is
    /// left as it was; the driver catches the panic and marks it [`Forfeit`](Game::Forfeit).
    ///
    /// If the game is [`Over`](Game::Over) or [`Forfeit`](Game::Forfeit): like polling a
    /// finished future, stepping a finished game is a bug in the driver.
    pub fn step<S: Sink, C: Clock>(&mut self, board: u32, arbiter: &mut Arbiter<'_, S, C>) -> Step {
        match *self {
            Game::Start => {
                // The code before the first wait: the game reaches pair 1, where it may fail,
                // and stops to wait for the master.
                arbiter.exhibition.fail_if_planned(board, 1);
                *self = Game::MasterToMove { pair: 1 };
                arbiter.sink.suspended(board);
                Step::Ready
            }
            Game::MasterToMove { pair } => {
                // The master's move: her undivided attention, so the clock runs on.
                arbiter.record(Event::master_move(arbiter.clock.now(), board, pair));
                arbiter.clock.advance_by(arbiter.exhibition.master_move());
                arbiter.exhibition.opponent_thinks(board, pair); // CPU-bound: on the one thread
                let until = arbiter.clock.now() + arbiter.exhibition.opponent_move();
                *self = Game::AwaitingReply { pair, until };
                arbiter.sink.suspended(board);
                Step::Pending { until }
            }
            Game::AwaitingReply { pair, until } => {
                // Recorded at `until`, not at `now`: the reply landed then, even if the
                // master was still busy elsewhere.
                arbiter.record(Event::opponent_move(until, board, pair));
                if pair < arbiter.exhibition.pairs() {
                    arbiter.exhibition.fail_if_planned(board, pair + 1);
                    *self = Game::MasterToMove { pair: pair + 1 };
                    arbiter.sink.suspended(board);
                    return Step::Ready;
                }
                arbiter.record(Event::game_over(until, board));
                *self = Game::Over;
                Step::Done
            }
            Game::Over => panic!("stepped the game on board {board} after it was over"),
            Game::Forfeit => panic!("stepped the game on board {board} after it failed"),
        }
    }
}

/// Plays the exhibition with one hand-written state machine per board, reporting every event
/// to `sink` in the contract's order.
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
    Driver::new(Arbiter::with_clock(exhibition, clock, sink)).play();
    Ok(())
}

/// The whole scheduler: every game, a FIFO of boards ready for the master, a timer queue of
/// boards waiting for a reply, and the arbiter it lends to one step at a time.
struct Driver<'a, S, C> {
    arbiter: Arbiter<'a, S, C>,
    /// Board `b`'s game is `games[b - 1]`.
    games: Vec<Game>,
    /// Boards waiting for the master, in the order their replies landed.
    master_line: VecDeque<u32>,
    /// Replies in flight: each board waiting for one, due when it lands; at the start, every
    /// board, due at 0:00:00, for its first step.
    replies: TimerQueue<u32>,
    /// The time limit: no reply lands after it, no move starts at it or later.
    limit: Time,
    /// The board being stepped, and the moment it was due: where a panic comes from.
    playing: (u32, Time),
}

impl<'a, S: Sink, C: Clock> Driver<'a, S, C> {
    /// Allocated once: every game, and a FIFO big enough for every board at once. Every game
    /// starts in the timer queue, due at 0:00:00, in board order: its first step, before any
    /// move, runs it up to its first wait.
    fn new(arbiter: Arbiter<'a, S, C>) -> Driver<'a, S, C> {
        let (boards, limit) = (arbiter.exhibition.opponents(), arbiter.exhibition.stops_at());
        let games = vec![Game::Start; boards as usize];
        let master_line = VecDeque::with_capacity(boards as usize);
        let mut replies = TimerQueue::new();
        (1..=boards).for_each(|board| replies.push(Time::ZERO, board));
        Driver { arbiter, games, master_line, replies, limit, playing: (0, Time::ZERO) }
    }

    /// Plays every game to its end, or to the time limit. This is the lane's boundary: a
    /// panic in a game's code unwinds out of [`Game::step`] and out of [`run`](Self::run) to
    /// here, and no further; the game forfeits and the loop runs on from where it was.
    fn play(&mut self) {
        // Unwind safe enough: the queues are whole between steps (the failed board was
        // already out of its queue), and the failed game is overwritten before the loop goes on.
        while let Err(failure) = panic::catch_unwind(AssertUnwindSafe(|| self.run())) {
            self.forfeit(&*failure);
        }
    }

    /// The driver loop, from wherever it stopped: steps the games until every one is over or
    /// forfeit, or the limit.
    fn run(&mut self) {
        loop {
            // Land every reply due by now (and by the limit), earliest first, before the
            // master moves again.
            while let Some((until, board)) =
                self.replies.pop_due(self.arbiter.clock.now().min(self.limit))
            {
                self.step(board, until);
            }
            if self.arbiter.clock.now() >= self.limit {
                return self.adjourn(); // no move starts at the limit or later
            }
            if let Some(board) = self.master_line.pop_front() {
                self.step(board, self.arbiter.clock.now());
            } else if let Some(deadline) = self.replies.next_deadline() {
                // Nothing to do until the next reply lands, or the limit comes first.
                let next = deadline.min(self.limit);
                let now = self.arbiter.clock.now();
                self.arbiter.sink.switch_with(|| {
                    let says = format!("master_line empty: clock jumps to {next}");
                    Switch::new(now, None, SwitchKind::Idle, says)
                });
                self.arbiter.clock.advance_to(next);
            } else {
                return; // nothing waiting, nothing pending: every game is over or forfeit
            }
        }
    }

    /// Steps the game on `board`, due at `at`, and files the board where it waits next.
    fn step(&mut self, board: u32, at: Time) {
        self.playing = (board, at);
        let (now, from) = (self.arbiter.clock.now(), self.games[index(board)]);
        self.arbiter.sink.switch_with(|| {
            Switch::new(now, board, SwitchKind::Resume, format!("step(board {board}) from {from}"))
        });
        let step = self.games[index(board)].step(board, &mut self.arbiter);
        match step {
            Step::Ready => self.master_line.push_back(board),
            Step::Pending { until } => self.replies.push(until, board),
            Step::Done => {}
        }
        self.watch_return(board, step);
    }

    /// For the switch trace: what the step returned, where the game now waits, and the queues.
    fn watch_return(&mut self, board: u32, step: Step) {
        let (now, game) = (self.arbiter.clock.now(), self.games[index(board)]);
        let (master_line, replies) = (&self.master_line, &self.replies);
        self.arbiter.sink.switch_with(|| {
            let (kind, says) = match step {
                Step::Ready => (
                    SwitchKind::Suspend,
                    "returned Ready (for the master): into master_line".into(),
                ),
                Step::Pending { until } => (
                    SwitchKind::Suspend,
                    format!("returned Pending {{ until: {until} }}: into replies"),
                ),
                Step::Done => (SwitchKind::Finish, "returned Done".to_owned()),
            };
            let switch = Switch::new(now, board, kind, format!("step(board {board}) {says}"));
            let paused = match step {
                Step::Done => switch,
                _ => switch.paused_at(PausedAt::State(game.to_string())),
            };
            paused.queues(queues(master_line, replies))
        });
    }

    /// The game being stepped failed with `failure`: it forfeits, at the moment it was due.
    fn forfeit(&mut self, failure: &(dyn Any + Send)) {
        let (board, at) = self.playing;
        self.games[index(board)] = Game::Forfeit;
        let message = PlannedFailure::message_of(failure);
        self.arbiter.sink.switch_with(|| {
            Switch::new(at, board, SwitchKind::Finish, format!("step(board {board}) panicked"))
        });
        self.arbiter.record(Event::forfeit(at, board, message));
    }

    /// At the limit: every game neither over nor forfeit is adjourned, in board order, and
    /// forgotten. Emptying the queues is the whole of cancelling: a paused game owns nothing
    /// but its enum, so nothing needs unwinding or freeing.
    fn adjourn(&mut self) {
        self.master_line.clear();
        self.replies = TimerQueue::new();
        for (board, game) in (1..).zip(&self.games) {
            if !matches!(game, Game::Over | Game::Forfeit) {
                self.arbiter.sink.switch_with(|| {
                    let says = format!("the limit: game {board} dropped, still {game}");
                    Switch::new(self.limit, board, SwitchKind::Finish, says)
                });
                self.arbiter.record(Event::adjourned(self.limit, board));
            }
        }
    }
}

/// What a step may touch: the rules, the clock and the sink. Shared by all games, owned by
/// the driver, lent to one step at a time. The clock is virtual unless the arbiter is made
/// [`with_clock`](Arbiter::with_clock).
#[derive(Debug)]
pub struct Arbiter<'a, S, C = VirtualClock> {
    exhibition: &'a Exhibition,
    clock: C,
    sink: &'a mut S,
}

impl<'a, S: Sink> Arbiter<'a, S> {
    /// An arbiter at time zero, for `exhibition`, reporting to `sink`.
    pub fn new(exhibition: &'a Exhibition, sink: &'a mut S) -> Arbiter<'a, S> {
        Arbiter::with_clock(exhibition, VirtualClock::new(), sink)
    }
}

impl<'a, S: Sink, C: Clock> Arbiter<'a, S, C> {
    /// An arbiter on `clock`, for `exhibition`, reporting to `sink`.
    pub fn with_clock(exhibition: &'a Exhibition, clock: C, sink: &'a mut S) -> Arbiter<'a, S, C> {
        Arbiter { exhibition, clock, sink }
    }

    /// The arbiter's clock: where the driver jumps when nothing is ready.
    pub fn clock(&mut self) -> &mut C {
        &mut self.clock
    }

    fn record(&mut self, event: Event) {
        self.sink.record(event);
    }
}

/// The driver's two queues as the switch trace shows them.
fn queues(master_line: &VecDeque<u32>, replies: &TimerQueue<u32>) -> Vec<Queue> {
    let replies = replies.in_order().into_iter().map(|(due, &board)| (due, board));
    vec![Queue::fifo("master_line", master_line.iter().copied()), Queue::timers("replies", replies)]
}

/// A game's state as the switch trace shows it: the variant, times as `h:mm:ss`.
impl fmt::Display for Game {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Game::AwaitingReply { pair, until } => {
                write!(f, "AwaitingReply {{ pair: {pair}, until: {until} }}")
            }
            other => write!(f, "{other:?}"),
        }
    }
}

/// Boards count from 1, the games vector from 0.
fn index(board: u32) -> usize {
    board as usize - 1
}

#[cfg(test)]
mod tests;
