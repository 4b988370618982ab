//! The master as the async games share her: a fair lock that a board awaits.
//!
//! She is at one board at a time, in the order the boards asked — first come, first served,
//! like tokio's `Mutex`. The fairness is what keeps the trace right: the boards ask in the
//! order their replies landed, and the trace contract wants her moves in that order; a lock
//! that let a later board cut in would move her to the wrong board.
//!
//! It is a ticket lock: a board takes the next number and waits until she serves it; the
//! [`Turn`] it gets is its number, and dropping it sends her on to the next number in line.
//!
//! ```text
//!   turn().await ─► take number 7 ─► she serves 5 ─► line: [6: waker, 7: waker] ─► Pending
//!   board 5 drops its Turn ─► she serves 6 ─► line: [7: waker] ─► 6's waker.wake()
//! ```
//!
//! Waiting for her is a future written by hand ([`WaitForTurn`]), as every lock's is: its
//! first poll takes a number and leaves the task's waker in her line, later polls check
//! whether the number is served. A board dropped while in line gives up its place (its
//! number is skipped), so cancelling a game never leaves the boards behind it stuck.
//!
//! For a watcher (the switch trace), she lists her line, and remembers the line of code that
//! last asked for her: `turn` is `#[track_caller]`, as the timer's sleeps are.
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

/// The master, as a fair lock: see [the module docs](self).
#[derive(Debug, Default)]
pub(crate) struct Master {
    /// The next number to hand out.
    next_ticket: Cell<u64>,
    /// The number she is serving; equal to `next_ticket` when nobody has or wants her.
    serving: Cell<u64>,
    /// One place per number after `serving`, in order: the waker to call when that number
    /// comes up, or `None` once its board has left the line (she skips the number).
    line: RefCell<VecDeque<Option<Waker>>>,
    /// The line of code that last asked for her ([`turn`](Master::turn)): where a task that
    /// just returned `Pending` stopped, if it asked in the same poll. A store per turn; only
    /// a watcher reads it.
    latest_turn: Cell<Option<&'static Location<'static>>>,
}

impl Master {
    /// Waits until the master is this board's: when the board before it in line is done, or
    /// at once if she is free — after yielding once (as
    /// [`yield_now`](super::timer::yield_now) does), so that games already woken behind it
    /// record the replies that landed while she was busy, and get in line, before she moves.
    ///
    /// A board dropped while it waits, or while it holds her, passes her on (its [`Turn`] is
    /// dropped with it), so no place in the line is left blocked.
    #[track_caller] // the caller's line is the one she remembers
    pub(crate) fn turn(&self) -> WaitForTurn<'_> {
        self.latest_turn.set(Some(Location::caller()));
        WaitForTurn { master: self, turn: None }
    }

    /// The line of code that last asked for her, forgotten as it is read: a watcher reads it
    /// before a poll, to forget, and after it, to learn whether the task asked meanwhile.
    pub(crate) fn take_latest_turn(&self) -> Option<&'static Location<'static>> {
        self.latest_turn.take()
    }

    /// The wakers of the boards waiting in her line, first served first (a board that left it
    /// is skipped): her line, as a watcher shows it.
    pub(crate) fn line(&self) -> Vec<Waker> {
        self.line.borrow().iter().flatten().cloned().collect()
    }

    /// Takes the next number; unless she serves it at once, `waker` waits in line under it.
    fn take_ticket(&self, waker: &Waker) -> Turn<'_> {
        let ticket = self.next_ticket.get();
        self.next_ticket.set(ticket + 1);
        if ticket != self.serving.get() {
            self.line.borrow_mut().push_back(Some(waker.clone()));
        }
        Turn { master: self, ticket }
    }

    /// Whether she is serving `ticket`.
    fn serves(&self, ticket: u64) -> bool {
        self.serving.get() == ticket
    }

    /// `ticket`, not served yet, was polled again: `waker` is the one to call now.
    fn wait_again(&self, ticket: u64, waker: &Waker) {
        let mut line = self.line.borrow_mut();
        let place = &mut line[self.place(ticket)];
        if !place.as_ref().is_some_and(|waiting| waiting.will_wake(waker)) {
            *place = Some(waker.clone());
        }
    }

    /// Where `ticket`, not yet served, stands in the line.
    fn place(&self, ticket: u64) -> usize {
        usize::try_from(ticket - self.serving.get() - 1).expect("a line in memory")
    }

    /// `ticket` is done with her, or gives up waiting: if she serves it, she moves on;
    /// otherwise its place is emptied, to be skipped.
    fn leave(&self, ticket: u64) {
        if self.serves(ticket) {
            self.release();
        } else {
            self.line.borrow_mut()[self.place(ticket)] = None;
        }
    }

    /// The number she serves is done: serve the next one still in line, waking its board.
    ///
    /// That board needs no yield: the replies that landed during her move woke their games
    /// inside [`Timer::busy`], before this wake, so they run — and record — first.
    fn release(&self) {
        loop {
            self.serving.set(self.serving.get() + 1);
            let next = self.line.borrow_mut().pop_front();
            match next {
                Some(None) => {} // that board is gone: serve the next number
                Some(Some(waker)) => return waker.wake(),
                None => return, // nobody in line: she is free
            }
        }
    }
}

