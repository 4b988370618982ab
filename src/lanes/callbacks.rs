//! Callbacks on an event loop: every wait ends a function, and a closure carries on later.
//!
//! # How it works
//!
//! [`EventLoop`] is a small model of asyncio's loop on the virtual clock: [`time`], [`call_soon`]
//! (queue a callback to run next), [`call_later`] (run it after a delay; returns a
//! [`TimerHandle`] you can [`cancel`](TimerHandle::cancel)) and [`run`]. A game cannot wait
//! inside a function, so it is cut into callbacks at every wait, in continuation-passing
//! style: the master's move ends by asking the loop to `call_later` the opponent's reply, and
//! the reply's callback asks it to `call_soon` the master's next move. Each callback runs to
//! the end and returns to the loop; the loop, not the game, decides what runs next.
//!
//! ```text
//!   run() ──► game_starts(board 1) ─ call_soon(master_moves(board 1, pair 1))  (each board, at 0:00:00)
//!   run() ──► master_moves(board 1, pair 1) ─ works 5 s ─ call_later(55 s, reply…) ─┐ returns
//!     ◄─────────────────────────────────────────────────────────────────────────────┘
//!   run() ──► master_moves(board 2, pair 1) ─ …
//!   run() ──► (timer due) reply_lands(board 1, pair 1) ─ call_soon(master_moves(board 1, pair 2))
//! ```
//!
//! A paused game lives in the closures' captures: the reply's closure holds the board, the
//! pair, when the reply lands and a shared handle on the sink, boxed on the heap until the
//! loop calls it. Every move pair costs two boxed closures (the reply, the next move) and an
//! `Rc` for the timer's handle.
//!
//! **The loop's order.** [`run`] repeats: run every timer that is due, earliest first; then
//! run *one* ready callback, first come first served; if none is ready, jump the clock to the
//! next timer. asyncio instead moves the due timers to the back of the ready queue and then
//! runs the whole batch that is ready, because it expects callbacks to be short. Ours are not:
//! the master's move occupies the loop for 5 s, like CPU-bound code (asyncio's debug mode
//! would warn "Executing <Handle …> took 5.000 seconds"). Checking the timers before every
//! callback means a reply that landed while the master was busy is recorded before she starts
//! her next move, and its board joins the back of the queue, in the order the replies landed.
//! The reply is recorded at the moment it was *due*, which its closure captured: by the time
//! the loop gets to it, the clock may be past that.
//!
//! **When a game fails.** A game's code runs only in callbacks, and a callback's only caller
//! is the loop: no other game has anything on the stack (they all wait as closures in the
//! loop's queues). So a failing game's panic unwinds out of its one callback (`reply_lands`,
//! as the game reaches the failing pair) and out of [`run_until`], and the lane's boundary in
//! `play_on` catches it right there: it records the forfeit and calls `run_until` again, which
//! carries on with the next callback, the failed one being already out of its queue. The
//! failed game just vanishes: it panicked before scheduling what came next, so nothing in the
//! loop refers to it. The loop cannot tell whose closure failed (asyncio can only log
//! "Exception in callback <Handle …>" and run on), so every callback first writes on the
//! shared table which board it plays and at what moment: the forfeit's board and time. A
//! failure at pair 1 happens in each game's first callback, which `play_on` queues for every
//! board, so all of them run at 0:00:00, before the master's first move.
//!
//! **At the time limit.** `play_on` runs the loop with [`run_until`] the limit: replies due
//! by then still land, and run on to their game's next wait, but no callback starts at the
//! limit or later. Under a limit the lane keeps the [`TimerHandle`] of every reply it asks
//! for (without one, nothing would ever cancel them, so it drops them, as most asyncio code
//! does). So for each unfinished game it cancels the reply the game waits for and records the
//! game `adjourned`; then it [`close`](EventLoop::close)s the loop, which drops the queued
//! callbacks (the boards waiting for the master) unrun. The paused games go with their
//! closures: what they captured, the `Rc` on the shared table among it, is dropped.
//!
//! # Why people call it callback hell
//!
//! The synchronous game (see the sync lane) is a loop you read top to bottom:
//!
//! ```text
//!   for pair in 1..=pairs {
//!       table.master_moves(board, pair);
//!       table.await_reply(board, pair);
//!   }
//!   table.game_over(board);
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
//! # Example
//!
//! The lane, then the loop on its own:
//!
//! ```
//! use std::{cell::Cell, rc::Rc, time::Duration};
//! use coro_simul::{Exhibition, lanes::callbacks::{self, EventLoop}, trace::Summary};
//!
//! let exhibition = Exhibition::default();
//! let mut summary = Summary::new(&exhibition);
//! callbacks::play(&exhibition, &mut summary);
//! assert_eq!(summary.total(), Duration::from_secs(3655)); // 1:00:55 instead of 12:00:00
//!
//! let rang = Rc::new(Cell::new(false));
//! let mut lp = EventLoop::new();
//! let alarm = {
//!     let rang = Rc::clone(&rang);
//!     lp.call_later(Duration::from_secs(60), move |_| rang.set(true))
//! };
//! lp.call_later(Duration::from_secs(30), move |_| alarm.cancel()); // changed our mind
//! lp.call_soon(|lp| lp.work(Duration::from_secs(5))); // runs first, and takes 5 s
//! lp.run();
//! assert!(!rang.get());
//! assert_eq!(lp.time().since_start(), Duration::from_secs(30)); // no wait for a cancelled timer
//! ```
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

