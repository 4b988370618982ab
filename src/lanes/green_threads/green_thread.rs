//! [`GreenThread`]: one game on its own stack (a corosensei coroutine), the spare stacks it
//! starts on and gives back, and the [`Host`] the game sees there, whose every call suspends
//! the green thread with a [`Request`].

use std::cell::RefCell;
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
    /// The game's coroutine; `None` only inside `drop`, which takes it apart for its stack.
    coroutine: Option<Coroutine<(), Request, (), DefaultStack>>,
    /// The size asked for its stack, to give the stack back as one of that size.
    stack_size: usize,
}

impl GreenThread {
    /// Creates a green thread that will run `body` on a stack of at least `stack_size` bytes
    /// (plus a guard page): a spare one left by a green thread that ended on this thread, or
    /// else a fresh one from the OS. Nothing runs until the first [`resume`](Self::resume).
    ///
    /// # Errors
    ///
    /// When the operating system refuses the stack's memory mappings (see the
    /// [lane's docs](super#what-it-costs)).
    pub fn spawn(
        stack_size: usize,
        body: impl FnOnce(&mut dyn Host) + 'static,
    ) -> io::Result<GreenThread> {
        let stack = SpareStacks::take(stack_size)?;
        let coroutine = Coroutine::with_stack(stack, move |yielder: &Yielder<(), Request>, ()| {
            body(&mut GreenHost { yielder })
        });
        Ok(GreenThread { coroutine: Some(coroutine), stack_size })
    }

    /// Switches to the green thread (greenlet's `switch`) and runs it until its next request;
    /// `None` when its body has returned.
    ///
    /// # Panics
    ///
    /// If the body has already returned, or panics itself (the panic carries on here).
    pub fn resume(&mut self) -> Option<Request> {
        let coroutine = self.coroutine.as_mut().expect("only `drop` takes the coroutine");
        match coroutine.resume(()) {
            CoroutineResult::Yield(request) => Some(request),
            CoroutineResult::Return(()) => None,
        }
    }
}

impl Drop for GreenThread {
    /// Unwinds the green thread if it is paused (corosensei resumes it with a private panic,
    /// dropping every value on its stack), then keeps its stack for the next green thread.
    fn drop(&mut self) {
        let Some(mut coroutine) = self.coroutine.take() else { return };
        coroutine.force_unwind();
        SpareStacks::give_back(self.stack_size, coroutine.into_stack());
    }
}

impl fmt::Debug for GreenThread {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let coroutine = self.coroutine.as_ref();
        f.debug_struct("GreenThread")
            .field("started", &coroutine.is_some_and(|c| c.started()))
            .field("done", &coroutine.is_none_or(|c| c.done()))
            .finish()
    }
}

/// The most stacks kept spare on one thread: enough for the exhibitions this crate plays
/// (24 boards by default, 1 000 in the benchmark's setup), and a bound on what they hold back
/// from the OS, 1 024 × 2 memory mappings and the pages their games touched.
const MAX_SPARE_STACKS: usize = 1_024;

thread_local! {
    /// The stacks of the green threads that ended on this thread, ready for the next ones
    /// made here; freed when the thread exits.
    static SPARE_STACKS: RefCell<SpareStacks> = const { RefCell::new(SpareStacks::EMPTY) };
}

/// Stacks kept for reuse, all asked for with the same `size`: making a stack costs three
/// system calls (map it, protect its guard page, later unmap it) and a page fault on its
/// first use, far more than a game's move pair; reusing one costs none of them.
///
/// Rules: a stack is given back only once its green thread is done (returned, failed, or
/// unwound), so no paused game's frames are ever on a spare stack; spare stacks of another
/// size are freed when a stack of a new size is given back; at most [`MAX_SPARE_STACKS`].
struct SpareStacks {
    size: usize,
    stacks: Vec<DefaultStack>,
}

impl SpareStacks {
    const EMPTY: SpareStacks = SpareStacks { size: 0, stacks: Vec::new() };

    /// A stack of `size`: a spare one if this thread has one, else a new one from the OS.
    fn take(size: usize) -> io::Result<DefaultStack> {
        let spare = SPARE_STACKS
            .with_borrow_mut(|spare| if spare.size == size { spare.stacks.pop() } else { None });
        spare.map_or_else(|| DefaultStack::new(size), Ok)
    }

    /// Keeps the `stack` of a green thread that asked for `size` and is done.
    fn give_back(size: usize, stack: DefaultStack) {
        // While this thread exits its spare stacks are gone: then `stack` is freed instead.
        let _ = SPARE_STACKS.try_with(|spare| {
            let mut spare = spare.borrow_mut();
            if spare.size != size {
                *spare = SpareStacks { size, stacks: Vec::new() };
            }
            if spare.stacks.len() < MAX_SPARE_STACKS {
                spare.stacks.push(stack);
            }
        });
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

#[cfg(test)]
mod tests {
    use super::{GreenThread, Request, SPARE_STACKS};

    /// How many stacks this test's thread keeps spare, and for which size.
    fn spare() -> (usize, usize) {
        SPARE_STACKS.with_borrow(|spare| (spare.stacks.len(), spare.size))
    }

    /// Every test runs on a thread of its own, so its spare stacks start empty.
    #[test]
    fn a_green_thread_that_is_done_leaves_its_stack_to_the_next_one_of_its_size() {
        let (size, other) = (16 * 1024, 32 * 1024);
        let paused = |size| {
            let mut thread = GreenThread::spawn(size, |host| host.game_over(1)).unwrap();
            assert_eq!(thread.resume(), Some(Request::GameOver { board: 1 }));
            thread
        };
        drop(paused(size)); // unwound where it paused, then its stack kept
        assert_eq!(spare(), (1, size));
        let mut next = paused(size); // on the spare stack
        assert_eq!(spare(), (0, size));
        assert_eq!(next.resume(), None); // returned
        drop(next);
        assert_eq!(spare(), (1, size));
        drop(paused(other)); // a fresh stack: the spare one is of another size
        assert_eq!(spare(), (1, other), "only stacks of the last size given back are kept");
    }
}
