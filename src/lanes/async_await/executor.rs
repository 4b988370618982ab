//! A single-threaded executor on virtual time: a run queue, real [`Waker`]s and a timer.
//!
//! # How it works
//!
//! An executor owns tasks (futures it was given) and polls them. It keeps two lists:
//!
//! - the **run queue**: the tasks that may make progress now, first in first out. A task gets
//!   in only through its [`Waker`]: the executor polls each task once when it is spawned, and
//!   after that only when something calls `wake()` on a waker the task handed out.
//! - the **timers**: a [`TimerQueue`] of wakers by deadline. [`Executor::sleep_until`] hands
//!   the task's waker to the timers and returns `Pending`; the executor calls `wake()` when
//!   the deadline comes.
//!
//! ```text
//!   run ─┬─► run queue empty? ─► land every timer due by now ─► nothing due? jump the clock
//!        │                         (waker.wake() ─► run queue)      to the next deadline
//!        └─► pop a task ─► poll it ─► Ready: done
//!                                  └► Pending: it gave its waker to a timer (or the master)
//! ```
//!
//! Time is the shared [`VirtualClock`]: it moves when a task is [`busy`](Executor::busy) (and
//! then the whole loop waits, as a CPU-bound step blocks a real event loop), and it jumps to
//! the next deadline only when no task can run. It never runs backwards.
//!
//! The waker is the one thing that must work from any thread (`Waker` is `Send + Sync`), so
//! the run queue sits behind a `Mutex` the wakers share, and each task has a flag so that it
//! is queued at most once however often it is woken. Everything else is plain `RefCell`s:
//! only the executor's own thread ever touches them.
//!
//! # Example
//!
//! ```
//! use std::cell::RefCell;
//! use std::time::Duration;
//! use coro_simul::lanes::async_await::executor::Executor;
//!
//! let executor = Executor::new();
//! let log = RefCell::new(Vec::new());
//! let napper = |name: &'static str, secs| {
//!     let (executor, log) = (&executor, &log);
//!     async move {
//!         executor.sleep(Duration::from_secs(secs)).await;
//!         log.borrow_mut().push((name, executor.now().since_start().as_secs()));
//!     }
//! };
//! executor.run([napper("long", 60), napper("short", 5)]);
//! assert_eq!(*log.borrow(), [("short", 5), ("long", 60)]);
//! ```
#![forbid(unsafe_code)]

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use futures::future::LocalBoxFuture;
use futures::task::{ArcWake, waker};

use crate::clock::{Time, VirtualClock};
use crate::timers::TimerQueue;

/// Runs futures on one thread, on virtual time. See [the module docs](self).
#[derive(Debug, Default)]
pub struct Executor {
    clock: RefCell<VirtualClock>,
    /// Wakers of sleeping tasks, by deadline; ties in the order the sleeps began.
    timers: RefCell<TimerQueue<Waker>>,
    /// The tasks that may run. Shared with the wakers, which may be called from any thread.
    run_queue: Arc<Mutex<RunQueue>>,
}

/// Tasks that may run, each at most once, in the order they were woken.
#[derive(Debug, Default)]
struct RunQueue {
    /// Task indices, first woken first.
    order: Vec<usize>,
    /// `queued[i]`: task `i` is in `order`, so waking it again changes nothing.
    queued: Vec<bool>,
}

/// A spawned future and the waker it hands out.
struct Task<'a> {
    /// `None` once the future has finished: a finished future must not be polled again.
    future: Option<LocalBoxFuture<'a, ()>>,
    waker: Waker,
}

/// What a task's [`Waker`] does: put the task's index on the run queue, once.
#[derive(Debug)]
struct TaskWake {
    index: usize,
    run_queue: Arc<Mutex<RunQueue>>,
}

impl ArcWake for TaskWake {
    fn wake_by_ref(arc_self: &Arc<Self>) {
        let mut run_queue = arc_self.run_queue.lock().expect("a waker panicked");
        let queued = &mut run_queue.queued[arc_self.index];
        if !*queued {
            *queued = true;
            run_queue.order.push(arc_self.index);
        }
    }
}

impl Executor {
    /// An executor with no tasks, its clock at zero.
    pub fn new() -> Executor {
        Executor::default()
    }

    /// The current moment on the executor's clock.
    pub fn now(&self) -> Time {
        self.clock.borrow().now()
    }

    /// The running task works for `length` without yielding: a CPU-bound step. The clock
    /// moves on and no other task runs meanwhile; timers that fall due wake their tasks as
    /// a real timer would, but those tasks run only once this one gives the loop back.
    pub fn busy(&self, length: Duration) {
        self.clock.borrow_mut().advance_by(length);
        self.wake_due_timers();
    }

