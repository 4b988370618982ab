//! The lanes: one module per technique, all behind one entry point, [`Lane::play`].
//!
//! Every lane plays the same [`Exhibition`](crate::Exhibition) and reports the same events to a
//! [`Sink`](crate::trace::Sink); what differs is how a game that is waiting for its opponent gets
//! out of the master's way and back again. Each module keeps its own driver loop in view, because
//! the driver *is* the lesson.
//!
//! # Example
//!
//! ```
//! use coro_simul::{Exhibition, lanes::{Lane, processes}};
//!
//! processes::serve_if_child(); // the processes lane starts this program again: see its docs
//! for lane in Lane::ALL {
//!     let summary = lane.summary(&Exhibition::default())?;
//!     println!("{:<14} {}", lane.name(), summary.total().as_secs());
//! }
//! assert_eq!("sync".parse::<Lane>(), Ok(Lane::Sync));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Errors
//!
//! Playing can fail only where a lane needs something from the operating system for every
//! game — a stack for each green thread, a kernel thread or a process for each game, memory
//! for each board's state — and the system refuses (or, for processes, the program does not
//! serve as a game's process). Such a lane checks before the first move, so a [`LaneError`]
//! means no event was reported. [`Lane::play`] first checks that this process can reserve
//! the memory the boards need in that lane (`room.rs`), and refuses with how many boards fit
//! and which limit said no; past that check, the stackless lanes never fail.

pub mod async_await;
pub mod callbacks;
pub mod generators;
pub mod green_threads;
// Not a lane: the plain blocking game that sync, green threads, threads and processes all play.
pub mod plain_game;
pub mod processes;
pub mod state_machine;
pub mod sync;
pub mod threads;

mod error;
mod lane;
pub(crate) mod room;
#[cfg(test)]
mod testing;

pub use error::LaneError;
pub use lane::{Lane, UnknownLane};
