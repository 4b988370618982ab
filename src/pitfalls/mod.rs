//! Pitfalls you can run: the ways cooperative code goes wrong, each played on the exhibition
//! next to its fix.
//!
//! Cooperative concurrency works only if every game *gives control back* while it waits, and
//! only if somebody actually runs the games; and what they share, the master, must be shared
//! fairly. Each pitfall below breaks one of those promises in one line, plays the same
//! exhibition broken and fixed, and measures the damage:
//! `coro-simul pitfall NAME` prints both, `coro-simul pitfall --list` names them all.
//!
//! # The pitfalls
//!
//! **[`blocking-wait`](blocking_wait)** — an async game waits for its opponent with a blocking
//! call (Python's `time.sleep(55)` in a coroutine) instead of `sleep(..).await`. The executor
//! is still there, but a blocking call never returns `Pending`, so it never gets control back
//! while the opponent thinks: every wait happens on everyone's time, and the exhibition takes
//! the synchronous 12:00:00 instead of 1:00:55. Nothing warns you; it just runs slowly.
//!
//! **[`cpu-hog`](cpu_hog)** — one game does ten minutes of analysis (CPU-bound work, the
//! master's own time) in one piece. It waits for nothing, so it never yields, and every other
//! opponent's reply sits unanswered until it is done: the longest wait for an answer jumps
//! from one minute to eleven. The fix cuts the work into pieces and gives the loop back
//! between them (`yield_now().await`, asyncio's `await asyncio.sleep(0)`): the same analysis,
//! in between the other boards' moves — fair to them, slower for board 1 itself.
//!
//! **[`lazy-future`](lazy_future)** — calling an `async fn` runs none of it: it returns a
//! future, and a future does nothing until someone awaits or polls it. Create the games and
//! forget to hand them to the executor, and the exhibition "ends" at 0:00:00 with no move
//! played. Python warns at run time ("coroutine 'game' was never awaited"); Rust warns at
//! compile time, because futures are `#[must_use]`.
//!
//! **[`unprimed-generator`](unprimed_generator)** — a generator that has not started yet is
//! not waiting at a `yield`, so nothing can receive the first value sent into it. Python
//! refuses it (`TypeError: can't send non-None value to a just-started generator`); genawaiter
//! silently drops it. A driver that sends the first reply into a fresh game loses that reply:
//! the game asks for its first move again, and every game plays one pair more.
//!
//! **[`blocking-green-thread`](blocking_green_thread)** — a green thread that calls a truly
//! blocking wait (an OS sleep) instead of the lane's suspending one stops the whole OS
//! thread, and with it every green thread on it: gevent without monkey-patching. The same
//! 12:00:00 as the blocking async wait, from code that looks exactly like the working one.
//!
//! **[`unfair-lock`](unfair_lock)** — the master's line is `futures::lock::Mutex`, which
//! promises no order: letting her go only frees the lock and wakes a waiter, and a board
//! whose reply has just landed runs first and takes her. Held across her move's `.await`, it
//! starves a board: on 13 boards, board 13 waits half an hour for its first move and the
//! exhibition ends at 1:00:00 instead of 0:33:25. The fix is the lane's fair line, first
//! come first served (asyncio's `Lock`, tokio's `Mutex`).
//!
//! # The slow-callback detector
//!
//! asyncio's debug mode warns "Executing <Task …> took 600.000 seconds" when one step of a
//! task holds the event loop longer than `slow_callback_duration`. The callback loop can do
//! the same on virtual time ([`EventLoop::report_slow_callbacks`], off by default). The async
//! executor has no such detector: the async pitfalls time each poll themselves, in the wrapper
//! every game is polled through (their shared `Arbiter`), and note the polls that held the
//! executor too long. The pitfall runs turn this on ([`Options::slow_threshold`],
//! `--slow-threshold`, 10 s unless told) and name the board whose game held the loop; the
//! green-thread runs watch their hub the same way (gevent's `max_blocking_time`). The
//! master's own moves (5 s) stay under the threshold; a blocking wait (a 60 s poll) or a
//! ten-minute analysis does not. No pitfall here runs on the callback loop; its detector can
//! only say *when* a callback held it, because the loop cannot see inside a boxed closure —
//! the trace's events at that moment say which board.
//!
//! [`EventLoop::report_slow_callbacks`]: crate::lanes::callbacks::EventLoop::report_slow_callbacks
//!
//! # Failures and limits
//!
//! A pitfall keeps the lanes' rules. A planned failure (`--fail-board`) is a forfeit, in both
//! versions, recorded where the failing game was resumed, as in its lane: where the driver
//! resumed the generator in `unprimed-generator`, where the hub resumed the green thread in
//! `blocking-green-thread`, around the poll it panicked out of in the async pitfalls. The
//! other games play on. (The broken `lazy-future` runs no game's code, so nothing fails
//! there.) What a pitfall adds to the exhibition (`cpu-hog`'s analysis,
//! the unprimed generator's pair more) is checked before anything is played
//! ([`Pitfall::check`]): past the clock's 584 years, or cut into more than [`MAX_PIECES`]
//! pieces, it is refused with the reason, as the lanes refuse what does not fit.
//!
//! # Example
//!
//! ```
//! use std::time::Duration;
//! use coro_simul::{Exhibition, pitfalls::{Options, Pitfall}};
//!
//! let report = Pitfall::BlockingWait.run(&Exhibition::default(), &Options::default())?;
//! assert_eq!(report.broken.trace.summary().total(), Duration::from_secs(12 * 3600));
//! assert_eq!(report.fixed.trace.summary().total(), Duration::from_secs(3655));
//! // Every poll of the broken games held the executor for a whole move pair, 60 s.
//! let slow = &report.broken.watched.as_ref().unwrap().slow;
//! assert_eq!((slow.len(), slow[0].board, slow[0].took.as_secs()), (720, 1, 60));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod arbiter;
pub mod blocking_green_thread;
pub mod blocking_wait;
pub mod cpu_hog;
pub mod lazy_future;
mod pitfall;
mod report;
pub mod unfair_lock;
pub mod unprimed_generator;

pub use pitfall::{MAX_PIECES, Options, Pitfall, PitfallError, UnknownPitfall, Version};
pub use report::{Report, Run, Slow, Waits, Watched};