    /// A future that is ready once `length` has passed (asyncio's `sleep(length)`).
    pub fn sleep(&self, length: Duration) -> Sleep<'_> {
        self.sleep_until(self.now() + length)
    }

    /// A future that is ready at `deadline`. It always suspends once, even when the deadline
    /// has passed: a sleep gives the other tasks their turn.
    pub fn sleep_until(&self, deadline: Time) -> Sleep<'_> {
        Sleep { executor: self, deadline, registered: false }
    }

    /// Gives every other task a turn, then resumes (asyncio's `sleep(0)`): the task goes
    /// behind every task already runnable and every timer already due, so whatever has
    /// happened by now is seen to before it goes on. The clock does not move.
    ///
    /// Timers due by now have already woken their tasks (the clock only moves in
    /// [`busy`](Executor::busy) and in jumps, and both wake them), so going to the back of the
    /// run queue is enough.
    pub fn yield_now(&self) -> YieldNow {
        YieldNow { yielded: false }
    }

    /// Runs every future in `futures` to the end, each as its own task, and returns when all
    /// are done (asyncio's `run(gather(...))`).
    ///
    /// # Panics
    ///
    /// If some tasks wait for a wake-up that nothing will ever send (no task can run and no
    /// timer is set): a deadlock in the tasks.
    pub fn run<'a, F>(&self, futures: impl IntoIterator<Item = F>)
    where
        F: Future<Output = ()> + 'a,
    {
        let mut tasks: Vec<Task<'a>> = futures.into_iter().map(|f| self.spawn(f)).collect();
        let mut unfinished = tasks.len();
        let mut runnable = Vec::new();
        while unfinished > 0 {
            self.take_runnable(&mut runnable);
            if runnable.is_empty() {
                assert!(self.jump_to_next_timer(), "deadlock: {unfinished} tasks wait forever");
            }
            for index in runnable.drain(..) {
                unfinished -= usize::from(poll(&mut tasks[index]));
            }
        }
    }

    /// Moves the whole run queue into `runnable` (one lock for the batch), first woken first.
    /// A task woken from here on, even by a poll in this batch, queues again for the next.
    fn take_runnable(&self, runnable: &mut Vec<usize>) {
        let mut run_queue = self.run_queue.lock().expect("a waker panicked");
        let RunQueue { order, queued } = &mut *run_queue;
        order.iter().for_each(|&index| queued[index] = false);
        std::mem::swap(runnable, order);
    }

    /// Makes `future` the next task, and queues it for its first poll.
    fn spawn<'a>(&self, future: impl Future<Output = ()> + 'a) -> Task<'a> {
        let index = {
            let mut run_queue = self.run_queue.lock().expect("a waker panicked");
            run_queue.queued.push(false);
            run_queue.queued.len() - 1
        };
        let waker = waker(Arc::new(TaskWake { index, run_queue: self.run_queue.clone() }));
        waker.wake_by_ref();
        Task { future: Some(Box::pin(future)), waker }
    }

    /// Nothing can run: jumps the clock to the earliest deadline (if it is still ahead) and
    /// wakes what is due. False if no timer is set.
    fn jump_to_next_timer(&self) -> bool {
        let Some(next) = self.timers.borrow().next_deadline() else { return false };
        self.clock.borrow_mut().advance_to(next);
        self.wake_due_timers();
        true
    }

    /// Wakes every task whose timer is due by now, earliest deadline first.
    fn wake_due_timers(&self) {
        let now = self.now();
        while let Some((_, waker)) = self.timers.borrow_mut().pop_due(now) {
            waker.wake();
        }
    }
}

/// Polls `task` once with its own waker; true if it has just finished.
fn poll(task: &mut Task<'_>) -> bool {
    let Some(future) = task.future.as_mut() else { return false };
    let finished = future.as_mut().poll(&mut Context::from_waker(&task.waker)).is_ready();
    if finished {
        task.future = None;
    }
    finished
}

/// The future of [`Executor::sleep_until`]: ready at its deadline.
#[derive(Debug)]
#[must_use = "a sleep does nothing unless it is awaited"]
pub struct Sleep<'e> {
    executor: &'e Executor,
    deadline: Time,
    /// Whether the waker has been handed to the timers (exactly once).
    registered: bool,
}

impl Future for Sleep<'_> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if !self.registered {
            self.registered = true;
            self.executor.timers.borrow_mut().push(self.deadline, cx.waker().clone());
            return Poll::Pending;
        }
        if self.executor.now() >= self.deadline { Poll::Ready(()) } else { Poll::Pending }
    }
}

/// The future of [`Executor::yield_now`]: pending once, then ready.
#[derive(Debug)]
#[must_use = "yielding does nothing unless it is awaited"]
pub struct YieldNow {
    yielded: bool,
}

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        cx.waker().wake_by_ref(); // straight back on the run queue, behind everyone there
        Poll::Pending
    }
}
