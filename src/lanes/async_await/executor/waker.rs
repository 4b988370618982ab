//! The executor's [`Waker`]: a task's number, and a function that puts it on the run queue.
//!
//! A `Waker` is two words: a data pointer and a table of four functions — clone, wake, wake by
//! reference, drop — that receive it. It is a trait object written out by hand
//! ([`RawWaker`]), so that `Waker` itself needs no generic parameter.
//!
//! The usual waker points at its task, reference-counted (`Arc`): every clone and every drop
//! is then an atomic update of the count, because a `Waker` is `Send + Sync` and may be cloned
//! on one thread and dropped on another. A suspension clones one (handed to a timer, or to the
//! master's line) and drops one (consumed by `wake()`): two atomic operations each time, a
//! quarter of the lane's cost in the round-trip benchmark.
//!
//! This executor's wakers point at nothing. The data word *is* the task: its number in the
//! low half, its run's id in the high half (each `run` has its own), packed into an
//! integer. Cloning copies the word; dropping does nothing; waking calls
//! [`run_queue::wake`](super::run_queue::wake), which finds the run queue of the executor
//! running on this thread and queues the number. No allocation per task, no count, no lock.
//!
//! ```text
//!   Waker { data: run id << 32 | task number,  vtable: &VTABLE }
//!   clone: copy the two words   drop: nothing   wake: run_queue::wake(run id, task number)
//! ```
//!
//! That is one of the crate's two `unsafe` blocks (the other follows the run queue's
//! pointer): [`Waker::from_raw`] cannot check that the four functions honour a waker's
//! contract, so its caller promises it. They do, and simply, since the data word is never
//! dereferenced: it is a number, not a pointer.
#![allow(unsafe_code)] // the async lane denies it; this file builds the executor's waker

use std::task::{RawWaker, RawWakerVTable, Waker};

/// Bits of the data word that hold the task number; the run's id takes the rest.
const TASK_BITS: u32 = usize::BITS / 2;

/// The largest task number a waker can carry: 4 294 967 295 on a 64-bit machine, so a run
/// has at most 2^32 tasks.
pub(super) const MAX_TASK: usize = (1 << TASK_BITS) - 1;

/// The id a run's wakers carry (each [`run`](super::Executor::run) has its own): its serial
/// number, in the bits left for it, from 1 (0 stands for no run). Runs 2^32 − 1 apart share
/// one, on any thread: that matters only if a waker outlives its run by four billion others
/// and is then woken while the one sharing its id runs, on the waking thread.
pub(super) fn run_tag(serial: u64) -> usize {
    (serial % (usize::MAX >> TASK_BITS) as u64) as usize + 1
}

/// What the four functions do with the data word; none of them reads memory through it.
static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, wake, wake, drop);

/// The waker of task `task` in the run tagged `run` ([`run_tag`]): waking it queues the task
/// on that run's queue, if that run is going on on the calling thread (else it panics).
///
/// # Panics
///
/// If `task` is more than [`MAX_TASK`].
pub(super) fn task_waker(run: usize, task: usize) -> Waker {
    assert!(task <= MAX_TASK, "a run has at most {MAX_TASK} + 1 tasks");
    let data = std::ptr::without_provenance::<()>(run << TASK_BITS | task);
    // SAFETY: the vtable's functions are safe to call from any thread, on any copy of the
    // word, any number of times, and never dereference it: `clone` copies it, `drop` ignores
    // it, `wake` reads the number out of the word's address and touches only this thread's
    // run queue (panicking if the task's run is not the one there, or the number is not
    // one of its tasks: a panic, never memory out of bounds).
    unsafe { Waker::from_raw(RawWaker::new(data, &VTABLE)) }
}

fn clone(data: *const ()) -> RawWaker {
    RawWaker::new(data, &VTABLE)
}

fn wake(data: *const ()) {
    let word = data.addr();
    super::run_queue::wake(word >> TASK_BITS, word & MAX_TASK);
}

fn drop(_: *const ()) {}
