// A little over the crate's ~350 lines a file, on purpose: the module doc is the lesson (a
// stack per game, the greenlet and gevent mapping, where the stacks come from) and stays beside
// the driver it explains. The green thread itself is `green_threads/green_thread.rs`, the
// switch trace's words `green_threads/watch.rs`, the tests `green_threads/tests.rs`.
//! Green threads: one small stack per game, each running the plain loop of
//! [`plain_game::game`](super::plain_game::game), and pausing deep inside it.
//!
//! # How it works
//!
//! Every board gets a green thread: a corosensei [`Coroutine`](corosensei::Coroutine) with its own
//! 16 KiB stack, on which runs [`game`] — the function the sync, threads and processes lanes play
//! too, not `async`, not generic. Only the [`Host`] it is handed differs. Each method of this
//! lane's host *suspends the green thread* with a [`Request`] to the driver: "master, move here",
//! "wake me when the reply lands", "my game is over". The driver is the master: she serves the
//! request and, when its time comes, resumes the thread exactly where it stopped.
//!
//! Where it stopped is two plain calls deep: `game` → `Host::await_reply` →
//! [`Yielder::suspend`](corosensei::Yielder::suspend). Stackless lanes cannot do that: a generator
//! or a future pauses only in its own body, so every function on the way to the pause must be a
//! generator or `async` too. Here the whole call chain stays put on the green thread's own stack,
//! and switching is saving a few registers and moving the stack pointer. Nothing is copied: the
//! paused game *is* its stack, frames and all.
//!
//! ```text
//!   the driver's stack (the master)           board 2's stack (its own 16 KiB mapping)
//!  ┌──────────────────────────────┐          ┌──────────────────────────────────┐
//!  │ play → Driver::run           │          │ spawn's closure → game           │
//!  │   → Driver::resume(board 2)  │ resume ─►│   → GreenHost::await_reply       │
//!  │     → GreenThread::resume    │◄─ suspend│     → Yielder::suspend(request)  │
//!  └──────────────────────────────┘          └──────────────────────────────────┘
//! ```
//!
//! The games only ask; the driver records every event, with the loop every cooperative lane
//! has ([the lanes' docs](super#the-driver-loop)): the boards waiting for the master in a
//! FIFO, the master's line, the replies in flight in the shared [`TimerQueue`]; before each
//! master move it lands every reply due: records it at its landing time and resumes its game
//! at once, so a finished game reports `game_over` at that moment, not when the master next
//! comes by.
//!
//! To watch it switch stacks, `coro-simul trace green-threads --switches --queues --opponents
//! 2 --pairs 2`: each `resume` onto a game's stack, each `suspend` back from the game's line
//! that waits (its host's waits are `#[track_caller]`), the queues after each.
//!
//! # Python ↔ Rust
//!
//! | Python (greenlet, gevent) | this lane |
//! |---|---|
//! | `gevent.spawn(game, board)`, `greenlet(run)` | [`GreenThread::spawn`]`(STACK_SIZE, body)`: a stack, nothing run yet |
//! | `glet.switch()`: into the greenlet | [`GreenThread::resume`] |
//! | `hub.switch()`: back to the hub | [`Yielder::suspend`](corosensei::Yielder::suspend)`(request)`, in the host |
//! | `monkey.patch_all()`: `time.sleep` now switches to the hub | the [`Host`] handed to [`game`]: its `await_reply` suspends |
//! | the game's code, unchanged | [`game`], the sync lane's, unchanged |
//! | the hub's timers and its greenlets ready to run | the driver's `replies` and `master_line` |
//! | `gevent.joinall(greenlets)` | the driver's `run`, until no game waits for anything |
//! | `glet.kill()`: `GreenletExit` raised where it paused | dropping a paused [`GreenThread`]: its stack unwound |
//! | a `time.sleep` left unpatched: every greenlet stops | the [blocking-green-thread pitfall](crate::pitfalls::blocking_green_thread) |
//!
//! `docs/rosetta.md` shows this lane's host beside the articles' gevent.
//!
//! # Where the paused game lives
//!
//! On its own stack: the game's frame, the host call, and corosensei's saved registers at the
//! top, exactly as the game left them. Each stack reserves [`STACK_SIZE`] and a guard page,
//! but only the pages a game touches cost memory, and this game, a host call deep, touches
//! few. Spare stacks (below) keep the pages their games touched, about one each, until they
//! are reused.
//!
//! **Where the stacks come from, and where they go.** The first time, from the OS: a stack is
//! a memory mapping of [`STACK_SIZE`] with a guard page below it, and making one costs system
//! calls (map it, protect the guard page, unmap it at the end) and a page fault when the game
//! first touches it — far more than a move pair. So a stack is not unmapped when its green
//! thread is done (returned, forfeited, or unwound at the limit): [`GreenThread`]'s `drop`
//! keeps it as a *spare stack* of the OS thread the driver runs on, and the next green thread
//! made on that thread starts on it. The first exhibition pays for its stacks; the next ones
//! on the same thread, up to 1 024 boards, reuse them. A spare stack never holds a paused
//! game: only a green thread that is done gives its stack back. They are freed when the
//! thread exits.
//!
//! # When a game fails or time runs out
//!
//! (The rules all lanes share: [the lanes' docs](super#when-a-game-fails-or-time-runs-out).)
//!
//! **When a game fails.** Its panic starts on its green thread's stack, in the plain `game`,
//! and unwinds that stack to its root, dropping every value on it. corosensei catches it
//! there, switches back, and raises it again out of [`GreenThread::resume`], on the driver's
//! stack, where a `catch_unwind` around that one call contains it: the driver records the
//! `forfeit` at the moment it resumed the game, drops the green thread (its stack kept
//! spare), and serves the next board. No other game is touched, each paused on a stack of
//! its own.
//!
//! **At the time limit.** The driver lands the replies due by the limit and runs their
//! games to their next request, but starts no move at the limit or later; then it records
//! every game still paused as `adjourned` and drops its [`GreenThread`]. Dropping a paused
//! green thread unwinds its stack: corosensei makes the pending `suspend` panic with a
//! private payload, so every value on that stack is dropped as if the game had returned;
//! then the stack is kept spare. No
//! host call here ever returns `Err(Adjourned)`: the game is not asked to stop, it is
//! unwound where it stands, like a greenlet killed with `GreenletExit`.
//!
//! ## Why the profiles keep `panic = "unwind"`
//!
//! A game's panic and dropping a paused green thread both unwind the green thread's stack.
//! With `panic = "abort"` either would abort the whole process instead, so `Cargo.toml` pins
//! `panic = "unwind"` (tests and benches always unwind).
//!
//! # What it costs
//!
//! Making a green thread maps a stack and its guard page (system calls, and `munmap` when it is
//! freed); after that, a switch stays in the program: save a few registers, move the stack pointer,
//! no kernel. Every wait is two switches, there and back, each returning onto another stack, which
//! the processor's return prediction cannot foresee. The measured figures are in
//! `docs/performance.md`, and [the lanes' docs](super#what-it-costs) say how to reproduce them.
//!
//! **How many.** The limit is mappings, not memory. Each stack is two memory mappings (stack,
//! guard page) and Linux allows a process `vm.max_map_count` of them, 65 530 by default: about
//! 32 000 green threads. Every stack is created before the first move, so past the limit [`play`]
//! returns a [`LaneError`] naming the limit and the fix (`sysctl -w vm.max_map_count=...`)
//! before any event is reported — never a crash.
//!
//! # When to use it
//!
//! When there is plain, blocking-style code you cannot or will not rewrite — deep call
//! chains, callbacks from a library, code shared with a synchronous program — and it must
//! wait concurrently. That is gevent's whole promise. The price: a stack per task (memory
//! and mappings), unsafe stack switching inside the library (this module itself has none),
//! and waits that are invisible in the code: any call may switch away.
//!
//! # Compared with the others
//!
//! The same trace as every cooperative lane, from the same `game` as the synchronous lane.
//! Unlike generators and async/await, the pause can happen at any depth, and the paused state
//! is a whole stack rather than a compiler-built state machine. Unlike threads, switching is
//! cooperative and happens only inside a `suspend`, without the kernel.
//!
//! # Example
//!
//! ```
//! use std::time::Duration;
//! use coro_simul::{Exhibition, lanes::green_threads, trace::Summary};
//!
//! let exhibition = Exhibition::default();
//! let mut summary = Summary::new(&exhibition);
//! green_threads::play(&exhibition, &mut summary)?;
//! // The same game function as the 12-hour synchronous lane, played concurrently.
//! assert_eq!(summary.total(), Duration::from_secs(3655)); // 1:00:55
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::VecDeque;
use std::panic::{self, AssertUnwindSafe};

