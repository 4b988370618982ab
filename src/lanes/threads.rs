// A little over the crate's ~350 lines a file, on purpose: the module doc is the lesson (the
// baton, who blocks where, the GIL, what a thread costs) and stays beside the driver it
// explains. One game's thread lives in `threads/game_thread.rs`, the tests in `threads/tests.rs`.
//! OS threads: one kernel thread per game, each running the plain loop of
//! [`plain_game::game`](super::plain_game::game), taking turns under a coordinator so that
//! virtual time stays deterministic.
//!
//! # How it works
//!
//! Each game is [`plain_game`](super::plain_game)'s [`game`], the same plain loop as the sync
//! and green-threads lanes, on its own OS thread, against a [`Host`](super::plain_game::Host)
//! whose calls *block that thread*: `master_moves` queues for the master and blocks until she
//! has moved on this board, `await_reply` blocks until the reply lands. In the sync lane a
//! wait blocks the whole program; here it blocks one kernel thread, and the OS runs the
//! others.
//!
//! **Preemptive, not cooperative.** The OS may stop a thread at any instruction and run
//! another; no thread asks permission. Left to themselves, 24 threads racing for the master
//! would get her in whatever order the kernel woke them: fine on a real clock (each would
//! sleep 55 s and queue at a fair lock), but not a schedule you can snapshot. So on the
//! virtual clock a coordinator, [`play`]'s driver on the calling thread, makes them take
//! turns. It owns the clock, the [`TimerQueue`] of replies on their way and the FIFO of boards
//! waiting for the master, and hands a *baton* to one game thread at a time, which runs until
//! its next host call, sends it to the driver and blocks for the baton again. Every other
//! game thread is blocked in `recv`: the OS can still preempt the baton holder, but has no
//! other thread of ours to run. The driver's loop is every cooperative lane's
//! ([the lanes' docs](super#the-driver-loop)).
//!
//! **On a scaled wall clock** ([`play_on`] with a [`ScaledClock`](crate::clock::ScaledClock),
//! as in `coro-simul race`), the coordinator sleeps through the clock like every other lane's
//! driver: through the master's move, and until the next reply lands, while every game thread
//! is blocked waiting for the baton. So the threads reach the same ~1 h schedule (1:00:55)
//! in real time too — about a second at 3600x — late only by their handoffs, two trips
//! through the kernel each, and with the same trace as on the virtual clock.
//!
//! ```text
//!   driver (the calling thread)                  thread "board 2" (its own 64 KiB stack)
//!   ───────────────────────────                  ───────────────────────────────────────
//!   baton ──────────────────────────────────────► game(2, ..) starts: master_moves(2, 1)
//!   ◄────────────────── Request::MasterMove { board: 2, pair: 1 }   (blocked in recv)
//!   ... board 2 reaches the front of the FIFO:
//!   master_move, clock += m, baton ─────────────► master_moves returns; await_reply(2, 1)
//!   ◄────────────────── Request::AwaitReply { board: 2, pair: 1 }   (blocked in recv)
//!   ... the timer fires at start + m + o: opponent_move
//!   baton ──────────────────────────────────────► await_reply returns; master_moves(2, 2)
//!   ...
//!   the last reply lands: baton ────────────────► game_over(2): Request::GameOver; it ends
//! ```
//!
//! To watch the baton, `coro-simul trace threads --switches --queues --opponents 2 --pairs
//! 2`: the coordinator reports every handoff, in the order it makes them, and each request
//! carries the game's line that waits.
//!
//! # Python ↔ Rust
//!
//! | Python (`threading`) | this lane |
//! |---|---|
//! | `threading.Thread(target=game, args=(board,))`, `start()` | `thread::Builder::new().stack_size(STACK_SIZE).spawn_scoped(..)`, parked until its first baton |
//! | `threading.stack_size(64 * 1024)` | [`STACK_SIZE`] |
//! | `time.sleep(55)` in a thread: only that thread blocks | the host's `await_reply`: this thread blocks in `recv` until the baton comes back |
//! | `with master:`, a `threading.Lock`: whoever the OS wakes gets it | the baton: the coordinator hands it first come first served, the same every run |
//! | a `queue.Queue` between threads | [`std::sync::mpsc`] channels: the requests, the baton |
//! | an exception ends the thread, `threading.excepthook` prints it | a panic ends the thread, and `join` hands its payload to the driver: the forfeit |
//! | `t.join()` | the driver joins each thread as its game ends; the scope joins the rest |
//! | no way to stop a thread from outside | none here either: at the limit its host call returns `Err(Adjourned)` |
//! | the GIL: one thread runs Python at a time | no GIL: Rust threads run at once on every core |
//!
//! **The GIL.** In CPython one thread at a time runs Python code; a thread that blocks
//! (`time.sleep`, a socket read) releases the lock, so threads overlap their *waiting* but not
//! their computing (3.13 has an experimental build without it). Rust has no GIL: nothing in the
//! language stops threads from running on every core. Here the baton makes the game threads
//! take turns on purpose, for a deterministic trace; but when opponents really think
//! (`coro-simul cores`), each thinks on its own thread after handing the baton back, in
//! parallel with the others — what Python reaches only with `multiprocessing` (the processes
//! lane).
//!
//! `docs/rosetta.md` shows this lane's host beside the articles' Python.
//!
//! # Where the paused game lives
//!
//! On its kernel thread's stack: the game's frame (board, pair, the loop), the host call, and
//! `recv` parked in a `futex` system call; plus the kernel's own record of the thread, a task
//! and a kernel stack (16 KiB on x86-64 Linux). The whole user stack is reserved up front,
//! [`STACK_SIZE`] = 64 KiB and a guard page. The game touches only a few KiB of it (a host
//! call and a channel operation deep), and a panic's message and backtrace fit too (the
//! lane's tests panic on it).
//!
//! # When a game fails or time runs out
//!
//! (The rules all lanes share: [the lanes' docs](super#when-a-game-fails-or-time-runs-out).)
//!
//! **When a game fails.** Its panic unwinds its own thread's stack, dropping the game's
//! values and its end of the channels, and ends the thread. The driver, waiting for that
//! thread's next call, finds its channel closed instead, and joins the thread: the panic
//! comes out of `join` as an `Err` holding its payload, never further. That is the lane's
//! boundary: the driver records the `forfeit` at the moment it handed the baton over, and
//! hands it to the next board. The other threads, blocked in their own host calls, never
//! notice.
//!
//! **At the time limit.** The driver lands the replies due by the limit and lets their games
//! run on to their next call, but starts no move at the limit or later; then it records every
//! game still waiting as `adjourned` and, instead of the baton, hands its thread the news:
//! the host call it is blocked in returns `Err(Adjourned)`, the game leaves its loop with
//! `?`, and the thread ends and is joined. A thread cannot be stopped from outside, only
//! asked — here, at the one place it is sure to look. (If the driver itself fails, say its
//! sink panics, it drops its ends of the channels instead, and every blocked thread unwinds
//! out of its host call.)
//!
//! # What it costs
//!
//! Only the pages a thread touches cost memory, *whatever* its stack size; the stack size decides
//! the address space reserved: 1 000 stacks of 64 KiB reserve about 66 MiB with their guard pages,
//! 2 GiB at Rust's default of 2 MiB, 8 GiB at a main thread's 8 MiB (`ulimit -s`). Harmless on 64
//! bits, until `ulimit -v`, strict overcommit or a 32-bit target says no. A handoff (baton out,
//! call back) is two channel operations and two trips through the kernel's scheduler, where a
//! cooperative lane's switch is a call or a few registers. The measured figures are in
//! `docs/performance.md`, and [the lanes' docs](super#what-it-costs) say how to reproduce them.
//!
//! **How many.** At most [`MAX_THREADS`], checked before the first thread is made; past
//! the OS's own limits (`ulimit -u`, `/proc/sys/kernel/threads-max`, `vm.max_map_count`,
//! memory) a refused thread is a [`LaneError`] naming them. Either way every thread already
//! made is stopped and joined, and no event reported.
//!
//! # When to use it
//!
//! When the waiting code is blocking code you cannot or would not rewrite (a blocking
//! library, a file system call), or when the work between waits is heavy and should run in
//! parallel on several cores, and there are hundreds or a few thousand of them, not a hundred
//! thousand. Nothing in the game's code changes; the cost is a kernel thread per game.
//!
//! # Compared with the others
//!
//! Same game code as the sync and green-threads lanes. Green threads are this lane with the
//! switching moved into the program: a green thread runs until it suspends, where an OS
//! thread can be switched out anywhere, so shared state needs locks (or, as here, a baton).
//! A paused game is a whole stack in both, but here the kernel's too, and every switch goes
//! through the kernel; a stackless lane's paused game is a small enum or heap frame. With the
//! processes lane, the only one whose games run in parallel: the master is one, but opponents
//! who really think do it on their own threads, on every core (`coro-simul cores`).
//!
//! # Example
//!
//! ```
//! use coro_simul::{Exhibition, lanes::{Lane, threads}, trace::Summary};
//!
//! let exhibition = Exhibition::default();
//! let mut summary = Summary::new(&exhibition);
//! threads::play(&exhibition, &mut summary)?; // 24 threads, every one joined on return
//! assert_eq!(summary.total().as_secs(), 3655); // 1:00:55, like every cooperative lane
//!
//! let crowd = Exhibition::builder().opponents(threads::MAX_THREADS + 1).build()?;
//! let error = threads::play(&crowd, &mut Summary::new(&crowd)).unwrap_err();
//! assert_eq!(error.lane(), Lane::Threads);
//! assert!(error.to_string().contains("at most 10000 threads"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::VecDeque;
use std::thread::{self, Scope};

