//! [`GameThread`]: one game on its own OS thread, as the driver holds it, and the
//! [`ThreadHost`] the game sees there; between them, two channels and the [`Baton`].

use std::io;
use std::panic::{self, Location};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::{self, Scope, ScopedJoinHandle};

use crate::Exhibition;
use crate::lanes::plain_game::{Adjourned, GameFn, Host};

/// What a game thread asks its driver for, as it blocks until the baton comes back: one
/// variant per [`Host`] method. A wait carries `paused_at`, the game's line that waits: a
/// pointer, as every thread shares the driver's memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Request {
    /// Hand me the baton when the master has made her move of `pair` on `board`.
    MasterMove { board: u32, pair: u32, paused_at: &'static Location<'static> },
    /// Hand me the baton when the opponent's reply to `pair` has landed.
    AwaitReply { board: u32, pair: u32, paused_at: &'static Location<'static> },
    /// The game on `board` is over; the thread ends without waiting for the baton.
    GameOver { board: u32 },
}

/// What the driver hands a game thread blocked in a host call. Only the driver hands it
/// out, one game thread at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Baton {
    /// The right to run: the call returns `Ok`, the game goes on to its next call.
    Play,
    /// The time limit has stopped the game: the call returns `Err(Adjourned)`.
    Adjourned,
}

/// What a game thread unwinds with when the driver calls the exhibition off mid-game (its
/// sink panicked, a game misbehaved) and drops its ends of the channels.
#[derive(Debug)]
struct CalledOff;

/// The driver's end of a game thread: how it hands the baton over, hears the next request,
/// and joins the thread when its game has ended.
#[derive(Debug)]
pub(super) struct GameThread<'scope> {
    baton: Sender<Baton>,
    requests: Receiver<Request>,
    thread: ScopedJoinHandle<'scope, ()>,
}

impl<'scope> GameThread<'scope> {
    /// Makes the thread for `board`, named after it, on a stack of `stack_size` bytes, to play
    /// `game` against a [`ThreadHost`]; parked until the driver first hands it the baton.
    pub(super) fn spawn(
        scope: &'scope Scope<'scope, '_>,
        board: u32,
        exhibition: Exhibition,
        game: GameFn,
        stack_size: usize,
    ) -> io::Result<GameThread<'scope>> {
        let (baton, baton_rx) = mpsc::channel();
        let (requests_tx, requests) = mpsc::channel();
        let host = ThreadHost { baton: baton_rx, requests: requests_tx, exhibition };
        let thread = thread::Builder::new()
            .name(format!("board {board}"))
            .stack_size(stack_size)
            .spawn_scoped(scope, move || host.run(board, &exhibition, game))?;
        Ok(GameThread { baton, requests, thread })
    }

    /// Hands this thread the baton and blocks until its next request. `None` means the thread
    /// has ended (its game panicked or returned) and will never ask again.
    pub(super) fn resume(&self) -> Option<Request> {
        self.baton.send(Baton::Play).ok()?;
        self.requests.recv().ok()
    }

    /// Tells the thread the time limit has stopped its game, then joins it.
    pub(super) fn adjourn(self) -> thread::Result<()> {
        let _ = self.baton.send(Baton::Adjourned); // gone already if its game has ended
        self.join()
    }

    /// Waits for the thread to end; `Err` holds what it panicked with. The driver's ends
    /// close first, so a game that calls its host again unwinds instead of blocking.
    pub(super) fn join(self) -> thread::Result<()> {
        let GameThread { baton, requests, thread } = self;
        drop((baton, requests));
        thread.join()
    }
}

/// A game thread's end of its channels: the [`Host`] its game is played against.
struct ThreadHost {
    baton: Receiver<Baton>,
    requests: Sender<Request>,
    /// For the CPU-bound exhibition, whose opponents think on this thread.
    exhibition: Exhibition,
}

impl ThreadHost {
    /// The thread's whole life: parked until the first baton, so no game moves before every
    /// thread exists; then the game. No baton ever (a later spawn failed): no game.
    fn run(mut self, board: u32, exhibition: &Exhibition, game: GameFn) {
        if let Ok(Baton::Play) = self.baton.recv() {
            // `Ok`: it said `game_over`. `Err(Adjourned)`: the time limit stopped it in a
            // host call. The driver has recorded either, and joins this thread as it ends.
            let _over_or_adjourned: Result<(), Adjourned> = game(board, exhibition, &mut self);
        }
    }

    /// Sends `request` and blocks this OS thread until the driver hands the baton back, or
    /// tells it the game is adjourned.
    fn ask(&mut self, request: Request) -> Result<(), Adjourned> {
        self.send(request);
        self.baton()
    }

    // Either end fails only when the driver has called the exhibition off and dropped its
    // ends: unwinding is the one way out of the middle of the game's loop.
    fn send(&mut self, request: Request) {
        if self.requests.send(request).is_err() {
            panic::resume_unwind(Box::new(CalledOff));
        }
    }

    fn baton(&mut self) -> Result<(), Adjourned> {
        match self.baton.recv() {
            Ok(Baton::Play) => Ok(()),
            Ok(Baton::Adjourned) => Err(Adjourned),
            Err(_) => panic::resume_unwind(Box::new(CalledOff)),
        }
    }
}

impl Host for ThreadHost {
    fn master_moves(&mut self, board: u32, pair: u32) -> Result<(), Adjourned> {
        let paused_at = Location::caller(); // `#[track_caller]`: the game's line
        self.ask(Request::MasterMove { board, pair, paused_at })
    }

    fn await_reply(&mut self, board: u32, pair: u32) -> Result<(), Adjourned> {
        self.send(Request::AwaitReply { board, pair, paused_at: Location::caller() });
        // CPU-bound: the opponent thinks on this thread, after the driver has the request, so
        // in parallel with the driver and with every other game thread thinking meanwhile.
        self.exhibition.opponent_thinks(board, pair);
        self.baton()
    }

    fn game_over(&mut self, board: u32) {
        let _ = self.requests.send(Request::GameOver { board }); // the last word: nothing to wait for
    }
}

/// What a thread whose game has ended in the trace (over, or adjourned) ended with. A panic
/// then has no event left to become: it is a bug in the game, raised again on the caller
/// (after the scope has joined every thread).
pub(super) fn ended(joined: thread::Result<()>) {
    if let Err(payload) = joined {
        if !payload.is::<CalledOff>() {
            panic::resume_unwind(payload);
        }
    }
}
