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
//!   run ──► take the run queue ──► poll each task ──► Ready: finished
//!    ▲                                   │            Pending: its waker is with a timer,
//!    │                                   │                     or with whatever it awaits
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
//! **A panicking task** is not caught here: its panic leaves `run`, which drops every task
//! on the way out (the run queue outlives them, so a task may wake another while it is
//! dropped). tokio catches a task's panic and hands it to whoever joins the task; here the
//! async lane catches it one level in, inside each task, where it knows the board.
//!
//! Every task's waker is an `Arc` holding the task's index ([`ArcWake`]). A `Waker` must be
//! `Send + Sync` — its type promises that any thread may call it — but here every wake
//! happens on the executor's own thread, from a timer or from another task. So the run queue
//! lives in a thread-local, and a wake is a push onto a `Vec`, with no lock; a wake from any
//! other thread panics instead of being lost. This matters: a wake is half of every
//! suspension, and the lane is measured against hand-written state machines.
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
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use futures::task::{ArcWake, waker};

use crate::clock::{Clock, Time, VirtualClock};
use crate::timers::TimerQueue;

/// Runs futures on one thread, on virtual time. See [the module docs](self).
#[derive(Debug)]
pub struct Executor<C = VirtualClock> {
    clock: RefCell<C>,
    /// Wakers of sleeping tasks, by deadline; ties in the order the sleeps began.
    timers: RefCell<TimerQueue<Waker>>,
    /// Tells this executor's wakers from another's.
    id: u64,
    /// `Some` once [`report_slow_polls`](Executor::report_slow_polls) was called: off by
    /// default, and then it costs one branch per poll.
    slow: Option<SlowPolls>,
    /// The time limit of [`stop_at`](Executor::stop_at): no timer fires after it.
    limit: Option<Time>,
}

/// The slow-poll detector: a threshold and what it has seen.
#[derive(Debug)]
struct SlowPolls {
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

thread_local! {
    /// The run queue of the executor running on this thread: where its wakers put tasks.
    static RUN_QUEUE: RefCell<Option<RunQueue>> = const { RefCell::new(None) };
}

/// Tasks that may run, each at most once, in the order they were woken.
#[derive(Debug)]
struct RunQueue {
    /// The executor whose tasks these are.
    executor: u64,
    /// Task indices, first woken first.
    order: Vec<usize>,
    /// `queued[i]`: task `i` is in `order`, so waking it again changes nothing.
    queued: Vec<bool>,
}

/// A spawned future and the waker it hands out.
struct Task<F> {
    /// `None` once the future has finished: a finished future must not be polled again.
    future: Option<Pin<Box<F>>>,
    waker: Waker,
}

/// What a task's [`Waker`] does: put the task's index on its executor's run queue, once.
#[derive(Debug)]
struct TaskWake {
    executor: u64,
    index: usize,
}

impl ArcWake for TaskWake {
    fn wake_by_ref(arc_self: &Arc<Self>) {
        RUN_QUEUE.with_borrow_mut(|run_queue| {
            let run_queue = run_queue
                .as_mut()
                .filter(|run_queue| run_queue.executor == arc_self.executor)
                .expect("a task was woken outside its executor's `run`, or on another thread");
            let queued = &mut run_queue.queued[arc_self.index];
            if !*queued {
                *queued = true;
                run_queue.order.push(arc_self.index);
            }
        });
    }
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
        static EXECUTORS: AtomicU64 = AtomicU64::new(0);
        let id = EXECUTORS.fetch_add(1, Ordering::Relaxed);
        let timers = RefCell::default();
        Executor { clock: RefCell::new(clock), timers, id, slow: None, limit: None }
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
    pub fn sleep(&self, length: Duration) -> Sleep<'_, C> {
        self.sleep_until(self.now() + length)
    }

