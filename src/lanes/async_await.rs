//! Async/await: each game is an `async fn`, and a small executor on virtual time runs them all.
//!
//! # How it works
//!
//! The game reads like the synchronous one, with `.await` where it waits. Calling it runs
//! nothing: an `async fn` returns a **future**, a state machine the compiler writes for you —
//! an enum with one variant per `.await`, holding the locals that live across it (the
//! state-machine lane writes that enum by hand). A future is lazy: it moves only when
//! someone **polls** it, and each poll runs it to its next `.await` that is not ready, where
//! it returns `Poll::Pending`.
//!
//! Who polls? The [`executor`]: [`play`] hands it one future per board (`asyncio.gather`),
//! and it polls them one at a time on one thread. Before a future returns `Pending` it gives
//! its **[`Waker`](std::task::Waker)** — "put me back on the run queue" — to whatever it waits for: the sleep
//! gives it to the executor's timer queue, a board waiting for the master leaves it with
//! her. Nobody polls a future that has not been woken.
//!
//! ```text
//!   executor ──poll──► game(board 3) ─► master.turn().await ─► she moves (busy 5 s)
//!      ▲                                  ─► sleep_until(reply).await ─► Pending ──┐
//!      │  the stack unwinds to the executor; board 3's state stays in its future   │
//!      └──────── the timer falls due: waker.wake() ─► run queue ◄──────────────────┘
//! ```
//!
//! The master is a shared resource: boards queue up for her, first come first served (a fair
//! lock, like tokio's `Mutex`; the private `master` module builds it as a ticket lock, its
//! waiting a future written by hand). Her move is CPU-bound work, so it does not await:
//! [`Executor::busy`] advances the clock and the whole loop waits — she blocks the loop, on
//! purpose. Replies land meanwhile: their timers fire and wake their games, earliest first,
//! but those games run only once her move is over. Two things in the game follow:
//!
//! - a reply is recorded at the moment it *landed*, its deadline, not at `now`: the game may
//!   run late, when the master was busy as the reply came in;
//! - the boards line up in the order their games run, which is the order their replies
//!   landed, so every reply due by now is recorded before she moves again — the trace
//!   contract's order. One case needs help: a board that finds her free yields once first
//!   (as [`Executor::yield_now`] does, asyncio's `sleep(0)`), so that games already woken
//!   behind it record their replies before she moves.
//!
//! **Counting suspensions.** The executor sees every one: a poll that returned `Pending`.
//! It tells the lane ([`Hooks::suspended`]), which reports it to the sink as it happens —
//! the suspensions `compare` shows.
//!
//! **When a game fails.** A game's code runs only inside `poll`, so its panic comes out of
//! `poll` — the first poll at 0:00:00 when it fails at pair 1, the poll after its reply
//! landed for a later pair. The executor catches it, as tokio's `spawn` does: one
//! `catch_unwind` around its whole loop, nothing per poll. It drops that task's future and
//! tells the lane ([`Hooks::panicked`]), which records the board `forfeit` at the moment
//! its game had reached (its last reply's landing, which the clock may have passed while
//! the master was busy); then it goes on polling the others. The failing game holds no turn
//! with the master — it fails before it asks for her — so her line is never left blocked.
//!
//! **When time runs out.** The executor is given the limit ([`Executor::stop_at`]): no
//! timer fires after it, so no reply lands after it, and the games woken by then run until
//! they next wait. The master starts no move at the limit or later: a board whose turn
//! comes then waits for ever. With nothing left to run before the limit, the executor
//! stops and drops every unfinished future; their destructors run (a dropped turn passes
//! the master on, a board dropped while in line gives up its place), and the lane records
//! those boards `adjourned`.
//!
//! A paused game lives in its future: a heap-allocated state machine of 96 bytes on x86-64
//! (the board, the pair, the reply time, the awaited sleep or turn, where to resume; a unit
//! test measures it) — no stack of its own. A suspension costs a poll that returns
//! `Pending`, a waker handed to a timer or to the master, and a `wake()` that queues the
//! task again: two a move pair, about 41 ns together in the README's measured table, 3.6
//! times the hand-written state machine's move pair (4.4 in a build laid out differently),
//! which does the same work with no wakers, no run queue and no layers of futures.
//!
//! # Example
//!
//! ```
//! use std::time::Duration;
//! use coro_simul::{Exhibition, lanes::async_await, trace::Summary};
//!
//! let exhibition = Exhibition::default();
//! let mut summary = Summary::new(&exhibition);
//! async_await::play(&exhibition, &mut summary);
//! assert_eq!(summary.total(), Duration::from_secs(3655)); // 1:00:55, not 12 hours
//! assert_eq!(summary.games_over(), 24);
//! ```
//!
//! # When to use it
//!
//! When many tasks spend most of their time waiting — for the network, a disk, a timer — and
//! you want to write each one as straight-line code. It is Rust's standard way to do that,
//! with runtimes (tokio, smol) that do for sockets what this executor does for the clock.
//! Not for CPU-bound work: a task that computes without awaiting blocks every other task,
//! as the master's move does here on purpose.
//!
//! # Compared with the others
//!
//! Written like the synchronous game, paused like the state-machine lane (the compiler
//! writes the enum), resumed like the callbacks lane (a loop with a timer queue calls back).
//! Unlike green threads, it can suspend only at an `.await` in an `async fn`: "async" is
//! contagious (a function's colour) but costs no stack.
//!
//! The same games on tokio's current-thread runtime with a paused clock give the same trace
//! (`tests/async_await_tokio_parity.rs`) — for durations in whole milliseconds, because
//! tokio's timer counts milliseconds and rounds every sleep up to the next one, while this
//! executor's clock counts nanoseconds.
#![deny(unsafe_code)] // but in two files of `executor`: its `Waker`, and the run queue's pointer

