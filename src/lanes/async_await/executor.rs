// Over the crate's ~350 lines a file, on purpose: the module doc is the lesson (the loop, the
// waker, the run queue), and what a watcher is told (`Watch`, `Tasks`) stays beside the loop
// that tells it.
//! A single-threaded executor on virtual time: tasks, a run queue, wakers and a timer.
//!
//! # How it works
//!
//! An executor owns tasks (the futures [`spawn`](Executor::spawn)ed on it) and polls them.
//! Its loop, [`run`](Executor::run), in the order one would explain it:
//!
//! 1. take the first task from the **run queue** (the tasks woken, first woken first) and
//!    poll it; if it returned `Ready`, keep its output for its [`JoinHandle`] — the run ends
//!    once no task is left unfinished;
//! 2. if it returned `Pending`, leave it: it is polled again only once something calls
//!    `wake()` on its [`Waker`] — a timer, the master, another task,
//!    another thread;
//! 3. when nothing is runnable, jump the [`Timer`]'s clock to the next deadline and wake
//!    what falls due (a dropped sleep's deadline too: its entry stays in the timer). With no
//!    deadline left before the time limit, the clock jumps to the limit and the unfinished
//!    tasks are dropped (no waiting for wakes from outside then). With no deadline and no
//!    limit, the tasks wait for a wake from outside, so the thread **parks** — sleeps until
//!    a wake arrives, as a real executor does — as long as someone still holds a waker of an
//!    unfinished task (another thread, the master's line, a task's stash): that someone may
//!    still wake it (if it drops the waker unwoken instead, the run waits for ever, as on
//!    any executor). If nobody holds one, nothing can ever wake them: a deadlock, and `run`
//!    panics.
//!
//! ```text
//!   run ──► pop the run queue ──► poll the task ──► Ready: kept for its JoinHandle
//!    ▲                                  │         Pending: its waker is with a timer,
//!    │                                  │                  or with whatever it awaits
//!    │   (empty?) jump the clock to the next deadline, wake what is due;
//!    │            no deadline? park until a wake arrives
//!    └──── waker.wake(): the task's number pushed on the run queue ◄──┘
//! ```
//!
//! On a [`ScaledClock`](crate::clock::ScaledClock) "jump the clock" really sleeps the thread
//! until the deadline: a wake from another thread meanwhile is seen only after that sleep.
//!
//! **A task's waker** is an `Arc` holding the task's number and the run queue; waking it
//! pushes the number (the `futures` crate's [`ArcWake`] turns it into a `Waker`). A
//! `Waker` is `Send + Sync`: any thread may wake it, so the run queue is behind an
//! `Arc<Mutex<..>>`, with a `Condvar` beside it that a wake notifies only while `run` is parked.
//! How many clones of the `Arc` exist is how `run` knows whether anyone holds the waker. A
//! task woken twice before it runs is queued once (the queue keeps a flag per task), so it is
//! polled once. A waker kept after its task finished, or after the run, pushes a number the
//! loop skips, or that nobody reads: harmless.
//!
//! **A panic** in a task ends only that task, as with tokio's `spawn`: its handle gives the
//! panic instead of the output, and the others run on.
//!
//! **The tasks are all of one type**, `F`, so each poll is a direct call and each task one
//! box of exactly its size; to mix kinds of futures, box them (`Pin<Box<dyn Future>>`).
//!
//! **A watcher** ([`Watch`]) may be told of each poll, clock jump and stop, with a look at the
//! run queue ([`Tasks`]), as tokio's runtime hooks (`on_before_task_poll`, …) tell a
//! debugger. An executor made with [`new`](Executor::new) has the watcher `()`, whose hooks
//! are empty: the compiler drops the calls, and the loop is the one above.
//!
//! # Example
//!
//! ```
//! use std::cell::RefCell;
//! use std::time::Duration;
//! use coro_simul::lanes::async_await::{executor::Executor, timer::Timer};
//!
//! let (timer, log) = (Timer::new(), RefCell::new(Vec::new()));
//! let napper = |name: &'static str, secs| {
//!     let (timer, log) = (&timer, &log);
//!     async move {
//!         timer.sleep(Duration::from_secs(secs)).await;
//!         log.borrow_mut().push((name, timer.now().since_start().as_secs()));
//!         secs
//!     }
//! };
//! let mut executor = Executor::new(&timer);
//! let long = executor.spawn(napper("long", 60));
//! let _short = executor.spawn(napper("short", 5));
//! executor.run();
//! assert_eq!(*log.borrow(), [("short", 5), ("long", 60)]);
//! assert_eq!(executor.join(&long).map(Result::unwrap), Some(60));
//! ```

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use futures::task::{ArcWake, waker_ref};

