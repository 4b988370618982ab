//! Async/await: 24 `async fn` games on one small executor — the same hour as every lane.
//!
//!     cargo run --example async_await
//!
//! Prints the first reply landing while the master is still going round the boards, the
//! moment she comes back to board 1, and the summary.

use coro_simul::Exhibition;
use coro_simul::lanes::Lane;
use coro_simul::render::{Format, render};
use coro_simul::trace::Summary;

/// Plays the default exhibition with async/await and returns its trace as text.
fn run() -> (String, Summary) {
    let trace = Lane::AsyncAwait
        .trace(&Exhibition::default())
        .expect("the async-await lane needs nothing from the OS");
    (render(Format::Text, &trace), trace.summary().clone())
}

fn main() {
    let (text, summary) = run();
    let lines: Vec<&str> = text.lines().collect();
    // Boards 1..=12 get their first moves by 0:00:55; board 1's reply lands at 0:01:00, while
    // boards 13..=24 still wait for their first. She reaches board 1 again at 0:02:00.
    lines[..2].iter().for_each(|line| println!("{line}"));
    println!("   ... boards 3 to 11 ...");
    lines[11..16].iter().for_each(|line| println!("{line}"));
    println!("   ... boards 3 to 11 reply, each as it lands, between the moves on 15 to 23 ...");
    lines[34..39].iter().for_each(|line| println!("{line}"));
    println!("\n{summary}");
}

#[test]
fn board_one_is_served_again_after_one_round_and_it_takes_an_hour() {
    main();
    let (text, summary) = run();
    let back_at_board_one = text.lines().find(|line| line.contains("board  1  pair  2  master"));
    assert_eq!(back_at_board_one, Some(" 0:02:00  board  1  pair  2  master moves"));
    assert_eq!(summary.total().as_secs(), 3655); // 1:00:55
}
