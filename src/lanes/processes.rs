// A little over the crate's ~350 lines a file, on purpose: the module doc is the lesson (how
// a process is started, what it survives, what it costs) and stays beside the driver it
// explains. The two halves of a game's process live in `processes/`, its tests there too.
//! OS processes: one process per game, each running the plain game, taking turns under a
//! coordinator in the parent — the threads lane, with every game in its own address space.
//!
//! # How it works
//!
//! Each game is [`plain_game`](super::plain_game)'s [`game`](super::plain_game::game), the
//! same plain loop as the sync, green-threads and threads lanes, in a process of its own:
//! this very program, started again by [`play`] ([`std::env::current_exe`]), told by an
//! environment variable which board it plays, entering [`serve_if_child`] instead of its
//! usual `main`. Its [`Host`](super::plain_game::Host) turns every wait into a line of text
//! to the parent — `master 3 1`, `reply 3 1`, `over 3` — and blocks the whole process reading
//! the answer, `play` (the baton) or `adjourned`. The threads lane's baton protocol, over a
//! socket pair (a pipe that goes both ways, the child's standard input) instead of channels.
//!
//! The coordinator is the threads lane's, line for line: [`play`]'s driver, in the parent,
//! owns the clock, the [`TimerQueue`] of replies in flight and the master's FIFO, and hands
//! the baton to one process at a time; every other game process is blocked in `read`. Its
//! loop is every cooperative lane's ([the lanes' docs](super#the-driver-loop)). So the trace
//! is every concurrent lane's, byte for byte, and a scaled clock reaches 1:00:55 in real time
//! too, late only by the handoffs.
//!
//! ```text
//!   parent: the driver                           child "board 2" (this program again)
//!   ──────────────────                           ────────────────────────────────────
//!   spawn(current_exe, CORO_SIMUL_GAME=..) ─────► serve_if_child(): "ready"
//!   "play\n" ───────────────────────────────────► game(2, ..): master_moves(2, 1)
//!   ◄───────────────────────────────────────── "master 2 1\n"    (blocked in read)
//!   ... board 2 reaches the front of the FIFO:
//!   master_move, clock += m, "play\n" ──────────► master_moves returns; await_reply(2, 1)
//!   ◄───────────────────────────────────────── "reply 2 1\n"     (blocked in read)
//!   ...
//!   the last reply lands: "play\n" ─────────────► game_over(2): "over 2\n"; exit(0)
//!   wait(): reaped
//! ```
//!
//! To watch the handoffs, `coro-simul trace processes --switches --queues --opponents 2
//! --pairs 2`: the parent reports each one; a watching parent asks its children to write after
//! each wait where the game waits (`master 2 1 at src/lanes/plain_game.rs:89`), as text, since
//! a pointer into one process's memory means nothing in another.
//!
//! ## How a program becomes a game's process
//!
//! A child is a fresh copy of the running program, so every program that plays this lane
//! must turn into a game's process when asked: its `main` calls [`serve_if_child`] first,
//! which returns at once unless the [`GAME_ENV`] variable is set. The command line does, and
//! each example. A test binary's `main` is the test harness's, so the lane passes the harness
//! the name of one test to run, [`WORKER_TEST`], and each test binary that plays this lane
//! has that test call `serve_if_child` (a doctest, its first line). A program that does not
//! is told so in a [`LaneError`], before any event: its child ran to its end, said something
//! else, or kept silent, but never said `ready`. A child that fails before it is ready, by a
//! signal or a failing exit, is reported as it ended instead.
//!
//! # Python ↔ Rust
//!
//! | Python (`multiprocessing`) | this lane |
//! |---|---|
//! | `multiprocessing.Process(target=game, args=(board,))`, `start()` | this program started again ([`std::env::current_exe`]), [`GAME_ENV`] naming the board |
//! | `if __name__ == "__main__":`, so that a spawned child, which imports the main module again, starts no children | [`serve_if_child`]`()` first in `main`: a child plays its game there, and exits |
//! | `multiprocessing.Pipe()` | a socket pair: the child's standard input |
//! | objects pickled through the pipe | lines of text: `master 3 1`, `reply 3 1`, `over 3`; `play`, `adjourned` |
//! | `p.join()`, then `p.exitcode`: `-6` after `SIGABRT` | the driver reaps every process; a silent death's forfeit says `killed by signal 6 (SIGABRT: it aborted)` |
//! | `p.kill()` | dropping a game's process: killed and reaped |
//! | the GIL, escaped: each process has an interpreter of its own | each process has everything of its own: games think in parallel (`coro-simul cores`) |
//!
//! `docs/rosetta.md` shows this lane's host beside the articles' Python.
//!
//! # Where the paused game lives
//!
//! In a whole process, blocked in `read` on its socket: the game's frames on its main
//! thread's stack, and around them page tables, its own copy of the program's data, the
//! allocator's arenas and a kernel task (the code pages are shared by every copy).
//!
//! # When a game fails or time runs out
//!
//! (The rules all lanes share: [the lanes' docs](super#when-a-game-fails-or-time-runs-out).)
//!
//! **Isolation.** Nothing a game does to its own process reaches the others or the parent.
//! A game that panics unwinds to its process's boundary, `catch_unwind` in
//! [`serve_if_child`], which writes `panicked "MESSAGE"` and exits: the board forfeits with
//! the panic's message, as in every lane. A game that dies *without a word* — it aborts
//! (`std::process::abort`, a double panic, an out-of-memory abort), is killed by a signal, or
//! exits — closes its end of the socket as the kernel tears the process down. The driver,
//! reading its next call, reads the end of the stream instead, reaps the process, and records
//! the `forfeit` with how it ended: `the game's process was killed by signal 6 (SIGABRT: it
//! aborted)`. No other lane survives an abort: it takes the whole program with it, every
//! other game and the driver too. Here the other processes, blocked in their own reads, never
//! notice. The lane's tests abort a board this way.
//!
//! **Broken and stuck games.** The driver serves only a call for the board it has just
//! handed the baton: a process that names another board, or says something that is not a
//! call, is killed, and its board forfeits (`spoke out of turn: asked for board 0`). A
//! process that keeps the baton 60 s without a word, its game stuck in a loop, is killed
//! too: `did not answer within 60 s`, far longer than any move takes.
//!
//! **At the time limit.** As in the threads lane: every game still waiting is recorded
//! `adjourned`, and its process is written `adjourned` instead of the baton; its host call
//! returns `Err(Adjourned)`, the game leaves its loop with `?`, and the process exits and is
//! reaped.
//!
//! **No child left behind.** Every process is reaped before [`play`] returns: once its game
//! is over, forfeited or adjourned, the driver shuts its socket down (a child still talking,
//! or waiting for a baton, reads the end of the stream and exits) and waits for its exit —
//! without a limit: a process that runs on after its game has ended holds [`play`] up. If
//! the driver stops early (its sink panics) or a later process cannot start, dropping a
//! process kills and reaps it. If the parent itself dies, Ctrl-C or `kill -9`, its ends of
//! the sockets close with it, and each child, blocked in `read`, reads the end of the stream
//! and exits.
//!
//! # What it costs
//!
//! A whole process per game, and its start: the program started again, from `exec` to its `main`
//! and the `ready` line. A handoff is the threads lane's, two trips through the kernel, plus a
//! write and a read of a line. The measured figures are in `docs/performance.md`, and [the lanes'
//! docs](super#what-it-costs) say how to reproduce them; `coro-simul scale` also measures a
//! process's start and each child's share of memory, which the parent cannot see itself.
//!
//! **How many.** At most [`MAX_PROCESSES`], checked before the first process starts; past
//! the OS's own limits (`ulimit -u`, `pid_max`, memory) a refused process is a [`LaneError`]
//! naming them, with every process already started killed and reaped, and no event reported.
//!
//! # When to use it
//!
//! When a game must not be able to take the others down — code you do not trust, a library
//! that may abort or leak, a crash you want to survive — or when the games must run in
//! parallel in a language whose threads cannot (Python's GIL: this is `multiprocessing`).
//! The cost is a whole process per game: hundreds, not thousands.
//!
//! # Compared with the others
//!
//! The threads lane's game and coordinator; only where the game lives differs. A thread
//! shares the parent's memory, so a game's abort or wild write is everyone's; a process shares
//! nothing but the socket, so its failure is its own, and all it says must be written as
//! bytes. Like threads, its games run in parallel when opponents really think (see
//! [`cores`](crate::cores)).
//!
//! # Example
//!
//! ```
//! use coro_simul::{Exhibition, lanes::{Lane, processes}, trace::Summary};
//!
//! processes::serve_if_child(); // in the children: play one game, and exit here
//!
//! let exhibition = Exhibition::default();
//! let mut summary = Summary::new(&exhibition);
//! processes::play(&exhibition, &mut summary)?; // 24 processes, every one reaped on return
//! assert_eq!(summary.total().as_secs(), 3655); // 1:00:55, like every concurrent lane
//!
//! let crowd = Exhibition::builder().opponents(processes::MAX_PROCESSES + 1).build()?;
//! let error = processes::play(&crowd, &mut Summary::new(&crowd)).unwrap_err();
//! assert_eq!(error.lane(), Lane::Processes);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::VecDeque;
use std::env;
use std::path::Path;
use std::time::{Duration, Instant};