use super::timer::Timer;
use crate::clock::{Clock, Time, VirtualClock};

/// How a task ended: its output, or the panic that ended it.
pub type Outcome<T> = std::thread::Result<T>;

/// The run queue, as every waker holds it: any thread may wake a task, hence the `Mutex`.
#[derive(Default)]
struct RunQueue {
    woken: Mutex<Woken>,
    /// Notified at a wake while `run` is parked on it, with nothing to do until one arrives.
    a_wake: Condvar,
}

impl RunQueue {
    fn lock(&self) -> MutexGuard<'_, Woken> {
        self.woken.lock().expect("the run queue is never poisoned")
    }

    fn wake(&self, task: u32) {
        let mut woken = self.lock();
        woken.push(task);
        // Only when `run` is parked: a notify is a system call, and most wakes come from the
        // executor's own thread, while it runs.
        if woken.parked {
            self.a_wake.notify_one();
        }
    }
}

/// The tasks woken, by number, first woken first, each at most once.
#[derive(Default)]
struct Woken {
    order: VecDeque<u32>,
    /// For each task, whether it is in `order`: set by a wake, cleared just before the task
    /// is polled, so a wake during that poll queues it again and a second wake before it
    /// does not queue it twice.
    queued: Vec<bool>,
    /// Whether `run` is parked, waiting for a wake from outside.
    parked: bool,
}

impl Woken {
    fn push(&mut self, task: u32) {
        let queued = &mut self.queued[task as usize];
        if !*queued {
            *queued = true;
            self.order.push_back(task);
        }
    }

    fn pop(&mut self) -> Option<usize> {
        let task = self.order.pop_front()? as usize;
        self.queued[task] = false;
        Some(task)
    }
}

/// Runs tasks — futures of one type `F` — on one thread, on a [`Timer`]'s clock, telling a
/// [`Watch`] `W` what it does. See [the module docs](self). To run futures of different types,
/// box them (`Pin<Box<dyn Future>>`, `FutureExt::boxed_local`).
pub struct Executor<'t, F: Future, C = VirtualClock, W = ()> {
    /// This executor's number, in its handles: `join` refuses another executor's.
    id: u64,
    timer: &'t Timer<C>,
    /// Every task spawned, by its number.
    tasks: Vec<Task<F>>,
    run_queue: Arc<RunQueue>,
    /// Tasks not finished yet; the loop ends at zero.
    unfinished: usize,
    /// Told of every poll, clock jump and stop; `()`, nobody, unless [`watched`](Self::watched).
    watch: W,
}

/// A spawned future, how it ended, and its waker.
struct Task<F: Future> {
    /// `None` once it has ended, or was dropped at the time limit: it is never polled again.
    future: Option<Pin<Box<F>>>,
    /// `Some` once it has ended, until its handle takes it.
    outcome: Option<Outcome<F::Output>>,
    waker: Arc<TaskWaker>,
}

impl<F: Future> Task<F> {
    /// Whether something outside the executor (another thread, the timer, the master's line)
    /// still holds the waker of this unfinished task, and so may still wake it.
    fn may_be_woken(&self) -> bool {
        self.future.is_some() && Arc::strong_count(&self.waker) > 1
    }

    /// Polls the future once with the task's own waker; true if that ended the task. A panic
    /// ends the task alone, as with tokio's `spawn`: caught here, it is the task's outcome.
    fn poll(&mut self) -> bool {
        let Task { future, outcome, waker } = self;
        let Some(running) = future else { return false }; // ended already: nothing to poll
        let waker = waker_ref(waker);
        let cx = &mut Context::from_waker(&waker);
        match panic::catch_unwind(AssertUnwindSafe(|| running.as_mut().poll(cx))) {
            Ok(Poll::Pending) => return false,
            Ok(Poll::Ready(output)) => *outcome = Some(Ok(output)),
            Err(panic) => *outcome = Some(Err(panic)),
        }
        // A failed task's destructors may panic too: its own panic is the one reported.
        drop_catching(future.take());
        true
    }
}

/// What a task's [`Waker`] is: its number, and the queue to push it on.
struct TaskWaker {
    task: u32,
    run_queue: Arc<RunQueue>,
}

impl ArcWake for TaskWaker {
    fn wake_by_ref(waker: &Arc<TaskWaker>) {
        waker.run_queue.wake(waker.task);
    }
}

/// Numbers the executors, so that a handle knows its own (only uniqueness matters: `Relaxed`).
static EXECUTORS: AtomicU64 = AtomicU64::new(0);

