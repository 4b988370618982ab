//! Async/await: each game is an `async fn`, and a small executor on virtual time runs them all.
//!
//! # How it works
//!
//! The game reads like the synchronous one, with `.await` where it waits. Calling it runs
//! nothing: an `async fn` returns a **future**, a state machine the compiler writes for you —
//! an enum with one variant per `.await`, holding the locals that live across it (the
//! state-machine lane writes that enum by hand). A future is lazy: it moves only when
//! someone **polls** it, and each poll runs it to its next `.await` that is not ready, where
//! it returns `Poll::Pending`.
//!
//! Who polls? The [`executor`]: [`play`] spawns one task per board on it and keeps each task's
//! [`JoinHandle`](executor::JoinHandle) (asyncio's `create_task`, then `gather` over the
//! handles), and the executor's loop — this lane's driver loop
//! ([the lanes' docs](super#the-driver-loop)), with the timer's queue as its replies in flight
//! — polls the tasks one at a time on one thread. Before a future returns `Pending` it gives
//! its **[`Waker`](std::task::Waker)** — "put me back on the run queue" — to whatever it waits
//! for: the sleep gives it to the [`timer`], a board waiting for the master leaves it with her.
//! Nobody polls a future that has not been woken.
//!
//! ```text
//!   executor ──poll──► game(board 3) ─► master.turn().await ─► she moves (busy 5 s)
//!      ▲                                  ─► sleep_until(reply).await ─► Pending ──┐
//!      │  the stack unwinds to the executor; board 3's state stays in its future   │
//!      └──────── the timer falls due: waker.wake() ─► run queue ◄──────────────────┘
//! ```
//!
//! The master is a shared resource: boards queue up for her, first come first served (a fair
//! lock, like tokio's `Mutex`; the private `master` module builds it as a ticket lock, its
//! waiting a future written by hand). Her move is CPU-bound work, so it does not await:
//! [`Timer::busy`] advances the clock and the whole loop waits — she blocks the loop, on
//! purpose. Replies land meanwhile: their timers fire and wake their games, earliest first,
//! but those games run only once her move is over. Two things in the game follow:
//!
//! - a reply is recorded at the moment it *landed*, its deadline, not at `now`: the game may
//!   run late, when the master was busy as the reply came in;
//! - the boards line up in the order their games run, which is the order their replies
//!   landed, so every reply due by now is recorded before she moves again — the trace
//!   contract's order. That is why the line must be fair. One case needs help: a board that
//!   finds her free yields once first (as [`yield_now`](timer::yield_now) does, asyncio's
//!   `sleep(0)`), so that games already woken behind it record their replies before she
//!   moves.
//!
//! **Counting suspensions.** Each board's task is its game inside a small future written by
//! hand (`BoardTask`) that watches every poll: one that returned `Pending` is a suspension,
//! reported to the sink as it happens — the suspensions `compare` shows. To watch the executor
//! at work, `coro-simul trace async-await --switches --queues --opponents 2 --pairs 2`: each
//! poll and where it paused the game, who woke whom, the run queue, the timer and the master's
//! line (the executor tells them to a [`Watch`] only when the sink keeps them).
//!
//! # Python ↔ Rust
//!
//! In the articles, `await` "performs the same functionality of `yield from`": an old-style
//! coroutine delegated to another with `yield from`, and a `yield` deep inside went straight
//! up to the event loop. `.await` is that delegation: it polls the awaited future, and when
//! that is `Pending`, the `Pending` is returned up through every `async fn` on the way to the
//! executor; the next poll comes back down the same chain, to where it stopped.
//!
//! | Python (asyncio) | this lane |
//! |---|---|
//! | `async def game(board):` | `async fn game(board, arbiter)` |
//! | `game(board)`: a coroutine object, nothing runs yet | `game(board, &arbiter)`: a future, nothing runs until polled ([the lazy-future pitfall](crate::pitfalls::lazy_future)) |
//! | `await x`; `yield from x` in generator-based coroutines | `x.await`: polls `x`, and passes its `Pending` up to the executor |
//! | `await asyncio.sleep(55)` | `arbiter.timer.sleep_until(reply).await` |
//! | `await asyncio.sleep(0)`: let the others run | [`yield_now`](timer::yield_now)`().await` |
//! | `async with master:`, a fair `asyncio.Lock` | `let turn = arbiter.master.turn().await;`, then `drop(turn)` |
//! | `asyncio.ensure_future(coro)`, `asyncio.create_task(coro)` | [`Executor::spawn`](executor::Executor::spawn)`(future)`: a [`JoinHandle`](executor::JoinHandle) |
//! | `loop.run_until_complete(main())`, `asyncio.run(main())` | [`Executor::run`](executor::Executor::run): polls until no task can go on |
//! | `await asyncio.gather(*tasks)` | `run`, then [`Executor::join`](executor::Executor::join) on each handle, in board order |
//! | the loop's callback when what a task awaits is done | [`Waker::wake`](std::task::Waker::wake): the task back on the run queue |
//! | `try: await game(board)` / `except Exception:` | the board's task catches a panic out of `poll`: the forfeit |
//! | pending tasks cancelled as `asyncio.run` ends | at the limit the executor drops every unfinished future |
//!
//! `docs/rosetta.md` shows the game beside the articles' Python.
//!
//! # Where the paused game lives
//!
//! In its future: the state machine the compiler writes for `game` (the board, the pair, the
//! reply time, the awaited sleep or turn, where to resume), inside its board's task, which the
//! executor boxes — no stack of its own — plus its waker (an `Arc`) and its place in the
//! executor's list of tasks. A unit test bounds the size of both the future and the task,
//! which carries nothing the game already holds.
//!
//! # When a game fails or time runs out
//!
//! (The rules all lanes share: [the lanes' docs](super#when-a-game-fails-or-time-runs-out).)
//!
//! **When a game fails.** A game's code runs only inside `poll`, so its panic comes out of
//! `poll` — the first poll at 0:00:00 when it fails at pair 1, the poll after its reply
//! landed for a later pair. The board's task catches it there (Python's `try: await
//! game(board) except: ...`) and records the board `forfeit` at once, at the moment its game
//! had reached (its last reply's landing, which the clock may have passed while the master
//! was busy); the task ends, and the executor goes on polling the others. The failing game
//! holds no turn with the master — it fails before it asks for her — so her line is never
//! left blocked.
//!
//! **When time runs out.** The timer is given the limit ([`Timer::stop_at`]): no timer fires
//! after it, so no reply lands after it, and the games woken by then run until they next
//! wait. The master starts no move at the limit or later: a board whose turn comes then
//! waits for ever. With nothing left to run before the limit, the executor stops and drops
//! every unfinished future; their destructors run (a dropped turn passes the master on, a
//! board dropped while in line gives up its place). Their handles stay empty, and the lane
//! records those boards `adjourned`.
//!
//! # What it costs
//!
//! A suspension is a poll that returns `Pending`, a waker cloned for a timer or for the master (an
//! atomic count up, and later down), and a `wake()` that queues the task again behind the run
//! queue's mutex: two suspensions a move pair. The executor is the textbook one, chosen to be read
//! rather than to be fast. The measured figures, against the state machine and against the
//! executors people use, are in `docs/performance.md`, and [the lanes' docs](super#what-it-costs)
//! say how to reproduce them.
//!
//! # When to use it
//!
//! When many tasks spend most of their time waiting — for the network, a disk, a timer — and
//! you want to write each one as straight-line code. It is Rust's standard way to do that,
//! with runtimes (tokio, smol) that do for sockets what this executor does for the clock.
//! Not for CPU-bound work: a task that computes without awaiting blocks every other task,
//! as the master's move does here on purpose.
//!
//! # Compared with the others
//!
//! Written like the synchronous game, paused like the state-machine lane (the compiler
//! writes the enum), resumed like the callbacks lane (a loop with a timer queue calls back).
//! Unlike green threads, it can suspend only at an `.await` in an `async fn`: "async" is
//! contagious (a function's colour) but costs no stack.
//!
//! The same games on tokio's current-thread runtime with a paused clock give the same trace
//! (`tests/async_await_tokio_parity.rs`) — for durations in whole milliseconds, because
//! tokio's timer counts milliseconds and rounds every sleep up to the next one, while this
//! executor's clock counts nanoseconds.
//!
//! # Example
//!
//! ```
//! use std::time::Duration;
//! use coro_simul::{Exhibition, lanes::async_await, trace::Summary};
//!
//! let exhibition = Exhibition::default();
//! let mut summary = Summary::new(&exhibition);
//! async_await::play(&exhibition, &mut summary)?;
//! assert_eq!(summary.total(), Duration::from_secs(3655)); // 1:00:55, not 12 hours
//! assert_eq!(summary.games_over(), 24);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod executor;
mod master;
pub mod timer;
mod watch;

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::task::{Context, Poll};

