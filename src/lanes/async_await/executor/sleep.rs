//! The executor's two ways to wait without blocking: [`Sleep`] until a moment on its clock,
//! and [`YieldNow`], to let every other runnable task go first.
//!
//! Both are futures written by hand, as every runtime's leaf futures are: an `async fn` can
//! only await other futures, so at the bottom something must implement `poll` itself, hand
//! the task's [`Waker`](std::task::Waker) to whatever will call it, and return `Pending`.
#![forbid(unsafe_code)]

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::Executor;
use crate::clock::{Clock, Time, VirtualClock};

/// The future of [`Executor::sleep_until`]: ready at its deadline.
#[derive(Debug)]
#[must_use = "a sleep does nothing unless it is awaited"]
pub struct Sleep<'e, C = VirtualClock> {
    executor: &'e Executor<C>,
    deadline: Time,
    /// Whether the waker has been handed to the timers (exactly once).
    registered: bool,
}

impl<'e, C> Sleep<'e, C> {
    pub(super) fn new(executor: &'e Executor<C>, deadline: Time) -> Sleep<'e, C> {
        Sleep { executor, deadline, registered: false }
    }
}

impl<C: Clock> Future for Sleep<'_, C> {
    type Output = ();

    #[inline(always)]
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

impl YieldNow {
    pub(super) fn new() -> YieldNow {
        YieldNow { yielded: false }
    }
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