impl<'t, F: Future, C: Clock> Executor<'t, F, C> {
    /// An executor with no tasks, on `timer`, watched by nobody.
    pub fn new(timer: &'t Timer<C>) -> Executor<'t, F, C> {
        Executor::watched(timer, ())
    }
}

impl<'t, F: Future, C: Clock, W: Watch> Executor<'t, F, C, W> {
    /// An executor with no tasks, on `timer`, telling `watch` what it does.
    pub fn watched(timer: &'t Timer<C>, watch: W) -> Executor<'t, F, C, W> {
        let id = EXECUTORS.fetch_add(1, Ordering::Relaxed);
        let (tasks, run_queue) = (Vec::new(), Arc::default());
        Executor { id, timer, tasks, run_queue, unfinished: 0, watch }
    }

    /// Makes `future` a task, queued to run, and returns its handle (asyncio's
    /// `create_task`). The future is pinned in a box of its own: a future may borrow from
    /// itself across an `.await`, so it must never move once polled.
    ///
    /// # Panics
    ///
    /// Past 2^32 tasks: a task's number is a `u32`.
    pub fn spawn(&mut self, future: F) -> JoinHandle {
        let task = u32::try_from(self.tasks.len()).expect("at most 2^32 tasks");
        let waker = Arc::new(TaskWaker { task, run_queue: Arc::clone(&self.run_queue) });
        self.run_queue.lock().queued.push(false);
        ArcWake::wake_by_ref(&waker); // every task runs once before it waits for anything
        self.tasks.push(Task { future: Some(Box::pin(future)), outcome: None, waker });
        self.unfinished += 1;
        JoinHandle { executor: self.id, task }
    }

    /// Runs every task spawned to the end: the loop of [the module docs](self). With a time
    /// limit ([`Timer::stop_at`]) it may stop first: once nothing can run before the limit,
    /// the clock jumps there and every unfinished task is dropped (its destructors run, as
    /// when a runtime shuts down); their handles give nothing.
    ///
    /// Without a limit, when nothing can run and no sleep is left, it parks the thread until
    /// a wake arrives from outside (another thread, say).
    ///
    /// # Panics
    ///
    /// If tasks wait for a wake-up that nothing can send (none runnable, no sleep, nobody
    /// holding their wakers) and there is no time limit: a deadlock in the tasks.
    pub fn run(&mut self) {
        while self.unfinished > 0 {
            if let Some(task) = self.next_woken() {
                self.poll(task);
            } else if self.timer.jump_to_next_deadline() {
                // the sleeps due are woken: their tasks are in the run queue
                self.tell(|watch, tasks| watch.clock_jumped(tasks));
            } else if self.timer.limit() < Time::MAX {
                return self.stop();
            } else {
                assert!(self.park(), "deadlock: {} tasks wait forever", self.unfinished);
            }
        }
    }

    /// How the task of `handle` ended (asyncio's `gather` hands these back): `Some(Ok(output))`,
    /// `Some(Err(panic))`, or `None` if it has not ended — not run yet, or dropped unfinished
    /// at the time limit — or if its outcome was taken already (a second `join`).
    ///
    /// # Panics
    ///
    /// If `handle` is another executor's: a handle is only good on the executor that
    /// spawned its task.
    pub fn join(&mut self, handle: &JoinHandle) -> Option<Outcome<F::Output>> {
        assert_eq!(handle.executor, self.id, "a JoinHandle from another executor");
        self.tasks[handle.task as usize].outcome.take()
    }

    /// The first task in the run queue, taken out of it.
    fn next_woken(&self) -> Option<usize> {
        self.run_queue.lock().pop()
    }

    /// Nothing can run and no sleep is left: sleeps until a wake arrives, as long as someone
    /// outside holds the waker of an unfinished task. False, at once, if nobody does: nothing
    /// can ever wake the tasks. (The lock is let go before the caller panics, so that the
    /// tasks, dropped as the panic unwinds, may still wake one another.)
    fn park(&self) -> bool {
        let mut woken = self.run_queue.lock();
        while woken.order.is_empty() {
            if !self.tasks.iter().any(Task::may_be_woken) {
                return false;
            }
            woken.parked = true;
            woken = self.run_queue.a_wake.wait(woken).expect("the run queue is never poisoned");
            woken.parked = false;
        }
        true
    }

    /// Polls `task` once with its own waker, unless it has ended already.
    fn poll(&mut self, task: usize) {
        if self.tasks[task].future.is_none() {
            return; // woken after it ended
        }
        let number = task as u32; // it was spawned as a `u32`
        self.tell(|watch, tasks| watch.before_poll(number, tasks));
        let ended = self.tasks[task].poll();
        if ended {
            self.unfinished -= 1;
        }
        self.tell(|watch, tasks| watch.after_poll(number, ended, tasks));
    }

    /// Runs one of the watcher's hooks, with its look at the tasks.
    fn tell(&mut self, hook: impl FnOnce(&mut W, &Tasks<'_, F>)) {
        let Executor { watch, tasks, run_queue, .. } = self;
        hook(watch, &Tasks { tasks, run_queue });
    }

    /// The time limit has come and nothing can run before it: the clock jumps to the limit,
    /// and every unfinished task is dropped, in order. A task dropped may wake another: the
    /// wake lands in the run queue, where nobody reads it. A destructor's panic is caught, as
    /// in a poll, so the next task is still dropped (a second panic while the
    /// first unwinds would abort the process).
    fn stop(&mut self) {
        self.timer.stop();
        self.tell(|watch, tasks| watch.stopping(tasks));
        for task in &mut self.tasks {
            drop_catching(task.future.take());
        }
        self.unfinished = 0;
    }
}

impl<F: Future, C, W> fmt::Debug for Executor<'_, F, C, W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tasks = (self.tasks.len(), self.unfinished);
        f.debug_struct("Executor").field("(tasks, unfinished)", &tasks).finish_non_exhaustive()
    }
}

/// Drops a task's future, catching a panic in its destructors: it is not the executor's.
fn drop_catching<F>(future: Option<Pin<Box<F>>>) {
    let _ = panic::catch_unwind(AssertUnwindSafe(|| drop(future)));
}

/// A spawned task's handle: after the run, [`Executor::join`] gives how the task ended. It
/// is good only on the executor that spawned the task (that one's `join` panics on another's).
#[derive(Debug)]
#[must_use = "a task's outcome is read through its handle"]
pub struct JoinHandle {
    /// The number of the executor that spawned the task.
    executor: u64,
    task: u32,
}

/// Told what an [`Executor`] does, for tracing or debugging: each hook runs at one point of the
/// loop, with a look at the tasks. Every hook does nothing unless a watcher overrides it;
/// `()` overrides none, so an executor watched by `()` costs what an unwatched one would.
pub trait Watch {
    /// The loop took `task` from the run queue and is about to poll it.
    fn before_poll<F: Future>(&mut self, task: u32, tasks: &Tasks<'_, F>) {
        let _ = (task, tasks);
    }

