//! Green threads: `plain_game::game` on one small stack per game — one hour.
//!
//!     cargo run --example green_threads
//!
//! Prints the first moves of the default exhibition, where the master moves on to board 2
//! while board 1's opponent thinks, then the summary. The game code is `plain_game::game`,
//! the very function that takes twelve hours in `cargo run --example sync`.

use coro_simul::Exhibition;
use coro_simul::lanes::Lane;
use coro_simul::render::{Format, render};
use coro_simul::trace::Summary;

/// Plays the default exhibition with green threads and returns its trace as text.
fn run() -> (String, Summary) {
    let trace = Lane::GreenThreads
        .trace(&Exhibition::default())
        .expect("24 small stacks are far below any OS limit");
    (render(Format::Text, &trace), trace.summary().clone())
}

fn main() {
    let (text, summary) = run();
    // The first round: every board gets its first move before any opponent has replied.
    text.lines().take(4).for_each(|line| println!("{line}"));
    println!("   ... each board pauses in `await_reply`, on its own stack ...");
    // Board 1's reply lands at 0:01:00 and its game queues behind boards 13 to 24.
    text.lines().skip(11).take(4).for_each(|line| println!("{line}"));
    println!("\n{summary}");
}

#[test]
fn board_two_starts_while_board_one_waits_and_it_takes_an_hour() {
    main();
    let (text, summary) = run();
    let board_two_starts = text.lines().find(|line| line.contains("board  2  pair  1  master"));
    assert_eq!(board_two_starts, Some(" 0:00:05  board  2  pair  1  master moves"));
    assert_eq!(summary.total().as_secs(), 3655);
}
