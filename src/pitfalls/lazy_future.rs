//! A lazy future: every game is created and none is awaited, so no move is ever played.
//!
//! # What goes wrong
//!
//! Calling an `async fn` runs none of its body. It returns a future — the game's state
//! machine, paused before its first line — and a future moves only when it is polled, by an
//! executor or by an `.await`. Broken, the driver calls `game(board, ..)` for every board and
//! never hands the futures to the executor: each is dropped on the spot, unstarted. The
//! exhibition "ends" at 0:00:00 with no event at all, and nothing fails.
//!
//! Python notices at run time: when the coroutine object is garbage-collected it prints
//! `RuntimeWarning: coroutine 'game' was never awaited`. Rust notices at compile time: every
//! future is `#[must_use = "futures do nothing unless you `.await` or poll them"]`, so the
//! statement `game(1);` gets the `unused_must_use` warning, and with the lint denied it does
//! not compile:
//!
//! ```compile_fail
//! #![deny(unused_must_use)]
//!
//! async fn game(board: u32) {
//!     println!("the master moves on board {board}");
//! }
//!
//! fn main() {
//!     game(1); // error: unused implementer of `Future` that must be used
//! }
//! ```
//!
//! The fixed driver hands every game to the executor (`executor.spawn(game)` for each, then
//! `executor.run()`: asyncio's `run(gather(*games))`), and the exhibition is played: 1:00:55.
//! The warning is easy to lose, though: `let _ = game(1);` silences it, and so does storing
//! the future somewhere and forgetting it there. A game that fails (a planned failure)
//! forfeits, as in the lane, only in the fixed version: in the broken one no game's code runs,
//! so none can fail.
//!
//! # Example
//!
//! Nothing happens until the future is polled:
//!
//! ```
//! use std::{cell::RefCell, time::Duration};
//! use coro_simul::lanes::async_await::{executor::Executor, timer::Timer};
//!
//! let (timer, log) = (Timer::new(), RefCell::new(Vec::new()));
//! let mut executor = Executor::new(&timer);
//! let game = async {
//!     log.borrow_mut().push("the master moves");
//!     timer.sleep(Duration::from_secs(55)).await;
//!     log.borrow_mut().push("the opponent replies");
//! };
//! assert!(log.borrow().is_empty()); // created: not one line of it has run
//! let _handle = executor.spawn(game);
//! assert!(log.borrow().is_empty()); // spawned: queued, still not run
//! executor.run();
//! assert_eq!(*log.borrow(), ["the master moves", "the opponent replies"]);
//! assert_eq!(timer.now().since_start(), Duration::from_secs(55));
//! ```
use super::arbiter::Arbiter;
use super::pitfall::{Options, Version};
use super::report::Run;
use crate::Exhibition;
use crate::clock::Time;
use crate::trace::Event;

/// Plays `exhibition`: broken, the games are created and dropped; fixed, they are run.
pub fn run(exhibition: &Exhibition, version: Version, options: &Options) -> Run {
    let arbiter = Arbiter::new(exhibition, options);
    let boards = 1..=exhibition.opponents();
    match version {
        Version::Broken => {
            for board in boards {
                // The mistake. The compiler warns here; this pitfall silences the warning to
                // show what happens when it is ignored: nothing.
                #[allow(unused_must_use)]
                game(board, &arbiter);
            }
        }
        Version::Fixed => {
            arbiter.run(boards.map(|board| game(board, &arbiter)));
        }
    }
    let (trace, watched) = arbiter.finish();
    let code = match version {
        Version::Broken => "`game(board, ..);` for every board, never awaited",
        Version::Fixed => "`executor.run(games)`: every game handed to the executor",
    };
    let note = (version == Version::Broken).then(|| {
        format!(
            "{} game futures created and dropped, not one of them polled",
            exhibition.opponents()
        )
    });
    Run { code, trace, watched, note }
}

/// The async lane's game.
async fn game(board: u32, arbiter: &Arbiter<'_>) {
    let (exhibition, timer) = (arbiter.exhibition, &arbiter.timer);
    let mut reply = Time::ZERO;
    for pair in 1..=exhibition.pairs() {
        exhibition.fail_if_planned(board, pair); // a panic, out of `poll`
        arbiter.master_moves(board, pair).await;
        reply = timer.now() + exhibition.opponent_move();
        timer.sleep_until(reply).await;
        arbiter.landed(board, pair, reply);
    }
    arbiter.record(Event::game_over(reply, board));
}
