//! The synchronous baseline: one game to the end, then the next — twelve hours.
//!
//!     cargo run --example sync
//!
//! Prints the first moves of the default exhibition, where board 2 waits half an hour for
//! board 1 to finish, then the summary.

use coro_simul::Exhibition;
use coro_simul::lanes::Lane;
use coro_simul::render::{Format, render};
use coro_simul::trace::Summary;

/// Plays the default exhibition synchronously and returns its trace as text.
fn run() -> (String, Summary) {
    let trace =
        Lane::Sync.trace(&Exhibition::default()).expect("the sync lane needs nothing from the OS");
    (render(Format::Text, &trace), trace.summary().clone())
}

fn main() {
    let (text, summary) = run();
    let lines: Vec<&str> = text.lines().collect();
    // Board 1's whole game is 60 move lines and a game-over line; show its start and its end,
    // which is where board 2 finally starts.
    lines[..4].iter().for_each(|line| println!("{line}"));
    println!("   ... board 1 plays its whole game; every other board waits ...");
    lines[59..64].iter().for_each(|line| println!("{line}"));
    println!("\n{summary}");
}

#[test]
fn board_two_starts_when_board_one_ends_and_it_takes_twelve_hours() {
    main();
    let (text, summary) = run();
    let board_two_starts = text.lines().find(|line| line.contains("board  2  pair  1  master"));
    assert_eq!(board_two_starts, Some(" 0:30:00  board  2  pair  1  master moves"));
    assert_eq!(summary.total().as_secs(), 12 * 3600);
}
