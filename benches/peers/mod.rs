//! The peers: each lane's game on what a Rust user would pick instead of this crate's toy,
//! so that a lane's cost can be read as the technique's cost, not only this crate's.
//!
//! - async/await: tokio's `current_thread` runtime with its clock paused; `futures`'
//!   `LocalPool`; smol's `LocalExecutor` ([`async_await`]).
//! - green threads: the `generator` crate's stackful generators ([`green_threads`]).
//! - callbacks: no peer. The callback event loop a Rust user would pick, calloop, keeps its
//!   timers on the wall clock: its `Timer` takes an `Instant` deadline, reads
//!   `Instant::now()` to decide which timers fired, and sleeps in the OS until the next one.
//!   No clock can be handed to it, so it cannot jump a virtual clock from one reply to the
//!   next: the round trip's exhibition (16 boards × 20 000 move pairs, about 18½ days of
//!   virtual time) would take those 18½ days. Setting every deadline in the past would make
//!   every timer due at once, but an `Instant` cannot reach back 18½ days on a machine that
//!   booted since, and calloop fires a whole batch of due timers before it looks at those
//!   armed meanwhile, which is not the order of the exhibition. calloop's own sources
//!   without its timer would leave only its callbacks and an `epoll_wait` per turn of the
//!   loop to compare, not a timer-driven exhibition.
//!
//! Each peer plays the same exhibition as its lane; before it times a peer, the benchmark
//! checks that its summary matches the lane's: the same end time, the same time the master
//! was busy, the same moves and games over.

use coro_simul::Exhibition;
use coro_simul::lanes::Lane;
use coro_simul::trace::Summary;

mod async_await;
mod green_threads;

/// A peer: plays an exhibition on another library, and sums it up.
pub(crate) type Play = fn(&Exhibition) -> Summary;

/// Every peer: the lane it stands beside, its benchmark ID, and how it plays.
pub(crate) const ALL: &[(Lane, &str, Play)] = &[
    (Lane::AsyncAwait, async_await::TOKIO, async_await::tokio),
    (Lane::AsyncAwait, async_await::LOCAL_POOL, async_await::local_pool),
    (Lane::AsyncAwait, async_await::LOCAL_EXECUTOR, async_await::local_executor),
    (Lane::GreenThreads, green_threads::GENERATOR, green_threads::generator),
];