pub mod executor;
mod master;

use std::any::Any;
use std::cell::{Cell, RefCell};

use crate::clock::{Clock, Time, VirtualClock};
use crate::trace::{Event, Sink};
use crate::{Exhibition, PlannedFailure};
use executor::{Executor, Hooks};
pub(crate) use master::Master;

/// Plays the exhibition: one task per board on one [`Executor`], all run until done.
pub fn play<S: Sink>(exhibition: &Exhibition, sink: &mut S) {
    play_on(exhibition, VirtualClock::new(), sink);
}

/// [`play`] on another [`Clock`], such as a scaled wall clock: the same events, at the same
/// times.
pub fn play_on<C: Clock, S: Sink>(exhibition: &Exhibition, clock: C, sink: &mut S) {
    let limit = exhibition.time_limit().map(Time::from_start);
    let executor = match limit {
        Some(limit) => Executor::with_clock(clock).stop_at(limit),
        None => Executor::with_clock(clock),
    };
    let table = Table::new(exhibition, &executor, sink);
    let games = (1..=exhibition.opponents()).map(|board| game(board, &table));
    // The table hears of every suspension and failure (task `i` is board `i + 1`).
    let dropped = executor.run_with(games, &mut &table);
    // Stopped by the limit: the tasks it dropped unfinished.
    for task in dropped {
        let limit = limit.expect("only a time limit stops the executor early");
        table.record(Event::adjourned(limit, task as u32 + 1));
    }
}

/// What the executor tells the lane about its tasks, task `i` being board `i + 1`: a
/// suspension is reported to the sink as it happens; a panic is the game failing — the
/// executor has ended that task, and the board is forfeit at the moment its game had reached.
impl<S: Sink, C> Hooks for &Table<'_, S, C> {
    #[inline]
    fn suspended(&mut self, task: usize) {
        self.sink.borrow_mut().suspended(task as u32 + 1);
    }

    fn panicked(&mut self, task: usize, failure: Box<dyn Any + Send>) {
        let board = task as u32 + 1;
        let message = PlannedFailure::message_of(&*failure);
        self.record(Event::forfeit(self.reached(board).get(), board, message));
    }
}

/// One game on `board`: an ordinary `async fn`, suspended at each `.await` that is not ready.
async fn game<S: Sink, C: Clock>(board: u32, table: &Table<'_, S, C>) {
    let (exhibition, executor) = (table.exhibition, table.executor);
    for pair in 1..=exhibition.pairs() {
        exhibition.fail_if_planned(board, pair); // a planned failure: a panic, out of `poll`
        let turn = table.master.turn(executor).await;
        table.record(Event::master_move(executor.now(), board, pair));
        executor.busy(exhibition.master_move()); // CPU-bound: the whole loop waits with her
        drop(turn); // she walks on to the next board in line
        let reply = executor.now() + exhibition.opponent_move();
        executor.sleep_until(reply).await; // the master is free for the other boards
        // Recorded at the moment it landed: if she was busy then, this runs later.
        table.record(Event::opponent_move(reply, board, pair));
        table.reached(board).set(reply);
    }
    table.record(Event::game_over(table.reached(board).get(), board));
}

/// What every game shares: the rules, the executor (clock and timers), the master, the trace.
struct Table<'a, S, C> {
    exhibition: &'a Exhibition,
    executor: &'a Executor<C>,
    master: Master,
    /// Borrowed for one `record` at a time, never across an `.await`.
    sink: RefCell<&'a mut S>,
    /// For each board, from board 1, when its last reply landed: where its game has got to on
    /// the clock, which the executor may have passed (if the master was busy then). A game
    /// that fails is forfeit at that moment.
    reached: Vec<Cell<Time>>,
}

