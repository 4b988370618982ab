// Longer than the crate's ~350 lines a file, on purpose: the module doc is the lesson (the
// staircase a game becomes, asyncio beside this loop) and stays beside the three callbacks it
// explains. The event loop lives in `callbacks/event_loop.rs`, the switch trace's notes in
// `callbacks/watch.rs`, the tests in `callbacks/tests.rs`.
//! Callbacks on an event loop: every wait ends a function, and a closure carries on later.
//!
//! # How it works
//!
//! [`EventLoop`] ([`event_loop`]) is a small model of asyncio's loop on the virtual clock:
//! [`time`], [`call_soon`] (queue a callback to run next), [`call_later`] (run it after a
//! delay; returns a [`TimerHandle`] you can [`cancel`](TimerHandle::cancel)) and [`run`]. A
//! game cannot wait inside a function, so it is cut into callbacks at every wait, in
//! continuation-passing style: the master's move ends by asking the loop to `call_later` the
//! opponent's reply, and the reply's callback asks it to `call_soon` the master's next move.
//! Each callback runs to the end and returns to the loop; the loop, not the game, decides what
//! runs next. It is this lane's driver loop ([the lanes' docs](super#the-driver-loop)): its
//! ready queue is the master's line, its timers are the replies in flight.
//!
//! ```text
//!   run() ──► game_starts(board 1) ─ call_soon(master_moves(board 1, pair 1))  (each board, at 0:00:00)
//!   run() ──► master_moves(board 1, pair 1) ─ works 5 s ─ call_later(55 s, reply…) ─┐ returns
//!     ◄─────────────────────────────────────────────────────────────────────────────┘
//!   run() ──► master_moves(board 2, pair 1) ─ …
//!   run() ──► (timer due) reply_lands(board 1, pair 1) ─ call_soon(master_moves(board 1, pair 2))
//! ```
//!
//! To watch it, `coro-simul trace callbacks --switches --queues --opponents 2 --pairs 2` prints
//! the [switch trace](crate::trace#the-switch-trace): the loop calling each callback, and each
//! callback returning to the loop after `call_soon` or `call_later` of the game's rest (a
//! suspension), the paused game left in that closure's captures.
//!
//! **The loop's order.** The loop runs every timer that is due before each ready callback
//! ([the loop's order](event_loop#the-loops-order)), so a reply that landed while the master
//! was busy is recorded before she starts her next move, and its board joins the back of the
//! queue, in the order the replies landed. The reply is recorded at the moment it was *due*,
//! which its closure captured: by the time the loop gets to it, the clock may be past that.
//!
//! ## Why people call it callback hell
//!
//! The plain blocking game (the sync lane's) is a loop you read top to bottom:
//!
//! ```text
//!   for pair in 1..=pairs {
//!       host.master_moves(board, pair);
//!       host.await_reply(board, pair);
//!   }
//!   host.game_over(board);
//! ```
//!
//! With callbacks, every wait cuts the function in two and the rest of the game moves into a
//! closure, so a game of two pairs, written out, becomes a staircase:
//!
//! ```text
//!   lp.call_soon(move |lp| {
//!       record(master_move(lp.time(), board, 1));
//!       lp.work(m);
//!       let lands = lp.time() + o;
//!       lp.call_later(o, move |lp| {
//!           record(opponent_move(lands, board, 1));
//!           lp.call_soon(move |lp| {
//!               record(master_move(lp.time(), board, 2));
//!               lp.work(m);
//!               let lands = lp.time() + o;
//!               lp.call_later(o, move |lp| {
//!                   record(opponent_move(lands, board, 2));
//!                   record(game_over(lands, board));
//!               });
//!           });
//!       });
//!   });
//! ```
//!
//! A `for` loop of `p` pairs cannot be nested like that, so this module turns it into two
//! functions that schedule each other with `pair + 1`: the loop counter, and every other local
//! the game needs later, has to be carried by hand from closure to closure. Everything the
//! language gives a straight-line function is rebuilt by hand: loops become recursion through
//! the loop, `?` and `try`/`finally` become "remember to call the error callback", and state
//! shared between callbacks needs `Rc<RefCell<…>>`. That is what the other lanes buy back:
//! generators and `async fn` let you write the loop and have the compiler cut it into states
//! (see the state-machine lane), and green threads run the plain synchronous game unchanged.
//!
//! [`time`]: EventLoop::time
//! [`call_soon`]: EventLoop::call_soon
//! [`call_later`]: EventLoop::call_later
//! [`run`]: EventLoop::run
//! [`run_until`]: EventLoop::run_until
//!
//! # Python ↔ Rust
//!
//! | Python (asyncio) | this lane |
//! |---|---|
//! | `loop = asyncio.new_event_loop()` | [`EventLoop::with_clock`] |
//! | `loop.call_soon(master_moves, board, pair)` | `lp.call_soon(move \|lp\| master_moves(lp, arbiter, board, pair))` |
//! | `handle = loop.call_later(55, reply_lands, ...)` | `lp.call_later(delay, move \|lp\| reply_lands(..))`: a [`TimerHandle`] |
//! | `handle.cancel()` | [`TimerHandle::cancel`] |
//! | `loop.time()` | [`EventLoop::time`] |
//! | `loop.run_forever()`, which never returns on its own | [`run`]: returns once no callback is left |
//! | `loop.call_at(limit, loop.stop)`, then `run_forever()` | [`run_until`]`(limit)` |
//! | `loop.close()` | [`EventLoop::close`]: the callbacks still queued are dropped unrun |
//! | `time.sleep(5)` in a callback: the loop waits | [`EventLoop::work`]: the master's move |
//! | "Exception in callback <Handle …>" logged, the loop runs on | the panic leaves `run_until`; the lane's boundary records the forfeit, runs the loop again |
//! | state the callbacks share: `nonlocal`, an object | an `Rc` on the arbiter, with `Cell`s and `RefCell`s |
//!
//! `docs/rosetta.md` shows the game's three callbacks beside the articles' Python.
//!
//! # Where the paused game lives
//!
//! In the closures' captures: the reply's closure holds the board, the pair, when the reply
//! lands and an `Rc` on the shared arbiter (the sink among it), boxed on the heap until the
//! loop calls it; between the reply and the master's next move, the same in the next move's
//! closure, in the loop's ready queue. The loop can call a closure, but it cannot see inside
//! one: which board it plays is written on the arbiter as each callback starts.
//!
//! # When a game fails or time runs out
//!
//! (The rules all lanes share: [the lanes' docs](super#when-a-game-fails-or-time-runs-out).)
//!
//! **When a game fails.** A game's code runs only in callbacks, and a callback's only caller
//! is the loop: no other game has anything on the stack (they all wait as closures in the
//! loop's queues). So a failing game's panic unwinds out of its one callback (`reply_lands`,
//! as the game reaches the failing pair) and out of [`run_until`], and the lane's boundary
//! catches it right there: it records the forfeit and calls `run_until` again, which carries
//! on with the next callback, the failed one being already out of its queue. The failed game
//! just vanishes: it panicked before scheduling what came next, so nothing in the loop refers
//! to it. The loop cannot tell whose closure failed (asyncio can only log "Exception in
//! callback <Handle …>" and run on), so every callback first writes on the shared arbiter
//! which board it plays and at what moment: the forfeit's board and time. A failure at pair 1
//! happens in each game's first callback (`game_starts`), which `play_on` queues for every
//! board, so all of them run at 0:00:00, before the master's first move.
//!
//! **At the time limit.** `play_on` runs the loop with [`run_until`] the limit: replies due
//! by then still land, and run on to their game's next wait, but no callback starts at the
//! limit or later. Under a limit the lane keeps the [`TimerHandle`] of every reply it asks
//! for (without one, nothing would ever cancel them, so it drops them, as most asyncio code
//! does). So for each unfinished game it cancels the reply the game waits for and records the
//! game `adjourned`; then it [`close`](EventLoop::close)s the loop, which drops the queued
//! callbacks (the boards waiting for the master) unrun. The paused games go with their
//! closures: what they captured, the `Rc` on the shared arbiter among it, is dropped.
//!
//! # What it costs
//!
//! Every move pair boxes two closures (the reply, the next move) and frees them once called, and an
//! `Rc` for the timer's handle; a switch is a call through a boxed `FnOnce`, which the compiler
//! cannot inline. The measured figures are in `docs/performance.md`, and [the lanes'
//! docs](super#what-it-costs) say how to reproduce them.
//!
//! # When to use it
//!
//! When the platform hands you an event loop and nothing else: JavaScript before promises,
//! GUI toolkits, `libuv`, embedded loops. For one or two steps ("when the reply comes, do
//! this") a callback is the lightest thing there is. For anything with loops, errors or
//! cleanup in it, reach for futures or coroutines built on the same loop.
//!
//! # Compared with the others
//!
//! The same scheduling as the state machine (a FIFO of ready work, a timer queue), but the
//! paused game is a boxed closure the loop cannot see into, not an enum: allocations on every
//! move pair, and the game's shape scattered across functions. `async fn` gives the same
//! suspension with the game written straight, and no allocation per wait.
//!
//! # Example
//!
//! ```
//! use std::time::Duration;
//! use coro_simul::{Exhibition, lanes::callbacks, trace::Summary};
//!
//! let exhibition = Exhibition::default();
//! let mut summary = Summary::new(&exhibition);
//! callbacks::play(&exhibition, &mut summary)?;
//! assert_eq!(summary.total(), Duration::from_secs(3655)); // 1:00:55 instead of 12:00:00
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The loop on its own has an example in [`event_loop`].

