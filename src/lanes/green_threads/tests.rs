//! The green-threads lane's own tests: a guarded game, played through the lane's private
//! `play_games_on`, to see stacks unwound at the time limit and on a forfeit; and a stack
//! size no OS grants, to see the error.

use std::cell::Cell;
use std::time::Duration;

use super::{STACK_SIZE, play_games_on};
use crate::clock::VirtualClock;
use crate::lanes::error::LaneError;
use crate::lanes::lane::Lane;
use crate::lanes::plain_game::{Adjourned, GameFn, Host, game};
use crate::trace::Trace;
use crate::{Exhibition, PlannedFailure};

/// The lane with `game` on every green thread, on the virtual clock.
fn play_games(ex: &Exhibition, trace: &mut Trace, game: GameFn) -> Result<(), LaneError> {
    play_games_on(ex, VirtualClock::new(), trace, STACK_SIZE, game)
}

thread_local! {
    /// Guards dropped on this test's thread (every green thread runs on it): (as their game
    /// returned, while a stack unwound). Each test starts by resetting them.
    static DROPPED: Cell<(u32, u32)> = const { Cell::new((0, 0)) };
}

/// A value on a green thread's stack that notes how it was dropped.
struct StackGuard;

impl Drop for StackGuard {
    fn drop(&mut self) {
        let (returned, unwound) = DROPPED.get();
        let unwinding = std::thread::panicking();
        DROPPED.set(if unwinding { (returned, unwound + 1) } else { (returned + 1, unwound) });
    }
}

/// The plain `game` with a guard beneath it on the green thread's stack.
fn guarded_game(board: u32, ex: &Exhibition, host: &mut dyn Host) -> Result<(), Adjourned> {
    let _guard = StackGuard;
    game(board, ex, host)
}

/// How many boards ended with `kind` (by its contract name).
fn ended(trace: &Trace, kind: &str) -> u32 {
    trace.events().iter().filter(|e| e.name() == kind).count() as u32
}

/// At the limit the lane drops the paused green threads: each stack unwinds from its pending
/// `suspend`, dropping the guard on it, while the games that finished in time returned.
#[test]
fn at_the_time_limit_paused_green_threads_are_dropped_and_their_stacks_unwound() {
    DROPPED.set((0, 0));
    let ex = Exhibition::builder()
        .opponents(4)
        .pairs(2)
        .time_limit(Duration::from_secs(127))
        .build()
        .unwrap();
    let mut trace = Trace::new(&ex);
    play_games(&ex, &mut trace, guarded_game).unwrap();
    // Boards 1 and 2 are over at 2:00 and 2:05; boards 3 and 4 wait for replies due at 2:10
    // and 2:15, past the limit of 2:07.
    assert_eq!((ended(&trace, "game_over"), ended(&trace, "adjourned")), (2, 2));
    assert_eq!(DROPPED.get(), (2, 2), "two games returned, two stacks unwound");
    assert_eq!(trace.events(), Lane::Threads.trace(&ex).unwrap().events(), "a plain game's trace");
}

/// A failing game's panic unwinds its own stack and comes out of `resume` into the
/// driver, which records the forfeit; the other green threads play on to the end.
#[test]
fn a_forfeit_unwinds_only_its_own_green_thread_and_the_others_play_on() {
    PlannedFailure::hush();
    DROPPED.set((0, 0));
    let ex = Exhibition::builder().opponents(4).pairs(3).failure(2, 2).build().unwrap();
    let mut trace = Trace::new(&ex);
    play_games(&ex, &mut trace, guarded_game).unwrap();
    let forfeit = trace.events().iter().find(|e| e.name() == "forfeit").unwrap();
    assert_eq!(forfeit.board, 2);
    assert_eq!(forfeit.message(), Some("board 2's game failed at pair 2 (a planned failure)"));
    assert_eq!(forfeit.t.since_start(), Duration::from_secs(65), "as its first reply lands");
    let over: Vec<u32> =
        trace.events().iter().filter(|e| e.name() == "game_over").map(|e| e.board).collect();
    assert_eq!(over, [1, 3, 4]);
    assert_eq!(DROPPED.get(), (3, 1), "three games returned, the failing one unwound");
}

/// A stack the OS refuses (here, far more address space than exists) is a `LaneError` naming
/// the limit and the fix, before any event — not a crash. The limit named is the one hit:
/// memory, not `vm.max_map_count` (three stacks are far from it).
#[test]
fn a_refused_stack_is_a_clear_error_before_any_event() {
    let ex = Exhibition::builder().opponents(3).pairs(2).build().unwrap();
    let mut trace = Trace::new(&ex);
    let error: LaneError =
        play_games_on(&ex, VirtualClock::new(), &mut trace, 1 << 60, game).unwrap_err();
    assert_eq!(error.lane(), Lane::GreenThreads);
    let message = error.to_string();
    assert!(message.contains("green thread 1 of 3"), "{message}");
    assert!(message.contains("play fewer opponents"), "{message}");
    assert!(!message.contains("vm.max_map_count"), "{message}");
    assert!(trace.events().is_empty());
}
