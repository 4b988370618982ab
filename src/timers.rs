//! The deterministic timer queue: "wake this up at time T", earliest first.
//!
//! Every cooperative lane needs the same thing from its scheduler: remember which opponents
//! are thinking and when each reply will land, and hand the replies back in the order they
//! land. [`TimerQueue`] is that, as a min-heap keyed by `(deadline, seq)`:
//!
//! - `deadline` first, so the earliest reply comes out first;
//! - `seq`, a counter stamped on each timer as it is pushed, breaks ties: two timers due at
//!   the same moment come out in the order they were set. Never a hash, never an address —
//!   the order is the same on every run and every machine.
//!
//! # Example
//!
//! ```
//! use std::time::Duration;
//! use coro_simul::clock::Time;
//! use coro_simul::timers::TimerQueue;
//!
//! let at = |secs| Time::from_start(Duration::from_secs(secs));
//! let mut timers = TimerQueue::new();
//! timers.push(at(60), "board 1 replies");
//! timers.push(at(65), "board 2 replies");
//! timers.push(at(60), "board 3 replies"); // same deadline as board 1, set later
//!
//! assert_eq!(timers.pop_due(at(59)), None); // nothing has landed yet
//! assert_eq!(timers.pop_due(at(61)), Some((at(60), "board 1 replies")));
//! assert_eq!(timers.pop_due(at(61)), Some((at(60), "board 3 replies")));
//! assert_eq!(timers.next_deadline(), Some(at(65)));
//! ```
#![forbid(unsafe_code)]

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use crate::clock::Time;

/// Items waiting for their deadlines, handed back earliest first, ties in insertion order.
#[derive(Debug)]
pub struct TimerQueue<T> {
    /// `Reverse` turns std's max-heap into the min-heap a timer queue needs.
    heap: BinaryHeap<Reverse<Timer<T>>>,
    /// The next timer's sequence number; only ever grows, so it orders equal deadlines.
    next_seq: u64,
}

#[derive(Debug)]
struct Timer<T> {
    deadline: Time,
    seq: u64,
    item: T,
}

// Timers compare by (deadline, seq) only: the item never decides the order, so it needs no
// `Ord` of its own, and no two timers are ever equal (every seq is different).
impl<T> Ord for Timer<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.deadline, self.seq).cmp(&(other.deadline, other.seq))
    }
}

impl<T> PartialOrd for Timer<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T> PartialEq for Timer<T> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl<T> Eq for Timer<T> {}

impl<T> Default for TimerQueue<T> {
    fn default() -> Self {
        TimerQueue { heap: BinaryHeap::new(), next_seq: 0 }
    }
}

impl<T> TimerQueue<T> {
    /// An empty queue.
    pub fn new() -> TimerQueue<T> {
        TimerQueue::default()
    }

    /// Sets a timer: `item` comes back out at `deadline`, after every timer due earlier and
    /// every timer due at the same moment that was set before it.
    pub fn push(&mut self, deadline: Time, item: T) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Reverse(Timer { deadline, seq, item }));
    }

    /// When the earliest timer is due, if any is set.
    pub fn next_deadline(&self) -> Option<Time> {
        self.heap.peek().map(|Reverse(timer)| timer.deadline)
    }

    /// Takes the earliest timer, whenever it is due, with its deadline.
    pub fn pop(&mut self) -> Option<(Time, T)> {
        self.heap.pop().map(|Reverse(timer)| (timer.deadline, timer.item))
    }

    /// Takes the earliest timer if it is due at or before `now`.
    pub fn pop_due(&mut self, now: Time) -> Option<(Time, T)> {
        match self.next_deadline() {
            Some(deadline) if deadline <= now => self.pop(),
            _ => None,
        }
    }

    /// How many timers are set.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether no timer is set.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::time::Duration;

    proptest! {
        /// Whatever order timers are set in, they come out sorted by deadline, and timers
        /// with equal deadlines keep the order they were set in.
        #[test]
        fn pops_by_deadline_then_insertion(deadlines in prop::collection::vec(0u64..20, 0..200)) {
            let mut timers = TimerQueue::new();
            for (i, &d) in deadlines.iter().enumerate() {
                timers.push(Time::from_start(Duration::from_secs(d)), i);
            }
            let mut expected: Vec<(u64, usize)> = deadlines.iter().copied().zip(0..).collect();
            expected.sort(); // by deadline, then by insertion index
            let popped: Vec<(u64, usize)> = std::iter::from_fn(|| timers.pop())
                .map(|(t, i)| (t.since_start().as_secs(), i))
                .collect();
            prop_assert_eq!(popped, expected);
        }
    }
}
