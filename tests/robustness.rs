//! Time limits and failing games: every lane adjourns and forfeits the same way.
//!
//! For random exhibitions with a random time limit and a random planned failure, every lane's
//! trace keeps the contract — each board ends exactly once (over, forfeit or adjourned),
//! nothing happens after the limit, no master move starts at it — and every concurrent lane's
//! trace is byte-identical to every other's. Against the closed form, every concurrent lane's
//! adjourned trace is the concurrent trace cut at the limit, and a game failing at its start
//! leaves the others the closed form of one board fewer. The lane-specific half of the story
//! (what is dropped, unwound, cancelled or joined) is in each lane's own test file.

mod common;

use std::time::Duration;

use coro_simul::Exhibition;
use coro_simul::clock::Time;
use coro_simul::lanes::Lane;
use coro_simul::render::{Format, render};
use coro_simul::trace::{Event, EventKind, Trace};
use proptest::prelude::*;

/// Every lane adjourns and forfeits; a lane added to `Lane::ALL` is held to it at once.
const READY: &[Lane] = Lane::ALL;

/// Whether `lane` plays every case of the properties below. The processes lane starts a
/// process per board, so it plays fewer (16 cases, a few hundred processes), in a property of
/// its own that holds it to the threads lane, to keep `cargo test` fast.
fn in_every_case(lane: &&Lane) -> bool {
    **lane != Lane::Processes
}

/// This test binary's children, when the processes lane starts them, play their game here.
#[test]
fn coro_simul_processes_worker() {
    coro_simul::lanes::processes::serve_if_child();
}

fn trace(lane: Lane, ex: &Exhibition) -> Trace {
    coro_simul::PlannedFailure::hush();
    lane.trace(ex).expect("small exhibitions fit every lane")
}

/// The rules every lane's trace keeps, whatever stopped its games.
fn check_contract(ex: &Exhibition, trace: &Trace) -> Result<(), TestCaseError> {
    prop_assert!(trace.is_in_contract_order());
    let mut ends = vec![0; ex.opponents() as usize];
    for event in trace.events() {
        if let Some(limit) = ex.time_limit() {
            prop_assert!(event.t.since_start() <= limit, "{event:?} after the limit");
            if let EventKind::MasterMove { .. } = event.kind {
                prop_assert!(event.t.since_start() < limit, "a move started at the limit");
            }
        }
        if matches!(
            event.kind,
            EventKind::GameOver | EventKind::Adjourned | EventKind::Forfeit { .. }
        ) {
            ends[event.board as usize - 1] += 1;
        }
    }
    prop_assert!(ends.iter().all(|&n| n == 1), "every board ends exactly once: {ends:?}");
    Ok(())
}

