//! What an executor tells whoever runs it about its tasks: every suspension and every
//! panic, as they happen ([`Hooks`], given to [`Executor::run_with`]).
#![forbid(unsafe_code)]

use std::any::Any;
use std::panic;

#[cfg(doc)]
use super::Executor;

/// What an executor tells whoever runs it about its tasks, as it happens: given to
/// [`Executor::run_with`]. Tasks are named by their place in the list `run_with` was given,
/// from 0.
///
/// Both methods have defaults, which are what [`Executor::run`] uses (it runs with `()`).
pub trait Hooks {
    /// Task `task` has just returned `Poll::Pending`: it is suspended, and will be polled
    /// again once something wakes it. Does nothing by default.
    #[inline]
    fn suspended(&mut self, task: usize) {
        let _ = task;
    }

    /// Task `task` panicked while it was polled. The executor caught the panic and dropped
    /// the task's future — the task is over — and goes on with the others once this returns.
    /// (A panic from a hook is not a task's: it leaves `run_with`.)
    /// By default this lets the panic go on, out of `run`: a hook that panics ends the run.
    fn panicked(&mut self, task: usize, panic: Box<dyn Any + Send>) {
        let _ = task;
        panic::resume_unwind(panic);
    }
}

/// No hooks: a task's suspensions go unreported and its panic ends the run.
impl Hooks for () {}
