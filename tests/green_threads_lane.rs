//! The green-threads lane: the concurrent trace from `plain_game::game`, the sync lane's game,
//! stacks unwound on drop, and no crash when the OS runs out of stacks. The tests that play a
//! guarded game or a refused stack size through the lane (stacks unwound at the time limit
//! and on a forfeit, the error for a refused stack) are the lane's own, in
//! `src/lanes/green_threads/tests.rs`.

mod common;

use std::cell::Cell;
use std::panic::Location;
use std::rc::Rc;

use coro_simul::Exhibition;
use coro_simul::lanes::Lane;
use coro_simul::lanes::green_threads::{GreenThread, Request, STACK_SIZE};
use coro_simul::lanes::plain_game::{self, Adjourned, Host};
use coro_simul::render::{Format, render};
use coro_simul::trace::{EventKind, Trace};
use proptest::prelude::*;

use common::{assert_snapshot, concurrent_trace, small_exhibitions, three_by_two};

/// What happened on one board, in order, without the times.
fn board_story(trace: &Trace, board: u32) -> Vec<EventKind> {
    trace.events().iter().filter(|e| e.board == board).map(|e| e.kind.clone()).collect()
}

proptest! {
    /// Exactly the closed-form concurrent trace, event for event (so its jsonl is
    /// byte-identical to every other cooperative lane's).
    #[test]
    fn plays_the_concurrent_trace(ex in small_exhibitions()) {
        let trace = Lane::GreenThreads.trace(&ex).unwrap();
        prop_assert_eq!(trace.events(), &concurrent_trace(&ex)[..]);
    }

    /// One game function, two timings: on every board the green threads tell the same story
    /// as the synchronous lane, only sooner.
    #[test]
    fn every_board_tells_the_synchronous_story(ex in small_exhibitions()) {
        let green = Lane::GreenThreads.trace(&ex).unwrap();
        let blocking = Lane::Sync.trace(&ex).unwrap();
        for board in 1..=ex.opponents() {
            prop_assert_eq!(board_story(&green, board), board_story(&blocking, board));
        }
        prop_assert!(green.summary().total() <= blocking.summary().total());
    }
}

#[test]
fn the_default_exhibition_takes_1_00_55() {
    let summary = Lane::GreenThreads.summary(&Exhibition::default()).unwrap();
    assert_eq!(summary.total().as_secs(), 3655);
}

/// Writes down every call `plain_game::game` makes on its host, in the green thread's words,
/// with the game's line that made it (the host's waits are `#[track_caller]`).
struct Recorder(Vec<Request>);

impl Host for Recorder {
    fn master_moves(&mut self, board: u32, pair: u32) -> Result<(), Adjourned> {
        self.0.push(Request::MasterMove { board, pair, paused_at: Location::caller() });
        Ok(())
    }
    fn await_reply(&mut self, board: u32, pair: u32) -> Result<(), Adjourned> {
        self.0.push(Request::AwaitReply { board, pair, paused_at: Location::caller() });
        Ok(())
    }
    fn game_over(&mut self, board: u32) {
        self.0.push(Request::GameOver { board });
    }
}

/// `plain_game::game` on the one call stack and `plain_game::game` in a green thread: the
/// green thread's requests are exactly the game's host calls, each one a suspension inside
/// the game, at the line of the game that made the call.
#[test]
fn a_green_thread_suspends_at_every_host_call_of_the_plain_game() {
    let ex = Exhibition::builder().opponents(4).pairs(3).build().unwrap();
    let mut recorder = Recorder(Vec::new());
    plain_game::game(4, &ex, &mut recorder).unwrap();

    let game = move |host: &mut dyn Host| plain_game::game(4, &ex, host).unwrap();
    let mut thread = GreenThread::spawn(STACK_SIZE, game).expect("one small stack");
    let requests: Vec<Request> = std::iter::from_fn(|| thread.resume()).collect();
    assert_eq!(requests, recorder.0);
    assert_eq!(requests.len(), 3 * 2 + 1);
}

/// Sets its flag when dropped: proof that a destructor ran.
struct Guard(Rc<Cell<bool>>);