impl<'a, S: Sink, C> Table<'a, S, C> {
    fn new(exhibition: &'a Exhibition, executor: &'a Executor<C>, sink: &'a mut S) -> Self {
        let reached = vec![Cell::new(Time::ZERO); exhibition.opponents() as usize];
        Table { exhibition, executor, master: Master::default(), sink: RefCell::new(sink), reached }
    }

    #[inline(always)] // an event passed through memory to a call costs a stall
    fn record(&self, event: Event) {
        self.sink.borrow_mut().record(event);
    }

    fn reached(&self, board: u32) -> &Cell<Time> {
        &self.reached[board as usize - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lanes::testing::PausedGuard;
    use crate::trace::{Summary, Trace};

    /// What a paused game weighs: the whole future the executor boxes for one board: 96
    /// bytes on x86-64 with Rust 1.95. The bound has room for a compiler's whims, not for a
    /// second copy of what the game holds.
    #[test]
    fn a_paused_game_is_a_small_future() {
        let exhibition = Exhibition::default();
        let executor = Executor::new();
        let mut summary = Summary::new(&exhibition);
        let table = Table::new(&exhibition, &executor, &mut summary);
        let size = std::mem::size_of_val(&game(1, &table));
        println!("a game's future: {size} bytes");
        assert!(size <= 128, "a game's future grew to {size} bytes");
    }

    /// [`play_on`], with a guard in every task around the lane's own game; returns
    /// the boards adjourned and how many tasks were dropped before their game was over.
    fn play_guarded(exhibition: &Exhibition) -> (Vec<u32>, u32) {
        let limit = Time::from_start(exhibition.time_limit().expect("a time limit"));
        let executor = Executor::new().stop_at(limit);
        let mut trace = Trace::new(exhibition);
        let table = Table::new(exhibition, &executor, &mut trace);
        let dropped_paused = Cell::new(0);
        let tasks = (1..=exhibition.opponents()).map(|board| {
            let (table, dropped_paused) = (&table, &dropped_paused);
            async move {
                let mut guard = PausedGuard::new(dropped_paused);
                game(board, table).await;
                guard.over();
            }
        });
        let dropped = executor.run(tasks);
        assert_eq!(executor.now(), limit, "stopped, the clock stands at the limit");
        (dropped.iter().map(|&task| task as u32 + 1).collect(), dropped_paused.get())
    }

    /// At the limit the executor drops the unfinished futures: each adjourned game's future
    /// is destroyed, its guard with it, although the game never finished. The boards waiting
    /// in the master's line leave it as they go, so dropping them in any state is safe.
    #[test]
    fn at_the_limit_the_unfinished_futures_are_dropped() {
        let limited = |secs| {
            let limit = std::time::Duration::from_secs(secs);
            Exhibition::builder().opponents(3).pairs(2).time_limit(limit).build().unwrap()
        };
        // 0:01:05: every game is waiting, for its reply or for the master (board 2, whose
        // reply landed at the limit, got in line and will never be served).
        assert_eq!(play_guarded(&limited(65)), (vec![1, 2, 3], 3));
        // 0:02:05: boards 1 and 2 are over (board 2 exactly at the limit), board 3 is not.
        assert_eq!(play_guarded(&limited(125)), (vec![3], 1));
    }

    /// A board that stops waiting for the master gives up its place: the board behind it is
    /// served as soon as the master is free, instead of waiting for ever behind a ghost.
    #[test]
    fn a_board_dropped_while_in_line_gives_up_its_place() {
        use futures::future::{Either, select};
        let executor = Executor::new();
        let master = Master::default();
        let served = RefCell::new(Vec::new());
        let (executor, master, served) = (&executor, &master, &served);
        let holds_her = async move {
            let _turn = master.turn(executor).await;
            executor.sleep(std::time::Duration::from_secs(10)).await; // she is busy with us
        };
        // Gives up after 1 s in line: its `turn` future is dropped, unserved.
        let impatient = async move {
            let turn = Box::pin(master.turn(executor));
            let gives_up = Box::pin(executor.sleep(std::time::Duration::from_secs(1)));
            match select(turn, gives_up).await {
                Either::Left(_turn) => served.borrow_mut().push("impatient"),
                Either::Right(((), turn)) => drop(turn), // out of the line, unserved
            }
        };
        let patient = async move {
            let _turn = master.turn(executor).await;
            served.borrow_mut().push("patient");
            assert_eq!(executor.now().since_start().as_secs(), 10);
        };
        let tasks: [std::pin::Pin<Box<dyn Future<Output = ()>>>; 3] =
            [Box::pin(holds_her), Box::pin(impatient), Box::pin(patient)];
        executor.run(tasks);
        assert_eq!(*served.borrow(), ["patient"]);
    }
}
