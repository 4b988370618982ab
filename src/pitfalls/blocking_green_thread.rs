//! A blocking call on a green thread: gevent without monkey-patching.
//!
//! # What goes wrong
//!
//! Every game is the synchronous lane's plain [`game`], run on a green thread
//! ([`GreenThread`]) as in the green-threads lane. What makes it concurrent is only the
//! [`Host`] it is handed: the lane's `await_reply` *suspends* the green thread and lets the
//! hub (the scheduler, here [`play`]'s loop) run other games until the reply lands — gevent's
//! monkey-patched `time.sleep`.
//!
//! Broken, the game is handed a host whose `await_reply` first waits with a truly blocking
//! call, the virtual clock's `advance_by` standing in for `std::thread::sleep` (or Python's
//! unpatched `time.sleep`, or a blocking socket read in a C library). That call stops the OS
//! thread, and every green thread lives on that one OS thread: the hub cannot run, no other
//! game can move, until it returns. Then the game asks the hub for its reply, which has long
//! landed:
//!
//! ```text
//!   hub ──resume──► board 1: await_reply ─► sleep(55 s), blocking ─► suspend(AwaitReply)
//!    ◄─────────────────────────────────────────────────────────────────┘  (55 s later)
//!   hub ──resume──► board 2: …
//! ```
//!
//! The code of the game is the same in both versions — that is the trap: whether a wait
//! blocks or switches is decided far below the game, by what it calls. The exhibition takes
//! the synchronous 12:00:00. The hub's detector (gevent's `max_blocking_time`) times every
//! switch into a green thread and names the board that held it. A game that fails (a
//! planned failure) forfeits as it does in the lane: the hub catches its panic where it
//! resumed the game, and the other games play on.
//!
//! # Example
//!
//! ```
//! use coro_simul::{Exhibition, pitfalls::{Options, Version, blocking_green_thread}};
//!
//! let exhibition = Exhibition::builder().opponents(3).pairs(2).build()?;
//! let broken = blocking_green_thread::run(&exhibition, Version::Broken, &Options::default())?;
//! assert_eq!(broken.trace.summary().total(), exhibition.synchronous_total());
//! let slow = broken.watched.unwrap().slow; // every switch into a game blocked the hub 55 s
//! assert_eq!((slow.len(), slow[0].board, slow[0].took.as_secs()), (6, 1, 55));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::cell::RefCell;
use std::collections::VecDeque;
use std::panic::{self, AssertUnwindSafe};
use std::rc::Rc;
use std::time::Duration;

use super::pitfall::{Options, Version};
use super::report::{Run, Slow, Watched};
use crate::clock::{Time, VirtualClock};
use crate::lanes::green_threads::{GreenThread, Request, STACK_SIZE};
use crate::lanes::plain_game::{Adjourned, Host, game};
use crate::lanes::{Lane, LaneError};
use crate::timers::TimerQueue;
use crate::trace::{Event, Sink, Trace};
use crate::{Exhibition, PlannedFailure};

/// Plays `exhibition` with every green thread waiting the `version`'s way, watched by the
/// detector when `options` asks for it.
///
/// # Errors
///
/// When the operating system refuses a green thread's stack; then no event was reported.
pub fn run(exhibition: &Exhibition, version: Version, options: &Options) -> Result<Run, LaneError> {
    let mut trace = Trace::new(exhibition);
    let slow = play(exhibition, &mut trace, version, options.slow_threshold)?;
    let watched = (options.slow_threshold).map(|threshold| Watched {
        what: "switch",
        holder: "the hub",
        threshold,
        slow,
    });
    let code = match version {
        Version::Broken => "`await_reply` blocks the OS thread first (unpatched `time.sleep`)",
        Version::Fixed => "`await_reply` suspends the green thread (patched `time.sleep`)",
    };
    Ok(Run { code, trace, watched, note: None })
}

/// Plays `exhibition` on green threads under a hub, like the green-threads lane, and returns
/// every switch into a game that held the hub longer than `threshold`.
///
/// # Errors
///
/// When the operating system refuses a green thread's stack; then no event was reported.
pub fn play<S: Sink>(
    exhibition: &Exhibition,
    sink: &mut S,
    version: Version,
    threshold: Option<Duration>,
) -> Result<Vec<Slow>, LaneError> {
    // Shared with the broken hosts: a blocking call moves the one clock everybody reads.
    let clock = Rc::new(RefCell::new(VirtualClock::new()));
    let games = (1..=exhibition.opponents())
        .map(|board| spawn(exhibition, board, version, &clock).map(Some))
        .collect::<Result<_, _>>()?;
    let (master_line, replies, slow) = (VecDeque::new(), TimerQueue::new(), Vec::new());
    let mut hub = Hub { exhibition, clock, sink, games, master_line, replies, threshold, slow };
    hub.run();
    Ok(hub.slow)
}

