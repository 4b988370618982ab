//! The plain game: one game written as ordinary blocking code, played by four lanes.
//!
//! [`game`] is a plain loop — the master moves, the opponent thinks and replies, thirty
//! times — not `async`, not a generator, not a state machine. Each lane that plays it hands
//! it a [`Host`], and the host decides what a wait does: the sync lane's host blocks the one
//! thread ([`sync`](super::sync)), the green-threads lane's host suspends the green thread
//! the game runs on ([`green_threads`](super::green_threads)), the threads lane's host hands
//! the baton back to the coordinator and blocks its OS thread ([`threads`](super::threads)),
//! the processes lane's host writes it down a socket and blocks its whole process
//! ([`processes`](super::processes)).
//! The game's code never changes; only the host does — gevent's trick of swapping out
//! `time.sleep`.
//!
//! # Example
//!
//! A host that only writes down what the game asks of it:
//!
//! ```
//! use coro_simul::Exhibition;
//! use coro_simul::lanes::plain_game::{Adjourned, Host, game};
//!
//! #[derive(Default)]
//! struct Notes(Vec<String>);
//!
//! impl Host for Notes {
//!     fn master_moves(&mut self, board: u32, pair: u32) -> Result<(), Adjourned> {
//!         self.0.push(format!("master moves on {board}, pair {pair}"));
//!         Ok(())
//!     }
//!     fn await_reply(&mut self, board: u32, pair: u32) -> Result<(), Adjourned> {
//!         self.0.push(format!("wait for {board}'s reply to {pair}"));
//!         Ok(())
//!     }
//!     fn game_over(&mut self, board: u32) {
//!         self.0.push(format!("{board} is over"));
//!     }
//! }
//!
//! let exhibition = Exhibition::builder().opponents(1).pairs(1).build()?;
//! let mut notes = Notes::default();
//! assert_eq!(game(1, &exhibition, &mut notes), Ok(()));
//! assert_eq!(notes.0, ["master moves on 1, pair 1", "wait for 1's reply to 1", "1 is over"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::VecDeque;

use crate::Exhibition;
use crate::timers::TimerQueue;
use crate::trace::Queue;

/// What a game needs from the world around it: the master's attention and the opponent's
/// reply. A lane decides what "wait" means by how it implements this trait.
///
/// [`game`] takes a `&mut dyn Host` on purpose: the game function is one plain function, not
/// generic and not `async`, so a lane that wants to reuse it cannot change its colour.
///
/// A wait returns `Err(Adjourned)` when the time limit stops the game in it: a blocked call
/// can only be stopped by failing, and the game passes the failure up with `?` — the way a
/// `TimeoutError` leaves a blocking call in Python.
///
/// The two waits are `#[track_caller]`, in every implementation: inside one,
/// [`Location::caller`](std::panic::Location::caller) is the line of the game that waits,
/// which a lane's switch trace shows as where the game stopped.
pub trait Host {
    /// The master makes her move of `pair` on `board`; returns when she has finished.
    #[track_caller]
    fn master_moves(&mut self, board: u32, pair: u32) -> Result<(), Adjourned>;
    /// Waits until the opponent on `board` has replied to `pair`.
    #[track_caller]
    fn await_reply(&mut self, board: u32, pair: u32) -> Result<(), Adjourned>;
    /// The game on `board` is over: its last reply has landed.
    fn game_over(&mut self, board: u32);
}

/// The time limit stopped a game in the middle of a wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Adjourned;

/// A plain game, like [`game`]: `(board, exhibition, host)`. What the threads and
/// green-threads lanes' private test hooks take, to play their tests' faulty games.
pub(crate) type GameFn = fn(u32, &Exhibition, &mut dyn Host) -> Result<(), Adjourned>;

/// One game on `board`: for each move pair, the master moves and the opponent replies.
///
/// This is the whole game, for every lane that runs plain functions: the sync lane blocks
/// inside [`Host::await_reply`], the green-threads lane suspends there. As its code reaches
/// each pair, the game may fail as planned ([`Exhibition::fail_if_planned`]): a panic, here
/// in the game's own code, for the lane to contain.
pub fn game(board: u32, exhibition: &Exhibition, host: &mut dyn Host) -> Result<(), Adjourned> {
    for pair in 1..=exhibition.pairs() {
        exhibition.fail_if_planned(board, pair);
        host.master_moves(board, pair)?;
        host.await_reply(board, pair)?;
    }
    host.game_over(board);
    Ok(())
}

/// The two queues of every driver that runs this game (green threads, threads, processes),
/// as the [switch trace](crate::trace#the-switch-trace) shows them: the boards waiting for
/// the master, in line, and the replies in flight, earliest first. Both hold
/// `(board, pair)`; the trace shows the boards.
pub(crate) fn queues(
    master_line: &VecDeque<(u32, u32)>,
    replies: &TimerQueue<(u32, u32)>,
) -> Vec<Queue> {
    let waiting = master_line.iter().map(|&(board, _pair)| board);
    let in_flight = replies.in_order().into_iter().map(|(due, &(board, _pair))| (due, board));
    vec![Queue::fifo("master_line", waiting), Queue::timers("replies", in_flight)]
}
