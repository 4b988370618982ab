//! The processes lane's own tests: games that die in ways only a process survives (an abort,
//! a kill signal, an exit), each a forfeit while the others play on; a panic's message
//! carried across; and a program that does not serve as a game's process, refused.

use std::path::Path;
use std::process::{self, Command};
use std::time::Duration;

use super::worker::Order;
use super::{play_games_on, spawn_games};
use crate::clock::{Time, VirtualClock};
use crate::lanes::lane::Lane;
use crate::lanes::plain_game::{Adjourned, GameFn, Host};
use crate::trace::Trace;
use crate::{Exhibition, PlannedFailure};

/// This test binary's children start here: the lane runs this test alone in each of them.
#[test]
fn coro_simul_processes_worker() {
    super::serve_if_child();
}

/// The faulty games a child of this test binary can play, by the name its order gives.
pub(super) fn faulty_game(name: &str) -> Option<GameFn> {
    match name {
        "aborts" => Some(aborts),
        "is-killed" => Some(is_killed),
        "exits" => Some(exits),
        "panics" => Some(panics),
        "asks-for-board-0" => Some(asks_for_board_0),
        "asks-for-board-3" => Some(asks_for_board_3),
        "hangs" => Some(hangs),
        "talks-after-over" => Some(talks_after_over),
        _ => None,
    }
}

type Played = Result<(), Adjourned>;

/// The plain game, but board 2 does `failure` as its code reaches pair 2.
fn plain_but(board: u32, ex: &Exhibition, host: &mut dyn Host, failure: fn()) -> Played {
    for pair in 1..=ex.pairs() {
        if (board, pair) == (2, 2) {
            failure();
        }
        host.master_moves(board, pair)?;
        host.await_reply(board, pair)?;
    }
    host.game_over(board);
    Ok(())
}

fn aborts(board: u32, ex: &Exhibition, host: &mut dyn Host) -> Played {
    plain_but(board, ex, host, || process::abort())
}

fn is_killed(board: u32, ex: &Exhibition, host: &mut dyn Host) -> Played {
    plain_but(board, ex, host, || {
        let me = process::id().to_string();
        let _ = Command::new("kill").args(["-KILL", &me]).status();
        std::thread::sleep(Duration::from_secs(10)); // the signal arrives long before
    })
}

fn exits(board: u32, ex: &Exhibition, host: &mut dyn Host) -> Played {
    plain_but(board, ex, host, || process::exit(3))
}

fn panics(board: u32, ex: &Exhibition, host: &mut dyn Host) -> Played {
    plain_but(board, ex, host, || panic!("board 2 knocked the pieces over"))
}

/// Board 2, as its code reaches pair 2, asks the master for board `wrong` instead.
fn asks_for(board: u32, ex: &Exhibition, host: &mut dyn Host, wrong: u32) -> Played {
    for pair in 1..=ex.pairs() {
        let named = if (board, pair) == (2, 2) { wrong } else { board };
        host.master_moves(named, pair)?;
        host.await_reply(board, pair)?;
    }
    host.game_over(board);
    Ok(())
}

fn asks_for_board_0(board: u32, ex: &Exhibition, host: &mut dyn Host) -> Played {
    asks_for(board, ex, host, 0)
}

fn asks_for_board_3(board: u32, ex: &Exhibition, host: &mut dyn Host) -> Played {
    asks_for(board, ex, host, 3)
}

fn hangs(board: u32, ex: &Exhibition, host: &mut dyn Host) -> Played {
    plain_but(board, ex, host, || {
        loop {
            std::thread::sleep(Duration::from_secs(3600)); // a game stuck for good
        }
    })
}

/// The plain game, then one more call after its last word: a game whose process must not
/// keep the parent waiting once it is over.
fn talks_after_over(board: u32, ex: &Exhibition, host: &mut dyn Host) -> Played {
    crate::lanes::plain_game::game(board, ex, host)?;
    host.master_moves(board, ex.pairs() + 1)
}

/// Four boards of three pairs, every process playing the game named `game`.
fn play_four(game: &str) -> Trace {
    let ex = Exhibition::builder().opponents(4).pairs(3).build().unwrap();
    let mut trace = Trace::new(&ex);
    play_games_on(&ex, VirtualClock::new(), &mut trace, game).unwrap();
    trace
}

/// Board 2's forfeit message, and the boards whose games were over.
fn outcome(trace: &Trace) -> (&str, Vec<u32>) {
    let forfeit = trace.events().iter().find(|e| e.name() == "forfeit").unwrap();
    assert_eq!(forfeit.board, 2);
    let over = trace.events().iter().filter(|e| e.name() == "game_over").map(|e| e.board);
    (forfeit.message().unwrap(), over.collect())
}

/// The trace of a planned failure at board 2, pair 2, in the threads lane, messages aside:
/// what every death of board 2's process must leave.
fn planned_failure_shape() -> Vec<(Time, u32, &'static str)> {
    PlannedFailure::hush();
    let ex = Exhibition::builder().opponents(4).pairs(3).failure(2, 2).build().unwrap();
    let trace = Lane::Threads.trace(&ex).unwrap();
    trace.events().iter().map(|e| (e.t, e.board, e.name())).collect()
}

fn shape(trace: &Trace) -> Vec<(Time, u32, &'static str)> {
    trace.events().iter().map(|e| (e.t, e.board, e.name())).collect()
}

