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
    assert_snapshot!(
        "state-machine",
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
    let about = "`coro-simul trace state-machine --switches --queues --opponents 2 --pairs 2`. Look at \
        each resume: the driver calls step(board) on the game's enum, and the step returns \
        Ready (into master_line) or Pending (into replies, a timer) — the game's whole paused \
        state is the variant it wrote down, shown as `paused at`. `idle` is the driver jumping \
        its clock when nothing is ready; `==` lines are the ordinary events. The first queue \
        line shows `replies [2 at 0:00:00]`: every game starts in replies, due at 0:00:00, so \
        the driver takes each one's Start step as it takes a landed reply, in board order; \
        board 1 has had its step, board 2 is still waiting for its turn.";
    common::assert_snapshot!(
        "state-machine",
        "switches_state_machine_2x2",
        about,
        &switches.text(true)
    );
}

/// The default exhibition's summary, beside sync's: the closed form's 1:00:55, the master
/// busy the same hour as in sync, and how many times this lane's games suspended.
#[test]
fn summary_of_the_default_exhibition() {
    let exhibition = coro_simul::Exhibition::default();
    let summary = coro_simul::lanes::Lane::StateMachine.summary(&exhibition).unwrap();
    assert_eq!(summary.total(), common::concurrent_total(&exhibition));
    let about = "The default exhibition (`coro-simul compare` shows this lane's row of it) \
                 played by the state-machine lane: \
                 (p−1)·R + n·m + o = 1:00:55, 11.82× faster than sync's 12:00:00, with the master \
                 busy the same n·p·m = 1:00:00; the last line counts the times its games suspended";
    common::assert_snapshot!(
        "state-machine",
        "state_machine_summary_default",
        about,
        &summary.to_string()
    );
}
