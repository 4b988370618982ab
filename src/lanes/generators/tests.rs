//! The generators lane's own tests: what the driver does with the paused generators at the
//! limit, which only a guard inside each game can show.

use super::*;
use crate::lanes::testing::PausedGuard;
use crate::trace::{EventKind, Trace};
use std::cell::Cell;
use std::time::Duration;

/// Plays `exhibition` through the lane's driver with a guard in every game; returns the
/// boards adjourned and how many games were dropped while paused.
fn play_guarded(exhibition: &Exhibition) -> (Vec<u32>, u32) {
    let dropped_paused = Cell::new(0);
    let games = (1..=exhibition.opponents()).map(|board| {
        let dropped_paused = &dropped_paused;
        Gen::new(move |co| async move {
            let mut guard = PausedGuard::new(dropped_paused);
            let over = game(co, board, exhibition).await;
            guard.over();
            over
        })
    });
    let mut trace = Trace::new(exhibition);
    Driver::new(exhibition, VirtualClock::new(), &mut trace, games.collect()).play();
    let adjourned = (trace.events().iter())
        .filter(|event| event.kind == EventKind::Adjourned)
        .map(|event| event.board)
        .collect();
    (adjourned, dropped_paused.get())
}

/// At the limit the driver drops the paused generators: each adjourned game's frame is
/// destroyed, its guard with it, although the game never finished.
#[test]
fn at_the_limit_the_paused_games_are_dropped() {
    let limited = |secs| {
        let limit = Duration::from_secs(secs);
        Exhibition::builder().opponents(3).pairs(2).time_limit(limit).build().unwrap()
    };
    // 0:01:05: every game is waiting, for its reply or for the master.
    assert_eq!(play_guarded(&limited(65)), (vec![1, 2, 3], 3));
    // 0:02:05: boards 1 and 2 are over (board 2 exactly at the limit), board 3 is not.
    assert_eq!(play_guarded(&limited(125)), (vec![3], 1));
    // A limit after the end changes nothing: every game runs to its end.
    assert_eq!(play_guarded(&limited(3600)), (vec![], 0));
}