/// The failure no other lane survives: board 2's process aborts, with no unwinding and no
/// word. Its board forfeits with the signal that ended it, and the other three play on to
/// the end, the very trace of a planned failure there, message aside.
#[test]
fn an_aborting_game_forfeits_and_the_others_play_on() {
    let trace = play_four("aborts");
    let aborted = "the game's process was killed by signal 6 (SIGABRT: it aborted)";
    assert_eq!(outcome(&trace), (aborted, vec![1, 3, 4]));
    assert_eq!(shape(&trace), planned_failure_shape());
}

#[test]
fn a_killed_or_exiting_game_forfeits_with_how_it_ended() {
    let killed = play_four("is-killed");
    let signal = "the game's process was killed by signal 9 (SIGKILL)";
    assert_eq!(outcome(&killed), (signal, vec![1, 3, 4]));
    let exited = play_four("exits");
    let status = "the game's process exited with status 3 mid-game";
    assert_eq!(outcome(&exited), (status, vec![1, 3, 4]));
    assert_eq!(shape(&exited), planned_failure_shape());
}

/// A panic unwinds to the child's boundary, which writes its message to the parent.
#[test]
fn a_panic_crosses_to_the_parent_as_its_message() {
    let trace = play_four("panics");
    assert_eq!(outcome(&trace), ("board 2 knocked the pieces over", vec![1, 3, 4]));
}

/// A broken game that names another board — one that does not exist, or one that is not
/// its own — forfeits its own board; the driver plays no board it was not asked about.
#[test]
fn a_game_that_asks_for_another_board_forfeits() {
    for wrong in [0, 3] {
        let trace = play_four(&format!("asks-for-board-{wrong}"));
        let said = format!("spoke out of turn: asked for board {wrong}");
        assert_eq!(outcome(&trace), (said.as_str(), vec![1, 3, 4]));
        assert_eq!(shape(&trace), planned_failure_shape());
    }
}

/// A game stuck in a loop holds the baton only until the answer's time limit: then its
/// process is killed, its board forfeits, and the others play on.
#[test]
fn a_game_that_never_answers_forfeits_in_time() {
    let trace = play_four("hangs");
    assert_eq!(outcome(&trace), ("did not answer within 5 s", vec![1, 3, 4]));
    assert_eq!(shape(&trace), planned_failure_shape());
}

/// A process that says more after `over` is not waited for: the lane returns, its trace the
/// plain game's.
#[test]
fn a_game_that_talks_after_its_last_word_does_not_hang_the_lane() {
    let trace = play_four("talks-after-over");
    let plain = play_four("plain");
    assert_eq!(trace.events(), plain.events());
}

/// At the time limit each process still waiting is told so, and exits; the trace is every
/// concurrent lane's.
#[test]
fn at_the_time_limit_every_waiting_process_is_adjourned_and_reaped() {
    let ex = Exhibition::builder()
        .opponents(4)
        .pairs(3)
        .time_limit(Duration::from_secs(150))
        .build()
        .unwrap();
    let trace = Lane::Processes.trace(&ex).unwrap();
    let adjourned = trace.events().iter().filter(|e| e.name() == "adjourned").count();
    assert_eq!(adjourned, 4, "no game finishes within 2:30");
    assert_eq!(trace.events(), Lane::Threads.trace(&ex).unwrap().events());
}

/// A program that never calls `serve_if_child` cannot be a game's process: refused before
/// any event, naming the fix.
#[test]
fn a_program_that_does_not_serve_is_refused() {
    let ex = Exhibition::builder().opponents(3).pairs(1).build().unwrap();
    let error = spawn_games(Path::new("/bin/true"), &ex, "plain", false).unwrap_err();
    assert_eq!(error.lane(), Lane::Processes);
    assert!(error.to_string().contains("serve_if_child()"), "{error}");
}

/// A program that fails before it is ready is not blamed for not serving: the error says how
/// it ended.
#[test]
fn a_program_that_fails_before_it_is_ready_says_how_it_ended() {
    let ex = Exhibition::builder().opponents(3).pairs(1).build().unwrap();
    let error = spawn_games(Path::new("/bin/false"), &ex, "plain", false).unwrap_err().to_string();
    assert!(error.contains("board 1, but its process exited with status 1 before"), "{error}");
    assert!(!error.contains("serve_if_child"), "{error}");
}

#[test]
fn an_order_survives_its_environment_variable() {
    let exhibition = Exhibition::builder()
        .opponents(7)
        .master_move(Duration::from_millis(1500))
        .time_limit(Duration::from_secs(600))
        .failure(3, 2)
        .opponents_think(1000)
        .build()
        .unwrap();
    let order = Order { game: "plain".to_owned(), board: 5, exhibition, says_where: false };
    assert_eq!(Order::parse(&order.to_env()), Some(order.clone()));
    let watched = Order { says_where: true, ..order };
    assert_eq!(Order::parse(&watched.to_env()), Some(watched));
    assert_eq!(Order::parse("plain 1 2 3"), None);
}

/// Every event the lane records is one a concurrent lane records: the default exhibition.
#[test]
fn the_default_exhibition_takes_1_00_55() {
    let ex = Exhibition::default();
    let trace = Lane::Processes.trace(&ex).unwrap();
    assert_eq!(trace.events(), Lane::Threads.trace(&ex).unwrap().events());
    let overs = trace.events().iter().filter(|e| e.name() == "game_over");
    assert_eq!(overs.count(), 24);
}
