//! A single-threaded executor on virtual time: tasks, a run queue, wakers and a timer.
//!
//! # How it works
//!
//! An executor owns tasks (the futures [`spawn`](Executor::spawn)ed on it) and polls them.
//! Its loop, [`run`](Executor::run), in the order one would explain it:
//!
//! 1. take the first task from the **run queue** (the tasks woken, first woken first) and
//!    poll it;
//! 2. if it returned `Pending`, leave it: it is polled again only once something calls
//!    `wake()` on its [`Waker`] — a timer, the master, another task;
//! 3. when nothing is runnable, jump the [`Timer`]'s clock to the next deadline and wake
//!    what falls due; when no deadline is left, every task has finished (or, past a time
//!    limit, the unfinished ones are dropped).
//!
//! ```text
//!   run ──► pop the run queue ──► poll the task ──► Ready: its JoinHandle gets the output
//!    ▲                                  │         Pending: its waker is with a timer,
//!    │                                  │                  or with whatever it awaits
//!    │   (empty?) jump the clock to the next deadline, wake what is due
//!    └──── waker.wake(): the task's number pushed on the run queue ◄──┘
//! ```
//!
//! **A task's waker** is an `Arc` holding the task's number and the run queue; waking it
//! pushes the number (the `futures` crate's [`ArcWake`] turns it into a [`Waker`]). A
//! `Waker` is `Send + Sync`: any thread may wake it, so the run queue is an
//! `Arc<Mutex<VecDeque<usize>>>`. A task woken twice before it runs is queued once (a flag in
//! its waker), so it is polled once. A waker kept after its task finished, or after the run,
//! pushes a number the loop skips, or that nobody reads: harmless.
//!
//! **A panic** in a task ends only that task, as with tokio's `spawn`: its `JoinHandle` gets
//! the panic instead of the output, and the others run on.
//!
//! # Example
//!
//! ```
//! use std::cell::RefCell;
//! use std::time::Duration;
//! use coro_simul::lanes::async_await::{executor::Executor, timer::Timer};
//!
//! let (timer, log) = (Timer::new(), RefCell::new(Vec::new()));
//! let mut executor = Executor::new(&timer);
//! let napper = |name: &'static str, secs| {
//!     let (timer, log) = (&timer, &log);
//!     async move {
//!         timer.sleep(Duration::from_secs(secs)).await;
//!         log.borrow_mut().push((name, timer.now().since_start().as_secs()));
//!         secs
//!     }
//! };
//! let long = executor.spawn(napper("long", 60));
//! executor.spawn(napper("short", 5));
//! executor.run();
//! assert_eq!(*log.borrow(), [("short", 5), ("long", 60)]);
//! assert_eq!(long.try_join().map(Result::unwrap), Some(60));
//! ```

use std::any::Any;
use std::cell::Cell;
use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use futures::FutureExt;
use futures::task::{ArcWake, waker_ref};

use super::timer::Timer;
use crate::clock::{Clock, Time, VirtualClock};

/// How a task ended: its output, or the panic that ended it.
pub type Outcome<T> = std::thread::Result<T>;

/// The numbers of the tasks woken, first woken first. Shared with every waker: any thread
/// may wake one.
type RunQueue = Arc<Mutex<VecDeque<usize>>>;

/// Runs tasks on one thread, on a [`Timer`]'s clock. See [the module docs](self).
pub struct Executor<'a, C = VirtualClock> {
    timer: &'a Timer<C>,
    /// Every task spawned, by its number.
    tasks: Vec<Task<'a>>,
    run_queue: RunQueue,
    /// Tasks not finished yet; the loop ends at zero.
    unfinished: usize,
}

/// A spawned future, its waker, and its handle's slot.
struct Task<'a> {
    /// `None` once finished, or dropped at the time limit: a finished future is never polled.
    future: Option<Pin<Box<dyn Future<Output = ()> + 'a>>>,
    waker: Arc<TaskWaker>,
    /// Where a panic out of its poll goes: its handle, whatever the task's output type.
    handle: Rc<dyn Panicked + 'a>,
}

/// What a task's [`Waker`] is: its number, and the queue to push it on.
struct TaskWaker {
    task: usize,
    /// Set while the number is in the run queue, cleared just before the task is polled: a
    /// wake during that poll queues it again, one before it does not queue it twice.
    queued: AtomicBool,
    run_queue: RunQueue,
}

impl ArcWake for TaskWaker {
    fn wake_by_ref(waker: &Arc<TaskWaker>) {
        if !waker.queued.swap(true, Ordering::AcqRel) {
            waker.run_queue.lock().expect("the run queue is never poisoned").push_back(waker.task);
        }
    }
}

impl<'a, C: Clock> Executor<'a, C> {
    /// An executor with no tasks, on `timer`.
    pub fn new(timer: &'a Timer<C>) -> Executor<'a, C> {
        Executor { timer, tasks: Vec::new(), run_queue: RunQueue::default(), unfinished: 0 }
    }

    /// Makes `future` a task, queued to run, and returns its handle (asyncio's
    /// `create_task`). The future is pinned in a box of its own: a future may borrow from
    /// itself across an `.await`, so it must never move once polled.
    pub fn spawn<T: 'a>(&mut self, future: impl Future<Output = T> + 'a) -> JoinHandle<T> {
        let slot = Rc::new(Slot::default());
        let handle = Rc::clone(&slot);
        // `map`, not an `async` block: a panic unwinding out of an `async` block drops what
        // it holds on the way, and a destructor that panics then would abort the process.
        let future = future.map(move |output| slot.finish(Ok(output)));
        let waker = Arc::new(TaskWaker {
            task: self.tasks.len(),
            queued: AtomicBool::new(false),
            run_queue: Arc::clone(&self.run_queue),
        });
        ArcWake::wake_by_ref(&waker); // every task runs once before it waits for anything
        self.tasks.push(Task { future: Some(Box::pin(future)), waker, handle: handle.clone() });
        self.unfinished += 1;
        JoinHandle { slot: handle }
    }

