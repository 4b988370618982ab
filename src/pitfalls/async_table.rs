//! What the async pitfalls share: the async lane's executor and master, and a trace to fill.
//!
//! The games themselves live in each pitfall's file, next to their fix; this is only the
//! table they sit at, the async lane's own pieces (its [`Executor`] and its fair `Master`)
//! plus the detector's findings turned into boards.
#![forbid(unsafe_code)]

use std::cell::RefCell;
use std::future::Future;
use std::time::Duration;

use super::{Options, Slow, Watched};
use crate::Exhibition;
use crate::lanes::async_await::Master;
use crate::lanes::async_await::executor::{Executor, Hooks};
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

    /// Runs `games` — the game on board `i + 1` as task `i` — to the end on the executor,
    /// every suspension reported to the trace as the async lane reports them (through the
    /// executor's [`Hooks`]). A game's panic ends the run, as plain `run` would.
    pub(super) fn run<F: Future<Output = ()>>(&self, games: impl IntoIterator<Item = F>) {
        self.executor.run_with(games, &mut &self.trace);
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

/// The trace hears of every suspension, task `i` being board `i + 1`; panics keep the default
/// (they end the run).
impl Hooks for &RefCell<Trace> {
    fn suspended(&mut self, task: usize) {
        self.borrow_mut().suspended(task as u32 + 1);
    }
}
