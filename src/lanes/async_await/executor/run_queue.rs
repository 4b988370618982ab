//! The run queue: the tasks that may make progress now, where every `wake()` lands.
//!
//! **Where it lives.** A [`Waker`](std::task::Waker) is called with no executor in hand — a
//! timer, the master's line, any code holding a clone may call it — so the queue must be
//! reachable from nowhere in particular. The executor owns it, and while its
//! [`run`](super::Executor::run) goes on, lends it to this thread ([`RunQueue::install`]):
//! a thread-local holds a pointer to it for the length of a closure and is cleared as the
//! closure ends, even by a panic — a *scoped* thread-local, what the `scoped-tls` crate
//! offers. A wake checks that a queue is there and that it belongs to the task's run (each
//! run has its own id), so a waker woken on another thread, or after its run has ended,
//! panics instead of queueing a stranger's task.
//!
//! Following that pointer is this file's `unsafe` block, and the reason it is written here
//! rather than taken from `scoped-tls`: the crate's accessor was not inlined, and reaches its
//! thread-local through a function pointer. Measured on the round-trip benchmark's
//! exhibition (16 boards × 20 000 pairs), per move pair: 564 instructions instead of 496
//! (callgrind), 46.5 ns instead of 40.6 — a wake is half of every suspension. A plain
//! `thread_local!` holding the queue itself needs no `unsafe`, but the queue owns memory,
//! and a thread-local with a destructor is reached through a registration check and a
//! call: the executor was written so before, and it cost 70 instructions more per pair.
//!
//! **What it is.** A task is in the queue at most once, so the queue needs no buffer of its
//! own: it is a chain through the tasks. `next[i]` says where task `i` stands — not in the
//! queue, or in it with task `next[i]` behind it (or nobody, if it is the last) — and the
//! queue remembers its first and last task. Waking a queued task changes nothing; taking
//! the first task out of the queue lets it be queued again, so a task woken while it is
//! being polled (a `yield_now`) is polled again later, behind the others.
//!
//! ```text
//!   head = 3, tail = 0          next: [0]: END   [1]: OUT   [2]: 0   [3]: 2
//!   the queue: 3 ─► 2 ─► 0      (task 1 is not queued: nothing woke it)
//! ```
//!
//! Every field that changes is a [`Cell`]: a wake reaches the queue through a shared
//! reference, from inside a poll, while the executor also holds one; there is never a borrow
//! to check.
#![allow(unsafe_code)] // the async lane denies it; this file follows the queue's pointer

use std::cell::Cell;

thread_local! {
    /// The run queue of the executor running on this thread, while it runs; null otherwise.
    static RUN_QUEUE: Cell<*const RunQueue> = const { Cell::new(std::ptr::null()) };
}

/// In `next`: the task is the last in the queue. In `head`: the queue is empty.
const END: usize = usize::MAX;
/// In `next`: the task is not in the queue.
const OUT: usize = usize::MAX - 1;

/// Tasks that may run, each at most once, in the order they were woken: see [the module
/// docs](self).
#[derive(Debug)]
pub(super) struct RunQueue {
    /// The run whose tasks these are, by its id.
    run: usize,
    /// The first task in the queue, or `END`.
    head: Cell<usize>,
    /// The last task in the queue; meaningless while it is empty.
    tail: Cell<usize>,
    /// For each task: `OUT`, or the task behind it in the queue (`END` for the last).
    next: Box<[Cell<usize>]>,
}

impl RunQueue {
    /// The run queue of run `run`, with its `tasks` all queued, in order.
    pub(super) fn new(run: usize, tasks: usize) -> RunQueue {
        let next = (1..=tasks).map(|behind| Cell::new(if behind == tasks { END } else { behind }));
        let head = Cell::new(if tasks == 0 { END } else { 0 });
        RunQueue { run, head, tail: Cell::new(tasks.saturating_sub(1)), next: next.collect() }
    }

    /// Runs `f` with this queue installed as this thread's: every wake on this thread lands
    /// here until `f` returns or panics.
    ///
    /// # Panics
    ///
    /// If an executor is already running on this thread (a `run` inside a task).
    pub(super) fn install<R>(&self, f: impl FnOnce() -> R) -> R {
        /// Takes the queue down as `install` ends, even by a panic.
        struct Installed;
        impl Drop for Installed {
            fn drop(&mut self) {
                RUN_QUEUE.set(std::ptr::null());
            }
        }
        assert_idle();
        RUN_QUEUE.set(self);
        let _installed = Installed;
        f()
    }