/// The future of [`Master::turn`]: a number in the master's line, ready once she serves it.
#[derive(Debug)]
#[must_use = "a board gets the master only by awaiting its turn"]
pub(crate) struct WaitForTurn<'m> {
    master: &'m Master,
    /// `None` until the first poll takes a number; handed out when it is served. Dropped
    /// while it waits, it leaves the line.
    turn: Option<Turn<'m>>,
}

impl<'m> Future for WaitForTurn<'m> {
    type Output = Turn<'m>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Turn<'m>> {
        let this = self.get_mut(); // nothing here borrows from itself: it may move
        let Some(turn) = &this.turn else {
            let turn = this.master.take_ticket(cx.waker());
            if this.master.serves(turn.ticket) {
                cx.waker().wake_by_ref(); // she is free: yield once, to the games woken before us
            }
            this.turn = Some(turn);
            return Poll::Pending;
        };
        if !this.master.serves(turn.ticket) {
            this.master.wait_again(turn.ticket, cx.waker()); // polled early: still in line
            return Poll::Pending;
        }
        Poll::Ready(this.turn.take().expect("checked above"))
    }
}

/// A board's number in the master's line, then its turn with her: dropped, it gives up its
/// place, or, once served, sends her on to the next board.
#[derive(Debug)]
pub(crate) struct Turn<'m> {
    master: &'m Master,
    ticket: u64,
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        self.master.leave(self.ticket);
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::pin::Pin;
    use std::time::Duration;

    use futures::future::{Either, select};

    use super::*;
    use crate::lanes::async_await::executor::Executor;
    use crate::lanes::async_await::timer::Timer;

    /// A board that stops waiting for the master gives up its place: the board behind it is
    /// served as soon as the master is free, instead of waiting for ever behind a ghost.
    #[test]
    fn a_board_dropped_while_in_line_gives_up_its_place() {
        let (timer, master, served) = (Timer::new(), Master::default(), RefCell::new(Vec::new()));
        let (timer, master, served) = (&timer, &master, &served);
        let mut executor = Executor::new(timer);
        let _holds_her = executor.spawn(Box::pin(async move {
            let _turn = master.turn().await;
            timer.sleep(Duration::from_secs(10)).await; // she is busy with us
        }) as Pin<Box<dyn Future<Output = ()>>>);
        // Gives up after 1 s in line: its `turn` future is dropped, unserved.
        let _impatient = executor.spawn(Box::pin(async move {
            let turn = Box::pin(master.turn());
            let gives_up = Box::pin(timer.sleep(Duration::from_secs(1)));
            match select(turn, gives_up).await {
                Either::Left(_turn) => served.borrow_mut().push("impatient"),
                Either::Right(((), turn)) => drop(turn), // out of the line, unserved
            }
        }));
        let _patient = executor.spawn(Box::pin(async move {
            let _turn = master.turn().await;
            served.borrow_mut().push("patient");
            assert_eq!(timer.now().since_start().as_secs(), 10);
        }));
        executor.run();
        assert_eq!(*served.borrow(), ["patient"]);
    }
}
