//! The threads lane: one OS thread per game, the sync lane's plain loop on each — 1:00:55.
//!
//!     cargo run --example threads
//!
//! Plays three boards with a game that notes which OS thread it runs on, then the default
//! exhibition, whose trace is the generators lane's to the event, and last an exhibition too
//! big for one thread per game, which the lane refuses before making a single thread.

use std::sync::Mutex;
use std::thread::{self, ThreadId};

use coro_simul::Exhibition;
use coro_simul::lanes::plain_game::{Adjourned, Host, game};
use coro_simul::lanes::{Lane, threads};
use coro_simul::trace::Summary;

/// Which thread played each board: (board, thread name, thread id).
static PLAYED_ON: Mutex<Vec<(u32, String, ThreadId)>> = Mutex::new(Vec::new());

/// The sync lane's game, after writing down the thread it is on.
fn game_on_a_thread(
    board: u32,
    exhibition: &Exhibition,
    host: &mut dyn Host,
) -> Result<(), Adjourned> {
    let me = thread::current();
    let name = me.name().unwrap_or("unnamed").to_owned();
    PLAYED_ON.lock().expect("a game panicked while noting its thread").push((board, name, me.id()));
    game(board, exhibition, host)
}

/// Plays three boards of two pairs; returns who played where, by board.
fn three_boards() -> Vec<(u32, String, ThreadId)> {
    let exhibition = Exhibition::builder().opponents(3).pairs(2).build().expect("valid");
    PLAYED_ON.lock().expect("no game panicked").clear();
    threads::play_games(&exhibition, &mut Summary::new(&exhibition), game_on_a_thread)
        .expect("three threads are nothing to an OS");
    let mut played_on = PLAYED_ON.lock().expect("no game panicked").clone();
    played_on.sort_by_key(|(board, ..)| *board);
    played_on
}

fn main() {
    let driver = thread::current().id();
    println!("The driver runs on {driver:?}; three boards, each game on its own thread:");
    for (board, name, id) in three_boards() {
        println!("  board {board}: thread '{name}', {id:?}");
    }
    let summary = Lane::Threads.summary(&Exhibition::default()).expect("24 threads are fine");
    println!("\nThe default exhibition, 24 threads taking turns:\n\n{summary}");
    let crowd = Exhibition::builder().opponents(20_000).build().expect("valid");
    let error = Lane::Threads.summary(&crowd).expect_err("20 000 threads is past the cap");
    println!("\n20 000 boards: {error}");
}

#[test]
fn every_game_has_its_own_thread_and_the_trace_is_the_cooperative_one() {
    main();
    let played_on = three_boards();
    let names: Vec<&str> = played_on.iter().map(|(_, name, _)| name.as_str()).collect();
    assert_eq!(names, ["board 1", "board 2", "board 3"]);
    let driver = thread::current().id();
    assert!(played_on.iter().all(|(_, _, id)| *id != driver));
    let default = Exhibition::default();
    let threads = Lane::Threads.trace(&default).expect("24 threads");
    assert_eq!(threads.events(), Lane::Generators.trace(&default).expect("no OS needed").events());
    assert_eq!(threads.summary().total().as_secs(), 3655);
}
