//! The callbacks lane's own tests: what the driver leaves behind at the limit and after a
//! failure, which only its private state shows.

use super::*;
use crate::trace::Trace;
use std::time::Duration;

/// At the limit the lane cancels the reply every adjourned game waits for, and closes the
/// loop: no callback of a paused game runs, and every closure, with what it captured, is
/// dropped (only the driver's own `Rc` on the arbiter is left).
#[test]
fn at_the_limit_pending_replies_are_cancelled_and_the_paused_games_dropped() {
    let limit = Duration::from_secs(65);
    let exhibition = Exhibition::builder().opponents(3).pairs(2).time_limit(limit).build().unwrap();
    let mut trace = Trace::new(&exhibition);
    let mut driver = Driver::new(&exhibition, VirtualClock::new(), &mut trace);
    driver.play();
    assert!(driver.event_loop.is_empty());
    assert_eq!(Rc::strong_count(&driver.arbiter), 1, "a closure of a paused game was kept");
    let replies: Vec<bool> = (driver.arbiter.games.borrow().iter())
        .filter_map(|standing| match standing {
            Standing::Playing(Some(reply)) => Some(reply.cancelled()),
            _ => None,
        })
        .collect();
    // Boards 1 and 3 wait for a reply, now cancelled; board 2's landed at the limit, so
    // cancelling its handle changed nothing.
    assert_eq!(replies, [true, true, true]);
    driver.event_loop.run(); // nothing left to run: the clock stays where the limit left it
    assert_eq!(driver.event_loop.time().since_start(), limit);
    drop(driver);
    assert!(trace.events().iter().all(|event| event.t.since_start() <= limit));
    assert_eq!(trace.summary().adjourned(), 3);
}

/// A failing game's panic unwinds out of one callback and out of the loop's `run_until`,
/// no further: the lane records the forfeit at the moment that callback played and runs
/// the loop on.
#[test]
fn a_panicking_callback_forfeits_its_game_and_the_loop_runs_on() {
    PlannedFailure::hush();
    let exhibition = Exhibition::builder().opponents(3).pairs(2).failure(3, 1).build().unwrap();
    let mut trace = Trace::new(&exhibition);
    let mut driver = Driver::new(&exhibition, VirtualClock::new(), &mut trace);
    driver.play();
    assert!(matches!(
        driver.arbiter.games.borrow()[..],
        [Standing::Ended, Standing::Ended, Standing::Ended]
    ));
    drop(driver);
    let first = &trace.events()[0];
    assert_eq!((first.name(), first.board, first.t), ("forfeit", 3, Time::ZERO));
    assert_eq!((trace.summary().games_over(), trace.summary().forfeits()), (2, 1));
}
