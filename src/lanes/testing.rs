//! What the lanes' own tests share.

/// For the lanes' tests: a game holds one across its waits, and as it is dropped it counts
/// the games dropped before they were over — paused games cancelled, their destructors run.
pub(crate) struct PausedGuard<'a> {
    dropped_paused: &'a std::cell::Cell<u32>,
    over: bool,
}

impl<'a> PausedGuard<'a> {
    /// A guard for a game that has not finished, counting into `dropped_paused`.
    pub(crate) fn new(dropped_paused: &'a std::cell::Cell<u32>) -> PausedGuard<'a> {
        PausedGuard { dropped_paused, over: false }
    }

    /// The game is over: dropping the guard now counts nothing.
    pub(crate) fn over(&mut self) {
        self.over = true;
    }
}

impl Drop for PausedGuard<'_> {
    fn drop(&mut self) {
        if !self.over {
            self.dropped_paused.set(self.dropped_paused.get() + 1);
        }
    }
}
