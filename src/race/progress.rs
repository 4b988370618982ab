//! How far each lane of a race has got: counters its thread writes and a watcher reads.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use crate::clock::Time;
use crate::trace::{Event, EventKind, Sink};

/// How far one lane has got, as its thread reports it: read from any thread at any time.
///
/// Each counter is on its own: a reader may see a move counted before the clock that goes
/// with it, which a progress bar shows for 50 ms at most (relaxed atomics, no lock).
#[derive(Debug, Default)]
pub struct Progress {
    moves: AtomicU64,
    boards_over: AtomicU64,
    /// Nanoseconds on the lane's clock at its latest event.
    clock: AtomicU64,
    /// Set (with `Release`) once the lane has returned, after its last count.
    done: AtomicBool,
}

impl Progress {
    /// Moves made so far, the master's and the opponents' (`2·n·p` in all).
    pub fn moves(&self) -> u64 {
        self.moves.load(Ordering::Relaxed)
    }

    /// Games over so far.
    pub fn boards_over(&self) -> u64 {
        self.boards_over.load(Ordering::Relaxed)
    }

    /// The lane's clock at its latest event.
    pub fn clock(&self) -> Time {
        Time::from_start(Duration::from_nanos(self.clock.load(Ordering::Relaxed)))
    }

    /// Whether the lane has returned. Once this is true, the counts are final (`Acquire`
    /// pairs with the lane's `Release`, after its last count).
    pub fn is_done(&self) -> bool {
        self.done.load(Ordering::Acquire)
    }
}

/// A sink that counts into a [`Progress`] another thread can read.
#[derive(Debug, Clone, Default)]
pub struct ProgressSink {
    progress: Arc<Progress>,
}

impl ProgressSink {
    /// A sink counting into `progress`.
    pub fn new(progress: Arc<Progress>) -> ProgressSink {
        ProgressSink { progress }
    }
}

impl Sink for ProgressSink {
    fn record(&mut self, event: Event) {
        let counter = match event.kind {
            EventKind::GameOver | EventKind::Adjourned | EventKind::Forfeit { .. } => {
                &self.progress.boards_over
            }
            EventKind::MasterMove { .. } | EventKind::OpponentMove { .. } => &self.progress.moves,
        };
        counter.fetch_add(1, Ordering::Relaxed);
        // A reply is recorded at its landing time, which may be earlier than the moment
        // the master has reached: the clock shows the latest time seen.
        self.progress.clock.fetch_max(event.t.as_nanos(), Ordering::Relaxed);
    }
}

impl ProgressSink {
    /// Marks the lane done, after its last count (`Release`: see [`Progress::is_done`]).
    pub(super) fn mark_done(&self) {
        self.progress.done.store(true, Ordering::Release);
    }
}
