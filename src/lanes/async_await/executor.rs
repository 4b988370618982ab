//! A single-threaded executor on virtual time: a run queue, real [`Waker`]s and a timer.
//!
//! # How it works
//!
//! An executor owns tasks (the futures it was given) and polls them. It keeps two lists:
//!
//! - the **run queue**: the tasks that may make progress now, first woken first, each at most
//!   once. A task gets in only through its [`Waker`]: every task is queued once at the start,
//!   and after that only when something calls `wake()` on a waker the task handed out.
//! - the **timers**: a [`TimerQueue`] of wakers by deadline. A [`Sleep`] hands the task's
//!   waker to the timers and returns `Pending`; when the deadline passes, the executor calls
//!   `wake()`, and the task is polled again.
//!
//! ```text
//!   run ──► the run queue's first task ──► poll it ──► Ready: finished
//!    ▲                                        │         Pending: its waker is with a timer,
//!    │                                        │                  or with whatever it awaits
//!    │        (empty?) jump the clock to the next deadline, wake what is due
//!    └──────────── waker.wake() puts the task back on the run queue ◄──┘
//! ```
//!
//! Time is the executor's [`Clock`], the [`VirtualClock`] unless it was made
//! [`with_clock`](Executor::with_clock). It moves in two ways only, and both wake every timer
//! that falls due: a task is [`busy`](Executor::busy) (CPU-bound work: the clock runs on
//! and every other task waits, as on a real event loop), or no task can run and the clock
//! jumps to the next deadline. It never runs backwards.
//!
//! **A time limit** ([`stop_at`](Executor::stop_at)) is a deadline for the whole run: no
//! timer fires after it, even when a busy task takes the clock past it; the tasks woken by
//! then run until they next wait; and when nothing can run before the limit, `run` jumps the
//! clock there and drops every unfinished task — each future's destructors run, as when a
//! runtime shuts down and cancels its tasks. It says which tasks it dropped.
//!
//! **What it tells its caller** ([`Hooks`], given to [`run_with`](Executor::run_with)): every
//! suspension, a poll that returned `Pending`, as it happens; and every task that panicked.
//! A panic ends only its own task, as with tokio's `spawn` (which hands it to the task's
//! `JoinHandle`): one `catch_unwind` surrounds the whole loop, so polling costs nothing
//! extra; after a panic the executor drops that task's future, tells the hooks, and enters
//! its loop again where it stopped. Plain [`run`](Executor::run) lets the panic go on out of
//! `run`, dropping every task on the way (the run queue outlives them, so a task may wake
//! another while it is dropped).
//!
//! **A task's waker** carries the task's number and nothing else (the private `waker`
//! module builds it, with one of the crate's two `unsafe` blocks): cloning it copies a
//! word, dropping it does nothing. A `Waker` must be `Send + Sync` — its type promises that
//! any thread may call it — but here every wake happens on the executor's own thread, from
//! a timer or from another task. So the run queue is lent to the thread while `run` goes on
//! (the private `run_queue` module, with the other `unsafe` block), and a wake is three
//! stores into a chain through the tasks (none if the task is queued already), with no
//! lock, no reference count and no allocation; a wake from any other thread panics instead
//! of being lost. This matters: a clone and a wake are half of every suspension, and the
//! lane is measured against hand-written state machines.
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
#![deny(unsafe_code)] // but in `waker` (makes the `Waker`) and `run_queue` (finds the queue)

mod hooks;
mod run_queue;
mod sleep;
mod slow_polls;
mod waker;

use std::cell::RefCell;
use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use crate::clock::{Clock, Time, VirtualClock};
use crate::timers::TimerQueue;
pub use hooks::Hooks;
use run_queue::RunQueue;
pub use sleep::{Sleep, YieldNow};
pub use slow_polls::SlowPoll;
use slow_polls::SlowPolls;

