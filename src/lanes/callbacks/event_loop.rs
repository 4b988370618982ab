//! A small event loop in the style of Python's asyncio, on the virtual clock.
//!
//! [`EventLoop`] is the part of asyncio's loop the callbacks lane needs, under the same names:
//!
//! | asyncio | here |
//! |---|---|
//! | `loop.time()` | [`EventLoop::time`] |
//! | `loop.call_soon(callback)` | [`EventLoop::call_soon`] |
//! | `loop.call_later(delay, callback)` | [`EventLoop::call_later`] |
//! | `TimerHandle.cancel()` | [`TimerHandle::cancel`] |
//! | `loop.run_until_complete(...)`, `loop.run_forever()` | [`EventLoop::run`], [`EventLoop::run_until`] |
//! | `loop.close()` | [`EventLoop::close`] |
//! | debug mode, `loop.slow_callback_duration` | [`EventLoop::report_slow_callbacks`] |
//!
//! A callback is a boxed `FnOnce` that gets the loop, so it can schedule more; it runs to its
//! end and returns to the loop. [`EventLoop::work`] stands for CPU-bound code inside a
//! callback: the clock moves on and nothing else runs meanwhile.
//!
//! # The loop's order
//!
//! [`run`](EventLoop::run) repeats: run every timer that is due, earliest first; then run
//! *one* ready callback, first come first served; if none is ready, jump the clock to the
//! next timer. asyncio instead moves the due timers to the back of the ready queue and then
//! runs the whole batch that is ready, because it expects callbacks to be short. The callbacks
//! lane's are not: the master's move occupies the loop for 5 s, like CPU-bound code (asyncio's
//! debug mode would warn "Executing <Handle …> took 5.000 seconds"). Checking the timers
//! before every callback means a timer that came due while a callback was busy runs before
//! the next ready callback, even one queued long before.
//!
//! # Example
//!
//! ```
//! use std::{cell::Cell, rc::Rc, time::Duration};
//! use coro_simul::lanes::callbacks::EventLoop;
//!
//! let rang = Rc::new(Cell::new(false));
//! let mut lp = EventLoop::new();
//! let alarm = {
//!     let rang = Rc::clone(&rang);
//!     lp.call_later(Duration::from_secs(60), move |_| rang.set(true))
//! };
//! lp.call_later(Duration::from_secs(30), move |_| alarm.cancel()); // changed our mind
//! lp.call_soon(|lp| lp.work(Duration::from_secs(5))); // runs first, and takes 5 s
//! lp.run();
//! assert!(!rang.get());
//! assert_eq!(lp.time().since_start(), Duration::from_secs(30)); // no wait for a cancelled timer
//! ```

use std::cell::Cell;
use std::collections::VecDeque;
use std::fmt;
use std::rc::Rc;
use std::time::Duration;

use crate::clock::{Clock, Time, VirtualClock};
use crate::timers::TimerQueue;

/// A callback: runs once, with the loop, so it can schedule more.
type Callback<'a, C> = Box<dyn FnOnce(&mut EventLoop<'a, C>) + 'a>;

/// A timer's callback, with the handle that can cancel it.
type Timer<'a, C> = (TimerHandle, Callback<'a, C>);

/// A single-threaded event loop on the virtual clock, after asyncio's.
///
/// Callbacks may borrow anything that lives for `'a` (such as a sink): hence the lifetime.
/// The clock is virtual unless the loop is made [`with_clock`](EventLoop::with_clock).
pub struct EventLoop<'a, C = VirtualClock> {
    clock: C,
    /// Callbacks to run now, first come first served.
    ready: VecDeque<Callback<'a, C>>,
    /// Callbacks to run at a moment. A cancelled one stays in the queue and is dropped when
    /// it comes out: removing from the middle of a heap is costly, checking a flag is not.
    timers: TimerQueue<Timer<'a, C>>,
    /// `Some((threshold, seen))` once [`report_slow_callbacks`](EventLoop::report_slow_callbacks)
    /// was called: off by default, and then it costs one branch per callback.
    slow: Option<(Duration, Vec<SlowCallback>)>,
}

/// A callback that held the loop longer than the threshold given to
/// [`EventLoop::report_slow_callbacks`]: asyncio's debug-mode slow-callback warning,
/// "Executing <Handle …> took 5.000 seconds". The loop cannot look inside a boxed closure, so
/// it says when; the events the callback recorded at that moment say which board.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlowCallback {
    /// When the callback began.
    pub started: Time,
    /// How long it held the loop: nothing else ran meanwhile.
    pub took: Duration,
}

/// What [`EventLoop::call_later`] returns: lets you cancel the callback before it runs.
///
/// Cheap to clone; every clone cancels the same callback.
#[derive(Debug, Clone, Default)]
pub struct TimerHandle {
    /// Set by `cancel`, read by the loop when the timer comes out of its queue (lazy
    /// deletion, as in asyncio).
    cancelled: Rc<Cell<bool>>,
}

impl TimerHandle {
    /// Makes sure the callback never runs, if it has not run yet (asyncio's
    /// `TimerHandle.cancel`). Cancelling twice, or after it ran, does nothing.
    pub fn cancel(&self) {
        self.cancelled.set(true);
    }

    /// Whether [`cancel`](TimerHandle::cancel) was called.
    pub fn cancelled(&self) -> bool {
        self.cancelled.get()
    }
}

