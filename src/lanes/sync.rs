//! The synchronous baseline: the master plays one game to the end, then the next.
//!
//! # How it works
//!
//! A game is a plain loop — the master moves, the opponent thinks and replies, thirty times —
//! and [`play`] calls it once per board. When the opponent thinks, the game *blocks*: it
//! waits for the reply right there, on the one call stack, and nothing else can happen
//! meanwhile. Nothing is ever suspended, so nothing needs resuming.
//!
//! ```text
//!   play ──► game(board 1) ──► master moves ─► wait 55 s (blocked) ─► ... ─► game over
//!        ──► game(board 2) ──► ...                  (only now does board 2 start)
//! ```
//!
//! The game itself is [`plain_game`](super::plain_game)'s [`game`], written against the
//! [`Host`] trait: "the master moves here", "wait for the opponent's reply". This lane's host
//! blocks on every wait by letting the virtual clock run. The green-threads lane calls the
//! very same `game` with a host whose wait *suspends* the green thread instead — gevent's
//! trick of swapping out `time.sleep`. The driver is only a `for` loop over the boards: no
//! master's line and no replies in flight, because only one game ever exists at a time.
//!
//! To watch it, `coro-simul trace sync --switches --queues --opponents 2 --pairs 2` prints the
//! [switch trace](crate::trace#the-switch-trace): `play` calls each game in turn, and every
//! wait for a reply is a `block` of the one thread, never a suspension.
//!
//! ## Why it takes 12 hours
//!
//! Each move pair costs the master's move plus the opponent's thinking time, and nothing
//! overlaps: `n · p · (m + o)` = 24 × 30 × (5 s + 55 s) = 43 200 s = 12:00:00. The master is
//! busy for only `n · p · m` = 1:00:00 of that — 11 of every 12 seconds she sits and
//! watches an opponent think.
//!
//! # Python ↔ Rust
//!
//! | Python | this lane |
//! |---|---|
//! | `def game(board):`, a plain function | [`game`], a plain `fn`: not `async`, not a generator |
//! | `time.sleep(55)`: the one thread blocks | the host's `await_reply`: the clock runs on 55 s, nothing else runs |
//! | `for board in boards: game(board)` | the driver's `run`: `for board in 1..=opponents` |
//! | `try: game(board)` / `except Exception:` | `catch_unwind` around each game |
//! | `time.sleep` inside an `async def`: the whole loop stops | the [blocking-wait pitfall](crate::pitfalls::blocking_wait) |
//! | callbacks, `yield`, `await`, greenlets, threads, processes | none: nothing is suspended; each is another lane |
//!
//! `docs/rosetta.md` shows the game beside the articles' Python.
//!
//! # Where the paused game lives
//!
//! Nowhere: no game is ever paused. The one game in play sits on the one call stack, blocked
//! in its wait; a board not yet started is only a number the driver's `for` loop has not
//! reached.
//!
//! # When a game fails or time runs out
//!
//! (The rules all lanes share: [the lanes' docs](super#when-a-game-fails-or-time-runs-out).)
//! A planned failure panics in [`game`]'s own code, on the one call stack; the panic unwinds
//! `game` and stops at the lane's boundary, the driver's loop, which catches it
//! (`catch_unwind`), records the board `forfeit` with the panic's message, and starts the next
//! game at once. A blocked wait cannot be interrupted from outside — there is nobody else to
//! do it — so the host itself refuses: a wait that would end after the limit returns
//! `Err(Adjourned)`, the game leaves through `?`, and that board and every board not yet
//! started are recorded `adjourned` at the limit.
//!
//! # What it costs
//!
//! Nothing beyond the game's own frame: no allocation, no switch, one game at a time. That is why
//! it is the fastest lane per move pair, and the slowest by the clock: its cost is the waiting,
//! eleven hours of it. The measured figures are in `docs/performance.md`, and [the lanes'
//! docs](super#what-it-costs) say how to reproduce them.
//!
//! # When to use it
//!
//! When waits are short or there is only one thing to do: it is the simplest code there is,
//! and every other lane is measured against its result. It is also how most programs start,
//! and what `time.sleep` inside an async program quietly turns them back into.
//!
//! # Compared with the others
//!
//! Same game code as green threads, OS threads and processes; the same trace *shape* as every
//! other lane, but twelve times as long, because waiting is the one thing it cannot share.
//!
//! # Example
//!
//! ```
//! use std::time::Duration;
//! use coro_simul::{Exhibition, lanes::sync, trace::Summary};
//!
//! let exhibition = Exhibition::default();
//! let mut summary = Summary::new(&exhibition);
//! sync::play(&exhibition, &mut summary)?; // never fails: it needs nothing from the OS
//! assert_eq!(summary.total(), Duration::from_secs(12 * 3600));
//! assert_eq!(summary.master_busy(), Duration::from_secs(3600));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::panic::{self, AssertUnwindSafe};

