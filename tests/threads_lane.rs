//! The threads lane: the cooperative lanes' trace from preemptive threads, a game per thread,
//! a refusal past the cap, and no hang when a game panics.

mod common;

use std::any::Any;
use std::collections::HashSet;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::{self, ThreadId};
use std::time::Duration;

use coro_simul::Exhibition;
use coro_simul::lanes::sync::{Table, game};
use coro_simul::lanes::{Lane, threads};
use coro_simul::render::{Format, render};
use coro_simul::trace::{Event, Sink, Summary, Trace};
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

/// Who ran each game: (board, thread name, thread id).
static PLAYERS: Mutex<Vec<(u32, String, ThreadId)>> = Mutex::new(Vec::new());

/// What a plain game returns.
type Played = Result<(), coro_simul::lanes::sync::Adjourned>;

fn game_noting_its_thread(board: u32, ex: &Exhibition, table: &mut dyn Table) -> Played {
    let me = thread::current();
    PLAYERS.lock().unwrap().push((board, me.name().unwrap_or("").to_owned(), me.id()));
    game(board, ex, table)
}

/// Each game really runs on its own OS thread, named after its board, not on the caller's.
#[test]
fn each_game_runs_on_its_own_named_thread() {
    let ex = common::three_by_two();
    let mut trace = Trace::new(&ex);
    threads::play_games(&ex, &mut trace, game_noting_its_thread).unwrap();
    assert_eq!(trace.events(), &common::concurrent_trace(&ex)[..]);
    let mut players = PLAYERS.lock().unwrap().clone();
    players.sort_by_key(|player| player.0);
    let names: Vec<&str> = players.iter().map(|player| player.1.as_str()).collect();
    assert_eq!(names, ["board 1", "board 2", "board 3"]);
    let mut ids: HashSet<ThreadId> = players.iter().map(|player| player.2).collect();
    ids.insert(thread::current().id());
    assert_eq!(ids.len(), 4, "three game threads and the caller, all different");
}

/// Games still on a thread's stack; a game leaves it by returning or by unwinding.
static LIVE_GAMES: AtomicUsize = AtomicUsize::new(0);

struct Live;

impl Live {
    fn new() -> Live {
        LIVE_GAMES.fetch_add(1, Ordering::SeqCst);
        Live
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        LIVE_GAMES.fetch_sub(1, Ordering::SeqCst);
    }
}

fn board_2_panics_at_pair_2(board: u32, ex: &Exhibition, table: &mut dyn Table) -> Played {
    let _live = Live::new();
    for pair in 1..=ex.pairs() {
        assert!((board, pair) != (2, 2), "board 2 knocked the pieces over");
        table.master_moves(board, pair)?;
        table.await_reply(board, pair)?;
    }
    table.game_over(board);
    Ok(())
}

/// A game that panics mid-exhibition does not hang the driver: the other threads, blocked
/// mid-game, are called off and unwound, every thread is joined, and the game's own panic
/// comes out of `play` on the caller's thread.
#[test]
fn a_panicking_game_stops_the_others_and_its_panic_reaches_the_caller() {
    let ex = Exhibition::builder().opponents(4).pairs(3).build().unwrap();
    let played = panic::catch_unwind(|| {
        threads::play_games(&ex, &mut Summary::new(&ex), board_2_panics_at_pair_2)
    });
    assert_eq!(message(played.unwrap_err()), "board 2 knocked the pieces over");
    assert_eq!(
        LIVE_GAMES.load(Ordering::SeqCst),
        0,
        "every game left its thread before play returned"
    );
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

fn walks_away(board: u32, _ex: &Exhibition, table: &mut dyn Table) -> Played {
    table.master_moves(board, 1)
}

/// A game whose thread ends without its game over is a misused driver, said plainly.
#[test]
#[should_panic(expected = "the game on board 1 ended without calling game_over")]
fn a_game_that_ends_without_game_over_is_reported() {
    let ex = Exhibition::builder().opponents(2).pairs(1).build().unwrap();
    let _ = threads::play_games(&ex, &mut Summary::new(&ex), walks_away);
}

#[test]
fn text_trace_3x2() {
    let about = "`coro-simul trace threads --opponents 3 --pairs 2`: three OS threads run the \
                 sync lane's plain loop, and a coordinator hands them the master in the order \
                 their replies landed, so the trace is every cooperative lane's to the line, \
                 ending at 0:02:10 where sync took 0:06:00";
    common::assert_snapshot(
        "threads_trace_3x2_text",
        about,
        &render(Format::Text, &Lane::Threads.trace(&common::three_by_two()).unwrap()),
    );
}