pub mod event_loop;
mod watch;

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::rc::Rc;

use super::error::LaneError;
use crate::clock::{Clock, Time, VirtualClock};
use crate::trace::{Event, Sink, Switch};
use crate::{Exhibition, PlannedFailure};

pub use event_loop::{EventLoop, SlowCallback, TimerHandle};
use watch::{Callback, LoopView};

/// The game on `board` starts: its code reaches pair 1, where it may fail, then returns to
/// the loop to wait for the master in the ready queue: its first suspension.
fn game_starts<'a, S: Sink + 'a, C: Clock + 'a>(
    lp: &mut EventLoop<'a, C>,
    arbiter: Rc<Arbiter<'a, S>>,
    board: u32,
) {
    arbiter.playing.set((board, lp.time()));
    arbiter.watch(|view| view.runs(lp.time(), Callback::GameStarts { board }));
    arbiter.exhibition.fail_if_planned(board, 1);
    arbiter.parks(lp.time(), Callback::MasterMoves { board, pair: 1 }); // in the ready queue
    lp.call_soon(move |lp| master_moves(lp, arbiter, board, 1));
}

/// The master's move of `pair` on `board`; ends by asking for the reply later.
fn master_moves<'a, S: Sink + 'a, C: Clock + 'a>(
    lp: &mut EventLoop<'a, C>,
    arbiter: Rc<Arbiter<'a, S>>,
    board: u32,
    pair: u32,
) {
    arbiter.playing.set((board, lp.time()));
    arbiter.watch(|view| view.runs(lp.time(), Callback::MasterMoves { board, pair }));
    arbiter.record(Event::master_move(lp.time(), board, pair));
    lp.work(arbiter.exhibition.master_move());
    arbiter.exhibition.opponent_thinks(board, pair); // CPU-bound: on the loop's one thread
    // Everything the rest of the game needs goes into the closure: the paused game.
    let lands = lp.time() + arbiter.exhibition.opponent_move();
    arbiter.parks(lp.time(), Callback::ReplyLands { board, pair, lands }); // in the closure
    let delay = arbiter.exhibition.opponent_move();
    if arbiter.limit == Time::MAX {
        // Nothing will ever cancel the reply: drop its handle, as asyncio code mostly does.
        lp.call_later(delay, move |lp| reply_lands(lp, arbiter, board, pair, lands));
    } else {
        let rest = Rc::clone(&arbiter);
        let reply = lp.call_later(delay, move |lp| reply_lands(lp, rest, board, pair, lands));
        arbiter.standing(board, Standing::Playing(Some(reply))); // kept, so the limit can cancel it
    }
}

