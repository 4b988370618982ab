//! Parallelism, measured: the CPU-bound exhibition, and how many cores each lane used.
//!
//! # What is measured
//!
//! In the CPU-bound exhibition ([`ExhibitionBuilder::opponents_think`]) each opponent's move
//! is also real computation, [`think`]: a deterministic workload of a fixed size, about a
//! millisecond of one core in a release build. Each lane does it where its own code waits for
//! the reply, and the virtual clock ignores it, so the trace is the same as ever. What
//! changes is the wall clock, and [`measure`] reads three figures for one lane:
//!
//! - **wall**: how long the lane took to play, on the wall clock;
//! - **CPU**: the processor time this process spent meanwhile, every thread of it, and that of
//!   its child processes reaped meanwhile (`/proc/self/stat`: `utime + stime + cutime +
//!   cstime`, in the kernel's ticks of 10 ms);
//! - **cores used**: CPU ÷ wall.
//!
//! A lane whose games run one at a time on one thread — sync, callbacks, the state machine,
//! generators, green threads, however cleverly they suspend — thinks one move after another:
//! one core at most. The threads and processes lanes think on each game's own thread or
//! process, after the game has handed the baton back, while the coordinator moves on to the
//! next board: every core the machine has.
//!
//! ## An async lane could use them all too
//!
//! By handing the computation to a thread pool: the game's `async fn` awaits
//! `spawn_blocking(move || think(board, pair))` (tokio's name; `blocking::unblock` in smol)
//! instead of thinking on the executor's thread, and the executor runs other games while the
//! pool thinks. It costs a trip to the pool and back for each move (a queue push, a thread
//! woken, a waker called: microseconds, where the thinking is a millisecond), a pool of
//! threads with their stacks, and the work's inputs and result must be `Send + 'static`. And
//! it needs an executor that can be woken from another thread; this crate's async lane is
//! single-threaded on purpose, so it thinks on its one thread, like every cooperative lane.
//!
//! # Example
//!
//! ```
//! use coro_simul::{Exhibition, cores, lanes::Lane};
//!
//! let steps = cores::THINKING_STEPS; // about a millisecond a move
//! let thinking = Exhibition::builder().opponents(3).pairs(2).opponents_think(steps).build()?;
//! let plain = Exhibition::builder().opponents(3).pairs(2).build()?;
//! // The same events: the thinking is on the wall clock, never on the virtual one.
//! assert_eq!(Lane::Generators.trace(&thinking)?.events(), Lane::Generators.trace(&plain)?.events());
//! let used = cores::measure(Lane::Generators, &thinking)?;
//! assert!(used.wall > std::time::Duration::ZERO);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`ExhibitionBuilder::opponents_think`]: crate::exhibition::ExhibitionBuilder::opponents_think

use std::time::{Duration, Instant};

use crate::Exhibition;
use crate::lanes::{Lane, LaneError};
use crate::trace::Summary;

/// The steps of one opponent's thinking. Chosen by timing [`think`] in a release build so
/// that a move's thinking takes about a millisecond on the machine the performance notes
/// describe (`docs/performance.md`, with the figures measured there): long beside a move's
/// bookkeeping in every lane, and short enough that a CPU-bound exhibition plays in seconds.
/// On another machine it takes longer or shorter, the same work; a debug build is several
/// times slower.
pub const THINKING_STEPS: u32 = 225_000;

/// One opponent's thinking over its reply to `pair` on `board`: `steps` rounds of a 64-bit
/// mix (splitmix64), each depending on the one before, so no compiler or processor can skip
/// or overlap them. The same work for every move, and the same result every time.
pub fn think(board: u32, pair: u32, steps: u32) -> u64 {
    let mut state = (u64::from(board) << 32) | u64::from(pair);
    for _ in 0..steps {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        state ^= z ^ (z >> 31);
    }
    state
}

/// The lanes that think where their own code waits for a reply: every lane, each game
/// calling [`Exhibition::opponent_thinks`] as it awaits its reply.
pub const THINKING_LANES: &[Lane] = Lane::ALL;

/// One lane's play of a CPU-bound exhibition, on the wall clock and the processor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CoresUsed {
    /// The lane.
    pub lane: Lane,
    /// How long it played on the wall clock.
    pub wall: Duration,
    /// The processor time spent meanwhile, by this process and the children it reaped.
    pub cpu: Duration,
}

