//! Room to play: before a lane's first move, whether this process can reserve the memory
//! the exhibition needs in that lane; if not, a [`LaneError`] that says how many boards fit
//! and which limit said no, instead of an abort halfway through.
//!
//! Every lane keeps something per board — a small state, a heap frame, a stack — and
//! allocates it as play goes. Rust's allocations abort the process when the system refuses
//! them ("memory allocation of N bytes failed"). So the check asks first, the fallible way:
//! [`Vec::try_reserve_exact`] of what the boards need, at a generous estimate per board,
//! released at once (the pages are never touched, so this costs an `mmap` and a `munmap`,
//! not memory). When that fails, a binary search of the same kind finds how many boards
//! would fit.
//!
//! Reading the limits needs no `unsafe`: the address-space limit (`ulimit -v`) is the "Max
//! address space" line of `/proc/self/limits`; without one, the refusal comes from how much
//! the system will lend (its RAM, swap and `vm.overcommit_memory`).

use super::error::LaneError;
use super::lane::Lane;
use super::{green_threads, threads};
use crate::Exhibition;
use crate::units;

/// Reserved beyond the boards' own memory, for what every run needs besides: the sink, the
/// driver's queues at their largest, the allocator's own bookkeeping.
const HEADROOM: usize = 16 << 20;

/// A page: the guard below every stack.
const PAGE: usize = 4096;

/// What `lane` may reserve per board at most: generous estimates, not measurements, set above what
/// `scale` measures a paused game to cost (its queue entries and the growth of the vectors that
/// hold them included), so that a refusal comes here and not mid-play. `None` for a lane whose
/// memory does not grow with the boards.
fn bytes_per_board(lane: Lane) -> Option<usize> {
    Some(match lane {
        Lane::Sync => return None, // one game at a time
        Lane::StateMachine => 256,
        Lane::Callbacks => 512,
        Lane::Generators | Lane::AsyncAwait => 1024,
        // A stack and its guard page, and the driver's share.
        Lane::GreenThreads => green_threads::STACK_SIZE + PAGE + 1024,
        // A stack and its guard page, the signal stack Rust gives every thread and its guard
        // page, the thread's own bookkeeping, and the driver's share.
        Lane::Threads => threads::STACK_SIZE + PAGE + 4 * PAGE + 16 * 1024,
        // Each game is a process of its own, with its own memory: this process keeps only
        // the child's handle, its socket with an 8 KiB read buffer, and the driver's share.
        Lane::Processes => 16 * 1024,
    })
}

/// Checks that this process can reserve what `exhibition` needs in `lane`.
///
/// # Errors
///
/// A [`LaneError`] saying how many boards fit, and which limit said no.
pub(super) fn check(lane: Lane, exhibition: &Exhibition) -> Result<(), LaneError> {
    match bytes_per_board(lane) {
        Some(each) => check_bytes(lane, exhibition.opponents(), each),
        None => Ok(()),
    }
}

/// [`check`], for a caller that keeps more per board than the lane alone (a pitfall keeps
/// both versions' traces): `extra` bytes a board on top of the lane's own.
///
/// # Errors
///
/// As for [`check`].
pub(crate) fn check_with(
    lane: Lane,
    exhibition: &Exhibition,
    extra: usize,
) -> Result<(), LaneError> {
    let each = bytes_per_board(lane).unwrap_or(0).saturating_add(extra);
    check_bytes(lane, exhibition.opponents(), each)
}

/// Checks that `boards` boards of `each` bytes can be reserved, or finds how many can.
fn check_bytes(lane: Lane, boards: u32, each: usize) -> Result<(), LaneError> {
    let needs = |boards: u32| {
        let shared = HEADROOM.checked_add(arenas(lane, boards))?;
        (boards as usize).checked_mul(each)?.checked_add(shared)
    };
    if can_reserve(needs(boards)) {
        return Ok(());
    }
    // The largest count that fits, by halving the range between one that fits and one that
    // does not: about 32 reservations for a `u32` of boards.
    let (mut fits, mut refused) = (0, boards);
    while refused - fits > 1 {
        let middle = fits + (refused - fits) / 2;
        if can_reserve(needs(middle)) { fits = middle } else { refused = middle }
    }
    let need = needs(boards).unwrap_or(usize::MAX);
    Err(LaneError::no_room(lane, (boards, fits), need, each, &limit()))
}

/// What the C allocator reserves for `boards` OS threads: glibc gives each new thread that
/// allocates a heap of its own (an arena, 64 MiB of address space) until there are eight
/// per core. Only the threads lane starts a thread per board; under an address-space limit,
/// these arenas are what runs out first.
fn arenas(lane: Lane, boards: u32) -> usize {
    if lane != Lane::Threads {
        return 0;
    }
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    (boards as usize).min(8 * cores).saturating_mul(64 << 20)
}

/// Whether `bytes` can be reserved now; `None` (more than a `usize`) cannot.
fn can_reserve(bytes: Option<usize>) -> bool {
    bytes.is_some_and(|bytes| Vec::<u8>::new().try_reserve_exact(bytes).is_ok())
}

/// The limit that refused, in words: the address-space limit with its value, where one is
/// set, else the memory the system lends.
fn limit() -> String {
    match address_space_limit() {
        Some(bytes) => format!(
            "the address-space limit (`ulimit -v`, here {} KiB, {})",
            bytes / 1024,
            units::megabytes(bytes)
        ),
        None => "the memory this system will lend a process (its RAM and swap, under \
                 vm.overcommit_memory)"
            .to_owned(),
    }
}

/// This process's soft address-space limit in bytes, from `/proc/self/limits`; `None` when
/// it is unlimited or cannot be read (not Linux).
pub(crate) fn address_space_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find_map(|line| line.strip_prefix("Max address space"))?;
    line.split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_exhibition_has_room_and_an_impossible_one_is_told_how_many_fit() {
        let small = Exhibition::builder().opponents(1_000).pairs(1).build().unwrap();
        assert_eq!(check(Lane::StateMachine, &small), Ok(()));
        // u32::MAX green threads of 21 KiB: 90 TB, more than any address space lends.
        let moves = std::time::Duration::from_nanos(1);
        let huge = Exhibition::new(u32::MAX, moves, moves, 1).unwrap();
        let refused = check(Lane::GreenThreads, &huge).unwrap_err().to_string();
        assert!(refused.starts_with("green-threads: 4294967295 boards need"), "{refused}");
        assert!(refused.contains("boards fit"), "{refused}");
        assert_eq!(check(Lane::Sync, &huge), Ok(()), "sync plays one game at a time");
    }
}
