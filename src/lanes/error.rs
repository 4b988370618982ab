//! [`LaneError`]: what a lane reports when the operating system refuses what it needs, and
//! the messages for each such refusal, which name the limit and how to raise it.

use std::fmt;
use std::io;
use std::path::Path;

use super::lane::Lane;
use super::room;
use crate::units;

/// A lane could not play: the operating system refused what it needs, such as a stack or a
/// thread for every game. The message names the limit and how to raise it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaneError {
    lane: Lane,
    message: String,
}

impl LaneError {
    /// `lane` could not play, for the reason in `message` (which should say what to do).
    pub fn new(lane: Lane, message: impl Into<String>) -> LaneError {
        LaneError { lane, message: message.into() }
    }

    /// The lane that failed.
    pub fn lane(&self) -> Lane {
        self.lane
    }

    /// The threads lane refuses `boards` games past its `cap` of threads, each with a stack of
    /// `stack_size` bytes: the cap, why, and what to do.
    pub(super) fn too_many_threads(boards: u32, cap: u32, stack_size: usize) -> LaneError {
        LaneError::new(
            Lane::Threads,
            format!(
                "{boards} boards would need {boards} OS threads, and this lane starts at most \
                 {cap} threads (each a kernel task with a {} KiB stack): play fewer \
                 --opponents, or a lane whose paused game is not a thread (green-threads, \
                 async-await)",
                stack_size / 1024,
            ),
        )
    }

    /// The OS refused the thread for `board` of `boards`: what happened, and the limits, with
    /// their values here where Linux shows them.
    pub(super) fn thread_refused(board: u32, boards: u32, error: &io::Error) -> LaneError {
        let whole = |text: &str| Some(text.trim().to_owned());
        let soft_nproc = |text: &str| {
            let line = text.lines().find_map(|line| line.strip_prefix("Max processes"))?;
            line.split_whitespace().next().map(str::to_owned)
        };
        LaneError::new(
            Lane::Threads,
            format!(
                "the OS refused the thread for board {board} of {boards} ({error}). Threads are \
                 limited per user by `ulimit -u`{}, system-wide by /proc/sys/kernel/threads-max{} \
                 and a container's pids.max, by vm.max_map_count{} at four mappings a thread, and \
                 by memory: play fewer --opponents, or raise the limit",
                here("/proc/self/limits", soft_nproc),
                here("/proc/sys/kernel/threads-max", whole),
                here("/proc/sys/vm/max_map_count", whole),
            ),
        )
    }

    /// `boards` boards, needing `need` bytes at `each` a board and what they share, do not
    /// fit what this process can reserve under `limit` (in words); `fits` boards would.
    pub(super) fn no_room(
        lane: Lane,
        (boards, fits): (u32, u32),
        need: usize,
        each: usize,
        limit: &str,
    ) -> LaneError {
        let fit = if fits == 1 { "board fits" } else { "boards fit" };
        LaneError::new(
            lane,
            format!(
                "{boards} boards need about {} in this lane ({} each, and what they share), \
                 more than this process can reserve under {limit}: about {fits} {fit}; play \
                 fewer --opponents, or raise the limit",
                units::megabytes(need as u64),
                units::bytes(each as u64),
            ),
        )
    }