    /// A future that is ready at `deadline`. It always suspends once, even when the deadline
    /// has passed: a sleep gives the other tasks their turn.
    pub fn sleep_until(&self, deadline: Time) -> Sleep<'_, C> {
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
    /// are done (asyncio's `run(gather(...))`). The futures are all of one type, so polling
    /// one is a direct call; to mix kinds, box them (`FutureExt::boxed_local`). Each is pinned
    /// in a box of its own: a future may borrow from itself across an `.await`, so it must
    /// never move once polled.
    ///
    /// With a time limit ([`stop_at`](Self::stop_at)) it may stop first: it returns the
    /// tasks it dropped unfinished, by their place in `futures`, in order. Without one, or
    /// when every task finished in time, that list is empty.
    ///
    /// A task's panic is not caught: it leaves `run`, and every task is dropped on the way
    /// out. A caller that wants its tasks to fail alone catches the panic inside the task.
    ///
    /// # Panics
    ///
    /// If some tasks wait for a wake-up that nothing will ever send (no task can run and no
    /// timer is set) and there is no time limit: a deadlock in the tasks. If another executor
    /// is running on this thread (a `run` inside a task).
    pub fn run<F: Future<Output = ()>>(&self, futures: impl IntoIterator<Item = F>) -> Vec<usize> {
        // Declared first so it is dropped last, even in a panic: a task dropped may wake
        // another (a turn passed on), and a wake needs the run queue.
        let _running;
        let mut tasks: Vec<Task<F>> =
            futures.into_iter().enumerate().map(|(index, f)| self.task(index, f)).collect();
        _running = Running::start(self.id, tasks.len()); // every task queued, in order
        let mut unfinished = tasks.len();
        let mut runnable = Vec::new();
        while unfinished > 0 {
            take_runnable(&mut runnable);
            if runnable.is_empty() && !self.jump_to_next_timer() {
                assert!(self.limit.is_some(), "deadlock: {unfinished} tasks wait forever");
                return self.stop(&mut tasks); // nothing can run before the limit
            }
            for index in runnable.drain(..) {
                let started = self.slow.as_ref().map(|_| self.now()); // the detector, if on
                unfinished -= usize::from(poll(&mut tasks[index]));
                if let Some(started) = started {
                    self.note_if_slow(index, started);
                }
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

    /// The detector: notes the poll of `task` begun at `started` if it held the executor
    /// longer than the threshold.
    fn note_if_slow(&self, task: usize, started: Time) {
        let Some(slow) = &self.slow else { return };
        let took = self.now() - started;
        if took > slow.threshold {
            slow.seen.borrow_mut().push(SlowPoll { task, started, took });
        }
    }

    /// Makes `future` task number `index`: its waker queues that index.
    fn task<F: Future<Output = ()>>(&self, index: usize, future: F) -> Task<F> {
        let waker = waker(Arc::new(TaskWake { executor: self.id, index }));
        Task { future: Some(Box::pin(future)), waker }
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
    fn wake_due_timers(&self) {
        let now = self.limit.map_or(self.now(), |limit| limit.min(self.now()));
        while let Some((_, waker)) = self.timers.borrow_mut().pop_due(now) {
            waker.wake();
        }
    }
}

/// Moves the whole run queue into `runnable`, first woken first. A task woken from here on,
/// even by a poll in this batch, queues again, for the next batch.
fn take_runnable(runnable: &mut Vec<usize>) {
    RUN_QUEUE.with_borrow_mut(|run_queue| {
        let RunQueue { order, queued, .. } = run_queue.as_mut().expect("inside `run`");
        order.iter().for_each(|&index| queued[index] = false);
        std::mem::swap(runnable, order);
    });
}

/// This thread's run queue while an executor runs; dropping it (even in a panic) takes the
/// queue down, so the thread can run an executor again.
struct Running;

impl Running {
    /// Sets up the run queue of executor `id`, with its `tasks` all queued in order.
    fn start(executor: u64, tasks: usize) -> Running {
        let run_queue =
            RunQueue { executor, order: (0..tasks).collect(), queued: vec![true; tasks] };
        RUN_QUEUE.with_borrow_mut(|slot| {
            assert!(slot.is_none(), "an executor is already running on this thread");
            *slot = Some(run_queue);
        });
        Running
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        RUN_QUEUE.with_borrow_mut(|slot| *slot = None);
    }
}

/// Polls `task` once with its own waker; true if it has just finished.
fn poll<F: Future<Output = ()>>(task: &mut Task<F>) -> bool {
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
pub struct Sleep<'e, C = VirtualClock> {
    executor: &'e Executor<C>,
    deadline: Time,
    /// Whether the waker has been handed to the timers (exactly once).
    registered: bool,
}

impl<C: Clock> Future for Sleep<'_, C> {
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