/// The opponent's reply to `pair` on `board`, due at `lands`; queues the master's next move,
/// or ends the game.
fn reply_lands<'a, S: Sink + 'a, C: Clock + 'a>(
    lp: &mut EventLoop<'a, C>,
    arbiter: Rc<Arbiter<'a, S>>,
    board: u32,
    pair: u32,
    lands: Time,
) {
    arbiter.playing.set((board, lands));
    arbiter.watch(|view| view.runs(lp.time(), Callback::ReplyLands { board, pair, lands }));
    arbiter.record(Event::opponent_move(lands, board, pair));
    if pair == arbiter.exhibition.pairs() {
        arbiter.record(Event::game_over(lands, board));
        arbiter.standing(board, Standing::Ended);
        arbiter.watch(|view| view.ends(lp.time(), board));
        return;
    }
    arbiter.exhibition.fail_if_planned(board, pair + 1); // the game reaches its next pair
    arbiter.parks(lp.time(), Callback::MasterMoves { board, pair: pair + 1 }); // ready again
    lp.call_soon(move |lp| master_moves(lp, arbiter, board, pair + 1));
}

/// Plays the exhibition as callbacks on an [`EventLoop`], reporting every event to `sink`.
/// Never fails: a stackless lane needs nothing from the operating system.
pub fn play<S: Sink>(exhibition: &Exhibition, sink: &mut S) -> Result<(), LaneError> {
    play_on(exhibition, VirtualClock::new(), sink)
}

