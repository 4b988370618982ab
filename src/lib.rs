#![doc = include_str!("../README.md")]
//!
//! # Layout
//!
//! Data flows one way: command line → [`Exhibition`] → lane (driver + games) → trace
//! [`Sink`](trace::Sink) → renderer. A lane never renders and a renderer never plays.
//!
//! - [`exhibition`]: the parameters, checked once, with typed errors.
//! - [`clock`]: virtual time ([`Time`](clock::Time), [`VirtualClock`](clock::VirtualClock)).
//! - [`timers`]: the deterministic timer queue, earliest deadline first, ties by sequence.
//! - [`trace`]: the events, the sinks that keep all of them or just a summary.
//! - [`render`]: text, JSON Lines and CSV.
//! - [`lanes`]: the list of lanes and their one entry point, [`Lane::play`](lanes::Lane::play);
//!   one file per technique:
//!   - [`lanes::sync`]: the synchronous baseline.
//!   - [`lanes::async_await`]: `async fn` games on a small executor
//!     ([`executor`](lanes::async_await::executor)) with a virtual-time timer.
//! - `src/main.rs`: the command line, thin: parse, pick lanes, render.
//!
//! Every module but the green-threads lane starts with `#![forbid(unsafe_code)]`.

pub mod clock;
pub mod exhibition;
pub mod lanes;
pub mod render;
pub mod timers;
pub mod trace;

pub use exhibition::{Exhibition, ExhibitionError};