    /// `task`'s poll returned: `ended` if that was its last (`Ready`, or a panic), else it
    /// returned `Pending`. The tasks it woke meanwhile are at the back of the run queue.
    fn after_poll<F: Future>(&mut self, task: u32, ended: bool, tasks: &Tasks<'_, F>) {
        let _ = (task, ended, tasks);
    }

    /// Nothing could run: the clock jumped to the next deadline, and the tasks whose sleeps
    /// fell due are in the run queue.
    fn clock_jumped<F: Future>(&mut self, tasks: &Tasks<'_, F>) {
        let _ = tasks;
    }

    /// The time limit came with nothing to run before it: the clock stands at the limit, and
    /// the unfinished tasks are about to be dropped.
    fn stopping<F: Future>(&mut self, tasks: &Tasks<'_, F>) {
        let _ = tasks;
    }
}

/// Nobody watches.
impl Watch for () {}

/// What a [`Watch`] may see of the tasks: the run queue, and whose a waker is.
pub struct Tasks<'a, F: Future> {
    tasks: &'a [Task<F>],
    run_queue: &'a RunQueue,
}

impl<F: Future> Tasks<'_, F> {
    /// The tasks woken, by number, first to be polled first.
    pub fn run_queue(&self) -> Vec<u32> {
        self.run_queue.lock().order.iter().copied().collect()
    }

    /// The task `waker` wakes, if it is one of these tasks' wakers.
    pub fn task_of(&self, waker: &Waker) -> Option<u32> {
        let same = |task: &Task<F>| Arc::as_ptr(&task.waker).cast::<()>() == waker.data();
        (0..).zip(self.tasks).find(|(_, task)| same(task)).map(|(number, _)| number)
    }

    /// The tasks not ended yet, by number.
    pub fn unfinished(&self) -> impl Iterator<Item = u32> + '_ {
        (0..).zip(self.tasks).filter(|(_, task)| task.future.is_some()).map(|(number, _)| number)
    }
}

impl<F: Future> fmt::Debug for Tasks<'_, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tasks").field("run_queue", &self.run_queue()).finish_non_exhaustive()
    }
}