pub mod event_loop;

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::rc::Rc;

use crate::clock::{Clock, Time, VirtualClock};
use crate::trace::{Event, Sink};
use crate::{Exhibition, PlannedFailure};

pub use event_loop::{EventLoop, SlowCallback, TimerHandle};

/// What every callback shares: the rules, the sink, and what the lane's boundary must know
/// about each game (the loop sees only closures). Callbacks cannot borrow from each other, so
/// they share it through an `Rc`, and write to it through `Cell`s and `RefCell`s.
struct Table<'a, S> {
    exhibition: Exhibition,
    sink: RefCell<&'a mut S>,
    /// The exhibition's time limit, if any: only then are the replies' handles kept.
    limit: Option<Time>,
    /// Board `b`'s game at index `b − 1`.
    games: RefCell<Vec<Standing>>,
    /// The board whose callback runs now, and the moment it plays at: set as each callback
    /// starts, read only if it panics. The loop cannot tell whose closure failed (asyncio
    /// logs "Exception in callback <Handle …>"), so the game writes it down.
    playing: Cell<(u32, Time)>,
}

/// A game as the lane's boundary sees it.
enum Standing {
    /// Still playing, with the handle of the last reply it asked for, if any (kept only under
    /// a time limit): the limit cancels it (a reply that already came makes that a no-op).
    Playing(Option<TimerHandle>),
    /// Over or forfeit: nothing left to stop.
    Ended,
}

impl<'a, S: Sink> Table<'a, S> {
    fn new(exhibition: &Exhibition, sink: &'a mut S) -> Table<'a, S> {
        let games = (0..exhibition.opponents()).map(|_| Standing::Playing(None)).collect();
        let (sink, games) = (RefCell::new(sink), RefCell::new(games));
        let limit = exhibition.time_limit().map(Time::from_start);
        let playing = Cell::new((1, Time::ZERO));
        Table { exhibition: *exhibition, sink, limit, games, playing }
    }

    fn record(&self, event: Event) {
        self.sink.borrow_mut().record(event);
    }

    #[inline]
    fn standing(&self, board: u32, standing: Standing) {
        self.games.borrow_mut()[board as usize - 1] = standing;
    }

    /// The game that was playing failed with `payload`: it forfeits, at the moment it played.
    fn forfeit(&self, payload: &(dyn Any + Send)) {
        let (board, at) = self.playing.get();
        if let Standing::Playing(Some(reply)) = &self.games.borrow()[board as usize - 1] {
            reply.cancel(); // it had not asked for one yet; if it had, it gets none
        }
        self.standing(board, Standing::Ended);
        self.record(Event::forfeit(at, board, PlannedFailure::message_of(payload)));
    }

    /// The time limit `at` came: every game still playing is adjourned, in board order, and
    /// the reply it waits for cancelled.
    fn adjourn(&self, at: Time) {
        for (board, standing) in (1..).zip(self.games.borrow().iter()) {
            if let Standing::Playing(reply) = standing {
                reply.iter().for_each(TimerHandle::cancel);
                self.record(Event::adjourned(at, board));
            }
        }
    }
}

/// Plays the exhibition as callbacks on an [`EventLoop`], reporting every event to `sink`.
pub fn play<S: Sink>(exhibition: &Exhibition, sink: &mut S) {
    play_on(exhibition, VirtualClock::new(), sink);
}

/// [`play`] on another [`Clock`], such as a scaled wall clock: the same events, at the same
/// times.
pub fn play_on<C: Clock, S: Sink>(exhibition: &Exhibition, clock: C, sink: &mut S) {
    let table = Rc::new(Table::new(exhibition, sink));
    play_in(&mut EventLoop::with_clock(clock), &table);
}

/// Plays the exhibition on `lp`. This is the lane's boundary: a game's panic unwinds out of
/// its callback and out of [`EventLoop::run_until`] to here; the game forfeits and the loop
/// runs on. At the time limit, the games still playing are adjourned and the loop closed.
fn play_in<'a, S: Sink + 'a, C: Clock + 'a>(lp: &mut EventLoop<'a, C>, table: &Rc<Table<'a, S>>) {
    for board in 1..=table.exhibition.opponents() {
        let table = Rc::clone(table);
        lp.call_soon(move |lp| game_starts(lp, table, board));
    }
    let limit = table.limit;
    // Unwind safe enough: the loop's queues are whole between callbacks, and the failed
    // game's standing is overwritten before the loop runs on.
    while let Err(payload) =
        panic::catch_unwind(AssertUnwindSafe(|| lp.run_until(limit.unwrap_or(Time::MAX))))
    {
        table.forfeit(&*payload);
    }
    if let Some(limit) = limit {
        table.adjourn(limit);
        lp.close(); // and the boards waiting for the master never see her again
    }
}

