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
//!       for pair in 1..=pairs {                         MasterToMove { pair: u32 },
//!           table.master_moves(board, pair);            AwaitingReply { pair: u32, until: Time },
//!           sleep(opponent_move).await;  // ──────►     Over,
//!           table.reply_lands(board, pair);         }
//!       }
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
//!     1. every reply due by now  ─► games[b].step() ─► Ready: board to the back of the FIFO
//!        (timer queue, earliest first)                 (or Done: the game is over)
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
//! queue only grows to the largest number of replies pending at once.
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

use crate::Exhibition;
use crate::clock::{Clock, Time, VirtualClock};
use crate::timers::TimerQueue;
use crate::trace::{Event, Sink};

/// One game, stopped at one of the points where it can wait. This is the whole paused game:
/// there is no stack behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Game {
    /// Waiting for the master to come and make her move of `pair`. Every game starts here,
    /// with pair 1.
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
    /// A game about to start: the master's first move is next.
    pub const START: Game = Game::MasterToMove { pair: 1 };

    /// Runs the game on `board` from where it stopped to where it next waits, and says what
    /// for. The driver calls it when the master comes to the board (`MasterToMove`) or when
    /// the awaited reply lands (`AwaitingReply`, at or after `until`).
    ///
    /// # Panics
    ///
    /// If the game is [`Over`](Game::Over): like polling a finished future, stepping a
    /// finished game is a bug in the driver.
    pub fn step<S: Sink, C: Clock>(&mut self, board: u32, table: &mut Table<'_, S, C>) -> Step {
        match *self {
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
                    *self = Game::MasterToMove { pair: pair + 1 };
                    table.sink.suspended(board);
                    return Step::Ready;
                }
                table.sink.record(Event::game_over(until, board));
                *self = Game::Over;
                Step::Done
            }
            Game::Over => panic!("stepped the game on board {board} after it was over"),
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
    // Allocated once: every game, and a FIFO big enough for every board at once.
    let mut games = vec![Game::START; exhibition.opponents() as usize];
    let mut ready: VecDeque<u32> = (1..=exhibition.opponents()).collect();
    let mut timers: TimerQueue<u32> = TimerQueue::new();
    let mut table = Table::with_clock(exhibition, clock, sink);
    loop {
        // Land every reply due by now, earliest first, before the master moves again.
        while let Some((_, board)) = timers.pop_due(table.clock.now()) {
            let step = games[index(board)].step(board, &mut table);
            schedule(board, step, &mut ready, &mut timers);
        }
        if let Some(board) = ready.pop_front() {
            let step = games[index(board)].step(board, &mut table);
            schedule(board, step, &mut ready, &mut timers);
        } else if let Some(deadline) = timers.next_deadline() {
            table.clock.advance_to(deadline); // nothing to do until the next reply lands
        } else {
            return; // nothing ready, nothing pending: every game is over
        }
    }
}

/// Files `board` where its step says it waits: the ready FIFO, the timer queue, or nowhere.
fn schedule(board: u32, step: Step, ready: &mut VecDeque<u32>, timers: &mut TimerQueue<u32>) {
    match step {
        Step::Ready => ready.push_back(board),
        Step::Pending { until } => timers.push(until, board),
        Step::Done => {}
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
        let mut game = Game::START;
        let at = |secs| Time::from_start(Duration::from_secs(secs));
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

    #[test]
    #[should_panic(expected = "after it was over")]
    fn stepping_a_finished_game_is_a_bug() {
        let exhibition = Exhibition::default();
        let mut trace = Trace::new(&exhibition);
        Game::Over.step(1, &mut Table::new(&exhibition, &mut trace));
    }
}
