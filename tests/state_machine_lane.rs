//! The state-machine lane, checked against the closed-form concurrent trace and pinned by a
//! snapshot.

mod common;

use coro_simul::Exhibition;
use coro_simul::lanes::Lane;
use coro_simul::render::{Format, render};
use proptest::prelude::*;

use common::{assert_snapshot, concurrent_trace, small_exhibitions, three_by_two};

proptest! {
    /// Every event, its time and its place in the trace are exactly the closed form's:
    /// master moves at `(k−1)·R + (b−1)·m`, replies `m + o` later, in the contract's order.
    #[test]
    fn the_trace_is_the_closed_form(ex in small_exhibitions()) {
        let trace = Lane::StateMachine.trace(&ex).unwrap();
        prop_assert_eq!(trace.events(), &concurrent_trace(&ex)[..]);
        prop_assert!(trace.is_in_contract_order());
    }

    /// The summary-only sink (what the benchmarks use) sees the same exhibition.
    #[test]
    fn the_summary_sink_agrees_with_the_full_trace(ex in small_exhibitions()) {
        let trace = Lane::StateMachine.trace(&ex).unwrap();
        prop_assert_eq!(&Lane::StateMachine.summary(&ex).unwrap(), trace.summary());
    }
}

#[test]
fn the_default_exhibition_takes_1_00_55() {
    let summary = Lane::StateMachine.summary(&Exhibition::default()).unwrap();
    assert_eq!(summary.total().as_secs(), 3655);
    assert_eq!(summary.games_over(), 24);
}

#[test]
fn text_trace_3x2() {
    let about = "`coro-simul trace state-machine --opponents 3 --pairs 2`: the master moves on \
                 boards 1, 2, 3 five seconds apart, then idles until board 1's reply lands at \
                 0:01:00, and moves there at once; the same trace as every cooperative lane";
    assert_snapshot(
        "state_machine_trace_3x2_text",
        about,
        &render(Format::Text, &Lane::StateMachine.trace(&three_by_two()).unwrap()),
    );
}

/// The lesson of this lane: the driver steps an enum and files the board by what the step
/// returned; the paused game is the variant it wrote down.
#[test]
fn switches_2x2_snapshot() {
    let switches = Lane::StateMachine.switches(&common::two_by_two()).unwrap();
    let about = "state-machine lane, test switches_2x2_snapshot in tests/state_machine_lane.rs: \
        `coro-simul trace state-machine --switches --queues --opponents 2 --pairs 2`. Look at \
        each resume: the driver calls step(board) on the game's enum, and the step returns \
        Ready (into master_line) or Pending (into replies, a timer) — the game's whole paused \
        state is the variant it wrote down, shown as `paused at`. `idle` is the driver jumping \
        its clock when nothing is ready; `==` lines are the ordinary events.";
    assert_snapshot("switches_state_machine_2x2", about, &switches.text(true));
}
