//! The run queue: the tasks that may make progress now, where every `wake()` lands.
//!
//! A [`Waker`](std::task::Waker) is called with no executor in hand — a timer, the master's
//! line, any code holding a clone may call it — so the queue must be reachable from nowhere
//! in particular. It lives in a thread-local: the executor running on this thread installs
//! its queue when [`run`](super::Executor::run) starts ([`Running::start`]) and takes it
//! down when `run` ends, even by a panic. A wake checks that the queue belongs to the task's
//! run (each run has its own id), so a waker woken on another thread, or after its run has
//! ended, panics instead of queueing a stranger's task.
//!
//! Rules the queue keeps: a task is in it at most once (`queued` says which are), in the
//! order it was woken; the executor takes the whole queue at a time, as one batch, and a task
//! woken while that batch runs goes into the next.
#![forbid(unsafe_code)]

use std::cell::RefCell;

thread_local! {
    /// The run queue of the executor running on this thread.
    static RUN_QUEUE: RefCell<RunQueue> = const { RefCell::new(RunQueue::NONE) };
}

/// Tasks that may run, each at most once, in the order they were woken.
#[derive(Debug)]
struct RunQueue {
    /// The run whose tasks these are, by its id; 0 while no executor runs.
    run: usize,
    /// Task numbers, first woken first.
    order: Vec<usize>,
    /// `queued[i]`: task `i` is in `order`, so waking it again changes nothing.
    queued: Vec<bool>,
}

impl RunQueue {
    /// The run queue while no executor runs on this thread.
    const NONE: RunQueue = RunQueue { run: 0, order: Vec::new(), queued: Vec::new() };
}

/// What every task's waker does: puts task `task` of run `run` on the run queue, unless it
/// is queued already.
///
/// # Panics
///
/// If that run is not the one going on on this thread.
#[inline(always)] // half of every suspension: called through the waker's table
pub(super) fn wake(run: usize, task: usize) {
    RUN_QUEUE.with_borrow_mut(|run_queue| {
        if run_queue.run != run {
            panic!("a task was woken outside its executor's `run`, or on another thread");
        }
        let queued = &mut run_queue.queued[task];
        if !*queued {
            *queued = true;
            run_queue.order.push(task);
        }
    });
}

/// Moves the whole run queue into `batch` (emptied first), first woken first. A task woken
/// from here on, even by a poll in this batch, queues again, for the next batch.
pub(super) fn take(batch: &mut Vec<usize>) {
    RUN_QUEUE.with_borrow_mut(|run_queue| {
        let RunQueue { order, queued, .. } = run_queue;
        order.iter().for_each(|&task| queued[task] = false);
        batch.clear();
        std::mem::swap(batch, order);
    });
}

/// This thread's run queue while an executor runs; dropping it (even in a panic) takes the
/// queue down, so the thread can run an executor again.
#[derive(Debug)]
pub(super) struct Running;

impl Running {
    /// Sets up the run queue of run `run`, with its `tasks` all queued in order.
    ///
    /// # Panics
    ///
    /// If an executor is already running on this thread (a `run` inside a task).
    pub(super) fn start(run: usize, tasks: usize) -> Running {
        let run_queue = RunQueue { run, order: (0..tasks).collect(), queued: vec![true; tasks] };
        RUN_QUEUE.with_borrow_mut(|slot| {
            assert!(slot.run == 0, "an executor is already running on this thread");
            *slot = run_queue;
        });
        Running
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        RUN_QUEUE.with_borrow_mut(|slot| *slot = RunQueue::NONE);
    }
}
