//! The processes lane: one OS process per game, the plain loop in each — 1:00:55.
//!
//!     cargo run --example processes
//!
//! This program starts itself again once per board (the first line of `main` is where each
//! copy plays its game). Three boards where board 2's game fails as planned: the panic
//! unwinds in board 2's own process, which tells the parent its message and exits. Then the
//! default exhibition, 24 processes, whose trace is the threads lane's to the event; and last
//! an exhibition too big for a process per game, refused before a single process starts.

use coro_simul::Exhibition;
use coro_simul::lanes::{Lane, processes};

/// Three boards of two pairs, board 2's game failing at pair 2: the forfeit the parent
/// recorded, with the message board 2's process sent before it exited.
fn a_failing_board() -> String {
    coro_simul::PlannedFailure::hush();
    let exhibition = Exhibition::builder().opponents(3).pairs(2).failure(2, 2).build();
    let trace = Lane::Processes
        .trace(&exhibition.expect("valid"))
        .expect("three processes are nothing to an OS");
    let forfeit = trace.events().iter().find(|event| event.name() == "forfeit");
    forfeit.and_then(|event| event.message()).expect("board 2 forfeits").to_owned()
}

fn main() {
    processes::serve_if_child(); // a copy started by the lane plays its one game here, and exits
    println!("The parent is process {}.", std::process::id());
    println!("Three boards; board 2's process failed. Forfeit: {}", a_failing_board());
    let summary = Lane::Processes.summary(&Exhibition::default()).expect("24 processes");
    println!("\nThe default exhibition, 24 processes taking turns:\n\n{summary}");
    let crowd = Exhibition::builder().opponents(5_000).build().expect("valid");
    let error = Lane::Processes.summary(&crowd).expect_err("5 000 processes is past the cap");
    println!("\n5 000 boards: {error}");
}

/// Under `cargo test`, the lane's children run this test alone, and play here.
#[test]
fn coro_simul_processes_worker() {
    processes::serve_if_child();
}

#[test]
fn a_game_fails_in_its_own_process_and_the_trace_is_the_threads_one() {
    main();
    assert_eq!(a_failing_board(), "board 2's game failed at pair 2 (a planned failure)");
    let default = Exhibition::default();
    let processes = Lane::Processes.trace(&default).expect("24 processes");
    assert_eq!(processes.events(), Lane::Threads.trace(&default).expect("24 threads").events());
    assert_eq!(processes.summary().total().as_secs(), 3655);
}