use super::error::LaneError;
use crate::Exhibition;
use crate::clock::{Clock, Time, VirtualClock};
use crate::timers::TimerQueue;
use crate::trace::{Event, Sink};

// A paused game: its process, and the parent's end of the socket (in its own file).
mod game_process;
// What a child does: become a game's process and play (in its own file).
mod worker;
// What the parent says in the switch trace, when someone watches (in its own file).
mod watch;

use game_process::{GameProcess, Request};
use worker::Order;
pub use worker::{GAME_ENV, WORKER_TEST, serve_if_child};

/// The most games this lane plays, one OS process each: past it, [`play`] refuses at once
/// rather than start ten thousand copies of the program on someone's laptop.
pub const MAX_PROCESSES: u32 = 2_000;

/// Plays the exhibition with one OS process per board, reporting every event to `sink`.
///
/// A game whose process panics, aborts, or is killed does not stop the exhibition: its board
/// forfeits, the others play on (see [the module docs](self)).
///
/// # Errors
///
/// More than [`MAX_PROCESSES`] boards, the OS refuses a process, a process ends before it is
/// ready, or this program does not serve as a game's process ([`serve_if_child`]): a
/// [`LaneError`] saying which, before any event, every process started killed and reaped.
///
/// # Panics
///
/// If the sink panics: every process is killed and reaped as the panic leaves.
pub fn play<S: Sink>(exhibition: &Exhibition, sink: &mut S) -> Result<(), LaneError> {
    play_on(exhibition, VirtualClock::new(), sink)
}