impl<'a> EventLoop<'a> {
    /// An empty loop at time zero.
    pub fn new() -> EventLoop<'a> {
        EventLoop::with_clock(VirtualClock::new())
    }
}

impl<'a, C: Clock> EventLoop<'a, C> {
    /// An empty loop on `clock`.
    pub fn with_clock(clock: C) -> EventLoop<'a, C> {
        EventLoop { clock, ready: VecDeque::new(), timers: TimerQueue::new(), slow: None }
    }

    /// Turns on the slow-callback detector, asyncio's debug-mode warning for a callback that
    /// runs longer than `loop.slow_callback_duration`: from now on, every callback that holds
    /// the loop longer than `threshold` of virtual time is noted.
    pub fn report_slow_callbacks(&mut self, threshold: Duration) {
        self.slow = Some((threshold, Vec::new()));
    }

    /// The slow callbacks seen so far, in the order they ended; empty when the detector is off.
    pub fn slow_callbacks(&self) -> &[SlowCallback] {
        self.slow.as_ref().map_or(&[], |(_, seen)| seen)
    }

    /// The loop's clock (asyncio's `loop.time()`).
    pub fn time(&self) -> Time {
        self.clock.now()
    }

    /// Queues `callback` to run as soon as the callbacks queued before it have run.
    pub fn call_soon(&mut self, callback: impl FnOnce(&mut EventLoop<'a, C>) + 'a) {
        self.ready.push_back(Box::new(callback));
    }

    /// Runs `callback` once `delay` has passed, unless the returned handle is cancelled first.
    pub fn call_later(
        &mut self,
        delay: Duration,
        callback: impl FnOnce(&mut EventLoop<'a, C>) + 'a,
    ) -> TimerHandle {
        let handle = TimerHandle::default();
        self.timers.push(self.time() + delay, (handle.clone(), Box::new(callback)));
        handle
    }

    /// Occupies the loop for `length`, as CPU-bound code in a callback does: the clock moves
    /// on and nothing else runs meanwhile, not even a timer that comes due.
    pub fn work(&mut self, length: Duration) {
        self.clock.advance_by(length);
    }

    /// Runs callbacks until none is ready and no timer is set. Before every ready callback,
    /// every timer due by now runs, earliest first (see [the loop's order](self#the-loops-order)).
    pub fn run(&mut self) {
        self.run_until(Time::MAX);
    }

    /// Runs callbacks as [`run`](EventLoop::run) does, but stops at `deadline`: timers due by
    /// then still run (even if the loop, busy, gets to them later), but no timer due after it,
    /// and no ready callback starts at the deadline or later. Whatever is left stays queued;
    /// the clock is at the deadline or past it, unless the loop ran out of work first.
    ///
    /// A callback that panics unwinds out of this call, and only out of it: the callback was
    /// already taken out of its queue, so calling `run_until` again carries on with the next.
    pub fn run_until(&mut self, deadline: Time) {
        loop {
            while let Some((_, timer)) = self.timers.pop_due(self.time().min(deadline)) {
                self.fire(timer);
            }
            if self.time() >= deadline {
                return;
            }
            if let Some(callback) = self.ready.pop_front() {
                self.call(callback);
            } else if let Some(next) = self.timers.next_deadline() {
                // Idle, so the earliest timer is next: jump the clock to it (or to the
                // deadline, if that comes first), unless it was cancelled (asyncio, too,
                // drops cancelled timers at the head without waiting).
                if next > deadline {
                    self.clock.advance_to(deadline);
                } else if let Some((_, timer)) = self.timers.pop() {
                    if !timer.0.cancelled() {
                        self.clock.advance_to(next);
                    }
                    self.fire(timer);
                }
            } else {
                return;
            }
        }
    }

    /// Drops every callback still queued, ready or timed, without running it: what asyncio's
    /// `loop.close()` does with what is left. Whatever the callbacks captured is dropped with
    /// them.
    pub fn close(&mut self) {
        self.ready.clear();
        self.timers = TimerQueue::new();
    }

    /// Whether nothing is queued, ready or timed (a cancelled timer still counts until it
    /// comes out): for the lane's tests.
    #[cfg(test)]
    pub(in crate::lanes) fn is_empty(&self) -> bool {
        self.ready.is_empty() && self.timers.is_empty()
    }

    /// Runs a timer's callback, unless its handle was cancelled.
    #[inline(always)] // called from three places in the hot loop, and small
    fn fire(&mut self, (handle, callback): Timer<'a, C>) {
        if !handle.cancelled() {
            self.call(callback);
        }
    }

    /// Runs one callback, timing it when the detector is on.
    fn call(&mut self, callback: Callback<'a, C>) {
        if self.slow.is_none() {
            return callback(self);
        }
        let started = self.time();
        callback(self);
        let took = self.time() - started;
        if let Some((threshold, seen)) = &mut self.slow
            && took > *threshold
        {
            seen.push(SlowCallback { started, took });
        }
    }
}

impl Default for EventLoop<'_> {
    fn default() -> Self {
        EventLoop::new()
    }
}

impl<C: Clock> fmt::Debug for EventLoop<'_, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventLoop")
            .field("time", &self.time())
            .field("ready", &self.ready.len())
            .field("timers", &self.timers.len())
            .finish()
    }
}
