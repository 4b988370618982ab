//! The measured table: every lane on a large exhibition, each in a fresh process, and what it
//! cost on this machine — time, memory, and how many games the machine would hold at all.
//!
//! # What is measured
//!
//! For each lane and each exhibition size (`--boards`, smallest first), [`run`] asks the
//! `child` closure it is given for one measurement, made in a fresh process. The command
//! line's `scale` answers by starting the program again as a child process that calls
//! [`measure`] (how it starts the child and reads what the child prints is stated once, in
//! that command's file). [`measure`] plays the exhibition into the summary-only sink and
//! reports three readings of its own process, from `/proc/self/status`:
//!
//! - **wall**: the time [`Lane::summary`] took, nothing else (not the process start);
//! - **baseline**: the resident memory (`VmRSS`) just before playing, after resetting the
//!   kernel's peak counter (`5` written to `/proc/self/clear_refs`);
//! - **peak**: the highest resident memory (`VmHWM`) from then until the end of the play.
//!
//! **Bytes per paused game** is `(peak − baseline) / boards`. Every concurrent lane makes all
//! of its games before the first move and each game lives until its last reply, so at the
//! peak all `n` games exist at once, all paused but the one the master is at. The figure is
//! what holding them cost the process: the paused games themselves *and* the driver's
//! per-game bookkeeping (a slot in the ready queue, a waker, a timer entry) and the
//! allocator's slack, counted in whole 4 KiB pages. It is not `size_of` the game's state
//! (each lane's docs give that). Resident memory counts only pages touched, so a stack
//! counts for the pages its game used, not the size reserved; the kernel's own stack for
//! each OS thread (16 KiB on x86-64 Linux) is not in any process's resident memory and is
//! not counted. The sync lane holds one game at a time and never pauses one: no figure. At a
//! few thousand boards a page more or less moves the figure by bytes per game; read it at
//! 100 000 boards and more.
//!
//! **Processes.** The processes lane's games live in processes of their own, which this
//! process's resident memory does not show, so the lane counts them itself
//! ([`play_counted`](crate::lanes::processes::play_counted)): the time from the first
//! process started to the last one ready, and the resident memory of every game's process
//! once all are ready, each its proportional share (`Pss`), so that the program's code,
//! shared by all, counts once. Its bytes per paused game add that memory to the parent's
//! growth, and a line under the table gives one process's start and memory.
//!
//! A lane plays a size only if it played the smaller ones; the largest size it played is the
//! **most games held**, and the size it could not play is reported with the reason (the
//! child's one-line error, such as the green threads' `vm.max_map_count`, or the signal that
//! killed it). At that largest size the lane plays `runs` times in all, and the row shows the
//! medians. **× state-machine** divides the lane's median wall time by the state-machine
//! lane's at the same size, in the same invocation: the state-machine lane always plays, as
//! the floor. Ratios in one run are what to compare; absolute times move with the machine's
//! load, which the table's header reports.
//!
//! [`Lane::summary`]: crate::lanes::Lane::summary
//!
//! # Example
//!
//! [`measure`] is what each child does; `coro-simul scale` has it done in a fresh process for
//! every lane and size, through [`run`].
//!
//! ```
//! use coro_simul::{Exhibition, lanes::Lane, scale::measure};
//!
//! let exhibition = Exhibition::builder().opponents(1_000).build()?;
//! let measured = measure(Lane::StateMachine, &exhibition)?;
//! assert_eq!(measured.boards, 1_000);
//! assert_eq!(measured.suspensions, 1_000 * 60); // every wait, two a pair
//! if let Some(bytes) = measured.bytes_per_paused_game() {
//!     assert!(bytes < 4096); // a 16-byte enum and a queue slot, in whole pages
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Layout
//!
//! - `plan.rs`: what to measure ([`Plan`]): lanes, sizes, runs.
//! - `measure.rs`: measuring one lane inside this process ([`measure`], [`Measurement`]).
//! - `run.rs`: which measurement comes when ([`run`]): each lane climbs the sizes, repeats
//!   its largest, and the floor follows.
//! - `report.rs`: what was measured ([`Report`], [`Row`]), and its medians.
//! - `output.rs`: the report as Markdown or JSON.

mod measure;
mod output;
mod plan;
mod report;
mod run;

pub use measure::{Measurement, measure};
pub use output::{json, markdown};
pub use plan::Plan;
pub use report::{Report, Row};
pub use run::run;