    /// The OS refused the stack for green thread `board` of `opponents`: what happened, and
    /// the limit that was actually hit, told apart by what `/proc` shows: the memory mappings
    /// at `vm.max_map_count`, else the address-space limit (`ulimit -v`) when one is set,
    /// else memory.
    pub(super) fn stack_refused(board: u32, opponents: u32, error: &io::Error) -> LaneError {
        let read = |path: &str| std::fs::read_to_string(path).ok();
        let mappings = mappings();
        let max_map_count = read("/proc/sys/vm/max_map_count").and_then(|n| n.trim().parse().ok());
        let why = match (mappings, max_map_count, room::address_space_limit()) {
            // Each stack takes two mappings, and the one refused was undone: within a few of the
            // limit means it was the limit (a map or two also comes and goes with the heap).
            (Some(used), Some(max), _) if used + 16 > max => format!(
                "each stack takes two memory mappings, and vm.max_map_count limits them \
                 (65530 by default, here {max}, about {} green threads): raise it with \
                 `sudo sysctl -w vm.max_map_count=262144`, or play fewer opponents",
                max / 2
            ),
            (_, _, Some(limit)) => format!(
                "each stack reserves its size and a guard page of address space, and the \
                 address-space limit (`ulimit -v`, here {} KiB) is reached: raise it, or play \
                 fewer opponents",
                limit / 1024
            ),
            _ => "each stack reserves its size and a guard page, and the system lends no more \
                  memory: play fewer opponents"
                .to_owned(),
        };
        LaneError::new(
            Lane::GreenThreads,
            format!(
                "the OS refused a stack for green thread {board} of {opponents} ({error}); {why}"
            ),
        )
    }

    /// The processes lane refuses `boards` games past its `cap` of processes: the cap, why,
    /// and what to do.
    pub(super) fn too_many_processes(boards: u32, cap: u32) -> LaneError {
        LaneError::new(
            Lane::Processes,
            format!(
                "{boards} boards would need {boards} OS processes, and this lane starts at most \
                 {cap} (each a whole program with its own memory): play fewer --opponents, or a \
                 lane whose paused game is not a process (threads, async-await)"
            ),
        )
    }

    /// The OS refused the process for `board` of `boards`: what happened, and the limits,
    /// with the per-user one's value here where Linux shows it.
    pub(super) fn process_refused(board: u32, boards: u32, error: &io::Error) -> LaneError {
        let soft_nproc = |text: &str| {
            let line = text.lines().find_map(|line| line.strip_prefix("Max processes"))?;
            line.split_whitespace().next().map(str::to_owned)
        };
        LaneError::new(
            Lane::Processes,
            format!(
                "the OS refused the process for board {board} of {boards} ({error}). Processes \
                 are limited per user by `ulimit -u`{}, system-wide by \
                 /proc/sys/kernel/pid_max and a container's pids.max, and by memory: play fewer \
                 --opponents, or raise the limit",
                here("/proc/self/limits", soft_nproc),
            ),
        )
    }

    /// The program started as board `board`'s process did not become a game's process: it
    /// never called the worker entry, so it cannot play this lane.
    pub(super) fn not_a_game_process(program: &Path, board: u32) -> LaneError {
        LaneError::new(
            Lane::Processes,
            format!(
                "{} was started again to play board {board} but did not serve as a game's \
                 process: a program that plays this lane calls \
                 coro_simul::lanes::processes::serve_if_child() first in its main (a test \
                 binary, from a test named coro_simul_processes_worker)",
                program.display(),
            ),
        )
    }
}

/// How many memory mappings this process has: the lines of `/proc/self/maps`, counted through
/// a buffer on the stack, since at `vm.max_map_count` a heap buffer large enough to read the
/// file whole would itself need a mapping the kernel refuses.
fn mappings() -> Option<usize> {
    let mut maps = std::fs::File::open("/proc/self/maps").ok()?;
    let mut buffer = [0u8; 4096];
    let mut lines = 0;
    loop {
        match io::Read::read(&mut maps, &mut buffer).ok()? {
            0 => return Some(lines),
            read => lines += buffer[..read].iter().filter(|&&byte| byte == b'\n').count(),
        }
    }
}

/// ` (here VALUE)`, with the value `pick` finds in the file at `path`; nothing where there is
/// no such file (not Linux) or no such value.
fn here(path: &str, pick: impl Fn(&str) -> Option<String>) -> String {
    let value = std::fs::read_to_string(path).ok().and_then(|text| pick(&text));
    value.map(|value| format!(" (here {value})")).unwrap_or_default()
}

impl fmt::Display for LaneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.lane, self.message)
    }
}

impl std::error::Error for LaneError {}
