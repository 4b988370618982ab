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
//! its **[`Waker`]** — "put me back on the run queue" — to whatever it waits for: the sleep
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
//! lock, like tokio's `Mutex`). Her move is CPU-bound work, so it does not await:
//! [`Executor::busy`] advances the clock and the whole loop waits — she blocks the loop, on
//! purpose. Replies land meanwhile: their timers fire and wake their games, earliest first,
//! but those games run only once her move is over. Two things in the game follow:
//!
//! - a reply is recorded at the moment it *landed*, its deadline, not at `now`: the game may
//!   run late, when the master was busy as the reply came in;
//! - the boards line up in the order their games run, which is the order their replies
//!   landed, so every reply due by now is recorded before she moves again — the trace
//!   contract's order. One case needs help: a board that finds her free yields once first
//!   ([`Executor::yield_now`], asyncio's `sleep(0)`), so that games already woken behind it
//!   record their replies before she moves.
//!
//! A paused game lives in its future: a heap-allocated state machine of 184 bytes on x86-64
//! (the board, the pair, the reply time, the awaited sleep or turn, where to resume; a unit
//! test measures it) — no stack of its own. A suspension
//! costs a poll that returns `Pending`, a waker handed to a timer or to the master, and a
//! `wake()` that queues the task again: tens of nanoseconds, about 75 ns a move pair in the
//! README's measured table, 5 to 6 times the hand-written state machine's.
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
#![forbid(unsafe_code)]

pub mod executor;

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use futures::future::poll_fn;

use crate::Exhibition;
use crate::clock::{Clock, Time, VirtualClock};
use crate::trace::{Event, Sink};
use executor::Executor;

/// Plays the exhibition: one task per board on one [`Executor`], all run until done.
pub fn play<S: Sink>(exhibition: &Exhibition, sink: &mut S) {
    play_on(exhibition, VirtualClock::new(), sink);
}

/// [`play`] on another [`Clock`], such as a scaled wall clock: the same events, at the same
/// times.
pub fn play_on<C: Clock, S: Sink>(exhibition: &Exhibition, clock: C, sink: &mut S) {
    let executor = Executor::with_clock(clock);
    let sink = RefCell::new(sink);
    let table = Table { exhibition, executor: &executor, master: Master::default(), sink };
    executor.run((1..=exhibition.opponents()).map(|board| counted(board, &table)));
}

/// The game on `board` as the executor sees it: every `Poll::Pending` it returns is the game
/// suspending, reported to the sink as it happens.
async fn counted<S: Sink, C: Clock>(board: u32, table: &Table<'_, S, C>) {
    let mut game = pin!(game(board, table));
    poll_fn(|cx| {
        let poll = game.as_mut().poll(cx);
        if poll.is_pending() {
            table.sink.borrow_mut().suspended(board);
        }
        poll
    })
    .await;
}

/// One game on `board`: an ordinary `async fn`, suspended at each `.await` that is not ready.
async fn game<S: Sink, C: Clock>(board: u32, table: &Table<'_, S, C>) {
    let (exhibition, executor) = (table.exhibition, table.executor);
    let mut reply = Time::ZERO;
    for pair in 1..=exhibition.pairs() {
        let turn = table.master.turn(executor).await;
        table.record(Event::master_move(executor.now(), board, pair));
        executor.busy(exhibition.master_move()); // CPU-bound: the whole loop waits with her
        drop(turn); // she walks on to the next board in line
        reply = executor.now() + exhibition.opponent_move();
        executor.sleep_until(reply).await; // the master is free for the other boards
        // Recorded at the moment it landed: if she was busy then, this runs later.
        table.record(Event::opponent_move(reply, board, pair));
    }
    table.record(Event::game_over(reply, board));
}

/// What every game shares: the rules, the executor (clock and timers), the master, the trace.
struct Table<'a, S, C> {
    exhibition: &'a Exhibition,
    executor: &'a Executor<C>,
    master: Master,
    /// Borrowed for one `record` at a time, never across an `.await`.
    sink: RefCell<&'a mut S>,
}

impl<S: Sink, C> Table<'_, S, C> {
    fn record(&self, event: Event) {
        self.sink.borrow_mut().record(event);
    }
}

/// The master: at one board at a time, in the order the boards asked — a fair (FIFO) lock,
/// built as a ticket lock: take a number, wait until it is served.
#[derive(Debug, Default)]
pub(crate) struct Master {
    /// The next number to hand out.
    next_ticket: Cell<u64>,
    /// The number she is serving; equal to `next_ticket` when nobody has or wants her.
    serving: Cell<u64>,
    /// One slot per waiting number after `serving`, in order: the waker to call when that
    /// number comes up (`None` until its future is first polled).
    line: RefCell<VecDeque<Option<Waker>>>,
}

impl Master {
    /// Waits until the master is this board's: at once if she is free, else when the board
    /// before it in line is done.
    pub(crate) async fn turn<'m, C: Clock>(&'m self, executor: &Executor<C>) -> Turn<'m> {
        let ticket = self.take_ticket();
        if self.serving.get() == ticket {
            // She is free, but boards whose replies landed while she was busy may be on the
            // run queue, their replies not yet recorded: let them go first, so they record
            // and get in line behind us before she moves.
            executor.yield_now().await;
        } else {
            poll_fn(|cx| self.poll_turn(ticket, cx)).await;
        }
        Turn { master: self }
    }

    fn poll_turn(&self, ticket: u64, cx: &mut Context<'_>) -> Poll<()> {
        if self.serving.get() == ticket {
            return Poll::Ready(());
        }
        let place = usize::try_from(ticket - self.serving.get() - 1).expect("a line in memory");
        self.line.borrow_mut()[place] = Some(cx.waker().clone());
        Poll::Pending
    }

    fn take_ticket(&self) -> u64 {
        let ticket = self.next_ticket.get();
        self.next_ticket.set(ticket + 1);
        if ticket != self.serving.get() {
            self.line.borrow_mut().push_back(None);
        }
        ticket
    }

    /// The board holding her is done: serve the next number, waking its board if it waits.
    ///
    /// That board needs no yield: the replies that landed during her move woke their games
    /// inside [`Executor::busy`], before this wake, so they run — and record — first.
    fn release(&self) {
        self.serving.set(self.serving.get() + 1);
        if let Some(Some(waker)) = self.line.borrow_mut().pop_front() {
            waker.wake();
        }
    }
}

/// A board's turn with the master; she moves on when it is dropped.
#[derive(Debug)]
pub(crate) struct Turn<'m> {
    master: &'m Master,
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        self.master.release();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::Summary;

    /// What a paused game weighs: the whole future the executor boxes for one board (the
    /// game, and the wrapper that counts its suspensions): 184 bytes on x86-64 with Rust 1.95,
    /// under the 256 bytes the measured table (issue 9) allows a stackless paused game.
    #[test]
    fn a_paused_game_is_a_small_future() {
        let exhibition = Exhibition::default();
        let executor = Executor::new();
        let mut summary = Summary::new(&exhibition);
        let sink = RefCell::new(&mut summary);
        let table =
            Table { exhibition: &exhibition, executor: &executor, master: Master::default(), sink };
        let size = std::mem::size_of_val(&counted(1, &table));
        println!("a game's future: {size} bytes");
        assert!(size <= 256, "a game's future grew to {size} bytes");
    }
}
