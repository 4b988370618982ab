//! The switch trace, checked the same way in every lane: it does not change the events, it
//! has one `suspend` line per counted suspension, each saying where the game stopped, and
//! watching it costs the events nothing.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use coro_simul::Exhibition;
use coro_simul::lanes::{Lane, processes};
use coro_simul::trace::{Line, SwitchKind};
use proptest::prelude::*;

use common::small_exhibitions;

/// The lanes whose schedulers report their switches. The processes lane reports them too, but
/// starts a process per board: a proptest of it would start thousands, so it has its own test
/// below, on a few exhibitions chosen to reach every switch it makes.
const WATCHED: &[Lane] = &[
    Lane::Sync,
    Lane::Callbacks,
    Lane::StateMachine,
    Lane::Generators,
    Lane::AsyncAwait,
    Lane::GreenThreads,
    Lane::Threads,
];

/// This test binary's children, when the processes lane starts them, play their game here.
#[test]
fn coro_simul_processes_worker() {
    processes::serve_if_child();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Watching the switches changes nothing the lane reports: the same events in the same
    /// order, the same summary.
    #[test]
    fn watching_changes_no_event(ex in small_exhibitions()) {
        for &lane in WATCHED {
            let switches = lane.switches(&ex).unwrap();
            let events: Vec<_> = switches.lines().iter().filter_map(|line| match line {
                Line::Event(event) => Some(event.clone()),
                Line::Switch(_) => None,
            }).collect();
            let trace = lane.trace(&ex).unwrap();
            prop_assert_eq!(&events[..], trace.events(), "{}", lane);
            prop_assert_eq!(switches.summary(), trace.summary(), "{}", lane);
        }
    }

    /// Every suspension the summary counts is one `suspend` line, and every `suspend` line
    /// says where the game stopped.
    #[test]
    fn every_suspension_is_one_suspend_line(ex in small_exhibitions()) {
        for &lane in WATCHED {
            let switches = lane.switches(&ex).unwrap();
            let suspends: Vec<_> =
                switches.switches().filter(|s| s.kind == SwitchKind::Suspend).collect();
            prop_assert_eq!(suspends.len() as u64, switches.summary().suspensions(), "{}", lane);
            prop_assert!(suspends.iter().all(|s| s.paused_at.is_some()), "{}", lane);
        }
    }
}

/// Switches come in the order they happened: their clock never goes back.
#[test]
fn the_clock_never_goes_back() {
    for &lane in WATCHED {
        let switches = lane.switches(&common::two_by_two()).unwrap();
        let times: Vec<_> = switches.switches().map(|switch| switch.t).collect();
        assert!(times.windows(2).all(|pair| pair[0] <= pair[1]), "{lane}: {times:?}");
    }
}

/// The processes lane, and the plain-game lanes beside it, on exhibitions that reach every
/// switch: the 2 × 2 of the snapshots, a crowd the master cannot serve in one reply's time,
/// a game that fails midway, and a time limit that adjourns the rest. The same three checks
/// as above: the events unchanged, one `suspend` line per suspension, each placed, the clock
/// never going back.
#[test]
fn the_plain_game_lanes_on_chosen_exhibitions() {
    // A planned failure is expected: no panic message (nor backtrace, on a green thread's
    // small stack) for it.
    coro_simul::PlannedFailure::hush();
    let crowd = Exhibition::builder().opponents(13).pairs(3).build().unwrap();
    let fails = common::with(&common::two_by_two(), None, Some((2, 2)));
    let limited = common::with(&crowd, Some(Duration::from_secs(100)), Some((3, 1)));
    let mut kinds = HashSet::new();
    for ex in [common::two_by_two(), crowd, fails, limited] {
        for lane in [Lane::Processes, Lane::GreenThreads, Lane::Threads] {
            let switches = lane.switches(&ex).unwrap();
            kinds.extend(switches.switches().map(|switch| (lane, switch.kind)));
            let trace = lane.trace(&ex).unwrap();
            let events: Vec<_> = switches
                .lines()
                .iter()
                .filter_map(|line| match line {
                    Line::Event(event) => Some(event.clone()),
                    Line::Switch(_) => None,
                })
                .collect();
            assert_eq!(&events[..], trace.events(), "{lane} on {ex}");
            let suspends: Vec<_> =
                switches.switches().filter(|s| s.kind == SwitchKind::Suspend).collect();
            assert_eq!(suspends.len() as u64, switches.summary().suspensions(), "{lane} on {ex}");
            assert!(suspends.iter().all(|s| s.paused_at.is_some()), "{lane} on {ex}");
            let times: Vec<_> = switches.switches().map(|switch| switch.t).collect();
            assert!(times.windows(2).all(|pair| pair[0] <= pair[1]), "{lane} on {ex}");
        }
    }
    // Every kind of switch these lanes make, each lane: the exhibitions reach them all.
    let made = [SwitchKind::Resume, SwitchKind::Suspend, SwitchKind::Finish, SwitchKind::Idle];
    for lane in [Lane::Processes, Lane::GreenThreads, Lane::Threads] {
        assert!(made.iter().all(|&kind| kinds.contains(&(lane, kind))), "{lane}: {kinds:?}");
    }
}
