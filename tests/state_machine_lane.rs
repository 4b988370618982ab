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
