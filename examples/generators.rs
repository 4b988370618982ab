//! The generators lane: each game yields what it waits for and is sent the reply — 1:00:55.
//!
//!     cargo run --example generators
//!
//! Drives one game by hand, printing every value it yields and every value sent into it (the
//! lane's driver has the same conversation with all 24 games at once), then plays the default
//! exhibition through that driver and prints the summary.

use coro_simul::Exhibition;
use coro_simul::clock::{Time, VirtualClock};
use coro_simul::lanes::Lane;
use coro_simul::lanes::generators::{GameOver, Reply, Request, game};
use coro_simul::trace::Summary;
use genawaiter::GeneratorState;
use genawaiter::rc::Gen;

/// One game of `exhibition` on board 1, with the master at that board all along. Each line
/// is one `resume_with` and what came back; also returns the game's return value.
fn conversation(exhibition: &Exhibition) -> (Vec<String>, GameOver) {
    let mut generator = Gen::new(|co| game(co, 1, exhibition));
    let mut clock = VirtualClock::new();
    let mut lines = Vec::new();
    // `next(gen)`: genawaiter drops the first value sent, so any reply will do.
    let mut send = Reply { board: 0, pair: 0, landed: Time::ZERO };
    let mut said = "next(game)        (the priming value is dropped)".to_owned();
    loop {
        match generator.resume_with(send) {
            GeneratorState::Yielded(Request { board, pair }) => {
                lines.push(format!(
                    "{said:<52} -> yields Request {{ board: {board}, pair: {pair} }}"
                ));
                // The master moves, the opponent thinks, and the reply is sent in.
                clock.advance_by(exhibition.master_move() + exhibition.opponent_move());
                send = Reply { board, pair, landed: clock.now() };
                said = format!(
                    "send(Reply {{ board: {board}, pair: {pair}, landed: {} }})",
                    clock.now()
                );
            }
            GeneratorState::Complete(over) => {
                lines.push(format!(
                    "{said:<52} -> returns GameOver {{ board: 1, at: {} }}",
                    over.at
                ));
                return (lines, over);
            }
        }
    }
}

/// The default exhibition, but three move pairs a game.
fn three_pairs() -> Exhibition {
    Exhibition::builder().pairs(3).build().expect("a valid exhibition")
}

fn summary() -> Summary {
    Lane::Generators.summary(&Exhibition::default()).expect("generators need nothing from the OS")
}

fn main() {
    println!("One game of 3 move pairs, the master never away:\n");
    conversation(&three_pairs()).0.iter().for_each(|line| println!("{line}"));
    println!("\nThe whole exhibition, 24 such conversations interleaved by the driver:\n");
    println!("{}", summary());
}

#[test]
fn each_reply_sent_in_is_received_and_the_exhibition_takes_1_00_55() {
    main();
    let (lines, over) = conversation(&three_pairs());
    assert_eq!(lines.len(), 4); // next, then one send per pair
    assert!(lines[1].ends_with("-> yields Request { board: 1, pair: 2 }"), "{}", lines[1]);
    // The game learns when its last reply landed only from the value sent in.
    assert_eq!(over.at.to_string(), "0:03:00");
    assert_eq!(summary().total().as_secs(), 3655);
}
