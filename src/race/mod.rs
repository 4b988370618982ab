//! The race: every chosen lane plays the same exhibition at once, each on its own OS thread
//! and its own [`ScaledClock`], so the schedule can be watched as it happens.
//!
//! # How it works
//!
//! [`Race::start`] gives every lane a thread. There the lane plays exactly as it does on the
//! virtual clock — same driver, same games, same trace — but on a [`ScaledClock`]: after
//! every move of the lane's clock, the thread sleeps until the wall clock has caught up at
//! the race's [`Speed`]. The master's 5 s move at 3600x really occupies the lane's thread for
//! 1.4 ms; a wait of 55 s for a reply really sleeps 15 ms.
//!
//! ```text
//!   thread "race sync"        ──► sync::play_on(ScaledClock)        ─► (ProgressSink, Summary)
//!   thread "race callbacks"   ──► callbacks::play_on(ScaledClock)   ─► (ProgressSink, Summary)
//!   ...                                                                       │ atomics
//!   the calling thread: every 50 ms, read each lane's Progress ◄──────────────┘
//!                       and redraw its bar (or print a line); at the end, join, table
//! ```
//!
//! The lanes do not know they are racing: they report to a tee of two ordinary sinks, a
//! [`ProgressSink`] that counts into a lane's shared [`Progress`] (a few atomics), and a
//! [`Summary`]. What you see is read from those counters by whoever watches, [`watch`] for
//! the command line. When every thread is done, [`Race::finish`] joins them and hands back
//! each lane's [`Finish`]: its summary and its wall time, next to the time it should have
//! taken, its exhibition total (from its own summary) divided by the speed. A lane is never
//! early; it is late by what its own work costs on this machine (for the threads lane, a
//! trip through the kernel per handoff).
//!
//! At the default 3600x the synchronous lane takes 12 s and every concurrent lane about 1 s.
//!
//! # Stopping
//!
//! A lane cannot be stopped mid-game from outside (no lane checks for it, on purpose: the
//! lanes stay unaware of the race). So [`watch`] takes a stop flag instead, which the command
//! line's Ctrl-C handler sets: the watcher clears its bars and returns
//! [`Watched::Stopped`] within 50 ms, and the command prints one line on stderr and exits
//! with code 130, the shell's code for Ctrl-C. The lanes' threads are not joined; they end
//! with the process. That is what "cleanly" means here: the terminal is left as it was (the
//! bars never hide the cursor or change the terminal's mode, and are cleared), the exit code
//! says the race did not finish, and nothing was being written but the terminal.
//!
//! [`ScaledClock`]: crate::clock::ScaledClock
//! [`Speed`]: crate::clock::Speed
//! [`Summary`]: crate::trace::Summary
//!
//! # Example
//!
//! ```
//! use coro_simul::{Exhibition, clock::Speed, lanes::Lane, race::Race};
//!
//! let exhibition = Exhibition::builder().opponents(3).pairs(2).build()?;
//! let speed: Speed = "100000x".parse()?;
//! let finishes = Race::start(&exhibition, &[Lane::Sync, Lane::Generators], speed)?.finish();
//! let sync = &finishes[0];
//! assert_eq!(sync.outcome.clone()?.total().as_secs(), 360); // 6 minutes of exhibition ...
//! assert!(sync.wall >= sync.expected().unwrap()); // ... in at least 3.6 ms of wall time
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod progress;
mod threads;
mod watch;

use std::fmt::Write as _;

pub use progress::{Progress, ProgressSink};
pub use threads::{Finish, Race};
pub use watch::{Show, Watched, watch};

use crate::clock::hms;
use crate::units;

/// The finishes as an aligned table: each lane's exhibition time, the wall time it should
/// take at the race's speed, the wall time it took, and how much later than expected it was.
pub fn table(finishes: &[Finish]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<14} {:>10} {:>11} {:>11} {:>10}",
        "lane", "exhibition", "expected", "wall", "late by"
    );
    for finish in finishes {
        let name = finish.lane.name();
        let _ = match &finish.outcome {
            Ok(summary) => {
                let expected = finish.speed.wall(summary.total());
                writeln!(
                    out,
                    "{name:<14} {:>10} {:>11} {:>11} {:>10}",
                    hms(summary.total(), 0),
                    units::wall(expected, 3),
                    units::wall(finish.wall, 3),
                    units::wall(finish.wall.saturating_sub(expected), 3),
                )
            }
            Err(error) => writeln!(out, "{name:<14} cannot play: {error}"),
        };
    }
    out
}
