//! The callbacks lane and its event loop: the closed-form trace, the loop's order, and
//! cancellation.

mod common;

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use coro_simul::Exhibition;
use coro_simul::clock::Time;
use coro_simul::lanes::Lane;
use coro_simul::lanes::callbacks::EventLoop;
use coro_simul::render::{Format, render};
use coro_simul::trace::{PausedAt, Switch, SwitchKind};
use proptest::prelude::*;

use common::{assert_snapshot, concurrent_trace, small_exhibitions, three_by_two};

const SECOND: Duration = Duration::from_secs(1);

proptest! {
    /// Every event, its time and its place in the trace are exactly the closed form's.
    #[test]
    fn the_trace_is_the_closed_form(ex in small_exhibitions()) {
        let trace = Lane::Callbacks.trace(&ex).unwrap();
        prop_assert_eq!(trace.events(), &concurrent_trace(&ex)[..]);
        prop_assert!(trace.is_in_contract_order());
    }

    /// Closures and an enum, same bytes: the jsonl traces of this lane and the state machine
    /// are identical.
    #[test]
    fn the_jsonl_is_the_state_machines_byte_for_byte(ex in small_exhibitions()) {
        let callbacks = render(Format::Jsonl, &Lane::Callbacks.trace(&ex).unwrap());
        let state_machine = render(Format::Jsonl, &Lane::StateMachine.trace(&ex).unwrap());
        prop_assert_eq!(callbacks, state_machine);
    }
}

#[test]
fn the_default_exhibition_takes_1_00_55() {
    let summary = Lane::Callbacks.summary(&Exhibition::default()).unwrap();
    assert_eq!(summary.total().as_secs(), 3655);
    assert_eq!(summary.games_over(), 24);
}

#[test]
fn cancel_on_a_pending_call_later_prevents_the_callback() {
    let ran = Rc::new(Cell::new(0));
    let mut lp = EventLoop::new();
    let counter = |ran: &Rc<Cell<i32>>| {
        let ran = Rc::clone(ran);
        move |_: &mut EventLoop<'_>| ran.set(ran.get() + 1)
    };
    let doomed = lp.call_later(SECOND * 60, counter(&ran));
    lp.call_later(SECOND * 90, counter(&ran)); // not cancelled: still runs
    let handle = doomed.clone();
    lp.call_later(SECOND * 30, move |_| handle.cancel()); // cancelled while pending
    lp.run();
    assert!(doomed.cancelled());
    assert_eq!(ran.get(), 1, "only the timer that was not cancelled ran");
    assert_eq!(lp.time().since_start(), SECOND * 90);
}

#[test]
fn a_cancelled_timer_is_not_waited_for() {
    let mut lp = EventLoop::new();
    lp.call_later(SECOND * 60, |_| panic!("a cancelled callback ran")).cancel();
    lp.call_later(SECOND * 10, |_| {});
    lp.run();
    assert_eq!(lp.time().since_start(), SECOND * 10);
}

/// The order the trace contract relies on: a timer that came due while a callback was busy
/// runs before the next ready callback, even one queued long before; ready callbacks run
/// first come, first served.
#[test]
fn due_timers_run_before_the_next_ready_callback() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let mut lp = EventLoop::new();
    let note = |name: &'static str| {
        let log = Rc::clone(&log);
        move |lp: &mut EventLoop<'_>| log.borrow_mut().push((name, lp.time().since_start()))
    };
    let busy = note("busy");
    lp.call_soon(move |lp| {
        busy(lp);
        lp.work(SECOND * 10);
    });
    lp.call_soon(note("queued second"));
    lp.call_later(SECOND * 5, note("timer due at 5 s"));
    lp.call_later(SECOND * 20, note("timer due at 20 s"));
    lp.run();
    let expected = [
        ("busy", Duration::ZERO),
        ("timer due at 5 s", SECOND * 10), // late: the loop was busy until 10 s
        ("queued second", SECOND * 10),
        ("timer due at 20 s", SECOND * 20), // idle: the clock jumped
    ];
    assert_eq!(log.borrow()[..], expected);
}

/// `run_until` is the lane's time limit: a timer due at the deadline runs, even when the loop
/// gets to it late; a timer due after it does not, nor a ready callback at it.
#[test]
fn run_until_runs_what_is_due_by_the_deadline_and_starts_nothing_at_it() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let mut lp = EventLoop::new();
    let note = |name: &'static str| {
        let log = Rc::clone(&log);
        move |lp: &mut EventLoop<'_>| log.borrow_mut().push((name, lp.time().since_start()))
    };
    let (at_deadline, after) = (note("timer due at 30 s"), note("timer due at 40 s"));
    let never = note("queued at 30 s");
    lp.call_soon(move |lp| {
        lp.work(SECOND * 20);
        lp.call_later(SECOND * 10, at_deadline);
        lp.call_later(SECOND * 20, after);
        lp.call_soon(move |lp| lp.work(SECOND * 15)); // busy until 35 s, past the deadline
        lp.call_soon(never);
    });
    lp.run_until(Time::from_start(SECOND * 30));
    assert_eq!(log.borrow()[..], [("timer due at 30 s", SECOND * 35)]);
    lp.run(); // what was left is still queued: the rest runs when the loop runs on
    assert_eq!(log.borrow().len(), 3);
}