impl Drop for Guard {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

/// Dropping a green thread paused deep inside `game` unwinds its stack: the guard on it is
/// dropped, as if the game had returned (this needs `panic = "unwind"`).
#[test]
fn dropping_a_paused_green_thread_runs_the_destructors_on_its_stack() {
    let dropped = Rc::new(Cell::new(false));
    let flag = Rc::clone(&dropped);
    let mut thread = GreenThread::spawn(STACK_SIZE, move |host| {
        let _guard = Guard(flag); // lives on the green thread's stack, not in the closure
        plain_game::game(1, &Exhibition::default(), host).unwrap();
    })
    .expect("one small stack");
    assert!(matches!(thread.resume(), Some(Request::MasterMove { board: 1, pair: 1, .. })));
    assert!(matches!(thread.resume(), Some(Request::AwaitReply { board: 1, pair: 1, .. })));
    assert!(!dropped.get(), "paused, not finished: the guard is still alive");
    drop(thread);
    assert!(dropped.get(), "dropping the paused green thread unwound its stack");
}

/// More boards than Linux's default `vm.max_map_count` allows stacks for: the green-threads
/// row completes or says why it cannot, and the comparison carries on — never a segfault. A
/// lane that cannot play makes the command exit 1 (the threads lane refuses 100 000 threads),
/// as `trace` does, once every row is printed.
#[test]
fn compare_with_100_000_opponents_never_crashes() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_coro-simul"))
        .args(["compare", "--opponents", "100000", "--pairs", "1"])
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8(output.stderr).expect("utf-8");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    let row = stdout.lines().find(|line| line.starts_with("green-threads")).expect("a row");
    let refused = row.contains("cannot play: see below");
    assert!(row.contains("×") || refused, "{row}");
    if refused {
        let explained =
            stdout.lines().any(|line| line.starts_with("green-threads: the OS refused"));
        assert!(explained && stdout.contains("vm.max_map_count"), "{stdout}");
    }
    assert!(stdout.lines().any(|line| line.starts_with("sync ")), "the other lanes still run");
}

#[test]
fn text_trace_3x2() {
    let about = "`coro-simul trace green-threads --opponents 3 --pairs 2`: the synchronous \
                 lane's own game function, yet board 2 starts at 0:00:05, while board 1's \
                 opponent thinks; each game is over the moment its last reply lands";
    let trace = Lane::GreenThreads.trace(&three_by_two()).unwrap();
    assert_snapshot!(
        "green-threads",
        "green_threads_trace_3x2_text",
        about,
        &render(Format::Text, &trace)
    );
}

/// A green thread suspends twice per move pair: once to wait for the master (inside
/// `Host::master_moves`), once to wait for the reply (inside `Host::await_reply`).
#[test]
fn each_game_suspends_twice_per_pair() {
    let exhibition = coro_simul::Exhibition::default();
    let summary = coro_simul::lanes::Lane::GreenThreads.summary(&exhibition).unwrap();
    assert_eq!(summary.suspensions(), 2 * 24 * 30);
}

/// The default exhibition's summary, beside sync's: the closed form's 1:00:55, the master
/// busy the same hour as in sync, and how many times this lane's games suspended.
#[test]
fn summary_of_the_default_exhibition() {
    let exhibition = coro_simul::Exhibition::default();
    let summary = coro_simul::lanes::Lane::GreenThreads.summary(&exhibition).unwrap();
    assert_eq!(summary.total(), common::concurrent_total(&exhibition));
    let about = "The default exhibition (`coro-simul compare` shows this lane's row of it) \
                 played by the green-threads lane: \
                 (p−1)·R + n·m + o = 1:00:55, 11.82× faster than sync's 12:00:00, with the master \
                 busy the same n·p·m = 1:00:00; the last line counts the times its games suspended";
    common::assert_snapshot!(
        "green-threads",
        "green_threads_summary_default",
        about,
        &summary.to_string()
    );
}

#[test]
fn switches_2x2_snapshot() {
    let switches = Lane::GreenThreads.switches(&common::two_by_two()).unwrap();
    let about = "`coro-simul trace green-threads --switches --queues --opponents 2 --pairs 2`. One OS \
        thread, one stack per game: each resume is the driver switching onto a game's own stack \
        (greenlet's switch()), each suspend the game switching back from deep inside its plain \
        loop, game → master_moves → Yielder::suspend, and `paused at` is the game's own line \
        in plain_game.rs, not the driver's. The same waits in the same order as the state \
        machine's; the master's move happens in the driver, between suspend and resume, and \
        the paused game is a stack frozen mid-call, not an enum. game_over is no wait, so it \
        has no suspend: the game says it, the driver records it and resumes the game at once, \
        and the one finish line is its green thread returning, its stack kept spare for the \
        next one.";
    common::assert_snapshot!(
        "green-threads",
        "switches_green_threads_2x2",
        about,
        &switches.text(true)
    );
}