    /// Takes the first task out of the queue, if there is one.
    #[inline(always)]
    pub(super) fn pop(&self) -> Option<usize> {
        let task = self.head.get();
        if task == END {
            return None;
        }
        let place = &self.next[task];
        self.head.set(place.get());
        place.set(OUT);
        Some(task)
    }

    /// Puts `task` at the back of the queue, unless it is queued already.
    ///
    /// # Panics
    ///
    /// If `task` is not one of this run's tasks.
    #[inline(always)]
    fn push(&self, task: usize) {
        let Some(place) = self.next.get(task) else {
            panic!("task {task} is not one of its run's")
        };
        if place.get() != OUT {
            return; // woken twice before it ran: it runs once
        }
        place.set(END);
        match self.head.get() {
            END => self.head.set(task),
            _ => self.next[self.tail.get()].set(task),
        }
        self.tail.set(task);
    }
}

/// Checks that no executor is running on this thread: before a `run` touches anything.
///
/// # Panics
///
/// If one is (a `run` inside a task).
pub(super) fn assert_idle() {
    assert!(RUN_QUEUE.get().is_null(), "an executor is already running on this thread");
}

/// What every task's waker does: puts task `task` of run `run` on the run queue, unless it
/// is queued already.
///
/// # Panics
///
/// If that run is not the one going on on this thread, or `task` is not one of its tasks.
#[inline(always)] // half of every suspension: called through the waker's table
pub(super) fn wake(run: usize, task: usize) {
    let queue = RUN_QUEUE.get();
    if queue.is_null() {
        panic!("a task was woken outside its executor's `run`, or on another thread");
    }
    // SAFETY: only `install` sets the pointer, to its own `&self`, and clears it before it
    // returns or unwinds. The pointer is thread-local, and `&RunQueue` is not `Send`; so, not
    // null, it points at a queue still borrowed (shared) by an `install` running on this
    // thread's stack. No `&mut RunQueue` exists meanwhile: whatever changes is in a `Cell`.
    let queue = unsafe { &*queue };
    if queue.run != run {
        panic!("a task was woken outside its executor's `run`, or on another thread");
    }
    queue.push(task);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::panic::{AssertUnwindSafe, catch_unwind};

    fn drain(queue: &RunQueue) -> Vec<usize> {
        std::iter::from_fn(|| queue.pop()).collect()
    }

    #[test]
    fn every_task_starts_queued_in_order() {
        assert_eq!(drain(&RunQueue::new(1, 4)), [0, 1, 2, 3]);
        assert!(drain(&RunQueue::new(1, 0)).is_empty());
    }

    #[test]
    fn first_woken_first_out_and_each_at_most_once() {
        let queue = RunQueue::new(1, 4);
        drain(&queue);
        for task in [2, 0, 2, 3, 0, 3] {
            queue.push(task); // 2 and 0 again while queued, 3 again while last: no change
        }
        assert_eq!(queue.pop(), Some(2));
        queue.push(2); // out of the queue, so it queues again, at the back
        assert_eq!(drain(&queue), [0, 3, 2]);
    }

    #[test]
    #[should_panic(expected = "task 4 is not one of its run's")]
    fn a_task_number_past_the_run_panics() {
        RunQueue::new(1, 4).push(4);
    }

    /// A panic inside `install` takes the queue down: a wake after it panics, and the thread
    /// can install a queue again.
    #[test]
    fn a_panic_inside_install_takes_the_queue_down() {
        let queue = RunQueue::new(7, 1);
        drain(&queue);
        let failed = catch_unwind(AssertUnwindSafe(|| queue.install(|| panic!("a task failed"))));
        assert!(failed.is_err());
        assert!(catch_unwind(|| wake(7, 0)).is_err(), "no queue to wake into");
        queue.install(|| wake(7, 0));
        assert_eq!(drain(&queue), [0]);
    }

    /// An `install` inside another is refused, and leaves the outer queue in place.
    #[test]
    fn a_nested_install_is_refused_and_the_outer_queue_stays() {
        let (outer, inner) = (RunQueue::new(1, 2), RunQueue::new(2, 2));
        drain(&outer);
        outer.install(|| {
            let nested = catch_unwind(AssertUnwindSafe(|| inner.install(|| ())));
            assert!(nested.is_err());
            wake(1, 1); // still lands in the outer queue
            assert!(catch_unwind(|| wake(2, 0)).is_err(), "the inner run is not going on");
        });
        assert_eq!(drain(&outer), [1]);
    }
}