use pin_project_lite::pin_project;

use super::error::LaneError;
use crate::clock::{Clock, Time, VirtualClock};
use crate::trace::{Event, Sink};
use crate::{Exhibition, PlannedFailure};
use executor::{Executor, Outcome, Watch};
pub(crate) use master::Master;
use timer::Timer;
use watch::Watcher;

/// One game on `board`: an ordinary `async fn`, suspended at each `.await` that is not ready.
async fn game<S: Sink, C: Clock>(board: u32, arbiter: &Arbiter<'_, S, C>) {
    // `arbiter.timer`, not a copy in a local: a local that lives across an `.await` is a field
    // of the future, and every paused game would carry it.
    for pair in 1..=arbiter.exhibition.pairs() {
        arbiter.exhibition.fail_if_planned(board, pair); // a panic, out of `poll`
        let turn = arbiter.master.turn().await;
        if arbiter.timer.now() >= arbiter.timer.limit() {
            // The time limit: she starts no move. The board passes her on (the boards behind
            // it find the same) and waits until the executor stops and drops it.
            drop(turn);
            return std::future::pending().await;
        }
        arbiter.record(Event::master_move(arbiter.timer.now(), board, pair));
        arbiter.timer.busy(arbiter.exhibition.master_move()); // CPU-bound: the loop waits
        drop(turn); // she walks on to the next board in line
        arbiter.exhibition.opponent_thinks(board, pair); // CPU-bound: on the executor's thread
        let reply = arbiter.timer.now() + arbiter.exhibition.opponent_move();
        arbiter.timer.sleep_until(reply).await; // the master is free for the other boards
        // Recorded at the moment it landed: if she was busy then, this runs later.
        arbiter.record(Event::opponent_move(reply, board, pair));
        arbiter.reached(board).set(reply);
    }
    arbiter.record(Event::game_over(arbiter.reached(board).get(), board));
}