/// Runs futures on one thread, on virtual time. See [the module docs](self).
#[derive(Debug)]
pub struct Executor<C = VirtualClock> {
    clock: RefCell<C>,
    /// Wakers of sleeping tasks, by deadline; ties in the order the sleeps began.
    timers: RefCell<TimerQueue<Waker>>,
    /// `Some` once [`report_slow_polls`](Executor::report_slow_polls) was called: off by
    /// default, and then it costs nothing.
    slow: Option<SlowPolls>,
    /// The time limit of [`stop_at`](Executor::stop_at): no timer fires after it.
    limit: Option<Time>,
}

/// A spawned future and the waker it hands out.
struct Task<F> {
    /// `None` once the future has finished: a finished future must not be polled again.
    future: Option<Pin<Box<F>>>,
    waker: Waker,
}

impl Default for Executor {
    fn default() -> Executor {
        Executor::new()
    }
}

impl Executor {
    /// An executor with no tasks, its virtual clock at zero.
    pub fn new() -> Executor {
        Executor::with_clock(VirtualClock::new())
    }
}

impl<C: Clock> Executor<C> {
    /// An executor with no tasks, on `clock`.
    pub fn with_clock(clock: C) -> Executor<C> {
        let timers = RefCell::default();
        Executor { clock: RefCell::new(clock), timers, slow: None, limit: None }
    }

    /// This executor with a time limit: no timer fires after `limit`, and [`run`](Self::run)
    /// stops once nothing can run before it — the clock jumps to the limit and every
    /// unfinished task is dropped, as a runtime cancels its tasks when it shuts down.
    pub fn stop_at(mut self, limit: Time) -> Executor<C> {
        self.limit = Some(limit);
        self
    }

    /// The time limit, if [`stop_at`](Self::stop_at) set one. A task that must not start
    /// anything at the limit asks here: the executor stops only once nothing can run.
    pub fn limit(&self) -> Option<Time> {
        self.limit
    }

    /// The current moment on the executor's clock.
    #[inline]
    pub fn now(&self) -> Time {
        self.clock.borrow().now()
    }

    /// The running task works for `length` without yielding: a CPU-bound step. The clock
    /// moves on and no other task runs meanwhile; timers that fall due wake their tasks as
    /// a real timer would, but those tasks run only once this one gives the loop back.
    #[inline(always)]
    pub fn busy(&self, length: Duration) {
        self.clock.borrow_mut().advance_by(length);
        self.wake_due_timers();
    }