/// Board `board`'s green thread, running the synchronous game against the `version`'s host.
fn spawn(
    exhibition: &Exhibition,
    board: u32,
    version: Version,
    clock: &Rc<RefCell<VirtualClock>>,
) -> Result<GreenThread, LaneError> {
    let (exhibition, opponent_move, clock) =
        (*exhibition, exhibition.opponent_move(), clock.clone());
    GreenThread::spawn(STACK_SIZE, move |host| {
        // No time limit in a pitfall run: a game plays to its end, or to its planned failure.
        let _ = match version {
            Version::Fixed => game(board, &exhibition, host),
            Version::Broken => {
                game(board, &exhibition, &mut Unpatched { host, clock, opponent_move })
            }
        };
    })
    .map_err(|error| LaneError::new(Lane::GreenThreads, format!("a green thread's stack: {error}")))
}

/// The lane's host, with a blocking call in front of every wait for a reply.
struct Unpatched<'t> {
    host: &'t mut dyn Host,
    clock: Rc<RefCell<VirtualClock>>,
    opponent_move: Duration,
}

impl Host for Unpatched<'_> {
    fn master_moves(&mut self, board: u32, pair: u32) -> Result<(), Adjourned> {
        self.host.master_moves(board, pair)
    }

    fn await_reply(&mut self, board: u32, pair: u32) -> Result<(), Adjourned> {
        // `std::thread::sleep(55 s)`: the OS thread, the hub and every green thread stop here.
        self.clock.borrow_mut().advance_by(self.opponent_move);
        // Only now does the game switch to the hub, which finds the reply already landed.
        self.host.await_reply(board, pair)
    }

    fn game_over(&mut self, board: u32) {
        self.host.game_over(board);
    }
}

/// The green-threads lane's scheduler, with a clock the games can block and a detector.
struct Hub<'a, S> {
    exhibition: &'a Exhibition,
    clock: Rc<RefCell<VirtualClock>>,
    sink: &'a mut S,
    /// Board `b`'s green thread at `b − 1`; `None` once it has returned.
    games: Vec<Option<GreenThread>>,
    /// `(board, pair)` waiting for the master, in the order their replies landed.
    master_line: VecDeque<(u32, u32)>,
    /// `(board, pair)` of the replies in flight, by landing time.
    replies: TimerQueue<(u32, u32)>,
    threshold: Option<Duration>,
    slow: Vec<Slow>,
}

impl<S: Sink> Hub<'_, S> {
    fn now(&self) -> Time {
        self.clock.borrow().now()
    }

    /// Land the replies that are due, move at the next board in the master's line, or jump to
    /// the next reply.
    fn run(&mut self) {
        for board in 1..=self.exhibition.opponents() {
            self.switch_to(board, Time::ZERO);
        }
        loop {
            while let Some((landed, (board, pair))) = self.replies.pop_due(self.now()) {
                self.sink.record(Event::opponent_move(landed, board, pair));
                self.switch_to(board, landed);
            }
            if let Some((board, pair)) = self.master_line.pop_front() {
                self.sink.record(Event::master_move(self.now(), board, pair));
                self.clock.borrow_mut().advance_by(self.exhibition.master_move());
                self.switch_to(board, self.now());
            } else if let Some(next) = self.replies.next_deadline() {
                self.clock.borrow_mut().advance_to(next);
            } else {
                break;
            }
        }
    }

    /// Resumes `board`'s green thread as of `at` and serves its requests until it waits, or
    /// returns, or fails: the lane's boundary, so a failing game forfeits as in the lane.
    fn switch_to(&mut self, board: u32, at: Time) {
        let index = board as usize - 1;
        loop {
            let started = self.now();
            let thread = self.games[index].as_mut().expect("a finished game is never resumed");
            let resumed = panic::catch_unwind(AssertUnwindSafe(|| thread.resume()));
            self.time_switch(board, started);
            match resumed {
                Ok(Some(Request::MasterMove { board, pair, .. })) => {
                    self.sink.suspended(board);
                    return self.master_line.push_back((board, pair));
                }
                Ok(Some(Request::AwaitReply { board, pair, .. })) => {
                    self.sink.suspended(board);
                    let lands = at + self.exhibition.opponent_move();
                    return self.replies.push(lands, (board, pair));
                }
                Ok(Some(Request::GameOver { board })) => {
                    self.sink.record(Event::game_over(at, board));
                }
                Ok(None) => return self.games[index] = None,
                Err(failure) => {
                    let message = PlannedFailure::message_of(&*failure);
                    self.sink.record(Event::forfeit(at, board, message));
                    return self.games[index] = None;
                }
            }
        }
    }

    /// The detector: notes the switch into `board` begun at `started` if it held the hub too long.
    fn time_switch(&mut self, board: u32, started: Time) {
        let took = self.now() - started;
        if self.threshold.is_some_and(|threshold| took > threshold) {
            self.slow.push(Slow { board, started, took });
        }
    }
}
