//! The hand-written state machine: one game's `enum` step by step, then the whole simul.
//!
//!     cargo run --example state_machine
//!
//! Steps board 1's game by hand, printing its state after each step, then plays the default
//! exhibition and prints the minute where the first replies land while the master is still
//! on her first round.

use coro_simul::Exhibition;
use coro_simul::lanes::Lane;
use coro_simul::lanes::state_machine::{Arbiter, Game, Step};
use coro_simul::render::{Format, render};
use coro_simul::trace::Trace;

/// Steps one game of two pairs to the end, as the driver would, and returns each state.
fn one_game_by_hand() -> Vec<(Step, Game)> {
    let exhibition = Exhibition::builder().opponents(1).pairs(2).build().expect("valid");
    let mut trace = Trace::new(&exhibition);
    let mut arbiter = Arbiter::new(&exhibition, &mut trace);
    let mut game = Game::Start;
    let mut states = Vec::new();
    while game != Game::Over {
        let step = game.step(1, &mut arbiter);
        if let Step::Pending { until } = step {
            arbiter.clock().advance_to(until); // what the driver's timer queue does
        }
        states.push((step, game));
    }
    states
}

/// A state in words, with times as `h:mm:ss`.
fn describe(game: Game) -> String {
    match game {
        Game::Start => "Start".into(),
        Game::MasterToMove { pair } => format!("MasterToMove {{ pair: {pair} }}"),
        Game::AwaitingReply { pair, until } => {
            format!("AwaitingReply {{ pair: {pair}, until: {until} }}")
        }
        Game::Over => "Over".into(),
        Game::Forfeit => "Forfeit".into(),
    }
}

fn main() {
    println!("board 1, two pairs, stepped by hand from {}:", describe(Game::Start));
    for (step, game) in one_game_by_hand() {
        let step = match step {
            Step::Pending { until } => format!("Pending {{ until: {until} }}"),
            other => format!("{other:?}"),
        };
        println!("  step() returned {step:<26} and the game is now {}", describe(game));
    }
    let trace = Lane::StateMachine.trace(&Exhibition::default()).expect("never fails");
    println!("\nthe default exhibition, the minute the first replies land:");
    let text = render(Format::Text, &trace);
    text.lines().skip(11).take(6).for_each(|line| println!("{line}"));
    println!("\n{}", trace.summary());
}

#[test]
fn a_game_alternates_pending_and_ready_and_the_simul_takes_1_00_55() {
    main();
    let steps: Vec<Step> = one_game_by_hand().into_iter().map(|(step, _)| step).collect();
    assert!(matches!(
        steps[..],
        [Step::Ready, Step::Pending { .. }, Step::Ready, Step::Pending { .. }, Step::Done]
    ));
    let trace = Lane::StateMachine.trace(&Exhibition::default()).unwrap();
    let text = render(Format::Text, &trace);
    let lines: Vec<&str> = text.lines().skip(11).take(3).collect();
    // Board 1's reply lands at 0:01:00 and is recorded before the master's move on board 13.
    assert_eq!(lines[1], " 0:01:00  board  1  pair  1  opponent replies");
    assert_eq!(lines[2], " 0:01:00  board 13  pair  1  master moves");
    assert_eq!(trace.summary().total().as_secs(), 3655);
}