    /// A future that is ready once `length` has passed (asyncio's `sleep(length)`).
    pub fn sleep(&self, length: Duration) -> Sleep<'_, C> {
        self.sleep_until(self.now() + length)
    }

    /// A future that is ready at `deadline`. It always suspends once, even when the deadline
    /// has passed: a sleep gives the other tasks their turn.
    pub fn sleep_until(&self, deadline: Time) -> Sleep<'_, C> {
        Sleep::new(self, deadline)
    }

    /// Gives every other task a turn, then resumes (asyncio's `sleep(0)`): the task goes
    /// behind every task already runnable and every timer already due, so whatever has
    /// happened by now is seen to before it goes on. The clock does not move.
    ///
    /// Timers due by now have already woken their tasks (the clock only moves in
    /// [`busy`](Executor::busy) and in jumps, and both wake them), so going to the back of the
    /// run queue is enough.
    pub fn yield_now(&self) -> YieldNow {
        YieldNow::new()
    }

    /// Runs every future in `futures` to the end, each as its own task, and returns when all
    /// are done (asyncio's `run(gather(...))`). The futures are all of one type, so polling
    /// one is a direct call; to mix kinds, box them (`FutureExt::boxed_local`). Each is pinned
    /// in a box of its own: a future may borrow from itself across an `.await`, so it must
    /// never move once polled.
    ///
    /// With a time limit ([`stop_at`](Self::stop_at)) it may stop first: it returns the
    /// tasks it dropped unfinished, by their place in `futures`, in order. Without one, or
    /// when every task finished in time, that list is empty.
    ///
    /// A task's panic leaves `run`, and every task is dropped on the way out; to have a task
    /// fail alone, run with [`Hooks`] ([`run_with`](Self::run_with)).
    ///
    /// # Panics
    ///
    /// If some tasks wait for a wake-up that nothing will ever send (no task can run and no
    /// timer is set) and there is no time limit: a deadlock in the tasks. If another executor
    /// is running on this thread (a `run` inside a task).
    pub fn run<F: Future<Output = ()>>(&self, futures: impl IntoIterator<Item = F>) -> Vec<usize> {
        self.run_with(futures, &mut ())
    }

    /// [`run`](Self::run), telling `hooks` about each task as it goes: every suspension (a
    /// poll that returned `Pending`), and every panic. A task's panic ends only that task, as
    /// with tokio's `spawn`: the executor catches it, drops the task's future, hands the panic
    /// to [`Hooks::panicked`], and goes on running the others.
    ///
    /// The catching costs nothing per poll: one `catch_unwind` surrounds the whole loop, and
    /// after a panic the loop is entered again where it stopped.
    ///
    /// # Panics
    ///
    /// As [`run`](Self::run); and with the panic of a task, if `hooks` lets it go on.
    pub fn run_with<F: Future<Output = ()>>(
        &self,
        futures: impl IntoIterator<Item = F>,
        hooks: &mut impl Hooks,
    ) -> Vec<usize> {
        if self.slow.is_none() {
            return self.run_tasks(futures, hooks);
        }
        // The detector wraps every task, so that the plain loop carries no timing at all.
        let timed = futures.into_iter().enumerate().map(|(task, future)| self.timed(task, future));
        self.run_tasks(timed, hooks)
    }

    /// [`run_with`](Self::run_with), once the detector's wrapping is settled.
    fn run_tasks<F: Future<Output = ()>>(
        &self,
        futures: impl IntoIterator<Item = F>,
        hooks: &mut impl Hooks,
    ) -> Vec<usize> {
        // Each run tells its wakers from every other run's, this executor's earlier runs too:
        // a waker kept from one is refused by the next, not taken for one of its tasks.
        static RUNS: AtomicU64 = AtomicU64::new(0);
        // A `run` inside a task is refused before it touches this executor's timers.
        run_queue::assert_idle();
        let run = waker::run_tag(RUNS.fetch_add(1, Ordering::Relaxed));
        // Timers left by an earlier run belong to its tasks: forgotten, they never fire here.
        *self.timers.borrow_mut() = TimerQueue::new();
        let tasks: Vec<Task<F>> =
            futures.into_iter().enumerate().map(|(index, f)| task(run, index, f)).collect();
        let queue = RunQueue::new(run, tasks.len()); // every task queued, in order
        // The tasks are dropped inside `install`, even in a panic: a task dropped may wake
        // another (a turn passed on), and a wake needs the run queue.
        queue.install(|| self.run_installed(&queue, tasks, hooks))
    }

    /// [`run_tasks`](Self::run_tasks) with the run queue in place: one `catch_unwind` around
    /// the loop, entered again after a task's panic.
    fn run_installed<F: Future<Output = ()>>(
        &self,
        queue: &RunQueue,
        mut tasks: Vec<Task<F>>,
        hooks: &mut impl Hooks,
    ) -> Vec<usize> {
        let mut at = Loop { unfinished: tasks.len(), polling: None };
        loop {
            let run = AssertUnwindSafe(|| self.drive(queue, &mut tasks, &mut at, hooks));
            let panic = match panic::catch_unwind(run) {
                Ok(dropped) => return dropped,
                Err(panic) => panic,
            };
            // Out of a task's poll: that task is over. Out of anything else: not ours to catch.
            let Some(index) = at.polling.take() else { panic::resume_unwind(panic) };
            // Its destructors run now; one that panics too is ignored (tokio does the same):
            // the task's own panic is the one to report.
            let _ = panic::catch_unwind(AssertUnwindSafe(|| tasks[index].future = None));
            at.unfinished -= 1;
            hooks.panicked(index, panic);
        }
    }

    /// The executor's loop, from where `at` says it is: polls the first task in the run
    /// queue, and when there is none, jumps the clock to the next timer. Returns when every
    /// task is done, or the tasks dropped at the time limit.
    fn drive<F: Future<Output = ()>>(
        &self,
        queue: &RunQueue,
        tasks: &mut [Task<F>],
        at: &mut Loop,
        hooks: &mut impl Hooks,
    ) -> Vec<usize> {
        while at.unfinished > 0 {
            let Some(index) = queue.pop() else {
                if !self.jump_to_next_timer() {
                    assert!(self.limit.is_some(), "deadlock: {} tasks wait forever", at.unfinished);
                    return self.stop(tasks); // nothing can run before the limit
                }
                continue;
            };
            at.polling = Some(index);
            let polled = poll(&mut tasks[index]);
            at.polling = None; // what panics from here on is not the task's
            match polled {
                Some(Poll::Pending) => hooks.suspended(index),
                Some(Poll::Ready(())) => at.unfinished -= 1,
                None => {} // woken after it finished: nothing to do
            }
        }
        Vec::new()
    }

    /// The time limit has come and nothing can run before it: jumps the clock to the limit,
    /// forgets the timers that would fire after it, and drops every unfinished task — its
    /// future's destructors run now. Returns their indices, in order.
    fn stop<F>(&self, tasks: &mut [Task<F>]) -> Vec<usize> {
        if let Some(limit) = self.limit {
            self.clock.borrow_mut().advance_to(limit);
        }
        *self.timers.borrow_mut() = TimerQueue::new();
        (tasks.iter_mut().enumerate())
            .filter_map(|(index, task)| task.future.take().map(|_dropped| index))
            .collect()
    }

    /// Nothing can run: jumps the clock to the earliest deadline (if it is still ahead) and
    /// wakes what is due. False if no timer is set before the time limit.
    fn jump_to_next_timer(&self) -> bool {
        let Some(next) = self.timers.borrow().next_deadline() else { return false };
        if self.limit.is_some_and(|limit| next > limit) {
            return false;
        }
        self.clock.borrow_mut().advance_to(next);
        self.wake_due_timers();
        true
    }

    /// Wakes every task whose timer is due by now, earliest deadline first; none due after
    /// the time limit, even when a busy task has taken the clock past it.
    #[inline(always)]
    fn wake_due_timers(&self) {
        let now = self.limit.map_or(self.now(), |limit| limit.min(self.now()));
        while let Some((_, waker)) = self.timers.borrow_mut().pop_due(now) {
            waker.wake();
        }
    }
}

/// Where the executor's loop is, kept outside it so that it can go on after a task's panic.
#[derive(Debug)]
struct Loop {
    /// Tasks not finished yet.
    unfinished: usize,
    /// The task being polled, if one is: the one a panic came out of.
    polling: Option<usize>,
}

/// Makes `future` task number `index` of run `run`: its waker queues that index.
fn task<F: Future<Output = ()>>(run: usize, index: usize, future: F) -> Task<F> {
    Task { future: Some(Box::pin(future)), waker: waker::task_waker(run, index) }
}

/// Polls `task` once with its own waker, unless it has finished already (then `None`).
#[inline]
fn poll<F: Future<Output = ()>>(task: &mut Task<F>) -> Option<Poll<()>> {
    let future = task.future.as_mut()?;
    let poll = future.as_mut().poll(&mut Context::from_waker(&task.waker));
    if poll.is_ready() {
        task.future = None;
    }
    Some(poll)
}