use super::error::LaneError;
use super::plain_game::{GameFn, game};
use crate::clock::{Clock, Time, VirtualClock};
use crate::timers::TimerQueue;
use crate::trace::{Event, Sink};
use crate::{Exhibition, PlannedFailure};

// A paused game: a game thread, and both ends of its channels (in its own file).
mod game_thread;
use game_thread::{GameThread, Request, ended};
// What the coordinator says in the switch trace, when someone watches (in its own file).
mod watch;

/// Each game thread's stack, reserved when the thread is made: 64 KiB. Enough for the game,
/// a host call, a channel operation and a panic message; see [the module docs](self).
pub const STACK_SIZE: usize = 64 * 1024;

/// The most games this lane plays, one OS thread each: past it, [`play`] refuses at once
/// rather than start a million kernel threads on someone's laptop. At the cap it stays under
/// Linux's default `vm.max_map_count` of 65 530, at four mappings a thread (its stack and the
/// signal stack Rust gives every thread, each with a guard page); what the cap costs in time
/// and memory is measured in the performance notes (`coro-simul scale --lanes threads`).
pub const MAX_THREADS: u32 = 10_000;

/// Plays the exhibition with one OS thread of [`STACK_SIZE`] per board, reporting every event
/// to `sink`.
///
/// A game that panics does not stop the exhibition: its board forfeits, the others play on
/// (see [the module docs](self)).
///
/// # Errors
///
/// More than [`MAX_THREADS`] boards, or the OS refuses a thread: a [`LaneError`] naming the
/// limit, before any event, with every thread already made stopped and joined.
///
/// # Panics
///
/// If the sink panics: the panic is raised again here once every thread has been joined.
pub fn play<S: Sink>(exhibition: &Exhibition, sink: &mut S) -> Result<(), LaneError> {
    play_on(exhibition, VirtualClock::new(), sink)
}