use super::error::LaneError;
use super::plain_game::{GameFn, Host, game};
use crate::clock::{Clock, Time, VirtualClock};
use crate::timers::TimerQueue;
use crate::trace::{Event, Sink};
use crate::{Exhibition, PlannedFailure};

// A paused game: a green thread, its stack, and the host its game calls (in its own file).
mod green_thread;
pub use green_thread::{GreenThread, Request};
// What the driver says in the switch trace, when someone watches (in its own file).
mod watch;

/// Each green thread's stack, reserved when the green thread is made: 16 KiB. Plenty for
/// `game` and its host, even unwinding in a debug build; see [the module docs](self).
pub const STACK_SIZE: usize = 16 * 1024;

/// Plays the exhibition with one green thread of [`STACK_SIZE`] per board, reporting every
/// event to `sink`.
///
/// A game that panics does not stop the exhibition: its board forfeits, the others play on
/// (see [the module docs](self)).
///
/// # Errors
///
/// When the operating system refuses a stack; then no event has been reported, because every
/// stack is created before the first move.
pub fn play<S: Sink>(exhibition: &Exhibition, sink: &mut S) -> Result<(), LaneError> {
    play_on(exhibition, VirtualClock::new(), sink)
}

/// [`play`] on another [`Clock`], such as a scaled wall clock: the same events, at the same
/// times.
///
/// # Errors
///
/// As for [`play`].
pub fn play_on<C: Clock, S: Sink>(
    exhibition: &Exhibition,
    clock: C,
    sink: &mut S,
) -> Result<(), LaneError> {
    play_games_on(exhibition, clock, sink, STACK_SIZE, game)
}