/// [`play`] on another [`Clock`], such as a scaled wall clock: the same events, at the same
/// times. The coordinator moves the clock, so on a scaled clock it is the one that sleeps,
/// while every game process is blocked waiting for the baton.
///
/// # Errors and Panics
///
/// As for [`play`].
pub fn play_on<C: Clock, S: Sink>(
    exhibition: &Exhibition,
    clock: C,
    sink: &mut S,
) -> Result<(), LaneError> {
    play_games_on(exhibition, clock, sink, "plain")?;
    Ok(())
}

/// What the games' processes cost, as [`play_counted`] measured it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Census {
    /// The processes started: one per board.
    pub processes: u32,
    /// From the first process started until the last said `ready`.
    pub started_in: Duration,
    /// Their resident memory once all were ready, each its proportional share (`Pss`), so the
    /// shared code counts once; `None` where `/proc` does not say.
    pub resident: Option<u64>,
}

/// [`play`], also returning what the processes cost, for `coro-simul scale` (which cannot see
/// its children's memory). Errors and panics as for [`play`].
pub fn play_counted<S: Sink>(exhibition: &Exhibition, sink: &mut S) -> Result<Census, LaneError> {
    play_games_on(exhibition, VirtualClock::new(), sink, "plain")
}

/// [`play_on`] with the game named `game` in every process (the tests' faulty ones, say),
/// counting what the processes cost.
fn play_games_on<C: Clock, S: Sink>(
    exhibition: &Exhibition,
    clock: C,
    sink: &mut S,
    game: &str,
) -> Result<Census, LaneError> {
    let boards = exhibition.opponents();
    if boards > MAX_PROCESSES {
        return Err(LaneError::too_many_processes(boards, MAX_PROCESSES));
    }
    let program =
        env::current_exe().map_err(|error| LaneError::process_refused(1, boards, &error))?;
    let started = Instant::now();
    let games = spawn_games(&program, exhibition, game, sink.watches_switches())?;
    let started_in = started.elapsed();
    let resident = games.iter().flatten().map(GameProcess::resident).sum();
    Driver::new(exhibition, clock, sink, games).run();
    Ok(Census { processes: boards, started_in, resident })
}

