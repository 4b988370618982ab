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
//! (see the async-await lane); on the right, the `enum` it becomes, which this lane writes by
//! hand. Every `.await` turns into a variant, and the locals alive across it (`pair`, when
//! the reply lands) into that variant's fields:
//!
//! ```text
//!   async fn game(board: u32, table: &Table) {      enum Game {
//!       // not polled yet             ──────►           Start,
//!       for pair in 1..=pairs {                         MasterToMove { pair: u32 },
//!           table.master_moves(board, pair);            AwaitingReply { pair: u32, until: Time },
//!           sleep(opponent_move).await;  // ──────►     Over,
//!           table.reply_lands(board, pair);             Forfeit, // a step panicked
//!       }                                           }
//!       table.game_over(board);                     fn step(&mut self, ..) -> Step
//!   }                                               // one arm per variant: the code between
//!                                                   // two .awaits, then switch variant
//! ```
//!
//! The driver in [`play`] owns every game, a FIFO of boards ready for the master and a
//! [`TimerQueue`] of boards waiting for a reply. It is the whole scheduler, and the same loop
//! every cooperative lane has somewhere:
//!
//! ```text
//!   play: one loop, on the one stack; the games have none, only their enums
//!     1. every timer due by now  ─► games[b].step() ─► Ready: board to the back of the FIFO
//!        (earliest first; each game                    (or Done: the game is over)
//!        starts there, due at 0:00:00)
//!     2. the FIFO's first board  ─► games[b].step() ─► Pending { until }: set a timer
//!     3. nothing ready           ─► jump the clock to the next deadline; nothing at all: stop
//! ```
//!
//! Landing the due replies *before* the master's next move is what keeps the trace in the
//! contract's order: a reply that landed at `t` is recorded at `t`, even while the master was
//! busy on another board, and before any move she starts at `t`.
//!
//! A paused game lives in its `enum`: 16 bytes, in one `Vec` allocated before the first move.
//! Stepping allocates nothing; the ready FIFO is allocated full-size up front, and the timer
//! queue starts with every board in it (due at 0:00:00) and never holds more.
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
//! That is all cancelling takes: a paused game owns nothing but its 16 bytes, so nothing has
//! to unwind, close or free. Its enum still says exactly where it stopped; like an adjourned
//! game's sealed move, it could be saved and stepped on tomorrow.
//!
//! # Example
//!
//! ```
//! use std::time::Duration;
//! use coro_simul::{Exhibition, lanes::state_machine, trace::Summary};
//!
//! let exhibition = Exhibition::default();
//! let mut summary = Summary::new(&exhibition);
//! state_machine::play(&exhibition, &mut summary);
//! assert_eq!(summary.total(), Duration::from_secs(3655)); // 1:00:55 instead of 12:00:00
//! assert_eq!(summary.games_over(), 24);
//! ```
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
//! The floor: the benchmarks measure every other lane against this one. Generators and
//! `async`/`await` compile to an enum like [`Game`], plus the machinery to resume it (a
//! waker, a resume argument); callbacks store the same state in boxed closures,
//! allocated afresh at every wait; green threads and threads keep a whole stack per game instead.
#![forbid(unsafe_code)]

use std::collections::VecDeque;
use std::panic::{self, AssertUnwindSafe};

use crate::clock::{Clock, Time, VirtualClock};
use crate::timers::TimerQueue;
use crate::trace::{Event, Sink};
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

/// What a step may touch: the rules, the clock and the sink. Shared by all games, owned by
/// the driver, lent to one step at a time. The clock is virtual unless the table is made
/// [`with_clock`](Table::with_clock).
#[derive(Debug)]
pub struct Table<'a, S, C = VirtualClock> {
    exhibition: &'a Exhibition,
    clock: C,
    sink: &'a mut S,
}

impl<'a, S: Sink> Table<'a, S> {
    /// A table at time zero, for `exhibition`, reporting to `sink`.
    pub fn new(exhibition: &'a Exhibition, sink: &'a mut S) -> Table<'a, S> {
        Table::with_clock(exhibition, VirtualClock::new(), sink)
    }
}