/// [`play`] on another [`Clock`], such as a scaled wall clock: the same events, at the same
/// times. The coordinator moves the clock, so on a scaled clock it is the one that sleeps,
/// while every game thread is blocked waiting for the baton (see [the module docs](self)).
///
/// # Errors and Panics
///
/// As for [`play`].
pub fn play_on<C: Clock, S: Sink>(
    exhibition: &Exhibition,
    clock: C,
    sink: &mut S,
) -> Result<(), LaneError> {
    play_games_on(exhibition, clock, sink, STACK_SIZE, game)
}

/// Makes every game thread, each to run `game` on a stack of `stack_size`, then lets the
/// driver play them on `clock`.
///
/// # Errors and Panics
///
/// As for [`play`]; also panics if a game's thread ends without calling `game_over`, or if a
/// game panics after its end is in the trace (over, or adjourned).
fn play_games_on<C: Clock, S: Sink>(
    exhibition: &Exhibition,
    clock: C,
    sink: &mut S,
    stack_size: usize,
    game: GameFn,
) -> Result<(), LaneError> {
    let boards = exhibition.opponents();
    if boards > MAX_THREADS {
        return Err(LaneError::too_many_threads(boards, MAX_THREADS, stack_size));
    }
    // A scope joins every thread before it returns, whichever way this closure leaves it.
    // The driver joins each thread as its game ends; if the driver stops early (it panics,
    // or returns `Err`), the threads still blocked see their baton channel close as it
    // drops, unwind, and the scope joins them.
    thread::scope(|scope| {
        let games = spawn_games(scope, exhibition, stack_size, game)?;
        if let Err(board) = Driver::new(exhibition, clock, sink, games).run() {
            panic!("the game on board {board} ended without calling game_over");
        }
        Ok(())
    })
}

