//! The threads lane: one OS thread per game, `plain_game::game` on each — 1:00:55.
//!
//!     cargo run --example threads
//!
//! Plays three boards where board 2's game fails as planned, with a panic hook that notes the
//! OS thread each panic unwinds: the game's own thread, named after its board, not the
//! driver's. Then the default exhibition, whose trace is the generators lane's to the event,
//! and last an exhibition too big for one thread per game, which the lane refuses before
//! making a single thread.

use std::panic;
use std::sync::Mutex;
use std::thread;

use coro_simul::Exhibition;
use coro_simul::lanes::Lane;

/// The name of the OS thread each panic unwound, in the order they happened.
static PANICKED_ON: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Plays three boards of two pairs, board 2's game failing at pair 2; returns the threads
/// the panics unwound, and the forfeit the driver recorded for board 2.
fn a_failing_board() -> (Vec<String>, String) {
    PANICKED_ON.lock().expect("the hook never panics").clear();
    panic::set_hook(Box::new(|_| {
        let name = thread::current().name().unwrap_or("unnamed").to_owned();
        PANICKED_ON.lock().expect("the hook never panics").push(name);
    }));
    let exhibition = Exhibition::builder().opponents(3).pairs(2).failure(2, 2).build();
    let trace = Lane::Threads
        .trace(&exhibition.expect("valid"))
        .expect("three threads are nothing to an OS");
    let _ = panic::take_hook(); // the default hook again
    let forfeit = trace.events().iter().find(|event| event.name() == "forfeit");
    let message = forfeit.and_then(|event| event.message()).expect("board 2 forfeits");
    (PANICKED_ON.lock().expect("the hook never panics").clone(), message.to_owned())
}

fn main() {
    let driver = thread::current();
    println!("The driver runs on thread '{}'.", driver.name().unwrap_or("unnamed"));
    let (panicked_on, forfeit) = a_failing_board();
    let threads = panicked_on.join(", ");
    println!("Three boards; board 2's game panicked on thread '{threads}'. Forfeit: {forfeit}");
    let summary = Lane::Threads.summary(&Exhibition::default()).expect("24 threads are fine");
    println!("\nThe default exhibition, 24 threads taking turns:\n\n{summary}");
    let crowd = Exhibition::builder().opponents(20_000).build().expect("valid");
    let error = Lane::Threads.summary(&crowd).expect_err("20 000 threads is past the cap");
    println!("\n20 000 boards: {error}");
}

#[test]
fn a_game_fails_on_its_own_thread_and_the_trace_is_the_cooperative_one() {
    main();
    let (panicked_on, forfeit) = a_failing_board();
    assert_eq!(panicked_on, ["board 2"], "the game's own thread, not the driver's");
    assert_eq!(forfeit, "board 2's game failed at pair 2 (a planned failure)");
    let default = Exhibition::default();
    let threads = Lane::Threads.trace(&default).expect("24 threads");
    assert_eq!(threads.events(), Lane::Generators.trace(&default).expect("no OS needed").events());
    assert_eq!(threads.summary().total().as_secs(), 3655);
}