/// Small exhibitions with, sometimes, a time limit anywhere up to past the end, and sometimes
/// a planned failure on any board and pair.
fn stopped_exhibitions() -> impl Strategy<Value = Exhibition> {
    (common::small_exhibitions(), any::<Option<(u64, u32, u32)>>(), any::<Option<u64>>()).prop_map(
        |(ex, failure, limit)| {
            let span = ex.synchronous_total().as_millis() as u64 + 1;
            let limit = limit.map(|seed| Duration::from_millis(1 + seed % span));
            let failure =
                failure.map(|(_, board, pair)| (1 + board % ex.opponents(), 1 + pair % ex.pairs()));
            common::with(&ex, limit, failure)
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn every_lane_keeps_the_contract_and_the_concurrent_ones_agree(ex in stopped_exhibitions()) {
        let mut concurrent: Option<(Lane, String)> = None;
        for &lane in READY.iter().filter(in_every_case) {
            let played = trace(lane, &ex);
            check_contract(&ex, &played)?;
            if lane == Lane::Sync {
                continue;
            }
            let jsonl = render(Format::Jsonl, &played);
            match &concurrent {
                None => concurrent = Some((lane, jsonl)),
                Some((first, expected)) => {
                    prop_assert!(&jsonl == expected, "{lane} and {first} differ on {ex:?}")
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// The processes lane, in fewer cases: the contract, and the threads lane's trace to the
    /// byte, with time limits and planned failures.
    #[test]
    fn the_processes_lane_keeps_the_contract_and_agrees(ex in stopped_exhibitions()) {
        let played = trace(Lane::Processes, &ex);
        check_contract(&ex, &played)?;
        let threads = render(Format::Jsonl, &trace(Lane::Threads, &ex));
        prop_assert!(render(Format::Jsonl, &played) == threads, "differs on {:?}", ex);
    }
}

fn three_by_two() -> coro_simul::exhibition::ExhibitionBuilder {
    Exhibition::builder().opponents(3).pairs(2)
}

#[test]
fn sync_adjourned_3x2() {
    let ex = three_by_two().time_limit(Duration::from_secs(210)).build().unwrap();
    let about = "`coro-simul trace sync --opponents 3 --pairs 2 --time-limit 3m30s`: board 2's \
                 reply would land at 0:04:00, after the limit, so at 0:03:30 board 2 is \
                 adjourned in the middle of its wait, and board 3, never started, with it";
    common::assert_snapshot!(
        "sync",
        "sync_adjourned_3x2",
        about,
        &render(Format::Text, &trace(Lane::Sync, &ex)),
    );
}

#[test]
fn sync_forfeit_3x2() {
    let ex = three_by_two().failure(2, 2).build().unwrap();
    let about = "`coro-simul trace sync --opponents 3 --pairs 2 --fail-board 2 --fail-at-pair 2`: \
                 board 2's game panics as its reply to pair 1 lands; the lane catches it, \
                 records the forfeit with the panic's message, and board 3 starts at once";
    common::assert_snapshot!(
        "sync",
        "sync_forfeit_3x2",
        about,
        &render(Format::Text, &trace(Lane::Sync, &ex)),
    );
}

#[test]
fn a_forfeit_message_is_escaped_in_jsonl_and_csv() {
    let ex = three_by_two().failure(1, 1).build().unwrap();
    let played = trace(Lane::Sync, &ex);
    let jsonl = render(Format::Jsonl, &played);
    assert!(jsonl.starts_with(
        r#"{"t": 0, "board": 1, "event": "forfeit", "message": "board 1's game failed at pair 1 (a planned failure)"}"#
    ), "{jsonl}");
    assert!(render(Format::Csv, &played).contains(",1,,forfeit,board 1's game failed at pair 1"));
}

/// The concurrent lanes that are ready; each must match the shared snapshots below.
fn concurrent() -> impl Iterator<Item = Lane> {
    READY.iter().copied().filter(|&lane| lane != Lane::Sync)
}

/// The lanes a snapshot shared by every concurrent lane names in its header.
fn concurrent_lanes() -> String {
    let names: Vec<&str> = concurrent().map(Lane::name).collect();
    format!("{}, each in turn", names.join(", "))
}

#[test]
fn concurrent_adjourned_3x2() {
    let ex = three_by_two().time_limit(Duration::from_secs(65)).build().unwrap();
    let about = "`coro-simul trace LANE --opponents 3 --pairs 2 --time-limit 1m5s`, the same for \
                 every concurrent lane: board 2's reply lands at the limit and counts, but no \
                 move starts at it; every game still going is adjourned at 0:01:05";
    for lane in concurrent() {
        let text = render(Format::Text, &trace(lane, &ex));
        common::assert_snapshot!(&concurrent_lanes(), "concurrent_adjourned_3x2", about, &text);
    }
}

#[test]
fn concurrent_forfeit_3x2() {
    let ex = three_by_two().failure(2, 2).build().unwrap();
    let about = "`coro-simul trace LANE --opponents 3 --pairs 2 --fail-board 2 --fail-at-pair 2`, \
                 the same for every concurrent lane: board 2's game panics as its first reply \
                 lands, at 0:01:05; the lane contains it and the other games play on";
    for lane in concurrent() {
        let text = render(Format::Text, &trace(lane, &ex));
        common::assert_snapshot!(&concurrent_lanes(), "concurrent_forfeit_3x2", about, &text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Up to the limit nothing changes: every concurrent lane plays the closed form's events
    /// before it, and the replies (and game overs) landing exactly at it; then every game not
    /// over is adjourned at it.
    #[test]
    fn a_time_limit_cuts_the_closed_form_and_adjourns_the_rest(
        ex in common::small_exhibitions(),
        seed in any::<u64>(),
    ) {
        // Half the time exactly when something happens (a reply landing at the limit counts,
        // a move starting at it does not), else any millisecond up to past the end.
        let closed_form = common::concurrent_trace(&ex);
        let end = common::concurrent_total(&ex).as_millis() as u64;
        let limit = match closed_form[(seed / 2) as usize % closed_form.len()].t.since_start() {
            moment if seed % 2 == 0 && !moment.is_zero() => moment,
            _ => Duration::from_millis(1 + seed % (end + 1_000)),
        };
        let expected = common::cut_at(&ex, limit);
        let limited = common::with(&ex, Some(limit), None);
        for lane in concurrent().filter(|lane| in_every_case(&lane)) {
            let played = trace(lane, &limited);
            prop_assert_eq!(played.events(), &expected[..], "{}", lane);
        }
    }

    /// A game that fails at its very start, at 0:00:00, is as if its board had never been
    /// there: in every concurrent lane the others play the closed form of one board fewer.
    #[test]
    fn a_game_failing_at_the_start_leaves_the_others_a_smaller_simul(
        ex in common::small_exhibitions(),
        seed in any::<u32>(),
    ) {
        prop_assume!(ex.opponents() > 1);
        let failing = 1 + seed % ex.opponents();
        let (m, o) = (ex.master_move(), ex.opponent_move());
        let fewer = Exhibition::new(ex.opponents() - 1, m, o, ex.pairs()).unwrap();
        let others: Vec<Event> = common::concurrent_trace(&fewer)
            .into_iter()
            .map(|mut e| {
                e.board += u32::from(e.board >= failing); // make room for the failing board
                e
            })
            .collect();
        for lane in concurrent().filter(|lane| in_every_case(&lane)) {
            let played = trace(lane, &common::with(&ex, None, Some((failing, 1))));
            let first = &played.events()[0];
            prop_assert_eq!((first.t, first.board, first.name()), (Time::ZERO, failing, "forfeit"));
            prop_assert_eq!(&played.events()[1..], &others[..], "{}", lane);
        }
    }
}

/// A forfeit mid-game stops only its own board, in every concurrent lane: recorded as its
/// reply to the pair before lands, with the panic's message, while the other 23 games play to
/// the end — sooner than without it, since the master no longer stops at that board.
#[test]
fn a_forfeit_does_not_stop_the_other_games() {
    let ex = common::with(&Exhibition::default(), None, Some((5, 10)));
    // Board 5's reply to pair 9 lands after 8 rounds of 2 min, 4 moves of 5 s, and 60 s.
    let lands = Time::from_start(Duration::from_secs(17 * 60 + 20));
    let message = "board 5's game failed at pair 10 (a planned failure)";
    for lane in concurrent() {
        let played = trace(lane, &ex);
        let forfeits: Vec<&Event> =
            played.events().iter().filter(|e| e.name() == "forfeit").collect();
        assert_eq!(forfeits, [&Event::forfeit(lands, 5, message)], "{lane}");
        assert!(played.events().iter().all(|e| e.board != 5 || e.t <= lands), "{lane}");
        let summary = played.summary();
        assert_eq!((summary.games_over(), summary.forfeits()), (23, 1), "{lane}");
        assert!(summary.total() < Duration::from_secs(3655), "{lane}");
    }
}