/// Starts every game's process and waits until each is ready, parked before its first move;
/// each says where its game waits if `says_where` (for a sink that watches the switches).
/// If one cannot start, the ones started so far are dropped: killed and reaped.
fn spawn_games(
    program: &Path,
    exhibition: &Exhibition,
    game: &str,
    says_where: bool,
) -> Result<Vec<Option<GameProcess>>, LaneError> {
    if let Some(order) = env::var(GAME_ENV).ok().and_then(|order| Order::parse(&order)) {
        // This is a game's process that did not serve: starting more would start them forever.
        return Err(LaneError::not_a_game_process(program, order.board));
    }
    let boards = exhibition.opponents();
    let mut games = Vec::with_capacity(boards as usize);
    for board in 1..=boards {
        let order = Order { game: game.to_owned(), board, exhibition: *exhibition, says_where };
        let process = GameProcess::spawn(program, &order)
            .map_err(|error| LaneError::process_refused(board, boards, &error))?;
        games.push(Some(process));
    }
    for process in games.iter_mut().flatten() {
        process.ready(program)?; // or how it ended, or that it did not serve
    }
    Ok(games)
}

/// The coordinator: the threads lane's, with processes for threads.
struct Driver<'a, S, C> {
    exhibition: &'a Exhibition,
    clock: C,
    sink: &'a mut S,
    /// Board `b`'s process at index `b − 1`; `None` once its game has ended and it is reaped.
    games: Vec<Option<GameProcess>>,
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
        games: Vec<Option<GameProcess>>,
    ) -> Self {
        let (master_line, replies) = (VecDeque::new(), TimerQueue::new());
        let limit = exhibition.stops_at();
        Driver { exhibition, clock, sink, games, master_line, replies, limit }
    }

    /// The driver loop: exactly one process holds the baton at any moment, or this one.
    fn run(mut self) {
        for board in 1..=self.exhibition.opponents() {
            self.resume(board, Time::ZERO); // each game asks for its first move
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
                self.clock.advance_to(next); // every process is asleep
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

    /// Hands `board`'s process the baton and does what it asks next, `at` that moment. A
    /// process that panicked, ended without a word, spoke for another board or did not
    /// answer in time forfeits: the lane's boundary. Only a call for `board` is served, so
    /// a broken game cannot make the driver play a board it was not asked about.
    fn resume(&mut self, board: u32, at: Time) {
        let process = self.games[board as usize - 1].as_mut().expect("never resumed once ended");
        let now = self.clock.now();
        self.sink.switch_with(|| watch::resume(now, board));
        match process.resume() {
            Ok(call) => self.serve(call, at),
            Err(why) => self.forfeit(board, at, why),
        }
    }

    /// Does what a game's process asked, `at` the moment it asked.
    fn serve(&mut self, request: Request, at: Time) {
        match request {
            Request::MasterMove { board, pair, .. } => {
                self.sink.suspended(board); // its process now blocks until the master comes
                self.master_line.push_back((board, pair));
                self.watch_suspend(&request);
            }
            Request::AwaitReply { board, pair, .. } => {
                self.sink.suspended(board); // its process now blocks until the reply lands
                self.replies.push(at + self.exhibition.opponent_move(), (board, pair));
                self.watch_suspend(&request);
            }
            // Asked right as its last reply landed, so it follows that reply in the trace.
            Request::GameOver { board } => {
                self.watch_suspend(&request);
                self.sink.record(Event::game_over(at, board));
                let mut process = self.games[board as usize - 1].take().expect("over once");
                let _ = process.finish(); // its game is in the trace; how it exits is its own
            }
            Request::Panicked(_) => unreachable!("a panic is a forfeit, recorded in resume"),
        }
    }

    /// `board`'s game has failed `at` that moment, saying `message`: the forfeit, and its
    /// process reaped.
    fn forfeit(&mut self, board: u32, at: Time, message: String) {
        let now = self.clock.now();
        self.sink.switch_with(|| watch::failed(now, board, &self.master_line, &self.replies));
        self.sink.record(Event::forfeit(at, board, message));
        let mut process = self.games[board as usize - 1].take().expect("forfeits once");
        let _ = process.finish();
    }

    /// At the limit, every game still blocked in a host call is adjourned, in board order:
    /// its process is told so, its game leaves its loop with `?`, and the process exits and
    /// is reaped.
    fn adjourn(&mut self) {
        for (board, game) in (1..).zip(&mut self.games) {
            if let Some(process) = game.take() {
                self.clock.advance_to(self.limit); // only a limit leaves a game waiting
                self.sink.switch_with(|| {
                    watch::adjourn(self.limit, board, &self.master_line, &self.replies)
                });
                self.sink.record(Event::adjourned(self.limit, board));
                process.adjourn();
            }
        }
    }

    /// For the switch trace: the process that sent `request` is blocked, and the queues now.
    fn watch_suspend(&mut self, request: &Request) {
        let (now, master_line, replies) = (self.clock.now(), &self.master_line, &self.replies);
        self.sink.switch_with(|| watch::suspend(now, request, master_line, replies));
    }
}

#[cfg(test)]
mod tests;
