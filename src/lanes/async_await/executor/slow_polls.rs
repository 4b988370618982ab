//! The slow-poll detector, asyncio's debug mode: every poll that holds the executor longer
//! than a threshold of its clock is noted. Off by default, and then it costs nothing: only
//! when it is on does [`Executor::run_with`] wrap each task in a future that times its polls.
#![forbid(unsafe_code)]

use std::cell::RefCell;
use std::future::Future;
use std::pin::pin;
use std::time::Duration;

use futures::future::poll_fn;

use super::Executor;
use crate::clock::{Clock, Time};

/// The slow-poll detector: a threshold and what it has seen.
#[derive(Debug)]
pub(super) struct SlowPolls {
    threshold: Duration,
    seen: RefCell<Vec<SlowPoll>>,
}

/// A poll that held the executor longer than the threshold given to
/// [`Executor::report_slow_polls`]: asyncio's debug-mode warning
/// "Executing <Task …> took 600.000 seconds".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlowPoll {
    /// The task, by its place in the list given to [`Executor::run`], from 0.
    pub task: usize,
    /// When the poll began.
    pub started: Time,
    /// How long it held the executor: no other task ran meanwhile.
    pub took: Duration,
}

impl<C: Clock> Executor<C> {
    /// This executor with the slow-poll detector on (asyncio's debug mode): every poll that
    /// holds it longer than `threshold` of virtual time is noted as a [`SlowPoll`].
    pub fn report_slow_polls(mut self, threshold: Duration) -> Executor<C> {
        self.slow = Some(SlowPolls { threshold, seen: RefCell::default() });
        self
    }

    /// The slow polls seen so far, in the order they ended; empty when the detector is off.
    pub fn slow_polls(&self) -> Vec<SlowPoll> {
        self.slow.as_ref().map(|slow| slow.seen.borrow().clone()).unwrap_or_default()
    }

    /// `future` as task `task` with the detector on: each of its polls timed on the clock,
    /// and noted if it held the executor longer than the threshold.
    pub(super) async fn timed<F: Future<Output = ()>>(&self, task: usize, future: F) {
        let mut future = pin!(future);
        poll_fn(|cx| {
            let started = self.now();
            let poll = future.as_mut().poll(cx);
            self.note_if_slow(task, started);
            poll
        })
        .await;
    }

    /// The detector: notes the poll of `task` begun at `started` if it held the executor
    /// longer than the threshold.
    fn note_if_slow(&self, task: usize, started: Time) {
        let Some(slow) = &self.slow else { return };
        let took = self.now() - started;
        if took > slow.threshold {
            slow.seen.borrow_mut().push(SlowPoll { task, started, took });
        }
    }
}