/// Makes every green thread, each to run `game` on a stack of `stack_size`, then lets the
/// driver play them on `clock`.
fn play_games_on<C: Clock, S: Sink>(
    exhibition: &Exhibition,
    clock: C,
    sink: &mut S,
    stack_size: usize,
    game: GameFn,
) -> Result<(), LaneError> {
    let games = spawn_games(exhibition, stack_size, game)?;
    Driver::new(exhibition, clock, sink, games).run();
    Ok(())
}

/// One green thread per board, each to run `game` (the lane's is the plain [`game`]), all
/// made up front.
fn spawn_games(
    exhibition: &Exhibition,
    stack_size: usize,
    game: GameFn,
) -> Result<Vec<Option<GreenThread>>, LaneError> {
    let (boards, exhibition) = (exhibition.opponents(), *exhibition);
    (1..=boards)
        .map(|board| {
            let body = move |host: &mut dyn Host| {
                // The host never says `Adjourned` (the driver drops an adjourned green
                // thread instead), so the game ends over, or unwinding.
                let ended = game(board, &exhibition, host);
                debug_assert_eq!(ended, Ok(()), "a green host never adjourns");
            };
            GreenThread::spawn(stack_size, body)
                .map(Some)
                .map_err(|error| LaneError::stack_refused(board, boards, &error))
        })
        .collect()
}

/// The master, walking the boards: she resumes green threads and serves their requests.
struct Driver<'a, S, C> {
    exhibition: &'a Exhibition,
    clock: C,
    sink: &'a mut S,
    /// Board `b`'s green thread at index `b − 1`; `None` once it is done (its stack kept
    /// spare).
    games: Vec<Option<GreenThread>>,
    /// `(board, pair)` of the boards waiting for the master, in the order their replies
    /// landed; at the start, board order.
    master_line: VecDeque<(u32, u32)>,
    /// `(board, pair)` of the replies in flight, due when each lands.
    replies: TimerQueue<(u32, u32)>,
    /// The time limit, or [`Time::MAX`]: no move starts at it, no reply lands after it.
    limit: Time,
}

impl<'a, S: Sink, C: Clock> Driver<'a, S, C> {
    fn new(
        exhibition: &'a Exhibition,
        clock: C,
        sink: &'a mut S,
        games: Vec<Option<GreenThread>>,
    ) -> Self {
        let (master_line, replies) = (VecDeque::new(), TimerQueue::new());
        let limit = exhibition.stops_at();
        Driver { exhibition, clock, sink, games, master_line, replies, limit }
    }

