//! The threads lane: the cooperative lanes' trace from preemptive threads, a refusal past the
//! cap, and a panicking sink that still stops every game thread. The tests that play other
//! games on the threads (each game on its own named thread, a panicking game contained as a
//! forfeit, at the time limit every blocked thread told to stop and joined) are the lane's
//! own, in `src/lanes/threads/tests.rs`.

mod common;

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::time::Duration;

use coro_simul::Exhibition;
use coro_simul::lanes::{Lane, threads};
use coro_simul::render::{Format, render};
use coro_simul::trace::{Event, Sink, Trace};
use proptest::prelude::*;

proptest! {
    // Every case starts up to 40 threads twice: 64 cases keep the file at a few seconds.
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Event for event, the closed-form concurrent trace (so the jsonl is byte-identical),
    /// however the OS schedules the threads.
    #[test]
    fn plays_the_concurrent_trace(ex in common::small_exhibitions()) {
        let trace = Lane::Threads.trace(&ex).unwrap();
        prop_assert_eq!(trace.events(), &common::concurrent_trace(&ex)[..]);
        prop_assert_eq!(&Lane::Threads.summary(&ex).unwrap(), trace.summary());
    }
}

#[test]
fn the_default_exhibition_takes_1_00_55() {
    let summary = Lane::Threads.summary(&Exhibition::default()).unwrap();
    assert_eq!(summary.total(), Duration::from_secs(3655));
    assert_eq!(summary.games_over(), 24);
}

/// Past the cap the lane refuses before making a single thread, says why and what to do, and
/// reports nothing (`compare` shows the message in the lane's row).
#[test]
fn more_boards_than_the_cap_is_an_error_before_any_event() {
    let crowd = Exhibition::builder().opponents(threads::MAX_THREADS + 1).build().unwrap();
    let mut trace = Trace::new(&crowd);
    let error = Lane::Threads.play(&crowd, &mut trace).unwrap_err();
    assert_eq!(error.lane(), Lane::Threads);
    let message = error.to_string();
    assert!(message.contains("10001 boards would need 10001 OS threads"), "{message}");
    assert!(message.contains("at most 10000 threads"), "{message}");
    assert!(message.contains("--opponents"), "{message}");
    assert!(trace.events().is_empty());
}

/// A sink that breaks on its fifth event, as a full disk might.
struct Fragile(u32);

impl Sink for Fragile {
    fn record(&mut self, _: Event) {
        self.0 += 1;
        assert!(self.0 < 5, "the sink broke");
    }
}

/// The driver panics, not a game: the game threads, blocked mid-game, are still called off
/// and joined, and the sink's panic is the one that comes out.
#[test]
fn a_panicking_sink_stops_every_game_thread_too() {
    let ex = common::three_by_two();
    let played = panic::catch_unwind(AssertUnwindSafe(|| threads::play(&ex, &mut Fragile(0))));
    assert_eq!(message(played.unwrap_err()), "the sink broke");
}

/// A panic's message, as `assert!` with a plain message leaves it.
fn message(payload: Box<dyn Any + Send>) -> &'static str {
    payload.downcast_ref::<&str>().copied().unwrap_or_default()
}

#[test]
fn text_trace_3x2() {
    let about = "`coro-simul trace threads --opponents 3 --pairs 2`: three OS threads run the \
                 sync lane's plain loop, and a coordinator hands them the master in the order \
                 their replies landed, so the trace is every cooperative lane's to the line, \
                 ending at 0:02:10 where sync took 0:06:00";
    common::assert_snapshot!(
        "threads",
        "threads_trace_3x2_text",
        about,
        &render(Format::Text, &Lane::Threads.trace(&common::three_by_two()).unwrap()),
    );
}

/// The default exhibition's summary, beside sync's: the closed form's 1:00:55, the master
/// busy the same hour as in sync, and how many times this lane's games suspended.
#[test]
fn summary_of_the_default_exhibition() {
    let exhibition = coro_simul::Exhibition::default();
    let summary = coro_simul::lanes::Lane::Threads.summary(&exhibition).unwrap();
    assert_eq!(summary.total(), common::concurrent_total(&exhibition));
    let about = "The default exhibition (`coro-simul compare` shows this lane's row of it) \
                 played by the threads lane: \
                 (p−1)·R + n·m + o = 1:00:55, 11.82× faster than sync's 12:00:00, with the master \
                 busy the same n·p·m = 1:00:00; the last line counts the times its games suspended";
    common::assert_snapshot!("threads", "threads_summary_default", about, &summary.to_string());
}

#[test]
fn switches_2x2_snapshot() {
    let switches = Lane::Threads.switches(&common::two_by_two()).unwrap();
    let about = "`coro-simul \
        trace threads --switches --queues --opponents 2 --pairs 2`. One kernel thread per game, \
        and a coordinator (the calling thread, the only one that writes this trace) handing \
        out a baton so that one runs at a time: resume is the baton sent down a channel, the \
        coordinator then blocked in recv; suspend is the game thread sending its request from \
        deep in its plain loop and blocking in recv on its own stack. Diff it with the \
        green-threads snapshot: the same lines in the same order, with a channel and the \
        kernel where corosensei switched stacks, until a game ends: the thread sends GameOver \
        and ends without waiting, and is joined, where a green thread is resumed once more to \
        return.";
    common::assert_snapshot!("threads", "switches_threads_2x2", about, &switches.text(true));
}
