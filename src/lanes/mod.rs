//! The lanes: one module per technique, all behind one entry point, [`Lane::play`].
//!
//! Every lane plays the same [`Exhibition`](crate::Exhibition) and reports the same events to a
//! [`Sink`](crate::trace::Sink); what differs is how a game that is waiting for its opponent gets
//! out of the master's way and back again. Each module keeps its own driver loop in view, because
//! the driver *is* the lesson. What every lane shares is explained once, below; each lane's doc
//! links here instead of repeating it.
//!
//! # Reading a lane
//!
//! Every lane's module doc has the same headings in the same order, so that two of them diff: a
//! one-line summary; *How it works* (the mechanism in plain words, with a picture of who calls
//! whom); *Python ↔ Rust* (the articles' constructs beside this lane's code); *Where the paused
//! game lives*; *When a game fails or time runs out*; *What it costs*; *When to use it*;
//! *Compared with the others*; *Example*.
//!
//! Read them in this order: [`sync`] (the game as plain code), [`callbacks`] (the game cut into
//! pieces by hand), [`state_machine`] (the pieces as an `enum`), [`generators`] and
//! [`async_await`] (the compiler writes the `enum`), [`green_threads`] (the plain game again,
//! each on a stack of its own), [`threads`] and [`processes`] (the kernel switches).
//! `docs/rosetta.md` in the repository puts every lane's game beside the Python it stands for.
//!
//! # Python ↔ Rust
//!
//! The articles the exhibition comes from tell it in Python. Where each construct they use is
//! found here (each lane's own table maps it onto that lane's code):
//!
//! | Python | the lane |
//! |---|---|
//! | a plain function, `time.sleep` inside | [`sync`] |
//! | the event loop: `loop.call_soon`, `loop.call_later`, callbacks | [`callbacks`] |
//! | what a paused generator keeps: where it stopped, and its locals | [`state_machine`] |
//! | `received = yield`, `gen.send`, priming with `next(gen)`, `yield from` | [`generators`] |
//! | `async def`, `await` (≈ `yield from`), `asyncio.run`, `gather`, `ensure_future`, `sleep(0)` | [`async_await`] |
//! | greenlet's `switch`, gevent's monkey-patched `time.sleep` | [`green_threads`] |
//! | `threading`, and the GIL | [`threads`] |
//! | `multiprocessing` | [`processes`] |
//!
//! # The driver loop
//!
//! Every lane but [`sync`] has a driver whose `run` is the same loop; only what "go on with a
//! game" means differs — call a closure, step an `enum`, resume a generator, poll a future,
//! switch stacks, hand a thread or a process the baton:
//!
//! ```text
//!   run: loop
//!     1. every reply due by now (and by the limit), earliest first: record it, and let its
//!        game go on to its next wait
//!     2. at the limit? adjourn every game still waiting, and stop
//!     3. a board in the master's line? she moves there (busy for her move), and its game goes
//!        on to wait for the reply, due the opponent's move later
//!     4. nobody in line: jump the clock to the next reply; no reply on its way: all are over
//! ```
//!
//! Its two queues: `master_line`, the boards waiting for the master, first come first served
//! (in the order their replies landed); and `replies`, a
//! [`TimerQueue`](crate::timers::TimerQueue) of the replies in flight, earliest first, ties in
//! the order they were set. Landing the due replies *before* the master's next move is what
//! keeps the trace in [the contract's](crate::trace#the-contract) order: a reply that landed at
//! `t` is recorded at `t`, even while the master was busy on another board, and before any move
//! she starts at `t`. Where a lane hands part of this loop to a library piece (the callbacks'
//! event loop, the async executor and its timer), its doc says so.
//!
//! # When a game fails or time runs out
//!
//! Two ways a game ends early, the same in every lane, each lane by its own means:
//!
//! - **Forfeit.** A game planned to fail
//!   ([`Exhibition::fail_if_planned`](crate::Exhibition::fail_if_planned)) panics in its own
//!   code as it reaches the failing pair. The panic unwinds as far as the *lane's boundary* — a
//!   `catch_unwind`, or for threads and processes a `join` or a read — which records the board
//!   `forfeit` with the panic's message, at the moment its game had reached; the other games
//!   play on.
//! - **Adjourned.** Under a time limit ([`Exhibition::stops_at`](crate::Exhibition::stops_at)),
//!   the replies due by the limit still land and their games go on to their next wait, but no
//!   master move starts at the limit or later. Every game not over is then recorded
//!   `adjourned`, at the limit, in board order, and its paused state is let go: how — a timer
//!   cancelled, an `enum` forgotten, a generator or a future dropped, a stack unwound, a thread
//!   or a process told to stop — is each lane's lesson.
//!
//! # What it costs
//!
//! Each lane's doc says what a paused game and a switch are *made of*. How long a move pair
//! takes, how much memory a paused game holds, how many games fit, how many cores a lane uses:
//! those depend on the build and the machine, so they live in the repository's performance
//! notes, `docs/performance.md`, each with the date and the machine it was measured on, and
//! nowhere in these docs. Measure them yourself with:
//!
//! ```sh
//! cargo bench --bench round_trip   # every lane: time per move pair, per game set up
//! coro-simul scale                 # every lane on large exhibitions: time, memory, limits
//! coro-simul cores                 # opponents who really think: the cores each lane used
//! ```
//!
//! The stackless lanes' unit tests check the size of a paused game with `size_of`; they bound
//! it rather than state it, because a compiler may lay a future out differently.
//!
//! # Example
//!
//! ```
//! use coro_simul::{Exhibition, lanes::{Lane, processes}};
//!
//! processes::serve_if_child(); // the processes lane starts this program again: see its docs
//! for lane in Lane::ALL {
//!     let summary = lane.summary(&Exhibition::default())?;
//!     println!("{:<14} {}", lane.name(), summary.total().as_secs());
//! }
//! assert_eq!("sync".parse::<Lane>(), Ok(Lane::Sync));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Errors
//!
//! Playing can fail only where a lane needs something from the operating system for every
//! game — a stack for each green thread, a kernel thread or a process for each game, memory
//! for each board's state — and the system refuses (or, for processes, the program does not
//! serve as a game's process). Such a lane checks before the first move, so a [`LaneError`]
//! means no event was reported. [`Lane::play`] first checks that this process can reserve
//! the memory the boards need in that lane (`room.rs`), and refuses with how many boards fit
//! and which limit said no; past that check, the stackless lanes never fail.

pub mod async_await;
pub mod callbacks;
pub mod generators;
pub mod green_threads;
// Not a lane: the plain blocking game that sync, green threads, threads and processes all play.
pub mod plain_game;
pub mod processes;
pub mod state_machine;
pub mod sync;
pub mod threads;

mod error;
mod lane;
pub(crate) mod room;
#[cfg(test)]
mod testing;

pub use error::LaneError;
pub use lane::{Lane, UnknownLane};