impl<'a, S: Sink, C: Clock> Table<'a, S, C> {
    /// A table on `clock`, for `exhibition`, reporting to `sink`.
    pub fn with_clock(exhibition: &'a Exhibition, clock: C, sink: &'a mut S) -> Table<'a, S, C> {
        Table { exhibition, clock, sink }
    }

    /// The table's clock: where the driver jumps when nothing is ready.
    pub fn clock(&mut self) -> &mut C {
        &mut self.clock
    }
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
    pub fn step<S: Sink, C: Clock>(&mut self, board: u32, table: &mut Table<'_, S, C>) -> Step {
        match *self {
            Game::Start => {
                // The code before the first wait: the game reaches pair 1, where it may fail.
                // Waiting for the master is where every game starts, not a suspension.
                table.exhibition.fail_if_planned(board, 1);
                *self = Game::MasterToMove { pair: 1 };
                Step::Ready
            }
            Game::MasterToMove { pair } => {
                // The master's move: her undivided attention, so the clock runs on.
                table.sink.record(Event::master_move(table.clock.now(), board, pair));
                table.clock.advance_by(table.exhibition.master_move());
                let until = table.clock.now() + table.exhibition.opponent_move();
                *self = Game::AwaitingReply { pair, until };
                table.sink.suspended(board);
                Step::Pending { until }
            }
            Game::AwaitingReply { pair, until } => {
                // Recorded at `until`, not at `now`: the reply landed then, even if the
                // master was still busy elsewhere.
                table.sink.record(Event::opponent_move(until, board, pair));
                if pair < table.exhibition.pairs() {
                    table.exhibition.fail_if_planned(board, pair + 1);
                    *self = Game::MasterToMove { pair: pair + 1 };
                    table.sink.suspended(board);
                    return Step::Ready;
                }
                table.sink.record(Event::game_over(until, board));
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
pub fn play<S: Sink>(exhibition: &Exhibition, sink: &mut S) {
    play_on(exhibition, VirtualClock::new(), sink);
}

/// [`play`] on another [`Clock`], such as a scaled wall clock: the same events, at the same
/// times.
pub fn play_on<C: Clock, S: Sink>(exhibition: &Exhibition, clock: C, sink: &mut S) {
    let mut table = Table::with_clock(exhibition, clock, sink);
    Driver::new(exhibition.opponents()).run(&mut table);
}

/// The whole scheduler: every game, a FIFO of boards ready for the master, a timer queue of
/// boards waiting for a reply.
#[derive(Debug)]
struct Driver {
    games: Vec<Game>,
    ready: VecDeque<u32>,
    timers: TimerQueue<u32>,
    /// The board being stepped, and the moment it was due: what the boundary needs if the
    /// step panics.
    stepping: (u32, Time),
}

impl Driver {
    /// Allocated once: every game, and a FIFO big enough for every board at once. Every game
    /// starts in the timer queue, due at 0:00:00, in board order: its first step, before any
    /// move, runs it up to its first wait.
    fn new(boards: u32) -> Driver {
        let (games, ready) =
            (vec![Game::Start; boards as usize], VecDeque::with_capacity(boards as usize));
        let mut timers = TimerQueue::new();
        (1..=boards).for_each(|board| timers.push(Time::ZERO, board));
        Driver { games, ready, timers, stepping: (0, Time::ZERO) }
    }

    /// Plays every game to its end, or to the time limit. This is the lane's boundary: a
    /// panic in a game's code unwinds out of [`Game::step`] and out of the driver loop to
    /// here, and no further; the game forfeits and the loop runs on from where it was.
    fn run<S: Sink, C: Clock>(&mut self, table: &mut Table<'_, S, C>) {
        // Without a time limit, the exhibition may go on to the end of (virtual) time.
        let limit = table.exhibition.time_limit().map_or(Time::MAX, Time::from_start);
        // Unwind safe enough: the queues are whole between steps (the failed board was
        // already out of its queue), and the failed game is overwritten before the loop goes on.
        while let Err(failure) = panic::catch_unwind(AssertUnwindSafe(|| self.drive(limit, table)))
        {
            let (board, at) = self.stepping;
            self.games[index(board)] = Game::Forfeit;
            let message = PlannedFailure::message_of(&*failure);
            table.sink.record(Event::forfeit(at, board, message));
        }
    }

    /// The driver loop: steps the games until every one is over or forfeit, or the limit.
    fn drive<S: Sink, C: Clock>(&mut self, limit: Time, table: &mut Table<'_, S, C>) {
        loop {
            // Land every reply due by now (and by the limit), earliest first, before the
            // master moves again.
            while let Some((until, board)) = self.timers.pop_due(table.clock.now().min(limit)) {
                self.step(board, until, table);
            }
            if table.clock.now() >= limit {
                return self.adjourn(limit, table); // no move starts at the limit or later
            }
            if let Some(board) = self.ready.pop_front() {
                self.step(board, table.clock.now(), table);
            } else if let Some(deadline) = self.timers.next_deadline() {
                // Nothing to do until the next reply lands, or the limit comes first.
                table.clock.advance_to(deadline.min(limit));
            } else {
                return; // nothing ready, nothing pending: every game is over or forfeit
            }
        }
    }

    /// Steps the game on `board`, due at `at`, and files the board where it waits next.
    fn step<S: Sink, C: Clock>(&mut self, board: u32, at: Time, table: &mut Table<'_, S, C>) {
        self.stepping = (board, at);
        match self.games[index(board)].step(board, table) {
            Step::Ready => self.ready.push_back(board),
            Step::Pending { until } => self.timers.push(until, board),
            Step::Done => {}
        }
    }

    /// At the limit `at`: every game neither over nor forfeit is adjourned, in board order,
    /// and forgotten. Emptying the queues is the whole of cancelling: a paused game owns
    /// nothing but its enum, so nothing needs unwinding or freeing.
    fn adjourn<S: Sink, C: Clock>(&mut self, at: Time, table: &mut Table<'_, S, C>) {
        self.ready.clear();
        self.timers = TimerQueue::new();
        for (board, game) in (1..).zip(&self.games) {
            if !matches!(game, Game::Over | Game::Forfeit) {
                table.sink.record(Event::adjourned(at, board));
            }
        }
    }
}

/// Boards count from 1, the games vector from 0.
fn index(board: u32) -> usize {
    board as usize - 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::Trace;
    use std::time::Duration;

    #[test]
    fn a_game_walks_through_its_states() {
        let exhibition = Exhibition::builder().opponents(1).pairs(2).build().unwrap();
        let mut trace = Trace::new(&exhibition);
        let mut table = Table::new(&exhibition, &mut trace);
        let mut game = Game::Start;
        let at = |secs| Time::from_start(Duration::from_secs(secs));
        assert_eq!(game.step(1, &mut table), Step::Ready);
        assert_eq!(game, Game::MasterToMove { pair: 1 });
        assert_eq!(game.step(1, &mut table), Step::Pending { until: at(60) });
        assert_eq!(game, Game::AwaitingReply { pair: 1, until: at(60) });
        table.clock().advance_to(at(60));
        assert_eq!(game.step(1, &mut table), Step::Ready);
        assert_eq!(game, Game::MasterToMove { pair: 2 });
        assert_eq!(game.step(1, &mut table), Step::Pending { until: at(120) });
        assert_eq!(game.step(1, &mut table), Step::Done);
        assert_eq!(game, Game::Over);
        assert_eq!(trace.events().len(), 5);
    }

    /// The module docs promise a paused game costs 16 bytes.
    #[test]
    fn a_paused_game_is_sixteen_bytes() {
        assert_eq!(std::mem::size_of::<Game>(), 16);
    }

    /// At the limit the driver forgets every paused game: its queues are empty, and each
    /// adjourned game's enum is all that is left of it, saying where it stopped.
    #[test]
    fn at_the_limit_the_driver_forgets_its_paused_games() {
        let exhibition = Exhibition::builder()
            .opponents(3)
            .pairs(2)
            .time_limit(Duration::from_secs(65))
            .build()
            .unwrap();
        let mut trace = Trace::new(&exhibition);
        let mut driver = Driver::new(3);
        driver.run(&mut Table::new(&exhibition, &mut trace));
        assert!(driver.ready.is_empty() && driver.timers.is_empty());
        let at = |secs| Time::from_start(Duration::from_secs(secs));
        let expected = [
            Game::AwaitingReply { pair: 2, until: at(120) }, // its reply would land after the limit
            Game::MasterToMove { pair: 2 },                  // its reply landed at the limit
            Game::AwaitingReply { pair: 1, until: at(70) },
        ];
        assert_eq!(driver.games, expected);
        let adjourned = trace.events().iter().filter(|e| e.name() == "adjourned");
        assert!(adjourned.map(|e| (e.board, e.t)).eq([(1, at(65)), (2, at(65)), (3, at(65))]));
    }

    /// A failing game unwinds out of its step into the driver and no further: it forfeits,
    /// and the others play to the end.
    #[test]
    fn a_failing_step_forfeits_and_the_others_play_on() {
        PlannedFailure::hush();
        let exhibition = Exhibition::builder().opponents(3).pairs(2).failure(2, 1).build().unwrap();
        let mut trace = Trace::new(&exhibition);
        let mut driver = Driver::new(3);
        driver.run(&mut Table::new(&exhibition, &mut trace));
        assert_eq!(driver.games, [Game::Over, Game::Forfeit, Game::Over]);
        assert_eq!(trace.events()[0].name(), "forfeit"); // at 0:00:00, before any move
        assert_eq!((trace.summary().games_over(), trace.summary().forfeits()), (2, 1));
    }

    #[test]
    #[should_panic(expected = "after it was over")]
    fn stepping_a_finished_game_is_a_bug() {
        let exhibition = Exhibition::default();
        let mut trace = Trace::new(&exhibition);
        Game::Over.step(1, &mut Table::new(&exhibition, &mut trace));
    }
}