/// [`play`] on another [`Clock`], such as a scaled wall clock: the same events, at the same
/// times. Never fails.
pub fn play_on<C: Clock, S: Sink>(
    exhibition: &Exhibition,
    clock: C,
    sink: &mut S,
) -> Result<(), LaneError> {
    Driver::new(exhibition, clock, sink).play();
    Ok(())
}

/// The event loop, and the arbiter every callback shares: the loop schedules, the driver only
/// starts it, catches what unwinds out of it and stops it at the limit.
struct Driver<'a, S, C> {
    event_loop: EventLoop<'a, C>,
    /// The driver's own `Rc` on the arbiter; every paused game's closures hold another.
    arbiter: Rc<Arbiter<'a, S>>,
}

impl<'a, S: Sink + 'a, C: Clock + 'a> Driver<'a, S, C> {
    /// A loop on `clock` with every game's first callback queued, in board order.
    fn new(exhibition: &Exhibition, clock: C, sink: &'a mut S) -> Driver<'a, S, C> {
        let (mut event_loop, arbiter) =
            (EventLoop::with_clock(clock), Rc::new(Arbiter::new(exhibition, sink)));
        for board in 1..=exhibition.opponents() {
            arbiter.watch(|view| view.starts(board));
            let arbiter = Rc::clone(&arbiter);
            event_loop.call_soon(move |lp| game_starts(lp, arbiter, board));
        }
        Driver { event_loop, arbiter }
    }

    /// Plays every game to its end, or to the time limit. This is the lane's boundary: a
    /// game's panic unwinds out of its callback and out of [`EventLoop::run_until`] to here;
    /// the game forfeits and the loop runs on.
    fn play(&mut self) {
        // Unwind safe enough: the loop's queues are whole between callbacks, and the failed
        // game's standing is overwritten before the loop runs on.
        while let Err(failure) = panic::catch_unwind(AssertUnwindSafe(|| self.run())) {
            self.forfeit(&*failure);
        }
    }

    /// Runs the loop up to the limit, and adjourns what is left there.
    fn run(&mut self) {
        let limit = self.arbiter.limit;
        self.event_loop.run_until(limit);
        if self.event_loop.time() >= limit {
            self.adjourn(); // no callback starts at the limit or later
        }
    }

    /// The game that was playing failed with `failure`: it forfeits, at the moment it played.
    fn forfeit(&mut self, failure: &(dyn Any + Send)) {
        let (board, at) = self.arbiter.playing.get();
        if let Standing::Playing(Some(reply)) = &self.arbiter.games.borrow()[index(board)] {
            reply.cancel(); // it had not asked for one yet; if it had, it gets none
        }
        self.arbiter.standing(board, Standing::Ended);
        let now = self.event_loop.time();
        self.arbiter.watch(|view| view.panicked(now, board, at));
        let message = PlannedFailure::message_of(failure);
        self.arbiter.record(Event::forfeit(at, board, message));
    }

    /// At the limit: every game still playing is adjourned, in board order, and the reply it
    /// waits for cancelled; closing the loop drops the boards waiting for the master unrun.
    fn adjourn(&mut self) {
        let (limit, now) = (self.arbiter.limit, self.event_loop.time());
        for (board, standing) in (1..).zip(self.arbiter.games.borrow().iter()) {
            if let Standing::Playing(reply) = standing {
                self.arbiter.watch(|view| view.adjourns(now, limit, board));
                reply.iter().for_each(TimerHandle::cancel);
                self.arbiter.record(Event::adjourned(limit, board));
            }
        }
        self.event_loop.close(); // and the boards waiting for the master never see her again
    }
}

/// What every callback shares: the rules, the sink, and what the lane's boundary must know
/// about each game (the loop sees only closures). Callbacks cannot borrow from each other, so
/// they share it through an `Rc`, and write to it through `Cell`s and `RefCell`s.
struct Arbiter<'a, S> {
    exhibition: Exhibition,
    sink: RefCell<&'a mut S>,
    /// The time limit ([`Time::MAX`] without one): only under a limit are the replies'
    /// handles kept.
    limit: Time,
    /// Board `b`'s game at index `b − 1`.
    games: RefCell<Vec<Standing>>,
    /// The board whose callback runs now, and the moment it plays at: set as each callback
    /// starts, read only if it panics. The loop cannot tell whose closure failed (asyncio
    /// logs "Exception in callback <Handle …>"), so the game writes it down.
    playing: Cell<(u32, Time)>,
    /// The loop as the switch trace shows it; untouched unless the sink watches switches.
    view: RefCell<LoopView>,
}

