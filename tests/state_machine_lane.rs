//! The state-machine lane, checked against the closed-form concurrent trace and pinned by a
//! snapshot.

mod common;

use std::time::Duration;

use coro_simul::clock::Time;
use coro_simul::lanes::Lane;
use coro_simul::render::{Format, render};
use coro_simul::trace::{Event, EventKind};
use coro_simul::{Exhibition, PlannedFailure};
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

/// `ex` with a time limit, or a planned failure, added.
fn with(ex: &Exhibition, limit: Option<Duration>, failure: Option<(u32, u32)>) -> Exhibition {
    let mut builder = Exhibition::builder()
        .opponents(ex.opponents())
        .master_move(ex.master_move())
        .opponent_move(ex.opponent_move())
        .pairs(ex.pairs());
    if let Some(limit) = limit {
        builder = builder.time_limit(limit);
    }
    if let Some((board, pair)) = failure {
        builder = builder.failure(board, pair);
    }
    builder.build().expect("a valid limit or failure")
}

proptest! {
    /// Up to the limit nothing changes: the closed form's events before it, and the replies
    /// (and game overs) landing exactly at it; then every game not over is adjourned at it.
    #[test]
    fn a_time_limit_cuts_the_closed_form_and_adjourns_the_rest(
        ex in small_exhibitions(),
        seed in any::<u64>(),
    ) {
        // Half the time exactly when something happens (a reply landing at the limit counts,
        // a move starting at it does not), else any millisecond up to past the end.
        let closed_form = concurrent_trace(&ex);
        let end = common::concurrent_total(&ex).as_millis() as u64;
        let limit = match closed_form[(seed / 2) as usize % closed_form.len()].t.since_start() {
            moment if seed % 2 == 0 && !moment.is_zero() => moment,
            _ => Duration::from_millis(1 + seed % (end + 1_000)),
        };
        let at = Time::from_start(limit);
        let mut expected: Vec<Event> = closed_form
            .into_iter()
            .filter(|e| e.t < at || (e.t == at && !matches!(e.kind, EventKind::MasterMove { .. })))
            .collect();
        let over: Vec<u32> =
            expected.iter().filter(|e| e.kind == EventKind::GameOver).map(|e| e.board).collect();
        let unfinished = (1..=ex.opponents()).filter(|board| !over.contains(board));
        expected.extend(unfinished.map(|board| Event::adjourned(at, board)));
        let trace = Lane::StateMachine.trace(&with(&ex, Some(limit), None)).unwrap();
        prop_assert_eq!(trace.events(), &expected[..]);
    }

    /// A game that fails at its very start, at 0:00:00, is as if its board had never been
    /// there: the others play the closed form of one board fewer.
    #[test]
    fn a_game_failing_at_the_start_leaves_the_others_a_smaller_simul(
        ex in small_exhibitions(),
        seed in any::<u32>(),
    ) {
        prop_assume!(ex.opponents() > 1);
        PlannedFailure::hush();
        let failing = 1 + seed % ex.opponents();
        let (m, o) = (ex.master_move(), ex.opponent_move());
        let fewer = Exhibition::new(ex.opponents() - 1, m, o, ex.pairs()).unwrap();
        let others: Vec<Event> = concurrent_trace(&fewer)
            .into_iter()
            .map(|mut e| {
                e.board += u32::from(e.board >= failing); // make room for the failing board
                e
            })
            .collect();
        let trace = Lane::StateMachine.trace(&with(&ex, None, Some((failing, 1)))).unwrap();
        let first = &trace.events()[0];
        prop_assert_eq!((first.t, first.board, first.name()), (Time::ZERO, failing, "forfeit"));
        prop_assert_eq!(&trace.events()[1..], &others[..]);
    }
}

/// A forfeit mid-game stops only its own board: it is recorded as its reply lands, and the
/// other 23 games play to the end, the exhibition finishing no later than without it.
#[test]
fn a_forfeit_does_not_stop_the_other_games() {
    PlannedFailure::hush();
    let ex = with(&Exhibition::default(), None, Some((5, 3)));
    let trace = Lane::StateMachine.trace(&ex).unwrap();
    let forfeit: Vec<&Event> = trace.events().iter().filter(|e| e.name() == "forfeit").collect();
    let lands = common::concurrent_master_move(&ex, 5, 2) + ex.master_move() + ex.opponent_move();
    assert_eq!((forfeit.len(), forfeit[0].board, forfeit[0].t), (1, 5, lands));
    assert_eq!(forfeit[0].message(), Some("board 5's game failed at pair 3 (a planned failure)"));
    assert!(trace.events().iter().all(|e| e.board != 5 || e.t <= lands));
    assert_eq!((trace.summary().games_over(), trace.summary().forfeits()), (23, 1));
    assert!(trace.summary().total().as_secs() <= 3655);
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