/// One game thread per board, each to run `game` (the lane's is the plain [`game`]), all
/// made up front and parked before their first move. If the OS refuses one, the ones made so
/// far see their baton channel close and end; the scope joins them.
fn spawn_games<'scope>(
    scope: &'scope Scope<'scope, '_>,
    exhibition: &Exhibition,
    stack_size: usize,
    game: GameFn,
) -> Result<Vec<Option<GameThread<'scope>>>, LaneError> {
    let boards = exhibition.opponents();
    (1..=boards)
        .map(|board| {
            GameThread::spawn(scope, board, *exhibition, game, stack_size)
                .map(Some)
                .map_err(|error| LaneError::thread_refused(board, boards, &error))
        })
        .collect()
}

/// The coordinator: everything a real clock and a fair lock would do, in virtual time.
struct Driver<'a, 'scope, S, C> {
    exhibition: &'a Exhibition,
    clock: C,
    sink: &'a mut S,
    /// Board `b`'s thread at index `b − 1`; `None` once its game has ended and it is joined.
    games: Vec<Option<GameThread<'scope>>>,
    /// `(board, pair)` of the boards waiting for the master, in the order their replies
    /// landed; at the start, board order.
    master_line: VecDeque<(u32, u32)>,
    /// `(board, pair)` of the replies in flight, due when each lands.
    replies: TimerQueue<(u32, u32)>,
    /// The time limit, or [`Time::MAX`]: no move starts at it, no reply lands after it.
    limit: Time,
}

impl<'a, 'scope, S: Sink, C: Clock> Driver<'a, 'scope, S, C> {
    fn new(
        exhibition: &'a Exhibition,
        clock: C,
        sink: &'a mut S,
        games: Vec<Option<GameThread<'scope>>>,
    ) -> Self {
        let (master_line, replies) = (VecDeque::new(), TimerQueue::new());
        let limit = exhibition.stops_at();
        Driver { exhibition, clock, sink, games, master_line, replies, limit }
    }

    /// The driver loop: land the replies that are due, move at the next board in the
    /// master's line, or jump the clock to the next reply; done when no game waits for
    /// anything, or at the limit. Exactly one thread holds the baton at any moment, this one
    /// or a game's. `Err(board)` if that board's thread ended without its game over.
    fn run(mut self) -> Result<(), u32> {
        // Every game runs to its first request, the master's first move: board order.
        for board in 1..=self.exhibition.opponents() {
            self.resume(board, Time::ZERO)?;
        }
        loop {
            self.land_replies_due()?;
            if self.clock.now() >= self.limit {
                break; // the time limit: every reply due by it has landed, no move starts
            }
            if let Some((board, pair)) = self.master_line.pop_front() {
                self.master_moves(board, pair)?;
            } else if let Some(next) = self.replies.next_deadline() {
                let (now, next) = (self.clock.now(), next.min(self.limit));
                self.sink.switch_with(|| watch::idle(now, next, &self.master_line, &self.replies));
                self.clock.advance_to(next); // nobody to play: wait
            } else {
                break; // nobody waiting, no reply on its way: every game is over
            }
        }
        self.adjourn();
        Ok(())
    }