/// The game on `board` starts: its code reaches pair 1, where it may fail, then waits for the
/// master in the ready queue (where every game starts: not counted as a suspension).
fn game_starts<'a, S: Sink + 'a, C: Clock + 'a>(
    lp: &mut EventLoop<'a, C>,
    table: Rc<Table<'a, S>>,
    board: u32,
) {
    table.playing.set((board, lp.time()));
    table.exhibition.fail_if_planned(board, 1);
    lp.call_soon(move |lp| master_moves(lp, table, board, 1));
}

/// The master's move of `pair` on `board`; ends by asking for the reply later.
fn master_moves<'a, S: Sink + 'a, C: Clock + 'a>(
    lp: &mut EventLoop<'a, C>,
    table: Rc<Table<'a, S>>,
    board: u32,
    pair: u32,
) {
    table.playing.set((board, lp.time()));
    table.record(Event::master_move(lp.time(), board, pair));
    lp.work(table.exhibition.master_move());
    // Everything the rest of the game needs goes into the closure: the paused game.
    let lands = lp.time() + table.exhibition.opponent_move();
    table.sink.borrow_mut().suspended(board); // returning now parks the game in the closure
    let delay = table.exhibition.opponent_move();
    if table.limit.is_none() {
        // Nothing will ever cancel the reply: drop its handle, as asyncio code mostly does.
        lp.call_later(delay, move |lp| reply_lands(lp, table, board, pair, lands));
    } else {
        let rest = Rc::clone(&table);
        let reply = lp.call_later(delay, move |lp| reply_lands(lp, rest, board, pair, lands));
        table.standing(board, Standing::Playing(Some(reply))); // kept, so the limit can cancel it
    }
}

/// The opponent's reply to `pair` on `board`, due at `lands`; queues the master's next move,
/// or ends the game.
fn reply_lands<'a, S: Sink + 'a, C: Clock + 'a>(
    lp: &mut EventLoop<'a, C>,
    table: Rc<Table<'a, S>>,
    board: u32,
    pair: u32,
    lands: Time,
) {
    table.playing.set((board, lands));
    table.record(Event::opponent_move(lands, board, pair));
    if pair == table.exhibition.pairs() {
        table.record(Event::game_over(lands, board));
        table.standing(board, Standing::Ended);
        return;
    }
    table.exhibition.fail_if_planned(board, pair + 1); // the game reaches its next pair
    table.sink.borrow_mut().suspended(board); // parked again, in the ready queue this time
    lp.call_soon(move |lp| master_moves(lp, table, board, pair + 1));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::Trace;
    use std::time::Duration;

    /// At the limit the lane cancels the reply every adjourned game waits for, and closes the
    /// loop: no callback of a paused game runs, and every closure, with what it captured, is
    /// dropped (only the lane's own `Rc` on the table is left).
    #[test]
    fn at_the_limit_pending_replies_are_cancelled_and_the_paused_games_dropped() {
        let limit = Duration::from_secs(65);
        let exhibition =
            Exhibition::builder().opponents(3).pairs(2).time_limit(limit).build().unwrap();
        let mut trace = Trace::new(&exhibition);
        let table = Rc::new(Table::new(&exhibition, &mut trace));
        let mut lp = EventLoop::new();
        play_in(&mut lp, &table);
        assert!(lp.is_empty());
        assert_eq!(Rc::strong_count(&table), 1, "a closure of a paused game was kept");
        let replies: Vec<bool> = (table.games.borrow().iter())
            .filter_map(|standing| match standing {
                Standing::Playing(Some(reply)) => Some(reply.cancelled()),
                _ => None,
            })
            .collect();
        // Boards 1 and 3 wait for a reply, now cancelled; board 2's landed at the limit, so
        // cancelling its handle changed nothing.
        assert_eq!(replies, [true, true, true]);
        lp.run(); // nothing left to run: the clock stays where the limit left it
        assert_eq!(lp.time().since_start(), limit);
        drop((lp, table));
        assert!(trace.events().iter().all(|event| event.t.since_start() <= limit));
        assert_eq!(trace.summary().adjourned(), 3);
    }

    /// A failing game's panic unwinds out of one callback and out of the loop's `run_until`,
    /// no further: the lane records the forfeit at the moment that callback played and runs
    /// the loop on.
    #[test]
    fn a_panicking_callback_forfeits_its_game_and_the_loop_runs_on() {
        PlannedFailure::hush();
        let exhibition = Exhibition::builder().opponents(3).pairs(2).failure(3, 1).build().unwrap();
        let mut trace = Trace::new(&exhibition);
        let table = Rc::new(Table::new(&exhibition, &mut trace));
        play_in(&mut EventLoop::new(), &table);
        assert!(matches!(
            table.games.borrow()[..],
            [Standing::Ended, Standing::Ended, Standing::Ended]
        ));
        drop(table);
        let first = &trace.events()[0];
        assert_eq!((first.name(), first.board, first.t), ("forfeit", 3, Time::ZERO));
        assert_eq!((trace.summary().games_over(), trace.summary().forfeits()), (2, 1));
    }
}
