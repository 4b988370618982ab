//! A CPU hog: one game computes for ten minutes without giving the loop back.
//!
//! # What goes wrong
//!
//! Before her second move on board 1, the master analyses its position for ten minutes
//! ([`ANALYSIS`]). That is work, not waiting: nothing to `.await`, so the broken game does it
//! in one piece, `timer.busy(10 min)`, inside one poll. Meanwhile every other opponent
//! replies, and their games are woken — but they run only when the poll returns, so every
//! reply sits unanswered for up to ten minutes. asyncio's debug mode, and the slow-poll
//! detector here, point at the culprit: one poll of board 1 held the loop for 0:10:00.
//!
//! The fix is asyncio's `await asyncio.sleep(0)` between pieces: the analysis is cut into
//! pieces no longer than one of her moves, each taken in turn with the master like a move, and
//! after each the game calls `yield_now().await`, which puts it behind every game
//! that has become runnable meanwhile. The boards that replied during a piece record their
//! replies and line up for her first; the analysis continues in between their moves.
//!
//! ```text
//!   broken:  … b12 │ analysis ─────────────── 10 min ───────────────│ b13 b14 … b24 b1 …
//!   fixed:   … b12 │ piece │ b13 │ piece │ b14 │ piece │ … (the same 10 min, spread out)
//! ```
//!
//! What changes is how long the *other* opponents wait for an answer
//! ([`Waits`]): on the default exhibition the longest wait drops from eleven
//! minutes to one, and no poll trips the detector.
//!
//! The fix is not free for board 1. Its analysis now shares the master fairly with 23 other
//! boards, a piece per round, so its own reply waits over an hour, and the exhibition ends
//! later (1:36:35 against 1:10:55), with board 1 playing on alone at the end. That is what
//! yielding buys: nobody is starved, including by the one task that has the most to do.
//! (The summaries count only the master's moves as busy, so her analysis shows as idle time.)
//! A game that fails (a planned failure) forfeits as it does in the lane, in both versions.
//!
//! # Example
//!
//! ```
//! use std::time::Duration;
//! use coro_simul::{Exhibition, pitfalls::{Options, Version, Waits, cpu_hog}};
//!
//! let exhibition = Exhibition::default();
//! let others = |version| {
//!     let run = cpu_hog::run(&exhibition, version, &Options::default());
//!     Waits::of_boards(&run.trace, |board| board != cpu_hog::HOG).longest
//! };
//! assert_eq!(others(Version::Broken), Duration::from_secs(11 * 60)); // the analysis, and more
//! assert_eq!(others(Version::Fixed), Duration::from_secs(65)); // about one round
//! ```
use std::time::Duration;

use super::arbiter::Arbiter;
use super::pitfall::{Options, Version};
use super::report::{Run, Waits, shower};
use crate::Exhibition;
use crate::clock::Time;
use crate::lanes::async_await::timer::yield_now;
use crate::trace::Event;

/// How long the master analyses board 1 before her second move there (her first, in a game
/// of one pair).
pub const ANALYSIS: Duration = Duration::from_secs(10 * 60);

/// The board whose game hogs the loop.
pub const HOG: u32 = 1;

/// Plays `exhibition` with board [`HOG`]'s analysis done the `version`'s way.
pub fn run(exhibition: &Exhibition, version: Version, options: &Options) -> Run {
    let arbiter = Arbiter::new(exhibition, options);
    arbiter.run((1..=exhibition.opponents()).map(|board| game(board, &arbiter, version)));
    let (trace, watched) = arbiter.finish();
    let code = match version {
        Version::Broken => "board 1's analysis in one piece: `executor.busy(10 min)`",
        Version::Fixed => "in pieces of one master move, `executor.yield_now().await` after each",
    };
    let show = shower(exhibition);
    let others = Waits::of_boards(&trace, |board| board != HOG);
    let own = Waits::of_boards(&trace, |board| board == HOG);
    let note = format!(
        "the other boards' replies waited {} at most, {} all together;\n\
         board {HOG}'s own, behind its analysis, {} at most",
        show(others.longest),
        show(others.total),
        show(own.longest),
    );
    Run { code, trace, watched, note: Some(note) }
}

/// The async lane's game, with the master's analysis before her second move on [`HOG`].
async fn game(board: u32, arbiter: &Arbiter<'_>, version: Version) {
    let (exhibition, timer) = (arbiter.exhibition, &arbiter.timer);
    let mut reply = Time::ZERO;
    for pair in 1..=exhibition.pairs() {
        exhibition.fail_if_planned(board, pair); // a panic, out of `poll`
        if board == HOG && pair == exhibition.pairs().min(2) {
            analyse(arbiter, version).await;
        }
        arbiter.master_moves(board, pair).await;
        reply = timer.now() + exhibition.opponent_move();
        timer.sleep_until(reply).await;
        arbiter.landed(board, pair, reply);
    }
    arbiter.record(Event::game_over(reply, board));
}

/// Ten minutes of the master's thinking, in one piece or in pieces.
///
/// Each piece takes its turn with her, as a move does: she is the one doing it, and the fair
/// line is what keeps the trace in the contract's order (replies that land during a piece
/// are recorded before her next move).
async fn analyse(arbiter: &Arbiter<'_>, version: Version) {
    let timer = &arbiter.timer;
    let piece = match version {
        Version::Broken => ANALYSIS,
        Version::Fixed => arbiter.exhibition.master_move(),
    };
    let mut left = ANALYSIS;
    while !left.is_zero() {
        let turn = arbiter.master.turn().await;
        timer.busy(piece.min(left)); // CPU-bound: nothing else runs meanwhile
        left = left.saturating_sub(piece);
        drop(turn);
        if version == Version::Fixed {
            // asyncio's `sleep(0)`: behind every game that became runnable during the piece.
            yield_now().await;
        }
    }
}
