//! A blocking wait inside an async game: `time.sleep` where `await asyncio.sleep` belongs.
//!
//! # What goes wrong
//!
//! The game is the async lane's, one line apart. Fixed, it waits for the reply with
//! `timer.sleep_until(reply).await`: the future returns `Pending`, the executor gets
//! control back and the master walks on to the next board. Broken, it waits with
//! `timer.busy(opponent move)` — on a real runtime, `std::thread::sleep` or any blocking
//! I/O call. That call does not return until the reply is in, so the poll that makes the
//! master's move also sits through the opponent's 55 s, and no other game can run meanwhile:
//!
//! ```text
//!   executor ──poll──► game(board 1): master moves (5 s) ─► busy(55 s) ─► …  (60 s, one poll)
//!            ──poll──► game(board 2): master moves (5 s) ─► busy(55 s) ─► …
//! ```
//!
//! The executor is still there, the code still says `async`, and every game still takes its
//! turn — but the waits no longer overlap: 12:00:00, the synchronous total. The slow-poll
//! detector catches it: every poll holds the executor for 60 s. A game that fails (a planned
//! failure) forfeits as it does in the lane, in both versions: its panic is caught around the
//! poll it came out of, and the other games play on.
//!
//! # Example
//!
//! ```
//! use coro_simul::{Exhibition, pitfalls::{Options, Version, blocking_wait}};
//!
//! let exhibition = Exhibition::builder().opponents(3).pairs(2).build()?;
//! let broken = blocking_wait::run(&exhibition, Version::Broken, &Options::default());
//! let fixed = blocking_wait::run(&exhibition, Version::Fixed, &Options::default());
//! assert_eq!(broken.trace.summary().total(), exhibition.synchronous_total()); // 0:06:00
//! assert_eq!(fixed.trace.summary().total().as_secs(), 130); // 0:02:10
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
use super::arbiter::Arbiter;
use super::pitfall::{Options, Version};
use super::report::Run;
use crate::Exhibition;
use crate::clock::Time;
use crate::trace::Event;

/// Plays `exhibition` with every game waiting the `version`'s way.
pub fn run(exhibition: &Exhibition, version: Version, options: &Options) -> Run {
    let arbiter = Arbiter::new(exhibition, options);
    arbiter.run((1..=exhibition.opponents()).map(|board| game(board, &arbiter, version)));
    let (trace, watched) = arbiter.finish();
    let code = match version {
        Version::Broken => "the game waits with `executor.busy(opponent move)`, a blocking call",
        Version::Fixed => "the game waits with `executor.sleep_until(reply).await`",
    };
    Run { code, trace, watched, note: None }
}

/// The async lane's game, but for how it waits for the reply.
async fn game(board: u32, arbiter: &Arbiter<'_>, version: Version) {
    let (exhibition, timer) = (arbiter.exhibition, &arbiter.timer);
    let mut reply = Time::ZERO;
    for pair in 1..=exhibition.pairs() {
        exhibition.fail_if_planned(board, pair); // a panic, out of `poll`
        arbiter.master_moves(board, pair).await;
        reply = timer.now() + exhibition.opponent_move();
        match version {
            // `time.sleep(55)`: returns when the reply is in, and nothing else ran meanwhile.
            Version::Broken => timer.busy(exhibition.opponent_move()),
            // `await asyncio.sleep(55)`: `Pending` now, the master is free for other boards.
            Version::Fixed => timer.sleep_until(reply).await,
        }
        arbiter.landed(board, pair, reply);
    }
    arbiter.record(Event::game_over(reply, board));
}