    /// The driver loop: land the replies that are due, move at the next board in the
    /// master's line, or jump the clock to the next reply; done when no game waits for
    /// anything, or at the limit.
    fn run(mut self) {
        // Every game runs to its first request, the master's first move: board order.
        for board in 1..=self.exhibition.opponents() {
            self.resume(board, Time::ZERO);
        }
        loop {
            self.land_replies_due();
            if self.clock.now() >= self.limit {
                break; // the time limit: every reply due by it has landed, no move starts
            }
            if let Some((board, pair)) = self.master_line.pop_front() {
                self.master_moves(board, pair);
            } else if let Some(next) = self.replies.next_deadline() {
                let (now, next) = (self.clock.now(), next.min(self.limit));
                self.sink.switch_with(|| watch::idle(now, next, &self.master_line, &self.replies));
                self.clock.advance_to(next); // nobody to play: wait
            } else {
                break; // nobody waiting, no reply on its way: every game is over
            }
        }
        self.adjourn();
    }

    /// Records every reply due by now (and by the limit), at its landing time, in landing
    /// order, and resumes its game right then: on to wait for the master, or over (or
    /// failed) at that very moment.
    fn land_replies_due(&mut self) {
        let due = self.clock.now().min(self.limit);
        while let Some((landed, (board, pair))) = self.replies.pop_due(due) {
            self.sink.record(Event::opponent_move(landed, board, pair));
            self.resume(board, landed);
        }
    }

    /// The master moves on `board`, busy for the whole move; then its game goes on.
    fn master_moves(&mut self, board: u32, pair: u32) {
        self.sink.record(Event::master_move(self.clock.now(), board, pair));
        self.clock.advance_by(self.exhibition.master_move());
        self.resume(board, self.clock.now());
    }

    /// Switches to `board`'s green thread as of the moment `at` and serves its next request.
    /// A green thread that returns, or fails, is dropped at once: the lane's boundary is here,
    /// where its game's panic comes out of `resume` and is recorded as the board's forfeit.
    fn resume(&mut self, board: u32, at: Time) {
        let index = board as usize - 1;
        let thread = self.games[index].as_mut().expect("an ended game is never resumed");
        let now = self.clock.now();
        self.sink.switch_with(|| watch::resume(now, board));
        // The game's panic comes out of `resume` onto this stack, having unwound its own.
        match panic::catch_unwind(AssertUnwindSafe(|| thread.resume())) {
            Ok(Some(request)) => return self.serve(request, at),
            Ok(None) => self
                .sink
                .switch_with(|| watch::returned(now, board, &self.master_line, &self.replies)),
            Err(payload) => {
                self.sink
                    .switch_with(|| watch::failed(now, board, &self.master_line, &self.replies));
                let message = PlannedFailure::message_of(&*payload);
                self.sink.record(Event::forfeit(at, board, message));
            }
        }
        self.games[index] = None;
    }

    /// Does what a green thread asked, `at` the moment it asked.
    fn serve(&mut self, request: Request, at: Time) {
        match request {
            Request::MasterMove { board, pair, .. } => {
                self.sink.suspended(board); // its green thread now waits for the master
                self.master_line.push_back((board, pair));
                self.watch_suspend(request);
            }
            Request::AwaitReply { board, pair, .. } => {
                self.sink.suspended(board); // its green thread now waits for the reply
                self.exhibition.opponent_thinks(board, pair); // CPU-bound: on the driver's thread
                self.replies.push(at + self.exhibition.opponent_move(), (board, pair));
                self.watch_suspend(request);
            }
            // Not a wait: record it, right as its last reply landed, and run the green
            // thread on to its end.
            Request::GameOver { board } => {
                self.sink.record(Event::game_over(at, board));
                self.resume(board, at);
            }
        }
    }

    /// At the limit, every game still paused is adjourned, in board order, and its green
    /// thread dropped: corosensei unwinds its stack from the pending `suspend`, dropping
    /// every value on it.
    fn adjourn(&mut self) {
        for (board, game) in (1..).zip(&mut self.games) {
            if let Some(thread) = game.take() {
                self.clock.advance_to(self.limit); // only a limit leaves a game waiting
                self.sink.switch_with(|| {
                    watch::adjourn(self.limit, board, &self.master_line, &self.replies)
                });
                self.sink.record(Event::adjourned(self.limit, board));
                drop(thread);
            }
        }
    }

    /// For the switch trace: the green thread suspended with `request`, and the queues now.
    fn watch_suspend(&mut self, request: Request) {
        let (now, master_line, replies) = (self.clock.now(), &self.master_line, &self.replies);
        self.sink.switch_with(|| watch::suspend(now, request, master_line, replies));
    }
}

#[cfg(test)]
mod tests;
