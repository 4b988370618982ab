//! Ctrl-C during a race: a flag the handler raises and the race's watcher reads.
//!
//! The lanes cannot be stopped mid-game (they do not know they race), so the handler only
//! raises the flag; the watcher clears its bars and returns, and the process ends with the
//! lanes' threads still in it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::error::CliError;

/// A flag that Ctrl-C raises from now on, for the rest of the process.
///
/// # Errors
///
/// If the handler cannot be set (one is already set, or the system refuses).
pub(crate) fn raised_by_ctrl_c() -> Result<Arc<AtomicBool>, CliError> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed)).map_err(
        |error| match error {
            // The handler runs on a thread of its own, which the OS may refuse.
            ctrlc::Error::System(error) => CliError::no_thread("catch Ctrl-C", &error),
            error => CliError::System { needed: "catch Ctrl-C", error: Box::new(error) },
        },
    )?;
    Ok(stop)
}
