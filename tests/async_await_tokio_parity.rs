//! The async-await lane against the runtime people use: the same games on tokio's
//! current-thread runtime, with its clock paused, write the byte-identical trace.
//!
//! On tokio the master is a `tokio::sync::Mutex` — fair: waiters get it first come, first
//! served — held for her whole move, which is a `sleep` there: tokio's paused clock moves
//! only when every task waits, so "she is busy for 5 s" is "she holds the lock through a
//! 5 s sleep". Replies are recorded at `Instant::now()`, converted to the crate's [`Time`].
//!
//! Parity holds for durations in whole milliseconds. tokio's timer counts milliseconds: it
//! rounds every sleep's deadline up to the next millisecond tick, so a 1.5 ms move takes
//! 2 ms there, while this crate's executor counts nanoseconds. The last test shows it.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use coro_simul::Exhibition;
use coro_simul::clock::Time;
use coro_simul::lanes::Lane;
use coro_simul::render::{Format, render};
use coro_simul::trace::{Event, Sink, Trace};
use proptest::prelude::*;
use tokio::time::{Instant, sleep};

/// What the games share on tokio: the master (a fair lock), the trace, and the start.
#[derive(Clone)]
struct Arbiter {
    exhibition: Exhibition,
    master: Arc<tokio::sync::Mutex<()>>,
    trace: Arc<Mutex<Trace>>,
    start: Instant,
}

impl Arbiter {
    fn now(&self) -> Time {
        Time::from_start(Instant::now() - self.start)
    }

    fn record(&self, event: Event) {
        self.trace.lock().unwrap().record(event);
    }
}

/// The lane's game, written for tokio.
async fn game(board: u32, arbiter: Arbiter) {
    for pair in 1..=arbiter.exhibition.pairs() {
        let turn = arbiter.master.lock().await; // in line, first come first served
        arbiter.record(Event::master_move(arbiter.now(), board, pair));
        sleep(arbiter.exhibition.master_move()).await; // her move: the others wait for the lock
        drop(turn);
        sleep(arbiter.exhibition.opponent_move()).await;
        arbiter.record(Event::opponent_move(arbiter.now(), board, pair));
    }
    arbiter.record(Event::game_over(arbiter.now(), board));
}

/// Plays `exhibition` on a current-thread runtime whose clock starts paused.
fn tokio_trace(exhibition: &Exhibition) -> Trace {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a tokio runtime");
    let trace = Arc::new(Mutex::new(Trace::new(exhibition)));
    runtime.block_on(async {
        let arbiter = Arbiter {
            exhibition: *exhibition,
            master: Arc::default(),
            trace: trace.clone(),
            start: Instant::now(),
        };
        let games: Vec<_> = (1..=exhibition.opponents())
            .map(|board| tokio::spawn(game(board, arbiter.clone())))
            .collect();
        for finished in games {
            finished.await.expect("a game ran to the end");
        }
    });
    Arc::into_inner(trace).expect("every game is over").into_inner().unwrap()
}

fn jsonl(trace: &Trace) -> String {
    render(Format::Jsonl, trace)
}

/// Exhibitions in whole milliseconds, small enough for many runs.
fn millisecond_exhibitions() -> impl Strategy<Value = Exhibition> {
    let length = (1u64..=120_000).prop_map(Duration::from_millis);
    (1u32..=30, length.clone(), length, 1u32..=6)
        .prop_map(|(n, m, o, p)| Exhibition::new(n, m, o, p).expect("valid"))
}

proptest! {
    /// Many exhibitions, whoever waits for whom: every byte of the jsonl agrees.
    #[test]
    fn tokio_writes_the_same_jsonl(ex in millisecond_exhibitions()) {
        prop_assert_eq!(jsonl(&tokio_trace(&ex)), jsonl(&Lane::AsyncAwait.trace(&ex).unwrap()));
    }
}

#[test]
fn tokio_writes_the_same_jsonl_for_the_stories() {
    let master_waits = common::three_by_two(); // n·m < m + o: she waits for replies
    let master_busy = Exhibition::builder() // n·m > m + o: replies land while she is busy
        .opponents(7)
        .master_move(Duration::from_millis(2_500))
        .opponent_move(Duration::from_millis(9_001))
        .pairs(4)
        .build()
        .unwrap();
    for ex in [Exhibition::default(), master_waits, master_busy] {
        let tokio = tokio_trace(&ex);
        assert_eq!(jsonl(&tokio), jsonl(&Lane::AsyncAwait.trace(&ex).unwrap()), "{ex}");
        assert_eq!(tokio.events(), common::concurrent_trace(&ex));
    }
}

/// Below a millisecond the two part ways: tokio rounds each sleep up to its next
/// millisecond tick, so its master takes 1 ms for a 0.5 ms move.
#[test]
fn finer_durations_differ_because_tokio_counts_milliseconds() {
    let ex = Exhibition::builder()
        .opponents(2)
        .master_move(Duration::from_micros(500))
        .opponent_move(Duration::from_millis(3))
        .pairs(1)
        .build()
        .unwrap();
    let second_move = |trace: &Trace| trace.events()[1].clone();
    let ours = Lane::AsyncAwait.trace(&ex).unwrap();
    assert_eq!(second_move(&ours), Event::master_move(Time::from_start(ex.master_move()), 2, 1));
    let tokio = tokio_trace(&ex);
    let one_ms = Time::from_start(Duration::from_millis(1));
    assert_eq!(second_move(&tokio), Event::master_move(one_ms, 2, 1));
}