    /// Runs every task spawned to the end: the loop of [the module docs](self). With a time
    /// limit ([`Timer::stop_at`]) it may stop first: once nothing can run before the limit,
    /// the clock jumps there and every unfinished task is dropped (its destructors run, as
    /// when a runtime shuts down); their handles stay empty.
    ///
    /// # Panics
    ///
    /// If tasks wait for a wake-up that nothing will send (none runnable, no sleep) and
    /// there is no time limit: a deadlock in the tasks.
    pub fn run(&mut self) {
        while self.unfinished > 0 {
            if let Some(task) = self.next_woken() {
                self.poll(task);
            } else if !self.timer.jump_to_next_deadline() {
                let limit = self.timer.limit();
                assert!(limit < Time::MAX, "deadlock: {} tasks wait forever", self.unfinished);
                return self.stop();
            }
        }
    }

    /// The first task in the run queue, taken out of it.
    fn next_woken(&self) -> Option<usize> {
        let task = self.run_queue.lock().expect("the run queue is never poisoned").pop_front()?;
        self.tasks[task].waker.queued.store(false, Ordering::Release);
        Some(task)
    }

    /// Polls `task` once with its own waker, unless it has finished already. A panic ends
    /// the task alone, as with tokio's `spawn`: caught here, it goes to the task's handle.
    fn poll(&mut self, task: usize) {
        let Task { future, waker, handle } = &mut self.tasks[task];
        let Some(running) = future else { return }; // woken after it finished
        let waker = waker_ref(waker);
        let cx = &mut Context::from_waker(&waker);
        match panic::catch_unwind(AssertUnwindSafe(|| running.as_mut().poll(cx))) {
            Ok(Poll::Pending) => return,
            Ok(Poll::Ready(())) => {} // its output is in its handle already
            Err(panic) => handle.panicked(panic),
        }
        let finished = future.take();
        // A failed task's destructors may panic too: its own panic is the one reported.
        let _ = panic::catch_unwind(AssertUnwindSafe(|| drop(finished)));
        self.unfinished -= 1;
    }

    /// The time limit has come and nothing can run before it: the clock jumps to the limit,
    /// and every unfinished task is dropped, in order. A task dropped may wake another: the
    /// wake lands in the run queue, where nobody reads it.
    fn stop(&mut self) {
        self.timer.stop();
        for task in &mut self.tasks {
            drop(task.future.take());
        }
        self.unfinished = 0;
    }
}

impl<C> fmt::Debug for Executor<'_, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tasks = (self.tasks.len(), self.unfinished);
        f.debug_struct("Executor").field("(tasks, unfinished)", &tasks).finish_non_exhaustive()
    }
}

/// A spawned task's handle: awaited (or [`try_join`](JoinHandle::try_join)ed after the run),
/// it gives how the task ended. The lane's `join_all` over them is asyncio's `gather`.
#[must_use = "a task's outcome is read through its handle"]
pub struct JoinHandle<T> {
    slot: Rc<Slot<T>>,
}

/// Where a task leaves its outcome for its handle.
struct Slot<T> {
    outcome: Cell<Option<Outcome<T>>>,
    /// The task awaiting the handle, if one is.
    waiter: Cell<Option<Waker>>,
}

impl<T> Default for Slot<T> {
    fn default() -> Slot<T> {
        Slot { outcome: Cell::new(None), waiter: Cell::new(None) }
    }
}

/// What the loop can do with a task's handle without knowing its output type: hand it the
/// panic that ended the task.
trait Panicked {
    fn panicked(&self, panic: Box<dyn Any + Send>);
}

impl<T> Panicked for Slot<T> {
    fn panicked(&self, panic: Box<dyn Any + Send>) {
        self.finish(Err(panic));
    }
}

impl<T> Slot<T> {
    fn finish(&self, outcome: Outcome<T>) {
        self.outcome.set(Some(outcome));
        if let Some(waiter) = self.waiter.take() {
            waiter.wake();
        }
    }
}

impl<T> JoinHandle<T> {
    /// How the task ended, taken out of the handle: `Some(Ok(output))`, `Some(Err(panic))`,
    /// or `None` while it has not ended — still running, or dropped unfinished at the time
    /// limit.
    pub fn try_join(&self) -> Option<Outcome<T>> {
        self.slot.outcome.take()
    }
}

impl<T> Future for JoinHandle<T> {
    type Output = Outcome<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Outcome<T>> {
        match self.slot.outcome.take() {
            Some(outcome) => Poll::Ready(outcome),
            None => {
                self.slot.waiter.set(Some(cx.waker().clone()));
                Poll::Pending
            }
        }
    }
}

impl<T> fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinHandle").finish_non_exhaustive()
    }
}