use super::error::LaneError;
use super::plain_game::{Adjourned, Host, game};
use crate::clock::{Clock, Time, VirtualClock};
use crate::trace::{Event, PausedAt, Queue, Sink, Switch, SwitchKind};
use crate::{Exhibition, PlannedFailure};

/// Plays the exhibition one game after another, reporting every event to `sink`.
///
/// Never fails (it needs nothing from the operating system): always `Ok(())`.
pub fn play<S: Sink>(exhibition: &Exhibition, sink: &mut S) -> Result<(), LaneError> {
    play_on(exhibition, VirtualClock::new(), sink)
}

/// [`play`] on another [`Clock`], such as a scaled wall clock: the same events, at the same
/// times.
///
/// Never fails, like [`play`]: always `Ok(())`.
pub fn play_on<C: Clock, S: Sink>(
    exhibition: &Exhibition,
    clock: C,
    sink: &mut S,
) -> Result<(), LaneError> {
    Driver::new(exhibition, clock, sink).run();
    Ok(())
}

/// The lane's whole scheduler: a loop over the boards, each game played to its end.
struct Driver<'a, S, C> {
    exhibition: &'a Exhibition,
    /// What every game is played against, one after another: the clock, the sink, the limit.
    host: BlockingHost<'a, S, C>,
}

impl<'a, S: Sink, C: Clock> Driver<'a, S, C> {
    fn new(exhibition: &'a Exhibition, clock: C, sink: &'a mut S) -> Self {
        let limit = exhibition.stops_at();
        Driver { exhibition, host: BlockingHost { exhibition, clock, sink, limit } }
    }

    /// The driver loop, and the lane's boundary: a game that panics is caught here and
    /// forfeits, and the next game starts at once; a game the time limit stops is adjourned,
    /// with every game after it, which never started.
    fn run(mut self) {
        for board in 1..=self.exhibition.opponents() {
            self.watch(board, SwitchKind::Resume, calls);
            let host = &mut self.host;
            let played =
                panic::catch_unwind(AssertUnwindSafe(|| game(board, self.exhibition, host)));
            match played {
                Ok(Ok(())) => self.watch(board, SwitchKind::Finish, returned_ok),
                Ok(Err(Adjourned)) => return self.adjourn(board),
                Err(failure) => {
                    self.watch(board, SwitchKind::Finish, panicked);
                    let message = PlannedFailure::message_of(&*failure);
                    self.host.sink.record(Event::forfeit(self.host.clock.now(), board, message));
                }
            }
        }
    }

    /// At the limit: the game on `board`, stopped in a wait, and every game not yet started
    /// are adjourned, in board order.
    fn adjourn(&mut self, board: u32) {
        let at = self.host.limit; // only a limit adjourns
        self.watch(board, SwitchKind::Finish, returned_adjourned);
        self.host.sink.record(Event::adjourned(at, board));
        for board in board + 1..=self.exhibition.opponents() {
            self.watch(board, SwitchKind::Finish, never_called);
            self.host.sink.record(Event::adjourned(at, board));
        }
    }