/// How a board's task ended, as its [`JoinHandle`](executor::JoinHandle) tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    /// The game played its last pair; `game_over` is recorded.
    Over,
    /// The game panicked; `forfeit` is recorded.
    Forfeit,
}

pin_project! {
    /// Board `board`'s task: its game, watched from outside at every poll. A poll that
    /// returned `Pending` is a suspension, reported as it happens; a panic out of a poll is
    /// the game failing, recorded at once as the board's forfeit — at once, because the next
    /// event may be the master's move at that same moment, which the trace puts after it.
    ///
    /// A future written by hand, so that a paused game carries nothing twice. Its `game` is
    /// *pinned* with it (`#[pin]`): an `async fn`'s future may borrow from itself, so once
    /// polled it must not move, and `project` hands out a pinned reference to it.
    struct BoardTask<'a, S, C, G> {
        board: u32,
        arbiter: &'a Arbiter<'a, S, C>,
        #[pin]
        game: G,
    }
}

/// The task of `board`: its [`game`] inside a [`BoardTask`].
fn board_task<'a, S: Sink, C: Clock>(
    board: u32,
    arbiter: &'a Arbiter<'a, S, C>,
) -> BoardTask<'a, S, C, impl Future<Output = ()> + 'a> {
    BoardTask { board, arbiter, game: game(board, arbiter) }
}

