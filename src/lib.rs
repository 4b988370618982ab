#![doc = include_str!("../README.md")]
//!
//! # Layout
//!
//! Data flows one way: command line → [`Exhibition`] → lane (driver + games) → trace
//! [`Sink`](trace::Sink) → renderer. A lane never renders and a renderer never plays. Each
//! file has one job:
//!
//! - The shared pieces, and nothing else shared:
//!   - [`exhibition`]: the exhibition's rules and both closed forms, its parameters checked
//!     once; `exhibition/error.rs` the typed errors; `exhibition/failure.rs`, a game made to
//!     fail on purpose.
//!   - [`clock`]: virtual time ([`Time`](clock::Time), the [`Clock`](clock::Clock) trait,
//!     [`VirtualClock`](clock::VirtualClock)) and a [`ScaledClock`](clock::ScaledClock) that
//!     keeps pace with the wall clock.
//!   - [`timers`]: the deterministic timer queue, earliest deadline first, ties by sequence.
//!   - [`trace`]: the trace contract; `event.rs` the events and their order, `sink.rs` where
//!     a lane reports them (and [`Trace`](trace::Trace), which keeps them all), `summary.rs`
//!     the sink that keeps only counts and times.
//! - [`lanes`]: one file per technique, each with its own driver loop in view, in the same
//!   order of sections and with the same names for the same roles: a `Driver` whose `run` is
//!   the loop, the `replies` in flight, the `master_line`, the time `limit`. Where a lane
//!   hands a role to a library piece (the callbacks' event loop keeps the queues, the async
//!   executor and its timer keep the run queue and the sleeps) or has no use for it (sync
//!   plays one game at a time), its module doc says so:
//!   - `lanes/lane.rs`: the list of lanes and their one entry point,
//!     [`Lane::play`](lanes::Lane::play); `lanes/error.rs`: [`LaneError`](lanes::LaneError),
//!     what a lane says when the operating system refuses it a stack, a thread, a process or
//!     memory; `lanes/room.rs`: the memory check before the first move.
//!   - [`lanes::plain_game`]: the game written once as ordinary blocking code, for the lanes
//!     that can run it unchanged (sync, green threads, threads, processes).
//!   - [`lanes::sync`]: the synchronous baseline.
//!   - [`lanes::callbacks`]: callbacks; its event loop, in the style of asyncio, in
//!     [`callbacks::event_loop`](lanes::callbacks::event_loop).
//!   - [`lanes::state_machine`]: each game a hand-written `enum`; the performance floor.
//!   - [`lanes::generators`]: generators with send/yield (genawaiter).
//!   - [`lanes::async_await`]: `async fn` games on a small executor
//!     ([`executor`](lanes::async_await::executor)) with a virtual-time
//!     [`timer`](lanes::async_await::timer).
//!   - [`lanes::green_threads`]: the plain game, each on its own stack (corosensei).
//!   - [`lanes::threads`]: the plain game, one OS thread each, taking turns under a
//!     coordinator.
//!   - [`lanes::processes`]: the plain game, one OS process each (this program started
//!     again), the threads lane's coordinator talking to them over sockets; a program that
//!     plays it calls [`serve_if_child`](lanes::processes::serve_if_child) first.
//! - What the command line shows, each a library module the binary only calls:
//!   - [`render`]: a trace as text, JSON Lines or CSV.
//!   - [`timeline`]: the exhibition as a picture, one row per board (`rows.rs` as text,
//!     `svg.rs` as SVG).
//!   - [`compare`]: every lane on one exhibition, a row each.
//!   - [`race`]: every lane at once in real time, each on its own thread and scaled clock
//!     (`threads.rs`), counted (`progress.rs`) and watched with live bars (`watch.rs`).
//!   - [`scale`]: the measured table, each lane on a large exhibition in a fresh process:
//!     `plan.rs` what to measure, `measure.rs` measuring inside one process, `run.rs` the
//!     order of the measurements (the child process is the caller's closure), `report.rs`
//!     the medians, `output.rs` Markdown and JSON.
//!   - [`pitfalls`]: the ways cooperative code goes wrong, each run broken and fixed; one
//!     file per pitfall, `pitfall.rs` the list, `report.rs` what a run measured.
//!   - [`articles`]: the articles' table (processes, threads, async), each cell measured.
//!   - [`cores`]: parallelism, measured: the CPU-bound exhibition's thinking, and the cores
//!     each lane used.
//!   - [`units`]: wall times, bytes and counts for people, the same in every table.
//! - `src/main.rs` and `src/cli/`: the command line, the binary's alone (the library has no
//!   command line): `main.rs` parses and dispatches; each command is a file of `src/cli/`
//!   with one function, and `cli/error.rs` is the one error they return, with its exit code
//!   (2 bad input, 1 a lane could not play, 130 interrupted).
//!
//! The crate has no unsafe code of its own: `unsafe_code` is forbidden in `Cargo.toml`'s
//! `[lints]`, for every module, present and future. The green-threads lane's stack switching
//! is corosensei's unsafe code, not this crate's.

pub mod articles;
pub mod clock;
pub mod compare;
pub mod cores;
pub mod exhibition;
pub mod lanes;
pub mod pitfalls;
pub mod race;
pub mod render;
pub mod scale;
pub mod step;
pub mod timeline;
pub mod timers;
pub mod trace;
pub mod units;

pub use exhibition::{Exhibition, ExhibitionError, Failure, PlannedFailure};