    /// For the switch trace: play's one call stack passes to or from the game on `board`, as
    /// `says` puts it; the boards after it wait, not started.
    fn watch(&mut self, board: u32, kind: SwitchKind, says: fn(u32) -> String) {
        let (now, last) = (self.host.clock.now(), self.exhibition.opponents());
        self.host.sink.switch_with(|| {
            Switch::new(now, board, kind, says(board)).queues(not_started(board, last))
        });
    }
}

/// A host where every wait blocks: the clock runs on and nobody else gets a turn.
struct BlockingHost<'a, S, C> {
    exhibition: &'a Exhibition,
    clock: C,
    sink: &'a mut S,
    /// The time limit, or [`Time::MAX`]: no move starts at it, no reply lands after it.
    limit: Time,
}

impl<S: Sink, C: Clock> Host for BlockingHost<'_, S, C> {
    fn master_moves(&mut self, board: u32, pair: u32) -> Result<(), Adjourned> {
        if self.clock.now() >= self.limit {
            return Err(Adjourned);
        }
        self.sink.record(Event::master_move(self.clock.now(), board, pair));
        self.clock.advance_by(self.exhibition.master_move());
        Ok(())
    }

    fn await_reply(&mut self, board: u32, pair: u32) -> Result<(), Adjourned> {
        let (now, paused) = (self.clock.now(), PausedAt::caller()); // the game's own line
        let lands = now + self.exhibition.opponent_move();
        let (limit, last) = (self.limit, self.exhibition.opponents());
        self.sink.switch_with(|| {
            blocks(now, board, pair, lands, limit, paused).queues(not_started(board, last))
        });
        if lands > self.limit {
            self.clock.advance_to(self.limit); // blocked until the limit, then stopped
            return Err(Adjourned);
        }
        // Blocking: the whole program sits here while the opponent thinks (and in the
        // CPU-bound exhibition, thinks on this one thread).
        self.exhibition.opponent_thinks(board, pair);
        self.clock.advance_to(lands);
        self.sink.record(Event::opponent_move(lands, board, pair));
        Ok(())
    }

    fn game_over(&mut self, board: u32) {
        self.sink.record(Event::game_over(self.clock.now(), board));
    }
}

// What the switch trace says about the one call stack: `play` calls each game in turn, and
// a game that waits blocks it.

/// The game on `board` blocks in `await_reply` from `now` until its reply `lands` (or the
/// `limit` stops it), paused at the game's line `paused`: the one thread sleeps, and nothing
/// else runs.
fn blocks(now: Time, board: u32, pair: u32, lands: Time, limit: Time, paused: PausedAt) -> Switch {
    let until = if lands > limit {
        format!("the limit, {limit}, then returns Err(Adjourned)")
    } else {
        format!("{lands}: nothing else runs")
    };
    let says = format!(
        "game(board {board}) → await_reply(pair {pair}) blocks the one thread until {until}"
    );
    Switch::new(now, board, SwitchKind::Block, says).paused_at(paused)
}

fn calls(board: u32) -> String {
    format!("play calls game(board {board}): the one call stack is its own until it returns")
}

fn returned_ok(board: u32) -> String {
    format!("game(board {board}) returned Ok(()) to play")
}

fn panicked(board: u32) -> String {
    format!("game(board {board}) panicked: unwound to play's catch_unwind")
}

fn returned_adjourned(board: u32) -> String {
    format!("game(board {board}) returned Err(Adjourned) to play: stopped by the limit")
}

fn never_called(board: u32) -> String {
    format!("the limit: game(board {board}) never called")
}

/// The boards after `board`, which `play` has not called yet.
fn not_started(board: u32, last: u32) -> Vec<Queue> {
    vec![Queue::fifo("not started", board + 1..=last)]
}
