//! The generators lane: the same trace as every cooperative lane, and a real two-way channel.

mod common;

use std::time::Duration;

use coro_simul::Exhibition;
use coro_simul::clock::Time;
use coro_simul::lanes::Lane;
use coro_simul::lanes::generators::{GameOver, Reply, Request, game};
use coro_simul::render::{Format, render};
use coro_simul::trace::{Line, SwitchKind};
use genawaiter::GeneratorState;
use genawaiter::rc::Gen;
use proptest::prelude::*;

fn at(secs: u64) -> Time {
    Time::from_start(Duration::from_secs(secs))
}

proptest! {
    /// Event for event, the closed-form concurrent trace (so the jsonl is byte-identical).
    #[test]
    fn plays_the_concurrent_trace(ex in common::small_exhibitions()) {
        let trace = Lane::Generators.trace(&ex).unwrap();
        prop_assert_eq!(trace.events(), &common::concurrent_trace(&ex)[..]);
        prop_assert_eq!(&Lane::Generators.summary(&ex).unwrap(), trace.summary());
    }
}

#[test]
fn the_default_exhibition_takes_1_00_55() {
    let summary = Lane::Generators.summary(&Exhibition::default()).unwrap();
    assert_eq!(summary.total(), Duration::from_secs(3655));
    assert_eq!(summary.games_over(), 24);
}

/// The value passed to `resume_with` is what `co.yield_(..).await` returns inside the game:
/// the game-over time it reports can only have come from the last reply sent in. The first,
/// priming value is dropped: it names another board and pair, which the game would refuse.
#[test]
fn replies_travel_in_through_resume_with_and_the_priming_value_is_dropped() {
    let exhibition = common::three_by_two();
    let mut generator = Gen::new(|co| game(co, 3, &exhibition));
    let priming = Reply { board: 42, pair: 42, landed: at(4242) };
    assert_eq!(
        generator.resume_with(priming),
        GeneratorState::Yielded(Request { board: 3, pair: 1 })
    );
    let first = Reply { board: 3, pair: 1, landed: at(70) };
    assert_eq!(
        generator.resume_with(first),
        GeneratorState::Yielded(Request { board: 3, pair: 2 })
    );
    let last = Reply { board: 3, pair: 2, landed: at(191) };
    assert_eq!(
        generator.resume_with(last),
        GeneratorState::Complete(GameOver { board: 3, at: at(191) })
    );
}

/// The game reads what it is sent: a reply to the wrong pair is caught, not ignored.
#[test]
#[should_panic(expected = "board 3 asked for the reply to pair 1 and was sent another")]
fn a_game_refuses_a_reply_it_did_not_ask_for() {
    let exhibition = common::three_by_two();
    let mut generator = Gen::new(|co| game(co, 3, &exhibition));
    let _ = generator.resume_with(Reply { board: 0, pair: 0, landed: Time::ZERO }); // priming
    let _ = generator.resume_with(Reply { board: 3, pair: 2, landed: at(60) });
}

/// A paused game is the `async fn`'s state machine, boxed: a few words, not a stack.
#[test]
fn a_paused_game_is_a_small_heap_frame() {
    let exhibition = Exhibition::default();
    let mut frame = 0;
    let generator = Gen::new(|co| {
        let future = game(co, 1, &exhibition);
        frame = std::mem::size_of_val(&future);
        future
    });
    println!("game future: {frame} bytes; Gen: {} bytes", std::mem::size_of_val(&generator));
    assert!(frame < 128, "the game's frame grew to {frame} bytes");
    assert_eq!(std::mem::size_of_val(&generator), 2 * std::mem::size_of::<usize>());
}

#[test]
fn text_trace_3x2() {
    let about = "`coro-simul trace generators --opponents 3 --pairs 2`: the master moves on \
                 all three boards in 15 s and waits for the first reply (0:01:00); each reply \
                 is sent into its game, which at once asks for the master's next move there, \
                 so it ends at 0:02:10 where sync took 0:06:00";
    common::assert_snapshot!(
        "generators",
        "generators_trace_3x2_text",
        about,
        &render(Format::Text, &Lane::Generators.trace(&common::three_by_two()).unwrap()),
    );
}

/// Every game yields once per move pair — its request for the master's move — and nothing
/// else gives control back to the driver: n·p suspensions.
#[test]
fn each_game_suspends_once_per_pair() {
    let exhibition = coro_simul::Exhibition::default();
    let summary = coro_simul::lanes::Lane::Generators.summary(&exhibition).unwrap();
    assert_eq!(summary.suspensions(), 24 * 30);
}

/// The default exhibition's summary, beside sync's: the closed form's 1:00:55, the master
/// busy the same hour as in sync, and how many times this lane's games suspended.
#[test]
fn summary_of_the_default_exhibition() {
    let exhibition = coro_simul::Exhibition::default();
    let summary = coro_simul::lanes::Lane::Generators.summary(&exhibition).unwrap();
    assert_eq!(summary.total(), common::concurrent_total(&exhibition));
    let about = "The default exhibition (`coro-simul compare` shows this lane's row of it) \
                 played by the generators lane: \
                 (p−1)·R + n·m + o = 1:00:55, 11.82× faster than sync's 12:00:00, with the master \
                 busy the same n·p·m = 1:00:00; the last line counts the times its games suspended";
    common::assert_snapshot!(
        "generators",
        "generators_summary_default",
        about,
        &summary.to_string()
    );
}

#[test]
fn switches_2x2_snapshot() {
    let switches = Lane::Generators.switches(&common::two_by_two()).unwrap();
    let about = "`coro-simul trace generators --switches --queues --opponents 2 --pairs 2`. Who runs: \
        the driver, and a game only inside its resume_with, Python's gen.send. Each game is \
        first primed (next(gen): the value sent is dropped) and runs to its yield; after that, \
        each resume_with(Reply) returns Yielded(Request), the game paused at its co.yield_ \
        line, or Complete(GameOver) at its end. Look between two resumes of a game: its \
        `== master_move` happens there with no resume, as the driver plays the master's move \
        and sets the reply's timer itself. One yield asks for both waits, so one suspension a \
        pair where the state machine has two. Nobody wakes anybody: the driver lands the \
        replies due and jumps its clock (`idle`) when no request waits.";
    common::assert_snapshot!("generators", "switches_generators_2x2", about, &switches.text(true));
}

/// Between a game's resumes the driver plays the master's move alone: no `master_move` event
/// falls between a game's `resume` and its `suspend`, and each suspend is paused at the
/// game's one `co.yield_(..)` line.
#[test]
fn the_master_moves_while_the_game_stays_paused() {
    let switches = Lane::Generators.switches(&common::three_by_two()).unwrap();
    let mut running = None;
    for line in switches.lines() {
        match line {
            Line::Switch(switch) if switch.kind == SwitchKind::Resume => running = switch.board,
            Line::Switch(_) => running = None,
            Line::Event(event) if event.name() == "master_move" => {
                assert_eq!(running, None, "board {} moved inside a resume", event.board);
            }
            Line::Event(_) => {}
        }
    }
    let source = include_str!("../src/lanes/generators.rs");
    for suspend in switches.switches().filter(|switch| switch.kind == SwitchKind::Suspend) {
        let at = suspend.paused_at.as_ref().unwrap().to_string();
        let line: usize = at.strip_prefix("src/lanes/generators.rs:").unwrap().parse().unwrap();
        assert!(source.lines().nth(line - 1).unwrap().contains("co.yield_("), "{at}");
    }
}
