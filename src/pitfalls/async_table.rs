//! What the async pitfalls share: the async lane's executor and master, and a trace to fill.
//!
//! The games themselves live in each pitfall's file, next to their fix; this is only the
//! table they sit at, the async lane's own pieces (its [`Executor`] and its fair `Master`)
//! plus the detector's findings turned into boards.
#![forbid(unsafe_code)]

use std::cell::RefCell;
use std::future::Future;
use std::pin::pin;
use std::time::Duration;

use futures::future::poll_fn;

use super::{Options, Slow, Watched};
use crate::Exhibition;
use crate::lanes::async_await::Master;
use crate::lanes::async_await::executor::Executor;
use crate::trace::{Event, Sink, Trace};

/// The executor, the master and the trace every game of one run shares.
pub(super) struct Table<'a> {
    pub(super) exhibition: &'a Exhibition,
    pub(super) executor: Executor,
    pub(super) master: Master,
    /// Borrowed for one `record` at a time, never across an `.await`.
    trace: RefCell<Trace>,
}

impl<'a> Table<'a> {
    /// A fresh table; the executor reports slow polls when `options` asks for it.
    pub(super) fn new(exhibition: &'a Exhibition, options: &Options) -> Table<'a> {
        let executor = match options.slow_threshold {
            Some(threshold) => Executor::new().report_slow_polls(threshold),
            None => Executor::new(),
        };
        let trace = RefCell::new(Trace::new(exhibition));
        Table { exhibition, executor, master: Master::default(), trace }
    }

    pub(super) fn record(&self, event: Event) {
        self.trace.borrow_mut().record(event);
    }

    /// The master's move of `pair` on `board`, as the async lane makes it: wait for her turn
    /// in the fair line, then she is busy (CPU-bound, the loop waits with her), then she
    /// walks on.
    pub(super) async fn master_moves(&self, board: u32, pair: u32) {
        let turn = self.master.turn(&self.executor).await;
        self.record(Event::master_move(self.executor.now(), board, pair));
        self.executor.busy(self.exhibition.master_move());
        drop(turn);
    }

    /// `future`, the game on `board`, with every `Poll::Pending` it returns reported as a
    /// suspension: the `Pending`s the async lane counts through the executor's `Hooks`, here
    /// counted by a wrapper, as a pitfall's broken games need no more.
    pub(super) async fn counted(&self, board: u32, future: impl Future<Output = ()>) {
        let mut future = pin!(future);
        poll_fn(|cx| {
            let poll = future.as_mut().poll(cx);
            if poll.is_pending() {
                self.trace.borrow_mut().suspended(board);
            }
            poll
        })
        .await;
    }

    /// The trace, and what the detector saw: task `i` is board `i + 1`, because every async
    /// pitfall hands the executor its games in board order.
    pub(super) fn finish(self, threshold: Option<Duration>) -> (Trace, Option<Watched>) {
        let watched = threshold.map(|threshold| {
            let slow = (self.executor.slow_polls().into_iter())
                .map(|poll| Slow {
                    board: poll.task as u32 + 1,
                    started: poll.started,
                    took: poll.took,
                })
                .collect();
            Watched { what: "poll", holder: "the executor", threshold, slow }
        });
        (self.trace.into_inner(), watched)
    }
}