impl CoresUsed {
    /// CPU ÷ wall: how many cores were busy on average.
    pub fn cores(&self) -> f64 {
        self.cpu.as_secs_f64() / self.wall.as_secs_f64().max(f64::MIN_POSITIVE)
    }
}

/// Plays `exhibition` in `lane` into a summary and reads the wall clock and the processor
/// time around it. Meant for a process doing nothing else meanwhile: every thread's time
/// counts.
///
/// # Errors
///
/// When the lane cannot play (the operating system refuses it a stack, a thread, a process).
pub fn measure(lane: Lane, exhibition: &Exhibition) -> Result<CoresUsed, LaneError> {
    let mut summary = Summary::new(exhibition);
    let (cpu_before, started) = (cpu_time(), Instant::now());
    lane.play(exhibition, &mut summary)?;
    let wall = started.elapsed();
    let cpu = cpu_time().saturating_sub(cpu_before);
    Ok(CoresUsed { lane, wall, cpu })
}

/// This process's processor time so far, its reaped children's included: fields 14 to 17 of
/// `/proc/self/stat`, in ticks of 1/100 s (Linux's `USER_HZ`). Zero where there is no `/proc`.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The command name, field 2, is in parentheses and may hold spaces: count after it.
    let after_name = stat.rsplit_once(") ").map_or("", |(_, rest)| rest);
    let ticks: u64 =
        after_name.split(' ').skip(11).take(4).filter_map(|field| field.parse::<u64>().ok()).sum();
    Duration::from_millis(ticks * 10)
}

/// The measurements as a table: lane, wall, CPU, cores used.
pub fn table(rows: &[CoresUsed]) -> String {
    let mut out = format!("{:<14} {:>9} {:>9} {:>11}\n", "lane", "wall", "CPU", "cores used");
    for row in rows {
        out += &format!(
            "{:<14} {:>7.3} s {:>7.3} s {:>11.2}\n",
            row.lane.name(),
            row.wall.as_secs_f64(),
            row.cpu.as_secs_f64(),
            row.cores(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thinking_is_deterministic_and_differs_by_move() {
        assert_eq!(think(3, 7, 1000), think(3, 7, 1000));
        assert_ne!(think(3, 7, 1000), think(7, 3, 1000));
    }

    #[test]
    fn cores_used_is_cpu_over_wall() {
        let row = CoresUsed {
            lane: Lane::Threads,
            wall: Duration::from_millis(500),
            cpu: Duration::from_millis(900),
        };
        assert!((row.cores() - 1.8).abs() < 1e-9);
        let table = table(&[row]);
        assert!(table.lines().nth(1).unwrap().starts_with("threads"), "{table}");
        assert!(table.ends_with("1.80\n"), "{table}");
    }

    /// Thinking is on the wall clock only: in every lane that thinks, the trace is the one
    /// without it, event for event, a failing board and a time limit included.
    #[test]
    fn thinking_leaves_every_trace_as_it_was() {
        crate::PlannedFailure::hush();
        let small = || Exhibition::builder().opponents(3).pairs(2);
        let limited = || small().time_limit(Duration::from_secs(100)).failure(2, 2);
        for builder in [small(), limited()] {
            let plain = builder.build().unwrap();
            let thinking = builder.opponents_think(THINKING_STEPS).build().unwrap();
            for &lane in THINKING_LANES {
                let [plain, thinking] = [plain, thinking].map(|ex| lane.trace(&ex).unwrap());
                assert_eq!(plain.events(), thinking.events(), "{lane}");
            }
        }
    }

    /// The reading is this process's: work done on this thread shows up in it, a tick of
    /// 10 ms at a time. No fixed amount of work is sure to reach a tick on a busy machine, so
    /// the test works until the reading grows, and fails only past a deadline of seconds.
    #[test]
    fn processor_time_counts_this_process() {
        let before = cpu_time();
        let deadline = Instant::now() + Duration::from_secs(5);
        while cpu_time() <= before {
            assert!(Instant::now() < deadline, "5 s of work and the processor time never grew");
            std::hint::black_box(think(1, 1, 1000));
        }
    }
}