impl<S: Sink, C: Clock, G: Future<Output = ()>> Future for BoardTask<'_, S, C, G> {
    type Output = Ending;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Ending> {
        let this = self.project();
        let (board, arbiter) = (*this.board, *this.arbiter);
        match panic::catch_unwind(AssertUnwindSafe(|| this.game.poll(cx))) {
            Ok(Poll::Pending) => {
                arbiter.sink.borrow_mut().suspended(board);
                Poll::Pending
            }
            Ok(Poll::Ready(())) => Poll::Ready(Ending::Over),
            Err(failure) => {
                let message = PlannedFailure::message_of(&*failure);
                arbiter.record(Event::forfeit(arbiter.reached(board).get(), board, message));
                Poll::Ready(Ending::Forfeit)
            }
        }
    }
}

/// Plays the exhibition: one task per board on one [`Executor`], all run until done. Never
/// fails: it needs nothing from the operating system.
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
    let limit: Time = exhibition.stops_at();
    let timer = Timer::with_clock(clock).stop_at(limit);
    let watching = sink.watches_switches();
    let arbiter = Arbiter::new(exhibition, &timer, sink);
    // The driver is the executor: its `run` is this lane's loop (`executor.rs`). It tells a
    // watcher its switches only if the sink keeps them; otherwise `()`, which costs nothing.
    let task = |board| board_task(board, &arbiter);
    if watching {
        let (boards, master) = (exhibition.opponents(), &arbiter.master);
        let watcher = Watcher::new(boards, &arbiter.sink, &timer, master);
        play_all(Executor::watched(&timer, watcher), &arbiter, task);
    } else {
        play_all(Executor::new(&timer), &arbiter, task);
    }
    Ok(())
}

/// Spawns the task of every board, in board order, runs them all, and adjourns those the
/// time limit stopped.
fn play_all<'a, S: Sink, C: Clock, F: Future<Output = Ending>, W: Watch>(
    mut executor: Executor<'a, F, C, W>,
    arbiter: &Arbiter<'_, S, C>,
    task: impl Fn(u32) -> F,
) {
    let boards = 1..=arbiter.exhibition.opponents();
    let handles: Vec<_> = boards.map(|board| executor.spawn(task(board))).collect();
    executor.run();
    for (board, handle) in (1..).zip(handles) {
        adjourn(arbiter, board, executor.join(&handle), arbiter.timer.limit());
    }
}

/// After the run, what `board`'s handle gave (asyncio's `gather`, board by board): an
/// ending, recorded as it happened; or nothing — the run stopped at the time limit before
/// the game ended, so the board is adjourned there.
fn adjourn<S: Sink, C>(
    arbiter: &Arbiter<'_, S, C>,
    board: u32,
    outcome: Option<Outcome<Ending>>,
    limit: Time,
) {
    match outcome {
        Some(Ok(Ending::Over | Ending::Forfeit)) => {}
        Some(Err(panic)) => panic::resume_unwind(panic), // the lane's own bug, not a game's
        None => arbiter.record(Event::adjourned(limit, board)),
    }
}

/// What every game shares and writes to: the rules, the timer (clock and sleeps), the
/// master, the trace.
struct Arbiter<'a, S, C> {
    exhibition: &'a Exhibition,
    timer: &'a Timer<C>,
    master: Master,
    /// Borrowed for one `record` at a time, never across an `.await`.
    sink: RefCell<&'a mut S>,
    /// For each board, from board 1, when its last reply landed: where its game has got to on
    /// the clock, which the timer may have passed (if the master was busy then). A game that
    /// fails is forfeit at that moment.
    reached: Vec<Cell<Time>>,
}

impl<'a, S: Sink, C> Arbiter<'a, S, C> {
    fn new(exhibition: &'a Exhibition, timer: &'a Timer<C>, sink: &'a mut S) -> Self {
        let reached = vec![Cell::new(Time::ZERO); exhibition.opponents() as usize];
        Arbiter { exhibition, timer, master: Master::default(), sink: RefCell::new(sink), reached }
    }

    #[inline(always)] // an event passed through memory to a call costs a stall: 18 % of a move pair
    fn record(&self, event: Event) {
        self.sink.borrow_mut().record(event);
    }

    fn reached(&self, board: u32) -> &Cell<Time> {
        &self.reached[board as usize - 1]
    }
}

#[cfg(test)]
mod tests;
