//! The executor's sense of time: a clock, the sleeps waiting on it, and a time limit.
//!
//! A [`Sleep`] hands its task's [`Waker`] to the timer queue and returns `Pending`; when the
//! clock reaches its deadline, the timer calls `wake()` and the task is polled again. Like
//! every future, a sleep wakes the waker of its *latest* poll: the entry in the queue and the
//! sleep share one slot for the waker, which each poll refreshes (a task may be polled with
//! another waker, e.g. once moved into `select`). The clock moves in two ways only, and both
//! wake every sleep that falls due, earliest first:
//!
//! - a task is [`busy`](Timer::busy): CPU-bound work, the clock runs on and no other task
//!   runs meanwhile, as on a real event loop;
//! - no task can run, and the executor jumps the clock to the next deadline (virtual time:
//!   nothing to wait for in between; on a [`ScaledClock`](crate::clock::ScaledClock) the
//!   jump really sleeps the thread, as long as the scale says).
//!
//! **A dropped sleep leaves its entry in the queue**: the clock still jumps to its deadline
//! when nothing else can run, and its wake is a spurious one, which the executor ignores if
//! the task has ended. (Removing it would need a handle into the queue; keeping it is simpler.)
//!
//! It never runs backwards. **A time limit** ([`stop_at`](Timer::stop_at)) is a deadline for
//! the whole run: no sleep ends after it, even when a busy task takes the clock past it.
//!
//! [`YieldNow`] is the other way to wait, asyncio's `sleep(0)`: it needs no timer, only the
//! task's own waker.
//!
//! **For a watcher** (the switch trace), the timer lists its sleepers, and remembers the
//! latest sleep made and the line that made it: `sleep` and `sleep_until` are
//! `#[track_caller]`, so in an `async fn` that is the line of the `.await`.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use crate::clock::{Clock, Time, VirtualClock};
use crate::timers::TimerQueue;

/// A clock and the sleeps waiting on it: see [the module docs](self).
#[derive(Debug)]
pub struct Timer<C = VirtualClock> {
    clock: RefCell<C>,
    /// The wakers of sleeping tasks, by deadline; ties in the order the sleeps began, so a run
    /// is the same every time. Each slot is shared with its [`Sleep`], which refreshes it.
    sleepers: RefCell<TimerQueue<WakerSlot>>,
    /// No sleep ends after it; [`Time::MAX`] when there is no limit.
    limit: Time,
    /// The deadline of the latest sleep made, and the line that made it: where a task that
    /// just returned `Pending` stopped, if it made that sleep in the same poll. A store per
    /// sleep; only a watcher reads it ([`take_latest_sleep`](Timer::take_latest_sleep)).
    latest_sleep: Cell<Option<(Time, &'static Location<'static>)>>,
}

impl Default for Timer {
    fn default() -> Timer {
        Timer::new()
    }
}

impl Timer {
    /// A timer on a virtual clock at zero, with no time limit.
    pub fn new() -> Timer {
        Timer::with_clock(VirtualClock::new())
    }
}

impl<C: Clock> Timer<C> {
    /// A timer on `clock`, with no time limit.
    pub fn with_clock(clock: C) -> Timer<C> {
        let (clock, sleepers) = (RefCell::new(clock), RefCell::default());
        Timer { clock, sleepers, limit: Time::MAX, latest_sleep: Cell::new(None) }
    }

    /// This timer with a time limit: no sleep ends after `limit`, and an executor on it stops
    /// once nothing can run before it.
    pub fn stop_at(self, limit: Time) -> Timer<C> {
        Timer { limit, ..self }
    }

    /// The time limit ([`Time::MAX`] if none). A task that must start nothing at the limit
    /// asks here: the executor stops only once nothing can run.
    pub fn limit(&self) -> Time {
        self.limit
    }

    /// The current moment.
    pub fn now(&self) -> Time {
        self.clock.borrow().now()
    }

    /// The running task works for `length` without yielding: the clock moves on, and the
    /// sleeps that fall due wake their tasks, which run once this one gives the loop back.
    pub fn busy(&self, length: Duration) {
        self.clock.borrow_mut().advance_by(length);
        self.wake_due();
    }