    /// Records every reply due by now (and by the limit), at its landing time, in landing
    /// order, and resumes its game right then: on to wait for the master, or over (or
    /// failed) at that very moment.
    fn land_replies_due(&mut self) -> Result<(), u32> {
        let due = self.clock.now().min(self.limit);
        while let Some((landed, (board, pair))) = self.replies.pop_due(due) {
            self.sink.record(Event::opponent_move(landed, board, pair));
            self.resume(board, landed)?;
        }
        Ok(())
    }

    /// The master moves on `board`, busy for the whole move; then its game goes on.
    fn master_moves(&mut self, board: u32, pair: u32) -> Result<(), u32> {
        self.sink.record(Event::master_move(self.clock.now(), board, pair));
        self.clock.advance_by(self.exhibition.master_move());
        self.resume(board, self.clock.now())
    }

    /// Hands `board`'s thread the baton as of the moment `at` and serves its next request. A
    /// thread that ends instead is joined: the lane's boundary, where its game's panic comes
    /// out of `join` and is recorded as the board's forfeit. `Err(board)` if it just returned.
    fn resume(&mut self, board: u32, at: Time) -> Result<(), u32> {
        let index = board as usize - 1;
        let thread = self.games[index].as_ref().expect("an ended game is never resumed");
        let now = self.clock.now();
        self.sink.switch_with(|| watch::resume(now, board));
        if let Some(request) = thread.resume() {
            self.serve(request, at);
            return Ok(());
        }
        let thread = self.games[index].take().expect("resumed just now");
        let payload = thread.join().err().ok_or(board)?;
        self.sink.switch_with(|| watch::failed(now, board, &self.master_line, &self.replies));
        let message = PlannedFailure::message_of(&*payload);
        self.sink.record(Event::forfeit(at, board, message));
        Ok(())
    }

    /// Does what a game thread asked, `at` the moment it asked.
    fn serve(&mut self, request: Request, at: Time) {
        match request {
            Request::MasterMove { board, pair, .. } => {
                self.sink.suspended(board); // its thread now blocks until the master comes
                self.master_line.push_back((board, pair));
                self.watch_suspend(request);
            }
            Request::AwaitReply { board, pair, .. } => {
                self.sink.suspended(board); // its thread now blocks until the reply lands
                self.replies.push(at + self.exhibition.opponent_move(), (board, pair));
                self.watch_suspend(request);
            }
            // Not a wait: record it, right as its last reply landed, and join the thread.
            Request::GameOver { board } => {
                self.watch_suspend(request);
                self.sink.record(Event::game_over(at, board));
                let thread = self.games[board as usize - 1].take().expect("over once");
                ended(thread.join());
            }
        }
    }

    /// At the limit, every game still blocked in a host call is adjourned, in board order:
    /// its call returns `Err(Adjourned)`, the game leaves its loop with `?`, and its thread
    /// ends and is joined.
    fn adjourn(&mut self) {
        for (board, game) in (1..).zip(&mut self.games) {
            if let Some(thread) = game.take() {
                self.clock.advance_to(self.limit); // only a limit leaves a game waiting
                self.sink.switch_with(|| {
                    watch::adjourn(self.limit, board, &self.master_line, &self.replies)
                });
                self.sink.record(Event::adjourned(self.limit, board));
                ended(thread.adjourn());
            }
        }
    }

    /// For the switch trace: the thread that sent `request` is blocked, and the queues now.
    fn watch_suspend(&mut self, request: Request) {
        let (now, master_line, replies) = (self.clock.now(), &self.master_line, &self.replies);
        self.sink.switch_with(|| watch::suspend(now, request, master_line, replies));
    }
}

#[cfg(test)]
mod tests;
