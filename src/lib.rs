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
//! - [`scale`]: the measured table: each lane on a large exhibition in a fresh process.
//! - [`lanes`]: the list of lanes and their one entry point, [`Lane::play`](lanes::Lane::play);
//!   one file per technique:
//!   - [`lanes::sync`]: the synchronous baseline.
//!   - [`lanes::callbacks`]: callbacks on an asyncio-like event loop.
//!   - [`lanes::state_machine`]: each game a hand-written `enum`; the performance floor.
//!   - [`lanes::generators`]: generators with send/yield (genawaiter).
//!   - [`lanes::async_await`]: `async fn` games on a small executor
//!     ([`executor`](lanes::async_await::executor)) with a virtual-time
//!     [`timer`](lanes::async_await::timer).
//!   - [`lanes::green_threads`]: the same game as `sync`, each on its own stack (corosensei).
//!   - [`lanes::threads`]: one OS thread per game, taking turns under a coordinator.
//! - [`race`]: every lane at once, each on its own thread and scaled clock, with live
//!   progress bars.
//! - [`pitfalls`]: the ways cooperative code goes wrong (blocking waits, CPU hogs, lazy
//!   futures, unprimed generators, blocking green threads), each run broken and fixed, with
//!   a slow-callback detector; one file per pitfall.
//! - `src/main.rs`: the command line, thin: parse, pick lanes, render.
//!
//! The crate has no unsafe of its own (`unsafe_code` is forbidden in `Cargo.toml`); corosensei's
//! stack switching is corosensei's.

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

pub use exhibition::{Exhibition, ExhibitionError, Failure, PlannedFailure};