    /// A future ready once `length` has passed (asyncio's `sleep(length)`).
    #[track_caller] // the caller's line is the one the timer remembers
    pub fn sleep(&self, length: Duration) -> Sleep<'_, C> {
        self.sleep_until(self.now() + length)
    }

    /// A future ready at `deadline`. It always suspends once, even when the deadline has
    /// passed: a sleep gives the other tasks their turn.
    #[track_caller] // the caller's line is the one the timer remembers
    pub fn sleep_until(&self, deadline: Time) -> Sleep<'_, C> {
        self.latest_sleep.set(Some((deadline, Location::caller())));
        Sleep { timer: self, deadline, waker: None }
    }

    /// The deadline of the latest sleep made, and the line of code that made it, forgotten as
    /// they are read: a watcher reads them before a poll, to forget, and after it, to learn
    /// whether the task made a sleep meanwhile.
    pub fn take_latest_sleep(&self) -> Option<(Time, &'static Location<'static>)> {
        self.latest_sleep.take()
    }

    /// Every sleep waiting, earliest first, with the waker it will wake: the timer's queue, as
    /// a watcher shows it.
    pub fn sleepers(&self) -> Vec<(Time, Waker)> {
        let sleepers = self.sleepers.borrow();
        let waiting = sleepers.in_order().into_iter();
        waiting.filter_map(|(due, slot)| Some((due, slot.borrow().clone()?))).collect()
    }

    /// Nothing can run: jumps the clock to the earliest deadline and wakes what is due.
    /// False, and the clock left alone, if no sleep ends by the time limit. Only the executor
    /// calls it: it alone knows that nothing can run.
    pub(super) fn jump_to_next_deadline(&self) -> bool {
        let next = self.sleepers.borrow().next_deadline();
        match next {
            Some(next) if next <= self.limit => {
                self.clock.borrow_mut().advance_to(next);
                self.wake_due();
                true
            }
            _ => false,
        }
    }

    /// The time limit has come: the clock jumps to it, and the sleeps that would end after it
    /// are forgotten (their tasks are being dropped). Only the executor calls it: called while
    /// tasks run, it would forget every sleeper.
    pub(super) fn stop(&self) {
        self.clock.borrow_mut().advance_to(self.limit);
        *self.sleepers.borrow_mut() = TimerQueue::new();
    }

    /// Wakes every sleep due by now, earliest first; none after the time limit.
    fn wake_due(&self) {
        let now = self.now().min(self.limit);
        // One at a time: the borrow ends before `wake` runs anything.
        while let Some((_, slot)) = self.sleepers.borrow_mut().pop_due(now) {
            if let Some(waker) = slot.take() {
                waker.wake();
            }
        }
    }
}

/// The future of [`Timer::sleep_until`]: ready at its deadline.
#[derive(Debug)]
#[must_use = "a sleep does nothing unless it is awaited"]
pub struct Sleep<'t, C = VirtualClock> {
    timer: &'t Timer<C>,
    deadline: Time,
    /// `None` until the first poll hands the timer an entry; then that entry's waker slot.
    waker: Option<WakerSlot>,
}

/// The waker a sleep's entry will call, shared by the entry and the sleep: each poll puts
/// its own waker there, and the timer takes it out when the deadline comes (so it is `None`
/// only once the sleep is due).
type WakerSlot = Rc<RefCell<Option<Waker>>>;

impl<C: Clock> Future for Sleep<'_, C> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let Some(slot) = &self.waker else {
            let slot = Rc::new(RefCell::new(Some(cx.waker().clone())));
            self.timer.sleepers.borrow_mut().push(self.deadline, Rc::clone(&slot));
            self.waker = Some(slot);
            return Poll::Pending;
        };
        if self.timer.now() >= self.deadline {
            return Poll::Ready(());
        }
        // Polled again early, maybe by another waker: the entry must wake this one.
        let mut waker = slot.borrow_mut();
        if !waker.as_ref().is_some_and(|waiting| waiting.will_wake(cx.waker())) {
            *waker = Some(cx.waker().clone());
        }
        Poll::Pending
    }
}

/// Gives every other runnable task a turn, then resumes (asyncio's `sleep(0)`): the task goes
/// to the back of the run queue, behind every task woken already — those whose sleeps fell
/// due too, since the clock only moves when it wakes them. The clock does not move.
pub fn yield_now() -> YieldNow {
    YieldNow { yielded: false }
}

/// The future of [`yield_now`]: pending once, then ready.
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
