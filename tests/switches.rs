//! The switch trace, checked the same way in every lane: it does not change the events, it
//! has one `suspend` line per counted suspension, each saying where the game stopped, and
//! watching it costs the events nothing.

mod common;

use coro_simul::lanes::Lane;
use coro_simul::trace::{Line, SwitchKind};
use proptest::prelude::*;

use common::small_exhibitions;

/// The lanes whose schedulers report their switches.
const WATCHED: &[Lane] = &[Lane::StateMachine, Lane::AsyncAwait];

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
