//! The async/await lane, checked against the concurrent closed form, with its executor's
//! `yield_now` and a snapshot.

mod common;

use std::cell::{Cell, RefCell};
use std::time::Duration;

use coro_simul::Exhibition;
use coro_simul::lanes::Lane;
use coro_simul::lanes::async_await::executor::Executor;
use coro_simul::render::{Format, render};
use futures::FutureExt;
use proptest::prelude::*;

proptest! {
    /// Every event, its time and its place in the order are exactly the closed form's, so
    /// the jsonl is byte-identical to every other cooperative lane's.
    #[test]
    fn the_trace_is_the_concurrent_closed_form(ex in common::small_exhibitions()) {
        let trace = Lane::AsyncAwait.trace(&ex).unwrap();
        prop_assert_eq!(trace.events(), &common::concurrent_trace(&ex)[..]);
        prop_assert_eq!(&Lane::AsyncAwait.summary(&ex).unwrap(), trace.summary());
    }
}

#[test]
fn the_default_exhibition_takes_1_00_55() {
    let summary = Lane::AsyncAwait.summary(&Exhibition::default()).unwrap();
    assert_eq!(summary.total(), Duration::from_secs(3655));
    assert_eq!(summary.master_moves(), 24 * 30);
    assert_eq!(summary.games_over(), 24);
}

/// `yield_now` is asyncio's `sleep(0)`: the task steps aside, every other runnable task and
/// every timer already due goes first, and the clock does not move.
#[test]
fn yield_now_lets_the_others_go_first_without_time_passing() {
    let executor = Executor::new();
    let log = RefCell::new(Vec::new());
    let note = |what: &'static str| log.borrow_mut().push((what, executor.now().as_nanos()));
    let sleeper = async {
        executor.sleep(Duration::from_secs(1)).await;
        note("sleeper wakes");
    };
    let polite = async {
        note("polite starts");
        executor.busy(Duration::from_secs(2)); // the sleeper's timer falls due meanwhile
        executor.yield_now().await;
        note("polite resumes");
    };
    let other = async { note("other runs") };
    executor.run([sleeper.boxed_local(), polite.boxed_local(), other.boxed_local()]);
    let two_seconds = 2_000_000_000;
    assert_eq!(
        *log.borrow(),
        [
            ("polite starts", 0),
            ("other runs", two_seconds),
            ("sleeper wakes", two_seconds), // due at 1 s: late, because polite was busy
            ("polite resumes", two_seconds),
        ]
    );
}

/// A deadline already past still suspends once (a sleep always gives the others a turn), and
/// the clock never runs back to it.
#[test]
fn the_clock_never_runs_backwards() {
    let executor = Executor::new();
    let at = |secs| coro_simul::clock::Time::from_start(Duration::from_secs(secs));
    let woke_at = std::cell::Cell::new(None);
    executor.run([async {
        executor.busy(Duration::from_secs(10));
        executor.sleep_until(at(5)).await;
        woke_at.set(Some(executor.now()));
    }]);
    assert_eq!(woke_at.get(), Some(at(10)));
}

/// A task that waits for a wake-up nobody will send is a deadlock, and says so.
#[test]
#[should_panic(expected = "deadlock: 1 tasks wait forever")]
fn waiting_forever_is_a_clear_panic() {
    Executor::new().run([std::future::pending::<()>()]);
}

#[test]
fn text_trace_3x2() {
    let about = "`coro-simul trace async-await --opponents 3 --pairs 2`: while board 1's \
                 opponent thinks, the master moves on boards 2 and 3; from 0:00:15 she waits \
                 for the first reply (0:01:00), and whichever board replied is next: 0:02:10 \
                 in all, not 0:06:00";
    common::assert_snapshot(
        "async_await_trace_3x2_text",
        about,
        &render(Format::Text, &Lane::AsyncAwait.trace(&common::three_by_two()).unwrap()),
    );
}

/// Counts its drops: a guard held across an `.await`.
struct Guard<'a>(&'a Cell<u32>);

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

/// With a time limit, no timer fires after it even when a busy task takes the clock past it;
/// the task woken by then runs until it next waits; then `run` jumps to the limit, drops
/// every unfinished task (their destructors run: the guards count them) and names them.
#[test]
fn at_its_limit_the_executor_drops_the_unfinished_tasks() {
    let at = |secs| coro_simul::clock::Time::from_start(Duration::from_secs(secs));
    let executor = Executor::new().stop_at(at(100));
    let (dropped, log) = (Cell::new(0), RefCell::new(Vec::new()));
    let napper = |name: &'static str, secs, busy| {
        let (executor, dropped, log) = (&executor, &dropped, &log);
        async move {
            let _guard = Guard(dropped);
            executor.sleep(Duration::from_secs(secs)).await;
            log.borrow_mut().push((name, executor.now().since_start().as_secs()));
            executor.busy(Duration::from_secs(busy)); // may take the clock past the limit
            executor.sleep(Duration::from_secs(1)).await;
            log.borrow_mut().push((name, 0)); // never: every second sleep ends after the limit
        }
        .boxed_local()
    };
    let unfinished = executor.run([
        napper("busy past the limit", 90, 20), // 90 s to 110 s
        napper("due in the middle", 105, 0),   // would land at 105 s: never fires
        napper("due at the limit", 100, 0),    // fires at 100 s, runs at 110 s (late)
    ]);
    assert_eq!(*log.borrow(), [("busy past the limit", 90), ("due at the limit", 110)]);
    assert_eq!(unfinished, [0, 1, 2]);
    assert_eq!(dropped.get(), 3, "every unfinished task was dropped, and its guard with it");
}
