//! What the async pitfalls share: the async lane's timer, executor and master, a trace to
//! fill, and the slow-poll detector.
//!
//! The games themselves live in each pitfall's file, next to their fix; this is only the
//! [`Arbiter`] they share, the async lane's own pieces (its [`Timer`], its [`Executor`] and
//! its fair `Master`) plus the detector, asyncio's debug mode: every poll that holds the
//! executor longer than a threshold of virtual time is noted, with its board.

use std::cell::RefCell;
use std::future::{Future, poll_fn};
use std::panic;
use std::pin::pin;
use std::time::Duration;

use super::pitfall::Options;
use super::report::{Slow, Watched};
use crate::Exhibition;
use crate::clock::Time;
use crate::lanes::async_await::Master;
use crate::lanes::async_await::executor::Executor;
use crate::lanes::async_await::timer::Timer;
use crate::trace::{Event, Sink, Trace};

/// The timer, the master and the trace every game of one run shares, and the detector.
pub(super) struct Arbiter<'a> {
    pub(super) exhibition: &'a Exhibition,
    pub(super) timer: Timer,
    pub(super) master: Master,
    /// Borrowed for one `record` at a time, never across an `.await`.
    trace: RefCell<Trace>,
    /// The detector's threshold, `None` when it is off, and the slow polls it saw.
    threshold: Option<Duration>,
    slow: RefCell<Vec<Slow>>,
}

impl<'a> Arbiter<'a> {
    /// A fresh arbiter; the detector is on when `options` asks for it.
    pub(super) fn new(exhibition: &'a Exhibition, options: &Options) -> Arbiter<'a> {
        let trace = RefCell::new(Trace::new(exhibition));
        let (threshold, slow) = (options.slow_threshold, RefCell::default());
        Arbiter {
            exhibition,
            timer: Timer::new(),
            master: Master::default(),
            trace,
            threshold,
            slow,
        }
    }

    pub(super) fn record(&self, event: Event) {
        self.trace.borrow_mut().record(event);
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
    /// a slow poll noted. A game's panic ends the run, once the others are done.
    pub(super) fn run<F: Future<Output = ()>>(&self, games: impl IntoIterator<Item = F>) {
        let mut executor = Executor::new(&self.timer);
        let handles: Vec<_> = (1..)
            .zip(games)
            .map(|(board, game)| executor.spawn(self.watched(board, game)))
            .collect();
        executor.run();
        for handle in handles {
            if let Some(Err(panic)) = executor.join(&handle) {
                panic::resume_unwind(panic);
            }
        }
    }

    /// `game`, on `board`, with each poll watched: `Pending` reported as a suspension, and a
    /// poll that held the executor longer than the threshold noted.
    async fn watched(&self, board: u32, game: impl Future<Output = ()>) {
        let mut game = pin!(game);
        poll_fn(|cx| {
            let started = self.timer.now();
            let poll = game.as_mut().poll(cx);
            if poll.is_pending() {
                self.trace.borrow_mut().suspended(board);
            }
            self.note_if_slow(board, started);
            poll
        })
        .await;
    }

    /// The detector: notes the poll of `board` begun at `started` if it held the executor
    /// longer than the threshold.
    fn note_if_slow(&self, board: u32, started: Time) {
        let Some(threshold) = self.threshold else { return };
        let took = self.timer.now() - started;
        if took > threshold {
            self.slow.borrow_mut().push(Slow { board, started, took });
        }
    }

    /// The trace, and what the detector saw (if it was on).
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
