//! The state-machine lane's own tests: a game's states one step at a time, and what the
//! driver leaves behind at the limit and after a failure.

use super::*;
use crate::trace::Trace;
use std::time::Duration;

#[test]
fn a_game_walks_through_its_states() {
    let exhibition = Exhibition::builder().opponents(1).pairs(2).build().unwrap();
    let mut trace = Trace::new(&exhibition);
    let mut arbiter = Arbiter::new(&exhibition, &mut trace);
    let mut game = Game::Start;
    let at = |secs| Time::from_start(Duration::from_secs(secs));
    assert_eq!(game.step(1, &mut arbiter), Step::Ready);
    assert_eq!(game, Game::MasterToMove { pair: 1 });
    assert_eq!(game.step(1, &mut arbiter), Step::Pending { until: at(60) });
    assert_eq!(game, Game::AwaitingReply { pair: 1, until: at(60) });
    arbiter.clock().advance_to(at(60));
    assert_eq!(game.step(1, &mut arbiter), Step::Ready);
    assert_eq!(game, Game::MasterToMove { pair: 2 });
    assert_eq!(game.step(1, &mut arbiter), Step::Pending { until: at(120) });
    assert_eq!(game.step(1, &mut arbiter), Step::Done);
    assert_eq!(game, Game::Over);
    assert_eq!(trace.events().len(), 5);
}

/// The module docs promise a paused game costs 16 bytes.
#[test]
fn a_paused_game_is_sixteen_bytes() {
    assert_eq!(std::mem::size_of::<Game>(), 16);
}

/// At the limit the driver forgets every paused game: its queues are empty, and each
/// adjourned game's enum is all that is left of it, saying where it stopped.
#[test]
fn at_the_limit_the_driver_forgets_its_paused_games() {
    let exhibition = Exhibition::builder()
        .opponents(3)
        .pairs(2)
        .time_limit(Duration::from_secs(65))
        .build()
        .unwrap();
    let mut trace = Trace::new(&exhibition);
    let mut driver = Driver::new(Arbiter::new(&exhibition, &mut trace));
    driver.play();
    assert!(driver.master_line.is_empty() && driver.replies.is_empty());
    let at = |secs| Time::from_start(Duration::from_secs(secs));
    let expected = [
        Game::AwaitingReply { pair: 2, until: at(120) }, // its reply would land after the limit
        Game::MasterToMove { pair: 2 },                  // its reply landed at the limit
        Game::AwaitingReply { pair: 1, until: at(70) },
    ];
    assert_eq!(driver.games, expected);
    let adjourned = trace.events().iter().filter(|e| e.name() == "adjourned");
    assert!(adjourned.map(|e| (e.board, e.t)).eq([(1, at(65)), (2, at(65)), (3, at(65))]));
}

/// A failing game unwinds out of its step into the driver and no further: it forfeits,
/// and the others play to the end.
#[test]
fn a_failing_step_forfeits_and_the_others_play_on() {
    PlannedFailure::hush();
    let exhibition = Exhibition::builder().opponents(3).pairs(2).failure(2, 1).build().unwrap();
    let mut trace = Trace::new(&exhibition);
    let mut driver = Driver::new(Arbiter::new(&exhibition, &mut trace));
    driver.play();
    assert_eq!(driver.games, [Game::Over, Game::Forfeit, Game::Over]);
    assert_eq!(trace.events()[0].name(), "forfeit"); // at 0:00:00, before any move
    assert_eq!((trace.summary().games_over(), trace.summary().forfeits()), (2, 1));
}

#[test]
#[should_panic(expected = "after it was over")]
fn stepping_a_finished_game_is_a_bug() {
    let exhibition = Exhibition::default();
    let mut trace = Trace::new(&exhibition);
    Game::Over.step(1, &mut Arbiter::new(&exhibition, &mut trace));
}
