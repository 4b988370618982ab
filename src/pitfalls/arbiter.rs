//! What the async pitfalls share: the async lane's timer, executor and master, a trace to
//! fill, and the wrapper that watches every poll.
//!
//! The games themselves live in each pitfall's file, next to their fix; this is only the
//! [`Arbiter`] they share: the async lane's own pieces (its [`Timer`], its [`Executor`] and
//! its fair `Master`), and the wrapper each game is polled through, as the lane's board task
//! does. The wrapper times every poll — asyncio's debug mode: a poll that holds the executor
//! longer than a threshold of virtual time is noted, with its board — and is the game's panic
//! boundary: a game that fails is recorded `forfeit` there, and the others play on.

use std::cell::{Cell, RefCell};
use std::future::{Future, poll_fn};
use std::panic::{self, AssertUnwindSafe};
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use super::pitfall::Options;
use super::report::{Slow, Watched};
use crate::clock::Time;
use crate::lanes::async_await::Master;
use crate::lanes::async_await::executor::Executor;
use crate::lanes::async_await::timer::Timer;
use crate::trace::{Event, Sink, Trace};
use crate::{Exhibition, PlannedFailure};

/// The timer, the master and the trace every game of one run shares, and what the wrapper
/// around each game's polls saw.
pub(super) struct Arbiter<'a> {
    pub(super) exhibition: &'a Exhibition,
    pub(super) timer: Timer,
    pub(super) master: Master,
    /// Borrowed for one `record` at a time, never across an `.await`.
    trace: RefCell<Trace>,
    /// For each board, from board 1, when its last reply landed ([`landed`](Self::landed)):
    /// where its game has got to on the clock, which the timer may have passed. A game that
    /// fails is forfeit at that moment, as in the lane.
    reached: Vec<Cell<Time>>,
    /// The slow-poll threshold, `None` when timing is off, and the slow polls seen.
    threshold: Option<Duration>,
    slow: RefCell<Vec<Slow>>,
}

impl<'a> Arbiter<'a> {
    /// A fresh arbiter; polls are timed when `options` asks for it.
    pub(super) fn new(exhibition: &'a Exhibition, options: &Options) -> Arbiter<'a> {
        let trace = RefCell::new(Trace::new(exhibition));
        let reached = vec![Cell::new(Time::ZERO); exhibition.opponents() as usize];
        let (threshold, slow) = (options.slow_threshold, RefCell::default());
        Arbiter {
            exhibition,
            timer: Timer::new(),
            master: Master::default(),
            trace,
            reached,
            threshold,
            slow,
        }
    }

    pub(super) fn record(&self, event: Event) {
        self.trace.borrow_mut().record(event);
    }

    /// The reply to `pair` on `board`, which landed at `reply`: recorded at that moment (the
    /// game may run later, if the master was busy then), and where the game has got to.
    pub(super) fn landed(&self, board: u32, pair: u32, reply: Time) {
        self.record(Event::opponent_move(reply, board, pair));
        self.reached(board).set(reply);
    }

    fn reached(&self, board: u32) -> &Cell<Time> {
        &self.reached[board as usize - 1]
    }

    /// The master's move of `pair` on `board`, as the async lane makes it: wait for her turn
    /// in the fair line, then she is busy (CPU-bound, the loop waits with her), then she
    /// walks on.
    pub(super) async fn master_moves(&self, board: u32, pair: u32) {
        let turn = self.master.turn().await;
        self.record(Event::master_move(self.timer.now(), board, pair));
        self.timer.busy(self.exhibition.master_move());
        drop(turn);
    }

    /// Runs `games` — the game on board `i + 1` first in line — to the end, one task each,
    /// every poll watched as the async lane watches them: a suspension reported to the trace,
    /// a slow poll noted, a game's panic its board's forfeit.
    pub(super) fn run<F: Future<Output = ()>>(&self, games: impl IntoIterator<Item = F>) {
        let mut executor = Executor::new(&self.timer);
        let handles: Vec<_> = (1..)
            .zip(games)
            .map(|(board, game)| executor.spawn(self.watched(board, game)))
            .collect();
        executor.run();
        for handle in handles {
            // A game's panic is caught in `watched`: one that reaches the handle is the
            // arbiter's own bug, not a game's, and is not hidden.
            if let Some(Err(panic)) = executor.join(&handle) {
                panic::resume_unwind(panic);
            }
        }
    }

    /// `game`, on `board`, with each poll watched: `Pending` reported as a suspension, a poll
    /// that held the executor longer than the threshold noted, and a panic out of the poll
    /// recorded at once as the board's forfeit — at once, because the next event may be the
    /// master's move at that same moment, which the trace puts after it. The task then ends;
    /// the failing game holds no turn with the master (it fails before it asks for her).
    async fn watched(&self, board: u32, game: impl Future<Output = ()>) {
        let mut game = pin!(game);
        poll_fn(|cx| {
            let started = self.timer.now();
            let poll = self.contained(board, || game.as_mut().poll(cx));
            if poll.is_pending() {
                self.trace.borrow_mut().suspended(board);
            }
            self.note_if_slow(board, started);
            poll
        })
        .await;
    }

    /// `poll`, the game's on `board`, inside the game's panic boundary (the lane's `try:
    /// await game(board) except: ...`): a panic is the board's forfeit, with its message, at
    /// the moment the game had reached, and the game is over.
    fn contained(&self, board: u32, poll: impl FnOnce() -> Poll<()>) -> Poll<()> {
        panic::catch_unwind(AssertUnwindSafe(poll)).unwrap_or_else(|failure| {
            let message = PlannedFailure::message_of(&*failure);
            self.record(Event::forfeit(self.reached(board).get(), board, message));
            Poll::Ready(())
        })
    }

    /// Notes the poll of `board` begun at `started` if it held the executor longer than the
    /// threshold.
    fn note_if_slow(&self, board: u32, started: Time) {
        let Some(threshold) = self.threshold else { return };
        let took = self.timer.now() - started;
        if took > threshold {
            self.slow.borrow_mut().push(Slow { board, started, took });
        }
    }

    /// The trace, and the slow polls seen (if polls were timed).
    pub(super) fn finish(self) -> (Trace, Option<Watched>) {
        let slow = self.slow.into_inner();
        let watched = (self.threshold).map(|threshold| Watched {
            what: "poll",
            holder: "the executor",
            threshold,
            slow,
        });
        (self.trace.into_inner(), watched)
    }
}
