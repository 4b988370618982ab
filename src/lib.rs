#![doc = include_str!("../README.md")]
//!
//! # Layout
//!
//! Data flows one way: command line → [`Exhibition`] → lane (driver + games) → trace
//! [`Sink`](trace::Sink) → renderer. A lane never renders and a renderer never plays.
//!
//! - [`exhibition`]: the parameters, checked once, with typed errors.
//! - [`clock`]: virtual time ([`Time`](clock::Time), the [`Clock`](clock::Clock) trait,
//!   [`VirtualClock`](clock::VirtualClock)) and a [`ScaledClock`](clock::ScaledClock) that
//!   keeps pace with the wall clock.
//! - [`timers`]: the deterministic timer queue, earliest deadline first, ties by sequence.
//! - [`trace`]: the events, the sinks that keep all of them or just a summary.
//! - [`render`]: text, JSON Lines and CSV.
//! - [`timeline`]: the exhibition as a picture, one row per board.
//! - [`compare`]: every lane on one exhibition, a row each.
//! - [`scale`]: the measured table: each lane on a large exhibition in a fresh process; one
//!   file for measuring in a process, the order of the measurements, the report, its output.
//! - [`lanes`]: the list of lanes and their one entry point, [`Lane::play`](lanes::Lane::play);
//!   one file per technique:
//!   - [`lanes::sync`]: the synchronous baseline.
//!   - [`lanes::callbacks`]: callbacks on an asyncio-like event loop.
//!   - [`lanes::state_machine`]: each game a hand-written `enum`; the performance floor.
//!   - [`lanes::generators`]: generators with send/yield (genawaiter).
//!   - [`lanes::async_await`]: `async fn` games on a small executor
//!     ([`executor`](lanes::async_await::executor)) with a virtual-time timer.
//!   - [`lanes::green_threads`]: the same game as `sync`, each on its own stack (corosensei).
//!   - [`lanes::threads`]: one OS thread per game, taking turns under a coordinator.
//! - [`race`]: every lane at once, each on its own thread and scaled clock, with live
//!   progress bars.
//! - [`units`]: wall times, bytes and counts for people, the same in every table.
//! - [`pitfalls`]: the ways cooperative code goes wrong (blocking waits, CPU hogs, lazy
//!   futures, unprimed generators, blocking green threads), each run broken and fixed, with
//!   a slow-callback detector; one file per pitfall.
//! - `src/main.rs` and `src/cli/`: the command line, the binary's alone (the library has
//!   none): `main.rs` parses and dispatches, each command is a file of `src/cli/`.
//!
//! Every module starts with `#![forbid(unsafe_code)]`, the green-threads lane too: its stack
//! switching is corosensei's unsafe code, not this crate's. Two files of the async executor
//! are the exception, and the modules above them say `deny` instead of `forbid` so that they
//! can be, each with one `unsafe` block: its waker (`src/lanes/async_await/executor/waker.rs`)
//! builds a `Waker` from a task's number, so that cloning and dropping one costs nothing; its
//! run queue (`run_queue.rs` beside it) follows a thread-local pointer to the queue that a
//! wake lands in, set only while the executor runs.

pub mod clock;
pub mod compare;
pub mod exhibition;
pub mod lanes;
pub mod pitfalls;
pub mod race;
pub mod render;
pub mod scale;
pub mod timeline;
pub mod timers;
pub mod trace;
pub mod units;

pub use exhibition::{Exhibition, ExhibitionError, Failure, PlannedFailure};
