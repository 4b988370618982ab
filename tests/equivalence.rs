//! Every lane plays the same exhibition: one property test over all of them.
//!
//! For many random exhibitions (1–40 boards, 1–8 pairs, moves of 1–120 s, some with
//! milliseconds), every concurrent lane's JSON Lines trace is byte-identical to the one the
//! closed form in the `exhibition` module doc predicts — so identical to each other — and the synchronous lane's
//! is its own closed form. A lane added to `Lane::ALL` is checked here without a line changed.
//! The processes lane starts a process per board, so it plays fewer cases (16, a few hundred
//! processes), in a property of its own, to keep `cargo test` fast.

mod common;

use coro_simul::Exhibition;
use coro_simul::lanes::Lane;
use coro_simul::render::{Format, render};
use coro_simul::trace::{Event, Trace};
use proptest::prelude::*;

/// The closed-form trace of the synchronous schedule, for comparison with the sync lane.
fn sync_trace(ex: &Exhibition) -> Vec<Event> {
    let mut events = Vec::new();
    for board in 1..=ex.opponents() {
        for pair in 1..=ex.pairs() {
            let start = common::sync_master_move(ex, board, pair);
            let reply = start + ex.master_move() + ex.opponent_move();
            events.push(Event::master_move(start, board, pair));
            events.push(Event::opponent_move(reply, board, pair));
        }
        let over = events.last().expect("a game has pairs").t;
        events.push(Event::game_over(over, board));
    }
    events
}

fn jsonl(ex: &Exhibition, events: &[Event]) -> String {
    let mut trace = Trace::new(ex);
    events.iter().for_each(|event| coro_simul::trace::Sink::record(&mut trace, event.clone()));
    render(Format::Jsonl, &trace)
}

/// This test binary's children, when the processes lane starts them, play their game here.
#[test]
fn coro_simul_processes_worker() {
    coro_simul::lanes::processes::serve_if_child();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn every_lane_plays_its_closed_form(ex in common::small_exhibitions()) {
        let concurrent = jsonl(&ex, &common::concurrent_trace(&ex));
        let synchronous = jsonl(&ex, &sync_trace(&ex));
        for &lane in Lane::ALL.iter().filter(|&&lane| lane != Lane::Processes) {
            let played = render(Format::Jsonl, &lane.trace(&ex).unwrap());
            let expected = if lane == Lane::Sync { &synchronous } else { &concurrent };
            prop_assert!(&played == expected, "{} differs on {:?}", lane, ex);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// The processes lane, in fewer cases: 16 exhibitions of up to 40 boards.
    #[test]
    fn the_processes_lane_plays_the_closed_form(ex in common::small_exhibitions()) {
        let played = render(Format::Jsonl, &Lane::Processes.trace(&ex).unwrap());
        prop_assert!(played == jsonl(&ex, &common::concurrent_trace(&ex)), "differs on {:?}", ex);
    }
}

#[test]
fn the_story_in_numbers() {
    let story = Exhibition::default();
    for &lane in Lane::ALL {
        let total = lane.summary(&story).unwrap().total().as_secs();
        let expected = if lane == Lane::Sync { 12 * 3600 } else { 3655 };
        assert_eq!(total, expected, "{lane}");
    }
}