/// A game as the lane's boundary sees it.
enum Standing {
    /// Still playing, with the handle of the last reply it asked for, if any (kept only under
    /// a time limit): the limit cancels it (a reply that already came makes that a no-op).
    Playing(Option<TimerHandle>),
    /// Over or forfeit: nothing left to stop.
    Ended,
}

impl<'a, S: Sink> Arbiter<'a, S> {
    fn new(exhibition: &Exhibition, sink: &'a mut S) -> Arbiter<'a, S> {
        let games = (0..exhibition.opponents()).map(|_| Standing::Playing(None)).collect();
        let (sink, games) = (RefCell::new(sink), RefCell::new(games));
        let (limit, playing) = (exhibition.stops_at(), Cell::new((1, Time::ZERO)));
        let view = RefCell::default();
        Arbiter { exhibition: *exhibition, sink, limit, games, playing, view }
    }

    fn record(&self, event: Event) {
        self.sink.borrow_mut().record(event);
    }

    /// The game returns to the loop, having handed it `rest`, its next callback, at `now`:
    /// one suspension, and, for the switch trace, the closure that holds the game now.
    fn parks(&self, now: Time, rest: Callback) {
        let mut sink = self.sink.borrow_mut();
        sink.suspended(rest.board());
        sink.switch_with(|| self.view.borrow_mut().parks(now, rest));
    }

    /// For the switch trace: reports the switches `note` finds in the loop's view, if the
    /// sink watches them; otherwise nothing runs.
    fn watch(&self, note: impl FnOnce(&mut LoopView) -> Vec<Switch>) {
        let mut sink = self.sink.borrow_mut();
        if sink.watches_switches() {
            note(&mut self.view.borrow_mut()).into_iter().for_each(|switch| sink.switch(switch));
        }
    }

    #[inline]
    fn standing(&self, board: u32, standing: Standing) {
        self.games.borrow_mut()[index(board)] = standing;
    }
}

/// Boards count from 1, the games vector from 0.
fn index(board: u32) -> usize {
    board as usize - 1
}

#[cfg(test)]
mod tests;
