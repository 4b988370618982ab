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
//! # Why two queues inside
//!
//! In the exhibition every opponent thinks for the same time and the clock never runs
//! backwards, so each reply is due no earlier than the one set before it: timers arrive
//! already sorted. Such a timer joins a plain FIFO, `O(1)` in and out. Only a timer due
//! *before* the last one in the FIFO (mixed delays) goes to a binary heap, `O(log n)`. `pop`
//! takes whichever head is earlier, so the order is the same either way; the FIFO just makes
//! the common case cheap (a million boards: about half the time of a heap alone).
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

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, VecDeque};

use crate::clock::Time;

/// Items waiting for their deadlines, handed back earliest first, ties in insertion order.
#[derive(Debug)]
pub struct TimerQueue<T> {
    /// Timers set in order: each due no earlier than the one before it. Sorted by
    /// `(deadline, seq)` because every timer joins at the back only if that keeps it sorted.
    in_order: VecDeque<Timer<T>>,
    /// Every other timer. `Reverse` turns std's max-heap into the min-heap needed here.
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
        TimerQueue { in_order: VecDeque::new(), heap: BinaryHeap::new(), next_seq: 0 }
    }
}

impl<T> TimerQueue<T> {
    /// An empty queue.
    pub fn new() -> TimerQueue<T> {
        TimerQueue::default()
    }

    /// Sets a timer: `item` comes back out at `deadline`, after every timer due earlier and
    /// every timer due at the same moment that was set before it.
    // `#[inline]` on this and the three below: they are a few compares each and run twice
    // per move pair in every cooperative lane; as calls they took ~45% of the state-machine
    // lane's time at a million boards.
    #[inline]
    pub fn push(&mut self, deadline: Time, item: T) {
        let seq = self.next_seq;
        self.next_seq += 1;
        let timer = Timer { deadline, seq, item };
        match self.in_order.back() {
            Some(last) if last.deadline > deadline => self.heap.push(Reverse(timer)),
            _ => self.in_order.push_back(timer),
        }
    }

    /// When the earliest timer is due, if any is set.
    #[inline]
    pub fn next_deadline(&self) -> Option<Time> {
        match (self.in_order.front(), self.heap.peek()) {
            (Some(a), Some(Reverse(b))) => Some(a.min(b).deadline),
            (Some(timer), None) | (None, Some(Reverse(timer))) => Some(timer.deadline),
            (None, None) => None,
        }
    }

    /// Takes the earliest timer, whenever it is due, with its deadline.
    #[inline]
    pub fn pop(&mut self) -> Option<(Time, T)> {
        let from_heap = match (self.in_order.front(), self.heap.peek()) {
            (Some(a), Some(Reverse(b))) => b < a,
            (None, Some(_)) => true,
            _ => false,
        };
        let timer = match from_heap {
            true => self.heap.pop().map(|Reverse(timer)| timer),
            false => self.in_order.pop_front(),
        };
        timer.map(|timer| (timer.deadline, timer.item))
    }

    /// Takes the earliest timer if it is due at or before `now`.
    #[inline]
    pub fn pop_due(&mut self, now: Time) -> Option<(Time, T)> {
        // The common case, every timer in the FIFO: one compare on its head, nothing else.
        if self.heap.is_empty() {
            return match self.in_order.front() {
                Some(timer) if timer.deadline <= now => self.in_order.pop_front(),
                _ => None,
            }
            .map(|timer| (timer.deadline, timer.item));
        }
        match self.next_deadline() {
            Some(deadline) if deadline <= now => self.pop(),
            _ => None,
        }
    }

    /// Every timer set, in the order they will come out: for showing the queue (the
    /// [switch trace](crate::trace#the-switch-trace)), not for the hot path — it sorts a copy.
    pub fn in_order(&self) -> Vec<(Time, &T)> {
        let mut timers: Vec<&Timer<T>> = self.in_order.iter().collect();
        timers.extend(self.heap.iter().map(|Reverse(timer)| timer));
        timers.sort_by_key(|timer| (timer.deadline, timer.seq));
        timers.into_iter().map(|timer| (timer.deadline, &timer.item)).collect()
    }

    /// How many timers are set.
    pub fn len(&self) -> usize {
        self.in_order.len() + self.heap.len()
    }

    /// Whether no timer is set.
    pub fn is_empty(&self) -> bool {
        self.in_order.is_empty() && self.heap.is_empty()
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

        /// Pushes and pops interleaved, against a model (a list sorted on every pop): the
        /// queue hands out the same timers in the same order, whichever inner queue held them.
        #[test]
        fn interleaved_pushes_and_pops_match_a_sorted_model(
            ops in prop::collection::vec(prop::option::of(0u64..30), 0..300),
        ) {
            let mut timers = TimerQueue::new();
            let mut model: Vec<(u64, usize)> = Vec::new();
            for (i, op) in ops.into_iter().enumerate() {
                match op {
                    Some(d) => {
                        timers.push(Time::from_start(Duration::from_secs(d)), i);
                        model.push((d, i));
                    }
                    None => {
                        model.sort_by(|a, b| b.cmp(a)); // earliest last, for `pop`
                        let expected = model.pop();
                        let next = timers.next_deadline().map(|t| t.since_start().as_secs());
                        prop_assert_eq!(next, expected.map(|(d, _)| d));
                        let popped = timers.pop().map(|(t, i)| (t.since_start().as_secs(), i));
                        prop_assert_eq!(popped, expected);
                    }
                }
                prop_assert_eq!(timers.len(), model.len());
            }
        }
    }
}
