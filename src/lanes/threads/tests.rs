//! The threads lane's own tests: games other than the plain one, played through the lane's
//! private `play_games_on`, to see each game on its own named thread, a panicking game
//! contained as a forfeit, blocked threads told to stop at the time limit, and a game that
//! walks away reported.

use std::collections::HashSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::{self, ThreadId};
use std::time::Duration;

use super::{STACK_SIZE, play_games_on};
use crate::clock::{Time, VirtualClock};
use crate::lanes::error::LaneError;
use crate::lanes::lane::Lane;
use crate::lanes::plain_game::{Adjourned, GameFn, Host, game};
use crate::trace::{Event, Summary, Trace};
use crate::{Exhibition, PlannedFailure};

/// What a plain game returns.
type Played = Result<(), Adjourned>;

/// The lane with `game` on every thread, on the virtual clock.
fn play_games(ex: &Exhibition, trace: &mut Trace, game: GameFn) -> Result<(), LaneError> {
    play_games_on(ex, VirtualClock::new(), trace, STACK_SIZE, game)
}

/// Who ran each game: (board, thread name, thread id).
static PLAYERS: Mutex<Vec<(u32, String, ThreadId)>> = Mutex::new(Vec::new());

fn game_noting_its_thread(board: u32, ex: &Exhibition, host: &mut dyn Host) -> Played {
    let me = thread::current();
    PLAYERS.lock().unwrap().push((board, me.name().unwrap_or("").to_owned(), me.id()));
    game(board, ex, host)
}

/// Each game really runs on its own OS thread, named after its board, not on the caller's;
/// and noting the thread changes nothing in the trace: it is the plain game's, which
/// `tests/threads_lane.rs` holds to the closed-form concurrent trace.
#[test]
fn each_game_runs_on_its_own_named_thread() {
    let ex = Exhibition::builder().opponents(3).pairs(2).build().unwrap();
    let mut trace = Trace::new(&ex);
    play_games(&ex, &mut trace, game_noting_its_thread).unwrap();
    assert_eq!(trace.events(), Lane::Threads.trace(&ex).unwrap().events());
    assert_eq!(trace.events(), Lane::Generators.trace(&ex).unwrap().events());
    let mut players = PLAYERS.lock().unwrap().clone();
    players.sort_by_key(|player| player.0);
    let names: Vec<&str> = players.iter().map(|player| player.1.as_str()).collect();
    assert_eq!(names, ["board 1", "board 2", "board 3"]);
    let mut ids: HashSet<ThreadId> = players.iter().map(|player| player.2).collect();
    ids.insert(thread::current().id());
    assert_eq!(ids.len(), 4, "three game threads and the caller, all different");
}

/// Counts the games still on a thread's stack; a game leaves it by returning or by unwinding.
struct Live(&'static AtomicUsize);

impl Live {
    fn new(games: &'static AtomicUsize) -> Live {
        games.fetch_add(1, Ordering::SeqCst);
        Live(games)
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Games of the forfeit test still on their threads.
static LIVE_GAMES: AtomicUsize = AtomicUsize::new(0);

fn board_2_panics_at_pair_2(board: u32, ex: &Exhibition, host: &mut dyn Host) -> Played {
    let _live = Live::new(&LIVE_GAMES);
    for pair in 1..=ex.pairs() {
        assert!((board, pair) != (2, 2), "board 2 knocked the pieces over");
        host.master_moves(board, pair)?;
        host.await_reply(board, pair)?;
    }
    host.game_over(board);
    Ok(())
}

/// A game that panics mid-exhibition is contained: its panic comes out of its thread's
/// `join`, the board forfeits with the panic's message at the moment it failed, and the other
/// threads play on to the end — the very trace of a planned failure there, message aside.
#[test]
fn a_panicking_game_forfeits_and_the_others_play_on() {
    let ex = Exhibition::builder().opponents(4).pairs(3).build().unwrap();
    let mut trace = Trace::new(&ex);
    play_games(&ex, &mut trace, board_2_panics_at_pair_2).unwrap();
    assert_eq!(LIVE_GAMES.load(Ordering::SeqCst), 0, "every game left its thread");

    let forfeit = trace.events().iter().find(|e| e.name() == "forfeit").unwrap();
    assert_eq!((forfeit.board, forfeit.message()), (2, Some("board 2 knocked the pieces over")));
    let over: Vec<u32> =
        trace.events().iter().filter(|e| e.name() == "game_over").map(|e| e.board).collect();
    assert_eq!(over, [1, 3, 4]);

    PlannedFailure::hush();
    let planned = Lane::Threads
        .trace(&Exhibition::builder().opponents(4).pairs(3).failure(2, 2).build().unwrap())
        .unwrap();
    let without_messages = |trace: &Trace| -> Vec<(Time, u32, &str)> {
        trace.events().iter().map(|e| (e.t, e.board, e.name())).collect()
    };
    assert_eq!(without_messages(&trace), without_messages(&planned));
}

/// Games of the adjournment test still on their threads, and those that saw the time limit
/// stop them: their host call returned `Err(Adjourned)`.
static LIVE_AT_THE_LIMIT: AtomicUsize = AtomicUsize::new(0);
static TOLD_TO_STOP: AtomicUsize = AtomicUsize::new(0);

fn game_watching_for_the_limit(board: u32, ex: &Exhibition, host: &mut dyn Host) -> Played {
    let _live = Live::new(&LIVE_AT_THE_LIMIT);
    let played = game(board, ex, host);
    if played == Err(Adjourned) {
        TOLD_TO_STOP.fetch_add(1, Ordering::SeqCst);
    }
    played
}

/// At the time limit every thread still blocked in a host call is told to stop — the call
/// returns `Err(Adjourned)` and the game leaves its loop with `?` — and joined before `play`
/// returns; the trace is every concurrent lane's.
#[test]
fn at_the_time_limit_blocked_threads_are_told_to_stop_and_joined() {
    let ex = Exhibition::builder()
        .opponents(4)
        .pairs(3)
        .time_limit(Duration::from_secs(150))
        .build()
        .unwrap();
    let mut trace = Trace::new(&ex);
    play_games(&ex, &mut trace, game_watching_for_the_limit).unwrap();
    assert_eq!(LIVE_AT_THE_LIMIT.load(Ordering::SeqCst), 0, "every game left its thread");

    let adjourned: Vec<&Event> =
        trace.events().iter().filter(|e| e.name() == "adjourned").collect();
    assert_eq!(adjourned.len(), 4, "no game finishes within 2:30");
    assert!(adjourned.iter().all(|e| e.t == Time::from_start(Duration::from_secs(150))));
    assert_eq!(TOLD_TO_STOP.load(Ordering::SeqCst), 4, "each game heard it in its host call");
    assert_eq!(trace.events(), Lane::GreenThreads.trace(&ex).unwrap().events());
}

fn walks_away(board: u32, _ex: &Exhibition, host: &mut dyn Host) -> Played {
    host.master_moves(board, 1)
}

/// A game whose thread ends without its game over is a misused driver, said plainly.
#[test]
#[should_panic(expected = "the game on board 1 ended without calling game_over")]
fn a_game_that_ends_without_game_over_is_reported() {
    let ex = Exhibition::builder().opponents(2).pairs(1).build().unwrap();
    let _ = play_games_on(&ex, VirtualClock::new(), &mut Summary::new(&ex), STACK_SIZE, walks_away);
}