/// Closing the loop drops every queued callback without running it, and what it captured
/// with it: a paused game's cleanup.
#[test]
fn close_drops_the_queued_callbacks_unrun() {
    struct Guard(Rc<Cell<u32>>);
    impl Drop for Guard {
        fn drop(&mut self) {
            self.0.set(self.0.get() + 1);
        }
    }
    let dropped = Rc::new(Cell::new(0));
    let mut lp = EventLoop::new();
    let (soon, later) = (Guard(Rc::clone(&dropped)), Guard(Rc::clone(&dropped)));
    lp.call_soon(move |_| panic!("ran after close: {}", soon.0.get()));
    lp.call_later(SECOND, move |_| panic!("ran after close: {}", later.0.get())).cancel();
    lp.close();
    assert_eq!(dropped.get(), 2);
    lp.run();
    assert_eq!(lp.time(), Time::ZERO);
}

/// A callback that panics unwinds out of `run` and nothing else: the loop is whole, and
/// running it again carries on with the next callback. The lane catches it there.
#[test]
fn a_panicking_callback_leaves_the_loop_able_to_run_on() {
    let ran = Rc::new(Cell::new(false));
    let mut lp = EventLoop::new();
    lp.call_soon(|_| std::panic::panic_any("a game failed"));
    let after = Rc::clone(&ran);
    lp.call_later(SECOND, move |_| after.set(true));
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| lp.run()));
    assert_eq!(caught.unwrap_err().downcast_ref::<&str>(), Some(&"a game failed"));
    lp.run();
    assert!(ran.get());
}

#[test]
fn text_trace_3x2() {
    let about = "`coro-simul trace callbacks --opponents 3 --pairs 2`: the same trace as the \
                 state machine; each reply is recorded when it lands, by a closure that the \
                 master's move left with the event loop";
    assert_snapshot!(
        "callbacks",
        "callbacks_trace_3x2_text",
        about,
        &render(Format::Text, &Lane::Callbacks.trace(&three_by_two()).unwrap()),
    );
}

/// The default exhibition's summary, beside sync's: the closed form's 1:00:55, the master
/// busy the same hour as in sync, and how many times this lane's games suspended.
#[test]
fn summary_of_the_default_exhibition() {
    let exhibition = coro_simul::Exhibition::default();
    let summary = coro_simul::lanes::Lane::Callbacks.summary(&exhibition).unwrap();
    assert_eq!(summary.total(), common::concurrent_total(&exhibition));
    let about = "The default exhibition (`coro-simul compare` shows this lane's row of it) \
                 played by the callbacks lane: \
                 (p−1)·R + n·m + o = 1:00:55, 11.82× faster than sync's 12:00:00, with the master \
                 busy the same n·p·m = 1:00:00; the last line counts the times its games suspended";
    common::assert_snapshot!("callbacks", "callbacks_summary_default", about, &summary.to_string());
}

#[test]
fn switches_2x2_snapshot() {
    let switches = Lane::Callbacks.switches(&common::two_by_two()).unwrap();
    let about = "`coro-simul trace callbacks --switches --queues --opponents 2 --pairs 2`. Who runs: \
        only the event loop calls anything (`loop: ready → …` from its call_soon queue, `loop: \
        timer due → …` from its timers). Who waits: a game never waits inside a function; each \
        callback ends by handing the loop the rest of the game, call_soon(master_moves[…]) to \
        queue for the master or call_later(55s, reply_lands[…]) for the reply, and returns: \
        that return is the suspension, and the paused game is nothing but that closure's \
        captures (`paused at`). Who wakes whom: nobody; the loop finds a timer due, or jumps \
        its clock to one (`idle`). `ready` is the master's line (at the start it also holds the \
        games not started yet: `ready [2, 1]` is board 2's game_starts, then board 1's first \
        move), `timers` the replies in flight.";
    common::assert_snapshot!("callbacks", "switches_callbacks_2x2", about, &switches.text(true));
}

/// Every wait ends a callback: the game's first wait for the master (at the start), and both
/// waits of every pair but the last reply, which ends the game instead. Each is one `suspend`
/// whose game lives in a closure's captures.
#[test]
fn every_wait_returns_to_the_loop() {
    let ex = three_by_two();
    let switches = Lane::Callbacks.switches(&ex).unwrap();
    let suspends: Vec<_> =
        switches.switches().filter(|switch| switch.kind == SwitchKind::Suspend).collect();
    assert_eq!(suspends.len() as u32, 2 * ex.opponents() * ex.pairs());
    let (later, soon): (Vec<&&Switch>, Vec<&&Switch>) =
        suspends.iter().partition(|switch| switch.says.starts_with("call_later"));
    assert_eq!(later.len() as u32, ex.opponents() * ex.pairs(), "one reply a pair");
    assert!(soon.iter().all(|switch| switch.says.starts_with("call_soon(master_moves")));
    assert!(suspends.iter().all(|switch| {
        matches!(&switch.paused_at, Some(PausedAt::State(at)) if at.contains("captures"))
    }));
}

/// At the limit each unfinished game ends where its closure waits: a reply's timer is
/// cancelled, a master's move still in the ready queue is dropped unrun by `close()`.
#[test]
fn at_the_limit_each_paused_closure_is_cancelled_or_dropped() {
    let ex = common::with(&three_by_two(), Some(Duration::from_secs(65)), None);
    let switches = Lane::Callbacks.switches(&ex).unwrap();
    let finishes: Vec<(Option<u32>, &str)> = (switches.switches())
        .filter(|switch| switch.kind == SwitchKind::Finish)
        .map(|switch| (switch.board, switch.says.as_str()))
        .collect();
    // Board 2's reply landed at the limit and queued its next move; boards 1 and 3 wait for
    // their replies.
    assert_eq!(
        finishes,
        [
            (Some(1), "the limit: reply_lands[board 1, pair 2]'s timer cancelled, never to run"),
            (Some(2), "the limit: close() drops master_moves[board 2, pair 2] unrun"),
            (Some(3), "the limit: reply_lands[board 3, pair 1]'s timer cancelled, never to run"),
        ]
    );
}
