//! [`GreenThread`]: one game on its own stack (a corosensei coroutine), and the [`Host`] the
//! game sees there, whose every call suspends the green thread with a [`Request`].

use std::fmt;
use std::io;
use std::panic::Location;

use corosensei::stack::DefaultStack;
use corosensei::{Coroutine, CoroutineResult, Yielder};

use crate::lanes::plain_game::{Adjourned, Host};

/// What a paused green thread asks its driver for: one variant per [`Host`] method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    /// Resume me when the master has made her move of `pair` on `board`.
    MasterMove {
        /// The board, from 1.
        board: u32,
        /// The move pair, from 1.
        pair: u32,
        /// The game's line that waits: a pointer, as the green thread shares the driver's
        /// memory.
        paused_at: &'static Location<'static>,
    },
    /// Resume me when the opponent's reply to `pair` has landed.
    AwaitReply {
        /// The board, from 1.
        board: u32,
        /// The move pair, from 1.
        pair: u32,
        /// The game's line that waits.
        paused_at: &'static Location<'static>,
    },
    /// The game on `board` is over; resume me to let the green thread finish.
    GameOver {
        /// The board, from 1.
        board: u32,
    },
}

/// One game on its own stack, paused wherever it last made a [`Request`].
///
/// # Example
///
/// The game suspends inside `Host::await_reply`, a plain call nested in
/// [`game`](crate::lanes::plain_game::game):
///
/// ```
/// use coro_simul::lanes::green_threads::{GreenThread, Request, STACK_SIZE};
/// use coro_simul::lanes::plain_game::{Host, game};
///
/// let exhibition = coro_simul::Exhibition::builder().opponents(7).pairs(1).build()?;
/// let body = move |host: &mut dyn Host| game(7, &exhibition, host).unwrap();
/// let mut thread = GreenThread::spawn(STACK_SIZE, body)?;
/// assert!(matches!(thread.resume(), Some(Request::MasterMove { board: 7, pair: 1, .. })));
/// let Some(Request::AwaitReply { board: 7, pair: 1, paused_at }) = thread.resume() else {
///     panic!("the game waits for its reply after the master's move")
/// };
/// assert!(paused_at.file().ends_with("plain_game.rs")); // the game's line, not the host's
/// assert_eq!(thread.resume(), Some(Request::GameOver { board: 7 }));
/// assert_eq!(thread.resume(), None); // `game` returned
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct GreenThread {
    coroutine: Coroutine<(), Request, (), DefaultStack>,
}

impl GreenThread {
    /// Creates a green thread that will run `body` on a fresh stack of at least `stack_size`
    /// bytes (plus a guard page). Nothing runs until the first [`resume`](Self::resume).
    ///
    /// # Errors
    ///
    /// When the operating system refuses the stack's memory mappings (see the
    /// [lane's docs](super#what-a-paused-game-costs)).
    pub fn spawn(
        stack_size: usize,
        body: impl FnOnce(&mut dyn Host) + 'static,
    ) -> io::Result<GreenThread> {
        let stack = DefaultStack::new(stack_size)?;
        let coroutine = Coroutine::with_stack(stack, move |yielder: &Yielder<(), Request>, ()| {
            body(&mut GreenHost { yielder })
        });
        Ok(GreenThread { coroutine })
    }

    /// Switches to the green thread (greenlet's `switch`) and runs it until its next request;
    /// `None` when its body has returned.
    ///
    /// # Panics
    ///
    /// If the body has already returned, or panics itself (the panic carries on here).
    pub fn resume(&mut self) -> Option<Request> {
        match self.coroutine.resume(()) {
            CoroutineResult::Yield(request) => Some(request),
            CoroutineResult::Return(()) => None,
        }
    }
}

impl fmt::Debug for GreenThread {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GreenThread")
            .field("started", &self.coroutine.started())
            .field("done", &self.coroutine.done())
            .finish()
    }
}

/// The host a green thread's game sees: every call suspends the green thread with a request,
/// and returns when the driver resumes it. The `yielder` is handed down from the
/// coroutine's closure, so the game can suspend from any depth without any global state.
///
/// No call ever returns `Err(Adjourned)`: at the time limit the driver does not wake a
/// paused game to tell it, it drops the green thread, and the pending `suspend` unwinds.
struct GreenHost<'y> {
    yielder: &'y Yielder<(), Request>,
}

impl Host for GreenHost<'_> {
    fn master_moves(&mut self, board: u32, pair: u32) -> Result<(), Adjourned> {
        let paused_at = Location::caller(); // `#[track_caller]`: the game's line
        self.yielder.suspend(Request::MasterMove { board, pair, paused_at });
        Ok(())
    }

    fn await_reply(&mut self, board: u32, pair: u32) -> Result<(), Adjourned> {
        // gevent's monkey-patched `time.sleep`: looks like blocking, really switches away.
        let paused_at = Location::caller();
        self.yielder.suspend(Request::AwaitReply { board, pair, paused_at });
        Ok(())
    }

    fn game_over(&mut self, board: u32) {
        self.yielder.suspend(Request::GameOver { board });
    }
}
