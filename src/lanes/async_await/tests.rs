//! The async-await lane's own tests: the size of a paused game, and what the executor drops
//! at the limit.

use super::*;
use crate::lanes::testing::PausedGuard;
use crate::trace::{Summary, Trace};

/// What a paused game weighs: the game's future (80 bytes on x86-64 with Rust 1.95), and
/// the board's task around it, which the executor boxes (96). The bounds have room for
/// a compiler's whims, not for a second copy of what the game holds.
#[test]
fn a_paused_game_is_a_small_future() {
    let exhibition = Exhibition::default();
    let timer = Timer::new();
    let mut summary = Summary::new(&exhibition);
    let arbiter = Arbiter::new(&exhibition, &timer, &mut summary);
    let game = std::mem::size_of_val(&game(1, &arbiter));
    let task = std::mem::size_of_val(&board_task(1, &arbiter));
    println!("a game's future: {game} bytes, its board's task: {task} bytes");
    assert!(game <= 112, "a game's future grew to {game} bytes");
    assert!(task <= game + 24, "a board's task grew to {task} bytes");
}

/// The lane's tasks, each with a guard around the game; returns the boards whose handles
/// stayed empty and how many games were dropped before they were over.
fn play_guarded(exhibition: &Exhibition) -> (Vec<u32>, u32) {
    let limit = exhibition.stops_at();
    let timer = Timer::new().stop_at(limit);
    let mut trace = Trace::new(exhibition);
    let (arbiter, dropped_paused) = (Arbiter::new(exhibition, &timer, &mut trace), Cell::new(0));
    let mut executor = Executor::new(&timer);
    let handles: Vec<_> = (1..=exhibition.opponents())
        .map(|board| {
            let (arbiter, dropped_paused) = (&arbiter, &dropped_paused);
            executor.spawn(async move {
                let mut guard = PausedGuard::new(dropped_paused);
                board_task(board, arbiter).await;
                guard.over();
            })
        })
        .collect();
    executor.run();
    assert_eq!(timer.now(), limit, "stopped, the clock stands at the limit");
    let unfinished = (1..).zip(handles).filter(|(_, handle)| executor.join(handle).is_none());
    (unfinished.map(|(board, _)| board).collect(), dropped_paused.get())
}

/// At the limit the executor drops the unfinished futures: each adjourned game's future
/// is destroyed, its guard with it, although the game never finished. The boards waiting
/// in the master's line leave it as they go, so dropping them in any state is safe.
#[test]
fn at_the_limit_the_unfinished_futures_are_dropped() {
    let limited = |secs| {
        let limit = std::time::Duration::from_secs(secs);
        Exhibition::builder().opponents(3).pairs(2).time_limit(limit).build().unwrap()
    };
    // 0:01:05: every game is waiting, for its reply or for the master (board 2, whose
    // reply landed at the limit, got in line and will never be served).
    assert_eq!(play_guarded(&limited(65)), (vec![1, 2, 3], 3));
    // 0:02:05: boards 1 and 2 are over (board 2 exactly at the limit), board 3 is not.
    assert_eq!(play_guarded(&limited(125)), (vec![3], 1));
}
